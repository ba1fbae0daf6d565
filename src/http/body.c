/* body.c - JSON request bodies to field/value pairs (see body.h). */
#include "body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/money.h"
#include "util/utf8.h"

static int fail(struct fs_body_error *err, const char *code, const char *field, const char *message)
{
	err->status = 400;
	err->code = code;
	snprintf(err->message, sizeof(err->message), "%s", message);
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	/* the parser's text quotes the input: cut on a character boundary, valid UTF-8 */
	fs_utf8_repair(err->message);
	fs_utf8_repair(err->field);
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

/* Jansson's refusal as our error: the cause by its code, the parser's words and
 * where (line, column) in the message. */
static int syntax_error(const json_error_t *jerr, struct fs_body_error *err)
{
	const char *code = "malformed_json";
	switch (json_error_code(jerr)) {
	case json_error_invalid_utf8: code = "invalid_utf8"; break;
	case json_error_duplicate_key: code = "duplicate_key"; break;
	case json_error_null_character:
	case json_error_null_byte_in_key: code = "nul_character"; break;
	case json_error_numeric_overflow: code = "number_out_of_range"; break;
	default: break;
	}
	char m[200];
	const char *text = jerr->text;
	if (!strcmp(code, "nul_character"))
		text = "\\u0000 (a NUL character) is not accepted in text";
	snprintf(m, sizeof(m), "%.150s (line %d, column %d)", text, jerr->line, jerr->column);
	return fail(err, code, NULL, m);
}

/* Is v of a JSON type the field takes? Text fields take strings; amounts take
 * decimal strings, or whole minor units under NAME_minor; references and counts
 * whole numbers (or their digits as a string, as forms send them); yes/no fields
 * true/false (or "yes"/"no"). null clears any field. */
static const char *type_problem(const struct fs_field *f, int minor, const json_t *v)
{
	if (json_is_null(v) || (json_is_string(v) && !minor))
		return NULL;
	if (json_is_real(v))
		return f && f->kind == FK_MONEY ? "an amount is a string (\"1800.00\") or whole minor units (NAME_minor)"
						: "must not be a fraction";
	if (!f) /* no entity: strings, whole numbers, true/false */
		return json_is_integer(v) || json_is_boolean(v) ? NULL : "must be a string, a whole number, true/false or null";
	switch (f->kind) {
	case FK_MONEY:
		if (minor)
			return json_is_integer(v) ? NULL : "whole minor units are a whole number (180000 for 1800.00)";
		return "an amount is a string (\"1800.00\") or whole minor units (NAME_minor)";
	case FK_REF:
	case FK_COUNT: return json_is_integer(v) ? NULL : "must be a whole number";
	case FK_BOOL: return json_is_boolean(v) ? NULL : "must be true or false";
	default: return "must be a string";
	}
}

int fs_body_parse(const char *data, size_t len, const struct fs_entity *e, struct fs_body *out,
		  struct fs_body_error *err)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	/* any value parses; a body that is not an object is then refused by its type */
	json_t *j = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!j)
		return syntax_error(&jerr, err);
	if (!json_is_object(j)) {
		json_decref(j);
		return fail(err, "wrong_type", NULL, "the body must be a JSON object ({\"field\": value, ...})");
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
		const struct fs_field *fd = NULL;
		for (size_t f = 0; e && f < fs_entity_nfields(e); f++)
			if (!strcmp(fs_entity_field(e, f)->name, field) && (!minor || fs_entity_field(e, f)->kind == FK_MONEY))
				fd = fs_entity_field(e, f);
		if (e && !fd) {
			char m[160];
			snprintf(m, sizeof(m), "%s has no field '%.60s'", fs_entity_name(e), key);
			fail(err, "unknown_field", key, m);
			fs_body_free(out);
			return -1;
		}
		const char *problem = type_problem(fd, minor, v);
		if (problem) {
			char m[200];
			snprintf(m, sizeof(m), "%.60s: %s", key, problem);
			fail(err, "wrong_type", key, m);
			fs_body_free(out);
			return -1;
		}
		char *text = NULL;
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
		} else {
			text = strdup(""); /* null */
		}
		char *k = strdup(field);
		if (!text || !k) {
			free(text);
			free(k);
			fail(err, "internal", key, "out of memory");
			fs_body_free(out);
			return -1;
		}
		out->kv[out->n].key = k;
		out->kv[out->n].value = text;
		out->n++;
	}
	return 0;
}

char *fs_http_error_body(const char *code, const char *message, const char *field)
{
	char m[512], f[128];
	snprintf(m, sizeof(m), "%s", message ? message : "");
	snprintf(f, sizeof(f), "%s", field ? field : "");
	fs_utf8_repair(m); /* a cut character dropped, any other bad byte marked */
	fs_utf8_repair(f);
	json_t *j = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code ? code : "internal", "message", m, "field",
			      f[0] ? f : NULL);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return text;
}

int fs_body_check_object(const json_t *o, const struct fs_json_field *fields, struct fs_body_error *err)
{
	if (!json_is_object(o))
		return fail(err, "wrong_type", NULL, "each item must be a JSON object");
	const char *key;
	json_t *v;
	char m[200];
	json_object_foreach((json_t *)o, key, v) {
		const struct fs_json_field *f = fields;
		while (f->name && strcmp(f->name, key))
			f++;
		if (!f->name) {
			snprintf(m, sizeof(m), "unknown field '%.60s'", key);
			return fail(err, "unknown_field", key, m);
		}
		int ok = json_is_null(v) ? !f->required
		       : f->type == JSON_TRUE ? json_is_boolean(v)
					      : json_typeof(v) == f->type;
		if (!ok) {
			snprintf(m, sizeof(m), "%s: must be %s", key,
				 f->type == JSON_STRING ? "a string" : f->type == JSON_INTEGER ? "a whole number" : "true or false");
			return fail(err, "wrong_type", key, m);
		}
	}
	for (const struct fs_json_field *f = fields; f->name; f++)
		if (f->required && (!json_object_get(o, f->name) || json_is_null(json_object_get(o, f->name)))) {
			snprintf(m, sizeof(m), "%s is required", f->name);
			return fail(err, "wrong_type", f->name, m);
		}
	return 0;
}
