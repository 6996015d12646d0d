// SPDX-License-Identifier: GPL-2.0
/*
 * Per adapter interface: the "bt%d" net_device and its lifetime, which is
 * kept separate from the lifetime of the links (peers) behind it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include <net/6lowpan.h>
#include <net/pkt_sched.h>

#include "bt6lowpan.h"
#include "compat.h"

/* Registers and unregisters our netdevs (inside bt6_ctl, outside rtnl):
 * also taken, without bt6_ctl, when an adapter's device is deleted.
 */
static DEFINE_MUTEX(bt6_netdev_lock);

struct bt6_netpriv {
	struct bt6_iface *iface;	/* reference held, dropped at free */
};

static struct bt6_netpriv *bt6_netpriv(const struct net_device *dev)
{
	return (struct bt6_netpriv *)lowpan_dev(dev)->priv;
}

struct bt6_iface *bt6_netdev_iface(const struct net_device *dev)
{
	return bt6_netpriv(dev)->iface;
}

void bt6_stat_add(atomic_long_t *ctr, long val)
{
	atomic_long_add(val, ctr);
}

/* Allocated and not yet freed: module exit waits for zero. */
static atomic_t bt6_ifaces_alive = ATOMIC_INIT(0);

static void bt6_iface_free(struct bt6_iface *iface)
{
	hci_dev_put(iface->hdev);
	kfree_rcu(iface, rcu);
	if (atomic_dec_and_test(&bt6_ifaces_alive))
		wake_up_var(&bt6_ifaces_alive);
}

static void bt6_iface_free_work(struct work_struct *work)
{
	bt6_iface_free(container_of(work, struct bt6_iface, free_work));
}

/* Module exit, after bt6_iface_shutdown_all(): an iface retired earlier
 * may still be held by its linger_work's timer (up to a second), whose
 * work must run before bt6_wq goes.
 */
void bt6_ifaces_wait_freed(void)
{
	bt6_wait_all_freed(&bt6_ifaces_alive, "interface(s) still referenced");
}

static void bt6_iface_release(struct kref *ref)
{
	struct bt6_iface *iface = container_of(ref, struct bt6_iface, ref);

	/* May run in atomic context (xmit, callbacks): defer the hci_dev put,
	 * which can be the last one and then sleeps.
	 */
	queue_work(bt6_wq, &iface->free_work);
}

void bt6_iface_put(struct bt6_iface *iface)
{
	kref_put(&iface->ref, bt6_iface_release);
}

static struct bt6_iface *bt6_iface_lookup_locked(struct hci_dev *hdev)
{
	struct bt6_iface *iface;

	list_for_each_entry(iface, &bt6_ifaces, node) {
		if (iface->hdev == hdev && !iface->dead)
			return iface;
	}
	return NULL;
}

static void bt6_iface_netdev_work(struct work_struct *work);

static void bt6_iface_linger_work(struct work_struct *work)
{
	struct bt6_iface *iface = container_of(to_delayed_work(work),
					       struct bt6_iface, linger_work);

	bt6_iface_kick(iface);
	bt6_iface_put(iface);	/* the queued work's */
}

/* A node-role link of @iface was lost: keep the netdev for a while. */
void bt6_iface_linger(struct bt6_iface *iface)
{
	spin_lock_bh(&bt6_lock);
	iface->linger_until = jiffies + msecs_to_jiffies(BT6_NODE_LINGER_MS);
	if (!iface->linger_until)
		iface->linger_until = 1;
	spin_unlock_bh(&bt6_lock);
}

/* Run the netdev work of @iface again after @delay (linger_work). */
static void bt6_iface_recheck(struct bt6_iface *iface, unsigned long delay)
{
	kref_get(&iface->ref);
	if (mod_delayed_work(bt6_wq, &iface->linger_work, delay))
		bt6_iface_put(iface);	/* was queued: it has its reference */
}

/* Caller holds bt6_ctl. Should the peerless netdev of @iface stay? If so,
 * look again within a second (the adapter may go meanwhile).
 */
