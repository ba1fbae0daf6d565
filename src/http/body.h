/* body.h - request bodies: a JSON object as field/value text pairs for the core.
 * No HTTP library here, so the fuzzer can drive it directly. */
#ifndef FS_HTTP_BODY_H
#define FS_HTTP_BODY_H

#include <jansson.h>
#include <stddef.h>

#include "core/fairshare.h"

struct fs_body {
	json_t *json;
	struct fs_kv *kv; /* kv[i].key and .value are owned */
	size_t n;
};

struct fs_body_error {
	unsigned status;  /* 400 */
	const char *code; /* malformed_json, invalid_utf8, duplicate_key, nul_character,
			     number_out_of_range, wrong_type, unknown_field */
	char message[200];
	char field[64];
};

/* e: the entity whose fields are allowed (NULL: any). Strings pass as they are;
 * whole numbers as decimal text, or as an amount when the key ends in _minor (then
 * stored under the field without the suffix); true/false as yes/no; null clears.
 * Floats, arrays and objects are refused. */
int fs_body_parse(const char *data, size_t len, const struct fs_entity *e, struct fs_body *out,
		  struct fs_body_error *err);
void fs_body_free(struct fs_body *b);

/* A JSON object held to a table of fields: an unknown key (unknown_field), a value
 * of another JSON type (wrong_type; JSON_TRUE stands for true/false; null counts
 * as absent), a required field missing (wrong_type), each with the field named.
 * fields ends with a NULL name. Returns 0 or -1 with err filled. */
struct fs_json_field {
	const char *name;
	json_type type;
	int required;
};
int fs_body_check_object(const json_t *o, const struct fs_json_field *fields, struct fs_body_error *err);

/* The error body {"error":{"code","message","field"}} as JSON text (malloc'ed;
 * NULL only when out of memory). message and field may hold any bytes: they are
 * cut to a bound on a character boundary and repaired to valid UTF-8. */
char *fs_http_error_body(const char *code, const char *message, const char *field);

#endif
