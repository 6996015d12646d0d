// SPDX-License-Identifier: GPL-2.0
/*
 * pktcap: a packet socket listener for the bench guest, what tcpdump would
 * show of an interface, without tcpdump.
 *
 *   pktcap -i IFNAME -t raw|dgram [-n COUNT] [-T SECONDS] [-r READYFILE]
 *
 * Opens an AF_PACKET socket (SOCK_RAW or SOCK_DGRAM, ETH_P_ALL) bound to
 * IFNAME, creates READYFILE once it listens, and prints every packet that
 * comes in (not the ones we send) as one line of hex, until COUNT packets
 * (default: no limit) or SECONDS (default 30) have passed. Exits 0, or 1
 * on a socket error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
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

static void usage(void)
{
	fprintf(stderr, "usage: pktcap -i IFNAME -t raw|dgram [-n COUNT] [-T SECONDS] [-r READYFILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *type = NULL, *ready = NULL;
	static unsigned char buf[65536];
	long count = -1, seen = 0;
	struct sockaddr_ll sll;
	double deadline;
	int fd, opt, seconds = 30;

	while ((opt = getopt(argc, argv, "i:t:n:T:r:")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 't':
			type = optarg;
			break;
		case 'n':
			count = atol(optarg);
			break;
		case 'T':
			seconds = atoi(optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			usage();
		}
	}
	if (!ifname || !type || optind != argc ||
	    (strcmp(type, "raw") && strcmp(type, "dgram")))
		usage();

	fd = socket(AF_PACKET, strcmp(type, "raw") ? SOCK_DGRAM : SOCK_RAW,
		    htons(ETH_P_ALL));
	if (fd < 0) {
		printf("pktcap: socket: %s\n", strerror(errno));
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		printf("pktcap: bind %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	if (ready)
		close(open(ready, O_WRONLY | O_CREAT, 0644));
	setvbuf(stdout, NULL, _IOLBF, 0);

	deadline = now() + seconds;
	while ((count < 0 || seen < count) && now() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t r, i;

		if (poll(&p, 1, 100) <= 0)
			continue;
		r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fl);
		if (r < 0) {
			printf("pktcap: recv: %s\n", strerror(errno));
			return 1;
		}
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		for (i = 0; i < r; i++)
			printf("%02x", buf[i]);
		printf("\n");
		seen++;
	}
	return 0;
}
