# SPDX-License-Identifier: GPL-2.0
# checks: core-cycles setup connect-cycles connect-memory stall-cycles stall-memory rmmod
# ctl: debugfs
# timeout: 600
# Churn (issue 4): 100 connect/disconnect cycles, then 50 stall/recover
# cycles (recover file: the link is reset and the LE link dropped, then the
# reconnect is kicked at once). Every cycle makes a new LE connection and
# tears it down: the LE link (its hci1:HANDLE device) must be gone before
# the next connect (btvirt gives every connection handle 42, so a new
# handle number proves nothing: the device's absence does). A disconnect on request leaves the LE link to the
# core's idle timeout (2 s, HCI_DISCONN_TIMEOUT); the connect cycles drop
# it at once with a mgmt Disconnect (guest/mgmt.c), as 100 x 2 s would not fit.
#
# Kernel memory must not grow beyond what the core itself keeps per LE
# connection: the slab caches skbuff_*, kmalloc-* (and -cg-), and any
# l2cap/bluetooth cache (/proc/slabinfo, active objects x object size,
# measured after drop_caches, 3 s for kfree_rcu and a SLUB shrink of every
# cache). First, with no 6lowpan module loaded, 50 LE connections are
# made and dropped by the core alone (core-cycles): an
# l2test LE credit-based channel on a PSM from hci1 to an l2test listener
# on hci0, so that both ends hold a channel as with IPSP, then the same
# mgmt Disconnect. Its growth, times two, is G, the core's own over 100
# (Debian 6.1 keeps about two objects each of kmalloc-2k, -512 and -256 per
# LE connection that goes, also with no 6lowpan module loaded: 5.5 KiB
# each, 548 KiB over 100 and 274 over 50, measured; 6.12, 5.10 and 7.3
# none: -9 to +5 KiB. 100 of them, until session 20, took 57-131 s of a
# guest's time for a figure that grows in proportion). Then ours may grow
# by at most G + 32 KiB over the 100 connect cycles (0.3 KiB a cycle: a
# leaked peer, iface, netdev or skb per cycle exceeds it) and by at most
# G x 50/100 + 32 KiB over the 50 stall cycles. The module's own size
# (/proc/modules) does not change; the core's l2cap channel list does not
# grow (a leaked channel reference); no bt netdev is left between cycles;
# the runner's kernel-log check catches refcount and unregister_netdevice
# warnings.

CYCLES=100
CORE_CYCLES=50
STALLS=50
CONNECT_BOUND_KB=32
STALL_BOUND_KB=32
# The debug kernel (bt6.slow 3): a sixth of each (16, 8, 8). There the 50
# core-alone connections took 195 s and the 100 cycles more than 500 s
# (session 21), a third of each 229 s of guest (session 25); the bounds
# stay, and kmemleak is the precise leak check there.
if [ "${BT6_slow:-1}" != 1 ]; then
	CYCLES=$((CYCLES / (2 * BT6_slow))) CORE_CYCLES=$((CORE_CYCLES / (2 * BT6_slow)))
	STALLS=$((STALLS / (2 * BT6_slow)))
	# (at least one of each: CORE_KB divides by CORE_CYCLES)
	[ $CYCLES -ge 1 ] || CYCLES=1
	[ $CORE_CYCLES -ge 1 ] || CORE_CYCLES=1
	[ $STALLS -ge 1 ] || STALLS=1
fi
CORE_PSM=129	# l2test's LE PSM for core-cycles (decimal: l2test -P)

# wait_fast TENTHS CMD...: poll CMD every 0.05 s for TENTHS/10 seconds.
wait_fast() {
	local n=$(($1 * 2))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		n=$((n - 1))
	done
	"$@"
}

nbt() { ls /sys/class/net | grep -c '^bt'; }
both_up() { [ "$(nbt)" -eq 2 ]; }
none_left() { [ "$(nbt)" -eq 0 ] && [ -z "$(ctl_peers)" ]; }
router_state() { grep -i "^$NODE_ADDR public $ROUTER_HCI" $SYS/peers | awk '{ print $5 }'; }
router_connected() { [ "$(router_state)" = connected ] && both_up; }
le_gone() { ! ls /sys/class/bluetooth | grep -q "^$ROUTER_HCI:"; }
# le_link: the router's LE link device (hci1:HANDLE), if any
le_link() { ls /sys/class/bluetooth | grep "^$ROUTER_HCI:"; }
# le_drop: the LE link gone at once (mgmt Disconnect), checked
le_drop() {
	le_gone || mgmt -i $ROUTER_HCI disconnect $NODE_ADDR >/dev/null 2>&1
	wait_fast 100 le_gone || { echo "LE link $(le_link) not gone"; return 1; }
}
router_away() { [ "$(router_state)" != connected ]; }

