/* files.c - the database's files on disk: temporaries of interrupted uploads
 * and snapshots removed at open, and verify's warnings about files that other
 * users can read or temporaries left behind. */
#include "internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const fs_tmp_prefixes[] = {FS_TMP_ADD, FS_TMP_SNAP, NULL};

int64_t fs_tmp_sweep(struct fs_ctx *ctx)
{
	DIR *d = opendir(ctx->evidence_dir);
	if (!d)
		return 0;
	int64_t removed = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		removed += fs_tmp_stale(ctx->evidence_dir, de->d_name, fs_tmp_prefixes, 1) == 1;
	closedir(d);
	return removed;
}

enum { MAX_LEAKS_LISTED = 20 };
struct fcheck {
	struct fs_buf *report;
	int64_t leaks;
};

static int64_t leak(struct fcheck *fc, const char *path)
{
	struct fs_buf *report = fc->report;
	unsigned m = fs_private_leak(path);
	if (!m || ++fc->leaks > MAX_LEAKS_LISTED)
		return m != 0;
	struct stat sb;
	int dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
	fs_buf_addf(report, "warning: %s can be %s by other users (mode %04o); run: chmod %s %s\n", path,
		    (m & 044) ? "read" : "used", (unsigned)(sb.st_mode & 07777), dir ? "700" : "600", path);
	return 1;
}

/* The evidence folder, its two-letter folders and their files; temporaries. */
static int64_t walk_evidence(const char *top, struct fcheck *fc)
{
	struct fs_buf *report = fc->report;
	int64_t n = leak(fc, top);
	DIR *d = opendir(top);
	if (!d)
		return n;
	size_t tl = strlen(top);
	char *path = malloc(tl + 600);
	struct dirent *de;
	while (path && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, tl + 600, "%s/%.256s", top, de->d_name);
		if (fs_tmp_stale(top, de->d_name, fs_tmp_prefixes, 0) == 1) {
			struct stat sb;
			long long size = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
			fs_buf_addf(report, "warning: %s is a temporary file left by an interrupted upload or backup (%lld "
				    "bytes); it is removed the next time fairshare opens the database for writing\n", path, size);
			n++;
			continue;
		}
		n += leak(fc, path);
		DIR *sub = strlen(de->d_name) == 2 ? opendir(path) : NULL;
		struct dirent *fe;
		while (sub && (fe = readdir(sub))) {
			if (strcmp(fe->d_name, ".") && strcmp(fe->d_name, "..")) {
				snprintf(path, tl + 600, "%s/%.2s/%.256s", top, de->d_name, fe->d_name);
				n += leak(fc, path);
			}
		}
		if (sub)
			closedir(sub);
	}
	closedir(d);
	free(path);
	return n;
}

int64_t fs_files_check(struct fs_ctx *ctx, struct fs_buf *report)
{
	size_t el = strlen(ctx->evidence_dir), dl = el - (sizeof(".evidence") - 1);
	char *path = malloc(el + 16);
	if (!path)
		return 0;
	int64_t n = 0;
	struct fcheck check = {report, 0}, *fc = &check;
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, el + 16, "%.*s%s", (int)dl, ctx->evidence_dir, suffixes[i]);
		n += leak(fc, path);
	}
	free(path);
	n += walk_evidence(ctx->evidence_dir, fc);
	if (fc->leaks > MAX_LEAKS_LISTED)
		fs_buf_addf(report, "warning: ... and %lld more files other users can read; run: chmod -R go-rwx %s\n",
			    (long long)(fc->leaks - MAX_LEAKS_LISTED), ctx->evidence_dir);
	return n;
}
