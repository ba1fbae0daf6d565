/* test_ledger.c - properties of the ledger on random operations: random batches
 * of transfers with linked chains, failures in the middle of chains, pending
 * transfers posted, voided or left, retries of whole batches. After every batch:
 * verify finds nothing wrong (the chain holds, every balance equals the sum of
 * its transfers, debits equal credits, no no-negative account below zero); a
 * linked chain succeeded or failed whole; a retried batch changes nothing.
 * Then the edges: existing transfers inside linked chains (a rerun records the
 * new ones), a pending posted twice in one chain, sums past the largest amount
 * (refused; verify finds them in a file), the derived approval ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "fixture.h"
#include "core/internal.h"
#include "ledger_int.h"

static uint64_t rs;
static uint64_t rnd(uint64_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs % n;
}

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
	int64_t fund;
	int64_t acct[12];
	size_t nacct;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct fs_error err = {0};
	const struct fs_kv fund[] = {{"name", "F"}};
	if (!f || fx_db_open_org(&f->d, "ledger", "mm", "M", "TR", "TRY") || fs_fund_create(f->d.ctx, fund, 1, &f->fund, &err))
		return -1;
	static const char *const names[] = {"assets:cash", "assets:bank", "income:contributions", "expenses:strike-pay",
					    "expenses:legal", "liabilities:support-payable"};
	for (size_t i = 0; i < 6; i++)
		if (fs_account_by_name(f->d.ctx, f->fund, names[i], &f->acct[f->nacct++], &err))
			return -1;
	*state = f;
	return 0;
}

static void assert_verified(struct fx *f)
{
	struct fs_verify_report rep;
	struct fs_error err = {0};
	int rc = fs_verify(f->d.ctx, &rep, &err);
	if (rc)
		print_error("%s\n", rep.text ? rep.text : err.message);
	assert_int_equal(rc, 0);
	free(rep.text);
	json_t *b;
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &b, &err), 0);
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
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &b, &err), 0);
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
			assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, t, n, res, &err), 0);
			/* a linked chain succeeded whole or failed whole (ids are fresh: no "exists") */
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
			assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, t, n, again, &err), 0);
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
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &in, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	/* a pending reservation counts against cash */
	struct fs_transfer hold = {.id = "hold-1", .debit_account = strike, .credit_account = cash, .amount_minor = 800, .code = "s", .flags = FS_TF_PENDING};
	struct fs_transfer more = {.id = "out-1", .debit_account = strike, .credit_account = cash, .amount_minor = 300, .code = "s"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &hold, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &more, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_WOULD_GO_NEGATIVE);
	/* post part of it: the rest is released */
	struct fs_transfer post = {.id = "hold-1.post", .flags = FS_TF_POST, .pending_id = "hold-1", .amount_minor = 500};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &post, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &more, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	struct fs_transfer post2 = {.id = "hold-1.again", .flags = FS_TF_POST, .pending_id = "hold-1"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &post2, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_PENDING_DONE);
	/* a linked pair where the second would overdraw: neither happens */
	struct fs_transfer pair[2] = {
		{.id = "p-1", .debit_account = strike, .credit_account = cash, .amount_minor = 100, .code = "s", .flags = FS_TF_LINKED},
		{.id = "p-2", .debit_account = strike, .credit_account = cash, .amount_minor = 5000, .code = "s"}};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, pair, 2, res, &err), 0);
	assert_int_equal(res[0], FS_T_LINKED_FAILED);
	assert_int_equal(res[1], FS_T_WOULD_GO_NEGATIVE);
	json_t *b;
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &b, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "balance_minor")) +
			 json_integer_value(json_object_get(json_array_get(b, 1), "balance_minor")), 200); /* cash + bank */
	json_decref(b);
	/* an expired reservation cannot be posted */
	struct fs_transfer brief = {.id = "brief", .debit_account = strike, .credit_account = cash, .amount_minor = 10, .code = "s",
				    .flags = FS_TF_PENDING, .timeout_s = 1};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &brief, 1, res, &err), 0);
	sleep(2);
	struct fs_transfer late = {.id = "brief.post", .flags = FS_TF_POST, .pending_id = "brief"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &late, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_PENDING_EXPIRED);
	struct fs_transfer v = {.id = "brief.void", .flags = FS_TF_VOID, .pending_id = "brief"};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &v, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_PENDING_EXPIRED);
	assert_verified(f);
}

