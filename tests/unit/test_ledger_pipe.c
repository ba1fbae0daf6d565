/* test_ledger_pipe.c - the ledger's batch path with its groups hashed on a
 * second core (ledger_hash.c) against the same batches with every hash made on
 * the calling thread: the same results, and byte for byte the same transfer
 * rows (ids, sequence numbers, prev_hash, hash), balances, chain head and
 * journal entry. The batches are long (several groups in flight) and mixed:
 * memos, value dates, codes, pending transfers, refusals (an overdraft of a
 * no-negative account, an unknown account, a zero amount, a bad id), a repeated
 * id, linked chains between the groups; then a retry whose old ids sit across
 * the groups being hashed and stored (each taken back and redone one by one).
 * verify is ok on both. A batch with a sum past the largest amount after
 * several groups were stored records nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fairshare.h"
#include "fixture.h"
#include "core/internal.h"
#include "ledger_batch.h"

#define N 700

struct side {
	struct fx_db d;
	int64_t fund, acct[6];
};

static void side_open(struct side *s, const char *tag)
{
	struct fs_error err = {0};
	const struct fs_kv fund[] = {{"name", "F"}};
	assert_int_equal(fx_db_open_org(&s->d, tag, "mm", "M", "TR", "TRY"), 0);
	assert_int_equal(fs_fund_create(s->d.ctx, fund, 1, &s->fund, &err), 0);
	static const char *const names[] = {"assets:cash", "assets:bank", "income:contributions", "expenses:strike-pay",
					    "expenses:legal", "liabilities:support-payable"};
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(fs_account_by_name(s->d.ctx, s->fund, names[i], &s->acct[i], &err), 0);
}

static char ids[N][32], memos[N][32], dates[N][16];

/* transfers from..to of the mixed batch over s's accounts */
static size_t mixed(const struct side *s, struct fs_transfer *t, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t i = from; i < to; i++, n++) {
		struct fs_transfer *x = &t[n];
		memset(x, 0, sizeof(*x));
		snprintf(ids[i], sizeof(ids[i]), "m%zu", i);
		x->id = ids[i];
		x->debit_account = s->acct[0];
		x->credit_account = s->acct[2];
		x->amount_minor = 1000 + (int64_t)i;
		x->code = i % 3 ? "contribution" : "dues";
		if (i % 5 == 4) { /* strike pay out of cash */
			x->debit_account = s->acct[3];
			x->credit_account = s->acct[0];
			x->amount_minor = 300 + (int64_t)(i % 50);
			x->code = "strike-pay";
		}
		if (i % 7 == 3) {
			snprintf(memos[i], sizeof(memos[i]), "week %zu", i / 7);
			x->memo = memos[i];
		}
		if (i % 11 == 6) {
			snprintf(dates[i], sizeof(dates[i]), "2026-02-%02zu", 1 + i % 28);
			x->value_date = dates[i];
		}
		if (i % 97 == 50)
			x->flags = FS_TF_PENDING;
		if (i % 89 == 20) /* more than cash holds: exceeds_balance */
			x->debit_account = s->acct[4], x->credit_account = s->acct[0], x->amount_minor = 900000000;
		if (i % 131 == 70)
			x->credit_account = 999999; /* account_not_found */
		if (i % 149 == 100)
			x->amount_minor = 0; /* invalid */
		if (i == 333)
			x->id = "bad id!";
		if (i == 444)
			x->id = ids[10]; /* a repeat with other fields: exists_with_different_fields */
		if (i >= 200 && i < 203) /* a linked chain among the groups */
			x->flags |= i < 202 ? FS_TF_LINKED : 0;
	}
	return n;
}

/* the transfers, balances, heads and transfer journal entries of a database, as text */
static char *dump(const struct side *s)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(s->d.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	static const char *const q[] = {
		"SELECT seq, id, org_id, fund_id, debit_account_id, credit_account_id, amount_minor, currency, code, flags, "
		"quote(pending_id), quote(timeout_at), ts, value_date, actor, quote(memo), quote(party), hex(prev_hash), hex(hash) "
		"FROM transfers ORDER BY seq",
		"SELECT * FROM balances ORDER BY account_id", "SELECT org_id, seq, ts, hex(hash) FROM transfer_heads",
		"SELECT after_json FROM journal WHERE action = 'transfers' ORDER BY seq"};
	size_t cap = 1 << 20, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	for (size_t k = 0; k < 4; k++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, q[k], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const char *v = (const char *)sqlite3_column_text(st, c);
				size_t n = strlen(v ? v : "");
				if (len + n + 2 >= cap)
					assert_non_null(out = realloc(out, cap *= 2));
				memcpy(out + len, v ? v : "", n);
				len += n;
				out[len++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
			}
		sqlite3_finalize(st);
	}
	out[len] = '\0';
	sqlite3_close(db);
	return out;
}

static void batch(struct side *s, int threads, size_t from, size_t to, int *res)
{
	static struct fs_transfer t[N];
	struct fs_error err = {0};
	size_t n = mixed(s, t, from, to);
	fs_lb_hash_threads = threads;
	int rc = fs_ledger_transfer(s->d.ctx, s->fund, t, n, res, &err);
	fs_lb_hash_threads = 1;
	if (rc)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
}

