/* auth.c - accounts: users (argon2id password hashes, sealed), roles per
 * organization, sessions and API tokens (stored only as BLAKE2b hashes), login
 * throttling, and journaled views of sealed fields. */
#include "internal.h"

#include "util/utf8.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static const struct fs_column session_cols[] = {{"id", FS_VINT}, {"user_id", FS_VINT}, {"token_hash", FS_VBLOB},
						{"csrf", FS_VTEXT}, {"expires_at", FS_VTEXT}};
static const struct fs_table sessions_table = {"sessions", session_cols, 5};
static const struct fs_column token_cols[] = {{"id", FS_VINT}, {"user_id", FS_VINT}, {"name", FS_VTEXT},
					      {"token_hash", FS_VBLOB}, {"created_at", FS_VTEXT}};
static const struct fs_table tokens_table = {"api_tokens", token_cols, 5};
static const struct fs_column attempt_cols[] = {{"id", FS_VINT}, {"username", FS_VTEXT}, {"at", FS_VTEXT}, {"ok", FS_VINT}};
static const struct fs_table attempts_table = {"login_attempts", attempt_cols, 4};

static void iso_time(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Sessions and API tokens are stored as a hash keyed with a secret derived from
 * the key file: whoever can write the database but holds no key file cannot make
 * a row that lets anyone in. (A new key ends every session and token.) */
static void secret_hash(const struct fs_ctx *ctx, const char *token, unsigned char out[32])
{
	static const char context[] = "fairshare sessions and API tokens v1";
	unsigned char k[32];
	crypto_generichash(k, sizeof(k), (const unsigned char *)context, sizeof(context) - 1, ctx->keys.lookup,
			   sizeof(ctx->keys.lookup));
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), k, sizeof(k));
	sodium_memzero(k, sizeof(k));
}

static int check_password(const char *pw, struct fs_error *err)
{
	size_t n = strlen(pw);
	if (n < FS_PASSWORD_MIN || n > FS_PASSWORD_MAX)
		return fs_fail(err, FS_EINVAL, "password", "a password has %d to %d characters", FS_PASSWORD_MIN, FS_PASSWORD_MAX);
	return 0;
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], struct fs_error *err)
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return fs_fail(err, FS_ENOMEM, "password", "not enough memory to hash the password");
	return 0;
}

struct id_ud {
	int64_t id;
};

static int first_id(void *p, const struct fs_value *v)
{
	((struct id_ud *)p)->id = v[0].i;
	return 1;
}

int fs_user_id(struct fs_ctx *ctx, const char *username, int64_t *ret, struct fs_error *err)
{
	struct fs_filter f = {"username", FS_EQ, fs_vtext(username)};
	struct fs_query q = {.table = &fs_entity_lookup("user")->table, .filters = &f, .nfilters = 1, .limit = 1};
	struct id_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, first_id, &u, err);
	if (!rc && !u.id)
		rc = fs_fail(err, FS_ENOTFOUND, "username", "there is no user '%.64s'", username);
	if (!rc)
		*ret = u.id;
	return rc;
}

