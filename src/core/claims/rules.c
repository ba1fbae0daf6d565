/* rules.c - loading and validating rule files; tables, conventions, texts. */
#include "rules.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/money.h"

struct fs_embedded {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct fs_embedded fs_embedded_rules[];
extern const size_t fs_embedded_rules_count;

static const char *const methods[] = {"tr_severance", "tr_notice", "tr_leave", "months_of_wage", "tr_overtime",
				      "kz_compensation", "kz_leave", "kz_penalty", NULL};

int fs_ratio_parse(const char *s, struct fs_ratio *out)
{
	int64_t num = 0, den = 1;
	int neg = 0, seen = 0, dot = 0;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || num > INT64_MAX / 100 || den > INT64_MAX / 100)
			return -1;
		num = num * 10 + (*s - '0');
		if (dot)
			den *= 10;
		seen = 1;
	}
	if (!seen)
		return -1;
	out->num = neg ? -num : num;
	out->den = den;
	return 0;
}

_Static_assert(sizeof(methods) / sizeof(methods[0]) == FS_M_COUNT + 1, "enum fs_method follows methods[]");

void fs_rules_free(struct fs_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ntables; i++)
		free(r->tables[i].rows);
	free(r->tables);
	for (size_t i = 0; r->comps && i < r->ncomps; i++) {
		struct fs_rcomp *c = &r->comps[i];
		free(c->laws);
		free(c->reasons);
		free(c->bands);
		free(c->entitlement);
		free(c->rates);
		free(c->months_reason);
		free(c->months_table);
	}
	free(r->comps);
	free(r->reasons);
	free(r->convs);
	free(r->lim_kind);
	free(r->lim_table);
	json_decref(r->root);
	free(r);
}

#define FAIL(...) fs_fail(err, FS_EINVAL, NULL, __VA_ARGS__)

static int parse_table(const char *origin, const char *name, json_t *t, struct fs_rtable *out, struct fs_error *err)
{
	json_t *rows = json_object_get(t, "rows");
	out->name = name;
	out->law = json_string_value(json_object_get(t, "law"));
	if (!json_is_array(rows) || json_array_size(rows) == 0)
		return FAIL("%s: table %s has no rows", origin, name);
	out->n = json_array_size(rows);
	out->rows = calloc(out->n, sizeof(*out->rows));
	if (!out->rows)
		return FS_ENOMEM;
	for (size_t i = 0; i < out->n; i++) {
		json_t *row = json_array_get(rows, i);
		struct fs_table_row *r = &out->rows[i];
		const char *from = json_string_value(json_array_get(row, 0));
		json_t *to = json_array_get(row, 1);
		const char *value = json_string_value(json_array_get(row, 2));
		const char *conf = json_string_value(json_array_get(row, 3));
		json_t *source = json_array_get(row, 4);
		struct fs_error derr;
		if (!json_is_array(row) || json_array_size(row) < 4 || json_array_size(row) > 5 || !from || !value || !conf ||
		    !(json_is_null(to) || json_is_string(to)) || (source && !json_is_string(source)))
			return FAIL("%s: table %s, row %zu: write [\"from\", \"to\" or null, \"value\", \"sourced\"|\"unverified\""
				    "(, \"source\")]", origin, name, i + 1);
		r->source = json_string_value(source);
		if (fs_date_parse(from, &r->from, &derr, "from") ||
		    (json_is_string(to) && fs_date_parse(json_string_value(to), &r->to, &derr, "to")))
			return FAIL("%s: table %s, row %zu: %s", origin, name, i + 1, derr.message);
		if (json_is_null(to))
			r->to = FS_DATE_OPEN;
		if (r->to < r->from)
			return FAIL("%s: table %s, row %zu: ends before it starts", origin, name, i + 1);
		if (i && r->from <= out->rows[i - 1].to)
			return FAIL("%s: table %s, row %zu: overlaps or is out of order", origin, name, i + 1);
		if (fs_ratio_parse(value, &r->value) || strlen(value) >= sizeof(r->text))
			return FAIL("%s: table %s, row %zu: '%s' is not a decimal number", origin, name, i + 1, value);
		snprintf(r->text, sizeof(r->text), "%s", value);
		if (strcmp(conf, "sourced") && strcmp(conf, "unverified"))
			return FAIL("%s: table %s, row %zu: confidence is sourced or unverified", origin, name, i + 1);
		r->verified = strcmp(conf, "sourced") == 0;
	}
	return 0;
}

