// SPDX-License-Identifier: GPL-2.0
/*
 * Peers and their L2CAP LE credit based channels: channel callbacks,
 * router role connect, node role listen, teardown.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "bt6lowpan.h"
#include "compat.h"
#include "netlink.h"

const char *bt6_state_name(enum bt6_peer_state state)
{
	switch (state) {
	case BT6_PEER_CONNECTING:
		return "connecting";
	case BT6_PEER_CONNECTED:
		return "connected";
	case BT6_PEER_STALLED:
		return "stalled";
	case BT6_PEER_RECONNECTING:
		return "reconnecting";
	case BT6_PEER_CLOSING:
		return "disconnecting";
	case BT6_PEER_CLOSED:
		return "closed";
	case BT6_PEER_FAILED:
		return "failed";
	case BT6_PEER_WAITING:
		return "waiting";
	}
	return "unknown";
}

void bt6_peer_get(struct bt6_peer *peer)
{
	kref_get(&peer->ref);
}

/* Peers allocated and not yet freed: module exit waits for none to be
 * left, and so for every channel with our ops to be released by the core.
 */
static atomic_t bt6_peers_alive = ATOMIC_INIT(0);

/* Our reference on @chan, the last one (bt6_chan_wait_released()). Where
 * the channel still holds its connection, that goes first, through
 * bt6_conn_put() (@hdev: the connection's adapter, held).
 */
static void bt6_chan_put_last(struct l2cap_chan *chan, struct hci_dev *hdev)
{
	struct l2cap_conn *conn = chan->conn;

	/* Nobody else holds the channel: nothing reads chan->conn now. */
	if (bt6_chan_holds_conn(chan) && hdev) {
		chan->conn = NULL;
		bt6_conn_put(conn, hdev);
	}
	l2cap_chan_put(chan);
}

static void bt6_peer_free_work(struct work_struct *work)
{
	struct bt6_peer *peer = container_of(work, struct bt6_peer, free_work);

	skb_queue_purge(&peer->txq);
	kfree_skb(peer->rx_last);
	/* Our teardown callback ran; whoever called it, or a channel timer
	 * that fired meanwhile, may still use the channel and call our ops.
	 * Only once our reference is the last one can nothing call into us.
	 */
	bt6_chan_wait_released(peer->chan, 1);
	bt6_chan_put_last(peer->chan, peer->hdev);
	if (peer->hdev)
		hci_dev_put(peer->hdev);
	if (peer->iface)
		bt6_iface_put(peer->iface);
	kfree_rcu(peer, rcu);
	if (atomic_dec_and_test(&bt6_peers_alive))
		wake_up_var(&bt6_peers_alive);
}

/* Module exit: every peer is closing; wait until all are freed. */
void bt6_peers_wait_freed(void)
{
	bt6_wait_all_freed(&bt6_peers_alive, "peer(s) still held by the core");
}

/* Module exit: wait until @alive is zero (its last decrement wakes it up),
 * saying every BT6_EXIT_WAIT_MS how many of @what are left.
 */
void bt6_wait_all_freed(atomic_t *alive, const char *what)
{
	while (!wait_var_event_timeout(alive, !atomic_read(alive),
				       msecs_to_jiffies(BT6_EXIT_WAIT_MS)))
		pr_warn("unload waits for %d %s\n", atomic_read(alive), what);
}

static void bt6_peer_release(struct kref *ref)
{
	struct bt6_peer *peer = container_of(ref, struct bt6_peer, ref);

	/* Dropping the channel reference may free the channel: never do it
	 * from a channel callback, whose caller still uses the channel.
	 */
	queue_work(bt6_wq, &peer->free_work);
}

void bt6_peer_put(struct bt6_peer *peer)
{
	kref_put(&peer->ref, bt6_peer_release);
}

static void bt6_chan_setup(struct l2cap_chan *chan)
{
	bt6_l2cap_set_defaults(chan);
	chan->chan_type = L2CAP_CHAN_CONN_ORIENTED;
	chan->mode = L2CAP_MODE_LE_FLOWCTL;
	chan->imtu = BT6_MTU;
	chan->ops = &bt6_chan_ops;
}

