/* rec_store.c - a record stored and journaled: inserted (sealed first with the
 * id it will get: the seal names its row) or updated, and its journal entry (or
 * its batch's) written in the same transaction. Above records.c (which parses,
 * checks and seals a record and calls no journal) and the journal. */
#include "internal.h"

/* The row inserted; with want (> 0, the id its seal names) it must get that id:
 * a sequence's number the insert names (PostgreSQL), else checked after it. */
static int insert_at(struct fs_ctx *ctx, struct fs_rec *r, int64_t want, int64_t *id, struct fs_error *err)
{
	int rc;
	if (want && ctx->st->ops->next_id) { /* a sequence's number: the insert names it */
		rc = fs_store_insert_id(ctx->st, &r->e->table, r->v, err);
		*id = want;
	} else {
		rc = fs_store_insert(ctx->st, &r->e->table, r->v, id, err);
	}
	if (!rc && want && *id != want)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "a new %s got id %lld, not %lld as its seal says", r->e->name,
			     (long long)*id, (long long)want);
	return rc;
}

int rec_insert(struct fs_ctx *ctx, struct fs_rec *r, int64_t *ret_id, struct fs_error *err)
{
	int64_t id, want = 0;
	int rc = 0;
	int any_plain = 0;
	for (size_t i = 0; i < r->e->nfields && r->e->sealed_col >= 0; i++)
		any_plain |= r->plain[i] != NULL;
	if (any_plain) { /* the seal names the row: sealed with the id the row will get */
		if (r->want_id > 0)
			want = r->want_id;
		else
			rc = fs_next_id(ctx, &r->e->table, &want, err);
		r->v[0] = fs_vint(want);
		if (!rc)
			rc = rec_seal(ctx, r, err);
		if (rc)
			return rc;
	}
	if ((rc = insert_at(ctx, r, want, &id, err)))
		return rc;
	r->v[0] = fs_vint(id);
	if ((rc = ctx->batch ? fs_batch_add(ctx, r, err) : fs_journal_append(ctx, "create", NULL, r, err)))
		return rc;
	if (ret_id)
		*ret_id = id;
	return 0;
}

int rec_insert_sealed(struct fs_ctx *ctx, struct fs_rec *r, const unsigned char *hash, int64_t *ret_id,
		      struct fs_error *err)
{
	int64_t want = r->v[0].type == FS_VINT ? r->v[0].i : 0, id;
	if (want <= 0)
		return fs_fail(err, FS_EINVAL, NULL, "a sealed new %s names no id", r->e->name);
	int rc = insert_at(ctx, r, want, &id, err);
	if (rc)
		return rc;
	r->v[0] = fs_vint(id);
	if ((rc = ctx->batch ? fs_batch_add_hashed(ctx, r, hash, err) : fs_journal_append(ctx, "create", NULL, r, err)))
		return rc;
	if (ret_id)
		*ret_id = id;
	return 0;
}

int rec_update(struct fs_ctx *ctx, const struct fs_rec *before, struct fs_rec *after, struct fs_error *err)
{
	int rc = fs_store_update(ctx->st, &after->e->table, after->v, err);
	return rc ? rc : fs_journal_append(ctx, "update", before, after, err);
}
