/* record.c - the record of repression; first part: finding the same person in
 * records spelled differently (Fellegi-Sunter style blocking on a cross-script
 * name key, compared on birth year), with reversible link decisions. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/sort.h"
#include "util/translit.h"
#include "policy.h"

struct cand {
	char *key;
	int64_t id;
	int birth_year; /* 0 = unknown */
	char *place;    /* cross-script key of the birth place, NULL = unknown */
	char *name;
	char *place_text; /* the birth place as written, NULL = unknown */
};

struct dup_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *person;
	struct cand *c;
	size_t n, cap;
	int rc;
	struct fs_error *err;
};

static int dup_cb(void *p, const struct fs_value *v)
{
	struct dup_ud *u = p;
	const struct fs_entity *e = u->person;
	if (fs_grow(&u->c, &u->cap, u->n, sizeof(*u->c), 1024))
		return u->rc = FS_ENOMEM, 1;
	struct fs_rec r;
	if ((u->rc = rec_from_values(u->ctx, &r, e, v, u->err)))
		return 1;
	const struct fs_value *name = rec_field(&r, "full_name");
	struct fs_buf key;
	fs_buf_init(&key, 4096);
	u->rc = fs_name_key(name->p, name->n, &key);
	const char *birth = rec_sealed(&r, "birth_date"), *place = rec_sealed(&r, "birth_place");
	struct cand *c = &u->c[u->n];
	c->id = v[0].i;
	c->birth_year = birth ? (int)strtol(birth, NULL, 10) : 0;
	c->key = fs_buf_take(&key);
	c->place = NULL;
	if (place && !u->rc) {
		fs_buf_init(&key, 1024);
		u->rc = fs_name_key(place, strlen(place), &key);
		c->place = fs_buf_take(&key);
	}
	c->name = strndup(name->p, name->n);
	c->place_text = place ? strdup(place) : NULL;
	rec_done(&r);
	if (!c->key || !c->name || (place && (!c->place || !c->place_text))) {
		free(c->key);
		free(c->name);
		free(c->place);
		free(c->place_text);
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

static int latest_level_cb(void *p, const struct fs_value *v)
{
	struct fs_imap *m = p;
	int64_t *slot = fs_imap_slot(m, v[0].i, 1);
	if (!slot)
		return 1;
	for (int i = 0; fs_verification_levels[i]; i++) /* ordered by id: the latest wins */
		if (strlen(fs_verification_levels[i]) == v[1].n && !memcmp(fs_verification_levels[i], v[1].p, v[1].n))
			*slot = i + 1;
	return 0;
}

/* Each pair gets the latest identity assessment of either record
 * (identity_a, identity_b: r0 ... du), so a reviewer sees what is settled. */
static int identity_levels(struct fs_ctx *ctx, json_t *pairs, struct fs_error *err)
{
	if (!json_array_size(pairs))
		return 0;
	struct fs_imap m = {0};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"subject", FS_EQ, fs_vtext("person")}};
	static const char *const cols[] = {"subject_id", "level"};
	struct fs_query q = {.table = &fs_entity_find("assessment")->table, .filters = f, .nfilters = 2, .columns = cols,
			     .ncolumns = 2, .order_by = "id"};
	int rc = fs_store_select(ctx->st, &q, latest_level_cb, &m, err);
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p) {
		for (int side = 0; !rc && side < 2; side++) {
			int64_t *lv = fs_imap_slot(&m, json_integer_value(json_object_get(p, side ? "person_b" : "person_a")), 0);
			if (lv && *lv && json_object_set_new(p, side ? "identity_b" : "identity_a",
							     json_string(fs_verification_levels[*lv - 1])))
				rc = FS_ENOMEM;
		}
	}
	fs_imap_free(&m);
	return rc;
}

