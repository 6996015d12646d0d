# SPDX-License-Identifier: GPL-2.0
# checks: setup reconnect-at-once carrier-off-reconnecting enable0-forgets-reconnects connect-timeout peers-page rmmod
# ctl: sysfs
# modules: ours
# timeout: 420
# Review defects of issue 10, router side:
# - a disconnect followed at once by a connect is not EALREADY while the
#   old channel waits for the remote's answer (controller frozen here);
# - a peer closed on request is no longer counted as connected: with only
#   a reconnect pending, carrier is off;
# - writing 0 to the upstream 6lowpan_enable forgets the peers being
#   reconnected too, not only the connected ones;
# - a router connect to an absent node lasts the core's LE connect timeout
#   (20 s), not our old 10 s channel timer;
# - "peers" says how many peers did not fit in its page.

setup() {
	connect_pair || return 1
	ROUTER_LINE="^$NODE_ADDR public $ROUTER_HCI $ROUTER_IF"
	ping_ok "" "$ROUTER_IF" "$NODE_LL"
}
check setup setup || exit 1

router_state() { ctl_peers | sed -n "s|^$NODE_ADDR public $ROUTER_HCI [^ ]* \([a-z]*\).*|\1|p" | head -n1; }
router_is() { [ "$(router_state)" = "$1" ]; }

# A connect to an absent device keeps the router's interface (and its
# counters) alive across the disconnect below, as a second peer would.
KEEPER=00:BB:00:00:01:00

at_once() {
	local rc
	echo "$KEEPER public $ROUTER_HCI" >$SYS/connect || { echo "connect to $KEEPER failed"; return 1; }
	kill -STOP "$BTVIRT_PID"	# the remote cannot answer the disconnect
	ctl_disconnect $NODE_ADDR public
	ctl_connect $NODE_ADDR public
	rc=$?
	kill -CONT "$BTVIRT_PID"
	[ $rc -eq 0 ] || { echo "connect right after disconnect failed ($rc)"; return 1; }
	wait_for 30 router_is connected || { ctl_peers; echo "the new link did not come up"; return 1; }
	wait_for 20 dad_done "" "$ROUTER_IF"
	wait_for 20 ping_ok "" "$ROUTER_IF" "$NODE_LL"
}
check reconnect-at-once at_once

carrier_off() {
	local c
	echo 0 >$SYS/enable || return 1	# the node stops listening
	echo "$NODE_ADDR public" >$SYS/recover || { echo "recover failed"; return 1; }
	wait_for 15 router_is reconnecting || { ctl_peers; echo "not reconnecting"; return 1; }
	sleep 1
	ctl_peers
	c=$(cat /sys/class/net/$ROUTER_IF/carrier 2>&1)
	log "carrier of $ROUTER_IF while reconnecting: $c"
	[ "$c" = 0 ] || { echo "carrier is '$c' with no peer connected"; return 1; }
	ctl_disconnect $KEEPER public
}
check carrier-off-reconnecting carrier_off

forgets() {
	router_is reconnecting || { ctl_peers; echo "no reconnect pending to begin with"; return 1; }
	echo 0 >$DBG/6lowpan_enable || { echo "6lowpan_enable write failed"; return 1; }
	wait_for 5 no_peers || { ctl_peers; echo "peers left after 6lowpan_enable 0"; return 1; }
	sleep 5
	no_peers || { ctl_peers; echo "a reconnect came back after 6lowpan_enable 0"; return 1; }
	wait_for 5 sh -c "! test -e /sys/class/net/$ROUTER_IF" ||
		{ echo "$ROUTER_IF still there with nothing to wait for"; return 1; }
}
check enable0-forgets-reconnects forgets

ABSENT=00:BB:00:00:00:01
absent_failed() { ctl_peers | grep -q "^$ABSENT .* failed"; }
timeout_len() {
	local t0 s
	t0=$(now_ms)
	echo "$ABSENT public $ROUTER_HCI" >$SYS/connect || { echo "connect write failed"; return 1; }
	wait_for 60 absent_failed ||
		{ ctl_peers; echo "the connect to an absent node never ended"; return 1; }
	s=$((($(now_ms) - t0) / 1000))
	ctl_peers | grep "^$ABSENT"
	info "connect to an absent node ended after $s s"
	[ "$s" -ge 19 ] || { echo "ended after $s s, before the core's 20 s LE connect timeout"; return 1; }
	ctl_peers | grep -q "^$ABSENT .* failed error=-110" || { echo "not reported as a time-out"; return 1; }
}
check connect-timeout timeout_len

page() {
	local i lines more
	for i in $(seq 2 121); do
		printf '00:BB:00:00:%02X:%02X public %s\n' $((i / 256)) $((i % 256)) $ROUTER_HCI >$SYS/connect ||
			{ echo "connect $i failed"; return 1; }
	done
	ctl_peers >/tmp/peers.txt
	lines=$(grep -c '^00:BB:' /tmp/peers.txt)
	more=$(sed -n 's/^\.\.\. \([0-9]*\) more (bt6ctl peers lists all)$/\1/p' /tmp/peers.txt)
	tail -n 2 /tmp/peers.txt
	log "peers: $lines lines shown, ${more:-no} more announced, $(wc -c </tmp/peers.txt) bytes"
	[ -n "$more" ] || { echo "120 peers did not fit, and nothing says so"; return 1; }
	[ $((lines + more)) -ge 120 ] || { echo "$lines shown + $more announced < 120"; return 1; }
	# back to nothing: disconnect every one
	for i in $(seq 1 121); do
		printf '00:BB:00:00:%02X:%02X public\n' $((i / 256)) $((i % 256)) >$SYS/disconnect 2>/dev/null
	done
	wait_for 20 no_peers || { ctl_peers | head -n 3; echo "peers left after disconnecting all"; return 1; }
}
check peers-page page

check rmmod unload_timed rmmod
