/* test_keys.c - unit tests of the key file (plain, wrapped by a passphrase,
 * split into shares), restricted text in and out of the seal, forgetting a
 * person and key rotation through the core API. */
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

#include "core/internal.h"
#include "core/keyfile.h"
#include "fixture.h"

static char dir[64];

static int mkdir_tmp(void **state)
{
	(void)state;
	return fx_tmpdir(dir, "keys") == 0 && sodium_init() >= 0 ? 0 : -1;
}

static int rm_tmp(void **state)
{
	(void)state;
	fs_key_unlock_forget();
	return fx_rmtree(dir);
}

static void make_shares(unsigned char master[32], char shares[5][FS_SHARE_TEXT])
{
	static const unsigned char fpr[3] = {1, 2, 3};
	struct fs_error err = {0};
	randombytes_buf(master, 32);
	assert_int_equal(fs_shares_make(master, fpr, 5, 3, shares, &err), 0);
}

static void test_shares_any_three(void **state)
{
	(void)state;
	unsigned char master[32], got[32], fpr[3];
	char shares[5][FS_SHARE_TEXT];
	make_shares(master, shares);
	int opened = 0;
	for (int a = 0; a < 5; a++)
		for (int b = a + 1; b < 5; b++)
			for (int c = b + 1; c < 5; c++) {
				const char *three[] = {shares[c], shares[a], shares[b]}; /* any order */
				struct fs_error err = {0};
				assert_int_equal(fs_shares_combine(three, 3, fpr, got, &err), 0);
				assert_memory_equal(got, master, 32);
				opened++;
			}
	assert_int_equal(opened, 10);
	for (int a = 0; a < 5; a++)
		for (int b = a + 1; b < 5; b++) {
			const char *two[] = {shares[a], shares[b]};
			struct fs_error err = {0};
			assert_int_equal(fs_shares_combine(two, 2, fpr, got, &err), FS_ECRYPTO);
			assert_non_null(strstr(err.message, "needs 3"));
		}
}

static void test_shares_typing(void **state)
{
	(void)state;
	unsigned char master[32], got[32], fpr[3];
	char shares[5][FS_SHARE_TEXT], other[5][FS_SHARE_TEXT];
	make_shares(master, shares);
	assert_int_equal(strlen(shares[0]), FS_SHARE_TEXT - 1);
	assert_int_equal(strncmp(shares[0], "FS1-", 4), 0);
	/* lower case, no dashes, O for 0 and l for 1 are read back */
	char loose[FS_SHARE_TEXT];
	size_t n = 3;
	memcpy(loose, "fs1", 3);
	for (const char *p = shares[1] + 3; *p; p++)
		if (*p != '-')
			loose[n++] = *p == '0' ? 'O' : *p == '1' ? 'l' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	loose[n] = 0;
	const char *ok3[] = {shares[0], loose, shares[2]};
	struct fs_error err = {0};
	assert_int_equal(fs_shares_combine(ok3, 3, fpr, got, &err), 0);
	assert_memory_equal(got, master, 32);
	/* one character changed: named as a typing mistake */
	char typo[FS_SHARE_TEXT];
	memcpy(typo, shares[2], sizeof(typo));
	typo[20] = typo[20] == 'A' ? 'B' : 'A';
	const char *bad[] = {shares[0], shares[1], typo};
	assert_int_equal(fs_shares_combine(bad, 3, fpr, got, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "share 3 has a typing mistake"));
	/* the same share twice, shares of another key */
	const char *twice[] = {shares[0], shares[0], shares[1]};
	assert_int_equal(fs_shares_combine(twice, 3, fpr, got, &err), FS_EINVAL);
	unsigned char m2[32];
	make_shares(m2, other);
	const char *mixed2[] = {shares[0], shares[1], other[3]}; /* another split of another key */
	if (fs_shares_combine(mixed2, 3, fpr, got, &err) == 0)
		assert_memory_not_equal(got, master, 32);
	const char *mixed[] = {shares[0], shares[1], "FS1-NOT-A-SHARE"};
	assert_int_equal(fs_shares_combine(mixed, 3, fpr, got, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "share 3 is not a fairshare share"));
}

