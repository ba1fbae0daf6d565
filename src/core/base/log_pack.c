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
		rc = fs_log_mark_built(ctx, err);
	return fs_tx_end(ctx, rc, err);
}
