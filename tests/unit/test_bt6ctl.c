// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for bt6ctl's parsing and formatting (tools/bt6ctl/util.c).
 * Prints "PASS name" or "FAIL name: why" per check; tests/unit/run counts.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

const char *prog = "bt6ctl";
bool opt_json;

static int failed;

static void result(const char *name, int ok, const char *fmt, const char *a,
		   const char *b)
{
	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	failed = 1;
	printf("FAIL %s: ", name);
	printf(fmt, a, b);
	putchar('\n');
}

static void expect_str(const char *name, const char *got, const char *want)
{
	result(name, !strcmp(got, want), "got '%s', want '%s'", got, want);
}

static void expect_int(const char *name, long got, long want)
{
	char g[32], w[32];

	snprintf(g, sizeof(g), "%ld", got);
	snprintf(w, sizeof(w), "%ld", want);
	result(name, got == want, "got %s, want %s", g, w);
}

/* What @fn printed to a FILE. */
static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	return buf;
}

static void plain(FILE *f, const void *p)
{
	print_peer_plain(f, p);
}

static void json(FILE *f, const void *p)
{
	print_peer_json(f, p);
}

static void stats(FILE *f, const void *p)
{
	print_peer_stats(f, p);
}

static void cfg_plain(FILE *f, const void *c)
{
	print_config_plain(f, c, BT6_CFG_ALL, '\n');
}

static void cfg_line(FILE *f, const void *c)
{
	print_config_plain(f, c, BT6_CFG_ALL, ' ');
}

static void cfg_recovery(FILE *f, const void *c)
{
	print_config_plain(f, c, BT6_CFG_RECOVERY, '\n');
}

static void cfg_json(FILE *f, const void *c)
{
	print_config_json(f, c, BT6_CFG_ALL);
}

static void cfg_json_recovery(FILE *f, const void *c)
{
	print_config_json(f, c, BT6_CFG_RECOVERY);
}

static void jstr(FILE *f, const void *s)
{
	json_string(f, s);
}

