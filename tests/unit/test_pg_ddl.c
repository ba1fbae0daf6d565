/* test_pg_ddl.c - the PostgreSQL schema is SQLite's migrations translated
 * (store_pg_schema.c): every migration translates into PostgreSQL's types and
 * keeps its numbering; a password in the database name is refused before any
 * connection. No server needed (t35-pg.sh runs the schema on a live one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "store/store_pg.h"
#include "util/buf.h"

static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = strstr(s, w); p; p = strstr(p + 1, w)) {
		int before = p > s && (p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z'));
		char a = p[n];
		int after = a == '_' || (a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z');
		if (!before && !after)
			return 1;
	}
	return 0;
}

static void every_migration_translates(void **state)
{
	(void)state;
	assert_int_equal(fs_store_pg.schema_version, FS_SQLITE_SCHEMA_VERSION);
	for (int i = 0; i < FS_SQLITE_SCHEMA_VERSION; i++) {
		struct fs_buf b;
		fs_buf_init(&b, 1u << 20);
		assert_int_equal(pg_ddl(fs_sqlite_migrations[i], &b), 0);
		assert_non_null(b.data);
		assert_false(has_word(b.data, "STRICT"));
		assert_false(has_word(b.data, "BLOB"));
		assert_false(has_word(b.data, "INTEGER"));
		fs_buf_done(&b);
	}
}

static void types_keys_and_references(void **state)
{
	(void)state;
	struct fs_buf b;
	fs_buf_init(&b, 1u << 16);
	assert_int_equal(pg_ddl("CREATE TABLE t (\n  id INTEGER PRIMARY KEY, n INTEGER NOT NULL, s TEXT, h BLOB,\n"
				"  o INTEGER REFERENCES organizations(id), text TEXT) STRICT;\n", &b), 0);
	assert_string_equal(b.data, "CREATE TABLE t (\n  id BIGINT PRIMARY KEY DEFAULT fs_rowid('t', 'id'), n BIGINT NOT NULL, "
			    "s TEXT COLLATE \"C\", h BYTEA,\n  o BIGINT REFERENCES organizations(id) DEFERRABLE INITIALLY "
			    "IMMEDIATE, text TEXT COLLATE \"C\") ;\n");
	fs_buf_reset(&b);
	assert_int_equal(pg_ddl("CREATE TABLE IF NOT EXISTS k (\n  person_id INTEGER PRIMARY KEY, w BLOB) STRICT;\n"
				"INSERT INTO m VALUES ('INTEGER BLOB');\n", &b), 0);
	assert_non_null(strstr(b.data, "DEFAULT fs_rowid('k', 'person_id')"));
	assert_non_null(strstr(b.data, "'INTEGER BLOB'")); /* a literal is left as it is */
	fs_buf_done(&b);
}

static void a_password_in_the_name_is_refused(void **state)
{
	(void)state;
	struct fs_store *st = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_store_open("postgresql://u:hunter2@127.0.0.1:1/x", 0, &st, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, ".pgpass"));
	assert_null(strstr(err.message, "hunter2"));
	assert_int_equal(fs_store_open("postgres:///x?password=hunter2&host=/nonexistent", 0, &st, &err), FS_EINVAL);
	assert_null(st);
	assert_true(fs_store_is_server("postgres:///x"));
	assert_true(fs_store_is_server("postgresql://h/x"));
	assert_false(fs_store_is_server("/var/lib/postgres://x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_migration_translates),
		cmocka_unit_test(types_keys_and_references),
		cmocka_unit_test(a_password_in_the_name_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
