/* test_users.c - accounts managed through the core (core/users.h) as the API and
 * the CLI do: the core itself refuses whoever lacks users.manage in the
 * organization (whatever front end asks), hides another organization's
 * accounts, and keeps an organization from locking itself out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "fixture.h"
#include "core/users.h"

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
	int64_t boss, clerk, oilboss;
};

static int add(struct fs_ctx *ctx, const char *org, const char *name, const char *role, int64_t *id)
{
	struct fs_error err = {0};
	char initial[FS_INITIAL_PASSWORD];
	if (fs_use_org(ctx, org, &err))
		return -1;
	return fs_account_create(ctx, name, "a-long-password", role, initial, id, &err);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct fs_error err = {0};
	if (!f || fx_db_open(&f->d, "unit") || fx_db_org(&f->d, "miners", "Test Miners", "TR", "TRY") ||
	    fx_db_org(&f->d, "oil", "Test Oil", "KZ", "KZT"))
		return -1;
	if (add(f->d.ctx, "miners", "boss", "admin", &f->boss) || add(f->d.ctx, "miners", "clerk", "viewer", &f->clerk) ||
	    add(f->d.ctx, "oil", "oilboss", "admin", &f->oilboss) || fs_use_org(f->d.ctx, "miners", &err))
		return -1;
	*state = f;
	return 0;
}

/* Act as the account (FS_OPERATOR: the operator). */
static void as(struct fx *f, int64_t id)
{
	struct fs_error err = {0};
	if (id == FS_OPERATOR)
		fs_act_as_operator(f->d.ctx);
	else
		assert_int_equal(fs_act_as_user(f->d.ctx, id, &err), 0);
}

static const char *role_of(struct fx *f, int64_t id)
{
	static char role[16];
	struct fs_error err = {0};
	assert_int_equal(fs_user_role(f->d.ctx, id, fs_org(f->d.ctx), role, &err), 0);
	return role;
}

/* The core refuses a viewer, whichever front end asks. */
static void test_viewer_refused(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	json_t *out = NULL;
	char initial[FS_INITIAL_PASSWORD];
	int64_t id = 0;
	assert_int_equal((as(f, f->clerk), fs_accounts_list(f->d.ctx, &out, &err)), FS_EPERM);
	assert_null(out);
	assert_non_null(strstr(err.message, "users.manage"));
	assert_int_equal((as(f, f->clerk), fs_account_get(f->d.ctx, f->boss, &out, &err)), FS_EPERM);
	assert_int_equal((as(f, f->clerk), fs_account_create(f->d.ctx, "sneaky", NULL, "admin", initial, &id, &err)), FS_EPERM);
	assert_int_equal(fs_user_id(f->d.ctx, "sneaky", &id, &err), FS_ENOTFOUND);
	assert_int_equal((as(f, f->clerk), fs_account_set_role(f->d.ctx, f->clerk, "admin", &err)), FS_EPERM);
	assert_string_equal(role_of(f, f->clerk), "viewer");
	assert_int_equal((as(f, f->clerk), fs_account_set_disabled(f->d.ctx, f->boss, 1, &err)), FS_EPERM);
	/* another organization's admin holds nothing here */
	assert_int_equal((as(f, f->oilboss), fs_account_set_role(f->d.ctx, f->clerk, "admin", &err)), FS_EPERM);
	assert_string_equal(role_of(f, f->clerk), "viewer");
}

/* The admin manages; another organization's accounts do not exist for it. */
static void test_admin_manages(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	json_t *out = NULL;
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->clerk, "treasurer", &err)), 0);
	assert_string_equal(role_of(f, f->clerk), "treasurer");
	assert_int_equal((as(f, f->boss), fs_accounts_list(f->d.ctx, &out, &err)), 0);
	size_t i;
	json_t *a;
	int seen_clerk = 0;
	json_array_foreach(json_object_get(out, "items"), i, a) {
		const char *name = json_string_value(json_object_get(a, "username"));
		assert_string_not_equal(name, "oilboss");
		seen_clerk |= !strcmp(name, "clerk");
	}
	json_decref(out);
	assert_true(seen_clerk);
	assert_int_equal((as(f, f->boss), fs_account_get(f->d.ctx, f->oilboss, &out, &err)), FS_ENOTFOUND);
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->oilboss, "viewer", &err)), FS_ENOTFOUND);
	assert_int_equal((as(f, f->boss), fs_account_set_disabled(f->d.ctx, f->oilboss, 1, &err)), FS_ENOTFOUND);
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->clerk, "boss", &err)), FS_EINVAL);
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->clerk, "none", &err)), 0);
	assert_string_equal(role_of(f, f->clerk), "");
}

/* No lockout by an account; the operator (who holds the keys) may. */
static void test_no_lockout(void **state)
{
	struct fx *f = *state;
	struct fs_error err = {0};
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->boss, "viewer", &err)), FS_ECONFLICT);
	assert_non_null(strstr(err.message, "last admin"));
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->boss, "none", &err)), FS_ECONFLICT);
	assert_int_equal((as(f, f->boss), fs_account_set_disabled(f->d.ctx, f->boss, 1, &err)), FS_ECONFLICT);
	assert_string_equal(role_of(f, f->boss), "admin");
	struct fs_account_change both = {.role = "admin", .disabled = 1};
	assert_int_equal((as(f, f->boss), fs_account_change(f->d.ctx, f->clerk, &both, NULL, &err)), 0); /* another admin, disabled */
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->boss, "viewer", &err)), FS_ECONFLICT);
	assert_int_equal((as(f, f->boss), fs_account_set_disabled(f->d.ctx, f->clerk, 0, &err)), 0);
	assert_int_equal((as(f, f->boss), fs_account_set_role(f->d.ctx, f->boss, "viewer", &err)), 0); /* two enabled admins */
	assert_string_equal(role_of(f, f->boss), "viewer");
	assert_int_equal((as(f, FS_OPERATOR), fs_account_set_role(f->d.ctx, f->clerk, "viewer", &err)), 0);
	assert_string_equal(role_of(f, f->clerk), "viewer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_viewer_refused, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_admin_manages, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_lockout, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
