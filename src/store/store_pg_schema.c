/* store_pg_schema.c - the PostgreSQL backend's schema, derived from SQLite's.
 *
 * There is one list of migrations: fs_sqlite_migrations (schema_sqlite.h).
 * PostgreSQL runs the same numbered list, each step translated (pg_ddl):
 * INTEGER -> BIGINT, BLOB -> BYTEA, TEXT -> TEXT COLLATE "C" (bytewise order,
 * as SQLite's), an INTEGER PRIMARY KEY is an identity column (its sequence
 * gives new ids: writers of different organizations share no "highest plus
 * one"; migrations that copy rows with their ids set it past them), references become DEFERRABLE (a copy may load tables in any order),
 * STRICT goes. A step the translation cannot carry is written by hand in
 * pg_overrides under its number. The schema version and the data version live
 * in fs_store_state. Also here: the self-check, the column and table lists,
 * and the backup (a consistent SQLite copy taken in the caller's snapshot). */
#include "store_pg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What PostgreSQL does differently in a migration, found by the migration's
 * SQLite text (so that a renumbering at a merge does not move it): {sqlite,
 * after, sql}: `sql` replaces the translation of the SQLite text when given;
 * otherwise the translation runs first, then `after`. */
static const struct {
	const char *sqlite;
	const char *after;
	const char *sql;
} pg_overrides[] = {
	/* org_id in every key of an organization table (the rules of a database
	 * sharded by organization, doc/postgres.md; tests/pg-distribution.sh checks
	 * them on the live schema). Every table with org_id but the journal (j11:
	 * its chain per organization): a primary or unique key without org_id gets
	 * it first; a foreign key between two such tables becomes (org_id, x_id) ->
	 * (org_id, id), so a row can never name another organization's row; the
	 * columns a key led with before keep an index of their own (`..._lookup`,
	 * not unique), for the lookups by id alone. The new org_id columns have no
	 * default here: a writer that forgets one fails. */
	{FS_MIGRATION_ORG_KEYS,
	 "ALTER TABLE balances ALTER COLUMN org_id DROP DEFAULT;\n"
	 "ALTER TABLE journal_rows ALTER COLUMN org_id DROP DEFAULT;\n"
	 "DO $k$\n"
	 "DECLARE orgt oid[]; r record; cols text; fk_drop text[] := '{}'; fk_add text[] := '{}'; q text;\n"
	 "BEGIN\n"
	 "  SELECT array_agg(c.oid) INTO orgt FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	 "  WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT LIKE 'fs\\_%' AND c.relname <> 'journal'\n"
	 "    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped);\n"
	 "  FOR r IN SELECT f.conname, f.conrelid::regclass AS t, f.confrelid::regclass AS p,\n"
	 "      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.o) FROM unnest(f.conkey) WITH ORDINALITY k(n, o)\n"
	 "       JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.n) AS cols,\n"
	 "      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.o) FROM unnest(f.confkey) WITH ORDINALITY k(n, o)\n"
	 "       JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.n) AS pcols\n"
	 "    FROM pg_constraint f WHERE f.contype = 'f' AND f.conrelid = ANY (orgt) AND f.confrelid = ANY (orgt)\n"
	 "      AND NOT EXISTS (SELECT 1 FROM unnest(f.conkey) k JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k\n"
	 "                      WHERE a.attname = 'org_id')\n"
	 "  LOOP\n"
	 "    fk_drop := fk_drop || format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);\n"
	 "    fk_add := fk_add || format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (org_id, %s) REFERENCES %s (org_id, %s) '\n"
	 "                               'DEFERRABLE INITIALLY IMMEDIATE', r.t, r.conname, r.cols, r.p, r.pcols);\n"
	 "  END LOOP;\n"
	 "  FOREACH q IN ARRAY fk_drop LOOP EXECUTE q; END LOOP;\n"
	 "  FOR r IN SELECT k.conname, k.contype, k.conrelid::regclass AS t, c.relname,\n"
	 "      (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY u.o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o)\n"
	 "       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS cols,\n"
	 "      (SELECT string_agg(a.attname, '_' ORDER BY u.o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o)\n"
	 "       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS names\n"
	 "    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid\n"
	 "    WHERE k.contype IN ('p', 'u') AND k.conrelid = ANY (orgt)\n"
	 "      AND NOT EXISTS (SELECT 1 FROM unnest(k.conkey) u JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u\n"
	 "                      WHERE a.attname = 'org_id')\n"
	 "    ORDER BY k.contype, c.relname\n"
	 "  LOOP\n"
	 "    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);\n"
	 "    EXECUTE format('ALTER TABLE %s ADD %s (org_id, %s)', r.t, CASE r.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END,\n"
	 "                   r.cols);\n"
	 "    EXECUTE format('CREATE INDEX %I ON %s (%s)', r.relname || '_' || r.names || '_lookup', r.t, r.cols);\n"
	 "  END LOOP;\n"
	 "  FOREACH q IN ARRAY fk_add LOOP EXECUTE q; END LOOP;\n"
	 "END $k$",
	 NULL},
	/* one hash chain per log; the journal as a table sharded by organization: org_id
	 * is never NULL (0: the system's log) and leads the key (doc/postgres.md); the
	 * key (org_id, seq) finds a log's head, journal_log an entry by its number */
	/* sequences (identity columns) for every id the highest-plus-one default gave
	 * (fs_rowid: every writer queued for it), a sequence for the data version
	 * (a row every commit updated: commits of different organizations queued for
	 * it); journal numbers from here on may skip a number a rolled-back
	 * transaction took (meta journal_gaps: verify's "entries missing" counts from
	 * there); the sequences are set past the ids after every migration (pg_migrate) */
	{FS_MIGRATION_ORG_CHAINS,
	 "INSERT INTO meta (key, value) SELECT 'journal_gaps', max(seq) || '' FROM journal HAVING count(*) > 0;\n"
	 "CREATE SEQUENCE IF NOT EXISTS fs_data_version;\n"
	 "SELECT setval('fs_data_version', greatest(data_version, 1)) FROM fs_store_state;\n"
	 "DO $i$\n"
	 "DECLARE r record;\n"
	 "BEGIN\n"
	 "  FOR r IN SELECT c.relname AS t, a.attname AS col FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid\n"
	 "      JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n"
	 "    WHERE n.nspname = current_schema() AND pg_get_expr(d.adbin, d.adrelid) LIKE 'fs_rowid(%'\n"
	 "  LOOP\n"
	 "    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I DROP DEFAULT', r.t, r.col);\n"
	 "    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I ADD GENERATED BY DEFAULT AS IDENTITY', r.t, r.col);\n"
	 "  END LOOP;\n"
	 "END $i$",
	 NULL},
	{FS_MIGRATION_JOURNAL_CHAINS, NULL,
	 "INSERT INTO meta (key, value) SELECT 'journal_chains', max(seq) || '' FROM journal HAVING count(*) > 0;\n"
	 "ALTER TABLE journal ALTER COLUMN org_id SET NOT NULL;\n"
	 "ALTER TABLE journal DROP CONSTRAINT journal_pkey;\n"
	 "ALTER TABLE journal ADD PRIMARY KEY (org_id, seq);\n"
	 "CREATE INDEX journal_log ON journal(seq);\n"},
};
static const char pg_bootstrap[] =
	"CREATE TABLE fs_store_state (one INTEGER PRIMARY KEY CHECK (one = 1), schema_version INTEGER NOT NULL,\n"
	"  data_version BIGINT NOT NULL);\n"
	"INSERT INTO fs_store_state VALUES (1, 0, 0);\n"
	"CREATE OR REPLACE FUNCTION fs_rowid(t text, c text) RETURNS bigint LANGUAGE plpgsql AS $f$\n"
	"DECLARE r bigint;\n"
	"BEGIN EXECUTE format('SELECT coalesce(max(%I), 0) + 1 FROM %I', c, t) INTO r; RETURN r; END $f$;\n";

