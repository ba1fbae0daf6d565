/* params.h - the query parameters of every route, as one table (what
 * doc/openapi.yaml documents), and the one check that holds each request to it:
 * an unknown parameter, one given twice, or a value that is not what the table
 * says is refused (400, the parameter named) before a handler runs. No HTTP
 * library here, so it is unit-tested and fuzzed directly. */
#ifndef FS_HTTP_PARAMS_H
#define FS_HTTP_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/fairshare.h"

enum fs_param_kind {
	FS_P_INT,  /* a whole number in [min, max], decimal digits only */
	FS_P_DATE, /* a date (YYYY-MM-DD or DD.MM.YYYY, as fs_date_parse) */
	FS_P_ENUM, /* one of values */
	FS_P_TEXT, /* any text of at most max bytes (valid UTF-8) */
};

struct fs_param {
	const char *name;
	enum fs_param_kind kind;
	int64_t min, max;
	const char *const *values;
	int required;
};

/* The table's row for a request: method and path segments after /api/v1
 * (seg[0] = "orgs", seg[1] = the org, ...). Never NULL: a route without
 * parameters gets an empty row. For a collection's list, *filters is set: the
 * collection's own (unsealed) fields are parameters too, their values checked
 * by the core like any stored value. *status: the answer to a bad parameter as
 * the document says (400 on a collection and its records, 422 elsewhere). */
const struct fs_param *fs_params_for(const char *method, char *const *seg, size_t n, int *filters, unsigned *status);

/* Check the query's name/value pairs (name NULL-terminated text; value NULL
 * for a bare "?name") against params and, with e, e's filter fields.
 * Returns 0, or FS_EINVAL with err's field set to the parameter. */
int fs_params_check(const struct fs_param *params, const struct fs_entity *e, const struct fs_kv *args, size_t n,
		    struct fs_error *err);

#endif
