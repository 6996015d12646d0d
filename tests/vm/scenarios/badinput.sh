# SPDX-License-Identifier: GPL-2.0
# checks: setup sysfs-enable sysfs-psm sysfs-connect sysfs-disconnect sysfs-stall-timeout-ms sysfs-auto-reconnect sysfs-reconnect-max-ms sysfs-recover debugfs-control debugfs-enable corpus-covers-writable state-unchanged still-pings
# ctl: sysfs
# modules: ours
# timeout: 600
# Bad input (issue 3): a corpus of malformed writes to every writable
# control file, sysfs and the debugfs shim, each with the errno it must
# get; after each write the state (psm, enable, the recovery tunables
# stall_timeout_ms, auto_reconnect and reconnect_max_ms, both peers lists)
# must read as before, and after each file's writes so must each peer's
# stall and reconnect counters, which a wrong recover would raise (they
# only grow, so a change is seen at the file's end: their bt6ctl call
# after every write was 0.5 s of the 0.55 s each write cost, the scenario
# 333 s on 7.3 then, 34 s since). Runs with a connected pair, so a
# wrong disconnect or recover would show; the pair must still ping at the
# end.
# Every writable file of the module (found at run time: sysfs
# /sys/kernel/bluetooth_6lowpan/* and debugfs bluetooth/6lowpan_*) must
# have rows in the corpus, else corpus-covers-writable fails.
#
# Each write is exactly one write(2) by the wr tool: C escapes \n \r \t \0
# \xNN, and X\{N} for the byte X repeated N times in all. "OK" means the
# write returned its whole length.
#
# The errno contract (issue 3; debugfs as upstream, see
# shared/reference/upstream.md, but stricter where upstream silently
# accepted garbage):
#   all sysfs files  an empty write is OK and changes nothing (the sysfs
#                    core returns 0 before the module sees it); a write must
#                    be one line: the only newline allowed is one at the
#                    end; anything else malformed (extra or missing fields,
#                    blanks, NUL or other binary bytes, junk, overlong) is
#                    EINVAL and changes nothing
#   enable           "0" or "1" (decimal); any other number or word: EINVAL
#   psm              decimal or 0x-hex; a well formed number outside
#                    0x0001-0x00FF (including ones too big for any integer
#                    type): ERANGE; a sign is not part of the syntax: EINVAL
#   connect          "ADDR [public|random] [hciN]", in that order: EINVAL if
#                    malformed or ADDR is the adapter's own address or
#                    00:00:00:00:00:00 / FF:FF:FF:FF:FF:FF; ENODEV if no
#                    such adapter; EALREADY if that peer exists
#   disconnect       "ADDR [public|random]": EINVAL if malformed; ENOENT if
#                    no such peer
#   stall_timeout_ms decimal milliseconds, 0-600000 (0: off); no sign, no
#                    hex; out of range or too big for any integer: ERANGE
#   reconnect_max_ms decimal milliseconds, 1000-3600000, as above
#   auto_reconnect   "0" or "1", as enable
#   recover          "ADDR [public|random]", as disconnect: EINVAL if
#                    malformed, ENOENT if no such peer
#   6lowpan_control  "connect ADDR T" (T 1 public, 2 random) or
#                    "disconnect ADDR T" (T 0 public, 1 random), nothing
#                    else, at most 32 bytes: EINVAL if malformed (also the
#                    empty write and wrong type numbers), EALREADY/ENOENT as
#                    above
#   6lowpan_enable   exactly upstream's (a debugfs u64 attribute: kstrtoull
#                    base 0 of the first 23 bytes, one trailing newline
#                    allowed): any number enables, 0 disables; a number too
#                    big for u64: ERANGE; anything else (words, blanks,
#                    junk): EINVAL
# Entries that would change the state if the module got them wrong come
# last in their table; the state is restored after any change.

NODE_IF="" ROUTER_IF=""

check setup connect_pair || exit 1

# corpus keys: a sysfs file's name, or dbg-NAME for debugfs 6lowpan_NAME
KEYS="enable psm connect disconnect stall_timeout_ms auto_reconnect reconnect_max_ms recover dbg-control dbg-enable"
# key_names KEY: KFILE, its file, and KVAR, its key as a variable name
# (no process: the corpus loop calls it ~500 times)
key_names() {
	case $1 in
	dbg-*) KFILE=$DBG/6lowpan_${1#dbg-} KVAR=dbg_${1#dbg-} ;;
	*) KFILE=$SYS/$1 KVAR=$1 ;;
	esac
}
file_of() { key_names "$1" && echo "$KFILE"; }
check_of() {
	case $1 in
	dbg-*) echo debugfs-${1#dbg-} ;;
	*) echo sysfs-$1 | tr _ - ;;
	esac
}
# writable_keys: the key of every file of ours with a write bit, now
# (one ls for all the files: a process per file cost the debug kernel
# 38 s of corpus-covers-writable, which asked for the list once per key)
writable_keys() {
	local mode f
	ls -ld $SYS/* $DBG/6lowpan_* | while read -r mode _ _ _ _ _ _ _ f; do
		case $mode in -*w*) ;; *) continue ;; esac
		case $f in
		$DBG/6lowpan_*) echo "dbg-${f#$DBG/6lowpan_}" ;;
		*) echo "${f##*/}" ;;
		esac
	done
}

