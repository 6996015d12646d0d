# SPDX-License-Identifier: GPL-2.0
# checks: connect mgmt-refused ping killed restarted peer-back ping-after
# ctl: debugfs
# timeout: 300
# Controller restart (issue 4): btvirt killed with traffic running (both
# adapters unregister: no kernel warning, netdevs gone), then started
# again: the router-role peer, remembered by its adapter's BD_ADDR, comes
# back by itself (nothing written to the control files) and pings work.
# Prints the time from the adapters being up again to the first reply.
# mgmt-refused: the set-up's tool (guest/mgmt.c) fails where btmgmt says
# nothing: a command the controller refuses (no such index, status 0x11),
# a setting that is not on.

check connect connect_pair || exit 1
mgmt_refused() {
	local rc
	mgmt -i hci9 power on 2>/tmp/mgmt.err
	rc=$?
	cat /tmp/mgmt.err
	[ $rc = 1 ] && grep -q "status 0x11" /tmp/mgmt.err || { echo "hci9 power on: exit $rc"; return 1; }
	! mgmt -i "$ROUTER_HCI" is advertising || { echo "the router is advertising?"; return 1; }
	mgmt -i "$NODE_HCI" is advertising is powered is le || { echo "the node's settings are wrong"; return 1; }
}
check mgmt-refused mgmt_refused
check ping ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"

killed() {
	ping -6 -i 0.2 -I "$ROUTER_IF" "$NODE_LL" >/dev/null 2>&1 &
	local pp=$!
	sleep 2
	kill -9 $BTVIRT_PID
	wait_for 15 test ! -e /sys/class/bluetooth/hci0 || { echo "hci0 still there"; kill $pp; return 1; }
	kill $pp 2>/dev/null
	wait_for 10 no_bt_netdevs || { echo "netdevs left: $(ip -o link show | grep bt)"; return 1; }
}
check killed killed

restarted() {
	unisolate_vrf
	start_controllers || return 1
	UP_AT=$(now_ms)
}
check restarted restarted || exit 1

peer_back() {
	wait_for 40 link_up || { ctl_peers; echo "the peer did not come back by itself"; return 1; }
	isolate_vrf || return 1
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF"
}
check peer-back peer_back

ping_after() {
	local n=0
	while ! ping -6 -c 1 -W 1 -I "$ROUTER_IF" "$NODE_LL" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -le 15 ] || break
	done
	[ $n -le 15 ] &&
		info "btvirt-restart: first ping reply $(( $(now_ms) - UP_AT )) ms after the adapters were up again (reconnect, VRF set-up and DAD included)"
	ping_ok "" "$ROUTER_IF" "$NODE_LL"
}
check ping-after ping_after
