#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/install.sh install|uninstall [KVER...]: register bt6lowpan with DKMS
# (build and install for each KVER, default the running kernel), then load it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=bt6lowpan
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$version
action=${1:-}
shift || true
kvers=${*:-$(uname -r)}

die() { echo "install: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root: sudo make $action"

case $action in
install)
	pkgs=""
	command -v dkms >/dev/null || pkgs="$pkgs dkms"
	command -v make >/dev/null || pkgs="$pkgs make"
	command -v gcc >/dev/null || pkgs="$pkgs gcc"
	command -v pkg-config >/dev/null || pkgs="$pkgs pkg-config"
	[ -e /usr/include/libnl3/netlink/genl/genl.h ] || pkgs="$pkgs libnl-genl-3-dev"
	[ -e /usr/include/bluetooth/bluetooth.h ] || pkgs="$pkgs libbluetooth-dev"
	for kv in $kvers; do
		[ -d "/lib/modules/$kv/build" ] || pkgs="$pkgs linux-headers-$kv"
	done
	if [ -n "$pkgs" ]; then
		echo "install: installing build dependencies:$pkgs"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs
	fi
	# a fresh copy of the sources where DKMS expects them
	if dkms status -m "$name" -v "$version" 2>/dev/null | grep -q .; then
		dkms remove -m "$name" -v "$version" --all >/dev/null 2>&1 || true
	fi
	rm -rf "$src"
	mkdir -p "$src"
	cp -a "$top/dkms.conf" "$top/Kbuild" "$top/module" "$src/"
	dkms add -m "$name" -v "$version"
	for kv in $kvers; do
		dkms build -m "$name" -v "$version" -k "$kv"
		dkms install -m "$name" -v "$version" -k "$kv" --force
		echo "install: $(modinfo -k "$kv" -n bluetooth_6lowpan) is now bluetooth_6lowpan for $kv"
	done
	make -s -C "$top/tools/bt6ctl" install
	echo "install: bt6ctl installed ($(command -v bt6ctl || echo /usr/local/sbin/bt6ctl))"
	if [ "$kvers" = "$(uname -r)" ] && [ -d /sys/module/bluetooth ]; then
		modprobe -r bluetooth_6lowpan 2>/dev/null || true
		if modprobe bluetooth_6lowpan; then
			echo "install: loaded; control it under /sys/kernel/bluetooth_6lowpan/"
		else
			echo "install: could not load the module. Under Secure Boot, sign it with" \
				"your enrolled MOK (see README.md, Secure Boot)." >&2
			exit 1
		fi
	fi
	;;
uninstall)
	modprobe -r bluetooth_6lowpan 2>/dev/null || true
	dkms remove -m "$name" -v "$version" --all || true
	rm -rf "$src"
	make -s -C "$top/tools/bt6ctl" uninstall || true
	echo "install: removed; the kernel's own bluetooth_6lowpan is back"
	;;
*)
	die "usage: install.sh install|uninstall [KVER...]"
	;;
esac
