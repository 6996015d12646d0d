#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh SHORT MODULE OUT [SUITE]: build the guest's initramfs for
# kernel SHORT (6.1, 6.12) with MODULE (stock or ours) as bluetooth_6lowpan,
# a plain cpio archive (gzip'd if OUT ends in .gz).
# SUITE selftest adds the bench's selftest module (selftest/provoke).
set -euo pipefail
. "$(dirname "$0")/common.sh"

k=$1 module=$2 out=$3 suite=${4:-scenarios}
kv=$(kver "$k")
fetch_kernel "$k"
src=$KCACHE/$kv/root
stage=$(mktemp -d "$CACHE/stage.XXXXXX")
trap 'rm -rf "$stage" "$stage".btvirt.log "$stage".multi "$stage".loaded' EXIT

mkdir -p "$stage"/{bin,sbin,lib,lib64,etc,proc,sys,dev,run,tmp,var/run,root,bench/bin}
mkdir -p "$stage/lib/modules/$kv"

# busybox for the shell and everyday tools
cp /bin/busybox "$stage/bin/busybox"

# dynamic userspace tools and their libraries
copy_bin() {
	local b=$1 dest=$2 lib
	cp -L "$b" "$stage/$dest/"
	for lib in $(ldd "$b" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
		[ -f "$lib" ] || continue
		mkdir -p "$stage$(dirname "$lib")"
		[ -f "$stage$lib" ] || cp -L "$lib" "$stage$lib"
	done
}
for b in btmgmt hciconfig l2test btmon; do
	copy_bin "$(command -v $b)" bin
done
# BT6_BTVIRT=patched|unpatched: btvirt built by btvirt.sh instead of Debian's
btvirt=$(command -v btvirt)
case ${BT6_BTVIRT:=debian} in
debian) ;;
patched) btvirt=$("$VM_DIR/btvirt.sh") || die "cannot build the patched btvirt" ;;
unpatched) btvirt=$("$VM_DIR/btvirt.sh" --unpatched) || die "cannot build btvirt" ;;
*) die "BT6_BTVIRT=$BT6_BTVIRT: want debian, patched or unpatched" ;;
esac
copy_bin "$btvirt" bin
echo "$BT6_BTVIRT" >"$stage/bench/btvirt"
# The scenarios with several links on one central (multinode, ...) run the
# patched emulator as btvirt-multi, whatever BT6_BTVIRT says.
multi=$("$VM_DIR/btvirt.sh" 2>"$stage.btvirt.log") || {
	cat "$stage.btvirt.log" >&2
	die "cannot build the patched btvirt (tests/vm/btvirt.sh)"
}
mkdir -p "$stage.multi" && ln -sf "$multi" "$stage.multi/btvirt-multi"
copy_bin "$stage.multi/btvirt-multi" bin
rm -rf "$stage.multi"
copy_bin /usr/sbin/ip sbin
# the border router scenario (radvd.sh) runs Debian's radvd on the router's btX
copy_bin /usr/sbin/radvd sbin
# the persist scenario runs the systemd unit's own command line
cp "$TOP/tools/systemd/bt6lowpan.service" "$stage/bench/"
# bt6ctl (tools/bt6ctl), built once for all images (common.sh: bt6ctl_bin)
bt6ctl=$(bt6ctl_bin) || die "cannot build bt6ctl"
copy_bin "$bt6ctl" bin
copy_bin /usr/bin/kmod sbin
for l in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf kmod "$stage/sbin/$l"
done
mkdir -p "$stage/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
mkdir -p "$stage/usr/lib/iproute2" "$stage/etc/iproute2"
cp -r /etc/iproute2/. "$stage/etc/iproute2/" 2>/dev/null || true

# kernel modules: what the scenarios load, their dependencies, and whole
# directories the kernel may autoload from (crypto for btvirt's af_alg use).
mods="bluetooth bluetooth_6lowpan 6lowpan hci_vhci af_alg algif_hash algif_skcipher
      cmac ecb ecdh_generic vrf crc16 rfkill ccm aes_generic aesni_intel
      nhc_dest nhc_fragment nhc_hop nhc_ipv6 nhc_mobility nhc_routing nhc_udp"
