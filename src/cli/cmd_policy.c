/* cmd_policy.c - fairshare policy: the capability table the core decides with
 * (roles, capabilities, handling levels, the writer of each kind of record), as
 * JSON. Needs no database: the policy matrix test is generated from it. */
#include "cli.h"
#include "options.h"

#include <string.h>
#include <sysexits.h>

#include "../core/policy.h"

int cmd_policy(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc > 1 && cli_is_help(argv[1])) {
		puts("usage: fairshare policy [--json]\n\n"
		     "Prints the capability table: which role holds which capability, the capability\n"
		     "that reads each handling level and the one that writes each kind of record.");
		return 0;
	}
	static const struct cli_option none[] = {CLI_OPT_END()}; /* --json is global */
	int rc;
	if (cli_parse_options(argc, argv, none, "policy", 0, &rc) < 0)
		return rc;
	json_t *t = fs_capability_table();
	if (t)
		json_object_set_new(t, "entities", fs_entity_policy());
	if (!t) {
		fputs("fairshare: out of memory\n", stderr);
		return EX_SOFTWARE;
	}
	cli_print_json(t);
	json_decref(t);
	return 0;
}
