/* test_guards.c - the guards of issue 19 that only a unit test reaches: money
 * amounts read and written, every sealed value with its own nonce, and verify
 * naming a journal entry or a transfer that was rewritten with its own hash
 * recomputed (only the chain can catch that). Each test that needs a database
 * works in a fresh temporary directory. */
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

#include "crypto.h"
#include "core/fairshare.h"
#include "fixture.h"
#include "util/money.h"

static void money_is(const char *in, int64_t want)
{
	int64_t v = -1;
	struct fs_error err = {0};
	if (fs_money_parse(in, 2, &v, &err, "amount"))
		fail_msg("'%s' refused: %s", in, err.message);
	if (v != want)
		fail_msg("'%s' read as %lld, expected %lld", in, (long long)v, (long long)want);
}

static void money_bad(const char *in, const char *why)
{
	int64_t v = 7;
	struct fs_error err = {0};
	if (fs_money_parse(in, 2, &v, &err, "amount") != FS_EINVAL)
		fail_msg("'%s' accepted as %lld", in, (long long)v);
	assert_int_equal(v, 7);
	if (why && !strstr(err.message, why))
		fail_msg("'%s': message '%s' does not say '%s'", in, err.message, why);
}

/* issue 19 row 1: the last thousands group has three digits, and every other group */
static void test_money_groups(void **state)
{
	(void)state;
	money_bad("1,800,00", "not an amount");
	money_bad("1.800.00", "not an amount");
	money_bad("1,800,0000", "not an amount");
	money_bad("1.80,00", "not an amount");  /* a group cut short before the decimals */
	money_bad("1234,567.00", "not an amount"); /* a first group of four digits */
	money_bad("1.800", "ambiguous");
	money_bad("1,800", "ambiguous");
	money_is("1,800,000", 180000000);
	money_is("1.800.000,50", 180000050);
	money_is("12,345.67", 1234567);
}

static void test_money_digits(void **state)
{
	(void)state;
	money_bad("1.2345", "decimal places");
	money_bad("12.3a", "not an amount");
	money_bad("", "not an amount");
	money_bad(",", "not an amount");
	money_bad("-", "not an amount");
	money_bad("99999999999999999999999", "too large");
	money_bad("1000000000000000.01", "too large");
	money_is("999999999999999.99", 99999999999999999);
	money_is("-50.00", -5000);
	money_is("-0.05", -5);
}

static void test_money_format(void **state)
{
	(void)state;
	char out[32];
	fs_money_format(5, 2, out);
	assert_string_equal(out, "0.05");
	fs_money_format(0, 2, out);
	assert_string_equal(out, "0.00");
	fs_money_format(-150, 2, out);
	assert_string_equal(out, "-1.50");
	fs_money_format(-5, 2, out);
	assert_string_equal(out, "-0.05");
	fs_money_format(180000050, 2, out);
	assert_string_equal(out, "1800000.50");
}

/* issue 19 row 6: every sealed value has a nonce of its own */
static void test_nonces_differ(void **state)
{
	(void)state;
	char dir[] = "/tmp/fs-unit-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.key", dir);
	struct fs_error err = {0};
	struct fs_keys k;
	assert_int_equal(fs_crypto_init(&err), 0);
	assert_int_equal(fs_keys_create(path, &k, &err), 0);
	enum { N = 6 };
	unsigned char nonces[N][24];
	struct fs_buf b;
	for (int i = 0; i < N; i++) {
		fs_buf_init(&b, 4096);
		assert_int_equal(fs_seal(&k, "people", "the same value", 14, &b), 0);
		assert_int_equal(b.len, 14 + FS_SEAL_OVERHEAD);
		memcpy(nonces[i], b.data + 1, 24);
		struct fs_buf plain;
		fs_buf_init(&plain, 4096);
		assert_int_equal(fs_unseal(&k, "people", b.data, b.len, &plain), 0);
		assert_int_equal(plain.len, 14);
		assert_memory_equal(plain.data, "the same value", 14);
		fs_buf_done(&plain);
		fs_buf_done(&b);
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			if (!memcmp(nonces[i], nonces[j], 24))
				fail_msg("sealed values %d and %d share a nonce", i, j);
	/* a second process (a second load of the key) does not repeat the first one's nonces */
	struct fs_keys k2;
	assert_int_equal(fs_keys_load(path, &k2, &err), 0);
	fs_buf_init(&b, 4096);
	assert_int_equal(fs_seal(&k2, "people", "the same value", 14, &b), 0);
	for (int i = 0; i < N; i++)
		assert_memory_not_equal(nonces[i], b.data + 1, 24);
	fs_buf_done(&b);
	fs_keys_wipe(&k);
	fs_keys_wipe(&k2);
	unlink(path);
	rmdir(dir);
}

