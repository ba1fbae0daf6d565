/* test_core.c - unit tests of the core library: the register, sealing, the
 * journal and verify, import and export, schema versions. Each test works in a
 * fresh temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "fixture.h"
#include "util/utf8.h"

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fx_db_open_org(&f->d, "unit", "miners", "Test Miners", "TR", "TRY"))
		return -1;
	*state = f;
	return 0;
}

static int64_t add_person(struct fx *f, const char *name, const char *nid)
{
	struct fs_kv kv[] = {{"full_name", name}, {"national_id", nid}, {"phone", "+90 555 111 22 33"}};
	int64_t id = 0;
	struct fs_error err = {0};
	int rc = fs_create(f->d.ctx, fs_entity_find("person"), kv, nid ? 3 : 1, &id, &err);
	if (rc)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	return id;
}

static int file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t n = strlen(needle), cap = 1 << 20, len;
	char *buf = malloc(cap);
	int found = 0;
	while (!found && (len = fread(buf, 1, cap, fp)) > 0)
		for (size_t i = 0; i + n <= len && !found; i++)
			found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	fclose(fp);
	return found;
}

static void sql(struct fx *f, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->d.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_create_get_search(void **state)
{
	struct fx *f = *state;
	int64_t id = add_person(f, "İlder Şahin", "10000000146");
	add_person(f, "Жанболат Қасымов", NULL);
	struct fs_error err = {0};
	json_t *list;
	struct fs_list_opts o = {.search = "ilder"};
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("people"), &o, &list, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_t *p = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "full_name")), "İlder Şahin");
	assert_null(json_object_get(p, "national_id")); /* sealed, not revealed */
	json_decref(list);
	o.search = "КАСЫМ";
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("people"), &o, &list, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_decref(list);
	json_t *one;
	assert_int_equal(fs_get(f->d.ctx, fs_entity_find("person"), id, FS_REVEAL, &one, &err), 0);
	assert_string_equal(json_string_value(json_object_get(one, "national_id")), "10000000146");
	json_decref(one);
	int64_t found = 0;
	assert_int_equal(fs_person_by_national_id(f->d.ctx, "100 000 001 46", &found, &err), 0);
	assert_int_equal(found, id);
}

static void test_validation_errors(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	const struct fs_entity *pe = fs_entity_find("person");
	struct fs_kv bad_nid[] = {{"full_name", "X"}, {"national_id", "12345678901"}};
	assert_int_equal(fs_create(f->d.ctx, pe, bad_nid, 2, NULL, &err), FS_EINVAL);
	assert_string_equal(err.field, "national_id");
	struct fs_kv no_name[] = {{"phone", "123"}};
	assert_int_equal(fs_create(f->d.ctx, pe, no_name, 1, NULL, &err), FS_EINVAL);
	assert_string_equal(err.field, "full_name");
	struct fs_kv unknown[] = {{"full_name", "X"}, {"shoe_size", "44"}};
	assert_int_equal(fs_create(f->d.ctx, pe, unknown, 2, NULL, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "shoe_size"));
	struct fs_kv future[] = {{"full_name", "X"}, {"birth_date", "2199-01-01"}};
	assert_int_equal(fs_create(f->d.ctx, pe, future, 2, NULL, &err), FS_EINVAL);
	add_person(f, "A", "10000000146");
	struct fs_kv dup[] = {{"full_name", "B"}, {"national_id", "10000000146"}};
	assert_int_equal(fs_create(f->d.ctx, pe, dup, 2, NULL, &err), FS_ECONFLICT);
	/* nothing of the failed attempts reached the journal */
	struct fs_verify_report rep;
	assert_int_equal(fs_verify(f->d.ctx, &rep, &err), 0);
	assert_int_equal(rep.entries, 2);
	free(rep.text);
}

/* A text field's checks, for printable ASCII (read in one pass) and for any
 * other text alike: the length in characters at and past the limit, control
 * and direction-control characters, invalid UTF-8; a new line only where the
 * field takes several lines. */
static void text_is(struct fx *f, const char *field, const char *value, const char *why)
{
	struct fs_error err = {0};
	struct fs_kv kv[] = {{"full_name", "T"}, {field, value}};
	int rc = fs_create(f->d.ctx, fs_entity_find("person"), kv, 2, NULL, &err);
	if (!why && rc)
		fail_msg("%s '%s' refused: %s", field, value, err.message);
	if (why && (rc != FS_EINVAL || !strstr(err.message, why)))
		fail_msg("%s '%s': rc %d, message '%s', expected '%s'", field, value, rc, err.message, why);
}

