/* test_store.c - unit tests of src/store through its interface: opening (a
 * missing file, a folder that does not exist, a file that is not a database, a
 * newer schema), rows that are not there, filters naming no column, statements
 * and parameters, the meta table, backups and the self-check that names a
 * record referring to a missing one, a bulk write taking the file alone (and a
 * reader told why it waits). Each test works in a fresh temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/buf.h"
#include "fixture.h"

struct fx {
	char dir[64], db[128];
	struct fs_store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	if (fx_tmpdir(f->dir, "unit"))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/s.db", f->dir);
	struct fs_error err = {0};
	if (fs_store_open(f->db, FS_OPEN_CREATE, &f->st, &err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->st)
		fs_store_close(f->st);
	int rc = fx_rmtree(f->dir);
	free(f);
	return rc;
}

static void expect_msg(const struct fs_error *err, const char *text)
{
	if (!strstr(err->message, text))
		fail_msg("message '%s' does not say '%s'", err->message, text);
}

static void test_open_errors(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_store *st = NULL;
	char path[200];
	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	assert_int_equal(fs_store_open(path, 0, &st, &err), FS_ENOTFOUND);
	expect_msg(&err, "no database at");
	snprintf(path, sizeof(path), "%s/no/such/folder/x.db", f->dir);
	assert_int_equal(fs_store_open(path, FS_OPEN_CREATE, &st, &err), FS_ESTORE);
	expect_msg(&err, "cannot open database");
	snprintf(path, sizeof(path), "%s/text.db", f->dir);
	FILE *t = fopen(path, "w");
	assert_non_null(t);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database file at all\n", t);
	fclose(t);
	assert_int_not_equal(fs_store_open(path, 0, &st, &err), 0);
	assert_true(err.message[0] != '\0');
	/* a schema newer than this program knows */
	sqlite3 *s;
	assert_int_equal(sqlite3_open(f->db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 9999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(fs_store_open(f->db, 0, &st, &err), FS_EVERSION);
	expect_msg(&err, "newer fairshare");
	/* a PostgreSQL name is libpq's, and never holds a password */
	assert_int_equal(fs_store_open("postgres://u:pw@db.example/fairshare", 0, &st, &err), FS_EINVAL);
	expect_msg(&err, ".pgpass");
	/* a migration that fails is rolled back whole: schema 1 and a table in the way of schema 2 */
	snprintf(path, sizeof(path), "%s/old.db", f->dir);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "CREATE TABLE claims (x INTEGER); PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(fs_store_open(path, 0, &st, &err), FS_ESTORE);
	expect_msg(&err, "already exists");
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	sqlite3_close(s);
	fs_store_close(NULL); /* closing nothing is harmless */
}

static int page_size_of(const char *path)
{
	sqlite3 *s;
	sqlite3_stmt *q;
	int n = -1;
	assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA page_size", -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(s);
	return n;
}

/* A new database gets 8 KiB pages (half the writes of a bulk insert); one that
 * exists keeps its own, even when fairshare creates its tables in it. */
static void test_page_size(void **state)
{
	struct fx *f = *state;
	assert_int_equal(page_size_of(f->db), 8192);
	char path[200];
	snprintf(path, sizeof(path), "%s/old4k.db", f->dir);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA page_size = 4096; CREATE TABLE other (x INTEGER)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	struct fs_store *st = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_store_open(path, FS_OPEN_CREATE, &st, &err), 0);
	fs_store_close(st);
	assert_int_equal(page_size_of(path), 4096);
}

static int count_cb(void *p, const struct fs_value *v)
{
	(void)v;
	(*(int *)p)++;
	return 0;
}

