/* ledger_batch.c - the state of one ledger batch (ledger_batch.h): accounts
 * and balances loaded once, the index of the ids it has seen, and the effects of
 * transfers on the in-memory balances (every sum overflow-checked). */
#include "internal.h"
#include "fs_assert.h"

#include <string.h>

#include "util/money.h"
#include "ledger_batch.h"

struct acct_ud {
	struct acct *a;
	int found;
};

static int acct_cb(void *p, const struct fs_value *v)
{
	struct acct_ud *u = p;
	const struct fs_entity *e = fs_entity_find("account");
	u->found = 1;
	u->a->fund = v[e->col_of[fs_field_index(e, "fund_id")]].i;
	const struct fs_value *k = &v[e->col_of[fs_field_index(e, "kind")]];
	u->a->debit_normal = (k->n == 5 && !memcmp(k->p, "asset", 5)) || (k->n == 7 && !memcmp(k->p, "expense", 7));
	u->a->no_negative = v[e->col_of[fs_field_index(e, "no_negative")]].i != 0;
	u->a->asset = k->n == 5 && !memcmp(k->p, "asset", 5);
	const struct fs_value *c = &v[e->col_of[fs_field_index(e, "currency")]];
	snprintf(u->a->currency, sizeof(u->a->currency), "%.*s", c->type == FS_VTEXT ? (int)c->n : 0, c->type == FS_VTEXT ? (const char *)c->p : "");
	return 1;
}

struct acct *fs_lb_account(struct batch *b, int64_t id, int *rc)
{
	for (size_t i = 0; i < b->nacct; i++)
		if (b->accts[i].id == id)
			return &b->accts[i];
	if (fs_grow(&b->accts, &b->capacct, b->nacct, sizeof(*b->accts), 16))
		return *rc = FS_ENOMEM, NULL;
	struct acct *a = &b->accts[b->nacct];
	memset(a, 0, sizeof(*a));
	a->id = id;
	const struct fs_entity *e = fs_entity_find("account");
	struct fs_filter f[2] = {{"id", FS_EQ, fs_vint(id)}, {"org_id", FS_EQ, fs_vint(b->ctx->org_id)}};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1};
	struct acct_ud u = {a, 0};
	if ((*rc = fs_store_select(b->ctx->st, &q, acct_cb, &u, b->err)))
		return NULL;
	if (!u.found)
		return NULL;
	struct fs_lb_bal s = {0};
	if ((*rc = fs_lb_balance_row(b->ctx, id, &s, b->err)))
		return NULL;
	a->dp = s.dp;
	a->cp = s.cp;
	a->dpend = s.dpend;
	a->cpend = s.cpend;
	b->nacct++;
	return a;
}

/* The balance the account's owner sees, counting what is reserved against it. */
int fs_lb_would_go_negative(const struct acct *a)
{
	if (!a->no_negative)
		return 0;
	int64_t out; /* credits (paid out, reserved) beyond debits; past the largest sum is beyond */
	if (a->debit_normal)
		return fs_money_add(a->cp, a->cpend, &out) || out > a->dp;
	return fs_money_add(a->dp, a->dpend, &out) || out > a->cp;
}

static uint64_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h;
}

/* The ids of this batch: a hash index over seen[] (entries are only appended, or
 * dropped from the end when a linked chain fails). */
struct seen_id *fs_lb_seen_find(struct batch *b, const char *id)
{
	if (!b->seen_cap)
		return NULL;
	size_t j = id_hash(id) & (b->seen_cap - 1);
	while (b->seen_index[j]) {
		uint32_t k = b->seen_index[j] - 1;
		if (k < b->nseen && !strcmp(b->seen[k].id, id))
			return &b->seen[k];
		j = (j + 1) & (b->seen_cap - 1);
	}
	return NULL;
}

void fs_lb_seen_add(struct batch *b, size_t k)
{
	size_t j = id_hash(b->seen[k].id) & (b->seen_cap - 1);
	while (b->seen_index[j]) {
		uint32_t e = b->seen_index[j] - 1;
		if (e >= b->nseen || !strcmp(b->seen[e].id, b->seen[k].id))
			break; /* a stale slot from a dropped chain, or the same id: reuse it */
		j = (j + 1) & (b->seen_cap - 1);
	}
	b->seen_index[j] = (uint32_t)k + 1;
}

/* Adds the effect, or returns the id of the account one of whose sums would
 * pass the largest amount (or go below zero) and changes nothing. */
int64_t fs_lb_apply(struct effect *e)
{
	int64_t dp, dpend, cp, cpend;
	/* double entry: what one transfer debits it credits, posted and pending, so the
	 * debits of all accounts always equal their credits */
	FS_ASSERT(e->dp == e->cp && e->dpend == e->cpend);
	if (fs_money_add(e->debit->dp, e->dp, &dp) || fs_money_add(e->debit->dpend, e->dpend, &dpend) || dp < 0 || dpend < 0)
		return e->debit->id;
	if (fs_money_add(e->credit->cp, e->cp, &cp) || fs_money_add(e->credit->cpend, e->cpend, &cpend) || cp < 0 || cpend < 0)
		return e->credit->id;
	e->debit->dp = dp;
	e->debit->dpend = dpend;
	e->credit->cp = cp;
	e->credit->cpend = cpend;
	e->debit->touched = e->credit->touched = 1;
	return 0;
}

/* Takes back an effect apply() added (so within range). */
void fs_lb_unapply(const struct effect *e)
{
	e->debit->dp -= e->dp;
	e->debit->dpend -= e->dpend;
	e->credit->cp -= e->cp;
	e->credit->cpend -= e->cpend;
	FS_ASSERT(e->debit->dp >= 0 && e->debit->dpend >= 0 && e->credit->cp >= 0 && e->credit->cpend >= 0);
}

