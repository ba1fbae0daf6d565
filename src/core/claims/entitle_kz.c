/* entitle_kz.c - the KZ methods of the entitlement engine (compensation for loss
 * of work, unused leave from the average daily wage, the late-payment penalty on
 * the refinancing or base rate) and the limitation periods by kind of claim.
 *
 * Exact money as in entitle.c: one rational expression per component, 128-bit
 * intermediates, rounded half-up once. */
#include "entitle_int.h"

#include <stdlib.h>
#include <string.h>

/* The row of table key (a component parameter) in force on d, or an error
 * naming the table and what it covers. */
/* The 12 months' accruals: given, or 12 × the monthly wage. */
static int accruals_of(struct calc *c, int64_t *out)
{
	const struct fs_entitle_in *in = c->in;
	if (in->has_accruals)
		return *out = in->accruals_minor, 0;
	if (in->wage_minor > INT64_MAX / 12)
		return fs_fail(c->err, FS_EINVAL, "wage", "the wage is too large");
	*out = in->wage_minor * 12;
	return 0;
}

/* One average monthly wage as a ratio (num/den in minor units). */
static int kz_average(struct calc *c, const char *name, const struct fs_rcomp *comp, __int128 *num,
		      __int128 *den)
{
	const struct fs_entitle_in *in = c->in;
	int64_t accruals = 0;
	int rc = accruals_of(c, &accruals);
	if (rc)
		return rc;
	const char *method = fs_rules_convention(c->r, "average_wage_method", in->conventions);
	if (method && !strcmp(method, "daily_average")) {
		if (!in->days_worked || !in->period_days)
			return fs_fail(c->err, FS_EINVAL, "days_worked",
				       "the daily_average method needs --days-worked and --period-working-days");
		*num = (__int128)accruals * in->period_days;
		*den = in->days_worked;
		STEP(c, name, "average.daily", json_pack("{s:o,s:I,s:o,s:I,s:o}", "accruals", ent_money(accruals), "days_worked",
							 (json_int_t)in->days_worked, "daily",
							 ent_money(ent_round_div(accruals, in->days_worked)), "period_days",
							 (json_int_t)in->period_days, "average", ent_money(ent_round_div(*num, *den))),
		     ent_law(c, comp));
		return 0;
	}
	*num = accruals;
	*den = 12;
	STEP(c, name, "average.div12", json_pack("{s:o,s:o}", "accruals", ent_money(accruals), "average",
						 ent_money(ent_round_div(accruals, 12))), ent_law(c, comp));
	return 0;
}

int kz_compensation(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	if (!ent_reason_applies(comp, c->in->reason))
		return ent_not_due(c, name, comp, "not_due.reason"), 0;
	__int128 num = 0, den = 1;
	int rc = kz_average(c, name, comp, &num, &den);
	if (rc)
		return rc;
	/* how many average monthly wages: 1, unless a table for the reason says
	 * otherwise on the termination date (the 2007 Code's 3 on the employer's breach) */
	struct fs_ratio months = {1, 1};
	const struct fs_rtable *t = NULL;
	for (size_t i = 0; i < comp->nmonths && !t; i++)
		if (!strcmp(comp->months_reason[i], c->in->reason))
			t = comp->months_table[i]; /* a table of the rule set: the load checked it */
	const char *mtext = "1";
	if (t) {
		const struct fs_table_row *row;
		if ((rc = ent_row_in(c, t, c->in->terminated, &row)))
			return rc;
		if (row->value.num <= 0)
			return fs_fail(c->err, FS_EINVAL, "terminated", "table %s: the number of months must be positive", t->name);
		months = row->value;
		mtext = row->text;
		ent_warn_unverified(c, t, row, c->in->terminated);
	}
	*amount = ent_round_div(num * months.num, den * months.den);
	STEP(c, name, "compensation.amount", json_pack("{s:s,s:o}", "months", mtext, "amount", ent_money(*amount)),
	     ent_law(c, comp));
	return 0;
}

