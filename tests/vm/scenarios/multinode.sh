# SPDX-License-Identifier: GPL-2.0
# checks: addresses connect-all one-netdev ping-node1 ping-node2 ping-node3 ping-node4 ping-from-nodes disconnect rmmod
# ctl: sysfs
# modules: ours
# emulator: patched
# timeout: 420
# One router adapter (hci0, LE central) holds links to four node adapters
# (hci1..hci4, peripherals) at once: btvirt -l5. Every peer of the router
# sits on its one btX; each node's btX is its own. All ends live in this one
# kernel, so each btX gets its own VRF and a ping crosses the emulated link.
# Debian's btvirt gives a central one working link only (it reports the
# central's handle to the peripheral and forwards ACL data with the
# sender's handle): BT6_BTVIRT=patched (tests/vm/patches). With
# BT6_BTVIRT=unpatched (the same build without the patches) or =debian,
# the router's connect to node 2 on times out and only ping-node1 passes.

# the image's patched emulator (tests/vm/btvirt.sh), unless the whole image
# was built with one (BT6_BTVIRT=patched|unpatched, to compare)
BTVIRT=btvirt
[ "$(cat /bench/btvirt)" = debian ] && BTVIRT=/bin/btvirt-multi

NODES=${BT6_nodes:-4}
R_HCI=hci0

# addr_of hciN: the adapter's BD_ADDR as hciconfig shows it.
addr_of() { hciconfig "$1" | awk '/BD Address:/ { print $3 }'; }

controllers_once() {
	local k
	$BTVIRT -l$((NODES + 1)) >/tmp/btvirt.log 2>&1 &
	BTVIRT_PID=$!
	wait_for 20 test -e /sys/class/bluetooth/hci$NODES || { echo "controllers did not appear"; return 1; }
	sleep 1
	btmgmt -i $R_HCI le on && btmgmt -i $R_HCI power on || return 1
	for k in $(seq 1 $NODES); do
		btmgmt -i hci$k le on && btmgmt -i hci$k connectable on &&
			btmgmt -i hci$k power on && btmgmt -i hci$k advertising on || return 1
	done
}

controllers() {
	local m
	for m in af_alg algif_hash algif_skcipher cmac ecb; do
		modprobe $m 2>/dev/null
	done
	modprobe hci_vhci || return 1
	controllers_once && return 0
	echo "controller set-up failed; restarting btvirt once"
	kill "$BTVIRT_PID" 2>/dev/null
	wait "$BTVIRT_PID" 2>/dev/null
	wait_for 10 test ! -e /sys/class/bluetooth/hci0
	controllers_once
}

# addresses: N+1 adapters, each with its own address (read, not assumed).
addresses() {
	local k a seen=""
	controllers || return 1
	echo "btvirt: $(cat /bench/btvirt), $($BTVIRT -v 2>/dev/null)"
	for k in $(seq 0 $NODES); do
		a=$(addr_of hci$k)
		echo "hci$k $a"
		case $a in "" | 00:00:00:00:00:00) echo "hci$k has no address"; return 1 ;; esac
		case " $seen " in *" $a "*) echo "hci$k repeats $a"; return 1 ;; esac
		seen="$seen $a"
		eval "ADDR_$k=$a"
	done
}
check addresses addresses || exit 1

router_peer_state() { # ADDR -> state of the router's peer with that address
	awk -v a="$1" -v h=$R_HCI '$1 == a && $3 == h { print $5 }' $SYS/peers
}

# connect-all: the router connects to each node in turn (each link stays up
# while the next one is made); a node that fails is reported and the rest
# are still tried, so that the pings below show which links carry data.
connect_all() {
	local k a st bad=""
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	echo 1 >$SYS/enable || return 1
	for k in $(seq 1 $NODES); do
		eval "a=\$ADDR_$k"
		echo "$a public $R_HCI" >$SYS/connect || { echo "connect $a failed"; return 1; }
		wait_for 30 eval '[ "$(router_peer_state $a)" = connected ]'
		st=$(router_peer_state "$a")
		[ "$st" = connected ] || bad="$bad node$k($a):${st:-none}"
	done
	cat $SYS/peers
	[ -z "$bad" ] || { echo "router peers not connected:$bad"; return 1; }
	[ "$(awk -v h=$R_HCI '$3 == h && $5 == "connected"' $SYS/peers | wc -l)" = $NODES ] ||
		{ echo "not all $NODES router peers connected"; return 1; }
}
check connect-all connect_all

