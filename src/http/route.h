/* route.h - the API's route table (routes.c) and what its handlers share: one
 * row per {method, pattern, handler, capability}, as Redis keeps its command
 * table. The dispatcher authenticates, resolves the organization of the path,
 * asks the core (core/policy.h) whether the user's role there holds the row's
 * capability, and only then calls the handler. Handlers live one file per
 * domain: h_auth.c, h_entity.c, h_people.c, h_funds.c, h_record.c, h_users.c,
 * h_tokens.c.
 * No role name is compared in src/http. */
#ifndef FS_HTTP_ROUTE_H
#define FS_HTTP_ROUTE_H

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

#include "body.h"
#include "core/fairshare.h"

#define FS_ROUTE_SEGS 8 /* path segments of a request, /api/v1 included */

/* One request as the handlers see it. Strings point into the request and live
 * as long as it does. */
struct fs_hreq {
	struct fs_ctx *ctx; /* the worker thread's database context */
	struct MHD_Connection *c;
	const char *method;
	const char *body; /* the request body (may be NULL when empty) */
	size_t body_len;
	char *seg[FS_ROUTE_SEGS]; /* the path's segments: seg[0] = "api", seg[1] = "v1" */
	size_t n;
	const char *param[FS_ROUTE_SEGS]; /* the pattern's :name segments, in order */
	size_t nparam;
	int64_t user; /* the authenticated account (0 on routes without login) */
	int by_session;
	char csrf[65];
	char role[16]; /* the user's role in the path's organization ("" outside one) */
	const struct fs_entity *entity; /* the path's :collection, when it has one */
};

typedef enum MHD_Result fs_route_fn(struct fs_hreq *q);

/* capability: the core's name of what the route does (policy.h), checked
 * against the user's role in the :org of the path before the handler runs.
 * NULL: none beyond a role in the organization (or a login outside one).
 * FS_CAP_COLLECTION: writes need the :collection's write capability
 * (fs_entity_write_capability); reads are filtered by the handler's core calls. */
extern const char fs_cap_collection[];
#define FS_CAP_COLLECTION fs_cap_collection

enum fs_route_flags {
	FS_ROUTE_PUBLIC = 1 << 0, /* no login (login, health, the API document) */
	FS_ROUTE_NODB = 1 << 1,   /* answers without the database */
	FS_ROUTE_FAST = 1 << 2,   /* a short read: answered on the connection's I/O thread;
				     every other route by the handler pool (slow.c), so it stalls no other connection */
};

struct fs_route {
	const char *method;  /* GET, POST, PATCH, DELETE */
	const char *pattern; /* after /api/v1: "/orgs/:org/funds/:id/transfers"; :org, :collection, :id, :name */
	fs_route_fn *handler;
	const char *capability;
	unsigned flags;
};

/* ---- routes.c ---- */
/* The table (ends with a NULL method), for tests and documentation checks. */
extern const struct fs_route fs_routes[];
/* Answer a request under /api/v1 (seg as split by the server; body may be NULL).
 * ctx is NULL when the database cannot be opened. */
enum MHD_Result fs_route_dispatch(struct fs_ctx *ctx, struct MHD_Connection *c, const char *method, char **seg, size_t n,
				  const char *body, size_t body_len);

/* 1 when the request's route is FS_ROUTE_FAST (seg as for fs_route_dispatch). */
int fs_route_fast(const char *method, char **seg, size_t n);

/* Shared by the handlers. */
const char *fs_hreq_arg(const struct fs_hreq *q, const char *name);
/* The body as a JSON object held to fields (body.h); NULL after queuing the 400. */
json_t *fs_hreq_body_object(const struct fs_hreq *q, const struct fs_json_field *fields);
/* A core error as its HTTP answer (internal ones say little). */
enum MHD_Result fs_hreq_fail(const struct fs_hreq *q, int rc, const struct fs_error *err);
/* Parse the body as e's fields (NULL: any); on a bad body the 400 is queued and
 * out->json is NULL. */
void fs_hreq_body(const struct fs_hreq *q, const struct fs_entity *e, struct fs_body *out);
/* The record's handling levels the role sees: 1 when every level (the role
 * holds record.restricted), else only public ones. */
int fs_hreq_documents(const struct fs_hreq *q);
/* 1 when e has a handling field (a record that can be restricted). */
int fs_entity_has_handling(const struct fs_entity *e);
/* 1 when name is the plural of an organization's collection served at
 * /orgs/{org}/{collection}. */
int fs_http_collection(const char *name);

/* ---- h_auth.c ---- */
/* Who sent the request (bearer token or session cookie); 0 or -1. */
int fs_http_authenticate(struct fs_ctx *ctx, struct MHD_Connection *c, struct fs_hreq *q);
/* A session's write carries its CSRF token (bearer tokens need none). */
int fs_http_csrf_ok(struct MHD_Connection *c, const struct fs_hreq *q);
/* Select the organization of the URL and the user's role in it ("" = none); 0 or -1. */
int fs_http_org_role(struct fs_ctx *ctx, const char *org, int64_t user, char role[16]);
/* After a write: the lookups cached beside the request's context are stale. */
void fs_http_cache_clear(void);
/* That cache: a new one (free() frees it), and the one this thread's request
 * uses until the next call (NULL: none; pool.c sets it with the context). */
void *fs_http_auth_cache_new(void);
void fs_http_auth_cache_use(void *cache);

/* ---- the handlers, one file per domain ---- */
fs_route_fn fs_h_login, fs_h_logout, fs_h_me;                                   /* h_auth.c */
fs_route_fn fs_h_list, fs_h_create, fs_h_get, fs_h_update, fs_h_remove, fs_h_fields; /* h_entity.c */
fs_route_fn fs_h_org, fs_h_import, fs_h_export_people, fs_h_watch, fs_h_watch_people, fs_h_people_pick, fs_h_claims_compute, fs_h_statement, fs_h_entitle; /* h_people.c */
fs_route_fn fs_h_fund_create, fs_h_fund_read, fs_h_fund_approve, fs_h_fund_transfers; /* h_funds.c */
fs_route_fn fs_h_fund_money, fs_h_fund_payout, fs_h_fund_payroll, fs_h_fund_strike, fs_h_fund_pledge, fs_h_fund_ledger,
	fs_h_fund_export, fs_h_payment_reverse; /* h_funds.c; the reversal in h_people.c */
/* "amount": "250.00" or "amount_minor": 25000 in a body (h_funds.c) */
int fs_hreq_amount(const json_t *j, int *has, int64_t *minor, struct fs_error *err);
fs_route_fn fs_h_record, fs_h_record_export, fs_h_evidence_upload, fs_h_evidence_file; /* h_record.c */
fs_route_fn fs_h_users_list, fs_h_user_get, fs_h_user_create, fs_h_user_update, fs_h_user_revoke; /* h_users.c */
fs_route_fn fs_h_tokens_list, fs_h_token_create, fs_h_token_revoke; /* h_tokens.c */
fs_route_fn fs_h_checkpoint_latest, fs_h_checkpoint_make, fs_h_log_consistency; /* h_log.c */

#endif
