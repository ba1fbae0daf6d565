/* h_people.c - the register's own routes beside its collections: the
 * organization, the CSV import and export of people, the watch of what is owed
 * and paid, a person's statement, and the entitlement calculator. */
#include "route.h"
#include "respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GET /orgs/{org}: the organization and the user's role in it. */
enum MHD_Result fs_h_org(struct fs_hreq *q)
{
	struct fs_error err = {0};
	json_t *o;
	int rc = fs_get(q->ctx, fs_entity_find("organization"), fs_org(q->ctx), 0, &o, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	json_object_set_new(o, "role", json_string(q->role));
	return fs_http_send_json(q->c, 200, o, NULL);
}

/* POST /orgs/{org}/people/import: the body is the CSV file. */
enum MHD_Result fs_h_import(struct fs_hreq *q)
{
	FILE *in = fmemopen(q->body ? (char *)q->body : (char *)"", q->body_len, "rb");
	if (!in)
		return fs_http_send_error(q->c, 500, "internal", "internal error", NULL);
	struct fs_import_opts o = {.in = in, .name = "upload", .dry_run = fs_hreq_arg(q, "dry_run") != NULL,
				   .encoding = fs_hreq_arg(q, "encoding")};
	struct fs_import_report rep;
	struct fs_error err = {0};
	if (fs_import_separator(fs_hreq_arg(q, "separator"), &o.separator, &err) || fs_import_encoding(o.encoding, &err)) {
		fclose(in);
		return fs_http_send_error(q->c, 400, "invalid_parameter", err.message, err.field);
	}
	int rc = fs_import_people(q->ctx, &o, &rep, &err);
	fclose(in);
	json_t *errs = json_array();
	for (size_t k = 0; k < rep.errors_kept; k++)
		json_array_append_new(errs, json_pack("{s:I,s:i,s:s,s:s}", "line", (json_int_t)rep.errors[k].line, "column",
						      rep.errors[k].column, "field", rep.errors[k].field, "message", rep.errors[k].message));
	json_t *out = json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "stored", rc == 0 && !o.dry_run, "rows", (json_int_t)rep.rows,
				"inserted", (json_int_t)rep.inserted, "updated", (json_int_t)rep.updated, "unchanged",
				(json_int_t)rep.unchanged, "rejected", (json_int_t)rep.rejected, "errors_total", (json_int_t)rep.nerrors,
				"errors", errs);
	char sep[2] = {rep.separator, 0};
	json_object_set_new(out, "encoding", json_string(rep.encoding));
	json_object_set_new(out, "separator", json_string(sep));
	json_object_set_new(out, "suggested_encodings", json_string(rep.suggested));
	fs_import_report_done(&rep);
	if (rc && rc != FS_EINVAL) {
		json_decref(out);
		return fs_hreq_fail(q, rc, &err);
	}
	if (rc)
		json_object_set_new(out, "error", json_pack("{s:s,s:s}", "code", "invalid_rows", "message", err.message));
	return fs_http_send_json(q->c, rc ? 422 : 200, out, NULL);
}

enum MHD_Result fs_h_export_people(struct fs_hreq *q)
{
	struct fs_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc = out ? fs_export_people(q->ctx, out, FS_EXPORT_CSV, 0, &err) : FS_ENOMEM;
	if (out)
		fclose(out);
	if (rc) {
		free(buf);
		return fs_hreq_fail(q, rc, &err);
	}
	return fs_http_send(q->c, 200, "text/csv; charset=utf-8", buf, len, NULL);
}

