// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl advertise on|off [-i hciN]: node role LE advertising carrying the
 * IP Support Service UUID (0x1820), through the management socket.
 *
 * Other programs advertise on the same adapter: bluetoothd hands out
 * advertising instances from 1 upwards to its clients. bt6ctl keeps to
 * one instance of its own, the highest the adapter supports (Max_Instances
 * of Read Advertising Features), adds and removes only that one, and
 * never touches the adapter-wide advertising setting (Set Advertising).
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bt6ctl.h"

static const char synopsis[] = "on|off [-i hciN]";
static const char help[] =
	"on: connectable LE advertising that carries the IP Support Service\n"
	"UUID 0x1820, so that routers find this node; turns LE and the adapter\n"
	"on when needed. bt6ctl uses an advertising instance of its own, the\n"
	"highest the adapter supports (bluetoothd hands out 1 upwards), and\n"
	"leaves every other instance and the adapter-wide advertising setting\n"
	"alone. off: removes bt6ctl's instance only.\n"
	"Replaces 'hciconfig hciN leadv'. Needs CAP_NET_ADMIN.\n"
	"  -i, --adapter hciN   the adapter (default: the first one)\n";

int adv_read_features(int fd, uint16_t index, struct adv_features *af)
{
	uint8_t rp[8 + 255];
	size_t n = 0;
	int st;

	memset(af, 0, sizeof(*af));
	st = mgmt_cmd(fd, MGMT_OP_READ_ADV_FEATURES, index, NULL, 0, rp,
		      sizeof(rp), &n);
	if (st)
		return st;
	if (n < 8 || n < 8 + (size_t)rp[7])
		return -EPROTO;
	af->max_instances = rp[6];
	return 0;
}

/* bt6ctl's instance on an adapter with @af, or 0 when it has none to
 * spare: with a single instance, it is the one bluetoothd would use.
 */
uint8_t adv_own_instance(const struct adv_features *af)
{
	return af->max_instances >= 2 ? af->max_instances : 0;
}

/*
 * Whether bt6ctl's instance is there cannot be read back (see adv_off), so
 * showconf reports what bt6ctl last set, per adapter: a line "hciN" per
 * adapter set on, in $BT6CTL_STATE_DIR/advertising (default /run/bt6ctl:
 * gone at reboot, as the instances are).
 */
static const char *adv_state_dir(void)
{
	const char *d = getenv("BT6CTL_STATE_DIR");

	return d && *d ? d : "/run/bt6ctl";
}

/* Bit i of @set: hci<i> on, for i < 1024 (higher ones are not kept). */
#define ADV_STATE_MAX	1024

static int adv_state_read(uint8_t set[ADV_STATE_MAX / 8])
{
	char path[4096], line[32];
	uint16_t index;
	FILE *f;

	memset(set, 0, ADV_STATE_MAX / 8);
	snprintf(path, sizeof(path), "%s/advertising", adv_state_dir());
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!parse_hci(line, &index) && index < ADV_STATE_MAX)
			set[index / 8] |= (uint8_t)(1u << (index % 8));
	}
	fclose(f);
	return 0;
}

int adv_state_get(uint16_t index, bool *on)
{
	uint8_t set[ADV_STATE_MAX / 8];
	int err = adv_state_read(set);

	*on = !err && index < ADV_STATE_MAX &&
	      (set[index / 8] & (1u << (index % 8)));
	return err;
}

int adv_state_set(uint16_t index, bool on)
{
	uint8_t set[ADV_STATE_MAX / 8];
	char path[4096], tmp[4096 + 16];
	unsigned int i;
	FILE *f;

	if (index >= ADV_STATE_MAX)
		return 0;
	adv_state_read(set);
	if (on)
		set[index / 8] |= (uint8_t)(1u << (index % 8));
	else
		set[index / 8] &= (uint8_t)~(1u << (index % 8));
	if (mkdir(adv_state_dir(), 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/advertising", adv_state_dir());
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	for (i = 0; i < ADV_STATE_MAX; i++) {
		if (set[i / 8] & (1u << (i % 8)))
			fprintf(f, "hci%u\n", i);
	}
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return -errno;
	}
	return 0;
}

static int adv_features(int fd, const char *cmd, uint16_t index,
			struct adv_features *af, uint8_t *inst)
{
	int st = adv_read_features(fd, index, af);

	if (st)
		return mgmt_fail(cmd, index, "Read Advertising Features", st);
	*inst = adv_own_instance(af);
	if (!*inst) {
		fprintf(stderr,
			"%s: %s: hci%u supports %u advertising instance%s: none to spare for bt6ctl besides bluetoothd's\n",
			prog, cmd, index, af->max_instances,
			af->max_instances == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int adv_on(int fd, const char *cmd, uint16_t index)
{
	struct mgmt_rp_read_info info;
	uint8_t buf[sizeof(struct mgmt_cp_add_advertising) + 31];
	struct mgmt_cp_add_advertising *cp = (void *)buf;
	struct adv_features af;
	uint8_t on = 1, inst;
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
	if (adv_features(fd, cmd, index, &af, &inst))
		return EXIT_FAIL;

	/* a second "on" updates the same instance in place */
	memset(buf, 0, sizeof(buf));
	adlen = ipss_adv_data(cp->data, 31);
	cp->instance = inst;
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
	if (settings & MGMT_SETTING_ADVERTISING) {
		/* Set Advertising takes precedence over every instance */
		fprintf(stderr,
			"%s: %s: hci%u: instance %u added, but the adapter-wide advertising setting is on and hides it until it is off (btmgmt -i hci%u advertising off)\n",
			prog, cmd, index, inst, index);
		return EXIT_FAIL;
	}
	printf("hci%u: advertising the IP Support Service (0x1820), instance %u\n",
	       index, inst);
	return EXIT_OK;
}

static int adv_off(int fd, const char *cmd, uint16_t index)
{
	struct adv_features af;
	uint8_t inst;
	int st;

	if (adv_features(fd, cmd, index, &af, &inst))
		return EXIT_FAIL;
	/*
	 * Not decided from the instance list of Read Advertising Features:
	 * since the mesh support (Linux 6.0) it omits every instance numbered
	 * above the number of instances, so ours, the highest, is missing
	 * from it whenever a lower one is free. Removing an instance that
	 * does not exist fails with Invalid Parameters and changes nothing.
	 */
	st = mgmt_cmd(fd, MGMT_OP_REMOVE_ADVERTISING, index, &inst, 1, NULL, 0,
		      NULL);
	if (st && st != MGMT_STATUS_INVALID_PARAMS)
		return mgmt_fail(cmd, index, "Remove Advertising", st);
	printf("hci%u: not advertising the IP Support Service\n", index);
	return EXIT_OK;
}

int adv_set(int fd, const char *cmd, uint16_t index, bool on)
{
	int ret = on ? adv_on(fd, cmd, index) : adv_off(fd, cmd, index);

	if (ret == EXIT_OK && adv_state_set(index, on))
		fprintf(stderr, "%s: %s: cannot record hci%u's advertising in %s/advertising: %s\n",
			prog, cmd, index, adv_state_dir(), strerror(errno));
	return ret;
}

int cmd_advertise(int argc, char *argv[])
{
	static struct opt_adapter hci;
	static const struct cmd_flag flags[] = {
		{ 'i', "adapter", NULL, opt_adapter, &hci,
		  "is not an adapter (hciN)", false },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .flags = flags,
		.max_args = 1,
	};
	uint16_t index;
	bool on;
	int fd, ret;

	hci.name = NULL;
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
	ret = adv_set(fd, argv[0], index, on);
	close(fd);
	return ret;
}