int fs_record_duplicates(struct fs_ctx *ctx, int64_t limit, json_t **ret, struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (!fs_can(ctx, "record.review"))
		return fs_fail(err, FS_EPERM, NULL, "your role cannot review the record (it needs record.review)");
	const struct fs_entity *pe = fs_entity_find("person"), *le = fs_entity_find("link");
	struct dup_ud u = {.ctx = ctx, .person = pe, .err = err};
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &pe->table, .filters = &f, .nfilters = 1};
	int rc = fs_store_select(ctx->st, &q, dup_cb, &u, err);
	if (!rc)
		rc = u.rc;
	json_t *decided = json_object();
	struct link_ud lu = {.ctx = ctx, .set = decided, .decided = json_array(), .cache = calloc(1, sizeof(struct fs_hcache))};
	struct fs_query lq = {.table = &le->table, .filters = &f, .nfilters = 1};
	if (!rc && (!lu.decided || !lu.cache))
		rc = FS_ENOMEM;
	if (!rc)
		rc = fs_store_select(ctx->st, &lq, fs_dup_link_cb, &lu, err);
	free(lu.cache);
	if (!rc) {
		int64_t *ids = calloc(u.n + 1, sizeof(*ids));
		char **names = calloc(u.n + 1, sizeof(*names));
		for (size_t i = 0; ids && names && i < u.n; i++)
			ids[i] = u.c[i].id, names[i] = u.c[i].name;
		if (ids && names)
			fs_dup_name_decided(lu.decided, ids, names, u.n);
		else
			rc = FS_ENOMEM;
		free(ids);
		free(names);
	}
	/* birth year and place are sealed fields: shown to who may reveal them */
	int reveal = fs_can(ctx, "people.reveal");
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
				if (limit > 0 && (int64_t)json_array_size(pairs) >= limit)
					continue;
				/* the name key blocks; a birth year that agrees adds weight, a
				 * birth place that agrees a little more, one that differs takes
				 * weight away (people move, places are spelt many ways) */
				int year = x->birth_year && y->birth_year, places = x->place && y->place;
				int same_place = places && !strcmp(x->place, y->place);
				double score = (year ? 0.9 : 0.7) + (same_place ? 0.1 : places ? -0.2 : 0.0);
				char basis[120];
				snprintf(basis, sizeof(basis), "same name key%s%s%s", year ? " and birth year" : "; birth year unknown",
					 same_place ? "; same birth place" : places ? "; birth places differ" : "", "");
				json_t *pair = json_pack("{s:I,s:s,s:I,s:s,s:s,s:f,s:s}", "person_a", (json_int_t)x->id, "name_a",
							 x->name, "person_b", (json_int_t)y->id, "name_b", y->name, "key", x->key,
							 "score", score, "basis", basis);
				if (pair && reveal)
					json_object_update_new(pair, json_pack("{s:o,s:o,s:s?,s:s?}", "birth_year_a",
									       x->birth_year ? json_integer(x->birth_year) : json_null(),
									       "birth_year_b", y->birth_year ? json_integer(y->birth_year) : json_null(),
									       "birth_place_a", x->place_text, "birth_place_b", y->place_text));
				json_array_append_new(pairs, pair);
			}
		i = j;
	}
	for (size_t i = 0; i < u.n; i++) {
		free(u.c[i].key);
		free(u.c[i].name);
		free(u.c[i].place);
		free(u.c[i].place_text);
	}
	free(u.c);
	json_decref(decided);
	if (!rc)
		rc = identity_levels(ctx, pairs, err);
	if (rc) {
		json_decref(pairs);
		json_decref(lu.decided);
		return rc;
	}
	*ret = json_pack("{s:I,s:I,s:o,s:o}", "people", (json_int_t)u.n, "pairs_total", (json_int_t)total, "pairs", pairs,
			 "decided", lu.decided);
	return *ret ? 0 : FS_ENOMEM;
}

/* ---- counting victims ----
 * The unit is one victim x one violation type (x one incident), never a report.
 * A violation's status is its latest assessment (none = R0); a violation, its
 * incident or its victim assessed XD (discounted) or DU (duplicate) is left out.
 * Person records linked as the same person count once (union of 'same' links).
 * Per group: confirmed = unique named victims at R2/R3; contested = at XC (and
 * not confirmed); reported = R0/R1 (and not confirmed or contested), given as a
 * range: the minimum assumes unnamed victims reported for an incident are among
 * the named ones, the maximum that they are all different people. */

