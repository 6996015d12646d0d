// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl monitor [-t] [-j] [-c COUNT]: the "events" group, one line per
 * event.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <time.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-t|--timestamp] [-j|--json] [-c|--count N]";
static const char help[] =
	"Prints the module's events as they happen, until interrupted:\n"
	"  EVENT ADDRESS TYPE ADAPTER INTERFACE STATE [error=...]\n"
	"  config enable on|off psm 0xNNNN stall-timeout-ms MS\n"
	"         auto-reconnect on|off reconnect-max-ms MS\n"
	"Events: added, up, down, stalled, reconnecting, removed; config\n"
	"whenever a setting changes, through any interface.\n"
	"  -t, --timestamp  each line after the local time it was received,\n"
	"                   [YYYY-MM-DDTHH:MM:SS.mmm]\n"
	"  -j, --json       one JSON object per line, with \"time\" (RFC 3339,\n"
	"                   local time, milliseconds) always\n"
	"  -c, --count N    exit after N events\n";

struct mon {
	unsigned long count, seen;
	bool stamp;
};

static int print_event(uint8_t gcmd, struct nlattr **tb, void *arg)
{
	struct mon *m = arg;
	struct bt6_peer_view p;
	struct bt6_config cfg = { 0 };
	struct timespec now;
	char ts[48];

	if (gcmd != BT6LOWPAN_CMD_PEER_NTF && gcmd != BT6LOWPAN_CMD_CONFIG_NTF)
		return 0;
	clock_gettime(CLOCK_REALTIME, &now);
	if (opt_json) {
		format_time(&now, true, ts, sizeof(ts));
		printf("{\"time\":\"%s\",", ts);
	} else if (m->stamp) {
		format_time(&now, false, ts, sizeof(ts));
		printf("[%s] ", ts);
	}
	if (gcmd == BT6LOWPAN_CMD_PEER_NTF) {
		peer_view_from_attrs(tb, &p);
		if (opt_json) {
			print_peer_json_members(stdout, &p);
			puts("}");
		} else {
			printf("%s ", event_name(p.event));
			print_peer_plain(stdout, &p);
		}
	} else {
		config_from_attrs(tb, &cfg);
		if (opt_json) {
			fputs("\"event\":\"config\",", stdout);
			print_config_json(stdout, &cfg, BT6_CFG_ALL);
			puts("}");
		} else {
			fputs("config ", stdout);
			print_config_plain(stdout, &cfg, BT6_CFG_ALL, ' ');
		}
	}
	/* nobody reads (a full disk, /dev/full): stop, exit 1 */
	if (fflush(stdout) || ferror(stdout))
		return -EIO;
	m->seen++;
	return m->count && m->seen >= m->count;
}

int cmd_monitor(int argc, char *argv[])
{
	static struct opt_uint count;
	static struct mon m;
	static const struct cmd_flag flags[] = {
		{ 'c', "count", NULL, opt_count, &count, "is not a count", false },
		{ .short_name = 't', .long_name = "timestamp", .set = &m.stamp },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
		.flags = flags,
	};
	struct bt6_nl *nl;
	int err;

	err = cmd_parse(argc, argv, &spec);
	if (err >= 0)
		return err;
	m.count = count.v;

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	err = bt6_nl_monitor(nl, argv[0], print_event, &m);
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}
