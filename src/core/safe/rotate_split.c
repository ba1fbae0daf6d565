/* rotate_split.c - rotating a key that is split among officers.
 *
 * A split key is on no disk, so the new key of a rotation cannot be kept in
 * KEY.new as it stands. It is kept there sealed by the old key instead (the
 * "next" form: only the officers' old shares, which unlock the old key, open
 * it), so a rotation killed at any point is resumed by giving the old shares
 * again. Before anything is sealed with it, the new key is split into new
 * shares, as many and with the same threshold as before, written to files in a
 * folder the user names (share-I.txt, mode 0600, never over an existing file). When the database has taken
 * the new key, KEY.new is removed: from then on only the new shares open it; the
 * key file itself (the note "k of n") stays as it is. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyfile.h"

#define NEXT_HEADER "fairshare-key-next-v1\n"
#define NEXT_AD "fairshare key: the next key of a rotation"

int fs_rotate_next_write(const char *np, const struct fs_keys *old, const unsigned char master[32],
			 struct fs_error *err)
{
	struct fs_keys k = *old;
	struct fs_buf sealed;
	fs_buf_init(&sealed, 128);
	int rc = fs_seal(&k, NEXT_AD, master, 32, &sealed);
	char text[sizeof(NEXT_HEADER) + 2 * (32 + FS_SEAL_OVERHEAD) + 2];
	size_t hl = strlen(NEXT_HEADER);
	memcpy(text, NEXT_HEADER, hl);
	if (!rc) {
		sodium_bin2hex(text + hl, sizeof(text) - hl, (const unsigned char *)sealed.data, sealed.len);
		size_t n = strlen(text);
		text[n] = '\n';
		rc = fs_keyfile_replace(np, text, n + 1, 0, err);
	}
	fs_buf_done(&sealed);
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(text, sizeof(text));
	return rc;
}

/* 1 when np holds a next key (whatever opens it), 0 when not, or an error. */
static int read_next(const char *np, char *text, size_t cap)
{
	int fd = open(np, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : FS_EIO;
	ssize_t n = read(fd, text, cap - 1);
	close(fd);
	if (n < 0)
		return FS_EIO;
	text[n] = '\0';
	return !strncmp(text, NEXT_HEADER, strlen(NEXT_HEADER));
}

int fs_rotate_next_read(const char *np, const struct fs_keys *old, unsigned char master[32], struct fs_error *err)
{
	char text[512];
	int rc = read_next(np, text, sizeof(text));
	if (rc != 1) {
		sodium_memzero(text, sizeof(text));
		return fs_fail(err, FS_ECRYPTO, "key", "%s does not hold the key of this rotation", np);
	}
	unsigned char bin[32 + FS_SEAL_OVERHEAD];
	size_t len = 0;
	const char *hex = text + strlen(NEXT_HEADER);
	struct fs_buf plain;
	fs_buf_init(&plain, 64);
	rc = sodium_hex2bin(bin, sizeof(bin), hex, strcspn(hex, "\n"), NULL, &len, NULL) || len != sizeof(bin)
		     ? FS_ECRYPTO
		     : fs_unseal(old, NEXT_AD, bin, len, &plain);
	if (!rc && plain.len == 32)
		memcpy(master, plain.data, 32);
	else
		rc = fs_fail(err, FS_ECRYPTO, "key", "%s does not open with the old key's shares", np);
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	fs_buf_done(&plain);
	sodium_memzero(text, sizeof(text));
	return rc;
}

int fs_rotate_shares_write(const char *key_path, const char *dir, const unsigned char master[32],
			   struct fs_error *err)
{
	unsigned k = 0, n = 0;
	int rc = fs_keyfile_split_info(key_path, &k, &n, err);
	if (rc)
		return rc;
	unsigned char fpr[3];
	crypto_generichash(fpr, sizeof(fpr), master, 32, NULL, 0);
	char (*shares)[FS_SHARE_TEXT] = sodium_malloc((size_t)n * FS_SHARE_TEXT);
	rc = shares ? fs_shares_make(master, fpr, n, k, shares, err) : FS_ENOMEM;
	for (unsigned i = 0; !rc && i < n; i++) {
		char path[4096], text[FS_SHARE_TEXT + 1];
		if ((size_t)snprintf(path, sizeof(path), "%s/share-%u.txt", dir, i + 1) >= sizeof(path)) {
			rc = fs_fail(err, FS_EINVAL, "out", "folder path too long");
			break;
		}
		/* never over another share: it may be the only copy of the key in use */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		int len = snprintf(text, sizeof(text), "%s\n", shares[i]);
		if (fd < 0 && errno == EEXIST)
			rc = fs_fail(err, FS_ECONFLICT, "out", "%s exists already: give an empty folder for the new shares", path);
		else if (fd < 0 || fchmod(fd, 0600) != 0 || write(fd, text, (size_t)len) != len || fsync(fd) != 0)
			rc = fs_fail(err, FS_EIO, "out", "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		sodium_memzero(text, sizeof(text));
	}
	if (shares)
		sodium_free(shares);
	int dfd = rc ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return rc;
}

void fs_rotate_next_sweep(const char *np)
{
	char text[512];
	if (read_next(np, text, sizeof(text)) == 1)
		unlink(np); /* the rotation is over (or never began): its sealed copy must not outlive it */
	sodium_memzero(text, sizeof(text));
}
