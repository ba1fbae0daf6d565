/* cmd_backup.c - backup (plain, sealed, --verify, keygen) and restore; the work
 * is in src/core/backup.c and backup_seal.c. */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static const char backup_help[] =
	"usage: fairshare backup DEST\n"
	"       fairshare backup --seal-to RECIPIENT [--seal-to RECIPIENT...] FILE\n"
	"       fairshare backup --verify DEST\n"
	"       fairshare backup keygen SECRET_FILE\n\n"
	"backup DEST writes one consistent copy of the database to DEST and the\n"
	"evidence files it names into DEST.evidence (hash-checked), even while other\n"
	"processes use the database. Everything is written under temporary names and\n"
	"DEST appears last, once complete and checked: an interrupted backup leaves no\n"
	"DEST, and running it again finishes it. The key file is not in it.\n\n"
	"--seal-to writes ONE encrypted file instead: the database, the evidence and\n"
	"the key file, readable only with the secret key of one of the recipients\n"
	"(a public key as 64 hex characters, or the .pub file made by keygen).\n"
	"Bring it back with 'fairshare restore FILE DEST --secret-key SECRET_FILE'.\n\n"
	"--verify DEST checks a backup without opening the live database: journal,\n"
	"records, sealed fields (with --key, else DEST.key, else the database's key\n"
	"file) and evidence files. Exit 65 when it does not hold.\n\n"
	"keygen makes a recipient key pair: SECRET_FILE (mode 0600; keep it off the\n"
	"server) and SECRET_FILE.pub. See doc/backup.md.\n";

/* The result of a verify: exit code, with the report and warnings printed. */
static int report(struct cli *c, int r, const struct fs_error *err, const struct fs_verify_report *rep, const char *what,
		  const char *failed)
{
	if (r && r != FS_EINTEGRITY)
		return cli_fail(err, r);
	if (c->json) {
		json_t *j = json_pack("{s:b,s:I,s:I,s:I,s:I,s:s,s:s}", "ok", !r, "entries", (json_int_t)rep->entries,
				      "records", (json_int_t)rep->rows, "problems", (json_int_t)rep->problems,
				      "warnings", (json_int_t)rep->warnings, "head", rep->head_hash,
				      "report", rep->text ? rep->text : "");
		cli_print_json(j);
		json_decref(j);
	} else {
		fputs(rep->text ? rep->text : "", stderr);
		if (!r)
			printf("ok: %s: %lld journal entries, %lld records, head %s\n", what, (long long)rep->entries,
			       (long long)rep->rows, rep->head_hash);
		else
			fprintf(stderr, "fairshare: %s %s: %s\n", what, failed, err->message);
	}
	return r ? EX_DATAERR : EX_OK;
}

static int backup_verify(struct cli *c, const char *dest)
{
	char key[4200];
	if (c->key)
		snprintf(key, sizeof(key), "%s", c->key);
	else if (snprintf(key, sizeof(key), "%s.key", dest), access(key, F_OK) != 0)
		snprintf(key, sizeof(key), "%s.key", c->db);
	struct fs_error err = {0};
	struct fs_verify_report rep;
	int r = fs_backup_verify(dest, key, &rep, &err);
	int rc = report(c, r, &err, &rep, dest, "does not verify");
	free(rep.text);
	return rc;
}

static int keygen(const char *path)
{
	struct fs_error err = {0};
	char pk[65];
	int r = fs_backup_keygen(path, pk, &err);
	if (r)
		return cli_fail(&err, r);
	printf("%s\nsecret key written to %s (mode 0600: keep it off the server); public key to %s.pub\n", pk, path, path);
	return EX_OK;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs(backup_help, stdout);
		return EX_OK;
	}
	const char **to = calloc((size_t)argc, sizeof(*to));
	struct cli_list seal = {to, 0, (size_t)argc};
	const char *verify = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_LIST("seal-to", &seal, "RECIPIENT", "seal for this recipient's public key (or a file of it); repeatable"),
		CLI_OPT_STRING("verify", &verify, "DEST", "check a backup without opening the live database"),
		CLI_OPT_END(),
	};
	int rc, npos = to ? cli_parse_options(argc, argv, opts, "backup", 2, &rc) : -1;
	if (!to)
		return EX_OSERR;
	if (npos < 0) {
		free(to);
		return rc;
	}
	size_t nto = seal.n;
	int keygen_cmd = npos == 2 && !strcmp(argv[0], "keygen");
	if ((verify || keygen_cmd) && (nto || npos != (keygen_cmd ? 2 : 0))) {
		free(to);
		return cli_opt_error("backup", "backup --verify DEST and backup keygen FILE take nothing else");
	}
	if (verify || keygen_cmd) {
		free(to);
		return verify ? backup_verify(c, verify) : keygen(argv[1]);
	}
	const char *dest = npos == 1 ? argv[0] : NULL;
	if (!dest) {
		free(to);
		return cli_usage("backup needs one destination: backup DEST, backup --seal-to RECIPIENT FILE, "
				 "backup --verify DEST or backup keygen FILE");
	}
	struct fs_ctx *ctx = cli_open(c, FS_ASIS, 0, &rc); /* a read, and as it is: an older schema is copied unmigrated (a rollback point) */
	if (!ctx) {
		free(to);
		return rc;
	}
	char key[4200];
	snprintf(key, sizeof(key), "%s%s", c->key ? c->key : c->db, c->key ? "" : ".key");
	struct fs_error err = {0};
	int r = nto ? fs_backup_seal(ctx, key, dest, to, nto, &err) : fs_backup(ctx, dest, &err);
	fs_close(ctx);
	free(to);
	if (r)
		return cli_fail(&err, r);
	if (nto)
		printf("sealed backup written to %s for %zu recipient%s (database, evidence and key file)\n", dest, nto,
		       nto == 1 ? "" : "s");
	else
		printf("backup written to %s (the key file is not in it)\n", dest);
	return EX_OK;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	const char *file = NULL, *dest = NULL, *secret = NULL;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs("usage: fairshare restore FILE DEST --secret-key SECRET_FILE\n\n"
			      "Opens the sealed backup FILE with a recipient's secret key and writes the\n"
			      "database DEST, its key file DEST.key and its evidence DEST.evidence (none\n"
			      "may exist), after verifying them. An altered or damaged FILE is refused\n"
			      "and nothing is written. See doc/backup.md.\n", stdout);
			return EX_OK;
		}
	}
	const struct cli_option opts[] = {
		CLI_OPT_STRING("secret-key", &secret, "SECRET_FILE", "the recipient's secret key"),
		CLI_OPT_END(),
	};
	int rc, npos = cli_parse_options(argc, argv, opts, "restore", 2, &rc);
	if (npos < 0)
		return rc;
	file = npos > 0 ? argv[0] : NULL;
	dest = npos > 1 ? argv[1] : NULL;
	if (!file || !dest || !secret)
		return cli_usage("restore needs FILE, DEST and --secret-key SECRET_FILE");
	struct fs_error err = {0};
	struct fs_verify_report rep;
	int r = fs_backup_restore(file, secret, dest, &rep, &err);
	rc = report(c, r, &err, &rep, file, "is refused, nothing was restored");
	free(rep.text);
	if (!r && !c->json)
		printf("restored %s, %s.key and %s.evidence from %s\n", dest, dest, dest, file);
	return rc;
}
