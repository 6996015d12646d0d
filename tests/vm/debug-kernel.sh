#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/debug-kernel.sh: build the bench's debug kernel (issue 12) once
# and print the directory it is cached in.
#
# Source: Debian's own kernel source package, $DEBUG_SOURCE of
# $DEBUG_SUITE (tests/vm/kernels.env), with Debian's patches applied.
# Toolchain: the build matrix's chroot of that suite (tests/matrix.sh -p
# makes it), whose gcc is the one Debian builds that kernel with.
# Config: allnoconfig + tests/vm/debug-base.config + tests/vm/debug.config;
# the step fails, naming them, if olddefconfig dropped any requested line.
#
# Cache (outside the clone): $BT6_DEBUG_KERNEL_CACHE, default
# /var/cache/bt6lowpan/debug-kernel, one directory per source package
# version and config hash, PKGVER-HASH/:
#   vmlinuz   the bzImage
#   kver      its release (uname -r)
#   root/lib/modules/KVER/   modules_install output, with modules.dep
#   build/    the O= build tree without the kernel's objects (what
#             modules_prepare makes, Module.symvers, objtool): -m builds an
#             external module against it, in the chroot, where the cache is
#             bind-mounted at its own path (in a private mount namespace,
#             so that nothing stays mounted)
#   build.log, .done
# The extracted source is shared: src/PKGVER/linux-source-SERIES.
# A second run finds .done and builds nothing.
#
# Usage: tests/vm/debug-kernel.sh [-c | -m DIR [MAKE-ARGS...]]
#   -c   configure and check only (no compile); prints the .config path
#   -m   build the external module whose sources are in DIR against the
#        debug kernel (building that first if need be; or against the one
#        in BT6_DEBUG_DIR, if set); the .ko files land in DIR
# Environment: BT6_DEBUG_KERNEL_CACHE, BT6_DEBUG_JOBS (default 2).
# The build runs under nice -n 19 (the machine is shared). Needs root.
set -euo pipefail
vm=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$vm/../.." && pwd)
. "$vm/kernels.env"
cache=${BT6_DEBUG_KERNEL_CACHE:-/var/cache/bt6lowpan/debug-kernel}
jobs=${BT6_DEBUG_JOBS:-2}
# bump when a change to this script changes the kernel it builds
build_rev=1
config_only=0 moddir=""
case ${1:-} in
-c) config_only=1 ;;
-m)
	moddir=$(cd "${2:?-m needs a directory}" && pwd) || exit 1
	shift 2
	;;
esac

