/* fund_batch.c - the funds' large batches: a site's payroll collection from a CSV
 * file and a week's strike pay to every striker. Each is one linked chain in one
 * batch, so the new rows are recorded all together or not at all; rows recorded
 * before (same id, same fields) are answered as such, so a rerun records exactly
 * the rows that are new, and anything not recorded is reported, naming the row. */
#include "internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"
#include "ledger_int.h"
#include "register/import_cols.h"

/* What a result means for a row of a payroll file or a striker. */
static const char *result_text(int r)
{
	switch (r) {
	case FS_T_EXISTS_DIFFERENT: return "exists_with_different_fields: a transfer with this id was recorded before with other fields";
	case FS_T_WOULD_GO_NEGATIVE: return "exceeds_balance: not enough money in the account it is paid from";
	case FS_T_INVALID: return "invalid: the id, the amount or the date";
	case FS_T_LINKED_FAILED: return "linked_event_failed: not recorded because another row of the batch failed";
	default: return fs_transfer_result_name(r);
	}
}

/* A ledger result of a payroll row as an error with its template (the web
 * translates it); code: the result's name. */
static void result_error(int r, struct fs_error *e)
{
	switch (r) {
	case FS_T_EXISTS_DIFFERENT: fs_fail(e, FS_EINVAL, "id", "a transfer with this id was recorded before with other fields"); break;
	case FS_T_WOULD_GO_NEGATIVE: fs_fail(e, FS_EINVAL, "amount", "not enough money in the account it is paid from"); break;
	case FS_T_INVALID: fs_fail(e, FS_EINVAL, NULL, "the id, the amount or the date is invalid"); break;
	default: fs_fail(e, FS_EINVAL, NULL, "not recorded: %s", fs_transfer_result_name(r)); break;
	}
}

/* ---- payroll collections: many small contributions from a site, one batch ---- */

/* The file's own header of each column (worker, amount, date, id) */
struct pcols {
	int col[4];
	char head[4][64];
};
enum { P_WORKER, P_AMOUNT, P_DATE, P_ID };

/* One row's error: its line, the file's own header of the column at fault,
 * a stable code and the template and parameters it was written from (what the
 * web translates), and the English message for every other reader. */
static void row_error(json_t *errors, long line, const char *column, const char *id, const char *code, const struct fs_error *e)
{
	json_t *params = json_array();
	for (int i = 0; params && i < e->nparams && i < FS_ERROR_PARAMS; i++) {
		char v[sizeof(e->params[0])];
		snprintf(v, sizeof(v), "%s", e->params[i]);
		json_array_append_new(params, json_string(fs_utf8_repair(v)));
	}
	char col[64];
	snprintf(col, sizeof(col), "%s", column ? column : "");
	fs_utf8_repair(col);
	json_array_append_new(errors, json_pack("{s:I,s:s?,s:s?,s:s,s:s?,s:o,s:s}", "line", (json_int_t)line, "column", col[0] ? col : NULL,
						"id", id, "code", code, "template", e->tmpl, "params", params ? params : json_array(),
						"message", e->message));
}

struct prow {
	int64_t amount_minor;
	long line;
	int explicit_id;
	char id[FS_TRANSFER_ID_MAX + 8];
	char date[11];
	char *party;
};

