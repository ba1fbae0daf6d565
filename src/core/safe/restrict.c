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

/* Restricted text goes into the seal (its column left empty) while the record is
 * restricted, and back into its column when it is not. */
int rec_reseal(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	int restricted = fs_restricted_row(e, r->v), rc = 0;
	for (size_t i = 0; i < e->nfields && !rc && e->any_restricted; i++) {
		if (!(e->fields[i].flags & FF_RESTRICTED))
			continue;
		int col = e->col_of[i];
		const char *text = rec_restricted_text(r, i);
		char *copy = text ? strdup(text) : NULL;
		if (text && !copy)
			return FS_ENOMEM;
		if (restricted) {
			rc = rec_set_plain(r, i, copy);
			if (!rc && (e->fields[i].flags & FF_REQUIRED))
				rc = rec_set_bytes(r, col, FS_VTEXT, "", 0); /* NOT NULL in the schema */
			else
				rec_set_bytes(r, col, FS_VNULL, NULL, 0);
		} else {
			rc = rec_set_plain(r, i, NULL);
			if (!rc)
				rc = rec_set_bytes(r, col, copy ? FS_VTEXT : FS_VNULL, copy, copy ? strlen(copy) : 0);
		}
		if (copy) {
			memset(copy, 0, strlen(copy));
			free(copy);
		}
	}
	return rc ? fs_fail(err, rc, NULL, "out of memory") : rec_seal(ctx, r, err);
}

const char *rec_restricted_text(const struct fs_rec *r, size_t fi)
{
	const struct fs_value *v = &r->v[r->e->col_of[fi]];
	if (r->plain[fi])
		return r->plain[fi];
	return v->type == FS_VTEXT && v->n ? (const char *)v->p : NULL;
}

int rec_open_payload(struct fs_rec *r, const char *plain, size_t n)
{
	const struct fs_entity *e = r->e;
	const char *fp[FS_MAX_FIELDS];
	size_t fl[FS_MAX_FIELDS];
	int rc = fs_payload_split(e, plain, n, fp, fl);
	for (size_t i = 0; i < e->nfields && !rc; i++) {
		if (!fp[i])
			continue;
		int col = e->col_of[i];
		if (col >= 0 && !(r->v[col].type == FS_VNULL || (r->v[col].type == FS_VTEXT && r->v[col].n == 0)))
			continue; /* restricted text already open (the store's row hook) */
		if (col >= 0)
			rc = rec_set_bytes(r, col, FS_VTEXT, fp[i], fl[i]);
		else if (!(r->plain[i] = strndup(fp[i], fl[i])))
			rc = FS_ENOMEM;
	}
	r->sealed_dirty = 0;
	return rc;
}
