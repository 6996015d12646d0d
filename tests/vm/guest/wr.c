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
	fprintf(stderr, "usage: wr [-f N] FILE TEXT   (escapes: \\n \\r \\t \\\\ \\0 \\xNN X\\{N})\n");
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

int main(int argc, char **argv)
{
	unsigned char *buf;
	size_t len;
	ssize_t r;
	int fd;

	const char *nth = NULL, *inj = "";
	int err;

	if (argc == 5 && !strcmp(argv[1], "-f")) {
		nth = argv[2];
		if (!*nth || strspn(nth, "0123456789") != strlen(nth))
			usage("-f wants a number");
		argv += 2;
		argc -= 2;
	}
	if (argc != 3)
		usage(NULL);
	buf = malloc(MAX_LEN);
	if (!buf)
		return 2;
	len = decode(argv[2], buf);

	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return 0;
	}
	if (nth && fail_nth_set(nth)) {
		printf("fail-nth:%s\n", errname(errno));
		return 0;
	}
	r = write(fd, buf, len);
	err = errno;
	if (nth) {
		/* the Nth came: the counter ran down to 0 */
		inj = fail_nth_get() == 0 ? " injected" : " not-injected";
		fail_nth_set("0");
	}
	if (r < 0)
		printf("%s%s\n", errname(err), inj);
	else if ((size_t)r == len)
		printf("OK%s\n", inj);
	else
		printf("PARTIAL %zd%s\n", r, inj);
	close(fd);
	return 0;
}
