/* batch.c - batch journal entries for bulk work (an import, a claims
 * computation): one journal entry binds every row the batch created, by id and
 * row hash, instead of one entry per row.
 *
 * The rows' ids and hashes are kept packed in journal_rows (one row per chunk of
 * up to FS_BATCH_CHUNK rows of one entity, id = the seq of its journal entry:
 * 8 bytes of id, little-endian, then the 32-byte row hash, ids ascending). The
 * journal entry (action "batch", about the organization) carries the chunk's
 * entity, count, first and last id and its digest: BLAKE2b-256 of
 * "fairshare-batch-1", the entity, the count and the packed rows. verify walks
 * the journal in order and maps every bound row to the batch entry as it would
 * to a "create" entry; a changed row, a changed or missing chunk, a chunk bound
 * by no entry are all reported. Later changes of such a row are journaled with
 * before and after as always; `log` of a record created by a batch shows the
 * batch entry as its creation, with the row as it was created. */
#include "internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define ROW_BYTES (8 + FS_HASH_BYTES)

struct chunk {
	const struct fs_entity *e;
	unsigned char *rows; /* ROW_BYTES each */
	size_t n;
	int64_t first, last;
};

struct fs_batch {
	char why[24];
	struct chunk ch[FS_BATCH_CHUNKS_MAX];
	size_t nch;
};

static const struct fs_column jrows_cols[] = {
	{"id", FS_VINT}, {"entity", FS_VTEXT}, {"first_id", FS_VINT}, {"last_id", FS_VINT}, {"nrows", FS_VINT}, {"rows", FS_VBLOB},
	{"org_id", FS_VINT}, /* the entry's organization (fs_journal_batch: the context's) */
};
const struct fs_table fs_journal_rows_table = {"journal_rows", jrows_cols, sizeof(jrows_cols) / sizeof(jrows_cols[0])};

static void put64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(u >> (8 * i));
}

static int64_t get64(const unsigned char *p)
{
	uint64_t u = 0;
	for (int i = 7; i >= 0; i--)
		u = (u << 8) | p[i];
	return (int64_t)u;
}

static void digest(const char *entity, size_t elen, int64_t n, const unsigned char *rows, size_t len,
		   unsigned char out[FS_HASH_BYTES])
{
	crypto_generichash_state s;
	unsigned char cnt[8];
	put64(cnt, n);
	crypto_generichash_init(&s, NULL, 0, FS_HASH_BYTES);
	crypto_generichash_update(&s, (const unsigned char *)"fairshare-batch-1", 18);
	crypto_generichash_update(&s, (const unsigned char *)entity, elen);
	crypto_generichash_update(&s, (const unsigned char *)"", 1);
	crypto_generichash_update(&s, cnt, 8);
	crypto_generichash_update(&s, rows, len);
	crypto_generichash_final(&s, out, FS_HASH_BYTES);
}

/* Before another entry about record id of e: the pending chunk holding it is written first. */
static int batch_touch(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err);

int fs_batch_begin(struct fs_ctx *ctx, const char *why, struct fs_error *err)
{
	if (ctx->tx_depth <= 0 || ctx->batch)
		return fs_fail(err, FS_EINTEGRITY, NULL, "a batch begins inside a transaction, one at a time");
	struct fs_batch *b = calloc(1, sizeof(*b));
	if (!b)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	snprintf(b->why, sizeof(b->why), "%s", why);
	ctx->batch = b;
	ctx->batch_touch = batch_touch;
	return 0;
}

/* One chunk: its rows into journal_rows, its entry into the journal. */
static int flush_chunk(struct fs_ctx *ctx, struct chunk *c, const char *why, struct fs_error *err)
{
	if (!c->n)
		return 0;
	unsigned char d[FS_HASH_BYTES];
	char hex[2 * FS_HASH_BYTES + 1], note[400];
	digest(c->e->name, strlen(c->e->name), (int64_t)c->n, c->rows, c->n * ROW_BYTES, d);
	fs_hex(d, FS_HASH_BYTES, hex);
	snprintf(note, sizeof(note),
		 "{\"batch\":\"%s\",\"entity\":\"%s\",\"rows\":%zu,\"first_id\":%lld,\"last_id\":%lld,\"digest\":\"%s\"}", why,
		 c->e->name, c->n, (long long)c->first, (long long)c->last, hex);
	struct fs_batch *b = ctx->batch;
	ctx->batch = NULL; /* the entry itself flushes nothing */
	int rc = fs_journal_batch(ctx, note, err);
	ctx->batch = b;
	if (rc)
		return rc;
	struct fs_value v[7] = {fs_vint(ctx->head_seq), fs_vtext(c->e->name), fs_vint(c->first), fs_vint(c->last),
				fs_vint((int64_t)c->n), fs_vblob(c->rows, c->n * ROW_BYTES), fs_vint(ctx->org_id)};
	rc = fs_store_put(ctx->st, &fs_journal_rows_table, v, err);
	c->n = 0;
	return rc;
}

