# SPDX-License-Identifier: GPL-2.0
# checks: addresses connect-all one-netdev ping-node1 ping-node2 ping-node3 ping-node4 global-node1 global-node2 global-node3 global-node4 ping-from-nodes multicast-once node-leaves node-returns others-undisturbed node-pings-again stall-connect stall-reset stall-tcp stall-back stall-others disconnect rmmod
# ctl: sysfs
# modules: ours
# emulator: patched
# timeout: 480
# One router adapter (hci0, LE central) holds links to four node adapters
# (hci1..hci4, peripherals) at once, and later to a fifth, the staller
# (hci5, a userspace peer): btvirt -L -l6. Every peer of the router
# sits on its one btX; each node's btX is its own. All ends live in this one
# kernel, so each btX gets its own VRF and a ping crosses the emulated link.
# Debian's btvirt gives a central one working link only (it reports the
# central's handle to the peripheral and forwards ACL data with the
# sender's handle): BT6_BTVIRT=patched (tests/vm/patches). LE-only
# controllers (-L): with the dual mode type 6.12 re-enables a node's
# advertising at power on (node-returns) with extended advertising
# commands that btvirt fails ("Opcode 0x2039 failed: -38"). With
# BT6_BTVIRT=unpatched (the same build without the patches) or =debian,
# the router's connect to node 2 on times out and only ping-node1 passes.
#
# Addresses: link-local (RFC 7668, from each BD_ADDR), and one static
# global prefix on the router's link (2001:db8:13::/64, no radvd): every
# end adds PREFIX::IID (its own interface identifier) with nodad, and the
# prefix route that comes with it is the only route (each in its VRF).
# Unicast (ping-nodeK by link-local, global-nodeK by global address)
# proves the right peer by the module's per-peer packet counters (netlink
# peer-get, as `bt6ctl peers -s` prints them; the sysfs peers file has
# none): the router's peer K sent, and node K's end received, all the
# pings; every other node's link carried at most 1 frame each way
# meanwhile (a stray Neighbour Solicitation or Router Solicitation).
# multicast-once: pings to ff02::1 from the router, a packet socket
# (pktcap) on every node's btX: each counts every echo request exactly
# once. node-leaves/node-returns: the last node's adapter is powered off
# (btmgmt power off: the controller drops its link, as a node out of range
# would) and on again while the router pings the other nodes; the router's
# peer goes to reconnecting and auto_reconnect (module/recover.c) brings
# it back; the node's btX lingers meanwhile (BT6_NODE_LINGER_MS), so its
# VRF and addresses stay. others-undisturbed: the other nodes' pings lost
# none (bg_lost_none: only those in flight at the stop may go unanswered).
# node-pings-again: the node that came back is reached by both addresses,
# on its link only.
# stall-*: the staller stops returning credits while the router pings
# every node and sends TCP to node 1 (see there). Reconnects back off to 2 s at most here
# (reconnect_max_ms), stalls are declared after 3 s (stall_timeout_ms;
# on the debug kernel bt6.slow x 4 s).

# the image's patched emulator (tests/vm/btvirt.sh), unless the whole image
# was built with one (BT6_BTVIRT=patched|unpatched, to compare)
BTVIRT=btvirt
[ "$(cat /bench/btvirt)" = debian ] && BTVIRT=/bin/btvirt-multi

