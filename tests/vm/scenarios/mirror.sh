# SPDX-License-Identifier: GPL-2.0
# checks: addresses advertise connect-all one-netdev ping-router1 ping-router2 ping-router3 ping-from-routers multicast-once router-leaves others-undisturbed disconnect rmmod
# ctl: sysfs
# modules: ours
# emulator: patched
# timeout: 360
# The mirror of multinode (issue 13): one node adapter (hci0, LE
# peripheral) with links to three router adapters (hci1..hci3, centrals)
# at once, all on the node's one btX; each router's btX is its own, in its
# own VRF. btvirt -L -l4, patched (tests/vm/patches: with Debian's the
# second router's data goes to the first).
#
# advertise: a node advertises until a central connects; the controller
# then stops (the core spec's LE Set Advertising Enable, and btvirt does),
# and the kernel does not start it again for the advertising *setting*
# (btmgmt advertising on) while any LE link exists: mgmt's Set Advertising
# then only flips the setting (net/bluetooth/mgmt.c, set_advertising), and
# only a disconnect re-enables it (hci_event.c). An advertising *instance*
# (btmgmt add-adv -c, the setting off) is rescheduled by the kernel every
# duration (2 s) and re-enabled when it is found stopped
# (hci_schedule_adv_instance_sync), which is what a node that takes more
# than one central does. With the setting instead, routers 2 and 3 time
# out (-110; tried).
#
# The per-peer counters (bt6ctl peers -s) show the right link each time:
# the node's peer K sent, and router K's end received, all the pings to
# router K; every other router's link carried at most MIR_STRAY frames
# each way meanwhile. multicast-once: ff02::1 from the node reaches every
# router exactly once (a packet socket on each router's btX).
# router-leaves: router 3's adapter is powered off while the node pings
# routers 1 and 2 in the background: their pings lose nothing and the
# node's peer for router 3 is removed (the router connected, so the node
# does not reconnect).

ROUTERS=3
N_HCI=hci0
# the image's patched emulator (tests/vm/btvirt.sh), as in multinode
BTVIRT=btvirt
[ "$(cat /bench/btvirt)" = debian ] && BTVIRT=/bin/btvirt-multi

controllers_once() {
	local k args
	$BTVIRT -L -l$((ROUTERS + 1)) >/tmp/btvirt.log 2>&1 &
	BTVIRT_PID=$!
	wait_for 20 test -e /sys/class/bluetooth/hci$ROUTERS || { echo "controllers did not appear"; return 1; }
	sleep 1
	# every adapter's set-up in one process, each setting checked
	# (guest/mgmt.c)
	args="-i $N_HCI le on connectable on power on"
	for k in $(seq 1 $ROUTERS); do
		args="$args -i hci$k le on power on"
	done
	mgmt $args || return 1
	for k in $(seq 0 $ROUTERS); do
		case $(addr_of hci$k) in
		"" | 00:00:00:00:00:00) echo "hci$k has no address: $(dmesg | grep "hci$k:" | tail -n 1)"; return 1 ;;
		esac
	done
}

controllers() { controllers_retry controllers_once; }

addresses() {
	local k a seen=""
	controllers || return 1
	echo "btvirt: $(cat /bench/btvirt), $($BTVIRT -v 2>/dev/null)"
	for k in $(seq 0 $ROUTERS); do
		a=$(addr_of hci$k)
		echo "hci$k $a"
		case " $seen " in *" $a "*) echo "hci$k repeats $a"; return 1 ;; esac
		seen="$seen $a"
		eval "ADDR_$k=$a"
	done
}
check addresses addresses || exit 1

# advertise: the setting off, one connectable instance (mgmt shows no
# more than the instance: whether the controller advertises is for
# connect-all to show)
advertise() {
	btmgmt -i $N_HCI advertising off >/dev/null || return 1
	btmgmt -i $N_HCI add-adv -c 1 || return 1
	btmgmt -i $N_HCI advinfo | tee /tmp/advinfo
	grep -q "Instances list with 1 item" /tmp/advinfo || { echo "$N_HCI has no advertising instance"; return 1; }
}
check advertise advertise || exit 1

