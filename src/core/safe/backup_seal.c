/* backup_seal.c - the sealed backup: one encrypted file holding a snapshot of
 * the database, its evidence files and the key file as it is, for an off-site
 * copy; restoring it. libsodium: a random file key encrypts the contents as one
 * crypto_secretstream (XChaCha20-Poly1305, chunked, the end marked), and is
 * sealed to each recipient's X25519 public key with crypto_box_seal.
 *
 * File: "FSBKSEAL" | version 1 | n recipients (1 byte) | n x (public key 32 |
 * sealed file key 80) | stream header 24 | messages, each u32 LE length + the
 * encrypted message. The first message is bound to everything before it
 * (additional data). Messages: an entry header (JSON: type db|key|evidence,
 * name, size), then its bytes in chunks; last an "end" entry tagged FINAL. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "FSBKSEAL"
#define SECRET_HEADER "fairshare-backup-secret-v1\n"
enum {
	VERSION = 1,
	MAX_RECIPIENTS = 32,
	CHUNK = 1 << 16,
	SEALED_KEY = crypto_secretstream_xchacha20poly1305_KEYBYTES + crypto_box_SEALBYTES,
	RECIPIENT = crypto_box_PUBLICKEYBYTES + SEALED_KEY,
	PRE_MAX = 10 + MAX_RECIPIENTS * RECIPIENT + crypto_secretstream_xchacha20poly1305_HEADERBYTES,
	MSG_MAX = CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES,
	KEYFILE_MAX = 64 * 1024,
	PATH_CAP = 4200,
};

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* 1 read whole, 0 at end of file before any byte, -1 error or short */
static int read_all(int fd, void *p, size_t n)
{
	unsigned char *b = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return got ? -1 : 0;
		got += (size_t)r;
	}
	return 1;
}

static int parse_hex32(const char *s, size_t n, unsigned char out[32])
{
	size_t len;
	return sodium_hex2bin(out, 32, s, n, NULL, &len, NULL) == 0 && len == 32 ? 0 : -1;
}

/* A public key given as 64 hex characters or a file holding them. */
static int recipient_key(const char *spec, unsigned char pk[32], struct fs_error *err)
{
	if (strlen(spec) == 64 && parse_hex32(spec, 64, pk) == 0)
		return 0;
	struct fs_buf b;
	fs_buf_init(&b, 4096);
	int rc = fs_buf_load(&b, spec);
	size_t s = 0, e = b.len;
	while (s < e && strchr(" \t\r\n", b.data[s]))
		s++;
	while (e > s && strchr(" \t\r\n", b.data[e - 1]))
		e--;
	if (rc || e - s != 64 || parse_hex32(b.data + s, 64, pk))
		rc = fs_fail(err, FS_EINVAL, "seal-to", "recipient '%.200s' is neither a public key (64 hex characters) nor "
			     "a file holding one (made by 'fairshare backup keygen')", spec);
	fs_buf_done(&b);
	return rc;
}

int fs_backup_keygen(const char *secret_path, char pk_hex[65], struct fs_error *err)
{
	int rc = fs_crypto_init(err);
	if (rc)
		return rc;
	unsigned char pk[32], sk[32];
	crypto_box_keypair(pk, sk);
	char text[sizeof(SECRET_HEADER) + 70], pub[70], pub_path[PATH_CAP];
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), sk, sizeof(sk));
	int len = snprintf(text, sizeof(text), "%s%s\n", SECRET_HEADER, hex);
	sodium_bin2hex(pk_hex, 65, pk, sizeof(pk));
	int plen = snprintf(pub, sizeof(pub), "%s\n", pk_hex);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(hex, sizeof(hex));
	if ((size_t)snprintf(pub_path, sizeof(pub_path), "%s.pub", secret_path) >= sizeof(pub_path))
		rc = fs_fail(err, FS_EINVAL, "file", "the path %.200s is too long", secret_path);
	int fd = rc ? -1 : fs_private_create(secret_path, 1);
	if (!rc && fd < 0)
		rc = fs_fail(err, errno == EEXIST ? FS_ECONFLICT : FS_EIO, "file", "cannot create %s: %s", secret_path,
			     errno == EEXIST ? "it exists already (not overwritten)" : strerror(errno));
	if (!rc && (write_all(fd, text, (size_t)len) || fsync(fd)))
		rc = fs_fail(err, FS_EIO, "file", "cannot write %s: %s", secret_path, strerror(errno));
	if (fd >= 0)
		close(fd);
	sodium_memzero(text, sizeof(text));
	int pfd = rc ? -1 : fs_private_create(pub_path, 1);
	if (!rc && (pfd < 0 || write_all(pfd, pub, (size_t)plen) || fsync(pfd)))
		rc = fs_fail(err, FS_EIO, "file", "cannot write %s: %s", pub_path, strerror(errno));
	if (pfd >= 0)
		close(pfd);
	if (rc && fd >= 0)
		unlink(secret_path);
	return rc;
}

