/* witness.c - both ends of witnessing a log (doc/journal.md).
 *
 * The witnessed end serves, publicly, its latest checkpoint (checkpoint.c) and
 * the RFC 9162 consistency proof between two sizes of its log
 * (fs_log_consistency_json). The witness (this instance, `fairshare witness`)
 * fetches a remote checkpoint through the front end's fetch callback, checks its
 * signature against the key pinned when the log was added, checks that it extends
 * the last checkpoint kept for that log (same size: same root; larger: the
 * remote's consistency proof must join the two roots; smaller: rolled back), and
 * countersigns it with this instance's signing key. What is kept (tables
 * witnessed_logs, witnessed_checkpoints): each countersigned checkpoint, and each
 * checkpoint that contradicted the last one, as received, with the reason - a
 * signed checkpoint that contradicts an earlier signed one is the proof of a
 * rewrite. */
#include "internal.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define CP_MAGIC "fairshare checkpoint v1\n"
#define W_MAGIC "fairshare witness v1\n"
enum { FETCH_MAX = 64 * 1024, URL_MAX = 2000 };

static const struct fs_column wl_cols[] = {{"id", FS_VINT}, {"url", FS_VTEXT}, {"org", FS_VTEXT}, {"log_org_id", FS_VINT},
	{"key", FS_VTEXT}, {"added_at", FS_VTEXT}};
static const struct fs_table wl_table = {"witnessed_logs", wl_cols, 6};
static const struct fs_column wc_cols[] = {{"id", FS_VINT}, {"log_id", FS_VINT}, {"size", FS_VINT}, {"root", FS_VTEXT},
	{"ts", FS_VTEXT}, {"ok", FS_VINT}, {"why", FS_VTEXT}, {"text", FS_VTEXT}};
static const struct fs_table wc_table = {"witnessed_checkpoints", wc_cols, 8};

int fs_log_consistency_json(struct fs_ctx *ctx, int64_t org, int64_t from, int64_t to, json_t **ret, struct fs_error *err)
{
	int64_t size;
	unsigned char proof[FS_MERKLE_MAX_PROOF][32];
	size_t len = 0;
	int rc = fs_read_begin(ctx, err);
	if (rc)
		return rc;
	if (!(rc = fs_log_size(ctx, org, &size, err)) && (from < 1 || from > to || to > size))
		rc = fs_fail(err, FS_EINVAL, from < 1 || from > to ? "from" : "to",
			     "a consistency proof needs 0 < from <= to <= %lld (the log's size); got from %lld, to %lld",
			     (long long)size, (long long)from, (long long)to);
	if (!rc)
		rc = fs_log_consistency(ctx, org, from, to, proof, &len, err);
	fs_read_end(ctx);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < len; i++) {
		char hex[65];
		fs_hex(proof[i], 32, hex);
		json_array_append_new(a, json_string(hex));
	}
	*ret = json_pack("{s:I,s:I,s:I,s:o}", "org_id", (json_int_t)org, "from", (json_int_t)from, "to", (json_int_t)to,
			 "proof", a);
	return *ret ? 0 : FS_ENOMEM;
}

/* The checkpoint block in text: from its first line to the end of its signature line. */
static int cp_block(const char *text, size_t n, const char **start, size_t *len)
{
	const char *p = n >= strlen(CP_MAGIC) ? memmem(text, n, CP_MAGIC, strlen(CP_MAGIC)) : NULL;
	const char *s = p ? memmem(p, (size_t)(text + n - p), "\nsignature: ", 12) : NULL;
	const char *eol = s ? memchr(s + 1, '\n', (size_t)(text + n - s - 1)) : NULL;
	if (!eol)
		return -1;
	*start = p;
	*len = (size_t)(eol + 1 - p);
	return 0;
}

