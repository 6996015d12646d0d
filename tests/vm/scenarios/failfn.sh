# SPDX-License-Identifier: GPL-2.0
# checks: setup sites connect-bt6_iface_alloc connect-bt6_peer_alloc connect-bt6_chan_new listen-bt6_chan_new psm-bt6_chan_new incoming-bt6_peer_alloc incoming-bt6_iface_alloc netdev-bt6_netdev_create tx-bt6_chan_alloc_skb rx-bt6_rx_make_room link-after rmmod reload
# ctl: sysfs
# modules: ours
# only-on: debug
# only-on-why: fail_function and the module's error-injection sites exist only with CONFIG_FUNCTION_ERROR_INJECTION (Debian's kernels have it off)
# timeout: 300
# Function error injection (issue 12), on the debug kernel: fail_function
# makes one of the module's ALLOW_ERROR_INJECTION sites (bt6lowpan.h)
# return its failure, one site at a time, at 100 % for operations that
# reach the site once each (so every operation must fail, and exactly as
# many failures must be injected as operations ran), at FF_PROB % for
# traffic (every injected failure must be one counted drop or error on
# the interfaces, exactly). Nothing may change on a failed operation,
# the link must work once injection stops, and rmmod and a reload must be
# clean; the bench then checks the kernel log, the taint flags and
# kmemleak. Each site prints how many failures were injected.

FF=/sys/kernel/debug/fail_function
T0=1000000		# "times": what it went down by is what was injected
ENOMEM_RV=0xfffffffffffffff4	# -ENOMEM as fail_function's retval takes it
N_OPS=${FAILFN_OPS:-500}	# operations per control site
N_IN=${FAILFN_INCOMING:-3}	# incoming channels per site
FF_PROB=${FAILFN_PROB:-20}	# % of calls failed on the traffic sites
N_PINGS=${FAILFN_PINGS:-300}
PSM0=0x0023
PSM1=0x0081
TOTAL=0

# The sites and their failure type, as the module declares them.
SITES="bt6_chan_new:NULL bt6_peer_alloc:NULL bt6_chan_alloc_skb:ERRNO
bt6_iface_alloc:NULL bt6_netdev_create:ERRNO bt6_rx_make_room:ERRNO"

ff_injected() { echo $((T0 - $(cat $FF/times))); }

# ff_on SITE [PROB]: SITE fails (ERRNO sites with -ENOMEM) on PROB % of
# its calls (default 100), counting from now.
ff_on() {
	echo >$FF/inject
	echo "$1" >$FF/inject || { echo "fail_function does not take $1"; return 1; }
	if echo "$SITES" | grep -qw "$1:ERRNO"; then
		echo $ENOMEM_RV >"$FF/$1/retval" || { echo "cannot set $1's retval"; return 1; }
	fi
	echo $T0 >$FF/times && echo "${2:-100}" >$FF/probability
}

# ff_off: no more injection; FF_N is how many were injected at the site.
ff_off() {
	echo 0 >$FF/probability
	FF_N=$(ff_injected)
	echo >$FF/inject
	TOTAL=$((TOTAL + FF_N))
}

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	[ -e $FF/inject ] || { echo "no $FF on this kernel"; return 1; }
	echo >$FF/inject
	echo 0 >$FF/probability && echo 1 >$FF/interval && echo 0 >$FF/space &&
		echo 0 >$FF/verbose && echo N >$FF/task-filter && echo $T0 >$FF/times ||
		{ echo "cannot set $FF's attributes"; return 1; }
	ctl_enable 1
}
check setup setup || exit 1

