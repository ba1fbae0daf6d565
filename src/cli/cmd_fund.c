/* cmd_fund.c - solidarity funds: fund create|balances, transfer, post, void,
 * contribute, disburse, approve, ledger export. */
#include "cli.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "util/money.h"
#include "util/private.h"

#define MAXOPT 16

struct opts {
	const char *name[MAXOPT];
	const char *value[MAXOPT];
	int n;
	const char *positional;
};

/* --name value / --name=value / --flag pairs; flags listed in flags[] take no value */
static int parse(int argc, char **argv, const char *const *flags, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2)) {
			if (o->positional)
				return cli_usage("unexpected argument '%s'", argv[i]);
			o->positional = argv[i];
			continue;
		}
		if (o->n == MAXOPT)
			return cli_usage("too many options");
		const char *name = argv[i] + 2, *eq = strchr(name, '=');
		int is_flag = 0;
		for (int k = 0; flags && flags[k]; k++)
			is_flag |= !strcmp(flags[k], name);
		o->name[o->n] = name;
		if (eq) {
			o->value[o->n] = eq + 1;
		} else if (is_flag) {
			o->value[o->n] = "yes";
		} else if (i + 1 < argc) {
			o->value[o->n] = argv[++i];
		} else {
			return cli_usage("--%s needs a value", name);
		}
		o->n++;
	}
	return -1;
}

static const char *opt(const struct opts *o, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < o->n; i++)
		if (!strncmp(o->name[i], name, n) && (o->name[i][n] == '\0' || o->name[i][n] == '='))
			return o->value[i];
	return NULL;
}

static int only(const struct opts *o, const char *const *allowed)
{
	for (int i = 0; i < o->n; i++) {
		int ok = 0;
		for (int k = 0; allowed[k]; k++) {
			size_t n = strlen(allowed[k]);
			ok |= !strncmp(o->name[i], allowed[k], n) && (o->name[i][n] == '\0' || o->name[i][n] == '=');
		}
		if (!ok)
			return cli_usage("unknown option --%s", o->name[i]);
	}
	return -1;
}

static void new_id(char out[40])
{
	unsigned char r[12];
	randombytes_buf(r, sizeof(r));
	memcpy(out, "t-", 2);
	sodium_bin2hex(out + 2, 25, r, sizeof(r));
}

static int print_results(const struct fs_transfer *t, const int *res, size_t n, struct cli *c)
{
	int bad = 0;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		bad |= res[i] != FS_T_OK && res[i] != FS_T_EXISTS;
		json_array_append_new(arr, json_pack("{s:s,s:s}", "id", t[i].id, "result", fs_transfer_result_name(res[i])));
		if (!c->json)
			printf("%s: %s\n", t[i].id, fs_transfer_result_name(res[i]));
	}
	if (c->json)
		cli_print_json(arr);
	json_decref(arr);
	return bad ? EX_DATAERR : EX_OK;
}

/* Where a payout is entered: the fund's two-person rule, as the core holds it. */
static void print_rule(struct fs_ctx *ctx, int64_t fund)
{
	json_t *f = NULL;
	if (fs_get(ctx, fs_entity_find("fund"), fund, 0, &f, &(struct fs_error){0}))
		return;
	json_t *thr = json_object_get(f, "approval_threshold_minor"), *lim = json_object_get(f, "rolling_limit_minor");
	const char *cur = json_string_value(json_object_get(f, "currency"));
	char a[32] = "", b[32] = "";
	if (json_is_integer(thr))
		fs_money_format(json_integer_value(thr), 2, a);
	if (json_is_integer(lim))
		fs_money_format(json_integer_value(lim), 2, b);
	if (*a || *b)
		printf("fund %lld: money out above %s%s%s, or past %s%s%s per account in 24 hours, needs a second account's approval\n",
		       (long long)fund, *a ? a : "(no threshold)", *a ? " " : "", *a && cur ? cur : "", *b ? b : "(no limit)",
		       *b ? " " : "", *b && cur ? cur : "");
	json_decref(f);
}

