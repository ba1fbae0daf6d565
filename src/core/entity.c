/* entity.c - the people register's entities as data (fields, kinds, limits), and
 * the generic record machinery: parse text fields, check, seal, store, journal,
 * render as JSON. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "../util/money.h"
#include "../util/utf8.h"
#include "policy.h"

#define LIST_DEFAULT 100
#define LIST_MAX 10000

/* ---- vocabularies ---- */
static const char *const workplace_kinds[] = {"mine", "plant", "factory", "field", "site", "office",
					       "port", "depot", "other", NULL};
/* Termination reasons of the TR and KZ rule sets (claims module), plus generic ones. */
static const char *const termination_reasons[] = {
	"closure", "dismissal", "misconduct_dismissal", "just_cause_resignation", "resignation",
	"retirement", "military_service", "marriage", "death", "liquidation", "staff_reduction",
	"reduced_output", "employer_breach", "agreement", "contract_expiry", "other", NULL};
const char *const fs_claim_kinds[] = {"unpaid_wages", "annual_leave", "overtime", "notice", "severance",
				      "compensation", "penalty", "injury", "death", "other", NULL};
static const char *const claim_statuses[] = {"draft", "filed", "acknowledged", "disputed", "in_court", "awarded",
					     "settled", "written_off", NULL};
static const char *const claim_bases[] = {"computed", "entered", NULL};
static const char *const payer_kinds[] = {"employer", "ministry", "government", "court", "guarantee_fund",
					  "insurer", "union_fund", "other", NULL};
static const char *const membership_roles[] = {"member", "shop_steward", "committee", "officer",
						"supporter", NULL};

/* ---- checks ---- */
static int org_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int employment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int membership_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int person_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int claim_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int promise_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int payment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);

