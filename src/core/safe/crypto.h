/* crypto.h - the key file, sealed fields, keyed lookup hashes and the canonical
 * hashing of rows (libsodium: XChaCha20-Poly1305, BLAKE2b).
 *
 * The key file holds one 32-byte master key, hex-encoded, mode 0600, beside the
 * database (DB.key) unless told otherwise. Two subkeys are derived from it: one
 * seals fields, one makes the keyed hash used to look up a national ID. The key
 * never enters the database; a fingerprint of it does, so a wrong key file is
 * refused instead of producing garbage. */
#ifndef FS_CRYPTO_H
#define FS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/error.h"

#define FS_HASH_BYTES 32
#define FS_SEAL_OVERHEAD (1 + 24 + 16)
/* The first byte of a sealed blob: which key, and what its associated data names.
 * 1, 2: the data key / a person's key, bound to the table only (before schema 22;
 * opened only to bind them again); 3, 4: the same, bound to table, row id and
 * column (fs_seal_ad); 5: a transfer's party under a party key (party.c). */
enum { FS_SEAL_DATA = 1, FS_SEAL_PERSON = 2, FS_SEAL_BOUND = 3, FS_SEAL_BOUND_PERSON = 4, FS_SEAL_PARTY = 5 };
#define FS_SEAL_AD_MAX 160

struct fs_keys {
	unsigned char seal[32];
	unsigned char lookup[32];
	unsigned char fingerprint[32];
	unsigned char nonce_prefix[16];
	uint64_t nonce_counter;
};

int fs_crypto_init(struct fs_error *err);
/* Create a new key file (refuses to overwrite one). */
int fs_keys_create(const char *path, struct fs_keys *k, struct fs_error *err);
/* Load a key file; refuses one readable by group or others. */
int fs_keys_load(const char *path, struct fs_keys *k, struct fs_error *err);
void fs_keys_wipe(struct fs_keys *k);

/* Seal plain[0..n) into out (appends n + FS_SEAL_OVERHEAD bytes). ad binds the
 * ciphertext to its place (e.g. the table name). */
int fs_seal(struct fs_keys *k, const char *ad, const void *plain, size_t n, struct fs_buf *out);
/* Open a sealed blob; appends the plaintext to out. FS_ECRYPTO if altered. */
int fs_unseal(const struct fs_keys *k, const char *ad, const void *sealed, size_t n, struct fs_buf *out);

/* The same with an explicit key and format byte (1: the data key; 2: a person's key). */
int fs_seal_with(struct fs_keys *k, const unsigned char key[32], unsigned char version, const char *ad,
		 const void *plain, size_t n, struct fs_buf *out);
int fs_unseal_with(const unsigned char key[32], unsigned char version, const char *ad, const void *sealed, size_t n,
		   struct fs_buf *out);
/* The subkeys (seal, lookup, fingerprint) of a master key; a fresh nonce prefix. */
void fs_keys_derive(struct fs_keys *k, const unsigned char master[32]);

/* Keyed hash of a normalised lookup value (e.g. a national ID). */
void fs_lookup_hash(const struct fs_keys *k, const char *value, size_t n, unsigned char out[FS_HASH_BYTES]);

/* BLAKE2b-256 of the canonical encoding of typed values (prefix included). */
int fs_hash_values(const char *prefix, const struct fs_value *vals, size_t n, unsigned char out[FS_HASH_BYTES]);

void fs_hex(const unsigned char *p, size_t n, char *out /* 2n+1 */);
/* exactly 2n hex digits (either case) into n bytes: 0, or -1 */
int fs_unhex(const char *hex, unsigned char *out, size_t n);

#endif
