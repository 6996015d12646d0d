# SPDX-License-Identifier: GPL-2.0
# checks: before after
# ctl: none
# timeout: 120
# A guest that dies suddenly: a bad line printed at debug level just before
# (it reaches the host only on the console, as printed: there is no final
# dmesg), then an immediate reset. The check never reached fails, and so do
# taint and kernel-log.
# expect: after FAIL guest died
# expect: taint FAIL guest died
# expect: kernel-log FAIL guest died
# expect: kernel-log FAIL BUG: selftest line at debug level
check_pass before
echo "<7>bt6 selftest: BUG: selftest line at debug level" >/dev/kmsg
sleep 1
echo b >/proc/sysrq-trigger
sleep 30
check_pass after
