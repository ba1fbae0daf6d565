/* entitle.c - what a dismissed worker is owed: the generic engine that applies a
 * jurisdiction's rule set (rules.c) to one case and explains every step.
 *
 * Exact money: amounts are int64 minor units; every component is one exact
 * rational expression (128-bit intermediates), rounded half-up once. */
#include "entitle_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void fs_entitle_init(struct fs_entitle_in *in)
{
	memset(in, 0, sizeof(*in));
	in->as_of = fs_date_today();
	in->conventions = json_object();
}

void fs_entitle_done(struct fs_entitle_in *in)
{
	json_decref(in->conventions);
	in->conventions = NULL;
}

static int parse_count(const char *v, int64_t max, int64_t *out, struct fs_error *err, const char *field)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < 0 || n > max)
		return fs_fail(err, FS_EINVAL, field, "'%.24s' is not a whole number from 0 to %lld", v, (long long)max);
	*out = n;
	return 0;
}

static int parse_flag(const char *v, int *out, struct fs_error *err, const char *field)
{
	if (!strcmp(v, "") || !strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true"))
		return *out = 1, 0;
	if (!strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false"))
		return *out = 0, 0;
	return fs_fail(err, FS_EINVAL, field, "'%.16s' is not yes or no", v);
}

static int parse_amount(const char *v, int64_t *out, struct fs_error *err, const char *field)
{
	int rc = fs_money_parse(v, 2, out, err, field);
	if (!rc && *out < 0)
		return fs_fail(err, FS_EINVAL, field, "cannot be negative");
	return rc;
}

int fs_entitle_set(struct fs_entitle_in *in, const char *key, const char *value, struct fs_error *err)
{
	char k[40];
	size_t n = strlen(key);
	if (n >= sizeof(k))
		return fs_fail(err, FS_EINVAL, key, "unknown input");
	for (size_t i = 0; i <= n; i++)
		k[i] = key[i] == '-' ? '_' : key[i];
	const char *v = value ? value : "";
	if (!strcmp(k, "jurisdiction")) {
		if (strlen(v) != 2)
			return fs_fail(err, FS_EINVAL, "jurisdiction", "'%.16s' is not a jurisdiction (one of %s)", v, fs_rules_available());
		in->jurisdiction[0] = (char)toupper((unsigned char)v[0]);
		in->jurisdiction[1] = (char)toupper((unsigned char)v[1]);
		return 0;
	}
	if (!strcmp(k, "hired"))
		return fs_date_parse(v, &in->hired, err, "hired") ? FS_EINVAL : (in->has_hired = 1, 0);
	if (!strcmp(k, "terminated"))
		return fs_date_parse(v, &in->terminated, err, "terminated") ? FS_EINVAL : (in->has_terminated = 1, 0);
	if (!strcmp(k, "as_of"))
		return fs_date_parse(v, &in->as_of, err, "as_of") ? FS_EINVAL : 0;
	if (!strcmp(k, "reason")) {
		if (!*v || strlen(v) >= sizeof(in->reason))
			return fs_fail(err, FS_EINVAL, "reason", "give the termination reason");
		for (size_t i = 0; i <= strlen(v); i++)
			in->reason[i] = (char)tolower((unsigned char)v[i]);
		return 0;
	}
	if (!strcmp(k, "wage"))
		return parse_amount(v, &in->wage_minor, err, "wage") ? FS_EINVAL : (in->has_wage = 1, 0);
	if (!strcmp(k, "benefits"))
		return parse_amount(v, &in->benefits_minor, err, "benefits");
	if (!strcmp(k, "accruals_12m"))
		return parse_amount(v, &in->accruals_minor, err, "accruals_12m") ? FS_EINVAL : (in->has_accruals = 1, 0);
	if (!strcmp(k, "unused_leave_days"))
		return parse_count(v, 3650, &in->unused_leave_days, err, "unused_leave_days");
	if (!strcmp(k, "unpaid_months"))
		return parse_count(v, 600, &in->unpaid_months, err, "unpaid_months");
	if (!strcmp(k, "days_worked_12m") || !strcmp(k, "days_worked")) {
		/* days actually worked in the 12 months before the termination */
		int rc = parse_count(v, 366, &in->days_worked, err, "days_worked");
		if (!rc && in->days_worked == 0)
			return fs_fail(err, FS_EINVAL, "days_worked", "days worked must be from 1 to 366 (leave it out when not known)");
		return rc;
	}
	if (!strcmp(k, "period_working_days"))
		return parse_count(v, 31, &in->period_days, err, "period_working_days");
	if (!strcmp(k, "age"))
		return parse_count(v, 120, &in->age, err, "age");
	if (!strcmp(k, "overtime_hours")) {
		int rc = fs_money_parse(v, 2, &in->overtime_hours_x100, err, "overtime_hours");
		if (!rc && (in->overtime_hours_x100 < 0 || in->overtime_hours_x100 > 10000000))
			return fs_fail(err, FS_EINVAL, "overtime_hours", "must be from 0 to 100000 hours");
		return rc;
	}
	if (!strcmp(k, "underground"))
		return parse_flag(v, &in->underground, err, "underground");
	if (!strcmp(k, "notice_served"))
		return parse_flag(v, &in->notice_served, err, "notice_served");
	if (!strcmp(k, "convention")) {
		const char *eq = strchr(v, '=');
		if (!eq || eq == v || !eq[1] || (size_t)(eq - v) >= 64)
			return fs_fail(err, FS_EINVAL, "convention", "write --convention NAME=VALUE");
		char name[64];
		memcpy(name, v, (size_t)(eq - v));
		name[eq - v] = '\0';
		json_object_set_new(in->conventions, name, json_string(eq + 1));
		return 0;
	}
	return fs_fail(err, FS_EINVAL, key, "unknown input '%.32s'", key);
}

/* A number as fs_entitle_set would take its text: claims compute reads the
 * employment's numbers as numbers, so none is written out to be parsed again.
 * A value the text would refuse is handed to fs_entitle_set as text, which
 * refuses it with its own words. */
int fs_entitle_set_number(struct fs_entitle_in *in, const char *key, int64_t v, struct fs_error *err)
{
	char text[32];
	int64_t *amount = NULL, *count = NULL, min = 0, max = FS_MONEY_MAX_MINOR;
	int *has = NULL;
	if (!strcmp(key, "wage"))
		amount = &in->wage_minor, has = &in->has_wage;
	else if (!strcmp(key, "benefits"))
		amount = &in->benefits_minor;
	else if (!strcmp(key, "accruals_12m"))
		amount = &in->accruals_minor, has = &in->has_accruals;
	else if (!strcmp(key, "unused_leave_days"))
		count = &in->unused_leave_days, max = 3650;
	else if (!strcmp(key, "days_worked"))
		count = &in->days_worked, max = 366, min = 1;
	int64_t *to = amount ? amount : count;
	if (to && v >= min && v <= max) {
		*to = v;
		if (has)
			*has = 1;
		return 0;
	}
	if (amount)
		fs_money_format(v, 2, text);
	else
		snprintf(text, sizeof(text), "%lld", (long long)v);
	return fs_entitle_set(in, key, text, err);
}

/* ---- the calculation ---- */

static struct service service_of(fs_date hired, fs_date terminated)
{
	struct service s = {0};
	fs_date end = terminated + 1; /* both days counted */
	int hy, hm, ey, em, d;
	fs_date_to_ymd(hired, &hy, &hm, &d);
	fs_date_to_ymd(end, &ey, &em, &d);
	/* the whole months served: the most k with hired + k months <= end. hired +
	 * k months (clamped to the month's end) grows with k, and for k the months
	 * between the two dates' months it falls in end's month: k, or k - 1 when
	 * that day is after end */
	int k = (ey - hy) * 12 + (em - hm);
	fs_date at = ent_add_months(hired, k);
	if (at > end)
		at = ent_add_months(hired, --k);
	s.years = k / 12;
	s.months = k % 12;
	s.days = (int)(end - at);
	s.total_days = end - hired;
	return s;
}

static int table_value(struct calc *c, const struct fs_rtable *t, fs_date d, struct fs_ratio *out,
		       const struct fs_table_row **row_out)
{
	const struct fs_table_row *row;
	int rc = ent_row_in(c, t, d, &row);
	if (rc)
		return rc;
	*out = row->value;
	if (row_out)
		*row_out = row;
	ent_warn_unverified(c, t, row, d);
	return 0;
}

static int tr_severance(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	const struct fs_entitle_in *in = c->in;
	if (!ent_reason_applies(comp, in->reason))
		return ent_not_due(c, name, comp, "not_due.reason"), 0;
	int years = c->days365 ? (int)(c->cal.total_days / 365) : c->cal.years;
	if (years < comp->min_service_years) {
		STEP(c, name, "not_due.service", json_object(), ent_law(c, comp));
		return 0;
	}
	int64_t base = in->wage_minor + in->benefits_minor;
	struct fs_ratio ceiling = {0, 1};
	const struct fs_table_row *row;
	int rc = table_value(c, comp->ceiling, in->terminated, &ceiling, &row);
	if (rc)
		return rc;
	int64_t ceiling_minor = ent_round_div((__int128)ceiling.num * 100, ceiling.den);
	int64_t capped = base < ceiling_minor ? base : ceiling_minor;
	STEP(c, name, "severance.base", json_pack("{s:o,s:o,s:o}", "wage", ent_money(in->wage_minor), "benefits",
						  ent_money(in->benefits_minor), "base", ent_money(base)), ent_law(c, comp));
	STEP(c, name, base > ceiling_minor ? "severance.capped" : "severance.uncapped",
	     json_pack("{s:o,s:o}", "terminated", ent_date(in->terminated), "ceiling", ent_money(ceiling_minor)), ent_law(c, comp));
	int months = c->days365 ? 0 : c->cal.months;
	int days = c->days365 ? (int)(c->cal.total_days % 365) : c->cal.days;
	/* capped × (Y + M/12 + D/365) over the common denominator 4380 */
	*amount = ent_round_div((__int128)capped * ((__int128)years * 4380 + months * 365 + days * 12), 4380);
	STEP(c, name, "severance.amount", json_pack("{s:o,s:i,s:i,s:i,s:o}", "capped", ent_money(capped), "years", years,
						    "months", months, "days", days, "amount", ent_money(*amount)), ent_law(c, comp));
	struct fs_ratio rate;
	const struct fs_table_row *trow;
	const struct fs_rtable *tt = comp->stamp_tax;
	if (tt && (trow = fs_rtable_at(tt, in->terminated))) {
		rate = trow->value;
		int64_t tax = ent_round_div((__int128)*amount * rate.num, (__int128)rate.den * 1000);
		STEP(c, name, "severance.stamp_tax", json_pack("{s:s,s:o}", "rate", trow->text, "tax", ent_money(tax)), tt->law);
		ent_warn_unverified(c, tt, trow, in->terminated);
	}
	return 0;
}

static int tr_notice(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	const struct fs_entitle_in *in = c->in;
	if (!ent_reason_applies(comp, in->reason))
		return ent_not_due(c, name, comp, "not_due.reason"), 0;
	if (in->notice_served)
		{
		STEP(c, name, "not_due.notice_served", json_object(), ent_law(c, comp));
		return 0;
	}
	int inclusive = strcmp(fs_rules_convention(c->r, "notice_band_boundary", in->conventions), "exclusive") != 0;
	int64_t months = (int64_t)c->cal.years * 12 + c->cal.months;
	int64_t notice_days = 0;
	for (size_t i = 0; i < comp->nbands; i++) {
		const struct fs_rband *band = &comp->bands[i];
		int64_t d = band->days;
		if (band->has_below && months < band->below) {
			notice_days = d;
			break;
		}
		if (band->has_upto) {
			int64_t x = band->upto;
			if (months < x || (inclusive && months == x && c->cal.days == 0)) {
				notice_days = d;
				break;
			}
		}
		if (!band->has_below && !band->has_upto) {
			notice_days = d;
			break;
		}
	}
	int64_t base = in->wage_minor + in->benefits_minor;
	int64_t divisor = comp->day_divisor;
	if (divisor <= 0)
		divisor = 30;
	*amount = ent_round_div((__int128)base * notice_days, divisor);
	STEP(c, name, "notice.amount", json_pack("{s:I,s:i,s:I,s:I,s:o,s:o}", "service_months", (json_int_t)months,
						 "days", c->cal.days, "weeks", (json_int_t)(notice_days / 7),
						 "notice_days", (json_int_t)notice_days, "base", ent_money(base),
						 "amount", ent_money(*amount)), ent_law(c, comp));
	return 0;
}

static int64_t band_lookup(const struct fs_rband *bands, size_t n, int64_t years)
{
	for (size_t i = 0; i < n; i++) {
		const struct fs_rband *b = &bands[i];
		if ((b->has_below && years < b->below) || (b->has_upto && years <= b->upto) ||
		    (!b->has_below && !b->has_upto))
			return b->days;
	}
	return 0;
}

static int tr_leave(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	const struct fs_entitle_in *in = c->in;
	int64_t entitled = band_lookup(comp->entitlement, comp->nentitlement, c->cal.years);
	int64_t minimum = comp->young_or_old_minimum;
	if (entitled && in->age && (in->age <= 18 || in->age >= 50) && entitled < minimum)
		entitled = minimum;
	if (entitled && in->underground) {
		const struct fs_table_row *row = fs_rtable_at(comp->underground, in->terminated);
		if (row)
			entitled += row->value.num / row->value.den;
	}
	STEP(c, name, "leave.entitlement", json_pack("{s:I}", "entitled", (json_int_t)entitled), ent_law(c, comp));
	if (entitled && in->unused_leave_days > entitled)
		WARN(c, "warn.leave_exceeds", json_pack("{s:I,s:I}", "unused", (json_int_t)in->unused_leave_days,
							"entitled", (json_int_t)entitled));
	if (!in->unused_leave_days)
		return 0;
	int64_t divisor = comp->day_divisor;
	*amount = ent_round_div((__int128)in->wage_minor * in->unused_leave_days, divisor > 0 ? divisor : 30);
	STEP(c, name, "leave.amount", json_pack("{s:I,s:o,s:o}", "unused", (json_int_t)in->unused_leave_days, "wage",
						ent_money(in->wage_minor), "amount", ent_money(*amount)), ent_law(c, comp));
	return 0;
}

static int months_of_wage(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	if (!c->in->unpaid_months)
		return 0;
	if (c->in->wage_minor > INT64_MAX / 601)
		return fs_fail(c->err, FS_EINVAL, "wage", "the wage is too large");
	*amount = c->in->wage_minor * c->in->unpaid_months;
	STEP(c, name, "unpaid.amount", json_pack("{s:I,s:o,s:o}", "unpaid_months", (json_int_t)c->in->unpaid_months, "wage",
						 ent_money(c->in->wage_minor), "amount", ent_money(*amount)), ent_law(c, comp));
	return 0;
}

static int tr_overtime(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	const struct fs_entitle_in *in = c->in;
	if (!in->overtime_hours_x100)
		return 0;
	struct fs_ratio div, mult;
	const char *ds = fs_rules_convention(c->r, "overtime_divisor", in->conventions);
	const char *ms = fs_rules_convention(c->r, "overtime_multiplier", in->conventions);
	if (!ds || !ms || fs_ratio_parse(ds, &div) || fs_ratio_parse(ms, &mult) || div.num <= 0 || mult.num <= 0)
		return fs_fail(c->err, FS_EINVAL, "convention", "overtime_divisor and overtime_multiplier must be positive numbers");
	/* wage × hours × multiplier / divisor, hours in hundredths */
	*amount = ent_round_div((__int128)in->wage_minor * in->overtime_hours_x100 * mult.num * div.den,
			    (__int128)100 * mult.den * div.num);
	char hours[32];
	fs_money_format(in->overtime_hours_x100, 2, hours);
	STEP(c, name, "overtime.amount", json_pack("{s:s,s:o,s:s,s:s,s:o}", "hours", hours, "wage", ent_money(in->wage_minor),
						   "divisor", ds, "multiplier", ms, "amount", ent_money(*amount)), ent_law(c, comp));
	return 0;
}

typedef int (*method_fn)(struct calc *, const char *, const struct fs_rcomp *, int64_t *);

/* the method of each enum fs_method (the rule set names it; rules.c compiles the name) */
static const method_fn method_fns[FS_M_COUNT] = {
    [FS_M_TR_SEVERANCE] = tr_severance, [FS_M_TR_NOTICE] = tr_notice,
    [FS_M_TR_LEAVE] = tr_leave,		[FS_M_MONTHS_OF_WAGE] = months_of_wage,
    [FS_M_TR_OVERTIME] = tr_overtime,	[FS_M_KZ_COMPENSATION] = kz_compensation,
    [FS_M_KZ_LEAVE] = kz_leave,		[FS_M_KZ_PENALTY] = kz_penalty};

static json_t *inputs_json(const struct fs_entitle_in *in)
{
	char h[11], t[11], a[11];
	fs_date_format(in->hired, h);
	fs_date_format(in->terminated, t);
	fs_date_format(in->as_of, a);
	char hours[32];
	fs_money_format(in->overtime_hours_x100, 2, hours);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:b,s:b,s:I,s:s}", "jurisdiction", in->jurisdiction,
			      "hired", h, "terminated", t, "reason", in->reason, "wage_minor", (json_int_t)in->wage_minor,
			      "benefits_minor", (json_int_t)in->benefits_minor, "unused_leave_days",
			      (json_int_t)in->unused_leave_days, "unpaid_months", (json_int_t)in->unpaid_months,
			      "overtime_hours", hours, "underground", in->underground, "notice_served", in->notice_served,
			      "age", (json_int_t)in->age, "as_of", a);
	if (in->has_accruals)
		json_object_set_new(j, "accruals_12m_minor", json_integer(in->accruals_minor));
	if (in->days_worked)
		json_object_set_new(j, "days_worked_12m", json_integer(in->days_worked));
	if (in->period_days)
		json_object_set_new(j, "period_working_days", json_integer(in->period_days));
	if (json_object_size(in->conventions))
		json_object_set(j, "conventions", in->conventions);
	return j;
}

