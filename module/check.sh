#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Quality gates for module/ (and the bench's tests/bench/limit module,
# built with its compat.h): for every kernel, a W=1 build and a sparse
# (C=1) build with no diagnostics at all; then checkpatch --strict.
# Exits non-zero on any finding.
#
# Usage: module/check.sh [KVER...]
#   KVERS      kernels to check when no argument is given
#              (default: 6.1.0-56-amd64 6.12.117+deb12-amd64)
#   CHECKPATCH path to checkpatch.pl
#              (default: /opt/ksrc/linux-source-6.12/scripts/checkpatch.pl)
set -u

here=$(cd "$(dirname "$0")" && pwd)
kvers=${*:-${KVERS:-6.1.0-56-amd64 6.12.117+deb12-amd64}}
checkpatch=${CHECKPATCH:-/opt/ksrc/linux-source-6.12/scripts/checkpatch.pl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# Build output lines that are not diagnostics.
noise='^make(\[[0-9]+\])?: |^  (CC|LD|MODPOST|BTF|CHECK|AR|CLEAN) |^Skipping BTF generation|^bt6lowpan: '

# the copy has no ../dkms.conf: Kbuild gets the version from here
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$here/../dkms.conf")

# the bench's test-only module (issue 13), which includes compat.h and
# this Kbuild's header probes: checked with the module, never installed
limit=$here/../tests/bench/limit

# copy_module DIR, copy_limit DIR: the sources of one module into DIR
copy_module() {
	cp "$here"/*.c "$here"/*.h "$here"/Kbuild "$1"/ && cp -a "$here"/uapi "$1"/
}
copy_limit() { "$limit"/stage "$1"; }

build() { # kver label copy-function extra-make-args...
	kver=$1 label=$2 copy=$3
	shift 3
	kdir=/lib/modules/$kver/build
	dir=$tmp/$kver-$label
	mkdir -p "$dir"
	$copy "$dir" || { echo "FAIL $kver $label: copy failed"; fail=1; return; }
	if ! make -j"$(nproc)" -C "$kdir" M="$dir" W=1 BT6_VERSION="$version" "$@" modules >"$dir.log" 2>&1; then
		echo "FAIL $kver $label: build failed"
		cat "$dir.log"
		fail=1
		return
	fi
	if grep -Ev "$noise" "$dir.log" | grep -q .; then
		echo "FAIL $kver $label: diagnostics"
		grep -Ev "$noise" "$dir.log"
		fail=1
		return
	fi
	echo "ok   $kver $label"
}

for kver in $kvers; do
	if [ ! -d "/lib/modules/$kver/build" ]; then
		echo "FAIL $kver: no headers in /lib/modules/$kver/build"
		fail=1
		continue
	fi
	build "$kver" w1 copy_module
	build "$kver" sparse copy_module C=1
	build "$kver" limit-w1 copy_limit
	build "$kver" limit-sparse copy_limit C=1
done

if [ ! -x "$checkpatch" ] && [ ! -f "$checkpatch" ]; then
	echo "FAIL checkpatch: $checkpatch not found (set CHECKPATCH)"
	fail=1
elif ! { perl "$checkpatch" --strict --no-tree --quiet --show-types -f \
		$(ls "$here"/*.c "$here"/*.h "$here"/uapi/*.h "$limit"/*.c | grep -v '/compat\.h$')
	# compat.h is the one place for version tests: checkpatch's advice
	# (code "for the version to which it is merged", constant on the
	# right) is for in-tree code, where LINUX_VERSION_CODE has no use.
	perl "$checkpatch" --strict --no-tree --quiet --show-types \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$here"/compat.h
	} >"$tmp/checkpatch.log" 2>&1 || [ -s "$tmp/checkpatch.log" ]; then
	echo "FAIL checkpatch --strict"
	cat "$tmp/checkpatch.log"
	fail=1
else
	echo "ok   checkpatch --strict"
fi

exit $fail
