# SPDX-License-Identifier: GPL-2.0
# checks: connect ping-router-to-node ping-node-to-router ping-multicast ping-1200 udp tcp-1mib disconnect rmmod
# ctl: debugfs sysfs
# timeout: 420
# The whole story: node listens, router connects, traffic both ways, the
# link goes down on request, the module unloads.

check connect connect_pair || exit 1
check ping-router-to-node ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"
check ping-node-to-router ping_ok "$NODE_NS" "$NODE_IF" "$ROUTER_LL"

mcast_reply() {
	ip_in "$ROUTER_NS" ping -6 -c 3 -w 20 -I "$ROUTER_IF" ff02::1 | tee /tmp/mc.log
	grep -q "from $NODE_LL" /tmp/mc.log || { echo "no reply from $NODE_LL to ff02::1"; return 1; }
}
check ping-multicast mcast_reply
check ping-1200 ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL" -s 1200

# UDP (IPHC next-header compression on the air): probes to a closed port
# come back as ICMPv6 port unreachable.
udp_probe() {
	ip_in "$ROUTER_NS" traceroute6 -n -q 1 -w 5 -m 2 -i "$ROUTER_IF" "$NODE_LL" | tee /tmp/udp.log
	tail -n +2 /tmp/udp.log | grep -q "$NODE_LL" || { echo "no answer to UDP probes"; return 1; }
}
check udp udp_probe

# On the debug kernel (bt6.slow > 1) 256 KiB: there 1 MiB took 51 s of the
# guest's 105 (lockdep and the allocation stack traces of each of its
# ~2,000 frames on both ends), and a quarter of it takes every path the
# whole does.
TCP_BYTES=1048576
[ "${BT6_slow:-1}" = 1 ] || TCP_BYTES=262144
tcp_1mib() {
	local rpid rc
	ip_in "$NODE_NS" xfer recv -d "$NODE_IF" -t "$(slow 60)" 5001 $TCP_BYTES >/tmp/recv.log 2>&1 &
	rpid=$!
	sleep 1
	ip_in "$ROUTER_NS" xfer send -d "$ROUTER_IF" -t "$(slow 60)" "$NODE_LL%$ROUTER_IF" 5001 $TCP_BYTES \
		>/tmp/send.log 2>&1 || kill $rpid
	wait $rpid
	rc=$?
	cat /tmp/recv.log /tmp/send.log
	return $rc
}
check tcp-1mib tcp_1mib

disconnect_ok() {
	ctl_disconnect $NODE_ADDR public || { echo "disconnect write failed"; return 1; }
	wait_for 15 no_peers || { echo "peers left: $(ctl_peers)"; return 1; }
}
check disconnect disconnect_ok
check rmmod unload_module
