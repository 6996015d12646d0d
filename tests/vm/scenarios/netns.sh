# SPDX-License-Identifier: GPL-2.0
# checks: connect ping-router-to-node ping-node-to-router tcp-256k disconnect rmmod
# ctl: debugfs sysfs
# timeout: 300
# Each bt netdev moved into its own network namespace keeps working
# (the in-tree module drops a moved netdev from its list).

ISOLATE=netns
check connect connect_pair || exit 1
check ping-router-to-node ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"
check ping-node-to-router ping_ok "$NODE_NS" "$NODE_IF" "$ROUTER_LL"

tcp_256k() {
	local rpid rc
	ip_in "$NODE_NS" xfer recv -t "$(slow 120)" 5002 262144 >/tmp/recv.log 2>&1 &
	rpid=$!
	sleep 1
	ip_in "$ROUTER_NS" xfer send -t "$(slow 120)" "$NODE_LL%$ROUTER_IF" 5002 262144 \
		>/tmp/send.log 2>&1 || kill $rpid
	wait $rpid
	rc=$?
	cat /tmp/recv.log /tmp/send.log
	return $rc
}
check tcp-256k tcp_256k

disconnect_ok() {
	ctl_disconnect $NODE_ADDR public || { echo "disconnect write failed"; return 1; }
	wait_for 15 no_peers || { echo "peers left: $(ctl_peers)"; return 1; }
}
check disconnect disconnect_ok
check rmmod unload_module
