// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit path: choose the peer(s), compress (IPHC), queue per peer, and
 * send from a work item under the channel lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/ipv6.h>
#include <linux/uio.h>

#include <net/6lowpan.h>
#include <net/ipv6.h>

#include "bt6lowpan.h"
#include "compat.h"

/* The neighbour's link-layer address handed to header_ops->create() is
 * kept in front of skb->data: the qdisc in between may use skb->cb, but
 * it leaves the headroom alone (net/ieee802154/6lowpan does the same).
 */
struct bt6_skb_info {
	u32 magic;
	u8 daddr[ETH_ALEN];
	u8 pad[2];
};

#define BT6_SKB_MAGIC	0x62743673	/* "bt6s" */

int bt6_header_create(struct sk_buff *skb, struct net_device *dev,
		      unsigned short type, const void *daddr,
		      const void *saddr, unsigned int len)
{
	struct bt6_skb_info info = { .magic = BT6_SKB_MAGIC };

	if (type != ETH_P_IPV6)
		return -EINVAL;
	if (skb_cow_head(skb, sizeof(info)))
		return -ENOMEM;

	if (daddr)
		memcpy(info.daddr, daddr, ETH_ALEN);
	else
		eth_broadcast_addr(info.daddr);
	memcpy(skb->data - sizeof(info), &info, sizeof(info));
	return 0;
}

static bool bt6_skb_next_hop(const struct sk_buff *skb, u8 *daddr)
{
	struct bt6_skb_info info;

	if (skb_headroom(skb) < sizeof(info))
		return false;
	memcpy(&info, skb->data - sizeof(info), sizeof(info));
	if (info.magic != BT6_SKB_MAGIC)
		return false;
	ether_addr_copy(daddr, info.daddr);
	return true;
}

static bool bt6_peer_up(const struct bt6_peer *peer)
{
	enum bt6_peer_state state = READ_ONCE(peer->state);

	return state == BT6_PEER_CONNECTED || state == BT6_PEER_STALLED;
}

/* Caller holds rcu_read_lock(). */
static struct bt6_peer *bt6_peer_by_lladdr(struct bt6_iface *iface,
					   const u8 *lladdr)
{
	struct bt6_peer *peer;

	list_for_each_entry_rcu(peer, &iface->peers, node) {
		if (bt6_peer_up(peer) && ether_addr_equal(peer->lladdr, lladdr))
			return peer;
	}
	return NULL;
}

/* Fallback when no link-layer next hop came with the packet: match the
 * interface identifier (RFC 7668 derives it from the BD_ADDR), else the
 * only peer if there is exactly one.
 */
static struct bt6_peer *bt6_peer_by_ip(struct bt6_iface *iface,
				       const struct in6_addr *daddr)
{
	struct bt6_peer *peer, *only = NULL;
	struct in6_addr ll;
	unsigned int n = 0;

	list_for_each_entry_rcu(peer, &iface->peers, node) {
		if (!bt6_peer_up(peer))
			continue;
		lowpan_iphc_uncompress_eui48_lladdr(&ll, peer->lladdr);
		if (!memcmp(&ll.s6_addr[8], &daddr->s6_addr[8], 8))
			return peer;
		only = peer;
		n++;
	}
	return n == 1 ? only : NULL;
}

void bt6_peer_stat(struct bt6_peer *peer, size_t off, long val)
{
	bt6_stat_add((atomic_long_t *)((char *)&peer->stats + off), val);
	bt6_stat_add((atomic_long_t *)((char *)&peer->iface->stats + off),
		     val);
}

void bt6_peer_kick(struct bt6_peer *peer)
{
	if (!kref_get_unless_zero(&peer->ref))
		return;
	if (!queue_work(bt6_wq, &peer->tx_work))
		bt6_peer_put(peer);
}

/* Back-pressure is per peer. The netdev has one queue, and stopping it
 * holds back every peer's packets: it is stopped only while this peer is
 * the interface's only connected one and still takes data. A peer that
 * made no progress for a watchdog round is "starved" (recover.c) and never
 * stops the queue; with several peers a full peer queue drops and counts.
 */
static bool bt6_may_stop(const struct bt6_peer *peer)
{
	return READ_ONCE(peer->iface->nconnected) <= 1 &&
	       !READ_ONCE(peer->tx_starved);
}

/* Wake the interface's netdev queue if it is stopped; e.g. the set of
 * peers changed, and no peer may keep it stopped for itself any more.
 */
void bt6_iface_wake(struct bt6_iface *iface)
{
	struct net_device *dev;

	rcu_read_lock();
	dev = rcu_dereference(iface->netdev);
	if (dev && netif_queue_stopped(dev))
		netif_wake_queue(dev);
	rcu_read_unlock();
}

/* Wake the netdev queue if this peer may not (or no longer) hold it. */
void bt6_tx_wake(struct bt6_peer *peer)
{
	if (skb_queue_len(&peer->txq) < BT6_TXQ_WAKE || !bt6_may_stop(peer))
		bt6_iface_wake(peer->iface);
}

void bt6_tx_purge(struct bt6_peer *peer)
{
	struct sk_buff_head list;

	__skb_queue_head_init(&list);
	spin_lock_bh(&peer->txq.lock);
	peer->tx_dead = true;
	skb_queue_splice_init(&peer->txq, &list);
	spin_unlock_bh(&peer->txq.lock);

	if (!skb_queue_empty(&list))
		bt6_peer_stat(peer, BT6_STAT(tx_dropped), skb_queue_len(&list));
	__skb_queue_purge(&list);
	bt6_tx_wake(peer);
}

