/* watch.c - the claims watch: allocating payments to claims, the watch report
 * (who is paid, what is outstanding, overdue promises, limitation deadlines) and
 * a worker's statement. Claims are computed in claims.c.
 *
 * Payments are allocated to a worker's claims at read time, never stored as
 * allocations, in this order (doc/claims.md): unpaid_wages, annual_leave,
 * overtime, notice, severance, compensation, penalty, injury, death, other; within
 * a kind, the older claim first. Written-off claims are not owed. */
#include "internal.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "util/money.h"


static const char *vtext(const struct fs_value *v, char *buf, size_t n)
{
	if (v->type != FS_VTEXT)
		return NULL;
	snprintf(buf, n, "%.*s", (int)v->n, (const char *)v->p);
	return buf;
}

/* ---- allocation, watch and statement ---- */

struct claim_row {
	int64_t id, person, employment, amount, paid;
	int kind; /* index in fs_claim_kinds: the allocation order */
	int written_off;
	char limitation[11]; /* YYYY-MM-DD, "" = none */
};

static int claim_order(const void *a, const void *b)
{
	const struct claim_row *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Spread paid over the claims in allocation order; returns what is left over.
 * (A worker has a handful of claims: insertion sort.) */
static int64_t allocate(struct claim_row *cl, size_t n, int64_t paid)
{
	for (size_t i = 1; i < n; i++) {
		struct claim_row x = cl[i];
		size_t j = i;
		for (; j > 0 && claim_order(&cl[j - 1], &x) > 0; j--)
			cl[j] = cl[j - 1];
		cl[j] = x;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t owed = cl[i].written_off ? 0 : cl[i].amount;
		int64_t take = paid < owed ? (paid > 0 ? paid : 0) : owed;
		cl[i].paid = take;
		paid -= take;
	}
	return paid;
}

struct pay_row {
	int64_t person, amount, promise;
	fs_date paid_on;
	int payer;   /* index in the payer list */
	int counted; /* the payee is in the watch's scope */
};

struct watch {
	struct fs_ctx *ctx;
	fs_date as_of;
	char as_of_s[11], near_s[11]; /* as_of and as_of + 180 days, as text */
	int64_t *emp_ids; /* sorted; NULL = every employment */
	size_t nemp;
	int64_t *person_ids; /* the workers of those employments, sorted */
	struct pay_row *pay;
	size_t npay, pay_pos;
	json_t *payers; /* array of "kind: name" */
	/* current person */
	int64_t person;
	int person_paid; /* the current person has payments: their claims wait in cur */
	struct claim_row *cur;
	size_t ncur, capcur;
	int64_t arrival; /* the current person's claims, counted in id order */
	struct {
		char text[24];
		size_t n;
		int kind;
	} seen[16]; /* kinds' texts already looked up (kind_of) */
	size_t nseen;
	/* totals */
	int64_t workers, full, partly, nothing, owed, paid, outstanding, overpaid;
	int64_t kind_owed[16], kind_paid[16];
	int64_t past_n, past_amount, near_n, near_amount;
	int64_t *payer_paid;
	int rc;
};

static int sorted_has(const int64_t *a, size_t n, int64_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == x;
}

/* A claim is in a workplace's scope when its employment is there, or, for a
 * claim entered without an employment, when its worker worked there. */
static int in_scope(const struct watch *w, int64_t employment, int64_t person)
{
	if (!w->emp_ids)
		return 1;
	if (employment > 0)
		return sorted_has(w->emp_ids, w->nemp, employment);
	return sorted_has(w->person_ids, w->nemp, person);
}

/* *sum += x, or w->rc = FS_EINVAL (named by fs_watch) when it would overflow. */
static int add_to(struct watch *w, int64_t *sum, int64_t x)
{
	if (__builtin_add_overflow(*sum, x, sum))
		return w->rc = FS_EINVAL, 1;
	return 0;
}

static void flush_person(struct watch *w)
{
	if (!w->ncur)
		return;
	int64_t paid = 0;
	while (w->pay_pos < w->npay && w->pay[w->pay_pos].person < w->person)
		w->pay_pos++;
	for (size_t i = w->pay_pos; i < w->npay && w->pay[i].person == w->person; i++) {
		if (add_to(w, &paid, w->pay[i].amount) || add_to(w, &w->payer_paid[w->pay[i].payer], w->pay[i].amount))
			return;
		w->pay[i].counted = 1;
	}
	int64_t left = allocate(w->cur, w->ncur, paid);
	int64_t owed = 0, got = 0;
	for (size_t i = 0; i < w->ncur; i++) {
		struct claim_row *c = &w->cur[i];
		if (c->written_off)
			continue;
		if (add_to(w, &owed, c->amount) || add_to(w, &got, c->paid) || add_to(w, &w->kind_owed[c->kind], c->amount) ||
		    add_to(w, &w->kind_paid[c->kind], c->paid))
			return;
		int64_t out = c->amount - c->paid;
		if (out > 0 && c->limitation[0]) {
			/* ISO dates compare as text */
			if (strcmp(c->limitation, w->as_of_s) < 0) {
				w->past_n++;
				add_to(w, &w->past_amount, out);
			} else if (strcmp(c->limitation, w->near_s) <= 0) {
				w->near_n++;
				add_to(w, &w->near_amount, out);
			}
		}
	}
	w->workers++;
	if (add_to(w, &w->owed, owed) || add_to(w, &w->paid, got) || add_to(w, &w->overpaid, left > 0 ? left : 0))
		return;
	if (owed > 0 && got >= owed)
		w->full++;
	else if (got > 0)
		w->partly++;
	else
		w->nothing++;
	w->ncur = 0;
}

/* The index in fs_claim_kinds of a claim's kind ("other" when unknown). The
 * texts seen are remembered with their index: a watch sees a few kinds. */
static int kind_of(struct watch *w, const struct fs_value *v)
{
	if (v->type != FS_VTEXT)
		return fs_claim_kind_index("other");
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i].n == v->n && !memcmp(w->seen[i].text, v->p, v->n))
			return w->seen[i].kind;
	char kind[24];
	size_t kn = v->n < sizeof(kind) - 1 ? v->n : sizeof(kind) - 1;
	memcpy(kind, v->p, kn);
	kind[kn] = '\0';
	int k = fs_claim_kind_index(kind);
	if (k < 0)
		k = fs_claim_kind_index("other");
	if (v->n < sizeof(w->seen[0].text) && w->nseen < sizeof(w->seen) / sizeof(w->seen[0])) {
		memcpy(w->seen[w->nseen].text, v->p, v->n);
		w->seen[w->nseen].n = v->n;
		w->seen[w->nseen++].kind = k;
	}
	return k;
}

