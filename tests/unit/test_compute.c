/* test_compute.c - claims compute's fast path (issue #16, clm16): the rules
 * engine runs on a worker thread a chunk ahead of the stores, and SQLite's
 * foreign-key look-ups are left out for the compute's own rows only. Checked:
 * an employment that cannot be computed in a later chunk stores nothing and is
 * named; the connection's foreign-key checks are back on after every compute
 * (a success, a refusal, one inside the caller's transaction); the claims of
 * employments spread over several chunks are those of a compute run alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fairshare.h"
#include "fixture.h"
#include "core/internal.h"
#include "entitle_int.h"

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
};

enum { NW = 1100 }; /* more than two chunks of 512 */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fx_db_open_org(&f->d, "compute", "mm", "M", "TR", "TRY"))
		return -1;
	*state = f;
	return 0;
}

static void mk(struct fx *f, const char *entity, const struct fs_kv *kv, size_t n)
{
	struct fs_error err = {0};
	int rc = fs_create(f->d.ctx, fs_entity_find(entity), kv, n, NULL, &err);
	if (rc)
		print_error("%s: %s\n", entity, err.message);
	assert_int_equal(rc, 0);
}

/* NW discharged workers at workplace 1; worker bad (1-based, 0 none) has no wage */
static void workers(struct fx *f, int bad)
{
	const struct fs_kv er[] = {{"name", "Coal"}};
	mk(f, "employer", er, 1);
	const struct fs_kv wp[] = {{"employer_id", "1"}, {"name", "Mine"}, {"kind", "mine"}};
	mk(f, "workplace", wp, 3);
	assert_int_equal(fs_tx_begin(f->d.ctx, NULL), 0);
	for (int i = 1; i <= NW; i++) {
		char name[32], pid[16], hired[16], wage[16];
		snprintf(name, sizeof(name), "Worker %d", i);
		snprintf(pid, sizeof(pid), "%d", i);
		snprintf(hired, sizeof(hired), "%04d-%02d-15", 1990 + i % 20, 1 + i % 12);
		snprintf(wage, sizeof(wage), "%d.%02d", 1000 + i, i % 100);
		const struct fs_kv p[] = {{"full_name", name}};
		mk(f, "person", p, 1);
		const struct fs_kv e[] = {{"person_id", pid}, {"workplace_id", "1"}, {"hired", hired},
					  {"terminated", "2011-08-31"}, {"termination_reason", "closure"},
					  {"wage", i == bad ? NULL : wage}};
		mk(f, "employment", e, i == bad ? 5 : 6);
	}
	assert_int_equal(fs_tx_end(f->d.ctx, 0, NULL), 0);
}

static int64_t count_cb_n;
static int count_cb(void *ud, const struct fs_value *v)
{
	(void)ud;
	(void)v;
	count_cb_n++;
	return 0;
}

static char has[NW + 1]; /* employment id -> it has a claim */
static int emp_cb(void *ud, const struct fs_value *v)
{
	(void)ud;
	if (v[0].type == FS_VINT && v[0].i >= 1 && v[0].i <= NW)
		has[v[0].i] = 1;
	return 0;
}

/* how many employments have claims */
static int employments_with_claims(struct fx *f)
{
	struct fs_error err = {0};
	static const char *const cols[] = {"employment_id"};
	struct fs_query q = {.table = &fs_entity_find("claim")->table, .columns = cols, .ncolumns = 1};
	memset(has, 0, sizeof(has));
	assert_int_equal(fs_store_select(f->d.ctx->st, &q, emp_cb, NULL, &err), 0);
	int n = 0;
	for (int i = 1; i <= NW; i++)
		n += has[i];
	return n;
}

static int64_t claims(struct fx *f)
{
	struct fs_error err = {0};
	struct fs_query q = {.table = &fs_entity_find("claim")->table};
	count_cb_n = 0;
	assert_int_equal(fs_store_select(f->d.ctx->st, &q, count_cb, NULL, &err), 0);
	return count_cb_n;
}

