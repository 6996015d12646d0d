// SPDX-License-Identifier: GPL-2.0
/*
 * Recovery: the per peer stall watchdog, and reconnection of router-role
 * peers whose link was lost, with exponential backoff and jitter.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "bt6lowpan.h"
#include "compat.h"
#include "netlink.h"

#define BT6_WATCH_MS		500

/* ---- stall watchdog ---------------------------------------------------- */

/* A queued watchdog holds a peer reference: module exit, which waits for
 * every peer to be freed, so waits for its timer too.
 */
static void bt6_watch_arm(struct bt6_peer *peer)
{
	if (!kref_get_unless_zero(&peer->ref))
		return;
	if (!queue_delayed_work(bt6_wq, &peer->watch_work,
				msecs_to_jiffies(BT6_WATCH_MS)))
		bt6_peer_put(peer);
}

/* Under the channel lock. Data waiting (in our queue or in the channel's)
 * with no transmit progress for stall_timeout_ms is a stall. Progress:
 * credits available, SDUs handed over, or the channel's queue shrinking
 * (we only add to it while we have credits).
 */
static bool bt6_stall_check(struct bt6_peer *peer, struct l2cap_chan *chan)
{
	unsigned int timeout = READ_ONCE(bt6_stall_timeout_ms);
	unsigned int cq = skb_queue_len(&chan->tx_q);
	bool progress, waiting, starved;

	progress = chan->tx_credits || cq < peer->watch_qlen ||
		   peer->tx_sent != peer->watch_sent;
	peer->watch_qlen = cq;
	peer->watch_sent = peer->tx_sent;

	/* Whatever stall_timeout_ms says, a peer without progress must not
	 * hold the interface's queue stopped: others wait behind it.
	 */
	waiting = cq || !skb_queue_empty(&peer->txq);
	starved = !progress && waiting;
	if (starved != READ_ONCE(peer->tx_starved)) {
		WRITE_ONCE(peer->tx_starved, starved);
		if (starved)
			bt6_tx_wake(peer);
	}

	if (!timeout || !waiting) {
		peer->stall_since = 0;
		return false;
	}
	if (progress || !peer->stall_since) {
		peer->stall_since = jiffies;
		return false;
	}
	return time_after_eq(jiffies,
			     peer->stall_since + msecs_to_jiffies(timeout));
}

static void bt6_watch_work(struct work_struct *work)
{
	struct bt6_peer *peer = container_of(to_delayed_work(work),
					     struct bt6_peer, watch_work);
	struct l2cap_chan *chan = peer->chan;
	bool alive, stalled = false;

	/* Re-armed under the channel lock, so that the teardown callback
	 * (under the same lock) either finds it queued and cancels it, or
	 * has already changed the state and it is not re-armed.
	 */
	l2cap_chan_lock(chan);
	alive = chan->state == BT_CONNECTED &&
		READ_ONCE(peer->state) == BT6_PEER_CONNECTED &&
		!READ_ONCE(bt6_exiting);
	if (alive) {
		stalled = bt6_stall_check(peer, chan);
		if (!stalled)
			bt6_watch_arm(peer);
	}
	l2cap_chan_unlock(chan);

	if (stalled)
		bt6_peer_stall(peer, "no transmit progress");
	bt6_peer_put(peer);
}

void bt6_watch_init(struct bt6_peer *peer)
{
	INIT_DELAYED_WORK(&peer->watch_work, bt6_watch_work);
}

/* The peer's channel is ready. */
void bt6_watch_start(struct bt6_peer *peer)
{
	bt6_watch_arm(peer);
}

/* The link is down (channel lock held): no watchdog stays queued. */
void bt6_watch_cancel(struct bt6_peer *peer)
{
	if (cancel_delayed_work(&peer->watch_work))
		bt6_peer_put(peer);
}

