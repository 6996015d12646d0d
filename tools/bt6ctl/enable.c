// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl enable / disable [--disconnect]: listening for IPSP (node role).
 */
#include <errno.h>
#include <getopt.h>
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

static int set_enable(int argc, char *argv[], bool on)
{
	static const struct option opts[] = {
		{ "disconnect", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *synopsis = on ? enable_synopsis : disable_synopsis;
	bool all = false;
	struct nl_msg *msg;
	struct bt6_nl *nl;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, on ? "h" : "dh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (on)
				goto bad;
			all = true;
			break;
		case 'h':
			return cmd_usage(argv[0], synopsis,
					 on ? enable_help : disable_help,
					 EXIT_OK);
		default:
bad:
			return bad_usage(argv[0], synopsis, "unknown option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind != argc)
		return bad_usage(argv[0], synopsis, "unexpected argument '%s'",
				 argv[optind]);

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	msg = bt6_nl_msg(nl, BT6LOWPAN_CMD_SET_CONFIG, false);
	if (!msg || nla_put_u8(msg, BT6LOWPAN_A_CONFIG_ENABLE, on) ||
	    (all && nla_put_flag(msg, BT6LOWPAN_A_CONFIG_DISCONNECT_ALL))) {
		nlmsg_free(msg);
		bt6_nl_close(nl);
		cmd_error(argv[0], ENOMEM, NULL);
		return EXIT_FAIL;
	}
	err = bt6_nl_call(nl, argv[0], msg, 0, NULL, NULL);
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_enable(int argc, char *argv[])
{
	return set_enable(argc, argv, true);
}

int cmd_disable(int argc, char *argv[])
{
	return set_enable(argc, argv, false);
}
