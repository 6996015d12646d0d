// SPDX-License-Identifier: GPL-2.0
/*
 * acct: BSD process accounting, for finding where a guest's CPU goes
 * (tests/vm/run with BT6_ACCT=1).
 *
 *   acct on FILE    account every process that ends from now on in FILE
 *   acct off
 *   acct sum FILE   one line per command name: how many ended, their user
 *                   and system CPU seconds; then the totals
 *
 * Only processes that end are counted (not kernel threads, not init).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdlib.h>
#include <linux/acct.h>

static double comp(comp_t c)
{
	return (double)((unsigned long)(c & 0x1fff) << (3 * ((c >> 13) & 7))) / 100.0;
}

struct ent { char comm[17]; int n; double u, s, e; };

int main(int argc, char **argv)
{
	static struct ent t[512];
	struct acct_v3 a;
	int nt = 0, i, fd;
	double tu = 0, ts = 0;

	if (argc == 3 && !strcmp(argv[1], "on")) {
		close(open(argv[2], O_CREAT | O_WRONLY, 0600));
		return acct(argv[2]) ? perror("acct"), 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "off"))
		return acct(NULL) ? 1 : 0;
	if (argc != 3)
		return 2;
	fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		return 1;
	while (read(fd, &a, sizeof(a)) == sizeof(a)) {
		char c[17];

		memcpy(c, a.ac_comm, 16);
		c[16] = 0;
		for (i = 0; i < nt && strcmp(t[i].comm, c); i++)
			;
		if (i == nt && nt < 512)
			strcpy(t[nt++].comm, c);
		if (i < 512) {
			t[i].n++;
			t[i].u += comp(a.ac_utime);
			t[i].s += comp(a.ac_stime);
			t[i].e += a.ac_etime / 100.0;
		}
	}
	for (i = 0; i < nt; i++) {
		printf("ACCT %-16s n=%5d user=%7.2f sys=%7.2f\n", t[i].comm, t[i].n, t[i].u, t[i].s);
		tu += t[i].u;
		ts += t[i].s;
	}
	printf("ACCT total user=%.2f sys=%.2f\n", tu, ts);
	return 0;
}
