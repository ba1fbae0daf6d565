/* evidence.c - evidence files, stored content-addressed by SHA-256 in the folder
 * DB.evidence beside the database (ab/abcdef..., read-only files), each with an
 * append-only custody log: added, viewed, exported, verified. The custody log is
 * a hash chain (prev_hash, hash) per organization like the ledger's transfers
 * (org_chains.c); verify re-hashes
 * every file and walks the chain. The evidence record itself (what it shows, who
 * provided it, handling level) is an ordinary journaled entity. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { C_SEQ, C_ORG, C_EVID, C_EVENT, C_TS, C_ACTOR, C_DETAIL, C_PREV, C_HASH, C_NCOLS };
static const struct fs_column custody_cols[C_NCOLS] = {{"seq", FS_VINT}, {"org_id", FS_VINT},
	{"evidence_id", FS_VINT}, {"event", FS_VTEXT}, {"ts", FS_VTEXT}, {"actor", FS_VTEXT}, {"detail", FS_VTEXT},
	{"prev_hash", FS_VBLOB}, {"hash", FS_VBLOB}};
static const struct fs_table custody_table = {"evidence_custody", custody_cols, C_NCOLS};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Copy (when out >= 0) and hash everything readable from fd. */
int fs_sha256_fd(int fd, int out, char hex[65], int64_t *size)
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	unsigned char buf[1 << 16];
	int64_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		total += n;
		for (ssize_t off = 0; out >= 0 && off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			off += w;
		}
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	fs_hex(h, sizeof(h), hex);
	if (size)
		*size = total;
	return 0;
}

static int stored_path(const struct fs_ctx *ctx, const char *hex, char *out, size_t cap)
{
	return (size_t)snprintf(out, cap, "%s/%.2s/%s", ctx->evidence_dir, hex, hex) >= cap ? -1 : 0;
}

/* The head of the organization's custody chain (zeros when empty), inside the caller's transaction. */
static int custody_head_load(struct fs_ctx *ctx, unsigned char head[FS_HASH_BYTES], struct fs_error *err)
{
	return fs_org_chain_head(ctx, &custody_table, FS_CUSTODY_CHAINS, ctx->org_id, head, err);
}

/* Append one custody event after head (inside the caller's transaction); head
 * becomes the new event's hash. */
static int custody_append(struct fs_ctx *ctx, unsigned char head[FS_HASH_BYTES], int64_t evidence_id,
			  const char *event, const char *detail, struct fs_error *err)
{
	const unsigned char *prev = head;
	char ts[32];
	fs_now_iso(ts);
	struct fs_value v[C_NCOLS];
	v[C_SEQ] = fs_vnull();
	v[C_ORG] = fs_vint(ctx->org_id);
	v[C_EVID] = fs_vint(evidence_id);
	v[C_EVENT] = fs_vtext(event);
	v[C_TS] = fs_vtext(ts);
	v[C_ACTOR] = fs_vtext(ctx->actor);
	v[C_DETAIL] = fs_vtext(detail && *detail ? detail : NULL);
	v[C_PREV] = fs_vblob(prev, FS_HASH_BYTES);
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values("evidence_custody", &v[C_ORG], C_HASH - C_ORG, h);
	v[C_HASH] = fs_vblob(h, FS_HASH_BYTES);
	int64_t seq;
	int rc = fs_store_insert(ctx->st, &custody_table, v, &seq, err);
	if (!rc)
		rc = fs_journal_custody(ctx, evidence_id, seq, h, err);
	if (!rc)
		memcpy(head, h, FS_HASH_BYTES);
	return rc;
}

/* One custody event in its own transaction. */
static int custody_add(struct fs_ctx *ctx, int64_t evidence_id, const char *event, const char *detail,
		       struct fs_error *err);
static int custody_event(struct fs_ctx *ctx, int64_t evidence_id, const char *event, const char *detail,
			 struct fs_error *err)
{
	int rc = fs_tx_begin(ctx, err);
	if (!rc)
		rc = fs_tx_end(ctx, custody_add(ctx, evidence_id, event, detail, err), err);
	return rc;
}

