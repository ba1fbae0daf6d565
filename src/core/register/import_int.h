/* import_int.h - what the import's files share (import.c reads the file and
 * reports; import_rows.c checks and stores a row; import_chunks.c hands chunks of
 * rows to the worker thread and back): the import's state, a chunk of rows and
 * the pipeline of two chunks. Inside src/core/register only. */
#ifndef FS_IMPORT_INT_H
#define FS_IMPORT_INT_H

#include "internal.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>

#include "util/csv.h"
#include "util/handoff.h"
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
	struct fs_handoff pipe;
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

/* import_rows.c: a row's problem reported (with its line), or noted by the worker for
 * the main thread to report; a sample of undecodable bytes; a cell's text checks */
void imp_row_error(struct imp *m, int column, const char *field, const char *msg);
void imp_note(struct imp *m, struct chunk *k, struct rowjob *j, int column, const char *field, const char *msg);
void imp_sample_add(struct imp *m, const char *s, size_t n);
const char *imp_bad_text(const char *s, size_t n, char *msg, size_t msgsz);
const char *imp_cell_value(const struct fs_csv_field *c);

/* import_rows.c: a row checked (on the worker when there is one), a row stored
 * (on the main thread, in the file's order) */
void imp_check_row(struct imp *m, struct chunk *k, struct rowjob *j, const struct fs_csv_field *cells);
int imp_take_row(struct imp *m, struct chunk *k, struct rowjob *j, struct fs_error *err);

/* import_chunks.c: the pipeline begun (the worker started when worth it), a row
 * added to the chunk being filled, the chunk handed over (last: the rows read
 * so far, all stored), the worker stopped and everything freed */
int imp_pipe_begin(struct pipeline *pl, struct imp *m, int bulk, struct fs_error *err);
int imp_chunk_add(struct imp *m, struct chunk *k, long line, const struct fs_csv_field *cells, size_t n);
int imp_pipe_flush(struct pipeline *pl, int last, struct fs_error *err);
void imp_pipe_end(struct pipeline *pl);

#endif
