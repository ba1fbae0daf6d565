/* claims.c - computing claims from employment records with the rules engine:
 * every terminated employment in scope is run through its jurisdiction's rule
 * set, and each component owed is stored as a claim (one batch journal entry).
 * What is paid of them, the watch and a worker's statement: watch.c. */
#include "internal.h"
#include "rules.h"
#include "entitle_int.h"
#include "fs_assert.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/handoff.h"
#include "util/money.h"

/* ---- compute ---- */

struct existing {
	int64_t id;
	int64_t amount;
	char kind[24];
	char rules_version[48];
	char *inputs;
};

struct pipe;

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
	int64_t *owning;     /* employments that have computed claims already, ascending */
	size_t nowning, cap;
	struct fs_rec tmpl;  /* the current employment's claim: its columns but kind and amount */
	int64_t tmpl_emp;    /* the employment tmpl is for (0: none) */
	const char *tmpl_version;
	struct pipe *pipe;   /* the employments read, computed by the worker, stored */
	/* new claims waiting for one multi-row INSERT (pend_flush), in the order read */
	struct fs_rec *pend[FS_STORE_ROWS_MAX];
	const unsigned char *pend_hash[FS_STORE_ROWS_MAX]; /* the worker's row hash */
	int64_t pend_hid[FS_STORE_ROWS_MAX];               /* the id it hashed the row with (0: none) */
	size_t npend;
	/* the main thread waits for the worker: the worker leaves the rest of the
	 * chunk's row hashes to it (pend_flush makes them), so the two share what
	 * is left instead of one waiting for the other */
	atomic_int main_waits;
	/* the new claims' columns and fields, looked up once (claim_proto) */
	int col_person, col_employment, col_amount, col_kind, col_currency, col_basis, col_version, col_status;
	int fi_inputs, fi_limitation;
	/* the columns every claim of the rule set shares (its currency, "computed",
	 * its version), each parsed and checked once by rec_set into proto; amounts
	 * of another rule set (not expected) take rec_set for each employment */
	struct fs_rec proto;
	int proto_ok;
	/* the inputs every employment starts from: the day (as_of), amounts only */
	struct fs_entitle_in in0;
	const char *proto_currency, *proto_version;
	/* each component's kind, parsed and checked once by rec_set; kind_name[i]
	 * NULL when refused (its claims take rec_set, which refuses them as before) */
	const char *kind_name[ENT_MAX_COMPONENTS];
	struct fs_value kind_v[ENT_MAX_COMPONENTS];
	char *kind_own[ENT_MAX_COMPONENTS];
	size_t nkinds;
};

/* The employment columns compute reads, after the id, in this order (C_*). */
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
static int count_cb(void *p, const struct fs_value *v)
{
	(void)v;
	++*(int64_t *)p;
	return 0;
}

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

static int claim_col(const struct fs_entity *e, const char *name)
{
	int fi = fs_field_index(e, name);
	FS_ASSERT(fi >= 0 && e->col_of[fi] >= 0);
	return e->col_of[fi];
}

/* What the new claims of a compute share, parsed and checked once: the
 * columns and fields by index, the rule set's currency, basis and version
 * (proto), and each component's kind. A value rec_set refuses here is left to
 * rec_set on each claim, which refuses it there as it always did. */
