// SPDX-License-Identifier: GPL-2.0
/*
 * jsonq: a strict JSON (RFC 8259) parser for the guest, which has no
 * python or jq. Reads one JSON text from FILE (or stdin) and, if it is
 * valid, prints every value in it, one per line, as
 *
 *   PATH<TAB>VALUE
 *
 * PATH is jq style: "." for the root, ".key" or .["key"] for a member
 * (the bracket form when the key is not [A-Za-z_][A-Za-z0-9_]*), "[N]"
 * for an array element, e.g. ".[0].address". VALUE is "object N" or
 * "array N" (N members or elements) for a container, else the value's own
 * text as it appears in the input (a string keeps its quotes and escapes).
 * A container's line follows the lines of its contents.
 *
 *   jsonq [FILE]            validate and print
 *   jsonq -g PATH [FILE]    print only the VALUE at PATH; exit 1 if none
 *
 * Invalid input (syntax, bad escapes or UTF-8, control characters in
 * strings, duplicate keys, leading zeros, trailing garbage, empty input,
 * nesting deeper than 64) prints "jsonq: invalid JSON at byte N: WHY" on
 * stderr and exits 1, printing nothing on stdout. Exit 2: usage or I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IN		(4 * 1024 * 1024)
#define MAX_DEPTH	64
#define MAX_PATH	4096

static const unsigned char *in;
static size_t len, pos;
static char path[MAX_PATH];
static char *out;
static size_t out_len, out_cap;
static const char *want;	/* -g PATH */
static int found;

static void fail(const char *why)
{
	fprintf(stderr, "jsonq: invalid JSON at byte %zu: %s\n", pos, why);
	exit(1);
}

static void emit(const char *value, size_t vlen)
{
	size_t plen = strlen(path), need;
	const char *p = plen ? path : ".";

	if (!plen)
		plen = 1;
	if (want) {
		if (strcmp(p, want))
			return;
		found = 1;
	}
	need = plen + 1 + vlen + 1;
	if (out_len + need > out_cap) {
		out_cap = (out_len + need) * 2;
		out = realloc(out, out_cap);
		if (!out) {
			perror("jsonq");
			exit(2);
		}
	}
	if (!want) {
		memcpy(out + out_len, p, plen);
		out_len += plen;
		out[out_len++] = '\t';
	}
	memcpy(out + out_len, value, vlen);
	out_len += vlen;
	out[out_len++] = '\n';
}

static void skip_ws(void)
{
	while (pos < len && (in[pos] == ' ' || in[pos] == '\t' ||
			     in[pos] == '\n' || in[pos] == '\r'))
		pos++;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned int hex4(void)
{
	unsigned int v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		h = pos < len ? hexval(in[pos]) : -1;
		if (h < 0)
			fail("bad \\u escape");
		v = v * 16 + h;
		pos++;
	}
	return v;
}

/* One UTF-8 sequence starting at pos (not ASCII): well formed, shortest
 * form, no surrogates, at most U+10FFFF.
 */
static void utf8(void)
{
	unsigned char c = in[pos];
	unsigned int cp, min;
	int n, i;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		fail("bad UTF-8 lead byte");
	}
	pos++;
	for (i = 0; i < n; i++, pos++) {
		if (pos >= len || (in[pos] & 0xc0) != 0x80)
			fail("truncated UTF-8 sequence");
		cp = cp << 6 | (in[pos] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		fail("overlong or invalid UTF-8 code point");
}

/* A string at pos (the opening quote); returns its raw text in *start and
 * *slen (with the quotes), and its decoded bytes in dec (for keys; NUL
 * terminated, truncated at dsize).
 */
static void string(size_t *start, size_t *slen, char *dec, size_t dsize)
{
	size_t d = 0;
	unsigned int cp, lo;

	*start = pos;
	pos++;
	for (;;) {
		unsigned char c;

		if (pos >= len)
			fail("unterminated string");
		c = in[pos];
		if (c == '"') {
			pos++;
			break;
		}
		if (c < 0x20)
			fail("control character in a string");
		if (c == '\\') {
			pos++;
			if (pos >= len)
				fail("unterminated escape");
			c = in[pos++];
			switch (c) {
			case '"': case '\\': case '/':
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				cp = hex4();
				if (cp >= 0xdc00 && cp <= 0xdfff)
					fail("lone low surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (pos + 1 >= len || in[pos] != '\\' ||
					    in[pos + 1] != 'u')
						fail("lone high surrogate");
					pos += 2;
					lo = hex4();
					if (lo < 0xdc00 || lo > 0xdfff)
						fail("bad surrogate pair");
				}
				if (cp == 0)
					fail("\\u0000 in a string");
				c = cp < 0x80 ? cp : '?';
				break;
			default:
				fail("bad escape");
			}
			if (dec && d + 1 < dsize)
				dec[d++] = c;
			continue;
		}
		if (c >= 0x80) {
			size_t s = pos;

			utf8();
			while (dec && s < pos && d + 1 < dsize)
				dec[d++] = in[s++];
			continue;
		}
		if (dec && d + 1 < dsize)
			dec[d++] = c;
		pos++;
	}
	if (dec)
		dec[d] = '\0';
	*slen = pos - *start;
}