/* Fibonacci hashing: the top bits of the product, so ids that differ only in
 * their high bits (or step by an even number) still spread over every slot */
static size_t imap_home(int64_t key, unsigned shift)
{
	return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ULL) >> shift);
}

int64_t *fs_imap_slot(struct fs_imap *m, int64_t key, int insert)
{
	if (insert && (m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		unsigned shift = 64 - (unsigned)__builtin_ctzll(cap);
		struct fs_imap_slot *s = calloc(cap, sizeof(*s));
		if (!s)
			return NULL;
		for (size_t i = 0; i < m->cap; i++)
			if (m->s[i].k) {
				size_t j = imap_home(m->s[i].k, shift);
				while (s[j].k)
					j = (j + 1) & (cap - 1);
				s[j] = m->s[i];
			}
		free(m->s);
		m->s = s;
		m->cap = cap;
		m->shift = shift;
	}
	if (!m->cap)
		return NULL;
	size_t j = imap_home(key, m->shift);
	while (m->s[j].k && m->s[j].k != key)
		j = (j + 1) & (m->cap - 1);
	if (!m->s[j].k) {
		if (!insert)
			return NULL;
		m->s[j].k = key;
		m->s[j].v = 0;
		m->n++;
	}
	return &m->s[j].v;
}

void fs_imap_free(struct fs_imap *m)
{
	free(m->s);
}

enum { LV_R0, LV_R1, LV_R2, LV_R3, LV_XC, LV_XD, LV_DU };

struct act { /* one counted act */
	int32_t group;
	int32_t cat; /* 0 confirmed, 1 contested, 2 reported */
	int64_t person, incident;
	int64_t low, high; /* unnamed: victims_low/high; named: 0 */
};

struct count_ud {
	struct fs_ctx *ctx;
	const char *by;
	int public_only;
	struct fs_imap status[3]; /* incident, violation, person: level + 1 */
	struct fs_imap parent;    /* person -> a smaller id of the same person */
	struct fs_imap inc_key;   /* incident -> index into keys (region or month) */
	struct fs_imap inc_public; /* incident -> 1 when shown */
	struct fs_hcache *hcache;
	json_t *keys;          /* group names, in order of first use */
	json_t *key_index;     /* name -> index */
	json_t *inc_dim;       /* incident dimension values, by index */
	struct gcache {        /* recent group keys: most rows repeat a few */
		char key[200];
		int32_t group;
	} cache[256];
	struct act *a;
	size_t n, cap;
	int rc;
};

static int level_index(const char *s, size_t n)
{
	for (int i = 0; fs_verification_levels[i]; i++)
		if (strlen(fs_verification_levels[i]) == n && !memcmp(fs_verification_levels[i], s, n))
			return i;
	return LV_R0;
}

static int assess_cb(void *p, const struct fs_value *v)
{
	struct count_ud *u = p;
	if (!fs_about_shown(u->ctx, v[0].p, v[0].n, v[1].i, u->hcache))
		return 0; /* an assessment the role may not read weighs nothing */
	int s = v[0].n && ((const char *)v[0].p)[0] == 'i' ? 0 : v[0].n && ((const char *)v[0].p)[0] == 'v' ? 1 : 2;
	int64_t *slot = fs_imap_slot(&u->status[s], v[1].i, 1);
	if (!slot)
		return u->rc = FS_ENOMEM, 1;
	*slot = level_index(v[2].p, v[2].n) + 1; /* ordered by id: the latest wins */
	return 0;
}

static int64_t root_of(struct count_ud *u, int64_t id)
{
	for (int hops = 0; hops < 1000; hops++) {
		int64_t *p = fs_imap_slot(&u->parent, id, 0);
		if (!p || !*p)
			return id;
		id = *p;
	}
	return id;
}

static int samelink_cb(void *p, const struct fs_value *v)
{
	struct count_ud *u = p;
	if (!(v[2].n == 4 && !memcmp(v[2].p, "same", 4)))
		return 0;
	if (!fs_about_shown(u->ctx, "person", 6, v[0].i, u->hcache) || !fs_about_shown(u->ctx, "person", 6, v[1].i, u->hcache))
		return 0; /* a link the role may not read joins nobody */
	int64_t a = root_of(u, v[0].i), b = root_of(u, v[1].i);
	if (a == b)
		return 0;
	int64_t *slot = fs_imap_slot(&u->parent, a > b ? a : b, 1);
	if (!slot)
		return u->rc = FS_ENOMEM, 1;
	*slot = a > b ? b : a;
	return 0;
}

static int intern(json_t *index, json_t *names, const char *s, size_t n, int32_t *ret)
{
	char buf[160];
	snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
	json_t *i = json_object_get(index, buf);
	if (i) {
		*ret = (int32_t)json_integer_value(i);
		return 0;
	}
	*ret = (int32_t)json_array_size(names);
	if (json_array_append_new(names, json_string(buf)) || json_object_set_new(index, buf, json_integer(*ret)))
		return FS_ENOMEM;
	return 0;
}

/* incidents: id, started_on, region, handling, action_id */
static int incident_cb(void *p, const struct fs_value *v)
{
	struct count_ud *u = p;
	int64_t *slot = fs_imap_slot(&u->inc_key, v[0].i, 1), *pub = fs_imap_slot(&u->inc_public, v[0].i, 1);
	if (!slot || !pub)
		return u->rc = FS_ENOMEM, 1;
	/* the incident's level with its action's and stage's (handling.c) */
	*pub = fs_id_shown(u->ctx, fs_entity_find("incident"), v[0].i, u->public_only, u->hcache);
	const char *d = "unknown";
	size_t dn = 7;
	if (!strcmp(u->by, "region") && v[2].type == FS_VTEXT && v[2].n)
		d = v[2].p, dn = v[2].n;
	else if (!strcmp(u->by, "month") && v[1].n >= 7)
		d = v[1].p, dn = 7;
	char idb[24];
	if (!strcmp(u->by, "action")) {
		d = "none", dn = 4;
		if (v[4].type == FS_VINT)
			dn = (size_t)snprintf(idb, sizeof(idb), "%lld", (long long)v[4].i), d = idb;
	}
	int32_t dim;
	if (intern(json_object_get(u->inc_dim, "index"), json_object_get(u->inc_dim, "names"), d, dn, &dim))
		return u->rc = FS_ENOMEM, 1;
	*slot = dim;
	return 0;
}

/* violations: id, incident_id, type, person_id, victims_low, victims_high, occurred_on, handling */
static int violation_cb(void *p, const struct fs_value *v)
{
	struct count_ud *u = p;
	int64_t *ist = fs_imap_slot(&u->status[0], v[1].i, 0), *vst = fs_imap_slot(&u->status[1], v[0].i, 0);
	int ilv = ist ? *ist - 1 : LV_R0, vlv = vst ? *vst - 1 : LV_R0;
	if (ilv == LV_XD || ilv == LV_DU || vlv == LV_XD || vlv == LV_DU)
		return 0;
	/* shown when its incident is and its own level is (public only, or readable by the role) */
	int64_t *pub = fs_imap_slot(&u->inc_public, v[1].i, 0);
	if (!pub || !*pub || !fs_rank_shown(u->ctx, v[7].type == FS_VTEXT ? fs_handling_rank(v[7].p, v[7].n) : FS_HANDLING_DEFAULT,
					     u->public_only))
		return 0;
	int64_t person = 0;
	if (v[3].type == FS_VINT) {
		person = root_of(u, v[3].i);
		int64_t *pst = fs_imap_slot(&u->status[2], v[3].i, 0);
		if (pst && (*pst - 1 == LV_XD))
			return 0;
	}
	char key[200];
	size_t kn = (size_t)snprintf(key, sizeof(key), "%.*s", (int)v[2].n, (const char *)v[2].p);
	if (strcmp(u->by, "type")) {
		const char *dim = "unknown";
		if (!strcmp(u->by, "incident")) {
			char idb[24];
			snprintf(idb, sizeof(idb), "%lld", (long long)v[1].i);
			kn += (size_t)snprintf(key + kn, sizeof(key) - kn, "\t%s", idb);
		} else {
			int64_t *ik = fs_imap_slot(&u->inc_key, v[1].i, 0);
			if (!strcmp(u->by, "month") && v[6].type == FS_VTEXT && v[6].n >= 7) {
				kn += (size_t)snprintf(key + kn, sizeof(key) - kn, "\t%.7s", (const char *)v[6].p);
			} else {
				if (ik)
					dim = json_string_value(json_array_get(json_object_get(u->inc_dim, "names"), (size_t)*ik));
				kn += (size_t)snprintf(key + kn, sizeof(key) - kn, "\t%s", dim ? dim : "unknown");
			}
		}
	}
	if (fs_grow(&u->a, &u->cap, u->n, sizeof(*u->a), 4096))
		return u->rc = FS_ENOMEM, 1;
	struct act *a = &u->a[u->n];
	uint32_t hsh = 2166136261u;
	for (size_t i = 0; i < kn; i++)
		hsh = (hsh ^ (unsigned char)key[i]) * 16777619u;
	struct gcache *slot = &u->cache[hsh & 255];
	if (!slot->key[0] || strcmp(slot->key, key)) {
		if (intern(u->key_index, u->keys, key, kn, &a->group))
			return u->rc = FS_ENOMEM, 1;
		memcpy(slot->key, key, kn + 1);
		slot->group = a->group;
	}
	a->group = slot->group;
	a->cat = vlv == LV_R2 || vlv == LV_R3 ? 0 : vlv == LV_XC ? 1 : 2;
	a->person = person;
	a->incident = v[1].i;
	a->low = person ? 0 : (v[4].type == FS_VINT ? v[4].i : 0);
	a->high = person ? 0 : (v[5].type == FS_VINT ? v[5].i : 0);
	if (!person && !a->high)
		return 0;
	u->n++;
	return 0;
}

/* by group, then person, then category (confirmed first), then incident */
static int act_person_less(const struct act *a, const struct act *b)
{
	if (a->group != b->group)
		return a->group < b->group;
	if (a->person != b->person)
		return a->person < b->person;
	if (a->cat != b->cat)
		return a->cat < b->cat;
	return a->incident < b->incident;
}
FS_SORT_DEFINE(sort_by_person, struct act, act_person_less)

/* by group, then incident, then person */
static int act_incident_less(const struct act *a, const struct act *b)
{
	if (a->group != b->group)
		return a->group < b->group;
	if (a->incident != b->incident)
		return a->incident < b->incident;
	return a->person < b->person;
}
FS_SORT_DEFINE(sort_by_incident, struct act, act_incident_less)

struct gsum {
	int64_t confirmed, contested, named_reported, min_extra, max_extra;
};

/* The action's title into row (not when only public output is asked and the
 * action is not public). */
static int action_title(struct fs_ctx *ctx, int64_t id, int public_only, json_t *row)
{
	const struct fs_entity *e = fs_entity_find("action");
	struct fs_row r;
	if (fs_store_get(ctx->st, &e->table, id, &r, NULL))
		return 0;
	const struct fs_value *t = &r.vals[e->col_of[fs_field_index(e, "title")]];
	int rc = 0;
	if (r.vals[e->org_col].i == ctx->org_id && fs_row_shown(ctx, e, r.vals, public_only, NULL))
		rc = json_object_set_new(row, "title", json_stringn(t->p, t->n)) ? FS_ENOMEM : 0;
	fs_row_free(&r);
	return rc;
}

int fs_record_counts(struct fs_ctx *ctx, const char *by, int public_only, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "record.read", err);
	if (cap_rc)
		return cap_rc;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (!by || !*by)
		by = "type";
	if (strcmp(by, "type") && strcmp(by, "region") && strcmp(by, "month") && strcmp(by, "incident") && strcmp(by, "action"))
		return fs_fail(err, FS_EINVAL, "by", "'%.32s' is not one of: type, action, region, month, incident", by);
	struct count_ud u = {.ctx = ctx, .by = by, .public_only = public_only, .hcache = calloc(1, sizeof(struct fs_hcache))};
	u.keys = json_array();
	u.key_index = json_object();
	u.inc_dim = json_pack("{s:o,s:o}", "index", json_object(), "names", json_array());
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	int rc = u.keys && u.key_index && u.inc_dim && u.hcache ? fs_read_begin(ctx, err) : FS_ENOMEM;
	if (!rc) {
		static const char *const acols[] = {"subject", "subject_id", "level"};
		struct fs_query q = {.table = &fs_entity_find("assessment")->table, .filters = &f, .nfilters = 1,
				     .columns = acols, .ncolumns = 3};
		rc = fs_store_select(ctx->st, &q, assess_cb, &u, err);
		static const char *const lcols[] = {"person_a", "person_b", "decision"};
		struct fs_query lq = {.table = &fs_entity_find("link")->table, .filters = &f, .nfilters = 1,
				      .columns = lcols, .ncolumns = 3};
		if (!rc && !u.rc)
			rc = fs_store_select(ctx->st, &lq, samelink_cb, &u, err);
		static const char *const icols[] = {"id", "started_on", "region", "handling", "action_id"};
		struct fs_query iq = {.table = &fs_entity_find("incident")->table, .filters = &f, .nfilters = 1,
				      .columns = icols, .ncolumns = 5};
		if (!rc && !u.rc)
			rc = fs_store_select(ctx->st, &iq, incident_cb, &u, err);
		static const char *const vcols[] = {"id", "incident_id", "type", "person_id", "victims_low", "victims_high",
						    "occurred_on", "handling"};
		struct fs_query vq = {.table = &fs_entity_find("violation")->table, .filters = &f, .nfilters = 1,
				      .columns = vcols, .ncolumns = 8};
		if (!rc && !u.rc)
			rc = fs_store_select(ctx->st, &vq, violation_cb, &u, err);
		fs_read_end(ctx);
		if (!rc)
			rc = u.rc;
	}
	size_t ng = u.keys ? json_array_size(u.keys) : 0;
	struct gsum *g = rc ? NULL : calloc(ng + 1, sizeof(*g));
	if (!rc && !g)
		rc = FS_ENOMEM;
	if (!rc && u.n) {
		/* unique persons per group; a person counts in the best category only */
		sort_by_person(u.a, u.n);
		for (size_t i = 0; i < u.n; i++) {
			struct act *a = &u.a[i];
			if (!a->person)
				continue;
			if (i && u.a[i - 1].group == a->group && u.a[i - 1].person == a->person)
				continue;
			int64_t *c = a->cat == 0 ? &g[a->group].confirmed : a->cat == 1 ? &g[a->group].contested
											 : &g[a->group].named_reported;
			(*c)++;
		}
		/* unnamed victims per group and incident: at least the largest 'at least'
		 * beyond the named victims of that incident, at most the sum of 'at most' */
		sort_by_incident(u.a, u.n);
		for (size_t i = 0; i < u.n;) {
			size_t j = i;
			int64_t named = 0, low = 0, high = 0;
			while (j < u.n && u.a[j].group == u.a[i].group && u.a[j].incident == u.a[i].incident) {
				if (u.a[j].person) {
					if (j == i || u.a[j - 1].person != u.a[j].person)
						named++;
				} else {
					low = u.a[j].low > low ? u.a[j].low : low;
					high += u.a[j].high;
				}
				j++;
			}
			g[u.a[i].group].min_extra += low > named ? low - named : 0;
			g[u.a[i].group].max_extra += high;
			i = j;
		}
	}
	json_t *rows = rc ? NULL : json_array();
	int64_t tc = 0, tmin = 0, tmax = 0, tx = 0;
	for (size_t i = 0; !rc && i < ng; i++) {
		const char *key = json_string_value(json_array_get(u.keys, i));
		const char *tab = strchr(key, '\t');
		json_t *row = json_pack("{s:s#,s:I,s:I,s:I,s:I}", "type", key, (int)(tab ? (size_t)(tab - key) : strlen(key)),
					"confirmed", (json_int_t)g[i].confirmed, "contested", (json_int_t)g[i].contested,
					"reported_min", (json_int_t)(g[i].named_reported + g[i].min_extra), "reported_max",
					(json_int_t)(g[i].named_reported + g[i].max_extra));
		if (row && tab)
			json_object_set_new(row, by, json_string(tab + 1));
		if (row && tab && !strcmp(by, "action") && strcmp(tab + 1, "none"))
			rc = action_title(ctx, strtoll(tab + 1, NULL, 10), public_only, row);
		if (!row || json_array_append_new(rows, row))
			rc = FS_ENOMEM;
		tc += g[i].confirmed;
		tx += g[i].contested;
		tmin += g[i].named_reported + g[i].min_extra;
		tmax += g[i].named_reported + g[i].max_extra;
	}
	if (!rc)
		*ret = json_pack("{s:s,s:b,s:o,s:I,s:{s:I,s:I,s:I,s:I}}", "by", by, "public", public_only, "rows", rows, "acts",
				 (json_int_t)u.n, "total_rows", "confirmed", (json_int_t)tc, "contested", (json_int_t)tx,
				 "reported_min", (json_int_t)tmin, "reported_max", (json_int_t)tmax);
	if (!rc && !*ret)
		rc = FS_ENOMEM;
	for (int i = 0; i < 3; i++)
		fs_imap_free(&u.status[i]);
	fs_imap_free(&u.parent);
	fs_imap_free(&u.inc_key);
	fs_imap_free(&u.inc_public);
	json_decref(u.keys);
	json_decref(u.key_index);
	json_decref(u.inc_dim);
	free(u.hcache);
	free(u.a);
	free(g);
	return rc;
}