static void test_rows(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_row row = {0};
	assert_int_equal(fs_store_get(f->st, &fs_journal_table, 999, &row, &err), FS_ENOTFOUND);
	expect_msg(&err, "no journal record with id 999");
	struct fs_filter bad = {"no_such_column", FS_EQ, fs_vint(1)};
	struct fs_query q = {.table = &fs_journal_table, .filters = &bad, .nfilters = 1};
	int n = 0;
	assert_int_equal(fs_store_select(f->st, &q, count_cb, &n, &err), FS_EINVAL);
	expect_msg(&err, "journal has no column no_such_column");
	assert_int_equal(fs_store_delete(f->st, &fs_journal_table, 999, &err), FS_ENOTFOUND);
	expect_msg(&err, "no journal record with id 999");
	/* the generated SQL is kept for 128 tables: a 129th is refused, not overrun */
	static struct fs_table many[129];
	struct fs_value none[FS_J_NCOLS];
	for (int j = 0; j < FS_J_NCOLS; j++)
		none[j] = fs_vnull();
	none[FS_J_SEQ] = fs_vint(999);
	int k, r = FS_ENOTFOUND;
	for (k = 0; k < 129 && r == FS_ENOTFOUND; k++) {
		many[k] = fs_journal_table;
		r = fs_store_update(f->st, &many[k], none, &err);
	}
	assert_int_equal(r, FS_ENOMEM);
	assert_int_equal(k, 129);
	expect_msg(&err, "cannot build a query for journal");
	fs_row_free(NULL); /* freeing nothing is harmless */
	int64_t c = -1;
	struct fs_query all = {.table = &fs_journal_table};
	assert_int_equal(fs_store_count(f->st, &all, &c, &err), 0);
	assert_int_equal(c, 0);
	assert_int_equal(fs_table_col(&fs_journal_table, "actor"), FS_J_ACTOR);
	assert_int_equal(fs_table_col(&fs_journal_table, "nothing"), -1);
	/* a row copied owns its values */
	struct fs_value v[FS_J_NCOLS];
	for (int i = 0; i < FS_J_NCOLS; i++)
		v[i] = fs_vnull();
	v[FS_J_SEQ] = fs_vint(42);
	v[FS_J_ACTOR] = fs_vtext("cli:test");
	v[FS_J_HASH] = fs_vblob("0123456789abcdef0123456789abcdef", 32);
	assert_int_equal(fs_row_copy(&row, &fs_journal_table, v), 0);
	assert_int_equal(fs_row_id(&row), 42);
	assert_int_equal(row.vals[FS_J_ACTOR].n, 8);
	assert_memory_equal(row.vals[FS_J_ACTOR].p, "cli:test", 8);
	assert_memory_equal(row.vals[FS_J_HASH].p, "0123456789abcdef0123456789abcdef", 32);
	fs_row_free(&row);
}

/* one PRAGMA's value, read on the store's own connection */
static int64_t pragma_of(struct fs_store *st, const char *sql)
{
	struct fs_stmt *s;
	struct fs_error err = {0};
	struct fs_value v = fs_vnull();
	assert_int_equal(st->ops->prepare(st, sql, &s, &err), 0);
	assert_int_equal(st->ops->step(s, &err), 1);
	st->ops->column(s, 0, &v);
	int64_t x = v.i;
	st->ops->release(s);
	return x;
}

struct scan_ud {
	struct fs_store *st;
	int64_t cache, map;
	int rows;
};

static int scan_cb(void *p, const struct fs_value *v)
{
	(void)v;
	struct scan_ud *u = p;
	u->cache = pragma_of(u->st, "PRAGMA cache_size");
	u->map = pragma_of(u->st, "PRAGMA mmap_size");
	u->rows++;
	return 0;
}

/* A one-pass scan (fs_query.scan, the watch) reads through a small page cache
 * and not through the file's map; both are as before once it ends, on a
 * read-write and on a read-only (mapped) connection, and a plain select leaves
 * them alone. */
