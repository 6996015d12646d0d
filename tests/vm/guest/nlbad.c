// SPDX-License-Identifier: GPL-2.0
/*
 * nlbad: a corpus of malformed and refused requests to the "bt6lowpan"
 * generic netlink family, over a raw netlink socket (a test tool: the
 * framing is done by hand on purpose, to get it wrong on purpose).
 *
 * Each case must fail with its exact errno and, where the family or its
 * attribute policy answers, an extended ACK message containing the
 * expected text. Where the genetlink core refuses a message before the
 * family sees it (unknown command, a do for a dump-only command, a
 * message shorter than the header) it sends no message: those cases
 * check the errno alone and say so. The unprivileged cases run in a
 * child that dropped to uid/gid 65534 before opening its socket.
 *
 * Output: "PASS name" or "FAIL name: why" per case, then "N passed, N
 * failed"; exit status 0 when all passed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../../module/uapi/bt6lowpan.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BUF_SIZE	(80 * 1024)

struct req {
	union {
		struct nlmsghdr nlh;
		char buf[BUF_SIZE];
	};
};

static uint32_t seq = 1;
static int passed, failed;

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 10 };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("bind");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* no answer is a failure (EAGAIN), not a hang */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void msg_init(struct req *r, uint16_t type, uint16_t flags, uint8_t cmd,
		     uint8_t reserved)
{
	struct genlmsghdr *g;

	memset(r->buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nlh.nlmsg_seq = seq++;
	g = NLMSG_DATA(&r->nlh);
	g->cmd = cmd;
	g->version = BT6LOWPAN_FAMILY_VERSION;
	g->reserved = reserved;
}

/* @len bytes of @data (zeros if NULL); @hdr_len, if not 0, lies. */
static void put_attr(struct req *r, uint16_t type, const void *data,
		     size_t len, uint16_t hdr_len)
{
	struct nlattr *a = (struct nlattr *)(r->buf +
					     NLMSG_ALIGN(r->nlh.nlmsg_len));

	if (NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) >
	    sizeof(r->buf)) {
		fprintf(stderr, "attribute too large for the buffer\n");
		exit(2);
	}
	a->nla_type = type;
	a->nla_len = hdr_len ? hdr_len : (uint16_t)(NLA_HDRLEN + len);
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	else
		memset((char *)a + NLA_HDRLEN, 0, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_HDRLEN +
			   NLA_ALIGN(len);
}

/* The extack message after an nlmsgerr (capped: no request copy). */
static void extack_of(const struct nlmsghdr *nlh, char *msg, size_t size)
{
	const char *p = (const char *)NLMSG_DATA(nlh) + sizeof(struct nlmsgerr);
	const char *end = (const char *)nlh + nlh->nlmsg_len;

	msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(msg, size, "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN), p + NLA_HDRLEN);
			return;
		}
		p += NLA_ALIGN(a->nla_len);
	}
}

/* Sends @r; returns 0 or a negative errno, with the extack message.
 * Replies (a get, a dump) are read and dropped; @reply gets the first.
 */
static int transact(int fd, struct req *r, char *msg, size_t size,
		    struct req *reply)
{
	static char rbuf[BUF_SIZE];
	struct nlmsghdr *nlh;
	ssize_t n;
	bool first = true;

	msg[0] = '\0';
	if (send(fd, r->buf, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				extack_of(nlh, msg, size);
				return e->error;
			}
			/* the end of a dump: no ACK follows it */
			if (nlh->nlmsg_type == NLMSG_DONE)
				return *(int *)NLMSG_DATA(nlh);
			if (reply && first)
				memcpy(reply->buf, nlh, nlh->nlmsg_len);
			first = false;
		}
	}
}

static uint16_t resolve(int fd)
{
	static struct req r, reply;
	struct nlattr *a;
	char msg[256];
	int err, len;

	msg_init(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	((struct genlmsghdr *)NLMSG_DATA(&r.nlh))->version = 2;
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, BT6LOWPAN_FAMILY_NAME,
		 sizeof(BT6LOWPAN_FAMILY_NAME), 0);
	err = transact(fd, &r, msg, sizeof(msg), &reply);
	if (err) {
		fprintf(stderr, "cannot resolve %s: %s\n",
			BT6LOWPAN_FAMILY_NAME, strerror(-err));
		exit(2);
	}
	a = (struct nlattr *)((char *)NLMSG_DATA(&reply.nlh) + GENL_HDRLEN);
	len = (int)reply.nlh.nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	fprintf(stderr, "no family id in the answer\n");
	exit(2);
}

/* ---- the corpus --------------------------------------------------------- */

#define MAX_ATTRS	4

struct attr {
	uint16_t type;
	uint16_t len;		/* payload bytes */
	const void *data;	/* NULL: zeros */
	uint16_t hdr_len;	/* a lying nla_len, or 0 */
};

