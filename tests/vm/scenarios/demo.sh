# SPDX-License-Identifier: GPL-2.0
# checks: controllers module enable connect netns ping ping-all disconnect unload
# ctl: sysfs
# modules: ours
# timeout: 300
# make demo: the whole story, narrated. Two virtual controllers in one guest:
# hci0 is the node (advertises, listens), hci1 the router (connects).
# Every step is a check: its commands' exit statuses and what it shows
# decide it, and the story stops at the first step that fails.

say() { echo; echo "### $*"; }

# show CMDLINE: print a command line for the reader, run it, print its
# output indented; returns its exit status.
show() {
	local rc
	echo "\$ $*"
	eval "$*" >/tmp/show.out 2>&1
	rc=$?
	sed 's/^/    /' /tmp/show.out
	[ $rc -eq 0 ] || echo "    (exit status $rc: $*)"
	return $rc
}

step_controllers() {
	say "Two virtual LE controllers linked to each other (btvirt -l2)"
	start_controllers >/tmp/controllers.log 2>&1 || { cat /tmp/controllers.log; return 1; }
	show "btmgmt -i hci0 info | grep 'addr $NODE_ADDR'" &&
		show "btmgmt -i hci1 info | grep 'addr $ROUTER_ADDR'"
}

step_module() {
	say "Load our module: same name as the in-tree one, found in updates/"
	show "modprobe bluetooth_6lowpan" &&
		show "modinfo -F filename bluetooth_6lowpan | grep /updates/" &&
		show "ls /sys/kernel/bluetooth_6lowpan/" &&
		show "cat /sys/kernel/bluetooth_6lowpan/psm"
}

step_enable() {
	say "Node and router roles at once: listen for IPSP on every adapter"
	show "echo 1 > /sys/kernel/bluetooth_6lowpan/enable" &&
		show "cat /sys/kernel/bluetooth_6lowpan/enable" &&
		grep -qx 1 /tmp/show.out
}

step_connect() {
	say "The router (hci1) connects to the node's address"
	show "echo '$NODE_ADDR public hci1' > /sys/kernel/bluetooth_6lowpan/connect" || return 1
	wait_for 30 link_up || { echo "no netdev for each adapter within 30 s"; return 1; }
	show "cat /sys/kernel/bluetooth_6lowpan/peers" || return 1
	grep -qi "$NODE_ADDR" /tmp/show.out || { echo "the node is not among the peers"; return 1; }
}

step_netns() {
	say "One netdev per adapter; each goes into its own network namespace"
	isolate_netns || { echo "cannot move the netdevs into namespaces"; return 1; }
	wait_for 20 dad_done nsn "$NODE_IF" && wait_for 20 dad_done nsr "$ROUTER_IF" ||
		{ echo "no usable link-local address"; return 1; }
	show "ip -n nsr -6 addr show dev $ROUTER_IF | grep $ROUTER_LL"
}

step_ping() {
	say "Ping the node's RFC 7668 link-local address from the router"
	show "ip netns exec nsr ping -6 -c 3 -I $ROUTER_IF $NODE_LL"
}

step_ping_all() {
	say "And all nodes (ff02::1) from the node side: the router answers"
	show "ip netns exec nsn ping -6 -c 2 -w 10 -I $NODE_IF ff02::1" || return 1
	grep -q "from $ROUTER_LL" /tmp/show.out || { echo "no reply from the router ($ROUTER_LL)"; return 1; }
}

step_disconnect() {
	say "Disconnect through sysfs"
	show "echo '$NODE_ADDR public' > /sys/kernel/bluetooth_6lowpan/disconnect" || return 1
	wait_for 15 no_peers || { echo "peers left: $(ctl_peers)"; return 1; }
	show "cat /sys/kernel/bluetooth_6lowpan/peers" && echo "(no peers)"
}

step_unload() {
	say "Unload: no reboot needed"
	show "rmmod bluetooth_6lowpan" || return 1
	[ ! -d /sys/module/bluetooth_6lowpan ] || { echo "the module is still loaded"; return 1; }
	echo "unloaded"
}

check controllers step_controllers || exit 1
check module step_module || exit 1
check enable step_enable || exit 1
check connect step_connect || exit 1
check netns step_netns || exit 1
check ping step_ping || exit 1
check ping-all step_ping_all || exit 1
check disconnect step_disconnect || exit 1
check unload step_unload