static void test_text_checks(void **state)
{
	struct fx *f = *state;
	char s[512];
	memset(s, 'a', 100);
	s[100] = '\0';
	text_is(f, "birth_place", s, NULL); /* 100 characters: the limit */
	s[100] = 'a';
	s[101] = '\0';
	text_is(f, "birth_place", s, "longer than 100 characters");
	for (int i = 0; i < 101; i++)
		memcpy(s + 2 * i, "\xc3\xa7", 2); /* c-cedilla: two bytes, one character */
	s[200] = '\0';
	text_is(f, "birth_place", s, NULL);
	s[200] = '\xc3'; /* the 101st again */
	s[202] = '\0';
	text_is(f, "birth_place", s, "longer than 100 characters");
	text_is(f, "birth_place", "Soma\x7f", "control character");
	text_is(f, "birth_place", "\x01Soma", "control character");
	text_is(f, "birth_place", "So\nma", "control character");
	text_is(f, "address", "Maden Sk. 3\nSoma", NULL);
	text_is(f, "birth_place", "Soma \xe2\x80\xae", "direction control");
	text_is(f, "birth_place", "Soma\xff", "not valid UTF-8");
	text_is(f, "birth_place", "Soma ~!", NULL);
	/* every byte at every place of two eight-byte words (the printable check's
	 * fast path takes eight at a time): printable passes, a control character
	 * or DEL is named, a byte above 0x7F alone is not UTF-8 */
	for (int pos = 0; pos < 16; pos++) {
		for (int b = 1; b < 256; b++) {
			memset(s, 'a', 16);
			s[16] = '\0';
			s[pos] = (char)b;
			int trimmed = b == '\t' && (pos == 0 || pos == 15); /* a blank around the text is not part of it */
			text_is(f, "birth_place", s, (b >= 0x20 && b < 0x7F) || trimmed ? NULL : b < 0x80 ? "control character" : "not valid UTF-8");
		}
	}
}

static void test_employment_rules(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t pid = add_person(f, "Ali", NULL), emp, wp;
	struct fs_kv e[] = {{"name", "Coal Co"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("employer"), e, 1, &emp, &err), 0);
	char emps[24], pids[24], wps[24];
	snprintf(emps, sizeof(emps), "%lld", (long long)emp);
	snprintf(pids, sizeof(pids), "%lld", (long long)pid);
	struct fs_kv w[] = {{"employer_id", emps}, {"name", "Mine"}, {"kind", "mine"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("workplace"), w, 3, &wp, &err), 0);
	snprintf(wps, sizeof(wps), "%lld", (long long)wp);
	struct fs_kv rev[] = {{"person_id", pids}, {"workplace_id", wps}, {"hired", "2011-01-01"}, {"terminated", "2010-01-01"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("employment"), rev, 4, NULL, &err), FS_EINVAL);
	assert_string_equal(err.field, "terminated");
	struct fs_kv ok[] = {{"person_id", pids}, {"workplace_id", wps}, {"hired", "01.02.2005"}, {"terminated", "2011-12-15"},
			     {"termination_reason", "closure"}, {"wage", "1.800,00"}, {"benefits", "300"}, {"underground", "evet"}};
	int64_t id;
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("employment"), ok, 8, &id, &err), 0);
	json_t *j;
	assert_int_equal(fs_get(f->d.ctx, fs_entity_find("employment"), id, 0, &j, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "wage_minor")), 180000);
	assert_int_equal(json_integer_value(json_object_get(j, "employer_id")), emp); /* from the workplace */
	assert_string_equal(json_string_value(json_object_get(j, "currency")), "TRY");   /* from the org */
	assert_string_equal(json_string_value(json_object_get(j, "hired")), "2005-02-01");
	assert_true(json_is_true(json_object_get(j, "underground")));
	json_decref(j);
	/* the person is referenced: removing them is refused and nothing changes */
	assert_int_equal(fs_remove(f->d.ctx, fs_entity_find("person"), pid, &err), FS_ECONFLICT);
	assert_int_equal(fs_remove(f->d.ctx, fs_entity_find("employment"), id, &err), 0);
	assert_int_equal(fs_remove(f->d.ctx, fs_entity_find("person"), pid, &err), 0);
	struct fs_verify_report rep;
	assert_int_equal(fs_verify(f->d.ctx, &rep, &err), 0);
	free(rep.text);
}

