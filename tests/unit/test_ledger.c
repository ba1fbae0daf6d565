/* test_ledger.c - properties of the ledger on random operations: random batches
 * of transfers with linked chains, failures in the middle of chains, pending
 * transfers posted, voided or left, retries of whole batches. After every batch:
 * verify finds nothing wrong (the chain holds, every balance equals the sum of
 * its transfers, debits equal credits, no no-negative account below zero); a
 * linked chain succeeded or failed whole; a retried batch changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fairshare.h"

static uint64_t rs;
static uint64_t rnd(uint64_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs % n;
}

struct fx {
	char dir[64], db[128];
	struct fs_ctx *ctx;
	int64_t fund;
	int64_t acct[12];
	size_t nacct;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/fs-ledger-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	struct fs_error err = {0};
	const struct fs_kv org[] = {{"slug", "mm"}, {"name", "M"}, {"country", "TR"}, {"currency", "TRY"}};
	const struct fs_kv fund[] = {{"name", "F"}};
	if (fs_open(f->db, NULL, FS_INIT, &f->ctx, &err) || fs_create(f->ctx, fs_entity_find("organization"), org, 4, NULL, &err) ||
	    fs_use_org(f->ctx, "mm", &err) || fs_fund_create(f->ctx, fund, 1, &f->fund, &err))
		return -1;
	static const char *const names[] = {"assets:cash", "assets:bank", "income:contributions", "expenses:strike-pay",
					    "expenses:legal", "liabilities:support-payable"};
	for (size_t i = 0; i < 6; i++)
		if (fs_account_by_name(f->ctx, f->fund, names[i], &f->acct[f->nacct++], &err))
			return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fs_close(f->ctx);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	int rc = system(cmd);
	free(f);
	return rc ? -1 : 0;
}

static void assert_verified(struct fx *f)
{
	struct fs_verify_report rep;
	struct fs_error err = {0};
	int rc = fs_verify(f->ctx, &rep, &err);
	if (rc)
		print_error("%s\n", rep.text ? rep.text : err.message);
	assert_int_equal(rc, 0);
	free(rep.text);
	json_t *b;
	assert_int_equal(fs_fund_balances(f->ctx, f->fund, &b, &err), 0);
	int64_t sum = 0;
	size_t i;
	json_t *a;
	json_array_foreach(b, i, a) sum += json_integer_value(json_object_get(a, "balance_minor"));
	assert_int_equal(sum, 0); /* debits = credits */
	json_decref(b);
}

static char *balances_text(struct fx *f)
{
	json_t *b;
	struct fs_error err = {0};
	assert_int_equal(fs_fund_balances(f->ctx, f->fund, &b, &err), 0);
	char *s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

#define MAXB 12
#define MAXP 64

static void test_random_batches(void **state)
{
	struct fx *f = *state;
	char ids[MAXB][32], pendings[MAXP][32], pids[MAXB][32];
	size_t npend = 0;
	long counter = 0;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		rs = 0x2545F4914F6CDD1DULL * seed;
		for (int round = 0; round < 40; round++) {
			struct fs_transfer t[MAXB];
			int res[MAXB];
			size_t n = 1 + rnd(MAXB);
			memset(t, 0, sizeof(t));
			for (size_t i = 0; i < n; i++) {
				snprintf(ids[i], sizeof(ids[i]), "s%llu-%ld", (unsigned long long)seed, counter++);
				t[i].id = ids[i];
				t[i].code = "test";
				int kind = (int)rnd(10);
				if (kind < 2 && npend) { /* resolve an open pending one */
					snprintf(pids[i], sizeof(pids[i]), "%s", pendings[rnd(npend)]);
					t[i].pending_id = pids[i];
					t[i].flags = rnd(2) ? FS_TF_POST : FS_TF_VOID;
				} else {
					t[i].debit_account = f->acct[rnd(f->nacct)];
					t[i].credit_account = f->acct[rnd(f->nacct)]; /* sometimes the same: a failure */
					t[i].amount_minor = rnd(20) == 0 ? 0 : (int64_t)(1 + rnd(100000)); /* sometimes zero: a failure */
					if (kind == 2) {
						t[i].flags = FS_TF_PENDING;
						if (npend < MAXP)
							snprintf(pendings[npend++], sizeof(pendings[0]), "%s", ids[i]);
					}
				}
				if (rnd(3) == 0)
					t[i].flags |= FS_TF_LINKED;
			}
			t[n - 1].flags &= ~(unsigned)FS_TF_LINKED;
			struct fs_error err = {0};
			assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, t, n, res, &err), 0);
			/* a linked chain succeeded whole or failed whole */
			for (size_t i = 0; i < n;) {
				size_t j = i;
				while (j + 1 < n && (t[j].flags & FS_TF_LINKED))
					j++;
				int any_ok = 0, any_bad = 0;
				for (size_t k = i; k <= j; k++) {
					any_ok |= res[k] == FS_T_OK;
					any_bad |= res[k] != FS_T_OK;
				}
				assert_false(any_ok && any_bad);
				i = j + 1;
			}
			assert_verified(f);
			/* the same batch again: what was recorded is not recorded twice (a
			 * transfer that failed may succeed now, e.g. once money came in) */
			char *before = balances_text(f);
			int again[MAXB], any_new = 0;
			assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, t, n, again, &err), 0);
			for (size_t i = 0; i < n; i++) {
				if (res[i] == FS_T_OK)
					assert_int_not_equal(again[i], FS_T_OK);
				if (res[i] == FS_T_OK && !(t[i].flags & FS_TF_LINKED) && (i == 0 || !(t[i - 1].flags & FS_TF_LINKED)))
					assert_int_equal(again[i], FS_T_EXISTS);
				any_new |= again[i] == FS_T_OK;
			}
			char *after = balances_text(f);
			if (!any_new)
				assert_string_equal(before, after);
			free(before);
			free(after);
			assert_verified(f);
		}
	}
}

