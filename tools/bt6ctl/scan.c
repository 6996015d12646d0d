// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl scan [-t SECONDS] [-i hciN] [-j]: LE discovery, keeping the
 * advertisers that carry the IP Support Service UUID (0x1820).
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bt6ctl.h"

#define SCAN_MAX	64
#define DISCOV_LE	((1 << 1) | (1 << 2))	/* LE public and random */

static const char synopsis[] = "[-t SECONDS] [-i hciN] [-j|--json]";
static const char help[] =
	"Lists nearby LE advertisers that carry the IP Support Service UUID\n"
	"0x1820 (IPSP nodes), one per line as they are found:\n"
	"  ADDRESS TYPE rssi=DBM [NAME]\n"
	"Replaces 'hcitool lescan'. Needs CAP_NET_ADMIN.\n"
	"  -t, --time SECONDS   how long to scan, 1-3600 (default 10)\n"
	"  -i, --adapter hciN   the adapter (default: the first one)\n"
	"  -j, --json           a JSON array at the end\n";

struct found {
	uint8_t addr[6];
	uint8_t type;
	int8_t rssi;
	char name[64];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_found(const struct found *f)
{
	char a[18];

	format_addr(f->addr, a);
	printf("%s %s rssi=%d", a, addr_type_name(f->type), f->rssi);
	if (f->name[0]) {
		/* any nearby device picks this name: no raw bytes out */
		putchar(' ');
		print_untrusted(stdout, f->name);
	}
	putchar('\n');
	fflush(stdout);
}

static void print_json(const struct found *list, unsigned int n)
{
	unsigned int i;
	char a[18];

	putchar('[');
	for (i = 0; i < n; i++) {
		format_addr(list[i].addr, a);
		printf("%s{\"address\":\"%s\",\"type\":\"%s\",\"rssi\":%d,\"name\":",
		       i ? ",\n " : "", a, addr_type_name(list[i].type),
		       list[i].rssi);
		json_string(stdout, list[i].name);
		putchar('}');
	}
	puts("]");
}

struct scan_ctx {
	uint16_t index;
	struct found list[SCAN_MAX];
	unsigned int n;
	bool restart;		/* discovery ended before -t */
};

static void scan_event(uint16_t code, uint16_t ev_index, const uint8_t *buf,
		       size_t len, void *arg)
{
	const struct mgmt_ev_device_found *ev = (const void *)buf;
	struct scan_ctx *sc = arg;
	struct found *f;
	unsigned int i;
	size_t eir_len;

	if (ev_index != sc->index)
		return;
	if (code == MGMT_EV_DISCOVERING && len >= 2 && !buf[1]) {
		sc->restart = true;
		return;
	}
	if (code != MGMT_EV_DEVICE_FOUND || len < sizeof(*ev))
		return;
	eir_len = le16toh(ev->eir_len);
	if (len < sizeof(*ev) + eir_len)
		return;
	if (ev->addr_type != MGMT_ADDR_LE_PUBLIC &&
	    ev->addr_type != MGMT_ADDR_LE_RANDOM)
		return;
	if (!eir_has_uuid16(ev->eir, eir_len, IPSS_UUID16))
		return;
	for (i = 0; i < sc->n; i++) {
		if (!memcmp(sc->list[i].addr, ev->bdaddr, 6) &&
		    sc->list[i].type == ev->addr_type)
			break;
	}
	if (i == SCAN_MAX)
		return;
	f = &sc->list[i];
	f->rssi = ev->rssi;
	if (i == sc->n) {
		memcpy(f->addr, ev->bdaddr, 6);
		f->type = ev->addr_type;
		f->name[0] = '\0';
		sc->n++;
	}
	if (!f->name[0])
		eir_name(ev->eir, eir_len, f->name, sizeof(f->name));
	if (i == sc->n - 1 && !opt_json)
		print_found(f);
}

static int scan(int fd, const char *cmd, uint16_t index, unsigned int secs)
{
	static struct scan_ctx sc;
	uint8_t buf[MGMT_MAX_PAYLOAD];
	long long deadline = now_ms() + secs * 1000LL;
	uint8_t type = DISCOV_LE;
	uint16_t code, ev_index;
	size_t len;
	int st, err;

	sc.index = index;
	/* reports may come before Start Discovery's answer */
	mgmt_set_event_hook(scan_event, &sc);
	st = mgmt_cmd(fd, MGMT_OP_START_DISCOVERY, index, &type, 1, NULL, 0,
		      NULL);
	if (st) {
		mgmt_set_event_hook(NULL, NULL);
		return mgmt_fail(cmd, index, "Start Discovery", st);
	}

	for (;;) {
		long long left = deadline - now_ms();

		if (left <= 0)
			break;
		if (sc.restart) {
			/* LE discovery ends by itself: go on until -t */
			sc.restart = false;
			mgmt_cmd(fd, MGMT_OP_START_DISCOVERY, index, &type, 1,
				 NULL, 0, NULL);
			continue;
		}
		err = mgmt_event(fd, (int)left, &code, &ev_index, buf,
				 sizeof(buf), &len);
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			mgmt_set_event_hook(NULL, NULL);
			cmd_error(cmd, -err, "reading management events");
			return EXIT_FAIL;
		}
		scan_event(code, ev_index, buf, len, &sc);
	}
	mgmt_cmd(fd, MGMT_OP_STOP_DISCOVERY, index, &type, 1, NULL, 0, NULL);
	mgmt_set_event_hook(NULL, NULL);
	if (opt_json)
		print_json(sc.list, sc.n);
	else if (!sc.n)
		fprintf(stderr, "%s: %s: no IPSP node found on hci%u in %u s\n",
			prog, cmd, index, secs);
	return EXIT_OK;
}

int cmd_scan(int argc, char *argv[])
{
	static struct opt_uint secs = { .v = 10 };
	static struct opt_adapter hci;
	static const struct cmd_flag flags[] = {
		{ 't', "time", NULL, opt_seconds, &secs,
		  "is not 1-3600 seconds", false },
		{ 'i', "adapter", NULL, opt_adapter, &hci,
		  "is not an adapter (hciN)", false },
		{ 0 },
	};
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
		.flags = flags,
	};
	uint16_t index;
	int fd, ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;

	fd = mgmt_open(argv[0]);
	if (fd < 0)
		return EXIT_FAIL;
	if (mgmt_pick_index(fd, argv[0], hci.name, &index)) {
		close(fd);
		return EXIT_FAIL;
	}
	ret = scan(fd, argv[0], index, secs.v);
	close(fd);
	return ret;
}