static int fund_of(struct fs_ctx *ctx, const char *s, int64_t *fund)
{
	if (!s || cli_parse_id(s, fund)) {
		fs_close(ctx);
		return cli_usage("name the fund with --fund ID");
	}
	(void)ctx;
	return -1;
}

static int amount_of(const char *s, int64_t *out)
{
	struct fs_error err = {0};
	if (!s)
		return cli_usage("give --amount");
	if (fs_money_parse(s, 2, out, &err, "amount") || *out <= 0) {
		fprintf(stderr, "fairshare: amount: %s\n", err.message[0] ? err.message : "must be more than zero");
		return EX_DATAERR;
	}
	return -1;
}

int cmd_transfer_family(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	static const char *const flags[] = {"pending", "linked", "anonymous", "reveal", NULL};
	struct opts o;
	int rc;
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs("usage: fairshare transfer --fund F --debit ACCOUNT --credit ACCOUNT --amount A --code C [--id ID]\n"
		      "                          [--date D] [--memo M] [--pending [--timeout SECONDS]]\n"
		      "       fairshare post PENDING_ID --fund F [--amount A] [--id ID]\n"
		      "       fairshare void PENDING_ID --fund F [--id ID]\n"
		      "       fairshare contribute --fund F --amount A [--donor NAME | --anonymous] [--into ACCOUNT]\n"
		      "                          [--income ACCOUNT] [--id ID] [--date D] [--memo M]\n"
		      "       fairshare disburse --fund F --amount A --purpose strike-pay|family-support|legal|other\n"
		      "                          [--to NAME] [--from ACCOUNT] [--id ID] [--date D] [--memo M]\n"
		      "       fairshare approve PENDING_ID --fund F [--id ID]\n\n"
		      "Transfers are never changed: a correction is a new transfer. --id is the\n"
		      "idempotency key: give one (e.g. the bank reference) so that a retry records once.\n"
		      "Money out of the fund's assets above its approval threshold, or past what one\n"
		      "account may pay out in 24 hours (its rolling limit; 'fairshare fund show F' shows\n"
		      "both), moves only when a second account holding funds.approve posts it: such a\n"
		      "transfer or post answers approval_required, and a disbursement waits (pending)\n"
		      "for 'fairshare --as NAME approve ID'. Donors and recipients are sealed at rest.\n", stdout);
		return EX_OK;
	}
	if ((rc = parse(argc, argv, flags, &o)) >= 0)
		return rc;
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx)
		return rc;
	int64_t fund;
	if ((rc = fund_of(ctx, opt(&o, "fund"), &fund)) >= 0)
		return rc;
	struct fs_error err = {0};
	char idbuf[40], rid[FS_TRANSFER_ID_MAX + 1];
	const char *id = opt(&o, "id");
	if (!id) {
		new_id(idbuf);
		id = idbuf;
	}
	struct fs_transfer t = {.id = id, .value_date = opt(&o, "date"), .memo = opt(&o, "memo")};
	int res = 0, r = 0;
	int64_t amount = 0;
	if (!strcmp(cmd, "transfer")) {
		static const char *const allowed[] = {"fund", "id", "debit", "credit", "amount", "code", "date", "memo", "pending", "timeout", NULL};
		if ((rc = only(&o, allowed)) >= 0 || (rc = amount_of(opt(&o, "amount"), &amount)) >= 0)
			goto out;
		if (!opt(&o, "debit") || !opt(&o, "credit") || !opt(&o, "code")) {
			rc = cli_usage("transfer needs --debit, --credit and --code");
			goto out;
		}
		r = fs_account_by_name(ctx, fund, opt(&o, "debit"), &t.debit_account, &err);
		if (!r)
			r = fs_account_by_name(ctx, fund, opt(&o, "credit"), &t.credit_account, &err);
		t.amount_minor = amount;
		t.code = opt(&o, "code");
		if (opt(&o, "pending"))
			t.flags |= FS_TF_PENDING;
		if (opt(&o, "timeout"))
			t.timeout_s = strtoll(opt(&o, "timeout"), NULL, 10);
	} else if (!strcmp(cmd, "post") || !strcmp(cmd, "void") || !strcmp(cmd, "approve")) {
		static const char *const allowed[] = {"fund", "id", "amount", "memo", NULL};
		if ((rc = only(&o, allowed)) >= 0)
			goto out;
		if (!o.positional) {
			rc = cli_usage("%s needs the pending transfer's id", cmd);
			goto out;
		}
		if (!opt(&o, "id")) { /* the one id every front end derives */
			if ((r = fs_ledger_resolution_id(o.positional, !strcmp(cmd, "void") ? FS_TF_VOID : FS_TF_POST, rid, &err)))
				goto fail;
			t.id = rid;
		}
		if (!strcmp(cmd, "approve")) {
			r = fs_ledger_approve(ctx, fund, o.positional, t.id, &res, &err);
			if (!r) {
				rc = print_results(&t, &res, 1, c);
				goto out;
			}
		} else {
			t.flags = !strcmp(cmd, "post") ? FS_TF_POST : FS_TF_VOID;
			t.pending_id = o.positional; /* the code is the pending one's */
			if (opt(&o, "amount") && (rc = amount_of(opt(&o, "amount"), &t.amount_minor)) >= 0)
				goto out;
		}
	} else if (!strcmp(cmd, "contribute")) {
		static const char *const allowed[] = {"fund", "id", "amount", "donor", "anonymous", "into", "income", "date", "memo", "pledge", NULL};
		if ((rc = only(&o, allowed)) >= 0 || (rc = amount_of(opt(&o, "amount"), &amount)) >= 0)
			goto out;
		r = fs_account_by_name(ctx, fund, opt(&o, "into") ? opt(&o, "into") : "assets:cash", &t.debit_account, &err);
		if (!r)
			r = fs_account_by_name(ctx, fund, opt(&o, "income") ? opt(&o, "income") : "income:contributions", &t.credit_account, &err);
		t.amount_minor = amount;
		t.code = "contribution";
		static char pledge_code[40];
		if (opt(&o, "pledge")) { /* counts towards a pledge */
			int64_t pid;
			if (cli_parse_id(opt(&o, "pledge"), &pid)) {
				rc = cli_usage("--pledge takes the pledge's id");
				goto out;
			}
			snprintf(pledge_code, sizeof(pledge_code), "pledge-%lld", (long long)pid);
			t.code = pledge_code;
		}
		t.party = opt(&o, "anonymous") ? NULL : opt(&o, "donor");
	} else if (!strcmp(cmd, "disburse")) {
		static const char *const allowed[] = {"fund", "id", "amount", "purpose", "to", "from", "date", "memo", NULL};
		if ((rc = only(&o, allowed)) >= 0 || (rc = amount_of(opt(&o, "amount"), &amount)) >= 0)
			goto out;
		const char *purpose = opt(&o, "purpose");
		static const char *const purposes[] = {"strike-pay", "family-support", "legal", "other", NULL};
		int known = 0;
		for (int k = 0; purpose && purposes[k]; k++)
			known |= !strcmp(purposes[k], purpose);
		if (!known) {
			rc = cli_usage("--purpose is strike-pay, family-support, legal or other");
			goto out;
		}
		char expense[64];
		snprintf(expense, sizeof(expense), "expenses:%s", purpose);
		r = fs_account_by_name(ctx, fund, expense, &t.debit_account, &err);
		if (!r)
			r = fs_account_by_name(ctx, fund, opt(&o, "from") ? opt(&o, "from") : "assets:cash", &t.credit_account, &err);
		t.amount_minor = amount;
		t.code = purpose;
		t.party = opt(&o, "to");
		int wait = 0;
		if (!r)
			r = fs_fund_payout_needs_approval(ctx, fund, amount, &wait, &err);
		if (wait)
			t.flags |= FS_TF_PENDING; /* the core wants a second person: it waits for one */
	}
	if (!r && rc < 0) {
		r = fs_ledger_transfer(ctx, fund, &t, 1, &res, &err);
		if (!r && !c->json && (res == FS_T_APPROVAL_REQUIRED || (t.flags & FS_TF_PENDING)))
			print_rule(ctx, fund);
		if (!r) {
			rc = print_results(&t, &res, 1, c);
			if (res == FS_T_OK && (t.flags & FS_TF_PENDING) && !strcmp(cmd, "disburse") && !c->json)
				printf("above the fund's approval threshold or your rolling limit: waits for a second person ('fairshare approve %s --fund %lld')\n",
				       t.id, (long long)fund);
		}
	}
