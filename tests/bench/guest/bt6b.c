// SPDX-License-Identifier: GPL-2.0
/*
 * bt6b: measurement helpers for the performance bench guest.
 *
 *   bt6b now
 *       CLOCK_MONOTONIC in seconds, nanosecond resolution.
 *   bt6b ping -I DEV [-s SIZE] [-c COUNT] [-i MS] [-W MS] ADDR
 *       COUNT ICMPv6 echo requests, one at a time (the next one MS after
 *       the previous reply or timeout); prints
 *       "ping sent=N recv=M p50=.. p99=.. min=.. max=.. mean=.." (ms).
 *   bt6b waitping -I DEV|-A HCI [-s SIZE] [-T SECS] [-0 T0] ADDR
 *       An echo request every 100 ms until the first reply; prints the
 *       seconds from T0 (default: start) to that reply. Exit 1 on timeout.
 *       -A HCI: send on the netdev bound to that adapter, found again
 *       whenever it is missing (it may be recreated by a reconnect).
 *   bt6b udprecv -I DEV [-T SECS] PORT
 *       Receive datagrams from udpsend until 2 s of silence; prints
 *       "udp recv=PKTS sent=PKTS bytes=B secs=S kibps=R".
 *   bt6b udpsend -I DEV|-A HCI [-s SIZE] [-n COUNT] [-i MS] [-T SECS] ADDR PORT
 *       COUNT datagrams of SIZE bytes as fast as the socket takes them
 *       (or one every MS); each carries its sequence number and the
 *       start time. Stops after SECS in any case.
 *   bt6b l2hold -a LOCAL [-p PSM] [-r SECS] [-T SECS]
 *       Userspace IPSP peer that withholds credits: accept a channel,
 *       read it for SECS (default 3), then stop reading it for good
 *       (prints "hold T"), shrinking nothing; later channels are read
 *       normally, and the first frame on one prints "flow T CHANNEL".
 *   bt6b l2sink -a LOCAL [-p PSM] [-b BYTES] [-T SECS]
 *       Accept one LE credit based channel (MTU 1280) and read BYTES from
 *       it; prints "l2 bytes=B sdus=N secs=S kibps=K", timed from the
 *       start time l2send writes into its first SDU to the last byte.
 *   bt6b l2send -a LOCAL [-p PSM] [-s SIZE] [-b BYTES] [-T SECS] DEST
 *       Connect to DEST (LE public) and write SIZE-byte SDUs back to back
 *       until BYTES are written; the userspace counterpart of bt6_limit.ko
 *       (tests/bench/limit).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bluetooth/bluetooth.h>
#include <bluetooth/l2cap.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: bt6b now|ping|waitping|udprecv|udpsend|l2hold|l2sink|l2send ... (see source)\n");
	exit(2);
}

/* The netdev whose device link points at adapter HCI, or "". */
static int dev_of_hci(const char *hci, char *dev, size_t len)
{
	char path[PATH_MAX], tgt[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	ssize_t n;
	int found = 0;

	dir = opendir("/sys/class/net");
	if (!dir)
		return 0;
	while (!found && (d = readdir(dir))) {
		const char *b;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/device", d->d_name);
		n = readlink(path, tgt, sizeof(tgt) - 1);
		if (n <= 0)
			continue;
		tgt[n] = 0;
		b = strrchr(tgt, '/');
		b = b ? b + 1 : tgt;
		if (!strcmp(b, hci)) {
			snprintf(dev, len, "%.15s", d->d_name);
			found = 1;
		}
	}
	closedir(dir);
	return found;
}

struct target {
	const char *dev;	/* fixed netdev, or */
	const char *hci;	/* the adapter's netdev, looked up again */
	const char *addr;
	struct sockaddr_in6 sa;
	char cur[IF_NAMESIZE];
};

/* Open a socket bound to the target's device; -1 if it does not exist. */
static int open_target(struct target *t, int type, int proto)
{
	const char *dev = t->dev;
	int fd;

	if (!dev) {
		if (!dev_of_hci(t->hci, t->cur, sizeof(t->cur)))
			return -1;
		dev = t->cur;
	}
	memset(&t->sa, 0, sizeof(t->sa));
	t->sa.sin6_family = AF_INET6;
	if (inet_pton(AF_INET6, t->addr, &t->sa.sin6_addr) != 1) {
		fprintf(stderr, "bt6b: bad address %s\n", t->addr);
		exit(2);
	}
	t->sa.sin6_scope_id = if_nametoindex(dev);
	if (!t->sa.sin6_scope_id)
		return -1;
	fd = socket(AF_INET6, type, proto);
	if (fd < 0) {
		perror("bt6b: socket");
		exit(1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, int n, double p)
{
	int i = (int)(p * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

/* One echo request with SEQ; wait up to DEADLINE for its reply.
 * Returns 1 on a reply, 0 on timeout.
 */
static int echo_once(int fd, struct target *t, int size, uint16_t id, uint16_t seq,
		     double deadline)
{
	unsigned char buf[2048];
	struct icmp6_hdr *h = (struct icmp6_hdr *)buf;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ms;

	memset(buf, 0, sizeof(buf));
	h->icmp6_type = ICMP6_ECHO_REQUEST;
	h->icmp6_id = htons(id);
	h->icmp6_seq = htons(seq);
	for (int i = 0; i < size; i++)
		buf[8 + i] = i;
	if (sendto(fd, buf, 8 + size, 0, (struct sockaddr *)&t->sa, sizeof(t->sa)) < 0)
		return 0;
	for (;;) {
		ms = (int)((deadline - now()) * 1000);
		if (ms <= 0 || poll(&p, 1, ms) <= 0)
			return 0;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 8)
			continue;
		if (h->icmp6_type == ICMP6_ECHO_REPLY && ntohs(h->icmp6_id) == id &&
		    ntohs(h->icmp6_seq) == seq)
			return 1;
	}
}

static int icmp_socket(struct target *t)
{
	struct icmp6_filter f;
	int fd = open_target(t, SOCK_RAW, IPPROTO_ICMPV6);

	if (fd < 0)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	return fd;
}

static int cmd_ping(int argc, char **argv, int wait_mode)
{
	struct target t = { 0 };
	int size = 56, count = 500, gap = 10, wait_ms = 2000, secs = 60, opt, fd = -1;
	double t0 = now(), *rtt, sum = 0, deadline;
	uint16_t id = getpid() & 0xffff, seq = 0;
	int recv = 0, sent = 0;

	while ((opt = getopt(argc, argv, "I:A:s:c:i:W:T:0:")) != -1) {
		switch (opt) {
		case 'I': t.dev = optarg; break;
		case 'A': t.hci = optarg; break;
		case 's': size = atoi(optarg); break;
		case 'c': count = atoi(optarg); break;
		case 'i': gap = atoi(optarg); break;
		case 'W': wait_ms = atoi(optarg); break;
		case 'T': secs = atoi(optarg); break;
		case '0': t0 = atof(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || (!t.dev && !t.hci) || size < 0 || size > 1400)
		usage();
	t.addr = argv[optind];

	if (wait_mode) {
		deadline = now() + secs;
		while (now() < deadline) {
			if (fd < 0)
				fd = icmp_socket(&t);
			if (fd >= 0 && echo_once(fd, &t, size, id, ++seq, now() + 0.1)) {
				printf("%.3f\n", now() - t0);
				return 0;
			}
			if (fd < 0) {
				usleep(50000);
			} else if (t.hci) {	/* netdev gone or renamed? */
				char d[IF_NAMESIZE];

				if (!dev_of_hci(t.hci, d, sizeof(d)) || strcmp(d, t.cur) ||
				    if_nametoindex(d) != t.sa.sin6_scope_id) {
					close(fd);
					fd = -1;
				}
			}
		}
		printf("timeout\n");
		return 1;
	}

	fd = icmp_socket(&t);
	if (fd < 0) {
		fprintf(stderr, "bt6b: no device\n");
		return 1;
	}
	rtt = calloc(count, sizeof(*rtt));
	deadline = now() + secs;
	for (int i = 0; i < count && now() < deadline; i++) {
		double s = now();

		if (i >= 5 && !recv)
			break;	/* nothing gets through: do not wait 2 s per request */
		sent++;
		if (echo_once(fd, &t, size, id, ++seq, s + wait_ms / 1000.0)) {
			rtt[recv] = (now() - s) * 1000;
			sum += rtt[recv++];
		}
		usleep(gap * 1000);
	}
	if (!recv) {
		printf("ping sent=%d recv=0\n", sent);
		return 1;
	}
	qsort(rtt, recv, sizeof(*rtt), cmp_double);
	printf("ping sent=%d recv=%d p50=%.2f p99=%.2f min=%.2f max=%.2f mean=%.2f\n",
	       sent, recv, pct(rtt, recv, 0.5), pct(rtt, recv, 0.99), rtt[0],
	       rtt[recv - 1], sum / recv);
	return 0;
}

struct udp_hdr {
	uint32_t magic;
	uint32_t seq;
	uint32_t total;
	uint32_t pad;
	double start;
};

#define UDP_MAGIC 0xb76b0001

static int cmd_udpsend(int argc, char **argv)
{
	struct target t = { 0 };
	int size = 1200, count = 1000, gap = 0, secs = 60, opt, fd = -1, errs = 0;
	unsigned char buf[2048];
	struct udp_hdr *h = (struct udp_hdr *)buf;
	double deadline, last_look = 0;
	int i = 0;

	while ((opt = getopt(argc, argv, "I:A:s:n:i:T:")) != -1) {
		switch (opt) {
		case 'I': t.dev = optarg; break;
		case 'A': t.hci = optarg; break;
		case 's': size = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'i': gap = atoi(optarg); break;
		case 'T': secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 2 || (!t.dev && !t.hci) || size < (int)sizeof(*h) || size > 1400)
		usage();
	t.addr = argv[optind];
	memset(buf, 0x5a, sizeof(buf));
	h->magic = UDP_MAGIC;
	h->total = count;
	h->start = now();
	deadline = h->start + secs;
	while (i < count && now() < deadline) {
		if (fd < 0) {
			if (now() - last_look < 0.2) {
				usleep(20000);
				continue;
			}
			last_look = now();
			fd = open_target(&t, SOCK_DGRAM, 0);
			if (fd < 0)
				continue;
			t.sa.sin6_port = htons(atoi(argv[optind + 1]));
		}
		h->seq = i;
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&t.sa, sizeof(t.sa)) < 0) {
			errs++;
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(2000);
				continue;
			}
			/* device gone: look it up again */
			close(fd);
			fd = -1;
			if (t.dev)
				usleep(100000);
			continue;
		}
		i++;
		if (gap)
			usleep(gap * 1000);
	}
	printf("udpsend sent=%d errors=%d secs=%.2f\n", i, errs, now() - h->start);
	return 0;
}

static int cmd_udprecv(int argc, char **argv)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	const char *dev = NULL;
	unsigned char buf[2048];
	struct udp_hdr *h = (struct udp_hdr *)buf;
	int secs = 60, opt, fd, one = 1;
	long pkts = 0, bytes = 0;
	uint32_t total = 0;
	double start = 0, last = 0, deadline;
	struct pollfd p;

	while ((opt = getopt(argc, argv, "I:T:")) != -1) {
		switch (opt) {
		case 'I': dev = optarg; break;
		case 'T': secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev) + 1)) {
		perror("bt6b: SO_BINDTODEVICE");
		return 1;
	}
	sa.sin6_port = htons(atoi(argv[optind]));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bt6b: bind");
		return 1;
	}
	printf("udprecv listening\n");
	fflush(stdout);
	p.fd = fd;
	p.events = POLLIN;
	deadline = now() + secs;
	for (;;) {
		double lim = pkts ? last + 2 : deadline;
		int ms = (int)((lim - now()) * 1000);
		ssize_t n;

		if (ms <= 0 || poll(&p, 1, ms) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < (ssize_t)sizeof(*h) || h->magic != UDP_MAGIC)
			continue;
		last = now();
		start = h->start;
		total = h->total;
		pkts++;
		bytes += n;
		if (h->seq + 1 == total)
			break;
	}
	if (!pkts) {
		printf("udp recv=0\n");
		return 1;
	}
	printf("udp recv=%ld sent=%u bytes=%ld secs=%.3f kibps=%.1f\n", pkts, total, bytes,
	       last - start, bytes / 1024.0 / (last - start));
	return 0;
}

static int str2addr(const char *s, bdaddr_t *ba)
{
	unsigned int b[6];

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		ba->b[5 - i] = b[i];
	return 0;
}

static int cmd_l2hold(int argc, char **argv)
{
	struct sockaddr_l2 a = { 0 };
	struct bt_security sec = { .level = BT_SECURITY_LOW };
	int psm = 0x23, readsecs = 3, secs = 120, opt, lfd, nch = 0, held = -1, rcv = 4096;
	struct pollfd p[16];
	int fds[16], flowing[16] = { 0 };
	unsigned char buf[2048];
	double t0 = now(), hold_at = 0;
	long before = 0;

	while ((opt = getopt(argc, argv, "a:p:r:T:")) != -1) {
		switch (opt) {
		case 'a':
			if (str2addr(optarg, &a.l2_bdaddr))
				usage();
			break;
		case 'p': psm = strtol(optarg, NULL, 0); break;
		case 'r': readsecs = atoi(optarg); break;
		case 'T': secs = atoi(optarg); break;
		default: usage();
		}
	}
	lfd = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP);
	a.l2_family = AF_BLUETOOTH;
	a.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	a.l2_psm = htobs(psm);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("l2hold: bind");
		return 1;
	}
	setsockopt(lfd, SOL_BLUETOOTH, BT_SECURITY, &sec, sizeof(sec));
	setsockopt(lfd, SOL_BLUETOOTH, BT_RCVMTU, &(uint16_t){ 1280 }, sizeof(uint16_t));
	setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (listen(lfd, 4) < 0) {
		perror("l2hold: listen");
		return 1;
	}
	printf("l2hold listening\n");
	fflush(stdout);
	while (now() - t0 < secs) {
		int n = 0;

		p[n].fd = lfd;
		p[n++].events = POLLIN;
		for (int i = 0; i < nch; i++) {
			p[n].fd = i == held ? -1 : fds[i];
			p[n++].events = POLLIN;
		}
		if (held < 0 && nch && now() - t0 > readsecs) {
			held = 0;
			hold_at = now();
			printf("hold %.3f frames=%ld\n", hold_at, before);
			fflush(stdout);
			continue;
		}
		if (poll(p, n, 200) <= 0)
			continue;
		if (p[0].revents & POLLIN) {
			int c = accept(lfd, NULL, NULL);

			if (c >= 0 && nch < 16) {
				setsockopt(c, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
				fds[nch++] = c;
				printf("accepted %d %.3f\n", nch - 1, now());
				fflush(stdout);
				if (held < 0)
					t0 = now();
			}
		}
		for (int i = 0; i < nch; i++) {
			if (!p[i + 1].revents || p[i + 1].fd < 0)
				continue;
			if (recv(fds[i], buf, sizeof(buf), 0) <= 0) {
				close(fds[i]);
				fds[i] = -1;
				if (i != held)
					printf("closed %d\n", i);
				continue;
			}
			if (held < 0)
				before++;
			if (held >= 0 && i != held && !flowing[i]) {
				flowing[i] = 1;
				printf("flow %.3f %d\n", now() - hold_at, i);
				fflush(stdout);
			}
		}
	}
	return 0;
}

