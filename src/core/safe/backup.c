/* backup.c - backups that are whole or absent: a consistent snapshot of the
 * database and the evidence files it names, written under temporary names in
 * the destination and renamed into place once complete and checked; checking a
 * backup without the live database. The sealed (encrypted) form is in
 * backup_seal.c. See doc/backup.md. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { PATH_CAP = 4200 };

/* dir and base name of a path ("." when it has no folder) */
static int split_path(const char *path, char *dir, size_t dcap, const char **base)
{
	const char *slash = strrchr(path, '/');
	*base = slash ? slash + 1 : path;
	int n = slash ? snprintf(dir, dcap, "%.*s", slash == path ? 1 : (int)(slash - path), path) : snprintf(dir, dcap, ".");
	return n < 0 || (size_t)n >= dcap || !**base || strlen(path) > 4000 ? -1 : 0;
}

/* "DIR/.BASE<suffix>" */
static int hidden_path(const char *dest, const char *suffix, char *out, size_t cap)
{
	char dir[PATH_CAP];
	const char *base;
	if (split_path(dest, dir, sizeof(dir), &base))
		return -1;
	return (size_t)snprintf(out, cap, "%s/.%s%s", dir, base, suffix) >= cap ? -1 : 0;
}

int fs_backup_lock(const char *dest, char *lock_path, size_t cap, struct fs_error *err)
{
	if (hidden_path(dest, ".lock", lock_path, cap))
		return fs_fail(err, FS_EINVAL, "backup", "the backup path %.200s is too long or names no file", dest);
	for (int tries = 0; tries < 4; tries++) {
		int fd = fs_private_create(lock_path, 0);
		if (fd < 0)
			return fs_fail(err, FS_EIO, "backup", "cannot create %s: %s", lock_path, strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			close(fd);
			return fs_fail(err, FS_ECONFLICT, "backup", "another backup to %s is running (%s is locked)", dest, lock_path);
		}
		struct stat a, b; /* still the lock file under that name (a finishing backup removes it) */
		if (fstat(fd, &a) == 0 && stat(lock_path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	return fs_fail(err, FS_ECONFLICT, "backup", "another backup to %s is running", dest);
}

void fs_backup_unlock(int fd, const char *lock_path)
{
	if (fd < 0)
		return;
	unlink(lock_path);
	close(fd);
}

/* ---- the snapshot ---- */

struct list_ud {
	struct fs_snapshot *snap;
	const struct fs_entity *e;
	int oom;
};

static int list_cb(void *p, const struct fs_value *v)
{
	struct list_ud *u = p;
	struct fs_snapshot *s = u->snap;
	const struct fs_value *hv = &v[0]; /* the one column asked for: a database of an older schema has it too */
	if (hv->type != FS_VTEXT || hv->n != 64)
		return 0; /* verify reports it; there is no file to copy */
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		void *grown = realloc(s->hex, cap * sizeof(*s->hex));
		if (!grown)
			return u->oom = 1;
		s->hex = grown;
		s->cap = cap;
	}
	memcpy(s->hex[s->n], hv->p, 64);
	s->hex[s->n++][64] = '\0';
	return 0;
}

void fs_snapshot_done(struct fs_snapshot *snap)
{
	free(snap->hex);
	memset(snap, 0, sizeof(*snap));
}

/* The copy is a sound SQLite file (its structure: the full check with indexes
 * and references is backup --verify's) with the snapshot's journal head. */
static int check_copy(const char *tmp_db, const struct fs_snapshot *snap, struct fs_error *err)
{
	struct fs_store *st;
	int rc = fs_store_open(tmp_db, FS_OPEN_READONLY | FS_OPEN_ASIS, &st, err); /* as taken: never migrated */
	if (rc)
		return rc;
	struct fs_buf report;
	fs_buf_init(&report, 4096);
	int64_t seq = 0;
	unsigned char head[32];
	rc = st->ops->check_quick(st, &report, err);
	if (!rc)
		rc = fs_store_journal_head(st, &seq, head, err);
	if (!rc && report.len)
		rc = fs_fail(err, FS_EINTEGRITY, "backup", "the copy of the database fails its check: %.200s", report.data);
	else if (!rc && (seq != snap->seq || memcmp(head, snap->head, sizeof(head))))
		rc = fs_fail(err, FS_EINTEGRITY, "backup", "the copy of the database does not end with the journal "
			     "entry it was taken at (%lld)", (long long)snap->seq);
	fs_buf_done(&report);
	fs_store_close(st);
	return rc;
}

int fs_snapshot_take(struct fs_ctx *ctx, const char *tmp_db, struct fs_snapshot *snap, struct fs_error *err)
{
	memset(snap, 0, sizeof(*snap));
	const struct fs_entity *e = fs_entity_lookup("evidence");
	struct list_ud u = {snap, e, 0};
	static const char *const cols[] = {"sha256"};
	struct fs_query q = {.table = &e->table, .columns = cols, .ncolumns = 1};
	/* one read transaction: the journal head, the evidence list and every page
	 * copied are the same moment of the database */
	int rc = fs_read_begin(ctx, err);
	if (rc)
		return rc;
	rc = fs_store_journal_head(ctx->st, &snap->seq, snap->head, err);
	if (!rc)
		rc = fs_store_select(ctx->st, &q, list_cb, &u, err);
	if (!rc && u.oom)
		rc = FS_ENOMEM;
	if (!rc)
		rc = ctx->st->ops->backup(ctx->st, tmp_db, err);
	fs_read_end(ctx);
	if (!rc)
		rc = check_copy(tmp_db, snap, err);
	if (rc)
		fs_snapshot_done(snap);
	return rc;
}

/* ---- evidence files into DEST.evidence ---- */

struct ev_copy {
	int64_t copied, kept, bad;
};

/* Is the file at path whole (its SHA-256 is its name)? */
static int whole(const char *path, const char *hex)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	char got[65];
	int ok = fs_sha256_fd(fd, -1, got, NULL) == 0 && strcmp(got, hex) == 0;
	close(fd);
	return ok;
}

static int copy_one(struct fs_ctx *ctx, const char *dest_dir, const char *hex, struct ev_copy *c, struct fs_error *err)
{
	char src[PATH_CAP], sub[PATH_CAP], dst[PATH_CAP + 80], tmp[PATH_CAP + 80];
	if ((size_t)snprintf(src, sizeof(src), "%s/%.2s/%s", ctx->evidence_dir, hex, hex) >= sizeof(src) ||
	    (size_t)snprintf(sub, sizeof(sub), "%s/%.2s", dest_dir, hex) >= sizeof(sub) - 100)
		return fs_fail(err, FS_EINVAL, "backup", "the backup path is too long");
	snprintf(dst, sizeof(dst), "%s/%s", sub, hex);
	snprintf(tmp, sizeof(tmp), "%s/.part-%s", sub, hex);
	if (whole(dst, hex)) { /* compared by hash, not taken on trust by its name */
		c->kept++;
		return 0;
	}
	if (fs_private_mkdir(sub))
		return fs_fail(err, FS_EIO, "backup", "cannot create %s: %s", sub, strerror(errno));
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		c->bad++;
		return 0;
	}
	int out = fs_private_create(tmp, 0); /* a leftover of an interrupted run is started over */
	if (out < 0) {
		int rc = fs_fail(err, FS_EIO, "backup", "cannot create %s: %s", tmp, strerror(errno));
		close(in);
		return rc;
	}
	char got[65];
	int failed = fs_sha256_fd(in, out, got, NULL) || fsync(out);
	int e = errno;
	close(in);
	if (failed) {
		close(out);
		unlink(tmp);
		return fs_fail(err, FS_EIO, "backup", "copying %s failed: %s", src, strerror(e));
	}
	if (strcmp(got, hex)) { /* an altered file is not carried into the backup */
		close(out);
		unlink(tmp);
		c->bad++;
		return 0;
	}
	if (fchmod(out, 0400) || rename(tmp, dst)) {
		e = errno;
		close(out);
		unlink(tmp);
		return fs_fail(err, FS_EIO, "backup", "cannot store %s: %s", dst, strerror(e));
	}
	close(out);
	fs_fsync_dir(sub);
	c->copied++;
	return 0;
}

