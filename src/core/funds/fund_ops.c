/* fund_ops.c - the treasurer's everyday operations as one call each, the same
 * for every front end that wants them whole (the API; the CLI composes its own
 * from the same calls): a contribution (money or in kind), a disbursement that
 * waits for a second person when the two-person rule says so (payout.c decides),
 * the payout rule as it stands for the principal before a payout is entered,
 * and the ledger of a fund (its transfers, newest first, with account names). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ledger_int.h"

/* the fields errors name (variables, so tests/browser/templates.mjs finds the templates) */
static const char F_KIND[] = "kind";
static const char F_MEMO[] = "memo";
static const char F_PURPOSE[] = "purpose";

/* a new transfer id when none is given: random, so a retry must give its own */
static void new_id(const char *prefix, char out[40])
{
	unsigned char r[8];
	randombytes_buf(r, sizeof(r));
	int k = snprintf(out, 40, "%s-", prefix);
	for (size_t i = 0; i < sizeof(r) && k + 2 < 40; i++)
		k += snprintf(out + k, 40 - (size_t)k, "%02x", r[i]);
}

int fs_fund_contribute(struct fs_ctx *ctx, int64_t fund, const struct fs_money_op *op, json_t **ret, struct fs_error *err)
{
	char idbuf[40], code[40] = "contribution";
	struct fs_transfer t = {.id = op->id, .amount_minor = op->amount_minor, .value_date = op->date, .memo = op->memo,
				.party = op->party};
	int in_kind = op->kind && !strcmp(op->kind, "in_kind");
	if (op->kind && !in_kind && strcmp(op->kind, "money"))
		return fs_fail(err, FS_EINVAL, F_KIND, "a contribution is money or in_kind, not '%.40s'", op->kind);
	if (in_kind && (!op->memo || !op->memo[0]))
		return fs_fail(err, FS_EINVAL, F_MEMO, "an in-kind gift needs its description (what was given)");
	if (!t.id) {
		new_id("c", idbuf);
		t.id = idbuf;
	}
	if (op->pledge_id > 0)
		snprintf(code, sizeof(code), "pledge-%lld", (long long)op->pledge_id); /* counts towards the pledge */
	t.code = code;
	int res = 0;
	int rc = fs_account_by_name(ctx, fund, in_kind ? "assets:in-kind" : "assets:cash", &t.debit_account, err);
	if (!rc)
		rc = fs_account_by_name(ctx, fund, in_kind ? "income:in-kind" : "income:contributions", &t.credit_account, err);
	if (!rc)
		rc = fs_ledger_transfer(ctx, fund, &t, 1, &res, err);
	if (!rc)
		*ret = json_pack("{s:s,s:s,s:I}", "id", t.id, "result", fs_transfer_result_name(res), "amount_minor",
				 (json_int_t)t.amount_minor);
	return rc;
}

int fs_fund_disburse(struct fs_ctx *ctx, int64_t fund, const struct fs_money_op *op, json_t **ret, struct fs_error *err)
{
	static const char *const purposes[] = {"strike-pay", "family-support", "legal", "other", NULL};
	int known = 0;
	for (int k = 0; op->kind && purposes[k]; k++)
		known |= !strcmp(purposes[k], op->kind);
	if (!known)
		return fs_fail(err, FS_EINVAL, F_PURPOSE, "the purpose is strike-pay, family-support, legal or other");
	char idbuf[40], expense[64];
	struct fs_transfer t = {.id = op->id, .amount_minor = op->amount_minor, .value_date = op->date, .memo = op->memo,
				.party = op->party, .code = op->kind};
	if (!t.id) {
		new_id("d", idbuf);
		t.id = idbuf;
	}
	snprintf(expense, sizeof(expense), "expenses:%s", op->kind);
	int res = 0, wait = 0;
	int rc = fs_account_by_name(ctx, fund, expense, &t.debit_account, err);
	if (!rc)
		rc = fs_account_by_name(ctx, fund, "assets:cash", &t.credit_account, err);
	if (!rc)
		rc = fs_fund_payout_needs_approval(ctx, fund, t.amount_minor, &wait, err);
	if (!rc && wait)
		t.flags |= FS_TF_PENDING; /* the core wants a second person: it waits for one */
	if (!rc)
		rc = fs_ledger_transfer(ctx, fund, &t, 1, &res, err);
	if (!rc)
		*ret = json_pack("{s:s,s:s,s:b,s:I}", "id", t.id, "result", fs_transfer_result_name(res), "pending", wait,
				 "amount_minor", (json_int_t)t.amount_minor);
	return rc;
}

