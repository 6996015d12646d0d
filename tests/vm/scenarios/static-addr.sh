# SPDX-License-Identifier: GPL-2.0
# checks: setup connect router-lladdr node-sees-identity ping-router-to-node ping-node-to-router rmmod
# ctl: sysfs
# modules: ours
# timeout: 240
# An adapter whose LE identity is a static random address (BR/EDR off, a
# static address set), as many LE-only boards are (issue 10), as the
# router: its connect goes through the core's route lookup, which matches
# the identity address and type, and its interface takes its address and
# IID from that identity (RFC 7668: the address the peer knows us by), so
# the node's view of it and its own agree. (btvirt does not connect to a
# peripheral that advertises from a static address, so the node stays
# public; the node's interface address comes from the same code.)

ROUTER_STATIC=C0:11:22:33:44:66

static_up() { # hciN ADDR [node]
	btmgmt -i "$1" power off && btmgmt -i "$1" bredr off &&
		btmgmt -i "$1" static-addr "$2" && btmgmt -i "$1" le on || return 1
	if [ -n "${3:-}" ]; then
		btmgmt -i "$1" connectable on && btmgmt -i "$1" power on &&
			btmgmt -i "$1" advertising on
	else
		btmgmt -i "$1" power on
	fi
}

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	static_up $ROUTER_HCI $ROUTER_STATIC ||
		{ echo "cannot give $ROUTER_HCI a static address"; return 1; }
	btmgmt -i $ROUTER_HCI info | grep -i 'current settings'
	btmgmt -i $ROUTER_HCI info | grep -qi 'current settings:.*br/edr' &&
		{ echo "BR/EDR still on: the identity stays public"; return 1; }
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	ctl_enable 1
}
check setup setup || exit 1

connect() {
	echo "$NODE_ADDR public $ROUTER_HCI" >$SYS/connect || { echo "connect write failed"; return 1; }
	wait_for 30 link_up || { ctl_peers; return 1; }
	ctl_peers
	isolate_vrf || return 1
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF"
}
check connect connect || exit 1

lladdr_is() { # IF ADDR
	local a
	a=$(cat /sys/class/net/$1/address)
	log "$1: address $a"
	[ "$a" = "$(echo "$2" | tr 'A-F' 'a-f')" ] || { echo "$1 has $a, not the identity $2"; return 1; }
	ip -6 addr show dev "$1" scope link | grep -q "$(lladdr_to_ll "$2")" ||
		{ ip -6 addr show dev "$1"; echo "no link-local address from $2"; return 1; }
}
check router-lladdr lladdr_is "$ROUTER_IF" $ROUTER_STATIC
check node-sees-identity sh -c "cat $SYS/peers | grep '^$ROUTER_STATIC random $NODE_HCI $NODE_IF connected'"
check ping-router-to-node ping_ok "" "$ROUTER_IF" "$NODE_LL"
check ping-node-to-router ping_ok "" "$NODE_IF" "$(lladdr_to_ll $ROUTER_STATIC)"
check rmmod unload_module