/* A claim of a worker without payments owes its whole amount (written-off:
 * nothing): it is counted at once, as flush_person would count it. */
static void count_unpaid(struct watch *w, int kind, int64_t amount, const struct fs_value *lim)
{
	if (add_to(w, &w->owed, amount) || add_to(w, &w->kind_owed[kind], amount))
		return;
	if (amount > 0 && lim->type == FS_VTEXT && lim->n == 10) {
		/* ISO dates compare as text */
		if (memcmp(lim->p, w->as_of_s, 10) < 0) {
			w->past_n++;
			add_to(w, &w->past_amount, amount);
		} else if (memcmp(lim->p, w->near_s, 10) <= 0) {
			w->near_n++;
			add_to(w, &w->near_amount, amount);
		}
	}
}

/* The watch's scan: the claims of the organization in person order, then id
 * order (fs_store_select orders by id last), without their id: arrival order
 * stands for it. The employment is read only when a workplace scopes the watch. */
static const char *const scan_cols[] = {"person_id", "kind", "amount_minor", "status", "limitation_date", "employment_id"};

static int watch_claim_cb(void *p, const struct fs_value *v)
{
	struct watch *w = p;
	/* columns: scan_cols */
	int64_t person = v[0].i;
	if (w->emp_ids && !in_scope(w, v[5].type == FS_VINT ? v[5].i : -1, person))
		return 0;
	if (person != w->person) {
		flush_person(w);
		if (w->rc)
			return 1;
		w->person = person;
		while (w->pay_pos < w->npay && w->pay[w->pay_pos].person < w->person)
			w->pay_pos++;
		w->person_paid = w->pay_pos < w->npay && w->pay[w->pay_pos].person == w->person;
		if (!w->person_paid) { /* nothing paid: paid nothing, whatever is owed */
			w->workers++;
			w->nothing++;
		}
	}
	int written_off = v[3].type == FS_VTEXT && v[3].n == 11 && !memcmp(v[3].p, "written_off", 11);
	if (!w->person_paid) {
		if (!written_off)
			count_unpaid(w, kind_of(w, &v[1]), v[2].i, &v[4]);
		return w->rc != 0;
	}
	if (fs_grow(&w->cur, &w->capcur, w->ncur, sizeof(*w->cur), 16))
		return w->rc = FS_ENOMEM, 1;
	struct claim_row *c = &w->cur[w->ncur++];
	c->id = ++w->arrival; /* the rows come in id order */
	c->person = person;
	c->kind = kind_of(w, &v[1]);
	c->amount = v[2].i;
	c->written_off = written_off;
	c->limitation[0] = '\0';
	if (v[4].type == FS_VTEXT && v[4].n == 10) {
		memcpy(c->limitation, v[4].p, 10);
		c->limitation[10] = '\0';
	}
	return 0;
}