enum MHD_Result fs_h_watch(struct fs_hreq *q)
{
	struct fs_error err = {0};
	json_t *out;
	int64_t wp = fs_hreq_arg(q, "workplace") ? strtoll(fs_hreq_arg(q, "workplace"), NULL, 10) : 0;
	fs_date as_of = fs_date_today();
	if (fs_hreq_arg(q, "as_of") && fs_date_parse(fs_hreq_arg(q, "as_of"), &as_of, &err, "as_of"))
		return fs_hreq_fail(q, FS_EINVAL, &err);
	int rc = fs_watch(q->ctx, wp, as_of, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* GET /orgs/{org}/watch/people: the people behind the watch's counts (the
 * query was checked against params.c's table before). */
enum MHD_Result fs_h_watch_people(struct fs_hreq *q)
{
	struct fs_error err = {0};
	const char *a;
	struct fs_watch_people_opts o = {.as_of = fs_date_today(), .status = fs_hreq_arg(q, "status"),
					 .sort = fs_hreq_arg(q, "sort")};
	if ((a = fs_hreq_arg(q, "workplace")))
		o.workplace = strtoll(a, NULL, 10);
	if ((a = fs_hreq_arg(q, "limit")))
		o.limit = strtoll(a, NULL, 10);
	if ((a = fs_hreq_arg(q, "offset")))
		o.offset = strtoll(a, NULL, 10);
	o.descending = (a = fs_hreq_arg(q, "order")) && !strcmp(a, "desc");
	if ((a = fs_hreq_arg(q, "as_of")) && fs_date_parse(a, &o.as_of, &err, "as_of"))
		return fs_hreq_fail(q, FS_EINVAL, &err);
	json_t *out;
	int rc = fs_watch_people(q->ctx, &o, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* GET /orgs/{org}/people/pick?q=TEXT&limit=N: a person picker's page (the
 * core decides whether the birth year is in it) */
enum MHD_Result fs_h_people_pick(struct fs_hreq *q)
{
	struct fs_error err = {0};
	const char *l = fs_hreq_arg(q, "limit");
	json_t *out;
	int rc = fs_people_pick(q->ctx, fs_hreq_arg(q, "q"), l ? strtoll(l, NULL, 10) : 0, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* POST /orgs/{org}/claims/compute {"workplace_id", "apply", "reason", "terminated"}:
 * the claims of a workplace's terminated employments; without apply, the
 * differences to existing computed claims are listed and left as they are. */
enum MHD_Result fs_h_claims_compute(struct fs_hreq *q)
{
	struct fs_error err = {0};
	struct fs_body b;
	fs_hreq_body(q, NULL, &b);
	if (!b.json)
		return MHD_YES;
	struct fs_compute_opts o = {.as_of = fs_date_today()};
	int rc = 0;
	for (size_t i = 0; i < b.n && !rc; i++) {
		const char *k = b.kv[i].key, *v = b.kv[i].value;
		char *end = NULL;
		if (!strcmp(k, "workplace_id")) {
			o.workplace_id = v ? strtoll(v, &end, 10) : 0;
			if (!v || *end || o.workplace_id <= 0)
				rc = fs_fail(&err, FS_EINVAL, "workplace_id", "the workplace is a record id (a whole number from 1)");
		} else if (!strcmp(k, "apply")) {
			o.apply = v && (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"));
		} else if (!strcmp(k, "reason")) {
			o.reason = v;
		} else if (!strcmp(k, "terminated")) {
			o.terminated = v;
		} else {
			rc = fs_fail(&err, FS_EINVAL, k, "unknown field '%.60s' here", k);
		}
	}
	json_t *out = NULL;
	if (!rc)
		rc = fs_claims_compute(q->ctx, &o, &out, &err);
	fs_body_free(&b);
	if (rc == FS_EINVAL && out) /* employments that cannot be computed: nothing stored, each listed */
		return fs_http_send_json(q->c, 422, out, NULL);
	json_decref(rc ? out : NULL);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* GET /orgs/{org}/statement/{id}: what a person is owed and was paid (?proofs=1: with its proofs;
 * &qr=0: without their QR code). */
enum MHD_Result fs_h_statement(struct fs_hreq *q)
{
	struct fs_error err = {0};
	json_t *out;
	char *end;
	int64_t person = strtoll(q->param[1], &end, 10);
	if (*end || person <= 0)
		return fs_http_send_error(q->c, 404, "not_found", "no such person", NULL);
	const char *lang = fs_hreq_arg(q, "lang");
	int rc = fs_statement(q->ctx, person, lang ? lang : "en", fs_date_today(), &out, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	if (fs_hreq_arg(q, "proofs")) { /* ?proofs=1: the block of proofs the CLI prints, a checkpoint signed now */
		char *proofs = NULL;
		struct fs_error perr = {0};
		if (fs_statement_proofs(q->ctx, person, &proofs, &perr)) /* the statement stands without them, says why */
			proofs = NULL;
		const char *qr = fs_hreq_arg(q, "qr"); /* ?qr=0: without the QR code */
		fs_proofs_attach_qr(out, proofs, &perr, !qr || strcmp(qr, "0"));
		free(proofs);
	}
	return fs_http_send_json(q->c, 200, out, NULL);
}

/* POST /entitle: the entitlement calculator on a case given in the body. */
enum MHD_Result fs_h_entitle(struct fs_hreq *q)
{
	struct fs_error err = {0};
	struct fs_body b;
	fs_hreq_body(q, NULL, &b);
	if (!b.json)
		return MHD_YES;
	struct fs_entitle_in in;
	fs_entitle_init(&in);
	int rc = 0;
	const char *lang = "en";
	for (size_t i = 0; i < b.n && !rc; i++)
		if (!strcmp(b.kv[i].key, "lang"))
			lang = b.kv[i].value;
		else
			rc = fs_entitle_set(&in, b.kv[i].key, b.kv[i].value, &err);
	json_t *out = NULL;
	if (!rc)
		rc = fs_entitle(&in, lang, &out, &err);
	fs_entitle_done(&in);
	fs_body_free(&b);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

static const struct fs_json_field reversal_fields[] = {
	{"reason", JSON_STRING, 1}, {"amount", JSON_STRING, 0}, {"amount_minor", JSON_INTEGER, 0},
	{"paid_on", JSON_STRING, 0}, {"idempotency_key", JSON_STRING, 0}, {NULL, 0, 0}};

/* POST /orgs/{org}/payments/{id}/reversal {reason, amount | amount_minor,
 * paid_on?, idempotency_key?}: a new payment cancelling this one (the core
 * checks the amount, that it was not reversed before, who may). */
enum MHD_Result fs_h_payment_reverse(struct fs_hreq *q)
{
	char *end;
	int64_t id = strtoll(q->param[1], &end, 10);
	if (*end || id <= 0)
		return fs_http_send_error(q->c, 404, "not_found", "no such payment", NULL);
	json_error_t jerr;
	struct fs_body_error berr = {0};
	json_t *j = json_loadb(q->body ? q->body : "", q->body_len, JSON_REJECT_DUPLICATES, &jerr), *out = NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		return fs_http_send_error(q->c, 400, j ? "wrong_type" : "malformed_json", "send a JSON object", NULL);
	}
	if (fs_body_check_object(j, reversal_fields, &berr)) {
		json_decref(j);
		return fs_http_send_error(q->c, 400, berr.code, berr.message, berr.field);
	}
	struct fs_error err = {0};
	struct fs_reversal r = {.payment_id = id, .reason = json_string_value(json_object_get(j, "reason")),
				.paid_on = json_string_value(json_object_get(j, "paid_on")),
				.idempotency_key = json_string_value(json_object_get(j, "idempotency_key"))};
	int64_t rid = 0;
	int rc = fs_hreq_amount(j, &r.has_amount, &r.amount_minor, &err);
	if (!rc)
		rc = fs_payment_reversal(q->ctx, &r, &rid, &err);
	json_decref(j);
	if (!rc)
		rc = fs_get(q->ctx, fs_entity_find("payment"), rid, 0, &out, &err);
	if (!rc)
		json_object_set_new(out, "reversed_by", json_string(fs_principal_name(q->ctx)));
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 201, out, NULL);
}
