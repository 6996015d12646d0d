# SPDX-License-Identifier: GPL-2.0
# checks: setup cycles
# ctl: sysfs
# modules: ours
# timeout: 300
# Unload right after a node's interface stopped lingering (found by the
# stress scenario: "WARNING ... at __queue_work" a second after rmmod, in
# a timer of an iface's linger_work, and the iface leaked). The node's
# btX lingers when its link is lost (here the router's LE link dropped
# with a mgmt Disconnect, no L2CAP disconnect first) and looks again every second (linger_work, holding the iface);
# the router reconnects by itself; a disconnect on request then removes
# the node's btX and retires its iface at once, while the last one-second
# timer may still be pending. rmmod at that moment must wait for it:
# before the fix the module was gone when the timer fired, its work was
# never run and the iface was never freed. CYCLES times, each rmmod timed
# (5 s); the runner's kernel-log check sees the warning.

CYCLES=8

# node_if_gone: the node's btX is gone (no lingering netdev left)
node_if_gone() { ! netdev_of $NODE_HCI >/dev/null; }
router_connected() { grep -qi "^$NODE_ADDR public $ROUTER_HCI .* connected" $SYS/peers; }
node_connected() { grep -qi "^$ROUTER_ADDR public $NODE_HCI .* connected" $SYS/peers; }

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module
}
check setup setup || exit 1

# one cycle: connected; the LE link dropped (the node's btX lingers); the router
# back by itself; disconnect; rmmod as soon as the node's btX is gone
cycle() {
	local n=0
	echo 1 >$SYS/enable && echo "$NODE_ADDR public" >$SYS/connect || return 1
	wait_for 30 eval 'router_connected && node_connected' || { cat $SYS/peers; echo "cycle $1: not connected"; return 1; }
	btmgmt -i $ROUTER_HCI disconnect -t 1 $NODE_ADDR >/dev/null 2>&1
	wait_for 10 eval '! router_connected' || { echo "cycle $1: the link did not drop"; return 1; }
	# lingering: the node's btX stays while the router is away
	netdev_of $NODE_HCI >/dev/null || { echo "cycle $1: the node's btX did not linger"; return 1; }
	wait_for 30 eval 'router_connected && node_connected' || { cat $SYS/peers; echo "cycle $1: the router did not come back"; return 1; }
	echo "$NODE_ADDR public" >$SYS/disconnect || { echo "cycle $1: disconnect failed"; return 1; }
	while ! node_if_gone && [ $n -lt 100 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	unload_timed "rmmod-linger: cycle $1 rmmod" || return 1
	load_module >/dev/null
}
cycles() {
	local i
	for i in $(seq 1 $CYCLES); do
		cycle $i || return 1
	done
	echo "$CYCLES cycles"
}
check cycles cycles
