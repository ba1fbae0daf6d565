/* options.h - the one option parser of the fairshare command (after git's
 * parse-options.h): a command declares its options as a table and gets them
 * parsed the same way everywhere, with the same clear errors.
 *
 *	const char *fund = NULL; int json = 0;
 *	const struct cli_option opts[] = {
 *		CLI_OPT_STRING("fund", &fund, "ID", "the fund"),
 *		CLI_OPT_FLAG("reveal", &reveal, "show sealed fields"),
 *		CLI_OPT_END(),
 *	};
 *	int n = cli_parse_options(argc, argv, opts, "ledger export", &rc);
 *	if (n < 0) return rc;       // the error is printed: EX_USAGE
 *	// argv[0..n) now holds the positional arguments, in order
 *
 * Accepted: --name VALUE, --name=VALUE, --flag; options and positional
 * arguments in any order; everything after "--" is positional. Refused, each
 * with the command named: an unknown option ("unknown option --x for 'fund
 * transfer'"), an option without its value, a value given to a flag, an option
 * given twice, an id that is not a positive whole number, more positional
 * arguments than max_args. */
#ifndef FS_CLI_OPTIONS_H
#define FS_CLI_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

enum cli_opt_kind {
	CLI_OPT_END_,
	CLI_OPT_STRING_, /* value: const char ** */
	CLI_OPT_FLAG_,   /* value: int *, set to 1 */
	CLI_OPT_ID_,     /* value: int64_t *, a positive whole number */
	CLI_OPT_LIST_,   /* value: struct cli_list *, the option may repeat */
};

/* An option that may be given several times (--seal-to A --seal-to B). */
struct cli_list {
	const char **v; /* points into argv; at most max */
	size_t n, max;
};

struct cli_option {
	enum cli_opt_kind kind;
	const char *name; /* the long name, without "--" */
	void *value;
	const char *argh; /* the value's name in help ("ID", "FILE"); NULL for flags */
	const char *help;
};

#define CLI_OPT_STRING(n, v, a, h) {CLI_OPT_STRING_, (n), (v), (a), (h)}
#define CLI_OPT_FLAG(n, v, h) {CLI_OPT_FLAG_, (n), (v), NULL, (h)}
#define CLI_OPT_ID(n, v, a, h) {CLI_OPT_ID_, (n), (v), (a), (h)}
#define CLI_OPT_LIST(n, v, a, h) {CLI_OPT_LIST_, (n), (v), (a), (h)}
#define CLI_OPT_END() {CLI_OPT_END_, NULL, NULL, NULL, NULL}

/* Parse argv[1..argc) (argv[0] is the command word) against opts. The
 * positional arguments are moved to argv[0..n) and n returned; at most
 * max_args of them (else an error). On an error: the message printed
 * ("fairshare: ... for 'cmd'"), *exit_code = EX_USAGE, -1 returned. */
int cli_parse_options(int argc, char **argv, const struct cli_option *opts, const char *cmd, int max_args,
		      int *exit_code);

/* The options' help, one a line ("  --fund ID    the fund"). */
void cli_options_help(FILE *out, const struct cli_option *opts);

#endif
