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

static const char synopsis[] = "ADDR [public|random] [-i hciN]";
static const char help[] =
	"Connects to the node ADDR (XX:XX:XX:XX:XX:XX; type public by default)\n"
	"over the LE PSM in effect (router role). Without -i the route to ADDR\n"
	"picks the adapter. Returns once the connect has started: 'bt6ctl peers'\n"
	"and 'bt6ctl monitor' show the outcome.\n"
	"  -i, --adapter hciN   connect from that adapter\n";

struct connect_req {
	uint8_t addr[6], type;
	bool have_index;
	uint16_t index;
};

static int put_connect(struct nl_msg *msg, void *arg)
{
	struct connect_req *r = arg;

	return nla_put(msg, BT6LOWPAN_A_PEER_ADDR, 6, r->addr) ||
	       nla_put_u8(msg, BT6LOWPAN_A_PEER_ADDR_TYPE, r->type) ||
	       (r->have_index &&
		nla_put_u32(msg, BT6LOWPAN_A_PEER_ADAPTER, r->index));
}

int cmd_connect(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "adapter", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct connect_req r = { .type = BT6LOWPAN_ADDR_TYPE_PUBLIC };
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_hci(optarg, &r.index))
				return bad_usage(argv[0], synopsis,
						 "'%s' is not an adapter (hciN)",
						 optarg);
			r.have_index = true;
			break;
		case 'h':
			return cmd_usage(argv[0], synopsis, help, EXIT_OK);
		default:
			return bad_usage(argv[0], synopsis,
					 "unknown option or missing value '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind == argc)
		return bad_usage(argv[0], synopsis, "%s", "no address given");
	if (parse_addr(argv[optind], r.addr))
		return bad_usage(argv[0], synopsis,
				 "'%s' is not an address (XX:XX:XX:XX:XX:XX)",
				 argv[optind]);
	if (argc - optind > 2)
		return bad_usage(argv[0], synopsis, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (argc - optind == 2 && parse_addr_type(argv[optind + 1], &r.type))
		return bad_usage(argv[0], synopsis,
				 "'%s' is not an address type (public or random)",
				 argv[optind + 1]);

	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_CONNECT, put_connect, &r);
}
