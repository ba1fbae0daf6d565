/* fuzz_body.c - libFuzzer target: request-body parsing of the HTTP API (JSON
 * object to field/value pairs, checked against an entity's fields), and the
 * reply built from it. Asserts that every input gets exactly one outcome —
 * field/value pairs, or an error whose code, message and field are valid UTF-8
 * and whose JSON error body can be built (the server queues exactly that). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/body.h"
#include "http/front.h"
#include "http/transport.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_body: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const entities[] = {"person", "employment", "payment", NULL};
	for (int i = 0; i < 4; i++) {
		const struct fs_entity *e = entities[i] ? fs_entity_find(entities[i]) : NULL;
		struct fs_body b;
		struct fs_body_error err;
		memset(&err, 0, sizeof(err));
		if (fs_body_parse((const char *)data, size, e, &b, &err) == 0) {
			check(b.json != NULL && err.code == NULL, "a parsed body also reported an error");
			for (size_t k = 0; k < b.n; k++)
				check(b.kv[k].key && b.kv[k].value, "a field without a key or value");
			fs_body_free(&b);
			continue;
		}
		check(err.code != NULL && (err.status == 400), "a refusal without a code or with a status other than 400");
		check(b.json == NULL && b.kv == NULL, "a refused body kept its parse");
		check(fs_utf8_invalid_at(err.message, strlen(err.message)) == 0, "error message is not valid UTF-8");
		check(fs_utf8_invalid_at(err.field, strlen(err.field)) == 0, "error field is not valid UTF-8");
		char *reply = fs_http_error_body(err.code, err.message, err.field);
		check(reply != NULL, "the error reply could not be built");
		json_t *back = json_loads(reply, 0, NULL);
		check(back != NULL && json_is_object(json_object_get(back, "error")), "the error reply is not JSON");
		json_decref(back);
		free(reply);
	}
	/* the same bytes as a request head at the front door: a refusal has a status
	 * and a reply that can be built */
	struct fs_http_refusal r;
	if (fs_front_check_head((const char *)data, size, &r)) {
		check(r.status >= 400 && r.status < 600 && r.code && r.message, "a head refused without a status or reason");
		char *reply = fs_http_error_body(r.code, r.message, r.field);
		check(reply != NULL, "the head's refusal could not be built");
		free(reply);
	}
	/* the reply builder itself, with the raw input as message and field */
	char *msg = malloc(size + 1);
	if (msg) {
		memcpy(msg, data, size);
		msg[size] = 0;
		char *reply = fs_http_error_body("invalid", msg, msg);
		check(reply != NULL, "an error reply quoting the input could not be built");
		free(reply);
		free(msg);
	}
	return 0;
}
