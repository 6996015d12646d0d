/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels we build for (5.10 to 7.3).
 *
 * Each BT6_HAVE_* below defaults to a LINUX_VERSION_CODE test on the
 * mainline release that made the change. Distributions backport L2CAP
 * fixes into their stable kernels (Debian's 6.1 and 6.12 carry the
 * 2026 new_connection rework, for example), so Kbuild probes the headers
 * we build against and passes BT6_HAVE_X=0/1, which wins over the default.
 *
 *   BT6_HAVE_CONNECT_TIMEOUT     l2cap_chan_connect() takes a timeout (6.9)
 *   BT6_HAVE_SEND_SOCKC          l2cap_chan_send() takes a sockcm_cookie
 *                                (6.14)
 *   BT6_HAVE_CONN_CHAN_LOCK      l2cap_conn.chan_lock, renamed lock (6.14,
 *                                by "Fix corrupted list in hci_chan_del",
 *                                which also stopped l2cap_conn_free()
 *                                deleting the link's hci_chan: before it,
 *                                bt6_conn_put() in peer.c)
 *   BT6_HAVE_SET_DEFAULTS_PCHAN  l2cap_chan_set_defaults(chan, pchan) and
 *   BT6_HAVE_NEWCONN_CHILD       ->new_connection(pchan, chan): the core
 *                                creates and links the child channel (2026
 *                                stable fix, after 6.18: probe only)
 *   BT6_HAVE_DEV_ADDR_SET        dev_addr_set() (5.16, in 5.15.y stable)
 *   BT6_HAVE_NETIF_RX_NI         netif_rx_ni() still exists (before 5.18)
 *   BT6_HAVE_CLASS_INTF_ARG      class_interface.remove_dev(dev, intf)
 *                                (before 6.4)
 *   BT6_HAVE_FLAG_DEL            l2cap_chan.flags has FLAG_DEL, set once
 *                                l2cap_chan_del() unlinked the channel
 *                                (the same 2026 stable fix: probe only;
 *                                without it l2cap_chan_del() clears
 *                                chan->conn instead)
 *   BT6_HAVE_GENL_RESV_START_OP  genl_family.resv_start_op (6.0)
 *   BT6_HAVE_GENL_REQ_ATTR_CHECK GENL_REQ_ATTR_CHECK() (6.1)
 *   BT6_HAVE_GET_RANDOM_U32_BELOW get_random_u32_below() (6.2, in 6.1.y)
 *   BT6_HAVE_LINUX_HEX_H         <linux/hex.h> exists (split out of
 *                                kernel.h in 6.x); from 7.3 on kernel.h no
 *                                longer includes it, and hex_to_bin() needs
 *                                it
 *   BT6_HAVE_WQ_PERCPU           WQ_PERCPU (6.17, in Debian's 6.12.y);
 *                                7.x warns at alloc_workqueue() when neither
 *                                WQ_PERCPU nor WQ_UNBOUND is given
 *   BT6_HAVE_CONN_TX_IDA         l2cap_conn.tx_ida: signalling idents are
 *                                allocated and freed by the response (2026
 *                                stable fix, in 5.10.y too: probe only);
 *                                see bt6_credit_ident_collect()
 *
 * ITER_SOURCE (6.1) is a macro: tested with #ifndef below.
 */
#ifndef BT6_COMPAT_H
#define BT6_COMPAT_H

#include <linux/version.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/bluetooth/hci.h>
#include <net/bluetooth/l2cap.h>

#ifndef BT6_HAVE_CONNECT_TIMEOUT
#define BT6_HAVE_CONNECT_TIMEOUT (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0))
#endif
#ifndef BT6_HAVE_SEND_SOCKC
#define BT6_HAVE_SEND_SOCKC (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0))
#endif
#ifndef BT6_HAVE_CONN_CHAN_LOCK
#define BT6_HAVE_CONN_CHAN_LOCK (LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0))
#endif
#ifndef BT6_HAVE_SET_DEFAULTS_PCHAN
#define BT6_HAVE_SET_DEFAULTS_PCHAN 0
#endif
#ifndef BT6_HAVE_NEWCONN_CHILD
#define BT6_HAVE_NEWCONN_CHILD 0
#endif
#ifndef BT6_HAVE_DEV_ADDR_SET
#define BT6_HAVE_DEV_ADDR_SET (LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0))
#endif
#ifndef BT6_HAVE_CLASS_INTF_ARG
#define BT6_HAVE_CLASS_INTF_ARG (LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0))
#endif
#define BT6_HAVE_NETIF_RX_NI (LINUX_VERSION_CODE < KERNEL_VERSION(5, 18, 0))
#ifndef BT6_HAVE_FLAG_DEL
#define BT6_HAVE_FLAG_DEL 0
#endif
#ifndef BT6_HAVE_GENL_RESV_START_OP
#define BT6_HAVE_GENL_RESV_START_OP \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0))
#endif
#ifndef BT6_HAVE_GENL_REQ_ATTR_CHECK
#define BT6_HAVE_GENL_REQ_ATTR_CHECK \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0))
#endif
#ifndef BT6_HAVE_GET_RANDOM_U32_BELOW
#define BT6_HAVE_GET_RANDOM_U32_BELOW \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))
#endif
#ifndef BT6_HAVE_LINUX_HEX_H
#define BT6_HAVE_LINUX_HEX_H (LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0))
#endif
#ifndef BT6_HAVE_WQ_PERCPU
#define BT6_HAVE_WQ_PERCPU (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0))
#endif
#ifndef BT6_HAVE_CONN_TX_IDA
#define BT6_HAVE_CONN_TX_IDA 0
#endif

#if BT6_HAVE_LINUX_HEX_H
#include <linux/hex.h>
#endif

/* 6.1 named the iov_iter directions; a source was WRITE before. */
#ifndef ITER_SOURCE
#define ITER_SOURCE WRITE
#endif

/* Before 6.17 every workqueue is per-CPU unless WQ_UNBOUND: no flag. */
#if !BT6_HAVE_WQ_PERCPU
#define WQ_PERCPU 0
#endif

#if !BT6_HAVE_GENL_REQ_ATTR_CHECK
/* 6.1: true when the request lacks the attribute (before 6.1 without
 * marking the missing attribute in the extended ack)
 */
#define GENL_REQ_ATTR_CHECK(info, attr) (!(info)->attrs[attr])
#endif

#if !BT6_HAVE_GET_RANDOM_U32_BELOW
/* 6.2: a uniform value in [0, ceil); prandom_u32_max() before */
static inline u32 get_random_u32_below(u32 ceil)
{
	return prandom_u32_max(ceil);
}
#endif

/* Whether l2cap_chan_del() has unlinked the channel from its connection:
 * with the 2026 fix it sets FLAG_DEL, before that it clears chan->conn.
 */
static inline bool bt6_chan_deleted(struct l2cap_chan *chan)
{
#if BT6_HAVE_FLAG_DEL
	return test_bit(FLAG_DEL, &chan->flags);
#else
	return !chan->conn;
#endif
}

/* Whether the core deleted @chan but left it holding its connection
 * (the 2026 stable fix, FLAG_DEL: the reference goes in
 * l2cap_chan_destroy(); before it l2cap_chan_del() cleared chan->conn).
 */
static inline bool bt6_chan_holds_conn(struct l2cap_chan *chan)
{
#if BT6_HAVE_FLAG_DEL
	return chan->conn && test_bit(FLAG_DEL, &chan->flags);
#else
	return false;
#endif
}

#if BT6_HAVE_CONN_CHAN_LOCK
/* Before 6.14: is @conn's hci_chan still on its link's list (not freed by
 * hci_conn_del())? Caller holds hci_dev_lock, the link's hci_conn is
 * alive (the connection holds it). bt6_conn_put(), peer.c.
 */
static inline bool bt6_conn_hchan_listed(struct l2cap_conn *conn)
{
	struct hci_chan *hchan;
	bool found = false;

	if (!conn->hchan || !conn->hcon)
		return false;
	rcu_read_lock();
	list_for_each_entry_rcu(hchan, &conn->hcon->chan_list, list) {
		if (hchan == conn->hchan)
			found = true;
	}
	rcu_read_unlock();
	return found;
}
#endif

static inline int bt6_l2cap_connect(struct l2cap_chan *chan, u16 psm,
				    bdaddr_t *dst, u8 dst_type)
{
#if BT6_HAVE_CONNECT_TIMEOUT
	return l2cap_chan_connect(chan, cpu_to_le16(psm), 0, dst, dst_type,
				  HCI_LE_CONN_TIMEOUT);
#else
	return l2cap_chan_connect(chan, cpu_to_le16(psm), 0, dst, dst_type);
#endif
}

static inline int bt6_l2cap_send(struct l2cap_chan *chan, struct msghdr *msg,
				 size_t len)
{
#if BT6_HAVE_SEND_SOCKC
	return l2cap_chan_send(chan, msg, len, NULL);
#else
	return l2cap_chan_send(chan, msg, len);
#endif
}

static inline void bt6_l2cap_set_defaults(struct l2cap_chan *chan)
{
#if BT6_HAVE_SET_DEFAULTS_PCHAN
	l2cap_chan_set_defaults(chan, NULL);
#else
	l2cap_chan_set_defaults(chan);
#endif
}

/* The connection's mutex, taken before the channel lock. */
static inline struct mutex *bt6_conn_lock(struct l2cap_conn *conn)
{
#if BT6_HAVE_CONN_CHAN_LOCK
	return &conn->chan_lock;
#else
	return &conn->lock;
#endif
}

/* netif_rx() may be called from any context since 5.18. */
static inline int bt6_netif_rx(struct sk_buff *skb)
{
#if BT6_HAVE_NETIF_RX_NI
	return netif_rx_ni(skb);
#else
	return netif_rx(skb);
#endif
}

#if !BT6_HAVE_DEV_ADDR_SET
static inline void dev_addr_set(struct net_device *dev, const u8 *addr)
{
	memcpy(dev->dev_addr, addr, dev->addr_len);
}
#endif

/* Kernels with conn->tx_ida but not its follow-up fix (Debian's 5.10.262
 * among them) allocate an ident for every LE Flow Control Credit packet
 * and never free it, as no response comes: after 254 credit packets on an
 * LE link every command goes out with the invalid ident 0, which the peer
 * drops ("Unable to allocate ident: -28"), and the peer's sender starves.
 * Such a core keeps the last credit packet's ident in chan->ident, which
 * nothing else sets on a connected LE channel once ->ready cleared it:
 * seeing it set is what tells a leaking core from a fixed one, and we free
 * it (in ->recv, and the last one in ->teardown). Two credit packets
 * between two ->recv (one after an SDU, one when the next SDU uses the
 * last credit) leave only the second in chan->ident: the first is the one
 * predicted in bt6_credit_ident_predict().
 * 5.10.y's core does not free the ident of an LE connect request when
 * its response comes either (L2CAP_LE_CONN_RSP is missing from its
 * l2cap_put_ident()): one more per router connect over an LE link that
 * stays up. The request goes out within l2cap_chan_connect() when the
 * link is up already, so its ident is read there (on 5.10.y, if the
 * response won the race, it is the link's last allocated one at ->ready),
 * and freed once the response came (->ready) or the channel is gone.
 * Freeing checks first that the ident is allocated: on a core that freed
 * it already, it is a no-op.
 * All of it under the channel lock.
 */
struct bt6_credit_ident {
	u8 next;	/* ident the core's next credit packet takes, or 0 */
	u8 conn_req;	/* ident of our LE connect request, or 0 */
	bool leaks;	/* the core was seen to leave one in chan->ident */
	bool ready;	/* ->ready cleared chan->ident: whatever is there
			 * later is the core's last credit packet's
			 */
};

#if BT6_HAVE_CONN_TX_IDA
/* Free @id if allocated, as the core's l2cap_put_ident() does. */
static inline void bt6_ident_put(struct l2cap_conn *conn, u8 id)
{
	int ret = ida_alloc_range(&conn->tx_ida, id, id, GFP_ATOMIC);

	if (ret >= 0 || ret == -ENOSPC)
		ida_free(&conn->tx_ida, id);
}
#endif

/* Router role, right after l2cap_chan_connect() returned. */
static inline void bt6_credit_ident_connect(struct l2cap_chan *chan,
					    struct bt6_credit_ident *ci)
{
#if BT6_HAVE_CONN_TX_IDA
	if (chan->state == BT_CONNECT && chan->mode == L2CAP_MODE_LE_FLOWCTL)
		ci->conn_req = chan->ident;
#endif
}

/* 5.10.y's backport of the IDA (read in 5.10.262) has no
 * L2CAP_LE_CONN_RSP in l2cap_put_ident(); later kernels free it.
 */
#define BT6_LE_CONN_RSP_LEAKS \
	(BT6_HAVE_CONN_TX_IDA && LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0))

