/* users.c - accounts and their roles as an admin manages them: the checks of
 * users.h (who may, which accounts, no lockout) around auth.c's operations. */
#include "users.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "policy.h"


struct role_row {
	int64_t org, user;
	char role[16];
};

struct roles {
	struct role_row *v;
	size_t n, cap;
	int too_many;
};

static int role_cb(void *p, const struct fs_value *v)
{
	struct roles *r = p;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct role_row *nv = cap <= FS_ROLES_MAX ? realloc(r->v, cap * sizeof(*nv)) : NULL;
		if (!nv) {
			r->too_many = 1;
			return 1;
		}
		r->v = nv, r->cap = cap;
	}
	struct role_row *row = &r->v[r->n++];
	row->org = v[0].i, row->user = v[1].i;
	snprintf(row->role, sizeof(row->role), "%.*s", (int)v[2].n, (const char *)v[2].p);
	return 0;
}

/* Every role row (user 0), or the user's. */
static int load_roles(struct fs_ctx *ctx, int64_t user, struct roles *out, struct fs_error *err)
{
	static const char *const cols[] = {"org_id", "user_id", "role"};
	struct fs_filter f = {"user_id", FS_EQ, fs_vint(user)};
	struct fs_query q = {.table = &fs_entity_lookup("role")->table, .filters = &f, .nfilters = user ? 1 : 0,
			     .columns = cols, .ncolumns = 3};
	memset(out, 0, sizeof(*out));
	int rc = fs_store_select(ctx->st, &q, role_cb, out, err);
	if (!rc && out->too_many)
		rc = fs_fail(err, FS_ELIMIT, NULL, "more than %d roles", FS_ROLES_MAX);
	if (rc) {
		free(out->v);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

static const char *role_in(const struct roles *r, int64_t user, int64_t org)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].user == user && r->v[i].org == org)
			return r->v[i].role;
	return NULL;
}

/* Does by hold users.manage in org? The operator holds everything; nobody (before
 * a login) nothing. */
static int manages(struct fs_ctx *ctx, int64_t by, int64_t org)
{
	char role[16];
	struct fs_error e = {0};
	if (by == FS_OPERATOR)
		return 1;
	return by > 0 && !fs_user_role(ctx, by, org, role, &e) && fs_role_can(role, "users.manage");
}

static int may_manage(struct fs_ctx *ctx, int64_t by, struct fs_error *err)
{
	if (by == FS_OPERATOR)
		return 0; /* in any organization, or none (a role change needs one: auth.c) */
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "choose the organization whose accounts these are");
	if (!manages(ctx, by, ctx->org_id))
		return fs_fail(err, FS_EPERM, NULL, "managing accounts needs users.manage in this organization");
	return 0;
}

/* An account by can see: a role here, or no role anywhere (a new one). */
static int visible(const struct roles *all, int64_t by, int64_t user, int64_t org)
{
	if (by == FS_OPERATOR || role_in(all, user, org))
		return 1;
	for (size_t i = 0; i < all->n; i++)
		if (all->v[i].user == user)
			return 0;
	return 1;
}

/* The account's row as JSON: {id, username, disabled}. */
static int account_row(struct fs_ctx *ctx, int64_t id, json_t **ret, struct fs_error *err)
{
	json_t *u = NULL;
	int rc = fs_get(ctx, fs_entity_lookup("user"), id, 0, &u, err);
	if (rc == FS_ENOTFOUND)
		rc = fs_fail(err, FS_ENOTFOUND, "id", "there is no account %lld here", (long long)id);
	if (rc)
		return rc;
	*ret = json_pack("{s:I,s:O,s:b}", "id", (json_int_t)id, "username", json_object_get(u, "username"), "disabled",
			 json_is_true(json_object_get(u, "disabled")));
	json_decref(u);
	return *ret ? 0 : fs_fail(err, FS_ENOMEM, NULL, "out of memory");
}

