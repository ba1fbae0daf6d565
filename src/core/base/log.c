/* log.c - the journal as a Merkle log per organization, kept in the store (log.h). */
#include "internal.h"
#include "log.h"
#include "fs_assert.h"

#include <stdlib.h>
#include <string.h>

enum { ORG_BITS = 22, INDEX_BITS = 35 };
#define MAX_ORG ((1LL << ORG_BITS) - 1)
#define MAX_INDEX ((1LL << INDEX_BITS) - 1)

static const struct fs_column node_cols[FS_LN_NCOLS] = {{"id", FS_VINT}, {"org_id", FS_VINT}, {"level", FS_VINT},
	{"idx", FS_VINT}, {"hash", FS_VBLOB}, {"seq", FS_VINT}};
const struct fs_table fs_log_nodes_table = {"log_nodes", node_cols, FS_LN_NCOLS};
#define nodes_table fs_log_nodes_table

/* the leaves of one chunk (FS_LOG_CHUNK of them, fewer in the last), from the journal */
struct chunk {
	int64_t k; /* -1: none */
	unsigned n;
	unsigned char h[FS_LOG_CHUNK][FS_MERKLE_HASH];
};

struct src {
	struct fs_ctx *ctx;
	int64_t org, size;
	struct fs_error *err;
	struct chunk c[2]; /* the last two read: a consistency proof's two edges */
	unsigned next;
};

static void src_init(struct src *s, struct fs_ctx *ctx, int64_t org, int64_t size, struct fs_error *err)
{
	s->ctx = ctx;
	s->org = org;
	s->size = size;
	s->err = err;
	s->c[0].k = s->c[1].k = -1;
	s->next = 0;
}

/* a stored node (level >= FS_LOG_LOW): its hash, and its seq when asked */
static int stored_node(struct fs_ctx *ctx, int64_t org, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH],
		       int64_t *seq, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &nodes_table, FS_LOG_KEY(org, level, index), &row, err);
	if (rc == FS_ENOTFOUND)
		return fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: the node at level %u index %llu is missing", (long long)org,
			       level, (unsigned long long)index);
	if (rc)
		return rc;
	if (row.vals[FS_LN_HASH].type != FS_VBLOB || row.vals[FS_LN_HASH].n != FS_MERKLE_HASH ||
	    (seq && row.vals[FS_LN_SEQ].type != FS_VINT))
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: the node at level %u index %llu is not a hash", (long long)org,
			     level, (unsigned long long)index);
	else
		memcpy(out, row.vals[FS_LN_HASH].p, FS_MERKLE_HASH);
	if (!rc && seq)
		*seq = row.vals[FS_LN_SEQ].i;
	fs_row_free(&row);
	return rc;
}

struct chunk_ud {
	struct chunk *c;
	int64_t *last_seq;
	int bad;
};

static int chunk_cb(void *p, const struct fs_value *v)
{
	struct chunk_ud *u = p;
	if (v[1].type != FS_VBLOB || v[1].n != 32 || u->c->n >= FS_LOG_CHUNK)
		return u->bad = 1, 1;
	fs_merkle_leaf(v[1].p, 32, u->c->h[u->c->n++]);
	*u->last_seq = v[0].i;
	return 0;
}

/* chunk k of org's log: the journal entries of org after the last of chunk k - 1
 * (the seq its level-FS_LOG_LOW node keeps), as many as the chunk has leaves at size */
