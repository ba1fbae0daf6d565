/* cmd_store.c - fairshare migrate-store FROM TO: a whole installation between a
 * SQLite file and a PostgreSQL database (either way), verified on both ends. */
#include "cli.h"
#include "options.h"

#include <string.h>
#include <sysexits.h>

int cmd_migrate_store(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs("usage: fairshare [--key KEY] migrate-store FROM TO\n\n"
		      "Copies the whole installation FROM into TO: every record, the journal,\n"
		      "the ledger, the evidence files. FROM and TO are each a SQLite file or a\n"
		      "PostgreSQL database (postgres://...); TO is a new file or an empty\n"
		      "database. The journal is verified on FROM before and on TO after, and TO\n"
		      "must end at FROM's journal head. The key file stays the one file: --key,\n"
		      "else FROM.key when FROM is a file (a PostgreSQL database needs --key).\n"
		      "Stop writers on FROM first: what they write after the copy starts is\n"
		      "not in TO.\n", stdout);
		return EX_OK;
	}
	static const struct cli_option none[] = {CLI_OPT_END()};
	int rc;
	if (cli_parse_options(argc, argv, none, "migrate-store", 2, &rc) < 0)
		return rc;
	if (!argv[0] || !argv[1])
		return cli_usage("migrate-store: give FROM and TO (e.g. fs.db postgres:///fairshare)");
	const char *from = argv[0], *to = argv[1];
	struct fs_error err = {0};
	struct fs_migrate_report rep;
	rc = fs_migrate_store(from, to, c->key, &rep, &err);
	if (rc)
		return cli_fail(&err, rc);
	printf("copied %s to %s: %lld journal entries, %lld records and files checked, %lld evidence files copied\n"
	       "journal head %s on both; verify holds on both\n", from, to, (long long)rep.entries,
	       (long long)rep.rows, (long long)rep.files, rep.head);
	return EX_OK;
}
