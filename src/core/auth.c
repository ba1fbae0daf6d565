/* auth.c - accounts: users (argon2id password hashes, sealed), roles per
 * organization, sessions and API tokens (stored only as BLAKE2b hashes), login
 * throttling, and journaled views of sealed fields. */
#include "internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSION_HOURS 12
#define THROTTLE_FAILS 5
#define THROTTLE_MINUTES 15
#define PASSWORD_MIN 10
#define PASSWORD_MAX 256

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

static void secret_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), (const unsigned char *)"fs-token", 8);
}

static int check_password(const char *pw, struct fs_error *err)
{
	size_t n = strlen(pw);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		return fs_fail(err, FS_EINVAL, "password", "a password has %d to %d characters", PASSWORD_MIN, PASSWORD_MAX);
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
	struct fs_query q = {.table = &fs_entity_find("user")->table, .filters = &f, .nfilters = 1, .limit = 1};
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
	rc = fs_create(ctx, fs_entity_find("user"), kv, 2, ret_id, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
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
	rc = fs_update(ctx, fs_entity_find("user"), id, kv, 1, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int fs_user_disable(struct fs_ctx *ctx, const char *username, int disabled, struct fs_error *err)
{
	int64_t id;
	int rc = fs_user_id(ctx, username, &id, err);
	if (rc)
		return rc;
	struct fs_kv kv[] = {{"disabled", disabled ? "yes" : "no"}};
	rc = fs_update(ctx, fs_entity_find("user"), id, kv, 1, err);
	if (!rc && disabled) { /* a disabled account loses its sessions at once */
		struct fs_filter f = {"user_id", FS_EQ, fs_vint(id)};
		struct fs_query q = {.table = &sessions_table, .filters = &f, .nfilters = 1};
		struct id_ud u;
		while (!rc) {
			u.id = 0;
			rc = fs_store_select(ctx->st, &q, first_id, &u, err);
			if (rc || !u.id)
				break;
			rc = fs_store_delete(ctx->st, &sessions_table, u.id, err);
		}
	}
	return rc;
}

/* The role record of (user, current organization), or 0. */
static int role_record(struct fs_ctx *ctx, int64_t user, int64_t org, int64_t *ret, char role[16], struct fs_error *err)
{
	const struct fs_entity *re = fs_entity_find("role");
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"user_id", FS_EQ, fs_vint(user)}};
	struct fs_query q = {.table = &re->table, .filters = f, .nfilters = 2, .limit = 1};
	struct fs_row row = {0};
	struct id_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, first_id, &u, err);
	*ret = u.id;
	if (!rc && u.id && role) {
		rc = fs_store_get(ctx->st, &re->table, u.id, &row, err);
		if (!rc) {
			const struct fs_value *v = &row.vals[re->col_of[fs_field_index(re, "role")]];
			snprintf(role, 16, "%.*s", (int)v->n, (const char *)v->p);
			fs_row_free(&row);
		}
	}
	return rc;
}