# Those and their dependencies, which every guest loads, go in already
# decompressed (an .xz one costs kmod's liblzma, or busybox's, CPU under
# TCG at every boot); the rest stay as the kernel ships them.
loaded=$stage.loaded
for m in $mods; do
	# a name this kernel lacks (aes_generic is gone in 7.x) lists nothing
	modprobe -d "$src" -S "$kv" --show-depends "$m" 2>/dev/null |
		awk '$1 == "insmod" { print $2 }' || true
done | sort -u >"$loaded"
{
	cat "$loaded"
	for d in kernel/crypto kernel/lib/crypto kernel/net/6lowpan kernel/net/bluetooth \
		 kernel/drivers/bluetooth kernel/arch/x86/crypto; do
		# (a kernel without such modules, as the debug one, has no such dir)
		[ ! -d "$src/lib/modules/$kv/$d" ] || find "$src/lib/modules/$kv/$d" -name '*.ko*'
	done
} | sort -u | while read -r f; do
	rel=${f#"$src"}
	mkdir -p "$stage$(dirname "$rel")"
	case $f in
	*.ko.xz) if grep -qxF "$f" "$loaded"; then xz -dc "$f" >"$stage${rel%.xz}"; continue; fi ;;
	esac
	cp "$f" "$stage$rel"
done
cp "$src/lib/modules/$kv"/modules.{order,builtin,builtin.modinfo} "$stage/lib/modules/$kv/"

if [ "$module" = ours ]; then
	mkdir -p "$stage/lib/modules/$kv/updates"
	# BT6_KO: a .ko built elsewhere (tests/dkms.sh: the one DKMS installed)
	if [ -n "${BT6_KO:-}" ]; then
		ko_cat "$BT6_KO" >"$stage/lib/modules/$kv/updates/bluetooth_6lowpan.ko" ||
			die "cannot read BT6_KO=$BT6_KO"
	else
		# without its DWARF (6.12: 5.4 MB, 266 KB stripped): under TCG the guest's
		# modprobe reads, and its kernel copies and parses, every byte
		# (0.3 s of CPU a guest); the symbols stay for call traces
		ko=$(build_ours "$k")
		strip --strip-debug -o "$stage/lib/modules/$kv/updates/bluetooth_6lowpan.ko" "$ko" ||
			die "cannot strip $ko"
	fi
fi
if [ "$suite" = selftest ]; then
	pdir=$CACHE/build/$kv-provoke
	rm -rf "$pdir" && mkdir -p "$pdir" && cp "$VM_DIR"/selftest/provoke/* "$pdir/"
	make -s -C "/lib/modules/$kv/build" M="$pdir" modules >"$pdir/build.log" 2>&1 || {
		cat "$pdir/build.log" >&2
		die "selftest module build failed for $kv"
	}
	mkdir -p "$stage/lib/modules/$kv/extra"
	cp "$pdir/bt6_provoke.ko" "$stage/lib/modules/$kv/extra/"
fi
depmod -b "$stage" "$kv"

# the bench itself
# every guest/*.c is a static tool in /bench/bin (libbluetooth headers only;
# the few helpers they need are written out in the tools themselves),
# built once for all images (common.sh: guest_tools)
tools=$(guest_tools) || die "cannot build the guest tools"
for c in "$VM_DIR"/guest/*.c; do
	cp "$tools/$(basename "$c" .c)" "$stage/bench/bin/"
done
cp "$VM_DIR/guest/init" "$stage/init"
cp "$VM_DIR/guest/lib.sh" "$stage/bench/"
cp -r "$VM_DIR/scenarios" "$stage/bench/"
mkdir -p "$stage/bench/selftest"
cp "$VM_DIR"/selftest/*.sh "$stage/bench/selftest/" 2>/dev/null || true
chmod +x "$stage/init"
echo "$module" >"$stage/bench/module"

write_cpio "$stage" "$out"
