/* routes.c - the API's route table and its dispatcher: every route under
 * /api/v1 is one row {method, pattern, handler, capability}; the dispatcher
 * finds the row, authenticates, checks CSRF and the query, selects the
 * organization of the path and asks the core whether the user's role there
 * holds the row's capability. Handlers never decide who may call them. */
#include "route.h"
#include "params.h"
#include "respond.h"
#include "errjson.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/policy.h"

/* The order matters only where two patterns match the same path: the literal
 * one comes first (people/import before :collection/:id). */
const struct fs_route fs_routes[] = {
	/* no login */
	{"GET", "/health", NULL, NULL, FS_ROUTE_PUBLIC | FS_ROUTE_NODB | FS_ROUTE_FAST},
	{"GET", "/openapi.yaml", NULL, NULL, FS_ROUTE_PUBLIC | FS_ROUTE_NODB},
	{"POST", "/login", fs_h_login, NULL, FS_ROUTE_PUBLIC},
	{"GET", "/orgs/:org/checkpoint", fs_h_checkpoint_latest, NULL, FS_ROUTE_PUBLIC}, /* h_log.c */
	{"POST", "/orgs/:org/checkpoints", fs_h_checkpoint_make, "log.checkpoint", 0},
	{"GET", "/orgs/:org/log/consistency", fs_h_log_consistency, NULL, FS_ROUTE_PUBLIC},
	/* a login, outside any organization */
	{"POST", "/logout", fs_h_logout, NULL, 0},
	{"GET", "/me", fs_h_me, NULL, FS_ROUTE_FAST},
	{"GET", "/orgs", fs_h_me, NULL, FS_ROUTE_FAST},
	{"POST", "/entitle", fs_h_entitle, NULL, 0},
	{"GET", "/entities/:collection", fs_h_fields, NULL, FS_ROUTE_FAST},
	/* an organization: the user's role there decides */
	{"GET", "/orgs/:org", fs_h_org, NULL, FS_ROUTE_FAST},
	{"POST", "/orgs/:org/people/import", fs_h_import, "register.write", 0},
	{"GET", "/orgs/:org/people/export", fs_h_export_people, "register.read", 0},
	{"GET", "/orgs/:org/people/pick", fs_h_people_pick, "register.read", FS_ROUTE_FAST},
	{"GET", "/orgs/:org/watch", fs_h_watch, "register.read", 0},
	{"GET", "/orgs/:org/watch/people", fs_h_watch_people, "register.read", 0},
	{"POST", "/orgs/:org/claims/compute", fs_h_claims_compute, "register.write", 0},
	{"GET", "/orgs/:org/statement/:id", fs_h_statement, "register.read", 0},
	{"GET", "/orgs/:org/record/counts", fs_h_record, "record.read", 0},
	{"GET", "/orgs/:org/record/prisoners", fs_h_record, "record.read", 0},
	{"GET", "/orgs/:org/record/timeline", fs_h_record, "record.read", 0},
	{"GET", "/orgs/:org/record/export", fs_h_record_export, "record.read", 0},
	{"GET", "/orgs/:org/record/alerts", fs_h_record, "record.review", 0},
	{"GET", "/orgs/:org/record/suggestions", fs_h_record, "record.review", 0},
	{"GET", "/orgs/:org/record/duplicates", fs_h_record, "record.review", 0},
	{"POST", "/orgs/:org/evidence", fs_h_evidence_upload, "record.write", 0},
	{"GET", "/orgs/:org/evidence/:id/file", fs_h_evidence_file, "record.read", 0},
	{"POST", "/orgs/:org/funds", fs_h_fund_create, "funds.transfer", 0},
	{"GET", "/orgs/:org/funds/:id/balances", fs_h_fund_read, "funds.read", 0},
	{"GET", "/orgs/:org/funds/:id/report", fs_h_fund_read, "funds.read", 0},
	{"GET", "/orgs/:org/funds/:id/pledges", fs_h_fund_read, "funds.read", 0},
	{"GET", "/orgs/:org/funds/:id/pending", fs_h_fund_read, "funds.read", 0},
	{"POST", "/orgs/:org/funds/:id/approvals", fs_h_fund_approve, "funds.approve", 0},
	{"POST", "/orgs/:org/funds/:id/transfers", fs_h_fund_transfers, "funds.transfer", 0},
	{"GET", "/orgs/:org/funds/:id/transfers", fs_h_fund_ledger, "funds.read", 0},
	{"GET", "/orgs/:org/funds/:id/export", fs_h_fund_export, "funds.read", 0},
	{"GET", "/orgs/:org/funds/:id/payout", fs_h_fund_payout, "funds.transfer", 0},
	{"POST", "/orgs/:org/funds/:id/contributions", fs_h_fund_money, "funds.transfer", 0},
	{"POST", "/orgs/:org/funds/:id/disbursements", fs_h_fund_money, "funds.transfer", 0},
	{"POST", "/orgs/:org/funds/:id/pledges", fs_h_fund_pledge, "funds.transfer", 0},
	{"POST", "/orgs/:org/funds/:id/payroll", fs_h_fund_payroll, "funds.transfer", 0},
	{"POST", "/orgs/:org/funds/:id/strike-pay", fs_h_fund_strike, "funds.transfer", 0},
	{"POST", "/orgs/:org/payments/:id/reversal", fs_h_payment_reverse, "payments.write", 0},
	{"GET", "/orgs/:org/users", fs_h_users_list, "users.manage", 0},
	{"POST", "/orgs/:org/users", fs_h_user_create, "users.manage", 0},
	{"GET", "/orgs/:org/users/:id", fs_h_user_get, "users.manage", 0},
	{"PATCH", "/orgs/:org/users/:id", fs_h_user_update, "users.manage", 0},
	{"DELETE", "/orgs/:org/users/:id", fs_h_user_revoke, "users.manage", 0},
	/* an account's API tokens: its own, or (users.manage) its organization's: the core decides */
	{"GET", "/orgs/:org/users/:id/tokens", fs_h_tokens_list, "tokens.own", 0},
	{"POST", "/orgs/:org/users/:id/tokens", fs_h_token_create, "tokens.own", 0},
	{"DELETE", "/orgs/:org/users/:id/tokens/:token", fs_h_token_revoke, "tokens.own", 0},
	/* every collection of an organization's records */
	{"GET", "/orgs/:org/:collection", fs_h_list, FS_CAP_COLLECTION, FS_ROUTE_FAST},
	{"POST", "/orgs/:org/:collection", fs_h_create, FS_CAP_COLLECTION, 0},
	{"GET", "/orgs/:org/:collection/:id", fs_h_get, FS_CAP_COLLECTION, FS_ROUTE_FAST},
	{"PATCH", "/orgs/:org/:collection/:id", fs_h_update, FS_CAP_COLLECTION, 0},
	{"DELETE", "/orgs/:org/:collection/:id", fs_h_remove, FS_CAP_COLLECTION, 0},
	{NULL, NULL, NULL, NULL, 0},
};

