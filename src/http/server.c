/* server.c - the HTTP JSON API: routing, authentication (session cookie + CSRF
 * header, or bearer API token), roles per organization, limits, errors as
 * {"error":{"code","message","field"}}, security headers, one log line per
 * request (method, route, status, time; never bodies, queries or personal data). */
#include "http.h"
#include "body.h"
#include "front.h"
#include "params.h"
#include "respond.h"
#include "transport.h"
#include "ops.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "core/policy.h"
#include "util/buf.h"
#include "util/money.h"
#include "util/utf8.h"

struct fs_embedded {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct fs_embedded fs_embedded_docs[];

struct server {
	const struct fs_http_opts *o;
	pthread_key_t ctx_key;
	pthread_mutex_t lock;
	struct fs_ctx *ctxs[64];
	size_t nctx;
};

/* Per worker thread: lookups that every request repeats (who the token is, the
 * organization, the user's role there), kept while the database is unchanged:
 * any change by another connection (PRAGMA data_version) or a write by this
 * thread empties it, and an entry lives at most CACHE_SECONDS. */
#define CACHE_SLOTS 16
#define CACHE_SECONDS 5

struct auth_entry {
	char key[72]; /* the token or session cookie */
	int64_t user;
	int by_session;
	char csrf[65];
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

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_key_init(void)
{
	pthread_key_create(&cache_key, free);
}

static struct thread_cache *thread_cache(struct fs_ctx *ctx)
{
	pthread_once(&cache_once, cache_key_init);
	struct thread_cache *tc = pthread_getspecific(cache_key);
	if (!tc) {
		tc = calloc(1, sizeof(*tc));
		if (!tc)
			return NULL;
		tc->version = -1;
		pthread_setspecific(cache_key, tc);
	}
	int64_t v = fs_data_version(ctx);
	if (v != tc->version) {
		memset(tc, 0, sizeof(*tc));
		tc->version = v;
	}
	return tc;
}

static void cache_clear(void)
{
	pthread_once(&cache_once, cache_key_init);
	struct thread_cache *tc = pthread_getspecific(cache_key);
	if (tc) {
		memset(tc, 0, sizeof(*tc));
		tc->version = -1;
	}
}

struct request {
	struct fs_buf body;
	int too_large;
	struct timespec start;
	char route[FS_ROUTE_LABEL]; /* for /metrics */
};

/* ---- per-thread database contexts ---- */

static struct fs_ctx *thread_ctx(struct server *s, struct fs_error *err)
{
	struct fs_ctx *ctx = pthread_getspecific(s->ctx_key);
	if (ctx)
		return ctx;
	if (fs_open(s->o->db_path, s->o->key_path, 0, &ctx, err))
		return NULL;
	pthread_mutex_lock(&s->lock);
	if (s->nctx < sizeof(s->ctxs) / sizeof(s->ctxs[0]))
		s->ctxs[s->nctx++] = ctx;
	pthread_mutex_unlock(&s->lock);
	pthread_setspecific(s->ctx_key, ctx);
	return ctx;
}

/* ---- responses ---- */

static enum MHD_Result send_fs_error(struct MHD_Connection *c, int rc, const struct fs_error *err)
{
	unsigned status = 500;
	const char *code = "internal";
	switch (rc) {
	case FS_EINVAL: status = 422, code = "invalid"; break;
	case FS_ENOTFOUND: status = 404, code = "not_found"; break;
	case FS_ECONFLICT:
	case FS_EINTEGRITY: status = 409, code = "conflict"; break; /* e.g. an altered evidence file */
	case FS_ELIMIT: status = 413, code = "too_large"; break;
	case FS_EPERM: status = 403, code = "forbidden"; break;
	case FS_ESTORE: status = 503, code = "busy"; break;
	default: break;
	}
	/* internal errors say little: details stay out of responses */
	return fs_http_send_error(c, status, code, status == 500 ? "internal error" : err->message, status == 500 ? NULL : err->field);
}

/* ---- request helpers ---- */

struct route {
	char *seg[8];
	size_t n;
	char buf[512];
};

static int split_path(const char *url, struct route *r)
{
	if (strlen(url) >= sizeof(r->buf))
		return -1;
	snprintf(r->buf, sizeof(r->buf), "%s", url);
	r->n = 0;
	for (char *save = NULL, *p = strtok_r(r->buf, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		if (r->n == 8)
			return -1;
		r->seg[r->n++] = p;
	}
	return 0;
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* Parse the body, or queue the 400 and return NULL-kv. */
static enum MHD_Result parse_body(struct MHD_Connection *c, struct request *rq, const struct fs_entity *e,
				  struct fs_body *out)
{
	struct fs_body_error berr;
	if (fs_body_parse(rq->body.data, rq->body.len, e, out, &berr) == 0)
		return MHD_YES;
	memset(out, 0, sizeof(*out));
	return fs_http_send_error(c, berr.status, berr.code, berr.message, berr.field);
}

/* ---- authentication ---- */

struct who {
	int64_t user;
	int by_session;
	char csrf[65];
};

static const char *cookie_token(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "fs_session");
}

static int authenticate(struct fs_ctx *ctx, struct MHD_Connection *c, struct who *w)
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
	for (size_t i = 0; tc && tl < sizeof(tc->auth[0].key) && i < CACHE_SLOTS; i++) {
		struct auth_entry *a = &tc->auth[i];
		if (a->user && now - a->at < CACHE_SECONDS && a->by_session == !bearer && !strcmp(a->key, tok)) {
			w->user = a->user;
			w->by_session = a->by_session;
			memcpy(w->csrf, a->csrf, sizeof(w->csrf));
			return 0;
		}
	}
	int rc = bearer ? fs_token_check(ctx, tok, &w->user, &err) : fs_session_check(ctx, tok, &w->user, w->csrf, &err);
	if (rc)
		return -1;
	w->by_session = !bearer;
	if (tc && tl < sizeof(tc->auth[0].key)) {
		struct auth_entry *a = &tc->auth[tc->next_auth++ % CACHE_SLOTS];
		memcpy(a->key, tok, tl + 1);
		a->user = w->user;
		a->by_session = w->by_session;
		memcpy(a->csrf, w->csrf, sizeof(a->csrf));
		a->at = now;
	}
	return 0;
}

/* Choose the organization of the URL and the user's role in it ("" = none). */
static int org_and_role(struct fs_ctx *ctx, const char *org, int64_t user, char role[16])
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

static int csrf_ok(struct MHD_Connection *c, const struct who *w)
{
	if (!w->by_session)
		return 1; /* bearer tokens are not sent by browsers on their own */
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	return h && strlen(h) == 64 && sodium_memcmp(h, w->csrf, 64) == 0;
}

/* ---- policy: decided by the core (core/policy.h); the server only asks ---- */

/* A kind of record of the record's domain: the capability that writes it says so. */
static int is_record(const struct fs_entity *e)
{
	return !strcmp(fs_entity_write_capability(e), "record.write");
}

static int can_write(const char *role, const struct fs_entity *e)
{
	return fs_role_can(role, fs_entity_write_capability(e));
}

static int can_reveal(const char *role)
{
	return fs_role_can(role, "people.reveal");
}

static const char *const org_entities[] = {"people", "employers", "workplaces", "employments", "memberships",
					   "claims", "promises", "payments", "funds", "accounts", "incidents", "violations",
					   "assessments", "legal_cases", "reports", "detentions", "actions", "action_stages",
					   "demands", "hearings", "citations", "evidence", "person_links", NULL};

static int is_record_collection(const char *plural)
{
	const struct fs_entity *e = fs_entity_find(plural);
	return e && !strcmp(fs_entity_plural(e), plural) && is_record(e);
}

/* ---- handlers ---- */

/* The record's read side. Which handling levels the user's role reads is decided
 * by the core (fs_set_role); ?public=1 asks for the public view. */
static enum MHD_Result handle_record(struct fs_ctx *ctx, struct MHD_Connection *c, const char *method, const char *sub,
				     const char *role)
{
	if (strcmp(method, "GET"))
		return fs_http_send_error(c, 405, "method_not_allowed", "the record is read here with GET", NULL);
	struct fs_error err = {0};
	json_t *out = NULL;
	int rc;
	int pub = arg(c, "public") && !strcmp(arg(c, "public"), "1");
	if (!strcmp(sub, "counts")) {
		rc = fs_record_counts(ctx, arg(c, "by"), pub, &out, &err);
	} else if (!strcmp(sub, "prisoners")) {
		fs_date as_of = fs_date_today();
		rc = arg(c, "as_of") ? fs_date_parse(arg(c, "as_of"), &as_of, &err, "as_of") : 0;
		if (!rc)
			rc = fs_record_prisoners(ctx, as_of, pub, &out, &err);
	} else if (!strcmp(sub, "timeline")) {
		char *end = NULL;
		int64_t action = arg(c, "action") ? strtoll(arg(c, "action"), &end, 10) : 0;
		if (end && (*end || action <= 0))
			return fs_http_send_error(c, 422, "invalid", "action is the id of an action", "action");
		rc = fs_record_timeline(ctx, arg(c, "from"), arg(c, "to"), action, pub, &out, &err);
	} else if (!strcmp(sub, "export")) {
		const char *coll = arg(c, "collection"), *fmt = arg(c, "format");
		const struct fs_entity *e = coll && is_record_collection(coll) ? fs_entity_find(coll) : NULL;
		if (!e)
			return fs_http_send_error(c, 422, "invalid", "collection is one of the record's: incidents, violations, actions, ...",
					  "collection");
		if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json"))
			return fs_http_send_error(c, 422, "invalid", "format is csv or json", "format");
		int json = fmt && !strcmp(fmt, "json");
		char *buf = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&buf, &len);
		rc = mf ? fs_export_records(ctx, e, mf, json ? FS_EXPORT_JSON : FS_EXPORT_CSV, pub ? FS_PUBLIC_ONLY : 0, &err)
			: FS_ENOMEM;
		if (mf)
			fclose(mf);
		if (rc) {
			free(buf);
			return send_fs_error(c, rc, &err);
		}
		return fs_http_send(c, 200, json ? "application/json" : "text/csv; charset=utf-8", buf, len, NULL);
	} else if (!strcmp(sub, "alerts")) {
		/* names and whereabouts of detained people: for roles that review the record */
		if (!fs_role_can(role, "record.review"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot see the whereabouts alerts", NULL);
		char *end = NULL;
		long long hours = arg(c, "hours") ? strtoll(arg(c, "hours"), &end, 10) : 24;
		if (end && (*end || hours <= 0 || hours > 24 * 365))
			return fs_http_send_error(c, 422, "invalid", "hours is a whole number from 1 to 8760", "hours");
		rc = fs_record_alerts(ctx, (int64_t)time(NULL), hours, &out, &err);
	} else if (!strcmp(sub, "suggestions") || !strcmp(sub, "duplicates")) {
		if (!fs_role_can(role, "record.review"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot review the record", NULL);
		if (!strcmp(sub, "suggestions"))
			return (rc = fs_record_suggest(ctx, &out, &err)) ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 200, out, NULL);
		int64_t limit = arg(c, "limit") ? strtoll(arg(c, "limit"), NULL, 10) : 100;
		rc = fs_record_duplicates(ctx, limit > 0 && limit <= 1000 ? limit : 100, &out, &err);
	} else {
		return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
	}
	return rc ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 200, out, NULL);
}

static enum MHD_Result handle_login(struct fs_ctx *ctx, struct MHD_Connection *c, struct request *rq)
{
	json_error_t jerr;
	json_t *j = json_loadb(rq->body.data ? rq->body.data : "", rq->body.len, 0, &jerr);
	const char *user = json_string_value(json_object_get(j, "username"));
	const char *pass = json_string_value(json_object_get(j, "password"));
	if (!j || !user || !pass) {
		json_decref(j);
		return fs_http_send_error(c, 400, j ? "wrong_type" : "malformed_json", "send {\"username\": \"…\", \"password\": \"…\"}", NULL);
	}
	char token[65], csrf[65];
	int64_t uid;
	struct fs_error err = {0};
	int rc = fs_login(ctx, user, pass, token, csrf, &uid, &err);
	json_decref(j);
	if (rc == FS_ELIMIT)
		return fs_http_send_error(c, 429, "too_many_attempts", err.message, NULL);
	if (rc == FS_EPERM)
		return fs_http_send_error(c, 401, "unauthorized", "wrong user name or password", NULL);
	if (rc)
		return send_fs_error(c, rc, &err);
	char cookie[160];
	snprintf(cookie, sizeof(cookie), "fs_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200", token);
	sodium_memzero(token, sizeof(token));
	return fs_http_send_json(c, 200, json_pack("{s:I,s:s}", "user_id", (json_int_t)uid, "csrf", csrf), cookie);
}

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
			json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O,s:s,s:o}", "id", json_object_get(org, "id"), "slug",
							     json_object_get(org, "slug"), "name", json_object_get(org, "name"),
							     "currency", json_object_get(org, "currency"), "role", role,
							     "capabilities", fs_role_capabilities(role)));
	}
	json_decref(orgs);
	return out;
}

