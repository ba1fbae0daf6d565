/* cmd_io.c - import people FILE.csv, export people. */
#include "cli.h"
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "util/private.h"

#define MAX_MAPS 64

static int import_help(void)
{
	fputs("usage: fairshare import people FILE.csv [--map COLUMN=FIELD ...] [--dry-run]\n"
	      "                                [--encoding ENC] [--separator auto|comma|semicolon|tab]\n"
	      "                                [--skip-invalid --rejects REJECTS.csv] [--json]\n\n"
	      "Imports people (and optionally one employment record each) from a CSV file\n"
	      "(RFC 4180; CRLF or LF are fine). The first line names the columns. The file is\n"
	      "UTF-8, or UTF-16 with a byte-order mark (Excel's \"Unicode text\"), or the 8-bit\n"
	      "encoding --encoding names (windows-1254, windows-1251, iso-8859-9, koi8-r,\n"
	      "cp866, rk1048, any iconv name); a file that is not UTF-8 is refused with the\n"
	      "encodings that would read it. The separator (, ; or tab) is the one the first\n"
	      "line uses, unless --separator says. Empty columns without a name are skipped.\n"
	      "All or nothing: if any row is invalid, nothing is stored and every bad row is\n"
	      "reported with its line, column and reason. With --skip-invalid the valid rows\n"
	      "are stored and the rejected ones written to --rejects with an import_error column.\n"
	      "People already in the database (same fairshare_id, else national ID, else\n"
	      "external_id) are updated, not added twice.\n\nFields and the column names understood for them:\n", stdout);
	static const char *const names[] = {"fairshare_id", "external_id", "full_name", "national_id", "birth_date", "phone", "address",
					    "workplace", "job_title", "hired", "terminated", "termination_reason", "wage",
					    "benefits", "currency", "underground", "notice_served", "accruals_12m",
					    "days_worked_12m", "unused_leave_days"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *const *al = fs_import_aliases(names[i]);
		printf("  %-19s", names[i]);
		for (size_t k = 1; al && al[k]; k++)
			printf("%s%s", k > 1 ? ", " : "", al[k]);
		putchar('\n');
	}
	fputs("\nOther columns: --map 'COLUMN=FIELD', or --map 'COLUMN=-' to ignore one.\n"
	      "A rejects file imports again as it is: its import_error column is ignored.\n"
	      "workplace takes a workplace id or its exact name; employment columns need hired.\n", stdout);
	return EX_OK;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	const char *file = NULL, *rejects = NULL, *encoding = NULL;
	char sep = 0;
	struct fs_kv map[MAX_MAPS];
	char *mapbuf[MAX_MAPS];
	size_t nmap = 0;
	int skip = 0, dry = 0, rc_early = 0;
	const char *sep_s = NULL, *maps[MAX_MAPS];
	struct cli_list ml = {maps, 0, MAX_MAPS};
	if (argc > 1 && cli_is_help(argv[1]))
		return import_help();
	if (argc < 2 || strcmp(argv[1], "people") != 0)
		return cli_usage("import: say what to import: 'fairshare import people FILE.csv'");
	for (int i = 2; i < argc; i++)
		if (cli_is_help(argv[i]))
			return import_help();
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("skip-invalid", &skip, "store the valid rows, write the others to --rejects"),
		CLI_OPT_FLAG("dry-run", &dry, "check everything, store nothing"),
		CLI_OPT_STRING("encoding", &encoding, "ENC", "the file's 8-bit encoding"),
		CLI_OPT_STRING("separator", &sep_s, "auto|comma|semicolon|tab", "the separator"),
		CLI_OPT_STRING("rejects", &rejects, "FILE", "the rows left out, with their reason"),
		CLI_OPT_LIST("map", &ml, "COLUMN=FIELD", "a column's field (COLUMN=- to ignore it); repeatable"),
		CLI_OPT_END(),
	};
	int prc, npos = cli_parse_options(argc - 1, argv + 1, opts, "import people", 1, &prc);
	if (npos < 0)
		return prc;
	file = npos ? argv[1] : NULL;
	struct fs_error serr = {0};
	if (sep_s && fs_import_separator(sep_s, &sep, &serr))
		rc_early = cli_usage("--separator: %s", serr.message);
	for (size_t k = 0; k < ml.n && !rc_early; k++) {
		const char *m = maps[k];
		const char *eq = strrchr(m, '=');
		if (!eq || !eq[1]) { /* '=-': the column without a name */
			rc_early = cli_usage("--map takes COLUMN=FIELD (or COLUMN=- to ignore the column)");
			break;
		}
		mapbuf[nmap] = strndup(m, (size_t)(eq - m));
		map[nmap].key = mapbuf[nmap];
		map[nmap].value = eq + 1;
		nmap++;
	}
	int rc = EX_USAGE;
	if (rc_early)
		goto out;
	if (!file) {
		rc = cli_usage("import people: name the CSV file");
		goto out;
	}
	if (rejects && !skip) {
		rc = cli_usage("--rejects goes with --skip-invalid");
		goto out;
	}
	if (skip && !rejects) {
		rc = cli_usage("--skip-invalid needs --rejects FILE for the rows it leaves out");
		goto out;
	}
	FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!in) {
		fprintf(stderr, "fairshare: cannot open %s: %s\n", file, strerror(errno));
		rc = EX_NOINPUT;
		goto out;
	}
	FILE *rej = NULL;
	if (rejects && !(rej = fs_private_fopen(rejects))) {
		fprintf(stderr, "fairshare: cannot create %s: %s\n", rejects, strerror(errno));
		if (in != stdin)
			fclose(in);
		rc = EX_CANTCREAT;
		goto out;
	}
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (ctx) {
		struct fs_import_opts o = {in, file, map, nmap, skip, rej, dry, 0, encoding, sep};
		struct fs_import_report rep;
		struct fs_error err = {0};
		int r = fs_import_people(ctx, &o, &rep, &err);
		fs_close(ctx);
		if (c->json) {
			json_t *errs = json_array();
			for (size_t k = 0; k < rep.errors_kept; k++)
				json_array_append_new(errs, json_pack("{s:I,s:i,s:s,s:s}", "line", (json_int_t)rep.errors[k].line,
								      "column", rep.errors[k].column, "field", rep.errors[k].field,
								      "message", rep.errors[k].message));
			char sepname[2] = {rep.separator, 0};
			json_t *j = json_pack("{s:b,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:s,s:s,s:s,s:s}", "ok", r == 0, "dry_run", dry,
					      "rows", (json_int_t)rep.rows, "inserted", (json_int_t)rep.inserted,
					      "updated", (json_int_t)rep.updated, "unchanged", (json_int_t)rep.unchanged,
					      "rejected", (json_int_t)rep.rejected, "employments_inserted", (json_int_t)rep.employments_inserted,
					      "employments_updated", (json_int_t)rep.employments_updated, "errors_total", (json_int_t)rep.nerrors,
					      "errors", errs, "message", r ? err.message : "", "encoding", rep.encoding,
					      "separator", sepname, "suggested_encodings", rep.suggested);
			cli_print_json(j);
			json_decref(j);
		} else {
			for (size_t k = 0; k < rep.errors_kept; k++) {
				const struct fs_import_row_error *e = &rep.errors[k];
				if (e->column)
					fprintf(stderr, "%s: line %ld, column %d (%s): %s\n", file, e->line, e->column, e->field, e->message);
				else
					fprintf(stderr, "%s: line %ld: %s%s%s\n", file, e->line, e->field[0] ? e->field : "",
						e->field[0] ? ": " : "", e->message);
			}
			if ((size_t)rep.nerrors > rep.errors_kept)
				fprintf(stderr, "... and %ld more errors\n", rep.nerrors - (long)rep.errors_kept);
			if (!r || (skip && r == 0))
				printf("%s%ld rows: %ld added, %ld updated, %ld unchanged, %ld rejected; employments: %ld added, %ld updated"
				       "%s%s%s%s\n",
				       dry ? "dry run (nothing stored): " : "", rep.rows, rep.inserted, rep.updated, rep.unchanged,
				       rep.rejected, rep.employments_inserted, rep.employments_updated,
				       strcmp(rep.encoding, "UTF-8") ? " (read as " : "", strcmp(rep.encoding, "UTF-8") ? rep.encoding : "",
				       strcmp(rep.encoding, "UTF-8") ? ")" : "",
				       rep.separator == ';' ? " (separated by ';')" : rep.separator == '\t' ? " (separated by tabs)" : "");
		}
		if (getenv("FAIRSHARE_IMPORT_STATS")) /* for the tests: which thread sealed the new rows */
			fprintf(stderr, "import: %ld sealed ahead, %ld sealed again\n", rep.sealed_ahead, rep.sealed_again);
		fs_import_report_done(&rep);
		rc = r ? (c->json ? cli_exit_code(r) : cli_fail(&err, r)) : EX_OK;
	}
	if (in != stdin)
		fclose(in);
	if (rej && fclose(rej) != 0 && rc == EX_OK) {
		fprintf(stderr, "fairshare: cannot write %s\n", rejects);
		rc = EX_IOERR;
	}