/* Reset the link of a connected peer: one log line, channel torn down and
 * the LE link dropped. A router-role peer is reconnected; a node-role peer
 * is cleaned up and we keep listening.
 */
void bt6_peer_stall(struct bt6_peer *peer, const char *why)
{
	bool reset = false;

	spin_lock_bh(&bt6_lock);
	if (peer->linked && peer->state == BT6_PEER_CONNECTED) {
		WRITE_ONCE(peer->state, BT6_PEER_STALLED);
		WRITE_ONCE(peer->last_err, -ETIMEDOUT);
		peer->hist.stalls++;
		reset = true;
	}
	spin_unlock_bh(&bt6_lock);
	if (!reset)
		return;

	bt6_nl_notify_peer(peer, BT6LOWPAN_EVENT_STALLED);
	pr_info("%s: peer %pMR stalled (%s), resetting the link\n",
		peer->iface->hdev->name, &peer->addr, why);
	bt6_chan_close_sync(peer->chan, ETIMEDOUT, true);
}

/* ---- reconnection ------------------------------------------------------ */

struct bt6_want *bt6_want_find_locked(struct bt6_iface *iface,
				      const bdaddr_t *addr, u8 type)
{
	struct bt6_want *want;

	list_for_each_entry(want, &iface->wants, node) {
		if (!want->dead && want->addr_type == type &&
		    !bacmp(&want->addr, addr))
			return want;
	}
	return NULL;
}

/* Caller holds bt6_lock; the work then frees the want. */
static void bt6_want_drop_locked(struct bt6_want *want)
{
	if (want->dead)
		return;
	want->dead = true;
	list_del(&want->node);
	want->iface->nwants--;
	mod_delayed_work(bt6_wq, &want->work, 0);
}

static unsigned int bt6_backoff_ms(unsigned int attempts)
{
	unsigned int max = max_t(unsigned int, READ_ONCE(bt6_reconnect_max_ms),
				 BT6_RECONNECT_MIN_MS);
	unsigned int ms = BT6_RECONNECT_MIN_MS;

	while (attempts-- && ms < max)
		ms *= 2;
	ms = min(ms, max);
	return ms - ms / 4 + get_random_u32_below(ms / 2 + 1);
}

/* Caller holds bt6_lock. */
static void bt6_want_schedule_locked(struct bt6_want *want)
{
	mod_delayed_work(bt6_wq, &want->work,
			 msecs_to_jiffies(bt6_backoff_ms(want->attempts)));
}

/* ---- wanted peers of a removed adapter ---------------------------------- */

/* A router-role peer wanted through an adapter that was removed (USB
 * unplug, btvirt killed): remembered by the adapter's BD_ADDR until an
 * adapter with that address is usable again, then reconnected there.
 */
struct bt6_park {
	struct list_head node;		/* bt6_parked: bt6_lock */
	bdaddr_t adapter;		/* the adapter's identity address */
	u8 adapter_type;		/* and its type */
	bdaddr_t addr;
	u8 addr_type;
	unsigned long since;		/* jiffies when parked */
};

#define BT6_PARK_POLL_MS	1000
#define BT6_PARK_MAX		64

static LIST_HEAD(bt6_parked);		/* bt6_lock */
static unsigned int bt6_nparked;	/* bt6_lock */
static void bt6_park_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(bt6_park_dwork, bt6_park_work);

/* Caller holds bt6_lock. */
static void bt6_park_locked(struct bt6_iface *iface, const bdaddr_t *addr,
			    u8 type)
{
	struct bt6_park *p;
	bdaddr_t id;
	u8 id_type;

	if (READ_ONCE(bt6_exiting) || !READ_ONCE(bt6_auto_reconnect))
		return;
	id_type = bt6_hdev_identity(iface->hdev, &id);
	list_for_each_entry(p, &bt6_parked, node) {
		if (p->addr_type == type && !bacmp(&p->addr, addr) &&
		    !bacmp(&p->adapter, &id))
			return;
	}
	if (bt6_nparked >= BT6_PARK_MAX)
		return;
	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		return;
	bacpy(&p->adapter, &id);
	p->adapter_type = id_type;
	bacpy(&p->addr, addr);
	p->addr_type = type;
	p->since = jiffies;
	list_add_tail(&p->node, &bt6_parked);
	bt6_nparked++;
	queue_delayed_work(bt6_wq, &bt6_park_dwork,
			   msecs_to_jiffies(BT6_PARK_POLL_MS));
	pr_info("%s gone: will reconnect %pMR when %pMR is back\n",
		iface->hdev->name, addr, &id);
}