static int header(struct fs_csv *csv, const char *name, struct pcols *pc, struct fs_error *err)
{
	int *col = pc->col;
	struct fs_error perr = {0};
	int r = fs_csv_next(csv, &perr);
	if (r == 0)
		return fs_fail(err, FS_EINVAL, NULL, "%s is empty", name);
	if (r < 0)
		return fs_fail(err, r, NULL, "%s: %s", name, perr.message);
	/* the columns' names in the four languages, folded as the people import's */
	static const char *const names[4][12] = {
		{"worker", "name", "isci", "ad", "ad_soyad", "adi_soyadi", "работник", "имя", "фио", "жумысшы", "аты_жони", NULL},
		{"amount", "tutar", "miktar", "aidat", "сумма", "взнос", "сома", "жарна", NULL},
		{"date", "tarih", "odeme_tarihi", "дата", "дата_платежа", "куни", "толем_куни", NULL},
		{"id", "ref", "referans", "dekont_no", "номер", "номер_платежа", "нөмир", "номир", NULL}};
	const struct fs_csv_field *h = fs_csv_fields(csv);
	struct fs_buf norm;
	fs_buf_init(&norm, 4096);
	for (size_t i = 0; i < fs_csv_nfields(csv); i++) {
		int k = -1;
		if (import_normalize_header(h[i].data, h[i].len, &norm)) {
			fs_buf_done(&norm);
			return FS_ENOMEM;
		}
		for (int j = 0; j < 4 && k < 0; j++)
			for (int a = 0; names[j][a] && k < 0; a++)
				if (norm.data && !strcmp(norm.data, names[j][a]))
					k = j;
		if (k < 0) {
			fs_buf_done(&norm);
			return fs_fail(err, FS_EINVAL, h[i].data, "%s: unknown column '%.40s' (worker, amount, date, id)", name, h[i].data);
		}
		col[k] = (int)i;
		snprintf(pc->head[k], sizeof(pc->head[k]), "%s", h[i].data);
	}
	fs_buf_done(&norm);
	if (col[1] < 0 || col[2] < 0)
		return fs_fail(err, FS_EINVAL, NULL, "%s: the columns amount and date are required", name);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct prow *x = *(const struct prow *const *)a, *y = *(const struct prow *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* An id given twice in the file is an error on the later line (two payments
 * with one bank reference), not a row "recorded before". */
static int duplicate_ids(struct prow *rows, size_t n, const char *id_head, json_t *errors)
{
	struct prow **ix = malloc((n ? n : 1) * sizeof(*ix));
	if (!ix)
		return FS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		ix[i] = &rows[i];
	qsort(ix, n, sizeof(*ix), by_id);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(ix[i]->id, ix[i - 1]->id)) {
			struct fs_error e = {0};
			fs_fail(&e, FS_EINVAL, "id", "the id '%s' is also on line %ld", ix[i]->id, ix[i - 1]->line);
			row_error(errors, ix[i]->line, id_head, NULL, "duplicate_id", &e);
		}
	free(ix);
	return 0;
}

int fs_fund_payroll(struct fs_ctx *ctx, int64_t fund, FILE *in, const char *name, const char *site, const char *into,
		    json_t **ret, struct fs_error *err)
{
	int64_t debit, credit;
	int rc = fs_account_by_name(ctx, fund, into ? into : "assets:bank", &debit, err);
	if (!rc)
		rc = fs_account_by_name(ctx, fund, "income:payroll", &credit, err);
	if (rc)
		return rc;
	struct fs_csv *csv = fs_csv_new_file(in);
	if (!csv)
		return FS_ENOMEM;
	struct pcols pc = {{-1, -1, -1, -1}, {""}};
	int *col = pc.col; /* worker, amount, date, id */
	if ((rc = header(csv, name, &pc, err))) {
		fs_csv_free(csv);
		return rc;
	}
	/* the default id's site part: the same site's file twice records once */
	unsigned char h[8];
	char site_hex[17];
	crypto_generichash(h, sizeof(h), (const unsigned char *)(site ? site : name), strlen(site ? site : name), NULL, 0);
	fs_hex(h, sizeof(h), site_hex);
	/* rows are read whole first; pointers into them are taken only when the
	 * array no longer grows */
	struct prow *rows = NULL;
	size_t n = 0, cap = 0, nlines = 0; /* valid rows; all rows */
	json_t *errors = json_array();
	struct fs_error perr = {0};
	int r;
	while (!rc && (r = fs_csv_next(csv, &perr)) == 1) {
		const struct fs_csv_field *f = fs_csv_fields(csv);
		size_t nf = fs_csv_nfields(csv);
		long line = fs_csv_line(csv);
		if (nf == 1 && !f[0].len)
			continue;
		nlines++;
		if (n >= FS_FUND_BATCH_MAX) {
			rc = fs_fail(err, FS_ELIMIT, NULL, "%s: more than %d rows at line %ld: split the file", name, FS_FUND_BATCH_MAX, line);
			break;
		}
		if (fs_grow(&rows, &cap, n, sizeof(*rows), 1024)) {
			rc = FS_ENOMEM;
			break;
		}
		struct prow *p = &rows[n];
		memset(p, 0, sizeof(*p));
		p->line = line;
		struct fs_error ferr = {0};
		fs_date d;
		int bad = -1; /* the column at fault; P_WORKER for the row itself */
		if ((size_t)col[1] >= nf || (size_t)col[2] >= nf)
			fs_fail(&ferr, FS_EINVAL, NULL, "the row has fewer fields than the header"), bad = P_WORKER;
		else if (fs_money_parse(f[col[1]].data, 2, &p->amount_minor, &ferr, "amount"))
			bad = P_AMOUNT;
		else if (p->amount_minor <= 0)
			fs_fail(&ferr, FS_EINVAL, "amount", "the amount must be more than zero"), bad = P_AMOUNT;
		else if (fs_date_parse(f[col[2]].data, &d, &ferr, "date"))
			bad = P_DATE;
		else if (col[3] >= 0 && (size_t)col[3] < nf && f[col[3]].len && !fs_transfer_id_ok(f[col[3]].data))
			fs_fail(&ferr, FS_EINVAL, "id", "'%.64s' is not a transfer id (1-64 of A-Z a-z 0-9 . _ : -)", f[col[3]].data), bad = P_ID;
		if (bad >= 0) {
			row_error(errors, line, bad == P_WORKER ? NULL : pc.head[bad], NULL, bad == P_WORKER ? "short_row" : "invalid", &ferr);
			continue;
		}
		fs_date_format(d, p->date);
		if (col[3] >= 0 && (size_t)col[3] < nf && f[col[3]].len) {
			snprintf(p->id, sizeof(p->id), "%s", f[col[3]].data);
			p->explicit_id = 1;
		} else { /* from site, date and line */
			snprintf(p->id, sizeof(p->id), "pay-%s-%s-%ld", site_hex, p->date, line);
		}
		if (col[0] >= 0 && (size_t)col[0] < nf && !(p->party = strdup(f[col[0]].data))) {
			rc = FS_ENOMEM;
			break;
		}
		n++;
	}
	if (!rc && r < 0)
		rc = fs_fail(err, r, NULL, "%s: %s", name, perr.message);
	fs_csv_free(csv);
	if (!rc)
		rc = duplicate_ids(rows, n, col[3] >= 0 ? pc.head[P_ID] : NULL, errors);
	struct fs_transfer *t = !rc && n ? calloc(n, sizeof(*t)) : NULL;
	int *res = !rc && n ? calloc(n, sizeof(int)) : NULL;
	if (!rc && n && (!t || !res))
		rc = FS_ENOMEM;
	long stored = 0, existed = 0, missed = 0;
	if (!rc && json_array_size(errors)) {
		rc = fs_fail(err, FS_EINVAL, NULL, "%s: %zu rows are invalid; nothing was recorded", name, json_array_size(errors));
		missed = (long)nlines;
	} else if (!rc && n) {
		for (size_t i = 0; i < n; i++) /* one linked chain: the new rows all or none */
			t[i] = (struct fs_transfer){.id = rows[i].id, .debit_account = debit, .credit_account = credit,
						    .amount_minor = rows[i].amount_minor, .code = "payroll", .value_date = rows[i].date,
						    .memo = site, .party = rows[i].party, .flags = i + 1 < n ? FS_TF_LINKED : 0};
		rc = fs_ledger_transfer(ctx, fund, t, n, res, err);
		for (size_t i = 0; !rc && i < n; i++) {
			stored += res[i] == FS_T_OK;
			existed += res[i] == FS_T_EXISTS;
			missed += res[i] != FS_T_OK && res[i] != FS_T_EXISTS;
			if (res[i] != FS_T_OK && res[i] != FS_T_EXISTS && res[i] != FS_T_LINKED_FAILED) {
				struct fs_error e = {0};
				result_error(res[i], &e);
				row_error(errors, rows[i].line, e.field[0] == 'a' ? pc.head[P_AMOUNT] : col[3] >= 0 && e.field[0] == 'i' ? pc.head[P_ID] : NULL,
					  rows[i].id, fs_transfer_result_name(res[i]), &e);
			}
		}
		if (!rc && missed)
			rc = fs_fail(err, FS_EINVAL, NULL,
				     "%s: %ld new rows not recorded: a payroll file is recorded whole or not at all; fix the rows named and run it again",
				     name, missed);
	}
	for (size_t i = 0; i < n; i++)
		free(rows[i].party);
	free(rows);
	free(t);
	free(res);
	if (rc && rc != FS_EINVAL) {
		json_decref(errors);
		return rc;
	}
	*ret = json_pack("{s:I,s:I,s:I,s:I,s:o}", "rows", (json_int_t)nlines, "recorded", (json_int_t)stored, "already_recorded",
			 (json_int_t)existed, "not_recorded", (json_int_t)missed, "errors", errors);
	return rc;
}

/* ---- strike pay: one week, every striker, by the fund's policy ---- */

struct striker_ud {
	int64_t *ids;
	size_t n, cap;
	int rc;
};

static int striker_cb(void *p, const struct fs_value *v)
{
	struct striker_ud *u = p;
	if (u->n >= FS_FUND_BATCH_MAX)
		return u->rc = FS_ELIMIT, 1;
	if (fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 1024))
		return u->rc = FS_ENOMEM, 1;
	u->ids[u->n++] = v[0].i; /* person_id */
	return 0;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Everyone employed at the workplace and not terminated, and the persons listed
 * (who must exist), each once. */
static int strikers(struct fs_ctx *ctx, int64_t workplace, const int64_t *persons, size_t npersons, struct striker_ud *u,
		    struct fs_error *err)
{
	int rc = 0;
	if (workplace > 0) {
		static const char *const cols[] = {"person_id"};
		struct fs_filter f[3] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"workplace_id", FS_EQ, fs_vint(workplace)},
					 {"terminated", FS_EQ, fs_vnull()}};
		struct fs_query q = {.table = &fs_entity_find("employment")->table, .filters = f, .nfilters = 3, .columns = cols, .ncolumns = 1};
		rc = fs_store_select(ctx->st, &q, striker_cb, u, err);
	}
	for (size_t i = 0; !rc && !u->rc && i < npersons; i++) {
		json_t *p;
		if ((rc = fs_get(ctx, fs_entity_find("person"), persons[i], 0, &p, err)))
			break;
		json_decref(p);
		striker_cb(u, &(struct fs_value){FS_VINT, persons[i], NULL, 0});
	}
	if (!rc && u->rc == FS_ELIMIT)
		return fs_fail(err, FS_ELIMIT, "persons", "strike pay goes to at most %d strikers in one run", FS_FUND_BATCH_MAX);
	if (!rc && u->rc)
		return u->rc;
	if (!rc && !u->n)
		return fs_fail(err, FS_EINVAL, "persons", "no strikers: give --workplace or --persons");
	if (rc)
		return rc;
	qsort(u->ids, u->n, sizeof(*u->ids), by_value);
	size_t k = 0;
	for (size_t i = 0; i < u->n; i++)
		if (!k || u->ids[k - 1] != u->ids[i])
			u->ids[k++] = u->ids[i];
	u->n = k;
	return 0;
}

