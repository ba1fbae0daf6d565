/* record_defs.c - the record's entities as data (evidence, incidents, actions and
 * their stages and demands, violations, assessments, reports, detentions, legal
 * cases, hearings, citations, person links: fields, kinds, limits) and their
 * checks. Who reads which of them: handling.c. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"
#include "entity_int.h"
#include "policy.h"

static const char *const handling_levels[] = {"public", "internal", "restricted", "sealed", NULL};
const char *const fs_evidence_kinds[] = {"photo", "video", "audio", "medical_certificate", "court_document",
	"death_certificate", "autopsy", "official_letter", "testimony_transcript", "web_capture", "other", NULL};
static const struct fs_field evidence_fields[] = {
	{"sha256", FK_TEXT, FF_REQUIRED | FF_IMMUTABLE, 64, NULL, NULL, "SHA-256 of the file's content (set by 'evidence add')"},
	{"size", FK_COUNT, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, NULL, "size in bytes (set by 'evidence add')"},
	{"filename", FK_TEXT, FF_RESTRICTED, 255, NULL, NULL, "the file's name when it was added"},
	{"captured_on", FK_DATE, 0, 0, NULL, NULL, "date the photo, video or document was made"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
	{"kind", FK_ENUM, 0, 0, NULL, fs_evidence_kinds, "photo, video, audio, medical_certificate, court_document, "
	 "death_certificate, autopsy, official_letter, testimony_transcript, web_capture, other"},
	{"description", FK_TEXT, FF_SEALED, 2000, NULL, NULL, "what it shows (sealed)"},
	{"provided_by", FK_TEXT, FF_SEALED, 200, NULL, NULL, "who gave it to the union (sealed)"},
};

static const char *const incident_types[] = {"strike", "peaceful_protest", "protest_dispersed", "excessive_force",
	"mass_arrest", "raid", "targeted_attack", "abduction", "court_hearing", "work_accident", "other", NULL};
static const struct fs_field incident_fields[] = {
	{"type", FK_ENUM, FF_REQUIRED, 0, NULL, incident_types, "strike, peaceful_protest, protest_dispersed, excessive_force, "
	 "mass_arrest, raid, targeted_attack, abduction, court_hearing, work_accident, other"},
	{"started_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date it began"},
	{"ended_on", FK_DATE, 0, 0, NULL, NULL, "date it ended"},
	{"place", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "place (town, site, street)"},
	{"region", FK_TEXT, 0, 100, NULL, NULL, "region or province"},
	{"summary", FK_TEXT, FF_RESTRICTED, 2000, NULL, NULL, "what happened, in public words"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
	{"action_id", FK_REF, 0, 0, "action", NULL, "the action (strike, march ...) it happened in"},
	{"stage_id", FK_REF, 0, 0, "stage", NULL, "the stage of a march it happened at"},
};

const char *const fs_action_kinds[] = {"strike", "general_strike", "wildcat", "work_stoppage", "occupation", "march",
	"rally", "picket", "camp", "hunger_strike", "boycott", "other", NULL};
static const struct fs_field action_fields[] = {
	{"kind", FK_ENUM, FF_REQUIRED, 0, NULL, fs_action_kinds, "strike, general_strike, wildcat, work_stoppage, "
	 "occupation, march, rally, picket, camp, hunger_strike, boycott, other"},
	{"title", FK_NAME, FF_REQUIRED, 200, NULL, NULL, "a short public title"},
	{"started_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "first day"},
	{"ended_on", FK_DATE, 0, 0, NULL, NULL, "last day (empty while it goes on)"},
	{"place", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "place (town, site)"},
	{"region", FK_TEXT, 0, 100, NULL, NULL, "region or province"},
	{"employer_id", FK_REF, 0, 0, "employer", NULL, "the employer it is against"},
	{"workplace_id", FK_REF, 0, 0, "workplace", NULL, "the workplace"},
	{"organizations", FK_TEXT, FF_RESTRICTED, 500, NULL, NULL, "organizations taking part"},
	{"participants_low", FK_COUNT, 0, 0, NULL, NULL, "participants: at least"},
	{"participants_high", FK_COUNT, 0, 0, NULL, NULL, "participants: at most"},
	{"summary", FK_TEXT, FF_RESTRICTED, 2000, NULL, NULL, "what it is about, in public words"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};
static const struct fs_field stage_fields[] = {
	{"action_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "action", NULL, "the march (or other action)"},
	{"number", FK_COUNT, FF_REQUIRED, 0, NULL, NULL, "stage number: 1, 2, ..."},
	{"held_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date of the stage"},
	{"from_place", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "where it set out"},
	{"to_place", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "where it arrived"},
	{"region", FK_TEXT, 0, 100, NULL, NULL, "region or province"},
	{"participants_low", FK_COUNT, 0, 0, NULL, NULL, "participants: at least"},
	{"participants_high", FK_COUNT, 0, 0, NULL, NULL, "participants: at most"},
	{"note", FK_TEXT, FF_RESTRICTED, 1000, NULL, NULL, "what happened on the way"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};
const char *const fs_demand_statuses[] = {"pending", "won", "partly_won", "lost", NULL};
static const struct fs_field demand_fields[] = {
	{"action_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "action", NULL, "the action making the demand"},
	{"text", FK_TEXT, FF_REQUIRED | FF_RESTRICTED, 500, NULL, NULL, "the demand, in the action's words"},
	{"status", FK_ENUM, 0, 0, NULL, fs_demand_statuses, "pending (default), won, partly_won, lost"},
	{"outcome_on", FK_DATE, 0, 0, NULL, NULL, "date it was won, partly won or lost"},
	{"note", FK_TEXT, FF_RESTRICTED, 500, NULL, NULL, "what was obtained, by whom, the document"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};

const char *const fs_violation_types[] = {"arbitrary_arrest", "administrative_detention", "pretrial_detention",
	"incommunicado_detention", "enforced_disappearance", "torture", "ill_treatment", "sexual_violence", "injury",
	"extrajudicial_killing", "death_in_custody", "criminal_charge", "conviction", "administrative_penalty",
	"travel_ban", "dismissal", "blacklisting", "union_deregistration", "surveillance", "threat", "family_reprisal",
	"property_destruction", "forced_confession", "deportation", "death_at_work", NULL};
static const char *const involvement_levels[] = {"alleged", "established", NULL};
static const struct fs_field violation_fields[] = {
	{"incident_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "incident", NULL, "the incident"},
	{"type", FK_ENUM, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, fs_violation_types,
	 "arbitrary_arrest, pretrial_detention, torture, injury, extrajudicial_killing, ... (see the manual)"},
	{"person_id", FK_REF, 0, 0, "person", NULL, "the victim, when named"},
	{"victims_low", FK_COUNT, 0, 0, NULL, NULL, "unnamed victims: at least this many"},
	{"victims_high", FK_COUNT, 0, 0, NULL, NULL, "unnamed victims: at most this many"},
	{"occurred_on", FK_DATE, 0, 0, NULL, NULL, "date (default: the incident's)"},
	{"method", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "e.g. live ammunition, rubber bullets, beating"},
	{"perpetrator", FK_TEXT, FF_SEALED, 300, NULL, NULL, "organisation, unit or person (sealed)"},
	{"involvement", FK_ENUM, 0, 0, NULL, involvement_levels, "the perpetrator's involvement: alleged or established"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};

static const char *const assessment_subjects[] = {"incident", "violation", "person", NULL};
const char *const fs_verification_levels[] = {"r0", "r1", "r2", "r3", "xc", "xd", "du", NULL};
static const struct fs_field assessment_fields[] = {
	{"subject", FK_ENUM, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, assessment_subjects, "incident, violation or person"},
	{"subject_id", FK_COUNT, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, NULL, "the id of the incident, violation or person"},
	{"level", FK_ENUM, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, fs_verification_levels,
	 "R0 reported, R1 corroborated, R2 verified, R3 confirmed, XC contested, XD discounted, DU duplicate"},
	{"reason", FK_TEXT, FF_REQUIRED | FF_IMMUTABLE | FF_RESTRICTED, 1000, NULL, NULL, "why: the sources and documents weighed"},
	{"assessed_on", FK_DATE, FF_IMMUTABLE, 0, NULL, NULL, "date (default today)"},
};

static const char *const report_channels[] = {"in_person", "phone", "messenger", "email", "letter", "media", "court_file",
	"other", NULL};
static const char *const report_connections[] = {"victim", "family", "eyewitness", "co_worker", "lawyer", "doctor",
	"official", "media", "documenter", "other", NULL};
static const char *const report_languages[] = {"kk", "ru", "tr", "en", "other", NULL};
static const char *const reliability_codes[] = {"a", "b", "c", "d", "e", "f", NULL};
static const char *const credibility_codes[] = {"1", "2", "3", "4", "5", "6", NULL};
static const struct fs_field report_fields[] = {
	{"incident_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "incident", NULL, "the incident the statement is about"},
	{"received_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date received"},
	{"channel", FK_ENUM, 0, 0, NULL, report_channels, "in_person, phone, messenger, email, letter, media, court_file, other"},
	{"connection", FK_ENUM, FF_REQUIRED, 0, NULL, report_connections,
	 "the source's connection to the facts: victim, family, eyewitness, co_worker, lawyer, doctor, official, media, documenter, other"},
	{"reliability", FK_ENUM, FF_REQUIRED, 0, NULL, reliability_codes, "source reliability A (reliable) to F (cannot be judged)"},
	{"credibility", FK_ENUM, FF_REQUIRED, 0, NULL, credibility_codes, "information credibility 1 (confirmed) to 6 (cannot be judged)"},
	{"language", FK_ENUM, 0, 0, NULL, report_languages, "language of the statement: kk, ru, tr, en, other"},
	{"source", FK_TEXT, FF_SEALED, 300, NULL, NULL, "who gave the statement (sealed)"},
	{"text", FK_TEXT, FF_SEALED | FF_REQUIRED, 20000, NULL, NULL, "the statement, as given (sealed)"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};

static const char *const whereabouts_states[] = {"unknown", "acknowledged", "disclosed", NULL};
static const char *const release_kinds[] = {"released", "bail", "house_arrest", "fine_paid", "acquitted", "sentence_served",
	"other", NULL};
static const struct fs_field detention_fields[] = {
	{"person_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "the person detained"},
	{"incident_id", FK_REF, 0, 0, "incident", NULL, "the incident"},
	{"arrested_at", FK_TIME, FF_REQUIRED, 0, NULL, NULL, "when (UTC): 2011-12-17T09:00"},
	{"arresting_body", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "police unit, security service ..."},
	{"held_at", FK_TEXT, FF_RESTRICTED, 300, NULL, NULL, "places held"},
	{"whereabouts", FK_ENUM, 0, 0, NULL, whereabouts_states, "unknown (default), acknowledged, disclosed"},
	{"whereabouts_since", FK_TIME, 0, 0, NULL, NULL, "since when the whereabouts are as stated (default: arrested_at)"},
	{"lawyer_access", FK_BOOL, 0, 0, NULL, NULL, "a lawyer has seen the person"},
	{"released_at", FK_TIME, 0, 0, NULL, NULL, "when released (UTC)"},
	{"release_kind", FK_ENUM, 0, 0, NULL, release_kinds, "released, bail, house_arrest, fine_paid, acquitted, sentence_served, other"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};

static const char *const verdicts[] = {"pending", "convicted", "acquitted", "dismissed", NULL};
static const char *const sentence_types[] = {"none", "prison", "suspended", "restricted_freedom", "fine",
	"administrative_jail", NULL};
static const struct fs_field case_fields[] = {
	{"person_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "the person prosecuted"},
	{"incident_id", FK_REF, 0, 0, "incident", NULL, "the incident the case comes from"},
	{"charges", FK_TEXT, FF_REQUIRED | FF_RESTRICTED, 500, NULL, NULL, "charges, with the articles of the code"},
	{"court", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "court"},
	{"case_number", FK_TEXT, FF_RESTRICTED, 64, NULL, NULL, "the court's case number"},
	{"custody_since", FK_DATE, 0, 0, NULL, NULL, "first day in custody (arrest or start of the sentence)"},
	{"verdict", FK_ENUM, 0, 0, NULL, verdicts, "pending (default), convicted, acquitted, dismissed"},
	{"verdict_on", FK_DATE, 0, 0, NULL, NULL, "date of the verdict"},
	{"sentence", FK_ENUM, 0, 0, NULL, sentence_types, "none, prison, suspended, restricted_freedom, fine, administrative_jail"},
	{"sentence_months", FK_COUNT, 0, 0, NULL, NULL, "length of a prison or jail sentence in months"},
	{"expected_release", FK_DATE, 0, 0, NULL, NULL, "expected release (default: custody_since + sentence)"},
	{"released_on", FK_DATE, 0, 0, NULL, NULL, "date released"},
	{"appeal", FK_TEXT, FF_RESTRICTED, 500, NULL, NULL, "appeal: court, date, outcome"},
	{"lawyer", FK_TEXT, FF_SEALED, 200, NULL, NULL, "defence lawyer (sealed)"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};

static const char *const link_decisions[] = {"same", "different", NULL};
static const char *const hearing_kinds[] = {"preliminary", "trial", "verdict", "appeal", "cassation", "other", NULL};
static const struct fs_field hearing_fields[] = {
	{"case_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "case", NULL, "the legal case"},
	{"held_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date of the hearing"},
	{"kind", FK_ENUM, 0, 0, NULL, hearing_kinds, "preliminary, trial, verdict, appeal, cassation, other"},
	{"court", FK_TEXT, FF_RESTRICTED, 200, NULL, NULL, "court (default: the case's)"},
	{"outcome", FK_TEXT, FF_RESTRICTED, 1000, NULL, NULL, "what the court decided or heard"},
	{"next_on", FK_DATE, 0, 0, NULL, NULL, "date of the next hearing"},
	{"handling", FK_ENUM, 0, 0, NULL, handling_levels, "public, internal (default), restricted, sealed"},
};

static const char *const citation_subjects[] = {"incident", "violation", NULL};
static const struct fs_field citation_fields[] = {
	{"subject", FK_ENUM, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, citation_subjects, "incident or violation"},
	{"subject_id", FK_COUNT, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, NULL, "the id of the incident or violation"},
	{"report_id", FK_REF, FF_IMMUTABLE, 0, "report", NULL, "the report that supports it"},
	{"evidence_id", FK_REF, FF_IMMUTABLE, 0, "evidence", NULL, "or the evidence item that supports it"},
	{"note", FK_TEXT, 0, 500, NULL, NULL, "what in the source bears on it"},
};

static const struct fs_field link_fields[] = {
	{"person_a", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "one person record"},
	{"person_b", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "the other"},
	{"decision", FK_ENUM, FF_REQUIRED, 0, NULL, link_decisions, "same (one person) or different"},
	{"reason", FK_TEXT, 0, 500, NULL, NULL, "why (documents compared, family asked ...)"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int link_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_link = {.name = "link", .plural = "person_links", .label = NULL, .owned = 1,
	.fields = link_fields, .nfields = N(link_fields), .check = link_check};
static int evidence_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_evidence = {.name = "evidence", .plural = "evidence", .label = "filename", .owned = 1,
	.fields = evidence_fields, .nfields = N(evidence_fields), .check = evidence_check,
	.managed = "fairshare evidence add FILE"};
static int incident_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int violation_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int assessment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_incident = {.name = "incident", .plural = "incidents", .label = NULL, .owned = 1,
	.fields = incident_fields, .nfields = N(incident_fields), .check = incident_check};
struct fs_entity fs_ent_violation = {.name = "violation", .plural = "violations", .label = NULL, .owned = 1,
	.fields = violation_fields, .nfields = N(violation_fields), .check = violation_check};
struct fs_entity fs_ent_assessment = {.name = "assessment", .plural = "assessments", .label = NULL, .owned = 1,
	.fields = assessment_fields, .nfields = N(assessment_fields), .check = assessment_check, .append_only = 1};
static int case_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_case = {.name = "case", .plural = "legal_cases", .label = NULL, .owned = 1,
	.fields = case_fields, .nfields = N(case_fields), .check = case_check};
static int report_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_report = {.name = "report", .plural = "reports", .label = NULL, .owned = 1,
	.fields = report_fields, .nfields = N(report_fields), .check = report_check, .append_only = 1};
static int detention_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_detention = {.name = "detention", .plural = "detentions", .label = NULL, .owned = 1,
	.fields = detention_fields, .nfields = N(detention_fields), .check = detention_check};
static int action_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int stage_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int demand_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int hearing_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int citation_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_action = {.name = "action", .plural = "actions", .label = "title", .owned = 1,
	.fields = action_fields, .nfields = N(action_fields), .check = action_check};
struct fs_entity fs_ent_stage = {.name = "stage", .plural = "action_stages", .label = NULL, .owned = 1,
	.fields = stage_fields, .nfields = N(stage_fields), .check = stage_check};
struct fs_entity fs_ent_demand = {.name = "demand", .plural = "demands", .label = NULL, .owned = 1,
	.fields = demand_fields, .nfields = N(demand_fields), .check = demand_check};
struct fs_entity fs_ent_hearing = {.name = "hearing", .plural = "hearings", .label = NULL, .owned = 1,
	.fields = hearing_fields, .nfields = N(hearing_fields), .check = hearing_check};
struct fs_entity fs_ent_citation = {.name = "citation", .plural = "citations", .label = NULL, .owned = 1,
	.fields = citation_fields, .nfields = N(citation_fields), .check = citation_check};

static int default_handling(struct fs_rec *r);

static int link_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	int64_t a = rec_field(r, "person_a")->i, b = rec_field(r, "person_b")->i;
	if (a == b)
		return fs_fail(err, FS_EINVAL, "person_b", "a person record is not linked to itself");
	if (a > b) { /* one order for one pair */
		rec_set_int(r, "person_a", b);
		rec_set_int(r, "person_b", a);
	}
	return 0;
}