NODES=${BT6_nodes:-4}
# The debug kernel (bt6.slow > 1) does a lighter version of the same: the
# staller's traffic at a third of the rate and in SDUs of one LE frame,
# an eighth of the TCP, looser bounds of time and rate (below). At full rate its
# one vCPU fell behind (session 25: nodes 3 and 4 lost their links in
# stall-others, node 1's 1 MiB stalled at 240 KiB),
# and the staller's 600-byte SDUs, reassembled by the core from LE frames
# of 188 bytes (btvirt's LE buffer size is 192), hit the core's SDU
# use-after-free through its socket (tests/README.md): an SDU of one frame
# is never held in chan->sdu. The paths it takes are the same. Its bounds
# of time and rate are the distribution kernels' job: on the debug kernel
# TCP moves at 12 KiB/s with the staller there, its one vCPU is busy, and
# the stall's reset and reconnect take that CPU from the others (session
# 26: 2 KiB/s and pings of up to 3.6 s while it stalled, with no frame
# lost); there the bounds catch a queue held until the reset, not a pace.
# Stalls there are declared after bt6.slow x 4 s, and the background pings
# are bt6.slow times as far apart: with 3 s and 5 a second, a debug guest
# whose host had less to give (session 27: three guests and a busy loop
# on the two cores) saw healthy peers declared stalled (nodes 3 and 4, and
# the staller while it still read) and its pings lost; the CI run of
# 2026-12-06 failed there too, we think (it showed two of its six failures).
S_SIZE=600 TCP_REF=524288 TCP_STALL=1048576 BG_IVAL=0.2
if [ "${BT6_slow:-1}" != 1 ]; then
	S_SIZE=100 TCP_REF=65536 TCP_STALL=131072
	BG_IVAL=$(awk -v s="$BT6_slow" 'BEGIN { printf "%.1f", 0.2 * s }')
fi
R_HCI=hci0
# one more adapter, the staller: a userspace L2CAP peer (l2peer), not our
# module, so that it can stop returning credits (stall-*)
STALLER=$((NODES + 1))

controllers_once() {
	local k args
	$BTVIRT -L -l$((STALLER + 1)) >/tmp/btvirt.log 2>&1 &
	BTVIRT_PID=$!
	wait_for 20 test -e /sys/class/bluetooth/hci$STALLER || { echo "controllers did not appear"; return 1; }
	sleep 1
	# every adapter's set-up in one process (guest/mgmt.c)
	args="-i $R_HCI le on power on"
	for k in $(seq 1 $STALLER); do
		args="$args -i hci$k le on connectable on power on advertising on"
	done
	mgmt $args || return 1
	# an adapter whose HCI reset timed out in the core's set-up is there
	# and powers on, with no address (CI, 6.12: "hci0: Opcode 0x0c03
	# failed: -110", then 00:00:00:00:00:00): a failed set-up, tried again
	for k in $(seq 0 $STALLER); do
		case $(addr_of hci$k) in
		"" | 00:00:00:00:00:00) echo "hci$k has no address: $(dmesg | grep "hci$k:" | tail -n 1)"; return 1 ;;
		esac
	done
}

controllers() { controllers_retry controllers_once; }

# addresses: N+2 adapters, each with its own address (read, not assumed;
# controllers: none is without one)
addresses() {
	local k a seen=""
	controllers || return 1
	echo "btvirt: $(cat /bench/btvirt), $($BTVIRT -v 2>/dev/null)"
	for k in $(seq 0 $STALLER); do
		a=$(addr_of hci$k)
		echo "hci$k $a"
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
	# node-returns waits for auto_reconnect: keep its backoff short
	echo 2000 >$SYS/reconnect_max_ms || return 1
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

# global_of ADDR: the global address of the end with that BD_ADDR
PREFIX=2001:db8:13:
global_of() {
	local ll
	ll=$(lladdr_to_ll "$1")
	echo "$PREFIX:${ll#fe80::}"
}

# each btX in its own VRF (table 100 + adapter index), with its global
# address
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
		eval "ip -6 addr add \$(global_of \$ADDR_$k)/64 dev $ifc nodad" || return 1
	done
	wait_for 20 dad_done "" "$R_IF" || return 1
	for k in $(seq 1 $NODES); do
		eval "ifc=\${N_IF_$k:-}"
		[ -n "$ifc" ] || continue
		wait_for 20 dad_done "" "$ifc" || echo "no link-local address on $ifc (yet)"
	done
}
isolate_all || { check_fail ping-node1 "vrf isolation failed"; exit 1; }