/* law_by_date: [[from, to|null, law], ...] in order, not overlapping. */
static int check_law_by_date(const char *origin, const char *comp, json_t *l, struct fs_error *err)
{
	if (!l)
		return 0;
	if (!json_is_array(l) || json_array_size(l) == 0)
		return FAIL("%s: component %s: law_by_date must be a list of [from, to or null, law]", origin, comp);
	fs_date prev_to = 0;
	for (size_t i = 0; i < json_array_size(l); i++) {
		json_t *row = json_array_get(l, i), *to = json_array_get(row, 1);
		const char *from = json_string_value(json_array_get(row, 0));
		fs_date f, t = FS_DATE_OPEN;
		struct fs_error derr;
		if (!json_is_array(row) || json_array_size(row) != 3 || !from || !json_is_string(json_array_get(row, 2)) ||
		    !(json_is_null(to) || json_is_string(to)))
			return FAIL("%s: component %s: law_by_date row %zu: write [\"from\", \"to\" or null, \"law\"]", origin,
				    comp, i + 1);
		if (fs_date_parse(from, &f, &derr, "from") || (json_is_string(to) && fs_date_parse(json_string_value(to), &t, &derr, "to")))
			return FAIL("%s: component %s: law_by_date row %zu: %s", origin, comp, i + 1, derr.message);
		if (t < f || (i && f <= prev_to))
			return FAIL("%s: component %s: law_by_date row %zu: ends before it starts, overlaps or is out of order", origin,
				    comp, i + 1);
		prev_to = t;
	}
	return 0;
}

/* rate_tables: names of tables of which at most one is in force on any day
 * (e.g. the refinancing rate until a date, the base rate after it). */
static int check_rate_tables(const struct fs_rules *r, const char *origin, const char *comp, json_t *l, struct fs_error *err)
{
	if (!l)
		return 0;
	if (!json_is_array(l) || json_array_size(l) == 0)
		return FAIL("%s: component %s: rate_tables must be a list of table names", origin, comp);
	for (size_t i = 0; i < json_array_size(l); i++) {
		const struct fs_rtable *a = fs_rules_table(r, json_string_value(json_array_get(l, i)));
		if (!a)
			return FAIL("%s: component %s: rate_tables entry %zu names no table of this file", origin, comp, i + 1);
		for (size_t j = 0; j < i; j++) {
			const struct fs_rtable *b = fs_rules_table(r, json_string_value(json_array_get(l, j)));
			for (size_t x = 0; x < a->n; x++)
				for (size_t y = 0; y < b->n; y++)
					if (a->rows[x].from <= b->rows[y].to && b->rows[y].from <= a->rows[x].to)
						return FAIL("%s: component %s: rate tables %s and %s are both in force on some day "
							    "(row %zu of %s)", origin, comp, b->name, a->name, x + 1, a->name);
		}
	}
	return 0;
}

/* months_tables / limitation_by_kind: an object of name -> table name. */
static int check_table_map(const struct fs_rules *r, const char *origin, const char *what, json_t *m, struct fs_error *err)
{
	if (!m)
		return 0;
	if (!json_is_object(m) || json_object_size(m) == 0)
		return FAIL("%s: %s must be an object of name: table", origin, what);
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v) if (!json_is_string(v) || !fs_rules_table(r, json_string_value(v)))
		return FAIL("%s: %s: %s names no table of this file", origin, what, k);
	return 0;
}

const char *fs_rcomp_law_at(const struct fs_rcomp *comp, fs_date d)
{
	for (size_t i = 0; i < comp->nlaws; i++)
		if (comp->laws[i].from <= d && d <= comp->laws[i].to)
			return comp->laws[i].law;
	return comp->law;
}

const char *fs_rules_law_at(json_t *comp, fs_date d)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(comp, "law_by_date"), i, row) {
		fs_date f, t = FS_DATE_OPEN;
		json_t *to = json_array_get(row, 1);
		if (fs_date_parse(json_string_value(json_array_get(row, 0)), &f, NULL, NULL) ||
		    (json_is_string(to) && fs_date_parse(json_string_value(to), &t, NULL, NULL)))
			continue;
		if (f <= d && d <= t)
			return json_string_value(json_array_get(row, 2));
	}
	return json_string_value(json_object_get(comp, "law"));
}