int fs_user_add(struct fs_ctx *ctx, const char *username, const char *password, int64_t *ret_id, struct fs_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = check_password(password, err);
	if (!rc)
		rc = hash_password(password, hash, err);
	if (rc)
		return rc;
	struct fs_kv kv[] = {{"username", username}, {"password_hash", hash}};
	rc = fs_create(ctx, fs_entity_lookup("user"), kv, 2, ret_id, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* End every session of a user (inside the caller's transaction). */
static int end_sessions(struct fs_ctx *ctx, int64_t user, struct fs_error *err)
{
	struct fs_filter f = {"user_id", FS_EQ, fs_vint(user)};
	struct fs_query q = {.table = &sessions_table, .filters = &f, .nfilters = 1, .limit = 1};
	for (;;) {
		struct id_ud u = {0};
		int rc = fs_store_select(ctx->st, &q, first_id, &u, err);
		if (rc || !u.id)
			return rc;
		if ((rc = fs_store_delete(ctx->st, &sessions_table, u.id, err)))
			return rc;
	}
}

int fs_user_passwd(struct fs_ctx *ctx, const char *username, const char *password, struct fs_error *err)
{
	int64_t id;
	char hash[crypto_pwhash_STRBYTES];
	int rc = fs_user_id(ctx, username, &id, err);
	if (!rc)
		rc = check_password(password, err);
	if (!rc)
		rc = hash_password(password, hash, err);
	if (rc)
		return rc;
	struct fs_kv kv[] = {{"password_hash", hash}};
	if (!(rc = fs_tx_begin(ctx, err))) {
		rc = fs_update(ctx, fs_entity_lookup("user"), id, kv, 1, err);
		if (!rc) /* whoever knew the old password is logged out */
			rc = end_sessions(ctx, id, err);
		rc = fs_tx_end(ctx, rc, err);
	}
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static int revoke_all_tokens(struct fs_ctx *ctx, int64_t user, struct fs_error *err);

int fs_user_disable(struct fs_ctx *ctx, const char *username, int disabled, struct fs_error *err)
{
	int64_t id;
	int rc = fs_user_id(ctx, username, &id, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_kv kv[] = {{"disabled", disabled ? "yes" : "no"}};
	rc = fs_update(ctx, fs_entity_lookup("user"), id, kv, 1, err);
	/* a disabled account loses its sessions and its API tokens at once; enabling
	 * it again brings none of them back */
	if (!rc && disabled)
		rc = end_sessions(ctx, id, err);
	if (!rc && disabled)
		rc = revoke_all_tokens(ctx, id, err);
	return fs_tx_end(ctx, rc, err);
}

/* The role record of (user, current organization), or 0. */
int fs_user_grant(struct fs_ctx *ctx, const char *username, const char *role, struct fs_error *err)
{
	int64_t user, existing;
	int rc = fs_user_id(ctx, username, &user, err);
	if (!rc && ctx->org_id <= 0)
		rc = fs_fail(err, FS_EINVAL, "org", "choose the organization with --org");
	if (!rc)
		rc = fs_role_record(ctx, user, ctx->org_id, &existing, NULL, err);
	if (rc)
		return rc;
	const struct fs_entity *re = fs_entity_lookup("role");
	if (!strcmp(role, "none"))
		return existing ? fs_remove(ctx, re, existing, err) : 0;
	if (existing) {
		struct fs_kv kv[] = {{"role", role}};
		return fs_update(ctx, re, existing, kv, 1, err);
	}
	char uid[24];
	snprintf(uid, sizeof(uid), "%lld", (long long)user);
	struct fs_kv kv[] = {{"user_id", uid}, {"role", role}};
	return fs_create(ctx, re, kv, 2, NULL, err);
}

static int count_cb(void *p, const struct fs_value *v)
{
	(void)v;
	(*(int64_t *)p)++;
	return 0;
}

/* Throttle: count the name's recent failures and, below the limit, record this
 * attempt as failed before the password is even checked, in one write
 * transaction. Parallel attempts are serialized by it, so no more than
 * FS_THROTTLE_FAILS failures are ever let through to the password check. */
static int login_reserve(struct fs_ctx *ctx, const char *username, int64_t *ret_attempt, struct fs_error *err)
{
	time_t now = time(NULL);
	char since[21], at[21];
	iso_time(now - FS_THROTTLE_MINUTES * 60, since);
	iso_time(now, at);
	struct fs_filter f[3] = {{"username", FS_EQ, fs_vtext(username)}, {"at", FS_GE, fs_vtext(since)}, {"ok", FS_EQ, fs_vint(0)}};
	struct fs_query q = {.table = &attempts_table, .filters = f, .nfilters = 3};
	int64_t fails = 0;
	int rc = fs_tx_begin(ctx, err);
	if (rc)
		return rc;
	rc = fs_store_select(ctx->st, &q, count_cb, &fails, err);
	if (!rc && fails >= FS_THROTTLE_FAILS)
		rc = fs_fail(err, FS_ELIMIT, "username", "too many failed logins; try again in %d minutes", FS_THROTTLE_MINUTES);
	struct fs_value av[4] = {fs_vnull(), fs_vtext(username), fs_vtext(at), fs_vint(0)};
	if (!rc)
		rc = fs_store_insert(ctx->st, &attempts_table, av, ret_attempt, err);
	return fs_tx_end(ctx, rc, err);
}

/* A hash of no one's password, made with the same parameters as every real one. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy_hash(void)
{
	unsigned char raw[16];
	char pw[33];
	randombytes_buf(raw, sizeof(raw));
	fs_hex(raw, sizeof(raw), pw);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE))
		dummy_hash[0] = '\0';
}

/* Check the password with the same work whatever the outcome: an unknown name,
 * a disabled account and a wrong password cost one argon2id verification each. */
static int password_ok(struct fs_ctx *ctx, const char *username, const char *password, int64_t *ret_user)
{
	pthread_once(&dummy_once, make_dummy_hash);
	int64_t user = 0;
	int ok = 0, disabled = 1;
	char *hash = NULL;
	struct fs_error ignore;
	if (!fs_user_id(ctx, username, &user, &ignore)) {
		const struct fs_entity *ue = fs_entity_lookup("user");
		struct fs_row row;
		struct fs_rec r;
		if (!fs_store_get(ctx->st, &ue->table, user, &row, &ignore)) {
			if (!rec_from_values(ctx, &r, ue, row.vals, &ignore)) {
				const char *h = rec_sealed(&r, "password_hash");
				hash = h ? strdup(h) : NULL;
				disabled = rec_field(&r, "disabled")->i != 0;
				rec_done(&r);
			}
			fs_row_free(&row);
		}
	}
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password, strlen(password)) == 0 && hash && !disabled;
	if (hash) {
		sodium_memzero(hash, strlen(hash));
		free(hash);
	}
	*ret_user = user;
	return ok;
}

int fs_login(struct fs_ctx *ctx, const char *username, const char *password, char token[65], char csrf[65],
	     int64_t *ret_user, struct fs_error *err)
{
	int64_t attempt = 0, user = 0;
	int rc = login_reserve(ctx, username, &attempt, err);
	if (rc)
		return rc;
	if (!password_ok(ctx, username, password, &user))
		return fs_fail(err, FS_EPERM, "password", "wrong user name or password");
	char expires[21];
	iso_time(time(NULL) + FS_SESSION_HOURS * 3600, expires);
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_row row;
	if (!(rc = fs_store_get(ctx->st, &attempts_table, attempt, &row, err))) {
		row.vals[3] = fs_vint(1);
		rc = fs_store_update(ctx->st, &attempts_table, row.vals, err);
		fs_row_free(&row);
	}
	if (!rc) {
		unsigned char raw[32], h[32];
		randombytes_buf(raw, sizeof(raw));
		fs_hex(raw, sizeof(raw), token);
		randombytes_buf(raw, sizeof(raw));
		fs_hex(raw, sizeof(raw), csrf);
		secret_hash(ctx, token, h);
		struct fs_value sv[5] = {fs_vnull(), fs_vint(user), fs_vblob(h, 32), fs_vtext(csrf), fs_vtext(expires)};
		rc = fs_store_insert(ctx->st, &sessions_table, sv, NULL, err);
		sodium_memzero(raw, sizeof(raw));
	}
	rc = fs_tx_end(ctx, rc, err);
	if (!rc)
		*ret_user = user;
	return rc;
}

struct session_ud {
	int64_t user;
	char csrf[65];
	char expires[21];
	int64_t id;
};

static int session_cb(void *p, const struct fs_value *v)
{
	struct session_ud *s = p;
	s->id = v[0].i;
	s->user = v[1].i;
	snprintf(s->csrf, sizeof(s->csrf), "%.*s", (int)v[3].n, (const char *)v[3].p);
	snprintf(s->expires, sizeof(s->expires), "%.*s", (int)v[4].n, (const char *)v[4].p);
	return 1;
}

static int user_enabled(struct fs_ctx *ctx, int64_t user)
{
	const struct fs_entity *ue = fs_entity_lookup("user");
	struct fs_row row;
	if (fs_store_get(ctx->st, &ue->table, user, &row, NULL))
		return 0;
	int ok = row.vals[ue->col_of[fs_field_index(ue, "disabled")]].i == 0;
	fs_row_free(&row);
	return ok;
}

static int find_session(struct fs_ctx *ctx, const char *token, struct session_ud *s, struct fs_error *err)
{
	unsigned char h[32];
	secret_hash(ctx, token, h);
	struct fs_filter f = {"token_hash", FS_EQ, fs_vblob(h, 32)};
	struct fs_query q = {.table = &sessions_table, .filters = &f, .nfilters = 1, .limit = 1};
	memset(s, 0, sizeof(*s));
	return fs_store_select(ctx->st, &q, session_cb, s, err);
}

int fs_session_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, char csrf[65], struct fs_error *err)
{
	return fs_session_check_until(ctx, token, ret_user, csrf, NULL, err);
}

int fs_session_check_until(struct fs_ctx *ctx, const char *token, int64_t *ret_user, char csrf[65], char expires[21],
			   struct fs_error *err)
{
	struct session_ud s;
	int rc = find_session(ctx, token, &s, err);
	if (rc)
		return rc;
	char now[21];
	iso_time(time(NULL), now);
	if (!s.id || strcmp(s.expires, now) < 0 || !user_enabled(ctx, s.user))
		return fs_fail(err, FS_EPERM, NULL, "not logged in (or the session expired)");
	*ret_user = s.user;
	memcpy(csrf, s.csrf, 65);
	if (expires)
		memcpy(expires, s.expires, 21);
	return 0;
}

int fs_logout(struct fs_ctx *ctx, const char *token, struct fs_error *err)
{
	struct session_ud s;
	int rc = find_session(ctx, token, &s, err);
	if (!rc && s.id)
		rc = fs_store_delete(ctx->st, &sessions_table, s.id, err);
	return rc;
}


static int token_name_check(const char *name, struct fs_error *err)
{
	size_t n = strlen(name);
	if (n == 0 || n > FS_TOKEN_NAME_MAX)
		return fs_fail(err, FS_EINVAL, "name", "a token's name has 1 to %d bytes", FS_TOKEN_NAME_MAX);
	if (fs_utf8_invalid_at(name, n))
		return fs_fail(err, FS_EINVAL, "name", "a token's name must be UTF-8 text");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return fs_fail(err, FS_EINVAL, "name", "a token's name holds no control characters");
	return 0;
}

/* The id of the user's token of that name, 0 when none. */
static int token_by_name(struct fs_ctx *ctx, int64_t user, const char *name, int64_t *ret, struct fs_error *err)
{
	struct fs_filter f[2] = {{"user_id", FS_EQ, fs_vint(user)}, {"name", FS_EQ, fs_vtext(name)}};
	struct fs_query q = {.table = &tokens_table, .filters = f, .nfilters = 2, .limit = 1};
	struct id_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, first_id, &u, err);
	*ret = u.id;
	return rc;
}

/* A journal entry on the user's record: a token made or revoked (name and id,
 * never the token or its hash). */
static int journal_token(struct fs_ctx *ctx, int64_t user, const char *what, int64_t token_id, const char *name,
			 struct fs_error *err)
{
	json_t *j = json_pack("{s:s,s:I,s:s}", "token", what, "token_id", (json_int_t)token_id, "name", name);
	char *note = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!note)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	struct fs_rec r;
	rec_init(&r, fs_entity_lookup("user"));
	r.v[0] = fs_vint(user);
	int rc = fs_journal_note(ctx, "token", &r, note, err);
	rec_done(&r);
	free(note);
	return rc;
}

int fs_token_insert(struct fs_ctx *ctx, int64_t user, const char *name, char token[68], int64_t *ret_id,
		    struct fs_error *err)
{
	int64_t existing, id = 0;
	int rc = token_name_check(name, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	rc = token_by_name(ctx, user, name, &existing, err);
	if (!rc && existing)
		rc = fs_fail(err, FS_ECONFLICT, "name", "the account already has a token named '%s' (revoke it first, or choose another name)",
			     name);
	unsigned char raw[32], h[32];
	if (!rc) {
		randombytes_buf(raw, sizeof(raw));
		memcpy(token, "fs_", 3);
		fs_hex(raw, sizeof(raw), token + 3);
		sodium_memzero(raw, sizeof(raw));
		secret_hash(ctx, token, h);
		char now[21];
		iso_time(time(NULL), now);
		struct fs_value v[5] = {fs_vnull(), fs_vint(user), fs_vtext(name), fs_vblob(h, 32), fs_vtext(now)};
		rc = fs_store_insert(ctx->st, &tokens_table, v, &id, err);
	}
	if (!rc)
		rc = journal_token(ctx, user, "created", id, name, err);
	rc = fs_tx_end(ctx, rc, err);
	if (rc)
		sodium_memzero(token, 68);
	else
		*ret_id = id;
	return rc;
}

struct token_ud {
	struct fs_ctx *ctx;
	json_t *items;
	int64_t *ids;
	size_t n, cap;
	int failed;
};

static int token_row_cb(void *p, const struct fs_value *v)
{
	struct token_ud *u = p;
	if (u->items) {
		const struct fs_entity *ue = fs_entity_lookup("user");
		struct fs_row row;
		char username[80] = "";
		if (!fs_store_get(u->ctx->st, &ue->table, v[1].i, &row, NULL)) {
			const struct fs_value *nv = &row.vals[ue->col_of[fs_field_index(ue, "username")]];
			snprintf(username, sizeof(username), "%.*s", (int)nv->n, (const char *)nv->p);
			fs_row_free(&row);
		}
		/* names and dates only: never the token's hash */
		json_array_append_new(u->items, json_pack("{s:I,s:I,s:s,s:s#,s:s#}", "id", (json_int_t)v[0].i, "user_id",
							  (json_int_t)v[1].i, "user", username, "name", (const char *)v[2].p,
							  (int)v[2].n, "created_at", (const char *)v[4].p, (int)v[4].n));
		return 0;
	}
	if (fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 8)) {
		u->failed = 1;
		return 1;
	}
	u->ids[u->n++] = v[0].i;
	return 0;
}

int fs_token_rows(struct fs_ctx *ctx, int64_t user, json_t **ret_items, struct fs_error *err)
{
	struct fs_filter f = {"user_id", FS_EQ, fs_vint(user)};
	struct fs_query q = {.table = &tokens_table, .filters = user ? &f : NULL, .nfilters = user ? 1 : 0, .order_by = "id"};
	struct token_ud u = {.ctx = ctx, .items = json_array()};
	if (!u.items)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	int rc = fs_read_begin(ctx, err);
	if (!rc) {
		rc = fs_store_select(ctx->st, &q, token_row_cb, &u, err);
		fs_read_end(ctx);
	}
	if (rc) {
		json_decref(u.items);
		return rc;
	}
	*ret_items = u.items;
	return 0;
}

int fs_token_id_of(struct fs_ctx *ctx, int64_t user, const char *name, int64_t *ret_id, struct fs_error *err)
{
	int64_t id;
	int rc = token_by_name(ctx, user, name, &id, err);
	if (!rc && !id)
		rc = fs_fail(err, FS_ENOTFOUND, "name", "the account has no token named '%.64s' (see 'fairshare user token list')",
			     name);
	if (!rc)
		*ret_id = id;
	return rc;
}

static int revoke_one(struct fs_ctx *ctx, int64_t user, int64_t id, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &tokens_table, id, &row, err);
	if (rc == FS_ENOTFOUND)
		rc = fs_fail(err, FS_ENOTFOUND, "token", "the account has no token %lld", (long long)id);
	if (rc)
		return rc;
	int64_t owner = row.vals[1].i;
	char name[FS_TOKEN_NAME_MAX + 1];
	snprintf(name, sizeof(name), "%.*s", (int)row.vals[2].n, (const char *)row.vals[2].p);
	fs_row_free(&row);
	if (owner != user) /* another account's token is not there for this one */
		return fs_fail(err, FS_ENOTFOUND, "token", "the account has no token %lld", (long long)id);
	rc = fs_store_delete(ctx->st, &tokens_table, id, err);
	return rc ? rc : journal_token(ctx, user, "revoked", id, name, err);
}

