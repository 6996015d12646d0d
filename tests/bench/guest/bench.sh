# SPDX-License-Identifier: GPL-2.0
# checks: bench
# ctl: debugfs
# timeout: 600
# Performance bench, one part per boot
# (bt6.part=lat|tcp|udp|pair|frozen|credits|scale|limit|loaded).
# Sourced by the guest's /init after tests/vm/guest/lib.sh. Results go to
# the host as "@@R KEY VALUE" lines; the host side is tests/bench/run.
# Both modules are driven through the same debugfs interface (ours keeps it
# as a compatibility shim), so the control path is the same for both.

RUNS=${BT6_runs:-5}
PART=${BT6_part:-pair}
FREEZE=${BT6_freeze:-50}
MIB=1048576

res() { echo "@@R $*" >&3; log "result $*"; }
now() { bt6b now; }
# busy jiffies (all but idle and iowait) from /proc/stat
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
slab_bytes() { awk 'NR > 2 { s += $2 * $4 } END { printf "%d\n", s }' /proc/slabinfo; }

# No duplicate address detection: the addresses are usable at once, so
# connect time measures the module and the link, not DAD's 1 s.
sysctl -qw net.ipv6.conf.default.accept_dad=0
sysctl -qw net.ipv6.conf.all.accept_dad=0

# bench_controllers N [EMULATOR ARGS...]: EMULATOR (default btvirt) -lN,
# all adapters LE and powered; hci0..N-2 are nodes (connectable,
# advertising), the newest, hci(N-1), routes (the debugfs connect picks the
# newest powered adapter as source).
bench_controllers() {
	local n=$1 emu=${2:-btvirt} i m last
	shift
	[ $# -gt 0 ] && shift
	for m in af_alg algif_hash algif_skcipher cmac ecb; do
		modprobe $m 2>/dev/null
	done
	modprobe hci_vhci || return 1
	last=$((n - 1))
	$emu "$@" -l$n >/tmp/btvirt.log 2>&1 &
	BTVIRT_PID=$!
	wait_for 30 test -e /sys/class/bluetooth/hci$last || { echo "controllers did not appear"; return 1; }
	sleep 1
	for i in $(seq 0 $last); do
		btmgmt -i hci$i le on >/dev/null || return 1
		if [ $i -lt $last ]; then
			btmgmt -i hci$i connectable on >/dev/null || return 1
		fi
		btmgmt -i hci$i power on >/dev/null || return 1
		if [ $i -lt $last ]; then
			btmgmt -i hci$i advertising on >/dev/null || return 1
		fi
	done
}

hci_addr() { hciconfig "$1" | sed -n 's/.*BD Address: \([0-9A-F:]*\).*/\1/p'; }

# enslave_all: every bt netdev into the VRF of its adapter (vrf<N>, table
# 100+N), created on demand.
enslave_all() {
	local d h n
	for d in /sys/class/net/bt*; do
		[ -e "$d" ] || continue
		h=$(basename "$(readlink -f "$d/device" 2>/dev/null)")
		n=${h#hci}
		[ -n "$n" ] || continue
		ip link show vrf$n >/dev/null 2>&1 ||
			{ ip link add vrf$n type vrf table $((100 + n)) && ip link set vrf$n up; }
		[ "$(basename "$(readlink -f "$d/master" 2>/dev/null)")" = vrf$n ] && continue
		ip link set "$(basename "$d")" master vrf$n
		ip link set "$(basename "$d")" up
	done
}

vrf_rules() {
	sysctl -qw net.ipv4.tcp_l3mdev_accept=1
	sysctl -qw net.ipv4.udp_l3mdev_accept=1
	sysctl -qw net.ipv4.raw_l3mdev_accept=1 2>/dev/null
	ip -6 rule add pref 32765 table local && ip -6 rule del pref 0
}

# both_isolated: the node's and router's netdevs exist and sit in their VRFs
both_isolated() {
	local h d
	for h in $NODE_HCI $ROUTER_HCI; do
		d=$(netdev_of $h) || return 1
		[ "$(basename "$(readlink -f /sys/class/net/$d/master 2>/dev/null)")" = "vrf${h#hci}" ] || return 1
	done
}

# wait_traffic T0 SECS: keep both netdevs isolated and ping the node from
# the router until a reply; prints seconds since T0, or "timeout".
wait_traffic() {
	local t0=$1 end r
	end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -lt $end ]; do
		enslave_all 2>/dev/null
		if both_isolated; then
			r=$(bt6b waitping -A $ROUTER_HCI -T 1 -0 "$t0" "$NODE_LL") && { echo "$r"; return 0; }
		else
			sleep 0.05
		fi
	done
	echo timeout
	return 1
}

raw_connect() { # ADDR: the debugfs write alone, no re-listen
	echo "connect $1 1" >$DBG/6lowpan_control
}

pair_setup() { # controllers, module, node listening; no connect yet
	bench_controllers 2 || { res error controllers; return 1; }
	NODE_ADDR=$(hci_addr hci0) ROUTER_ADDR=$(hci_addr hci1)
	NODE_LL=$(lladdr_to_ll $NODE_ADDR) ROUTER_LL=$(lladdr_to_ll $ROUTER_ADDR)
	load_module || { res error modprobe; return 1; }
	vrf_rules
}

# connect and time it: from the write to the first echo reply
pair_connect() {
	local t0 t
	ctl_enable 1
	t0=$(now)
	ctl_connect $NODE_ADDR public || { res connect_s fail; return 1; }
	t=$(wait_traffic "$t0" 20)
	res connect_s "$t"
	[ "$t" != timeout ]
}


# pair_up: controllers, module, connect (timed); sets NODE_IF, ROUTER_IF
pair_up() {
	pair_setup || return 1
	pair_connect || log "no traffic after connect"
	NODE_IF=$(netdev_of $NODE_HCI) ROUTER_IF=$(netdev_of $ROUTER_HCI)
	[ -n "$NODE_IF" ] && [ -n "$ROUTER_IF" ] || { res error no-netdev; return 1; }
}

do_latency() {
	local s r
	for s in 56 1200; do
		r=$(bt6b ping -I "$ROUTER_IF" -s $s -c ${BT6_pings:-500} -i 5 -W 2000 -T 120 "$NODE_LL")
		res ping_$s "$r"
	done
}

# TCP: RUNS transfers of 1 MiB, router -> node, checked byte for byte
do_tcp() {
	local i t0 t1 b0 b1 ok=0 fails=0 rpid
	b0=$(busy)
	for i in $(seq 1 $RUNS); do
		xfer recv -d "$NODE_IF" -t 20 $((5200 + i)) $MIB >/tmp/recv.log 2>&1 &
		rpid=$!
		sleep 0.3
		t0=$(now)
		xfer send -d "$ROUTER_IF" -t 20 "$NODE_LL%$ROUTER_IF" $((5200 + i)) $MIB \
			>/tmp/send.log 2>&1 || kill $rpid 2>/dev/null
		if wait $rpid; then
			t1=$(now)
			res tcp_kibps "$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", 1024 / (b - a) }')"
			ok=$((ok + 1)) fails=0
		else
			res tcp_kibps fail
			log "tcp run $i: $(tail -n1 /tmp/recv.log) / $(tail -n1 /tmp/send.log)"
			fails=$((fails + 1))
			[ $fails -ge 2 ] && break
		fi
	done
	b1=$(busy)
	[ $ok -gt 0 ] && res tcp_cpu_s_per_mib "$(awk -v j=$((b1 - b0)) -v n=$ok 'BEGIN { printf "%.3f", j / 100 / n }')"
}

