// SPDX-License-Identifier: GPL-2.0
/*
 * bt6ctl version [-j]: bt6ctl's version, the module's and its family's.
 */
#include <string.h>

#include "bt6ctl.h"
#include "uapi/bt6lowpan.h"

static const char synopsis[] = "[-j|--json]";
static const char help[] =
	"Shows the version of bt6ctl, of the loaded bluetooth_6lowpan module\n"
	"and of its generic netlink family (none when it is not loaded).\n"
	"  -j, --json   one JSON object\n";

static void module_version(char *out, size_t size)
{
	FILE *f = fopen("/sys/module/bluetooth_6lowpan/version", "r");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

int cmd_version(int argc, char *argv[])
{
	static const struct cmd_spec spec = {
		.synopsis = synopsis, .help = help, .json = true,
	};
	char modver[64];
	struct bt6_nl *nl;
	int family = -1, ret;

	ret = cmd_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;

	module_version(modver, sizeof(modver));
	/* a missing module is an answer here, not an error: quiet */
	nl = bt6_nl_open(NULL);
	if (nl) {
		family = bt6_nl_family_version(nl);
		bt6_nl_close(nl);
	}
	if (opt_json) {
		printf("{\"bt6ctl\":\"%s\",\"module\":", BT6CTL_VERSION);
		if (modver[0])
			json_string(stdout, modver);
		else
			fputs("null", stdout);
		if (family >= 0)
			printf(",\"family\":%d}\n", family);
		else
			puts(",\"family\":null}");
	} else {
		printf("bt6ctl %s\n", BT6CTL_VERSION);
		printf("module: %s\n", modver[0] ? modver : "not loaded");
		if (family >= 0)
			printf("netlink family: %s version %d (bt6ctl speaks %d)\n",
			       BT6LOWPAN_FAMILY_NAME, family,
			       BT6LOWPAN_FAMILY_VERSION);
		else
			printf("netlink family: none\n");
	}
	return EXIT_OK;
}