static const struct fs_field org_fields[] = {
	{"slug", FK_TEXT, FF_REQUIRED | FF_IMMUTABLE | FF_UNIQUE, 32, NULL, NULL,
	 "short name used on the command line: lower-case letters, digits, '-'"},
	{"name", FK_NAME, FF_REQUIRED, 200, NULL, NULL, "full name"},
	{"country", FK_CODE, 0, 2, NULL, NULL, "ISO 3166 country code, e.g. TR, KZ"},
	{"currency", FK_CODE, 0, 3, NULL, NULL, "ISO 4217 currency code, e.g. TRY, KZT"},
};
static const struct fs_field person_fields[] = {
	{"external_id", FK_TEXT, FF_UNIQUE, 64, NULL, NULL, "the organization's own number (e.g. register no.)"},
	{"full_name", FK_NAME, FF_REQUIRED, 200, NULL, NULL, "full name in any script"},
	{"national_id", FK_TEXT, FF_SEALED | FF_LOOKUP, 32, NULL, NULL,
	 "national ID (T.C. kimlik no, IIN); sealed"},
	{"birth_date", FK_DATE, FF_SEALED, 0, NULL, NULL, "date of birth; sealed"},
	{"phone", FK_TEXT, FF_SEALED, 32, NULL, NULL, "phone number; sealed"},
	{"address", FK_TEXT, FF_SEALED, 500, NULL, NULL, "postal address; sealed"},
	{"birth_place", FK_TEXT, FF_SEALED, 100, NULL, NULL, "place of birth or home town, any script (finds duplicates); sealed"},
};
static const struct fs_field employer_fields[] = {
	{"name", FK_NAME, FF_REQUIRED, 200, NULL, NULL, "employer's name"},
	{"country", FK_CODE, 0, 2, NULL, NULL, "ISO 3166 country code"},
	{"tax_id", FK_TEXT, 0, 32, NULL, NULL, "tax or registry number"},
};
static const struct fs_field workplace_fields[] = {
	{"employer_id", FK_REF, FF_REQUIRED, 0, "employer", NULL, "employer running the workplace"},
	{"name", FK_NAME, FF_REQUIRED, 200, NULL, NULL, "workplace name"},
	{"city", FK_TEXT, 0, 100, NULL, NULL, "city or district"},
	{"kind", FK_ENUM, 0, 0, NULL, workplace_kinds, "mine, plant, factory, field, site, office, port, depot, other"},
};
static const struct fs_field employment_fields[] = {
	{"person_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "the worker"},
	{"employer_id", FK_REF, 0, 0, "employer", NULL, "employer (defaults to the workplace's)"},
	{"workplace_id", FK_REF, 0, 0, "workplace", NULL, "workplace"},
	{"job_title", FK_TEXT, 0, 100, NULL, NULL, "job title"},
	{"hired", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "first day of work"},
	{"terminated", FK_DATE, 0, 0, NULL, NULL, "last day of work"},
	{"termination_reason", FK_ENUM, 0, 0, NULL, termination_reasons, "why the contract ended"},
	{"wage", FK_MONEY, 0, 0, NULL, NULL, "last gross monthly wage"},
	{"benefits", FK_MONEY, 0, 0, NULL, NULL, "regular monthly benefits (food, transport, fuel ...)"},
	{"currency", FK_CODE, 0, 3, NULL, NULL, "currency of wage and benefits (defaults to the organization's)"},
	{"underground", FK_BOOL, 0, 0, NULL, NULL, "worked underground (yes/no)"},
	{"notice_served", FK_BOOL, 0, 0, NULL, NULL, "notice of termination was served (yes/no)"},
	{"accruals_12m", FK_MONEY, 0, 0, NULL, NULL, "wages accrued in the 12 months before the termination (KZ average wage)"},
	{"days_worked_12m", FK_COUNT, 0, 0, NULL, NULL, "days actually worked in those 12 months (KZ average daily wage)"},
	{"unused_leave_days", FK_COUNT, 0, 0, NULL, NULL, "annual leave days not taken, paid on termination"},
};
static const struct fs_field membership_fields[] = {
	{"person_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "the member"},
	{"organization_id", FK_REF, 0, 0, "organization", NULL, "organization joined (defaults to the current one)"},
	{"joined_on", FK_DATE, 0, 0, NULL, NULL, "date joined"},
	{"left_on", FK_DATE, 0, 0, NULL, NULL, "date left"},
	{"role", FK_ENUM, 0, 0, NULL, membership_roles, "member, shop_steward, committee, officer, supporter"},
};

static const struct fs_field claim_fields[] = {
	{"person_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "person", NULL, "the worker owed"},
	{"employment_id", FK_REF, FF_IMMUTABLE, 0, "employment", NULL, "the employment the claim comes from"},
	{"kind", FK_ENUM, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, fs_claim_kinds,
	 "unpaid_wages, annual_leave, overtime, notice, severance, compensation, penalty, injury, death, other"},
	{"amount", FK_MONEY, FF_REQUIRED, 0, NULL, NULL, "amount owed"},
	{"currency", FK_CODE, 0, 3, NULL, NULL, "currency (defaults to the organization's)"},
	{"basis", FK_ENUM, 0, 0, NULL, claim_bases, "computed (by the rules engine) or entered (from a document)"},
	{"rules_version", FK_TEXT, 0, 40, NULL, NULL, "rule set that computed it"},
	{"inputs", FK_TEXT, 0, 4000, NULL, NULL, "the inputs of the computation (JSON)"},
	{"document_ref", FK_TEXT, 0, 200, NULL, NULL, "document grounding an entered claim (court file, report ...)"},
	{"status", FK_ENUM, 0, 0, NULL, claim_statuses,
	 "draft, filed, acknowledged, disputed, in_court, awarded, settled, written_off"},
	{"limitation_date", FK_DATE, 0, 0, NULL, NULL, "last day to claim (limitation deadline)"},
	{"note", FK_TEXT, 0, 500, NULL, NULL, "note"},
};
static const struct fs_field promise_fields[] = {
	{"promisor_kind", FK_ENUM, FF_REQUIRED, 0, NULL, payer_kinds,
	 "employer, ministry, government, court, guarantee_fund, insurer, union_fund, other"},
	{"promisor_name", FK_NAME, FF_REQUIRED, 200, NULL, NULL, "who promised"},
	{"workplace_id", FK_REF, 0, 0, "workplace", NULL, "the workers of this workplace (else person, else all)"},
	{"person_id", FK_REF, 0, 0, "person", NULL, "one worker"},
	{"kinds", FK_TEXT, 0, 200, NULL, NULL, "claim kinds covered, comma-separated (empty = all)"},
	{"amount", FK_MONEY, 0, 0, NULL, NULL, "amount promised (empty = the claims covered, in full)"},
	{"currency", FK_CODE, 0, 3, NULL, NULL, "currency (defaults to the organization's)"},
	{"made_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date of the promise"},
	{"due_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date by which payment was promised"},
	{"document_ref", FK_TEXT, 0, 200, NULL, NULL, "where the promise was made (statement, minutes ...)"},
	{"note", FK_TEXT, 0, 500, NULL, NULL, "note"},
};
static const struct fs_field payment_fields[] = {
	{"person_id", FK_REF, FF_REQUIRED, 0, "person", NULL, "the worker paid"},
	{"promise_id", FK_REF, 0, 0, "promise", NULL, "the promise this payment keeps (if any)"},
	{"payer_kind", FK_ENUM, FF_REQUIRED, 0, NULL, payer_kinds,
	 "employer, ministry, government, court, guarantee_fund, insurer, union_fund, other"},
	{"payer_name", FK_TEXT, FF_REQUIRED, 200, NULL, NULL, "who paid"},
	{"paid_on", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "date paid"},
	{"amount", FK_MONEY, FF_REQUIRED, 0, NULL, NULL, "amount paid"},
	{"currency", FK_CODE, 0, 3, NULL, NULL, "currency (defaults to the organization's)"},
	{"reference", FK_TEXT, 0, 100, NULL, NULL, "bank or receipt reference"},
	{"idempotency_key", FK_TEXT, FF_IDEMPOTENCY, 100, NULL, NULL,
	 "a key that makes a retried entry record once (the same key twice = one payment)"},
	{"reverses_id", FK_REF, 0, 0, "payment", NULL, "set by 'payment reverse': the payment this one cancels"},
	{"note", FK_TEXT, 0, 500, NULL, NULL, "note"},
};

static const char *const role_names[] = {"admin", "organizer", "treasurer", "documenter", "viewer", NULL};
static const struct fs_field user_fields[] = {
	{"username", FK_TEXT, FF_REQUIRED | FF_IMMUTABLE | FF_UNIQUE, 64, NULL, NULL, "login name"},
	{"disabled", FK_BOOL, 0, 0, NULL, NULL, "a disabled account cannot log in"},
	{"password_hash", FK_TEXT, FF_SEALED | FF_REQUIRED, 256, NULL, NULL, "argon2id hash (set by 'user add' / 'user passwd')"},
};
static const struct fs_field role_fields[] = {
	{"user_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "user", NULL, "the account"},
	{"role", FK_ENUM, FF_REQUIRED, 0, NULL, role_names, "admin, organizer, treasurer, documenter, viewer"},
};

static const char *const account_kinds[] = {"asset", "income", "expense", "liability", "equity", NULL};
static const struct fs_field fund_fields[] = {
	{"name", FK_NAME, FF_REQUIRED | FF_UNIQUE, 200, NULL, NULL, "the fund's name"},
	{"currency", FK_CODE, FF_IMMUTABLE, 3, NULL, NULL, "currency (defaults to the organization's)"},
	{"approval_threshold", FK_MONEY, 0, 0, NULL, NULL, "money out above this moves only when a second account approves it"},
	{"note", FK_TEXT, 0, 500, NULL, NULL, "note"},
	{"strike_pay_weekly", FK_MONEY, 0, 0, NULL, NULL, "the fund's policy: strike pay per striker per week"},
	{"rolling_limit", FK_MONEY, 0, 0, NULL, NULL, "what one account may pay out in 24 hours before a second account must approve"},
};
static const struct fs_field account_fields[] = {
	{"fund_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "fund", NULL, "the fund"},
	{"name", FK_NAME, FF_REQUIRED | FF_IMMUTABLE, 100, NULL, NULL, "account name, e.g. assets:cash, income:contributions"},
	{"kind", FK_ENUM, FF_REQUIRED | FF_IMMUTABLE, 0, NULL, account_kinds, "asset, income, expense, liability, equity"},
	{"currency", FK_CODE, FF_IMMUTABLE, 3, NULL, NULL, "currency (the fund's)"},
	{"no_negative", FK_BOOL, 0, 0, NULL, NULL, "the balance may never go below zero"},
	{"person_id", FK_REF, FF_IMMUTABLE, 0, "person", NULL, "for support payable to one person"},
};

static const struct fs_field pledge_fields[] = {
	{"fund_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "fund", NULL, "the fund"},
	{"label", FK_NAME, FF_REQUIRED, 100, NULL, NULL, "a public label, e.g. 'Soma site workers'"},
	{"monthly", FK_MONEY, FF_REQUIRED, 0, NULL, NULL, "amount pledged each month"},
	{"start_month", FK_DATE, FF_REQUIRED, 0, NULL, NULL, "first month (any day in it)"},
	{"end_month", FK_DATE, 0, 0, NULL, NULL, "last month (empty: until further notice)"},
	{"pledger", FK_TEXT, FF_SEALED, 200, NULL, NULL, "who pledged (sealed)"},
};

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
static struct fs_entity ent_org = {.name = "organization", .plural = "organizations", .label = "name", .owned = 0,
	.fields = org_fields, .nfields = N(org_fields), .check = org_check};
static struct fs_entity ent_person = {.name = "person", .plural = "people", .label = "full_name", .owned = 1,
	.fields = person_fields, .nfields = N(person_fields), .check = person_check};
static struct fs_entity ent_employer = {.name = "employer", .plural = "employers", .label = "name", .owned = 1,
	.fields = employer_fields, .nfields = N(employer_fields), .check = NULL};
static struct fs_entity ent_workplace = {.name = "workplace", .plural = "workplaces", .label = "name", .owned = 1,
	.fields = workplace_fields, .nfields = N(workplace_fields), .check = NULL};
static struct fs_entity ent_employment = {.name = "employment", .plural = "employments", .label = NULL, .owned = 1,
	.fields = employment_fields, .nfields = N(employment_fields), .check = employment_check};
static struct fs_entity ent_membership = {.name = "membership", .plural = "memberships", .label = NULL, .owned = 1,
	.fields = membership_fields, .nfields = N(membership_fields), .check = membership_check};

static struct fs_entity ent_claim = {.name = "claim", .plural = "claims", .label = NULL, .owned = 1,
	.fields = claim_fields, .nfields = N(claim_fields), .check = claim_check};
static struct fs_entity ent_promise = {.name = "promise", .plural = "promises", .label = "promisor_name", .owned = 1,
	.fields = promise_fields, .nfields = N(promise_fields), .check = promise_check};
static struct fs_entity ent_payment = {.name = "payment", .plural = "payments", .label = NULL, .owned = 1,
	.fields = payment_fields, .nfields = N(payment_fields), .check = payment_check, .append_only = 1};

static int fund_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int account_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_fund = {.name = "fund", .plural = "funds", .label = "name", .owned = 1,
	.fields = fund_fields, .nfields = N(fund_fields), .check = fund_check};
static struct fs_entity ent_account = {.name = "account", .plural = "accounts", .label = "name", .owned = 1,
	.fields = account_fields, .nfields = N(account_fields), .check = account_check};
static int pledge_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_pledge = {.name = "pledge", .plural = "pledges", .label = "label", .owned = 1,
	.fields = pledge_fields, .nfields = N(pledge_fields), .check = pledge_check};
static int link_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_link = {.name = "link", .plural = "person_links", .label = NULL, .owned = 1,
	.fields = link_fields, .nfields = N(link_fields), .check = link_check};
static int evidence_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_evidence = {.name = "evidence", .plural = "evidence", .label = "filename", .owned = 1,
	.fields = evidence_fields, .nfields = N(evidence_fields), .check = evidence_check,
	.managed = "fairshare evidence add FILE"};
static int incident_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int violation_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int assessment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_incident = {.name = "incident", .plural = "incidents", .label = NULL, .owned = 1,
	.fields = incident_fields, .nfields = N(incident_fields), .check = incident_check};
static struct fs_entity ent_violation = {.name = "violation", .plural = "violations", .label = NULL, .owned = 1,
	.fields = violation_fields, .nfields = N(violation_fields), .check = violation_check};
static struct fs_entity ent_assessment = {.name = "assessment", .plural = "assessments", .label = NULL, .owned = 1,
	.fields = assessment_fields, .nfields = N(assessment_fields), .check = assessment_check, .append_only = 1};
static int case_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_case = {.name = "case", .plural = "legal_cases", .label = NULL, .owned = 1,
	.fields = case_fields, .nfields = N(case_fields), .check = case_check};
static int report_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_report = {.name = "report", .plural = "reports", .label = NULL, .owned = 1,
	.fields = report_fields, .nfields = N(report_fields), .check = report_check, .append_only = 1};
static int detention_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_detention = {.name = "detention", .plural = "detentions", .label = NULL, .owned = 1,
	.fields = detention_fields, .nfields = N(detention_fields), .check = detention_check};
static int action_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int stage_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int demand_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int hearing_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int citation_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static struct fs_entity ent_action = {.name = "action", .plural = "actions", .label = "title", .owned = 1,
	.fields = action_fields, .nfields = N(action_fields), .check = action_check};
static struct fs_entity ent_stage = {.name = "stage", .plural = "action_stages", .label = NULL, .owned = 1,
	.fields = stage_fields, .nfields = N(stage_fields), .check = stage_check};
static struct fs_entity ent_demand = {.name = "demand", .plural = "demands", .label = NULL, .owned = 1,
	.fields = demand_fields, .nfields = N(demand_fields), .check = demand_check};
static struct fs_entity ent_hearing = {.name = "hearing", .plural = "hearings", .label = NULL, .owned = 1,
	.fields = hearing_fields, .nfields = N(hearing_fields), .check = hearing_check};
static struct fs_entity ent_citation = {.name = "citation", .plural = "citations", .label = NULL, .owned = 1,
	.fields = citation_fields, .nfields = N(citation_fields), .check = citation_check};
static struct fs_entity ent_user = {.name = "user", .plural = "users", .label = "username", .owned = 0,
	.fields = user_fields, .nfields = N(user_fields)};
static struct fs_entity ent_role = {.name = "role", .plural = "roles", .label = NULL, .owned = 1,
	.fields = role_fields, .nfields = N(role_fields)};

const struct fs_entity *const fs_entities[] = {&ent_org, &ent_person, &ent_employer, &ent_workplace,
					       &ent_employment, &ent_membership, &ent_claim, &ent_promise,
					       &ent_payment, &ent_user, &ent_role, &ent_fund, &ent_account, &ent_pledge, &ent_link,
					       &ent_evidence, &ent_incident, &ent_violation, &ent_assessment,
					       &ent_case, &ent_report, &ent_detention, &ent_action, &ent_stage, &ent_demand,
					       &ent_hearing, &ent_citation};
const size_t fs_nentities = N(fs_entities);

/* Column names are built once; they live as long as the process. */
static char name_pool[8192];

static void entity_init(struct fs_entity *e)
{
	static size_t pool_used;
	size_t nc = 0;
	e->table.name = e->plural;
	if (strcmp(e->name, "organization") == 0)
		e->table.name = "organizations";
	e->cols[nc++] = (struct fs_column){"id", FS_VINT};
	e->org_col = e->owned ? (int)nc : -1;
	if (e->owned)
		e->cols[nc++] = (struct fs_column){"org_id", FS_VINT};
	int any_sealed = 0;
	e->handling_col = -1;
	for (size_t i = 0; i < e->nfields; i++) {
		const struct fs_field *f = &e->fields[i];
		e->col_of[i] = e->fold_of[i] = e->hash_of[i] = -1;
		if (f->flags & FF_RESTRICTED)
			any_sealed = e->any_restricted = 1;
		if (!strcmp(f->name, "handling"))
			e->handling_col = (int)nc;
		if (f->flags & FF_SEALED) {
			any_sealed = 1;
			if (f->flags & FF_LOOKUP) {
				char *p = name_pool + pool_used;
				pool_used += (size_t)snprintf(p, sizeof(name_pool) - pool_used, "%s_hash", f->name) + 1;
				e->hash_of[i] = (int)nc;
				e->cols[nc++] = (struct fs_column){p, FS_VBLOB};
			}
			continue;
		}
		enum fs_vtype t = (f->kind == FK_MONEY || f->kind == FK_BOOL || f->kind == FK_REF || f->kind == FK_COUNT) ? FS_VINT : FS_VTEXT;
		const char *cname = f->name;
		if (f->kind == FK_MONEY) {
			char *p = name_pool + pool_used;
			pool_used += (size_t)snprintf(p, sizeof(name_pool) - pool_used, "%s_minor", f->name) + 1;
			cname = p;
		}
		e->col_of[i] = (int)nc;
		e->cols[nc++] = (struct fs_column){cname, t};
		if (f->kind == FK_NAME) {
			char *p = name_pool + pool_used;
			pool_used += (size_t)snprintf(p, sizeof(name_pool) - pool_used, "%s_fold", f->name) + 1;
			e->fold_of[i] = (int)nc;
			e->cols[nc++] = (struct fs_column){p, FS_VTEXT};
		}
	}
	e->sealed_col = any_sealed ? (int)nc : -1;
	if (any_sealed)
		e->cols[nc++] = (struct fs_column){"sealed", FS_VBLOB};
	e->person_col = strcmp(e->name, "person") == 0 ? 0 : -1;
	for (size_t i = 0; i < nc; i++)
		if (strcmp(e->cols[i].name, "person_id") == 0)
			e->person_col = (int)i;
	e->table.cols = e->cols;
	e->table.ncols = nc;
}

static void entities_init(void)
{
	for (size_t i = 0; i < fs_nentities; i++)
		entity_init((struct fs_entity *)fs_entities[i]);
}

void fs_entities_init(void);
void fs_entities_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, entities_init);
}

const struct fs_entity *fs_entity_find(const char *name)
{
	fs_entities_init();
	for (size_t i = 0; i < fs_nentities; i++)
		if (strcmp(fs_entities[i]->name, name) == 0 || strcmp(fs_entities[i]->plural, name) == 0 ||
		    (strcmp(name, "org") == 0 && fs_entities[i] == &ent_org))
			return fs_entities[i];
	return NULL;
}

const struct fs_entity *fs_entity_by_table(const char *table)
{
	fs_entities_init();
	for (size_t i = 0; i < fs_nentities; i++)
		if (strcmp(fs_entities[i]->table.name, table) == 0 || strcmp(fs_entities[i]->name, table) == 0)
			return fs_entities[i];
	return NULL;
}

const char *fs_entity_name(const struct fs_entity *e) { return e->name; }
const char *fs_entity_plural(const struct fs_entity *e) { return e->plural; }
size_t fs_entity_nfields(const struct fs_entity *e) { return e->nfields; }
const struct fs_field *fs_entity_field(const struct fs_entity *e, size_t i) { return i < e->nfields ? &e->fields[i] : NULL; }
const char *fs_entity_label(const struct fs_entity *e) { return e->label; }

int fs_field_index(const struct fs_entity *e, const char *name)
{
	for (size_t i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return (int)i;
	/* money fields may be named by their column, e.g. wage_minor */
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].kind == FK_MONEY && e->col_of[i] >= 0 && strcmp(e->cols[e->col_of[i]].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- records ---- */

void rec_init(struct fs_rec *r, const struct fs_entity *e)
{
	memset(r, 0, sizeof(*r));
	r->e = e;
}

void rec_done(struct fs_rec *r)
{
	for (size_t i = 0; i < FS_MAX_COLS; i++)
		free(r->own[i]);
	for (size_t i = 0; i < FS_MAX_FIELDS; i++) {
		if (r->plain[i]) {
			memset(r->plain[i], 0, strlen(r->plain[i]));
			free(r->plain[i]);
		}
	}
	memset(r, 0, sizeof(*r));
}

static int set_col_bytes(struct fs_rec *r, int col, enum fs_vtype t, const void *p, size_t n)
{
	char *copy = malloc(n + 1);
	if (!copy)
		return FS_ENOMEM;
	if (n)
		memcpy(copy, p, n);
	copy[n] = '\0';
	free(r->own[col]);
	r->own[col] = copy;
	r->v[col] = (struct fs_value){t, 0, copy, n};
	return 0;
}

static void set_col_null(struct fs_rec *r, int col)
{
	free(r->own[col]);
	r->own[col] = NULL;
	r->v[col] = fs_vnull();
}

static int set_plain(struct fs_rec *r, size_t fi, const char *s)
{
	char *copy = NULL;
	if (s && !(copy = strdup(s)))
		return FS_ENOMEM;
	if (r->plain[fi]) {
		memset(r->plain[fi], 0, strlen(r->plain[fi]));
		free(r->plain[fi]);
	}
	r->plain[fi] = copy;
	r->sealed_dirty = 1;
	return 0;
}
/* Append the fields of r with flag to a seal's payload: u16 length (0xFFFF =
 * absent) + bytes each; *any set when one is present. */
static int payload_add(struct fs_buf *plain, const struct fs_rec *r, unsigned flag, int *any)
{
	int rc = 0;
	for (size_t i = 0; i < r->e->nfields && !rc; i++) {
		if (!(r->e->fields[i].flags & flag))
			continue;
		const char *p = r->plain[i];
		size_t n = p ? strlen(p) : 0xFFFF;
		unsigned char len[2] = {(unsigned char)(n >> 8), (unsigned char)n};
		rc = fs_buf_add(plain, len, 2);
		if (!rc && p) {
			rc = fs_buf_add(plain, p, n);
			*any = 1;
		}
	}
	return rc;
}

/* Sealed payload: for each sealed field, u16 length (0xFFFF = absent) + bytes. */
static int seal_rec(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	if (r->v[0].type != FS_VINT)
		return 0; /* a new row: sealed by rec_insert once its id is known (the seal names its row) */
	struct fs_buf plain, out;
	fs_buf_init(&plain, 64 * 1024);
	fs_buf_init(&out, 64 * 1024);
	int any = 0;
	int rc = payload_add(&plain, r, FF_SEALED, &any);
	if (!rc && e->any_restricted && fs_restricted_row(e, r->v))
		rc = payload_add(&plain, r, FF_RESTRICTED, &any);
	if (!rc && any)
		rc = fs_seal_for(ctx, r, plain.data, plain.len, &out);
	if (plain.data)
		memset(plain.data, 0, plain.len);
	fs_buf_done(&plain);
	if (!rc) {
		if (any)
			rc = set_col_bytes(r, e->sealed_col, FS_VBLOB, out.data, out.len);
		else
			set_col_null(r, e->sealed_col);
	}
	fs_buf_done(&out);
	if (rc == FS_EPERM)
		return fs_fail(err, rc, NULL, "%s %lld was forgotten: nothing is sealed for them again", e->name,
			       (long long)r->v[0].i);
	if (rc)
		return fs_fail(err, rc, NULL, "cannot seal the record");
	r->sealed_dirty = 0;
	return 0;
}

int rec_set_bytes(struct fs_rec *r, int col, int type, const void *p, size_t n)
{
	if (type == FS_VNULL)
		return set_col_null(r, col), 0;
	return set_col_bytes(r, col, (enum fs_vtype)type, p, n);
}

int rec_set_plain(struct fs_rec *r, size_t fi, const char *s)
{
	return set_plain(r, fi, s);
}

int rec_seal(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	return seal_rec(ctx, r, err);
}

static int unseal_rec(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	const struct fs_value *sv = &r->v[e->sealed_col];
	if (sv->type != FS_VBLOB)
		return 0;
	struct fs_buf plain;
	fs_buf_init(&plain, 64 * 1024);
	int rc = fs_unseal_for(ctx, e, r->v, sv->p, sv->n, &plain);
	if (rc < 0) {
		fs_buf_done(&plain);
		return fs_fail(err, FS_ECRYPTO, NULL,
			       "the sealed fields of %s %lld cannot be opened: wrong key file, or the data "
			       "was altered or moved from another row", e->name, (long long)r->v[0].i);
	}
	rc = rc ? 0 : rec_open_payload(r, plain.data ? plain.data : "", plain.len); /* 1: forgotten, nothing to open */
	if (plain.data)
		memset(plain.data, 0, plain.len);
	fs_buf_done(&plain);
	if (rc)
		return fs_fail(err, rc, NULL, "the sealed fields of %s %lld are malformed", e->name, (long long)r->v[0].i);
	return 0;
}

int rec_from_values(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_entity *e,
		    const struct fs_value *vals, struct fs_error *err)
{
	return rec_from_values_ex(ctx, r, e, vals, 1, err);
}

int rec_from_values_ex(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_entity *e,
		       const struct fs_value *vals, int unseal, struct fs_error *err)
{
	rec_init(r, e);
	for (size_t i = 0; i < e->table.ncols; i++) {
		if (vals[i].type == FS_VTEXT || vals[i].type == FS_VBLOB) {
			if (set_col_bytes(r, (int)i, vals[i].type, vals[i].p, vals[i].n))
				return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
		} else {
			r->v[i] = vals[i];
		}
	}
	return e->sealed_col >= 0 && unseal ? unseal_rec(ctx, r, err) : 0;
}

const struct fs_value *rec_field(const struct fs_rec *r, const char *name)
{
	int fi = fs_field_index(r->e, name);
	if (fi < 0 || r->e->col_of[fi] < 0)
		return NULL;
	return &r->v[r->e->col_of[fi]];
}

const char *rec_sealed(const struct fs_rec *r, const char *name)
{
	int fi = fs_field_index(r->e, name);
	return fi < 0 ? NULL : r->plain[fi];
}

int rec_set_int(struct fs_rec *r, const char *field, int64_t v)
{
	int fi = fs_field_index(r->e, field);
	if (fi < 0 || r->e->col_of[fi] < 0)
		return FS_EINVAL;
	r->v[r->e->col_of[fi]] = fs_vint(v);
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "evet", "e", "да", "иә", "ия", NULL};
	static const char *const no[] = {"0", "no", "n", "false", "hayır", "hayir", "h", "нет", "жоқ", NULL};
	char low[16];
	size_t n = strlen(s);
	if (n >= sizeof(low))
		return -1;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	for (size_t i = 0; yes[i]; i++)
		if (strcmp(low, yes[i]) == 0)
			return *out = 1, 0;
	for (size_t i = 0; no[i]; i++)
		if (strcmp(low, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

static int tckn_ok(const char *d)
{
	int v[11];
	for (int i = 0; i < 11; i++)
		v[i] = d[i] - '0';
	if (v[0] == 0)
		return 0;
	int odd = v[0] + v[2] + v[4] + v[6] + v[8], even = v[1] + v[3] + v[5] + v[7];
	if (((odd * 7 - even) % 10 + 10) % 10 != v[9])
		return 0;
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += v[i];
	return sum % 10 == v[10];
}

static int iin_ok(const char *d)
{
	int s = 0;
	for (int i = 0; i < 11; i++)
		s += (d[i] - '0') * (i + 1);
	int c = s % 11;
	if (c == 10) {
		static const int w[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
		s = 0;
		for (int i = 0; i < 11; i++)
			s += (d[i] - '0') * w[i];
		c = s % 11;
		if (c == 10)
			return 0;
	}
	return c == d[11] - '0';
}

int fs_national_id_normalize(const char *country, const char *in, char *out, size_t outsz,
			     struct fs_error *err, const char *field)
{
	size_t n = 0;
	int all_digits = 1;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '.')
			continue;
		if (!isalnum((unsigned char)*p))
			return fs_fail(err, FS_EINVAL, field, "a national ID has only letters and digits");
		if (n + 1 >= outsz)
			return fs_fail(err, FS_EINVAL, field, "a national ID has at most %zu characters", outsz - 1);
		all_digits &= isdigit((unsigned char)*p) != 0;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	if (n < 4)
		return fs_fail(err, FS_EINVAL, field, "a national ID has at least 4 characters");
	if (country && strcmp(country, "TR") == 0 && !(n == 11 && all_digits && tckn_ok(out)))
		return fs_fail(err, FS_EINVAL, field,
			       "'%.32s' is not a valid Turkish national ID (11 digits with check digits)", in);
	if (country && strcmp(country, "KZ") == 0 && !(n == 12 && all_digits && iin_ok(out)))
		return fs_fail(err, FS_EINVAL, field,
			       "'%.32s' is not a valid Kazakh IIN (12 digits with a check digit)", in);
	return 0;
}

static int check_text(const char *s, size_t n, unsigned max, int multiline, struct fs_error *err,
		      const char *field)
{
	size_t bad = fs_utf8_invalid_at(s, n);
	if (bad && s[bad - 1] == '\0')
		return fs_fail(err, FS_EINVAL, field, "contains a NUL byte (byte %zu), which no text holds", bad);
	if (bad)
		return fs_fail(err, FS_EINVAL, field,
			       "is not valid UTF-8 text (byte %zu); save the file as UTF-8", bad);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7F)
			return fs_fail(err, FS_EINVAL, field, "contains a control character");
	}
	uint32_t bidi = fs_utf8_bidi_control(s, n);
	if (bidi)
		return fs_fail(err, FS_EINVAL, field,
			       "contains the invisible direction control U+%04X, which would show the text reversed; "
			       "remove it", (unsigned)bidi);
	if (max && fs_utf8_length(s, n) > max)
		return fs_fail(err, FS_EINVAL, field, "is longer than %u characters", max);
	return 0;
}

static int ref_check(struct fs_ctx *ctx, const struct fs_field *f, int64_t id, struct fs_error *err)
{
	const struct fs_entity *target = fs_entity_find(f->ref);
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &target->table, id, &row, NULL);
	if (rc == FS_ENOTFOUND)
		return fs_fail(err, FS_EINVAL, f->name, "there is no %s with id %lld", target->name, (long long)id);
	if (rc)
		return fs_fail(err, rc, f->name, "cannot look up %s %lld", target->name, (long long)id);
	/* a record may name only its own organization's records, and of the
	 * organizations only its own */
	int other_org = target->owned ? row.vals[target->org_col].i != ctx->org_id
				      : target == fs_entity_find("organization") && id != ctx->org_id;
	fs_row_free(&row);
	if (other_org) /* not confirmed to exist: the same answer as a missing one */
		return fs_fail(err, FS_EINVAL, f->name, "there is no %s with id %lld", target->name, (long long)id);
	return 0;
}

int rec_set(struct fs_ctx *ctx, struct fs_rec *r, const char *key, const char *value, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	int fi = fs_field_index(e, key);
	if (fi < 0) {
		char names[512];
		size_t used = 0;
		names[0] = '\0';
		for (size_t i = 0; i < e->nfields && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", e->fields[i].name);
		return fs_fail(err, FS_EINVAL, key, "%s has no field '%.40s' (fields: %s)", e->name, key, names);
	}
	const struct fs_field *f = &e->fields[fi];
	int col = e->col_of[fi];
	if ((f->flags & FF_RESTRICTED) && r->plain[fi] && set_plain(r, (size_t)fi, NULL))
		return FS_ENOMEM; /* the column holds the text again until rec_finish */
	/* trim surrounding blanks */
	const char *s = value ? value : "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *t = strndup(s, n);
	if (!t)
		return FS_ENOMEM;
	int rc = 0;
	if (n == 0) {
		if (f->flags & FF_REQUIRED)
			rc = fs_fail(err, FS_EINVAL, f->name, "is required");
		else if (f->flags & FF_SEALED) {
			rc = set_plain(r, (size_t)fi, NULL);
			if (!rc && e->hash_of[fi] >= 0)
				set_col_null(r, e->hash_of[fi]);
		} else {
			set_col_null(r, col);
			if (e->fold_of[fi] >= 0)
				set_col_null(r, e->fold_of[fi]);
			if (f->kind == FK_BOOL)
				r->v[col] = fs_vint(0);
		}
		free(t);
		return rc;
	}
	char norm[64];
	const char *store = t;
	switch (f->kind) {
	case FK_TEXT:
	case FK_NAME:
		rc = check_text(t, n, f->max, strcmp(f->name, "address") == 0, err, f->name);
		if (!rc && strcmp(f->name, "slug") == 0) {
			for (size_t i = 0; i < n && !rc; i++)
				if (!(islower((unsigned char)t[i]) || isdigit((unsigned char)t[i]) || t[i] == '-'))
					rc = fs_fail(err, FS_EINVAL, f->name, "use lower-case letters a-z, digits and '-'");
		}
		if (!rc && strcmp(f->name, "national_id") == 0) {
			rc = fs_national_id_normalize(e->owned ? ctx->org_country : NULL, t, norm, sizeof(norm), err, f->name);
			store = norm;
		}
		if (!rc && strcmp(f->name, "phone") == 0) {
			for (size_t i = 0; i < n && !rc; i++)
				if (!strchr("0123456789+-() .", t[i]))
					rc = fs_fail(err, FS_EINVAL, f->name, "a phone number has digits, spaces and + - ( ) only");
		}
		break;
	case FK_CODE:
		if (n != f->max)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.16s' is not a %u-letter code", t, f->max);
		for (size_t i = 0; i < n && !rc; i++) {
			if (!isalpha((unsigned char)t[i]))
				rc = fs_fail(err, FS_EINVAL, f->name, "'%.16s' is not a %u-letter code", t, f->max);
			t[i] = (char)toupper((unsigned char)t[i]);
		}
		if (!rc && strcmp(f->name, "currency") == 0 && fs_currency_exponent(t) < 0)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%s' is not a supported currency", t);
		break;
	case FK_DATE: {
		fs_date d;
		rc = fs_date_parse(t, &d, err, f->name);
		if (!rc)
			fs_date_format(d, norm);
		store = norm;
		break;
	}
	case FK_TIME: {
		int64_t at;
		rc = fs_time_parse(t, &at);
		if (rc)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.32s' is not a date and time (2011-12-16T11:30, UTC)", t);
		else
			fs_time_format(at, norm);
		store = norm;
		break;
	}
	case FK_MONEY: {
		int64_t minor;
		rc = fs_money_parse(t, 2, &minor, err, f->name);
		if (!rc && minor < 0)
			rc = fs_fail(err, FS_EINVAL, f->name, "cannot be negative");
		if (!rc)
			r->v[col] = fs_vint(minor);
		free(t);
		return rc;
	}
	case FK_BOOL: {
		int b;
		if (parse_bool(t, &b))
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.16s' is not yes or no", t);
		else
			r->v[col] = fs_vint(b);
		free(t);
		return rc;
	}
	case FK_COUNT: {
		char *end;
		errno = 0;
		long long v = strtoll(t, &end, 10);
		if (*end || end == t || v < 0 || errno)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.24s' is not a whole number (0 or more)", t);
		else
			r->v[col] = fs_vint(v);
		free(t);
		return rc;
	}
	case FK_REF: {
		char *end;
		long long id = strtoll(t, &end, 10);
		if (*end || id <= 0)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.24s' is not a record id", t);
		else
			rc = ref_check(ctx, f, id, err);
		if (!rc)
			r->v[col] = fs_vint(id);
		free(t);
		return rc;
	}
	case FK_ENUM: {
		for (size_t i = 0; i < n; i++)
			t[i] = (char)tolower((unsigned char)t[i]);
		size_t k;
		for (k = 0; f->values[k]; k++)
			if (strcmp(f->values[k], t) == 0)
				break;
		if (!f->values[k]) {
			char names[512];
			size_t used = 0;
			for (size_t i = 0; f->values[i] && used < sizeof(names); i++)
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", f->values[i]);
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.32s' is not one of: %s", t, names);
		}
		break;
	}
	}
	if (!rc) {
		if (f->flags & FF_SEALED) {
			rc = set_plain(r, (size_t)fi, store);
			if (!rc && e->hash_of[fi] >= 0) {
				unsigned char h[FS_HASH_BYTES];
				fs_lookup_hash(&ctx->keys, store, strlen(store), h);
				rc = set_col_bytes(r, e->hash_of[fi], FS_VBLOB, h, sizeof(h));
			}
		} else {
			rc = set_col_bytes(r, col, FS_VTEXT, store, strlen(store));
			if (!rc && e->fold_of[fi] >= 0) {
				struct fs_buf fold;
				fs_buf_init(&fold, 4096);
				rc = fs_utf8_fold(store, strlen(store), &fold);
				if (!rc)
					rc = set_col_bytes(r, e->fold_of[fi], FS_VTEXT, fold.data ? fold.data : "", fold.len);
				fs_buf_done(&fold);
			}
		}
	}
	free(t);
	return rc;
}

struct other_ud {
	int64_t self;
	int64_t other;
};

static int other_cb(void *ud, const struct fs_value *vals)
{
	struct other_ud *o = ud;
	if (vals[0].i != o->self) {
		o->other = vals[0].i;
		return 1;
	}
	return 0;
}

/* Refuse a value that another record of the organization already has. */
static int unique_check(struct fs_ctx *ctx, struct fs_rec *r, int col, const char *label, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	if (r->v[col].type == FS_VNULL)
		return 0;
	struct fs_filter f[2] = {{e->cols[col].name, FS_EQ, r->v[col]}};
	size_t nf = 1;
	if (e->owned)
		f[nf++] = (struct fs_filter){"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf, .limit = 2};
	struct other_ud ud = {r->v[0].i, 0};
	int rc = fs_store_select(ctx->st, &q, other_cb, &ud, err);
	if (rc)
		return rc;
	if (ud.other)
		return fs_fail(err, FS_ECONFLICT, label, "%s %lld has the same %s already", e->name,
			       (long long)ud.other, label);
	return 0;
}

int rec_finish(struct fs_ctx *ctx, struct fs_rec *r, int creating, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	int rc;
	if (creating && e->owned)
		r->v[e->org_col] = fs_vint(ctx->org_id);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct fs_field *f = &e->fields[i];
		int missing = (f->flags & FF_SEALED) ? !r->plain[i] : r->v[e->col_of[i]].type == FS_VNULL;
		if (f->kind == FK_BOOL && missing) {
			r->v[e->col_of[i]] = fs_vint(0);
			missing = 0;
		}
		if ((f->flags & FF_REQUIRED) && missing)
			return fs_fail(err, FS_EINVAL, f->name, "is required");
	}
	if (e->check && (rc = e->check(ctx, r, err)))
		return rc;
	for (size_t i = 0; i < e->nfields; i++) {
		const struct fs_field *f = &e->fields[i];
		int col = (f->flags & FF_LOOKUP) ? e->hash_of[i] : (f->flags & FF_UNIQUE) ? e->col_of[i] : -1;
		if (col >= 0 && !r->unique_checked && (rc = unique_check(ctx, r, col, f->name, err)))
			return rc;
	}
	if (e->any_restricted)
		return rec_reseal(ctx, r, err);
	if (e->sealed_col >= 0 && (r->sealed_dirty || creating) && (rc = seal_rec(ctx, r, err)))
		return rc;
	return 0;
}

static int json_str(struct fs_buf *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = fs_buf_addc(out, '"');
	size_t run = 0; /* bytes copied as they are, flushed in one go */
	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		rc = fs_buf_add(out, p + i - run, run);
		run = 0;
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		if (!rc && (c == '"' || c == '\\'))
			rc = fs_buf_addc(out, '\\') || fs_buf_addc(out, (char)c);
		else if (!rc)
			rc = fs_buf_add(out, esc, sizeof(esc));
	}
	if (!rc)
		rc = fs_buf_add(out, p + n - run, run);
	return rc ? rc : fs_buf_addc(out, '"');
}

static int values_json_text(const struct fs_entity *e, const struct fs_value *v0, const char *const *plain,
			    unsigned mode, struct fs_buf *out);

int rec_json_text(const struct fs_rec *r, unsigned mode, struct fs_buf *out)
{
	return values_json_text(r->e, r->v, (const char *const *)r->plain, mode, out);
}

/* The JSON of a row straight from its column values; plain holds the opened
 * sealed fields (needed only for the reveal and journal modes). */
static int values_json_text(const struct fs_entity *e, const struct fs_value *v0, const char *const *plain,
			    unsigned mode, struct fs_buf *out)
{
	int rc = fs_buf_adds(out, "{\"id\":") || fs_buf_addi(out, v0[0].i);
	if (!rc && e->owned)
		rc = fs_buf_adds(out, ",\"org_id\":") || fs_buf_addi(out, v0[e->org_col].i);
	for (size_t i = 0; i < e->nfields && !rc; i++) {
		const struct fs_field *f = &e->fields[i];
		if (f->flags & FF_SEALED) {
			if (!(mode & (REC_JSON_REVEAL | REC_JSON_JOURNAL)))
				continue;
			const char *p = plain ? plain[i] : NULL;
			rc = fs_buf_cat(out, ",\"", f->name, "\":", NULL);
			if (!rc && !p)
				rc = fs_buf_adds(out, "null");
			else if (!rc)
				rc = (mode & REC_JSON_REVEAL) ? json_str(out, p, strlen(p)) : fs_buf_adds(out, "\"[sealed]\"");
			continue;
		}
		const struct fs_value *v = &v0[e->col_of[i]];
		rc = fs_buf_cat(out, ",\"", e->cols[e->col_of[i]].name, "\":", NULL);
		if (rc)
			break;
		if (f->flags & FF_RESTRICTED) { /* shown like any field; in the journal only when not sealed at rest */
			const char *p = plain && plain[i] ? plain[i] : v->type == FS_VTEXT && v->n ? (const char *)v->p : NULL;
			if (!p)
				rc = fs_buf_adds(out, "null");
			else if ((mode & REC_JSON_JOURNAL) && fs_restricted_row(e, v0))
				rc = fs_buf_adds(out, "\"[sealed]\"");
			else
				rc = json_str(out, p, strlen(p));
		} else if (v->type == FS_VNULL)
			rc = fs_buf_adds(out, "null");
		else if (f->kind == FK_BOOL)
			rc = fs_buf_adds(out, v->i ? "true" : "false");
		else if (v->type == FS_VINT)
			rc = fs_buf_addi(out, v->i);
		else
			rc = json_str(out, v->p, v->n);
	}
	return rc ? rc : fs_buf_addc(out, '}');
}

json_t *rec_to_json(const struct fs_rec *r, unsigned mode)
{
	struct fs_buf text;
	fs_buf_init(&text, 1u << 20);
	json_t *j = rec_json_text(r, mode, &text) ? NULL : json_loadb(text.data, text.len, 0, NULL);
	fs_buf_done(&text);
	return j ? j : json_object();
}

int rec_equal(const struct fs_rec *a, const struct fs_rec *b)
{
	const struct fs_entity *e = a->e;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & FF_RESTRICTED))
			continue;
		const char *x = rec_restricted_text(a, i), *y = rec_restricted_text(b, i);
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			return 0;
	}
	for (size_t i = 0; i < e->table.ncols; i++) {
		if ((int)i == e->sealed_col)
			continue;
		int restricted_col = 0;
		for (size_t k = 0; k < e->nfields && e->any_restricted; k++)
			restricted_col |= (e->fields[k].flags & FF_RESTRICTED) && e->col_of[k] == (int)i;
		if (restricted_col)
			continue;
		const struct fs_value *x = &a->v[i], *y = &b->v[i];
		if (x->type != y->type)
			return 0;
		if (x->type == FS_VINT && x->i != y->i)
			return 0;
		if ((x->type == FS_VTEXT || x->type == FS_VBLOB) && (x->n != y->n || memcmp(x->p, y->p, x->n)))
			return 0;
	}
	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & FF_RESTRICTED)
			continue;
		const char *x = a->plain[i], *y = b->plain[i];
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			return 0;
	}
	return 1;
}

