/* test_logpack.c - the Merkle log's leaves packed 16 a row (src/core/base/log.c):
 * entries appended to two organizations' logs in transactions of random sizes
 * (some rolled back, some read in the middle, one outside a transaction), then
 * every root at every size, every inclusion proof, consistency proofs and each
 * entry's leaf checked against a tree computed here from the journal (RFC 9162,
 * merkle.c's hashes only); verify holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "fixture.h"
#include "log.h"

enum { MAXLEAVES = 400 };

static struct fx_db d;
static struct fs_ctx *ctx;
static int64_t orgs[2];

struct expect {
	int64_t seq[MAXLEAVES];
	unsigned char leaf[MAXLEAVES][32];
	size_t n;
};
static struct expect ex[2];

static int setup(void **state)
{
	(void)state;
	struct fs_error err = {0};
	if (fx_db_open(&d, "logpack") || fx_db_org(&d, "aaa", "A", "TR", "TRY") || fx_db_org(&d, "bbb", "B", "TR", "TRY") ||
	    fs_use_org(d.ctx, "aaa", &err)) {
		fprintf(stderr, "# setup: %s\n", err.message);
		return -1;
	}
	ctx = d.ctx;
	orgs[0] = fs_org(ctx);
	if (fs_use_org(ctx, "bbb", &err)) {
		fprintf(stderr, "# setup: %s\n", err.message);
		return -1;
	}
	orgs[1] = fs_org(ctx);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fx_db_close(&d);
}

static uint64_t rnd_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13, rnd_state ^= rnd_state >> 7, rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

static void note(int which)
{
	struct fs_error err = {0};
	struct fs_rec r;
	rec_init(&r, fs_entity_find("organization"));
	r.v[0] = fs_vint(orgs[which]);
	assert_int_equal(fs_journal_note(ctx, "view", &r, "{\"t\":1}", &err), 0);
	rec_done(&r);
}

static int journal_cb(void *p, const struct fs_value *v)
{
	(void)p;
	for (int w = 0; w < 2; w++)
		if (v[1].type == FS_VINT && v[1].i == orgs[w]) {
			struct expect *e = &ex[w];
			assert_true(e->n < MAXLEAVES);
			e->seq[e->n] = v[0].i;
			fs_merkle_leaf(v[2].p, 32, e->leaf[e->n++]);
		}
	return 0;
}

/* the leaves of both logs, from the journal */
static void load(void)
{
	memset(ex, 0, sizeof(ex));
	static const char *const cols[] = {"seq", "org_id", "hash"};
	struct fs_query q = {.table = &fs_journal_table, .columns = cols, .ncolumns = 3};
	struct fs_error err = {0};
	assert_int_equal(fs_store_select(ctx->st, &q, journal_cb, NULL, &err), 0);
}

/* MTH(D[a:b]) as RFC 9162 2.1.1 writes it */
static void mth(unsigned char (*l)[32], size_t a, size_t b, unsigned char out[32])
{
	if (b - a == 1) {
		memcpy(out, l[a], 32);
		return;
	}
	size_t k = 1;
	while (k << 1 < b - a)
		k <<= 1;
	unsigned char x[32], y[32];
	mth(l, a, a + k, x);
	mth(l, a + k, b, y);
	fs_merkle_node(x, y, out);
}

static void check_log(int w)
{
	struct fs_error err = {0};
	struct expect *e = &ex[w];
	int64_t size;
	assert_int_equal(fs_log_size(ctx, orgs[w], &size, &err), 0);
	assert_int_equal(size, (int64_t)e->n);
	unsigned char root[32], want[32], proof[FS_MERKLE_MAX_PROOF][32];
	size_t len;
	for (size_t s = 1; s <= e->n; s++) { /* every size: each place in a pack, each frontier */
		assert_int_equal(fs_log_root(ctx, orgs[w], (int64_t)s, root, &err), 0);
		mth(e->leaf, 0, s, want);
		assert_memory_equal(root, want, 32);
	}
	for (size_t i = 0; i < e->n; i++) {
		assert_int_equal(fs_log_inclusion(ctx, orgs[w], (int64_t)i, size, proof, &len, &err), 0);
		assert_int_equal(fs_merkle_verify_inclusion(e->leaf[i], i, (uint64_t)size, root,
							    (const unsigned char(*)[32])proof, len), 0);
		int64_t o, idx;
		unsigned char leaf[32];
		assert_int_equal(fs_log_leaf_of(ctx, e->seq[i], &o, &idx, leaf, &err), 0);
		assert_int_equal(o, orgs[w]);
		assert_int_equal(idx, (int64_t)i); /* the packed leaf's index: pack * 16 + place */
		assert_memory_equal(leaf, e->leaf[i], 32);
	}
	for (int k = 0; k < 60; k++) {
		size_t first = 1 + rnd(e->n);
		unsigned char old[32];
		mth(e->leaf, 0, first, old);
		assert_int_equal(fs_log_consistency(ctx, orgs[w], (int64_t)first, size, proof, &len, &err), 0);
		assert_int_equal(fs_merkle_verify_consistency(first, (uint64_t)size, old, root,
							      (const unsigned char(*)[32])proof, len), 0);
	}
}

static void test_random_batches(void **state)
{
	(void)state;
	struct fs_error err = {0};
	note(0); /* outside a transaction: its pack is written at once */
	int64_t size;
	assert_int_equal(fs_log_size(ctx, orgs[0], &size, &err), 0);
	load();
	assert_int_equal(size, (int64_t)ex[0].n);
	for (int round = 0; round < 40; round++) {
		assert_int_equal(fs_tx_begin(ctx, &err), 0);
		int n = (int)rnd(23), rollback = rnd(6) == 0;
		for (int i = 0; i < n; i++) {
			note((int)rnd(2));
			if (rnd(10) == 0) { /* a read inside the transaction sees the leaves so far */
				int64_t before = ctx->logc.size;
				int which = ctx->logc.org == orgs[1];
				assert_int_equal(fs_log_size(ctx, orgs[which], &size, &err), 0);
				assert_int_equal(size, before);
			}
		}
		int64_t sizes[2];
		if (rollback)
			for (int w = 0; w < 2; w++)
				sizes[w] = (int64_t)ex[w].n;
		assert_int_equal(fs_tx_end(ctx, rollback ? FS_EINVAL : 0, &err), rollback ? FS_EINVAL : 0);
		load();
		for (int w = 0; w < 2; w++) {
			assert_int_equal(fs_log_size(ctx, orgs[w], &size, &err), 0);
			assert_int_equal(size, (int64_t)ex[w].n);
			if (rollback) /* nothing of the transaction is left, in the journal or in the tree */
				assert_int_equal(size, sizes[w]);
		}
	}
	assert_true(ex[0].n > 3 * FS_LOG_PACK && ex[1].n > 3 * FS_LOG_PACK);
	check_log(0);
	check_log(1);
	struct fs_verify_report rep;
	int rc = fs_verify(ctx, &rep, &err);
	if (rc)
		fprintf(stderr, "# %s\n", rep.text ? rep.text : err.message);
	free(rep.text);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_random_batches)};
	return cmocka_run_group_tests(tests, setup, teardown);
}