fail:
	if (r)
		rc = cli_fail(&err, r);
out:
	fs_close(ctx);
	return rc < 0 ? EX_OK : rc;
}

static int fund_payroll(struct cli *c, int argc, char **argv)
{
	/* fund payroll FUND FILE.csv --site NAME [--into ACCOUNT] */
	struct opts o;
	int rc;
	int64_t fund;
	if (argc < 3 || cli_parse_id(argv[1], &fund))
		return cli_usage("fund payroll FUND_ID FILE.csv --site NAME [--into ACCOUNT]");
	if ((rc = parse(argc - 2, argv + 2, NULL, &o)) >= 0) /* the options after FUND and FILE */
		return rc;
	const char *file = argv[2];
	FILE *in = fopen(file, "rb");
	if (!in) {
		fprintf(stderr, "fairshare: cannot open %s\n", file);
		return EX_NOINPUT;
	}
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx) {
		fclose(in);
		return rc;
	}
	struct fs_error err = {0};
	json_t *rep = NULL;
	int r = fs_fund_payroll(ctx, fund, in, file, opt(&o, "site"), opt(&o, "into"), &rep, &err);
	fclose(in);
	fs_close(ctx);
	if (rep && c->json)
		cli_print_json(rep);
	else if (rep) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(rep, "errors"), i, e) {
			const char *id = json_string_value(json_object_get(e, "id"));
			fprintf(stderr, "%s: line %lld: %s%s%s%s\n", file, (long long)json_integer_value(json_object_get(e, "line")),
				json_string_value(json_object_get(e, "message")), id ? " (id " : "", id ? id : "", id ? ")" : "");
		}
		long long missed = json_integer_value(json_object_get(rep, "not_recorded"));
		printf("%lld rows: %lld recorded, %lld recorded before", (long long)json_integer_value(json_object_get(rep, "rows")),
		       (long long)json_integer_value(json_object_get(rep, "recorded")),
		       (long long)json_integer_value(json_object_get(rep, "already_recorded")));
		if (missed)
			printf(", %lld not recorded", missed);
		putchar('\n');
	}
	int bad = rep && (json_array_size(json_object_get(rep, "errors")) || json_integer_value(json_object_get(rep, "not_recorded")));
	json_decref(rep);
	if (r)
		return cli_fail(&err, r);
	return bad ? EX_DATAERR : EX_OK;
}

