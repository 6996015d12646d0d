// SPDX-License-Identifier: GPL-2.0
/*
 * Control operations shared by every control interface (sysfs, the
 * debugfs compatibility shim, generic netlink): one code path each for
 * connect, disconnect, recover, enable, PSM and the recovery tunables,
 * with the same validation and errnos, and the events they cause.
 * Parsers live with their interface; these functions take parsed values.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "bt6lowpan.h"
#include "compat.h"
#include "netlink.h"

/* Router connects that failed, shown in "peers" (state "failed" and the
 * error) until the next connect or disconnect of that address, so users
 * can see why. Bounded: the oldest goes first.
 */
struct bt6_failed {
	struct list_head node;		/* bt6_failed_list: bt6_lock, RCU */
	struct rcu_head rcu;
	bdaddr_t addr;
	u8 addr_type;
	int hdev_id;
	int err;
};

#define BT6_FAILED_MAX	16

static LIST_HEAD(bt6_failed_list);
static unsigned int bt6_nfailed;		/* bt6_lock */

static bool bt6_enabled;			/* bt6_ctl */
static u16 bt6_psm = BT6_PSM_DEFAULT;		/* bt6_ctl; READ_ONCE */
static struct l2cap_chan *bt6_listen_chan;	/* bt6_ctl */

/* Caller holds bt6_lock. Removes records of @addr/@type (any if NULL). */
static bool bt6_failed_forget_locked(const bdaddr_t *addr, u8 type)
{
	struct bt6_failed *f, *tmp;
	bool found = false;

	list_for_each_entry_safe(f, tmp, &bt6_failed_list, node) {
		if (addr && (f->addr_type != type || bacmp(&f->addr, addr)))
			continue;
		list_del_rcu(&f->node);
		bt6_nfailed--;
		kfree_rcu(f, rcu);
		found = true;
	}
	return found;
}

static bool bt6_failed_forget(const bdaddr_t *addr, u8 type)
{
	bool found;

	spin_lock_bh(&bt6_lock);
	found = bt6_failed_forget_locked(addr, type);
	spin_unlock_bh(&bt6_lock);
	return found;
}

/* Any context. */
void bt6_failed_record(const struct bt6_peer *peer, int err)
{
	struct bt6_failed *f, *old;

	f = kzalloc(sizeof(*f), GFP_ATOMIC);
	if (!f)
		return;
	bacpy(&f->addr, &peer->addr);
	f->addr_type = peer->addr_type;
	f->hdev_id = peer->iface->hdev_id;
	f->err = err;

	spin_lock_bh(&bt6_lock);
	bt6_failed_forget_locked(&f->addr, f->addr_type);
	list_add_tail_rcu(&f->node, &bt6_failed_list);
	if (++bt6_nfailed > BT6_FAILED_MAX) {
		old = list_first_entry(&bt6_failed_list, struct bt6_failed,
				       node);
		list_del_rcu(&old->node);
		bt6_nfailed--;
		kfree_rcu(old, rcu);
	}
	spin_unlock_bh(&bt6_lock);
}