static int payer_index(struct watch *w, const struct fs_value *kind, const struct fs_value *name)
{
	char key[256];
	snprintf(key, sizeof(key), "%.*s: %.*s", (int)kind->n, (const char *)kind->p, (int)name->n, (const char *)name->p);
	size_t i;
	json_t *v;
	json_array_foreach(w->payers, i, v) if (!strcmp(json_string_value(v), key)) return (int)i;
	json_array_append_new(w->payers, json_string(key));
	return (int)json_array_size(w->payers) - 1;
}

static int watch_pay_cb(void *p, const struct fs_value *v)
{
	struct watch *w = p;
	/* columns: person_id, amount_minor, payer_kind, payer_name, paid_on, promise_id */
	if ((w->npay & (w->npay + 1)) == 0 || !w->pay) {
		struct pay_row *n = realloc(w->pay, (w->npay * 2 + 2) * sizeof(*n));
		if (!n)
			return w->rc = FS_ENOMEM, 1;
		w->pay = n;
	}
	struct pay_row *r = &w->pay[w->npay++];
	char d[16];
	r->person = v[0].i;
	r->amount = v[1].i;
	r->payer = payer_index(w, &v[2], &v[3]);
	r->paid_on = 0;
	fs_date_parse(vtext(&v[4], d, sizeof(d)), &r->paid_on, NULL, NULL);
	r->promise = v[5].type == FS_VINT ? v[5].i : 0;
	r->counted = 0;
	return 0;
}

