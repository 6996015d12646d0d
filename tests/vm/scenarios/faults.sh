# SPDX-License-Identifier: GPL-2.0
# checks: setup fail-nth-load fail-nth-connect-sysfs fail-nth-connect-netlink fail-nth-psm fail-nth-enable failslab-incoming netdev-retry link-after rmmod reload
# ctl: sysfs
# modules: ours
# only-on: debug
# only-on-why: fault injection (failslab, fail-nth, its stack filter) is in the debug kernel only
# timeout: 300
# Allocation failures on our paths (issue 12), on the debug kernel:
# - fail-nth, systematically: for N = 1, 2, ... one operation runs with
#   /proc/<task>/fail-nth = N, so that its Nth slab allocation fails, until
#   an N makes none fail. The stack filter of the fault attributes
#   (require-start/end) lets through only allocations with our module's
#   code on the stack, so N counts ours (and what the core does for us),
#   not the shell's, exec's or the write's own. Each injected failure must
#   end in ENOMEM to the caller with nothing changed, or be absorbed (the
#   operation succeeds and its result is complete). Operations: loading
#   the module (insmod: the filter is all module text, ours has no address
#   yet), a router connect by sysfs and by netlink (bt6ctl), a PSM change,
#   enable.
# - failslab by probability, for what no syscall of ours drives: incoming
#   IPSP channels from a userspace peer (l2peer) with traffic both ways
#   (receive, interface creation in the work queue, transmit), filtered to
#   our module's text; then injection stops, a fresh link must work, and
#   rmmod and a reload must be clean. The bench then checks the kernel log,
#   the taint flags and kmemleak.
# Each part prints how many failures were injected and fails if none was.

FI=/sys/kernel/debug
SLAB=$FI/failslab
T0=1000000		# "times" of every attribute: what it went down by is what was injected
MODULES_END=0xffffffffff000000	# x86_64: the module area ends here
ABSENT=00:BB:00:00:00:07	# a router connect to nobody: stays "connecting"
PSM0=0x0023
PSM1=0x0081

# The fault attributes with a stack filter: failslab, and whichever of
# fail_page_alloc and the mempool ones this kernel has (fail-nth counts in
# every attribute whose filter lets the allocation through).
fi_attrs() {
	local d
	for d in $FI/failslab $FI/fail_page_alloc $FI/fail_mempool_alloc $FI/fail_mempool_alloc_bulk; do
		[ -e "$d/require-start" ] && echo "$d"
	done
}

# injected: failures injected so far, by every attribute.
injected() {
	local d n=0 t
	for d in $FI_ATTRS; do
		read -r t <"$d/times"
		n=$((n + T0 - t))
	done
	echo $n
}

fi_init() {
	local d n
	[ -e $SLAB/require-start ] && [ -e /proc/self/fail-nth ] ||
		{ echo "no failslab stack filter or fail-nth on this kernel"; return 1; }
	for d in $(fi_attrs); do
		echo 0 >"$d/probability" && echo 0 >"$d/verbose" && echo 1 >"$d/interval" &&
			echo 0 >"$d/space" && echo N >"$d/task-filter" && echo 32 >"$d/stacktrace-depth" &&
			echo $T0 >"$d/times" || { echo "cannot set $d"; return 1; }
	done
	# GFP_KERNEL allocations too, not only atomic ones
	echo N >$SLAB/ignore-gfp-wait || return 1
	# Not the checkers' own metadata: kmemleak's object for every
	# allocation (its failure is absorbed by kmemleak's reserve pool and
	# would count as every second N) and DEBUG_OBJECTS' pool: failslab
	# only in caches marked for it, every cache but those.
	echo Y >$SLAB/cache-filter || return 1
	n=0
	for d in /sys/kernel/slab/*; do
		case ${d##*/} in
		kmemleak_* | debug_objects_cache) continue ;;
		esac
		echo 1 >"$d/failslab" 2>/dev/null && n=$((n + 1))
	done
	log "failslab on $n slab caches"
	[ $n -gt 10 ] || { echo "failslab set on $n caches only"; return 1; }
	# No page allocations: a failed one prints its stack (warn_alloc),
	# which the kernel-log check cannot tell from a report. Our paths
	# allocate from slabs.
	echo 99 >$FI/fail_page_alloc/min-order || return 1
	FI_ATTRS=$(fi_attrs)
	log "fault attributes: $(echo $FI_ATTRS)"
}

