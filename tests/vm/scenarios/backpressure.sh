# SPDX-License-Identifier: GPL-2.0
# checks: connect flowing queue-not-held no-stall recovers
# ctl: sysfs
# modules: ours
# timeout: 240
# not-on: 5.10
# not-on-why: 5.10's L2CAP core returns credits after every SDU whatever the socket reads (no rx_avail), so a userspace peer cannot withhold them; and it never frees the idents of those credit packets, so after 254 the peer's credits go out with ident 0 and are dropped for good (the stall-credits scenario checks what 5.10 does)
# Back-pressure is per peer and never holds the interface (issue 10,
# defect 6). A userspace peer (l2peer listen -H) on hci0 accepts our
# router-role channel from hci1, then stops reading: it returns no more
# credits. The stall watchdog is off (stall_timeout_ms=0), so nothing
# resets the link. Unicast pings keep coming at 50/s: our peer queue
# fills, and the one netdev queue must not stay stopped behind it:
# packets keep reaching bt6_xmit and are dropped and counted there
# (tx_dropped grows), where a stopped queue would hold them in the qdisc
# forever. When the peer reads again, traffic reaches it again.

HOLD=/tmp/hold
COUNT=/tmp/rx.count

rx() { cat $COUNT 2>/dev/null || echo 0; }
dropped() { cat /sys/class/net/$ROUTER_IF/statistics/tx_dropped; }

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	echo 0 >$SYS/stall_timeout_ms || return 1
	rm -f $HOLD $COUNT
	l2peer listen -a $NODE_ADDR -p 0x23 -H $HOLD -r 2048 -c $COUNT >/tmp/l2peer.log 2>&1 &
	wait_for 10 grep -q '^listening' /tmp/l2peer.log || { cat /tmp/l2peer.log; return 1; }
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	wait_for 30 grep -q '^accepted' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the peer never accepted"; return 1; }
	wait_for 15 netdev_of $ROUTER_HCI || { echo "no netdev for $ROUTER_HCI"; return 1; }
	ROUTER_IF=$(netdev_of $ROUTER_HCI)
	ip link set "$ROUTER_IF" up
	wait_for 20 dad_done "" "$ROUTER_IF" || { echo "no link-local address"; return 1; }
	# the userspace peer answers no Neighbour Solicitation
	ip -6 neigh replace "$NODE_LL" lladdr "$(echo $NODE_ADDR | tr 'A-F' 'a-f')" \
		dev "$ROUTER_IF" nud permanent
}
check connect setup || exit 1

# The debug kernel: SDUs of one LE frame (100-byte pings). A 600-byte SDU
# is reassembled by the core from three, and the core's own SDU
# use-after-free (tests/README.md: l2cap_chan_le_send_credits() reads
# chan->sdu after the socket's reader freed it) fired through l2peer's
# socket here, KASAN, in a debug run beside a busy loop (session 27) and
# before (sessions 21 and 25), whatever l2peer's pauses. One frame is never
# held in chan->sdu. The queue and the drops are the same.
P_SIZE=600
[ "${BT6_slow:-1}" = 1 ] || P_SIZE=100
ping -6 -i 0.02 -s $P_SIZE -I "$ROUTER_IF" "$NODE_LL" >/dev/null 2>&1 &
PING=$!

flowing() {
	local a
	a=$(rx)
	sleep 2
	[ "$(rx)" -ge $((a + 20)) ] || { echo "the peer received $(($(rx) - a)) frames in 2 s"; return 1; }
}
check flowing flowing

held() {
	local d0 d1
	touch $HOLD	# the peer stops reading: no more credits
	sleep 5	# its receive buffer, then our peer queue, fill up
	d0=$(dropped)
	sleep 3
	d1=$(dropped)
	log "tx_dropped $d0 -> $d1 over 3 s of pings at 50/s to a peer without credits"
	info "pings dropped at the starved peer's queue: $((d1 - d0)) in 3 s"
	[ $((d1 - d0)) -ge 50 ] ||
		{ echo "the interface queue stays stopped: $((d1 - d0)) packets reached the driver in 3 s"; return 1; }
}
check queue-not-held held

check no-stall sh -c "! dmesg | grep -q 'stalled (no transmit progress)'"

recovers() {
	local a
	rm -f $HOLD
	sleep 2
	a=$(rx)
	sleep 3
	[ "$(rx)" -ge $((a + 30)) ] || { echo "the peer received $(($(rx) - a)) frames in 3 s after reading again"; return 1; }
}
check recovers recovers
kill $PING 2>/dev/null