int rec_insert(struct fs_ctx *ctx, struct fs_rec *r, int64_t *ret_id, struct fs_error *err)
{
	int64_t id, want = 0;
	int rc = 0;
	int any_plain = 0;
	for (size_t i = 0; i < r->e->nfields && r->e->sealed_col >= 0; i++)
		any_plain |= r->plain[i] != NULL;
	if (any_plain) { /* the seal names the row: sealed with the id the row will get */
		rc = fs_next_id(ctx, &r->e->table, &want, err);
		r->v[0] = fs_vint(want);
		if (!rc)
			rc = seal_rec(ctx, r, err);
		if (rc)
			return rc;
	}
	rc = fs_store_insert(ctx->st, &r->e->table, r->v, &id, err);
	if (rc)
		return rc;
	if (want && id != want)
		return fs_fail(err, FS_EINTEGRITY, NULL, "a new %s got id %lld, not %lld as its seal says", r->e->name,
			       (long long)id, (long long)want);
	r->v[0] = fs_vint(id);
	if ((rc = ctx->batch ? fs_batch_add(ctx, r, err) : fs_journal_append(ctx, "create", NULL, r, err)))
		return rc;
	if (ret_id)
		*ret_id = id;
	return 0;
}

int rec_update(struct fs_ctx *ctx, const struct fs_rec *before, struct fs_rec *after, struct fs_error *err)
{
	int rc = fs_store_update(ctx->st, &after->e->table, after->v, err);
	return rc ? rc : fs_journal_append(ctx, "update", before, after, err);
}