# snap: the state as text, into SNAP. Built-ins only, in this shell: it
# runs after each of the corpus' ~500 writes, and a process costs ~15 ms
# in a TCG guest (a subshell of $(...) is one: on the debug kernel the 512
# writes took 100 s). snapshot prints it.
snapshot() { snap && echo "$SNAP"; }
snap() {
	local psm en den st ar rm l peers="" dpeers=""
	read -r psm <$SYS/psm
	read -r en <$SYS/enable
	read -r den <$DBG/6lowpan_enable
	read -r st <$SYS/stall_timeout_ms
	read -r ar <$SYS/auto_reconnect
	read -r rm <$SYS/reconnect_max_ms
	while read -r l; do peers="$peers$l;"; done <$SYS/peers
	while read -r l; do dpeers="$dpeers$l;"; done <$DBG/6lowpan_control
	SNAP="psm=$psm enable=$en debugfs-enable=$den
stall_timeout_ms=$st auto_reconnect=$ar reconnect_max_ms=$rm
peers=$peers
debugfs-peers=$dpeers"
}
# counters: each peer's stall and reconnect counters (a recover raises both)
counters() {
	echo "counters=$(bt6ctl peers -s 2>&1 | grep -Eo '^[0-9A-F:]{17} [a-z]+ hci[0-9]+|stalls [0-9]+  reconnects [0-9]+' | tr '\n' ';')"
}

# first line that differs between two snapshots, as "before → after"
state_diff() {
	local i=1 a b
	while [ $i -le 5 ]; do
		a=$(echo "$1" | sed -n ${i}p)
		b=$(echo "$2" | sed -n ${i}p)
		[ "$a" = "$b" ] || { echo "$a → $b"; return 0; }
		i=$((i + 1))
	done
}

relink() {
	wait_for 30 link_up || return 1
	ip link set "$NODE_IF" master vrfn && ip link set "$ROUTER_IF" master vrfr || return 1
	ip link set "$NODE_IF" up && ip link set "$ROUTER_IF" up
	wait_for 20 dad_done "" "$NODE_IF" && wait_for 20 dad_done "" "$ROUTER_IF"
}

pair_up() {
	cat $SYS/peers | grep -q "^$NODE_ADDR public hci1 .* connected" &&
		cat $SYS/peers | grep -q "^$ROUTER_ADDR public hci0 .* connected"
}

# Put back the baseline: psm, enable, no extra peers, the pair connected.
restore() {
	local a t rest
	wr $SYS/psm "$PSM0" >/dev/null
	echo 1 >$SYS/enable
	echo "$ST0" >$SYS/stall_timeout_ms
	echo "$AR0" >$SYS/auto_reconnect
	echo "$RM0" >$SYS/reconnect_max_ms
	cat $SYS/peers | while read -r a t rest; do
		case "$a $t" in
		"$NODE_ADDR public" | "$ROUTER_ADDR public") ;;
		*) echo "$a $t" 2>/dev/null >$SYS/disconnect ;;
		esac
	done
	wait_for 15 eval '[ $(cat $SYS/peers | wc -l) -le 2 ]'
	wait_for 20 pair_up	# a wrong recover: the pair reconnects by itself
	if ! pair_up; then
		log "restore: reconnecting the pair"
		wait_for 15 no_peers
		ctl_connect $NODE_ADDR public && wait_for 30 pair_up && relink ||
			log "restore: the pair did not come back: $(cat $SYS/peers)"
	fi
	BASE=$(snapshot)
	CBASE=$(counters)
}

