/* import_chunks.c - the import's rows in chunks: a chunk filled by the main
 * thread, checked and sealed ahead by the worker (util/handoff.c), stored in the
 * file's order by the main thread, two in flight; the stored people's keys told
 * to the worker when worth reading. */
#include "import_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>


/* The worker's part after the check, on SQLite: a row that will be new (no
 * fairshare_id to match) takes the next predicted id; sealed for it with a new
 * key of the person's (from the worker's own stream), the key wrapped for its
 * person_keys row, and the row's hash made for the batch. An id at or below a
 * stored key row (fresh0) is left to the main thread's look-up; a row that fails
 * here is sealed by the main thread as before. */
static void seal_ahead(struct pipeline *pl, struct rowjob *j, const struct fs_csv_field *cells)
{
	struct imp *m = pl->m;
	if (j->rc || (m->id_col >= 0 && cells[m->id_col].len))
		return;
	if (pl->stored.n) { /* a key of a stored person: matched, takes no id */
		unsigned char key[16];
		const struct fs_value *hash = &j->fresh.v[m->nid_hash_col], *ext = &j->fresh.v[m->ext_col];
		if (hash->type == FS_VBLOB) {
			memcpy(key, hash->p, 16);
			key[0] ^= 'n';
			if (import_seen_get(&pl->stored, key))
				return;
		}
		if (ext->type == FS_VTEXT) {
			crypto_shorthash_siphashx24(key, ext->p, ext->n, m->seen_key);
			if (import_seen_get(&pl->stored, key))
				return;
		}
	}
	j->counted = 1;
	j->pid = pl->id0 + pl->wcount++ - atomic_load(&pl->skipped);
	struct fs_rec *r = &j->fresh;
	int any_plain = 0;
	for (size_t i = 0; i < r->e->nfields; i++)
		any_plain |= r->plain[i] != NULL;
	if (!any_plain || j->pid < pl->fresh0 || atomic_load(&pl->stop))
		return;
	unsigned char key[32];
	struct fs_buf w;
	fs_buf_init(&w, 256);
	fs_pkey_stream_take(pl->stream, key);
	int rc = rec_seal_new_person(pl->wkeys, r, j->pid, key, NULL);
	if (!rc)
		rc = fs_person_key_wrap(pl->wkeys, j->pid, key, &w);
	sodium_memzero(key, sizeof(key));
	if (!rc && w.len <= sizeof(j->wrapped)) {
		memcpy(j->wrapped, w.data, w.len);
		j->nwrapped = w.len;
		rc = fs_hash_values(r->e->table.name, r->v, r->e->table.ncols, j->hash);
		j->sealed = !rc;
	}
	fs_buf_done(&w);
}

/* A chunk's rows checked (and sealed ahead), in the file's order: the worker's job. */
static void prepare_chunk(void *arg)
{
	struct chunk *k = arg;
	struct pipeline *pl = k->pl;
	for (size_t i = 0; i < k->n; i++) {
		struct rowjob *j = &k->jobs[i];
		imp_check_row(pl->m, k, j, &k->cells[j->cell0]);
		if (pl->threaded)
			seal_ahead(pl, j, &k->cells[j->cell0]);
	}
}

static int chunk_init(struct pipeline *pl, struct chunk *k)
{
	memset(k, 0, sizeof(*k));
	k->pl = pl;
	fs_buf_init(&k->text, (size_t)1 << 30);
	k->jobs = calloc(CHUNK, sizeof(*k->jobs));
	return k->jobs ? 0 : FS_ENOMEM;
}

static void chunk_free(struct chunk *k)
{
	if (k->jobs)
		for (size_t i = 0; i < CHUNK; i++)
			rec_done(&k->jobs[i].fresh);
	free(k->jobs);
	fs_buf_done(&k->text);
	free(k->refs);
	free(k->cells);
	free(k->errs);
	memset(k, 0, sizeof(*k));
}