static void test_scan(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_value v[FS_J_NCOLS];
	for (int i = 0; i < FS_J_NCOLS; i++)
		v[i] = fs_vnull();
	v[FS_J_SEQ] = fs_vint(1);
	v[FS_J_TS] = fs_vtext("2026-01-01T00:00:00Z");
	v[FS_J_ACTOR] = fs_vtext("cli:test");
	v[FS_J_ACTION] = fs_vtext("create");
	v[FS_J_ENTITY] = fs_vtext("person");
	v[FS_J_ENTITY_ID] = fs_vint(1);
	v[FS_J_PREV_HASH] = fs_vblob("0123456789abcdef0123456789abcdef", 32);
	v[FS_J_HASH] = fs_vblob("0123456789abcdef0123456789abcdef", 32);
	assert_int_equal(fs_store_insert(f->st, &fs_journal_table, v, NULL, &err), 0);
	for (int ro = 0; ro < 2; ro++) {
		struct fs_store *st = f->st;
		if (ro)
			assert_int_equal(fs_store_open(f->db, FS_OPEN_READONLY, &st, &err), 0);
		int64_t map = ro ? 1073741824 : 0;
		assert_int_equal(pragma_of(st, "PRAGMA cache_size"), -32768);
		assert_int_equal(pragma_of(st, "PRAGMA mmap_size"), map);
		struct scan_ud u = {.st = st};
		struct fs_query q = {.table = &fs_journal_table, .scan = 1};
		assert_int_equal(fs_store_select(st, &q, scan_cb, &u, &err), 0);
		assert_int_equal(u.rows, 1);
		assert_int_equal(u.cache, -512);
		assert_int_equal(u.map, 0);
		assert_int_equal(pragma_of(st, "PRAGMA cache_size"), -32768);
		assert_int_equal(pragma_of(st, "PRAGMA mmap_size"), map);
		q.scan = 0;
		assert_int_equal(fs_store_select(st, &q, scan_cb, &u, &err), 0);
		assert_int_equal(u.cache, -32768);
		assert_int_equal(u.map, map);
		if (ro)
			fs_store_close(st);
	}
}

static int run(struct fs_store *st, const char *sql)
{
	struct fs_stmt *s;
	struct fs_error err = {0};
	if (st->ops->prepare(st, sql, &s, &err))
		return -1;
	int rc = st->ops->step(s, &err);
	st->ops->release(s);
	return rc < 0 ? rc : 0;
}

/* The journal mode the file is in, as SQLite reports it ("wal", "delete"). */
static int mode_is(struct fs_store *st, const char *want)
{
	struct fs_stmt *s;
	struct fs_error err = {0};
	struct fs_value v = fs_vnull();
	assert_int_equal(st->ops->prepare(st, "PRAGMA journal_mode", &s, &err), 0);
	assert_int_equal(st->ops->step(s, &err), 1);
	st->ops->column(s, 0, &v);
	int same = v.type == FS_VTEXT && v.n == strlen(want) && memcmp(v.p, want, v.n) == 0;
	st->ops->release(s);
	return same;
}

