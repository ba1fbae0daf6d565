/* limitation.c - the watch's limitation periods by kind other than money (KZ
 * Art. 160: reinstatement, conciliation commission): for every terminated
 * employment in scope, the deadline of each kind the organization's rule set
 * has, counted as passed, near or open on the watch's date. Money claims carry
 * their own deadline (claims.limitation_date) and are counted by claims.c. */
#include "internal.h"
#include "rules.h"

#include <string.h>

struct lim_ud {
	const struct fs_rules *r;
	fs_date as_of;
	json_t *out; /* kind -> {months, employments, passed, near, open, next_deadline} */
	int rc;
};

static int lim_cb(void *p, const struct fs_value *v)
{
	struct lim_ud *u = p;
	char ts[16];
	fs_date terminated;
	if (v[1].type != FS_VTEXT || v[1].n >= sizeof(ts))
		return 0;
	memcpy(ts, v[1].p, v[1].n);
	ts[v[1].n] = '\0';
	if (fs_date_parse(ts, &terminated, NULL, NULL))
		return 0;
	struct fs_entitle_in in;
	fs_entitle_init(&in);
	fs_entitle_set(&in, "jurisdiction", u->r->jurisdiction, NULL);
	in.terminated = terminated;
	const char *kind;
	json_t *table;
	json_object_foreach(json_object_get(u->r->root, "limitation_by_kind"), kind, table) {
		if (!strcmp(kind, "money"))
			continue;
		fs_date deadline;
		int months = 0;
		if (fs_entitle_deadline_of(&in, kind, &deadline, &months, NULL))
			continue;
		json_t *k = json_object_get(u->out, kind);
		if (!k) {
			k = json_pack("{s:i,s:i,s:i,s:i,s:i,s:n}", "months", months, "employments", 0, "passed", 0, "near", 0, "open",
				      0, "next_deadline");
			json_object_set_new(u->out, kind, k);
		}
		const char *status = deadline < u->as_of ? "passed" : deadline - u->as_of <= 30 ? "near" : "open";
		json_object_set_new(k, "employments", json_integer(json_integer_value(json_object_get(k, "employments")) + 1));
		json_object_set_new(k, status, json_integer(json_integer_value(json_object_get(k, status)) + 1));
		const char *next = json_string_value(json_object_get(k, "next_deadline"));
		char ds[11];
		fs_date_format(deadline, ds);
		if (deadline >= u->as_of && (!next || strcmp(ds, next) < 0))
			json_object_set_new(k, "next_deadline", json_string(ds));
	}
	fs_entitle_done(&in);
	return 0;
}

int fs_watch_limitation(struct fs_ctx *ctx, int64_t workplace, fs_date as_of, json_t **ret, struct fs_error *err)
{
	struct lim_ud u = {.as_of = as_of};
	*ret = json_object();
	if (fs_rules_get(ctx->org_country, &u.r, NULL) || !json_object_get(u.r->root, "limitation_by_kind"))
		return 0; /* no rule set or no periods by kind (TR): nothing to count */
	u.out = *ret;
	static const char *const cols[] = {"id", "terminated"};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"workplace_id", FS_EQ, fs_vint(workplace)}};
	struct fs_query q = {.table = &fs_entity_find("employment")->table, .filters = f, .nfilters = workplace > 0 ? 2 : 1,
			     .columns = cols, .ncolumns = 2};
	int rc = fs_store_select(ctx->st, &q, lim_cb, &u, err);
	if (rc) {
		json_decref(*ret);
		*ret = NULL;
	}
	return rc;
}
