/* log.c - the journal as a Merkle log per organization, kept in the store (log.h). */
#include "internal.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/* A node's key: organization (22 bits), level (6), index (35). */
enum { ORG_BITS = 22, LEVEL_BITS = 6, INDEX_BITS = 35 };
#define MAX_ORG ((1LL << ORG_BITS) - 1)
#define MAX_INDEX ((1LL << INDEX_BITS) - 1)

enum { N_ID, N_ORG, N_LEVEL, N_INDEX, N_HASH, N_SEQ, N_NCOLS };
static const struct fs_column node_cols[N_NCOLS] = {{"id", FS_VINT}, {"org_id", FS_VINT}, {"level", FS_VINT},
	{"idx", FS_VINT}, {"hash", FS_VBLOB}, {"seq", FS_VINT}};
static const struct fs_table nodes_table = {"log_nodes", node_cols, N_NCOLS};

static int64_t node_key(int64_t org, unsigned level, int64_t index)
{
	return (org << (LEVEL_BITS + INDEX_BITS)) | ((int64_t)level << INDEX_BITS) | index;
}

struct src {
	struct fs_ctx *ctx;
	int64_t org;
	struct fs_error *err;
};

/* the leaves of a low subtree, in order: hashed again by get_node */
struct low_ud {
	unsigned char h[1u << (FS_LOG_LOW - 1)][FS_MERKLE_HASH];
	uint64_t first, n, want;
	int bad;
};

static int low_cb(void *p, const struct fs_value *v)
{
	struct low_ud *u = p;
	if (u->n >= u->want || v[0].type != FS_VINT || (uint64_t)v[0].i != u->first + u->n || v[1].type != FS_VBLOB ||
	    v[1].n != FS_MERKLE_HASH) {
		u->bad = 1;
		return 1;
	}
	memcpy(u->h[u->n++], v[1].p, FS_MERKLE_HASH);
	return 0;
}

/* a subtree of level 1 .. FS_LOG_LOW - 1 (not stored): its leaves, hashed pairwise */
static int low_node(struct src *s, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	struct low_ud u = {.first = index << level, .want = 1ull << level};
	struct fs_filter f[2] = {{"id", FS_GE, fs_vint(node_key(s->org, 0, (int64_t)u.first))},
				 {"id", FS_LE, fs_vint(node_key(s->org, 0, (int64_t)(u.first + u.want - 1)))}};
	static const char *const cols[] = {"idx", "hash"};
	struct fs_query q = {.table = &nodes_table, .filters = f, .nfilters = 2, .columns = cols, .ncolumns = 2, .raw = 1};
	int rc = fs_store_select(s->ctx->st, &q, low_cb, &u, s->err);
	if (rc)
		return rc;
	if (u.bad || u.n != u.want)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: the leaves under the node at level %u index %llu are missing",
			       (long long)s->org, level, (unsigned long long)index);
	for (uint64_t n = u.want; n > 1; n /= 2)
		for (uint64_t i = 0; i < n / 2; i++)
			fs_merkle_node(u.h[2 * i], u.h[2 * i + 1], u.h[i]);
	memcpy(out, u.h[0], FS_MERKLE_HASH);
	return 0;
}

static int get_node(void *ud, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	struct src *s = ud;
	struct fs_row row;
	if (level >= 64 || index > (uint64_t)MAX_INDEX)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: no node at level %u index %llu", (long long)s->org, level,
			       (unsigned long long)index);
	if (level > 0 && level < FS_LOG_LOW)
		return low_node(s, level, index, out);
	int rc = fs_store_get_raw(s->ctx->st, &nodes_table, node_key(s->org, level, (int64_t)index), &row, s->err);
	if (rc == FS_ENOTFOUND)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: the node at level %u index %llu is missing",
			       (long long)s->org, level, (unsigned long long)index);
	if (rc)
		return rc;
	if (row.vals[N_HASH].type != FS_VBLOB || row.vals[N_HASH].n != FS_MERKLE_HASH)
		rc = fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: the node at level %u index %llu is not a hash",
			     (long long)s->org, level, (unsigned long long)index);
	else
		memcpy(out, row.vals[N_HASH].p, FS_MERKLE_HASH);
	fs_row_free(&row);
	return rc;
}

