// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl status [-j]: configuration and peers at a glance.
 */
#include <errno.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-j|--json]";
static const char help[] =
	"Shows whether the module listens for IPSP connections (node role), the\n"
	"LE PSM in effect, the recovery settings and how many peers there are\n"
	"(and how many are connected), one NAME VALUE per line:\n"
	"  enable on|off, psm 0xNNNN, stall-timeout-ms MS, auto-reconnect on|off,\n"
	"  reconnect-max-ms MS, peers N, connected N\n"
	"  -j, --json   one JSON object\n";

void config_from_attrs(struct nlattr **tb, struct bt6_config *cfg)
{
	if (tb[BT6LOWPAN_A_CONFIG_ENABLE])
		cfg->enable = nla_get_u8(tb[BT6LOWPAN_A_CONFIG_ENABLE]);
	if (tb[BT6LOWPAN_A_CONFIG_PSM])
		cfg->psm = nla_get_u16(tb[BT6LOWPAN_A_CONFIG_PSM]);
	/* older modules do not report them */
	cfg->has_recovery = tb[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS] &&
			    tb[BT6LOWPAN_A_CONFIG_AUTO_RECONNECT] &&
			    tb[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS];
	if (!cfg->has_recovery)
		return;
	cfg->stall_timeout_ms =
		nla_get_u32(tb[BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS]);
	cfg->auto_reconnect = nla_get_u8(tb[BT6LOWPAN_A_CONFIG_AUTO_RECONNECT]);
	cfg->reconnect_max_ms =
		nla_get_u32(tb[BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS]);
}

static int config_attrs(struct nlattr **tb, void *arg)
{
	config_from_attrs(tb, arg);
	return 0;
}

int get_config(struct bt6_nl *nl, const char *cmd, struct bt6_config *cfg)
{
	struct nl_msg *msg = bt6_nl_msg(nl, BT6LOWPAN_CMD_CONFIG_GET, false);

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
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
	};
	struct bt6_config cfg = { 0 };
	struct counts n = { 0 };
	struct bt6_nl *nl;
	int ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	ret = EXIT_FAIL;
	if (get_config(nl, argv[0], &cfg) ||
	    for_each_peer(nl, argv[0], count_peer, &n))
		goto out;
	if (opt_json) {
		putchar('{');
		print_config_json(stdout, &cfg, BT6_CFG_ALL);
		printf(",\"peers\":%u,\"connected\":%u}\n", n.peers,
		       n.connected);
	} else {
		print_config_plain(stdout, &cfg, BT6_CFG_ALL, '\n');
		printf("peers %u\nconnected %u\n", n.peers, n.connected);
	}
	ret = EXIT_OK;
out:
	bt6_nl_close(nl);
	return ret;
}
