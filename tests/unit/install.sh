#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/unit/install.sh: the decisions of tools/install.sh, on the host,
# without root and without touching the system: its functions are sourced
# (BT6_INSTALL_LIB=1) with files under a scratch BT6_ROOT and stub dkms and
# mokutil commands first on PATH. Closes with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { echo "PASS  install $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  install $1: $2"; failed=$((failed + 1)); }

# stubs: dkms prints $STUB_DKMS_STATUS for "status" and logs every call;
# mokutil answers from $STUB_SB and $STUB_TESTKEY
mkdir -p "$tmp/bin"
cat >"$tmp/bin/dkms" <<'EOF'
#!/bin/sh
echo "dkms $*" >>"$STUB_LOG"
[ "$1" = status ] && printf '%b' "${STUB_DKMS_STATUS:-}"
exit 0
EOF
cat >"$tmp/bin/mokutil" <<'EOF'
#!/bin/sh
case $1 in
--sb-state) echo "$STUB_SB" ;;
--test-key) echo "$2 $STUB_TESTKEY"; [ "$STUB_TESTKEY" = "is not enrolled" ] ;;
esac
EOF
# systemctl logs each call, and whether the unit file was there at the time
cat >"$tmp/bin/systemctl" <<'EOF'
#!/bin/sh
echo "systemctl $* unit=$([ -e "$STUB_UNIT" ] && echo present || echo absent)" >>"$STUB_LOG"
EOF
chmod +x "$tmp/bin/dkms" "$tmp/bin/mokutil" "$tmp/bin/systemctl"
export PATH="$tmp/bin:$PATH" STUB_LOG=$tmp/dkms.log

BT6_INSTALL_LIB=1
# shellcheck source=../../tools/install.sh
. "$top/tools/install.sh"
set +e
version_now=$version

fresh_root() { # os-release ID [ID_LIKE]: an empty system of that distribution
	root=$tmp/root.$RANDOM
	mkdir -p "$root/etc"
	printf 'ID=%s\nID_LIKE="%s"\n' "$1" "${2:-}" >"$root/etc/os-release"
	: >"$STUB_LOG"
}

expect() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want '$2', got '$3'"; fi
}

# distribution
fresh_root ubuntu debian
expect distro-ubuntu ubuntu "$(distro)"
fresh_root debian
expect distro-debian debian "$(distro)"
fresh_root linuxmint "ubuntu debian"
expect distro-ubuntu-like ubuntu "$(distro)"

# BUILD_EXCLUSIVE_KERNEL: every kernel of the build matrix, Ubuntu's
# (22.04: 5.15, 6.8; 24.04: 6.8 to 6.17; 26.04: 7.0) in; the rest out
. "$top/tests/matrix.env"
in="$(echo "$MATRIX" | awk 'NF == 4 { print $4 }') 5.15.0-130-generic
6.8.0-90-generic 6.17.0-8-generic 7.0.0-15-generic 6.18.44-fc-v669 7.3.0-rc5-amd64"
out="4.19.0-27-amd64 5.4.0-200-generic 5.9.16 5.1.0 7.4.1-amd64 7.30.0 8.0.0 10.1.0"
for k in $in; do
	if kernel_supported "$k"; then pass "build-exclusive-in $k"
	else fail "build-exclusive-in $k" "dkms.conf refuses a kernel we build on"; fi
done
for k in $out; do
	if kernel_supported "$k"; then fail "build-exclusive-out $k" "dkms.conf accepts it"
	else pass "build-exclusive-out $k"; fi
done

# linux-modules-extra on Ubuntu up to 6.14, when bluetooth.ko is missing
fresh_root ubuntu debian
mkdir -p "$root/lib/modules/6.8.0-90-generic/kernel/net" \
	"$root/lib/modules/6.17.0-8-generic/kernel/net" \
	"$root/lib/modules/6.14.0-37-generic/kernel/net/bluetooth"
