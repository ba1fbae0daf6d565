/* keys.c - which key seals what: people's sealed fields under a key of their own
 * (wrapped by the data key, kept in person_keys), everything else under the data
 * key; forgetting a person (destroying that key); rotating the data key
 * (re-sealing every sealed value, journaled, resumable after a crash). */
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyfile.h"

static const struct fs_column pk_cols[] = {
	{"person_id", FS_VINT}, {"org_id", FS_VINT}, {"wrapped", FS_VBLOB}, {"forgotten_at", FS_VTEXT},
	{"forgotten_by", FS_VTEXT}};
static const struct fs_table pk_table = {"person_keys", pk_cols, sizeof(pk_cols) / sizeof(pk_cols[0])};
enum { PK_PERSON, PK_ORG, PK_WRAPPED, PK_FORGOTTEN_AT, PK_FORGOTTEN_BY };

/* A seal's associated data, NAME:ID (pk_ad) or TABLE:ID:COLUMN (fs_seal_ad),
 * truncated and ended as snprintf would: two per person an import stores,
 * without printf's cost. */
static size_t ad_add(char *out, size_t size, size_t at, const char *s, size_t n)
{
	for (size_t k = 0; k < n && at + 1 < size; k++)
		out[at++] = s[k];
	out[at < size ? at : size - 1] = '\0';
	return at;
}

static size_t ad_num(char *out, size_t size, size_t at, int64_t id)
{
	char num[FS_DIGITS_MAX];
	size_t n = fs_digits(id, num); /* util/buf.c */
	return ad_add(out, size, at, num + FS_DIGITS_MAX - n, n);
}

static void pk_ad(int64_t person, char ad[48])
{
	ad_num(ad, 48, ad_add(ad, 48, 0, "person_keys:", 12), person); /* "person_keys:%lld" */
}

/* A bulk import's keys: the seed of a ChaCha20 stream (random, made once per
 * import, wiped at its end), keys drawn from it 64 at a time (each wiped from the
 * pool as it is taken), and the lowest person id no stored key can have. */
#define BULK_KEYS 64
struct fs_pkey_bulk {
	int64_t fresh_from; /* no person_keys row has a person_id >= fresh_from */
	unsigned char seed[crypto_stream_chacha20_KEYBYTES];
	uint64_t block;
	unsigned used;
	unsigned char pool[BULK_KEYS * 32];
};

static void bulk_key(struct fs_pkey_bulk *b, unsigned char key[32])
{
	if (b->used == 0 || b->used == BULK_KEYS) {
		unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
		uint64_t n = b->block++;
		for (int i = 0; i < 8; i++)
			nonce[i] = (unsigned char)(n >> (8 * i));
		crypto_stream_chacha20(b->pool, sizeof(b->pool), nonce, b->seed);
		b->used = 0;
	}
	memcpy(key, b->pool + 32 * b->used, 32);
	sodium_memzero(b->pool + 32 * b->used, 32);
	b->used++;
}

/* A second stream of new people's keys, for an import's worker thread: a seed of
 * its own (random), so that the two threads never share a stream's state. */
struct fs_pkey_bulk *fs_pkey_stream_new(void)
{
	struct fs_pkey_bulk *b = sodium_malloc(sizeof(*b));
	if (!b)
		return NULL;
	memset(b, 0, sizeof(*b));
	randombytes_buf(b->seed, sizeof(b->seed));
	return b;
}

void fs_pkey_stream_take(struct fs_pkey_bulk *b, unsigned char key[32])
{
	bulk_key(b, key);
}

void fs_pkey_stream_free(struct fs_pkey_bulk *b)
{
	if (b)
		sodium_free(b); /* wiped as it is freed */
}

/* A person's key from its person_keys row's wrapped value: 0, 1 when forgotten
 * (no wrapped key), FS_ECRYPTO when it does not open. plain: scratch, left empty. */
