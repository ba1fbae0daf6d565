/* rows.c - portable SQL for table descriptors, the writing half: the SQL cache,
 * insert (one row or many), update, delete (rows_read.c reads: get, select,
 * count, the meta table, the journal head). Shared by every backend. */
#include "rows_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct fs_value fs_vtext(const char *s)
{
	if (!s)
		return fs_vnull();
	return (struct fs_value){FS_VTEXT, 0, s, strlen(s)};
}

int fs_store_is_server(const char *path)
{
	return path && (strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0);
}

/* Generated INSERT/UPDATE statements, built once per table. */
#define SQL_CACHE_SLOTS 128 /* distinct tables a process writes; fairshare has about 45 */
#define KEPT_ROWS 16

struct fs_sql_cache {
	const struct fs_table *table[SQL_CACHE_SLOTS];
	char *sql[SQL_CACHE_SLOTS][SQL_KINDS];
	/* the select lists, apart: reading a table takes no slot from its writes */
	const struct fs_table *sel_table[SQL_CACHE_SLOTS];
	char *sel_sql[SQL_CACHE_SLOTS];
	/* the statements of many rows (fs_store_insert_rows), kept per shape: a
	 * batch uses a handful (64, 32, ..., 1 rows), the oldest makes room */
	struct kept_rows {
		const struct fs_table *t;
		size_t n;
		uint64_t shared; /* the columns bound once */
		int link, from;  /* rows_shape's */
		struct fs_stmt *s;
	} kept[KEPT_ROWS];
	unsigned kept_next;
};

void fs_store_close(struct fs_store *st)
{
	if (!st)
		return;
	struct fs_sql_cache *c = st->sql_cache;
	if (c)
		for (size_t i = 0; i < SQL_CACHE_SLOTS; i++)
			for (size_t k = 0; k < SQL_KINDS; k++)
				free(c->sql[i][k]);
	if (c)
		for (size_t i = 0; i < SQL_CACHE_SLOTS; i++)
			free(c->sel_sql[i]);
	if (c)
		for (size_t i = 0; i < KEPT_ROWS; i++)
			if (c->kept[i].s)
				st->ops->drop(c->kept[i].s);
	free(c);
	st->ops->close(st);
}

static struct fs_sql_cache *sql_cache(struct fs_store *st)
{
	if (!st->sql_cache)
		st->sql_cache = calloc(1, sizeof(*st->sql_cache));
	return st->sql_cache;
}

/* The SQL of kind for table t, from the cache (built on first use). */
const char *fs_rows_cached_sql(struct fs_store *st, const struct fs_table *t, int kind)
{
	struct fs_sql_cache *c = sql_cache(st);
	if (!c)
		return NULL;
	const struct fs_table **tables = kind == SQL_SELECT ? c->sel_table : c->table;
	size_t i;
	for (i = 0; i < SQL_CACHE_SLOTS && tables[i] && tables[i] != t; i++)
		;
	if (i == SQL_CACHE_SLOTS)
		return NULL;
	tables[i] = t;
	char **slot = kind == SQL_SELECT ? &c->sel_sql[i] : &c->sql[i][kind];
	if (!*slot) {
		struct fs_buf b;
		fs_buf_init(&b, SQL_MAX);
		if (fs_rows_build_sql(t, kind, &b)) {
			fs_buf_done(&b);
			return NULL;
		}
		*slot = fs_buf_take(&b);
	}
	return *slot;
}

