/* h_tokens.c - an account's API tokens (/orgs/{org}/users/{id}/tokens): list
 * (names and dates, never a secret or its hash), make one (its secret answered
 * this once), revoke one. The route table asks for tokens.own (every role);
 * the core (core/users.h) decides the rest: the account's own tokens, or those
 * of the organization's accounts for whoever holds users.manage there. */
#include "route.h"
#include "respond.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/users.h"

/* The path's :n-th parameter as a positive id, else 0. */
static int64_t path_id(const struct fs_hreq *q, size_t n)
{
	char *end;
	int64_t id = n < q->nparam ? strtoll(q->param[n], &end, 10) : 0;
	return id <= 0 || *end ? 0 : id;
}

enum MHD_Result fs_h_tokens_list(struct fs_hreq *q)
{
	int64_t id = path_id(q, 1);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such account", NULL);
	struct fs_error err = {0};
	json_t *out = NULL;
	int rc = fs_account_tokens(q->ctx, id, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

static const struct fs_json_field create_fields[] = {{"name", JSON_STRING, 1}, {NULL, 0, 0}};

/* POST /orgs/{org}/users/{id}/tokens {name}: 201 with the token's entry and
 * its secret as token, shown this once. */
enum MHD_Result fs_h_token_create(struct fs_hreq *q)
{
	int64_t id = path_id(q, 1);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such account", NULL);
	json_t *j = fs_hreq_body_object(q, create_fields);
	if (!j)
		return MHD_YES;
	struct fs_error err = {0};
	char token[68];
	json_t *out = NULL;
	int rc = fs_account_token_create(q->ctx, id, json_string_value(json_object_get(j, "name")), token, &out, &err);
	json_decref(j);
	if (!rc)
		json_object_set_new(out, "token", json_string(token));
	sodium_memzero(token, sizeof(token));
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 201, out, NULL);
}

/* DELETE /orgs/{org}/users/{id}/tokens/{token}: refused at once afterwards. */
enum MHD_Result fs_h_token_revoke(struct fs_hreq *q)
{
	int64_t id = path_id(q, 1), token_id = path_id(q, 2);
	if (!id || !token_id)
		return fs_http_send_error(q->c, 404, "not_found", id ? "no such token" : "no such account", NULL);
	struct fs_error err = {0};
	int rc = fs_account_token_revoke(q->ctx, id, token_id, NULL, &err);
	return rc ? fs_hreq_fail(q, rc, &err)
		  : fs_http_send_json(q->c, 200, json_pack("{s:I,s:b}", "id", (json_int_t)token_id, "revoked", 1), NULL);
}