/* A row read, copied into the chunk (the parser's cells last until its next row),
 * padded with empty cells to the header's columns. */
int imp_chunk_add(struct imp *m, struct chunk *k, long line, const struct fs_csv_field *cells, size_t n)
{
	size_t w = n < m->ncols ? m->ncols : n;
	while (k->caprefs < k->nrefs + w)
		if (fs_grow(&k->refs, &k->caprefs, k->caprefs, sizeof(*k->refs), 4096))
			return FS_ENOMEM;
	for (size_t c = 0; c < w; c++) {
		struct cellref *r = &k->refs[k->nrefs + c];
		if (c >= n) {
			*r = (struct cellref){SIZE_MAX, 0};
			continue;
		}
		*r = (struct cellref){k->text.len, cells[c].len};
		if (fs_buf_add(&k->text, cells[c].data, cells[c].len) || fs_buf_addc(&k->text, '\0'))
			return FS_ENOMEM;
	}
	struct rowjob *j = &k->jobs[k->n++];
	j->line = line;
	j->n = n;
	j->cell0 = k->nrefs;
	k->nrefs += w;
	return 0;
}

/* The cells made from their places in the text, before the chunk is checked. */
static int chunk_cells(struct chunk *k)
{
	while (k->capcells < k->nrefs)
		if (fs_grow(&k->cells, &k->capcells, k->capcells, sizeof(*k->cells), 4096))
			return FS_ENOMEM;
	for (size_t i = 0; i < k->nrefs; i++)
		k->cells[i] = (struct fs_csv_field){k->refs[i].off == SIZE_MAX ? "" : k->text.data + k->refs[i].off,
						    k->refs[i].len};
	return 0;
}

static void chunk_reset(struct chunk *k)
{
	k->n = k->nrefs = k->nerrs = 0;
	fs_buf_reset(&k->text);
}

static int store_chunk(struct imp *m, struct chunk *k, struct fs_error *err)
{
	int rc = 0;
	for (size_t i = 0; i < k->n && !rc; i++)
		rc = imp_take_row(m, k, &k->jobs[i], err);
	chunk_reset(k);
	return rc;
}

/* The chunk read is checked (by the worker, or here without one) while the one
 * checked before is stored; the last time, the chunk handed over is awaited and
 * stored too. */
int imp_pipe_flush(struct pipeline *pl, int last, struct fs_error *err)
{
	struct chunk *mine = &pl->k[pl->fill], *prev = &pl->k[!pl->fill];
	int rc = mine->n ? chunk_cells(mine) : 0;
	if (rc)
		return fs_fail(err, rc, NULL, "out of memory");
	if (!pl->threaded) { /* one row at a time: checked, then stored */
		prepare_chunk(mine);
		return store_chunk(pl->m, mine, err);
	}
	fs_handoff_wait(&pl->pipe); /* prev checked */
	if (mine->n)
		fs_handoff_submit(&pl->pipe, mine);
	rc = store_chunk(pl->m, prev, err);
	pl->fill = !pl->fill;
	if (last && !rc) {
		fs_handoff_wait(&pl->pipe);
		rc = store_chunk(pl->m, mine, err);
	}
	return rc;
}

/* One stored person's keys into the set of the stored (a failure empties it:
 * the worker then takes every row as new, and the main thread seals again). */
static int stored_cb(void *p, const struct fs_value *v)
{
	struct pipeline *pl = p;
	unsigned char key[16];
	long r = 0;
	if (v[0].type == FS_VBLOB && v[0].n >= 16) {
		memcpy(key, v[0].p, 16);
		key[0] ^= 'n';
		r = import_seen_put(&pl->stored, key, 1);
	}
	if (r >= 0 && v[1].type == FS_VTEXT) {
		crypto_shorthash_siphashx24(key, v[1].p, v[1].n, pl->m->seen_key);
		r = import_seen_put(&pl->stored, key, 1);
	}
	if (r < 0) {
		import_seen_free(&pl->stored);
		return 1;
	}
	return 0;
}

