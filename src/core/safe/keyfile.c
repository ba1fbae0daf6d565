/* keyfile.c - the key file in its three forms: the data key itself (plain), the
 * data key wrapped by a passphrase (Argon2id + XChaCha20-Poly1305), or only a
 * note that the key is split into shares (Shamir over GF(256), libgfshare), and
 * the shares' human-friendly encoding. What unlocks a wrapped or split key
 * (a passphrase, or k shares) is handed in once per process (fs_key_unlock_*). */
#include "keyfile.h"
#include "fs_limits.h"

#include <errno.h>
#include <fcntl.h>
#include <libgfshare.h>
#include <pthread.h>
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLAIN_HEADER "fairshare-key-v1\n"
#define WRAPPED_HEADER "fairshare-key-wrapped-v1\n"
#define SPLIT_HEADER "fairshare-key-split-v1\n"

/* What this process was given to unlock the key: a passphrase or the key itself
 * (from shares), in locked memory. */
static struct {
	char *pass;             /* sodium_malloc'd, NUL-terminated */
	unsigned char *master;  /* sodium_malloc'd, 32 bytes */
	unsigned char cache_in[crypto_pwhash_SALTBYTES]; /* the salt the cached key was unwrapped with */
	unsigned char *cache_key;
} unlock;

static void *secret_dup(const void *p, size_t n)
{
	void *s = sodium_malloc(n);
	if (s)
		memcpy(s, p, n);
	return s;
}

int fs_key_unlock_passphrase(const char *pass)
{
	if (unlock.pass)
		sodium_free(unlock.pass);
	unlock.pass = secret_dup(pass, strlen(pass) + 1);
	if (unlock.cache_key)
		sodium_free(unlock.cache_key);
	unlock.cache_key = NULL;
	return unlock.pass ? 0 : FS_ENOMEM;
}

int fs_key_unlock_master(const unsigned char master[32])
{
	if (unlock.master)
		sodium_free(unlock.master);
	unlock.master = secret_dup(master, 32);
	return unlock.master ? 0 : FS_ENOMEM;
}

void fs_key_unlock_forget(void)
{
	if (unlock.pass)
		sodium_free(unlock.pass);
	if (unlock.master)
		sodium_free(unlock.master);
	if (unlock.cache_key)
		sodium_free(unlock.cache_key);
	memset(&unlock, 0, sizeof(unlock));
}