out:
	for (size_t k = 0; k < nmap; k++)
		free(mapbuf[k]);
	return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	enum fs_export_format fmt = c->json ? FS_EXPORT_JSON : FS_EXPORT_CSV;
	const char *output = NULL;
	int reveal = 0, pub = 0;
	static const char *const record[] = {"incidents", "violations", "assessments", "legal_cases", "reports", "detentions",
					     "actions", "action_stages", "demands", "hearings", "citations", "evidence",
					     "person_links", NULL};
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs("usage: fairshare export people [--format csv|json] [--output FILE] [--reveal]\n"
		      "       fairshare export RECORD [--format csv|json] [--output FILE] [--public | --reveal]\n\n"
		      "Writes the organization's people as CSV (re-importable; cells that a spreadsheet\n"
		      "would run as formulas get a leading ') or JSON. Sealed fields (national ID, birth\n"
		      "date, phone, address) are included only with --reveal.\n"
		      "RECORD is one of the record's collections: incidents, violations, assessments,\n"
		      "legal_cases, reports, detentions, actions, action_stages, demands, hearings,\n"
		      "citations, evidence, person_links. --public writes public records only and\n"
		      "never a sealed field (for publishing); --reveal adds the sealed fields.\n", stdout);
		return EX_OK;
	}
	const struct fs_entity *what = NULL;
	for (size_t i = 0; argc > 1 && record[i]; i++)
		if (!strcmp(argv[1], record[i]))
			what = fs_entity_find(record[i]);
	if (argc < 2 || (strcmp(argv[1], "people") != 0 && !what))
		return cli_usage("export: say what to export: people, or one of the record's collections "
				 "(incidents, violations, actions, ...; see 'fairshare export --help')");
	const char *format = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("format", &format, "csv|json", "the output's format (csv)"),
		CLI_OPT_STRING("output", &output, "FILE", "write to FILE (created private) instead of standard output"),
		CLI_OPT_FLAG("reveal", &reveal, "include sealed fields (journaled)"),
		CLI_OPT_FLAG("public", &pub, "public records only (the record's collections)"),
		CLI_OPT_END(),
	};
	char cmdname[48];
	snprintf(cmdname, sizeof(cmdname), "export %s", argv[1]);
	int prc;
	if (cli_parse_options(argc - 1, argv + 1, opts, cmdname, 0, &prc) < 0)
		return prc;
	if (format && strcmp(format, "csv") == 0)
		fmt = FS_EXPORT_CSV;
	else if (format && strcmp(format, "json") == 0)
		fmt = FS_EXPORT_JSON;
	else if (format)
		return cli_usage("--format is csv or json");
	if (pub && !what)
		return cli_usage("export people: --public is for the record's collections (people have no handling level)");
	if (pub && reveal)
		return cli_usage("export: --public and --reveal exclude each other");
	int rc;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	FILE *out = stdout;
	if (output && !(out = fs_private_fopen(output))) {
		fprintf(stderr, "fairshare: cannot create %s: %s\n", output, strerror(errno));
		fs_close(ctx);
		return EX_CANTCREAT;
	}
	struct fs_error err = {0};
	unsigned flags = (reveal ? FS_REVEAL : 0) | (pub ? FS_PUBLIC_ONLY : 0);
	int r = what ? fs_export_records(ctx, what, out, fmt, flags, &err) : fs_export_people(ctx, out, fmt, flags, &err);
	fs_close(ctx);
	if (out != stdout && fclose(out) != 0 && !r)
		r = fs_fail(&err, FS_EIO, NULL, "cannot write %s", output);
	return r ? cli_fail(&err, r) : EX_OK;
}