touch "$root/lib/modules/6.14.0-37-generic/kernel/net/bluetooth/bluetooth.ko.zst"
got=$(modules_extra 6.8.0-90-generic 6.17.0-8-generic 6.14.0-37-generic 2>"$tmp/err")
expect modules-extra-ubuntu linux-modules-extra-6.8.0-90-generic "$got"
if grep -q 'linux-modules-extra-6.8.0-90-generic, which is not installed' "$tmp/err"; then
	pass modules-extra-says-so
else
	fail modules-extra-says-so "no message: $(cat "$tmp/err")"
fi
fresh_root debian
mkdir -p "$root/lib/modules/6.1.0-56-amd64/kernel"
expect modules-extra-debian "" "$(modules_extra 6.1.0-56-amd64 2>/dev/null)"

# an upgrade removes every older registered version, in both dkms formats
fresh_root debian
export STUB_DKMS_STATUS="bt6lowpan, 0.2.0, 5.10.0-46-amd64, x86_64: installed\n\
bt6lowpan/0.1.0, 6.1.0-56-amd64, x86_64: installed\nbt6lowpan/0.2.5: added\n\
bt6lowpan/$version_now, 6.1.0-56-amd64, x86_64: installed\n"
expect older-versions "0.1.0 0.2.0 0.2.5" "$(older_versions | tr '\n' ' ' | sed 's/ $//')"
mkdir -p "$root/usr/src/bt6lowpan-0.2.0" "$root/usr/src/bt6lowpan-$version_now"
: >"$STUB_LOG"
remove_older >/dev/null
want="dkms status -m bt6lowpan
dkms remove -m bt6lowpan -v 0.1.0 --all
dkms remove -m bt6lowpan -v 0.2.0 --all
dkms remove -m bt6lowpan -v 0.2.5 --all"
expect remove-older "$want" "$(cat "$STUB_LOG")"
if [ ! -e "$root/usr/src/bt6lowpan-0.2.0" ] && [ -e "$root/usr/src/bt6lowpan-$version_now" ]; then
	pass remove-older-sources
else
	fail remove-older-sources "old sources kept or the new ones removed"
fi
export STUB_DKMS_STATUS=""

# the key DKMS signs with
fresh_root ubuntu debian
expect mok-ubuntu /var/lib/shim-signed/mok/MOK.der "$(mok_cert)"
fresh_root debian
expect mok-debian /var/lib/dkms/mok.pub "$(mok_cert)"
mkdir -p "$root/etc/dkms"
echo 'mok_certificate="/etc/keys/mine.der"' >"$root/etc/dkms/framework.conf"
expect mok-framework-conf /etc/keys/mine.der "$(mok_cert)"

sb() { # NAME distro state testkey want-status want-text
	local out rc
	fresh_root "$2" "$([ "$2" = ubuntu ] && echo debian)"
	mkdir -p "$root/var/lib/shim-signed/mok" "$root/var/lib/dkms"
	touch "$root/var/lib/shim-signed/mok/MOK.der" "$root/var/lib/dkms/mok.pub"
	[ "$4" = nokey ] && rm -f "$root/var/lib/shim-signed/mok/MOK.der" "$root/var/lib/dkms/mok.pub"
	export STUB_SB=$3 STUB_TESTKEY=$4
	out=$(secure_boot 2>&1)
	rc=$?
	if [ "$rc" != "$5" ]; then
		fail "secure-boot-$1" "status $rc, want $5: $out"
	elif ! grep -qF -- "$6" <<<"$out"; then
		fail "secure-boot-$1" "no '$6' in: $out"
	else
		pass "secure-boot-$1"
	fi
}
sb off debian "SecureBoot disabled" - 0 "Secure Boot is off"
sb no-efi debian "EFI variables are not supported on this system" - 0 ""
sb ubuntu-not-enrolled ubuntu "SecureBoot enabled" "is not enrolled" 1 \
	"Next step: sudo update-secureboot-policy --enroll-key (or: sudo mokutil --import /var/lib/shim-signed/mok/MOK.der)"