static int default_handling(struct fs_rec *r)
{
	int col = r->e->col_of[fs_field_index(r->e, "handling")];
	return r->v[col].type == FS_VNULL ? rec_set_bytes(r, col, FS_VTEXT, "internal", 8) : 0;
}

static int evidence_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const struct fs_value *h = rec_field(r, "sha256");
	int ok = h->type == FS_VTEXT && h->n == 64;
	const char *hp = h->p;
	for (size_t i = 0; ok && i < h->n; i++)
		ok = (hp[i] >= '0' && hp[i] <= '9') || (hp[i] >= 'a' && hp[i] <= 'f');
	if (!ok)
		return fs_fail(err, FS_EINVAL, "sha256", "is not a SHA-256 in lower-case hex (64 characters)");
	return default_handling(r);
}

static int incident_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = chk_dates_in_order(r, "started_on", "ended_on", err);
	if (rc)
		return rc;
	const struct fs_value *st = rec_field(r, "stage_id"), *ac = rec_field(r, "action_id");
	if (st->type == FS_VINT) { /* a stage belongs to one action: take it, or check it */
		int64_t of = chk_ref_field(ctx, "stage", st->i, "action_id");
		if (ac->type == FS_VNULL && of > 0)
			rec_set_int(r, "action_id", of);
		else if (ac->type == FS_VINT && of > 0 && of != ac->i)
			return fs_fail(err, FS_EINVAL, "stage_id", "stage %lld belongs to action %lld, not %lld", (long long)st->i,
				       (long long)of, (long long)ac->i);
	}
	return default_handling(r);
}