/* "XX:XX:XX:XX:XX:XX", most significant byte first, exactly 17 chars. */
int bt6_parse_bdaddr(const char *s, size_t len, bdaddr_t *addr)
{
	int i, hi, lo;

	if (len != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		const char *p = s + i * 3;

		if (i < 5 && p[2] != ':')
			return -EINVAL;
		hi = hex_to_bin(p[0]);
		lo = hex_to_bin(p[1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		addr->b[5 - i] = (hi << 4) | lo;
	}
	return 0;
}

/* The adapter called "hci<id>", if it is up and does LE. Found through the
 * device class of any adapter: hci_dev_get() is not exported.
 */
static struct hci_dev *bt6_hdev_by_id(int id)
{
	struct hci_dev *any, *hdev = NULL;
	struct device *dev;
	char name[16];

	any = hci_get_route(BDADDR_ANY, BDADDR_ANY, BDADDR_LE_PUBLIC);
	if (!any)
		return NULL;

	snprintf(name, sizeof(name), "hci%d", id);
	dev = class_find_device_by_name(any->dev.class, name);
	if (dev && dev->type == any->dev.type)
		hdev = container_of(dev, struct hci_dev, dev);
	else if (dev)
		put_device(dev);
	hci_dev_put(any);
	return hdev;
}

static bool bt6_hdev_usable(struct hci_dev *hdev)
{
	return test_bit(HCI_UP, &hdev->flags) && lmp_le_capable(hdev) &&
	       hci_dev_test_flag(hdev, HCI_LE_ENABLED) &&
	       !hci_dev_test_flag(hdev, HCI_UNREGISTER) &&
	       !hci_dev_test_flag(hdev, HCI_USER_CHANNEL);
}

/* Is @addr being reconnected on @hdev? */
static bool bt6_wanted(struct hci_dev *hdev, const bdaddr_t *addr, u8 type)
{
	struct bt6_iface *iface;
	bool found = false;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		if (iface->hdev == hdev &&
		    bt6_want_find_locked(iface, addr, type))
			found = true;
	}
	spin_unlock_bh(&bt6_lock);
	return found;
}

/* A persistent peer was added: the events group hears of it as it is
 * listed (waiting, until its want's first attempt shows).
 */
static void bt6_notify_persistent(struct hci_dev *hdev, const bdaddr_t *addr,
				  u8 type)
{
	struct bt6_peer_info info = {
		.addr_type = type,
		.hdev_id = hdev->id,
		.ifname = "-",
		.state = BT6_PEER_WAITING,
		.record = true,
		.persistent = true,
	};

	bacpy(&info.addr, addr);
	bt6_nl_notify_peer_info(&info, BT6LOWPAN_EVENT_ADDED);
}

/* Caller holds bt6_ctl. */
static int bt6_connect_persistent(struct hci_dev *hdev, const bdaddr_t *addr,
				  u8 type)
{
	int err = bt6_persist_add(hdev, addr, type);

	if (err)
		return err;
	bt6_failed_forget(addr, type);
	bt6_notify_persistent(hdev, addr, type);
	bt6_persist_ensure(hdev, addr, type);
	return 0;
}

/* Router role. @persistent: the peer stays wanted until disconnected; it
 * is connected through a want (recover.c), whose failed attempts are
 * retried with the backoff instead of ending in a failed record. A peer
 * that exists already becomes persistent; -EALREADY if it is already.
 */
int bt6_ctl_connect(const bdaddr_t *addr, u8 type, int hdev_id,
		    bool persistent)
{
	struct hci_dev *hdev;
	bdaddr_t dst;
	int err;

	if ((type != BDADDR_LE_PUBLIC && type != BDADDR_LE_RANDOM) ||
	    !bacmp(addr, BDADDR_ANY) || !bacmp(addr, BDADDR_NONE))
		return -EINVAL;

	bacpy(&dst, addr);
	mutex_lock(&bt6_ctl);
	if (READ_ONCE(bt6_exiting)) {
		err = -ENODEV;
		goto out;
	}
	if (hdev_id >= 0)
		hdev = bt6_hdev_by_id(hdev_id);
	else
		hdev = hci_get_route(&dst, BDADDR_ANY, BDADDR_LE_PUBLIC);
	if (!hdev) {
		err = -ENODEV;
		goto out;
	}

	if (!bt6_hdev_usable(hdev)) {
		err = -ENODEV;
	} else if (!bacmp(&hdev->bdaddr, &dst)) {
		err = -EINVAL;
	} else if (persistent) {
		err = bt6_connect_persistent(hdev, &dst, type);
	} else if (bt6_wanted(hdev, &dst, type)) {
		err = -EALREADY;
	} else {
		/* Before, not after: a peer that refuses at once has its
		 * failure recorded while bt6_peer_connect() still runs
		 * (psm's mismatch-peer-state on the debug kernel, whose
		 * "failed" line a forget after the connect erased).
		 */
		bt6_failed_forget(&dst, type);
		err = bt6_peer_connect(hdev, &dst, type, bt6_psm, true);
		if (err == -EHOSTUNREACH)
			err = -ENODEV;
	}
	hci_dev_put(hdev);
out:
	mutex_unlock(&bt6_ctl);
	return err;
}

/* Next peer matching @addr/@type (any if @addr is NULL) that is not being
 * closed yet, with a reference. *@found tells whether any matched at all.
 */
static struct bt6_peer *bt6_next_to_close(const bdaddr_t *addr, u8 type,
					  bool *found)
{
	struct bt6_iface *iface;
	struct bt6_peer *peer;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		list_for_each_entry(peer, &iface->peers, node) {
			if (addr && (peer->addr_type != type ||
				     bacmp(&peer->addr, addr)))
				continue;
			*found = true;
			if (peer->state == BT6_PEER_CLOSING)
				continue;
			bt6_peer_get(peer);
			spin_unlock_bh(&bt6_lock);
			return peer;
		}
	}
	spin_unlock_bh(&bt6_lock);
	return NULL;
}