static int put_node(struct fs_ctx *ctx, int64_t org, unsigned level, int64_t index, const unsigned char h[32], int64_t seq,
		    struct fs_error *err)
{
	struct fs_value v[N_NCOLS] = {fs_vint(node_key(org, level, index)), fs_vint(org), fs_vint(level), fs_vint(index),
				      fs_vblob(h, FS_MERKLE_HASH), seq ? fs_vint(seq) : fs_vnull()};
	return fs_store_put(ctx->st, &nodes_table, v, err);
}

static int last_leaf_cb(void *p, const struct fs_value *v)
{
	*(int64_t *)p = v[0].i + 1;
	return 1;
}

/* the number of leaves: one past the last leaf's index, found by the key's range
 * (no size is kept apart: an append writes its nodes and nothing else) */
int fs_log_size(struct fs_ctx *ctx, int64_t org, int64_t *size, struct fs_error *err)
{
	if (org < 0 || org > MAX_ORG)
		return fs_fail(err, FS_EINVAL, NULL, "there is no log %lld", (long long)org);
	struct fs_filter f[2] = {{"id", FS_GE, fs_vint(node_key(org, 0, 0))}, {"id", FS_LE, fs_vint(node_key(org, 0, MAX_INDEX))}};
	static const char *const cols[] = {"idx"};
	struct fs_query q = {.table = &nodes_table, .filters = f, .nfilters = 2, .descending = 1, .limit = 1, .columns = cols,
			     .ncolumns = 1, .raw = 1};
	int64_t n = 0;
	int rc = fs_store_select(ctx->st, &q, last_leaf_cb, &n, err);
	if (!rc)
		*size = n;
	return rc;
}

/* The log's size and its frontier (the complete subtrees the next leaf joins),
 * read once per transaction and organization, then kept in ctx->logc. */
static int frontier(struct fs_ctx *ctx, int64_t org, struct fs_error *err)
{
	if (ctx->tx_depth && ctx->logc.valid && ctx->logc.org == org)
		return 0;
	ctx->logc.valid = 0;
	int64_t size;
	int rc = fs_log_size(ctx, org, &size, err);
	struct src s = {ctx, org, err};
	for (unsigned level = 0; !rc && level < 63 && (size >> level); level++)
		if ((size >> level) & 1)
			rc = get_node(&s, level, (uint64_t)((size >> level) - 1), ctx->logc.frontier[level]);
	if (rc)
		return rc;
	ctx->logc.org = org;
	ctx->logc.size = size;
	ctx->logc.valid = ctx->tx_depth > 0;
	return 0;
}

int fs_log_append(struct fs_ctx *ctx, int64_t org, int64_t seq, const unsigned char entry_hash[32], struct fs_error *err)
{
	if (org < 0 || org > MAX_ORG)
		return fs_fail(err, FS_ELIMIT, NULL, "organization %lld is past the log's limit", (long long)org);
	int rc = frontier(ctx, org, err);
	if (rc)
		return rc;
	int64_t size = ctx->logc.size;
	if (size >= MAX_INDEX)
		return fs_fail(err, FS_ELIMIT, NULL, "the log of organization %lld is full", (long long)org);
	ctx->logc.valid = 0; /* until this append is whole */
	unsigned char h[FS_MERKLE_HASH];
	fs_merkle_leaf(entry_hash, 32, h);
	if ((rc = put_node(ctx, org, 0, size, h, seq, err)))
		return rc;
	int64_t index = size;
	unsigned level = 0;
	for (; index & 1; level++, index >>= 1) { /* each subtree this leaf completes: stored from FS_LOG_LOW up */
		fs_merkle_node(ctx->logc.frontier[level], h, h);
		if (level + 1 >= FS_LOG_LOW && (rc = put_node(ctx, org, level + 1, index >> 1, h, 0, err)))
			return rc;
	}
	memcpy(ctx->logc.frontier[level], h, FS_MERKLE_HASH); /* the new complete subtree of size + 1 */
	ctx->logc.size = size + 1;
	ctx->logc.valid = ctx->tx_depth > 0;
	return 0;
}

