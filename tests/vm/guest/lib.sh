# SPDX-License-Identifier: GPL-2.0
# Guest-side helpers for scenarios. Sourced by /init before the scenario.
#
# Environment: BT6_module (stock|ours), BT6_ctl (debugfs|sysfs), BT6_scenario.
# Controllers: btvirt -l2 gives hci0 = 00:AA:01:00:00:00 (node here) and
# hci1 = 00:AA:01:01:00:01 (router here).

NODE_HCI=hci0
NODE_ADDR=00:AA:01:00:00:00
ROUTER_HCI=hci1
ROUTER_ADDR=00:AA:01:01:00:01
DBG=/sys/kernel/debug/bluetooth
SYS=/sys/kernel/bluetooth_6lowpan
FAILED=0

# busybox sh runs its own applets before anything on PATH: use the real
# iproute2 and kmod tools that the image carries.
ip() { /sbin/ip "$@"; }
modprobe() { /sbin/modprobe "$@"; }
rmmod() { /sbin/rmmod "$@"; }
insmod() { /sbin/insmod "$@"; }
lsmod() { /sbin/lsmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }

log() { echo "--- $*"; }

# slow SECONDS: a deadline for work that only has to finish (a transfer),
# scaled by bt6.slow= of the command line: the host passes
# BT6_DEBUG_SLOWDOWN on the debug kernel (KASAN and lockdep make it about
# 3 times slower), 1 elsewhere. Never for a time the module keeps on its
# own clock (a stall declared within stall_timeout_ms); an rmmod's 5 s is
# work, scaled the same way (unload_timed).
slow() { echo $(($1 * ${BT6_slow:-1})); }

# le_id: the sysfs inode of the router's LE link device (hci1:HANDLE), if
# any. kernfs numbers its nodes cyclically, so a link made again has a new
# one: btvirt gives every connection handle 42, the same name, and the
# module's backoff reconnects 0.75-1.25 s after a reset, before a loaded
# debug guest may look for the link's absence (churn, CI 2026-12-06).
le_id() { ls -di /sys/class/bluetooth/$ROUTER_HCI:* 2>/dev/null | awk '{ print $1 }'; }

# info TEXT: a measurement for the host's output (printed as "INFO").
info() { echo "@@INFO $*" >&3; log "INFO $*"; }

# now_ms: milliseconds since boot.
now_ms() {
	local u
	read -r u _ </proc/uptime
	echo $((${u%.*} * 1000 + $(echo "${u#*.}" | sed 's/^0*//;s/^$/0/') * 10))
}

# check_pass NAME / check_fail NAME REASON: one result line for the host.
check_pass() { echo "@@CHECK $1 PASS" >&3; log "PASS $1"; }
check_fail() {
	FAILED=1
	echo "@@CHECK $1 FAIL ${2:-failed}" >&3
	log "FAIL $1: ${2:-failed}"
}

# check NAME CMD...: run CMD, pass if it exits 0, else fail with the last
# line it printed as the reason; the log says how long it took.
check() {
	local name=$1 rc t0
	shift
	t0=$(now_ms)
	"$@" >/tmp/check.out 2>&1
	rc=$?
	cat /tmp/check.out
	log "$name took $(($(now_ms) - t0)) ms"
	if [ $rc -eq 0 ]; then
		check_pass "$name"
	else
		check_fail "$name" "$(grep -v '^$' /tmp/check.out | tail -n 1) (exit $rc: $*)"
	fi
	return $rc
}

# klog_mark TEXT: the line "bench: TEXT" in the kernel log, to time later
# kernel lines against on the log's own clock (klog_since)
klog_mark() { echo "bench: $1" >/dev/kmsg; }
# klog_ts TEXT PATTERN: the printk time (ms) of the first kernel log line,
# from the mark "bench: TEXT" on, that matches PATTERN (extended,
# case-insensitive); nothing if there is none
klog_ts() {
	dmesg | sed -n "/bench: $1/,\$p" | grep -Ei -m1 "$2" |
		sed -n 's/^\[ *\([0-9]*\)\.\([0-9][0-9][0-9]\).*/\1\2/p'
}
# klog_since TEXT PATTERN: ms from the mark "bench: TEXT" to the first
# later kernel log line that matches PATTERN; nothing if either is missing
klog_since() {
	local m t
	m=$(klog_ts "$1" "bench: $1")
	t=$(klog_ts "$1" "$2")
	[ -n "$m" ] && [ -n "$t" ] && echo $((t - m))
}