static int first_id_cb(void *p, const struct fs_value *v)
{
	int64_t *id = p;
	if (!*id)
		*id = v[0].i;
	return 0;
}

/* The id of another record of r's entity matching the filters, or 0. */
static int64_t other_with(struct fs_ctx *ctx, const struct fs_rec *r, const struct fs_filter *f, size_t nf)
{
	int64_t found = 0, self = r->v[0].type == FS_VINT ? r->v[0].i : 0;
	static const char *const idcol[] = {"id"};
	struct fs_filter all[4];
	for (size_t i = 0; i < nf && i < 3; i++)
		all[i] = f[i];
	all[nf] = (struct fs_filter){"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &r->e->table, .filters = all, .nfilters = nf + 1, .columns = idcol, .ncolumns = 1};
	if (fs_store_select(ctx->st, &q, first_id_cb, &found, NULL))
		return 0;
	if (found == self) { /* an edit of the same record: look past it */
		found = 0;
		struct fs_filter more[5];
		memcpy(more, all, sizeof(all));
		more[nf + 1] = (struct fs_filter){"id", FS_GE, fs_vint(self + 1)};
		q.filters = more;
		q.nfilters = nf + 2;
		if (fs_store_select(ctx->st, &q, first_id_cb, &found, NULL))
			return 0;
		if (!found) {
			more[nf + 1] = (struct fs_filter){"id", FS_LE, fs_vint(self - 1)};
			if (fs_store_select(ctx->st, &q, first_id_cb, &found, NULL))
				return 0;
		}
	}
	return found;
}

static int participants_in_order(struct fs_rec *r, struct fs_error *err)
{
	const struct fs_value *lo = rec_field(r, "participants_low"), *hi = rec_field(r, "participants_high");
	if (lo->type == FS_VINT && hi->type == FS_VINT && hi->i < lo->i)
		return fs_fail(err, FS_EINVAL, "participants_high", "is less than participants_low");
	return 0;
}

static int action_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = chk_dates_in_order(r, "started_on", "ended_on", err);
	if (!rc)
		rc = participants_in_order(r, err);
	if (rc)
		return rc;
	const struct fs_value *wp = rec_field(r, "workplace_id"), *em = rec_field(r, "employer_id");
	if (wp->type == FS_VINT) {
		int64_t of = chk_ref_field(ctx, "workplace", wp->i, "employer_id");
		if (em->type == FS_VNULL && of > 0)
			rec_set_int(r, "employer_id", of);
		else if (em->type == FS_VINT && of > 0 && of != em->i)
			return fs_fail(err, FS_EINVAL, "workplace_id", "workplace %lld is run by employer %lld, not %lld",
				       (long long)wp->i, (long long)of, (long long)em->i);
	}
	return default_handling(r);
}

