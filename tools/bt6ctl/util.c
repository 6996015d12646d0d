// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl: parsing of command line values and formatting of peers, kept
 * free of netlink so that the host unit tests can call them.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int parse_ms(const char *s, unsigned int min, unsigned int max,
	     unsigned int *ms)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > 0xffffffffull)
			return -ERANGE;
	}
	if (v < min || v > max)
		return -ERANGE;
	*ms = (unsigned int)v;
	return 0;
}

int parse_onoff(const char *s, bool *on)
{
	if (!strcmp(s, "on") || !strcmp(s, "1") || !strcmp(s, "yes"))
		*on = true;
	else if (!strcmp(s, "off") || !strcmp(s, "0") || !strcmp(s, "no"))
		*on = false;
	else
		return -EINVAL;
	return 0;
}

void format_duration(uint64_t ms, char *out, size_t size)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(out, size, "%" PRIu64 "ms", ms);
	else if (s < 60)
		snprintf(out, size, "%" PRIu64 ".%" PRIu64 "s", s,
			 ms % 1000 / 100);
	else if (s < 3600)
		snprintf(out, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
			 s % 60);
	else
		snprintf(out, size, "%" PRIu64 "h%02" PRIu64 "m%02" PRIu64 "s",
			 s / 3600, s / 60 % 60, s % 60);
}

void format_time(const struct timespec *ts, bool rfc3339, char *out,
		 size_t size)
{
	char date[32], zone[8] = "";
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	if (rfc3339) {
		/* +0100 -> +01:00 */
		strftime(zone, sizeof(zone), "%z", &tm);
		if (strlen(zone) == 5) {
			memmove(zone + 4, zone + 3, 2);
			zone[3] = ':';
			zone[6] = '\0';
		}
	}
	snprintf(out, size, "%s.%03ld%s", date, ts->tv_nsec / 1000000, zone);
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
		[BT6LOWPAN_PEER_STATE_WAITING] = "waiting",
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

/* The length (2-4) of the well-formed UTF-8 sequence of a code point
 * from 0x80 at @s (at most @n bytes), its value in @cp; 0 when there is
 * none: a stray or missing continuation byte (a name cut in the middle
 * of a character), an overlong form, a surrogate, beyond U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len, i;
	uint32_t v;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), len;
	uint32_t cp;

	fputc('"', f);
	while (n) {
		unsigned char c = *s;

		len = c < 0x80 ? 1 : utf8_seq(s, n, &cp);
		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, f);
		} else if (!len) {
			/* not UTF-8: the replacement character, as JSON
			 * text must be UTF-8 (RFC 8259)
			 */
			fputs("\\ufffd", f);
			len = 1;
		} else if (cp < 0xa0) {
			fprintf(f, "\\u%04x", cp);	/* C1 controls */
		} else {
			fwrite(s, 1, len, f);
		}
		s += len;
		n -= len;
	}
	fputc('"', f);
}

void print_untrusted(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), len, i;
	uint32_t cp;

	while (n) {
		len = *s >= 0x80 ? utf8_seq(s, n, &cp) : 1;
		if (*s == '\\') {
			fputs("\\\\", f);
		} else if (*s >= 0x20 && *s < 0x7f) {
			fputc(*s, f);
		} else if (len > 1 && cp >= 0xa0) {
			fwrite(s, 1, len, f);	/* printable UTF-8 */
		} else {
			/* controls, C1 controls in UTF-8, malformed bytes */
			if (!len)
				len = 1;
			for (i = 0; i < len; i++)
				fprintf(f, "\\x%02x", s[i]);
		}
		s += len;
		n -= len;
	}
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
	if (p->persistent)
		fputs(" persistent", f);
	fputc('\n', f);
}

void print_peer_json(FILE *f, const struct bt6_peer_view *p)
{
	fputc('{', f);
	print_peer_json_members(f, p);
	fputc('}', f);
}