static int unlink_db(const char *path)
{
	char side[PATH_CAP + 16];
	static const char *const suffixes[] = {"-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(side, sizeof(side), "%s%s", path, suffixes[i]);
		unlink(side);
	}
	return unlink(path) && errno != ENOENT ? -1 : 0;
}

int fs_backup(struct fs_ctx *ctx, const char *dest_path, struct fs_error *err)
{
	char lock[PATH_CAP], part[PATH_CAP], evdir[PATH_CAP], dir[PATH_CAP];
	const char *base;
	if (split_path(dest_path, dir, sizeof(dir), &base) || hidden_path(dest_path, ".partial", part, sizeof(part)))
		return fs_fail(err, FS_EINVAL, "backup", "the backup path %.200s is too long or names no file", dest_path);
	snprintf(evdir, sizeof(evdir), "%s.evidence", dest_path);
	if (access(dest_path, F_OK) == 0)
		return fs_fail(err, FS_ECONFLICT, "backup", "%s exists already; choose a new file name", dest_path);
	int rc = 0, lfd = fs_backup_lock(dest_path, lock, sizeof(lock), err);
	if (lfd < 0)
		return lfd;
	struct fs_snapshot snap;
	struct ev_copy c = {0};
	if (unlink_db(part)) /* an interrupted run's copy: started over */
		rc = fs_fail(err, FS_EIO, "backup", "cannot remove %s: %s", part, strerror(errno));
	if (!rc)
		rc = fs_snapshot_take(ctx, part, &snap, err);
	if (rc)
		goto out_unlock;
	if (fs_private_mkdir(evdir))
		rc = fs_fail(err, FS_EIO, "backup", "cannot create %s: %s", evdir, strerror(errno));
	for (size_t i = 0; !rc && i < snap.n; i++)
		rc = copy_one(ctx, evdir, snap.hex[i], &c, err);
	fs_snapshot_done(&snap);
	if (!rc) {
		fs_fsync_dir(evdir);
		if (access(dest_path, F_OK) == 0)
			rc = fs_fail(err, FS_ECONFLICT, "backup", "%s appeared while the backup was written; it is kept", dest_path);
		else if (rename(part, dest_path))
			rc = fs_fail(err, FS_EIO, "backup", "cannot rename %s to %s: %s", part, dest_path, strerror(errno));
		else
			fs_fsync_dir(dir);
	}
	if (!rc && c.bad) /* the backup holds everything else: better than none */
		rc = fs_fail(err, FS_EINTEGRITY, "evidence", "%lld evidence files are missing or altered and were not backed "
			     "up; run 'fairshare evidence verify'", (long long)c.bad);
out_unlock:
	if (rc) /* nothing when it was renamed into place */
		unlink_db(part);
	fs_backup_unlock(lfd, lock);
	return rc;
}

