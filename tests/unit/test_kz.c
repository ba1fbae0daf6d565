/* test_kz.c - the KZ rule set's engine parts: the loader refuses the new shapes
 * when wrong (overlapping rate tables, law_by_date out of order, a source that is
 * not text, unknown tables); the law of the day; the limitation periods by kind;
 * and properties of the penalty on random cases (the two rate-day conventions
 * agree while the rate is constant; 360 vs 365 days; never decreasing with time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fairshare.h"
#include "core/rules.h"
#include "util/money.h"

static const struct fs_rules *kz(void)
{
	const struct fs_rules *r = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_rules_get("KZ", &r, &err), 0);
	return r;
}

/* parse a changed copy of the built-in KZ file; returns the loader's rc */
static int parse_changed(void (*change)(json_t *), char *msg, size_t n)
{
	json_t *root = json_deep_copy(kz()->root);
	change(root);
	char *text = json_dumps(root, 0);
	struct fs_rules *r = NULL;
	struct fs_error err = {0};
	int rc = fs_rules_parse(text, strlen(text), "test", &r, &err);
	snprintf(msg, n, "%s", err.message);
	fs_rules_free(r);
	free(text);
	json_decref(root);
	return rc;
}

static json_t *table_rows(json_t *root, const char *t)
{
	return json_object_get(json_object_get(json_object_get(root, "tables"), t), "rows");
}

static void overlap(json_t *root)
{
	json_t *rows = table_rows(root, "refinancing_rate_percent");
	json_array_set_new(json_array_get(rows, json_array_size(rows) - 1), 1, json_string("2017-04-01"));
}
static void law_order(json_t *root)
{
	json_t *l = json_object_get(json_object_get(json_object_get(root, "components"), "penalty"), "law_by_date");
	json_array_set_new(json_array_get(l, 1), 0, json_string("2015-12-31"));
}
static void law_shape(json_t *root)
{
	json_t *l = json_object_get(json_object_get(json_object_get(root, "components"), "compensation"), "law_by_date");
	json_array_append_new(json_array_get(l, 0), json_string("extra"));
}
static void bad_source(json_t *root)
{
	json_array_set_new(json_array_get(table_rows(root, "base_rate_percent"), 2), 4, json_integer(1));
}
static void six_elements(json_t *root)
{
	json_array_append_new(json_array_get(table_rows(root, "base_rate_percent"), 0), json_string("x"));
}
static void unknown_rate_table(json_t *root)
{
	json_array_append_new(json_object_get(json_object_get(json_object_get(root, "components"), "penalty"), "rate_tables"),
			      json_string("no_such_table"));
}
static void unknown_kind_table(json_t *root)
{
	json_object_set_new(json_object_get(root, "limitation_by_kind"), "reinstatement", json_string("no_such_table"));
}
static void unknown_months_table(json_t *root)
{
	json_object_set_new(json_object_get(json_object_get(json_object_get(root, "components"), "compensation"), "months_tables"),
			    "liquidation", json_string("no_such_table"));
}
static void unknown_calendar_table(json_t *root)
{
	json_object_set_new(json_object_get(json_object_get(root, "components"), "annual_leave"), "calendar_days_table",
			    json_string("no_such_table"));
}
static void nothing(json_t *root)
{
	(void)root;
}

static void test_loader(void **state)
{
	(void)state;
	char msg[512];
	assert_int_equal(parse_changed(nothing, msg, sizeof(msg)), 0);
	assert_int_not_equal(parse_changed(overlap, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "both in force"));
	assert_int_not_equal(parse_changed(law_order, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "component penalty: law_by_date row 2"));
	assert_int_not_equal(parse_changed(law_shape, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "law_by_date row 1"));
	assert_int_not_equal(parse_changed(bad_source, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "table base_rate_percent, row 3"));
	assert_int_not_equal(parse_changed(six_elements, msg, sizeof(msg)), 0);
	assert_int_not_equal(parse_changed(unknown_rate_table, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "rate_tables entry 3"));
	assert_int_not_equal(parse_changed(unknown_kind_table, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "limitation_by_kind: reinstatement"));
	assert_int_not_equal(parse_changed(unknown_months_table, msg, sizeof(msg)), 0);
	assert_int_not_equal(parse_changed(unknown_calendar_table, msg, sizeof(msg)), 0);
	assert_non_null(strstr(msg, "calendar_days_table"));
	/* every row of the KZ file names its source */
	const struct fs_rules *r = kz();
	for (size_t t = 0; t < r->ntables; t++)
		for (size_t i = 0; i < r->tables[t].n; i++)
			assert_non_null(r->tables[t].rows[i].source);
}

