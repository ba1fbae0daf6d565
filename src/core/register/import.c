/* import.c - CSV import of people (and optionally their employment), atomic by
 * default: any bad row and nothing is stored, with every bad row reported by line,
 * column and reason. Rows are matched to existing people by the national-ID hash,
 * else by external_id, so importing a file twice creates nobody twice. */
#include "internal.h"

#include <errno.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/csv.h"
#include "util/textin.h"
#include "util/utf8.h"


#include "import_bulk.h"
#include "import_cols.h"
#include "import_pipe.h"
#include "import_seen.h"

#define fields fs_import_fields
#define NFIELDS FS_IMPORT_NFIELDS

/* ---- the import ---- */

struct imp {
	struct fs_ctx *ctx;
	const struct fs_import_opts *o;
	int64_t ahead; /* about how many rows the file holds (rows_ahead), -1 unknown */
	struct fs_import_report *rep;
	const struct fs_entity *pe, *ee, *we;
	int colfield[FS_IMPORT_COLUMNS_MAX]; /* field index per CSV column, -1 = ignored */
	char *header[FS_IMPORT_COLUMNS_MAX];
	size_t ncols;
	int has_employment;
	int id_col; /* column of fairshare_id, or -1 */
	int reject_col; /* column import_error (of a rejects file), or -1 */
	int unnamed[FS_IMPORT_COLUMNS_MAX]; /* an empty column name: its cells must be empty */
	int writing;
	int64_t next_person_id; /* the id of the next new person (SQLite: this import holds the only write lock); 0: ask */
	int nid_hash_col, ext_col; /* the person's national_id_hash and external_id columns */
	struct pipeline *pl; /* the rows' second thread (below) */
	int raw;          /* bytes passed through as UTF-8, unchecked */
	struct fs_buf sample; /* cells that were not UTF-8, to tell the encoding */
	struct fs_error fatal; /* why a row could not be stored */
	struct import_seen seen;
	unsigned char seen_key[crypto_shorthash_siphashx24_KEYBYTES];
	/* current row */
	long line;
	struct fs_buf reasons;
	int row_bad;
};

/* ---- the rows, checked on a second thread ----
 * The main thread reads the file and copies each row into a chunk; a worker
 * thread checks the chunk's rows (the cells, the person record, the in-file
 * duplicates: everything that needs no store, in the file's order) and, on
 * SQLite, seals each row that will be new for the id it is predicted to get,
 * with a new key of the person's wrapped by the data key and the row hash the
 * batch binds; meanwhile the main thread stores the chunk before, in the file's
 * order: it reports each row's problems as the worker noted them (the same
 * lines, the same words, in the same order), then matches, inserts or updates.
 * A row sealed for an id other than the one it is given (a row before it matched a
 * stored person, so took no id) is sealed again on the main thread as before
 * (rec_insert): a seal always names its row. Each such row is counted back to
 * the worker (skipped), so the rows it seals after that have the right id.
 * Without the thread (PostgreSQL, whose ids come from a sequence; the thread
 * could not start; FAIRSHARE_IMPORT_THREADS=0) each row is checked and stored
 * in turn on the main thread, the one-thread path as before. */
enum { CHUNK = 256 };
/* a chunk is handed over at CHUNK rows or this many bytes of cells, whichever
 * comes first: two chunks in flight of very long rows stay a few MiB */
#define CHUNK_BYTES ((size_t)4 << 20)

struct rowerr { /* a row's problem, as row_error takes it */
	int column;	/* 1-based, 0 the whole row; -1: the row's fatal error (what m->fatal keeps) */
	int has_field;
	char field[64];
	char message[512];
};

struct rowjob {
	/* main: read */
	long line;
	size_t cell0, n; /* its cells: k->cells[cell0 ..], n as read, padded with empty cells to the header's */
	/* worker: checked */
	int rc;		 /* 0, FS_EINVAL (its problems noted), or a fatal error (noted with column -1) */
	int early;	 /* stopped before the record was made: the row's fields or bytes */
	size_t err0, nerr;
	struct fs_rec fresh;
	int counted;	 /* the worker took the row as new: an id was predicted for it */
	int sealed;	 /* fresh sealed for pid, its key wrapped (wrapped) and its row hash made (hash) */
	int64_t pid;
	unsigned char wrapped[32 + FS_SEAL_OVERHEAD];
	size_t nwrapped;
	unsigned char hash[FS_HASH_BYTES];
	/* main: stored */
	int inserted;
};

struct cellref {
	size_t off, len; /* in the chunk's text; off SIZE_MAX: an empty cell added */
};

struct chunk {
	struct pipeline *pl;
	struct rowjob *jobs; /* CHUNK */
	size_t n;
	struct fs_buf text;   /* the cells' bytes, each NUL-ended */
	struct cellref *refs; /* while read (text may move) */
	struct fs_csv_field *cells; /* made from refs when the chunk is handed over */
	size_t nrefs, caprefs, capcells;
	struct rowerr *errs;
	size_t nerrs, caperrs;
};

