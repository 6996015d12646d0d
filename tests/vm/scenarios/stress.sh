# SPDX-License-Identifier: GPL-2.0
# checks: setup stress workers-end rmmod-bound reload final-connect final-rmmod leaks
# ctl: sysfs
# modules: ours
# timeout: 300
# timeout-adds: stress
# Concurrency stress (issue 12). For BT6_STRESS_SECONDS (the host's; here
# bt6.stress=, 60 by default; three times that on the debug kernel, which
# also paces every worker three times slower), and up to as long again
# until every worker has done something (ping and UDP gone across; calm
# meanwhile: those that have done theirs tear nothing down), everything
# at once, each in its own loop, at random moments:
#  - control through all three interfaces, a worker each: sysfs and debugfs
#    writes (tests/vm/guest/wr.c: every errno is counted) and bt6ctl over
#    netlink: connect, disconnect, recover, disable and enable, PSM changes
#    (0x0023 and 0x0025: both ends are this one module), the recovery
#    tunables, peer listings;
#  - traffic: ping and a UDP flood from the router's btX to the node across
#    the emulated link (each new btX put into its VRF);
#  - the router's btX moved into a network namespace and back;
#  - the controllers: btvirt stopped (SIGSTOP) for up to 2 s and continued,
#    and one time in four killed and started again;
#  - rmmod and modprobe again every 3-8 s.
# Pass: no kernel report (the runner's kernel-log and taint checks, and
# kmemleak on the debug kernel); every worker ends within 30 s (90 on the
# debug kernel) of the deadline (a control call that never returns fails);
# every rmmod returned within RMMOD_BOUND_MS and at least 3 of them
# unloaded the module (one refused while a netlink call holds the module,
# EBUSY or EAGAIN, is counted, not failed); then, with fresh controllers,
# the module loads, a connect and a ping work, the final rmmod takes under
# 5 s (times bt6.slow, unload_timed), no l2cap channel is left on the IPSP
# PSMs and the slab caches grew by at most LEAK_BOUND_KB: measured after
# the same sequence (fresh controllers, connect, ping, rmmod) before the
# stress and after it.

# (times bt6.slow: the debug kernel does in 3 s what the others do in 1)
STRESS=$((${BT6_stress:-60} * ${BT6_slow:-1}))
# Slab growth allowed (KiB), a coarse bound: measured with the same
# sequence before and after, -29 to +3 on 6.12, 7.3 and 5.10, +31 on 6.1
# (whose core keeps about 2 KiB per LE connection that went, see churn:
# 44 KiB of kmalloc-2k after about 20 of them here), +43 on the debug
# kernel. A stress ending with the module still loaded and connected grew
# by 94 on 6.12 (and left 3 IPSP channels, the precise check; on the
# debug kernel kmemleak is). Per 60 s of BT6_STRESS_SECONDS: 6.1's core
# keeps more the more links went (120 s there: +99 KiB, 86 of it
# kmalloc-2k, the hci_conn objects; 2026-12-06).
LEAK_BOUND_KB=$((96 * ((${BT6_stress:-60} + 59) / 60)))
# An rmmod during the stress: 5 s, the module's promise, on the
# distribution kernels (slowest 0.6-1.6 s, 2026-12-02); on the debug
# kernel twice bt6.slow times that. There the same rmmod took 0.9-1.5 s
# with nothing else running and 3.5-7.6 s while the workers shared its
# one CPU (2026-12-01); on 2026-12-02 (another host CPU) 3-5 s alone and
# 19-27 s in the stress (6 of 6 over 15 s: the guest 88-90 % in system
# time, load 10, ip commands waiting on RTNL), which is the host's and
# TCG's speed, not a wait of the module's: the bound there is 30 s, and
# an rmmod that never returns is stopped at twice that and fails.
if [ "${BT6_slow:-1}" = 1 ]; then
	RMMOD_BOUND_MS=5000
else
	RMMOD_BOUND_MS=$((10000 * BT6_slow))
fi
RES=/tmp/stress.res	# one line per operation: WORKER OP RESULT
BTVIRT_PIDF=/tmp/btvirt.pid

