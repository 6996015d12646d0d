// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl: the "bt6lowpan" generic netlink family through libnl-genl-3.
 * libnl does the framing; the only thing added here is reading the
 * kernel's extended ACK message, which libnl 3.7 does not expose.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NL_ANY_MAX ((int)BT6LOWPAN_A_PEER_MAX > (int)BT6LOWPAN_A_CONFIG_MAX ? \
		    (int)BT6LOWPAN_A_PEER_MAX : (int)BT6LOWPAN_A_CONFIG_MAX)

struct bt6_nl {
	struct nl_sock *sk;
	int family;
};

struct bt6_req {
	int err;		/* 1 while waiting, then 0 or -errno */
	char extack[256];
	int maxattr;
	bt6_nl_attrs_fn fn;
	void *arg;
	int fn_err;
};

static int nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	default:
		return -EIO;
	}
}

static void not_loaded(const char *cmd)
{
	if (access("/sys/module/bluetooth_6lowpan", F_OK) == 0)
		fprintf(stderr,
			"%s: %s: the loaded bluetooth_6lowpan module has no generic netlink family \"%s\" (the in-tree module or an older version?), or this is not the initial network namespace\n",
			prog, cmd, BT6LOWPAN_FAMILY_NAME);
	else
		fprintf(stderr,
			"%s: %s: the bluetooth_6lowpan module is not loaded (no generic netlink family \"%s\"); try: modprobe bluetooth_6lowpan\n",
			prog, cmd, BT6LOWPAN_FAMILY_NAME);
}

struct bt6_nl *bt6_nl_open(const char *cmd)
{
	struct bt6_nl *nl;
	int one = 1, err;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		if (cmd)
			cmd_error(cmd, ENOMEM, NULL);
		return NULL;
	}
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		if (cmd)
			cmd_error(cmd, ENOMEM, NULL);
		free(nl);
		return NULL;
	}
	err = genl_connect(nl->sk);
	if (err) {
		if (cmd)
			cmd_error(cmd, -nl_errno(err),
				  "cannot open a generic netlink socket");
		goto fail;
	}
	/* Ask for the kernel's error messages; without them, just errnos. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, BT6LOWPAN_FAMILY_NAME);
	if (nl->family < 0) {
		if (!cmd)
			goto fail;
		if (nl->family == -NLE_OBJ_NOTFOUND)
			not_loaded(cmd);
		else
			cmd_error(cmd, -nl_errno(nl->family),
				  "cannot resolve the generic netlink family");
		goto fail;
	}
	return nl;
fail:
	nl_socket_free(nl->sk);
	free(nl);
	return NULL;
}

void bt6_nl_close(struct bt6_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

int bt6_nl_family_version(struct bt6_nl *nl)
{
	struct nl_cache *cache;
	struct genl_family *f;
	int v = -1;

	if (genl_ctrl_alloc_cache(nl->sk, &cache))
		return -1;
	f = genl_ctrl_search_by_name(cache, BT6LOWPAN_FAMILY_NAME);
	if (f) {
		v = genl_family_get_version(f);
		genl_family_put(f);
	}
	nl_cache_free(cache);
	return v;
}

struct nl_msg *bt6_nl_msg(struct bt6_nl *nl, uint8_t gcmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : 0, gcmd,
			 BT6LOWPAN_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The extended ACK's message, if the kernel sent one. */
static void extack_msg(struct nlmsgerr *e, char *out, size_t size)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	out[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0 ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      len, NULL) ||
	    !tb[NLMSGERR_ATTR_MSG])
		return;
	snprintf(out, size, "%s", nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	/* no trailing newline or period */
	len = (int)strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '.'))
		out[--len] = '\0';
}