# UDP: RUNS bursts of 1 MiB in 1200-byte datagrams, router -> node
do_udp() {
	local i r b0 b1 ok=0 fails=0 rpid
	b0=$(busy)
	for i in $(seq 1 $RUNS); do
		bt6b udprecv -I "$NODE_IF" -T 20 $((5300 + i)) >/tmp/urecv.log 2>&1 &
		rpid=$!
		sleep 0.3
		bt6b udpsend -I "$ROUTER_IF" -s 1200 -n 874 -T 40 "$NODE_LL" $((5300 + i)) >/tmp/usend.log 2>&1
		wait $rpid
		r=$(grep '^udp ' /tmp/urecv.log)
		log "udp run $i: $r / $(cat /tmp/usend.log)"
		case "$r" in
		*kibps=*)
			res udp "$r"
			ok=$((ok + 1)) fails=0
			;;
		*)
			res udp fail
			fails=$((fails + 1))
			[ $fails -ge 2 ] && break
			;;
		esac
	done
	b1=$(busy)
	[ $ok -gt 0 ] && res udp_cpu_s_per_mib "$(awk -v j=$((b1 - b0)) -v n=$ok 'BEGIN { printf "%.3f", j / 100 / n }')"
}

# pair: all three on one link; lat, tcp, udp: each on a fresh boot and link
# (a stall of one does not hide the others).
part_pair() { pair_up || return 1; do_latency; do_tcp; do_udp; }
part_lat() { pair_up || return 1; do_latency; }
part_tcp() { pair_up || return 1; do_tcp; }
part_udp() { pair_up || return 1; do_udp; }