static int stage_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	if (rec_field(r, "number")->i < 1)
		return fs_fail(err, FS_EINVAL, "number", "stages are numbered from 1");
	struct fs_filter same[2] = {{"action_id", FS_EQ, *rec_field(r, "action_id")}, {"number", FS_EQ, *rec_field(r, "number")}};
	int64_t other = other_with(ctx, r, same, 2);
	if (other)
		return fs_fail(err, FS_ECONFLICT, "number", "action %lld has a stage %lld already (stage record %lld)",
			       (long long)rec_field(r, "action_id")->i, (long long)rec_field(r, "number")->i, (long long)other);
	int rc = participants_in_order(r, err);
	if (rc)
		return rc;
	const char *on = chk_text(r, "held_on");
	int64_t act = rec_field(r, "action_id")->i;
	char from[16] = "", to[16] = "";
	rc = chk_ref_text(ctx, "action", act, "started_on", from, sizeof(from));
	if (!rc)
		rc = chk_ref_text(ctx, "action", act, "ended_on", to, sizeof(to));
	if (rc)
		return fs_fail(err, rc, "action_id", "cannot read action %lld", (long long)act);
	if (on && *from && strcmp(on, from) < 0)
		return fs_fail(err, FS_EINVAL, "held_on", "is before the action started (%s)", from);
	if (on && *to && strcmp(on, to) > 0)
		return fs_fail(err, FS_EINVAL, "held_on", "is after the action ended (%s)", to);
	return default_handling(r);
}

