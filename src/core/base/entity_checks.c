/* entity_checks.c - what the entities' checks share (each domain's *_defs.c):
 * a field's text, two dates in order, the defaults of currency and text, and
 * a field of a referenced row (entity_int.h). */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"
#include "entity_int.h"
#include "policy.h"

const char *chk_text(const struct fs_rec *r, const char *field)
{
	const struct fs_value *v = rec_field(r, field);
	return v && v->type == FS_VTEXT ? v->p : NULL;
}

int chk_dates_in_order(const struct fs_rec *r, const char *from, const char *to, struct fs_error *err)
{
	const char *a = chk_text(r, from), *b = chk_text(r, to);
	if (a && b && strcmp(a, b) > 0)
		return fs_fail(err, FS_EINVAL, to, "%s (%s) is before %s (%s)", to, b, from, a);
	return 0;
}

int chk_default_currency(struct fs_ctx *ctx, struct fs_rec *r)
{
	const struct fs_value *cur = rec_field(r, "currency");
	if (cur->type == FS_VNULL && ctx->org_currency[0]) {
		int ci = r->e->col_of[fs_field_index(r->e, "currency")];
		return rec_set_bytes(r, ci, FS_VTEXT, ctx->org_currency, strlen(ctx->org_currency));
	}
	return 0;
}

int chk_default_text(struct fs_rec *r, const char *field, const char *value)
{
	const struct fs_value *v = rec_field(r, field);
	if (v->type != FS_VNULL)
		return 0;
	return rec_set_bytes(r, r->e->col_of[fs_field_index(r->e, field)], FS_VTEXT, value, strlen(value));
}

int64_t chk_ref_field(struct fs_ctx *ctx, const char *entity, int64_t id, const char *field)
{
	const struct fs_entity *e = fs_entity_lookup(entity);
	struct fs_row row;
	if (fs_store_get(ctx->st, &e->table, id, &row, NULL))
		return -1;
	const struct fs_value *v = &row.vals[e->col_of[fs_field_index(e, field)]];
	int64_t out = v->type == FS_VINT ? v->i : 0;
	fs_row_free(&row);
	return out;
}

/* A text field of a referenced row into out ("" when empty). */
int chk_ref_text(struct fs_ctx *ctx, const char *entity, int64_t id, const char *field, char *out, size_t cap)
{
	const struct fs_entity *e = fs_entity_lookup(entity);
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, id, &row, NULL);
	if (rc)
		return rc;
	const struct fs_value *v = &row.vals[e->col_of[fs_field_index(e, field)]];
	out[0] = 0;
	if (v->type == FS_VTEXT)
		snprintf(out, cap, "%.*s", (int)v->n, (const char *)v->p);
	fs_row_free(&row);
	return 0;
}
