/* log.c - the journal as a Merkle log per organization, kept in the store (log.h). */
#include "internal.h"
#include "log.h"
#include "fs_assert.h"

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

/* one pack of leaves as stored */
struct pack {
	unsigned char h[FS_LOG_PACK][FS_MERKLE_HASH];
	unsigned n; /* 1 .. FS_LOG_PACK */
	int64_t seq; /* the journal entry of h[0] */
};

static int64_t pack_key(int64_t org, int64_t k)
{
	return node_key(org, FS_LOG_PACK_LEVEL, k);
}

/* 0, 1 when the value is not a pack's leaves (none, a partial hash, more than a pack) */
static int pack_leaves(const struct fs_value *v, unsigned *n)
{
	if (v->type != FS_VBLOB || v->n == 0 || v->n % FS_MERKLE_HASH || v->n > FS_LOG_PACK * FS_MERKLE_HASH)
		return 1;
	*n = (unsigned)(v->n / FS_MERKLE_HASH);
	return 0;
}

/* pack k of org's log: FS_EINTEGRITY when it is missing or not a pack */
static int get_pack(struct fs_ctx *ctx, int64_t org, int64_t k, struct pack *p, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &nodes_table, pack_key(org, k), &row, err);
	if (rc == FS_ENOTFOUND)
		return fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: the leaves %lld to %lld are missing", (long long)org,
			       (long long)(k * FS_LOG_PACK), (long long)(k * FS_LOG_PACK + FS_LOG_PACK - 1));
	if (rc)
		return rc;
	if (pack_leaves(&row.vals[N_HASH], &p->n))
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: the pack of leaves %lld to %lld is not a row of hashes",
			     (long long)org, (long long)(k * FS_LOG_PACK), (long long)(k * FS_LOG_PACK + FS_LOG_PACK - 1));
	else
		memcpy(p->h, row.vals[N_HASH].p, row.vals[N_HASH].n);
	p->seq = row.vals[N_SEQ].type == FS_VINT ? row.vals[N_SEQ].i : -1;
	fs_row_free(&row);
	return rc;
}

/* a subtree of level 0 .. FS_LOG_LOW - 1 (not stored): the leaves of its pack, hashed pairwise */
static int low_node(struct src *s, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	struct pack p;
	uint64_t first = index << level, want = 1ull << level, at = first % FS_LOG_PACK;
	int rc = get_pack(s->ctx, s->org, (int64_t)(first / FS_LOG_PACK), &p, s->err);
	if (rc)
		return rc;
	if (p.n < at + want) /* a complete subtree lies in the leaves its pack has */
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: the leaves under the node at level %u index %llu are missing",
			       (long long)s->org, level, (unsigned long long)index);
	unsigned char(*h)[FS_MERKLE_HASH] = p.h + at;
	for (uint64_t n = want; n > 1; n /= 2)
		for (uint64_t i = 0; i < n / 2; i++)
			fs_merkle_node(h[2 * i], h[2 * i + 1], h[i]);
	memcpy(out, h[0], FS_MERKLE_HASH);
	return 0;
}

static int get_node(void *ud, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	struct src *s = ud;
	struct fs_row row;
	if (level >= 64 || index > (uint64_t)MAX_INDEX)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: no node at level %u index %llu", (long long)s->org, level,
			       (unsigned long long)index);
	if (level == 0)
		return low_node(s, 0, index, out);
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

/* the pack of the leaves the log's last ends in, from ctx->logc (size > 0) */
static int put_pack(struct fs_ctx *ctx, struct fs_error *err)
{
	int64_t size = ctx->logc.size, k = (size - 1) / FS_LOG_PACK, org = ctx->logc.org;
	size_t n = (size_t)(size - k * FS_LOG_PACK);
	FS_ASSERT(size > 0 && n >= 1 && n <= FS_LOG_PACK); /* a pack holds 1 .. 16 leaves */
	struct fs_value v[N_NCOLS] = {fs_vint(pack_key(org, k)), fs_vint(org), fs_vint(FS_LOG_PACK_LEVEL), fs_vint(k),
				      fs_vblob(ctx->logc.pack, n * FS_MERKLE_HASH), fs_vint(ctx->logc.pack_seq)};
	return fs_store_put(ctx->st, &nodes_table, v, err);
}

int fs_log_flush(struct fs_ctx *ctx, struct fs_error *err)
{
	if (!ctx->logc.dirty)
		return 0;
	ctx->logc.dirty = 0;
	return put_pack(ctx, err);
}

struct last_ud {
	int64_t size;
	int bad;
};

static int last_pack_cb(void *p, const struct fs_value *v)
{
	struct last_ud *u = p;
	unsigned n;
	if (v[0].type != FS_VINT || pack_leaves(&v[1], &n))
		u->bad = 1;
	else
		u->size = v[0].i * FS_LOG_PACK + n;
	return 1;
}

/* the number of leaves: those of the last pack and 16 for each pack before it,
 * found by the key's range (no size is kept apart: an append writes its pack and
 * nodes and nothing else) */