/* One of our channels, set up, or NULL. */
static noinline struct l2cap_chan *bt6_chan_new(void)
{
	struct l2cap_chan *chan;

	chan = l2cap_chan_create();
	if (chan)
		bt6_chan_setup(chan);
	return chan;
}
ALLOW_ERROR_INJECTION(bt6_chan_new, NULL);

/* A peer with no interface yet (an incoming channel not attached). Takes
 * over the caller's reference on @chan; its own initial reference is the
 * one chan->data holds until the channel is torn down.
 */
static noinline struct bt6_peer *bt6_peer_alloc(struct l2cap_chan *chan,
						gfp_t gfp)
{
	struct bt6_peer *peer;

	peer = kzalloc(sizeof(*peer), gfp);
	if (!peer)
		return NULL;

	kref_init(&peer->ref);
	peer->chan = chan;
	peer->state = BT6_PEER_CONNECTING;
	peer->since = jiffies;
	skb_queue_head_init(&peer->txq);
	INIT_WORK(&peer->tx_work, bt6_tx_work);
	INIT_WORK(&peer->free_work, bt6_peer_free_work);
	bt6_watch_init(peer);
	atomic_inc(&bt6_peers_alive);
	return peer;
}
ALLOW_ERROR_INJECTION(bt6_peer_alloc, NULL);

/* Takes over the caller's reference on @iface. */
static void bt6_peer_bind(struct bt6_peer *peer, struct bt6_iface *iface,
			  const bdaddr_t *addr, u8 addr_type, bool router,
			  u16 psm)
{
	int i;

	peer->iface = iface;
	bacpy(&peer->addr, addr);
	peer->addr_type = addr_type;
	for (i = 0; i < ETH_ALEN; i++)
		peer->lladdr[i] = addr->b[ETH_ALEN - 1 - i];
	peer->router = router;
	peer->psm = psm;
}

struct bt6_peer *bt6_peer_find_locked(struct bt6_iface *iface,
				      const bdaddr_t *addr, u8 addr_type)
{
	struct bt6_peer *peer;

	list_for_each_entry(peer, &iface->peers, node) {
		if (peer->addr_type == addr_type && !bacmp(&peer->addr, addr))
			return peer;
	}
	return NULL;
}

/* Returns the linked peer with a reference, or NULL. */
struct bt6_peer *bt6_peer_find(struct bt6_iface *iface, const bdaddr_t *addr,
			       u8 addr_type)
{
	struct bt6_peer *peer;

	spin_lock_bh(&bt6_lock);
	peer = bt6_peer_find_locked(iface, addr, addr_type);
	if (peer)
		bt6_peer_get(peer);
	spin_unlock_bh(&bt6_lock);
	return peer;
}

/* Links @peer on its iface unless the same address is already there. The
 * initial reference of @peer becomes the list's reference.
 */
static int bt6_peer_link(struct bt6_peer *peer)
{
	struct bt6_iface *iface = peer->iface;
	int err = 0;

	spin_lock_bh(&bt6_lock);
	if (READ_ONCE(bt6_exiting)) {
		err = -ESHUTDOWN;
	} else if (iface->dead) {
		err = -ENODEV;
	} else if (bt6_peer_find_locked(iface, &peer->addr, peer->addr_type)) {
		err = -EALREADY;
	} else {
		list_add_tail_rcu(&peer->node, &iface->peers);
		iface->npeers++;
		peer->linked = true;
	}
	spin_unlock_bh(&bt6_lock);
	return err;
}

/* Caller holds bt6_lock. Returns true if the list reference must be put. */
static bool bt6_peer_unlink_locked(struct bt6_peer *peer)
{
	struct bt6_iface *iface = peer->iface;

	if (!peer->linked)
		return false;
	list_del_rcu(&peer->node);
	peer->linked = false;
	iface->npeers--;
	if (peer->counted) {
		peer->counted = false;
		WRITE_ONCE(iface->nconnected, iface->nconnected - 1);
	}
	return true;
}