void print_peer_json_members(FILE *f, const struct bt6_peer_view *p)
{
	char a[18];

	format_addr(p->addr, a);
	fprintf(f, "\"address\":\"%s\",\"type\":\"%s\"", a,
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
	if (p->has_up)
		fprintf(f, ",\"connected_ms\":%" PRIu64, p->up_ms);
	if (p->has_counters)
		fprintf(f, ",\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
			",\"rx_packets\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
			",\"drops\":%" PRIu64 ",\"stalls\":%" PRIu64
			",\"reconnects\":%" PRIu64,
			p->tx_packets, p->tx_bytes, p->rx_packets, p->rx_bytes,
			p->drops, p->stalls, p->reconnects);
	if (p->persistent)
		fputs(",\"persistent\":true", f);
}

/* As "ip -s link": a line of what the link is, then its counters. */
void print_peer_stats(FILE *f, const struct bt6_peer_view *p)
{
	char up[32];

	if (p->has_up) {
		format_duration(p->up_ms, up, sizeof(up));
		fprintf(f, "    connected %s", up);
	} else {
		fputs("    not connected", f);
	}
	if (!p->has_counters) {
		fputc('\n', f);
		return;
	}
	fprintf(f, "  stalls %" PRIu64 "  reconnects %" PRIu64 "\n",
		p->stalls, p->reconnects);
	fprintf(f, "    RX: packets %" PRIu64 " bytes %" PRIu64
		"  TX: packets %" PRIu64 " bytes %" PRIu64 "  drops %" PRIu64 "\n",
		p->rx_packets, p->rx_bytes, p->tx_packets, p->tx_bytes,
		p->drops);
}

/* One spelling per setting, whoever prints it: the names of the netlink
 * attributes, values as the options take them.
 */
void print_config_plain(FILE *f, const struct bt6_config *c,
			unsigned int which, char sep)
{
	const char *s = "";

	if (which & BT6_CFG_LISTEN) {
		fprintf(f, "enable %s%cpsm 0x%04x", c->enable ? "on" : "off",
			sep, c->psm);
		s = "x";
	}
	if ((which & BT6_CFG_RECOVERY) && c->has_recovery) {
		if (*s)
			fputc(sep, f);
		fprintf(f, "stall-timeout-ms %u%cauto-reconnect %s%creconnect-max-ms %u",
			c->stall_timeout_ms, sep,
			c->auto_reconnect ? "on" : "off", sep,
			c->reconnect_max_ms);
	}
	fputc('\n', f);
}

void print_config_json(FILE *f, const struct bt6_config *c,
		       unsigned int which)
{
	const char *comma = "";

	if (which & BT6_CFG_LISTEN) {
		fprintf(f, "\"enable\":%s,\"psm\":%u",
			c->enable ? "true" : "false", c->psm);
		comma = ",";
	}
	if ((which & BT6_CFG_RECOVERY) && c->has_recovery)
		fprintf(f, "%s\"stall_timeout_ms\":%u,\"auto_reconnect\":%s,\"reconnect_max_ms\":%u",
			comma, c->stall_timeout_ms,
			c->auto_reconnect ? "true" : "false",
			c->reconnect_max_ms);
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
	bool perm;

	if (err < 0)
		err = -err;
	perm = err == EPERM || err == EACCES;

	fprintf(stderr, "%s: %s: %s", prog, cmd, strerror(err));
	/* the kernel's own refusal says what the hint says */
	if (detail && *detail && !(perm && strstr(detail, "CAP_NET_ADMIN")))
		fprintf(stderr, ": %s", detail);
	if (perm)
		fputs(" (CAP_NET_ADMIN needed)", stderr);
	fputc('\n', stderr);
}

int opt_adapter(const char *val, void *arg)
{
	struct opt_adapter *o = arg;

	if (parse_hci(val, &o->index))
		return -EINVAL;
	o->name = val;
	return 0;
}

int opt_seconds(const char *val, void *arg)
{
	struct opt_uint *o = arg;

	if (parse_seconds(val, &o->v))
		return -EINVAL;
	o->given = true;
	return 0;
}

int opt_count(const char *val, void *arg)
{
	struct opt_uint *o = arg;
	int err = parse_ms(val, 1, 0xffffffffu, &o->v);

	if (!err)
		o->given = true;
	return err;
}

int opt_ms(const char *val, void *arg)
{
	struct opt_uint *o = arg;
	int err = parse_ms(val, o->min, o->max, &o->v);

	if (!err)
		o->given = true;
	return err;
}

int opt_onoff(const char *val, void *arg)
{
	struct opt_bool *o = arg;

	if (parse_onoff(val, &o->on))
		return -EINVAL;
	o->given = true;
	return 0;
}

static const struct cmd_flag *find_flag(const struct cmd_flag *fl, int c)
{
	for (; fl && fl->short_name; fl++) {
		if (fl->short_name == c)
			return fl;
	}
	return NULL;
}

/* Decimal digits only: the value of an optional-value flag as a word */
static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int cmd_parse(int argc, char *argv[], const struct cmd_spec *spec)
{
	struct option opts[16];
	char shorts[48], *sp = shorts;
	const struct cmd_flag *fl;
	int n = 0, c, nargs;

	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	*sp++ = 'h';
	if (spec->json) {
		opts[n++] = (struct option){ "json", no_argument, NULL, 'j' };
		*sp++ = 'j';
	}
	for (fl = spec->flags; fl && fl->short_name && n < 15; fl++) {
		opts[n++] = (struct option){
			fl->long_name,
			!fl->value ? no_argument :
			fl->optional ? optional_argument : required_argument,
			NULL, fl->short_name };
		*sp++ = fl->short_name;
		if (fl->value)
			*sp++ = ':';
		if (fl->value && fl->optional)
			*sp++ = ':';
	}
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	*sp = '\0';

	/* bt6ctl -j enable: said, so not ignored */
	if (opt_json && !spec->json)
		return bad_usage(argv[0], spec->synopsis,
				 "'-j/--json': %s prints no JSON", argv[0]);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == 'h')
			return cmd_usage(argv[0], spec->synopsis, spec->help,
					 EXIT_OK);
		if (c == 'j' && spec->json) {
			opt_json = true;
			continue;
		}
		fl = c == '?' ? NULL : find_flag(spec->flags, c);
		if (!fl && !spec->json &&
		    (optopt == 'j' || !strcmp(argv[optind - 1], "--json")))
			return bad_usage(argv[0], spec->synopsis,
					 "'%s': %s prints no JSON",
					 argv[optind - 1], argv[0]);
		if (!fl) {
			fl = find_flag(spec->flags, optopt);
			if (fl && fl->value)
				return bad_usage(argv[0], spec->synopsis,
						 "missing value for '%s'",
						 argv[optind - 1]);
			return bad_usage(argv[0], spec->synopsis,
					 "unknown option '%s'", argv[optind - 1]);
		}
		if (fl->set)
			*fl->set = true;
		if (fl->optional && !optarg && optind < argc &&
		    is_number(argv[optind]))
			optarg = argv[optind++];
		if (!fl->value || (fl->optional && !optarg))
			continue;
		if (fl->value(optarg, fl->arg))
			return bad_usage(argv[0], spec->synopsis, "'%s' %s",
					 optarg, fl->bad);
	}
	nargs = argc - optind;
	if (nargs > spec->max_args)
		return bad_usage(argv[0], spec->synopsis,
				 "unexpected argument '%s'",
				 argv[optind + spec->max_args]);
	if (nargs < spec->min_args)
		return bad_usage(argv[0], spec->synopsis, "%s",
				 "an argument is missing");
	return -1;
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
