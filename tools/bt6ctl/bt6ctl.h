/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt6ctl: control tool for the bt6lowpan module (IPv6 over BLE).
 */
#ifndef BT6CTL_H
#define BT6CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* BT6CTL_VERSION: dkms.conf's PACKAGE_VERSION, passed by the Makefile */

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct bt6_cmd {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *summary;
};

extern const char *prog;		/* "bt6ctl" */
extern const struct bt6_cmd bt6_cmds[];
extern bool opt_json;			/* -j before the command */

/* util.c: parsing and formatting, no I/O but to the FILE given */
struct bt6_peer_view {
	uint8_t addr[6];		/* least significant byte first */
	uint8_t addr_type;		/* 1 public, 2 random */
	bool has_adapter, has_ifindex, has_ifname, has_state, has_error;
	uint32_t adapter;
	uint32_t ifindex;
	char ifname[16];
	uint8_t state;
	uint32_t error;			/* positive errno */
	uint8_t event;			/* notifications: enum bt6lowpan_event */
	bool has_up;			/* connected_ms: the link is up */
	uint64_t up_ms;
	bool has_counters;		/* the counters below */
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes, drops;
	uint64_t stalls, reconnects;
	bool persistent;		/* connected whenever it can be */
};

int parse_addr(const char *s, uint8_t addr[6]);
int parse_addr_type(const char *s, uint8_t *type);
int parse_psm(const char *s, uint16_t *psm);
int parse_hci(const char *s, uint16_t *index);
int parse_seconds(const char *s, unsigned int *secs);
/* Decimal milliseconds in [@min, @max]: -EINVAL malformed, -ERANGE out. */
int parse_ms(const char *s, unsigned int min, unsigned int max,
	     unsigned int *ms);
/* "on"/"off" (also 1/0, yes/no). */
int parse_onoff(const char *s, bool *on);
/* "1h2m3s", "4.5s", "120ms": how long, for people. */
void format_duration(uint64_t ms, char *out, size_t size);
void format_addr(const uint8_t addr[6], char out[18]);
/* Local time YYYY-MM-DDTHH:MM:SS.mmm, then the offset (+HH:MM) if
 * @rfc3339: RFC 3339, for JSON.
 */
struct timespec;
void format_time(const struct timespec *ts, bool rfc3339, char *out,
		 size_t size);
const char *addr_type_name(uint8_t type);
const char *state_name(uint8_t state);
const char *event_name(uint8_t event);
/* A JSON string of @s, always valid UTF-8: controls escaped, bytes that
 * are not UTF-8 (a name cut mid-character, Latin-1) as U+FFFD.
 */
void json_string(FILE *f, const char *s);
/* @s for a terminal, as iw and iproute2 print SSIDs and names: printable
 * ASCII and printable UTF-8 as they are, a backslash doubled, every other
 * byte (ESC and every control, C1 controls, malformed UTF-8) as \xHH.
 */
void print_untrusted(FILE *f, const char *s);
void print_peer_plain(FILE *f, const struct bt6_peer_view *p);
void print_peer_json(FILE *f, const struct bt6_peer_view *p);
/* The same without the braces, to add members around them. */
void print_peer_json_members(FILE *f, const struct bt6_peer_view *p);
/* peers -s: the indented counter lines under a peer's line. */
void print_peer_stats(FILE *f, const struct bt6_peer_view *p);

/* EIR / AD structures (util.c) */
#define IPSS_UUID16	0x1820	/* IP Support Service */
/* Whether the 16 bit UUID lists or service data in @eir carry @uuid. */
bool eir_has_uuid16(const uint8_t *eir, size_t len, uint16_t uuid);
/* The (short or complete) local name in @eir, or "" */
void eir_name(const uint8_t *eir, size_t len, char *out, size_t size);
/* The AD data bt6ctl advertises: the 0x1820 UUID list. Returns its length. */
size_t ipss_adv_data(uint8_t *buf, size_t size);

/* The options of a command: -h/--help, -j/--json if @json, the options
 * in @flags (up to a zero short name), and @min_args to @max_args
 * arguments. An option either sets *@set, or takes a value that @value
 * parses into @arg (0, or a negative errno: "'VALUE' @bad").
 */
struct cmd_flag {
	char short_name;
	const char *long_name;
	bool *set;			/* given (with or without a value) */
	int (*value)(const char *val, void *arg);
	void *arg;
	const char *bad;
	/* The value may be left out: "--wait", "--wait 5", "--wait=5",
	 * "-w5"; a separate word is its value only when it is a number.
	 */
	bool optional;
};

