/* merkle.c - RFC 9162 Merkle tree hashes, proofs and their verification (merkle.h). */
#include "merkle.h"
#include "fs_assert.h"

#include <nettle/sha2.h>
#include <sodium.h>
#include <string.h>

#include "util/error.h"

/* SHA-256 by nettle: with the CPU's SHA extensions where it has them, five times
 * libsodium's portable code (which was most of the tree's cost of an append) */
void fs_merkle_leaf(const void *data, size_t n, unsigned char out[FS_MERKLE_HASH])
{
	struct sha256_ctx s;
	static const uint8_t zero = 0x00;
	sha256_init(&s);
	sha256_update(&s, 1, &zero);
	sha256_update(&s, n, data);
	sha256_digest(&s, FS_MERKLE_HASH, out);
}

void fs_merkle_node(const unsigned char left[FS_MERKLE_HASH], const unsigned char right[FS_MERKLE_HASH],
		    unsigned char out[FS_MERKLE_HASH])
{
	unsigned char buf[1 + 2 * FS_MERKLE_HASH];
	buf[0] = 0x01;
	memcpy(buf + 1, left, FS_MERKLE_HASH);
	memcpy(buf + 1 + FS_MERKLE_HASH, right, FS_MERKLE_HASH);
	struct sha256_ctx s;
	sha256_init(&s);
	sha256_update(&s, sizeof(buf), buf);
	sha256_digest(&s, FS_MERKLE_HASH, out);
}

