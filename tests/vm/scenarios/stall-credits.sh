# SPDX-License-Identifier: GPL-2.0
# checks: connect traffic stall-detected link-reset traffic-again
# ctl: debugfs
# timeout: 300
# A peer that stops returning credits (issue 4): a userspace L2CAP LE peer
# (l2peer listen -H) on hci0 accepts our router-role channel from hci1 and
# reads what we send (multicast pings), then stops reading. With a small
# receive buffer its kernel returns no more credits, our queue fills, and
# the stall watchdog (stall_timeout_ms = 2000 here) must declare the stall
# within stall_timeout_ms + 2 s, reset the channel and drop the LE link
# (the controller's connection goes away), reconnect by itself, and
# traffic must reach the peer again once it reads again, on the same
# interface (ifindex).

STALL_MS=2000
# How late the stall may be declared: 2 s for the credits to run out and
# the watchdog's periods; on the debug kernel bt6.slow x 2 s, as the one-
# frame SDUs it sends there (below) take more of them to fill l2peer's
# buffer (session 27: 3644 and 4124 ms beside a busy loop).
LATE_MS=2000
[ "${BT6_slow:-1}" = 1 ] || LATE_MS=$(slow 2000)
# 5.10: no stall (FREE_CREDITS, guest/lib.sh): there the checks below
# assert that no stall is declared, the link stays, and the peer gets
# traffic again once it reads, on the same channel.
HOLD=/tmp/hold
COUNT=/tmp/rx.count

rx() { cat $COUNT 2>/dev/null || echo 0; }
rx_grows() { # SECONDS: the peer's received frame count grows
	local a
	a=$(rx)
	sleep "$1"
	[ "$(rx)" -ge $((a + 5)) ] || { echo "the peer received $(($(rx) - a)) frames in $1 s (want 5 or more)"; return 1; }
}

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	if [ "$BT6_module" = ours ]; then
		echo $STALL_MS >$SYS/stall_timeout_ms || return 1
	fi
	# Our module does not listen: the userspace peer is the node.
	rm -f $HOLD $COUNT
	l2peer listen -a $NODE_ADDR -p 0x23 -H $HOLD -r 2048 -c $COUNT >/tmp/l2peer.log 2>&1 &
	wait_for 10 grep -q '^listening' /tmp/l2peer.log || { cat /tmp/l2peer.log; return 1; }
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	wait_for 30 grep -q '^accepted' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the peer never accepted"; return 1; }
	wait_for 15 netdev_of $ROUTER_HCI || { echo "no netdev for $ROUTER_HCI"; return 1; }
	ROUTER_IF=$(netdev_of $ROUTER_HCI)
	ip link set "$ROUTER_IF" up
	IFINDEX=$(cat /sys/class/net/$ROUTER_IF/ifindex)
	wait_for 20 dad_done "" "$ROUTER_IF" || { ip -6 addr show dev "$ROUTER_IF"; echo "no link-local address"; return 1; }
	ctl_peers
}
check connect setup || exit 1

# (the debug kernel: SDUs of one LE frame, as in backpressure.sh: the
# core's SDU use-after-free through l2peer's socket)
P_SIZE=600
[ "${BT6_slow:-1}" = 1 ] || P_SIZE=100
ping -6 -i 0.1 -s $P_SIZE -I "$ROUTER_IF" ff02::1 >/dev/null 2>&1 &
PING=$!
check traffic rx_grows 3