static int read_file(const char *path, char *text, size_t cap, size_t *len, struct fs_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fs_fail(err, FS_ECRYPTO, NULL,
			       "cannot open key file %s (%s): sealed fields need it; give its place with --key "
			       "or FAIRSHARE_KEY", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return fs_fail(err, FS_EIO, "key", "cannot read key file %s (%s)", path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return fs_fail(err, FS_ECRYPTO, "key", "%s is %s, not a key file; --key (or FAIRSHARE_KEY) names the key file "
			       "itself (e.g. fairshare.db.key)", path, S_ISDIR(sb.st_mode) ? "a directory" : "not a regular file");
	}
	if (sb.st_mode & 077) {
		close(fd);
		return fs_fail(err, FS_EPERM, NULL, "key file %s can be read by other users; run: chmod 600 %s", path, path);
	}
	ssize_t n = read(fd, text, cap - 1);
	close(fd);
	if (n < 0)
		return fs_fail(err, FS_EIO, NULL, "cannot read key file %s", path);
	text[n] = '\0';
	*len = (size_t)n;
	return 0;
}

int fs_keyfile_kind(const char *path, struct fs_error *err)
{
	char text[FS_KEYFILE_MAX];
	size_t n = 0;
	int rc = read_file(path, text, sizeof(text), &n, err);
	int kind = rc ? rc : !strncmp(text, PLAIN_HEADER, strlen(PLAIN_HEADER)) ? FS_KEY_PLAIN
			    : !strncmp(text, WRAPPED_HEADER, strlen(WRAPPED_HEADER)) ? FS_KEY_WRAPPED
			    : !strncmp(text, SPLIT_HEADER, strlen(SPLIT_HEADER)) ? FS_KEY_SPLIT
			    : fs_fail(err, FS_ECRYPTO, NULL, "%s is not a fairshare key file", path);
	sodium_memzero(text, sizeof(text));
	return kind;
}

/* The key wrapped by a passphrase: its Argon2id parameters and salt on one line,
 * then the sealed key (nonce, ciphertext with tag) in hex. */
static int unwrap(const char *path, const char *text, unsigned char master[32], struct fs_error *err)
{
	const char *body = text + strlen(WRAPPED_HEADER);
	unsigned char salt[crypto_pwhash_SALTBYTES], box[24 + 32 + 16];
	char *end;
	int bad = strncmp(body, "argon2id ", 9) != 0;
	errno = 0;
	unsigned long long ops = bad ? 0 : strtoull(body + 9, &end, 10);
	bad |= errno || *end != ' ';
	unsigned long long mem = bad ? 0 : strtoull(end + 1, &end, 10);
	bad |= errno || *end != ' ';
	const char *hex_end = end;
	bad = bad || sodium_hex2bin(salt, sizeof(salt), end + 1, strlen(end + 1), NULL, NULL, &hex_end) != 0 ||
	      *hex_end != ' ' || sodium_hex2bin(box, sizeof(box), hex_end + 1, strlen(hex_end + 1), NULL, NULL, &hex_end) != 0 ||
	      (*hex_end != '\n' && *hex_end != '\0');
	if (bad || hex_end - end != (ptrdiff_t)(2 * (sizeof(salt) + sizeof(box)) + 2) || ops < crypto_pwhash_OPSLIMIT_MIN ||
	    ops > 64 || mem < crypto_pwhash_MEMLIMIT_MIN || mem > (1ULL << 32))
		return fs_fail(err, FS_ECRYPTO, NULL, "%s is not a readable wrapped key file", path);
	if (!unlock.pass)
		return fs_fail(err, FS_ECRYPTO, "passphrase",
			       "the key %s is wrapped by a passphrase: give it (on the terminal, with --passphrase-fd N, "
			       "or in $CREDENTIALS_DIRECTORY/fairshare-passphrase)", path);
	unsigned char *kek = sodium_malloc(32);
	if (!kek)
		return FS_ENOMEM;
	int rc = 0;
	if (unlock.cache_key && !memcmp(unlock.cache_in, salt, sizeof(salt))) {
		memcpy(kek, unlock.cache_key, 32); /* the same file again (each server thread opens it) */
	} else if (crypto_pwhash(kek, 32, unlock.pass, strlen(unlock.pass), salt, ops, (size_t)mem,
				 crypto_pwhash_ALG_ARGON2ID13)) {
		rc = fs_fail(err, FS_ENOMEM, NULL, "not enough memory for the passphrase's key derivation");
	} else {
		if (!unlock.cache_key)
			unlock.cache_key = sodium_malloc(32);
		if (unlock.cache_key) {
			memcpy(unlock.cache_key, kek, 32);
			memcpy(unlock.cache_in, salt, sizeof(salt));
		}
	}
	if (!rc && crypto_aead_xchacha20poly1305_ietf_decrypt(master, NULL, NULL, box + 24, sizeof(box) - 24,
							     (const unsigned char *)WRAPPED_HEADER, strlen(WRAPPED_HEADER),
							     box, kek) != 0) {
		if (unlock.cache_key)
			sodium_free(unlock.cache_key);
		unlock.cache_key = NULL;
		rc = fs_fail(err, FS_ECRYPTO, "passphrase", "wrong passphrase for the key %s", path);
	}
	sodium_free(kek);
	return rc;
}

int fs_keyfile_split_info(const char *path, unsigned *k, unsigned *n, struct fs_error *err)
{
	char text[FS_KEYFILE_MAX];
	size_t len = 0;
	int rc = read_file(path, text, sizeof(text), &len, err);
	if (rc)
		return rc;
	char *end = NULL;
	int bad = strncmp(text, SPLIT_HEADER, strlen(SPLIT_HEADER)) != 0;
	unsigned long kk = bad ? 0 : strtoul(text + strlen(SPLIT_HEADER), &end, 10);
	unsigned long nn = bad || *end != ' ' ? 0 : strtoul(end + 1, &end, 10);
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	if (bad || kk < 2 || kk > nn || nn > 255)
		return fs_fail(err, FS_ECRYPTO, NULL, "%s is not a split key file", path);
	return 0;
}

static int keyfile_master(const char *path, unsigned char master[32], struct fs_error *err);

/* The server's threads each open the database: one at a time here (the cache). */
int fs_keyfile_master(const char *path, unsigned char master[32], struct fs_error *err)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&lock);
	int rc = keyfile_master(path, master, err);
	pthread_mutex_unlock(&lock);
	return rc;
}

