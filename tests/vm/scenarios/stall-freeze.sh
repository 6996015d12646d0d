# SPDX-License-Identifier: GPL-2.0
# checks: connect ping freeze recovered same-interfaces
# ctl: debugfs
# timeout: 420
# The seed's stall (issue 4): traffic flowing (ping every 0.2 s, plus an
# l2test sender on the ATT channel of the same LE link, so that the
# Bluetooth core's own 45 s "link tx timeout" check runs), then btvirt
# frozen with SIGSTOP for 50 s, past that timeout, then SIGCONT. With no
# command typed, pings must get replies again, on the same interfaces
# (ifindex) with the same addresses on both sides (VRF-isolated). Our
# watchdog (default stall_timeout_ms, 10 s) fires first; the core's
# timeout then kills the LE link it kept for l2test: both paths meet in
# the same teardown. reconnect_max_ms = 4000 here bounds the backoff, so
# that the time from resume to the first reply (printed) is the recovery
# itself rather than a long backoff step.
# recovered also requires that our watchdog declared the stall: our
# "hci1: peer NODE stalled (no transmit progress)" line in the kernel log,
# within stall_timeout_ms + 5 s of the freeze (a marker line written to
# /dev/kmsg times it on the log's own clock) and before the core's "link
# tx timeout", if any: a recovery that only follows the core's 45 s kill
# fails. (The in-tree module has no watchdog: it fails there.)

FREEZE=50

addrs() { # NS IF: its IPv6 addresses, sorted
	ip_in "$1" ip -6 -o addr show dev "$2" | awk '{ print $4 }' | sort | tr '\n' ' '
}

check connect connect_pair || exit 1
if [ "$BT6_module" = ours ]; then
	echo 4000 >$SYS/reconnect_max_ms
fi
check ping ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"

R_IDX=$(cat /sys/class/net/$ROUTER_IF/ifindex)
N_IDX=$(cat /sys/class/net/$NODE_IF/ifindex)
R_ADDRS=$(addrs "$ROUTER_NS" "$ROUTER_IF")
N_ADDRS=$(addrs "$NODE_NS" "$NODE_IF")

ping -6 -i 0.2 -I "$ROUTER_IF" "$NODE_LL" >/tmp/steady.log 2>&1 &
STEADY=$!
# ATT (CID 4) on the router's LE link: 16 bytes every second.
l2test -s -V le_public -J 4 -b 16 -D 1000 -i $ROUTER_HCI $NODE_ADDR >/tmp/l2test.log 2>&1 &
L2TEST=$!

freeze() {
	sleep 3
	grep -q 'bytes from' /tmp/steady.log || { cat /tmp/steady.log; echo "no replies before the freeze"; return 1; }
	klog_mark "freezing btvirt"
	kill -STOP $BTVIRT_PID || return 1
	log "btvirt frozen for $FREEZE s"
	sleep $FREEZE
	RESUME=$(now_ms)
	kill -CONT $BTVIRT_PID || return 1
	dmesg | grep -E 'stalled|tx timeout|killing stalled|lost|bluetooth_6lowpan' | tail -n 15
}
check freeze freeze

first_reply() {
	local n=0 t
	while ! ip_in "$ROUTER_NS" ping -6 -c 1 -W 1 -I "$ROUTER_IF" "$NODE_LL" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -le 90 ] || { ctl_peers; dmesg | tail -n 20; echo "no reply within 90 s of the resume"; return 1; }
	done
	t=$(( $(now_ms) - RESUME ))
	ctl_peers
	dmesg | grep -E 'back after|connected, PSM|lost|stalled|tx timeout|killing' | tail -n 8
	if dmesg | grep -q 'killing stalled connection'; then
		info "stall-freeze: core link tx timeout seen; first reply $t ms after the resume (frozen ${FREEZE} s)"
	else
		info "stall-freeze: first reply $t ms after the resume (frozen ${FREEZE} s; no core link tx timeout logged)"
	fi
}
ours_first() {
	local o c lim
	dmesg | grep -q 'bench: freezing btvirt' || { echo "no freeze marker in the kernel log"; return 1; }
	o=$(klog_since 'freezing btvirt' "$ROUTER_HCI: peer $NODE_ADDR stalled \(no transmit progress\)")
	c=$(klog_since 'freezing btvirt' 'link tx timeout')
	[ -n "$o" ] || { echo "our watchdog did not declare the stall (no 'stalled (no transmit progress)' line for $NODE_ADDR on $ROUTER_HCI)"; return 1; }
	lim=$(cat $SYS/stall_timeout_ms)
	info "stall-freeze: our watchdog declared the stall $o ms into the freeze (stall_timeout_ms $lim)${c:+; the core's link tx timeout at $c ms}"
	[ $o -le $((lim + 5000)) ] || { echo "stall declared $o ms into the freeze, later than stall_timeout_ms $lim + 5 s"; return 1; }
	[ -z "$c" ] || [ "$o" -lt "$c" ] || { echo "the core's link tx timeout ($c ms) came before our stall ($o ms)"; return 1; }
}
recovered() {
	first_reply || return 1
	ours_first
}
check recovered recovered

same_interfaces() {
	local r n ra na
	r=$(cat /sys/class/net/$ROUTER_IF/ifindex 2>/dev/null)
	n=$(ip_in "$NODE_NS" cat /sys/class/net/$NODE_IF/ifindex 2>/dev/null)
	[ "$r" = "$R_IDX" ] || { echo "router $ROUTER_IF ifindex $R_IDX before, '$r' after"; return 1; }
	[ "$n" = "$N_IDX" ] || { echo "node $NODE_IF ifindex $N_IDX before, '$n' after"; return 1; }
	wait_for 10 dad_done "$ROUTER_NS" "$ROUTER_IF"
	wait_for 10 dad_done "$NODE_NS" "$NODE_IF"
	ra=$(addrs "$ROUTER_NS" "$ROUTER_IF")
	na=$(addrs "$NODE_NS" "$NODE_IF")
	[ "$ra" = "$R_ADDRS" ] || { echo "router addresses '$R_ADDRS' before, '$ra' after"; return 1; }
	[ "$na" = "$N_ADDRS" ] || { echo "node addresses '$N_ADDRS' before, '$na' after"; return 1; }
	echo "ifindex router $r node $n, addresses kept: $ra / $na"
}
check same-interfaces same_interfaces
kill $STEADY $L2TEST 2>/dev/null