# the workers' deadline (ms on now_ms's clock) is in this file: the stress
# may go on past STRESS seconds until every worker has done something
ENDF=/tmp/stress.end
# past STRESS seconds, while some worker has not done anything yet, the
# stress is calm (this file exists): a worker that has done its part stops
# tearing things down (calm WORKER), so that the link comes up and stays
# up for the traffic workers (on 7.3 the link was up so seldom that the
# UDP worker never found it in 122 s, CI 2026-12-02)
CALMF=/tmp/stress.calm
calm() { [ -e $CALMF ] && worker_did "$1"; }
# pick WORKER N: the operation, 0 to N-1, at random; when calm, 0 (a
# connect, for the control workers) or N-1 (a listing)
pick() {
	if calm "$1"; then
		echo $((RANDOM % 2 ? 0 : $2 - 1))
	else
		echo $((RANDOM % $2))
	fi
}
alive() {
	local end
	read -r end <$ENDF
	[ "$(now_ms)" -lt "$end" ]
}
# rsleep TENTHS: sleep up to TENTHS tenths of a second, at random, times
# the kernel's slowness (bt6.slow: 3 on the debug kernel, where the same
# pace starves the CPU and an rmmod would be timed on a shell's wait for it)
rsleep() {
	local r=$((RANDOM % ($1 * ${BT6_slow:-1} + 1)))
	sleep $((r / 10)).$((r % 10))
}
tally() { echo "$1 $2 $3" >>$RES; }
# nolink WORKER: no router btX here: counted (not as an operation), and a
# fifth of a second (times bt6.slow) before the next look
nolink() {
	local t=$((2 * ${BT6_slow:-1}))
	tally "$1" nolink -
	sleep $((t / 10)).$((t % 10))
}
# w WORKER FILE TEXT: one write, its result (OK, an errno name) counted
w() {
	local r
	r=$(timeout 15 wr "$2" "$3" 2>&1) || r="exit$?"
	tally "$1" "$(basename "$2")" "${r:-none}"
}
# ipsp_chans: channels the L2CAP core still has on either PSM of the
# stress (its debugfs list: PSM in decimal, the sixth field)
ipsp_chans() { awk '$6 == 35 || $6 == 37' /sys/kernel/debug/bluetooth/l2cap | wc -l; }
psm_pick() { [ $((RANDOM % 2)) = 0 ] && echo 0x0023 || echo 0x0025; }

sysfs_worker() {
	while alive; do
		case $(pick sysfs 12) in
		0 | 1 | 2) w sysfs $SYS/connect "$NODE_ADDR public" ;;
		3) w sysfs $SYS/disconnect "$NODE_ADDR public" ;;
		4) w sysfs $SYS/recover "$NODE_ADDR public" ;;
		5) w sysfs $SYS/enable 0 && rsleep 5 && w sysfs $SYS/enable 1 ;;
		6) w sysfs $SYS/psm "$(psm_pick)" ;;
		7) w sysfs $SYS/stall_timeout_ms $((1000 + RANDOM % 4000)) ;;
		8) w sysfs $SYS/auto_reconnect $((RANDOM % 2)) ;;
		*) cat $SYS/peers >/dev/null 2>&1; tally sysfs peers "exit$?" ;;
		esac
		rsleep 25
	done
}

# nl OP ARGS...: one bt6ctl call, its exit status counted
nl() {
	local op=$1
	shift
	timeout 15 bt6ctl "$@" >/dev/null 2>&1
	tally netlink "$op" "exit$?"
}
netlink_worker() {
	while alive; do
		case $(pick netlink 10) in
		0 | 1 | 2) nl connect connect "$NODE_ADDR" -i $ROUTER_HCI ;;
		3) nl disconnect disconnect "$NODE_ADDR" ;;
		4) nl recover recover "$NODE_ADDR" ;;
		5) nl disable disable && rsleep 5 && nl enable enable ;;
		6) nl psm psm "$(psm_pick)" ;;
		7) nl recovery recovery -s $((1000 + RANDOM % 4000)) ;;
		*) nl peers -j peers ;;
		esac
		rsleep 25
	done
}

debugfs_worker() {
	while alive; do
		case $(pick debugfs 8) in
		0 | 1 | 2) w debugfs $DBG/6lowpan_control "connect $NODE_ADDR 1" ;;
		3) w debugfs $DBG/6lowpan_control "disconnect $NODE_ADDR 0" ;;
		4) w debugfs $DBG/6lowpan_enable 0 && rsleep 5 && w debugfs $DBG/6lowpan_enable 1 ;;
		*) cat $DBG/6lowpan_control >/dev/null 2>&1; tally debugfs read "exit$?" ;;
		esac
		rsleep 25
	done
}

