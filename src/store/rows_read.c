/* rows_read.c - portable SQL for table descriptors, the reading half: get a row
 * by id, select with filters (one pass or paged), count, the meta table and the
 * journal head. Shared by every backend (rows.c writes). */
#include "rows_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SELECT every column FROM t, built once per table (a select per row of a bulk
 * operation otherwise spent a tenth of its instructions building it) */
static int add_select_list(struct fs_store *st, struct fs_buf *sql, const struct fs_table *t)
{
	const char *list = fs_rows_cached_sql(st, t, SQL_SELECT);
	return list ? fs_buf_adds(sql, list) : fs_rows_build_sql(t, SQL_SELECT, sql); /* past the cache: built each time */
}

struct copy_ud {
	struct fs_row *row;
	int rc;
	int found;
};

static int copy_cb(void *ud, const struct fs_value *vals)
{
	struct copy_ud *c = ud;
	c->found = 1;
	c->rc = fs_row_copy(c->row, c->row->table, vals);
	return 1;
}

static int get(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_row *r, int raw,
	       struct fs_error *err);

int fs_store_get(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_row *r,
		 struct fs_error *err)
{
	return get(st, t, id, r, 0, err);
}

int fs_store_get_raw(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_row *r,
		     struct fs_error *err)
{
	return get(st, t, id, r, 1, err);
}

static int get(struct fs_store *st, const struct fs_table *t, int64_t id, struct fs_row *r, int raw,
	       struct fs_error *err)
{
	struct fs_filter f = {t->cols[0].name, FS_EQ, fs_vint(id)};
	struct fs_query q = {.table = t, .filters = &f, .nfilters = 1, .limit = 1, .raw = raw};
	r->table = t;
	r->vals = NULL;
	r->arena = NULL;
	struct copy_ud ud = {r, 0, 0};
	int rc = fs_store_select(st, &q, copy_cb, &ud, err);
	if (rc)
		return rc;
	if (ud.rc)
		return fs_fail(err, ud.rc, NULL, "out of memory");
	if (!ud.found)
		return fs_fail(err, FS_ENOTFOUND, NULL, "no %s record with id %lld", t->name, (long long)id);
	return 0;
}

static int add_where(struct fs_buf *sql, const struct fs_query *q, struct fs_error *err)
{
	int brc = 0;
	for (size_t i = 0; i < q->nfilters && !brc; i++) {
		const struct fs_filter *f = &q->filters[i];
		if (fs_table_col(q->table, f->column) < 0)
			return fs_fail(err, FS_EINVAL, f->column, "%s has no column %s", q->table->name, f->column);
		const char *op = f->op == FS_EQ ? "=" : f->op == FS_GE ? ">=" : f->op == FS_LE ? "<=" : NULL;
		brc = fs_buf_adds(sql, i ? " AND " : " WHERE ");
		if (brc)
			break;
		if (f->value.type == FS_VNULL && f->op == FS_EQ)
			brc = fs_buf_cat(sql, f->column, " IS NULL", NULL);
		else if (op)
			brc = fs_buf_cat(sql, f->column, " ", op, " :f", NULL) || fs_buf_addi(sql, (long long)i);
		else /* portable substring match on a pre-folded column */
			brc = fs_buf_cat(sql, f->column, " LIKE '%' || :f", NULL) || fs_buf_addi(sql, (long long)i) ||
			      fs_buf_adds(sql, " || '%' ESCAPE '\\'");
	}
	return brc;
}

static int bind_filters(struct fs_store *st, struct fs_stmt *s, const struct fs_query *q,
			struct fs_error *err)
{
	for (size_t i = 0; i < q->nfilters; i++) {
		const struct fs_filter *f = &q->filters[i];
		if (f->value.type == FS_VNULL && f->op == FS_EQ)
			continue;
		char name[24];
		snprintf(name, sizeof(name), "f%zu", i);
		int rc = st->ops->bind(s, name, &f->value, err);
		if (rc)
			return rc;
	}
	return 0;
}

