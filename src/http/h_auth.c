/* h_auth.c - who is asking: the bearer token or session cookie of a request,
 * its CSRF header, the organization of the path and the user's role there
 * (with a small per-thread cache of these lookups), and the routes that log in,
 * log out and say who the user is (/me). */
#include "route.h"
#include "respond.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/policy.h"

/* Per database context (pool.c): lookups that every request repeats (who the token is, the
 * organization, the user's role there), kept while the database is unchanged:
 * any change by another connection (PRAGMA data_version) or a write by this
 * thread empties it, and an entry lives at most CACHE_SECONDS - a session's never
 * past its own end (no change of the data marks that: an expired session acting
 * from the cache would be a session that outlived its logout time). */
#define CACHE_SLOTS 16
#define CACHE_SECONDS 5

struct auth_entry {
	char key[72]; /* the token or session cookie */
	int64_t user;
	int by_session;
	char csrf[65];
	char expires[21]; /* a session's last second, as stored (UTC ISO; "" for a token) */
	time_t at;
};

struct org_entry {
	char org[64]; /* as written in the URL */
	int64_t user, org_id;
	char role[16], country[3], currency[4];
	time_t at;
};

struct thread_cache {
	int64_t version;
	struct auth_entry auth[CACHE_SLOTS];
	struct org_entry orgs[CACHE_SLOTS];
	unsigned next_auth, next_org;
};

/* The cache of the database context the request holds (pool.c lends both
 * together): what one context's caches hold is read through that context. */
static _Thread_local struct thread_cache *current;

void *fs_http_auth_cache_new(void)
{
	struct thread_cache *tc = calloc(1, sizeof(*tc));
	if (tc)
		tc->version = -1;
	return tc;
}

void fs_http_auth_cache_use(void *cache)
{
	current = cache;
}

static struct thread_cache *thread_cache(struct fs_ctx *ctx)
{
	struct thread_cache *tc = current;
	if (!tc)
		return NULL; /* no cache: every lookup asks the core */
	int64_t v = fs_data_version(ctx);
	if (v != tc->version) {
		memset(tc, 0, sizeof(*tc));
		tc->version = v;
	}
	return tc;
}

void fs_http_cache_clear(void)
{
	struct thread_cache *tc = current;
	if (tc) {
		memset(tc, 0, sizeof(*tc));
		tc->version = -1;
	}
}

static const char *cookie_token(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "fs_session");
}

