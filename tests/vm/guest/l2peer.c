// SPDX-License-Identifier: GPL-2.0
/*
 * l2peer: a userspace L2CAP LE credit based peer for the bench guest.
 *
 *   l2peer listen -a LOCAL [-p PSM] [-m IMTU] [-t SECONDS]
 *                 [-H HOLDFILE] [-r RCVBUF] [-c COUNTFILE]
 *       Listen on LOCAL (an adapter's BD_ADDR, LE public) and PSM
 *       (default 0x23); accept every channel, print "accepted ADDR" and
 *       "closed ADDR", read and discard what arrives. Runs until killed
 *       or for SECONDS.
 *       -H: while HOLDFILE exists, read nothing: once the socket's receive
 *           buffer is full the kernel returns no more credits, so the
 *           sender stalls (a peer that withholds credits).
 *       -r: SO_RCVBUF of each accepted channel (small: stalls sooner).
 *       -c: keep the number of frames received so far in COUNTFILE.
 *
 *   l2peer fuzz -a LOCAL -d REMOTE [-p PSM] [-n FRAMES] [-s SEED]
 *               [-w GOFILE] [-t SECONDS]
 *       Connect from LOCAL to REMOTE on PSM (default 0x23) as an LE
 *       credit based client, print "connected ...", wait until GOFILE
 *       exists (if given), then send FRAMES frames (default 10000) of
 *       random and mutated 6LoWPAN content with a fixed seed (default 1):
 *         random     random bytes, mostly short, some up to the MTU
 *         iphc       IPHC headers (first byte 0x60-0x7F) with random
 *                    fields and next headers, truncated at every length
 *         ipv6bad    uncompressed dispatch 0x41 with short or bad headers
 *         nexthdr    0x41 + a well formed IPv6 header with odd next
 *                    headers (hop-by-hop, fragment, ESP, none, 255...)
 *         small      1-byte frames, and 0-length sends: L2CAP puts no PDU
 *                    on the air for an empty SDU, so those are counted
 *                    apart ("zero") and never reach the peer
 *         max        frames of exactly the peer's MTU (1280 for ours)
 *       One extra send of MTU+1 bytes checks that L2CAP refuses it
 *       (EMSGSIZE); it is not counted as sent. Then prints one line
 *         fuzz: sent=N air=A zero=Z random=.. iphc=.. ipv6bad=.. nexthdr=..
 *               small=.. max=.. bytes=B oversize=EMSGSIZE errors=E
 *       (air = frames that went on the air as an SDU = sent - zero) and
 *       stays connected, discarding what arrives, until killed or for
 *       SECONDS (default 600) in all.
 *
 *   l2peer send -a LOCAL -d REMOTE [-p PSM] [-w GOFILE] [-o RXFILE]
 *               [-c COUNTFILE] [-t SECONDS] [-E] FRAME...
 *       Connect as above (-E: enhanced credit based mode, ECRED, which
 *       needs the bluetooth module's enable_ecred), print "connected ...",
 *       wait for GOFILE (if given), send each FRAME, print "sent N", then
 *       read until killed or SECONDS (default 600), appending each frame
 *       received to RXFILE as one line of hex. A FRAME is hex bytes, or:
 *         ns-bcast   0x41 + a Neighbour Solicitation from LOCAL's
 *                    link-local address for REMOTE's, with a source
 *                    link-layer address option of ff:ff:ff:ff:ff:ff
 *         echo       0x41 + an ICMPv6 echo request, LOCAL to REMOTE
 *       If the connect fails, prints "connect failed: ERROR", exits 3.
 *
 * Addresses are XX:XX:XX:XX:XX:XX, most significant byte first. Built
 * statically against the libbluetooth headers only.
 */
#define _GNU_SOURCE	/* SCHED_BATCH */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <bluetooth/bluetooth.h>
#include <bluetooth/l2cap.h>

#define MAX_CLIENTS	16
#define DEFAULT_MTU	1280