static int fund_report(struct cli *c, int argc, char **argv)
{
	int64_t fund;
	int rc, qr = 0;
	const char *svg = NULL;
	if (argc < 2 || cli_parse_id(argv[1], &fund))
		return cli_usage("fund report FUND_ID [--json] [--qr] [--qr-svg FILE]");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--qr"))
			qr = 1;
		else if (!strcmp(argv[i], "--qr-svg") && i + 1 < argc)
			svg = argv[++i];
		else
			return cli_usage("fund report: unexpected argument '%s'", argv[i]);
	}
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0}, perr = {0};
	json_t *r;
	char *proofs = NULL; /* its checkpoint and the fund's entries' inclusion proofs */
	int x = fs_fund_report(ctx, fund, &r, &err);
	if (!x && fs_fund_report_proofs(ctx, fund, &proofs, &perr))
		proofs = NULL;
	fs_close(ctx);
	if (x)
		return cli_fail(&err, x);
	if (c->json) {
		fs_proofs_attach(r, proofs, &perr);
		cli_print_json(r);
	} else {
		const char *cur = json_string_value(json_object_get(r, "currency"));
		json_t *t = json_object_get(r, "totals");
		char a[32], b[32], d[32];
		fs_money_format(json_integer_value(json_object_get(t, "income_minor")), 2, a);
		fs_money_format(json_integer_value(json_object_get(t, "expense_minor")), 2, b);
		fs_money_format(json_integer_value(json_object_get(t, "assets_minor")), 2, d);
		printf("%s (public report: totals and counts, no names)\n\n  income   %16s %s from %lld contributions\n"
		       "  expense  %16s %s in %lld disbursements\n  held     %16s %s\n\nby month\n",
		       json_string_value(json_object_get(r, "fund")), a, cur, (long long)json_integer_value(json_object_get(t, "contributions")),
		       b, cur, (long long)json_integer_value(json_object_get(t, "disbursements")), d, cur);
		const char *m;
		json_t *cats;
		json_object_foreach(json_object_get(r, "by_month"), m, cats) {
			const char *k;
			json_t *v;
			json_object_foreach(cats, k, v) {
				fs_money_format(json_integer_value(v), 2, a);
				printf("  %s  %-28s %16s %s\n", m, k, a, cur);
			}
		}
		x = cli_proofs_print(proofs, perr.message, qr, svg);
	}
	free(proofs);
	json_decref(r);
	return x;
}

