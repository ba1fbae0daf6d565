/* import_bulk.c - what a people import on SQLite does around its rows, inside its
 * one write transaction (the only writer): new people's keys without a look-up
 * each (keys.c), a page cache that holds the indexes a bulk insert walks at
 * random, and, into an empty people table, the secondary indexes built once
 * after the load (CREATE INDEX sorts) instead of one random insert per row.
 * The unique indexes the dedup needs stay in place throughout; a failed or
 * killed import rolls the dropped indexes back with everything else. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "import_bulk.h"

#define IMPORT_CACHE_KIB 65536 /* at 1,000,000 people: 48 MiB cost no CPU time against 96 */
#define DEFAULT_CACHE_KIB 32768 /* store_sqlite.c's */

static int run(struct fs_ctx *ctx, const char *sql, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = ctx->st->ops->prepare(ctx->st, sql, &s, err);
	if (rc)
		return rc;
	rc = ctx->st->ops->step(s, err);
	ctx->st->ops->release(s);
	return rc < 0 ? rc : 0;
}

static int cache_kib(struct fs_ctx *ctx, int kib)
{
	char sql[48];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kib);
	return run(ctx, sql, NULL);
}

/* 1 when the people table has no row (of any organization), 0, or an error. */
static int people_empty(struct fs_ctx *ctx, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = ctx->st->ops->prepare(ctx->st, "SELECT 1 FROM people LIMIT 1", &s, err);
	if (rc)
		return rc;
	rc = ctx->st->ops->step(s, err);
	ctx->st->ops->release(s);
	return rc < 0 ? rc : rc == 0;
}

/* The people table's own indexes that no constraint made (no UNIQUE, no key):
 * their names and definitions, kept to build them again after the load. */
static int drop_indexes(struct fs_ctx *ctx, struct import_bulk *b, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = ctx->st->ops->prepare(ctx->st,
				       "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' "
				       "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
				       &s, err);
	if (rc)
		return rc;
	while ((rc = ctx->st->ops->step(s, err)) == 1) {
		struct fs_value name, sql;
		ctx->st->ops->column(s, 0, &name);
		ctx->st->ops->column(s, 1, &sql);
		if (b->nindex == IMPORT_BULK_INDEXES_MAX)
			break; /* any more stay: slower, never wrong */
		if (name.type != FS_VTEXT || sql.type != FS_VTEXT)
			continue;
		char *n = strndup(name.p, name.n), *q = strndup(sql.p, sql.n);
		if (!n || !q) {
			free(n);
			free(q);
			rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
			break;
		}
		b->name[b->nindex] = n;
		b->sql[b->nindex++] = q;
	}
	ctx->st->ops->release(s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < b->nindex; i++) {
		char drop[160];
		if ((size_t)snprintf(drop, sizeof(drop), "DROP INDEX \"%s\"", b->name[i]) >= sizeof(drop) ||
		    strchr(b->name[i], '"'))
			return fs_fail(err, FS_EINTEGRITY, NULL, "an index name fairshare did not make: %.60s", b->name[i]);
		if ((rc = run(ctx, drop, err)))
			return rc;
		b->dropped = i + 1;
	}
	return 0;
}

int import_bulk_begin(struct fs_ctx *ctx, struct import_bulk *b, struct fs_error *err)
{
	memset(b, 0, sizeof(*b));
	if (strcmp(ctx->st->ops->name, "sqlite") != 0)
		return 0;
	int rc = fs_person_keys_bulk_begin(ctx, err);
	if (rc)
		return rc;
	b->on = 1;
	cache_kib(ctx, IMPORT_CACHE_KIB); /* only a speed: the import does not depend on it */
	rc = people_empty(ctx, err);
	if (rc == 1)
		rc = drop_indexes(ctx, b, err);
	return rc;
}

int import_bulk_end(struct fs_ctx *ctx, struct import_bulk *b, int rc, struct fs_error *err)
{
	/* a failed import rolls back, the drops with it: nothing to build then. The
	 * sorter of CREATE INDEX takes as much memory as the page cache may: the
	 * cache back to its usual size first, so the two do not add up */
	if (b->dropped && !rc)
		cache_kib(ctx, DEFAULT_CACHE_KIB);
	for (size_t i = 0; i < b->dropped && !rc; i++)
		rc = run(ctx, b->sql[i], err);
	for (size_t i = 0; i < b->nindex; i++) {
		free(b->name[i]);
		free(b->sql[i]);
	}
	if (b->on) {
		fs_person_keys_bulk_end(ctx);
		cache_kib(ctx, DEFAULT_CACHE_KIB);
	}
	memset(b, 0, sizeof(*b));
	return rc;
}