/* ---- the public operations ---- */

static int need_org(struct fs_ctx *ctx, const struct fs_entity *e, struct fs_error *err)
{
	if (e->owned && ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; create one with 'fairshare org add' or pick one with --org");
	return 0;
}

/* A change of e's records: the principal must hold the capability that writes them. */
static int may_write(struct fs_ctx *ctx, const struct fs_entity *e, struct fs_error *err)
{
	int rc = need_org(ctx, e, err);
	return rc ? rc : fs_principal_require(ctx, fs_entity_write_capability(e), err);
}

static int load_ex(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_rec *r, int unseal,
		   struct fs_error *err);

static int load(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_rec *r, struct fs_error *err)
{
	return load_ex(ctx, e, id, r, 1, err);
}

static int load_ex(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_rec *r, int unseal,
		   struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, id, &row, NULL);
	/* another organization's record, or one the principal's role may not read
	 * (handling.c), does not exist */
	if (rc == FS_ENOTFOUND || (!rc && e->owned && row.vals[e->org_col].i != ctx->org_id) ||
	    (!rc && !fs_row_shown(ctx, e, row.vals, 0, NULL))) {
		if (!rc)
			fs_row_free(&row);
		return fs_fail(err, FS_ENOTFOUND, NULL, "there is no %s with id %lld", e->name, (long long)id);
	}
	if (rc == FS_ECRYPTO)
		return fs_fail(err, rc, NULL, "the restricted text of %s %lld cannot be opened: wrong key, or the data was "
			       "altered or moved from another row", e->name, (long long)id);
	if (rc)
		return fs_fail(err, rc, NULL, "cannot read %s %lld", e->name, (long long)id);
	rc = rec_from_values_ex(ctx, r, e, row.vals, unseal, err);
	fs_row_free(&row);
	return rc;
}

