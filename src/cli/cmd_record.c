/* cmd_record.c - the record: duplicates, link, unlink, links. */
#include "cli.h"
#include "options.h"
#include "util/date.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

static int record_help(FILE *out)
{
	fputs("usage: fairshare record duplicates [--limit N] [--json]\n"
	      "       fairshare record link PERSON_A PERSON_B --same|--different [--reason TEXT]\n"
	      "       fairshare record unlink LINK_ID\n"
	      "       fairshare record links [--json]\n"
	      "       fairshare record counts [--by type|action|region|month|incident] [--public] [--json]\n"
	      "       fairshare record prisoners [--as-of DATE] [--public] [--json]\n"
	      "       fairshare record alerts [--hours N] [--now TIME] [--json]\n"
	      "       fairshare record timeline [--from DATE] [--to DATE] [--action ID] [--public] [--json]\n"
	      "       fairshare record suggest [--json]\n\n"
	      "duplicates suggests pairs of person records that are likely the same person,\n"
	      "across Turkish, Kazakh and Russian spellings in Latin and Cyrillic script, using\n"
	      "the birth year; a documenter decides each pair with link (journaled; unlink\n"
	      "takes a decision back, and the pair is suggested again).\n"
	      "counts gives victims per violation type: unique persons, never reports;\n"
	      "confirmed (R2+R3) apart from the reported, unconfirmed range (R0+R1, min-max),\n"
	      "leaving out what is discounted (XD) or a duplicate (DU).\n"
	      "prisoners lists who is in custody now (legal cases: 'fairshare case add'):\n"
	      "charges, sentence, days served, expected release.\n"
	      "alerts lists detained people whose whereabouts have been unknown for N hours\n"
	      "or more (default 24; exit 65 when there is any).\n"
	      "timeline lists what happened in date order: actions, stages of a march,\n"
	      "demands won or lost, incidents, detentions and releases, hearings, verdicts.\n"
	      "suggest lists incidents and violations whose cited reports and evidence\n"
	      "support a higher verification level (R0-R3) than the latest assessment.\n", out);
	return out == stdout ? EX_OK : EX_USAGE;
}

