// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl apply [FILE] and bt6ctl showconf: the configuration file
 * (bt6lowpan.conf(5), conf.c) against the running state, as wg's
 * setconf/showconf. apply reads and checks the whole file, and the
 * adapters it names, before it changes anything; then it changes only
 * what differs, so that applying a file twice changes nothing.
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char apply_synopsis[] = "[-w|--wait [SECONDS]] [FILE]";
static const char apply_help[] =
	"Makes the running state match FILE (default " BT6_CONF_DEFAULT "; - for\n"
	"standard input), described in bt6lowpan.conf(5): the [Module] settings\n"
	"given, advertising of each [Adapter hciN], and exactly the [Peer]\n"
	"sections as persistent peers (a persistent peer the file does not name\n"
	"is disconnected and forgotten; other peers are left alone). The whole\n"
	"file and the adapters it names are checked first: on any error, a\n"
	"message with FILE:LINE and nothing is changed. Only what differs is\n"
	"changed, one line per change. Needs CAP_NET_ADMIN.\n"
	"  -w, --wait [SECONDS]  first wait until every adapter the file names is\n"
	"                        there (and powered with LE on, for its peers),\n"
	"                        SECONDS at most: at boot, bluetoothd may not have\n"
	"                        powered them yet (the unit waits 30 s)\n";

static const char showconf_synopsis[] = "";
static const char showconf_help[] =
	"Prints the running state in the format of bt6lowpan.conf(5): the\n"
	"[Module] settings, an [Adapter hciN] section for each adapter bt6ctl\n"
	"set advertising on (as recorded by bt6ctl: the kernel cannot tell),\n"
	"and a [Peer] section per persistent peer. 'bt6ctl showconf > F;\n"
	"bt6ctl apply F' changes nothing.\n";

/* ---- the running state --------------------------------------------------- */

static int add_persistent(const struct bt6_peer_view *p, void *arg)
{
	struct bt6_conf *c = arg;
	struct bt6_conf_peer cp = { 0 };

	if (!p->persistent || !p->has_adapter)
		return 0;
	cp.adapter = (uint16_t)p->adapter;
	memcpy(cp.addr, p->addr, 6);
	cp.type = p->addr_type;
	if (conf_has_peer(c, &cp) || c->npeers >= BT6_CONF_MAX_PEERS)
		return 0;
	c->peers[c->npeers++] = cp;
	return 0;
}

/* The adapters the management socket lists, up to @max; -errno. */
static int adapter_list(int fd, const char *cmd, uint16_t *idx, int max)
{
	uint8_t rp[MGMT_MAX_PAYLOAD];
	size_t n = 0;
	int st, i, count;

	st = mgmt_cmd(fd, MGMT_OP_READ_INDEX_LIST, MGMT_INDEX_NONE, NULL, 0,
		      rp, sizeof(rp), &n);
	if (st) {
		mgmt_fail(cmd, 0, "Read Index List", st);
		return -EIO;
	}
	if (n < 2)
		return 0;
	count = rp[0] | rp[1] << 8;
	for (i = 0; i < count && i < max && (size_t)(2 + 2 * i + 1) < n; i++)
		idx[i] = (uint16_t)(rp[2 + 2 * i] | rp[3 + 2 * i] << 8);
	return i;
}

/* The running state as a configuration, sorted. */
static int running_conf(struct bt6_nl *nl, const char *cmd,
			struct bt6_conf *c)
{
	struct bt6_config cfg = { 0 };
	uint16_t idx[BT6_CONF_MAX_ADAPTERS];
	int fd, n, i;
	bool on;

	memset(c, 0, sizeof(*c));
	if (get_config(nl, cmd, &cfg))
		return -EIO;
	c->has_enable = c->has_psm = true;
	c->enable = cfg.enable;
	c->psm = cfg.psm;
	if (cfg.has_recovery) {
		c->has_stall_timeout = c->has_auto_reconnect = true;
		c->has_reconnect_max = true;
		c->stall_timeout_ms = cfg.stall_timeout_ms;
		c->auto_reconnect = cfg.auto_reconnect;
		c->reconnect_max_ms = cfg.reconnect_max_ms;
	}
	if (for_each_peer(nl, cmd, add_persistent, c))
		return -EIO;

