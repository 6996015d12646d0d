#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/dkms.sh [host] [chroot]: the DKMS round trip for every bench kernel:
# install makes ours shadow the in-tree module, a guest boots the very .ko
# DKMS installed, remove restores the in-tree one. Closes with
# "N passed, N failed".
#   host    `tools/install.sh install` on this machine for the kernels
#           whose headers it has (6.1, 6.12): it installs into /lib/modules,
#           so tests/check runs it only when CI=true
#   chroot  the same for the bench kernels whose headers this machine lacks
#           (5.10, 7.3), each in a throw-away copy of its build matrix
#           chroot (tests/chroot.sh), with that distribution's dkms,
#           compiler and libraries: Debian 11's dkms 2.8, Debian 13's 3.x
# Default: both. The guests run BT6_DKMS_GUESTS (default 2) at a time.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/vm/kernels.env"
. "$top/tests/vm/common.sh"
. "$top/tests/chroot.sh"
passed=0 failed=0
ok() { echo "PASS  dkms $*"; passed=$((passed + 1)); }
bad() { echo "FAIL  dkms $*"; failed=$((failed + 1)); }
parts=" ${*:-host chroot} "
for p in $parts; do
	case $p in host | chroot) ;; *) echo "usage: tests/dkms.sh [host] [chroot]" >&2; exit 2 ;; esac
done
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p' "$top/dkms.conf")
kvers="" chroot_ks=""
for k in $KERNELS; do
	kv=$(kver "$k")
	if [ -d "/lib/modules/$kv/build" ]; then
		[[ $parts == *" host "* ]] && kvers="$kvers $kv"
	else
		[[ $parts == *" chroot "* ]] && chroot_ks="$chroot_ks $k"
	fi