fi_filter() { # START END: fail only allocations with a return address in [START, END) on the stack
	local d
	for d in $(fi_attrs); do
		echo "$2" >"$d/require-end" && echo "$1" >"$d/require-start" || return 1
	done
	log "stack filter $(cat $SLAB/require-start)-$(cat $SLAB/require-end)"
}

# ours_range: R_START/R_END, our module's text: from its base in
# /proc/modules over coresize (text and data: x86 keeps data out of the
# text mapping), cut at the next module's base.
ours_range() {
	local base size end b text
	base=$(awk '$1 == "bluetooth_6lowpan" { print $6 }' /proc/modules)
	size=$(cat /sys/module/bluetooth_6lowpan/coresize)
	[ -n "$base" ] && [ $((base)) != 0 ] && [ -n "$size" ] ||
		{ echo "no address for bluetooth_6lowpan in /proc/modules"; return 1; }
	end=$((base + size))
	for b in $(awk '{ print $6 }' /proc/modules); do
		[ $((b)) -gt $((base)) ] && [ $((b)) -lt $end ] && end=$((b))
	done
	R_START=$base
	R_END=$(printf '0x%x' $end)
	text=$(cat /sys/module/bluetooth_6lowpan/sections/.text)
	[ $((text)) -ge $((R_START)) ] && [ $((text)) -lt $((R_END)) ] ||
		{ echo ".text at $text is not in $R_START-$R_END"; return 1; }
	log "bluetooth_6lowpan text $R_START-$R_END (.text $text)"
}

no_residue() {
	[ ! -e /sys/module/bluetooth_6lowpan ] || { echo "/sys/module/bluetooth_6lowpan is there"; return 1; }
	[ ! -e $SYS ] || { echo "$SYS is there"; return 1; }
	[ ! -e $DBG/6lowpan_control ] && [ ! -e $DBG/6lowpan_enable ] ||
		{ echo "debugfs files are there"; return 1; }
	bt6ctl status >/tmp/st.out 2>&1
	grep -q 'not loaded' /tmp/st.out || { cat /tmp/st.out; echo "the netlink family is there"; return 1; }
}

loaded_whole() { # every control interface of a load
	[ -e $SYS/enable ] && [ -e $SYS/connect ] || { echo "no $SYS"; return 1; }
	bt6ctl status >/tmp/st.out 2>&1 || { cat /tmp/st.out; echo "no netlink family"; return 1; }
}

setup() {
	start_controllers || { echo "controller set-up failed"; return 1; }
	# the dependencies (bluetooth, 6lowpan) stay loaded
	load_module || { echo "modprobe bluetooth_6lowpan failed"; return 1; }
	KO=$(modinfo -F filename bluetooth_6lowpan)
	log "module file $KO, $(wc -c <"$KO") bytes"
	unload_module || { echo "first rmmod failed"; return 1; }
	fi_init
}
check setup setup || exit 1