static int read_chunk(struct fs_ctx *ctx, int64_t org, int64_t size, int64_t k, struct chunk *c, int64_t *last_seq,
		      struct fs_error *err)
{
	int64_t want = size - k * FS_LOG_CHUNK, after = 0, last = 0;
	if (want > FS_LOG_CHUNK)
		want = FS_LOG_CHUNK;
	FS_ASSERT(want > 0); /* a chunk inside the log */
	unsigned char h[FS_MERKLE_HASH];
	int rc = k > 0 ? stored_node(ctx, org, FS_LOG_LOW, (uint64_t)(k - 1), h, &after, err) : 0;
	if (rc)
		return rc;
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"seq", FS_GE, fs_vint(after + 1)}};
	static const char *const cols[] = {"seq", "hash"};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = 2, .limit = want, .columns = cols,
			     .ncolumns = 2, .raw = 1};
	c->k = -1;
	c->n = 0;
	struct chunk_ud u = {c, &last, 0};
	if ((rc = fs_store_select(ctx->st, &q, chunk_cb, &u, err)))
		return rc;
	if (u.bad || c->n != (unsigned)want)
		return fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: leaves %lld to %lld have no journal entry behind them",
			       (long long)org, (long long)(k * FS_LOG_CHUNK + c->n), (long long)(k * FS_LOG_CHUNK + want - 1));
	c->k = k;
	if (last_seq)
		*last_seq = last;
	return 0;
}

/* a subtree of level 0 .. FS_LOG_LOW - 1 (not stored): hashed from its chunk's leaves */
static int low_node(struct src *s, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	uint64_t first = index << level, want = 1ull << level, at = first % FS_LOG_CHUNK;
	int64_t k = (int64_t)(first / FS_LOG_CHUNK);
	if (first + want > (uint64_t)s->size)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: no node at level %u index %llu", (long long)s->org, level,
			       (unsigned long long)index);
	struct chunk *c = s->c[0].k == k ? &s->c[0] : s->c[1].k == k ? &s->c[1] : NULL;
	if (!c) {
		c = &s->c[s->next];
		s->next ^= 1;
		int rc = read_chunk(s->ctx, s->org, s->size, k, c, NULL, s->err);
		if (rc)
			return rc;
	}
	unsigned char h[FS_LOG_CHUNK / 2][FS_MERKLE_HASH];
	if (want == 1) {
		memcpy(out, c->h[at], FS_MERKLE_HASH);
		return 0;
	}
	for (uint64_t i = 0; i < want / 2; i++)
		fs_merkle_node(c->h[at + 2 * i], c->h[at + 2 * i + 1], h[i]);
	for (uint64_t n = want / 2; n > 1; n /= 2)
		for (uint64_t i = 0; i < n / 2; i++)
			fs_merkle_node(h[2 * i], h[2 * i + 1], h[i]);
	memcpy(out, h[0], FS_MERKLE_HASH);
	return 0;
}

static int get_node(void *ud, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	struct src *s = ud;
	if (level >= 64 || index > (uint64_t)MAX_INDEX)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: no node at level %u index %llu", (long long)s->org, level,
			       (unsigned long long)index);
	if (level < FS_LOG_LOW)
		return low_node(s, level, index, out);
	return stored_node(s->ctx, s->org, level, index, out, NULL, s->err);
}

static int put_node(struct fs_ctx *ctx, int64_t org, unsigned level, int64_t index, const unsigned char h[32], int64_t seq,
		    struct fs_error *err)
{
	struct fs_value v[FS_LN_NCOLS] = {fs_vint(FS_LOG_KEY(org, level, index)), fs_vint(org), fs_vint(level), fs_vint(index),
					  fs_vblob(h, FS_MERKLE_HASH), seq ? fs_vint(seq) : fs_vnull()};
	return fs_store_put(ctx->st, &nodes_table, v, err);
}

/* the head of the log in ctx->logc: size, last entry and frontier, lowest level first */
static int put_head(struct fs_ctx *ctx, struct fs_error *err)
{
	int64_t size = ctx->logc.size, org = ctx->logc.org;
	unsigned char f[64 * FS_MERKLE_HASH];
	size_t n = 0;
	FS_ASSERT(size > 0); /* a head is written after an append */
	for (unsigned level = 0; level < 63 && (size >> level); level++)
		if ((size >> level) & 1)
			memcpy(f + FS_MERKLE_HASH * n++, ctx->logc.frontier[level], FS_MERKLE_HASH);
	struct fs_value v[FS_LN_NCOLS] = {fs_vint(FS_LOG_KEY(org, FS_LOG_HEAD_LEVEL, 0)), fs_vint(org), fs_vint(FS_LOG_HEAD_LEVEL),
					  fs_vint(size), fs_vblob(f, n * FS_MERKLE_HASH), fs_vint(ctx->logc.last_seq)};
	return fs_store_put(ctx->st, &nodes_table, v, err);
}

