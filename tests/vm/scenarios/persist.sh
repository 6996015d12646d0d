# SPDX-License-Identifier: GPL-2.0
# checks: setup persistent-waiting waiting-after-timeout node-appears apply-first apply-again-unchanged showconf-apply-noop forgotten stays-forgotten reapply reboot-apply reboot-waiting reboot-back reboot-ping bad-file-unchanged bad-adapter-unchanged adapter-back rmmod-waiting
# ctl: sysfs
# modules: ours
# timeout: 900
# Persistent peers and the configuration file (issue 14): a router-role
# peer added with connect --persistent while its node is absent (its
# adapter does not advertise) is
# listed "waiting", stays waiting (not "failed") once its first connect
# has timed out, and connects by itself when the node appears. bt6ctl
# apply FILE twice changes nothing (showconf before and after, and no
# event at all), nor does apply of showconf's own output; a peer taken
# out of the file is disconnected and forgotten. A simulated reboot
# (rmmod, btvirt restarted, modprobe, then only the systemd unit's
# "bt6ctl apply --wait 30 FILE", started before the router's adapter is
# powered, with the node still absent) brings the peer back
# once the node advertises. A bad file (a syntax error after a valid change, or an
# adapter that is not there) changes nothing. The adapters removed and
# back with auto-reconnect off: the peer is back. Unload with it waiting.

B=bt6ctl
F=/tmp/bt6lowpan.conf
export BT6CTL_STATE_DIR=/tmp/bt6ctl-state

# peer_line: the peers line of the node's address (one at most)
peer_line() { $B peers | grep "^$NODE_ADDR "; }
# peer_is STATE [more grep -E]: the node's line is in STATE, persistent.
# Polled: the sysfs line (the same fields but the flags) first, for a cat
# costs a tenth of the CPU of bt6ctl's start under TCG; then bt6ctl's.
peer_is() {
	local re="^$NODE_ADDR public $ROUTER_HCI [^ ]+ $1( |\$).*${2:-}" l
	grep -Eq "$re" $SYS/peers || return 1
	l=$(peer_line) || return 1
	echo "$l" | grep -Eq "$re" && echo "$l" | grep -q " persistent$"
}
show_state() { echo "peers:"; $B peers; echo "sysfs:"; cat $SYS/peers; }

# quiet CMD...: CMD causes no netlink event at all (monitor for 3 s)
quiet() {
	local mon rc
	$B monitor >/tmp/quiet.log 2>&1 &
	mon=$!
	sleep 1
	"$@"
	rc=$?
	sleep 2
	kill $mon
	wait $mon 2>/dev/null
	[ $rc = 0 ] || { echo "exit $rc: $*"; return 1; }
	if grep -q . /tmp/quiet.log; then
		echo "events during $*:"
		cat /tmp/quiet.log
		return 1
	fi
}

# Controllers: btvirt's LE-only type (-L), as in the bt6ctl scenario. With
# the dual mode type, 6.12 re-enables the node's advertising at power on
# with extended advertising commands, which btvirt (5.66) fails ("Opcode
# 0x2039 failed: -38"): the node stays silent.
BTVIRT_BIN=$(command -v btvirt)
btvirt() { exec "$BTVIRT_BIN" -L "$@"; }

# The node is absent while its adapter does not advertise. (Not its
# adapter powered off: on 6.1 the emulated controller keeps advertising
# and accepts the LE link then, though its host no longer answers.)
node_off() { mgmt -i $NODE_HCI advertising off; }
node_on() { mgmt -i $NODE_HCI power on advertising on; }
# gone for good: no advertising, and its links dropped
node_gone() { mgmt -i $NODE_HCI advertising off power off; }

write_conf() { # WITH-PEER: the file, with the [Peer] section or not
	cat >$F <<-EOF
	# bt6lowpan.conf for the persist scenario
	[Module]
	Enable = on
	PSM = 0x0023
	StallTimeoutMs = 10000
	AutoReconnect = on
	ReconnectMaxMs = 2000

	[Adapter $NODE_HCI]
	Advertise = off   # the node advertises adapter-wide (btmgmt)
	EOF
	[ "$1" = yes ] && cat >>$F <<-EOF

	[Peer]
	Adapter = $ROUTER_HCI
	Address = $NODE_ADDR
	Type = public
	EOF
	return 0
}