# state of router K's peer (the router's end of its link to the node)
router_peer_state() { awk -v a="$ADDR_0" -v h="hci$1" '$1 == a && $3 == h { print $5 }' $SYS/peers; }
node_peers() { awk -v h=$N_HCI '$3 == h' $SYS/peers; }

# connect-all: the routers connect one after the other, each link staying
# up while the next is made
connect_all() {
	local k st bad=""
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	echo 1 >$SYS/enable || return 1
	for k in $(seq 1 $ROUTERS); do
		echo "$ADDR_0 public hci$k" >$SYS/connect || { echo "router $k: connect failed"; return 1; }
		wait_for 30 eval '[ "$(router_peer_state $k)" = connected ]'
		st=$(router_peer_state $k)
		[ "$st" = connected ] || bad="$bad router$k:${st:-none}"
	done
	cat $SYS/peers
	[ -z "$bad" ] || { echo "routers not connected to the node:$bad"; return 1; }
	wait_for 10 eval '[ "$(node_peers | grep -c " connected")" = $ROUTERS ]' ||
		{ echo "the node has $(node_peers | grep -c " connected") connected peers, want $ROUTERS"; return 1; }
}
check connect-all connect_all

# one-netdev: the node's peers all on its one btX; each router has its own
N_IF=""
one_netdev() {
	local k ifs
	for k in $(seq 1 $ROUTERS); do
		eval "R_IF_$k=\$(netdev_of hci$k)"
		eval "echo hci$k \${R_IF_$k:-none}"
	done
	N_IF=$(netdev_of $N_HCI) || { echo "no netdev on $N_HCI"; return 1; }
	ifs=$(node_peers | awk '{ print $4 }' | sort -u | tr '\n' ' ')
	[ "$ifs" = "$N_IF " ] || { echo "node peers on '$ifs', want $N_IF"; return 1; }
	echo "node $N_HCI $N_IF, $(node_peers | wc -l) peers"
}
check one-netdev one_netdev
[ -n "$N_IF" ] || exit 1

isolate_all() {
	local k ifc
	sysctl -qw net.ipv4.tcp_l3mdev_accept=1
	sysctl -qw net.ipv4.raw_l3mdev_accept=1 2>/dev/null
	ip -6 rule add pref 32765 table local && ip -6 rule del pref 0 || return 1
	for k in $(seq 0 $ROUTERS); do
		if [ $k = 0 ]; then ifc=$N_IF; else eval "ifc=\${R_IF_$k:-}"; fi
		[ -n "$ifc" ] || continue
		ip link add vrf$k type vrf table $((100 + k)) && ip link set vrf$k up &&
			ip link set "$ifc" master vrf$k && ip link set "$ifc" up || return 1
	done
	for k in $(seq 0 $ROUTERS); do
		if [ $k = 0 ]; then ifc=$N_IF; else eval "ifc=\${R_IF_$k:-}"; fi
		[ -n "$ifc" ] || continue
		wait_for 20 dad_done "" "$ifc" || echo "no link-local address on $ifc (yet)"
	done
}
isolate_all || { check_fail ping-router1 "vrf isolation failed"; exit 1; }

