/* custody.c - who is in custody now beside the prisoner list of legal cases
 * (record.c): every detention not yet released, whatever its case, with its
 * whereabouts, the unknown ones first. A detention the principal may not read
 * is left out, as everywhere (handling.c). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct det_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	json_t *unknown, *known;
	int public_only, rc;
	struct fs_hcache *cache;
};

static int detained_cb(void *p, const struct fs_value *v)
{
	struct det_ud *u = p;
	const struct fs_entity *e = u->e;
	if (fs_col_text(e, v, "released_at") || !fs_row_shown(u->ctx, e, v, u->public_only, u->cache))
		return 0;
	const char *w = fs_col_text(e, v, "whereabouts");
	int64_t person = v[e->col_of[fs_field_index(e, "person_id")]].i;
	char name[256];
	fs_person_name(u->ctx, person, name, sizeof(name));
	json_t *o = json_pack("{s:I,s:I,s:s,s:s?,s:s,s:s?,s:b}", "detention_id", (json_int_t)v[0].i, "person_id",
			      (json_int_t)person, "name", name, "arrested_at", fs_col_text(e, v, "arrested_at"), "whereabouts",
			      w ? w : "unknown", "whereabouts_since", fs_col_text(e, v, "whereabouts_since"), "lawyer_access",
			      v[e->col_of[fs_field_index(e, "lawyer_access")]].i != 0);
	json_t *to = !w || !strcmp(w, "unknown") ? u->unknown : u->known; /* a missing value counts as unknown */
	if (!o || json_array_append_new(to, o))
		return u->rc = FS_ENOMEM, 1;
	return 0;
}

int fs_record_detained(struct fs_ctx *ctx, int public_only, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	struct det_ud u = {.ctx = ctx, .e = fs_entity_find("detention"), .unknown = json_array(), .known = json_array(),
			   .public_only = public_only, .cache = calloc(1, sizeof(struct fs_hcache))};
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &u.e->table, .filters = &f, .nfilters = 1, .order_by = "arrested_at"};
	int rc = u.unknown && u.known && u.cache ? fs_select_rows(ctx, &q, detained_cb, &u, &u.rc, err) : FS_ENOMEM;
	free(u.cache);
	if (!rc && json_array_extend(u.unknown, u.known))
		rc = FS_ENOMEM;
	json_decref(u.known);
	if (rc) {
		json_decref(u.unknown);
		return rc;
	}
	*ret = u.unknown;
	return 0;
}
