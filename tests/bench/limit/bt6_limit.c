// SPDX-License-Identifier: GPL-2.0
/*
 * bt6_limit: the bench's ceiling for an IPSP module on this link (tests/bench
 * only, never installed). It moves @bytes from the adapter @src to the
 * adapter @dst, both in this kernel, over one LE credit based channel that
 * is set up as an IPSP channel is (MTU @mtu, the core's MPS and credits):
 * @mtu-byte SDUs handed to l2cap_chan_send() back to back, into a listening
 * channel whose ->recv only counts. No 6LoWPAN, IPv6, socket or queue of
 * our own is on the path, so what it measures is what the L2CAP core, HCI
 * and the emulated controller can carry.
 *
 * The whole run happens in module_init: connect, send, wait for the last
 * byte, close, and wait until the core holds no reference on either
 * channel. Its outcome is /sys/module/bt6_limit/parameters/result:
 *   "ok bytes=B sdus=N us=T kibps=K" or "error E: what".
 * Unload closes the listening channel, and a child it took after the run.
 *
 * Locking: every l2cap_chan_send() and l2cap_chan_close() under the channel
 * lock, the close also under the connection's lock before it (as the socket
 * layer does). struct bt6_limit below is written by the core's callbacks
 * under the receiving channel's lock and read by module_init after
 * wait_for_completion(), which orders the two.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/bluetooth/bluetooth.h>
#include <net/bluetooth/hci_core.h>
#include <net/bluetooth/l2cap.h>

#include "compat.h"

static char *src = "";
module_param(src, charp, 0444);
MODULE_PARM_DESC(src, "sending adapter's BD_ADDR, XX:XX:XX:XX:XX:XX");
static char *dst = "";
module_param(dst, charp, 0444);
MODULE_PARM_DESC(dst, "receiving adapter's BD_ADDR");
static uint psm = 0x0081;
module_param(psm, uint, 0444);
MODULE_PARM_DESC(psm, "LE PSM of the channel (default 0x81, not IPSP's)");
static uint mtu = 1280;
module_param(mtu, uint, 0444);
MODULE_PARM_DESC(mtu, "SDU size and MTU of both ends (IPSP: 1280)");
static uint bytes = 1048576;
module_param(bytes, uint, 0444);
MODULE_PARM_DESC(bytes, "how much to move (rounded up to whole SDUs)");
static uint wait_ms = 10000;
module_param(wait_ms, uint, 0444);
MODULE_PARM_DESC(wait_ms, "how long to wait for the connect, and for progress");
static char result[128] = "not run";
module_param_string(result, result, sizeof(result), 0444);
MODULE_PARM_DESC(result, "the run's outcome (read only)");

struct bt6_limit {
	struct completion ready;	/* sender connected, or failed */
	struct completion done;		/* all bytes received */
	int tx_err;			/* the sender's close reason */
	u64 rx_bytes;
	u32 rx_sdus;
	ktime_t rx_last_at;
	bool rx_taken;			/* a child was accepted (one a load) */
	struct l2cap_chan *rx_chan;	/* that child; its reference is ours */
	struct sk_buff *rx_last;	/* see limit_rx_recv() */
};

static struct bt6_limit lim;
static struct l2cap_chan *listen_chan;

/* ---- receiving end ---- */

static void limit_setup(struct l2cap_chan *chan, const struct l2cap_ops *ops)
{
	bt6_l2cap_set_defaults(chan);
	chan->chan_type = L2CAP_CHAN_CONN_ORIENTED;
	chan->mode = L2CAP_MODE_LE_FLOWCTL;
	chan->imtu = mtu;
	chan->ops = ops;
}

/* The child's creation reference is ours: the core created it and keeps
 * one of its own while the channel is linked (the 2026 rework), or we
 * created it (before).
 */
static bool limit_take_child(struct l2cap_chan *pchan, struct l2cap_chan *chan)
{
	if (pchan->state != BT_LISTEN || lim.rx_taken)
		return false;	/* one channel per load */
	lim.rx_taken = true;
	lim.rx_chan = chan;
	return true;
}

