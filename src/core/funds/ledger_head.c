/* ledger_head.c - the head of each organization's transfer chain, kept in a row
 * of transfer_heads (migration 28) written once per batch, instead of an index
 * on (org_id, seq) that every transfer paid for. An organization without a row
 * (its first batch after the migration, or a row lost) has its head found from
 * the transfers as before (org_chains.c); verify checks every row against the
 * chain it names. */
#include "internal.h"

#include <string.h>

#include "ledger_int.h"

struct head_ud {
	unsigned char *head;
	char *ts;
	int found;
	int64_t seq;
};

static int head_cb(void *p, const struct fs_value *v)
{
	struct head_ud *u = p;
	if (v[H_HASH].type != FS_VBLOB || v[H_HASH].n != FS_HASH_BYTES || v[H_TS].type != FS_VTEXT || v[H_TS].n >= 24)
		return 1; /* not a head: the chain's own (verify names the row) */
	u->found = 1;
	u->seq = v[H_SEQ].i;
	memcpy(u->head, v[H_HASH].p, FS_HASH_BYTES);
	memcpy(u->ts, v[H_TS].p, v[H_TS].n);
	u->ts[v[H_TS].n] = '\0';
	return 1;
}

int fs_transfer_head(struct fs_ctx *ctx, int64_t org, unsigned char head[FS_HASH_BYTES], char ts[24], struct fs_error *err)
{
	struct head_ud u = {head, ts, 0, 0};
	ts[0] = '\0';
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(org)};
	struct fs_query q = {.table = &fs_transfer_heads_table, .filters = &f, .nfilters = 1, .limit = 1, .raw = 1};
	int rc = fs_store_select(ctx->st, &q, head_cb, &u, err);
	if (!rc && !u.found)
		return fs_org_chain_head(ctx, &fs_transfers_table, FS_TRANSFER_CHAINS, org, head, err);
	/* the row kept names a transfer of this organization with that hash and ts
	 * (one look-up by key): an altered head would fork the chain, or date every
	 * new transfer as the insider chose, unseen until verify */
	struct fs_row row;
	if (!rc && (rc = fs_store_get_raw(ctx->st, &fs_transfers_table, u.seq, &row, NULL)) == FS_ENOTFOUND)
		rc = 0, row.vals = NULL;
	if (rc)
		return rc;
	int same = row.vals && row.vals[T_ORG].i == org && row.vals[T_HASH].type == FS_VBLOB && row.vals[T_HASH].n == FS_HASH_BYTES &&
		   !memcmp(row.vals[T_HASH].p, head, FS_HASH_BYTES) && row.vals[T_TS].type == FS_VTEXT &&
		   row.vals[T_TS].n == strlen(ts) && !memcmp(row.vals[T_TS].p, ts, row.vals[T_TS].n);
	if (row.vals)
		fs_row_free(&row);
	if (!same)
		return fs_fail(err, FS_EINTEGRITY, "transfer_heads",
			       "the transfer chain head kept for organization %lld does not match transfer %lld (altered outside "
			       "fairshare); nothing was recorded: run verify",
			       (long long)org, (long long)u.seq);
	return 0;
}

int fs_transfer_head_put(struct fs_ctx *ctx, int64_t org, int64_t seq, const char *ts, const unsigned char head[FS_HASH_BYTES],
			 struct fs_error *err)
{
	struct fs_value v[H_NCOLS] = {fs_vint(org), fs_vint(seq), fs_vtext(ts), fs_vblob(head, FS_HASH_BYTES)};
	return fs_store_put(ctx->st, &fs_transfer_heads_table, v, err);
}

struct check_ud {
	const struct fs_chain_end *ends;
	size_t n;
	void (*problem)(void *ud, const char *what, int64_t org);
	void *ud;
};

static int check_cb(void *p, const struct fs_value *v)
{
	struct check_ud *u = p;
	const struct fs_chain_end *e = NULL;
	for (size_t i = 0; i < u->n && !e; i++)
		if (u->ends[i].org == v[H_ORG].i)
			e = &u->ends[i];
	if (!e)
		u->problem(u->ud, "the transfer chain head kept for this organization names no transfer of it", v[H_ORG].i);
	else if (v[H_SEQ].i != e->seq || v[H_HASH].type != FS_VBLOB || v[H_HASH].n != FS_HASH_BYTES ||
		 memcmp(v[H_HASH].p, e->hash, FS_HASH_BYTES) || v[H_TS].type != FS_VTEXT || v[H_TS].n != strlen(e->ts) ||
		 memcmp(v[H_TS].p, e->ts, v[H_TS].n))
		u->problem(u->ud, "the transfer chain head kept for this organization is not its newest transfer (transfers cut or "
				  "head altered)", v[H_ORG].i);
	return 0;
}

int fs_transfer_heads_check(struct fs_ctx *ctx, const struct fs_chain_end *ends, size_t n,
			    void (*problem)(void *ud, const char *what, int64_t org), void *ud, struct fs_error *err)
{
	struct check_ud u = {ends, n, problem, ud};
	struct fs_query q = {.table = &fs_transfer_heads_table, .raw = 1};
	return fs_store_select(ctx->st, &q, check_cb, &u, err);
}
