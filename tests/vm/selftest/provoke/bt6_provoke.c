// SPDX-License-Identifier: GPL-2.0
/*
 * bt6_provoke: the bench's selftest module (tests/vm/selftest/, never
 * shipped). Writing an action to /sys/kernel/debug/bt6_provoke (a debugfs
 * file: writers do not serialise on the module's parameter lock) makes the
 * kernel do, in the writer's context, what the bench must see:
 *   warn     WARN() once (a "WARNING:" splat, taint W)
 *   hang     sleep uninterruptibly for hang_secs (a hung task)
 *   lockup   spin with preemption off for lockup_secs (a soft lockup)
 *   rcustall spin for lockup_secs inside an RCU read-side critical section,
 *            letting other tasks run (an RCU stall: a grace period is
 *            requested first, and it cannot end while this reader lasts;
 *            on one CPU a spin with preemption off would keep the grace
 *            period from starting at all)
 *   kfence   read a freed KFENCE object (a KFENCE report), where the kernel
 *            has KFENCE and samples allocations
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kfence.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static unsigned int hang_secs = 45;
module_param(hang_secs, uint, 0644);
MODULE_PARM_DESC(hang_secs, "seconds the hang action sleeps in D state");

static unsigned int lockup_secs = 15;
module_param(lockup_secs, uint, 0644);
MODULE_PARM_DESC(lockup_secs, "seconds the lockup action spins with preemption off");

static void provoke_lockup(void)
{
	unsigned long end = jiffies + lockup_secs * HZ;

	preempt_disable();
	while (time_before(jiffies, end))
		mdelay(10);
	preempt_enable();
}

static struct rcu_head provoke_rcu;

static void provoke_rcu_done(struct rcu_head *head)
{
	pr_info("bt6_provoke: the grace period ended\n");
}

/* A reader that began before the grace period it requests, and that keeps
 * being preempted (marked for rescheduling, then cond_resched(): an
 * involuntary switch, legal in a preemptible RCU reader) so that the grace
 * period kthread runs, starts the grace period and waits for it.
 */
static int provoke_rcu_stall(void)
{
	unsigned long end = jiffies + lockup_secs * HZ;

	if (!IS_ENABLED(CONFIG_PREEMPT_RCU))
		return -EOPNOTSUPP;
	rcu_read_lock();
	call_rcu(&provoke_rcu, provoke_rcu_done);
	while (time_before(jiffies, end)) {
		mdelay(10);
		set_tsk_need_resched(current);
		set_preempt_need_resched();
		cond_resched();
	}
	rcu_read_unlock();
	return 0;
}

static int provoke_kfence(void)
{
	unsigned long end = jiffies + 20 * HZ;
	char *p;

	if (!IS_ENABLED(CONFIG_KFENCE))
		return -EOPNOTSUPP;
	/* KFENCE takes one allocation per sample interval: try until one is
	 * ours, then touch it after the free.
	 */
	while (time_before(jiffies, end)) {
		p = kmalloc(64, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		if (is_kfence_address(p)) {
			kfree(p);
			pr_info("bt6_provoke: reading a freed KFENCE object\n");
			(void)READ_ONCE(p[0]);
			return 0;
		}
		kfree(p);
		usleep_range(1000, 2000);
	}
	return -ETIMEDOUT;
}

static int provoke(const char *val)
{
	if (sysfs_streq(val, "warn")) {
		WARN(1, "bt6_provoke: warning on request\n");
		return 0;
	}
	if (sysfs_streq(val, "hang")) {
		pr_info("bt6_provoke: %s sleeps %u s in D state\n", current->comm, hang_secs);
		schedule_timeout_uninterruptible(hang_secs * HZ);
		return 0;
	}
	if (sysfs_streq(val, "lockup")) {
		pr_info("bt6_provoke: spinning %u s with preemption off\n", lockup_secs);
		provoke_lockup();
		return 0;
	}
	if (sysfs_streq(val, "rcustall")) {
		pr_info("bt6_provoke: RCU reader for %u s\n", lockup_secs);
		return provoke_rcu_stall();
	}
	if (sysfs_streq(val, "kfence"))
		return provoke_kfence();
	return -EINVAL;
}

static ssize_t provoke_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[16];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	err = provoke(buf);
	return err ? err : len;
}

static const struct file_operations provoke_fops = {
	.owner = THIS_MODULE,
	.write = provoke_write,
};

static struct dentry *provoke_file;

static int __init provoke_init(void)
{
	provoke_file = debugfs_create_file("bt6_provoke", 0200, NULL, NULL, &provoke_fops);
	return IS_ERR(provoke_file) ? PTR_ERR(provoke_file) : 0;
}

static void __exit provoke_exit(void)
{
	debugfs_remove(provoke_file);
	rcu_barrier();
}

module_init(provoke_init);
module_exit(provoke_exit);
MODULE_DESCRIPTION("bt6lowpan bench selftest: provokes what the bench must detect");
MODULE_LICENSE("GPL");