# router_if: the router's btX (here, in its VRF, up), and the node's put
# into its own VRF if it is there too (it answers then); prints the
# router's. Traffic goes out whenever the router has its link.
router_if() {
	local n r
	r=$(netdev_of $ROUTER_HCI) || return 1
	ip link set "$r" master vrfr 2>/dev/null && ip link set "$r" up 2>/dev/null || return 1
	if n=$(netdev_of $NODE_HCI); then
		ip link set "$n" master vrfn 2>/dev/null && ip link set "$n" up 2>/dev/null
	fi
	echo "$r"
}
# ping: one echo request at a time across the link whenever it is there
# (a look for the link that takes 3 s or more is written to the worker's
# log, which workers-end prints: on the debug kernel the ping worker once
# made one attempt in 403 s, the link up for the last 185 of them)
ping_worker() {
	local p t
	while alive; do
		t=$(now_ms)
		p=$(router_if) || { slow_look ping "$t"; nolink ping; continue; }
		slow_look ping "$t"
		# (a reply waited for bt6.slow s: on the debug kernel beside
		# other guests 4 requests went unanswered within 1 s, session 23)
		timeout $((5 * ${BT6_slow:-1})) ping -6 -c 1 -W "${BT6_slow:-1}" -I "$p" "$NODE_LL" >/tmp/ping.out 2>&1
		tally ping echo "exit$?"
	done
}
# udp: half a second of back-to-back datagrams at a time
udp_worker() {
	local p t
	while alive; do
		t=$(now_ms)
		p=$(router_if) || { slow_look udp "$t"; nolink udp; continue; }
		slow_look udp "$t"
		tally udp flood "$(timeout 10 udpflood -t 0.5 "$NODE_LL%$p" 9 | awk '{ print ($2 > 0) ? "sent" : "none" }')"
	done
}
# slow_look WORKER T0: say so when router_if, begun at T0, took 3 s or more
slow_look() {
	local d=$(($(now_ms) - $2))
	[ $d -lt 3000 ] || echo "$(now_ms): $1: looking for the link took $d ms"
}

netns_worker() {
	local r
	while alive; do
		# (out a fifth of the time: the traffic workers need it here)
		rsleep 40
		calm netns && continue
		r=$(netdev_of $ROUTER_HCI) || { tally netns nolink -; continue; }
		ip link set "$r" netns nsx 2>/dev/null || { tally netns move-out fail; continue; }
		tally netns move-out OK
		rsleep 10
		ip -n nsx link set "$r" netns 1 2>/dev/null
		tally netns move-back "exit$?"
	done
}

# btvirt_kill PID: that btvirt gone (stopped or not), and its adapters
btvirt_kill() {
	kill -CONT "$1" 2>/dev/null
	kill -9 "$1" 2>/dev/null
	wait_for 15 eval '! ls /sys/class/bluetooth | grep -q "^hci[01]$"' ||
		{ echo "adapters of btvirt $1 still there"; return 1; }
}

# btvirt_restart PID: kill that btvirt, start a new one (twice at most)
btvirt_restart() {
	local p=$1 try
	for try in 1 2; do
		btvirt_kill "$p" || return 1
		start_controllers_once && { echo "$BTVIRT_PID" >$BTVIRT_PIDF; return 0; }
		p=$BTVIRT_PID
		echo "$BTVIRT_PID" >$BTVIRT_PIDF
	done
	return 1
}

btvirt_worker() {
	local p t
	while alive; do
		rsleep 30
		sleep $((2 * ${BT6_slow:-1}))
		calm btvirt && continue
		p=$(cat $BTVIRT_PIDF)
		if [ $((RANDOM % 4)) = 0 ]; then
			btvirt_restart "$p" && t=OK || t=fail
			tally btvirt restart $t
		else
			kill -STOP "$p"
			rsleep 20
			kill -CONT "$p"
			tally btvirt stop-cont OK
		fi
	done
}

# unloader: rmmod and modprobe again; each rmmod's time and outcome in
# /tmp/rmmod.log: "MS EXIT"
# rmmod_unloaded: how many of those rmmod unloaded the module
rmmod_unloaded() { awk '$2 == 0' /tmp/rmmod.log | wc -l; }
unload_worker() {
	local t0 rc
	while alive; do
		rsleep 50
		sleep $((3 * ${BT6_slow:-1}))
		calm unload && continue
		t0=$(now_ms)
		timeout $((RMMOD_BOUND_MS / 500)) rmmod bluetooth_6lowpan >/tmp/rmmod.out 2>&1
		rc=$?
		echo "$(($(now_ms) - t0)) $rc $(head -n1 /tmp/rmmod.out)" >>/tmp/rmmod.log
		rsleep 10
		# loaded listening (enable=1) and connected at once, as a
		# gateway's boot would: the link is up between the other workers'
		# disconnects
		modprobe bluetooth_6lowpan enable=1
		tally unload modprobe "exit$?"
		w unload $SYS/connect "$NODE_ADDR public"
	done
}

