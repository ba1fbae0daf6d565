/* entity_ops.c - the public operations on records of any entity: create (with
 * idempotency keys), update, remove, get, list (paged, counted, filtered by
 * what the principal may read), a payment's reversal, a person by national ID. */
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


/* ---- the public operations ---- */

static int need_org(struct fs_ctx *ctx, const struct fs_entity *e, struct fs_error *err)
{
	if (e->owned && ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; create one with 'fairshare org add' or pick one with --org");
	return 0;
}

/* A change of e's records: the principal must hold the capability that writes them. */
static int may_write(struct fs_ctx *ctx, const struct fs_entity *e, struct fs_error *err)
{
	int rc = need_org(ctx, e, err);
	return rc ? rc : fs_principal_require(ctx, fs_entity_write_capability(e), err);
}

static int load_ex(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_rec *r, int unseal,
		   struct fs_error *err);

int fs_may_read(struct fs_ctx *ctx, const struct fs_entity *e, struct fs_error *err)
{
	const char *cap = fs_entity_read_capability(e);
	return cap ? fs_principal_require(ctx, cap, err) : 0;
}

static int load(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_rec *r, struct fs_error *err)
{
	return load_ex(ctx, e, id, r, 1, err);
}

static int load_ex(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_rec *r, int unseal,
		   struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, id, &row, NULL);
	/* another organization's record, or one the principal's role may not read
	 * (handling.c), does not exist */
	if (rc == FS_ENOTFOUND || (!rc && e->owned && row.vals[e->org_col].i != ctx->org_id) ||
	    (!rc && !fs_row_shown(ctx, e, row.vals, 0, NULL))) {
		if (!rc)
			fs_row_free(&row);
		return fs_fail(err, FS_ENOTFOUND, NULL, "there is no %s with id %lld", e->name, (long long)id);
	}
	if (rc == FS_ECRYPTO)
		return fs_fail(err, rc, NULL, "the restricted text of %s %lld cannot be opened: wrong key, or the data was "
			       "altered or moved from another row", e->name, (long long)id);
	if (rc)
		return fs_fail(err, rc, NULL, "cannot read %s %lld", e->name, (long long)id);
	rc = rec_from_values_ex(ctx, r, e, row.vals, unseal, err);
	fs_row_free(&row);
	return rc;
}

static int set_all(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_kv *kv, size_t n, int creating,
		   struct fs_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int fi = fs_field_index(r->e, kv[i].key);
		if (!creating && fi >= 0 && (r->e->fields[fi].flags & FF_IMMUTABLE))
			return fs_fail(err, FS_EINVAL, kv[i].key, "cannot be changed once set");
		int rc = rec_set(ctx, r, kv[i].key, kv[i].value, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* A record with the same idempotency key: the same fields again is the same
 * record (*existing set); other fields are a conflict. */
static int idempotent_match(struct fs_ctx *ctx, struct fs_rec *r, int64_t *existing, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	*existing = 0;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & FF_IDEMPOTENCY) || r->v[e->col_of[i]].type == FS_VNULL)
			continue;
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {e->cols[e->col_of[i]].name, FS_EQ, r->v[e->col_of[i]]}};
		struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1};
		struct rec_other_ud ud = {0, 0};
		int rc = fs_store_select(ctx->st, &q, rec_other_cb, &ud, err);
		if (rc || !ud.other)
			return rc;
		struct fs_rec old;
		rec_init(&old, e);
		rc = load(ctx, e, ud.other, &old, err);
		r->v[0] = fs_vint(ud.other);
		int same = !rc && rec_equal(&old, r);
		r->v[0] = fs_vnull();
		rec_done(&old);
		if (rc)
			return rc;
		if (!same)
			return fs_fail(err, FS_ECONFLICT, e->fields[i].name,
				       "this %s was already used for a different %s (%lld); a retry must repeat the same fields",
				       e->fields[i].name, e->name, (long long)ud.other);
		*existing = ud.other;
		return 0;
	}
	return 0;
}