/* How long a router connect may take: the core's own LE connect timeout,
 * then the L2CAP answer. Our channel timer must not cut it short (a node
 * asleep at the first attempt is what the LE timeout is for).
 */
static unsigned long bt6_connect_timeout(void)
{
	return HCI_LE_CONN_TIMEOUT + msecs_to_jiffies(BT6_CHAN_TIMEOUT_MS);
}

/* The core reports a refusal by the peer and the end of a connect attempt
 * that nothing answered (its LE connect timeout, or our channel timer)
 * alike: tell them apart by the time it took.
 */
static int bt6_connect_error(const struct bt6_peer *peer, int err)
{
	if ((err == -ECONNREFUSED || err == -ECONNRESET) &&
	    time_after_eq(jiffies, peer->since + HCI_LE_CONN_TIMEOUT - HZ / 4))
		return -ETIMEDOUT;
	return err;
}

static void bt6_peer_log_down(struct bt6_peer *peer,
			      enum bt6_peer_state was, int err)
{
	const char *hci = peer->iface->hdev->name;

	if (was == BT6_PEER_CONNECTING && err == -ETIMEDOUT)
		pr_info("%s: connect to %pMR timed out\n", hci, &peer->addr);
	else if (was == BT6_PEER_CONNECTING && err == -ECONNREFUSED)
		pr_info("%s: connect to %pMR refused by the peer: PSM 0x%04x not accepted\n",
			hci, &peer->addr, peer->psm);
	else if (was == BT6_PEER_CONNECTING)
		pr_info("%s: connect to %pMR on PSM 0x%04x failed (%d)\n",
			hci, &peer->addr, peer->psm, err);
	else if (was == BT6_PEER_CONNECTED || was == BT6_PEER_STALLED)
		pr_info("%s: peer %pMR disconnected (%d)\n", hci, &peer->addr,
			err);
}

/* The channel is gone (called under the channel lock). @reason is the
 * core's positive errno.
 */
static void bt6_peer_link_down(struct bt6_peer *peer, int reason, bool lost)
{
	enum bt6_peer_state was;
	int err = -reason;
	bool put;

	spin_lock_bh(&bt6_lock);
	was = peer->state;
	if (was == BT6_PEER_CONNECTING)
		err = bt6_connect_error(peer, err);
	put = bt6_peer_unlink_locked(peer);
	WRITE_ONCE(peer->state, BT6_PEER_CLOSED);
	WRITE_ONCE(peer->last_err, err);
	spin_unlock_bh(&bt6_lock);

	bt6_tx_purge(peer);
	bt6_watch_cancel(peer);
	/* Node role: the link died under us; the router will be back. */
	if (!peer->router && (was == BT6_PEER_STALLED ||
			      (was == BT6_PEER_CONNECTED && lost)))
		bt6_iface_linger(peer->iface);
	if (bt6_want_link_down(peer, was, err)) {
		/* Being reconnected: failed attempts are not news. */
		if (was != BT6_PEER_CONNECTING)
			bt6_peer_log_down(peer, was, err);
		bt6_nl_notify_lost(peer, was, true);
	} else {
		bt6_peer_log_down(peer, was, err);
		bt6_nl_notify_lost(peer, was, false);
		if (was == BT6_PEER_CONNECTING && peer->router && err &&
		    !READ_ONCE(bt6_exiting))
			bt6_failed_record(peer, err);
	}

	if (put) {
		bt6_iface_kick(peer->iface);
		bt6_peer_put(peer);
	}
}

static u8 bt6_hcon_dst_type(const struct hci_conn *hcon)
{
	return hcon->dst_type == ADDR_LE_DEV_PUBLIC ? BDADDR_LE_PUBLIC :
						     BDADDR_LE_RANDOM;
}

/* Is @peer one of an interface's (not an incoming channel being set up
 * or refused)? Channel callbacks only, under the channel lock.
 */