# wait_for SECONDS CMD...: retry CMD every 0.5 s until it succeeds.
wait_for() {
	local t=$(($1 * 2))
	shift
	while [ $t -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
		t=$((t - 1))
	done
	"$@"
}

# addr_of hciN: the adapter's BD_ADDR as hciconfig shows it.
addr_of() { hciconfig "$1" | awk '/BD Address:/ { print $3 }'; }

# peer_counters: the module's per-peer counters, one "ADAPTER ADDRESS RX
# TX RECONNECTS DROPS" line per peer (bt6ctl peers -s; multinode, mirror)
peer_counters() {
	bt6ctl peers -s | awk '$3 ~ /^hci/ { a = $1; h = $3 } / reconnects / { r = $NF }
		$1 == "RX:" { print h, a, $3, $8, r, $12 }'
}
# counter_delta ADAPTER ADDRESS FIELD: how much FIELD (3 rx, 4 tx, 5
# reconnects, 6 drops) of that peer rose from /tmp/c0 to /tmp/c1
counter_delta() {
	local f v0 v1
	for f in /tmp/c0 /tmp/c1; do
		v1=$(awk -v h="$1" -v a="$2" -v f="$3" '$1 == h && $2 == a { v = $f } END { print v + 0 }' $f)
		[ $f = /tmp/c0 ] && v0=$v1
	done
	echo $((v1 - v0))
}

# lladdr_to_ll ADDR: RFC 7668 link-local address of a BD_ADDR.
lladdr_to_ll() {
	local IFS=:
	set -- $1
	printf 'fe80::%x:%x:%x:%x\n' 0x$1$2 0x${3}ff 0xfe$4 0x$5$6
}

# start_controllers_once: btvirt -l2, both adapters LE and powered, the node
# connectable and advertising.
start_controllers_once() {
	btvirt -l2 >/tmp/btvirt.log 2>&1 &
	BTVIRT_PID=$!
	wait_for 20 test -e /sys/class/bluetooth/hci1 || { echo "controllers did not appear"; return 1; }
	sleep 1
	# one process for all of it (guest/mgmt.c), which fails when the
	# controller refuses a command or a setting does not take (a controller
	# that missed its reset is gone: "opcode 0x0005 failed with status 0x11").
	# The node first: a router whose adapter comes back (adapter-gone,
	# btvirt-restart) reconnects at once, and on 5.10 a connect begun
	# before the node advertises timed out (-110) with the commands
	# 40 ms apart; btmgmt's 0.5 s had hidden that.
	mgmt -i $NODE_HCI le on connectable on power on advertising on \
		-i $ROUTER_HCI le on power on
}

# powered HCI: "powered" is among the controller's current settings
powered() { mgmt -i "$1" is powered 2>/dev/null; }

# start_controllers: as above, with one more try: on a loaded host btvirt's
# first controller now and then misses its reset ("Opcode 0x0c03 failed:
# -110") before any module of ours is involved.
start_controllers() { controllers_retry start_controllers_once; }
# controllers_gone: btvirt killed, and both its adapters gone with it
controllers_gone() {
	kill -9 $BTVIRT_PID
	wait "$BTVIRT_PID" 2>/dev/null
	wait_for 15 test ! -e /sys/class/bluetooth/hci0 || { echo "hci0 still there"; return 1; }
}

# controllers_retry FN: the crypto and vhci modules, then FN (which starts
# btvirt as BTVIRT_PID and sets its adapters up), once more after a
# restart of btvirt if it fails (start_controllers, multinode, mirror)
controllers_retry() {
	# one modprobe for all (each costs 50-100 ms of CPU under TCG); the
	# crypto ones may be built in, hci_vhci must be there
	modprobe -a af_alg algif_hash algif_skcipher cmac ecb hci_vhci 2>/dev/null
	[ -d /sys/module/hci_vhci ] || modprobe hci_vhci || return 1
	"$1" && return 0
	echo "controller set-up failed; restarting btvirt once"
	kill "$BTVIRT_PID" 2>/dev/null
	wait "$BTVIRT_PID" 2>/dev/null
	wait_for 10 test ! -e /sys/class/bluetooth/hci0
	"$1"
}

# multicast_once SENDER_IF WHAT IF...: MC_N pings to ff02::1 from
# SENDER_IF; a packet socket (pktcap) on every IF counts the echo requests
# to ff02::1 that came in (IPv6 next header 58, destination ff02::1,
# ICMPv6 type 128): MC_N on each, none duplicated, none missing. WHAT
# names the receivers in the messages (node, router).
MC_N=3
MC_RE="^.{12}3a.{34}ff02000000000000000000000000000180"
multicast_once() {
	local from=$1 what=$2 k=0 ifc n pids="" line="" bad=""
	shift 2
	rm -f /tmp/mc*.ready
	for ifc in "$@"; do
		k=$((k + 1))
		pktcap -i "$ifc" -t dgram -T 30 -r /tmp/mc$k.ready >/tmp/mc$k.cap &
		pids="$pids $!"
	done
	for k in $(seq 1 $#); do
		wait_for 10 test -e /tmp/mc$k.ready || { echo "pktcap on $what $k not ready"; kill $pids; return 1; }
	done
	ping -6 -c $MC_N -i 0.3 -W 2 -I "$from" ff02::1 | tee /tmp/mcping.log
	sleep 1
	kill $pids 2>/dev/null
	wait $pids 2>/dev/null
	for k in $(seq 1 $#); do
		n=$(grep -cE "$MC_RE" /tmp/mc$k.cap)
		line="$line $what$k:$n"
		[ "$n" = $MC_N ] || bad="$bad $what$k($n)"
	done
	echo "echo requests to ff02::1 per $what (of $MC_N):$line"
	[ -z "$bad" ] || { echo "not exactly $MC_N on:$bad"; return 1; }
}

# far_ifs VAR N WHAT: the btX of far ends 1..N of a many-link scenario
# (multinode's nodes, mirror's routers), from the variables VAR1..VARN, one
# a line; fails naming the first without one.
far_ifs() {
	local k ifc
	for k in $(seq 1 "$2"); do
		eval "ifc=\${$1$k:-}"
		[ -n "$ifc" ] || { echo "$3 $k has no netdev" >&2; return 1; }
		echo "$ifc"
	done
}

# ping_back VAR N WHAT DEST: every far end (as far_ifs) reaches DEST from
# its own btX; the failure names those that got no reply.
ping_back() {
	local k ifc bad=""
	for k in $(seq 1 "$2"); do
		eval "ifc=\${$1$k:-}"
		[ -n "$ifc" ] && ping_ok "" "$ifc" "$4" >/tmp/pb.log 2>&1 || bad="$bad $k"
	done
	[ -z "$bad" ] || { echo "no reply from $4 to $3(s)$bad"; return 1; }
	echo "all $2 ${3}s reach $4"
}

# FREE_CREDITS=1 on 5.10 only: its L2CAP core returns credits after every
# SDU, whatever the socket's receive buffer (credits from the free receive
# buffer, the chan->rx_avail of "Bluetooth: compute LE flow credits based
# on recvbuf space", are in 6.1 and later, not in 5.10): a peer that stops
# reading only drops what it gets, and never starves us (stall-credits,
# multinode).
FREE_CREDITS=0
case $(uname -r) in 5.10.*) FREE_CREDITS=1 ;; esac

load_module() {
	modprobe bluetooth_6lowpan || return 1
	if [ "$BT6_module" = ours ]; then
		local f
		grep -q . /sys/module/bluetooth_6lowpan/srcversion 2>/dev/null
		f=$(modinfo -F filename bluetooth_6lowpan)
		case $f in */updates/*) ;; *) echo "loaded the in-tree module, not ours"; return 1 ;; esac
		# which build it is (tests/dkms.sh compares it with DKMS's .ko)
		echo "loaded $(md5sum <"$f" | cut -c1-32)" \
			"srcversion $(cat /sys/module/bluetooth_6lowpan/srcversion)"
	fi
}

ctl_enable() {
	if [ "$BT6_ctl" = sysfs ]; then
		echo "${1:-1}" >$SYS/enable
	else
		echo "${1:-1}" >$DBG/6lowpan_enable
	fi
}

# ctl_connect ADDR [public|random]
ctl_connect() {
	local t=${2:-public}
	if [ "$BT6_ctl" = sysfs ]; then
		echo "$1 $t" >$SYS/connect
	else
		[ "$t" = public ] && t=1 || t=2
		echo "connect $1 $t" >$DBG/6lowpan_control || return 1
		# The in-tree module closes its listener on connect (upstream.md);
		# with both ends in one kernel the node would refuse us. Listen again.
		[ "$BT6_module" = stock ] && echo 1 >$DBG/6lowpan_enable
		return 0
	fi
}

# ctl_disconnect ADDR [public|random]
ctl_disconnect() {
	local t=${2:-public}
	if [ "$BT6_ctl" = sysfs ]; then
		echo "$1 $t" >$SYS/disconnect
	else
		[ "$t" = public ] && t=0 || t=1
		echo "disconnect $1 $t" >$DBG/6lowpan_control
	fi
}

ctl_peers() {
	if [ "$BT6_ctl" = sysfs ]; then
		cat $SYS/peers
	else
		cat $DBG/6lowpan_control
	fi
}

# netdev_of hciN: the bt netdev bound to that adapter, if any.
netdev_of() {
	local d l
	# (one fork per netdev, not three: the stress's traffic workers ask
	# five times a second, and on the debug kernel a fork is dear)
	for d in /sys/class/net/*; do
		l=$(readlink "$d/device" 2>/dev/null) || continue
		[ "${l##*/}" = "$1" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# ip_in NS CMD...: run in namespace NS ("" = this one).
ip_in() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# isolate_vrf: put each bt netdev in its own VRF so that traffic between
# the two adapters of this one kernel crosses the emulated link.
isolate_vrf() {
	sysctl -qw net.ipv4.tcp_l3mdev_accept=1
	sysctl -qw net.ipv4.raw_l3mdev_accept=1 2>/dev/null
	# (ip -batch: one process, not six; it stops at the first failure)
	ip -batch - <<-EOF || return 1
		link add vrfn type vrf table 10
		link set vrfn up
		link add vrfr type vrf table 20
		link set vrfr up
		link set $NODE_IF master vrfn
		link set $ROUTER_IF master vrfr
	EOF
	ip -6 rule add pref 32765 table local && ip -6 rule del pref 0
	NODE_NS="" ROUTER_NS=""
}

# unisolate_vrf: undo isolate_vrf (the VRFs and the local table rule), so
# that a later isolate_vrf starts from scratch.
unisolate_vrf() {
	ip link del vrfn 2>/dev/null
	ip link del vrfr 2>/dev/null
	ip -6 rule add pref 0 table local 2>/dev/null
	ip -6 rule del pref 32765 table local 2>/dev/null
	return 0
}

# isolate_netns: move each bt netdev into its own network namespace.
isolate_netns() {
	ip netns add nsn && ip netns add nsr || return 1
	ip link set "$NODE_IF" netns nsn && ip link set "$ROUTER_IF" netns nsr || return 1
	ip -n nsn link set lo up && ip -n nsr link set lo up
	ip -n nsn link set "$NODE_IF" up && ip -n nsr link set "$ROUTER_IF" up
	NODE_NS=nsn ROUTER_NS=nsr
}

# link_up: both netdevs exist, are up and have their link-local address.
link_up() {
	NODE_IF=$(netdev_of $NODE_HCI) && ROUTER_IF=$(netdev_of $ROUTER_HCI) || {
		echo "no netdev for $NODE_HCI/$ROUTER_HCI: $(ls /sys/class/net | tr '\n' ' ')"
		return 1
	}
	ip link set "$NODE_IF" up && ip link set "$ROUTER_IF" up
}

NODE_LL=$(lladdr_to_ll $NODE_ADDR)
ROUTER_LL=$(lladdr_to_ll $ROUTER_ADDR)

# dad_done NS IF: the interface's link-local address is usable: it has
# one (scope 20) and no address of it is tentative (flag 0x40). Read from
# /proc/net/if_inet6 (address, ifindex, prefix length, scope, flags,
# name), one busybox awk instead of two ip and two grep at every poll
# (named so: "ip netns exec" runs a program from PATH, and busybox's
# applets are not there, only in the shell).
dad_done() {
	ip_in "$1" busybox awk -v d="$2" '$6 == d && $4 == "20" { l = 1 }
		$6 == d && substr($5, 1, 1) ~ /[4-7c-f]/ { t = 1 }
		END { exit !(l && !t) }' /proc/net/if_inet6
}

ping_ok() { # NS IF DEST [ping args]
	local ns=$1 ifc=$2 dst=$3
	shift 3
	ip_in "$ns" ping -6 -c 3 -w 15 -I "$ifc" "$@" "$dst"
}

# connect_pair: the whole set-up most scenarios share: controllers,
# module, node listening, router connected, both netdevs up and isolated.
# ISOLATE=vrf|netns selects the isolation (default vrf).
connect_pair() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	ctl_enable 1 || { echo "enable failed"; return 1; }
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	wait_for 30 link_up || return 1
	if [ "${ISOLATE:-vrf}" = netns ]; then
		isolate_netns || { echo "netns isolation failed"; return 1; }
	else
		isolate_vrf || { echo "vrf isolation failed"; return 1; }
	fi
	wait_for 20 dad_done "$NODE_NS" "$NODE_IF" && wait_for 20 dad_done "$ROUTER_NS" "$ROUTER_IF"
}

no_peers() { [ -z "$(ctl_peers)" ]; }

# nothing_there: no peer listed and no bt netdev (after a failed operation)
nothing_there() {
	no_peers || { ctl_peers; echo "a peer is listed"; return 1; }
	no_bt_netdevs || { ip -o link show | grep bt; echo "a bt netdev is there"; return 1; }
}

# enable_is / psm_is VALUE: the sysfs file reads VALUE
enable_is() { [ "$(cat $SYS/enable)" = "$1" ] || { echo "enable is $(cat $SYS/enable), want $1"; return 1; }; }
psm_is() { [ "$(cat $SYS/psm)" = "$1" ] || { echo "psm is $(cat $SYS/psm), want $1"; return 1; }; }

no_bt_netdevs() { # in this namespace and in the bench's own
	local ns
	ls /sys/class/net | grep -q '^bt' && return 1
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		ip -n "$ns" -o link show | grep -q ': bt[0-9]' && return 1
	done
	return 0
}

unload_module() {
	timeout 10 rmmod bluetooth_6lowpan || return 1
	wait_for 5 no_bt_netdevs || { echo "bt netdevs left: $(ip -o link show | grep bt)"; return 1; }
}

# unload_timed LABEL: unload_module within 5 s (the module's promise) on
# the distribution kernels, where it takes 0.2-0.7 s; times bt6.slow on the
# debug kernel, whose same rmmod takes 2.9-5.2 s under TCG (KASAN, lockdep
# and kmemleak on every allocation; measured 2026-12-02), not for a wait
# of the module's: the time as an INFO line.
unload_timed() {
	local t0 ms
	t0=$(now_ms)
	unload_module || return 1
	ms=$(($(now_ms) - t0))
	info "$1: $ms ms"
	[ "$ms" -lt $((5000 * ${BT6_slow:-1})) ] || { echo "rmmod took $ms ms"; return 1; }
}

# JSON through a strict parser (guest tool jsonq), for the scenarios
# json FILE: FILE is valid JSON; its flattened form (PATH<TAB>VALUE lines,
# see guest/jsonq.c) in FILE.flat
json() {
	jsonq "$1" >"$1.flat" || { cat "$1"; echo "$1: not valid JSON"; return 1; }
}
# jv FILE PATH: the value at PATH in FILE (after json FILE)
jv() { awk -F'\t' -v p="$2" '$1 == p { print $2; n++ } END { exit n != 1 }' "$1.flat"; }
# jhas FILE PATH VALUE: PATH holds exactly VALUE (JSON text: strings quoted)
jhas() {
	local v
	v=$(jv "$1" "$2") || { echo "$1: no $2"; return 1; }
	[ "$v" = "$3" ] || { echo "$1: $2 is $v, want $3"; return 1; }
}

# Kernel memory (churn, stress)
# l2cap channels the core knows (every channel until its last reference
# goes): a leaked channel reference shows here.
nchans() { grep -c . /sys/kernel/debug/bluetooth/l2cap 2>/dev/null || echo 0; }

# slab_kb: KiB in the caches a peer, a channel or an skb lives in, after
# everything reclaimable went back.
slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 3	# kfree_rcu batches
	# SLUB: give back per-cpu partial slabs, which count as active
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
	awk '/^(skbuff|kmalloc-|l2cap|bt_|bluetooth)/ { s += $2 * $4 }
		END { printf "%d\n", s / 1024 }' /proc/slabinfo
}
# slab_snap FILE: per cache KiB (same caches as slab_kb), for the report.
slab_snap() {
	awk '/^(skbuff|kmalloc-|l2cap|bt_|bluetooth)/ { printf "%s %d\n", $1, $2 * $4 / 1024 }' /proc/slabinfo | sort >"$1"
}
# slab_top OLD NEW: the caches that grew most.
slab_top() {
	awk 'NR == FNR { a[$1] = $2; next } $2 != a[$1] { print $1, $2 - a[$1] }' "$1" "$2" |
		sort -k2 -n -r | head -n 6 | tr '\n' ' '
}
