/* funds.c - the solidarity funds on top of the ledger: a fund with its standard
 * accounts, contributions, disbursements with two-person approval, and exports
 * that ledger-cli, hledger and beancount read. */
#include "internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/csv.h"
#include "util/date.h"
#include "util/money.h"
#include "ledger_int.h"

/* The chart of accounts a new fund starts with. */
static const struct {
	const char *name, *kind;
	int no_negative;
} standard_accounts[] = {
	{"assets:cash", "asset", 1}, {"assets:bank", "asset", 1}, {"assets:in-kind", "asset", 0},
	{"income:contributions", "income", 0}, {"income:payroll", "income", 0}, {"income:in-kind", "income", 0},
	{"expenses:strike-pay", "expense", 0}, {"expenses:family-support", "expense", 0}, {"expenses:legal", "expense", 0},
	{"expenses:other", "expense", 0}, {"liabilities:support-payable", "liability", 0}, {"equity:opening", "equity", 0},
};

int fs_fund_create(struct fs_ctx *ctx, const struct fs_kv *kv, size_t n, int64_t *ret_id, struct fs_error *err)
{
	int rc = fs_tx_begin(ctx, err);
	if (rc)
		return rc;
	int64_t fund = 0;
	rc = fs_create(ctx, fs_entity_find("fund"), kv, n, &fund, err);
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)fund);
	for (size_t i = 0; !rc && i < sizeof(standard_accounts) / sizeof(standard_accounts[0]); i++) {
		struct fs_kv a[] = {{"fund_id", fid}, {"name", standard_accounts[i].name}, {"kind", standard_accounts[i].kind},
				    {"no_negative", standard_accounts[i].no_negative ? "yes" : "no"}};
		rc = fs_create(ctx, fs_entity_find("account"), a, 4, NULL, err);
	}
	rc = fs_tx_end(ctx, rc, err);
	if (!rc && ret_id)
		*ret_id = fund;
	return rc;
}

struct id_ud {
	int64_t id;
};

static int first_id(void *p, const struct fs_value *v)
{
	((struct id_ud *)p)->id = v[0].i;
	return 1;
}

int fs_account_by_name(struct fs_ctx *ctx, int64_t fund, const char *name, int64_t *ret, struct fs_error *err)
{
	char *end;
	long long id = strtoll(name, &end, 10);
	if (*name && !*end && id > 0) {
		*ret = id;
		return 0;
	}
	const struct fs_entity *ae = fs_entity_find("account");
	struct fs_filter f[3] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)},
				 {"name", FS_EQ, fs_vtext(name)}};
	struct fs_query q = {.table = &ae->table, .filters = f, .nfilters = 3, .limit = 1};
	struct id_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, first_id, &u, err);
	if (!rc && !u.id)
		rc = fs_fail(err, FS_EINVAL, "account", "fund %lld has no account '%.60s'", (long long)fund, name);
	if (!rc)
		*ret = u.id;
	return rc;
}

struct tf_row {
	char actor[FS_ACTOR_MAX], id[72], date[11];
	int64_t flags, amount, fund;
	int found;
};

static int tf_row_cb(void *p, const struct fs_value *v)
{
	struct tf_row *t = p;
	t->found = 1;
	t->fund = v[0].i;
	t->flags = v[1].i;
	t->amount = v[2].i;
	snprintf(t->actor, sizeof(t->actor), "%.*s", (int)v[3].n, (const char *)v[3].p);
	snprintf(t->id, sizeof(t->id), "%.*s", (int)v[4].n, (const char *)v[4].p);
	snprintf(t->date, sizeof(t->date), "%.*s", (int)v[5].n, (const char *)v[5].p);
	return 1;
}

