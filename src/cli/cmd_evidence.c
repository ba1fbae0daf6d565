/* cmd_evidence.c - evidence files: add, show (with custody log), export, verify;
 * list and edit are the generic record commands. */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int evidence_help(FILE *out)
{
	fputs("usage: fairshare evidence add FILE [--captured-on DATE] [--handling LEVEL]\n"
	      "                           [--description TEXT] [--provided-by TEXT] [--filename NAME]\n"
	      "       fairshare evidence show ID [--reveal]\n"
	      "       fairshare evidence export ID DEST\n"
	      "       fairshare evidence verify\n"
	      "       fairshare evidence list | edit ID --FIELD VALUE ...\n\n"
	      "add copies FILE into the evidence folder beside the database (DB.evidence),\n"
	      "named by its SHA-256; the same content twice is one record. Every add, show,\n"
	      "export and verify is written to the item's hash-chained custody log.\n"
	      "verify re-hashes every file and names the missing or altered ones (exit 65);\n"
	      "'fairshare verify' checks them too. LEVEL: public, internal, restricted, sealed.\n", out);
	return out == stdout ? EX_OK : EX_USAGE;
}

int cmd_evidence(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1]))
		return evidence_help(argc < 2 ? stderr : stdout);
	const char *sub = argv[1];
	if (!strcmp(sub, "list") || !strcmp(sub, "edit") || !strcmp(sub, "remove"))
		return cmd_entity(c, argc, argv);
	struct cli_fields f = {0};
	const char *file = NULL, *dest = NULL;
	int64_t id = 0;
	int reveal = 0, prc;
	char cmdname[40];
	snprintf(cmdname, sizeof(cmdname), "evidence %.20s", sub);
	char **pos = argv + 1; /* the arguments after the subcommand */
	if (!strcmp(sub, "add")) {
		const struct cli_option opts[] = {CLI_OPT_FIELDS(&f, "the evidence item's fields (--handling LEVEL, ...)"),
						  CLI_OPT_END()};
		if (cli_parse_options(argc - 1, pos, opts, cmdname, 1, &prc) < 0)
			return prc;
		if (!(file = pos[0]))
			return cli_usage("evidence add FILE [--handling LEVEL] ...");
	} else if (!strcmp(sub, "show")) {
		const struct cli_option opts[] = {CLI_OPT_FLAG("reveal", &reveal, "show sealed fields"), CLI_OPT_END()};
		if (cli_parse_options(argc - 1, pos, opts, cmdname, 1, &prc) < 0)
			return prc;
		if (!pos[0] || cli_parse_id(pos[0], &id))
			return cli_usage("evidence show needs the evidence id (a number)");
	} else if (!strcmp(sub, "export") || !strcmp(sub, "verify")) {
		static const struct cli_option none[] = {CLI_OPT_END()};
		int want = !strcmp(sub, "export") ? 2 : 0;
		if (cli_parse_options(argc - 1, pos, none, cmdname, want, &prc) < 0)
			return prc;
		if (want && (!pos[0] || !pos[1] || cli_parse_id(pos[0], &id)))
			return cli_usage("evidence export ID DEST");
		dest = want ? pos[1] : NULL;
	} else {
		return cli_usage("'%s' is not an evidence command (add, show, export, verify, list, edit)", sub);
	}
	int rc;
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *out = NULL;
	int r;
	if (!strcmp(sub, "add")) {
		r = fs_evidence_add(ctx, file, f.kv, f.n, &out, &err);
		if (!r && !c->json)
			printf("%s evidence %lld: %s (%lld bytes, SHA-256 %s)\n",
			       json_is_true(json_object_get(out, "existed")) ? "already recorded as" : "added as",
			       (long long)json_integer_value(json_object_get(out, "id")), file,
			       (long long)json_integer_value(json_object_get(out, "size")),
			       json_string_value(json_object_get(out, "sha256")));
	} else if (!strcmp(sub, "show")) {
		r = fs_evidence_show(ctx, id, reveal ? FS_REVEAL : 0, &out, &err);
		if (!r && !c->json) {
			const char *k;
			json_t *v;
			json_object_foreach(out, k, v) {
				if (!strcmp(k, "custody"))
					continue;
				char *s = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
				printf("%-12s %s\n", k, s ? s : json_string_value(v));
				free(s);
			}
			printf("custody:\n");
			size_t i;
			json_array_foreach(json_object_get(out, "custody"), i, v) {
				const char *d = json_string_value(json_object_get(v, "detail"));
				printf("  %s  %-9s %s%s%s\n", json_string_value(json_object_get(v, "at")),
				       json_string_value(json_object_get(v, "event")), json_string_value(json_object_get(v, "by")),
				       d ? "  " : "", d ? d : "");
			}
		}
	} else if (!strcmp(sub, "export")) {
		r = fs_evidence_export(ctx, id, dest, &err);
		if (!r)
			printf("evidence %lld exported to %s (hash checked)\n", (long long)id, dest);
	} else {
		r = fs_evidence_verify(ctx, &out, &err);
		if (!r && !c->json) {
			fputs(json_string_value(json_object_get(out, "report")), stdout);
			printf("%lld files checked, %lld intact, %lld problems\n",
			       (long long)json_integer_value(json_object_get(out, "files")),
			       (long long)json_integer_value(json_object_get(out, "ok")),
			       (long long)json_integer_value(json_object_get(out, "problems")));
		}
	}
	fs_close(ctx);
	if (r) {
		json_decref(out);
		return cli_fail(&err, r);
	}
	if (c->json)
		cli_print_json(out);
	int bad = out && json_integer_value(json_object_get(out, "problems")) > 0;
	json_decref(out);
	return bad ? EX_DATAERR : EX_OK;
}
