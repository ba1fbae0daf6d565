/* options.c - the one option parser of the fairshare command (see options.h). */
#include "options.h"
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Names compare with '-' and '_' the same (--full-name, --full_name). */
static int same_name(const char *decl, const char *name, size_t len)
{
	size_t i = 0;
	for (; i < len && decl[i]; i++) {
		char a = decl[i] == '_' ? '-' : decl[i], b = name[i] == '_' ? '-' : name[i];
		if (a != b)
			return 0;
	}
	return i == len && !decl[i];
}

static const struct cli_option *find(const struct cli_option *opts, const char *name, size_t len)
{
	for (const struct cli_option *o = opts; o->kind != CLI_OPT_END_; o++)
		if (o->kind != CLI_OPT_FIELDS_ && same_name(o->name, name, len))
			return o;
	return NULL;
}

static const struct cli_option *find_kind(const struct cli_option *opts, enum cli_opt_kind kind)
{
	for (const struct cli_option *o = opts; o->kind != CLI_OPT_END_; o++)
		if (o->kind == kind)
			return o;
	return NULL;
}

int cli_opt_error(const char *cmd, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_usage("%s for '%s'", msg, cmd);
}

#define fail(exit_code, cmd, ...) (*(exit_code) = cli_opt_error((cmd), __VA_ARGS__), -1)

/* A whole number from lo to hi ("0" included when lo is 0). */
static int parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Store one option's value; seen[] counts the options given (NULL: the last
 * one given counts, as main's global options always have). */
static int take(const struct cli_option *o, const char *v, unsigned char *seen, const struct cli_option *opts,
		const char *cmd, int *exit_code)
{
	size_t k = (size_t)(o - opts);
	if (seen && seen[k]++ && o->kind != CLI_OPT_LIST_)
		return fail(exit_code, cmd, "--%s given twice", o->name);
	switch (o->kind) {
	case CLI_OPT_STRING_:
		*(const char **)o->value = v;
		return 0;
	case CLI_OPT_FLAG_:
		*(int *)o->value = 1;
		return 0;
	case CLI_OPT_ID_: {
		int64_t id;
		if (cli_parse_id(v, &id))
			return fail(exit_code, cmd, "--%s: '%.40s' is not a positive whole number", o->name, v);
		*(int64_t *)o->value = id;
		return 0;
	}
	case CLI_OPT_INT_:
		if (parse_int(v, o->min, o->max, o->value))
			return fail(exit_code, cmd, "--%s: '%.40s' is not a whole number from %lld to %lld", o->name, v,
				    (long long)o->min, (long long)o->max);
		return 0;
	case CLI_OPT_LIST_:
	case CLI_OPT_FILES_: {
		struct cli_list *l = o->value;
		if (l->n == l->max)
			return fail(exit_code, cmd, "--%s given more than %zu times", o->name, l->max);
		l->v[l->n++] = v;
		return 0;
	}
	default:
		return fail(exit_code, cmd, "--%s: not an option", o->name);
	}
}

/* An undeclared --name VALUE into the command's fields. */
static int take_field(const struct cli_option *fo, const char *name, size_t len, const char *v, const char *cmd,
		      int *exit_code)
{
	struct cli_fields *f = fo->value;
	if (f->n == CLI_FIELDS_MAX)
		return fail(exit_code, cmd, "more than %d fields", CLI_FIELDS_MAX);
	if (len >= sizeof(f->names[0]))
		return fail(exit_code, cmd, "unknown option --%.60s", name);
	char *n = f->names[f->n];
	for (size_t i = 0; i < len; i++)
		n[i] = name[i] == '-' ? '_' : name[i];
	n[len] = '\0';
	f->kv[f->n].key = n;
	f->kv[f->n].value = v;
	f->n++;
	return 0;
}

static int help(const struct cli_option *opts, const char *cmd, int *exit_code)
{
	printf("usage: fairshare %s [OPTIONS]\n\nOptions:\n", cmd);
	cli_options_help(stdout, opts);
	*exit_code = EX_OK;
	return -1;
}