static int org_slug(struct fs_ctx *ctx, int64_t org, char out[64])
{
	json_t *o = NULL;
	struct fs_error e = {0};
	int64_t here = ctx->org_id;
	ctx->org_id = org; /* an organization is read as itself */
	int rc = fs_get(ctx, fs_entity_lookup("organization"), org, 0, &o, &e);
	ctx->org_id = here;
	snprintf(out, 64, "%s", rc ? "?" : json_string_value(json_object_get(o, "slug")));
	json_decref(o);
	return rc;
}

/* Add role (here) and roles (where by manages accounts) to an account's JSON. */
static void add_roles(struct fs_ctx *ctx, int64_t by, const struct roles *all, json_t *acc)
{
	int64_t id = json_integer_value(json_object_get(acc, "id"));
	const char *here = role_in(all, id, ctx->org_id);
	json_object_set_new(acc, "role", here ? json_string(here) : json_null());
	json_t *list = json_array();
	for (size_t i = 0; list && i < all->n; i++) {
		char slug[64];
		if (all->v[i].user != id || !manages(ctx, by, all->v[i].org))
			continue;
		org_slug(ctx, all->v[i].org, slug);
		json_array_append_new(list, json_pack("{s:s,s:s}", "org", slug, "role", all->v[i].role));
	}
	json_object_set_new(acc, "roles", list ? list : json_array());
}

int fs_accounts_list(struct fs_ctx *ctx, json_t **ret, struct fs_error *err)
{
	int64_t by = fs_principal(ctx);
	struct roles all;
	json_t *users = NULL, *items = NULL;
	int rc = may_manage(ctx, by, err);
	if (!rc)
		rc = load_roles(ctx, 0, &all, err);
	if (rc)
		return rc;
	struct fs_list_opts o = {.limit = 10000};
	rc = fs_list(ctx, fs_entity_lookup("user"), &o, &users, err);
	if (!rc && !(items = json_array()))
		rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	size_t i;
	json_t *u;
	json_array_foreach(rc ? NULL : json_object_get(users, "items"), i, u) {
		int64_t id = json_integer_value(json_object_get(u, "id"));
		if (!visible(&all, by, id, ctx->org_id))
			continue;
		json_t *acc = json_pack("{s:I,s:O,s:b}", "id", (json_int_t)id, "username", json_object_get(u, "username"),
					"disabled", json_is_true(json_object_get(u, "disabled")));
		if (!acc) {
			rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
			break;
		}
		add_roles(ctx, by, &all, acc);
		json_array_append_new(items, acc);
	}
	json_decref(users);
	free(all.v);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*ret = json_pack("{s:o}", "items", items);
	return 0;
}

/* The account as by may see it (FS_ENOTFOUND otherwise), with its roles. */
static int account_view(struct fs_ctx *ctx, int64_t by, int64_t id, json_t **ret, struct fs_error *err)
{
	struct roles all;
	json_t *acc = NULL;
	int rc = load_roles(ctx, 0, &all, err);
	if (rc)
		return rc;
	if (!visible(&all, by, id, ctx->org_id))
		rc = fs_fail(err, FS_ENOTFOUND, "id", "there is no account %lld here", (long long)id);
	if (!rc)
		rc = account_row(ctx, id, &acc, err);
	if (!rc) {
		add_roles(ctx, by, &all, acc);
		*ret = acc;
	}
	free(all.v);
	return rc;
}

int fs_account_get(struct fs_ctx *ctx, int64_t id, json_t **ret, struct fs_error *err)
{
	int64_t by = fs_principal(ctx);
	int rc = may_manage(ctx, by, err);
	return rc ? rc : account_view(ctx, by, id, ret, err);
}