int fs_user_grant(struct fs_ctx *ctx, const char *username, const char *role, struct fs_error *err)
{
	int64_t user, existing;
	int rc = fs_user_id(ctx, username, &user, err);
	if (!rc && ctx->org_id <= 0)
		rc = fs_fail(err, FS_EINVAL, "org", "choose the organization with --org");
	if (!rc)
		rc = role_record(ctx, user, ctx->org_id, &existing, NULL, err);
	if (rc)
		return rc;
	const struct fs_entity *re = fs_entity_find("role");
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

int fs_user_role(struct fs_ctx *ctx, int64_t user, int64_t org, char role[16], struct fs_error *err)
{
	int64_t id;
	role[0] = '\0';
	return role_record(ctx, user, org, &id, role, err);
}

static int count_cb(void *p, const struct fs_value *v)
{
	(void)v;
	(*(int64_t *)p)++;
	return 0;
}

int fs_login(struct fs_ctx *ctx, const char *username, const char *password, char token[65], char csrf[65],
	     int64_t *ret_user, struct fs_error *err)
{
	time_t now = time(NULL);
	char since[21], at[21], expires[21];
	iso_time(now - THROTTLE_MINUTES * 60, since);
	iso_time(now, at);
	iso_time(now + SESSION_HOURS * 3600, expires);
	/* throttle: too many recent failures for this name, whatever the password */
	struct fs_filter f[3] = {{"username", FS_EQ, fs_vtext(username)}, {"at", FS_GE, fs_vtext(since)}, {"ok", FS_EQ, fs_vint(0)}};
	struct fs_query q = {.table = &attempts_table, .filters = f, .nfilters = 3};
	int64_t fails = 0;
	int rc = fs_store_select(ctx->st, &q, count_cb, &fails, err);
	if (rc)
		return rc;
	if (fails >= THROTTLE_FAILS)
		return fs_fail(err, FS_ELIMIT, "username", "too many failed logins; try again in %d minutes", THROTTLE_MINUTES);
	int64_t user = 0;
	int ok = 0;
	struct fs_error ignore;
	if (!fs_user_id(ctx, username, &user, &ignore)) {
		const struct fs_entity *ue = fs_entity_find("user");
		struct fs_row row;
		struct fs_rec r;
		if (!fs_store_get(ctx->st, &ue->table, user, &row, &ignore)) {
			if (!rec_from_values(ctx, &r, ue, row.vals, &ignore)) {
				const char *hash = rec_sealed(&r, "password_hash");
				int disabled = rec_field(&r, "disabled")->i != 0;
				ok = hash && !disabled && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
				rec_done(&r);
			}
			fs_row_free(&row);
		}
	} else {
		/* the same work for an unknown name: no timing difference */
		char dummy[crypto_pwhash_STRBYTES];
		hash_password("not-a-real-password", dummy, &ignore);
	}
	struct fs_value av[4] = {fs_vnull(), fs_vtext(username), fs_vtext(at), fs_vint(ok)};
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	rc = fs_store_insert(ctx->st, &attempts_table, av, NULL, err);
	if (!rc && ok) {
		unsigned char raw[32], h[32];
		randombytes_buf(raw, sizeof(raw));
		fs_hex(raw, sizeof(raw), token);
		randombytes_buf(raw, sizeof(raw));
		fs_hex(raw, sizeof(raw), csrf);
		secret_hash(token, h);
		struct fs_value sv[5] = {fs_vnull(), fs_vint(user), fs_vblob(h, 32), fs_vtext(csrf), fs_vtext(expires)};
		rc = fs_store_insert(ctx->st, &sessions_table, sv, NULL, err);
		sodium_memzero(raw, sizeof(raw));
	}
	rc = fs_tx_end(ctx, rc, err);
	if (!rc && !ok)
		rc = fs_fail(err, FS_EPERM, "password", "wrong user name or password");
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
	const struct fs_entity *ue = fs_entity_find("user");
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
	secret_hash(token, h);
	struct fs_filter f = {"token_hash", FS_EQ, fs_vblob(h, 32)};
	struct fs_query q = {.table = &sessions_table, .filters = &f, .nfilters = 1, .limit = 1};
	memset(s, 0, sizeof(*s));
	return fs_store_select(ctx->st, &q, session_cb, s, err);
}

int fs_session_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, char csrf[65], struct fs_error *err)
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

int fs_token_create(struct fs_ctx *ctx, const char *username, const char *name, char token[68], struct fs_error *err)
{
	int64_t user;
	int rc = fs_user_id(ctx, username, &user, err);
	if (rc)
		return rc;
	unsigned char raw[32], h[32];
	randombytes_buf(raw, sizeof(raw));
	memcpy(token, "fs_", 3);
	fs_hex(raw, sizeof(raw), token + 3);
	sodium_memzero(raw, sizeof(raw));
	secret_hash(token, h);
	char now[21];
	iso_time(time(NULL), now);
	struct fs_value v[5] = {fs_vnull(), fs_vint(user), fs_vtext(name), fs_vblob(h, 32), fs_vtext(now)};
	return fs_store_insert(ctx->st, &tokens_table, v, NULL, err);
}

int fs_token_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, struct fs_error *err)
{
	unsigned char h[32];
	secret_hash(token, h);
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