int fs_ledger_approve(struct fs_ctx *ctx, int64_t fund, const char *pending_id, const char *approval_id, int *result,
		      struct fs_error *err)
{
	/* the capability first, as the API's route does: refused before "not found" */
	int rc0 = fs_principal_require(ctx, "funds.approve", err);
	if (rc0)
		return rc0;
	static const char *const cols[] = {"fund_id", "flags", "amount_minor", "actor", "id", "value_date"};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"id", FS_EQ, fs_vtext(pending_id)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2, .limit = 1, .columns = cols, .ncolumns = 6};
	struct tf_row t = {0};
	int rc = fs_store_select(ctx->st, &q, tf_row_cb, &t, err);
	if (rc)
		return rc;
	if (!t.found && !strncmp(pending_id, "strike-", 7)) /* a week's strike pay: all its strikers at once */
		return fs_strike_batch_approve(ctx, fund, pending_id, result, err);
	if (!t.found || t.fund != fund || !(t.flags & FS_TF_PENDING))
		return fs_fail(err, FS_ENOTFOUND, "id", "no pending disbursement '%.64s' in this fund", pending_id);
	/* posted or voided before, by anyone under any id: say so, never "exists" */
	struct tf_row done = {0};
	f[1] = (struct fs_filter){"pending_id", FS_EQ, fs_vtext(pending_id)};
	if ((rc = fs_store_select(ctx->st, &q, tf_row_cb, &done, err)))
		return rc;
	if (done.found) {
		char a[32], whole[32];
		fs_money_format(done.amount, 2, a);
		fs_money_format(t.amount, 2, whole);
		if (done.flags & FS_TF_VOID)
			return fs_fail(err, FS_ECONFLICT, "pending_id", "'%.64s' was already voided by %s (transfer '%s' of %s): nothing to approve",
				       pending_id, done.actor, done.id, done.date);
		return fs_fail(err, FS_ECONFLICT, "pending_id", "'%.64s' was already posted by %s (transfer '%s' of %s, %s of %s): this approval records nothing",
			       pending_id, done.actor, done.id, done.date, a, whole);
	}
	/* the second person is another account, by id (payout.c holds it for every post) */
	if (fs_actor_is_principal(ctx, t.actor))
		return fs_fail(err, FS_EPERM, "actor", "a disbursement is approved by a second person, not by %s who entered it", ctx->actor);
	if (ctx->principal_id <= 0)
		return fs_fail(err, FS_EPERM, "actor", "the second person of a payout is an account: approve as one (--as NAME), not as %s",
			       ctx->actor);
	int rc2 = fs_principal_require(ctx, "funds.approve", err);
	if (rc2)
		return rc2;
	struct fs_transfer post = {.id = approval_id, .flags = FS_TF_POST, .pending_id = pending_id};
	return fs_ledger_transfer(ctx, fund, &post, 1, result, err);
}

/* ---- exports ---- */

struct export_ud {
	struct fs_ctx *ctx;
	FILE *out;
	enum fs_ledger_format fmt;
	int reveal;
	json_t *names;  /* account id -> name */
	json_t *kinds;  /* account id -> kind */
	json_t *pending; /* pending id -> [debit, credit, code, memo] */
	char currency[4];
	int rc;
	struct fs_error *err;
};

static const char *acct_name(struct export_ud *u, int64_t id)
{
	char k[24];
	snprintf(k, sizeof(k), "%lld", (long long)id);
	return json_string_value(json_object_get(u->names, k));
}

