/* store_sqlite.c - the embedded SQLite backend of the store interface.
 *
 * One file, WAL, foreign keys on, STRICT tables, a busy timeout, one writer
 * (BEGIN IMMEDIATE). Prepared statements are cached by SQL text. */
#include "store.h"
#include "schema_sqlite.h"
#include "../util/private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_SLOTS 256
#define BUSY_TIMEOUT_MS 10000

/* the index of the k-th parameter a statement's user binds, by name, as found
 * on the last use: rows bind the same names in the same order every time, and
 * sqlite3_bind_parameter_index scans every name of the statement (a tenth of a
 * ledger batch's instructions) */
#define BIND_MEMO 40
struct bind_memo {
	char name[32];
	int idx;
};

struct fs_stmt {
	sqlite3_stmt *s;
	struct sqlite_store *st;
	char *sql;
	int in_use;
	int cached;
	int nbind; /* bind calls since the statement was prepared or released */
	struct bind_memo memo[BIND_MEMO];
};

/* A connection's page cache and, read-only, its file map: set at open, and put
 * back by sq_scan after a one-pass scan. */
#define CACHE_PRAGMA "PRAGMA cache_size = -32768" /* 32 MiB */
#define MMAP_PRAGMA "PRAGMA mmap_size = 1073741824"
#define STMTJRNL_SPILL (4 << 20) /* bytes */

struct sqlite_store {
	struct fs_store base;
	sqlite3 *db;
	struct fs_stmt *cache[CACHE_SLOTS];
	int mapped; /* opened with the file mapped (read-only): sq_scan maps it back */
	unsigned lent; /* statements prepared and not yet released (sq_idle) */
	int shared;    /* one of a server's connections: never takes the file alone (sq_bulk) */
	int alone;     /* in the rollback journal for a bulk write (sq_bulk) */
	int wb_fd;     /* while alone: SQLite's own descriptor of the file, to send its pages to disk (writeback) */
	int64_t wb_at; /* when writeback last ran (CLOCK_MONOTONIC_COARSE, ns) */
};

static int db_fail(struct sqlite_store *st, struct fs_error *err, int code, const char *what)
{
	return fs_fail(err, code, NULL, "%s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(struct sqlite_store *st, const char *sql, struct fs_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int busy = sqlite3_errcode(st->db) == SQLITE_BUSY;
		int rc = fs_fail(err, FS_ESTORE, NULL, "%s", busy ? "the database is busy (another writer); try again" : (msg ? msg : "database error"));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int user_version(struct sqlite_store *st, int *ret)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return FS_ESTORE;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : FS_ESTORE;
}

static int migrate(struct sqlite_store *st, unsigned flags, struct fs_error *err)
{
	int v = 0;
	if (user_version(st, &v))
		return db_fail(st, err, FS_ESTORE, "cannot read the schema version");
	if (v > FS_SQLITE_SCHEMA_VERSION)
		return fs_fail(err, FS_EVERSION, NULL,
			       "this database was written by a newer fairshare (schema %d; this program "
			       "knows schemas up to %d): upgrade fairshare to open it", v, FS_SQLITE_SCHEMA_VERSION);
	if (v == FS_SQLITE_SCHEMA_VERSION || (flags & FS_OPEN_ASIS))
		return 0;
	if (v == 0 && !(flags & FS_OPEN_CREATE)) /* an SQLite file, but not one of ours: leave it alone */
		return fs_fail(err, FS_EINVAL, "db", "this file is not a fairshare database (no fairshare schema in it); "
			       "create one with 'fairshare init'");
	if (flags & FS_OPEN_READONLY)
		return fs_fail(err, FS_EVERSION, NULL,
			       "this database has schema %d and needs migrating to %d; open it writable once",
			       v, FS_SQLITE_SCHEMA_VERSION);
	int rc = exec(st, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	for (int i = v; i < FS_SQLITE_SCHEMA_VERSION; i++) {
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", i + 1);
		if ((rc = exec(st, fs_sqlite_migrations[i], err)) || (rc = exec(st, pragma, err))) {
			exec(st, "ROLLBACK", NULL);
			return rc;
		}
	}
	return exec(st, "COMMIT", err);
}

static void sq_close(struct fs_store *base)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	if (!st)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (st->cache[i]) {
			sqlite3_finalize(st->cache[i]->s);
			free(st->cache[i]->sql);
			free(st->cache[i]);
		}
	}
	sqlite3_close_v2(st->db);
	free(st);
}

