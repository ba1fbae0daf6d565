/* cmd_db.c - whole-database commands: init, demo, summary, verify, log. */
#include "cli.h"
#include "demo.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int no_args(int argc, char **argv, const char *help)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs(help, stdout);
		return EX_OK;
	}
	static const struct cli_option none[] = {CLI_OPT_END()};
	int rc;
	return cli_parse_options(argc, argv, none, argv[0], 0, &rc) < 0 ? rc : -1;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	int rc = no_args(argc, argv, "usage: fairshare init\n\nCreates an empty database at --db and a new key file (mode 0600)\n"
				     "beside it (DB.key, or --key). Keep the key file safe and apart from\n"
				     "backups of the database: without it sealed fields cannot be read.\n");
	if (rc >= 0)
		return rc;
	struct fs_ctx *ctx = cli_open(c, FS_INIT, 0, &rc);
	if (!ctx)
		return rc;
	fs_close(ctx);
	printf("created %s and its key file %s%s\n", c->db, c->key ? c->key : c->db, c->key ? "" : ".key");
	return EX_OK;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int rc = no_args(argc, argv, "usage: fairshare demo\n\nCreates a new database at --db filled with synthetic demo data (every\n"
				     "name and number is made up): a miners' union whose mine closed on\n"
				     "2011-08-31 with 748 workers discharged, and an oil workers' union in\n"
				     "Kazakhstan.\n");
	if (rc >= 0)
		return rc;
	struct fs_ctx *ctx = cli_open(c, FS_INIT, 0, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	int r = fs_demo(ctx, &err);
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	printf("created demo database %s\n", c->db);
	return EX_OK;
}

int cmd_summary(struct cli *c, int argc, char **argv)
{
	int rc = no_args(argc, argv, "usage: fairshare summary [--json]\n\nCounts of people, employers, workplaces and employment records per\norganization, and the journal's length and head hash.\n");
	if (rc >= 0)
		return rc;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 0, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *s;
	int r = fs_summary(ctx, &s, &err);
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (c->json) {
		cli_print_json(s);
	} else {
		printf("fairshare database %s\n", c->db);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(s, "organizations"), i, o) {
			printf("\n%s  [%s]  %s %s\n", json_string_value(json_object_get(o, "name")),
			       json_string_value(json_object_get(o, "slug")),
			       json_string_value(json_object_get(o, "country")) ? json_string_value(json_object_get(o, "country")) : "",
			       json_string_value(json_object_get(o, "currency")) ? json_string_value(json_object_get(o, "currency")) : "");
			printf("  people            %6lld\n", (long long)json_integer_value(json_object_get(o, "people")));
			printf("  employers         %6lld\n", (long long)json_integer_value(json_object_get(o, "employers")));
			printf("  workplaces        %6lld\n", (long long)json_integer_value(json_object_get(o, "workplaces")));
			printf("  employments       %6lld  (%lld active, %lld terminated)\n",
			       (long long)json_integer_value(json_object_get(o, "employments")),
			       (long long)json_integer_value(json_object_get(o, "employments_active")),
			       (long long)json_integer_value(json_object_get(o, "employments_terminated")));
			printf("  memberships       %6lld\n", (long long)json_integer_value(json_object_get(o, "memberships")));
		}
		json_t *j = json_object_get(s, "journal");
		printf("\njournal: %lld entries, head %s\n", (long long)json_integer_value(json_object_get(j, "entries")),
		       json_string_value(json_object_get(j, "head")));
	}
	json_decref(s);
	return EX_OK;
}