# unicast K: MIR_N pings from the node to router K's link-local address,
# all answered; the node's peer K sent and router K's end received at
# least MIR_N frames, every other link at most MIR_STRAY each way (a
# neighbour probe, an MLD report). One ping first, not counted, resolves
# the neighbour (its Solicitation goes to every router).
MIR_N=8
MIR_STRAY=3
unicast() {
	local k=$1 dst j a tx rx line="" bad=""
	eval "dst=\$(lladdr_to_ll \$ADDR_$k)"
	ping -6 -c 1 -w 10 -I "$N_IF" "$dst" >/dev/null 2>&1
	peer_counters >/tmp/c0
	ping -6 -c $MIR_N -i 0.2 -w 15 -I "$N_IF" "$dst" | tee /tmp/ping.log
	peer_counters >/tmp/c1
	for j in $(seq 1 $ROUTERS); do
		eval "a=\$ADDR_$j"
		tx=$(counter_delta $N_HCI "$a" 4)
		rx=$(counter_delta hci$j "$ADDR_0" 3)
		line="$line router$j:$tx/$rx"
		if [ $j = "$k" ]; then
			[ "$tx" -ge $MIR_N ] && [ "$rx" -ge $MIR_N ] || bad="$bad router$j:$tx/$rx(want >= $MIR_N)"
		else
			[ "$tx" -le $MIR_STRAY ] && [ "$rx" -le $MIR_STRAY ] || bad="$bad router$j:$tx/$rx(want <= $MIR_STRAY)"
		fi
	done
	echo "frames to $dst, node sent/router got:$line"
	grep -q "^$MIR_N packets transmitted, $MIR_N packets received" /tmp/ping.log &&
		grep -q "from $dst: " /tmp/ping.log || { echo "not all $MIR_N pings answered by router $k ($dst)"; return 1; }
	[ -z "$bad" ] || { echo "frames on the wrong links:$bad"; return 1; }
}
for k in $(seq 1 $ROUTERS); do
	check ping-router$k unicast $k
done

N_LL=$(lladdr_to_ll "$ADDR_0")
ping_from_routers() { ping_back R_IF_ $ROUTERS router "$N_LL"; }
check ping-from-routers ping_from_routers

# multicast-once: MC_N pings to ff02::1 from the node; a packet socket on
# every router's btX counts the echo requests to ff02::1 (IPv6 next
# header 58, destination ff02::1, ICMPv6 type 128): MC_N on each.
multicast() {
	local ifs
	ifs=$(far_ifs R_IF_ $ROUTERS router) || return 1
	multicast_once "$N_IF" router $ifs
}
check multicast-once multicast

# router-leaves: router 3's adapter powers off while the node pings
# routers 1 and 2 in the background (BG_N pings each, 5 a second); the
# node's peer for router 3 goes, the others stay connected
LEAVER=$ROUTERS
eval "LEAVER_ADDR=\$ADDR_$LEAVER"
BG_N=60
BG_PIDS=""
router_leaves() {
	local j
	for j in $(seq 1 $((ROUTERS - 1))); do
		eval "ping -6 -c $BG_N -i 0.2 -w 40 -I $N_IF \$(lladdr_to_ll \$ADDR_$j) >/tmp/bg$j.log 2>&1 &"
		BG_PIDS="$BG_PIDS $!"
	done
	sleep 2
	btmgmt -i hci$LEAVER power off >/dev/null || return 1
	wait_for 30 eval '! node_peers | grep -q "^$LEAVER_ADDR "' ||
		{ node_peers; echo "the node still has a peer for router $LEAVER"; return 1; }
	node_peers
	[ "$(node_peers | grep -c " connected")" = $((ROUTERS - 1)) ] ||
		{ echo "the other routers are not all connected"; return 1; }
}
check router-leaves router_leaves

# others-undisturbed: the background pings, once done, lost none
others_undisturbed() {
	local j line bad=""
	wait $BG_PIDS 2>/dev/null
	for j in $(seq 1 $((ROUTERS - 1))); do
		line=$(grep "packets transmitted" /tmp/bg$j.log)
		echo "router $j: ${line:-no summary: $(tail -n 2 /tmp/bg$j.log | tr '\n' ' ')}"
		echo "$line" | grep -q "^$BG_N packets transmitted, $BG_N packets received" || bad="$bad router$j"
	done
	[ -z "$bad" ] || { echo "pings lost while router $LEAVER left:$bad"; return 1; }
}
check others-undisturbed others_undisturbed

# disconnect: every router's peer has the node's address: one write ends
# them all (router 3's too, which waits to reconnect), and the node's go
# with their links
disconnect_all() {
	echo "$ADDR_0 public" >$SYS/disconnect || { echo "disconnect $ADDR_0 failed"; return 1; }
	wait_for 20 no_peers || { echo "peers left: $(ctl_peers)"; return 1; }
}
check disconnect disconnect_all
check rmmod unload_module