static int set_all(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_kv *kv, size_t n, int creating,
		   struct fs_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int fi = fs_field_index(r->e, kv[i].key);
		if (!creating && fi >= 0 && (r->e->fields[fi].flags & FF_IMMUTABLE))
			return fs_fail(err, FS_EINVAL, kv[i].key, "cannot be changed once set");
		int rc = rec_set(ctx, r, kv[i].key, kv[i].value, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* A record with the same idempotency key: the same fields again is the same
 * record (*existing set); other fields are a conflict. */
static int idempotent_match(struct fs_ctx *ctx, struct fs_rec *r, int64_t *existing, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	*existing = 0;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & FF_IDEMPOTENCY) || r->v[e->col_of[i]].type == FS_VNULL)
			continue;
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {e->cols[e->col_of[i]].name, FS_EQ, r->v[e->col_of[i]]}};
		struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1};
		struct other_ud ud = {0, 0};
		int rc = fs_store_select(ctx->st, &q, other_cb, &ud, err);
		if (rc || !ud.other)
			return rc;
		struct fs_rec old;
		rec_init(&old, e);
		rc = load(ctx, e, ud.other, &old, err);
		r->v[0] = fs_vint(ud.other);
		int same = !rc && rec_equal(&old, r);
		r->v[0] = fs_vnull();
		rec_done(&old);
		if (rc)
			return rc;
		if (!same)
			return fs_fail(err, FS_ECONFLICT, e->fields[i].name,
				       "this %s was already used for a different %s (%lld); a retry must repeat the same fields",
				       e->fields[i].name, e->name, (long long)ud.other);
		*existing = ud.other;
		return 0;
	}
	return 0;
}

