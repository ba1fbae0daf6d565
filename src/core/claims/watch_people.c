/* watch_people.c - the watch's lists of people: who is paid in full, partly,
 * nothing, and whose outstanding claims reach their limitation date within 180
 * days; each worker with owed, paid and outstanding, sorted and paged. The
 * classification is the watch's (claims.c, fs_watch): payments are spread over
 * a worker's claims in allocation order (kind, then id), written-off claims owe
 * nothing; paid in full = owed > 0 and paid >= owed, partly = paid > 0, nothing
 * otherwise. tests/cli/t41 checks the lists' totals against fs_watch's counts. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"

#define NEAR_DAYS 180

enum { ST_ALL, ST_FULL, ST_PARTLY, ST_NOTHING, ST_NEAR };
static const char *const statuses[] = {"all", "paid_in_full", "partly_paid", "paid_nothing", "near_limitation", NULL};
static const char *const sorts[] = {"name", "owed", "paid", "outstanding", "limitation", NULL};

struct wclaim {
	int64_t id, amount;
	int kind, written_off;
	char limitation[11]; /* "" = none */
};

struct wperson {
	int64_t id, owed, paid, outstanding, near_n;
	int status;
	char next_limit[11]; /* the earliest limitation date of an outstanding claim, "" = none */
	char *name, *fold, *ext;
};

struct wp_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *person_e;
	char as_of_s[11], near_s[11];
	int64_t *emp_ids, *emp_people; /* the workplace's employments and their workers, sorted; NULL = all */
	size_t nemp, capemp;
	struct fs_imap paid;            /* person -> sum of payments */
	struct wclaim *cur;
	size_t ncur, capcur;
	int64_t person;                 /* whose claims cur holds, -1 = none */
	struct wperson *rows;
	size_t nrows, caprows;
	struct fs_hcache *cache;
	int rc;
	struct fs_error *err;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int has(const int64_t *a, size_t n, int64_t x)
{
	return a && n && bsearch(&x, a, n, sizeof(*a), cmp_i64) != NULL;
}

