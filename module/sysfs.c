// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/bluetooth_6lowpan/: enable, psm, connect, disconnect, peers.
 * Every write applies whole or fails with an errno and changes nothing.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "bt6lowpan.h"

#define BT6_SYSFS_MAX_WRITE	64
#define BT6_SYSFS_MAX_FIELDS	3

static struct kobject *bt6_kobj;

static void bt6_bad_write(const char *file)
{
	pr_info_ratelimited("malformed write to %s\n", file);
}

/* Copies one line of input into @line without its trailing newline, if
 * any. Rejects NUL bytes, embedded newlines and anything too long.
 */
static int bt6_line(const char *buf, size_t count, char *line, size_t size)
{
	if (count && buf[count - 1] == '\n')
		count--;
	if (count >= size || memchr(buf, '\0', count) ||
	    memchr(buf, '\n', count))
		return -EINVAL;
	memcpy(line, buf, count);
	line[count] = '\0';
	return count;
}

/* Splits one line into at most @max fields separated by single blanks. */
static int bt6_split(const char *buf, size_t count, char *line, size_t size,
		     char **fields, int max)
{
	char *p;
	int n = 0;

	if (bt6_line(buf, count, line, size) <= 0)
		return -EINVAL;

	p = line;
	while (p) {
		char *field = strsep(&p, " ");

		if (!*field || n == max)
			return -EINVAL;
		fields[n++] = field;
	}
	return n;
}

/* A PSM: decimal, or hexadecimal after "0x"; never octal, no sign, no
 * blanks. @s is NUL terminated (sysfs guarantees it) at @len or after a
 * single trailing newline at @len.
 */
static int bt6_parse_psm(const char *s, size_t len, u16 *v)
{
	unsigned int base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		if (base == 16 ? !isxdigit(s[i]) : !isdigit(s[i]))
			return -EINVAL;
	}
	return kstrtou16(s, base, v);
}

static int bt6_parse_type(const char *s, u8 *type)
{
	if (!strcmp(s, "public"))
		*type = BDADDR_LE_PUBLIC;
	else if (!strcmp(s, "random"))
		*type = BDADDR_LE_RANDOM;
	else
		return -EINVAL;
	return 0;
}

static int bt6_parse_hci(const char *s, int *id)
{
	u16 v;

	if (strncmp(s, "hci", 3) || !isdigit(s[3]) ||
	    (s[3] == '0' && s[4]) || kstrtou16(s + 3, 10, &v) || v > 9999)
		return -EINVAL;
	*id = v;
	return 0;
}

/* "XX:XX:XX:XX:XX:XX [public|random] [hciN]"; @with_hci allows hciN. */
static int bt6_parse_peer(const char *buf, size_t count, bool with_hci,
			  bdaddr_t *addr, u8 *type, int *hdev_id)
{
	char line[BT6_SYSFS_MAX_WRITE];
	char *f[BT6_SYSFS_MAX_FIELDS];
	int n, i;

	n = bt6_split(buf, count, line, sizeof(line), f,
		      with_hci ? 3 : 2);
	if (n < 0)
		return n;
	if (bt6_parse_bdaddr(f[0], strlen(f[0]), addr))
		return -EINVAL;

	*type = BDADDR_LE_PUBLIC;
	*hdev_id = -1;
	for (i = 1; i < n; i++) {
		if (!strncmp(f[i], "hci", 3) && with_hci && *hdev_id < 0) {
			if (bt6_parse_hci(f[i], hdev_id))
				return -EINVAL;
		} else if (i == 1) {
			if (bt6_parse_type(f[i], type))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

static ssize_t enable_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", bt6_ctl_get_enable());
}

static ssize_t enable_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	char line[4];
	int err;

	if (bt6_line(buf, count, line, sizeof(line)) != 1 ||
	    (line[0] != '0' && line[0] != '1')) {
		bt6_bad_write("enable");
		return -EINVAL;
	}
	err = bt6_ctl_set_enable(line[0] == '1', false);
	return err ? err : count;
}

static ssize_t psm_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", bt6_ctl_get_psm());
}

static ssize_t psm_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	size_t len = count;
	u16 v;
	int err;

	if (len && buf[len - 1] == '\n')
		len--;
	err = bt6_parse_psm(buf, len, &v);
	if (!err && (v < BT6_PSM_MIN || v > BT6_PSM_MAX))
		err = -ERANGE;
	if (err) {
		bt6_bad_write("psm");
		return err;
	}
	err = bt6_ctl_set_psm(v);
	return err ? err : count;
}

static ssize_t connect_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	bdaddr_t addr;
	int err, id;
	u8 type;

	if (bt6_parse_peer(buf, count, true, &addr, &type, &id)) {
		bt6_bad_write("connect");
		return -EINVAL;
	}
	err = bt6_ctl_connect(&addr, type, id, false);
	return err ? err : count;
}

static ssize_t disconnect_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	bdaddr_t addr;
	int err, id;
	u8 type;

	if (bt6_parse_peer(buf, count, false, &addr, &type, &id)) {
		bt6_bad_write("disconnect");
		return -EINVAL;
	}
	err = bt6_ctl_disconnect(&addr, type);
	return err ? err : count;
}

static ssize_t recover_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	bdaddr_t addr;
	int err, id;
	u8 type;

	if (bt6_parse_peer(buf, count, false, &addr, &type, &id)) {
		bt6_bad_write("recover");
		return -EINVAL;
	}
	err = bt6_ctl_recover(&addr, type);
	return err ? err : count;
}