static int64_t count_transfers(struct fx *f)
{
	struct fs_buf text;
	fs_buf_init(&text, 1 << 20);
	struct fs_error err = {0};
	int64_t problems = 0, transfers = 0;
	assert_int_equal(fs_ledger_verify(f->d.ctx, &text, &problems, &transfers, &err), 0);
	fs_buf_done(&text);
	assert_int_equal(problems, 0);
	return transfers;
}

#define TF(i, d, c, a, fl) {.id = (i), .debit_account = (d), .credit_account = (c), .amount_minor = (a), .code = "t", .flags = (fl)}

static void test_exists_in_linked_chains(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t cash = f->acct[0], income = f->acct[2], strike = f->acct[3];
	int res[4];
	struct fs_transfer a[1] = {TF("a", cash, income, 1000, 0)};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, a, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	/* a rerun of a chain with one new transfer records exactly that one */
	struct fs_transfer ab[2] = {TF("a", cash, income, 1000, FS_TF_LINKED), TF("b", cash, income, 50, 0)};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, ab, 2, res, &err), 0);
	assert_int_equal(res[0], FS_T_EXISTS);
	assert_int_equal(res[1], FS_T_OK);
	assert_int_equal(count_transfers(f), 2);
	/* the new ones of a chain are still all or none: d fails, c is not recorded */
	struct fs_transfer acd[3] = {TF("a", cash, income, 1000, FS_TF_LINKED), TF("c", cash, income, 7, FS_TF_LINKED),
				     TF("d", strike, cash, 999999, 0)};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, acd, 3, res, &err), 0);
	assert_int_equal(res[0], FS_T_EXISTS);
	assert_int_equal(res[1], FS_T_LINKED_FAILED);
	assert_int_equal(res[2], FS_T_WOULD_GO_NEGATIVE);
	assert_int_equal(count_transfers(f), 2);
	/* an id twice in a failing chain: the repeat is not "exists" either */
	struct fs_transfer eed[3] = {TF("e", cash, income, 5, FS_TF_LINKED), TF("e", cash, income, 5, FS_TF_LINKED),
				     TF("d", strike, cash, 999999, 0)};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, eed, 3, res, &err), 0);
	assert_int_equal(res[0], FS_T_LINKED_FAILED);
	assert_int_equal(res[1], FS_T_LINKED_FAILED);
	assert_int_equal(count_transfers(f), 2);
	/* other fields under an existing id still fail the chain */
	struct fs_transfer ax[2] = {TF("a", cash, income, 1001, FS_TF_LINKED), TF("x", cash, income, 1, 0)};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, ax, 2, res, &err), 0);
	assert_int_equal(res[0], FS_T_EXISTS_DIFFERENT);
	assert_int_equal(res[1], FS_T_LINKED_FAILED);
	assert_int_equal(count_transfers(f), 2);
	/* a pending transfer stored before, posted twice in one chain: never twice */
	struct fs_transfer p[1] = {TF("p", strike, cash, 300, FS_TF_PENDING)};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, p, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	struct fs_transfer twice[2] = {{.id = "p.1", .flags = FS_TF_POST | FS_TF_LINKED, .pending_id = "p"},
				       {.id = "p.2", .flags = FS_TF_POST, .pending_id = "p"}};
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, twice, 2, res, &err), 0);
	assert_int_equal(res[0], FS_T_LINKED_FAILED);
	assert_int_equal(res[1], FS_T_PENDING_DONE);
	/* the failed chain left it open: posted once now */
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &twice[1], 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_int_equal(count_transfers(f), 4);
	assert_verified(f);
}