/* Every id sequence past its table's highest id: a migration that copies rows
 * with their ids (a table rebuilt) leaves its sequence behind them; so does
 * fs_store_copy (pg_ids_reset). */
static const char pg_ids_past[] =
	"DO $s$\n"
	"DECLARE r record; m bigint;\n"
	"BEGIN\n"
	"  FOR r IN SELECT c.relname AS t, a.attname AS col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS s\n"
	"      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attidentity <> '' AND NOT a.attisdropped\n"
	"  LOOP\n"
	"    EXECUTE format('SELECT max(%I) FROM %I', r.col, r.t) INTO m;\n"
	"    IF m IS NOT NULL THEN PERFORM setval(r.s, m); END IF;\n"
	"  END LOOP;\n"
	"END $s$";

int pg_ids_reset(struct pg_store *st, struct fs_error *err)
{
	return pg_exec(st, pg_ids_past, err);
}

static int word_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && !memcmp(w, kw, n);
}

/* One SQLite migration in PostgreSQL's words. */
int pg_ddl(const char *in, struct fs_buf *out)
{
	char table[64] = "", prev[64] = "";
	int want_table = 0, brc = 0;
	for (const char *s = in; *s && !brc;) {
		if (*s == '\'' || *s == '"') {
			const char *e = s + 1;
			while (*e && *e != *s)
				e++;
			e += *e != '\0';
			brc = fs_buf_add(out, s, (size_t)(e - s));
			s = e;
			continue;
		}
		if (!word_char(*s) || (s > in && word_char(s[-1]))) {
			brc = fs_buf_add(out, s, 1);
			s++;
			continue;
		}
		const char *w = s;
		while (word_char(*s))
			s++;
		size_t n = (size_t)(s - w);
		if (want_table && !is(w, n, "IF") && !is(w, n, "NOT") && !is(w, n, "EXISTS")) {
			snprintf(table, sizeof(table), "%.*s", (int)n, w);
			want_table = 0;
		}
		if (is(w, n, "TABLE")) {
			want_table = 1;
		} else if (is(w, n, "STRICT")) {
			continue;
		} else if (is(w, n, "INTEGER") && !strncmp(s, " PRIMARY KEY", 12)) {
			brc = fs_buf_adds(out, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
			s += 12;
			continue;
		} else if (is(w, n, "INTEGER")) {
			brc = fs_buf_adds(out, "BIGINT");
			continue;
		} else if (is(w, n, "BLOB")) {
			brc = fs_buf_adds(out, "BYTEA");
			continue;
		} else if (is(w, n, "TEXT")) {
			brc = fs_buf_adds(out, "TEXT COLLATE \"C\"");
			continue;
		} else if (is(w, n, "REFERENCES")) { /* REFERENCES t(c) DEFERRABLE */
			const char *e = s;
			while (*e && *e != ')' && *e != ',' && *e != '\n')
				e++;
			e += *e == ')';
			brc = fs_buf_adds(out, "REFERENCES") || fs_buf_add(out, s, (size_t)(e - s)) ||
			      fs_buf_adds(out, " DEFERRABLE INITIALLY IMMEDIATE");
			s = e;
			continue;
		}
		snprintf(prev, sizeof(prev), "%.*s", (int)n, w);
		brc = fs_buf_add(out, w, n);
	}
	return brc;
}

/* Migration number i (1-based) for PostgreSQL. */
static int migration_sql(int i, struct fs_buf *out)
{
	const char *sq = fs_sqlite_migrations[i - 1];
	for (size_t k = 0; k < sizeof(pg_overrides) / sizeof(pg_overrides[0]); k++)
		if (!strcmp(pg_overrides[k].sqlite, sq) && pg_overrides[k].sql)
			return fs_buf_adds(out, pg_overrides[k].sql);
	int brc = pg_ddl(sq, out);
	for (size_t k = 0; !brc && k < sizeof(pg_overrides) / sizeof(pg_overrides[0]); k++)
		if (!strcmp(pg_overrides[k].sqlite, sq) && pg_overrides[k].after)
			brc = fs_buf_cat(out, ";\n", pg_overrides[k].after, NULL);
	return brc;
}

static int query_int(struct pg_store *st, const char *sql, int64_t *ret, struct fs_error *err)
{
	PGresult *r = PQexec(st->conn, sql);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		rc = pg_fail_res(st, r, err, "cannot read the database's state");
	else
		*ret = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return rc;
}

int pg_migrate(struct pg_store *st, unsigned flags, struct fs_error *err)
{
	int64_t ours = 0, others = 0, v = 0;
	int rc = query_int(st, "SELECT (to_regclass('fs_store_state') IS NOT NULL)::int", &ours, err);
	if (!rc && !ours)
		rc = query_int(st, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
			       "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f')", &others, err);
	if (rc)
		return rc;
	if (!ours && others)
		return fs_fail(err, FS_EINVAL, "db", "this PostgreSQL database holds %lld tables (or other relations) and no "
			       "fairshare schema: it is not a fairshare database, and fairshare is initialised only in an empty one",
			       (long long)others);
	if (!ours && !(flags & FS_OPEN_CREATE)) /* as a missing database file */
		return fs_fail(err, FS_ENOTFOUND, "db", "this PostgreSQL database is not a fairshare database (no fairshare schema "
			       "in it); create one with 'fairshare init'");
	if (ours && (flags & FS_OPEN_CREATE))
		return fs_fail(err, FS_ECONFLICT, "db", "this PostgreSQL database holds a fairshare installation already; it is "
			       "not initialised again");
	if (ours && (rc = query_int(st, "SELECT schema_version FROM fs_store_state", &v, err)))
		return rc;
	if (v > FS_SQLITE_SCHEMA_VERSION)
		return fs_fail(err, FS_EVERSION, NULL,
			       "this database was written by a newer fairshare (schema %lld; this program knows schemas up to %d): "
			       "upgrade fairshare to open it", (long long)v, FS_SQLITE_SCHEMA_VERSION);
	if (ours && (v == FS_SQLITE_SCHEMA_VERSION || (flags & FS_OPEN_ASIS)))
		return 0;
	if (flags & FS_OPEN_READONLY)
		return fs_fail(err, FS_EVERSION, NULL, "this database has schema %lld and needs migrating to %d; open it "
			       "writable once (on the primary)", (long long)v, FS_SQLITE_SCHEMA_VERSION);
	if ((rc = pg_exec(st, "BEGIN; SELECT pg_advisory_xact_lock(7384502293001)", err)))
		return rc;
	if (!ours)
		rc = pg_exec(st, pg_bootstrap, err);
	if (!rc) /* under the lock: another process may have migrated meanwhile */
		rc = query_int(st, "SELECT schema_version FROM fs_store_state", &v, err);
	struct fs_buf sql;
	fs_buf_init(&sql, 1u << 20);
	for (int i = (int)v + 1; !rc && i <= FS_SQLITE_SCHEMA_VERSION; i++) {
		fs_buf_reset(&sql);
		if (migration_sql(i, &sql) || fs_buf_addf(&sql, ";\nUPDATE fs_store_state SET schema_version = %d", i))
			rc = fs_fail(err, FS_ENOMEM, NULL, "migration %d is too long", i);
		if (!rc && (rc = pg_exec(st, sql.data, err)))
			rc = fs_fail(err, rc, NULL, "PostgreSQL migration %d failed: %s", i, err ? err->message : "");
	}
	fs_buf_done(&sql);
	if (!rc && v < FS_SQLITE_SCHEMA_VERSION)
		rc = pg_exec(st, pg_ids_past, err);
	if (!rc)
		rc = pg_exec(st, "COMMIT", err);
	if (rc)
		pg_exec(st, "ROLLBACK", NULL);
	return rc;
}

/* ---- integer keys: what an INSERT returns as the new id ---- */

struct pg_pk {
	char table[64], col[64];
	int org; /* the key is (org_id, col) */
	char seq[136]; /* the key column's sequence ("" when none) */
};

/* The tables keyed by one integer column, or by org_id and one integer column. */
int pg_pk_load(struct pg_store *st, struct fs_error *err)
{
	PGresult *r = PQexec(st->conn,
			     "SELECT c.relname, a.attname, (i.indnatts = 2)::int, "
			     "coalesce(pg_get_serial_sequence(quote_ident(c.relname), a.attname), '') FROM pg_index i "
			     "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
			     "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[i.indnatts - 1] "
			     "WHERE i.indisprimary AND a.atttypid = 20 AND n.nspname = current_schema() AND (i.indnatts = 1 OR "
			     /* a key (org_id, seq) of a table sharded by organization: seq is the number */
			     "(i.indnatts = 2 AND a.attname <> 'org_id' AND EXISTS (SELECT 1 FROM pg_attribute o WHERE o.attrelid = c.oid "
			     "AND o.attnum = i.indkey[0] AND o.attname = 'org_id')))");
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail_res(st, r, err, "cannot read the table keys");
	} else {
		int n = PQntuples(r);
		st->pks = calloc((size_t)(n ? n : 1), sizeof(*st->pks));
		if (!st->pks)
			rc = FS_ENOMEM;
		for (int i = 0; !rc && i < n; i++) {
			snprintf(st->pks[i].table, sizeof(st->pks[i].table), "%s", PQgetvalue(r, i, 0));
			snprintf(st->pks[i].col, sizeof(st->pks[i].col), "%s", PQgetvalue(r, i, 1));
			st->pks[i].org = PQgetvalue(r, i, 2)[0] == '1';
			snprintf(st->pks[i].seq, sizeof(st->pks[i].seq), "%s", PQgetvalue(r, i, 3));
		}
		st->npks = rc ? 0 : (size_t)n;
	}
	PQclear(r);
	return rc;
}

