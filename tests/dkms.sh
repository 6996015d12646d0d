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
for kv in $kvers; do
	f=$(modinfo -k "$kv" -n bluetooth_6lowpan 2>&1)
	case $f in
	*/updates/dkms/*) ok "$kv: modinfo finds ours ($f)" ;;
	*) bad "$kv: modinfo finds $f, not updates/dkms" ;;
	esac
done
if "$top/tools/install.sh" uninstall >"$log" 2>&1; then
	ok "remove"
else
	bad "remove: $(tail -n 3 "$log" | tr '\n' ' ')"
fi
for kv in $kvers; do
	f=$(modinfo -k "$kv" -n bluetooth_6lowpan 2>&1)
	case $f in
	*/kernel/net/bluetooth/*) ok "$kv: in-tree module restored" ;;
	*) bad "$kv: after remove modinfo finds $f" ;;
	esac
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
