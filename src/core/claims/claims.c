/* claims.c - computing claims from employment records with the rules engine:
 * every terminated employment in scope is run through its jurisdiction's rule
 * set, and each component owed is stored as a claim (one batch journal entry).
 * What is paid of them, the watch and a worker's statement: watch.c. */
#include "internal.h"
#include "rules.h"
#include "entitle_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/money.h"

/* ---- compute ---- */

struct existing {
	int64_t id;
	int64_t amount;
	char kind[24];
	char rules_version[48];
	char *inputs;
};

struct compute {
	struct fs_ctx *ctx;
	const struct fs_compute_opts *o;
	json_t *report, *diffs, *errors;
	const struct fs_entity *ee, *ce;
	long employments, skipped, unchanged, created, changed, applied;
	int first_error;
	struct fs_error *err;
	int rc;
	struct existing *ex;
	size_t nex;
	int col[12];         /* the employment's columns compute reads (COLS below) */
	int64_t *owning;     /* employments that have computed claims already, ascending */
	size_t nowning, cap;
	struct fs_rec tmpl;  /* the current employment's claim: its columns but kind and amount */
	int64_t tmpl_emp;    /* the employment tmpl is for (0: none) */
	const char *tmpl_version;
};

/* The employment's columns compute reads, in the order of struct compute's col. */
static const char *const COLS[] = {"person_id", "terminated", "termination_reason", "hired", "wage_minor", "benefits_minor",
				   "accruals_12m_minor", "unused_leave_days", "days_worked_12m", "underground", "notice_served"};
enum { C_PERSON, C_TERMINATED, C_REASON, C_HIRED, C_WAGE, C_BENEFITS, C_ACCRUALS, C_LEAVE, C_DAYS, C_UNDERGROUND, C_NOTICE };

static int existing_cb(void *p, const struct fs_value *v)
{
	struct compute *c = p;
	struct existing *ex = realloc(c->ex, (c->nex + 1) * sizeof(*ex));
	if (!ex)
		return c->rc = FS_ENOMEM, 1;
	c->ex = ex;
	struct existing *e = &ex[c->nex++];
	memset(e, 0, sizeof(*e));
	e->id = v[0].i;
	snprintf(e->kind, sizeof(e->kind), "%.*s", (int)v[1].n, (const char *)v[1].p);
	e->amount = v[2].i;
	if (v[3].type == FS_VTEXT)
		snprintf(e->rules_version, sizeof(e->rules_version), "%.*s", (int)v[3].n, (const char *)v[3].p);
	e->inputs = v[4].type == FS_VTEXT ? strndup(v[4].p, v[4].n) : NULL;
	return 0;
}

static void free_existing(struct compute *c)
{
	for (size_t i = 0; i < c->nex; i++)
		free(c->ex[i].inputs);
	free(c->ex);
	c->ex = NULL;
	c->nex = 0;
}

static void add_error(struct compute *c, int64_t employment, int64_t person, const struct fs_error *e)
{
	json_array_append_new(c->errors, json_pack("{s:I,s:I,s:s,s:s}", "employment_id", (json_int_t)employment, "person_id",
						   (json_int_t)person, "field", e->field, "message", e->message));
}

static const char *vtext(const struct fs_value *v, char *buf, size_t n)
{
	if (v->type != FS_VTEXT)
		return NULL;
	size_t k = v->n < n ? v->n : n - 1; /* cut as "%.*s" into n bytes would */
	memcpy(buf, v->p, k);
	buf[k] = '\0';
	return buf;
}