setup() {
	start_controllers || return 1
	node_off || return 1
	load_module || return 1
	echo 2000 >$SYS/reconnect_max_ms && $B enable
}
check setup setup || exit 1

# The node is absent: the connect is accepted, the peer is waiting.
persistent_waiting() {
	$B connect $NODE_ADDR public -i $ROUTER_HCI --persistent || return 1
	wait_for 10 peer_is waiting || { show_state; return 1; }
	show_state
}
check persistent-waiting persistent_waiting

# The first connect times out (the core's 20 s LE connect timeout): the
# peer is still waiting, with that error, never "failed".
waiting_after_timeout() {
	wait_for 60 peer_is waiting "error=-110" || { show_state; return 1; }
	show_state
	! $B peers | grep -q failed
}
check waiting-after-timeout waiting_after_timeout

# The node appears: the peer connects by itself.
node_appears() {
	node_on || return 1
	wait_for 90 peer_is connected || { show_state; return 1; }
	show_state
}
check node-appears node_appears

# apply: the file says what is running already but for its tunables.
apply_first() {
	write_conf yes
	$B apply $F || return 1
	$B showconf >/tmp/s1 || return 1
	cat /tmp/s1
	grep -q "^ReconnectMaxMs = 2000$" /tmp/s1 &&
		grep -q "^Address = $NODE_ADDR$" /tmp/s1 && peer_is connected
}
check apply-first apply_first

# Applying the same file again changes nothing: no event, the same
# showconf, nothing printed.
apply_again() {
	quiet $B apply $F >/tmp/apply2.out || return 1
	cat /tmp/apply2.out
	$B showconf >/tmp/s2 || return 1
	cmp /tmp/s1 /tmp/s2 || { diff /tmp/s1 /tmp/s2; return 1; }
	! grep -Ev '^hci[0-9]+: not advertising' /tmp/apply2.out | grep -q .
}
check apply-again-unchanged apply_again

# showconf > f; apply f: a no-op too.
showconf_noop() {
	$B showconf >/tmp/own.conf || return 1
	quiet $B apply /tmp/own.conf || return 1
	$B showconf >/tmp/s3 && cmp /tmp/s1 /tmp/s3
}
check showconf-apply-noop showconf_noop

# The peer taken out of the file: disconnected and forgotten.
forgotten() {
	write_conf no
	$B apply $F || return 1
	wait_for 15 sh -c "! $B peers | grep -q '^$NODE_ADDR '" || { show_state; return 1; }
	! $B showconf | grep -q "^\[Peer\]"
}
check forgotten forgotten
# and it does not come back (the persistent round runs every second)
stays_forgotten() {
	sleep 5
	show_state
	! $B peers | grep -q "^$NODE_ADDR " && ! grep -q "^$NODE_ADDR " $SYS/peers
}
check stays-forgotten stays_forgotten

reapply() {
	write_conf yes
	$B apply $F | grep -q "persistent" || return 1
	wait_for 90 peer_is connected || { show_state; return 1; }
}
check reapply reapply

# The unit's ExecStart (tests/vm/mkinitramfs.sh puts the unit in
# /bench), with this scenario's file
unit_start() {
	sed -n 's/^ExecStart=//p' /bench/bt6lowpan.service | sed "s#/etc/bt6lowpan.conf#$F#"
}