static int sq_open_once(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err);

static void sqlite_config_once(void)
{
	/* no global memory statistics: they take a mutex on every allocation */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* a statement journal (the pages a multi-row INSERT inside a transaction
	 * changes, kept to undo that statement alone) stays in memory up to this
	 * size, not 64 KiB: the bulk inserts wrote one to a temporary file for
	 * nearly every statement, two pwrite calls a page */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMTJRNL_SPILL);
}

static int sq_open(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_config_once);
	int rc = sq_open_once(path, flags, ret, err);
	if (rc == FS_EVERSION && (flags & FS_OPEN_READONLY) && err && strstr(err->message, "needs migrating")) {
		/* an older database opened for reading: migrate it once, then read */
		struct fs_store *rw;
		if ((rc = sq_open_once(path, flags & ~(unsigned)FS_OPEN_READONLY, &rw, err)))
			return rc;
		sq_close(rw);
		rc = sq_open_once(path, flags, ret, err);
	}
	return rc;
}

static int sq_open_once(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (!(flags & FS_OPEN_CREATE) && !exists)
		return fs_fail(err, FS_ENOTFOUND, NULL,
			       "no database at %s: create one with 'fairshare init' (or 'fairshare demo')", path);
	if (exists && S_ISDIR(sb.st_mode))
		return fs_fail(err, FS_EINVAL, "db", "%s is a directory, not a database file; name the file (e.g. %s/fairshare.db)",
			       path, path);
	if (exists && !S_ISREG(sb.st_mode))
		return fs_fail(err, FS_EINVAL, "db", "%s is not a regular file (a device, pipe or socket); name a database file",
			       path);
	if (exists && sb.st_size == 0 && !(flags & FS_OPEN_CREATE)) /* never made into one by a read */
		return fs_fail(err, FS_EINVAL, "db", "%s is empty: not a fairshare database; create one with 'fairshare init'",
			       path);
	struct sqlite_store *st = calloc(1, sizeof(*st));
	if (!st)
		return FS_ENOMEM;
	st->base.ops = &fs_store_sqlite;
	st->wb_fd = -1;
	st->shared = (flags & (FS_OPEN_SHARED | FS_OPEN_READONLY)) != 0;
	int oflags = (flags & FS_OPEN_READONLY) ? SQLITE_OPEN_READONLY
						: SQLITE_OPEN_READWRITE | ((flags & FS_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	/* a new database is created 0600 here, not 0644 by SQLite: its WAL and
	 * shared-memory files take the database file's mode */
	int pre = (flags & FS_OPEN_CREATE) ? fs_private_create(path, 1) : -1;
	if (pre >= 0)
		close(pre);
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int rc = fs_fail(err, FS_ESTORE, NULL, "cannot open database %s: %s", path,
				 st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sq_close(&st->base);
		return rc;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (!(flags & FS_OPEN_READONLY) && sqlite3_db_readonly(st->db, "main") == 1) {
		sq_close(&st->base);
		return fs_fail(err, FS_EPERM, "db", "the database %s is read-only for this user: it can be read but not changed "
			       "(check the permissions of the file and its folder)", path);
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	int rc = exec(st, "PRAGMA foreign_keys = ON", err);
	/* a new database's pages (8 KiB, not SQLite's 4): half the writes of a bulk
	 * insert, each a system call; set before its first table, a no-op after */
	if (!rc && (flags & FS_OPEN_CREATE))
		rc = exec(st, "PRAGMA page_size = 8192", err);
	if (!rc && !(flags & FS_OPEN_READONLY) &&
	    (rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", err)) &&
	    sqlite3_errcode(st->db) == SQLITE_BUSY) /* sq_bulk's rollback journal, held by another process */
		rc = fs_fail(err, FS_ESTORE, "db", "the database %s is held by a bulk write of another fairshare process "
			     "(an import or a claims compute, run while nothing else had it open); try again when it ends",
			     path);
	if (!rc)
		rc = exec(st, CACHE_PRAGMA, err);
	if (!rc && (flags & FS_OPEN_READONLY))
		rc = exec(st, MMAP_PRAGMA, err); /* reports read through the page cache */
	st->mapped = !rc && (flags & FS_OPEN_READONLY);
	if (!rc) {
		/* A file that is not SQLite fails here with a clear message. */
		rc = migrate(st, flags, err);
	}
	if (rc && (flags & FS_OPEN_READONLY) && (sqlite3_extended_errcode(st->db) & 0xFF) == SQLITE_READONLY)
		/* a WAL database: a reader creates DB-shm and DB-wal beside it */
		rc = fs_fail(err, FS_EPERM, "db", "cannot read %s: a reader must be able to create %s-wal and %s-shm beside it, "
			     "and this user may not write that folder (run as the database's owner, or let this user write "
			     "the folder)", path, path, path);
	if (rc) {
		sq_close(&st->base);
		return rc;
	}
	*ret = &st->base;
	return 0;
}

static int sq_prepare(struct fs_store *base, const char *sql, struct fs_stmt **ret, struct fs_error *err);
static void sq_release(struct fs_stmt *s);

/* Transaction control runs on every request: prepared once, not parsed each time. */
static int exec_cached(struct sqlite_store *st, const char *sql, struct fs_error *err)
{
	struct fs_stmt *s;
	if (sq_prepare(&st->base, sql, &s, NULL))
		return exec(st, sql, err);
	int rc = sqlite3_step(s->s);
	sq_release(s);
	if (rc == SQLITE_DONE)
		return 0;
	return fs_fail(err, FS_ESTORE, NULL, "%s", (rc & 0xff) == SQLITE_BUSY ? "the database is busy (another writer); try again"
										 : sqlite3_errmsg(st->db));
}

static int sq_begin(struct fs_store *base, struct fs_error *err)
{
	return exec_cached((struct sqlite_store *)base, "BEGIN IMMEDIATE", err);
}

static int sq_begin_read(struct fs_store *base, struct fs_error *err)
{
	return exec_cached((struct sqlite_store *)base, "BEGIN DEFERRED", err);
}

static int sq_commit(struct fs_store *base, struct fs_error *err)
{
	return exec_cached((struct sqlite_store *)base, "COMMIT", err);
}

static void sq_rollback(struct fs_store *base)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	if (!sqlite3_get_autocommit(st->db))
		exec_cached(st, "ROLLBACK", NULL);
}

/* The statement cache's slot of a query: runs on every statement of every row,
 * so 8 bytes a step (the byte-at-a-time FNV-1a was 5 % of a bulk import). */
static unsigned hash_str(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	for (; n >= 8; n -= 8, s += 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	for (; n; n--, s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h ^= h >> 32;
	return (unsigned)h;
}

/* A statement of sql prepared to be kept (the cache's, or the caller's: sq_keep). */
static int stmt_new(struct sqlite_store *st, const char *sql, struct fs_stmt **ret, struct fs_error *err)
{
	struct fs_stmt *s = calloc(1, sizeof(*s));
	if (!s)
		return FS_ENOMEM;
	s->st = st;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->s, NULL) != SQLITE_OK) {
		free(s);
		return db_fail(st, err, FS_ESTORE, "cannot prepare a query");
	}
	*ret = s;
	return 0;
}

static int sq_prepare(struct fs_store *base, const char *sql, struct fs_stmt **ret, struct fs_error *err)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	unsigned slot = hash_str(sql) % CACHE_SLOTS;
	struct fs_stmt *c = st->cache[slot];
	if (c && !c->in_use && strcmp(c->sql, sql) == 0) {
		c->in_use = 1;
		st->lent++;
		*ret = c;
		return 0;
	}
	struct fs_stmt *s = NULL;
	int prc = stmt_new(st, sql, &s, err);
	if (prc)
		return prc;
	s->in_use = 1;
	st->lent++;
	if (!c) {
		s->sql = strdup(sql);
		if (s->sql) {
			s->cached = 1;
			st->cache[slot] = s;
		}
	}
	*ret = s;
	return 0;
}

/* A one-pass scan reads each page once: not through the file's map (a page
 * fault for every page touched first, scattered over the file) and through 512
 * KiB of page cache, which stays in the processor's cache, rather than 32 MiB
 * of fresh memory: the watch over 1,000,000 workers takes about half the CPU
 * time. (SQLite leaves the map as it is while pages of it are in use.) */
static void sq_scan(struct fs_store *base, int on)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	if (on)
		exec(st, st->mapped ? "PRAGMA mmap_size = 0; PRAGMA cache_size = -512" : "PRAGMA cache_size = -512", NULL);
	else
		exec(st, st->mapped ? MMAP_PRAGMA "; " CACHE_PRAGMA : CACHE_PRAGMA, NULL);
}

/* PRAGMA journal_mode's answer: the mode the connection is in after it */
static int journal_mode_cb(void *p, int n, char **vals, char **names)
{
	(void)names;
	if (n == 1 && vals[0])
		*(int *)p = strcmp(vals[0], "delete") == 0;
	return 0;
}

/* A bulk write alone on the file: in WAL mode every page it writes is written
 * twice, to the WAL and then by the checkpoint into the database; in the
 * rollback journal a page new to the file is written once and only the pages
 * that held data before are copied to the journal (a claims compute for
 * 1,000,000 workers wrote 3.5 GB, now 1.8 GB). Crash-safe all the same
 * (synchronous = FULL; a hot journal is rolled back by the next open). SQLite
 * changes the mode only when no other connection has the file open (it fails at
 * once, without waiting, else): with a server or a reader open the write stays
 * in WAL. A server's connections never try (FS_OPEN_SHARED): one of them alone
 * would shut its own later connections out. While the bulk write runs, another
 * process that opens the file waits for it (busy timeout), as a writer does in
 * WAL mode; a reader does too, unlike in WAL mode. After it: WAL again. */
/* The descriptor this process has open on path (SQLite's own: while a bulk
 * write holds the file, no other connection has it open), -1 when none is
 * found. Not a descriptor of our own: closing any descriptor of a file drops
 * every POSIX lock the process holds on it, SQLite's included. */
static int open_fd_of(const char *path)
{
	struct stat want, sb;
	DIR *d = stat(path, &want) == 0 ? opendir("/proc/self/fd") : NULL;
	if (!d)
		return -1;
	int found = -1;
	struct dirent *e;
	while (found < 0 && (e = readdir(d))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end || end == e->d_name || fd == dirfd(d))
			continue;
		if (fstat((int)fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == want.st_dev && sb.st_ino == want.st_ino)
			found = (int)fd;
	}
	closedir(d);
	return found;
}

static void sq_bulk(struct fs_store *base, int on)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	if (on && !st->shared && !st->alone && sqlite3_get_autocommit(st->db)) {
		int deleted = 0;
		if (sqlite3_exec(st->db, "PRAGMA journal_mode = DELETE", journal_mode_cb, &deleted, NULL) == SQLITE_OK)
			st->alone = deleted;
		const char *path = st->alone ? sqlite3_db_filename(st->db, "main") : NULL;
		st->wb_fd = path && *path ? open_fd_of(path) : -1; /* -1: no writeback, nothing else changes */
		st->wb_at = 0;
	} else if (!on && st->alone && sqlite3_get_autocommit(st->db)) {
		st->wb_fd = -1; /* SQLite's: never closed here */
		st->alone = 0;
		/* on failure the next open puts it back */
		sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	}
}

/* clm16: a bulk write's foreign-key checks off (no-op inside a transaction:
 * SQLite's rule; the caller asks before it begins). */
static int sq_foreign_keys(struct fs_store *base, int on, struct fs_error *err)
{
	return exec((struct sqlite_store *)base, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", err);
}

static int sq_bind_at(struct fs_stmt *s, int idx, const struct fs_value *v, struct fs_error *err)
{
	int rc;
	switch (v->type) {
	case FS_VINT: rc = sqlite3_bind_int64(s->s, idx, v->i); break;
	case FS_VTEXT: rc = sqlite3_bind_text(s->s, idx, v->p, (int)v->n, SQLITE_STATIC); break;
	case FS_VBLOB: rc = sqlite3_bind_blob(s->s, idx, v->p ? v->p : "", (int)v->n, SQLITE_STATIC); break;
	default: rc = sqlite3_bind_null(s->s, idx); break;
	}
	return rc == SQLITE_OK ? 0 : db_fail(s->st, err, FS_ESTORE, "cannot bind a value");
}

static int sq_bind(struct fs_stmt *s, const char *name, const struct fs_value *v, struct fs_error *err)
{
	int k = s->nbind++, idx;
	struct bind_memo *m = k < BIND_MEMO ? &s->memo[k] : NULL;
	if (m && m->idx && strcmp(m->name + 1, name) == 0) { /* the name as memoized, after its ':' */
		idx = m->idx;
	} else {
		char pname[80];
		size_t len = strlen(name);
		if (len + 2 > sizeof(pname))
			return fs_fail(err, FS_ESTORE, NULL, "parameter name too long");
		pname[0] = ':';
		memcpy(pname + 1, name, len + 1);
		idx = sqlite3_bind_parameter_index(s->s, pname);
		if (idx == 0)
			return fs_fail(err, FS_ESTORE, name, "query has no parameter %s", pname);
		if (m && len + 2 <= sizeof(m->name)) {
			memcpy(m->name, pname, len + 2);
			m->idx = idx;
		}
	}
	return sq_bind_at(s, idx, v, err);
}

/* While a bulk write holds the file alone, the pages it has written are sent
 * to the disk as it goes: every WRITEBACK_NS, sync_file_range (on SQLite's own
 * descriptor of the file, open_fd_of) starts writing
 * the file's changed pages and returns without waiting for them. The commit's
 * fsync then finds little left to write (it took 0.9 s at the end of a 5 s
 * claims compute for 1,000,000 workers), and the disk works while the compute
 * does. What a crash leaves is the same: SQLite writes a page into the file
 * only after syncing the journal that undoes it, and the kernel may write a
 * written page back at any moment anyway; this only makes the moment sooner. */
#define WRITEBACK_NS 100000000LL /* 100 ms: some 20 MB of a bulk write */

static void writeback(struct sqlite_store *st)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	if (now - st->wb_at < WRITEBACK_NS)
		return;
	st->wb_at = now;
	sync_file_range(st->wb_fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* a hint: a failure changes nothing */
}

static int sq_step(struct fs_stmt *s, struct fs_error *err)
{
	int rc = sqlite3_step(s->s);
	if (s->st->wb_fd >= 0)
		writeback(s->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		const char *what = "a constraint";
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			what = "a reference (the record is still used elsewhere, or refers to a missing one)";
		else if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			what = "uniqueness (such a record exists already)";
		return fs_fail(err, FS_ECONFLICT, NULL, "the change would break %s", what);
	}
	if ((rc & 0xff) == SQLITE_BUSY)
		return fs_fail(err, FS_ESTORE, NULL, "the database is busy (another writer); try again");
	return db_fail(s->st, err, FS_ESTORE, "database error");
}

static int sq_ncolumns(struct fs_stmt *s)
{
	return sqlite3_column_count(s->s);
}

/* One sqlite3_column_value per column, then the value's own accessors: each
 * sqlite3_column_* call enters and leaves the connection's API once more. The
 * connection is opened NOMUTEX and used by one thread at a time, so reading the
 * (unprotected) value directly is safe. */
static void sq_column(struct fs_stmt *s, int i, struct fs_value *out)
{
	sqlite3_value *v = sqlite3_column_value(s->s, i);
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		*out = fs_vint(sqlite3_value_int64(v));
		break;
	case SQLITE_TEXT:
		out->type = FS_VTEXT;
		out->p = sqlite3_value_text(v);
		out->n = (size_t)sqlite3_value_bytes(v);
		out->i = 0;
		break;
	case SQLITE_BLOB:
		out->type = FS_VBLOB;
		out->p = sqlite3_value_blob(v);
		out->n = (size_t)sqlite3_value_bytes(v);
		out->i = 0;
		break;
	default:
		*out = fs_vnull();
		break;
	}
}

static void sq_release(struct fs_stmt *s)
{
	if (!s)
		return;
	sqlite3_reset(s->s);
	sqlite3_clear_bindings(s->s);
	s->nbind = 0;
	s->st->lent--;
	if (s->cached) {
		s->in_use = 0;
		return;
	}
	sqlite3_finalize(s->s);
	free(s);
}

/* led27: a kept statement (store.h's keep) is not in the cache by text, so its
 * caller finds it without hashing and comparing its text (8 KB for a group of
 * 64 transfers); rewound with sqlite3_reset alone: its caller binds every
 * parameter again, so clearing the bindings first (about 500 of a group's
 * statement) would be done for nothing. */
static int sq_keep(struct fs_store *base, const char *sql, struct fs_stmt **ret, struct fs_error *err)
{
	return stmt_new((struct sqlite_store *)base, sql, ret, err);
}

static void sq_rewind(struct fs_stmt *s)
{
	sqlite3_reset(s->s);
}

static void sq_drop(struct fs_stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->s);
	free(s);
}