/* Store one component: a new claim, or the changed amount of an existing one. */
static int store_component(struct compute *c, int64_t person, int64_t employment, const char *kind, int64_t amount,
			   const char *version, const char *inputs, const char *currency, const char *limitation)
{
	struct existing *old = NULL;
	for (size_t i = 0; i < c->nex; i++)
		if (!strcmp(c->ex[i].kind, kind))
			old = &c->ex[i];
	if (!old && amount == 0)
		return 0;
	if (old && old->amount == amount && !strcmp(old->rules_version, version) && old->inputs && !strcmp(old->inputs, inputs)) {
		c->unchanged++;
		return 0;
	}
	if (!old) {
		/* A new claim: the person and employment are known good and the inputs
		 * were just made. The columns every component of an employment shares
		 * (currency, basis, rules version, inputs, deadline) are parsed and
		 * checked once, into tmpl; each claim copies them and sets its kind
		 * and amount, then is finished and checked as any claim. */
		c->created++;
		int rc = 0;
		if (c->tmpl_emp != employment || c->tmpl_version != version) {
			rec_done(&c->tmpl);
			rec_init(&c->tmpl, c->ce);
			c->tmpl.trusted = 1;
			c->tmpl_emp = 0;
			rc = rec_set_int(&c->tmpl, "person_id", person) || rec_set_int(&c->tmpl, "employment_id", employment)
				     ? FS_EINVAL : 0;
			const char *const text[][2] = {{"currency", currency}, {"basis", "computed"}, {"rules_version", version},
						       {"inputs", inputs}, {"limitation_date", limitation}};
			for (size_t i = 0; !rc && i < sizeof(text) / sizeof(text[0]); i++)
				rc = rec_set(c->ctx, &c->tmpl, text[i][0], text[i][1], c->err);
			if (rc)
				return rc;
			c->tmpl_emp = employment;
			c->tmpl_version = version;
		}
		struct fs_rec r;
		rec_init(&r, c->ce);
		r.trusted = 1;
		memcpy(r.v, c->tmpl.v, sizeof(r.v)); /* tmpl owns the text; r owns only what it sets */
		rc = rec_set_int(&r, "amount", amount) ? FS_EINVAL : rec_set(c->ctx, &r, "kind", kind, c->err);
		if (!rc)
			rc = rec_finish(c->ctx, &r, 1, c->err);
		if (!rc)
			rc = rec_insert(c->ctx, &r, NULL, c->err);
		rec_done(&r);
		return rc;
	}
	c->changed++;
	json_array_append_new(c->diffs, json_pack("{s:I,s:I,s:I,s:s,s:I,s:I,s:s,s:s}", "claim_id", (json_int_t)old->id,
						  "person_id", (json_int_t)person, "employment_id", (json_int_t)employment,
						  "kind", kind, "old_minor", (json_int_t)old->amount, "new_minor", (json_int_t)amount,
						  "old_rules_version", old->rules_version, "new_rules_version", version));
	if (!c->o->apply)
		return 0;
	c->applied++;
	char amount_s[32];
	fs_money_format(amount, 2, amount_s);
	struct fs_kv kv[] = {{"amount", amount_s}, {"rules_version", version}, {"inputs", inputs}, {"limitation_date", limitation}};
	return fs_update(c->ctx, c->ce, old->id, kv, sizeof(kv) / sizeof(kv[0]), c->err);
}

/* The employments that have computed claims already (one pass, before the
 * employments): the others need no look-up of their claims. */
