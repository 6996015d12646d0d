#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/install.sh install|uninstall [KVER...]: register bt6lowpan with DKMS
# (build and install for each KVER, default the running kernel), then load it.
#
# install: build dependencies (on Ubuntu with kernels up to 6.14 also
# linux-modules-extra-KVER, where Ubuntu keeps bluetooth.ko), every older
# registered version of bt6lowpan removed, dkms add/build/install, the new
# module loaded and its version checked; under Secure Boot it says whether
# the key DKMS signs with is enrolled and, if not, the exact next step;
# bt6ctl and the boot files (bt6lowpan.service, modules-load.d, modprobe.d
# example, /etc/default/bt6lowpan). uninstall removes all of it again.
#
# Sourced with BT6_INSTALL_LIB=1 it only defines its functions (the unit
# tests do that, with stub commands on PATH). For the tests, BT6_ROOT
# prefixes the files it reads (os-release, /lib/modules, /sys/module,
# dkms's framework.conf, the key files) and the boot files it writes.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=bt6lowpan
module=bluetooth_6lowpan
root=${BT6_ROOT:-}
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$version

say() { echo "install: $*"; }
die() { echo "install: $*" >&2; exit 1; }

distro() { # ubuntu, debian or what os-release says
	local id="" like=""
	if [ -r "$root/etc/os-release" ]; then
		id=$(. "$root/etc/os-release" && echo "${ID:-}")
		like=$(. "$root/etc/os-release" && echo "${ID_LIKE:-}")
	fi
	case " $id $like " in
	*" ubuntu "*) echo ubuntu ;;
	*" debian "*) [ "$id" = debian ] && echo debian || echo "$id" ;;
	*) echo "${id:-unknown}" ;;
	esac
}

kver_at_most() { # KVER MAJOR MINOR: true when KVER's major.minor <= MAJOR.MINOR
	local maj min
	maj=${1%%.*}
	min=${1#*.}
	min=${min%%[!0-9]*}
	case $maj$min in *[!0-9]* | "") return 1 ;; esac
	[ "$maj" -lt "$2" ] || { [ "$maj" -eq "$2" ] && [ "$min" -le "$3" ]; }
}

# The kernels dkms.conf accepts: BUILD_EXCLUSIVE_KERNEL, a bash regex
kernel_supported() { # KVER
	local re
	re=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' "$top/dkms.conf")
	[ -z "$re" ] || [[ $1 =~ $re ]]
}

has_bluetooth_ko() { # KVER: the kernel's bluetooth.ko is on disk
	find "$root/lib/modules/$1" -name 'bluetooth.ko*' -print -quit 2>/dev/null | grep -q .
}

# Ubuntu ships bluetooth.ko (and the in-tree bluetooth_6lowpan.ko) in
# linux-modules-extra-KVER up to 6.14; server and cloud images often lack
# it, and without bluetooth.ko our module cannot load. Prints the packages.
modules_extra() { # KVER...
	local kv
	[ "$(distro)" = ubuntu ] || return 0
	for kv in "$@"; do
		kver_at_most "$kv" 6 14 || continue
		[ -d "$root/lib/modules/$kv" ] || continue
		has_bluetooth_ko "$kv" && continue
		say "Ubuntu keeps bluetooth.ko for $kv in linux-modules-extra-$kv," \
			"which is not installed: installing it" >&2
		echo "linux-modules-extra-$kv"
	done
}

# Versions of bt6lowpan registered with DKMS other than this one, from
# `dkms status -m bt6lowpan` in the formats of dkms 2 ("bt6lowpan, 0.2.0,
# KVER, x86_64: installed") and dkms 3 ("bt6lowpan/0.2.0, KVER, ...",
# "bt6lowpan/0.2.0: added").
older_versions() {
	dkms status -m "$name" 2>/dev/null |
		sed -n "s|^$name[/,] *\([^,:]*\)[,:].*|\1|p" | sort -u |
		grep -vxF "$version" || true
}

remove_older() {
	local v
	for v in $(older_versions); do
		say "removing bt6lowpan $v, registered with DKMS before"
		dkms remove -m "$name" -v "$v" --all >/dev/null 2>&1 ||
			say "dkms remove -m $name -v $v --all failed; continuing"
		rm -rf "$root/usr/src/$name-$v"
	done
}