static const struct l2cap_ops limit_rx_ops;

#if BT6_HAVE_NEWCONN_CHILD
static int limit_rx_new_connection(struct l2cap_chan *pchan,
				   struct l2cap_chan *chan)
{
	return limit_take_child(pchan, chan) ? 0 : -ECONNREFUSED;
}
#else
static struct l2cap_chan *limit_rx_new_connection(struct l2cap_chan *pchan)
{
	struct l2cap_chan *chan;

	chan = l2cap_chan_create();
	if (!chan)
		return NULL;
	limit_setup(chan, &limit_rx_ops);
	chan->psm = pchan->psm;
	if (!limit_take_child(pchan, chan)) {
		l2cap_chan_put(chan);
		return NULL;
	}
	return chan;
}
#endif

/* The core may still read chan->sdu after ->recv returned (it returns
 * credits from its length): a reassembled SDU is freed on the next ->recv
 * or at teardown, not now.
 */
static int limit_rx_recv(struct l2cap_chan *chan, struct sk_buff *skb)
{
	kfree_skb(lim.rx_last);
	lim.rx_last = NULL;
	lim.rx_bytes += skb->len;
	lim.rx_sdus++;
	lim.rx_last_at = ktime_get();
	if (skb == chan->sdu)
		lim.rx_last = skb;
	else
		kfree_skb(skb);
	if (lim.rx_bytes >= bytes)
		complete(&lim.done);
	return 0;
}

static void limit_rx_teardown(struct l2cap_chan *chan, int err)
{
	chan->state = BT_CLOSED;
	if (chan == listen_chan)
		return;
	kfree_skb(lim.rx_last);
	lim.rx_last = NULL;
}

static void limit_rx_close(struct l2cap_chan *chan)
{
	limit_rx_teardown(chan, 0);
}

static long limit_sndtimeo(struct l2cap_chan *chan)
{
	return msecs_to_jiffies(wait_ms);
}

static struct sk_buff *limit_alloc_skb(struct l2cap_chan *chan,
				       unsigned long hdr_len,
				       unsigned long len, int nb)
{
	struct sk_buff *skb = bt_skb_alloc(hdr_len + len, GFP_KERNEL);

	return skb ? skb : ERR_PTR(-ENOMEM);
}

static const struct l2cap_ops limit_rx_ops = {
	.name		= "bt6_limit receiver",
	.new_connection	= limit_rx_new_connection,
	.recv		= limit_rx_recv,
	.teardown	= limit_rx_teardown,
	.close		= limit_rx_close,
	.state_change	= l2cap_chan_no_state_change,
	.ready		= l2cap_chan_no_ready,
	.defer		= l2cap_chan_no_defer,
	.resume		= l2cap_chan_no_resume,
	.suspend	= l2cap_chan_no_suspend,
	.set_shutdown	= l2cap_chan_no_set_shutdown,
	.get_sndtimeo	= limit_sndtimeo,
	.alloc_skb	= limit_alloc_skb,
};

/* ---- sending end ---- */

static void limit_tx_ready(struct l2cap_chan *chan)
{
	complete(&lim.ready);
}

static void limit_tx_teardown(struct l2cap_chan *chan, int err)
{
	chan->state = BT_CLOSED;
	lim.tx_err = err ? err : -ENOTCONN;
	complete(&lim.ready);
}

static void limit_tx_close(struct l2cap_chan *chan)
{
	limit_tx_teardown(chan, 0);
}

static const struct l2cap_ops limit_tx_ops = {
	.name		= "bt6_limit sender",
	.recv		= l2cap_chan_no_recv,
	.teardown	= limit_tx_teardown,
	.close		= limit_tx_close,
	.state_change	= l2cap_chan_no_state_change,
	.ready		= limit_tx_ready,
	.defer		= l2cap_chan_no_defer,
	.resume		= l2cap_chan_no_resume,
	.suspend	= l2cap_chan_no_suspend,
	.set_shutdown	= l2cap_chan_no_set_shutdown,
	.get_sndtimeo	= limit_sndtimeo,
	.alloc_skb	= limit_alloc_skb,
};