int fs_table_col(const struct fs_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

void fs_row_free(struct fs_row *r)
{
	if (!r)
		return;
	free(r->vals);
	free(r->arena);
	r->vals = NULL;
	r->arena = NULL;
}

int64_t fs_row_id(const struct fs_row *r)
{
	return r->vals[0].i;
}

int fs_row_copy(struct fs_row *dst, const struct fs_table *t, const struct fs_value *vals)
{
	size_t bytes = 0;
	for (size_t i = 0; i < t->ncols; i++)
		if (vals[i].type == FS_VTEXT || vals[i].type == FS_VBLOB)
			bytes += vals[i].n + 1;
	struct fs_value *v = calloc(t->ncols, sizeof(*v));
	char *arena = malloc(bytes ? bytes : 1);
	if (!v || !arena) {
		free(v);
		free(arena);
		return FS_ENOMEM;
	}
	char *p = arena;
	for (size_t i = 0; i < t->ncols; i++) {
		v[i] = vals[i];
		if (vals[i].type == FS_VTEXT || vals[i].type == FS_VBLOB) {
			if (vals[i].n)
				memcpy(p, vals[i].p, vals[i].n);
			p[vals[i].n] = '\0';
			v[i].p = p;
			p += vals[i].n + 1;
		}
	}
	dst->table = t;
	dst->vals = v;
	dst->arena = arena;
	return 0;
}

int fs_rows_prepare_buf(struct fs_store *st, struct fs_buf *sql, int brc, struct fs_stmt **s,
		       struct fs_error *err)
{
	if (brc) {
		fs_buf_done(sql);
		return fs_fail(err, brc, NULL, "query too long");
	}
	int rc = st->ops->prepare(st, sql->data, s, err);
	fs_buf_done(sql);
	return rc;
}

static int bind_cols(struct fs_store *st, struct fs_stmt *s, const struct fs_table *t,
		     const struct fs_value *vals, size_t from, struct fs_error *err)
{
	for (size_t i = from; i < t->ncols; i++) {
		int rc = st->ops->bind(s, t->cols[i].name, &vals[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

int fs_rows_build_sql(const struct fs_table *t, int kind, struct fs_buf *sql)
{
	int brc;
	if (kind == SQL_SELECT) { /* every column: the start of a select */
		brc = fs_buf_adds(sql, "SELECT ");
		for (size_t i = 0; i < t->ncols && !brc; i++)
			brc = fs_buf_cat(sql, i ? ", " : "", t->cols[i].name, NULL);
		return brc ? brc : fs_buf_cat(sql, " FROM ", t->name, NULL);
	}
	if (kind == SQL_INSERT || kind == SQL_INSERT_ID || kind == SQL_INSERT_NEW) { /* the key too when it was taken before (fs_store_insert_id) */
		size_t first = kind == SQL_INSERT_ID ? 0 : 1;
		brc = fs_buf_cat(sql, "INSERT INTO ", t->name, " (", NULL);
		for (size_t i = first; i < t->ncols && !brc; i++)
			brc = fs_buf_cat(sql, i > first ? ", " : "", t->cols[i].name, NULL);
		if (!brc)
			brc = fs_buf_adds(sql, ") VALUES (");
		for (size_t i = first; i < t->ncols && !brc; i++)
			brc = fs_buf_cat(sql, i > first ? ", :" : ":", t->cols[i].name, NULL);
		if (!brc)
			brc = fs_buf_adds(sql, ")");
		if (!brc && kind == SQL_INSERT_NEW) /* the table's unique keys only: SQLite 3.24+, PostgreSQL 9.5+ */
			brc = fs_buf_adds(sql, " ON CONFLICT DO NOTHING");
		return brc;
	}
	if (kind == SQL_PUT) { /* portable upsert: SQLite 3.24+, PostgreSQL 9.5+ */
		brc = fs_buf_cat(sql, "INSERT INTO ", t->name, " (", NULL);
		for (size_t i = 0; i < t->ncols && !brc; i++)
			brc = fs_buf_cat(sql, i ? ", " : "", t->cols[i].name, NULL);
		if (!brc)
			brc = fs_buf_adds(sql, ") VALUES (");
		for (size_t i = 0; i < t->ncols && !brc; i++)
			brc = fs_buf_cat(sql, i ? ", :" : ":", t->cols[i].name, NULL);
		if (!brc)
			brc = fs_buf_cat(sql, ") ON CONFLICT (", t->cols[0].name, ") DO UPDATE SET ", NULL);
		for (size_t i = 1; i < t->ncols && !brc; i++)
			brc = fs_buf_cat(sql, i > 1 ? ", " : "", t->cols[i].name, " = excluded.", t->cols[i].name, NULL);
		return brc;
	}
	brc = fs_buf_cat(sql, "UPDATE ", t->name, " SET ", NULL);
	for (size_t i = 1; i < t->ncols && !brc; i++)
		brc = fs_buf_cat(sql, i > 1 ? ", " : "", t->cols[i].name, " = :", t->cols[i].name, NULL);
	return brc ? brc : fs_buf_cat(sql, " WHERE ", t->cols[0].name, " = :", t->cols[0].name, NULL);
}

static int run_cached(struct fs_store *st, const struct fs_table *t, int kind, const struct fs_value *vals,
		      size_t from, struct fs_error *err)
{
	const char *sql = fs_rows_cached_sql(st, t, kind);
	if (!sql)
		return fs_fail(err, FS_ENOMEM, NULL, "cannot build a query for %s", t->name);
	struct fs_stmt *s;
	int rc = st->ops->prepare(st, sql, &s, err);
	if (rc)
		return rc;
	rc = bind_cols(st, s, t, vals, from, err);
	if (!rc)
		rc = st->ops->step(s, err);
	st->ops->release(s);
	return rc < 0 ? rc : 0;
}

int fs_store_insert(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals,
		    int64_t *ret_id, struct fs_error *err)
{
	int rc = run_cached(st, t, SQL_INSERT, vals, 1, err);
	if (rc)
		return rc;
	if (ret_id)
		*ret_id = st->ops->last_insert_id(st);
	return 0;
}

int fs_store_insert_new(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals, int64_t *ret_id,
			struct fs_error *err)
{
	int rc = run_cached(st, t, SQL_INSERT_NEW, vals, 1, err);
	if (!rc)
		*ret_id = st->ops->changes(st) == 1 ? st->ops->last_insert_id(st) : 0;
	return rc;
}

/* 1 when v holds the value a holds (type, integer, text or blob bytes). */
static int same_value(const struct fs_value *a, const struct fs_value *v)
{
	if (v->type != a->type)
		return 0;
	if (a->type == FS_VINT)
		return v->i == a->i;
	if (a->type == FS_VTEXT || a->type == FS_VBLOB)
		return v->n == a->n && (!a->n || v->p == a->p || !memcmp(v->p, a->p, a->n));
	return 1;
}

/* 1 when column i holds the same value in all n rows (never the key, column 0). */
static int same_in_rows(const struct fs_value *rows, size_t ncols, size_t n, size_t i)
{
	for (size_t r = 1; r < n; r++)
		if (!same_value(&rows[i], &rows[r * ncols + i]))
			return 0;
	return 1;
}

/* How a statement's n rows are bound. led16: a column all rows share is one
 * parameter (param[i]: ?1, ...) every row names; each row's own columns (own[])
 * follow, row by row. led27: a link - column link of every row after the first
 * holds the value column from held in the row before (a chain's prev_hash: the
 * hash of the row before) - is not bound again: such a row names the row
 * before's parameter. Found by comparing the values, never assumed. */
struct rows_shape {
	int param[64];
	int own[64];
	int nshared, nown;
	int link, from;       /* columns; link 0: none */
	int link_at, from_at; /* their places in own[] */
	uint64_t shared;      /* the columns bound once */
};

static void rows_shape(struct rows_shape *sh, const struct fs_table *t, const struct fs_value *rows, size_t n)
{
	memset(sh, 0, sizeof(*sh));
	for (size_t i = 1; i < t->ncols; i++) {
		sh->param[i] = n > 1 && same_in_rows(rows, t->ncols, n, i) ? ++sh->nshared : 0;
		if (!sh->param[i])
			sh->own[sh->nown++] = (int)i;
		sh->shared |= sh->param[i] ? (uint64_t)1 << i : 0;
	}
	for (int jc = 0; jc < sh->nown && n > 1 && !sh->link; jc++)
		for (int jd = 0; jd < sh->nown && !sh->link; jd++) {
			size_t r = 1;
			while (r < n && jd != jc && same_value(&rows[(r - 1) * t->ncols + sh->own[jd]], &rows[r * t->ncols + sh->own[jc]]))
				r++;
			if (r == n && jd != jc)
				sh->link = sh->own[jc], sh->from = sh->own[jd], sh->link_at = jc, sh->from_at = jd;
		}
}

/* The parameter of row r's own column own[j] (for a row after the first, not
 * the link's: it names own_param(r - 1, from_at)). */
static int own_param(const struct rows_shape *sh, size_t r, int j)
{
	if (!sh->link)
		return sh->nshared + (int)r * sh->nown + j + 1;
	if (r == 0)
		return sh->nshared + j + 1;
	return sh->nshared + sh->nown + ((int)r - 1) * (sh->nown - 1) + j - (j > sh->link_at) + 1;
}

/* The INSERT of n rows of t, each key NULL (the highest plus one), its
 * parameters numbered as sh says. The key is named, NULL, rather than left
 * out: the values then lie in the order of the table's record (left out,
 * SQLite copies 18 of them a row). */
static int build_rows_sql(const struct fs_table *t, size_t n, const struct rows_shape *sh, struct fs_buf *sql)
{
	fs_buf_init(sql, SQL_MAX);
	int brc = fs_buf_cat(sql, "INSERT INTO ", t->name, " (", NULL);
	for (size_t i = 0; i < t->ncols && !brc; i++)
		brc = fs_buf_cat(sql, i ? ", " : "", t->cols[i].name, NULL);
	if (!brc)
		brc = fs_buf_adds(sql, ") VALUES ");
	for (size_t r = 0; r < n && !brc; r++) {
		char tuple[8 + 12 * 64]; /* ", (NULL, ?N, ...)" for one row */
		size_t tl = 0;
		if (r)
			tuple[tl++] = ',', tuple[tl++] = ' ';
		memcpy(tuple + tl, "(NULL", 5);
		tl += 5;
		for (size_t i = 1, j = 0; i < t->ncols; i++) {
			tuple[tl++] = ',', tuple[tl++] = ' ';
			tuple[tl++] = '?';
			unsigned p;
			if (sh->param[i])
				p = (unsigned)sh->param[i];
			else if (sh->link && r && (int)j == sh->link_at)
				p = (unsigned)own_param(sh, r - 1, sh->from_at), j++;
			else
				p = (unsigned)own_param(sh, r, (int)j++);
			char d[12];
			size_t nd = 0;
			do
				d[nd++] = (char)('0' + p % 10);
			while ((p /= 10));
			while (nd)
				tuple[tl++] = d[--nd];
		}
		tuple[tl++] = ')';
		brc = fs_buf_add(sql, tuple, tl);
	}
	return brc;
}

/* The kept statement of n rows of t bound as sh says, or NULL. */
static struct kept_rows *kept_find(struct fs_sql_cache *c, const struct fs_table *t, size_t n, const struct rows_shape *sh)
{
	for (size_t j = 0; j < KEPT_ROWS; j++) {
		struct kept_rows *k = &c->kept[j];
		if (k->s && k->t == t && k->n == n && k->shared == sh->shared && k->link == sh->link && k->from == sh->from)
			return k;
	}
	return NULL;
}

/* One INSERT of n rows, bound by position (bind_at) as rows_shape finds;
 * ids[r] the key row r got. led27: the keys are not named: SQLite gives each
 * row the highest key plus one, in order (the key is the table's rowid), as
 * fs_store_next_id would, without a query for the highest key before each
 * statement nor a search of the table for each key named (the row goes after
 * the last); and the statement of each shape is kept (ops->keep), found by its
 * shape rather than looked up by its 8 KB text. */
static int insert_rows_at(struct fs_store *st, const struct fs_table *t, const struct fs_value *rows, size_t n, int64_t *ids,
			  struct fs_error *err)
{
	if (t->ncols > 64)
		return fs_fail(err, FS_ELIMIT, NULL, "query too long");
	struct rows_shape sh;
	rows_shape(&sh, t, rows, n);
	struct fs_sql_cache *c = sql_cache(st);
	int keep = c && st->ops->keep;
	struct kept_rows *k = keep ? kept_find(c, t, n, &sh) : NULL;
	struct fs_stmt *s = k ? k->s : NULL;
	int rc = 0;
	if (!s) {
		struct fs_buf sql;
		int brc = build_rows_sql(t, n, &sh, &sql);
		if (!keep) {
			rc = fs_rows_prepare_buf(st, &sql, brc, &s, err);
		} else {
			k = &c->kept[c->kept_next++ % KEPT_ROWS]; /* the oldest shape makes room */
			if (k->s)
				st->ops->drop(k->s);
			*k = (struct kept_rows){0};
			rc = brc ? fs_fail(err, brc, NULL, "query too long") : st->ops->keep(st, sql.data, &s, err);
			fs_buf_done(&sql);
			if (!rc)
				*k = (struct kept_rows){t, n, sh.shared, sh.link, sh.from, s};
		}
		if (rc)
			return rc;
	}
	for (size_t i = 1; i < t->ncols && !rc; i++)
		if (sh.param[i])
			rc = st->ops->bind_at(s, sh.param[i], &rows[i], err);
	int p = sh.nshared; /* the rows' own parameters come in order: own_param's */
	for (size_t r = 0; r < n && !rc; r++) {
		const struct fs_value *row = &rows[r * t->ncols];
		for (int j = 0; j < sh.nown && !rc; j++)
			if (!(sh.link && r && j == sh.link_at))
				rc = st->ops->bind_at(s, ++p, &row[sh.own[j]], err);
	}
	if (!rc)
		rc = st->ops->step(s, err);
	if (keep)
		st->ops->rewind(s);
	else
		st->ops->release(s);
	if (rc < 0)
		return rc;
	if (st->ops->changes(st) != (int64_t)n) /* every row stored, or the keys below are not theirs */
		return fs_fail(err, FS_ESTORE, NULL, "%lld of %zu rows of %s stored", (long long)st->ops->changes(st), n, t->name);
	int64_t last = st->ops->last_insert_id(st);
	for (size_t r = 0; r < n; r++)
		ids[r] = last - (int64_t)(n - 1 - r);
	return 0;
}

int fs_store_insert_rows(struct fs_store *st, const struct fs_table *t, const struct fs_value *rows, size_t n, int64_t *ids,
			 struct fs_error *err)
{
	if (n == 0)
		return 0;
	if (n > FS_STORE_ROWS_MAX)
		return fs_fail(err, FS_EINVAL, NULL, "at most %d rows at once", FS_STORE_ROWS_MAX);
	if (st->ops->bind_at) {
		/* in statements of 64, 32, ... 1 rows (a handful of statements, each prepared
		 * once); a failed statement writes nothing of its rows (SQLite's statement
		 * rollback), and the statements before it are taken back */
		int rc = 0;
		size_t done = 0;
		while (!rc && done < n) {
			size_t k = FS_STORE_ROWS_MAX;
			while (k > n - done)
				k /= 2;
			rc = insert_rows_at(st, t, &rows[done * t->ncols], k, &ids[done], err);
			if (!rc)
				done += k;
		}
		if (rc && done) {
			struct fs_error e2 = {0};
			for (size_t r = done; r-- > 0;)
				if (fs_store_delete(st, t, ids[r], &e2))
					return fs_fail(err, FS_ESTORE, NULL, "cannot take back row %lld of %s", (long long)ids[r], t->name);
		}
		return rc;
	}
	for (size_t r = 0; r < n; r++) { /* one by one: a refused row takes back the rows before it */
		int rc = fs_store_insert_new(st, t, &rows[r * t->ncols], &ids[r], err);
		if (!rc && ids[r] == 0)
			rc = fs_fail(err, FS_ECONFLICT, NULL, "the change would break uniqueness (such a record exists already)");
		if (rc) {
			struct fs_error e2 = {0};
			for (size_t k = r; k-- > 0;)
				if (fs_store_delete(st, t, ids[k], &e2))
					return fs_fail(err, FS_ESTORE, NULL, "cannot take back row %lld of %s", (long long)ids[k], t->name);
			return rc;
		}
	}
	return 0;
}

int fs_store_insert_id(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals, struct fs_error *err)
{
	return run_cached(st, t, SQL_INSERT_ID, vals, 0, err);
}

int fs_store_next_id(struct fs_store *st, const struct fs_table *t, int64_t *id, struct fs_error *err)
{
	if (st->ops->next_id)
		return st->ops->next_id(st, t->name, id, err);
	struct fs_buf sql;
	fs_buf_init(&sql, SQL_MAX);
	int brc = fs_buf_addf(&sql, "SELECT %s FROM %s ORDER BY %s DESC LIMIT 1", t->cols[0].name, t->name, t->cols[0].name);
	struct fs_stmt *s;
	int rc = fs_rows_prepare_buf(st, &sql, brc, &s, err);
	if (rc)
		return rc;
	int r = st->ops->step(s, err);
	struct fs_value v = fs_vint(0);
	if (r == 1)
		st->ops->column(s, 0, &v);
	st->ops->release(s);
	if (r < 0)
		return r;
	*id = v.i + 1; /* SQLite's rule for a new rowid */
	return 0;
}

int fs_store_put(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals, struct fs_error *err)
{
	return run_cached(st, t, SQL_PUT, vals, 0, err);
}

int fs_store_update(struct fs_store *st, const struct fs_table *t, const struct fs_value *vals,
		    struct fs_error *err)
{
	int rc = run_cached(st, t, SQL_UPDATE, vals, 0, err);
	if (rc)
		return rc;
	if (st->ops->changes(st) != 1)
		return fs_fail(err, FS_ENOTFOUND, NULL, "no %s record with id %lld", t->name, (long long)vals[0].i);
	return 0;
}

int fs_store_delete(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_error *err)
{
	struct fs_buf sql;
	fs_buf_init(&sql, SQL_MAX);
	int brc = fs_buf_addf(&sql, "DELETE FROM %s WHERE %s = :id", t->name, t->cols[0].name);
	struct fs_stmt *s;
	int rc = fs_rows_prepare_buf(st, &sql, brc, &s, err);
	if (rc)
		return rc;
	struct fs_value v = fs_vint(id);
	rc = st->ops->bind(s, "id", &v, err);
	if (!rc)
		rc = st->ops->step(s, err);
	st->ops->release(s);
	if (rc < 0)
		return rc;
	if (st->ops->changes(st) != 1)
		return fs_fail(err, FS_ENOTFOUND, NULL, "no %s record with id %lld", t->name, (long long)id);
	return 0;
}