static bool bt6_peer_attached(const struct bt6_peer *peer)
{
	return peer->iface && !READ_ONCE(peer->refused);
}

/* Node role, in ->ready: the incoming channel @chan becomes a peer of its
 * adapter's interface. IPSP is LE credit based mode only (RFC 7668): an
 * enhanced credit based (ECRED) channel is refused like any other that
 * cannot be attached.
 */
static int bt6_peer_attach(struct bt6_peer *peer, struct l2cap_chan *chan)
{
	struct hci_conn *hcon;
	struct bt6_iface *iface;
	int err;

	if (READ_ONCE(bt6_exiting))
		return -ESHUTDOWN;
	if (chan->mode != L2CAP_MODE_LE_FLOWCTL)
		return -EPROTONOSUPPORT;
	if (!chan->conn || !chan->conn->hcon)
		return -ENOTCONN;
	hcon = chan->conn->hcon;
	if (hcon->type != LE_LINK)
		return -EPROTONOSUPPORT;

	iface = bt6_iface_get(hcon->hdev, GFP_ATOMIC);
	if (!iface)
		return -ENOMEM;
	bt6_peer_bind(peer, iface, &hcon->dst, bt6_hcon_dst_type(hcon), false,
		      le16_to_cpu(chan->psm));
	err = bt6_peer_link(peer);
	if (err)
		return err;
	bt6_peer_get(peer);	/* the list's */
	bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_ADDED);
	return 0;
}

/* An incoming channel that cannot be a peer: close it now. The bare peer
 * stays its chan->data, so the teardown that follows frees both, and
 * module exit waits for it like for any other peer.
 */
static void bt6_peer_refuse(struct bt6_peer *peer, struct l2cap_chan *chan,
			    int err)
{
	WRITE_ONCE(peer->refused, true);
	WRITE_ONCE(peer->last_err, err);
	WRITE_ONCE(peer->state, BT6_PEER_CLOSING);
	if (chan->conn && chan->conn->hcon)
		pr_info_ratelimited("%s: refused an IPSP channel from %pMR (%d)\n",
				    chan->conn->hcon->hdev->name,
				    &chan->conn->hcon->dst, err);
	l2cap_chan_close(chan, ECONNREFUSED);
}

#if BT6_HAVE_NEWCONN_CHILD
/* Node role: is there a peer of that address on @hdev's interface
 * already? A second IPSP channel from it is refused.
 */
static bool bt6_peer_exists(struct hci_dev *hdev, const bdaddr_t *addr,
			    u8 type)
{
	struct bt6_iface *iface;
	bool found = false;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		if (iface->hdev == hdev &&
		    bt6_peer_find_locked(iface, addr, type))
			found = true;
	}
	spin_unlock_bh(&bt6_lock);
	return found;
}

/* The core created @chan and linked it to its connection; a failure here
 * makes the core delete it and answer "no resources".
 */
static int bt6_chan_new_connection(struct l2cap_chan *pchan,
				   struct l2cap_chan *chan)
{
	struct hci_conn *hcon = chan->conn ? chan->conn->hcon : NULL;
	struct bt6_peer *peer;

	/* Under the listening channel's lock: teardown cannot race. */
	if (pchan->state != BT_LISTEN || READ_ONCE(bt6_exiting) || !hcon)
		return -ECONNREFUSED;
	if (bt6_peer_exists(hcon->hdev, &hcon->dst, bt6_hcon_dst_type(hcon)))
		return -EALREADY;

	peer = bt6_peer_alloc(chan, GFP_ATOMIC);
	if (!peer)
		return -ENOMEM;
	chan->data = peer;
	return 0;
}
#else
/* Older kernels: we create the child; the core links it afterwards. A
 * NULL return makes the core answer "no resources"; nothing is left.
 */
static struct l2cap_chan *bt6_chan_new_connection(struct l2cap_chan *pchan)
{
	struct l2cap_chan *chan;
	struct bt6_peer *peer;

	if (pchan->state != BT_LISTEN || READ_ONCE(bt6_exiting))
		return NULL;

