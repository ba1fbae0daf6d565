/* cmd_fund.c - solidarity funds: fund create|balances, transfer, post, void,
 * contribute, disburse, approve, ledger export. */
#include "cli.h"
#include "options.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "util/money.h"
#include "util/private.h"

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

/* fund report|pledges|balances FUND_ID: one id, no options */
static int fund_id_only(int argc, char **argv, const char *cmd, int64_t *fund, int *rc)
{
	static const struct cli_option none[] = {CLI_OPT_END()};
	if (cli_parse_options(argc, argv, none, cmd, 1, rc) < 0)
		return -1;
	if (!argv[0] || cli_parse_id(argv[0], fund)) {
		*rc = cli_usage("%s FUND_ID [--json]", cmd);
		return -1;
	}
	return 0;
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
	const char *id_opt = NULL, *debit = NULL, *credit = NULL, *amount_s = NULL, *code = NULL, *date = NULL, *memo = NULL;
	const char *donor = NULL, *into = NULL, *income = NULL, *purpose = NULL, *to = NULL, *from = NULL;
	int64_t fund = 0, timeout_s = 0, pledge = 0;
	int pending = 0, anonymous = 0;
	const struct cli_option o_fund = CLI_OPT_ID("fund", &fund, "F", "the fund");
	const struct cli_option o_id = CLI_OPT_STRING("id", &id_opt, "ID", "the idempotency key (e.g. the bank reference)");
	const struct cli_option o_amount = CLI_OPT_STRING("amount", &amount_s, "A", "the amount (1800.00)");
	const struct cli_option o_date = CLI_OPT_STRING("date", &date, "D", "the value date");
	const struct cli_option o_memo = CLI_OPT_STRING("memo", &memo, "M", "a note");
	const struct cli_option end = CLI_OPT_END();
	const struct cli_option transfer_opts[] = {
		o_fund, o_id, o_amount, o_date, o_memo,
		CLI_OPT_STRING("debit", &debit, "ACCOUNT", "the account debited"),
		CLI_OPT_STRING("credit", &credit, "ACCOUNT", "the account credited"),
		CLI_OPT_STRING("code", &code, "C", "what the transfer is (strike-pay, contribution, ...)"),
		CLI_OPT_FLAG("pending", &pending, "reserve only, post or void later"),
		CLI_OPT_INT("timeout", &timeout_s, "SECONDS", "a pending transfer voids itself after this", 0, INT32_MAX),
		end,
	};
	const struct cli_option resolve_opts[] = {o_fund, o_id, o_amount, o_memo, end};
	const struct cli_option contribute_opts[] = {
		o_fund, o_id, o_amount, o_date, o_memo,
		CLI_OPT_STRING("donor", &donor, "NAME", "who gave (sealed)"),
		CLI_OPT_FLAG("anonymous", &anonymous, "no donor named"),
		CLI_OPT_STRING("into", &into, "ACCOUNT", "the asset account (assets:cash)"),
		CLI_OPT_STRING("income", &income, "ACCOUNT", "the income account (income:contributions)"),
		CLI_OPT_ID("pledge", &pledge, "ID", "counts towards this pledge"),
		end,
	};
	const struct cli_option disburse_opts[] = {
		o_fund, o_id, o_amount, o_date, o_memo,
		CLI_OPT_STRING("purpose", &purpose, "P", "strike-pay, family-support, legal or other"),
		CLI_OPT_STRING("to", &to, "NAME", "who is paid (sealed)"),
		CLI_OPT_STRING("from", &from, "ACCOUNT", "the asset account (assets:cash)"),
		end,
	};
	int resolve = !strcmp(cmd, "post") || !strcmp(cmd, "void") || !strcmp(cmd, "approve");
	const struct cli_option *opts = !strcmp(cmd, "transfer") ? transfer_opts : resolve ? resolve_opts
					: !strcmp(cmd, "contribute") ? contribute_opts : disburse_opts;
	int npos = cli_parse_options(argc, argv, opts, cmd, resolve ? 1 : 0, &rc);
	if (npos < 0)
		return rc;
	const char *pending_id = npos ? argv[0] : NULL;
	if (!fund)
		return cli_usage("name the fund with --fund ID");
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx)
		return rc;
	rc = -1;
	struct fs_error err = {0};
	char idbuf[40], rid[FS_TRANSFER_ID_MAX + 1];
	const char *id = id_opt;
	if (!id) {
		new_id(idbuf);
		id = idbuf;
	}
	struct fs_transfer t = {.id = id, .value_date = date, .memo = memo};
	int res = 0, r = 0;
	int64_t amount = 0;
	if (!strcmp(cmd, "transfer")) {
		if ((rc = amount_of(amount_s, &amount)) >= 0)
			goto out;
		if (!debit || !credit || !code) {
			rc = cli_usage("transfer needs --debit, --credit and --code");
			goto out;
		}
		r = fs_account_by_name(ctx, fund, debit, &t.debit_account, &err);
		if (!r)
			r = fs_account_by_name(ctx, fund, credit, &t.credit_account, &err);
		t.amount_minor = amount;
		t.code = code;
		if (pending)
			t.flags |= FS_TF_PENDING;
		t.timeout_s = timeout_s;
	} else if (resolve) {
		if (!pending_id) {
			rc = cli_usage("%s needs the pending transfer's id", cmd);
			goto out;
		}
		if (!id_opt) { /* the one id every front end derives */
			if ((r = fs_ledger_resolution_id(pending_id, !strcmp(cmd, "void") ? FS_TF_VOID : FS_TF_POST, rid, &err)))
				goto fail;
			t.id = rid;
		}
		if (!strcmp(cmd, "approve")) {
			r = fs_ledger_approve(ctx, fund, pending_id, t.id, &res, &err);
			if (!r) {
				rc = print_results(&t, &res, 1, c);
				goto out;
			}
		} else {
			t.flags = !strcmp(cmd, "post") ? FS_TF_POST : FS_TF_VOID;
			t.pending_id = pending_id; /* the code is the pending one's */
			if (amount_s && (rc = amount_of(amount_s, &t.amount_minor)) >= 0)
				goto out;
		}
	} else if (!strcmp(cmd, "contribute")) {
		if ((rc = amount_of(amount_s, &amount)) >= 0)
			goto out;
		r = fs_account_by_name(ctx, fund, into ? into : "assets:cash", &t.debit_account, &err);
		if (!r)
			r = fs_account_by_name(ctx, fund, income ? income : "income:contributions", &t.credit_account, &err);
		t.amount_minor = amount;
		t.code = "contribution";
		static char pledge_code[40];
		if (pledge) { /* counts towards a pledge */
			snprintf(pledge_code, sizeof(pledge_code), "pledge-%lld", (long long)pledge);
			t.code = pledge_code;
		}
		t.party = anonymous ? NULL : donor;
	} else if (!strcmp(cmd, "disburse")) {
		if ((rc = amount_of(amount_s, &amount)) >= 0)
			goto out;
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
			r = fs_account_by_name(ctx, fund, from ? from : "assets:cash", &t.credit_account, &err);
		t.amount_minor = amount;
		t.code = purpose;
		t.party = to;
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
	const char *site = NULL, *into = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("site", &site, "NAME", "the workplace the payroll comes from"),
		CLI_OPT_STRING("into", &into, "ACCOUNT", "the asset account (assets:bank)"),
		CLI_OPT_END(),
	};
	int rc;
	int64_t fund;
	if (cli_parse_options(argc, argv, opts, "fund payroll", 2, &rc) < 0)
		return rc;
	if (!argv[0] || !argv[1] || cli_parse_id(argv[0], &fund))
		return cli_usage("fund payroll FUND_ID FILE.csv --site NAME [--into ACCOUNT]");
	const char *file = argv[1];
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
	int r = fs_fund_payroll(ctx, fund, in, file, site, into, &rep, &err);
	fclose(in);
	fs_close(ctx);
	if (rep && c->json)
		cli_print_json(rep);
	else if (rep) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(rep, "errors"), i, e) {
			const char *id = json_string_value(json_object_get(e, "id")), *col = json_string_value(json_object_get(e, "column"));
			const char *code = json_string_value(json_object_get(e, "code"));
			/* a ledger's result is named by its code; a row's own error by the file's column */
			int result = code && strcmp(code, "invalid") && strcmp(code, "short_row") && strcmp(code, "duplicate_id");
			fprintf(stderr, "%s: line %lld%s%s%s: %s%s%s%s%s%s\n", file, (long long)json_integer_value(json_object_get(e, "line")),
				col ? " (" : "", col ? col : "", col ? ")" : "", result ? code : "", result ? ": " : "",
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
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("qr", &qr, "print the proofs as QR codes too"),
		CLI_OPT_STRING("qr-svg", &svg, "FILE", "write the proofs' QR codes as SVG"),
		CLI_OPT_END(),
	};
	if (cli_parse_options(argc, argv, opts, "fund report", 1, &rc) < 0)
		return rc;
	if (!argv[0] || cli_parse_id(argv[0], &fund))
		return cli_usage("fund report FUND_ID [--json] [--qr] [--qr-svg FILE]");
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
	if (fund_id_only(argc, argv, "fund pledges", &fund, &rc))
		return rc;
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
	const char *week = NULL, *list = NULL;
	int64_t fund, wp = 0, *persons = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("week", &week, "DATE", "a date in the week paid"),
		CLI_OPT_ID("workplace", &wp, "ID", "the strikers of one workplace"),
		CLI_OPT_STRING("persons", &list, "ID,ID,...", "these strikers"),
		CLI_OPT_END(),
	};
	int rc;
	if (cli_parse_options(argc, argv, opts, "fund strike-pay", 1, &rc) < 0)
		return rc;
	if (!argv[0] || cli_parse_id(argv[0], &fund))
		return cli_usage("fund strike-pay FUND_ID --week DATE [--workplace ID] [--persons ID,ID,...]");
	if (!week)
		return cli_usage("give --week (a day of the week paid; the week is its Monday)");
	size_t np = 0;
	if (list) { /* as many as given: one id per comma-separated item */
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
	int x = fs_fund_strike_pay(ctx, fund, week, wp, persons, np, &r, &err);
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
		long long waiting = json_integer_value(json_object_get(r, "awaiting_approval"));
		if (waiting > 0) /* past the threshold or the rolling limit: the week waits, all or none */
			printf("%lld strikers wait for a second person: above the fund's approval threshold or your rolling limit;\n"
			       "pending id %s: 'fairshare --as NAME approve %s --fund %lld' pays them all\n", waiting,
			       json_string_value(json_object_get(r, "pending_id")), json_string_value(json_object_get(r, "pending_id")),
			       (long long)fund);
		if (unpaid > 0) {
			if (json_integer_value(json_object_get(r, "not_paid_minor")) >= 0)
				fs_money_format(json_integer_value(json_object_get(r, "not_paid_minor")), 2, u);
			fprintf(stderr, "fairshare: %lld strikers not paid (%s): strike pay is everyone or no one, so nobody new was paid this run\n",
				unpaid, u);
		}
	}
	const char *result = json_string_value(json_object_get(r, "result"));
	int ok = !strcmp(result, "ok") || !strcmp(result, "approval_required"); /* entered: it waits for approval */
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
		int rc;
		if (argc > 2 && cli_is_help(argv[2]))
			return cmd_entity(c, 2, (char *[]){"fund", "--help", NULL});
		struct cli_fields fields = {0};
		const struct cli_option opts[] = {CLI_OPT_FIELDS(&fields, "the fund's fields (fairshare fund --help)"), CLI_OPT_END()};
		if (cli_parse_options(argc - 1, argv + 1, opts, "fund create", 0, &rc) < 0)
			return rc;
		struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
		if (!ctx)
			return rc;
		struct fs_error err = {0};
		int64_t id;
		int r = fs_fund_create(ctx, fields.kv, fields.n, &id, &err);
		fs_close(ctx);
		if (r)
			return cli_fail(&err, r);
		printf("created fund %lld with its standard accounts\n", (long long)id);
		return EX_OK;
	}
	if (argc > 2 && !strcmp(argv[1], "balances")) {
		int64_t fund;
		int rc;
		if (fund_id_only(argc - 1, argv + 1, "fund balances", &fund, &rc))
			return rc;
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
	int rc;
	if (argc < 2 || cli_is_help(argv[1]) || strcmp(argv[1], "export")) {
		fputs("usage: fairshare ledger export --fund F [--format ledger|beancount|csv] [--output FILE] [--reveal]\n\n"
		      "Posted transfers as a journal that ledger-cli and hledger read (default),\n"
		      "as beancount, or as CSV. Donors and recipients only with --reveal.\n", argc > 1 && cli_is_help(argv[1]) ? stdout : stderr);
		return argc > 1 && cli_is_help(argv[1]) ? EX_OK : EX_USAGE;
	}
	const char *fmt = "ledger", *output = NULL;
	int64_t fund = 0;
	int reveal = 0;
	const struct cli_option opts[] = {
		CLI_OPT_ID("fund", &fund, "F", "the fund"),
		CLI_OPT_STRING("format", &fmt, "ledger|beancount|csv", "the format (ledger)"),
		CLI_OPT_STRING("output", &output, "FILE", "write to FILE (created private)"),
		CLI_OPT_FLAG("reveal", &reveal, "donors and recipients"),
		CLI_OPT_END(),
	};
	if (cli_parse_options(argc - 1, argv + 1, opts, "ledger export", 0, &rc) < 0)
		return rc;
	enum fs_ledger_format f = !strcmp(fmt, "ledger") || !strcmp(fmt, "hledger") ? FS_LEDGER_LEDGER
				  : !strcmp(fmt, "beancount") ? FS_LEDGER_BEANCOUNT : !strcmp(fmt, "csv") ? FS_LEDGER_CSV : (enum fs_ledger_format)-1;
	if ((int)f < 0)
		return cli_usage("--format is ledger, beancount or csv");
	struct fs_ctx *ctx = cli_open(c, FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	if (!fund) {
		fs_close(ctx);
		return cli_usage("name the fund with --fund ID");
	}
	FILE *out = output ? fs_private_fopen(output) : stdout;
	if (!out) {
		fs_close(ctx);
		fprintf(stderr, "fairshare: cannot create %s\n", output);
		return EX_CANTCREAT;
	}
	struct fs_error err = {0};
	int r = fs_ledger_export(ctx, fund, out, f, reveal, &err);
	fs_close(ctx);
	if (out != stdout && fclose(out) && !r)
		r = fs_fail(&err, FS_EIO, NULL, "cannot write %s", output);
	return r ? cli_fail(&err, r) : EX_OK;
}