static int load_secret(const char *path, unsigned char sk[32], unsigned char pk[32], struct fs_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fs_fail(err, FS_EIO, "secret-key", "cannot open %s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) || (sb.st_mode & 077)) {
		close(fd);
		return fs_fail(err, FS_EPERM, "secret-key", "%s can be read by other users; run: chmod 600 %s", path, path);
	}
	char text[256];
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	size_t hl = strlen(SECRET_HEADER);
	int rc = 0;
	if (n < (ssize_t)(hl + 64) || memcmp(text, SECRET_HEADER, hl) || parse_hex32(text + hl, 64, sk))
		rc = fs_fail(err, FS_EINVAL, "secret-key", "%s is not a backup secret key (made by 'fairshare backup keygen')",
			     path);
	else
		crypto_scalarmult_base(pk, sk);
	sodium_memzero(text, sizeof(text));
	return rc;
}

/* ---- writing ---- */

struct sw {
	int fd;
	crypto_secretstream_xchacha20poly1305_state st;
	const unsigned char *ad; /* the preamble, for the first message only */
	size_t adlen;
	unsigned char c[MSG_MAX];
};

static int push(struct sw *w, const void *p, size_t n, unsigned char tag)
{
	unsigned long long clen;
	crypto_secretstream_xchacha20poly1305_push(&w->st, w->c, &clen, p, n, w->ad, w->adlen, tag);
	w->ad = NULL;
	w->adlen = 0;
	unsigned char len[4] = {(unsigned char)clen, (unsigned char)(clen >> 8), (unsigned char)(clen >> 16),
				(unsigned char)(clen >> 24)};
	return write_all(w->fd, len, 4) || write_all(w->fd, w->c, (size_t)clen) ? -1 : 0;
}

static int push_header(struct sw *w, const char *type, const char *name, int64_t size, unsigned char tag)
{
	json_t *j = json_pack("{ss ss sI}", "type", type, "name", name, "size", (json_int_t)size);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	int rc = s ? push(w, s, strlen(s), tag) : -1;
	free(s);
	return rc;
}

/* An entry from fd (size bytes); hex: the SHA-256 its content must have. */
static int push_file(struct sw *w, const char *type, const char *name, int fd, int64_t size, const char *hex,
		     struct fs_error *err)
{
	if (push_header(w, type, name, size, 0))
		return fs_fail(err, FS_EIO, "backup", "cannot write the sealed backup: %s", strerror(errno));
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	static __thread unsigned char buf[CHUNK];
	for (int64_t left = size; left > 0;) {
		size_t want = left < CHUNK ? (size_t)left : CHUNK;
		if (read_all(fd, buf, want) != 1)
			return fs_fail(err, FS_EINTEGRITY, "backup", "%s %s changed size while it was copied", type, name);
		crypto_hash_sha256_update(&hs, buf, want);
		if (push(w, buf, want, 0))
			return fs_fail(err, FS_EIO, "backup", "cannot write the sealed backup: %s", strerror(errno));
		left -= (int64_t)want;
	}
	unsigned char h[32];
	char got[65];
	crypto_hash_sha256_final(&hs, h);
	fs_hex(h, 32, got);
	if (hex && strcmp(got, hex))
		return fs_fail(err, FS_EINTEGRITY, "evidence", "the evidence file %s is altered; no sealed backup was written "
			       "(run 'fairshare evidence verify')", hex);
	return 0;
}

