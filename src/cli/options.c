/* options.c - the one option parser of the fairshare command (see options.h). */
#include "options.h"
#include "cli.h"

#include <stdarg.h>
#include <string.h>
#include <sysexits.h>

static const struct cli_option *find(const struct cli_option *opts, const char *name, size_t len)
{
	for (const struct cli_option *o = opts; o->kind != CLI_OPT_END_; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static int fail(int *exit_code, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(int *exit_code, const char *cmd, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*exit_code = cli_usage("%s for '%s'", msg, cmd);
	return -1;
}

/* Store one option's value; seen[] counts the options given. */
static int take(const struct cli_option *o, const char *v, unsigned char *seen, const struct cli_option *opts,
		const char *cmd, int *exit_code)
{
	size_t k = (size_t)(o - opts);
	if (seen[k]++ && o->kind != CLI_OPT_LIST_)
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
	case CLI_OPT_LIST_: {
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

int cli_parse_options(int argc, char **argv, const struct cli_option *opts, const char *cmd, int max_args,
		      int *exit_code)
{
	unsigned char seen[64] = {0};
	size_t nopts = 0;
	while (opts[nopts].kind != CLI_OPT_END_)
		nopts++;
	if (nopts > sizeof(seen))
		return fail(exit_code, cmd, "too many options declared");
	int npos = 0, rest = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!rest && a[0] == '-' && a[1] && a[1] != '-')
			return fail(exit_code, cmd, "unknown option %.60s (options are --long)", a);
		if (rest || strncmp(a, "--", 2) || !a[2]) {
			if (!rest && !strcmp(a, "--")) {
				rest = 1;
				continue;
			}
			if (npos == max_args)
				return fail(exit_code, cmd, "unexpected argument '%.60s'", a);
			argv[npos++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		const struct cli_option *o = find(opts, name, eq ? (size_t)(eq - name) : strlen(name));
		if (!o) {
			char unknown[64];
			snprintf(unknown, sizeof(unknown), "%.*s", (int)(eq ? (size_t)(eq - name) : strlen(name)), name);
			return fail(exit_code, cmd, "unknown option --%s", unknown);
		}
		const char *v = NULL;
		if (o->kind == CLI_OPT_FLAG_) {
			if (eq)
				return fail(exit_code, cmd, "--%s takes no value", o->name);
		} else if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return fail(exit_code, cmd, "--%s needs a value (%s)", o->name, o->argh ? o->argh : "text");
		}
		if (take(o, v, seen, opts, cmd, exit_code))
			return -1;
	}
	argv[npos] = NULL;
	return npos;
}

void cli_options_help(FILE *out, const struct cli_option *opts)
{
	for (const struct cli_option *o = opts; o->kind != CLI_OPT_END_; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->argh ? " " : "", o->argh ? o->argh : "");
		fprintf(out, "  %-24s %s\n", left, o->help ? o->help : "");
	}
}