# Module load: while insmod runs its init, under fail-nth N.
load_nth() {
	local n=0 out rc inj before nf=0 na=0 kstart
	kstart=0x$(awk '$3 == "_end" { print $1 }' /proc/kallsyms)
	[ "$kstart" != 0x ] || { echo "no _end in /proc/kallsyms"; return 1; }
	fi_filter "$kstart" $MODULES_END || return 1
	while [ $n -lt 500 ]; do
		n=$((n + 1))
		before=$(injected)
		out=$(sh -c "echo $n >/proc/self/fail-nth && exec /sbin/insmod $KO" 2>&1)
		rc=$?
		inj=$(($(injected) - before))
		if [ $rc = 0 ] && [ $inj = 0 ]; then
			break
		elif [ $rc = 0 ]; then
			na=$((na + 1))
			log "N=$n: injected, loaded anyway"
			loaded_whole || { echo "N=$n: injected, loaded, but incomplete"; return 1; }
			unload_module || { echo "N=$n: rmmod after an absorbed failure failed"; return 1; }
		else
			[ $inj = 1 ] || { echo "N=$n: insmod failed ($out), $inj injected"; return 1; }
			echo "$out" | grep -q 'Cannot allocate memory' ||
				{ echo "N=$n: insmod failed, not with ENOMEM: $out"; return 1; }
			no_residue || { echo "N=$n: a failed load left the above"; return 1; }
			nf=$((nf + 1))
		fi
	done
	[ $rc = 0 ] && [ $inj = 0 ] || { echo "still failing at N=$n"; return 1; }
	info "module load: $((n - 1)) allocations under module code; $nf injected failures ended in ENOMEM with nothing left, $na absorbed"
	[ $nf -gt 0 ] || { echo "no load failed: nothing was injected"; return 1; }
	loaded_whole
}
# the parts below need the module, however the load went
check fail-nth-load load_nth || [ -e $SYS/enable ] || load_module || exit 1

ctl_enable 1
ours_range && fi_filter "$R_START" "$R_END" || { check_fail fail-nth-connect-sysfs "no stack filter"; exit 1; }

# wr_nth NAME FILE TEXT DONE-FN UNDO-FN SAME-FN [ERRNOS]: TEXT to FILE under
# fail-nth N = 1, 2, ...: an errno of ERRNOS (default ENOMEM) and SAME-FN
# (nothing changed), or OK and DONE-FN (the operation took effect), then
# UNDO-FN; until nothing was injected.
wr_nth() {
	local name=$1 file=$2 text=$3 ok=$4 undo=$5 same=$6 want=${7:-ENOMEM} n=0 out e nf=0 na=0
	while [ $n -lt 300 ]; do
		n=$((n + 1))
		out=$(wr -f $n "$file" "$text")
		case "$out" in
		"OK not-injected")
			$ok || { echo "$name: succeeded but did not take effect"; return 1; }
			$undo || return 1
			break
			;;
		"OK injected")
			na=$((na + 1))
			log "$name N=$n: injected, succeeded anyway"
			$ok || { echo "$name N=$n: injected, succeeded, did not take effect"; return 1; }
			$undo || return 1
			;;
		*" injected")
			e=${out% injected}
			echo " $want " | grep -q " $e " ||
				{ echo "$name N=$n: '$out' (want $want, or OK)"; return 1; }
			nf=$((nf + 1))
			$same || { echo "$name N=$n: $e, but the state changed"; return 1; }
			;;
		*)
			echo "$name N=$n: '$out' (want $want injected, or OK)"
			return 1
			;;
		esac
	done
	[ "$out" = "OK not-injected" ] || { echo "$name: still failing at N=$n"; return 1; }
	info "$name: $((n - 1)) allocations; $nf injected failures ended in $want with nothing changed, $na absorbed"
	[ $nf -gt 0 ] || { echo "$name: nothing was injected"; return 1; }
}

absent_listed() { ctl_peers | grep -q "^$ABSENT public $ROUTER_HCI .*connecting"; }
absent_undo() {
	echo "$ABSENT public" >$SYS/disconnect || { echo "disconnect failed"; return 1; }
	wait_for 10 no_peers || { ctl_peers; echo "peers left after the disconnect"; return 1; }
}
# The core's hci_connect_le_scan() answers a failed allocation of its
# connection parameters with EBUSY (7.3): passed on as it is.
CONNECT_ERR="ENOMEM EBUSY"
check fail-nth-connect-sysfs wr_nth connect-sysfs $SYS/connect "$ABSENT public $ROUTER_HCI" \
	absent_listed absent_undo nothing_there "$CONNECT_ERR"

