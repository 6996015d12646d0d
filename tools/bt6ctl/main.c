// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl: control tool for the bt6lowpan module (IPv6 over BLE, RFC 7668).
 * One file per command; this one dispatches.
 */
#include <errno.h>
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
	{ "apply", cmd_apply, "make the running state match a configuration file" },
	{ "showconf", cmd_showconf, "print the running state as a configuration file" },
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
	fprintf(f, "\n'%s help COMMAND' or '%s COMMAND --help' describes a command.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n", prog, prog);
	return status;
}

/* What the command wrote must have reached stdout: a full disk, a closed
 * pipe or /dev/full is a failure (exit 1), never a silent success.
 */
static int close_stdout(const char *cmd, int status)
{
	bool bad = fflush(stdout) != 0 || ferror(stdout);

	if (fclose(stdout) != 0)
		bad = true;
	if (!bad)
		return status;
	fprintf(stderr, "%s: %s%swrite error: %s\n", prog, cmd ? cmd : "",
		cmd ? ": " : "", strerror(errno ? errno : EIO));
	return status == EXIT_OK ? EXIT_FAIL : status;
}

static const struct bt6_cmd *find_cmd(const char *name)
{
	const struct bt6_cmd *c;

	for (c = bt6_cmds; c->name; c++) {
		if (!strcmp(name, c->name))
			return c;
	}
	return NULL;
}

/* "help [COMMAND]": the overview, or that command's --help. */
static int help(int argc, char *argv[])
{
	const struct bt6_cmd *c;

	if (argc < 2)
		return usage(EXIT_OK);
	if (argc > 2) {
		fprintf(stderr, "%s: help: unexpected argument '%s'\n", prog,
			argv[2]);
		return usage(EXIT_USAGE);
	}
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "%s: help: unknown command '%s'\n", prog,
			argv[1]);
		return usage(EXIT_USAGE);
	}
	opt_json = false;
	return c->run(2, (char *[]){ argv[1], "--help", NULL });
}

static int run(int argc, char *argv[])
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
		return help(argc - i, argv + i);
	c = find_cmd(argv[i]);
	if (c)
		return c->run(argc - i, argv + i);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[i]);
	return usage(EXIT_USAGE);
}

int main(int argc, char *argv[])
{
	const char *cmd = NULL;
	int i;

	for (i = 1; i < argc && !cmd; i++) {
		if (argv[i][0] != '-')
			cmd = argv[i];
	}
	return close_stdout(cmd, run(argc, argv));
}