# one-netdev: all router peers on one btX; each node adapter has its own.
R_IF=""
one_netdev() {
	local k ifs
	for k in $(seq 1 $NODES); do
		eval "N_IF_$k=\$(netdev_of hci$k)"
		eval "echo hci$k \${N_IF_$k:-none}"
	done
	R_IF=$(netdev_of $R_HCI) || { echo "no netdev on $R_HCI"; return 1; }
	ifs=$(awk -v h=$R_HCI '$3 == h { print $4 }' $SYS/peers | sort -u | tr '\n' ' ')
	[ "$ifs" = "$R_IF " ] || { echo "router peers on '$ifs', want $R_IF"; return 1; }
	echo "router $R_HCI $R_IF, $(awk -v h=$R_HCI '$3 == h' $SYS/peers | wc -l) peers"
}
check one-netdev one_netdev
[ -n "$R_IF" ] || exit 1

# each btX in its own VRF (table 100 + adapter index)
isolate_all() {
	local k ifc
	sysctl -qw net.ipv4.tcp_l3mdev_accept=1
	sysctl -qw net.ipv4.raw_l3mdev_accept=1 2>/dev/null
	ip -6 rule add pref 32765 table local && ip -6 rule del pref 0 || return 1
	for k in $(seq 0 $NODES); do
		if [ $k = 0 ]; then ifc=$R_IF; else eval "ifc=\${N_IF_$k:-}"; fi
		[ -n "$ifc" ] || continue
		ip link add vrf$k type vrf table $((100 + k)) && ip link set vrf$k up &&
			ip link set "$ifc" master vrf$k && ip link set "$ifc" up || return 1
	done
	wait_for 20 dad_done "" "$R_IF" || return 1
	for k in $(seq 1 $NODES); do
		eval "ifc=\${N_IF_$k:-}"
		[ -n "$ifc" ] || continue
		wait_for 20 dad_done "" "$ifc" || echo "no link-local address on $ifc (yet)"
	done
}
isolate_all || { check_fail ping-node1 "vrf isolation failed"; exit 1; }

# ping-nodeK: the router reaches node K's link-local address over its btX,
# and the replies come from that address.
R_LL=$(lladdr_to_ll "$ADDR_0")
ping_node() { # K
	local ll
	eval "[ -n \"\${N_IF_$1:-}\" ]" || echo "note: node $1 has no netdev"
	eval "ll=\$(lladdr_to_ll \$ADDR_$1)"
	ping -6 -c 3 -w 15 -I "$R_IF" "$ll" | tee /tmp/ping.log
	grep -q "from $ll" /tmp/ping.log || { echo "no reply from node $1 ($ll)"; return 1; }
}
for k in $(seq 1 $NODES); do
	check ping-node$k ping_node $k
done

ping_from_nodes() {
	local k ifc bad=""
	for k in $(seq 1 $NODES); do
		eval "ifc=\${N_IF_$k:-}"
		[ -n "$ifc" ] && ping_ok "" "$ifc" "$R_LL" >/tmp/pb.log 2>&1 || bad="$bad $k"
	done
	[ -z "$bad" ] || { echo "no reply from the router to node(s)$bad"; return 1; }
	echo "all $NODES nodes reach $R_LL"
}
check ping-from-nodes ping_from_nodes

disconnect_all() {
	local k a
	for k in $(seq 1 $NODES); do
		eval "a=\$ADDR_$k"
		echo "$a public" >$SYS/disconnect || { echo "disconnect $a failed"; return 1; }
	done
	wait_for 20 no_peers || { echo "peers left: $(ctl_peers)"; return 1; }
}
check disconnect disconnect_all
check rmmod unload_module
