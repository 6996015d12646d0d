# SPDX-License-Identifier: GPL-2.0
# checks: setup ecred-refused ns-planted-broadcast unicast-to-peer local-neigh-broadcast dispatch-raw dispatch-dgram link-still-works dup-channel-refused rmmod
# ctl: sysfs
# modules: ours
# timeout: 300
# Hostile peers (issue 10). A userspace L2CAP peer (l2peer send) on hci1
# connects to our module listening on hci0 and sends what any BLE device
# could, without pairing:
# - an enhanced credit based (ECRED) connect: refused, no channel left;
# - a Neighbour Solicitation whose source link-layer address option is
#   ff:ff:ff:ff:ff:ff: the kernel stores it as the peer's address, and its
#   Neighbour Advertisement (and every unicast after) then has a broadcast
#   next hop: it must reach that one peer, IPHC-compressed as unicast, and
#   never oops (a NULL link-layer destination in the compressor);
# - the same from a local neighbour entry (ip -6 neigh ... lladdr ff:...);
# - an uncompressed-dispatch (0x41) frame that is not IPv6: packet sockets
#   on the interface see the bytes after the dispatch, as upstream;
# - a second IPSP channel from the same device: refused, no channel left.

GO=/tmp/hostile.go
RX=/tmp/hostile.rx
L2CAP=/sys/kernel/debug/bluetooth/l2cap
PEER_LL=$(lladdr_to_ll $ROUTER_ADDR)
GARBAGE=b651deadbeef	# after the 0x41 dispatch: not an IPv6 header

nchan() { grep -c . $L2CAP 2>/dev/null; }
chan_back() { [ "$(nchan)" -le "$1" ]; }	# COUNT

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	ctl_enable 1 || { echo "enable failed"; return 1; }
	BASE_CHAN=$(nchan)
	log "l2cap channels at start: $BASE_CHAN"
}
check setup setup || exit 1

# IPSP is LE credit based mode only: an ECRED channel is closed at once.
ecred_refused() {
	echo Y >/sys/module/bluetooth/parameters/enable_ecred 2>/dev/null ||
		{ echo "cannot turn on the bluetooth module's enable_ecred"; return 1; }
	l2peer send -E -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -t 5 >/tmp/ecred.log 2>&1
	cat /tmp/ecred.log
	echo N >/sys/module/bluetooth/parameters/enable_ecred
	grep -q 'ecred\|connect failed' /tmp/ecred.log ||
		{ echo "the ECRED peer did not even try"; return 1; }
	grep -q 'closed the channel\|connect failed' /tmp/ecred.log ||
		{ echo "the ECRED channel was kept open for 5 s"; return 1; }
	dmesg | grep -q 'refused an IPSP channel' ||
		{ echo "no refusal logged by the module"; return 1; }
	[ -z "$(ctl_peers)" ] || { echo "peers after the ECRED attempt: $(ctl_peers)"; return 1; }
	wait_for 10 chan_back "$BASE_CHAN" ||
		{ echo "l2cap channels: $(nchan), at start $BASE_CHAN"; cat $L2CAP; return 1; }
}
check ecred-refused ecred_refused

rm -f $GO $RX
l2peer send -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -w $GO -o $RX -t 240 \
	ns-bcast 41$GARBAGE >/tmp/peer.log 2>&1 &
PEER_PID=$!

plant() {
	wait_for 30 grep -q '^connected' /tmp/peer.log ||
		{ cat /tmp/peer.log; echo "the peer did not connect"; return 1; }
	wait_for 15 netdev_of $NODE_HCI || { echo "no netdev for $NODE_HCI"; return 1; }
	IF=$(netdev_of $NODE_HCI)
	ip link set "$IF" up && wait_for 20 dad_done "" "$IF" || { echo "$IF not up"; return 1; }
	# packet sockets first: they must see the garbage frame
	rm -f /tmp/raw.ready /tmp/dgram.ready
	pktcap -i "$IF" -t raw -T 40 -r /tmp/raw.ready >/tmp/raw.cap 2>&1 &
	pktcap -i "$IF" -t dgram -T 40 -r /tmp/dgram.ready >/tmp/dgram.cap 2>&1 &
	wait_for 5 test -e /tmp/raw.ready -a -e /tmp/dgram.ready || { echo "pktcap did not start"; return 1; }
	: >$RX
	touch $GO
	wait_for 10 grep -q '^sent' /tmp/peer.log || { cat /tmp/peer.log; echo "frames not sent"; return 1; }
	# the NS made the kernel store the broadcast address for the peer
	wait_for 10 sh -c "ip -6 neigh show dev $IF | grep -i '$PEER_LL .*lladdr ff:ff:ff:ff:ff:ff'" || {
		ip -6 neigh show dev "$IF"
		echo "no neighbour entry with the broadcast address for $PEER_LL"
		return 1
	}
	ip -6 neigh show dev "$IF"
}
check ns-planted-broadcast plant || exit 1