/* "XX:XX:XX:XX:XX:XX" into a bdaddr_t (stored least significant byte first) */
static int limit_parse_addr(const char *s, bdaddr_t *a)
{
	u8 b[6];
	int i;

	if (sscanf(s, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		a->b[i] = b[5 - i];
	return 0;
}

static int limit_listen(void)
{
	int err;

	listen_chan = l2cap_chan_create();
	if (!listen_chan)
		return -ENOMEM;
	limit_setup(listen_chan, &limit_rx_ops);
	listen_chan->src_type = BDADDR_LE_PUBLIC;
	atomic_set(&listen_chan->nesting, L2CAP_NESTING_PARENT);
	err = l2cap_add_psm(listen_chan, BDADDR_ANY, cpu_to_le16(psm));
	if (err) {
		l2cap_chan_put(listen_chan);
		listen_chan = NULL;
		return err;
	}
	listen_chan->state = BT_LISTEN;
	return 0;
}

/* Close @chan the way the socket layer does: connection lock, then the
 * channel lock.
 */
static void limit_close(struct l2cap_chan *chan)
{
	struct l2cap_conn *conn;

	l2cap_chan_lock(chan);
	conn = chan->conn;
	if (conn)
		l2cap_conn_get(conn);
	l2cap_chan_unlock(chan);
	if (conn)
		mutex_lock(bt6_conn_lock(conn));
	l2cap_chan_lock(chan);
	l2cap_chan_close(chan, ECONNRESET);
	l2cap_chan_unlock(chan);
	if (conn) {
		mutex_unlock(bt6_conn_lock(conn));
		l2cap_conn_put(conn);
	}
}

/* Drop our reference once the core holds none: only then can no callback
 * into this module come. No deadline (the core's channel timer bounds it);
 * say so every 5 s instead.
 */
static void limit_release(struct l2cap_chan *chan)
{
	unsigned int waited = 0;

	while (kref_read(&chan->kref) > 1) {
		msleep(20);
		waited += 20;
		if (waited % 5000 == 0)
			pr_warn("bt6_limit: %s still referenced (%u) after %u ms\n",
				chan->ops->name, kref_read(&chan->kref), waited);
	}
	l2cap_chan_put(chan);
}

/* The accepted child, if any: taken under the listening channel's lock,
 * which ->new_connection runs under, so that one accepted late (after the
 * run gave up on it) is found here at unload.
 */
static void limit_release_child(void)
{
	struct l2cap_chan *chan;

	l2cap_chan_lock(listen_chan);
	chan = lim.rx_chan;
	lim.rx_chan = NULL;
	l2cap_chan_unlock(listen_chan);
	if (chan) {
		limit_close(chan);
		limit_release(chan);
	}
}

/* Back to back: queue every SDU at once; the core sends as credits come. */
static int limit_send_all(struct l2cap_chan *chan, u32 sdus, const void *buf)
{
	struct msghdr msg = {};
	struct kvec iv;
	u32 i;
	int err = 0;

	for (i = 0; i < sdus && err >= 0; i++) {
		iv.iov_base = (void *)buf;
		iv.iov_len = mtu;
		iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &iv, 1, mtu);
		l2cap_chan_lock(chan);
		err = bt6_l2cap_send(chan, &msg, mtu);
		l2cap_chan_unlock(chan);
	}
	return err < 0 ? err : 0;
}

/* Wait for the last byte, interruptibly (insmod sleeps here, and a long
 * uninterruptible sleep reads as a hung task); give up once nothing arrived
 * for @wait_ms.
 */
static int limit_wait_done(void)
{
	u64 seen = 0, now;
	unsigned int idle = 0;
	long left;

	for (;;) {
		left = wait_for_completion_interruptible_timeout(&lim.done, HZ);
		if (left > 0)
			return 0;
		if (left < 0)
			return left;
		now = READ_ONCE(lim.rx_bytes);
		idle = now == seen ? idle + 1000 : 0;
		seen = now;
		if (idle >= wait_ms)
			return -ETIMEDOUT;
	}
}

static int limit_run(void)
{
	struct l2cap_chan *chan;
	bdaddr_t sa, da;
	u32 sdus = DIV_ROUND_UP(bytes, mtu);
	ktime_t t0;
	void *buf;
	u64 us;
	int err;

	if (limit_parse_addr(src, &sa) || limit_parse_addr(dst, &da))
		return -EINVAL;
	buf = kmalloc(mtu, GFP_KERNEL);
	chan = l2cap_chan_create();
	if (!buf || !chan) {
		kfree(buf);
		if (chan)
			l2cap_chan_put(chan);
		return -ENOMEM;
	}
	memset(buf, 0x6b, mtu);
	limit_setup(chan, &limit_tx_ops);
	bacpy(&chan->src, &sa);
	chan->src_type = BDADDR_LE_PUBLIC;

	err = bt6_l2cap_connect(chan, psm, &da, BDADDR_LE_PUBLIC);
	if (err < 0) {
		snprintf(result, sizeof(result), "error %d: connect", err);
		goto out;
	}
	if (wait_for_completion_interruptible_timeout(&lim.ready,
						      msecs_to_jiffies(wait_ms)) <= 0)
		lim.tx_err = lim.tx_err ? lim.tx_err : -ETIMEDOUT;
	if (lim.tx_err) {
		snprintf(result, sizeof(result), "error %d: channel", lim.tx_err);
		goto close;
	}
	pr_info("bt6_limit: connected, mtu %u omtu %u mps %u tx credits %u\n",
		mtu, chan->omtu, chan->mps, chan->tx_credits);

	t0 = ktime_get();
	err = limit_send_all(chan, sdus, buf);
	if (err) {
		snprintf(result, sizeof(result), "error %d: send", err);
		goto close;
	}
	err = limit_wait_done();
	if (err) {
		snprintf(result, sizeof(result), "error %d: %llu of %u bytes",
			 err, READ_ONCE(lim.rx_bytes), bytes);
		goto close;
	}
	us = max_t(u64, ktime_us_delta(lim.rx_last_at, t0), 1);
	snprintf(result, sizeof(result), "ok bytes=%llu sdus=%u us=%llu kibps=%llu",
		 lim.rx_bytes, lim.rx_sdus, us,
		 div64_u64(lim.rx_bytes * 1000000, us * 1024));
close:
	limit_close(chan);
out:
	limit_release(chan);
	limit_release_child();
	kfree(buf);
	return 0;
}

/* The listener first: once closed it takes no child, then the one it took. */
static void limit_stop(void)
{
	limit_close(listen_chan);
	limit_release_child();
	limit_release(listen_chan);
}

/* One log line and -EINVAL for a parameter no run can use. */
static int limit_check_params(void)
{
	if (mtu < L2CAP_LE_MIN_MTU || mtu > 65535) {
		pr_err("bt6_limit: mtu %u: want %u to 65535\n", mtu, L2CAP_LE_MIN_MTU);
		return -EINVAL;
	}
	if (!bytes) {
		pr_err("bt6_limit: bytes 0: nothing to move\n");
		return -EINVAL;
	}
	if (!psm || psm > 0xff) {
		pr_err("bt6_limit: psm 0x%x: want an LE PSM, 0x01 to 0xff\n", psm);
		return -EINVAL;
	}
	return 0;
}

static int __init limit_init(void)
{
	int err;

	err = limit_check_params();
	if (err)
		return err;
	init_completion(&lim.ready);
	init_completion(&lim.done);
	err = limit_listen();
	if (err)
		return err;
	err = limit_run();
	if (err) {
		limit_stop();
		return err;
	}
	pr_info("bt6_limit: %s\n", result);
	return 0;
}

static void __exit limit_exit(void)
{
	limit_stop();
}

module_init(limit_init);
module_exit(limit_exit);

MODULE_DESCRIPTION("bench only: LE credit based channel throughput ceiling");
MODULE_LICENSE("GPL");
