/* checkpoint.c - signed checkpoints of an organization's Merkle log: a few lines
 * of plain text (organization, log size, root hash, time, public key) signed with
 * an Ed25519 key kept apart from the database; their parsing, their signature
 * check, and the proof that the current log is consistent with one (log.h). */
#include "internal.h"
#include "keyfile.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SK_MAGIC "fairshare-signing-key-1 "
#define CP_MAGIC "fairshare checkpoint v1\n"

void fs_signing_key_default(const struct fs_ctx *ctx, char out[4096])
{
	const char *env = getenv("FAIRSHARE_SIGNING_KEY");
	if (env && *env) {
		snprintf(out, 4096, "%s", env);
		return;
	}
	size_t n = strlen(ctx->key_path);
	if (n > 4 && strcmp(ctx->key_path + n - 4, ".key") == 0)
		snprintf(out, 4096, "%.*s.signing.key", (int)(n - 4), ctx->key_path);
	else
		snprintf(out, 4096, "%s.signing", ctx->key_path);
}

static int load_key(const char *path, unsigned char pk[32], unsigned char sk[64], struct fs_error *err);

static int set_public(struct fs_ctx *ctx, const unsigned char pk[32], struct fs_error *err)
{
	char hex[65];
	fs_hex(pk, 32, hex);
	return fs_store_meta_set(ctx->st, "log_public_key", hex, err);
}

int fs_signing_key_create(struct fs_ctx *ctx, const char *path, int keep_existing, struct fs_error *err)
{
	char def[4096];
	if (!path) {
		fs_signing_key_default(ctx, def);
		path = def;
	}
	unsigned char seed[32], pk[32], sk[64];
	struct stat sb;
	if (keep_existing && stat(path, &sb) == 0) { /* a key moved here from elsewhere: this database's now */
		int rc = load_key(path, pk, sk, err);
		sodium_memzero(sk, sizeof(sk));
		return rc ? rc : set_public(ctx, pk, err);
	}
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	char text[sizeof(SK_MAGIC) + 66];
	char hex[65];
	fs_hex(seed, 32, hex);
	int n = snprintf(text, sizeof(text), SK_MAGIC "%s\n", hex);
	int rc = fs_keyfile_replace(path, text, (size_t)n, 1, err);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(text, sizeof(text));
	sodium_memzero(hex, sizeof(hex));
	return rc ? rc : set_public(ctx, pk, err);
}

static int load_key(const char *path, unsigned char pk[32], unsigned char sk[64], struct fs_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fs_fail(err, errno == ENOENT ? FS_ENOTFOUND : FS_EIO, "signing-key",
			       "cannot open the signing key %s: %s (make one with 'fairshare checkpoint key')", path, strerror(errno));
	struct stat sb;
	char text[256];
	ssize_t n = fstat(fd, &sb) == 0 ? read(fd, text, sizeof(text) - 1) : -1;
	close(fd);
	if (n < 0)
		return fs_fail(err, FS_EIO, "signing-key", "cannot read the signing key %s", path);
	if (sb.st_mode & 077)
		return fs_fail(err, FS_EPERM, "signing-key", "the signing key %s can be read by others (mode %03o): chmod 600 it",
			       path, (unsigned)(sb.st_mode & 0777));
	text[n] = 0;
	unsigned char seed[32];
	size_t ml = strlen(SK_MAGIC);
	int bad = (size_t)n < ml + 64 || memcmp(text, SK_MAGIC, ml) != 0;
	if (!bad) {
		text[ml + 64] = 0;
		bad = fs_unhex(text + ml, seed, 32) != 0;
	}
	sodium_memzero(text, sizeof(text));
	if (bad)
		return fs_fail(err, FS_EINVAL, "signing-key", "%s is not a fairshare signing key", path);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	return 0;
}

int fs_signing_key_public(struct fs_ctx *ctx, const char *path, char hex[65], struct fs_error *err)
{
	char def[4096];
	if (!path) {
		fs_signing_key_default(ctx, def);
		path = def;
	}
	unsigned char pk[32], sk[64];
	int rc = load_key(path, pk, sk, err);
	sodium_memzero(sk, sizeof(sk));
	if (!rc)
		fs_hex(pk, 32, hex);
	return rc;
}