mod_size() { awk '$1 == "bluetooth_6lowpan" { print $2 }' /proc/modules; }

# core_cycles: CORE_CYCLES LE connections with an LE credit-based channel
# at each end, made and dropped by the core alone (no 6lowpan module); sets
# CORE_KB, the slab growth over them scaled to CYCLES.
core_connect() { # cycle number: connected, both channels up, LE link handle in H
	l2test -n -V le_public -P $CORE_PSM -i $ROUTER_HCI $NODE_ADDR >/tmp/l2c.log 2>&1 &
	L2C=$!
	CORE_N=$1
	wait_fast 300 eval '[ "$(grep -c "Connected to" /tmp/l2s.log)" -ge $CORE_N ]' ||
		{ cat /tmp/l2c.log /tmp/l2s.log; echo "core cycle $1: no channel within 30 s"; return 1; }
	H=$(le_link)
	[ -n "$H" ] || { echo "core cycle $1: no LE link"; return 1; }
}
core_close() {
	kill $L2C 2>/dev/null
	wait $L2C 2>/dev/null
	le_drop
}
core_cycles() {
	local i t0 s0 s1 n=0
	start_controllers || { echo "controller set-up failed"; return 1; }
	lsmod | grep -q '^bluetooth_6lowpan' && { echo "6lowpan module loaded"; return 1; }
	l2test -r -V le_public -P $CORE_PSM -i $NODE_HCI >/tmp/l2s.log 2>&1 &
	L2S=$!
	sleep 1
	for i in 1 2 3; do	# warm-up
		n=$((n + 1))
		core_connect $n && core_close || return 1
	done
	s0=$(slab_kb)
	slab_snap /tmp/slabc0
	t0=$(now_ms)
	for i in $(seq 1 $CORE_CYCLES); do
		n=$((n + 1))
		core_connect $n && core_close || return 1
	done
	info "churn: core alone: $CORE_CYCLES LE connections in $(( ($(now_ms) - t0) / 1000 )) s"
	kill $L2S
	wait $L2S 2>/dev/null
	s1=$(slab_kb)
	slab_snap /tmp/slabc1
	CORE_KB=$(((s1 - s0) * CYCLES / CORE_CYCLES))
	[ $CORE_KB -ge 0 ] || CORE_KB=0
	info "churn: core alone: caches that grew most (KiB): $(slab_top /tmp/slabc0 /tmp/slabc1)"
	info "churn: core alone: slab caches $s0 -> $s1 KiB over $CORE_CYCLES LE connections (growth $((s1 - s0)) KiB, $CORE_KB KiB over $CYCLES), no 6lowpan module loaded"
}
check core-cycles core_cycles || exit 1

setup() {
	load_module || return 1
	ctl_enable 1 || return 1
	# warm-up: caches reach their working size
	local i
	for i in 1 2 3; do
		ctl_connect $NODE_ADDR public || { echo "warm-up $i: connect write failed"; return 1; }
		wait_for 30 both_up || { echo "warm-up $i: netdevs: $(ls /sys/class/net | tr '\n' ' ')"; return 1; }
		ctl_disconnect $NODE_ADDR public
		wait_for 15 none_left || { echo "warm-up $i: left after disconnect: peers '$(ctl_peers | tr '\n' ' ')' netdevs: $(ls /sys/class/net | tr '\n' ' ')"; return 1; }
		le_drop || return 1
	done
	MOD0=$(mod_size)
	CH0=$(nchans)
	SLAB0=$(slab_kb)
	slab_snap /tmp/slab0
	echo "slab $SLAB0 KiB, module $MOD0 bytes"
}
check setup setup || exit 1

connect_cycles() {
	local i t0 h
	t0=$(now_ms)
	for i in $(seq 1 $CYCLES); do
		le_gone || { echo "cycle $i: LE link $(le_link) still up before the connect"; return 1; }
		ctl_connect $NODE_ADDR public || { echo "cycle $i: connect write failed"; return 1; }
		wait_fast 300 both_up || { ctl_peers; echo "cycle $i: not connected within 30 s"; return 1; }
		h=$(le_link)
		[ -n "$h" ] || { echo "cycle $i: connected with no LE link device"; return 1; }
		ctl_disconnect $NODE_ADDR public || { echo "cycle $i: disconnect write failed"; return 1; }
		wait_fast 150 none_left || { ctl_peers; ls /sys/class/net; echo "cycle $i: not cleaned up within 15 s"; return 1; }
		le_drop || { echo "cycle $i: LE link not torn down"; return 1; }
		echo "$h" >>/tmp/handles
	done
	info "churn: $CYCLES connect/disconnect cycles in $(( ($(now_ms) - t0) / 1000 )) s, each a new LE link torn down ($(sort -u /tmp/handles | wc -l) distinct handles)"
}
check connect-cycles connect_cycles || exit 1