static void test_overflow(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t cash = f->acct[0], income = f->acct[2];
	enum { N = 93 };
	struct fs_transfer t[N];
	char ids[N][16];
	int res[N];
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "big-%d", i + 1);
		t[i] = (struct fs_transfer)TF(ids[i], cash, income, 100000000000000000LL, 0);
	}
	/* 93 x 10^17 passes the largest amount: the whole batch is refused, naming the 93rd */
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, t, N, res, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "transfer 'big-93' (number 93 of the batch)"));
	assert_int_equal(count_transfers(f), 0);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, t, N - 1, res, &err), 0);
	assert_int_equal(res[N - 2], FS_T_OK);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &t[N - 1], 1, res, &err), FS_EINVAL);
	assert_int_equal(count_transfers(f), N - 1);
	/* a pending reservation past it too */
	struct fs_transfer hold = TF("hold", cash, income, 100000000000000000LL, FS_TF_PENDING);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &hold, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	assert_verified(f);
}

/* A file whose transfers sum past the largest amount (as an older fairshare
 * could write): verify says so instead of comparing wrapped sums. */
static void test_verify_finds_wrapped_sums(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t cash = f->acct[0], income = f->acct[2];
	unsigned char head[FS_HASH_BYTES] = {0};
	int64_t amount = 5000000000000000000LL;
	for (int i = 0; i < 2; i++) {
		char id[8];
		snprintf(id, sizeof(id), "w-%d", i);
		struct fs_value v[T_NCOLS];
		v[T_SEQ] = fs_vnull();
		v[T_ID] = fs_vtext(id);
		v[T_ORG] = fs_vint(f->d.ctx->org_id);
		v[T_FUND] = fs_vint(f->fund);
		v[T_DEBIT] = fs_vint(cash);
		v[T_CREDIT] = fs_vint(income);
		v[T_AMOUNT] = fs_vint(amount);
		v[T_CURRENCY] = fs_vtext("TRY");
		v[T_CODE] = fs_vtext("c");
		v[T_FLAGS] = fs_vint(0);
		v[T_PENDING_ID] = fs_vnull();
		v[T_TIMEOUT] = fs_vnull();
		v[T_TS] = fs_vtext("2026-01-01T00:00:00Z");
		v[T_VALUE_DATE] = fs_vtext("2026-01-01");
		v[T_ACTOR] = fs_vtext("old");
		v[T_MEMO] = fs_vnull();
		v[T_PARTY] = fs_vnull();
		v[T_PREV] = fs_vblob(head, FS_HASH_BYTES);
		unsigned char h[FS_HASH_BYTES];
		fs_hash_values("transfers", &v[T_ID], T_HASH - T_ID, h);
		v[T_HASH] = fs_vblob(h, FS_HASH_BYTES);
		assert_int_equal(fs_store_insert(f->d.ctx->st, &fs_transfers_table, v, NULL, &err), 0);
		memcpy(head, h, FS_HASH_BYTES);
	}
	/* the balances as a wrapping sum would have them */
	int64_t wrapped = (int64_t)((uint64_t)amount * 2);
	int64_t org = f->d.ctx->org_id;
	struct fs_value d[B_NCOLS] = {fs_vint(cash), fs_vint(wrapped), fs_vint(0), fs_vint(0), fs_vint(0), fs_vint(org)};
	struct fs_value c[B_NCOLS] = {fs_vint(income), fs_vint(0), fs_vint(wrapped), fs_vint(0), fs_vint(0), fs_vint(org)};
	assert_int_equal(fs_store_put(f->d.ctx->st, &fs_balances_table, d, &err), 0);
	assert_int_equal(fs_store_put(f->d.ctx->st, &fs_balances_table, c, &err), 0);
	struct fs_buf text;
	fs_buf_init(&text, 1 << 20);
	int64_t problems = 0, transfers = 0;
	assert_int_equal(fs_ledger_verify(f->d.ctx, &text, &problems, &transfers, &err), 0);
	assert_true(problems >= 2);
	assert_non_null(text.data);
	assert_non_null(strstr(text.data, "passes the largest amount"));
	assert_non_null(strstr(text.data, "negative sum (wrapped"));
	fs_buf_done(&text);
	/* and the balances are not shown as if they were fine */
	json_t *b;
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &b, &err), FS_EINTEGRITY);
}

