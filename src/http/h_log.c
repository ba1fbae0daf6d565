/* h_log.c - the Merkle log's routes: the latest signed checkpoint of an
 * organization's log, public (GET /orgs/{org}/checkpoint, plain text, what a
 * witness fetches), and a new one on demand (POST /orgs/{org}/checkpoints,
 * capability log.checkpoint). */
#include "route.h"
#include "respond.h"

#include <stdlib.h>
#include <string.h>

enum MHD_Result fs_h_checkpoint_latest(struct fs_hreq *q)
{
	struct fs_error err = {0};
	char *text = NULL;
	if (fs_http_check_query(q->c, q->method, q->seg + 2, q->n - 2))
		return MHD_YES; /* a public route: the dispatcher checked no query */
	int rc = fs_use_org(q->ctx, q->param[0], &err);
	if (rc == FS_ENOTFOUND || (!rc && fs_org(q->ctx) <= 0))
		return fs_http_send_error(q->c, 404, "not_found", "no such organization", NULL);
	if (!rc)
		rc = fs_checkpoint_latest(q->ctx, fs_org(q->ctx), &text, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	return fs_http_send(q->c, 200, "text/plain; charset=utf-8", text, strlen(text), NULL);
}

/* GET /orgs/{org}/log/consistency?from=N1&to=N2, public: the RFC 9162 proof that the
 * log at N2 entries extends the log at N1 (what a witness asks, witness.c) */
enum MHD_Result fs_h_log_consistency(struct fs_hreq *q)
{
	struct fs_error err = {0};
	if (fs_http_check_query(q->c, q->method, q->seg + 2, q->n - 2))
		return MHD_YES; /* from and to: whole numbers from 1 (params.c) */
	int rc = fs_use_org(q->ctx, q->param[0], &err);
	if (rc == FS_ENOTFOUND || (!rc && fs_org(q->ctx) <= 0))
		return fs_http_send_error(q->c, 404, "not_found", "no such organization", NULL);
	json_t *j = NULL;
	if (!rc)
		rc = fs_log_consistency_json(q->ctx, fs_org(q->ctx), strtoll(fs_hreq_arg(q, "from"), NULL, 10),
					     strtoll(fs_hreq_arg(q, "to"), NULL, 10), &j, &err);
	if (rc == FS_EINVAL)
		return fs_http_send_error(q->c, 422, "invalid_parameter", err.message, err.field);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	return fs_http_send_json(q->c, 200, j, NULL);
}

enum MHD_Result fs_h_checkpoint_make(struct fs_hreq *q)
{
	struct fs_error err = {0};
	char *text = NULL;
	int rc = fs_checkpoint_make(q->ctx, NULL, &text, &err);
	if (rc)
		return fs_hreq_fail(q, rc, &err);
	struct fs_checkpoint cp;
	if (fs_checkpoint_parse(text, strlen(text), &cp, &err)) {
		free(text);
		return fs_http_send_500(q->c);
	}
	char root[65];
	for (int i = 0; i < 32; i++)
		snprintf(root + 2 * i, 3, "%02x", cp.root[i]);
	json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s}", "org", cp.org, "size", (json_int_t)cp.size, "root", root, "time",
			      cp.time, "checkpoint", text);
	free(text);
	return fs_http_send_json(q->c, 201, j, NULL);
}
