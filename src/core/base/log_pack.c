/* log_pack.c - a Merkle log of one leaf per row (the layout before packs, meta
 * merkle_log 1) rewritten with its leaves in packs of 16 (log.h), once, at the
 * first writable open (ctx.c). The leaves are moved as stored, not recomputed:
 * a leaf that differs from its journal entry still differs for verify, and a
 * leaf after a hole in its pack (a deleted leaf) is left out, so that verify
 * names it missing. The higher nodes stay as they are. */
#include "internal.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const struct fs_column ncols[] = {{"id", FS_VINT}, {"org_id", FS_VINT}, {"level", FS_VINT},
	{"idx", FS_VINT}, {"hash", FS_VBLOB}, {"seq", FS_VINT}};
static const struct fs_table nodes = {"log_nodes", ncols, 6};

struct single {
	int64_t id, seq;
	unsigned char h[FS_MERKLE_HASH];
	int hashed;
};

struct single_ud {
	struct single *s;
	size_t n, cap;
	int rc;
};

static int single_cb(void *p, const struct fs_value *v)
{
	struct single_ud *u = p;
	if (fs_grow(&u->s, &u->cap, u->n, sizeof(*u->s), 1024))
		return u->rc = FS_ENOMEM, 1;
	struct single *x = &u->s[u->n++];
	x->id = v[0].i;
	x->seq = v[2].type == FS_VINT ? v[2].i : -1;
	x->hashed = v[1].type == FS_VBLOB && v[1].n == FS_MERKLE_HASH;
	if (x->hashed)
		memcpy(x->h, v[1].p, FS_MERKLE_HASH);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct single *)a)->id, y = ((const struct single *)b)->id;
	return (x > y) - (x < y);
}

struct out_pack {
	int64_t org, k, seq;
	unsigned n;
	unsigned char h[FS_LOG_PACK][FS_MERKLE_HASH];
};

static int put_out(struct fs_ctx *ctx, const struct out_pack *p, struct fs_error *err)
{
	if (p->n == 0)
		return 0;
	struct fs_value v[6] = {fs_vint((p->org << 41) | ((int64_t)FS_LOG_PACK_LEVEL << 35) | p->k), fs_vint(p->org),
				fs_vint(FS_LOG_PACK_LEVEL), fs_vint(p->k), fs_vblob(p->h, p->n * FS_MERKLE_HASH), fs_vint(p->seq)};
	return fs_store_put(ctx->st, &nodes, v, err);
}

int fs_log_pack_single(struct fs_ctx *ctx, struct fs_error *err)
{
	int layout = 0;
	int rc = fs_tx_begin(ctx, err);
	if (!rc) /* inside the write lock: another process may have done it */
		rc = fs_log_built(ctx, &layout, err);
	struct single_ud u = {0};
	struct fs_filter f = {"level", FS_EQ, fs_vint(0)};
	static const char *const cols[] = {"id", "hash", "seq"};
	struct fs_query q = {.table = &nodes, .filters = &f, .nfilters = 1, .columns = cols, .ncolumns = 3, .raw = 1};
	if (!rc && layout == FS_LOG_LAYOUT_SINGLE && !(rc = fs_store_select(ctx->st, &q, single_cb, &u, err)))
		rc = u.rc;
	if (!rc && u.n > 1)
		qsort(u.s, u.n, sizeof(*u.s), by_id); /* the key's order: organization, then index */
	struct out_pack p = {.org = -1};
	for (size_t i = 0; !rc && i < u.n; i++) {
		const struct single *x = &u.s[i];
		if ((x->id >> 35) & 63) /* a key not a leaf's: verify names the row, which is left alone */
			continue;
		int64_t org = x->id >> 41, idx = x->id & ((1LL << 35) - 1);
		if (org != p.org || idx / FS_LOG_PACK != p.k) {
			rc = put_out(ctx, &p, err);
			p.org = org;
			p.k = idx / FS_LOG_PACK;
			p.n = 0;
		}
		if (!rc && x->hashed && idx % FS_LOG_PACK == p.n) { /* the leaves of a pack from its first, without a hole */
			if (p.n == 0)
				p.seq = x->seq;
			memcpy(p.h[p.n++], x->h, FS_MERKLE_HASH);
		}
		if (!rc)
			rc = fs_store_delete(ctx->st, &nodes, x->id, err);
	}
	if (!rc)
		rc = put_out(ctx, &p, err);
	free(u.s);
	if (!rc && layout == FS_LOG_LAYOUT_SINGLE)
		rc = fs_store_meta_set(ctx->st, "merkle_log", "2", err);
	return fs_tx_end(ctx, rc, err);
}