static void claim_proto(struct compute *c, const struct fs_rules *rules)
{
	const struct fs_entity *e = c->ce;
	struct fs_error e2 = {0};
	c->col_person = claim_col(e, "person_id");
	c->col_employment = claim_col(e, "employment_id");
	c->col_amount = claim_col(e, "amount");
	c->col_kind = claim_col(e, "kind");
	c->col_currency = claim_col(e, "currency");
	c->col_basis = claim_col(e, "basis");
	c->col_version = claim_col(e, "rules_version");
	c->col_status = claim_col(e, "status");
	c->fi_inputs = fs_field_index(e, "inputs");
	c->fi_limitation = fs_field_index(e, "limitation_date");
	FS_ASSERT(c->fi_inputs >= 0 && c->fi_limitation >= 0);
	rec_init(&c->proto, e);
	c->proto.trusted = 1;
	c->proto_currency = rules->currency;
	c->proto_version = rules->version;
	c->proto_ok = !rec_set(c->ctx, &c->proto, "currency", rules->currency, &e2) &&
		      !rec_set(c->ctx, &c->proto, "basis", "computed", &e2) &&
		      !rec_set(c->ctx, &c->proto, "rules_version", rules->version, &e2) &&
		      !rec_set(c->ctx, &c->proto, "status", "draft", &e2); /* a new claim's (claim_check's default) */
	fs_entitle_init(&c->in0);
	c->in0.as_of = c->o->as_of;
	c->in0.quiet = 1;
	for (size_t k = 0; k < rules->ncomps && k < ENT_MAX_COMPONENTS; k++) {
		struct fs_rec t;
		rec_init(&t, e);
		if (!rec_set(c->ctx, &t, "kind", rules->comps[k].name, &e2) &&
		    t.v[c->col_kind].type == FS_VTEXT) {
			c->kind_name[k] = rules->comps[k].name;
			c->kind_v[k] = t.v[c->col_kind];
			c->kind_own[k] = t.own[c->col_kind]; /* kind_v[k] points into it */
			t.own[c->col_kind] = NULL;
		}
		rec_done(&t);
		c->nkinds = k + 1;
	}
}

static void claim_proto_done(struct compute *c)
{
	rec_done(&c->proto);
	fs_entitle_done(&c->in0);
	for (size_t k = 0; k < c->nkinds; k++)
		free(c->kind_own[k]);
}

/* ---- the pipeline: the rules engine on the second core ----
 * The employments are read in chunks. While the main thread stores one chunk's
 * claims (SQLite, the batch's journal), a worker thread runs the next chunk
 * through the rules engine and builds its claim records, checked and finished
 * (rec_finish): the work that needs no store. A chunk's results are stored in
 * the order read, so the rows, the ids and the batch are those of the one-by-one
 * path; without a thread (none could start) the chunk is computed in place. */

enum { CHUNK = 512 };

struct job { /* one employment: read by the main thread, computed by the worker */
	int64_t eid, person;
	const char *term, *why;
	char hired_s[16], terminated[16], reason[40];
	int hired_null, wage_null, benefits_null, accruals_null, leave_null, days_null;
	int64_t wage, benefits, accruals, leave, days;
	int underground, notice;
	/* the worker's results */
	int rc;
	struct fs_error e;
	struct fs_entitle_amounts am;
	char limitation[11];
	char fast[1024];
	char *inputs_s;   /* the general path's text (NULL: fast) */
	struct fs_rec tmpl; /* the columns the employment's claims share (owns their text) */
	size_t rec0, nrec;  /* its new claims: recs[rec0 .. rec0+nrec) of the chunk, one per component */
	int rec_comp[ENT_MAX_COMPONENTS]; /* the component of each */
};

struct chunk {
	struct compute *c;
	struct job *jobs;
	size_t n;
	struct fs_rec *recs;
	size_t nrecs, caprecs;
	unsigned char (*hash)[FS_HASH_BYTES]; /* recs[i]'s row hash, for the id hid[i] */
	int64_t *hid;                         /* 0: not hashed */
	int64_t id0, id_end; /* the id predicted for the chunk's first new claim, and after its last (0: none) */
	int rc; /* FS_ENOMEM when the worker ran out of memory */
	/* jobs[0 .. nlive) hold the worker's results (tmpl, inputs_s) until it computes the chunk again */
	size_t nlive;
};

static const char *job_inputs(const struct job *j)
{
	return j->inputs_s ? j->inputs_s : j->fast;
}

/* The columns an employment's claims share, into j->tmpl: the person and
 * employment; the rule set's currency, basis, version and a new claim's status as claim_proto
 * checked them (tmpl does not own their text: proto does); the inputs and the
 * deadline each parsed and checked by rec_set_field. */
