/* suggest.c - which incidents and violations the sources now support at a higher
 * verification level than assessed (the rules of doc/record.md):
 *   R3 a cited court document, death certificate, autopsy or official letter;
 *   R2 a documenter's own report and at least one cited evidence item;
 *   R1 two independent sources (reports from different sources), or one direct
 *      source (victim, eyewitness, documenter, doctor) rated B2 or better;
 *   R0 any report.
 * A suggestion is never an assessment: a documenter records one (with the
 * reasons) or not. Contested, discounted and duplicate records are left alone. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum { LV_NONE = 0, LV_R0 = 1, LV_R1, LV_R2, LV_R3 }; /* level index + 1 in fs_verification_levels */

struct src_report {
	int64_t id;
	char source[128]; /* folded-lower source name, "" unknown */
	int direct, rated_b2, documenter;
};

struct subj {
	int64_t id;
	int kind; /* 0 incident, 1 violation */
	int64_t *reports, *evidence;
	size_t nr, cr, ne, ce;
};

struct sg_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	struct src_report *rep;
	size_t nrep, crep;
	struct fs_imap rep_index;    /* report id -> index + 1 */
	struct fs_imap strong;       /* evidence id -> 1 when its kind is documentary proof (R3) */
	struct fs_imap subj_index[2]; /* incident / violation id -> index + 1 */
	struct fs_imap current[2];    /* latest assessed level + 1 */
	struct subj *s;
	size_t ns, cs;
	int rc;
	struct fs_error *err;
};

static struct subj *subject(struct sg_ud *u, int kind, int64_t id)
{
	int64_t *slot = fs_imap_slot(&u->subj_index[kind], id, 1);
	if (!slot)
		return NULL;
	if (*slot)
		return &u->s[*slot - 1];
	if (fs_grow(&u->s, &u->cs, u->ns, sizeof(*u->s), 64))
		return NULL;
	struct subj *s = &u->s[u->ns++];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->kind = kind;
	*slot = (int64_t)u->ns;
	return s;
}

static int add_id(int64_t **a, size_t *n, size_t *cap, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*a)[i] == id)
			return 0;
	if (fs_grow(a, cap, *n, sizeof(**a), 8))
		return FS_ENOMEM;
	(*a)[(*n)++] = id;
	return 0;
}

static int report_cb(void *p, const struct fs_value *v)
{
	struct sg_ud *u = p;
	struct fs_rec r;
	if ((u->rc = rec_from_values(u->ctx, &r, u->e, v, u->err)))
		return 1;
	if (fs_grow(&u->rep, &u->crep, u->nrep, sizeof(*u->rep), 64)) {
		rec_done(&r);
		return u->rc = FS_ENOMEM, 1;
	}
	struct src_report *s = &u->rep[u->nrep];
	memset(s, 0, sizeof(*s));
	s->id = v[0].i;
	const char *src = rec_sealed(&r, "source"), *conn = fs_col_text(u->e, v, "connection");
	const char *rel = fs_col_text(u->e, v, "reliability"), *cred = fs_col_text(u->e, v, "credibility");
	for (size_t i = 0; src && src[i] && i + 1 < sizeof(s->source); i++)
		s->source[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	s->documenter = conn && !strcmp(conn, "documenter");
	s->direct = conn && (!strcmp(conn, "victim") || !strcmp(conn, "eyewitness") || s->documenter || !strcmp(conn, "doctor"));
	s->rated_b2 = rel && cred && (rel[0] == 'a' || rel[0] == 'b') && (cred[0] == '1' || cred[0] == '2');
	int64_t incident = v[u->e->col_of[fs_field_index(u->e, "incident_id")]].i;
	rec_done(&r);
	int64_t *slot = fs_imap_slot(&u->rep_index, s->id, 1);
	struct subj *sj = subject(u, 0, incident);
	if (!slot || !sj || add_id(&sj->reports, &sj->nr, &sj->cr, s->id))
		return u->rc = FS_ENOMEM, 1;
	*slot = (int64_t)++u->nrep;
	return 0;
}

static int evidence_cb(void *p, const struct fs_value *v)
{
	struct sg_ud *u = p;
	const char *kind = fs_col_text(u->e, v, "kind");
	if (kind && (!strcmp(kind, "court_document") || !strcmp(kind, "death_certificate") || !strcmp(kind, "autopsy") ||
		     !strcmp(kind, "official_letter"))) {
		int64_t *slot = fs_imap_slot(&u->strong, v[0].i, 1);
		if (!slot)
			return u->rc = FS_ENOMEM, 1;
		*slot = 1;
	}
	return 0;
}

static int citation_cb(void *p, const struct fs_value *v)
{
	struct sg_ud *u = p;
	const char *subj = fs_col_text(u->e, v, "subject");
	const struct fs_value *sid = &v[u->e->col_of[fs_field_index(u->e, "subject_id")]];
	const struct fs_value *rep = &v[u->e->col_of[fs_field_index(u->e, "report_id")]];
	const struct fs_value *ev = &v[u->e->col_of[fs_field_index(u->e, "evidence_id")]];
	struct subj *s = subject(u, subj && subj[0] == 'v', sid->i);
	if (!s)
		return u->rc = FS_ENOMEM, 1;
	int rc = rep->type == FS_VINT ? add_id(&s->reports, &s->nr, &s->cr, rep->i) : add_id(&s->evidence, &s->ne, &s->ce, ev->i);
	return rc ? (u->rc = rc, 1) : 0;
}

static int assessment_cb(void *p, const struct fs_value *v)
{
	struct sg_ud *u = p;
	const char *subj = fs_col_text(u->e, v, "subject"), *lv = fs_col_text(u->e, v, "level");
	if (!subj || subj[0] == 'p')
		return 0;
	int64_t *slot = fs_imap_slot(&u->current[subj[0] == 'v'], v[u->e->col_of[fs_field_index(u->e, "subject_id")]].i, 1);
	if (!slot)
		return u->rc = FS_ENOMEM, 1;
	for (int i = 0; fs_verification_levels[i]; i++)
		if (lv && !strcmp(lv, fs_verification_levels[i]))
			*slot = i + 1;
	return 0;
}

/* The level the sources support, with why, into *why. */
static int supported(struct sg_ud *u, const struct subj *s, char *why, size_t cap)
{
	for (size_t i = 0; i < s->ne; i++)
		if (fs_imap_slot(&u->strong, s->evidence[i], 0)) {
			snprintf(why, cap, "evidence %lld is documentary proof (court document, death certificate, autopsy or "
				 "official letter)", (long long)s->evidence[i]);
			return LV_R3;
		}
	const struct src_report *r[64];
	size_t n = 0;
	for (size_t i = 0; i < s->nr && n < 64; i++) {
		int64_t *ix = fs_imap_slot(&u->rep_index, s->reports[i], 0);
		if (ix && *ix)
			r[n++] = &u->rep[*ix - 1];
	}
	for (size_t i = 0; i < n && s->ne; i++)
		if (r[i]->documenter) {
			snprintf(why, cap, "a documenter's report (%lld) and %zu evidence item(s)", (long long)r[i]->id, s->ne);
			return LV_R2;
		}
	for (size_t i = 0; i < n; i++)
		if (r[i]->direct && r[i]->rated_b2) {
			snprintf(why, cap, "report %lld: a direct source rated B2 or better", (long long)r[i]->id);
			return LV_R1;
		}
	/* independent: different (or unknown but different-connection) sources */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!r[i]->source[0] || !r[j]->source[0] || strcmp(r[i]->source, r[j]->source)) {
				snprintf(why, cap, "reports %lld and %lld come from different sources", (long long)r[i]->id,
					 (long long)r[j]->id);
				return LV_R1;
			}
	if (n) {
		snprintf(why, cap, "%zu report(s), not corroborated", n);
		return LV_R0;
	}
	return LV_NONE;
}

