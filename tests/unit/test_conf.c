// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the configuration file parser (tools/bt6ctl/conf.c,
 * bt6lowpan.conf(5)): good files, bad files with their line numbers, and
 * the round trip of conf_print through conf_parse.
 * Prints "PASS name" or "FAIL name: why" per check; tests/unit/run counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

const char *prog = "bt6ctl";
bool opt_json;

static int failed;

static void check(const char *name, bool ok, const char *why)
{
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, why);
		failed++;
	}
}

static int parse_str(const char *text, struct bt6_conf *c, char *err,
		     size_t size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f) {
		snprintf(err, size, "fmemopen failed");
		return -1;
	}
	ret = conf_parse(f, "t.conf", c, err, size);
	fclose(f);
	return ret;
}

static char *print_str(const struct bt6_conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf_print(f, c);
	fclose(f);
	return buf;
}

static const char good[] =
	"# a gateway\n"
	"[Module]\n"
	"Enable = on\n"
	"  psm=0x0025   # comments after values too\n"
	"StallTimeoutMs = 0\n"
	"AutoReconnect = off\n"
	"ReconnectMaxMs = 2000\n"
	"\n"
	"[Adapter hci0]\n"
	"Advertise = on\n"
	"[adapter hci3]\n"
	"advertise = off\n"
	"[Peer]\n"
	"Adapter = hci1\n"
	"Address = 00:AA:01:00:00:00\n"
	"[Peer]\n"
	"Address = C0:00:00:00:00:02\n"
	"Type = random\n"
	"Adapter = hci1\n"
	"[Peer]\n"
	"Adapter = hci0\n"
	"Address = 00:AA:01:00:00:05\n"
	"Type = public\n";

static void test_good(void)
{
	struct bt6_conf c;
	char err[256];
	int ret = parse_str(good, &c, err, sizeof(err));

	check("conf-good-parses", ret == 0, err);
	if (ret)
		return;
	check("conf-good-module", c.has_enable && c.enable && c.has_psm &&
	      c.psm == 0x25 && c.has_stall_timeout && !c.stall_timeout_ms &&
	      c.has_auto_reconnect && !c.auto_reconnect &&
	      c.has_reconnect_max && c.reconnect_max_ms == 2000,
	      "a [Module] value is not what the file says");
	check("conf-good-adapters", c.nadapters == 2 &&
	      c.adapters[0].index == 0 && c.adapters[0].advertise &&
	      c.adapters[1].index == 3 && !c.adapters[1].advertise &&
	      c.adapters[1].line == 11,
	      "the [Adapter] sections are not what the file says");
	check("conf-good-peers", c.npeers == 3 &&
	      c.peers[0].adapter == 1 && c.peers[0].addr[5] == 0x00 &&
	      c.peers[0].addr[4] == 0xaa && c.peers[0].addr[0] == 0x00 &&
	      c.peers[0].type == BT6LOWPAN_ADDR_TYPE_PUBLIC &&
	      c.peers[0].line == 13 &&
	      c.peers[1].type == BT6LOWPAN_ADDR_TYPE_RANDOM &&
	      c.peers[1].addr[5] == 0xc0 && c.peers[1].addr[0] == 0x02 &&
	      c.peers[2].adapter == 0 && c.peers[2].line == 20,
	      "the [Peer] sections are not what the file says");
}

static void test_empty(void)
{
	struct bt6_conf c;
	char err[256];
	int ret = parse_str("# nothing\n\n   \n", &c, err, sizeof(err));

	check("conf-empty", ret == 0 && !c.has_enable && !c.has_psm &&
	      !c.has_stall_timeout && !c.has_auto_reconnect &&
	      !c.has_reconnect_max && !c.nadapters && !c.npeers,
	      ret ? err : "an empty file set something");
}

/* The printed form reads back as the same configuration, and prints the
 * same again; the order is conf_sort's.
 */
static void test_round_trip(void)
{
	struct bt6_conf a, b;
	char err[256], *p1, *p2;

	if (parse_str(good, &a, err, sizeof(err))) {
		check("conf-round-trip", false, err);
		return;
	}
	conf_sort(&a);
	p1 = print_str(&a);
	if (parse_str(p1, &b, err, sizeof(err))) {
		check("conf-round-trip", false, err);
		free(p1);
		return;
	}
	p2 = print_str(&b);
	check("conf-round-trip", !strcmp(p1, p2), "printed twice differently");
	check("conf-round-trip-values",
	      a.psm == b.psm && a.enable == b.enable &&
	      a.reconnect_max_ms == b.reconnect_max_ms &&
	      a.nadapters == b.nadapters && a.npeers == b.npeers &&
	      conf_has_peer(&b, &a.peers[0]) && conf_has_peer(&b, &a.peers[1]) &&
	      conf_has_peer(&b, &a.peers[2]),
	      "the printed file reads back as something else");
	check("conf-sorted", a.peers[0].adapter == 0 && a.peers[1].adapter == 1 &&
	      a.peers[1].addr[5] == 0x00 && a.peers[2].addr[5] == 0xc0,
	      "peers not sorted by adapter, then address");
	check("conf-print-format", strstr(p1, "[Module]\nEnable = on\nPSM = 0x0025\n") &&
	      strstr(p1, "\n[Peer]\nAdapter = hci1\nAddress = C0:00:00:00:00:02\nType = random\n") &&
	      strstr(p1, "\n[Adapter hci3]\nAdvertise = off\n"),
	      p1);
	free(p1);
	free(p2);
}

