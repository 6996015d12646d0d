// SPDX-License-Identifier: GPL-2.0
/*
 * Compatibility with the in-tree module's debugfs interface:
 *   /sys/kernel/debug/bluetooth/6lowpan_enable   "1" listen, "0" stop
 *                                                listening and disconnect all
 *   /sys/kernel/debug/bluetooth/6lowpan_control  "connect ADDR T" (T: 1
 *       public, 2 random), "disconnect ADDR T" (T: 0 public, 1 random: one
 *       less than connect, as upstream since 2015); read: "addr (type N)".
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "bt6lowpan.h"

#define BT6_DEBUGFS_MAX_WRITE	32

static struct dentry *bt6_dbg_enable;
static struct dentry *bt6_dbg_control;

/* One line of at most BT6_DEBUGFS_MAX_WRITE bytes, without its trailing
 * newline; no NUL bytes and no other newline.
 */
static ssize_t bt6_dbg_read_input(const char __user *ubuf, size_t count,
				  char *buf, size_t size)
{
	if (!count || count > size - 1)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (buf[count - 1] == '\n')
		buf[--count] = '\0';
	if (strlen(buf) != count || strchr(buf, '\n'))
		return -EINVAL;
	return count;
}

/* As upstream's u64 attribute: any number enables, 0 disables. */
static ssize_t bt6_dbg_enable_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[BT6_DEBUGFS_MAX_WRITE + 1];
	ssize_t n;
	u64 v;
	int err;

	n = bt6_dbg_read_input(ubuf, count, buf, sizeof(buf));
	if (n < 0)
		return n;
	err = kstrtoull(buf, 0, &v);
	if (err) {
		pr_info_ratelimited("malformed write to 6lowpan_enable\n");
		return err == -ERANGE ? -ERANGE : -EINVAL;
	}
	err = bt6_ctl_set_enable(v != 0, true);
	return err ? err : count;
}

static ssize_t bt6_dbg_enable_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[3];

	buf[0] = bt6_ctl_get_enable() ? '1' : '0';
	buf[1] = '\n';
	buf[2] = '\0';
	return simple_read_from_buffer(ubuf, count, ppos, buf, 2);
}

static const struct file_operations bt6_dbg_enable_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= bt6_dbg_enable_read,
	.write	= bt6_dbg_enable_write,
	.llseek	= default_llseek,
};

/* "ADDR T" with all seven fields. */
static int bt6_dbg_parse(const char *s, bool disconnect, bdaddr_t *addr,
			 u8 *type)
{
	u8 t;

	if (strlen(s) < 19 || s[17] != ' ' || bt6_parse_bdaddr(s, 17, addr))
		return -EINVAL;
	if (kstrtou8(s + 18, 10, &t))
		return -EINVAL;
	if (disconnect)
		t++;
	if (t != BDADDR_LE_PUBLIC && t != BDADDR_LE_RANDOM)
		return -EINVAL;
	*type = t;
	return 0;
}

static ssize_t bt6_dbg_control_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	char buf[BT6_DEBUGFS_MAX_WRITE + 1];
	bdaddr_t addr;
	ssize_t n;
	int err;
	u8 type;

	n = bt6_dbg_read_input(ubuf, count, buf, sizeof(buf));
	if (n < 0)
		return n;

	if (!strncmp(buf, "connect ", 8)) {
		err = bt6_dbg_parse(buf + 8, false, &addr, &type);
		if (!err)
			err = bt6_ctl_connect(&addr, type, -1, false);
	} else if (!strncmp(buf, "disconnect ", 11)) {
		err = bt6_dbg_parse(buf + 11, true, &addr, &type);
		if (!err)
			err = bt6_ctl_disconnect(&addr, type);
	} else {
		err = -EINVAL;
	}
	if (err == -EINVAL)
		pr_info_ratelimited("malformed write to 6lowpan_control\n");
	return err ? err : count;
}

static int bt6_dbg_show_peer(const struct bt6_peer_info *info, void *arg)
{
	struct seq_file *f = arg;

	if (info->record)
		return 0;
	seq_printf(f, "%pMR (type %u)\n", &info->addr, info->addr_type);
	return 0;
}

static int bt6_dbg_control_show(struct seq_file *f, void *unused)
{
	bt6_ctl_for_each_peer(bt6_dbg_show_peer, f);
	return 0;
}

static int bt6_dbg_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, bt6_dbg_control_show, NULL);
}

static const struct file_operations bt6_dbg_control_fops = {
	.owner		= THIS_MODULE,
	.open		= bt6_dbg_control_open,
	.read		= seq_read,
	.write		= bt6_dbg_control_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

void bt6_debugfs_init(void)
{
	if (IS_ERR_OR_NULL(bt_debugfs))
		return;
	bt6_dbg_enable = debugfs_create_file("6lowpan_enable", 0644,
					     bt_debugfs, NULL,
					     &bt6_dbg_enable_fops);
	bt6_dbg_control = debugfs_create_file("6lowpan_control", 0644,
					      bt_debugfs, NULL,
					      &bt6_dbg_control_fops);
}

void bt6_debugfs_exit(void)
{
	debugfs_remove(bt6_dbg_control);
	debugfs_remove(bt6_dbg_enable);
	bt6_dbg_control = NULL;
	bt6_dbg_enable = NULL;
}
