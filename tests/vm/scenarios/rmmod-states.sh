# SPDX-License-Identifier: GPL-2.0
# checks: setup connected connecting reconnecting stalled frozen gone reload-after-gone
# ctl: debugfs
# timeout: 420
# Unload at any moment (issue 4): rmmod with the peer connected, while a
# connect is in progress, while a lost peer waits for its next reconnect
# attempt, while a peer is stalled, with the controller frozen (btvirt
# SIGSTOP), and with the controller gone (btvirt killed, its wanted peer
# remembered). Each rmmod must complete within 5 s and leave no bt netdev;
# each check then loads the module again and connects again.
# stalled: the peers file, read right before rmmod, must show the
# router-role peer stalled (else the check fails: rmmod did not run in
# that state). frozen: stall detection off (stall_timeout_ms=0) with
# traffic queued on a frozen controller for 12 s, longer than the default
# 10 s timeout: no stall may be declared (no log line, the peer still
# connected) before the rmmod.

GHOST=00:AA:01:09:09:09

# timed_rmmod WHAT: rmmod within 5 s, nothing left.
timed_rmmod() {
	local t0 t1
	t0=$(now_ms)
	timeout 10 rmmod bluetooth_6lowpan || { echo "rmmod failed ($1)"; return 1; }
	t1=$(now_ms)
	info "rmmod-states: rmmod $1 took $((t1 - t0)) ms"
	[ $((t1 - t0)) -le 5000 ] || { echo "rmmod $1 took $((t1 - t0)) ms, more than 5 s"; return 1; }
	lsmod | grep -q '^bluetooth_6lowpan' && { echo "module still listed"; return 1; }
	wait_for 5 no_bt_netdevs || { echo "bt netdevs left: $(ls /sys/class/net | tr '\n' ' ')"; return 1; }
}

# state_is STATE: the router-role peer's state in sysfs (ours only).
state_is() { grep -qi "^$NODE_ADDR .* $1" $SYS/peers 2>/dev/null; }

# load_connect: modprobe, listen, connect the pair, both netdevs there.
load_connect() {
	load_module || { echo "modprobe failed"; return 1; }
	if [ "$BT6_module" = ours ] && [ -n "$1" ]; then
		echo "$1" >$SYS/stall_timeout_ms || return 1
	fi
	ctl_enable 1 || return 1
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	wait_for 30 link_up || return 1
}

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_connect
}
check setup setup || exit 1

check connected timed_rmmod "with the peer connected"

connecting() {
	load_module && ctl_connect $GHOST public || { echo "connect to $GHOST failed"; return 1; }
	sleep 1
	[ "$BT6_module" = ours ] && { cat $SYS/peers; grep -q 'connecting' $SYS/peers || { echo "not connecting"; return 1; }; }
	timed_rmmod "while connecting" || return 1
	load_connect
}
check connecting connecting

# A userspace node on hci0 that goes away: the router-role peer is lost
# and its reconnect attempts are refused; rmmod while it waits.
reconnecting() {
	local l2
	timeout 10 rmmod bluetooth_6lowpan || return 1
	load_module || return 1
	l2peer listen -a $NODE_ADDR -p 0x23 >/tmp/l2peer.log 2>&1 &
	l2=$!
	wait_for 10 grep -q '^listening' /tmp/l2peer.log || { kill $l2; return 1; }
	ctl_connect $NODE_ADDR public || { kill $l2; return 1; }
	wait_for 30 grep -q '^accepted' /tmp/l2peer.log || { kill $l2; cat /tmp/l2peer.log; echo "not accepted"; return 1; }
	kill $l2
	if [ "$BT6_module" = ours ]; then
		wait_for 15 state_is reconnecting || { cat $SYS/peers; echo "not reconnecting"; return 1; }
		sleep 4	# a refused attempt or two: now waiting for the next one
		cat $SYS/peers
	else
		sleep 5
	fi
	timed_rmmod "while reconnecting" || return 1
	load_connect
}
check reconnecting reconnecting

nstalls() { dmesg | grep -c 'stalled (no transmit progress)'; }

# Controller frozen with traffic queued, stall_timeout_ms = 1000: rmmod as
# soon as the peer is seen stalled.
stalled() {
	local pp st
	timeout 10 rmmod bluetooth_6lowpan || return 1
	load_connect 1000 || return 1
	# No VRF here: multicast leaves through the interface (unicast to the
	# other side's address would be delivered locally).
	wait_for 20 dad_done "" "$ROUTER_IF"
	ping -6 -i 0.2 -I "$ROUTER_IF" ff02::1 >/dev/null 2>&1 &
	pp=$!
	sleep 1
	kill -STOP $BTVIRT_PID
	if [ "$BT6_module" = ours ]; then
		local n=0
		while ! state_is stalled && [ $n -lt 150 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		st=$(cat $SYS/peers)
		echo "state at rmmod: $(echo "$st" | tr '\n' ' ')"
		dmesg | grep -q 'stalled (no transmit progress)' ||
			{ kill $pp; kill -CONT $BTVIRT_PID; echo "no stall declared"; return 1; }
		echo "$st" | grep -qi "^$NODE_ADDR public $ROUTER_HCI .* stalled" || {
			kill $pp; kill -CONT $BTVIRT_PID
			echo "the router-role peer was not stalled right before rmmod: $(echo "$st" | tr '\n' ' ')"
			return 1
		}
	else
		sleep 3
	fi
	timed_rmmod "while stalled (controller frozen)"
	local rc=$?
	kill $pp 2>/dev/null
	kill -CONT $BTVIRT_PID
	[ $rc = 0 ] || return 1
	sleep 3
	load_connect
}
check stalled stalled

# Controller frozen with traffic queued, stall detection off: no stall is
# declared, the links look connected.
frozen() {
	local pp n0 st
	timeout 10 rmmod bluetooth_6lowpan || return 1
	load_connect 0 || return 1
	wait_for 20 dad_done "" "$ROUTER_IF"
	n0=$(nstalls)
	ping -6 -i 0.2 -I "$ROUTER_IF" ff02::1 >/dev/null 2>&1 &
	pp=$!
	sleep 1
	kill -STOP $BTVIRT_PID
	sleep 12
	if [ "$BT6_module" = ours ]; then
		st=$(cat $SYS/peers)
		echo "state at rmmod: $(echo "$st" | tr '\n' ' ')"
		if [ "$(nstalls)" != "$n0" ] || ! echo "$st" | grep -qi "^$NODE_ADDR public $ROUTER_HCI .* connected$"; then
			dmesg | grep 'stalled (no transmit progress)' | tail -n 2
			kill $pp; kill -CONT $BTVIRT_PID
			echo "a stall was declared with stall_timeout_ms=0 (or the peer is not connected): $(echo "$st" | tr '\n' ' ')"
			return 1
		fi
	fi
	timed_rmmod "with the controller frozen"
	local rc=$?
	kill $pp 2>/dev/null
	kill -CONT $BTVIRT_PID
	[ $rc = 0 ] || return 1
	sleep 3
	load_connect
}
check frozen frozen

# Controller gone: btvirt killed; the router-role peer is remembered for
# when the adapter is back; rmmod frees it.
gone() {
	kill -9 $BTVIRT_PID
	wait_for 15 test ! -e /sys/class/bluetooth/hci0 || { echo "hci0 still there"; return 1; }
	wait_for 10 no_bt_netdevs || { echo "netdevs left"; return 1; }
	timed_rmmod "with the controller gone"
}
check gone gone

reload_after_gone() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_connect || return 1
	timed_rmmod "after all that"
}
check reload-after-gone reload_after_gone