static void number(void)
{
	size_t s = pos;

	if (in[pos] == '-')
		pos++;
	if (pos >= len)
		fail("truncated number");
	if (in[pos] == '0') {
		pos++;
		if (pos < len && in[pos] >= '0' && in[pos] <= '9')
			fail("leading zero");
	} else if (in[pos] >= '1' && in[pos] <= '9') {
		while (pos < len && in[pos] >= '0' && in[pos] <= '9')
			pos++;
	} else {
		fail("bad number");
	}
	if (pos < len && in[pos] == '.') {
		pos++;
		if (pos >= len || in[pos] < '0' || in[pos] > '9')
			fail("no digit after the decimal point");
		while (pos < len && in[pos] >= '0' && in[pos] <= '9')
			pos++;
	}
	if (pos < len && (in[pos] == 'e' || in[pos] == 'E')) {
		pos++;
		if (pos < len && (in[pos] == '+' || in[pos] == '-'))
			pos++;
		if (pos >= len || in[pos] < '0' || in[pos] > '9')
			fail("no digit in the exponent");
		while (pos < len && in[pos] >= '0' && in[pos] <= '9')
			pos++;
	}
	emit((const char *)in + s, pos - s);
}

static void literal(const char *word)
{
	size_t n = strlen(word);

	if (len - pos < n || memcmp(in + pos, word, n))
		fail("unexpected character");
	pos += n;
	emit(word, n);
}

static void value(int depth);

static int plain_key(const char *k)
{
	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'))
		return 0;
	for (k++; *k; k++) {
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		      (*k >= '0' && *k <= '9') || *k == '_'))
			return 0;
	}
	return 1;
}

static void push(size_t plen, const char *fmt, const char *a, unsigned int n)
{
	int w;

	if (a)
		w = snprintf(path + plen, MAX_PATH - plen, fmt, a);
	else
		w = snprintf(path + plen, MAX_PATH - plen, fmt, n);
	if (w < 0 || (size_t)w >= MAX_PATH - plen)
		fail("path too long");
}

static void container(int depth, int obj)
{
	size_t plen = strlen(path), klen, kstart;
	unsigned int n = 0;
	char key[256], head[32];
	char **keys = NULL;
	unsigned int i;

	if (depth >= MAX_DEPTH)
		fail("nested too deep");
	pos++;
	skip_ws();
	if (pos < len && in[pos] == (obj ? '}' : ']')) {
		pos++;
		goto done;
	}
	for (;;) {
		skip_ws();
		if (obj) {
			if (pos >= len || in[pos] != '"')
				fail("object key expected");
			string(&kstart, &klen, key, sizeof(key));
			for (i = 0; i < n; i++)
				if (!strcmp(keys[i], key))
					fail("duplicate key");
			keys = realloc(keys, (n + 1) * sizeof(*keys));
			if (keys)
				keys[n] = strdup(key);
			if (!keys || !keys[n]) {
				perror("jsonq");
				exit(2);
			}
			skip_ws();
			if (pos >= len || in[pos] != ':')
				fail("':' expected");
			pos++;
			if (plain_key(key))
				push(plen, ".%s", key, 0);
			else
				push(plen, ".[\"%s\"]", key, 0);
		} else {
			push(plen, plen ? "[%u]" : ".[%u]", NULL, n);
		}
		value(depth + 1);
		path[plen] = '\0';
		n++;
		skip_ws();
		if (pos < len && in[pos] == ',') {
			pos++;
			continue;
		}
		if (pos < len && in[pos] == (obj ? '}' : ']')) {
			pos++;
			break;
		}
		fail(obj ? "',' or '}' expected" : "',' or ']' expected");
	}
done:
	for (i = 0; i < n && keys; i++)
		free(keys[i]);
	free(keys);
	path[plen] = '\0';
	snprintf(head, sizeof(head), "%s %u", obj ? "object" : "array", n);
	emit(head, strlen(head));
}

static void value(int depth)
{
	size_t s, l;

	skip_ws();
	if (pos >= len)
		fail("value expected");
	switch (in[pos]) {
	case '{':
		container(depth, 1);
		break;
	case '[':
		container(depth, 0);
		break;
	case '"':
		string(&s, &l, NULL, 0);
		emit((const char *)in + s, l);
		break;
	case 't':
		literal("true");
		break;
	case 'f':
		literal("false");
		break;
	case 'n':
		literal("null");
		break;
	default:
		if (in[pos] == '-' || (in[pos] >= '0' && in[pos] <= '9'))
			number();
		else
			fail("unexpected character");
	}
}

int main(int argc, char **argv)
{
	FILE *f = stdin;
	unsigned char *buf;
	size_t n;
	int a = 1;

	if (a < argc && !strcmp(argv[a], "-g")) {
		if (a + 1 >= argc) {
			fprintf(stderr, "usage: jsonq [-g PATH] [FILE]\n");
			return 2;
		}
		want = argv[a + 1];
		a += 2;
	}
	if (a < argc - 1 || (a < argc && argv[a][0] == '-' && argv[a][1])) {
		fprintf(stderr, "usage: jsonq [-g PATH] [FILE]\n");
		return 2;
	}
	if (a < argc && strcmp(argv[a], "-")) {
		f = fopen(argv[a], "rb");
		if (!f) {
			perror(argv[a]);
			return 2;
		}
	}
	buf = malloc(MAX_IN + 1);
	if (!buf) {
		perror("jsonq");
		return 2;
	}
	n = fread(buf, 1, MAX_IN + 1, f);
	if (ferror(f) || n > MAX_IN) {
		fprintf(stderr, "jsonq: cannot read the input (or over %d bytes)\n", MAX_IN);
		return 2;
	}
	in = buf;
	len = n;
	value(0);
	skip_ws();
	if (pos != len)
		fail("trailing characters after the value");
	if (want && !found) {
		fprintf(stderr, "jsonq: no value at %s\n", want);
		return 1;
	}
	if (out_len)
		fwrite(out, 1, out_len, stdout);
	return 0;
}
