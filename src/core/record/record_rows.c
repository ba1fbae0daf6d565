/* record_rows.c - what the record's files share to read rows: a person's name,
 * one read snapshot over a query, a column's text. record.c, custody.c and
 * dup_links.c call these; these call none of them, so calls go one way. */
#include "internal.h"

#include <stdio.h>

/* A person's name (not sealed), or "" when the record cannot be read. */
void fs_person_name(struct fs_ctx *ctx, int64_t id, char *out, size_t cap)
{
	const struct fs_entity *pe = fs_entity_find("person");
	struct fs_row row;
	out[0] = '\0';
	if (!fs_store_get(ctx->st, &pe->table, id, &row, NULL)) {
		const struct fs_value *n = &row.vals[pe->col_of[fs_field_index(pe, "full_name")]];
		snprintf(out, cap, "%.*s", (int)n->n, (const char *)n->p);
		fs_row_free(&row);
	}
}

/* One read snapshot over q; *cb_rc is what the callback failed with. */
int fs_select_rows(struct fs_ctx *ctx, const struct fs_query *q, fs_row_cb cb, void *ud, const int *cb_rc,
		       struct fs_error *err)
{
	int rc = fs_read_begin(ctx, err);
	if (rc)
		return rc;
	rc = fs_store_select(ctx->st, q, cb, ud, err);
	fs_read_end(ctx);
	return rc ? rc : *cb_rc;
}

const char *fs_col_text(const struct fs_entity *e, const struct fs_value *v, const char *field)
{
	const struct fs_value *x = &v[e->col_of[fs_field_index(e, field)]];
	return x->type == FS_VTEXT ? x->p : NULL;
}