static int str2addr(const char *s, bdaddr_t *ba)
{
	unsigned int b[6];
	char end;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		ba->b[5 - i] = b[i];
	return 0;
}

static void addr2str(const bdaddr_t *ba, char *s)
{
	sprintf(s, "%02X:%02X:%02X:%02X:%02X:%02X", ba->b[5], ba->b[4],
		ba->b[3], ba->b[2], ba->b[1], ba->b[0]);
}

static void die(const char *what)
{
	printf("l2peer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: l2peer listen -a LOCAL [-p PSM] [-m IMTU] [-t SECONDS]\n"
		"                     [-H HOLDFILE] [-r RCVBUF] [-c COUNTFILE]\n"
		"       l2peer fuzz -a LOCAL -d REMOTE [-p PSM] [-n FRAMES] [-s SEED]\n"
		"                   [-w GOFILE] [-t SECONDS]\n"
		"       l2peer send -a LOCAL -d REMOTE [-p PSM] [-w GOFILE] [-o RXFILE]\n"
		"                   [-c COUNTFILE] [-t SECONDS] [-E] FRAME...\n");
	exit(2);
}

static int le_socket(const bdaddr_t *local, uint16_t psm, int imtu)
{
	struct sockaddr_l2 a;
	struct bt_security sec;
	int fd, mode = BT_MODE_LE_FLOWCTL;

	fd = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP);
	if (fd < 0)
		die("socket");
	memset(&a, 0, sizeof(a));
	a.l2_family = AF_BLUETOOTH;
	a.l2_bdaddr = *local;
	a.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	a.l2_psm = htobs(psm);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");

	memset(&sec, 0, sizeof(sec));
	sec.level = BT_SECURITY_LOW;
	if (setsockopt(fd, SOL_BLUETOOTH, BT_SECURITY, &sec, sizeof(sec)) < 0)
		die("setsockopt BT_SECURITY");
	/* Binding an LE address selects LE credit based mode already; BT_MODE
	 * exists only with enable_ecred, so its failure does not matter.
	 */
	if (setsockopt(fd, SOL_BLUETOOTH, BT_MODE, &mode, sizeof(mode)) < 0 &&
	    errno != ENOPROTOOPT && errno != EINVAL)
		die("setsockopt BT_MODE");
	if (setsockopt(fd, SOL_BLUETOOTH, BT_RCVMTU, &(uint16_t){ imtu },
		       sizeof(uint16_t)) < 0)
		die("setsockopt BT_RCVMTU");
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *hold_file, *count_file;
static int rcvbuf;
static unsigned long frames_rx;

static void write_count(void)
{
	static unsigned long written = -1UL;
	char tmp[256];
	FILE *f;

	if (!count_file || written == frames_rx)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", count_file);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%lu\n", frames_rx);
	fclose(f);
	rename(tmp, count_file);
	written = frames_rx;
}

/* Before each read: sleep 200 us, so that the kernel thread that queued
 * the data runs to the end of l2cap_ecred_recv() first. That function
 * (Debian's 6.12 and 7.3) reads the reassembled SDU (chan->sdu->len, for
 * the credits) after queueing it on the socket; a read that frees it
 * first turns that into a use-after-free (KFENCE or KASAN in
 * l2cap_chan_le_send_credits on the CONFIG_PREEMPT debug kernel, freed
 * by l2cap_sock_recvmsg). SCHED_BATCH (main()) keeps a wake-up from
 * preempting that thread, but the end of a time slice still can: seen in
 * backpressure on the debug kernel, session 25. The core's bug, not
 * ours; the bench's peer must not fail our scenarios for it.
 */
static void let_the_queuer_finish(void)
{
	const struct timespec t = { .tv_nsec = 200000 };

	nanosleep(&t, NULL);
}