int fs_log_size(struct fs_ctx *ctx, int64_t org, int64_t *size, struct fs_error *err)
{
	if (org < 0 || org > MAX_ORG)
		return fs_fail(err, FS_EINVAL, NULL, "there is no log %lld", (long long)org);
	int rc = fs_log_flush(ctx, err);
	if (rc)
		return rc;
	struct fs_filter f[2] = {{"id", FS_GE, fs_vint(pack_key(org, 0))}, {"id", FS_LE, fs_vint(pack_key(org, MAX_INDEX))}};
	static const char *const cols[] = {"idx", "hash"};
	struct fs_query q = {.table = &nodes_table, .filters = f, .nfilters = 2, .descending = 1, .limit = 1, .columns = cols,
			     .ncolumns = 2, .raw = 1};
	struct last_ud u = {0};
	rc = fs_store_select(ctx->st, &q, last_pack_cb, &u, err);
	if (!rc && u.bad)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its last pack of leaves is not a row of hashes", (long long)org);
	if (!rc)
		*size = u.size;
	return rc;
}

/* The log's size, its frontier (the complete subtrees the next leaf joins) and
 * the leaves of its incomplete last pack, read once per transaction and
 * organization, then kept in ctx->logc. */
static int frontier(struct fs_ctx *ctx, int64_t org, struct fs_error *err)
{
	if (ctx->tx_depth && ctx->logc.valid && ctx->logc.org == org)
		return 0;
	int64_t size;
	int rc = fs_log_size(ctx, org, &size, err); /* another organization's pack written first */
	ctx->logc.valid = 0;
	struct src s = {ctx, org, err};
	for (unsigned level = 0; !rc && level < 63 && (size >> level); level++)
		if ((size >> level) & 1)
			rc = get_node(&s, level, (uint64_t)((size >> level) - 1), ctx->logc.frontier[level]);
	struct pack p;
	if (!rc && size % FS_LOG_PACK && !(rc = get_pack(ctx, org, size / FS_LOG_PACK, &p, err))) {
		if (p.n != size % FS_LOG_PACK) /* fs_log_size counted them */
			return fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its last pack changed while read", (long long)org);
		memcpy(ctx->logc.pack, p.h, p.n * FS_MERKLE_HASH);
		ctx->logc.pack_seq = p.seq;
	}
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
	unsigned at = (unsigned)(size % FS_LOG_PACK); /* the leaf's place in its pack */
	memcpy(ctx->logc.pack[at], h, FS_MERKLE_HASH);
	if (at == 0)
		ctx->logc.pack_seq = seq;
	ctx->logc.size = size + 1;
	if (at == FS_LOG_PACK - 1) { /* the pack is full: written now */
		ctx->logc.dirty = 0;
		rc = put_pack(ctx, err);
	}
	ctx->logc.size = size;
	if (rc)
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
	ctx->logc.dirty = at != FS_LOG_PACK - 1;
	ctx->logc.valid = ctx->tx_depth > 0;
	return ctx->tx_depth ? 0 : fs_log_flush(ctx, err); /* no transaction to commit it: written now */
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

/* A log's leaves name journal entries in increasing order: the pack of entry seq
 * is the last whose first entry is not after it, found by binary search over the
 * organization's packs, O(log n) lookups by key (no index on seq to keep up at
 * every append); in it, the leaf is the one of the entry's hash. */
int fs_log_leaf_of(struct fs_ctx *ctx, int64_t seq, int64_t *org, int64_t *index, unsigned char leaf[32],
		   struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &fs_journal_table, seq, &row, err);
	if (rc)
		return rc == FS_ENOTFOUND ? fs_fail(err, FS_ENOTFOUND, NULL, "there is no journal entry %lld", (long long)seq) : rc;
	int64_t o = row.vals[FS_J_ORG_ID].type == FS_VINT ? row.vals[FS_J_ORG_ID].i : 0, size;
	unsigned char want[FS_MERKLE_HASH];
	int hashed = row.vals[FS_J_HASH].type == FS_VBLOB && row.vals[FS_J_HASH].n == 32;
	if (hashed)
		fs_merkle_leaf(row.vals[FS_J_HASH].p, 32, want);
	fs_row_free(&row);
	if (!hashed)
		return fs_fail(err, FS_EINTEGRITY, NULL, "journal entry %lld has no hash", (long long)seq);
	if ((rc = fs_log_size(ctx, o, &size, err)))
		return rc;
	struct pack p;
	int64_t lo = 0, hi = (size + FS_LOG_PACK - 1) / FS_LOG_PACK; /* the pack is the last of [0, hi) starting at or before seq */
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if ((rc = get_pack(ctx, o, mid, &p, err)))
			return rc;
		if (p.seq <= seq)
			lo = mid;
		else
			hi = mid;
	}
	if (hi > lo && !(rc = get_pack(ctx, o, lo, &p, err)))
		for (unsigned i = 0; i < p.n; i++)
			if (memcmp(p.h[i], want, FS_MERKLE_HASH) == 0) {
				memcpy(leaf, want, FS_MERKLE_HASH);
				*org = o;
				*index = lo * FS_LOG_PACK + i;
				return 0;
			}
	return rc ? rc : fs_fail(err, FS_ENOTFOUND, NULL, "journal entry %lld is in no log", (long long)seq);
}
