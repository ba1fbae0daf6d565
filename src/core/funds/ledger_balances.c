/* ledger_balances.c - what the ledger's balances table says of a fund's accounts
 * (fs_fund_balances), and fs_list_all; apart from ledger.c, the transfers. */
#include "internal.h"

#include "util/money.h"
#include "ledger_int.h"

static int bal_cb(void *p, const struct fs_value *v)
{
	struct fs_lb_bal *a = p;
	a->dp = v[B_DP].i;
	a->cp = v[B_CP].i;
	a->dpend = v[B_DPEND].i;
	a->cpend = v[B_CPEND].i;
	return 1;
}

int fs_lb_balance_row(struct fs_ctx *ctx, int64_t account, struct fs_lb_bal *b, struct fs_error *err)
{
	struct fs_filter bf[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"account_id", FS_EQ, fs_vint(account)}};
	struct fs_query bq = {.table = &fs_balances_table, .filters = bf, .nfilters = 2, .limit = 1};
	return fs_store_select(ctx->st, &bq, bal_cb, b, err);
}


int fs_list_all(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *filters, size_t nfilters, json_t **ret,
		struct fs_error *err)
{
	/* a page of the list's largest size at a time */
	struct fs_list_opts o = {.filters = filters, .nfilters = nfilters, .limit = 10000};
	json_t *all = NULL;
	int rc;
	for (;;) {
		json_t *page;
		if ((rc = fs_list(ctx, e, &o, &page, err)))
			break;
		size_t got = json_array_size(json_object_get(page, "items"));
		if (!all)
			all = json_incref(page);
		else
			json_array_extend(json_object_get(all, "items"), json_object_get(page, "items"));
		json_decref(page);
		if (got < (size_t)o.limit)
			break;
		o.offset += o.limit;
	}
	if (rc) {
		json_decref(all);
		return rc;
	}
	*ret = all;
	return 0;
}

int fs_fund_balances(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "funds.read", err);
	if (cap_rc)
		return cap_rc;
	const struct fs_entity *ae = fs_entity_find("account");
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)fund);
	struct fs_kv f = {"fund_id", fid};
	json_t *accts;
	int rc = fs_list_all(ctx, ae, &f, 1, &accts, err);
	if (rc)
		return rc;
	json_t *out = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(accts, "items"), i, a) {
		struct fs_lb_bal b = {0};
		if ((rc = fs_lb_balance_row(ctx, json_integer_value(json_object_get(a, "id")), &b, err)))
			break;
		int64_t bal;
		if (b.dp < 0 || b.cp < 0 || b.dpend < 0 || b.cpend < 0 || fs_money_sub(b.dp, b.cp, &bal)) {
			rc = fs_fail(err, FS_EINTEGRITY, "balance", "the balance of account %lld is past the largest amount (wrapped): run 'fairshare verify'",
				     (long long)json_integer_value(json_object_get(a, "id")));
			break;
		}
		json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O,s:I,s:I,s:I,s:I,s:I}", "account_id", json_object_get(a, "id"),
						     "name", json_object_get(a, "name"), "kind", json_object_get(a, "kind"),
						     "currency", json_object_get(a, "currency"), "debits_posted", (json_int_t)b.dp,
						     "credits_posted", (json_int_t)b.cp, "debits_pending", (json_int_t)b.dpend,
						     "credits_pending", (json_int_t)b.cpend, "balance_minor", (json_int_t)bal));
	}
	json_decref(accts);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*ret = out;
	return 0;
}
