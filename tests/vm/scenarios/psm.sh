# SPDX-License-Identifier: GPL-2.0
# checks: psm-default connect-0x23 ping-0x23 set-0x3e-connected peers-survive-change reconnect-0x3e ping-0x3e psm-decimal psm-leading-zero mismatch-prompt mismatch-logged mismatch-peer-state mismatch-clean mismatch-wait mismatch-retry
# ctl: sysfs
# modules: ours
# timeout: 420
# The LE PSM (issue 3): the default 0x0023 works; a change while connected
# keeps the peers and re-listens at once; both ends on the legacy 0x003E
# connect (one kernel here: both ends share the module's PSM); decimal
# input works; a router on 0x0025 against a node listening on 0x0023 (a
# userspace l2peer listener on hci0) is refused promptly, says so, leaves
# nothing behind, and a retry on 0x0023 connects.

PSM_FILE=$SYS/psm

psm_is() { # VALUE: the psm file reads exactly VALUE
	local v
	v=$(cat $PSM_FILE)
	[ "$v" = "$1" ] || { echo "psm reads '$v', want '$1'"; return 1; }
}

set_psm() { # VALUE: one write; prints the outcome
	local r
	r=$(wr $PSM_FILE "$1")
	[ "$r" = OK ] || { echo "write '$1' to psm: $r"; return 1; }
}

dmesg_mark() { DMESG_MARK=$(dmesg | wc -l); }
dmesg_since() { dmesg | tail -n +$((DMESG_MARK + 1)); }

# relink: after a reconnect the netdevs are new: put them back in the VRFs
# that connect_pair made, and wait for their link-local addresses.
relink() {
	wait_for 30 link_up || return 1
	ip link set "$NODE_IF" master vrfn && ip link set "$ROUTER_IF" master vrfr || return 1
	ip link set "$NODE_IF" up && ip link set "$ROUTER_IF" up
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF"
}

pings() {
	ping_ok "" "$ROUTER_IF" "$NODE_LL" && ping_ok "" "$NODE_IF" "$ROUTER_LL"
}

disconnect_all() {
	local a t rest
	ctl_peers | while read -r a t rest; do
		# the other end of a pair goes with the first: ENOENT is fine
		echo "$a $t" 2>/dev/null >$SYS/disconnect
	done
	wait_for 15 no_peers || { echo "peers left: $(ctl_peers)"; return 1; }
}

# (a) the default
connect_default() {
	dmesg_mark
	connect_pair || return 1
	dmesg_since | grep -i "connected, PSM"
	dmesg_since | grep -qi "hci1: peer $NODE_ADDR (public) connected, PSM 0x0023, router role" &&
		dmesg_since | grep -qi "hci0: peer $ROUTER_ADDR (public) connected, PSM 0x0023, node role" ||
		{ echo "the kernel log does not show both ends connected on PSM 0x0023"; return 1; }
}
check connect-0x23 connect_default || exit 1
check psm-default psm_is 0x0023
check ping-0x23 pings

# (b) change while connected, then both ends on the legacy 0x003E
change_connected() {
	PEERS_BEFORE=$(ctl_peers)
	echo "peers before: $PEERS_BEFORE"
	set_psm '0x3e\n' && psm_is 0x003e
}
check set-0x3e-connected change_connected

survive() {
	local after
	pings || { echo "no ping after the PSM change"; return 1; }
	after=$(ctl_peers)
	[ "$after" = "$PEERS_BEFORE" ] || { echo "peers changed: '$after'"; return 1; }
}
check peers-survive-change survive

reconnect_3e() {
	disconnect_all || return 1
	dmesg_mark
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	relink || return 1
	ctl_peers
	dmesg_since | grep bluetooth_6lowpan
	dmesg_since | grep -qi "hci1: peer $NODE_ADDR (public) connected, PSM 0x003e, router role" &&
		dmesg_since | grep -qi "hci0: peer $ROUTER_ADDR (public) connected, PSM 0x003e, node role" ||
		{ echo "the kernel log does not show both ends connected on PSM 0x003e"; return 1; }
}
check reconnect-0x3e reconnect_3e && check ping-0x3e pings

check psm-decimal eval 'set_psm "35\n" && psm_is 0x0023'

# "decimal or 0x-hex": a leading zero is still decimal (or refused), never
# octal.
leading_zero() {
	local r v
	r=$(wr $PSM_FILE '010\n')
	v=$(cat $PSM_FILE)
	echo "write '010': $r, psm reads $v"
	wr $PSM_FILE '0x23' >/dev/null
	case "$r $v" in
	"OK 0x000a" | "EINVAL 0x0023") return 0 ;;
	"OK 0x0008") echo "'010' was read as octal (0x0008), want decimal 0x000a or EINVAL"; return 1 ;;
	*) echo "'010' gave $r and psm $v, want OK and 0x000a, or EINVAL"; return 1 ;;
	esac
}
check psm-leading-zero leading_zero
psm_is 0x0023 || wr $PSM_FILE 0x23