/* how many claims start as a new claim does: draft, computed, in the organization's currency */
static int64_t claims_new(struct fx *f)
{
	struct fs_error err = {0};
	struct fs_filter w[3] = {{"status", FS_EQ, fs_vtext("draft")}, {"basis", FS_EQ, fs_vtext("computed")},
				 {"currency", FS_EQ, fs_vtext("TRY")}};
	struct fs_query q = {.table = &fs_entity_find("claim")->table, .filters = w, .nfilters = 3};
	count_cb_n = 0;
	assert_int_equal(fs_store_select(f->d.ctx->st, &q, count_cb, NULL, &err), 0);
	return count_cb_n;
}

/* A claim of a person who does not exist, stored outside fairshare's checks:
 * refused only by the connection's foreign-key checks. */
static void foreign_keys_on(struct fx *f)
{
	const struct fs_entity *ce = fs_entity_find("claim");
	struct fs_value v[FS_MAX_COLS];
	for (size_t i = 0; i < ce->table.ncols; i++)
		v[i] = fs_vnull();
	v[ce->col_of[fs_field_index(ce, "person_id")]] = fs_vint(999999);
	v[ce->col_of[fs_field_index(ce, "kind")]] = fs_vtext("notice");
	v[ce->col_of[fs_field_index(ce, "amount")]] = fs_vint(1);
	v[ce->org_col] = fs_vint(f->d.ctx->org_id);
	struct fs_error err = {0};
	int64_t id = 0;
	assert_int_not_equal(fs_store_insert(f->d.ctx->st, &ce->table, v, &id, &err), 0);
}

static void test_compute_chunks(void **state)
{
	struct fx *f = *state;
	workers(f, 0);
	struct fs_compute_opts o = {.workplace_id = 1, .as_of = 0};
	struct fs_error err = {0};
	json_t *r = NULL;
	assert_int_equal(fs_claims_compute(f->d.ctx, &o, &r, &err), 0);
	int64_t created = json_integer_value(json_object_get(r, "created"));
	assert_true(created >= NW); /* severance or notice for every worker */
	assert_int_equal(json_integer_value(json_object_get(r, "employments")), NW);
	assert_int_equal(claims(f), created);
	assert_int_equal(claims_new(f), created);
	assert_int_equal(employments_with_claims(f), NW); /* none left out, at any chunk's edge */
	json_decref(r);
	foreign_keys_on(f);
	/* again: every claim found (those of every chunk), none created */
	assert_int_equal(fs_claims_compute(f->d.ctx, &o, &r, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "created")), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), created);
	json_decref(r);
	foreign_keys_on(f);
	/* inside the caller's transaction: its checks untouched, the claims found */
	assert_int_equal(fs_tx_begin(f->d.ctx, &err), 0);
	assert_int_equal(fs_claims_compute(f->d.ctx, &o, &r, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), created);
	json_decref(r);
	assert_int_equal(fs_tx_end(f->d.ctx, 0, &err), 0);
	foreign_keys_on(f);
}

static void test_compute_error_late_chunk(void **state)
{
	struct fx *f = *state;
	workers(f, 1030); /* in the third chunk */
	struct fs_compute_opts o = {.workplace_id = 1};
	struct fs_error err = {0};
	json_t *r = NULL;
	assert_int_equal(fs_claims_compute(f->d.ctx, &o, &r, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "employment 1030"));
	assert_non_null(strstr(err.message, "no wage"));
	assert_false(json_is_true(json_object_get(r, "stored")));
	json_t *errors = json_object_get(r, "errors");
	assert_int_equal(json_array_size(errors), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(errors, 0), "employment_id")), 1030);
	json_decref(r);
	assert_int_equal(claims(f), 0); /* all or nothing: the two chunks before it stored nothing */
	foreign_keys_on(f);
}

/* fs_entitle_set_number sets what the number's text would set through
 * fs_entitle_set, and refuses what it refuses with the same field and words. */