static int need_table(const struct fs_rules *r, const char *origin, const char *comp, json_t *c, const char *key,
		      struct fs_error *err)
{
	json_t *v = json_object_get(c, key);
	if (!v)
		return 0;
	if (!json_is_string(v) || !fs_rules_table(r, json_string_value(v)))
		return FAIL("%s: component %s: %s names no table of this file", origin, comp, key);
	return 0;
}

/* ---- the rule set compiled: what every case reads, looked up once at load ---- */

/* The strings of a JSON array (an element not a string: NULL), *n of them. */
static int compile_strings(json_t *list, const char ***out, size_t *n)
{
	size_t cnt = json_array_size(list);
	*out = NULL;
	*n = 0;
	if (!cnt)
		return 0;
	if (!(*out = calloc(cnt, sizeof(**out))))
		return FS_ENOMEM;
	for (size_t i = 0; i < cnt; i++)
		(*out)[i] = json_string_value(json_array_get(list, i));
	*n = cnt;
	return 0;
}

static int compile_bands(json_t *list, const char *below_key, const char *upto_key, struct fs_rband **out,
			 size_t *n)
{
	size_t cnt = json_array_size(list);
	*out = NULL;
	*n = 0;
	if (!cnt)
		return 0;
	if (!(*out = calloc(cnt, sizeof(**out))))
		return FS_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		json_t *b = json_array_get(list, i);
		json_t *below = json_object_get(b, below_key), *upto = json_object_get(b, upto_key);
		struct fs_rband *o = &(*out)[i];
		o->has_below = below != NULL;
		o->below = json_integer_value(below);
		o->has_upto = upto != NULL;
		o->upto = json_integer_value(upto);
		o->days = json_integer_value(json_object_get(b, "days"));
	}
	*n = cnt;
	return 0;
}

static const struct fs_rtable *table_of(const struct fs_rules *r, json_t *c, const char *key)
{
	return fs_rules_table(r, json_string_value(json_object_get(c, key)));
}

static int compile_comp(const struct fs_rules *r, const char *name, json_t *c, struct fs_rcomp *o)
{
	const char *m = json_string_value(json_object_get(c, "method"));
	int k = 0;
	while (methods[k] && strcmp(methods[k], m))
		k++;
	o->name = name;
	o->method = (enum fs_method)k;
	o->json = c;
	o->law = json_string_value(json_object_get(c, "law"));
	json_t *laws = json_object_get(c, "law_by_date");
	size_t nl = json_array_size(laws);
	if (nl && !(o->laws = calloc(nl, sizeof(*o->laws))))
		return FS_ENOMEM;
	for (size_t i = 0; i < nl; i++) { /* checked by check_law_by_date */
		json_t *row = json_array_get(laws, i), *to = json_array_get(row, 1);
		struct fs_rlaw *l = &o->laws[o->nlaws];
		l->to = FS_DATE_OPEN;
		if (fs_date_parse(json_string_value(json_array_get(row, 0)), &l->from, NULL, NULL) ||
		    (json_is_string(to) && fs_date_parse(json_string_value(to), &l->to, NULL, NULL)))
			continue;
		l->law = json_string_value(json_array_get(row, 2));
		o->nlaws++;
	}
	json_t *reasons = json_object_get(c, "reasons");
	o->has_reasons = reasons != NULL;
	int rc = compile_strings(reasons, &o->reasons, &o->nreasons);
	o->min_service_years = json_integer_value(json_object_get(c, "min_service_years"));
	o->day_divisor = json_integer_value(json_object_get(c, "day_divisor"));
	o->young_or_old_minimum = json_integer_value(json_object_get(c, "young_or_old_minimum"));
	if (!rc)
		rc = compile_bands(json_object_get(c, "bands"), "below_months", "up_to_months", &o->bands,
				   &o->nbands);
	if (!rc)
		rc = compile_bands(json_object_get(c, "entitlement"), "below_years", "up_to_years",
				   &o->entitlement, &o->nentitlement);
	if (rc)
		return rc;
	o->ceiling = table_of(r, c, "ceiling_table");
	o->stamp_tax = table_of(r, c, "stamp_tax_table");
	o->underground = table_of(r, c, "underground_table");
	o->entitlement_table = table_of(r, c, "entitlement_table");
	o->multiplier = table_of(r, c, "multiplier_table");
	o->calendar_days = table_of(r, c, "calendar_days_table");
	json_t *list = json_object_get(c, "rate_tables");
	size_t nr = list ? json_array_size(list) : 1;
	if (nr && !(o->rates = calloc(nr, sizeof(*o->rates))))
		return FS_ENOMEM;
	for (size_t i = 0; i < nr; i++)
		o->rates[i] = list ? fs_rules_table(r, json_string_value(json_array_get(list, i)))
				   : table_of(r, c, "rate_table");
	o->nrates = nr;
	json_t *mt = json_object_get(c, "months_tables");
	size_t nm = json_object_size(mt);
	if (nm && (!(o->months_reason = calloc(nm, sizeof(*o->months_reason))) ||
		   !(o->months_table = calloc(nm, sizeof(*o->months_table)))))
		return FS_ENOMEM;
	const char *reason;
	json_t *v;
	json_object_foreach(mt, reason, v)
	{
		o->months_reason[o->nmonths] = reason;
		o->months_table[o->nmonths++] = fs_rules_table(r, json_string_value(v));
	}
	return 0;
}

