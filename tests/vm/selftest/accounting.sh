# SPDX-License-Identifier: GPL-2.0
# checks: twice
# ctl: none
# timeout: 120
# The host's bookkeeping: a check reported PASS then FAIL fails; a failure
# under a name the header does not declare fails; a W taint set with no
# kernel message fails the taint check, while O (out-of-tree) does not;
# the kernel log stays clean; a command the guest's shell cannot find
# fails the shell check, whatever the checks said.
# expect: twice FAIL second report
# expect: undeclared FAIL not declared
# expect: taint FAIL flags W \(
# expect: shell FAIL accounting.sh: line [0-9]+: bt6_selftest_no_such_command: not found
check_pass twice
check_fail twice "second report"
check_fail undeclared "a check the header does not name"
echo 4096 >/proc/sys/kernel/tainted
echo 512 >/proc/sys/kernel/tainted
bt6_selftest_no_such_command
