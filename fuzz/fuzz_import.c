/* fuzz_import.c - libFuzzer target: the whole people import (header mapping,
 * validation, matching), as a dry run against a real database. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fs_ctx *ctx;
static char dir[4096];

/* The database and its key file live only as long as the process. */
static void remove_db(void)
{
	static const char *const files[] = {"f.db", "f.db.key", "f.db.signing.key", "f.db-wal", "f.db-shm", "f.db-journal"};
	char path[4200];
	fs_close(ctx);
	ctx = NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void open_once(void)
{
	char db[4200];
	struct fs_error err;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/fs-fuzz-XXXXXX", tmp && *tmp && strlen(tmp) < 4000 ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(db, sizeof(db), "%s/f.db", dir);
	if (fs_open(db, NULL, FS_INIT, &ctx, &err))
		abort();
	atexit(remove_db);
	const struct fs_kv org[] = {{"slug", "fz"}, {"name", "F"}, {"country", "TR"}, {"currency", "TRY"}};
	const struct fs_kv emp[] = {{"name", "E"}};
	const struct fs_kv wp[] = {{"employer_id", "1"}, {"name", "W"}};
	if (fs_create(ctx, fs_entity_find("organization"), org, 4, NULL, &err) || fs_use_org(ctx, "fz", &err) ||
	    fs_create(ctx, fs_entity_find("employer"), emp, 1, NULL, &err) ||
	    fs_create(ctx, fs_entity_find("workplace"), wp, 2, NULL, &err))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx)
		open_once();
	if (size == 0 || size > 1u << 16)
		return 0;
	FILE *in = fmemopen((void *)data, size, "rb");
	if (!in)
		return 0;
	struct fs_kv map[] = {{"x", "-"}};
	struct fs_import_opts o = {.in = in, .name = "fuzz", .map = map, .nmap = 1, .dry_run = 1, .max_errors = 16};
	struct fs_import_report rep;
	struct fs_error err;
	(void)fs_import_people(ctx, &o, &rep, &err);
	/* every report a person or a JSON encoder reads is valid UTF-8 */
	for (size_t i = 0; i < rep.errors_kept; i++)
		if (fs_utf8_invalid_at(rep.errors[i].message, strlen(rep.errors[i].message)) ||
		    fs_utf8_invalid_at(rep.errors[i].field, strlen(rep.errors[i].field)))
			abort();
	fs_import_report_done(&rep);
	fclose(in);
	if (size < 4096) { /* again as an 8-bit code page, with ';' */
		in = fmemopen((void *)data, size, "rb");
		if (!in)
			return 0;
		o.in = in;
		o.encoding = data[0] & 1 ? "windows-1251" : "windows-1254";
		o.separator = ';';
		(void)fs_import_people(ctx, &o, &rep, &err);
		fs_import_report_done(&rep);
		fclose(in);
	}
	return 0;
}
