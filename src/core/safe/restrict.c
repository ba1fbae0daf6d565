/* restrict.c - restricted text: the free text of a record whose handling is
 * restricted or sealed is kept inside the record's seal, not in its columns.
 * Reads through the store get it back in place (fs_open_row), so the rest of
 * the core sees ordinary columns; the journal and verify see the row as stored. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int fs_restricted_row(const struct fs_entity *e, const struct fs_value *v)
{
	if (!e->any_restricted)
		return 0;
	if (e->handling_col < 0)
		return 1; /* no handling level (assessments): always */
	const struct fs_value *h = &v[e->handling_col];
	if (h->type != FS_VTEXT)
		return 0;
	return (h->n == 10 && !memcmp(h->p, "restricted", 10)) || (h->n == 6 && !memcmp(h->p, "sealed", 6));
}

static int take(const char *plain, size_t n, size_t *pos, const char **p, size_t *len)
{
	if (*pos + 2 > n)
		return FS_ECRYPTO;
	size_t l = ((size_t)(unsigned char)plain[*pos] << 8) | (unsigned char)plain[*pos + 1];
	*pos += 2;
	*p = NULL;
	*len = 0;
	if (l == 0xFFFF)
		return 0;
	if (*pos + l > n)
		return FS_ECRYPTO;
	*p = plain + *pos;
	*len = l;
	*pos += l;
	return 0;
}

int fs_payload_split(const struct fs_entity *e, const char *plain, size_t n, const char *p[FS_MAX_FIELDS],
		     size_t len[FS_MAX_FIELDS])
{
	size_t pos = 0;
	int rc = 0;
	for (size_t i = 0; i < FS_MAX_FIELDS; i++)
		p[i] = NULL, len[i] = 0;
	for (size_t i = 0; i < e->nfields && !rc; i++)
		if (e->fields[i].flags & FF_SEALED)
			rc = take(plain, n, &pos, &p[i], &len[i]);
	/* a payload sealed before restricted text was sealed ends here */
	for (size_t i = 0; i < e->nfields && !rc && pos < n; i++)
		if (e->fields[i].flags & FF_RESTRICTED)
			rc = take(plain, n, &pos, &p[i], &len[i]);
	if (!rc && pos != n)
		rc = FS_ECRYPTO;
	return rc;
}

int fs_open_row(void *ud, const struct fs_table *t, struct fs_value *vals, struct fs_buf *scratch)
{
	struct fs_ctx *ctx = ud;
	const struct fs_entity *e = NULL;
	for (size_t i = 0; i < fs_nentities && !e; i++)
		if (&fs_entities[i]->table == t)
			e = fs_entities[i];
	if (!e || !e->any_restricted || !fs_restricted_row(e, vals))
		return 0;
	const struct fs_value *sv = &vals[e->sealed_col];
	if (sv->type != FS_VBLOB)
		return 0;
	int rc = fs_unseal_for(ctx, e, vals, sv->p, sv->n, scratch);
	if (rc)
		return rc;
	const char *p[FS_MAX_FIELDS];
	size_t len[FS_MAX_FIELDS];
	if ((rc = fs_payload_split(e, scratch->data, scratch->len, p, len)))
		return rc;
	/* each text again after the payload, ended by a NUL as the store's own text
	 * is (readers take it as a C string); by offset, as the buffer may move */
	size_t at[FS_MAX_FIELDS] = {0}, from[FS_MAX_FIELDS] = {0};
	for (size_t i = 0; i < e->nfields; i++) /* p[] points into scratch, which each add may move */
		if (p[i])
			from[i] = (size_t)(p[i] - (const char *)scratch->data);
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & FF_RESTRICTED) || !p[i])
			continue;
		char *copy = malloc(len[i] + 1);
		if (!copy)
			return FS_ENOMEM;
		memcpy(copy, (const char *)scratch->data + from[i], len[i]);
		copy[len[i]] = 0;
		at[i] = scratch->len;
		rc = fs_buf_add(scratch, copy, len[i] + 1);
		memset(copy, 0, len[i]);
		free(copy);
		if (rc)
			return FS_ENOMEM;
	}
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & FF_RESTRICTED) && p[i])
			vals[e->col_of[i]] = (struct fs_value){FS_VTEXT, 0, scratch->data + at[i], len[i]};
	return 0;
}

/* What is wrong with a stored row's seal (it does not open here, or a lookup hash
 * is not its sealed value's), or NULL: the journal's verify asks, row by row. */
const char *fs_seal_row_check(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *v)
{
	struct fs_buf plain;
	fs_buf_init(&plain, 64 * 1024);
	const char *bad = fs_seal_row_check_key(ctx, e, v, FS_PKEY_LOOKUP, NULL, &plain);
	fs_buf_done(&plain);
	return bad;
}

const char *fs_seal_row_check_key(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *v, int key_rc,
				  const unsigned char *key, struct fs_buf *scratch)
{
	if (e->sealed_col < 0 || v[e->sealed_col].type != FS_VBLOB)
		return NULL;
	struct fs_buf plain = *scratch; /* its storage kept for the next row */
	fs_buf_reset(&plain);
	int rc = fs_unseal_for_key(ctx, e, v, v[e->sealed_col].p, v[e->sealed_col].n, key_rc, key, &plain);
	const char *bad = rc < 0 ? "sealed fields cannot be opened (wrong key, altered, or moved from another row)" : NULL;
	const char *fp[FS_MAX_FIELDS];
	size_t fl[FS_MAX_FIELDS];
	if (!rc && fs_payload_split(e, plain.data ? plain.data : "", plain.len, fp, fl))
		bad = "sealed fields are malformed";
	for (size_t i = 0; !rc && !bad && i < e->nfields; i++) { /* 1: forgotten, nothing to compare */
		if (!(e->fields[i].flags & FF_LOOKUP))
			continue;
		const struct fs_value *h = &v[e->hash_of[i]];
		unsigned char want[FS_HASH_BYTES];
		if (fp[i])
			fs_lookup_hash(&ctx->keys, fp[i], fl[i], want);
		if ((h->type == FS_VBLOB) != (fp[i] != NULL) ||
		    (fp[i] && (h->n != FS_HASH_BYTES || memcmp(h->p, want, FS_HASH_BYTES))))
			bad = "the lookup hash of a sealed field is not the hash of its value (moved from another row?)";
	}
	if (plain.data)
		memset(plain.data, 0, plain.len);
	*scratch = plain; /* wiped; emptied by the next row's reset */
	return bad;
}
