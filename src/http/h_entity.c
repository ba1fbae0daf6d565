/* h_entity.c - every collection of an organization's records, one way:
 * /orgs/{org}/{collection} (list with filters, create) and
 * /orgs/{org}/{collection}/{id} (read, change, remove), and
 * /entities/{collection} (the fields, for forms). The route table has already
 * checked the write capability; the record's handling levels filter reads. */
#include "route.h"
#include "respond.h"

#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "util/buf.h"

/* The :id of the path; 0 when it is not a positive whole number. */
static int64_t path_id(const struct fs_hreq *q)
{
	char *end;
	int64_t id = strtoll(q->param[q->nparam - 1], &end, 10);
	return *end || id <= 0 ? 0 : id;
}

enum MHD_Result fs_h_list(struct fs_hreq *q)
{
	const struct fs_entity *e = q->entity;
	struct fs_error err = {0};
	struct fs_kv filters[16];
	size_t nf = 0;
	/* which handling levels the role reads is the core's (handling.c) */
	for (size_t f = 0; f < fs_entity_nfields(e) && nf < 15; f++) {
		const char *name = fs_entity_field(e, f)->name, *v = fs_hreq_arg(q, name);
		if (v)
			filters[nf++] = (struct fs_kv){name, v};
	}
	int64_t limit = 0, offset = 0;
	const char *l = fs_hreq_arg(q, "limit"), *of = fs_hreq_arg(q, "offset");
	if ((l && (limit = strtoll(l, NULL, 10)) <= 0) || (of && (offset = strtoll(of, NULL, 10)) < 0))
		return fs_http_send_error(q->c, 400, "wrong_type", "limit and offset are whole numbers", l ? "limit" : "offset");
	struct fs_list_opts o = {fs_hreq_arg(q, "q"), filters, nf, limit, offset, 0};
	struct fs_buf text;
	fs_buf_init(&text, 256u << 20);
	int rc = fs_list_text(q->ctx, e, &o, &text, &err);
	if (!rc) {
		size_t len = text.len;
		return fs_http_send(q->c, 200, "application/json; charset=utf-8", fs_buf_take(&text), len, NULL);
	}
	fs_buf_done(&text);
	if (rc == FS_EINVAL) /* a filter's value the field cannot hold */
		return fs_http_send_error(q->c, 400, "invalid_parameter", err.message, err.field);
	return fs_hreq_fail(q, rc, &err);
}

enum MHD_Result fs_h_get(struct fs_hreq *q)
{
	const struct fs_entity *e = q->entity;
	int64_t id = path_id(q);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such record", NULL);
	struct fs_error err = {0};
	json_t *out = NULL;
	int reveal = fs_hreq_arg(q, "reveal") && !strcmp(fs_hreq_arg(q, "reveal"), "1");
	if (reveal && !fs_role_can(q->role, "people.reveal"))
		return fs_http_send_error(q->c, 403, "forbidden", "your role cannot see sealed fields", "reveal");
	int rc = fs_get(q->ctx, e, id, reveal ? FS_REVEAL : 0, &out, &err);
	if (!rc && reveal)
		rc = fs_journal_view(q->ctx, e, id, &err);
	if (rc) {
		json_decref(out);
		return fs_hreq_fail(q, rc, &err);
	}
	return fs_http_send_json(q->c, 200, out, NULL);
}

enum MHD_Result fs_h_remove(struct fs_hreq *q)
{
	int64_t id = path_id(q);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such record", NULL);
	struct fs_error err = {0};
	int rc = fs_remove(q->ctx, q->entity, id, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	return fs_http_send_json(q->c, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "removed", 1), NULL);
}

/* POST (id 0) or PATCH: the body's fields, checked by the core. */
static enum MHD_Result write_record(struct fs_hreq *q, int64_t id)
{
	const struct fs_entity *e = q->entity;
	struct fs_error err = {0};
	struct fs_body b;
	fs_hreq_body(q, e, &b);
	if (!b.json)
		return MHD_YES; /* the error response is queued */
	int existed = 0, rc;
	int update = id != 0;
	if (update)
		rc = fs_update(q->ctx, e, id, b.kv, b.n, &err);
	else
		rc = fs_create_ex(q->ctx, e, b.kv, b.n, &id, &existed, &err);
	fs_body_free(&b);
	json_t *out = NULL;
	if (!rc)
		rc = fs_get(q->ctx, e, id, 0, &out, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	return fs_http_send_json(q->c, update || existed ? 200 : 201, out, NULL);
}

enum MHD_Result fs_h_create(struct fs_hreq *q)
{
	return write_record(q, 0);
}

enum MHD_Result fs_h_update(struct fs_hreq *q)
{
	int64_t id = path_id(q);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such record", NULL);
	return write_record(q, id);
}

/* GET /entities/{collection}: the fields of a collection's records, so forms can
 * be built from the same definitions the core checks against. */
enum MHD_Result fs_h_fields(struct fs_hreq *q)
{
	const struct fs_entity *e = q->entity;
	static const char *const kinds[] = {"text", "name", "code", "date", "money", "bool", "ref", "enum", "count", "time"};
	json_t *fields = json_array();
	for (size_t i = 0; fields && i < fs_entity_nfields(e); i++) {
		const struct fs_field *f = fs_entity_field(e, i);
		json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:b,s:s?}", "name", f->name, "kind", kinds[f->kind], "required",
				      (f->flags & FF_REQUIRED) != 0, "sealed", (f->flags & FF_SEALED) != 0, "immutable",
				      (f->flags & FF_IMMUTABLE) != 0, "help", f->help);
		if (o && f->max)
			json_object_set_new(o, "max", json_integer(f->max));
		if (o && f->ref)
			json_object_set_new(o, "ref", json_string(fs_entity_plural(fs_entity_find(f->ref))));
		if (o && f->values) {
			json_t *v = json_array();
			for (size_t k = 0; v && f->values[k]; k++)
				json_array_append_new(v, json_string(f->values[k]));
			json_object_set_new(o, "values", v);
		}
		if (!o || json_array_append_new(fields, o)) {
			json_decref(fields);
			fields = NULL;
		}
	}
	json_t *out = fields ? json_pack("{s:s,s:s,s:o}", "name", fs_entity_name(e), "plural", fs_entity_plural(e), "fields", fields) : NULL;
	return out ? fs_http_send_json(q->c, 200, out, NULL) : fs_http_send_error(q->c, 500, "internal", "internal error", NULL);
}