/* One custody event inside the caller's transaction. */
static int custody_add(struct fs_ctx *ctx, int64_t evidence_id, const char *event, const char *detail,
		       struct fs_error *err)
{
	unsigned char head[FS_HASH_BYTES];
	int rc = custody_head_load(ctx, head, err);
	return rc ? rc : custody_append(ctx, head, evidence_id, event, detail, err);
}

struct find_ud {
	int64_t id;
};

static int find_cb(void *p, const struct fs_value *v)
{
	((struct find_ud *)p)->id = v[0].i;
	return 1;
}

static int find_by_hash(struct fs_ctx *ctx, const char *hex, int64_t *id, struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_find("evidence");
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"sha256", FS_EQ, fs_vtext(hex)}};
	static const char *const cols[] = {"id"};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1, .columns = cols, .ncolumns = 1};
	struct find_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, find_cb, &u, err);
	*id = u.id;
	return rc;
}

/* Where an evidence file comes from: an open file, or bytes in memory (an upload). */
struct ev_src {
	int fd;                   /* -1 for mem */
	const unsigned char *mem;
	size_t len;
	const char *name;         /* for messages and the default filename */
};

/* Copy the source to out and hash it. */
static int copy_src(const struct ev_src *src, int out, char hex[65], int64_t *size)
{
	if (src->fd >= 0)
		return fs_sha256_fd(src->fd, out, hex, size);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, src->mem, (unsigned long long)src->len);
	fs_hex(h, sizeof(h), hex);
	*size = (int64_t)src->len;
	for (size_t off = 0; off < src->len;) {
		ssize_t w = write(out, src->mem + off, src->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Put the content into the evidence folder (temporary file, fsync, rename to its
 * SHA-256); *hex and *size describe it. */
static int store_src(struct fs_ctx *ctx, const struct ev_src *src, char hex[65], int64_t *size, int *created,
		     struct fs_error *err)
{
	*created = 0;
	if (mkdir(ctx->evidence_dir, 0700) && errno != EEXIST)
		return fs_fail(err, FS_EIO, "evidence", "cannot create the evidence folder %s: %s", ctx->evidence_dir,
			       strerror(errno));
	size_t dl = strlen(ctx->evidence_dir);
	char *tmp = malloc(dl + 32), *final = malloc(dl + 100);
	if (!tmp || !final) {
		free(tmp);
		free(final);
		return FS_ENOMEM;
	}
	int rc = 0;
	/* locked while this process lives: a later open removes it only once we are gone */
	int out = fs_tmp_create(ctx->evidence_dir, FS_TMP_ADD, tmp, dl + 32);
	if (out < 0) {
		rc = fs_fail(err, FS_EIO, "evidence", "cannot write into %s: %s", ctx->evidence_dir, strerror(errno));
		goto done;
	}
	if (copy_src(src, out, hex, size) || fsync(out)) {
		rc = fs_fail(err, FS_EIO, "file", "copying %s failed: %s", src->name, strerror(errno));
		close(out);
		unlink(tmp);
		goto done;
	}
	snprintf(final, dl + 100, "%s/%.2s", ctx->evidence_dir, hex);
	if (mkdir(final, 0700) && errno != EEXIST) {
		rc = fs_fail(err, FS_EIO, "evidence", "cannot create %s: %s", final, strerror(errno));
		unlink(tmp);
		close(out);
		goto done;
	}
	stored_path(ctx, hex, final, dl + 100);
	int have = open(final, O_RDONLY | O_CLOEXEC);
	if (have >= 0) { /* the same content is there already, unless it was altered */
		char got[65];
		int bad = fs_sha256_fd(have, -1, got, NULL) || strcmp(got, hex);
		close(have);
		unlink(tmp);
		if (bad)
			rc = fs_fail(err, FS_EINTEGRITY, "evidence", "the stored copy %s has been altered; it is kept as it is "
				     "for 'fairshare evidence verify' to report", final);
	} else if (fchmod(out, 0400) || rename(tmp, final)) {
		rc = fs_fail(err, FS_EIO, "evidence", "cannot store %s: %s", final, strerror(errno));
		unlink(tmp);
	} else {
		*created = 1;
		char *slash = strrchr(final, '/');
		*slash = '\0';
		fs_fsync_dir(final);
	}
	close(out); /* releases the lock, after the rename */
done:
	free(tmp);
	free(final);
	return rc;
}

static int add_src(struct fs_ctx *ctx, const struct ev_src *src, const struct fs_kv *kv, size_t n, json_t **ret,
		   struct fs_error *err);

int fs_evidence_add(struct fs_ctx *ctx, const char *path, const struct fs_kv *kv, size_t n, json_t **ret,
		    struct fs_error *err)
{
	*ret = NULL;
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return fs_fail(err, FS_EIO, "file", "cannot read %s: %s", path, strerror(errno));
	struct stat sb;
	int rc;
	if (fstat(in, &sb) || !S_ISREG(sb.st_mode)) {
		rc = fs_fail(err, FS_EINVAL, "file", "%s is not a regular file", path);
	} else {
		struct ev_src src = {in, NULL, 0, base_name(path)};
		rc = add_src(ctx, &src, kv, n, ret, err);
	}
	close(in);
	return rc;
}

int fs_evidence_add_data(struct fs_ctx *ctx, const void *data, size_t len, const struct fs_kv *kv, size_t n, json_t **ret,
			 struct fs_error *err)
{
	*ret = NULL;
	const char *name = NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, "filename"))
			name = kv[i].value;
	if (!name || !*name)
		return fs_fail(err, FS_EINVAL, "filename", "give the file's name (?filename=...)");
	if (!len)
		return fs_fail(err, FS_EINVAL, "file", "the file is empty: send it as the request body");
	struct ev_src src = {-1, data, len, name};
	return add_src(ctx, &src, kv, n, ret, err);
}