int fs_fund_payout_rule(struct fs_ctx *ctx, int64_t fund, int64_t amount_minor, json_t **ret, struct fs_error *err)
{
	struct fs_payout_rule r;
	int wait = 0;
	int rc = fs_payout_rule_load(ctx, fund, &r, err);
	if (!rc && amount_minor > 0)
		rc = fs_fund_payout_needs_approval(ctx, fund, amount_minor, &wait, err);
	if (rc)
		return rc;
	*ret = json_pack("{s:o,s:o}", "approval_threshold_minor", r.has_threshold ? json_integer(r.threshold_minor) : json_null(),
			 "rolling_limit_minor", r.has_limit ? json_integer(r.limit_minor) : json_null());
	if (amount_minor > 0) {
		json_object_set_new(*ret, "amount_minor", json_integer(amount_minor));
		json_object_set_new(*ret, "needs_approval", json_boolean(wait));
	}
	return 0;
}

/* ---- the ledger of a fund ---- */

struct list_ud {
	json_t *items, *names;
};

static int list_cb(void *p, const struct fs_value *v)
{
	/* columns of fs_transfers_table */
	struct list_ud *u = p;
	char k[24];
	int64_t flags = v[9].i;
	const char *status = flags & FS_TF_PENDING ? "pending" : flags & FS_TF_VOID ? "voided" : flags & FS_TF_POST ? "approved" : "posted";
	json_t *x = json_pack("{s:I,s:s%,s:I,s:I,s:I,s:s%,s:s,s:s%,s:s%}", "seq", (json_int_t)v[0].i, "id", v[1].p, v[1].n,
			      "debit_account_id", (json_int_t)v[4].i, "credit_account_id", (json_int_t)v[5].i, "amount_minor",
			      (json_int_t)v[6].i, "code", v[8].p, v[8].n, "status", status, "value_date", v[13].p, v[13].n,
			      "entered_by", v[14].p, v[14].n);
	snprintf(k, sizeof(k), "%lld", (long long)v[4].i);
	json_object_set(x, "debit", json_object_get(u->names, k));
	snprintf(k, sizeof(k), "%lld", (long long)v[5].i);
	json_object_set(x, "credit", json_object_get(u->names, k));
	json_object_set_new(x, "memo", v[15].type == FS_VTEXT ? json_stringn(v[15].p, v[15].n) : json_null());
	json_object_set_new(x, "pending_id", v[10].type == FS_VTEXT ? json_stringn(v[10].p, v[10].n) : json_null());
	json_array_append_new(u->items, x);
	return 0;
}

int fs_fund_ledger(struct fs_ctx *ctx, int64_t fund, int64_t limit, int64_t offset, json_t **ret, struct fs_error *err)
{
	json_t *bal;
	int rc = fs_fund_balances(ctx, fund, &bal, err);
	if (rc)
		return rc;
	struct list_ud u = {json_array(), json_object()};
	size_t i;
	json_t *a;
	json_array_foreach(bal, i, a) {
		char k[24];
		snprintf(k, sizeof(k), "%lld", (long long)json_integer_value(json_object_get(a, "account_id")));
		json_object_set(u.names, k, json_object_get(a, "name"));
	}
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)}};
	/* newest first: by ts, then seq (ts never goes back within an organization's
	 * chain, so this is the chain's order), read from transfers_fund_ts unsorted */
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2, .order_by = "ts", .then_by = "seq", .descending = 1,
			     .limit = limit > 0 && limit <= 10000 ? limit : 100, .offset = offset > 0 ? offset : 0};
	int64_t total = 0;
	rc = fs_store_count(ctx->st, &q, &total, err);
	if (!rc)
		rc = fs_store_select(ctx->st, &q, list_cb, &u, err);
	json_decref(u.names);
	if (rc) {
		json_decref(u.items);
		json_decref(bal);
		return rc;
	}
	*ret = json_pack("{s:I,s:o,s:o}", "total", (json_int_t)total, "items", u.items, "balances", bal);
	return 0;
}