static int push_path(struct sw *w, const char *type, const char *name, const char *path, const char *hex,
		     struct fs_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb)) {
		int rc = fs_fail(err, hex ? FS_EINTEGRITY : FS_EIO, hex ? "evidence" : "backup", "cannot read %s: %s", path,
				 strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!strcmp(type, "key") && sb.st_size > KEYFILE_MAX) {
		close(fd);
		return fs_fail(err, FS_ELIMIT, "key", "the key file %s is larger than %d bytes", path, KEYFILE_MAX);
	}
	int rc = push_file(w, type, name, fd, (int64_t)sb.st_size, hex, err);
	close(fd);
	return rc;
}

static int seal_contents(struct fs_ctx *ctx, struct sw *w, const char *snap_path, const struct fs_snapshot *snap,
			 const char *key_path, struct fs_error *err)
{
	int rc = push_path(w, "db", "database", snap_path, NULL, err);
	if (!rc)
		rc = push_path(w, "key", "key", key_path, NULL, err);
	char path[PATH_CAP];
	for (size_t i = 0; !rc && i < snap->n; i++) {
		snprintf(path, sizeof(path), "%.4000s/%.2s/%s", ctx->evidence_dir, snap->hex[i], snap->hex[i]);
		rc = push_path(w, "evidence", snap->hex[i], path, snap->hex[i], err);
	}
	if (!rc && push_header(w, "end", "", (int64_t)snap->n + 2, crypto_secretstream_xchacha20poly1305_TAG_FINAL))
		rc = fs_fail(err, FS_EIO, "backup", "cannot write the sealed backup: %s", strerror(errno));
	return rc;
}

