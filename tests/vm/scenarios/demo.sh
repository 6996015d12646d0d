# SPDX-License-Identifier: GPL-2.0
# checks: story
# ctl: sysfs
# modules: ours
# timeout: 300
# make demo: the whole story, narrated. Two virtual controllers in one guest:
# hci0 is the node (advertises, listens), hci1 the router (connects).

say() { echo; echo "### $*"; }
run() { echo "\$ $*"; eval "$*" 2>&1 | sed 's/^/    /'; }

story() {
	say "Two virtual LE controllers linked to each other (btvirt -l2)"
	start_controllers >/dev/null || return 1
	run "btmgmt -i hci0 info | grep addr; btmgmt -i hci1 info | grep addr"
	say "Load our module: same name as the in-tree one, found in updates/"
	run "modprobe bluetooth_6lowpan && modinfo -F filename bluetooth_6lowpan"
	run "ls /sys/kernel/bluetooth_6lowpan/"
	run "cat /sys/kernel/bluetooth_6lowpan/psm"
	say "Node and router roles at once: listen for IPSP on every adapter"
	run "echo 1 > /sys/kernel/bluetooth_6lowpan/enable"
	say "The router (hci1) connects to the node's address"
	run "echo '$NODE_ADDR public hci1' > /sys/kernel/bluetooth_6lowpan/connect"
	wait_for 30 link_up || return 1
	run "cat /sys/kernel/bluetooth_6lowpan/peers"
	say "One netdev per adapter; each goes into its own network namespace"
	isolate_netns || return 1
	wait_for 20 dad_done nsn "$NODE_IF" && wait_for 20 dad_done nsr "$ROUTER_IF"
	run "ip -n nsr -6 addr show dev $ROUTER_IF"
	say "Ping the node's RFC 7668 link-local address from the router"
	run "ip netns exec nsr ping -6 -c 3 -I $ROUTER_IF $NODE_LL"
	say "And all nodes (ff02::1) from the node side"
	run "ip netns exec nsn ping -6 -c 2 -I $NODE_IF ff02::1"
	say "Disconnect through sysfs"
	run "echo '$NODE_ADDR public' > /sys/kernel/bluetooth_6lowpan/disconnect"
	wait_for 15 no_peers
	run "cat /sys/kernel/bluetooth_6lowpan/peers; echo '(no peers)'"
	say "Unload: no reboot needed"
	run "rmmod bluetooth_6lowpan && echo unloaded"
	no_peers 2>/dev/null; true
}
check story story