int fs_create_ex(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *kv, size_t n,
		 int64_t *ret_id, int *ret_existed, struct fs_error *err)
{
	if (e->managed && !ctx->managed_ok)
		return fs_fail(err, FS_EINVAL, NULL, "a %s record is made by '%s'", e->name, e->managed);
	int rc = may_write(ctx, e, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec r;
	rec_init(&r, e);
	int64_t existing = 0;
	rc = set_all(ctx, &r, kv, n, 1, err);
	if (!rc && rec_field(&r, "reverses_id") && rec_field(&r, "reverses_id")->type != FS_VNULL)
		rc = fs_fail(err, FS_EINVAL, "reverses_id", "a reversal is made with 'payment reverse ID'");
	if (!rc)
		rc = rec_finish(ctx, &r, 1, err);
	if (!rc)
		rc = idempotent_match(ctx, &r, &existing, err);
	if (!rc && existing && ret_id)
		*ret_id = existing;
	if (!rc && !existing)
		rc = rec_insert(ctx, &r, ret_id, err);
	if (!rc && ret_existed)
		*ret_existed = existing != 0;
	rec_done(&r);
	return fs_tx_end(ctx, rc, err);
}

int fs_create(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *kv, size_t n,
	      int64_t *ret_id, struct fs_error *err)
{
	return fs_create_ex(ctx, e, kv, n, ret_id, NULL, err);
}

static int refuse_append_only(const struct fs_entity *e, struct fs_error *err)
{
	if (strcmp(e->name, "payment"))
		return fs_fail(err, FS_EINVAL, NULL, "an %s is never changed or removed; a new %s supersedes it "
			       "and the history is kept", e->name, e->name);
	return fs_fail(err, FS_EINVAL, NULL, "a %s is never changed or removed; correct it with a reversal "
		       "('fairshare %s reverse ID')", e->name, e->name);
}

int fs_payment_reverse(struct fs_ctx *ctx, int64_t id, const struct fs_kv *kv, size_t n, int64_t *ret_id,
		       struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_lookup("payment");
	int rc = may_write(ctx, e, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec orig, rev;
	rec_init(&orig, e);
	rec_init(&rev, e);
	rc = load(ctx, e, id, &orig, err);
	if (!rc && rec_field(&orig, "reverses_id")->type != FS_VNULL)
		rc = fs_fail(err, FS_EINVAL, NULL, "payment %lld is itself a reversal", (long long)id);
	if (!rc) {
		struct fs_filter f = {"reverses_id", FS_EQ, fs_vint(id)};
		struct fs_query q = {.table = &e->table, .filters = &f, .nfilters = 1, .limit = 1};
		struct rec_other_ud ud = {0, 0};
		rc = fs_store_select(ctx->st, &q, rec_other_cb, &ud, err);
		if (!rc && ud.other)
			rc = fs_fail(err, FS_ECONFLICT, NULL, "payment %lld was already reversed by payment %lld", (long long)id,
				     (long long)ud.other);
	}
	if (!rc)
		rc = rec_from_values(ctx, &rev, e, orig.v, err);
	if (!rc) {
		char today[11];
		fs_date_format(fs_date_today(), today);
		rev.v[0] = fs_vnull();
		rec_set_int(&rev, "amount", -rec_field(&orig, "amount")->i);
		rec_set_int(&rev, "reverses_id", id);
		rc = rec_set(ctx, &rev, "paid_on", today, err);
		if (!rc)
			rc = rec_set(ctx, &rev, "idempotency_key", NULL, err);
		if (!rc)
			rc = rec_set(ctx, &rev, "note", NULL, err);
		for (size_t i = 0; !rc && i < n; i++) {
			if (strcmp(kv[i].key, "note") && strcmp(kv[i].key, "paid_on") && strcmp(kv[i].key, "reference") &&
			    strcmp(kv[i].key, "idempotency_key"))
				rc = fs_fail(err, FS_EINVAL, kv[i].key, "a reversal takes only note, paid_on, reference, idempotency_key");
			else
				rc = rec_set(ctx, &rev, kv[i].key, kv[i].value, err);
		}
	}
	if (!rc)
		rc = rec_finish(ctx, &rev, 1, err);
	if (!rc)
		rc = rec_insert(ctx, &rev, ret_id, err);
	rec_done(&orig);
	rec_done(&rev);
	return fs_tx_end(ctx, rc, err);
}

int fs_update(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, const struct fs_kv *kv,
	      size_t n, struct fs_error *err)
{
	if (e->append_only)
		return refuse_append_only(e, err);
	int rc = may_write(ctx, e, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec before, after;
	rec_init(&before, e);
	rec_init(&after, e);
	rc = load(ctx, e, id, &before, err);
	if (!rc)
		rc = load(ctx, e, id, &after, err);
	if (!rc)
		rc = set_all(ctx, &after, kv, n, 0, err);
	if (!rc)
		rc = rec_finish(ctx, &after, 0, err);
	if (!rc && !rec_equal(&before, &after))
		rc = rec_update(ctx, &before, &after, err);
	rec_done(&before);
	rec_done(&after);
	return fs_tx_end(ctx, rc, err);
}

int fs_remove(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err)
{
	int rc = may_write(ctx, e, err); /* a role that may not write is refused first, as by the route */
	if (rc)
		return rc;
	if (e->append_only)
		return refuse_append_only(e, err);
	if (e->managed)
		return fs_fail(err, FS_EINVAL, NULL, "%s records are never removed (the custody log refers to them); "
			       "restrict it with --handling sealed", e->name);
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec before;
	rec_init(&before, e);
	rc = load(ctx, e, id, &before, err);
	if (!rc) {
		rc = fs_store_delete(ctx->st, &e->table, id, err);
		if (rc == FS_ECONFLICT)
			rc = fs_fail(err, FS_ECONFLICT, NULL,
				     "%s %lld is still referred to by other records (e.g. employments, "
				     "memberships); remove those first", e->name, (long long)id);
	}
	if (!rc && e->person_col == 0)
		rc = fs_person_key_drop(ctx, id, err); /* their own key goes with them */
	if (!rc)
		rc = fs_journal_append(ctx, "delete", &before, NULL, err);
	rec_done(&before);
	return fs_tx_end(ctx, rc, err);
}

int fs_get(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, unsigned flags, json_t **ret,
	   struct fs_error *err)
{
	int rc0 = fs_may_read(ctx, e, err); /* the read's capability, for every front end (#10) */
	if (rc0)
		return rc0;
	if ((flags & FS_REVEAL) && !fs_can(ctx, "people.reveal"))
		return fs_fail(err, FS_EPERM, "reveal", "your role cannot see sealed fields");
	struct fs_rec r;
	rec_init(&r, e);
	int rc = load_ex(ctx, e, id, &r, (flags & FS_REVEAL) != 0, err);
	if (!rc)
		*ret = rec_to_json(&r, (flags & FS_REVEAL) ? REC_JSON_REVEAL : 0);
	rec_done(&r);
	return rc;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* Counting every matching row on each page view is the costly part of a list:
 * the total is kept per query while the database is unchanged. */
static int cached_count(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_query *q, int64_t *total,
			struct fs_error *err)
{
	uint64_t key = fnv(1469598103934665603ULL, e->name, strlen(e->name));
	for (size_t i = 0; i < q->nfilters; i++) {
		const struct fs_filter *f = &q->filters[i];
		key = fnv(key, f->column, strlen(f->column) + 1);
		key = fnv(key, &f->op, sizeof(f->op));
		key = fnv(key, &f->value.type, sizeof(f->value.type));
		if (f->value.type == FS_VINT)
			key = fnv(key, &f->value.i, sizeof(f->value.i));
		else if (f->value.n)
			key = fnv(key, f->value.p, f->value.n);
		key = fnv(key, "|", 1);
	}
	int64_t version = ctx->tx_depth ? -1 : fs_data_version(ctx);
	for (size_t i = 0; version >= 0 && i < sizeof(ctx->counts) / sizeof(ctx->counts[0]); i++)
		if (ctx->counts[i].key == key && ctx->counts[i].version == version) {
			*total = ctx->counts[i].total;
			return 0;
		}
	int rc = fs_store_count(ctx->st, q, total, err);
	if (!rc && version >= 0) {
		unsigned slot = ctx->next_count++ % (sizeof(ctx->counts) / sizeof(ctx->counts[0]));
		ctx->counts[slot].key = key;
		ctx->counts[slot].total = *total;
		ctx->counts[slot].version = version;
	}
	return rc;
}

struct list_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	struct fs_buf *text;
	int64_t n;
	unsigned mode;
	struct fs_error *err;
	int rc;
};

static int list_cb(void *p, const struct fs_value *vals)
{
	struct list_ud *u = p;
	if (u->n++ && (u->rc = fs_buf_addc(u->text, ',')))
		return 1;
	if (!(u->mode & REC_JSON_REVEAL)) /* straight from the row: nothing to open */
		return (u->rc = rec_values_json_text(u->e, vals, NULL, u->mode, u->text)) != 0;
	struct fs_rec r;
	u->rc = rec_from_values(u->ctx, &r, u->e, vals, u->err);
	if (!u->rc)
		u->rc = rec_json_text(&r, u->mode, u->text);
	rec_done(&r);
	return u->rc != 0;
}

/* A list of what the role may read: every matching row is looked at (its
 * level may come from other records), the page cut from the ones shown. */
struct shown_ud {
	struct list_ud *u;
	struct fs_hcache *cache;
	int64_t total, skip, room;
};

static int shown_cb(void *p, const struct fs_value *vals)
{
	struct shown_ud *s = p;
	if (!fs_row_shown(s->u->ctx, s->u->e, vals, 0, s->cache))
		return 0;
	s->total++;
	if (s->skip > 0 || s->room <= 0) {
		s->skip -= s->skip > 0;
		return 0;
	}
	s->room--;
	return list_cb(s->u, vals);
}

static int list_shown(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_query *page, struct list_ud *u,
		      struct fs_buf *out, struct fs_error *err)
{
	struct fs_hcache *cache = calloc(1, sizeof(*cache));
	struct fs_buf items;
	fs_buf_init(&items, 256u << 20);
	struct fs_query q = *page;
	q.limit = 0;
	q.offset = 0;
	u->text = &items;
	struct shown_ud s = {u, cache, 0, page->offset, page->limit};
	int rc = cache ? fs_store_select(ctx->st, &q, shown_cb, &s, err) : FS_ENOMEM;
	if (!rc)
		rc = u->rc;
	if (!rc)
		rc = fs_buf_adds(out, "{\"total\":") || fs_buf_addi(out, s.total) || fs_buf_adds(out, ",\"items\":[") ||
		     fs_buf_add(out, items.data ? items.data : "", items.len) || fs_buf_adds(out, "]}") ? FS_ENOMEM : 0;
	u->text = out;
	fs_buf_done(&items);
	free(cache);
	return rc;
}

int fs_list_text_uncached(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, struct fs_buf *out,
			  struct fs_error *err)
{
	int rc = need_org(ctx, e, err);
	if (!rc)
		rc = fs_may_read(ctx, e, err);
	if (rc)
		return rc;
	if ((o->flags & FS_REVEAL) && !fs_can(ctx, "people.reveal"))
		return fs_fail(err, FS_EPERM, "reveal", "your role cannot see sealed fields");
	struct fs_filter f[FS_MAX_FIELDS + 2];
	size_t nf = 0;
	struct fs_rec keys; /* parsed filter values, so dates and codes are normalised */
	rec_init(&keys, e);
	struct fs_buf fold;
	fs_buf_init(&fold, 4096);
	if (e->owned)
		f[nf++] = (struct fs_filter){"org_id", FS_EQ, fs_vint(ctx->org_id)};
	int label_fi = e->label ? fs_field_index(e, e->label) : -1;
	if (o->search && *o->search && label_fi >= 0) {
		rc = rec_check_text(o->search, strlen(o->search), 200, 0, err, "search");
		struct fs_buf q;
		fs_buf_init(&q, 4096);
		if (!rc)
			rc = fs_utf8_fold(o->search, strlen(o->search), &q);
		for (size_t i = 0; !rc && i < q.len; i++) {
			if (q.data[i] == '%' || q.data[i] == '_' || q.data[i] == '\\')
				rc = fs_buf_addc(&fold, '\\');
			if (!rc)
				rc = fs_buf_addc(&fold, q.data[i]);
		}
		fs_buf_done(&q);
		if (!rc)
			f[nf++] = (struct fs_filter){e->cols[e->fold_of[label_fi]].name, FS_CONTAINS,
						     fs_vblob(NULL, 0)};
		if (!rc) {
			f[nf - 1].value = (struct fs_value){FS_VTEXT, 0, fold.data ? fold.data : "", fold.len};
		}
	}
	for (size_t i = 0; !rc && i < o->nfilters && nf < FS_MAX_FIELDS + 2; i++) {
		int fi = fs_field_index(e, o->filters[i].key);
		if (fi < 0 || (e->fields[fi].flags & FF_SEALED))
			rc = fs_fail(err, FS_EINVAL, o->filters[i].key, "cannot filter %s by '%s'", e->plural, o->filters[i].key);
		else if (!(rc = rec_set(ctx, &keys, o->filters[i].key, o->filters[i].value, err)))
			f[nf++] = (struct fs_filter){e->cols[e->col_of[fi]].name, FS_EQ, keys.v[e->col_of[fi]]};
	}
	int64_t limit = o->limit > 0 ? o->limit : FS_LIST_DEFAULT;
	if (!rc && (limit > FS_LIST_MAX || o->offset < 0))
		rc = fs_fail(err, FS_EINVAL, "limit", "limit is at most %d and offset at least 0", FS_LIST_MAX);
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf,
			     .order_by = label_fi < 0 ? NULL : e->cols[e->fold_of[label_fi] >= 0 ? e->fold_of[label_fi] : e->col_of[label_fi]].name,
			     .then_by = label_fi >= 0 ? e->cols[e->col_of[label_fi]].name : NULL,
			     .limit = limit, .offset = o->offset};
	int64_t total = 0;
	struct list_ud u = {ctx, e, out, 0, (o->flags & FS_REVEAL) ? REC_JSON_REVEAL : 0, err, 0};
	if (!rc && fs_handled(e) && !fs_sees_every_level(ctx)) {
		rc = list_shown(ctx, e, &q, &u, out, err); /* some records are hidden from this role */
	} else {
		if (!rc)
			rc = cached_count(ctx, e, &q, &total, err);
		if (!rc)
			rc = fs_buf_adds(out, "{\"total\":") || fs_buf_addi(out, total) || fs_buf_adds(out, ",\"items\":[") ? FS_ENOMEM : 0;
		if (!rc)
			rc = fs_store_select(ctx->st, &q, list_cb, &u, err);
		if (!rc)
			rc = u.rc;
		if (!rc)
			rc = fs_buf_adds(out, "]}") ? FS_ENOMEM : 0;
	}
	fs_buf_done(&fold);
	rec_done(&keys);
	return rc;
}

int fs_person_by_national_id(struct fs_ctx *ctx, const char *national_id, int64_t *ret_id, struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_lookup("person");
	int rc = need_org(ctx, e, err);
	if (rc)
		return rc;
	char norm[64];
	if ((rc = e->normalize_id(ctx->org_country, national_id, norm, sizeof(norm), err, "national_id")))
		return rc;
	unsigned char h[FS_HASH_BYTES];
	fs_lookup_hash(&ctx->keys, norm, strlen(norm), h);
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"national_id_hash", FS_EQ, fs_vblob(h, sizeof(h))}};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1};
	struct rec_other_ud ud = {0, 0};
	if ((rc = fs_store_select(ctx->st, &q, rec_other_cb, &ud, err)))
		return rc;
	if (!ud.other)
		return fs_fail(err, FS_ENOTFOUND, "national_id", "no person with that national ID");
	*ret_id = ud.other;
	return 0;
}