/* ---- a database with a journal and a ledger, and a way to rewrite a row ---- */

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct fs_error err = {0};
	if (!f || fx_db_open_org(&f->d, "unit", "miners", "Test Miners", "TR", "TRY"))
		return -1;
	const char *names[] = {"Ali Kaya", "Veli Demir", "Ayşe Şahin", "Fatma Yılmaz"};
	for (int i = 0; i < 4; i++) {
		struct fs_kv kv[] = {{"full_name", names[i]}};
		if (fs_create(f->d.ctx, fs_entity_find("person"), kv, 1, NULL, &err))
			return -1;
	}
	*state = f;
	return 0;
}

/* Run change (SQL) on the row of table where key_col = key, then recompute the
 * row's own hash as fairshare does: over columns [from, hash) with prefix table. */
static void rewrite_rehash(const char *db, const char *table, const char *key_col, const char *key, const char *change, int from)
{
	sqlite3 *s;
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, change, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(s), 1);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE %s = '%s'", table, key_col, key);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_count(st), hash_col = -1;
	struct fs_value v[32];
	assert_true(n <= 32);
	for (int i = 0; i < n; i++) {
		if (!strcmp(sqlite3_column_name(st, i), "hash"))
			hash_col = i;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER: v[i] = (struct fs_value){FS_VINT, sqlite3_column_int64(st, i), NULL, 0}; break;
		case SQLITE_TEXT:
			v[i] = (struct fs_value){FS_VTEXT, 0, sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i)};
			break;
		case SQLITE_BLOB:
			v[i] = (struct fs_value){FS_VBLOB, 0, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i)};
			break;
		default: v[i] = (struct fs_value){FS_VNULL, 0, NULL, 0}; break;
		}
	}
	assert_true(hash_col > from);
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values(table, &v[from], (size_t)(hash_col - from), h);
	sqlite3_finalize(st);
	snprintf(sql, sizeof(sql), "UPDATE %s SET hash = ? WHERE %s = '%s'", table, key_col, key);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(s);
}

static char *verify_text(struct fx *f, int64_t *problems, int64_t *first_bad)
{
	fs_close(f->d.ctx);
	struct fs_error err = {0};
	assert_int_equal(fs_open(f->d.path, NULL, 0, &f->d.ctx, &err), 0);
	struct fs_verify_report rep;
	int rc = fs_verify(f->d.ctx, &rep, &err);
	assert_int_equal(rc, rep.problems ? FS_EINTEGRITY : 0);
	*problems = rep.problems;
	*first_bad = rep.first_bad_seq;
	return rep.text ? rep.text : strdup("");
}

/* issue 19 row 5: an entry rewritten with its hash recomputed breaks the chain */
static void test_journal_rewritten_entry(void **state)
{
	struct fx *f = *state;
	int64_t problems, first;
	char *text = verify_text(f, &problems, &first);
	if (problems)
		fail_msg("a fresh database does not verify: %s", text);
	free(text);
	/* entry 3 (a person added): another actor, its own hash recomputed */
	rewrite_rehash(f->d.path, "journal", "seq", "3", "UPDATE journal SET actor = 'cli:mallory' WHERE seq = 3", 0);
	text = verify_text(f, &problems, &first);
	if (!strstr(text, "journal: entry 4 does not follow the entry before it in the log of organization 1 (chain broken)"))
		fail_msg("verify does not name the break: '%s'", text);
	assert_true(problems >= 1);
	assert_int_equal(first, 4);
	assert_null(strstr(text, "entry 3 does not match its hash")); /* its own hash does match */
	free(text);
}