	chan = bt6_chan_new();
	if (!chan)
		return NULL;
	chan->psm = pchan->psm;
	peer = bt6_peer_alloc(chan, GFP_ATOMIC);
	if (!peer) {
		l2cap_chan_put(chan);
		return NULL;
	}
	chan->data = peer;
	return chan;
}
#endif

static void bt6_chan_ready(struct l2cap_chan *chan)
{
	struct bt6_peer *peer = chan->data;
	struct bt6_iface *iface;
	bool up = false;
	int err;

	if (!peer)
		return;
	if (!peer->iface) {
		/* Incoming: the core answers success after this returns. */
		err = bt6_peer_attach(peer, chan);
		if (err) {
			bt6_peer_refuse(peer, chan, err);
			return;
		}
	}

	bt6_credit_ident_ready(chan, &peer->credit_ident, peer->router);
	iface = peer->iface;
	spin_lock_bh(&bt6_lock);
	if (peer->linked && peer->state != BT6_PEER_CONNECTED) {
		WRITE_ONCE(peer->state, BT6_PEER_CONNECTED);
		WRITE_ONCE(peer->last_err, 0);
		WRITE_ONCE(peer->up_since, jiffies);
		peer->counted = true;
		WRITE_ONCE(iface->nconnected, iface->nconnected + 1);
		up = true;
	}
	spin_unlock_bh(&bt6_lock);

	if (!up)
		return;

	pr_info("%s: peer %pMR (%s) connected, PSM 0x%04x, %s role\n",
		iface->hdev->name, &peer->addr,
		peer->addr_type == BDADDR_LE_PUBLIC ? "public" : "random",
		peer->psm, peer->router ? "router" : "node");
	bt6_want_link_up(peer);
	bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_UP);
	bt6_iface_kick(iface);
	bt6_peer_kick(peer);
	bt6_watch_start(peer);
	/* A second peer: the queue may no longer be held for the first. */
	bt6_iface_wake(iface);
}

static void bt6_chan_teardown(struct l2cap_chan *chan, int err)
{
	struct bt6_peer *peer = chan->data;

	/* Listening or deleted channels must not be found again. */
	chan->state = BT_CLOSED;
	if (!peer)
		return;

	bt6_credit_ident_collect(chan, &peer->credit_ident, true);
	/* The connection (if any) is alive here, and so its adapter. */
	if (chan->conn && chan->conn->hcon && !peer->hdev)
		peer->hdev = hci_dev_hold(chan->conn->hcon->hdev);
	chan->data = NULL;
	kfree_skb(peer->rx_last);
	peer->rx_last = NULL;
	/* An incoming channel that never became a peer: nothing to undo. */
	if (bt6_peer_attached(peer))
		/* The whole LE link is gone, not only this channel. */
		bt6_peer_link_down(peer, err, chan->conn && chan->conn->hcon &&
				   chan->conn->hcon->state != BT_CONNECTED);
	bt6_peer_put(peer);
}

static void bt6_chan_close(struct l2cap_chan *chan)
{
	bt6_chan_teardown(chan, 0);
}

/* The core may read a reassembled SDU after handing it to ->recv: Debian's
 * 6.12.117 and 7.3.4 l2cap_ecred_recv() return credits from
 * chan->sdu->len, and chan->sdu is the skb just given to us (KFENCE and
 * KASAN: use-after-free read in l2cap_chan_le_send_credits, once the stack
 * had freed it). Such an SDU goes up as a clone, and the original waits in
 * peer->rx_last until the next ->recv, by which time the core is done
 * with it. A single-frame SDU (chan->sdu not ours) goes up as it is.
 */
