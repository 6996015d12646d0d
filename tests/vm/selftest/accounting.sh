# SPDX-License-Identifier: GPL-2.0
# checks: twice
# ctl: none
# timeout: 120
# The host's bookkeeping: a check reported PASS then FAIL fails; a failure
# under a name the header does not declare fails; a W taint set with no
# kernel message fails the taint check, while O (out-of-tree) does not;
# the kernel log stays clean.
# expect: twice FAIL second report
# expect: undeclared FAIL not declared
# expect: taint FAIL flags W \(
check_pass twice
check_fail twice "second report"
check_fail undeclared "a check the header does not name"
echo 4096 >/proc/sys/kernel/tainted
echo 512 >/proc/sys/kernel/tainted
