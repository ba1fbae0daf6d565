/* params.c - the query parameters of every route (see params.h). */
#include "params.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/utf8.h"

static const char *const flag_1[] = {"1", NULL};
static const char *const flag_01[] = {"0", "1", NULL};
static const char *const langs[] = {"en", "tr", "ru", "kk", NULL};
static const char *const count_by[] = {"type", "action", "region", "month", "incident", NULL};
static const char *const formats[] = {"csv", "json", NULL};
static const char *const handling[] = {"public", "internal", "restricted", "sealed", NULL};
static const char *const record_collections[] = {"incidents", "violations", "assessments", "legal_cases", "reports",
						 "detentions", "actions", "action_stages", "demands", "hearings",
						 "citations", "evidence", "person_links", NULL};

#define END {NULL, 0, 0, 0, NULL, 0}
#define PUBLIC {"public", FS_P_ENUM, 0, 0, flag_1, 0}

static const struct fs_param none[] = {END};
static const struct fs_param list[] = {{"limit", FS_P_INT, 1, 10000, NULL, 0}, {"offset", FS_P_INT, 0, INT64_MAX, NULL, 0},
				       {"q", FS_P_TEXT, 0, 400, NULL, 0}, END};
static const struct fs_param pick[] = {{"q", FS_P_TEXT, 0, 200, NULL, 0}, {"limit", FS_P_INT, 1, 20, NULL, 0}, END};
static const struct fs_param get[] = {{"reveal", FS_P_ENUM, 0, 0, flag_1, 0}, END};
static const char *const separators[] = {"auto", "comma", "semicolon", "tab", NULL};
static const struct fs_param import[] = {{"dry_run", FS_P_ENUM, 0, 0, flag_1, 0}, {"encoding", FS_P_TEXT, 1, 40, NULL, 0},
					 {"separator", FS_P_ENUM, 0, 0, separators, 0}, END};
static const struct fs_param watch[] = {{"workplace", FS_P_INT, 1, INT64_MAX, NULL, 0}, {"as_of", FS_P_DATE, 0, 0, NULL, 0}, END};
static const char *const watch_statuses[] = {"all", "paid_in_full", "partly_paid", "paid_nothing", "near_limitation", NULL};
static const char *const watch_sorts[] = {"name", "owed", "paid", "outstanding", "limitation", NULL};
static const char *const orders[] = {"asc", "desc", NULL};
static const struct fs_param watch_people[] = {{"workplace", FS_P_INT, 1, INT64_MAX, NULL, 0}, {"as_of", FS_P_DATE, 0, 0, NULL, 0},
					       {"status", FS_P_ENUM, 0, 0, watch_statuses, 0}, {"sort", FS_P_ENUM, 0, 0, watch_sorts, 0},
					       {"order", FS_P_ENUM, 0, 0, orders, 0}, {"limit", FS_P_INT, 1, 10000, NULL, 0},
					       {"offset", FS_P_INT, 0, INT64_MAX, NULL, 0}, END};
/* qr=0: the proofs without their QR code (a page shows it when asked: it is most of the bytes) */
static const struct fs_param statement[] = {{"lang", FS_P_ENUM, 0, 0, langs, 0}, {"proofs", FS_P_ENUM, 0, 0, flag_1, 0},
					    {"qr", FS_P_ENUM, 0, 0, flag_01, 0}, END};
static const struct fs_param counts[] = {{"by", FS_P_ENUM, 0, 0, count_by, 0}, PUBLIC, END};
static const struct fs_param prisoners[] = {{"as_of", FS_P_DATE, 0, 0, NULL, 0}, PUBLIC, END};
static const struct fs_param alerts[] = {{"hours", FS_P_INT, 1, 8760, NULL, 0}, END};
static const struct fs_param timeline[] = {{"from", FS_P_DATE, 0, 0, NULL, 0}, {"to", FS_P_DATE, 0, 0, NULL, 0},
					   {"action", FS_P_INT, 1, INT64_MAX, NULL, 0}, PUBLIC, END};
static const struct fs_param duplicates[] = {{"limit", FS_P_INT, 1, 1000, NULL, 0}, END};
static const struct fs_param rexport[] = {{"collection", FS_P_ENUM, 0, 0, record_collections, 1},
					  {"format", FS_P_ENUM, 0, 0, formats, 0}, PUBLIC, END};
