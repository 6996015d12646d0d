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
	"adapter, forgets a failed connect to it, and forgets it as a persistent\n"
	"peer (connect --persistent).\n";

struct peer_req {
	uint8_t addr[6], type;
};

static int put_peer(struct nl_msg *msg, void *arg)
{
	struct peer_req *r = arg;

	return nla_put(msg, BT6LOWPAN_A_PEER_ADDR, 6, r->addr) ||
	       nla_put_u8(msg, BT6LOWPAN_A_PEER_ADDR_TYPE, r->type);
}

int peer_request(int argc, char *argv[], uint8_t gcmd, const char *syn,
		 const char *text)
{
	const struct cmd_spec spec = {
		.synopsis = syn, .help = text, .max_args = 2,
	};
	struct peer_req r = { .type = BT6LOWPAN_ADDR_TYPE_PUBLIC };
	int ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (optind == argc)
		return bad_usage(argv[0], syn, "%s", "no address given");
	if (parse_addr(argv[optind], r.addr))
		return bad_usage(argv[0], syn,
				 "'%s' is not an address (XX:XX:XX:XX:XX:XX)",
				 argv[optind]);
	if (argc - optind == 2 && parse_addr_type(argv[optind + 1], &r.type))
		return bad_usage(argv[0], syn,
				 "'%s' is not an address type (public or random)",
				 argv[optind + 1]);
	return bt6_nl_request(argv[0], gcmd, put_peer, &r);
}

int cmd_disconnect(int argc, char *argv[])
{
	return peer_request(argc, argv, BT6LOWPAN_CMD_PEER_DISCONNECT, synopsis,
			    help);
}