int fs_log_flush(struct fs_ctx *ctx, struct fs_error *err)
{
	if (!ctx->logc.dirty)
		return 0;
	ctx->logc.dirty = 0;
	return put_head(ctx, err);
}

/* org's head as stored: size, last entry, frontier (frontier may be NULL); size 0 when there is none */
static int get_head(struct fs_ctx *ctx, int64_t org, int64_t *size, int64_t *last, unsigned char frontier[][FS_MERKLE_HASH],
		    struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &nodes_table, FS_LOG_KEY(org, FS_LOG_HEAD_LEVEL, 0), &row, err);
	*size = *last = 0;
	if (rc == FS_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	const struct fs_value *v = row.vals;
	int64_t s = v[FS_LN_INDEX].type == FS_VINT ? v[FS_LN_INDEX].i : -1;
	int bits = 0;
	for (unsigned level = 0; s > 0 && level < 63; level++)
		bits += (int)((s >> level) & 1);
	if (s <= 0 || s > MAX_INDEX || v[FS_LN_SEQ].type != FS_VINT || v[FS_LN_HASH].type != FS_VBLOB ||
	    v[FS_LN_HASH].n != (size_t)bits * FS_MERKLE_HASH)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its head is not a size and its frontier", (long long)org);
	if (!rc) {
		*size = s;
		*last = v[FS_LN_SEQ].i;
		size_t n = 0;
		for (unsigned level = 0; frontier && level < 63 && (s >> level); level++)
			if ((s >> level) & 1)
				memcpy(frontier[level], (const unsigned char *)v[FS_LN_HASH].p + FS_MERKLE_HASH * n++, FS_MERKLE_HASH);
	}
	fs_row_free(&row);
	return rc;
}

/* the number of leaves: the head's (no head: none yet) */
int fs_log_size(struct fs_ctx *ctx, int64_t org, int64_t *size, struct fs_error *err)
{
	if (org < 0 || org > MAX_ORG)
		return fs_fail(err, FS_EINVAL, NULL, "there is no log %lld", (long long)org);
	int rc = fs_log_flush(ctx, err);
	if (rc)
		return rc;
	if (ctx->tx_depth && ctx->logc.valid && ctx->logc.org == org) {
		*size = ctx->logc.size;
		return 0;
	}
	int64_t last;
	return get_head(ctx, org, size, &last, NULL, err);
}

/* a log without a head has no leaf: none of org's entries before seq may exist */
static int headless(struct fs_ctx *ctx, int64_t org, int64_t seq, struct fs_error *err)
{
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"seq", FS_LE, fs_vint(seq - 1)}};
	static const char *const cols[] = {"seq"};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = 2, .limit = 1, .columns = cols,
			     .ncolumns = 1, .raw = 1};
	int64_t n = 0;
	int rc = fs_store_count(ctx->st, &q, &n, err);
	return rc ? rc : n ? fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its head is missing", (long long)org) : 0;
}

/* The log's size and frontier (the complete subtrees the next leaf joins), read
 * from its head once per transaction and organization, then kept in ctx->logc. */
static int frontier(struct fs_ctx *ctx, int64_t org, int64_t seq, struct fs_error *err)
{
	if (ctx->tx_depth && ctx->logc.valid && ctx->logc.org == org)
		return 0;
	int rc = fs_log_flush(ctx, err); /* another organization's head written first */
	ctx->logc.valid = 0;
	int64_t size = 0, last = 0;
	if (!rc)
		rc = get_head(ctx, org, &size, &last, ctx->logc.frontier, err);
	if (!rc && size == 0)
		rc = headless(ctx, org, seq, err);
	if (!rc && size > 0 && last >= seq)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its head names entry %lld, not one before %lld", (long long)org,
			     (long long)last, (long long)seq);
	if (rc)
		return rc;
	ctx->logc.org = org;
	ctx->logc.size = size;
	ctx->logc.last_seq = last;
	ctx->logc.valid = ctx->tx_depth > 0;
	return 0;
}

