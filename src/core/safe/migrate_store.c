/* migrate_store.c - a whole installation from one store into another (SQLite
 * file <-> PostgreSQL database): the journal is verified on the source, every
 * row is copied as it is in one snapshot of the source and one transaction of
 * the destination, the evidence files follow, and the journal is verified on
 * the destination, which must end at the same head. The key file is the same
 * file on both sides (it is never in a database). See doc/postgres.md. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy_file(const char *src, const char *dst, struct fs_error *err)
{
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return fs_fail(err, FS_EIO, "evidence", "cannot read %s: %s", src, strerror(errno));
	int out = fs_private_create(dst, 1);
	if (out < 0) {
		int e = errno;
		close(in);
		if (e == EEXIST)
			return 0; /* content-addressed: the same name is the same file (verify compares) */
		return fs_fail(err, FS_EIO, "evidence", "cannot create %s: %s", dst, strerror(e));
	}
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = fs_fail(err, FS_EIO, "evidence", "cannot write %s: %s", dst, strerror(errno));
			break;
		}
	if (!rc && (n < 0 || fsync(out)))
		rc = fs_fail(err, FS_EIO, "evidence", "cannot copy %s: %s", src, strerror(errno));
	close(in);
	close(out);
	return rc;
}

/* FROM.evidence/xx/HASH -> TO.evidence/xx/HASH */
static int copy_evidence(const char *from, const char *to, int64_t *files, struct fs_error *err)
{
	if (!strcmp(from, to))
		return 0;
	DIR *d = opendir(from);
	if (!d)
		return errno == ENOENT ? 0 : fs_fail(err, FS_EIO, "evidence", "cannot read %s: %s", from, strerror(errno));
	int rc = fs_private_mkdir(to) ? fs_fail(err, FS_EIO, "evidence", "cannot create %s: %s", to, strerror(errno)) : 0;
	struct dirent *de;
	while (!rc && (de = readdir(d))) {
		if (strlen(de->d_name) != 2 || de->d_name[0] == '.')
			continue;
		char sf[4200], tf[4200];
		snprintf(sf, sizeof(sf), "%.4000s/%.2s", from, de->d_name);
		snprintf(tf, sizeof(tf), "%.4000s/%.2s", to, de->d_name);
		DIR *sub = opendir(sf);
		if (!sub)
			continue;
		if (fs_private_mkdir(tf))
			rc = fs_fail(err, FS_EIO, "evidence", "cannot create %s: %s", tf, strerror(errno));
		struct dirent *fe;
		while (!rc && (fe = readdir(sub))) {
			if (strlen(fe->d_name) != 64)
				continue; /* temporaries and the like stay */
			char a[4300], b[4300];
			snprintf(a, sizeof(a), "%s/%.64s", sf, fe->d_name);
			snprintf(b, sizeof(b), "%s/%.64s", tf, fe->d_name);
			if (!(rc = copy_file(a, b, err)))
				(*files)++;
		}
		closedir(sub);
	}
	closedir(d);
	return rc;
}

int fs_migrate_store(const char *from, const char *to, const char *key_path, struct fs_migrate_report *rep,
		     struct fs_error *err)
{
	memset(rep, 0, sizeof(*rep));
	if (!strcmp(from, to))
		return fs_fail(err, FS_EINVAL, "to", "FROM and TO are the same database");
	struct fs_ctx *src = NULL, *dst = NULL;
	struct fs_verify_report vr;
	int rc = fs_open(from, key_path, 0, &src, err);
	if (!rc) {
		rc = fs_verify(src, &vr, err);
		free(vr.text);
		if (rc)
			fs_fail(err, rc, "from", "the source does not verify (%s): nothing was copied; run 'fairshare verify'",
				err ? err->message : "");
	}
	struct fs_store *out = NULL;
	int64_t seq = 0, entries = 0; /* numbers may skip on PostgreSQL: the entries are counted */
	unsigned char head[FS_HASH_BYTES];
	struct fs_query jq = {.table = &fs_journal_table};
	if (!rc && !(rc = fs_read_begin(src, err))) { /* one moment of the source */
		rc = fs_store_journal_head(src->st, &seq, head, err);
		if (!rc)
			rc = fs_store_count(src->st, &jq, &entries, err);
		if (!rc)
			rc = fs_store_open(to, FS_OPEN_CREATE, &out, err);
		if (!rc)
			rc = fs_store_copy(src->st, out, err);
		fs_store_close(out);
		fs_read_end(src);
	}
	const char *to_key = key_path ? key_path : NULL;
	char keybuf[4200];
	if (!to_key && !fs_store_is_server(from)) { /* the source's own key file, by its default name */
		snprintf(keybuf, sizeof(keybuf), "%.4000s.key", from);
		to_key = keybuf;
	}
	if (!rc)
		rc = fs_open(to, to_key, 0, &dst, err);
	if (!rc)
		rc = copy_evidence(src->evidence_dir, dst->evidence_dir, &rep->files, err);
	if (!rc) {
		rc = fs_verify(dst, &vr, err);
		if (!rc) {
			rep->entries = vr.entries;
			rep->rows = vr.rows;
			memcpy(rep->head, vr.head_hash, sizeof(rep->head));
		}
		free(vr.text);
		char hex[2 * FS_HASH_BYTES + 1];
		fs_hex(head, FS_HASH_BYTES, hex);
		if (!rc && (vr.entries != entries || strcmp(hex, vr.head_hash)))
			rc = fs_fail(err, FS_EINTEGRITY, "to", "the copy holds %lld journal entries ending at %s, the source %lld "
				     "ending at entry %lld (%s)", (long long)vr.entries, vr.head_hash, (long long)entries, (long long)seq, hex);
	}
	fs_close(dst);
	fs_close(src);
	return rc;
}