static int bt6_chan_deliver(struct bt6_peer *peer, struct l2cap_chan *chan,
			    struct sk_buff *skb)
{
	kfree_skb(peer->rx_last);
	peer->rx_last = NULL;
	if (skb == chan->sdu) {
		peer->rx_last = skb;
		skb = skb_clone(skb, GFP_ATOMIC);
	}
	/* A bare peer has no interface to deliver to, or to count on. */
	if (!bt6_peer_attached(peer)) {
		kfree_skb(skb);
		return 0;
	}
	if (!skb) {
		bt6_peer_stat(peer, BT6_STAT(rx_dropped), 1);
		return 0;
	}
	return bt6_recv(peer, skb);
}

static int bt6_chan_recv(struct l2cap_chan *chan, struct sk_buff *skb)
{
	struct bt6_peer *peer = chan->data;
	int err;

	if (!peer) {
		kfree_skb(skb);
		return 0;
	}
	bt6_credit_ident_collect(chan, &peer->credit_ident, false);
	err = bt6_chan_deliver(peer, chan, skb);
	bt6_credit_ident_predict(chan, &peer->credit_ident);
	return err;
}

static void bt6_chan_state_change(struct l2cap_chan *chan, int state, int err)
{
}

static void bt6_chan_suspend(struct l2cap_chan *chan)
{
	/* Out of credits: the tx work stops on its own (tx_credits == 0). */
}

static void bt6_chan_resume(struct l2cap_chan *chan)
{
	struct bt6_peer *peer = chan->data;

	if (peer && bt6_peer_attached(peer))
		bt6_peer_kick(peer);
}

static long bt6_chan_get_sndtimeo(struct l2cap_chan *chan)
{
	struct bt6_peer *peer = chan->data;

	/* A stalled link will not answer a disconnect request: be quick. */
	if (READ_ONCE(bt6_exiting) ||
	    (peer && READ_ONCE(peer->state) == BT6_PEER_STALLED))
		return msecs_to_jiffies(BT6_EXIT_TIMEOUT_MS);
	if (peer && peer->router && chan->state == BT_CONNECT)
		return bt6_connect_timeout();
	return msecs_to_jiffies(BT6_CHAN_TIMEOUT_MS);
}

/* Only ever called from l2cap_chan_send(), i.e. from our tx work. */
static struct sk_buff *bt6_chan_alloc_skb(struct l2cap_chan *chan,
					  unsigned long hdr_len,
					  unsigned long len, int nb)
{
	struct sk_buff *skb;

	skb = bt_skb_alloc(hdr_len + len, GFP_KERNEL);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	return skb;
}
ALLOW_ERROR_INJECTION(bt6_chan_alloc_skb, ERRNO);

const struct l2cap_ops bt6_chan_ops = {
	.name		= "L2CAP IPv6 over BLE (bt6lowpan)",
	.new_connection	= bt6_chan_new_connection,
	.recv		= bt6_chan_recv,
	.teardown	= bt6_chan_teardown,
	.close		= bt6_chan_close,
	.state_change	= bt6_chan_state_change,
	.ready		= bt6_chan_ready,
	.defer		= l2cap_chan_no_defer,
	.resume		= bt6_chan_resume,
	.suspend	= bt6_chan_suspend,
	.set_shutdown	= l2cap_chan_no_set_shutdown,
	.get_sndtimeo	= bt6_chan_get_sndtimeo,
	.alloc_skb	= bt6_chan_alloc_skb,
};

/* Router role. Caller holds bt6_ctl. @announce: a new peer (not a
 * reconnect), whose "added" event goes out before the connect does, so
 * that the "up" of a fast answer can never come first.
 */