# The certificate DKMS signs modules with: dkms's framework.conf when it
# names one, else where each distribution's dkms keeps it (Ubuntu: the
# shim-signed MOK, Debian: dkms's own, made on its first build).
mok_cert() {
	local f c=""
	for f in "$root/etc/dkms/framework.conf" "$root"/etc/dkms/framework.conf.d/*.conf; do
		[ -r "$f" ] || continue
		c=$(sed -n 's/^[[:space:]]*mok_certificate=["'\'']*\([^"'\'']*\).*/\1/p' "$f" |
			tail -n 1)
		[ -n "$c" ] && break
	done
	if [ -n "$c" ]; then
		echo "$c"
	elif [ "$(distro)" = ubuntu ]; then
		echo /var/lib/shim-signed/mok/MOK.der
	else
		echo /var/lib/dkms/mok.pub
	fi
}

# Secure Boot state and, when it is on, whether the key is enrolled.
# Prints what to do; returns 0 when the module can load, 1 when it cannot
# until the key is enrolled.
secure_boot() {
	local state cert out
	if ! command -v mokutil >/dev/null; then
		if [ -d "$root/sys/firmware/efi" ]; then
			say "mokutil is not installed: cannot tell whether Secure Boot is on" \
				"(apt-get install mokutil; mokutil --sb-state)"
		fi
		return 0
	fi
	state=$(mokutil --sb-state 2>&1 || true)
	case $state in
	*"SecureBoot enabled"*) ;;
	*"SecureBoot disabled"*)
		say "Secure Boot is off: the module loads unsigned"
		return 0
		;;
	*)
		return 0 # no EFI, or mokutil cannot read the variables
		;;
	esac
	cert=$(mok_cert)
	if [ ! -e "$root$cert" ]; then
		say "Secure Boot is on, but there is no signing key at $cert: DKMS did not" \
			"sign the module. Check the dkms build log (sign_tool, mok_certificate" \
			"in /etc/dkms/framework.conf)."
		return 1
	fi
	out=$(mokutil --test-key "$root$cert" 2>&1 || true)
	case $out in
	*"is already enrolled"*)
		say "Secure Boot is on; DKMS signed the module with $cert, which is enrolled"
		return 0
		;;
	*"enrollment request"*)
		say "Secure Boot is on; $cert is queued for enrollment."
		say "Next step: reboot, and in the blue MOK manager choose Enroll MOK," \
			"Continue, Yes, and type the password you chose."
		return 1
		;;
	esac
	say "Secure Boot is on and the key DKMS signed the module with ($cert) is not" \
		"enrolled, so the kernel refuses the module."
	if [ "$(distro)" = ubuntu ]; then
		say "Next step: sudo update-secureboot-policy --enroll-key" \
			"(or: sudo mokutil --import $cert), choose a one-time password,"
	else
		say "Next step: sudo mokutil --import $cert, choose a one-time password,"
	fi
	say "then reboot; in the blue MOK manager choose Enroll MOK, Continue, Yes," \
		"and type that password. Then run sudo make install again."
	return 1
}

# The module now in the kernel is this version (a module that was in use
# stays loaded, the old one, after modprobe -r fails).
check_loaded() {
	local f=$root/sys/module/$module/version v
	if [ ! -r "$f" ]; then
		say "$module is not loaded" >&2
		return 1
	fi
	v=$(cat "$f")
	if [ "$v" != "$version" ]; then
		say "the loaded $module is version $v, not $version: the old one is still" \
			"in use. Stop what uses it (lsmod | grep $module), then" \
			"sudo modprobe -r $module && sudo modprobe $module, or reboot." >&2
		return 1
	fi
	say "loaded $module $v; control it under /sys/kernel/$module/ or with bt6ctl"
}

# The boot files, as `make install` places them: SOURCE DEST KIND. "ours"
# are replaced by every install and removed by uninstall; "admin" files
# are the administrator's to edit (the commented modprobe.d example,
# /etc/default/bt6lowpan): installed only when absent, removed only when
# unchanged. The packages put the same files in /lib/systemd/system,
# /usr/lib/modules-load.d, /etc/modprobe.d and /etc/default.
boot_files() {
	cat <<EOT
tools/systemd/bt6lowpan.service /usr/local/lib/systemd/system/bt6lowpan.service ours
tools/modules-load.d/bt6lowpan.conf /usr/local/lib/modules-load.d/bt6lowpan.conf ours
tools/modprobe.d/bt6lowpan.conf /etc/modprobe.d/bt6lowpan.conf admin
tools/default/bt6lowpan /etc/default/bt6lowpan admin
EOT
}

