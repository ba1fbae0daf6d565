/* test_policy.c - the capability table: what each role may do, and which
 * capability writing each kind of record needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/fairshare.h"
#include "core/policy.h"

static const char *const roles[] = {"admin", "organizer", "treasurer", "documenter", "viewer"};

/* The promises of the trust model, as the table must keep them. */
static void test_matrix(void **state)
{
	(void)state;
	static const struct {
		const char *cap;
		const char *holders; /* initials of the roles that hold it */
	} want[] = {
		{"register.read", "aotdv"}, {"register.write", "ao"},   {"people.reveal", "ao"},
		{"payments.write", "at"},   {"funds.read", "aotdv"},    {"funds.transfer", "at"},
		{"funds.approve", "at"},    {"record.read", "aotdv"},   {"record.restricted", "aod"},
		{"record.write", "aod"},    {"record.review", "aod"},   {"users.manage", "a"},
		{"org.manage", "a"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (size_t r = 0; r < 5; r++) {
			int expected = strchr(want[i].holders, roles[r][0]) != NULL;
			if (fs_role_can(roles[r], want[i].cap) != expected)
				fail_msg("%s %s %s", roles[r], expected ? "lacks" : "must not hold", want[i].cap);
		}
}

static void test_viewer_writes_nothing(void **state)
{
	(void)state;
	json_t *caps = fs_role_capabilities("viewer");
	size_t i;
	json_t *c;
	json_array_foreach(caps, i, c) { /* reads, and its own API tokens (the core checks they are its own) */
		const char *name = json_string_value(c);
		if (!strstr(name, ".read"))
			assert_string_equal(name, "tokens.own");
	}
	assert_int_equal(json_array_size(caps), 4);
	json_decref(caps);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(fs_role_can("root", "register.read"), 0);
	assert_int_equal(fs_role_can("", "register.read"), 0);
	assert_int_equal(fs_role_can(NULL, "register.read"), 0);
	assert_int_equal(fs_role_can("admin", "register.everything"), 0);
	assert_int_equal(fs_role_can("admin", NULL), 0);
	assert_int_equal(fs_role_valid("Admin"), 0);
	assert_int_equal(fs_role_valid("documenter"), 1);
	json_t *none = fs_role_capabilities("nobody");
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
}

static void test_writers(void **state)
{
	(void)state;
	static const struct {
		const char *entity, *cap;
	} want[] = {
		{"person", "register.write"},    {"employment", "register.write"}, {"claim", "register.write"},
		{"payment", "payments.write"},   {"fund", "funds.transfer"},       {"account", "funds.transfer"},
		{"incident", "record.write"},    {"assessment", "record.write"},   {"citation", "record.write"},
		{"link", "record.write"},        {"evidence", "record.write"},     {"user", "users.manage"},
		{"role", "users.manage"},        {"organization", "org.manage"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct fs_entity *e = fs_entity_find(want[i].entity);
		assert_non_null(e);
		assert_string_equal(fs_entity_write_capability(e), want[i].cap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_viewer_writes_nothing),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_writers),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