static int claim_tmpl(const struct compute *c, struct job *j, struct fs_error *e)
{
	struct fs_rec *t = &j->tmpl;
	t->v[c->col_person] = fs_vint(j->person);
	t->v[c->col_employment] = fs_vint(j->eid);
	if (c->proto_ok && j->am.currency == c->proto_currency && j->am.rules_version == c->proto_version) {
		t->v[c->col_currency] = c->proto.v[c->col_currency];
		t->v[c->col_basis] = c->proto.v[c->col_basis];
		t->v[c->col_version] = c->proto.v[c->col_version];
		t->v[c->col_status] = c->proto.v[c->col_status];
		int rc = rec_set_field(c->ctx, t, c->fi_inputs, job_inputs(j), e);
		return rc ? rc : rec_set_field(c->ctx, t, c->fi_limitation, j->limitation, e);
	}
	const char *const text[][2] = {{"currency", j->am.currency},
				       {"basis", "computed"},
				       {"rules_version", j->am.rules_version},
				       {"inputs", job_inputs(j)},
				       {"limitation_date", j->limitation}};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(text) / sizeof(text[0]); i++)
		rc = rec_set(c->ctx, t, text[i][0], text[i][1], e);
	return rc;
}

/* The rules engine over one employment, then its new claims built and checked
 * (no store: the worker's part). */
static void compute_job(struct chunk *k, struct job *j)
{
	const struct compute *c = k->c;
	struct fs_entitle_in in = c->in0; /* its conventions (none) shared, never changed here */
	struct fs_error *e = &j->e;
	j->inputs_s = NULL;
	rec_init(&j->tmpl, c->ce);
	j->nrec = j->rec0 = 0;
	j->rc = 0;
	memset(e, 0, sizeof(*e));
	int rc = fs_entitle_set(&in, "jurisdiction", c->ctx->org_country, e);
	if (!rc)
		rc = fs_entitle_set(&in, "hired", j->hired_null ? NULL : j->hired_s, e);
	if (!rc)
		rc = fs_entitle_set(&in, "terminated", j->term, e);
	if (!rc && !j->why)
		rc = fs_fail(e, FS_EINVAL, "termination_reason", "the employment has no termination reason; give --reason");
	if (!rc)
		rc = fs_entitle_set(&in, "reason", j->why, e);
	if (!rc && j->wage_null)
		rc = fs_fail(e, FS_EINVAL, "wage", "the employment has no wage");
	if (!rc)
		rc = fs_entitle_set_number(&in, "wage", j->wage, e);
	if (!rc && !j->benefits_null)
		rc = fs_entitle_set_number(&in, "benefits", j->benefits, e);
	if (!rc && !j->accruals_null)
		rc = fs_entitle_set_number(&in, "accruals_12m", j->accruals, e);
	if (!rc && !j->leave_null)
		rc = fs_entitle_set_number(&in, "unused_leave_days", j->leave, e);
	if (!rc && !j->days_null)
		rc = fs_entitle_set_number(&in, "days_worked", j->days, e);
	in.underground = j->underground != 0;
	in.notice_served = j->notice != 0;
	if (!rc)
		rc = fs_entitle_amounts(&in, &j->am, e);
	fs_date deadline = 0;
	if (!rc)
		rc = fs_entitle_deadline(&in, &deadline, e);
	/* the inputs as the claim stores them (the as_of left out: the claim does
	 * not change with the day it is looked at) */
	if (!rc && !fs_entitle_inputs_text(&in, j->fast, sizeof(j->fast)) && !(j->inputs_s = fs_entitle_inputs_json(&in)))
		rc = fs_fail(e, FS_ENOMEM, NULL, "out of memory");
#if defined(__SANITIZE_ADDRESS__)
	/* the test build: the fast text is the general path's, byte for byte */
	if (!rc && !j->inputs_s) {
		char *slow = fs_entitle_inputs_json(&in);
		int same = slow && !strcmp(slow, j->fast);
		free(slow);
		if (!same)
			rc = fs_fail(e, FS_EINTEGRITY, "inputs", "the inputs' text differs from jansson's: %s", j->fast);
	}
#endif
	if (!rc)
		fs_date_format(deadline, j->limitation);
	/* the new claims: the columns every component shares (currency, basis, rules
	 * version, inputs, deadline) parsed and checked once, into tmpl; each claim
	 * copies them and sets its kind and amount, then is finished and checked as
	 * any claim. Used when the employment has no computed claims yet. */
	j->tmpl.trusted = 1;
	for (size_t i = 0; !rc && i < j->am.n; i++) {
		if (!strcmp(j->am.kind[i], "penalty") || j->am.amount[i] == 0)
			continue; /* the penalty grows by the day: shown by the statement, not stored */
		if (!j->nrec) {
			if ((rc = claim_tmpl(c, j, e)))
				break;
			j->rec0 = k->nrecs;
		}
		if (k->nrecs == k->caprecs) {
			size_t cap = k->caprecs ? 2 * k->caprecs : 2 * CHUNK;
			struct fs_rec *r = realloc(k->recs, cap * sizeof(*r));
			if (r)
				k->recs = r;
			unsigned char(*h)[FS_HASH_BYTES] = r ? realloc(k->hash, cap * sizeof(*h)) : NULL;
			if (h)
				k->hash = h;
			int64_t *hid = h ? realloc(k->hid, cap * sizeof(*hid)) : NULL;
			if (!hid) {
				rc = fs_fail(e, FS_ENOMEM, NULL, "out of memory");
				break;
			}
			k->hid = hid;
			k->caprecs = cap;
		}
		struct fs_rec *r = &k->recs[k->nrecs++];
		rec_init(r, c->ce);
		r->trusted = 1;
		memcpy(r->v, j->tmpl.v, sizeof(r->v)); /* tmpl owns the text; r owns only what it sets */
		j->rec_comp[j->nrec++] = (int)i;
		r->v[c->col_amount] = fs_vint(j->am.amount[i]);
		/* the kind checked once by rec_set (claim_proto); r does not own its text */
		if (i < c->nkinds && c->kind_name[i] && c->kind_name[i] == j->am.kind[i])
			r->v[c->col_kind] = c->kind_v[i];
		else
			rc = rec_set(c->ctx, r, "kind", j->am.kind[i], e);
		if (!rc)
			rc = rec_finish(c->ctx, r, 1, e);
	}
	j->rc = rc;
}