/* ->ready: the ident of the connect request is done with. @router: the
 * response to our request just came.
 */
static inline void bt6_credit_ident_ready(struct l2cap_chan *chan,
					  struct bt6_credit_ident *ci,
					  bool router)
{
#if BT6_HAVE_CONN_TX_IDA
	chan->ident = 0;
	ci->ready = true;
#if BT6_LE_CONN_RSP_LEAKS
	/* The response came before bt6_credit_ident_connect() could read
	 * the request's ident: it is the last one allocated on the link.
	 */
	if (router && !ci->conn_req && chan->conn)
		ci->conn_req = READ_ONCE(chan->conn->tx_ident);
#endif
	if (ci->conn_req && chan->conn)
		bt6_ident_put(chan->conn, ci->conn_req);
	ci->conn_req = 0;
#endif
}

/* ->recv, before anything else, and ->teardown (@teardown). */
static inline void bt6_credit_ident_collect(struct l2cap_chan *chan,
					    struct bt6_credit_ident *ci,
					    bool teardown)
{
#if BT6_HAVE_CONN_TX_IDA
	struct l2cap_conn *conn = chan->conn;
	u8 id = chan->ident;

	if (!conn)
		return;
	if (ci->conn_req)
		bt6_ident_put(conn, ci->conn_req);
	ci->conn_req = 0;
	if (teardown && !ci->ready)
		return;
	if (id) {
		ci->leaks = true;
		chan->ident = 0;
		bt6_ident_put(conn, id);
	}
	if (ci->next && ci->next != id)
		bt6_ident_put(conn, ci->next);
	ci->next = 0;
#endif
}

/* End of ->recv: the core is about to return credits if the peer has
 * fewer than an SDU's worth (its own test); its ident will be the first
 * free one after the last allocated, as l2cap_get_ident() picks it.
 */
static inline void bt6_credit_ident_predict(struct l2cap_chan *chan,
					    struct bt6_credit_ident *ci)
{
#if BT6_HAVE_CONN_TX_IDA
	struct l2cap_conn *conn = chan->conn;
	int id = -ENOSPC;
	u8 last;

	if (!ci->leaks || !conn || !chan->mps ||
	    chan->rx_credits >= chan->imtu / chan->mps + 1)
		return;
	last = READ_ONCE(conn->tx_ident);
	if (last < 255)
		id = ida_alloc_range(&conn->tx_ida, last + 1, 255, GFP_ATOMIC);
	if (id <= 0)
		id = ida_alloc_range(&conn->tx_ida, 1, 255, GFP_ATOMIC);
	if (id <= 0)
		return;
	ida_free(&conn->tx_ida, id);
	ci->next = id;
#endif
}

#endif /* BT6_COMPAT_H */
