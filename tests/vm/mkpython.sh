#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkpython.sh OUT: a second initramfs archive (newc cpio, gzip'd if OUT
# ends in .gz) with the host's Debian python3, the part of its standard library a command-line
# tool needs, PyYAML (pure Python) and the kernel's own YNL tool
# (tools/net/ynl of Debian's linux-source) with our spec:
#   /usr/bin/python3, /usr/lib/python3.11, /bench/py/yaml,
#   /bench/ynl/cli.py, /bench/ynl/lib, /bench/ynl/specs/bt6lowpan.yaml
# tests/vm/run appends it to the guest image of a scenario whose header
# says "# needs: python" (the kernel unpacks concatenated archives), so
# the other guests do not carry it. About 3 MB compressed.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$1
py=$(readlink -f /usr/bin/python3) || die "no /usr/bin/python3 (Debian's python3)"
ver=$(basename "$py") # python3.11
stdlib=/usr/lib/$ver
[ -f "$stdlib/os.py" ] || die "no standard library in $stdlib"
[ -f /usr/lib/python3/dist-packages/yaml/__init__.py ] || die "no PyYAML (python3-yaml)"
ynl=$("$TOP/tests/ynl-src.sh") || die "no YNL tools"

stage=$(mktemp -d "${TMPDIR:-/tmp}/bt6py.XXXXXX")
trap 'rm -rf "$stage"' EXIT
copy_libs() { # FILE: the shared libraries FILE needs, at their paths
	local lib
	for lib in $(ldd "$1" 2>/dev/null | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
		[ -f "$lib" ] || continue
		mkdir -p "$stage$(dirname "$lib")"
		[ -f "$stage$lib" ] || cp -L "$lib" "$stage$lib"
	done
}
mkdir -p "$stage/usr/bin" "$stage/usr/lib" "$stage/bench/py" "$stage/bench/ynl/specs"
cp -L "$py" "$stage/usr/bin/$ver"
ln -s "$ver" "$stage/usr/bin/python3"
copy_libs "$py"
# the standard library without what no command-line netlink tool imports
# (tests, IDEs, GUI, the static library, packaging, network protocols)
rsync -a --exclude=__pycache__ --exclude='config-*' --exclude=test \
	--exclude=lib2to3 --exclude=distutils --exclude=pydoc_data \
	--exclude=asyncio --exclude=multiprocessing --exclude=tkinter \
	--exclude=idlelib --exclude=turtledemo --exclude=ensurepip \
	--exclude=unittest --exclude=xmlrpc --exclude=site-packages \
	--exclude=dist-packages --exclude=venv --exclude=sqlite3 \
	--exclude=curses --exclude=dbm --exclude=email --exclude=html \
	--exclude=http --exclude=urllib --exclude=xml --exclude=wsgiref \
	"$stdlib" "$stage/usr/lib/"
# extension modules: those that need more than libc, libm, libz and libffi
# (TLS, databases, terminals, hashlib's OpenSSL, which falls back to
# built-in hashes) are left out, with their libraries
for so in "$stage/usr/lib/$ver"/lib-dynload/*.so; do
	if ldd "$so" | awk '/=>/ { print $1 }' | grep -qvE '^(libc|libm|libz|libffi|libpthread)\.so'; then
		rm -f "$so"
	else
		copy_libs "$so"
	fi
done
# PyYAML without its C extension (it falls back to the pure Python one)
rsync -a --exclude=__pycache__ --exclude='*.so' \
	/usr/lib/python3/dist-packages/yaml "$stage/bench/py/"
cp "$ynl/tools/net/ynl/cli.py" "$stage/bench/ynl/"
rsync -a --exclude=__pycache__ "$ynl/tools/net/ynl/lib" "$stage/bench/ynl/"
# the spec alone: its schema (../genetlink.yaml) would need jsonschema,
# which the host's unit suite already validates it with
cp "$TOP/netlink/specs/bt6lowpan.yaml" "$stage/bench/ynl/specs/"
# byte code compiled here: the guest would compile every module at each
# start (15 s under TCG for the YNL tool); hashes, not mtimes, pair each
# .pyc with its source, and tracebacks name the guest's paths
/usr/bin/python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash \
	-s "$stage" -p / "$stage/usr/lib/$ver" "$stage/bench" >/dev/null ||
	die "compileall failed"
tmp=$out.$$.${out##*.}
write_cpio "$stage" "$tmp"
mv "$tmp" "$out"