static void test_sealed_at_rest(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_kv kv[] = {{"full_name", "Seal Test"}, {"national_id", "10000000146"}, {"phone", "+90 555 987 65 43"},
			     {"address", "Gizli Sokak 17"}, {"birth_date", "1961-07-19"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("person"), kv, 5, NULL, &err), 0);
	fs_close(f->d.ctx);
	f->d.ctx = NULL;
	char wal[160];
	snprintf(wal, sizeof(wal), "%s-wal", f->d.path);
	const char *secrets[] = {"10000000146", "555 987 65 43", "Gizli Sokak", "1961-07-19"};
	for (size_t i = 0; i < 4; i++) {
		assert_false(file_contains(f->d.path, secrets[i]));
		assert_false(file_contains(wal, secrets[i]));
	}
	assert_true(file_contains(f->d.path, "Seal Test"));
	/* the key file is private */
	char key[160];
	snprintf(key, sizeof(key), "%s.key", f->d.path);
	struct stat sb;
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(fs_open(f->d.path, NULL, 0, &f->d.ctx, &err), 0);
}

static void test_wrong_key_refused(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	char other[160], cmd[400];
	snprintf(other, sizeof(other), "%s/other.db", f->d.dir);
	struct fs_ctx *c2;
	assert_int_equal(fs_open(other, NULL, FS_INIT, &c2, &err), 0);
	fs_close(c2);
	snprintf(cmd, sizeof(cmd), "%s.key", other);
	struct fs_ctx *c3 = NULL;
	assert_int_equal(fs_open(f->d.path, cmd, 0, &c3, &err), FS_ECRYPTO);
	assert_non_null(strstr(err.message, "does not belong"));
	assert_null(c3);
	snprintf(cmd, sizeof(cmd), "chmod 644 %s.key", other);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s.key", other);
	assert_int_equal(fs_open(other, cmd, 0, &c3, &err), FS_EPERM);
	/* init refuses an existing database */
	assert_int_equal(fs_open(f->d.path, NULL, FS_INIT, &c3, &err), FS_ECONFLICT);
}

static void test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	fs_close(f->d.ctx);
	f->d.ctx = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->d.path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_true(version >= 1);
	sql(f, "PRAGMA user_version = 999");
	struct fs_ctx *c;
	assert_int_equal(fs_open(f->d.path, NULL, 0, &c, &err), FS_EVERSION);
	assert_non_null(strstr(err.message, "newer fairshare"));
	char restore[64];
	snprintf(restore, sizeof(restore), "PRAGMA user_version = %d", version);
	sql(f, restore);
	assert_int_equal(fs_open(f->d.path, NULL, 0, &f->d.ctx, &err), 0);
}

static void verify_fails_after(struct fx *f, const char *tamper, const char *expect)
{
	struct fs_error err = {0};
	fs_close(f->d.ctx);
	f->d.ctx = NULL;
	sql(f, tamper);
	assert_int_equal(fs_open(f->d.path, NULL, 0, &f->d.ctx, &err), 0);
	struct fs_verify_report rep;
	assert_int_equal(fs_verify(f->d.ctx, &rep, &err), FS_EINTEGRITY);
	assert_true(rep.problems >= 1);
	if (!strstr(rep.text, expect))
		print_error("report was: %s\n", rep.text);
	assert_non_null(strstr(rep.text, expect));
	free(rep.text);
}

static void test_verify_detects_row_edit(void **state)
{
	struct fx *f = *state;
	add_person(f, "Ali Veli", "10000000146");
	struct fs_verify_report rep;
	struct fs_error err = {0};
	assert_int_equal(fs_verify(f->d.ctx, &rep, &err), 0);
	free(rep.text);
	verify_fails_after(f, "UPDATE people SET full_name = 'Ali Velı' WHERE full_name = 'Ali Veli'", "differs from its journal entry");
}