int fs_log_append(struct fs_ctx *ctx, int64_t org, int64_t seq, const unsigned char entry_hash[32], struct fs_error *err)
{
	if (org < 0 || org > MAX_ORG)
		return fs_fail(err, FS_ELIMIT, NULL, "organization %lld is past the log's limit", (long long)org);
	int rc = frontier(ctx, org, seq, err);
	if (rc)
		return rc;
	int64_t size = ctx->logc.size;
	if (size >= MAX_INDEX)
		return fs_fail(err, FS_ELIMIT, NULL, "the log of organization %lld is full", (long long)org);
	ctx->logc.valid = 0; /* until this append is whole */
	unsigned char h[FS_MERKLE_HASH];
	fs_merkle_leaf(entry_hash, 32, h);
	int64_t index = size;
	unsigned level = 0;
	for (; index & 1; level++, index >>= 1) { /* each subtree this leaf completes: stored from FS_LOG_LOW up */
		fs_merkle_node(ctx->logc.frontier[level], h, h);
		if (level + 1 >= FS_LOG_LOW && (rc = put_node(ctx, org, level + 1, index >> 1, h, level + 1 == FS_LOG_LOW ? seq : 0, err)))
			return rc;
	}
	memcpy(ctx->logc.frontier[level], h, FS_MERKLE_HASH); /* the new complete subtree of size + 1 */
	ctx->logc.size = size + 1;
	ctx->logc.last_seq = seq;
	ctx->logc.dirty = 1;
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
	if (rc)
		return rc;
	struct src *s = malloc(sizeof(*s));
	if (!s)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	src_init(s, ctx, org, size, err);
	rc = fs_merkle_root(get_node, s, (uint64_t)size, root);
	free(s);
	return rc;
}

int fs_log_head_check(struct fs_ctx *ctx, int64_t org, int64_t size, const unsigned char root[32], struct fs_error *err)
{
	int64_t have = 0, last = 0, n = 0;
	unsigned char f[63][FS_MERKLE_HASH], r[FS_MERKLE_HASH];
	int rc = fs_log_flush(ctx, err);
	if (!rc)
		rc = get_head(ctx, org, &have, &last, f, err);
	if (!rc && have == 0) /* no head: none of org's entries may exist */
		return size ? fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its head is missing", (long long)org)
			    : headless(ctx, org, INT64_MAX, err);
	if (!rc && have != size)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its head says %lld entries, not %lld", (long long)org,
			     (long long)have, (long long)size);
	if (rc)
		return rc;
	int started = 0; /* RFC 9162: the complete subtrees, largest first, folded from the smallest */
	for (unsigned level = 0; level < 63 && (size >> level); level++)
		if ((size >> level) & 1) {
			if (started)
				fs_merkle_node(f[level], r, r);
			else
				memcpy(r, f[level], FS_MERKLE_HASH);
			started = 1;
		}
	if (memcmp(r, root, FS_MERKLE_HASH))
		return fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its stored tree does not match its head (altered? "
			       "fairshare verify names what)", (long long)org);
	struct fs_filter fl[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"seq", FS_GE, fs_vint(last)}};
	static const char *const cols[] = {"seq"};
	struct fs_query q = {.table = &fs_journal_table, .filters = fl, .nfilters = 2, .limit = 2, .columns = cols,
			     .ncolumns = 1, .raw = 1};
	if ((rc = fs_store_count(ctx->st, &q, &n, err)))
		return rc;
	return n == 1 ? 0
		      : fs_fail(err, FS_EINTEGRITY, NULL, "log %lld: its head names journal entry %lld as its last, and the "
				"journal does not end there (entries cut or added? fairshare verify names what)", (long long)org,
				(long long)last);
}

