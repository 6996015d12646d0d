// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl: the Bluetooth management socket (HCI_CHANNEL_CONTROL), for
 * advertise and scan. The structures are in bt6ctl.h; libbluetooth's
 * headers give the socket constants.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <bluetooth/bluetooth.h>
#include <bluetooth/hci.h>

#include "bt6ctl.h"

static mgmt_event_fn event_hook;
static void *event_hook_arg;

void mgmt_set_event_hook(mgmt_event_fn fn, void *arg)
{
	event_hook = fn;
	event_hook_arg = arg;
}

const char *mgmt_status_str(uint8_t status)
{
	static const char *const names[] = {
		"Success", "Unknown Command", "Not Connected", "Failed",
		"Connect Failed", "Authentication Failed", "Not Paired",
		"No Resources", "Timeout", "Already Connected", "Busy",
		"Rejected", "Not Supported", "Invalid Parameters",
		"Disconnected", "Not Powered", "Cancelled", "Invalid Index",
		"Blocked through rfkill", "Already Paired",
		"Permission Denied",
	};

	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "Unknown status";
}

int mgmt_open(const char *cmd)
{
	struct sockaddr_hci a = {
		.hci_family = AF_BLUETOOTH,
		.hci_dev = HCI_DEV_NONE,
		.hci_channel = HCI_CHANNEL_CONTROL,
	};
	int fd;

	fd = socket(PF_BLUETOOTH, SOCK_RAW | SOCK_CLOEXEC, BTPROTO_HCI);
	if (fd < 0) {
		cmd_error(cmd, errno, errno == EAFNOSUPPORT ?
			  "no Bluetooth support in this kernel" :
			  "cannot open the Bluetooth management socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		cmd_error(cmd, errno, "cannot bind the management socket");
		close(fd);
		return -1;
	}
	return fd;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mgmt_event(int fd, int timeout_ms, uint16_t *ev, uint16_t *index,
	       void *buf, size_t size, size_t *len)
{
	uint8_t pkt[sizeof(struct mgmt_hdr) + MGMT_MAX_PAYLOAD];
	struct mgmt_hdr h;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	size_t plen;
	int r;

	r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (!r)
		return -ETIMEDOUT;
	n = read(fd, pkt, sizeof(pkt));
	if (n < 0)
		return -errno;
	if ((size_t)n < sizeof(h))
		return -EPROTO;
	memcpy(&h, pkt, sizeof(h));
	plen = le16toh(h.len);
	if (plen > (size_t)n - sizeof(h))
		return -EPROTO;
	*ev = le16toh(h.opcode);
	*index = le16toh(h.index);
	if (plen > size)
		plen = size;
	memcpy(buf, pkt + sizeof(h), plen);
	*len = plen;
	return 0;
}

int mgmt_cmd(int fd, uint16_t op, uint16_t index, const void *param,
	     uint16_t len, void *rsp, size_t size, size_t *rsp_len)
{
	uint8_t pkt[sizeof(struct mgmt_hdr) + MGMT_MAX_PAYLOAD];
	uint8_t ev_buf[MGMT_MAX_PAYLOAD];
	struct mgmt_hdr h = {
		.opcode = htole16(op),
		.index = htole16(index),
		.len = htole16(len),
	};
	long long deadline = now_ms() + 5000;
	uint16_t ev, ev_index, ev_op;
	size_t n;
	int err;

	if (len > MGMT_MAX_PAYLOAD)
		return -EINVAL;
	memcpy(pkt, &h, sizeof(h));
	if (len)
		memcpy(pkt + sizeof(h), param, len);
	if (write(fd, pkt, sizeof(h) + len) < 0)
		return -errno;

	for (;;) {
		long long left = deadline - now_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		err = mgmt_event(fd, (int)left, &ev, &ev_index, ev_buf,
				 sizeof(ev_buf), &n);
		if (err)
			return err;
		if ((ev != MGMT_EV_CMD_COMPLETE && ev != MGMT_EV_CMD_STATUS) ||
		    ev_index != index || n < 3) {
			/* not our answer: an event may come before it */
			if (event_hook)
				event_hook(ev, ev_index, ev_buf, n,
					   event_hook_arg);
			continue;
		}
		ev_op = (uint16_t)(ev_buf[0] | ev_buf[1] << 8);
		if (ev_op != op)
			continue;
		if (rsp_len)
			*rsp_len = 0;
		if (ev == MGMT_EV_CMD_COMPLETE && rsp) {
			n -= 3;
			if (n > size)
				n = size;
			memcpy(rsp, ev_buf + 3, n);
			if (rsp_len)
				*rsp_len = n;
		}
		return ev_buf[2];
	}
}

int mgmt_fail(const char *cmd, uint16_t index, const char *what, int status)
{
	char detail[128];

	if (status < 0) {
		snprintf(detail, sizeof(detail), "hci%u: %s", index, what);
		cmd_error(cmd, -status, detail);
	} else if (status == MGMT_STATUS_PERMISSION_DENIED) {
		snprintf(detail, sizeof(detail), "hci%u: %s refused", index,
			 what);
		cmd_error(cmd, EPERM, detail);
	} else if (status == MGMT_STATUS_INVALID_INDEX) {
		fprintf(stderr, "%s: %s: no adapter hci%u\n", prog, cmd, index);
	} else {
		fprintf(stderr, "%s: %s: hci%u: %s: %s (mgmt status 0x%02x)\n",
			prog, cmd, index, what, mgmt_status_str((uint8_t)status),
			status);
	}
	return EXIT_FAIL;
}

int mgmt_pick_index(int fd, const char *cmd, const char *hci,
		    uint16_t *index)
{
	uint8_t rp[MGMT_MAX_PAYLOAD];
	size_t n = 0;
	int st;

	if (hci)
		return parse_hci(hci, index) ? -EINVAL : 0;
	st = mgmt_cmd(fd, MGMT_OP_READ_INDEX_LIST, MGMT_INDEX_NONE, NULL, 0,
		      rp, sizeof(rp), &n);
	if (st) {
		mgmt_fail(cmd, 0, "Read Index List", st);
		return -EIO;
	}
	if (n < 4 || !(rp[0] | rp[1] << 8)) {
		fprintf(stderr, "%s: %s: no Bluetooth adapter\n", prog, cmd);
		return -ENODEV;
	}
	*index = (uint16_t)(rp[2] | rp[3] << 8);
	return 0;
}