static void test_law_of_the_day(void **state)
{
	(void)state;
	json_t *pen = json_object_get(json_object_get(kz()->root, "components"), "penalty");
	assert_non_null(strstr(fs_rules_law_at(pen, fs_date_from_ymd(2011, 12, 16)), "2007"));
	assert_non_null(strstr(fs_rules_law_at(pen, fs_date_from_ymd(2015, 12, 31)), "2007"));
	assert_non_null(strstr(fs_rules_law_at(pen, fs_date_from_ymd(2016, 1, 1)), "2015"));
	json_t *unpaid = json_object_get(json_object_get(kz()->root, "components"), "unpaid_wages");
	assert_string_equal(fs_rules_law_at(unpaid, fs_date_from_ymd(2011, 1, 1)), "Labour Code Art. 113");
}

/* The rule set compiled at load (rules.c) says what its JSON says: every
 * component in order with its method, law of each day, reasons, numbers, bands
 * and tables; the conventions, reasons and limitation periods of the file. */
static void same_bands(json_t *list, const char *below, const char *upto, const struct fs_rband *b, size_t n)
{
	assert_int_equal(n, json_array_size(list));
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_array_get(list, i);
		assert_int_equal(b[i].has_below, json_object_get(j, below) != NULL);
		assert_int_equal(b[i].has_upto, json_object_get(j, upto) != NULL);
		assert_int_equal(b[i].below, json_integer_value(json_object_get(j, below)));
		assert_int_equal(b[i].upto, json_integer_value(json_object_get(j, upto)));
		assert_int_equal(b[i].days, json_integer_value(json_object_get(j, "days")));
	}
}

static void same_table(const struct fs_rules *r, json_t *comp, const char *key, const struct fs_rtable *t)
{
	assert_ptr_equal(t, fs_rules_table(r, json_string_value(json_object_get(comp, key))));
}

static void check_compiled(const struct fs_rules *r)
{
	static const char *const methods[] = {"tr_severance", "tr_notice",	 "tr_leave", "months_of_wage",
					      "tr_overtime",  "kz_compensation", "kz_leave", "kz_penalty"};
	json_t *comps = json_object_get(r->root, "components");
	assert_int_equal(r->ncomps, json_object_size(comps));
	size_t k = 0;
	const char *name;
	json_t *c;
	json_object_foreach(comps, name, c)
	{
		const struct fs_rcomp *o = &r->comps[k++];
		assert_string_equal(o->name, name);
		assert_ptr_equal(o->json, c);
		assert_string_equal(methods[o->method], json_string_value(json_object_get(c, "method")));
		for (int y = 1990; y <= 2030; y++)
			for (int m = 1; m <= 12; m += 5) {
				fs_date d = fs_date_from_ymd(y, m, 1);
				assert_ptr_equal(fs_rcomp_law_at(o, d), fs_rules_law_at(c, d));
				assert_ptr_equal(fs_rcomp_law_at(o, d - 1), fs_rules_law_at(c, d - 1));
			}
		json_t *reasons = json_object_get(c, "reasons");
		assert_int_equal(o->has_reasons, reasons != NULL);
		assert_int_equal(o->nreasons, json_array_size(reasons));
		for (size_t i = 0; i < o->nreasons; i++)
			assert_string_equal(o->reasons[i], json_string_value(json_array_get(reasons, i)));
		assert_int_equal(o->min_service_years,
				 json_integer_value(json_object_get(c, "min_service_years")));
		assert_int_equal(o->day_divisor, json_integer_value(json_object_get(c, "day_divisor")));
		assert_int_equal(o->young_or_old_minimum,
				 json_integer_value(json_object_get(c, "young_or_old_minimum")));
		same_bands(json_object_get(c, "bands"), "below_months", "up_to_months", o->bands, o->nbands);
		same_bands(json_object_get(c, "entitlement"), "below_years", "up_to_years", o->entitlement,
			   o->nentitlement);
		same_table(r, c, "ceiling_table", o->ceiling);
		same_table(r, c, "stamp_tax_table", o->stamp_tax);
		same_table(r, c, "underground_table", o->underground);
		same_table(r, c, "entitlement_table", o->entitlement_table);
		same_table(r, c, "multiplier_table", o->multiplier);
		same_table(r, c, "calendar_days_table", o->calendar_days);
		json_t *rates = json_object_get(c, "rate_tables");
		assert_int_equal(o->nrates, rates ? json_array_size(rates) : 1);
		for (size_t i = 0; i < o->nrates; i++)
			assert_ptr_equal(
			    o->rates[i],
			    rates ? fs_rules_table(r, json_string_value(json_array_get(rates, i)))
				  : fs_rules_table(r, json_string_value(json_object_get(c, "rate_table"))));
		json_t *mt = json_object_get(c, "months_tables");
		assert_int_equal(o->nmonths, json_object_size(mt));
		for (size_t i = 0; i < o->nmonths; i++) {
			assert_non_null(o->months_table[i]);
			assert_ptr_equal(
			    o->months_table[i],
			    fs_rules_table(r, json_string_value(json_object_get(mt, o->months_reason[i]))));
		}
	}
	json_t *reasons = json_object_get(r->root, "reasons");
	assert_int_equal(r->nreasons, json_array_size(reasons));
	for (size_t i = 0; i < r->nreasons; i++)
		assert_string_equal(r->reasons[i], json_string_value(json_array_get(reasons, i)));
	json_t *conv = json_object_get(r->root, "conventions");
	assert_int_equal(r->nconvs, json_object_size(conv));
	json_t *v;
	json_object_foreach(conv, name, v)
	{
		assert_ptr_equal(fs_rules_convention(r, name, NULL),
				 json_string_value(json_object_get(v, "value")));
		json_t *o = json_pack("{s:s}", name, "given");
		assert_string_equal(fs_rules_convention(r, name, o),
				    "given"); /* the case's own choice first */
		json_decref(o);
	}
	assert_null(fs_rules_convention(r, "no_such_convention", NULL));
	json_t *by = json_object_get(r->root, "limitation_by_kind");
	assert_int_equal(r->has_lim_by_kind, by != NULL);
	assert_int_equal(r->nlim, json_object_size(by));
	for (size_t i = 0; i < r->nlim; i++)
		assert_ptr_equal(r->lim_table[i],
				 fs_rules_table(r, json_string_value(json_object_get(by, r->lim_kind[i]))));
	assert_ptr_equal(r->limitation_table,
			 fs_rules_table(r, json_string_value(json_object_get(r->root, "limitation_table"))));
}

