# SPDX-License-Identifier: GPL-2.0
# checks: load warn lockup rcu-stall hang
# ctl: none
# timeout: 180
# The kernel's own detectors reach the host, through the selftest module
# (provoke/bt6_provoke.c): a WARN, a task 45 s in D state (hung task after
# 30 s, seen within 5 s more), 15 s spinning with preemption off (soft
# lockup after 4 s with watchdog_thresh 2: a wide margin, one run on
# a busy host saw none at 4), 15 s in an RCU reader (stall
# after 5 s with rcu_cpu_stall_timeout 5), a read of a freed KFENCE object.
# expect: kernel-log FAIL WARNING:.*bt6_provoke|bt6_provoke: warning on request
# expect: kernel-log FAIL INFO: task .* blocked for more than [0-9]+ seconds
# expect: kernel-log FAIL soft lockup
# expect: kernel-log FAIL rcu: INFO|self-detected stall
# expect-CONFIG_KFENCE: kernel-log FAIL BUG: KFENCE: use-after-free
# expect: taint FAIL flags [A-Z]*W
# expect: taint FAIL flags [A-Z]*L
P=/sys/kernel/debug/bt6_provoke

check load modprobe bt6_provoke || exit 1
# (sleep first: the hung-task detector skips a task never switched out)
(sleep 1; echo hang >$P) &
HANG=$!
check warn sh -c "echo warn >$P"
echo kfence >$P && log "read a freed KFENCE object" || log "no KFENCE action on this kernel"
# The lockups keep khungtaskd from running: they come after the hung-task
# report (or after 50 s: the host then sees none and fails this selftest).
wait_for 50 sh -c "dmesg | grep -q 'blocked for more than'" || log "no hung-task report within 50 s"
lockup() {
	echo 2 >/proc/sys/kernel/watchdog_thresh || return 1
	echo 5 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout || return 1
	sleep 3
	echo lockup >$P
}
check lockup lockup
check rcu-stall sh -c "echo rcustall >$P"
check hang wait $HANG
