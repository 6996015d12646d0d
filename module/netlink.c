// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "bt6lowpan" (netlink/specs/bt6lowpan.yaml,
 * uapi: uapi/bt6lowpan.h). Every operation calls the same control
 * functions as sysfs and debugfs (control.c); this file only parses,
 * validates and answers.
 *
 * Kernel differences: split ops (6.2) and per-op pre/post hooks changed
 * their types after 6.1, so the family uses the classic ops array with a
 * policy per operation, which both 6.1 and 6.12 validate strictly (every
 * command is at or above resv_start_op: reserved header bytes must be 0
 * and operations without a policy accept no attribute at all).
 *
 * Privilege: the spec's admin-perm is checked by each changing handler
 * (bt6_nl_admin(), CAP_NET_ADMIN in the initial user namespace, exactly
 * the test GENL_ADMIN_PERM makes) rather than by the flag, so that a
 * refusal carries an extack message like every other error.
 *
 * Locking: the family is parallel_ops; the control functions serialise
 * on bt6_ctl themselves, the dump runs under RCU. Nothing here is called
 * with bt6_ctl held, so genl's locks and bt6_ctl never nest.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "bt6lowpan.h"
#include "netlink.h"

static struct genl_family bt6_nl_family;
static bool bt6_nl_registered;		/* READ_ONCE: notify helpers */

enum {
	BT6_NL_MCGRP_EVENTS,
};

static const struct nla_policy bt6_nl_config_policy[BT6LOWPAN_A_CONFIG_MAX + 1] = {
	[BT6LOWPAN_A_CONFIG_ENABLE] = NLA_POLICY_MAX(NLA_U8, 1),
	[BT6LOWPAN_A_CONFIG_PSM] = NLA_POLICY_RANGE(NLA_U16, BT6LOWPAN_PSM_MIN,
						    BT6LOWPAN_PSM_MAX),
	[BT6LOWPAN_A_CONFIG_DISCONNECT_ALL] = { .type = NLA_FLAG },
	/* Ranges: control.c, the same check and errno as sysfs. */
	[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS] = { .type = NLA_U32 },
	[BT6LOWPAN_A_CONFIG_AUTO_RECONNECT] = NLA_POLICY_MAX(NLA_U8, 1),
	[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS] = { .type = NLA_U32 },
};

/* connect; disconnect and recover use the first two entries only. The
 * entries between ADAPTER and PERSISTENT are left NLA_UNSPEC, which
 * strict validation refuses in a request.
 */
static const struct nla_policy bt6_nl_peer_policy[BT6LOWPAN_A_PEER_PERSISTENT + 1] = {
	[BT6LOWPAN_A_PEER_ADDR] = NLA_POLICY_EXACT_LEN(BT6LOWPAN_ADDR_LEN),
	[BT6LOWPAN_A_PEER_ADDR_TYPE] =
		NLA_POLICY_RANGE(NLA_U8, BT6LOWPAN_ADDR_TYPE_PUBLIC,
				 BT6LOWPAN_ADDR_TYPE_RANDOM),
	[BT6LOWPAN_A_PEER_ADAPTER] = NLA_POLICY_MAX(NLA_U32,
						    BT6LOWPAN_ADAPTER_MAX),
	[BT6LOWPAN_A_PEER_PERSISTENT] = { .type = NLA_FLAG },
};

/* The policy lets an attribute through as often as it is given (the last
 * one wins): refuse repeats, so that a request means one thing.
 */
static int bt6_nl_no_repeats(struct genl_info *info)
{
	const struct nlattr *nla;
	unsigned long seen = 0;
	int rem, type;

	BUILD_BUG_ON(sizeof(seen) * BITS_PER_BYTE <= BT6LOWPAN_A_CONFIG_MAX);
	BUILD_BUG_ON(sizeof(seen) * BITS_PER_BYTE <= BT6LOWPAN_A_PEER_MAX);

	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		type = nla_type(nla);
		if (type <= 0 || type >= BITS_PER_LONG)
			continue;	/* the policy has refused these */
		if (seen & BIT(type)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nla,
					    "attribute given more than once");
			return -EINVAL;
		}
		seen |= BIT(type);
	}
	return 0;
}

