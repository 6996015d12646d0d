// SPDX-License-Identifier: GPL-2.0
/*
 * wr: one write() of exactly the given bytes, for bad-input tests.
 *
 *   wr FILE TEXT
 *
 * TEXT takes C-style escapes so that binary and overlong input can be
 * written from a shell table:
 *   \n \r \t \\ \0 (NUL)  \xNN (one byte, one or two hex digits)
 *   \{N}  repeat the byte just before it so that it appears N times in
 *         all (N up to 1000000): "A\{5000}" is 5000 A's, "\x00\{3}" is
 *         three NULs.
 * Prints OK if write() returned the whole length, "PARTIAL n" if it
 * returned less, else the errno name (EINVAL, ERANGE, ...); a failed open
 * prints "open:ENAME". Exit status 0 in all those cases, 2 on a usage
 * error (including a malformed escape).
 *
 *   wr -f N FILE TEXT
 *
 * The same, with fault injection (debug kernel): N goes to this task's
 * /proc/thread-self/fail-nth between the open and the write, so that the
 * Nth allocation the write makes that the fault attributes let through
 * (their stack filter) fails. " injected" follows the result when the
 * Nth came (fail-nth reads 0 after the write), " not-injected" when the
 * write made fewer; fail-nth is then cleared.
 *
 *   wr -r N FILE TEXT
 *
 * N writes, each with its own open, then one "COUNT RESULT" line per
 * result (OK, EINVAL, ...) in the order they first came.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LEN (1024 * 1024 + 64)

static const struct {
	int err;
	const char *name;
} names[] = {
#define E(x) { x, #x }
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(EFBIG),
	E(ENOSPC), E(ESPIPE), E(EROFS), E(EPIPE), E(EDOM), E(ERANGE),
	E(EDEADLK), E(ENAMETOOLONG), E(ENOSYS), E(ENOTEMPTY), E(ELOOP),
	E(ENOMSG), E(ENODATA), E(ETIME), E(EPROTO), E(EBADMSG), E(EOVERFLOW),
	E(EILSEQ), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE),
	E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(EOPNOTSUPP), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH),
	E(EALREADY), E(EINPROGRESS), E(ESTALE), E(ECANCELED), E(ENOKEY),
	E(ERESTART), E(ENOTSUP),
#undef E
};

static const char *errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void usage(const char *why)
{
	if (why)
		fprintf(stderr, "wr: %s\n", why);
	fprintf(stderr, "usage: wr [-f N | -r N] FILE TEXT   (escapes: \\n \\r \\t \\\\ \\0 \\xNN X\\{N})\n");
	exit(2);
}

#define FAIL_NTH "/proc/thread-self/fail-nth"

/* Writes @text to fail-nth; returns 0 or -1 (errno set). */
static int fail_nth_set(const char *text)
{
	int fd = open(FAIL_NTH, O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, text, strlen(text));
	close(fd);
	return r < 0 ? -1 : 0;
}

/* fail-nth's value now, or -1. */
static long fail_nth_get(void)
{
	char b[32];
	ssize_t r;
	int fd = open(FAIL_NTH, O_RDONLY);

	if (fd < 0)
		return -1;
	r = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	b[r] = 0;
	return strtol(b, NULL, 10);
}

/* Decodes @s into @out; returns the length. */
static size_t decode(const char *s, unsigned char *out)
{
	size_t n = 0;

	while (*s) {
		int c = (unsigned char)*s++, h;

		if (n >= MAX_LEN)
			usage("text too long");
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		c = (unsigned char)*s++;
		switch (c) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case '\\': out[n++] = '\\'; break;
		case '0': out[n++] = '\0'; break;
		case 'x':
			h = hexval(*s);
			if (h < 0)
				usage("\\x needs hex digits");
			s++;
			if (hexval(*s) >= 0)
				h = h * 16 + hexval(*s++);
			out[n++] = h;
			break;
		case '{': {
			char *end;
			unsigned long rep = strtoul(s, &end, 10);

			if (end == s || *end != '}' || !n || rep < 1 ||
			    rep > 1000000 || n - 1 + rep > MAX_LEN)
				usage("bad \\{N} repetition");
			s = end + 1;
			memset(out + n, out[n - 1], rep - 1);
			n += rep - 1;
			break;
		}
		default:
			usage("unknown escape");
		}
	}
	return n;
}

/* One open and write of @buf; its outcome as the single-shot form prints
 * it, without " injected".
 */
static const char *write_once(const char *file, const unsigned char *buf,
			      size_t len, const char *nth, const char **inj)
{
	static char out[64];
	ssize_t r;
	int fd, err;

	fd = open(file, O_WRONLY);
	if (fd < 0) {
		snprintf(out, sizeof(out), "open:%s", errname(errno));
		return out;
	}
	if (nth && fail_nth_set(nth)) {
		snprintf(out, sizeof(out), "fail-nth:%s", errname(errno));
		close(fd);
		return out;
	}
	r = write(fd, buf, len);
	err = errno;
	if (nth) {
		/* the Nth came: the counter ran down to 0 */
		*inj = fail_nth_get() == 0 ? " injected" : " not-injected";
		fail_nth_set("0");
	}
	if (r < 0)
		snprintf(out, sizeof(out), "%s", errname(err));
	else if ((size_t)r == len)
		snprintf(out, sizeof(out), "OK");
	else
		snprintf(out, sizeof(out), "PARTIAL %zd", r);
	close(fd);
	return out;
}

/* -r N: N writes, then "COUNT OUTCOME" per outcome, in order of first
 * appearance (a TCG guest pays ~15 ms for each process a shell starts).
 */
#define MAX_OUTCOMES 8

static void write_repeated(const char *file, const unsigned char *buf,
			   size_t len, long n)
{
	static char seen[MAX_OUTCOMES][64];
	long count[MAX_OUTCOMES] = { 0 }, other = 0, i;
	const char *inj = "", *out;
	int k, nseen = 0;

	for (i = 0; i < n; i++) {
		out = write_once(file, buf, len, NULL, &inj);
		for (k = 0; k < nseen && strcmp(seen[k], out); k++)
			;
		if (k == nseen) {
			if (nseen == MAX_OUTCOMES) {
				other++;
				continue;
			}
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", out);
		}
		count[k]++;
	}
	for (k = 0; k < nseen; k++)
		printf("%ld %s\n", count[k], seen[k]);
	if (other)
		printf("%ld other\n", other);
}

int main(int argc, char **argv)
{
	const char *nth = NULL, *inj = "", *out;
	unsigned char *buf;
	long repeat = 0;
	char *end;
	size_t len;

	if (argc == 5 && !strcmp(argv[1], "-f")) {
		nth = argv[2];
		if (!*nth || strspn(nth, "0123456789") != strlen(nth))
			usage("-f wants a number");
		argv += 2;
		argc -= 2;
	} else if (argc == 5 && !strcmp(argv[1], "-r")) {
		repeat = strtol(argv[2], &end, 10);
		if (!*argv[2] || *end || repeat < 1 || repeat > 1000000)
			usage("-r wants a number from 1 to 1000000");
		argv += 2;
		argc -= 2;
	}
	if (argc != 3)
		usage(NULL);
	buf = malloc(MAX_LEN);
	if (!buf)
		return 2;
	len = decode(argv[2], buf);

	if (repeat) {
		write_repeated(argv[1], buf, len, repeat);
		return 0;
	}
	out = write_once(argv[1], buf, len, nth, &inj);
	printf("%s%s\n", out, inj);
	return 0;
}
