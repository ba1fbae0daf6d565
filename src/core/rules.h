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

struct fs_rules {
	const char *jurisdiction, *version, *currency, *title;
	json_t *root; /* owns every string above */
	struct fs_rtable *tables;
	size_t ntables;
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
/* Decimal text -> exact ratio (e.g. "7.59" -> 759/100). */
int fs_ratio_parse(const char *s, struct fs_ratio *out);

/* A convention's value: the override if given, else the rule file's. */
const char *fs_rules_convention(const struct fs_rules *r, const char *name, json_t *overrides);
/* Step text of key in lang (falls back to en, then to the key) with {name}
 * replaced from params (a JSON object of strings/integers). Caller frees. */
char *fs_rules_text(const struct fs_rules *r, const char *lang, const char *key, json_t *params);

#endif
