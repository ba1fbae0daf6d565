/* entitle_steps.c - what every jurisdiction's methods of the entitlement engine
 * share: months added to a date, a step explained, a warning, a rule table's
 * row at a date. entitle.c (the engine, TR) and entitle_kz.c (KZ, limitation)
 * call these; these call neither, so the engine's files call one way. */
#include "entitle_int.h"

#include <stdlib.h>
#include <string.h>

fs_date ent_add_months(fs_date d, int months)
{
	int y, m, day;
	fs_date_to_ymd(d, &y, &m, &day);
	int t = y * 12 + (m - 1) + months;
	y = t / 12;
	m = t % 12 + 1;
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return fs_date_from_ymd(y, m, day > last ? last : day);
}

void ent_step(struct calc *c, const char *component, const char *key, json_t *params, const char *law)
{
	char *text = fs_rules_text(c->r, c->lang, key, params);
	json_array_append_new(c->steps, json_pack("{s:s,s:s,s:s?,s:s,s:o}", "component", component, "text", text ? text : key,
						  "law", law, "key", key, "params", params));
	free(text);
}

void ent_warn(struct calc *c, const char *code, json_t *params)
{
	char *text = fs_rules_text(c->r, c->lang, code, params);
	json_array_append_new(c->warnings, json_string(text ? text : code));
	json_array_append_new(c->codes, json_string(code + 5)); /* without "warn." */
	free(text);
	json_decref(params);
}

void ent_warn_unverified(struct calc *c, const struct fs_rtable *t, const struct fs_table_row *row, fs_date d)
{
	if (row && !row->verified)
		WARN(c, "warn.unverified", json_pack("{s:s,s:s,s:o,s:s}", "value", row->text, "table", t->name, "date", ent_date(d),
						     "source", row->source ? row->source : "-"));
}

int ent_reason_applies(const struct fs_rcomp *comp, const char *reason)
{
	if (!comp->has_reasons)
		return 1;
	for (size_t i = 0; i < comp->nreasons; i++)
		if (comp->reasons[i] && !strcmp(comp->reasons[i], reason))
			return 1;
	return 0;
}

const char *ent_law(struct calc *c, const struct fs_rcomp *comp)
{
	return fs_rcomp_law_at(comp, c->in->terminated);
}

int ent_row_in(struct calc *c, const struct fs_rtable *t, fs_date d, const struct fs_table_row **out)
{
	const struct fs_table_row *row = fs_rtable_at(t, d);
	if (!row) {
		char ds[11], from[11] = "?", to[11] = "open";
		fs_date_format(d, ds);
		if (t && t->n) {
			fs_date_format(t->rows[0].from, from);
			if (t->rows[t->n - 1].to != FS_DATE_OPEN)
				fs_date_format(t->rows[t->n - 1].to, to);
		}
		/* t is NULL only when the component names no table (the load checked
		 * that each one named is a table of the rule set) */
		return fs_fail(c->err, FS_EINVAL, "terminated",
			       "table %s of rules %s has no value for %s (it covers %s to %s)",
			       t ? t->name : "?", c->r->version, ds, from, to);
	}
	*out = row;
	return 0;
}

void ent_not_due(struct calc *c, const char *name, const struct fs_rcomp *comp, const char *key)
{
	STEP(c, name, key, json_pack("{s:s}", "reason", c->in->reason), ent_law(c, comp));
}
