# SPDX-License-Identifier: GPL-2.0
# tests/chroot.sh, sourced by tests/deb.sh and tests/dkms.sh: a
# throw-away copy of one of the build matrix's chroots, an overlay on
# /var/cache/bt6lowpan/matrix/SUITE, so that the cached chroot stays as it
# was, whatever is installed into the copy.
#
#   chroot_copy LOWER DIR ARCHIVES  mount the copy at DIR/root (its upper
#                   and work directories in DIR), with /proc, the host's
#                   resolv.conf and ARCHIVES as apt's package cache (kept
#                   outside the clone so that a second run downloads
#                   nothing); sets r=DIR/root
#   chroot_release  unmount what chroot_copy mounted (safe to call twice)
#   in_root CMD...  CMD in the copy with a clean environment, no stdin
#   apt_install PKG...  apt-get install into the copy, from the cache when
#                   the copy's package lists still fit it, else after an
#                   apt-get update, else from the copy's own suite alone
#                   (-t CODENAME: a registry can list a security update it
#                   does not serve; seen: bullseye-security's
#                   libbluetooth-dev 5.55-3.1+deb11u2, "404 Not Found");
#                   output appended to $apt_log
#
# The caller holds the matrix's lock ($BT6_MATRIX_CACHE/.lock: the matrix
# changes its chroots under it) from before chroot_copy to after
# chroot_release, and sets apt_log.

chroot_mounts=""
r=""

chroot_copy() { # LOWER DIR ARCHIVES
	r=$2/root
	mkdir -p "$2/upper" "$2/ovl" "$r" "$3/partial" || return 1
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/ovl" "$r" ||
		return 1
	chroot_mounts="$r"
	mount -t proc proc "$r/proc" && chroot_mounts="$r/proc $chroot_mounts"
	mount --bind "$3" "$r/var/cache/apt/archives" &&
		chroot_mounts="$r/var/cache/apt/archives $chroot_mounts"
	cp /etc/resolv.conf "$r/etc/resolv.conf"
	# (docker-style images clean apt's cache after each install)
	rm -f "$r/etc/apt/apt.conf.d/docker-clean"
}

chroot_release() {
	local m
	for m in $chroot_mounts; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	chroot_mounts=""
}

in_root() {
	chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}

apt_install() { # PKG...
	local codename
	in_root apt-get install -y -q --no-install-recommends "$@" >>"$apt_log" 2>&1 && return
	in_root apt-get update -q >>"$apt_log" 2>&1 || return
	in_root apt-get install -y -q --no-install-recommends "$@" >>"$apt_log" 2>&1 && return
	codename=$(. "$r/etc/os-release" && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || return 1
	echo "apt_install: again from $codename alone" >>"$apt_log"
	in_root apt-get install -y -q --no-install-recommends -t "$codename" "$@" >>"$apt_log" 2>&1
}