/* Caller holds bt6_lock. Forgets parked peers of @addr/@type (any if
 * NULL); returns true if one was found.
 */
static bool bt6_park_forget_locked(const bdaddr_t *addr, u8 type)
{
	struct bt6_park *p, *tmp;
	bool found = false;

	list_for_each_entry_safe(p, tmp, &bt6_parked, node) {
		if (addr && (p->addr_type != type || bacmp(&p->addr, addr)))
			continue;
		list_del(&p->node);
		bt6_nparked--;
		kfree(p);
		found = true;
	}
	return found;
}

static bool bt6_hdev_ready(struct hci_dev *hdev)
{
	return test_bit(HCI_UP, &hdev->flags) && lmp_le_capable(hdev) &&
	       hci_dev_test_flag(hdev, HCI_LE_ENABLED) &&
	       !hci_dev_test_flag(hdev, HCI_UNREGISTER) &&
	       !hci_dev_test_flag(hdev, HCI_USER_CHANNEL);
}

static struct bt6_want *bt6_want_new_locked(struct bt6_iface *iface,
					    const bdaddr_t *addr, u8 type,
					    int err);

/* Gives @addr/@type a want on @hdev's interface (last error @err),
 * attempted at once, unless it has a channel or a want there already.
 * Returns true if it made one. Caller holds bt6_ctl.
 */
static bool bt6_want_ensure(struct hci_dev *hdev, const bdaddr_t *addr,
			    u8 type, unsigned long since, int err)
{
	struct bt6_iface *iface;
	struct bt6_want *want = NULL;
	bool have = false;

	/* Cheap first: most rounds find the peer there already. */
	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		if (iface->hdev == hdev && !iface->dead &&
		    (bt6_want_find_locked(iface, addr, type) ||
		     bt6_peer_find_locked(iface, addr, type)))
			have = true;
	}
	spin_unlock_bh(&bt6_lock);
	if (have)
		return false;

	iface = bt6_iface_get(hdev, GFP_KERNEL);
	if (!iface)
		return false;
	spin_lock_bh(&bt6_lock);
	if (!iface->dead && !READ_ONCE(bt6_exiting) &&
	    !bt6_want_find_locked(iface, addr, type) &&
	    !bt6_peer_find_locked(iface, addr, type)) {
		want = bt6_want_new_locked(iface, addr, type, err);
		if (want) {
			if (since)
				want->since = since;
			mod_delayed_work(bt6_wq, &want->work, 0);
		}
	}
	spin_unlock_bh(&bt6_lock);
	bt6_iface_kick(iface);	/* retires it again if nothing came of it */
	bt6_iface_put(iface);
	return !!want;
}

/* The adapter of a parked peer is back: reconnect it there. */
static void bt6_unpark(struct bt6_park *p, struct hci_dev *hdev)
{
	if (bt6_want_ensure(hdev, &p->addr, p->addr_type, p->since, -ENODEV))
		pr_info("%s: adapter back, reconnecting %pMR\n", hdev->name,
			&p->addr);
}

/* ---- persistent peers --------------------------------------------------- */

/* A persistent peer: connected whenever it can be, until disconnected.
 * Kept by the adapter's identity address, so that it follows the adapter
 * across a removal (and a new hciN index).
 */