struct pipeline {
	struct imp *m;
	struct chunk k[2];
	int fill;	/* the chunk being read */
	int threaded;	/* the worker thread runs */
	struct import_pipe pipe;
	int64_t id0;	/* the id of the first new person */
	int64_t fresh0; /* no key row has a person id >= fresh0 (keys.c) */
	int64_t wcount; /* the worker's: rows it took as new */
	/* the rows the worker took as new that got no id (a match it did not foresee)
	 * less those it took for matches that got one: the main thread's count */
	atomic_llong skipped;
	/* the keys of the organization's stored people (national ID, external_id, as
	 * the in-file set keys them): a row with one of them will match, not be new */
	struct import_seen stored;
	atomic_int stop;      /* nothing will be stored (a bad row, no --skip-invalid): no more seals */
	struct fs_keys *wkeys; /* the worker's copy of the keys: a nonce prefix of its own */
	struct fs_pkey_bulk *stream; /* the worker's new keys */
};

static void row_error(struct imp *m, int column, const char *field, const char *msg)
{
	struct fs_import_report *rep = m->rep;
	m->row_bad = 1;
	rep->nerrors++;
	const char *hname = column > 0 ? (m->header[column - 1][0] ? m->header[column - 1] : "(no name)") : "";
	if (m->reasons.len)
		fs_buf_adds(&m->reasons, "; ");
	if (column > 0)
		fs_buf_addf(&m->reasons, "%s: %s", hname, msg);
	else
		fs_buf_adds(&m->reasons, msg);
	size_t max = m->o->max_errors ? m->o->max_errors : 1000;
	if (rep->errors_kept >= max)
		return;
	if (!rep->errors) {
		rep->errors = calloc(max, sizeof(*rep->errors));
		if (!rep->errors)
			return;
	}
	struct fs_import_row_error *e = &rep->errors[rep->errors_kept++];
	e->line = m->line;
	e->column = column;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : hname);
	snprintf(e->message, sizeof(e->message), "%s", msg);
	/* a column name or value in another encoding, or cut by the bound: every
	 * report (JSON, terminal, the web's table) needs valid UTF-8 */
	fs_utf8_repair(e->field);
	fs_utf8_repair(e->message);
}

/* A row's problem: reported at once (k NULL), or noted in the chunk for the main
 * thread to report with the row (the worker's). column -1: the fatal error. */
static void note(struct imp *m, struct chunk *k, struct rowjob *j, int column, const char *field, const char *msg)
{
	if (!k) {
		row_error(m, column, field, msg);
		return;
	}
	if (fs_grow(&k->errs, &k->caperrs, k->nerrs, sizeof(*k->errs), 16)) {
		if (j->rc == 0 || j->rc == FS_EINVAL)
			j->rc = FS_ENOMEM; /* the row cannot be reported: the import stops */
		return;
	}
	struct rowerr *e = &k->errs[k->nerrs++];
	e->column = column;
	e->has_field = field != NULL;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	snprintf(e->message, sizeof(e->message), "%s", msg);
	j->nerr++;
}

/* Keep the bytes of a cell that is not UTF-8 for fs_textin_suggest. */
static void sample_add(struct imp *m, const char *s, size_t n)
{
	if (!m->raw || m->sample.len + n + 1 > 64u * 1024u)
		return;
	if (m->sample.len)
		fs_buf_addc(&m->sample, ' ');
	fs_buf_add(&m->sample, s, n);
}

/* What is wrong with a cell's bytes, or NULL when they are valid UTF-8. */
static const char *bad_text(const char *s, size_t n, char *msg, size_t msgsz)
{
	size_t bad = fs_utf8_invalid_at(s, n);
	if (!bad)
		return NULL;
	if (s[bad - 1] == '\0')
		snprintf(msg, msgsz, "holds a NUL byte (byte %zu), which no text has; a UTF-16 file without a byte-order mark? "
			 "(then name its encoding: utf-16le)", bad);
	else
		snprintf(msg, msgsz, "is not valid UTF-8 text (byte %zu); save the file as UTF-8 or name its encoding", bad);
	return msg;
}

static const char *cell_value(const struct fs_csv_field *c)
{
	/* Undo the spreadsheet-formula guard that export adds ('=... -> =...). */
	return c->data + fs_csv_unguard(c->data, c->len);
}

struct id_ud {
	int64_t id;
};

static int id_cb(void *p, const struct fs_value *v)
{
	((struct id_ud *)p)->id = v[0].i;
	return 1;
}

static int find_one(struct imp *m, const struct fs_entity *e, const struct fs_filter *f, size_t nf,
		    int64_t *id, struct fs_error *err)
{
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf, .limit = 1};
	struct id_ud u = {0};
	int rc = fs_store_select(m->ctx->st, &q, id_cb, &u, err);
	*id = u.id;
	return rc;
}

/* A workplace given by id or by name. */
static int resolve_workplace(struct imp *m, const char *v, char out[24], struct fs_error *err)
{
	char *end;
	long long id = strtoll(v, &end, 10);
	if (*v && !*end && id > 0) {
		snprintf(out, 24, "%lld", id);
		return 0;
	}
	struct fs_buf fold;
	fs_buf_init(&fold, 4096);
	int rc = fs_utf8_fold(v, strlen(v), &fold);
	int64_t found = 0;
	if (!rc) {
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)},
					 {"name_fold", FS_EQ, (struct fs_value){FS_VTEXT, 0, fold.data ? fold.data : "", fold.len}}};
		rc = find_one(m, m->we, f, 2, &found, err);
	}
	fs_buf_done(&fold);
	if (rc)
		return rc;
	if (!found)
		return fs_fail(err, FS_EINVAL, "workplace", "there is no workplace named '%.60s'", v);
	snprintf(out, 24, "%lld", (long long)found);
	return 0;
}

