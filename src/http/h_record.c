/* h_record.c - the record's read side (counts, prisoners, timeline, alerts,
 * suggestions, duplicates, export) and evidence files (upload, download).
 * Roles that document (record.restricted) see every handling level; the others
 * see what is public only. */
#include "route.h"
#include "respond.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/policy.h"
#include "util/buf.h"

/* Only what is public, when asked (?public=1); what the role may read at all is
 * the core's (handling.c). */
static int public_only(const struct fs_hreq *q)
{
	const char *p = fs_hreq_arg(q, "public");
	return p && !strcmp(p, "1");
}

/* GET /orgs/{org}/record/{counts|prisoners|timeline|alerts|suggestions|duplicates} */
enum MHD_Result fs_h_record(struct fs_hreq *q)
{
	const char *sub = q->seg[5];
	struct fs_error err = {0};
	json_t *out = NULL;
	int rc;
	int pub = public_only(q);
	if (!strcmp(sub, "counts")) {
		rc = fs_record_counts(q->ctx, fs_hreq_arg(q, "by"), pub, &out, &err);
	} else if (!strcmp(sub, "prisoners")) {
		fs_date as_of = fs_date_today();
		rc = fs_hreq_arg(q, "as_of") ? fs_date_parse(fs_hreq_arg(q, "as_of"), &as_of, &err, "as_of") : 0;
		if (!rc)
			rc = fs_record_prisoners(q->ctx, as_of, pub, &out, &err);
	} else if (!strcmp(sub, "timeline")) {
		char *end = NULL;
		const char *a = fs_hreq_arg(q, "action");
		int64_t action = a ? strtoll(a, &end, 10) : 0;
		if (end && (*end || action <= 0))
			return fs_http_send_error(q->c, 422, "invalid", "action is the id of an action", "action");
		rc = fs_record_timeline(q->ctx, fs_hreq_arg(q, "from"), fs_hreq_arg(q, "to"), action, pub, &out, &err);
	} else if (!strcmp(sub, "alerts")) {
		/* names and whereabouts of detained people: the route needs record.review */
		char *end = NULL;
		const char *h = fs_hreq_arg(q, "hours");
		long long hours = h ? strtoll(h, &end, 10) : 24;
		if (end && (*end || hours <= 0 || hours > 24 * 365))
			return fs_http_send_error(q->c, 422, "invalid", "hours is a whole number from 1 to 8760", "hours");
		rc = fs_record_alerts(q->ctx, (int64_t)time(NULL), hours, &out, &err);
	} else if (!strcmp(sub, "suggestions")) {
		rc = fs_record_suggest(q->ctx, &out, &err);
	} else {
		const char *l = fs_hreq_arg(q, "limit");
		int64_t limit = l ? strtoll(l, NULL, 10) : 100;
		rc = fs_record_duplicates(q->ctx, limit > 0 && limit <= 1000 ? limit : 100, &out, &err);
	}
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* A kind of record of the record's domain: the capability that writes it says so. */
static int is_record_collection(const char *plural)
{
	const struct fs_entity *e = fs_entity_find(plural);
	return e && !strcmp(fs_entity_plural(e), plural) && !strcmp(fs_entity_write_capability(e), "record.write");
}

/* GET /orgs/{org}/record/export?collection=...&format=csv|json */
enum MHD_Result fs_h_record_export(struct fs_hreq *q)
{
	struct fs_error err = {0};
	const char *coll = fs_hreq_arg(q, "collection"), *fmt = fs_hreq_arg(q, "format");
	const struct fs_entity *e = coll && is_record_collection(coll) ? fs_entity_find(coll) : NULL;
	if (!e)
		return fs_http_send_error(q->c, 422, "invalid", "collection is one of the record's: incidents, violations, actions, ...",
					  "collection");
	if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json"))
		return fs_http_send_error(q->c, 422, "invalid", "format is csv or json", "format");
	int pub = public_only(q);
	int json = fmt && !strcmp(fmt, "json");
	char *buf = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&buf, &len);
	int rc = mf ? fs_export_records(q->ctx, e, mf, json ? FS_EXPORT_JSON : FS_EXPORT_CSV, pub ? FS_PUBLIC_ONLY : 0, &err)
		    : FS_ENOMEM;
	if (mf)
		fclose(mf);
	if (rc) {
		free(buf);
		return fs_hreq_fail(q, rc, &err);
	}
	return fs_http_send(q->c, 200, json ? "application/json" : "text/csv; charset=utf-8", buf, len, NULL);
}

/* POST /orgs/{org}/evidence: the body is the file itself (any type); the query
 * gives filename, kind, captured_on, handling. Its sealed fields (description,
 * provided_by) are set afterwards with PATCH, so they never travel in a URL. */
enum MHD_Result fs_h_evidence_upload(struct fs_hreq *q)
{
	static const char *const keys[] = {"filename", "kind", "captured_on", "handling"};
	struct fs_kv kv[4];
	size_t n = 0;
	for (size_t i = 0; i < 4; i++)
		if (fs_hreq_arg(q, keys[i]))
			kv[n++] = (struct fs_kv){keys[i], fs_hreq_arg(q, keys[i])};
	struct fs_error err = {0}; /* the core says what is missing (the name, the file) */
	json_t *out = NULL;
	int rc = fs_evidence_add_data(q->ctx, q->body, q->body_len, kv, n, &out, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	return fs_http_send_json(q->c, json_is_true(json_object_get(out, "existed")) ? 200 : 201, out, NULL);
}

/* GET /orgs/{org}/evidence/{id}/file: the file, re-hashed on the way (an altered
 * one is refused), an 'exported' custody event recorded. Roles that do not
 * document get public evidence only. */
enum MHD_Result fs_h_evidence_file(struct fs_hreq *q)
{
	struct fs_error err = {0};
	char *end;
	int64_t id = strtoll(q->param[1], &end, 10);
	if (*end || id <= 0)
		return fs_http_send_error(q->c, 404, "not_found", "no such evidence", NULL);
	json_t *rec = NULL;
	int rc = fs_get(q->ctx, fs_entity_find("evidence"), id, 0, &rec, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	char name[128] = "evidence";
	const char *fn = json_string_value(json_object_get(rec, "filename"));
	for (size_t i = 0, j = 0; fn && fn[i] && j + 1 < sizeof(name); i++) /* a header-safe name */
		name[j++] = (char)(isalnum((unsigned char)fn[i]) || strchr("._-", fn[i]) ? fn[i] : '_'), name[j] = 0;
	json_decref(rec);
	struct fs_buf b;
	fs_buf_init(&b, 256u << 20);
	rc = fs_evidence_read(q->ctx, id, &b, &err);
	if (rc) {
		fs_buf_done(&b);
		return fs_hreq_fail(q, rc, &err);
	}
	size_t len = b.len;
	struct MHD_Response *r = MHD_create_response_from_buffer(len, len ? fs_buf_take(&b) : NULL,
								 len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r)
		return fs_http_send_500(q->c);
	char disp[200];
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	MHD_add_response_header(r, "Content-Type", "application/octet-stream");
	MHD_add_response_header(r, "Content-Disposition", disp);
	return fs_http_queue(q->c, 200, r);
}
