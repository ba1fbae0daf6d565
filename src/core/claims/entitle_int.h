/* entitle_int.h - what the entitlement engine's files share (entitle.c: the
 * generic engine and the TR methods; entitle_kz.c: the KZ methods and the
 * limitation periods). Not part of the core's interface. */
#ifndef FS_ENTITLE_INT_H
#define FS_ENTITLE_INT_H

#include "internal.h"
#include "rules.h"

#include "util/money.h"

#define ENT_MAX_COMPONENTS 16

/* The amounts of a case without its explanation (claims compute): every
 * component of the rule set, in its order, as fs_entitle computes them. The
 * names and versions point into the loaded rule set. */
struct fs_entitle_amounts {
	const char *rules_version, *currency;
	size_t n;
	const char *kind[ENT_MAX_COMPONENTS];
	int64_t amount[ENT_MAX_COMPONENTS];
};
int fs_entitle_amounts(const struct fs_entitle_in *in, struct fs_entitle_amounts *out, struct fs_error *err);
/* The inputs of a case as a claim stores them: the same text as
 * json_dumps(fs_entitle's "inputs" without "as_of", JSON_COMPACT | JSON_SORT_KEYS),
 * written into buf without jansson. Its length; 0 when the case needs the
 * general path (conventions, text that JSON escapes, too long for buf). */
size_t fs_entitle_inputs_text(const struct fs_entitle_in *in, char *buf, size_t n);
/* The same through jansson (the reference the fast text is checked against). */
char *fs_entitle_inputs_json(const struct fs_entitle_in *in);

struct service {
	int years, months, days;
	int64_t total_days;
};

struct calc {
	const struct fs_rules *r;
	const struct fs_entitle_in *in;
	const char *lang;
	json_t *steps, *warnings, *codes, *components;
	struct service cal; /* calendar decomposition, both days counted */
	int days365;        /* the service convention is total days / 365 */
	int64_t total;
	int64_t owed_at_termination; /* KZ penalty principal */
	json_t *limitation;          /* [{kind, months, deadline, status}] */
	struct fs_error *err;
	size_t ncomp; /* the components computed, in the rule set's order */
	const char *comp_name[ENT_MAX_COMPONENTS];
	int64_t comp_amount[ENT_MAX_COMPONENTS];
};

static inline int64_t ent_round_div(__int128 num, __int128 den)
{
	if (den < 0) {
		num = -num;
		den = -den;
	}
	if (num >= 0)
		return (int64_t)((num + den / 2) / den);
	return -(int64_t)((-num + den / 2) / den);
}

static inline json_t *ent_money(int64_t minor)
{
	char s[32];
	fs_money_format(minor, 2, s);
	return json_string(s);
}

static inline json_t *ent_date(fs_date d)
{
	char s[11];
	fs_date_format(d, s);
	return json_string(s);
}

/* STEP and WARN evaluate their arguments only when the caller wants the
 * explanation (claims compute only wants the amounts). */
#define STEP(c, ...)                        \
	do {                                \
		if (!(c)->in->quiet)        \
			ent_step((c), __VA_ARGS__); \
	} while (0)
#define WARN(c, ...)                        \
	do {                                \
		if (!(c)->in->quiet)        \
			ent_warn((c), __VA_ARGS__); \
	} while (0)

fs_date ent_add_months(fs_date d, int months);
void ent_step(struct calc *c, const char *component, const char *key, json_t *params, const char *law);
void ent_warn(struct calc *c, const char *code, json_t *params);
/* The row of table t (of the compiled rule set; NULL: the component names
 * none) in force on d; a clear error naming the table's span when there is none. */
int ent_row_in(struct calc *c, const struct fs_rtable *t, fs_date d, const struct fs_table_row **out);
void ent_warn_unverified(struct calc *c, const struct fs_rtable *t, const struct fs_table_row *row, fs_date d);
int ent_reason_applies(const struct fs_rcomp *comp, const char *reason);
/* The component's law on the termination date (law_by_date, else law). */
const char *ent_law(struct calc *c, const struct fs_rcomp *comp);
void ent_not_due(struct calc *c, const char *name, const struct fs_rcomp *comp, const char *key);

int kz_compensation(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount);
int kz_leave(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount);
int kz_penalty(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount);
/* The limitation periods of the case: steps, warnings and c->limitation. */
void ent_limitation(struct calc *c);

#endif