/* How many of this process's open files are path (/proc/self/fd). */
static int fds_on(const char *path)
{
	char want[PATH_MAX], link[PATH_MAX], fd[300];
	if (!realpath(path, want))
		return -1;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		snprintf(fd, sizeof(fd), "/proc/self/fd/%s", e->d_name);
		ssize_t k = readlink(fd, link, sizeof(link) - 1);
		if (k > 0) {
			link[k] = '\0';
			n += strcmp(link, want) == 0;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* A bulk write takes the rollback journal only when no other connection has the
 * file open and the connection is not a server's (FS_OPEN_SHARED), never inside
 * a transaction; WAL again after it; a reader of the file sees every row. */
static void test_bulk(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_store *st = f->st;
	assert_true(mode_is(st, "wal"));
	assert_int_equal(fds_on(f->db), 1);
	st->ops->bulk(st, 1);
	assert_true(mode_is(st, "delete"));
	/* and no second descriptor of the file (its written pages go to disk as the
	 * write goes through SQLite's own): closing one would drop the process's
	 * POSIX locks on the file, SQLite's included */
	assert_int_equal(fds_on(f->db), 1);
	assert_int_equal(st->ops->begin(st, &err), 0);
	assert_int_equal(run(st, "CREATE TABLE t (x)"), 0);
	assert_int_equal(run(st, "INSERT INTO t VALUES (1)"), 0);
	char journal[160];
	snprintf(journal, sizeof(journal), "%s-journal", f->db);
	assert_int_equal(access(journal, F_OK), 0); /* the rollback journal, not the WAL */
	st->ops->bulk(st, 0); /* inside the transaction: nothing changes */
	assert_true(mode_is(st, "delete"));
	assert_int_equal(st->ops->commit(st, &err), 0);
	st->ops->bulk(st, 0);
	assert_true(mode_is(st, "wal"));
	assert_int_equal(fds_on(f->db), 1);
	assert_int_not_equal(access(journal, F_OK), 0);
	st->ops->bulk(st, 0); /* twice: still WAL */
	assert_true(mode_is(st, "wal"));
	/* inside a transaction: not taken */
	assert_int_equal(st->ops->begin(st, &err), 0);
	st->ops->bulk(st, 1);
	assert_true(mode_is(st, "wal"));
	st->ops->rollback(st);
	st->ops->bulk(st, 0);
	/* another connection open (a reader, a server): stays in WAL, at once */
	struct fs_store *other;
	assert_int_equal(fs_store_open(f->db, 0, &other, &err), 0);
	st->ops->bulk(st, 1);
	assert_true(mode_is(st, "wal"));
	st->ops->bulk(st, 0);
	/* a server's connection never takes it, even alone */
	fs_store_close(st);
	f->st = NULL;
	struct fs_store *srv;
	fs_store_close(other);
	assert_int_equal(fs_store_open(f->db, FS_OPEN_SHARED, &srv, &err), 0);
	srv->ops->bulk(srv, 1);
	assert_true(mode_is(srv, "wal"));
	assert_int_equal(fds_on(f->db), 1);
	srv->ops->bulk(srv, 0);
	fs_store_close(srv);
	/* a file left in the rollback journal (a bulk write killed) opens in WAL */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fs_store_open(f->db, 0, &f->st, &err), 0);
	assert_true(mode_is(f->st, "wal"));
	assert_int_equal(pragma_of(f->st, "SELECT count(*) FROM t"), 1);
}

/* A bulk write that holds the file (its pages spilled: an exclusive lock in the
 * rollback journal): another process opening it waits the busy timeout, then is
 * told why, and opens once it has ended. */
static void test_bulk_held(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	fs_store_close(f->st);
	f->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	struct fs_store *st = NULL;
	assert_int_equal(fs_store_open(f->db, 0, &st, &err), FS_ESTORE);
	expect_msg(&err, "is held by a bulk write of another fairshare process");
	expect_msg(&err, "try again when it ends");
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fs_store_open(f->db, 0, &f->st, &err), 0);
	assert_true(mode_is(f->st, "wal"));
}