/* Caller holds bt6_ctl. */
static int bt6_close_matching(const bdaddr_t *addr, u8 type)
{
	struct bt6_peer *peer;
	bool found = false;

	while ((peer = bt6_next_to_close(addr, type, &found))) {
		bt6_peer_close(peer, ECONNRESET);
		bt6_peer_put(peer);
	}
	return found ? 0 : -ENOENT;
}

/* A lost peer that was being reconnected is forgotten, without a channel
 * whose teardown would say so.
 */
static void bt6_notify_forgotten(const bdaddr_t *addr, u8 type)
{
	struct bt6_peer_info info = {
		.addr_type = type,
		.hdev_id = -1,
		.ifname = "-",
		.state = BT6_PEER_CLOSED,
		.record = true,
	};

	bacpy(&info.addr, addr);
	bt6_nl_notify_peer_info(&info, BT6LOWPAN_EVENT_REMOVED);
}

int bt6_ctl_disconnect(const bdaddr_t *addr, u8 type)
{
	bool wanted;
	int err;

	mutex_lock(&bt6_ctl);
	/* First, so that closing does not schedule a reconnect. */
	wanted = bt6_want_forget(NULL, addr, type);
	err = bt6_close_matching(addr, type);
	if (wanted && err == -ENOENT)
		bt6_notify_forgotten(addr, type);
	if (bt6_failed_forget(addr, type) || wanted)
		err = 0;
	mutex_unlock(&bt6_ctl);
	return err;
}

/* First connected peer matching @addr/@type, with a reference. */
static struct bt6_peer *bt6_next_connected(const bdaddr_t *addr, u8 type)
{
	struct bt6_iface *iface;
	struct bt6_peer *peer;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		list_for_each_entry(peer, &iface->peers, node) {
			if (peer->addr_type != type ||
			    bacmp(&peer->addr, addr) ||
			    peer->state != BT6_PEER_CONNECTED)
				continue;
			bt6_peer_get(peer);
			spin_unlock_bh(&bt6_lock);
			return peer;
		}
	}
	spin_unlock_bh(&bt6_lock);
	return NULL;
}

/* Reset the links to @addr now; reconnect a lost router-role peer now. */
int bt6_ctl_recover(const bdaddr_t *addr, u8 type)
{
	struct bt6_peer *peer;
	bool found;

	mutex_lock(&bt6_ctl);
	found = bt6_want_kick(addr, type);
	/* A stalled peer leaves the connected state: no loop. */
	while ((peer = bt6_next_connected(addr, type))) {
		bt6_peer_stall(peer, "recover requested");
		bt6_peer_put(peer);
		found = true;
	}
	mutex_unlock(&bt6_ctl);
	return found ? 0 : -ENOENT;
}

/* Caller holds bt6_ctl. */
static int bt6_listen_set(bool on)
{
	struct l2cap_chan *chan;
	int err = 0;

	if (on && !bt6_listen_chan) {
		chan = bt6_listen_start(bt6_psm, &err);
		if (!chan) {
			/* (out of memory, most likely: rate-limited) */
			pr_err_ratelimited("cannot listen on PSM 0x%04x (%d)\n",
					   bt6_psm, err);
			return err;
		}
		bt6_listen_chan = chan;
	} else if (!on && bt6_listen_chan) {
		chan = bt6_listen_chan;
		bt6_listen_chan = NULL;
		bt6_listen_stop(chan);
	}
	return 0;
}

int bt6_ctl_set_enable(bool enable, bool disconnect_all)
{
	bool changed = false;
	int err;

	mutex_lock(&bt6_ctl);
	err = bt6_listen_set(enable && !READ_ONCE(bt6_exiting));
	if (!err) {
		changed = bt6_enabled != enable;
		WRITE_ONCE(bt6_enabled, enable);
		if (!enable && disconnect_all) {
			/* First, so that closing schedules no reconnect,
			 * and the links being reconnected stop too; the
			 * persistent peers are forgotten as well.
			 */
			bt6_want_forget(NULL, NULL, 0);
			bt6_close_matching(NULL, 0);
		}
	}
	if (changed)
		bt6_nl_notify_config();
	mutex_unlock(&bt6_ctl);
	return err;
}

bool bt6_ctl_get_enable(void)
{
	return READ_ONCE(bt6_enabled);
}