static int keyfile_master(const char *path, unsigned char master[32], struct fs_error *err)
{
	char text[FS_KEYFILE_MAX];
	size_t n = 0;
	int rc = read_file(path, text, sizeof(text), &n, err);
	if (rc)
		return rc;
	size_t hl = strlen(PLAIN_HEADER);
	if (!strncmp(text, PLAIN_HEADER, hl)) {
		size_t bin_len = 0;
		if (n < hl + 64 || sodium_hex2bin(master, 32, text + hl, 64, NULL, &bin_len, NULL) != 0 || bin_len != 32)
			rc = fs_fail(err, FS_ECRYPTO, NULL, "%s is not a fairshare key file", path);
	} else if (!strncmp(text, WRAPPED_HEADER, strlen(WRAPPED_HEADER))) {
		rc = unwrap(path, text, master, err);
	} else if (!strncmp(text, SPLIT_HEADER, strlen(SPLIT_HEADER))) {
		if (unlock.master)
			memcpy(master, unlock.master, 32);
		else
			rc = fs_fail(err, FS_ECRYPTO, "shares",
				     "the key %s is split among officers: give the shares (on the terminal, with "
				     "--shares-fd N, or in $CREDENTIALS_DIRECTORY/fairshare-shares)", path);
	} else {
		rc = fs_fail(err, FS_ECRYPTO, NULL, "%s is not a fairshare key file", path);
	}
	sodium_memzero(text, sizeof(text));
	return rc;
}

/* Write the whole file under a temporary name, then rename it into place: a
 * crash leaves the old key file or the new one, never half of one. */
int fs_keyfile_replace(const char *path, const char *text, size_t n, int exclusive, struct fs_error *err)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return fs_fail(err, FS_EINVAL, "key", "key file path too long");
	if (exclusive && access(path, F_OK) == 0)
		return fs_fail(err, FS_ECONFLICT, NULL, "key file %s exists already; it is not overwritten", path);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fs_fail(err, FS_EIO, NULL, "cannot create key file %s: %s", tmp, strerror(errno));
	ssize_t w = write(fd, text, n);
	int bad = w != (ssize_t)n || fchmod(fd, 0600) != 0 || fsync(fd) != 0;
	close(fd);
	if (bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return fs_fail(err, FS_EIO, NULL, "cannot write key file %s", path);
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd); /* the rename itself survives a crash */
		close(dfd);
	}
	return 0;
}

int fs_keyfile_write_plain(const char *path, const unsigned char master[32], int exclusive, struct fs_error *err)
{
	char text[sizeof(PLAIN_HEADER) + 66];
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), master, 32);
	int len = snprintf(text, sizeof(text), "%s%s\n", PLAIN_HEADER, hex);
	int rc = fs_keyfile_replace(path, text, (size_t)len, exclusive, err);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