int fs_store_select(struct fs_store *st, const struct fs_query *q, fs_row_cb cb, void *ud,
		    struct fs_error *err)
{
	const struct fs_table *t = q->table;
	struct fs_buf sql;
	fs_buf_init(&sql, SQL_MAX);
	size_t ncols = t->ncols;
	int brc;
	if (q->columns) {
		ncols = q->ncolumns;
		brc = fs_buf_adds(&sql, "SELECT ");
		for (size_t i = 0; i < ncols && !brc; i++) {
			if (fs_table_col(t, q->columns[i]) < 0) {
				fs_buf_done(&sql);
				return fs_fail(err, FS_EINVAL, q->columns[i], "%s has no column %s", t->name, q->columns[i]);
			}
			brc = fs_buf_cat(&sql, i ? ", " : "", q->columns[i], NULL);
		}
		if (!brc)
			brc = fs_buf_cat(&sql, " FROM ", t->name, NULL);
	} else {
		brc = add_select_list(st, &sql, t);
	}
	if (!brc) {
		int wrc = add_where(&sql, q, err);
		if (wrc < 0 && wrc != FS_ELIMIT) {
			fs_buf_done(&sql);
			return wrc;
		}
		brc = wrc;
	}
	const char *order = q->order_by ? q->order_by : t->cols[0].name;
	if (fs_table_col(t, order) < 0 || (q->then_by && fs_table_col(t, q->then_by) < 0)) {
		fs_buf_done(&sql);
		return fs_fail(err, FS_EINVAL, order, "cannot sort %s by %s", t->name, order);
	}
	const char *dir = q->descending ? " DESC" : "";
	if (!brc)
		brc = fs_buf_cat(&sql, " ORDER BY ", order, dir, NULL);
	if (!brc && q->then_by)
		brc = fs_buf_cat(&sql, ", ", q->then_by, dir, NULL);
	if (!brc && strcmp(order, t->cols[0].name) != 0)
		brc = fs_buf_cat(&sql, ", ", t->cols[0].name, dir, NULL);
	if (!brc && (q->limit > 0 || q->offset > 0))
		brc = fs_buf_adds(&sql, " LIMIT ") || fs_buf_addi(&sql, q->limit > 0 ? q->limit : -1) ||
		      fs_buf_adds(&sql, " OFFSET ") || fs_buf_addi(&sql, q->offset > 0 ? q->offset : 0);
	struct fs_stmt *s;
	int rc = fs_rows_prepare_buf(st, &sql, brc, &s, err);
	if (rc)
		return rc;
	int scan = q->scan && st->ops->scan;
	if (scan)
		st->ops->scan(st, 1);
	rc = bind_filters(st, s, q, err);
	struct fs_value vals_small[32];
	struct fs_value *vals = ncols <= 32 ? vals_small : calloc(ncols, sizeof(*vals));
	if (!vals)
		rc = FS_ENOMEM;
	int hook = st->open_row && !q->columns && !q->raw;
	struct fs_buf scratch;
	fs_buf_init(&scratch, 1u << 20);
	while (!rc) {
		int r = st->ops->step(s, err);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == 0)
			break;
		for (size_t i = 0; i < ncols; i++)
			st->ops->column(s, (int)i, &vals[i]);
		fs_buf_reset(&scratch);
		if (hook && (rc = st->open_row(st->open_row_ud, t, vals, &scratch))) {
			rc = fs_fail(err, rc, NULL, "the restricted text of %s row %lld cannot be opened: wrong key, or "
				     "the data was altered or moved from another row", t->name, (long long)vals[0].i);
			break;
		}
		if (cb(ud, vals))
			break;
	}
	fs_buf_done(&scratch);
	if (vals != vals_small)
		free(vals);
	st->ops->release(s);
	if (scan)
		st->ops->scan(st, 0);
	return rc;
}