/* ---- packs (layout 2) to chunks (3) ---- */

struct old_row {
	int64_t id, org, level, idx, seq;
	size_t n; /* bytes of hash */
	unsigned char h[FS_LOG_PACK * FS_MERKLE_HASH];
};

struct old_ud {
	struct old_row *r;
	size_t n, cap;
	int rc;
};

static int old_cb(void *p, const struct fs_value *v)
{
	struct old_ud *u = p;
	int64_t level = v[FS_LN_LEVEL].i;
	if (level >= FS_LOG_LOW && level != FS_LOG_PACK_LEVEL)
		return 0;
	if (fs_grow(&u->r, &u->cap, u->n, sizeof(*u->r), 1024))
		return u->rc = FS_ENOMEM, 1;
	struct old_row *x = &u->r[u->n++];
	x->id = v[FS_LN_ID].i;
	x->org = v[FS_LN_ORG].i;
	x->level = level;
	x->idx = v[FS_LN_INDEX].i;
	x->seq = v[FS_LN_SEQ].type == FS_VINT ? v[FS_LN_SEQ].i : -1;
	x->n = v[FS_LN_HASH].type == FS_VBLOB && v[FS_LN_HASH].n <= sizeof(x->h) ? v[FS_LN_HASH].n : sizeof(x->h) + 1;
	if (x->n <= sizeof(x->h))
		memcpy(x->h, v[FS_LN_HASH].p, x->n);
	return 0;
}

/* 1 when the row holds exactly what the journal implies at its place */
static int old_matches(const struct old_row *x, const struct fs_log_tree *t)
{
	if (!t || x->id != FS_LOG_KEY(x->org, x->level, x->idx) || x->idx < 0)
		return 0;
	if (x->level == FS_LOG_PACK_LEVEL) {
		int64_t first = x->idx * FS_LOG_PACK, have = (int64_t)t->n[0];
		int64_t want = first < have ? (have - first < FS_LOG_PACK ? have - first : FS_LOG_PACK) : 0;
		return want > 0 && x->n == (size_t)want * FS_MERKLE_HASH && memcmp(x->h, t->lv[0] + 32 * first, x->n) == 0 &&
		       x->seq == t->seq[first];
	}
	return x->level > 0 && x->level < FS_LOG_LOW && (size_t)x->idx < t->n[x->level] && x->n == FS_MERKLE_HASH &&
	       memcmp(x->h, t->lv[x->level] + 32 * x->idx, FS_MERKLE_HASH) == 0;
}

/* the rows a log of layout 2 must have had below FS_LOG_LOW: every pack and every
 * node from FS_LOG_OLD_LOW; one missing is stored empty (verify names it) */
static int put_missing(struct fs_ctx *ctx, const struct fs_log_tree *t, const struct old_row *r, size_t nr,
		       struct fs_error *err)
{
	int rc = 0;
	for (unsigned level = FS_LOG_OLD_LOW - 1; !rc && level < FS_LOG_LOW; level++) {
		/* level FS_LOG_OLD_LOW - 1 stands for the packs */
		unsigned stored = level == FS_LOG_OLD_LOW - 1 ? FS_LOG_PACK_LEVEL : level;
		size_t want = level == FS_LOG_OLD_LOW - 1 ? (t->n[0] + FS_LOG_PACK - 1) / FS_LOG_PACK : t->n[level];
		unsigned char *seen = want ? calloc(want, 1) : NULL;
		if (want && !seen)
			return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
		for (size_t i = 0; i < nr; i++)
			if (r[i].org == t->org && r[i].level == stored && r[i].idx >= 0 && (size_t)r[i].idx < want)
				seen[r[i].idx] = 1;
		for (size_t i = 0; !rc && i < want; i++)
			if (!seen[i]) {
				struct fs_value v[FS_LN_NCOLS] = {fs_vint(FS_LOG_KEY(t->org, stored, i)), fs_vint(t->org), fs_vint(stored),
								  fs_vint((int64_t)i), fs_vblob("", 0), fs_vnull()};
				rc = fs_store_put(ctx->st, &fs_log_nodes_table, v, err);
			}
		free(seen);
	}
	return rc;
}

