/* checkpoint_due.c - the scheduled checkpoints: one signed checkpoint of each
 * organization's log whose size grew since its latest checkpoint (none made for a
 * log that did not grow), kept in the database, where the public route serves
 * the latest (checkpoint.c). `fairshare serve --checkpoint-every` calls it. */
#include "internal.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

struct ids_ud {
	int64_t *ids;
	size_t n, cap;
	int rc;
};

static int ids_cb(void *p, const struct fs_value *v)
{
	struct ids_ud *u = p;
	if (fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 16))
		return u->rc = FS_ENOMEM, 1;
	u->ids[u->n++] = v[0].i;
	return 0;
}

static int size_cb(void *p, const struct fs_value *v)
{
	*(int64_t *)p = v[0].i;
	return 1;
}

static const struct fs_column cp_cols[] = {{"id", FS_VINT}, {"org_id", FS_VINT}, {"size", FS_VINT}};
static const struct fs_table cp_table = {"checkpoints", cp_cols, 3};

/* Is org's log larger than its latest checkpoint saw? */
static int grew(struct fs_ctx *ctx, int64_t org, int *yes, struct fs_error *err)
{
	int64_t size = 0, seen = 0;
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(org)};
	static const char *const cols[] = {"size"};
	struct fs_query q = {.table = &cp_table, .filters = &f, .nfilters = 1, .descending = 1, .limit = 1,
			     .columns = cols, .ncolumns = 1, .raw = 1};
	int rc = fs_read_begin(ctx, err);
	if (rc)
		return rc;
	if (!(rc = fs_log_size(ctx, org, &size, err)))
		rc = fs_store_select(ctx->st, &q, size_cb, &seen, err);
	fs_read_end(ctx);
	*yes = size > seen;
	return rc;
}

int fs_checkpoints_due(struct fs_ctx *ctx, const char *key_path, int *made, struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_lookup("organization");
	static const char *const cols[] = {"id"};
	struct fs_query q = {.table = &e->table, .columns = cols, .ncolumns = 1, .raw = 1};
	struct ids_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, ids_cb, &u, err);
	if (!rc)
		rc = u.rc;
	*made = 0;
	int64_t saved = ctx->org_id;
	for (size_t i = 0; !rc && i < u.n; i++) {
		int yes = 0;
		char *text = NULL;
		if ((rc = grew(ctx, u.ids[i], &yes, err)) || !yes)
			continue;
		ctx->org_id = u.ids[i];
		rc = fs_checkpoint_sign(ctx, key_path, 1, &text, err);
		ctx->org_id = saved;
		free(text);
		*made += !rc;
	}
	free(u.ids);
	return rc;
}