	/* Advertising as bt6ctl recorded it, for adapters there now. */
	fd = mgmt_open(cmd);
	if (fd >= 0) {
		n = adapter_list(fd, cmd, idx, BT6_CONF_MAX_ADAPTERS);
		for (i = 0; i < n; i++) {
			if (adv_state_get(idx[i], &on) || !on)
				continue;
			c->adapters[c->nadapters].index = idx[i];
			c->adapters[c->nadapters].advertise = true;
			c->nadapters++;
		}
		close(fd);
	}
	conf_sort(c);
	return 0;
}

int cmd_showconf(int argc, char *argv[])
{
	static const struct cmd_spec spec = {
		.synopsis = showconf_synopsis, .help = showconf_help,
	};
	struct bt6_conf *c;
	struct bt6_nl *nl;
	int ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	nl = bt6_nl_open(argv[0]);
	if (!nl)
		return EXIT_FAIL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		bt6_nl_close(nl);
		cmd_error(argv[0], ENOMEM, NULL);
		return EXIT_FAIL;
	}
	ret = running_conf(nl, argv[0], c) ? EXIT_FAIL : EXIT_OK;
	bt6_nl_close(nl);
	if (ret == EXIT_OK)
		conf_print(stdout, c);
	free(c);
	return ret;
}

/* ---- apply ----------------------------------------------------------------- */

/* An adapter the file names must be there, powered with LE on, before
 * anything changes (a persistent peer needs its adapter up to be added).
 */
enum adapter_state { ADAPTER_OK, ADAPTER_NONE, ADAPTER_ERR, ADAPTER_NO_LE,
		     ADAPTER_DOWN };

static enum adapter_state adapter_state(int fd, uint16_t index, bool need_up,
					int *st)
{
	struct mgmt_rp_read_info info;
	uint32_t cur;
	size_t n = 0;

	memset(&info, 0, sizeof(info));
	*st = mgmt_cmd(fd, MGMT_OP_READ_INFO, index, NULL, 0, &info,
		       sizeof(info), &n);
	if (*st == MGMT_STATUS_INVALID_INDEX)
		return ADAPTER_NONE;
	if (*st)
		return ADAPTER_ERR;
	cur = le32toh(info.current_settings);
	if (!(le32toh(info.supported_settings) & MGMT_SETTING_LE))
		return ADAPTER_NO_LE;
	if (need_up && (!(cur & MGMT_SETTING_POWERED) ||
			!(cur & MGMT_SETTING_LE)))
		return ADAPTER_DOWN;
	return ADAPTER_OK;
}

static int check_adapter(int fd, const char *file, unsigned int line,
			 uint16_t index, bool need_up)
{
	int st;

	switch (adapter_state(fd, index, need_up, &st)) {
	case ADAPTER_OK:
		return 0;
	case ADAPTER_NONE:
		fprintf(stderr, "%s: apply: %s:%u: hci%u: no such adapter; nothing changed\n",
			prog, file, line, index);
		return -ENODEV;
	case ADAPTER_ERR:
		fprintf(stderr, "%s: apply: %s:%u: hci%u: Read Info: %s; nothing changed\n",
			prog, file, line, index,
			st < 0 ? strerror(-st) : mgmt_status_str((uint8_t)st));
		return -EIO;
	case ADAPTER_NO_LE:
		fprintf(stderr, "%s: apply: %s:%u: hci%u does not support LE; nothing changed\n",
			prog, file, line, index);
		return -ENODEV;
	case ADAPTER_DOWN:
		break;
	}
	fprintf(stderr, "%s: apply: %s:%u: hci%u is not powered with LE on (btmgmt -i hci%u le on; btmgmt -i hci%u power on); nothing changed\n",
		prog, file, line, index, index, index);
	return -ENODEV;
}

/* Every adapter the file names is there (and up, for its peers)? */
static bool adapters_ready(int fd, const struct bt6_conf *w)
{
	unsigned int i;
	int st;

	for (i = 0; i < w->nadapters; i++)
		if (adapter_state(fd, w->adapters[i].index, false, &st) !=
		    ADAPTER_OK)
			return false;
	for (i = 0; i < w->npeers; i++)
		if (adapter_state(fd, w->peers[i].adapter, true, &st) !=
		    ADAPTER_OK)
			return false;
	return true;
}