int fs_record_suggest(struct fs_ctx *ctx, json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (!fs_can(ctx, "record.review"))
		return fs_fail(err, FS_EPERM, NULL, "your role cannot review the record (it needs record.review)");
	struct sg_ud u = {.ctx = ctx, .err = err};
	static const struct {
		const char *entity;
		fs_row_cb cb;
	} passes[] = {{"report", report_cb}, {"evidence", evidence_cb}, {"citation", citation_cb}, {"assessment", assessment_cb}};
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	int rc = fs_read_begin(ctx, err);
	if (!rc) {
		for (size_t i = 0; !rc && i < sizeof(passes) / sizeof(passes[0]); i++) {
			u.e = fs_entity_find(passes[i].entity);
			struct fs_query q = {.table = &u.e->table, .filters = &f, .nfilters = 1};
			rc = fs_store_select(ctx->st, &q, passes[i].cb, &u, err);
			if (!rc)
				rc = u.rc;
		}
		fs_read_end(ctx);
	}
	json_t *rows = rc ? NULL : json_array();
	if (!rc && !rows)
		rc = FS_ENOMEM;
	for (size_t i = 0; !rc && i < u.ns; i++) {
		struct subj *s = &u.s[i];
		char why[256];
		int lv = supported(&u, s, why, sizeof(why));
		int64_t *cur = fs_imap_slot(&u.current[s->kind], s->id, 0);
		int now = cur ? (int)*cur : LV_NONE;
		if (now > LV_R3 || lv <= now) /* XC, XD, DU: a person's judgement, not the sources' count */
			continue;
		json_t *reps = json_array(), *evs = json_array();
		for (size_t k = 0; reps && k < s->nr; k++)
			json_array_append_new(reps, json_integer(s->reports[k]));
		for (size_t k = 0; evs && k < s->ne; k++)
			json_array_append_new(evs, json_integer(s->evidence[k]));
		json_t *o = json_pack("{s:s,s:I,s:s?,s:s,s:s,s:o,s:o}", "subject", s->kind ? "violation" : "incident", "subject_id",
				      (json_int_t)s->id, "current", now ? fs_verification_levels[now - 1] : NULL, "suggested",
				      fs_verification_levels[lv - 1], "why", why, "reports", reps ? reps : json_array(), "evidence",
				      evs ? evs : json_array());
		if (!o || json_array_append_new(rows, o))
			rc = FS_ENOMEM;
	}
	for (size_t i = 0; i < u.ns; i++) {
		free(u.s[i].reports);
		free(u.s[i].evidence);
	}
	free(u.s);
	free(u.rep);
	fs_imap_free(&u.rep_index);
	fs_imap_free(&u.strong);
	for (int k = 0; k < 2; k++) {
		fs_imap_free(&u.subj_index[k]);
		fs_imap_free(&u.current[k]);
	}
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*ret = json_pack("{s:I,s:o}", "count", (json_int_t)json_array_size(rows), "suggestions", rows);
	return *ret ? 0 : FS_ENOMEM;
}