/* What cmd_error() wrote to stderr. */
static char *stderr_of_cmd_error(const char *cmd, int err, const char *detail)
{
	static char out[512];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	cmd_error(cmd, err, detail);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

/*
 * A fake adapter behind the management socket, for advertise.c: the
 * instances that exist, the settings, and every command bt6ctl sent.
 * With @mesh_list, Read Advertising Features lists instances as Linux 6.0
 * and later do: only those numbered up to the number of instances.
 */
static struct fake_adapter {
	uint32_t settings;
	uint8_t max_instances;
	bool mesh_list;
	bool inst[256];
	uint16_t ops[64];
	uint8_t op_arg[64];
	int nops;
} fa;

int mgmt_open(const char *cmd)
{
	return dup(1);
}

int mgmt_pick_index(int fd, const char *cmd, const char *hci,
		    uint16_t *index)
{
	*index = 0;
	return 0;
}

int mgmt_fail(const char *cmd, uint16_t index, const char *what, int status)
{
	fprintf(stderr, "%s: %s: %s failed: %d\n", prog, cmd, what, status);
	return EXIT_FAIL;
}

int mgmt_cmd(int fd, uint16_t op, uint16_t index, const void *param,
	     uint16_t len, void *rsp, size_t size, size_t *rsp_len)
{
	const uint8_t *p = param;
	uint8_t rp[300];
	size_t n = 0;
	int i, cnt;

	if (fa.nops < 64) {
		fa.op_arg[fa.nops] = len ? p[0] : 0;
		fa.ops[fa.nops++] = op;
	}
	switch (op) {
	case MGMT_OP_READ_INFO: {
		struct mgmt_rp_read_info info = { 0 };

		info.supported_settings = htole32(MGMT_SETTING_LE |
						  MGMT_SETTING_POWERED |
						  MGMT_SETTING_ADVERTISING);
		info.current_settings = htole32(fa.settings);
		memcpy(rp, &info, sizeof(info));
		n = sizeof(info);
		break;
	}
	case MGMT_OP_SET_LE:
		fa.settings |= MGMT_SETTING_LE;
		break;
	case MGMT_OP_SET_POWERED:
		fa.settings |= MGMT_SETTING_POWERED;
		break;
	case MGMT_OP_SET_ADVERTISING:
		if (p[0])
			fa.settings |= MGMT_SETTING_ADVERTISING;
		else
			fa.settings &= ~MGMT_SETTING_ADVERTISING;
		break;
	case MGMT_OP_READ_ADV_FEATURES:
		memset(rp, 0, 8);
		rp[4] = rp[5] = 31;
		rp[6] = fa.max_instances;
		for (i = 1, cnt = 0; i < 256; i++)
			cnt += fa.inst[i];
		for (i = 1; i < 256; i++) {
			if (fa.inst[i] && (!fa.mesh_list || i <= cnt))
				rp[8 + rp[7]++] = (uint8_t)i;
		}
		n = 8 + rp[7];
		break;
	case MGMT_OP_ADD_ADVERTISING:
		if (!p[0] || p[0] > fa.max_instances)
			return MGMT_STATUS_INVALID_PARAMS;
		fa.inst[p[0]] = true;
		break;
	case MGMT_OP_REMOVE_ADVERTISING:
		if (!p[0]) {
			memset(fa.inst, 0, sizeof(fa.inst));
			break;
		}
		if (!fa.inst[p[0]])
			return MGMT_STATUS_INVALID_PARAMS;
		fa.inst[p[0]] = false;
		break;
	default:
		return 0x01;	/* Unknown Command */
	}
	if (rsp && n) {
		if (n > size)
			n = size;
		memcpy(rsp, rp, n);
	}
	if (rsp_len)
		*rsp_len = rsp ? n : 0;
	return 0;
}

static bool fa_sent(uint16_t op, int arg)
{
	int i;

	for (i = 0; i < fa.nops; i++) {
		if (fa.ops[i] == op && (arg < 0 || fa.op_arg[i] == arg))
			return true;
	}
	return false;
}

/* bt6ctl advertise @onoff, its output thrown away; the exit status. */
static int advertise(const char *onoff)
{
	char *argv[] = { "advertise", (char *)onoff, "-i", "hci0", NULL };
	int saved_out, saved_err, null, ret;

	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	dup2(null, 2);
	fa.nops = 0;
	ret = cmd_advertise(4, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(null);
	return ret;
}

static void test_advertise(void)
{
	/* bluetoothd's first client holds instance 1, as it hands it out */
	memset(&fa, 0, sizeof(fa));
	fa.settings = MGMT_SETTING_LE | MGMT_SETTING_POWERED;
	fa.max_instances = 5;
	fa.inst[1] = true;

	expect_int("adv-on-exit", advertise("on"), EXIT_OK);
	expect_int("adv-on-keeps-instance-1", fa.inst[1], 1);
	expect_int("adv-on-own-instance", fa.inst[5], 1);
	expect_int("adv-on-no-remove",
		   fa_sent(MGMT_OP_REMOVE_ADVERTISING, -1), 0);
	expect_int("adv-on-no-set-advertising",
		   fa_sent(MGMT_OP_SET_ADVERTISING, -1), 0);
	expect_int("adv-on-again-exit", advertise("on"), EXIT_OK);
	expect_int("adv-on-again-same-instance",
		   fa.inst[1] && fa.inst[5] && !fa.inst[2] && !fa.inst[4], 1);
	expect_int("adv-off-exit", advertise("off"), EXIT_OK);
	expect_int("adv-off-removes-own", fa.inst[5], 0);
	expect_int("adv-off-keeps-instance-1", fa.inst[1], 1);
	expect_int("adv-off-only-own",
		   fa_sent(MGMT_OP_REMOVE_ADVERTISING, 5) &&
		   !fa_sent(MGMT_OP_REMOVE_ADVERTISING, 1) &&
		   !fa_sent(MGMT_OP_REMOVE_ADVERTISING, 0), 1);
	expect_int("adv-off-again-exit", advertise("off"), EXIT_OK);
	expect_int("adv-off-again-removes-nothing-else",
		   fa.inst[1] && !fa_sent(MGMT_OP_REMOVE_ADVERTISING, 1) &&
		   !fa_sent(MGMT_OP_REMOVE_ADVERTISING, 0), 1);

	/* Linux 6.0+ lists instance 5 only when all five exist: off still
	 * removes it (the kernel in the guest hid instance 3 of 3 next to 1)
	 */
	fa.mesh_list = true;
	expect_int("adv-hidden-on-exit", advertise("on"), EXIT_OK);
	expect_int("adv-hidden-on-own-instance", fa.inst[1] && fa.inst[5], 1);
	expect_int("adv-hidden-off-exit", advertise("off"), EXIT_OK);
	expect_int("adv-hidden-off-removes-own", fa.inst[5], 0);
	expect_int("adv-hidden-off-keeps-instance-1", fa.inst[1], 1);
	fa.mesh_list = false;

	/* the adapter-wide setting (btmgmt advertising on) stays on */
	fa.settings |= MGMT_SETTING_ADVERTISING;
	expect_int("adv-global-on-fails", advertise("on"), EXIT_FAIL);
	expect_int("adv-global-stays-on",
		   !!(fa.settings & MGMT_SETTING_ADVERTISING) &&
		   !fa_sent(MGMT_OP_SET_ADVERTISING, -1), 1);
	expect_int("adv-global-keeps-instance-1", fa.inst[1], 1);

	/* one instance only: it is bluetoothd's to hand out */
	memset(&fa, 0, sizeof(fa));
	fa.settings = MGMT_SETTING_LE | MGMT_SETTING_POWERED;
	fa.max_instances = 1;
	fa.inst[1] = true;
	expect_int("adv-single-instance-fails", advertise("on"), EXIT_FAIL);
	expect_int("adv-single-instance-untouched",
		   fa.inst[1] && !fa_sent(MGMT_OP_ADD_ADVERTISING, -1) &&
		   !fa_sent(MGMT_OP_REMOVE_ADVERTISING, -1), 1);
	expect_int("adv-single-instance-off-fails", advertise("off"), EXIT_FAIL);
	expect_int("adv-single-instance-off-untouched", fa.inst[1], 1);
}

static void test_addr(void)
{
	uint8_t a[6];
	char s[18];

	expect_int("addr-valid", parse_addr("00:AA:01:02:03:0F", a), 0);
	expect_int("addr-lsb-first", a[0] == 0x0f && a[1] == 0x03 &&
		   a[4] == 0xaa && a[5] == 0x00, 1);
	format_addr(a, s);
	expect_str("addr-roundtrip", s, "00:AA:01:02:03:0F");
	expect_int("addr-lowercase", parse_addr("00:aa:01:02:03:0f", a), 0);
	format_addr(a, s);
	expect_str("addr-lowercase-upper-out", s, "00:AA:01:02:03:0F");
	expect_int("addr-short", parse_addr("00:AA:01:02:03", a), -EINVAL);
	expect_int("addr-long", parse_addr("00:AA:01:02:03:04:05", a), -EINVAL);
	expect_int("addr-trailing", parse_addr("00:AA:01:02:03:04 ", a), -EINVAL);
	expect_int("addr-dashes", parse_addr("00-AA-01-02-03-04", a), -EINVAL);
	expect_int("addr-nonhex", parse_addr("00:AA:01:02:03:0G", a), -EINVAL);
	expect_int("addr-single-digits", parse_addr("0:AA:1:02:03:04:5", a),
		   -EINVAL);
	expect_int("addr-empty", parse_addr("", a), -EINVAL);
}

static void test_type_hci_secs(void)
{
	uint8_t t = 0;
	uint16_t i = 0;
	unsigned int s = 0;

	expect_int("type-public", parse_addr_type("public", &t) == 0 &&
		   t == BT6LOWPAN_ADDR_TYPE_PUBLIC, 1);
	expect_int("type-random", parse_addr_type("random", &t) == 0 &&
		   t == BT6LOWPAN_ADDR_TYPE_RANDOM, 1);
	expect_int("type-bad", parse_addr_type("Public", &t), -EINVAL);
	expect_int("type-number", parse_addr_type("1", &t), -EINVAL);
	expect_int("hci-0", parse_hci("hci0", &i) == 0 && i == 0, 1);
	expect_int("hci-12", parse_hci("hci12", &i) == 0 && i == 12, 1);
	expect_int("hci-bare-number", parse_hci("3", &i) == 0 && i == 3, 1);
	expect_int("hci-leading-zero", parse_hci("hci01", &i), -EINVAL);
	expect_int("hci-empty", parse_hci("hci", &i), -EINVAL);
	expect_int("hci-letters", parse_hci("hciX", &i), -EINVAL);
	expect_int("hci-too-big", parse_hci("hci10000", &i), -EINVAL);
	expect_int("hci-negative", parse_hci("hci-1", &i), -EINVAL);
	expect_int("secs-10", parse_seconds("10", &s) == 0 && s == 10, 1);
	expect_int("secs-0", parse_seconds("0", &s), -EINVAL);
	expect_int("secs-3601", parse_seconds("3601", &s), -EINVAL);
	expect_int("secs-junk", parse_seconds("5s", &s), -EINVAL);
	expect_int("secs-negative", parse_seconds("-5", &s), -EINVAL);
}

static void test_psm(void)
{
	uint16_t p = 0;

	expect_int("psm-decimal", parse_psm("35", &p) == 0 && p == 35, 1);
	expect_int("psm-hex", parse_psm("0x23", &p) == 0 && p == 0x23, 1);
	expect_int("psm-hex-upper", parse_psm("0X3E", &p) == 0 && p == 0x3e, 1);
	expect_int("psm-max", parse_psm("0x00ff", &p) == 0 && p == 0xff, 1);
	expect_int("psm-min", parse_psm("1", &p) == 0 && p == 1, 1);
	expect_int("psm-leading-zero-decimal", parse_psm("010", &p) == 0 &&
		   p == 10, 1);
	expect_int("psm-256", parse_psm("256", &p), -ERANGE);
	expect_int("psm-0", parse_psm("0", &p), -ERANGE);
	expect_int("psm-0x100", parse_psm("0x100", &p), -ERANGE);
	expect_int("psm-huge", parse_psm("99999999999999999999", &p), -ERANGE);
	expect_int("psm-0x-only", parse_psm("0x", &p), -EINVAL);
	expect_int("psm-negative", parse_psm("-1", &p), -EINVAL);
	expect_int("psm-blank", parse_psm(" 35", &p), -EINVAL);
	expect_int("psm-trailing", parse_psm("35\n", &p), -EINVAL);
	expect_int("psm-empty", parse_psm("", &p), -EINVAL);
	expect_int("psm-hex-junk", parse_psm("0x2g", &p), -EINVAL);
}

static void test_format(void)
{
	struct bt6_peer_view p = {
		.addr = { 0x00, 0x00, 0x00, 0x01, 0xaa, 0x00 },
		.addr_type = BT6LOWPAN_ADDR_TYPE_PUBLIC,
		.has_adapter = true, .adapter = 1,
		.has_ifname = true, .ifname = "bt1",
		.has_ifindex = true, .ifindex = 7,
		.has_state = true, .state = BT6LOWPAN_PEER_STATE_CONNECTED,
	};
	char *s;

	s = capture(plain, &p);
	expect_str("plain-connected", s, "00:AA:01:00:00:00 public hci1 bt1 connected\n");
	free(s);
	s = capture(json, &p);
	expect_str("json-connected", s,
		   "{\"address\":\"00:AA:01:00:00:00\",\"type\":\"public\",\"adapter\":\"hci1\",\"ifname\":\"bt1\",\"ifindex\":7,\"state\":\"connected\"}");
	free(s);

	p.has_ifname = p.has_ifindex = false;
	p.addr_type = BT6LOWPAN_ADDR_TYPE_RANDOM;
	p.state = BT6LOWPAN_PEER_STATE_FAILED;
	p.has_error = true;
	p.error = ECONNREFUSED;
	s = capture(plain, &p);
	expect_str("plain-failed", s,
		   "00:AA:01:00:00:00 random hci1 - failed error=-111 (Connection refused)\n");
	free(s);
	s = capture(json, &p);
	expect_str("json-failed", s,
		   "{\"address\":\"00:AA:01:00:00:00\",\"type\":\"random\",\"adapter\":\"hci1\",\"state\":\"failed\",\"error\":111,\"error_text\":\"Connection refused\"}");
	free(s);

	p.has_error = false;
	p.state = 42;
	p.event = BT6LOWPAN_EVENT_DOWN;
	s = capture(json, &p);
	expect_str("json-event-unknown-state", s,
		   "{\"address\":\"00:AA:01:00:00:00\",\"type\":\"random\",\"event\":\"down\",\"adapter\":\"hci1\",\"state\":\"unknown\"}");
	free(s);

	s = capture(jstr, "a\"b\\c\nd\x01");
	expect_str("json-escape", s, "\"a\\\"b\\\\c\\nd\\u0001\"");
	free(s);

	expect_str("state-disconnecting",
		   state_name(BT6LOWPAN_PEER_STATE_DISCONNECTING), "disconnecting");
	expect_str("event-removed", event_name(BT6LOWPAN_EVENT_REMOVED), "removed");
	expect_str("event-0", event_name(0), "unknown");
}

static void test_errors(void)
{
	expect_str("error-eperm",
		   stderr_of_cmd_error("connect", EPERM, NULL),
		   "bt6ctl: connect: Operation not permitted (CAP_NET_ADMIN needed)\n");
	expect_str("error-extack",
		   stderr_of_cmd_error("connect", -ENODEV,
				       "no such adapter, or it is not up with LE enabled"),
		   "bt6ctl: connect: No such device: no such adapter, or it is not up with LE enabled\n");
	expect_str("error-plain",
		   stderr_of_cmd_error("disconnect", ENOENT, ""),
		   "bt6ctl: disconnect: No such file or directory\n");
	expect_str("error-eperm-extack-cap",
		   stderr_of_cmd_error("connect", -EPERM,
				       "changes need CAP_NET_ADMIN"),
		   "bt6ctl: connect: Operation not permitted (CAP_NET_ADMIN needed)\n");
	expect_str("error-eperm-extack-other",
		   stderr_of_cmd_error("connect", EPERM, "refused"),
		   "bt6ctl: connect: Operation not permitted: refused (CAP_NET_ADMIN needed)\n");
	expect_str("error-erange-extack",
		   stderr_of_cmd_error("recovery", -ERANGE,
				       "stall timeout out of range 0-600000 ms"),
		   "bt6ctl: recovery: Numerical result out of range: stall timeout out of range 0-600000 ms\n");
}

static void test_ms_onoff(void)
{
	unsigned int ms = 7;
	bool on = false;
	char d[32];

	expect_int("ms-0", parse_ms("0", 0, 600000, &ms), 0);
	expect_int("ms-0-value", ms, 0);
	expect_int("ms-max", parse_ms("600000", 0, 600000, &ms), 0);
	expect_int("ms-max-value", ms, 600000);
	expect_int("ms-over", parse_ms("600001", 0, 600000, &ms), -ERANGE);
	expect_int("ms-under", parse_ms("999", 1000, 3600000, &ms), -ERANGE);
	expect_int("ms-huge", parse_ms("99999999999", 0, 600000, &ms), -ERANGE);
	expect_int("ms-negative", parse_ms("-1", 0, 600000, &ms), -EINVAL);
	expect_int("ms-unit", parse_ms("5s", 0, 600000, &ms), -EINVAL);
	expect_int("ms-hex", parse_ms("0x10", 0, 600000, &ms), -EINVAL);
	expect_int("ms-empty", parse_ms("", 0, 600000, &ms), -EINVAL);
	expect_int("ms-blank", parse_ms(" 5", 0, 600000, &ms), -EINVAL);
	expect_int("ms-unchanged", ms, 600000);
	expect_int("onoff-on", parse_onoff("on", &on) == 0 && on, 1);
	expect_int("onoff-off", parse_onoff("off", &on) == 0 && !on, 1);
	expect_int("onoff-1", parse_onoff("1", &on) == 0 && on, 1);
	expect_int("onoff-no", parse_onoff("no", &on) == 0 && !on, 1);
	expect_int("onoff-bad", parse_onoff("On", &on), -EINVAL);
	format_duration(250, d, sizeof(d));
	expect_str("duration-ms", d, "250ms");
	format_duration(4567, d, sizeof(d));
	expect_str("duration-s", d, "4.5s");
	format_duration(125000, d, sizeof(d));
	expect_str("duration-m", d, "2m05s");
	format_duration(3723000, d, sizeof(d));
	expect_str("duration-h", d, "1h02m03s");
}

static void test_stats_config(void)
{
	struct bt6_peer_view p = {
		.addr = { 0x00, 0x00, 0x00, 0x01, 0xaa, 0x00 },
		.addr_type = BT6LOWPAN_ADDR_TYPE_PUBLIC,
		.has_adapter = true, .adapter = 1,
		.has_ifname = true, .ifname = "bt1",
		.has_state = true, .state = BT6LOWPAN_PEER_STATE_CONNECTED,
		.has_up = true, .up_ms = 61000,
		.has_counters = true,
		.tx_packets = 5, .tx_bytes = 640, .rx_packets = 4,
		.rx_bytes = 512, .drops = 1, .stalls = 2, .reconnects = 3,
	};
	struct bt6_config c = {
		.enable = true, .psm = 0x23, .has_recovery = true,
		.stall_timeout_ms = 10000, .auto_reconnect = false,
		.reconnect_max_ms = 30000,
	};
	char *s;

	s = capture(plain, &p);
	expect_str("plain-with-counters", s,
		   "00:AA:01:00:00:00 public hci1 bt1 connected\n");
	free(s);
	s = capture(stats, &p);
	expect_str("stats-lines", s,
		   "    connected 1m01s  stalls 2  reconnects 3\n"
		   "    RX: packets 4 bytes 512  TX: packets 5 bytes 640  drops 1\n");
	free(s);
	s = capture(json, &p);
	expect_str("json-counters", s,
		   "{\"address\":\"00:AA:01:00:00:00\",\"type\":\"public\",\"adapter\":\"hci1\",\"ifname\":\"bt1\",\"state\":\"connected\",\"connected_ms\":61000,\"tx_packets\":5,\"tx_bytes\":640,\"rx_packets\":4,\"rx_bytes\":512,\"drops\":1,\"stalls\":2,\"reconnects\":3}");
	free(s);
	p.has_up = false;
	p.state = BT6LOWPAN_PEER_STATE_RECONNECTING;
	s = capture(stats, &p);
	expect_str("stats-not-connected", s,
		   "    not connected  stalls 2  reconnects 3\n"
		   "    RX: packets 4 bytes 512  TX: packets 5 bytes 640  drops 1\n");
	free(s);
	p.has_counters = false;
	s = capture(stats, &p);
	expect_str("stats-none", s, "    not connected\n");
	free(s);

	/* status, recovery and monitor: one spelling per setting */
	s = capture(cfg_plain, &c);
	expect_str("config-plain", s,
		   "enable on\npsm 0x0023\nstall-timeout-ms 10000\nauto-reconnect off\nreconnect-max-ms 30000\n");
	free(s);
	s = capture(cfg_line, &c);
	expect_str("config-line", s,
		   "enable on psm 0x0023 stall-timeout-ms 10000 auto-reconnect off reconnect-max-ms 30000\n");
	free(s);
	s = capture(cfg_recovery, &c);
	expect_str("config-recovery", s,
		   "stall-timeout-ms 10000\nauto-reconnect off\nreconnect-max-ms 30000\n");
	free(s);
	s = capture(cfg_json, &c);
	expect_str("config-json", s,
		   "\"enable\":true,\"psm\":35,\"stall_timeout_ms\":10000,\"auto_reconnect\":false,\"reconnect_max_ms\":30000");
	free(s);
	s = capture(cfg_json_recovery, &c);
	expect_str("config-json-recovery", s,
		   "\"stall_timeout_ms\":10000,\"auto_reconnect\":false,\"reconnect_max_ms\":30000");
	free(s);
	c.has_recovery = false;
	c.enable = false;
	s = capture(cfg_line, &c);
	expect_str("config-line-old-module", s, "enable off psm 0x0023\n");
	free(s);
}

static void test_eir(void)
{
	/* flags; 16 bit UUIDs 0x180F, 0x1820; name "node" */
	static const uint8_t with[] = {
		2, 0x01, 0x06,
		5, 0x03, 0x0f, 0x18, 0x20, 0x18,
		5, 0x09, 'n', 'o', 'd', 'e',
	};
	static const uint8_t without[] = { 2, 0x01, 0x06, 3, 0x03, 0x0f, 0x18 };
	static const uint8_t incomplete[] = { 3, 0x02, 0x20, 0x18 };
	static const uint8_t svcdata[] = { 4, 0x16, 0x20, 0x18, 0x01 };
	/* the UUID list claims more bytes than there are */
	static const uint8_t truncated[] = { 2, 0x01, 0x06, 9, 0x03, 0x20, 0x18 };
	/* the 0x1820 bytes straddle two fields */
	static const uint8_t straddle[] = { 2, 0x03, 0x20, 2, 0x18, 0x00 };
	static const uint8_t shortname[] = { 3, 0x08, 'n', 'o' };
	uint8_t ad[31];
	char name[16];

	expect_int("eir-uuid-found", eir_has_uuid16(with, sizeof(with), 0x1820), 1);
	expect_int("eir-uuid-absent",
		   eir_has_uuid16(without, sizeof(without), 0x1820), 0);
	expect_int("eir-incomplete-list",
		   eir_has_uuid16(incomplete, sizeof(incomplete), 0x1820), 1);
	expect_int("eir-service-data",
		   eir_has_uuid16(svcdata, sizeof(svcdata), 0x1820), 1);
	expect_int("eir-truncated",
		   eir_has_uuid16(truncated, sizeof(truncated), 0x1820), 0);
	expect_int("eir-straddle",
		   eir_has_uuid16(straddle, sizeof(straddle), 0x1820), 0);
	expect_int("eir-empty", eir_has_uuid16(with, 0, 0x1820), 0);
	eir_name(with, sizeof(with), name, sizeof(name));
	expect_str("eir-name", name, "node");
	eir_name(shortname, sizeof(shortname), name, sizeof(name));
	expect_str("eir-short-name", name, "no");
	eir_name(with, 3, name, sizeof(name));
	expect_str("eir-no-name", name, "");
	expect_int("adv-data-len", (long)ipss_adv_data(ad, sizeof(ad)), 4);
	expect_int("adv-data-bytes", ad[0] == 3 && ad[1] == 0x03 &&
		   ad[2] == 0x20 && ad[3] == 0x18, 1);
	expect_int("adv-data-self-check", eir_has_uuid16(ad, 4, IPSS_UUID16), 1);
}

static void untrusted(FILE *f, const void *s)
{
	print_untrusted(f, s);
}

/* Names from any nearby advertiser: nothing raw reaches the terminal,
 * and the JSON is valid UTF-8 whatever the bytes.
 */
static void test_untrusted(void)
{
	static const struct { const char *name, *in, *text, *json; } t[] = {
		{ "plain", "node-1", "node-1", "\"node-1\"" },
		{ "esc", "\x1b[2Jx", "\\x1b[2Jx", "\"\\u001b[2Jx\"" },
		{ "osc-bel", "\x1b]0;t\x07", "\\x1b]0;t\\x07", "\"\\u001b]0;t\\u0007\"" },
		{ "newline-cr", "a\nb\r", "a\\x0ab\\x0d", "\"a\\nb\\u000d\"" },
		{ "del", "a\x7f", "a\\x7f", "\"a\\u007f\"" },
		{ "backslash", "a\\x1b", "a\\\\x1b", "\"a\\\\x1b\"" },
		{ "utf8", "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac",
		  "\"caf\xc3\xa9 \xe2\x82\xac\"" },
		{ "utf8-4byte", "\xf0\x9f\x93\xa1", "\xf0\x9f\x93\xa1",
		  "\"\xf0\x9f\x93\xa1\"" },
		/* U+009B is CSI to some terminals */
		{ "c1-csi", "\xc2\x9b" "2J", "\\xc2\\x9b" "2J", "\"\\u009b2J\"" },
		{ "cut-2of3", "ab\xe2\x82", "ab\\xe2\\x82", "\"ab\\ufffd\\ufffd\"" },
		{ "cut-1of2", "x\xc3", "x\\xc3", "\"x\\ufffd\"" },
		{ "latin1", "caf\xe9!", "caf\\xe9!", "\"caf\\ufffd!\"" },
		{ "overlong", "\xc0\xaf", "\\xc0\\xaf", "\"\\ufffd\\ufffd\"" },
		{ "surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80",
		  "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "beyond-10ffff", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "stray-continuation", "\x80z", "\\x80z", "\"\\ufffdz\"" },
	};
	char name[64];
	size_t i;
	char *s;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "untrusted-text-%s", t[i].name);
		s = capture(untrusted, t[i].in);
		expect_str(name, s, t[i].text);
		free(s);
		snprintf(name, sizeof(name), "untrusted-json-%s", t[i].name);
		s = capture(jstr, t[i].in);
		expect_str(name, s, t[i].json);
		free(s);
	}
}

static void test_time(void)
{
	/* 2025-11-27 09:40:00.123 UTC */
	struct timespec ts = { .tv_sec = 1764236400, .tv_nsec = 123456789 };
	char out[48];

	setenv("TZ", "CET-1", 1);
	tzset();
	format_time(&ts, true, out, sizeof(out));
	expect_str("time-rfc3339", out, "2025-11-27T10:40:00.123+01:00");
	format_time(&ts, false, out, sizeof(out));
	expect_str("time-local", out, "2025-11-27T10:40:00.123");
	setenv("TZ", "UTC0", 1);
	tzset();
	format_time(&ts, true, out, sizeof(out));
	expect_str("time-rfc3339-utc", out, "2025-11-27T09:40:00.123+00:00");
}

int main(void)
{
	test_addr();
	test_type_hci_secs();
	test_psm();
	test_format();
	test_errors();
	test_ms_onoff();
	test_stats_config();
	test_eir();
	test_advertise();
	test_untrusted();
	test_time();
	return failed;
}
