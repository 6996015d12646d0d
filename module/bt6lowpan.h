/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt6lowpan: IPv6 over Bluetooth Low Energy (RFC 7668, IPSP).
 *
 * Internal header shared by every file of the module.
 *
 * Objects
 *   bt6_iface  one per HCI adapter that has (or had) peers; owns the
 *              "bt%d" net_device while it has peers or wants.
 *   bt6_peer   one per remote device and L2CAP LE credit based channel
 *              (one link: a reconnect makes a new peer).
 *   bt6_want   a lost router-role peer being reconnected (recover.c).
 *   bt6_park   a wanted peer of a removed adapter, kept by the adapter's
 *              BD_ADDR until an adapter with it is back (recover.c).
 *   bt6_persist a persistent peer (netlink peer-connect with the
 *              persistent flag), kept by the adapter's identity address
 *              until disconnected: given a want whenever it has neither
 *              a channel nor a want and its adapter is usable
 *              (recover.c).
 *
 * Lock order (outer first):
 *   bt6_ctl (mutex: control operations, netdev register/unregister,
 *            listening channel, reconnect attempts)
 *     -> bt6_netdev_lock (mutex, device.c: netdev (un)registration; also
 *        taken alone, under the Bluetooth device class's mutex, when an
 *        adapter's device is deleted)
 *       -> rtnl_lock
 *     -> hci_dev_lock -> l2cap conn lock (bt6_conn_lock()) ->
 *        l2cap_chan_lock (chan->lock, a mutex); we take the conn lock
 *        ourselves only around l2cap_chan_close() (bt6_chan_close_sync)
 *         -> bt6_lock (spinlock, BH safe: ifaces, peers, wants, parked
 *                      and persistent peers, failed connect records)
 *           -> peer->txq.lock (spinlock, BH safe)
 *
 * L2CAP channel callbacks run with the channel lock held (the new
 * connection callback with the listening channel's lock), from the HCI
 * RX work: they never take bt6_ctl, rtnl or a connection lock and never
 * sleep on anything but memory. Work that needs rtnl is deferred to
 * bt6_wq. The transmit path (BH) only takes bt6_lock-free RCU walks and
 * txq.lock; l2cap_chan_send() runs in the per peer tx work under the
 * channel lock.
 *
 * Lifetime
 *   peer: kref. References: the iface list (while linked: from attach
 *         or connect until the link goes down or a close is requested),
 *         chan->data (from ->new_connection or connect until the channel
 *         is torn down), each queued tx or watch work (a watchdog's timer
 *         included), and temporary holders (control operations). An
 *         incoming peer has no iface until ->ready attaches it; a refused
 *         one never gets linked. The last put defers the free to bt6_wq,
 *         which waits until the core holds no other reference on the
 *         channel, drops ours, and counts the peer out of bt6_peers_alive
 *         (peer.c): module exit waits for that count to reach zero.
 *   iface: kref. References: bt6_ifaces list, each peer, each want, the
 *         netdev, a queued linger_work (its timer included). The netdev
 *         stays while the iface has peers or wants, or lingers (node
 *         role, link lost). Freed by its free work, which counts it out
 *         of bt6_ifaces_alive (device.c): module exit waits for that
 *         count to reach zero, as a retired iface's linger timer may
 *         still be pending then.
 *   want: owned by its delayed work, which alone frees it (after it is
 *         marked dead and taken off the iface).
 *   park: on bt6_parked (bt6_lock) or on the park work's private list;
 *         freed by the park work, a disconnect or module exit.
 *   persist: on bt6_persist_list; freed by a disconnect, enable 0 with
 *         disconnect-all, or module exit.
 *   chan: each peer holds one reference on its channel for its whole
 *         life, and the listening channel is ours (control.c). Neither is
 *         let go while the core holds another reference, so no callback
 *         can be in flight when the ops table (our text) goes away.
 *         Where a deleted channel still holds its L2CAP connection, our
 *         last put drops that first, under hci_dev_lock (peer->hdev), as
 *         bt6_conn_put() explains (peer.c).
 *
 * Error-injection sites (ALLOW_ERROR_INJECTION, for fail_function and BPF
 * override; driven by tests/vm/scenarios/failfn.sh on the debug kernel):
 *   bt6_chan_new       NULL   peer.c     a channel for connect or listen
 *   bt6_peer_alloc     NULL   peer.c     a peer, router or node role
 *   bt6_chan_alloc_skb ERRNO  peer.c     a PDU buffer on transmit
 *   bt6_iface_alloc    NULL   device.c   an interface
 *   bt6_netdev_create  ERRNO  device.c   its netdev (retried every second)
 *   bt6_rx_make_room   ERRNO  receive.c  a private buffer on receive
 * Each is noinline (a probe needs a call) and changes nothing before it
 * can fail: skipping it whole must look like its own failure. Without
 * CONFIG_FUNCTION_ERROR_INJECTION (Debian's kernels) the list is empty.
 */
#ifndef BT6LOWPAN_H
#define BT6LOWPAN_H

#include <linux/error-injection.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <net/bluetooth/bluetooth.h>
#include <net/bluetooth/hci_core.h>
#include <net/bluetooth/l2cap.h>

#include "compat.h"

#define BT6_NAME		"bluetooth_6lowpan"
/* BT6_VERSION: dkms.conf's PACKAGE_VERSION, passed by Kbuild */
#define BT6_IFNAME		"bt%d"
#define BT6_MTU			1280	/* IPv6 minimum MTU, RFC 7668 */
#define BT6_PSM_DEFAULT		0x0023	/* LE_PSM_IPSP */
#define BT6_PSM_MIN		0x0001
#define BT6_PSM_MAX		0x00ff	/* end of the LE PSM range */

/* Per peer transmit queue limits, in packets. */
#define BT6_TXQ_STOP		32	/* stop the netdev queue */
#define BT6_TXQ_WAKE		8	/* wake it again */
#define BT6_TXQ_MAX		64	/* drop beyond (multicast copies) */

/* Recovery tunables: limits. */
#define BT6_STALL_MAX_MS	600000
#define BT6_RECONNECT_MIN_MS	1000
#define BT6_RECONNECT_MAX_MS	3600000

/* How long the L2CAP core may wait for a connect/disconnect answer. */
#define BT6_CHAN_TIMEOUT_MS	10000
#define BT6_EXIT_TIMEOUT_MS	1000
/* A node-role interface whose link was lost (not closed on request) keeps
 * its netdev, ifindex and addresses this long for the peer to come back.
 */
#define BT6_NODE_LINGER_MS	60000
/* Bounded wait at exit for the core to release our channels. */
#define BT6_EXIT_WAIT_MS	5000

enum bt6_peer_state {
	BT6_PEER_CONNECTING,	/* router role: L2CAP connect in progress */
	BT6_PEER_CONNECTED,
	BT6_PEER_STALLED,	/* issue 4: no transmit progress */
	BT6_PEER_RECONNECTING,	/* issue 4: waiting to reconnect */
	BT6_PEER_CLOSING,	/* disconnect requested, waiting for core */
	BT6_PEER_CLOSED,	/* channel torn down, being freed */
	BT6_PEER_FAILED,	/* router connect failed (a record only) */
	BT6_PEER_WAITING,	/* persistent, no link (a record only) */
};

struct bt6_stats {
	atomic_long_t rx_packets;
	atomic_long_t rx_bytes;
	atomic_long_t rx_errors;
	atomic_long_t rx_dropped;
	atomic_long_t tx_packets;
	atomic_long_t tx_bytes;
	atomic_long_t tx_errors;
	atomic_long_t tx_dropped;
};

/* What a router-role peer keeps across a reconnect (in its want while
 * the link is away). bt6_lock.
 */
struct bt6_peer_hist {
	u32 stalls;
	u32 reconnects;
};

struct bt6_iface {
	struct list_head node;		/* bt6_ifaces: bt6_lock, RCU */
	struct kref ref;
	struct hci_dev *hdev;		/* const; we hold a reference */
	int hdev_id;			/* const */
	u8 lladdr[ETH_ALEN];		/* const: our LE identity address,
					 * big endian
					 */
	struct net_device __rcu *netdev; /* written under bt6_ctl, RCU */
	struct list_head peers;		/* bt6_lock, RCU */
	unsigned int npeers;		/* bt6_lock */
	unsigned int nconnected;	/* bt6_lock; READ_ONCE in xmit */
	struct list_head wants;		/* struct bt6_want: bt6_lock */
	unsigned int nwants;		/* bt6_lock */
	bool dead;			/* bt6_lock: off bt6_ifaces */
	unsigned long linger_until;	/* bt6_lock: keep the netdev, 0: no */
	struct delayed_work linger_work; /* recheck a lingering or missing netdev */
	struct work_struct netdev_work;	/* reconcile netdev with peers */
	struct work_struct free_work;
	struct rcu_head rcu;
	struct bt6_stats stats;		/* atomic */
};

struct bt6_peer {
	struct list_head node;		/* iface->peers: bt6_lock, RCU */
	struct rcu_head rcu;
	struct kref ref;
	struct bt6_iface *iface;	/* reference held; NULL until an
					 * incoming channel is attached (in
					 * ->ready), then const
					 */
	struct l2cap_chan *chan;	/* const; reference held */
	struct hci_dev *hdev;		/* set once in ->teardown if the
					 * channel had a connection, then
					 * held: its adapter, whose lock the
					 * last put of that connection takes
					 * (bt6_chan_put_last)
					 */
	bdaddr_t addr;			/* const */
	u8 addr_type;			/* const: BDADDR_LE_PUBLIC/RANDOM */
	u8 lladdr[ETH_ALEN];		/* const: addr big endian */
	bool router;			/* const: we connected (wanted) */
	bool linked;			/* bt6_lock: on iface->peers */
	bool counted;			/* bt6_lock: in iface->nconnected */
	bool refused;			/* set once: an incoming channel that
					 * could not be attached, closing
					 */
	enum bt6_peer_state state;	/* bt6_lock; READ_ONCE for show */
	int last_err;			/* bt6_lock; READ_ONCE for show */
	u16 psm;			/* const: PSM used to connect */
	unsigned long since;		/* const: jiffies at creation */
	unsigned long up_since;		/* bt6_lock: jiffies when connected */
	struct bt6_peer_hist hist;	/* bt6_lock */
	struct bt6_stats stats;		/* atomic: this peer's traffic */
	struct sk_buff_head txq;	/* own lock; tx_dead under it */
	bool tx_dead;			/* txq.lock */
	bool tx_starved;		/* watch_work; READ_ONCE: no transmit
					 * progress, may not stop the queue
					 */
	struct work_struct tx_work;	/* runs under l2cap_chan_lock */
	struct work_struct free_work;
	unsigned long tx_sent;		/* chan lock: SDUs handed to L2CAP */
	struct sk_buff *rx_last;	/* chan lock: the last reassembled SDU,
					 * which the core may still read
					 */
	struct bt6_credit_ident credit_ident;	/* chan lock (compat.h) */
	/* Stall watchdog state, only touched by watch_work (chan lock). */
	struct delayed_work watch_work;
	unsigned long stall_since;	/* jiffies, 0: not pending */
	unsigned int watch_qlen;
	unsigned long watch_sent;
};

/* A router-role peer whose link was lost (not by request) and that we
 * reconnect with exponential backoff. It keeps the iface, and so the
 * netdev with its addresses, while the link is away.
 */
struct bt6_want {
	struct list_head node;		/* iface->wants: bt6_lock */
	struct bt6_iface *iface;	/* const; reference held */
	bdaddr_t addr;			/* const */
	u8 addr_type;			/* const */
	bool dead;			/* bt6_lock: forgotten; work frees */
	int last_err;			/* bt6_lock */
	unsigned int attempts;		/* bt6_lock */
	unsigned long since;		/* const: jiffies when lost */
	struct bt6_peer_hist hist;	/* bt6_lock: the lost peer's */
	struct delayed_work work;	/* the only one to free the want */
};

/* main.c */
extern struct workqueue_struct *bt6_wq;
extern struct mutex bt6_ctl;
extern spinlock_t bt6_lock;
extern struct list_head bt6_ifaces;
extern bool bt6_exiting;		/* READ_ONCE; set once at exit */
/* Tunables, READ_ONCE/WRITE_ONCE (sysfs and module parameters). */
extern unsigned int bt6_stall_timeout_ms;	/* 0: no stall detection */
extern bool bt6_auto_reconnect;
extern unsigned int bt6_reconnect_max_ms;

/* device.c */
struct bt6_iface *bt6_iface_get(struct hci_dev *hdev, gfp_t gfp);
void bt6_iface_put(struct bt6_iface *iface);
void bt6_iface_kick(struct bt6_iface *iface);
void bt6_iface_shutdown_all(void);
void bt6_ifaces_wait_freed(void);
struct bt6_iface *bt6_netdev_iface(const struct net_device *dev);
void bt6_stat_add(atomic_long_t *ctr, long val);
void bt6_carrier_update(struct bt6_iface *iface);
void bt6_iface_linger(struct bt6_iface *iface);
void bt6_device_exit(void);
u8 bt6_hdev_identity(struct hci_dev *hdev, bdaddr_t *addr);

/* peer.c */
extern const struct l2cap_ops bt6_chan_ops;
struct bt6_peer *bt6_peer_find(struct bt6_iface *iface, const bdaddr_t *addr,
			       u8 addr_type);
struct bt6_peer *bt6_peer_find_locked(struct bt6_iface *iface,
				      const bdaddr_t *addr, u8 addr_type);
void bt6_peer_get(struct bt6_peer *peer);
void bt6_peer_put(struct bt6_peer *peer);
int bt6_peer_connect(struct hci_dev *hdev, const bdaddr_t *addr, u8 type,
		     u16 psm, bool announce);
void bt6_peer_close(struct bt6_peer *peer, int reason);
struct l2cap_chan *bt6_listen_start(u16 psm, int *err);
void bt6_listen_stop(struct l2cap_chan *chan);
void bt6_chan_wait_released(struct l2cap_chan *chan, unsigned int refs);
void bt6_peers_wait_freed(void);
void bt6_wait_all_freed(atomic_t *alive, const char *what);
const char *bt6_state_name(enum bt6_peer_state state);

/* recover.c: stall watchdog and reconnection */
void bt6_watch_init(struct bt6_peer *peer);
void bt6_watch_start(struct bt6_peer *peer);
void bt6_watch_cancel(struct bt6_peer *peer);
void bt6_peer_stall(struct bt6_peer *peer, const char *why);
bool bt6_want_link_down(struct bt6_peer *peer, enum bt6_peer_state was,
			int err);
void bt6_want_link_up(struct bt6_peer *peer);
struct bt6_want *bt6_want_find_locked(struct bt6_iface *iface,
				      const bdaddr_t *addr, u8 type);
bool bt6_want_forget(struct bt6_iface *iface, const bdaddr_t *addr, u8 type);
bool bt6_want_kick(const bdaddr_t *addr, u8 type);
void bt6_want_park(struct bt6_iface *iface);
void bt6_park_exit(void);
#define BT6_PERSIST_MAX		64
bool bt6_persist_find_locked(const struct bt6_iface *iface,
			     const bdaddr_t *addr, u8 type);
int bt6_persist_add(struct hci_dev *hdev, const bdaddr_t *addr, u8 type);
void bt6_persist_ensure(struct hci_dev *hdev, const bdaddr_t *addr, u8 type);
struct bt6_peer_info;
int bt6_persist_for_each_waiting(int (*fn)(const struct bt6_peer_info *info,
					   void *arg), void *arg);
void bt6_chan_close_sync(struct l2cap_chan *chan, int reason, bool drop_link);
void bt6_conn_put(struct l2cap_conn *conn, struct hci_dev *hdev);

/* send.c */
netdev_tx_t bt6_xmit(struct sk_buff *skb, struct net_device *dev);
int bt6_header_create(struct sk_buff *skb, struct net_device *dev,
		      unsigned short type, const void *daddr,
		      const void *saddr, unsigned int len);
void bt6_tx_work(struct work_struct *work);
void bt6_peer_kick(struct bt6_peer *peer);
void bt6_tx_wake(struct bt6_peer *peer);
void bt6_iface_wake(struct bt6_iface *iface);
void bt6_tx_purge(struct bt6_peer *peer);
/* Counts on the peer and on its interface alike; @off: BT6_STAT(field). */
#define BT6_STAT(field)	offsetof(struct bt6_stats, field)
void bt6_peer_stat(struct bt6_peer *peer, size_t off, long val);

/* receive.c */
int bt6_recv(struct bt6_peer *peer, struct sk_buff *skb);

/* control.c: one code path per operation, for every control interface */
struct bt6_peer_info {
	bdaddr_t addr;
	u8 addr_type;
	int hdev_id;
	char ifname[IFNAMSIZ];
	enum bt6_peer_state state;
	int last_err;
	bool record;		/* no channel: a failed or lost peer */
	bool persistent;	/* a persistent peer (connect --persistent) */
	bool up;		/* connected or stalled: up_ms is valid */
	u64 up_ms;		/* how long the link has been up */
	u64 tx_packets, tx_bytes, rx_packets, rx_bytes;
	u64 drops;		/* tx and rx, dropped or in error */
	u32 stalls, reconnects;
};

int bt6_ctl_connect(const bdaddr_t *addr, u8 type, int hdev_id,
		    bool persistent);
int bt6_ctl_disconnect(const bdaddr_t *addr, u8 type);
int bt6_ctl_recover(const bdaddr_t *addr, u8 type);
int bt6_ctl_set_enable(bool enable, bool disconnect_all);
bool bt6_ctl_get_enable(void);
int bt6_ctl_set_psm(u16 psm);
u16 bt6_ctl_get_psm(void);
/* Recovery tunables: -ERANGE out of range (the check alone: _check_). */
int bt6_ctl_check_stall_timeout(unsigned int ms);
int bt6_ctl_set_stall_timeout(unsigned int ms);
unsigned int bt6_ctl_get_stall_timeout(void);
void bt6_ctl_set_auto_reconnect(bool on);
bool bt6_ctl_get_auto_reconnect(void);
int bt6_ctl_check_reconnect_max(unsigned int ms);
int bt6_ctl_set_reconnect_max(unsigned int ms);
unsigned int bt6_ctl_get_reconnect_max(void);
void bt6_ctl_peer_info(const struct bt6_peer *peer,
		       struct bt6_peer_info *info);
int bt6_ctl_for_each_peer(int (*fn)(const struct bt6_peer_info *info,
				    void *arg), void *arg);
void bt6_failed_record(const struct bt6_peer *peer, int err);
int bt6_ctl_init(bool enable, u16 psm);
void bt6_ctl_exit(void);

/* parse helpers (control.c) */
int bt6_parse_bdaddr(const char *s, size_t len, bdaddr_t *addr);

/* sysfs.c */
int bt6_sysfs_init(void);
void bt6_sysfs_exit(void);

/* debugfs.c */
void bt6_debugfs_init(void);
void bt6_debugfs_exit(void);

#endif /* BT6LOWPAN_H */