cat >/tmp/corpus <<'EOF'
# file        want      input                                        why
# --- sysfs enable: "0" or "1" ---------------------------------------------
enable        OK        ''                                           empty write
enable        EINVAL    '\n'
enable        EINVAL    '2'
enable        EINVAL    '3'
enable        EINVAL    '9'
enable        EINVAL    '10'
enable        EINVAL    '11'
enable        EINVAL    '255'
enable        EINVAL    '256'
enable        EINVAL    '65537'
enable        EINVAL    '99999999999999999999999'
enable        EINVAL    '-1'
enable        EINVAL    '-0'
enable        EINVAL    '+'
enable        EINVAL    '0x1'
enable        EINVAL    '0b1'
enable        EINVAL    '1.0'
enable        EINVAL    '1e0'
enable        EINVAL    'y'
enable        EINVAL    'Y'
enable        EINVAL    'yes'
enable        EINVAL    'on'
enable        EINVAL    'true'
enable        EINVAL    'enable'
enable        EINVAL    'one'
enable        EINVAL    ' 1'
enable        EINVAL    '1 '
enable        EINVAL    '\t1'
enable        EINVAL    '1\t'
enable        EINVAL    '\n1'
enable        EINVAL    '1\n\n'
enable        EINVAL    '1\r'
enable        EINVAL    '1\r\n'
enable        EINVAL    '1\x0b'                                      vertical tab
enable        EINVAL    '1\x0c'                                      form feed
enable        EINVAL    '1 1'
enable        EINVAL    '1,0'
enable        EINVAL    '1;'
enable        EINVAL    '"1"'
enable        EINVAL    '\x271\x27'                                  '1' quoted
enable        EINVAL    '1junk'
enable        EINVAL    'junk1'
enable        EINVAL    '\x00'
enable        EINVAL    '\x001'
enable        EINVAL    '\xff'
enable        EINVAL    '\x80\x81'
enable        EINVAL    '\xef\xbc\x91'                               fullwidth digit one
enable        EINVAL    '\x01'
enable        EINVAL    '1\{4096}'                                   overlong number
enable        EINVAL    'A\{4096}'                                   overlong junk
enable        EINVAL    '0\{100}x'
enable        EINVAL    '1\x00junk'                                  NUL, then junk
enable        EINVAL    'n'                                          would disable
enable        EINVAL    'off'                                        would disable
enable        EINVAL    'false'                                      would disable
enable        EINVAL    '0 '                                         would disable
enable        EINVAL    '0\x00'                                      would disable
# --- sysfs psm: decimal or 0x-hex, 0x0001-0x00FF -----------------------------
psm           OK        ''                                           empty write
psm           EINVAL    '\n'
psm           ERANGE    '0'
psm           ERANGE    '0x0'
psm           ERANGE    '0x00'
psm           ERANGE    '0\n'
psm           ERANGE    '256'
psm           ERANGE    '256\n'
psm           ERANGE    '0x100'
psm           ERANGE    '0x0100'
psm           ERANGE    '0x1ff'
psm           ERANGE    '511'
psm           ERANGE    '1000'
psm           ERANGE    '65535'
psm           ERANGE    '0xffff'
psm           ERANGE    '65536'
psm           ERANGE    '0x10000'
psm           ERANGE    '0x00000100'
psm           ERANGE    '4294967296'
psm           ERANGE    '18446744073709551615'
psm           ERANGE    '18446744073709551616'
psm           ERANGE    '99999999999999999999'
psm           ERANGE    '0xffffffffffffffffff'
psm           ERANGE    '3\{4096}'                                   overlong number
psm           EINVAL    '-1'
psm           EINVAL    '-0x23'
psm           EINVAL    '-0'
psm           EINVAL    '+'
psm           EINVAL    '+-1'
psm           EINVAL    '++35'
psm           EINVAL    '0x'
psm           EINVAL    'x23'
psm           EINVAL    '0xx23'
psm           EINVAL    '00x23'
psm           EINVAL    '0x+23'
psm           EINVAL    '0x-23'
psm           EINVAL    '0x 23'
psm           EINVAL    '0x2g'
psm           EINVAL    '0x23h'
psm           EINVAL    '35abc'
psm           EINVAL    '3 5'
psm           EINVAL    '35 35'
psm           EINVAL    '0x23,0x25'
psm           EINVAL    '35.0'
psm           EINVAL    '0x1.8'
psm           EINVAL    '3e1'
psm           EINVAL    '1e2'
psm           EINVAL    '0b100011'
psm           EINVAL    '0o43'
psm           EINVAL    'IPSP'
psm           EINVAL    'psm'
psm           EINVAL    'NaN'
psm           EINVAL    'inf'
psm           EINVAL    '=35'
psm           EINVAL    '#35'
psm           EINVAL    '"35"'
psm           EINVAL    ' 0x23'
psm           EINVAL    '0x23 '
psm           EINVAL    '\t0x23'
psm           EINVAL    '0x23\t'
psm           EINVAL    '\n0x23'
psm           EINVAL    '0x23\n\n'
psm           EINVAL    '0x23\r'
psm           EINVAL    '0x23\r\n'
psm           EINVAL    '\x00'
psm           EINVAL    '\x00\x23'
psm           EINVAL    '\xff'
psm           EINVAL    '\x80\x81'
psm           EINVAL    '\xef\xbc\x93\xef\xbc\x95'                   fullwidth 35
psm           EINVAL    'A\{4096}'                                   overlong junk
psm           EINVAL    '0x23\x00junk'                               NUL, then junk
psm           EINVAL    '0x3e\x00junk'                               would change the PSM
psm           EINVAL    '62\x00'                                     would change the PSM
# --- sysfs connect: ADDR [public|random] [hciN] -----------------------------
connect       OK        ''                                           empty write
connect       EINVAL    '\n'
connect       EINVAL    ' '
connect       EINVAL    ' \n'
connect       EINVAL    '00:AA:01:00:00:00  public'                  two blanks
connect       EINVAL    ' 00:AA:01:00:00:00'
connect       EINVAL    '00:AA:01:00:00:00 '
connect       EINVAL    '00:AA:01:00:00:00\t'
connect       EINVAL    '00:AA:01:00:00:00\tpublic'
connect       EINVAL    '00:AA:01:00:00:00 public\n\n'
connect       EINVAL    '00:AA:01:00:00:00 public\r'
connect       EINVAL    '00:AA:01:00:00:00\r\n'
connect       EINVAL    '\n00:AA:01:00:00:00'
connect       EINVAL    '00:AA:01:00:00'
connect       EINVAL    '00:AA:01:00:00:0'
connect       EINVAL    '00:AA:01:00:00:000'
connect       EINVAL    '00:AA:01:00:00:00:00'
connect       EINVAL    '00-AA-01-00-00-00'
connect       EINVAL    '00AA01000000'
connect       EINVAL    '0x00AA01000000'
connect       EINVAL    '00.AA.01.00.00.00'
connect       EINVAL    '0:AA:1:0:0:0'                               short octets
connect       EINVAL    'GG:AA:01:00:00:00'
connect       EINVAL    '00:AA:01:00:00:0G'
connect       EINVAL    ' 0:AA:01:00:00:00'
connect       EINVAL    '+0:AA:01:00:00:00'
connect       EINVAL    '00::AA:01:00:00:0'
connect       EINVAL    ':00:AA:01:00:00:0'
connect       EINVAL    '00:AA:01:00:00:00:'
connect       EINVAL    'public'
connect       EINVAL    'public 00:AA:01:00:00:00'
connect       EINVAL    '00:AA:01:00:00:00 Public'
connect       EINVAL    '00:AA:01:00:00:00 PUBLIC'
connect       EINVAL    '00:AA:01:00:00:00 pub'
connect       EINVAL    '00:AA:01:00:00:00 publicx'
connect       EINVAL    '00:AA:01:00:00:00 1'                        debugfs type number
connect       EINVAL    '00:AA:01:00:00:00 le_public'
connect       EINVAL    '00:AA:01:00:00:00 bredr'
connect       EINVAL    '00:AA:01:00:00:00 public public'
connect       EINVAL    '00:AA:01:00:00:00 public random'
connect       EINVAL    '00:AA:01:00:00:00 hci1 public'              wrong order
connect       EINVAL    '00:AA:01:00:00:00 public hci1 hci1'
connect       EINVAL    '00:AA:01:00:00:00 public hci1 extra'
connect       EINVAL    '00:AA:01:00:00:00 public hci'
connect       EINVAL    '00:AA:01:00:00:00 public hcix'
connect       EINVAL    '00:AA:01:00:00:00 public hci-1'
connect       EINVAL    '00:AA:01:00:00:00 public hci01'
connect       EINVAL    '00:AA:01:00:00:00 public hci1x'
connect       EINVAL    '00:AA:01:00:00:00 public HCI1'
connect       EINVAL    '00:AA:01:00:00:00 public hci10000'
connect       EINVAL    '00:AA:01:00:00:00 public hci99999999999'
connect       EINVAL    '00:AA:01:00:00:00 public hci1 \{40}'        overlong (blanks)
connect       EINVAL    '00:AA:01:00:00:00 public\x00'
connect       EINVAL    '00:AA:01:00:00:00\x00 public'
connect       EINVAL    '\x00'
connect       EINVAL    '\xff\xfe\xfd'
connect       EINVAL    '\xef\xbc\x90\xef\xbc\x90:AA:01:00:00:00'      fullwidth digits
connect       EINVAL    'A\{4096}'                                   overlong junk
connect       EINVAL    '00:AA:01:00:00:00 public hci0'              own address
connect       EINVAL    '00:AA:01:01:00:01 public hci1'              own address
connect       ENODEV    '00:AA:01:00:00:00 public hci2'
connect       ENODEV    '00:AA:01:00:00:00 public hci9999'
connect       EALREADY  '00:AA:01:00:00:00 public hci1'
connect       EALREADY  '00:AA:01:00:00:00'
connect       EALREADY  '00:aa:01:00:00:00 public'
connect       EALREADY  '00:AA:01:00:00:00 hci1'
connect       EALREADY  '00:AA:01:01:00:01 public'                   node side peer
connect       EINVAL    '00:AA:01:00:00:00 public hci1\n00:AA:01:00:00:09'  two lines
connect       EINVAL    '00:00:00:00:00:00'                          would connect to BDADDR_ANY
connect       EINVAL    'FF:FF:FF:FF:FF:FF public hci1'              would connect to BDADDR_NONE
# --- sysfs disconnect: ADDR [public|random] ---------------------------------
disconnect    OK        ''                                           empty write
disconnect    EINVAL    '\n'
disconnect    EINVAL    ' '
disconnect    EINVAL    '00:AA:01:00:00:00 public hci1'              no adapter field here
disconnect    EINVAL    '00:AA:01:00:00:00 hci1'
disconnect    EINVAL    '00:AA:01:00:00:00  public'
disconnect    EINVAL    '00:AA:01:00:00:00 '
disconnect    EINVAL    ' 00:AA:01:00:00:00'
disconnect    EINVAL    '00:AA:01:00:00:00\t'
disconnect    EINVAL    '00:AA:01:00:00:00 public\n\n'
disconnect    EINVAL    '00:AA:01:00:00:00 public\r'
disconnect    EINVAL    '00:AA:01:00:00:00\r\n'
disconnect    EINVAL    '\n00:AA:01:00:00:00'
disconnect    EINVAL    '00:AA:01:00:00:00 public '
disconnect    EINVAL    '00:AA:01:00:00:00 public x'
disconnect    EINVAL    '00:AA:01:00:00:00 0'                        debugfs type number
disconnect    EINVAL    '00:AA:01:00:00:00 1'
disconnect    EINVAL    '00:AA:01:00:00:00 Public'
disconnect    EINVAL    '00:AA:01:00:00:00 RANDOM'
disconnect    EINVAL    '00:AA:01:00:00:00 pub'
disconnect    EINVAL    '00:AA:01:00:00:00 all'
disconnect    EINVAL    '00:AA:01:00:00:00 random public'
disconnect    EINVAL    'all'
disconnect    EINVAL    '*'
disconnect    EINVAL    'public'
disconnect    EINVAL    'random 00:AA:01:00:00:00'
disconnect    EINVAL    'disconnect 00:AA:01:00:00:00'
disconnect    EINVAL    '00:AA:01:00:00'
disconnect    EINVAL    '00:AA:01:00:00:0'
disconnect    EINVAL    '00:AA:01:00:00:000'
disconnect    EINVAL    '00:AA:01:00:00:00:00'
disconnect    EINVAL    '00-AA-01-00-00-00'
disconnect    EINVAL    '00AA01000000'
disconnect    EINVAL    '0x00AA01000000'
disconnect    EINVAL    '0:AA:1:0:0:0'
disconnect    EINVAL    'GG:AA:01:00:00:00'
disconnect    EINVAL    '00:AA:01:00:00:0Z'
disconnect    EINVAL    '00;AA;01;00;00;00'
disconnect    EINVAL    '00:AA:01:00:00:00,00:AA:01:01:00:01'
disconnect    EINVAL    '00:AA:01:00:00:00\n00:AA:01:01:00:01'       two lines
disconnect    EINVAL    '00:AA:01:00:00:00\x00'
disconnect    EINVAL    '00:AA:01:00:00:00 public\x00'
disconnect    EINVAL    '00:AA:01:00:00:00 public\xff'
disconnect    EINVAL    '\x00'
disconnect    EINVAL    '\x00\x00\x00\x00'
disconnect    EINVAL    '\xff\xfe'
disconnect    EINVAL    '\xef\xbc\x90\xef\xbc\x90:AA:01:00:00:00'
disconnect    EINVAL    'A\{4096}'                                   overlong junk
disconnect    EINVAL    '00:AA:01:00:00:00 \{60}'                    overlong (blanks)
disconnect    ENOENT    '00:AA:01:00:00:00 random'                   right address, wrong type
disconnect    ENOENT    '00:AA:01:01:00:01 random'
disconnect    ENOENT    '00:AA:01:00:00:01'
disconnect    ENOENT    '00:AA:01:00:00:01 public'
disconnect    ENOENT    '11:22:33:44:55:66'
disconnect    ENOENT    '00:00:00:00:00:00'
disconnect    ENOENT    'FF:FF:FF:FF:FF:FF'
disconnect    ENOENT    'ff:ff:ff:ff:ff:ff random'
# --- sysfs stall_timeout_ms: decimal ms, 0-600000 (here 10000) ---------------
stall_timeout_ms OK     ''                                           empty write
stall_timeout_ms OK     '10000'                                      the value it has
stall_timeout_ms OK     '10000\n'
stall_timeout_ms OK     '010000'                                     decimal, not octal
stall_timeout_ms EINVAL '\n'
stall_timeout_ms EINVAL '-1'
stall_timeout_ms EINVAL '+10000'
stall_timeout_ms EINVAL ' 10000'
stall_timeout_ms EINVAL '10000 '
stall_timeout_ms EINVAL '\t10000'
stall_timeout_ms EINVAL '10000\t'
stall_timeout_ms EINVAL '\n10000'
stall_timeout_ms EINVAL '10000\n\n'
stall_timeout_ms EINVAL '10000\r'
stall_timeout_ms EINVAL '10000\r\n'
stall_timeout_ms EINVAL '0x2710'                                     hex
stall_timeout_ms EINVAL '1e4'
stall_timeout_ms EINVAL '10000.0'
stall_timeout_ms EINVAL '10s'
stall_timeout_ms EINVAL '10000ms'
stall_timeout_ms EINVAL '10,000'
stall_timeout_ms EINVAL '10 000'
stall_timeout_ms EINVAL 'default'
stall_timeout_ms EINVAL '\x00'
stall_timeout_ms EINVAL '\x0010000'
stall_timeout_ms EINVAL '\xff'
stall_timeout_ms EINVAL '\xef\xbc\x91'                               fullwidth digit one
stall_timeout_ms EINVAL 'A\{4096}'                                   overlong junk
stall_timeout_ms ERANGE '600001'
stall_timeout_ms ERANGE '1000000'
stall_timeout_ms ERANGE '4294967295'
stall_timeout_ms ERANGE '4294967296'
stall_timeout_ms ERANGE '99999999999999999999'
stall_timeout_ms ERANGE '9\{4096}'                                   overlong number
stall_timeout_ms EINVAL 'off'                                        would disable
stall_timeout_ms EINVAL '-0'                                         would disable
stall_timeout_ms EINVAL '0 '                                         would disable
stall_timeout_ms EINVAL '0\x00'                                      would disable
stall_timeout_ms EINVAL '5000\x00junk'                               would change it
# --- sysfs reconnect_max_ms: decimal ms, 1000-3600000 (here 30000) ------------
reconnect_max_ms OK     ''                                           empty write
reconnect_max_ms OK     '30000'                                      the value it has
reconnect_max_ms OK     '30000\n'
reconnect_max_ms EINVAL '\n'
reconnect_max_ms EINVAL '-1'
reconnect_max_ms EINVAL '+30000'
reconnect_max_ms EINVAL ' 30000'
reconnect_max_ms EINVAL '30000 '
reconnect_max_ms EINVAL '30000\t'
reconnect_max_ms EINVAL '30000\n\n'
reconnect_max_ms EINVAL '30000\r\n'
reconnect_max_ms EINVAL '0x7530'                                     hex
reconnect_max_ms EINVAL '3e4'
reconnect_max_ms EINVAL '30000.5'
reconnect_max_ms EINVAL '30s'
reconnect_max_ms EINVAL 'max'
reconnect_max_ms EINVAL '\x00'
reconnect_max_ms EINVAL '\xff'
reconnect_max_ms EINVAL 'A\{4096}'                                   overlong junk
reconnect_max_ms ERANGE '0'
reconnect_max_ms ERANGE '999'
reconnect_max_ms ERANGE '3600001'
reconnect_max_ms ERANGE '4294967296'
reconnect_max_ms ERANGE '99999999999999999999'
reconnect_max_ms ERANGE '8\{4096}'                                   overlong number
reconnect_max_ms EINVAL '1000\x00'                                   would change it
reconnect_max_ms EINVAL '5000 '                                      would change it
# --- sysfs auto_reconnect: "0" or "1" (here 1) -------------------------------
auto_reconnect  OK      ''                                           empty write
auto_reconnect  OK      '1'                                          the value it has
auto_reconnect  OK      '1\n'
auto_reconnect  EINVAL  '\n'
auto_reconnect  EINVAL  '2'
auto_reconnect  EINVAL  '-1'
auto_reconnect  EINVAL  '01'
auto_reconnect  EINVAL  '0x1'
auto_reconnect  EINVAL  'y'
auto_reconnect  EINVAL  'yes'
auto_reconnect  EINVAL  'on'
auto_reconnect  EINVAL  'true'
auto_reconnect  EINVAL  ' 1'
auto_reconnect  EINVAL  '1 '
auto_reconnect  EINVAL  '1\r'
auto_reconnect  EINVAL  '1\r\n'
auto_reconnect  EINVAL  '1\n\n'
auto_reconnect  EINVAL  '\x00'
auto_reconnect  EINVAL  '1\x00'
auto_reconnect  EINVAL  '\xff'
auto_reconnect  EINVAL  'A\{4096}'                                   overlong junk
auto_reconnect  EINVAL  'n'                                          would disable
auto_reconnect  EINVAL  'off'                                        would disable
auto_reconnect  EINVAL  '00'                                         would disable
auto_reconnect  EINVAL  '0 '                                         would disable
auto_reconnect  EINVAL  '0\n\n'                                      would disable
# --- sysfs recover: ADDR [public|random] -------------------------------------
recover       OK        ''                                           empty write
recover       EINVAL    '\n'
recover       EINVAL    ' '
recover       EINVAL    '00:AA:01:00:00:00 public hci1'              no adapter field here
recover       EINVAL    '00:AA:01:00:00:00 hci1'
recover       EINVAL    '00:AA:01:00:00:00  public'
recover       EINVAL    ' 00:AA:01:00:00:00'
recover       EINVAL    '00:AA:01:00:00:00\t'
recover       EINVAL    '00:AA:01:00:00:00 public\n\n'
recover       EINVAL    '00:AA:01:00:00:00 public\r'
recover       EINVAL    '00:AA:01:00:00:00\r\n'
recover       EINVAL    '\n00:AA:01:00:00:00'
recover       EINVAL    '00:AA:01:00:00:00 Public'
recover       EINVAL    '00:AA:01:00:00:00 1'                        debugfs type number
recover       EINVAL    '00:AA:01:00:00:00 all'
recover       EINVAL    'all'
recover       EINVAL    '*'
recover       EINVAL    'recover 00:AA:01:00:00:00'
recover       EINVAL    '00:AA:01:00:00'
recover       EINVAL    '00:AA:01:00:00:000'
recover       EINVAL    '00-AA-01-00-00-00'
recover       EINVAL    '00AA01000000'
recover       EINVAL    'GG:AA:01:00:00:00'
recover       EINVAL    '00:AA:01:00:00:00,00:AA:01:01:00:01'
recover       EINVAL    '\x00'
recover       EINVAL    '\xff\xfe'
recover       EINVAL    'A\{4096}'                                   overlong junk
recover       EINVAL    '00:AA:01:00:00:00 \{60}'                    overlong (blanks)
recover       ENOENT    '00:AA:01:00:00:00 random'                   right address, wrong type
recover       ENOENT    '00:AA:01:01:00:01 random'
recover       ENOENT    '00:AA:01:00:00:01'
recover       ENOENT    '11:22:33:44:55:66 public'
recover       ENOENT    '00:00:00:00:00:00'
recover       ENOENT    'FF:FF:FF:FF:FF:FF'
recover       EINVAL    '00:AA:01:00:00:00\n00:AA:01:01:00:01'       two lines, would recover
recover       EINVAL    '00:AA:01:00:00:00\x00'                      would recover
recover       EINVAL    '00:AA:01:00:00:00 public\x00'               would recover
recover       EINVAL    '00:AA:01:00:00:00 public '                  would recover
# --- debugfs 6lowpan_control: connect ADDR 1|2, disconnect ADDR 0|1 ----------
dbg-control   EINVAL    ''                                           empty write
dbg-control   EINVAL    '\n'
dbg-control   EINVAL    'connect'
dbg-control   EINVAL    'connect '
dbg-control   EINVAL    'disconnect'
dbg-control   EINVAL    'disconnect '
dbg-control   EINVAL    'connect 00:AA:01:00:00:00'                  missing type
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 '
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 0'                BR/EDR type
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 3'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 255'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 256'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 -1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 public'           sysfs type word
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1 '
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1 hci1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1x'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 0x1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1\n\n'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1\r\n'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00  1'
dbg-control   EINVAL    'connect  00:AA:01:00:00:00 1'
dbg-control   EINVAL    ' connect 00:AA:01:00:00:00 1'
dbg-control   EINVAL    'Connect 00:AA:01:00:00:00 1'
dbg-control   EINVAL    'CONNECT 00:AA:01:00:00:00 1'
dbg-control   EINVAL    'connect\t00:AA:01:00:00:00 1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00\t1'
dbg-control   EINVAL    'connect 0:AA:1:0:0:0 1'                     short octets
dbg-control   EINVAL    'connect 00:AA:01:00:00 1'
dbg-control   EINVAL    'connect 00-AA-01-00-00-00 1'
dbg-control   EINVAL    'connect GG:AA:01:00:00:00 1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00:00 1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1\x00'
dbg-control   EINVAL    'connect\x00 00:AA:01:00:00:00 1'
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1 \{40}'          overlong
dbg-control   EINVAL    'connect 00:AA:01:00:00:00 1\ndisc'          two lines
dbg-control   EINVAL    'A\{33}'
dbg-control   EINVAL    'A\{4096}'
dbg-control   EINVAL    'A\{100000}'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 2'             would be type 3
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 3'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 255'           wraps to 0 when incremented
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 256'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 -1'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 public'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 0 '
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 0\n\n'
dbg-control   EINVAL    'disconnect  00:AA:01:00:00:00 0'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 0x0'
dbg-control   EINVAL    'disconnect 00:AA:01:00:00:00 0\x00'
dbg-control   EINVAL    'Disconnect 00:AA:01:00:00:00 0'
dbg-control   EINVAL    'disconnect\n00:AA:01:00:00:00 0'
dbg-control   EINVAL    'reset'
dbg-control   EINVAL    'list'
dbg-control   EINVAL    '1'
dbg-control   EINVAL    '0'
dbg-control   EINVAL    '\x00'
dbg-control   EINVAL    '\xff\xfe'
dbg-control   EALREADY  'connect 00:AA:01:00:00:00 1'
dbg-control   EALREADY  'connect 00:aa:01:00:00:00 1\n'
dbg-control   EALREADY  'connect 00:AA:01:00:00:00 01'
dbg-control   EALREADY  'connect 00:AA:01:01:00:01 1'                node side peer
dbg-control   ENOENT    'disconnect 00:AA:01:00:00:00 1'             right address, random
dbg-control   ENOENT    'disconnect 11:22:33:44:55:66 0'
dbg-control   ENOENT    'disconnect 00:AA:01:00:00:01 0'
dbg-control   ENOENT    'disconnect 00:AA:01:01:00:01 1'
dbg-control   ENOENT    'disconnect 00:00:00:00:00:00 0'
dbg-control   EINVAL    'connect 00:00:00:00:00:00 1'                would connect to BDADDR_ANY
# --- debugfs 6lowpan_enable: as upstream (u64 attribute) --------------------
dbg-enable    OK        '0x1'                                        upstream: enables (a number)
dbg-enable    OK        '2'                                          upstream: any number enables
dbg-enable    EINVAL    ''                                           empty write
dbg-enable    EINVAL    '\n'
dbg-enable    EINVAL    ' 1'
dbg-enable    EINVAL    '\t1'
dbg-enable    EINVAL    '\n1'
dbg-enable    EINVAL    '1 '
dbg-enable    EINVAL    '1\t'
dbg-enable    EINVAL    '1\r'
dbg-enable    EINVAL    '1\r\n'
dbg-enable    EINVAL    '1\n\n'
dbg-enable    EINVAL    '1 1'
dbg-enable    EINVAL    '1,1'
dbg-enable    EINVAL    '1.0'
dbg-enable    EINVAL    '1e0'
dbg-enable    EINVAL    '1junk'
dbg-enable    EINVAL    '1;'
dbg-enable    EINVAL    'x'
dbg-enable    EINVAL    'y'
dbg-enable    EINVAL    'Y'
dbg-enable    EINVAL    'yes'
dbg-enable    EINVAL    'on'
dbg-enable    EINVAL    'ON'
dbg-enable    EINVAL    't'
dbg-enable    EINVAL    'true'
dbg-enable    EINVAL    'enable'
dbg-enable    EINVAL    'one'
dbg-enable    EINVAL    '0x'
dbg-enable    EINVAL    '0xg'
dbg-enable    EINVAL    '0b1'
dbg-enable    EINVAL    '-1'
dbg-enable    EINVAL    '--1'
dbg-enable    EINVAL    '+'
dbg-enable    EINVAL    '#1'
dbg-enable    EINVAL    '"1"'
dbg-enable    EINVAL    '\x00'
dbg-enable    EINVAL    '\x001'
dbg-enable    EINVAL    '\x01'
dbg-enable    EINVAL    '\xff'
dbg-enable    EINVAL    '\x80\x80'
dbg-enable    EINVAL    '\xef\xbc\x91'                               fullwidth digit one
dbg-enable    EINVAL    'A\{5000}'                                   overlong junk
dbg-enable    EINVAL    'z\{40}'
dbg-enable    ERANGE    '18446744073709551616'                       2^64
dbg-enable    ERANGE    '0x10000000000000000'
dbg-enable    ERANGE    '99999999999999999999'
dbg-enable    OK        '10'
dbg-enable    OK        '255'
dbg-enable    OK        '4294967296'
dbg-enable    OK        '0xffffffffffffffff'
dbg-enable    OK        '+1'
dbg-enable    EINVAL    '1\x00junk'                                  NUL, then junk (upstream: OK)
dbg-enable    EINVAL    'n'                                          would disable
dbg-enable    EINVAL    'off'                                        would disable
dbg-enable    OK        '01'                                         upstream: octal 1, enables
EOF