/* Reads and discards what is pending on @fd; returns -1 on EOF/error. */
static int drain(int fd)
{
	static unsigned char buf[65536];
	ssize_t r;

	for (;;) {
		let_the_queuer_finish();
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r > 0) {
			frames_rx++;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return -1;
	}
}

static int do_listen(const bdaddr_t *local, uint16_t psm, int imtu,
		     int seconds)
{
	struct pollfd pfd[MAX_CLIENTS + 1];
	char names[MAX_CLIENTS + 1][18];
	double deadline = now() + seconds;
	int n = 1, i, fd;

	fd = le_socket(local, psm, imtu);
	if (listen(fd, 5) < 0)
		die("listen");
	printf("listening on PSM 0x%04x\n", psm);
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;

	write_count();
	while (!seconds || now() < deadline) {
		int hold = hold_file && !access(hold_file, F_OK);

		for (i = 1; i < n; i++)
			pfd[i].events = hold ? 0 : POLLIN;
		if (poll(pfd, n, 200) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if ((pfd[0].revents & POLLIN) && n <= MAX_CLIENTS) {
			struct sockaddr_l2 ra;
			socklen_t len = sizeof(ra);
			int c = accept(fd, (struct sockaddr *)&ra, &len);

			if (c >= 0) {
				if (rcvbuf &&
				    setsockopt(c, SOL_SOCKET, SO_RCVBUF,
					       &rcvbuf, sizeof(rcvbuf)) < 0)
					die("setsockopt SO_RCVBUF");
				addr2str(&ra.l2_bdaddr, names[n]);
				printf("accepted %s\n", names[n]);
				pfd[n].fd = c;
				pfd[n].events = POLLIN;
				pfd[n].revents = 0;
				n++;
			}
		}
		for (i = 1; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if ((pfd[i].revents & (POLLHUP | POLLERR)) ||
			    drain(pfd[i].fd) < 0) {
				printf("closed %s\n", names[i]);
				close(pfd[i].fd);
				pfd[i] = pfd[n - 1];
				memcpy(names[i], names[n - 1], sizeof(names[i]));
				n--;
				i--;
			}
		}
		write_count();
	}
	return 0;
}

/* xorshift64*: the same frames for the same seed on every run. */
static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545F4914F6CDD1DULL) >> 32;
}

