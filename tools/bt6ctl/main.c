// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl: control tool for the bt6lowpan module (IPv6 over BLE, RFC 7668).
 * One file per command; this one dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "bt6ctl.h"

const char *prog = "bt6ctl";
bool opt_json;

const struct bt6_cmd bt6_cmds[] = {
	{ "status", cmd_status, "show the module's configuration and peers count" },
	{ "enable", cmd_enable, "listen for IPSP connections (node role)" },
	{ "disable", cmd_disable, "stop listening" },
	{ "psm", cmd_psm, "show or set the LE PSM" },
	{ "connect", cmd_connect, "connect to a node (router role)" },
	{ "disconnect", cmd_disconnect, "disconnect a peer" },
	{ "recover", cmd_recover, "reset a peer's link now" },
	{ "recovery", cmd_recovery, "show or set the stall timeout and reconnect policy" },
	{ "peers", cmd_peers, "list the peers" },
	{ "monitor", cmd_monitor, "print events as they happen" },
	{ "advertise", cmd_advertise, "LE advertising with the IP Support Service (node role)" },
	{ "scan", cmd_scan, "list nearby IPSP nodes (router role)" },
	{ "version", cmd_version, "show the versions of bt6ctl and the module" },
	{ NULL, NULL, NULL },
};

static int usage(int status)
{
	FILE *f = status ? stderr : stdout;
	const struct bt6_cmd *c;

	fprintf(f, "usage: %s [-j|--json] COMMAND [ARGS]\n", prog);
	if (status) {
		fprintf(f, "Try '%s --help'.\n", prog);
		return status;
	}
	fputs("\nControl IPv6 over Bluetooth LE (bluetooth_6lowpan).\n\nCommands:\n",
	      f);
	for (c = bt6_cmds; c->name; c++)
		fprintf(f, "  %-11s %s\n", c->name, c->summary);
	fprintf(f, "\n'%s COMMAND --help' describes a command. Exit status: 0 success,\n"
		"1 failure, 2 usage error.\n", prog);
	return status;
}

int main(int argc, char *argv[])
{
	const struct bt6_cmd *c;
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			opt_json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return usage(EXIT_OK);
		} else if (!strcmp(argv[i], "-V") ||
			   !strcmp(argv[i], "--version")) {
			return cmd_version(1, (char *[]){ "version", NULL });
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", prog,
				argv[i]);
			return usage(EXIT_USAGE);
		}
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "%s: no command given\n", prog);
		return usage(EXIT_USAGE);
	}
	if (!strcmp(argv[i], "help"))
		return usage(EXIT_OK);
	for (c = bt6_cmds; c->name; c++) {
		if (!strcmp(argv[i], c->name))
			return c->run(argc - i, argv + i);
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[i]);
	return usage(EXIT_USAGE);
}