static int apply_cells(struct imp *m, struct fs_rec *r, const struct fs_csv_field *cells, int employment,
		       int report, struct chunk *k, struct rowjob *j)
{
	struct fs_error err;
	int bad = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		int fi = m->colfield[c];
		if (fi < 0 || fi == FAIRSHARE_ID_FIELD || (fi >= FIRST_EMPLOYMENT_FIELD) != employment)
			continue;
		const char *v = cell_value(&cells[c]);
		const char *name = fields[fi].field;
		char wp[24];
		fs_error_clear(&err);
		int rc = 0;
		if (strcmp(name, "workplace") == 0) {
			if (*v && !(rc = resolve_workplace(m, v, wp, &err)))
				rc = rec_set(m->ctx, r, "workplace_id", wp, &err);
		} else {
			rc = rec_set(m->ctx, r, name, v, &err);
		}
		if (rc) {
			if (rc != FS_EINVAL && rc != FS_ECONFLICT)
				return rc;
			bad = 1;
			if (report)
				note(m, k, j, (int)c + 1, name, err.message);
		}
	}
	return bad ? FS_EINVAL : 0;
}

static void write_reject(struct imp *m, const struct fs_csv_field *cells, size_t n)
{
	FILE *out = m->o->rejects;
	if (!out)
		return;
	for (size_t c = 0; c < n; c++) {
		if ((int)c == m->reject_col)
			continue; /* the reason of an earlier round */
		fs_csv_write_cell(out, cells[c].data, cells[c].len);
		fputc(',', out);
	}
	fs_csv_write_cell(out, m->reasons.data ? m->reasons.data : "", m->reasons.len);
	fputs("\r\n", out);
}

/* Apply the row's cells to an existing record and store it if anything changed. */
static int update_existing(struct imp *m, const struct fs_entity *e, int64_t id, const struct fs_csv_field *cells,
			   int employment, int *changed, struct fs_error *err)
{
	struct fs_row row;
	struct fs_rec before, after;
	rec_init(&before, e);
	rec_init(&after, e);
	*changed = 0;
	int rc = fs_store_get(m->ctx->st, &e->table, id, &row, err);
	if (rc)
		return rc;
	rc = rec_from_values(m->ctx, &before, e, row.vals, err);
	if (!rc)
		rc = rec_from_values(m->ctx, &after, e, row.vals, err);
	fs_row_free(&row);
	if (!rc)
		rc = apply_cells(m, &after, cells, employment, 0, NULL, NULL);
	if (!rc)
		rc = rec_finish(m->ctx, &after, 0, err);
	if (!rc && !rec_equal(&before, &after)) {
		fs_store_may_fail(m->ctx->st, 1); /* a unique key taken: the row's error, the import goes on */
		rc = rec_update(m->ctx, &before, &after, err);
		fs_store_may_fail(m->ctx->st, 0);
		*changed = !rc;
	}
	rec_done(&before);
	rec_done(&after);
	return rc;
}

static int import_employment(struct imp *m, int64_t person_id, const struct fs_csv_field *cells)
{
	struct fs_error err = {0};
	int hired_col = -1, any = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		int fi = m->colfield[c];
		if (fi >= FIRST_EMPLOYMENT_FIELD && cells[c].len) {
			any = 1;
			if (strcmp(fields[fi].field, "hired") == 0)
				hired_col = (int)c;
		}
	}
	if (!any)
		return 0;
	if (hired_col < 0) {
		row_error(m, 0, "hired", "employment columns are filled but the hire date is missing");
		return FS_EINVAL;
	}
	struct fs_rec fresh;
	rec_init(&fresh, m->ee);
	int rc = apply_cells(m, &fresh, cells, 1, 1, NULL, NULL);
	if (!rc) {
		/* checked even when the person row is bad or nothing is being stored */
		fs_error_clear(&err);
		rec_set_int(&fresh, "person_id", person_id > 0 ? person_id : -1);
		rc = rec_finish(m->ctx, &fresh, 1, &err);
		if (rc == FS_EINVAL)
			row_error(m, 0, err.field, err.message);
	}
	if (rc || person_id <= 0 || !m->writing) {
		rec_done(&fresh);
		return rc;
	}
	/* the same person, workplace or employer, and hire date: the same employment */
	int64_t existing = 0;
	struct fs_filter f[3] = {{"person_id", FS_EQ, fs_vint(person_id)},
				 {"hired", FS_EQ, *rec_field(&fresh, "hired")},
				 {"employer_id", FS_EQ, *rec_field(&fresh, "employer_id")}};
	rc = find_one(m, m->ee, f, 3, &existing, &err);
	if (!rc && !existing) {
		fs_store_may_fail(m->ctx->st, 1); /* a conflict is the row's error: the import goes on */
		rc = rec_insert(m->ctx, &fresh, NULL, &err);
		fs_store_may_fail(m->ctx->st, 0);
		if (!rc)
			m->rep->employments_inserted++;
	} else if (!rc) {
		int changed;
		rc = update_existing(m, m->ee, existing, cells, 1, &changed, &err);
		m->rep->employments_updated += changed;
	}
	rec_done(&fresh);
	if (rc == FS_EINVAL || rc == FS_ECONFLICT) {
		row_error(m, 0, err.field, err.message);
		rc = FS_EINVAL;
	} else if (rc && !m->fatal.message[0]) {
		m->fatal = err;
	}
	return rc;
}