static void test_statements(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_stmt *s;
	assert_int_not_equal(f->st->ops->prepare(f->st, "SELEKT nothing", &s, &err), 0);
	assert_true(err.message[0] != '\0');
	assert_int_equal(f->st->ops->idle(f->st), 1);
	assert_int_equal(f->st->ops->prepare(f->st, "SELECT :a + 1, 'x', NULL", &s, &err), 0);
	assert_int_equal(f->st->ops->idle(f->st), 0); /* a statement lent: not idle (a server's pool.c) */
	struct fs_value one = fs_vint(1);
	assert_int_not_equal(f->st->ops->bind(s, "b", &one, &err), 0);
	expect_msg(&err, "query has no parameter :b");
	char longname[100];
	memset(longname, 'p', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_not_equal(f->st->ops->bind(s, longname, &one, &err), 0);
	expect_msg(&err, "parameter name too long");
	assert_int_equal(f->st->ops->bind(s, "a", &one, &err), 0);
	assert_int_equal(f->st->ops->step(s, &err), 1);
	assert_int_equal(f->st->ops->ncolumns(s), 3);
	struct fs_value out;
	f->st->ops->column(s, 0, &out);
	assert_int_equal(out.type, FS_VINT);
	assert_int_equal(out.i, 2);
	f->st->ops->column(s, 2, &out);
	assert_int_equal(out.type, FS_VNULL);
	assert_int_equal(f->st->ops->step(s, &err), 0);
	f->st->ops->release(s);
	f->st->ops->release(NULL); /* releasing nothing is harmless */
	assert_int_equal(f->st->ops->idle(f->st), 1);
	/* a read snapshot held, or a write: not idle until it ends */
	assert_int_equal(f->st->ops->begin_read(f->st, &err), 0);
	assert_int_equal(f->st->ops->idle(f->st), 0);
	f->st->ops->rollback(f->st);
	assert_int_equal(f->st->ops->idle(f->st), 1);
	/* the same statement again (from the cache) and left part way through its rows */
	assert_int_equal(f->st->ops->prepare(f->st, "SELECT :a + 1, 'x', NULL", &s, &err), 0);
	assert_int_equal(f->st->ops->bind(s, "a", &one, &err), 0);
	assert_int_equal(f->st->ops->step(s, &err), 1);
	assert_int_equal(f->st->ops->idle(f->st), 0);
	f->st->ops->release(s);
	assert_int_equal(f->st->ops->idle(f->st), 1);
	/* the meta table */
	assert_int_equal(fs_store_meta_set(f->st, "probe", "value 1", &err), 0);
	struct fs_buf b;
	fs_buf_init(&b, 1024);
	assert_int_equal(fs_store_meta_get(f->st, "probe", &b, &err), 0);
	assert_string_equal(b.data, "value 1");
	fs_buf_done(&b);
	/* the columns of a table, and of none */
	fs_buf_init(&b, 4096);
	assert_int_equal(f->st->ops->table_columns(f->st, "journal", &b, &err), 0);
	assert_string_equal(b.data, "seq");
	fs_buf_done(&b);
	fs_buf_init(&b, 4096);
	assert_int_equal(f->st->ops->table_columns(f->st, "no_such_table", &b, &err), 0);
	assert_int_equal(b.len, 0);
	fs_buf_done(&b);
}

/* ---- fs_store_insert_rows: rows of a chain (test_insert_rows) ---- */

enum { C_SEQ, C_NAME, C_GRP, C_NOTE, C_PREV, C_H, C_NCOLS };
static const struct fs_column chain_cols[C_NCOLS] = {{"seq", FS_VINT},  {"name", FS_VTEXT}, {"grp", FS_VINT},
						     {"note", FS_VTEXT}, {"prev", FS_VBLOB}, {"h", FS_VBLOB}};
static const struct fs_table chain_table = {"chain", chain_cols, C_NCOLS};

#define CR 8192
static struct want {
	char name[16];
	int64_t grp, seq;
	size_t note_n;
	unsigned char prev[32], h[32];
} want[CR];
static size_t nwant;
static const char note_text[] = "shared-note";

enum {
	BREAK_LINK = 1, /* row brk's prev is not the row before's h */
	SHORT_NOTE = 2, /* row brk's note: the same bytes, shorter */
	OTHER_GRP = 4,  /* row brk's grp differs */
	PREV_COPY = 8,  /* prev a copy of the row before's h (else the same bytes: the ledger's case) */
	DUP_NAME = 16,  /* row brk's name is row 0's of the table */
};

/* n rows after the nwant wanted so far into v, as how says */
static void chain_rows(struct fs_value *v, size_t n, int how, size_t brk)
{
	assert_true(nwant + n <= CR);
	for (size_t r = 0; r < n; r++) {
		size_t k = nwant + r;
		struct want *w = &want[k];
		snprintf(w->name, sizeof(w->name), "n%zu", k);
		if ((how & DUP_NAME) && r == brk)
			snprintf(w->name, sizeof(w->name), "n0");
		w->grp = (how & OTHER_GRP) && r == brk ? 8 : 7;
		w->note_n = (how & SHORT_NOTE) && r == brk ? 6 : sizeof(note_text) - 1;
		for (int b = 0; b < 32; b++)
			w->h[b] = (unsigned char)(k * 31 + (size_t)b * 7);
		if (k)
			memcpy(w->prev, want[k - 1].h, 32);
		else
			memset(w->prev, 0, 32);
		if ((how & BREAK_LINK) && r == brk)
			w->prev[5] ^= 0x40;
		struct fs_value *x = &v[r * C_NCOLS];
		x[C_SEQ] = fs_vnull();
		x[C_NAME] = fs_vtext(w->name);
		x[C_GRP] = fs_vint(w->grp);
		x[C_NOTE] = (struct fs_value){FS_VTEXT, 0, note_text, w->note_n};
		int same = r && !(how & PREV_COPY) && !((how & BREAK_LINK) && r == brk);
		x[C_PREV] = fs_vblob(same ? want[k - 1].h : w->prev, 32);
		x[C_H] = fs_vblob(w->h, 32);
	}
}

/* n rows stored in one call; their keys follow the highest before */
static void chain_insert(struct fx *f, size_t n, int how, size_t brk)
{
	static struct fs_value v[FS_STORE_ROWS_MAX * C_NCOLS];
	int64_t ids[FS_STORE_ROWS_MAX], next;
	struct fs_error err = {0};
	chain_rows(v, n, how, brk);
	assert_int_equal(fs_store_next_id(f->st, &chain_table, &next, &err), 0);
	int rc = fs_store_insert_rows(f->st, &chain_table, v, n, ids, &err);
	if (rc)
		fail_msg("%zu rows (how %d, row %zu): %s", n, how, brk, err.message);
	for (size_t r = 0; r < n; r++) {
		assert_int_equal(ids[r], next + (int64_t)r);
		want[nwant + r].seq = ids[r];
	}
	nwant += n;
}

/* the table holds exactly the rows wanted, in order */
static void chain_check(struct fx *f)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, name, grp, note, prev, h FROM chain ORDER BY seq", -1, &q, NULL), SQLITE_OK);
	size_t k = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		assert_true(k < nwant);
		const struct want *w = &want[k++];
		assert_int_equal(sqlite3_column_int64(q, 0), w->seq);
		assert_string_equal((const char *)sqlite3_column_text(q, 1), w->name);
		assert_int_equal(sqlite3_column_int64(q, 2), w->grp);
		assert_int_equal(sqlite3_column_bytes(q, 3), w->note_n);
		assert_memory_equal(sqlite3_column_text(q, 3), note_text, w->note_n);
		assert_int_equal(sqlite3_column_bytes(q, 4), 32);
		if (memcmp(sqlite3_column_blob(q, 4), w->prev, 32))
			fail_msg("row %zu (seq %lld): prev is not the one given", k - 1, (long long)w->seq);
		assert_int_equal(sqlite3_column_bytes(q, 5), 32);
		assert_memory_equal(sqlite3_column_blob(q, 5), w->h, 32);
	}
	assert_int_equal(k, nwant);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/* led27: rows stored many to a statement (SQLite: kept statements, one per
 * shape; the keys SQLite's highest plus one; a column shared by all rows bound
 * once; a column holding the row before's value of another bound once) are the
 * rows given, byte for byte: with the link broken in one row (the first after
 * the first, the last), a shared column differing in one row, a text of the
 * same bytes but shorter, more shapes than the store keeps statements for, the
 * same size and shared columns with and without the link one after the other;
 * a row breaking a unique key stores none of them (the statements before it
 * taken back); after the last row was deleted, keys again from the highest. */