static void test_wrap_unwrap(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/k.key", dir);
	unsigned char master[32], got[32];
	randombytes_buf(master, 32);
	struct fs_error err = {0};
	assert_int_equal(fs_keyfile_write_plain(path, master, 1, &err), 0);
	assert_int_equal(fs_keyfile_kind(path, &err), FS_KEY_PLAIN);
	assert_int_equal(fs_keyfile_write_plain(path, master, 1, &err), FS_ECONFLICT); /* exclusive: not overwritten */
	assert_int_equal(fs_keyfile_write_wrapped(path, master, "too short", &err), FS_EINVAL);
	assert_int_equal(fs_keyfile_write_wrapped(path, master, "a passphrase long enough", &err), 0);
	assert_int_equal(fs_keyfile_kind(path, &err), FS_KEY_WRAPPED);
	fs_key_unlock_forget();
	assert_int_equal(fs_keyfile_master(path, got, &err), FS_ECRYPTO); /* nothing given */
	fs_key_unlock_passphrase("a passphrase long enougH");
	assert_int_equal(fs_keyfile_master(path, got, &err), FS_ECRYPTO);
	assert_non_null(strstr(err.message, "wrong passphrase"));
	fs_key_unlock_passphrase("a passphrase long enough");
	assert_int_equal(fs_keyfile_master(path, got, &err), 0);
	assert_memory_equal(got, master, 32);
	assert_int_equal(fs_keyfile_master(path, got, &err), 0); /* again, from the cache */
	assert_memory_equal(got, master, 32);
	assert_int_equal(fs_keyfile_write_split(path, 3, 5, &err), 0);
	unsigned k, n;
	assert_int_equal(fs_keyfile_split_info(path, &k, &n, &err), 0);
	assert_int_equal(k * 10 + n, 35);
	fs_key_unlock_forget();
	assert_int_equal(fs_keyfile_master(path, got, &err), FS_ECRYPTO);
	fs_key_unlock_master(master);
	assert_int_equal(fs_keyfile_master(path, got, &err), 0);
	assert_memory_equal(got, master, 32);
	fs_key_unlock_forget();
}

/* ---- restricted text and the core ---- */

static struct fs_ctx *open_db(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct fs_ctx *ctx;
	struct fs_error err = {0};
	assert_int_equal(fs_open(path, NULL, FS_INIT, &ctx, &err), 0);
	const struct fs_kv org[] = {{"slug", "un"}, {"name", "Union"}};
	assert_int_equal(fs_create(ctx, fs_entity_find("organization"), org, 2, NULL, &err), 0);
	assert_int_equal(fs_use_org(ctx, "un", &err), 0);
	return ctx;
}

struct raw_ud {
	int null_place, sealed;
};

static int raw_cb(void *p, const struct fs_value *v)
{
	struct raw_ud *u = p;
	const struct fs_entity *e = fs_entity_find("incident");
	u->null_place = v[e->col_of[fs_field_index(e, "place")]].type == FS_VNULL;
	u->sealed = v[e->sealed_col].type == FS_VBLOB;
	return 1;
}

static void raw_incident(struct fs_ctx *ctx, struct raw_ud *u, int raw)
{
	struct fs_query q = {.table = &fs_entity_find("incident")->table, .raw = raw};
	struct fs_error err = {0};
	assert_int_equal(fs_store_select(ctx->st, &q, raw_cb, u, &err), 0);
}

static void test_restricted_moves(void **state)
{
	(void)state;
	struct fs_ctx *ctx = open_db("r.db");
	struct fs_error err = {0};
	const struct fs_entity *e = fs_entity_find("incident");
	const struct fs_kv kv[] = {{"type", "raid"}, {"started_on", "2011-12-16"}, {"place", "Zhanaozen square"},
				   {"handling", "restricted"}};
	int64_t id;
	assert_int_equal(fs_create(ctx, e, kv, 4, &id, &err), 0);
	struct raw_ud u;
	raw_incident(ctx, &u, 1);
	assert_true(u.null_place && u.sealed); /* stored: in the seal only */
	raw_incident(ctx, &u, 0);
	assert_false(u.null_place); /* read: opened */
	json_t *j;
	assert_int_equal(fs_get(ctx, e, id, 0, &j, &err), 0);
	assert_string_equal(json_string_value(json_object_get(j, "place")), "Zhanaozen square");
	json_decref(j);
	const struct fs_kv pub[] = {{"handling", "public"}};
	assert_int_equal(fs_update(ctx, e, id, pub, 1, &err), 0);
	raw_incident(ctx, &u, 1);
	assert_false(u.null_place); /* public: back in its column */
	assert_false(u.sealed);
	const struct fs_kv seal[] = {{"handling", "sealed"}};
	assert_int_equal(fs_update(ctx, e, id, seal, 1, &err), 0);
	raw_incident(ctx, &u, 1);
	assert_true(u.null_place && u.sealed);
	struct fs_verify_report rep;
	assert_int_equal(fs_verify(ctx, &rep, &err), 0);
	free(rep.text);
	fs_close(ctx);
}