/* --wait: at boot the unit may run before bluetoothd has powered the
 * adapters, or before a USB adapter is there: look again every 200 ms,
 * for @secs at most (forever when !@timed); the checks that follow say
 * what is still missing.
 */
static void wait_adapters(int fd, const struct bt6_conf *w, bool timed,
			  unsigned int secs)
{
	unsigned long long waited_ms = 0;

	while (!adapters_ready(fd, w) &&
	       (!timed || waited_ms < secs * 1000ULL)) {
		usleep(200 * 1000);
		waited_ms += 200;
	}
}

struct cfg_set {
	const struct bt6_conf *want, *have;
};

static int put_config(struct nl_msg *msg, void *arg)
{
	const struct cfg_set *s = arg;
	const struct bt6_conf *w = s->want, *h = s->have;

	return (w->has_enable && w->enable != h->enable &&
		nla_put_u8(msg, BT6LOWPAN_A_CONFIG_ENABLE, w->enable)) ||
	       (w->has_psm && w->psm != h->psm &&
		nla_put_u16(msg, BT6LOWPAN_A_CONFIG_PSM, w->psm)) ||
	       (w->has_stall_timeout &&
		w->stall_timeout_ms != h->stall_timeout_ms &&
		nla_put_u32(msg, BT6LOWPAN_A_CONFIG_STALL_TIMEOUT_MS,
			    w->stall_timeout_ms)) ||
	       (w->has_auto_reconnect &&
		w->auto_reconnect != h->auto_reconnect &&
		nla_put_u8(msg, BT6LOWPAN_A_CONFIG_AUTO_RECONNECT,
			   w->auto_reconnect)) ||
	       (w->has_reconnect_max &&
		w->reconnect_max_ms != h->reconnect_max_ms &&
		nla_put_u32(msg, BT6LOWPAN_A_CONFIG_RECONNECT_MAX_MS,
			    w->reconnect_max_ms));
}

/* Prints what changes; returns how many settings differ. */
static int config_diff(const struct bt6_conf *w, const struct bt6_conf *h)
{
	int n = 0;

	if (w->has_enable && w->enable != h->enable && ++n)
		printf("enable %s\n", w->enable ? "on" : "off");
	if (w->has_psm && w->psm != h->psm && ++n)
		printf("psm 0x%04x\n", w->psm);
	if (w->has_stall_timeout && w->stall_timeout_ms != h->stall_timeout_ms &&
	    ++n)
		printf("stall-timeout-ms %u\n", w->stall_timeout_ms);
	if (w->has_auto_reconnect && w->auto_reconnect != h->auto_reconnect &&
	    ++n)
		printf("auto-reconnect %s\n", w->auto_reconnect ? "on" : "off");
	if (w->has_reconnect_max && w->reconnect_max_ms != h->reconnect_max_ms &&
	    ++n)
		printf("reconnect-max-ms %u\n", w->reconnect_max_ms);
	return n;
}

static int put_peer(struct nl_msg *msg, void *arg)
{
	const struct bt6_conf_peer *p = arg;

	return nla_put(msg, BT6LOWPAN_A_PEER_ADDR, 6, p->addr) ||
	       nla_put_u8(msg, BT6LOWPAN_A_PEER_ADDR_TYPE, p->type) ||
	       (p->line &&
		(nla_put_u32(msg, BT6LOWPAN_A_PEER_ADAPTER, p->adapter) ||
		 nla_put_flag(msg, BT6LOWPAN_A_PEER_PERSISTENT)));
}

static int request(struct bt6_nl *nl, const char *cmd, uint8_t gcmd,
		   int (*put)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_msg *msg = bt6_nl_msg(nl, gcmd, false);

	if (!msg || put(msg, arg)) {
		nlmsg_free(msg);
		cmd_error(cmd, ENOMEM, NULL);
		return -ENOMEM;
	}
	return bt6_nl_call(nl, cmd, msg, 0, NULL, NULL);
}