int kz_leave(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	const struct fs_entitle_in *in = c->in;
	const struct fs_table_row *row = fs_rtable_at(comp->entitlement_table, in->terminated);
	int64_t entitled = row ? row->value.num / row->value.den : 0;
	if (in->underground) {
		const struct fs_table_row *ur = fs_rtable_at(comp->underground, in->terminated);
		entitled += ur ? ur->value.num / ur->value.den : 0;
	}
	STEP(c, name, "leave.entitlement", json_pack("{s:I}", "entitled", (json_int_t)entitled), ent_law(c, comp));
	if (!in->unused_leave_days)
		return 0;
	int64_t accruals = 0;
	int rc = accruals_of(c, &accruals);
	if (rc)
		return rc;
	__int128 num, den;
	if (in->days_worked) {
		/* Order 908: accruals of the 12 months / days actually worked */
		num = accruals;
		den = in->days_worked;
		STEP(c, name, "leave.daily_worked", json_pack("{s:o,s:I,s:o}", "accruals", ent_money(accruals), "days_worked",
							      (json_int_t)in->days_worked, "daily",
							      ent_money(ent_round_div(num, den))), ent_law(c, comp));
	} else {
		/* not known: the average monthly wage / the year's average calendar
		 * days a month (working-time balance), said in a warning */
		const struct fs_rtable *bt = comp->calendar_days; /* NULL: the component names none */
		const struct fs_table_row *br;
		if (!bt)
			return fs_fail(c->err, FS_EINVAL, "days_worked",
				       "give the days worked in the 12 months (--days-worked): rules %s have no working-time balance",
				       c->r->version);
		if ((rc = ent_row_in(c, bt, in->terminated, &br)))
			return rc;
		if (br->value.num <= 0)
			return fs_fail(c->err, FS_EINVAL, "terminated", "table %s: the days a month must be positive", bt->name);
		int y, m, d;
		fs_date_to_ymd(in->terminated, &y, &m, &d);
		WARN(c, "warn.days_worked_unknown", json_pack("{s:i,s:s}", "year", y, "days", br->text));
		ent_warn_unverified(c, bt, br, in->terminated);
		num = (__int128)accruals * br->value.den;
		den = (__int128)12 * br->value.num;
		STEP(c, name, "leave.daily_balance", json_pack("{s:o,s:s,s:i,s:o}", "average", ent_money(ent_round_div(accruals, 12)),
							       "days", br->text, "year", y, "daily",
							       ent_money(ent_round_div(num, den))), ent_law(c, comp));
	}
	*amount = ent_round_div(num * in->unused_leave_days, den);
	STEP(c, name, "leave.amount", json_pack("{s:I,s:o,s:o}", "unused", (json_int_t)in->unused_leave_days, "daily",
						ent_money(ent_round_div(num, den)), "amount", ent_money(*amount)), ent_law(c, comp));
	return 0;
}

