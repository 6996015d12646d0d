#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/deb.sh: the Debian packages. `make deb`'s build (packaging/build.sh)
# on the host, lintian on its .changes (every tag, info and pedantic
# included, is a failure unless a lintian-overrides file justifies it),
# then both packages installed into a throw-away copy of the bookworm
# chroot of the build matrix (which has the 6.1 and 6.12 headers): an
# overlay on /var/cache/bt6lowpan/matrix/bookworm, so the cached chroot
# stays as it was. There DKMS must have built and installed the module for
# every kernel with headers, and the unit, modules-load.d, modprobe.d,
# /etc/default, bt6ctl, its man page and completion must be in place; then
# `apt-get purge` of both, after which no file the packages brought may be
# left and DKMS may know nothing of bt6lowpan. Closes with
# "N passed, N failed".
#
# Needs root, lintian, debhelper and dh-dkms on the host (tests/deps.sh),
# overlayfs. The chroot comes from `tests/matrix.sh -p 6.1` (made on the
# first run); the .debs apt downloads into it (dkms, systemd, man-db and
# the libraries bt6ctl links with) are kept in BT6_DEB_CACHE (default
# /var/cache/bt6lowpan/deb), so a second run downloads nothing.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BT6_MATRIX_CACHE:-/var/cache/bt6lowpan/matrix}
debcache=${BT6_DEB_CACHE:-/var/cache/bt6lowpan/deb}
passed=0 failed=0
start=$SECONDS
pass() { echo "PASS  deb $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  deb $1: $2"; failed=$((failed + 1)); }
say() { echo "deb: $*"; }
check() { # NAME WHY command...: PASS when the command succeeds
	local name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

. "$top/tests/chroot.sh"
work=""
cleanup() {
	chroot_release
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
finish() {
	say "took $((SECONDS - start)) s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	fail setup "needs root (chroot, overlay mount)"
	finish
fi
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$top/dkms.conf")
work=$(mktemp -d /var/tmp/bt6-deb.XXXXXX)

# -- build and lintian, on the host
t0=$SECONDS
if ! "$top/packaging/build.sh" "$work/out" >"$work/debs" 2>"$work/build.err"; then
	fail build "packaging/build.sh failed: $(tail -n 20 "$work/build.err")"
	finish
fi
dkms_deb=$(grep '/bt6lowpan-dkms_.*_all\.deb$' "$work/debs")
ctl_deb=$(grep '/bt6ctl_.*\.deb$' "$work/debs")
if [ -f "$dkms_deb" ] && [ -f "$ctl_deb" ]; then
	pass build
else
	fail build "no bt6lowpan-dkms _all.deb and bt6ctl .deb in: $(cat "$work/debs")"
	finish
fi
say "built in $((SECONDS - t0)) s"
check arch-all "bt6lowpan-dkms is not Architecture: all" \
	test "$(dpkg-deb -f "$dkms_deb" Architecture)" = all
check arch-any "bt6ctl is Architecture: $(dpkg-deb -f "$ctl_deb" Architecture)" \
	test "$(dpkg-deb -f "$ctl_deb" Architecture)" = "$(dpkg --print-architecture)"
check version "versions $(dpkg-deb -f "$dkms_deb" Version) $(dpkg-deb -f "$ctl_deb" Version), dkms.conf $version" \
	test "$(dpkg-deb -f "$dkms_deb" Version) $(dpkg-deb -f "$ctl_deb" Version)" = "$version $version"
if ! command -v lintian >/dev/null; then
	fail lintian "lintian is not installed (apt-get install lintian)"
else
	lintian --display-info --display-experimental --pedantic \
		--fail-on error,warning,info,pedantic,experimental \
		"$work/out"/bt6lowpan_"$version"_*.changes >"$work/lintian" 2>&1
	rc=$?
	grep -v 'running with root privileges' "$work/lintian" >"$work/lintian.tags"
	if [ $rc = 0 ] && ! grep -q '^[EWIPX]: ' "$work/lintian.tags"; then
		pass lintian
	else
		fail lintian "status $rc: $(cat "$work/lintian.tags")"
	fi
fi

# -- a copy of the bookworm chroot, with what the packages depend on
if ! tests_root=$("$top/tests/matrix.sh" -p 6.1 2>"$work/matrix.err"); then
	fail chroot "tests/matrix.sh -p 6.1: $(tail -n 10 "$work/matrix.err")"
	finish
fi
read -r lower kver <<<"$tests_root"
# the matrix changes its chroots under this lock: none while ours is mounted
exec 9>"$cache/.lock"
flock 9
apt_log=$work/apt.log
if ! chroot_copy "$lower" "$work" "$debcache/archives"; then
	fail chroot "cannot mount an overlay on $lower"
	finish
fi
t0=$SECONDS
# dkms and bt6ctl's libraries (so that installing the packages adds exactly
# them), systemd for systemd-analyze and systemctl, man-db for man -w
if ! apt_install dkms libnl-3-200 libnl-genl-3-200 systemd man-db; then
	fail chroot "installing dkms, systemd, man-db: $(tail -n 15 "$work/apt.log")"
	finish
fi
say "chroot $lower ($kver) with dependencies in $((SECONDS - t0)) s"
# the kernels DKMS builds for: every one with headers
kernels=$(cd "$r/lib/modules" && for k in *; do [ -e "$k/build/Makefile" ] && echo "$k"; done)

# Every file and directory outside apt's, dpkg's and the logs' own state
snapshot() {
	(cd "$r" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./run \
		-o -path ./var/cache -o -path ./var/log -o -path ./var/lib/apt \
		-o -path ./var/lib/dpkg -o -path ./root \) -prune -o -print) | sort
}
snapshot >"$work/before"
in_root dpkg-query -W -f '${Package}\n' | sort >"$work/pkgs-before"

# -- install
t0=$SECONDS
mkdir -p "$r/tmp/debs"
cp "$dkms_deb" "$ctl_deb" "$r/tmp/debs/"
if apt_install "/tmp/debs/${dkms_deb##*/}" "/tmp/debs/${ctl_deb##*/}"; then
	pass install
else
	fail install "apt-get install: $(tail -n 25 "$work/apt.log")"
	finish
fi
say "installed (DKMS builds included) in $((SECONDS - t0)) s"
in_root dpkg-query -W -f '${Package}\n' | sort >"$work/pkgs-after"
new=$(comm -13 "$work/pkgs-before" "$work/pkgs-after" | tr '\n' ' ')
check only-ours "the install added other packages too: $new" \
	test "$new" = "bt6ctl bt6lowpan-dkms "

status=$(in_root dkms status -m bt6lowpan 2>&1)
for k in $kernels; do
	check "dkms-installed $k" "dkms status -m bt6lowpan says: $status" \
		grep -qxF "bt6lowpan/$version, $k, x86_64: installed" <<<"$status"
	# compressed as the kernel's own modules are (6.12: .ko.xz)
	ko=$(cd "$r" && ls lib/modules/"$k"/updates/dkms/bluetooth_6lowpan.ko* 2>/dev/null)
	ko=${ko:+/$ko}
	check "ko $k" "no /lib/modules/$k/updates/dkms/bluetooth_6lowpan.ko*" test -n "$ko" -a -f "$r$ko"
	got=$(in_root modinfo -k "$k" -n bluetooth_6lowpan 2>&1)
	check "modinfo $k" "modinfo -k $k -n bluetooth_6lowpan: $got" test "$got" = "$ko"
	got=$(in_root modinfo -k "$k" -F version bluetooth_6lowpan 2>&1)
	check "ko-version $k" "version '$got', not $version" test "$got" = "$version"
done

same() { # NAME TREE-FILE INSTALLED-PATH
	if [ ! -e "$r$3" ]; then
		fail "$1" "$3 is not installed"
	elif ! cmp -s "$top/$2" "$r$3"; then
		fail "$1" "$3 differs from $2"
	else
		pass "$1"
	fi
}
same unit tools/systemd/bt6lowpan.service /lib/systemd/system/bt6lowpan.service
same modules-load tools/modules-load.d/bt6lowpan.conf /usr/lib/modules-load.d/bt6lowpan.conf
same modprobe-d tools/modprobe.d/bt6lowpan.conf /etc/modprobe.d/bt6lowpan.conf
same default tools/default/bt6lowpan /etc/default/bt6lowpan
got=$(in_root systemctl is-enabled bt6lowpan.service 2>&1)
check unit-enabled "systemctl is-enabled: $got" test "$got" = enabled
got=$(in_root systemd-analyze verify bt6lowpan.service 2>&1)
rc=$?
check unit-verify "systemd-analyze verify (status $rc): $got" test $rc = 0 -a -z "$got"
# what modules-load.d loads is ours, for every kernel
ml=$(grep -v '^[[:space:]]*\(#\|$\)' "$r/usr/lib/modules-load.d/bt6lowpan.conf" | tr '\n' ' ')
check modules-load-name "modules-load.d loads '$ml'" test "$ml" = "bluetooth_6lowpan "
# the modprobe.d example: all commented, each option a parameter of the module
opts=$(sed -n 's/^#options bluetooth_6lowpan \([a-z_]*\)=.*/\1/p' "$r/etc/modprobe.d/bt6lowpan.conf" |
	sort)
parms=$(in_root modinfo -k "$(echo "$kernels" | head -n 1)" -F parm bluetooth_6lowpan |
	sed -n 's/^\([a-z_]*\):.*/\1/p' | sort)
check modprobe-d-commented "a line of the example is not commented" \
	test -z "$(grep -v '^[[:space:]]*\(#\|$\)' "$r/etc/modprobe.d/bt6lowpan.conf")"
check modprobe-d-options "example options '$(echo $opts)', module parameters '$(echo $parms)'" \
	test -n "$opts" -a "$opts" = "$parms"
got=$(in_root bt6ctl version 2>&1)
check bt6ctl "bt6ctl version says: $got" test "$(head -n 1 <<<"$got")" = "bt6ctl $version"
got=$(in_root man -w bt6ctl 2>&1)
check man "man -w bt6ctl: $got" test "$got" = /usr/share/man/man8/bt6ctl.8.gz
got=$(in_root bash -c '. /usr/share/bash-completion/completions/bt6ctl && complete -p bt6ctl' 2>&1)
check completion "complete -p bt6ctl: $got" grep -q ' bt6ctl$' <<<"$got"

# -- purge
t0=$SECONDS
if in_root apt-get purge -y -q bt6ctl bt6lowpan-dkms >"$work/purge.log" 2>&1; then
	pass purge
else
	fail purge "apt-get purge: $(tail -n 20 "$work/purge.log")"
fi
say "purged in $((SECONDS - t0)) s"
got=$(in_root dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' bt6ctl bt6lowpan-dkms 2>/dev/null)
check purge-dpkg "dpkg still knows: $got" test -z "$got"
got="$(in_root dkms status -m bt6lowpan 2>&1)$(ls "$r/var/lib/dkms" | grep bt6lowpan)"
check purge-dkms "DKMS still knows: $got" test -z "$got"
left=$(cd "$r" && ls -d lib/modules/*/updates/dkms/bluetooth_6lowpan.ko* usr/src/bt6lowpan-* 2>/dev/null)
check purge-ko "left: $left" test -z "$left"
# Not files of ours: depmod's indexes (lib/modules/KVER/modules.*), which
# dkms writes for a kernel that had none (6.1: headers only), and the key
# dkms makes on its first build to sign modules with (var/lib/dkms/mok.*),
# which it keeps for the next module, whose signature the enrolled key
# must match
keep='^\./\(usr/\)\?lib/modules/[^/]*/modules\.[a-z.]*$\|^\./var/lib/dkms/mok\.\(key\|pub\)$'
snapshot | grep -v "$keep" >"$work/after"
grep -v "$keep" "$work/before" >"$work/before.f"
diff=$(diff "$work/before.f" "$work/after" | grep '^[<>]')
check purge-files "files differ from before the install (> left, < gone): $(echo $diff)" \
	test -z "$diff"
finish