static int64_t sq_last_insert_id(struct fs_store *base)
{
	return sqlite3_last_insert_rowid(((struct sqlite_store *)base)->db);
}

static int64_t sq_changes(struct fs_store *base)
{
	return sqlite3_changes64(((struct sqlite_store *)base)->db);
}

static int sq_idle(struct fs_store *base)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	return !st->lent && sqlite3_get_autocommit(st->db);
}

static int64_t sq_data_version(struct fs_store *base)
{
	struct fs_stmt *s;
	int64_t v = -1;
	if (sq_prepare(base, "PRAGMA data_version", &s, NULL))
		return -1;
	if (sqlite3_step(s->s) == SQLITE_ROW)
		v = sqlite3_column_int64(s->s, 0);
	sq_release(s);
	return v;
}

static int sq_backup(struct fs_store *base, const char *dest_path, struct fs_error *err)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	/* a new file or an empty one (a locked temporary), 0600 */
	int rc0 = fs_store_backup_file(dest_path, err);
	if (rc0)
		return rc0;
	sqlite3 *dest;
	if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    /* no journal: a copy that fails is thrown away whole */
	    sqlite3_exec(dest, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = fs_fail(err, FS_EIO, NULL, "cannot create %s: %s", dest_path,
				 dest ? sqlite3_errmsg(dest) : "out of memory");
		sqlite3_close(dest);
		return rc;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", st->db, "main");
	int rc = 0;
	if (!b) {
		rc = fs_fail(err, FS_EIO, NULL, "cannot start the backup: %s", sqlite3_errmsg(dest));
	} else {
		int s;
		/* One step copies every page under one read transaction: a consistent snapshot
		 * even while other processes write. */
		while ((s = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || s == SQLITE_LOCKED)
			sqlite3_sleep(50);
		if (s != SQLITE_DONE)
			rc = fs_fail(err, FS_EIO, NULL, "backup failed: %s", sqlite3_errstr(s));
		sqlite3_backup_finish(b);
	}
	/* the copy is a rollback-journal database: opening it read-only creates no
	 * -wal/-shm files beside it (fairshare turns WAL on again when it writes) */
	if (!rc && sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = fs_fail(err, FS_EIO, NULL, "backup failed: %s", sqlite3_errmsg(dest));
	sqlite3_close(dest);
	if (rc)
		unlink(dest_path);
	return rc;
}

static int sq_check(struct fs_store *base, struct fs_buf *report, struct fs_error *err)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, FS_ESTORE, "integrity check");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(s, 0);
		if (msg && strcmp(msg, "ok") != 0)
			fs_buf_addf(report, "database file: %s\n", msg);
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, FS_ESTORE, "reference check");
	while (sqlite3_step(s) == SQLITE_ROW)
		fs_buf_addf(report, "%s id %lld refers to a missing %s record\n",
			    (const char *)sqlite3_column_text(s, 0), (long long)sqlite3_column_int64(s, 1),
			    (const char *)sqlite3_column_text(s, 2));
	sqlite3_finalize(s);
	return 0;
}

