/* merkle.h - the Merkle tree of RFC 9162 (Certificate Transparency v2), section 2.1:
 * leaf hash SHA-256(0x00 || data), node hash SHA-256(0x01 || left || right), the
 * tree head MTH(D[n]) over the first n leaves; inclusion proofs (PATH) and
 * consistency proofs (PROOF), and their verification (2.1.3.2, 2.1.4.2).
 *
 * The tree is read through a callback that returns the hash of a complete,
 * aligned subtree: level L, index I covers leaves [I * 2^L, (I + 1) * 2^L). Every
 * hash the functions here need is such a subtree of the tree of the size asked,
 * so a store that keeps each complete subtree once (log.c) answers in O(log n). */
#ifndef FS_MERKLE_H
#define FS_MERKLE_H

#include <stddef.h>
#include <stdint.h>

enum { FS_MERKLE_HASH = 32, FS_MERKLE_MAX_PROOF = 128 };

/* 0 and out filled, or a negative FS_E* code */
typedef int (*fs_merkle_node_fn)(void *ud, unsigned level, uint64_t index, unsigned char out[FS_MERKLE_HASH]);

void fs_merkle_leaf(const void *data, size_t n, unsigned char out[FS_MERKLE_HASH]);
void fs_merkle_node(const unsigned char left[FS_MERKLE_HASH], const unsigned char right[FS_MERKLE_HASH],
		    unsigned char out[FS_MERKLE_HASH]);

/* MTH(D[0:size]); the hash of the empty string for size 0 */
int fs_merkle_root(fs_merkle_node_fn get, void *ud, uint64_t size, unsigned char out[FS_MERKLE_HASH]);
/* PATH(index, D[size]): *len hashes into proof (at most FS_MERKLE_MAX_PROOF); index < size */
int fs_merkle_inclusion(fs_merkle_node_fn get, void *ud, uint64_t index, uint64_t size,
			unsigned char proof[][FS_MERKLE_HASH], size_t *len);
/* PROOF(first, D[second]); 0 < first <= second (empty when equal) */
int fs_merkle_consistency(fs_merkle_node_fn get, void *ud, uint64_t first, uint64_t second,
			  unsigned char proof[][FS_MERKLE_HASH], size_t *len);

/* 0 when the proof holds, FS_EINTEGRITY when it does not (any malformed input included) */
int fs_merkle_verify_inclusion(const unsigned char leaf[FS_MERKLE_HASH], uint64_t index, uint64_t size,
			       const unsigned char root[FS_MERKLE_HASH], const unsigned char (*proof)[FS_MERKLE_HASH],
			       size_t len);
int fs_merkle_verify_consistency(uint64_t first, uint64_t second, const unsigned char first_root[FS_MERKLE_HASH],
				 const unsigned char second_root[FS_MERKLE_HASH],
				 const unsigned char (*proof)[FS_MERKLE_HASH], size_t len);

#endif