int bt6_ctl_set_psm(u16 psm)
{
	struct l2cap_chan *old, *chan;
	int err = 0;

	if (psm < BT6_PSM_MIN || psm > BT6_PSM_MAX)
		return -ERANGE;

	mutex_lock(&bt6_ctl);
	if (psm != bt6_psm && bt6_listen_chan) {
		/* Listen on the new PSM before closing the old listener, so a
		 * failure changes nothing. Connected peers are not touched.
		 */
		chan = bt6_listen_start(psm, &err);
		if (!chan)
			goto out;
		old = bt6_listen_chan;
		bt6_listen_chan = chan;
		bt6_listen_stop(old);
	}
	if (psm != bt6_psm) {
		WRITE_ONCE(bt6_psm, psm);
		bt6_nl_notify_config();
	}
out:
	mutex_unlock(&bt6_ctl);
	return err;
}

u16 bt6_ctl_get_psm(void)
{
	return READ_ONCE(bt6_psm);
}

/* Sets a tunable under bt6_ctl; an actual change is an event. */
static void bt6_tunable_set(unsigned int *var, unsigned int v)
{
	mutex_lock(&bt6_ctl);
	if (*var != v) {
		WRITE_ONCE(*var, v);
		bt6_nl_notify_config();
	}
	mutex_unlock(&bt6_ctl);
}

int bt6_ctl_check_stall_timeout(unsigned int ms)
{
	return ms > BT6_STALL_MAX_MS ? -ERANGE : 0;
}

/* Watchdogs read it on their next round: no peer needs a kick. */
int bt6_ctl_set_stall_timeout(unsigned int ms)
{
	int err = bt6_ctl_check_stall_timeout(ms);

	if (!err)
		bt6_tunable_set(&bt6_stall_timeout_ms, ms);
	return err;
}

unsigned int bt6_ctl_get_stall_timeout(void)
{
	return READ_ONCE(bt6_stall_timeout_ms);
}

/* Off: links lost from now on are not reconnected; the ones being
 * reconnected already go on until they are back or disconnected.
 */
void bt6_ctl_set_auto_reconnect(bool on)
{
	mutex_lock(&bt6_ctl);
	if (bt6_auto_reconnect != on) {
		WRITE_ONCE(bt6_auto_reconnect, on);
		bt6_nl_notify_config();
	}
	mutex_unlock(&bt6_ctl);
}

bool bt6_ctl_get_auto_reconnect(void)
{
	return READ_ONCE(bt6_auto_reconnect);
}

int bt6_ctl_check_reconnect_max(unsigned int ms)
{
	return ms < BT6_RECONNECT_MIN_MS || ms > BT6_RECONNECT_MAX_MS ?
	       -ERANGE : 0;
}

/* The next backoff delay computed uses it. */
int bt6_ctl_set_reconnect_max(unsigned int ms)
{
	int err = bt6_ctl_check_reconnect_max(ms);

	if (!err)
		bt6_tunable_set(&bt6_reconnect_max_ms, ms);
	return err;
}

unsigned int bt6_ctl_get_reconnect_max(void)
{
	return READ_ONCE(bt6_reconnect_max_ms);
}

/* Caller holds rcu_read_lock(); bt6_lock too for an exact snapshot of
 * state and history (events read them without it).
 */
void bt6_ctl_peer_info(const struct bt6_peer *peer, struct bt6_peer_info *info)
{
	const struct bt6_iface *iface = peer->iface;
	struct net_device *dev = rcu_dereference(iface->netdev);
	const struct bt6_stats *st = &peer->stats;

	memset(info, 0, sizeof(*info));
	bacpy(&info->addr, &peer->addr);
	info->addr_type = peer->addr_type;
	info->hdev_id = iface->hdev_id;
	strscpy(info->ifname, dev ? dev->name : "-", sizeof(info->ifname));
	info->state = READ_ONCE(peer->state);
	info->last_err = READ_ONCE(peer->last_err);
	info->up = info->state == BT6_PEER_CONNECTED ||
		   info->state == BT6_PEER_STALLED;
	if (info->up)
		info->up_ms = jiffies_to_msecs(jiffies -
					       READ_ONCE(peer->up_since));
	info->tx_packets = atomic_long_read(&st->tx_packets);
	info->tx_bytes = atomic_long_read(&st->tx_bytes);
	info->rx_packets = atomic_long_read(&st->rx_packets);
	info->rx_bytes = atomic_long_read(&st->rx_bytes);
	info->drops = atomic_long_read(&st->tx_dropped) +
		      atomic_long_read(&st->tx_errors) +
		      atomic_long_read(&st->rx_dropped) +
		      atomic_long_read(&st->rx_errors);
	info->stalls = READ_ONCE(peer->hist.stalls);
	info->reconnects = READ_ONCE(peer->hist.reconnects);
}

static void bt6_peer_info_want(const struct bt6_iface *iface,
			       const struct bt6_want *want,
			       struct bt6_peer_info *info)
{
	struct net_device *dev = rcu_dereference(iface->netdev);