int fs_create_ex(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *kv, size_t n,
		 int64_t *ret_id, int *ret_existed, struct fs_error *err)
{
	if (e->managed && !ctx->managed_ok)
		return fs_fail(err, FS_EINVAL, NULL, "a %s record is made by '%s'", e->name, e->managed);
	int rc = may_write(ctx, e, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec r;
	rec_init(&r, e);
	int64_t existing = 0;
	rc = set_all(ctx, &r, kv, n, 1, err);
	if (!rc && rec_field(&r, "reverses_id") && rec_field(&r, "reverses_id")->type != FS_VNULL)
		rc = fs_fail(err, FS_EINVAL, "reverses_id", "a reversal is made with 'payment reverse ID'");
	if (!rc)
		rc = rec_finish(ctx, &r, 1, err);
	if (!rc)
		rc = idempotent_match(ctx, &r, &existing, err);
	if (!rc && existing && ret_id)
		*ret_id = existing;
	if (!rc && !existing)
		rc = rec_insert(ctx, &r, ret_id, err);
	if (!rc && ret_existed)
		*ret_existed = existing != 0;
	rec_done(&r);
	return fs_tx_end(ctx, rc, err);
}

int fs_create(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *kv, size_t n,
	      int64_t *ret_id, struct fs_error *err)
{
	return fs_create_ex(ctx, e, kv, n, ret_id, NULL, err);
}

static int refuse_append_only(const struct fs_entity *e, struct fs_error *err)
{
	if (strcmp(e->name, "payment"))
		return fs_fail(err, FS_EINVAL, NULL, "an %s is never changed or removed; a new %s supersedes it "
			       "and the history is kept", e->name, e->name);
	return fs_fail(err, FS_EINVAL, NULL, "a %s is never changed or removed; correct it with a reversal "
		       "('fairshare %s reverse ID')", e->name, e->name);
}

int fs_payment_reverse(struct fs_ctx *ctx, int64_t id, const struct fs_kv *kv, size_t n, int64_t *ret_id,
		       struct fs_error *err)
{
	const struct fs_entity *e = &ent_payment;
	int rc = may_write(ctx, e, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec orig, rev;
	rec_init(&orig, e);
	rec_init(&rev, e);
	rc = load(ctx, e, id, &orig, err);
	if (!rc && rec_field(&orig, "reverses_id")->type != FS_VNULL)
		rc = fs_fail(err, FS_EINVAL, NULL, "payment %lld is itself a reversal", (long long)id);
	if (!rc) {
		struct fs_filter f = {"reverses_id", FS_EQ, fs_vint(id)};
		struct fs_query q = {.table = &e->table, .filters = &f, .nfilters = 1, .limit = 1};
		struct other_ud ud = {0, 0};
		rc = fs_store_select(ctx->st, &q, other_cb, &ud, err);
		if (!rc && ud.other)
			rc = fs_fail(err, FS_ECONFLICT, NULL, "payment %lld was already reversed by payment %lld", (long long)id,
				     (long long)ud.other);
	}
	if (!rc)
		rc = rec_from_values(ctx, &rev, e, orig.v, err);
	if (!rc) {
		char today[11];
		fs_date_format(fs_date_today(), today);
		rev.v[0] = fs_vnull();
		rec_set_int(&rev, "amount", -rec_field(&orig, "amount")->i);
		rec_set_int(&rev, "reverses_id", id);
		rc = rec_set(ctx, &rev, "paid_on", today, err);
		if (!rc)
			rc = rec_set(ctx, &rev, "idempotency_key", NULL, err);
		if (!rc)
			rc = rec_set(ctx, &rev, "note", NULL, err);
		for (size_t i = 0; !rc && i < n; i++) {
			if (strcmp(kv[i].key, "note") && strcmp(kv[i].key, "paid_on") && strcmp(kv[i].key, "reference") &&
			    strcmp(kv[i].key, "idempotency_key"))
				rc = fs_fail(err, FS_EINVAL, kv[i].key, "a reversal takes only note, paid_on, reference, idempotency_key");
			else
				rc = rec_set(ctx, &rev, kv[i].key, kv[i].value, err);
		}
	}
	if (!rc)
		rc = rec_finish(ctx, &rev, 1, err);
	if (!rc)
		rc = rec_insert(ctx, &rev, ret_id, err);
	rec_done(&orig);
	rec_done(&rev);
	return fs_tx_end(ctx, rc, err);
}

int fs_update(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, const struct fs_kv *kv,
	      size_t n, struct fs_error *err)
{
	if (e->append_only)
		return refuse_append_only(e, err);
	int rc = may_write(ctx, e, err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec before, after;
	rec_init(&before, e);
	rec_init(&after, e);
	rc = load(ctx, e, id, &before, err);
	if (!rc)
		rc = load(ctx, e, id, &after, err);
	if (!rc)
		rc = set_all(ctx, &after, kv, n, 0, err);
	if (!rc)
		rc = rec_finish(ctx, &after, 0, err);
	if (!rc && !rec_equal(&before, &after))
		rc = rec_update(ctx, &before, &after, err);
	rec_done(&before);
	rec_done(&after);
	return fs_tx_end(ctx, rc, err);
}

int fs_remove(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err)
{
	int rc = may_write(ctx, e, err); /* a role that may not write is refused first, as by the route */
	if (rc)
		return rc;
	if (e->append_only)
		return refuse_append_only(e, err);
	if (e->managed)
		return fs_fail(err, FS_EINVAL, NULL, "%s records are never removed (the custody log refers to them); "
			       "restrict it with --handling sealed", e->name);
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	struct fs_rec before;
	rec_init(&before, e);
	rc = load(ctx, e, id, &before, err);
	if (!rc) {
		rc = fs_store_delete(ctx->st, &e->table, id, err);
		if (rc == FS_ECONFLICT)
			rc = fs_fail(err, FS_ECONFLICT, NULL,
				     "%s %lld is still referred to by other records (e.g. employments, "
				     "memberships); remove those first", e->name, (long long)id);
	}
	if (!rc && e->person_col == 0)
		rc = fs_person_key_drop(ctx, id, err); /* their own key goes with them */
	if (!rc)
		rc = fs_journal_append(ctx, "delete", &before, NULL, err);
	rec_done(&before);
	return fs_tx_end(ctx, rc, err);
}

int fs_get(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, unsigned flags, json_t **ret,
	   struct fs_error *err)
{
	if ((flags & FS_REVEAL) && !fs_can(ctx, "people.reveal"))
		return fs_fail(err, FS_EPERM, "reveal", "your role cannot see sealed fields");
	struct fs_rec r;
	rec_init(&r, e);
	int rc = load_ex(ctx, e, id, &r, (flags & FS_REVEAL) != 0, err);
	if (!rc)
		*ret = rec_to_json(&r, (flags & FS_REVEAL) ? REC_JSON_REVEAL : 0);
	rec_done(&r);
	return rc;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* Counting every matching row on each page view is the costly part of a list:
 * the total is kept per query while the database is unchanged. */
static int cached_count(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_query *q, int64_t *total,
			struct fs_error *err)
{
	uint64_t key = fnv(1469598103934665603ULL, e->name, strlen(e->name));
	for (size_t i = 0; i < q->nfilters; i++) {
		const struct fs_filter *f = &q->filters[i];
		key = fnv(key, f->column, strlen(f->column) + 1);
		key = fnv(key, &f->op, sizeof(f->op));
		key = fnv(key, &f->value.type, sizeof(f->value.type));
		if (f->value.type == FS_VINT)
			key = fnv(key, &f->value.i, sizeof(f->value.i));
		else if (f->value.n)
			key = fnv(key, f->value.p, f->value.n);
		key = fnv(key, "|", 1);
	}
	int64_t version = ctx->tx_depth ? -1 : fs_data_version(ctx);
	for (size_t i = 0; version >= 0 && i < sizeof(ctx->counts) / sizeof(ctx->counts[0]); i++)
		if (ctx->counts[i].key == key && ctx->counts[i].version == version) {
			*total = ctx->counts[i].total;
			return 0;
		}
	int rc = fs_store_count(ctx->st, q, total, err);
	if (!rc && version >= 0) {
		unsigned slot = ctx->next_count++ % (sizeof(ctx->counts) / sizeof(ctx->counts[0]));
		ctx->counts[slot].key = key;
		ctx->counts[slot].total = *total;
		ctx->counts[slot].version = version;
	}
	return rc;
}

struct list_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	struct fs_buf *text;
	int64_t n;
	unsigned mode;
	struct fs_error *err;
	int rc;
};

static int list_cb(void *p, const struct fs_value *vals)
{
	struct list_ud *u = p;
	if (u->n++ && (u->rc = fs_buf_addc(u->text, ',')))
		return 1;
	if (!(u->mode & REC_JSON_REVEAL)) /* straight from the row: nothing to open */
		return (u->rc = values_json_text(u->e, vals, NULL, u->mode, u->text)) != 0;
	struct fs_rec r;
	u->rc = rec_from_values(u->ctx, &r, u->e, vals, u->err);
	if (!u->rc)
		u->rc = rec_json_text(&r, u->mode, u->text);
	rec_done(&r);
	return u->rc != 0;
}

/* A list of what the role may read: every matching row is looked at (its
 * level may come from other records), the page cut from the ones shown. */
struct shown_ud {
	struct list_ud *u;
	struct fs_hcache *cache;
	int64_t total, skip, room;
};

static int shown_cb(void *p, const struct fs_value *vals)
{
	struct shown_ud *s = p;
	if (!fs_row_shown(s->u->ctx, s->u->e, vals, 0, s->cache))
		return 0;
	s->total++;
	if (s->skip > 0 || s->room <= 0) {
		s->skip -= s->skip > 0;
		return 0;
	}
	s->room--;
	return list_cb(s->u, vals);
}

static int list_shown(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_query *page, struct list_ud *u,
		      struct fs_buf *out, struct fs_error *err)
{
	struct fs_hcache *cache = calloc(1, sizeof(*cache));
	struct fs_buf items;
	fs_buf_init(&items, 256u << 20);
	struct fs_query q = *page;
	q.limit = 0;
	q.offset = 0;
	u->text = &items;
	struct shown_ud s = {u, cache, 0, page->offset, page->limit};
	int rc = cache ? fs_store_select(ctx->st, &q, shown_cb, &s, err) : FS_ENOMEM;
	if (!rc)
		rc = u->rc;
	if (!rc)
		rc = fs_buf_adds(out, "{\"total\":") || fs_buf_addi(out, s.total) || fs_buf_adds(out, ",\"items\":[") ||
		     fs_buf_add(out, items.data ? items.data : "", items.len) || fs_buf_adds(out, "]}") ? FS_ENOMEM : 0;
	u->text = out;
	fs_buf_done(&items);
	free(cache);
	return rc;
}

int fs_list_text_uncached(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, struct fs_buf *out,
			  struct fs_error *err)
{
	int rc = need_org(ctx, e, err);
	if (rc)
		return rc;
	if ((o->flags & FS_REVEAL) && !fs_can(ctx, "people.reveal"))
		return fs_fail(err, FS_EPERM, "reveal", "your role cannot see sealed fields");
	struct fs_filter f[FS_MAX_FIELDS + 2];
	size_t nf = 0;
	struct fs_rec keys; /* parsed filter values, so dates and codes are normalised */
	rec_init(&keys, e);
	struct fs_buf fold;
	fs_buf_init(&fold, 4096);
	if (e->owned)
		f[nf++] = (struct fs_filter){"org_id", FS_EQ, fs_vint(ctx->org_id)};
	int label_fi = e->label ? fs_field_index(e, e->label) : -1;
	if (o->search && *o->search && label_fi >= 0) {
		rc = check_text(o->search, strlen(o->search), 200, 0, err, "search");
		struct fs_buf q;
		fs_buf_init(&q, 4096);
		if (!rc)
			rc = fs_utf8_fold(o->search, strlen(o->search), &q);
		for (size_t i = 0; !rc && i < q.len; i++) {
			if (q.data[i] == '%' || q.data[i] == '_' || q.data[i] == '\\')
				rc = fs_buf_addc(&fold, '\\');
			if (!rc)
				rc = fs_buf_addc(&fold, q.data[i]);
		}
		fs_buf_done(&q);
		if (!rc)
			f[nf++] = (struct fs_filter){e->cols[e->fold_of[label_fi]].name, FS_CONTAINS,
						     fs_vblob(NULL, 0)};
		if (!rc) {
			f[nf - 1].value = (struct fs_value){FS_VTEXT, 0, fold.data ? fold.data : "", fold.len};
		}
	}
	for (size_t i = 0; !rc && i < o->nfilters && nf < FS_MAX_FIELDS + 2; i++) {
		int fi = fs_field_index(e, o->filters[i].key);
		if (fi < 0 || (e->fields[fi].flags & FF_SEALED))
			rc = fs_fail(err, FS_EINVAL, o->filters[i].key, "cannot filter %s by '%s'", e->plural, o->filters[i].key);
		else if (!(rc = rec_set(ctx, &keys, o->filters[i].key, o->filters[i].value, err)))
			f[nf++] = (struct fs_filter){e->cols[e->col_of[fi]].name, FS_EQ, keys.v[e->col_of[fi]]};
	}
	int64_t limit = o->limit > 0 ? o->limit : LIST_DEFAULT;
	if (!rc && (limit > LIST_MAX || o->offset < 0))
		rc = fs_fail(err, FS_EINVAL, "limit", "limit is at most %d and offset at least 0", LIST_MAX);
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf,
			     .order_by = label_fi < 0 ? NULL : e->cols[e->fold_of[label_fi] >= 0 ? e->fold_of[label_fi] : e->col_of[label_fi]].name,
			     .then_by = label_fi >= 0 ? e->cols[e->col_of[label_fi]].name : NULL,
			     .limit = limit, .offset = o->offset};
	int64_t total = 0;
	struct list_ud u = {ctx, e, out, 0, (o->flags & FS_REVEAL) ? REC_JSON_REVEAL : 0, err, 0};
	if (!rc && fs_handled(e) && !fs_sees_every_level(ctx)) {
		rc = list_shown(ctx, e, &q, &u, out, err); /* some records are hidden from this role */
	} else {
		if (!rc)
			rc = cached_count(ctx, e, &q, &total, err);
		if (!rc)
			rc = fs_buf_adds(out, "{\"total\":") || fs_buf_addi(out, total) || fs_buf_adds(out, ",\"items\":[") ? FS_ENOMEM : 0;
		if (!rc)
			rc = fs_store_select(ctx->st, &q, list_cb, &u, err);
		if (!rc)
			rc = u.rc;
		if (!rc)
			rc = fs_buf_adds(out, "]}") ? FS_ENOMEM : 0;
	}
	fs_buf_done(&fold);
	rec_done(&keys);
	return rc;
}

int fs_list(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, json_t **ret,
	    struct fs_error *err)
{
	struct fs_buf text;
	fs_buf_init(&text, 256u << 20);
	int rc = fs_list_text(ctx, e, o, &text, err);
	json_t *j = rc ? NULL : json_loadb(text.data, text.len, 0, NULL);
	fs_buf_done(&text);
	if (!rc && !j)
		rc = fs_fail(err, FS_ENOMEM, NULL, "cannot build the list");
	if (!rc)
		*ret = j;
	return rc;
}

int fs_person_by_national_id(struct fs_ctx *ctx, const char *national_id, int64_t *ret_id, struct fs_error *err)
{
	const struct fs_entity *e = &ent_person;
	int rc = need_org(ctx, e, err);
	if (rc)
		return rc;
	char norm[64];
	if ((rc = fs_national_id_normalize(ctx->org_country, national_id, norm, sizeof(norm), err, "national_id")))
		return rc;
	unsigned char h[FS_HASH_BYTES];
	fs_lookup_hash(&ctx->keys, norm, strlen(norm), h);
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"national_id_hash", FS_EQ, fs_vblob(h, sizeof(h))}};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1};
	struct other_ud ud = {0, 0};
	if ((rc = fs_store_select(ctx->st, &q, other_cb, &ud, err)))
		return rc;
	if (!ud.other)
		return fs_fail(err, FS_ENOTFOUND, "national_id", "no person with that national ID");
	*ret_id = ud.other;
	return 0;
}