static void test_resolution_ids(void **state)
{
	(void)state;
	struct fs_error err = {0};
	char a[FS_TRANSFER_ID_MAX + 1], b[FS_TRANSFER_ID_MAX + 1];
	assert_int_equal(fs_ledger_resolution_id("lg-1", FS_TF_POST, a, &err), 0);
	assert_string_equal(a, "lg-1.post");
	assert_int_equal(fs_ledger_resolution_id("lg-1", FS_TF_VOID, a, &err), 0);
	assert_string_equal(a, "lg-1.void");
	const char *forty = "0123456789012345678901234567890123456789";
	assert_int_equal(fs_ledger_resolution_id(forty, FS_TF_POST, a, &err), 0);
	assert_int_equal(strlen(a), 45);
	/* ids that differ only after 30 or 60 characters: different approval ids, all valid */
	const char *p1 = "a123456789b123456789c123456789d123456789e123456789f123456789-x01";
	const char *p2 = "a123456789b123456789c123456789d123456789e123456789f123456789-x02";
	assert_int_equal(fs_ledger_resolution_id(p1, FS_TF_POST, a, &err), 0);
	assert_int_equal(fs_ledger_resolution_id(p2, FS_TF_POST, b, &err), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), FS_TRANSFER_ID_MAX);
	assert_int_equal(strncmp(a, p1, 26), 0);
	assert_string_equal(a + FS_TRANSFER_ID_MAX - 5, ".post");
	const char *q1 = "0123456789012345678901234567890123456789a", *q2 = "0123456789012345678901234567890123456789b";
	assert_int_equal(fs_ledger_resolution_id(q1, FS_TF_POST, a, &err), 0);
	assert_int_equal(fs_ledger_resolution_id(q2, FS_TF_POST, b, &err), 0);
	assert_string_not_equal(a, b);
	/* the same id always gives the same one (a retry is idempotent) */
	assert_int_equal(fs_ledger_resolution_id(q1, FS_TF_POST, b, &err), 0);
	assert_string_equal(a, b);
	assert_int_equal(fs_ledger_resolution_id(q1, FS_TF_VOID, b, &err), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(fs_ledger_resolution_id("", FS_TF_POST, a, &err), FS_EINVAL);
	assert_int_equal(fs_ledger_resolution_id("a b", FS_TF_POST, a, &err), FS_EINVAL);
	char toolong[80];
	memset(toolong, 'x', 65);
	toolong[65] = '\0';
	assert_int_equal(fs_ledger_resolution_id(toolong, FS_TF_POST, a, &err), FS_EINVAL);
	assert_int_equal(fs_ledger_resolution_id("ok", FS_TF_PENDING, a, &err), FS_EINVAL);
}

/* led27: a transfer id is 1 to 64 of A-Z a-z 0-9 . _ : - (every byte tried,
 * alone and between good ones); a value date found bad is bad again for the
 * transfers after it with the same one (the batch keeps the last date found
 * good, never a bad one), and a good one after a bad one is good. */
static void test_id_bytes_and_dates(void **state)
{
	struct fx *f = *state;
	for (int c = 1; c < 256; c++) {
		int good = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == ':' ||
			   c == '-';
		char one[2] = {(char)c, '\0'}, mid[4] = {'a', (char)c, 'b', '\0'};
		if (fs_transfer_id_ok(one) != good || fs_transfer_id_ok(mid) != good)
			fail_msg("byte %d taken as %s", c, good ? "bad" : "good");
	}
	char id[80];
	memset(id, 'x', sizeof(id));
	id[64] = '\0';
	assert_int_equal(fs_transfer_id_ok(id), 1);
	id[64] = 'y';
	id[65] = '\0';
	assert_int_equal(fs_transfer_id_ok(id), 0); /* 65 */
	id[64] = '!';
	assert_int_equal(fs_transfer_id_ok(id), 0);
	id[64] = '\0';
	id[63] = '!';
	assert_int_equal(fs_transfer_id_ok(id), 0);
	assert_int_equal(fs_transfer_id_ok(""), 0);
	assert_int_equal(fs_transfer_id_ok(NULL), 0);
	struct fs_error err = {0};
	int64_t cash = f->acct[0], income = f->acct[2];
	static const char *const dates[] = {"2026-02-30", "2026-02-30", "2026-03-01", "2026-03-01", "2026-13-01",
					    "2026-13-01", "2026-03-0",  "2026-03-01x", "2026-03-02", "2026-02-30"};
	static const int want[] = {FS_T_INVALID, FS_T_INVALID, FS_T_OK, FS_T_OK, FS_T_INVALID, FS_T_INVALID, FS_T_INVALID, FS_T_INVALID, FS_T_OK, FS_T_INVALID};
	enum { N = sizeof(dates) / sizeof(dates[0]) };
	struct fs_transfer t[N];
	char ids[N][16];
	int res[N];
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "vd-%d", i);
		t[i] = (struct fs_transfer)TF(ids[i], cash, income, 100 + i, 0);
		t[i].value_date = dates[i];
	}
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, t, N, res, &err), 0);
	for (int i = 0; i < N; i++)
		if (res[i] != want[i])
			fail_msg("value date %s: %s", dates[i], fs_transfer_result_name(res[i]));
	assert_verified(f);
}

