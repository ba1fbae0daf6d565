/* import_seen.c - the keys an import has seen in its file: exact 16-byte keys
 * (keyed hashes, so the slot is taken from their first bytes), packed, with a
 * table of 32-bit slots over them. See import_seen.h for the sizes. */
#include "import_seen.h"

#include <stdlib.h>
#include <string.h>

static size_t home(const unsigned char key[16], size_t cap)
{
	uint64_t h;
	memcpy(&h, key, 8);
	return (size_t)h & (cap - 1);
}

static int grow_slots(struct import_seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 4096;
	if (cap > (size_t)UINT32_MAX)
		return -1;
	uint32_t *ns = calloc(cap, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < s->n; i++) { /* every entry once, in order: no slot to read */
		size_t j = home(s->key[i], cap);
		while (ns[j])
			j = (j + 1) & (cap - 1);
		ns[j] = (uint32_t)(i + 1);
	}
	free(s->slot);
	s->slot = ns;
	s->cap = cap;
	return 0;
}

static int grow_entries(struct import_seen *s)
{
	size_t room = s->room ? s->room + s->room / 2 : 4096;
	if (room >= (size_t)UINT32_MAX)
		return -1;
	/* large blocks are mmapped by malloc: realloc moves their pages, it does not copy */
	unsigned char(*nk)[16] = realloc(s->key, room * 16);
	if (!nk)
		return -1;
	s->key = nk;
	uint32_t *nl = realloc(s->line, room * sizeof(*nl));
	if (!nl)
		return -1;
	s->line = nl;
	s->room = room;
	return 0;
}

long import_seen_put(struct import_seen *s, const unsigned char key[16], long line)
{
	if ((s->n + 1) * 2 > s->cap && grow_slots(s))
		return -1;
	size_t j = home(key, s->cap);
	while (s->slot[j]) {
		size_t e = s->slot[j] - 1;
		if (memcmp(s->key[e], key, 16) == 0)
			return s->line[e];
		j = (j + 1) & (s->cap - 1);
	}
	if (s->n == s->room && grow_entries(s))
		return -1;
	memcpy(s->key[s->n], key, 16);
	s->line[s->n] = line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : UINT32_MAX;
	s->slot[j] = (uint32_t)(++s->n);
	return 0;
}

void import_seen_free(struct import_seen *s)
{
	free(s->key);
	free(s->line);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}