static int on_error(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	struct bt6_req *r = arg;

	(void)sa;
	r->err = e->error;
	if (r->err)
		extack_msg(e, r->extack, sizeof(r->extack));
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct bt6_req *r = arg;
	int *p = nlmsg_data(nlmsg_hdr(msg));

	/* a dump may end with an error in its DONE message */
	if (nlmsg_datalen(nlmsg_hdr(msg)) >= (int)sizeof(int) && *p < 0)
		r->err = *p;
	else
		r->err = 0;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct bt6_req *r = arg;

	(void)msg;
	r->err = 0;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct bt6_req *r = arg;
	struct nlattr *tb[NL_ANY_MAX + 1];

	if (!r->fn || r->fn_err)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, r->maxattr, NULL))
		return NL_SKIP;
	r->fn_err = r->fn(tb, r->arg);
	return NL_OK;
}

int bt6_nl_call(struct bt6_nl *nl, const char *cmd, struct nl_msg *msg,
		int maxattr, bt6_nl_attrs_fn fn, void *arg)
{
	struct bt6_req r = { .err = 1, .maxattr = maxattr, .fn = fn,
			     .arg = arg };
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		cmd_error(cmd, ENOMEM, NULL);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &r);

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		r.err = nl_errno(err);
	} else {
		while (r.err > 0) {
			err = nl_recvmsgs(nl->sk, cb);
			if (err < 0 && r.err > 0)
				r.err = nl_errno(err);
		}
	}
	nl_cb_put(cb);
	if (r.err)
		cmd_error(cmd, r.err, r.extack);
	else if (r.fn_err)
		r.err = r.fn_err;
	return r.err;
}

int bt6_nl_request(const char *cmd, uint8_t gcmd,
		   int (*put)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_msg *msg;
	struct bt6_nl *nl;
	int err;

	nl = bt6_nl_open(cmd);
	if (!nl)
		return EXIT_FAIL;
	msg = bt6_nl_msg(nl, gcmd, false);
	if (!msg || (put && put(msg, arg))) {
		nlmsg_free(msg);
		bt6_nl_close(nl);
		cmd_error(cmd, ENOMEM, NULL);
		return EXIT_FAIL;
	}
	err = bt6_nl_call(nl, cmd, msg, 0, NULL, NULL);
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}

static uint64_t get_u64(struct nlattr *a)
{
	return nla_len(a) == 8 ? nla_get_u64(a) : 0;
}

void peer_view_from_attrs(struct nlattr **tb, struct bt6_peer_view *p)
{
	memset(p, 0, sizeof(*p));
	if (tb[BT6LOWPAN_A_PEER_ADDR] &&
	    nla_len(tb[BT6LOWPAN_A_PEER_ADDR]) == 6)
		memcpy(p->addr, nla_data(tb[BT6LOWPAN_A_PEER_ADDR]), 6);
	if (tb[BT6LOWPAN_A_PEER_ADDR_TYPE])
		p->addr_type = nla_get_u8(tb[BT6LOWPAN_A_PEER_ADDR_TYPE]);
	p->persistent = tb[BT6LOWPAN_A_PEER_PERSISTENT] != NULL;
	if (tb[BT6LOWPAN_A_PEER_ADAPTER]) {
		p->has_adapter = true;
		p->adapter = nla_get_u32(tb[BT6LOWPAN_A_PEER_ADAPTER]);
	}
	if (tb[BT6LOWPAN_A_PEER_IFINDEX]) {
		p->has_ifindex = true;
		p->ifindex = nla_get_u32(tb[BT6LOWPAN_A_PEER_IFINDEX]);
	}
	if (tb[BT6LOWPAN_A_PEER_IFNAME]) {
		p->has_ifname = true;
		snprintf(p->ifname, sizeof(p->ifname), "%s",
			 nla_get_string(tb[BT6LOWPAN_A_PEER_IFNAME]));
	}
	if (tb[BT6LOWPAN_A_PEER_STATE]) {
		p->has_state = true;
		p->state = nla_get_u8(tb[BT6LOWPAN_A_PEER_STATE]);
	}
	if (tb[BT6LOWPAN_A_PEER_LAST_ERROR]) {
		p->has_error = true;
		p->error = nla_get_u32(tb[BT6LOWPAN_A_PEER_LAST_ERROR]);
	}
	if (tb[BT6LOWPAN_A_PEER_EVENT])
		p->event = nla_get_u8(tb[BT6LOWPAN_A_PEER_EVENT]);
	if (tb[BT6LOWPAN_A_PEER_CONNECTED_MS]) {
		p->has_up = true;
		p->up_ms = get_u64(tb[BT6LOWPAN_A_PEER_CONNECTED_MS]);
	}
	if (tb[BT6LOWPAN_A_PEER_TX_PACKETS]) {
		p->has_counters = true;
		p->tx_packets = get_u64(tb[BT6LOWPAN_A_PEER_TX_PACKETS]);
	}
	if (tb[BT6LOWPAN_A_PEER_TX_BYTES])
		p->tx_bytes = get_u64(tb[BT6LOWPAN_A_PEER_TX_BYTES]);
	if (tb[BT6LOWPAN_A_PEER_RX_PACKETS])
		p->rx_packets = get_u64(tb[BT6LOWPAN_A_PEER_RX_PACKETS]);
	if (tb[BT6LOWPAN_A_PEER_RX_BYTES])
		p->rx_bytes = get_u64(tb[BT6LOWPAN_A_PEER_RX_BYTES]);
	if (tb[BT6LOWPAN_A_PEER_DROPS])
		p->drops = get_u64(tb[BT6LOWPAN_A_PEER_DROPS]);
	if (tb[BT6LOWPAN_A_PEER_STALLS])
		p->stalls = get_u64(tb[BT6LOWPAN_A_PEER_STALLS]);
	if (tb[BT6LOWPAN_A_PEER_RECONNECTS])
		p->reconnects = get_u64(tb[BT6LOWPAN_A_PEER_RECONNECTS]);
}