static int apply(struct bt6_nl *nl, int fd, const char *cmd,
		 const struct bt6_conf *w, const struct bt6_conf *h)
{
	struct cfg_set s = { .want = w, .have = h };
	struct bt6_conf_peer p;
	unsigned int i;
	char a[18];
	int fail = 0;

	if (config_diff(w, h) &&
	    request(nl, cmd, BT6LOWPAN_CMD_CONFIG_SET, put_config, &s))
		return -EIO;	/* applied whole or not at all: stop here */

	/* Persistent peers the file does not name go first. */
	for (i = 0; i < h->npeers; i++) {
		if (conf_has_peer(w, &h->peers[i]))
			continue;
		p = h->peers[i];
		p.line = 0;
		format_addr(p.addr, a);
		printf("peer %s %s hci%u: disconnected and forgotten\n", a,
		       addr_type_name(p.type), p.adapter);
		if (request(nl, cmd, BT6LOWPAN_CMD_PEER_DISCONNECT, put_peer,
			    &p))
			fail = 1;
	}
	for (i = 0; i < w->npeers; i++) {
		if (conf_has_peer(h, &w->peers[i]))
			continue;
		format_addr(w->peers[i].addr, a);
		printf("peer %s %s hci%u: persistent\n", a,
		       addr_type_name(w->peers[i].type), w->peers[i].adapter);
		if (request(nl, cmd, BT6LOWPAN_CMD_PEER_CONNECT, put_peer,
			    (void *)&w->peers[i]))
			fail = 1;
	}

	/*
	 * Advertising: on is set again each time (the same instance with the
	 * same data: an adapter restarted since has lost it, and whether it
	 * is there cannot be read back); off removes bt6ctl's instance only.
	 */
	for (i = 0; i < w->nadapters; i++) {
		if (adv_set(fd, cmd, w->adapters[i].index,
			    w->adapters[i].advertise))
			fail = 1;
	}
	return fail ? -EIO : 0;
}

int cmd_apply(int argc, char *argv[])
{
	static bool wait;
	static struct opt_uint secs;
	static const struct cmd_flag flags[] = {
		{ 'w', "wait", &wait, opt_seconds, &secs,
		  "is not a number of seconds", true },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = apply_synopsis, .help = apply_help, .max_args = 1,
		.flags = flags,
	};
	const char *file = BT6_CONF_DEFAULT;
	struct bt6_conf *w = NULL, *h = NULL;
	struct bt6_nl *nl = NULL;
	char err[512];
	int ret, fd = -1;
	unsigned int i;
	FILE *f;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		file = argv[optind];

	w = calloc(1, sizeof(*w));
	h = calloc(1, sizeof(*h));
	if (!w || !h) {
		cmd_error(argv[0], ENOMEM, NULL);
		ret = EXIT_FAIL;
		goto out;
	}
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		fprintf(stderr, "%s: apply: %s: %s; nothing changed\n", prog,
			file, strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	ret = conf_parse(f, strcmp(file, "-") ? file : "<stdin>", w, err,
			 sizeof(err));
	if (f != stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "%s: apply: %s; nothing changed\n", prog, err);
		ret = EXIT_FAIL;
		goto out;
	}

	/* Everything is checked before the first change. */
	ret = EXIT_FAIL;
	nl = bt6_nl_open(argv[0]);
	if (!nl)
		goto out;
	if (w->nadapters || w->npeers) {
		fd = mgmt_open(argv[0]);
		if (fd < 0)
			goto out;
		if (wait)
			wait_adapters(fd, w, secs.given, secs.v);
	}
	for (i = 0; i < w->nadapters; i++) {
		if (check_adapter(fd, file, w->adapters[i].line,
				  w->adapters[i].index, false))
			goto out;
	}
	for (i = 0; i < w->npeers; i++) {
		if (check_adapter(fd, file, w->peers[i].line,
				  w->peers[i].adapter, true))
			goto out;
	}
	if (running_conf(nl, argv[0], h))
		goto out;

	ret = apply(nl, fd, argv[0], w, h) ? EXIT_FAIL : EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	if (nl)
		bt6_nl_close(nl);
	free(w);
	free(h);
	return ret;
}