sb debian-not-enrolled debian "SecureBoot enabled" "is not enrolled" 1 \
	"Next step: sudo mokutil --import /var/lib/dkms/mok.pub"
sb enrolled ubuntu "SecureBoot enabled" "is already enrolled" 0 \
	"signed the module with /var/lib/shim-signed/mok/MOK.der, which is enrolled"
sb pending debian "SecureBoot enabled" "is already in the enrollment request" 1 \
	"Next step: reboot"
sb no-key debian "SecureBoot enabled" nokey 1 "no signing key at /var/lib/dkms/mok.pub"

# the loaded module is the new version
fresh_root debian
mkdir -p "$root/sys/module/bluetooth_6lowpan"
echo "$version_now" >"$root/sys/module/bluetooth_6lowpan/version"
if check_loaded >/dev/null 2>&1; then pass loaded-new; else fail loaded-new "refused $version_now"; fi
echo 0.2.0 >"$root/sys/module/bluetooth_6lowpan/version"
if out=$(check_loaded 2>&1); then
	fail loaded-old "accepted 0.2.0 as $version_now"
elif grep -q "version 0.2.0, not $version_now" <<<"$out"; then
	pass loaded-old
else
	fail loaded-old "message: $out"
fi
rm -rf "$root/sys/module/bluetooth_6lowpan"
if check_loaded >/dev/null 2>&1; then fail not-loaded "said loaded"; else pass not-loaded; fi

# the boot files: make install puts each where systemd, modules-load and
# modprobe read it, leaves an administrator's edited copy alone, and
# uninstall removes exactly what it put there
boot="usr/local/lib/systemd/system/bt6lowpan.service:tools/systemd/bt6lowpan.service
usr/local/lib/modules-load.d/bt6lowpan.conf:tools/modules-load.d/bt6lowpan.conf
etc/modprobe.d/bt6lowpan.conf:tools/modprobe.d/bt6lowpan.conf
etc/default/bt6lowpan:tools/default/bt6lowpan"
fresh_root debian
export STUB_UNIT=$root/usr/local/lib/systemd/system/bt6lowpan.service
mkdir -p "$root/run/systemd/system"
out=$(install_boot_files 2>&1)
for b in $boot; do
	if cmp -s "$top/${b#*:}" "$root/${b%%:*}"; then pass "boot-install /${b%%:*}"
	else fail "boot-install /${b%%:*}" "not installed from ${b#*:}"; fi
done
expect boot-install-reload "systemctl daemon-reload unit=present" "$(cat "$STUB_LOG")"
if grep -q 'systemctl enable --now bt6lowpan' <<<"$out"; then pass boot-install-says-enable
else fail boot-install-says-enable "no enable hint in: $out"; fi
# again, with the administrator's modprobe.d edited: kept, and said so
echo "options bluetooth_6lowpan enable=1" >"$root/etc/modprobe.d/bt6lowpan.conf"
echo "stale" >"$STUB_UNIT"
out=$(install_boot_files 2>&1)
expect boot-install-keeps-admin "options bluetooth_6lowpan enable=1" \
	"$(cat "$root/etc/modprobe.d/bt6lowpan.conf")"
if grep -q '/etc/modprobe.d/bt6lowpan.conf is there and differs' <<<"$out"; then
	pass boot-install-says-kept
else
	fail boot-install-says-kept "no message: $out"