/* a log's head, and the last entry of each chunk on its level-FS_LOG_LOW nodes (their hashes as stored) */
static int put_head_seqs(struct fs_ctx *ctx, const struct fs_log_tree *t, struct fs_error *err)
{
	unsigned char f[FS_LOG_LEVELS * 32];
	size_t n;
	fs_log_tree_frontier(t, f, &n);
	struct fs_value v[FS_LN_NCOLS] = {fs_vint(FS_LOG_KEY(t->org, FS_LOG_HEAD_LEVEL, 0)), fs_vint(t->org),
					  fs_vint(FS_LOG_HEAD_LEVEL), fs_vint((int64_t)t->n[0]), fs_vblob(f, n),
					  fs_vint(t->seq[t->n[0] - 1])};
	int rc = fs_store_put(ctx->st, &fs_log_nodes_table, v, err);
	for (size_t k = 0; !rc && k < t->n[FS_LOG_LOW]; k++) {
		struct fs_row row;
		rc = fs_store_get_raw(ctx->st, &fs_log_nodes_table, FS_LOG_KEY(t->org, FS_LOG_LOW, k), &row, err);
		if (rc == FS_ENOTFOUND) { /* verify names it missing */
			rc = 0;
			continue;
		}
		if (rc)
			break;
		row.vals[FS_LN_SEQ] = fs_vint(t->seq[(k + 1) * FS_LOG_CHUNK - 1]);
		rc = fs_store_put(ctx->st, &fs_log_nodes_table, row.vals, err);
		fs_row_free(&row);
	}
	return rc;
}

int fs_log_unpack(struct fs_ctx *ctx, struct fs_error *err)
{
	int layout = 0;
	int rc = fs_tx_begin(ctx, err);
	if (!rc) /* inside the write lock: another process may have done it */
		rc = fs_log_built(ctx, &layout, err);
	if (!rc && layout == FS_LOG_LAYOUT_SINGLE)
		rc = fs_log_pack_single(ctx, err);
	int old = layout == FS_LOG_LAYOUT_SINGLE || layout == FS_LOG_LAYOUT_PACKED;
	struct fs_log_trees ts = {0};
	struct old_ud u = {0};
	struct fs_query q = {.table = &fs_log_nodes_table, .raw = 1};
	if (!rc && old)
		rc = fs_log_trees_load(ctx, &ts, err);
	if (!rc && old && !(rc = fs_store_select(ctx->st, &q, old_cb, &u, err)))
		rc = u.rc ? fs_fail(err, u.rc, NULL, "out of memory") : 0;
	for (size_t i = 0; !rc && i < u.n; i++) /* what equals the journal goes; the rest stays as stored */
		if (old_matches(&u.r[i], fs_log_tree_of(&ts, u.r[i].org)))
			rc = fs_store_delete(ctx->st, &fs_log_nodes_table, u.r[i].id, err);
	for (size_t i = 0; !rc && i < ts.n; i++)
		if (!(rc = put_missing(ctx, &ts.t[i], u.r, u.n, err)) && ts.t[i].n[0])
			rc = put_head_seqs(ctx, &ts.t[i], err);
	free(u.r);
	fs_log_trees_free(&ts);
	if (!rc && old)
		rc = fs_log_mark_built(ctx, err);
	return fs_tx_end(ctx, rc, err);
}