int fs_fund_strike_pay(struct fs_ctx *ctx, int64_t fund, const char *week, int64_t workplace, const int64_t *persons,
		       size_t npersons, json_t **ret, struct fs_error *err)
{
	fs_date d;
	int rc = fs_date_parse(week, &d, err, "week");
	if (rc)
		return rc;
	/* the week is its Monday, whatever day of it is given: a week's pay is once per
	 * striker, so Wednesday's run finds what Monday's paid (1970-01-01 was a Thursday) */
	d -= (fs_date)((d % 7 + 7 + 3) % 7);
	json_t *fj;
	if ((rc = fs_get(ctx, fs_entity_find("fund"), fund, 0, &fj, err)))
		return rc;
	int64_t weekly = json_integer_value(json_object_get(fj, "strike_pay_weekly_minor"));
	json_decref(fj);
	if (weekly <= 0)
		return fs_fail(err, FS_EINVAL, "strike_pay_weekly", "the fund has no strike-pay policy: set it with 'fund edit %lld --strike-pay-weekly AMOUNT'",
			       (long long)fund);
	struct striker_ud u = {0};
	rc = strikers(ctx, workplace, persons, npersons, &u, err);
	int64_t debit = 0, credit = 0;
	if (!rc)
		rc = fs_account_by_name(ctx, fund, "expenses:strike-pay", &debit, err);
	if (!rc)
		rc = fs_account_by_name(ctx, fund, "assets:cash", &credit, err);
	struct fs_transfer *t = rc ? NULL : calloc(u.n, sizeof(*t));
	char (*ids)[64] = rc ? NULL : calloc(u.n, 64);
	int *res = rc ? NULL : calloc(u.n, sizeof(int));
	size_t *who = rc ? NULL : calloc(u.n, sizeof(size_t)); /* t[j] pays u.ids[who[j]] */
	char day[11];
	fs_date_format(d, day);
	if (!rc && (!t || !ids || !res || !who))
		rc = FS_ENOMEM;
	json_t *scan = NULL, *failures = json_array();
	if (!rc && !failures)
		rc = FS_ENOMEM;
	if (!rc) /* the week entered for approval before: waiting, approved or refused */
		rc = fs_strike_pending_scan(ctx, fund, day, &scan, err);
	long paid = 0, before = 0, unpaid = 0, awaiting = 0;
	int failed = 0;
	size_t m = 0;
	for (size_t i = 0; !rc && i < u.n; i++) {
		/* one per fund, week and striker: running the week again pays nobody twice */
		snprintf(ids[i], 64, "strike-%lld-%s-%lld", (long long)fund, day, (long long)u.ids[i]);
		const char *state = json_string_value(json_object_get(json_object_get(scan, ids[i]), "state"));
		if (state && !strcmp(state, "voided")) { /* the second person refused it: not entered again */
			unpaid++;
			failed = failed ? failed : FS_T_PENDING_DONE;
			json_array_append_new(failures, json_pack("{s:I,s:s,s:s}", "person_id", (json_int_t)u.ids[i], "id", ids[i], "message",
								  "entered for approval and refused (voided): not paid"));
			continue;
		}
		if (state) {
			awaiting += !strcmp(state, "pending");
			before += !strcmp(state, "posted");
			continue;
		}
		who[m] = i;
		t[m++] = (struct fs_transfer){.id = ids[i], .debit_account = debit, .credit_account = credit, .amount_minor = weekly,
					      .code = "strike-pay", .value_date = day};
	}
	for (size_t j = 0; j + 1 < m; j++)
		t[j].flags |= FS_TF_LINKED;
	if (!rc && m)
		rc = fs_ledger_transfer(ctx, fund, t, m, res, err);
	/* past the threshold or the rolling limit: the whole batch waits for a second
	 * person, as pending transfers (fund_approval.c posts them all, or none) */
	int approval = 0, other = 0;
	for (size_t j = 0; !rc && j < m; j++) {
		approval |= res[j] == FS_T_APPROVAL_REQUIRED;
		other |= res[j] != FS_T_APPROVAL_REQUIRED && res[j] != FS_T_LINKED_FAILED && res[j] != FS_T_EXISTS;
	}
	if (!rc && approval && !other) {
		size_t k = 0;
		for (size_t j = 0; j < m; j++)
			if (res[j] != FS_T_EXISTS) {
				who[k] = who[j];
				t[k] = t[j];
				t[k++].flags = FS_TF_PENDING | FS_TF_LINKED;
			} else {
				before++;
			}
		if (k)
			t[k - 1].flags = FS_TF_PENDING;
		m = k;
		rc = k ? fs_ledger_transfer(ctx, fund, t, m, res, err) : 0;
		for (size_t j = 0; !rc && j < m; j++)
			if (res[j] == FS_T_OK)
				awaiting++, res[j] = -1; /* counted: waits */
	}
	for (size_t j = 0; !rc && j < m; j++) {
		if (res[j] < 0)
			continue;
		paid += res[j] == FS_T_OK;
		before += res[j] == FS_T_EXISTS;
		unpaid += res[j] != FS_T_OK && res[j] != FS_T_EXISTS;
		if (res[j] != FS_T_OK && res[j] != FS_T_EXISTS && res[j] != FS_T_LINKED_FAILED) {
			failed = failed ? failed : res[j];
			json_array_append_new(failures, json_pack("{s:I,s:s,s:s}", "person_id", (json_int_t)u.ids[who[j]], "id", t[j].id,
								  "message", result_text(res[j])));
		}
	}
	int64_t unpaid_minor = 0;
	if (!rc && fs_money_mul(weekly, unpaid, &unpaid_minor))
		unpaid_minor = -1; /* past the largest amount: shown as unknown */
	char batch[64];
	snprintf(batch, sizeof(batch), "strike-%lld-%s", (long long)fund, day);
	if (!rc)
		*ret = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:O,s:s?}", "week", day, "strikers", (json_int_t)u.n,
				 "paid", (json_int_t)paid, "paid_before", (json_int_t)before, "not_paid", (json_int_t)unpaid,
				 "awaiting_approval", (json_int_t)awaiting, "amount_minor", (json_int_t)weekly,
				 "not_paid_minor", (json_int_t)unpaid_minor, "result",
				 failed ? fs_transfer_result_name(failed) : unpaid ? fs_transfer_result_name(FS_T_LINKED_FAILED)
				 : awaiting ? fs_transfer_result_name(FS_T_APPROVAL_REQUIRED) : "ok",
				 "failures", failures, "pending_id", awaiting ? batch : NULL);
	json_decref(scan);
	free(who);
	json_decref(failures);
	free(u.ids);
	free(t);
	free(ids);
	free(res);
	return rc;
}
