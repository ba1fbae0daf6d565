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
enum { L_ORG, L_SIZE, L_NCOLS };
static const struct fs_column log_cols[L_NCOLS] = {{"org_id", FS_VINT}, {"size", FS_VINT}};
static const struct fs_table logs_table = {"logs", log_cols, L_NCOLS};

static int64_t node_key(int64_t org, unsigned level, int64_t index)
{
	return (org << (LEVEL_BITS + INDEX_BITS)) | ((int64_t)level << INDEX_BITS) | index;
}

struct src {
	struct fs_ctx *ctx;
	int64_t org;
	struct fs_error *err;
};

static int get_node(void *ud, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH])
{
	struct src *s = ud;
	struct fs_row row;
	if (level >= 64 || index > (uint64_t)MAX_INDEX)
		return fs_fail(s->err, FS_EINTEGRITY, NULL, "log %lld: no node at level %u index %llu", (long long)s->org, level,
			       (unsigned long long)index);
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

int fs_log_size(struct fs_ctx *ctx, int64_t org, int64_t *size, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &logs_table, org, &row, err);
	if (rc == FS_ENOTFOUND) {
		*size = 0;
		return 0;
	}
	if (rc)
		return rc;
	*size = row.vals[L_SIZE].i;
	fs_row_free(&row);
	return 0;
}

int fs_log_append(struct fs_ctx *ctx, int64_t org, int64_t seq, const unsigned char entry_hash[32], struct fs_error *err)
{
	if (org < 0 || org > MAX_ORG)
		return fs_fail(err, FS_ELIMIT, NULL, "organization %lld is past the log's limit", (long long)org);
	int64_t size;
	int rc = fs_log_size(ctx, org, &size, err);
	if (rc)
		return rc;
	if (size >= MAX_INDEX)
		return fs_fail(err, FS_ELIMIT, NULL, "the log of organization %lld is full", (long long)org);
	unsigned char h[FS_MERKLE_HASH], left[FS_MERKLE_HASH];
	fs_merkle_leaf(entry_hash, 32, h);
	if ((rc = put_node(ctx, org, 0, size, h, seq, err)))
		return rc;
	struct src s = {ctx, org, err};
	int64_t index = size;
	for (unsigned level = 0; index & 1; level++, index >>= 1) { /* each subtree this leaf completes */
		if ((rc = get_node(&s, level, (uint64_t)(index - 1), left)))
			return rc;
		fs_merkle_node(left, h, h);
		if ((rc = put_node(ctx, org, level + 1, index >> 1, h, 0, err)))
			return rc;
	}
	struct fs_value v[L_NCOLS] = {fs_vint(org), fs_vint(size + 1)};
	return fs_store_put(ctx->st, &logs_table, v, err);
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

struct leaf_ud {
	int64_t org, index;
	unsigned char leaf[32];
	int found;
};

static int leaf_cb(void *p, const struct fs_value *v)
{
	struct leaf_ud *u = p;
	if (v[N_LEVEL].i != 0 || v[N_HASH].type != FS_VBLOB || v[N_HASH].n != 32)
		return 0;
	u->org = v[N_ORG].i;
	u->index = v[N_INDEX].i;
	memcpy(u->leaf, v[N_HASH].p, 32);
	u->found = 1;
	return 1;
}

int fs_log_leaf_of(struct fs_ctx *ctx, int64_t seq, int64_t *org, int64_t *index, unsigned char leaf[32],
		   struct fs_error *err)
{
	struct fs_filter f = {"seq", FS_EQ, fs_vint(seq)};
	struct fs_query q = {.table = &nodes_table, .filters = &f, .nfilters = 1, .raw = 1};
	struct leaf_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, leaf_cb, &u, err);
	if (rc)
		return rc;
	if (!u.found)
		return fs_fail(err, FS_ENOTFOUND, NULL, "journal entry %lld is in no log", (long long)seq);
	*org = u.org;
	*index = u.index;
	memcpy(leaf, u.leaf, 32);
	return 0;
}