static u8 bt6_nl_state(enum bt6_peer_state state)
{
	switch (state) {
	case BT6_PEER_CONNECTING:
		return BT6LOWPAN_PEER_STATE_CONNECTING;
	case BT6_PEER_CONNECTED:
		return BT6LOWPAN_PEER_STATE_CONNECTED;
	case BT6_PEER_STALLED:
		return BT6LOWPAN_PEER_STATE_STALLED;
	case BT6_PEER_RECONNECTING:
		return BT6LOWPAN_PEER_STATE_RECONNECTING;
	case BT6_PEER_CLOSING:
		return BT6LOWPAN_PEER_STATE_DISCONNECTING;
	case BT6_PEER_CLOSED:
		return BT6LOWPAN_PEER_STATE_CLOSED;
	case BT6_PEER_WAITING:
		return BT6LOWPAN_PEER_STATE_WAITING;
	case BT6_PEER_FAILED:
		break;
	}
	return BT6LOWPAN_PEER_STATE_FAILED;
}

/* The ifindex of the peer's netdev in the initial namespace, or 0 (none,
 * or moved to another namespace). The name alone is not enough: another
 * device may carry it there, so its parent must be the peer's adapter.
 */
static u32 bt6_nl_ifindex(const struct bt6_peer_info *info)
{
	struct net_device *dev;
	char hci[16];
	u32 ifindex = 0;

	if (!info->ifname[0] || !strcmp(info->ifname, "-"))
		return 0;
	snprintf(hci, sizeof(hci), "hci%d", info->hdev_id);

	rcu_read_lock();
	dev = dev_get_by_name_rcu(&init_net, info->ifname);
	if (dev && dev->type == ARPHRD_6LOWPAN && dev->dev.parent &&
	    !strcmp(dev_name(dev->dev.parent), hci))
		ifindex = dev->ifindex;
	rcu_read_unlock();
	return ifindex;
}

static int bt6_nl_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, BT6LOWPAN_A_PEER_PAD);
}

static int bt6_nl_fill_counters(struct sk_buff *skb,
				const struct bt6_peer_info *info)
{
	if (info->up &&
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_CONNECTED_MS, info->up_ms))
		return -EMSGSIZE;
	if (bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_TX_PACKETS,
			   info->tx_packets) ||
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_TX_BYTES, info->tx_bytes) ||
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_RX_PACKETS,
			   info->rx_packets) ||
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_RX_BYTES, info->rx_bytes) ||
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_DROPS, info->drops) ||
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_STALLS, info->stalls) ||
	    bt6_nl_put_u64(skb, BT6LOWPAN_A_PEER_RECONNECTS, info->reconnects))
		return -EMSGSIZE;
	return 0;
}

static int bt6_nl_fill_peer(struct sk_buff *skb,
			    const struct bt6_peer_info *info, u8 event)
{
	u32 ifindex;

	if (event && nla_put_u8(skb, BT6LOWPAN_A_PEER_EVENT, event))
		return -EMSGSIZE;
	if (nla_put(skb, BT6LOWPAN_A_PEER_ADDR, BT6LOWPAN_ADDR_LEN,
		    info->addr.b) ||
	    nla_put_u8(skb, BT6LOWPAN_A_PEER_ADDR_TYPE, info->addr_type) ||
	    nla_put_u32(skb, BT6LOWPAN_A_PEER_ADAPTER, info->hdev_id) ||
	    nla_put_u8(skb, BT6LOWPAN_A_PEER_STATE, bt6_nl_state(info->state)))
		return -EMSGSIZE;
	if (info->ifname[0] && strcmp(info->ifname, "-") &&
	    nla_put_string(skb, BT6LOWPAN_A_PEER_IFNAME, info->ifname))
		return -EMSGSIZE;
	ifindex = bt6_nl_ifindex(info);
	if (ifindex && nla_put_u32(skb, BT6LOWPAN_A_PEER_IFINDEX, ifindex))
		return -EMSGSIZE;
	if (info->last_err &&
	    nla_put_u32(skb, BT6LOWPAN_A_PEER_LAST_ERROR,
			(u32)abs(info->last_err)))
		return -EMSGSIZE;
	if (info->persistent && nla_put_flag(skb, BT6LOWPAN_A_PEER_PERSISTENT))
		return -EMSGSIZE;
	return bt6_nl_fill_counters(skb, info);
}