/* The enabled admins of org other than user. */
static int other_admins(struct fs_ctx *ctx, const struct roles *all, int64_t org, int64_t user, int64_t *ret,
			struct fs_error *err)
{
	int64_t n = 0;
	for (size_t i = 0; i < all->n; i++) {
		json_t *acc = NULL;
		const struct role_row *r = &all->v[i];
		if (r->org != org || r->user == user || !fs_role_can(r->role, "users.manage"))
			continue;
		int rc = account_row(ctx, r->user, &acc, err);
		if (rc)
			return rc;
		n += !json_is_true(json_object_get(acc, "disabled"));
		json_decref(acc);
	}
	*ret = n;
	return 0;
}

/* An account (not the operator) may not take the last users.manage of an
 * organization away: by a role change in org, or (role NULL) disabling. */
static int lockout_check(struct fs_ctx *ctx, int64_t by, const struct roles *all, int64_t user, const char *role,
			 struct fs_error *err)
{
	if (by == FS_OPERATOR)
		return 0; /* who holds the key files can always grant again */
	if (!role && user == by)
		return fs_fail(err, FS_ECONFLICT, "disabled", "you cannot disable your own account");
	for (size_t i = 0; i < all->n; i++) {
		const struct role_row *r = &all->v[i];
		if (r->user != user || !fs_role_can(r->role, "users.manage") || (role && r->org != ctx->org_id))
			continue;
		if (role && fs_role_can(role, "users.manage"))
			continue; /* still an admin */
		int64_t others;
		int rc = other_admins(ctx, all, r->org, user, &others, err);
		if (rc)
			return rc;
		if (!others) {
			char slug[64];
			org_slug(ctx, r->org, slug);
			return fs_fail(err, FS_ECONFLICT, role ? "role" : "disabled",
				       "this is the last admin of '%s': make another account admin first", slug);
		}
	}
	return 0;
}

/* by may disable the account or set its password: every role it holds is in
 * an organization where by manages accounts. */
static int controls(struct fs_ctx *ctx, int64_t by, const struct roles *all, int64_t user, struct fs_error *err)
{
	for (size_t i = 0; by != FS_OPERATOR && i < all->n; i++)
		if (all->v[i].user == user && !manages(ctx, by, all->v[i].org))
			return fs_fail(err, FS_EPERM, NULL, "the account works in another organization too: ask its admin");
	return 0;
}

static int username_of(struct fs_ctx *ctx, int64_t id, char out[72], struct fs_error *err)
{
	json_t *acc = NULL;
	int rc = account_row(ctx, id, &acc, err);
	if (!rc)
		snprintf(out, 72, "%s", json_string_value(json_object_get(acc, "username")));
	json_decref(acc);
	return rc;
}

int fs_account_change(struct fs_ctx *ctx, int64_t id, const struct fs_account_change *ch, json_t **ret,
		      struct fs_error *err)
{
	int64_t by = fs_principal(ctx);
	struct roles all = {0};
	char name[72];
	int rc = may_manage(ctx, by, err);
	if (!rc && !ch->role && ch->disabled < 0 && !ch->password)
		rc = fs_fail(err, FS_EINVAL, NULL, "give role, disabled or password");
	if (!rc && ch->role && strcmp(ch->role, "none") && !fs_role_valid(ch->role))
		rc = fs_fail(err, FS_EINVAL, "role", "'%.32s' is not a role: admin, organizer, treasurer, documenter, viewer or none",
			     ch->role);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	rc = load_roles(ctx, 0, &all, err);
	if (!rc && !visible(&all, by, id, ctx->org_id))
		rc = fs_fail(err, FS_ENOTFOUND, "id", "there is no account %lld here", (long long)id);
	if (!rc)
		rc = username_of(ctx, id, name, err);
	/* checked against the roles as they are before any of the changes */
	if (!rc && ch->role)
		rc = lockout_check(ctx, by, &all, id, ch->role, err);
	if (!rc && (ch->disabled >= 0 || ch->password))
		rc = controls(ctx, by, &all, id, err);
	if (!rc && ch->disabled > 0)
		rc = lockout_check(ctx, by, &all, id, NULL, err);
	if (!rc && ch->role)
		rc = fs_user_grant(ctx, name, ch->role, err);
	if (!rc && ch->disabled >= 0)
		rc = fs_user_disable(ctx, name, ch->disabled, err);
	if (!rc && ch->password)
		rc = fs_user_passwd(ctx, name, ch->password, err);
	free(all.v);
	/* the account as it is now, as by was allowed to see it (even when by just
	 * gave up managing accounts here) */
	json_t *view = NULL;
	if (!rc && ret)
		rc = account_view(ctx, by, id, &view, err);
	rc = fs_tx_end(ctx, rc, err);
	if (!rc && ret)
		*ret = view;
	else
		json_decref(view);
	return rc;
}

