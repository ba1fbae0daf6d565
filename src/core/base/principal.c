/* principal.c - who acts: an account (by id; the journal names it "user:ID NAME",
 * its name at the time, from every front end alike), the local operator (who
 * holds the database and key files; "operator") or nobody (not logged in). The
 * capability table (policy.c) is checked here against the principal's role in
 * the organization the context works in. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"

static int first_role(void *p, const struct fs_value *v)
{
	*(int64_t *)p = v[0].i;
	return 1;
}

/* The memo: a server asks who the account is and its role on every request
 * (twice: the route's check and the core's). What was read is kept with the
 * data_version it was read at and used while that is unchanged: a change by
 * another connection (a revoked role, a disabled account) changes it, and this
 * context's own writes empty the memo when their transaction begins. Nothing is
 * kept or used inside a write transaction (it could roll back). The version is
 * read before the rows, so a memo is never older than its version
 * (fs_principal_memo_clear is tx.c's, below this file). */
static int64_t memo_version(struct fs_ctx *ctx)
{
	return ctx->tx_depth ? -1 : fs_data_version(ctx);
}

/* The account's role record in org (*ret: its id, 0 when none) and, given role,
 * its role's name. Here, below auth.c and users.c: the principal's role is read
 * without calling up into the accounts' operations. */
int fs_role_record(struct fs_ctx *ctx, int64_t user, int64_t org, int64_t *ret, char role[16], struct fs_error *err)
{
	int64_t version = memo_version(ctx);
	for (size_t i = 0; version >= 0 && i < sizeof(ctx->role_memo) / sizeof(ctx->role_memo[0]); i++) {
		const struct fs_principal_memo *m = &ctx->role_memo[i];
		if (m->ok && m->version == version && m->user == user && m->org == org) {
			*ret = m->role_id;
			if (role && m->role_id)
				memcpy(role, m->role, 16);
			return 0;
		}
	}
	const struct fs_entity *re = fs_entity_lookup("role");
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"user_id", FS_EQ, fs_vint(user)}};
	struct fs_query q = {.table = &re->table, .filters = f, .nfilters = 2, .limit = 1};
	struct fs_row row = {0};
	int64_t u_id = 0;
	char name[16] = "";
	int rc = fs_store_select(ctx->st, &q, first_role, &u_id, err);
	*ret = u_id;
	if (!rc && u_id) {
		rc = fs_store_get(ctx->st, &re->table, u_id, &row, err);
		if (!rc) {
			const struct fs_value *v = &row.vals[re->col_of[fs_field_index(re, "role")]];
			snprintf(name, sizeof(name), "%.*s", (int)v->n, (const char *)v->p);
			fs_row_free(&row);
			if (role)
				memcpy(role, name, 16);
		}
	}
	if (!rc && version >= 0) {
		struct fs_principal_memo *m = &ctx->role_memo[ctx->next_role_memo++ % (sizeof(ctx->role_memo) / sizeof(ctx->role_memo[0]))];
		*m = (struct fs_principal_memo){.ok = 1, .version = version, .user = user, .org = org, .role_id = u_id};
		memcpy(m->role, name, 16);
	}
	return rc;
}

int fs_user_role(struct fs_ctx *ctx, int64_t user, int64_t org, char role[16], struct fs_error *err)
{
	int64_t id;
	role[0] = '\0';
	return fs_role_record(ctx, user, org, &id, role, err);
}

struct user_ud {
	const struct fs_entity *e;
	int64_t id;
	char name[260];
	int disabled;
};

static int user_cb(void *p, const struct fs_value *v)
{
	struct user_ud *u = p;
	u->id = v[0].i;
	const struct fs_value *n = &v[u->e->col_of[fs_field_index(u->e, "username")]];
	snprintf(u->name, sizeof(u->name), "%.*s", n->type == FS_VTEXT ? (int)n->n : 0, n->type == FS_VTEXT ? (const char *)n->p : "");
	u->disabled = v[u->e->col_of[fs_field_index(u->e, "disabled")]].i != 0;
	return 1;
}

static int act_as(struct fs_ctx *ctx, const struct fs_filter *f, const char *asked, struct fs_error *err)
{
	struct user_ud u = {.e = fs_entity_lookup("user")};
	/* by id (a server's every request): the memo, while the database is unchanged */
	int64_t by_id = !strcmp(f->column, "id") ? f->value.i : 0, version = by_id ? memo_version(ctx) : -1;
	if (version >= 0 && ctx->user_memo.ok && ctx->user_memo.version == version && ctx->user_memo.id == by_id) {
		u.id = by_id;
		u.disabled = ctx->user_memo.disabled;
		memcpy(u.name, ctx->user_memo.name, sizeof(u.name));
	} else {
		struct fs_query q = {.table = &u.e->table, .filters = f, .nfilters = 1, .limit = 1};
		int rc = fs_store_select(ctx->st, &q, user_cb, &u, err);
		if (rc)
			return rc;
		if (version >= 0 && u.id == by_id) {
			ctx->user_memo.ok = 1, ctx->user_memo.version = version, ctx->user_memo.id = by_id;
			ctx->user_memo.disabled = u.disabled;
			memcpy(ctx->user_memo.name, u.name, sizeof(u.name));
		}
	}
	if (!u.id)
		return fs_fail(err, FS_ENOTFOUND, "as", "there is no account '%.64s' to act as (see 'fairshare user list')", asked);
	if (u.disabled)
		return fs_fail(err, FS_EPERM, "as", "the account '%.64s' is disabled: it cannot act", u.name);
	char actor[FS_ACTOR_MAX];
	snprintf(actor, sizeof(actor), "user:%lld %s", (long long)u.id, u.name);
	fs_set_actor(ctx, actor);
	ctx->principal_id = u.id;
	return 0;
}