static int wclaim_order(const void *a, const void *b)
{
	const struct wclaim *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The current worker's claims are complete: allocate what they were paid and
 * classify them. */
static int flush(struct wp_ud *u)
{
	if (!u->ncur)
		return 0;
	if (!fs_id_shown(u->ctx, u->person_e, u->person, 0, u->cache)) {
		u->ncur = 0;
		return 0;
	}
	int64_t *slot = fs_imap_slot(&u->paid, u->person, 0);
	int64_t paid = slot ? *slot : 0;
	qsort(u->cur, u->ncur, sizeof(*u->cur), wclaim_order);
	struct wperson p = {.id = u->person};
	for (size_t i = 0; i < u->ncur; i++) {
		struct wclaim *c = &u->cur[i];
		int64_t owed = c->written_off ? 0 : c->amount;
		int64_t take = paid < owed ? (paid > 0 ? paid : 0) : owed;
		paid -= take;
		if (__builtin_add_overflow(p.owed, owed, &p.owed) || __builtin_add_overflow(p.paid, take, &p.paid))
			return fs_fail(u->err, FS_EINVAL, "amount_minor", "the claims of person %lld add up past the largest amount",
				       (long long)u->person);
		int64_t out = owed - take;
		if (out > 0 && c->limitation[0] && strcmp(c->limitation, u->as_of_s) >= 0 &&
		    strcmp(c->limitation, u->near_s) <= 0) {
			p.near_n++;
			if (!p.next_limit[0] || strcmp(c->limitation, p.next_limit) < 0)
				memcpy(p.next_limit, c->limitation, sizeof(p.next_limit));
		}
	}
	p.outstanding = p.owed - p.paid;
	p.status = p.owed > 0 && p.paid >= p.owed ? ST_FULL : p.paid > 0 ? ST_PARTLY : ST_NOTHING;
	u->ncur = 0;
	if (fs_grow(&u->rows, &u->caprows, u->nrows, sizeof(*u->rows), 256))
		return FS_ENOMEM;
	u->rows[u->nrows++] = p;
	return 0;
}

static int claim_cb(void *p, const struct fs_value *v)
{
	struct wp_ud *u = p;
	/* columns: id, person_id, employment_id, kind, amount_minor, status, limitation_date */
	int64_t emp = v[2].type == FS_VINT ? v[2].i : 0;
	if (u->emp_ids && !(emp > 0 ? has(u->emp_ids, u->nemp, emp) : has(u->emp_people, u->nemp, v[1].i)))
		return 0;
	if (v[1].i != u->person) {
		if ((u->rc = flush(u)))
			return 1;
		u->person = v[1].i;
	}
	if (fs_grow(&u->cur, &u->capcur, u->ncur, sizeof(*u->cur), 16))
		return u->rc = FS_ENOMEM, 1;
	struct wclaim *c = &u->cur[u->ncur++];
	char kind[24];
	snprintf(kind, sizeof(kind), "%.*s", (int)v[3].n, v[3].p ? (const char *)v[3].p : "");
	c->id = v[0].i;
	c->kind = fs_claim_kind_index(kind);
	if (c->kind < 0)
		c->kind = fs_claim_kind_index("other");
	c->amount = v[4].i;
	c->written_off = v[5].type == FS_VTEXT && v[5].n == 11 && !memcmp(v[5].p, "written_off", 11);
	c->limitation[0] = '\0';
	if (v[6].type == FS_VTEXT && v[6].n == 10) {
		memcpy(c->limitation, v[6].p, 10);
		c->limitation[10] = '\0';
	}
	return 0;
}

static int pay_cb(void *p, const struct fs_value *v)
{
	struct wp_ud *u = p;
	int64_t *slot = fs_imap_slot(&u->paid, v[0].i, 1);
	if (!slot)
		return u->rc = FS_ENOMEM, 1;
	if (__builtin_add_overflow(*slot, v[1].i, slot))
		return u->rc = fs_fail(u->err, FS_EINVAL, "amount_minor", "the payments to person %lld add up past the largest amount",
				       (long long)v[0].i), 1;
	return 0;
}

static int emp_cb(void *p, const struct fs_value *v)
{
	struct wp_ud *u = p;
	size_t cap = u->capemp;
	if (fs_grow(&u->emp_ids, &cap, u->nemp, sizeof(int64_t), 64) ||
	    fs_grow(&u->emp_people, &u->capemp, u->nemp, sizeof(int64_t), 64))
		return u->rc = FS_ENOMEM, 1;
	u->emp_ids[u->nemp] = v[0].i;
	u->emp_people[u->nemp++] = v[1].i;
	return 0;
}

static struct wperson *find_row(struct wp_ud *u, int64_t id)
{
	size_t lo = 0, hi = u->nrows;
	while (lo < hi) { /* rows are in person order (claims are read by person_id) */
		size_t mid = (lo + hi) / 2;
		if (u->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < u->nrows && u->rows[lo].id == id ? &u->rows[lo] : NULL;
}

static int person_cb(void *p, const struct fs_value *v)
{
	struct wp_ud *u = p;
	struct wperson *r = find_row(u, v[0].i);
	if (!r)
		return 0;
	r->name = strndup(v[1].p ? v[1].p : "", v[1].n);
	r->fold = strndup(v[2].p ? v[2].p : "", v[2].n);
	r->ext = v[3].type == FS_VTEXT ? strndup(v[3].p, v[3].n) : NULL;
	if (!r->name || !r->fold || (v[3].type == FS_VTEXT && !r->ext))
		return u->rc = FS_ENOMEM, 1;
	return 0;
}

struct sort_by {
	int key, desc;
};

static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct wperson *x = a, *y = b;
	const struct sort_by *by = arg;
	int c = 0;
	switch (by->key) {
	case 1: c = x->owed < y->owed ? -1 : x->owed > y->owed; break;
	case 2: c = x->paid < y->paid ? -1 : x->paid > y->paid; break;
	case 3: c = x->outstanding < y->outstanding ? -1 : x->outstanding > y->outstanding; break;
	case 4: /* no date sorts last either way */
		if (!x->next_limit[0] != !y->next_limit[0])
			return x->next_limit[0] ? -1 : 1;
		c = strcmp(x->next_limit, y->next_limit);
		break;
	default: c = strcmp(x->fold ? x->fold : "", y->fold ? y->fold : ""); break;
	}
	if (by->desc)
		c = -c;
	return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

static int index_of(const char *const *list, const char *v)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], v))
			return i;
	return -1;
}

