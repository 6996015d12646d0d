# SPDX-License-Identifier: GPL-2.0
# Shared host-side helpers for the QEMU bench. Sourced, not run.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
CACHE=${BT6_CACHE:-$VM_DIR/cache}
. "$VM_DIR/kernels.env"

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

# debug_dir: the cache directory of the debug kernel (issue 12), which
# tests/vm/debug-kernel.sh builds on first use (about an hour on 2 cores)
# and finds in its cache afterwards; remembered in BT6_DEBUG_DIR for the
# rest of the run and the scripts it starts
debug_dir() {
	if [ -z "${BT6_DEBUG_DIR:-}" ] || [ ! -f "$BT6_DEBUG_DIR/.done" ]; then
		BT6_DEBUG_DIR=$("$VM_DIR/debug-kernel.sh") && [ -f "$BT6_DEBUG_DIR/.done" ] ||
			die "the debug kernel could not be built (tests/vm/debug-kernel.sh)"
		export BT6_DEBUG_DIR
	fi
	echo "$BT6_DEBUG_DIR"
}

# kver SHORT -> kernel release, e.g. 6.12 -> 6.12.117+deb12-amd64
kver() {
	local v="KVER_${1//./_}"
	if [ "$1" = debug ]; then
		debug_dir >/dev/null && cat "$BT6_DEBUG_DIR/kver"
		return
	fi
	[ -n "${!v:-}" ] || die "unknown kernel '$1' (known: $KERNELS)"
	echo "${!v:-}"
}

pkgver() {
	local v="PKGVER_${1//./_}"
	echo "${!v:-}"
}

# fetch_kernel SHORT: download and unpack the Debian image once, into
# $CACHE/kernels/KVER (vmlinuz + modules tree with modules.dep).
fetch_kernel() {
	local k kv pv dir deb
	k=$1
	kv=$(kver "$k")
	pv=$(pkgver "$k")
	dir=$CACHE/kernels/$kv
	if [ "$k" = debug ]; then # hard links to the debug kernel's cache
		[ "$(cat "$dir/.done" 2>/dev/null)" = "$(debug_dir)" ] && return 0
		rm -rf "$dir" && mkdir -p "$dir"
		cp -al "$BT6_DEBUG_DIR/root" "$dir/root" 2>/dev/null ||
			cp -a "$BT6_DEBUG_DIR/root" "$dir/root" || die "copy failed"
		cp "$BT6_DEBUG_DIR/vmlinuz" "$dir/vmlinuz"
		echo "$BT6_DEBUG_DIR" >"$dir/.done"
		return 0
	fi
	[ -f "$dir/.done" ] && return 0
	mkdir -p "$CACHE/debs" "$dir"
	deb=$(ls "$CACHE"/debs/linux-image-"$kv"_*.deb 2>/dev/null | head -n1)
	if [ -z "$deb" ]; then
		note "downloading linux-image-$kv ($pv)"
		(cd "$CACHE/debs" && apt-get download "linux-image-$kv=$pv" >/dev/null 2>&1) ||
			(cd "$CACHE/debs" && apt-get download "linux-image-$kv") ||
			matrix_download "$k" "linux-image-$kv" ||
			die "cannot download linux-image-$kv (run apt-get update?)"
		deb=$(ls "$CACHE"/debs/linux-image-"$kv"_*.deb | head -n1)
	fi
	rm -rf "$dir" && mkdir -p "$dir"
	dpkg -x "$deb" "$dir/root" || die "dpkg -x $deb failed"
	cp "$dir/root/boot/vmlinuz-$kv" "$dir/vmlinuz"
	depmod -b "$dir/root" "$kv" || die "depmod failed for $kv"
	touch "$dir/.done"
}

# Kernels of suites the host's apt sources lack (5.10: bullseye) come from
# the build matrix's chroot of their suite, which has their headers and
# compiler: matrix_root SHORT prints it (tests/matrix.sh -p makes it once).
matrix_root() {
	local out
	out=$("$TOP/tests/matrix.sh" -p "$1") && [ -n "$out" ] || return 1
	echo "${out%% *}"
}

matrix_download() { # SHORT PACKAGE: apt-get download in that chroot
	local root
	root=$(matrix_root "$1") || return 1
	note "downloading $2 in the build matrix's chroot $root"
	chroot "$root" sh -c "cd /tmp && apt-get download -q '$2'" >&2 &&
		mv "$root/tmp/$2"_*.deb "$CACHE/debs/"
}

# build_ours SHORT: build module/ against that kernel's installed headers in
# a private copy (or in its build matrix chroot); prints the path of the .ko.
build_ours() {
	local k kv bdir root="" d ver
	k=$1
	kv=$(kver "$k")
	if [ "$k" = debug ]; then # against its build tree, in its chroot
		bdir=$CACHE/build/$kv
		rm -rf "$bdir" && mkdir -p "$bdir" && cp -a "$TOP/module/." "$bdir/" ||
			die "copy failed"
		ver=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$TOP/dkms.conf")
		"$VM_DIR/debug-kernel.sh" -m "$bdir" BT6_VERSION="$ver" >"$bdir/build.log" 2>&1 || {
			cat "$bdir/build.log" >&2
			die "module build failed for $kv"
		}
		echo "$bdir/bluetooth_6lowpan.ko"
		return
	fi
	if [ ! -d "/lib/modules/$kv/build" ]; then
		root=$(matrix_root "$k") ||
			die "no headers for $kv: apt-get install linux-headers-$kv"
	fi
	[ -d "$TOP/module" ] || die "no module/ sources yet"
	bdir=$CACHE/build/$kv
	mkdir -p "$bdir"
	rm -rf "$bdir" && mkdir -p "$bdir" && cp -a "$TOP/module/." "$bdir/" ||
		die "copy failed"
	# the copy has no ../dkms.conf, where Kbuild finds the version
	ver=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$TOP/dkms.conf")
	if [ -n "$root" ]; then
		d=/tmp/bt6-vm-$kv-$$
		rm -rf "$root$d" && cp -a "$bdir" "$root$d" || die "copy failed"
		chroot "$root" make -s -C "/lib/modules/$kv/build" M="$d" modules \
			BT6_VERSION="$ver" >"$bdir/build.log" 2>&1 </dev/null || {
			cat "$bdir/build.log" >&2
			die "module build failed for $kv (in $root)"
		}
		cp "$root$d/bluetooth_6lowpan.ko" "$bdir/" && rm -rf "$root$d"
	else
		make -s -C "/lib/modules/$kv/build" M="$bdir" modules BT6_VERSION="$ver" \
			>"$bdir/build.log" 2>&1 || {
			cat "$bdir/build.log" >&2
			die "module build failed for $kv"
		}
	fi
	echo "$bdir/bluetooth_6lowpan.ko"
}