/* Values for cmd_flag: -i hciN, -t SECONDS, -c COUNT, milliseconds. */
struct opt_adapter {
	const char *name;		/* as given; NULL: none given */
	uint16_t index;
};

struct opt_uint {
	bool given;
	unsigned int v;
	unsigned int min, max;		/* opt_ms */
};

struct opt_bool {
	bool given, on;
};

int opt_adapter(const char *val, void *arg);	/* struct opt_adapter */
int opt_seconds(const char *val, void *arg);	/* struct opt_uint */
int opt_count(const char *val, void *arg);	/* struct opt_uint */
int opt_ms(const char *val, void *arg);		/* struct opt_uint */
int opt_onoff(const char *val, void *arg);	/* struct opt_bool */

struct cmd_spec {
	const char *synopsis, *help;
	bool json;
	const struct cmd_flag *flags;
	int min_args, max_args;
};

/* Returns -1 to go on with the arguments at argv[optind], else the exit
 * status (help shown: 0; usage error printed: 2).
 */
int cmd_parse(int argc, char *argv[], const struct cmd_spec *spec);

/* Options common to the commands: -h/--help, -j/--json where it reads. */
int cmd_usage(const char *cmd, const char *synopsis, const char *text,
	      int status);
/* Prints "bt6ctl: CMD: strerror(err)[: DETAIL][ (CAP_NET_ADMIN needed)]". */
void cmd_error(const char *cmd, int err, const char *detail);

/* nl.c: the generic netlink family, through libnl-genl-3 */
struct nl_msg;
struct nlattr;
struct bt6_nl;
typedef int (*bt6_nl_attrs_fn)(struct nlattr **tb, void *arg);

/* Opens the family or prints why not as @cmd (module not loaded...),
 * silently when @cmd is NULL; NULL then.
 */
struct bt6_nl *bt6_nl_open(const char *cmd);
void bt6_nl_close(struct bt6_nl *nl);
/* A message for @gcmd to fill with attributes (libnl nla_put_*). */
struct nl_msg *bt6_nl_msg(struct bt6_nl *nl, uint8_t gcmd, bool dump);
/* Sends @msg and waits for the answer; @fn gets each reply's attributes
 * (parsed up to @maxattr). Returns 0 or a negative errno, and prints the
 * error (with the kernel's extack message) as command @cmd.
 */
int bt6_nl_call(struct bt6_nl *nl, const char *cmd, struct nl_msg *msg,
		int maxattr, bt6_nl_attrs_fn fn, void *arg);
/* Subscribes to "events"; calls @fn(gcmd, tb, arg) for each until it
 * returns non-zero or an error happens. tb is parsed with the largest
 * attribute set; gcmd tells which set it is.
 */
int bt6_nl_monitor(struct bt6_nl *nl, const char *cmd,
		   int (*fn)(uint8_t gcmd, struct nlattr **tb, void *arg),
		   void *arg);
/* The two halves of bt6_nl_monitor: join "events" (after this, no event
 * is missed), then take them as it does until @fn returns non-zero (0),
 * an error (-errno, printed) or @timeout_ms passed (-ETIME, silently;
 * -1: no limit).
 */
int bt6_nl_subscribe(struct bt6_nl *nl, const char *cmd);
int bt6_nl_events(struct bt6_nl *nl, const char *cmd, int timeout_ms,
		  int (*fn)(uint8_t gcmd, struct nlattr **tb, void *arg),
		  void *arg);
void peer_view_from_attrs(struct nlattr **tb, struct bt6_peer_view *p);
/* One change request @gcmd as command @cmd, start to end: opens the
 * family, lets @put (may be NULL) add the attributes, sends, prints any
 * error with the kernel's extack text. Returns the exit status.
 */
int bt6_nl_request(const char *cmd, uint8_t gcmd,
		   int (*put)(struct nl_msg *msg, void *arg), void *arg);
int bt6_nl_family_version(struct bt6_nl *nl);

/* status.c: config-get, for status and psm */
struct bt6_config {
	bool enable;
	uint16_t psm;
	bool has_recovery;		/* the three below were reported */
	uint32_t stall_timeout_ms;
	bool auto_reconnect;
	uint32_t reconnect_max_ms;
};
/* config-ntf and config-get answers alike. */
void config_from_attrs(struct nlattr **tb, struct bt6_config *cfg);
/* Which settings to print: enable and psm, the recovery ones, or both. */
#define BT6_CFG_LISTEN		1u
#define BT6_CFG_RECOVERY	2u
#define BT6_CFG_ALL		(BT6_CFG_LISTEN | BT6_CFG_RECOVERY)
/* "NAME VALUE" pairs, @sep between them ('\n' or ' '), then a newline:
 * the same names and values in status, recovery and monitor.
 */