int fs_account_set_role(struct fs_ctx *ctx, int64_t id, const char *role, struct fs_error *err)
{
	if (!role)
		return fs_fail(err, FS_EINVAL, "role", "give a role or none");
	struct fs_account_change ch = {.role = role, .disabled = -1};
	return fs_account_change(ctx, id, &ch, NULL, err);
}

int fs_account_set_disabled(struct fs_ctx *ctx, int64_t id, int disabled, struct fs_error *err)
{
	struct fs_account_change ch = {.disabled = disabled != 0};
	return fs_account_change(ctx, id, &ch, NULL, err);
}

int fs_account_set_password(struct fs_ctx *ctx, int64_t id, const char *password, struct fs_error *err)
{
	if (!password)
		return fs_fail(err, FS_EINVAL, "password", "give the new password");
	struct fs_account_change ch = {.disabled = -1, .password = password};
	return fs_account_change(ctx, id, &ch, NULL, err);
}

int fs_account_create(struct fs_ctx *ctx, const char *username, const char *password, const char *role,
		      char initial[FS_INITIAL_PASSWORD], int64_t *ret_id, struct fs_error *err)
{
	/* no look-alike characters: read aloud or copied from a screen */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	char made[FS_INITIAL_PASSWORD] = "";
	int64_t id, by = fs_principal(ctx);
	int rc = may_manage(ctx, by, err);
	if (!rc && !username)
		rc = fs_fail(err, FS_EINVAL, "username", "give the account's user name");
	if (!rc && role && !fs_role_valid(role))
		rc = fs_fail(err, FS_EINVAL, "role", "'%.32s' is not a role: admin, organizer, treasurer, documenter or viewer", role);
	if (rc)
		return rc;
	if (!password) {
		for (size_t i = 0; i + 1 < sizeof(made); i++)
			made[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
		made[sizeof(made) - 1] = '\0';
	}
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	rc = fs_user_add(ctx, username, password ? password : made, &id, err);
	if (!rc && role)
		rc = fs_user_grant(ctx, username, role, err);
	rc = fs_tx_end(ctx, rc, err);
	if (!rc) {
		memcpy(initial, made, sizeof(made));
		*ret_id = id;
	}
	sodium_memzero(made, sizeof(made));
	return rc;
}

/* ---- API tokens: who may (users.h) ---- */

/* 0 when the principal may see (make: make) the tokens of account id; else
 * FS_ENOTFOUND (an account it does not see), FS_EPERM or FS_EINVAL. */
static int token_access(struct fs_ctx *ctx, int64_t id, int make, struct fs_error *err)
{
	int64_t by = fs_principal(ctx);
	json_t *acc = NULL;
	if (by > 0 && id == by) { /* its own: the account itself, as its role here allows */
		if (ctx->org_id > 0 && !fs_principal_can(ctx, "tokens.own"))
			return fs_principal_require(ctx, "tokens.own", err);
		return 0;
	}
	int rc = may_manage(ctx, by, err);
	if (rc) {
		if (rc == FS_EPERM)
			rc = fs_fail(err, FS_EPERM, NULL, "another account's API tokens need users.manage in this organization");
		return rc;
	}
	struct roles all;
	if ((rc = load_roles(ctx, 0, &all, err)))
		return rc;
	if (!visible(&all, by, id, ctx->org_id))
		rc = fs_fail(err, FS_ENOTFOUND, "id", "there is no account %lld here", (long long)id);
	if (!rc)
		rc = account_row(ctx, id, &acc, err); /* it exists */
	if (!rc && make)
		rc = controls(ctx, by, &all, id, err);
	json_decref(acc);
	free(all.v);
	return rc;
}

int fs_account_tokens(struct fs_ctx *ctx, int64_t id, json_t **ret, struct fs_error *err)
{
	int64_t by = fs_principal(ctx);
	json_t *items = NULL;
	int rc = id ? token_access(ctx, id, 0, err) : 0;
	if (!rc && !id && by != FS_OPERATOR) {
		/* every account's it may see: its own, and, managing accounts here, theirs */
		struct roles all = {0};
		json_t *kept = json_array();
		int mine = by > 0 && (ctx->org_id <= 0 || fs_principal_can(ctx, "tokens.own"));
		int admin = ctx->org_id > 0 && manages(ctx, by, ctx->org_id);
		if (!kept)
			return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
		if (!mine && !admin)
			rc = fs_principal_require(ctx, "tokens.own", err);
		if (!rc && admin)
			rc = load_roles(ctx, 0, &all, err);
		if (!rc)
			rc = fs_token_rows(ctx, 0, &items, err);
		size_t i;
		json_t *t;
		json_array_foreach(rc ? NULL : items, i, t) {
			int64_t owner = json_integer_value(json_object_get(t, "user_id"));
			if ((mine && owner == by) || (admin && visible(&all, by, owner, ctx->org_id)))
				json_array_append(kept, t);
		}
		free(all.v);
		json_decref(items);
		items = kept;
	} else if (!rc) {
		rc = fs_token_rows(ctx, id, &items, err);
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	*ret = json_pack("{s:o}", "items", items);
	return *ret ? 0 : fs_fail(err, FS_ENOMEM, NULL, "out of memory");
}

int fs_account_token_create(struct fs_ctx *ctx, int64_t id, const char *name, char token[68], json_t **ret,
			    struct fs_error *err)
{
	int64_t token_id = 0;
	json_t *items = NULL;
	if (!name)
		return fs_fail(err, FS_EINVAL, "name", "give the token a name");
	int rc = fs_tx_begin(ctx, err);
	if (rc)
		return rc;
	if (!(rc = token_access(ctx, id, 1, err)))
		rc = fs_token_insert(ctx, id, name, token, &token_id, err);
	if (!rc && ret)
		rc = fs_token_rows(ctx, id, &items, err);
	rc = fs_tx_end(ctx, rc, err);
	if (rc) {
		sodium_memzero(token, 68);
		json_decref(items);
		return rc;
	}
	if (ret) {
		size_t i;
		json_t *t;
		*ret = NULL;
		json_array_foreach(items, i, t)
			if (json_integer_value(json_object_get(t, "id")) == token_id)
				*ret = json_incref(t);
		json_decref(items);
		if (!*ret)
			*ret = json_pack("{s:I,s:I,s:s}", "id", (json_int_t)token_id, "user_id", (json_int_t)id, "name", name);
	}
	return 0;
}

int fs_account_token_revoke(struct fs_ctx *ctx, int64_t id, int64_t token_id, const char *name, struct fs_error *err)
{
	int rc = fs_tx_begin(ctx, err);
	if (rc)
		return rc;
	rc = token_access(ctx, id, 0, err);
	if (!rc && name)
		rc = fs_token_id_of(ctx, id, name, &token_id, err);
	if (!rc)
		rc = fs_token_delete(ctx, id, token_id, err);
	return fs_tx_end(ctx, rc, err);
}