static int compile_rules(struct fs_rules *r)
{
	json_t *root = r->root, *comps = json_object_get(root, "components");
	int rc = compile_strings(json_object_get(root, "reasons"), &r->reasons, &r->nreasons);
	size_t n = json_object_size(comps);
	if (!rc && n && !(r->comps = calloc(n, sizeof(*r->comps))))
		rc = FS_ENOMEM;
	const char *name;
	json_t *v;
	json_object_foreach(comps, name, v)
	{
		if (rc)
			break;
		rc = compile_comp(r, name, v, &r->comps[r->ncomps++]);
	}
	json_t *conv = json_object_get(root, "conventions");
	n = json_object_size(conv);
	if (!rc && n && !(r->convs = calloc(n, sizeof(*r->convs))))
		rc = FS_ENOMEM;
	json_object_foreach(conv, name, v)
	{
		if (rc)
			break;
		r->convs[r->nconvs].name = name;
		r->convs[r->nconvs++].value = json_string_value(json_object_get(v, "value"));
	}
	json_t *by = json_object_get(root, "limitation_by_kind"); /* checked by check_table_map */
	r->has_lim_by_kind = by != NULL;
	n = json_object_size(by);
	if (!rc && n &&
	    (!(r->lim_kind = calloc(n, sizeof(*r->lim_kind))) ||
	     !(r->lim_table = calloc(n, sizeof(*r->lim_table)))))
		rc = FS_ENOMEM;
	json_object_foreach(by, name, v)
	{
		if (rc)
			break;
		r->lim_kind[r->nlim] = name;
		r->lim_table[r->nlim++] = fs_rules_table(r, json_string_value(v));
	}
	r->limitation_table = fs_rules_table(r, json_string_value(json_object_get(root, "limitation_table")));
	return rc;
}