static void rnd_fill(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

enum { C_RANDOM, C_IPHC, C_IPV6BAD, C_NEXTHDR, C_SMALL, C_MAX, C_NUM };
static const char *const cat_name[C_NUM] = {
	"random", "iphc", "ipv6bad", "nexthdr", "small", "max",
};

/* Link-local addresses from the BD_ADDRs (RFC 7668). */
static unsigned char ll_src[16], ll_dst[16];

static void make_ll(const bdaddr_t *ba, unsigned char *ip)
{
	memset(ip, 0, 16);
	ip[0] = 0xfe;
	ip[1] = 0x80;
	ip[8] = ba->b[5];
	ip[9] = ba->b[4];
	ip[10] = ba->b[3];
	ip[11] = 0xff;
	ip[12] = 0xfe;
	ip[13] = ba->b[2];
	ip[14] = ba->b[1];
	ip[15] = ba->b[0];
}

/* An uncompressed IPv6 header after the 0x41 dispatch. */
static size_t ipv6_header(unsigned char *p, int plen, int nh, int version)
{
	p[0] = 0x41;
	p[1] = version << 4;
	p[2] = p[3] = p[4] = 0;
	p[5] = plen >> 8;
	p[6] = plen;
	p[7] = nh;
	p[8] = rnd() % 4 ? 64 : rnd();
	memcpy(p + 9, ll_src, 16);
	if (rnd() % 2)
		memcpy(p + 25, ll_dst, 16);
	else {
		static const unsigned char all[16] = { 0xff, 0x02, [15] = 1 };

		memcpy(p + 25, all, 16);
	}
	return 41;
}

/* The IPHC series: one random template, sent truncated at every length. */
static unsigned char iphc_tpl[96];
static size_t iphc_len, iphc_pos;

static void iphc_new_template(void)
{
	static const unsigned char nhc[] = {
		0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, /* UDP */
		0xe0, 0xe2, 0xe4, 0xe6, 0xe8, 0xea, 0xee, /* ext headers */
		0xf8, 0xff, 0x00, 0x3a,
	};
	unsigned char *p = iphc_tpl;

	p[0] = 0x60 | (rnd() & 0x1f);
	p[1] = rnd();
	iphc_len = 8 + rnd() % 48;	/* generous: inline fields + data */
	rnd_fill(p + 2, iphc_len - 2);
	/* Often put a next header compression byte where the inline fields
	 * of common encodings end, so the NHC path is exercised too.
	 */
	if ((p[0] & 0x04) && rnd() % 2)
		p[2 + rnd() % 6] = nhc[rnd() % sizeof(nhc)];
	iphc_pos = 1;
}

static size_t gen_frame(int cat, unsigned char *p, int mtu, int *zero)
{
	static const int nexthdrs[] = {
		0, 0, 43, 44, 44, 50, 51, 59, 60, 135, 139, 140, 253, 255,
		6, 17, 58, 58, 41, 4,
	};
	size_t len, hl;
	int plen;

	*zero = 0;
	switch (cat) {
	case C_RANDOM:
		len = 1 + rnd() % (rnd() % 4 ? 64 : mtu);
		rnd_fill(p, len);
		return len;
	case C_IPHC:
		if (iphc_pos > iphc_len || !iphc_len)
			iphc_new_template();
		len = iphc_pos++;
		memcpy(p, iphc_tpl, len);
		return len;
	case C_IPV6BAD:
		switch (rnd() % 4) {
		case 0:	/* short: dispatch and part of a header */
			p[0] = 0x41;
			len = 1 + rnd() % 41;
			rnd_fill(p + 1, len - 1);
			if (len > 1)
				p[1] = 0x60 | (p[1] & 0x0f);
			return len;
		case 1:	/* wrong version */
			hl = ipv6_header(p, 8, 17, rnd() % 16);
			if ((p[1] >> 4) == 6)
				p[1] = 0x40;
			len = hl + rnd() % 16;
			rnd_fill(p + hl, len - hl);
			return len;
		case 2:	/* payload length beyond the frame */
			len = 41 + rnd() % 64;
			ipv6_header(p, len - 41 + 1 + rnd() % 2000, 17, 6);
			rnd_fill(p + 41, len - 41);
			return len;
		default: /* payload length shorter than the frame */
			len = 49 + rnd() % 64;
			ipv6_header(p, rnd() % 8, 58, 6);
			rnd_fill(p + 41, len - 41);
			return len;
		}
	case C_NEXTHDR:
		plen = rnd() % 3 ? rnd() % 64 : rnd() % (mtu - 41);
		hl = ipv6_header(p, plen,
				 nexthdrs[rnd() % (sizeof(nexthdrs) /
						   sizeof(nexthdrs[0]))], 6);
		rnd_fill(p + hl, plen);
		if (rnd() % 2 && plen >= 2)
			p[hl + 1] = rnd() % 4;	/* small ext header length */
		return hl + plen;
	case C_SMALL:
		if (rnd() % 4 == 0) {
			*zero = 1;
			return 0;
		}
		{
			static const unsigned char one[] = {
				0x00, 0x01, 0x40, 0x41, 0x42, 0x60, 0x7f,
				0x80, 0xc0, 0xe0, 0xff,
			};
			p[0] = rnd() % 2 ? one[rnd() % sizeof(one)] : rnd();
		}
		return 1;
	default: /* C_MAX */
		rnd_fill(p, mtu);
		switch (rnd() % 3) {
		case 0:
			ipv6_header(p, mtu - 41, 17, 6);
			break;
		case 1:
			p[0] = 0x60 | (p[0] & 0x1f);
			break;
		}
		return mtu;
	}
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int do_fuzz(const bdaddr_t *local, const bdaddr_t *remote,
		   uint16_t psm, long frames, unsigned long seed,
		   const char *gofile, int seconds)
{
	static const int pattern[] = {
		C_RANDOM, C_IPHC, C_RANDOM, C_IPHC, C_IPV6BAD, C_NEXTHDR,
		C_RANDOM, C_IPHC, C_SMALL, C_MAX,
	};
	long count[C_NUM] = { 0 }, sent = 0, zero = 0, errors = 0, i;
	unsigned char *buf = malloc(65536);
	double deadline = now() + seconds, t0;
	struct sockaddr_l2 a;
	struct timeval tv = { .tv_sec = 15 };
	unsigned long long bytes = 0;
	int fd, mtu = DEFAULT_MTU, last_err = 0, oversize_err = 0;
	socklen_t ol;
	uint16_t omtu;
	char oversize[32];

	if (!buf)
		die("malloc");
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	make_ll(local, ll_src);
	make_ll(remote, ll_dst);

	fd = le_socket(local, 0, DEFAULT_MTU);
	memset(&a, 0, sizeof(a));
	a.l2_family = AF_BLUETOOTH;
	a.l2_bdaddr = *remote;
	a.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	a.l2_psm = htobs(psm);
	alarm(60);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	alarm(0);
	ol = sizeof(omtu);
	if (getsockopt(fd, SOL_BLUETOOTH, BT_SNDMTU, &omtu, &ol) == 0 && omtu)
		mtu = omtu;
	printf("connected to PSM 0x%04x, peer MTU %d\n", psm, mtu);
	fflush(stdout);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));

	if (gofile) {
		struct stat st;

		while (stat(gofile, &st) < 0 && !stop) {
			if (now() > deadline) {
				printf("l2peer: %s never appeared\n", gofile);
				return 1;
			}
			drain(fd);
			usleep(100000);
		}
	}

	t0 = now();
	for (i = 0; i < frames && !stop; i++) {
		int cat = pattern[i % (sizeof(pattern) / sizeof(pattern[0]))];
		int z;
		size_t len = gen_frame(cat, buf, mtu, &z);
		ssize_t r = send(fd, buf, len, 0);

		if (r == (ssize_t)len) {
			sent++;
			count[cat]++;
			zero += z;
			bytes += len;
		} else {
			errors++;
			last_err = r < 0 ? errno : EIO;
			if (r < 0 && (errno == ENOTCONN || errno == ECONNRESET ||
				      errno == EPIPE || errno == EAGAIN ||
				      errno == ESHUTDOWN))
				break;
		}
		if (i % 16 == 0)
			drain(fd);
	}

	/* One more than the MTU: L2CAP must refuse it. */
	memset(buf, 0x41, mtu + 1);
	if (send(fd, buf, mtu + 1, 0) < 0)
		oversize_err = errno;
	if (oversize_err == EMSGSIZE)
		strcpy(oversize, "EMSGSIZE");
	else if (oversize_err)
		snprintf(oversize, sizeof(oversize), "errno%d", oversize_err);
	else
		strcpy(oversize, "accepted");

	printf("fuzz: sent=%ld air=%ld zero=%ld", sent, sent - zero, zero);
	for (i = 0; i < C_NUM; i++)
		printf(" %s=%ld", cat_name[i], count[i]);
	printf(" bytes=%llu oversize=%s errors=%ld", bytes, oversize, errors);
	if (errors)
		printf(" last_error=%s", strerror(last_err));
	printf(" seconds=%.1f\n", now() - t0);
	fflush(stdout);

	/* Stay connected (the peer's counters live as long as the link). */
	while (!stop && now() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 200) > 0 && drain(fd) < 0) {
			printf("l2peer: the peer closed the channel\n");
			break;
		}
	}
	close(fd);
	printf("closed\n");
	return 0;
}

