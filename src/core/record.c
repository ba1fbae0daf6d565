/* record.c - the record of repression; first part: finding the same person in
 * records spelled differently (Fellegi-Sunter style blocking on a cross-script
 * name key, compared on birth year), with reversible link decisions. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../util/translit.h"

struct cand {
	char *key;
	int64_t id;
	int birth_year; /* 0 = unknown */
	char *name;
};

struct dup_ud {
	struct fs_ctx *ctx;
	struct cand *c;
	size_t n, cap;
	int rc;
	struct fs_error *err;
};

static int dup_cb(void *p, const struct fs_value *v)
{
	struct dup_ud *u = p;
	const struct fs_entity *e = fs_entity_find("person");
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 1024;
		struct cand *n = realloc(u->c, cap * sizeof(*n));
		if (!n)
			return u->rc = FS_ENOMEM, 1;
		u->c = n;
		u->cap = cap;
	}
	struct fs_rec r;
	if ((u->rc = rec_from_values(u->ctx, &r, e, v, u->err)))
		return 1;
	const struct fs_value *name = rec_field(&r, "full_name");
	struct fs_buf key;
	fs_buf_init(&key, 4096);
	u->rc = fs_name_key(name->p, name->n, &key);
	const char *birth = rec_sealed(&r, "birth_date");
	struct cand *c = &u->c[u->n];
	c->id = v[0].i;
	c->birth_year = birth ? (int)strtol(birth, NULL, 10) : 0;
	c->key = fs_buf_take(&key);
	c->name = strndup(name->p, name->n);
	rec_done(&r);
	if (!c->key || !c->name) {
		free(c->key);
		free(c->name);
		return u->rc = FS_ENOMEM, 1;
	}
	u->n++;
	return u->rc != 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int k = strcmp(x->key, y->key);
	return k ? k : (x->id < y->id ? -1 : x->id > y->id);
}

struct linked {
	int64_t a, b;
};

static int link_cb(void *p, const struct fs_value *v)
{
	json_t *set = p;
	char k[48];
	const struct fs_entity *e = fs_entity_find("link");
	snprintf(k, sizeof(k), "%lld-%lld", (long long)v[e->col_of[fs_field_index(e, "person_a")]].i,
		 (long long)v[e->col_of[fs_field_index(e, "person_b")]].i);
	json_object_set_new(set, k, json_true());
	return 0;
}

int fs_record_duplicates(struct fs_ctx *ctx, int64_t limit, json_t **ret, struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	const struct fs_entity *pe = fs_entity_find("person"), *le = fs_entity_find("link");
	struct dup_ud u = {.ctx = ctx, .err = err};
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &pe->table, .filters = &f, .nfilters = 1};
	int rc = fs_store_select(ctx->st, &q, dup_cb, &u, err);
	if (!rc)
		rc = u.rc;
	json_t *decided = json_object();
	struct fs_query lq = {.table = &le->table, .filters = &f, .nfilters = 1};
	if (!rc)
		rc = fs_store_select(ctx->st, &lq, link_cb, decided, err);
	json_t *pairs = json_array();
	int64_t total = 0;
	if (!rc && u.n)
		qsort(u.c, u.n, sizeof(*u.c), cand_cmp);
	/* blocks of the same key; within a block, pairs whose birth years agree or are unknown */
	for (size_t i = 0; !rc && i < u.n;) {
		size_t j = i;
		while (j < u.n && !strcmp(u.c[j].key, u.c[i].key))
			j++;
		for (size_t a = i; a < j && j - i <= 50; a++)
			for (size_t b = a + 1; b < j; b++) {
				struct cand *x = &u.c[a], *y = &u.c[b];
				if (x->birth_year && y->birth_year && x->birth_year != y->birth_year)
					continue;
				char k[48];
				snprintf(k, sizeof(k), "%lld-%lld", (long long)x->id, (long long)y->id);
				if (json_object_get(decided, k))
					continue;
				total++;
				if (limit <= 0 || (int64_t)json_array_size(pairs) < limit)
					json_array_append_new(pairs, json_pack("{s:I,s:s,s:I,s:s,s:s,s:f,s:s}", "person_a", (json_int_t)x->id,
									       "name_a", x->name, "person_b", (json_int_t)y->id, "name_b", y->name,
									       "key", x->key, "score", x->birth_year && y->birth_year ? 1.0 : 0.8,
									       "basis", x->birth_year && y->birth_year ? "same name key and birth year"
														      : "same name key; birth year unknown"));
			}
		i = j;
	}
	for (size_t i = 0; i < u.n; i++) {
		free(u.c[i].key);
		free(u.c[i].name);
	}
	free(u.c);
	json_decref(decided);
	if (rc) {
		json_decref(pairs);
		return rc;
	}
	*ret = json_pack("{s:I,s:I,s:o}", "people", (json_int_t)u.n, "pairs_total", (json_int_t)total, "pairs", pairs);
	return 0;
}
