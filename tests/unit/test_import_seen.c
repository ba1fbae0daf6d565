/* test_import_seen.c - unit tests of the import's in-file key set
 * (src/core/register/import_seen.c): every key found again with the line it was
 * first seen on, across every growth of the slots and the packed entries; keys
 * that share a slot (the same first 8 bytes) kept apart by their other 8; the
 * look-up alone (import_seen_get: the import's set of stored people's keys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/register/import_seen.h"

static void key_of(unsigned char k[16], uint64_t a, uint64_t b)
{
	memcpy(k, &a, 8);
	memcpy(k + 8, &b, 8);
}

/* 300,000 distinct keys (the slots double 7 times, the entries grow 10 times),
 * then each again: the line it was put with, never 0 */
static void every_key_found_with_its_line(void **state)
{
	(void)state;
	struct import_seen s = {0};
	unsigned char k[16];
	const uint64_t n = 300000;
	for (uint64_t i = 0; i < n; i++) {
		key_of(k, i * 0x9E3779B97F4A7C15u, ~i);
		assert_int_equal(import_seen_put(&s, k, (long)i + 2), 0);
	}
	assert_int_equal(s.n, n);
	assert_true(s.cap >= 2 * n);
	for (uint64_t i = 0; i < n; i++) {
		key_of(k, i * 0x9E3779B97F4A7C15u, ~i);
		assert_int_equal(import_seen_put(&s, k, 999999999), (long)i + 2);
	}
	assert_int_equal(s.n, n); /* nothing added by the look-ups */
	key_of(k, 1, 1); /* new: kept */
	assert_int_equal(import_seen_put(&s, k, 7), 0);
	assert_int_equal(import_seen_put(&s, k, 8), 7);
	import_seen_free(&s);
	assert_null(s.slot);
}

/* keys that collide in their slot (the same first 8 bytes), and keys that differ
 * only in the last byte: each its own entry, found by all 16 bytes */
static void colliding_keys_kept_apart(void **state)
{
	(void)state;
	struct import_seen s = {0};
	unsigned char k[16];
	for (uint64_t i = 0; i < 5000; i++) {
		key_of(k, 42, i);
		assert_int_equal(import_seen_put(&s, k, (long)i + 10), 0);
	}
	for (uint64_t i = 0; i < 5000; i++) {
		key_of(k, 42, i);
		assert_int_equal(import_seen_put(&s, k, 1), (long)i + 10);
	}
	key_of(k, 42, 5000);
	k[15] ^= 0x80; /* differs from every stored key in its last byte only */
	assert_int_equal(import_seen_put(&s, k, 3), 0);
	assert_int_equal(s.n, 5001);
	import_seen_free(&s);
}

/* import_seen_get finds what put kept, with its line, across the growths and
 * in a crowded slot; a key not kept (one differing in its last byte, one in an
 * empty set) is 0 and is not added */
static void get_finds_without_adding(void **state)
{
	(void)state;
	struct import_seen s = {0};
	unsigned char k[16];
	key_of(k, 5, 5);
	assert_int_equal(import_seen_get(&s, k), 0); /* an empty set: no slots yet */
	for (uint64_t i = 0; i < 20000; i++) {
		key_of(k, i < 3000 ? 77 : i * 0x9E3779B97F4A7C15u, i);
		assert_int_equal(import_seen_put(&s, k, (long)i + 3), 0);
	}
	for (uint64_t i = 0; i < 20000; i++) {
		key_of(k, i < 3000 ? 77 : i * 0x9E3779B97F4A7C15u, i);
		assert_int_equal(import_seen_get(&s, k), (long)i + 3);
	}
	key_of(k, 77, 2999);
	k[15] ^= 1;
	assert_int_equal(import_seen_get(&s, k), 0);
	key_of(k, 123456789, 987654321);
	assert_int_equal(import_seen_get(&s, k), 0);
	assert_int_equal(s.n, 20000); /* nothing added by the look-ups */
	import_seen_free(&s);
}

/* a line past 32 bits is kept as the largest, not wrapped to another line or to 0 */
static void large_line_numbers(void **state)
{
	(void)state;
	struct import_seen s = {0};
	unsigned char k[16];
	key_of(k, 5, 5);
	assert_int_equal(import_seen_put(&s, k, (long)UINT32_MAX + 5), 0);
	assert_int_equal(import_seen_put(&s, k, 2), (long)UINT32_MAX);
	import_seen_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_found_with_its_line),
		cmocka_unit_test(colliding_keys_kept_apart),
		cmocka_unit_test(large_line_numbers),
		cmocka_unit_test(get_finds_without_adding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
