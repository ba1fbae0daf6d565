/* test_routes.c - the HTTP route table (src/http/routes.c) kept whole: every row
 * well formed and unique, every capability one the core knows, every write in an
 * organization behind a capability, the literal rows before the generic ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/policy.h"
#include "http/route.h"

static const char *const roles[] = {"admin", "organizer", "treasurer", "documenter", "viewer"};

static int is_write(const char *m)
{
	return strcmp(m, "GET") != 0;
}

static void test_rows_well_formed(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct fs_route *r = fs_routes; r->method; r++, n++) {
		if (strcmp(r->method, "GET") && strcmp(r->method, "POST") && strcmp(r->method, "PATCH") && strcmp(r->method, "DELETE"))
			fail_msg("%s %s: not a method the API answers", r->method, r->pattern);
		if (r->pattern[0] != '/' || strstr(r->pattern, "//") || r->pattern[strlen(r->pattern) - 1] == '/')
			fail_msg("%s: a pattern is /segment[/segment...]", r->pattern);
		if (!r->handler && !(r->flags & FS_ROUTE_NODB))
			fail_msg("%s %s: no handler", r->method, r->pattern);
		for (const struct fs_route *s = fs_routes; s < r; s++)
			if (!strcmp(s->method, r->method) && !strcmp(s->pattern, r->pattern))
				fail_msg("%s %s: twice in the table", r->method, r->pattern);
	}
	assert_true(n >= 30);
}

/* A capability of the table is one the core's policy knows: some role holds it. */
static void test_capabilities_known(void **state)
{
	(void)state;
	for (const struct fs_route *r = fs_routes; r->method; r++) {
		if (!r->capability || r->capability == FS_CAP_COLLECTION)
			continue;
		int held = 0;
		for (size_t i = 0; i < 5; i++)
			held |= fs_role_can(roles[i], r->capability);
		if (!held)
			fail_msg("%s %s: '%s' is not a capability of core/policy.c", r->method, r->pattern, r->capability);
	}
}

/* No write inside an organization escapes a capability; no public row writes
 * anything but a login. */
static void test_writes_need_a_capability(void **state)
{
	(void)state;
	for (const struct fs_route *r = fs_routes; r->method; r++) {
		if (!strncmp(r->pattern, "/orgs/:org", 10) && is_write(r->method) && !r->capability)
			fail_msg("%s %s: a write without a capability", r->method, r->pattern);
		if ((r->flags & FS_ROUTE_PUBLIC) && is_write(r->method) && strcmp(r->pattern, "/login"))
			fail_msg("%s %s: a public write", r->method, r->pattern);
	}
}

/* Accounts are managed with users.manage only (the viewer holds nothing of it);
 * an account's API tokens need tokens.own, which every role holds: the core then
 * allows its own tokens, or another account's with users.manage (t49). */
static void test_users_routes(void **state)
{
	(void)state;
	size_t n = 0, tokens = 0;
	for (const struct fs_route *r = fs_routes; r->method; r++) {
		if (strncmp(r->pattern, "/orgs/:org/users", 16))
			continue;
		assert_non_null(r->capability);
		if (strstr(r->pattern, "/tokens")) {
			tokens++;
			assert_string_equal(r->capability, "tokens.own");
			assert_int_equal(fs_role_can("viewer", r->capability), 1);
			continue;
		}
		n++;
		assert_string_equal(r->capability, "users.manage");
		assert_int_equal(fs_role_can("viewer", r->capability), 0);
		assert_int_equal(fs_role_can("treasurer", r->capability), 0);
		assert_int_equal(fs_role_can("admin", r->capability), 1);
	}
	assert_int_equal(n, 5);
	assert_int_equal(tokens, 3);
}

/* Where a literal row and a :collection row match the same path, the literal one
 * comes first; users is not a collection (its own rows serve it). */
static void test_literal_first(void **state)
{
	(void)state;
	const struct fs_route *generic = NULL;
	for (const struct fs_route *r = fs_routes; r->method; r++) {
		if (strstr(r->pattern, ":collection") && !strncmp(r->pattern, "/orgs/", 6) && !generic)
			generic = r;
		else if (generic && !strncmp(r->pattern, "/orgs/", 6) && !strstr(r->pattern, ":collection"))
			fail_msg("%s %s: after the generic collection rows", r->method, r->pattern);
	}
	assert_non_null(generic);
	assert_int_equal(fs_http_collection("people"), 1);
	assert_int_equal(fs_http_collection("users"), 0);
	assert_int_equal(fs_http_collection("roles"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_well_formed),    cmocka_unit_test(test_capabilities_known),
		cmocka_unit_test(test_writes_need_a_capability), cmocka_unit_test(test_users_routes),
		cmocka_unit_test(test_literal_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
