# SPDX-License-Identifier: GPL-2.0
# checks: setup connect-cycles connect-memory stall-cycles stall-memory rmmod
# ctl: debugfs
# timeout: 600
# Churn (issue 4): 200 connect/disconnect cycles, then 50 stall/recover
# cycles (recover file: the link is reset and the LE link dropped, then the
# reconnect is kicked at once). Kernel memory must not grow: the slab
# caches skbuff_*, kmalloc-* (and -cg-), and any l2cap/bluetooth cache
# (/proc/slabinfo, active objects x object size, measured after
# drop_caches, 3 s for kfree_rcu and a SLUB shrink of every cache) may
# grow by at most 64 KiB over the 200 connect cycles (0.3 KiB a cycle: a
# leaked peer, iface, netdev or skb per cycle exceeds it) and by at most
# 32 KiB over the 50 stall cycles; the module's own size (/proc/modules)
# does not change; the core's l2cap channel list does not grow (a leaked
# channel reference); no bt netdev is left between cycles; the runner's
# kernel-log check catches refcount and unregister_netdevice warnings.
# Debian 6.1 only: each stall cycle makes a new LE connection, and 6.1
# keeps about two objects each of kmalloc-2k, -512 and -256 per LE
# connection that goes (about 5.6 KiB a cycle; 6.12 runs the same cycles
# with no growth): the stall bound is reported but not enforced there.
# Measured on 2026-11-27 to be the 6.1 core's, not ours: the same caches
# grow as much when the core drops the LE link by its own disconnect
# timeout after a plain disconnect (5.4 KiB a cycle), and grow with no
# 6lowpan module loaded at all, over 30 LE connections made and dropped
# by `l2test -J 4` on the ATT channel (2.7 KiB a connection; 6.12: none).

CYCLES=200
STALLS=50
CONNECT_BOUND_KB=64
STALL_BOUND_KB=32

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
router_away() { [ "$(router_state)" != connected ]; }

# l2cap channels the core knows (every channel until its last reference
# goes): a leaked channel reference shows here.
nchans() { grep -c . /sys/kernel/debug/bluetooth/l2cap 2>/dev/null || echo 0; }

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
mod_size() { awk '$1 == "bluetooth_6lowpan" { print $2 }' /proc/modules; }

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module || return 1
	ctl_enable 1 || return 1
	# warm-up: caches reach their working size
	local i
	for i in 1 2 3; do
		ctl_connect $NODE_ADDR public || { echo "warm-up $i: connect write failed"; return 1; }
		wait_for 30 both_up || { echo "warm-up $i: netdevs: $(ls /sys/class/net | tr '\n' ' ')"; return 1; }
		ctl_disconnect $NODE_ADDR public
		wait_for 15 none_left || { echo "warm-up $i: left after disconnect: peers '$(ctl_peers | tr '\n' ' ')' netdevs: $(ls /sys/class/net | tr '\n' ' ')"; return 1; }
	done
	MOD0=$(mod_size)
	CH0=$(nchans)
	SLAB0=$(slab_kb)
	slab_snap /tmp/slab0
	echo "slab $SLAB0 KiB, module $MOD0 bytes"
}
check setup setup || exit 1

connect_cycles() {
	local i t0
	t0=$(now_ms)
	for i in $(seq 1 $CYCLES); do
		ctl_connect $NODE_ADDR public || { echo "cycle $i: connect write failed"; return 1; }
		wait_fast 300 both_up || { ctl_peers; echo "cycle $i: not connected within 30 s"; return 1; }
		ctl_disconnect $NODE_ADDR public || { echo "cycle $i: disconnect write failed"; return 1; }
		wait_fast 150 none_left || { ctl_peers; ls /sys/class/net; echo "cycle $i: not cleaned up within 15 s"; return 1; }
	done
	info "churn: $CYCLES connect/disconnect cycles in $(( ($(now_ms) - t0) / 1000 )) s"
}
check connect-cycles connect_cycles || exit 1

connect_memory() {
	local s m
	s=$(slab_kb)
	m=$(mod_size)
	SLAB1=$s
	slab_snap /tmp/slab1
	info "churn: caches that grew most (KiB): $(slab_top /tmp/slab0 /tmp/slab1)"
	info "churn: slab caches $SLAB0 -> $s KiB over $CYCLES connect cycles (growth $((s - SLAB0)) KiB, bound $CONNECT_BOUND_KB KiB); module size $MOD0 -> $m; l2cap channels $CH0 -> $(nchans)"
	[ "$(nchans)" -le "$CH0" ] || { cat /sys/kernel/debug/bluetooth/l2cap; echo "l2cap channels left behind"; return 1; }
	[ "$m" = "$MOD0" ] || { echo "module size changed"; return 1; }
	[ $((s - SLAB0)) -le $CONNECT_BOUND_KB ] || { echo "slab grew by $((s - SLAB0)) KiB"; return 1; }
}
check connect-memory connect_memory

stall_cycles() {
	local i t0
	[ -w $SYS/recover ] || { echo "no recover file"; return 1; }
	ctl_connect $NODE_ADDR public || return 1
	wait_for 30 router_connected || { ctl_peers; return 1; }
	t0=$(now_ms)
	for i in $(seq 1 $STALLS); do
		echo "$NODE_ADDR public" >$SYS/recover || { echo "cycle $i: recover write failed"; return 1; }
		wait_fast 100 router_away || { cat $SYS/peers; echo "cycle $i: link not reset"; return 1; }
		# The LE link is dropped with the channel: wait for it (as the
		# backoff, at least 0.75 s, would), then kick the reconnect now.
		wait_fast 100 le_gone || { ls /sys/class/bluetooth; echo "cycle $i: LE link not dropped"; return 1; }
		echo "$NODE_ADDR public" >$SYS/recover 2>/dev/null
		wait_fast 300 router_connected || { cat $SYS/peers; echo "cycle $i: not back within 30 s"; return 1; }
	done
	info "churn: $STALLS stall/recover cycles in $(( ($(now_ms) - t0) / 1000 )) s"
	ctl_disconnect $NODE_ADDR public
	wait_for 15 none_left || { ctl_peers; echo "not cleaned up"; return 1; }
}
check stall-cycles stall_cycles

stall_memory() {
	local s
	s=$(slab_kb)
	slab_snap /tmp/slab2
	info "churn: caches that grew most over the stall cycles (KiB): $(slab_top /tmp/slab1 /tmp/slab2)"
	info "churn: slab caches $SLAB1 -> $s KiB over $STALLS stall cycles (growth $((s - SLAB1)) KiB, bound $STALL_BOUND_KB KiB); l2cap channels $CH0 -> $(nchans)"
	[ "$(nchans)" -le "$CH0" ] || { head -n 20 /sys/kernel/debug/bluetooth/l2cap; echo "l2cap channels left behind"; return 1; }
	case $(uname -r) in
	6.1.*)
		echo "6.1: stall bound not enforced (growth $((s - SLAB1)) KiB; see the header)"
		return 0 ;;
	esac
	[ $((s - SLAB1)) -le $STALL_BOUND_KB ] || { echo "slab grew by $((s - SLAB1)) KiB"; return 1; }
}
check stall-memory stall_memory
check rmmod unload_module
