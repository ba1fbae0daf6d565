/* test_logpack.c - the Merkle log's storage (src/core/base/log.c: no leaf stored,
 * nodes from level 8, chunks of 256 leaves hashed again from the journal, a head
 * per log): entries appended to two organizations' logs in transactions of random
 * sizes (some rolled back, some read in the middle, one outside a transaction,
 * the database closed and opened again in the middle of a chunk), over three
 * chunks, then every root at every size, every inclusion proof (at the log's size
 * and at sizes that are not a multiple of a chunk), consistency proofs and each
 * entry's leaf checked against a tree computed here from the journal (RFC 9162,
 * merkle.c's hashes only); verify holds, and names a stored node or a head altered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/internal.h"
#include "fixture.h"
#include "log.h"

enum { MAXLEAVES = 1400 };

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
		assert_int_equal(idx, (int64_t)i); /* the leaf's index: chunk * 256 + place */
		assert_memory_equal(leaf, e->leaf[i], 32);
	}
	for (int k = 0; k < 60; k++) { /* inclusion at a smaller size: most are not a multiple of a chunk */
		size_t s = 1 + rnd(e->n), i = rnd(s);
		unsigned char r[32];
		mth(e->leaf, 0, s, r);
		assert_int_equal(fs_log_inclusion(ctx, orgs[w], (int64_t)i, (int64_t)s, proof, &len, &err), 0);
		assert_int_equal(fs_merkle_verify_inclusion(e->leaf[i], i, s, r, (const unsigned char(*)[32])proof, len), 0);
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
	for (int round = 0; round < 60; round++) {
		if (round == 30) { /* closed and opened again: the head carries the frontier, in the middle of a chunk */
			assert_true(ex[0].n % FS_LOG_CHUNK && ex[1].n % FS_LOG_CHUNK);
			fs_close(d.ctx);
			assert_int_equal(fs_open(d.path, NULL, 0, &d.ctx, &err), 0);
			ctx = d.ctx;
		}
		assert_int_equal(fs_tx_begin(ctx, &err), 0);
		int n = (int)rnd(61), rollback = rnd(6) == 0;
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
	assert_true(ex[0].n > 2 * FS_LOG_CHUNK && ex[1].n > 2 * FS_LOG_CHUNK);
	check_log(0);
	check_log(1);
	struct fs_verify_report rep;
	int rc = fs_verify(ctx, &rep, &err);
	if (rc)
		fprintf(stderr, "# %s\n", rep.text ? rep.text : err.message);
	free(rep.text);
	assert_int_equal(rc, 0);
}

/* sql on the database file, through a connection of its own */
static void exec_sql(const char *sql)
{
	sqlite3 *db;
	char *e = NULL;
	assert_int_equal(sqlite3_open(d.path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK)
		fail_msg("%s: %s", sql, e ? e : "?");
	sqlite3_close(db);
}

/* verify's text after one row of log_nodes is changed by sql (then put back) */
static void tampered(const char *sql, const char *undo, const char *named)
{
	struct fs_error err = {0};
	struct fs_verify_report rep;
	exec_sql(sql);
	assert_int_not_equal(fs_verify(ctx, &rep, &err), 0);
	assert_non_null(rep.text);
	if (!strstr(rep.text, named))
		fail_msg("verify did not name '%s': %s", named, rep.text);
	free(rep.text);
	exec_sql(undo);
	assert_int_equal(fs_verify(ctx, &rep, &err), 0);
	free(rep.text);
}

static void test_tampering(void **state)
{
	(void)state;
	char sql[300], undo[300];
	long long key = ((long long)orgs[1] << 41) | (8LL << 35) | 1;
	snprintf(sql, sizeof(sql), "UPDATE log_nodes SET hash = zeroblob(32) WHERE id = %lld", key);
	snprintf(undo, sizeof(undo), "UPDATE log_nodes SET hash = (SELECT hash FROM keep) WHERE id = %lld", key);
	char keep[200];
	snprintf(keep, sizeof(keep), "CREATE TABLE keep AS SELECT hash, seq FROM log_nodes WHERE id = %lld", key);
	exec_sql(keep);
	tampered(sql, undo, "node 8/1 differs from the journal");
	snprintf(sql, sizeof(sql), "UPDATE log_nodes SET seq = seq + 1 WHERE id = %lld", key);
	snprintf(undo, sizeof(undo), "UPDATE log_nodes SET seq = (SELECT seq FROM keep) WHERE id = %lld", key);
	tampered(sql, undo, "as the last of its chunk");
	long long head = ((long long)orgs[0] << 41) | (62LL << 35);
	snprintf(sql, sizeof(sql), "UPDATE log_nodes SET hash = zeroblob(length(hash)) WHERE id = %lld", head);
	snprintf(undo, sizeof(undo), "UPDATE log_nodes SET hash = (SELECT hash FROM keep2) WHERE id = %lld", head);
	snprintf(keep, sizeof(keep), "CREATE TABLE keep2 AS SELECT hash FROM log_nodes WHERE id = %lld", head);
	exec_sql(keep);
	tampered(sql, undo, "its head's frontier differs");
	exec_sql("DROP TABLE keep; DROP TABLE keep2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_random_batches), cmocka_unit_test(test_tampering)};
	return cmocka_run_group_tests(tests, setup, teardown);
}