/* ---- entity checks ---- */

static const char *text_of(const struct fs_rec *r, const char *field)
{
	const struct fs_value *v = rec_field(r, field);
	return v && v->type == FS_VTEXT ? v->p : NULL;
}

static int org_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const char *slug = text_of(r, "slug");
	if (slug && strlen(slug) < 2)
		return fs_fail(err, FS_EINVAL, "slug", "has at least 2 characters");
	if (slug && strspn(slug, "0123456789") == strlen(slug))
		return fs_fail(err, FS_EINVAL, "slug", "cannot be only digits (it would look like an id)");
	return 0;
}

static int person_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const char *birth = rec_sealed(r, "birth_date");
	if (birth) {
		char today[11];
		fs_date_format(fs_date_today(), today);
		if (strcmp(birth, today) > 0)
			return fs_fail(err, FS_EINVAL, "birth_date", "%s is in the future", birth);
	}
	return 0;
}

static int dates_in_order(const struct fs_rec *r, const char *from, const char *to, struct fs_error *err)
{
	const char *a = text_of(r, from), *b = text_of(r, to);
	if (a && b && strcmp(a, b) > 0)
		return fs_fail(err, FS_EINVAL, to, "%s (%s) is before %s (%s)", to, b, from, a);
	return 0;
}

static int employment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = dates_in_order(r, "hired", "terminated", err);
	if (rc)
		return rc;
	if (text_of(r, "termination_reason") && !text_of(r, "terminated"))
		return fs_fail(err, FS_EINVAL, "terminated", "a termination reason needs the termination date");
	const struct fs_value *dw = rec_field(r, "days_worked_12m");
	if (dw->type == FS_VINT && (dw->i < 1 || dw->i > 366))
		return fs_fail(err, FS_EINVAL, "days_worked_12m", "%lld is not a number of days from 1 to 366", (long long)dw->i);
	const struct fs_value *ul = rec_field(r, "unused_leave_days");
	if (ul->type == FS_VINT && ul->i > 3650)
		return fs_fail(err, FS_EINVAL, "unused_leave_days", "%lld is more than 3650 days", (long long)ul->i);
	const struct fs_value *wp = rec_field(r, "workplace_id"), *emp = rec_field(r, "employer_id");
	if (wp->type == FS_VINT) {
		struct fs_row row;
		const struct fs_entity *we = &ent_workplace;
		if ((rc = fs_store_get(ctx->st, &we->table, wp->i, &row, err)))
			return rc;
		int64_t wemp = row.vals[we->col_of[fs_field_index(we, "employer_id")]].i;
		fs_row_free(&row);
		if (emp->type == FS_VNULL)
			rec_set_int(r, "employer_id", wemp);
		else if (emp->i != wemp)
			return fs_fail(err, FS_EINVAL, "employer_id",
				       "workplace %lld belongs to employer %lld, not %lld", (long long)wp->i,
				       (long long)wemp, (long long)emp->i);
	} else if (emp->type == FS_VNULL) {
		return fs_fail(err, FS_EINVAL, "employer_id", "give the employer or the workplace");
	}
	const struct fs_value *cur = rec_field(r, "currency");
	if (cur->type == FS_VNULL && ctx->org_currency[0]) {
		int ci = r->e->col_of[fs_field_index(r->e, "currency")];
		if (set_col_bytes(r, ci, FS_VTEXT, ctx->org_currency, strlen(ctx->org_currency)))
			return FS_ENOMEM;
	}
	return 0;
}

