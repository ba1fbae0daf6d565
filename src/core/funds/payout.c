/* payout.c - the two-person rule of the ledger, for every front end: money that
 * leaves a fund's assets (a transfer crediting an asset account: a disbursement,
 * a withdrawal, a plain transfer, the posting of a pending one) above the fund's
 * approval threshold, or past what one account may move out in 24 hours (the
 * fund's rolling limit, so that splitting a payout is caught), moves only when a
 * second account - holding funds.approve, not the one who requested it - posts it.
 * Who is who is decided by account id (principal.c), never by a name typed in. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/money.h"
#include "ledger_int.h"

#define ROLLING_SECONDS (24 * 3600)

int fs_payout_rule_load(struct fs_ctx *ctx, int64_t fund, struct fs_payout_rule *r, struct fs_error *err)
{
	memset(r, 0, sizeof(*r));
	const struct fs_entity *fe = fs_entity_find("fund");
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &fe->table, fund, &row, err);
	if (rc)
		return rc;
	const struct fs_value *t = &row.vals[fe->col_of[fs_field_index(fe, "approval_threshold")]];
	const struct fs_value *l = &row.vals[fe->col_of[fs_field_index(fe, "rolling_limit")]];
	r->has_threshold = t->type == FS_VINT;
	r->threshold_minor = t->type == FS_VINT ? t->i : 0;
	r->has_limit = l->type == FS_VINT;
	r->limit_minor = l->type == FS_VINT ? l->i : 0;
	fs_row_free(&row);
	return 0;
}

/* 1 when two actors as stored name the same principal: by account id when both
 * have one, else by the text. */
static int same_actor(const char *a, const char *b)
{
	int64_t x = fs_actor_account(a), y = fs_actor_account(b);
	return x || y ? x == y : !strcmp(a, b);
}

struct moved_ud {
	const char *requester;
	json_t *assets;  /* account id -> true: the fund's asset accounts */
	json_t *posts;   /* pending ids of posts the requester made: counted if theirs */
	int64_t sum;
	int over;
};

static int moved_cb(void *p, const struct fs_value *v)
{
	/* columns: actor, flags, amount_minor, credit_account_id, pending_id */
	struct moved_ud *u = p;
	char actor[FS_ACTOR_MAX], k[24];
	snprintf(actor, sizeof(actor), "%.*s", (int)v[0].n, (const char *)v[0].p);
	snprintf(k, sizeof(k), "%lld", (long long)v[3].i);
	if (!same_actor(actor, u->requester) || (v[1].i & (FS_TF_PENDING | FS_TF_VOID)) || !json_object_get(u->assets, k))
		return 0;
	if (v[1].i & FS_TF_POST) { /* the requester posted: theirs, unless someone else requested it */
		char pid[80];
		snprintf(pid, sizeof(pid), "%.*s", v[4].type == FS_VTEXT ? (int)v[4].n : 0, v[4].type == FS_VTEXT ? (const char *)v[4].p : "");
		json_object_set_new(u->posts, pid, json_integer(v[2].i));
		return 0;
	}
	if (fs_money_add(u->sum, v[2].i, &u->sum))
		return u->over = 1, 1;
	return 0;
}

static int asset_cb(void *p, const struct fs_value *v)
{
	char k[24];
	snprintf(k, sizeof(k), "%lld", (long long)v[0].i);
	json_object_set_new(p, k, json_true());
	return 0;
}

static int actor_cb(void *p, const struct fs_value *v)
{
	snprintf(p, FS_ACTOR_MAX, "%.*s", (int)v[0].n, (const char *)v[0].p);
	return 1;
}

/* What the requester moved out of the fund's assets on their own in the last
 * 24 hours: plain transfers, and posts of their own pending transfers. */