static enum MHD_Result handle_entity(struct fs_ctx *ctx, struct MHD_Connection *c, struct request *rq,
				     const char *method, const struct fs_entity *e, const char *idseg, const char *role)
{
	struct fs_error err = {0};
	int64_t id = 0;
	if (idseg) {
		char *end;
		id = strtoll(idseg, &end, 10);
		if (*end || id <= 0)
			return fs_http_send_error(c, 404, "not_found", "no such record", NULL);
	}
	if (is_write(method) && !can_write(role, e))
		return fs_http_send_error(c, 403, "forbidden", "your role cannot change these records", NULL);
	json_t *out = NULL;
	int rc;
	if (!strcmp(method, "GET") && !idseg) {
		struct fs_kv filters[16];
		size_t nf = 0;
		for (size_t f = 0; f < fs_entity_nfields(e) && nf < 15; f++) {
			const char *name = fs_entity_field(e, f)->name, *v = arg(c, name);
			if (v)
				filters[nf++] = (struct fs_kv){name, v};
		}
		int64_t limit = 0, offset = 0;
		const char *l = arg(c, "limit"), *of = arg(c, "offset");
		if ((l && (limit = strtoll(l, NULL, 10)) <= 0) || (of && (offset = strtoll(of, NULL, 10)) < 0))
			return fs_http_send_error(c, 400, "wrong_type", "limit and offset are whole numbers", l ? "limit" : "offset");
		struct fs_list_opts o = {arg(c, "q"), filters, nf, limit, offset, 0};
		struct fs_buf text;
		fs_buf_init(&text, 256u << 20);
		rc = fs_list_text(ctx, e, &o, &text, &err);
		if (!rc) {
			size_t len = text.len;
			return fs_http_send(c, 200, "application/json; charset=utf-8", fs_buf_take(&text), len, NULL);
		}
		fs_buf_done(&text);
		if (rc == FS_EINVAL) /* a filter's value the field cannot hold */
			return fs_http_send_error(c, 400, "invalid_parameter", err.message, err.field);
	} else if (!strcmp(method, "GET")) {
		int reveal = arg(c, "reveal") && !strcmp(arg(c, "reveal"), "1");
		if (reveal && !can_reveal(role))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot see sealed fields", "reveal");
		rc = fs_get(ctx, e, id, reveal ? FS_REVEAL : 0, &out, &err);
		if (!rc && reveal)
			rc = fs_journal_view(ctx, e, id, &err);
	} else if (!strcmp(method, "DELETE") && idseg) {
		rc = fs_remove(ctx, e, id, &err);
		if (!rc)
			return fs_http_send_json(c, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "removed", 1), NULL);
	} else if ((!strcmp(method, "POST") && !idseg) || (!strcmp(method, "PATCH") && idseg)) {
		struct fs_body b;
		if (parse_body(c, rq, e, &b) != MHD_YES || !b.json)
			return MHD_YES; /* the error response is queued */
		int existed = 0;
		if (idseg)
			rc = fs_update(ctx, e, id, b.kv, b.n, &err);
		else
			rc = fs_create_ex(ctx, e, b.kv, b.n, &id, &existed, &err);
		fs_body_free(&b);
		if (!rc)
			rc = fs_get(ctx, e, id, 0, &out, &err);
		if (!rc)
			return fs_http_send_json(c, idseg || existed ? 200 : 201, out, NULL);
	} else {
		return fs_http_send_error(c, 405, "method_not_allowed", "method not allowed here", NULL);
	}
	if (rc)
		return send_fs_error(c, rc, &err);
	return fs_http_send_json(c, 200, out, NULL);
}