static void verified(struct side *s)
{
	struct fs_verify_report rep;
	struct fs_error err = {0};
	int rc = fs_verify(s->d.ctx, &rep, &err);
	if (rc)
		print_error("%s\n", rep.text ? rep.text : err.message);
	assert_int_equal(rc, 0);
	free(rep.text);
}

/* the ts of every transfer stored, in order */
static char *ts_list(const struct side *s)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(s->d.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(ts) FROM (SELECT ts FROM transfers ORDER BY seq)", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *out = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

/* The batches on both sides, one after the other: the same, or 0 when the
 * clock's second turned between a batch and its twin (their rows' ts differ:
 * the caller tries again). */
static int run_both(int retry)
{
	struct side a, b;
	side_open(&a, "pipe-a");
	side_open(&b, "pipe-b");
	static int ra[N], rb[N];
	if (retry) { /* batches that stored these already (not answered, say), across the groups to come */
		batch(&a, 1, 150, 290, ra);
		batch(&b, 0, 150, 290, rb);
		batch(&a, 1, 500, 520, ra);
		batch(&b, 0, 500, 520, rb);
	}
	batch(&a, 1, 0, N, ra);
	batch(&b, 0, 0, N, rb);
	char *ta = ts_list(&a), *tb = ts_list(&b);
	int again = strcmp(ta, tb) != 0;
	free(ta);
	free(tb);
	if (!again) {
		char *da = dump(&a), *db = dump(&b);
		assert_memory_equal(ra, rb, sizeof(ra));
		assert_string_equal(da, db);
		free(da);
		free(db);
		size_t ok = 0;
		for (size_t i = 0; i < N; i++)
			ok += ra[i] == FS_T_OK;
		assert_true(ok > 500); /* most recorded */
		if (retry) {
			assert_int_equal(ra[150], FS_T_EXISTS);
			assert_int_equal(ra[289], FS_T_EXISTS);
			assert_int_equal(ra[519], FS_T_EXISTS);
			assert_int_equal(ra[290], FS_T_OK);
			assert_int_equal(ra[149], FS_T_OK);
		}
		assert_int_equal(ra[333], FS_T_INVALID);
		assert_int_equal(ra[444], FS_T_EXISTS_DIFFERENT);
		assert_int_equal(ra[20], FS_T_WOULD_GO_NEGATIVE);
		assert_int_equal(ra[70], FS_T_NO_ACCOUNT);
		assert_int_equal(ra[100], FS_T_INVALID);
		verified(&a);
		verified(&b);
	}
	assert_int_equal(fx_db_close(&a.d), 0);
	assert_int_equal(fx_db_close(&b.d), 0);
	return !again;
}

static void test_same_bytes(void **state)
{
	(void)state;
	int done = 0;
	for (int k = 0; k < 20 && !done; k++)
		done = run_both(0);
	assert_true(done);
}

static void test_retry_across_groups(void **state)
{
	(void)state;
	int done = 0;
	for (int k = 0; k < 20 && !done; k++)
		done = run_both(1);
	assert_true(done);
}

static int64_t count_rows(const struct side *s, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(s->d.path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	int rc = sqlite3_step(st);
	int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	assert_true(rc == SQLITE_ROW || rc == SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* A sum past the largest amount at the 400th transfer, after five groups were
 * stored and one hashed: nothing of the batch recorded, the transfer named. */
static void test_overflow_after_groups(void **state)
{
	(void)state;
	struct side s;
	side_open(&s, "pipe-over");
	int res[N];
	batch(&s, 1, 0, 100, res); /* some rows and a balance row for cash */
	int64_t before = count_rows(&s, "SELECT count(*) FROM transfers");
	char *bal = dump(&s);
	static struct fs_transfer t[500];
	static char oid[500][16];
	for (size_t i = 0; i < 500; i++) {
		snprintf(oid[i], sizeof(oid[i]), "o%zu", i);
		t[i] = (struct fs_transfer){.id = oid[i], .debit_account = s.acct[0], .credit_account = s.acct[2], .amount_minor = 1000, .code = "c"};
	}
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE balances SET debits_posted = %lld WHERE account_id = %lld", (long long)(INT64_MAX - 399 * 1000 - 1),
		 (long long)s.acct[0]);
	count_rows(&s, sql);
	char *bal2 = dump(&s);
	struct fs_error err = {0};
	assert_int_not_equal(fs_ledger_transfer(s.d.ctx, s.fund, t, 500, res, &err), 0);
	assert_non_null(strstr(err.message, "transfer 'o399' (number 400 of the batch)"));
	assert_int_equal(count_rows(&s, "SELECT count(*) FROM transfers"), before);
	char *after = dump(&s);
	assert_string_equal(after, bal2); /* rows, balances, head, journal: as before the batch */
	assert_string_not_equal(bal, bal2);
	free(bal);
	free(bal2);
	free(after);
	assert_int_equal(fx_db_close(&s.d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_retry_across_groups),
		cmocka_unit_test(test_overflow_after_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