int fs_token_delete(struct fs_ctx *ctx, int64_t user, int64_t token_id, struct fs_error *err)
{
	int rc = fs_tx_begin(ctx, err);
	if (rc)
		return rc;
	return fs_tx_end(ctx, revoke_one(ctx, user, token_id, err), err);
}

static int revoke_all_tokens(struct fs_ctx *ctx, int64_t user, struct fs_error *err)
{
	struct fs_filter f = {"user_id", FS_EQ, fs_vint(user)};
	struct fs_query q = {.table = &tokens_table, .filters = &f, .nfilters = 1, .order_by = "id"};
	struct token_ud u = {.ctx = ctx};
	int rc = fs_store_select(ctx->st, &q, token_row_cb, &u, err);
	if (!rc && u.failed)
		rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; !rc && i < u.n; i++)
		rc = revoke_one(ctx, user, u.ids[i], err);
	free(u.ids);
	return rc;
}

int fs_token_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, struct fs_error *err)
{
	unsigned char h[32];
	secret_hash(ctx, token, h);
	struct fs_filter f = {"token_hash", FS_EQ, fs_vblob(h, 32)};
	struct fs_query q = {.table = &tokens_table, .filters = &f, .nfilters = 1, .limit = 1};
	struct session_ud s = {0};
	static const char *const cols[] = {"id", "user_id", "token_hash", "name", "created_at"};
	q.columns = cols;
	q.ncolumns = 5;
	int rc = fs_store_select(ctx->st, &q, session_cb, &s, err);
	if (rc)
		return rc;
	if (!s.id || !user_enabled(ctx, s.user))
		return fs_fail(err, FS_EPERM, NULL, "unknown or revoked API token");
	*ret_user = s.user;
	return 0;
}

int fs_journal_view(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err)
{
	struct fs_rec r;
	rec_init(&r, e);
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, id, &row, err);
	if (rc)
		return rc;
	rc = rec_from_values(ctx, &r, e, row.vals, err);
	fs_row_free(&row);
	if (!rc && !(rc = fs_tx_begin(ctx, err)))
		rc = fs_tx_end(ctx, fs_journal_append(ctx, "view", &r, NULL, err), err);
	rec_done(&r);
	return rc;
}
