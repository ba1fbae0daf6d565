/* h_funds.c - a fund's routes: create one (with its standard accounts), its
 * balances, report, pledges and approval queue, approvals of pending payouts,
 * and batches of transfers. The ledger core checks the money. */
#include "route.h"
#include "respond.h"

#include <stdlib.h>
#include <string.h>

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
		if (!rc)
			fs_proofs_attach(out, proofs, &perr);
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