/* beancount wants Assets:Cash-Box style names with the five standard roots */
static void beancount_name(const char *kind, const char *name, char *out, size_t n)
{
	const char *root = !strcmp(kind, "asset") ? "Assets" : !strcmp(kind, "income") ? "Income"
			   : !strcmp(kind, "expense") ? "Expenses" : !strcmp(kind, "liability") ? "Liabilities" : "Equity";
	const char *rest = strchr(name, ':') ? strchr(name, ':') + 1 : name;
	size_t k = (size_t)snprintf(out, n, "%s:", root);
	int start = 1;
	for (const char *p = rest; *p && k + 2 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ':') {
			out[k++] = ':';
			start = 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			c = '-';
		if (start && c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (start && !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			out[k++] = 'X';
		out[k++] = (char)c;
		start = 0;
	}
	out[k] = '\0';
}

static void text_clean(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in ? in : ""; *p && k + 1 < n; p++)
		out[k++] = (*p == '"' || *p == '\n' || *p == '\r' || *p == ';') ? ' ' : *p;
	out[k] = '\0';
}

static int export_cb(void *p, const struct fs_value *v)
{
	/* columns of fs_transfers_table */
	struct export_ud *u = p;
	int64_t flags = v[9].i;
	char id[80], code[40], memo[520], date[11], party[300] = "";
	snprintf(id, sizeof(id), "%.*s", (int)v[1].n, (const char *)v[1].p);
	snprintf(code, sizeof(code), "%.*s", (int)v[8].n, (const char *)v[8].p);
	snprintf(date, sizeof(date), "%.*s", (int)v[13].n, (const char *)v[13].p);
	char rawmemo[520] = "";
	if (v[15].type == FS_VTEXT)
		snprintf(rawmemo, sizeof(rawmemo), "%.*s", (int)v[15].n, (const char *)v[15].p);
	text_clean(rawmemo, memo, sizeof(memo));
	if (u->reveal && v[16].type == FS_VBLOB) {
		struct fs_buf pl;
		fs_buf_init(&pl, 4096);
		if (!fs_party_open(u->ctx, v, &pl))
			text_clean(pl.data, party, sizeof(party));
		if (pl.data)
			sodium_memzero(pl.data, pl.len);
		fs_buf_done(&pl);
	}
	if (flags & FS_TF_PENDING)
		return 0; /* reserved, not posted: not in the books until posted */
	if (flags & FS_TF_VOID)
		return 0;
	char amount[32];
	fs_money_format(v[6].i, 2, amount);
	const char *debit = acct_name(u, v[4].i), *credit = acct_name(u, v[5].i);
	if (!debit || !credit)
		return u->rc = fs_fail(u->err, FS_EINTEGRITY, NULL, "transfer %s names an unknown account", id), 1;
	if (u->fmt == FS_LEDGER_CSV) {
		fprintf(u->out, "%lld,", (long long)v[0].i);
		fs_csv_write_cell(u->out, id, strlen(id));
		fprintf(u->out, ",%s,", date);
		fs_csv_write_cell(u->out, debit, strlen(debit));
		fputc(',', u->out);
		fs_csv_write_cell(u->out, credit, strlen(credit));
		fprintf(u->out, ",%s,%s,", amount, u->currency);
		fs_csv_write_cell(u->out, code, strlen(code));
		fputc(',', u->out);
		fs_csv_write_cell(u->out, rawmemo, strlen(rawmemo));
		if (u->reveal) {
			fputc(',', u->out);
			fs_csv_write_cell(u->out, party, strlen(party));
		}
		fputs("\r\n", u->out);
	} else if (u->fmt == FS_LEDGER_BEANCOUNT) {
		char d[128], c[128], k[24];
		snprintf(k, sizeof(k), "%lld", (long long)v[4].i);
		beancount_name(json_string_value(json_object_get(u->kinds, k)), debit, d, sizeof(d));
		snprintf(k, sizeof(k), "%lld", (long long)v[5].i);
		beancount_name(json_string_value(json_object_get(u->kinds, k)), credit, c, sizeof(c));
		fprintf(u->out, "%s * \"%s%s%s\" \"%s\"\n  id: \"%s\"\n  %s  %s %s\n  %s  -%s %s\n\n", date, party, *party ? " " : "",
			code, memo, id, d, amount, u->currency, c, amount, u->currency);
	} else {
		fprintf(u->out, "%s * %s%s%s  ; id:%s%s%s\n    %-40s  %s %s\n    %-40s  -%s %s\n\n", date, code, *party ? " " : "",
			party, id, *memo ? " " : "", memo, debit, amount, u->currency, credit, amount, u->currency);
	}
	if (ferror(u->out))
		return u->rc = fs_fail(u->err, FS_EIO, NULL, "cannot write the export"), 1;
	return 0;
}

int fs_ledger_export(struct fs_ctx *ctx, int64_t fund, FILE *out, enum fs_ledger_format fmt, int reveal, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "funds.read", err);
	if (cap_rc)
		return cap_rc;
	json_t *bal;
	int rc = fs_fund_balances(ctx, fund, &bal, err);
	if (rc)
		return rc;
	struct export_ud u = {.ctx = ctx, .out = out, .fmt = fmt, .reveal = reveal, .names = json_object(), .kinds = json_object(), .err = err};
	size_t i;
	json_t *a;
	json_array_foreach(bal, i, a) {
		char k[24];
		snprintf(k, sizeof(k), "%lld", (long long)json_integer_value(json_object_get(a, "account_id")));
		json_object_set(u.names, k, json_object_get(a, "name"));
		json_object_set(u.kinds, k, json_object_get(a, "kind"));
		snprintf(u.currency, sizeof(u.currency), "%s", json_string_value(json_object_get(a, "currency")));
	}
	if (fmt == FS_LEDGER_CSV) {
		fprintf(out, "seq,id,date,debit,credit,amount,currency,code,memo%s\r\n", reveal ? ",party" : "");
	} else if (fmt == FS_LEDGER_BEANCOUNT) {
		fprintf(out, "option \"operating_currency\" \"%s\"\n\n", u.currency);
		json_array_foreach(bal, i, a) {
			char name[128];
			beancount_name(json_string_value(json_object_get(a, "kind")), json_string_value(json_object_get(a, "name")), name, sizeof(name));
			fprintf(out, "1900-01-01 open %s %s\n", name, u.currency);
		}
		fputc('\n', out);
	} else {
		fprintf(out, "; fairshare ledger export, fund %lld; amounts in %s\n\n", (long long)fund, u.currency);
	}
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2};
	rc = fs_store_select(ctx->st, &q, export_cb, &u, err);
	if (!rc)
		rc = u.rc;
	json_decref(u.names);
	json_decref(u.kinds);
	json_decref(bal);
	if (!rc && fflush(out))
		rc = fs_fail(err, FS_EIO, NULL, "cannot write the export");
	return rc;
}