int fs_backup_seal(struct fs_ctx *ctx, const char *key_path, const char *dest_file, const char *const *recipients,
		   size_t nrecipients, struct fs_error *err)
{
	if (nrecipients < 1 || nrecipients > MAX_RECIPIENTS)
		return fs_fail(err, FS_EINVAL, "seal-to", "a sealed backup needs 1 to %d recipients", MAX_RECIPIENTS);
	unsigned char pre[PRE_MAX], key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	size_t pl = 0;
	memcpy(pre, MAGIC, 8);
	pre[8] = VERSION;
	pre[9] = (unsigned char)nrecipients;
	pl = 10;
	int rc = 0;
	for (size_t i = 0; i < nrecipients && !rc; i++, pl += RECIPIENT)
		rc = recipient_key(recipients[i], pre + pl, err);
	if (rc)
		return rc;
	if (access(dest_file, F_OK) == 0)
		return fs_fail(err, FS_ECONFLICT, "backup", "%s exists already; choose a new file name", dest_file);
	char lock[PATH_CAP], part[PATH_CAP], snap_path[PATH_CAP];
	int lfd = fs_backup_lock(dest_file, lock, sizeof(lock), err);
	if (lfd < 0)
		return lfd;
	snprintf(part, sizeof(part), "%s", lock);
	memcpy(part + strlen(part) - 5, ".part", 6); /* DIR/.BASE.part beside DIR/.BASE.lock */
	struct sw *w = calloc(1, sizeof(*w));
	int sfd = -1;
	w ? (w->fd = -1) : 0;
	struct fs_snapshot snap = {0};
	if (!w)
		rc = FS_ENOMEM;
	else if (fs_private_mkdir(ctx->evidence_dir) ||
		 (sfd = fs_tmp_create(ctx->evidence_dir, FS_TMP_SNAP, snap_path, sizeof(snap_path))) < 0)
		rc = fs_fail(err, FS_EIO, "backup", "cannot make a snapshot in %s: %s", ctx->evidence_dir, strerror(errno));
	if (!rc) /* the plain snapshot stays beside the live database, as private as it */
		rc = fs_snapshot_take(ctx, snap_path, &snap, err);
	if (!rc && (unlink(part), (w->fd = fs_private_create(part, 1)) < 0))
		rc = fs_fail(err, FS_EIO, "backup", "cannot create %s: %s", part, strerror(errno));
	if (!rc) {
		crypto_secretstream_xchacha20poly1305_keygen(key);
		for (size_t i = 0; i < nrecipients; i++)
			crypto_box_seal(pre + 10 + i * RECIPIENT + 32, key, sizeof(key), pre + 10 + i * RECIPIENT);
		crypto_secretstream_xchacha20poly1305_init_push(&w->st, pre + pl, key);
		sodium_memzero(key, sizeof(key));
		pl += crypto_secretstream_xchacha20poly1305_HEADERBYTES;
		w->ad = pre;
		w->adlen = pl;
		if (write_all(w->fd, pre, pl))
			rc = fs_fail(err, FS_EIO, "backup", "cannot write %s: %s", part, strerror(errno));
	}
	if (!rc)
		rc = seal_contents(ctx, w, snap_path, &snap, key_path, err);
	if (!rc && fsync(w->fd))
		rc = fs_fail(err, FS_EIO, "backup", "cannot write %s: %s", part, strerror(errno));
	if (!rc && access(dest_file, F_OK) == 0)
		rc = fs_fail(err, FS_ECONFLICT, "backup", "%s appeared while the backup was written; it is kept", dest_file);
	if (!rc && rename(part, dest_file))
		rc = fs_fail(err, FS_EIO, "backup", "cannot rename %s to %s: %s", part, dest_file, strerror(errno));
	if (!rc) {
		char *slash = strrchr(part, '/');
		*slash = '\0';
		fs_fsync_dir(part);
	} else if (w && w->fd >= 0) {
		unlink(part);
	}
	if (w) {
		if (w->fd >= 0)
			close(w->fd);
		sodium_memzero(&w->st, sizeof(w->st));
		free(w);
	}
	fs_snapshot_done(&snap);
	if (sfd >= 0) {
		unlink(snap_path);
		close(sfd);
	}
	fs_backup_unlock(lfd, lock);
	return rc;
}

/* ---- restoring ---- */

struct sr {
	int fd;
	crypto_secretstream_xchacha20poly1305_state st;
	const unsigned char *ad;
	size_t adlen;
	int64_t nmsg;
	unsigned char c[MSG_MAX], m[MSG_MAX];
};

/* The next message into r->m: its length, or -1 (error set). */
static long pull(struct sr *r, unsigned char *tag, struct fs_error *err)
{
	unsigned char len[4];
	int got = read_all(r->fd, len, 4);
	unsigned long clen = (unsigned long)len[0] | (unsigned long)len[1] << 8 | (unsigned long)len[2] << 16 |
			     (unsigned long)len[3] << 24;
	r->nmsg++;
	if (got != 1 || clen < crypto_secretstream_xchacha20poly1305_ABYTES || clen > MSG_MAX ||
	    read_all(r->fd, r->c, clen) != 1)
		return fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup is cut short or damaged (part %lld)",
			       (long long)r->nmsg);
	unsigned long long mlen;
	if (crypto_secretstream_xchacha20poly1305_pull(&r->st, r->m, &mlen, tag, r->c, clen, r->ad, r->adlen))
		return fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup was altered or damaged (part %lld does not "
			       "open)", (long long)r->nmsg);
	r->ad = NULL;
	r->adlen = 0;
	return (long)mlen;
}