static int emp_cb(void *p, const struct fs_value *v)
{
	struct watch *w = p;
	if ((w->nemp & (w->nemp + 1)) == 0 || !w->emp_ids) {
		size_t cap = w->nemp * 2 + 2;
		int64_t *n = realloc(w->emp_ids, cap * sizeof(*n)), *m = n ? realloc(w->person_ids, cap * sizeof(*m)) : NULL;
		if (n)
			w->emp_ids = n;
		if (m)
			w->person_ids = m;
		if (!n || !m)
			return w->rc = FS_ENOMEM, 1;
	}
	w->emp_ids[w->nemp] = v[0].i;
	w->person_ids[w->nemp++] = v[1].i;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static const char *const claim_cols[] = {"id", "person_id", "employment_id", "kind", "amount_minor", "status", "limitation_date"};
static const char *const pay_cols[] = {"person_id", "amount_minor", "payer_kind", "payer_name", "paid_on", "promise_id"};

static int load_scope(struct watch *w, int64_t workplace, int64_t person, struct fs_error *err)
{
	struct fs_ctx *ctx = w->ctx;
	int rc = 0;
	if (workplace > 0) {
		static const char *const id_col[] = {"id", "person_id"};
		struct fs_filter f = {"workplace_id", FS_EQ, fs_vint(workplace)};
		struct fs_query q = {.table = &fs_entity_find("employment")->table, .filters = &f, .nfilters = 1,
				     .columns = id_col, .ncolumns = 2};
		rc = fs_store_select(ctx->st, &q, emp_cb, w, err);
		if (!rc)
			rc = w->rc;
		if (!rc && !w->emp_ids) { /* an empty scope, not "everything" */
			w->emp_ids = calloc(1, sizeof(int64_t));
			w->person_ids = calloc(1, sizeof(int64_t));
		}
		if (!rc && w->nemp) {
			qsort(w->emp_ids, w->nemp, sizeof(int64_t), cmp_i64);
			qsort(w->person_ids, w->nemp, sizeof(int64_t), cmp_i64);
		}
	}
	struct fs_filter pf[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"person_id", FS_EQ, fs_vint(person)}};
	struct fs_query pq = {.table = &fs_entity_find("payment")->table, .filters = pf, .nfilters = person ? 2 : 1,
			      .order_by = "person_id", .columns = pay_cols, .ncolumns = 6};
	if (!rc)
		rc = fs_store_select(ctx->st, &pq, watch_pay_cb, w, err);
	if (!rc && w->rc)
		rc = w->rc;
	if (!rc) {
		w->payer_paid = calloc(json_array_size(w->payers) + 1, sizeof(int64_t));
		if (!w->payer_paid)
			rc = FS_ENOMEM;
	}
	return rc;
}

static void watch_done(struct watch *w)
{
	free(w->emp_ids);
	free(w->person_ids);
	free(w->pay);
	free(w->cur);
	free(w->payer_paid);
	json_decref(w->payers);
}

/* Promise status on as_of: its target (amount, or the owed claims it covers),
 * what was paid against it, kept/partly_kept/broken/pending, overdue. */
struct promise_ud {
	struct watch *w;
	const char *kinds;
	int64_t person, target;
	struct watch *scope;
};

static int kind_listed(const char *kinds, const char *kind, size_t n)
{
	if (!kinds || !*kinds)
		return 1;
	const char *p = kinds;
	while ((p = strstr(p, kind ? kind : ""))) {
		int start = p == kinds || p[-1] == ',' || p[-1] == ' ';
		int end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
		if (start && end)
			return 1;
		p += n;
	}
	return 0;
}

static int promise_claim_cb(void *p, const struct fs_value *v)
{
	struct promise_ud *u = p;
	char kind[24];
	snprintf(kind, sizeof(kind), "%.*s", (int)v[3].n, (const char *)v[3].p);
	int wo = v[5].type == FS_VTEXT && v[5].n == 11 && !memcmp(v[5].p, "written_off", 11);
	if (wo || !kind_listed(u->kinds, kind, strlen(kind)))
		return 0;
	if (u->scope && !in_scope(u->scope, v[2].type == FS_VINT ? v[2].i : -1, v[1].i))
		return 0;
	u->target += v[4].i;
	return 0;
}