int fs_store_count(struct fs_store *st, const struct fs_query *q, int64_t *ret, struct fs_error *err)
{
	struct fs_buf sql;
	fs_buf_init(&sql, SQL_MAX);
	int brc = fs_buf_addf(&sql, "SELECT COUNT(*) FROM %s", q->table->name);
	if (!brc) {
		int wrc = add_where(&sql, q, err);
		if (wrc < 0 && wrc != FS_ELIMIT) {
			fs_buf_done(&sql);
			return wrc;
		}
		brc = wrc;
	}
	struct fs_stmt *s;
	int rc = fs_rows_prepare_buf(st, &sql, brc, &s, err);
	if (rc)
		return rc;
	rc = bind_filters(st, s, q, err);
	if (!rc) {
		int r = st->ops->step(s, err);
		if (r == 1) {
			struct fs_value v;
			st->ops->column(s, 0, &v);
			*ret = v.i;
		} else {
			rc = r < 0 ? r : FS_ESTORE;
		}
	}
	st->ops->release(s);
	return rc;
}

int fs_store_meta_get(struct fs_store *st, const char *key, struct fs_buf *out, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = st->ops->prepare(st, "SELECT value FROM meta WHERE key = :key", &s, err);
	if (rc)
		return rc;
	struct fs_value k = fs_vtext(key);
	rc = st->ops->bind(s, "key", &k, err);
	if (!rc) {
		int r = st->ops->step(s, err);
		if (r == 1) {
			struct fs_value v;
			st->ops->column(s, 0, &v);
			rc = fs_buf_add(out, v.p, v.n);
		} else {
			rc = r < 0 ? r : FS_ENOTFOUND;
		}
	}
	st->ops->release(s);
	return rc;
}

int fs_store_meta_set(struct fs_store *st, const char *key, const char *value, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = st->ops->prepare(st, "DELETE FROM meta WHERE key = :key", &s, err);
	if (rc)
		return rc;
	struct fs_value k = fs_vtext(key), v = fs_vtext(value);
	rc = st->ops->bind(s, "key", &k, err);
	if (!rc)
		rc = st->ops->step(s, err);
	st->ops->release(s);
	if (rc < 0)
		return rc;
	if ((rc = st->ops->prepare(st, "INSERT INTO meta (key, value) VALUES (:key, :value)", &s, err)))
		return rc;
	rc = st->ops->bind(s, "key", &k, err);
	if (!rc)
		rc = st->ops->bind(s, "value", &v, err);
	if (!rc)
		rc = st->ops->step(s, err);
	st->ops->release(s);
	return rc < 0 ? rc : 0;
}

static const struct fs_column journal_cols[FS_J_NCOLS] = {
	{"seq", FS_VINT},         {"ts", FS_VTEXT},        {"actor", FS_VTEXT},
	{"action", FS_VTEXT},     {"entity", FS_VTEXT},    {"entity_id", FS_VINT},
	{"org_id", FS_VINT},      {"person_id", FS_VINT},  {"before_json", FS_VTEXT},
	{"after_json", FS_VTEXT}, {"row_hash", FS_VBLOB},  {"prev_hash", FS_VBLOB},
	{"hash", FS_VBLOB},
};
const struct fs_table fs_journal_table = {"journal", journal_cols, FS_J_NCOLS};

int fs_store_journal_head(struct fs_store *st, int64_t *ret_seq, unsigned char hash[32],
			  struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = st->ops->prepare(st, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", &s, err);
	if (rc)
		return rc;
	int r = st->ops->step(s, err);
	if (r == 1) {
		struct fs_value seq, h;
		st->ops->column(s, 0, &seq);
		st->ops->column(s, 1, &h);
		*ret_seq = seq.i;
		memset(hash, 0, 32);
		if (h.type == FS_VBLOB && h.n == 32)
			memcpy(hash, h.p, 32);
		rc = 0;
	} else if (r == 0) {
		*ret_seq = 0;
		memset(hash, 0, 32);
		rc = 0;
	} else {
		rc = r;
	}
	st->ops->release(s);
	return rc;
}
