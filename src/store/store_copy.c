/* store_copy.c - a whole installation's rows from one store into another (of
 * either backend): the PostgreSQL backup (into a SQLite file) and
 * 'fairshare migrate-store' (SQLite <-> PostgreSQL). Rows keep their ids, hashes
 * and bytes; references are checked at the commit (tables load in name order). */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_store_backup_file(const char *dest_path, struct fs_error *err)
{
	int fd = open(dest_path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	struct stat sb;
	if (fd < 0)
		return fs_fail(err, FS_EIO, NULL, "cannot create %s: %s", dest_path, strerror(errno));
	if (fstat(fd, &sb) || sb.st_size != 0 || fchmod(fd, 0600)) {
		close(fd);
		return fs_fail(err, FS_ECONFLICT, NULL, "%s exists already; choose a new file name", dest_path);
	}
	close(fd);
	return 0;
}

static int exec1(struct fs_store *st, const char *sql, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = st->ops->prepare(st, sql, &s, err);
	if (rc)
		return rc;
	while ((rc = st->ops->step(s, err)) > 0)
		;
	st->ops->release(s);
	return rc;
}

static int has_name(const struct fs_buf *list, const char *name)
{
	for (size_t pos = 0; list->data && pos < list->len; pos += strlen(list->data + pos) + 1)
		if (!strcmp(list->data + pos, name))
			return 1;
	return 0;
}

static int copy_table(struct fs_store *from, struct fs_store *to, const char *table, struct fs_error *err)
{
	struct fs_buf cols, have, sel, ins;
	fs_buf_init(&cols, 1u << 16);
	fs_buf_init(&have, 1u << 16);
	fs_buf_init(&sel, 1u << 16);
	fs_buf_init(&ins, 1u << 16);
	int rc = to->ops->table_columns(to, table, &cols, err);
	if (!rc)
		rc = from->ops->table_columns(from, table, &have, err);
	size_t ncols = 0;
	int brc = fs_buf_adds(&sel, "SELECT ") || fs_buf_cat(&ins, "INSERT INTO ", table, " (", NULL);
	for (size_t pos = 0; !rc && cols.data && pos < cols.len; pos += strlen(cols.data + pos) + 1, ncols++) {
		const char *c = cols.data + pos;
		if (!has_name(&have, c))
			rc = fs_fail(err, FS_EVERSION, NULL, "table %s has no column %s in the source: not the same schema", table, c);
		brc |= fs_buf_cat(&sel, ncols ? ", " : "", c, NULL) || fs_buf_cat(&ins, ncols ? ", " : "", c, NULL);
	}
	brc |= fs_buf_cat(&sel, " FROM ", table, " ORDER BY 1", NULL) || fs_buf_adds(&ins, ") VALUES (");
	size_t i = 0;
	for (size_t pos = 0; cols.data && pos < cols.len; pos += strlen(cols.data + pos) + 1, i++)
		brc |= fs_buf_cat(&ins, i ? ", :" : ":", cols.data + pos, NULL);
	brc |= fs_buf_adds(&ins, ")");
	if (!rc && brc)
		rc = fs_fail(err, FS_ENOMEM, NULL, "cannot build the copy of %s", table);
	struct fs_stmt *s = NULL, *w = NULL;
	if (!rc)
		rc = from->ops->prepare(from, sel.data, &s, err);
	if (!rc)
		rc = to->ops->prepare(to, ins.data, &w, err);
	while (!rc) {
		int r = from->ops->step(s, err);
		if (r <= 0) {
			rc = r;
			break;
		}
		i = 0;
		for (size_t pos = 0; !rc && pos < cols.len; pos += strlen(cols.data + pos) + 1, i++) {
			struct fs_value v;
			from->ops->column(s, (int)i, &v);
			rc = to->ops->bind(w, cols.data + pos, &v, err);
		}
		if (!rc && (r = to->ops->step(w, err)) < 0)
			rc = r;
		to->ops->release(w); /* a fresh statement per row: bindings start clear */
		w = NULL;
		if (!rc)
			rc = to->ops->prepare(to, ins.data, &w, err);
	}
	if (w)
		to->ops->release(w);
	if (s)
		from->ops->release(s);
	fs_buf_done(&cols);
	fs_buf_done(&have);
	fs_buf_done(&sel);
	fs_buf_done(&ins);
	return rc;
}

/* Journal numbers from a sequence may skip (a rolled-back transaction's): a copy
 * of such a journal keeps saying from where (meta journal_gaps, which verify
 * reads); a journal copied into a store of sequences was gapless up to its end.
 * A copy into SQLite also says up to where (meta journal_gaps_until: its last
 * entry copied): SQLite numbers the entries after it the highest plus one, and a
 * gap among them is a cut (journal_check.c). */
static int gaps_mark(struct fs_store *from, struct fs_store *to, struct fs_error *err)
{
	if (!from->ops->next_id && !to->ops->next_id)
		return 0;
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int rc = fs_store_meta_get(to, "journal_gaps", &v, NULL);
	fs_buf_done(&v);
	if (rc && rc != FS_ENOTFOUND)
		return rc;
	int64_t seq = 0;
	unsigned char head[32];
	char n[24];
	if (rc == FS_ENOTFOUND) {
		if (!from->ops->next_id && (rc = fs_store_journal_head(from, &seq, head, err)))
			return rc;
		if (!from->ops->next_id && seq == 0)
			return 0; /* nothing before the copy: the destination's own rule */
		snprintf(n, sizeof(n), "%lld", (long long)seq);
		if ((rc = fs_store_meta_set(to, "journal_gaps", n, err)))
			return rc;
	}
	if (to->ops->next_id)
		return 0;
	if ((rc = fs_store_journal_head(from, &seq, head, err)))
		return rc;
	snprintf(n, sizeof(n), "%lld", (long long)seq);
	return fs_store_meta_set(to, "journal_gaps_until", n, err);
}

int fs_store_copy(struct fs_store *from, struct fs_store *to, struct fs_error *err)
{
	struct fs_buf tables, theirs;
	fs_buf_init(&tables, 1u << 16);
	fs_buf_init(&theirs, 1u << 16);
	int rc = to->ops->table_names(to, &tables, err);
	if (!rc)
		rc = from->ops->table_names(from, &theirs, err);
	for (size_t pos = 0; !rc && theirs.data && pos < theirs.len; pos += strlen(theirs.data + pos) + 1)
		if (!has_name(&tables, theirs.data + pos))
			rc = fs_fail(err, FS_EVERSION, NULL, "the destination has no table %s: not the same schema (open both with "
				     "this fairshare first)", theirs.data + pos);
	if (!rc)
		rc = to->ops->begin(to, err);
	if (rc) {
		fs_buf_done(&tables);
		fs_buf_done(&theirs);
		return rc;
	}
	/* references are checked at the commit: tables load in name order */
	rc = exec1(to, strcmp(to->ops->name, "sqlite") ? "SET CONSTRAINTS ALL DEFERRED" : "PRAGMA defer_foreign_keys = ON", err);
	for (size_t pos = 0; !rc && tables.data && pos < tables.len; pos += strlen(tables.data + pos) + 1) {
		const char *t = tables.data + pos;
		struct fs_buf q;
		fs_buf_init(&q, 4096);
		struct fs_stmt *s;
		if (fs_buf_cat(&q, "SELECT 1 FROM ", t, " LIMIT 1", NULL))
			rc = FS_ENOMEM;
		if (!rc && !(rc = to->ops->prepare(to, q.data, &s, err))) {
			int r = to->ops->step(s, err);
			to->ops->release(s);
			rc = r < 0 ? r : r > 0 ? fs_fail(err, FS_ECONFLICT, "to", "the destination is not empty (table %s has "
							   "rows): copy only into a new database", t) : 0;
		}
		fs_buf_done(&q);
		if (!rc && has_name(&theirs, t))
			rc = copy_table(from, to, t, err);
	}
	fs_buf_done(&tables);
	fs_buf_done(&theirs);
	if (!rc && to->ops->ids_reset) /* the rows came with their ids: new ones go past them */
		rc = to->ops->ids_reset(to, err);
	if (!rc)
		rc = gaps_mark(from, to, err);
	if (rc) {
		to->ops->rollback(to);
		return rc;
	}
	return to->ops->commit(to, err);
}
