/* query.c - the query string of a request held to params.c's table (see respond.h). */
#include "params.h"
#include "respond.h"

struct query_args {
	struct fs_kv kv[32];
	size_t n;
	int too_many;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_args *q = cls;
	(void)kind;
	if (q->n == sizeof(q->kv) / sizeof(q->kv[0])) {
		q->too_many = 1;
		return MHD_NO;
	}
	q->kv[q->n++] = (struct fs_kv){key, value};
	return MHD_YES;
}

int fs_http_check_query(struct MHD_Connection *c, const char *method, char *const *seg, size_t n)
{
	int filters = 0;
	unsigned status = 422;
	const struct fs_param *p = fs_params_for(method, seg, n, &filters, &status);
	if (!p)
		return 0; /* not a route: the router answers 404 */
	struct query_args q = {.n = 0};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
	struct fs_error err = {0};
	int rc = q.too_many ? fs_fail(&err, FS_EINVAL, NULL, "at most 32 query parameters")
			    : fs_params_check(p, filters ? fs_entity_find(seg[2]) : NULL, q.kv, q.n, &err);
	if (!rc)
		return 0;
	fs_http_send_error(c, status, "invalid_parameter", err.message, err.field);
	return -1;
}

