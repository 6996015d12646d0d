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
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mon m = { 0 };
	struct bt6_nl *nl;
	char *end;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "jc:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt_json = true;
			break;
		case 'c':
			m.count = strtoul(optarg, &end, 10);
			if (*end || !m.count || optarg[0] == '-')
				return bad_usage(argv[0], synopsis,
						 "'%s' is not a count", optarg);
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

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	err = bt6_nl_monitor(nl, argv[0], print_event, &m);
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}
