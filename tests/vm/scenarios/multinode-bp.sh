# SPDX-License-Identifier: GPL-2.0
# checks: setup connect-both node1-answers starved-node no-delay-for-node1 no-stall rmmod
# ctl: sysfs
# modules: ours
# timeout: 300
# Back-pressure is per peer with several peers on one btX (issue 10,
# defect 6): one router adapter (hci0) holds links to two nodes at once
# (the patched emulator, btvirt-multi -l3): hci1 is our module, hci2 a
# userspace peer (l2peer listen -H, bound to hci2's address) that stops
# returning credits. The stall watchdog is off, so nothing resets it. While
# pings at 50/s pile up for hci2, pings to hci1 must still be answered,
# as fast as before: the starved peer never holds the shared queue.

BTVIRT=/bin/btvirt-multi
[ "$(cat /bench/btvirt)" = debian ] || BTVIRT=btvirt
HOLD=/tmp/hold
COUNT=/tmp/rx.count
addr_of() { hciconfig "$1" | awk '/BD Address:/ { print $3 }'; }

setup() {
	local m k
	for m in af_alg algif_hash algif_skcipher cmac ecb; do
		modprobe $m 2>/dev/null
	done
	modprobe hci_vhci || return 1
	$BTVIRT -l3 >/tmp/btvirt.log 2>&1 &
	BTVIRT_PID=$!
	wait_for 20 test -e /sys/class/bluetooth/hci2 || { echo "controllers did not appear"; return 1; }
	sleep 1
	btmgmt -i hci0 le on && btmgmt -i hci0 power on || return 1
	for k in 1 2; do
		btmgmt -i hci$k le on && btmgmt -i hci$k connectable on &&
			btmgmt -i hci$k power on && btmgmt -i hci$k advertising on || return 1
	done
	A0=$(addr_of hci0) A1=$(addr_of hci1) A2=$(addr_of hci2)
	echo "hci0 $A0 hci1 $A1 hci2 $A2"
	[ -n "$A1" ] && [ -n "$A2" ] && [ "$A1" != "$A2" ] || { echo "adapter addresses"; return 1; }
	load_module || return 1
	echo 0 >$SYS/stall_timeout_ms && echo 1 >$SYS/enable || return 1
	rm -f $HOLD $COUNT
	l2peer listen -a "$A2" -p 0x23 -H $HOLD -r 2048 -c $COUNT >/tmp/l2peer.log 2>&1 &
	wait_for 10 grep -q '^listening' /tmp/l2peer.log || { cat /tmp/l2peer.log; return 1; }
}
check setup setup || exit 1

state_of() { awk -v a="$1" '$1 == a && $3 == "hci0" { print $5 }' $SYS/peers; }
connect_both() {
	echo "$A1 public hci0" >$SYS/connect && wait_for 30 eval '[ "$(state_of $A1)" = connected ]' ||
		{ cat $SYS/peers; echo "no link to hci1"; return 1; }
	echo "$A2 public hci0" >$SYS/connect && wait_for 30 eval '[ "$(state_of $A2)" = connected ]' ||
		{ cat $SYS/peers; echo "no link to hci2"; return 1; }
	grep -q '^accepted' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the userspace peer did not accept"; return 1; }
	cat $SYS/peers
	R_IF=$(netdev_of hci0) && N_IF=$(netdev_of hci1) || { echo "netdevs"; return 1; }
	[ "$(awk '$3 == "hci0" { print $4 }' $SYS/peers | sort -u)" = "$R_IF" ] ||
		{ echo "the router's two peers are not on one btX"; return 1; }
	NODE_IF=$N_IF ROUTER_IF=$R_IF isolate_vrf || return 1
	wait_for 20 dad_done "" "$R_IF" && wait_for 20 dad_done "" "$N_IF" || return 1
	N1_LL=$(lladdr_to_ll "$A1") N2_LL=$(lladdr_to_ll "$A2")
	# the userspace peer answers no Neighbour Solicitation
	ip -6 neigh replace "$N2_LL" lladdr "$(echo "$A2" | tr 'A-F' 'a-f')" dev "$R_IF" nud permanent
}
check connect-both connect_both || exit 1

rtt() { # LOG -> average round trip in ms, or nothing
	sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p' "$1"
}
answers() { # LOG COUNT: at least COUNT replies
	[ "$(grep -c 'bytes from' "$1")" -ge "$2" ]
}
node1_answers() {
	ping -6 -c 10 -i 0.2 -w 15 -I "$R_IF" "$N1_LL" >/tmp/p0.log 2>&1
	cat /tmp/p0.log | tail -n 2
	answers /tmp/p0.log 9 || { echo "node 1 does not answer"; return 1; }
	BASE_RTT=$(rtt /tmp/p0.log)
	info "ping to node 1, nothing else: $BASE_RTT ms average"
}
check node1-answers node1_answers || exit 1

starved() {
	local d0 d1
	touch $HOLD
	ping -6 -i 0.02 -s 600 -I "$R_IF" "$N2_LL" >/dev/null 2>&1 &
	FLOOD=$!
	sleep 5
	d0=$(cat /sys/class/net/$R_IF/statistics/tx_dropped)
	sleep 2
	d1=$(cat /sys/class/net/$R_IF/statistics/tx_dropped)
	log "tx_dropped $d0 -> $d1 (the starved peer's queue is full)"
	[ $((d1 - d0)) -ge 20 ] || { echo "nothing dropped for the starved peer: is it starved?"; return 1; }
}
check starved-node starved

no_delay() {
	local r
	ping -6 -c 10 -i 0.2 -w 15 -I "$R_IF" "$N1_LL" >/tmp/p1.log 2>&1
	cat /tmp/p1.log | tail -n 2
	answers /tmp/p1.log 9 || { echo "node 1 lost pings while node 2 was starved"; return 1; }
	r=$(rtt /tmp/p1.log)
	info "ping to node 1 while node 2 is starved: $r ms average (alone: $BASE_RTT ms)"
	# the same link, the same emulator: within 3x and 20 ms of the baseline
	awk -v r="$r" -v b="$BASE_RTT" 'BEGIN { exit !(r <= 3 * b + 20) }' ||
		{ echo "node 1's round trip went from $BASE_RTT to $r ms"; return 1; }
}
check no-delay-for-node1 no_delay
kill $FLOOD 2>/dev/null
check no-stall sh -c "! dmesg | grep -q 'stalled (no transmit progress)'"
rm -f $HOLD
check rmmod unload_module
