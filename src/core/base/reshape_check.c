/* reshape_check.c - a row is compared with its journal before a migration
 * journals it anew.
 *
 * A migration that reshapes rows (ctx.c: columns added, restricted text sealed;
 * seal_bind.c: seals bound to their rows) appends a new entry for each row it
 * touches. Were the row taken as it stands, a row changed outside fairshare
 * before the upgrade would be journaled in its changed form and verify
 * afterwards. So each row is first hashed in the shape it had when its last
 * entry was written (the columns the migrations after that shape added left
 * out) and compared with that entry's row hash (or the hash a batch bound). A row
 * that differs is journaled with the action 'mismatch' instead of 'migrate':
 * verify names every such entry from then on (journal.c). */
#include "internal.h"

#include <string.h>

/* The columns that migrations gave journaled tables, by the migration that added
 * them (schema_sqlite.h): a row journaled before it was hashed without them. */
static const struct {
	int version;
	const char *table, *column;
} added[] = {
	{15, "incidents", "action_id"},        {15, "incidents", "stage_id"},         {15, "evidence", "kind"},
	{16, "employments", "accruals_12m_minor"}, {16, "employments", "days_worked_12m"},
	{16, "employments", "unused_leave_days"}, {17, "incidents", "sealed"},      {17, "assessments", "sealed"},
	{17, "detentions", "sealed"},          {17, "actions", "sealed"},             {17, "action_stages", "sealed"},
	{17, "demands", "sealed"},             {17, "hearings", "sealed"},            {19, "funds", "rolling_limit_minor"},
};

static int added_after(const char *table, const char *column, int shape)
{
	for (size_t i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		if (added[i].version > shape && !strcmp(added[i].table, table) && !strcmp(added[i].column, column))
			return 1;
	return 0;
}

struct last_ud {
	int found, deleted;
	int64_t seq;
	unsigned char hash[FS_HASH_BYTES];
};

static int is(const struct fs_value *v, const char *s)
{
	size_t n = strlen(s);
	return v->type == FS_VTEXT && v->n == n && !memcmp(v->p, s, n);
}

static int last_cb(void *p, const struct fs_value *v)
{
	struct last_ud *u = p;
	static const char *const none[] = {"view", "transfers", "custody", "token", "forget", "rotate", "log", "batch"};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (is(&v[FS_J_ACTION], none[i]))
			return 0; /* entries that change no row (as verify skips them) */
	u->found = 1;
	u->seq = v[FS_J_SEQ].i;
	u->deleted = v[FS_J_ROW_HASH].type != FS_VBLOB || v[FS_J_ROW_HASH].n != FS_HASH_BYTES;
	if (!u->deleted)
		memcpy(u->hash, v[FS_J_ROW_HASH].p, FS_HASH_BYTES);
	return 1;
}

int fs_reshape_row_check(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *v, int shape,
			 struct fs_error *err)
{
	struct fs_filter f[2] = {{"entity", FS_EQ, fs_vtext(e->name)}, {"entity_id", FS_EQ, fs_vint(v[0].i)}};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = 2, .descending = 1};
	struct last_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, last_cb, &u, err);
	if (!rc && !u.found) { /* created by bulk work and not changed since: the hash its batch bound */
		int64_t bseq = 0;
		rc = fs_batch_created(ctx, e, v[0].i, &bseq, u.hash, err);
		u.found = bseq != 0;
	}
	if (rc)
		return rc;
	if (!u.found || u.deleted)
		return 1; /* a row the journal never had, or one it says was deleted */
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values(e->table.name, v, e->table.ncols, h);
	if (!memcmp(h, u.hash, FS_HASH_BYTES))
		return 0;
	struct fs_value old[FS_MAX_COLS];
	size_t n = 0;
	for (size_t i = 0; i < e->table.ncols && n < FS_MAX_COLS; i++)
		if (!added_after(e->table.name, e->table.cols[i].name, shape))
			old[n++] = v[i];
	fs_hash_values(e->table.name, old, n, h);
	return memcmp(h, u.hash, FS_HASH_BYTES) != 0;
}