static const struct fs_param consistency[] = {{"from", FS_P_INT, 1, INT64_MAX, NULL, 1}, {"to", FS_P_INT, 1, INT64_MAX, NULL, 1}, END};
static const struct fs_param upload[] = {{"filename", FS_P_TEXT, 1, 255, NULL, 1}, {"kind", FS_P_TEXT, 0, 64, NULL, 0},
					 {"captured_on", FS_P_DATE, 0, 0, NULL, 0},
					 {"handling", FS_P_ENUM, 0, 0, handling, 0}, END};

static const char *const ledger_formats[] = {"csv", "ledger", "beancount", NULL};
static const struct fs_param fund_ledger[] = {{"limit", FS_P_INT, 1, 10000, NULL, 0}, {"offset", FS_P_INT, 0, INT64_MAX, NULL, 0}, END};
static const struct fs_param fund_export[] = {{"format", FS_P_ENUM, 0, 0, ledger_formats, 0}, END};
static const struct fs_param fund_payout[] = {{"amount", FS_P_TEXT, 1, 32, NULL, 0}, END};
static const struct fs_param fund_payroll[] = {{"site", FS_P_TEXT, 1, 200, NULL, 1}, END};
static const struct fs_param fund_report[] = {{"qr", FS_P_ENUM, 0, 0, flag_01, 0}, END};

/* the sub-resources of one record: orgs/{org}/WHAT/{id}/SUB */
static const struct {
	const char *method, *what, *sub;
	const struct fs_param *params;
} subs[] = {
	{"GET", "funds", "transfers", fund_ledger},
	{"GET", "funds", "export", fund_export},
	{"GET", "funds", "payout", fund_payout},
	{"POST", "funds", "payroll", fund_payroll},
	{"GET", "funds", "report", fund_report},
};

static const struct {
	const char *method, *what, *sub; /* orgs/{org}/WHAT[/SUB]; "#" an id */
	size_t n;                        /* segments after /api/v1 */
	const struct fs_param *params;
	unsigned status; /* a bad parameter's answer, as documented */
} routes[] = {
	{"POST", "people", "import", 4, import, 400},
	{"GET", "people", "pick", 4, pick, 422},
	{"GET", "watch", NULL, 3, watch, 422},
	{"GET", "watch", "people", 4, watch_people, 422},
	{"GET", "statement", "#", 4, statement, 422},
	{"GET", "record", "counts", 4, counts, 422},
	{"GET", "record", "prisoners", 4, prisoners, 422},
	{"GET", "record", "alerts", 4, alerts, 422},
	{"GET", "record", "timeline", 4, timeline, 422},
	{"GET", "record", "duplicates", 4, duplicates, 422},
	{"GET", "record", "export", 4, rexport, 422},
	{"GET", "record", "suggestions", 4, none, 422},
	{"POST", "evidence", NULL, 3, upload, 422},
	{"GET", "users", NULL, 3, none, 422},
	{"GET", "users", "#", 4, none, 422},
	{"POST", "users", NULL, 3, none, 422},
	{"PATCH", "users", "#", 4, none, 422},
	{"DELETE", "users", "#", 4, none, 422},
	{"GET", "users", "#", 5, none, 422},    /* users/{id}/tokens */
	{"POST", "users", "#", 5, none, 422},
	{"DELETE", "users", "#", 6, none, 422}, /* users/{id}/tokens/{token} */
	{"GET", "checkpoint", NULL, 3, none, 422},
	{"POST", "checkpoints", NULL, 3, none, 422},
	{"GET", "log", "consistency", 4, consistency, 422},
};

const struct fs_param *fs_params_for(const char *method, char *const *seg, size_t n, int *filters, unsigned *status)
{
	*filters = 0;
	*status = 422;
	if (n < 3 || strcmp(seg[0], "orgs"))
		return none;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (routes[i].n == n && !strcmp(routes[i].method, method) && !strcmp(routes[i].what, seg[2]) &&
		    (!routes[i].sub || !strcmp(routes[i].sub, "#") || !strcmp(routes[i].sub, seg[3])))
			return *status = routes[i].status, routes[i].params;
	if (n == 5)
		for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
			if (!strcmp(subs[i].method, method) && !strcmp(subs[i].what, seg[2]) && !strcmp(subs[i].sub, seg[4]))
				return *status = 400, subs[i].params;
	const struct fs_entity *e = fs_entity_find(seg[2]);
	if (!e || strcmp(fs_entity_plural(e), seg[2]))
		return NULL; /* no such route: its 404 comes first */
	*status = 400; /* a collection, its records and their sub-resources */
	if (strcmp(method, "GET"))
		return none;
	if (n == 3) {
		*filters = 1;
		return list;
	}
	return n == 4 && seg[3][0] >= '0' && seg[3][0] <= '9' ? get : none;
}