int fs_http_authenticate(struct fs_ctx *ctx, struct MHD_Connection *c, struct fs_hreq *w)
{
	struct fs_error err = {0};
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *bearer = auth && !strncmp(auth, "Bearer ", 7) ? auth + 7 : NULL;
	const char *tok = bearer ? bearer : cookie_token(c);
	if (!tok)
		return -1;
	struct thread_cache *tc = thread_cache(ctx);
	time_t now = time(NULL);
	size_t tl = strlen(tok);
	char now_iso[21] = "";
	struct tm tm;
	if (!bearer && gmtime_r(&now, &tm))
		strftime(now_iso, sizeof(now_iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; tc && tl < sizeof(tc->auth[0].key) && i < CACHE_SLOTS; i++) {
		struct auth_entry *a = &tc->auth[i];
		if (a->user && now - a->at < CACHE_SECONDS && a->by_session == !bearer && !strcmp(a->key, tok) &&
		    (bearer || (now_iso[0] && strcmp(a->expires, now_iso) >= 0))) {
			w->user = a->user;
			w->by_session = a->by_session;
			memcpy(w->csrf, a->csrf, sizeof(w->csrf));
			return 0;
		}
	}
	char expires[21] = "";
	int rc = bearer ? fs_token_check(ctx, tok, &w->user, &err)
			: fs_session_check_until(ctx, tok, &w->user, w->csrf, expires, &err);
	if (rc)
		return -1;
	w->by_session = !bearer;
	if (tc && tl < sizeof(tc->auth[0].key)) {
		struct auth_entry *a = &tc->auth[tc->next_auth++ % CACHE_SLOTS];
		memcpy(a->key, tok, tl + 1);
		a->user = w->user;
		a->by_session = w->by_session;
		memcpy(a->csrf, w->csrf, sizeof(a->csrf));
		memcpy(a->expires, expires, sizeof(a->expires));
		a->at = now;
	}
	return 0;
}

int fs_http_org_role(struct fs_ctx *ctx, const char *org, int64_t user, char role[16])
{
	struct thread_cache *tc = thread_cache(ctx);
	time_t now = time(NULL);
	for (size_t i = 0; tc && strlen(org) < sizeof(tc->orgs[0].org) && i < CACHE_SLOTS; i++) {
		struct org_entry *o = &tc->orgs[i];
		if (o->org_id && o->user == user && now - o->at < CACHE_SECONDS && !strcmp(o->org, org)) {
			fs_set_org(ctx, o->org_id, o->country, o->currency);
			memcpy(role, o->role, 16);
			return 0;
		}
	}
	struct fs_error err = {0};
	role[0] = '\0';
	if (fs_use_org(ctx, org, &err) || fs_user_role(ctx, user, fs_org(ctx), role, &err))
		return -1;
	if (tc && strlen(org) < sizeof(tc->orgs[0].org)) {
		struct org_entry *o = &tc->orgs[tc->next_org++ % CACHE_SLOTS];
		snprintf(o->org, sizeof(o->org), "%s", org);
		o->user = user;
		o->org_id = fs_org(ctx);
		memcpy(o->role, role, 16);
		fs_org_info(ctx, o->country, o->currency);
		o->at = now;
	}
	return 0;
}

int fs_http_csrf_ok(struct MHD_Connection *c, const struct fs_hreq *w)
{
	if (!w->by_session)
		return 1; /* bearer tokens are not sent by browsers on their own */
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	return h && strlen(h) == 64 && sodium_memcmp(h, w->csrf, 64) == 0;
}

/* POST /login {"username","password"}: a session cookie and its CSRF token. */
enum MHD_Result fs_h_login(struct fs_hreq *q)
{
	json_error_t jerr;
	json_t *j = json_loadb(q->body ? q->body : "", q->body_len, 0, &jerr);
	const char *user = json_string_value(json_object_get(j, "username"));
	const char *pass = json_string_value(json_object_get(j, "password"));
	if (!j || !user || !pass) {
		json_decref(j);
		return fs_http_send_error(q->c, 400, j ? "wrong_type" : "malformed_json", "send {\"username\": \"…\", \"password\": \"…\"}", NULL);
	}
	char token[65], csrf[65];
	int64_t uid;
	struct fs_error err = {0};
	int rc = fs_login(q->ctx, user, pass, token, csrf, &uid, &err);
	json_decref(j);
	if (rc == FS_ELIMIT)
		return fs_http_send_error(q->c, 429, "too_many_attempts", err.message, NULL);
	if (rc == FS_EPERM)
		return fs_http_send_error(q->c, 401, "unauthorized", "wrong user name or password", NULL);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	char cookie[160];
	snprintf(cookie, sizeof(cookie), "fs_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200", token);
	sodium_memzero(token, sizeof(token));
	return fs_http_send_json(q->c, 200, json_pack("{s:I,s:s}", "user_id", (json_int_t)uid, "csrf", csrf), cookie);
}

enum MHD_Result fs_h_logout(struct fs_hreq *q)
{
	struct fs_error err = {0};
	const char *tok = cookie_token(q->c);
	if (tok)
		fs_logout(q->ctx, tok, &err);
	return fs_http_send_json(q->c, 200, json_pack("{s:b}", "ok", 1), "fs_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
}

/* The organizations the user holds a role in, each with the role's capabilities. */
static json_t *orgs_of(struct fs_ctx *ctx, int64_t user)
{
	json_t *out = json_array(), *orgs;
	struct fs_error err = {0};
	struct fs_list_opts o = {.limit = 10000};
	if (fs_list(ctx, fs_entity_find("organization"), &o, &orgs, &err))
		return out;
	size_t i;
	json_t *org;
	json_array_foreach(json_object_get(orgs, "items"), i, org) {
		char role[16];
		if (!fs_user_role(ctx, user, json_integer_value(json_object_get(org, "id")), role, &err) && role[0])
			json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O,s:O,s:s,s:o}", "id", json_object_get(org, "id"), "slug",
							     json_object_get(org, "slug"), "name", json_object_get(org, "name"),
							     "currency", json_object_get(org, "currency"), "country", json_object_get(org, "country"), "role", role,
							     "capabilities", fs_role_capabilities(role)));
	}
	json_decref(orgs);
	return out;
}

/* GET /me (and /orgs): the user, their organizations, roles and capabilities. */
enum MHD_Result fs_h_me(struct fs_hreq *q)
{
	return fs_http_send_json(q->c, 200, json_pack("{s:I,s:o,s:s?}", "user_id", (json_int_t)q->user, "orgs", orgs_of(q->ctx, q->user),
						      "csrf", q->by_session ? q->csrf : NULL), NULL);
}