/* a band of each kind without one of its keys, a component without reasons */
static void odd_bands(json_t *root)
{
	json_t *comps = json_object_get(root, "components");
	json_object_set_new(comps, "notice",
			    json_pack("{s:s,s:s,s:[{s:i,s:i},{s:i},{s:i}],s:i}", "method", "tr_notice", "law",
				      "n", "bands", "up_to_months", 7, "days", 9, "below_months", 30, "days",
				      44, "day_divisor", 26));
	json_object_set_new(comps, "annual_leave",
			    json_pack("{s:s,s:s,s:[{s:i,s:i},{s:i}],s:i}", "method", "tr_leave", "law", "l",
				      "entitlement", "below_years", 3, "days", 11, "up_to_years", 9,
				      "young_or_old_minimum", 17));
}

static void test_compiled(void **state)
{
	(void)state;
	check_compiled(kz());
	const struct fs_rules *tr = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_rules_get("TR", &tr, &err), 0);
	check_compiled(tr);
	json_t *root = json_deep_copy(tr->root);
	odd_bands(root);
	char *text = json_dumps(root, 0);
	struct fs_rules *r = NULL;
	assert_int_equal(fs_rules_parse(text, strlen(text), "test", &r, &err), 0);
	check_compiled(r);
	assert_int_equal(r->comps[1].nbands, 3);
	assert_int_equal(r->comps[1].bands[1].days, 0); /* no days: jansson's 0, as the JSON engine read it */
	assert_false(r->comps[1].has_reasons);
	fs_rules_free(r);
	free(text);
	json_decref(root);
}