static int load(struct wp_ud *u, int64_t workplace, struct fs_error *err)
{
	struct fs_ctx *ctx = u->ctx;
	struct fs_filter of = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	int rc = 0;
	if (workplace > 0) {
		static const char *const cols[] = {"id", "person_id"};
		struct fs_filter f = {"workplace_id", FS_EQ, fs_vint(workplace)};
		struct fs_query q = {.table = &fs_entity_find("employment")->table, .filters = &f, .nfilters = 1,
				     .columns = cols, .ncolumns = 2};
		rc = fs_store_select(ctx->st, &q, emp_cb, u, err);
		if (!rc && !u->emp_ids && !(u->emp_ids = calloc(1, sizeof(int64_t)))) /* an empty scope, not everything */
			rc = FS_ENOMEM;
		if (!rc && !u->emp_people && !(u->emp_people = calloc(1, sizeof(int64_t))))
			rc = FS_ENOMEM;
		if (!rc) {
			qsort(u->emp_ids, u->nemp, sizeof(int64_t), cmp_i64);
			qsort(u->emp_people, u->nemp, sizeof(int64_t), cmp_i64);
		}
	}
	static const char *const pay_cols[] = {"person_id", "amount_minor"};
	struct fs_query pq = {.table = &fs_entity_find("payment")->table, .filters = &of, .nfilters = 1,
			      .columns = pay_cols, .ncolumns = 2};
	if (!rc)
		rc = fs_store_select(ctx->st, &pq, pay_cb, u, err);
	static const char *const claim_cols[] = {"id", "person_id", "employment_id", "kind", "amount_minor", "status",
						 "limitation_date"};
	struct fs_query cq = {.table = &fs_entity_find("claim")->table, .filters = &of, .nfilters = 1,
			      .order_by = "person_id", .columns = claim_cols, .ncolumns = 7, .scan = 1};
	if (!rc && !u->rc)
		rc = fs_store_select(ctx->st, &cq, claim_cb, u, err);
	if (!rc && !u->rc)
		u->rc = flush(u);
	static const char *const person_cols[] = {"id", "full_name", "full_name_fold", "external_id"};
	struct fs_query nq = {.table = &u->person_e->table, .filters = &of, .nfilters = 1, .columns = person_cols,
			      .ncolumns = 4};
	if (!rc && !u->rc && u->nrows)
		rc = fs_store_select(ctx->st, &nq, person_cb, u, err);
	return rc ? rc : u->rc;
}

