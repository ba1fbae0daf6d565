/* fuzz_rules.c - libFuzzer target: the rule-file loader (validation of a JSON
 * rule set, its tables and texts). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_rules *r = NULL;
	struct fs_error err;
	if (fs_rules_parse((const char *)data, size, "fuzz", &r, &err))
		return 0;
	for (size_t i = 0; i < r->ntables; i++) {
		fs_rtable_at(&r->tables[i], 15000);
		fs_rtable_at(&r->tables[i], FS_DATE_OPEN - 1);
	}
	json_t *params = json_pack("{s:s,s:i}", "amount", "1.00", "years", 3);
	char *t = fs_rules_text(r, "tr", "severance.amount", params);
	free(t);
	t = fs_rules_text(r, "xx", "missing.key", params);
	free(t);
	json_decref(params);
	fs_rules_convention(r, "service_counting", NULL);
	const char *name;
	json_t *comp;
	json_object_foreach(json_object_get(r->root, "components"), name, comp) {
		fs_rules_law_at(comp, 15000);
		fs_rules_law_at(comp, 17000);
	}
	fs_rules_free(r);
	return 0;
}