int fs_log_inclusion(struct fs_ctx *ctx, int64_t org, int64_t index, int64_t size,
		     unsigned char proof[][FS_MERKLE_HASH], size_t *len, struct fs_error *err)
{
	int rc = in_log(ctx, org, size, err);
	if (!rc && (index < 0 || index >= size))
		rc = fs_fail(err, FS_EINVAL, "index", "entry %lld is not in a log of %lld entries", (long long)index, (long long)size);
	struct src *s = rc ? NULL : malloc(sizeof(*s));
	if (!rc && !s)
		rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	if (rc)
		return rc;
	src_init(s, ctx, org, size, err);
	rc = fs_merkle_inclusion(get_node, s, (uint64_t)index, (uint64_t)size, proof, len);
	free(s);
	return rc;
}

int fs_log_consistency(struct fs_ctx *ctx, int64_t org, int64_t first, int64_t second,
		       unsigned char proof[][FS_MERKLE_HASH], size_t *len, struct fs_error *err)
{
	int rc = in_log(ctx, org, second, err);
	if (!rc && (first < 1 || first > second))
		rc = fs_fail(err, FS_EINVAL, "size", "no consistency proof from %lld to %lld entries", (long long)first, (long long)second);
	struct src *s = rc ? NULL : malloc(sizeof(*s));
	if (!rc && !s)
		rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	if (rc)
		return rc;
	src_init(s, ctx, org, second, err);
	rc = fs_merkle_consistency(get_node, s, (uint64_t)first, (uint64_t)second, proof, len);
	free(s);
	return rc;
}

/* A log's leaves name journal entries in increasing order: the chunk of entry seq
 * is the first whose last entry (its level-FS_LOG_LOW node's seq) is not before
 * it, found by binary search over the complete chunks, O(log n) lookups by key;
 * in it, the leaf is the one of the entry's hash. */
int fs_log_leaf_of(struct fs_ctx *ctx, int64_t seq, int64_t *org, int64_t *index, unsigned char leaf[32],
		   struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &fs_journal_table, seq, &row, err);
	if (rc)
		return rc == FS_ENOTFOUND ? fs_fail(err, FS_ENOTFOUND, NULL, "there is no journal entry %lld", (long long)seq) : rc;
	int64_t o = row.vals[FS_J_ORG_ID].type == FS_VINT ? row.vals[FS_J_ORG_ID].i : 0, size;
	unsigned char want[FS_MERKLE_HASH], h[FS_MERKLE_HASH];
	int hashed = row.vals[FS_J_HASH].type == FS_VBLOB && row.vals[FS_J_HASH].n == 32;
	if (hashed)
		fs_merkle_leaf(row.vals[FS_J_HASH].p, 32, want);
	fs_row_free(&row);
	if (!hashed)
		return fs_fail(err, FS_EINTEGRITY, NULL, "journal entry %lld has no hash", (long long)seq);
	if ((rc = fs_log_size(ctx, o, &size, err)))
		return rc;
	int64_t lo = 0, hi = size / FS_LOG_CHUNK, last; /* the chunk is the first of [lo, hi] ending at or after seq */
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if ((rc = stored_node(ctx, o, FS_LOG_LOW, (uint64_t)mid, h, &last, err)))
			return rc;
		if (last >= seq)
			hi = mid;
		else
			lo = mid + 1;
	}
	struct chunk *c = lo * FS_LOG_CHUNK < size ? malloc(sizeof(*c)) : NULL;
	if (lo * FS_LOG_CHUNK < size && !c)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	if (c && !(rc = read_chunk(ctx, o, size, lo, c, &last, err)))
		for (unsigned i = 0; i < c->n; i++)
			if (memcmp(c->h[i], want, FS_MERKLE_HASH) == 0) {
				memcpy(leaf, want, FS_MERKLE_HASH);
				*org = o;
				*index = lo * FS_LOG_CHUNK + i;
				free(c);
				return 0;
			}
	free(c);
	return rc ? rc : fs_fail(err, FS_ENOTFOUND, NULL, "journal entry %lld is in no log", (long long)seq);
}