static fs_date add_working_days(fs_date d, int64_t n)
{
	while (n > 0) {
		d++;
		int dow = (int)((d % 7 + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
		if (dow < 5)
			n--;
	}
	return d;
}

/* The rate in force on d among the component's rate tables (rate_tables: the
 * refinancing rate until 31.03.2017, the base rate after; or one rate_table). */
static const struct fs_table_row *rate_at(const struct fs_rcomp *comp, fs_date d, const struct fs_rtable **t)
{
	for (size_t i = 0; i < comp->nrates; i++) {
		const struct fs_rtable *rt = comp->rates[i];
		const struct fs_table_row *row = fs_rtable_at(rt, d);
		if (row)
			return *t = rt, row;
	}
	*t = NULL;
	return NULL;
}

static json_t *rate_name(struct calc *c, const struct fs_rtable *t)
{
	char key[96];
	snprintf(key, sizeof(key), "rate.%s", t->name);
	char *s = fs_rules_text(c->r, c->lang, key, NULL);
	json_t *j = json_string(s && strcmp(s, key) ? s : t->name);
	free(s);
	return j;
}

static __int128 gcd128(__int128 a, __int128 b)
{
	if (a < 0)
		a = -a;
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a ? a : 1;
}

/* num/den += pn/pd, kept in lowest terms: the denominators are powers of ten
 * times the day basis, so den stays below their least common multiple */
static void add_part(__int128 *num, __int128 *den, __int128 pn, __int128 pd)
{
	__int128 g = gcd128(*den, pd);
	*num = *num * (pd / g) + pn * (*den / g);
	*den = *den / g * pd;
	g = gcd128(*num, *den);
	*num /= g;
	*den /= g;
}

int kz_penalty(struct calc *c, const char *name, const struct fs_rcomp *comp, int64_t *amount)
{
	const struct fs_entitle_in *in = c->in;
	int64_t principal = c->owed_at_termination;
	const char *wd = fs_rules_convention(c->r, "payment_due_working_days", in->conventions);
	struct fs_ratio wdr = {3, 1};
	if (wd && (fs_ratio_parse(wd, &wdr) || wdr.den != 1 || wdr.num < 0 || wdr.num > 60))
		return fs_fail(c->err, FS_EINVAL, "convention", "payment_due_working_days must be a whole number of days");
	const char *bs = fs_rules_convention(c->r, "penalty_day_count", in->conventions);
	int64_t basis = 365;
	if (bs && !strcmp(bs, "360"))
		basis = 360;
	else if (bs && strcmp(bs, "365"))
		return fs_fail(c->err, FS_EINVAL, "convention", "penalty_day_count is 365 or 360");
	const char *mode = fs_rules_convention(c->r, "penalty_rate_day", in->conventions);
	int payment_day = mode && !strcmp(mode, "payment_day");
	fs_date due = add_working_days(in->terminated, wdr.num);
	if (principal <= 0 || in->as_of <= due) {
		STEP(c, name, "penalty.none", json_pack("{s:o}", "as_of", ent_date(in->as_of)), ent_law(c, comp));
		return 0;
	}
	STEP(c, name, "penalty.due", json_pack("{s:o,s:o,s:o}", "principal", ent_money(principal), "due", ent_date(due), "as_of",
					       ent_date(in->as_of)), ent_law(c, comp));
	const struct fs_rtable *mults = comp->multiplier;
	__int128 num = 0, den = 1;
	fs_date d = due + 1;
	while (d <= in->as_of) {
		/* payment_day: the rate and multiplier in force on the day the
		 * obligation is met (as_of) for every day late; each_period: each
		 * day's own */
		fs_date at = payment_day ? in->as_of : d;
		const struct fs_rtable *rates;
		const struct fs_table_row *r = rate_at(comp, at, &rates), *m = fs_rtable_at(mults, at);
		if (!r || !m) {
			WARN(c, "warn.no_rate", json_pack("{s:o,s:s}", "date", ent_date(at), "table",
							  r ? mults->name : rates ? rates->name : "rate_tables"));
			break;
		}
		fs_date end = in->as_of;
		if (!payment_day && r->to < end)
			end = r->to;
		if (!payment_day && m->to < end)
			end = m->to;
		int64_t days = end - d + 1;
		__int128 pn = (__int128)principal * m->value.num * r->value.num * days;
		__int128 pd = (__int128)m->value.den * r->value.den * 100 * basis;
		json_t *p = json_pack("{s:o,s:o,s:o,s:s,s:s,s:o,s:I,s:I,s:o}", "from", ent_date(d), "to", ent_date(end), "principal",
				      ent_money(principal), "multiplier", m->text, "rate", r->text, "rate_name", rate_name(c, rates),
				      "period_days", (json_int_t)days, "basis", (json_int_t)basis, "part",
				      ent_money(ent_round_div(pn, pd)));
		if (payment_day)
			json_object_set_new(p, "paid_on", ent_date(in->as_of));
		if (!in->quiet)
			ent_step(c, name, payment_day ? "penalty.payment_day" : "penalty.period", p, ent_law(c, comp));
		else
			json_decref(p);
		ent_warn_unverified(c, rates, r, at);
		ent_warn_unverified(c, mults, m, at);
		add_part(&num, &den, pn, pd);
		d = end + 1;
	}
	*amount = ent_round_div(num, den);
	STEP(c, name, "penalty.amount", json_pack("{s:o}", "amount", ent_money(*amount)), ent_law(c, comp));
	return 0;
}

/* ---- limitation ---- */

/* Months of the limitation period of kind ("money", "reinstatement", ...) for
 * a termination date: from limitation_by_kind, or for money the years of
 * limitation_table. */
static const struct fs_table_row *period_of(const struct fs_rules *r, const char *kind, fs_date terminated,
					    const struct fs_rtable **t, int *months)
{
	const struct fs_table_row *row;
	if (r->has_lim_by_kind) {
		*t = NULL;
		for (size_t i = 0; i < r->nlim && !*t; i++)
			if (!strcmp(r->lim_kind[i], kind))
				*t = r->lim_table[i];
		row = fs_rtable_at(*t, terminated);
		if (row)
			*months = (int)(row->value.num / row->value.den);
		return row;
	}
	if (strcmp(kind, "money"))
		return NULL;
	*t = r->limitation_table;
	row = fs_rtable_at(*t, terminated);
	if (row)
		*months = 12 * (int)(row->value.num / row->value.den);
	return row;
}

void ent_limitation(struct calc *c)
{
	int by = c->r->has_lim_by_kind;
	size_t nkinds = by ? c->r->nlim : 1;
	c->limitation = json_array();
	for (size_t k = 0; k < nkinds; k++) {
		const char *kind = by ? c->r->lim_kind[k] : "money";
		const struct fs_rtable *t;
		int months = 0;
		const struct fs_table_row *row = period_of(c->r, kind, c->in->terminated, &t, &months);
		if (!row)
			continue;
		fs_date deadline = ent_add_months(c->in->terminated, months);
		int near_days = months >= 12 ? 180 : 30;
		const char *status = deadline < c->in->as_of ? "passed" : deadline - c->in->as_of <= near_days ? "near" : "open";
		json_array_append_new(c->limitation, json_pack("{s:s,s:i,s:o,s:s,s:s?}", "kind", kind, "months", months, "deadline",
							       ent_date(deadline), "status", status, "law", t->law));
		json_t *l = by ? json_pack("{s:i,s:o}", "months", months, "deadline", ent_date(deadline))
			       : json_pack("{s:i,s:o}", "years", months / 12, "deadline", ent_date(deadline));
		char key[96];
		if (by) { /* TR keeps its warnings only; KZ explains each period */
			snprintf(key, sizeof(key), "limitation.%s", kind);
			STEP(c, "limitation", key, json_incref(l), t->law);
		}
		if (strcmp(status, "open")) {
			snprintf(key, sizeof(key), "warn.%s%slimitation_%s", strcmp(kind, "money") ? kind : "",
				 strcmp(kind, "money") ? "_" : "", status);
			WARN(c, key, json_incref(l));
		}
		ent_warn_unverified(c, t, row, c->in->terminated);
		json_decref(l);
	}
}

int fs_entitle_deadline_of(const struct fs_entitle_in *in, const char *kind, fs_date *ret, int *months, struct fs_error *err)
{
	const struct fs_rules *r;
	int rc = fs_rules_get(in->jurisdiction, &r, err);
	if (rc)
		return rc;
	const struct fs_rtable *t;
	int m = 0;
	if (!period_of(r, kind, in->terminated, &t, &m))
		return fs_fail(err, FS_ENOTFOUND, "terminated", "no %s limitation period for that date in rules %s", kind, r->version);
	*ret = ent_add_months(in->terminated, m);
	if (months)
		*months = m;
	return 0;
}

int fs_entitle_deadline(const struct fs_entitle_in *in, fs_date *ret, struct fs_error *err)
{
	return fs_entitle_deadline_of(in, "money", ret, NULL, err);
}