static int demand_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const struct fs_value *st = rec_field(r, "status"), *on = rec_field(r, "outcome_on");
	if (chk_default_text(r, "status", "pending"))
		return FS_ENOMEM;
	st = rec_field(r, "status");
	if (!strcmp(st->p, "pending") && on->type != FS_VNULL)
		return fs_fail(err, FS_EINVAL, "outcome_on", "a pending demand has no outcome date yet (set status too)");
	return default_handling(r);
}

static int hearing_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_value *on = rec_field(r, "held_on"), *next = rec_field(r, "next_on");
	if (on->type == FS_VTEXT && next->type == FS_VTEXT && strcmp(next->p, on->p) <= 0)
		return fs_fail(err, FS_EINVAL, "next_on", "the next hearing comes after this one (%s)", (const char *)on->p);
	if (rec_field(r, "court")->type == FS_VNULL) {
		char court[201] = "";
		int rc = chk_ref_text(ctx, "case", rec_field(r, "case_id")->i, "court", court, sizeof(court));
		if (!rc && *court)
			rc = chk_default_text(r, "court", court);
		if (rc)
			return rc;
	}
	return default_handling(r);
}

static int citation_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_value *rep = rec_field(r, "report_id"), *ev = rec_field(r, "evidence_id");
	if ((rep->type == FS_VNULL) == (ev->type == FS_VNULL))
		return fs_fail(err, FS_EINVAL, "report_id", "a citation names one source: report_id or evidence_id");
	const char *src = rep->type == FS_VINT ? "report_id" : "evidence_id";
	struct fs_filter same[3] = {{"subject", FS_EQ, *rec_field(r, "subject")}, {"subject_id", FS_EQ, *rec_field(r, "subject_id")},
				    {src, FS_EQ, *rec_field(r, src)}};
	int64_t other = other_with(ctx, r, same, 3);
	if (other)
		return fs_fail(err, FS_ECONFLICT, src, "this source is cited for this %s already (citation %lld)",
			       (const char *)rec_field(r, "subject")->p, (long long)other);
	const struct fs_value *s = rec_field(r, "subject");
	const struct fs_field f = {"subject_id", FK_REF, 0, 0, s->p, NULL, NULL};
	return rec_ref_check(ctx, &f, rec_field(r, "subject_id")->i, err);
}

