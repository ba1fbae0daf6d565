/* test_batch.c - unit tests of batch journaling (src/core/batch.c) through the
 * core: a record a pending batch created and then changed or removed in the same
 * transaction, a batch left by a failed transaction; verify holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "fixture.h"

static struct fx_db d;
static struct fs_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	struct fs_error err = {0};
	if (fx_db_open(&d, "batch") || fx_db_org(&d, "union", "Union", "TR", "TRY") || fs_use_org(d.ctx, "union", &err)) {
		fprintf(stderr, "# setup: %s\n", err.message);
		return -1;
	}
	ctx = d.ctx;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fx_db_close(&d);
}

static int verify_ok(void)
{
	struct fs_verify_report rep;
	struct fs_error err = {0};
	int rc = fs_verify(ctx, &rep, &err);
	if (rc)
		fprintf(stderr, "# %s\n", rep.text ? rep.text : err.message);
	free(rep.text);
	return rc == 0;
}

static int64_t add_person(const char *name)
{
	struct fs_error err = {0};
	const struct fs_kv kv[] = {{"full_name", name}};
	int64_t id = 0;
	assert_int_equal(fs_create(ctx, fs_entity_find("person"), kv, 1, &id, &err), 0);
	return id;
}

/* A person created by a batch and edited before the batch is written: the batch
 * entry must come before the edit's, else the edit would not be the last word. */
static void test_changed_in_the_same_batch(void **state)
{
	(void)state;
	struct fs_error err = {0};
	assert_int_equal(fs_tx_begin(ctx, &err), 0);
	assert_int_equal(fs_batch_begin(ctx, "test", &err), 0);
	int64_t a = add_person("Ayse Kaya");
	add_person("Mehmet Demir");
	const struct fs_kv kv[] = {{"full_name", "Ayse Demir"}};
	assert_int_equal(fs_update(ctx, fs_entity_find("person"), a, kv, 1, &err), 0);
	add_person("Fatma Sahin");
	assert_int_equal(fs_batch_end(ctx, 0, &err), 0);
	assert_int_equal(fs_tx_end(ctx, 0, &err), 0);
	assert_true(verify_ok());
}

/* A record a pending batch created, removed in the same transaction, its id given
 * again to the next record: each entry in order, the newest batch answers for the id. */
static void test_removed_and_id_reused(void **state)
{
	(void)state;
	struct fs_error err = {0};
	const struct fs_entity *pe = fs_entity_find("person");
	assert_int_equal(fs_tx_begin(ctx, &err), 0);
	assert_int_equal(fs_batch_begin(ctx, "test", &err), 0);
	add_person("Kept");
	int64_t gone = add_person("Removed");
	assert_int_equal(fs_remove(ctx, pe, gone, &err), 0);
	int64_t again = add_person("Same Id");
	assert_int_equal(fs_batch_end(ctx, 0, &err), 0);
	assert_int_equal(fs_tx_end(ctx, 0, &err), 0);
	assert_int_equal(again, gone); /* the store gives the highest id + 1 */
	assert_true(verify_ok());
	int64_t seq = 0, seq0 = 0;
	unsigned char h[32];
	assert_int_equal(fs_batch_created(ctx, pe, again, &seq, h, &err), 0);
	assert_int_equal(fs_batch_created(ctx, pe, gone - 1, &seq0, h, &err), 0);
	assert_true(seq > seq0 && seq0 > 0);
}

/* A failed transaction leaves no batch: the next batch begins. */
static void test_rollback(void **state)
{
	(void)state;
	struct fs_error err = {0};
	assert_int_equal(fs_tx_begin(ctx, &err), 0);
	assert_int_equal(fs_batch_begin(ctx, "test", &err), 0);
	assert_int_not_equal(fs_batch_begin(ctx, "again", &err), 0); /* one at a time */
	add_person("Rolled Back");
	assert_int_equal(fs_batch_end(ctx, FS_EINVAL, &err), FS_EINVAL);
	assert_int_equal(fs_tx_end(ctx, FS_EINVAL, &err), FS_EINVAL);
	assert_null(ctx->batch);
	assert_int_not_equal(fs_batch_begin(ctx, "outside a transaction", &err), 0);
	assert_true(verify_ok());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changed_in_the_same_batch),
		cmocka_unit_test(test_removed_and_id_reused),
		cmocka_unit_test(test_rollback),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