static void test_limitation_by_kind(void **state)
{
	(void)state;
	struct fs_entitle_in in;
	struct fs_error err = {0};
	fs_date d;
	int months = 0;
	char s[11];
	fs_entitle_init(&in);
	assert_int_equal(fs_entitle_set(&in, "jurisdiction", "KZ", &err), 0);
	assert_int_equal(fs_entitle_set(&in, "terminated", "2016-11-30", &err), 0);
	assert_int_equal(fs_entitle_deadline_of(&in, "reinstatement", &d, &months, &err), 0);
	fs_date_format(d, s);
	assert_string_equal(s, "2017-02-28"); /* 3 months, the month's last day */
	assert_int_equal(months, 3);
	assert_int_equal(fs_entitle_deadline_of(&in, "conciliation", &d, &months, &err), 0);
	fs_date_format(d, s);
	assert_string_equal(s, "2016-12-30");
	assert_int_equal(fs_entitle_deadline(&in, &d, &err), 0);
	fs_date_format(d, s);
	assert_string_equal(s, "2017-11-30");
	fs_entitle_done(&in);
	/* TR: money only (years), no reinstatement period */
	fs_entitle_init(&in);
	assert_int_equal(fs_entitle_set(&in, "jurisdiction", "TR", &err), 0);
	assert_int_equal(fs_entitle_set(&in, "terminated", "2011-08-31", &err), 0);
	assert_int_equal(fs_entitle_deadline_of(&in, "money", &d, &months, &err), 0);
	assert_int_equal(months, 120);
	assert_int_equal(fs_entitle_deadline_of(&in, "reinstatement", &d, &months, &err), FS_ENOTFOUND);
	fs_entitle_done(&in);
}

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(uint64_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed % n;
}

/* the penalty of one case (minor units) */
static int64_t penalty(fs_date terminated, fs_date as_of, const char *wage, const char *mode, const char *basis)
{
	struct fs_entitle_in in;
	struct fs_error err = {0};
	char t[11], a[11], conv[64];
	fs_date_format(terminated, t);
	fs_date_format(as_of, a);
	fs_entitle_init(&in);
	in.quiet = 1;
	assert_int_equal(fs_entitle_set(&in, "jurisdiction", "KZ", &err), 0);
	assert_int_equal(fs_entitle_set(&in, "hired", "2005-01-01", &err), 0);
	assert_int_equal(fs_entitle_set(&in, "terminated", t, &err), 0);
	assert_int_equal(fs_entitle_set(&in, "as_of", a, &err), 0);
	assert_int_equal(fs_entitle_set(&in, "reason", "liquidation", &err), 0);
	assert_int_equal(fs_entitle_set(&in, "wage", wage, &err), 0);
	assert_int_equal(fs_entitle_set(&in, "unpaid_months", "1", &err), 0);
	snprintf(conv, sizeof(conv), "penalty_rate_day=%s", mode);
	assert_int_equal(fs_entitle_set(&in, "convention", conv, &err), 0);
	snprintf(conv, sizeof(conv), "penalty_day_count=%s", basis);
	assert_int_equal(fs_entitle_set(&in, "convention", conv, &err), 0);
	json_t *r = NULL;
	assert_int_equal(fs_entitle(&in, NULL, &r, &err), 0);
	int64_t p = json_integer_value(json_object_get(json_object_get(r, "components"), "penalty"));
	json_decref(r);
	fs_entitle_done(&in);
	return p;
}

static void test_penalty_properties(void **state)
{
	(void)state;
	fs_date lo = fs_date_from_ymd(2012, 8, 6), hi = fs_date_from_ymd(2017, 3, 31); /* 5.5 % refinancing all along */
	for (int i = 0; i < 60; i++) {
		char wage[32];
		fs_money_format(100 + (int64_t)rnd(500000000), 2, wage);
		fs_date t = lo + (fs_date)rnd((uint64_t)(hi - lo - 40));
		fs_date a = t + 6 + (fs_date)rnd((uint64_t)(hi - t - 6));
		int64_t pd = penalty(t, a, wage, "payment_day", "365"), ep = penalty(t, a, wage, "each_period", "365");
		assert_int_equal(pd, ep); /* a constant rate: the two readings agree */
		int64_t p360 = penalty(t, a, wage, "each_period", "360");
		/* p360 = p365 × 365 / 360 up to the two roundings */
		__int128 lhs = (__int128)p360 * 360, rhs = (__int128)ep * 365;
		assert_true(lhs - rhs <= 365 && rhs - lhs <= 365);
	}
	/* each_period never decreases as the payment is later, across 1 April 2017 and 2020 */
	fs_date t = fs_date_from_ymd(2016, 11, 30);
	int64_t prev = 0;
	for (fs_date a = t; a < fs_date_from_ymd(2021, 1, 1); a += 1 + (fs_date)rnd(40)) {
		int64_t p = penalty(t, a, "200000.00", "each_period", "365");
		assert_true(p >= prev);
		prev = p;
	}
	assert_true(prev > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loader),
	    cmocka_unit_test(test_law_of_the_day),
	    cmocka_unit_test(test_compiled),
	    cmocka_unit_test(test_limitation_by_kind),
	    cmocka_unit_test(test_penalty_properties),
	};
	return cmocka_run_group_tests_name("kz", tests, NULL, NULL);
}
