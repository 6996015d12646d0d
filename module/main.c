// SPDX-License-Identifier: GPL-2.0
/*
 * bluetooth_6lowpan: IPv6 over Bluetooth Low Energy (RFC 7668, IPSP).
 * Module lifecycle and parameters.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "bt6lowpan.h"
#include "netlink.h"

/* Deferred work: netdev (un)registration, per peer transmit, frees. */
struct workqueue_struct *bt6_wq;
/* Serialises control operations and netdev changes; see bt6lowpan.h. */
DEFINE_MUTEX(bt6_ctl);
/* Protects bt6_ifaces and every iface's peer list (writers; RCU readers). */
DEFINE_SPINLOCK(bt6_lock);
LIST_HEAD(bt6_ifaces);
bool bt6_exiting;

static bool enable;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "Listen for IPSP channels at load (default 0)");

static ushort psm = BT6_PSM_DEFAULT;
module_param(psm, ushort, 0444);
MODULE_PARM_DESC(psm, "LE PSM at load, 0x0001-0x00ff (default 0x0023, IPSP)");

unsigned int bt6_stall_timeout_ms = 10000;
module_param_named(stall_timeout_ms, bt6_stall_timeout_ms, uint, 0444);
MODULE_PARM_DESC(stall_timeout_ms,
		 "Reset a link with data waiting and no transmit progress for this long (ms, 0: never; default 10000)");

bool bt6_auto_reconnect = true;
module_param_named(auto_reconnect, bt6_auto_reconnect, bool, 0444);
MODULE_PARM_DESC(auto_reconnect,
		 "Reconnect lost router-role peers (default 1)");

unsigned int bt6_reconnect_max_ms = 30000;
module_param_named(reconnect_max_ms, bt6_reconnect_max_ms, uint, 0444);
MODULE_PARM_DESC(reconnect_max_ms,
		 "Longest delay between reconnect attempts (ms, default 30000)");

static bool debugfs_compat = true;
module_param(debugfs_compat, bool, 0444);
MODULE_PARM_DESC(debugfs_compat,
		 "Provide the in-tree module's debugfs files (default 1)");

static int __init bt6_init(void)
{
	int err;

	if (bt6_stall_timeout_ms > BT6_STALL_MAX_MS ||
	    bt6_reconnect_max_ms < BT6_RECONNECT_MIN_MS ||
	    bt6_reconnect_max_ms > BT6_RECONNECT_MAX_MS) {
		pr_err("stall_timeout_ms or reconnect_max_ms out of range\n");
		return -ERANGE;
	}
	if (psm < BT6_PSM_MIN || psm > BT6_PSM_MAX) {
		pr_err("psm 0x%04x out of range 0x%04x-0x%04x\n", psm,
		       BT6_PSM_MIN, BT6_PSM_MAX);
		return -ERANGE;
	}

	bt6_wq = alloc_workqueue("bt6lowpan", WQ_PERCPU, 0);
	if (!bt6_wq)
		return -ENOMEM;

	err = bt6_ctl_init(enable, psm);
	if (err)
		goto err_ctl;

	err = bt6_sysfs_init();
	if (err)
		goto err_ctl;

	if (debugfs_compat)
		bt6_debugfs_init();

	err = bt6_nl_init();
	if (err)
		goto err_nl;

	pr_info("IPv6 over BLE %s loaded (PSM 0x%04x, %s)\n", BT6_VERSION,
		psm, enable ? "listening" : "not listening");
	return 0;

err_nl:
	bt6_debugfs_exit();
	bt6_sysfs_exit();
err_ctl:
	/* The same order as module exit: listening may have run already. */
	bt6_ctl_exit();
	bt6_park_exit();
	bt6_device_exit();
	bt6_ifaces_wait_freed();
	destroy_workqueue(bt6_wq);
	rcu_barrier();
	return err;
}

static void __exit bt6_exit(void)
{
	/* No control operation can start once these are gone. */
	bt6_nl_exit();
	bt6_debugfs_exit();
	bt6_sysfs_exit();

	bt6_ctl_exit();
	bt6_park_exit();
	bt6_device_exit();
	bt6_ifaces_wait_freed();
	destroy_workqueue(bt6_wq);
	rcu_barrier();	/* kfree_rcu() callbacks are core code, but be tidy */
	pr_info("unloaded\n");
}

module_init(bt6_init);
module_exit(bt6_exit);

MODULE_AUTHOR("bt6lowpan project");
MODULE_DESCRIPTION("IPv6 over Bluetooth Low Energy (RFC 7668, IPSP)");
MODULE_VERSION(BT6_VERSION);
MODULE_LICENSE("GPL");
MODULE_ALIAS("bt-proto-6lowpan");