/* ---- political prisoners ---- */

static fs_date add_months(fs_date d, int64_t months)
{
	int y, m, day;
	fs_date_to_ymd(d, &y, &m, &day);
	int64_t t = (int64_t)y * 12 + (m - 1) + months;
	y = (int)(t / 12);
	m = (int)(t % 12) + 1;
	while (day > 28 && !fs_date_valid_ymd(y, m, day))
		day--;
	return fs_date_from_ymd(y, m, day);
}

struct pris_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	fs_date today;
	json_t *rows;
	int rc;
	int public_only;
	struct fs_hcache *cache;
};

static int prisoner_cb(void *p, const struct fs_value *v)
{
	struct pris_ud *u = p;
	const struct fs_entity *e = u->e;
	if (fs_col_text(e, v, "released_on") || !fs_row_shown(u->ctx, e, v, u->public_only, u->cache))
		return 0;
	const char *verdict = fs_col_text(e, v, "verdict"), *sentence = fs_col_text(e, v, "sentence");
	const char *since = fs_col_text(e, v, "custody_since"), *expected = fs_col_text(e, v, "expected_release");
	int jail = sentence && (!strcmp(sentence, "prison") || !strcmp(sentence, "administrative_jail"));
	int pretrial = verdict && !strcmp(verdict, "pending") && since;
	if (!jail && !pretrial)
		return 0;
	fs_date s = 0, x = 0;
	int has_s = since && !fs_date_parse(since, &s, NULL, NULL);
	int has_x = expected && !fs_date_parse(expected, &x, NULL, NULL);
	const struct fs_value *months = &v[e->col_of[fs_field_index(e, "sentence_months")]];
	if (!has_x && jail && has_s && months->type == FS_VINT) {
		x = add_months(s, months->i);
		has_x = 1;
	}
	if (has_x && x <= u->today && jail)
		return 0; /* the sentence has run out: released, if not yet recorded */
	int64_t person = v[e->col_of[fs_field_index(e, "person_id")]].i;
	char name[256];
	fs_person_name(u->ctx, person, name, sizeof(name));
	char xs[11] = "";
	if (has_x)
		fs_date_format(x, xs);
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:o}", "case_id", (json_int_t)v[0].i, "person_id",
			      (json_int_t)person, "name", name, "status", jail ? "serving a sentence" : "pre-trial detention",
			      "charges", fs_col_text(e, v, "charges"), "court", fs_col_text(e, v, "court"), "sentence", sentence,
			      "custody_since", since, "sentence_months",
			      months->type == FS_VINT ? json_integer(months->i) : json_null(), "days_served",
			      has_s ? json_integer(u->today - s) : json_null(), "expected_release",
			      has_x ? json_string(xs) : json_null());
	if (!o || json_array_append_new(u->rows, o))
		return u->rc = FS_ENOMEM, 1;
	return 0;
}

