/* org_chains.c - the hash chains kept per organization beside the journal: the
 * ledger's transfers and the evidence custody log. Each row (seq, org_id, ...,
 * prev_hash, hash) follows the newest earlier row of its own organization, so
 * organizations' writers never wait for each other for a chain's head; the
 * installation-wide chain of a database from before (schema 26 and older) ends at
 * the row its meta key names (transfer_chains, custody_chains: migration 27), and
 * the first row of each organization after it follows that chain's head (as the
 * journal's logs follow theirs: journal.c). The head's read for an append, and
 * verify's walk (rows in seq order: within one organization that is the order
 * they were chained in, its writers going one at a time). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Where the old installation-wide chain ends (0: there was none). */
static int chain_split(struct fs_ctx *ctx, const char *split_key, int64_t *split, struct fs_error *err)
{
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int rc = fs_store_meta_get(ctx->st, split_key, &v, NULL);
	*split = 0;
	if (rc == 0) {
		char *end = NULL;
		long long s = v.data ? strtoll(v.data, &end, 10) : -1;
		if (!v.data || end == v.data || *end || s < 0)
			rc = fs_fail(err, FS_EINTEGRITY, NULL, "meta %s is '%.30s', not a row number", split_key, v.data ? v.data : "");
		else
			*split = s;
	} else if (rc == FS_ENOTFOUND) {
		rc = 0;
	} else {
		rc = fs_fail(err, rc, NULL, "cannot read the database's meta data");
	}
	fs_buf_done(&v);
	return rc;
}

static int hash_cb(void *p, const struct fs_value *v)
{
	if (v[0].type == FS_VBLOB && v[0].n == FS_HASH_BYTES)
		memcpy(p, v[0].p, FS_HASH_BYTES);
	return 1;
}

int fs_org_chain_head(struct fs_ctx *ctx, const struct fs_table *t, const char *split_key, int64_t org,
		      unsigned char head[FS_HASH_BYTES], struct fs_error *err)
{
	int64_t split;
	int rc = chain_split(ctx, split_key, &split, err);
	memset(head, 0, FS_HASH_BYTES);
	unsigned char none[FS_HASH_BYTES] = {0};
	static const char *const cols[] = {"hash"};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"seq", FS_GE, fs_vint(split + 1)}};
	struct fs_query q = {.table = t, .filters = f, .nfilters = 2, .descending = 1, .limit = 1, .columns = cols, .ncolumns = 1,
			     .raw = 1};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, hash_cb, head, err);
	if (!rc && split > 0 && !memcmp(head, none, FS_HASH_BYTES)) { /* the organization's first: the old chain's head */
		struct fs_filter o = {"seq", FS_LE, fs_vint(split)};
		struct fs_query oq = {.table = t, .filters = &o, .nfilters = 1, .descending = 1, .limit = 1, .columns = cols,
				      .ncolumns = 1, .raw = 1};
		rc = fs_store_select(ctx->st, &oq, hash_cb, head, err);
	}
	return rc;
}

struct org_head {
	int64_t org;
	unsigned char hash[FS_HASH_BYTES];
};

struct fs_org_chains {
	int64_t split;
	unsigned char prev[FS_HASH_BYTES]; /* the old chain's newest row walked: its head once passed */
	struct org_head *h;
	size_t n, cap, last;
};

int fs_org_chains_open(struct fs_ctx *ctx, const char *split_key, struct fs_org_chains **ret, struct fs_error *err)
{
	struct fs_org_chains *c = calloc(1, sizeof(*c));
	if (!c)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	int rc = chain_split(ctx, split_key, &c->split, err);
	if (rc) {
		free(c);
		return rc;
	}
	*ret = c;
	return 0;
}

int64_t fs_org_chains_split(const struct fs_org_chains *c)
{
	return c->split;
}

void fs_org_chains_close(struct fs_org_chains *c)
{
	if (c)
		free(c->h);
	free(c);
}

/* The row (org, seq) must follow the returned hash; then hash becomes the head
 * (of the old chain up to the split, of org's chain after it). NULL: no memory. */
const unsigned char *fs_org_chains_step(struct fs_org_chains *c, int64_t org, int64_t seq, const struct fs_value *hash,
					unsigned char want[FS_HASH_BYTES])
{
	unsigned char *head = c->prev;
	if (seq > c->split) {
		struct org_head *o = c->last < c->n && c->h[c->last].org == org ? &c->h[c->last] : NULL;
		for (size_t i = 0; !o && i < c->n; i++)
			if (c->h[i].org == org) {
				o = &c->h[i];
				c->last = i;
			}
		if (!o) {
			if (fs_grow(&c->h, &c->cap, c->n, sizeof(*c->h), 16))
				return NULL;
			o = &c->h[c->n];
			o->org = org;
			memcpy(o->hash, c->prev, FS_HASH_BYTES); /* the first of org's: after the old chain's head */
			c->last = c->n++;
		}
		head = o->hash;
	}
	memcpy(want, head, FS_HASH_BYTES);
	if (hash->type == FS_VBLOB && hash->n == FS_HASH_BYTES)
		memcpy(head, hash->p, FS_HASH_BYTES);
	return want;
}