static void test_no_negative_and_pending(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int res[3];
	int64_t cash = f->acct[0], income = f->acct[2], strike = f->acct[3];
	struct fs_transfer in = {.id = "in-1", .debit_account = cash, .credit_account = income, .amount_minor = 1000, .code = "c"};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &in, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	/* a pending reservation counts against cash */
	struct fs_transfer hold = {.id = "hold-1", .debit_account = strike, .credit_account = cash, .amount_minor = 800, .code = "s", .flags = FS_TF_PENDING};
	struct fs_transfer more = {.id = "out-1", .debit_account = strike, .credit_account = cash, .amount_minor = 300, .code = "s"};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &hold, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &more, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_WOULD_GO_NEGATIVE);
	/* post part of it: the rest is released */
	struct fs_transfer post = {.id = "hold-1.post", .flags = FS_TF_POST, .pending_id = "hold-1", .amount_minor = 500};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &post, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &more, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	struct fs_transfer post2 = {.id = "hold-1.again", .flags = FS_TF_POST, .pending_id = "hold-1"};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &post2, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_PENDING_DONE);
	/* a linked pair where the second would overdraw: neither happens */
	struct fs_transfer pair[2] = {
		{.id = "p-1", .debit_account = strike, .credit_account = cash, .amount_minor = 100, .code = "s", .flags = FS_TF_LINKED},
		{.id = "p-2", .debit_account = strike, .credit_account = cash, .amount_minor = 5000, .code = "s"}};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, pair, 2, res, &err), 0);
	assert_int_equal(res[0], FS_T_LINKED_FAILED);
	assert_int_equal(res[1], FS_T_WOULD_GO_NEGATIVE);
	json_t *b;
	assert_int_equal(fs_fund_balances(f->ctx, f->fund, &b, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "balance_minor")) +
			 json_integer_value(json_object_get(json_array_get(b, 1), "balance_minor")), 200); /* cash + bank */
	json_decref(b);
	/* an expired reservation cannot be posted */
	struct fs_transfer brief = {.id = "brief", .debit_account = strike, .credit_account = cash, .amount_minor = 10, .code = "s",
				    .flags = FS_TF_PENDING, .timeout_s = 1};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &brief, 1, res, &err), 0);
	sleep(2);
	struct fs_transfer late = {.id = "brief.post", .flags = FS_TF_POST, .pending_id = "brief"};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &late, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_PENDING_EXPIRED);
	struct fs_transfer v = {.id = "brief.void", .flags = FS_TF_VOID, .pending_id = "brief"};
	assert_int_equal(fs_ledger_transfer(f->ctx, f->fund, &v, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_PENDING_EXPIRED);
	assert_verified(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_negative_and_pending, setup, teardown),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
