/* store_pg_exec.c - the lowest layer of the PostgreSQL backend: SQL run outside
 * the statement cache, and a failed result as the core's error (a constraint,
 * a busy database, a read-only standby, a lost connection). store_pg.c and
 * store_pg_schema.c call these; these call neither. */
#include "store_pg.h"

#include <stdio.h>
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

void pg_tx_failed(struct pg_store *st, const struct fs_error *err)
{
	if (!st->in_tx || st->failed)
		return;
	st->failed = 1;
	snprintf(st->failed_why, sizeof(st->failed_why), "%.150s", err && err->message[0] ? err->message : "a database error");
}

/* Run SQL (several statements allowed) outside the statement cache. */
int pg_exec(struct pg_store *st, const char *sql, struct fs_error *err)
{
	PGresult *r = PQexec(st->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	struct fs_error e = {0};
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : pg_fail_res(st, r, err ? err : &e, "database error");
	PQclear(r);
	if (rc)
		pg_tx_failed(st, err ? err : &e);
	return rc;
}

static int send_plain(PGconn *c, const char *sql)
{
	return PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0);
}

/* In one round trip (libpq's pipeline mode): the statement's Parse when it is
 * not prepared yet (prep_sql), SAVEPOINT and RELEASE around it when guarded,
 * the statement, and a sync. When a part fails, PostgreSQL skips the rest up
 * to the sync; guarded, one more round trip then rolls back to the savepoint. */
PGresult *pg_exec_pipelined(struct pg_store *st, const char *prep_sql, int guarded, const char *name, int n,
			    const char *const *vals, const int *lens, const int *fmts, int *prepared)
{
	PGconn *c = st->conn;
	enum { SP, PREP, EXEC, REL, NQ };
	PGresult *res[NQ] = {NULL, NULL, NULL, NULL};
	int order[NQ], nq = 0;
	if (PQenterPipelineMode(c) != 1)
		return NULL;
	int sent = 1;
	if (guarded && (sent = send_plain(c, "SAVEPOINT fs_stmt")))
		order[nq++] = SP;
	if (sent && prep_sql && (sent = PQsendPrepare(c, name, prep_sql, 0, NULL)))
		order[nq++] = PREP;
	if (sent && (sent = PQsendQueryPrepared(c, name, n, vals, lens, fmts, 1)))
		order[nq++] = EXEC;
	if (sent && guarded && (sent = send_plain(c, "RELEASE SAVEPOINT fs_stmt")))
		order[nq++] = REL;
	sent = sent && PQpipelineSync(c);
	/* each query's results end with a NULL; the sync's result ends the pipeline */
	for (int q = 0, nulls = 0; sent && PQstatus(c) == CONNECTION_OK;) {
		PGresult *r = PQgetResult(c);
		if (!r) {
			if (++nulls > nq)
				break; /* no sync came: the connection is gone */
			q++;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (q < nq && !res[order[q]])
			res[order[q]] = r;
		else
			PQclear(r);
	}
	PQexitPipelineMode(c);
	*prepared = !prep_sql || PQresultStatus(res[PREP]) == PGRES_COMMAND_OK;
	ExecStatusType se = PQresultStatus(res[EXEC]);
	PGresult *out = res[EXEC];
	if (se != PGRES_TUPLES_OK && se != PGRES_COMMAND_OK) { /* the first part that failed says why */
		int k = guarded && PQresultStatus(res[SP]) != PGRES_COMMAND_OK ? SP : !*prepared ? PREP : EXEC;
		out = res[k];
		if (guarded && k != SP) {
			PGresult *r = PQexec(c, "ROLLBACK TO SAVEPOINT fs_stmt; RELEASE SAVEPOINT fs_stmt");
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				struct fs_error e = {0};
				pg_fail_res(st, r, &e, "cannot roll back to the savepoint");
				pg_tx_failed(st, &e);
			}
			PQclear(r);
		}
	} else if (guarded && PQresultStatus(res[REL]) != PGRES_COMMAND_OK) {
		struct fs_error e = {0};
		pg_fail_res(st, res[REL], &e, "cannot release the savepoint");
		pg_tx_failed(st, &e);
	}
	for (int k = 0; k < NQ; k++)
		if (res[k] != out)
			PQclear(res[k]);
	return out;
}
