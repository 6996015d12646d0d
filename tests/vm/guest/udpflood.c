// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: UDP datagrams over IPv6 back to back, for the stress scenario.
 *
 *   udpflood [-t SECONDS] [-s BYTES] ADDR%DEV PORT
 *
 * Sends BYTES-byte datagrams (default 1200) to ADDR, scope DEV, for
 * SECONDS (default 1) and never waits for the link: a send that fails
 * (no buffer space, the interface gone or moved away) is counted and the
 * next one tried after 10 ms. Prints "sent N failed M" and exits 0 once
 * the time is up; 2 on a usage error, 1 if the socket cannot be made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: udpflood [-t SECONDS] [-s BYTES] ADDR%%DEV PORT\n");
	return 2;
}

/* ADDR%DEV into sa; the scope is looked up again on every call, since the
 * interface of that name may have gone and come back with a new index.
 */
static int resolve(const char *spec, struct sockaddr_in6 *sa, int port)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2], *pct;

	if (strlen(spec) >= sizeof(host))
		return -1;
	strcpy(host, spec);
	pct = strchr(host, '%');
	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons(port);
	if (pct) {
		*pct++ = '\0';
		sa->sin6_scope_id = if_nametoindex(pct);
		if (!sa->sin6_scope_id)
			return 1;
	}
	return inet_pton(AF_INET6, host, &sa->sin6_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	long sent = 0, failed = 0;
	struct sockaddr_in6 sa;
	double secs = 1, end;
	size_t len = 1200;
	char *buf, *e;
	int opt, fd, port, r;

	while ((opt = getopt(argc, argv, "t:s:")) != -1) {
		switch (opt) {
		case 't':
			secs = strtod(optarg, &e);
			if (*e || secs <= 0)
				return usage();
			break;
		case 's':
			len = strtoul(optarg, &e, 10);
			if (*e || !len || len > 65000)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	port = atoi(argv[optind + 1]);
	if (port <= 0 || port > 65535 || resolve(argv[optind], &sa, port) < 0)
		return usage();
	buf = calloc(1, len);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (!buf || fd < 0) {
		perror("udpflood: socket");
		return 1;
	}
	end = now() + secs;
	while (now() < end) {
		r = resolve(argv[optind], &sa, port);
		if (!r && sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)len) {
			sent++;
			continue;
		}
		failed++;
		usleep(10000);
	}
	printf("sent %ld failed %ld\n", sent, failed);
	return 0;
}