# Unicast frames that reached the peer: IPHC (011xxxxx) without the M bit.
unicast_rx() {
	awk '{ a = substr($0, 1, 2); b = substr($0, 3, 2)
		if (a ~ /^[67]/ && index("01234567", substr(b, 2, 1)) > 0) n++ }
		END { print n + 0 }' $RX
}

unicast_to_peer() {
	local before
	before=$(unicast_rx)
	ping -6 -c 3 -i 0.5 -w 4 -I "$IF" "$PEER_LL" >/dev/null 2>&1	# the peer never answers
	sleep 1
	log "unicast frames at the peer: $before before the pings, $(unicast_rx) after"
	# the Neighbour Advertisement and three echo requests
	[ "$(unicast_rx)" -ge $((before + 3)) ] ||
		{ echo "the pings did not reach the peer as unicast ($(unicast_rx) frames)"; return 1; }
	kill -0 $PEER_PID || { echo "the peer is gone"; return 1; }
}
check unicast-to-peer unicast_to_peer

local_neigh() {
	local tx0 tx1 drop0 drop1
	ip -6 neigh replace fe80::1 lladdr ff:ff:ff:ff:ff:ff dev "$IF" nud permanent ||
		{ echo "cannot add the neighbour entry"; return 1; }
	tx0=$(cat /sys/class/net/$IF/statistics/tx_packets)
	drop0=$(cat /sys/class/net/$IF/statistics/tx_dropped)
	ping -6 -c 2 -i 0.5 -w 3 -I "$IF" fe80::1 >/dev/null 2>&1
	sleep 1
	tx1=$(cat /sys/class/net/$IF/statistics/tx_packets)
	drop1=$(cat /sys/class/net/$IF/statistics/tx_dropped)
	log "tx_packets $tx0 -> $tx1, tx_dropped $drop0 -> $drop1"
	# two echo requests: sent to the one peer, or dropped and counted
	[ $((tx1 - tx0 + drop1 - drop0)) -ge 2 ] || { echo "the two pings are not accounted for"; return 1; }
	ip -6 neigh del fe80::1 dev "$IF"
}
check local-neigh-broadcast local_neigh

dispatch() { # raw|dgram
	cat /tmp/$1.cap | head -n 20
	grep -qx "$GARBAGE" /tmp/$1.cap ||
		{ echo "the $1 packet socket did not see the uncompressed frame's bytes ($GARBAGE)"; return 1; }
}
check dispatch-raw dispatch raw
check dispatch-dgram dispatch dgram

still_works() {
	ctl_peers
	ctl_peers | grep -q "^$ROUTER_ADDR public $NODE_HCI $IF connected" ||
		{ echo "the peer is no longer connected"; return 1; }
	kill -0 $PEER_PID || { cat /tmp/peer.log; echo "the peer's channel is gone"; return 1; }
}
check link-still-works still_works

# A second IPSP channel from a device that has one: refused, three times
# (the cores of 5.10, 6.1 and 6.12 answer each only after about 18 s,
# that of 7.3 at once).
dup_refused() {
	local i n0 out
	n0=$(nchan)
	for i in 1 2 3; do
		timeout 20 l2peer send -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -t 2 >/tmp/dup.log 2>&1
		grep -q 'closed the channel\|connect failed' /tmp/dup.log || {
			cat /tmp/dup.log
			dmesg | tail -n 5
			echo "attempt $i: a second channel stayed open"
			return 1
		}
	done
	out=$(ctl_peers | grep -c .)
	[ "$out" = 1 ] || { ctl_peers; echo "$out peers after 3 duplicate channels"; return 1; }
	wait_for 10 chan_back "$n0" ||
		{ cat $L2CAP; echo "l2cap channels grew from $n0 to $(nchan)"; return 1; }
}
check dup-channel-refused dup_refused

kill $PEER_PID 2>/dev/null
wait $PEER_PID 2>/dev/null
unload() {
	unload_timed "rmmod after the hostile peer" || return 1
	! dmesg | grep -q 'still referenced by the core\|unload waits' ||
		{ echo "unload had to wait for the core"; return 1; }
}
check rmmod unload