/* A decimal number of milliseconds; control.c checks the range. */
static int bt6_parse_ms(const char *buf, size_t count, unsigned int *v)
{
	size_t len = count, i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isdigit(buf[i]))
			return -EINVAL;
	}
	return kstrtouint(buf, 10, v);
}

/* A write of milliseconds to @attr, set by @set (control.c: range). */
static ssize_t bt6_ms_store(struct kobj_attribute *attr, const char *buf,
			    size_t count, int (*set)(unsigned int ms))
{
	unsigned int v;
	int err;

	err = bt6_parse_ms(buf, count, &v);
	if (!err)
		err = set(v);
	if (err) {
		bt6_bad_write(attr->attr.name);
		return err;
	}
	return count;
}

static ssize_t stall_timeout_ms_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", bt6_ctl_get_stall_timeout());
}

static ssize_t stall_timeout_ms_store(struct kobject *kobj,
				      struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	return bt6_ms_store(attr, buf, count, bt6_ctl_set_stall_timeout);
}

static ssize_t reconnect_max_ms_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", bt6_ctl_get_reconnect_max());
}

static ssize_t reconnect_max_ms_store(struct kobject *kobj,
				      struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	return bt6_ms_store(attr, buf, count, bt6_ctl_set_reconnect_max);
}

static ssize_t auto_reconnect_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", bt6_ctl_get_auto_reconnect());
}

static ssize_t auto_reconnect_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	char line[4];

	if (bt6_line(buf, count, line, sizeof(line)) != 1 ||
	    (line[0] != '0' && line[0] != '1')) {
		bt6_bad_write("auto_reconnect");
		return -EINVAL;
	}
	bt6_ctl_set_auto_reconnect(line[0] == '1');
	return count;
}

struct bt6_show_ctx {
	char *buf;
	int len;
	unsigned int more;	/* peers that did not fit */
};

/* Room kept at the end of the page for the "more" line. */
#define BT6_PEERS_MORE_ROOM	64

static int bt6_show_peer(const struct bt6_peer_info *info, void *arg)
{
	struct bt6_show_ctx *ctx = arg;
	const u8 *b = info->addr.b;
	char line[96];
	int n;

	n = scnprintf(line, sizeof(line),
		      "%02X:%02X:%02X:%02X:%02X:%02X %s hci%d %s %s",
		      b[5], b[4], b[3], b[2], b[1], b[0],
		      info->addr_type == BDADDR_LE_PUBLIC ? "public" : "random",
		      info->hdev_id, info->ifname, bt6_state_name(info->state));
	if (info->last_err)
		n += scnprintf(line + n, sizeof(line) - n, " error=%d",
			       info->last_err);
	n += scnprintf(line + n, sizeof(line) - n, "\n");

	/* A page holds about 90 peers: say how many more there are rather
	 * than cut the list silently.
	 */
	if (ctx->more ||
	    ctx->len + n > PAGE_SIZE - BT6_PEERS_MORE_ROOM) {
		ctx->more++;
		return 0;
	}
	ctx->len += sysfs_emit_at(ctx->buf, ctx->len, "%s", line);
	return 0;
}

static ssize_t peers_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct bt6_show_ctx ctx = { .buf = buf };

	bt6_ctl_for_each_peer(bt6_show_peer, &ctx);
	if (ctx.more)
		ctx.len += sysfs_emit_at(buf, ctx.len,
					 "... %u more (bt6ctl peers lists all)\n",
					 ctx.more);
	return ctx.len;
}

static struct kobj_attribute bt6_attr_enable = __ATTR_RW(enable);
static struct kobj_attribute bt6_attr_psm = __ATTR_RW(psm);
static struct kobj_attribute bt6_attr_connect = __ATTR_WO(connect);
static struct kobj_attribute bt6_attr_disconnect = __ATTR_WO(disconnect);
static struct kobj_attribute bt6_attr_peers = __ATTR_RO(peers);
static struct kobj_attribute bt6_attr_recover = __ATTR_WO(recover);
static struct kobj_attribute bt6_attr_stall = __ATTR_RW(stall_timeout_ms);
static struct kobj_attribute bt6_attr_remax = __ATTR_RW(reconnect_max_ms);
static struct kobj_attribute bt6_attr_auto = __ATTR_RW(auto_reconnect);

static struct attribute *bt6_attrs[] = {
	&bt6_attr_enable.attr,
	&bt6_attr_psm.attr,
	&bt6_attr_connect.attr,
	&bt6_attr_disconnect.attr,
	&bt6_attr_peers.attr,
	&bt6_attr_recover.attr,
	&bt6_attr_stall.attr,
	&bt6_attr_remax.attr,
	&bt6_attr_auto.attr,
	NULL,
};

static const struct attribute_group bt6_attr_group = {
	.attrs = bt6_attrs,
};

int bt6_sysfs_init(void)
{
	int err;

	bt6_kobj = kobject_create_and_add(BT6_NAME, kernel_kobj);
	if (!bt6_kobj)
		return -ENOMEM;
	err = sysfs_create_group(bt6_kobj, &bt6_attr_group);
	if (err) {
		kobject_put(bt6_kobj);
		bt6_kobj = NULL;
	}
	return err;
}

void bt6_sysfs_exit(void)
{
	if (!bt6_kobj)
		return;
	sysfs_remove_group(bt6_kobj, &bt6_attr_group);
	kobject_put(bt6_kobj);
	bt6_kobj = NULL;
}