static int unwrap(struct fs_ctx *ctx, int64_t person, const struct fs_value *w, unsigned char key[32],
		  struct fs_buf *plain)
{
	if (w->type != FS_VBLOB)
		return 1;
	char ad[48];
	pk_ad(person, ad);
	fs_buf_reset(plain);
	int rc = fs_unseal(&ctx->keys, ad, w->p, w->n, plain);
	if (!rc && plain->len == 32)
		memcpy(key, plain->data, 32);
	else
		rc = FS_ECRYPTO;
	if (plain->data)
		sodium_memzero(plain->data, plain->len);
	fs_buf_reset(plain);
	return rc;
}

int fs_person_key_wrap(struct fs_keys *k, int64_t person, const unsigned char key[32], struct fs_buf *out)
{
	char ad[48];
	pk_ad(person, ad);
	return fs_seal(k, ad, key, 32, out);
}

int64_t fs_person_keys_fresh_from(const struct fs_ctx *ctx)
{
	return ctx->pkey_bulk ? ctx->pkey_bulk->fresh_from : 0;
}

/* A bulk import's new person above every stored key, the key wrapped already
 * (fs_person_key_wrap, on the import's worker): a plain insert, as wrap_store's. */
int fs_person_key_insert_new(struct fs_ctx *ctx, int64_t person, int64_t org, const void *wrapped, size_t n,
			     struct fs_error *err)
{
	if (!ctx->pkey_bulk || person < ctx->pkey_bulk->fresh_from)
		return fs_fail(err, FS_EINTEGRITY, NULL, "person %lld may have a key row already", (long long)person);
	struct fs_value v[5] = {fs_vint(person), fs_vint(org), fs_vblob(wrapped, n), fs_vnull(), fs_vnull()};
	int rc = fs_store_insert_id(ctx->st, &pk_table, v, err);
	if (!rc)
		ctx->pkey_bulk->fresh_from = person + 1;
	return rc;
}

static int wrap_store(struct fs_ctx *ctx, int64_t person, int64_t org, const unsigned char key[32], struct fs_error *err)
{
	struct fs_buf w;
	fs_buf_init(&w, 256);
	int rc = fs_person_key_wrap(&ctx->keys, person, key, &w);
	struct fs_value v[5] = {fs_vint(person), fs_vint(org), fs_vblob(w.data, w.len), fs_vnull(), fs_vnull()};
	/* a bulk import's new person, above every stored key: a plain insert (a key
	 * row there after all fails it, never overwritten); else the upsert a renewal needs */
	if (!rc && ctx->pkey_bulk && person >= ctx->pkey_bulk->fresh_from)
		rc = fs_store_insert_id(ctx->st, &pk_table, v, err);
	else if (!rc)
		rc = fs_store_put(ctx->st, &pk_table, v, err);
	fs_buf_done(&w);
	if (!rc && ctx->pkey_bulk && person >= ctx->pkey_bulk->fresh_from)
		ctx->pkey_bulk->fresh_from = person + 1;
	return rc;
}

/* The person's key: 0 and key, 1 when the person was forgotten, FS_ENOTFOUND
 * when there is none (made when create), or an error. */
static int person_key(struct fs_ctx *ctx, int64_t person, int64_t org, int create, unsigned char key[32],
		      struct fs_error *err)
{
	size_t nslots = sizeof(ctx->pkeys) / sizeof(ctx->pkeys[0]);
	for (size_t i = 0; i < nslots; i++)
		if (ctx->pkeys[i].person_id == person) {
			memcpy(key, ctx->pkeys[i].key, 32);
			return 0;
		}
	struct fs_row row;
	struct fs_pkey_bulk *bulk = ctx->pkey_bulk;
	/* a new person of a bulk import, above every stored key: none to look up */
	int rc = create && bulk && person >= bulk->fresh_from ? FS_ENOTFOUND
							      : fs_store_get(ctx->st, &pk_table, person, &row, NULL);
	if (rc == FS_ENOTFOUND) {
		if (!create)
			return FS_ENOTFOUND;
		if (bulk)
			bulk_key(bulk, key);
		else
			randombytes_buf(key, 32);
		if ((rc = wrap_store(ctx, person, org, key, err)))
			return rc;
	} else if (rc) {
		return fs_fail(err, rc, NULL, "cannot read the key of person %lld", (long long)person);
	} else {
		struct fs_buf plain;
		fs_buf_init(&plain, 256);
		rc = unwrap(ctx, person, &row.vals[PK_WRAPPED], key, &plain);
		fs_buf_done(&plain);
		fs_row_free(&row);
		if (rc)
			return rc;
	}
	unsigned slot = ctx->next_pkey++ % nslots;
	ctx->pkeys[slot].person_id = person;
	memcpy(ctx->pkeys[slot].key, key, 32);
	return 0;
}

