# SPDX-License-Identifier: GPL-2.0
# checks: setup ynl-starts config-get peer-dump peer-dump-matches-bt6ctl config-set config-set-refused config-ntf peer-disconnect rmmod
# ctl: sysfs
# modules: ours
# needs: python
# timeout: 600
# The kernel's own YNL tool (tools/net/ynl/cli.py of Debian's
# linux-source, with python3 in the guest: tests/vm/mkpython.sh) drives
# the module from our spec alone (issue 14): config-get answers what sysfs
# says; the peer-get dump lists the connected node as bt6ctl does (address,
# type, adapter, netdev, state); config-set changes the PSM and refuses a
# bad one with the module's own extack; a config-ntf reaches a subscriber;
# peer-disconnect closes the peer. No schema in the guest (the host's unit
# suite validates the spec against both schemas): --no-schema.

export PYTHONPATH=/bench/py
YNL_SPEC=/bench/ynl/specs/bt6lowpan.yaml
ynl() { python3 /bench/ynl/cli.py --no-schema --spec $YNL_SPEC "$@"; }

# (json, jv, jhas: guest/lib.sh) expect FILE PATH WANT: jhas, and FILE
# shown when it fails
expect() { jhas "$@" || { cat "$1"; return 1; }; }
# the node's address as YNL prints a binary attribute: hex, least
# significant byte first (00:AA:01:00:00:00 -> 00000001aa00)
addr_hex() { echo "$1" | awk -F: '{ print tolower($6 $5 $4 $3 $2 $1) }'; }

ynl_starts() {
	local t0 ms
	t0=$(now_ms)
	ynl --list-ops >/tmp/ops.txt 2>&1 || { cat /tmp/ops.txt; return 1; }
	ms=$(($(now_ms) - t0))
	info "ynl --list-ops: $ms ms"
	grep -q '^peer-get ' /tmp/ops.txt && grep -q '^config-set ' /tmp/ops.txt ||
		{ cat /tmp/ops.txt; echo "the spec's operations are not listed"; return 1; }
}

config_get() {
	ynl --do config-get --output-json >/tmp/cfg.json 2>&1 || { cat /tmp/cfg.json; return 1; }
	json /tmp/cfg.json || return 1
	expect /tmp/cfg.json .enable 1 &&
		expect /tmp/cfg.json .psm "$(($(cat $SYS/psm)))" &&
		expect /tmp/cfg.json '.["stall-timeout-ms"]' "$(cat $SYS/stall_timeout_ms)" &&
		expect /tmp/cfg.json '.["auto-reconnect"]' "$(cat $SYS/auto_reconnect)" &&
		expect /tmp/cfg.json '.["reconnect-max-ms"]' "$(cat $SYS/reconnect_max_ms)"
}

# the router's peer (the node) and the node's peer (the router): two
# entries; each as bt6ctl -j peers lists it
peer_dump() {
	ynl --dump peer-get --output-json >/tmp/peers.json 2>&1 || { cat /tmp/peers.json; return 1; }
	json /tmp/peers.json || return 1
	expect /tmp/peers.json . "array 2" || return 1
	awk -F'\t' '$1 ~ /\.addr$/ { print $2 }' /tmp/peers.json.flat | sort >/tmp/addrs
	printf '"%s"\n"%s"\n' "$(addr_hex $NODE_ADDR)" "$(addr_hex $ROUTER_ADDR)" | sort >/tmp/want
	cmp -s /tmp/addrs /tmp/want || { echo "addresses $(tr '\n' ' ' </tmp/addrs), want $(tr '\n' ' ' </tmp/want)"; return 1; }
	grep -q "\.state	\"connected\"" /tmp/peers.json.flat || { cat /tmp/peers.json; echo "no connected peer"; return 1; }
	[ "$(grep -c '\.state	"connected"' /tmp/peers.json.flat)" = 2 ] || { cat /tmp/peers.json; echo "not both connected"; return 1; }
}

