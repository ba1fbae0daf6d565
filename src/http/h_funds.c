/* h_funds.c - a fund's routes: create one (with its standard accounts), its
 * balances, report, pledges and approval queue, approvals of pending payouts,
 * and batches of transfers. The ledger core checks the money. */
#include "route.h"
#include "util/utf8.h"
#include "respond.h"
#include "util/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the fields errors name (variables, so tests/browser/templates.mjs finds the templates) */
static const char F_AMOUNT[] = "amount";
static const char F_PERSON_IDS[] = "person_ids";

/* POST /orgs/{org}/funds: a new fund comes with its standard accounts. */
enum MHD_Result fs_h_fund_create(struct fs_hreq *q)
{
	struct fs_error err = {0};
	struct fs_body b;
	fs_hreq_body(q, fs_entity_find("fund"), &b);
	if (!b.json)
		return MHD_YES;
	int64_t id;
	int rc = fs_fund_create(q->ctx, b.kv, b.n, &id, &err);
	fs_body_free(&b);
	json_t *out = NULL;
	if (!rc)
		rc = fs_get(q->ctx, fs_entity_find("fund"), id, 0, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 201, out, NULL);
}

/* The fund of the path (/orgs/{org}/funds/{id}/...); 0 after queuing a 404. */
static int64_t path_fund(struct fs_hreq *q)
{
	struct fs_error err = {0};
	char *end;
	json_t *out = NULL;
	int64_t fund = strtoll(q->param[1], &end, 10);
	if (*end || fund <= 0 || fs_get(q->ctx, fs_entity_find("fund"), fund, 0, &out, &err)) {
		fs_http_send_error(q->c, 404, "not_found", "no such fund", NULL);
		return 0;
	}
	json_decref(out);
	return fund;
}