static int digits_only(const char *v)
{
	size_t i = v[0] == '-' ? 1 : 0;
	if (!v[i] || strlen(v) > 19)
		return 0;
	for (; v[i]; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

static int check_one(const struct fs_param *p, const char *v, struct fs_error *err)
{
	if (!v)
		v = "";
	switch (p->kind) {
	case FS_P_INT: {
		int64_t x = 0;
		int neg = v[0] == '-', ok = digits_only(v);
		for (size_t i = neg; ok && v[i]; i++) /* at most 19 digits: no overflow below */
			x = x * 10 + (v[i] - '0');
		if (neg)
			x = -x;
		if (!ok || x < p->min || x > p->max) {
			if (p->max == INT64_MAX)
				return fs_fail(err, FS_EINVAL, p->name, "%s is a whole number of at least %lld", p->name,
					       (long long)p->min);
			return fs_fail(err, FS_EINVAL, p->name, "%s is a whole number from %lld to %lld", p->name,
				       (long long)p->min, (long long)p->max);
		}
		return 0;
	}
	case FS_P_DATE: {
		fs_date d;
		return fs_date_parse(v, &d, err, p->name);
	}
	case FS_P_ENUM:
		for (size_t i = 0; p->values[i]; i++)
			if (!strcmp(v, p->values[i]))
				return 0;
		if (!p->values[1])
			return fs_fail(err, FS_EINVAL, p->name, "%s is %s or absent", p->name, p->values[0]);
		char allowed[300] = "";
		size_t used = 0;
		for (size_t i = 0; p->values[i] && used < sizeof(allowed); i++)
			used += (size_t)snprintf(allowed + used, sizeof(allowed) - used, "%s%s", i ? ", " : "", p->values[i]);
		return fs_fail(err, FS_EINVAL, p->name, "%s: '%.40s' is not one of: %s", p->name, v, allowed);
	case FS_P_TEXT: {
		size_t len = strlen(v);
		if (len < (size_t)p->min || len > (size_t)p->max || fs_utf8_invalid_at(v, len))
			return fs_fail(err, FS_EINVAL, p->name, "%s is text of %lld to %lld bytes (UTF-8)", p->name,
				       (long long)p->min, (long long)p->max);
		return 0;
	}
	}
	return fs_fail(err, FS_EINVAL, p->name, "%s: unknown parameter kind", p->name);
}

int fs_params_check(const struct fs_param *params, const struct fs_entity *e, const struct fs_kv *args, size_t n,
		    struct fs_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = args[i].key;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(args[k].key, name))
				return fs_fail(err, FS_EINVAL, name, "the parameter '%.60s' is given twice", name);
		const struct fs_param *p = NULL;
		for (size_t k = 0; params[k].name && !p; k++)
			if (!strcmp(params[k].name, name))
				p = &params[k];
		if (p) {
			int rc = check_one(p, args[i].value, err);
			if (rc)
				return rc;
			continue;
		}
		int field = 0;
		for (size_t f = 0; e && f < fs_entity_nfields(e) && !field; f++)
			field = !strcmp(fs_entity_field(e, f)->name, name) && !(fs_entity_field(e, f)->flags & FF_SEALED);
		if (!field)
			return fs_fail(err, FS_EINVAL, name, "unknown parameter '%.60s' here", name);
		if (!args[i].value)
			return fs_fail(err, FS_EINVAL, name, "the filter '%.60s' needs a value", name);
	}
	for (size_t k = 0; params[k].name; k++) {
		int given = 0;
		for (size_t i = 0; i < n && !given; i++)
			given = !strcmp(args[i].key, params[k].name);
		if (params[k].required && !given)
			return fs_fail(err, FS_EINVAL, params[k].name, "the parameter %s is required", params[k].name);
	}
	return 0;
}