# Frozen controller: SIGSTOP btvirt with traffic queued past the core's
# 45 s ACL tx timeout, SIGCONT, time until the router's pings get answers.
part_frozen() {
	local ppid t0 r
	pair_setup || return 1
	pair_connect || { res frozen_s "n/a (no unicast before the fault)"; return 0; }
	# a steady sender: multicast echo requests (they leave the router even
	# where unicast does not)
	ping -6 -i 1 -I "$(netdev_of $ROUTER_HCI)" ff02::1 >/dev/null 2>&1 &
	ppid=$!
	sleep 2
	kill -STOP $BTVIRT_PID
	log "btvirt stopped for $FREEZE s"
	sleep $FREEZE
	t0=$(now)
	kill -CONT $BTVIRT_PID
	log "btvirt continued"
	kill $ppid 2>/dev/null
	r=$(wait_traffic "$t0" ${BT6_recover_wait:-60})
	if [ "$r" = timeout ]; then
		if [ -z "$(ctl_peers)" ]; then
			res frozen_s "needs manual reconnect"
		else
			res frozen_s never
		fi
	else
		res frozen_s "$r"
	fi
	res frozen_peers "$(ctl_peers | tr '\n' ';')"
	dmesg | grep -E 'tx timeout|stalled|killing' | tail -n 5
}

# Withheld credits: the router connects to a userspace IPSP peer that
# reads for 3 s and then never reads that channel again (it keeps reading
# any new channel). Traffic: one 1200-byte datagram every 5 ms. Time from
# the start of the withholding to the first frame on a new channel.
part_credits() {
	local hpid spid npid t d
	bench_controllers 2 || { res error controllers; return 1; }
	NODE_ADDR=$(hci_addr hci0)
	NODE_LL=$(lladdr_to_ll $NODE_ADDR)
	load_module || { res error modprobe; return 1; }
	bt6b l2hold -a $NODE_ADDR -r 3 -T 75 >/tmp/hold.log 2>&1 &
	hpid=$!
	# the peers while the userspace peer still runs (its exit closes all)
	(sleep 72; ctl_peers >/tmp/hold.peers) &
	sleep 0.5
	raw_connect $NODE_ADDR || { res credits_s "n/a (connect failed)"; return 1; }
	wait_for 20 netdev_of $ROUTER_HCI || { res credits_s "n/a (no netdev)"; return 1; }
	ip link set "$(netdev_of $ROUTER_HCI)" up
	# The userspace peer does not answer neighbour solicitations: a
	# permanent neighbour entry (kept up to date: the netdev may be
	# recreated) lets the datagrams themselves reach it.
	(
		while :; do
			d=$(netdev_of $ROUTER_HCI) &&
				ip -6 neigh replace "$NODE_LL" lladdr "$NODE_ADDR" dev "$d" nud permanent 2>/dev/null
			sleep 0.5
		done
	) &
	npid=$!
	sleep 0.5
	bt6b udpsend -A $ROUTER_HCI -s 1200 -n 100000 -i 5 -T 70 "$NODE_LL" 5555 >/tmp/usend.log 2>&1 &
	spid=$!
	wait $hpid
	kill $spid $npid 2>/dev/null
	ip -6 neigh show
	cat /tmp/hold.log
	t=$(sed -n 's/^flow \([0-9.]*\) .*/\1/p' /tmp/hold.log | head -n1)
	if [ -n "$t" ]; then
		res credits_s "$t"
	elif [ "$(sed -n 's/^hold .* frames=\([0-9]*\)$/\1/p' /tmp/hold.log)" -lt 50 ] 2>/dev/null; then
		# a few multicast frames, none of the datagrams
		res credits_s "n/a (no unicast before the fault)"
	elif grep -q '^hold' /tmp/hold.log; then
		if [ ! -s /tmp/hold.peers ]; then
			res credits_s "needs manual reconnect"
		else
			res credits_s never
		fi
	else
		res credits_s "n/a (no channel)"
	fi
	res credits_peers "$(tr '\n' ';' </tmp/hold.peers)"
	dmesg | grep -E 'stalled|credit' | tail -n 5
}

