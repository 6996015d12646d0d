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
	"Without options, shows the recovery settings. With them, sets what is\n"
	"given, all or nothing:\n"
	"  -s, --stall-timeout MS     reset a link with data waiting and no\n"
	"                             transmit progress for MS milliseconds\n"
	"                             (0-600000; 0 turns stall detection off)\n"
	"  -a, --auto-reconnect on|off  reconnect lost links this host made\n"
	"  -m, --reconnect-max MS     longest delay between reconnect attempts\n"
	"                             (1000-3600000)\n"
	"  -j, --json                 show as a JSON object\n";

struct recovery_req {
	bool has_stall, has_auto, has_max;
	unsigned int stall, max;
	bool on;
};

static int put_recovery(struct nl_msg *msg, void *arg)
{
	struct recovery_req *r = arg;

	return (r->has_stall &&
		nla_put_u32(msg, BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS,
			    r->stall)) ||
	       (r->has_auto &&
		nla_put_u8(msg, BT6LOWPAN_A_CONFIG_AUTO_RECONNECT, r->on)) ||
	       (r->has_max &&
		nla_put_u32(msg, BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS, r->max));
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
	if (opt_json)
		printf("{\"stall_timeout_ms\":%u,\"auto_reconnect\":%s,\"reconnect_max_ms\":%u}\n",
		       cfg.stall_timeout_ms,
		       cfg.auto_reconnect ? "true" : "false",
		       cfg.reconnect_max_ms);
	else
		printf("stall-timeout %u ms%s\nauto-reconnect %s\nreconnect-max %u ms\n",
		       cfg.stall_timeout_ms,
		       cfg.stall_timeout_ms ? "" : " (off)",
		       cfg.auto_reconnect ? "on" : "off", cfg.reconnect_max_ms);
	return EXIT_OK;
}

static int bad_ms(const char *cmd, const char *what, const char *arg, int err,
		  unsigned int min, unsigned int max)
{
	if (err == -ERANGE)
		return bad_usage(cmd, synopsis, "%s '%s' out of range %u-%u ms",
				 what, arg, min, max);
	return bad_usage(cmd, synopsis, "%s '%s' is not a number of ms", what,
			 arg);
}

int cmd_recovery(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "stall-timeout", required_argument, NULL, 's' },
		{ "auto-reconnect", required_argument, NULL, 'a' },
		{ "reconnect-max", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct recovery_req r = { 0 };
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:a:m:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			err = parse_ms(optarg, 0, BT6LOWPAN_STALL_TIMEOUT_MAX_MS,
				       &r.stall);
			if (err)
				return bad_ms(argv[0], "stall timeout", optarg,
					      err, 0,
					      BT6LOWPAN_STALL_TIMEOUT_MAX_MS);
			r.has_stall = true;
			break;
		case 'a':
			if (parse_onoff(optarg, &r.on))
				return bad_usage(argv[0], synopsis,
						 "'%s': say on or off", optarg);
			r.has_auto = true;
			break;
		case 'm':
			err = parse_ms(optarg, BT6LOWPAN_RECONNECT_MIN_MS,
				       BT6LOWPAN_RECONNECT_MAX_MS, &r.max);
			if (err)
				return bad_ms(argv[0], "reconnect maximum",
					      optarg, err,
					      BT6LOWPAN_RECONNECT_MIN_MS,
					      BT6LOWPAN_RECONNECT_MAX_MS);
			r.has_max = true;
			break;
		case 'j':
			opt_json = true;
			break;
		case 'h':
			return cmd_usage(argv[0], synopsis, help, EXIT_OK);
		default:
			return bad_usage(argv[0], synopsis,
					 "unknown option or missing value '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind != argc)
		return bad_usage(argv[0], synopsis, "unexpected argument '%s'",
				 argv[optind]);
	if (!r.has_stall && !r.has_auto && !r.has_max)
		return show(argv[0]);
	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_SET_CONFIG, put_recovery,
			      &r);
}
