// SPDX-License-Identifier: GPL-2.0
/*
 * Receive path: L2CAP SDU -> IPv6 packet -> network stack. Frames come from
 * the air: nothing in them is trusted, malformed ones are counted and
 * dropped quietly.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_packet.h>
#include <linux/ipv6.h>

#include <net/6lowpan.h>
#include <net/ipv6.h>

#include "bt6lowpan.h"
#include "compat.h"

/* Room in front of the data for the IPv6 header and a UDP header that the
 * decompressor writes back.
 */
#define BT6_RX_HEADROOM	(sizeof(struct ipv6hdr) + sizeof(struct udphdr) + \
			 NET_SKB_PAD)

/* Uncompressed IPv6 (RFC 4944 dispatch 0x41): handed on as it is, like
 * the in-tree module does, so that packet sockets on the interface see
 * what came, and the IPv6 layer validates and counts it.
 */
static int bt6_rx_uncompressed(struct sk_buff *skb)
{
	skb_pull(skb, 1);	/* LOWPAN_DISPATCH_IPV6 */
	return 0;
}

/* RFC 6282 IPHC encoding: first byte 011 TF(2) NH HLIM(2), second byte
 * CID SAC SAM(2) M DAC DAM(2); UDP next header compression 11110CPP.
 */
#define BT6_IPHC_NH		0x04
#define BT6_IPHC_HLIM_MASK	0x03
#define BT6_IPHC_CID		0x80
#define BT6_IPHC_SAC		0x40
#define BT6_IPHC_M		0x08
#define BT6_IPHC_DAC		0x04
#define BT6_NHC_UDP_MASK	0xf8
#define BT6_NHC_UDP_ID		0xf0

static const u8 bt6_tf_len[4] = { 4, 3, 1, 0 };
static const u8 bt6_addr_len[4] = { 16, 8, 2, 0 };
static const u8 bt6_mcast_len[4] = { 16, 6, 4, 1 };

/* Length of the inline fields of an IPHC header (RFC 6282), or -1 for a
 * reserved encoding.
 */
static int bt6_iphc_len(u8 iphc0, u8 iphc1)
{
	int len = 2;
	u8 sam = (iphc1 >> 4) & 3, dam = iphc1 & 3;

	if (iphc1 & BT6_IPHC_CID)
		len++;
	len += bt6_tf_len[(iphc0 >> 3) & 3];
	if (!(iphc0 & BT6_IPHC_NH))
		len++;
	if (!(iphc0 & BT6_IPHC_HLIM_MASK))
		len++;
	if ((iphc1 & BT6_IPHC_SAC) && !sam)
		len += 0;	/* the unspecified address */
	else
		len += bt6_addr_len[sam];
	if (!(iphc1 & BT6_IPHC_M))
		return (iphc1 & BT6_IPHC_DAC) && !dam ?
			-1 : len + bt6_addr_len[dam];
	if (iphc1 & BT6_IPHC_DAC)
		return dam ? -1 : len + 6;
	return len + bt6_mcast_len[dam];
}

/* Only UDP next header compression can be decompressed; anything else
 * would make net/6lowpan log a warning for a frame off the air.
 */
static bool bt6_iphc_supported(const struct sk_buff *skb)
{
	const u8 *p = skb->data;
	int len;

	if (skb->len < 2)
		return false;
	len = bt6_iphc_len(p[0], p[1]);
	if (len < 0 || len > skb->len)
		return false;
	if (!(p[0] & BT6_IPHC_NH))
		return true;
	return len < skb->len &&
	       (p[len] & BT6_NHC_UDP_MASK) == BT6_NHC_UDP_ID;
}

/* A buffer of our own with room for the headers the decompressor writes. */
static noinline int bt6_rx_make_room(struct sk_buff *skb)
{
	return skb_cow(skb, BT6_RX_HEADROOM);
}
ALLOW_ERROR_INJECTION(bt6_rx_make_room, ERRNO);

static int bt6_rx_iphc(struct sk_buff *skb, struct net_device *dev,
		       const struct bt6_peer *peer)
{
	if (!bt6_iphc_supported(skb))
		return -EPROTONOSUPPORT;
	if (bt6_rx_make_room(skb))
		return -ENOMEM;
	/* UDP next header decompression reads the link type from skb->dev. */
	skb->dev = dev;
	return lowpan_header_decompress(skb, dev, dev->dev_addr, peer->lladdr);
}

/* Returns 0 if @skb now holds an IPv6 packet, else a negative errno. */
static int bt6_rx_decode(struct sk_buff *skb, struct net_device *dev,
			 const struct bt6_peer *peer)
{
	u8 dispatch;

	if (!skb->len || skb->len > BT6_MTU + 1)
		return -EINVAL;
	if (skb_linearize(skb))
		return -ENOMEM;

	dispatch = skb->data[0];
	if (lowpan_is_ipv6(dispatch))
		return bt6_rx_uncompressed(skb);
	if (lowpan_is_iphc(dispatch))
		return bt6_rx_iphc(skb, dev, peer);
	return -EPROTONOSUPPORT;
}

static void bt6_rx_deliver(struct sk_buff *skb, struct net_device *dev,
			   struct bt6_peer *peer)
{
	unsigned int len = skb->len;

	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	skb_set_transport_header(skb, sizeof(struct ipv6hdr));
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dev;
	skb->ip_summed = CHECKSUM_NONE;
	/* The content may be anything (uncompressed dispatch): look only at
	 * a header that is there.
	 */
	if (len >= sizeof(struct ipv6hdr) &&
	    ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
		skb->pkt_type = PACKET_MULTICAST;
	else
		skb->pkt_type = PACKET_HOST;

	if (bt6_netif_rx(skb) == NET_RX_SUCCESS) {
		bt6_peer_stat(peer, BT6_STAT(rx_packets), 1);
		bt6_peer_stat(peer, BT6_STAT(rx_bytes), len);
	} else {
		bt6_peer_stat(peer, BT6_STAT(rx_dropped), 1);
	}
}

/* Called under the channel lock. Always consumes @skb and returns 0, so
 * the core never tears the channel down because of a bad frame.
 */
int bt6_recv(struct bt6_peer *peer, struct sk_buff *skb)
{
	struct net_device *dev;
	int err;

	rcu_read_lock();
	dev = rcu_dereference(peer->iface->netdev);
	if (!dev || !(dev->flags & IFF_UP)) {
		bt6_peer_stat(peer, BT6_STAT(rx_dropped), 1);
		kfree_skb(skb);
		goto out;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		bt6_peer_stat(peer, BT6_STAT(rx_dropped), 1);
		goto out;
	}

	err = bt6_rx_decode(skb, dev, peer);
	if (err) {
		if (err == -ENOMEM)
			bt6_peer_stat(peer, BT6_STAT(rx_dropped), 1);
		else
			bt6_peer_stat(peer, BT6_STAT(rx_errors), 1);
		kfree_skb(skb);
		goto out;
	}
	bt6_rx_deliver(skb, dev, peer);
out:
	rcu_read_unlock();
	return 0;
}