int fs_rules_parse(const char *text, size_t len, const char *origin, struct fs_rules **ret, struct fs_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return FAIL("%s, line %d, column %d: %s", origin, jerr.line, jerr.column, jerr.text);
	struct fs_rules *r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(root);
		return FS_ENOMEM;
	}
	r->root = root;
	int rc = 0;
	r->jurisdiction = json_string_value(json_object_get(root, "jurisdiction"));
	r->version = json_string_value(json_object_get(root, "version"));
	r->currency = json_string_value(json_object_get(root, "currency"));
	r->title = json_string_value(json_object_get(root, "title"));
	json_t *tables = json_object_get(root, "tables"), *comps = json_object_get(root, "components");
	json_t *text_obj = json_object_get(root, "text");
	if (!json_is_object(root) || json_integer_value(json_object_get(root, "format")) != 1)
		rc = FAIL("%s: not a fairshare rule file of format 1", origin);
	else if (!r->jurisdiction || strlen(r->jurisdiction) != 2)
		rc = FAIL("%s: jurisdiction must be a two-letter code", origin);
	else if (!r->version || !*r->version)
		rc = FAIL("%s: version is missing", origin);
	else if (!r->currency || fs_currency_exponent(r->currency) != 2)
		rc = FAIL("%s: currency is missing or not supported", origin);
	else if (!json_is_object(tables) || !json_is_object(comps) || !json_is_array(json_object_get(root, "reasons")))
		rc = FAIL("%s: tables, components and reasons are required", origin);
	else if (!json_is_object(json_object_get(text_obj, "en")))
		rc = FAIL("%s: text.en is required (other languages fall back to it)", origin);
	if (!rc) {
		r->tables = calloc(json_object_size(tables) + 1, sizeof(*r->tables));
		if (!r->tables)
			rc = FS_ENOMEM;
		const char *name;
		json_t *t;
		json_object_foreach(tables, name, t) {
			if (rc)
				break;
			rc = parse_table(origin, name, t, &r->tables[r->ntables], err);
			r->ntables++;
		}
	}
	const char *cname;
	json_t *c;
	json_object_foreach(comps, cname, c) {
		if (rc)
			break;
		const char *m = json_string_value(json_object_get(c, "method"));
		size_t k = 0;
		while (m && methods[k] && strcmp(methods[k], m))
			k++;
		if (!m || !methods[k])
			rc = FAIL("%s: component %s: unknown method '%s'", origin, cname, m ? m : "");
		else if (!json_is_string(json_object_get(c, "law")))
			rc = FAIL("%s: component %s: law is required (the article that grounds it)", origin, cname);
		else if (json_object_get(c, "reasons") && !json_is_array(json_object_get(c, "reasons")))
			rc = FAIL("%s: component %s: reasons must be a list", origin, cname);
		static const char *const refs[] = {"ceiling_table", "stamp_tax_table", "underground_table", "entitlement_table",
						   "rate_table", "multiplier_table", "calendar_days_table"};
		for (size_t i = 0; !rc && i < sizeof(refs) / sizeof(refs[0]); i++)
			rc = need_table(r, origin, cname, c, refs[i], err);
		if (!rc)
			rc = check_law_by_date(origin, cname, json_object_get(c, "law_by_date"), err);
		if (!rc)
			rc = check_rate_tables(r, origin, cname, json_object_get(c, "rate_tables"), err);
		if (!rc)
			rc = check_table_map(r, origin, "months_tables", json_object_get(c, "months_tables"), err);
		if (!rc && !strcmp(m, "kz_penalty") && !json_object_get(c, "rate_table") && !json_object_get(c, "rate_tables"))
			rc = FAIL("%s: component %s: a penalty needs rate_table or rate_tables", origin, cname);
	}
	if (!rc)
		rc = check_table_map(r, origin, "limitation_by_kind", json_object_get(root, "limitation_by_kind"), err);
	const char *lt = json_string_value(json_object_get(root, "limitation_table"));
	if (!rc && lt && !fs_rules_table(r, lt))
		rc = FAIL("%s: limitation_table names no table of this file", origin);
	if (!rc && compile_rules(r))
		rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	if (rc) {
		fs_rules_free(r);
		return rc;
	}
	*ret = r;
	return 0;
}

const struct fs_rtable *fs_rules_table(const struct fs_rules *r, const char *name)
{
	for (size_t i = 0; name && i < r->ntables; i++)
		if (strcmp(r->tables[i].name, name) == 0)
			return &r->tables[i];
	return NULL;
}

const struct fs_table_row *fs_rtable_at(const struct fs_rtable *t, fs_date d)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->rows[i].from <= d && d <= t->rows[i].to)
			return &t->rows[i];
	return NULL;
}

const char *fs_rules_convention(const struct fs_rules *r, const char *name, json_t *overrides)
{
	const char *o =
	    json_object_size(overrides) ? json_string_value(json_object_get(overrides, name)) : NULL;
	if (o)
		return o;
	for (size_t i = 0; i < r->nconvs; i++)
		if (!strcmp(r->convs[i].name, name))
			return r->convs[i].value;
	return NULL;
}

char *fs_rules_text(const struct fs_rules *r, const char *lang, const char *key, json_t *params)
{
	json_t *texts = json_object_get(r->root, "text");
	const char *tpl = json_string_value(json_object_get(json_object_get(texts, lang ? lang : "en"), key));
	if (!tpl)
		tpl = json_string_value(json_object_get(json_object_get(texts, "en"), key));
	if (!tpl)
		tpl = key;
	struct fs_buf out;
	fs_buf_init(&out, 64 * 1024);
	for (const char *p = tpl; *p;) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close) {
			fs_buf_adds(&out, p);
			break;
		}
		fs_buf_add(&out, p, (size_t)(open - p));
		char name[64];
		size_t n = (size_t)(close - open - 1);
		json_t *v = NULL;
		if (n < sizeof(name)) {
			memcpy(name, open + 1, n);
			name[n] = '\0';
			v = json_object_get(params, name);
		}
		if (json_is_string(v))
			fs_buf_adds(&out, json_string_value(v));
		else if (json_is_integer(v))
			fs_buf_addi(&out, json_integer_value(v));
		else
			fs_buf_add(&out, open, n + 2);
		p = close + 1;
	}
	return fs_buf_take(&out);
}