struct tcase {
	const char *name;
	uint8_t cmd;
	uint16_t flags;		/* more nlmsg_flags */
	uint8_t reserved;
	bool unpriv;
	bool short_msg;		/* cut the genl header */
	struct attr attrs[MAX_ATTRS];
	int want;		/* positive errno */
	const char *extack;	/* expected substring; NULL: the core, none */
	bool resv;		/* a check of the genetlink core on commands at
				 * or above genl_family.resv_start_op (6.0):
				 * before 6.0 there is neither the field nor
				 * the check, and the request succeeds
				 */
};

/* 00:AA:01:00:00:99, unused; least significant byte first */
static const uint8_t addr[6] = { 0x99, 0x00, 0x00, 0x01, 0xaa, 0x00 };
static const uint8_t u8_0, u8_1 = 1, u8_2 = 2, u8_3 = 3;
static const uint16_t u16_0, u16_256 = 256, u16_35 = 35, u16_62 = 62;
static const uint32_t u32_1 = 1, u32_7 = 7;
static const uint32_t stall_big = 600001, remax_small = 999;
static const uint32_t remax_big = 3600001, adapter_big = 10000;

#define A(t, v)		{ (t), sizeof(v), &(v), 0 }
#define ADDR		{ BT6LOWPAN_A_PEER_ADDR, 6, addr, 0 }

