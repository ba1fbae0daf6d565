/* cmd_claims.c - entitle (one case, nothing stored). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "util/money.h"

static int entitle_help(void)
{
	fputs("usage: fairshare entitle --jurisdiction TR|KZ --hired DATE --terminated DATE --reason R --wage AMOUNT\n"
	      "         [--benefits AMOUNT] [--unused-leave-days N] [--unpaid-months N] [--overtime-hours N]\n"
	      "         [--underground] [--notice-served] [--age N] [--as-of DATE]\n"
	      "         [--accruals-12m AMOUNT] [--days-worked-12m N] [--period-working-days N]   (KZ)\n"
	      "         [--convention NAME=VALUE] [--lang en|tr|ru|kk] [--json]\n\n"
	      "Computes what a dismissed worker is owed under the jurisdiction's rule set\n"
	      "(rules/*.json) and explains every step with the law article. Nothing is stored.\n"
	      "Amounts are gross, in the jurisdiction's currency; --json gives them in minor units.\n"
	      "Reasons, TR: closure, dismissal, misconduct_dismissal, just_cause_resignation,\n"
	      "resignation, retirement, military_service, marriage, death. KZ: liquidation,\n"
	      "staff_reduction, reduced_output, employer_breach, resignation, agreement,\n"
	      "contract_expiry, misconduct_dismissal, retirement, death, other.\n"
	      "Conventions, TR: service_counting=calendar_inclusive|days_365,\n"
	      "notice_band_boundary=inclusive|exclusive, overtime_divisor, overtime_multiplier.\n"
	      "KZ: average_wage_method=accruals_div_12|daily_average, leave_day_divisor.\n", stdout);
	return EX_OK;
}

static void print_entitlement(json_t *r)
{
	const char *cur = json_string_value(json_object_get(r, "currency"));
	printf("%s rules %s\n\n", json_string_value(json_object_get(r, "jurisdiction")),
	       json_string_value(json_object_get(r, "rules_version")));
	size_t i;
	json_t *s;
	const char *last = "";
	json_array_foreach(json_object_get(r, "steps"), i, s) {
		const char *comp = json_string_value(json_object_get(s, "component"));
		const char *law = json_string_value(json_object_get(s, "law"));
		if (strcmp(comp, last)) {
			printf("%s%s%s%s\n", i ? "\n" : "", comp, law ? "  — " : "", law ? law : "");
			last = comp;
		}
		printf("  %s\n", json_string_value(json_object_get(s, "text")));
	}
	printf("\n");
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(r, "components"), k, v) {
		char m[32];
		fs_money_format(json_integer_value(v), 2, m);
		printf("  %-14s %14s %s\n", k, m, cur);
	}
	char t[32];
	fs_money_format(json_integer_value(json_object_get(r, "total")), 2, t);
	printf("  %-14s %14s %s\n", "total", t, cur);
	json_array_foreach(json_object_get(r, "warnings"), i, v) {
		if (!i)
			printf("\n");
		printf("warning: %s\n", json_string_value(v));
	}
}

int cmd_entitle(struct cli *c, int argc, char **argv)
{
	struct fs_entitle_in in;
	struct fs_error err = {0};
	const char *lang = "en";
	fs_entitle_init(&in);
	int rc = EX_OK;
	for (int i = 1; i < argc && rc == EX_OK; i++) {
		const char *a = argv[i];
		if (cli_is_help(a)) {
			fs_entitle_done(&in);
			return entitle_help();
		}
		if (strncmp(a, "--", 2) != 0) {
			rc = cli_usage("entitle: unexpected argument '%s'", a);
			break;
		}
		char key[48];
		snprintf(key, sizeof(key), "%s", a + 2);
		char *eq = strchr(key, '=');
		const char *v = NULL;
		if (eq) {
			*eq = '\0';
			v = strchr(a, '=') + 1;
		}
		int flag = !strcmp(key, "underground") || !strcmp(key, "notice-served") || !strcmp(key, "notice_served");
		if (!v && flag)
			v = "yes";
		if (!v && i + 1 < argc)
			v = argv[++i];
		if (!v) {
			rc = cli_usage("entitle: --%s needs a value", key);
			break;
		}
		if (!strcmp(key, "lang")) {
			lang = v;
			continue;
		}
		int r = fs_entitle_set(&in, key, v, &err);
		if (r)
			rc = cli_fail(&err, r);
	}
	json_t *out = NULL;
	if (rc == EX_OK) {
		int r = fs_entitle(&in, lang, &out, &err);
		if (r)
			rc = cli_fail(&err, r);
	}
	fs_entitle_done(&in);
	if (rc != EX_OK)
		return rc;
	if (c->json)
		cli_print_json(out);
	else
		print_entitlement(out);
	json_decref(out);
	return EX_OK;
}
