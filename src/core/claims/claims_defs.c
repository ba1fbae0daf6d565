/* claims_defs.c - the claims watch's entities as data (claim, promise, payment:
 * fields, kinds, limits) and their checks. */
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

/* ---- vocabularies ---- */
const char *const fs_claim_kinds[] = {"unpaid_wages", "annual_leave", "overtime", "notice", "severance",
				      "compensation", "penalty", "injury", "death", "other", NULL};
static const char *const claim_statuses[] = {"draft", "filed", "acknowledged", "disputed", "in_court", "awarded",
					     "settled", "written_off", NULL};
static const char *const claim_bases[] = {"computed", "entered", NULL};
static const char *const payer_kinds[] = {"employer", "ministry", "government", "court", "guarantee_fund",
					  "insurer", "union_fund", "other", NULL};

static int claim_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int promise_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int payment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);

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

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fs_entity fs_ent_claim = {.name = "claim", .plural = "claims", .label = NULL, .owned = 1,
	.fields = claim_fields, .nfields = N(claim_fields), .check = claim_check};
struct fs_entity fs_ent_promise = {.name = "promise", .plural = "promises", .label = "promisor_name", .owned = 1,
	.fields = promise_fields, .nfields = N(promise_fields), .check = promise_check};
struct fs_entity fs_ent_payment = {.name = "payment", .plural = "payments", .label = NULL, .owned = 1,
	.fields = payment_fields, .nfields = N(payment_fields), .check = payment_check, .append_only = 1};

static int claim_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = chk_default_currency(ctx, r);
	if (!rc)
		rc = chk_default_text(r, "status", "draft");
	if (!rc)
		rc = chk_default_text(r, "basis", chk_text(r, "rules_version") ? "computed" : "entered");
	if (rc)
		return fs_fail(err, rc, NULL, "out of memory");
	const char *basis = chk_text(r, "basis");
	if (!strcmp(basis, "computed") && !chk_text(r, "rules_version"))
		return fs_fail(err, FS_EINVAL, "rules_version", "a computed claim names the rule set that computed it");
	if (!strcmp(basis, "entered") && !chk_text(r, "document_ref"))
		return fs_fail(err, FS_EINVAL, "document_ref",
			       "an entered claim needs the document it rests on (court file, medical report, payroll ...)");
	if (r->trusted)
		return 0;
	const struct fs_value *emp = rec_field(r, "employment_id");
	if (emp->type == FS_VINT && chk_ref_field(ctx, "employment", emp->i, "person_id") != rec_field(r, "person_id")->i)
		return fs_fail(err, FS_EINVAL, "employment_id", "employment %lld is not this person's", (long long)emp->i);
	const char *inputs = chk_text(r, "inputs");
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
	if (chk_default_currency(ctx, r))
		return FS_ENOMEM;
	const char *kinds = chk_text(r, "kinds");
	if (kinds) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", kinds);
		for (char *save = NULL, *k = strtok_r(buf, ", ", &save); k; k = strtok_r(NULL, ", ", &save))
			if (fs_claim_kind_index(k) < 0)
				return fs_fail(err, FS_EINVAL, "kinds", "'%.32s' is not a kind of claim", k);
	}
	return chk_dates_in_order(r, "made_on", "due_on", err);
}

static int payment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	if (chk_default_currency(ctx, r))
		return FS_ENOMEM;
	const struct fs_value *amount = rec_field(r, "amount"), *rev = rec_field(r, "reverses_id");
	if (rev->type == FS_VNULL && amount->i <= 0)
		return fs_fail(err, FS_EINVAL, "amount", "a payment is more than zero; a correction is a reversal ('payment reverse')");
	const struct fs_value *promise = rec_field(r, "promise_id");
	if (promise->type == FS_VINT && rev->type == FS_VNULL) {
		int64_t pp = chk_ref_field(ctx, "promise", promise->i, "person_id");
		if (pp > 0 && pp != rec_field(r, "person_id")->i)
			return fs_fail(err, FS_EINVAL, "promise_id", "promise %lld was made to another person", (long long)promise->i);
	}
	return 0;
}

/* this domain's entities, in their order: src/core/domains.c registers them with base */
static struct fs_entity *const entities[] = {&fs_ent_claim, &fs_ent_promise, &fs_ent_payment};
const struct fs_domain fs_domain_claims = {"claims", entities, sizeof(entities) / sizeof(entities[0])};