static int url_ok(const char *url, struct fs_error *err)
{
	size_t n = strlen(url), tail = strlen("/checkpoint");
	if (n > URL_MAX || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
		return fs_fail(err, FS_EINVAL, "url", "a witnessed log's URL is http:// or https://, at most %d characters",
			       URL_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
			return fs_fail(err, FS_EINVAL, "url", "the URL has a space or a control character at %zu", i + 1);
	if (n <= tail || strcmp(url + n - tail, "/checkpoint") || strchr(url, '?') || strchr(url, '#'))
		return fs_fail(err, FS_EINVAL, "url", "give the log's public checkpoint URL, ending in "
			       "/api/v1/orgs/ORG/checkpoint (got %s)", url);
	return 0;
}

/* Fetch and parse the checkpoint at url; block and blen: its exact text (in body, caller frees). */
static int fetch_cp(const struct fs_witness_io *io, const char *url, char **body, const char **block, size_t *blen,
		    struct fs_checkpoint *cp, struct fs_error *err)
{
	size_t n = 0;
	*body = NULL;
	int rc = io->fetch(io->ud, url, FETCH_MAX, body, &n, err);
	if (!rc)
		rc = fs_checkpoint_parse(*body, n, cp, err);
	if (!rc && cp_block(*body, n, block, blen))
		rc = fs_fail(err, FS_EINVAL, "checkpoint", "%s served no whole checkpoint", url);
	if (rc) {
		free(*body);
		*body = NULL;
	}
	return rc;
}

/* The countersigned text: the witness's lines, the checkpoint as received, the witness's signature. */
static int countersign(struct fs_ctx *ctx, const struct fs_witness_io *io, const char *url, const char *block, size_t blen,
		       char **ret, struct fs_error *err)
{
	unsigned char pk[32], sig[64];
	char ts[32], khex[65], shex[129];
	fs_now_iso(ts);
	struct fs_buf b;
	fs_buf_init(&b, 1u << 16);
	int rc = fs_signing_sign(ctx, io->signing_key, "", 0, sig, pk, err); /* the key first: its public half is signed */
	if (!rc) {
		fs_hex(pk, 32, khex);
		if (fs_buf_addf(&b, W_MAGIC "url: %s\nwitnessed: %s\nwitness-key: %s\n%.*s", url, ts, khex, (int)blen, block))
			rc = FS_ENOMEM;
	}
	if (!rc)
		rc = fs_signing_sign(ctx, io->signing_key, b.data, b.len, sig, pk, err);
	if (!rc) {
		fs_hex(sig, 64, shex);
		if (fs_buf_addf(&b, "witness-signature: %s\n", shex))
			rc = FS_ENOMEM;
	}
	if (rc) {
		fs_buf_done(&b);
		return rc;
	}
	*ret = fs_buf_take(&b);
	return 0;
}

int fs_witness_verify(const char *text, size_t n, json_t **ret, struct fs_error *err)
{
	const char *w = n >= strlen(W_MAGIC) ? memmem(text, n, W_MAGIC, strlen(W_MAGIC)) : NULL, *end = text + n;
	if (!w)
		return fs_fail(err, FS_EINVAL, "witness", "no countersigned checkpoint found (it begins with the line "
			       "'fairshare witness v1')");
	const char *p = w + strlen(W_MAGIC), *block;
	char url[URL_MAX + 1], when[32], khex[80], shex[140];
	unsigned char wk[32], sig[64];
	size_t blen;
	struct fs_checkpoint cp;
	if (fs_text_field(&p, end, "url", url, sizeof(url)) || fs_text_field(&p, end, "witnessed", when, sizeof(when)) ||
	    fs_text_field(&p, end, "witness-key", khex, sizeof(khex)) || fs_unhex(khex, wk, 32))
		return fs_fail(err, FS_EINVAL, "witness", "the witness's lines (url, witnessed, witness-key) are missing or malformed");
	if (cp_block(p, (size_t)(end - p), &block, &blen) || block != p)
		return fs_fail(err, FS_EINVAL, "witness", "the countersigned checkpoint does not follow the witness's lines");
	int rc = fs_checkpoint_parse(block, blen, &cp, err);
	if (rc)
		return rc;
	const char *q = block + blen;
	if (fs_text_field(&q, end, "witness-signature", shex, sizeof(shex)) || fs_unhex(shex, sig, 64))
		return fs_fail(err, FS_EINVAL, "witness", "the countersigned checkpoint has no line 'witness-signature: ...'");
	if (crypto_sign_verify_detached(sig, (const unsigned char *)w, (size_t)(block + blen - w), wk) != 0)
		return fs_fail(err, FS_ECRYPTO, "witness", "the witness's signature does not match the text (altered, or "
			       "not signed by the witness key it names)");
	char root[65], key[65];
	fs_hex(cp.root, 32, root);
	fs_hex(cp.key, 32, key);
	*ret = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s}", "url", url, "witnessed", when, "witness_key", khex, "org",
			 cp.org, "org_id", (json_int_t)cp.org_id, "size", (json_int_t)cp.size, "root", root, "time", cp.time,
			 "key", key);
	return *ret ? 0 : FS_ENOMEM;
}