static enum MHD_Result handle_import(struct fs_ctx *ctx, struct MHD_Connection *c, struct request *rq)
{
	FILE *in = fmemopen(rq->body.data ? rq->body.data : (char *)"", rq->body.len, "rb");
	if (!in)
		return fs_http_send_error(c, 500, "internal", "internal error", NULL);
	struct fs_import_opts o = {.in = in, .name = "upload", .dry_run = arg(c, "dry_run") != NULL, .encoding = arg(c, "encoding")};
	struct fs_import_report rep;
	struct fs_error err = {0};
	if (fs_import_separator(arg(c, "separator"), &o.separator, &err) || fs_import_encoding(o.encoding, &err)) {
		fclose(in);
		return fs_http_send_error(c, 400, "invalid_parameter", err.message, err.field);
	}
	int rc = fs_import_people(ctx, &o, &rep, &err);
	fclose(in);
	json_t *errs = json_array();
	for (size_t k = 0; k < rep.errors_kept; k++)
		json_array_append_new(errs, json_pack("{s:I,s:i,s:s,s:s}", "line", (json_int_t)rep.errors[k].line, "column",
						      rep.errors[k].column, "field", rep.errors[k].field, "message", rep.errors[k].message));
	json_t *out = json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "stored", rc == 0 && !o.dry_run, "rows", (json_int_t)rep.rows,
				"inserted", (json_int_t)rep.inserted, "updated", (json_int_t)rep.updated, "unchanged",
				(json_int_t)rep.unchanged, "rejected", (json_int_t)rep.rejected, "errors_total", (json_int_t)rep.nerrors,
				"errors", errs);
	char sep[2] = {rep.separator, 0};
	json_object_set_new(out, "encoding", json_string(rep.encoding));
	json_object_set_new(out, "separator", json_string(sep));
	json_object_set_new(out, "suggested_encodings", json_string(rep.suggested));
	fs_import_report_done(&rep);
	if (rc && rc != FS_EINVAL) {
		json_decref(out);
		return send_fs_error(c, rc, &err);
	}
	if (rc)
		json_object_set_new(out, "error", json_pack("{s:s,s:s}", "code", "invalid_rows", "message", err.message));
	return fs_http_send_json(c, rc ? 422 : 200, out, NULL);
}