int fs_keyfile_write_wrapped(const char *path, const unsigned char master[32], const char *pass, struct fs_error *err)
{
	if (strlen(pass) < FS_PASSPHRASE_MIN)
		return fs_fail(err, FS_EINVAL, "passphrase", "a passphrase has at least %d characters", FS_PASSPHRASE_MIN);
	unsigned char salt[crypto_pwhash_SALTBYTES], box[24 + 32 + 16];
	unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE + 1;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(box, 24);
	unsigned char *kek = sodium_malloc(32);
	if (!kek)
		return FS_ENOMEM;
	if (crypto_pwhash(kek, 32, pass, strlen(pass), salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13)) {
		sodium_free(kek);
		return fs_fail(err, FS_ENOMEM, NULL, "not enough memory for the passphrase's key derivation");
	}
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + 24, NULL, master, 32, (const unsigned char *)WRAPPED_HEADER,
						   strlen(WRAPPED_HEADER), NULL, box, kek);
	sodium_free(kek);
	char salt_hex[sizeof(salt) * 2 + 1], box_hex[sizeof(box) * 2 + 1], text[FS_KEYFILE_MAX];
	sodium_bin2hex(salt_hex, sizeof(salt_hex), salt, sizeof(salt));
	sodium_bin2hex(box_hex, sizeof(box_hex), box, sizeof(box));
	int len = snprintf(text, sizeof(text), "%sargon2id %llu %zu %s %s\n", WRAPPED_HEADER, ops, mem, salt_hex, box_hex);
	return fs_keyfile_replace(path, text, (size_t)len, 0, err);
}

int fs_keyfile_write_split(const char *path, unsigned k, unsigned n, struct fs_error *err)
{
	char text[128];
	int len = snprintf(text, sizeof(text), "%s%u %u\n", SPLIT_HEADER, k, n);
	return fs_keyfile_replace(path, text, (size_t)len, 0, err);
}

/* ---- shares ----
 * A share is 40 bytes: threshold k, share number x, 3 bytes of the key's
 * fingerprint (shares of different keys are not mixed), the 32-byte share of the
 * key, and a 3-byte checksum (BLAKE2b) that catches a mistyped character. It is
 * written in Crockford's base32 (no I, L, O, U; read back case-insensitively,
 * O as 0 and I, L as 1), 64 characters in 16 groups of 4: "FS1-XXXX-...". */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void share_check(const unsigned char *p, unsigned char out[3])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), p, 37, (const unsigned char *)"fairshare-share", 15);
	memcpy(out, h, 3);
}

static void encode(const unsigned char raw[FS_SHARE_BYTES], char out[FS_SHARE_TEXT])
{
	size_t o = 0;
	memcpy(out, "FS1", 3);
	o = 3;
	unsigned acc = 0, bits = 0, chars = 0;
	for (size_t i = 0; i < FS_SHARE_BYTES; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			if (chars % 4 == 0)
				out[o++] = '-';
			out[o++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
			chars++;
		}
	}
	out[o] = '\0';
}

static int b32_value(int c)
{
	if (c >= 'a' && c <= 'z')
		c -= 32;
	if (c == 'O')
		c = '0';
	if (c == 'I' || c == 'L')
		c = '1';
	const char *p = c ? strchr(b32, c) : NULL;
	return p ? (int)(p - b32) : -1;
}