static bool bt6_iface_lingers(struct bt6_iface *iface)
{
	unsigned long until;

	spin_lock_bh(&bt6_lock);
	until = iface->linger_until;
	if (until && (time_after_eq(jiffies, until) || iface->dead ||
		      READ_ONCE(bt6_exiting) ||
		      hci_dev_test_flag(iface->hdev, HCI_UNREGISTER))) {
		iface->linger_until = 0;
		until = 0;
	}
	spin_unlock_bh(&bt6_lock);
	if (!until)
		return false;

	bt6_iface_recheck(iface, min_t(unsigned long, until - jiffies, HZ));
	return true;
}

/* The adapter's LE identity address, as the core picks it: the static
 * random address when it is forced, when there is no public address, or
 * when BR/EDR is off and a static address is set; else the public one.
 * Returns BDADDR_LE_PUBLIC or BDADDR_LE_RANDOM.
 */
u8 bt6_hdev_identity(struct hci_dev *hdev, bdaddr_t *addr)
{
	if (hci_dev_test_flag(hdev, HCI_FORCE_STATIC_ADDR) ||
	    !bacmp(&hdev->bdaddr, BDADDR_ANY) ||
	    (!hci_dev_test_flag(hdev, HCI_BREDR_ENABLED) &&
	     bacmp(&hdev->static_addr, BDADDR_ANY))) {
		bacpy(addr, &hdev->static_addr);
		return BDADDR_LE_RANDOM;
	}
	bacpy(addr, &hdev->bdaddr);
	return BDADDR_LE_PUBLIC;
}

static noinline struct bt6_iface *bt6_iface_alloc(struct hci_dev *hdev,
						  gfp_t gfp)
{
	struct bt6_iface *iface;
	bdaddr_t id;
	int i;

	iface = kzalloc(sizeof(*iface), gfp);
	if (!iface)
		return NULL;

	atomic_inc(&bt6_ifaces_alive);
	kref_init(&iface->ref);
	iface->hdev = hci_dev_hold(hdev);
	iface->hdev_id = hdev->id;
	/* RFC 7668: the IID comes from the address the peer knows us by. */
	bt6_hdev_identity(hdev, &id);
	for (i = 0; i < ETH_ALEN; i++)
		iface->lladdr[i] = id.b[ETH_ALEN - 1 - i];
	INIT_LIST_HEAD(&iface->peers);
	INIT_LIST_HEAD(&iface->wants);
	INIT_WORK(&iface->netdev_work, bt6_iface_netdev_work);
	INIT_DELAYED_WORK(&iface->linger_work, bt6_iface_linger_work);
	INIT_WORK(&iface->free_work, bt6_iface_free_work);
	return iface;
}
ALLOW_ERROR_INJECTION(bt6_iface_alloc, NULL);

/* Returns the live iface of @hdev with a reference, creating it. */
struct bt6_iface *bt6_iface_get(struct hci_dev *hdev, gfp_t gfp)
{
	struct bt6_iface *iface, *fresh;

	spin_lock_bh(&bt6_lock);
	iface = bt6_iface_lookup_locked(hdev);
	if (iface)
		kref_get(&iface->ref);
	spin_unlock_bh(&bt6_lock);
	if (iface)
		return iface;

	fresh = bt6_iface_alloc(hdev, gfp);
	if (!fresh)
		return NULL;

	spin_lock_bh(&bt6_lock);
	iface = bt6_iface_lookup_locked(hdev);
	if (iface) {
		kref_get(&iface->ref);
	} else {
		iface = fresh;
		fresh = NULL;
		list_add_tail_rcu(&iface->node, &bt6_ifaces);
		kref_get(&iface->ref);	/* the caller's; kref_init's is the list's */
	}
	spin_unlock_bh(&bt6_lock);

	if (fresh)
		bt6_iface_free(fresh);
	return iface;
}

