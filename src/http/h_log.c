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