static int decode(const char *text, unsigned char raw[FS_SHARE_BYTES])
{
	const char *s = text;
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "FS1", 3))
		return -1;
	s += 3;
	unsigned acc = 0, bits = 0;
	size_t n = 0;
	for (; *s && *s != '\n' && *s != '\r'; s++) {
		if (*s == '-' || *s == ' ' || *s == '\t')
			continue;
		int v = b32_value((unsigned char)*s);
		if (v < 0 || n >= FS_SHARE_BYTES)
			return -1;
		acc = ((acc << 5) | (unsigned)v) & 0xFFFF;
		bits += 5;
		if (bits >= 8) {
			raw[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return n == FS_SHARE_BYTES && bits == 0 ? 0 : -1;
}

static void fill_rand(unsigned char *p, unsigned int n)
{
	randombytes_buf(p, n);
}

int fs_shares_make(const unsigned char master[32], const unsigned char fpr[3], unsigned n, unsigned k,
		   char (*out)[FS_SHARE_TEXT], struct fs_error *err)
{
	if (k < 2 || k > n || n > 255)
		return fs_fail(err, FS_EINVAL, "threshold", "the threshold is at least 2 and at most the number of shares "
			       "(at most 255)");
	unsigned char nrs[255], secret[32];
	for (unsigned i = 0; i < n; i++)
		nrs[i] = (unsigned char)(i + 1);
	gfshare_fill_rand = fill_rand; /* the library's coefficients from libsodium's generator */
	memcpy(secret, master, 32);
	gfshare_ctx *g = gfshare_ctx_init_enc(nrs, n, (unsigned char)k, 32);
	if (!g)
		return fs_fail(err, FS_ENOMEM, NULL, "cannot split the key");
	gfshare_ctx_enc_setsecret(g, secret);
	for (unsigned i = 0; i < n; i++) {
		unsigned char raw[FS_SHARE_BYTES];
		raw[0] = (unsigned char)k;
		raw[1] = nrs[i];
		memcpy(raw + 2, fpr, 3);
		gfshare_ctx_enc_getshare(g, (unsigned char)i, raw + 5);
		share_check(raw, raw + 37);
		encode(raw, out[i]);
		sodium_memzero(raw, sizeof(raw));
	}
	gfshare_ctx_free(g);
	sodium_memzero(secret, sizeof(secret));
	return 0;
}

int fs_shares_combine(const char *const *shares, size_t count, unsigned char fpr_out[3], unsigned char master[32],
		      struct fs_error *err)
{
	unsigned char raw[255][FS_SHARE_BYTES], nrs[255];
	unsigned k = 0;
	int rc = 0;
	if (count == 0 || count > 255)
		return fs_fail(err, FS_EINVAL, "shares", "give between 1 and 255 shares");
	for (size_t i = 0; i < count && !rc; i++) {
		unsigned char check[3];
		if (decode(shares[i], raw[i])) {
			rc = fs_fail(err, FS_EINVAL, "shares", "share %zu is not a fairshare share (FS1- and 64 letters "
				     "and digits in groups of 4)", i + 1);
			break;
		}
		share_check(raw[i], check);
		if (sodium_memcmp(check, raw[i] + 37, 3)) {
			rc = fs_fail(err, FS_EINVAL, "shares", "share %zu has a typing mistake (its checksum does not "
				     "match); read it again", i + 1);
			break;
		}
		if (i && (raw[i][0] != k || memcmp(raw[i] + 2, raw[0] + 2, 3)))
			rc = fs_fail(err, FS_EINVAL, "shares", "share %zu belongs to another key or another split", i + 1);
		for (size_t j = 0; j < i && !rc; j++)
			if (raw[j][1] == raw[i][1])
				rc = fs_fail(err, FS_EINVAL, "shares", "shares %zu and %zu are the same share", j + 1, i + 1);
		k = raw[i][0];
		nrs[i] = raw[i][1];
	}
	if (!rc && count < k)
		rc = fs_fail(err, FS_ECRYPTO, "shares", "shares given: %zu; this key needs %u of them", count, k);
	if (!rc) {
		gfshare_fill_rand = fill_rand; /* the library calls it on its own buffers too */
		gfshare_ctx *g = gfshare_ctx_init_dec(nrs, (unsigned)k, 32);
		if (!g)
			rc = fs_fail(err, FS_ENOMEM, NULL, "cannot combine the shares");
		for (unsigned i = 0; !rc && i < k; i++)
			gfshare_ctx_dec_giveshare(g, (unsigned char)i, raw[i] + 5);
		if (!rc) {
			gfshare_ctx_dec_extract(g, master);
			memcpy(fpr_out, raw[0] + 2, 3);
			gfshare_ctx_free(g);
		}
	}
	sodium_memzero(raw, sizeof(raw));
	return rc;
}

int fs_keyfile_write_like(const char *path, int kind, const unsigned char master[32], struct fs_error *err)
{
	if (kind == FS_KEY_PLAIN)
		return fs_keyfile_write_plain(path, master, 0, err);
	if (kind == FS_KEY_WRAPPED && unlock.pass)
		return fs_keyfile_write_wrapped(path, master, unlock.pass, err);
	return fs_fail(err, FS_EINVAL, "key", "a split key is not rotated as it stands: wrap it with a passphrase "
		       "('fairshare key wrap --passphrase'), rotate, then split it again");
}
