# SPDX-License-Identifier: GPL-2.0
# checks: done never
# ctl: none
# timeout: 50
# A guest that hangs after a check passed: the host's time-out fails the
# check not reached, taint and kernel-log (a hang after the last check is
# a failure); the guest's watchdog dumps the blocked tasks first.
# expect: never FAIL timed out
# expect: taint FAIL timed out
# expect: kernel-log FAIL timed out
check_pass done
sleep 600
check_pass never
