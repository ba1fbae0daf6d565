/* cmd_store.c - fairshare migrate-store FROM TO: a whole installation between a
 * SQLite file and a PostgreSQL database (either way), verified on both ends. */
#include "cli.h"

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
	if (argc != 3)
		return cli_usage("migrate-store: give FROM and TO (e.g. fs.db postgres:///fairshare)");
	struct fs_error err = {0};
	struct fs_migrate_report rep;
	int rc = fs_migrate_store(argv[1], argv[2], c->key, &rep, &err);
	if (rc)
		return cli_fail(&err, rc);
	printf("copied %s to %s: %lld journal entries, %lld records and files checked, %lld evidence files copied\n"
	       "journal head %s on both; verify holds on both\n", argv[1], argv[2], (long long)rep.entries,
	       (long long)rep.rows, (long long)rep.files, rep.head);
	return EX_OK;
}
