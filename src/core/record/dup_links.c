/* dup_links.c - the duplicate queue's decided pairs (record.c): every link
 * decision keeps its pair out of the suggestions; the ones the principal may
 * read (handling.c: a link takes its two people's level) are listed with both
 * people's names. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

int fs_dup_link_cb(void *p, const struct fs_value *v)
{
	struct link_ud *u = p;
	char k[48];
	const struct fs_entity *e = fs_entity_find("link");
	int64_t a = v[e->col_of[fs_field_index(e, "person_a")]].i, b = v[e->col_of[fs_field_index(e, "person_b")]].i;
	snprintf(k, sizeof(k), "%lld-%lld", (long long)a, (long long)b);
	json_object_set_new(u->set, k, json_true());
	if (!fs_row_shown(u->ctx, e, v, 0, u->cache))
		return 0;
	const char *d = fs_col_text(e, v, "decision");
	json_array_append_new(u->decided, json_pack("{s:I,s:I,s:I,s:s}", "id", (json_int_t)v[0].i, "person_a", (json_int_t)a,
						    "person_b", (json_int_t)b, "decision", d ? d : ""));
	return 0;
}

/* The decided pairs get their people's names (a person record is internal
 * register data: a reviewer reads it). */
void fs_dup_name_decided(json_t *decided, const int64_t *ids, char *const *names, size_t n)
{
	size_t i;
	json_t *x;
	json_array_foreach(decided, i, x) {
		for (int side = 0; side < 2; side++) {
			int64_t id = json_integer_value(json_object_get(x, side ? "person_b" : "person_a"));
			for (size_t k = 0; k < n; k++)
				if (ids[k] == id) {
					json_object_set_new(x, side ? "name_b" : "name_a", json_string(names[k]));
					break;
				}
		}
	}
}

