/* cmd_claims.c - entitle (one case, nothing stored), claims compute, watch and
 * statement. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "util/money.h"

static int entitle_help(void)
{
	fputs("usage: fairshare entitle --jurisdiction TR|KZ --hired DATE --terminated DATE --reason R --wage AMOUNT\n"
	      "         [--benefits AMOUNT] [--unused-leave-days N] [--unpaid-months N] [--overtime-hours N]\n"
	      "         [--underground] [--notice-served] [--age N] [--as-of DATE]\n"
	      "         [--accruals-12m AMOUNT] [--days-worked N] [--period-working-days N]   (KZ)\n"
	      "         [--convention NAME=VALUE] [--lang en|tr|ru|kk] [--json]\n\n"
	      "Computes what a dismissed worker is owed under the jurisdiction's rule set\n"
	      "(rules/*.json) and explains every step with the law article. Nothing is stored.\n"
	      "Amounts are gross, in the jurisdiction's currency; --json gives them in minor units.\n"
	      "Reasons, TR: closure, dismissal, misconduct_dismissal, just_cause_resignation,\n"
	      "resignation, retirement, military_service, marriage, death. KZ: liquidation,\n"
	      "staff_reduction, reduced_output, employer_breach, resignation, agreement,\n"
	      "contract_expiry, misconduct_dismissal, retirement, death, other.\n"
	      "Conventions, TR: service_counting=calendar_inclusive|days_365,\n"
	      "notice_band_boundary=inclusive|exclusive, overtime_divisor, overtime_multiplier.\n"
	      "KZ: average_wage_method=accruals_div_12|daily_average, penalty_day_count=365|360,\n"
	      "penalty_rate_day=payment_day|each_period, payment_due_working_days.\n"
	      "KZ: --days-worked is the days actually worked in the 12 months before the\n"
	      "termination (Order 908); without it the leave's daily wage uses the year's\n"
	      "working-time balance, with a warning.\n", stdout);
	return EX_OK;
}

/* label padded to width characters (not bytes), then the amount */
static void amount_row(const char *label, int64_t minor, const char *cur)
{
	char m[32];
	fs_money_format(minor, 2, m);
	size_t w = cli_width(label);
	printf("  %s", label);
	for (size_t i = w; i < 40; i++)
		putchar(' ');
	printf(" %14s %s\n", m, cur);
}

static void print_entitlement(json_t *r)
{
	const char *cur = json_string_value(json_object_get(r, "currency"));
	json_t *labels = json_object_get(r, "labels");
#define LABEL(id) (json_string_value(json_object_get(labels, id)) ? json_string_value(json_object_get(labels, id)) : (id))
	printf("%s rules %s\n\n", json_string_value(json_object_get(r, "jurisdiction")),
	       json_string_value(json_object_get(r, "rules_version")));
	size_t i;
	json_t *s;
	const char *last = "";
	json_array_foreach(json_object_get(r, "steps"), i, s) {
		const char *comp = json_string_value(json_object_get(s, "component"));
		const char *law = json_string_value(json_object_get(s, "law"));
		if (strcmp(comp, last)) {
			printf("%s%s%s%s\n", i ? "\n" : "", LABEL(comp), law ? "  — " : "", law ? law : "");
			last = comp;
		}
		printf("  %s\n", json_string_value(json_object_get(s, "text")));
	}
	printf("\n");
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(r, "components"), k, v) {
		amount_row(LABEL(k), json_integer_value(v), cur);
	}
	amount_row(LABEL("total"), json_integer_value(json_object_get(r, "total")), cur);
#undef LABEL
	json_array_foreach(json_object_get(r, "warnings"), i, v) {
		if (!i)
			printf("\n");
		printf("warning: %s\n", json_string_value(v));
	}
}

