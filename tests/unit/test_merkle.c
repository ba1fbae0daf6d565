/* test_merkle.c - the RFC 9162 tree of merkle.c: roots against a plain recursive
 * MTH, inclusion and consistency proofs over random sizes 1..100,000 (powers of
 * two and their neighbours included), and forged proofs, wrong sizes and wrong
 * roots refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "merkle.h"
#include "util/error.h"

enum { MAXN = 100000, LEVELS = 18 };

struct tree {
	unsigned char *lv[LEVELS]; /* lv[L][i]: the complete subtree at level L, index i */
	uint64_t n[LEVELS];
	uint64_t size; /* the tree asked about: a subtree past it is refused */
};

static struct tree T;

static int get(void *ud, unsigned level, uint64_t index, unsigned char out[32])
{
	struct tree *t = ud;
	if (level >= LEVELS || index >= t->n[level] || ((index + 1) << level) > t->size)
		return FS_ENOTFOUND; /* a proof that reads past its tree is a bug */
	memcpy(out, t->lv[level] + 32 * index, 32);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	T.lv[0] = malloc(32 * (size_t)MAXN);
	for (uint64_t i = 0; i < MAXN; i++) {
		unsigned char d[8];
		for (int k = 0; k < 8; k++)
			d[k] = (unsigned char)(i >> (8 * k));
		fs_merkle_leaf(d, 8, T.lv[0] + 32 * i);
	}
	T.n[0] = MAXN;
	for (int l = 1; l < LEVELS; l++) {
		T.n[l] = T.n[l - 1] / 2;
		T.lv[l] = malloc(32 * (T.n[l] ? T.n[l] : 1));
		for (uint64_t i = 0; i < T.n[l]; i++)
			fs_merkle_node(T.lv[l - 1] + 64 * i, T.lv[l - 1] + 64 * i + 32, T.lv[l] + 32 * i);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int l = 0; l < LEVELS; l++)
		free(T.lv[l]);
	return 0;
}

/* MTH as 2.1.1 writes it, straight from the leaves */
static void mth(uint64_t a, uint64_t b, unsigned char out[32])
{
	if (b - a == 1) {
		memcpy(out, T.lv[0] + 32 * a, 32);
		return;
	}
	uint64_t k = 1;
	while (k << 1 < b - a)
		k <<= 1;
	unsigned char l[32], r[32];
	mth(a, a + k, l);
	mth(a + k, b, r);
	fs_merkle_node(l, r, out);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void root_of(uint64_t n, unsigned char out[32])
{
	T.size = n;
	assert_int_equal(fs_merkle_root(get, &T, n, out), 0);
}

static void test_known_values(void **state)
{
	(void)state;
	unsigned char r[32], e[32];
	root_of(0, r);
	crypto_hash_sha256(e, (const unsigned char *)"", 0);
	assert_memory_equal(r, e, 32);
	unsigned char z[9] = {0}; /* leaf 0 is 8 zero bytes: SHA-256(0x00 || 0^8) */
	crypto_hash_sha256(e, z, 9);
	root_of(1, r);
	assert_memory_equal(r, e, 32);
	for (uint64_t n = 1; n <= 300; n++) {
		root_of(n, r);
		mth(0, n, e);
		assert_memory_equal(r, e, 32);
	}
}

static void check_inclusion(uint64_t m, uint64_t n)
{
	unsigned char root[32], proof[FS_MERKLE_MAX_PROOF][32], bad[32];
	size_t len;
	root_of(n, root);
	assert_int_equal(fs_merkle_inclusion(get, &T, m, n, proof, &len), 0);
	const unsigned char *leaf = T.lv[0] + 32 * m;
	assert_int_equal(fs_merkle_verify_inclusion(leaf, m, n, root, (const unsigned char(*)[32])proof, len), 0);
	/* a wrong root, a wrong index, a wrong size, a forged or cut proof: refused */
	memcpy(bad, root, 32);
	bad[m % 32] ^= 1;
	assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, n, bad, (const unsigned char(*)[32])proof, len), 0);
	if (m + 1 < n)
		assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m + 1, n, root, (const unsigned char(*)[32])proof, len), 0);
	/* the same proof and leaf claimed for a tree of another size (with that tree's root) */
	unsigned char other_root[32];
	if (n < MAXN) {
		root_of(n + 1, other_root);
		assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, n + 1, other_root, (const unsigned char(*)[32])proof, len), 0);
	}
	if (n > m + 1) {
		root_of(n - 1, other_root);
		assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, n - 1, other_root, (const unsigned char(*)[32])proof, len), 0);
	}
	assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, m, root, (const unsigned char(*)[32])proof, len), 0);
	/* the path of a complete tree and its root, claimed for a larger tree: too short for it */
	if ((n & (n - 1)) == 0 && n < MAXN)
		assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, n + 1, root, (const unsigned char(*)[32])proof, len), 0);
	if (len) {
		proof[len / 2][3] ^= 0x40;
		assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, n, root, (const unsigned char(*)[32])proof, len), 0);
		proof[len / 2][3] ^= 0x40;
		assert_int_not_equal(fs_merkle_verify_inclusion(leaf, m, n, root, (const unsigned char(*)[32])proof, len - 1), 0);
	}
	unsigned char other[32];
	memcpy(other, leaf, 32);
	other[0] ^= 0x80;
	assert_int_not_equal(fs_merkle_verify_inclusion(other, m, n, root, (const unsigned char(*)[32])proof, len), 0);
}

