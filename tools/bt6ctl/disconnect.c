// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl disconnect ADDR [public|random].
 */
#include <errno.h>
#include <getopt.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "ADDR [public|random]";
static const char help[] =
	"Closes every peer with address ADDR (type public by default), on any\n"
	"adapter, and forgets a failed connect to it.\n";

int peer_request(int argc, char *argv[], uint8_t gcmd, const char *syn,
		 const char *text)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t addr[6], type = BT6LOWPAN_ADDR_TYPE_PUBLIC;
	struct nl_msg *msg;
	struct bt6_nl *nl;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return cmd_usage(argv[0], syn, text, EXIT_OK);
		return bad_usage(argv[0], syn, "unknown option '%s'",
				 argv[optind - 1]);
	}
	if (optind == argc)
		return bad_usage(argv[0], syn, "%s", "no address given");
	if (parse_addr(argv[optind], addr))
		return bad_usage(argv[0], syn,
				 "'%s' is not an address (XX:XX:XX:XX:XX:XX)",
				 argv[optind]);
	if (argc - optind > 2)
		return bad_usage(argv[0], syn, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (argc - optind == 2 && parse_addr_type(argv[optind + 1], &type))
		return bad_usage(argv[0], syn,
				 "'%s' is not an address type (public or random)",
				 argv[optind + 1]);

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	msg = bt6_nl_msg(nl, gcmd, false);
	if (!msg || nla_put(msg, BT6LOWPAN_A_PEER_ADDR, 6, addr) ||
	    nla_put_u8(msg, BT6LOWPAN_A_PEER_ADDR_TYPE, type)) {
		nlmsg_free(msg);
		bt6_nl_close(nl);
		cmd_error(argv[0], ENOMEM, NULL);
		return EXIT_FAIL;
	}
	err = bt6_nl_call(nl, argv[0], msg, 0, NULL, NULL);
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_disconnect(int argc, char *argv[])
{
	return peer_request(argc, argv, BT6LOWPAN_CMD_DISCONNECT, synopsis,
			    help);
}