static size_t bt6_nl_peer_size(void)
{
	return nla_total_size(sizeof(u8)) +		/* event */
	       nla_total_size(BT6LOWPAN_ADDR_LEN) +	/* addr */
	       nla_total_size(sizeof(u8)) +		/* addr type */
	       nla_total_size(sizeof(u32)) +		/* adapter */
	       nla_total_size(sizeof(u8)) +		/* state */
	       nla_total_size(IFNAMSIZ) +		/* ifname */
	       nla_total_size(sizeof(u32)) +		/* ifindex */
	       nla_total_size(sizeof(u32)) +		/* last error */
	       nla_total_size(0) +			/* persistent */
	       8 * nla_total_size_64bit(sizeof(u64));	/* up, counters */
}

static int bt6_nl_fill_config(struct sk_buff *skb)
{
	if (nla_put_u8(skb, BT6LOWPAN_A_CONFIG_ENABLE, bt6_ctl_get_enable()) ||
	    nla_put_u16(skb, BT6LOWPAN_A_CONFIG_PSM, bt6_ctl_get_psm()) ||
	    nla_put_u32(skb, BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS,
			bt6_ctl_get_stall_timeout()) ||
	    nla_put_u8(skb, BT6LOWPAN_A_CONFIG_AUTO_RECONNECT,
		       bt6_ctl_get_auto_reconnect()) ||
	    nla_put_u32(skb, BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS,
			bt6_ctl_get_reconnect_max()))
		return -EMSGSIZE;
	return 0;
}

static size_t bt6_nl_config_size(void)
{
	return 2 * nla_total_size(sizeof(u8)) + nla_total_size(sizeof(u16)) +
	       2 * nla_total_size(sizeof(u32));
}

/* Sends one message of @cmd to the events group, if anyone listens. */
static void bt6_nl_event(u8 cmd, const struct bt6_peer_info *info, u8 event)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!READ_ONCE(bt6_nl_registered) ||
	    !genl_has_listeners(&bt6_nl_family, &init_net,
				BT6_NL_MCGRP_EVENTS))
		return;

	skb = genlmsg_new(info ? bt6_nl_peer_size() : bt6_nl_config_size(),
			  GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &bt6_nl_family, 0, cmd);
	if (!hdr)
		goto fail;
	err = info ? bt6_nl_fill_peer(skb, info, event) :
		     bt6_nl_fill_config(skb);
	if (err)
		goto fail;
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&bt6_nl_family, skb, 0, BT6_NL_MCGRP_EVENTS,
			  GFP_ATOMIC);
	return;
fail:
	nlmsg_free(skb);
}

void bt6_nl_notify_peer_info(const struct bt6_peer_info *info,
			     enum bt6lowpan_event event)
{
	bt6_nl_event(BT6LOWPAN_CMD_PEER_NTF, info, event);
}

void bt6_nl_notify_peer(const struct bt6_peer *peer,
			enum bt6lowpan_event event)
{
	struct bt6_peer_info info;

	if (!READ_ONCE(bt6_nl_registered) ||
	    !genl_has_listeners(&bt6_nl_family, &init_net,
				BT6_NL_MCGRP_EVENTS))
		return;

	rcu_read_lock();
	bt6_ctl_peer_info(peer, &info);
	rcu_read_unlock();
	/* As the peer dump shows a lost peer while it is reconnected. */
	if (event == BT6LOWPAN_EVENT_RECONNECTING)
		info.state = BT6_PEER_RECONNECTING;
	bt6_nl_event(BT6LOWPAN_CMD_PEER_NTF, &info, event);
}

void bt6_nl_notify_lost(const struct bt6_peer *peer, enum bt6_peer_state was,
			bool reconnect)
{
	/* A disconnect request (closing) may also end a connect attempt. */
	if (was == BT6_PEER_CONNECTED || was == BT6_PEER_STALLED ||
	    was == BT6_PEER_CLOSING)
		bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_DOWN);
	if (!reconnect)
		bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_REMOVED);
	else if (was != BT6_PEER_CONNECTING)	/* not a failed attempt */
		bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_RECONNECTING);
}

void bt6_nl_notify_config(void)
{
	bt6_nl_event(BT6LOWPAN_CMD_CONFIG_NTF, NULL, 0);
}

