/* rows_int.h - what rows.c (writing) and rows_read.c (reading) share: the SQL
 * made from a table's descriptor, cached per store. Inside src/store only. */
#ifndef FS_ROWS_INT_H
#define FS_ROWS_INT_H

#include "store.h"

#define SQL_MAX (16u * 1024u)

enum { SQL_INSERT, SQL_UPDATE, SQL_PUT, SQL_INSERT_ID, SQL_INSERT_NEW, SQL_KINDS, SQL_SELECT = SQL_KINDS };

/* The SQL of kind for table t, from the store's cache (built on first use);
 * NULL past the cache's slots (then fs_rows_build_sql makes it each time). */
const char *fs_rows_cached_sql(struct fs_store *st, const struct fs_table *t, int kind);
int fs_rows_build_sql(const struct fs_table *t, int kind, struct fs_buf *sql);
/* sql prepared and freed (brc: the error of building it, "query too long") */
int fs_rows_prepare_buf(struct fs_store *st, struct fs_buf *sql, int brc, struct fs_stmt **s, struct fs_error *err);

#endif