struct wlog {
	int64_t id, org_id;
	char url[URL_MAX + 1], org[64], key[65];
	/* the last checkpoint kept (size -1: none) */
	int64_t size;
	char root[65];
};

static void text_to(const struct fs_value *v, char *out, size_t cap)
{
	snprintf(out, cap, "%.*s", v->type == FS_VTEXT ? (int)v->n : 0, v->type == FS_VTEXT ? (const char *)v->p : "");
}

struct logs_ud {
	struct wlog *l;
	size_t n, cap;
	int rc;
};

static int logs_cb(void *p, const struct fs_value *v)
{
	struct logs_ud *u = p;
	if (fs_grow(&u->l, &u->cap, u->n, sizeof(*u->l), 8))
		return u->rc = FS_ENOMEM, 1;
	struct wlog *l = &u->l[u->n++];
	memset(l, 0, sizeof(*l));
	l->id = v[0].i;
	text_to(&v[1], l->url, sizeof(l->url));
	text_to(&v[2], l->org, sizeof(l->org));
	l->org_id = v[3].i;
	text_to(&v[4], l->key, sizeof(l->key));
	l->size = -1;
	return 0;
}

struct last_ud {
	struct wlog *l;
	char *text;
	char ts[32];
};

static int last_cb(void *p, const struct fs_value *v)
{
	struct last_ud *u = p;
	u->l->size = v[2].i;
	text_to(&v[3], u->l->root, sizeof(u->l->root));
	text_to(&v[4], u->ts, sizeof(u->ts));
	if (!u->text && v[7].type == FS_VTEXT)
		u->text = strndup(v[7].p, v[7].n);
	return 1;
}

/* the last countersigned checkpoint of l (its text in *text when asked) */
static int last_kept(struct fs_ctx *ctx, struct wlog *l, char **text, char ts[32], struct fs_error *err)
{
	struct fs_filter f[2] = {{"log_id", FS_EQ, fs_vint(l->id)}, {"ok", FS_EQ, fs_vint(1)}};
	struct fs_query q = {.table = &wc_table, .filters = f, .nfilters = 2, .descending = 1, .limit = 1, .raw = 1};
	struct last_ud u = {.l = l};
	int rc = fs_store_select(ctx->st, &q, last_cb, &u, err);
	if (ts)
		snprintf(ts, 32, "%s", u.ts);
	if (text)
		*text = u.text;
	else
		free(u.text);
	return rc;
}

static int load_logs(struct fs_ctx *ctx, int64_t id, struct logs_ud *u, struct fs_error *err)
{
	struct fs_filter f = {"id", FS_EQ, fs_vint(id)};
	struct fs_query q = {.table = &wl_table, .filters = &f, .nfilters = id > 0, .raw = 1};
	int rc = fs_read_begin(ctx, err);
	if (rc)
		return rc;
	rc = fs_store_select(ctx->st, &q, logs_cb, u, err);
	if (!rc)
		rc = u->rc;
	for (size_t i = 0; !rc && i < u->n; i++)
		rc = last_kept(ctx, &u->l[i], NULL, NULL, err);
	fs_read_end(ctx);
	if (!rc && id > 0 && !u->n)
		rc = fs_fail(err, FS_ENOTFOUND, "id", "no witnessed log %lld (see fairshare witness list)", (long long)id);
	return rc;
}