/* GET /orgs/{org}/funds/{id}/balances | report | pledges | pending */
enum MHD_Result fs_h_fund_read(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	const char *what = q->seg[6];
	struct fs_error err = {0};
	json_t *out = NULL;
	int rc;
	if (!strcmp(what, "balances"))
		rc = fs_fund_balances(q->ctx, fund, &out, &err);
	else if (!strcmp(what, "report")) {
		rc = fs_fund_report(q->ctx, fund, &out, &err);
		char *proofs = NULL; /* its checkpoint and the inclusion proofs of the fund's entries */
		struct fs_error perr = {0};
		if (!rc && fs_fund_report_proofs(q->ctx, fund, &proofs, &perr))
			proofs = NULL;
		const char *qr = fs_hreq_arg(q, "qr"); /* ?qr=0: without the QR code */
		if (!rc)
			fs_proofs_attach_qr(out, proofs, &perr, !qr || strcmp(qr, "0"));
		free(proofs);
	}
	else if (!strcmp(what, "pledges"))
		rc = fs_fund_pledges(q->ctx, fund, fs_date_today(), &out, &err);
	else
		rc = fs_fund_pending(q->ctx, fund, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* POST /orgs/{org}/funds/{id}/approvals {"pending_id": "..."}: someone other
 * than who entered it posts it (the ledger core checks who). */
enum MHD_Result fs_h_fund_approve(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	struct fs_error err = {0};
	json_t *j = json_loadb(q->body ? q->body : "", q->body_len, 0, NULL);
	const char *pid = json_string_value(json_object_get(j, "pending_id"));
	if (!pid) {
		json_decref(j);
		return fs_http_send_error(q->c, 400, "wrong_type", "send {\"pending_id\": \"...\"}", "pending_id");
	}
	char aid[FS_TRANSFER_ID_MAX + 1];
	int res = 0;
	json_t *out = NULL;
	int rc = fs_ledger_resolution_id(pid, FS_TF_POST, aid, &err);
	if (!rc)
		rc = fs_ledger_approve(q->ctx, fund, pid, aid, &res, &err);
	if (!rc)
		out = json_pack("{s:s,s:s}", "id", aid, "result", fs_transfer_result_name(res));
	json_decref(j);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* each field of a transfer in its own JSON type (no "1000" read as 0) */
static const struct fs_json_field transfer_fields[] = {
	{"id", JSON_STRING, 1}, {"debit_account_id", JSON_INTEGER, 0}, {"credit_account_id", JSON_INTEGER, 0},
	{"amount_minor", JSON_INTEGER, 0}, {"code", JSON_STRING, 0}, {"linked", JSON_TRUE, 0},
	{"pending", JSON_TRUE, 0}, {"post", JSON_TRUE, 0}, {"void", JSON_TRUE, 0}, {"pending_id", JSON_STRING, 0},
	{"timeout_s", JSON_INTEGER, 0}, {"value_date", JSON_STRING, 0}, {"memo", JSON_STRING, 0}, {NULL, 0, 0}};

static void transfer_of(const json_t *x, struct fs_transfer *t)
{
	*t = (struct fs_transfer){
		.id = json_string_value(json_object_get(x, "id")),
		.debit_account = json_integer_value(json_object_get(x, "debit_account_id")),
		.credit_account = json_integer_value(json_object_get(x, "credit_account_id")),
		.amount_minor = json_integer_value(json_object_get(x, "amount_minor")),
		.code = json_string_value(json_object_get(x, "code")),
		.flags = (json_is_true(json_object_get(x, "linked")) ? FS_TF_LINKED : 0) |
			 (json_is_true(json_object_get(x, "pending")) ? FS_TF_PENDING : 0) |
			 (json_is_true(json_object_get(x, "post")) ? FS_TF_POST : 0) |
			 (json_is_true(json_object_get(x, "void")) ? FS_TF_VOID : 0),
		.pending_id = json_string_value(json_object_get(x, "pending_id")),
		.timeout_s = json_integer_value(json_object_get(x, "timeout_s")),
		.value_date = json_string_value(json_object_get(x, "value_date")),
		.memo = json_string_value(json_object_get(x, "memo"))};
}

/* POST /orgs/{org}/funds/{id}/transfers: an array of 1 to 8190 transfers, all
 * or none (the ledger's linked chains); one result each. */
enum MHD_Result fs_h_fund_transfers(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	struct fs_error err = {0};
	json_error_t jerr;
	json_t *j = json_loadb(q->body ? q->body : "", q->body_len, 0, &jerr);
	if (!json_is_array(j) || json_array_size(j) == 0 || json_array_size(j) > 8190) {
		json_decref(j);
		return fs_http_send_error(q->c, 400, j ? "wrong_type" : "malformed_json", "send an array of 1 to 8190 transfers", NULL);
	}
	size_t n = json_array_size(j);
	struct fs_transfer *t = calloc(n, sizeof(*t));
	int *res = calloc(n, sizeof(*res));
	enum MHD_Result ret;
	if (!t || !res) {
		ret = fs_http_send_error(q->c, 500, "internal", "internal error", NULL);
		goto out_free;
	}
	struct fs_body_error berr = {0};
	int bad = 0;
	size_t i;
	json_t *x;
	json_array_foreach(j, i, x) {
		if (!bad && fs_body_check_object(x, transfer_fields, &berr))
			bad = 1;
		transfer_of(x, &t[i]);
	}
	if (bad) {
		ret = fs_http_send_error(q->c, 400, berr.code, berr.message, berr.field);
		goto out_free;
	}
	int rc = fs_ledger_transfer(q->ctx, fund, t, n, res, &err);
	if (rc) {
		ret = fs_hreq_fail(q, rc, &err);
		goto out_free;
	}
	json_t *out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s,s:s}", "id", t[i].id, "result", fs_transfer_result_name(res[i])));
	ret = fs_http_send_json(q->c, 200, out, NULL);
out_free:
	free(t);
	free(res);
	json_decref(j);
	return ret;
}

/* ---- the treasurer's operations, one call each (core/fund_ops.c) ---- */


/* "amount": "250.00" or "amount_minor": 25000 (one of them); 0 or FS_EINVAL */
static const struct fs_json_field money_fields[] = {
	{"amount", JSON_STRING, 0}, {"amount_minor", JSON_INTEGER, 0}, {"kind", JSON_STRING, 0}, {"purpose", JSON_STRING, 0},
	{"donor", JSON_STRING, 0}, {"to", JSON_STRING, 0}, {"memo", JSON_STRING, 0}, {"id", JSON_STRING, 0},
	{"date", JSON_STRING, 0}, {"pledge_id", JSON_INTEGER, 0}, {NULL, 0, 0}};

/* POST /orgs/{org}/funds/{id}/contributions | disbursements */
enum MHD_Result fs_h_fund_money(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	json_t *j = fs_hreq_body_object(q, money_fields), *out = NULL;
	if (!j)
		return MHD_YES;
	int out_of = !strcmp(q->seg[6], "disbursements");
	struct fs_error err = {0};
	int has = 0;
	struct fs_money_op op = {.kind = json_string_value(json_object_get(j, out_of ? "purpose" : "kind")),
				 .party = json_string_value(json_object_get(j, out_of ? "to" : "donor")),
				 .memo = json_string_value(json_object_get(j, "memo")), .id = json_string_value(json_object_get(j, "id")),
				 .date = json_string_value(json_object_get(j, "date")),
				 .pledge_id = json_integer_value(json_object_get(j, "pledge_id"))};
	int rc = fs_hreq_amount(j, &has, &op.amount_minor, &err);
	if (!rc && !has)
		rc = fs_fail(&err, FS_EINVAL, F_AMOUNT, "the amount is required");
	if (!rc && (out_of ? json_object_get(j, "kind") || json_object_get(j, "donor") || json_object_get(j, "pledge_id")
			   : json_object_get(j, "purpose") || json_object_get(j, "to")))
		rc = fs_fail(&err, FS_EINVAL, NULL, "a contribution takes kind, donor, pledge_id; a disbursement purpose, to");
	if (!rc)
		rc = out_of ? fs_fund_disburse(q->ctx, fund, &op, &out, &err) : fs_fund_contribute(q->ctx, fund, &op, &out, &err);
	json_decref(j);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	const char *res = json_string_value(json_object_get(out, "result"));
	int fine = !strcmp(res, "ok") || !strcmp(res, "exists");
	return fs_http_send_json(q->c, fine ? 201 : 422, out, NULL);
}

/* GET /orgs/{org}/funds/{id}/payout?amount=A: the threshold and the rolling
 * limit, and whether this payout by the caller would wait for a second person */
enum MHD_Result fs_h_fund_payout(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	struct fs_error err = {0};
	int64_t amount = 0;
	const char *a = fs_hreq_arg(q, "amount");
	json_t *out = NULL;
	int rc = a ? fs_money_parse(a, 2, &amount, &err, "amount") : 0;
	if (!rc)
		rc = fs_fund_payout_rule(q->ctx, fund, amount, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* POST /orgs/{org}/funds/{id}/payroll?site=NAME: the body is the CSV file */
enum MHD_Result fs_h_fund_payroll(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	FILE *in = fmemopen(q->body ? (char *)q->body : (char *)"", q->body_len, "rb");
	if (!in)
		return fs_http_send_500(q->c);
	struct fs_error err = {0};
	json_t *rep = NULL;
	int rc = fs_fund_payroll(q->ctx, fund, in, "upload", fs_hreq_arg(q, "site"), NULL, &rep, &err);
	fclose(in);
	if (rep) { /* the row report, also when rows failed: nothing new was recorded then */
		int bad = rc || json_array_size(json_object_get(rep, "errors")) || json_integer_value(json_object_get(rep, "not_recorded"));
		if (rc) { /* with its template and parameters, as every error (the web translates it) */
			json_t *params = json_array();
			for (int i = 0; i < err.nparams && i < FS_ERROR_PARAMS; i++)
				json_array_append_new(params, json_string(fs_utf8_repair(err.params[i])));
			json_object_set_new(rep, "error", json_pack("{s:s,s:s,s:s?,s:o}", "code", "invalid_rows", "message", err.message,
								    "template", err.tmpl, "params", params));
		}
		return fs_http_send_json(q->c, bad ? 422 : 200, rep, NULL);
	}
	return fs_hreq_fail(q, rc ? rc : FS_EINVAL, &err);
}

static const struct fs_json_field strike_fields[] = {
	{"week", JSON_STRING, 1}, {"workplace_id", JSON_INTEGER, 0}, {"person_ids", JSON_ARRAY, 0}, {NULL, 0, 0}};

/* POST /orgs/{org}/funds/{id}/strike-pay {week, workplace_id?, person_ids?} */
enum MHD_Result fs_h_fund_strike(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	json_t *j = fs_hreq_body_object(q, strike_fields), *out = NULL;
	if (!j)
		return MHD_YES;
	struct fs_error err = {0};
	json_t *ids = json_object_get(j, "person_ids");
	size_t np = json_array_size(ids), i;
	int64_t *persons = np ? calloc(np, sizeof(*persons)) : NULL;
	int rc = np && !persons ? FS_ENOMEM : 0;
	json_t *x;
	json_array_foreach(ids, i, x) {
		if (rc)
			break;
		if (!json_is_integer(x) || json_integer_value(x) <= 0)
			rc = fs_fail(&err, FS_EINVAL, F_PERSON_IDS, "person_ids holds the ids of people (whole numbers)");
		else
			persons[i] = json_integer_value(x);
	}
	if (!rc)
		rc = fs_fund_strike_pay(q->ctx, fund, json_string_value(json_object_get(j, "week")),
					json_integer_value(json_object_get(j, "workplace_id")), persons, np, &out, &err);
	free(persons);
	json_decref(j);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	int ok = !strcmp(json_string_value(json_object_get(out, "result")), "ok");
	return fs_http_send_json(q->c, ok ? 200 : 422, out, NULL);
}

/* POST /orgs/{org}/funds/{id}/pledges: a new pledge of this fund */
enum MHD_Result fs_h_fund_pledge(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	const struct fs_entity *e = fs_entity_find("pledge");
	struct fs_error err = {0};
	struct fs_body b;
	fs_hreq_body(q, e, &b);
	if (!b.json)
		return MHD_YES;
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)fund);
	struct fs_kv *kv = calloc(b.n + 1, sizeof(*kv));
	int64_t id = 0;
	json_t *out = NULL;
	int rc = kv ? 0 : FS_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; !rc && i < b.n; i++)
		if (strcmp(b.kv[i].key, "fund_id"))
			kv[n++] = b.kv[i];
	if (!rc) {
		kv[n++] = (struct fs_kv){"fund_id", fid};
		rc = fs_create(q->ctx, e, kv, n, &id, &err);
	}
	free(kv);
	fs_body_free(&b);
	if (!rc)
		rc = fs_get(q->ctx, e, id, 0, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 201, out, NULL);
}

/* GET /orgs/{org}/funds/{id}/transfers: the ledger, newest first */
enum MHD_Result fs_h_fund_ledger(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	struct fs_error err = {0};
	const char *l = fs_hreq_arg(q, "limit"), *o = fs_hreq_arg(q, "offset");
	json_t *out = NULL;
	int rc = fs_fund_ledger(q->ctx, fund, l ? strtoll(l, NULL, 10) : 0, o ? strtoll(o, NULL, 10) : 0, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* GET /orgs/{org}/funds/{id}/export?format=csv|ledger|beancount: posted
 * transfers; donors and recipients are never in it here */
enum MHD_Result fs_h_fund_export(struct fs_hreq *q)
{
	int64_t fund = path_fund(q);
	if (!fund)
		return MHD_YES;
	const char *f = fs_hreq_arg(q, "format");
	enum fs_ledger_format fmt = !f || !strcmp(f, "csv") ? FS_LEDGER_CSV : !strcmp(f, "beancount") ? FS_LEDGER_BEANCOUNT : FS_LEDGER_LEDGER;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return fs_http_send_500(q->c);
	struct fs_error err = {0};
	int rc = fs_ledger_export(q->ctx, fund, out, fmt, 0, &err);
	fclose(out);
	if (rc) {
		free(buf);
		return fs_hreq_fail(q, rc, &err);
	}
	return fs_http_send(q->c, 200, fmt == FS_LEDGER_CSV ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8", buf, len, NULL);
}