static int add_src(struct fs_ctx *ctx, const struct ev_src *src, const struct fs_kv *kv, size_t n, json_t **ret,
		   struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, "sha256") || !strcmp(kv[i].key, "size"))
			return fs_fail(err, FS_EINVAL, kv[i].key, "is computed from the file; it cannot be given");
	char hex[65], size_s[24];
	int64_t size = 0;
	int created;
	int rc = store_src(ctx, src, hex, &size, &created, err);
	if (rc)
		return rc;
	snprintf(size_s, sizeof(size_s), "%lld", (long long)size);
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	int64_t id = 0;
	int existed = 0;
	rc = find_by_hash(ctx, hex, &id, err);
	if (!rc && id) {
		existed = 1;
		const char *shown = src->name;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(kv[i].key, "filename") && kv[i].value)
				shown = kv[i].value;
		if (n)
			rc = fs_fail(err, FS_ECONFLICT, "file", "%s is evidence %lld already; change its fields with "
				     "'fairshare evidence edit %lld'", shown, (long long)id, (long long)id);
	} else if (!rc) {
		struct fs_kv *all = calloc(n + 3, sizeof(*all));
		if (!all)
			rc = FS_ENOMEM;
		int has_name = 0;
		for (size_t i = 0; !rc && i < n; i++) {
			all[i] = kv[i];
			has_name |= !strcmp(kv[i].key, "filename");
		}
		size_t m = n;
		if (!rc) {
			all[m++] = (struct fs_kv){"sha256", hex};
			all[m++] = (struct fs_kv){"size", size_s};
			if (!has_name)
				all[m++] = (struct fs_kv){"filename", src->name};
			ctx->managed_ok = 1;
			rc = fs_create(ctx, fs_entity_find("evidence"), all, m, &id, err);
			ctx->managed_ok = 0;
		}
		free(all);
		if (!rc) {
			char detail[80];
			snprintf(detail, sizeof(detail), "%lld bytes", (long long)size);
			rc = custody_add(ctx, id, "added", detail, err);
		}
	}
	if ((rc = fs_tx_end(ctx, rc, err))) {
		/* refused (bad field, conflict): a file this call put there and no record
		 * of any organization names is taken away again, not left behind */
		char path[4096];
		struct fs_filter f = {"sha256", FS_EQ, fs_vtext(hex)};
		struct fs_query q = {.table = &fs_entity_find("evidence")->table, .filters = &f, .nfilters = 1};
		int64_t refs = 1;
		if (created && !fs_store_count(ctx->st, &q, &refs, NULL) && !refs && !stored_path(ctx, hex, path, sizeof(path)))
			unlink(path);
		return rc;
	}
	*ret = json_pack("{sI sb ss sI}", "id", (json_int_t)id, "existed", existed, "sha256", hex, "size", (json_int_t)size);
	return *ret ? 0 : FS_ENOMEM;
}