static int violation_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const struct fs_value *p = rec_field(r, "person_id"), *lo = rec_field(r, "victims_low"), *hi = rec_field(r, "victims_high");
	int named = p->type != FS_VNULL, counted = lo->type != FS_VNULL || hi->type != FS_VNULL;
	if (named && counted)
		return fs_fail(err, FS_EINVAL, "victims_low", "a violation names one victim (person_id) or counts unnamed "
			       "victims (victims_low/victims_high), not both");
	if (!named && !counted)
		return fs_fail(err, FS_EINVAL, "person_id", "name the victim (person_id) or give victims_low/victims_high");
	if (counted) {
		if (lo->type == FS_VNULL)
			rec_set_int(r, "victims_low", hi->i);
		else if (hi->type == FS_VNULL)
			rec_set_int(r, "victims_high", lo->i);
		lo = rec_field(r, "victims_low");
		hi = rec_field(r, "victims_high");
		if (hi->i < lo->i)
			return fs_fail(err, FS_EINVAL, "victims_high", "is less than victims_low");
		if (hi->i == 0)
			return fs_fail(err, FS_EINVAL, "victims_high", "must be at least 1");
	}
	return default_handling(r);
}

static int assessment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_value *s = rec_field(r, "subject");
	const struct fs_field f = {"subject_id", FK_REF, 0, 0, s->p, NULL, NULL};
	int rc = rec_ref_check(ctx, &f, rec_field(r, "subject_id")->i, err);
	if (rc)
		return rc;
	const struct fs_value *d = rec_field(r, "assessed_on");
	if (d->type == FS_VNULL) {
		char today[16];
		fs_date_format(fs_date_today(), today);
		int col = r->e->col_of[fs_field_index(r->e, "assessed_on")];
		return rec_set_bytes(r, col, FS_VTEXT, today, strlen(today));
	}
	return 0;
}

