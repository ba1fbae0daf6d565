/* crypto.c - key file, sealing, keyed hashes and canonical row hashes. */
#include "crypto.h"
#include "fs_assert.h"
#include "keyfile.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_HEADER "fairshare-key-v1\n"

int fs_crypto_init(struct fs_error *err)
{
	if (sodium_init() < 0)
		return fs_fail(err, FS_ECRYPTO, NULL, "libsodium failed to initialise");
	return 0;
}

void fs_keys_derive(struct fs_keys *k, const unsigned char master[32])
{
	crypto_kdf_derive_from_key(k->seal, 32, 1, "fs-seal_", master);
	crypto_kdf_derive_from_key(k->lookup, 32, 2, "fs-look_", master);
	crypto_kdf_derive_from_key(k->fingerprint, 32, 3, "fs-fpr__", master);
	randombytes_buf(k->nonce_prefix, sizeof(k->nonce_prefix));
	k->nonce_counter = 0;
}

int fs_keys_create(const char *path, struct fs_keys *k, struct fs_error *err)
{
	unsigned char master[32];
	char hex[65];
	crypto_kdf_keygen(master);
	sodium_bin2hex(hex, sizeof(hex), master, sizeof(master));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		sodium_memzero(master, sizeof(master));
		if (errno == EEXIST)
			return fs_fail(err, FS_ECONFLICT, NULL, "key file %s exists already; it is not overwritten", path);
		return fs_fail(err, FS_EIO, NULL, "cannot create key file %s: %s", path, strerror(errno));
	}
	char text[sizeof(KEY_HEADER) + 66];
	int len = snprintf(text, sizeof(text), "%s%s\n", KEY_HEADER, hex);
	ssize_t w = write(fd, text, (size_t)len);
	int sync_rc = fsync(fd);
	close(fd);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(hex, sizeof(hex));
	if (w != len || sync_rc != 0) {
		unlink(path);
		sodium_memzero(master, sizeof(master));
		return fs_fail(err, FS_EIO, NULL, "cannot write key file %s", path);
	}
	fs_keys_derive(k, master);
	sodium_memzero(master, sizeof(master));
	return 0;
}

int fs_keys_load(const char *path, struct fs_keys *k, struct fs_error *err)
{
	unsigned char master[32];
	int rc = fs_keyfile_master(path, master, err);
	if (!rc)
		fs_keys_derive(k, master);
	sodium_memzero(master, sizeof(master));
	return rc;
}

void fs_keys_wipe(struct fs_keys *k)
{
	sodium_memzero(k, sizeof(*k));
}

int fs_seal(struct fs_keys *k, const char *ad, const void *plain, size_t n, struct fs_buf *out)
{
	return fs_seal_with(k, k->seal, 1, ad, plain, n, out);
}

int fs_seal_with(struct fs_keys *k, const unsigned char key[32], unsigned char version, const char *ad,
		 const void *plain, size_t n, struct fs_buf *out)
{
	unsigned char nonce[24];
	/* A random per-process prefix and a counter: unique without a syscall per value. */
	memcpy(nonce, k->nonce_prefix, 16);
	uint64_t c = ++k->nonce_counter;
	for (int i = 0; i < 8; i++)
		nonce[16 + i] = (unsigned char)(c >> (8 * i));
	size_t start = out->len;
	int rc = fs_buf_addc(out, (char)version);
	if (!rc)
		rc = fs_buf_add(out, nonce, sizeof(nonce));
	if (!rc)
		rc = fs_buf_add(out, plain, n); /* reserve; encrypted in place below */
	if (!rc)
		rc = fs_buf_add(out, nonce, 16); /* room for the tag */
	if (rc)
		return rc;
	unsigned char *dst = (unsigned char *)out->data + start + 25;
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(dst, &clen, dst, n, (const unsigned char *)ad,
						   strlen(ad), NULL, nonce, key);
	/* a seal is version, nonce, ciphertext and tag: opening relies on this length */
	FS_ASSERT(clen == n + 16 && out->len - start == n + FS_SEAL_OVERHEAD);
	return 0;
}

int fs_unseal(const struct fs_keys *k, const char *ad, const void *sealed, size_t n, struct fs_buf *out)
{
	return fs_unseal_with(k->seal, 1, ad, sealed, n, out);
}

int fs_unseal_with(const unsigned char key[32], unsigned char version, const char *ad, const void *sealed, size_t n,
		   struct fs_buf *out)
{
	const unsigned char *s = sealed;
	if (n < FS_SEAL_OVERHEAD || s[0] != version)
		return FS_ECRYPTO;
	size_t start = out->len;
	int rc = fs_buf_add(out, s + 25, n - FS_SEAL_OVERHEAD + 16);
	if (rc)
		return rc;
	unsigned char *dst = (unsigned char *)out->data + start;
	unsigned long long mlen;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(dst, &mlen, NULL, dst, n - 25,
						       (const unsigned char *)ad, strlen(ad), s + 1,
						       key) != 0) {
		sodium_memzero(dst, n - 25);
		out->len = start;
		out->data[start] = '\0';
		return FS_ECRYPTO;
	}
	out->len = start + mlen;
	out->data[out->len] = '\0';
	return 0;
}

void fs_lookup_hash(const struct fs_keys *k, const char *value, size_t n, unsigned char out[FS_HASH_BYTES])
{
	crypto_generichash(out, FS_HASH_BYTES, (const unsigned char *)value, n, k->lookup, sizeof(k->lookup));
}

/* Type tag, then the integer or the byte length, big-endian. */
static void value_header(const struct fs_value *v, unsigned char hdr[9])
{
	hdr[0] = (unsigned char)v->type;
	uint64_t x = htobe64(v->type == FS_VINT ? (uint64_t)v->i : v->type == FS_VNULL ? 0 : (uint64_t)v->n);
	memcpy(hdr + 1, &x, 8);
}

/* The bytes are gathered into a block and hashed a block at a time (the same
 * bytes, so the same hash, as one update per header and value: a third of the
 * cost of a transfer's link was the updates). */
int fs_hash_values(const char *prefix, const struct fs_value *vals, size_t n, unsigned char out[FS_HASH_BYTES])
{
	crypto_generichash_state st;
	unsigned char buf[1024];
	size_t len = strlen(prefix) + 1;
	crypto_generichash_init(&st, NULL, 0, FS_HASH_BYTES);
	if (len > sizeof(buf) - 9) {
		crypto_generichash_update(&st, (const unsigned char *)prefix, len);
		len = 0;
	} else {
		memcpy(buf, prefix, len);
	}
	for (size_t i = 0; i < n; i++) {
		if (len > sizeof(buf) - 9) {
			crypto_generichash_update(&st, buf, len);
			len = 0;
		}
		value_header(&vals[i], buf + len);
		len += 9;
		if ((vals[i].type == FS_VTEXT || vals[i].type == FS_VBLOB) && vals[i].n) {
			if (vals[i].n > sizeof(buf) - len) {
				crypto_generichash_update(&st, buf, len);
				len = 0;
			}
			if (vals[i].n > sizeof(buf)) {
				crypto_generichash_update(&st, vals[i].p, vals[i].n);
			} else {
				memcpy(buf + len, vals[i].p, vals[i].n);
				len += vals[i].n;
			}
		}
	}
	crypto_generichash_update(&st, buf, len);
	crypto_generichash_final(&st, out, FS_HASH_BYTES);
	return 0;
}

void fs_hex(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, p, n);
}

int fs_unhex(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end;
	if (strlen(hex) != 2 * n || sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, &end) != 0 || got != n || *end)
		return -1;
	return 0;
}