/* The record's sha256 (checked to belong to this organization and to be readable
 * by the principal). */
static int evidence_hash(struct fs_ctx *ctx, int64_t id, char hex[65], struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_find("evidence");
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, id, &row, NULL);
	/* evidence the principal's role may not read (its handling) does not exist */
	if (rc || row.vals[e->org_col].i != ctx->org_id || !fs_row_shown(ctx, e, row.vals, 0, NULL)) {
		if (!rc)
			fs_row_free(&row);
		return fs_fail(err, FS_ENOTFOUND, "evidence", "there is no evidence with id %lld", (long long)id);
	}
	const struct fs_value *h = &row.vals[e->col_of[fs_field_index(e, "sha256")]];
	snprintf(hex, 65, "%.*s", (int)h->n, (const char *)h->p);
	fs_row_free(&row);
	return 0;
}

static int custody_row_json(void *p, const struct fs_value *v)
{
	json_t *o = json_pack("{sI ss ss ss ss?}", "seq", (json_int_t)v[C_SEQ].i, "event", v[C_EVENT].p, "at",
			      v[C_TS].p, "by", v[C_ACTOR].p, "detail", v[C_DETAIL].type == FS_VTEXT ? v[C_DETAIL].p : NULL);
	return !o || json_array_append_new(p, o);
}

int fs_evidence_show(struct fs_ctx *ctx, int64_t id, unsigned flags, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "record.read", err);
	if (cap_rc)
		return cap_rc;
	char hex[65];
	int rc = fs_tx_begin(ctx, err);
	if (rc)
		return rc;
	json_t *rec = NULL, *log = json_array();
	rc = evidence_hash(ctx, id, hex, err);
	if (!rc)
		rc = custody_add(ctx, id, "viewed", NULL, err);
	if (!rc)
		rc = fs_get(ctx, fs_entity_find("evidence"), id, flags, &rec, err);
	if (!rc) {
		struct fs_filter f = {"evidence_id", FS_EQ, fs_vint(id)};
		struct fs_query q = {.table = &custody_table, .filters = &f, .nfilters = 1, .order_by = "seq"};
		rc = log ? fs_store_select(ctx->st, &q, custody_row_json, log, err) : FS_ENOMEM;
	}
	if ((rc = fs_tx_end(ctx, rc, err))) {
		json_decref(rec);
		json_decref(log);
		return rc;
	}
	char path[4096];
	stored_path(ctx, hex, path, sizeof(path));
	json_object_set_new(rec, "stored_as", json_string(path));
	json_object_set_new(rec, "custody", log);
	*ret = rec;
	return 0;
}