/* ---- reports: income and expense by month and category; the public report ---- */

struct report_ud {
	json_t *months; /* month -> {code -> minor} */
	json_t *kinds;  /* account id -> kind */
	int64_t in, out, in_n, out_n;
	int public_;
	int over; /* a sum passed the largest amount */
};

static int report_cb(void *p, const struct fs_value *v)
{
	struct report_ud *u = p;
	int64_t flags = v[9].i;
	if (flags & (FS_TF_PENDING | FS_TF_VOID))
		return 0;
	char k[24], month[8], code[40];
	snprintf(k, sizeof(k), "%lld", (long long)v[5].i);
	const char *credit_kind = json_string_value(json_object_get(u->kinds, k));
	snprintf(k, sizeof(k), "%lld", (long long)v[4].i);
	const char *debit_kind = json_string_value(json_object_get(u->kinds, k));
	snprintf(month, sizeof(month), "%.7s", (const char *)v[13].p);
	snprintf(code, sizeof(code), "%.*s", (int)v[8].n, (const char *)v[8].p);
	int income = credit_kind && !strcmp(credit_kind, "income"), expense = debit_kind && !strcmp(debit_kind, "expense");
	if (!income && !expense)
		return 0;
	if (fs_money_add(income ? u->in : u->out, v[6].i, income ? &u->in : &u->out))
		return u->over = 1, 1;
	if (income)
		u->in_n++;
	else
		u->out_n++;
	json_t *m = json_object_get(u->months, month);
	if (!m) {
		m = json_object();
		json_object_set_new(u->months, month, m);
	}
	char key[48];
	snprintf(key, sizeof(key), "%s:%s", income ? "income" : "expense", code);
	int64_t sum;
	if (fs_money_add(json_integer_value(json_object_get(m, key)), v[6].i, &sum))
		return u->over = 1, 1;
	json_object_set_new(m, key, json_integer(sum));
	return 0;
}