static int case_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const struct fs_value *v = rec_field(r, "verdict"), *st = rec_field(r, "sentence"), *m = rec_field(r, "sentence_months");
	const struct fs_value *cs = rec_field(r, "custody_since"), *rel = rec_field(r, "released_on");
	int col = r->e->col_of[fs_field_index(r->e, "verdict")];
	int rc = v->type == FS_VNULL ? rec_set_bytes(r, col, FS_VTEXT, "pending", 7) : 0;
	if (rc)
		return rc;
	v = rec_field(r, "verdict");
	int jail = st->type == FS_VTEXT && (!strcmp(st->p, "prison") || !strcmp(st->p, "administrative_jail"));
	if (st->type == FS_VTEXT && strcmp(st->p, "none") && strcmp(v->p, "convicted"))
		return fs_fail(err, FS_EINVAL, "sentence", "a sentence needs the verdict 'convicted'");
	if (jail && m->type == FS_VNULL && rec_field(r, "expected_release")->type == FS_VNULL)
		return fs_fail(err, FS_EINVAL, "sentence_months", "give the length of the sentence (or expected_release)");
	if (cs->type == FS_VTEXT && rel->type == FS_VTEXT && strcmp(rel->p, cs->p) < 0)
		return fs_fail(err, FS_EINVAL, "released_on", "is before custody_since");
	return default_handling(r);
}

