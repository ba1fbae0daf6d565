/* translit.h - a comparison key for names across scripts and spellings, for
 * finding the same person in different reports: Жанболат / Zhanbolat /
 * Janbolat, Қасымов / Kasymov / Qasymov, Şahin / Шахин / Sahin, İlder / Ilder.
 *
 * The name is folded (utf8.h), Cyrillic is transliterated to Latin, common
 * spelling variants are reduced to one form (zh/j, sh/ş/s, kh/h, q/k, y/i, ...),
 * doubled letters collapse, and the words are sorted, so that the order of given
 * and family names does not matter. Two names with the same key are candidates;
 * a person decides. */
#ifndef FS_TRANSLIT_H
#define FS_TRANSLIT_H

#include <stddef.h>

#include "buf.h"

int fs_name_key(const char *name, size_t n, struct fs_buf *out);

#endif
