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

int cmd_connect(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "adapter", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t addr[6], type = BT6LOWPAN_ADDR_TYPE_PUBLIC;
	bool have_index = false;
	uint16_t index = 0;
	struct nl_msg *msg;
	struct bt6_nl *nl;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_hci(optarg, &index))
				return bad_usage(argv[0], synopsis,
						 "'%s' is not an adapter (hciN)",
						 optarg);
			have_index = true;
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
	if (parse_addr(argv[optind], addr))
		return bad_usage(argv[0], synopsis,
				 "'%s' is not an address (XX:XX:XX:XX:XX:XX)",
				 argv[optind]);
	if (argc - optind > 2)
		return bad_usage(argv[0], synopsis, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (argc - optind == 2 && parse_addr_type(argv[optind + 1], &type))
		return bad_usage(argv[0], synopsis,
				 "'%s' is not an address type (public or random)",
				 argv[optind + 1]);

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	msg = bt6_nl_msg(nl, BT6LOWPAN_CMD_CONNECT, false);
	if (!msg || nla_put(msg, BT6LOWPAN_A_PEER_ADDR, 6, addr) ||
	    nla_put_u8(msg, BT6LOWPAN_A_PEER_ADDR_TYPE, type) ||
	    (have_index && nla_put_u32(msg, BT6LOWPAN_A_PEER_ADAPTER, index))) {
		nlmsg_free(msg);
		bt6_nl_close(nl);
		cmd_error(argv[0], ENOMEM, NULL);
		return EXIT_FAIL;
	}
	err = bt6_nl_call(nl, argv[0], msg, 0, NULL, NULL);
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}