static int keep(struct fs_ctx *ctx, int64_t log_id, const struct fs_checkpoint *cp, int ok, const char *why,
		const char *text, struct fs_error *err)
{
	char ts[32], root[65];
	fs_now_iso(ts);
	fs_hex(cp->root, 32, root);
	struct fs_value v[8] = {fs_vnull(), fs_vint(log_id), fs_vint(cp->size), fs_vtext(root), fs_vtext(ts), fs_vint(ok),
				fs_vtext(why), fs_vtext(text)};
	int64_t id;
	return fs_store_insert(ctx->st, &wc_table, v, &id, err);
}

int fs_witness_add(struct fs_ctx *ctx, const char *url, const char *key_hex, const struct fs_witness_io *io,
		   json_t **ret, struct fs_error *err)
{
	unsigned char pin[32];
	if (!fs_can(ctx, "log.checkpoint")) /* it signs with the installation's key: as a checkpoint does */
		return fs_fail(err, FS_EPERM, NULL, "your role cannot witness another log (it needs log.checkpoint)");
	if (key_hex && fs_unhex(key_hex, pin, 32))
		return fs_fail(err, FS_EINVAL, "key", "--public-key is the log's public key: 64 hex digits");
	int rc = url_ok(url, err);
	char *body = NULL, *signed_text = NULL;
	const char *block;
	size_t blen;
	struct fs_checkpoint cp;
	if (!rc)
		rc = fetch_cp(io, url, &body, &block, &blen, &cp, err);
	if (!rc && key_hex && memcmp(pin, cp.key, 32))
		rc = fs_fail(err, FS_EINTEGRITY, "key", "%s is signed by key %.16s..., not by the key given (%.16s...)", url,
			     sodium_bin2hex((char[65]){0}, 65, cp.key, 32), key_hex);
	if (!rc)
		rc = countersign(ctx, io, url, block, blen, &signed_text, err);
	int64_t id = 0;
	char khex[65], root[65], ts[32];
	fs_hex(cp.key, 32, khex);
	fs_hex(cp.root, 32, root);
	fs_now_iso(ts);
	if (!rc && !(rc = fs_tx_begin(ctx, err))) {
		struct fs_filter f = {"url", FS_EQ, fs_vtext(url)};
		struct fs_query q = {.table = &wl_table, .filters = &f, .nfilters = 1, .raw = 1};
		int64_t have = 0;
		rc = fs_store_count(ctx->st, &q, &have, err);
		if (!rc && have)
			rc = fs_fail(err, FS_ECONFLICT, "url", "%s is witnessed already: 'fairshare witness check' fetches it again", url);
		struct fs_value v[6] = {fs_vnull(), fs_vtext(url), fs_vtext(cp.org), fs_vint(cp.org_id), fs_vtext(khex), fs_vtext(ts)};
		if (!rc)
			rc = fs_store_insert(ctx->st, &wl_table, v, &id, err);
		if (!rc)
			rc = keep(ctx, id, &cp, 1, NULL, signed_text, err);
		rc = fs_tx_end(ctx, rc, err);
	}
	free(body);
	free(signed_text);
	if (rc)
		return rc;
	*ret = json_pack("{s:I,s:s,s:s,s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "url", url, "org", cp.org, "org_id",
			 (json_int_t)cp.org_id, "size", (json_int_t)cp.size, "root", root, "key", khex, "pinned",
			 key_hex ? "given" : "first use");
	return *ret ? 0 : FS_ENOMEM;
}