static void test_verify_detects_journal_edit(void **state)
{
	struct fx *f = *state;
	add_person(f, "Ali Veli", NULL);
	add_person(f, "Ayşe Kaya", NULL);
	verify_fails_after(f, "UPDATE journal SET ts = '2001-01-01T00:00:00.000Z' WHERE seq = 2", "entry 2 does not match its hash");
}

static void test_verify_detects_deleted_entry(void **state)
{
	struct fx *f = *state;
	add_person(f, "Ali Veli", NULL);
	add_person(f, "Ayşe Kaya", NULL);
	verify_fails_after(f, "DELETE FROM journal WHERE seq = 2", "missing");
}

static void test_verify_detects_sealed_swap(void **state)
{
	struct fx *f = *state;
	add_person(f, "Ali Veli", "10000000146");
	verify_fails_after(f, "UPDATE people SET sealed = CAST(substr(sealed, 1, 30) || CASE WHEN substr(sealed, 31, 1) = x'00' THEN x'01' "
				  "ELSE x'00' END || substr(sealed, 32) AS BLOB)" /* the byte always changes */, "sealed fields cannot be opened");
}

static void test_update_journaled(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	int64_t id = add_person(f, "Ali Veli", "10000000146");
	struct fs_kv kv[] = {{"phone", "+90 555 000 00 00"}, {"external_id", "W-1"}};
	assert_int_equal(fs_update(f->d.ctx, fs_entity_find("person"), id, kv, 2, &err), 0);
	/* an edit that changes nothing writes nothing */
	assert_int_equal(fs_update(f->d.ctx, fs_entity_find("person"), id, kv, 2, &err), 0);
	struct fs_log_opts lo = {.person_id = id};
	json_t *log;
	assert_int_equal(fs_log(f->d.ctx, &lo, &log, &err), 0);
	assert_int_equal(json_array_size(log), 2);
	json_t *upd = json_array_get(log, 1);
	assert_string_equal(json_string_value(json_object_get(upd, "action")), "update");
	assert_string_equal(json_string_value(json_object_get(json_object_get(upd, "after"), "phone")), "[sealed]");
	assert_string_equal(json_string_value(json_object_get(json_object_get(upd, "after"), "external_id")), "W-1");
	assert_true(json_is_null(json_object_get(json_object_get(upd, "before"), "external_id")));
	json_decref(log);
	struct fs_kv imm[] = {{"person_id", "1"}};
	int64_t eid;
	struct fs_kv emp[] = {{"name", "E"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("employer"), emp, 1, &eid, &err), 0);
	char ids[24], es[24];
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(es, sizeof(es), "%lld", (long long)eid);
	struct fs_kv e1[] = {{"person_id", ids}, {"employer_id", es}, {"hired", "2000-01-01"}};
	int64_t emp_id;
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("employment"), e1, 3, &emp_id, &err), 0);
	assert_int_equal(fs_update(f->d.ctx, fs_entity_find("employment"), emp_id, imm, 1, &err), FS_EINVAL);
}

static int import_text(struct fx *f, const char *csv, int skip, struct fs_import_report *rep, char **rejects)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "rb");
	char *rbuf = NULL;
	size_t rlen = 0;
	FILE *rej = skip ? open_memstream(&rbuf, &rlen) : NULL;
	struct fs_import_opts o = {.in = in, .name = "t.csv", .skip_invalid = skip, .rejects = rej};
	struct fs_error err = {0};
	int rc = fs_import_people(f->d.ctx, &o, rep, &err);
	fclose(in);
	if (rej)
		fclose(rej);
	if (rejects)
		*rejects = rbuf;
	else
		free(rbuf);
	return rc;
}

static int64_t count_people(struct fx *f)
{
	json_t *l;
	struct fs_error err = {0};
	struct fs_list_opts o = {0};
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("people"), &o, &l, &err), 0);
	int64_t n = json_integer_value(json_object_get(l, "total"));
	json_decref(l);
	return n;
}