static json_t *promises_json(struct watch *w, int64_t workplace, int64_t person, int64_t *overdue_n, struct fs_error *err)
{
	struct fs_ctx *ctx = w->ctx;
	const struct fs_entity *pe = fs_entity_find("promise");
	json_t *list;
	struct fs_list_opts lo = {.limit = 10000};
	if (fs_list(ctx, pe, &lo, &list, err))
		return NULL;
	json_t *out = json_array();
	size_t i;
	json_t *pr;
	*overdue_n = 0;
	json_array_foreach(json_object_get(list, "items"), i, pr) {
		int64_t pwp = json_integer_value(json_object_get(pr, "workplace_id"));
		int64_t pperson = json_integer_value(json_object_get(pr, "person_id"));
		if (workplace > 0 && pwp && pwp != workplace)
			continue;
		if (person > 0 && pperson && pperson != person)
			continue;
		int64_t id = json_integer_value(json_object_get(pr, "id"));
		int64_t paid = 0;
		for (size_t k = 0; k < w->npay; k++)
			if (w->pay[k].promise == id)
				paid += w->pay[k].amount;
		int64_t target = json_integer_value(json_object_get(pr, "amount_minor"));
		if (json_is_null(json_object_get(pr, "amount_minor"))) {
			struct promise_ud u = {.w = w, .kinds = json_string_value(json_object_get(pr, "kinds")), .person = pperson};
			struct watch scope = {.ctx = ctx, .payers = json_array()};
			if (pwp && load_scope(&scope, pwp, -1, err) == 0)
				u.scope = &scope;
			struct fs_filter cf[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"person_id", FS_EQ, fs_vint(pperson)}};
			struct fs_query cq = {.table = &fs_entity_find("claim")->table, .filters = cf, .nfilters = pperson ? 2 : 1,
					      .columns = claim_cols, .ncolumns = 7};
			fs_store_select(ctx->st, &cq, promise_claim_cb, &u, NULL);
			target = u.target;
			watch_done(&scope);
		}
		fs_date due = 0;
		fs_date_parse(json_string_value(json_object_get(pr, "due_on")), &due, NULL, NULL);
		const char *status = paid >= target && target > 0 ? "kept" : w->as_of <= due ? "pending"
				   : paid > 0 ? "partly_kept" : "broken";
		int overdue = w->as_of > due && paid < target;
		*overdue_n += overdue;
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:O,s:O,s:O,s:s,s:s,s:I,s:I,s:I,s:s,s:b}", "id", (json_int_t)id,
						     "promisor_kind", json_string_value(json_object_get(pr, "promisor_kind")),
						     "promisor_name", json_string_value(json_object_get(pr, "promisor_name")),
						     "workplace_id", json_object_get(pr, "workplace_id"), "person_id",
						     json_object_get(pr, "person_id"), "kinds", json_object_get(pr, "kinds"),
						     "made_on", json_string_value(json_object_get(pr, "made_on")),
						     "due_on", json_string_value(json_object_get(pr, "due_on")),
						     "promised_minor", (json_int_t)target, "paid_minor", (json_int_t)paid,
						     "outstanding_minor", (json_int_t)(target - paid > 0 ? target - paid : 0),
						     "status", status, "overdue", overdue));
	}
	json_decref(list);
	return out;
}