/* The rules over the chunk; then the row hash of each new claim the main thread
 * will insert as it is (an employment without computed claims), with the id it
 * is predicted to get: the ids ascend from id0 in the order read. The main
 * thread checks each id the insert gave and hashes again when it differs (a
 * claim added to an employment that had some shifts the ids after it). */
static void chunk_free(struct chunk *k);

static void compute_chunk(void *p)
{
	struct chunk *k = p;
	int64_t id = k->id0;
	/* the records of the chunk stored before from this one: freed here, off the main thread */
	chunk_free(k);
	k->nlive = k->n;
	for (size_t i = 0; i < k->n; i++) {
		struct job *j = &k->jobs[i];
		compute_job(k, j);
		for (size_t r = 0; r < j->nrec; r++)
			k->hid[j->rec0 + r] = 0;
		if (j->rc || !id || has_claims(k->c, j->eid))
			continue;
		int hash = !atomic_load_explicit(&k->c->main_waits, memory_order_relaxed);
		for (size_t r = 0; r < j->nrec; r++) {
			struct fs_rec *rec = &k->recs[j->rec0 + r];
			rec->v[0] = fs_vint(id);
			if (hash && !fs_hash_values(rec->e->table.name, rec->v, rec->e->table.ncols, k->hash[j->rec0 + r]))
				k->hid[j->rec0 + r] = id;
			id++;
		}
	}
	k->id_end = id;
}

/* The new claims pending, inserted by one multi-row INSERT (in the order read:
 * the ids of the one-by-one path) and each bound into the batch with its row
 * hash: the worker's when the row got the id it was hashed with, else hashed
 * again here. A sealed claim (none has sealed fields today) goes one by one. */
