// SPDX-License-Identifier: GPL-2.0
/*
 * mgmt: a few Bluetooth management commands in one process, for the
 * bench's hot paths (every guest's controller set-up, churn's cycles).
 *
 *   mgmt -i hciN CMD... [-i hciM CMD...]
 *
 * CMD is one of
 *   le on|off, connectable on|off, power on|off, advertising on|off
 *         the mgmt Set command; then the setting must read as asked in
 *         the current settings the controller answers with
 *   disconnect BDADDR   mgmt Disconnect of an LE link (public address)
 *   settings            print the current settings (mgmt Read Info)
 *   is SETTING          exit 1 unless SETTING (powered, le, ...) is on
 *
 * Each command prints one line as btmgmt does ("hci0 Set Powered
 * complete, settings: powered le"). Unlike btmgmt, a command the
 * controller refuses (any status but success), a setting that did not
 * take, or no answer within 10 s ends it with exit status 1 and a line
 * on stderr; 2 on a usage error. Under TCG a static tool that sends all
 * of a set-up's commands costs a tenth of the CPU of btmgmt's one
 * process (readline, the shell) per command.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BTPROTO_HCI		1
#define HCI_DEV_NONE		0xffff
#define HCI_CHANNEL_CONTROL	3

#define MGMT_EV_CMD_COMPLETE	0x0001
#define MGMT_EV_CMD_STATUS	0x0002
#define MGMT_OP_READ_INFO	0x0004
#define MGMT_OP_SET_POWERED	0x0005
#define MGMT_OP_SET_CONNECTABLE	0x0007
#define MGMT_OP_SET_LE		0x000d
#define MGMT_OP_DISCONNECT	0x0014
#define MGMT_OP_GET_CONNECTIONS	0x0015
#define MGMT_OP_SET_ADVERTISING	0x0029

#define BDADDR_LE_PUBLIC	1

struct sockaddr_hci {
	sa_family_t hci_family;
	unsigned short hci_dev;
	unsigned short hci_channel;
};

struct mgmt_hdr {
	uint16_t opcode;
	uint16_t index;
	uint16_t len;
} __attribute__((packed));

static const char *const setting_names[] = {
	"powered", "connectable", "fast-connectable", "discoverable",
	"bondable", "link-security", "ssp", "br/edr", "hs", "le",
	"advertising", "secure-conn", "debug-keys", "privacy",
	"configuration", "static-addr", "phy-configuration",
	"wide-band-speech",
};
#define N_SETTINGS (sizeof(setting_names) / sizeof(setting_names[0]))

static const struct {
	const char *name;
	uint16_t op;
	const char *what;
	uint32_t bit;
} set_cmds[] = {
	{ "le", MGMT_OP_SET_LE, "Low Energy", 1u << 9 },
	{ "connectable", MGMT_OP_SET_CONNECTABLE, "Connectable", 1u << 1 },
	{ "power", MGMT_OP_SET_POWERED, "Powered", 1u << 0 },
	{ "advertising", MGMT_OP_SET_ADVERTISING, "Advertising", 1u << 10 },
};

static int sk = -1;

static void print_settings(uint32_t s)
{
	unsigned int i;

	for (i = 0; i < N_SETTINGS; i++)
		if (s & (1u << i))
			printf("%s ", setting_names[i]);
	printf("\n");
}

/* send one command and wait for its answer; its parameters back in rsp */
static int command(uint16_t idx, uint16_t op, const void *param, uint16_t plen,
		   uint8_t *rsp, size_t rsp_size, size_t *rsp_len)
{
	uint8_t buf[1024];
	struct mgmt_hdr *h = (struct mgmt_hdr *)buf;
	struct pollfd p = { .fd = sk, .events = POLLIN };
	ssize_t n;

	h->opcode = htole16(op);
	h->index = htole16(idx);
	h->len = htole16(plen);
	if (plen)
		memcpy(buf + sizeof(*h), param, plen);
	if (write(sk, buf, sizeof(*h) + plen) < 0) {
		fprintf(stderr, "mgmt: write: %s\n", strerror(errno));
		return -1;
	}
	for (;;) {
		uint16_t ev, ev_op;
		uint8_t status;

		if (poll(&p, 1, 10000) <= 0) {
			fprintf(stderr, "mgmt: hci%u: no answer to opcode 0x%04x in 10 s\n", idx, op);
			return -1;
		}
		n = read(sk, buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "mgmt: read: %s\n", strerror(errno));
			return -1;
		}
		if (n < (ssize_t)sizeof(*h) + 3)
			continue;
		ev = le16toh(h->opcode);
		memcpy(&ev_op, buf + sizeof(*h), 2);
		ev_op = le16toh(ev_op);
		status = buf[sizeof(*h) + 2];
		if ((ev != MGMT_EV_CMD_COMPLETE && ev != MGMT_EV_CMD_STATUS) ||
		    ev_op != op || le16toh(h->index) != idx)
			continue;	/* an event, or another index's answer */
		if (status) {
			fprintf(stderr, "mgmt: hci%u: opcode 0x%04x failed with status 0x%02x\n",
				idx, op, status);
			return -1;
		}
		n -= sizeof(*h) + 3;
		*rsp_len = (size_t)n < rsp_size ? (size_t)n : rsp_size;
		memcpy(rsp, buf + sizeof(*h) + 3, *rsp_len);
		return 0;
	}
}

static int read_settings(uint16_t idx, uint32_t *s)
{
	uint8_t rsp[300];
	size_t len;

	if (command(idx, MGMT_OP_READ_INFO, NULL, 0, rsp, sizeof(rsp), &len))
		return -1;
	if (len < 17) {
		fprintf(stderr, "mgmt: hci%u: short Read Info reply\n", idx);
		return -1;
	}
	/* bdaddr 6, version 1, manufacturer 2, supported 4, current 4 */
	memcpy(s, rsp + 13, 4);
	*s = le32toh(*s);
	return 0;
}