/* Reconcile the netdev with the peers, from process context. */
void bt6_iface_kick(struct bt6_iface *iface)
{
	kref_get(&iface->ref);
	if (!queue_work(bt6_wq, &iface->netdev_work))
		bt6_iface_put(iface);
}

static void bt6_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *st)
{
	struct bt6_stats *s = &bt6_netdev_iface(dev)->stats;

	st->rx_packets = atomic_long_read(&s->rx_packets);
	st->rx_bytes = atomic_long_read(&s->rx_bytes);
	st->rx_errors = atomic_long_read(&s->rx_errors);
	st->rx_dropped = atomic_long_read(&s->rx_dropped);
	st->tx_packets = atomic_long_read(&s->tx_packets);
	st->tx_bytes = atomic_long_read(&s->tx_bytes);
	st->tx_errors = atomic_long_read(&s->tx_errors);
	st->tx_dropped = atomic_long_read(&s->tx_dropped);
}

static const struct net_device_ops bt6_netdev_ops = {
	.ndo_start_xmit		= bt6_xmit,
	.ndo_get_stats64	= bt6_get_stats64,
};

static const struct header_ops bt6_header_ops = {
	.create	= bt6_header_create,
};

static const struct device_type bt6_devtype = {
	.name	= "bluetooth",
};

static void bt6_netdev_destructor(struct net_device *dev)
{
	struct bt6_netpriv *priv = bt6_netpriv(dev);

	if (priv->iface) {
		bt6_iface_put(priv->iface);
		priv->iface = NULL;
	}
}

static void bt6_netdev_setup(struct net_device *dev)
{
	dev->hard_header_len	= 0;
	dev->needed_headroom	= 16;	/* next hop stash, see send.c */
	dev->needed_tailroom	= 0;
	dev->flags		= IFF_MULTICAST;
	dev->watchdog_timeo	= 0;
	dev->tx_queue_len	= DEFAULT_TX_QUEUE_LEN;
	dev->mtu		= BT6_MTU;
	dev->min_mtu		= BT6_MTU;
	dev->max_mtu		= BT6_MTU;
	dev->addr_len		= ETH_ALEN;
	dev->addr_assign_type	= NET_ADDR_PERM;
	dev->netdev_ops		= &bt6_netdev_ops;
	dev->header_ops		= &bt6_header_ops;
	dev->needs_free_netdev	= true;
	dev->priv_destructor	= bt6_netdev_destructor;
	memset(dev->broadcast, 0xff, ETH_ALEN);
}

/* Caller holds bt6_netdev_lock. */
static noinline int bt6_netdev_create(struct bt6_iface *iface)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(LOWPAN_PRIV_SIZE(sizeof(struct bt6_netpriv)),
			   BT6_IFNAME, NET_NAME_ENUM, bt6_netdev_setup);
	if (!dev)
		return -ENOMEM;

	kref_get(&iface->ref);
	bt6_netpriv(dev)->iface = iface;
	dev_addr_set(dev, iface->lladdr);
	SET_NETDEV_DEV(dev, &iface->hdev->dev);
	SET_NETDEV_DEVTYPE(dev, &bt6_devtype);

	err = lowpan_register_netdev(dev, LOWPAN_LLTYPE_BTLE);
	if (err < 0) {
		/* Some kernels run the destructor on this path already. */
		bt6_netdev_destructor(dev);
		free_netdev(dev);
		/* (retried every second while its peers stay: rate-limited) */
		pr_err_ratelimited("%s: cannot register the network interface (%d)\n",
				   iface->hdev->name, err);
		return err;
	}

	rtnl_lock();
	err = dev_open(dev, NULL);
	rtnl_unlock();
	if (err < 0)
		pr_info("%s: cannot bring %s up (%d)\n", iface->hdev->name,
			dev->name, err);

	rcu_assign_pointer(iface->netdev, dev);
	pr_info("%s: interface %s created\n", iface->hdev->name, dev->name);
	return 0;
}
ALLOW_ERROR_INJECTION(bt6_netdev_create, ERRNO);