# fresh: new controllers (btvirt killed, whatever state it is in, and
# started again), the module loaded, a connect and a ping, an rmmod: what
# the end of the stress does, so that the slab is measured before and
# after the stress in the same state
restart_controllers() {
	btvirt_kill "$(cat $BTVIRT_PIDF)" || return 1
	if lsmod | grep -q '^bluetooth_6lowpan '; then
		unload_timed "stress: rmmod with fresh controllers to come" || return 1
	fi
	ip netns del nsx 2>/dev/null
	unisolate_vrf
	start_controllers && echo "$BTVIRT_PID" >$BTVIRT_PIDF
}
connect_ping() {
	echo 1 >$SYS/enable && echo "$NODE_ADDR public" >$SYS/connect || return 1
	wait_for 30 link_up && isolate_vrf || return 1
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF" || return 1
	ping_ok "" "$ROUTER_IF" "$NODE_LL"
}

setup() {
	start_controllers && echo "$BTVIRT_PID" >$BTVIRT_PIDF || return 1
	restart_controllers && load_module && connect_ping >/dev/null ||
		{ echo "no ping before the stress"; return 1; }
	unload_module || return 1
	SLAB0=$(slab_kb)
	slab_snap /tmp/slab0
	cat /sys/kernel/debug/bluetooth/l2cap
	echo "before the stress, module unloaded: slab $SLAB0 KiB, IPSP channels $(ipsp_chans)"
	ip netns add nsx || return 1
	# no DAD on the btX to come: an address is usable at once, so that
	# the link carries pings between the workers' disconnects
	sysctl -qw net.ipv6.conf.default.accept_dad=0
	load_module && echo 1 >$SYS/enable && echo "$NODE_ADDR public" >$SYS/connect
}
check setup setup || exit 1

WORKERS="sysfs netlink debugfs ping udp netns btvirt unload"
# worker_did WORKER: it did something (the unloader: 3 rmmod that unloaded,
# what rmmod-bound wants; ping: an echo answered across the link; udp:
# datagrams sent on it; netns: the btX moved out; the others: an
# operation, whatever its outcome)
worker_did() {
	case $1 in
	unload) [ "$(rmmod_unloaded)" -ge 3 ] ;;
	ping) grep -q "^ping echo exit0" $RES ;;
	udp) grep -q "^udp flood sent" $RES ;;
	netns) grep -q "^netns move-out OK" $RES ;;
	*) grep -q "^$1 " $RES ;;
	esac
}
# idle_workers: those that have not done anything yet
idle_workers() {
	local wk
	for wk in $WORKERS; do
		worker_did $wk || echo $wk
	done
}
# all_done: every worker has ended
all_done() {
	local wk
	for wk in $WORKERS; do
		[ -e /tmp/worker-$wk.done ] || return 1
	done
}
# stress: the workers started, each in the background, each leaving
# /tmp/worker-NAME.done when it ends. By the time they have ended every
# one of them has done something. The link is up between the others'
# teardowns only now and then (1-12 pings a minute, none in 60 s on the
# debug kernel), so past STRESS seconds the stress is calm (CALMF) and
# goes on, up to STRESS seconds more, until every worker has.
stress() {
	local wk idle="" t0 t1
	rm -f $CALMF
	: >$RES
	: >/tmp/rmmod.log
	t0=$(now_ms)
	echo $((t0 + 2 * STRESS * 1000)) >$ENDF.new && mv $ENDF.new $ENDF
	exec 4<&0
	for wk in $WORKERS; do
		rm -f /tmp/worker-$wk.done
		# (the scenario's stdin, kept as fd 4, not the /dev/null that
		# the shell gives a background job: btmgmt says nothing and does
		# nothing with that one)
		{ ${wk}_worker; touch /tmp/worker-$wk.done; } <&4 >/tmp/worker-$wk.log 2>&1 &
	done
	sleep "$STRESS"
	idle=$(echo $(idle_workers))
	t1=$(now_ms)
	[ -z "$idle" ] || touch $CALMF
	while [ -n "$(idle_workers)" ] && alive; do
		sleep 1
	done
	# (renamed into place: a worker reading it while it was rewritten
	# read nothing, and its test said "sh: bad number")
	now_ms >$ENDF.new && mv $ENDF.new $ENDF
	STRESSED=$((($(now_ms) - t0) / 1000))
	CALMED="${idle:+calm for $((($(now_ms) - t1) / 1000)) s, waiting for: $idle}"
	echo "stressed for $STRESSED s${CALMED:+, $CALMED}"
	# (an operation under way at the deadline counts: on the debug kernel
	# a btvirt restart took most of the 3 min; workers-end fails those
	# that never end)
	wait_for $((30 * ${BT6_slow:-1})) all_done
	idle=$(idle_workers | tr '\n' ' ')
	[ -z "$idle" ] || { echo "workers that did nothing in $STRESSED s: $idle"; return 1; }
}
check stress stress