/* the largest power of two smaller than n (n > 1) */
static uint64_t split_of(uint64_t n)
{
	uint64_t k = 1;
	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* MTH(D[a:b]), b > a: a complete aligned subtree from the store, else split as 2.1.1 does */
static int range_hash(fs_merkle_node_fn get, void *ud, uint64_t a, uint64_t b, unsigned char out[FS_MERKLE_HASH])
{
	FS_ASSERT(b > a); /* no empty subtree: its hash would be that of the empty tree, not a node */
	uint64_t n = b - a;
	if ((n & (n - 1)) == 0 && a % n == 0) {
		unsigned level = 0;
		while ((1ULL << level) < n)
			level++;
		return get(ud, level, a >> level, out);
	}
	uint64_t k = split_of(n);
	unsigned char l[FS_MERKLE_HASH], r[FS_MERKLE_HASH];
	int rc = range_hash(get, ud, a, a + k, l);
	if (!rc)
		rc = range_hash(get, ud, a + k, b, r);
	if (!rc)
		fs_merkle_node(l, r, out);
	return rc;
}

int fs_merkle_root(fs_merkle_node_fn get, void *ud, uint64_t size, unsigned char out[FS_MERKLE_HASH])
{
	if (size == 0) {
		crypto_hash_sha256(out, (const unsigned char *)"", 0);
		return 0;
	}
	return range_hash(get, ud, 0, size, out);
}

/* PATH(m, D[a:b]) appended in the order of 2.1.3.1 (deepest first) */
static int path(fs_merkle_node_fn get, void *ud, uint64_t m, uint64_t a, uint64_t b,
		unsigned char proof[][FS_MERKLE_HASH], size_t *len)
{
	uint64_t n = b - a;
	FS_ASSERT(m < n); /* the leaf lies inside the subtree its path is built in */
	if (n == 1)
		return 0;
	uint64_t k = split_of(n);
	int rc = m < k ? path(get, ud, m, a, a + k, proof, len) : path(get, ud, m - k, a + k, b, proof, len);
	if (rc)
		return rc;
	if (*len >= FS_MERKLE_MAX_PROOF)
		return FS_ELIMIT;
	rc = m < k ? range_hash(get, ud, a + k, b, proof[*len]) : range_hash(get, ud, a, a + k, proof[*len]);
	if (!rc)
		(*len)++;
	return rc;
}

int fs_merkle_inclusion(fs_merkle_node_fn get, void *ud, uint64_t index, uint64_t size,
			unsigned char proof[][FS_MERKLE_HASH], size_t *len)
{
	*len = 0;
	if (index >= size)
		return FS_EINVAL;
	return path(get, ud, index, 0, size, proof, len);
}

/* SUBPROOF(m, D[a:b], whole) of 2.1.4.1 */
static int subproof(fs_merkle_node_fn get, void *ud, uint64_t m, uint64_t a, uint64_t b, int whole,
		    unsigned char proof[][FS_MERKLE_HASH], size_t *len)
{
	uint64_t n = b - a;
	int rc;
	if (m == n) {
		if (whole)
			return 0;
		if (*len >= FS_MERKLE_MAX_PROOF)
			return FS_ELIMIT;
		if (!(rc = range_hash(get, ud, a, b, proof[*len])))
			(*len)++;
		return rc;
	}
	uint64_t k = split_of(n);
	rc = m <= k ? subproof(get, ud, m, a, a + k, whole, proof, len) : subproof(get, ud, m - k, a + k, b, 0, proof, len);
	if (rc)
		return rc;
	if (*len >= FS_MERKLE_MAX_PROOF)
		return FS_ELIMIT;
	rc = m <= k ? range_hash(get, ud, a + k, b, proof[*len]) : range_hash(get, ud, a, a + k, proof[*len]);
	if (!rc)
		(*len)++;
	return rc;
}

int fs_merkle_consistency(fs_merkle_node_fn get, void *ud, uint64_t first, uint64_t second,
			  unsigned char proof[][FS_MERKLE_HASH], size_t *len)
{
	*len = 0;
	if (first == 0 || first > second)
		return FS_EINVAL;
	return subproof(get, ud, first, 0, second, 1, proof, len);
}

int fs_merkle_verify_inclusion(const unsigned char leaf[FS_MERKLE_HASH], uint64_t index, uint64_t size,
			       const unsigned char root[FS_MERKLE_HASH], const unsigned char (*proof)[FS_MERKLE_HASH],
			       size_t len)
{
	if (index >= size)
		return FS_EINTEGRITY;
	uint64_t fn = index, sn = size - 1;
	unsigned char r[FS_MERKLE_HASH];
	memcpy(r, leaf, FS_MERKLE_HASH);
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return FS_EINTEGRITY;
		if ((fn & 1) || fn == sn) {
			fs_merkle_node(proof[i], r, r);
			if (!(fn & 1))
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			fs_merkle_node(r, proof[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && sodium_memcmp(r, root, FS_MERKLE_HASH) == 0 ? 0 : FS_EINTEGRITY;
}

int fs_merkle_verify_consistency(uint64_t first, uint64_t second, const unsigned char first_root[FS_MERKLE_HASH],
				 const unsigned char second_root[FS_MERKLE_HASH],
				 const unsigned char (*proof)[FS_MERKLE_HASH], size_t len)
{
	if (first == 0 || first > second)
		return FS_EINTEGRITY;
	if (first == second) /* nothing added: the same tree, an empty proof */
		return len == 0 && sodium_memcmp(first_root, second_root, FS_MERKLE_HASH) == 0 ? 0 : FS_EINTEGRITY;
	if (len == 0)
		return FS_EINTEGRITY;
	size_t i = 0;
	const unsigned char *start;
	if ((first & (first - 1)) == 0) { /* a power of two: the old root is the first value */
		start = first_root;
	} else {
		start = proof[0];
		i = 1;
	}
	uint64_t fn = first - 1, sn = second - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	unsigned char fr[FS_MERKLE_HASH], sr[FS_MERKLE_HASH];
	memcpy(fr, start, FS_MERKLE_HASH);
	memcpy(sr, start, FS_MERKLE_HASH);
	for (; i < len; i++) {
		if (sn == 0)
			return FS_EINTEGRITY;
		if ((fn & 1) || fn == sn) {
			fs_merkle_node(proof[i], fr, fr);
			fs_merkle_node(proof[i], sr, sr);
			if (!(fn & 1))
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			fs_merkle_node(sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && sodium_memcmp(fr, first_root, FS_MERKLE_HASH) == 0 &&
			       sodium_memcmp(sr, second_root, FS_MERKLE_HASH) == 0 ? 0 : FS_EINTEGRITY;
}
