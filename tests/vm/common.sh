# SPDX-License-Identifier: GPL-2.0
# Shared host-side helpers for the QEMU bench. Sourced, not run.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
CACHE=${BT6_CACHE:-$VM_DIR/cache}
# What does not depend on the clone (the Debian kernels, unpacked; the
# static guest tools and bt6ctl, keyed by their sources) is kept outside
# it, per machine, so that a fresh clone on a warm machine downloads and
# builds none of it again (a clean clone's vm suite spent its first 48 s
# fetching and unpacking the four kernels); in the clone if that cannot
# be written.
mkdir -p "$CACHE" 2>/dev/null
SHARED=${BT6_SHARED_CACHE:-/var/cache/bt6lowpan/vm}
mkdir -p "$SHARED" 2>/dev/null && [ -w "$SHARED" ] || SHARED=$CACHE
KCACHE=$SHARED/kernels
. "$VM_DIR/kernels.env"

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

# debug_dir: the cache directory of the debug kernel (issue 12), which
# tests/vm/debug-kernel.sh builds on first use (12-22 min on 2 cores)
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

# kver SHORT -> kernel release, e.g. 6.12 -> 6.12.117+deb12-amd64: the pin
# of kernels.env (which gives way to the newest of its series when the
# registry dropped it). A kernel of another suite (SUITE_X) that is not
# cached yet is what the build matrix resolves in its chroot of that suite:
# the pin, or the newest of the series, said so.
kver() {
	local s=${1//./_} v suite root
	v="KVER_$s" suite="SUITE_$s"
	if [ "$1" = debug ]; then
		debug_dir >/dev/null && cat "$BT6_DEBUG_DIR/kver"
		return
	fi
	[ -n "${!v:-}" ] || die "unknown kernel '$1' (known: $KERNELS)"
	if [ -n "${!suite:-}" ] && [ ! -f "$KCACHE/${!v}/.done" ] &&
		root=$("$TOP/tests/matrix.sh" -p "$1" 2>/dev/null) && [ "${root##* }" != "${!v}" ]; then
		note "kernel $1: pinned ${!v} is gone from ${!suite}; taking ${root##* } (update tests/vm/kernels.env)"
		echo "${root##* }"
		return
	fi
	echo "${!v}"
}

pkgver() {
	local v="PKGVER_${1//./_}"
	echo "${!v:-}"
}

# fetch_kernel SHORT: download and unpack the Debian image once, into
# $KCACHE/KVER (vmlinuz + modules tree with modules.dep). From 7.x on
# linux-image-KVER is only a dependency package: the kernel is in
# linux-binary-KVER (vmlinuz under /usr/lib/modules/KVER/), the modules in
# linux-modules-KVER and modules.order, modules.builtin* in linux-base-KVER;
# all of it is unpacked into one tree, modules under lib/modules as before.
fetch_kernel() {
	local kv
	kv=$(kver "$1")
	mkdir -p "$KCACHE"
	# (one fetch at a time per kernel, whichever run or image asks; the
	# debug kernel's BT6_DEBUG_DIR is known here, before the subshell)
	[ "$1" = debug ] && debug_dir >/dev/null
	(
		flock 9
		fetch_kernel_locked "$1" "$kv"
	) 9>"$KCACHE/$kv.lock" || exit 2
}
fetch_kernel_locked() { # SHORT KVER
	local k=$1 kv=$2 pv dir deb p debs contents
	pv=$(pkgver "$k")
	dir=$KCACHE/$kv
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
	mkdir -p "$KCACHE/debs" "$dir"
	deb=$(fetch_deb "$k" "linux-image-$kv" "$pv") || exit 2
	debs=$deb
	# (the listing is read whole: grep -q would stop reading at the first
	# match, and under pipefail dpkg-deb's SIGPIPE would then read as "no
	# vmlinuz", which is how a fresh machine's CI once failed on 6.1)
	contents=$(dpkg-deb -c "$deb") || die "dpkg-deb -c $deb failed"
	if ! grep -q "/vmlinuz-$kv\$\|/$kv/vmlinuz\$" <<<"$contents"; then
		for p in linux-binary linux-modules linux-base; do
			deb=$(fetch_deb "$k" "$p-$kv" "$pv") || exit 2
			debs="$debs $deb"
		done
	fi
	rm -rf "$dir" && mkdir -p "$dir/root"
	for deb in $debs; do
		dpkg -x "$deb" "$dir/root" || die "dpkg -x $deb failed"
	done
	if [ -d "$dir/root/usr/lib/modules/$kv" ] && [ ! -e "$dir/root/lib/modules/$kv" ]; then
		mkdir -p "$dir/root/lib/modules"
		mv "$dir/root/usr/lib/modules/$kv" "$dir/root/lib/modules/$kv"
	fi
	for p in "$dir/root/boot/vmlinuz-$kv" "$dir/root/lib/modules/$kv/vmlinuz"; do
		[ -f "$p" ] && cp "$p" "$dir/vmlinuz" && break
	done
	[ -f "$dir/vmlinuz" ] || die "no vmlinuz for $kv in: $debs"
	depmod -b "$dir/root" "$kv" || die "depmod failed for $kv"
	touch "$dir/.done"
}

# boot_image SHORT: the file QEMU boots for that kernel. Where the
# kernel can start as a PVH guest (CONFIG_PVH, the Xen ELF note
# PHYS32_ENTRY), its uncompressed ELF image $KCACHE/KVER/vmlinux,
# unpacked from the bzImage once: QEMU then jumps straight to the kernel,
# without the firmware's real-mode set-up and without the bzImage
# decompressing itself under TCG (3.6 s of the 9.2 s from QEMU's start to
# init's first line on 6.1, measured; xz and zstd are slow emulated).
# Otherwise (the debug kernel is built without PVH) the bzImage itself.
boot_image() {
	local dir
	dir=$KCACHE/$(kver "$1")
	if [ ! -f "$dir/vmlinux" ] && [ ! -f "$dir/vmlinux.none" ]; then
		if unpack_vmlinux "$dir/vmlinuz" "$dir/vmlinux.$$" && has_pvh_note "$dir/vmlinux.$$"; then
			mv "$dir/vmlinux.$$" "$dir/vmlinux"
		else
			rm -f "$dir/vmlinux.$$"
			touch "$dir/vmlinux.none"
		fi
	fi
	if [ -f "$dir/vmlinux" ]; then echo "$dir/vmlinux"; else echo "$dir/vmlinuz"; fi
}

# unpack_vmlinux BZIMAGE OUT: the compressed kernel inside a bzImage
# (boot protocol 2.08+: payload_offset at 0x248 and payload_length at
# 0x24c, counted from the protected-mode code, which starts after
# setup_sects + 1 sectors; setup_sects at 0x1f1), decompressed by its magic
le32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d ' '; } # FILE OFFSET
unpack_vmlinux() {
	local sects off len magic
	sects=$(od -An -t u1 -j $((0x1f1)) -N 1 "$1" | tr -d ' ') || return 1
	[ "$sects" = 0 ] && sects=4
	off=$(le32 "$1" $((0x248))) len=$(le32 "$1" $((0x24c)))
	[ -n "$off" ] && [ -n "$len" ] && [ "$len" -gt 0 ] || return 1
	off=$(((sects + 1) * 512 + off))
	magic=$(od -An -t x1 -j "$off" -N 6 "$1" | tr -d ' ')
	case $magic in
	1f8b*) tail -c +$((off + 1)) "$1" | head -c "$len" | gzip -dc 2>/dev/null >"$2" ;;
	fd377a585a00) tail -c +$((off + 1)) "$1" | head -c "$len" | xz -dc --single-stream >"$2" ;;
	28b52ffd*) tail -c +$((off + 1)) "$1" | head -c "$len" | zstd -dcq 2>/dev/null >"$2" ;;
	*) return 1 ;;
	esac
	# (gzip and zstd stop with an error at the 4-byte size the kernel's
	# build appends to the stream; what they wrote is judged by the ELF)
	[ "$(head -c 4 "$2" | od -An -t x1 | tr -d ' ')" = 7f454c46 ]
}