static void test_import_atomic(void **state)
{
	struct fx *f = *state;
	struct fs_import_report rep;
	const char *csv = "full_name,national_id,birth_date\n"
			  "Ali Veli,10000000146,1970-01-01\n"
			  ",10000000078,1970-01-01\n"              /* missing name */
			  "Ayşe,10000000146,1971-01-01\n"          /* duplicate in file */
			  "Fatma,,31/12/1970\n";                   /* ambiguous date */
	assert_int_equal(import_text(f, csv, 0, &rep, NULL), FS_EINVAL);
	assert_int_equal(count_people(f), 0);
	assert_int_equal(rep.rejected, 3);
	assert_int_equal(rep.errors_kept, 3);
	assert_int_equal(rep.errors[0].line, 3);
	assert_string_equal(rep.errors[0].field, "full_name");
	assert_int_equal(rep.errors[1].line, 4);
	assert_non_null(strstr(rep.errors[1].message, "line 2"));
	assert_int_equal(rep.errors[2].line, 5);
	assert_int_equal(rep.errors[2].column, 3);
	fs_import_report_done(&rep);
	struct fs_verify_report vr;
	struct fs_error err = {0};
	assert_int_equal(fs_verify(f->d.ctx, &vr, &err), 0);
	assert_int_equal(vr.entries, 1); /* only the organization */
	free(vr.text);
}

static void test_import_skip_invalid_and_dedup(void **state)
{
	struct fx *f = *state;
	struct fs_import_report rep;
	char *rejects = NULL;
	const char *csv = "external_id,full_name,phone\r\n"
			  "W1,\"Kaya, Ali\",'+90 555\r\n"
			  "W2,,123\r\n"
			  "W3,Zeynep Demir,\r\n";
	assert_int_equal(import_text(f, csv, 1, &rep, &rejects), 0);
	assert_int_equal(rep.inserted, 2);
	assert_int_equal(rep.rejected, 1);
	assert_non_null(strstr(rejects, "external_id,full_name,phone,import_error"));
	assert_non_null(strstr(rejects, "W2,,123,"));
	assert_non_null(strstr(rejects, "is required"));
	free(rejects);
	fs_import_report_done(&rep);
	/* the same valid rows again: nobody twice */
	assert_int_equal(import_text(f, csv, 1, &rep, NULL), 0);
	assert_int_equal(rep.inserted, 0);
	assert_int_equal(rep.unchanged, 2);
	fs_import_report_done(&rep);
	assert_int_equal(count_people(f), 2);
	/* a change is an update */
	assert_int_equal(import_text(f, "external_id,full_name\nW3,Zeynep Demir Kaya\n", 0, &rep, NULL), 0);
	assert_int_equal(rep.updated, 1);
	fs_import_report_done(&rep);
	assert_int_equal(count_people(f), 2);
}

static void test_import_header_errors(void **state)
{
	struct fx *f = *state;
	struct fs_import_report rep;
	assert_int_equal(import_text(f, "full_name,shoe_size\nAli,44\n", 0, &rep, NULL), FS_EINVAL);
	assert_int_equal(rep.errors_kept, 1);
	assert_int_equal(rep.errors[0].column, 2);
	assert_non_null(strstr(rep.errors[0].message, "unknown column 'shoe_size'"));
	fs_import_report_done(&rep);
	assert_int_equal(import_text(f, "phone\n123\n", 0, &rep, NULL), FS_EINVAL);
	assert_non_null(strstr(rep.errors[0].message, "full_name"));
	fs_import_report_done(&rep);
	assert_int_equal(import_text(f, "", 0, &rep, NULL), FS_EINVAL);
	fs_import_report_done(&rep);
	assert_int_equal(import_text(f, "name,Ad Soyad\nA,B\n", 0, &rep, NULL), FS_EINVAL);
	assert_non_null(strstr(rep.errors[0].message, "second column"));
	fs_import_report_done(&rep);
	assert_int_equal(count_people(f), 0);
}

