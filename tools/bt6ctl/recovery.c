// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl recovery [-j] [-s MS] [-a on|off] [-m MS]: the stall watchdog and
 * the reconnect policy.
 */
#include <errno.h>
#include <getopt.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] =
	"[-j|--json] [-s|--stall-timeout MS] [-a|--auto-reconnect on|off] [-m|--reconnect-max MS]";
static const char help[] =
	"Without options, shows the recovery settings, as status does:\n"
	"  stall-timeout-ms MS, auto-reconnect on|off, reconnect-max-ms MS\n"
	"With options, sets what is given, all or nothing:\n"
	"  -s, --stall-timeout MS     reset a link with data waiting and no\n"
	"                             transmit progress for MS milliseconds\n"
	"                             (0-600000; 0 turns stall detection off)\n"
	"  -a, --auto-reconnect on|off  reconnect lost links this host made\n"
	"  -m, --reconnect-max MS     longest delay between reconnect attempts\n"
	"                             (1000-3600000)\n"
	"  -j, --json                 show as a JSON object\n";

struct recovery_req {
	struct opt_uint stall, max;
	struct opt_bool on;
};

static int put_recovery(struct nl_msg *msg, void *arg)
{
	struct recovery_req *r = arg;

	return (r->stall.given &&
		nla_put_u32(msg, BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS,
			    r->stall.v)) ||
	       (r->on.given &&
		nla_put_u8(msg, BT6LOWPAN_A_CONFIG_AUTO_RECONNECT,
			   r->on.on)) ||
	       (r->max.given &&
		nla_put_u32(msg, BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS,
			    r->max.v));
}

static int show(const char *cmd)
{
	struct bt6_config cfg = { 0 };
	struct bt6_nl *nl;
	int err;

	nl = bt6_nl_open(cmd);
	if (!nl)
		return EXIT_FAIL;
	err = get_config(nl, cmd, &cfg);
	bt6_nl_close(nl);
	if (err)
		return EXIT_FAIL;
	if (!cfg.has_recovery) {
		cmd_error(cmd, EOPNOTSUPP,
			  "the loaded module does not report its recovery settings");
		return EXIT_FAIL;
	}
	if (opt_json) {
		putchar('{');
		print_config_json(stdout, &cfg, BT6_CFG_RECOVERY);
		puts("}");
	} else {
		print_config_plain(stdout, &cfg, BT6_CFG_RECOVERY, '\n');
	}
	return EXIT_OK;
}

int cmd_recovery(int argc, char *argv[])
{
	static struct recovery_req r = {
		.stall = { .max = BT6LOWPAN_STALL_TIMEOUT_MAX_MS },
		.max = { .min = BT6LOWPAN_RECONNECT_MIN_MS,
			 .max = BT6LOWPAN_RECONNECT_MAX_MS },
	};
	static const struct cmd_flag flags[] = {
		{ 's', "stall-timeout", NULL, opt_ms, &r.stall,
		  "is not a stall timeout (0-600000 ms)", false },
		{ 'a', "auto-reconnect", NULL, opt_onoff, &r.on,
		  "is not on or off", false },
		{ 'm', "reconnect-max", NULL, opt_ms, &r.max,
		  "is not a reconnect maximum (1000-3600000 ms)", false },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
		.flags = flags,
	};
	int ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (!r.stall.given && !r.on.given && !r.max.given)
		return show(argv[0]);
	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_CONFIG_SET, put_recovery,
			      &r);
}
