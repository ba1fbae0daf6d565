/* fuzz_body.c - libFuzzer target: request-body parsing of the HTTP API (JSON
 * object to field/value pairs, checked against an entity's fields). */
#include <stddef.h>
#include <stdint.h>

#include "http/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const entities[] = {"person", "employment", "payment", NULL};
	struct fs_body b;
	struct fs_body_error err;
	for (int i = 0; i < 4; i++) {
		const struct fs_entity *e = entities[i] ? fs_entity_find(entities[i]) : NULL;
		if (fs_body_parse((const char *)data, size, e, &b, &err) == 0)
			fs_body_free(&b);
	}
	return 0;
}
