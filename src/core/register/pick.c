/* pick.c - a person picker's search: a short page of people with the little
 * that tells two of the same name apart (register number, birth year), so a
 * person is chosen without loading the register. The birth date is sealed:
 * its year is shown to who may reveal sealed fields (people.reveal, the same
 * rule as the duplicate review), and only the rows of the page are unsealed. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"

int fs_people_pick(struct fs_ctx *ctx, const char *text, int64_t limit, json_t **ret, struct fs_error *err)
{
	if (limit < 0 || limit > FS_PICK_MAX)
		return fs_fail(err, FS_EINVAL, "limit", "a picker shows 1 to %d people", FS_PICK_MAX);
	const struct fs_entity *e = fs_entity_find("person");
	int reveal = fs_can(ctx, "people.reveal");
	/* a register number is typed with its digits; a name without */
	int by_number = text && strpbrk(text, "0123456789") != NULL;
	struct fs_kv f = {"external_id", text};
	struct fs_list_opts o = {.search = by_number ? NULL : text, .filters = by_number ? &f : NULL, .nfilters = by_number,
				 .limit = limit ? limit : 10, .flags = reveal ? FS_REVEAL : 0};
	json_t *page = NULL;
	int rc = fs_list(ctx, e, &o, &page, err);
	if (rc)
		return rc;
	json_t *items = json_array(), *out = json_pack("{s:O,s:o}", "total", json_object_get(page, "total"), "items", items);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(page, "items"), i, p) {
		json_t *x = json_pack("{s:O,s:O,s:O}", "id", json_object_get(p, "id"), "full_name", json_object_get(p, "full_name"),
				      "external_id", json_object_get(p, "external_id") ? json_object_get(p, "external_id") : json_null());
		const char *birth = json_string_value(json_object_get(p, "birth_date"));
		/* the year alone, never the date: the rest of the sealed record stays sealed */
		if (x && reveal && birth && strlen(birth) >= 4)
			json_object_set_new(x, "birth_year", json_integer(strtol(birth, NULL, 10)));
		if (!x || json_array_append_new(items, x)) {
			rc = FS_ENOMEM;
			break;
		}
	}
	json_decref(page);
	if (!out || rc) {
		json_decref(out);
		return rc ? rc : FS_ENOMEM;
	}
	*ret = out;
	return 0;
}
