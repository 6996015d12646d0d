/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bt6lowpan: generic netlink interface of the out-of-tree
 * bluetooth_6lowpan module (IPv6 over BLE, RFC 7668).
 *
 * Described by netlink/specs/bt6lowpan.yaml (YNL); the names and values
 * below are what the kernel's YNL generator makes of that spec
 * (tests/unit/ynl_check.py compares them). Shared by the module and bt6ctl.
 *
 * Family "bt6lowpan", version 1, in the initial network namespace only.
 * Reading (config-get, the peer dump, the "events" group) needs no
 * privilege; every command that changes something needs CAP_NET_ADMIN.
 * Every attribute is validated strictly: unknown attributes, attributes
 * of another command, wrong lengths and duplicates are refused with an
 * extended ACK message.
 *
 * Addresses (BT6LOWPAN_A_PEER_ADDR) are 6 bytes in Bluetooth byte order,
 * least significant first (as bdaddr_t and the management API), so
 * 00:AA:01:00:00:00 is sent as 00 00 00 01 aa 00.
 */
#ifndef _UAPI_BT6LOWPAN_H
#define _UAPI_BT6LOWPAN_H

#define BT6LOWPAN_FAMILY_NAME		"bt6lowpan"
#define BT6LOWPAN_FAMILY_VERSION	1

#define BT6LOWPAN_ADDR_LEN		6
#define BT6LOWPAN_PSM_MIN		0x0001
#define BT6LOWPAN_PSM_MAX		0x00ff
#define BT6LOWPAN_ADAPTER_MAX		9999
#define BT6LOWPAN_STALL_TIMEOUT_MAX_MS	600000
#define BT6LOWPAN_RECONNECT_MIN_MS	1000
#define BT6LOWPAN_RECONNECT_MAX_MS	3600000

/* Address type, the values of the Bluetooth management API. */
enum bt6lowpan_addr_type {
	BT6LOWPAN_ADDR_TYPE_PUBLIC = 1,
	BT6LOWPAN_ADDR_TYPE_RANDOM,
};

enum bt6lowpan_peer_state {
	BT6LOWPAN_PEER_STATE_CONNECTING,
	BT6LOWPAN_PEER_STATE_CONNECTED,
	BT6LOWPAN_PEER_STATE_STALLED,
	BT6LOWPAN_PEER_STATE_RECONNECTING,
	BT6LOWPAN_PEER_STATE_DISCONNECTING,
	BT6LOWPAN_PEER_STATE_CLOSED,
	BT6LOWPAN_PEER_STATE_FAILED,
	BT6LOWPAN_PEER_STATE_WAITING,
};

/* BT6LOWPAN_A_PEER_EVENT of a peer notification. */
enum bt6lowpan_event {
	BT6LOWPAN_EVENT_ADDED = 1,
	BT6LOWPAN_EVENT_UP,
	BT6LOWPAN_EVENT_DOWN,
	BT6LOWPAN_EVENT_STALLED,
	BT6LOWPAN_EVENT_RECONNECTING,
	BT6LOWPAN_EVENT_REMOVED,
};

/*
 * Configuration. ENABLE (u8 0/1): listen for incoming IPSP channels on
 * every LE adapter. PSM (u16, 0x0001-0x00ff). DISCONNECT_ALL (flag, with
 * ENABLE 0): also close every peer. STALL_TIMEOUT_MS (u32, 0 to
 * BT6LOWPAN_STALL_TIMEOUT_MAX_MS; 0: no stall detection): reset a link
 * with data waiting and no transmit progress for this long.
 * AUTO_RECONNECT (u8 0/1): reconnect lost router-role peers.
 * RECONNECT_MAX_MS (u32, BT6LOWPAN_RECONNECT_MIN_MS to
 * BT6LOWPAN_RECONNECT_MAX_MS): longest delay between reconnect attempts.
 * Out of range values fail with ERANGE, as through sysfs.
 */
enum {
	BT6LOWPAN_A_CONFIG_ENABLE = 1,
	BT6LOWPAN_A_CONFIG_PSM,
	BT6LOWPAN_A_CONFIG_DISCONNECT_ALL,
	BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS,
	BT6LOWPAN_A_CONFIG_AUTO_RECONNECT,
	BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS,

	__BT6LOWPAN_A_CONFIG_MAX,
	BT6LOWPAN_A_CONFIG_MAX = (__BT6LOWPAN_A_CONFIG_MAX - 1)
};

/*
 * A peer. ADDR (binary, 6 bytes), ADDR_TYPE (u8, enum
 * bt6lowpan_addr_type; public when absent in a request), ADAPTER (u32,
 * N of hciN), IFINDEX (u32) and IFNAME (string) of its netdev when it
 * has one in the initial namespace, STATE (u8, enum
 * bt6lowpan_peer_state), LAST_ERROR (u32, a positive errno; absent when
 * none), EVENT (u8, enum bt6lowpan_event: notifications only).
 * CONNECTED_MS (u64): how long the link has been up, only while it is.
 * Counters (u64) of this peer's link: TX/RX_PACKETS, TX/RX_BYTES, DROPS
 * (packets dropped or in error, both directions); STALLS and RECONNECTS
 * count for the address across reconnects (router role).
 * PERSISTENT (flag): in peer-connect, keep the peer wanted: connect it
 * whenever it can be (a first connect that fails or times out included),
 * with the reconnect backoff, until peer-disconnect; in the dump and
 * events, the peer is persistent. A persistent peer without a link is in
 * state WAITING.
 */
enum {
	BT6LOWPAN_A_PEER_PAD = 1,
	BT6LOWPAN_A_PEER_ADDR,
	BT6LOWPAN_A_PEER_ADDR_TYPE,
	BT6LOWPAN_A_PEER_ADAPTER,
	BT6LOWPAN_A_PEER_IFINDEX,
	BT6LOWPAN_A_PEER_IFNAME,
	BT6LOWPAN_A_PEER_STATE,
	BT6LOWPAN_A_PEER_LAST_ERROR,
	BT6LOWPAN_A_PEER_EVENT,
	BT6LOWPAN_A_PEER_CONNECTED_MS,
	BT6LOWPAN_A_PEER_TX_PACKETS,
	BT6LOWPAN_A_PEER_TX_BYTES,
	BT6LOWPAN_A_PEER_RX_PACKETS,
	BT6LOWPAN_A_PEER_RX_BYTES,
	BT6LOWPAN_A_PEER_DROPS,
	BT6LOWPAN_A_PEER_STALLS,
	BT6LOWPAN_A_PEER_RECONNECTS,
	BT6LOWPAN_A_PEER_PERSISTENT,

	__BT6LOWPAN_A_PEER_MAX,
	BT6LOWPAN_A_PEER_MAX = (__BT6LOWPAN_A_PEER_MAX - 1)
};

enum {
	BT6LOWPAN_CMD_CONFIG_GET = 1,
	BT6LOWPAN_CMD_CONFIG_SET,
	BT6LOWPAN_CMD_PEER_CONNECT,
	BT6LOWPAN_CMD_PEER_DISCONNECT,
	BT6LOWPAN_CMD_PEER_RECOVER,
	BT6LOWPAN_CMD_PEER_GET,
	BT6LOWPAN_CMD_PEER_NTF,
	BT6LOWPAN_CMD_CONFIG_NTF,

	__BT6LOWPAN_CMD_MAX,
	BT6LOWPAN_CMD_MAX = (__BT6LOWPAN_CMD_MAX - 1)
};

#define BT6LOWPAN_MCGRP_EVENTS	"events"

#endif /* _UAPI_BT6LOWPAN_H */