int cmd_entitle(struct cli *c, int argc, char **argv)
{
	struct fs_entitle_in in;
	struct fs_error err = {0};
	const char *lang = "en";
	fs_entitle_init(&in);
	int rc = EX_OK;
	for (int i = 1; i < argc && rc == EX_OK; i++) {
		const char *a = argv[i];
		if (cli_is_help(a)) {
			fs_entitle_done(&in);
			return entitle_help();
		}
		if (strncmp(a, "--", 2) != 0) {
			rc = cli_usage("entitle: unexpected argument '%s'", a);
			break;
		}
		char key[48];
		snprintf(key, sizeof(key), "%s", a + 2);
		char *eq = strchr(key, '=');
		const char *v = NULL;
		if (eq) {
			*eq = '\0';
			v = strchr(a, '=') + 1;
		}
		int flag = !strcmp(key, "underground") || !strcmp(key, "notice-served") || !strcmp(key, "notice_served");
		if (!v && flag)
			v = "yes";
		if (!v && i + 1 < argc)
			v = argv[++i];
		if (!v) {
			rc = cli_usage("entitle: --%s needs a value", key);
			break;
		}
		if (!strcmp(key, "lang")) {
			lang = v;
			continue;
		}
		int r = fs_entitle_set(&in, key, v, &err);
		if (r)
			rc = cli_fail(&err, r);
	}
	json_t *out = NULL;
	if (rc == EX_OK) {
		int r = fs_entitle(&in, lang, &out, &err);
		if (r)
			rc = cli_fail(&err, r);
	}
	fs_entitle_done(&in);
	if (rc != EX_OK)
		return rc;
	if (c->json)
		cli_print_json(out);
	else
		print_entitlement(out);
	json_decref(out);
	return EX_OK;
}

/* Options of the form --name VALUE; returns the index after them or -1. */
static int take_opts(int argc, char **argv, int from, const char *const *names, const char **values, int *flags,
		     const char *const *flag_names)
{
	for (int i = from; i < argc; i++) {
		int hit = 0;
		for (int k = 0; names[k]; k++) {
			if (!strcmp(argv[i] + (strncmp(argv[i], "--", 2) ? 0 : 2), names[k]) && !strncmp(argv[i], "--", 2)) {
				if (i + 1 >= argc)
					return cli_usage("--%s needs a value", names[k]), -1;
				values[k] = argv[++i];
				hit = 1;
			}
		}
		for (int k = 0; flag_names && flag_names[k] && !hit; k++)
			if (!strncmp(argv[i], "--", 2) && !strcmp(argv[i] + 2, flag_names[k]))
				flags[k] = hit = 1;
		if (!hit)
			return cli_usage("unexpected argument '%s'", argv[i]), -1;
	}
	return 0;
}

static int parse_as_of(const char *s, fs_date *out)
{
	struct fs_error err = {0};
	*out = fs_date_today();
	if (s && fs_date_parse(s, out, &err, "as-of"))
		return cli_fail(&err, FS_EINVAL);
	return EX_OK;
}

static void money_line(const char *label, int64_t minor, const char *cur)
{
	char m[32];
	fs_money_format(minor, 2, m);
	printf("  %-26s %16s %s\n", label, m, cur);
}