systemd_reload() { # when systemd runs, it reads the changed unit files
	[ -d "$root/run/systemd/system" ] && command -v systemctl >/dev/null || return 0
	systemctl daemon-reload || say "systemctl daemon-reload failed"
}

install_boot_files() {
	local from to kind
	while read -r from to kind; do
		if [ "$kind" = admin ] && [ -e "$root$to" ]; then
			cmp -s "$top/$from" "$root$to" ||
				say "$to is there and differs from $from: kept as it is"
			continue
		fi
		install -D -m 0644 "$top/$from" "$root$to"
	done < <(boot_files)
	systemd_reload
	say "bt6lowpan.service installed; to apply /etc/bt6lowpan.conf at every boot:" \
		"systemctl enable --now bt6lowpan"
}

uninstall_boot_files() {
	local from to kind
	# disabled while its unit file is there ([Install] says what to undo)
	if [ -e "$root/usr/local/lib/systemd/system/bt6lowpan.service" ] &&
		command -v systemctl >/dev/null; then
		systemctl disable --quiet bt6lowpan.service 2>/dev/null || true
	fi
	while read -r from to kind; do
		[ -e "$root$to" ] || continue
		if [ "$kind" = admin ] && ! cmp -s "$top/$from" "$root$to"; then
			say "$to was changed: kept (remove it by hand if it is no longer wanted)"
			continue
		fi
		rm -f "$root$to"
	done < <(boot_files)
	systemd_reload
}

do_install() { # KVER...
	local pkgs="" kv kvers="" skipped=0 extra
	command -v dkms >/dev/null || pkgs="$pkgs dkms"
	command -v make >/dev/null || pkgs="$pkgs make"
	command -v gcc >/dev/null || pkgs="$pkgs gcc"
	command -v pkg-config >/dev/null || pkgs="$pkgs pkg-config"
	[ -e /usr/include/libnl3/netlink/genl/genl.h ] || pkgs="$pkgs libnl-genl-3-dev"
	[ -e /usr/include/bluetooth/bluetooth.h ] || pkgs="$pkgs libbluetooth-dev"
	for kv in "$@"; do
		if ! kernel_supported "$kv"; then
			say "$kv is not a kernel bt6lowpan builds on (BUILD_EXCLUSIVE_KERNEL" \
				"in dkms.conf: 5.10 to 7.3): skipped"
			skipped=1
			continue
		fi
		kvers="$kvers $kv"
		[ -d "/lib/modules/$kv/build" ] || pkgs="$pkgs linux-headers-$kv"
	done
	[ -n "$kvers" ] || die "no kernel to build for"
	extra=$(modules_extra $kvers)
	pkgs="$pkgs${extra:+ $(echo $extra)}"
	if [ -n "$pkgs" ]; then
		say "installing build dependencies:$pkgs"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs
	fi
	remove_older
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
		say "$(modinfo -k "$kv" -n $module) is now $module for $kv"
	done
	make -s -C "$top/tools/bt6ctl" install
	say "bt6ctl installed ($(command -v bt6ctl || echo /usr/local/sbin/bt6ctl))"
	install_boot_files
	if [[ " $kvers " == *" $(uname -r) "* ]]; then
		secure_boot || exit 2
		if [ -d /sys/module/bluetooth ] || modprobe bluetooth 2>/dev/null; then
			modprobe -r $module 2>/dev/null || true
			modprobe $module || die "could not load $module (dmesg says why)"
			check_loaded || exit 1
		fi
	fi
	[ $skipped = 0 ] || exit 3
}

do_uninstall() {
	local v
	modprobe -r $module 2>/dev/null || true
	for v in $(dkms status -m "$name" 2>/dev/null |
		sed -n "s|^$name[/,] *\([^,:]*\)[,:].*|\1|p" | sort -u); do
		dkms remove -m "$name" -v "$v" --all || true
		rm -rf "/usr/src/$name-$v"
	done
	rm -rf "$src"
	uninstall_boot_files
	make -s -C "$top/tools/bt6ctl" uninstall || true
	say "removed; the kernel's own $module is back"
}

[ -n "${BT6_INSTALL_LIB:-}" ] && return 0

action=${1:-}
shift || true
[ $# -gt 0 ] || set -- "$(uname -r)"
[ "$(id -u)" = 0 ] || die "run as root: sudo make $action"
case $action in
install) do_install "$@" ;;
uninstall) do_uninstall ;;
*) die "usage: install.sh install|uninstall [KVER...]" ;;
esac