int fs_batch_add(struct fs_ctx *ctx, const struct fs_rec *r, struct fs_error *err)
{
	return fs_batch_add_hashed(ctx, r, NULL, err);
}

int fs_batch_add_hashed(struct fs_ctx *ctx, const struct fs_rec *r, const unsigned char *hash, struct fs_error *err)
{
	struct fs_batch *b = ctx->batch;
	struct chunk *c = NULL;
	int64_t id = r->v[0].i;
	int rc;
	for (size_t i = 0; i < b->nch && !c; i++)
		if (b->ch[i].e == r->e)
			c = &b->ch[i];
	if (!c) {
		if (b->nch == FS_BATCH_CHUNKS_MAX)
			return fs_journal_append(ctx, "create", NULL, r, err); /* a ninth kind: one entry, as ever */
		c = &b->ch[b->nch++];
		c->e = r->e;
		if (!(c->rows = malloc((size_t)FS_BATCH_CHUNK * ROW_BYTES)))
			return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	}
	if (c->n && id <= c->last && (rc = flush_chunk(ctx, c, b->why, err)))
		return rc; /* ids ascend within a chunk */
	unsigned char *p = c->rows + c->n * ROW_BYTES;
	put64(p, id);
	if (hash)
		memcpy(p + 8, hash, FS_HASH_BYTES);
	else if ((rc = fs_hash_values(r->e->table.name, r->v, r->e->table.ncols, p + 8)))
		return rc;
	if (!c->n)
		c->first = id;
	c->last = id;
	if (++c->n == FS_BATCH_CHUNK)
		return flush_chunk(ctx, c, b->why, err);
	return 0;
}

static int batch_touch(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err)
{
	struct fs_batch *b = ctx->batch;
	for (size_t i = 0; b && i < b->nch; i++) {
		struct chunk *c = &b->ch[i];
		if (c->e == e && c->n && id >= c->first && id <= c->last)
			return flush_chunk(ctx, c, b->why, err);
	}
	return 0;
}

int fs_batch_end(struct fs_ctx *ctx, int rc, struct fs_error *err)
{
	struct fs_batch *b = ctx->batch;
	if (!b)
		return rc;
	for (size_t i = 0; !rc && i < b->nch; i++)
		rc = flush_chunk(ctx, &b->ch[i], b->why, err);
	for (size_t i = 0; i < b->nch; i++)
		free(b->ch[i].rows);
	free(b);
	ctx->batch = NULL;
	ctx->batch_touch = NULL;
	return rc;
}

/* ---- verify and log ---- */

struct chunk_ud {
	int found;
	char entity[40];
	int64_t nrows;
	unsigned char *rows;
	size_t len;
};

static int chunk_cb(void *p, const struct fs_value *v)
{
	struct chunk_ud *u = p;
	u->found = 1;
	if (v[1].type == FS_VTEXT && v[1].n < sizeof(u->entity)) {
		memcpy(u->entity, v[1].p, v[1].n);
		u->entity[v[1].n] = '\0';
	}
	u->nrows = v[4].type == FS_VINT ? v[4].i : -1;
	if (v[5].type == FS_VBLOB && v[5].n && (u->rows = malloc(v[5].n))) {
		memcpy(u->rows, v[5].p, v[5].n);
		u->len = v[5].n;
	}
	return 1;
}

static int load_chunk(struct fs_ctx *ctx, int64_t seq, struct chunk_ud *u, struct fs_error *err)
{
	struct fs_filter f = {"id", FS_EQ, fs_vint(seq)};
	struct fs_query q = {.table = &fs_journal_rows_table, .filters = &f, .nfilters = 1, .limit = 1};
	memset(u, 0, sizeof(*u));
	return fs_store_select(ctx->st, &q, chunk_cb, u, err);
}