static int pend_flush(struct compute *c)
{
	size_t n = c->npend, nc = c->ce->table.ncols;
	int rc = 0;
	c->npend = 0;
	if (!n)
		return 0;
	if (c->ce->sealed_col >= 0) {
		for (size_t r = 0; r < n && !rc; r++)
			rc = rec_insert(c->ctx, c->pend[r], NULL, c->err);
		return rc;
	}
	struct fs_value rows[FS_STORE_ROWS_MAX * FS_MAX_COLS];
	int64_t ids[FS_STORE_ROWS_MAX];
	for (size_t r = 0; r < n; r++)
		memcpy(&rows[r * nc], c->pend[r]->v, nc * sizeof(rows[0]));
	if ((rc = fs_store_insert_rows(c->ctx->st, &c->ce->table, rows, n, ids, c->err)))
		return rc;
	for (size_t r = 0; r < n && !rc; r++) {
		struct fs_rec *rec = c->pend[r];
		rec->v[0] = fs_vint(ids[r]);
		const unsigned char *h = ids[r] == c->pend_hid[r] ? c->pend_hash[r] : NULL;
		rc = c->ctx->batch ? fs_batch_add_hashed(c->ctx, rec, h, c->err)
				   : fs_journal_append(c->ctx, "create", NULL, rec, c->err);
	}
	return rc;
}

/* The worker's results held by the chunk: its claim records and each job's
 * tmpl and inputs. Called by the worker before it computes the chunk again,
 * and by pipe_done at the end (the thread joined). */
static void chunk_free(struct chunk *k)
{
	for (size_t i = 0; i < k->nrecs; i++)
		rec_done(&k->recs[i]);
	for (size_t i = 0; i < k->nlive; i++) {
		rec_done(&k->jobs[i].tmpl);
		free(k->jobs[i].inputs_s);
	}
	k->nrecs = k->nlive = 0;
}

/* One computed employment stored (the main thread, in the order read). */
static int store_job(struct compute *c, struct chunk *k, struct job *j)
{
	if (j->rc == FS_EINVAL) {
		if (!c->first_error++)
			fs_fail(c->err, FS_EINVAL, j->e.field, "employment %lld: %s", (long long)j->eid, j->e.message);
		add_error(c, j->eid, j->person, &j->e);
		return 0;
	}
	if (j->rc) {
		*c->err = j->e;
		return c->rc = j->rc;
	}
	if (c->first_error)
		return 0; /* all or nothing: the rest only checked */
	if (!has_claims(c, j->eid)) { /* no claims yet: each component owed is new */
		for (size_t i = 0; i < j->nrec && !c->rc; i++) {
			c->created++;
			size_t x = j->rec0 + i;
			c->pend[c->npend] = &k->recs[x];
			c->pend_hash[c->npend] = k->hash[x];
			c->pend_hid[c->npend] = k->hid[x];
			if (++c->npend == FS_STORE_ROWS_MAX)
				c->rc = pend_flush(c);
		}
		return c->rc;
	}
	if ((c->rc = pend_flush(c))) /* the new claims before this one's first: their ids come first */
		return c->rc;
	/* the claims this employment has already */
	static const char *const cols[] = {"id", "kind", "amount_minor", "rules_version", "inputs"};
	struct fs_filter f[2] = {{"employment_id", FS_EQ, fs_vint(j->eid)}, {"basis", FS_EQ, fs_vtext("computed")}};
	struct fs_query q = {.table = &c->ce->table, .filters = f, .nfilters = 2, .columns = cols, .ncolumns = 5};
	c->rc = fs_store_select(c->ctx->st, &q, existing_cb, c, c->err);
	for (size_t i = 0; i < j->am.n && !c->rc; i++) {
		if (!strcmp(j->am.kind[i], "penalty"))
			continue; /* grows by the day: shown by the statement, not stored */
		c->rc = store_component(c, j->person, j->eid, j->am.kind[i], j->am.amount[i], j->am.rules_version,
					job_inputs(j), j->am.currency, j->limitation);
	}
	free_existing(c);
	return c->rc;
}

struct pipe {
	struct chunk k[2];
	int fill;             /* the chunk being read */
	struct fs_handoff t;  /* the worker: computes the other chunk (util/handoff.c) */
};

/* The worker's chunk awaited, the worker told so (main_waits) meanwhile. */
static void handoff_wait(struct compute *c, struct pipe *pp)
{
	atomic_store_explicit(&c->main_waits, 1, memory_order_relaxed);
	fs_handoff_wait(&pp->t);
	atomic_store_explicit(&c->main_waits, 0, memory_order_relaxed);
}

