// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl enable / disable [--disconnect]: listening for IPSP (node role).
 */
#include <stdbool.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char enable_synopsis[] = "";
static const char enable_help[] =
	"Listens for incoming IPSP channels on every LE adapter (node role).\n"
	"The node also needs LE advertising: see 'bt6ctl advertise'.\n";
static const char disable_synopsis[] = "[-d|--disconnect]";
static const char disable_help[] =
	"Stops listening. Connected peers stay unless --disconnect is given.\n"
	"  -d, --disconnect   close every peer too\n";

struct enable_req {
	bool on, all;
};

static int put_enable(struct nl_msg *msg, void *arg)
{
	struct enable_req *r = arg;

	return nla_put_u8(msg, BT6LOWPAN_A_CONFIG_ENABLE, r->on) ||
	       (r->all && nla_put_flag(msg, BT6LOWPAN_A_CONFIG_DISCONNECT_ALL));
}

int cmd_enable(int argc, char *argv[])
{
	static const struct cmd_spec spec = {
		.synopsis = enable_synopsis, .help = enable_help,
	};
	struct enable_req r = { .on = true };
	int ret = cmd_parse(argc, argv, &spec);

	if (ret >= 0)
		return ret;
	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_CONFIG_SET, put_enable,
			      &r);
}

int cmd_disable(int argc, char *argv[])
{
	static struct enable_req r;
	static const struct cmd_flag flags[] = {
		{ .short_name = 'd', .long_name = "disconnect", .set = &r.all },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = disable_synopsis, .help = disable_help,
		.flags = flags,
	};
	int ret = cmd_parse(argc, argv, &spec);

	if (ret >= 0)
		return ret;
	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_CONFIG_SET, put_enable,
			      &r);
}
