/* body.c - JSON request bodies to field/value pairs (see body.h). */
#include "body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/money.h"

static int fail(struct fs_body_error *err, const char *code, const char *field, const char *message)
{
	err->status = 400;
	err->code = code;
	snprintf(err->message, sizeof(err->message), "%s", message);
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	return -1;
}

void fs_body_free(struct fs_body *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free((char *)b->kv[i].key);
		free((char *)b->kv[i].value);
	}
	free(b->kv);
	json_decref(b->json);
	memset(b, 0, sizeof(*b));
}

int fs_body_parse(const char *data, size_t len, const struct fs_entity *e, struct fs_body *out,
		  struct fs_body_error *err)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	json_t *j = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		int utf8 = strstr(jerr.text, "UTF-8") || strstr(jerr.text, "decode byte");
		return fail(err, utf8 ? "invalid_utf8" : "malformed_json", NULL, jerr.text);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		return fail(err, "wrong_type", NULL, "the body must be a JSON object");
	}
	out->json = j;
	out->kv = calloc(json_object_size(j) + 1, sizeof(*out->kv));
	if (!out->kv) {
		fs_body_free(out);
		return fail(err, "internal", NULL, "out of memory");
	}
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		size_t kl = strlen(key);
		int minor = kl > 6 && !strcmp(key + kl - 6, "_minor");
		char field[64];
		snprintf(field, sizeof(field), "%.*s", minor ? (int)(kl - 6) : (int)kl, key);
		int known = e == NULL;
		for (size_t f = 0; e && f < fs_entity_nfields(e); f++)
			known |= !strcmp(fs_entity_field(e, f)->name, field) &&
				 (!minor || fs_entity_field(e, f)->kind == FK_MONEY);
		if (!known) {
			char m[160];
			snprintf(m, sizeof(m), "%s has no field '%.60s'", fs_entity_name(e), key);
			fail(err, "unknown_field", key, m);
			fs_body_free(out);
			return -1;
		}
		char *text = NULL;
		const char *msg = NULL;
		if (json_is_string(v)) {
			text = strdup(json_string_value(v));
		} else if (json_is_integer(v)) {
			text = malloc(32);
			if (text && minor)
				fs_money_format(json_integer_value(v), 2, text);
			else if (text)
				snprintf(text, 32, "%lld", (long long)json_integer_value(v));
		} else if (json_is_boolean(v)) {
			text = strdup(json_is_true(v) ? "yes" : "no");
		} else if (json_is_null(v)) {
			text = strdup("");
		} else {
			msg = json_is_real(v) ? "amounts are strings (\"1800.00\") or whole minor units (wage_minor)"
					      : "must be a string, a whole number, true/false or null";
		}
		char *k = msg ? NULL : strdup(field);
		if (msg || !text || !k) {
			free(text);
			free(k);
			fail(err, msg ? "wrong_type" : "internal", key, msg ? msg : "out of memory");
			fs_body_free(out);
			return -1;
		}
		out->kv[out->n].key = k;
		out->kv[out->n].value = text;
		out->n++;
	}
	return 0;
}