static int max_person_cb(void *p, const struct fs_value *v)
{
	*(int64_t *)p = v[0].i;
	return 1;
}

int fs_person_keys_bulk_begin(struct fs_ctx *ctx, struct fs_error *err)
{
	if (ctx->tx_depth <= 0 || ctx->pkey_bulk)
		return fs_fail(err, FS_EINTEGRITY, NULL, "bulk keys begin inside a transaction, once");
	static const char *const col[] = {"person_id"};
	struct fs_query q = {.table = &pk_table, .descending = 1, .limit = 1, .columns = col, .ncolumns = 1};
	int64_t max = 0;
	int rc = fs_store_select(ctx->st, &q, max_person_cb, &max, err);
	if (rc)
		return rc;
	struct fs_pkey_bulk *b = sodium_malloc(sizeof(*b));
	if (!b)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	memset(b, 0, sizeof(*b));
	b->fresh_from = max + 1;
	randombytes_buf(b->seed, sizeof(b->seed));
	ctx->pkey_bulk = b;
	return 0;
}

void fs_person_keys_bulk_end(struct fs_ctx *ctx)
{
	if (ctx->pkey_bulk)
		sodium_free(ctx->pkey_bulk); /* wiped as it is freed */
	ctx->pkey_bulk = NULL;
}

int fs_person_key_renew(struct fs_ctx *ctx, int64_t person, int64_t org, struct fs_error *err)
{
	unsigned char key[32];
	randombytes_buf(key, 32);
	fs_pkeys_wipe(ctx);
	int rc = wrap_store(ctx, person, org, key, err);
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* Person keys not yet wrapped by the current data key are re-wrapped (rotation). */
struct rewrap_ud {
	struct fs_ctx *ctx;
	const struct fs_keys *old;
	int64_t *ids;
	size_t n, cap;
	int rc;
};

static int rewrap_cb(void *p, const struct fs_value *v)
{
	struct rewrap_ud *u = p;
	if (v[PK_WRAPPED].type != FS_VBLOB)
		return 0;
	char ad[48];
	pk_ad(v[PK_PERSON].i, ad);
	struct fs_buf plain;
	fs_buf_init(&plain, 256);
	int opens = !fs_unseal(&u->ctx->keys, ad, v[PK_WRAPPED].p, v[PK_WRAPPED].n, &plain);
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	fs_buf_done(&plain);
	if (!opens && fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 256))
		return u->rc = FS_ENOMEM, 1;
	if (!opens)
		u->ids[u->n++] = v[PK_PERSON].i;
	return 0;
}

int fs_person_keys_rewrap(struct fs_ctx *ctx, const struct fs_keys *old, int64_t *count, struct fs_error *err)
{
	struct rewrap_ud u = {ctx, old, NULL, 0, 0, 0};
	struct fs_query q = {.table = &pk_table, .raw = 1};
	int rc = fs_store_select(ctx->st, &q, rewrap_cb, &u, err);
	if (!rc)
		rc = u.rc;
	for (size_t i = 0; !rc && i < u.n; i++) {
		struct fs_row row;
		if ((rc = fs_store_get(ctx->st, &pk_table, u.ids[i], &row, err)))
			break;
		char ad[48];
		pk_ad(u.ids[i], ad);
		struct fs_buf plain;
		fs_buf_init(&plain, 256);
		rc = fs_unseal(old, ad, row.vals[PK_WRAPPED].p, row.vals[PK_WRAPPED].n, &plain);
		if (rc || plain.len != 32)
			rc = fs_fail(err, FS_ECRYPTO, NULL, "the key of person %lld opens with neither key", (long long)u.ids[i]);
		else
			rc = wrap_store(ctx, u.ids[i], row.vals[PK_ORG].i, (const unsigned char *)plain.data, err);
		if (plain.data)
			sodium_memzero(plain.data, plain.len);
		fs_buf_done(&plain);
		fs_row_free(&row);
	}
	free(u.ids);
	if (!rc)
		*count += (int64_t)u.n;
	return rc;
}

