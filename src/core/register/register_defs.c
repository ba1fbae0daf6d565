/* register_defs.c - the people register's entities as data (organization, person,
 * employer, workplace, employment, membership: fields, kinds, limits), their
 * checks, and the national IDs' check digits. The generic machinery that reads
 * these tables is in base/ (entity.c, records.c, entity_ops.c). */
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
static const char *const workplace_kinds[] = {"mine", "plant", "factory", "field", "site", "office",
					       "port", "depot", "other", NULL};
/* Termination reasons of the TR and KZ rule sets (claims module), plus generic ones. */
static const char *const termination_reasons[] = {
	"closure", "dismissal", "misconduct_dismissal", "just_cause_resignation", "resignation",
	"retirement", "military_service", "marriage", "death", "liquidation", "staff_reduction",
	"reduced_output", "employer_breach", "agreement", "contract_expiry", "other", NULL};
static const char *const membership_roles[] = {"member", "shop_steward", "committee", "officer",
						"supporter", NULL};

static int org_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int person_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int employment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int membership_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);

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

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fs_entity fs_ent_org = {.name = "organization", .plural = "organizations", .label = "name", .owned = 0,
	.fields = org_fields, .nfields = N(org_fields), .check = org_check};
struct fs_entity fs_ent_person = {.name = "person", .plural = "people", .label = "full_name", .owned = 1,
	.fields = person_fields, .nfields = N(person_fields), .check = person_check,
	.normalize_id = fs_national_id_normalize};
struct fs_entity fs_ent_employer = {.name = "employer", .plural = "employers", .label = "name", .owned = 1,
	.fields = employer_fields, .nfields = N(employer_fields), .check = NULL};
struct fs_entity fs_ent_workplace = {.name = "workplace", .plural = "workplaces", .label = "name", .owned = 1,
	.fields = workplace_fields, .nfields = N(workplace_fields), .check = NULL};
struct fs_entity fs_ent_employment = {.name = "employment", .plural = "employments", .label = NULL, .owned = 1,
	.fields = employment_fields, .nfields = N(employment_fields), .check = employment_check};
struct fs_entity fs_ent_membership = {.name = "membership", .plural = "memberships", .label = NULL, .owned = 1,
	.fields = membership_fields, .nfields = N(membership_fields), .check = membership_check};

static int org_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	(void)ctx;
	const char *slug = chk_text(r, "slug");
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

static int employment_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	int rc = chk_dates_in_order(r, "hired", "terminated", err);
	if (rc)
		return rc;
	if (chk_text(r, "termination_reason") && !chk_text(r, "terminated"))
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
		const struct fs_entity *we = &fs_ent_workplace;
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
		if (rec_set_bytes(r, ci, FS_VTEXT, ctx->org_currency, strlen(ctx->org_currency)))
			return FS_ENOMEM;
	}
	return 0;
}

static int membership_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	if (rec_field(r, "organization_id")->type == FS_VNULL)
		rec_set_int(r, "organization_id", ctx->org_id);
	return chk_dates_in_order(r, "joined_on", "left_on", err);
}

/* ---- national IDs: the check digits of a Turkish T.C. kimlik no and a Kazakh IIN ---- */

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

/* this domain's entities, in their order: src/core/domains.c registers them with base */
static struct fs_entity *const entities[] = {&fs_ent_org, &fs_ent_person, &fs_ent_employer, &fs_ent_workplace, &fs_ent_employment, &fs_ent_membership};
const struct fs_domain fs_domain_register = {"register", entities, sizeof(entities) / sizeof(entities[0])};