/* The chunk read is handed to the worker, and the one it computed before is
 * stored meanwhile; the last time (the employments all read) the chunk handed
 * over is then awaited and stored too. */
static int pipe_flush(struct compute *c, struct pipe *pp, int last)
{
	struct chunk *mine = &pp->k[pp->fill], *prev = &pp->k[!pp->fill];
	int rc = 0;
	handoff_wait(c, pp); /* prev computed */
	mine->id0 = prev->id_end; /* the ids continue after those of the chunk stored now */
	if (mine->n)
		fs_handoff_submit(&pp->t, mine); /* no thread: computed in place */
	for (size_t i = 0; i < prev->n && !rc; i++)
		rc = store_job(c, prev, &prev->jobs[i]);
	if (!rc)
		rc = pend_flush(c); /* before its records are freed */
	c->npend = 0;
	prev->n = 0; /* read into again; its records are freed by the worker (chunk_free) */
	pp->fill = !pp->fill;
	if (last && !rc) {
		handoff_wait(c, pp);
		for (size_t i = 0; i < mine->n && !rc; i++)
			rc = store_job(c, mine, &mine->jobs[i]);
		if (!rc)
			rc = pend_flush(c);
		c->npend = 0;
		mine->n = 0; /* its records freed by pipe_done */
	}
	return rc;
}

static int pipe_init(struct compute *c, struct pipe *pp)
{
	memset(pp, 0, sizeof(*pp));
	for (int i = 0; i < 2; i++) {
		pp->k[i].c = c;
		if (!(pp->k[i].jobs = malloc(CHUNK * sizeof(struct job))))
			return FS_ENOMEM;
	}
	fs_handoff_start(&pp->t, compute_chunk, 1); /* else each chunk is computed when handed over */
	return 0;
}

/* The worker awaited (after an error it may still run) and everything freed. */
static void pipe_done(struct pipe *pp)
{
	fs_handoff_stop(&pp->t);
	for (int i = 0; i < 2; i++) {
		if (pp->k[i].jobs)
			chunk_free(&pp->k[i]);
		free(pp->k[i].jobs);
		free(pp->k[i].recs);
		free(pp->k[i].hash);
		free(pp->k[i].hid);
	}
}