int cli_parse_options_ex(int argc, char **argv, const struct cli_option *opts, const char *cmd, int max_args,
			 unsigned flags, int *exit_code)
{
	unsigned char seen[64] = {0};
	size_t nopts = 0;
	while (opts[nopts].kind != CLI_OPT_END_)
		nopts++;
	if (nopts > sizeof(seen))
		return fail(exit_code, cmd, "too many options declared");
	const struct cli_option *fields = find_kind(opts, CLI_OPT_FIELDS_);
	int keep = (flags & CLI_KEEP_UNKNOWN) != 0;
	int npos = keep, rest = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (rest || (keep && a[0] == '-' && a[1] != '-')) { /* kept: after "--"; short options */
			argv[npos++] = a;
			continue;
		}
		if (a[0] == '-' && a[1] && a[1] != '-') {
			if (!strcmp(a, "-h") && !find(opts, "h", 1))
				return help(opts, cmd, exit_code);
			return fail(exit_code, cmd, "unknown option %.60s (options are --long)", a);
		}
		if (strncmp(a, "--", 2) || !a[2]) {
			if (!strcmp(a, "--")) {
				rest = 1;
				if (keep)
					argv[npos++] = a;
				continue;
			}
			if (!keep && npos == max_args)
				return fail(exit_code, cmd, "unexpected argument '%.60s'", a);
			argv[npos++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct cli_option *o = find(opts, name, len);
		if (!o && keep) {
			argv[npos++] = a;
			continue;
		}
		if (!o && !fields && !strcmp(name, "help"))
			return help(opts, cmd, exit_code);
		if (!o && !fields)
			return fail(exit_code, cmd, "unknown option --%.*s", (int)(len > 60 ? 60 : len), name);
		const char *v = NULL;
		if (o && o->kind == CLI_OPT_FLAG_) {
			if (eq)
				return fail(exit_code, cmd, "--%s takes no value", o->name);
		} else if (eq) {
			v = eq + 1;
		} else if (!o && (i + 1 >= argc || !strncmp(argv[i + 1], "--", 2))) {
			char n[64];
			snprintf(n, sizeof(n), "%.*s", (int)(len > 63 ? 63 : len), name);
			for (char *p = n; *p; p++)
				*p = *p == '-' ? '_' : *p;
			const struct cli_fields *fv = fields->value;
			if (!fv->is_flag || !fv->is_flag(fv->arg, n))
				return fail(exit_code, cmd, "--%s needs a value", n);
			v = "yes"; /* a yes/no field given bare */
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return fail(exit_code, cmd, "--%.*s needs a value (%s)", (int)(len > 60 ? 60 : len), name,
				    o && o->argh ? o->argh : "text");
		}
		if (!o) {
			if (take_field(fields, name, len, v, cmd, exit_code))
				return -1;
			continue;
		}
		if (take(o, v, keep ? NULL : seen, opts, cmd, exit_code))
			return -1;
		if (o->kind == CLI_OPT_FILES_) /* --checkpoint A B C: up to the next --option */
			for (struct cli_list *l = o->value; i + 1 < argc && strncmp(argv[i + 1], "--", 2);) {
				if (l->n == l->max)
					return fail(exit_code, cmd, "--%s: more than %zu values", o->name, l->max);
				l->v[l->n++] = argv[++i];
			}
	}
	argv[npos] = NULL;
	return npos;
}

int cli_parse_options(int argc, char **argv, const struct cli_option *opts, const char *cmd, int max_args,
		      int *exit_code)
{
	return cli_parse_options_ex(argc, argv, opts, cmd, max_args, 0, exit_code);
}

void cli_options_help(FILE *out, const struct cli_option *opts)
{
	for (const struct cli_option *o = opts; o->kind != CLI_OPT_END_; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->argh ? " " : "", o->argh ? o->argh : "");
		fprintf(out, "  %-24s %s\n", left, o->help ? o->help : "");
	}
}