static void test_payload_split(void **state)
{
	(void)state;
	const struct fs_entity *e = fs_entity_find("violation"); /* perpetrator sealed; method restricted */
	const char *p[FS_MAX_FIELDS];
	size_t len[FS_MAX_FIELDS];
	static const char old[] = {0, 3, 'a', 'b', 'c'}; /* sealed before restricted text was */
	assert_int_equal(fs_payload_split(e, old, sizeof(old), p, len), 0);
	int perp = fs_field_index(e, "perpetrator"), method = fs_field_index(e, "method");
	assert_int_equal(len[perp], 3);
	assert_null(p[method]);
	static const char now[] = {(char)0xFF, (char)0xFF, 0, 2, 'x', 'y'};
	assert_int_equal(fs_payload_split(e, now, sizeof(now), p, len), 0);
	assert_null(p[perp]);
	assert_int_equal(len[method], 2);
	static const char bad[] = {0, 9, 'a'};
	assert_int_equal(fs_payload_split(e, bad, sizeof(bad), p, len), FS_ECRYPTO);
}

static void test_forget_and_rotate(void **state)
{
	(void)state;
	struct fs_ctx *ctx = open_db("f.db");
	struct fs_error err = {0};
	const struct fs_entity *pe = fs_entity_find("person");
	const struct fs_kv a[] = {{"full_name", "Ayşe"}, {"phone", "+90 555 1"}, {"national_id", "AB12345"}};
	const struct fs_kv b[] = {{"full_name", "Bolat"}, {"phone", "+7 700 2"}};
	int64_t ia, ib;
	assert_int_equal(fs_create(ctx, pe, a, 3, &ia, &err), 0);
	assert_int_equal(fs_create(ctx, pe, b, 2, &ib, &err), 0);
	assert_int_equal(fs_person_forget(ctx, ia, "", &err), FS_EINVAL);
	assert_int_equal(fs_person_forget(ctx, ia, "asked in writing", &err), 0);
	assert_int_equal(fs_person_forget(ctx, ia, "asked in writing", &err), FS_ECONFLICT);
	json_t *j;
	assert_int_equal(fs_get(ctx, pe, ia, FS_REVEAL, &j, &err), 0);
	assert_true(json_is_null(json_object_get(j, "phone")));
	assert_string_equal(json_string_value(json_object_get(j, "full_name")), "Ayşe");
	json_decref(j);
	int64_t rot = 0;
	assert_int_equal(fs_key_rotate(ctx, 1, &rot, &err), 0);
	assert_int_equal(rot, 1); /* Bolat; Ayşe's seal has nothing left to open */
	assert_int_equal(fs_get(ctx, pe, ib, FS_REVEAL, &j, &err), 0);
	assert_string_equal(json_string_value(json_object_get(j, "phone")), "+7 700 2");
	json_decref(j);
	struct fs_verify_report rep;
	assert_int_equal(fs_verify(ctx, &rep, &err), 0);
	free(rep.text);
	fs_close(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares_any_three),
		cmocka_unit_test(test_shares_typing),
		cmocka_unit_test(test_wrap_unwrap),
		cmocka_unit_test(test_payload_split),
		cmocka_unit_test(test_restricted_moves),
		cmocka_unit_test(test_forget_and_rotate),
	};
	return cmocka_run_group_tests_name("keys", tests, mkdir_tmp, rm_tmp);
}