int fs_watch_people(struct fs_ctx *ctx, const struct fs_watch_people_opts *o, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (!fs_can(ctx, "register.read"))
		return fs_fail(err, FS_EPERM, NULL, "your role cannot read the register (it needs register.read)");
	int status = index_of(statuses, o->status ? o->status : "all");
	if (status < 0)
		return fs_fail(err, FS_EINVAL, "status", "status: '%.40s' is not one of: all, paid_in_full, partly_paid, "
			       "paid_nothing, near_limitation", o->status);
	int sort = index_of(sorts, o->sort ? o->sort : "name");
	if (sort < 0)
		return fs_fail(err, FS_EINVAL, "sort", "sort: '%.40s' is not one of: name, owed, paid, outstanding, limitation",
			       o->sort);
	if (o->limit < 0 || o->offset < 0)
		return fs_fail(err, FS_EINVAL, o->limit < 0 ? "limit" : "offset", "limit and offset are not negative");
	int64_t limit = o->limit ? o->limit : 100;
	if (o->workplace > 0) {
		struct fs_row row;
		int rc = fs_store_get(ctx->st, &fs_entity_find("workplace")->table, o->workplace, &row, NULL);
		if (!rc) {
			rc = row.vals[1].i != ctx->org_id;
			fs_row_free(&row);
		}
		if (rc)
			return fs_fail(err, FS_ENOTFOUND, "workplace", "there is no workplace with id %lld", (long long)o->workplace);
	}
	struct wp_ud u = {.ctx = ctx, .person_e = fs_entity_find("person"), .person = -1, .err = err,
			  .cache = calloc(1, sizeof(struct fs_hcache))};
	fs_date_format(o->as_of, u.as_of_s);
	fs_date_format(o->as_of + NEAR_DAYS, u.near_s);
	int rc = u.cache ? fs_read_begin(ctx, err) : FS_ENOMEM;
	if (!rc) {
		rc = load(&u, o->workplace, err);
		fs_read_end(ctx);
	}
	json_t *items = rc ? NULL : json_array();
	int64_t total = 0;
	if (!rc && !items)
		rc = FS_ENOMEM;
	if (!rc) {
		/* keep the chosen ones at the front, then sort and page them */
		size_t kept = 0;
		for (size_t i = 0; i < u.nrows; i++) {
			struct wperson *r = &u.rows[i];
			int in = status == ST_ALL || (status == ST_NEAR ? r->near_n > 0 : r->status == status);
			if (!in)
				continue;
			struct wperson t = u.rows[kept];
			u.rows[kept++] = *r;
			*r = t;
		}
		total = (int64_t)kept;
		struct sort_by by = {sort, o->descending != 0};
		if (kept > 1) /* an organization with no one yet has no rows (NULL) */
			qsort_r(u.rows, kept, sizeof(*u.rows), row_cmp, &by);
		for (int64_t i = o->offset; i < total && i - o->offset < limit && !rc; i++) {
			struct wperson *r = &u.rows[i];
			json_t *x = json_pack("{s:I,s:s,s:s?,s:I,s:I,s:I,s:s,s:I,s:s?}", "person_id", (json_int_t)r->id, "name",
					      r->name ? r->name : "", "external_id", r->ext, "owed_minor", (json_int_t)r->owed,
					      "paid_minor", (json_int_t)r->paid, "outstanding_minor", (json_int_t)r->outstanding,
					      "status", statuses[r->status], "near_limitation_claims", (json_int_t)r->near_n,
					      "next_limitation", r->next_limit[0] ? r->next_limit : NULL);
			if (!x || json_array_append_new(items, x))
				rc = FS_ENOMEM;
		}
	}
	for (size_t i = 0; i < u.nrows; i++) {
		free(u.rows[i].name);
		free(u.rows[i].fold);
		free(u.rows[i].ext);
	}
	free(u.rows);
	free(u.cur);
	free(u.emp_ids);
	free(u.emp_people);
	free(u.cache);
	fs_imap_free(&u.paid);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*ret = json_pack("{s:s,s:s,s:s,s:s,s:b,s:I,s:I,s:I,s:o}", "as_of", u.as_of_s, "currency", ctx->org_currency, "status",
			 statuses[status], "sort", sorts[sort], "descending", o->descending != 0, "total", (json_int_t)total,
			 "offset", (json_int_t)o->offset, "limit", (json_int_t)limit, "items", items);
	return *ret ? 0 : fs_fail(err, FS_ENOMEM, NULL, "cannot build the list");
}
