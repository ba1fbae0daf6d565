/* import_seen.h - the keys an import has seen in its file (import_seen.c). */
#ifndef FS_IMPORT_SEEN_H
#define FS_IMPORT_SEEN_H

#include <stddef.h>
#include <stdint.h>

/* A set of 16-byte keys, each with the line where it was first seen. The keys
 * and lines lie packed in the order they came (20 bytes each), in blocks of
 * IMPORT_SEEN_BLOCK that never move; a table of 32-bit slots (at most half
 * full) points into them. At 2,000,000 keys that is 40 MB of keys and 16 MB of
 * slots (24 MB for the moment the slots double), against 84 MB (126 MB) for
 * open addressing over the keys themselves. */
#define IMPORT_SEEN_SHIFT 16
#define IMPORT_SEEN_BLOCK ((size_t)1 << IMPORT_SEEN_SHIFT)
struct import_seen_block {
	unsigned char key[IMPORT_SEEN_BLOCK][16];
	uint32_t line[IMPORT_SEEN_BLOCK];
};
struct import_seen {
	struct import_seen_block **block;
	size_t nblock;
	uint32_t *slot; /* 0 = empty, else the entry's index + 1 */
	size_t n; /* entries stored */
	size_t cap; /* slots: a power of two, or 0 */
};

/* 0 when key is new (it is kept, with line), the line it was first seen on when
 * not, -1 when out of memory (nothing kept). */
long import_seen_put(struct import_seen *s, const unsigned char key[16], long line);
/* The line key was first seen on, or 0 when it is not in the set (nothing kept). */
long import_seen_get(const struct import_seen *s, const unsigned char key[16]);
void import_seen_free(struct import_seen *s);

#endif
