/* test_claims.c - properties of the claims watch on random data: outstanding =
 * owed - paid for every worker and in total; a retried payment records once;
 * reversals cancel; the watch's counts agree with an independent computation;
 * and an old database is migrated to the claims schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "fixture.h"
#include "util/money.h"

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fx_db_open_org(&f->d, "claims", "mm", "M", "TR", "TRY"))
		return -1;
	*state = f;
	return 0;
}

static uint64_t rng_state;
static uint64_t rnd(uint64_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % n;
}

static int64_t mk(struct fx *f, const char *entity, const struct fs_kv *kv, size_t n, int *existed)
{
	int64_t id = 0;
	struct fs_error err = {0};
	int rc = fs_create_ex(f->d.ctx, fs_entity_find(entity), kv, n, &id, existed, &err);
	if (rc)
		print_error("%s: %s\n", entity, err.message);
	assert_int_equal(rc, 0);
	return id;
}

#define NP 30

static void test_watch_properties(void **state)
{
	struct fx *f = *state;
	static const char *const kinds[] = {"unpaid_wages", "notice", "severance", "injury", "other"};
	for (uint64_t seed = 1; seed <= 4; seed++) {
		rng_state = 0x9e3779b97f4a7c15ULL * seed;
		int64_t owed[NP] = {0}, paid[NP] = {0};
		int64_t people[NP];
		for (int p = 0; p < NP; p++) {
			char name[32];
			snprintf(name, sizeof(name), "W %llu-%d", (unsigned long long)seed, p);
			struct fs_kv pk[] = {{"full_name", name}};
			people[p] = mk(f, "person", pk, 1, NULL);
			char pid[24];
			snprintf(pid, sizeof(pid), "%lld", (long long)people[p]);
			int nc = (int)rnd(4);
			for (int c = 0; c < nc; c++) {
				int64_t amount = 1 + (int64_t)rnd(10000000);
				char a[32];
				fs_money_format(amount, 2, a);
				int written_off = rnd(8) == 0;
				struct fs_kv ck[] = {{"person_id", pid}, {"kind", kinds[rnd(5)]}, {"amount", a},
						     {"document_ref", "doc"}, {"status", written_off ? "written_off" : "filed"}};
				mk(f, "claim", ck, 5, NULL);
				if (!written_off)
					owed[p] += amount;
			}
			int npay = (int)rnd(4);
			for (int k = 0; k < npay; k++) {
				int64_t amount = 1 + (int64_t)rnd(5000000);
				char a[32], key[48];
				fs_money_format(amount, 2, a);
				snprintf(key, sizeof(key), "s%llu-p%d-%d", (unsigned long long)seed, p, k);
				struct fs_kv yk[] = {{"person_id", pid}, {"payer_kind", "ministry"}, {"payer_name", "M"},
						     {"paid_on", "2012-01-01"}, {"amount", a}, {"idempotency_key", key}};
				int existed = -1;
				int64_t id = mk(f, "payment", yk, 6, &existed);
				assert_int_equal(existed, 0);
				/* a retry: the same payment again records nothing */
				int64_t again = mk(f, "payment", yk, 6, &existed);
				assert_int_equal(existed, 1);
				assert_int_equal(again, id);
				paid[p] += amount;
				if (rnd(5) == 0) {
					struct fs_error err = {0};
					assert_int_equal(fs_payment_reverse(f->d.ctx, id, NULL, 0, NULL, &err), 0);
					paid[p] -= amount;
				}
			}
		}
		for (int p = 0; p < NP; p++) {
			struct fs_error err = {0};
			json_t *s;
			assert_int_equal(fs_statement(f->d.ctx, people[p], "en", fs_date_today(), &s, &err), 0);
			json_t *t = json_object_get(s, "totals");
			int64_t alloc = paid[p] < 0 ? 0 : paid[p] > owed[p] ? owed[p] : paid[p];
			assert_int_equal(json_integer_value(json_object_get(t, "owed_minor")), owed[p]);
			assert_int_equal(json_integer_value(json_object_get(t, "paid_minor")), alloc);
			assert_int_equal(json_integer_value(json_object_get(t, "outstanding_minor")), owed[p] - alloc);
			/* per claim: paid + outstanding = amount, and the claims add up */
			int64_t sum_out = 0;
			size_t i;
			json_t *c;
			json_array_foreach(json_object_get(s, "claims"), i, c) sum_out += json_integer_value(json_object_get(c, "outstanding_minor"));
			assert_int_equal(sum_out, owed[p] - alloc);
			json_decref(s);
		}
	}
}

