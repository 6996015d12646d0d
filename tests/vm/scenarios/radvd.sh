# SPDX-License-Identifier: GPL-2.0
# checks: connect router-global no-global-before radvd-start ra-abro slaac-address ra-routes ping-node-to-router-global ping-router-to-node-global radvd-stop rmmod
# ctl: sysfs
# modules: ours
# timeout: 360
# issue 14, border router recipe: Debian's radvd on the router's btX
# announces 2001:db8:1::/64 with an ABRO option (RFC 6775; RIOT nodes drop
# RAs without one); the node configures its global address by SLAAC from
# its EUI-64 and both ends ping each other by global address. The two ends
# live in one kernel, each netdev in its own VRF (vrfn: table 10, vrfr:
# table 20), so everything the node learns came over the link.

PREFIX=2001:db8:1

# hex32 ADDR: an IPv6 address (any textual form without an embedded IPv4
# part) as 32 hex digits, to compare addresses whatever their spelling.
hex32() {
	local head=$1 tail="" g out="" t="" n=0
	case $1 in *::*) head=${1%%::*} tail=${1#*::} ;; esac
	for g in $(echo "$head" | tr : ' '); do out=$out$(printf %04x 0x$g); n=$((n + 1)); done
	for g in $(echo "$tail" | tr : ' '); do t=$t$(printf %04x 0x$g); n=$((n + 1)); done
	while [ $n -lt 8 ]; do out=${out}0000; n=$((n + 1)); done
	echo "$out$t"
}
ROUTER_GLOBAL=$PREFIX::1
# the node's SLAAC address: the prefix and the IID of the EUI-64 that
# RFC 7668 derives from its BD_ADDR (the IID of its link-local address)
NODE_GLOBAL=$PREFIX:0:${NODE_LL#fe80::}
RA_CAP=/tmp/ra.cap

check connect connect_pair || exit 1

# The router's own address on the link: the 6LBR address the ABRO names.
router_global() {
	sysctl -qw "net.ipv6.conf.$ROUTER_IF.forwarding=1" || return 1
	ip -6 addr add "$ROUTER_GLOBAL/64" dev "$ROUTER_IF" || return 1
	wait_for 10 sh -c "ip -6 addr show dev $ROUTER_IF | grep -q '$ROUTER_GLOBAL/64' &&
		! ip -6 addr show dev $ROUTER_IF | grep -q tentative" ||
		{ ip -6 addr show dev "$ROUTER_IF"; echo "$ROUTER_GLOBAL not usable on $ROUTER_IF"; return 1; }
	ip -6 addr show dev "$ROUTER_IF"
}
check router-global router_global || exit 1

# Nothing of the prefix on the node before radvd runs: what shows up later
# came from the router advertisements. The node listens on its btX from now
# on (AF_PACKET, the IPv6 packets as the stack receives them).
no_global_before() {
	ip -6 addr show dev "$NODE_IF"
	ip -6 route show table 10
	ip -6 addr show dev "$NODE_IF" scope global | grep -q inet6 &&
		{ echo "$NODE_IF already has a global address"; return 1; }
	ip -6 route show table 10 | grep -q "^$PREFIX::/64" &&
		{ echo "the node already has a route for $PREFIX::/64"; return 1; }
	ip -6 route show table 10 | grep -q '^default' &&
		{ echo "the node already has a default route"; return 1; }
	[ "$(cat "/proc/sys/net/ipv6/conf/$NODE_IF/accept_ra")" != 0 ] ||
		{ echo "accept_ra is 0 on $NODE_IF"; return 1; }
	rm -f /tmp/ra.ready
	pktcap -i "$NODE_IF" -t dgram -T 120 -r /tmp/ra.ready >$RA_CAP 2>&1 &
	wait_for 5 test -e /tmp/ra.ready || { echo "pktcap did not start"; return 1; }
}
check no-global-before no_global_before || exit 1

# The configuration the README shows (short intervals for the test).
cat >/tmp/radvd.conf <<EOF
interface $ROUTER_IF {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	AdvDefaultLifetime 600;
	prefix $PREFIX::/64 {
		AdvOnLink on;
		AdvAutonomous on;
	};
	abro $ROUTER_GLOBAL {
		AdvVersionLow 1;
		AdvVersionHigh 0;
		AdvValidLifeTime 10000;
	};
};
EOF
chmod 644 /tmp/radvd.conf
# radvd looks its user (root) up to check the file's permissions; without
# /etc/passwd it would refuse the file unless debugging (-d).
[ -e /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd

# radvd in the foreground (-d 1: its log, to see what it did). Only the
# router's btX forwards: all.forwarding=1 would make the node's btX, in
# this same kernel, a router that ignores RAs; radvd warns and goes on.
radvd_start() {
	cat /tmp/radvd.conf
	radvd -v | head -n 1
	radvd -n -d 1 -m stderr -C /tmp/radvd.conf -p /tmp/radvd.pid >/tmp/radvd.log 2>&1 &
	RADVD_PID=$!
	sleep 2
	cat /tmp/radvd.log
	kill -0 $RADVD_PID 2>/dev/null || { echo "radvd exited"; return 1; }
	grep -q 'radvd .*version .* started' /tmp/radvd.log || { echo "radvd did not say it started"; return 1; }
	! grep -E 'Insecure|xiting|rror' /tmp/radvd.log || { echo "radvd complained"; return 1; }
}
check radvd-start radvd_start || exit 1

# ra_decode: each captured Router Advertisement as one line: its source,
# then "prefix ADDR/LEN flags FF" and "abro ADDR ver HIGH.LOW life N" for
# its options (addresses as 32 hex digits).
ra_decode() {
	awk '
	function b(i) { return substr($0, 2 * i + 1, 2) }
	function n(i, k,   v, j) { v = 0; for (j = 0; j < k; j++) v = v * 256 + hex(b(i + j)); return v }
	function hex(s) { return index("0123456789abcdef", substr(s, 1, 1)) * 16 + index("0123456789abcdef", substr(s, 2, 1)) - 17 }
	function addr(i) { return substr($0, 2 * i + 1, 32) }
	substr($0, 1, 1) == "6" && b(6) == "3a" && b(40) == "86" {
		out = "ra from " addr(8)
		for (o = 56; 2 * o < length($0); o += l) {
			t = hex(b(o)); l = hex(b(o + 1)) * 8
			if (l == 0) { out = out " bad-option-length"; break }
			if (t == 3)
				out = out " prefix " addr(o + 16) "/" hex(b(o + 2)) " flags " b(o + 3)
			else if (t == 35)
				out = out " abro " addr(o + 8) " ver " n(o + 4, 2) "." n(o + 2, 2) " life " n(o + 6, 2)
			else
				out = out " opt" t
		}
		print out
	}' $RA_CAP
}

# An RA from the router's link-local address reached the node's btX with
# the prefix (on-link and autonomous: flags 0xc0) and the ABRO naming the
# router's global address.
RA_WANT="ra from $(hex32 "$ROUTER_LL") .*prefix $(hex32 "$PREFIX::")/64 flags c0.* abro $(hex32 "$ROUTER_GLOBAL") ver 0.1 life 10000"
ra_seen() { ra_decode | grep -q "$RA_WANT"; }
ra_abro() {
	wait_for 20 ra_seen
	ra_decode | sort | uniq -c
	ra_seen || { echo "no RA with prefix and ABRO on $NODE_IF (want: $RA_WANT)"; return 1; }
}
check ra-abro ra_abro

# SLAAC: the node's btX holds PREFIX + its EUI-64 IID, learnt (dynamic,
# with lifetimes) and past DAD.
slaac_ok() {
	local a rest
	ip -o -6 addr show dev "$NODE_IF" scope global | awk '{ sub(/^.* inet6 /, ""); print }' |
		while read -r a rest; do
			[ "$(hex32 "${a%/*}")/${a#*/}" = "$(hex32 "$NODE_GLOBAL")/64" ] || continue
			echo "$rest" | grep -qw dynamic && ! echo "$rest" | grep -qw tentative && echo ok
		done | grep -q ok
}
slaac_address() {
	echo "want $NODE_GLOBAL (EUI-64 of $NODE_ADDR)"
	wait_for 30 slaac_ok
	ip -6 addr show dev "$NODE_IF"
	slaac_ok || { echo "no SLAAC address $NODE_GLOBAL/64 on $NODE_IF"; return 1; }
}
check slaac-address slaac_address

# The node's VRF table holds the prefix route (with the RA's lifetime) and
# the default route via the router's link-local address.
ra_routes() {
	ip -6 route show table 10
	ip -6 route show table 10 | grep -q "^$PREFIX::/64 dev $NODE_IF .*expires" ||
		{ echo "no prefix route from the RA in the node's table"; return 1; }
	ip -6 route show table 10 | grep -q "^default via $ROUTER_LL dev $NODE_IF .*proto ra" ||
		{ echo "no default route via $ROUTER_LL in the node's table"; return 1; }
}
check ra-routes ra_routes

# ping_global NS IF DEST: three replies from DEST, and the echo crossed
# the link (the interface received at least three more packets).
ping_global() {
	local ifc=$2 dst=$3 rx0 rx1
	rx0=$(cat "/sys/class/net/$ifc/statistics/rx_packets")
	ip_in "$1" ping -6 -c 3 -w 15 -I "$ifc" "$dst" | tee /tmp/ping.log
	rx1=$(cat "/sys/class/net/$ifc/statistics/rx_packets")
	sed -n 's/.* from \([0-9a-f:]*\): .*/\1/p' /tmp/ping.log | while read -r a; do
		[ "$(hex32 "$a")" = "$(hex32 "$dst")" ] && echo ok
	done | grep -q ok || { echo "no reply from $dst"; return 1; }
	[ $((rx1 - rx0)) -ge 3 ] || { echo "$ifc received $((rx1 - rx0)) packets during the ping"; return 1; }
}
check ping-node-to-router-global ping_global "$NODE_NS" "$NODE_IF" "$ROUTER_GLOBAL"
check ping-router-to-node-global ping_global "$ROUTER_NS" "$ROUTER_IF" "$NODE_GLOBAL"

# radvd stops on SIGTERM with a final RA (router lifetime 0): the node
# drops its default route via the router at once (without that RA it would
# stay for AdvDefaultLifetime, 600 s).
no_default() { ! ip -6 route show table 10 | grep -q "^default via $ROUTER_LL"; }
radvd_stop() {
	no_default && { echo "no default route via $ROUTER_LL to withdraw"; return 1; }
	kill -TERM $RADVD_PID
	wait_for 10 sh -c "! kill -0 $RADVD_PID" || { echo "radvd still running"; return 1; }
	wait $RADVD_PID
	cat /tmp/radvd.log
	wait_for 10 no_default
	ip -6 route show table 10
	no_default || { echo "the default route via the router survived radvd's final RA"; return 1; }
}
check radvd-stop radvd_stop
check rmmod unload_module
