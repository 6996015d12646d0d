// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl recover ADDR [public|random].
 */
#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "ADDR [public|random]";
static const char help[] =
	"Resets the link of peer ADDR now (type public by default), as a stall\n"
	"would; a peer this host connected to is then reconnected.\n";

int cmd_recover(int argc, char *argv[])
{
	return peer_request(argc, argv, BT6LOWPAN_CMD_PEER_RECOVER, synopsis, help);
}
