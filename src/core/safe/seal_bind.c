/* seal_bind.c - binding the seals of an older database to their rows.
 *
 * Before schema 22 a sealed value's associated data named its table only, so a
 * blob moved to another row of the same table (with the row hashes and the
 * journal recomputed) opened there as that row's value. Since then it names
 * table, row id and column (keys.c, fs_seal_ad). An older database's seals are
 * opened with the old associated data and sealed again with the new, in batches
 * of rows: each batch is one transaction that also records how far it got, so a
 * run killed at any point is resumed by the next open; every row sealed again
 * gets a 'migrate' journal entry (the row hash covers the seal). Only when the
 * last table is done does the database say so (journal_shape 21); from then on a
 * seal bound to its table only is refused like an altered one. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define META_PROGRESS "seal_bind_progress"
#define SHAPE_BOUND "21"

struct bind_ud {
	int64_t *ids;
	size_t n, cap;
	int64_t last; /* the last id looked at */
	int rc;
};

static int legacy_cb(void *p, const struct fs_value *v)
{
	struct bind_ud *u = p;
	u->last = v[0].i;
	const unsigned char *b = v[1].p;
	if (v[1].type != FS_VBLOB || !v[1].n || (b[0] != FS_SEAL_DATA && b[0] != FS_SEAL_PERSON))
		return 0;
	if (fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 1024))
		return u->rc = FS_ENOMEM, 1;
	u->ids[u->n++] = v[0].i;
	return 0;
}

static int bind_row(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &e->table, id, &row, err);
	if (rc)
		return rc;
	if (e->person_col == 0 && fs_person_forgotten(ctx, id)) {
		fs_row_free(&row); /* nothing left to open, nothing sealed for them again */
		return 0;
	}
	/* the row as its journal says it is, or a mismatch kept in the journal (reshape_check.c) */
	int differs = fs_reshape_row_check(ctx, e, row.vals, 1000, err);
	if (differs < 0) {
		fs_row_free(&row);
		return differs;
	}
	struct fs_rec r;
	rc = rec_from_values_ex(ctx, &r, e, row.vals, 1, err);
	fs_row_free(&row);
	if (!rc)
		rc = rec_reseal(ctx, &r, err);
	if (!rc)
		rc = fs_store_update(ctx->st, &e->table, r.v, err);
	if (!rc)
		rc = fs_journal_append(ctx, differs ? "mismatch" : "migrate", NULL, &r, err);
	rec_done(&r);
	return rc;
}

/* One batch: returns 1 when every table is done, 0 when there is more, or an error. */
static int bind_batch(struct fs_ctx *ctx, int64_t batch, struct fs_error *err)
{
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int rc = fs_store_meta_get(ctx->st, "journal_shape", &v, NULL);
	int done = !rc && v.data && strtol(v.data, NULL, 10) >= strtol(SHAPE_BOUND, NULL, 10); /* another run finished it */
	fs_buf_reset(&v);
	long k = 0;
	long long last = 0;
	rc = done ? 0 : fs_store_meta_get(ctx->st, META_PROGRESS, &v, NULL);
	if (!done && !rc && v.data) {
		char *end;
		k = strtol(v.data, &end, 10);
		last = *end == ' ' ? strtoll(end + 1, &end, 10) : -1;
		if (k < 0 || k > (long)fs_nentities || last < 0 || *end)
			rc = fs_fail(err, FS_EINTEGRITY, "db", "the progress note of the seals' binding is unreadable (%.40s)",
				     v.data);
	} else if (rc == FS_ENOTFOUND) {
		rc = 0;
	}
	fs_buf_done(&v);
	if (done || rc)
		return rc ? rc : 1;
	while (k < (long)fs_nentities && fs_entities[k]->sealed_col < 0)
		k++, last = 0;
	if (k == (long)fs_nentities) {
		rc = fs_store_meta_set(ctx->st, "journal_shape", SHAPE_BOUND, err);
		if (!rc)
			rc = fs_store_meta_set(ctx->st, META_PROGRESS, "", err);
		return rc ? rc : 1;
	}
	const struct fs_entity *e = fs_entities[k];
	struct bind_ud u = {.last = last};
	const char *cols[] = {"id", "sealed"};
	struct fs_filter f = {"id", FS_GE, fs_vint(last + 1)};
	struct fs_query q = {.table = &e->table, .filters = &f, .nfilters = 1, .limit = batch, .columns = cols,
			     .ncolumns = 2, .order_by = "id"};
	int64_t before = u.last;
	rc = fs_store_select(ctx->st, &q, legacy_cb, &u, err);
	if (!rc)
		rc = u.rc;
	for (size_t i = 0; !rc && i < u.n; i++)
		rc = bind_row(ctx, e, u.ids[i], err);
	free(u.ids);
	char prog[64];
	int more = u.last != before; /* rows were looked at: there may be more after them */
	snprintf(prog, sizeof(prog), "%ld %lld", more ? k : k + 1, more ? (long long)u.last : 0LL);
	if (!rc)
		rc = fs_store_meta_set(ctx->st, META_PROGRESS, prog, err);
	return rc;
}

int fs_seal_bind(struct fs_ctx *ctx, int64_t batch, struct fs_error *err)
{
	char saved[FS_ACTOR_MAX];
	snprintf(saved, sizeof(saved), "%s", ctx->actor);
	fs_set_actor(ctx, "fairshare-migrate");
	ctx->seal_legacy = 1;
	int rc = 0;
	for (int finished = 0; !rc && !finished;) {
		rc = fs_tx_begin(ctx, err);
		if (!rc) {
			rc = bind_batch(ctx, batch > 0 ? batch : 1000, err);
			finished = rc == 1;
			rc = fs_tx_end(ctx, rc < 0 ? rc : 0, err);
		}
		fs_pkeys_wipe(ctx);
	}
	if (!rc)
		ctx->seal_legacy = 0;
	fs_set_actor(ctx, saved);
	return rc;
}