struct bt6_persist_key {
	bdaddr_t adapter;		/* the adapter's identity address */
	u8 adapter_type;
	bdaddr_t addr;
	u8 addr_type;
};

struct bt6_persist {
	struct list_head node;		/* bt6_persist_list: bt6_lock */
	struct bt6_persist_key key;	/* const */
	int hdev_id;			/* bt6_lock: last seen as hciN */
};

static LIST_HEAD(bt6_persist_list);
static unsigned int bt6_npersist;	/* bt6_lock */

static bool bt6_iface_is(const struct bt6_iface *iface, const bdaddr_t *id)
{
	int i;

	for (i = 0; i < ETH_ALEN; i++) {
		if (iface->lladdr[i] != id->b[ETH_ALEN - 1 - i])
			return false;
	}
	return true;
}

/* Caller holds bt6_lock. */
bool bt6_persist_find_locked(const struct bt6_iface *iface,
			     const bdaddr_t *addr, u8 type)
{
	struct bt6_persist *p;

	list_for_each_entry(p, &bt6_persist_list, node) {
		if (p->key.addr_type == type && !bacmp(&p->key.addr, addr) &&
		    bt6_iface_is(iface, &p->key.adapter))
			return true;
	}
	return false;
}

static bool bt6_persist_same(const struct bt6_persist_key *a,
			     const struct bt6_persist_key *b)
{
	return a->addr_type == b->addr_type && !bacmp(&a->addr, &b->addr) &&
	       !bacmp(&a->adapter, &b->adapter);
}

/* Caller holds bt6_ctl. -EALREADY: persistent there already. */
int bt6_persist_add(struct hci_dev *hdev, const bdaddr_t *addr, u8 type)
{
	struct bt6_persist *p, *n;
	bdaddr_t id;
	u8 id_type;
	int err = 0;

	id_type = bt6_hdev_identity(hdev, &id);
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	bacpy(&n->key.adapter, &id);
	n->key.adapter_type = id_type;
	bacpy(&n->key.addr, addr);
	n->key.addr_type = type;
	n->hdev_id = hdev->id;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(p, &bt6_persist_list, node) {
		if (bt6_persist_same(&p->key, &n->key)) {
			err = -EALREADY;
			break;
		}
	}
	if (!err && bt6_npersist >= BT6_PERSIST_MAX)
		err = -ENOSPC;
	if (!err) {
		list_add_tail(&n->node, &bt6_persist_list);
		bt6_npersist++;
		if (!READ_ONCE(bt6_exiting))
			mod_delayed_work(bt6_wq, &bt6_park_dwork,
					 msecs_to_jiffies(BT6_PARK_POLL_MS));
		n = NULL;
	}
	spin_unlock_bh(&bt6_lock);
	kfree(n);
	return err;
}

/* Caller holds bt6_lock. @addr NULL: all. */
static bool bt6_persist_forget_locked(const bdaddr_t *addr, u8 type)
{
	struct bt6_persist *p, *tmp;
	bool found = false;

	list_for_each_entry_safe(p, tmp, &bt6_persist_list, node) {
		if (addr && (p->key.addr_type != type ||
			     bacmp(&p->key.addr, addr)))
			continue;
		list_del(&p->node);
		bt6_npersist--;
		kfree(p);
		found = true;
	}
	return found;
}

/* Caller holds bt6_ctl: a persistent peer just added is tried at once. */
void bt6_persist_ensure(struct hci_dev *hdev, const bdaddr_t *addr, u8 type)
{
	bt6_want_ensure(hdev, addr, type, 0, 0);
}

/* Caller holds bt6_ctl. Each persistent peer whose adapter is usable gets
 * a want if it has neither a channel nor a want: a link lost with
 * auto_reconnect off, an adapter that is back, whatever else ended one.
 */
