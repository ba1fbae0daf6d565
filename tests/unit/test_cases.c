/* test_cases.c - runs the worked cases (tests/cases, one file a case) through the
 * entitlement engine and compares every expectation; prints TAP, one line per
 * case. usage: test_cases DIR */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fairshare.h"
#include "util/money.h"

static int has_code(json_t *codes, const char *code)
{
	size_t i;
	json_t *v;
	json_array_foreach(codes, i, v) if (!strcmp(json_string_value(v), code)) return 1;
	return 0;
}

/* Returns NULL when the case holds, else a description of the first mismatch. */
static const char *run_case(const char *path, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return "cannot open";
	struct fs_entitle_in in;
	fs_entitle_init(&in);
	struct fs_error err = {0};
	char line[512];
	char expects[64][256];
	int nexp = 0, lineno = 0, input_rc = 0;
	char input_field[64] = "";
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *colon = strchr(line, ':');
		if (!colon) {
			snprintf(why, whylen, "line %d: write key: value", lineno);
			fclose(f);
			fs_entitle_done(&in);
			return why;
		}
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ')
			v++;
		if (!strncmp(line, "expect.", 7)) {
			if (nexp < 64)
				snprintf(expects[nexp++], sizeof(expects[0]), "%s=%s", line + 7, v);
		} else if (!input_rc) {
			input_rc = fs_entitle_set(&in, line, v, &err);
			if (input_rc)
				snprintf(input_field, sizeof(input_field), "%s", err.field);
		}
	}
	fclose(f);
	json_t *r = NULL;
	int rc = input_rc ? input_rc : fs_entitle(&in, "en", &r, &err);
	const char *field = input_rc ? input_field : err.field;
	fs_entitle_done(&in);
	const char *fail = NULL;
	for (int i = 0; i < nexp && !fail; i++) {
		char *eq = strchr(expects[i], '=');
		*eq = '\0';
		const char *k = expects[i], *v = eq + 1;
		if (!strcmp(k, "error")) {
			if (!rc)
				snprintf(why, whylen, "expected an error naming %s, got none", v), fail = why;
			else if (strcmp(field, v))
				snprintf(why, whylen, "expected an error naming %s, got %s: %s", v, field, err.message), fail = why;
			continue;
		}
		if (rc) {
			snprintf(why, whylen, "unexpected error: %s", err.message);
			fail = why;
			break;
		}
		if (!strcmp(k, "service")) {
			json_t *s = json_object_get(r, "service");
			char got[64];
			snprintf(got, sizeof(got), "%lld %lld %lld", (long long)json_integer_value(json_object_get(s, "years")),
				 (long long)json_integer_value(json_object_get(s, "months")),
				 (long long)json_integer_value(json_object_get(s, "days")));
			if (strcmp(got, v))
				snprintf(why, whylen, "service: expected %s, got %s", v, got), fail = why;
		} else if (!strcmp(k, "warning") || !strcmp(k, "no_warning")) {
			int has = has_code(json_object_get(r, "warning_codes"), v);
			if (has != !strcmp(k, "warning"))
				snprintf(why, whylen, "%s %s", has ? "unexpected warning" : "missing warning", v), fail = why;
		} else {
			json_t *amount = !strcmp(k, "total") ? json_object_get(r, "total") : json_object_get(json_object_get(r, "components"), k);
			int64_t want;
			struct fs_error merr;
			if (!amount)
				snprintf(why, whylen, "no component %s", k), fail = why;
			else if (fs_money_parse(v, 2, &want, &merr, k))
				snprintf(why, whylen, "bad expected amount %s", v), fail = why;
			else if (json_integer_value(amount) != want) {
				char got[32];
				fs_money_format(json_integer_value(amount), 2, got);
				snprintf(why, whylen, "%s: expected %s, got %s", k, v, got);
				fail = why;
			}
		}
	}
	if (!fail && rc && !nexp)
		snprintf(why, whylen, "unexpected error: %s", err.message), fail = why;
	if (!fail && !rc) {
		/* properties: the components sum to the total */
		int64_t sum = 0;
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(r, "components"), k, v) sum += json_integer_value(v);
		if (sum != json_integer_value(json_object_get(r, "total")))
			snprintf(why, whylen, "components do not sum to the total"), fail = why;
	}
	json_decref(r);
	return fail;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/cases";
	DIR *d = opendir(dir);
	if (!d) {
		printf("not ok 1 - cannot open %s\n1..1\n", dir);
		return 1;
	}
	char *names[1024];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 1024) {
		size_t l = strlen(e->d_name);
		if (l > 5 && !strcmp(e->d_name + l - 5, ".case"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096], why[512];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		const char *fail = run_case(path, why, sizeof(why));
		if (fail) {
			failed++;
			printf("not ok %zu - %s\n# %s\n", i + 1, names[i], fail);
		} else {
			printf("ok %zu - %s\n", i + 1, names[i]);
		}
		free(names[i]);
	}
	printf("1..%zu\n", n);
	return failed ? 1 : 0;
}