has_pvh_note() { # ELF: it carries XEN_ELFNOTE_PHYS32_ENTRY (type 18)
	LC_ALL=C readelf -n "$1" 2>/dev/null | grep -qE '^ *Xen .*(\(0x00000012\)|PHYS32_ENTRY)'
}

# write_cpio DIR OUT: DIR as a newc cpio archive, gzip'd if OUT ends in
# .gz. The bench's guests boot plain archives (.cpio): under TCG the
# kernel's gunzip of a 14.5 MB image took 1.4 s of the 5.3 s from QEMU's
# start to init's first line (6.1, measured); the bench keeps .gz.
write_cpio() {
	case $2 in
	*.gz) (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2" ;;
	*) (cd "$1" && find . | cpio -o -H newc --quiet) >"$2" ;;
	esac
}

# fetch_deb SHORT PACKAGE PKGVER: the cached .deb of PACKAGE, downloaded
# once (the pinned version if given and still there, else the newest; from
# the host's apt sources or the build matrix's chroot of SHORT's suite).
fetch_deb() {
	local deb
	deb=$(ls "$KCACHE"/debs/"$2"_*.deb 2>/dev/null | head -n1)
	if [ -z "$deb" ]; then
		note "downloading $2${3:+ ($3)}"
		{ [ -n "$3" ] && (cd "$KCACHE/debs" && apt-get download "$2=$3" >/dev/null 2>&1); } ||
			(cd "$KCACHE/debs" && apt-get download "$2" >/dev/null 2>&1) ||
			matrix_download "$1" "$2" ||
			die "cannot download $2 (run apt-get update?)"
		deb=$(ls "$KCACHE"/debs/"$2"_*.deb | head -n1)
	fi
	echo "$deb"
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
		mv "$root/tmp/$2"_*.deb "$KCACHE/debs/"
}