	memset(info, 0, sizeof(*info));
	bacpy(&info->addr, &want->addr);
	info->addr_type = want->addr_type;
	info->hdev_id = iface->hdev_id;
	strscpy(info->ifname, dev ? dev->name : "-", sizeof(info->ifname));
	info->state = BT6_PEER_RECONNECTING;
	info->last_err = want->last_err;
	info->record = true;
	info->stalls = want->hist.stalls;
	info->reconnects = want->hist.reconnects;
}

/* A persistent peer is marked so; without its link (reconnecting, or an
 * attempt in flight) it is waiting. Caller holds bt6_lock.
 */
static void bt6_peer_info_persistent(const struct bt6_iface *iface,
				     struct bt6_peer_info *info)
{
	if (!bt6_persist_find_locked(iface, &info->addr, info->addr_type))
		return;
	info->persistent = true;
	if (info->state == BT6_PEER_RECONNECTING ||
	    info->state == BT6_PEER_CONNECTING)
		info->state = BT6_PEER_WAITING;
}

/* Calls @fn (which must not sleep: it runs under bt6_lock) for each peer,
 * lost peer being reconnected, failed connect and persistent peer waiting
 * for its adapter; stops when it returns
 * non-zero and returns that value.
 */
int bt6_ctl_for_each_peer(int (*fn)(const struct bt6_peer_info *info,
				    void *arg), void *arg)
{
	struct bt6_peer_info info;
	struct bt6_iface *iface;
	struct bt6_failed *f;
	struct bt6_want *want;
	struct bt6_peer *peer;
	int ret = 0;

	rcu_read_lock();
	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		list_for_each_entry(peer, &iface->peers, node) {
			bt6_ctl_peer_info(peer, &info);
			/* A reconnect attempt in flight: the lost peer's. */
			want = info.state == BT6_PEER_CONNECTING ?
			       bt6_want_find_locked(iface, &peer->addr,
						    peer->addr_type) : NULL;
			if (want) {
				info.state = BT6_PEER_RECONNECTING;
				info.stalls = want->hist.stalls;
				info.reconnects = want->hist.reconnects;
				/* why the attempt before this one failed */
				if (!info.last_err)
					info.last_err = want->last_err;
			}
			bt6_peer_info_persistent(iface, &info);
			ret = fn(&info, arg);
			if (ret)
				goto out;
		}
		list_for_each_entry(want, &iface->wants, node) {
			if (bt6_peer_find_locked(iface, &want->addr,
						 want->addr_type))
				continue;
			bt6_peer_info_want(iface, want, &info);
			bt6_peer_info_persistent(iface, &info);
			ret = fn(&info, arg);
			if (ret)
				goto out;
		}
	}
	list_for_each_entry(f, &bt6_failed_list, node) {
		memset(&info, 0, sizeof(info));
		bacpy(&info.addr, &f->addr);
		info.addr_type = f->addr_type;
		info.hdev_id = f->hdev_id;
		strscpy(info.ifname, "-", sizeof(info.ifname));
		info.state = BT6_PEER_FAILED;
		info.last_err = f->err;
		info.record = true;
		ret = fn(&info, arg);
		if (ret)
			goto out;
	}
	ret = bt6_persist_for_each_waiting(fn, arg);
out:
	spin_unlock_bh(&bt6_lock);
	rcu_read_unlock();
	return ret;
}

int bt6_ctl_init(bool enable, u16 psm)
{
	if (psm < BT6_PSM_MIN || psm > BT6_PSM_MAX)
		return -ERANGE;
	bt6_psm = psm;
	return bt6_ctl_set_enable(enable, false);
}

/* Module exit: stop listening, close every channel, wait until the core
 * released every channel of ours (no time-out: see bt6_chan_wait_released),
 * then remove the interfaces.
 */
void bt6_ctl_exit(void)
{
	WRITE_ONCE(bt6_exiting, true);
	bt6_want_forget(NULL, NULL, 0);

	/* No peer can be linked any more (bt6_peer_link checks bt6_exiting
	 * under bt6_lock); closing unlinks, so this ends.
	 */
	mutex_lock(&bt6_ctl);
	bt6_listen_set(false);
	bt6_close_matching(NULL, 0);
	mutex_unlock(&bt6_ctl);
	bt6_peers_wait_freed();

	/* No channel left to report a lost link: the last wants go now. */
	bt6_want_forget(NULL, NULL, 0);
	bt6_iface_shutdown_all();
	bt6_failed_forget(NULL, 0);
}