static int fund_pledges(struct cli *c, int argc, char **argv)
{
	int64_t fund;
	int rc;
	if (argc < 2 || cli_parse_id(argv[1], &fund))
		return cli_usage("fund pledges FUND_ID [--json]");
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *r;
	int x = fs_fund_pledges(ctx, fund, fs_date_today(), &r, &err);
	fs_close(ctx);
	if (x)
		return cli_fail(&err, x);
	if (c->json) {
		cli_print_json(r);
	} else {
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(r, "pledges"), i, p) {
			char a[32], b[32], d[32];
			fs_money_format(json_integer_value(json_object_get(p, "pledged_minor")), 2, a);
			fs_money_format(json_integer_value(json_object_get(p, "received_minor")), 2, b);
			fs_money_format(json_integer_value(json_object_get(p, "arrears_minor")), 2, d);
			printf("#%lld %-30s pledged %14s  received %14s  arrears %14s\n", (long long)json_integer_value(json_object_get(p, "id")),
			       json_string_value(json_object_get(p, "label")), a, b, d);
		}
	}
	json_decref(r);
	return EX_OK;
}

static int fund_strike_pay(struct cli *c, int argc, char **argv)
{
	/* fund strike-pay FUND --week DATE [--workplace W] [--persons 1,2,3] */
	struct opts o;
	int rc;
	int64_t fund;
	if (argc < 2 || cli_parse_id(argv[1], &fund))
		return cli_usage("fund strike-pay FUND_ID --week DATE [--workplace ID] [--persons ID,ID,...]");
	if ((rc = parse(argc - 1, argv + 1, NULL, &o)) >= 0)
		return rc;
	static const char *const allowed[] = {"week", "workplace", "persons", NULL};
	if ((rc = only(&o, allowed)) >= 0)
		return rc;
	if (!opt(&o, "week"))
		return cli_usage("give --week (a date in the week paid)");
	int64_t wp = 0, *persons = NULL;
	size_t np = 0;
	if (opt(&o, "workplace") && cli_parse_id(opt(&o, "workplace"), &wp))
		return cli_usage("--workplace takes an id");
	if (opt(&o, "persons")) { /* as many as given: one id per comma-separated item */
		const char *list = opt(&o, "persons");
		size_t most = 1;
		for (const char *p = list; *p; p++)
			most += *p == ',';
		char *buf = strdup(list);
		persons = calloc(most, sizeof(*persons));
		if (!buf || !persons) {
			free(buf);
			free(persons);
			return cli_fail(&(struct fs_error){.message = "out of memory"}, FS_ENOMEM);
		}
		int bad = 0;
		for (char *save = NULL, *p = strtok_r(buf, ",", &save); p && !bad; p = strtok_r(NULL, ",", &save))
			bad = cli_parse_id(p, &persons[np++]);
		free(buf);
		if (bad) {
			free(persons);
			return cli_usage("--persons takes ids separated by commas");
		}
	}
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx) {
		free(persons);
		return rc;
	}
	struct fs_error err = {0};
	json_t *r = NULL;
	int x = fs_fund_strike_pay(ctx, fund, opt(&o, "week"), wp, persons, np, &r, &err);
	fs_close(ctx);
	free(persons);
	if (x)
		return cli_fail(&err, x);
	if (c->json) {
		cli_print_json(r);
	} else {
		char a[32], u[32] = "?";
		fs_money_format(json_integer_value(json_object_get(r, "amount_minor")), 2, a);
		long long unpaid = json_integer_value(json_object_get(r, "not_paid"));
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(r, "failures"), i, f)
			fprintf(stderr, "fairshare: person %lld: %s (id %s)\n", (long long)json_integer_value(json_object_get(f, "person_id")),
				json_string_value(json_object_get(f, "message")), json_string_value(json_object_get(f, "id")));
		printf("week of %s: %lld strikers, %lld paid %s each, %lld paid before", json_string_value(json_object_get(r, "week")),
		       (long long)json_integer_value(json_object_get(r, "strikers")), (long long)json_integer_value(json_object_get(r, "paid")), a,
		       (long long)json_integer_value(json_object_get(r, "paid_before")));
		if (unpaid > 0)
			printf(", %lld not paid", unpaid);
		printf("; %s\n", json_string_value(json_object_get(r, "result")));
		if (unpaid > 0) {
			if (json_integer_value(json_object_get(r, "not_paid_minor")) >= 0)
				fs_money_format(json_integer_value(json_object_get(r, "not_paid_minor")), 2, u);
			fprintf(stderr, "fairshare: %lld strikers not paid (%s): strike pay is everyone or no one, so nobody new was paid this run\n",
				unpaid, u);
		}
	}
	int ok = !strcmp(json_string_value(json_object_get(r, "result")), "ok");
	json_decref(r);
	return ok ? EX_OK : EX_DATAERR;
}

