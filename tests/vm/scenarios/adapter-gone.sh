# SPDX-License-Identifier: GPL-2.0
# checks: connect ping adapter-gone peers-gone controllers-back reconnect rmmod
# ctl: sysfs
# modules: ours
# timeout: 300
# Adapter removal: btvirt killed with traffic running removes both adapters
# (hci0, hci1); the module cleans up their peers and netdevs without a
# warning, reconnects the router-role peer by itself once new controllers
# with the same addresses are up, and still unloads.

check connect connect_pair || exit 1
check ping ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"

adapter_gone() {
	ping -6 -i 0.2 -I "$ROUTER_IF" "$NODE_LL" >/dev/null 2>&1 &
	local pp=$!
	sleep 2
	kill -9 $BTVIRT_PID
	wait_for 15 test ! -e /sys/class/bluetooth/hci0 || { echo "hci0 still there"; kill $pp; return 1; }
	kill $pp 2>/dev/null
	wait_for 10 no_bt_netdevs || { echo "netdevs left: $(ip -o link show | grep bt)"; return 1; }
}
check adapter-gone adapter_gone
check peers-gone wait_for 10 no_peers

controllers_back() {
	unisolate_vrf
	start_controllers
}
check controllers-back controllers_back

# The router-role peer was remembered with its adapter's address: it comes
# back by itself once the adapter is (issue 4); no connect is written.
reconnect() {
	wait_for 30 link_up || { ctl_peers; return 1; }
	isolate_vrf || return 1
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF" &&
		ping_ok "" "$ROUTER_IF" "$NODE_LL"
}
check reconnect reconnect
check rmmod unload_module