static const struct tcase cases[] = {
	/* the genetlink core: no extack */
	{ "unknown-command", 99, 0, 0, false, false, { ADDR },
	  EOPNOTSUPP, NULL },
	{ "unknown-command-0", 0, 0, 0, false, false, { },
	  EOPNOTSUPP, NULL },
	{ "do-on-dump-only", BT6LOWPAN_CMD_PEER_GET, 0, 0, false, false, { },
	  EOPNOTSUPP, NULL },
	{ "dump-on-do-only", BT6LOWPAN_CMD_CONFIG_SET, NLM_F_DUMP, 0, false,
	  false, { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_1) }, EOPNOTSUPP, NULL },
	{ "notification-cmd", BT6LOWPAN_CMD_PEER_NTF, 0, 0, false, false, { },
	  EOPNOTSUPP, NULL },
	{ "short-header", BT6LOWPAN_CMD_CONFIG_GET, 0, 0, false, true, { },
	  EINVAL, NULL },
	/* header checks of the core, with a message */
	{ "reserved-byte", BT6LOWPAN_CMD_CONFIG_SET, 0, 1, false, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_1) }, EINVAL, "reserved", true },
	{ "bad-nlmsg-flags", BT6LOWPAN_CMD_CONFIG_SET, NLM_F_EXCL, 0, false,
	  false, { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_1) }, EINVAL,
	  "nlmsg_flags", true },
	/* missing */
	{ "config-set-empty", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { }, EINVAL, "nothing to set" },
	{ "connect-no-addr", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { A(BT6LOWPAN_A_PEER_ADDR_TYPE, u8_1) }, EINVAL,
	  "the peer address is missing" },
	{ "disconnect-no-addr", BT6LOWPAN_CMD_PEER_DISCONNECT, 0, 0, false, false,
	  { }, EINVAL, "the peer address is missing" },
	{ "recover-no-addr", BT6LOWPAN_CMD_PEER_RECOVER, 0, 0, false, false,
	  { A(BT6LOWPAN_A_PEER_ADDR_TYPE, u8_2) }, EINVAL,
	  "the peer address is missing" },
	/* duplicate */
	{ "dup-enable", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_0),
	    A(BT6LOWPAN_A_CONFIG_ENABLE, u8_1) },
	  EINVAL, "attribute given more than once" },
	{ "dup-addr", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { ADDR, ADDR }, EINVAL, "attribute given more than once" },
	{ "dup-psm-valid", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_PSM, u16_35), A(BT6LOWPAN_A_CONFIG_PSM, u16_35) },
	  EINVAL, "attribute given more than once" },
	/* wrong type or length */
	{ "enable-as-u32", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u32_1) }, EINVAL,
	  "invalid attribute length" },
	{ "psm-as-u8", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_PSM, u8_1) }, EINVAL,
	  "invalid attribute length" },
	{ "addr-5-bytes", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { { BT6LOWPAN_A_PEER_ADDR, 5, addr, 0 } }, ERANGE,
	  "binary attribute size out of range" },
	{ "flag-with-payload", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_0),
	    A(BT6LOWPAN_A_CONFIG_DISCONNECT_ALL, u8_1) },
	  ERANGE, "policy" },
	{ "addr-type-3", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { ADDR, A(BT6LOWPAN_A_PEER_ADDR_TYPE, u8_3) }, ERANGE,
	  "out of range" },
	{ "enable-2", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_2) }, ERANGE, "out of range" },
	{ "psm-0", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_PSM, u16_0) }, ERANGE, "out of range" },
	{ "psm-256", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_PSM, u16_256) }, ERANGE, "out of range" },
	{ "adapter-10000", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { ADDR, A(BT6LOWPAN_A_PEER_ADAPTER, adapter_big) }, ERANGE,
	  "out of range" },
	{ "stall-timeout-600001", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false,
	  false, { A(BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS, stall_big) }, ERANGE,
	  "stall timeout out of range 0-600000 ms" },
	{ "reconnect-max-999", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS, remax_small) }, ERANGE,
	  "reconnect maximum out of range" },
	{ "reconnect-max-3600001", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false,
	  false, { A(BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS, remax_big) }, ERANGE,
	  "reconnect maximum out of range" },
	/* a valid part first: nothing of it may be applied */
	{ "psm-then-bad-stall", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { A(BT6LOWPAN_A_CONFIG_PSM, u16_62),
	    A(BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS, stall_big) },
	  ERANGE, "stall timeout out of range 0-600000 ms" },
	{ "enable-then-bad-remax", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false,
	  false, { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_0),
		   A(BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS, remax_small) },
	  ERANGE, "reconnect maximum out of range" },
	{ "disconnect-all-with-enable-1", BT6LOWPAN_CMD_CONFIG_SET, 0, 0,
	  false, false, { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_1),
			  { BT6LOWPAN_A_CONFIG_DISCONNECT_ALL, 0, NULL, 0 } },
	  EINVAL, "disconnect-all goes with enable 0" },
	/* unknown, of another command, or oversized */
	{ "unknown-attr", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { { 40, 4, NULL, 0 } }, EINVAL, "Unknown attribute type" },
	{ "attr-type-0", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false, false,
	  { { 0, 4, NULL, 0 } }, EINVAL, "Unknown attribute type" },
	{ "other-command-attr", BT6LOWPAN_CMD_PEER_DISCONNECT, 0, 0, false, false,
	  { ADDR, A(BT6LOWPAN_A_PEER_ADAPTER, u32_1) }, EINVAL,
	  "Unknown attribute type" },
	/* persistent (issue 14): a flag of connect only; the attributes
	 * between adapter and persistent are not connect's
	 */
	{ "connect-state-attr", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { ADDR, A(BT6LOWPAN_A_PEER_STATE, u8_1) }, EINVAL,
	  "Unsupported attribute" },
	{ "persistent-with-payload", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false,
	  false, { ADDR, A(BT6LOWPAN_A_PEER_PERSISTENT, u32_1) }, ERANGE,
	  "Attribute failed policy validation" },
	{ "disconnect-persistent", BT6LOWPAN_CMD_PEER_DISCONNECT, 0, 0, false,
	  false, { ADDR, { BT6LOWPAN_A_PEER_PERSISTENT, 0, NULL, 0 } }, EINVAL,
	  "Unknown attribute type" },
	{ "config-get-with-attr", BT6LOWPAN_CMD_CONFIG_GET, 0, 0, false,
	  false, { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_1) }, EINVAL, "", true },
	{ "addr-64k", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { { BT6LOWPAN_A_PEER_ADDR, 65000, NULL, 0 } }, ERANGE,
	  "binary attribute size out of range" },
	{ "adapter-4000-bytes", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false, false,
	  { ADDR, { BT6LOWPAN_A_PEER_ADAPTER, 4000, NULL, 0 } }, EINVAL,
	  "invalid attribute length" },
	{ "nla-len-beyond-message", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, false,
	  false, { { BT6LOWPAN_A_CONFIG_ENABLE, 1, &u8_1, 200 } }, EINVAL,
	  "leftover" },
	/* a well-formed request the family refuses */
	{ "disconnect-unknown-peer", BT6LOWPAN_CMD_PEER_DISCONNECT, 0, 0, false,
	  false, { ADDR }, ENOENT, "no peer with that address and type" },
	{ "recover-unknown-peer", BT6LOWPAN_CMD_PEER_RECOVER, 0, 0, false,
	  false, { ADDR, A(BT6LOWPAN_A_PEER_ADDR_TYPE, u8_2) }, ENOENT,
	  "no peer with that address and type" },
	{ "connect-no-such-adapter", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, false,
	  false, { ADDR, A(BT6LOWPAN_A_PEER_ADAPTER, u32_7) }, ENODEV,
	  "no such adapter" },
	/* unprivileged (uid 65534, no capabilities) */
	{ "unpriv-config-set", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, true, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u8_0) }, EPERM,
	  "changes need CAP_NET_ADMIN" },
	{ "unpriv-set-stall", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, true, false,
	  { A(BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS, u32_1) }, EPERM,
	  "changes need CAP_NET_ADMIN" },
	{ "unpriv-connect", BT6LOWPAN_CMD_PEER_CONNECT, 0, 0, true, false,
	  { ADDR }, EPERM, "changes need CAP_NET_ADMIN" },
	{ "unpriv-disconnect", BT6LOWPAN_CMD_PEER_DISCONNECT, 0, 0, true, false,
	  { ADDR }, EPERM, "changes need CAP_NET_ADMIN" },
	{ "unpriv-recover", BT6LOWPAN_CMD_PEER_RECOVER, 0, 0, true, false,
	  { ADDR }, EPERM, "changes need CAP_NET_ADMIN" },
	{ "unpriv-malformed", BT6LOWPAN_CMD_CONFIG_SET, 0, 0, true, false,
	  { A(BT6LOWPAN_A_CONFIG_ENABLE, u32_1) }, EINVAL,
	  "invalid attribute length" },
};