done
kvers=${kvers# }
log=$(mktemp)
work=$(mktemp -d /var/tmp/bt6-dkms.XXXXXX)
trap 'chroot_release; rm -rf "$log" "$work"' EXIT
trap 'exit 1' INT TERM
boots="" # "SHORT KO" lines: the guests to boot with DKMS's .ko

installed() { # KVER: DKMS lists bt6lowpan as installed for KVER
	dkms status -m bt6lowpan -v "$version" -k "$1" 2>/dev/null | grep -q ': installed'
}
dkms_ko() { # KVER: our .ko files in that kernel's updates/dkms
	find "/lib/modules/$1/updates/dkms" -name 'bluetooth_6lowpan.ko*' 2>/dev/null
}
# the boot files, where systemd, systemd-modules-load and modprobe read them
boot="/usr/local/lib/systemd/system/bt6lowpan.service /usr/local/lib/modules-load.d/bt6lowpan.conf
/etc/modprobe.d/bt6lowpan.conf /etc/default/bt6lowpan"

# -- host: install for the kernels whose headers this machine has
host_install() {
	local kv f missing="" k
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
	# What remove must undo, seen before it runs: DKMS knows the module
	# as installed for every kernel, its .ko is in updates/dkms, its
	# sources are in /usr/src. The remove check passes only when each of
	# these is gone after, so it can fail, whatever the uninstall
	# script's exit status.
	for kv in $kvers; do
		if installed "$kv" && [ -n "$(dkms_ko "$kv")" ]; then
			ok "$kv: before remove, DKMS lists it installed and its .ko is in updates/dkms"
		else
			bad "$kv: before remove: DKMS status '$(dkms status -m bt6lowpan 2>&1 | tr '\n' ' ')', .ko '$(dkms_ko "$kv")'"
		fi
	done
	[ -d "/usr/src/bt6lowpan-$version" ] || bad "before remove: no /usr/src/bt6lowpan-$version"
	for k in $KERNELS; do
		kv=$(kver "$k")
		[[ " $kvers " == *" $kv "* ]] || continue
		boots="$boots$k $(dkms_ko "$kv" | head -n1)
"
	done
}

host_remove() {
	local rc left="" st tree kv f
	"$top/tools/install.sh" uninstall >"$log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || left="$left uninstall exited $rc;"
	# (dkms status prints nothing on stdout for a module whose sources
	# are gone, so its tree is looked at too)
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
}

# -- chroot: `make install` as on that distribution, for one kernel, in
# a copy of its build matrix chroot, under the matrix's lock.
chroot_round() { # SHORT
	local k=$1 out lower kv suite
	if ! out=$("$top/tests/matrix.sh" -p "$k" 2>"$log"); then
		bad "$k: tests/matrix.sh -p $k: $(tail -n 5 "$log" | tr '\n' ' ')"
		return
	fi
	read -r lower kv <<<"$out"
	suite=$(basename "$lower")
	mkdir -p "$work/$k"
	apt_log=$work/$k/apt.log
	exec 9>"${BT6_MATRIX_CACHE:-/var/cache/bt6lowpan/matrix}/.lock"
	flock 9
	if chroot_copy "$lower" "$work/$k" "${BT6_DEB_CACHE:-/var/cache/bt6lowpan/deb}/$suite"; then
		chroot_install "$k" "$kv" "$suite" "$work/$k"
	else
		bad "$k: cannot mount an overlay on $lower"
	fi
	chroot_release
	exec 9>&-
}

# chroot_install SHORT KVER SUITE DIR: in the mounted copy ($r), install,
# check, uninstall, check; DKMS's .ko is kept in DIR for the guest. The
# sources are what git tracks (a build of this machine's in the tree,
# bt6ctl's objects say, is not carried over).
chroot_install() {
	local k=$1 kv=$2 suite=$3 d=$4 st ko f got left=""
	# what install.sh would install itself, from the cache when it can
	# (install.sh then finds them and runs no apt-get of its own)
	if ! apt_install dkms make gcc libc6-dev pkg-config libnl-genl-3-dev libbluetooth-dev; then
		bad "$k: installing dkms and the build dependencies in $suite: $(tail -n 5 "$apt_log" | tr '\n' ' ')"
		return
	fi
	mkdir -p "$r/root/bt6lowpan"
	(cd "$top" && git ls-files -z dkms.conf Kbuild module tools |
		cpio -0pdm --quiet "$r/root/bt6lowpan")
	st="$suite, dkms $(in_root dpkg-query -W -f '${Version}' dkms), $(in_root gcc --version | head -n1)"
	if in_root /root/bt6lowpan/tools/install.sh install "$kv" >"$d/install.log" 2>&1; then
		ok "$kv: tools/install.sh install in $st"
	else
		bad "$kv: tools/install.sh install in $st: $(tail -n 5 "$d/install.log" | tr '\n' ' ')"
	fi
	got=$(in_root dkms status -m bt6lowpan 2>&1)
	if grep -q "^bt6lowpan[/,] *$version, $kv, x86_64: installed" <<<"$got"; then
		ok "$kv: DKMS lists it installed"
	else
		bad "$kv: dkms status -m bt6lowpan says '$(echo "$got" | tr '\n' ' ')'"
	fi
	# (modinfo -k needs depmod's index, which a kernel with headers and no
	# modules lacks: 7.3's headers bring no modules.dep; the guest makes
	# its own)
	ko=$(cd "$r" && ls lib/modules/"$kv"/updates/dkms/bluetooth_6lowpan.ko* 2>/dev/null | head -n1)
	got=$(in_root modinfo -F version "/$ko" 2>&1)
	f=/$ko
	[ ! -f "$r/lib/modules/$kv/modules.dep" ] || f=$(in_root modinfo -k "$kv" -n bluetooth_6lowpan 2>&1)
	if [ -n "$ko" ] && [ "$got" = "$version" ] && [ "$f" = "/$ko" ]; then
		ok "$kv: DKMS put ours, version $got, in /$ko"
		cp "$r/$ko" "$d/" && boots="$boots$k $d/${ko##*/}
"
	else
		bad "$kv: updates/dkms has '$ko' (version '$got'), modinfo -k finds '$f'"
	fi
	got=$(in_root bt6ctl version 2>&1)
	if [ "$(head -n 1 <<<"$got")" = "bt6ctl $version" ] &&
		[ -f "$r/usr/local/share/man/man8/bt6ctl.8" ]; then
		ok "$kv: bt6ctl built with $suite's libraries runs there, its man page installed"
	else
		bad "$kv: bt6ctl version in $suite says '$got'"
	fi
	in_root /root/bt6lowpan/tools/install.sh uninstall >"$d/uninstall.log" 2>&1 ||
		left="$left uninstall exited $?;"
	got=$(in_root dkms status -m bt6lowpan 2>&1)
	[ -z "$got" ] || left="$left DKMS still says '$(echo "$got" | tr '\n' ' ')';"
	[ ! -e "$r/var/lib/dkms/bt6lowpan" ] || left="$left /var/lib/dkms/bt6lowpan left;"
	f=$(cd "$r" && ls -d lib/modules/*/updates/dkms/bluetooth_6lowpan.ko* usr/src/bt6lowpan-* \
		usr/local/sbin/bt6ctl 2>/dev/null | tr '\n' ' ')
	[ -z "$f" ] || left="$left $f left;"
	if [ -z "$left" ]; then
		ok "$kv: uninstall in $suite: DKMS knows nothing of it, no .ko, sources or bt6ctl"
	else
		bad "$kv: uninstall in $suite:$left $(tail -n 3 "$d/uninstall.log" | tr '\n' ' ')"
	fi
}

# -- the .ko DKMS built is the one a guest runs: basic boots with it (not
# a build of its own), and the module file the guest loaded is that file,
# byte for byte (its MD5; the srcversion alone is the same for every build
# of these sources). Two guests at a time.
boot_one() { # SHORT KO LOG: the check's line, on stdout
	local k=$1 ko=$2 want rc res got why kv
	kv=$(kver "$k")
	if [ -z "$ko" ] || [ ! -f "$ko" ]; then
		echo "FAIL $kv: no .ko from DKMS to boot"
		return
	fi
	want=$(ko_cat "$ko" | md5sum | cut -c1-32)
	BT6_KO=$ko "$top/tests/vm/run" -q -m ours -k "$k" -s '^basic$' -c sysfs >"$3" 2>&1
	rc=$?
	res=$(sed -n 's/^results: //p' "$3")
	got=$(grep -ho 'loaded [0-9a-f]\{32\}' "$res"/*/results.log 2>/dev/null | sort -u | tr '\n' ' ')
	if [ $rc -eq 0 ] && [ "$got" = "loaded $want " ]; then
		echo "PASS $kv: a guest loaded DKMS's own .ko ($(basename "$ko"), MD5 $want) and basic passed"
	elif [ $rc -eq 0 ]; then
		echo "FAIL $kv: basic passed, but the guest loaded '$got', not DKMS's .ko (MD5 $want)"
	else
		why=$(grep -E '^FAIL|passed' "$3" | head -n 3 | tr '\n' ' ')
		[ -n "$why" ] || why="no result; it ended with: $(grep -v '^ *$' "$3" | tail -n 2 | tr '\n' ' ')"
		echo "FAIL $kv: basic with DKMS's .ko: $why"
	fi
}

boot_guests() {
	local n=0 k ko line
	while read -r k ko; do
		[ -n "$k" ] || continue
		boot_one "$k" "$ko" "$work/boot-$k.log" >"$work/boot-$k.res" &
		n=$((n + 1))
		[ $((n % ${BT6_DKMS_GUESTS:-2})) -ne 0 ] || wait
	done <<<"$boots"
	wait
	for k in $KERNELS; do
		[ -f "$work/boot-$k.res" ] || continue
		line=$(cat "$work/boot-$k.res")
		case $line in
		"PASS "*) ok "${line#PASS }" ;;
		*) bad "${line#FAIL }" ;;
		esac
	done
}

t0=$SECONDS
if [ -n "$kvers" ]; then
	command -v dkms >/dev/null || {
		echo "dkms is not installed (apt-get install dkms)"
		echo "0 passed, 1 failed"
		exit 1
	}
	host_install
fi
for k in $chroot_ks; do
	chroot_round "$k"
done
echo "dkms: installed in $((SECONDS - t0)) s"
t0=$SECONDS
boot_guests
echo "dkms: guests took $((SECONDS - t0)) s"
[ -z "$kvers" ] || host_remove
want=$(echo $kvers $chroot_ks | wc -w)
got=$(echo -n "$boots" | grep -c .)
[ "$got" -eq "$want" ] || bad "$got .ko files to boot, for $want kernels"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
