/* store.h - the storage interface: one const vtable per backend, and the portable
 * row, query and journal operations built on it.
 *
 * Backends (store_sqlite.c today; a libpq one later) implement struct fs_store_ops:
 * transactions, prepared statements with :named parameters, typed columns, backup
 * and a self-check. Everything above the vtable - the generated INSERT/UPDATE/SELECT
 * for a table descriptor, the filtered list queries, the journal queries - is
 * portable SQL in rows.c, shared by every backend. Domain code (src/core) never
 * writes SQL: it passes table descriptors and filters.
 *
 * Statements returned by prepare() are owned by the store's cache: call release()
 * when done (it resets the statement and returns it to the cache). */
#ifndef FS_STORE_H
#define FS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/error.h"

struct fs_store; /* backend-specific; begins with a pointer to its ops */
struct fs_stmt;

enum fs_vtype { FS_VNULL = 0, FS_VINT = 1, FS_VTEXT = 2, FS_VBLOB = 3 };

/* A typed value. p/n describe text (not NUL-counted) or blob bytes. Values read
 * from a statement are valid until the next step/release. */
struct fs_value {
	enum fs_vtype type;
	int64_t i;
	const void *p;
	size_t n;
};

static inline struct fs_value fs_vnull(void) { return (struct fs_value){FS_VNULL, 0, NULL, 0}; }
static inline struct fs_value fs_vint(int64_t i) { return (struct fs_value){FS_VINT, i, NULL, 0}; }
struct fs_value fs_vtext(const char *s); /* NULL gives FS_VNULL */
static inline struct fs_value fs_vblob(const void *p, size_t n) { return (struct fs_value){FS_VBLOB, 0, p, n}; }

enum {
	FS_OPEN_CREATE = 1,   /* create the database file if missing */
	FS_OPEN_READONLY = 2,
	FS_OPEN_ASIS = 4,     /* with READONLY: an older schema is left as it is */
	FS_OPEN_SHARED = 8,   /* one of many connections of this process (a server): never takes the file alone */
};

struct fs_store_ops {
	const char *name;
	int (*open)(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err);
	void (*close)(struct fs_store *st);
	/* Write transaction: one writer at a time (waits up to the busy timeout). */
	int (*begin)(struct fs_store *st, struct fs_error *err);
	/* A write transaction of one organization's records (org > 0) and the
	 * installation's shared rows: writers of other organizations need not wait for
	 * it (PostgreSQL). org 0: the whole installation, as begin. NULL: use begin. */
	int (*begin_org)(struct fs_store *st, int64_t org, struct fs_error *err);
	/* A read transaction: one consistent snapshot for several reads. */
	int (*begin_read)(struct fs_store *st, struct fs_error *err);
	int (*commit)(struct fs_store *st, struct fs_error *err);
	void (*rollback)(struct fs_store *st);
	int (*prepare)(struct fs_store *st, const char *sql, struct fs_stmt **ret, struct fs_error *err);
	int (*bind)(struct fs_stmt *s, const char *name, const struct fs_value *v, struct fs_error *err);
	/* The pos-th parameter (1-based, in the order of the SQL's text): for a
	 * statement of many rows (fs_store_insert_rows). NULL: the backend binds by
	 * name only, and such rows go one statement each. */
	int (*bind_at)(struct fs_stmt *s, int pos, const struct fs_value *v, struct fs_error *err);
	/* 1 = a row, 0 = done, <0 = error. Constraint failures give FS_ECONFLICT. */
	int (*step)(struct fs_stmt *s, struct fs_error *err);
	int (*ncolumns)(struct fs_stmt *s);
	void (*column)(struct fs_stmt *s, int i, struct fs_value *out);
	void (*release)(struct fs_stmt *s);
	/* A statement its caller keeps (fs_store_insert_rows: one per shape of
	 * rows), prepared once and not looked up by its text again: keep prepares
	 * it outside the cache of statements by text; rewind, after each use, sets
	 * it back to its start with its values left bound (the caller binds every
	 * parameter again before the next step); drop finalizes it (before the
	 * store closes). NULL: prepare and release each time. */
	int (*keep)(struct fs_store *st, const char *sql, struct fs_stmt **ret, struct fs_error *err);
	void (*rewind)(struct fs_stmt *s);
	void (*drop)(struct fs_stmt *s);
	int64_t (*last_insert_id)(struct fs_store *st);
	int64_t (*changes)(struct fs_store *st);
	/* A number that changes whenever another connection has changed the data
	 * (for caches that must not outlive a change). */
	int64_t (*data_version)(struct fs_store *st);
	int (*backup)(struct fs_store *st, const char *dest_path, struct fs_error *err);
	/* Physical and referential self-check; problems appended to report, one per line. */
	int (*check)(struct fs_store *st, struct fs_buf *report, struct fs_error *err);
	/* The file's structure only (a fresh copy: pages, b-trees, free list), in
	 * linear time; problems appended as by check. */
	int (*check_quick)(struct fs_store *st, struct fs_buf *report, struct fs_error *err);
	/* Names of the columns of a table, in order, appended NUL-separated. */
	int (*table_columns)(struct fs_store *st, const char *table, struct fs_buf *out, struct fs_error *err);
	/* Names of the application's tables (not the engine's own), NUL-separated. */
	int (*table_names)(struct fs_store *st, struct fs_buf *out, struct fs_error *err);
	/* A new key for table's integer key column, taken before the insert (which
	 * then names it: fs_store_insert_id). PostgreSQL: the table's sequence, so
	 * that writers of different organizations need not queue for "the highest
	 * plus one" (numbers of a rolled-back transaction are not reused: gaps). NULL:
	 * the highest plus one (SQLite, one writer at a time). */
	int (*next_id)(struct fs_store *st, const char *table, int64_t *id, struct fs_error *err);
	/* In a write transaction of one organization, before it reads then writes
	 * what is not that organization's alone: another log's chain (what >= 0: the
	 * log of organization what, 0 the system's) or the installation's party keys
	 * (-1). Other writers of the same thing wait until the commit. NULL: the
	 * backend has one writer at a time. */
	int (*lock_shared)(struct fs_store *st, int64_t what, struct fs_error *err);
	/* After rows were copied in with their ids (fs_store_copy): the next ids go
	 * past them. NULL: nothing to do (the highest plus one). */
	int (*ids_reset)(struct fs_store *st, struct fs_error *err);
	/* Outside a transaction: the connection's foreign-key checks off (on = 0)
	 * or back on, for a bulk write whose every reference is known good (claims
	 * compute: the rows it reads in the same transaction). NULL: the backend
	 * keeps them on. */
	int (*foreign_keys)(struct fs_store *st, int on, struct fs_error *err);
	/* Outside a transaction, around a bulk write (on = 1 before its transaction
	 * begins, 0 after it ended): SQLite writes it through the rollback journal
	 * when no other connection has the file open, each page once instead of
	 * twice (WAL and checkpoint). Best effort: nothing changes when it cannot.
	 * NULL: nothing. */
	void (*bulk)(struct fs_store *st, int on);
	/* After a commit that destroyed secrets in table (forget): the old versions
	 * of its rows, which the engine may keep, rewritten away (PostgreSQL: VACUUM
	 * FULL, the table locked while it runs). Outside a transaction. NULL: none
	 * are kept (SQLite with secure_delete on; its WAL is checkpointed). */
	int (*purge)(struct fs_store *st, const char *table, struct fs_error *err);
	/* Around one pass over many rows, each read once (fs_query.scan): on = 1
	 * before, 0 after. SQLite reads it through a small page cache, which stays
	 * in the processor's cache, instead of filling the large one. For reads: in
	 * a write transaction its changed pages would spill early. NULL: nothing. */
	void (*scan)(struct fs_store *st, int on);
	/* 1 when the connection holds no transaction and no statement is part way
	 * through its rows (a server's context between two requests must be so: an
	 * open read would answer every later request from its old snapshot). */
	int (*idle)(struct fs_store *st);
	int schema_version; /* the newest schema this backend knows */
};