int fs_signing_sign(struct fs_ctx *ctx, const char *path, const void *msg, size_t n, unsigned char sig[64],
		    unsigned char pk[32], struct fs_error *err)
{
	char def[4096];
	if (!path) {
		fs_signing_key_default(ctx, def);
		path = def;
	}
	unsigned char sk[64];
	int rc = load_key(path, pk, sk, err);
	if (!rc)
		crypto_sign_detached(sig, NULL, msg, n, sk);
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

static const struct fs_column cp_cols[] = {{"id", FS_VINT}, {"org_id", FS_VINT}, {"size", FS_VINT}, {"root", FS_VBLOB},
	{"ts", FS_VTEXT}, {"text", FS_VTEXT}};
static const struct fs_table cp_table = {"checkpoints", cp_cols, 6};

static int org_slug(struct fs_ctx *ctx, int64_t org, char slug[64], struct fs_error *err)
{
	if (org == 0) {
		snprintf(slug, 64, "-");
		return 0;
	}
	const struct fs_entity *e = fs_entity_lookup("organization");
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &e->table, org, &row, err);
	if (rc)
		return rc;
	const struct fs_value *v = &row.vals[e->col_of[fs_field_index(e, "slug")]];
	snprintf(slug, 64, "%.*s", v->type == FS_VTEXT ? (int)v->n : 0, v->type == FS_VTEXT ? (const char *)v->p : "");
	fs_row_free(&row);
	return 0;
}

int fs_checkpoint_sign(struct fs_ctx *ctx, const char *key_path, int store, char **ret, struct fs_error *err)
{
	char def[4096];
	if (!key_path) {
		fs_signing_key_default(ctx, def);
		key_path = def;
	}
	unsigned char pk[32], sk[64], root[32], sig[64];
	int rc = load_key(key_path, pk, sk, err);
	if (rc)
		return rc;
	int64_t org = ctx->org_id, size = 0;
	char slug[64], ts[32], rhex[65], khex[65], shex[129], text[1024];
	if (!(rc = store ? fs_tx_begin(ctx, err) : fs_read_begin(ctx, err))) {
		(void)((rc = org_slug(ctx, org, slug, err)) || (rc = fs_log_size(ctx, org, &size, err)) ||
		       (rc = fs_log_root(ctx, org, size, root, err)) || (rc = fs_log_head_check(ctx, org, size, root, err)));
		fs_now_iso(ts);
		fs_hex(root, 32, rhex);
		fs_hex(pk, 32, khex);
		int n = snprintf(text, sizeof(text), CP_MAGIC "org: %s\norg-id: %lld\nsize: %lld\nroot: %s\ntime: %s\nkey: %s\n", slug,
				 (long long)org, (long long)size, rhex, ts, khex);
		crypto_sign_detached(sig, NULL, (const unsigned char *)text, (size_t)n, sk);
		fs_hex(sig, 64, shex);
		snprintf(text + n, sizeof(text) - (size_t)n, "signature: %s\n", shex);
		struct fs_buf have;
		fs_buf_init(&have, 128);
		if (!rc && store && fs_store_meta_get(ctx->st, "log_public_key", &have, NULL) == FS_ENOTFOUND)
			rc = set_public(ctx, pk, err);
		fs_buf_done(&have);
		struct fs_value v[6] = {fs_vnull(), fs_vint(org), fs_vint(size), fs_vblob(root, 32), fs_vtext(ts), fs_vtext(text)};
		int64_t id;
		if (!rc && store)
			rc = fs_store_insert(ctx->st, &cp_table, v, &id, err);
		if (store)
			rc = fs_tx_end(ctx, rc, err);
		else
			fs_read_end(ctx);
	}
	sodium_memzero(sk, sizeof(sk));
	if (rc)
		return rc;
	if (!(*ret = strdup(text)))
		return FS_ENOMEM;
	return 0;
}

int fs_checkpoint_make(struct fs_ctx *ctx, const char *key_path, char **ret, struct fs_error *err)
{
	if (!fs_can(ctx, "log.checkpoint")) /* the CLI's --as account, as the route asks */
		return fs_fail(err, FS_EPERM, NULL, "your role cannot sign a checkpoint (it needs log.checkpoint)");
	return fs_checkpoint_sign(ctx, key_path, 1, ret, err);
}

struct latest_ud {
	char *text;
};

static int latest_cb(void *p, const struct fs_value *v)
{
	struct latest_ud *u = p;
	if (v[0].type == FS_VTEXT)
		u->text = strndup(v[0].p, v[0].n);
	return 1;
}

int fs_checkpoint_latest(struct fs_ctx *ctx, int64_t org, char **ret, struct fs_error *err)
{
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(org)};
	static const char *const cols[] = {"text"};
	struct fs_query q = {.table = &cp_table, .filters = &f, .nfilters = 1, .descending = 1, .limit = 1, .columns = cols,
			     .ncolumns = 1, .raw = 1};
	struct latest_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, latest_cb, &u, err);
	if (rc)
		return rc;
	if (!u.text)
		return fs_fail(err, FS_ENOTFOUND, NULL, "no checkpoint has been made of this log yet");
	*ret = u.text;
	return 0;
}

