// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl monitor [-j] [-c COUNT]: the "events" group, one line per event.
 */
#include <getopt.h>
#include <stdlib.h>
#include <time.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-j|--json] [-c|--count N]";
static const char help[] =
	"Prints the module's events as they happen, until interrupted:\n"
	"  EVENT ADDRESS TYPE ADAPTER INTERFACE STATE [error=...]\n"
	"  config listening=yes|no psm=0xNNNN stall-timeout=MSms\n"
	"         auto-reconnect=on|off reconnect-max=MSms\n"
	"each after the time (HH:MM:SS). Events: added, up, down, stalled,\n"
	"reconnecting, removed.\n"
	"  -j, --json      one JSON object per line\n"
	"  -c, --count N   exit after N events\n";

struct mon {
	unsigned long count, seen;
};

static int print_event(uint8_t gcmd, struct nlattr **tb, void *arg)
{
	struct mon *m = arg;
	struct bt6_peer_view p;
	char ts[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	if (gcmd == BT6LOWPAN_CMD_PEER_NTF) {
		peer_view_from_attrs(tb, &p);
		if (opt_json) {
			print_peer_json(stdout, &p);
			putchar('\n');
		} else {
			printf("%s %s ", ts, event_name(p.event));
			print_peer_plain(stdout, &p);
		}
	} else if (gcmd == BT6LOWPAN_CMD_CONFIG_NTF) {
		struct bt6_config cfg = { 0 };

		config_from_attrs(tb, &cfg);
		if (opt_json) {
			fputs("{\"event\":\"config\",", stdout);
			print_config_json(stdout, &cfg);
			puts("}");
		} else {
			printf("%s config ", ts);
			print_config_plain(stdout, &cfg);
		}
	} else {
		return 0;
	}
	fflush(stdout);
	m->seen++;
	return m->count && m->seen >= m->count;
}

int cmd_monitor(int argc, char *argv[])
{
	static struct opt_uint count;
	static const struct cmd_flag flags[] = {
		{ 'c', "count", NULL, opt_count, &count, "is not a count" },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
		.flags = flags,
	};
	struct mon m = { 0 };
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