int fs_fund_report(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "funds.read", err);
	if (cap_rc)
		return cap_rc;
	json_t *bal;
	int rc = fs_fund_balances(ctx, fund, &bal, err);
	if (rc)
		return rc;
	struct report_ud u = {.months = json_object(), .kinds = json_object()};
	size_t i;
	json_t *a;
	int64_t cash = 0;
	json_array_foreach(bal, i, a) {
		char k[24];
		snprintf(k, sizeof(k), "%lld", (long long)json_integer_value(json_object_get(a, "account_id")));
		json_object_set(u.kinds, k, json_object_get(a, "kind"));
		if (!strcmp(json_string_value(json_object_get(a, "kind")), "asset") &&
		    fs_money_add(cash, json_integer_value(json_object_get(a, "balance_minor")), &cash))
			u.over = 1;
	}
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2};
	rc = u.over ? 0 : fs_store_select(ctx->st, &q, report_cb, &u, err);
	if (!rc && u.over)
		rc = fs_fail(err, FS_ELIMIT, NULL, "the fund's totals pass the largest amount a report can show");
	json_t *fj = NULL;
	if (!rc)
		rc = fs_get(ctx, fs_entity_find("fund"), fund, 0, &fj, err);
	if (rc) {
		json_decref(u.months);
		json_decref(u.kinds);
		json_decref(bal);
		return rc;
	}
	/* totals and counts only: no donor, no recipient, no person */
	*ret = json_pack("{s:O,s:O,s:{s:I,s:I,s:I,s:I,s:I},s:o}", "fund", json_object_get(fj, "name"), "currency",
			 json_object_get(fj, "currency"), "totals", "income_minor", (json_int_t)u.in, "contributions",
			 (json_int_t)u.in_n, "expense_minor", (json_int_t)u.out, "disbursements", (json_int_t)u.out_n,
			 "assets_minor", (json_int_t)cash, "by_month", u.months);
	json_decref(fj);
	json_decref(u.kinds);
	json_decref(bal);
	return 0;
}

/* ---- pledges: pledged against received, month by month ---- */

struct pledge_sum {
	int64_t pledge, received;
};

struct pledge_ud {
	struct pledge_sum *s;
	size_t n;
	int over; /* a sum passed the largest amount */
};

static int pledge_transfer_cb(void *p, const struct fs_value *v)
{
	struct pledge_ud *u = p;
	/* columns: code, amount_minor, flags */
	if (v[2].i & (FS_TF_PENDING | FS_TF_VOID) || v[0].n < 8 || memcmp(v[0].p, "pledge-", 7))
		return 0;
	char num[24];
	snprintf(num, sizeof(num), "%.*s", (int)(v[0].n - 7), (const char *)v[0].p + 7);
	int64_t id = strtoll(num, NULL, 10);
	for (size_t i = 0; i < u->n; i++)
		if (u->s[i].pledge == id && fs_money_add(u->s[i].received, v[1].i, &u->s[i].received))
			return u->over = 1, 1;
	return 0;
}

static int months_between(const char *from, const char *to) /* both YYYY-MM-DD; inclusive */
{
	int y1 = (int)strtol(from, NULL, 10), m1 = (int)strtol(from + 5, NULL, 10);
	int y2 = (int)strtol(to, NULL, 10), m2 = (int)strtol(to + 5, NULL, 10);
	int n = (y2 - y1) * 12 + (m2 - m1) + 1;
	return n < 0 ? 0 : n;
}