say() { echo "debug-kernel: $*" >&2; }
die() {
	say "$*"
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (chroot, mount --bind)"
mkdir -p "$cache"

# the chroot: tests/matrix.sh -p prints "CHROOT KVER" for the matrix row
out=$("$top/tests/matrix.sh" -p "$DEBUG_MATRIX_ROW") ||
	die "tests/matrix.sh -p $DEBUG_MATRIX_ROW could not prepare the chroot"
root=${out%% *}
# (an unknown row: matrix.sh prints nothing, and "$root/usr" is the host's)
[ -n "$root" ] && [ "$root" != / ] && [ -d "$root/usr" ] ||
	die "no chroot for $DEBUG_MATRIX_ROW (tests/matrix.sh -p printed '$out')"

in_root() { # command...: in the chroot, with a clean environment
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}

# as in_root, with the cache bind-mounted at its own path inside the chroot
# (so the paths the build tree records hold on both sides), in a mount
# namespace of its own that ends with the command: nothing stays mounted
in_cache_root() { # command...
	mkdir -p "$root$cache"
	unshare -m --propagation private /bin/sh -c '
		c=$1 r=$2
		shift 2
		mount --bind "$c" "$r$c" || exit 1
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LC_ALL=C "$@"' sh "$cache" "$root" "$@" </dev/null
}

modbuild() { # make-args...: build $moddir against the cached tree
	local d=/tmp/bt6-debug-mod-$$
	rm -rf "${root:?}$d" && mkdir -p "$root$d" && cp -a "$moddir/." "$root$d/" ||
		die "copy failed"
	if ! in_cache_root make -j"$(nproc)" -C "$key/build" M="$d" CC="$cc" HOSTCC="$cc" "$@" modules; then
		rm -rf "${root:?}$d"
		die "module build against $(cat "$key/kver") failed"
	fi
	cp "$root$d"/*.ko "$moddir/" && rm -rf "${root:?}$d"
}

# the source package and the build's tools, installed once (under the
# matrix's lock: it installs headers into the same chroot)
pkgver() { in_root dpkg-query -W -f '${Version}' "$DEBUG_SOURCE" 2>/dev/null || true; }
tools="bc bison flex libelf-dev libssl-dev xz-utils cpio kmod make"
if [ -z "$(pkgver)" ] || ! in_root dpkg-query -W $tools >/dev/null 2>&1; then
	say "installing $DEBUG_SOURCE and the kernel build tools into $root"
	mkdir -p "$root/proc"
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	(
		flock 9
		in_root apt-get install -y -q --no-install-recommends -t "$DEBUG_SUITE" \
			"$DEBUG_SOURCE" $tools >"$cache/install.log" 2>&1 || {
			in_root apt-get update -q >>"$cache/install.log" 2>&1 &&
				in_root apt-get install -y -q --no-install-recommends \
					-t "$DEBUG_SUITE" "$DEBUG_SOURCE" $tools \
					>>"$cache/install.log" 2>&1
		} || { tail -n 20 "$cache/install.log" >&2; exit 1; }
		in_root apt-get clean
	) 9>"$(dirname "$root")/.lock" || die "could not install $DEBUG_SOURCE"
fi
pv=$(pkgver)
[ -n "$pv" ] || die "$DEBUG_SOURCE is not installed in $root"
series=${DEBUG_SOURCE#linux-source-}
tarball=$root/usr/src/$DEBUG_SOURCE.tar.xz
[ -f "$tarball" ] || die "$tarball is missing"
# the compiler the matching Debian headers name (gcc-14 for 7.3 in trixie)
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' \
	"$root/usr/src/linux-headers-${out#* }/.config" 2>/dev/null || true)
[ -n "$cc" ] && [ -x "$root/usr/bin/$cc" ] ||
	cc=$(cd "$root/usr/bin" && ls x86_64-linux-gnu-gcc-[0-9]* | sort -V | tail -n 1)
ccver=$(in_root "$cc" --version | head -n 1)

# the key: source package version and a hash of everything that makes the
# config and the build (both fragments, the compiler, this script's rev)
hash=$( (cat "$vm/debug-base.config" "$vm/debug.config"
	echo "allnoconfig $ccver rev $build_rev") | sha256sum | cut -c1-12)
key=$cache/$pv-$hash
src=$cache/src/$pv/$DEBUG_SOURCE
# -m with BT6_DEBUG_DIR set (tests/vm/common.sh sets it): against that
# kernel, the one the bench boots, even if the fragments changed since
if [ -n "$moddir" ] && [ -f "${BT6_DEBUG_DIR:-/nonexistent}/.done" ]; then
	key=$BT6_DEBUG_DIR
	modbuild "$@"
	exit 0
fi
if [ -f "$key/.done" ] && [ "$config_only" = 0 ]; then
	[ -n "$moddir" ] && modbuild "$@" && exit 0
	say "cached: $key ($(cat "$key/kver"))"
	echo "$key"
	exit 0
fi

# one build at a time per cache
exec 8>"$cache/.lock"
flock 8
if [ -f "$key/.done" ] && [ "$config_only" = 0 ]; then
	[ -n "$moddir" ] && modbuild "$@" && exit 0
	echo "$key"
	exit 0
fi

if [ ! -f "$src/.extracted" ]; then
	say "extracting $DEBUG_SOURCE $pv into $src"
	rm -rf "$cache/src/$pv" && mkdir -p "$cache/src/$pv"
	nice -n 19 tar -xJf "$tarball" -C "$cache/src/$pv" || die "tar failed"
	touch "$src/.extracted"
fi

mk() { # make in the chroot, on the cache's build tree
	in_cache_root nice -n 19 make -C "$src" O="$key/build" ARCH=x86_64 \
		CC="$cc" HOSTCC="$cc" "$@"
}

t0=$SECONDS
rm -rf "$key" && mkdir -p "$key/build"
cat "$vm/debug-base.config" "$vm/debug.config" >"$key/requested.config"
mk -s KCONFIG_ALLCONFIG="$key/requested.config" allnoconfig >"$key/config.log" 2>&1 &&
	mk -s olddefconfig >>"$key/config.log" 2>&1 || {
	cat "$key/config.log" >&2
	die "configuration failed"
}

# every requested line must have survived olddefconfig
missing=$(awk '
	FNR == NR {
		if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/) { split($0, a, "="); have[a[1]] = $0 }
		next
	}
	# (test with "in" before reading have[]: reading creates the element)
	/^CONFIG_[A-Za-z0-9_]+=/ {
		split($0, a, "=")
		got = (a[1] in have) ? have[a[1]] : "not set"
		if (got != $0) print "  asked " $0 ", got " got
		next
	}
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ {
		if ($2 in have) print "  asked " $0 ", got " have[$2]
	}' "$key/build/.config" "$key/requested.config")
if [ -n "$missing" ]; then
	say "olddefconfig did not keep these requested options:"
	echo "$missing" >&2
	die "fix tests/vm/debug*.config (a dependency is missing or the option is gone)"
fi
say "config: every one of $(grep -cE '^(CONFIG_|# CONFIG_.* is not set)' \
	"$key/requested.config") requested lines is in $key/build/.config"
if [ "$config_only" = 1 ]; then
	echo "$key/build/.config"
	exit 0
fi

say "building $DEBUG_SOURCE $pv with $ccver, -j$jobs under nice -n 19" \
	"(load: $(cut -d' ' -f1-3 /proc/loadavg))"
if ! mk -j"$jobs" bzImage modules >"$key/build.log" 2>&1; then
	grep -E 'error|Error' "$key/build.log" | head -n 30 >&2
	die "kernel build failed (see $key/build.log)"
fi
kv=$(cat "$key/build/include/config/kernel.release")
mk -s INSTALL_MOD_PATH="$key/root" modules_install >>"$key/build.log" 2>&1 ||
	die "modules_install failed"
rm -f "$key/root/lib/modules/$kv/build" "$key/root/lib/modules/$kv/source"
in_cache_root depmod -b "$key/root" "$kv" || die "depmod failed"
[ -f "$key/root/lib/modules/$kv/modules.dep" ] || die "no modules.dep"
cp "$key/build/arch/x86/boot/bzImage" "$key/vmlinuz"
echo "$kv" >"$key/kver"
# the objects of the kernel itself are not needed to build modules against
# the tree: drop them, keep what modules_prepare made and Module.symvers
find "$key/build" -name '*.o' ! -path '*/scripts/*' ! -path '*/tools/*' -delete
rm -f "$key/build/vmlinux.a" "$key/build/vmlinux.o"
t=$((SECONDS - t0))
echo "$t" >"$key/build-seconds"
touch "$key/.done"
say "built $kv in $((t / 60)) min $((t % 60)) s (load now: $(cut -d' ' -f1-3 /proc/loadavg))"
[ -n "$moddir" ] && modbuild "$@" && exit 0
echo "$key"