static void test_set_number(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		int64_t v;
	} cases[] = {{"wage", 0}, {"wage", 123456}, {"wage", -1}, {"wage", 100000000000000000LL},
		     {"wage", 100000000000000001LL}, {"benefits", 37200}, {"benefits", -5}, {"accruals_12m", 99},
		     {"accruals_12m", -100}, {"unused_leave_days", 0}, {"unused_leave_days", 3650},
		     {"unused_leave_days", 3651}, {"unused_leave_days", -1}, {"days_worked", 0}, {"days_worked", 1},
		     {"days_worked", 366}, {"days_worked", 367}, {"unpaid_months", 3}, {"age", 121}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fs_entitle_in a, b;
		struct fs_error ea = {0}, eb = {0};
		char text[32];
		if (!strcmp(cases[i].key, "wage") || !strcmp(cases[i].key, "benefits") || !strcmp(cases[i].key, "accruals_12m")) {
			int64_t v = cases[i].v;
			snprintf(text, sizeof(text), "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(v < 0 ? -v : v) / 100,
				 (long long)(v < 0 ? -v : v) % 100);
		} else {
			snprintf(text, sizeof(text), "%lld", (long long)cases[i].v);
		}
		fs_entitle_init(&a);
		fs_entitle_init(&b);
		int ra = fs_entitle_set_number(&a, cases[i].key, cases[i].v, &ea);
		int rb = fs_entitle_set(&b, cases[i].key, text, &eb);
		assert_int_equal(ra, rb);
		assert_string_equal(ea.field, eb.field);
		assert_string_equal(ea.message, eb.message);
		assert_int_equal(a.wage_minor, b.wage_minor);
		assert_int_equal(a.has_wage, b.has_wage);
		assert_int_equal(a.benefits_minor, b.benefits_minor);
		assert_int_equal(a.accruals_minor, b.accruals_minor);
		assert_int_equal(a.has_accruals, b.has_accruals);
		assert_int_equal(a.unused_leave_days, b.unused_leave_days);
		assert_int_equal(a.days_worked, b.days_worked);
		assert_int_equal(a.unpaid_months, b.unpaid_months);
		assert_int_equal(a.age, b.age);
		fs_entitle_done(&a);
		fs_entitle_done(&b);
	}
}

/* The inputs' text claims compute stores is jansson's (keys sorted, compact,
 * no as_of), byte for byte, for every optional key present or not and every
 * flag either way. */
static void test_inputs_text(void **state)
{
	(void)state;
	for (int bits = 0; bits < 512; bits++) {
		struct fs_entitle_in in;
		fs_entitle_init(&in);
		memcpy(in.jurisdiction, bits & 1 ? "KZ" : "TR", 3);
		snprintf(in.reason, sizeof(in.reason), "%s", bits & 2 ? "closure" : "dismissal");
		in.hired = fs_date_from_ymd(1996, 4, 5);
		in.terminated = fs_date_from_ymd(2011, 8, 31);
		in.has_hired = in.has_terminated = in.has_wage = 1;
		in.wage_minor = 111060;
		in.benefits_minor = bits & 4 ? 37200 : 0;
		in.notice_served = (bits & 8) != 0;
		in.underground = (bits & 16) != 0;
		in.has_accruals = (bits & 32) != 0;
		in.accruals_minor = in.has_accruals ? 1740000 : 0;
		in.days_worked = bits & 64 ? 228 : 0;
		in.period_days = bits & 128 ? 21 : 0;
		in.age = bits & 256 ? 55 : 0;
		in.unpaid_months = bits % 3;
		in.unused_leave_days = bits % 5;
		in.overtime_hours_x100 = bits % 7 ? 0 : 1250;
		char fast[1024];
		char *slow = fs_entitle_inputs_json(&in);
		assert_non_null(slow);
		assert_int_not_equal(fs_entitle_inputs_text(&in, fast, sizeof(fast)), 0);
		assert_string_equal(fast, slow);
		free(slow);
		fs_entitle_done(&in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inputs_text),
		cmocka_unit_test(test_set_number),
		cmocka_unit_test_setup_teardown(test_compute_chunks, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_compute_error_late_chunk, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