char *fs_entitle_inputs_json(const struct fs_entitle_in *in)
{
	json_t *j = inputs_json(in);
	json_object_del(j, "as_of"); /* a claim does not change with the day it is looked at */
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* The calculation fs_entitle and fs_entitle_amounts share: the inputs checked,
 * the service counted and every component computed into c->amount (in the rule
 * set's order). The steps are written only when the caller wants them (quiet
 * off: c->steps etc. made by the caller). */
static int calc_run(struct calc *c, const struct fs_entitle_in *in, struct fs_error *err)
{
	if (!in->jurisdiction[0])
		return fs_fail(err, FS_EINVAL, "jurisdiction", "give the jurisdiction (%s)", fs_rules_available());
	const struct fs_rules *r;
	int rc = fs_rules_get(in->jurisdiction, &r, err);
	if (rc)
		return rc;
	if (!in->has_hired || !in->has_terminated)
		return fs_fail(err, FS_EINVAL, in->has_hired ? "terminated" : "hired", "give both the hire and the termination date");
	if (in->terminated < in->hired)
		return fs_fail(err, FS_EINVAL, "terminated", "the termination date is before the hire date");
	if (!in->has_wage)
		return fs_fail(err, FS_EINVAL, "wage", "give the last gross monthly wage");
	if (!in->reason[0])
		return fs_fail(err, FS_EINVAL, "reason", "give the termination reason");
	int known = 0;
	size_t i;
	json_t *v;
	for (i = 0; i < r->nreasons && !known; i++)
		known = r->reasons[i] && !strcmp(r->reasons[i], in->reason);
	if (!known) {
		char list[512] = "";
		size_t used = 0;
		json_array_foreach(json_object_get(r->root, "reasons"), i, v)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", json_string_value(v));
		return fs_fail(err, FS_EINVAL, "reason", "'%s' is not a termination reason of %s (%s)", in->reason, r->jurisdiction, list);
	}
	const char *name;
	json_t *cv;
	json_object_foreach(in->conventions, name, cv) {
		json_t *def = json_object_get(json_object_get(r->root, "conventions"), name);
		json_t *choices = json_object_get(def, "choices");
		int ok = def != NULL && !choices;
		json_array_foreach(choices, i, v) ok |= !strcmp(json_string_value(v), json_string_value(cv));
		if (!ok)
			return fs_fail(err, FS_EINVAL, "convention", "'%s=%s' is not a convention of %s", name, json_string_value(cv),
				       r->version);
	}
	c->r = r;
	c->in = in;
	c->err = err;
	c->cal = service_of(in->hired, in->terminated);
	c->days365 = !strcmp(fs_rules_convention(r, "service_counting", in->conventions) ?: "", "days_365");
	if (c->days365)
		STEP(c, "service", "service_365", json_pack("{s:o,s:o,s:I,s:I,s:I}", "hired", ent_date(in->hired), "terminated",
							    ent_date(in->terminated), "total_days", (json_int_t)c->cal.total_days,
							    "years", (json_int_t)(c->cal.total_days / 365), "days",
							    (json_int_t)(c->cal.total_days % 365)), NULL);
	else
		STEP(c, "service", "service", json_pack("{s:o,s:o,s:i,s:i,s:i}", "hired", ent_date(in->hired), "terminated",
							ent_date(in->terminated), "years", c->cal.years, "months", c->cal.months,
							"days", c->cal.days), NULL);
	for (size_t k = 0; k < r->ncomps; k++) {
		const struct fs_rcomp *comp = &r->comps[k];
		name = comp->name;
		int64_t amount = 0;
		if (c->ncomp == ENT_MAX_COMPONENTS)
			return fs_fail(err, FS_EINVAL, "rules", "rules %s have more than %d components", r->version, ENT_MAX_COMPONENTS);
		rc = method_fns[comp->method](c, name, comp, &amount);
		if (rc)
			return rc;
		if (comp->method != FS_M_KZ_PENALTY) {
			if (__builtin_add_overflow(c->owed_at_termination, amount, &c->owed_at_termination))
				return fs_fail(err, FS_EINVAL, name, "the amounts owed overflow");
		}
		if (amount == 0 && comp->method == FS_M_MONTHS_OF_WAGE)
			STEP(c, name, "zero", json_object(), ent_law(c, comp));
		c->comp_name[c->ncomp] = name;
		c->comp_amount[c->ncomp++] = amount;
		if (__builtin_add_overflow(c->total, amount, &c->total))
			return fs_fail(err, FS_EINVAL, name, "the total owed overflows");
	}
	return 0;
}

int fs_entitle_amounts(const struct fs_entitle_in *in, struct fs_entitle_amounts *out, struct fs_error *err)
{
	struct fs_entitle_in q = *in;
	q.quiet = 1;
	struct calc c = {0};
	int rc = calc_run(&c, &q, err);
	if (rc)
		return rc;
	out->rules_version = c.r->version;
	out->currency = c.r->currency;
	out->n = c.ncomp;
	for (size_t i = 0; i < c.ncomp; i++) {
		out->kind[i] = c.comp_name[i];
		out->amount[i] = c.comp_amount[i];
	}
	return 0;
}

int fs_entitle(const struct fs_entitle_in *in, const char *lang, json_t **ret, struct fs_error *err)
{
	static const char *const langs[] = {"en", "tr", "ru", "kk", NULL};
	size_t li = 0;
	while (lang && langs[li] && strcmp(langs[li], lang))
		li++;
	if (lang && !langs[li])
		return fs_fail(err, FS_EINVAL, "lang", "'%.8s' is not a language of fairshare (en, tr, ru, kk)", lang);
	struct calc c = {.in = in, .lang = lang ? lang : "en", .err = err};
	c.steps = json_array();
	c.warnings = json_array();
	c.codes = json_array();
	c.components = json_object();
	int rc = calc_run(&c, in, err);
	const struct fs_rules *r = c.r;
	for (size_t k = 0; !rc && k < c.ncomp; k++)
		json_object_set_new(c.components, c.comp_name[k], json_integer(c.comp_amount[k]));
	c.limitation = NULL;
	if (!rc) {
		ent_limitation(&c);
		STEP(&c, "total", "total", json_pack("{s:o}", "total", ent_money(c.total)), NULL);
	}
	if (rc) {
		json_decref(c.steps);
		json_decref(c.warnings);
		json_decref(c.codes);
		json_decref(c.components);
		json_decref(c.limitation);
		return rc;
	}
	/* the components' names in the language asked for */
	json_t *labels = json_object();
	const char *lk[] = {"service", "total", "limitation"};
	for (size_t k = 0; k < 3 + json_object_size(c.components); k++) {
		const char *cn = k < 3 ? lk[k] : NULL;
		if (!cn) {
			size_t idx = 0;
			const char *key;
			json_t *val;
			json_object_foreach(c.components, key, val) if (idx++ == k - 3) cn = key;
		}
		char tk[64];
		snprintf(tk, sizeof(tk), "component.%s", cn);
		char *label = fs_rules_text(r, c.lang, tk, NULL);
		json_object_set_new(labels, cn, json_string(label && strcmp(label, tk) ? label : cn));
		free(label);
	}
	*ret = json_pack("{s:s,s:s,s:s,s:{s:i,s:i,s:i,s:I},s:o,s:I,s:o,s:o,s:o,s:o}", "jurisdiction", r->jurisdiction,
			 "currency", r->currency, "rules_version", r->version, "service", "years", c.cal.years, "months",
			 c.cal.months, "days", c.cal.days, "total_days", (json_int_t)c.cal.total_days, "components",
			 c.components, "total", (json_int_t)c.total, "steps", c.steps, "warnings", c.warnings,
			 "warning_codes", c.codes, "inputs", inputs_json(in));
	json_object_set_new(*ret, "labels", labels);
	json_object_set_new(*ret, "limitation", c.limitation);
	return 0;
}