static int bt6_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(bt6_nl_config_size(), GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "out of memory");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &bt6_nl_family, 0,
				BT6LOWPAN_CMD_CONFIG_GET);
	if (!hdr || bt6_nl_fill_config(msg)) {
		nlmsg_free(msg);
		GENL_SET_ERR_MSG(info, "reply does not fit");
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Changes need CAP_NET_ADMIN in the initial user namespace (the test of
 * GENL_ADMIN_PERM), said with an extack message.
 */
static int bt6_nl_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	GENL_SET_ERR_MSG(info, "changes need CAP_NET_ADMIN");
	return -EPERM;
}

/* The recovery tunables' ranges, checked before anything is applied. */
static int bt6_nl_check_tunables(struct genl_info *info)
{
	struct nlattr *a = info->attrs[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS];
	int err;

	if (a) {
		err = bt6_ctl_check_stall_timeout(nla_get_u32(a));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "stall timeout out of range 0-600000 ms");
			return err;
		}
	}
	a = info->attrs[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS];
	if (a) {
		err = bt6_ctl_check_reconnect_max(nla_get_u32(a));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "reconnect maximum out of range 1000-3600000 ms");
			return err;
		}
	}
	return 0;
}

/* After the checks, these cannot fail. */
static void bt6_nl_set_tunables(struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (a[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS])
		bt6_ctl_set_stall_timeout(nla_get_u32(a[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS]));
	if (a[BT6LOWPAN_A_CONFIG_AUTO_RECONNECT])
		bt6_ctl_set_auto_reconnect(nla_get_u8(a[BT6LOWPAN_A_CONFIG_AUTO_RECONNECT]));
	if (a[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS])
		bt6_ctl_set_reconnect_max(nla_get_u32(a[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS]));
}

static void bt6_nl_listen_error(struct genl_info *info, int err,
				const struct nlattr *attr)
{
	switch (err) {
	case -EADDRINUSE:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the PSM is in use by another listener");
		break;
	case -ENOMEM:
		GENL_SET_ERR_MSG(info, "out of memory");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "cannot listen on the PSM (see the kernel log)");
		break;
	}
}

static int bt6_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a_enable, *a_psm, *a_all;
	bool enable, all;
	u16 psm, old_psm;
	int err;

	err = bt6_nl_admin(skb, info);
	if (err)
		return err;
	err = bt6_nl_no_repeats(info);
	if (err)
		return err;

	a_enable = info->attrs[BT6LOWPAN_A_CONFIG_ENABLE];
	a_psm = info->attrs[BT6LOWPAN_A_CONFIG_PSM];
	a_all = info->attrs[BT6LOWPAN_A_CONFIG_DISCONNECT_ALL];
	if (!a_enable && !a_psm &&
	    !info->attrs[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS] &&
	    !info->attrs[BT6LOWPAN_A_CONFIG_AUTO_RECONNECT] &&
	    !info->attrs[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS]) {
		GENL_SET_ERR_MSG(info, "nothing to set");
		return -EINVAL;
	}
	enable = a_enable && nla_get_u8(a_enable);
	all = !!a_all;
	if (all && (!a_enable || enable)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a_all,
				    "disconnect-all goes with enable 0");
		return -EINVAL;
	}
	psm = a_psm ? nla_get_u16(a_psm) : 0;
	err = bt6_nl_check_tunables(info);
	if (err)
		return err;

	/* Applied whole or not at all: with the listener off, setting the
	 * PSM cannot fail; with it on, the PSM goes first and a failure to
	 * listen puts the old one back.
	 */
	old_psm = bt6_ctl_get_psm();
	if (a_enable && !enable) {
		err = bt6_ctl_set_enable(false, all);
		if (err) {
			bt6_nl_listen_error(info, err, a_enable);
			return err;
		}
		if (a_psm) {
			err = bt6_ctl_set_psm(psm);
			if (err) {
				bt6_nl_listen_error(info, err, a_psm);
				return err;
			}
		}
	} else {
		if (a_psm) {
			err = bt6_ctl_set_psm(psm);
			if (err) {
				bt6_nl_listen_error(info, err, a_psm);
				return err;
			}
		}
		if (a_enable) {
			err = bt6_ctl_set_enable(true, false);
			if (err) {
				if (a_psm)
					bt6_ctl_set_psm(old_psm);
				bt6_nl_listen_error(info, err, a_enable);
				return err;
			}
		}
	}

	bt6_nl_set_tunables(info);
	return 0;
}

