/* test_pick.c - the person picker's page (fs_people_pick): the birth year only
 * for a role with people.reveal, nothing else of a person, the page's limit,
 * a register number found by its digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fairshare.h"
#include "fixture.h"

struct fx {
	struct fx_db d; /* first: fx_teardown frees it */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fx_db_open_org(&f->d, "pick", "miners", "Test Miners", "TR", "TRY"))
		return -1;
	struct fs_error err = {0};
	static const char *const users[][2] = {{"org", "organizer"}, {"doc", "documenter"}, {"view", "viewer"}};
	for (size_t i = 0; i < 3; i++)
		if (fs_user_add(f->d.ctx, users[i][0], "long-enough-pass", NULL, &err) || fs_user_grant(f->d.ctx, users[i][0], users[i][1], &err))
			return -1;
	for (int i = 0; i < 25; i++) {
		char name[32], ext[16];
		snprintf(name, sizeof(name), "Ayşe Picker %02d", i);
		snprintf(ext, sizeof(ext), "AP-%02d", i);
		struct fs_kv kv[] = {{"full_name", name}, {"external_id", ext}, {"birth_date", "1971-05-06"}, {"national_id", "12345678950"}};
		int64_t id;
		if (fs_create(f->d.ctx, fs_entity_find("person"), kv, i ? 3 : 4, &id, &err)) {
			print_error("%s\n", err.message);
			return -1;
		}
	}
	*state = f;
	return 0;
}

static json_t *pick(struct fx *f, const char *user, const char *q, int64_t limit, int want)
{
	struct fs_error err = {0};
	assert_int_equal(fs_act_as(f->d.ctx, user, &err), 0);
	json_t *out = NULL;
	int rc = fs_people_pick(f->d.ctx, q, limit, &out, &err);
	if (rc != want)
		print_error("%s: %d %s\n", user, rc, err.message);
	assert_int_equal(rc, want);
	return out;
}

static void test_birth_year_by_capability(void **state)
{
	struct fx *f = *state;
	json_t *o = pick(f, "org", "AP-00", 0, 0); /* a digit: by register number */
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
	json_t *x = json_array_get(json_object_get(o, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "birth_year")), 1971);
	assert_string_equal(json_string_value(json_object_get(x, "external_id")), "AP-00");
	assert_int_equal(json_object_size(x), 4); /* id, full_name, external_id, birth_year: no sealed field */
	assert_null(json_object_get(x, "birth_date"));
	assert_null(json_object_get(x, "national_id"));
	json_decref(o);
	for (const char *const *u = (const char *const[]){"doc", "view", NULL}; *u; u++) {
		o = pick(f, *u, "ayşe PICKER", 0, 0); /* folded */
		assert_int_equal(json_integer_value(json_object_get(o, "total")), 25);
		size_t i;
		json_array_foreach(json_object_get(o, "items"), i, x) {
			assert_null(json_object_get(x, "birth_year"));
			assert_int_equal(json_object_size(x), 3);
		}
		json_decref(o);
	}
}

static void test_limit_and_number(void **state)
{
	struct fx *f = *state;
	json_t *o = pick(f, "org", "picker", 0, 0);
	assert_int_equal(json_array_size(json_object_get(o, "items")), 10); /* the default page */
	json_decref(o);
	o = pick(f, "org", "picker", FS_PICK_MAX, 0);
	assert_int_equal(json_array_size(json_object_get(o, "items")), FS_PICK_MAX);
	json_decref(o);
	assert_null(pick(f, "org", "picker", FS_PICK_MAX + 1, FS_EINVAL));
	assert_null(pick(f, "org", "picker", -1, FS_EINVAL));
	o = pick(f, "doc", "AP-17", 0, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "items"), 0), "full_name")), "Ayşe Picker 17");
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_birth_year_by_capability, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_limit_and_number, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