/* A row tried as new was sealed under a key made for the id it would have had;
 * its insert conflicted (the row matches a stored person), so no person has that
 * id: the key goes too, else a key row would stay for nobody. */
static int drop_tried_key(struct imp *m, const struct fs_rec *fresh, struct fs_error *err)
{
	int64_t tried = fresh->v[0].type == FS_VINT ? fresh->v[0].i : 0, holder = 0;
	if (tried <= 0)
		return 0;
	struct fs_filter f[1] = {{"id", FS_EQ, fs_vint(tried)}};
	int rc = find_one(m, m->pe, f, 1, &holder, err);
	if (!rc && !holder)
		rc = fs_person_key_drop(m->ctx, tried, err);
	return rc;
}

/* The check of one data row (the worker's, or in turn on the main thread): its
 * fields and bytes, the person record (rec_finish: no store is asked, the import
 * checks uniqueness itself), the duplicates inside the file. Each problem is
 * noted in the order the one-thread import reported it; j->rc: 0, FS_EINVAL for
 * a bad row, or a fatal error. */
static void check_row(struct imp *m, struct chunk *k, struct rowjob *j, const struct fs_csv_field *cells)
{
	struct fs_error err;
	fs_error_clear(&err);
	rec_done(&j->fresh); /* the record of the chunk's last use (freed here, off the main thread) */
	j->rc = j->early = j->counted = j->sealed = j->inserted = 0;
	j->pid = 0;
	j->err0 = k->nerrs;
	j->nerr = 0;
	size_t n = j->n;
	/* a row may end before trailing columns that have no name (a spreadsheet's "a,b,") */
	size_t need = m->ncols;
	while (need > n && m->unnamed[need - 1])
		need--;
	if (n < need || n > m->ncols) {
		char msg[120];
		snprintf(msg, sizeof(msg), "has %zu fields; the header has %zu", n, m->ncols);
		note(m, k, j, 0, NULL, msg);
		j->rc = j->rc ? j->rc : FS_EINVAL;
		j->early = 1;
		return;
	}
	n = m->ncols; /* the cells were padded with empty ones as read */
	int sampled = 0, bad = 0;
	for (size_t c = 0; c < n; c++) {
		char msg[200];
		if (bad_text(cells[c].data, cells[c].len, msg, sizeof(msg))) {
			note(m, k, j, (int)c + 1, NULL, msg);
			bad = 1;
			if (memchr(cells[c].data, '\0', cells[c].len))
				continue; /* not a matter of the encoding */
			for (size_t x = 0; x < n && !sampled; x++)
				sample_add(m, cells[x].data, cells[x].len);
			sampled = 1;
		} else if (m->unnamed[c] && cells[c].len) {
			snprintf(msg, sizeof(msg), "holds '%.60s' but the column has no name in the header line; name the column "
				 "(or empty the cell)", cells[c].data);
			note(m, k, j, (int)c + 1, NULL, msg);
			bad = 1;
		}
	}
	if (bad || j->rc) {
		j->rc = j->rc ? j->rc : FS_EINVAL;
		j->early = 1;
		return;
	}
	struct fs_rec *fresh = &j->fresh;
	rec_init(fresh, m->pe);
	fresh->unique_checked = 1;
	int rc = apply_cells(m, fresh, cells, 0, 1, k, j);
	if (!rc) {
		rc = rec_finish(m->ctx, fresh, 1, &err);
		if (rc == FS_EINVAL)
			note(m, k, j, 0, err.field, err.message);
	}
	/* duplicates inside the file */
	unsigned char key[16];
	const struct fs_value *hash = &fresh->v[m->nid_hash_col];
	const struct fs_value *ext = &fresh->v[m->ext_col];
	if (!rc) {
		const char *what = NULL;
		long other = 0;
		if (hash->type == FS_VBLOB) {
			memcpy(key, hash->p, 16); /* a keyed hash already */
			key[0] ^= 'n';
			other = import_seen_put(&m->seen, key, j->line);
			what = "national ID";
		}
		if (!other && ext->type == FS_VTEXT) {
			crypto_shorthash_siphashx24(key, ext->p, ext->n, m->seen_key); /* 128 bits, keyed per import */
			other = import_seen_put(&m->seen, key, j->line);
			what = "external_id";
		}
		if (other < 0) {
			rc = FS_ENOMEM;
		} else if (other > 0) {
			char msg[120];
			snprintf(msg, sizeof(msg), "duplicate in file: the same %s as line %ld", what, other);
			note(m, k, j, 0, what, msg);
			rc = FS_EINVAL;
		}
	}
	if (rc && rc != FS_EINVAL) /* what the main thread keeps as the row's fatal error */
		note(m, k, j, -1, err.field, err.message);
	if (!j->rc || j->rc == FS_EINVAL)
		j->rc = rc;
}

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
		check_row(pl->m, k, j, &k->cells[j->cell0]);
		if (pl->threaded)
			seal_ahead(pl, j, &k->cells[j->cell0]);
	}
}

/* A new person sealed ahead by the worker for the id it gets: the row inserted
 * with that seal and row hash, then its key row. 1 when the seal is not for the
 * id the row is given (then nothing was done: the caller seals as before). */