/* A sealed value's place: table, row id and column, bound as associated data so
 * that a blob moved to another row or column does not open. */
void fs_seal_ad(const char *table, int64_t id, const char *column, char ad[FS_SEAL_AD_MAX])
{
	size_t at = ad_add(ad, FS_SEAL_AD_MAX, 0, table, strlen(table)); /* "%s:%lld:%s" */
	at = ad_add(ad, FS_SEAL_AD_MAX, at, ":", 1);
	at = ad_num(ad, FS_SEAL_AD_MAX, at, id);
	at = ad_add(ad, FS_SEAL_AD_MAX, at, ":", 1);
	ad_add(ad, FS_SEAL_AD_MAX, at, column, strlen(column));
}

int fs_seal_for(struct fs_ctx *ctx, const struct fs_rec *r, const void *plain, size_t n, struct fs_buf *out)
{
	const struct fs_entity *e = r->e;
	if (r->v[0].type != FS_VINT)
		return FS_EINVAL; /* a seal names its row: sealed once the id is known (rec_insert) */
	char ad[FS_SEAL_AD_MAX];
	fs_seal_ad(e->table.name, r->v[0].i, "sealed", ad);
	if (e->person_col != 0)
		return fs_seal_with(&ctx->keys, ctx->keys.seal, FS_SEAL_BOUND, ad, plain, n, out);
	unsigned char key[32];
	int rc = person_key(ctx, r->v[0].i, r->v[e->org_col].i, 1, key, NULL);
	if (rc == 1)
		return FS_EPERM; /* forgotten: nothing is sealed for this person again */
	if (!rc)
		rc = fs_seal_with(&ctx->keys, key, FS_SEAL_BOUND_PERSON, ad, plain, n, out);
	sodium_memzero(key, sizeof(key));
	return rc;
}

int fs_unseal_for(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, const void *blob,
		  size_t n, struct fs_buf *out)
{
	return fs_unseal_for_key(ctx, e, vals, blob, n, FS_PKEY_LOOKUP, NULL, out);
}