void print_config_plain(FILE *f, const struct bt6_config *cfg,
			unsigned int which, char sep);
/* The members, without braces, with the same keys everywhere. */
void print_config_json(FILE *f, const struct bt6_config *cfg,
		       unsigned int which);
int get_config(struct bt6_nl *nl, const char *cmd, struct bt6_config *cfg);
/* peers.c: every peer, through @fn */
int for_each_peer(struct bt6_nl *nl, const char *cmd,
		  int (*fn)(const struct bt6_peer_view *p, void *arg),
		  void *arg);
/* util.c: an unknown option or a missing argument */
int bad_usage(const char *cmd, const char *synopsis, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* disconnect.c: CMD ADDR [public|random] as @gcmd (disconnect, recover) */
int peer_request(int argc, char *argv[], uint8_t gcmd, const char *synopsis,
		 const char *help);

/* mgmt.c: the Bluetooth management socket (HCI_CHANNEL_CONTROL) */
#define MGMT_INDEX_NONE			0xffff
#define MGMT_OP_READ_INDEX_LIST		0x0003
#define MGMT_OP_READ_INFO		0x0004
#define MGMT_OP_SET_POWERED		0x0005
#define MGMT_OP_SET_LE			0x000d
#define MGMT_OP_START_DISCOVERY		0x0023
#define MGMT_OP_STOP_DISCOVERY		0x0024
#define MGMT_OP_SET_ADVERTISING		0x0029
#define MGMT_OP_READ_ADV_FEATURES	0x003d
#define MGMT_OP_ADD_ADVERTISING		0x003e
#define MGMT_OP_REMOVE_ADVERTISING	0x003f
#define MGMT_EV_CMD_COMPLETE		0x0001
#define MGMT_EV_CMD_STATUS		0x0002
#define MGMT_EV_DEVICE_FOUND		0x0012
#define MGMT_EV_DISCOVERING		0x0013
#define MGMT_STATUS_SUCCESS		0x00
#define MGMT_STATUS_BUSY		0x0a
#define MGMT_STATUS_INVALID_PARAMS	0x0d
#define MGMT_STATUS_INVALID_INDEX	0x11
#define MGMT_STATUS_PERMISSION_DENIED	0x14
#define MGMT_SETTING_POWERED		(1u << 0)
#define MGMT_SETTING_LE			(1u << 9)
#define MGMT_SETTING_ADVERTISING	(1u << 10)
#define MGMT_ADV_FLAG_CONNECTABLE	(1u << 0)
#define MGMT_ADV_FLAG_DISCOV		(1u << 1)
#define MGMT_ADDR_LE_PUBLIC		1
#define MGMT_ADDR_LE_RANDOM		2
#define MGMT_MAX_PAYLOAD		1024

struct mgmt_hdr {
	uint16_t opcode;		/* little endian, as every field */
	uint16_t index;
	uint16_t len;
} __attribute__((packed));

struct mgmt_rp_read_info {
	uint8_t bdaddr[6];
	uint8_t version;
	uint16_t manufacturer;
	uint32_t supported_settings;
	uint32_t current_settings;
	uint8_t dev_class[3];
	uint8_t name[249];
	uint8_t short_name[11];
} __attribute__((packed));

struct mgmt_cp_add_advertising {
	uint8_t instance;
	uint32_t flags;
	uint16_t duration;
	uint16_t timeout;
	uint8_t adv_data_len;
	uint8_t scan_rsp_len;
	uint8_t data[];
} __attribute__((packed));

struct mgmt_ev_device_found {
	uint8_t bdaddr[6];
	uint8_t addr_type;
	int8_t rssi;
	uint32_t flags;
	uint16_t eir_len;
	uint8_t eir[];
} __attribute__((packed));

const char *mgmt_status_str(uint8_t status);
/* Opens and binds the control channel; prints why not as @cmd. */
int mgmt_open(const char *cmd);
/* Sends @op and waits for its answer: returns the status (0-255), or a
 * negative errno; the reply's parameters go to @rsp (at most @size).
 */
int mgmt_cmd(int fd, uint16_t op, uint16_t index, const void *param,
	     uint16_t len, void *rsp, size_t size, size_t *rsp_len);
/* Events that arrive while mgmt_cmd() waits for its answer go here. */
typedef void (*mgmt_event_fn)(uint16_t ev, uint16_t index, const uint8_t *buf,
			      size_t len, void *arg);
void mgmt_set_event_hook(mgmt_event_fn fn, void *arg);
/* Next event, within @timeout_ms: 0, -ETIMEDOUT or a negative errno. */
int mgmt_event(int fd, int timeout_ms, uint16_t *ev, uint16_t *index,
	       void *buf, size_t size, size_t *len);
/* The adapter of -i, or the first one; prints why not as @cmd. */
int mgmt_pick_index(int fd, const char *cmd, const char *hci,
		    uint16_t *index);
/* Prints a failed command as @cmd; returns EXIT_FAIL. */
int mgmt_fail(const char *cmd, uint16_t index, const char *what, int status);

/* advertise.c: Read Advertising Features, and bt6ctl's own instance */
struct adv_features {
	uint8_t max_instances;
};
/*
 * The mgmt status (0: @af filled), or a negative errno. The reply's list of
 * instances is not kept: since Linux 6.0 it leaves out every instance
 * numbered above the number of instances, so it cannot tell whether one
 * exists.
 */
int adv_read_features(int fd, uint16_t index, struct adv_features *af);
/* The highest instance; 0 when the adapter has fewer than two. */
uint8_t adv_own_instance(const struct adv_features *af);

/* conf.c: the configuration file, bt6lowpan.conf(5) */
#define BT6_CONF_DEFAULT	"/etc/bt6lowpan.conf"
#define BT6_CONF_MAX_PEERS	64	/* the module's BT6_PERSIST_MAX */
#define BT6_CONF_MAX_ADAPTERS	32

struct bt6_conf_peer {
	uint16_t adapter;		/* hciN */
	uint8_t addr[6];		/* least significant byte first */
	uint8_t type;			/* 1 public, 2 random */
	unsigned int line;		/* where its [Peer] starts, 0: none */
};

struct bt6_conf_adapter {
	uint16_t index;
	bool advertise;
	unsigned int line;
};

/* What a file says; a has_ flag clear: left as it is. */
struct bt6_conf {
	bool has_enable, enable;
	bool has_psm;
	uint16_t psm;
	bool has_stall_timeout;
	unsigned int stall_timeout_ms;
	bool has_auto_reconnect, auto_reconnect;
	bool has_reconnect_max;
	unsigned int reconnect_max_ms;
	unsigned int nadapters;
	struct bt6_conf_adapter adapters[BT6_CONF_MAX_ADAPTERS];
	unsigned int npeers;		/* exactly the persistent peers */
	struct bt6_conf_peer peers[BT6_CONF_MAX_PEERS];
};

/* Parses the whole of @f (called @name in messages) into @c: 0, or a
 * negative errno with "NAME:LINE: what" in @err.
 */
int conf_parse(FILE *f, const char *name, struct bt6_conf *c, char *err,
	       size_t errsize);
/* Adapters and peers in the order conf_print prints them. */
void conf_sort(struct bt6_conf *c);
/* The format conf_parse reads; what it reads back is @c again. */
void conf_print(FILE *f, const struct bt6_conf *c);
bool conf_has_peer(const struct bt6_conf *c, const struct bt6_conf_peer *p);

/* advertise.c: bt6ctl's instance on or off, messages as command @cmd */
int adv_set(int fd, const char *cmd, uint16_t index, bool on);
/* The adapters bt6ctl last set advertising on (the kernel cannot say:
 * its instance list leaves bt6ctl's out, see advertise.c), kept in
 * $BT6CTL_STATE_DIR (default /run/bt6ctl)/advertising. 0 or -errno.
 */
int adv_state_get(uint16_t index, bool *on);
int adv_state_set(uint16_t index, bool on);

/* the commands */
int cmd_status(int argc, char *argv[]);
int cmd_enable(int argc, char *argv[]);
int cmd_disable(int argc, char *argv[]);
int cmd_psm(int argc, char *argv[]);
int cmd_connect(int argc, char *argv[]);
int cmd_disconnect(int argc, char *argv[]);
int cmd_recover(int argc, char *argv[]);
int cmd_recovery(int argc, char *argv[]);
int cmd_peers(int argc, char *argv[]);
int cmd_monitor(int argc, char *argv[]);
int cmd_advertise(int argc, char *argv[]);
int cmd_scan(int argc, char *argv[]);
int cmd_version(int argc, char *argv[]);
int cmd_apply(int argc, char *argv[]);
int cmd_showconf(int argc, char *argv[]);

#endif /* BT6CTL_H */
