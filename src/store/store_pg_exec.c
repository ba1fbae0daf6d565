/* store_pg_exec.c - the lowest layer of the PostgreSQL backend: SQL run outside
 * the statement cache, and a failed result as the core's error (a constraint,
 * a busy database, a read-only standby, a lost connection). store_pg.c and
 * store_pg_schema.c call these; these call neither. */
#include "store_pg.h"

#include <string.h>

int pg_fail_res(struct pg_store *st, PGresult *r, struct fs_error *err, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(st->conn);
	if (state && strncmp(state, "23", 2) == 0) {
		const char *w = "a constraint";
		if (!strcmp(state, "23503"))
			w = "a reference (the record is still used elsewhere, or refers to a missing one)";
		else if (!strcmp(state, "23505"))
			w = "uniqueness (such a record exists already)";
		return fs_fail(err, FS_ECONFLICT, NULL, "the change would break %s", w);
	}
	if (state && (!strcmp(state, "55P03") || !strcmp(state, "40P01") || !strcmp(state, "40001")))
		return fs_fail(err, FS_ESTORE, NULL, "the database is busy (another writer); try again");
	if (state && !strcmp(state, "25006"))
		return fs_fail(err, FS_EPERM, "db", "the database is read-only here (a standby, or opened for reading): %s", msg);
	if (PQstatus(st->conn) != CONNECTION_OK)
		return fs_fail(err, FS_ESTORE, NULL, "%s: the connection to PostgreSQL was lost: %s", what, msg);
	return fs_fail(err, FS_ESTORE, NULL, "%s: %s", what, msg);
}

/* Run SQL (several statements allowed) outside the statement cache. */
int pg_exec(struct pg_store *st, const char *sql, struct fs_error *err)
{
	PGresult *r = PQexec(st->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : pg_fail_res(st, r, err, "database error");
	PQclear(r);
	return rc;
}