const char *pg_pk_of(struct pg_store *st, const char *table, size_t len, int *org)
{
	for (size_t i = 0; i < st->npks; i++)
		if (strlen(st->pks[i].table) == len && !memcmp(st->pks[i].table, table, len)) {
			if (org)
				*org = st->pks[i].org;
			return st->pks[i].col;
		}
	return NULL;
}

const char *pg_seq_of(struct pg_store *st, const char *table)
{
	for (size_t i = 0; i < st->npks; i++)
		if (!strcmp(st->pks[i].table, table))
			return st->pks[i].seq;
	return NULL;
}

void pg_pk_free(struct pg_store *st)
{
	free(st->pks);
	st->pks = NULL;
	st->npks = 0;
}

/* ---- lists ---- */

static int list(struct pg_store *st, const char *sql, const char *param, struct fs_buf *out, struct fs_error *err)
{
	PGresult *r = PQexecParams(st->conn, sql, param ? 1 : 0, NULL, param ? &param : NULL, NULL, NULL, 0);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail_res(st, r, err, "cannot list the schema");
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = fs_buf_add(out, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)) + 1);
	PQclear(r);
	return rc;
}

/* Every table's columns are read in one round trip (the core asks for each
 * table's in turn when it opens the database) and kept until the next
 * transaction begins (pg_cols_forget): "table\0col\0col\0\0table\0...". */