# unicast K DEST: UNI_N pings from the router to DEST, node K's address,
# all answered from DEST; on node K's link the router's peer sent and node
# K's end received at least UNI_N frames, on every other node's link at
# most UNI_STRAY each way: a unicast copied to every peer puts UNI_N there,
# while neighbour reachability probes and MLD reports may put one or two
# (CI saw 2 once on 6.12). One ping first, not counted, resolves the
# neighbour (its Solicitation goes to every node).
UNI_N=8
UNI_STRAY=3
unicast() {
	local k=$1 dst=$2 j a tx rx shown line="" bad=""
	eval "[ -n \"\${N_IF_$k:-}\" ]" || echo "note: node $k has no netdev"
	ping -6 -c 1 -w 10 -I "$R_IF" "$dst" >/dev/null 2>&1
	peer_counters >/tmp/c0
	ping -6 -c $UNI_N -i 0.2 -w 15 -I "$R_IF" "$dst" | tee /tmp/ping.log
	peer_counters >/tmp/c1
	for j in $(seq 1 $NODES); do
		eval "a=\$ADDR_$j"
		tx=$(counter_delta $R_HCI "$a" 4)
		rx=$(counter_delta hci$j "$ADDR_0" 3)
		line="$line node$j:$tx/$rx"
		if [ $j = "$k" ]; then
			[ "$tx" -ge $UNI_N ] && [ "$rx" -ge $UNI_N ] || bad="$bad node$j:$tx/$rx(want >= $UNI_N)"
		else
			[ "$tx" -le $UNI_STRAY ] && [ "$rx" -le $UNI_STRAY ] || bad="$bad node$j:$tx/$rx(want <= $UNI_STRAY)"
		fi
	done
	echo "frames to $dst, router sent/node got:$line"
	# (busybox ping prints the address as it parsed it: 2001:db8:13:0:...)
	shown=$(sed -n 's/^PING [^(]*(\([^)]*\)).*/\1/p' /tmp/ping.log)
	grep -q "^$UNI_N packets transmitted, $UNI_N packets received" /tmp/ping.log &&
		grep -q "from ${shown:-$dst}: " /tmp/ping.log || { echo "not all $UNI_N pings answered by node $k ($dst)"; return 1; }
	[ -z "$bad" ] || { echo "frames on the wrong links:$bad"; return 1; }
}
R_LL=$(lladdr_to_ll "$ADDR_0")
for k in $(seq 1 $NODES); do
	eval "check ping-node$k unicast $k \$(lladdr_to_ll \$ADDR_$k)"
done
for k in $(seq 1 $NODES); do
	eval "check global-node$k unicast $k \$(global_of \$ADDR_$k)"
done

ping_from_nodes() { ping_back N_IF_ $NODES node "$R_LL"; }
check ping-from-nodes ping_from_nodes

# multicast-once: MC_N pings to ff02::1 from the router; a packet socket on
# every node's btX counts the echo requests to ff02::1 that came in
# (IPv6 next header 58, destination ff02::1, ICMPv6 type 128): MC_N on
# each, none duplicated, none missing.
multicast() {
	local ifs
	ifs=$(far_ifs N_IF_ $NODES node) || return 1
	multicast_once "$R_IF" node $ifs
}
check multicast-once multicast