static int claims_compute(struct cli *c, int argc, char **argv)
{
	static const char *const names[] = {"workplace", "reason", "terminated", "as-of", NULL};
	static const char *const flag_names[] = {"apply", NULL};
	const char *v[4] = {0};
	int flags[1] = {0};
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs("usage: fairshare claims compute --workplace ID [--reason R] [--terminated DATE] [--apply] [--json]\n\n"
		      "Computes the claims of every worker of a workplace from their employment\n"
		      "records with the organization's rule set, in one transaction. --reason and\n"
		      "--terminated stand for every worker (e.g. a closure). Running it again with the\n"
		      "same rules changes nothing; when the rules or the records changed it lists the\n"
		      "differences and changes the claims only with --apply. If any worker cannot be\n"
		      "computed (no wage, no reason ...), nothing is stored and every one is listed.\n", stdout);
		return EX_OK;
	}
	if (take_opts(argc, argv, 1, names, v, flags, flag_names))
		return EX_USAGE;
	int64_t wp = 0;
	if (!v[0] || cli_parse_id(v[0], &wp))
		return cli_usage("claims compute needs --workplace ID");
	struct fs_compute_opts o = {.workplace_id = wp, .reason = v[1], .terminated = v[2], .apply = flags[0]};
	int rc = parse_as_of(v[3], &o.as_of);
	if (rc)
		return rc;
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *rep = NULL;
	int r = fs_claims_compute(ctx, &o, &rep, &err);
	fs_close(ctx);
	if (!rep)
		return cli_fail(&err, r);
	if (c->json) {
		cli_print_json(rep);
	} else {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(rep, "errors"), i, e)
			fprintf(stderr, "employment %lld (person %lld): %s: %s\n", (long long)json_integer_value(json_object_get(e, "employment_id")),
				(long long)json_integer_value(json_object_get(e, "person_id")), json_string_value(json_object_get(e, "field")),
				json_string_value(json_object_get(e, "message")));
		json_array_foreach(json_object_get(rep, "differences"), i, e) {
			char o1[32], n1[32];
			fs_money_format(json_integer_value(json_object_get(e, "old_minor")), 2, o1);
			fs_money_format(json_integer_value(json_object_get(e, "new_minor")), 2, n1);
			printf("claim %lld (person %lld) %s: %s -> %s (%s -> %s)\n", (long long)json_integer_value(json_object_get(e, "claim_id")),
			       (long long)json_integer_value(json_object_get(e, "person_id")), json_string_value(json_object_get(e, "kind")), o1, n1,
			       json_string_value(json_object_get(e, "old_rules_version")), json_string_value(json_object_get(e, "new_rules_version")));
		}
		printf("%s: %lld employments (%lld still employed, skipped); claims: %lld created, %lld unchanged, %lld differ, %lld changed\n",
		       json_string_value(json_object_get(rep, "rules_version")), (long long)json_integer_value(json_object_get(rep, "employments")),
		       (long long)json_integer_value(json_object_get(rep, "skipped_active")), (long long)json_integer_value(json_object_get(rep, "created")),
		       (long long)json_integer_value(json_object_get(rep, "unchanged")), (long long)json_integer_value(json_object_get(rep, "changed")),
		       (long long)json_integer_value(json_object_get(rep, "applied")));
		if (json_integer_value(json_object_get(rep, "changed")) && !flags[0])
			printf("nothing was changed: run again with --apply to apply the differences\n");
	}
	json_decref(rep);
	return r ? cli_fail(&err, r) : EX_OK;
}

int cmd_claims(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "compute"))
		return claims_compute(c, argc - 1, argv + 1);
	return cmd_entity(c, argc, argv);
}