static int report_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	(void)err;
	return default_handling(r);
}

static int detention_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const struct fs_value *a = rec_field(r, "arrested_at"), *w = rec_field(r, "whereabouts_since");
	const struct fs_value *rel = rec_field(r, "released_at");
	int rc = 0;
	if (rec_field(r, "whereabouts")->type == FS_VNULL)
		rc = rec_set_bytes(r, r->e->col_of[fs_field_index(r->e, "whereabouts")], FS_VTEXT, "unknown", 7);
	if (!rc && w->type == FS_VNULL && a->type == FS_VTEXT)
		rc = rec_set_bytes(r, r->e->col_of[fs_field_index(r->e, "whereabouts_since")], FS_VTEXT, a->p, a->n);
	a = rec_field(r, "arrested_at");
	w = rec_field(r, "whereabouts_since");
	if (!rc && w->type == FS_VTEXT && strcmp(w->p, a->p) < 0)
		rc = fs_fail(err, FS_EINVAL, "whereabouts_since", "is before arrested_at");
	if (!rc && rel->type == FS_VTEXT && strcmp(rel->p, a->p) < 0)
		rc = fs_fail(err, FS_EINVAL, "released_at", "is before arrested_at");
	return rc ? rc : default_handling(r);
}

/* this domain's entities, in their order: src/core/domains.c registers them with base */
static struct fs_entity *const entities[] = {&fs_ent_link, &fs_ent_evidence, &fs_ent_incident, &fs_ent_violation, &fs_ent_assessment, &fs_ent_case, &fs_ent_report, &fs_ent_detention, &fs_ent_action, &fs_ent_stage, &fs_ent_demand, &fs_ent_hearing, &fs_ent_citation};
const struct fs_domain fs_domain_record = {"record", entities, sizeof(entities) / sizeof(entities[0])};
