#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/deps.sh: install what building and testing need, from Debian's
# packages, when it is missing. Safe to run again; does nothing when all is there.
set -euo pipefail
. "$(dirname "$0")/vm/kernels.env"

pkgs=""
need() { # command-or-path package
	if [ "${1#/}" != "$1" ]; then [ -e "$1" ] || pkgs="$pkgs $2"
	else command -v "$1" >/dev/null 2>&1 || pkgs="$pkgs $2"; fi
}
need qemu-system-x86_64 qemu-system-x86
need busybox busybox-static
need kmod kmod
need depmod kmod
need btvirt bluez-test-tools
need btmgmt bluez
need ip iproute2
# the border router scenario (tests/vm/scenarios/radvd.sh)
need /usr/sbin/radvd radvd
need cpio cpio
need gcc gcc
need make make
need sparse sparse
need rsync rsync
need debootstrap debootstrap
# the debug kernel (tests/vm/debug-kernel.sh): built in the matrix's trixie
# chroot, which holds its compiler and build packages; on the host it needs
# a private mount namespace and a lock (util-linux, essential on Debian)
need unshare util-linux
need flock util-linux
need sha256sum coreutils
need xz xz-utils
# the bench boots the kernel's own ELF image, unpacked from its bzImage
# (tests/vm/common.sh: boot_image): 6.12 and 7.x compress with zstd
need zstd zstd
need readelf binutils
need bc bc
need pkg-config pkg-config
need python3 python3
# make deb and tests/deb.sh
need dpkg-buildpackage dpkg-dev
need dh debhelper
need dh_dkms dh-dkms
need lintian lintian
# the patched btvirt (tests/vm/btvirt.sh builds it from Debian's bluez source)
need autoreconf autoconf
need automake automake
need libtoolize libtool
need /usr/include/glib-2.0/glib.h libglib2.0-dev
need dpkg-source dpkg-dev
need patch patch
need /usr/lib/python3/dist-packages/yaml python3-yaml
need /usr/lib/python3/dist-packages/jsonschema python3-jsonschema
need /usr/lib/x86_64-linux-gnu/libc.a libc6-dev
need /usr/include/libnl3/netlink/genl/genl.h libnl-genl-3-dev
need /usr/include/bluetooth/bluetooth.h libbluetooth-dev
need /usr/src/linux-source-6.12.tar.xz linux-source-6.12
need /lib/modules/$KVER_6_1/build linux-headers-$KVER_6_1
need /lib/modules/$KVER_6_12/build linux-headers-$KVER_6_12
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing Debian packages:$pkgs" >&2
	echo "install them with: sudo apt-get install$pkgs" >&2
	exit 1
fi
echo "installing:$pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