int cmd_watch(struct cli *c, int argc, char **argv)
{
	static const char *const names[] = {"workplace", "as-of", NULL};
	const char *v[2] = {0};
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs("usage: fairshare watch [--workplace ID] [--as-of DATE] [--json]\n\n"
		      "The watch: how many workers are paid in full, partly, or not at all; what is\n"
		      "owed, paid and outstanding by kind of claim and by payer; promises, and which\n"
		      "are overdue; claims past their limitation deadline or within 180 days of it.\n", stdout);
		return EX_OK;
	}
	if (take_opts(argc, argv, 1, names, v, NULL, NULL))
		return EX_USAGE;
	int64_t wp = 0;
	if (v[0] && cli_parse_id(v[0], &wp))
		return cli_usage("--workplace takes a workplace id");
	fs_date as_of;
	int rc = parse_as_of(v[1], &as_of);
	if (rc)
		return rc;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *w;
	int r = fs_watch(ctx, wp, as_of, &w, &err);
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (c->json) {
		cli_print_json(w);
		json_decref(w);
		return EX_OK;
	}
	const char *cur = json_string_value(json_object_get(w, "currency"));
	json_t *wk = json_object_get(w, "workers"), *t = json_object_get(w, "totals");
	printf("The watch on %s%s\n\n", json_string_value(json_object_get(w, "as_of")), wp ? " (one workplace)" : "");
	printf("  workers with claims %8lld\n  paid in full        %8lld\n  partly paid         %8lld\n  paid nothing        %8lld\n\n",
	       (long long)json_integer_value(json_object_get(wk, "total")), (long long)json_integer_value(json_object_get(wk, "paid_in_full")),
	       (long long)json_integer_value(json_object_get(wk, "partly_paid")), (long long)json_integer_value(json_object_get(wk, "paid_nothing")));
	money_line("owed", json_integer_value(json_object_get(t, "owed_minor")), cur);
	money_line("paid", json_integer_value(json_object_get(t, "paid_minor")), cur);
	money_line("outstanding", json_integer_value(json_object_get(t, "outstanding_minor")), cur);
	if (json_integer_value(json_object_get(t, "overpaid_minor")))
		money_line("paid beyond the claims", json_integer_value(json_object_get(t, "overpaid_minor")), cur);
	printf("\nby kind of claim                     owed             paid      outstanding\n");
	const char *k;
	json_t *x;
	json_object_foreach(json_object_get(w, "by_kind"), k, x) {
		char a[32], b[32], d[32];
		fs_money_format(json_integer_value(json_object_get(x, "owed_minor")), 2, a);
		fs_money_format(json_integer_value(json_object_get(x, "paid_minor")), 2, b);
		fs_money_format(json_integer_value(json_object_get(x, "outstanding_minor")), 2, d);
		printf("  %-16s %16s %16s %16s\n", k, a, b, d);
	}
	printf("\npaid by\n");
	json_object_foreach(json_object_get(w, "by_payer"), k, x) money_line(k, json_integer_value(x), cur);
	size_t i;
	printf("\npromises (%lld overdue)\n", (long long)json_integer_value(json_object_get(w, "overdue_promises")));
	json_array_foreach(json_object_get(w, "promises"), i, x) {
		char a[32], b[32];
		fs_money_format(json_integer_value(json_object_get(x, "promised_minor")), 2, a);
		fs_money_format(json_integer_value(json_object_get(x, "paid_minor")), 2, b);
		printf("  #%lld %s (%s), due %s: promised %s, paid %s: %s%s\n", (long long)json_integer_value(json_object_get(x, "id")),
		       json_string_value(json_object_get(x, "promisor_name")), json_string_value(json_object_get(x, "promisor_kind")),
		       json_string_value(json_object_get(x, "due_on")), a, b, json_string_value(json_object_get(x, "status")),
		       json_is_true(json_object_get(x, "overdue")) ? ", OVERDUE" : "");
	}
	json_t *l = json_object_get(w, "limitation");
	char pa[32], na[32];
	fs_money_format(json_integer_value(json_object_get(json_object_get(l, "past"), "outstanding_minor")), 2, pa);
	fs_money_format(json_integer_value(json_object_get(json_object_get(l, "within_180_days"), "outstanding_minor")), 2, na);
	printf("\nlimitation: %lld claims past their deadline (%s %s outstanding), %lld within 180 days (%s %s)\n",
	       (long long)json_integer_value(json_object_get(json_object_get(l, "past"), "claims")), pa, cur,
	       (long long)json_integer_value(json_object_get(json_object_get(l, "within_180_days"), "claims")), na, cur);
	json_object_foreach(json_object_get(l, "by_kind"), k, x) {
		const char *next = json_string_value(json_object_get(x, "next_deadline"));
		printf("limitation (%s, %lld months): %lld terminated employments, %lld passed, %lld within 30 days, %lld open%s%s\n",
		       k, (long long)json_integer_value(json_object_get(x, "months")),
		       (long long)json_integer_value(json_object_get(x, "employments")),
		       (long long)json_integer_value(json_object_get(x, "passed")),
		       (long long)json_integer_value(json_object_get(x, "near")), (long long)json_integer_value(json_object_get(x, "open")),
		       next ? "; next deadline " : "", next ? next : "");
	}
	json_decref(w);
	return EX_OK;
}