static int owning_cb(void *p, const struct fs_value *v)
{
	struct compute *c = p;
	if (v[0].type != FS_VINT)
		return 0;
	if (c->nowning == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 1024;
		int64_t *o = realloc(c->owning, cap * sizeof(*o));
		if (!o)
			return c->rc = FS_ENOMEM, 1;
		c->owning = o;
		c->cap = cap;
	}
	c->owning[c->nowning++] = v[0].i;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int has_claims(const struct compute *c, int64_t eid)
{
	return c->nowning && bsearch(&eid, c->owning, c->nowning, sizeof(int64_t), cmp_id) != NULL;
}

static int compute_cb(void *p, const struct fs_value *v)
{
	struct compute *c = p;
	int64_t eid = v[0].i, person = v[c->col[C_PERSON]].i;
#define COL(k) (&v[c->col[k]])
	char hired[16], terminated[16], reason[40], buf[32];
	c->employments++;
	const char *term = c->o->terminated ? c->o->terminated : vtext(COL(C_TERMINATED), terminated, sizeof(terminated));
	const char *why = c->o->reason ? c->o->reason : vtext(COL(C_REASON), reason, sizeof(reason));
	if (!term) {
		c->skipped++;
		return 0;
	}
	struct fs_entitle_in in;
	struct fs_error e = {0};
	fs_entitle_init(&in);
	in.as_of = c->o->as_of;
	in.quiet = 1;
	int rc = fs_entitle_set(&in, "jurisdiction", c->ctx->org_country, &e);
	if (!rc)
		rc = fs_entitle_set(&in, "hired", vtext(COL(C_HIRED), hired, sizeof(hired)), &e);
	if (!rc)
		rc = fs_entitle_set(&in, "terminated", term, &e);
	if (!rc && !why)
		rc = fs_fail(&e, FS_EINVAL, "termination_reason", "the employment has no termination reason; give --reason");
	if (!rc)
		rc = fs_entitle_set(&in, "reason", why, &e);
	if (!rc && COL(C_WAGE)->type != FS_VINT)
		rc = fs_fail(&e, FS_EINVAL, "wage", "the employment has no wage");
	if (!rc) {
		fs_money_format(COL(C_WAGE)->i, 2, buf);
		rc = fs_entitle_set(&in, "wage", buf, &e);
	}
	if (!rc && COL(C_BENEFITS)->type == FS_VINT) {
		fs_money_format(COL(C_BENEFITS)->i, 2, buf);
		rc = fs_entitle_set(&in, "benefits", buf, &e);
	}
	if (!rc && COL(C_ACCRUALS)->type == FS_VINT) {
		fs_money_format(COL(C_ACCRUALS)->i, 2, buf);
		rc = fs_entitle_set(&in, "accruals_12m", buf, &e);
	}
	if (!rc && COL(C_LEAVE)->type == FS_VINT) {
		snprintf(buf, sizeof(buf), "%lld", (long long)COL(C_LEAVE)->i);
		rc = fs_entitle_set(&in, "unused_leave_days", buf, &e);
	}
	if (!rc && COL(C_DAYS)->type == FS_VINT) {
		snprintf(buf, sizeof(buf), "%lld", (long long)COL(C_DAYS)->i);
		rc = fs_entitle_set(&in, "days_worked", buf, &e);
	}
	in.underground = COL(C_UNDERGROUND)->i != 0;
	in.notice_served = COL(C_NOTICE)->i != 0;
#undef COL
	struct fs_entitle_amounts am;
	if (!rc)
		rc = fs_entitle_amounts(&in, &am, &e);
	fs_date deadline = 0;
	if (!rc)
		rc = fs_entitle_deadline(&in, &deadline, &e);
	/* the inputs as the claim stores them (the as_of left out: the claim does
	 * not change with the day it is looked at) */
	char fast[1024], *inputs_s = NULL;
	if (!rc && !fs_entitle_inputs_text(&in, fast, sizeof(fast)) && !(inputs_s = fs_entitle_inputs_json(&in)))
		rc = fs_fail(&e, FS_ENOMEM, NULL, "out of memory");
#if defined(__SANITIZE_ADDRESS__)
	/* the test build: the fast text is the general path's, byte for byte */
	if (!rc && !inputs_s) {
		char *slow = fs_entitle_inputs_json(&in);
		int same = slow && !strcmp(slow, fast);
		free(slow);
		if (!same)
			rc = fs_fail(&e, FS_EINTEGRITY, "inputs", "the inputs' text differs from jansson's: %s", fast);
	}
#endif
	fs_entitle_done(&in);
	if (rc == FS_EINVAL) {
		if (!c->first_error++)
			fs_fail(c->err, FS_EINVAL, e.field, "employment %lld: %s", (long long)eid, e.message);
		add_error(c, eid, person, &e);
		free(inputs_s);
		return 0;
	}
	if (rc) {
		*c->err = e;
		c->rc = rc;
		free(inputs_s);
		return 1;
	}
	const char *inputs = inputs_s ? inputs_s : fast;
	/* the claims this employment has already */
	if (has_claims(c, eid)) {
		static const char *const cols[] = {"id", "kind", "amount_minor", "rules_version", "inputs"};
		struct fs_filter f[2] = {{"employment_id", FS_EQ, fs_vint(eid)}, {"basis", FS_EQ, fs_vtext("computed")}};
		struct fs_query q = {.table = &c->ce->table, .filters = f, .nfilters = 2, .columns = cols, .ncolumns = 5};
		c->rc = fs_store_select(c->ctx->st, &q, existing_cb, c, c->err);
	}
	char limitation[11];
	fs_date_format(deadline, limitation);
	for (size_t i = 0; i < am.n && !c->rc && !c->first_error; i++) {
		if (!strcmp(am.kind[i], "penalty"))
			continue; /* grows by the day: shown by the statement, not stored */
		c->rc = store_component(c, person, eid, am.kind[i], am.amount[i], am.rules_version, inputs, am.currency,
					limitation);
	}
	free(inputs_s);
	free_existing(c);
	return c->rc != 0;
}

int fs_claims_compute(struct fs_ctx *ctx, const struct fs_compute_opts *o, json_t **ret, struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (o->workplace_id <= 0)
		return fs_fail(err, FS_EINVAL, "workplace", "name the workplace (--workplace ID)");
	const struct fs_rules *rules;
	int rc = fs_rules_get(ctx->org_country, &rules, NULL);
	if (rc)
		return fs_fail(err, FS_EINVAL, "org", "the organization's country (%s) has no rule set (available: %s)",
			       ctx->org_country[0] ? ctx->org_country : "none", fs_rules_available());
	if (o->reason) {
		struct fs_entitle_in probe;
		fs_entitle_init(&probe);
		rc = fs_entitle_set(&probe, "reason", o->reason, err);
		fs_entitle_done(&probe);
		if (rc)
			return rc;
	}
	if (o->terminated) {
		fs_date d;
		if ((rc = fs_date_parse(o->terminated, &d, err, "terminated")))
			return rc;
	}
	struct compute c = {.ctx = ctx, .o = o, .err = err, .ee = fs_entity_find("employment"), .ce = fs_entity_find("claim")};
	c.diffs = json_array();
	c.errors = json_array();
	for (size_t i = 0; i < sizeof(COLS) / sizeof(COLS[0]); i++)
		c.col[i] = c.ee->col_of[fs_field_index(c.ee, COLS[i])];
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"workplace_id", FS_EQ, fs_vint(o->workplace_id)}};
	struct fs_query q = {.table = &c.ee->table, .filters = f, .nfilters = 2};
	static const char *const ocols[] = {"employment_id"};
	struct fs_filter of[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"basis", FS_EQ, fs_vtext("computed")}};
	struct fs_query oq = {.table = &c.ce->table, .filters = of, .nfilters = 2, .columns = ocols, .ncolumns = 1};
	if (!(rc = fs_tx_begin(ctx, err))) {
		if (!(rc = fs_store_select(ctx->st, &oq, owning_cb, &c, err)) && !(rc = c.rc)) {
			if (c.nowning)
				qsort(c.owning, c.nowning, sizeof(int64_t), cmp_id);
			rc = fs_batch_begin(ctx, "claims compute", err);
		}
		if (!rc)
			rc = fs_store_select(ctx->st, &q, compute_cb, &c, err);
		if (!rc)
			rc = c.rc;
		if (!rc && c.first_error)
			rc = FS_EINVAL; /* all or nothing: err names the first */
		rc = fs_batch_end(ctx, rc, err);
		rc = fs_tx_end(ctx, rc, rc ? NULL : err);
	}
	free(c.owning);
	rec_done(&c.tmpl);
	if (rc && rc != FS_EINVAL) {
		json_decref(c.diffs);
		json_decref(c.errors);
		free_existing(&c);
		return rc;
	}
	*ret = json_pack("{s:b,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "stored", rc == 0, "rules_version", rules->version,
			 "employments", (json_int_t)c.employments, "skipped_active", (json_int_t)c.skipped,
			 "created", (json_int_t)(rc ? 0 : c.created), "unchanged", (json_int_t)c.unchanged,
			 "changed", (json_int_t)c.changed, "applied", (json_int_t)(rc ? 0 : c.applied),
			 "differences", c.diffs, "errors", c.errors);
	return rc;
}