int cmd_fund(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "strike-pay"))
		return fund_strike_pay(c, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "pledges"))
		return fund_pledges(c, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "payroll"))
		return fund_payroll(c, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return fund_report(c, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "create")) {
		/* fund create: the fund and its standard accounts */
		struct opts o;
		int rc;
		if (argc > 2 && cli_is_help(argv[2]))
			return cmd_entity(c, 2, (char *[]){"fund", "--help", NULL});
		if ((rc = parse(argc - 1, argv + 1, NULL, &o)) >= 0)
			return rc;
		struct fs_kv kv[MAXOPT];
		char names[MAXOPT][64];
		for (int i = 0; i < o.n; i++) {
			snprintf(names[i], sizeof(names[i]), "%s", o.name[i]);
			for (char *p = names[i]; *p; p++)
				if (*p == '-')
					*p = '_';
			kv[i] = (struct fs_kv){names[i], o.value[i]};
		}
		struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
		if (!ctx)
			return rc;
		struct fs_error err = {0};
		int64_t id;
		int r = fs_fund_create(ctx, kv, (size_t)o.n, &id, &err);
		fs_close(ctx);
		if (r)
			return cli_fail(&err, r);
		printf("created fund %lld with its standard accounts\n", (long long)id);
		return EX_OK;
	}
	if (argc > 2 && !strcmp(argv[1], "balances")) {
		int64_t fund;
		int rc;
		if (cli_parse_id(argv[2], &fund))
			return cli_usage("fund balances ID");
		struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
		if (!ctx)
			return rc;
		struct fs_error err = {0};
		json_t *b;
		int r = fs_fund_balances(ctx, fund, &b, &err);
		fs_close(ctx);
		if (r)
			return cli_fail(&err, r);
		if (c->json) {
			cli_print_json(b);
		} else {
			size_t i;
			json_t *a;
			json_array_foreach(b, i, a) {
				char m[32], pend[32];
				fs_money_format(json_integer_value(json_object_get(a, "balance_minor")), 2, m);
				int64_t pd = 0; /* both sums are within range and not negative (the core checks): no overflow */
				if (fs_money_sub(json_integer_value(json_object_get(a, "debits_pending")),
						 json_integer_value(json_object_get(a, "credits_pending")), &pd))
					pd = 0;
				fs_money_format(pd, 2, pend);
				printf("%-32s %16s %s%s%s%s\n", json_string_value(json_object_get(a, "name")), m,
				       json_string_value(json_object_get(a, "currency")), pd ? "  (pending " : "", pd ? pend : "", pd ? ")" : "");
			}
		}
		json_decref(b);
		return EX_OK;
	}
	return cmd_entity(c, argc, argv);
}