# Scale: one router adapter with N nodes on one btX (the gateway). The
# emulator is the image's patched btvirt (/bin/btvirt-multi, tests/vm/patches:
# Debian's gives a central one working link only), LE-only controllers (-L).
# hci0..hci(N-1) are nodes, hci(N), the newest, routes: the debugfs connect
# of both modules leaves from the newest powered adapter. Each btX sits in
# the VRF of its adapter. Then, to every node: pings one node at a time
# (p50/p99 each), a 1 MiB UDP burst and a 1 MiB TCP transfer to all nodes
# at once (per node and aggregate throughput, fairness = min/max per node),
# and slab bytes per peer (both ends: the router's peer and the node's).
SCALE_N=${BT6_nodes:-4}

# scale_round PROTO: 1 MiB to every node at once; "scale_PROTO" per node
# (KiB/s or fail) and "scale_PROTO_total" (all bytes over the round's time)
scale_round() {
	local proto=$1 i ll nif t0 t1 got=0 r port rpids="" spids=""
	for i in $(seq 0 $((SCALE_N - 1))); do
		nif=$(netdev_of hci$i) || continue
		port=$((5400 + i))
		if [ "$proto" = tcp ]; then
			xfer recv -d "$nif" -t 60 $port $MIB >/tmp/s$i.log 2>&1 &
		else
			bt6b udprecv -I "$nif" -T 60 $port >/tmp/s$i.log 2>&1 &
		fi
		rpids="$rpids $!"
	done
	sleep 0.5
	t0=$(now)
	for i in $(seq 0 $((SCALE_N - 1))); do
		ll=$(lladdr_to_ll "$(hci_addr hci$i)")
		port=$((5400 + i))
		if [ "$proto" = tcp ]; then
			xfer send -d "$R_IF" -t 60 "$ll%$R_IF" $port $MIB >/tmp/t$i.log 2>&1 &
		else
			bt6b udpsend -I "$R_IF" -s 1200 -n 874 -T 60 "$ll" $port >/tmp/t$i.log 2>&1 &
		fi
		spids="$spids $!"
	done
	wait $rpids
	t1=$(now)
	# (not a bare wait: btvirt is a child of this shell too)
	wait $spids
	for i in $(seq 0 $((SCALE_N - 1))); do
		if [ "$proto" = tcp ]; then
			r=$(sed -n 's/^xfer: received \([0-9]*\) bytes intact .*(\([0-9.]*\) KiB\/s)/bytes=\1 kibps=\2/p' /tmp/s$i.log)
		else
			r=$(grep '^udp ' /tmp/s$i.log)
		fi
		log "scale $proto hci$i: ${r:-$(tail -n1 /tmp/s$i.log) / $(tail -n1 /tmp/t$i.log)}"
		case "$r" in
		*kibps=*)
			res scale_$proto "node=$i $r"
			got=$((got + $(echo "$r" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')))
			;;
		*) res scale_$proto "node=$i fail" ;;
		esac
	done
	res scale_${proto}_total "$(awk -v b=$got -v a=$t0 -v c=$t1 'BEGIN { printf "%.1f", b / 1024 / (c - a) }')"
}

part_scale() {
	local n=$SCALE_N i a s0 s1 ok=0 r ll
	bench_controllers $((n + 1)) /bin/btvirt-multi -L || { res error controllers; return 1; }
	load_module || { res error modprobe; return 1; }
	vrf_rules
	ctl_enable 1
	sleep 1
	sync
	echo 3 >/proc/sys/vm/drop_caches
	s0=$(slab_bytes)
	for i in $(seq 0 $((n - 1))); do
		a=$(hci_addr hci$i)
		ctl_connect "$a" public || log "connect to hci$i failed"
		wait_for 20 netdev_of hci$i >/dev/null || log "no netdev for hci$i"
	done
	wait_for 10 netdev_of hci$n >/dev/null || { res error no-netdev; return 1; }
	R_IF=$(netdev_of hci$n)
	sleep 1
	enslave_all
	ctl_peers
	for i in $(seq 0 $((n - 1))); do
		ll=$(lladdr_to_ll "$(hci_addr hci$i)")
		r=$(bt6b ping -I "$R_IF" -c ${BT6_scale_pings:-100} -i 5 -W 1000 -T 30 "$ll")
		log "hci$n -> hci$i: $r"
		case "$r" in *recv=0*) ;; *) ok=$((ok + 1)) ;; esac
		res scale_ping "node=$i $r"
	done
	sync
	echo 3 >/proc/sys/vm/drop_caches
	s1=$(slab_bytes)
	res scale_nodes $n
	res scale_reached $ok
	res scale_peers "$(ctl_peers | wc -l)"
	res scale_slab_per_peer "$(((s1 - s0) / n))"
	[ $ok -gt 0 ] || return 0
	scale_round udp
	scale_round tcp
}

