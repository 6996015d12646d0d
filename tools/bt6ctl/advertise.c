// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl advertise on|off [-i hciN]: node role LE advertising carrying the
 * IP Support Service UUID (0x1820), through the management socket.
 */
#include <endian.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "bt6ctl.h"

#define ADV_INSTANCE	1

static const char synopsis[] = "on|off [-i hciN]";
static const char help[] =
	"on: connectable LE advertising that carries the IP Support Service\n"
	"UUID 0x1820 (advertising instance 1), so that routers find this node;\n"
	"turns LE and the adapter on when needed. off: removes that instance.\n"
	"Replaces 'hciconfig hciN leadv'. Needs CAP_NET_ADMIN.\n"
	"  -i, --adapter hciN   the adapter (default: the first one)\n";

static int adv_on(int fd, const char *cmd, uint16_t index)
{
	struct mgmt_rp_read_info info;
	uint8_t buf[sizeof(struct mgmt_cp_add_advertising) + 31];
	struct mgmt_cp_add_advertising *cp = (void *)buf;
	uint8_t on = 1, off = 0, inst = ADV_INSTANCE;
	uint32_t settings;
	size_t n = 0, adlen;
	int st;

	memset(&info, 0, sizeof(info));
	st = mgmt_cmd(fd, MGMT_OP_READ_INFO, index, NULL, 0, &info,
		      sizeof(info), &n);
	if (st)
		return mgmt_fail(cmd, index, "Read Info", st);
	if (!(le32toh(info.supported_settings) & MGMT_SETTING_LE)) {
		fprintf(stderr, "%s: %s: hci%u does not support LE\n", prog,
			cmd, index);
		return EXIT_FAIL;
	}
	settings = le32toh(info.current_settings);
	if (!(settings & MGMT_SETTING_LE)) {
		st = mgmt_cmd(fd, MGMT_OP_SET_LE, index, &on, 1, NULL, 0, NULL);
		if (st)
			return mgmt_fail(cmd, index, "Set LE", st);
	}
	/* The adapter-wide advertising setting would hide our instance. */
	if (settings & MGMT_SETTING_ADVERTISING) {
		st = mgmt_cmd(fd, MGMT_OP_SET_ADVERTISING, index, &off, 1, NULL,
			      0, NULL);
		if (st)
			return mgmt_fail(cmd, index, "Set Advertising", st);
	}
	mgmt_cmd(fd, MGMT_OP_REMOVE_ADVERTISING, index, &inst, 1, NULL, 0,
		 NULL);

	memset(buf, 0, sizeof(buf));
	adlen = ipss_adv_data(cp->data, 31);
	cp->instance = ADV_INSTANCE;
	cp->flags = htole32(MGMT_ADV_FLAG_CONNECTABLE | MGMT_ADV_FLAG_DISCOV);
	cp->adv_data_len = (uint8_t)adlen;
	st = mgmt_cmd(fd, MGMT_OP_ADD_ADVERTISING, index, cp,
		      (uint16_t)(sizeof(*cp) + adlen), NULL, 0, NULL);
	if (st)
		return mgmt_fail(cmd, index, "Add Advertising", st);
	if (!(settings & MGMT_SETTING_POWERED)) {
		st = mgmt_cmd(fd, MGMT_OP_SET_POWERED, index, &on, 1, NULL, 0,
			      NULL);
		if (st)
			return mgmt_fail(cmd, index, "Set Powered", st);
	}
	printf("hci%u: advertising the IP Support Service (0x1820)\n", index);
	return EXIT_OK;
}

static int adv_off(int fd, const char *cmd, uint16_t index)
{
	uint8_t inst = ADV_INSTANCE;
	int st;

	st = mgmt_cmd(fd, MGMT_OP_REMOVE_ADVERTISING, index, &inst, 1, NULL, 0,
		      NULL);
	/* no such instance: already off */
	if (st && st != MGMT_STATUS_INVALID_PARAMS)
		return mgmt_fail(cmd, index, "Remove Advertising", st);
	printf("hci%u: not advertising\n", index);
	return EXIT_OK;
}

int cmd_advertise(int argc, char *argv[])
{
	static struct opt_adapter hci;
	static const struct cmd_flag flags[] = {
		{ 'i', "adapter", NULL, opt_adapter, &hci,
		  "is not an adapter (hciN)" },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .flags = flags,
		.max_args = 1,
	};
	uint16_t index;
	bool on;
	int fd, ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (optind == argc)
		return bad_usage(argv[0], synopsis, "%s", "say on or off");
	if (!strcmp(argv[optind], "on"))
		on = true;
	else if (!strcmp(argv[optind], "off"))
		on = false;
	else
		return bad_usage(argv[0], synopsis, "'%s': say on or off",
				 argv[optind]);

	fd = mgmt_open(argv[0]);
	if (fd < 0)
		return EXIT_FAIL;
	if (mgmt_pick_index(fd, argv[0], hci.name, &index)) {
		close(fd);
		return EXIT_FAIL;
	}
	ret = on ? adv_on(fd, argv[0], index) : adv_off(fd, argv[0], index);
	close(fd);
	return ret;
}