/* Consumes @skb. @flow: unicast, may stop the netdev queue. */
static void bt6_enqueue(struct bt6_peer *peer, struct net_device *dev,
			struct sk_buff *skb, bool flow)
{
	bool queued = false;

	spin_lock_bh(&peer->txq.lock);
	if (!peer->tx_dead && bt6_peer_up(peer) &&
	    skb_queue_len(&peer->txq) < BT6_TXQ_MAX) {
		__skb_queue_tail(&peer->txq, skb);
		queued = true;
		if (flow && skb_queue_len(&peer->txq) >= BT6_TXQ_STOP &&
		    bt6_may_stop(peer))
			netif_stop_queue(dev);
	}
	spin_unlock_bh(&peer->txq.lock);

	if (!queued) {
		bt6_peer_stat(peer, BT6_STAT(tx_dropped), 1);
		kfree_skb(skb);
		return;
	}
	bt6_peer_kick(peer);
}

/* Multicast: one copy of the compressed packet to every connected peer. */
static void bt6_xmit_all(struct bt6_iface *iface, struct net_device *dev,
			 struct sk_buff *skb)
{
	struct bt6_peer *peer;
	struct sk_buff *copy;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &iface->peers, node) {
		if (!bt6_peer_up(peer))
			continue;
		copy = skb_clone(skb, GFP_ATOMIC);
		if (!copy) {
			bt6_stat_add(&iface->stats.tx_dropped, 1);
			continue;
		}
		bt6_enqueue(peer, dev, copy, false);
	}
	rcu_read_unlock();
	consume_skb(skb);
}

static bool bt6_prepare_ipv6(struct sk_buff *skb)
{
	const struct ipv6hdr *hdr;

	if (skb->protocol != htons(ETH_P_IPV6) ||
	    !pskb_may_pull(skb, sizeof(struct ipv6hdr)))
		return false;
	skb_reset_network_header(skb);
	hdr = ipv6_hdr(skb);
	if (hdr->version != 6)
		return false;
	/* UDP next header compression reads the transport header, which
	 * forwarded packets may not have set.
	 */
	if (hdr->nexthdr == IPPROTO_UDP) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr) +
					sizeof(struct udphdr)))
			return false;
		skb_set_transport_header(skb, sizeof(struct ipv6hdr));
	}
	return true;
}

netdev_tx_t bt6_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct bt6_iface *iface = bt6_netdev_iface(dev);
	struct bt6_peer *peer = NULL;
	u8 nexthop[ETH_ALEN];
	bool have_nexthop;

	have_nexthop = bt6_skb_next_hop(skb, nexthop);

	skb = skb_unshare(skb, GFP_ATOMIC);
	if (!skb)
		goto dropped;
	if (!bt6_prepare_ipv6(skb))
		goto drop;

	/* Multicast is the IPv6 destination's call alone. A unicast packet
	 * whose neighbour entry holds the broadcast address (any peer can
	 * plant one with a Neighbour Solicitation) goes to the peer that
	 * owns the destination, or nowhere: never to all, and never
	 * compressed without a link-layer destination.
	 */
	if (ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr)) {
		if (lowpan_header_compress(skb, dev, NULL, dev->dev_addr) < 0)
			goto drop;
		bt6_xmit_all(iface, dev, skb);
		return NETDEV_TX_OK;
	}

	rcu_read_lock();
	if (have_nexthop)
		peer = bt6_peer_by_lladdr(iface, nexthop);
	if (!peer)
		peer = bt6_peer_by_ip(iface, &ipv6_hdr(skb)->daddr);
	if (!peer ||
	    lowpan_header_compress(skb, dev, peer->lladdr, dev->dev_addr) < 0) {
		rcu_read_unlock();
		goto drop;
	}
	bt6_enqueue(peer, dev, skb, true);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	kfree_skb(skb);
dropped:
	bt6_stat_add(&iface->stats.tx_dropped, 1);
	return NETDEV_TX_OK;
}

static void bt6_tx_one(struct bt6_peer *peer, struct l2cap_chan *chan,
		       struct sk_buff *skb)
{
	struct msghdr msg = {};
	struct kvec iv;
	size_t len;
	int err;

	if (skb_linearize(skb)) {
		bt6_peer_stat(peer, BT6_STAT(tx_dropped), 1);
		kfree_skb(skb);
		return;
	}

	len = skb->len;
	iv.iov_base = skb->data;
	iv.iov_len = len;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &iv, 1, len);

	err = bt6_l2cap_send(chan, &msg, len);
	peer->tx_sent++;
	if (err < 0) {
		bt6_peer_stat(peer, BT6_STAT(tx_errors), 1);
	} else {
		bt6_peer_stat(peer, BT6_STAT(tx_packets), 1);
		bt6_peer_stat(peer, BT6_STAT(tx_bytes), len);
	}
	consume_skb(skb);
}

/* l2cap_chan_send() must run under the channel lock, a mutex: this is why
 * the transmit path queues and sends from here.
 */
void bt6_tx_work(struct work_struct *work)
{
	struct bt6_peer *peer = container_of(work, struct bt6_peer, tx_work);
	struct l2cap_chan *chan = peer->chan;
	struct sk_buff *skb;

	l2cap_chan_lock(chan);
	/* Without credits, ->resume() kicks us again. */
	while (chan->state == BT_CONNECTED && chan->tx_credits &&
	       !bt6_chan_deleted(chan)) {
		skb = skb_dequeue(&peer->txq);
		if (!skb)
			break;
		bt6_tx_one(peer, chan, skb);
	}
	l2cap_chan_unlock(chan);

	bt6_tx_wake(peer);
	bt6_peer_put(peer);
}