int fs_evidence_export(struct fs_ctx *ctx, int64_t id, const char *dest, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "record.read", err);
	if (cap_rc)
		return cap_rc;
	char hex[65], got[65], path[4096];
	int rc = evidence_hash(ctx, id, hex, err);
	if (rc)
		return rc;
	stored_path(ctx, hex, path, sizeof(path));
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return fs_fail(err, FS_EINTEGRITY, "evidence", "evidence %lld: the file %s is missing", (long long)id, path);
	int out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = fs_fail(err, errno == EEXIST ? FS_ECONFLICT : FS_EIO, "dest", "cannot create %s: %s", dest,
			     errno == EEXIST ? "it exists already (not overwritten)" : strerror(errno));
		close(in);
		return rc;
	}
	if (fs_sha256_fd(in, out, got, NULL) || fsync(out))
		rc = fs_fail(err, FS_EIO, "dest", "writing %s failed: %s", dest, strerror(errno));
	else if (strcmp(got, hex))
		rc = fs_fail(err, FS_EINTEGRITY, "evidence", "evidence %lld has been altered (SHA-256 %s, recorded %s); not exported",
			     (long long)id, got, hex);
	close(in);
	close(out);
	if (rc) {
		unlink(dest);
		return rc;
	}
	char detail[300];
	snprintf(detail, sizeof(detail), "to %.250s", base_name(dest));
	return custody_event(ctx, id, "exported", detail, err);
}

int fs_evidence_read(struct fs_ctx *ctx, int64_t id, struct fs_buf *out, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "record.read", err);
	if (cap_rc)
		return cap_rc;
	char hex[65], path[4096];
	int rc = evidence_hash(ctx, id, hex, err);
	if (rc)
		return rc;
	stored_path(ctx, hex, path, sizeof(path));
	rc = fs_buf_load(out, path);
	if (rc == FS_ELIMIT)
		return fs_fail(err, rc, "evidence", "evidence %lld is larger than can be handed out here; use "
			       "'fairshare evidence export'", (long long)id);
	if (rc)
		return fs_fail(err, FS_EINTEGRITY, "evidence", "evidence %lld: the file is missing or unreadable", (long long)id);
	unsigned char h[crypto_hash_sha256_BYTES];
	char got[65];
	crypto_hash_sha256(h, (const unsigned char *)out->data, (unsigned long long)out->len);
	fs_hex(h, sizeof(h), got);
	if (strcmp(got, hex))
		return fs_fail(err, FS_EINTEGRITY, "evidence", "evidence %lld has been altered (SHA-256 %s, recorded %s); not "
			       "handed out", (long long)id, got, hex);
	return custody_event(ctx, id, "exported", "over the API", err);
}

/* ---- verification ---- */

struct ev_walk {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	struct fs_buf *report;
	int64_t problems, files, ok;
	json_t *bad;          /* [{id, sha256, filename, status}] or NULL */
	int64_t *ids;         /* evidence ids with an 'added' custody event */
	size_t nids, capids;
	struct checked {      /* every file checked, with its result */
		int64_t id;
		const char *status;
	} *checked;
	size_t nchecked, capchecked;
	struct fs_org_chains *chains; /* one custody chain per organization */
	struct cust_org {     /* an organization's chain: its last event, its latest anchor in the journal */
		int64_t org, last_seq, anchor_seq; /* anchor_seq 0: none */
		char anchor[65];
		int anchor_seen;
	} *orgs;
	size_t norgs, caporgs;
	int64_t chain_problems; /* the custody log itself is broken: append nothing to it */
	int64_t org;          /* files of this organization only; 0 = all */
	int rc;
};

/* what: "evidence custody: event", "evidence"; the line reads "WHAT ID: TEXT". */
static void ev_problem(struct ev_walk *w, const char *what, long long id, const char *text)
{
	if (!strcmp(what, "evidence custody: event"))
		w->chain_problems++;
	if (w->problems++ < 50)
		fs_buf_addf(w->report, "%s %lld: %s\n", what, id, text);
}

static struct cust_org *cust_org(struct ev_walk *w, int64_t org)
{
	for (size_t i = 0; i < w->norgs; i++)
		if (w->orgs[i].org == org)
			return &w->orgs[i];
	if (fs_grow(&w->orgs, &w->caporgs, w->norgs, sizeof(*w->orgs), 8))
		return NULL;
	struct cust_org *o = &w->orgs[w->norgs++];
	memset(o, 0, sizeof(*o));
	o->org = org;
	return o;
}

