/* import_bulk.h - a people import's bulk setup on SQLite (import_bulk.c). */
#ifndef FS_IMPORT_BULK_H
#define FS_IMPORT_BULK_H

#include <stddef.h>

struct fs_ctx;
struct fs_error;

#define IMPORT_BULK_INDEXES_MAX 8

struct import_bulk {
	int on; /* SQLite: bulk keys and the larger page cache are set */
	size_t nindex, dropped; /* indexes read, and dropped until the load ends */
	char *name[IMPORT_BULK_INDEXES_MAX];
	char *sql[IMPORT_BULK_INDEXES_MAX]; /* each one's CREATE INDEX, run again at the end */
};

/* Inside the import's write transaction. On SQLite: bulk keys, the page cache,
 * and into an empty people table its secondary indexes dropped. Elsewhere: nothing. */
int import_bulk_begin(struct fs_ctx *ctx, struct import_bulk *b, struct fs_error *err);
/* The dropped indexes built again when rc is 0 (else the rollback restores them);
 * the keys' seed wiped, the cache set back. Returns rc or the build's error. */
int import_bulk_end(struct fs_ctx *ctx, struct import_bulk *b, int rc, struct fs_error *err);

#endif
