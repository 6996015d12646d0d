#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/vm/btvirt.sh [--unpatched]: print the path of a btvirt built from
# Debian's bluez source package of this machine's suite, with
# tests/vm/patches/btvirt-*.patch applied (--unpatched: the same build
# without them, to show what the patches change).
#
# Built once, then cached outside the clone in
# $BT6_BTVIRT_CACHE/btvirt-VERSION-HASH/btvirt (default
# /var/cache/bt6lowpan); VERSION is the installed bluez's source version
# (the guest's btmgmt and l2test come from it), HASH covers the patches and
# this script. A cached binary is used without any network access.
#
# The source comes from apt-get source with deb-src entries derived from the
# machine's own apt sources, in a private apt state directory: the machine's
# apt configuration and lists are not touched. Build dependencies (installed
# when missing and running as root): autoconf automake libtool (the Debian
# tarball has no configure script), libglib2.0-dev (src/eir.h, included by
# the emulator's shared code, wants glib.h), dpkg-dev (dpkg-source), patch.
# D-Bus is not needed: its pkg-config check is satisfied with empty flags.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${BT6_BTVIRT_CACHE:-/var/cache/bt6lowpan}
die() { echo "btvirt.sh: $*" >&2; exit 2; }
note() { echo "btvirt.sh: $*" >&2; }

patched=1
case ${1:-} in
"") ;;
--unpatched) patched=0 ;;
*) die "usage: $0 [--unpatched]" ;;
esac

patches=()
if [ $patched = 1 ]; then
	for p in "$VM_DIR"/patches/btvirt-*.patch; do
		[ -f "$p" ] && patches+=("$p")
	done
	[ ${#patches[@]} -gt 0 ] || die "no patches in $VM_DIR/patches"
fi

version=$(dpkg-query -W -f '${source:Version}' bluez 2>/dev/null) ||
	die "bluez is not installed (its version picks the source)"
hash=$(cat "${BASH_SOURCE[0]}" ${patches[@]+"${patches[@]}"} | sha256sum | cut -c1-12)
[ $patched = 1 ] || hash=unpatched-$hash
dest=$ROOT/btvirt-$version-$hash
if [ -x "$dest/btvirt" ]; then
	echo "$dest/btvirt"
	exit 0
fi

mkdir -p "$ROOT"
exec 9>"$ROOT/btvirt.lock"
flock 9
if [ -x "$dest/btvirt" ]; then # built by a concurrent run while we waited
	echo "$dest/btvirt"
	exit 0
fi
start=$(date +%s)

# build dependencies
pkgs=""
need() { # command-or-path package
	if [ "${1#/}" != "$1" ]; then [ -e "$1" ] || pkgs="$pkgs $2"
	else command -v "$1" >/dev/null 2>&1 || pkgs="$pkgs $2"; fi
}
need autoreconf autoconf
need automake automake
need libtoolize libtool
need dpkg-source dpkg-dev
need patch patch
need gcc gcc
need make make
need pkg-config pkg-config
need /usr/include/glib-2.0/glib.h libglib2.0-dev
if [ -n "$pkgs" ]; then
	[ "$(id -u)" = 0 ] || die "missing Debian packages:$pkgs (apt-get install$pkgs)"
	note "installing:$pkgs"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs \
		>"$ROOT/btvirt-apt-install.log" 2>&1 || {
		tail -n 20 "$ROOT/btvirt-apt-install.log" >&2
		die "apt-get install$pkgs failed"
	}
fi

# a private apt state with deb-src twins of the machine's deb entries
apt=$ROOT/apt
rm -rf "$apt"
mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial"
touch "$apt/none.list"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	# deb822: every stanza again, as deb-src (same URIs, suites, keys)
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt/sources.list.d/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >"$apt/sources.list.d/$(basename "$f")"
done
aptopt=(-o "Dir::Etc::SourceList=$apt/none.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
apt-get "${aptopt[@]}" update >"$apt/update.log" 2>&1 || {
	tail -n 20 "$apt/update.log" >&2
	die "apt-get update (deb-src, private state) failed"
}

work=$(mktemp -d "$ROOT/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${aptopt[@]}" source "bluez=$version") >"$work/source.log" 2>&1 || {
	tail -n 20 "$work/source.log" >&2
	die "apt-get source bluez=$version failed"
}
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'bluez-*' | head -n1)
[ -n "$src" ] || die "apt-get source unpacked nothing"

log=$work/build.log
for p in ${patches[@]+"${patches[@]}"}; do
	echo "== $(basename "$p")" >>"$log"
	patch -d "$src" -p1 --batch <"$p" >>"$log" 2>&1 || {
		cat "$log" >&2
		die "$(basename "$p") does not apply to bluez $version"
	}
done

# Only the emulator: everything with a dependency of its own is switched
# off; --enable-testing is what defines the emulator/btvirt target.
conf=(--enable-testing --disable-tools --disable-monitor --disable-client
	--disable-obex --disable-cups --disable-udev --disable-systemd --disable-manpages
	--disable-datafiles --disable-mesh --disable-midi --disable-a2dp --disable-avrcp
	--disable-network --disable-hid --disable-hog --disable-bap --disable-mcp --disable-vcp
	--with-dbusconfdir=/etc --with-dbussystembusdir=/usr/share/dbus-1/system-services
	--with-dbussessionbusdir=/usr/share/dbus-1/services DBUS_CFLAGS=" " DBUS_LIBS=" ")
(
	cd "$src"
	echo "== autoreconf" && autoreconf -fi &&
		echo "== configure ${conf[*]}" && ./configure "${conf[@]}" &&
		echo "== make emulator/btvirt" && make -j"$(nproc)" emulator/btvirt
) >>"$log" 2>&1 || {
	tail -n 30 "$log" >&2
	die "building btvirt failed (log above)"
}

rm -rf "$dest.new"
mkdir -p "$dest.new"
cp "$src/emulator/btvirt" "$dest.new/btvirt"
strip "$dest.new/btvirt" 2>/dev/null || true
cp "$log" "$dest.new/build.log"
for p in ${patches[@]+"${patches[@]}"}; do cp "$p" "$dest.new/"; done
rm -rf "$dest"
mv "$dest.new" "$dest"
rm -rf "$apt" # 20 MB of source indexes, fetched again by the next cold build
note "built $dest/btvirt (bluez $version, ${#patches[@]} patches) in $(($(date +%s) - start)) s"
echo "$dest/btvirt"