/* More accounts than one page of a list (10,000): balances and the export see them all. */
static void test_many_accounts(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	char fid[24], name[32];
	snprintf(fid, sizeof(fid), "%lld", (long long)f->fund);
	int64_t last = 0;
	assert_int_equal(fs_tx_begin(f->d.ctx, &err), 0);
	for (int i = 0; i < 10050; i++) {
		snprintf(name, sizeof(name), "liabilities:person-%05d", i);
		struct fs_kv a[] = {{"fund_id", fid}, {"name", name}, {"kind", "liability"}};
		assert_int_equal(fs_create(f->d.ctx, fs_entity_find("account"), a, 3, &last, &err), 0);
	}
	assert_int_equal(fs_tx_end(f->d.ctx, 0, &err), 0);
	int res[1];
	struct fs_transfer t = TF("owed-1", f->acct[3], last, 4200, 0);
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &t, 1, res, &err), 0);
	assert_int_equal(res[0], FS_T_OK);
	json_t *b;
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &b, &err), 0);
	assert_int_equal(json_array_size(b), 12 + 10050);
	int found = 0;
	size_t i;
	json_t *a;
	json_array_foreach(b, i, a) found |= json_integer_value(json_object_get(a, "account_id")) == last &&
					     json_integer_value(json_object_get(a, "balance_minor")) == -4200;
	assert_true(found);
	json_decref(b);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(fs_ledger_export(f->d.ctx, f->fund, out, FS_LEDGER_CSV, 0, &err), 0);
	fclose(out);
	assert_non_null(strstr(text, "liabilities:person-10049"));
	free(text);
}

/* ---- the principal and the two-person rule (principal.c, payout.c) ---- */

static void test_actor_account(void **state)
{
	(void)state;
	assert_int_equal(fs_actor_account("user:3 treasurer"), 3);
	assert_int_equal(fs_actor_account("user:12"), 12);
	assert_int_equal(fs_actor_account("user:0 x"), 0);
	assert_int_equal(fs_actor_account("user:3x treasurer"), 0);
	assert_int_equal(fs_actor_account("treasurer"), 0);
	assert_int_equal(fs_actor_account("operator"), 0);
	assert_int_equal(fs_actor_account(NULL), 0);
}

/* users a, b (treasurers), v (viewer), d (disabled); the fund's rule; money in */
static void two_person_setup(struct fx *f, const char *threshold, const char *limit)
{
	struct fs_error err = {0};
	static const char *const users[][2] = {{"a", "treasurer"}, {"b", "treasurer"}, {"v", "viewer"}, {"d", "treasurer"}};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(fs_user_add(f->d.ctx, users[i][0], "long-enough-pass", NULL, &err), 0);
		assert_int_equal(fs_user_grant(f->d.ctx, users[i][0], users[i][1], &err), 0);
	}
	assert_int_equal(fs_user_disable(f->d.ctx, "d", 1, &err), 0);
	const struct fs_kv rule[] = {{"approval_threshold", threshold}, {"rolling_limit", limit}};
	assert_int_equal(fs_update(f->d.ctx, fs_entity_find("fund"), f->fund, rule, 2, &err), 0);
	struct fs_transfer in = {.id = "in", .debit_account = f->acct[0], .credit_account = f->acct[2], .amount_minor = 100000, .code = "c"};
	int res = -1;
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &in, 1, &res, &err), 0);
	assert_int_equal(res, FS_T_OK);
}