static int membership_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	if (rec_field(r, "organization_id")->type == FS_VNULL)
		rec_set_int(r, "organization_id", ctx->org_id);
	return dates_in_order(r, "joined_on", "left_on", err);
}

static int default_currency(struct fs_ctx *ctx, struct fs_rec *r)
{
	const struct fs_value *cur = rec_field(r, "currency");
	if (cur->type == FS_VNULL && ctx->org_currency[0]) {
		int ci = r->e->col_of[fs_field_index(r->e, "currency")];
		return set_col_bytes(r, ci, FS_VTEXT, ctx->org_currency, strlen(ctx->org_currency));
	}
	return 0;
}

static int set_default_text(struct fs_rec *r, const char *field, const char *value)
{
	const struct fs_value *v = rec_field(r, field);
	if (v->type != FS_VNULL)
		return 0;
	return set_col_bytes(r, r->e->col_of[fs_field_index(r->e, field)], FS_VTEXT, value, strlen(value));
}

static int64_t ref_field(struct fs_ctx *ctx, const char *entity, int64_t id, const char *field)
{
	const struct fs_entity *e = fs_entity_find(entity);
	struct fs_row row;
	if (fs_store_get(ctx->st, &e->table, id, &row, NULL))
		return -1;
	const struct fs_value *v = &row.vals[e->col_of[fs_field_index(e, field)]];
	int64_t out = v->type == FS_VINT ? v->i : 0;
	fs_row_free(&row);
	return out;
}

/* A text field of a referenced row into out ("" when empty). */
static int ref_text(struct fs_ctx *ctx, const char *entity, int64_t id, const char *field, char *out, size_t cap)
{
	const struct fs_entity *e = fs_entity_find(entity);
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, id, &row, NULL);
	if (rc)
		return rc;
	const struct fs_value *v = &row.vals[e->col_of[fs_field_index(e, field)]];
	out[0] = 0;
	if (v->type == FS_VTEXT)
		snprintf(out, cap, "%.*s", (int)v->n, (const char *)v->p);
	fs_row_free(&row);
	return 0;
}

static int claim_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = default_currency(ctx, r);
	if (!rc)
		rc = set_default_text(r, "status", "draft");
	if (!rc)
		rc = set_default_text(r, "basis", text_of(r, "rules_version") ? "computed" : "entered");
	if (rc)
		return fs_fail(err, rc, NULL, "out of memory");
	const char *basis = text_of(r, "basis");
	if (!strcmp(basis, "computed") && !text_of(r, "rules_version"))
		return fs_fail(err, FS_EINVAL, "rules_version", "a computed claim names the rule set that computed it");
	if (!strcmp(basis, "entered") && !text_of(r, "document_ref"))
		return fs_fail(err, FS_EINVAL, "document_ref",
			       "an entered claim needs the document it rests on (court file, medical report, payroll ...)");
	if (r->trusted)
		return 0;
	const struct fs_value *emp = rec_field(r, "employment_id");
	if (emp->type == FS_VINT && ref_field(ctx, "employment", emp->i, "person_id") != rec_field(r, "person_id")->i)
		return fs_fail(err, FS_EINVAL, "employment_id", "employment %lld is not this person's", (long long)emp->i);
	const char *inputs = text_of(r, "inputs");
	if (inputs) {
		json_t *j = json_loads(inputs, 0, NULL);
		int ok = json_is_object(j);
		json_decref(j);
		if (!ok)
			return fs_fail(err, FS_EINVAL, "inputs", "must be a JSON object");
	}
	return 0;
}

int fs_claim_kind_index(const char *kind)
{
	for (int i = 0; fs_claim_kinds[i]; i++)
		if (!strcmp(fs_claim_kinds[i], kind))
			return i;
	return -1;
}

static int promise_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	if (default_currency(ctx, r))
		return FS_ENOMEM;
	const char *kinds = text_of(r, "kinds");
	if (kinds) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", kinds);
		for (char *save = NULL, *k = strtok_r(buf, ", ", &save); k; k = strtok_r(NULL, ", ", &save))
			if (fs_claim_kind_index(k) < 0)
				return fs_fail(err, FS_EINVAL, "kinds", "'%.32s' is not a kind of claim", k);
	}
	return dates_in_order(r, "made_on", "due_on", err);
}

static int payment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	if (default_currency(ctx, r))
		return FS_ENOMEM;
	const struct fs_value *amount = rec_field(r, "amount"), *rev = rec_field(r, "reverses_id");
	if (rev->type == FS_VNULL && amount->i <= 0)
		return fs_fail(err, FS_EINVAL, "amount", "a payment is more than zero; a correction is a reversal ('payment reverse')");
	const struct fs_value *promise = rec_field(r, "promise_id");
	if (promise->type == FS_VINT && rev->type == FS_VNULL) {
		int64_t pp = ref_field(ctx, "promise", promise->i, "person_id");
		if (pp > 0 && pp != rec_field(r, "person_id")->i)
			return fs_fail(err, FS_EINVAL, "promise_id", "promise %lld was made to another person", (long long)promise->i);
	}
	return 0;
}

static int fund_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	static const char *const limits[] = {"approval_threshold", "rolling_limit"};
	for (size_t i = 0; i < 2; i++)
		if (rec_field(r, limits[i])->type == FS_VINT && rec_field(r, limits[i])->i < 0)
			return fs_fail(err, FS_EINVAL, limits[i], "%s cannot be below zero", limits[i]);
	return default_currency(ctx, r);
}

static int account_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_value *cur = rec_field(r, "currency");
	if (cur->type == FS_VNULL) { /* the fund's currency */
		const struct fs_entity *fe = &ent_fund;
		struct fs_row row;
		int rc = fs_store_get(ctx->st, &fe->table, rec_field(r, "fund_id")->i, &row, err);
		if (rc)
			return rc;
		const struct fs_value *fc = &row.vals[fe->col_of[fs_field_index(fe, "currency")]];
		rc = fc->type == FS_VTEXT ? set_col_bytes(r, r->e->col_of[fs_field_index(r->e, "currency")], FS_VTEXT, fc->p, fc->n) : 0;
		fs_row_free(&row);
		if (rc)
			return rc;
	}
	const char *name = text_of(r, "name");
	for (const char *p = name; p && *p; p++)
		if (*p == ' ' && p[1] == ' ')
			return fs_fail(err, FS_EINVAL, "name", "an account name has no double spaces (ledger files use them as separators)");
	return 0;
}

static int pledge_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	if (rec_field(r, "monthly")->i <= 0)
		return fs_fail(err, FS_EINVAL, "monthly", "a pledge is more than zero a month");
	return dates_in_order(r, "start_month", "end_month", err);
}

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

static int default_handling(struct fs_rec *r);

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

static int default_handling(struct fs_rec *r)
{
	int col = r->e->col_of[fs_field_index(r->e, "handling")];
	return r->v[col].type == FS_VNULL ? set_col_bytes(r, col, FS_VTEXT, "internal", 8) : 0;
}

static int incident_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = dates_in_order(r, "started_on", "ended_on", err);
	if (rc)
		return rc;
	const struct fs_value *st = rec_field(r, "stage_id"), *ac = rec_field(r, "action_id");
	if (st->type == FS_VINT) { /* a stage belongs to one action: take it, or check it */
		int64_t of = ref_field(ctx, "stage", st->i, "action_id");
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
	int rc = dates_in_order(r, "started_on", "ended_on", err);
	if (!rc)
		rc = participants_in_order(r, err);
	if (rc)
		return rc;
	const struct fs_value *wp = rec_field(r, "workplace_id"), *em = rec_field(r, "employer_id");
	if (wp->type == FS_VINT) {
		int64_t of = ref_field(ctx, "workplace", wp->i, "employer_id");
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
	const char *on = text_of(r, "held_on");
	int64_t act = rec_field(r, "action_id")->i;
	char from[16] = "", to[16] = "";
	rc = ref_text(ctx, "action", act, "started_on", from, sizeof(from));
	if (!rc)
		rc = ref_text(ctx, "action", act, "ended_on", to, sizeof(to));
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
	if (set_default_text(r, "status", "pending"))
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
		int rc = ref_text(ctx, "case", rec_field(r, "case_id")->i, "court", court, sizeof(court));
		if (!rc && *court)
			rc = set_default_text(r, "court", court);
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
	return ref_check(ctx, &f, rec_field(r, "subject_id")->i, err);
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
	int rc = ref_check(ctx, &f, rec_field(r, "subject_id")->i, err);
	if (rc)
		return rc;
	const struct fs_value *d = rec_field(r, "assessed_on");
	if (d->type == FS_VNULL) {
		char today[16];
		fs_date_format(fs_date_today(), today);
		int col = r->e->col_of[fs_field_index(r->e, "assessed_on")];
		return set_col_bytes(r, col, FS_VTEXT, today, strlen(today));
	}
	return 0;
}

static int case_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const struct fs_value *v = rec_field(r, "verdict"), *st = rec_field(r, "sentence"), *m = rec_field(r, "sentence_months");
	const struct fs_value *cs = rec_field(r, "custody_since"), *rel = rec_field(r, "released_on");
	int col = r->e->col_of[fs_field_index(r->e, "verdict")];
	int rc = v->type == FS_VNULL ? set_col_bytes(r, col, FS_VTEXT, "pending", 7) : 0;
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
		rc = set_col_bytes(r, r->e->col_of[fs_field_index(r->e, "whereabouts")], FS_VTEXT, "unknown", 7);
	if (!rc && w->type == FS_VNULL && a->type == FS_VTEXT)
		rc = set_col_bytes(r, r->e->col_of[fs_field_index(r->e, "whereabouts_since")], FS_VTEXT, a->p, a->n);
	a = rec_field(r, "arrested_at");
	w = rec_field(r, "whereabouts_since");
	if (!rc && w->type == FS_VTEXT && strcmp(w->p, a->p) < 0)
		rc = fs_fail(err, FS_EINVAL, "whereabouts_since", "is before arrested_at");
	if (!rc && rel->type == FS_VTEXT && strcmp(rel->p, a->p) < 0)
		rc = fs_fail(err, FS_EINVAL, "released_at", "is before arrested_at");
	return rc ? rc : default_handling(r);
}
