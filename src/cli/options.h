/* options.h - the one option parser of the fairshare command (after git's
 * parse-options.h): a command declares its options as a table and gets them
 * parsed the same way everywhere, with the same clear errors. Every command
 * and the global options (main.c) go through it.
 *
 *	const char *fund = NULL; int json = 0;
 *	const struct cli_option opts[] = {
 *		CLI_OPT_STRING("fund", &fund, "ID", "the fund"),
 *		CLI_OPT_FLAG("reveal", &reveal, "show sealed fields"),
 *		CLI_OPT_END(),
 *	};
 *	int n = cli_parse_options(argc, argv, opts, "ledger export", 0, &rc);
 *	if (n < 0) return rc;       // the error is printed: EX_USAGE
 *	// argv[0..n) now holds the positional arguments, in order
 *
 * Accepted: --name VALUE, --name=VALUE, --flag; options and positional
 * arguments in any order; everything after "--" is positional; '-' and '_'
 * are the same in a name (--full-name, --full_name). Refused, each with the
 * command named: an unknown option ("unknown option --x for 'fund
 * transfer'"), an option without its value, a value given to a flag, an option
 * given twice, an id that is not a positive whole number, a number out of its
 * range, more positional arguments than max_args. */
#ifndef FS_CLI_OPTIONS_H
#define FS_CLI_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "core/fairshare.h"

enum cli_opt_kind {
	CLI_OPT_END_,
	CLI_OPT_STRING_, /* value: const char ** */
	CLI_OPT_FLAG_,   /* value: int *, set to 1 */
	CLI_OPT_ID_,     /* value: int64_t *, a positive whole number */
	CLI_OPT_INT_,    /* value: int64_t *, a whole number from min to max */
	CLI_OPT_LIST_,   /* value: struct cli_list *, the option may repeat */
	CLI_OPT_FILES_,  /* value: struct cli_list *, every argument after it up to the next --option */
	CLI_OPT_FIELDS_, /* value: struct cli_fields *, every --name not declared (an entity's fields) */
};

/* An option that may be given several times (--seal-to A --seal-to B). */
struct cli_list {
	const char **v; /* points into argv; at most max */
	size_t n, max;
};

#define CLI_FIELDS_MAX 32
/* The options a command takes from data (an entity's fields, the entitlement's
 * inputs): any --name VALUE not declared otherwise, name with '-' as '_'. A
 * name is_flag says is a yes/no field may stand bare (then "yes") when no value
 * follows it (the end of the line, or another --option). */
struct cli_fields {
	struct fs_kv kv[CLI_FIELDS_MAX];
	char names[CLI_FIELDS_MAX][64];
	size_t n;
	int (*is_flag)(const void *arg, const char *name);
	const void *arg;
};

struct cli_option {
	enum cli_opt_kind kind;
	const char *name; /* the long name, without "--" */
	void *value;
	const char *argh; /* the value's name in help ("ID", "FILE"); NULL for flags */
	const char *help;
	int64_t min, max; /* CLI_OPT_INT_: the range */
};

#define CLI_OPT_STRING(n, v, a, h) {CLI_OPT_STRING_, (n), (v), (a), (h), 0, 0}
#define CLI_OPT_FLAG(n, v, h) {CLI_OPT_FLAG_, (n), (v), NULL, (h), 0, 0}
#define CLI_OPT_ID(n, v, a, h) {CLI_OPT_ID_, (n), (v), (a), (h), 0, 0}
#define CLI_OPT_INT(n, v, a, h, lo, hi) {CLI_OPT_INT_, (n), (v), (a), (h), (lo), (hi)}
#define CLI_OPT_LIST(n, v, a, h) {CLI_OPT_LIST_, (n), (v), (a), (h), 0, 0}
#define CLI_OPT_FILES(n, v, a, h) {CLI_OPT_FILES_, (n), (v), (a), (h), 0, 0}
#define CLI_OPT_FIELDS(v, h) {CLI_OPT_FIELDS_, "FIELD", (v), "VALUE", (h), 0, 0}
#define CLI_OPT_END() {CLI_OPT_END_, NULL, NULL, NULL, NULL, 0, 0}

/* Flags of cli_parse_options_ex. */
enum {
	/* leave what is not declared (other options, positional arguments, "--" and
	 * all after it) in argv[1..n) in its order; argv[0] stays (main's globals) */
	CLI_KEEP_UNKNOWN = 1 << 0,
};

/* Parse argv[1..argc) (argv[0] is the command word) against opts. The
 * positional arguments are moved to argv[0..n) and n returned; at most
 * max_args of them (else an error). "--help" or "-h" (when not declared)
 * prints the command's usage and options: *exit_code = EX_OK, -1 returned. On
 * an error: the message printed ("fairshare: ... for 'cmd'"), *exit_code =
 * EX_USAGE, -1 returned. */
int cli_parse_options(int argc, char **argv, const struct cli_option *opts, const char *cmd, int max_args,
		      int *exit_code);
int cli_parse_options_ex(int argc, char **argv, const struct cli_option *opts, const char *cmd, int max_args,
			 unsigned flags, int *exit_code);

/* The options' help, one a line ("  --fund ID    the fund"). */
void cli_options_help(FILE *out, const struct cli_option *opts);

/* A usage error of a command, in the parser's words ("... for 'cmd'"): EX_USAGE. */
int cli_opt_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