static int pay(struct fx *f, const char *id, int64_t amount, unsigned flags, const char *pending_id)
{
	struct fs_error err = {0};
	struct fs_transfer t = {.id = id, .debit_account = f->acct[4], .credit_account = f->acct[0], .amount_minor = amount,
				.code = "legal", .flags = flags, .pending_id = pending_id};
	int res = -1;
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &t, 1, &res, &err), 0);
	return res;
}

static void test_principal(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	two_person_setup(f, "50.00", "");
	assert_int_equal(fs_act_as(f->d.ctx, "nosuch", &err), FS_ENOTFOUND);
	assert_int_equal(fs_act_as(f->d.ctx, "d", &err), FS_EPERM);
	assert_int_equal(fs_act_as(f->d.ctx, "v", &err), 0);
	assert_string_equal(fs_principal_name(f->d.ctx), "user:3 v");
	assert_int_equal(fs_principal_in_org(f->d.ctx, &err), 0);
	assert_false(fs_principal_can(f->d.ctx, "funds.transfer"));
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("person"), (struct fs_kv[]){{"full_name", "X"}}, 1, NULL, &err), FS_EPERM);
	struct fs_transfer t = {.id = "v1", .debit_account = f->acct[0], .credit_account = f->acct[2], .amount_minor = 1, .code = "c"};
	int res;
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, &t, 1, &res, &err), FS_EPERM);
	f->d.ctx->org_id = 0; /* an organization the account holds no role in */
	assert_int_equal(fs_principal_in_org(f->d.ctx, &err), FS_ENOTFOUND); /* as in the API: it does not exist */
	assert_int_equal(fs_use_org(f->d.ctx, "mm", &err), 0);
	fs_act_as_nobody(f->d.ctx);
	assert_false(fs_principal_can(f->d.ctx, "register.read"));
	fs_act_as_operator(f->d.ctx);
	assert_true(fs_principal_can(f->d.ctx, "users.manage"));
	assert_string_equal(fs_principal_name(f->d.ctx), "operator");
}

static void test_two_person_rule(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	two_person_setup(f, "50.00", "");
	assert_int_equal(fs_act_as(f->d.ctx, "a", &err), 0);
	assert_int_equal(pay(f, "p1", 5000, 0, NULL), FS_T_OK);                     /* at the threshold */
	assert_int_equal(pay(f, "p2", 5001, 0, NULL), FS_T_APPROVAL_REQUIRED);      /* above it */
	assert_int_equal(pay(f, "p3", 6000, FS_TF_PENDING, NULL), FS_T_OK);         /* reserved only */
	assert_int_equal(pay(f, "p3.post", 0, FS_TF_POST, "p3"), FS_T_APPROVAL_REQUIRED); /* not by the requester */
	int res = -1;
	assert_int_equal(fs_ledger_approve(f->d.ctx, f->fund, "p3", "p3.a", &res, &err), FS_EPERM);
	fs_act_as_operator(f->d.ctx); /* not an account: never the second person */
	assert_int_equal(pay(f, "p3.post", 0, FS_TF_POST, "p3"), FS_T_APPROVAL_REQUIRED);
	assert_int_equal(fs_ledger_approve(f->d.ctx, f->fund, "p3", "p3.a", &res, &err), FS_EPERM);
	assert_int_equal(fs_act_as(f->d.ctx, "b", &err), 0); /* a second account with funds.approve */
	assert_int_equal(pay(f, "p3.post", 0, FS_TF_POST, "p3"), FS_T_OK);
	/* an entry of before account ids names the requester by name: "a" cannot post it */
	assert_int_equal(pay(f, "p4", 6000, FS_TF_PENDING, NULL), FS_T_OK);
	assert_int_equal(fs_act_as(f->d.ctx, "a", &err), 0);
	fs_set_actor(f->d.ctx, "a"); /* as an old CLI wrote it */
	assert_int_equal(pay(f, "p5", 6000, FS_TF_PENDING, NULL), FS_T_OK);
	assert_int_equal(fs_act_as(f->d.ctx, "a", &err), 0);
	assert_int_equal(pay(f, "p5.post", 0, FS_TF_POST, "p5"), FS_T_APPROVAL_REQUIRED);
	assert_int_equal(pay(f, "p4.post", 0, FS_TF_POST, "p4"), FS_T_OK); /* b's, approved by a */
	assert_verified(f);
}