# Every site is on the kernel's list of injectable functions, with its type.
sites() {
	local s name type bad=""
	for s in $SITES; do
		name=${s%:*} type=${s#*:}
		grep -q "^$name \[bluetooth_6lowpan\]	$type\$" /sys/kernel/debug/error_injection/list ||
			bad="$bad $name($type)"
	done
	[ -z "$bad" ] || { grep bluetooth_6lowpan /sys/kernel/debug/error_injection/list; echo "not injectable:$bad"; return 1; }
}
check sites sites

# connect SITE: N_OPS router connects by sysfs and one by netlink, all
# failing with ENOMEM, one injection each, nothing left behind.
connect() {
	local site=$1 out nl rc=0
	ff_on "$site" || return 1
	out=$(wr -r $N_OPS $SYS/connect "$NODE_ADDR public")
	nl=$(bt6ctl connect $NODE_ADDR public -i $ROUTER_HCI 2>&1) && rc=1
	ff_off
	info "$site: $FF_N failures injected into $((N_OPS + 1)) connects (sysfs, netlink)"
	[ "$out" = "$N_OPS ENOMEM" ] || { echo "$out"; echo "not all $N_OPS sysfs connects failed with ENOMEM"; return 1; }
	[ $rc = 0 ] && echo "$nl" | grep -q 'Cannot allocate memory' ||
		{ echo "$nl"; echo "bt6ctl connect did not fail with ENOMEM"; return 1; }
	[ "$FF_N" = $((N_OPS + 1)) ] || { echo "$FF_N injected, want $((N_OPS + 1))"; return 1; }
	nothing_there
}
check connect-bt6_iface_alloc connect bt6_iface_alloc
check connect-bt6_peer_alloc connect bt6_peer_alloc
check connect-bt6_chan_new connect bt6_chan_new

# The listening channel: enable 0 -> 1 and a PSM change (a new listener)
# fail with ENOMEM and change nothing; the old listener keeps listening.
write_fails() { # FILE TEXT N
	local out
	out=$(wr -r "$3" "$1" "$2")
	[ "$out" = "$3 ENOMEM" ] || { echo "$out"; echo "not all $3 writes of '$2' to $1 failed with ENOMEM"; return 1; }
}
listen() {
	local rc=0
	echo 0 >$SYS/enable
	ff_on bt6_chan_new || return 1
	write_fails $SYS/enable 1 $((N_OPS / 2)) || rc=1
	ff_off
	info "listen: $FF_N failures injected into $((N_OPS / 2)) enables"
	[ $rc = 0 ] && enable_is 0 || return 1
	[ "$FF_N" = $((N_OPS / 2)) ] || { echo "$FF_N injected, want $((N_OPS / 2))"; return 1; }
	echo 1 >$SYS/enable && enable_is 1
}
check listen-bt6_chan_new listen
psm() {
	local rc=0
	ff_on bt6_chan_new || return 1
	write_fails $SYS/psm $PSM1 $((N_OPS / 2)) || rc=1
	ff_off
	info "psm: $FF_N failures injected into $((N_OPS / 2)) PSM changes"
	[ $rc = 0 ] && psm_is $PSM0 && enable_is 1 || return 1
	[ "$FF_N" = $((N_OPS / 2)) ] || { echo "$FF_N injected, want $((N_OPS / 2))"; return 1; }
}
check psm-bt6_chan_new psm

# incoming SITE: IPSP channels from a userspace peer (l2peer, on the
# router's adapter) to our listener: none may be left half made (no peer,
# no netdev, the core's channels back to what they were), and each must
# have reached the site (7.3's core makes the channel, so bt6_chan_new is
# not on this path there). A channel refused after the core answered
# success (bt6_iface_alloc, in ->ready) is closed by a disconnect request
# to a peer that has let it go: the core keeps it until its timer
# (BT6_CHAN_TIMEOUT_MS, 10 s), and the same peer's next request reusing
# its channel ID is refused until then (SCID in use), so the next one
# waits for that.
chans_back() { [ "$(nchans)" -le "$1" ]; }
incoming() {
	local site=$1 i conn=0 base t0 slowest=0 ms
	base=$(nchans)
	ff_on "$site" || return 1
	for i in $(seq 1 $N_IN); do
		l2peer send -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -t 4 echo >/tmp/l2.out 2>&1
		grep -q '^connected' /tmp/l2.out && conn=$((conn + 1))
		log "incoming $i: $(tr '\n' ' ' </tmp/l2.out | cut -c1-160)"
		t0=$(now_ms)
		wait_for 15 nothing_there >/dev/null && wait_for 15 chans_back "$base" ||
			{ ff_off; nothing_there; cat /sys/kernel/debug/bluetooth/l2cap; echo "channel $i left something"; return 1; }
		ms=$(($(now_ms) - t0))
		[ $ms -gt $slowest ] && slowest=$ms
	done
	ff_off
	info "$site: $FF_N failures injected into $N_IN incoming channels ($conn connected at L2CAP, then closed; all gone within $slowest ms)"
	[ "$FF_N" -ge $N_IN ] || { echo "$FF_N injected, want at least $N_IN"; return 1; }
}
check incoming-bt6_peer_alloc incoming bt6_peer_alloc
check incoming-bt6_iface_alloc incoming bt6_iface_alloc

# Both ends' interfaces cannot be made while the peers connect: the
# peers stay connected, the work retries every second, and once injection
# stops both interfaces come without a reconnect.
peers_connected() { [ "$(ctl_peers | grep -cw connected)" -ge 2 ]; }
netdev() {
	local t=0
	ff_on bt6_netdev_create || return 1
	ctl_connect $NODE_ADDR public || { ff_off; echo "connect write failed"; return 1; }
	wait_for 30 peers_connected || { ff_off; ctl_peers; echo "the peers did not connect"; return 1; }
	while [ $t -lt 4 ] && [ "$(ff_injected)" -lt 6 ]; do
		sleep 1
		t=$((t + 1))
	done
	no_bt_netdevs || { ff_off; echo "a bt netdev came while its creation failed"; return 1; }
	ff_off
	info "bt6_netdev_create: $FF_N failures injected while both ends were connected"
	[ "$FF_N" -ge 4 ] || { echo "$FF_N injected, want at least 4 (2 interfaces, retried)"; return 1; }
	wait_for 15 link_up || { ctl_peers; echo "no interfaces once injection stopped"; return 1; }
	peers_connected || { ctl_peers; echo "the peers did not stay connected"; return 1; }
	isolate_vrf || { echo "vrf isolation failed"; return 1; }
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF" || return 1
	ping_ok "" "$ROUTER_IF" "$NODE_LL"
}
check netdev-bt6_netdev_create netdev || exit 1

# ifstat NAME: the sum of that counter over both interfaces
ifstat() { echo $(($(cat /sys/class/net/$ROUTER_IF/statistics/$1) + $(cat /sys/class/net/$NODE_IF/statistics/$1))); }

# traffic SITE COUNTER: N_PINGS pings, SITE failing on FF_PROB % of its
# calls; every injected failure is one COUNTER more, no more, no less.
traffic() {
	local site=$1 c0 c1 lost
	c0=$(ifstat "$2")
	ff_on "$site" "$FF_PROB" || return 1
	ping -6 -q -c $N_PINGS -i 0.02 -w 60 -I "$ROUTER_IF" "$NODE_LL" >/tmp/ping.out 2>&1
	ff_off
	sleep 1
	c1=$(ifstat "$2")
	lost=$(sed -n 's/.* \([0-9]*\)% packet loss.*/\1/p' /tmp/ping.out)
	info "$site: $FF_N failures injected into $N_PINGS pings at $FF_PROB %: $2 +$((c1 - c0)), ${lost:-?} % lost"
	[ "$FF_N" -gt 0 ] || { echo "nothing was injected"; return 1; }
	[ $((c1 - c0)) = "$FF_N" ] || { cat /tmp/ping.out; echo "$2 rose by $((c1 - c0)), $FF_N were injected"; return 1; }
	ping_ok "" "$ROUTER_IF" "$NODE_LL" >/dev/null || { echo "the link does not work after"; return 1; }
}
check tx-bt6_chan_alloc_skb traffic bt6_chan_alloc_skb tx_errors
check rx-bt6_rx_make_room traffic bt6_rx_make_room rx_dropped

# Injection off, everything gone: a fresh link both ways.
link_after() {
	ctl_disconnect $NODE_ADDR public
	wait_for 20 nothing_there || return 1
	unisolate_vrf
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	wait_for 30 link_up || return 1
	isolate_vrf || { echo "vrf isolation failed"; return 1; }
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF" || return 1
	ping_ok "" "$ROUTER_IF" "$NODE_LL" && ping_ok "" "$NODE_IF" "$ROUTER_LL" || return 1
	info "failfn: $TOTAL failures injected at 6 sites in all"
}
check link-after link_after

check rmmod unload_timed rmmod

reload() {
	load_module || { echo "modprobe failed"; return 1; }
	[ -e $SYS/enable ] || { echo "no $SYS after the reload"; return 1; }
	unload_module
}
check reload reload