static int anchor_of(void *p, int64_t org, int64_t seq, const char hex[65])
{
	struct cust_org *o = cust_org(p, org);
	if (!o)
		return FS_ENOMEM;
	o->anchor_seq = seq;
	memcpy(o->anchor, hex, 65);
	return 0;
}

static int chain_cb(void *p, const struct fs_value *v)
{
	struct ev_walk *w = p;
	unsigned char h[FS_HASH_BYTES], want[FS_HASH_BYTES];
	struct cust_org *o = cust_org(w, v[C_ORG].i);
	if (!o || !fs_org_chains_step(w->chains, v[C_ORG].i, v[C_SEQ].i, &v[C_HASH], want))
		return w->rc = FS_ENOMEM, 1;
	fs_hash_values("evidence_custody", &v[C_ORG], C_HASH - C_ORG, h);
	if (v[C_HASH].n != FS_HASH_BYTES || memcmp(h, v[C_HASH].p, FS_HASH_BYTES))
		ev_problem(w, "evidence custody: event", (long long)v[C_SEQ].i, "does not match its hash (altered)");
	if (v[C_PREV].n != FS_HASH_BYTES || memcmp(want, v[C_PREV].p, FS_HASH_BYTES))
		ev_problem(w, "evidence custody: event", (long long)v[C_SEQ].i,
			   "does not follow the event before it (chain broken)");
	o->last_seq = v[C_SEQ].i;
	if (o->anchor_seq && v[C_SEQ].i == o->anchor_seq) {
		char hex[65] = "";
		if (v[C_HASH].n == FS_HASH_BYTES)
			fs_hex(v[C_HASH].p, FS_HASH_BYTES, hex);
		o->anchor_seen = 1;
		if (strcmp(hex, o->anchor))
			ev_problem(w, "evidence custody: event", (long long)v[C_SEQ].i,
				   "is not the event the journal recorded (the custody log was rewritten)");
	}
	if (v[C_EVENT].n == 5 && !memcmp(v[C_EVENT].p, "added", 5)) {
		if (fs_grow(&w->ids, &w->capids, w->nids, sizeof(*w->ids), 256))
			return w->rc = FS_ENOMEM, 1;
		w->ids[w->nids++] = v[C_EVID].i;
	}
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int file_cb(void *p, const struct fs_value *v)
{
	struct ev_walk *w = p;
	const struct fs_entity *e = w->e;
	int64_t id = v[0].i;
	const struct fs_value *hv = &v[e->col_of[fs_field_index(e, "sha256")]];
	const struct fs_value *nv = &v[e->col_of[fs_field_index(e, "filename")]];
	char hex[65], got[65], path[4096];
	snprintf(hex, sizeof(hex), "%.*s", (int)hv->n, (const char *)hv->p);
	stored_path(w->ctx, hex, path, sizeof(path));
	w->files++;
	const char *status = "ok";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		status = "missing";
	else if (fs_sha256_fd(fd, -1, got, NULL))
		status = "unreadable";
	else if (strcmp(got, hex))
		status = "altered";
	if (fd >= 0)
		close(fd);
	if (fs_grow(&w->checked, &w->capchecked, w->nchecked, sizeof(*w->checked), 256))
		return w->rc = FS_ENOMEM, 1;
	w->checked[w->nchecked++] = (struct checked){id, status};
	if (!w->nids || !bsearch(&id, w->ids, w->nids, sizeof(*w->ids), cmp_id))
		ev_problem(w, "evidence", (long long)id, "has no 'added' event in its custody log");
	if (!strcmp(status, "ok")) {
		w->ok++;
	} else {
		char text[120];
		snprintf(text, sizeof(text), "the file is %s (%.64s)", status, hex);
		ev_problem(w, "evidence", (long long)id, text);
		if (w->bad) {
			json_t *o = json_pack("{sI ss so ss}", "id", (json_int_t)id, "sha256", hex, "filename",
					      nv->type == FS_VTEXT ? json_stringn(nv->p, nv->n) : json_null(), "status", status);
			if (!o || json_array_append_new(w->bad, o))
				return w->rc = FS_ENOMEM, 1;
		}
	}
	return 0;
}

static int ev_walk(struct fs_ctx *ctx, struct ev_walk *w, struct fs_error *err)
{
	w->ctx = ctx;
	w->e = fs_entity_find("evidence");
	struct fs_query cq = {.table = &custody_table, .order_by = "seq"};
	int rc = fs_org_chains_open(ctx, FS_CUSTODY_CHAINS, &w->chains, err);
	if (!rc)
		rc = fs_journal_custody_anchors(ctx, anchor_of, w, err);
	if (!rc)
		rc = fs_store_select(ctx->st, &cq, chain_cb, w, err);
	if (!rc && w->rc)
		rc = w->rc;
	for (size_t i = 0; !rc && i < w->norgs; i++) { /* each organization's chain against its latest anchor */
		struct cust_org *o = &w->orgs[i];
		if (o->anchor_seq && !o->anchor_seen)
			ev_problem(w, "evidence custody: event", (long long)o->anchor_seq,
				   "is recorded in the journal but missing from the custody log (events removed)");
		if ((o->anchor_seq && o->last_seq > o->anchor_seq) || (!o->anchor_seq && o->last_seq > fs_org_chains_split(w->chains)))
			ev_problem(w, "evidence custody: event", (long long)o->last_seq,
				   "comes after the last event the journal recorded (added outside fairshare)");
	}
	fs_org_chains_close(w->chains);
	w->chains = NULL;
	free(w->orgs);
	w->orgs = NULL;
	w->norgs = w->caporgs = 0;
	if (!rc) {
		if (w->nids)
			qsort(w->ids, w->nids, sizeof(*w->ids), cmp_id);
		struct fs_filter f = {"org_id", FS_EQ, fs_vint(w->org)};
		struct fs_query fq = {.table = &w->e->table, .filters = &f, .nfilters = w->org > 0};
		rc = fs_store_select(ctx->st, &fq, file_cb, w, err);
		if (!rc && w->rc)
			rc = w->rc;
	}
	free(w->ids);
	w->ids = NULL;
	return rc;
}

int fs_evidence_check(struct fs_ctx *ctx, struct fs_buf *report, int64_t *problems, int64_t *files, struct fs_error *err)
{
	struct ev_walk w = {.report = report};
	int rc = ev_walk(ctx, &w, err);
	free(w.checked);
	*problems = w.problems;
	*files = w.files;
	return rc;
}

int fs_evidence_verify(struct fs_ctx *ctx, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	struct fs_buf text;
	fs_buf_init(&text, 1024);
	struct ev_walk w = {.report = &text, .bad = json_array(), .org = ctx->org_id};
	int rc = w.bad ? fs_read_begin(ctx, err) : FS_ENOMEM;
	if (!rc) {
		rc = ev_walk(ctx, &w, err);
		fs_read_end(ctx);
	}
	/* each file checked gets a 'verified' custody event with its result (the
	 * walk covered this organization's files only) - not after a broken custody
	 * log: new events would chain onto, and re-anchor, what was tampered with */
	if (!rc && ctx->org_id > 0 && !w.chain_problems && !(rc = fs_tx_begin(ctx, err))) {
		unsigned char head[FS_HASH_BYTES];
		rc = custody_head_load(ctx, head, err);
		for (size_t i = 0; !rc && i < w.nchecked; i++)
			rc = custody_append(ctx, head, w.checked[i].id, "verified", w.checked[i].status, err);
		rc = fs_tx_end(ctx, rc, err);
	}
	free(w.checked);
	if (rc) {
		json_decref(w.bad);
		fs_buf_done(&text);
		return rc;
	}
	*ret = json_pack("{sI sI sI so ss}", "files", (json_int_t)w.files, "ok", (json_int_t)w.ok, "problems",
			 (json_int_t)w.problems, "bad", w.bad, "report", text.data ? text.data : "");
	fs_buf_done(&text);
	return *ret ? 0 : FS_ENOMEM;
}