# Simulated reboot: module gone, adapters gone and back (the node absent),
# module loaded with its defaults, then only the unit's command, started
# while the router's adapter is not powered yet (at boot bluetoothd may
# power it after the unit has started): it waits, then applies.
reboot_apply() {
	local cmd pid rc
	unload_module || return 1
	kill $BTVIRT_PID
	wait $BTVIRT_PID 2>/dev/null
	wait_for 15 test ! -e /sys/class/bluetooth/$NODE_HCI || return 1
	start_controllers || return 1
	node_off || return 1
	btmgmt -i $ROUTER_HCI power off || return 1
	! powered $ROUTER_HCI || { echo "$ROUTER_HCI still powered"; return 1; }
	modprobe bluetooth_6lowpan || return 1
	[ "$(cat $SYS/reconnect_max_ms)" = 30000 ] || { echo "not the defaults"; return 1; }
	cmd=$(unit_start)
	echo "the unit's command: $cmd"
	$cmd >/tmp/unit.out 2>&1 &
	pid=$!
	sleep 2
	kill -0 $pid 2>/dev/null || { cat /tmp/unit.out; echo "it did not wait for $ROUTER_HCI"; return 1; }
	btmgmt -i $ROUTER_HCI power on || return 1
	wait $pid
	rc=$?
	cat /tmp/unit.out
	[ $rc = 0 ] || { echo "exit $rc"; return 1; }
}
check reboot-apply reboot_apply
check reboot-waiting wait_for 10 peer_is waiting
reboot_back() {
	node_on || return 1
	wait_for 90 peer_is connected || { show_state; return 1; }
	$B showconf >/tmp/s4 || return 1
	cmp /tmp/s1 /tmp/s4 || { diff /tmp/s1 /tmp/s4; return 1; }
}
check reboot-back reboot_back
reboot_ping() {
	wait_for 30 link_up || return 1
	isolate_vrf || return 1
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF" &&
		ping_ok "" "$ROUTER_IF" "$NODE_LL"
}
check reboot-ping reboot_ping

# A bad file changes nothing: a PSM change, then an error further down.
# (Each compares showconf with its own just before.)
bad_file() {
	$B showconf >/tmp/before5 || return 1
	sed 's/^PSM = 0x0023$/PSM = 0x0025/' $F >/tmp/bad.conf
	printf '\n[Peer]\nAdapter = %s\n' $ROUTER_HCI >>/tmp/bad.conf
	grep -q "PSM = 0x0025" /tmp/bad.conf || return 1
	quiet sh -c "! $B apply /tmp/bad.conf 2>/tmp/bad.err" || return 1
	cat /tmp/bad.err
	grep -q "/tmp/bad.conf:$(grep -c '' $F | awk '{ print $1 + 2 }'): \[Peer\] without Address" /tmp/bad.err &&
		grep -q "nothing changed" /tmp/bad.err || return 1
	$B showconf >/tmp/s5 && cmp /tmp/before5 /tmp/s5 && [ "$(cat $SYS/psm)" = 0x0023 ]
}
check bad-file-unchanged bad_file
bad_adapter() {
	$B showconf >/tmp/before6 || return 1
	sed 's/^PSM = 0x0023$/PSM = 0x0027/' $F >/tmp/bad2.conf
	printf '\n[Peer]\nAdapter = hci7\nAddress = 00:AA:01:00:00:07\n' >>/tmp/bad2.conf
	quiet sh -c "! $B apply /tmp/bad2.conf 2>/tmp/bad2.err" || return 1
	cat /tmp/bad2.err
	grep -q "hci7: no such adapter; nothing changed" /tmp/bad2.err || return 1
	$B showconf >/tmp/s6 && cmp /tmp/before6 /tmp/s6
}
check bad-adapter-unchanged bad_adapter

# The adapters go and come back (btvirt killed and restarted, the module
# stays) with auto-reconnect off: the persistent peer is listed waiting
# while its adapter is away, and comes back all the same.
adapter_back() {
	unisolate_vrf
	echo 0 >$SYS/auto_reconnect || return 1
	kill -9 $BTVIRT_PID
	wait $BTVIRT_PID 2>/dev/null
	wait_for 15 test ! -e /sys/class/bluetooth/$ROUTER_HCI || return 1
	wait_for 10 peer_is waiting || { show_state; return 1; }
	show_state
	start_controllers || return 1
	wait_for 90 peer_is connected || { show_state; return 1; }
	echo 1 >$SYS/auto_reconnect
}
check adapter-back adapter_back

# Unload while the persistent peer waits for its node.
rmmod_waiting() {
	unisolate_vrf
	node_gone || return 1
	wait_for 30 peer_is waiting || { show_state; return 1; }
	unload_timed persist-waiting
}
check rmmod-waiting rmmod_waiting