/* /orgs/{org}/funds/{id}/balances | report (GET), transfers (POST a batch) */
static enum MHD_Result handle_fund(struct fs_ctx *ctx, struct MHD_Connection *c, struct request *rq, const char *method,
				   const char *idseg, const char *what, const char *role)
{
	struct fs_error err = {0};
	char *end;
	int64_t fund = strtoll(idseg, &end, 10);
	json_t *out = NULL;
	if (*end || fund <= 0 || fs_get(ctx, fs_entity_find("fund"), fund, 0, &out, &err))
		return fs_http_send_error(c, 404, "not_found", "no such fund", NULL);
	json_decref(out);
	out = NULL;
	int rc;
	if (!strcmp(what, "balances") && !strcmp(method, "GET")) {
		rc = fs_fund_balances(ctx, fund, &out, &err);
	} else if (!strcmp(what, "report") && !strcmp(method, "GET")) {
		rc = fs_fund_report(ctx, fund, &out, &err);
	} else if (!strcmp(what, "pledges") && !strcmp(method, "GET")) {
		rc = fs_fund_pledges(ctx, fund, fs_date_today(), &out, &err);
	} else if (!strcmp(what, "pending") && !strcmp(method, "GET")) {
		rc = fs_fund_pending(ctx, fund, &out, &err);
	} else if (!strcmp(what, "approvals") && !strcmp(method, "POST")) {
		/* {"pending_id": "..."}: someone other than who entered it posts it */
		if (!fs_role_can(role, "funds.transfer"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot approve disbursements", NULL);
		json_t *j = json_loadb(rq->body.data ? rq->body.data : "", rq->body.len, 0, NULL);
		const char *pid = json_string_value(json_object_get(j, "pending_id"));
		if (!pid) {
			json_decref(j);
			return fs_http_send_error(c, 400, "wrong_type", "send {\"pending_id\": \"...\"}", "pending_id");
		}
		char aid[FS_TRANSFER_ID_MAX + 1];
		int res = 0;
		rc = fs_ledger_resolution_id(pid, FS_TF_POST, aid, &err);
		if (!rc)
			rc = fs_ledger_approve(ctx, fund, pid, aid, &res, &err);
		if (!rc)
			out = json_pack("{s:s,s:s}", "id", aid, "result", fs_transfer_result_name(res));
		json_decref(j);
	} else if (!strcmp(what, "transfers") && !strcmp(method, "POST")) {
		if (!fs_role_can(role, "funds.transfer"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot record transfers", NULL);
		json_error_t jerr;
		json_t *j = json_loadb(rq->body.data ? rq->body.data : "", rq->body.len, 0, &jerr);
		if (!json_is_array(j) || json_array_size(j) == 0 || json_array_size(j) > 8190) {
			json_decref(j);
			return fs_http_send_error(c, 400, j ? "wrong_type" : "malformed_json", "send an array of 1 to 8190 transfers", NULL);
		}
		size_t n = json_array_size(j);
		struct fs_transfer *t = calloc(n, sizeof(*t));
		int *res = calloc(n, sizeof(*res));
		if (!t || !res) {
			free(t);
			free(res);
			json_decref(j);
			return fs_http_send_error(c, 500, "internal", "internal error", NULL);
		}
		/* each field of a transfer in its own JSON type (no "1000" read as 0) */
		static const struct fs_json_field fields[] = {
			{"id", JSON_STRING, 1}, {"debit_account_id", JSON_INTEGER, 0}, {"credit_account_id", JSON_INTEGER, 0},
			{"amount_minor", JSON_INTEGER, 0}, {"code", JSON_STRING, 0}, {"linked", JSON_TRUE, 0},
			{"pending", JSON_TRUE, 0}, {"post", JSON_TRUE, 0}, {"void", JSON_TRUE, 0}, {"pending_id", JSON_STRING, 0},
			{"timeout_s", JSON_INTEGER, 0}, {"value_date", JSON_STRING, 0}, {"memo", JSON_STRING, 0}, {NULL, 0, 0}};
		struct fs_body_error berr = {0};
		int bad = 0;
		size_t i;
		json_t *x;
		json_array_foreach(j, i, x) {
			if (!bad && fs_body_check_object(x, fields, &berr))
				bad = 1;
			t[i] = (struct fs_transfer){
				.id = json_string_value(json_object_get(x, "id")),
				.debit_account = json_integer_value(json_object_get(x, "debit_account_id")),
				.credit_account = json_integer_value(json_object_get(x, "credit_account_id")),
				.amount_minor = json_integer_value(json_object_get(x, "amount_minor")),
				.code = json_string_value(json_object_get(x, "code")),
				.flags = (json_is_true(json_object_get(x, "linked")) ? FS_TF_LINKED : 0) |
					 (json_is_true(json_object_get(x, "pending")) ? FS_TF_PENDING : 0) |
					 (json_is_true(json_object_get(x, "post")) ? FS_TF_POST : 0) |
					 (json_is_true(json_object_get(x, "void")) ? FS_TF_VOID : 0),
				.pending_id = json_string_value(json_object_get(x, "pending_id")),
				.timeout_s = json_integer_value(json_object_get(x, "timeout_s")),
				.value_date = json_string_value(json_object_get(x, "value_date")),
				.memo = json_string_value(json_object_get(x, "memo"))};
		}
		if (bad) {
			enum MHD_Result res2 = fs_http_send_error(c, 400, berr.code, berr.message, berr.field);
			free(t);
			free(res);
			json_decref(j);
			return res2;
		}
		rc = fs_ledger_transfer(ctx, fund, t, n, res, &err);
		if (!rc) {
			out = json_array();
			for (i = 0; i < n; i++)
				json_array_append_new(out, json_pack("{s:s,s:s}", "id", t[i].id, "result", fs_transfer_result_name(res[i])));
		}
		free(t);
		free(res);
		json_decref(j);
	} else {
		return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
	}
	return rc ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 200, out, NULL);
}

/* POST /orgs/{org}/evidence: the body is the file itself (any type); the query
 * gives filename, kind, captured_on, handling. Its sealed fields (description,
 * provided_by) are set afterwards with PATCH, so they never travel in a URL. */
static enum MHD_Result handle_evidence_upload(struct fs_ctx *ctx, struct MHD_Connection *c, struct request *rq)
{
	static const char *const keys[] = {"filename", "kind", "captured_on", "handling"};
	struct fs_kv kv[4];
	size_t n = 0;
	for (size_t i = 0; i < 4; i++)
		if (arg(c, keys[i]))
			kv[n++] = (struct fs_kv){keys[i], arg(c, keys[i])};
	struct fs_error err = {0}; /* the core says what is missing (the name, the file) */
	json_t *out = NULL;
	int rc = fs_evidence_add_data(ctx, rq->body.data, rq->body.len, kv, n, &out, &err);
	if (rc)
		return send_fs_error(c, rc, &err);
	return fs_http_send_json(c, json_is_true(json_object_get(out, "existed")) ? 200 : 201, out, NULL);
}

/* GET /orgs/{org}/evidence/{id}/file: the file, re-hashed on the way (an altered
 * one is refused), an 'exported' custody event recorded. Evidence the role may
 * not read answers 404, as if it did not exist (the core decides). */
static enum MHD_Result handle_evidence_file(struct fs_ctx *ctx, struct MHD_Connection *c, const char *idseg, const char *role)
{
	struct fs_error err = {0};
	char *end;
	int64_t id = strtoll(idseg, &end, 10);
	if (*end || id <= 0)
		return fs_http_send_error(c, 404, "not_found", "no such evidence", NULL);
	json_t *rec = NULL;
	int rc = fs_get(ctx, fs_entity_find("evidence"), id, 0, &rec, &err);
	if (rc)
		return send_fs_error(c, rc, &err);
	char name[128] = "evidence";
	const char *fn = json_string_value(json_object_get(rec, "filename"));
	for (size_t i = 0, j = 0; fn && fn[i] && j + 1 < sizeof(name); i++) /* a header-safe name */
		name[j++] = (char)(isalnum((unsigned char)fn[i]) || strchr("._-", fn[i]) ? fn[i] : '_'), name[j] = 0;
	json_decref(rec);
	struct fs_buf b;
	fs_buf_init(&b, 256u << 20);
	rc = fs_evidence_read(ctx, id, &b, &err);
	if (rc) {
		fs_buf_done(&b);
		return send_fs_error(c, rc, &err);
	}
	size_t len = b.len;
	struct MHD_Response *r = MHD_create_response_from_buffer(len, len ? fs_buf_take(&b) : NULL,
								 len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r)
		return fs_http_send_500(c);
	char disp[200];
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	MHD_add_response_header(r, "Content-Type", "application/octet-stream");
	MHD_add_response_header(r, "Content-Disposition", disp);
	return fs_http_queue(c, 200, r);
}

/* GET /entities/{collection}: the fields of a collection's records, so forms can
 * be built from the same definitions the core checks against. */
static enum MHD_Result handle_entity_fields(struct MHD_Connection *c, const char *name)
{
	const struct fs_entity *e = fs_entity_find(name);
	int known = 0;
	for (size_t i = 0; e && org_entities[i]; i++)
		known |= !strcmp(org_entities[i], fs_entity_plural(e));
	if (!known)
		return fs_http_send_error(c, 404, "not_found", "no such collection", NULL);
	static const char *const kinds[] = {"text", "name", "code", "date", "money", "bool", "ref", "enum", "count", "time"};
	json_t *fields = json_array();
	for (size_t i = 0; fields && i < fs_entity_nfields(e); i++) {
		const struct fs_field *f = fs_entity_field(e, i);
		json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:b,s:s?}", "name", f->name, "kind", kinds[f->kind], "required",
				      (f->flags & FF_REQUIRED) != 0, "sealed", (f->flags & FF_SEALED) != 0, "immutable",
				      (f->flags & FF_IMMUTABLE) != 0, "help", f->help);
		if (o && f->max)
			json_object_set_new(o, "max", json_integer(f->max));
		if (o && f->ref)
			json_object_set_new(o, "ref", json_string(fs_entity_plural(fs_entity_find(f->ref))));
		if (o && f->values) {
			json_t *v = json_array();
			for (size_t k = 0; v && f->values[k]; k++)
				json_array_append_new(v, json_string(f->values[k]));
			json_object_set_new(o, "values", v);
		}
		if (!o || json_array_append_new(fields, o)) {
			json_decref(fields);
			fields = NULL;
		}
	}
	json_t *out = fields ? json_pack("{s:s,s:s,s:o}", "name", fs_entity_name(e), "plural", fs_entity_plural(e), "fields", fields) : NULL;
	return out ? fs_http_send_json(c, 200, out, NULL) : fs_http_send_error(c, 500, "internal", "internal error", NULL);
}

static enum MHD_Result handle_org(struct server *s, struct fs_ctx *ctx, struct MHD_Connection *c, struct request *rq,
				  const char *method, struct route *r, const struct who *w)
{
	struct fs_error err = {0};
	(void)s;
	/* /api/v1/orgs/{org}/... : an organization the user has no role in does not exist */
	char role[16] = "";
	if (org_and_role(ctx, r->seg[3], w->user, role) || !role[0])
		return fs_http_send_error(c, 404, "not_found", "no such organization", NULL);
	fs_set_role(ctx, role); /* the core checks and filters every call against it */
	if (r->n == 4) {
		json_t *o;
		int rc = fs_get(ctx, fs_entity_find("organization"), fs_org(ctx), 0, &o, &err);
		if (rc)
			return send_fs_error(c, rc, &err);
		json_object_set_new(o, "role", json_string(role));
		return fs_http_send_json(c, 200, o, NULL);
	}
	const char *what = r->seg[4];
	if (!strcmp(what, "people") && r->n == 6 && !strcmp(r->seg[5], "import")) {
		if (strcmp(method, "POST"))
			return fs_http_send_error(c, 405, "method_not_allowed", "POST a CSV file", NULL);
		if (!fs_role_can(role, "register.write"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot change these records", NULL);
		return handle_import(ctx, c, rq);
	}
	if (!strcmp(what, "people") && r->n == 6 && !strcmp(r->seg[5], "export")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		int rc = out ? fs_export_people(ctx, out, FS_EXPORT_CSV, 0, &err) : FS_ENOMEM;
		if (out)
			fclose(out);
		if (rc) {
			free(buf);
			return send_fs_error(c, rc, &err);
		}
		return fs_http_send(c, 200, "text/csv; charset=utf-8", buf, len, NULL);
	}
	if (!strcmp(what, "watch") && r->n == 5) {
		json_t *out;
		int64_t wp = arg(c, "workplace") ? strtoll(arg(c, "workplace"), NULL, 10) : 0;
		fs_date as_of = fs_date_today();
		if (arg(c, "as_of") && fs_date_parse(arg(c, "as_of"), &as_of, &err, "as_of"))
			return send_fs_error(c, FS_EINVAL, &err);
		int rc = fs_watch(ctx, wp, as_of, &out, &err);
		return rc ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 200, out, NULL);
	}
	if (!strcmp(what, "statement") && r->n == 6) {
		json_t *out;
		char *end;
		int64_t person = strtoll(r->seg[5], &end, 10);
		if (*end || person <= 0)
			return fs_http_send_error(c, 404, "not_found", "no such person", NULL);
		int rc = fs_statement(ctx, person, arg(c, "lang") ? arg(c, "lang") : "en", fs_date_today(), &out, &err);
		return rc ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 200, out, NULL);
	}
	if (!strcmp(what, "evidence") && r->n == 7 && !strcmp(r->seg[6], "file")) {
		if (strcmp(method, "GET"))
			return fs_http_send_error(c, 405, "method_not_allowed", "GET the file", NULL);
		return handle_evidence_file(ctx, c, r->seg[5], role);
	}
	if (!strcmp(what, "evidence") && r->n == 5 && !strcmp(method, "POST")) {
		if (!fs_role_can(role, "record.write"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot add evidence", NULL);
		return handle_evidence_upload(ctx, c, rq);
	}
	if (!strcmp(what, "record") && r->n == 6)
		return handle_record(ctx, c, method, r->seg[5], role);
	if (!strcmp(what, "funds") && r->n == 7)
		return handle_fund(ctx, c, rq, method, r->seg[5], r->seg[6], role);
	if (!strcmp(what, "funds") && r->n == 5 && !strcmp(method, "POST")) {
		/* a new fund comes with its standard accounts */
		if (!fs_role_can(role, "funds.transfer"))
			return fs_http_send_error(c, 403, "forbidden", "your role cannot change these records", NULL);
		struct fs_body b;
		if (parse_body(c, rq, fs_entity_find("fund"), &b) != MHD_YES || !b.json)
			return MHD_YES;
		int64_t id;
		int rc = fs_fund_create(ctx, b.kv, b.n, &id, &err);
		fs_body_free(&b);
		json_t *out = NULL;
		if (!rc)
			rc = fs_get(ctx, fs_entity_find("fund"), id, 0, &out, &err);
		return rc ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 201, out, NULL);
	}
	for (size_t i = 0; org_entities[i]; i++)
		if (!strcmp(what, org_entities[i]) && r->n <= 6)
			return handle_entity(ctx, c, rq, method, fs_entity_find(what), r->n == 6 ? r->seg[5] : NULL, role);
	return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
}

/* The web interface's static files: only plain names under web_dir. */
static enum MHD_Result send_static(struct server *s, struct MHD_Connection *c, const char *url)
{
	const char *name = strcmp(url, "/") ? url + 1 : "index.html";
	size_t n = strlen(name);
	int ok = s->o->web_dir && n > 0 && n < 200 && name[0] != '.' && !strstr(name, "..") && !strstr(name, "/.");
	for (size_t i = 0; ok && i < n; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9') ||
		     strchr("._-/", name[i]);
	static const struct {
		const char *ext, *type;
	} types[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		     {".css", "text/css; charset=utf-8"}, {".json", "application/json"}, {".svg", "image/svg+xml"},
		     {".png", "image/png"}, {".ico", "image/x-icon"}, {".yaml", "application/yaml"}};
	const char *type = NULL;
	for (size_t i = 0; ok && i < sizeof(types) / sizeof(types[0]); i++) {
		size_t el = strlen(types[i].ext);
		if (n > el && !strcmp(name + n - el, types[i].ext))
			type = types[i].type;
	}
	char path[512];
	struct fs_buf b;
	fs_buf_init(&b, 4u << 20);
	int rc = FS_EIO;
	if (ok && type && (size_t)snprintf(path, sizeof(path), "%s/%s", s->o->web_dir, name) < sizeof(path))
		rc = fs_buf_load(&b, path);
	if (rc) {
		fs_buf_done(&b);
		return rc == FS_EIO ? fs_http_send_error(c, 404, "not_found", "no such resource", NULL)
				    : fs_http_send_error(c, 500, "internal", "internal error", NULL);
	}
	size_t len = b.len;
	return fs_http_send(c, 200, type, fs_buf_take(&b), len, NULL);
}

static enum MHD_Result route(struct server *s, struct MHD_Connection *c, struct request *rq, const char *url,
			     const char *method)
{
	enum fs_ops_path op = fs_ops_path(url); /* /health, /ready, /metrics */
	if (op) {
		struct fs_error e = {0};
		return fs_ops_handle(s->o, c, op, method, op == FS_OPS_HEALTH ? NULL : thread_ctx(s, &e));
	}
	struct route r;
	if (split_path(url, &r) || r.n < 2 || strcmp(r.seg[0], "api") || strcmp(r.seg[1], "v1")) {
		if (!strcmp(method, "GET") && strncmp(url, "/api/", 5))
			return send_static(s, c, url);
		return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
	}
	if (r.n == 3 && !strcmp(r.seg[2], "openapi.yaml") && !strcmp(method, "GET")) {
		/* doc/openapi.yaml, built into the binary */
		char *copy = malloc(fs_embedded_docs[0].len);
		if (!copy)
			return fs_http_send_500(c);
		memcpy(copy, fs_embedded_docs[0].text, fs_embedded_docs[0].len);
		return fs_http_send(c, 200, "application/yaml; charset=utf-8", copy, fs_embedded_docs[0].len, NULL);
	}
	if (rq->too_large)
		return fs_http_send_error(c, 413, "body_too_large", "the request body is larger than the limit", NULL);
	if (r.n == 3 && !strcmp(r.seg[2], "health"))
		return fs_http_send_json(c, 200, json_pack("{s:b}", "ok", 1), NULL);
	struct fs_error err = {0};
	struct fs_ctx *ctx = thread_ctx(s, &err);
	if (!ctx)
		return fs_http_send_error(c, 503, "unavailable", "the database cannot be opened", NULL);
	fs_set_role(ctx, ""); /* nobody, until the organization of the path gives the user's role */
	if (r.n == 3 && !strcmp(r.seg[2], "login")) {
		if (strcmp(method, "POST"))
			return fs_http_send_error(c, 405, "method_not_allowed", "POST username and password", NULL);
		return handle_login(ctx, c, rq);
	}
	struct who w = {0};
	if (authenticate(ctx, c, &w))
		return fs_http_send_error(c, 401, "unauthorized", "log in first (or send an API token)", NULL);
	char actor[32];
	snprintf(actor, sizeof(actor), "user:%lld", (long long)w.user);
	fs_set_actor(ctx, actor); /* the journal says who */
	if (is_write(method) && !csrf_ok(c, &w))
		return fs_http_send_error(c, 403, "csrf", "missing or wrong X-CSRF-Token header", NULL);
	if (fs_http_check_query(c, method, r.seg + 2, r.n - 2))
		return MHD_YES; /* the error is queued */
	if (r.n == 3 && !strcmp(r.seg[2], "logout")) {
		const char *tok = cookie_token(c);
		if (tok)
			fs_logout(ctx, tok, &err);
		return fs_http_send_json(c, 200, json_pack("{s:b}", "ok", 1), "fs_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
	}
	if (r.n == 3 && (!strcmp(r.seg[2], "me") || !strcmp(r.seg[2], "orgs")))
		return fs_http_send_json(c, 200, json_pack("{s:I,s:o,s:s?}", "user_id", (json_int_t)w.user, "orgs", orgs_of(ctx, w.user),
						   "csrf", w.by_session ? w.csrf : NULL), NULL);
	if (r.n == 3 && !strcmp(r.seg[2], "entitle")) {
		if (strcmp(method, "POST"))
			return fs_http_send_error(c, 405, "method_not_allowed", "POST the case", NULL);
		struct fs_body b;
		if (parse_body(c, rq, NULL, &b) != MHD_YES || !b.json)
			return MHD_YES;
		struct fs_entitle_in in;
		fs_entitle_init(&in);
		int rc = 0;
		const char *lang = "en";
		for (size_t i = 0; i < b.n && !rc; i++)
			if (!strcmp(b.kv[i].key, "lang"))
				lang = b.kv[i].value;
			else
				rc = fs_entitle_set(&in, b.kv[i].key, b.kv[i].value, &err);
		json_t *out = NULL;
		if (!rc)
			rc = fs_entitle(&in, lang, &out, &err);
		fs_entitle_done(&in);
		fs_body_free(&b);
		return rc ? send_fs_error(c, rc, &err) : fs_http_send_json(c, 200, out, NULL);
	}
	if (r.n == 4 && !strcmp(r.seg[2], "entities")) {
		if (strcmp(method, "GET"))
			return fs_http_send_error(c, 405, "method_not_allowed", "an entity's fields are read with GET", NULL);
		return handle_entity_fields(c, r.seg[3]);
	}
	if (r.n >= 4 && !strcmp(r.seg[2], "orgs"))
		return handle_org(s, ctx, c, rq, method, &r, &w);
	return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
}

static int is_upload(const char *url, const char *method)
{
	size_t n = strlen(url);
	return (n > 14 && !strcmp(url + n - 14, "/people/import")) ||
	       (!strcmp(method, "POST") && n > 9 && !strcmp(url + n - 9, "/evidence"));
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	(void)version;
	struct request *rq = *con_cls;
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		size_t limit = is_upload(url, method) ? s->o->max_upload : s->o->max_body;
		fs_buf_init(&rq->body, limit);
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		fs_metrics_route(url, rq->route, sizeof(rq->route));
		*con_cls = rq;
		/* the head is complete, no body read yet: framing checked, too large refused now */
		fs_http_begin();
		fs_transport_head_done(c);
		if (fs_transport_check_head(c, limit))
			return fs_http_responded() ? MHD_YES : MHD_NO;
		return MHD_YES;
	}
	if (*upload_size) {
		if (fs_transport_expired(c))
			return MHD_NO; /* answered with a 408 by the watchdog */
		if (!rq->too_large && fs_buf_add(&rq->body, upload, *upload_size))
			rq->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (fs_transport_claim(c))
		return MHD_NO; /* answered with a 408 by the watchdog */
	/* plain reads share one snapshot (and one lock) for the whole request */
	struct fs_error err;
	/* (not an evidence download: it records an 'exported' custody event) */
	size_t ul = strlen(url);
	int download = ul > 5 && !strcmp(url + ul - 5, "/file");
	struct fs_ctx *ctx = !strcmp(method, "GET") && !arg(c, "reveal") && !download && !strncmp(url, "/api/", 5) ? thread_ctx(s, &err) : NULL;
	if (ctx && fs_read_begin(ctx, &err))
		ctx = NULL;
	fs_http_begin();
	enum MHD_Result res = route(s, c, rq, url, method);
	if (!fs_http_responded()) /* every path answers: a response that could not be built becomes a plain 500 */
		res = fs_http_send_500(c);
	if (ctx)
		fs_read_end(ctx);
	if (is_write(method) || arg(c, "reveal"))
		cache_clear();
	return res;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	struct request *rq = *con_cls;
	fs_transport_request_done(c);
	if (!rq)
		return;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ms = (double)(end.tv_sec - rq->start.tv_sec) * 1e3 + (double)(end.tv_nsec - rq->start.tv_nsec) / 1e6;
	/* one line per request; no path (it may hold ids of people), no query, no body */
	fs_metrics_observe(rq->route, ci ? ci->http_status : 0, ms / 1e3);
	fprintf(stderr, "http %u %.1fms%s\n", ci ? ci->http_status : 0, ms, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	if (rq->body.data)
		sodium_memzero(rq->body.data, rq->body.len);
	fs_buf_done(&rq->body);
	free(rq);
	*con_cls = NULL;
}

static void *request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls, (void)uri;
	fs_transport_request_line(c); /* the request's deadlines start */
	return NULL;
}

/* The one connection callback libmicrohttpd takes: the request deadlines and the
 * open-connections metric. */
static void connection_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			      enum MHD_ConnectionNotificationCode code)
{
	fs_transport_notify(cls, c, socket_context, code);
	fs_metrics_connections(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

int fs_http_serve(const struct fs_http_opts *opts, struct fs_error *err)
{
	struct fs_http_opts o = *opts;
	if (!o.threads) { /* one worker per core: the lowest tail latency here */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = cpus > 0 && cpus <= 64 ? (unsigned)cpus : 4;
	}
	if (!o.max_body)
		o.max_body = 1u << 20;
	if (!o.max_upload)
		o.max_upload = 64u << 20;
	if (!o.max_connections)
		o.max_connections = 256;
	if (!o.timeout_s)
		o.timeout_s = 30;
	char host[64];
	const char *colon = strrchr(o.listen ? o.listen : "127.0.0.1:8080", ':');
	const char *listen = o.listen ? o.listen : "127.0.0.1:8080";
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return fs_fail(err, FS_EINVAL, "listen", "write --listen ADDRESS:PORT, e.g. 127.0.0.1:8080");
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	long port = strtol(colon + 1, NULL, 10);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		return fs_fail(err, FS_EINVAL, "listen", "'%s' is not an IPv4 address and port", listen);
	/* the database must open before we listen */
	struct fs_ctx *probe;
	int rc = fs_open(o.db_path, o.key_path, 0, &probe, err);
	if (rc)
		return rc;
	fs_close(probe);
	if ((rc = fs_ops_start(&o, err))) /* TLS files, metrics access, the log */
		return rc;
	/* the head within a third of the idle timeout, the whole request within four times it */
	struct fs_transport *tr = fs_transport_new(o.timeout_s >= 3 ? o.timeout_s / 3 : 1, o.timeout_s * 4, o.timeout_s);
	if (!tr) {
		fs_ops_stop();
		return fs_fail(err, FS_ENOMEM, NULL, "cannot start the request deadline watchdog");
	}
	/* over plain HTTP our own listening socket checks each connection's first head
	 * before libmicrohttpd reads it; over TLS the head is encrypted on the wire, so
	 * libmicrohttpd listens itself (and its TLS layer sees the bytes first) */
	int tls = fs_tls_on();
	struct fs_front *front = NULL;
	if (!tls && !(front = fs_front_listen(&addr, 32u << 10, o.timeout_s >= 3 ? o.timeout_s / 3 : 1, o.max_connections))) {
		fs_transport_free(tr);
		fs_ops_stop();
		return fs_fail(err, FS_EIO, "listen", "cannot listen on %s (in use, or not allowed)", listen);
	}
	struct MHD_OptionItem listen_opts[] = {{tls ? MHD_OPTION_SOCK_ADDR : MHD_OPTION_END, 0, &addr},
					       {MHD_OPTION_END, 0, NULL}};
	struct server s = {.o = &o};
	pthread_key_create(&s.ctx_key, NULL);
	pthread_mutex_init(&s.lock, NULL);
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* worker threads inherit the mask */
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | fs_ops_flags() |
			(tls ? 0 : MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC), tls ? (uint16_t)port : 0, NULL,
		NULL, handler, &s, MHD_OPTION_THREAD_POOL_SIZE, o.threads,
		MHD_OPTION_CONNECTION_LIMIT, o.max_connections, MHD_OPTION_CONNECTION_TIMEOUT, o.timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
		MHD_OPTION_NOTIFY_CONNECTION, connection_notify, tr, MHD_OPTION_URI_LOG_CALLBACK, request_line, &s,
		MHD_OPTION_ARRAY, listen_opts, MHD_OPTION_ARRAY, fs_ops_options(), MHD_OPTION_END);
	if (!d || (front && fs_front_start(front, d))) {
		if (d)
			MHD_stop_daemon(d);
		fs_front_free(front);
		fs_transport_free(tr);
		fs_ops_stop();
		pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
		return fs_fail(err, FS_EIO, "listen", "cannot listen on %s (in use, or not allowed)", listen);
	}
	char url[96];
	snprintf(url, sizeof(url), "%s://%s:%ld/", fs_tls_on() ? "https" : "http", host, port);
	if (o.ready)
		o.ready(url, o.ready_ud);
	int sig = 0;
	while (!sigwait(&sigs, &sig) && sig == SIGHUP)
		fs_ops_reload(); /* reopen the log, reload the certificate */
	fprintf(stderr, "http: %s received, finishing requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	fs_front_free(front); /* no new connections */
	MHD_stop_daemon(d);   /* waits for the worker threads */
	fs_transport_free(tr);
	for (size_t i = 0; i < s.nctx; i++)
		fs_close(s.ctxs[i]);
	pthread_key_delete(s.ctx_key);
	pthread_mutex_destroy(&s.lock);
	fs_ops_stop();
	pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
	return 0;
}
