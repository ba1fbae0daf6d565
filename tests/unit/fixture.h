/* fixture.h - a fresh database in its own private temporary folder, shared
 * by the unit tests that need one (set up in a cmocka setup function, removed
 * in its teardown). Header only: each test program includes what it uses. */
#ifndef FS_TEST_FIXTURE_H
#define FS_TEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/fairshare.h"

struct fx_db {
	char dir[64];	/* /tmp/fs-TAG-XXXXXX, mode 0700 */
	char path[128]; /* DIR/t.db */
	struct fs_ctx *ctx;
};

/* A new private folder /tmp/fs-TAG-XXXXXX in dir[64]; 0 or -1. */
static inline int fx_tmpdir(char dir[64], const char *tag)
{
	if (snprintf(dir, 64, "/tmp/fs-%s-XXXXXX", tag) >= 64)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

static inline int fx_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(p);
}

/* Removes the folder and everything in it; 0 or -1. */
static inline int fx_rmtree(const char *dir)
{
	return nftw(dir, fx_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new database (fs_open with FS_INIT) in a new folder; 0 or -1. */
static inline int fx_db_open(struct fx_db *d, const char *tag)
{
	struct fs_error err = {0};
	if (fx_tmpdir(d->dir, tag) || snprintf(d->path, sizeof(d->path), "%s/t.db", d->dir) >= (int)sizeof(d->path))
		return -1;
	return fs_open(d->path, NULL, FS_INIT, &d->ctx, &err) ? -1 : 0;
}

/* Creates an organization (slug, name, country, currency); use it with
 * fs_use_org. 0 or -1. */
static inline int fx_db_org(struct fx_db *d, const char *slug, const char *name, const char *country,
			    const char *currency)
{
	struct fs_error err = {0};
	const struct fs_kv org[] = {{"slug", slug}, {"name", name}, {"country", country}, {"currency", currency}};
	return fs_create(d->ctx, fs_entity_find("organization"), org, 4, NULL, &err) ? -1 : 0;
}

/* A new database holding one organization (slug, name, country, currency),
 * which it then works in; 0 or -1. */
static inline int fx_db_open_org(struct fx_db *d, const char *tag, const char *slug, const char *name,
				 const char *country, const char *currency)
{
	struct fs_error err = {0};
	if (fx_db_open(d, tag) || fx_db_org(d, slug, name, country, currency))
		return -1;
	return fs_use_org(d->ctx, slug, &err) ? -1 : 0;
}

/* Closes the database and removes its folder; 0 or -1. */
static inline int fx_db_close(struct fx_db *d)
{
	fs_close(d->ctx);
	d->ctx = NULL;
	return fx_rmtree(d->dir) ? -1 : 0;
}

/* A cmocka teardown for a fixture allocated with calloc whose FIRST member is
 * its struct fx_db (a pointer to a struct is a pointer to its first member). */
static inline int fx_teardown(void **state)
{
	struct fx_db *d = *state;
	int rc = fx_db_close(d);
	free(d);
	return rc;
}

#endif
