// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl peers [-j]: the peer dump, one line (or JSON object) per peer.
 */
#include <errno.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-s|--stats] [-j|--json]";
static const char help[] =
	"Lists the peers, as ADDRESS TYPE ADAPTER INTERFACE STATE, with the last\n"
	"error of a failed connect (e.g. error=-111 (Connection refused)), and\n"
	"'persistent' for a persistent peer (connect --persistent; STATE waiting\n"
	"while it has no link). INTERFACE is - while the adapter has no netdev.\n"
	"  -s, --stats  two more lines per peer, as 'ip -s link': how long it has\n"
	"               been connected, stalls and reconnects (kept across\n"
	"               reconnects), packets and bytes each way, drops\n"
	"  -j, --json   a JSON array of objects: address, type, adapter, ifname,\n"
	"               ifindex, state, error, error_text, connected_ms,\n"
	"               tx_packets, tx_bytes, rx_packets, rx_bytes, drops,\n"
	"               stalls, reconnects, persistent (true, when it is)\n";

static bool opt_stats;

struct peer_walk {
	int (*fn)(const struct bt6_peer_view *p, void *arg);
	void *arg;
};

static int peer_attrs(struct nlattr **tb, void *arg)
{
	struct peer_walk *w = arg;
	struct bt6_peer_view p;

	peer_view_from_attrs(tb, &p);
	return w->fn(&p, w->arg);
}

int for_each_peer(struct bt6_nl *nl, const char *cmd,
		  int (*fn)(const struct bt6_peer_view *p, void *arg),
		  void *arg)
{
	struct peer_walk w = { .fn = fn, .arg = arg };
	struct nl_msg *msg = bt6_nl_msg(nl, BT6LOWPAN_CMD_PEER_GET, true);

	if (!msg) {
		cmd_error(cmd, ENOMEM, NULL);
		return -ENOMEM;
	}
	return bt6_nl_call(nl, cmd, msg, BT6LOWPAN_A_PEER_MAX, peer_attrs,
			   &w);
}

static int print_peer(const struct bt6_peer_view *p, void *arg)
{
	unsigned int *n = arg;

	if (opt_json) {
		fputs(*n ? ",\n " : "[", stdout);
		print_peer_json(stdout, p);
	} else {
		print_peer_plain(stdout, p);
		if (opt_stats)
			print_peer_stats(stdout, p);
	}
	(*n)++;
	return 0;
}

int cmd_peers(int argc, char *argv[])
{
	static const struct cmd_flag flags[] = {
		{ .short_name = 's', .long_name = "stats", .set = &opt_stats },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
		.flags = flags,
	};
	struct bt6_nl *nl;
	unsigned int n = 0;
	int err;

	err = cmd_parse(argc, argv, &spec);
	if (err >= 0)
		return err;

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	err = for_each_peer(nl, argv[0], print_peer, &n);
	bt6_nl_close(nl);
	if (err)
		return EXIT_FAIL;
	if (opt_json)
		puts(n ? "]" : "[]");
	return EXIT_OK;
}
