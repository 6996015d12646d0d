/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt6lowpan: the generic netlink family "bt6lowpan" (netlink.c).
 *
 * bt6_nl_init() after the other control interfaces at module init,
 * bt6_nl_exit() first at exit, with them: no netlink operation runs once
 * it returns.
 *
 * The notify helpers send to the "events" group. They may be called from
 * any context but hard interrupts, with any of our locks held (they
 * allocate with GFP_ATOMIC and take no lock of ours), and cost nothing
 * while nobody listens. Not after bt6_nl_exit().
 */
#ifndef BT6_NETLINK_H
#define BT6_NETLINK_H

#include "bt6lowpan.h"
#include "uapi/bt6lowpan.h"

int bt6_nl_init(void);
void bt6_nl_exit(void);

/* A peer event (enum bt6lowpan_event) about @peer, as it is now. */
void bt6_nl_notify_peer(const struct bt6_peer *peer,
			enum bt6lowpan_event event);
/* @peer's link is down (channel lock held), it was in state @was: "down"
 * if it had been up, then "reconnecting" (@reconnect) or "removed".
 */
void bt6_nl_notify_lost(const struct bt6_peer *peer, enum bt6_peer_state was,
			bool reconnect);
/* The same from a bt6_peer_info snapshot. */
void bt6_nl_notify_peer_info(const struct bt6_peer_info *info,
			     enum bt6lowpan_event event);
/* The configuration changed (control.c, whatever interface changed it). */
void bt6_nl_notify_config(void);

#endif /* BT6_NETLINK_H */
