// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl connect ADDR [public|random] [-i hciN]: router role.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] =
	"ADDR [public|random] [-i hciN] [-p|--persistent] [-w|--wait [SECONDS]]";
static const char help[] =
	"Connects to the node ADDR (XX:XX:XX:XX:XX:XX; type public by default)\n"
	"over the LE PSM in effect (router role). Without -i the route to ADDR\n"
	"picks the adapter. Returns once the connect has started: 'bt6ctl peers'\n"
	"and 'bt6ctl monitor' show the outcome.\n"
	"  -i, --adapter hciN   connect from that adapter\n"
	"  -p, --persistent     keep the peer wanted: connected whenever it can be\n"
	"                       (a node absent now included), retried with the\n"
	"                       reconnect backoff, shown 'waiting' while absent,\n"
	"                       until 'bt6ctl disconnect ADDR'. A peer that exists\n"
	"                       already becomes persistent.\n"
	"  -w, --wait [SECONDS] return once the link is up (exit 0) or the connect\n"
	"                       failed (exit 1, with the error); with SECONDS, exit\n"
	"                       1 too if it is not up by then. A persistent peer\n"
	"                       does not fail: it waits for its node.\n";

struct connect_req {
	uint8_t addr[6], type;
	bool have_index;
	uint16_t index;
	bool persistent;
};

static int put_connect(struct nl_msg *msg, void *arg)
{
	struct connect_req *r = arg;

	return nla_put(msg, BT6LOWPAN_A_PEER_ADDR, 6, r->addr) ||
	       nla_put_u8(msg, BT6LOWPAN_A_PEER_ADDR_TYPE, r->type) ||
	       (r->have_index &&
		nla_put_u32(msg, BT6LOWPAN_A_PEER_ADAPTER, r->index)) ||
	       (r->persistent && nla_put_flag(msg, BT6LOWPAN_A_PEER_PERSISTENT));
}

/* ---- --wait: the peer's events until it is up or has failed ---------- */

struct connect_wait {
	const struct connect_req *r;
	bool added;		/* this connect's peer was added */
	bool up, failed, removed;
	uint32_t error;
};

static bool is_this_peer(const struct connect_req *r,
			 const struct bt6_peer_view *p)
{
	return !memcmp(p->addr, r->addr, 6) && p->addr_type == r->type &&
	       (!r->have_index || (p->has_adapter && p->adapter == r->index));
}

/* Returns 1 once the outcome is known. */
static int judge_peer(struct connect_wait *w, const struct bt6_peer_view *p)
{
	if (!is_this_peer(w->r, p))
		return 0;
	/* A connect replaces a failed entry of the address: that one's
	 * "removed" comes before this connect's "added", and says nothing.
	 */
	if (p->event == BT6LOWPAN_EVENT_ADDED)
		w->added = true;
	if (p->event == BT6LOWPAN_EVENT_REMOVED && !w->added)
		return 0;
	if (p->has_state && p->state == BT6LOWPAN_PEER_STATE_CONNECTED)
		w->up = true;
	else if (p->has_state && p->state == BT6LOWPAN_PEER_STATE_FAILED)
		w->failed = true;
	else if (p->event == BT6LOWPAN_EVENT_REMOVED)
		w->removed = true;
	else
		return 0;
	w->error = p->has_error ? p->error : 0;
	return 1;
}

static int on_peer_event(uint8_t gcmd, struct nlattr **tb, void *arg)
{
	struct bt6_peer_view p;

	if (gcmd != BT6LOWPAN_CMD_PEER_NTF)
		return 0;
	peer_view_from_attrs(tb, &p);
	return judge_peer(arg, &p);
}

static int on_peer_listed(const struct bt6_peer_view *p, void *arg)
{
	judge_peer(arg, p);
	return 0;
}

/* After the connect was started on another socket; @events joined
 * "events" before it, so nothing between the two is missed.
 */
static int wait_connected(struct bt6_nl *events, const char *cmd,
			  const struct connect_req *r, bool timed,
			  unsigned int secs)
{
	struct connect_wait w = { .r = r };
	char addr[18];
	struct bt6_nl *nl;
	int err;

	/* already up (or failed at once): the dump says so */
	nl = bt6_nl_open(cmd);
	if (!nl)
		return EXIT_FAIL;
	err = for_each_peer(nl, cmd, on_peer_listed, &w);
	bt6_nl_close(nl);
	if (err)
		return EXIT_FAIL;
	if (!w.up && !w.failed) {
		err = bt6_nl_events(events, cmd,
				    timed ? (secs > INT_MAX / 1000 ? INT_MAX :
					     (int)secs * 1000) : -1,
				    on_peer_event, &w);
		if (err && err != -ETIME)
			return EXIT_FAIL;
	}
	if (w.up)
		return EXIT_OK;
	format_addr(r->addr, addr);
	/* a connect that fails ends in the peer's removal, with the error */
	if (w.failed || (w.removed && w.error))
		fprintf(stderr, "%s: %s: %s: the connect failed: %s\n", prog,
			cmd, addr, w.error ? strerror((int)w.error) : "no error given");
	else if (w.removed)
		fprintf(stderr, "%s: %s: %s: the peer was removed before its link came up\n",
			prog, cmd, addr);
	else
		fprintf(stderr, "%s: %s: %s: not connected after %u s\n", prog,
			cmd, addr, secs);
	return EXIT_FAIL;
}

int cmd_connect(int argc, char *argv[])
{
	static struct opt_adapter hci;
	static bool persistent, wait;
	static struct opt_uint secs;
	static const struct cmd_flag flags[] = {
		{ 'i', "adapter", NULL, opt_adapter, &hci,
		  "is not an adapter (hciN)", false },
		{ 'p', "persistent", &persistent, NULL, NULL, NULL, false },
		{ 'w', "wait", &wait, opt_seconds, &secs,
		  "is not a number of seconds", true },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .flags = flags,
		.max_args = 2,
	};
	struct connect_req r = { .type = BT6LOWPAN_ADDR_TYPE_PUBLIC };
	struct bt6_nl *events;
	int ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (optind == argc)
		return bad_usage(argv[0], synopsis, "%s", "no address given");
	if (parse_addr(argv[optind], r.addr))
		return bad_usage(argv[0], synopsis,
				 "'%s' is not an address (XX:XX:XX:XX:XX:XX)",
				 argv[optind]);
	if (argc - optind == 2 && parse_addr_type(argv[optind + 1], &r.type))
		return bad_usage(argv[0], synopsis,
				 "'%s' is not an address type (public or random)",
				 argv[optind + 1]);
	r.have_index = hci.name;
	r.index = hci.index;
	r.persistent = persistent;
	if (!wait)
		return bt6_nl_request(argv[0], BT6LOWPAN_CMD_PEER_CONNECT,
				      put_connect, &r);
	events = bt6_nl_open(argv[0]);
	if (!events)
		return EXIT_FAIL;
	ret = bt6_nl_subscribe(events, argv[0]) ? EXIT_FAIL :
	      bt6_nl_request(argv[0], BT6LOWPAN_CMD_PEER_CONNECT, put_connect, &r);
	if (ret == EXIT_OK)
		ret = wait_connected(events, argv[0], &r, secs.given, secs.v);
	bt6_nl_close(events);
	return ret;
}
