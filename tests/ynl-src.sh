#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/ynl-src.sh: print a directory that holds the kernel's own YNL tools
# (tools/net/ynl) and netlink schemas (Documentation/netlink), extracted
# once from Debian's linux-source into tests/vm/cache/ynl. Used by the unit
# suite (ynl_check.py, on the host) and by the guest's python overlay
# (tests/vm/mkpython.sh, the ynl scenario). Safe to run side by side: the
# tree is extracted into a temporary directory and renamed into place.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/tests/vm/cache/ynl
if [ ! -f "$dir/tools/net/ynl/cli.py" ]; then
	src=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
	[ -n "$src" ] || {
		echo "ynl-src: no /usr/src/linux-source-*.tar.xz (tests/deps.sh installs linux-source-6.12)" >&2
		exit 1
	}
	mkdir -p "$(dirname "$dir")"
	tmp=$(mktemp -d "$dir.XXXXXX") || exit 1
	if ! tar -xJf "$src" -C "$tmp" --strip-components=1 --wildcards \
		'*/tools/net/ynl/*' '*/Documentation/netlink/*'; then
		rm -rf "$tmp"
		echo "ynl-src: cannot extract the YNL tools from $src" >&2
		exit 1
	fi
	# another run may have won the race: keep its tree
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
fi
echo "$dir"
