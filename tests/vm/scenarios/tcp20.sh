# SPDX-License-Identifier: GPL-2.0
# checks: connect tcp-1mib-x20
# ctl: debugfs
# timeout: 900
# Twenty 1 MiB TCP transfers in a row, each checked byte for byte (the
# in-tree module on 6.1 stalls some of them). On the debug kernel
# (bt6.slow 3) twenty of 32 KiB: there 1 MiB moved at 6-30 KiB/s, and
# the first of twenty stopped half-way at its 90 s (session 21); twenty
# of 128 KiB took 160 s (session 25). Twenty connections, each with its
# set-up, transfer and teardown, are what the debug kernel is to watch.

SIZE=1048576
[ "${BT6_slow:-1}" = 1 ] || SIZE=32768
check connect connect_pair || exit 1

tcp_x20() {
	local i rpid ok=0 port t0 t1
	for i in $(seq 1 20); do
		port=$((5100 + i))
		t0=$(date +%s)
		xfer recv -d "$NODE_IF" -t "$(slow 30)" $port $SIZE >/tmp/recv.log 2>&1 &
		rpid=$!
		sleep 0.5
		xfer send -d "$ROUTER_IF" -t "$(slow 30)" "$NODE_LL%$ROUTER_IF" $port $SIZE \
			>/tmp/send.log 2>&1 || kill $rpid 2>/dev/null
		if wait $rpid; then
			ok=$((ok + 1))
			t1=$(date +%s)
			echo "run $i: ok in $((t1 - t0)) s"
		else
			echo "run $i: $(tail -n1 /tmp/recv.log) / $(tail -n1 /tmp/send.log)"
			break
		fi
	done
	echo "$ok of 20 transfers of $SIZE bytes complete and intact (stops at the first failure)"
	[ $ok -eq 20 ]
}
check tcp-1mib-x20 tcp_x20