int fs_record_prisoners(struct fs_ctx *ctx, fs_date today, int public_only, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "record.read", err);
	if (cap_rc)
		return cap_rc;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	struct pris_ud u = {.ctx = ctx, .e = fs_entity_find("case"), .today = today, .rows = json_array(),
			    .public_only = public_only, .cache = calloc(1, sizeof(struct fs_hcache))};
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &u.e->table, .filters = &f, .nfilters = 1, .order_by = "custody_since"};
	int rc = u.rows && u.cache ? fs_select_rows(ctx, &q, prisoner_cb, &u, &u.rc, err) : FS_ENOMEM;
	free(u.cache);
	if (rc) {
		json_decref(u.rows);
		return rc;
	}
	json_t *detained;
	if ((rc = fs_record_detained(ctx, public_only, &detained, err))) { /* custody.c */
		json_decref(u.rows);
		return rc;
	}
	char ts[11];
	fs_date_format(today, ts);
	*ret = json_pack("{s:s,s:I,s:o,s:o}", "as_of", ts, "count", (json_int_t)json_array_size(u.rows), "prisoners", u.rows,
			 "detained", detained);
	return *ret ? 0 : FS_ENOMEM;
}

/* ---- alerts: whereabouts unknown for too long ---- */

struct alert_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	int64_t now, limit_s;
	json_t *rows;
	int rc;
};