int fs_text_field(const char **p, const char *end, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	if ((size_t)(end - *p) < nl + 2 || memcmp(*p, name, nl) || (*p)[nl] != ':' || (*p)[nl + 1] != ' ')
		return -1;
	const char *v = *p + nl + 2, *eol = memchr(v, '\n', (size_t)(end - v));
	if (!eol || (size_t)(eol - v) >= cap)
		return -1;
	memcpy(out, v, (size_t)(eol - v));
	out[eol - v] = 0;
	*p = eol + 1;
	return 0;
}

int fs_checkpoint_parse(const char *text, size_t n, struct fs_checkpoint *cp, struct fs_error *err)
{
	/* the statement may sit inside other text (an e-mail, a statement): from its first line to its signature */
	const char *p = n >= strlen(CP_MAGIC) ? memmem(text, n, CP_MAGIC, strlen(CP_MAGIC)) : NULL;
	if (!p)
		return fs_fail(err, FS_EINVAL, "checkpoint", "no fairshare checkpoint found (it begins with the line "
			       "'fairshare checkpoint v1')");
	const char *start = p, *end = text + n;
	p += strlen(CP_MAGIC);
	char id[32], size[32], root[80], key[80], sig[140];
	struct fs_checkpoint c = {0};
	const char *what = "org";
	if (fs_text_field(&p, end, "org", c.org, sizeof(c.org)) || (what = "org-id", fs_text_field(&p, end, "org-id", id, sizeof(id))) ||
	    (what = "size", fs_text_field(&p, end, "size", size, sizeof(size))) || (what = "root", fs_text_field(&p, end, "root", root, sizeof(root))) ||
	    (what = "time", fs_text_field(&p, end, "time", c.time, sizeof(c.time))) || (what = "key", fs_text_field(&p, end, "key", key, sizeof(key))))
		return fs_fail(err, FS_EINVAL, "checkpoint", "the checkpoint's line '%s: ...' is missing or malformed", what);
	size_t signed_len = (size_t)(p - start);
	if (fs_text_field(&p, end, "signature", sig, sizeof(sig)))
		return fs_fail(err, FS_EINVAL, "checkpoint", "the checkpoint has no line 'signature: ...'");
	char *e1, *e2;
	c.org_id = strtoll(id, &e1, 10);
	c.size = strtoll(size, &e2, 10);
	if (*e1 || !*id || c.org_id < 0 || *e2 || !*size || c.size < 0)
		return fs_fail(err, FS_EINVAL, "checkpoint", "the checkpoint's org-id or size is not a number");
	if (fs_unhex(root, c.root, 32) || fs_unhex(key, c.key, 32) || fs_unhex(sig, c.sig, 64))
		return fs_fail(err, FS_EINVAL, "checkpoint", "the checkpoint's root, key or signature is not hex of the right length");
	if (crypto_sign_verify_detached(c.sig, (const unsigned char *)start, signed_len, c.key) != 0)
		return fs_fail(err, FS_ECRYPTO, "checkpoint", "the checkpoint's signature does not match its text (altered, or "
			       "not signed by its key)");
	*cp = c;
	return 0;
}

int fs_checkpoint_check(struct fs_ctx *ctx, const struct fs_checkpoint *cp, struct fs_error *err)
{
	struct fs_buf pk;
	fs_buf_init(&pk, 128);
	char khex[65];
	fs_hex(cp->key, 32, khex);
	int rc = fs_store_meta_get(ctx->st, "log_public_key", &pk, NULL);
	int other = rc == 0 && pk.data && strcmp(pk.data, khex) != 0;
	fs_buf_done(&pk);
	if (other)
		return fs_fail(err, FS_EINTEGRITY, "checkpoint", "signed by key %.16s..., not by this database's signing key", khex);
	int64_t size;
	unsigned char root[32], proof[FS_MERKLE_MAX_PROOF][32];
	size_t len;
	if ((rc = fs_log_size(ctx, cp->org_id, &size, err)))
		return rc;
	if (size < cp->size)
		return fs_fail(err, FS_EINTEGRITY, "checkpoint", "the log of '%s' has %lld entries, fewer than the %lld the "
			       "checkpoint of %s saw (entries cut, or an older copy restored)", cp->org, (long long)size,
			       (long long)cp->size, cp->time);
	if ((rc = fs_log_root(ctx, cp->org_id, size, root, err)))
		return rc;
	if (cp->size == 0)
		return 0;
	if ((rc = fs_log_consistency(ctx, cp->org_id, cp->size, size, proof, &len, err)))
		return rc;
	if (fs_merkle_verify_consistency((uint64_t)cp->size, (uint64_t)size, cp->root, root,
					 (const unsigned char(*)[32])proof, len) != 0)
		return fs_fail(err, FS_EINTEGRITY, "checkpoint", "the log of '%s' does not extend the one the checkpoint of %s "
			       "saw at %lld entries (its history was rewritten)", cp->org, cp->time, (long long)cp->size);
	return 0;
}