/* ADDR (required) and ADDR_TYPE (public by default) of a peer request,
 * which needs CAP_NET_ADMIN.
 */
static int bt6_nl_peer_addr(struct sk_buff *skb, struct genl_info *info,
			    bdaddr_t *addr, u8 *type)
{
	struct nlattr *a;
	int err;

	err = bt6_nl_admin(skb, info);
	if (err)
		return err;
	err = bt6_nl_no_repeats(info);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, BT6LOWPAN_A_PEER_ADDR)) {
		GENL_SET_ERR_MSG(info, "the peer address is missing");
		return -EINVAL;
	}
	memcpy(addr->b, nla_data(info->attrs[BT6LOWPAN_A_PEER_ADDR]),
	       BT6LOWPAN_ADDR_LEN);
	a = info->attrs[BT6LOWPAN_A_PEER_ADDR_TYPE];
	*type = a ? nla_get_u8(a) : BT6LOWPAN_ADDR_TYPE_PUBLIC;
	return 0;
}

static int bt6_nl_connect(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a_adapter = info->attrs[BT6LOWPAN_A_PEER_ADAPTER];
	int hdev_id = -1;
	bdaddr_t addr;
	u8 type;
	int err;

	err = bt6_nl_peer_addr(skb, info, &addr, &type);
	if (err)
		return err;
	if (a_adapter)
		hdev_id = nla_get_u32(a_adapter);

	err = bt6_ctl_connect(&addr, type, hdev_id,
			      !!info->attrs[BT6LOWPAN_A_PEER_PERSISTENT]);
	switch (err) {
	case 0:
		break;
	case -EINVAL:
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[BT6LOWPAN_A_PEER_ADDR],
				    "not a peer address (any, none, or the adapter's own)");
		break;
	case -ENODEV:
		if (a_adapter)
			NL_SET_ERR_MSG_ATTR(info->extack, a_adapter,
					    "no such adapter, or it is not up with LE enabled");
		else
			GENL_SET_ERR_MSG(info,
					 "no adapter up with LE enabled routes to that address");
		break;
	case -EALREADY:
		if (info->attrs[BT6LOWPAN_A_PEER_PERSISTENT])
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[BT6LOWPAN_A_PEER_ADDR],
					    "that peer is persistent on that adapter already");
		else
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[BT6LOWPAN_A_PEER_ADDR],
					    "that peer already exists on that adapter");
		break;
	case -ENOSPC:
		GENL_SET_ERR_MSG(info, "too many persistent peers (64)");
		break;
	case -ENOMEM:
		GENL_SET_ERR_MSG(info, "out of memory");
		break;
	default:
		GENL_SET_ERR_MSG(info, "connect failed (see the kernel log)");
		break;
	}
	return err;
}

/* disconnect and recover: @op on the peer's address. */
static int bt6_nl_peer_op(struct sk_buff *skb, struct genl_info *info,
			  int (*op)(const bdaddr_t *addr, u8 type))
{
	bdaddr_t addr;
	u8 type;
	int err;

	err = bt6_nl_peer_addr(skb, info, &addr, &type);
	if (err)
		return err;
	err = op(&addr, type);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[BT6LOWPAN_A_PEER_ADDR],
				    "no peer with that address and type");
	else if (err)
		GENL_SET_ERR_MSG(info, "failed (see the kernel log)");
	return err;
}

static int bt6_nl_disconnect(struct sk_buff *skb, struct genl_info *info)
{
	return bt6_nl_peer_op(skb, info, bt6_ctl_disconnect);
}

static int bt6_nl_recover(struct sk_buff *skb, struct genl_info *info)
{
	return bt6_nl_peer_op(skb, info, bt6_ctl_recover);
}

struct bt6_nl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	long idx;
};