# stall_seen: the module logged the stall.
stall_seen() { dmesg | grep -q 'stalled (no transmit progress)'; }
stall_detected() {
	local t waited=0
	touch $HOLD
	if [ $FREE_CREDITS = 1 ]; then
		sleep $((STALL_MS / 1000 + 2))
		echo "5.10: credits keep coming from a peer that does not read"
		! stall_seen || { dmesg | grep stalled; echo "a stall was declared"; return 1; }
		ctl_peers | grep -q . || { echo "the peer is gone"; return 1; }
		return 0
	fi
	klog_mark "the peer holds"
	L0=$(le_id)
	while ! stall_seen; do
		sleep 0.1
		waited=$((waited + 1))
		[ $waited -le 150 ] || { ctl_peers; echo "no stall declared within 15 s"; return 1; }
	done
	STALL_AT=$(now_ms)
	# on the kernel log's clock, from the mark to our line
	t=$(klog_since 'the peer holds' 'stalled \(no transmit progress\)')
	[ -n "$t" ] || { echo "no mark, or no stall after it, in the kernel log"; return 1; }
	info "stall-credits: stall declared $t ms after the peer stopped reading (stall_timeout_ms=$STALL_MS, bound $((STALL_MS + LATE_MS)) ms, kernel log clock)"
	dmesg | grep 'stalled' | tail -n 1
	[ $t -le $((STALL_MS + LATE_MS)) ] ||
		{ echo "stall declared after $t ms, more than $((STALL_MS + LATE_MS)) ms"; return 1; }
}
check stall-detected stall_detected

# The channel is closed (the peer sees it) and the LE link dropped: the
# controller's connection device hci1:N disappears, or is made again by
# the reconnect (a new inode: le_id, guest/lib.sh) before this looks.
le_link_gone() { ! ls /sys/class/bluetooth | grep -q "^$ROUTER_HCI:"; }
le_link_new() { [ "$(le_id)" != "$L0" ]; }
link_reset() {
	local n=0
	if [ $FREE_CREDITS = 1 ]; then
		! le_link_gone || { echo "the LE link went"; return 1; }
		! grep -q '^closed' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the peer's channel was closed"; return 1; }
		echo "5.10: no stall, the link and the channel stay"
		return 0
	fi
	[ -n "$L0" ] || { echo "no LE link device before the stall"; return 1; }
	while ! le_link_new; do
		sleep 0.1
		n=$((n + 1))
		[ $n -le 100 ] || { ls -i /sys/class/bluetooth; echo "the LE link (inode $L0) was not dropped within 10 s"; return 1; }
	done
	echo "LE link dropped $(( $(now_ms) - STALL_AT )) ms after the stall ($(le_link_gone && echo gone || echo "made again: inode $L0 -> $(le_id)"))"
	wait_for 10 grep -q '^closed' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the peer's channel was not closed"; return 1; }
}
check link-reset link_reset

accepted_twice() { [ "$(grep -c '^accepted' /tmp/l2peer.log)" -ge 2 ]; }
traffic_again() {
	local t0 t1 n=0 c0
	rm -f $HOLD
	if [ $FREE_CREDITS = 1 ]; then
		rx_grows 2 || return 1
		[ "$(grep -c '^accepted' /tmp/l2peer.log)" = 1 ] ||
			{ cat /tmp/l2peer.log; echo "5.10: the channel was made again"; return 1; }
		return 0
	fi
	t0=$(now_ms)
	wait_for 30 accepted_twice ||
		{ cat /tmp/l2peer.log; ctl_peers; echo "no reconnect"; return 1; }
	c0=$(rx)
	while [ "$(rx)" -le "$c0" ]; do
		sleep 0.1
		n=$((n + 1))
		[ $n -le 200 ] || { ctl_peers; echo "no traffic within 20 s of the reconnect"; return 1; }
	done
	t1=$(now_ms)
	info "stall-credits: traffic reached the peer again $((t1 - t0)) ms after it read again (reconnected by itself)"
	cat /tmp/l2peer.log
	ctl_peers
	[ "$(cat /sys/class/net/$ROUTER_IF/ifindex 2>/dev/null)" = "$IFINDEX" ] ||
		{ echo "$ROUTER_IF changed: ifindex $IFINDEX before, $(cat /sys/class/net/$ROUTER_IF/ifindex 2>/dev/null) after"; return 1; }
	rx_grows 2
}
check traffic-again traffic_again
kill $PING 2>/dev/null