# (c) mismatch against a userspace listener on 0x0023
mismatch_setup() {
	disconnect_all || return 1
	echo 0 >$SYS/enable || return 1
	l2peer listen -a $NODE_ADDR -p 0x23 >/tmp/listener.log 2>&1 &
	LISTENER=$!
	wait_for 10 grep -q '^listening' /tmp/listener.log ||
		{ cat /tmp/listener.log; echo "l2peer listener did not start"; return 1; }
	set_psm 0x25 && psm_is 0x0025
}

# the router's peer for the node's address: "connecting" until it fails
router_peer() { ctl_peers | grep "^$NODE_ADDR public hci1 "; }
connecting() { router_peer | grep -q ' connecting'; }

mismatch_prompt() {
	local t=0 line
	mismatch_setup || return 1
	dmesg_mark
	: >/tmp/peers.seen
	echo "$NODE_ADDR public hci1" >$SYS/connect || { echo "connect write failed"; return 1; }
	# Poll every 0.1 s for up to 10 s, keeping every peers line seen.
	while [ $t -lt 100 ]; do
		line=$(router_peer)
		[ -n "$line" ] && echo "$line" >>/tmp/peers.seen
		connecting || break
		sleep 0.1
		t=$((t + 1))
	done
	echo "peers lines seen: $(sort -u /tmp/peers.seen | tr '\n' ';')"
	[ $t -lt 100 ] || { echo "still connecting after 10 s: $(router_peer)"; return 1; }
	echo "connect failed after about $((t / 10)).$((t % 10)) s"
}
check mismatch-prompt mismatch_prompt

mismatch_logged() {
	wait_for 5 eval 'dmesg_since | grep -q "refused"'
	dmesg_since | grep bluetooth_6lowpan
	dmesg_since | grep -qi "hci1: connect to $NODE_ADDR refused by the peer: PSM 0x0025 not accepted" ||
		{ echo "no 'refused ... PSM 0x0025' line in the kernel log"; return 1; }
}
check mismatch-logged mismatch_logged

# The peers file must say why: an entry in a failed state with the
# refusal (error=111, ECONNREFUSED), at least until the next connect.
mismatch_peer_state() {
	sleep 1
	router_peer >>/tmp/peers.seen
	grep -qE 'error=(111|-111)|refused' /tmp/peers.seen ||
		{ echo "the peers file never said the PSM was refused (lines seen: '$(sort -u /tmp/peers.seen | tr '\n' ';')')"; return 1; }
}
check mismatch-peer-state mismatch_peer_state

mismatch_clean() {
	local line
	line=$(router_peer)
	if [ -n "$line" ] && ! echo "$line" | grep -qE 'error=|closed|failed|refused'; then
		echo "peer left behind in a live state: $line"
		return 1
	fi
	if netdev_of $ROUTER_HCI >/dev/null; then
		echo "netdev $(netdev_of $ROUTER_HCI) left for $ROUTER_HCI"
		return 1
	fi
	if grep -q accepted /tmp/listener.log; then
		echo "the listener on 0x0023 accepted a channel: $(cat /tmp/listener.log)"
		return 1
	fi
	echo "nothing left: peers '$(ctl_peers)', netdevs: $(ls /sys/class/net | tr '\n' ' ')"
}
check mismatch-clean mismatch_clean

# bt6ctl connect --wait against the refusing listener: exit 1 with the
# refusal as soon as the connect failed, long before its deadline
mismatch_wait() {
	local t0 ms rc
	t0=$(now_ms)
	bt6ctl connect $NODE_ADDR public -i hci1 --wait 60 >/tmp/wait.out 2>/tmp/wait.err
	rc=$?
	ms=$(($(now_ms) - t0))
	cat /tmp/wait.out /tmp/wait.err
	echo "exit $rc after $ms ms"
	[ $rc = 1 ] || { echo "exit $rc, want 1"; return 1; }
	grep -q "$NODE_ADDR: the connect failed: Connection refused" /tmp/wait.err ||
		{ echo "no 'the connect failed: Connection refused'"; return 1; }
	[ $ms -lt $(slow 20000) ] || { echo "took $ms ms: waited for the deadline, not the failure"; return 1; }
}
check mismatch-wait mismatch_wait

mismatch_retry() {
	set_psm 0x23 && psm_is 0x0023 || return 1
	echo "$NODE_ADDR public hci1" >$SYS/connect || { echo "connect write failed"; return 1; }
	wait_for 15 eval 'router_peer | grep -q " connected"' ||
		{ echo "not connected: '$(ctl_peers)'"; return 1; }
	ctl_peers
	wait_for 5 grep -q "accepted $ROUTER_ADDR" /tmp/listener.log ||
		{ echo "listener log: $(cat /tmp/listener.log)"; return 1; }
	cat /tmp/listener.log
}
check mismatch-retry mismatch_retry

kill $LISTENER 2>/dev/null
disconnect_all >/dev/null 2>&1
true
