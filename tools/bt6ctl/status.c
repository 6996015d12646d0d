// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl status [-j]: configuration and peers at a glance.
 */
#include <errno.h>
#include <getopt.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-j|--json]";
static const char help[] =
	"Shows whether the module listens for IPSP connections (node role), the\n"
	"LE PSM in effect, and how many peers there are.\n"
	"  -j, --json   one JSON object\n";

static int config_attrs(struct nlattr **tb, void *arg)
{
	struct bt6_config *cfg = arg;

	if (tb[BT6LOWPAN_A_CONFIG_ENABLE])
		cfg->enable = nla_get_u8(tb[BT6LOWPAN_A_CONFIG_ENABLE]);
	if (tb[BT6LOWPAN_A_CONFIG_PSM])
		cfg->psm = nla_get_u16(tb[BT6LOWPAN_A_CONFIG_PSM]);
	return 0;
}

int get_config(struct bt6_nl *nl, const char *cmd, struct bt6_config *cfg)
{
	struct nl_msg *msg = bt6_nl_msg(nl, BT6LOWPAN_CMD_GET_CONFIG, false);

	if (!msg) {
		cmd_error(cmd, ENOMEM, NULL);
		return -ENOMEM;
	}
	return bt6_nl_call(nl, cmd, msg, BT6LOWPAN_A_CONFIG_MAX, config_attrs,
			   cfg);
}

struct counts {
	unsigned int peers, connected;
};

static int count_peer(const struct bt6_peer_view *p, void *arg)
{
	struct counts *n = arg;

	n->peers++;
	if (p->has_state && p->state == BT6LOWPAN_PEER_STATE_CONNECTED)
		n->connected++;
	return 0;
}

int cmd_status(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bt6_config cfg = { 0 };
	struct counts n = { 0 };
	struct bt6_nl *nl;
	int c, ret = EXIT_FAIL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt_json = true;
			break;
		case 'h':
			return cmd_usage(argv[0], synopsis, help, EXIT_OK);
		default:
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
	if (get_config(nl, argv[0], &cfg) ||
	    for_each_peer(nl, argv[0], count_peer, &n))
		goto out;
	if (opt_json)
		printf("{\"enable\":%s,\"psm\":%u,\"peers\":%u,\"connected\":%u}\n",
		       cfg.enable ? "true" : "false", cfg.psm, n.peers,
		       n.connected);
	else
		printf("listening: %s\npsm: 0x%04x\npeers: %u (%u connected)\n",
		       cfg.enable ? "yes" : "no", cfg.psm, n.peers,
		       n.connected);
	ret = EXIT_OK;
out:
	bt6_nl_close(nl);
	return ret;
}
