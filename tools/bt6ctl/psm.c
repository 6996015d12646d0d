// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl psm [-j] [VALUE]: show or set the LE PSM.
 */
#include <errno.h>
#include <getopt.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-j|--json] [VALUE]";
static const char help[] =
	"Without VALUE, shows the LE PSM in effect (0x0023, IPSP, by default).\n"
	"With VALUE (decimal, or hexadecimal after 0x; 0x0001-0x00ff), sets it:\n"
	"a listening module listens on the new PSM at once and keeps its peers;\n"
	"connects use the new PSM.\n"
	"  -j, --json   show as a JSON object\n";

int cmd_psm(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bt6_config cfg = { 0 };
	struct nl_msg *msg;
	struct bt6_nl *nl;
	uint16_t psm = 0;
	int c, err;

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
	if (argc - optind > 1)
		return bad_usage(argv[0], synopsis, "unexpected argument '%s'",
				 argv[optind + 1]);
	if (optind < argc) {
		err = parse_psm(argv[optind], &psm);
		if (err == -ERANGE)
			return bad_usage(argv[0], synopsis,
					 "PSM '%s' out of range 0x0001-0x00ff",
					 argv[optind]);
		if (err)
			return bad_usage(argv[0], synopsis,
					 "'%s' is not a PSM (decimal or 0x hex)",
					 argv[optind]);
	}

	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	if (!psm) {
		err = get_config(nl, argv[0], &cfg);
		if (!err) {
			if (opt_json)
				printf("{\"psm\":%u}\n", cfg.psm);
			else
				printf("0x%04x\n", cfg.psm);
		}
	} else {
		msg = bt6_nl_msg(nl, BT6LOWPAN_CMD_SET_CONFIG, false);
		if (!msg || nla_put_u16(msg, BT6LOWPAN_A_CONFIG_PSM, psm)) {
			nlmsg_free(msg);
			cmd_error(argv[0], ENOMEM, NULL);
			err = -ENOMEM;
		} else {
			err = bt6_nl_call(nl, argv[0], msg, 0, NULL, NULL);
		}
	}
	bt6_nl_close(nl);
	return err ? EXIT_FAIL : EXIT_OK;
}
