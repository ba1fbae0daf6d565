/* rules.h - jurisdiction rule sets as data: loading, validation, effective-dated
 * tables, named conventions and the step texts in four languages.
 *
 * A rule set is a JSON file under rules/ (format in doc/rules.md), compiled into
 * the binary; FAIRSHARE_RULES=DIR loads DIR/<jurisdiction>.json instead, so a
 * lawyer can try a changed rule set without rebuilding. Every decimal in a rule
 * file is a string and becomes an exact ratio: no binary floating point. */
#ifndef FS_RULES_H
#define FS_RULES_H

#include <jansson.h>
#include <stdint.h>

#include "../util/date.h"
#include "../util/error.h"

#define FS_DATE_OPEN INT32_MAX

struct fs_ratio {
	int64_t num;
	int64_t den; /* > 0 */
};

struct fs_table_row {
	fs_date from, to; /* inclusive; to = FS_DATE_OPEN when open-ended */
	struct fs_ratio value;
	int verified;
	char text[24];      /* the value as written */
	const char *source; /* where the value comes from (optional 5th element), or NULL */
};

struct fs_rtable {
	const char *name;
	const char *law;
	struct fs_table_row *rows;
	size_t n;
};

/* The methods a component may name, in the order of rules.c's list. */
enum fs_method {
	FS_M_TR_SEVERANCE,
	FS_M_TR_NOTICE,
	FS_M_TR_LEAVE,
	FS_M_MONTHS_OF_WAGE,
	FS_M_TR_OVERTIME,
	FS_M_KZ_COMPENSATION,
	FS_M_KZ_LEAVE,
	FS_M_KZ_PENALTY,
	FS_M_COUNT
};

/* One band of a component's bands (tr_notice: below_months / up_to_months;
 * tr_leave's entitlement: below_years / up_to_years), as written: has_* says
 * the key is there, the numbers are jansson's json_integer_value of it. */
struct fs_rband {
	int has_below, has_upto;
	int64_t below, upto, days;
};

struct fs_rlaw { /* a law_by_date row */
	fs_date from, to;
	const char *law;
};

/* A component compiled when its rule set loads: what the engine reads of it
 * on every case, so that no case looks anything up in the JSON. The strings
 * point into the rule set's JSON; a table named is the table of this rule set
 * (the load checked it), NULL when the component names none. */
struct fs_rcomp {
	const char *name;
	enum fs_method method;
	json_t *json; /* the component as written */
	const char *law;
	struct fs_rlaw *laws; /* law_by_date */
	size_t nlaws;
	int has_reasons; /* reasons given: the component is due for those only */
	const char **reasons;
	size_t nreasons;
	int64_t min_service_years, day_divisor, young_or_old_minimum; /* 0 when not given */
	struct fs_rband *bands, *entitlement; /* tr_notice's bands, tr_leave's entitlement */
	size_t nbands, nentitlement;
	const struct fs_rtable *ceiling, *stamp_tax, *underground, *entitlement_table, *multiplier,
	    *calendar_days;
	const struct fs_rtable **rates; /* rate_tables in order, else the one rate_table (NULL when none) */
	size_t nrates;
	const char **months_reason; /* months_tables: reason -> table */
	const struct fs_rtable **months_table;
	size_t nmonths;
};

struct fs_rconv { /* a convention's name and the rule file's value (NULL: none) */
	const char *name, *value;
};

struct fs_rules {
	const char *jurisdiction, *version, *currency, *title;
	json_t *root; /* owns every string above */
	struct fs_rtable *tables;
	size_t ntables;
	/* compiled at load (fs_rules_parse), in the JSON's order */
	struct fs_rcomp *comps;
	size_t ncomps;
	const char **reasons;
	size_t nreasons;
	struct fs_rconv *convs;
	size_t nconvs;
	int has_lim_by_kind; /* limitation_by_kind given: lim_kind[i] -> lim_table[i] */
	const char **lim_kind;
	const struct fs_rtable **lim_table;
	size_t nlim;
	const struct fs_rtable *limitation_table; /* limitation_table (years), NULL when none */
};

/* Parse and validate a rule file; origin names it in errors. */
int fs_rules_parse(const char *text, size_t len, const char *origin, struct fs_rules **ret, struct fs_error *err);
void fs_rules_free(struct fs_rules *r);
/* The rule set of a jurisdiction (cached for the process; do not free). */
int fs_rules_get(const char *jurisdiction, const struct fs_rules **ret, struct fs_error *err);

/* "TR, KZ" */
const char *fs_rules_available(void);

const struct fs_rtable *fs_rules_table(const struct fs_rules *r, const char *name);
/* The row in force on d, or NULL. */
const struct fs_table_row *fs_rtable_at(const struct fs_rtable *t, fs_date d);
/* The law text of a component on date d: its law_by_date entry in force on d
 * ([from, to|null, text] rows), else its law. */
const char *fs_rules_law_at(json_t *comp, fs_date d);
/* The same from the compiled component. */
const char *fs_rcomp_law_at(const struct fs_rcomp *comp, fs_date d);
/* Decimal text -> exact ratio (e.g. "7.59" -> 759/100). */
int fs_ratio_parse(const char *s, struct fs_ratio *out);

/* A convention's value: the override if given, else the rule file's. */
const char *fs_rules_convention(const struct fs_rules *r, const char *name, json_t *overrides);
/* Step text of key in lang (falls back to en, then to the key) with {name}
 * replaced from params (a JSON object of strings/integers). Caller frees. */
char *fs_rules_text(const struct fs_rules *r, const char *lang, const char *key, json_t *params);

#endif