struct bt6_mon {
	int (*fn)(uint8_t gcmd, struct nlattr **tb, void *arg);
	void *arg;
	int ret;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct bt6_mon *m = arg;
	struct nlattr *tb[NL_ANY_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NL_ANY_MAX, NULL))
		return NL_SKIP;
	m->ret = m->fn(g->cmd, tb, m->arg);
	return m->ret ? NL_STOP : NL_OK;
}

int bt6_nl_subscribe(struct bt6_nl *nl, const char *cmd)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, BT6LOWPAN_FAMILY_NAME,
				    BT6LOWPAN_MCGRP_EVENTS);
	if (grp < 0) {
		cmd_error(cmd, -nl_errno(grp), "no \"events\" group");
		return nl_errno(grp);
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err) {
		cmd_error(cmd, -nl_errno(err), "cannot join the \"events\" group");
		return nl_errno(err);
	}
	nl_socket_disable_seq_check(nl->sk);
	return 0;
}

/* Milliseconds left until @deadline (CLOCK_MONOTONIC), at least 0. */
static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

int bt6_nl_events(struct bt6_nl *nl, const char *cmd, int timeout_ms,
		  int (*fn)(uint8_t gcmd, struct nlattr **tb, void *arg),
		  void *arg)
{
	struct bt6_mon m = { .fn = fn, .arg = arg };
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	struct timespec deadline;
	int err, left = -1;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, &m);
	while (!m.ret) {
		if (timeout_ms >= 0) {
			left = ms_left(&deadline);
			if (!left)
				return -ETIME;
		}
		err = poll(&pfd, 1, left);
		if (err < 0 && errno != EINTR) {
			cmd_error(cmd, errno, NULL);
			return -errno;
		}
		if (err <= 0)
			continue;
		err = nl_recvmsgs_default(nl->sk);
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			cmd_error(cmd, -nl_errno(err), nl_geterror(err));
			return nl_errno(err);
		}
	}
	return m.ret > 0 ? 0 : m.ret;
}

int bt6_nl_monitor(struct bt6_nl *nl, const char *cmd,
		   int (*fn)(uint8_t gcmd, struct nlattr **tb, void *arg),
		   void *arg)
{
	int err = bt6_nl_subscribe(nl, cmd);

	return err ? err : bt6_nl_events(nl, cmd, -1, fn, arg);
}