static int in_log(struct fs_ctx *ctx, int64_t org, int64_t size, struct fs_error *err)
{
	int64_t have;
	int rc = fs_log_size(ctx, org, &have, err);
	if (!rc && (size < 0 || size > have))
		rc = fs_fail(err, FS_EINVAL, "size", "the log of organization %lld has %lld entries, not %lld", (long long)org,
			     (long long)have, (long long)size);
	return rc;
}

int fs_log_root(struct fs_ctx *ctx, int64_t org, int64_t size, unsigned char root[32], struct fs_error *err)
{
	int rc = in_log(ctx, org, size, err);
	struct src s = {ctx, org, err};
	return rc ? rc : fs_merkle_root(get_node, &s, (uint64_t)size, root);
}

int fs_log_inclusion(struct fs_ctx *ctx, int64_t org, int64_t index, int64_t size,
		     unsigned char proof[][FS_MERKLE_HASH], size_t *len, struct fs_error *err)
{
	int rc = in_log(ctx, org, size, err);
	if (!rc && (index < 0 || index >= size))
		rc = fs_fail(err, FS_EINVAL, "index", "entry %lld is not in a log of %lld entries", (long long)index, (long long)size);
	struct src s = {ctx, org, err};
	return rc ? rc : fs_merkle_inclusion(get_node, &s, (uint64_t)index, (uint64_t)size, proof, len);
}

int fs_log_consistency(struct fs_ctx *ctx, int64_t org, int64_t first, int64_t second,
		       unsigned char proof[][FS_MERKLE_HASH], size_t *len, struct fs_error *err)
{
	int rc = in_log(ctx, org, second, err);
	if (!rc && (first < 1 || first > second))
		rc = fs_fail(err, FS_EINVAL, "size", "no consistency proof from %lld to %lld entries", (long long)first, (long long)second);
	struct src s = {ctx, org, err};
	return rc ? rc : fs_merkle_consistency(get_node, &s, (uint64_t)first, (uint64_t)second, proof, len);
}

/* A log's leaves name journal entries in increasing order: the leaf of entry seq
 * is found by binary search over its organization's leaves, O(log n) lookups by key
 * (no index on seq to keep up at every append). */
int fs_log_leaf_of(struct fs_ctx *ctx, int64_t seq, int64_t *org, int64_t *index, unsigned char leaf[32],
		   struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &fs_journal_table, seq, &row, err);
	if (rc)
		return rc == FS_ENOTFOUND ? fs_fail(err, FS_ENOTFOUND, NULL, "there is no journal entry %lld", (long long)seq) : rc;
	int64_t o = row.vals[FS_J_ORG_ID].type == FS_VINT ? row.vals[FS_J_ORG_ID].i : 0, size;
	fs_row_free(&row);
	if ((rc = fs_log_size(ctx, o, &size, err)))
		return rc;
	int64_t lo = 0, hi = size; /* the leaf, if any, is in [lo, hi) */
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if ((rc = fs_store_get_raw(ctx->st, &nodes_table, node_key(o, 0, mid), &row, err)))
			return rc == FS_ENOTFOUND ? fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: leaf %lld is missing", (long long)o,
							    (long long)mid) : rc;
		int64_t at = row.vals[N_SEQ].type == FS_VINT ? row.vals[N_SEQ].i : -1;
		if (at == seq && row.vals[N_HASH].type == FS_VBLOB && row.vals[N_HASH].n == 32) {
			memcpy(leaf, row.vals[N_HASH].p, 32);
			fs_row_free(&row);
			*org = o;
			*index = mid;
			return 0;
		}
		fs_row_free(&row);
		if (at < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return fs_fail(err, FS_ENOTFOUND, NULL, "journal entry %lld is in no log", (long long)seq);
}