static void test_watch_totals(void **state)
{
	struct fx *f = *state;
	rng_state = 42;
	int64_t t_owed = 0, t_paid = 0, full = 0, partly = 0, nothing = 0, workers = 0;
	for (int p = 0; p < 50; p++) {
		char name[32], pid[24];
		snprintf(name, sizeof(name), "V %d", p);
		struct fs_kv pk[] = {{"full_name", name}};
		int64_t person = mk(f, "person", pk, 1, NULL);
		snprintf(pid, sizeof(pid), "%lld", (long long)person);
		int64_t owed = 0, paid = 0;
		int nc = (int)rnd(3);
		for (int c = 0; c < nc; c++) {
			int64_t amount = 1 + (int64_t)rnd(1000000);
			char a[32];
			fs_money_format(amount, 2, a);
			struct fs_kv ck[] = {{"person_id", pid}, {"kind", "severance"}, {"amount", a}, {"document_ref", "d"}};
			mk(f, "claim", ck, 4, NULL);
			owed += amount;
		}
		for (int k = (int)rnd(3); k > 0; k--) {
			int64_t amount = 1 + (int64_t)rnd(800000);
			char a[32];
			fs_money_format(amount, 2, a);
			struct fs_kv yk[] = {{"person_id", pid}, {"payer_kind", "employer"}, {"payer_name", "E"}, {"paid_on", "2013-01-01"}, {"amount", a}};
			mk(f, "payment", yk, 5, NULL);
			paid += amount;
		}
		if (!nc)
			continue; /* a worker without claims is not in the watch */
		int64_t alloc = paid > owed ? owed : paid;
		workers++;
		t_owed += owed;
		t_paid += alloc;
		if (alloc >= owed)
			full++;
		else if (alloc > 0)
			partly++;
		else
			nothing++;
	}
	struct fs_error err = {0};
	json_t *w;
	assert_int_equal(fs_watch(f->d.ctx, 0, fs_date_today(), &w, &err), 0);
	json_t *t = json_object_get(w, "totals"), *wk = json_object_get(w, "workers");
	assert_int_equal(json_integer_value(json_object_get(t, "owed_minor")), t_owed);
	assert_int_equal(json_integer_value(json_object_get(t, "paid_minor")), t_paid);
	assert_int_equal(json_integer_value(json_object_get(t, "outstanding_minor")), t_owed - t_paid);
	assert_int_equal(json_integer_value(json_object_get(wk, "total")), workers);
	assert_int_equal(json_integer_value(json_object_get(wk, "paid_in_full")), full);
	assert_int_equal(json_integer_value(json_object_get(wk, "partly_paid")), partly);
	assert_int_equal(json_integer_value(json_object_get(wk, "paid_nothing")), nothing);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(w, "by_kind"), "severance"), "owed_minor")), t_owed);
	json_decref(w);
	struct fs_verify_report rep;
	assert_int_equal(fs_verify(f->d.ctx, &rep, &err), 0);
	free(rep.text);
}

static void test_old_database_migrated(void **state)
{
	struct fx *f = *state;
	fs_close(f->d.ctx);
	f->d.ctx = NULL;
	/* make it a schema-1 database: no claims tables yet */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->d.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE payments; DROP TABLE promises; DROP TABLE claims; DROP TABLE roles; DROP TABLE sessions;"
				      " DROP TABLE api_tokens; DROP TABLE login_attempts; DROP TABLE users; DROP TABLE balances;"
				      " DROP TABLE transfers; DROP TABLE transfer_heads; DROP TABLE pledges; DROP TABLE accounts; DROP TABLE funds; DROP TABLE person_links;"
				      " DROP TABLE citations; DROP TABLE hearings; DROP TABLE evidence_custody; DROP TABLE evidence; DROP TABLE assessments; DROP TABLE violations; DROP TABLE legal_cases; DROP TABLE reports; DROP TABLE detentions; DROP TABLE incidents;"
				      " DROP TABLE demands; DROP TABLE action_stages; DROP TABLE actions;"
				      " DROP TABLE log_nodes; DROP TABLE checkpoints; DROP TABLE journal_rows; DROP TABLE party_keys;"
				      " DROP TABLE witnessed_checkpoints; DROP TABLE witnessed_logs; DROP INDEX journal_log;"
				      " ALTER TABLE employments DROP COLUMN accruals_12m_minor; ALTER TABLE employments DROP COLUMN days_worked_12m;"
				      " ALTER TABLE employments DROP COLUMN unused_leave_days;"
				      " DELETE FROM meta WHERE key = 'merkle_log'; PRAGMA user_version = 1;",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct fs_error err = {0};
	int orc = fs_open(f->d.path, NULL, 0, &f->d.ctx, &err);
	if (orc)
		fail_msg("open: %s %s", err.field, err.message);
	assert_int_equal(fs_use_org(f->d.ctx, "mm", &err), 0);
	struct fs_kv pk[] = {{"full_name", "After Migration"}};
	int64_t person = mk(f, "person", pk, 1, NULL);
	char pid[24];
	snprintf(pid, sizeof(pid), "%lld", (long long)person);
	struct fs_kv ck[] = {{"person_id", pid}, {"kind", "other"}, {"amount", "10"}, {"document_ref", "d"}};
	mk(f, "claim", ck, 4, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_watch_properties, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_watch_totals, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_old_database_migrated, setup, fx_teardown),
	};
	return cmocka_run_group_tests_name("claims", tests, NULL, NULL);
}