/* Does the running kernel have genl_family.resv_start_op (6.0)? */
static bool kernel_has_resv(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return true;
	return major >= 6;
}

static void run_case(int fd, uint16_t family, const struct tcase *c)
{
	static struct req r;
	struct tcase old;
	char msg[512];
	int i, err;

	if (c->resv && !kernel_has_resv()) {
		/* before 6.0: accepted as it is, no message */
		printf("NOTE %s: before 6.0 the genetlink core has no such check: must succeed\n",
		       c->name);
		old = *c;
		old.want = 0;
		old.extack = NULL;
		c = &old;
	}

	msg_init(&r, family, c->flags, c->cmd, c->reserved);
	for (i = 0; i < MAX_ATTRS && (c->attrs[i].len || c->attrs[i].data ||
				      c->attrs[i].type); i++)
		put_attr(&r, c->attrs[i].type, c->attrs[i].data,
			 c->attrs[i].len, c->attrs[i].hdr_len);
	if (c->short_msg)
		r.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN - 1);

	err = transact(fd, &r, msg, sizeof(msg), NULL);
	if (err != -c->want) {
		printf("FAIL %s: %s (%d), want %s (%d); extack \"%s\"\n",
		       c->name, err ? strerror(-err) : "success", -err,
		       strerror(c->want), c->want, msg);
		failed++;
	} else if (c->extack && (!msg[0] || !strstr(msg, c->extack))) {
		printf("FAIL %s: %s as wanted, but extack \"%s\" lacks \"%s\"\n",
		       c->name, strerror(c->want), msg, c->extack);
		failed++;
	} else if (!c->extack && msg[0]) {
		/* the core answered with a message after all: fine, say it */
		printf("PASS %s: %s, extack \"%s\"\n", c->name,
		       strerror(c->want), msg);
		passed++;
	} else {
		printf("PASS %s: %s, %s%s%s\n", c->name, strerror(c->want),
		       c->extack ? "extack \"" : "no extack (genetlink core)",
		       c->extack ? msg : "", c->extack ? "\"" : "");
		passed++;
	}
	fflush(stdout);
}

/* Reading needs no privilege. */
static void run_reads(int fd, uint16_t family)
{
	static struct req r;
	char msg[512];
	int err;

	msg_init(&r, family, 0, BT6LOWPAN_CMD_CONFIG_GET, 0);
	err = transact(fd, &r, msg, sizeof(msg), NULL);
	printf("%s unpriv-config-get: %s\n", err ? "FAIL" : "PASS",
	       err ? strerror(-err) : "allowed");
	err ? failed++ : passed++;

	msg_init(&r, family, NLM_F_DUMP, BT6LOWPAN_CMD_PEER_GET, 0);
	err = transact(fd, &r, msg, sizeof(msg), NULL);
	printf("%s unpriv-peer-dump: %s\n", err ? "FAIL" : "PASS",
	       err ? strerror(-err) : "allowed");
	err ? failed++ : passed++;
}

int main(void)
{
	size_t i, n = sizeof(cases) / sizeof(cases[0]), nunpriv = 2;
	uint16_t family;
	int fd, status;
	pid_t pid;

	fd = nl_open();
	family = resolve(fd);
	for (i = 0; i < n; i++) {
		if (!cases[i].unpriv)
			run_case(fd, family, &cases[i]);
		else
			nunpriv++;
	}
	close(fd);

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (!pid) {
		passed = failed = 0;
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
			perror("dropping privileges");
			_exit(100);
		}
		fd = nl_open();
		for (i = 0; i < n; i++) {
			if (cases[i].unpriv)
				run_case(fd, family, &cases[i]);
		}
		run_reads(fd, family);
		fflush(stdout);
		_exit(failed);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) >= 100) {
		printf("FAIL unprivileged: the child did not run\n");
		failed += (int)nunpriv;
	} else {
		failed += WEXITSTATUS(status);
		passed += (int)nunpriv - WEXITSTATUS(status);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
