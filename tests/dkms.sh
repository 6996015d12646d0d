#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/dkms.sh: the DKMS round trip for every bench kernel: install makes
# ours shadow the in-tree module, remove restores the in-tree one.
# Closes with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/vm/kernels.env"
passed=0 failed=0
ok() { echo "PASS  dkms $*"; passed=$((passed + 1)); }
bad() { echo "FAIL  dkms $*"; failed=$((failed + 1)); }
kvers="$KVER_6_1 $KVER_6_12"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

command -v dkms >/dev/null || {
	echo "dkms is not installed (apt-get install dkms)"
	echo "0 passed, 1 failed"
	exit 1
}
if "$top/tools/install.sh" install $kvers >"$log" 2>&1; then
	ok "install for $kvers"
else
	bad "install: $(tail -n 3 "$log" | tr '\n' ' ')"
fi
if [ -x /usr/local/sbin/bt6ctl ] && /usr/local/sbin/bt6ctl --help >/dev/null 2>&1 &&
	[ -f /usr/local/share/man/man8/bt6ctl.8 ]; then
	ok "install put bt6ctl and bt6ctl(8) in place"
else
	bad "bt6ctl or its man page not installed"
fi
# the boot files, where systemd, systemd-modules-load and modprobe read them
boot="/usr/local/lib/systemd/system/bt6lowpan.service /usr/local/lib/modules-load.d/bt6lowpan.conf
/etc/modprobe.d/bt6lowpan.conf /etc/default/bt6lowpan"
missing=""
for f in $boot; do [ -f "$f" ] || missing="$missing $f"; done
if [ -z "$missing" ]; then
	ok "install put bt6lowpan.service, modules-load.d, modprobe.d and default files in place"
else
	bad "boot files not installed:$missing"
fi
for kv in $kvers; do
	f=$(modinfo -k "$kv" -n bluetooth_6lowpan 2>&1)
	case $f in
	*/updates/dkms/*) ok "$kv: modinfo finds ours ($f)" ;;
	*) bad "$kv: modinfo finds $f, not updates/dkms" ;;
	esac
done
# What remove must undo, seen before it runs: DKMS knows the module as
# installed for every kernel, its .ko is in updates/dkms, its sources are in
# /usr/src. The remove check passes only when each of these is gone after,
# so it can fail, whatever the uninstall script's exit status.
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$top/dkms.conf")
installed() { # KVER: DKMS lists bt6lowpan as installed for KVER
	dkms status -m bt6lowpan -v "$version" -k "$1" 2>/dev/null | grep -q ': installed'
}
dkms_ko() { # KVER: our .ko files in that kernel's updates/dkms
	find "/lib/modules/$1/updates/dkms" -name 'bluetooth_6lowpan.ko*' 2>/dev/null
}
for kv in $kvers; do
	if installed "$kv" && [ -n "$(dkms_ko "$kv")" ]; then
		ok "$kv: before remove, DKMS lists it installed and its .ko is in updates/dkms"
	else
		bad "$kv: before remove: DKMS status '$(dkms status -m bt6lowpan 2>&1 | tr '\n' ' ')', .ko '$(dkms_ko "$kv")'"
	fi
done
[ -d "/usr/src/bt6lowpan-$version" ] || bad "before remove: no /usr/src/bt6lowpan-$version"
# The .ko DKMS built is the one a guest runs: basic boots with it (not a
# build of its own), and the module file the guest loaded is that file,
# byte for byte (its MD5; the srcversion alone is the same for every build
# of these sources).
. "$top/tests/vm/common.sh"
for k in 6.1 6.12; do
	kv=$(kver "$k")
	ko=$(dkms_ko "$kv" | head -n1)
	want=""
	[ -z "$ko" ] || want=$(ko_cat "$ko" | md5sum | cut -c1-32)
	if [ -z "$want" ]; then
		bad "$kv: no .ko from DKMS to boot"
		continue
	fi
	BT6_KO=$ko "$top/tests/vm/run" -q -m ours -k "$k" -s '^basic$' -c sysfs >"$log" 2>&1
	rc=$?
	res=$(sed -n 's/^results: //p' "$log")
	got=$(grep -ho 'loaded [0-9a-f]\{32\}' "$res"/*/results.log 2>/dev/null | sort -u | tr '\n' ' ')
	if [ $rc -eq 0 ] && [ "$got" = "loaded $want " ]; then
		ok "$kv: a guest loaded DKMS's own .ko ($(basename "$ko"), MD5 $want) and basic passed"
	elif [ $rc -eq 0 ]; then
		bad "$kv: basic passed, but the guest loaded '$got', not DKMS's .ko (MD5 $want)"
	else
		why=$(grep -E '^FAIL|passed' "$log" | head -n 3 | tr '\n' ' ')
		[ -n "$why" ] || why="no result; it ended with: $(grep -v '^ *$' "$log" | tail -n 2 | tr '\n' ' ')"
		bad "$kv: basic with DKMS's .ko: $why"
	fi
done
"$top/tools/install.sh" uninstall >"$log" 2>&1
rc=$?
left=""
[ $rc -eq 0 ] || left="$left uninstall exited $rc;"
# (dkms status prints nothing on stdout for a module whose sources are
# gone, so its tree is looked at too)
st=$(dkms status -m bt6lowpan 2>&1)
[ -z "$st" ] || left="$left DKMS still says '$(echo "$st" | tr '\n' ' ')';"
tree=${DKMS_TREE:-/var/lib/dkms}
[ ! -e "$tree/bt6lowpan" ] || left="$left $tree/bt6lowpan left ($(cd "$tree/bt6lowpan" && find . -mindepth 2 -maxdepth 2 | tr '\n' ' '));"
for kv in $kvers; do
	[ -z "$(dkms_ko "$kv")" ] || left="$left $(dkms_ko "$kv" | tr '\n' ' ') left;"
done
[ ! -e "/usr/src/bt6lowpan-$version" ] || left="$left /usr/src/bt6lowpan-$version left;"
[ ! -e /usr/local/sbin/bt6ctl ] || left="$left /usr/local/sbin/bt6ctl left;"
for f in $boot; do [ ! -e "$f" ] || left="$left $f left;"; done
if [ -z "$left" ]; then
	ok "remove: DKMS knows nothing of it, no .ko in updates/dkms, sources, bt6ctl and boot files gone"
else
	bad "remove:$left $(tail -n 3 "$log" | tr '\n' ' ')"
fi
for kv in $kvers; do
	f=$(modinfo -k "$kv" -n bluetooth_6lowpan 2>&1)
	case $f in
	*/kernel/net/bluetooth/*)
		if [ -e "$f" ]; then
			ok "$kv: in-tree module restored ($f)"
		else
			bad "$kv: modinfo names $f, which does not exist"
		fi
		;;
	*) bad "$kv: after remove modinfo finds $f" ;;
	esac
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
