# SPDX-License-Identifier: GPL-2.0
# checks: connect ping rmmod-connected reload ping-after-reload
# ctl: debugfs sysfs
# timeout: 300
# Peers must not pin the module: rmmod while connected disconnects them,
# frees everything, and a fresh modprobe connects again. The rmmod is timed
# in milliseconds (guest uptime; printed as INFO) and must take at most
# 5000 ms, including the wait until no bt netdev is left.

check connect connect_pair || exit 1
check ping ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"

rmmod_connected() {
	local t0 t1
	t0=$(now_ms)
	unload_module || return 1
	t1=$(now_ms)
	info "rmmod-connected: rmmod with peers connected took $((t1 - t0)) ms"
	[ $((t1 - t0)) -le 5000 ] || { echo "rmmod took $((t1 - t0)) ms, more than 5000 ms"; return 1; }
	lsmod | grep -q '^bluetooth_6lowpan' && { echo "module still listed"; return 1; }
	return 0
}
check rmmod-connected rmmod_connected || exit 1

reload() {
	unisolate_vrf
	load_module || return 1
	ctl_enable 1 && ctl_connect $NODE_ADDR public || return 1
	wait_for 30 link_up || return 1
	isolate_vrf || return 1
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF"
}
check reload reload || exit 1
check ping-after-reload ping_ok "$ROUTER_NS" "$ROUTER_IF" "$NODE_LL"