int fs_watch(struct fs_ctx *ctx, int64_t workplace, fs_date as_of, json_t **ret, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "register.read", err);
	if (cap_rc)
		return cap_rc;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	struct watch w = {.ctx = ctx, .as_of = as_of, .person = -1, .payers = json_array()};
	fs_date_format(as_of, w.as_of_s);
	fs_date_format(as_of + FS_WATCH_NEAR_DAYS, w.near_s);
	int rc = 0;
	if (workplace > 0) {
		struct fs_row row;
		if ((rc = fs_store_get(ctx->st, &fs_entity_find("workplace")->table, workplace, &row, NULL)) == 0) {
			int other = row.vals[1].i != ctx->org_id;
			fs_row_free(&row);
			if (other)
				rc = FS_ENOTFOUND;
		}
		if (rc) {
			watch_done(&w);
			return fs_fail(err, FS_ENOTFOUND, "workplace", "there is no workplace with id %lld", (long long)workplace);
		}
	}
	rc = load_scope(&w, workplace, 0, err);
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &fs_entity_find("claim")->table, .filters = &f, .nfilters = 1, .order_by = "person_id",
			     .columns = scan_cols, .ncolumns = workplace > 0 ? 6 : 5, .scan = 1};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, watch_claim_cb, &w, err);
	if (!rc && !w.rc)
		flush_person(&w);
	if (!rc && w.rc == FS_EINVAL)
		rc = fs_fail(err, FS_EINVAL, "amount_minor", "the claims or payments in the watch add up past the largest amount");
	else if (!rc)
		rc = w.rc;
	int64_t overdue_n = 0;
	json_t *promises = rc ? NULL : promises_json(&w, workplace, 0, &overdue_n, err);
	if (!rc && !promises)
		rc = FS_ESTORE;
	if (rc) {
		watch_done(&w);
		return rc;
	}
	json_t *by_kind = json_object();
	for (int k = 0; fs_claim_kinds[k]; k++)
		if (w.kind_owed[k] || w.kind_paid[k])
			json_object_set_new(by_kind, fs_claim_kinds[k],
					    json_pack("{s:I,s:I,s:I}", "owed_minor", (json_int_t)w.kind_owed[k], "paid_minor",
						      (json_int_t)w.kind_paid[k], "outstanding_minor",
						      (json_int_t)(w.kind_owed[k] - w.kind_paid[k])));
	json_t *by_payer = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(w.payers, i, v) if (w.payer_paid[i]) json_object_set_new(by_payer, json_string_value(v),
										    json_integer(w.payer_paid[i]));
	/* paid over time: cumulative by month, for the chart */
	json_t *months = json_object();
	for (size_t k = 0; k < w.npay; k++) {
		if (!w.pay[k].counted)
			continue;
		char m[11];
		fs_date_format(w.pay[k].paid_on, m);
		m[7] = '\0';
		json_t *cur = json_object_get(months, m);
		json_object_set_new(months, m, json_integer(json_integer_value(cur) + w.pay[k].amount));
	}
	char as_of_s[11];
	fs_date_format(as_of, as_of_s);
	*ret = json_pack("{s:s,s:s,s:I,s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I},s:o,s:o,s:o,s:I,s:{s:{s:I,s:I},s:{s:I,s:I}},s:o}",
			 "as_of", as_of_s, "currency", ctx->org_currency, "workplace_id", workplace > 0 ? (json_int_t)workplace : 0,
			 "workers", "total", (json_int_t)w.workers, "paid_in_full", (json_int_t)w.full, "partly_paid",
			 (json_int_t)w.partly, "paid_nothing", (json_int_t)w.nothing, "totals", "owed_minor", (json_int_t)w.owed,
			 "paid_minor", (json_int_t)w.paid, "outstanding_minor", (json_int_t)(w.owed - w.paid), "overpaid_minor",
			 (json_int_t)w.overpaid, "by_kind", by_kind,
			 "by_payer", by_payer, "promises", promises, "overdue_promises", (json_int_t)overdue_n, "limitation",
			 "past", "claims", (json_int_t)w.past_n, "outstanding_minor", (json_int_t)w.past_amount, "within_180_days",
			 "claims", (json_int_t)w.near_n, "outstanding_minor", (json_int_t)w.near_amount, "paid_by_month", months);
	if (!*ret) {
		watch_done(&w);
		return fs_fail(err, FS_ENOMEM, NULL, "cannot build the watch report");
	}
	if (workplace <= 0)
		json_object_set_new(*ret, "workplace_id", json_null());
	json_t *by_kind_lim = NULL; /* reinstatement and other non-money periods (limitation.c) */
	if (!(rc = fs_watch_limitation(ctx, workplace, as_of, &by_kind_lim, err)))
		json_object_set_new(json_object_get(*ret, "limitation"), "by_kind", by_kind_lim);
	/* the watch's own invariant: outstanding = owed - paid, by kind too */
	int64_t so = 0, sp = 0;
	for (int k = 0; fs_claim_kinds[k]; k++) {
		so += w.kind_owed[k];
		sp += w.kind_paid[k];
	}
	if (so != w.owed || sp != w.paid)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "watch totals do not add up (owed %lld/%lld, paid %lld/%lld)",
			     (long long)so, (long long)w.owed, (long long)sp, (long long)w.paid);
	watch_done(&w);
	if (rc) {
		json_decref(*ret);
		*ret = NULL;
	}
	return rc;
}