# Netlink: bt6ctl under fail-nth (exec keeps the task, and so its
# fail-nth); what it does before our doit has none of our code on the
# stack. The attributes' counters say whether the Nth came.
nl_nth() {
	local n=0 out rc inj before nf=0 na=0
	while [ $n -lt 300 ]; do
		n=$((n + 1))
		before=$(injected)
		out=$(sh -c "echo $n >/proc/self/fail-nth && exec bt6ctl connect $ABSENT public -i $ROUTER_HCI" 2>&1)
		rc=$?
		inj=$(($(injected) - before))
		if [ $rc = 0 ]; then
			absent_listed || { echo "N=$n: bt6ctl connect succeeded, no peer: $out"; return 1; }
			absent_undo || return 1
			[ $inj = 0 ] && break
			na=$((na + 1))
			log "N=$n: injected, succeeded anyway"
		else
			[ $inj = 1 ] || { echo "N=$n: bt6ctl connect failed ($out), $inj injected"; return 1; }
			echo "$out" | grep -qE 'connect: (Cannot allocate memory|Device or resource busy)' ||
				{ echo "N=$n: failed, not with $CONNECT_ERR: $out"; return 1; }
			nothing_there || { echo "N=$n: ENOMEM, but the state changed"; return 1; }
			nf=$((nf + 1))
		fi
	done
	[ $rc = 0 ] && [ $inj = 0 ] || { echo "still failing at N=$n"; return 1; }
	info "connect-netlink: $((n - 1)) allocations; $nf injected failures ended in $CONNECT_ERR with nothing changed, $na absorbed"
	[ $nf -gt 0 ] || { echo "nothing was injected"; return 1; }
}
check fail-nth-connect-netlink nl_nth

psm_new() { psm_is $PSM1; }
psm_old() { psm_is $PSM0; }
psm_back() { echo $PSM0 >$SYS/psm && psm_old; }
check fail-nth-psm wr_nth psm $SYS/psm $PSM1 psm_new psm_back psm_old

enabled() { enable_is 1; }
disabled() { enable_is 0; }
disable() { echo 0 >$SYS/enable && disabled; }
echo 0 >$SYS/enable
check fail-nth-enable wr_nth enable $SYS/enable 1 enabled disable disabled
echo 1 >$SYS/enable

# Incoming channels from a userspace peer on the router's adapter, with
# failslab at PROB % for allocations under our code, whoever makes them
# (the Bluetooth core's receive work, our work queue, softirq).
PROB=${FAULTS_PROB:-10}
CYCLES=${FAULTS_CYCLES:-2}
incoming() {
	local i before inj conn=0 refused=0
	enabled || return 1
	before=$(injected)
	echo $PROB >$SLAB/probability
	for i in $(seq 1 $CYCLES); do
		if [ $((i % 2)) = 1 ]; then
			l2peer fuzz -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -n 150 -s $i -t 6 >/tmp/l2.out 2>&1
		else
			l2peer send -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -t 6 \
				echo echo echo echo echo echo echo echo >/tmp/l2.out 2>&1
		fi
		if grep -q '^connected' /tmp/l2.out; then conn=$((conn + 1)); else refused=$((refused + 1)); fi
		log "cycle $i: $(grep -E '^(connected|connect failed|fuzz:|sent)' /tmp/l2.out | tr '\n' ' ') injected so far $(($(injected) - before))"
		wait_for 15 no_peers || { echo 0 >$SLAB/probability; ctl_peers; echo "cycle $i: a peer is left after the channel closed"; return 1; }
	done
	echo 0 >$SLAB/probability
	inj=$(($(injected) - before))
	info "incoming: $CYCLES channels at $PROB %: $conn connected, $refused refused; $inj failures injected"
	[ $inj -gt 0 ] || { echo "nothing was injected"; return 1; }
}
check failslab-incoming incoming

