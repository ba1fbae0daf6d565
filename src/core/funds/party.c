/* party.c - the sealed party of a transfer (a named donor, a payee).
 *
 * The transfer log's hash chain covers every column of a transfer, its sealed
 * party too, so a party's ciphertext can never change. It is therefore sealed
 * not under the data key but under a party key of a generation (party_keys:
 * random keys, each wrapped by the data key, bound to its generation): a key
 * rotation re-wraps the generations and starts a new one, and the chained
 * ciphertext stays as it is. A party sealed before schema 22 was sealed under
 * the data key itself; the first rotation keeps that key's sealing subkey as
 * generation 0, wrapped by the new key, so those parties still open.
 *
 * A party (format FS_SEAL_PARTY) is: the format byte, the generation (4 bytes,
 * big-endian), then the sealed value bound to "transfers:<org>:<id>:party" (the
 * transfer's id is unique in its organization and known before it is stored). */
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

static const struct fs_column pkey_cols[] = {{"gen", FS_VINT}, {"wrapped", FS_VBLOB}, {"created_at", FS_VTEXT}};
static const struct fs_table pkey_table = {"party_keys", pkey_cols, 3};

static void gen_ad(int64_t gen, char ad[FS_SEAL_AD_MAX])
{
	fs_seal_ad("party_keys", gen, "wrapped", ad);
}

static void party_ad(int64_t org, const char *id, size_t idn, char ad[FS_SEAL_AD_MAX])
{
	snprintf(ad, FS_SEAL_AD_MAX, "transfers:%lld:%.*s:party", (long long)org, (int)idn, id);
}

static int gen_store(struct fs_ctx *ctx, int64_t gen, const unsigned char key[32], struct fs_error *err)
{
	char ad[FS_SEAL_AD_MAX], ts[32];
	gen_ad(gen, ad);
	fs_now_iso(ts);
	struct fs_buf w;
	fs_buf_init(&w, 128);
	int rc = fs_seal(&ctx->keys, ad, key, 32, &w);
	struct fs_value v[3] = {fs_vint(gen), fs_vblob(w.data, w.len), fs_vtext(ts)};
	if (!rc)
		rc = fs_store_put(ctx->st, &pkey_table, v, err);
	fs_buf_done(&w);
	return rc ? fs_fail(err, rc, NULL, "cannot store the party key of generation %lld", (long long)gen) : 0;
}

/* The key of generation gen, unwrapped by keys. */
static int gen_key(struct fs_ctx *ctx, const struct fs_keys *keys, int64_t gen, unsigned char key[32])
{
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &pkey_table, gen, &row, NULL);
	if (rc)
		return rc;
	char ad[FS_SEAL_AD_MAX];
	gen_ad(gen, ad);
	struct fs_buf plain;
	fs_buf_init(&plain, 64);
	rc = row.vals[1].type != FS_VBLOB ? FS_ECRYPTO : fs_unseal(keys, ad, row.vals[1].p, row.vals[1].n, &plain);
	if (!rc && plain.len == 32)
		memcpy(key, plain.data, 32);
	else if (!rc)
		rc = FS_ECRYPTO;
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	fs_buf_done(&plain);
	fs_row_free(&row);
	return rc;
}

static int last_gen_cb(void *p, const struct fs_value *v)
{
	*(int64_t *)p = v[0].i;
	return 1;
}

static int last_gen(struct fs_ctx *ctx, int64_t *gen, struct fs_error *err)
{
	static const char *const col[] = {"gen"};
	struct fs_query q = {.table = &pkey_table, .descending = 1, .limit = 1, .columns = col, .ncolumns = 1};
	*gen = 0;
	return fs_store_select(ctx->st, &q, last_gen_cb, gen, err);
}

int fs_party_seal(struct fs_ctx *ctx, int64_t org, const char *id, const char *party, struct fs_buf *out,
		  struct fs_error *err)
{
	int rc = 0;
	if (!ctx->party_gen) { /* the newest generation, made when there is none yet */
		int64_t gen;
		if ((rc = last_gen(ctx, &gen, err)))
			return rc;
		/* the first generation is the installation's: made by one writer (PostgreSQL: organizations' writers
		 * lock it, -1, and look again) */
		if (gen < 1 && ctx->st->ops->lock_shared &&
		    ((rc = ctx->st->ops->lock_shared(ctx->st, -1, err)) || (rc = last_gen(ctx, &gen, err))))
			return rc;
		if (gen < 1) {
			gen = 1;
			randombytes_buf(ctx->party_key, 32);
			rc = gen_store(ctx, gen, ctx->party_key, err);
		} else {
			rc = gen_key(ctx, &ctx->keys, gen, ctx->party_key);
			if (rc)
				rc = fs_fail(err, FS_ECRYPTO, "key", "the party key of generation %lld does not open",
					     (long long)gen);
		}
		if (rc)
			return rc;
		ctx->party_gen = gen;
	}
	char ad[FS_SEAL_AD_MAX];
	party_ad(org, id, strlen(id), ad);
	unsigned char head[5] = {FS_SEAL_PARTY, (unsigned char)(ctx->party_gen >> 24), (unsigned char)(ctx->party_gen >> 16),
				 (unsigned char)(ctx->party_gen >> 8), (unsigned char)ctx->party_gen};
	rc = fs_buf_add(out, head, sizeof(head));
	if (!rc)
		rc = fs_seal_with(&ctx->keys, ctx->party_key, FS_SEAL_PARTY, ad, party, strlen(party), out);
	return rc ? fs_fail(err, rc, "party", "cannot seal the party") : 0;
}

