// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl connect ADDR [public|random] [-i hciN]: router role.
 */
#include <errno.h>
#include <getopt.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "ADDR [public|random] [-i hciN] [-p|--persistent]";
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
	"                       already becomes persistent.\n";

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

int cmd_connect(int argc, char *argv[])
{
	static struct opt_adapter hci;
	static bool persistent;
	static const struct cmd_flag flags[] = {
		{ 'i', "adapter", NULL, opt_adapter, &hci,
		  "is not an adapter (hciN)" },
		{ 'p', "persistent", &persistent, NULL, NULL, NULL },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .flags = flags,
		.max_args = 2,
	};
	struct connect_req r = { .type = BT6LOWPAN_ADDR_TYPE_PUBLIC };
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
	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_PEER_CONNECT, put_connect, &r);
}