static void test_rolling_limit(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	two_person_setup(f, "", "100.00");
	assert_int_equal(fs_act_as(f->d.ctx, "a", &err), 0);
	/* a failed chain counts nothing: its 60.00 does not use up the limit */
	struct fs_transfer t[4] = {
		{.id = "r1", .debit_account = f->acct[4], .credit_account = f->acct[0], .amount_minor = 6000, .code = "l", .flags = FS_TF_LINKED},
		{.id = "r2", .debit_account = f->acct[0], .credit_account = f->acct[0], .amount_minor = 1, .code = "l"},
		{.id = "r3", .debit_account = f->acct[4], .credit_account = f->acct[0], .amount_minor = 10000, .code = "l"},
		{.id = "r4", .debit_account = f->acct[4], .credit_account = f->acct[0], .amount_minor = 1, .code = "l"}};
	int res[4];
	assert_int_equal(fs_ledger_transfer(f->d.ctx, f->fund, t, 4, res, &err), 0);
	assert_int_equal(res[0], FS_T_LINKED_FAILED);
	assert_int_equal(res[2], FS_T_OK);                 /* 100.00: the limit, in one batch */
	assert_int_equal(res[3], FS_T_APPROVAL_REQUIRED);  /* split past it */
	assert_int_equal(pay(f, "r5", 1, 0, NULL), FS_T_APPROVAL_REQUIRED); /* in the next batch too */
	assert_int_equal(pay(f, "r6", 1, FS_TF_PENDING, NULL), FS_T_OK);
	assert_int_equal(pay(f, "r6.post", 0, FS_TF_POST, "r6"), FS_T_APPROVAL_REQUIRED);
	assert_int_equal(fs_act_as(f->d.ctx, "b", &err), 0);  /* b's own limit is untouched */
	assert_int_equal(pay(f, "r7", 10000, 0, NULL), FS_T_OK);
	assert_int_equal(pay(f, "r6.post", 0, FS_TF_POST, "r6"), FS_T_OK); /* approving a's: not counted as b's */
	int wait = -1;
	assert_int_equal(fs_fund_payout_needs_approval(f->d.ctx, f->fund, 1, &wait, &err), 0);
	assert_int_equal(wait, 1);
	assert_int_equal(fs_act_as(f->d.ctx, "v", &err), 0);
	assert_int_equal(fs_fund_payout_needs_approval(f->d.ctx, f->fund, 1, &wait, &err), 0);
	assert_int_equal(wait, 0);
	assert_verified(f);
}

/* Reads check their capability in the core, whatever the front end (#10): nobody
 * (before a login) reads nothing; a viewer (funds.read) reads the fund. */
static void test_read_capabilities(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	two_person_setup(f, "50.00", "");
	json_t *j = NULL;
	fs_act_as_nobody(f->d.ctx);
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &j, &err), FS_EPERM);
	assert_non_null(strstr(err.message, "funds.read"));
	assert_int_equal(fs_fund_report(f->d.ctx, f->fund, &j, &err), FS_EPERM);
	assert_int_equal(fs_fund_pending(f->d.ctx, f->fund, &j, &err), FS_EPERM);
	assert_int_equal(fs_fund_pledges(f->d.ctx, f->fund, fs_date_today(), &j, &err), FS_EPERM);
	FILE *out = tmpfile();
	assert_non_null(out);
	assert_int_equal(fs_ledger_export(f->d.ctx, f->fund, out, FS_LEDGER_CSV, 0, &err), FS_EPERM);
	assert_int_equal(fs_export_people(f->d.ctx, out, FS_EXPORT_CSV, 0, &err), FS_EPERM);
	assert_int_equal(fs_record_counts(f->d.ctx, "type", 0, &j, &err), FS_EPERM);
	assert_null(j);
	assert_int_equal(fs_record_timeline(f->d.ctx, NULL, NULL, 0, 0, &j, &err), FS_EPERM);
	/* the entity reads: fs_get and fs_list (cached pages too), the watch, a statement */
	assert_int_equal(fs_get(f->d.ctx, fs_entity_find("fund"), f->fund, 0, &j, &err), FS_EPERM);
	assert_non_null(strstr(err.message, "funds.read"));
	struct fs_list_opts lo = {.limit = 10};
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("person"), &lo, &j, &err), FS_EPERM);
	assert_non_null(strstr(err.message, "register.read"));
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("incident"), &lo, &j, &err), FS_EPERM);
	assert_int_equal(fs_watch(f->d.ctx, 0, fs_date_today(), &j, &err), FS_EPERM);
	assert_int_equal(fs_statement(f->d.ctx, 1, "en", fs_date_today(), &j, &err), FS_EPERM);
	assert_int_equal(fs_act_as(f->d.ctx, "v", &err), 0);
	assert_int_equal(fs_fund_balances(f->d.ctx, f->fund, &j, &err), 0);
	json_decref(j);
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("person"), &lo, &j, &err), 0); /* cached for the viewer */
	json_decref(j);
	fs_act_as_nobody(f->d.ctx);
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("person"), &lo, &j, &err), FS_EPERM); /* not from the cache */
	assert_int_equal(fs_act_as(f->d.ctx, "v", &err), 0);
	assert_int_equal(fs_ledger_export(f->d.ctx, f->fund, out, FS_LEDGER_CSV, 0, &err), 0);
	fclose(out);
}