/* The consistency proof from the remote: .../orgs/ORG/log/consistency?from=&to= beside .../orgs/ORG/checkpoint */
static int remote_consistent(const struct fs_witness_io *io, const struct wlog *l, const unsigned char old_root[32],
			     const struct fs_checkpoint *cp, char *why, size_t whysz, struct fs_error *err)
{
	char url[URL_MAX + 80];
	snprintf(url, sizeof(url), "%.*slog/consistency?from=%lld&to=%lld", (int)(strlen(l->url) - strlen("checkpoint")),
		 l->url, (long long)l->size, (long long)cp->size);
	char *body = NULL;
	size_t n = 0;
	int rc = io->fetch(io->ud, url, FETCH_MAX, &body, &n, err);
	if (rc)
		return rc;
	json_t *j = json_loadb(body, n, 0, NULL), *a = json_object_get(j, "proof");
	free(body);
	unsigned char proof[FS_MERKLE_MAX_PROOF][32];
	size_t len = 0, i;
	json_t *h;
	int ok = json_is_array(a) && json_integer_value(json_object_get(j, "from")) == l->size &&
		 json_integer_value(json_object_get(j, "to")) == cp->size && json_array_size(a) <= FS_MERKLE_MAX_PROOF;
	json_array_foreach(a, i, h) {
		if (!ok || !json_is_string(h) || fs_unhex(json_string_value(h), proof[len++], 32))
			ok = 0;
	}
	json_decref(j);
	if (ok)
		ok = fs_merkle_verify_consistency((uint64_t)l->size, (uint64_t)cp->size, old_root, cp->root,
						  (const unsigned char(*)[32])proof, len) == 0;
	if (!ok)
		snprintf(why, whysz, "rewritten: its log at %lld entries does not extend the one of %lld entries it signed "
			 "before (the consistency proof it serves does not join the two roots)", (long long)cp->size,
			 (long long)l->size);
	return 0;
}

/* One log: "" in why when the new checkpoint extends the last one kept, else why not. */
static int judge(const struct fs_witness_io *io, const struct wlog *l, const struct fs_checkpoint *cp, char *why,
		 size_t whysz, struct fs_error *err)
{
	char khex[65];
	unsigned char old_root[32];
	fs_hex(cp->key, 32, khex);
	why[0] = 0;
	if (strcmp(khex, l->key))
		snprintf(why, whysz, "signed by key %.16s..., not by the key pinned when it was added (%.16s...)", khex, l->key);
	else if (cp->org_id != l->org_id)
		snprintf(why, whysz, "a checkpoint of another log (org-id %lld, not %lld)", (long long)cp->org_id,
			 (long long)l->org_id);
	else if (l->size < 0 || fs_unhex(l->root, old_root, 32))
		snprintf(why, whysz, "no countersigned checkpoint of it is kept here");
	else if (cp->size < l->size)
		snprintf(why, whysz, "rolled back: it serves a log of %lld entries, fewer than the %lld of the checkpoint "
			 "kept here", (long long)cp->size, (long long)l->size);
	else if (cp->size == l->size && memcmp(cp->root, old_root, 32))
		snprintf(why, whysz, "rewritten: another root for the same %lld entries", (long long)cp->size);
	else if (cp->size > l->size && l->size > 0)
		return remote_consistent(io, l, old_root, cp, why, whysz, err);
	return 0;
}