/* an LE credit based L2CAP socket bound to LOCAL, MTU 1280 */
static int l2_socket(const char *local, int psm, int bind_psm)
{
	struct sockaddr_l2 a = { 0 };
	struct bt_security sec = { .level = BT_SECURITY_LOW };
	int fd;

	a.l2_family = AF_BLUETOOTH;
	a.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	a.l2_psm = bind_psm ? htobs(psm) : 0;
	if (str2addr(local, &a.l2_bdaddr))
		usage();
	fd = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("l2: bind");
		exit(1);
	}
	setsockopt(fd, SOL_BLUETOOTH, BT_SECURITY, &sec, sizeof(sec));
	setsockopt(fd, SOL_BLUETOOTH, BT_RCVMTU, &(uint16_t){ 1280 }, sizeof(uint16_t));
	setsockopt(fd, SOL_BLUETOOTH, BT_SNDMTU, &(uint16_t){ 1280 }, sizeof(uint16_t));
	return fd;
}

static int cmd_l2sink(int argc, char **argv)
{
	const char *local = NULL;
	int psm = 0x83, secs = 60, opt, lfd, c;
	long want = 1048576, got = 0, sdus = 0;
	double t0 = 0, last = 0, end;
	unsigned char buf[2048];
	struct pollfd p;

	while ((opt = getopt(argc, argv, "a:p:b:T:")) != -1) {
		switch (opt) {
		case 'a': local = optarg; break;
		case 'p': psm = strtol(optarg, NULL, 0); break;
		case 'b': want = atol(optarg); break;
		case 'T': secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (!local)
		usage();
	lfd = l2_socket(local, psm, 1);
	if (listen(lfd, 1) < 0) {
		perror("l2sink: listen");
		return 1;
	}
	printf("l2sink listening\n");
	end = now() + secs;
	p.fd = lfd;
	p.events = POLLIN;
	if (poll(&p, 1, secs * 1000) <= 0 || (c = accept(lfd, NULL, NULL)) < 0) {
		printf("l2 error no channel\n");
		return 1;
	}
	p.fd = c;
	while (got < want && now() < end) {
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = recv(c, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		if (!sdus && n >= (ssize_t)sizeof(double))
			memcpy(&t0, buf, sizeof(double));
		got += n;
		sdus++;
		last = now();
	}
	if (got < want || last <= t0) {
		printf("l2 error bytes=%ld of %ld\n", got, want);
		return 1;
	}
	printf("l2 bytes=%ld sdus=%ld secs=%.3f kibps=%.1f\n", got, sdus, last - t0,
	       got / 1024.0 / (last - t0));
	close(c);
	return 0;
}

static int cmd_l2send(int argc, char **argv)
{
	const char *local = NULL;
	struct sockaddr_l2 a = { 0 };
	int psm = 0x83, size = 1280, secs = 60, opt, fd;
	long want = 1048576, sent = 0;
	unsigned char buf[2048];
	double t0, end;

	while ((opt = getopt(argc, argv, "a:p:s:b:T:")) != -1) {
		switch (opt) {
		case 'a': local = optarg; break;
		case 'p': psm = strtol(optarg, NULL, 0); break;
		case 's': size = atoi(optarg); break;
		case 'b': want = atol(optarg); break;
		case 'T': secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (!local || optind != argc - 1 || size < (int)sizeof(double) ||
	    size > (int)sizeof(buf))
		usage();
	fd = l2_socket(local, psm, 0);
	a.l2_family = AF_BLUETOOTH;
	a.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	a.l2_psm = htobs(psm);
	if (str2addr(argv[optind], &a.l2_bdaddr))
		usage();
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("l2send: connect");
		return 1;
	}
	memset(buf, 0x6b, sizeof(buf));
	t0 = now();
	end = t0 + secs;
	memcpy(buf, &t0, sizeof(t0));
	while (sent < want && now() < end) {
		ssize_t n = send(fd, buf, size, 0);

		if (n < 0) {
			perror("l2send: send");
			return 1;
		}
		sent += n;
	}
	printf("l2send bytes=%ld secs=%.3f\n", sent, now() - t0);
	/* the sink closes first: our close would drop what is still queued */
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = (int)((end - now()) * 1000);

		if (ms > 0 && poll(&p, 1, ms) > 0 && recv(fd, buf, 1, 0) < 0)
			perror("l2send: recv");
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		usage();
	cmd = argv[1];
	argv++;
	argc--;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "now")) {
		printf("%.6f\n", now());
		return 0;
	}
	if (!strcmp(cmd, "ping"))
		return cmd_ping(argc, argv, 0);
	if (!strcmp(cmd, "waitping"))
		return cmd_ping(argc, argv, 1);
	if (!strcmp(cmd, "udpsend"))
		return cmd_udpsend(argc, argv);
	if (!strcmp(cmd, "udprecv"))
		return cmd_udprecv(argc, argv);
	if (!strcmp(cmd, "l2hold"))
		return cmd_l2hold(argc, argv);
	if (!strcmp(cmd, "l2sink"))
		return cmd_l2sink(argc, argv);
	if (!strcmp(cmd, "l2send"))
		return cmd_l2send(argc, argv);
	usage();
	return 2;
}