# each ynl entry = the bt6ctl -j peers entry of the same address: type,
# adapter index, ifname, ifindex, state
dump_matches_bt6ctl() {
	local i n a j k want got
	bt6ctl -j peers >/tmp/b.json 2>&1 || { cat /tmp/b.json; return 1; }
	json /tmp/b.json || return 1
	n=$(jv /tmp/peers.json . | awk '{ print $2 }')
	for i in $(seq 0 $((n - 1))); do
		a=$(jv /tmp/peers.json ".[$i].addr" | tr -d '"')
		j=""
		for k in 0 1; do
			got=$(jv /tmp/b.json ".[$k].address" 2>/dev/null | tr -d '"')
			[ "$(addr_hex "$got")" = "$a" ] && j=$k
		done
		[ -n "$j" ] || { echo "bt6ctl does not list $a"; cat /tmp/b.json; return 1; }
		want="$(jv /tmp/b.json ".[$j].type") hci$(jv /tmp/peers.json ".[$i].adapter")"
		want="$want $(jv /tmp/b.json ".[$j].ifname") $(jv /tmp/b.json ".[$j].state")"
		got="\"$(jv /tmp/peers.json ".[$i].[\"addr-type\"]" | tr -d '"')\" $(jv /tmp/b.json ".[$j].adapter" | tr -d '"')"
		got="$got $(jv /tmp/peers.json ".[$i].ifname") $(jv /tmp/peers.json ".[$i].state")"
		[ "$want" = "$got" ] || { echo "entry $a: ynl '$got', bt6ctl '$want'"; return 1; }
		[ "$(jv /tmp/peers.json ".[$i].ifindex")" = "$(cat /sys/class/net/$(jv /tmp/peers.json ".[$i].ifname" | tr -d '"')/ifindex)" ] ||
			{ echo "entry $a: ifindex differs from its netdev's"; return 1; }
	done
}

config_set() {
	ynl --do config-set --json '{"psm": 62}' >/tmp/set.txt 2>&1 || { cat /tmp/set.txt; return 1; }
	[ "$(cat $SYS/psm)" = 0x003e ] || { echo "psm reads $(cat $SYS/psm) after config-set psm 62"; return 1; }
	ynl --do config-set --json '{"psm": 35}' >/tmp/set.txt 2>&1 || { cat /tmp/set.txt; return 1; }
	[ "$(cat $SYS/psm)" = 0x0023 ] || { echo "psm reads $(cat $SYS/psm) after config-set psm 35"; return 1; }
}

# a PSM past the LE dynamic range (0x0001-0x00ff): the policy's error,
# its extack naming the attribute, and nothing changed
config_set_refused() {
	if ynl --do config-set --json '{"psm": 256}' >/tmp/bad.txt 2>&1; then
		cat /tmp/bad.txt
		echo "config-set psm 256 succeeded"
		return 1
	fi
	cat /tmp/bad.txt
	grep -q "error: -34" /tmp/bad.txt && grep -q "bad-attr.*psm" /tmp/bad.txt ||
		{ echo "no ERANGE with an extack naming the psm attribute"; return 1; }
	[ "$(cat $SYS/psm)" = 0x0023 ] || { echo "psm changed to $(cat $SYS/psm)"; return 1; }
}

# a subscriber of the events group (a second ynl, which sleeps 15 s after
# subscribing, then prints what it got) sees the config-ntf of a change;
# the change is made again and again until it exits, so some are made while
# it listens, however long python takes to start. (One ynl that subscribes
# and changes the value itself fails in the tool: 6.12's ynl.py cannot
# take a notification in the middle of a do.)
config_ntf() {
	local old pid rc
	old=$(cat $SYS/stall_timeout_ms)
	ynl --subscribe events --sleep 15 --output-json >/tmp/ntf.txt 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		echo 7000 >$SYS/stall_timeout_ms
		sleep 1
		echo $old >$SYS/stall_timeout_ms
		sleep 1
	done
	wait $pid
	rc=$?
	[ $rc = 0 ] || { cat /tmp/ntf.txt; echo "ynl --subscribe exited $rc"; return 1; }
	tail -n 1 /tmp/ntf.txt >/tmp/ntf.json
	json /tmp/ntf.json || return 1
	info "ynl subscriber: $(grep -c '\.name	"config-ntf"' /tmp/ntf.json.flat) config-ntf"
	grep -q '\.name	"config-ntf"' /tmp/ntf.json.flat &&
		grep -q '\.\["stall-timeout-ms"\]	7000$' /tmp/ntf.json.flat ||
		{ cat /tmp/ntf.txt; echo "no config-ntf with stall-timeout-ms 7000"; return 1; }
}

peer_disconnect() {
	ynl --do peer-disconnect --json "{\"addr\": \"$(addr_hex $NODE_ADDR)\"}" >/tmp/dis.txt 2>&1 ||
		{ cat /tmp/dis.txt; return 1; }
	wait_for 10 eval '! grep -q "^$NODE_ADDR" $SYS/peers' || { cat $SYS/peers; echo "the node is still a peer"; return 1; }
}

check setup connect_pair
check ynl-starts ynl_starts
check config-get config_get
check peer-dump peer_dump
check peer-dump-matches-bt6ctl dump_matches_bt6ctl
check config-set config_set
check config-set-refused config_set_refused
check config-ntf config_ntf
check peer-disconnect peer_disconnect
check rmmod unload_timed rmmod