int fs_witness_check(struct fs_ctx *ctx, int64_t id, const struct fs_witness_io *io, json_t **ret, struct fs_error *err)
{
	if (!fs_can(ctx, "log.checkpoint"))
		return fs_fail(err, FS_EPERM, NULL, "your role cannot witness another log (it needs log.checkpoint)");
	struct logs_ud u = {0};
	int rc = load_logs(ctx, id, &u, err);
	json_t *out = json_array();
	int bad = 0, gone = 0;
	for (size_t i = 0; !rc && i < u.n; i++) {
		struct wlog *l = &u.l[i];
		char *body = NULL, *signed_text = NULL, why[600];
		const char *block, *status;
		size_t blen;
		struct fs_checkpoint cp = {.size = -1};
		struct fs_error ferr = {0};
		int f = fetch_cp(io, l->url, &body, &block, &blen, &cp, &ferr);
		if (!f)
			f = judge(io, l, &cp, why, sizeof(why), &ferr);
		if (f) { /* not reached, or a checkpoint that does not parse: named, not kept */
			status = f == FS_ECRYPTO ? "contradicts" : "unreachable";
			snprintf(why, sizeof(why), "%s", ferr.message);
			bad += f == FS_ECRYPTO;
			gone += f != FS_ECRYPTO;
		} else if (why[0]) {
			status = "contradicts";
			bad++;
			if (!(rc = fs_tx_begin(ctx, err))) { /* kept as received: the signed proof of the contradiction */
				char *kept = strndup(block, blen);
				rc = kept ? keep(ctx, l->id, &cp, 0, why, kept, err) : FS_ENOMEM;
				free(kept);
				rc = fs_tx_end(ctx, rc, err);
			}
		} else if (cp.size == l->size) {
			status = "unchanged";
		} else {
			status = "extends";
			if (!(rc = countersign(ctx, io, l->url, block, blen, &signed_text, err)) && !(rc = fs_tx_begin(ctx, err))) {
				rc = keep(ctx, l->id, &cp, 1, NULL, signed_text, err);
				rc = fs_tx_end(ctx, rc, err);
			}
		}
		json_t *it = json_pack("{s:I,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)l->id, "url", l->url, "org", l->org,
				       "status", status, "size", (json_int_t)cp.size, "was", (json_int_t)l->size);
		if (strcmp(status, "extends") && strcmp(status, "unchanged"))
			json_object_set_new(it, "why", json_string(why));
		json_array_append_new(out, it);
		free(body);
		free(signed_text);
	}
	free(u.l);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*ret = out;
	if (bad)
		return fs_fail(err, FS_EINTEGRITY, NULL, "witnessed logs that contradict what was kept: %d", bad);
	if (gone)
		return fs_fail(err, FS_EIO, NULL, "witnessed logs that could not be fetched: %d", gone);
	return 0;
}

struct bad_ud {
	int64_t n;
	char why[600];
};

static int bad_cb(void *p, const struct fs_value *v)
{
	struct bad_ud *u = p;
	if (!u->n++)
		text_to(&v[6], u->why, sizeof(u->why));
	return 0;
}

int fs_witness_list(struct fs_ctx *ctx, json_t **ret, struct fs_error *err)
{
	struct logs_ud u = {0};
	int rc = load_logs(ctx, 0, &u, err);
	json_t *out = json_array();
	int reading = !rc && !(rc = fs_read_begin(ctx, err));
	for (size_t i = 0; !rc && i < u.n; i++) {
		struct wlog *l = &u.l[i];
		char ts[32];
		if ((rc = last_kept(ctx, l, NULL, ts, err)))
			break;
		struct fs_filter f[2] = {{"log_id", FS_EQ, fs_vint(l->id)}, {"ok", FS_EQ, fs_vint(0)}};
		struct fs_query q = {.table = &wc_table, .filters = f, .nfilters = 2, .descending = 1, .raw = 1};
		struct bad_ud b = {0};
		if ((rc = fs_store_select(ctx->st, &q, bad_cb, &b, err)))
			break;
		json_t *it = json_pack("{s:I,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:I}", "id", (json_int_t)l->id, "url", l->url, "org",
				       l->org, "org_id", (json_int_t)l->org_id, "key", l->key, "size", (json_int_t)l->size, "root",
				       l->root, "countersigned", ts, "contradictions", (json_int_t)b.n);
		if (b.n)
			json_object_set_new(it, "last_contradiction", json_string(b.why));
		json_array_append_new(out, it);
	}
	if (reading)
		fs_read_end(ctx);
	free(u.l);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*ret = out;
	return 0;
}

int fs_witness_show(struct fs_ctx *ctx, int64_t id, char **ret, struct fs_error *err)
{
	struct logs_ud u = {0};
	int rc = load_logs(ctx, id, &u, err);
	char *text = NULL;
	if (!rc && !(rc = fs_read_begin(ctx, err))) {
		rc = last_kept(ctx, &u.l[0], &text, NULL, err);
		fs_read_end(ctx);
	}
	free(u.l);
	if (!rc && !text)
		rc = fs_fail(err, FS_ENOTFOUND, "id", "no countersigned checkpoint of witnessed log %lld is kept", (long long)id);
	if (rc)
		return rc;
	*ret = text;
	return 0;
}