void pg_cols_forget(struct pg_store *st)
{
	fs_buf_done(&st->cols);
	st->cols_valid = 0;
}

int pg_table_columns(struct fs_store *base, const char *table, struct fs_buf *out, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	if (!st->cols_valid) {
		PGresult *r = PQexec(st->conn, "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
					       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
					       "AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum");
		int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : pg_fail_res(st, r, err, "cannot list the schema");
		fs_buf_done(&st->cols);
		fs_buf_init(&st->cols, 1u << 20);
		for (int i = 0; !rc && i < PQntuples(r); i++) {
			const char *t = PQgetvalue(r, i, 0), *c = PQgetvalue(r, i, 1);
			if (i == 0 || strcmp(t, PQgetvalue(r, i - 1, 0)))
				rc = (i ? fs_buf_add(&st->cols, "", 1) : 0) || fs_buf_add(&st->cols, t, strlen(t) + 1) ? FS_ENOMEM : 0;
			if (!rc)
				rc = fs_buf_add(&st->cols, c, strlen(c) + 1) ? FS_ENOMEM : 0;
		}
		if (!rc)
			rc = fs_buf_add(&st->cols, "\0", 2) ? FS_ENOMEM : 0; /* the last table's end, and the list's */
		PQclear(r);
		if (rc) {
			pg_cols_forget(st);
			return rc;
		}
		st->cols_valid = 1;
	}
	for (size_t at = 0; at < st->cols.len && st->cols.data[at];) {
		int mine = !strcmp(st->cols.data + at, table);
		at += strlen(st->cols.data + at) + 1;
		for (size_t n; at < st->cols.len && (n = strlen(st->cols.data + at)); at += n + 1)
			if (mine && fs_buf_add(out, st->cols.data + at, n + 1))
				return FS_ENOMEM;
		at++;
		if (mine)
			return 0;
	}
	return 0;
}