/* Caller holds bt6_netdev_lock. */
static void bt6_netdev_destroy(struct bt6_iface *iface)
{
	struct net_device *dev;

	dev = rcu_dereference_protected(iface->netdev,
					lockdep_is_held(&bt6_netdev_lock));
	if (!dev)
		return;

	RCU_INIT_POINTER(iface->netdev, NULL);
	synchronize_net();
	pr_info("%s: interface %s removed\n", iface->hdev->name, dev->name);
	lowpan_unregister_netdev(dev);
}

/* Caller holds bt6_netdev_lock. */
void bt6_carrier_update(struct bt6_iface *iface)
{
	struct net_device *dev;
	bool on;

	dev = rcu_dereference_protected(iface->netdev,
					lockdep_is_held(&bt6_netdev_lock));
	if (!dev)
		return;

	spin_lock_bh(&bt6_lock);
	on = iface->nconnected > 0;
	spin_unlock_bh(&bt6_lock);

	if (on && !netif_carrier_ok(dev))
		netif_carrier_on(dev);
	else if (!on && netif_carrier_ok(dev))
		netif_carrier_off(dev);
}

/* Caller holds bt6_ctl. Takes @iface off the list once nothing uses it. */
static bool bt6_iface_retire(struct bt6_iface *iface, bool force)
{
	bool put = false;

	spin_lock_bh(&bt6_lock);
	if (!iface->dead && (force || (!iface->npeers && !iface->nwants)) &&
	    !rcu_access_pointer(iface->netdev)) {
		iface->dead = true;
		list_del_rcu(&iface->node);
		put = true;
	}
	spin_unlock_bh(&bt6_lock);
	return put;
}

/* An adapter's device is being deleted (hci_unregister_dev()): our netdev,
 * its child in sysfs, must be gone before the parent's directory is, or
 * the netdev's own sysfs removal warns. Called under the device class's
 * mutex, without hci_dev_lock; we take bt6_netdev_lock, never bt6_ctl (a
 * bt6_ctl holder may wait for hci_dev_lock, whose holder may wait for the
 * class mutex to add a connection's device).
 *
 * Also while the module unloads: bt6_iface_shutdown_all() removes the
 * netdevs only once every peer is freed, and an adapter removed before
 * then would leave its netdev behind in sysfs (the stress on 6.1: "sysfs
 * group 'power' not found for kobject 'bt1'"). Exit cannot hold us up:
 * it takes bt6_netdev_lock under bt6_ctl and never the class mutex
 * (bt6_device_exit() does, after the netdevs are gone), and parking is
 * off while exiting (bt6_park_locked()).
 */
static void bt6_hdev_removed(struct device *dev)
{
	struct bt6_iface *iface, *found = NULL;

	spin_lock_bh(&bt6_lock);
	list_for_each_entry(iface, &bt6_ifaces, node) {
		if (&iface->hdev->dev == dev && !iface->dead) {
			kref_get(&iface->ref);
			found = iface;
			break;
		}
	}
	spin_unlock_bh(&bt6_lock);
	if (!found)
		return;

	bt6_want_park(found);
	mutex_lock(&bt6_netdev_lock);
	spin_lock_bh(&bt6_lock);
	found->linger_until = 0;
	spin_unlock_bh(&bt6_lock);
	/* Nothing to linger for: the adapter is gone. */
	if (cancel_delayed_work(&found->linger_work))
		bt6_iface_put(found);
	bt6_netdev_destroy(found);
	mutex_unlock(&bt6_netdev_lock);
	bt6_iface_kick(found);	/* retire it */
	bt6_iface_put(found);
}

#if BT6_HAVE_CLASS_INTF_ARG
static void bt6_class_remove_dev(struct device *dev,
				 struct class_interface *intf)
{
	bt6_hdev_removed(dev);
}
#else
static void bt6_class_remove_dev(struct device *dev)
{
	bt6_hdev_removed(dev);
}
#endif

