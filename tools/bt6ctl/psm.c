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

static int put_psm(struct nl_msg *msg, void *arg)
{
	return nla_put_u16(msg, BT6LOWPAN_A_CONFIG_PSM, *(uint16_t *)arg);
}

int cmd_psm(int argc, char *argv[])
{
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
		.max_args = 1,
	};
	struct bt6_config cfg = { 0 };
	struct bt6_nl *nl;
	uint16_t psm = 0;
	int err;

	err = cmd_parse(argc, argv, &spec);
	if (err >= 0)
		return err;
	if (optind == argc) {
		nl = bt6_nl_open(argv[0]);
		if (!nl)
			return EXIT_FAIL;
		err = get_config(nl, argv[0], &cfg);
		bt6_nl_close(nl);
		if (err)
			return EXIT_FAIL;
		if (opt_json)
			printf("{\"psm\":%u}\n", cfg.psm);
		else
			printf("0x%04x\n", cfg.psm);
		return EXIT_OK;
	}
	err = parse_psm(argv[optind], &psm);
	if (err == -ERANGE)
		return bad_usage(argv[0], synopsis,
				 "PSM '%s' out of range 0x0001-0x00ff",
				 argv[optind]);
	if (err)
		return bad_usage(argv[0], synopsis,
				 "'%s' is not a PSM (decimal or 0x hex)",
				 argv[optind]);
	return bt6_nl_request(argv[0], BT6LOWPAN_CMD_CONFIG_SET, put_psm, &psm);
}