# Limit: what any IPSP module could move over this link, in the same
# guest: bt6_limit.ko (tests/bench/limit) sends 1 MiB in 1280-byte SDUs
# back to back through the L2CAP core on an LE credit based channel set up
# as an IPSP one (MTU 1280, the core's MPS and credits) into a receiver
# that only counts; then the same from userspace (bt6b l2send into
# l2sink, L2CAP sockets). RUNS of each; no IPSP module is loaded.
# no_link HCI: the adapter holds no connection (hci_conn devices HCI:HANDLE)
no_link() { ! ls /sys/class/bluetooth | grep -q "^$1:"; }

part_limit() {
	local i r ko rpid
	bench_controllers 2 || { res error controllers; return 1; }
	NODE_ADDR=$(hci_addr hci0) ROUTER_ADDR=$(hci_addr hci1)
	ko=/lib/modules/$(uname -r)/extra/bt6_limit.ko
	# a parameter no run can use is refused at load
	if insmod $ko src=$ROUTER_ADDR dst=$NODE_ADDR mtu=0 2>/dev/null; then
		rmmod bt6_limit
		res error "bt6_limit took mtu=0"
	fi
	for i in $(seq 1 $RUNS); do
		if insmod $ko src=$ROUTER_ADDR dst=$NODE_ADDR bytes=$MIB; then
			r=$(cat /sys/module/bt6_limit/parameters/result)
			rmmod bt6_limit || log "rmmod bt6_limit failed"
		else
			r="insmod failed"
		fi
		log "limit run $i: $r"
		case "$r" in ok*) res limit_kibps "${r##*kibps=}" ;; *) res limit_kibps fail ;; esac
		# the next run on a new LE link
		wait_for 15 no_link hci1
	done
	for i in $(seq 1 $RUNS); do
		bt6b l2sink -a $NODE_ADDR -b $MIB -T 40 >/tmp/l2sink.log 2>&1 &
		rpid=$!
		sleep 0.3
		bt6b l2send -a $ROUTER_ADDR -b $MIB -T 40 $NODE_ADDR >/tmp/l2send.log 2>&1
		wait $rpid
		r=$(grep '^l2 ' /tmp/l2sink.log)
		log "l2 run $i: $r / $(cat /tmp/l2send.log)"
		case "$r" in *kibps=*) res l2user_kibps "${r##*kibps=}" ;; *) res l2user_kibps fail ;; esac
		wait_for 15 no_link hci1
	done
}

# Latency under load: ping p50/p99 (56 bytes, 200 pings 20 ms apart) while
# a bulk TCP transfer runs on the same link, router to node: the queueing
# the module's queues and the qdisc add to a small packet; and what the
# transfer moved meanwhile (loaded_bulk_kibps: 0 is no load at all).
part_loaded() {
	local rpid spid r b0 b1 t0 t1
	pair_up || return 1
	xfer recv -d "$NODE_IF" -t 120 5500 $((16 * MIB)) >/tmp/recv.log 2>&1 &
	rpid=$!
	sleep 0.3
	xfer send -d "$ROUTER_IF" -t 120 "$NODE_LL%$ROUTER_IF" 5500 $((16 * MIB)) >/tmp/send.log 2>&1 &
	spid=$!
	sleep 2
	# what the bulk transfer moved meanwhile: the node's btX byte count
	# (a stalled transfer loads nothing)
	b0=$(cat /sys/class/net/$NODE_IF/statistics/rx_bytes) t0=$(now)
	r=$(bt6b ping -I "$ROUTER_IF" -s 56 -c ${BT6_loaded_pings:-200} -i 20 -W 2000 -T 100 "$NODE_LL")
	b1=$(cat /sys/class/net/$NODE_IF/statistics/rx_bytes) t1=$(now)
	res loaded_ping "$r"
	res loaded_bulk_kibps "$(awk -v b=$((b1 - b0)) -v a=$t0 -v c=$t1 'BEGIN { printf "%.1f", b / 1024 / (c - a) }')"
	kill -0 $spid 2>/dev/null || res loaded_bulk "ended early: $(tail -n1 /tmp/recv.log)"
	kill $spid $rpid 2>/dev/null
	wait $spid $rpid
}

case "$PART" in
pair) part_pair ;;
lat) part_lat ;;
tcp) part_tcp ;;
udp) part_udp ;;
frozen) part_frozen ;;
credits) part_credits ;;
scale) part_scale ;;
limit) part_limit ;;
loaded) part_loaded ;;
*) res error "unknown part $PART" ;;
esac
check_pass bench