/* Under RCU (bt6_ctl_for_each_peer): must not sleep. */
static int bt6_nl_dump_peer(const struct bt6_peer_info *info, void *arg)
{
	struct bt6_nl_dump *d = arg;
	void *hdr;

	if (d->idx < d->cb->args[0]) {
		d->idx++;
		return 0;
	}
	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &bt6_nl_family, NLM_F_MULTI,
			  BT6LOWPAN_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (bt6_nl_fill_peer(d->skb, info, 0)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	d->idx++;
	d->cb->args[0] = d->idx;
	return 0;
}

/* One message per peer. The list may change between two parts of a long
 * dump; a peer may then be missed or seen twice, as with any dump.
 */
static int bt6_nl_peer_get(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct bt6_nl_dump d = { .skb = skb, .cb = cb };

	bt6_ctl_for_each_peer(bt6_nl_dump_peer, &d);
	return skb->len;
}

static const struct genl_ops bt6_nl_ops[] = {
	{
		.cmd = BT6LOWPAN_CMD_CONFIG_GET,
		.doit = bt6_nl_get_config,
	},
	{
		.cmd = BT6LOWPAN_CMD_CONFIG_SET,
		.doit = bt6_nl_set_config,
		.policy = bt6_nl_config_policy,
		.maxattr = BT6LOWPAN_A_CONFIG_MAX,
	},
	{
		.cmd = BT6LOWPAN_CMD_PEER_CONNECT,
		.doit = bt6_nl_connect,
		.policy = bt6_nl_peer_policy,
		.maxattr = BT6LOWPAN_A_PEER_PERSISTENT,
	},
	{
		.cmd = BT6LOWPAN_CMD_PEER_DISCONNECT,
		.doit = bt6_nl_disconnect,
		.policy = bt6_nl_peer_policy,
		.maxattr = BT6LOWPAN_A_PEER_ADDR_TYPE,
	},
	{
		.cmd = BT6LOWPAN_CMD_PEER_RECOVER,
		.doit = bt6_nl_recover,
		.policy = bt6_nl_peer_policy,
		.maxattr = BT6LOWPAN_A_PEER_ADDR_TYPE,
	},
	{
		.cmd = BT6LOWPAN_CMD_PEER_GET,
		.dumpit = bt6_nl_peer_get,
	},
};

static const struct genl_multicast_group bt6_nl_mcgrps[] = {
	[BT6_NL_MCGRP_EVENTS] = { .name = BT6LOWPAN_MCGRP_EVENTS },
};

static struct genl_family bt6_nl_family __ro_after_init = {
	.name = BT6LOWPAN_FAMILY_NAME,
	.version = BT6LOWPAN_FAMILY_VERSION,
	.module = THIS_MODULE,
	.parallel_ops = true,
	.ops = bt6_nl_ops,
	.n_ops = ARRAY_SIZE(bt6_nl_ops),
#if BT6_HAVE_GENL_RESV_START_OP
	.resv_start_op = BT6LOWPAN_CMD_CONFIG_GET,
#endif
	.mcgrps = bt6_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(bt6_nl_mcgrps),
};

int __init bt6_nl_init(void)
{
	int err;

	/* The uapi values are the kernel's, passed through as they are. */
	BUILD_BUG_ON(BT6LOWPAN_ADDR_TYPE_PUBLIC != BDADDR_LE_PUBLIC);
	BUILD_BUG_ON(BT6LOWPAN_ADDR_TYPE_RANDOM != BDADDR_LE_RANDOM);
	BUILD_BUG_ON(BT6LOWPAN_PSM_MIN != BT6_PSM_MIN);
	BUILD_BUG_ON(BT6LOWPAN_PSM_MAX != BT6_PSM_MAX);
	BUILD_BUG_ON(BT6LOWPAN_STALL_TIMEOUT_MAX_MS != BT6_STALL_MAX_MS);
	BUILD_BUG_ON(BT6LOWPAN_RECONNECT_MIN_MS != BT6_RECONNECT_MIN_MS);
	BUILD_BUG_ON(BT6LOWPAN_RECONNECT_MAX_MS != BT6_RECONNECT_MAX_MS);

	err = genl_register_family(&bt6_nl_family);
	if (err) {
		pr_err("cannot register generic netlink family %s (%d)\n",
		       BT6LOWPAN_FAMILY_NAME, err);
		return err;
	}
	WRITE_ONCE(bt6_nl_registered, true);
	return 0;
}

void bt6_nl_exit(void)
{
	if (!READ_ONCE(bt6_nl_registered))
		return;
	WRITE_ONCE(bt6_nl_registered, false);
	genl_unregister_family(&bt6_nl_family);
}