/* FAIRSHARE_IMPORT_THREADS=0: the one-thread path; =1: two threads whatever the
 * file's size; =blind: two threads, the worker not told the stored people's keys
 * (for the tests that compare the paths). */
int imp_pipe_begin(struct pipeline *pl, struct imp *m, int bulk, struct fs_error *err)
{
	memset(pl, 0, sizeof(*pl));
	pl->m = m;
	m->pl = pl;
	atomic_init(&pl->skipped, 0);
	atomic_init(&pl->stop, 0);
	int rc = chunk_init(pl, &pl->k[0]);
	if (!rc)
		rc = chunk_init(pl, &pl->k[1]);
	if (rc)
		return fs_fail(err, rc, NULL, "out of memory");
	const char *env = getenv("FAIRSHARE_IMPORT_THREADS");
	int forced = env && (!strcmp(env, "1") || !strcmp(env, "blind")); /* the tests' small files */
	/* a second thread for a bulk import (FS_BULK_ROWS rows or more, or a pipe:
	 * not known): a small file gains nothing from it */
	if (!bulk || (env && !strcmp(env, "0")) || (!forced && m->ahead >= 0 && m->ahead < FS_BULK_ROWS))
		return 0;
	/* SQLite, inside this import's write transaction (the only writer): the ids
	 * ascend from the highest plus one, and no key row is at or above fresh0 */
	if ((rc = fs_next_id(m->ctx, &m->pe->table, &pl->id0, err)))
		return rc;
	pl->fresh0 = fs_person_keys_fresh_from(m->ctx);
	static const char *const cols[] = {"national_id_hash", "external_id"};
	struct fs_filter f[1] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}};
	struct fs_query q = {.table = &m->pe->table, .filters = f, .nfilters = 1, .columns = cols, .ncolumns = 2, .raw = 1};
	int blind = env && !strcmp(env, "blind"); /* for the tests: every row taken as new, every match shifts the ids */
	/* The stored people's keys are read only while they are not many more than
	 * the file's rows: reading a large register for a small file would cost
	 * more than the seals it saves (without them a row that matches a stored
	 * person shifts the ids sealed ahead, and those rows are sealed again). */
	int64_t worth = 4 * (m->ahead > FS_BULK_ROWS ? m->ahead : FS_BULK_ROWS);
	if (pl->id0 - 1 > worth || (m->ahead < 0 && !forced)) /* a pipe: how many rows is not known */
		blind = 1;
	if (pl->id0 > 1 && !blind && (rc = fs_store_select(m->ctx->st, &q, stored_cb, pl, err)))
		return rc;
	pl->wkeys = sodium_malloc(sizeof(*pl->wkeys));
	pl->stream = fs_pkey_stream_new();
	if (!pl->wkeys || !pl->stream)
		return 0; /* one thread, then */
	memcpy(pl->wkeys, &m->ctx->keys, sizeof(*pl->wkeys));
	randombytes_buf(pl->wkeys->nonce_prefix, sizeof(pl->wkeys->nonce_prefix)); /* its nonces apart from the main thread's */
	pl->wkeys->nonce_counter = 0;
	if (pl->id0 > 0 && pl->fresh0 > 0 && fs_handoff_start(&pl->pipe, prepare_chunk, 1)) {
		pl->threaded = 1;
		m->next_person_id = pl->id0;
	}
	return 0;
}

/* The worker stopped (after the chunk it may still check) and everything wiped and freed. */
void imp_pipe_end(struct pipeline *pl)
{
	fs_handoff_stop(&pl->pipe);
	pl->threaded = 0;
	chunk_free(&pl->k[0]);
	chunk_free(&pl->k[1]);
	if (pl->wkeys)
		sodium_free(pl->wkeys); /* wiped */
	fs_pkey_stream_free(pl->stream);
	import_seen_free(&pl->stored);
	pl->wkeys = NULL;
	pl->stream = NULL;
}