int fs_fund_pledges(struct fs_ctx *ctx, int64_t fund, fs_date as_of, json_t **ret, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "funds.read", err);
	if (cap_rc)
		return cap_rc;
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)fund);
	struct fs_kv filt = {"fund_id", fid};
	json_t *list;
	int rc = fs_list_all(ctx, fs_entity_find("pledge"), &filt, 1, &list, err);
	if (rc)
		return rc;
	json_t *items = json_object_get(list, "items");
	struct pledge_ud u = {calloc(json_array_size(items) + 1, sizeof(struct pledge_sum)), json_array_size(items), 0};
	if (!u.s) {
		json_decref(list);
		return FS_ENOMEM;
	}
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p) u.s[i].pledge = json_integer_value(json_object_get(p, "id"));
	static const char *const cols[] = {"code", "amount_minor", "flags"};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2, .columns = cols, .ncolumns = 3};
	rc = fs_store_select(ctx->st, &q, pledge_transfer_cb, &u, err);
	char today[11];
	fs_date_format(as_of, today);
	json_t *out = json_array();
	int64_t tp = 0, tr = 0, ta = 0;
	json_array_foreach(items, i, p) {
		const char *start = json_string_value(json_object_get(p, "start_month"));
		const char *end = json_string_value(json_object_get(p, "end_month"));
		const char *until = end && strcmp(end, today) < 0 ? end : today;
		int months = strcmp(start, today) > 0 ? 0 : months_between(start, until);
		int64_t pledged = 0, arrears = 0;
		if (fs_money_mul(json_integer_value(json_object_get(p, "monthly_minor")), months, &pledged) ||
		    fs_money_sub(pledged, u.s[i].received, &arrears) || fs_money_add(tp, pledged, &tp) ||
		    fs_money_add(tr, u.s[i].received, &tr) || fs_money_add(ta, arrears > 0 ? arrears : 0, &ta))
			u.over = 1;
		if (arrears < 0)
			arrears = 0;
		json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:i,s:I,s:I,s:I}", "id", json_object_get(p, "id"), "label",
						     json_object_get(p, "label"), "monthly_minor", json_object_get(p, "monthly_minor"),
						     "months_due", months, "pledged_minor", (json_int_t)pledged, "received_minor",
						     (json_int_t)u.s[i].received, "arrears_minor", (json_int_t)arrears));
	}
	free(u.s);
	json_decref(list);
	if (!rc && u.over)
		rc = fs_fail(err, FS_ELIMIT, NULL, "the fund's pledge sums pass the largest amount a report can show");
	if (rc) {
		json_decref(out);
		return rc;
	}
	*ret = json_pack("{s:o,s:{s:I,s:I,s:I}}", "pledges", out, "totals", "pledged_minor", (json_int_t)tp, "received_minor",
			 (json_int_t)tr, "arrears_minor", (json_int_t)ta);
	return 0;
}

/* ---- the approval queue: pending transfers not yet posted or voided ---- */

struct pend_ud {
	struct fs_ctx *ctx;
	int approver; /* an account holding funds.approve */
	json_t *all;
	json_t *resolved; /* set of pending ids */
};

static int pending_cb(void *p, const struct fs_value *v)
{
	struct pend_ud *u = p;
	/* columns of fs_transfers_table */
	if (v[10].type == FS_VTEXT) {
		char id[80];
		snprintf(id, sizeof(id), "%.*s", (int)v[10].n, (const char *)v[10].p);
		json_object_set_new(u->resolved, id, json_true());
	}
	if (!(v[9].i & FS_TF_PENDING))
		return 0;
	json_array_append_new(u->all, json_pack("{s:s%,s:I,s:I,s:I,s:s%,s:s%,s:s%,s:s%}", "id", v[1].p, v[1].n, "debit_account_id",
						(json_int_t)v[4].i, "credit_account_id", (json_int_t)v[5].i, "amount_minor",
						(json_int_t)v[6].i, "code", v[8].p, v[8].n, "value_date", v[13].p, v[13].n,
						"entered_by", v[14].p, v[14].n, "memo", v[15].type == FS_VTEXT ? v[15].p : "",
						v[15].type == FS_VTEXT ? v[15].n : 0));
	/* the requester is never offered their own payout: decided here, not by the front end */
	char actor[FS_ACTOR_MAX];
	snprintf(actor, sizeof(actor), "%.*s", (int)v[14].n, (const char *)v[14].p);
	json_object_set_new(json_array_get(u->all, json_array_size(u->all) - 1), "can_approve",
			    json_boolean(u->approver && !fs_actor_is_principal(u->ctx, actor)));
	return 0;
}

int fs_fund_pending(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "funds.read", err);
	if (cap_rc)
		return cap_rc;
	struct pend_ud u = {ctx, fs_principal(ctx) > 0 && fs_principal_can(ctx, "funds.approve"), json_array(), json_object()};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2};
	int rc = fs_store_select(ctx->st, &q, pending_cb, &u, err);
	json_t *open = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(u.all, i, x) if (!json_object_get(u.resolved, json_string_value(json_object_get(x, "id"))))
		json_array_append(open, x);
	json_decref(u.all);
	json_decref(u.resolved);
	if (rc) {
		json_decref(open);
		return rc;
	}
	*ret = open;
	return 0;
}
