/* keyfile.h - the key file: plain (the data key), wrapped by a passphrase, or
 * split among officers (k of n shares); what unlocks it in this process. */
#ifndef FS_KEYFILE_H
#define FS_KEYFILE_H

#include <stddef.h>

#include "../util/error.h"

enum { FS_KEY_PLAIN = 1, FS_KEY_WRAPPED = 2, FS_KEY_SPLIT = 3 };
#define FS_PASSPHRASE_MIN 12
#define FS_SHARE_BYTES 40
#define FS_SHARE_TEXT (3 + 64 + 16 + 1) /* "FS1" + 16 groups of "-XXXX" + NUL */

/* Which form the key file has (FS_KEY_*), or a negative error. */
int fs_keyfile_kind(const char *path, struct fs_error *err);
/* The k and n of a split key file. */
int fs_keyfile_split_info(const char *path, unsigned *k, unsigned *n, struct fs_error *err);
/* The data key from the file, unlocked by what this process was given. */
int fs_keyfile_master(const char *path, unsigned char master[32], struct fs_error *err);
/* Replace the key file atomically (a temporary file, fsync, rename), mode 0600. */
int fs_keyfile_replace(const char *path, const char *text, size_t n, int exclusive, struct fs_error *err);
int fs_keyfile_write_plain(const char *path, const unsigned char master[32], int exclusive, struct fs_error *err);
int fs_keyfile_write_wrapped(const char *path, const unsigned char master[32], const char *pass, struct fs_error *err);
/* A key file of the same form (plain, or wrapped by the passphrase this process was given). */
int fs_keyfile_write_like(const char *path, int kind, const unsigned char master[32], struct fs_error *err);
int fs_keyfile_write_split(const char *path, unsigned k, unsigned n, struct fs_error *err);

/* What unlocks the key, for every later open in this process (copied into locked memory). */
int fs_key_unlock_passphrase(const char *pass);
int fs_key_unlock_master(const unsigned char master[32]);
void fs_key_unlock_forget(void);

/* Split master into n shares of which any k give it back; fpr: the first 3
 * bytes of the key's fingerprint, carried by every share. */
int fs_shares_make(const unsigned char master[32], const unsigned char fpr[3], unsigned n, unsigned k,
		   char (*out)[FS_SHARE_TEXT], struct fs_error *err);
/* The key from k (or more) shares; FS_EINVAL names a malformed or mistyped share,
 * FS_ECRYPTO too few. fpr_out: the fingerprint bytes the shares carry. */
int fs_shares_combine(const char *const *shares, size_t count, unsigned char fpr_out[3], unsigned char master[32],
		      struct fs_error *err);

#endif
