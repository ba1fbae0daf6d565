/* cmd_evidence.c - evidence files: add, show (with custody log), export, verify;
 * list and edit are the generic record commands. */
#include "cli.h"

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
	struct fs_kv kv[8];
	char names[8][32];
	size_t nkv = 0;
	const char *file = NULL;
	int64_t id = 0;
	int reveal = 0;
	if (!strcmp(sub, "add")) {
		for (int i = 2; i < argc; i++) {
			if (strncmp(argv[i], "--", 2)) {
				if (file)
					return cli_usage("evidence add takes one FILE at a time ('%s' is a second)", argv[i]);
				file = argv[i];
				continue;
			}
			if (i + 1 >= argc)
				return cli_usage("evidence add: %s needs a value", argv[i]);
			if (nkv == 8)
				return cli_usage("evidence add: too many fields");
			snprintf(names[nkv], sizeof(names[0]), "%s", argv[i] + 2);
			for (char *p = names[nkv]; *p; p++)
				if (*p == '-')
					*p = '_';
			kv[nkv] = (struct fs_kv){names[nkv], argv[++i]};
			nkv++;
		}
		if (!file)
			return cli_usage("evidence add FILE [--handling LEVEL] ...");
	} else if (!strcmp(sub, "show")) {
		for (int i = 3; i < argc; i++)
			if (!strcmp(argv[i], "--reveal"))
				reveal = 1;
			else
				return cli_usage("evidence show ID [--reveal]");
		if (argc < 3 || cli_parse_id(argv[2], &id))
			return cli_usage("evidence show needs the evidence id (a number)");
	} else if (!strcmp(sub, "export")) {
		if (argc != 4 || cli_parse_id(argv[2], &id))
			return cli_usage("evidence export ID DEST");
	} else if (strcmp(sub, "verify") || argc != 2) {
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
		r = fs_evidence_add(ctx, file, kv, nkv, &out, &err);
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
		r = fs_evidence_export(ctx, id, argv[3], &err);
		if (!r)
			printf("evidence %lld exported to %s (hash checked)\n", (long long)id, argv[3]);
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