int bt6_peer_connect(struct hci_dev *hdev, const bdaddr_t *addr, u8 type,
		     u16 psm, bool announce)
{
	struct bt6_iface *iface;
	struct l2cap_chan *chan;
	struct bt6_peer *peer;
	bdaddr_t dst;
	int err;

	iface = bt6_iface_get(hdev, GFP_KERNEL);
	if (!iface)
		return -ENOMEM;

	chan = bt6_chan_new();
	if (!chan) {
		bt6_iface_put(iface);
		return -ENOMEM;
	}
	/* The core routes by the adapter's identity address and type. */
	chan->src_type = bt6_hdev_identity(hdev, &chan->src);

	peer = bt6_peer_alloc(chan, GFP_KERNEL);
	if (!peer) {
		l2cap_chan_put(chan);
		bt6_iface_put(iface);
		return -ENOMEM;
	}
	bt6_peer_bind(peer, iface, addr, type, true, psm);

	err = bt6_peer_link(peer);
	if (err) {
		bt6_peer_put(peer);
		return err;
	}

	bt6_peer_get(peer);
	chan->data = peer;
	if (announce)
		bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_ADDED);

	/* Ours until we return: a peer that refuses at once has the core
	 * tear the channel down, and us unlink the peer, before
	 * l2cap_chan_connect() has returned here; the last put then frees
	 * the peer and, with it, the channel (KASAN on the debug kernel:
	 * use-after-free of chan->lock below, in psm's refused connect).
	 */
	bt6_peer_get(peer);
	bacpy(&dst, addr);
	err = bt6_l2cap_connect(chan, psm, &dst, type);
	/* Never wait here for the channel lock: the core may hold it to
	 * answer the connect already. chan->data still ours: no teardown
	 * ran.
	 */
	if (err >= 0 && mutex_trylock(&chan->lock)) {
		if (chan->data == peer)
			bt6_credit_ident_connect(chan, &peer->credit_ident);
		mutex_unlock(&chan->lock);
	}
	if (err < 0) {
		if (announce)
			bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_REMOVED);
		/* Not linked to a connection: no callback ran or will run. */
		chan->data = NULL;
		bt6_peer_put(peer);
		spin_lock_bh(&bt6_lock);
		if (bt6_peer_unlink_locked(peer))
			bt6_peer_put(peer);
		spin_unlock_bh(&bt6_lock);
		bt6_iface_kick(iface);
	}
	bt6_peer_put(peer);
	return err < 0 ? err : 0;
}

/* l2cap_chan_close() may unlink the channel from its connection: like the
 * socket layer, hold the connection's lock around it (it comes before the
 * channel lock). The lock also keeps the connection and its hcon alive.
 *
 * @drop_link (a stall): have the core drop the LE link as soon as no
 * channel holds it, instead of HCI_DISCONN_TIMEOUT later, so that the
 * controller frees the buffers of the stalled link. No exported call
 * disconnects an hci_conn; l2cap_conn_del() forces the drop the same way,
 * and the connection lock serialises with the core's L2CAP side writes of
 * disc_timeout.
 */
void bt6_chan_close_sync(struct l2cap_chan *chan, int reason, bool drop_link)
{
	struct l2cap_conn *conn = NULL;
	struct hci_dev *hdev = NULL;

	/* A channel the core has deleted keeps its connection on some
	 * kernels (bt6_chan_holds_conn()): there is nothing to close on it
	 * but our side, which needs no connection lock.
	 */
	l2cap_chan_lock(chan);
	if (chan->conn && chan->conn->hcon && !bt6_chan_deleted(chan)) {
		conn = l2cap_conn_get(chan->conn);
		hdev = hci_dev_hold(conn->hcon->hdev);
	}
	l2cap_chan_unlock(chan);

	if (conn)
		mutex_lock(bt6_conn_lock(conn));
	l2cap_chan_lock(chan);
	if (drop_link && conn && chan->conn == conn && conn->hcon)
		conn->hcon->disc_timeout = 0;
	l2cap_chan_close(chan, reason);
	l2cap_chan_unlock(chan);
	if (conn) {
		mutex_unlock(bt6_conn_lock(conn));
		bt6_conn_put(conn, hdev);
		hci_dev_put(hdev);
	}
}