static int insert_sealed(struct imp *m, struct rowjob *j, int64_t *person_id, struct fs_error *err)
{
	struct fs_ctx *ctx = m->ctx;
	if (!j->sealed || j->pid != m->next_person_id || j->pid < fs_person_keys_fresh_from(ctx))
		return 1;
	fs_store_may_fail(ctx->st, 1); /* a unique key taken: matched by the caller, in the same transaction */
	int rc = rec_insert_sealed(ctx, &j->fresh, j->hash, person_id, err);
	fs_store_may_fail(ctx->st, 0);
	if (rc)
		return rc; /* FS_ECONFLICT: no key row was stored for it, none to take back */
	rc = fs_person_key_insert_new(ctx, *person_id, ctx->org_id, j->wrapped, j->nwrapped, err);
	if (rc == FS_ECONFLICT) /* never the row's: the person row is in */
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "person %lld has a key row already", (long long)*person_id);
	return rc;
}

/* The stored person a row matches: by national ID, else by external_id (0: none). */
static int find_match(struct imp *m, const struct fs_value *hash, const struct fs_value *ext, int64_t *existing,
		      struct fs_error *err)
{
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}};
	int rc = 0;
	*existing = 0;
	if (hash->type == FS_VBLOB) {
		f[1] = (struct fs_filter){"national_id_hash", FS_EQ, *hash};
		rc = find_one(m, m->pe, f, 2, existing, err);
	}
	if (!rc && !*existing && ext->type == FS_VTEXT) {
		f[1] = (struct fs_filter){"external_id", FS_EQ, *ext};
		rc = find_one(m, m->pe, f, 2, existing, err);
	}
	return rc;
}

/* One data row stored (the main thread, in the file's order): the check's
 * problems reported, then the match, the insert or the update, the employment.
 * Returns 0, FS_EINVAL for a bad row, or a fatal error. */
static int store_row(struct imp *m, struct chunk *k, struct rowjob *j, const struct fs_csv_field *cells)
{
	struct fs_error err;
	fs_error_clear(&err);
	int rc = j->rc;
	for (size_t i = 0; i < j->nerr; i++) {
		const struct rowerr *e = &k->errs[j->err0 + i];
		if (e->column >= 0) {
			row_error(m, e->column, e->has_field ? e->field : NULL, e->message);
		} else if (!m->fatal.message[0]) {
			snprintf(m->fatal.field, sizeof(m->fatal.field), "%s", e->field);
			snprintf(m->fatal.message, sizeof(m->fatal.message), "%s", e->message);
		}
	}
	if (j->early)
		return rc;
	struct fs_rec *fresh = &j->fresh;
	const struct fs_value *hash = &fresh->v[m->nid_hash_col];
	const struct fs_value *ext = &fresh->v[m->ext_col];
	int64_t existing = 0;
	/* match an existing person: by fairshare_id, national ID, external_id */
	if (!rc && m->id_col >= 0 && cells[m->id_col].len) {
		int64_t want = 0;
		char *end;
		want = strtoll(cells[m->id_col].data, &end, 10);
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}, {"id", FS_EQ, fs_vint(want)}};
		if (*end || want <= 0 || (rc = find_one(m, m->pe, f, 2, &existing, &err)) || !existing) {
			row_error(m, m->id_col + 1, "fairshare_id", "there is no person with this fairshare_id in the organization");
			rc = rc ? rc : FS_EINVAL;
		}
	}
	int64_t person_id = 0;
	if (!rc && !existing && m->writing && m->pl->threaded && !j->counted)
		rc = find_match(m, hash, ext, &existing, &err); /* the worker saw a stored person's key: looked up first */
	if (!rc && !existing && m->writing) {
		/* Most rows are new: insert, and look for a match only when a unique
		 * key (national ID, external_id) is taken already. */
		int sealed = 1;
		if ((rc = insert_sealed(m, j, &person_id, &err)) == 1) {
			sealed = 0;
			fresh->want_id = m->next_person_id; /* rec_insert checks the row got it */
			fs_store_may_fail(m->ctx->st, 1); /* a unique key taken: matched below, in the same transaction */
			rc = rec_insert(m->ctx, fresh, &person_id, &err);
			fs_store_may_fail(m->ctx->st, 0);
		}
		if (!rc) {
			m->next_person_id = m->ctx->pkey_bulk ? person_id + 1 : 0;
			m->rep->inserted++;
			m->rep->sealed_ahead += sealed;
			m->rep->sealed_again += !sealed && j->sealed;
			j->inserted = 1;
			goto employment;
		}
		if (rc == FS_ECONFLICT && !sealed)
			rc = drop_tried_key(m, fresh, &err);
		else if (rc == FS_ECONFLICT)
			rc = 0;
	}
	if (!rc && !existing && m->writing)
		rc = find_match(m, hash, ext, &existing, &err);
	person_id = existing;
	if (!rc && m->writing) {
		if (!existing) {
			rc = fs_fail(&err, FS_ECONFLICT, NULL, "conflicts with a person that cannot be matched");
		} else {
			int changed;
			rc = update_existing(m, m->pe, existing, cells, 0, &changed, &err);
			if (!rc && changed)
				m->rep->updated++;
			else if (!rc)
				m->rep->unchanged++;
		}
		if (rc == FS_ECONFLICT || rc == FS_EINVAL) {
			row_error(m, 0, err.field, err.message);
			rc = FS_EINVAL;
		}
	}
