/* store_open.c - a database opened by its name: a postgres:// URL is PostgreSQL's,
 * any other a SQLite file. The one place above the backends that names them:
 * rows.c (shared by every backend) calls no backend, so calls go one way. */
#include "store.h"

int fs_store_open(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err)
{
	if (fs_store_is_server(path))
		return fs_store_pg.open(path, flags, ret, err);
	return fs_store_sqlite.open(path, flags, ret, err);
}