struct restore_paths {
	char dir[PATH_CAP], db[PATH_CAP], key[PATH_CAP], ev[PATH_CAP];
};

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* One entry's bytes into its file under the temporary folder. */
static int restore_entry(struct sr *r, const struct restore_paths *p, const char *type, const char *name, int64_t size,
			 int *have_db, int *have_key, struct fs_error *err)
{
	char path[PATH_CAP + 80];
	int ev = !strcmp(type, "evidence");
	if (!strcmp(type, "db") && !*have_db) {
		*have_db = 1;
		snprintf(path, sizeof(path), "%s", p->db);
	} else if (!strcmp(type, "key") && !*have_key && size <= KEYFILE_MAX) {
		*have_key = 1;
		snprintf(path, sizeof(path), "%s", p->key);
	} else if (ev && is_hex64(name)) {
		snprintf(path, sizeof(path), "%s/%.2s", p->ev, name);
		if (fs_private_mkdir(p->ev) || fs_private_mkdir(path))
			return fs_fail(err, FS_EIO, "dest", "cannot create %s: %s", path, strerror(errno));
		snprintf(path, sizeof(path), "%s/%.2s/%s", p->ev, name, name);
	} else {
		return fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup holds an unexpected entry (%.20s %.80s)", type,
			       name);
	}
	int fd = fs_private_create(path, 1);
	if (fd < 0)
		return fs_fail(err, FS_EIO, "dest", "cannot create %s: %s", path, strerror(errno));
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	int rc = 0;
	for (int64_t left = size; left > 0 && !rc;) {
		unsigned char tag;
		long n = pull(r, &tag, err);
		if (n < 0)
			rc = (int)n;
		else if (n == 0 || n > left || tag != 0)
			rc = fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup is malformed (part %lld)", (long long)r->nmsg);
		else if (write_all(fd, r->m, (size_t)n))
			rc = fs_fail(err, FS_EIO, "dest", "cannot write %s: %s", path, strerror(errno));
		else {
			crypto_hash_sha256_update(&hs, r->m, (size_t)n);
			left -= n;
		}
	}
	unsigned char h[32];
	char got[65];
	crypto_hash_sha256_final(&hs, h);
	fs_hex(h, 32, got);
	if (!rc && ev && strcmp(got, name))
		rc = fs_fail(err, FS_EINTEGRITY, "backup", "evidence %s in the sealed backup does not match its hash", name);
	if (!rc && (fsync(fd) || (ev && fchmod(fd, 0400))))
		rc = fs_fail(err, FS_EIO, "dest", "cannot write %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

static int restore_stream(struct sr *r, const struct restore_paths *p, struct fs_error *err)
{
	int have_db = 0, have_key = 0, rc = 0;
	int64_t entries = 0;
	for (;;) {
		unsigned char tag;
		long n = pull(r, &tag, err);
		if (n < 0)
			return (int)n;
		r->m[n < MSG_MAX ? n : MSG_MAX - 1] = '\0';
		json_t *j = json_loadb((const char *)r->m, (size_t)n, 0, NULL);
		const char *type = json_string_value(json_object_get(j, "type"));
		const char *name = json_string_value(json_object_get(j, "name"));
		json_t *sz = json_object_get(j, "size");
		int64_t size = json_is_integer(sz) ? json_integer_value(sz) : -1;
		if (!type || !name || size < 0)
			rc = fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup is malformed (part %lld)", (long long)r->nmsg);
		else if (!strcmp(type, "end"))
			rc = tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL || size != entries || !have_db || !have_key
				     ? fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup is incomplete")
				     : 1;
		else if (tag != 0)
			rc = fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup is malformed (part %lld)", (long long)r->nmsg);
		else
			rc = restore_entry(r, p, type, name, size, &have_db, &have_key, err);
		json_decref(j);
		entries++;
		if (rc)
			break;
	}
	if (rc == 1) {
		unsigned char extra;
		rc = read_all(r->fd, &extra, 1) == 0 ? 0
						       : fs_fail(err, FS_EINTEGRITY, "backup", "the sealed backup has data after its end");
	}
	return rc;
}

/* Remove the temporary folder of a restore (it holds db, key, evidence/xx/files). */
static void remove_tree(const struct restore_paths *p)
{
	unlink(p->db);
	unlink(p->key);
	DIR *d = opendir(p->ev);
	struct dirent *de;
	char sub[PATH_CAP + 300], f[PATH_CAP + 600];
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%.255s", p->ev, de->d_name);
		DIR *s = opendir(sub);
		struct dirent *fe;
		while (s && (fe = readdir(s))) {
			snprintf(f, sizeof(f), "%s/%.255s", sub, fe->d_name);
			if (fe->d_name[0] != '.')
				unlink(f);
		}
		if (s)
			closedir(s);
		rmdir(sub);
	}
	if (d)
		closedir(d);
	rmdir(p->ev);
	rmdir(p->dir);
}