/* Rebuild the engine input from a claim's stored inputs. */
static int input_from_json(json_t *inputs, fs_date as_of, struct fs_entitle_in *in, struct fs_error *err)
{
	fs_entitle_init(in);
	in->as_of = as_of;
	const char *k;
	json_t *v;
	int rc = 0;
	json_object_foreach(inputs, k, v) {
		char buf[64];
		if (rc)
			break;
		size_t kl = strlen(k);
		if (!strcmp(k, "conventions")) {
			const char *ck;
			json_t *cv;
			json_object_foreach(v, ck, cv) json_object_set(in->conventions, ck, cv);
			continue;
		}
		if (kl > 6 && !strcmp(k + kl - 6, "_minor")) {
			char key[64];
			snprintf(key, sizeof(key), "%.*s", (int)(kl - 6), k);
			if (!strcmp(key, "accruals_12m"))
				snprintf(key, sizeof(key), "accruals_12m");
			fs_money_format(json_integer_value(v), 2, buf);
			rc = fs_entitle_set(in, key, buf, err);
		} else if (json_is_boolean(v)) {
			rc = fs_entitle_set(in, k, json_is_true(v) ? "yes" : "no", err);
		} else if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
			rc = fs_entitle_set(in, k, buf, err);
		} else if (json_is_string(v)) {
			rc = fs_entitle_set(in, k, json_string_value(v), err);
		}
	}
	return rc;
}

struct stmt_ud {
	struct claim_row *rows;
	size_t n;
	json_t *claims;
	int rc;
};

static int stmt_claim_cb(void *p, const struct fs_value *v)
{
	struct stmt_ud *u = p;
	struct claim_row *n = realloc(u->rows, (u->n + 1) * sizeof(*n));
	if (!n)
		return u->rc = FS_ENOMEM, 1;
	u->rows = n;
	char kind[24];
	snprintf(kind, sizeof(kind), "%.*s", (int)v[3].n, (const char *)v[3].p);
	struct claim_row *c = &u->rows[u->n++];
	memset(c, 0, sizeof(*c));
	c->id = v[0].i;
	c->employment = v[2].type == FS_VINT ? v[2].i : 0;
	c->kind = fs_claim_kind_index(kind);
	c->amount = v[4].i;
	c->written_off = v[5].type == FS_VTEXT && v[5].n == 11 && !memcmp(v[5].p, "written_off", 11);
	return 0;
}