int cmd_verify(struct cli *c, int argc, char **argv)
{
	static const char help[] =
		"usage: fairshare verify [--json] [--checkpoint FILE...]\n\nRecomputes the journal's hash chain, compares every record with its last\n"
		"journal entry, opens every sealed field and checks the database file\n"
		"and its references. Exit 0 when all holds; otherwise 65 (EX_DATAERR)\n"
		"with each problem named, the first broken journal entry first.\n"
		"Warns (exit 0) about files other users can read and temporary files\n"
		"left by interrupted uploads.\n"
		"--checkpoint FILE...: also proves that each organization's Merkle log extends\n"
		"each signed checkpoint given (fairshare checkpoint), and names the first one it\n"
		"contradicts: entries cut, an older copy restored, or history rewritten.\n";
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs(help, stdout);
		return EX_OK;
	}
	char **cps = calloc((size_t)argc + 1, sizeof(*cps));
	if (!cps)
		return EX_OSERR;
	struct cli_list cpl = {(const char **)cps, 0, (size_t)argc};
	const struct cli_option opts[] = {
		CLI_OPT_FILES("checkpoint", &cpl, "FILE...", "signed checkpoints the log must extend"),
		CLI_OPT_END(),
	};
	int rc;
	if (cli_parse_options(argc, argv, opts, "verify", 0, &rc) < 0) {
		free(cps);
		return rc;
	}
	int ncps = (int)cpl.n;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 0, &rc);
	if (!ctx) {
		free(cps);
		return rc;
	}
	struct fs_error err = {0};
	struct fs_verify_report rep;
	int r = fs_verify(ctx, &rep, &err);
	int cprc = r && r != FS_EINTEGRITY ? EX_OK : cli_verify_checkpoints(ctx, ncps, cps);
	free(cps);
	fs_close(ctx);
	if (r && r != FS_EINTEGRITY)
		return cli_fail(&err, r);
	if (c->json) {
		json_t *j = json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:s,s:s}", "ok", !r, "entries", (json_int_t)rep.entries,
				      "records", (json_int_t)rep.rows, "problems", (json_int_t)rep.problems,
				      "warnings", (json_int_t)rep.warnings,
				      "first_bad_entry", (json_int_t)rep.first_bad_seq, "head", rep.head_hash,
				      "report", rep.text ? rep.text : "");
		cli_print_json(j);
		json_decref(j);
	} else if (!r) {
		fputs(rep.text ? rep.text : "", stderr); /* warnings: files others can read, temporaries left */
		printf("ok: %lld journal entries, %lld records, head %s\n", (long long)rep.entries, (long long)rep.rows, rep.head_hash);
	} else {
		if (rep.first_bad_seq)
			fprintf(stderr, "first broken journal entry: %lld\n", (long long)rep.first_bad_seq);
		fputs(rep.text ? rep.text : "", stderr);
		fprintf(stderr, "fairshare: verify failed: %s\n", err.message);
	}
	free(rep.text);
	return r ? EX_DATAERR : cprc;
}

int cmd_log(struct cli *c, int argc, char **argv)
{
	struct fs_log_opts o = {.limit = 100, .descending = 1};
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs("usage: fairshare log [--entity KIND] [--id N] [--person N] [--since DATE] [--until DATE]\n"
		      "                     [--limit N] [--offset N] [--oldest-first] [--json]\n\n"
		      "Lists journal entries, newest first. KIND: person, employer, workplace,\n"
		      "employment, membership, organization. --person shows every entry about\n"
		      "that person (their record, employments, memberships). With --org, only\n"
		      "that organization's entries.\n", stdout);
		return EX_OK;
	}
	int oldest = 0, prc;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("entity", &o.entity, "KIND", "one kind of record"),
		CLI_OPT_ID("id", &o.entity_id, "N", "one record (with --entity)"),
		CLI_OPT_ID("person", &o.person_id, "N", "every entry about a person"),
		CLI_OPT_STRING("since", &o.since, "DATE", "from this date"),
		CLI_OPT_STRING("until", &o.until, "DATE", "up to this date"),
		CLI_OPT_ID("limit", &o.limit, "N", "at most N entries (100)"),
		CLI_OPT_INT("offset", &o.offset, "N", "skip N entries", 0, INT64_MAX),
		CLI_OPT_FLAG("oldest-first", &oldest, "oldest first"),
		CLI_OPT_END(),
	};
	if (cli_parse_options(argc, argv, opts, "log", 0, &prc) < 0)
		return prc;
	if (oldest)
		o.descending = 0;
	int rc;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 0, &rc);
	if (!ctx)
		return rc;
	if (c->org)
		o.org_id = fs_org(ctx);
	struct fs_error err = {0};
	json_t *entries;
	int r = fs_log(ctx, &o, &entries, &err);
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (c->json) {
		cli_print_json(entries);
	} else {
		size_t i;
		json_t *e;
		json_array_foreach(entries, i, e) {
			json_t *body = json_object_get(e, "after");
			if (json_is_null(body))
				body = json_object_get(e, "before");
			const char *label = NULL;
			if (json_is_object(body)) {
				label = json_string_value(json_object_get(body, "full_name"));
				if (!label)
					label = json_string_value(json_object_get(body, "name"));
			}
			printf("%6lld  %s  %-12s %-6s %s %lld%s%s\n", (long long)json_integer_value(json_object_get(e, "seq")),
			       json_string_value(json_object_get(e, "ts")), json_string_value(json_object_get(e, "actor")),
			       json_string_value(json_object_get(e, "action")), json_string_value(json_object_get(e, "entity")),
			       (long long)json_integer_value(json_object_get(e, "entity_id")), label ? "  " : "", label ? label : "");
		}
	}
	json_decref(entries);
	return EX_OK;
}