static void test_export_neutralises_formulas(void **state)
{
	struct fx *f = *state;
	add_person(f, "=HYPERLINK(\"http://x\")", NULL);
	add_person(f, "@SUM(A1)", NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct fs_error err = {0};
	assert_int_equal(fs_export_people(f->d.ctx, out, FS_EXPORT_CSV, 0, &err), 0);
	fclose(out);
	assert_non_null(strstr(buf, "\"'=HYPERLINK(\"\"http://x\"\")\""));
	assert_non_null(strstr(buf, "\"'@SUM(A1)\""));
	assert_null(strstr(buf, ",=")); /* no cell starts with = */
	/* and the export imports back to the same names */
	struct fs_import_report rep;
	assert_int_equal(import_text(f, buf, 0, &rep, NULL), 0);
	assert_int_equal(rep.unchanged, 2); /* matched on fairshare_id */
	assert_int_equal(rep.inserted, 0);
	fs_import_report_done(&rep);
	free(buf);
	json_t *l;
	struct fs_list_opts o = {.search = "=hyperlink"};
	assert_int_equal(fs_list(f->d.ctx, fs_entity_find("people"), &o, &l, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
	json_decref(l);
}


static void test_import_reports_valid_utf8(void **state)
{
	struct fx *f = *state;
	/* a Windows-1254 header: every error is kept and readable */
	const char *csv = "Ad Soyad;Do\xf0um Tarihi;\xdc" "cret\r\nA;1970-01-01;1\r\n";
	struct fs_import_report rep;
	assert_int_equal(import_text(f, csv, 0, &rep, NULL), FS_EINVAL);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors_kept, 2);
	for (size_t i = 0; i < rep.errors_kept; i++) {
		assert_int_equal(fs_utf8_invalid_at(rep.errors[i].field, strlen(rep.errors[i].field)), 0);
		assert_int_equal(fs_utf8_invalid_at(rep.errors[i].message, strlen(rep.errors[i].message)), 0);
	}
	assert_string_equal(rep.errors[0].field, "Do?um Tarihi");
	assert_string_equal(rep.suggested, "windows-1254, iso-8859-9");
	assert_int_equal(rep.separator, ';');
	fs_import_report_done(&rep);
	/* a message that quotes a long Cyrillic value cut inside a character */
	const char *cut = "full_name,workplace,hired\nAli,Zжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж,2000-01-01\n";
	assert_int_equal(import_text(f, cut, 0, &rep, NULL), FS_EINVAL);
	assert_int_equal(rep.nerrors, 1);
	assert_int_equal(rep.errors_kept, 1);
	assert_int_equal(fs_utf8_invalid_at(rep.errors[0].message, strlen(rep.errors[0].message)), 0);
	fs_import_report_done(&rep);
}

static void test_import_encodings_and_columns(void **state)
{
	struct fx *f = *state;
	const char *tr = "Ad Soyad;Do\xf0um Tarihi;\r\nG\xfcl\xfe" "en;1970-01-01;\r\n";
	FILE *in = fmemopen((void *)tr, strlen(tr), "rb");
	struct fs_import_opts o = {.in = in, .name = "t.csv", .encoding = "windows-1254", .dry_run = 1};
	struct fs_import_report rep;
	struct fs_error err = {0};
	int rc = fs_import_people(f->d.ctx, &o, &rep, &err);
	if (rc)
		print_error("%s %s\n", err.message, rep.errors_kept ? rep.errors[0].message : "");
	assert_int_equal(rc, 0);
	assert_string_equal(rep.encoding, "WINDOWS-1254");
	assert_int_equal(rep.inserted, 1); /* the unnamed empty column is skipped */
	fs_import_report_done(&rep);
	fclose(in);
	char sep = 'x';
	assert_int_equal(fs_import_separator("semicolon", &sep, &err), 0);
	assert_int_equal(sep, ';');
	assert_int_equal(fs_import_separator(NULL, &sep, &err), 0);
	assert_int_equal(sep, 0);
	assert_int_equal(fs_import_separator("pipe", &sep, &err), FS_EINVAL);
	assert_int_equal(fs_import_encoding("windows-1251", &err), 0);
	assert_int_equal(fs_import_encoding("x-nothing", &err), FS_EINVAL);
	/* the rejects file comes back in */
	char *rejects = NULL;
	assert_int_equal(import_text(f, "full_name,birth_date,phone\nAli Veli,1970-13-01,555\n", 1, &rep, &rejects), 0);
	fs_import_report_done(&rep);
	assert_non_null(strstr(rejects, "full_name,birth_date,phone,import_error\r\n"));
	char *p = strstr(rejects, "1970-13-01");
	memcpy(p, "1970-12-01", 10);
	assert_int_equal(import_text(f, rejects, 0, &rep, NULL), 0);
	assert_int_equal(rep.inserted, 1);
	fs_import_report_done(&rep);
	free(rejects);
}

static void test_bidi_and_actor(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	struct fs_kv kv[] = {{"full_name", "Ali \xe2\x80\xae" "Kaya"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("person"), kv, 1, NULL, &err), FS_EINVAL);
	assert_string_equal(err.field, "full_name");
	assert_non_null(strstr(err.message, "U+202E"));
	struct fs_kv nul[] = {{"full_name", "Ali"}, {"external_id", "\xe2\x81\xa8x"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("person"), nul, 2, NULL, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "U+2068"));
	assert_int_equal(fs_actor_check("cli:ayse", &err), 0);
	assert_int_equal(fs_actor_check("cli:Ayşe Çelik", &err), 0);
	assert_int_equal(fs_actor_check("bob\n  1  2026  admin  create", &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "line break"));
	assert_int_equal(fs_actor_check("a\tb", &err), FS_EINVAL);
	assert_int_equal(fs_actor_check("a\x7f", &err), FS_EINVAL);
	assert_int_equal(fs_actor_check("a\xe2\x80\xae", &err), FS_EINVAL);
	assert_int_equal(fs_actor_check("a\xff", &err), FS_EINVAL);
	/* whoever skips the check cannot forge a journal line either */
	fs_set_actor(f->d.ctx, "eve\nmallory");
	struct fs_kv ok[] = {{"full_name", "Actor Test"}};
	assert_int_equal(fs_create(f->d.ctx, fs_entity_find("person"), ok, 1, NULL, &err), 0);
	json_t *log;
	struct fs_log_opts lo = {.limit = 5};
	assert_int_equal(fs_log(f->d.ctx, &lo, &log, &err), 0);
	char *text = json_dumps(log, 0);
	assert_non_null(strstr(text, "eve?mallory"));
	assert_null(strstr(text, "eve\\nmallory"));
	free(text);
	json_decref(log);
}

static void test_empty_file_is_not_made_a_database(void **state)
{
	struct fx *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/empty.db", f->d.dir);
	FILE *e = fopen(path, "wb");
	fclose(e);
	struct fs_ctx *c = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_open(path, NULL, FS_READONLY, &c, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "is empty: not a fairshare database"));
	assert_int_equal(fs_open(path, NULL, 0, &c, &err), FS_EINVAL);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(fs_open(path, NULL, FS_INIT, &c, &err), 0); /* init takes it */
	fs_close(c);
	/* an SQLite file that is not ours: never given fairshare's schema by an open */
	char other[160];
	snprintf(other, sizeof(other), "%s/other.db", f->d.dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fs_open(other, NULL, 0, &c, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "not a fairshare database"));
	assert_int_equal(fs_open(other, NULL, FS_READONLY, &c, &err), FS_EINVAL);
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1); /* only its own table */
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(fs_open(f->d.dir, NULL, FS_READONLY, &c, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "is a directory"));
	assert_int_equal(fs_open("/dev/null", NULL, FS_READONLY, &c, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "not a regular file"));
}

