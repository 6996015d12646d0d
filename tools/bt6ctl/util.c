// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl: parsing of command line values and formatting of peers, kept
 * free of netlink so that the host unit tests can call them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "XX:XX:XX:XX:XX:XX", most significant first, either case. */
int parse_addr(const char *s, uint8_t addr[6])
{
	int i, hi, lo;

	if (!s || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		const char *p = s + i * 3;

		if (i < 5 && p[2] != ':')
			return -EINVAL;
		hi = hexval((unsigned char)p[0]);
		lo = hexval((unsigned char)p[1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		addr[5 - i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int parse_addr_type(const char *s, uint8_t *type)
{
	if (!strcmp(s, "public"))
		*type = BT6LOWPAN_ADDR_TYPE_PUBLIC;
	else if (!strcmp(s, "random"))
		*type = BT6LOWPAN_ADDR_TYPE_RANDOM;
	else
		return -EINVAL;
	return 0;
}

/* Decimal or 0x hexadecimal (never octal), 0x0001-0x00ff: -EINVAL when
 * malformed, -ERANGE when out of range.
 */
int parse_psm(const char *s, uint16_t *psm)
{
	unsigned long v = 0;
	int base = 10;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (!*p)
			return -EINVAL;
	}
	for (; *p; p++) {
		int d = base == 16 ? hexval((unsigned char)*p) :
			(isdigit((unsigned char)*p) ? *p - '0' : -1);

		if (d < 0)
			return -EINVAL;
		v = v * base + d;
		if (v > 0xffff)
			return -ERANGE;
	}
	if (v < BT6LOWPAN_PSM_MIN || v > BT6LOWPAN_PSM_MAX)
		return -ERANGE;
	*psm = (uint16_t)v;
	return 0;
}

/* "hciN" (or just N), N 0-9999 without leading zeros. */
int parse_hci(const char *s, uint16_t *index)
{
	unsigned long v = 0;
	const char *p = s;

	if (!strncmp(p, "hci", 3))
		p += 3;
	if (!*p || (p[0] == '0' && p[1]) || strlen(p) > 4)
		return -EINVAL;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > BT6LOWPAN_ADAPTER_MAX)
		return -EINVAL;
	*index = (uint16_t)v;
	return 0;
}

/* 1-3600 seconds. */
int parse_seconds(const char *s, unsigned int *secs)
{
	char *end;
	unsigned long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > 3600)
		return -EINVAL;
	*secs = (unsigned int)v;
	return 0;
}

void format_addr(const uint8_t a[6], char out[18])
{
	snprintf(out, 18, "%02X:%02X:%02X:%02X:%02X:%02X",
		 a[5], a[4], a[3], a[2], a[1], a[0]);
}

const char *addr_type_name(uint8_t type)
{
	switch (type) {
	case BT6LOWPAN_ADDR_TYPE_PUBLIC:
		return "public";
	case BT6LOWPAN_ADDR_TYPE_RANDOM:
		return "random";
	}
	return "unknown";
}

const char *state_name(uint8_t state)
{
	static const char *const names[] = {
		[BT6LOWPAN_PEER_STATE_CONNECTING] = "connecting",
		[BT6LOWPAN_PEER_STATE_CONNECTED] = "connected",
		[BT6LOWPAN_PEER_STATE_STALLED] = "stalled",
		[BT6LOWPAN_PEER_STATE_RECONNECTING] = "reconnecting",
		[BT6LOWPAN_PEER_STATE_DISCONNECTING] = "disconnecting",
		[BT6LOWPAN_PEER_STATE_CLOSED] = "closed",
		[BT6LOWPAN_PEER_STATE_FAILED] = "failed",
	};

	if (state < sizeof(names) / sizeof(names[0]) && names[state])
		return names[state];
	return "unknown";
}

const char *event_name(uint8_t event)
{
	static const char *const names[] = {
		[BT6LOWPAN_EVENT_ADDED] = "added",
		[BT6LOWPAN_EVENT_UP] = "up",
		[BT6LOWPAN_EVENT_DOWN] = "down",
		[BT6LOWPAN_EVENT_STALLED] = "stalled",
		[BT6LOWPAN_EVENT_RECONNECTING] = "reconnecting",
		[BT6LOWPAN_EVENT_REMOVED] = "removed",
	};

	if (event < sizeof(names) / sizeof(names[0]) && names[event])
		return names[event];
	return "unknown";
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* "ADDR TYPE hciN IFACE STATE [error=-ERRNO (text)]", as sysfs "peers". */
void print_peer_plain(FILE *f, const struct bt6_peer_view *p)
{
	char a[18];

	format_addr(p->addr, a);
	fprintf(f, "%s %s ", a, addr_type_name(p->addr_type));
	if (p->has_adapter)
		fprintf(f, "hci%u ", p->adapter);
	else
		fputs("- ", f);
	fprintf(f, "%s %s", p->has_ifname ? p->ifname : "-",
		p->has_state ? state_name(p->state) : "unknown");
	if (p->has_error && p->error)
		fprintf(f, " error=-%u (%s)", p->error, strerror((int)p->error));
	fputc('\n', f);
}

void print_peer_json(FILE *f, const struct bt6_peer_view *p)
{
	char a[18];

	format_addr(p->addr, a);
	fprintf(f, "{\"address\":\"%s\",\"type\":\"%s\"", a,
		addr_type_name(p->addr_type));
	if (p->event)
		fprintf(f, ",\"event\":\"%s\"", event_name(p->event));
	if (p->has_adapter)
		fprintf(f, ",\"adapter\":\"hci%u\"", p->adapter);
	if (p->has_ifname) {
		fputs(",\"ifname\":", f);
		json_string(f, p->ifname);
	}
	if (p->has_ifindex)
		fprintf(f, ",\"ifindex\":%u", p->ifindex);
	fprintf(f, ",\"state\":\"%s\"",
		p->has_state ? state_name(p->state) : "unknown");
	if (p->has_error && p->error) {
		fprintf(f, ",\"error\":%u,\"error_text\":", p->error);
		json_string(f, strerror((int)p->error));
	}
	fputc('}', f);
}

int cmd_usage(const char *cmd, const char *synopsis, const char *text,
	      int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "usage: %s %s%s%s\n", prog, cmd, *synopsis ? " " : "",
		synopsis);
	if (!status && text && *text)
		fprintf(f, "\n%s", text);
	return status;
}

void cmd_error(const char *cmd, int err, const char *detail)
{
	if (err < 0)
		err = -err;
	fprintf(stderr, "%s: %s: %s", prog, cmd, strerror(err));
	if (detail && *detail)
		fprintf(stderr, ": %s", detail);
	if (err == EPERM || err == EACCES)
		fputs(" (CAP_NET_ADMIN needed)", stderr);
	fputc('\n', stderr);
}

int bad_usage(const char *cmd, const char *synopsis, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cmd_usage(cmd, synopsis, NULL, EXIT_USAGE);
}

bool eir_has_uuid16(const uint8_t *eir, size_t len, uint16_t uuid)
{
	size_t off = 0, i;

	while (off < len) {
		size_t flen = eir[off];
		const uint8_t *d = eir + off + 2;

		if (!flen)
			break;
		if (off + 1 + flen > len)
			break;		/* truncated field: ignore the rest */
		switch (eir[off + 1]) {
		case 0x02:	/* incomplete list of 16 bit UUIDs */
		case 0x03:	/* complete list */
			for (i = 0; i + 1 < flen - 1; i += 2) {
				if ((uint16_t)(d[i] | d[i + 1] << 8) == uuid)
					return true;
			}
			break;
		case 0x16:	/* service data, 16 bit UUID */
			if (flen >= 3 && (uint16_t)(d[0] | d[1] << 8) == uuid)
				return true;
			break;
		}
		off += 1 + flen;
	}
	return false;
}

void eir_name(const uint8_t *eir, size_t len, char *out, size_t size)
{
	size_t off = 0, n;

	out[0] = '\0';
	while (off < len) {
		size_t flen = eir[off];

		if (!flen || off + 1 + flen > len)
			break;
		if (eir[off + 1] == 0x08 || eir[off + 1] == 0x09) {
			n = flen - 1;
			if (n >= size)
				n = size - 1;
			memcpy(out, eir + off + 2, n);
			out[n] = '\0';
			if (eir[off + 1] == 0x09)
				return;	/* the complete name wins */
		}
		off += 1 + flen;
	}
}

size_t ipss_adv_data(uint8_t *buf, size_t size)
{
	if (size < 4)
		return 0;
	buf[0] = 3;			/* length */
	buf[1] = 0x03;			/* complete list of 16 bit UUIDs */
	buf[2] = IPSS_UUID16 & 0xff;
	buf[3] = IPSS_UUID16 >> 8;
	return 4;
}