# sym_start NAME / sym_end ADDR: a symbol's address, and the next
# address of any symbol above ADDR (hex without 0x: kallsyms' 16 digits
# compare as strings).
sym_start() { awk -v n="$1" '$3 == n { print $1; exit }' /proc/kallsyms; }
sym_end() { awk -v s="$1" '($1 "") > (s "") && (m == "" || ($1 "") < m) { m = $1 } END { print m }' /proc/kallsyms; }

# A node's interface that cannot be made: every allocation under our
# netdev work fails (except alloc_netdev's: a failed vmalloc fallback
# prints its stack), so register_netdev fails while the peer is
# connected. Once injection stops the interface must come, without
# the peer having to reconnect.
netdev_retry() {
	local w we a ae before inj pid c0 d
	w=$(sym_start bt6_iface_netdev_work) && we=$(sym_end "$w") &&
		a=$(sym_start alloc_netdev_mqs) && ae=$(sym_end "$a") &&
		[ -n "$w" ] && [ -n "$we" ] && [ -n "$a" ] && [ -n "$ae" ] ||
		{ echo "no bt6_iface_netdev_work or alloc_netdev_mqs in kallsyms"; return 1; }
	fi_filter 0x$w 0x$we || return 1
	for d in $(fi_attrs); do echo 0x$ae >"$d/reject-end" && echo 0x$a >"$d/reject-start"; done
	c0=$(dmesg | grep -c 'cannot register the network interface')
	before=$(injected)
	echo 100 >$SLAB/probability
	rm -f /tmp/nr.go
	l2peer send -a $ROUTER_ADDR -d $NODE_ADDR -p 0x23 -t 120 -w /tmp/nr.go echo >/tmp/nr.out 2>&1 &
	pid=$!
	wait_for 30 grep -q '^connected' /tmp/nr.out
	wait_for 20 sh -c "[ \$(dmesg | grep -c 'cannot register the network interface') -gt $c0 ]"
	echo 0 >$SLAB/probability
	for d in $(fi_attrs); do echo 0 >"$d/reject-start" && echo 0 >"$d/reject-end"; done
	fi_filter "$R_START" "$R_END"
	inj=$(($(injected) - before))
	cat /tmp/nr.out
	info "netdev-retry: $inj failures injected under bt6_iface_netdev_work"
	grep -q '^connected' /tmp/nr.out || { kill $pid; echo "the peer did not connect"; return 1; }
	[ $inj -gt 0 ] || { kill $pid; echo "nothing was injected"; return 1; }
	[ "$(dmesg | grep -c 'cannot register the network interface')" -gt "$c0" ] ||
		{ kill $pid; echo "register_netdev did not fail"; return 1; }
	ctl_peers
	wait_for 15 netdev_of $NODE_HCI ||
		{ kill $pid; echo "connected, and no interface came once injection stopped"; return 1; }
	log "$(netdev_of $NODE_HCI) came once injection stopped"
	kill $pid
	wait $pid 2>/dev/null
	wait_for 15 no_peers || { ctl_peers; echo "the peer is left"; return 1; }
}
check netdev-retry netdev_retry

# Injection off: a fresh link, both ways.
link_after() {
	wait_for 20 no_bt_netdevs || { ip -o link show | grep bt; echo "bt netdevs left"; return 1; }
	ctl_connect $NODE_ADDR public || { echo "connect write failed"; return 1; }
	wait_for 30 link_up || return 1
	isolate_vrf || { echo "vrf isolation failed"; return 1; }
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF" || return 1
	ping_ok "" "$ROUTER_IF" "$NODE_LL" && ping_ok "" "$NODE_IF" "$ROUTER_LL"
}
check link-after link_after

check rmmod unload_timed rmmod

reload() {
	load_module || { echo "modprobe failed"; return 1; }
	loaded_whole || return 1
	unload_module
}
check reload reload
