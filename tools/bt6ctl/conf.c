// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file (bt6lowpan.conf(5)): parsing, validation and
 * printing, no I/O but to the FILEs given. An INI-like format as
 * wg(8)'s: sections, "Key = Value" lines, '#' comments.
 *
 *   [Module]            at most once; a key left out is left as it is
 *   Enable = on|off
 *   PSM = 0x0023        decimal or 0x hex, 0x0001-0x00ff
 *   StallTimeoutMs = 10000
 *   AutoReconnect = on|off
 *   ReconnectMaxMs = 30000
 *
 *   [Adapter hciN]      once per adapter
 *   Advertise = on|off
 *
 *   [Peer]              one per persistent peer
 *   Adapter = hciN      required
 *   Address = XX:XX:XX:XX:XX:XX
 *   Type = public|random (default public)
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

struct conf_ctx {
	const char *name;
	unsigned int line;
	char *err;
	size_t errsize;
};

static int conf_fail(struct conf_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int conf_fail(struct conf_ctx *x, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(x->err, x->errsize, "%s:%u: ", x->name, x->line);
	if (n < x->errsize) {
		va_start(ap, fmt);
		vsnprintf(x->err + n, x->errsize - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

enum conf_section { SEC_NONE, SEC_MODULE, SEC_ADAPTER, SEC_PEER };

/* One bit per key of a section: a key given twice is an error. */
enum {
	K_ENABLE = 1u << 0, K_PSM = 1u << 1, K_STALL = 1u << 2,
	K_AUTO = 1u << 3, K_RMAX = 1u << 4, K_ADVERTISE = 1u << 5,
	K_ADAPTER = 1u << 6, K_ADDRESS = 1u << 7, K_TYPE = 1u << 8,
};

static const struct {
	const char *name;
	enum conf_section sec;
	unsigned int bit;
} conf_keys[] = {
	{ "Enable", SEC_MODULE, K_ENABLE },
	{ "PSM", SEC_MODULE, K_PSM },
	{ "StallTimeoutMs", SEC_MODULE, K_STALL },
	{ "AutoReconnect", SEC_MODULE, K_AUTO },
	{ "ReconnectMaxMs", SEC_MODULE, K_RMAX },
	{ "Advertise", SEC_ADAPTER, K_ADVERTISE },
	{ "Adapter", SEC_PEER, K_ADAPTER },
	{ "Address", SEC_PEER, K_ADDRESS },
	{ "Type", SEC_PEER, K_TYPE },
};

static const char *const sec_names[] = {
	[SEC_NONE] = "", [SEC_MODULE] = "[Module]",
	[SEC_ADAPTER] = "[Adapter hciN]", [SEC_PEER] = "[Peer]",
};

struct conf_state {
	enum conf_section sec;
	unsigned int seen;		/* K_* given in this section */
	unsigned int sec_line;		/* where the section started */
	bool module_seen;
};

static bool peer_same(const struct bt6_conf_peer *a,
		      const struct bt6_conf_peer *b)
{
	return a->adapter == b->adapter && a->type == b->type &&
	       !memcmp(a->addr, b->addr, 6);
}

/* The section that ends here is complete and does not repeat another. */
static int conf_end_section(struct conf_ctx *x, struct conf_state *st,
			    struct bt6_conf *c)
{
	struct bt6_conf_peer *p;
	unsigned int i, line = x->line;
	int err = 0;

	if (st->sec != SEC_PEER)
		return 0;
	p = &c->peers[c->npeers - 1];
	x->line = st->sec_line;
	if (!(st->seen & K_ADAPTER))
		err = conf_fail(x, "[Peer] without Adapter = hciN");
	else if (!(st->seen & K_ADDRESS))
		err = conf_fail(x, "[Peer] without Address = XX:XX:XX:XX:XX:XX");
	for (i = 0; !err && i + 1 < c->npeers; i++) {
		if (peer_same(&c->peers[i], p)) {
			char a[18];

			format_addr(p->addr, a);
			err = conf_fail(x,
					"peer %s %s on hci%u repeats the one of line %u",
					a, addr_type_name(p->type), p->adapter,
					c->peers[i].line);
		}
	}
	x->line = line;
	return err;
}

static int conf_section(struct conf_ctx *x, struct conf_state *st,
			struct bt6_conf *c, char *s)
{
	char *end = strchr(s, ']'), *name, *arg;
	unsigned int i;
	uint16_t index;

	if (!end || trim(end + 1)[0])
		return conf_fail(x, "malformed section header (want [Module], [Adapter hciN] or [Peer])");
	*end = '\0';
	name = trim(s + 1);
	arg = name + strcspn(name, " \t");
	if (*arg) {
		*arg++ = '\0';
		arg = trim(arg);
	}
	if (conf_end_section(x, st, c))
		return -EINVAL;
	st->seen = 0;
	st->sec_line = x->line;

	if (!strcasecmp(name, "Module") && !*arg) {
		if (st->module_seen)
			return conf_fail(x, "a second [Module] section");
		st->module_seen = true;
		st->sec = SEC_MODULE;
		return 0;
	}
	if (!strcasecmp(name, "Peer") && !*arg) {
		if (c->npeers >= BT6_CONF_MAX_PEERS)
			return conf_fail(x, "more than %d peers",
					 BT6_CONF_MAX_PEERS);
		memset(&c->peers[c->npeers], 0, sizeof(c->peers[0]));
		c->peers[c->npeers].type = BT6LOWPAN_ADDR_TYPE_PUBLIC;
		c->peers[c->npeers].line = x->line;
		c->npeers++;
		st->sec = SEC_PEER;
		return 0;
	}
	if (!strcasecmp(name, "Adapter")) {
		if (parse_hci(arg, &index))
			return conf_fail(x, "[Adapter %s]: not an adapter (hciN)",
					 arg);
		for (i = 0; i < c->nadapters; i++) {
			if (c->adapters[i].index == index)
				return conf_fail(x,
						 "[Adapter hci%u] repeats the one of line %u",
						 index, c->adapters[i].line);
		}
		if (c->nadapters >= BT6_CONF_MAX_ADAPTERS)
			return conf_fail(x, "more than %d adapters",
					 BT6_CONF_MAX_ADAPTERS);
		memset(&c->adapters[c->nadapters], 0, sizeof(c->adapters[0]));
		c->adapters[c->nadapters].index = index;
		c->adapters[c->nadapters].line = x->line;
		c->nadapters++;
		st->sec = SEC_ADAPTER;
		return 0;
	}
	return conf_fail(x, "unknown section [%s%s%s] (want [Module], [Adapter hciN] or [Peer])",
			 name, *arg ? " " : "", arg);
}

static int conf_onoff(struct conf_ctx *x, const char *key, const char *v,
		      bool *on)
{
	if (parse_onoff(v, on))
		return conf_fail(x, "%s = '%s': say on or off", key, v);
	return 0;
}

static int conf_ms(struct conf_ctx *x, const char *key, const char *v,
		   unsigned int min, unsigned int max, unsigned int *ms)
{
	int err = parse_ms(v, min, max, ms);

	if (err == -ERANGE)
		return conf_fail(x, "%s = %s: out of range %u-%u", key, v, min,
				 max);
	if (err)
		return conf_fail(x, "%s = '%s': not a number of milliseconds",
				 key, v);
	return 0;
}

static int conf_value(struct conf_ctx *x, struct conf_state *st,
		      struct bt6_conf *c, unsigned int bit, const char *key,
		      const char *v)
{
	struct bt6_conf_adapter *a = &c->adapters[c->nadapters - 1];
	struct bt6_conf_peer *p = &c->peers[c->npeers - 1];
	static const uint8_t any[6], none[6] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	int err;

	switch (bit) {
	case K_ENABLE:
		c->has_enable = true;
		return conf_onoff(x, key, v, &c->enable);
	case K_PSM:
		c->has_psm = true;
		err = parse_psm(v, &c->psm);
		if (err == -ERANGE)
			return conf_fail(x, "PSM = %s: out of range 0x0001-0x00ff",
					 v);
		if (err)
			return conf_fail(x, "PSM = '%s': not a PSM (decimal or 0x hex)",
					 v);
		return 0;
	case K_STALL:
		c->has_stall_timeout = true;
		return conf_ms(x, key, v, 0, BT6LOWPAN_STALL_TIMEOUT_MAX_MS,
			       &c->stall_timeout_ms);
	case K_AUTO:
		c->has_auto_reconnect = true;
		return conf_onoff(x, key, v, &c->auto_reconnect);
	case K_RMAX:
		c->has_reconnect_max = true;
		return conf_ms(x, key, v, BT6LOWPAN_RECONNECT_MIN_MS,
			       BT6LOWPAN_RECONNECT_MAX_MS,
			       &c->reconnect_max_ms);
	case K_ADVERTISE:
		return conf_onoff(x, key, v, &a->advertise);
	case K_ADAPTER:
		if (parse_hci(v, &p->adapter))
			return conf_fail(x, "Adapter = '%s': not an adapter (hciN)",
					 v);
		return 0;
	case K_ADDRESS:
		if (parse_addr(v, p->addr))
			return conf_fail(x, "Address = '%s': not an address (XX:XX:XX:XX:XX:XX)",
					 v);
		if (!memcmp(p->addr, any, 6) || !memcmp(p->addr, none, 6))
			return conf_fail(x, "Address = %s: not a peer address",
					 v);
		return 0;
	case K_TYPE:
		if (parse_addr_type(v, &p->type))
			return conf_fail(x, "Type = '%s': say public or random",
					 v);
		return 0;
	}
	(void)st;
	return conf_fail(x, "internal error");
}

static int conf_line(struct conf_ctx *x, struct conf_state *st,
		     struct bt6_conf *c, char *s)
{
	char *eq, *key, *v;
	unsigned int i;

	s[strcspn(s, "#")] = '\0';
	s = trim(s);
	if (!*s)
		return 0;
	if (*s == '[')
		return conf_section(x, st, c, s);
	eq = strchr(s, '=');
	if (!eq)
		return conf_fail(x, "'%s': want Key = Value or a [Section]", s);
	*eq = '\0';
	key = trim(s);
	v = trim(eq + 1);
	if (st->sec == SEC_NONE)
		return conf_fail(x, "%s outside a section", key);
	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++) {
		if (strcasecmp(key, conf_keys[i].name))
			continue;
		if (conf_keys[i].sec != st->sec)
			return conf_fail(x, "%s does not belong in %s", key,
					 sec_names[st->sec]);
		if (st->seen & conf_keys[i].bit)
			return conf_fail(x, "%s given twice in this section",
					 conf_keys[i].name);
		st->seen |= conf_keys[i].bit;
		if (!*v)
			return conf_fail(x, "%s without a value",
					 conf_keys[i].name);
		return conf_value(x, st, c, conf_keys[i].bit,
				  conf_keys[i].name, v);
	}
	return conf_fail(x, "unknown key '%s' in %s", key, sec_names[st->sec]);
}

int conf_parse(FILE *f, const char *name, struct bt6_conf *c, char *err,
	       size_t errsize)
{
	struct conf_ctx x = { .name = name, .err = err, .errsize = errsize };
	struct conf_state st = { .sec = SEC_NONE };
	char buf[512];
	size_t len;
	int ret;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	while (fgets(buf, sizeof(buf), f)) {
		x.line++;
		len = strlen(buf);
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n' && !feof(f))
			return conf_fail(&x, "line longer than %zu bytes",
					 sizeof(buf) - 2);
		if (memchr(buf, '\0', len) != NULL && strlen(buf) != len)
			return conf_fail(&x, "NUL byte");
		ret = conf_line(&x, &st, c, buf);
		if (ret)
			return ret;
	}
	if (ferror(f)) {
		snprintf(err, errsize, "%s: read error", name);
		return -EIO;
	}
	return conf_end_section(&x, &st, c);
}

static int cmp_adapter(const void *a, const void *b)
{
	const struct bt6_conf_adapter *x = a, *y = b;

	return (int)x->index - (int)y->index;
}

static int cmp_peer(const void *a, const void *b)
{
	const struct bt6_conf_peer *x = a, *y = b;
	int i;

	if (x->adapter != y->adapter)
		return (int)x->adapter - (int)y->adapter;
	for (i = 5; i >= 0; i--) {
		if (x->addr[i] != y->addr[i])
			return (int)x->addr[i] - (int)y->addr[i];
	}
	return (int)x->type - (int)y->type;
}

void conf_sort(struct bt6_conf *c)
{
	qsort(c->adapters, c->nadapters, sizeof(c->adapters[0]), cmp_adapter);
	qsort(c->peers, c->npeers, sizeof(c->peers[0]), cmp_peer);
}

static const char *onoff(bool on)
{
	return on ? "on" : "off";
}

void conf_print(FILE *f, const struct bt6_conf *c)
{
	unsigned int i;
	char a[18];

	fputs("# bt6lowpan.conf(5): bt6ctl showconf\n", f);
	if (c->has_enable || c->has_psm || c->has_stall_timeout ||
	    c->has_auto_reconnect || c->has_reconnect_max)
		fputs("[Module]\n", f);
	if (c->has_enable)
		fprintf(f, "Enable = %s\n", onoff(c->enable));
	if (c->has_psm)
		fprintf(f, "PSM = 0x%04x\n", c->psm);
	if (c->has_stall_timeout)
		fprintf(f, "StallTimeoutMs = %u\n", c->stall_timeout_ms);
	if (c->has_auto_reconnect)
		fprintf(f, "AutoReconnect = %s\n", onoff(c->auto_reconnect));
	if (c->has_reconnect_max)
		fprintf(f, "ReconnectMaxMs = %u\n", c->reconnect_max_ms);
	for (i = 0; i < c->nadapters; i++)
		fprintf(f, "\n[Adapter hci%u]\nAdvertise = %s\n",
			c->adapters[i].index, onoff(c->adapters[i].advertise));
	for (i = 0; i < c->npeers; i++) {
		format_addr(c->peers[i].addr, a);
		fprintf(f, "\n[Peer]\nAdapter = hci%u\nAddress = %s\nType = %s\n",
			c->peers[i].adapter, a,
			addr_type_name(c->peers[i].type));
	}
}

bool conf_has_peer(const struct bt6_conf *c, const struct bt6_conf_peer *p)
{
	unsigned int i;

	for (i = 0; i < c->npeers; i++) {
		if (peer_same(&c->peers[i], p))
			return true;
	}
	return false;
}