/* Whether @idx has an LE link (mgmt Get Connections): 1, 0, or -1. */
static int has_le_link(uint16_t idx)
{
	uint8_t rsp[2 + 7 * 64];
	size_t len, i;
	uint16_t n;

	if (command(idx, MGMT_OP_GET_CONNECTIONS, NULL, 0, rsp, sizeof(rsp), &len) || len < 2)
		return -1;
	memcpy(&n, rsp, 2);
	n = le16toh(n);
	/* each: bdaddr 6, type 1 (0 BR/EDR, 1 LE public, 2 LE random) */
	for (i = 0; i < n && 2 + 7 * (i + 1) <= len; i++)
		if (rsp[2 + 7 * i + 6] != 0)
			return 1;
	return 0;
}

/* Whether an LE link shows up within @tenths tenths of a second (the
 * kernel lists a link once it has told mgmt about it).
 */
static int le_link_within(uint16_t idx, int tenths)
{
	int r;

	while ((r = has_le_link(idx)) == 0 && tenths-- > 0)
		usleep(100000);
	return r == 1;
}

static int parse_addr(const char *str, uint8_t *b)
{
	unsigned int v[6];
	int i;

	if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6 ||
	    strlen(str) != 17)
		return -1;
	for (i = 0; i < 6; i++)
		b[5 - i] = v[i];	/* little-endian on the wire */
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mgmt -i hciN {le|connectable|power|advertising} {on|off}|disconnect BDADDR|settings|is SETTING ...\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sockaddr_hci a = { .hci_family = AF_BLUETOOTH, .hci_dev = HCI_DEV_NONE,
				  .hci_channel = HCI_CHANNEL_CONTROL };
	int i = 1, have_idx = 0;
	unsigned int idx = 0;

	if (argc < 4)
		return usage();
	sk = socket(AF_BLUETOOTH, SOCK_RAW | SOCK_CLOEXEC, BTPROTO_HCI);
	if (sk < 0 || bind(sk, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "mgmt: control socket: %s\n", strerror(errno));
		return 1;
	}
	while (i < argc) {
		const char *cmd = argv[i];
		uint8_t rsp[300];
		size_t len;
		uint32_t s;
		unsigned int k;

		if (!strcmp(cmd, "-i")) {
			if (i + 1 >= argc || sscanf(argv[i + 1], "hci%u", &idx) != 1 || idx > 0xfffe)
				return usage();
			have_idx = 1;
			i += 2;
			continue;
		}
		if (!have_idx)
			return usage();
		if (!strcmp(cmd, "settings")) {
			if (read_settings(idx, &s))
				return 1;
			printf("hci%u current settings: ", idx);
			print_settings(s);
			i++;
			continue;
		}
		if (!strcmp(cmd, "is")) {
			if (i + 1 >= argc)
				return usage();
			for (k = 0; k < N_SETTINGS && strcmp(argv[i + 1], setting_names[k]); k++)
				;
			if (k == N_SETTINGS)
				return usage();
			if (read_settings(idx, &s))
				return 1;
			if (!(s & (1u << k))) {
				fprintf(stderr, "mgmt: hci%u is not %s\n", idx, setting_names[k]);
				return 1;
			}
			i += 2;
			continue;
		}
		if (!strcmp(cmd, "disconnect")) {
			uint8_t param[7];

			if (i + 1 >= argc || parse_addr(argv[i + 1], param))
				return usage();
			param[6] = BDADDR_LE_PUBLIC;
			if (command(idx, MGMT_OP_DISCONNECT, param, sizeof(param), rsp, sizeof(rsp), &len))
				return 1;
			printf("hci%u %s disconnected\n", idx, argv[i + 1]);
			i += 2;
			continue;
		}
		for (k = 0; k < sizeof(set_cmds) / sizeof(set_cmds[0]) && strcmp(cmd, set_cmds[k].name); k++)
			;
		if (k == sizeof(set_cmds) / sizeof(set_cmds[0]) || i + 1 >= argc ||
		    (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off")))
			return usage();
		{
			uint8_t on = !strcmp(argv[i + 1], "on");

			if (command(idx, set_cmds[k].op, &on, 1, rsp, sizeof(rsp), &len))
				return 1;
			if (len < 4) {
				fprintf(stderr, "mgmt: hci%u: short Set %s reply\n", idx, set_cmds[k].what);
				return 1;
			}
			memcpy(&s, rsp, 4);
			s = le32toh(s);
			printf("hci%u Set %s complete, settings: ", idx, set_cmds[k].what);
			print_settings(s);
			/* The kernel's answer to Set Advertising reads the
			 * controller's advertising state after the command:
			 * a central waiting for this peripheral (persist's
			 * router) connects at once, which ends advertising,
			 * and the answer says off (persist's reboot-back on
			 * 6.12, session 25). Advertising that ended in an LE
			 * link took.
			 */
			if (on && set_cmds[k].op == MGMT_OP_SET_ADVERTISING &&
			    !(s & set_cmds[k].bit) && le_link_within(idx, 30)) {
				printf("hci%u advertising ended in an LE link\n", idx);
				s |= set_cmds[k].bit;
			}
			if (!(s & set_cmds[k].bit) != !on) {
				fprintf(stderr, "mgmt: hci%u: %s is still %s\n", idx, set_cmds[k].name,
					on ? "off" : "on");
				return 1;
			}
		}
		i += 2;
	}
	return 0;
}
