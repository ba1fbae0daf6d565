/* hreq.c - what the API's handlers share: a request's body as a JSON object or
 * an entity's fields, its query arguments, a core error as its HTTP answer, an
 * amount given as text or minor units. The route table (routes.c) names the
 * handlers and the handlers call these, never routes.c: calls go one way. */
#include "route.h"
#include "params.h"
#include "respond.h"
#include "errjson.h"
#include "util/money.h"

#include <stdio.h>
#include <string.h>

#include "core/policy.h"

const char fs_cap_collection[] = "(the collection's)";

/* ---- shared by the handlers ---- */

json_t *fs_hreq_body_object(const struct fs_hreq *q, const struct fs_json_field *fields)
{
	json_error_t jerr;
	struct fs_body_error berr = {0};
	json_t *j = json_loadb(q->body ? q->body : "", q->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(j)) {
		fs_http_send_error(q->c, 400, j ? "wrong_type" : "malformed_json", "send a JSON object", NULL);
		json_decref(j);
		return NULL;
	}
	if (fs_body_check_object(j, fields, &berr)) {
		fs_http_send_error(q->c, 400, berr.code, berr.message, berr.field);
		json_decref(j);
		return NULL;
	}
	return j;
}

const char *fs_hreq_arg(const struct fs_hreq *q, const char *name)
{
	return MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, name);
}

enum MHD_Result fs_hreq_fail(const struct fs_hreq *q, int rc, const struct fs_error *err)
{
	unsigned status = 500;
	const char *code = "internal";
	switch (rc) {
	case FS_EINVAL: status = 422, code = "invalid"; break;
	case FS_ENOTFOUND: status = 404, code = "not_found"; break;
	case FS_ECONFLICT:
	case FS_EINTEGRITY: status = 409, code = "conflict"; break; /* e.g. an altered evidence file */
	case FS_ELIMIT: status = 413, code = "too_large"; break;
	case FS_EPERM: status = 403, code = "forbidden"; break;
	case FS_ESTORE: status = 503, code = "busy"; break;
	default: break;
	}
	/* internal errors say little: details stay out of responses */
	return status == 500 ? fs_http_send_error(q->c, status, code, "internal error", NULL)
			     : fs_http_send_fs_error(q->c, status, code, err); /* with its template, for translation */
}

void fs_hreq_body(const struct fs_hreq *q, const struct fs_entity *e, struct fs_body *out)
{
	struct fs_body_error berr;
	if (fs_body_parse(q->body, q->body_len, e, out, &berr) == 0)
		return;
	memset(out, 0, sizeof(*out));
	fs_http_send_error(q->c, berr.status, berr.code, berr.message, berr.field);
}

int fs_hreq_documents(const struct fs_hreq *q)
{
	return fs_role_can(q->role, "record.restricted");
}

int fs_entity_has_handling(const struct fs_entity *e)
{
	for (size_t f = 0; f < fs_entity_nfields(e); f++)
		if (!strcmp(fs_entity_field(e, f)->name, "handling"))
			return 1;
	return 0;
}

static const char *const collections[] = {"people", "employers", "workplaces", "employments", "memberships",
					  "claims", "promises", "payments", "funds", "accounts", "incidents", "violations",
					  "assessments", "legal_cases", "reports", "detentions", "actions", "action_stages",
					  "demands", "hearings", "citations", "evidence", "person_links", NULL};

int fs_http_collection(const char *name)
{
	for (size_t i = 0; collections[i]; i++)
		if (!strcmp(name, collections[i]))
			return 1;
	return 0;
}

int fs_hreq_amount(const json_t *j, int *has, int64_t *minor, struct fs_error *err)
{
	const json_t *s = json_object_get(j, "amount"), *m = json_object_get(j, "amount_minor");
	*has = s || m;
	if (s && m)
		return fs_fail(err, FS_EINVAL, "amount", "give amount or amount_minor, not both");
	if (m) {
		*minor = json_integer_value(m);
		return 0;
	}
	if (s)
		return fs_money_parse(json_string_value(s), 2, minor, err, "amount");
	return 0;
}