static void test_insert_rows(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_stmt *s;
	assert_int_equal(f->st->ops->prepare(f->st, "CREATE TABLE chain (seq INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
						     "grp INTEGER NOT NULL, note TEXT, prev BLOB NOT NULL, h BLOB NOT NULL) STRICT",
					     &s, &err),
			 0);
	assert_int_equal(f->st->ops->step(s, &err), 0);
	f->st->ops->release(s);
	nwant = 0;
	chain_insert(f, 64, 0, 0);
	chain_insert(f, 64, PREV_COPY, 0);
	static const size_t sizes[] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 64, 63, 17, 40};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int how = 0; how < 16; how += 1 + (sizes[i] == 1) * 15) {
			size_t n = sizes[i], brk = (how + i) % 2 ? n - 1 : 1 % n;
			chain_insert(f, n, how, brk);
		}
	chain_check(f);
	/* the same size and shared columns, with the link and without it, in turn */
	for (int k = 0; k < 4; k++)
		chain_insert(f, 8, k % 2 ? BREAK_LINK : 0, 7);
	chain_check(f);
	/* a row whose name is taken, in the last statement of three: none stored */
	static struct fs_value v[FS_STORE_ROWS_MAX * C_NCOLS];
	int64_t ids[FS_STORE_ROWS_MAX];
	size_t before = nwant;
	chain_rows(v, 35, DUP_NAME, 34);
	assert_int_equal(fs_store_insert_rows(f->st, &chain_table, v, 35, ids, &err), FS_ECONFLICT);
	chain_check(f);
	assert_int_equal(nwant, before);
	/* the last row deleted: its key is the next one's */
	int64_t last = want[nwant - 1].seq;
	assert_int_equal(fs_store_delete(f->st, &chain_table, last, &err), 0);
	nwant--;
	chain_insert(f, 3, 0, 0);
	assert_int_equal(want[nwant - 3].seq, last);
	chain_check(f);
	/* a row the table ignores (a trigger's RAISE(IGNORE)): fewer rows stored than
	 * given, so no keys are handed back as theirs */
	struct fs_stmt *trig;
	assert_int_equal(f->st->ops->prepare(f->st, "CREATE TRIGGER chain_skip BEFORE INSERT ON chain WHEN NEW.name = 'skip-me' "
						     "BEGIN SELECT RAISE(IGNORE); END",
					     &trig, &err),
			 0);
	assert_int_equal(f->st->ops->step(trig, &err), 0);
	f->st->ops->release(trig);
	chain_rows(v, 8, 0, 0);
	v[3 * C_NCOLS + C_NAME] = fs_vtext("skip-me");
	assert_int_equal(fs_store_insert_rows(f->st, &chain_table, v, 8, ids, &err), FS_ESTORE);
	expect_msg(&err, "7 of 8 rows of chain stored");
}