static int compute_cb(void *p, const struct fs_value *v)
{
	struct compute *c = p;
	struct pipe *pp = c->pipe;
	struct chunk *k = &pp->k[pp->fill];
	struct job *j = &k->jobs[k->n];
#define COL(x) (&v[1 + (x)]) /* the row read: id, then COLS */
	c->employments++;
	j->eid = v[0].i;
	j->person = COL(C_PERSON)->i;
	j->term = c->o->terminated ? c->o->terminated : vtext(COL(C_TERMINATED), j->terminated, sizeof(j->terminated));
	j->why = c->o->reason ? c->o->reason : vtext(COL(C_REASON), j->reason, sizeof(j->reason));
	if (!j->term) {
		c->skipped++;
		return 0;
	}
	j->hired_null = !vtext(COL(C_HIRED), j->hired_s, sizeof(j->hired_s));
	j->wage_null = COL(C_WAGE)->type != FS_VINT;
	j->wage = COL(C_WAGE)->i;
	j->benefits_null = COL(C_BENEFITS)->type != FS_VINT;
	j->benefits = COL(C_BENEFITS)->i;
	j->accruals_null = COL(C_ACCRUALS)->type != FS_VINT;
	j->accruals = COL(C_ACCRUALS)->i;
	j->leave_null = COL(C_LEAVE)->type != FS_VINT;
	j->leave = COL(C_LEAVE)->i;
	j->days_null = COL(C_DAYS)->type != FS_VINT;
	j->days = COL(C_DAYS)->i;
	j->underground = COL(C_UNDERGROUND)->i != 0;
	j->notice = COL(C_NOTICE)->i != 0;
#undef COL
	/* the job's results (tmpl, inputs_s, rc ...) are set by the worker
	 * (compute_job), which frees those of the job before it first */
	if (++k->n < CHUNK)
		return 0;
	/* the select stops and returns 0: the failure is kept in c->rc, or the
	 * transaction would commit the claims stored so far as if all were */
	int rc = pipe_flush(c, pp, 0);
	if (rc && !c->rc)
		c->rc = rc;
	return rc != 0;
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
	/* the employments are read with the columns compute needs only: id, then COLS */
	enum { NCOLS = sizeof(COLS) / sizeof(COLS[0]) };
	const char *qcols[1 + NCOLS] = {"id"};
	for (size_t i = 0; i < NCOLS; i++)
		qcols[1 + i] = c.ee->table.cols[c.ee->col_of[fs_field_index(c.ee, COLS[i])]].name;
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"workplace_id", FS_EQ, fs_vint(o->workplace_id)}};
	struct fs_query q = {.table = &c.ee->table, .filters = f, .nfilters = 2, .columns = qcols, .ncolumns = 1 + NCOLS};
	static const char *const ocols[] = {"employment_id", "id"};
	struct fs_filter of[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"basis", FS_EQ, fs_vtext("computed")}};
	struct fs_query oq = {.table = &c.ce->table, .filters = of, .nfilters = 2, .columns = ocols, .ncolumns = 1};
	/* The claims' references are known good, so their foreign-key look-ups (the
	 * organization, the person, the employment: three per claim) are left out
	 * on SQLite: the organization is the one open, and the employment and its
	 * person are the row read in this same write transaction, whose own key was
	 * checked when it was stored (a person with employments cannot be removed).
	 * Only outside a caller's transaction (SQLite ignores it inside one). */
	int fk_off = ctx->tx_depth == 0 && ctx->st->ops->foreign_keys;
	if (fk_off && (rc = ctx->st->ops->foreign_keys(ctx->st, 0, err))) {
		json_decref(c.diffs);
		json_decref(c.errors);
		return rc;
	}
	claim_proto(&c, rules);
	int64_t many = 0; /* how many employments, counted up to FS_BULK_ROWS */
	struct fs_query mq = {.table = &c.ee->table, .filters = f, .nfilters = 2, .limit = FS_BULK_ROWS,
			      .columns = ocols + 1, .ncolumns = 1};
	if (!(rc = fs_store_select(ctx->st, &mq, count_cb, &many, err)) && !(rc = fs_tx_begin_bulk(ctx, many, err))) {
		if (!(rc = fs_store_select(ctx->st, &oq, owning_cb, &c, err)) && !(rc = c.rc)) {
			if (c.nowning)
				qsort(c.owning, c.nowning, sizeof(int64_t), cmp_id);
			rc = fs_batch_begin(ctx, "claims compute", err);
		}
		struct pipe pp = {0};
		if (!rc && !(rc = pipe_init(&c, &pp))) {
			c.pipe = &pp;
			/* the id the first new claim will get (SQLite: the highest plus one, as
			 * the multi-row INSERT gives them); a sequence's (PostgreSQL) is not
			 * predicted, as taking one would skip it: hashed on this thread */
			int64_t next = 0;
			struct fs_error e2 = {0};
			if (!ctx->st->ops->next_id && fs_store_next_id(ctx->st, &c.ce->table, &next, &e2))
				next = 0;
			pp.k[0].id_end = pp.k[1].id_end = next;
			rc = fs_store_select(ctx->st, &q, compute_cb, &c, err);
			if (!rc)
				rc = c.rc;
			if (!rc)
				rc = pipe_flush(&c, &pp, 1); /* the last chunk */
		}
		pipe_done(&pp);
		if (!rc)
			rc = c.rc;
		if (!rc && c.first_error)
			rc = FS_EINVAL; /* all or nothing: err names the first */
		rc = fs_batch_end(ctx, rc, err);
		rc = fs_tx_end(ctx, rc, rc ? NULL : err);
	}
	if (fk_off) { /* back on for every other write of this connection */
		int frc = ctx->st->ops->foreign_keys(ctx->st, 1, rc ? NULL : err);
		rc = rc ? rc : frc;
	}
	free(c.owning);
	rec_done(&c.tmpl);
	claim_proto_done(&c);
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