employment:
	if (rc && rc != FS_EINVAL && !m->fatal.message[0])
		m->fatal = err;
	if (m->has_employment && (rc == 0 || rc == FS_EINVAL)) {
		int erc = import_employment(m, rc ? 0 : person_id, cells);
		if (!rc)
			rc = erc;
	}
	return rc;
}

/* One row of the file taken: stored, counted, rejected or the import stopped
 * (err). */
static int take_row(struct imp *m, struct chunk *k, struct rowjob *j, struct fs_error *err)
{
	const struct fs_import_opts *o = m->o;
	const struct fs_csv_field *cells = &k->cells[j->cell0];
	m->line = j->line;
	m->rep->rows++;
	m->row_bad = 0;
	fs_buf_reset(&m->reasons);
	int r2 = store_row(m, k, j, cells);
	if (j->counted != j->inserted) /* the worker's count of ids follows what happened */
		atomic_fetch_add(&m->pl->skipped, j->counted ? 1 : -1);
	if (r2 == FS_EINVAL || m->row_bad) {
		m->rep->rejected++;
		if (o->skip_invalid) {
			write_reject(m, cells, j->n);
		} else {
			m->writing = 0; /* keep checking the rest, store nothing */
			atomic_store(&m->pl->stop, 1);
		}
	} else if (r2) {
		return fs_fail(err, r2, m->fatal.field[0] ? m->fatal.field : NULL, "%s, line %ld: %s%s%s", o->name, m->line,
			       r2 == FS_ENOMEM ? "out of memory" : "cannot store the row", m->fatal.message[0] ? ": " : "",
			       m->fatal.message);
	}
	return 0;
}

/* ---- the chunks ---- */

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
static int chunk_add(struct imp *m, struct chunk *k, long line, const struct fs_csv_field *cells, size_t n)
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
		rc = take_row(m, k, &k->jobs[i], err);
	chunk_reset(k);
	return rc;
}

/* The chunk read is checked (by the worker, or here without one) while the one
 * checked before is stored; the last time, the chunk handed over is awaited and
 * stored too. */