int fs_party_open(struct fs_ctx *ctx, const struct fs_value *t, struct fs_buf *out)
{
	const struct fs_value *b = &t[T_PARTY];
	const unsigned char *p = b->p;
	if (b->type != FS_VBLOB || b->n < 5 + FS_SEAL_OVERHEAD)
		return FS_ECRYPTO;
	unsigned char key[32];
	int rc;
	if (p[0] == FS_SEAL_DATA) { /* before schema 22: the data key, or the one it had before a rotation */
		if (!fs_unseal(&ctx->keys, "transfers", p, b->n, out))
			return 0;
		if (!(rc = gen_key(ctx, &ctx->keys, 0, key)))
			rc = fs_unseal_with(key, FS_SEAL_DATA, "transfers", p, b->n, out);
		sodium_memzero(key, sizeof(key));
		return rc ? FS_ECRYPTO : 0;
	}
	if (p[0] != FS_SEAL_PARTY)
		return FS_ECRYPTO;
	int64_t gen = ((int64_t)p[1] << 24) | ((int64_t)p[2] << 16) | ((int64_t)p[3] << 8) | p[4];
	char ad[FS_SEAL_AD_MAX];
	party_ad(t[T_ORG].i, t[T_ID].p, t[T_ID].n, ad);
	if (!(rc = gen_key(ctx, &ctx->keys, gen, key)))
		rc = fs_unseal_with(key, FS_SEAL_PARTY, ad, p + 5, b->n - 5, out);
	sodium_memzero(key, sizeof(key));
	return rc ? FS_ECRYPTO : 0;
}

static int count_from(struct fs_ctx *ctx, unsigned char first, int64_t *n, struct fs_error *err)
{
	struct fs_filter f = {"party", FS_GE, fs_vblob(&first, 1)};
	struct fs_query q = {.table = &fs_transfers_table, .filters = &f, .nfilters = 1};
	return fs_store_count(ctx->st, &q, n, err);
}

struct gens_ud {
	int64_t *gens;
	size_t n, cap;
	int rc;
};

static int gens_cb(void *p, const struct fs_value *v)
{
	struct gens_ud *u = p;
	if (fs_grow(&u->gens, &u->cap, u->n, sizeof(*u->gens), 16))
		return u->rc = FS_ENOMEM, 1;
	u->gens[u->n++] = v[0].i;
	return 0;
}

int fs_party_keys_rotate(struct fs_ctx *ctx, const struct fs_keys *old, int64_t *count, struct fs_error *err)
{
	ctx->party_gen = 0;
	sodium_memzero(ctx->party_key, sizeof(ctx->party_key));
	int64_t from1 = 0, from2 = 0;
	int rc = count_from(ctx, FS_SEAL_DATA, &from1, err);
	if (!rc)
		rc = count_from(ctx, FS_SEAL_DATA + 1, &from2, err);
	struct gens_ud u = {0};
	static const char *const col[] = {"gen"};
	struct fs_query q = {.table = &pkey_table, .columns = col, .ncolumns = 1};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, gens_cb, &u, err);
	if (!rc)
		rc = u.rc;
	int have0 = 0;
	int64_t newest = 0;
	unsigned char key[32];
	for (size_t i = 0; !rc && i < u.n; i++) { /* each generation, wrapped by the new key */
		have0 |= u.gens[i] == 0;
		newest = u.gens[i] > newest ? u.gens[i] : newest;
		if (!gen_key(ctx, &ctx->keys, u.gens[i], key))
			continue; /* re-wrapped already (this transaction) */
		if ((rc = gen_key(ctx, old, u.gens[i], key)))
			rc = fs_fail(err, FS_ECRYPTO, "key", "the party key of generation %lld opens with neither key",
				     (long long)u.gens[i]);
		else
			rc = gen_store(ctx, u.gens[i], key, err);
		++*count;
	}
	if (!rc && from1 > from2 && !have0) /* parties sealed under the old data key itself */
		rc = gen_store(ctx, 0, old->seal, err);
	if (!rc && newest > 0) { /* what is sealed from now on: a key the old one never wrapped */
		randombytes_buf(key, 32);
		rc = gen_store(ctx, newest + 1, key, err);
	}
	sodium_memzero(key, sizeof(key));
	free(u.gens);
	return rc;
}