static void check_consistency(uint64_t m, uint64_t n)
{
	unsigned char r1[32], r2[32], proof[FS_MERKLE_MAX_PROOF][32], bad[32];
	size_t len;
	root_of(m, r1);
	root_of(n, r2);
	T.size = n;
	assert_int_equal(fs_merkle_consistency(get, &T, m, n, proof, &len), 0);
	assert_int_equal(fs_merkle_verify_consistency(m, n, r1, r2, (const unsigned char(*)[32])proof, len), 0);
	memcpy(bad, r1, 32);
	bad[5] ^= 2;
	assert_int_not_equal(fs_merkle_verify_consistency(m, n, bad, r2, (const unsigned char(*)[32])proof, len), 0);
	memcpy(bad, r2, 32);
	bad[7] ^= 2;
	assert_int_not_equal(fs_merkle_verify_consistency(m, n, r1, bad, (const unsigned char(*)[32])proof, len), 0);
	if (m < n) {
		unsigned char o1[32], o2[32];
		if (n < MAXN) {
			root_of(n + 1, o2);
			assert_int_not_equal(fs_merkle_verify_consistency(m, n + 1, r1, o2, (const unsigned char(*)[32])proof, len), 0);
			root_of(m + 1, o1);
			assert_int_not_equal(fs_merkle_verify_consistency(m + 1, n + 1, o1, o2, (const unsigned char(*)[32])proof, len), 0);
		}
		assert_int_not_equal(fs_merkle_verify_consistency(m, n, r1, r2, (const unsigned char(*)[32])proof, len - 1), 0);
		proof[len - 1][0] ^= 1;
		assert_int_not_equal(fs_merkle_verify_consistency(m, n, r1, r2, (const unsigned char(*)[32])proof, len), 0);
		proof[len - 1][0] ^= 1;
		proof[0][31] ^= 1;
		assert_int_not_equal(fs_merkle_verify_consistency(m, n, r1, r2, (const unsigned char(*)[32])proof, len), 0);
	}
}

static void test_inclusion_random(void **state)
{
	(void)state;
	uint64_t s = 88172645463325252ULL;
	for (int i = 0; i < 3000; i++) {
		uint64_t n = 1 + rnd(&s) % MAXN;
		if (i < 300)
			n = 1 + i;
		check_inclusion(rnd(&s) % n, n);
		check_inclusion(n - 1, n);
		check_inclusion(0, n);
	}
}

static void test_edges(void **state)
{
	(void)state;
	for (uint64_t p = 1; p <= 65536; p <<= 1)
		for (int d = -1; d <= 1; d++) {
			uint64_t n = p + (uint64_t)(int64_t)d;
			if (n == 0 || n > MAXN)
				continue;
			check_inclusion(0, n);
			check_inclusion(n - 1, n);
			check_inclusion(n / 2, n);
			for (int e = -1; e <= 1; e++) {
				uint64_t m = p + (uint64_t)(int64_t)e;
				if (m >= 1 && m <= n)
					check_consistency(m, n);
			}
			check_consistency(1, n);
			check_consistency(n, n);
			check_consistency(n, MAXN);
		}
}

static void test_consistency_random(void **state)
{
	(void)state;
	uint64_t s = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 3000; i++) {
		uint64_t n = 1 + rnd(&s) % MAXN;
		if (i < 300)
			n = 1 + i;
		check_consistency(1 + rnd(&s) % n, n);
	}
	/* a proof of a tree that is not an extension: leaf 2 of the second tree changed */
	unsigned char r1[32], r2[32], proof[FS_MERKLE_MAX_PROOF][32];
	size_t len;
	root_of(5, r1);
	T.size = 9;
	assert_int_equal(fs_merkle_consistency(get, &T, 5, 9, proof, &len), 0);
	unsigned char keep[32];
	memcpy(keep, T.lv[0] + 64, 32);
	T.lv[0][64] ^= 1;
	unsigned char l[32], r[32], a[32];
	mth(0, 8, l);
	mth(8, 9, r);
	fs_merkle_node(l, r, a);
	memcpy(r2, a, 32);
	assert_int_not_equal(fs_merkle_verify_consistency(5, 9, r1, r2, (const unsigned char(*)[32])proof, len), 0);
	memcpy(T.lv[0] + 64, keep, 32);
	/* out-of-range arguments */
	assert_int_equal(fs_merkle_consistency(get, &T, 0, 9, proof, &len), FS_EINVAL);
	assert_int_equal(fs_merkle_consistency(get, &T, 10, 9, proof, &len), FS_EINVAL);
	assert_int_equal(fs_merkle_inclusion(get, &T, 9, 9, proof, &len), FS_EINVAL);
	assert_int_not_equal(fs_merkle_verify_consistency(0, 9, r1, r2, (const unsigned char(*)[32])proof, len), 0);
	assert_int_not_equal(fs_merkle_verify_consistency(9, 5, r1, r2, (const unsigned char(*)[32])proof, len), 0);
	assert_int_not_equal(fs_merkle_verify_consistency(5, 9, r1, r2, (const unsigned char(*)[32])proof, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_inclusion_random),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_consistency_random),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