# node-leaves: the last node's adapter is powered off while the router
# pings every other node in the background; the router's peer for it
# leaves the connected state (reconnecting: link lost, not asked for) and
# the other peers stay connected.
LEAVER=$NODES
eval "LEAVER_ADDR=\$ADDR_$LEAVER"
# bg_start K...: the router pings those nodes in the background
BG_PIDS="" BG_NODES=""
bg_start() {
	local j
	BG_NODES="$*" BG_PIDS=""
	bg_snap >/tmp/bg.c0
	for j in "$@"; do
		eval "ping -6 -i $BG_IVAL -I $R_IF \$(lladdr_to_ll \$ADDR_$j) >/tmp/bg$j.log 2>&1 &"
		BG_PIDS="$BG_PIDS $!"
		eval "BG_PID_$j=$!"
	done
}
# bg_snap: every peer's counters, and the router's btX drops (the
# failure of bg_lost_none shows where frames went missing)
bg_snap() {
	peer_counters
	echo "$R_HCI dev $(cat /sys/class/net/$R_IF/statistics/tx_dropped) $(cat /sys/class/net/$R_IF/statistics/rx_dropped)"
	awk '{ print "snmp", $1, $2 }' /proc/net/snmp6
}
# bg_where: what rose between bg_start and now, per node: the router's
# peer sent (tx) and received (rx), the node's end received and sent, and
# each end's drops; and the router's btX tx/rx drops
bg_where() {
	local j a
	bg_snap >/tmp/bg.c1
	for j in $BG_NODES; do
		eval "a=\$ADDR_$j"
		awk -v r=$R_HCI -v a="$a" -v n=hci$j -v ra="$ADDR_0" -v j=$j '
			FNR == NR { v0[$1 " " $2] = $0; next }
			{ split(v0[$1 " " $2], o, " ") }
			$1 == r && $2 == a { rt = $4 - o[4]; rr = $3 - o[3]; rd = $6 - o[6] }
			$1 == n && $2 == ra { nr = $3 - o[3]; nt = $4 - o[4]; nd = $6 - o[6] }
			END { printf "node %s: router sent %d, node got %d, node sent %d, router got %d; drops router %d node %d\n", j, rt, nr, nt, rr, rd, nd }' /tmp/bg.c0 /tmp/bg.c1
	done
	awk -v r=$R_HCI 'FNR == NR { if ($2 == "dev") { t = $3; x = $4 } next }
		$2 == "dev" { printf "router btX: tx_dropped +%d, rx_dropped +%d\n", $3 - t, $4 - x }' /tmp/bg.c0 /tmp/bg.c1
	awk 'NR > 1 && $NF != 0 { printf "raw6 socket inode %s: %d drops\n", $(NF - 3), $NF }' /tmp/bg.raw6
	awk -v r=$R_HCI 'FNR == NR { v[$1 " " $2] = $NF; next }
		$1 == r && $2 != "dev" && (r " " $2) in v && $6 != v[r " " $2] { printf "router peer %s: drops +%d\n", $2, $6 - v[r " " $2] }
		$1 == "snmp" && ("snmp " $2) in v && $3 != v["snmp " $2] && $2 ~ /Discard|NoRoute|Err|Drop|Fail|Echo/ { printf "%s +%d\n", $2, $3 - v["snmp " $2] }' /tmp/bg.c0 /tmp/bg.c1
}
# bg_lost_none WHILE [MAX_MS]: a second later, stop them. Each sent 5 or
# more, and every request up to the last one answered was answered (a
# loss while WHILE shows as a gap: the link answers again afterwards); the
# ones after it were in flight at the stop: at most one interval's worth
# of MAX_MS (default 1000), 5. With MAX_MS, no reply took MAX_MS or
# longer. The failure lists the missing sequence numbers.
#
# A gap is the bench's own, not the link's, when that ping's socket
# dropped at least as many replies (/proc/net/raw6, read before the stop):
# every raw ICMPv6 socket receives every echo reply on the machine (the
# other pings' too), and busybox ping sets its receive buffer to about
# 14 KiB, a dozen replies; a guest that leaves ping unscheduled for half
# a second overflows it (seen on 7.3: a gap on one node in two runs, 1-5
# drops on every socket, while every echo reply sent was received,
# Icmp6InEchoReplies = Icmp6OutEchoReplies). Said, not failed.
BG_INTERVAL_MS=$(awk -v i="$BG_IVAL" 'BEGIN { print int(i * 1000) }')	# bg_start's ping -i
# sock_drops PID: the drops of that process's raw socket, from /tmp/bg.raw6
sock_drops() {
	local ino
	ino=$(ls -l /proc/$1/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p' | head -n 1)
	awk -v i="${ino:-none}" 'NR > 1 && $(NF - 3) == i { d = $NF } END { print d + 0 }' /tmp/bg.raw6
}
bg_lost_none() {
	local j p sent got out max miss tail nmiss drops bad="" lim=${2:-1000}
	sleep 1
	cat /proc/net/raw6 >/tmp/bg.raw6
	for j in $BG_NODES; do
		eval "p=\$BG_PID_$j"
		eval "BG_DROPS_$j=$(sock_drops $p)"
	done
	kill -INT $BG_PIDS 2>/dev/null
	wait $BG_PIDS 2>/dev/null
	for j in $BG_NODES; do
		sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/bg$j.log)
		got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/bg$j.log)
		echo "node $j: ${sent:-?} sent, ${got:-?} answered, $(grep 'round-trip' /tmp/bg$j.log)"
		[ -n "$sent" ] && [ "$sent" -ge 5 ] || { bad="$bad node$j(${sent:-?} sent)"; continue; }
		# "TAIL S1 S2 ...": how many after the last answered, and the
		# unanswered before it
		out=$(sed -n 's/.* seq=\([0-9]*\) .*/\1/p' /tmp/bg$j.log | sort -n | uniq |
			awk -v sent="$sent" '{ got[$1] = 1; last = $1 }
				END { if (last == "") last = -1
				      t = sent - 1 - last
				      for (i = 0; i < last; i++) if (!(i in got)) t = t " " i
				      print t }')
		tail=${out%% *}
		miss=${out#"$tail"}
		eval "drops=\$BG_DROPS_$j"
		nmiss=$(echo $miss | wc -w)
		if [ "$nmiss" -gt 0 ] && [ "$nmiss" -le "$drops" ]; then
			echo "node $j: missing$miss, and its ping's socket dropped $drops replies: the bench's, not the link's"
		elif [ "$nmiss" -gt 0 ]; then
			bad="$bad node$j(missing$miss; its socket dropped $drops)"
		fi
		[ "$tail" -le $((lim / BG_INTERVAL_MS)) ] || bad="$bad node$j(last $tail unanswered)"
		max=$(sed -n 's|^round-trip .* = [^/]*/[^/]*/\([0-9]*\).*|\1|p' /tmp/bg$j.log)
		if [ "$j" = "${BG_RTT_FREE:-}" ]; then
			echo "node $j: max ${max:-?} ms, not bounded here"
		else
			[ -z "${2:-}" ] || [ "${max:-$lim}" -lt "$lim" ] || bad="$bad node$j(max ${max:-?} ms)"
		fi
	done
	[ -n "$BG_NODES" ] || { echo "no background pings ran while $1"; return 1; }
	[ -z "$bad" ] || bg_where
	BG_NODES="" BG_PIDS=""
	[ -z "$bad" ] || { echo "pings lost or slow while $1:$bad"; return 1; }
}
OTHERS=$(seq 1 $((NODES - 1)))
others_connected() {
	local j a
	for j in $OTHERS; do
		eval "a=\$ADDR_$j"
		[ "$(router_peer_state "$a")" = connected ] || { echo "node $j's peer is $(router_peer_state "$a")"; return 1; }
	done
}
node_leaves() {
	peer_counters >/tmp/c0
	cp /tmp/c0 /tmp/leave.c0
	bg_start $OTHERS
	sleep 1
	btmgmt -i hci$LEAVER power off || return 1
	wait_for 10 eval '[ "$(router_peer_state $LEAVER_ADDR)" = reconnecting ]' ||
		{ echo "node $LEAVER's peer is '$(router_peer_state $LEAVER_ADDR)', want reconnecting"; return 1; }
	sleep 1	# away for a while, the others pinging
	cat $SYS/peers
	others_connected
}
check node-leaves node_leaves

# node-returns: its adapter powered on and advertising again, the router's
# auto_reconnect brings the peer back (its reconnects counter rose by 1).
node_returns() {
	local n
	btmgmt -i hci$LEAVER power on && btmgmt -i hci$LEAVER advertising on || return 1
	wait_for 30 eval '[ "$(router_peer_state $LEAVER_ADDR)" = connected ]' ||
		{ echo "node $LEAVER's peer is '$(router_peer_state $LEAVER_ADDR)', want connected"; return 1; }
	cat $SYS/peers
	cp /tmp/leave.c0 /tmp/c0 && peer_counters >/tmp/c1
	n=$(counter_delta $R_HCI "$LEAVER_ADDR" 5)
	[ "$n" = 1 ] || { echo "node $LEAVER's peer reconnected $n times, want 1"; return 1; }
}
check node-returns node_returns

# others-undisturbed: the background pings, stopped now, lost none (only
# those in flight at the stop went unanswered), and those peers stayed up.
others_undisturbed() {
	bg_lost_none "node $LEAVER left" && others_connected
}
check others-undisturbed others_undisturbed

# node-pings-again: the node that came back answers by both addresses, on
# its own link only (the background pings are over: the counts are its).
node_pings_again() {
	unicast $LEAVER "$(lladdr_to_ll $LEAVER_ADDR)" && unicast $LEAVER "$(global_of $LEAVER_ADDR)"
}
check node-pings-again node_pings_again

# stall-*: the staller, hci$STALLER, is l2peer listening on our PSM (our
# module stops listening first, enable 0: the connected nodes stay; the
# core would give the channel to our older listener, bound to any, as
# soon as to one bound to the adapter's address), reading what comes
# (unicast pings from the router, S_IVAL apart), then holding (reading
# nothing: with a 2 KiB receive buffer its kernel returns no more
# credits) while the router pings every node and sends TCP to node 1.
# As in stall-credits: on 5.10 (FREE_CREDITS) no stall is declared.
STALL_MS=3000
[ "${BT6_slow:-1}" = 1 ] || STALL_MS=$(slow 4000)
# (how late stall-reset may see it: below)
STALL_LATE_MS=3000
[ "${BT6_slow:-1}" = 1 ] || STALL_LATE_MS=$(slow 4000)
# The staller's traffic: echo requests to its link-local address, 50 a
# second, which nobody answers, through a permanent neighbour entry (l2peer
# answers no Neighbour Solicitation). Unicast, so that once it holds, its
# queue passes the netdev queue's stop mark (BT6_TXQ_STOP, 32: module/
# send.c) within a second: a module that stopped the one netdev queue for
# it would hold back every node until the reset (seen: ping and TCP gaps of
# seconds with bt6_may_stop() always true). Multicast never stops the
# queue, so it could not show that. On 5.10 (FREE_CREDITS) 5 a second:
# its core never frees the signalling identifier of the LE credits packet
# that the staller's end sends for every SDU it reads, and after 256 of
# them it prints "Unable to allocate ident: -28" and sends no more
# credits (at 50 a second within 6 s; seen); we free ours (compat.h), the
# staller's end is the core's own socket. No stall there anyway.
S_IVAL=0.02
[ $FREE_CREDITS = 1 ] && S_IVAL=0.2
# (the debug kernel: bt6.slow times as far apart)
S_IVAL=$(awk -v i="$S_IVAL" -v s="${BT6_slow:-1}" 'BEGIN { printf "%.2f", i * s }')
HOLD=/tmp/hold
COUNT=/tmp/rx.count
eval "S_ADDR=\$ADDR_$STALLER"
S_LL=$(lladdr_to_ll "$S_ADDR")
# tcp_node1_start PORT OUT BYTES: TCP from the router to node 1 in the
# background; tcp_node1_end OUT waits for it, writes "RATE GAP" (KiB/s,
# the receiver's longest wait between reads in ms: xfer) to OUT
tcp_node1_start() {
	xfer recv -d "$N_IF_1" -t "$(slow 60)" $1 $3 >$2.recv 2>&1 &
	T_RECV=$!
	sleep 0.5
	xfer send -d "$R_IF" -t "$(slow 60)" "$(lladdr_to_ll "$ADDR_1")%$R_IF" $1 $3 >$2.send 2>&1 &
	T_SEND=$!
}
tcp_node1_end() {
	local rc=0
	wait $T_RECV || rc=1
	wait $T_SEND || rc=1
	[ $rc = 0 ] || { cat $1.recv $1.send; echo "the TCP transfer to node 1 failed"; return 1; }
	echo "$(sed -n 's/.*(\([0-9]*\)\.[0-9] KiB\/s)$/\1/p' $1.recv) $(sed -n 's/^xfer: longest gap \([0-9]*\) ms$/\1/p' $1.recv)" >$1
	grep -q '^[0-9][0-9]* [0-9][0-9]*$' $1 || { cat $1.recv; echo "no rate or gap from xfer"; return 1; }
}
s_rx() { cat $COUNT 2>/dev/null || echo 0; }
s_rx_grows() { # SECONDS
	local a
	a=$(s_rx)
	sleep "$1"
	[ "$(s_rx)" -ge $((a + 3)) ] || { echo "the staller received $(($(s_rx) - a)) frames in $1 s (want 3 or more)"; return 1; }
}
stall_connect() {
	echo $STALL_MS >$SYS/stall_timeout_ms && echo 0 >$SYS/enable || return 1
	rm -f $HOLD $COUNT
	l2peer listen -a "$S_ADDR" -p 0x23 -H $HOLD -r 2048 -c $COUNT >/tmp/l2peer.log 2>&1 &
	L2PEER=$!
	wait_for 10 grep -q '^listening' /tmp/l2peer.log || { cat /tmp/l2peer.log; return 1; }
	echo "$S_ADDR public $R_HCI" >$SYS/connect || return 1
	wait_for 30 grep -q '^accepted' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the staller never accepted"; return 1; }
	wait_for 10 eval '[ "$(router_peer_state $S_ADDR)" = connected ]' || { cat $SYS/peers; return 1; }
	ip -6 neigh replace "$S_LL" lladdr "$(echo "$S_ADDR" | tr A-F a-f)" dev "$R_IF" nud permanent || return 1
	ping -6 -i $S_IVAL -s $S_SIZE -I "$R_IF" "$S_LL" >/dev/null 2>&1 &
	S_PING=$!
	s_rx_grows 2 || return 1
	# stall-tcp's reference: the same transfer while the staller reads
	tcp_node1_start 5301 /tmp/tcp0 $TCP_REF && tcp_node1_end /tmp/tcp0 || return 1
	echo "TCP to node 1 while the staller reads: $(cat /tmp/tcp0)"
}
# (the rest only with the staller there; stall-others cleans up anyway)
check stall-connect stall_connect && STALL_UP=1

# stall-reset times the stall on the kernel log's clock, from a mark
# written as the staller starts holding to our "stalled" line: at least
# stall_timeout_ms less one watchdog period (module/recover.c checks every
# 0.5 s, from the last check that saw progress), at most stall_timeout_ms
# + 3 s (the staller's 2 KiB buffer and its credits run out within about
# a second at 5 frames a second, then up to two watchdog periods, and a
# second for a guest that shares its host's cores with others;
# STALL_LATE_MS, on the debug kernel 12 s: session 27 saw 8.2 s there
# with five guests and a busy loop on the two cores).
S_STALLED="peer $(echo "$S_ADDR" | tr A-F a-f) stalled"
stall_seen() { dmesg | grep -q "$S_STALLED"; }
stall_reset() {
	local t
	bg_start $(seq 1 $NODES)
	tcp_node1_start 5302 /tmp/tcp1 $TCP_STALL
	TCP_UP=1
	sleep 1
	touch $HOLD
	klog_mark "the staller holds"
	if [ $FREE_CREDITS = 1 ]; then
		sleep $((STALL_MS / 1000 + 2))
		echo "5.10: credits keep coming from a peer that does not read"
		! stall_seen || { dmesg | grep stalled; echo "a stall was declared"; return 1; }
		[ "$(router_peer_state "$S_ADDR")" = connected ] || { echo "the staller's peer is not connected"; return 1; }
		return 0
	fi
	wait_for $(((STALL_MS + STALL_LATE_MS) / 1000 + 9)) stall_seen || { cat $SYS/peers; echo "no stall declared within $(((STALL_MS + STALL_LATE_MS) / 1000 + 9)) s"; return 1; }
	dmesg | grep stalled | tail -n 1
	t=$(klog_since 'the staller holds' "$S_STALLED")
	[ -n "$t" ] || { echo "no mark, or no stall after it, in the kernel log"; return 1; }
	info "multinode: stall of one of $((NODES + 1)) peers declared $t ms after it stopped reading (stall_timeout_ms=$STALL_MS, kernel log clock)"
	[ $t -ge $((STALL_MS - 500)) ] || { echo "stall declared after $t ms, before stall_timeout_ms less 500 ms"; return 1; }
	[ $t -le $((STALL_MS + STALL_LATE_MS)) ] || { echo "stall declared after $t ms, more than $((STALL_MS + STALL_LATE_MS)) ms"; return 1; }
	wait_for 10 grep -q '^closed' /tmp/l2peer.log || { cat /tmp/l2peer.log; echo "the staller's channel was not closed"; return 1; }
}
[ -n "${STALL_UP:-}" ] && check stall-reset stall_reset

# stall-tcp: 1 MiB of TCP to node 1, started a second before the staller
# began to hold, kept its pace: its receiver never waited S_GAP_MS or
# more between two reads (measured: 13-320 ms on 6.12 beside six other
# guests), and its rate was at least a third of a reference transfer's
# (512 KiB while the staller read: stall-connect; a loose bound, as the
# host's load may change between the two). One back-pressure for the
# whole interface (a mutation: the netdev queue woken only when no peer's
# queue is above BT6_TXQ_WAKE) held every node back from the moment the
# staller's queue passed the stop mark to its reset: a wait of 2804 ms,
# 73 KiB/s against 286, and pings of 2.7-2.9 s (stall-others).
# On the debug kernel half of stall_timeout_ms: a queue held until the
# reset waits at least all of it.
S_GAP_MS=1000
[ "${BT6_slow:-1}" = 1 ] || S_GAP_MS=$((STALL_MS / 2))
# (the rate beside the stall against the rate before: at least 1/RATE_DIV)
RATE_DIV=3
[ "${BT6_slow:-1}" = 1 ] || RATE_DIV=10
stall_tcp() {
	local r0 g0 r1 g1
	[ -n "${TCP_UP:-}" ] || { echo "no transfer ran during the stall"; return 1; }
	tcp_node1_end /tmp/tcp1 || return 1
	read -r r0 g0 </tmp/tcp0
	read -r r1 g1 </tmp/tcp1
	echo "TCP to node 1: $r0 KiB/s, longest gap $g0 ms while the staller read; $r1 KiB/s, longest gap $g1 ms while it held"
	info "multinode: TCP to node 1 beside a stalled peer: $r1 KiB/s (longest gap $g1 ms) against $r0 KiB/s ($g0 ms) before"
	[ $((r1 * RATE_DIV)) -ge "$r0" ] || { echo "less than 1/$RATE_DIV of the rate of before"; return 1; }
	[ "$g1" -lt $S_GAP_MS ] || { echo "node 1's transfer waited $g1 ms (want < $S_GAP_MS)"; return 1; }
}
[ -n "${STALL_UP:-}" ] && check stall-tcp stall_tcp

# stall-back: reading again, the staller is reconnected by the router and
# gets traffic again (on 5.10: on the channel it had).
stall_back() {
	rm -f $HOLD
	if [ $FREE_CREDITS = 1 ]; then
		s_rx_grows 2 || return 1
		[ "$(grep -c '^accepted' /tmp/l2peer.log)" = 1 ] || { cat /tmp/l2peer.log; echo "5.10: the channel was made again"; return 1; }
		return 0
	fi
	wait_for 30 eval '[ "$(grep -c "^accepted" /tmp/l2peer.log)" -ge 2 ]' || { cat /tmp/l2peer.log; cat $SYS/peers; echo "no reconnect"; return 1; }
	wait_for 10 eval '[ "$(router_peer_state $S_ADDR)" = connected ]' || { cat $SYS/peers; return 1; }
	s_rx_grows 2
}
[ -n "${STALL_UP:-}" ] && check stall-back stall_back

# stall-others: meanwhile every node answered the router's pings (none
# lost but those in flight at the stop), each within STALL_RTT_MS (measured:
# 25 ms at most; a transmit queue held stopped behind the staller until
# its reset would take seconds), and stayed connected; then the staller
# goes.
#
# On the debug kernel half of stall_timeout_ms (as S_GAP_MS), and node 1
# is not bounded: its pings wait behind node 1's own TCP in its peer queue,
# which moves at 2-9 KiB/s there (session 27, beside a busy loop: 7.4 and
# 8.1 s); nodes 2-4 carry the pings alone, and a queue held behind the
# staller would hold theirs too.
STALL_RTT_MS=1000
[ "${BT6_slow:-1}" = 1 ] || STALL_RTT_MS=$((STALL_MS / 2))
stall_others() {
	local rc=0
	[ "${BT6_slow:-1}" = 1 ] || BG_RTT_FREE=1
	bg_lost_none "the staller stalled" $STALL_RTT_MS || rc=1
	BG_RTT_FREE=""
	OTHERS=$(seq 1 $NODES) others_connected || rc=1
	kill $S_PING 2>/dev/null
	echo "$S_ADDR public" >$SYS/disconnect
	kill $L2PEER 2>/dev/null
	wait $S_PING $L2PEER 2>/dev/null
	return $rc
}
check stall-others stall_others

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
