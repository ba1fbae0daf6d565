/* h_users.c - accounts and roles of an organization (/orgs/{org}/users): list,
 * create, change a role, disable/enable, set a password, revoke the role. The
 * route table asks for users.manage; the core (core/users.h) checks it again
 * with the account itself and refuses a lockout. */
#include "route.h"
#include "respond.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/users.h"

static int64_t path_account(const struct fs_hreq *q)
{
	char *end;
	int64_t id = strtoll(q->param[1], &end, 10);
	return *end || id <= 0 ? 0 : id;
}

enum MHD_Result fs_h_users_list(struct fs_hreq *q)
{
	struct fs_error err = {0};
	json_t *out = NULL;
	int rc = fs_accounts_list(q->ctx, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

enum MHD_Result fs_h_user_get(struct fs_hreq *q)
{
	int64_t id = path_account(q);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such account", NULL);
	struct fs_error err = {0};
	json_t *out = NULL;
	int rc = fs_account_get(q->ctx, id, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

static const struct fs_json_field create_fields[] = {
	{"username", JSON_STRING, 1}, {"password", JSON_STRING, 0}, {"role", JSON_STRING, 0}, {NULL, 0, 0}};
static const struct fs_json_field change_fields[] = {
	{"role", JSON_STRING, 0}, {"disabled", JSON_TRUE, 0}, {"password", JSON_STRING, 0}, {NULL, 0, 0}};


/* POST /orgs/{org}/users {username, password?, role?}: without a password, a
 * new one is made and answered once as initial_password. */
enum MHD_Result fs_h_user_create(struct fs_hreq *q)
{
	json_t *j = fs_hreq_body_object(q, create_fields);
	if (!j)
		return MHD_YES;
	struct fs_error err = {0};
	char initial[FS_INITIAL_PASSWORD];
	int64_t id = 0;
	json_t *out = NULL;
	int rc = fs_account_create(q->ctx, json_string_value(json_object_get(j, "username")),
				   json_string_value(json_object_get(j, "password")), json_string_value(json_object_get(j, "role")),
				   initial, &id, &err);
	json_decref(j);
	if (!rc)
		rc = fs_account_get(q->ctx, id, &out, &err);
	if (!rc && initial[0])
		json_object_set_new(out, "initial_password", json_string(initial));
	sodium_memzero(initial, sizeof(initial));
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 201, out, NULL);
}

/* PATCH /orgs/{org}/users/{id} {role?, disabled?, password?}: each change given,
 * in that order; the account as it is afterwards. */
enum MHD_Result fs_h_user_update(struct fs_hreq *q)
{
	int64_t id = path_account(q);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such account", NULL);
	json_t *j = fs_hreq_body_object(q, change_fields);
	if (!j)
		return MHD_YES;
	struct fs_error err = {0};
	json_t *dis = json_object_get(j, "disabled"), *out = NULL;
	struct fs_account_change ch = {.role = json_string_value(json_object_get(j, "role")),
				       .disabled = json_is_boolean(dis) ? json_is_true(dis) : -1,
				       .password = json_string_value(json_object_get(j, "password"))};
	int rc = fs_account_change(q->ctx, id, &ch, &out, &err);
	json_decref(j);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}

/* DELETE /orgs/{org}/users/{id}: the account's role here is revoked (the
 * account stays, as every account's history does). */
enum MHD_Result fs_h_user_revoke(struct fs_hreq *q)
{
	int64_t id = path_account(q);
	if (!id)
		return fs_http_send_error(q->c, 404, "not_found", "no such account", NULL);
	struct fs_error err = {0};
	json_t *out = NULL;
	struct fs_account_change ch = {.role = "none", .disabled = -1};
	int rc = fs_account_change(q->ctx, id, &ch, &out, &err);
	return rc ? fs_hreq_fail(q, rc, &err) : fs_http_send_json(q->c, 200, out, NULL);
}