/* Open the preamble: the file key for our secret key, the stream ready. */
static int open_preamble(struct sr *r, const char *file, unsigned char *pre, const unsigned char sk[32],
			 const unsigned char pk[32], struct fs_error *err)
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	if (read_all(r->fd, pre, 10) != 1 || memcmp(pre, MAGIC, 8))
		return fs_fail(err, FS_EINVAL, "file", "%s is not a sealed fairshare backup", file);
	if (pre[8] != VERSION || pre[9] < 1 || pre[9] > MAX_RECIPIENTS)
		return fs_fail(err, FS_EVERSION, "file", "%s is a sealed backup of a version this fairshare cannot read", file);
	size_t pl = 10 + (size_t)pre[9] * RECIPIENT;
	if (read_all(r->fd, pre + 10, pl - 10 + crypto_secretstream_xchacha20poly1305_HEADERBYTES) != 1)
		return fs_fail(err, FS_EINTEGRITY, "file", "%s is cut short", file);
	int found = 0, opened = 0;
	for (size_t i = 0; i < pre[9] && !opened; i++) {
		const unsigned char *rc = pre + 10 + i * RECIPIENT;
		if (memcmp(rc, pk, 32))
			continue;
		found = 1;
		opened = crypto_box_seal_open(key, rc + 32, SEALED_KEY, pk, sk) == 0;
	}
	if (!opened)
		return fs_fail(err, FS_ECRYPTO, "secret-key", found ? "%s was altered: its file key does not open"
							    : "%s is not sealed to this secret key", file);
	int bad = crypto_secretstream_xchacha20poly1305_init_pull(&r->st, pre + pl, key);
	sodium_memzero(key, sizeof(key));
	r->ad = pre;
	r->adlen = pl + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	return bad ? fs_fail(err, FS_EINTEGRITY, "file", "%s has a damaged header", file) : 0;
}

/* Remove what restores to dest that were killed left: .BASE.restore-* folders
 * (plain text: a database and its key). Called under dest's backup lock. */
static void sweep_restores(const char *dest_db)
{
	const char *slash = strrchr(dest_db, '/');
	char dir[PATH_CAP], prefix[PATH_CAP];
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - dest_db) + (slash == dest_db) : 1, slash ? dest_db : ".");
	snprintf(prefix, sizeof(prefix), ".%.4000s.restore-", slash ? slash + 1 : dest_db);
	DIR *d = opendir(dir);
	struct dirent *de;
	struct restore_paths *p = calloc(1, sizeof(*p));
	while (p && d && (de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(p->dir, sizeof(p->dir), "%.3000s/%.255s", dir, de->d_name);
		snprintf(p->db, sizeof(p->db), "%.4000s/r.db", p->dir);
		snprintf(p->key, sizeof(p->key), "%.4000s/r.db.key", p->dir);
		snprintf(p->ev, sizeof(p->ev), "%.4000s/r.db.evidence", p->dir);
		remove_tree(p);
	}
	if (d)
		closedir(d);
	free(p);
}

static int place(const char *from, const char *to, struct fs_error *err)
{
	if (access(to, F_OK) == 0)
		return fs_fail(err, FS_ECONFLICT, "dest", "%s exists already; nothing is overwritten", to);
	return rename(from, to) ? fs_fail(err, FS_EIO, "dest", "cannot rename %s to %s: %s", from, to, strerror(errno)) : 0;
}