/* ---- dispatch ---- */

static int is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* Does the pattern match the segments after /api/v1? Fills q's params. */
static int match(const char *pattern, char *const *seg, size_t n, struct fs_hreq *q)
{
	size_t i = 0;
	q->nparam = 0;
	q->entity = NULL;
	for (const char *p = pattern; *p == '/'; i++) {
		const char *s = ++p;
		if (i == n)
			return 0;
		size_t len = 0;
		while (s[len] && s[len] != '/')
			len++;
		p = s + len;
		if (*s == ':') {
			if (len == 11 && !strncmp(s, ":collection", len)) {
				if (!fs_http_collection(seg[i]))
					return 0;
				q->entity = fs_entity_find(seg[i]);
			}
			q->param[q->nparam++] = seg[i];
		} else { /* a literal segment, compared in one pass */
			const char *g = seg[i];
			size_t k = 0;
			while (k < len && g[k] == s[k])
				k++;
			if (k < len || g[k])
				return 0;
		}
	}
	return i == n;
}

struct fs_embedded {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct fs_embedded fs_embedded_docs[];

static enum MHD_Result no_db_route(const struct fs_route *r, struct MHD_Connection *c)
{
	if (!strcmp(r->pattern, "/health"))
		return fs_http_send_json(c, 200, json_pack("{s:b}", "ok", 1), NULL);
	/* doc/openapi.yaml, built into the binary */
	char *copy = malloc(fs_embedded_docs[0].len);
	if (!copy)
		return fs_http_send_500(c);
	memcpy(copy, fs_embedded_docs[0].text, fs_embedded_docs[0].len);
	return fs_http_send(c, 200, "application/yaml; charset=utf-8", copy, fs_embedded_docs[0].len, NULL);
}

/* Each row's number of segments, counted once: a row of another length is
 * skipped without comparing a byte. */
static unsigned char route_segs[sizeof(fs_routes) / sizeof(fs_routes[0])];
static pthread_once_t route_segs_once = PTHREAD_ONCE_INIT;

static void count_route_segs(void)
{
	for (size_t i = 0; fs_routes[i].method; i++)
		for (const char *p = fs_routes[i].pattern; *p; p++)
			route_segs[i] += *p == '/';
}

/* The route of the request: the row whose pattern and method match, else (in
 * *allow) the methods of the rows whose pattern does; NULL when none. */
static const struct fs_route *find(const char *method, char *const *seg, size_t n, struct fs_hreq *q, char *allow,
				   size_t allow_len, const struct fs_route **any)
{
	size_t used = 0;
	*any = NULL;
	allow[0] = '\0';
	pthread_once(&route_segs_once, count_route_segs);
	for (const struct fs_route *r = fs_routes; r->method; r++) {
		if (route_segs[r - fs_routes] != n || !match(r->pattern, seg, n, q))
			continue;
		if (!strcmp(r->method, method))
			return r;
		if (!*any)
			*any = r;
		int w = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", r->method);
		if (w > 0 && (size_t)w < allow_len - used)
			used += (size_t)w;
	}
	return NULL;
}

int fs_route_fast(const char *method, char **seg, size_t n)
{
	struct fs_hreq q = {.n = n};
	char allow[64];
	const struct fs_route *any, *r = n >= 2 ? find(method, seg + 2, n - 2, &q, allow, sizeof(allow), &any) : NULL;
	return r && (r->flags & FS_ROUTE_FAST);
}

enum MHD_Result fs_route_dispatch(struct fs_ctx *ctx, struct MHD_Connection *c, const char *method, char **seg, size_t n,
				  const char *body, size_t body_len)
{
	struct fs_hreq q = {.ctx = ctx, .c = c, .method = method, .body = body, .body_len = body_len, .n = n};
	memcpy(q.seg, seg, n * sizeof(*seg));
	if (ctx)
		fs_act_as_nobody(ctx); /* until the request's account is known (the context serves many) */
	char allow[64];
	const struct fs_route *any, *r = find(method, seg + 2, n - 2, &q, allow, sizeof(allow), &any);
	const struct fs_route *first = r ? r : any;
	if (first && (first->flags & FS_ROUTE_PUBLIC)) {
		if (!r)
			return fs_http_send_error(c, 405, "method_not_allowed", "this resource answers other methods", NULL);
		if (r->flags & FS_ROUTE_NODB)
			return no_db_route(r, c);
		if (!ctx)
			return fs_http_send_error(c, 503, "unavailable", "the database cannot be opened", NULL);
		return r->handler(&q);
	}
	if (!ctx)
		return fs_http_send_error(c, 503, "unavailable", "the database cannot be opened", NULL);
	struct fs_error err = {0}; /* the account acts: the journal names it "user:ID NAME", as the CLI's */
	if (fs_http_authenticate(ctx, c, &q) || fs_act_as_user(ctx, q.user, &err))
		return fs_http_send_error(c, 401, "unauthorized", "log in first (or send an API token)", NULL);
	if (is_write(method) && !fs_http_csrf_ok(c, &q))
		return fs_http_send_error(c, 403, "csrf", "missing or wrong X-CSRF-Token header", NULL);
	if (fs_http_check_query(c, method, seg + 2, n - 2))
		return MHD_YES; /* the error is queued */
	if (!r) {
		if (!any)
			return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
		char msg[160];
		snprintf(msg, sizeof(msg), "method not allowed here (this resource answers %s)", allow);
		return fs_http_send_error(c, 405, "method_not_allowed", msg, NULL);
	}
	/* /orgs/{org}/... : an organization the user has no role in does not exist */
	if (!strncmp(r->pattern, "/orgs/:org", 10) && (fs_http_org_role(ctx, seg[3], q.user, q.role) || !q.role[0]))
		return fs_http_send_error(c, 404, "not_found", "no such organization", NULL);
	const char *cap = r->capability;
	if (cap == FS_CAP_COLLECTION)
		cap = is_write(method) ? fs_entity_write_capability(q.entity) : NULL;
	if (cap && !fs_role_can(q.role, cap)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "your role in this organization does not allow this (%s)", cap);
		return fs_http_send_error(c, 403, "forbidden", msg, NULL);
	}
	return r->handler(&q);
}
