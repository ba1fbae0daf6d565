/* textin.h - text files as they come: UTF-8, UTF-16 or an 8-bit code page, read as UTF-8.
 *
 * A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE) and is dropped; otherwise
 * the encoding the caller names (any glibc iconv name: windows-1254, windows-1251,
 * iso-8859-9, koi8-r, cp866, rk1048 ...), else UTF-8, passed through unchanged (the
 * caller validates it and can ask fs_textin_suggest which encodings would read the
 * bytes cleanly). fs_textin_read is an fs_csv_read_fn. */
#ifndef FS_TEXTIN_H
#define FS_TEXTIN_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct fs_textin;

/* encoding NULL or "" or "auto": the BOM, else UTF-8. Fails (FS_EINVAL) for an
 * encoding iconv does not know, or one that contradicts the file's BOM. */
int fs_textin_open(FILE *f, const char *encoding, struct fs_textin **ret, struct fs_error *err);
long fs_textin_read(void *ud, char *buf, size_t n);
void fs_textin_free(struct fs_textin *t);
/* The encoding in use, e.g. "UTF-8", "UTF-16LE", "WINDOWS-1254". */
const char *fs_textin_encoding(const struct fs_textin *t);
/* 1 when the bytes are passed through as UTF-8 unchecked (no BOM, no encoding). */
int fs_textin_is_raw(const struct fs_textin *t);
/* After fs_textin_read returned -1: what went wrong and at which byte (message). */
const char *fs_textin_error(const struct fs_textin *t);

/* The likely encodings (windows-1254, iso-8859-9, windows-1251, koi8-r, cp866, ...)
 * that read the bytes s[0..n) as plausible text, names separated by ", " into out
 * (size outsz); "" when none. Returns how many. */
int fs_textin_suggest(const char *s, size_t n, char *out, size_t outsz);

/* The canonical iconv name for a user's encoding name, or NULL if unknown. */
const char *fs_textin_canonical(const char *name, char *buf, size_t bufsz);

#endif