int cmd_statement(struct cli *c, int argc, char **argv)
{
	static const char *const names[] = {"lang", "as-of", "qr-svg", NULL};
	static const char *const flag_names[] = {"qr", NULL};
	const char *v[3] = {0};
	int flags[1] = {0};
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs("usage: fairshare statement PERSON_ID [--lang en|tr|ru|kk] [--as-of DATE] [--json] [--qr] [--qr-svg FILE]\n\n"
		      "One worker's statement: each claim with what was paid and what is outstanding,\n"
		      "the payments, and how every computed claim was computed, step by step.\n"
		      "It ends with proofs a worker can keep: for each payment and claim, its journal\n"
		      "entry and inclusion path in the organization's Merkle log, and a checkpoint\n"
		      "signed now ('fairshare proof verify FILE' checks them, without the database);\n"
		      "--qr prints them as QR codes too (UTF-8 half blocks; long proofs take several,\n"
		      "joined in order), --qr-svg FILE writes those codes as SVG; --json carries the SVG\n"
		      "as \"proof_qr_svg\".\n", argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	int64_t person;
	if (cli_parse_id(argv[1], &person))
		return cli_usage("statement needs a person id");
	if (take_opts(argc, argv, 2, names, v, flags, flag_names))
		return EX_USAGE;
	fs_date as_of;
	int rc = parse_as_of(v[1], &as_of);
	if (rc)
		return rc;
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *s;
	int r = fs_statement(ctx, person, v[0] ? v[0] : "en", as_of, &s, &err);
	char *proofs = NULL;
	struct fs_error perr = {0};
	if (!r && fs_statement_proofs(ctx, person, &proofs, &perr))
		proofs = NULL; /* said below: the statement stands without them */
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (c->json) {
		fs_proofs_attach(s, proofs, &perr);
		free(proofs);
		cli_print_json(s);
		json_decref(s);
		return EX_OK;
	}
	const char *cur = json_string_value(json_object_get(s, "currency"));
	json_t *p = json_object_get(s, "person");
	printf("Statement for %s (person %lld), %s\n\nClaims\n", json_string_value(json_object_get(p, "full_name")),
	       (long long)person, json_string_value(json_object_get(s, "as_of")));
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(s, "claims"), i, x) {
		char a[32], b[32], d[32];
		fs_money_format(json_integer_value(json_object_get(x, "amount_minor")), 2, a);
		fs_money_format(json_integer_value(json_object_get(x, "paid_minor")), 2, b);
		fs_money_format(json_integer_value(json_object_get(x, "outstanding_minor")), 2, d);
		const char *lim = json_string_value(json_object_get(x, "limitation"));
		printf("  %-13s owed %14s  paid %14s  outstanding %14s  [%s]%s%s\n", json_string_value(json_object_get(x, "kind")), a, b, d,
		       json_string_value(json_object_get(x, "status")), lim && strcmp(lim, "open") ? "  limitation " : "",
		       lim && strcmp(lim, "open") ? lim : "");
	}
	printf("\nPayments\n");
	json_array_foreach(json_object_get(s, "payments"), i, x) {
		char a[32];
		fs_money_format(json_integer_value(json_object_get(x, "amount_minor")), 2, a);
		printf("  %s  %14s %s  %s (%s)%s\n", json_string_value(json_object_get(x, "paid_on")), a, cur,
		       json_string_value(json_object_get(x, "payer_name")), json_string_value(json_object_get(x, "payer_kind")),
		       json_is_null(json_object_get(x, "reverses_id")) ? "" : "  reversal");
	}
	if (!json_array_size(json_object_get(s, "payments")))
		printf("  none\n");
	json_t *t = json_object_get(s, "totals");
	printf("\nTotals\n");
	money_line("owed", json_integer_value(json_object_get(t, "owed_minor")), cur);
	money_line("paid", json_integer_value(json_object_get(t, "paid_minor")), cur);
	money_line("outstanding", json_integer_value(json_object_get(t, "outstanding_minor")), cur);
	json_array_foreach(json_object_get(s, "explanation"), i, x) {
		printf("\nHow it was computed (%s)\n", json_string_value(json_object_get(x, "rules_version")));
		size_t k;
		json_t *st;
		json_array_foreach(json_object_get(x, "steps"), k, st) {
			const char *law = json_string_value(json_object_get(st, "law"));
			printf("  %s%s%s%s\n", json_string_value(json_object_get(st, "text")), law ? " [" : "", law ? law : "", law ? "]" : "");
		}
		json_array_foreach(json_object_get(x, "limitation"), k, st)
			printf("  limitation (%s, %lld months): %s, %s\n", json_string_value(json_object_get(st, "kind")),
			       (long long)json_integer_value(json_object_get(st, "months")),
			       json_string_value(json_object_get(st, "deadline")), json_string_value(json_object_get(st, "status")));
	}
	json_array_foreach(json_object_get(s, "warnings"), i, x) printf("%swarning: %s\n", i ? "" : "\n", json_string_value(x));
	int out_rc = cli_proofs_print(proofs, perr.message, flags[0], v[2]);
	free(proofs);
	json_decref(s);
	return out_rc;
}