static void test_backup_and_check(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	char path[200];
	snprintf(path, sizeof(path), "%s/no/such/folder/b.db", f->dir);
	assert_int_equal(f->st->ops->backup(f->st, path, &err), FS_EIO);
	expect_msg(&err, "cannot create");
	snprintf(path, sizeof(path), "%s/b.db", f->dir);
	assert_int_equal(f->st->ops->backup(f->st, path, &err), 0);
	assert_int_equal(f->st->ops->backup(f->st, path, &err), FS_ECONFLICT);
	expect_msg(&err, "exists already");
	/* the copy opens and checks clean */
	struct fs_store *copy;
	assert_int_equal(fs_store_open(path, 0, &copy, &err), 0);
	struct fs_buf report;
	fs_buf_init(&report, 4096);
	assert_int_equal(copy->ops->check(copy, &report, &err), 0);
	assert_int_equal(report.len, 0);
	fs_buf_done(&report);
	fs_store_close(copy);
	/* a claim of a person who is not there, written behind fairshare's back */
	sqlite3 *s;
	assert_int_equal(sqlite3_open(f->db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA foreign_keys = OFF; INSERT INTO claims (id, org_id, person_id, kind, amount_minor) "
					 "VALUES (7, 5, 6, 'other', 100)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	fs_buf_init(&report, 4096);
	assert_int_equal(f->st->ops->check(f->st, &report, &err), 0);
	if (!strstr(report.data, "claims id 7 refers to a missing people record") ||
	    !strstr(report.data, "claims id 7 refers to a missing organizations record"))
		fail_msg("check says '%s'", report.data ? report.data : "");
	fs_buf_done(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_insert_rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