static struct class_interface bt6_class_intf = {
	.remove_dev = bt6_class_remove_dev,
};

/* Caller holds bt6_ctl (not bt6_netdev_lock: the class mutex comes
 * first). The Bluetooth device class is not exported: take it from an
 * adapter, once.
 */
static void bt6_class_watch(struct bt6_iface *iface)
{
	if (bt6_class_intf.class)
		return;
	bt6_class_intf.class = iface->hdev->dev.class;
	if (class_interface_register(&bt6_class_intf)) {
		pr_warn("cannot watch adapter removal\n");
		bt6_class_intf.class = NULL;
	}
}

/* Module exit, after every netdev is gone. */
void bt6_device_exit(void)
{
	if (bt6_class_intf.class)
		class_interface_unregister(&bt6_class_intf);
}

static void bt6_iface_netdev_work(struct work_struct *work)
{
	struct bt6_iface *iface = container_of(work, struct bt6_iface,
					       netdev_work);
	unsigned int npeers, nconnected;
	struct net_device *dev;
	bool put;

	/* The adapter is going away: its wanted peers wait for it to be
	 * back (by address), not on this iface.
	 */
	if (hci_dev_test_flag(iface->hdev, HCI_UNREGISTER))
		bt6_want_park(iface);

	mutex_lock(&bt6_ctl);
	spin_lock_bh(&bt6_lock);
	npeers = iface->npeers + iface->nwants;
	nconnected = iface->nconnected;
	if (npeers)
		iface->linger_until = 0;
	spin_unlock_bh(&bt6_lock);

	if (nconnected)
		bt6_class_watch(iface);
	mutex_lock(&bt6_netdev_lock);
	dev = rcu_dereference_protected(iface->netdev,
					lockdep_is_held(&bt6_netdev_lock));
	if (!dev && nconnected && !iface->dead && !READ_ONCE(bt6_exiting) &&
	    !hci_dev_test_flag(iface->hdev, HCI_UNREGISTER)) {
		/* Out of memory, most likely: the peers stay connected and
		 * need the interface, so try again in a second.
		 */
		if (bt6_netdev_create(iface))
			bt6_iface_recheck(iface, HZ);
	} else if (dev && !npeers && !bt6_iface_lingers(iface)) {
		bt6_netdev_destroy(iface);
		/* Not lingering any more: its next look is not needed (we
		 * hold the kick's reference, so this put is never the last).
		 */
		if (cancel_delayed_work(&iface->linger_work))
			bt6_iface_put(iface);
	}
	bt6_carrier_update(iface);
	put = bt6_iface_retire(iface, false);
	mutex_unlock(&bt6_netdev_lock);
	mutex_unlock(&bt6_ctl);

	if (put)
		bt6_iface_put(iface);
	bt6_iface_put(iface);	/* bt6_iface_kick() */
}

/* Module exit: remove every netdev and forget every iface. Peers still
 * linked keep their iface alive until they are freed.
 */
void bt6_iface_shutdown_all(void)
{
	struct bt6_iface *iface;
	bool put;

	mutex_lock(&bt6_ctl);
	for (;;) {
		spin_lock_bh(&bt6_lock);
		iface = list_first_entry_or_null(&bt6_ifaces, struct bt6_iface,
						 node);
		if (iface)
			kref_get(&iface->ref);
		spin_unlock_bh(&bt6_lock);
		if (!iface)
			break;

		spin_lock_bh(&bt6_lock);
		iface->linger_until = 0;
		spin_unlock_bh(&bt6_lock);
		if (cancel_delayed_work_sync(&iface->linger_work))
			bt6_iface_put(iface);
		mutex_lock(&bt6_netdev_lock);
		bt6_netdev_destroy(iface);
		put = bt6_iface_retire(iface, true);
		mutex_unlock(&bt6_netdev_lock);
		if (put)
			bt6_iface_put(iface);
		bt6_iface_put(iface);
	}
	mutex_unlock(&bt6_ctl);
}