struct fs_sql_cache;
struct fs_table;

struct fs_store {
	const struct fs_store_ops *ops;
	struct fs_sql_cache *sql_cache; /* generated SQL per table (rows.c) */
	/* Called on every whole row read (not raw) before it is handed out: the core
	 * opens restricted text sealed at rest. Values it sets live in scratch. */
	int (*open_row)(void *ud, const struct fs_table *t, struct fs_value *vals, struct fs_buf *scratch);
	void *open_row_ud;
	/* > 0: the changes run now may fail and the caller goes on with the
	 * transaction (an insert tried first, its conflict then handled): set by
	 * fs_store_may_fail. Any other change that fails fails its transaction, as
	 * the core's callers expect (PostgreSQL: only these run in a savepoint). */
	int may_fail;
};

/* Around changes whose failure the caller handles and then goes on in the same
 * transaction: fs_store_may_fail(st, 1) before, (st, 0) after. */
static inline void fs_store_may_fail(struct fs_store *st, int on)
{
	st->may_fail += on ? 1 : -1;
}

extern const struct fs_store_ops fs_store_sqlite;
extern const struct fs_store_ops fs_store_pg;

/* Open by name: "postgres://..." or "postgresql://..." (a libpq URI) selects
 * PostgreSQL (store_pg.c); anything else is a SQLite file path. */
int fs_store_open(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err);
void fs_store_close(struct fs_store *st);
/* Is this database name a server's (PostgreSQL), not a file? */
int fs_store_is_server(const char *path);
/* Copy every row of every table of from into to (both of this fairshare's
 * schema; to must be empty), ids and hashes as they are, in one transaction of
 * to; from is read as it is (the caller holds a snapshot when it needs one). */
int fs_store_copy(struct fs_store *from, struct fs_store *to, struct fs_error *err);

/* A backup's destination: a new file, or an empty one (a locked temporary),
 * made private (0600) whatever the umask; never a link followed. Each
 * backend's backup starts with it. */
int fs_store_backup_file(const char *dest_path, struct fs_error *err);