int fs_statement(struct fs_ctx *ctx, int64_t person, const char *lang, fs_date as_of, json_t **ret, struct fs_error *err)
{
	const struct fs_entity *pe = fs_entity_find("person"), *ce = fs_entity_find("claim"), *ye = fs_entity_find("payment");
	json_t *who;
	int rc = fs_get(ctx, pe, person, 0, &who, err); /* register.read: checked by fs_get */
	if (rc)
		return rc;
	/* claims and payments as records, then the allocation */
	char pid[24];
	snprintf(pid, sizeof(pid), "%lld", (long long)person);
	struct fs_kv filt = {"person_id", pid};
	struct fs_list_opts lo = {.filters = &filt, .nfilters = 1, .limit = 10000};
	json_t *claims = NULL, *payments = NULL;
	rc = fs_list(ctx, ce, &lo, &claims, err);
	if (!rc)
		rc = fs_list(ctx, ye, &lo, &payments, err);
	struct stmt_ud u = {0};
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"person_id", FS_EQ, fs_vint(person)}};
	struct fs_query q = {.table = &ce->table, .filters = f, .nfilters = 2, .columns = claim_cols, .ncolumns = 7};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, stmt_claim_cb, &u, err);
	if (!rc)
		rc = u.rc;
	if (rc) {
		json_decref(who);
		json_decref(claims);
		json_decref(payments);
		free(u.rows);
		return rc;
	}
	int64_t paid = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(payments, "items"), i, v) paid += json_integer_value(json_object_get(v, "amount_minor"));
	int64_t left = allocate(u.rows, u.n, paid);
	int64_t owed = 0, got = 0;
	json_t *out_claims = json_array();
	json_t *explanation = json_array();
	json_t *warnings = json_array();
	json_t *seen_inputs = json_array();
	for (size_t k = 0; k < u.n; k++) {
		json_t *c = NULL;
		json_array_foreach(json_object_get(claims, "items"), i, v) if (json_integer_value(json_object_get(v, "id")) == u.rows[k].id) c = v;
		if (!c)
			continue;
		int64_t amount = u.rows[k].written_off ? 0 : u.rows[k].amount;
		owed += amount;
		got += u.rows[k].paid;
		json_t *oc = json_deep_copy(c);
		json_object_del(oc, "inputs");
		json_object_set_new(oc, "paid_minor", json_integer(u.rows[k].paid));
		json_object_set_new(oc, "outstanding_minor", json_integer(amount - u.rows[k].paid));
		const char *lim = json_string_value(json_object_get(c, "limitation_date"));
		fs_date ld;
		if (lim && amount - u.rows[k].paid > 0 && !fs_date_parse(lim, &ld, NULL, NULL)) {
			json_object_set_new(oc, "limitation", json_string(ld < as_of ? "passed" : ld - as_of <= FS_WATCH_NEAR_DAYS ? "near" : "open"));
		}
		json_array_append_new(out_claims, oc);
		/* explain each computation once (one per employment and rule set) */
		const char *inputs = json_string_value(json_object_get(c, "inputs"));
		int dup = 0;
		json_array_foreach(seen_inputs, i, v) dup |= inputs && !strcmp(json_string_value(v), inputs);
		if (!inputs || dup)
			continue;
		json_array_append_new(seen_inputs, json_string(inputs));
		json_t *ij = json_loads(inputs, 0, NULL);
		struct fs_entitle_in in;
		struct fs_error e2 = {0};
		json_t *r = NULL;
		if (ij && !input_from_json(ij, as_of, &in, &e2) && !fs_entitle(&in, lang, &r, &e2)) {
			json_array_append_new(explanation, json_pack("{s:O,s:s,s:O,s:O,s:O}", "employment_id", json_object_get(c, "employment_id"),
								     "rules_version", json_string_value(json_object_get(r, "rules_version")),
								     "steps", json_object_get(r, "steps"), "components", json_object_get(r, "components"),
								     "limitation", json_object_get(r, "limitation")));
			json_array_foreach(json_object_get(r, "warnings"), i, v) json_array_append(warnings, v);
		} else {
			json_array_append_new(warnings, json_string(e2.message[0] ? e2.message : "stored inputs cannot be read"));
		}
		fs_entitle_done(&in);
		json_decref(r);
		json_decref(ij);
	}
	free(u.rows);
	json_decref(seen_inputs);
	json_t *pays = json_incref(json_object_get(payments, "items"));
	json_decref(claims);
	json_decref(payments);
	char as_of_s[11];
	fs_date_format(as_of, as_of_s);
	*ret = json_pack("{s:s,s:o,s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I},s:o,s:o}", "as_of", as_of_s, "person", who, "currency",
			 ctx->org_currency, "claims", out_claims, "payments", pays, "totals", "owed_minor", (json_int_t)owed,
			 "paid_minor", (json_int_t)got, "outstanding_minor", (json_int_t)(owed - got), "unallocated_minor",
			 (json_int_t)left, "explanation", explanation, "warnings", warnings);
	return 0;
}
