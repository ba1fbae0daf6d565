/* funds_defs.c - the solidarity funds' entities as data (fund, account, pledge:
 * fields, kinds, limits) and their checks. The ledger's transfers are not
 * entities: they are rows of their own log (ledger.c). */
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

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int fund_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
static int account_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_fund = {.name = "fund", .plural = "funds", .label = "name", .owned = 1,
	.fields = fund_fields, .nfields = N(fund_fields), .check = fund_check};
struct fs_entity fs_ent_account = {.name = "account", .plural = "accounts", .label = "name", .owned = 1,
	.fields = account_fields, .nfields = N(account_fields), .check = account_check};
static int pledge_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
struct fs_entity fs_ent_pledge = {.name = "pledge", .plural = "pledges", .label = "label", .owned = 1,
	.fields = pledge_fields, .nfields = N(pledge_fields), .check = pledge_check};

static int fund_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	static const char *const limits[] = {"approval_threshold", "rolling_limit"};
	for (size_t i = 0; i < 2; i++)
		if (rec_field(r, limits[i])->type == FS_VINT && rec_field(r, limits[i])->i < 0)
			return fs_fail(err, FS_EINVAL, limits[i], "%s cannot be below zero", limits[i]);
	return chk_default_currency(ctx, r);
}

static int account_check(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_value *cur = rec_field(r, "currency");
	if (cur->type == FS_VNULL) { /* the fund's currency */
		const struct fs_entity *fe = &fs_ent_fund;
		struct fs_row row;
		int rc = fs_store_get(ctx->st, &fe->table, rec_field(r, "fund_id")->i, &row, err);
		if (rc)
			return rc;
		const struct fs_value *fc = &row.vals[fe->col_of[fs_field_index(fe, "currency")]];
		rc = fc->type == FS_VTEXT ? rec_set_bytes(r, r->e->col_of[fs_field_index(r->e, "currency")], FS_VTEXT, fc->p, fc->n) : 0;
		fs_row_free(&row);
		if (rc)
			return rc;
	}
	const char *name = chk_text(r, "name");
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
	return chk_dates_in_order(r, "start_month", "end_month", err);
}

/* this domain's entities, in their order: src/core/domains.c registers them with base */
static struct fs_entity *const entities[] = {&fs_ent_fund, &fs_ent_account, &fs_ent_pledge};
const struct fs_domain fs_domain_funds = {"funds", entities, sizeof(entities) / sizeof(entities[0])};