int fs_backup_restore(const char *file, const char *secret_path, const char *dest_db, struct fs_verify_report *rep,
		      struct fs_error *err)
{
	memset(rep, 0, sizeof(*rep));
	int rc = fs_crypto_init(err);
	if (rc)
		return rc;
	char dkey[PATH_CAP], dev[PATH_CAP];
	if ((size_t)snprintf(dkey, sizeof(dkey), "%s.key", dest_db) >= sizeof(dkey) - 200)
		return fs_fail(err, FS_EINVAL, "dest", "the path %.200s is too long", dest_db);
	snprintf(dev, sizeof(dev), "%s.evidence", dest_db);
	const char *const taken[] = {dest_db, dkey, dev};
	for (size_t i = 0; i < 3; i++)
		if (access(taken[i], F_OK) == 0)
			return fs_fail(err, FS_ECONFLICT, "dest", "%s exists already; nothing is overwritten", taken[i]);
	unsigned char sk[32], pk[32];
	if ((rc = load_secret(secret_path, sk, pk, err)))
		return rc;
	char lock[PATH_CAP];
	int lfd = fs_backup_lock(dest_db, lock, sizeof(lock), err);
	if (lfd < 0) {
		sodium_memzero(sk, sizeof(sk));
		return lfd;
	}
	sweep_restores(dest_db);
	struct sr *r = calloc(1, sizeof(*r));
	struct restore_paths *p = calloc(1, sizeof(*p));
	unsigned char pre[PRE_MAX];
	if (!r || !p) {
		rc = FS_ENOMEM;
		goto out;
	}
	r->fd = -1;
	if ((r->fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = fs_fail(err, FS_EIO, "file", "cannot open %s: %s", file, strerror(errno));
		goto out;
	}
	if ((rc = open_preamble(r, file, pre, sk, pk, err)))
		goto out;
	const char *slash = strrchr(dest_db, '/');
	snprintf(p->dir, sizeof(p->dir), "%.*s/.%s.restore-XXXXXX", slash ? (int)(slash - dest_db) : 1,
		 slash ? dest_db : ".", slash ? slash + 1 : dest_db);
	if (!mkdtemp(p->dir)) {
		rc = fs_fail(err, FS_EIO, "dest", "cannot create %s: %s", p->dir, strerror(errno));
		goto out;
	}
	snprintf(p->db, sizeof(p->db), "%.4000s/r.db", p->dir);
	snprintf(p->key, sizeof(p->key), "%.4000s/r.db.key", p->dir);
	snprintf(p->ev, sizeof(p->ev), "%.4000s/r.db.evidence", p->dir);
	rc = restore_stream(r, p, err);
	if (!rc && fs_private_mkdir(p->ev))
		rc = fs_fail(err, FS_EIO, "dest", "cannot create %s: %s", p->ev, strerror(errno));
	struct fs_ctx *ctx = NULL;
	if (!rc) /* verified before anything takes its name */
		rc = fs_open(p->db, p->key, FS_READONLY, &ctx, err);
	if (!rc) {
		rc = fs_verify(ctx, rep, err);
		fs_close(ctx);
	}
	if (!rc && !(rc = place(p->ev, dev, err)) && !(rc = place(p->key, dkey, err)) && !(rc = place(p->db, dest_db, err))) {
		rmdir(p->dir);
		char dir[PATH_CAP];
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - dest_db) + (slash == dest_db) : 1, slash ? dest_db : ".");
		fs_fsync_dir(dir);
	}
	if (rc)
		remove_tree(p);
out:
	sodium_memzero(sk, sizeof(sk));
	if (r) {
		if (r->fd >= 0)
			close(r->fd);
		sodium_memzero(&r->st, sizeof(r->st));
	}
	free(r);
	free(p);
	fs_backup_unlock(lfd, lock);
	return rc;
}