/* fs_hash_values gathers its bytes into blocks: the hash must stay the one of
 * the canonical encoding (prefix and NUL, then per value a type byte and a
 * big-endian integer or length, then its bytes) that existing chains were written
 * with - here computed one piece at a time, around every block boundary. */
static void ref_hash(const char *prefix, const struct fs_value *v, size_t n, unsigned char out[FS_HASH_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, FS_HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)prefix, strlen(prefix) + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char hdr[9];
		uint64_t x = v[i].type == FS_VINT ? (uint64_t)v[i].i : v[i].type == FS_VNULL ? 0 : (uint64_t)v[i].n;
		hdr[0] = (unsigned char)v[i].type;
		for (int b = 0; b < 8; b++)
			hdr[1 + b] = (unsigned char)(x >> (56 - 8 * b));
		crypto_generichash_update(&st, hdr, sizeof(hdr));
		if ((v[i].type == FS_VTEXT || v[i].type == FS_VBLOB) && v[i].n)
			crypto_generichash_update(&st, v[i].p, v[i].n);
	}
	crypto_generichash_final(&st, out, FS_HASH_BYTES);
}

static void test_hash_blocks(void **state)
{
	(void)state;
	static unsigned char data[3000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	char prefix[1100];
	for (unsigned seed = 1; seed <= 400; seed++) {
		unsigned r = seed;
		struct fs_value v[24];
		size_t n = seed % 24;
		for (size_t i = 0; i < n; i++) {
			r = r * 1103515245u + 12345u;
			v[i] = (struct fs_value){.type = (enum fs_vtype)(r >> 8) % 4, .i = (int64_t)r * -7, .p = data + r % 100};
			v[i].n = (r >> 4) % 5 == 0 ? (r >> 12) % 2800 : (r >> 12) % 60; /* some past a block */
		}
		size_t pl = seed % 7 == 0 ? 1000 + seed % 40 : 9; /* up to the block's end */
		memset(prefix, 'p', pl);
		prefix[pl] = '\0';
		unsigned char a[FS_HASH_BYTES], b[FS_HASH_BYTES];
		ref_hash(prefix, v, n, a);
		assert_int_equal(fs_hash_values(prefix, v, n, b), 0);
		assert_memory_equal(a, b, FS_HASH_BYTES);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exists_in_linked_chains, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_overflow, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_finds_wrapped_sums, setup, fx_teardown),
		cmocka_unit_test(test_resolution_ids),
		cmocka_unit_test(test_hash_blocks),
		cmocka_unit_test_setup_teardown(test_id_bytes_and_dates, setup, fx_teardown),
		cmocka_unit_test(test_actor_account),
		cmocka_unit_test_setup_teardown(test_principal, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_two_person_rule, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rolling_limit, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_read_capabilities, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_many_accounts, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_random_batches, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_negative_and_pending, setup, fx_teardown),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
