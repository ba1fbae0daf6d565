/* cmd_reverse.c - fairshare payment reverse ID --reason TEXT --amount A
 * [--paid-on DATE] [--idempotency-key K]: the same core call as the API's
 * POST /orgs/{org}/payments/{id}/reversal (core/payment_reverse.c). */
#include "cli.h"
#include "options.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "util/money.h"

int cli_payment_reverse(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL, *note = NULL, *amount = NULL, *paid_on = NULL, *key = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("reason", &reason, "TEXT", "why the payment is cancelled (required; kept as the reversal's note)"),
		CLI_OPT_STRING("note", &note, "TEXT", "the same as --reason"),
		CLI_OPT_STRING("amount", &amount, "A", "the payment's amount, to confirm which is cancelled (required)"),
		CLI_OPT_STRING("paid-on", &paid_on, "DATE", "the reversal's date (default today)"),
		CLI_OPT_STRING("idempotency-key", &key, "K", "a key that makes a retried reversal record once"),
		CLI_OPT_END(),
	};
	for (int i = 2; i < argc; i++)
		if (cli_is_help(argv[i])) {
			fputs("usage: fairshare payment reverse ID --reason TEXT --amount A [--paid-on DATE] [--idempotency-key K]\n\n"
			      "A payment is never changed: a reversal is a new payment of the opposite amount\n"
			      "naming it, journaled with who made it and why. A payment is reversed once; a\n"
			      "reversal is not reversed.\n\n", stdout);
			cli_options_help(stdout, opts);
			return EX_OK;
		}
	int rc, npos = cli_parse_options(argc - 1, argv + 1, opts, "payment reverse", 1, &rc);
	if (npos < 0)
		return rc;
	int64_t id = 0;
	if (npos != 1 || cli_parse_id(argv[1], &id))
		return cli_usage("payment reverse needs the payment's ID");
	if (reason && note)
		return cli_usage("payment reverse: --reason or --note, not both");
	struct fs_error err = {0};
	struct fs_reversal r = {.payment_id = id, .reason = reason ? reason : note, .paid_on = paid_on, .idempotency_key = key};
	if (amount) {
		r.has_amount = 1;
		if (fs_money_parse(amount, 2, &r.amount_minor, &err, "amount"))
			return cli_fail(&err, FS_EINVAL);
	}
	struct fs_ctx *ctx = cli_open(c, 0, 1, &rc);
	if (!ctx)
		return rc;
	int64_t rid = 0;
	json_t *out = NULL;
	int x = fs_payment_reversal(ctx, &r, &rid, &err);
	if (!x)
		x = fs_get(ctx, fs_entity_find("payment"), rid, 0, &out, &err);
	if (!x)
		json_object_set_new(out, "reversed_by", json_string(fs_principal_name(ctx)));
	fs_close(ctx);
	if (x)
		return cli_fail(&err, x);
	if (c->json) {
		cli_print_json(out);
	} else {
		char a[32];
		fs_money_format(json_integer_value(json_object_get(out, "amount_minor")), 2, a);
		printf("payment %lld reverses payment %lld: %s (%s) by %s\n", (long long)rid, (long long)id, a,
		       json_string_value(json_object_get(out, "note")), json_string_value(json_object_get(out, "reversed_by")));
	}
	json_decref(out);
	return EX_OK;
}