/* Drop a reference on @conn, an L2CAP connection of adapter @hdev (held).
 *
 * Kernels before 6.14 (l2cap_conn.chan_lock) whose channels hold their
 * connection (the 2026 stable backport: FLAG_DEL, Debian's 6.1.192) free
 * the link's hci_chan in l2cap_conn_free(). hci_conn_del() frees it too,
 * with the link: when the last reference on the connection goes after
 * that, hci_chan_del() runs a second time on freed memory (list_del
 * corruption in hci_chan_del() from our channel's last put, CI
 * 2026-12-03). Mainline moved it back to l2cap_conn_del() in 6.14 ("Fix
 * corrupted list in hci_chan_del").
 *
 * So the last reference is dropped under the adapter's lock, which
 * hci_conn_del() runs under: if the link's hci_chan is still on its
 * list, the core frees all; if not, we free the connection the way
 * 6.14's l2cap_conn_free() does, without the hci_chan that is gone. The
 * last reference means that l2cap_conn_del() is done with it and that
 * nothing can find it any more (hcon->l2cap_data is NULL).
 */
void bt6_conn_put(struct l2cap_conn *conn, struct hci_dev *hdev)
{
#if BT6_HAVE_CONN_CHAN_LOCK
	if (refcount_dec_not_one(&conn->ref.refcount))
		return;
	hci_dev_lock(hdev);
	if (bt6_conn_hchan_listed(conn)) {
		l2cap_conn_put(conn);
	} else {
		if (conn->hchan)
			pr_info_ratelimited("%s: the link's hci_chan went with the link: its L2CAP connection freed here\n",
					    hdev->name);
		hci_conn_put(conn->hcon);
		kfree(conn);
	}
	hci_dev_unlock(hdev);
#else
	l2cap_conn_put(conn);
#endif
}

/* Disconnect request. Caller holds a reference on @peer. The peer leaves
 * its interface at once: it is no longer counted as connected, and a new
 * connect to the same address need not wait for the old channel, which
 * the core tears down when the remote answers (or its timer fires).
 */
void bt6_peer_close(struct bt6_peer *peer, int reason)
{
	struct l2cap_chan *chan = peer->chan;
	bool put;

	spin_lock_bh(&bt6_lock);
	if (peer->linked && peer->state == BT6_PEER_CONNECTING)
		WRITE_ONCE(peer->last_err, -reason);
	if (peer->linked)
		WRITE_ONCE(peer->state, BT6_PEER_CLOSING);
	put = bt6_peer_unlink_locked(peer);
	spin_unlock_bh(&bt6_lock);

	bt6_chan_close_sync(chan, reason, false);
	if (put) {
		bt6_iface_kick(peer->iface);
		bt6_peer_put(peer);
	}
}

/* Node role: listen for IPSP channels on every LE adapter. */
struct l2cap_chan *bt6_listen_start(u16 psm, int *err)
{
	struct l2cap_chan *chan;

	chan = bt6_chan_new();
	if (!chan) {
		*err = -ENOMEM;
		return NULL;
	}
	chan->src_type = BDADDR_LE_PUBLIC;
	atomic_set(&chan->nesting, L2CAP_NESTING_PARENT);

	*err = l2cap_add_psm(chan, BDADDR_ANY, cpu_to_le16(psm));
	if (*err) {
		l2cap_chan_put(chan);
		return NULL;
	}
	chan->state = BT_LISTEN;
	return chan;
}

/* Wait until the core holds no reference on @chan besides our @refs: only
 * then can no callback into this module be in flight or come. No deadline:
 * the core's channel timer bounds how long it keeps one; should it not,
 * say so every few seconds rather than let our ops go while in use.
 */
void bt6_chan_wait_released(struct l2cap_chan *chan, unsigned int refs)
{
	unsigned long warn = jiffies + msecs_to_jiffies(BT6_EXIT_WAIT_MS);

	while (kref_read(&chan->kref) > refs) {
		if (time_after(jiffies, warn)) {
			pr_warn("channel %p still referenced by the core (%u)\n",
				chan, kref_read(&chan->kref));
			warn = jiffies + msecs_to_jiffies(BT6_EXIT_WAIT_MS);
		}
		msleep(20);
	}
}

void bt6_listen_stop(struct l2cap_chan *chan)
{
	bt6_chan_close_sync(chan, 0, false);
	bt6_chan_wait_released(chan, 1);
	l2cap_chan_put(chan);
}