static int sq_check_quick(struct fs_store *base, struct fs_buf *report, struct fs_error *err)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, FS_ESTORE, "quick check");
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(s, 0);
		if (msg && strcmp(msg, "ok") != 0)
			fs_buf_addf(report, "database file: %s\n", msg);
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? 0 : db_fail(st, err, FS_ESTORE, "quick check");
}

static int sq_table_columns(struct fs_store *base, const char *table, struct fs_buf *out, struct fs_error *err)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, FS_ESTORE, "table info");
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		fs_buf_add(out, name, strlen(name) + 1);
	}
	sqlite3_finalize(s);
	return 0;
}

static int sq_table_names(struct fs_store *base, struct fs_buf *out, struct fs_error *err)
{
	struct sqlite_store *st = (struct sqlite_store *)base;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
			       "ESCAPE '\\' ORDER BY name", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, FS_ESTORE, "table list");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		fs_buf_add(out, name, strlen(name) + 1);
	}
	sqlite3_finalize(s);
	return 0;
}

const struct fs_store_ops fs_store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.bind = sq_bind,
	.bind_at = sq_bind_at,
	.step = sq_step,
	.ncolumns = sq_ncolumns,
	.column = sq_column,
	.release = sq_release,
	.keep = sq_keep,
	.rewind = sq_rewind,
	.drop = sq_drop,
	.last_insert_id = sq_last_insert_id,
	.changes = sq_changes,
	.data_version = sq_data_version,
	.idle = sq_idle,
	.backup = sq_backup,
	.check = sq_check,
	.check_quick = sq_check_quick,
	.table_columns = sq_table_columns,
	.table_names = sq_table_names,
	.foreign_keys = sq_foreign_keys,
	.bulk = sq_bulk,
	.scan = sq_scan,
	.schema_version = FS_SQLITE_SCHEMA_VERSION,
};