static int moved_lately(struct fs_ctx *ctx, int64_t fund, const char *requester, int64_t *ret, struct fs_error *err)
{
	struct moved_ud u = {.requester = requester, .assets = json_object(), .posts = json_object()};
	if (!u.assets || !u.posts) {
		json_decref(u.assets);
		json_decref(u.posts);
		return FS_ENOMEM;
	}
	const struct fs_entity *ae = fs_entity_find("account");
	static const char *const acols[] = {"id"};
	struct fs_filter af[3] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}, {"kind", FS_EQ, fs_vtext("asset")}};
	struct fs_query aq = {.table = &ae->table, .filters = af, .nfilters = 3, .columns = acols, .ncolumns = 1};
	int rc = fs_store_select(ctx->st, &aq, asset_cb, u.assets, err);
	char since[24];
	time_t t = time(NULL) - ROLLING_SECONDS;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	static const char *const cols[] = {"actor", "flags", "amount_minor", "credit_account_id", "pending_id"};
	struct fs_filter f[3] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}, {"ts", FS_GE, fs_vtext(since)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 3, .columns = cols, .ncolumns = 5};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, moved_cb, &u, err);
	const char *pid;
	json_t *amount;
	json_object_foreach(u.posts, pid, amount) {
		if (rc || u.over)
			break;
		char who[FS_ACTOR_MAX] = "";
		static const char *const pcols[] = {"actor"};
		struct fs_filter pf[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"id", FS_EQ, fs_vtext(pid)}};
		struct fs_query pq = {.table = &fs_transfers_table, .filters = pf, .nfilters = 2, .limit = 1, .columns = pcols, .ncolumns = 1};
		if (!(rc = fs_store_select(ctx->st, &pq, actor_cb, who, err)) && same_actor(who, requester) &&
		    fs_money_add(u.sum, json_integer_value(amount), &u.sum))
			u.over = 1;
	}
	json_decref(u.assets);
	json_decref(u.posts);
	if (!rc && u.over)
		u.sum = FS_MONEY_MAX_MINOR; /* past any limit */
	if (!rc)
		*ret = u.sum;
	return rc;
}

int fs_payout_check(struct fs_ctx *ctx, int64_t fund, struct fs_payout_rule *r, const char *requester, int64_t amount_minor,
		    int64_t *ret_counted, struct fs_error *err)
{
	*ret_counted = 0;
	int self = !requester || fs_actor_is_principal(ctx, requester);
	int needs = r->has_threshold && amount_minor > r->threshold_minor;
	if (!needs && r->has_limit) {
		int64_t before = 0, total;
		int rc = 0;
		if (self && r->self_loaded) {
			before = r->self_before;
		} else {
			rc = moved_lately(ctx, fund, self ? ctx->actor : requester, &before, err);
			if (!rc && self) {
				r->self_before = before;
				r->self_loaded = 1;
			}
		}
		if (rc)
			return rc;
		if (self && fs_money_add(before, r->self_batch, &before))
			before = FS_MONEY_MAX_MINOR;
		needs = fs_money_add(before, amount_minor, &total) || total > r->limit_minor;
	}
	if (!needs) {
		if (self && r->has_limit)
			*ret_counted = amount_minor; /* theirs, for their rolling limit: the sum stays within it */
		return FS_T_OK;
	}
	/* a second person: an account other than the requester, holding funds.approve */
	if (self || ctx->principal_id <= 0 || !fs_principal_can(ctx, "funds.approve"))
		return FS_T_APPROVAL_REQUIRED;
	return FS_T_OK;
}

int fs_fund_payout_needs_approval(struct fs_ctx *ctx, int64_t fund, int64_t amount_minor, int *ret, struct fs_error *err)
{
	struct fs_payout_rule r;
	int64_t counted;
	int rc = fs_payout_rule_load(ctx, fund, &r, err);
	if (!rc)
		rc = fs_payout_check(ctx, fund, &r, NULL, amount_minor, &counted, err);
	if (rc < 0)
		return rc;
	*ret = rc == FS_T_APPROVAL_REQUIRED;
	return 0;
}