# ko_cat FILE: a module file's bytes, uncompressed (.ko, .ko.xz, .ko.zst)
ko_cat() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# cached DIR KEY CMD...: run CMD (which fills DIR/KEY) once for KEY, under
# DIR.lock, so that guest images built side by side, and runs of other
# clones, share one build; prints DIR/KEY. Used for what every image has
# alike (the guest tools, bt6ctl), kept between runs in SHARED.
cached() {
	local dir=$1/$2 lock=$1.lock
	shift 2
	(
		flock 8
		[ -f "$dir/.done" ] && exit 0
		rm -rf "$dir" && mkdir -p "$dir" || exit 1
		"$@" "$dir" || { rm -rf "$dir"; exit 1; }
		touch "$dir/.done"
	) 8>"$lock" || return 1
	echo "$dir"
}

# guest_tools: every guest/*.c as a static tool, compiled side by side;
# prints the directory (cached by the sources and the compiler)
build_guest_tools() { # DIR
	local c t pids="" rc=0
	for c in "$VM_DIR"/guest/*.c; do
		t=$(basename "$c" .c)
		gcc -O2 -Wall -static -o "$1/$t" "$c" 2>"$1/$t.log" &
		pids="$pids $!"
	done
	for t in $pids; do wait "$t" || rc=1; done
	[ $rc = 0 ] || cat "$1"/*.log >&2
	return $rc
}
guest_tools() {
	local key
	key=$( (gcc --version | head -n1; cat "$VM_DIR"/guest/*.c) | sha256sum | cut -c1-16)
	cached "$SHARED/tools" "$key" build_guest_tools
}

# bt6ctl_bin: tools/bt6ctl linked against libnl-genl-3, with dkms.conf's
# PACKAGE_VERSION as tools/bt6ctl/Makefile passes it; prints its path
# (cached by its sources, the module's uapi headers and the version)
bt6ctl_version() { sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$TOP/dkms.conf"; }
build_bt6ctl() { # DIR
	# shellcheck disable=SC2046
	gcc -O2 -std=gnu11 -D_GNU_SOURCE -I"$TOP/module" $(pkg-config --cflags libnl-genl-3.0) \
		-DBT6CTL_VERSION="\"$(bt6ctl_version)\"" \
		-o "$1/bt6ctl" "$TOP"/tools/bt6ctl/*.c $(pkg-config --libs libnl-genl-3.0) \
		>"$1/gcc.log" 2>&1 || { cat "$1/gcc.log" >&2; return 1; }
}
bt6ctl_bin() {
	local key dir
	key=$( (gcc --version | head -n1; bt6ctl_version; pkg-config --cflags --libs libnl-genl-3.0
		cat "$TOP"/tools/bt6ctl/*.[ch] "$TOP"/module/uapi/*.h) | sha256sum | cut -c1-16)
	dir=$(cached "$SHARED/bt6ctl" "$key" build_bt6ctl) || return 1
	echo "$dir/bt6ctl"
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
		chroot "$root" make -s -j"$(nproc)" -C "/lib/modules/$kv/build" M="$d" modules \
			BT6_VERSION="$ver" >"$bdir/build.log" 2>&1 </dev/null || {
			cat "$bdir/build.log" >&2
			die "module build failed for $kv (in $root)"
		}
		cp "$root$d/bluetooth_6lowpan.ko" "$bdir/" && rm -rf "$root$d"
	else
		make -s -j"$(nproc)" -C "/lib/modules/$kv/build" M="$bdir" modules BT6_VERSION="$ver" \
			>"$bdir/build.log" 2>&1 || {
			cat "$bdir/build.log" >&2
			die "module build failed for $kv"
		}
	fi
	echo "$bdir/bluetooth_6lowpan.ko"
}
