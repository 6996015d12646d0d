// SPDX-License-Identifier: GPL-2.0
/*
 * xfer: a deterministic TCP transfer over IPv6 for the bench guest.
 *
 *   xfer recv [-d DEV] [-t SECONDS] PORT BYTES
 *   xfer send [-d DEV] [-t SECONDS] ADDR[%DEV] PORT BYTES
 *
 * The sender writes BYTES bytes of a fixed pseudo-random stream; the
 * receiver checks every byte against the same stream and exits 0 only if
 * exactly BYTES bytes arrived intact before the deadline. It then prints
 * its rate and, on a line of its own, the longest time it waited for data
 * between the first and the last read ("longest gap N ms"): a link held
 * up for a while shows there even when the average rate hides it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static uint32_t stream_state;

static unsigned char stream_next(void)
{
	stream_state = stream_state * 1103515245u + 12345u;
	return stream_state >> 16;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bind_dev(int fd, const char *dev)
{
	if (!dev)
		return 0;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1)) {
		fprintf(stderr, "xfer: SO_BINDTODEVICE %s: %s\n", dev, strerror(errno));
		return -1;
	}
	return 0;
}

static int wait_fd(int fd, short ev, double deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int ms = (int)((deadline - now()) * 1000);

	if (ms <= 0)
		return 0;
	return poll(&p, 1, ms);
}

static int do_recv(const char *dev, int secs, int port, long total)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	double deadline = now() + secs, start, last, gap = 0;
	unsigned char buf[8192];
	long got = 0;
	int one = 1, ls, fd;

	ls = socket(AF_INET6, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind_dev(ls, dev))
		return 1;
	a.sin6_port = htons(port);
	a.sin6_addr = in6addr_any;
	if (bind(ls, (void *)&a, sizeof(a)) || listen(ls, 1)) {
		fprintf(stderr, "xfer: listen: %s\n", strerror(errno));
		return 1;
	}
	printf("xfer: listening on port %d\n", port);
	fflush(stdout);
	if (wait_fd(ls, POLLIN, deadline) <= 0) {
		fprintf(stderr, "xfer: no connection within %d s\n", secs);
		return 1;
	}
	fd = accept(ls, NULL, NULL);
	if (fd < 0) {
		fprintf(stderr, "xfer: accept: %s\n", strerror(errno));
		return 1;
	}
	start = now();
	last = start;
	stream_state = 0x6c6f7770;
	for (;;) {
		ssize_t n, i;

		if (wait_fd(fd, POLLIN, deadline) <= 0) {
			fprintf(stderr, "xfer: stalled: %ld of %ld bytes after %d s\n",
				got, total, secs);
			return 1;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "xfer: read: %s after %ld bytes\n", strerror(errno), got);
			return 1;
		}
		if (n == 0)
			break;
		if (got && now() - last > gap)
			gap = now() - last;
		last = now();
		for (i = 0; i < n; i++) {
			if (buf[i] != stream_next()) {
				fprintf(stderr, "xfer: byte %ld differs\n", got + i);
				return 1;
			}
		}
		got += n;
		if (got > total) {
			fprintf(stderr, "xfer: %ld bytes, more than %ld\n", got, total);
			return 1;
		}
	}
	if (got != total) {
		fprintf(stderr, "xfer: short: %ld of %ld bytes\n", got, total);
		return 1;
	}
	printf("xfer: received %ld bytes intact in %.1f s (%.1f KiB/s)\n", got,
	       now() - start, got / 1024.0 / (now() - start + 1e-9));
	printf("xfer: longest gap %.0f ms\n", gap * 1000);
	return 0;
}

static int do_send(const char *dev, int secs, const char *addr, int port, long total)
{
	struct addrinfo hints = { .ai_family = AF_INET6, .ai_socktype = SOCK_STREAM };
	double deadline = now() + secs;
	struct addrinfo *res;
	unsigned char buf[8192];
	char portstr[16];
	long sent = 0;
	int fd, err;

	snprintf(portstr, sizeof(portstr), "%d", port);
	err = getaddrinfo(addr, portstr, &hints, &res);
	if (err) {
		fprintf(stderr, "xfer: %s: %s\n", addr, gai_strerror(err));
		return 1;
	}
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (bind_dev(fd, dev))
		return 1;
	/* connect() gives up after SO_SNDTIMEO instead of the SYN retries */
	{
		struct timeval tv = { .tv_sec = secs };

		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (connect(fd, res->ai_addr, res->ai_addrlen)) {
		fprintf(stderr, "xfer: connect %s: %s\n", addr, strerror(errno));
		return 1;
	}
	stream_state = 0x6c6f7770;
	while (sent < total) {
		long chunk = total - sent < (long)sizeof(buf) ? total - sent : (long)sizeof(buf);
		long i, off = 0;

		for (i = 0; i < chunk; i++)
			buf[i] = stream_next();
		while (off < chunk) {
			ssize_t n;

			if (wait_fd(fd, POLLOUT, deadline) <= 0) {
				fprintf(stderr, "xfer: send stalled after %ld bytes\n", sent + off);
				return 1;
			}
			n = write(fd, buf + off, chunk - off);
			if (n < 0) {
				fprintf(stderr, "xfer: write: %s\n", strerror(errno));
				return 1;
			}
			off += n;
		}
		sent += chunk;
	}
	shutdown(fd, SHUT_WR);
	/* wait for the receiver to close so that everything was delivered */
	while (wait_fd(fd, POLLIN, deadline) > 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	printf("xfer: sent %ld bytes\n", sent);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: xfer recv [-d DEV] [-t SECS] PORT BYTES\n"
			"       xfer send [-d DEV] [-t SECS] ADDR[%%DEV] PORT BYTES\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *mode;
	int secs = 120, opt;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "d:t:")) != -1) {
		if (opt == 'd')
			dev = optarg;
		else if (opt == 't')
			secs = atoi(optarg);
		else
			usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "recv") && argc - optind == 2)
		return do_recv(dev, secs, atoi(argv[optind]), atol(argv[optind + 1]));
	if (!strcmp(mode, "send") && argc - optind == 3)
		return do_send(dev, secs, argv[optind], atoi(argv[optind + 1]),
			       atol(argv[optind + 2]));
	usage();
	return 2;
}
