/* utf8.h - UTF-8 validation and the search fold used for names in every script.
 *
 * The fold maps a name to a key that compares case- and diacritic-insensitively:
 * Turkish İ/ı/I/i all become "i", Ş→s, Ğ→g; Cyrillic is lowered and Kazakh letters
 * map to their Russian base (Қ→к, Ә→а, І→и ...); ё→е; combining marks are dropped;
 * runs of white space become one space, trimmed. The same fold is applied to the
 * stored name and to the query, so "ilder" finds "İlder". */
#ifndef FS_UTF8_H
#define FS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Returns 0 when s[0..n) is valid UTF-8 (no overlongs, no surrogates, no NUL);
 * otherwise the byte offset + 1 of the first bad byte. */
size_t fs_utf8_invalid_at(const char *s, size_t n);

/* Make the NUL-terminated text s valid UTF-8 in place, never longer: a sequence
 * cut off at the end (a bounded buffer's truncation) is dropped, and every other
 * byte that is not part of a valid sequence becomes '?'. Every message a person
 * or a JSON encoder reads goes through this (fs_fail does). Returns s. */
char *fs_utf8_repair(char *s);

/* The first bidirectional embedding, override or isolate control in s[0..n)
 * (U+202A..U+202E, U+2066..U+2069), 0 when there is none (valid UTF-8 assumed). */
uint32_t fs_utf8_bidi_control(const char *s, size_t n);

/* Decode one code point at s (valid UTF-8 assumed); returns bytes used. */
size_t fs_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Number of code points (valid UTF-8 assumed). */
size_t fs_utf8_length(const char *s, size_t n);

/* Append the fold of s[0..n) to out. Returns 0 or FS_ELIMIT/FS_ENOMEM. */
int fs_utf8_fold(const char *s, size_t n, struct fs_buf *out);

#endif