static int alert_cb(void *p, const struct fs_value *v)
{
	struct alert_ud *u = p;
	const struct fs_entity *e = u->e;
	const char *w = fs_col_text(e, v, "whereabouts"), *since = fs_col_text(e, v, "whereabouts_since");
	if (fs_col_text(e, v, "released_at") || !w || strcmp(w, "unknown") || !since || !fs_row_shown(u->ctx, e, v, 0, NULL))
		return 0;
	int64_t t;
	if (fs_time_parse(since, &t) || u->now - t < u->limit_s)
		return 0;
	int64_t person = v[e->col_of[fs_field_index(e, "person_id")]].i;
	char name[256];
	fs_person_name(u->ctx, person, name, sizeof(name));
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s?,s:I,s:b}", "detention_id", (json_int_t)v[0].i, "person_id", (json_int_t)person,
			      "name", name, "unknown_since", since, "arresting_body", fs_col_text(e, v, "arresting_body"),
			      "hours", (json_int_t)((u->now - t) / 3600), "lawyer_access",
			      v[e->col_of[fs_field_index(e, "lawyer_access")]].i != 0);
	if (!o || json_array_append_new(u->rows, o))
		return u->rc = FS_ENOMEM, 1;
	return 0;
}

int fs_record_alerts(struct fs_ctx *ctx, int64_t now, int64_t hours, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (hours <= 0)
		return fs_fail(err, FS_EINVAL, "hours", "must be a positive number of hours");
	if (!fs_can(ctx, "record.review")) /* names and whereabouts of detained people */
		return fs_fail(err, FS_EPERM, NULL, "your role cannot see the whereabouts alerts (it needs record.review)");
	struct alert_ud u = {.ctx = ctx, .e = fs_entity_find("detention"), .now = now, .limit_s = hours * 3600,
			     .rows = json_array()};
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &u.e->table, .filters = &f, .nfilters = 1, .order_by = "whereabouts_since"};
	int rc = u.rows ? fs_select_rows(ctx, &q, alert_cb, &u, &u.rc, err) : FS_ENOMEM;
	if (rc) {
		json_decref(u.rows);
		return rc;
	}
	char ts[21];
	fs_time_format(now, ts);
	*ret = json_pack("{s:s,s:I,s:I,s:o}", "now", ts, "hours", (json_int_t)hours, "count",
			 (json_int_t)json_array_size(u.rows), "alerts", u.rows);
	return *ret ? 0 : FS_ENOMEM;
}
