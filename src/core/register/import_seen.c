/* import_seen.c - the keys an import has seen in its file: exact 16-byte keys
 * (keyed hashes, so the slot is taken from their first bytes), packed in
 * blocks that never move, with a table of 32-bit slots over them. See import_seen.h for the sizes. */
#include "import_seen.h"

#include <stdlib.h>
#include <string.h>

static size_t home(const unsigned char key[16], size_t cap)
{
	uint64_t h;
	memcpy(&h, key, 8);
	return (size_t)h & (cap - 1);
}

#define KEY(s, i) ((s)->block[(i) >> IMPORT_SEEN_SHIFT]->key[(i) & (IMPORT_SEEN_BLOCK - 1)])
#define LINE(s, i) ((s)->block[(i) >> IMPORT_SEEN_SHIFT]->line[(i) & (IMPORT_SEEN_BLOCK - 1)])

static int grow_slots(struct import_seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 4096;
	if (cap > (size_t)UINT32_MAX)
		return -1;
	uint32_t *ns = calloc(cap, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < s->n; i++) { /* every entry once, in order: no slot to read */
		size_t j = home(KEY(s, i), cap);
		while (ns[j])
			j = (j + 1) & (cap - 1);
		ns[j] = (uint32_t)(i + 1);
	}
	free(s->slot);
	s->slot = ns;
	s->cap = cap;
	return 0;
}

/* one more block of entries: the others stay where they are (nothing copied) */
static int add_block(struct import_seen *s)
{
	if ((s->nblock + 1) * IMPORT_SEEN_BLOCK >= (size_t)UINT32_MAX)
		return -1;
	struct import_seen_block **nb = realloc(s->block, (s->nblock + 1) * sizeof(*nb));
	if (!nb)
		return -1;
	s->block = nb;
	if (!(nb[s->nblock] = malloc(sizeof(**nb))))
		return -1;
	s->nblock++;
	return 0;
}

long import_seen_put(struct import_seen *s, const unsigned char key[16], long line)
{
	if ((s->n + 1) * 2 > s->cap && grow_slots(s))
		return -1;
	size_t j = home(key, s->cap);
	while (s->slot[j]) {
		size_t e = s->slot[j] - 1;
		if (memcmp(KEY(s, e), key, 16) == 0)
			return LINE(s, e);
		j = (j + 1) & (s->cap - 1);
	}
	if (s->n == s->nblock * IMPORT_SEEN_BLOCK && add_block(s))
		return -1;
	memcpy(KEY(s, s->n), key, 16);
	LINE(s, s->n) = line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : UINT32_MAX;
	s->slot[j] = (uint32_t)(++s->n);
	return 0;
}

long import_seen_get(const struct import_seen *s, const unsigned char key[16])
{
	for (size_t j = s->cap ? home(key, s->cap) : 0; s->cap && s->slot[j]; j = (j + 1) & (s->cap - 1))
		if (!memcmp(KEY(s, s->slot[j] - 1), key, 16))
			return LINE(s, s->slot[j] - 1);
	return 0;
}

void import_seen_free(struct import_seen *s)
{
	for (size_t b = 0; b < s->nblock; b++)
		free(s->block[b]);
	free(s->block);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}