PSM0=$(cat $SYS/psm)
ST0=$(cat $SYS/stall_timeout_ms) AR0=$(cat $SYS/auto_reconnect) RM0=$(cat $SYS/reconnect_max_ms)
BASE=$(snapshot)
CBASE=$(counters)
log "baseline state:"
echo "$BASE"
echo "$CBASE"
STATE_FAIL=""
NMIS=0
for f in $KEYS; do
	key_names "$f"
	eval "MIS_$KVAR=''; N_$KVAR=0"
done

# counters_check KEY: the counters as before KEY's writes, else a state
# change of KEY's file (and its counters the new baseline)
counters_check() {
	local c v
	c=$(counters)
	[ "$c" != "$CBASE" ] || return 0
	key_names "$1"
	v=$KVAR
	why="a write among those to $(check_of $1) changed the counters: $CBASE → $c"
	[ -n "$STATE_FAIL" ] || STATE_FAIL="$why"
	log "MISMATCH $why"
	NMIS=$((NMIS + 1))
	eval "[ -n \"\$MIS_$v\" ] || MIS_$v=\"\$why\""
	eval "C_$v=\$((\${C_$v:-0} + 1))"
	restore </dev/null
}

prev=""
exec 4</tmp/corpus
while read -r key want rest <&4; do
	case $key in '' | '#'*) continue ;; esac
	[ -z "$prev" ] || [ "$key" = "$prev" ] || counters_check "$prev"
	prev=$key
	input=${rest#\'}
	input=${input%%\'*}
	key_names "$key"
	file=$KFILE v=$KVAR
	got=$(wr "$file" "$input" </dev/null)
	snap
	after=$SNAP
	eval "N_$v=\$((N_$v + 1))"
	why=""
	[ "$got" = "$want" ] || why="input '$input' → got $got, want $want"
	if [ "$after" != "$BASE" ]; then
		d=$(state_diff "$BASE" "$after")
		why="${why:-input '$input' → got $got as wanted} but the state changed: $d"
		[ -n "$STATE_FAIL" ] || STATE_FAIL="input '$input' to $(check_of $key) changed the state: $d"
		log "state changed by '$input' ($key): $d"
		restore </dev/null
	fi
	if [ -n "$why" ]; then
		NMIS=$((NMIS + 1))
		log "MISMATCH $(check_of $key): $why"
		eval "[ -n \"\$MIS_$v\" ] || MIS_$v=\"\$why\""
		eval "C_$v=\$((\${C_$v:-0} + 1))"
	fi
done
exec 4<&-
[ -z "$prev" ] || counters_check "$prev"

for f in $KEYS; do
	key_names "$f"
	v=$KVAR
	eval "n=\$N_$v; m=\$MIS_$v; c=\${C_$v:-0}"
	log "$(check_of $f): $n writes, $c mismatches"
	if [ -z "$m" ]; then
		check_pass "$(check_of $f)"
	elif [ "$c" -gt 1 ]; then
		check_fail "$(check_of $f)" "$m (and $((c - 1)) more of $n, see the log)"
	else
		check_fail "$(check_of $f)" "$m"
	fi
done

# every writable file has rows (and every key names a writable file)
coverage() {
	local k n bad="" wk wl
	wk=$(writable_keys)
	[ -n "$wk" ] || { echo "no writable file found"; return 1; }
	wl=" $(echo $wk) "
	for k in $wk; do
		n=$(awk -v k="$k" '$1 == k' /tmp/corpus | wc -l)
		echo "$(file_of $k): $n corpus rows"
		[ "$n" -gt 0 ] || bad="$bad $(file_of $k)"
	done
	for k in $KEYS; do
		case $wl in *" $k "*) ;; *) bad="$bad $k(not a writable file)" ;; esac
	done
	[ -z "$bad" ] || { echo "writable files with no corpus rows:$bad"; return 1; }
}
check corpus-covers-writable coverage

if [ -z "$STATE_FAIL" ]; then
	check_pass state-unchanged
else
	check_fail state-unchanged "$STATE_FAIL"
fi

still_pings() {
	pair_up || { echo "pair not connected: $(cat $SYS/peers)"; return 1; }
	NODE_IF=$(netdev_of $NODE_HCI) && ROUTER_IF=$(netdev_of $ROUTER_HCI) || return 1
	ping_ok "" "$ROUTER_IF" "$NODE_LL" && ping_ok "" "$NODE_IF" "$ROUTER_LL"
}
check still-pings still_pings