static void bt6_persist_round(void)
{
	struct bt6_persist_key *keys, *k;
	unsigned int n = 0, i;
	struct bt6_persist *p;
	struct hci_dev *hdev;

	/* A snapshot: the list may change while we connect (exit forgets
	 * it without bt6_ctl).
	 */
	keys = kcalloc(BT6_PERSIST_MAX, sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return;
	spin_lock_bh(&bt6_lock);
	list_for_each_entry(p, &bt6_persist_list, node) {
		if (n < BT6_PERSIST_MAX)
			keys[n++] = p->key;
	}
	spin_unlock_bh(&bt6_lock);

	for (i = 0; i < n && !READ_ONCE(bt6_exiting); i++) {
		k = &keys[i];
		hdev = hci_get_route(&k->addr, &k->adapter, k->adapter_type);
		if (!hdev)
			continue;
		if (bt6_hdev_ready(hdev)) {
			spin_lock_bh(&bt6_lock);
			list_for_each_entry(p, &bt6_persist_list, node) {
				if (bt6_persist_same(&p->key, k))
					p->hdev_id = hdev->id;
			}
			spin_unlock_bh(&bt6_lock);
			if (bt6_want_ensure(hdev, &k->addr, k->addr_type, 0,
					    -ENODEV))
				pr_info("%s: connecting persistent peer %pMR\n",
					hdev->name, &k->addr);
		}
		hci_dev_put(hdev);
	}
	kfree(keys);
}

/* Caller holds bt6_lock: the persistent peers that have neither a channel
 * nor a want on their adapter's interface, as "waiting" records.
 */
int bt6_persist_for_each_waiting(int (*fn)(const struct bt6_peer_info *info,
					   void *arg), void *arg)
{
	struct bt6_peer_info info;
	struct bt6_iface *iface;
	struct bt6_persist *p;
	bool have;
	int ret;

	list_for_each_entry(p, &bt6_persist_list, node) {
		have = false;
		list_for_each_entry(iface, &bt6_ifaces, node) {
			if (bt6_iface_is(iface, &p->key.adapter) &&
			    (bt6_want_find_locked(iface, &p->key.addr,
						  p->key.addr_type) ||
			     bt6_peer_find_locked(iface, &p->key.addr,
						  p->key.addr_type)))
				have = true;
		}
		if (have)
			continue;
		memset(&info, 0, sizeof(info));
		bacpy(&info.addr, &p->key.addr);
		info.addr_type = p->key.addr_type;
		info.hdev_id = p->hdev_id;
		strscpy(info.ifname, "-", sizeof(info.ifname));
		info.state = BT6_PEER_WAITING;
		info.record = true;
		info.persistent = true;
		ret = fn(&info, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static void bt6_park_work(struct work_struct *work)
{
	struct bt6_park *p, *tmp;
	struct hci_dev *hdev;
	LIST_HEAD(todo);
	bool more;

	mutex_lock(&bt6_ctl);
	spin_lock_bh(&bt6_lock);
	if (!READ_ONCE(bt6_exiting))
		list_splice_init(&bt6_parked, &todo);
	spin_unlock_bh(&bt6_lock);

	list_for_each_entry_safe(p, tmp, &todo, node) {
		hdev = hci_get_route(&p->addr, &p->adapter,
				     p->adapter_type);
		if (!hdev)
			continue;
		if (bt6_hdev_ready(hdev)) {
			list_del(&p->node);
			bt6_unpark(p, hdev);
			spin_lock_bh(&bt6_lock);
			bt6_nparked--;
			spin_unlock_bh(&bt6_lock);
			kfree(p);
		}
		hci_dev_put(hdev);
	}

	if (!READ_ONCE(bt6_exiting))
		bt6_persist_round();

	spin_lock_bh(&bt6_lock);
	list_splice(&todo, &bt6_parked);
	more = (!list_empty(&bt6_parked) || !list_empty(&bt6_persist_list)) &&
	       !READ_ONCE(bt6_exiting);
	if (more)
		queue_delayed_work(bt6_wq, &bt6_park_dwork,
				   msecs_to_jiffies(BT6_PARK_POLL_MS));
	spin_unlock_bh(&bt6_lock);
	mutex_unlock(&bt6_ctl);
}

/* Module exit (bt6_exiting set): nothing is parked or persistent any
 * more (bt6_ctl_exit forgot the persistent peers already; no control
 * operation can add one now).
 */
void bt6_park_exit(void)
{
	cancel_delayed_work_sync(&bt6_park_dwork);
	spin_lock_bh(&bt6_lock);
	bt6_park_forget_locked(NULL, 0);
	bt6_persist_forget_locked(NULL, 0);
	spin_unlock_bh(&bt6_lock);
}

/* The adapter of @iface is going away: park its wanted peers. */
void bt6_want_park(struct bt6_iface *iface)
{
	struct bt6_want *want, *tmp;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry_safe(want, tmp, &iface->wants, node) {
		bt6_park_locked(iface, &want->addr, want->addr_type);
		bt6_want_drop_locked(want);
	}
	spin_unlock_bh(&bt6_lock);
}

static void bt6_want_work(struct work_struct *work)
{
	struct bt6_want *want = container_of(to_delayed_work(work),
					     struct bt6_want, work);
	struct bt6_iface *iface = want->iface;
	bool dead;
	int err;

	mutex_lock(&bt6_ctl);
	spin_lock_bh(&bt6_lock);
	if (READ_ONCE(bt6_exiting) || iface->dead ||
	    hci_dev_test_flag(iface->hdev, HCI_UNREGISTER)) {
		if (!want->dead)
			bt6_park_locked(iface, &want->addr, want->addr_type);
		bt6_want_drop_locked(want);
	}
	dead = want->dead;
	if (!dead)
		want->attempts++;
	spin_unlock_bh(&bt6_lock);

	if (dead) {
		mutex_unlock(&bt6_ctl);
		/* mod_delayed_work() in drop may have queued us again. */
		cancel_delayed_work(&want->work);
		bt6_iface_kick(iface);
		bt6_iface_put(iface);
		kfree(want);
		return;
	}

	err = bt6_peer_connect(iface->hdev, &want->addr, want->addr_type,
			       bt6_ctl_get_psm(), false);
	if (err && err != -EALREADY) {
		spin_lock_bh(&bt6_lock);
		if (!want->dead) {
			want->last_err = err;
			bt6_want_schedule_locked(want);
		}
		spin_unlock_bh(&bt6_lock);
	}
	mutex_unlock(&bt6_ctl);
}

/* Caller holds bt6_lock; the caller schedules the work. */
static struct bt6_want *bt6_want_new_locked(struct bt6_iface *iface,
					    const bdaddr_t *addr, u8 type,
					    int err)
{
	struct bt6_want *want;

	want = kzalloc(sizeof(*want), GFP_ATOMIC);
	if (!want)
		return NULL;
	kref_get(&iface->ref);
	want->iface = iface;
	bacpy(&want->addr, addr);
	want->addr_type = type;
	want->last_err = err;
	want->since = jiffies;
	INIT_DELAYED_WORK(&want->work, bt6_want_work);
	list_add_tail(&want->node, &iface->wants);
	iface->nwants++;
	return want;
}

/* A router-role peer's link went down (channel lock held). Returns true if
 * the peer is (still) to be reconnected.
 */
bool bt6_want_link_down(struct bt6_peer *peer, enum bt6_peer_state was,
			int err)
{
	struct bt6_iface *iface = peer->iface;
	struct bt6_want *want;

	if (!peer->router || READ_ONCE(bt6_exiting))
		return false;

	spin_lock_bh(&bt6_lock);
	want = bt6_want_find_locked(iface, &peer->addr, peer->addr_type);
	if (hci_dev_test_flag(iface->hdev, HCI_UNREGISTER)) {
		/* The adapter is going: reconnect when it is back. */
		if (want || was == BT6_PEER_CONNECTED ||
		    was == BT6_PEER_STALLED)
			bt6_park_locked(iface, &peer->addr, peer->addr_type);
		if (want)
			bt6_want_drop_locked(want);
		want = NULL;
	} else if (want) {
		/* A reconnect attempt failed, or the new link died again. */
		want->last_err = err;
		bt6_want_schedule_locked(want);
	} else if (!iface->dead &&
		   (bt6_persist_find_locked(iface, &peer->addr,
					    peer->addr_type) ||
		    (READ_ONCE(bt6_auto_reconnect) &&
		     (was == BT6_PEER_CONNECTED || was == BT6_PEER_STALLED)))) {
		/* A persistent peer whatever happened: a first connect that
		 * failed or timed out is retried too.
		 */
		want = bt6_want_new_locked(iface, &peer->addr,
					   peer->addr_type, err);
		if (want) {
			want->hist = peer->hist;
			bt6_want_schedule_locked(want);
		}
	}
	spin_unlock_bh(&bt6_lock);

	if (!want)
		return false;
	if (was != BT6_PEER_CONNECTING)
		pr_info("%s: peer %pMR lost (%d), reconnecting\n",
			iface->hdev->name, &peer->addr, err);
	return true;
}

/* A router-role peer's channel is ready: stop reconnecting it. */
void bt6_want_link_up(struct bt6_peer *peer)
{
	struct bt6_iface *iface = peer->iface;
	unsigned int attempts = 0;
	unsigned long since = 0;
	struct bt6_want *want;

	if (!peer->router)
		return;
	spin_lock_bh(&bt6_lock);
	want = bt6_want_find_locked(iface, &peer->addr, peer->addr_type);
	if (want) {
		attempts = want->attempts;
		since = want->since;
		peer->hist = want->hist;
		peer->hist.reconnects++;
		bt6_want_drop_locked(want);
	}
	spin_unlock_bh(&bt6_lock);

	if (want)
		pr_info("%s: peer %pMR back after %u attempt(s), %u ms\n",
			iface->hdev->name, &peer->addr, attempts,
			jiffies_to_msecs(jiffies - since));
}

static bool bt6_want_forget_locked(struct bt6_iface *iface,
				   const bdaddr_t *addr, u8 type)
{
	struct bt6_want *want, *tmp;
	bool found = false;

	list_for_each_entry_safe(want, tmp, &iface->wants, node) {
		if (addr && (want->addr_type != type ||
			     bacmp(&want->addr, addr)))
			continue;
		bt6_want_drop_locked(want);
		found = true;
	}
	return found;
}

/* Forget wants of @addr/@type (any if @addr is NULL) on @iface (any if
 * NULL: parked and persistent peers too). Returns true if one was found.
 */
bool bt6_want_forget(struct bt6_iface *iface, const bdaddr_t *addr, u8 type)
{
	struct bt6_iface *i;
	bool found = false;

	spin_lock_bh(&bt6_lock);
	if (iface) {
		found = bt6_want_forget_locked(iface, addr, type);
	} else {
		list_for_each_entry(i, &bt6_ifaces, node)
			found |= bt6_want_forget_locked(i, addr, type);
		found |= bt6_park_forget_locked(addr, type);
		found |= bt6_persist_forget_locked(addr, type);
	}
	spin_unlock_bh(&bt6_lock);
	return found;
}

/* Reconnect now (the recover file). */
bool bt6_want_kick(const bdaddr_t *addr, u8 type)
{
	struct bt6_want *want;
	struct bt6_iface *i;
	bool found = false;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(i, &bt6_ifaces, node) {
		want = bt6_want_find_locked(i, addr, type);
		if (want) {
			want->attempts = 0;
			mod_delayed_work(bt6_wq, &want->work, 0);
			found = true;
		}
	}
	spin_unlock_bh(&bt6_lock);
	return found;
}