/* ---- table descriptors and rows (rows.c) ---- */

struct fs_column {
	const char *name;
	enum fs_vtype type;
};

/* cols[0] must be the INTEGER primary key "id". */
struct fs_table {
	const char *name;
	const struct fs_column *cols;
	size_t ncols;
};

/* A row with owned storage: vals[i] is column i of its table. */
struct fs_row {
	const struct fs_table *table;
	struct fs_value *vals;
	char *arena;
};
void fs_row_free(struct fs_row *r);
int fs_row_copy(struct fs_row *dst, const struct fs_table *t, const struct fs_value *vals);
int64_t fs_row_id(const struct fs_row *r);
int fs_table_col(const struct fs_table *t, const char *name); /* index or -1 */

/* Insert vals[1..]; vals[0] (id) is ignored and the new id returned. */
int fs_store_insert(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals,
		    int64_t *ret_id, struct fs_error *err);
/* As insert, unless a row with the same value of one of the table's unique keys
 * exists: then nothing is written and *ret_id is 0 (one probe of the key's index
 * instead of a select before the insert). */
int fs_store_insert_new(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals, int64_t *ret_id,
			struct fs_error *err);
/* Insert n rows at once, all or none: rows[r * t->ncols + 1 ..] of row r (its
 * [0], the key, is ignored); ids[r] the key row r got, in order (with bind_at:
 * one INSERT of all the rows, each key NULL so that SQLite gives it the highest
 * plus one - t's key must be its rowid, INTEGER PRIMARY KEY, as every table's
 * is - and its statement kept per shape; else one insert each). FS_ECONFLICT
 * when a row would break a unique key: then no row of them is written.
 * FS_ESTORE when a statement stored fewer rows than given (a trigger ignoring
 * one): the caller's transaction must not commit. n <= FS_STORE_ROWS_MAX. */
#define FS_STORE_ROWS_MAX 64
int fs_store_insert_rows(struct fs_store *st, const struct fs_table *t, const struct fs_value *rows, size_t n, int64_t *ids,
			 struct fs_error *err);
/* Insert vals[0..]: the key as given (taken before by fs_store_next_id). */
int fs_store_insert_id(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals, struct fs_error *err);
/* The key the next insert into t gets: the backend's next_id, else the highest plus one. */
int fs_store_next_id(struct fs_store *st, const struct fs_table *t, int64_t *id, struct fs_error *err);
int fs_store_update(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals,
		    struct fs_error *err);
/* Insert or replace the row whose key is vals[0] (for derived tables). */
int fs_store_put(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals, struct fs_error *err);
int fs_store_delete(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_error *err);
/* FS_ENOTFOUND when there is no such row. r must be freed with fs_row_free. */
int fs_store_get(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_row *r,
		 struct fs_error *err);
/* The row as stored (no open_row hook). */
int fs_store_get_raw(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_row *r,
		     struct fs_error *err);

enum fs_filter_op { FS_EQ, FS_GE, FS_LE, FS_CONTAINS /* substring of a folded column */ };

struct fs_filter {
	const char *column;
	enum fs_filter_op op;
	struct fs_value value;
};

struct fs_query {
	const struct fs_table *table;
	const struct fs_filter *filters;
	size_t nfilters;
	const char *order_by; /* a column of table; NULL = id */
	const char *then_by;  /* optional second key */
	int descending;
	int64_t limit;        /* <= 0: no limit */
	int64_t offset;
	const char *const *columns; /* only these, in this order (NULL = every column) */
	size_t ncolumns;
	int raw; /* the row as stored: restricted text stays sealed (verify, migrations) */
	int scan; /* one pass over many rows, each read once (the watch): see fs_store_ops.scan */
};

/* Calls cb for each row (values valid during the call); cb returns nonzero to stop. */
typedef int (*fs_row_cb)(void *ud, const struct fs_value *vals);
int fs_store_select(struct fs_store *st, const struct fs_query *q, fs_row_cb cb, void *ud,
		    struct fs_error *err);
int fs_store_count(struct fs_store *st, const struct fs_query *q, int64_t *ret, struct fs_error *err);

/* ---- the meta table ---- */
int fs_store_meta_get(struct fs_store *st, const char *key, struct fs_buf *out, struct fs_error *err);
int fs_store_meta_set(struct fs_store *st, const char *key, const char *value, struct fs_error *err);

/* ---- the journal table (its descriptor; entries are ordinary rows) ---- */
enum {
	FS_J_SEQ, FS_J_TS, FS_J_ACTOR, FS_J_ACTION, FS_J_ENTITY, FS_J_ENTITY_ID, FS_J_ORG_ID,
	FS_J_PERSON_ID, FS_J_BEFORE, FS_J_AFTER, FS_J_ROW_HASH, FS_J_PREV_HASH, FS_J_HASH, FS_J_NCOLS
};
extern const struct fs_table fs_journal_table;
/* The newest entry (seq and hash); *ret_seq = 0 when the journal is empty. */
int fs_store_journal_head(struct fs_store *st, int64_t *ret_seq, unsigned char hash[32],
			  struct fs_error *err);

#endif