int cmd_ledger(struct cli *c, int argc, char **argv)
{
	static const char *const flags[] = {"reveal", NULL};
	struct opts o;
	int rc;
	if (argc < 2 || cli_is_help(argv[1]) || strcmp(argv[1], "export")) {
		fputs("usage: fairshare ledger export --fund F [--format ledger|beancount|csv] [--output FILE] [--reveal]\n\n"
		      "Posted transfers as a journal that ledger-cli and hledger read (default),\n"
		      "as beancount, or as CSV. Donors and recipients only with --reveal.\n", argc > 1 && cli_is_help(argv[1]) ? stdout : stderr);
		return argc > 1 && cli_is_help(argv[1]) ? EX_OK : EX_USAGE;
	}
	if ((rc = parse(argc - 1, argv + 1, flags, &o)) >= 0)
		return rc;
	static const char *const allowed[] = {"fund", "format", "output", "reveal", NULL};
	if ((rc = only(&o, allowed)) >= 0)
		return rc;
	const char *fmt = opt(&o, "format") ? opt(&o, "format") : "ledger";
	enum fs_ledger_format f = !strcmp(fmt, "ledger") || !strcmp(fmt, "hledger") ? FS_LEDGER_LEDGER
				  : !strcmp(fmt, "beancount") ? FS_LEDGER_BEANCOUNT : !strcmp(fmt, "csv") ? FS_LEDGER_CSV : (enum fs_ledger_format)-1;
	if ((int)f < 0)
		return cli_usage("--format is ledger, beancount or csv");
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	int64_t fund;
	if ((rc = fund_of(ctx, opt(&o, "fund"), &fund)) >= 0)
		return rc;
	FILE *out = opt(&o, "output") ? fs_private_fopen(opt(&o, "output")) : stdout;
	if (!out) {
		fs_close(ctx);
		fprintf(stderr, "fairshare: cannot create %s\n", opt(&o, "output"));
		return EX_CANTCREAT;
	}
	struct fs_error err = {0};
	int r = fs_ledger_export(ctx, fund, out, f, opt(&o, "reveal") != NULL, &err);
	fs_close(ctx);
	if (out != stdout && fclose(out) && !r)
		r = fs_fail(&err, FS_EIO, NULL, "cannot write %s", opt(&o, "output"));
	return r ? cli_fail(&err, r) : EX_OK;
}