/* ---- the cache of loaded rule sets ---- */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fs_rules *cache[8];
static size_t ncache;

static int load_file(const char *path, char **text, size_t *len)
{
	struct fs_buf b;
	fs_buf_init(&b, 4u << 20);
	int rc = fs_buf_load(&b, path);
	if (rc) {
		fs_buf_done(&b);
		return rc;
	}
	*len = b.len;
	*text = fs_buf_take(&b);
	return *text ? 0 : FS_ENOMEM;
}

const char *fs_rules_available(void)
{
	static char list[64];
	if (!list[0]) {
		size_t used = 0;
		for (size_t i = 0; i < fs_embedded_rules_count; i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", fs_embedded_rules[i].name);
	}
	return list;
}

static char installed_dir[400];

void fs_rules_use_dir(const char *dir)
{
	pthread_mutex_lock(&cache_lock);
	snprintf(installed_dir, sizeof(installed_dir), "%s", dir ? dir : "");
	pthread_mutex_unlock(&cache_lock);
}

int fs_rules_get(const char *jurisdiction, const struct fs_rules **ret, struct fs_error *err)
{
	char code[3] = {0};
	if (!jurisdiction || strlen(jurisdiction) != 2)
		return fs_fail(err, FS_EINVAL, "jurisdiction", "'%.16s' is not a jurisdiction (one of %s)",
			       jurisdiction ? jurisdiction : "", fs_rules_available());
	for (int i = 0; i < 2; i++)
		code[i] = (char)((jurisdiction[i] >= 'a' && jurisdiction[i] <= 'z') ? jurisdiction[i] - 32 : jurisdiction[i]);
	pthread_mutex_lock(&cache_lock);
	int rc = 0;
	for (size_t i = 0; i < ncache; i++)
		if (strcmp(cache[i]->jurisdiction, code) == 0) {
			*ret = cache[i];
			goto out;
		}
	const char *dir = getenv("FAIRSHARE_RULES");
	char *text = NULL;
	size_t len = 0;
	char origin[512];
	struct fs_rules *r = NULL;
	if ((!dir || !*dir) && installed_dir[0]) { /* the installed rule files, where this one has its file */
		char lower[3] = {(char)(code[0] + 32), (char)(code[1] + 32), 0};
		snprintf(origin, sizeof(origin), "%.400s/%s.json", installed_dir, lower);
		if (access(origin, R_OK) == 0)
			dir = installed_dir;
	}
	if (dir && *dir) {
		char lower[3] = {(char)(code[0] + 32), (char)(code[1] + 32), 0};
		snprintf(origin, sizeof(origin), "%s/%s.json", dir, lower);
		if (load_file(origin, &text, &len)) {
			rc = fs_fail(err, FS_EINVAL, "jurisdiction", "no rule file %s (FAIRSHARE_RULES or the installed rules)", origin);
			goto out;
		}
		rc = fs_rules_parse(text, len, origin, &r, err);
		free(text);
	} else {
		size_t i;
		for (i = 0; i < fs_embedded_rules_count; i++)
			if (strcasecmp(fs_embedded_rules[i].name, code) == 0)
				break;
		if (i == fs_embedded_rules_count) {
			rc = fs_fail(err, FS_EINVAL, "jurisdiction", "no rules for jurisdiction '%s' (available: %s)", code,
				     fs_rules_available());
			goto out;
		}
		snprintf(origin, sizeof(origin), "rules/%s.json (built in)", fs_embedded_rules[i].name);
		rc = fs_rules_parse(fs_embedded_rules[i].text, fs_embedded_rules[i].len, origin, &r, err);
	}
	if (!rc && strcmp(r->jurisdiction, code) != 0) {
		rc = fs_fail(err, FS_EINVAL, "jurisdiction", "%s holds the rules of %s, not %s", origin, r->jurisdiction, code);
		fs_rules_free(r);
	}
	if (!rc) {
		if (ncache < sizeof(cache) / sizeof(cache[0]))
			cache[ncache++] = r;
		*ret = r;
	}
out:
	pthread_mutex_unlock(&cache_lock);
	return rc;
}
