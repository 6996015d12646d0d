#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/matrix.sh: the build matrix. module/ built against the headers of
# every Debian kernel series in tests/matrix.env, each with the compiler
# those headers were made with, inside a minimal chroot of the suite that
# ships them (debootstrap --variant=minbase): a W=1 build and a sparse
# (C=1) build, each with no diagnostics at all. One line per kernel and
# build kind, then "N passed, N failed".
#
# Usage: tests/matrix.sh [-u|-p] [NAME...]
#   NAME   rows of tests/matrix.env to build (default: all)
#   -u     ask the registry for the newest release of each series, print it
#          beside the pin, build nothing
#   -p     prepare only: make the chroot and install the headers, print
#          "CHROOT KVER" per row (the VM bench builds 5.10 guests this way)
# Environment:
#   BT6_MATRIX_CACHE  where the chroots live (default
#               /var/cache/bt6lowpan/matrix), outside the clone; a second
#               run with the pins installed downloads nothing
#   MIRROR, SECURITY_MIRROR  apt URIs; default: read from this machine's
#               apt sources (/etc/apt/sources.list.d/*.sources, sources.list)
# Needs root (debootstrap, chroot), debootstrap, flock.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/matrix.env"
cache=${BT6_MATRIX_CACHE:-/var/cache/bt6lowpan/matrix}
update_only=0 prepare_only=0
case ${1:-} in
-u) update_only=1 && shift ;;
-p) prepare_only=1 && shift ;;
esac
# -p: the "CHROOT KVER" lines alone on stdout, everything else on stderr
exec 3>&1
[ "$prepare_only" = 1 ] && exec 1>&2
want=${*:-}
passed=0 failed=0
start=$SECONDS

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
say() { echo "matrix: $*"; }
finish() {
	[ "$prepare_only" = 1 ] && exit $((failed > 0))
	say "took $((SECONDS - start)) s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# Build output lines that are not diagnostics (as in module/check.sh), and
# the probe results Kbuild prints.
noise='^make(\[[0-9]+\])?: |^  (CC|LD|MODPOST|BTF|CHECK|AR|CLEAN) |^Skipping BTF generation|^bt6lowpan: '

# The machine's own Debian mirror and security mirror, from its apt sources
# (deb822 .sources files and one-line sources.list), so that no host name is
# written here. Prints "MIRROR SECURITY_MIRROR".
apt_mirrors() {
	cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && uri != "") {
				if (suites ~ /-security/) { if (sec == "") sec = uri }
				else if (main == "") main = uri
			}
			types = ""; uri = ""; suites = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^[ \t]*#/ { next }
		tolower($1) == "types:" { $1 = ""; types = $0 }
		tolower($1) == "uris:" { uri = $2 }
		tolower($1) == "suites:" { $1 = ""; suites = $0 }
		END { flush(); print main, sec }' >"$tmp/deb822"
	read -r m s <"$tmp/deb822" || true
	if [ -z "${m:-}" ] || [ -z "${s:-}" ]; then
		# one-line format: deb [options] URI SUITE COMPONENTS...
		set -- $(sed -e 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null | awk '
			$1 == "deb" && $3 ~ /-security/ { if (sec == "") sec = $2; next }
			$1 == "deb" { if (main == "") main = $2 }
			END { print main, sec }')
		m=${m:-${1:-}} s=${s:-${2:-}}
	fi
	echo "${MIRROR:-$m} ${SECURITY_MIRROR:-$s}"
}

tmp=$(mktemp -d)
mounted=""
cleanup() {
	for m in $mounted; do umount "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if [ "$(id -u)" != 0 ]; then
	bad "matrix: needs root (debootstrap and chroot)"
	finish
fi
if ! command -v debootstrap >/dev/null; then
	bad "matrix: debootstrap is not installed (apt-get install debootstrap)"
	finish
fi
read -r mirror security < <(apt_mirrors)
if [ -z "$mirror" ]; then
	bad "matrix: no Debian mirror in /etc/apt/sources* (set MIRROR)"
	finish
fi
mkdir -p "$cache"
# one run at a time per cache: two would install into the same chroots
exec 9>"$cache/.lock"
flock 9

# the chroot a suite's headers are built in: a backports suite lives in the
# chroot of its base suite
base_of() { echo "${1%-backports}"; }

in_root() { # root command...: run a command in the chroot, clean environment
	local root=$1
	shift
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}

mount_proc() { # root: apt's maintainer scripts want /proc
	mountpoint -q "$1/proc" && return
	mount -t proc proc "$1/proc" && mounted="$mounted $1/proc"
}

sources_for() { # base-suite: the apt sources the chroot needs
	local b=$1 line suite
	echo "deb $mirror $b main"
	[ "$b" = sid ] && return
	echo "deb $mirror $b-updates main"
	[ -n "$security" ] && echo "deb $security $b-security main"
	echo "$MATRIX" | while read -r line; do
		set -- $line
		[ $# -eq 4 ] || continue
		suite=$2
		[ "$suite" = "$b-backports" ] && echo "deb $mirror $suite main" && break
	done
}

ensure_root() { # base-suite: create its chroot once, keep it in the cache
	local b=$1 root=$cache/$1 t0=$SECONDS
	[ -f "$root/.bt6-ready" ] && return 0
	say "creating the $b chroot in $root (debootstrap --variant=minbase, once)"
	rm -rf "$root.new"
	if ! debootstrap --variant=minbase --include=make,sparse,ca-certificates \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		"$b" "$root.new" "$mirror" >"$tmp/debootstrap-$b.log" 2>&1; then
		tail -n 15 "$tmp/debootstrap-$b.log"
		return 1
	fi
	sources_for "$b" >"$root.new/etc/apt/sources.list"
	# this machine's keyring too: it may know newer release keys than the
	# suite's own package (bullseye-security is signed by later keys)
	cp /usr/share/keyrings/debian-archive-keyring.gpg \
		"$root.new/etc/apt/trusted.gpg.d/bt6-host-debian-archive.gpg"
	rm -rf "$root"
	mv "$root.new" "$root"
	touch "$root/.bt6-ready"
	say "$b chroot ready in $((SECONDS - t0)) s"
}

no_initramfs() { # root: the 6.12 headers depend on the kernel image, whose
	# postinst would build an initramfs nobody boots (minutes under load)
	[ -L "$1/usr/sbin/update-initramfs" ] && return 0
	chroot "$1" dpkg-divert --local --rename --add /usr/sbin/update-initramfs \
		>/dev/null && ln -sf /bin/true "$1/usr/sbin/update-initramfs"
}

declare -A updated=()
apt_update() { # root: refresh the chroot's package lists, once per run
	local root=$1
	[ -n "${updated[$root]:-}" ] && return 0
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
	# a mirror that is a dated snapshot serves sid's Release past its
	# one-week Valid-Until; the signatures are still checked
	echo 'Acquire::Check-Valid-Until "false";' \
		>"$root/etc/apt/apt.conf.d/90bt6-valid-until"
	if ! in_root "$root" apt-get update -qq >"$tmp/update.log" 2>&1; then
		cat "$tmp/update.log"
		return 1
	fi
	updated[$root]=1
}

newest() { # root series: newest release of a series the chroot's sources offer
	in_root "$1" apt-cache pkgnames linux-headers- | sed 's/^linux-headers-//' |
		grep -xE "$2" | sort -V | tail -n 1
}

# resolve NAME SUITE SERIES PIN: print the release to build against, installing
# its headers into the chroot when they are not there yet
resolve() {
	local name=$1 suite=$2 series=$3 pin=$4 root kver t0=$SECONDS
	root=$cache/$(base_of "$suite")
	if [ "$pin" != - ] && [ -e "$root/usr/src/linux-headers-$pin/Makefile" ]; then
		echo "$pin"
		return 0
	fi
	apt_update "$root" >&2 || return 1
	kver=$(newest "$root" "$series")
	if [ -z "$kver" ]; then
		echo "matrix: $name: no linux-headers-* matching $series in $suite" >&2
		return 1
	fi
	if [ "$pin" != - ]; then
		if in_root "$root" apt-cache show "linux-headers-$pin" >/dev/null 2>&1; then
			kver=$pin
		else
			echo "matrix: $name: pinned $pin is gone from $suite; taking the" \
				"newest of the series, $kver (update tests/matrix.env)" >&2
		fi
	fi
	[ -e "$root/usr/src/linux-headers-$kver/Makefile" ] && { echo "$kver"; return 0; }
	echo "matrix: $name: installing linux-headers-$kver from $suite" >&2
	mount_proc "$root"
	no_initramfs "$root"
	local t=()
	case $suite in *-backports) t=(-t "$suite") ;; esac
	if ! in_root "$root" apt-get install -y -qq --no-install-recommends "${t[@]}" \
		"linux-headers-$kver" >"$tmp/install.log" 2>&1; then
		tail -n 20 "$tmp/install.log" >&2
		return 1
	fi
	in_root "$root" apt-get clean
	echo "matrix: $name: headers installed in $((SECONDS - t0)) s" >&2
	echo "$kver"
}

compiler() { # root kver: the compiler the headers name
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' \
		"$1/usr/src/linux-headers-$2/.config" 2>/dev/null
}

# C=1 on 7.x runs scripts/checker-valid.sh, which Debian's 7.x headers lack
# (so the kernel says "sparse is not available"): put a stand-in in place.
# It wants a sparse that knows __typeof_unqual__, as the kernel's does.
checker_valid() { # root kver
	local d=$1/usr/src/linux-headers-${2%-amd64}-common
	[ -d "$d" ] || d=$1/usr/src/linux-headers-$2
	grep -qs checker-valid.sh "$d/Makefile" || return 0
	[ -e "$d/scripts/checker-valid.sh" ] && return 0
	cat >"$d/scripts/checker-valid.sh" <<'EOS'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stand-in written by bt6lowpan's tests/matrix.sh: prints 1 when the checker
# runs and parses __typeof_unqual__, else 0.
command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
f=$(mktemp --suffix=.c)
printf 'int f(const int *p)\n{\n\t__typeof_unqual__(*p) x = *p;\n\treturn x;\n}\n' >"$f"
if "$@" "$f" 2>&1 | grep -q error; then echo 0; else echo 1; fi
rm -f "$f"
EOS
	chmod +x "$d/scripts/checker-valid.sh"
}

# The suite's sparse may be older than its backported kernel wants (trixie:
# 0.6.4, without __typeof_unqual__, for 7.3): build sid's sparse from its
# Debian source package once, into /usr/local/bin of that chroot.
sparse_for() { # root kver: prints the sparse to use
	local root=$1 f=/tmp/bt6-typeof.c src
	printf 'int f(const int *p)\n{\n\t__typeof_unqual__(*p) x = *p;\n\treturn x;\n}\n' \
		>"$root$f"
	case $2 in 5.* | 6.*) echo sparse && return ;; esac
	if ! in_root "$root" sparse "$f" 2>&1 | grep error >/dev/null; then
		echo sparse
		return
	fi
	if [ ! -x "$root/usr/local/bin/sparse" ]; then
		say "the $(basename "$root") sparse lacks __typeof_unqual__: building sid's" >&2
		echo "deb-src $mirror sid main" >"$root/etc/apt/sources.list.d/bt6-sid-src.list"
		unset "updated[$root]"
		apt_update "$root" >&2 &&
			in_root "$root" sh -c 'apt-get install -y -qq --no-install-recommends libc6-dev \
				>/dev/null && mkdir -p /usr/local/src/sparse && cd /usr/local/src/sparse &&
				apt-get source -q -q --download-only sparse/sid >/dev/null &&
				tar -xf sparse_*.orig.tar.* && cd sparse-*/ &&
				cc=$(ls /usr/bin/gcc-[0-9]* | sort -V | tail -n 1) &&
				make -s -j2 CC="$cc" sparse >/dev/null 2>&1 &&
				cp sparse /usr/local/bin/' >&2 ||
			say "could not build sid's sparse" >&2
	fi
	echo /usr/local/bin/sparse
}

build() { # name root kver kind make-args...: one build, one line
	local name=$1 root=$2 kver=$3 kind=$4 d log
	shift 4
	d=/tmp/bt6-matrix/$name-$kind
	log=$tmp/$name-$kind.log
	rm -rf "$root$d"
	mkdir -p "$root$d"
	cp "$top"/module/*.c "$top"/module/*.h "$top"/module/Kbuild "$root$d"/
	cp -a "$top"/module/uapi "$root$d"/
	if ! in_root "$root" make -j2 -C "/lib/modules/$kver/build" M="$d" W=1 "$@" \
		modules >"$log" 2>&1; then
		bad "$name $kver $kind: build failed"
		sed 's/^/    /' "$log"
		return
	fi
	if grep -Ev "$noise" "$log" | grep -q .; then
		bad "$name $kver $kind: diagnostics"
		grep -Ev "$noise" "$log" | sed 's/^/    /'
		return
	fi
	ok "$name $kver $kind"
	[ "$kind" = w1 ] && grep '^bt6lowpan: ' "$log" | sort -u | sed 's/^/    /'
}

say "mirror $mirror${security:+, security $security}; chroots in $cache"
while read -r name suite series pin; do
	[ -n "$name" ] || continue
	if [ -n "$want" ] && ! [[ " $want " == *" $name "* ]]; then continue; fi
	b=$(base_of "$suite")
	if ! ensure_root "$b"; then
		bad "$name: could not create the $b chroot"
		continue
	fi
	root=$cache/$b
	if [ "$update_only" = 1 ]; then
		apt_update "$root" || { bad "$name: apt-get update in $b"; continue; }
		n=$(newest "$root" "$series")
		echo "$name $suite newest ${n:-none} pin $pin"
		continue
	fi
	if ! kver=$(resolve "$name" "$suite" "$series" "$pin"); then
		bad "$name ($suite): no headers to build against"
		continue
	fi
	if [ "$prepare_only" = 1 ]; then
		echo "$root $kver" >&3
		continue
	fi
	say "$name: $kver from $suite, $(compiler "$root" "$kver")"
	build "$name" "$root" "$kver" w1
	checker_valid "$root" "$kver"
	build "$name" "$root" "$kver" sparse C=1 CHECK="$(sparse_for "$root" "$kver")"
done <<<"$MATRIX"
finish