/* ---- checking a backup ---- */

/* Leftovers of an interrupted backup beside DEST and in DEST.evidence. */
static int64_t leftovers(const char *dest_path, struct fs_buf *text)
{
	char path[PATH_CAP];
	int64_t n = 0;
	static const char *const mine[] = {".partial", ".lock"};
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
		if (!hidden_path(dest_path, mine[i], path, sizeof(path)) && access(path, F_OK) == 0) {
			fs_buf_addf(text, "warning: %s is left by an interrupted backup (a rerun removes it)\n", path);
			n++;
		}
	}
	snprintf(path, sizeof(path), "%s.evidence", dest_path);
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char sub[PATH_CAP + 300];
		snprintf(sub, sizeof(sub), "%s/%.255s", path, de->d_name);
		DIR *s = strlen(de->d_name) == 2 ? opendir(sub) : NULL;
		struct dirent *fe;
		while (s && (fe = readdir(s))) {
			if (!strncmp(fe->d_name, ".part-", 6)) {
				fs_buf_addf(text, "warning: %s/%.255s is a partial copy left by an interrupted backup "
					    "(a rerun replaces it)\n", sub, fe->d_name);
				n++;
			}
		}
		if (s)
			closedir(s);
	}
	if (d)
		closedir(d);
	return n;
}

int fs_backup_verify(const char *dest_path, const char *key_path, struct fs_verify_report *rep, struct fs_error *err)
{
	memset(rep, 0, sizeof(*rep));
	struct stat sb;
	if (stat(dest_path, &sb) || !S_ISREG(sb.st_mode)) {
		char part[PATH_CAP];
		int partial = !hidden_path(dest_path, ".partial", part, sizeof(part)) && access(part, F_OK) == 0;
		return fs_fail(err, FS_ENOTFOUND, "backup", "there is no backup at %s%s", dest_path,
			       partial ? " (only the remains of an interrupted one: run the backup again)" : "");
	}
	struct fs_ctx *ctx;
	int rc = fs_open(dest_path, key_path, FS_READONLY, &ctx, err);
	if (rc)
		return rc;
	rc = fs_verify(ctx, rep, err);
	fs_close(ctx);
	if (rc && rc != FS_EINTEGRITY)
		return rc;
	struct fs_buf text;
	fs_buf_init(&text, 4096);
	if (rep->text)
		fs_buf_add(&text, rep->text, strlen(rep->text));
	rep->warnings += leftovers(dest_path, &text);
	free(rep->text);
	rep->text = fs_buf_take(&text);
	return rc;
}