int fs_act_as(struct fs_ctx *ctx, const char *username, struct fs_error *err)
{
	if (!username || !*username) {
		fs_act_as_operator(ctx);
		return 0;
	}
	int rc = fs_actor_check(username, err);
	if (rc)
		return rc;
	struct fs_filter f = {"username", FS_EQ, fs_vtext(username)};
	return act_as(ctx, &f, username, err);
}

int fs_act_as_user(struct fs_ctx *ctx, int64_t user_id, struct fs_error *err)
{
	char asked[32];
	snprintf(asked, sizeof(asked), "#%lld", (long long)user_id);
	struct fs_filter f = {"id", FS_EQ, fs_vint(user_id)};
	fs_act_as_nobody(ctx); /* until the account is known good */
	return user_id > 0 ? act_as(ctx, &f, asked, err) : fs_fail(err, FS_ENOTFOUND, "as", "there is no account %s", asked);
}

void fs_act_as_operator(struct fs_ctx *ctx)
{
	fs_set_actor(ctx, "operator");
	ctx->principal_id = FS_OPERATOR;
}

void fs_act_as_nobody(struct fs_ctx *ctx)
{
	fs_set_actor(ctx, "nobody");
	ctx->principal_id = FS_NOBODY;
}

int64_t fs_principal(const struct fs_ctx *ctx)
{
	return ctx->principal_id;
}

const char *fs_principal_name(const struct fs_ctx *ctx)
{
	return ctx->actor;
}

/* The principal's role in the current organization ("" for none). */
static void role_here(struct fs_ctx *ctx, char role[16])
{
	role[0] = '\0';
	if (ctx->principal_id > 0 && ctx->org_id > 0 && fs_user_role(ctx, ctx->principal_id, ctx->org_id, role, NULL))
		role[0] = '\0';
}

int fs_principal_can(struct fs_ctx *ctx, const char *capability)
{
	if (ctx->principal_id == FS_OPERATOR)
		return 1;
	char role[16];
	role_here(ctx, role);
	return fs_role_can(role, capability);
}

int fs_principal_require(struct fs_ctx *ctx, const char *capability, struct fs_error *err)
{
	if (fs_principal_can(ctx, capability))
		return 0;
	if (ctx->principal_id == FS_NOBODY)
		return fs_fail(err, FS_EPERM, "as", "log in first: nobody may %s", capability);
	char role[16];
	role_here(ctx, role);
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EPERM, "as", "%s acts in no organization here: choose one (--org) to use %s", ctx->actor, capability);
	if (!*role)
		return fs_fail(err, FS_EPERM, "as", "%s holds no role in this organization", ctx->actor);
	return fs_fail(err, FS_EPERM, "as", "%s (%s) may not %s in this organization", ctx->actor, role, capability);
}

int fs_principal_in_org(struct fs_ctx *ctx, struct fs_error *err)
{
	if (ctx->principal_id == FS_OPERATOR)
		return 0;
	char role[16];
	role_here(ctx, role);
	if (ctx->principal_id == FS_NOBODY)
		return fs_fail(err, FS_EPERM, "as", "%s holds no role in this organization", ctx->actor);
	if (!*role) /* as in the API: an organization it holds no role in does not exist for it */
		return fs_fail(err, FS_ENOTFOUND, "as", "%s holds no role in this organization", ctx->actor);
	return 0;
}

int64_t fs_actor_account(const char *actor)
{
	if (!actor || strncmp(actor, "user:", 5) || actor[5] < '1' || actor[5] > '9')
		return 0;
	char *end;
	long long id = strtoll(actor + 5, &end, 10);
	return (*end == ' ' || *end == '\0') && id > 0 ? id : 0;
}

int fs_actor_is_principal(const struct fs_ctx *ctx, const char *actor)
{
	int64_t id = fs_actor_account(actor);
	if (id || ctx->principal_id > 0) /* accounts: by id; an entry of before ids, by the account's name */
		return id ? id == ctx->principal_id
			  : !strcmp(actor, strchr(ctx->actor, ' ') ? strchr(ctx->actor, ' ') + 1 : ctx->actor);
	return !strcmp(actor, ctx->actor);
}