/* an entry taken out of the middle of the journal is named as missing */
static void test_journal_missing_entry(void **state)
{
	struct fx *f = *state;
	sqlite3 *s;
	assert_int_equal(sqlite3_open(f->d.path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "DELETE FROM journal WHERE seq = 3", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	int64_t problems, first;
	char *text = verify_text(f, &problems, &first);
	if (!strstr(text, "journal: entries 3 to 3 are missing"))
		fail_msg("verify does not name the gap: '%s'", text);
	assert_int_equal(first, 3);
	free(text);
}

/* the same for the ledger's own chain: a memo changed and the transfer rehashed */
static void test_ledger_rewritten_transfer(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t fund;
	const struct fs_kv fk[] = {{"name", "Strike fund"}};
	assert_int_equal(fs_fund_create(f->d.ctx, fk, 1, &fund, &err), 0);
	int64_t cash, income;
	assert_int_equal(fs_account_by_name(f->d.ctx, fund, "assets:cash", &cash, &err), 0);
	assert_int_equal(fs_account_by_name(f->d.ctx, fund, "income:contributions", &income, &err), 0);
	struct fs_transfer t[3] = {
		{.id = "c-1", .debit_account = cash, .credit_account = income, .amount_minor = 1000, .code = "gift", .memo = "one"},
		{.id = "c-2", .debit_account = cash, .credit_account = income, .amount_minor = 2000, .code = "gift", .memo = "two"},
		{.id = "c-3", .debit_account = cash, .credit_account = income, .amount_minor = 3000, .code = "gift", .memo = "three"},
	};
	int res[3];
	assert_int_equal(fs_ledger_transfer(f->d.ctx, fund, t, 3, res, &err), 0);
	assert_int_equal(res[0] | res[1] | res[2], FS_T_OK);
	int64_t problems, first;
	char *text = verify_text(f, &problems, &first);
	if (problems)
		fail_msg("a fresh ledger does not verify: %s", text);
	free(text);
	rewrite_rehash(f->d.path, "transfers", "id", "c-2", "UPDATE transfers SET memo = 'changed' WHERE id = 'c-2'", 1);
	text = verify_text(f, &problems, &first);
	if (!strstr(text, "does not follow the transfer before it (chain broken)"))
		fail_msg("verify does not name the break: '%s'", text);
	assert_null(strstr(text, "does not match its hash"));
	free(text);
}

/* the ledger's own guards, reached through the API only (the CLI refuses earlier) */
static void test_ledger_guards(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t f1, f2, cash, income, cash2;
	const struct fs_kv k1[] = {{"name", "One"}}, k2[] = {{"name", "Two"}};
	assert_int_equal(fs_fund_create(f->d.ctx, k1, 1, &f1, &err), 0);
	assert_int_equal(fs_fund_create(f->d.ctx, k2, 1, &f2, &err), 0);
	assert_int_equal(fs_account_by_name(f->d.ctx, f1, "assets:cash", &cash, &err), 0);
	assert_int_equal(fs_account_by_name(f->d.ctx, f1, "income:contributions", &income, &err), 0);
	assert_int_equal(fs_account_by_name(f->d.ctx, f2, "assets:cash", &cash2, &err), 0);
	struct fs_transfer bad[] = {
		{.id = "neg", .debit_account = cash, .credit_account = income, .amount_minor = -100, .code = "gift"},
		{.id = "zero", .debit_account = cash, .credit_account = income, .amount_minor = 0, .code = "gift"},
		{.id = "huge", .debit_account = cash, .credit_account = income, .amount_minor = FS_MONEY_MAX_MINOR + 1, .code = "gift"},
		{.id = "other-fund", .debit_account = cash2, .credit_account = income, .amount_minor = 100, .code = "gift"},
		{.id = "self", .debit_account = cash, .credit_account = cash, .amount_minor = 100, .code = "gift"},
	};
	int res[5];
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, bad, 5, res, &err), 0);
	assert_int_equal(res[0], FS_T_INVALID);
	assert_int_equal(res[1], FS_T_INVALID);
	assert_int_equal(res[2], FS_T_INVALID);
	assert_int_equal(res[3], FS_T_FUND_MISMATCH);
	assert_int_equal(res[4], FS_T_SAME_ACCOUNTS);
	/* the largest amount there is, once */
	struct fs_transfer max = {.id = "max", .debit_account = cash, .credit_account = income, .amount_minor = FS_MONEY_MAX_MINOR, .code = "gift"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, &max, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	/* one id twice in a batch: the same fields are the same transfer, other fields are refused */
	struct fs_transfer twice[] = {
		{.id = "t-1", .debit_account = cash, .credit_account = income, .amount_minor = 100, .code = "gift"},
		{.id = "t-1", .debit_account = cash, .credit_account = income, .amount_minor = 100, .code = "gift"},
		{.id = "t-1", .debit_account = cash, .credit_account = income, .amount_minor = 999, .code = "gift"},
	};
	int r3[3];
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, twice, 3, r3, &err), 0);
	assert_int_equal(r3[0], FS_T_OK);
	assert_int_equal(r3[1], FS_T_EXISTS);
	assert_int_equal(r3[2], FS_T_EXISTS_DIFFERENT);
	/* an account in another currency than the fund's */
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)f1);
	const struct fs_kv usd[] = {{"fund_id", fid}, {"name", "assets:dollars"}, {"kind", "asset"}, {"currency", "USD"}};
	int64_t dollars;
	if (fs_create(f->d.ctx, fs_entity_find("account"), usd, 4, &dollars, &err))
		fail_msg("account: %s", err.message);
	struct fs_transfer cur = {.id = "usd", .debit_account = dollars, .credit_account = income, .amount_minor = 100, .code = "gift"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, &cur, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_CURRENCY);
	/* a credit-normal account that may not go negative: what is reserved counts */
	const struct fs_kv owed[] = {{"fund_id", fid}, {"name", "liabilities:owed"}, {"kind", "liability"}, {"no_negative", "yes"}};
	int64_t liab;
	if (fs_create(f->d.ctx, fs_entity_find("account"), owed, 4, &liab, &err))
		fail_msg("account: %s", err.message);
	struct fs_transfer in = {.id = "l-in", .debit_account = cash, .credit_account = liab, .amount_minor = 100, .code = "loan"};
	struct fs_transfer hold = {.id = "l-hold", .debit_account = liab, .credit_account = cash, .amount_minor = 80, .code = "repay",
				   .flags = FS_TF_PENDING};
	struct fs_transfer more = {.id = "l-more", .debit_account = liab, .credit_account = cash, .amount_minor = 80, .code = "repay"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, &in, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, &hold, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f1, &more, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_WOULD_GO_NEGATIVE);
	int64_t problems, first;
	char *text = verify_text(f, &problems, &first);
	if (problems)
		fail_msg("the ledger does not verify: %s", text);
	free(text);
}

/* an import needs an organization: the core refuses without one */
static void test_import_needs_org(void **state)
{
	struct fx *f = *state;
	fs_close(f->d.ctx);
	struct fs_error err = {0};
	assert_int_equal(fs_open(f->d.path, NULL, 0, &f->d.ctx, &err), 0); /* no organization chosen */
	char csv[] = "full_name\nNobody Known\n";
	FILE *in = fmemopen(csv, strlen(csv), "rb");
	assert_non_null(in);
	struct fs_import_opts o = {.in = in, .name = "people.csv"};
	struct fs_import_report rep;
	assert_int_equal(fs_import_people(f->d.ctx, &o, &rep, &err), FS_EINVAL);
	fs_import_report_done(&rep);
	fclose(in);
	if (!strstr(err.message, "no organization chosen"))
		fail_msg("message: %s", err.message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_groups),
		cmocka_unit_test(test_money_digits),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_nonces_differ),
		cmocka_unit_test_setup_teardown(test_journal_rewritten_entry, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_journal_missing_entry, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ledger_rewritten_transfer, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ledger_guards, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_needs_org, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