static int pipe_flush(struct pipeline *pl, int last, struct fs_error *err)
{
	struct chunk *mine = &pl->k[pl->fill], *prev = &pl->k[!pl->fill];
	int rc = mine->n ? chunk_cells(mine) : 0;
	if (rc)
		return fs_fail(err, rc, NULL, "out of memory");
	if (!pl->threaded) { /* one row at a time: checked, then stored */
		prepare_chunk(mine);
		return store_chunk(pl->m, mine, err);
	}
	import_pipe_wait(&pl->pipe); /* prev checked */
	if (mine->n)
		import_pipe_submit(&pl->pipe, mine);
	rc = store_chunk(pl->m, prev, err);
	pl->fill = !pl->fill;
	if (last && !rc) {
		import_pipe_wait(&pl->pipe);
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
static int pipe_begin(struct pipeline *pl, struct imp *m, int bulk, struct fs_error *err)
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
	if (pl->id0 > 0 && pl->fresh0 > 0 && import_pipe_start(&pl->pipe, prepare_chunk)) {
		pl->threaded = 1;
		m->next_person_id = pl->id0;
	}
	return 0;
}

/* The worker stopped (after the chunk it may still check) and everything wiped and freed. */
static void pipe_end(struct pipeline *pl)
{
	import_pipe_stop(&pl->pipe);
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

static int read_header(struct imp *m, struct fs_csv *csv, struct fs_textin *tin, struct fs_error *err)
{
	struct fs_error perr;
	fs_error_clear(&perr);
	int rc = fs_csv_next(csv, &perr);
	if (rc == 0)
		return fs_fail(err, FS_EINVAL, NULL, "%s is empty: the first line must name the columns", m->o->name);
	if (rc == FS_EIO)
		return fs_fail(err, FS_EINVAL, NULL, "%s, line 1: %s", m->o->name, fs_textin_error(tin));
	if (rc < 0)
		return fs_fail(err, rc, NULL, "%s: %s", m->o->name, perr.message);
	size_t n = fs_csv_nfields(csv);
	const struct fs_csv_field *h = fs_csv_fields(csv);
	if (n > FS_IMPORT_COLUMNS_MAX)
		return fs_fail(err, FS_ELIMIT, NULL, "%s has %zu columns; at most %d", m->o->name, n, FS_IMPORT_COLUMNS_MAX);
	m->ncols = n;
	m->line = 1;
	struct fs_buf norm, mnorm;
	fs_buf_init(&norm, 4096);
	fs_buf_init(&mnorm, 4096);
	int used[NFIELDS] = {0};
	for (size_t c = 0; c < n; c++) {
		m->header[c] = strndup(h[c].data, h[c].len);
		m->colfield[c] = -1;
		if (!m->header[c])
			return FS_ENOMEM;
		char bad[200];
		if (bad_text(h[c].data, h[c].len, bad, sizeof(bad))) {
			char msg[240];
			snprintf(msg, sizeof(msg), "column name %s", bad);
			row_error(m, (int)c + 1, NULL, msg);
			if (!memchr(h[c].data, '\0', h[c].len))
				sample_add(m, h[c].data, h[c].len);
			continue;
		}
		import_normalize_header(h[c].data, h[c].len, &norm);
		const char *nm = norm.data ? norm.data : "";
		int fi = -1, mapped = 0;
		for (size_t k = 0; k < m->o->nmap && !mapped; k++) {
			import_normalize_header(m->o->map[k].key, strlen(m->o->map[k].key), &mnorm);
			if (strcmp(mnorm.data ? mnorm.data : "", nm) != 0)
				continue;
			mapped = 1;
			const char *target = m->o->map[k].value;
			if (strcmp(target, "-") == 0)
				break; /* ignored on purpose */
			fi = import_field_by_name(target);
			if (fi < 0) {
				char msg[200];
				snprintf(msg, sizeof(msg), "--map names an unknown field '%.40s'", target);
				row_error(m, (int)c + 1, NULL, msg);
			}
		}
		if (!mapped && !*nm) { /* "a,b," as a spreadsheet writes: its cells must be empty */
			m->unnamed[c] = 1;
			continue;
		}
		if (!mapped && !strcmp(nm, REJECT_COLUMN)) { /* the rejects file, imported again */
			m->reject_col = (int)c;
			continue;
		}
		if (!mapped) {
			fi = import_field_by_alias(nm);
			if (fi < 0) {
				char msg[240];
				snprintf(msg, sizeof(msg),
					 "unknown column '%.50s'; name its field with --map '%.50s=FIELD' or skip it with --map '%.50s=-'",
					 m->header[c], m->header[c], m->header[c]);
				row_error(m, (int)c + 1, NULL, msg);
			}
		}
		if (fi < 0)
			continue;
		if (used[fi]) {
			char msg[160];
			snprintf(msg, sizeof(msg), "a second column for %s (the first is column %d)", fields[fi].field, used[fi]);
			row_error(m, (int)c + 1, fields[fi].field, msg);
			continue;
		}
		used[fi] = (int)c + 1;
		m->colfield[c] = fi;
		if (fi == FAIRSHARE_ID_FIELD)
			m->id_col = (int)c;
		if (fi >= FIRST_EMPLOYMENT_FIELD)
			m->has_employment = 1;
	}
	fs_buf_done(&norm);
	fs_buf_done(&mnorm);
	if (!used[import_field_by_name("full_name")] && !m->row_bad)
		row_error(m, 0, "full_name", "no column for full_name (e.g. a column named 'full_name' or 'name')");
	if (m->row_bad) {
		m->row_bad = 0;
		return fs_fail(err, FS_EINVAL, NULL, "%s: the header line has problems; nothing was imported", m->o->name);
	}
	if (m->o->rejects) {
		for (size_t c = 0; c < n; c++) {
			if ((int)c == m->reject_col)
				continue;
			fs_csv_write_cell(m->o->rejects, m->header[c], strlen(m->header[c]));
			fputc(',', m->o->rejects);
		}
		fputs(REJECT_COLUMN "\r\n", m->o->rejects);
	}
	return 0;
}

/* The file was not UTF-8: say which encodings would read it, in the report and
 * in the error (rc: the import's result so far). */
static void explain_encoding(struct imp *m, struct fs_error *err, int rc)
{
	struct fs_import_report *rep = m->rep;
	int n = fs_textin_suggest(m->sample.data, m->sample.len, rep->suggested, sizeof(rep->suggested));
	if (!rc || !err)
		return;
	char first[40];
	size_t fl = strcspn(rep->suggested, ",");
	fl = fl < sizeof(first) - 1 ? fl : sizeof(first) - 1;
	memcpy(first, rep->suggested, fl);
	first[fl] = '\0';
	char msg[sizeof(err->message)];
	int w;
	if (n)
		w = snprintf(msg, sizeof(msg), "%s. The file is not UTF-8 text; it reads cleanly as %s: import it with the "
			     "encoding %s (--encoding %s)", err->message, rep->suggested, first, first);
	else
		w = snprintf(msg, sizeof(msg), "%s. The file is not UTF-8 text, nor cleanly windows-1254, iso-8859-9, "
			     "windows-1251, koi8-r or cp866: save it as UTF-8, or name its encoding (--encoding)", err->message);
	if (w < 0)
		return;
	snprintf(err->message, sizeof(err->message), "%s", msg);
	fs_utf8_repair(err->message);
}

/* About how many rows a file holds from where it is read, at most (a people
 * file's row is 64 bytes or more); -1 when it cannot be known ahead (a pipe). */
static int64_t rows_ahead(FILE *in)
{
	struct stat sb;
	long at = ftell(in);
	if (fstat(fileno(in), &sb) || !S_ISREG(sb.st_mode) || at < 0 || sb.st_size < at)
		return -1;
	return (int64_t)(sb.st_size - at) / 64;
}

int fs_import_people(struct fs_ctx *ctx, const struct fs_import_opts *o, struct fs_import_report *rep,
		     struct fs_error *err)
{
	memset(rep, 0, sizeof(*rep));
	struct imp m = {.ctx = ctx, .o = o, .rep = rep, .id_col = -1, .reject_col = -1};
	m.pe = fs_entity_find("person");
	m.ee = fs_entity_find("employment");
	m.we = fs_entity_find("workplace");
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (o->separator && o->separator != ',' && o->separator != ';' && o->separator != '\t')
		return fs_fail(err, FS_EINVAL, "separator", "the separator is a comma, a semicolon or a tab");
	struct fs_textin *tin;
	int rc = fs_textin_open(o->in, o->encoding, &tin, err);
	if (rc)
		return rc;
	struct fs_csv *csv = fs_csv_new(fs_textin_read, tin);
	if (!csv) {
		fs_textin_free(tin);
		return FS_ENOMEM;
	}
	fs_csv_set_separator(csv, o->separator);
	snprintf(rep->encoding, sizeof(rep->encoding), "%s", fs_textin_encoding(tin));
	m.raw = fs_textin_is_raw(tin);
	randombytes_buf(m.seen_key, sizeof(m.seen_key));
	fs_buf_init(&m.reasons, 8192);
	fs_buf_init(&m.sample, 64u * 1024u + 16);
	m.ahead = rows_ahead(o->in);
	rc = o->dry_run ? fs_tx_begin(ctx, err) : fs_tx_begin_bulk(ctx, m.ahead, err);
	if (rc) {
		fs_csv_free(csv);
		fs_textin_free(tin);
		fs_buf_done(&m.reasons);
		fs_buf_done(&m.sample);
		return rc;
	}
	m.writing = 1;
	m.nid_hash_col = m.pe->hash_of[fs_field_index(m.pe, "national_id")];
	m.ext_col = m.pe->col_of[fs_field_index(m.pe, "external_id")];
	struct import_bulk bulk = {0};
	struct pipeline pl;
	rc = fs_batch_begin(ctx, "import", err);
	if (!rc)
		rc = import_bulk_begin(ctx, &bulk, err);
	if (!rc)
		rc = read_header(&m, csv, tin, err);
	if (!rc)
		rc = pipe_begin(&pl, &m, bulk.on, err);
	else
		memset(&pl, 0, sizeof(pl));
	rep->separator = fs_csv_separator(csv);
	long read_line = m.line; /* the last line read (m.line: the row being stored) */
	struct fs_error csv_err; /* the file cannot be read on: after the rows read before it */
	int csv_rc = 0;
	while (!rc) {
		struct fs_error perr;
		fs_error_clear(&perr);
		int r = fs_csv_next(csv, &perr);
		if (r == 0)
			break;
		if (r < 0) {
			long at = perr.line ? perr.line : read_line + 1;
			if (r == FS_EIO) /* the bytes could not be decoded (or read) */
				csv_rc = fs_fail(&csv_err, FS_EINVAL, NULL, "%s, line %ld: %s; nothing was imported", o->name, at,
						 fs_textin_error(tin));
			else
				csv_rc = fs_fail(&csv_err, r, NULL, "%s: %s; nothing was imported", o->name, perr.message);
			break;
		}
		read_line = fs_csv_line(csv);
		size_t n = fs_csv_nfields(csv);
		const struct fs_csv_field *cells = fs_csv_fields(csv);
		if (n == 1 && cells[0].len == 0)
			continue; /* blank line */
		struct chunk *k = &pl.k[pl.fill];
		if (chunk_add(&m, k, read_line, cells, n))
			rc = fs_fail(err, FS_ENOMEM, NULL, "%s, line %ld: out of memory", o->name, read_line);
		else if (k->n == (pl.threaded ? CHUNK : 1) || k->text.len >= CHUNK_BYTES)
			rc = pipe_flush(&pl, 0, err);
	}
	if (!rc && pl.m)
		rc = pipe_flush(&pl, 1, err); /* the rows read, before the end or what stopped the reading */
	if (!rc && csv_rc) {
		*err = csv_err;
		rc = csv_rc;
	}
	if (pl.m)
		pipe_end(&pl);
	if (!rc && rep->rejected && !o->skip_invalid)
		rc = fs_fail(err, FS_EINVAL, NULL, "%s: %ld of %ld rows are invalid; nothing was imported",
			     o->name, rep->rejected, rep->rows);
	import_seen_free(&m.seen); /* before the indexes are built: the set is done with */
	rc = fs_batch_end(ctx, rc, err); /* the rows not yet bound by a batch entry */
	rc = import_bulk_end(ctx, &bulk, rc, err);
	if (m.sample.len)
		explain_encoding(&m, err, rc);
	/* the rows left out are written before anything is stored: a rejects file
	 * that could not be written (a full disk) fails the import, not a committed
	 * one reported as failed */
	if (!rc && o->rejects && (fflush(o->rejects) || ferror(o->rejects)))
		rc = fs_fail(err, FS_EIO, "rejects", "cannot write the rejected rows to the rejects file (%s); nothing was "
			     "imported", errno ? strerror(errno) : "write error");
	if (!rc && o->dry_run) {
		fs_tx_end(ctx, FS_EINVAL, NULL); /* roll back */
	} else {
		rc = fs_tx_end(ctx, rc, err);
	}
	for (size_t c = 0; c < m.ncols; c++)
		free(m.header[c]);
	fs_buf_done(&m.reasons);
	fs_buf_done(&m.sample);
	fs_csv_free(csv);
	fs_textin_free(tin);
	if (rc && rc != FS_EINVAL) {
		rep->inserted = rep->updated = rep->unchanged = 0;
		rep->employments_inserted = rep->employments_updated = 0;
	}
	if (rc == FS_EINVAL && !o->skip_invalid) {
		rep->inserted = rep->updated = rep->unchanged = 0;
		rep->employments_inserted = rep->employments_updated = 0;
	}
	return rc;
}

void fs_import_report_done(struct fs_import_report *rep)
{
	free(rep->errors);
	rep->errors = NULL;
}