int pg_table_names(struct fs_store *base, struct fs_buf *out, struct fs_error *err)
{
	return list((struct pg_store *)base,
		    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
		    "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT LIKE 'fs\\_%' ORDER BY c.relname",
		    NULL, out, err);
}

/* ---- the self-check ---- */

static int invalid_indexes(struct pg_store *st, struct fs_buf *report, struct fs_error *err)
{
	PGresult *r = PQexec(st->conn, "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON "
			     "c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
			     "current_schema() AND NOT (i.indisvalid AND i.indisready)");
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : pg_fail_res(st, r, err, "index check");
	for (int i = 0; !rc && i < PQntuples(r); i++)
		fs_buf_addf(report, "database: index %s is not valid (an interrupted CREATE INDEX? REINDEX it)\n",
			    PQgetvalue(r, i, 0));
	PQclear(r);
	return rc;
}

int pg_check_quick(struct fs_store *base, struct fs_buf *report, struct fs_error *err)
{
	return invalid_indexes((struct pg_store *)base, report, err);
}

/* Every reference resolves (PostgreSQL keeps them, unless its triggers were
 * switched off, e.g. session_replication_role = replica); every b-tree index
 * agrees with its table when the amcheck extension is installed. */
int pg_check(struct fs_store *base, struct fs_buf *report, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	int rc = invalid_indexes(st, report, err);
	if (rc)
		return rc;
	/* each key's columns, in the key's order: "x_id" or "org_id,x_id" (composite keys, doc/postgres.md) */
	PGresult *r = PQexec(st->conn,
			     "SELECT k.conrelid::regclass::text, k.confrelid::regclass::text, "
			     "(SELECT string_agg(a.attname, ',' ORDER BY u.o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o) "
			     " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n), "
			     "(SELECT string_agg(a.attname, ',' ORDER BY u.o) FROM unnest(k.confkey) WITH ORDINALITY u(n, o) "
			     " JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) "
			     "FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
			     "WHERE k.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 3");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail_res(st, r, err, "reference check");
		PQclear(r);
		return rc;
	}
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		const char *t = PQgetvalue(r, i, 0), *pt = PQgetvalue(r, i, 1);
		char cols[256], pcols[256], q[2048], *c, *pc, *sc, *spc;
		snprintf(cols, sizeof(cols), "%s", PQgetvalue(r, i, 2));
		snprintf(pcols, sizeof(pcols), "%s", PQgetvalue(r, i, 3));
		struct fs_buf nn, eq;
		fs_buf_init(&nn, sizeof(q));
		fs_buf_init(&eq, sizeof(q));
		for (c = strtok_r(cols, ",", &sc), pc = strtok_r(pcols, ",", &spc); c && pc;
		     c = strtok_r(NULL, ",", &sc), pc = strtok_r(NULL, ",", &spc))
			if (fs_buf_cat(&nn, " AND x.", c, " IS NOT NULL", NULL) || fs_buf_cat(&eq, " AND y.", pc, " = x.", c, NULL))
				rc = FS_ENOMEM;
		/* a composite key is named by its last column: the one that names the record */
		const char *by = strrchr(PQgetvalue(r, i, 2), ',') ? strrchr(PQgetvalue(r, i, 2), ',') + 1 : PQgetvalue(r, i, 2);
		int64_t n = 0;
		if (!rc && nn.data && eq.data) {
			snprintf(q, sizeof(q), "SELECT count(*) FROM %s x WHERE %s AND NOT EXISTS (SELECT 1 FROM %s y WHERE %s)", t,
				 nn.data + 5, pt, eq.data + 5);
			if (!(rc = query_int(st, q, &n, err)) && n)
				fs_buf_addf(report, "%s: %lld records refer (by %s) to a missing %s record\n", t, (long long)n, by, pt);
		}
		fs_buf_done(&nn);
		fs_buf_done(&eq);
	}
	PQclear(r);
	int64_t amcheck = 0;
	if (!rc)
		rc = query_int(st, "SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'", &amcheck, err);
	if (!rc && amcheck) {
		PGresult *a = PQexec(st->conn, "SELECT c.relname, bt_index_check(c.oid)::text FROM pg_class c JOIN pg_namespace n "
				     "ON n.oid = c.relnamespace JOIN pg_am m ON m.oid = c.relam WHERE c.relkind = 'i' "
				     "AND m.amname = 'btree' AND n.nspname = current_schema()");
		if (PQresultStatus(a) != PGRES_TUPLES_OK)
			fs_buf_addf(report, "database: an index fails amcheck: %s\n",
				    PQresultErrorField(a, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(a, PG_DIAG_MESSAGE_PRIMARY) : "");
		PQclear(a);
	}
	return rc;
}

/* ---- backup: a SQLite file of the same schema, copied in the caller's snapshot ---- */

int pg_backup(struct fs_store *base, const char *dest_path, struct fs_error *err)
{
	int rc0 = fs_store_backup_file(dest_path, err);
	if (rc0)
		return rc0;
	struct fs_store *dst;
	int rc = fs_store_sqlite.open(dest_path, FS_OPEN_CREATE, &dst, err);
	if (rc) {
		unlink(dest_path);
		return rc;
	}
	rc = fs_store_copy(base, dst, err);
	if (!rc) { /* a rollback-journal file, as the SQLite backup writes it */
		struct fs_stmt *s;
		if (!(rc = dst->ops->prepare(dst, "PRAGMA journal_mode = DELETE", &s, err))) {
			rc = dst->ops->step(s, err) < 0 ? FS_EIO : 0;
			dst->ops->release(s);
		}
	}
	fs_store_close(dst);
	if (rc) {
		unlink(dest_path);
		char side[4200];
		snprintf(side, sizeof(side), "%s-wal", dest_path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", dest_path);
		unlink(side);
	}
	return rc;
}