# workers-end: every worker is done within 30 s of the deadline (times
# bt6.slow: an rmmod may take up to 60 s there before it is stopped)
workers_end() {
	local wk left=""
	wait_for $((30 * ${BT6_slow:-1})) all_done
	for wk in $WORKERS; do
		[ -e /tmp/worker-$wk.done ] || left="$left $wk"
	done
	awk '$2 != "nolink" { n[$1 " " $2 " " $3]++ } END { for (k in n) print k, n[k] }' $RES | sort
	for wk in $WORKERS; do
		[ -s /tmp/worker-$wk.log ] || continue
		echo "worker $wk said (last lines):"
		tail -n 40 /tmp/worker-$wk.log | sed 's/^/  /'
	done
	[ -z "$left" ] || {
		echo w >/proc/sysrq-trigger
		ps -o pid,stat,args 2>/dev/null | tail -n 25
		echo "workers still running $((30 * ${BT6_slow:-1})) s after the deadline:$left"
		return 1
	}
	info "stress: $(grep -vc ' nolink ' $RES) operations in ${STRESSED:-?} s${CALMED:+ ($CALMED)}: $(awk '$2 != "nolink" { n[$1]++ } END { for (k in n) printf "%s %d, ", k, n[k] }' $RES)"
	info "stress: $(grep -c '^ping echo exit0' $RES) echo replies across the link, $(grep -c '^ping echo exit[1-9]' $RES) requests unanswered; $(grep -c '^udp flood sent' $RES) UDP floods; no link $(grep -c '^ping nolink' $RES) times for ping, $(grep -c '^udp nolink' $RES) for udp"
}
check workers-end workers_end

rmmod_bound() {
	local n ok slow
	cat /tmp/rmmod.log
	n=$(grep -c . /tmp/rmmod.log)
	ok=$(rmmod_unloaded)
	slow=$(awk -v b=$RMMOD_BOUND_MS '$1 > b' /tmp/rmmod.log | wc -l)
	info "stress: $n rmmod, $ok unloaded, $(awk '$2 != 0' /tmp/rmmod.log | wc -l) refused, slowest $(sort -n /tmp/rmmod.log | tail -n1 | cut -d' ' -f1) ms"
	[ "$slow" = 0 ] || { echo "$slow rmmod took more than $RMMOD_BOUND_MS ms"; return 1; }
	# refused while the module is held: kmod's own "in use", or the
	# kernel's EAGAIN (O_NONBLOCK) when a reference came after kmod looked
	awk '$2 != 0 && !/in use|temporarily unavailable/ { bad = 1 } END { exit bad }' /tmp/rmmod.log ||
		{ echo "an rmmod failed for a reason other than the module in use"; return 1; }
	[ "$ok" -ge 3 ] || { echo "only $ok rmmod unloaded the module"; return 1; }
}
check rmmod-bound rmmod_bound

# reload: the controllers fresh (btvirt may be stopped or gone), the
# module unloaded if loaded, then loaded again
check reload eval 'restart_controllers && load_module' || exit 1
check final-connect connect_ping
check final-rmmod unload_timed "stress: final rmmod"

leaks() {
	local s ch
	cat /sys/kernel/debug/bluetooth/l2cap
	ch=$(ipsp_chans)
	s=$(slab_kb)
	slab_snap /tmp/slab1
	info "stress: slab $SLAB0 -> $s KiB (growth $((s - SLAB0)) KiB, bound $LEAK_BOUND_KB), IPSP channels left $ch; caches that grew most (KiB): $(slab_top /tmp/slab0 /tmp/slab1)"
	[ "$ch" = 0 ] || { echo "$ch l2cap channels on the IPSP PSMs after the final rmmod: a channel reference leaked"; return 1; }
	[ $((s - SLAB0)) -le $LEAK_BOUND_KB ] || { echo "slab grew by $((s - SLAB0)) KiB, more than $LEAK_BOUND_KB"; return 1; }
}
check leaks leaks