/* What a server checks before it lends a context again (pool.c): no read
 * snapshot, no write transaction open. */
static void test_idle(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	assert_int_equal(fs_idle(f->d.ctx), 1);
	assert_int_equal(fs_read_begin(f->d.ctx, &err), 0);
	assert_int_equal(fs_idle(f->d.ctx), 0);
	assert_int_equal(fs_read_begin(f->d.ctx, &err), 0); /* nested */
	fs_read_end(f->d.ctx);
	assert_int_equal(fs_idle(f->d.ctx), 0);
	fs_read_end(f->d.ctx);
	assert_int_equal(fs_idle(f->d.ctx), 1);
	assert_int_equal(fs_tx_begin(f->d.ctx, &err), 0);
	assert_int_equal(fs_idle(f->d.ctx), 0);
	assert_int_equal(fs_tx_end(f->d.ctx, 0, &err), 0);
	assert_int_equal(fs_idle(f->d.ctx), 1);
	add_person(f, "Idle Check", NULL);
	assert_int_equal(fs_idle(f->d.ctx), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_get_search, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_validation_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_text_checks, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_employment_rules, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sealed_at_rest, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key_refused, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_row_edit, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_journal_edit, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_deleted_entry, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_sealed_swap, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_update_journaled, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_atomic, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_skip_invalid_and_dedup, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_header_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_export_neutralises_formulas, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_reports_valid_utf8, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_encodings_and_columns, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bidi_and_actor, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_empty_file_is_not_made_a_database, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_idle, setup, fx_teardown),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