static void test_bad(void)
{
	static const struct {
		const char *name, *text, *where, *what;
	} t[] = {
		{ "outside", "Enable = on\n", "t.conf:1:", "outside a section" },
		{ "unknown-section", "\n[Modul]\n", "t.conf:2:", "unknown section [Modul]" },
		{ "header", "[Module\n", "t.conf:1:", "malformed section header" },
		{ "header-junk", "[Module] x\n", "t.conf:1:", "malformed section header" },
		{ "module-twice", "[Module]\n[Module]\n", "t.conf:2:", "a second [Module]" },
		{ "unknown-key", "[Module]\nEnabled = on\n", "t.conf:2:", "unknown key 'Enabled'" },
		{ "key-elsewhere", "[Peer]\nPSM = 1\n", "t.conf:2:", "PSM does not belong in [Peer]" },
		{ "no-equals", "[Module]\n\nEnable on\n", "t.conf:3:", "want Key = Value" },
		{ "no-value", "[Module]\nPSM =\n", "t.conf:2:", "PSM without a value" },
		{ "twice", "[Module]\nPSM = 1\npsm = 2\n", "t.conf:3:", "PSM given twice" },
		{ "onoff", "[Module]\nEnable = maybe\n", "t.conf:2:", "say on or off" },
		{ "psm-range", "[Module]\nPSM = 0x100\n", "t.conf:2:", "out of range 0x0001-0x00ff" },
		{ "psm-zero", "[Module]\nPSM = 0\n", "t.conf:2:", "out of range" },
		{ "psm-junk", "[Module]\nPSM = 35x\n", "t.conf:2:", "not a PSM" },
		{ "stall-range", "[Module]\nStallTimeoutMs = 600001\n", "t.conf:2:", "out of range 0-600000" },
		{ "rmax-range", "[Module]\nReconnectMaxMs = 999\n", "t.conf:2:", "out of range 1000-3600000" },
		{ "ms-junk", "[Module]\nReconnectMaxMs = 1s\n", "t.conf:2:", "not a number of milliseconds" },
		{ "adapter-name", "[Adapter hcix]\n", "t.conf:1:", "not an adapter" },
		{ "adapter-twice", "[Adapter hci0]\n[Adapter hci0]\n", "t.conf:2:", "repeats the one of line 1" },
		{ "peer-addr", "[Peer]\nAdapter = hci0\nAddress = 00:AA:01:00:00\n", "t.conf:3:", "not an address" },
		{ "peer-any", "[Peer]\nAdapter = hci0\nAddress = 00:00:00:00:00:00\n", "t.conf:3:", "not a peer address" },
		{ "peer-type", "[Peer]\nAdapter = hci0\nAddress = 00:AA:01:00:00:00\nType = Public\n", "t.conf:4:", "say public or random" },
		{ "peer-no-adapter", "[Module]\n[Peer]\nAddress = 00:AA:01:00:00:00\n", "t.conf:2:", "without Adapter" },
		{ "peer-no-address", "[Peer]\nAdapter = hci0\n\n[Module]\n", "t.conf:1:", "without Address" },
		{ "peer-no-address-eof", "\n[Peer]\nAdapter = hci0\n", "t.conf:2:", "without Address" },
		{ "peer-twice", "[Peer]\nAdapter = hci1\nAddress = 00:AA:01:00:00:00\n[Peer]\nAddress = 00:aa:01:00:00:00\nAdapter = hci1\nType = public\n", "t.conf:4:", "repeats the one of line 1" },
		{ "peer-adapter", "[Peer]\nAdapter = bt0\n", "t.conf:2:", "not an adapter" },
	};
	char name[64], err[256], why[400];
	struct bt6_conf c;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "conf-bad-%s", t[i].name);
		ret = parse_str(t[i].text, &c, err, sizeof(err));
		snprintf(why, sizeof(why), "returned %d, message '%s', want '%s ... %s'",
			 ret, err, t[i].where, t[i].what);
		check(name, ret != 0 && !strncmp(err, t[i].where, strlen(t[i].where)) &&
		      strstr(err, t[i].what), why);
	}
}

int main(void)
{
	test_good();
	test_empty();
	test_round_trip();
	test_bad();
	return failed;
}