fi
if cmp -s "$top/tools/systemd/bt6lowpan.service" "$STUB_UNIT"; then pass boot-install-replaces-ours
else fail boot-install-replaces-ours "an old unit file was kept"; fi
# uninstall: the unit disabled while its file is there, our files and the
# unchanged admin file removed, the edited one kept
: >"$STUB_LOG"
out=$(uninstall_boot_files 2>&1)
expect boot-uninstall-systemctl "systemctl disable --quiet bt6lowpan.service unit=present
systemctl daemon-reload unit=absent" "$(cat "$STUB_LOG")"
for b in $boot; do
	case $b in
	etc/modprobe.d/*)
		if [ -e "$root/${b%%:*}" ]; then pass "boot-uninstall-keeps /${b%%:*}"
		else fail "boot-uninstall-keeps /${b%%:*}" "the administrator's edited file was removed"; fi ;;
	*)
		if [ -e "$root/${b%%:*}" ]; then fail "boot-uninstall /${b%%:*}" "still there"
		else pass "boot-uninstall /${b%%:*}"; fi ;;
	esac
done
if grep -q '/etc/modprobe.d/bt6lowpan.conf was changed: kept' <<<"$out"; then
	pass boot-uninstall-says-kept
else
	fail boot-uninstall-says-kept "no message: $out"
fi
# no systemd running: no daemon-reload
fresh_root debian
export STUB_UNIT=$root/usr/local/lib/systemd/system/bt6lowpan.service
install_boot_files >/dev/null 2>&1
expect boot-no-systemd "" "$(cat "$STUB_LOG")"

# The unit: what it runs, and its stop command run as systemd would ($$ is
# a $), with a stub modprobe: keep does nothing, unload unloads, anything
# else fails with a message
unit=$top/tools/systemd/bt6lowpan.service
key() { sed -n "s/^$1=//p" "$unit" | tr '\n' '|'; }
expect unit-condition "/etc/bt6lowpan.conf|" "$(key ConditionPathExists)"
expect unit-after "bluetooth.service|" "$(key After)"
expect unit-wants "bluetooth.service|" "$(key Wants)"
expect unit-type "oneshot|" "$(key Type)"
expect unit-remain "yes|" "$(key RemainAfterExit)"
expect unit-start-pre "modprobe bluetooth_6lowpan|" "$(key ExecStartPre)"
expect unit-start "bt6ctl apply --wait 30 /etc/bt6lowpan.conf|" "$(key ExecStart)"
expect unit-reload "bt6ctl apply /etc/bt6lowpan.conf|" "$(key ExecReload)"
expect unit-wantedby "multi-user.target|" "$(key WantedBy)"
expect unit-stop-default "BT6LOWPAN_ON_STOP=keep|" "$(key Environment)"
expect unit-env-file "-/etc/default/bt6lowpan|" "$(key EnvironmentFile)"
stop=$(sed -n "s|^ExecStop=/bin/sh -c '\(.*\)'\$|\1|p" "$unit" | sed 's/\$\$/$/g')
cat >"$tmp/bin/modprobe" <<'EOF'
#!/bin/sh
echo "modprobe $*" >>"$STUB_LOG"
EOF
chmod +x "$tmp/bin/modprobe"
stop_with() { # VALUE: prints the status, the calls and what it said
	local o rc
	: >"$STUB_LOG"
	o=$(BT6LOWPAN_ON_STOP=$1 sh -c "$stop" 2>&1)
	rc=$?
	echo "$rc|$(cat "$STUB_LOG")|$o"
}
if [ -z "$stop" ]; then
	fail unit-stop "no ExecStop=/bin/sh -c '...' in $unit"
else
	expect unit-stop-keep "0||" "$(stop_with keep)"
	expect unit-stop-unload "0|modprobe -r bluetooth_6lowpan|" "$(stop_with unload)"
	expect unit-stop-bad "1||BT6LOWPAN_ON_STOP=down: want keep or unload" "$(stop_with down)"
fi
# the default file names the variable and both values, all commented
if grep -q '^#BT6LOWPAN_ON_STOP=keep$' "$top/tools/default/bt6lowpan" &&
	grep -q 'unload' "$top/tools/default/bt6lowpan" &&
	! grep -qv '^#' "$top/tools/default/bt6lowpan"; then
	pass default-file
else
	fail default-file "tools/default/bt6lowpan: not all commented, or no BT6LOWPAN_ON_STOP=keep and unload"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