int cmd_record(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1]))
		return record_help(argc < 2 ? stderr : stdout);
	const char *sub = argv[1];
	int rc;
	/* every subcommand's options, parsed before the database is opened */
	int64_t limit = 100, hours = 24, action = 0, now = (int64_t)time(NULL);
	const char *reason = NULL, *as_of = NULL, *now_s = NULL, *from = NULL, *to = NULL, *by = "type";
	int same = 0, different = 0, pub = 0;
	const struct cli_option end = CLI_OPT_END(), o_public = CLI_OPT_FLAG("public", &pub, "public records only");
	const struct cli_option dup_opts[] = {CLI_OPT_ID("limit", &limit, "N", "at most N pairs (100)"), end};
	const struct cli_option link_opts[] = {
		CLI_OPT_FLAG("same", &same, "the two are one person"),
		CLI_OPT_FLAG("different", &different, "the two are different people"),
		CLI_OPT_STRING("reason", &reason, "TEXT", "why (journaled)"),
		end,
	};
	const struct cli_option counts_opts[] = {
		CLI_OPT_STRING("by", &by, "type|action|region|month|incident", "count by"), o_public, end};
	const struct cli_option prisoners_opts[] = {CLI_OPT_STRING("as-of", &as_of, "DATE", "the day (today)"), o_public, end};
	const struct cli_option alerts_opts[] = {
		CLI_OPT_ID("hours", &hours, "N", "whereabouts unknown this long (24)"),
		CLI_OPT_STRING("now", &now_s, "TIME", "the time to count from (2011-12-16T11:30, UTC)"),
		end,
	};
	const struct cli_option timeline_opts[] = {
		CLI_OPT_STRING("from", &from, "DATE", "from this date"),
		CLI_OPT_STRING("to", &to, "DATE", "up to this date"),
		CLI_OPT_ID("action", &action, "ID", "one action's timeline"),
		o_public,
		end,
	};
	static const struct {
		const char *sub;
		int nargs;
	} subs[] = {{"duplicates", 0}, {"link", 2}, {"unlink", 1}, {"counts", 0}, {"prisoners", 0},
		    {"alerts", 0},     {"timeline", 0}, {"suggest", 0}, {"links", 0}};
	const struct cli_option *const tables[] = {dup_opts, link_opts, &end, counts_opts, prisoners_opts,
						   alerts_opts, timeline_opts, &end, &end};
	size_t k = 0;
	while (k < sizeof(subs) / sizeof(subs[0]) && strcmp(subs[k].sub, sub))
		k++;
	if (k == sizeof(subs) / sizeof(subs[0]))
		return cli_usage("'%s' is not a record command", sub);
	char cmdname[40];
	snprintf(cmdname, sizeof(cmdname), "record %s", sub);
	char **pos = argv + 1; /* the arguments after the subcommand */
	int npos = cli_parse_options(argc - 1, pos, tables[k], cmdname, subs[k].nargs, &rc);
	if (npos < 0)
		return rc;
	int64_t a_id = 0, b_id = 0;
	if (!strcmp(sub, "link") && (npos != 2 || cli_parse_id(pos[0], &a_id) || cli_parse_id(pos[1], &b_id) || same == different))
		return cli_usage("record link PERSON_A PERSON_B --same|--different [--reason TEXT]");
	if (!strcmp(sub, "unlink") && (npos != 1 || cli_parse_id(pos[0], &a_id)))
		return cli_usage("record unlink LINK_ID");
	if (now_s && fs_time_parse(now_s, &now)) {
		struct fs_error e = {0};
		return cli_fail(&e, fs_fail(&e, FS_EINVAL, "now", "'%.32s' is not a date and time (2011-12-16T11:30, UTC)", now_s));
	}
	int writes = !strcmp(sub, "link") || !strcmp(sub, "unlink");
	struct fs_ctx *ctx = cli_open(c, writes ? 0 : FS_READONLY, 1, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	int r = 0;
	json_t *out = NULL;
	if (!strcmp(sub, "duplicates")) {
		r = fs_record_duplicates(ctx, limit, &out, &err);
		if (!r && !c->json) {
			size_t i;
			json_t *p;
			json_array_foreach(json_object_get(out, "pairs"), i, p) {
				const char *a = json_string_value(json_object_get(p, "name_a")), *b = json_string_value(json_object_get(p, "name_b"));
				size_t wa = cli_width(a), wb = cli_width(b);
				const char *ia = json_string_value(json_object_get(p, "identity_a"));
				const char *ib = json_string_value(json_object_get(p, "identity_b"));
				char idl[64] = "";
				if (ia || ib)
					snprintf(idl, sizeof(idl), "  identity [%s] [%s]", ia ? ia : "-", ib ? ib : "-");
				printf("%6lld %s%*s ~ %6lld %s%*s  (%s)%s\n", (long long)json_integer_value(json_object_get(p, "person_a")), a,
				       wa < 28 ? (int)(28 - wa) : 0, "", (long long)json_integer_value(json_object_get(p, "person_b")), b,
				       wb < 28 ? (int)(28 - wb) : 0, "", json_string_value(json_object_get(p, "basis")), idl);
			}
			printf("%lld suggested pairs among %lld people\n", (long long)json_integer_value(json_object_get(out, "pairs_total")),
			       (long long)json_integer_value(json_object_get(out, "people")));
		}
	} else if (!strcmp(sub, "link")) {
		const char *decision = same ? "same" : "different";
		struct fs_kv kv[] = {{"person_a", pos[0]}, {"person_b", pos[1]}, {"decision", decision}, {"reason", reason}};
		int64_t id;
		r = fs_create(ctx, fs_entity_find("link"), kv, reason ? 4 : 3, &id, &err);
		if (r == FS_ECONFLICT)
			fs_fail(&err, r, NULL, "this pair is decided already; 'record unlink' the decision first");
		if (!r)
			printf("link %lld: %s and %s are %s\n", (long long)id, pos[0], pos[1], !strcmp(decision, "same") ? "one person" : "different people");
	} else if (!strcmp(sub, "unlink")) {
		r = fs_remove(ctx, fs_entity_find("link"), a_id, &err);
		if (!r)
			printf("decision %lld taken back\n", (long long)a_id);
	} else if (!strcmp(sub, "counts")) {
		r = fs_record_counts(ctx, by, pub, &out, &err);
		if (!r && !c->json) {
			int dim = strcmp(by, "type") != 0;
			printf("%-26s %s%-10s %10s %10s  %s\n", "violation", dim ? by : "", dim ? "  " : "", "confirmed",
			       "contested", "reported, unconfirmed (min-max)");
			size_t i;
			json_t *row;
			json_array_foreach(json_object_get(out, "rows"), i, row) {
				const char *d = dim ? json_string_value(json_object_get(row, by)) : "";
				const char *title = json_string_value(json_object_get(row, "title"));
				printf("%-26s %s%-10s %10lld %10lld  %lld-%lld%s%s\n", json_string_value(json_object_get(row, "type")),
				       d ? d : "", dim ? "  " : "", (long long)json_integer_value(json_object_get(row, "confirmed")),
				       (long long)json_integer_value(json_object_get(row, "contested")),
				       (long long)json_integer_value(json_object_get(row, "reported_min")),
				       (long long)json_integer_value(json_object_get(row, "reported_max")), title ? "  " : "",
				       title ? title : "");
			}
		}
	} else if (!strcmp(sub, "prisoners")) {
		fs_date today = fs_date_today();
		if (as_of)
			r = fs_date_parse(as_of, &today, &err, "as_of");
		if (!r)
			r = fs_record_prisoners(ctx, today, pub, &out, &err);
		if (!r && !c->json) {
			size_t i;
			json_t *p;
			json_array_foreach(json_object_get(out, "prisoners"), i, p) {
				json_t *days = json_object_get(p, "days_served");
				const char *x = json_string_value(json_object_get(p, "expected_release"));
				const char *name = json_string_value(json_object_get(p, "name"));
				size_t w = cli_width(name);
				char d[24] = "?";
				if (json_is_integer(days))
					snprintf(d, sizeof(d), "%lld", (long long)json_integer_value(days));
				printf("%s%*s %-20s %6s days  release %-10s  %s\n", name, w < 28 ? (int)(28 - w) : 0, "",
				       json_string_value(json_object_get(p, "status")),
				       d, x ? x : "unknown",
				       json_string_value(json_object_get(p, "charges")));
			}
			printf("%lld in custody on %s\n", (long long)json_integer_value(json_object_get(out, "count")),
			       json_string_value(json_object_get(out, "as_of")));
		}
	} else if (!strcmp(sub, "alerts")) {
		if (!r)
			r = fs_record_alerts(ctx, now, hours, &out, &err);
		if (!r && !c->json) {
			size_t i;
			json_t *a;
			json_array_foreach(json_object_get(out, "alerts"), i, a)
				printf("%s: whereabouts unknown for %lld hours (since %s)%s\n", json_string_value(json_object_get(a, "name")),
				       (long long)json_integer_value(json_object_get(a, "hours")),
				       json_string_value(json_object_get(a, "unknown_since")),
				       json_is_true(json_object_get(a, "lawyer_access")) ? "" : ", no lawyer");
			printf("%lld alerts (whereabouts unknown %lld hours or more)\n",
			       (long long)json_integer_value(json_object_get(out, "count")), (long long)hours);
		}
		if (!r && json_integer_value(json_object_get(out, "count")) > 0) {
			fs_close(ctx);
			if (c->json)
				cli_print_json(out);
			json_decref(out);
			return EX_DATAERR;
		}
	} else if (!strcmp(sub, "timeline")) {
		r = fs_record_timeline(ctx, from, to, action, pub, &out, &err);
		if (!r && !c->json) {
			size_t i;
			json_t *e;
			json_array_foreach(json_object_get(out, "events"), i, e) {
				const char *at = json_string_value(json_object_get(e, "at"));
				const char *x = json_string_value(json_object_get(e, "kind"));
				if (!x)
					x = json_string_value(json_object_get(e, "type"));
				if (!x)
					x = json_string_value(json_object_get(e, "status"));
				const char *detail = json_string_value(json_object_get(e, "detail"));
				json_t *num = json_object_get(e, "number");
				printf("%-10s %5.5s  %-15s", json_string_value(json_object_get(e, "date")), at ? at + 11 : "",
				       json_string_value(json_object_get(e, "event")));
				if (num)
					printf(" %lld:", (long long)json_integer_value(num));
				printf(" %s%s%s%s%s%s\n", x ? "[" : "", x ? x : "", x ? "] " : "", json_string_value(json_object_get(e, "text")),
				       detail ? " - " : "", detail ? detail : "");
			}
			printf("%lld events\n", (long long)json_integer_value(json_object_get(out, "count")));
		}
	} else if (!strcmp(sub, "suggest")) {
		r = fs_record_suggest(ctx, &out, &err);
		if (!r && !c->json) {
			size_t i;
			json_t *e;
			json_array_foreach(json_object_get(out, "suggestions"), i, e) {
				const char *cur = json_string_value(json_object_get(e, "current"));
				printf("%s %lld: %s -> %s  (%s)\n", json_string_value(json_object_get(e, "subject")),
				       (long long)json_integer_value(json_object_get(e, "subject_id")), cur ? cur : "not assessed",
				       json_string_value(json_object_get(e, "suggested")), json_string_value(json_object_get(e, "why")));
			}
			printf("%lld suggestions; record a level with 'fairshare assessment add'\n",
			       (long long)json_integer_value(json_object_get(out, "count")));
		}
	} else if (!strcmp(sub, "links")) {
		struct fs_list_opts o = {.limit = 10000};
		r = fs_list(ctx, fs_entity_find("link"), &o, &out, &err);
		if (!r && !c->json) {
			size_t i;
			json_t *l;
			json_array_foreach(json_object_get(out, "items"), i, l)
				printf("%lld: %lld %s %lld%s%s\n", (long long)json_integer_value(json_object_get(l, "id")),
				       (long long)json_integer_value(json_object_get(l, "person_a")),
				       !strcmp(json_string_value(json_object_get(l, "decision")), "same") ? "=" : "≠",
				       (long long)json_integer_value(json_object_get(l, "person_b")),
				       json_string_value(json_object_get(l, "reason")) ? "  " : "",
				       json_string_value(json_object_get(l, "reason")) ? json_string_value(json_object_get(l, "reason")) : "");
		}
	} else {
		fs_close(ctx);
		return cli_usage("'%s' is not a record command", sub);
	}
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (out && c->json)
		cli_print_json(out);
	json_decref(out);
	return EX_OK;
}