int fs_unseal_for_key(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, const void *blob,
		      size_t n, int key_rc, const unsigned char *given, struct fs_buf *out)
{
	const unsigned char *b = blob;
	int version = n ? b[0] : 0;
	int person = version == FS_SEAL_PERSON || version == FS_SEAL_BOUND_PERSON;
	int legacy = version == FS_SEAL_DATA || version == FS_SEAL_PERSON;
	char ad[FS_SEAL_AD_MAX];
	fs_seal_ad(e->table.name, vals[0].i, "sealed", ad);
	if (legacy) /* sealed before values were bound to their row: opened only to bind them */
		snprintf(ad, sizeof(ad), "%s", e->table.name);
	if (!person)
		return legacy && !ctx->seal_legacy ? FS_ECRYPTO : fs_unseal_with(ctx->keys.seal, (unsigned char)version, ad, blob, n, out);
	if (e->person_col != 0)
		return FS_ECRYPTO;
	unsigned char key[32];
	int rc = key_rc;
	if (key_rc == FS_PKEY_LOOKUP)
		rc = person_key(ctx, vals[0].i, 0, 0, key, NULL);
	else if (key_rc == 0)
		memcpy(key, given, 32);
	if (rc == 0 && legacy && !ctx->seal_legacy)
		rc = FS_ECRYPTO;
	else if (rc == 0)
		rc = fs_unseal_with(key, (unsigned char)version, ad, blob, n, out);
	else if (rc != 1)
		rc = FS_ECRYPTO; /* 1: forgotten, nothing to open */
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* ---- verify's join of people with their keys (journal_check.c) ---- */

struct run_ud {
	struct fs_ctx *ctx;
	struct fs_pkey_run *run;
	struct fs_buf plain;
	int rc;
};

static int run_cb(void *p, const struct fs_value *v)
{
	struct run_ud *u = p;
	struct fs_pkey_run *r = u->run;
	r->ids[r->n] = v[0].i;
	r->state[r->n] = (signed char)unwrap(u->ctx, v[0].i, &v[1], r->keys[r->n], &u->plain);
	r->n++;
	return 0;
}

int fs_person_keys_run(struct fs_ctx *ctx, int64_t from, struct fs_pkey_run *run, struct fs_error *err)
{
	if (!run->keys) {
		run->ids = malloc(FS_PKEY_RUN * sizeof(*run->ids));
		run->state = malloc(FS_PKEY_RUN);
		run->keys = sodium_allocarray(FS_PKEY_RUN, 32);
		if (!run->ids || !run->state || !run->keys)
			return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	}
	sodium_memzero(run->keys, (size_t)run->n * 32);
	run->n = 0;
	struct fs_filter f = {"person_id", FS_GE, fs_vint(from)};
	static const char *const cols[] = {"person_id", "wrapped"};
	struct fs_query q = {.table = &pk_table, .filters = &f, .nfilters = 1, .limit = FS_PKEY_RUN, .raw = 1,
			     .columns = cols, .ncolumns = 2};
	struct run_ud u = {.ctx = ctx, .run = run};
	fs_buf_init(&u.plain, 256);
	int rc = fs_store_select(ctx->st, &q, run_cb, &u, err);
	fs_buf_done(&u.plain);
	return rc;
}

void fs_pkey_run_done(struct fs_pkey_run *run)
{
	if (run->keys)
		sodium_free(run->keys); /* wiped */
	free(run->ids);
	free(run->state);
	memset(run, 0, sizeof(*run));
}

/* SQLite: the highest plus one; PostgreSQL: the table's sequence (rows.c) */
int fs_next_id(struct fs_ctx *ctx, const struct fs_table *t, int64_t *id, struct fs_error *err)
{
	return fs_store_next_id(ctx->st, t, id, err);
}

/* ---- forgetting a person ---- */

/* Whether the person has a key of their own: 0, none (FS_ENOTFOUND), or 1 when
 * forgotten (forget_links.c's fs_person_forget asks before it destroys it). */
int fs_person_key_state(struct fs_ctx *ctx, int64_t person, struct fs_error *err)
{
	unsigned char key[32];
	int rc = person_key(ctx, person, ctx->org_id, 0, key, err);
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* The person's key row without a key: forgotten at ts by the context's actor. */
int fs_person_key_mark_forgotten(struct fs_ctx *ctx, int64_t person, const char *ts, struct fs_error *err)
{
	struct fs_value v[5] = {fs_vint(person), fs_vint(ctx->org_id), fs_vnull(), fs_vtext(ts), fs_vtext(ctx->actor)};
	return fs_store_put(ctx->st, &pk_table, v, err);
}

int fs_person_forgotten(struct fs_ctx *ctx, int64_t person)
{
	struct fs_row row;
	if (fs_store_get(ctx->st, &pk_table, person, &row, NULL))
		return 0;
	int gone = row.vals[PK_WRAPPED].type != FS_VBLOB;
	fs_row_free(&row);
	return gone;
}

int fs_person_key_drop(struct fs_ctx *ctx, int64_t person, struct fs_error *err)
{
	fs_pkeys_wipe(ctx);
	int rc = fs_store_delete(ctx->st, &pk_table, person, NULL);
	/* the highest key row of a bulk import gone: its id is free of keys again
	 * (else the next new person, who gets that id, is looked up for nothing) */
	if ((!rc || rc == FS_ENOTFOUND) && ctx->pkey_bulk && person == ctx->pkey_bulk->fresh_from - 1)
		ctx->pkey_bulk->fresh_from = person;
	return rc == FS_ENOTFOUND ? 0 : rc ? fs_fail(err, rc, NULL, "cannot remove the key of person %lld", (long long)person) : 0;
}
