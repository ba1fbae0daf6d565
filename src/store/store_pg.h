/* store_pg.h - what the two files of the PostgreSQL backend share. */
#ifndef FS_STORE_PG_H
#define FS_STORE_PG_H

#include "store.h"
#include "schema_sqlite.h"

#include <libpq-fe.h>

struct pg_prep;
struct pg_pk;

struct pg_store {
	struct fs_store base;
	PGconn *conn;
	struct pg_prep *preps[256];
	unsigned nprep;
	struct pg_pk *pks; /* tables with an integer key (after org_id): name -> key column */
	size_t npks;
	int in_tx, write_tx, dirty, readonly;
	int64_t tx_org;    /* the write transaction's organization (0: the installation's) */
	int64_t held[8];   /* what lock_shared locked in it */
	int nheld;
	int64_t last_id, changes;
	/* a statement of the open transaction failed outside a savepoint:
	 * PostgreSQL has aborted it; it can only be rolled back (why: failed_why) */
	int failed;
	char failed_why[160];
	struct fs_buf cols; /* every table's columns (pg_table_columns), while cols_valid */
	int cols_valid;
};

extern const struct fs_store_ops fs_store_pg;

int pg_exec(struct pg_store *st, const char *sql, struct fs_error *err);
int pg_fail_res(struct pg_store *st, PGresult *r, struct fs_error *err, const char *what);
/* A statement of a transaction failed: noted, so the commit refuses (st->failed). */
void pg_tx_failed(struct pg_store *st, const struct fs_error *err);
/* A prepared statement run in one round trip with its Parse when not prepared
 * yet (prep_sql; *prepared says whether it is now) and, guarded, in a
 * savepoint (on failure the transaction is back where it was before it). The
 * statement's result, or the failing part's (PQclear it); NULL when libpq gave none. */
PGresult *pg_exec_pipelined(struct pg_store *st, const char *prep_sql, int guarded, const char *name, int n,
			    const char *const *vals, const int *lens, const int *fmts, int *prepared);

/* store_pg_schema.c */
/* One SQLite migration in PostgreSQL's words (appended to out). */
int pg_ddl(const char *in, struct fs_buf *out);
int pg_migrate(struct pg_store *st, unsigned flags, struct fs_error *err);
int pg_ids_reset(struct pg_store *st, struct fs_error *err); /* every id sequence past its table's highest id */
int pg_pk_load(struct pg_store *st, struct fs_error *err);
const char *pg_pk_of(struct pg_store *st, const char *table, size_t len, int *org);
const char *pg_seq_of(struct pg_store *st, const char *table); /* its key's sequence, or NULL */
void pg_pk_free(struct pg_store *st);
int pg_backup(struct fs_store *base, const char *dest_path, struct fs_error *err);
int pg_check(struct fs_store *base, struct fs_buf *report, struct fs_error *err);
int pg_check_quick(struct fs_store *base, struct fs_buf *report, struct fs_error *err);
void pg_cols_forget(struct pg_store *st);
int pg_table_columns(struct fs_store *base, const char *table, struct fs_buf *out, struct fs_error *err);
int pg_table_names(struct fs_store *base, struct fs_buf *out, struct fs_error *err);

#endif