int fs_batch_rows(struct fs_ctx *ctx, const struct fs_value *entry, fs_batch_row_cb row, void *ud, char *why,
		  size_t whysz, struct fs_error *err)
{
	int64_t seq = entry[FS_J_SEQ].i;
	json_t *j = entry[FS_J_AFTER].type == FS_VTEXT ? json_loadb(entry[FS_J_AFTER].p, entry[FS_J_AFTER].n, 0, NULL) : NULL;
	const char *ename = json_string_value(json_object_get(j, "entity"));
	const char *dhex = json_string_value(json_object_get(j, "digest"));
	json_int_t nrows = json_integer_value(json_object_get(j, "rows"));
	const struct fs_entity *e = ename ? fs_entity_lookup(ename) : NULL;
	struct chunk_ud u = {0};
	int rc = 0, bad = 0;
	if (!e || !dhex || strlen(dhex) != 2 * FS_HASH_BYTES || nrows <= 0) {
		snprintf(why, whysz, "journal: batch entry %lld does not say which rows it binds", (long long)seq);
		bad = 1;
	} else if ((rc = load_chunk(ctx, seq, &u, err))) {
		bad = 0;
	} else if (!u.found || !u.rows) {
		snprintf(why, whysz, "journal: the rows of batch entry %lld are missing (journal_rows %lld deleted)", (long long)seq,
			 (long long)seq);
		bad = 1;
	} else {
		unsigned char d[FS_HASH_BYTES];
		char hex[2 * FS_HASH_BYTES + 1];
		digest(e->name, strlen(e->name), nrows, u.rows, u.len, d);
		fs_hex(d, FS_HASH_BYTES, hex);
		if (strcmp(u.entity, e->name) || u.nrows != nrows || u.len != (size_t)nrows * ROW_BYTES || strcmp(hex, dhex)) {
			snprintf(why, whysz, "journal: the rows of batch entry %lld differ from the entry (journal_rows %lld altered)",
				 (long long)seq, (long long)seq);
			bad = 1;
		}
	}
	for (size_t i = 0; !rc && !bad && i < (size_t)nrows; i++) {
		const unsigned char *p = u.rows + i * ROW_BYTES;
		if ((rc = row(ud, e, get64(p), p + 8)))
			break;
	}
	free(u.rows);
	json_decref(j);
	return rc ? rc : bad;
}

int fs_batch_unbound(struct fs_ctx *ctx, int64_t bound, int64_t *extra, struct fs_error *err)
{
	struct fs_query q = {.table = &fs_journal_rows_table};
	int64_t n = 0;
	int rc = fs_store_count(ctx->st, &q, &n, err);
	if (!rc)
		*extra = n > bound ? n - bound : 0;
	return rc;
}

/* ---- log: a record created by a batch ---- */

struct find_ud {
	int64_t id, seq;
	unsigned char hash[FS_HASH_BYTES];
};

static int find_cb(void *p, const struct fs_value *v)
{
	struct find_ud *u = p;
	if (v[5].type != FS_VBLOB || v[5].n % ROW_BYTES)
		return 0;
	size_t lo = 0, hi = v[5].n / ROW_BYTES; /* ids ascend: binary search */
	const unsigned char *rows = v[5].p;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t id = get64(rows + mid * ROW_BYTES);
		if (id == u->id) {
			if (v[0].i > u->seq) { /* the newest batch that created it */
				u->seq = v[0].i;
				memcpy(u->hash, rows + mid * ROW_BYTES + 8, FS_HASH_BYTES);
			}
			return 0;
		}
		if (id < u->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int fs_batch_created(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, int64_t *seq,
		     unsigned char row_hash[FS_HASH_BYTES], struct fs_error *err)
{
	struct fs_filter f[3] = {{"entity", FS_EQ, fs_vtext(e->name)}, {"first_id", FS_LE, fs_vint(id)}, {"last_id", FS_GE, fs_vint(id)}};
	struct fs_query q = {.table = &fs_journal_rows_table, .filters = f, .nfilters = 3};
	struct find_ud u = {.id = id};
	int rc = fs_store_select(ctx->st, &q, find_cb, &u, err);
	if (rc)
		return rc;
	*seq = u.seq;
	if (u.seq)
		memcpy(row_hash, u.hash, FS_HASH_BYTES);
	return 0;
}