/* ICMPv6 checksum over the pseudo header and @len bytes at @icmp. */
static uint16_t icmp6_csum(const unsigned char *src, const unsigned char *dst,
			   const unsigned char *icmp, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (src[i] << 8 | src[i + 1]) + (dst[i] << 8 | dst[i + 1]);
	sum += len + 58;
	for (i = 0; i + 1 < len; i += 2)
		sum += icmp[i] << 8 | icmp[i + 1];
	if (len & 1)
		sum += icmp[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* 0x41 + IPv6 header (ICMPv6, hop limit 255) + @icmp; returns the length. */
static size_t icmp6_frame(unsigned char *p, const unsigned char *dst,
			  unsigned char *icmp, size_t len)
{
	uint16_t c;

	p[0] = 0x41;
	p[1] = 0x60;
	p[2] = p[3] = p[4] = 0;
	p[5] = len >> 8;
	p[6] = len;
	p[7] = 58;
	p[8] = 255;
	memcpy(p + 9, ll_src, 16);
	memcpy(p + 25, dst, 16);
	icmp[2] = icmp[3] = 0;
	c = icmp6_csum(ll_src, dst, icmp, len);
	icmp[2] = c >> 8;
	icmp[3] = c;
	memcpy(p + 41, icmp, len);
	return 41 + len;
}

/* A named frame or hex bytes; returns the length, 0 if malformed. */
static size_t make_frame(const char *spec, unsigned char *p, size_t max)
{
	unsigned char icmp[64] = { 0 }, dst[16];
	size_t n = 0;
	unsigned int b;

	if (!strcmp(spec, "ns-bcast")) {
		/* to the solicited-node group of the target */
		static const unsigned char snm[13] = {
			0xff, 0x02, [11] = 0x01, [12] = 0xff,
		};

		memcpy(dst, snm, 13);
		memcpy(dst + 13, ll_dst + 13, 3);
		icmp[0] = 135;
		memcpy(icmp + 8, ll_dst, 16);
		icmp[24] = 1;		/* source link-layer address */
		icmp[25] = 1;		/* 8 bytes */
		memset(icmp + 26, 0xff, 6);
		return icmp6_frame(p, dst, icmp, 32);
	}
	if (!strcmp(spec, "echo")) {
		icmp[0] = 128;
		icmp[5] = 1;		/* identifier */
		icmp[7] = 1;		/* sequence */
		memcpy(icmp + 8, "bt6lowpan", 9);
		return icmp6_frame(p, ll_dst, icmp, 17);
	}
	while (spec[0] && spec[1] && n < max) {
		if (sscanf(spec, "%2x", &b) != 1)
			return 0;
		p[n++] = b;
		spec += 2;
	}
	return spec[0] ? 0 : n;
}

static int do_send(const bdaddr_t *local, const bdaddr_t *remote,
		   uint16_t psm, const char *gofile, const char *rxfile,
		   int seconds, int ecred, char **frames, int nframes)
{
	static unsigned char buf[65536];
	double deadline = now() + seconds;
	struct sockaddr_l2 a;
	struct stat st;
	FILE *rx = NULL;
	int fd, i, mode = BT_MODE_EXT_FLOWCTL;
	ssize_t r;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	make_ll(local, ll_src);
	make_ll(remote, ll_dst);
	fd = le_socket(local, 0, DEFAULT_MTU);
	if (ecred && setsockopt(fd, SOL_BLUETOOTH, BT_MODE, &mode,
				sizeof(mode)) < 0)
		die("setsockopt BT_MODE ecred");
	memset(&a, 0, sizeof(a));
	a.l2_family = AF_BLUETOOTH;
	a.l2_bdaddr = *remote;
	a.l2_bdaddr_type = BDADDR_LE_PUBLIC;
	a.l2_psm = htobs(psm);
	alarm(60);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 3;
	}
	alarm(0);
	printf("connected to PSM 0x%04x%s\n", psm, ecred ? " (ecred)" : "");
	if (rxfile) {
		rx = fopen(rxfile, "a");
		if (!rx)
			die("fopen");
		setvbuf(rx, NULL, _IOLBF, 0);
	}
	while (gofile && stat(gofile, &st) < 0 && !stop && now() < deadline)
		usleep(100000);
	for (i = 0; i < nframes; i++) {
		size_t len = make_frame(frames[i], buf, sizeof(buf));

		if (!len) {
			printf("l2peer: bad frame '%s'\n", frames[i]);
			return 2;
		}
		if (send(fd, buf, len, 0) != (ssize_t)len)
			die("send");
	}
	printf("sent %d\n", nframes);
	while (!stop && now() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 200) <= 0)
			continue;
		let_the_queuer_finish();
		r = recv(fd, buf, sizeof(buf), 0);
		if (r <= 0) {
			printf("l2peer: the peer closed the channel\n");
			break;
		}
		frames_rx++;
		write_count();
		if (rx) {
			for (i = 0; i < r; i++)
				fprintf(rx, "%02x", buf[i]);
			fprintf(rx, "\n");
		}
	}
	close(fd);
	printf("closed\n");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct sched_param sched_batch = { 0 };
	const char *mode, *gofile = NULL, *rxfile = NULL;
	bdaddr_t local, remote;
	int have_local = 0, have_remote = 0, imtu = DEFAULT_MTU, seconds = -1;
	int ecred = 0;
	unsigned long seed = 1, psm = 0x23;
	long frames = 10000;
	int opt;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "a:d:p:m:n:s:w:t:H:r:c:o:E")) != -1) {
		switch (opt) {
		case 'o':
			rxfile = optarg;
			break;
		case 'E':
			ecred = 1;
			break;
		case 'H':
			hold_file = optarg;
			break;
		case 'r':
			rcvbuf = atoi(optarg);
			break;
		case 'c':
			count_file = optarg;
			break;
		case 'a':
			if (str2addr(optarg, &local))
				usage();
			have_local = 1;
			break;
		case 'd':
			if (str2addr(optarg, &remote))
				usage();
			have_remote = 1;
			break;
		case 'p':
			psm = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			imtu = atoi(optarg);
			break;
		case 'n':
			frames = atol(optarg);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			gofile = optarg;
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!have_local || !psm || psm > 0xffff)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* SCHED_BATCH: woken by incoming data, we never preempt the kernel
	 * thread that queued it. Debian's 6.12 and 7.3 l2cap_ecred_recv()
	 * read a reassembled SDU (chan->sdu->len, for the credits) after
	 * queueing it on the socket; a reader that runs at once (the
	 * CONFIG_PREEMPT debug kernel) and frees it turns that read into a
	 * use-after-free (KASAN in l2cap_chan_le_send_credits, freed by
	 * l2cap_sock_recvmsg, seen in backpressure). The bug is the core's
	 * and any LE socket reader can hit it; the bench's own peer must
	 * not, or it fails the scenario for what it does not test. The end
	 * of a time slice still preempts: let_the_queuer_finish() too.
	 */
	if (sched_setscheduler(0, SCHED_BATCH, &sched_batch))
		perror("l2peer: SCHED_BATCH");
	if (!strcmp(mode, "send") && have_remote)
		return do_send(&local, &remote, psm, gofile, rxfile,
			       seconds < 0 ? 600 : seconds, ecred,
			       argv + optind, argc - optind);
	if (optind != argc)
		usage();

	if (!strcmp(mode, "listen"))
		return do_listen(&local, psm, imtu, seconds < 0 ? 0 : seconds);
	if (!strcmp(mode, "fuzz") && have_remote)
		return do_fuzz(&local, &remote, psm, frames, seed, gofile,
			       seconds < 0 ? 600 : seconds);
	usage();
	return 2;
}