connect_memory() {
	local s m
	s=$(slab_kb)
	m=$(mod_size)
	SLAB1=$s
	slab_snap /tmp/slab1
	info "churn: caches that grew most (KiB): $(slab_top /tmp/slab0 /tmp/slab1)"
	info "churn: slab caches $SLAB0 -> $s KiB over $CYCLES connect cycles (growth $((s - SLAB0)) KiB, bound $((CORE_KB + CONNECT_BOUND_KB)) KiB = core alone $CORE_KB + $CONNECT_BOUND_KB); module size $MOD0 -> $m; l2cap channels $CH0 -> $(nchans)"
	[ "$(nchans)" -le "$CH0" ] || { cat /sys/kernel/debug/bluetooth/l2cap; echo "l2cap channels left behind"; return 1; }
	[ "$m" = "$MOD0" ] || { echo "module size changed"; return 1; }
	[ $((s - SLAB0)) -le $((CORE_KB + CONNECT_BOUND_KB)) ] ||
		{ echo "slab grew by $((s - SLAB0)) KiB over $CYCLES cycles: more than the core's own $CORE_KB KiB + $CONNECT_BOUND_KB KiB"; return 1; }
}
check connect-memory connect_memory

stall_cycles() {
	local i t0 l0 l1 tc ta tl
	[ -w $SYS/recover ] || { echo "no recover file"; return 1; }
	ctl_connect $NODE_ADDR public || return 1
	wait_for 30 router_connected || { ctl_peers; return 1; }
	t0=$(now_ms)
	for i in $(seq 1 $STALLS); do
		l0=$(le_id)
		[ -n "$l0" ] || { ls /sys/class/bluetooth; echo "cycle $i: connected with no LE link device"; return 1; }
		tc=$(now_ms)
		echo "$NODE_ADDR public" >$SYS/recover || { echo "cycle $i: recover write failed"; return 1; }
		wait_fast 100 router_away || { cat $SYS/peers; echo "cycle $i: link not reset"; return 1; }
		ta=$(now_ms)
		# The LE link is dropped with the channel: wait for it (as the
		# backoff, at least 0.75 s, would), then kick the reconnect now.
		# The backoff's own reconnect may have made a new link by the
		# time this looks (a debug guest beside builds, CI 2026-12-06:
		# "LE link not dropped" with the reconnect 3.7 s after the
		# reset): a link with another inode is a new one.
		wait_fast 100 eval '[ "$(le_id)" != "$l0" ]' ||
			{ ls -i /sys/class/bluetooth; echo "cycle $i: LE link not dropped (inode $l0 still there, reset seen at +$((ta - tc)) ms)"; return 1; }
		tl=$(now_ms) l1=$(le_id)
		if [ -n "$l1" ]; then l1="replaced (inode $l0 -> $l1)"; else l1=gone; fi
		echo "$NODE_ADDR public" >$SYS/recover 2>/dev/null
		wait_fast 300 router_connected || { cat $SYS/peers; echo "cycle $i: not back within 30 s"; return 1; }
		echo "cycle $i: reset seen at +$((ta - tc)) ms, LE link $l1 at +$((tl - tc)) ms, back at +$(($(now_ms) - tc)) ms"
	done
	info "churn: $STALLS stall/recover cycles in $(( ($(now_ms) - t0) / 1000 )) s"
	STALLS_DONE=1
	ctl_disconnect $NODE_ADDR public
	wait_for 15 none_left || { ctl_peers; echo "not cleaned up"; return 1; }
}
check stall-cycles stall_cycles

stall_memory() {
	local s
	[ "$STALLS_DONE" = 1 ] || { echo "the stall cycles did not run: nothing measured"; return 1; }
	s=$(slab_kb)
	slab_snap /tmp/slab2
	info "churn: caches that grew most over the stall cycles (KiB): $(slab_top /tmp/slab1 /tmp/slab2)"
	local core=$((CORE_KB * STALLS / CYCLES))
	info "churn: slab caches $SLAB1 -> $s KiB over $STALLS stall cycles (growth $((s - SLAB1)) KiB, bound $((core + STALL_BOUND_KB)) KiB = core alone $core + $STALL_BOUND_KB); l2cap channels $CH0 -> $(nchans)"
	[ "$(nchans)" -le "$CH0" ] || { head -n 20 /sys/kernel/debug/bluetooth/l2cap; echo "l2cap channels left behind"; return 1; }
	[ $((s - SLAB1)) -le $((core + STALL_BOUND_KB)) ] ||
		{ echo "slab grew by $((s - SLAB1)) KiB over $STALLS stall cycles: more than the core's own $core KiB + $STALL_BOUND_KB KiB"; return 1; }
}
check stall-memory stall_memory
check rmmod unload_module
