/* bare_insert.c - the reference for the claims benchmark: a bare SQLite
 * prepared-statement loop inserting N claim-sized rows in one transaction.
 * usage: bare_insert DB N */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long n = strtol(argv[2], NULL, 10);
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE claims (id INTEGER PRIMARY KEY, person_id INTEGER, kind TEXT, amount_minor INTEGER,"
			 " rules_version TEXT, limitation_date TEXT) STRICT; BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO claims (person_id, kind, amount_minor, rules_version, limitation_date)"
			       " VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
	for (long i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, i / 2 + 1);
		sqlite3_bind_text(st, 2, i % 2 ? "notice" : "severance", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, 1000000 + i % 97);
		sqlite3_bind_text(st, 4, "TR-2026.11-1", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, "2021-08-31", -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : 1;
}
