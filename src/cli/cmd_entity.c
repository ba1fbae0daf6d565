/* cmd_entity.c - add, list, show, find, edit and remove for every entity of the
 * people register; options and help come from the entity's field list. */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "util/money.h"


static void field_help(const struct fs_entity *e)
{
	for (size_t i = 0; i < fs_entity_nfields(e); i++) {
		const struct fs_field *f = fs_entity_field(e, i);
		char opt[64];
		snprintf(opt, sizeof(opt), "--%s", f->name);
		for (char *p = opt + 2; *p; p++)
			if (*p == '_')
				*p = '-';
		printf("  %-22s %s%s%s\n", opt, f->help, (f->flags & FF_REQUIRED) ? " (required)" : "",
		       (f->flags & FF_IMMUTABLE) ? " (set once)" : "");
	}
}

static int help(const struct fs_entity *e, const char *cmd)
{
	const char *n = strcmp(cmd, "org") == 0 ? "org" : fs_entity_name(e);
	if (!strcmp(fs_entity_name(e), "payment"))
		printf("usage: fairshare payment reverse ID [--note TEXT] [--paid-on DATE] [--reference R]\n"
		       "       (payments are never edited or removed: a reversal cancels one)\n");
	if (!strcmp(fs_entity_name(e), "claim"))
		printf("usage: fairshare claims compute --workplace ID [--reason R] [--terminated DATE] [--apply]\n");
	printf("usage: fairshare %s add --FIELD VALUE ...\n"
	       "       fairshare %s list [--search TEXT] [--FIELD VALUE ...] [--limit N] [--offset N] [--reveal] [--json]\n"
	       "       fairshare %s show ID [--reveal] [--json]\n"
	       "       fairshare %s edit ID --FIELD VALUE ...   (an empty VALUE clears a field)\n"
	       "       fairshare %s remove ID\n", n, n, n, n, n);
	if (strcmp(fs_entity_name(e), "person") == 0)
		printf("       fairshare person find --national-id ID [--reveal] [--json]\n");
	printf("\nFields:\n");
	field_help(e);
	printf("\nDates as YYYY-MM-DD (or DD.MM.YYYY); amounts as 1800.00; yes/no for flags.\n"
	       "Sealed fields are stored encrypted and shown only with --reveal.\n");
	return EX_OK;
}

struct args {
	struct cli_fields f; /* the entity's fields given (--full-name X: full_name) */
	const char *search;
	int64_t limit, offset, id;
	int reveal;
	const char *national_id;
};

/* A yes/no field may stand bare (--underground). */
static int bool_field(const void *arg, const char *name)
{
	const struct fs_entity *e = arg;
	for (size_t k = 0; k < fs_entity_nfields(e); k++)
		if (!strcmp(fs_entity_field(e, k)->name, name))
			return fs_entity_field(e, k)->kind == FK_BOOL;
	return 0;
}

/* Parse [ID] --field value ... with the one option parser: the control options
 * declared, every other --name one of the entity's fields (checked by the core). */
static int parse(const struct fs_entity *e, const char *sub, int argc, char **argv, int want_id, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->f.is_flag = bool_field;
	a->f.arg = e;
	int find = !strcmp(sub, "find");
	const struct cli_option opts[] = {
		CLI_OPT_FLAG("reveal", &a->reveal, "show sealed fields (journaled)"),
		CLI_OPT_STRING("search", &a->search, "TEXT", "names containing TEXT, in any script"),
		CLI_OPT_ID("limit", &a->limit, "N", "at most N records"),
		CLI_OPT_INT("offset", &a->offset, "N", "skip N records", 0, INT64_MAX),
		find ? (struct cli_option)CLI_OPT_STRING("national-id", &a->national_id, "ID", "the national ID")
		     : (struct cli_option)CLI_OPT_FIELDS(&a->f, "the entity's fields"),
		CLI_OPT_FIELDS(&a->f, "the entity's fields"),
		CLI_OPT_END(),
	};
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "%s %s", fs_entity_name(e), sub);
	int rc, n = cli_parse_options(argc, argv, opts, cmd, want_id, &rc);
	if (n < 0)
		return rc;
	if (want_id && (n < 1 || cli_parse_id(argv[0], &a->id)))
		return cli_usage("%s %s needs the record's id (a number)", fs_entity_name(e), sub);
	return -1;
}

static void format_value(const char *key, json_t *v, char *out, size_t n)
{
	size_t kl = strlen(key);
	if (json_is_null(v) || !v)
		snprintf(out, n, "-");
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "yes" : "no");
	else if (json_is_integer(v) && kl > 6 && strcmp(key + kl - 6, "_minor") == 0) {
		char m[32];
		fs_money_format(json_integer_value(v), 2, m);
		snprintf(out, n, "%s", m);
	} else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else
		snprintf(out, n, "?");
}

static void print_record(const struct fs_entity *e, json_t *o, int reveal)
{
	const char *key;
	json_t *v;
	char buf[1024];
	json_object_foreach(o, key, v) {
		format_value(key, v, buf, sizeof(buf));
		printf("%-20s %s\n", key, buf);
	}
	if (!reveal) {
		for (size_t i = 0; i < fs_entity_nfields(e); i++) {
			const struct fs_field *f = fs_entity_field(e, i);
			if (f->flags & FF_SEALED)
				printf("%-20s (sealed; --reveal shows it)\n", f->name);
		}
	}
}

#define MAX_SHOWN 40 /* characters per cell in a table */

static void print_table(json_t *items)
{
	size_t nitems = json_array_size(items);
	if (!nitems)
		return;
	json_t *first = json_array_get(items, 0);
	size_t ncols = json_object_size(first);
	const char **keys = calloc(ncols, sizeof(*keys));
	size_t *width = calloc(ncols, sizeof(*width));
	if (!keys || !width) {
		free(keys);
		free(width);
		return;
	}
	size_t k = 0;
	const char *key;
	json_t *v;
	json_object_foreach(first, key, v) {
		if (k < ncols) {
			keys[k] = key;
			width[k] = cli_width(key);
			k++;
		}
	}
	char buf[1024];
	for (size_t r = 0; r < nitems; r++)
		for (size_t c = 0; c < ncols; c++) {
			format_value(keys[c], json_object_get(json_array_get(items, r), keys[c]), buf, sizeof(buf));
			size_t w = cli_width(buf);
			if (w > width[c])
				width[c] = w > MAX_SHOWN ? MAX_SHOWN : w;
		}
	for (size_t r = 0; r <= nitems; r++) {
		for (size_t c = 0; c < ncols; c++) {
			if (r == 0)
				snprintf(buf, sizeof(buf), "%s", keys[c]);
			else
				format_value(keys[c], json_object_get(json_array_get(items, r - 1), keys[c]), buf, sizeof(buf));
			/* cut at MAX_SHOWN characters, on a character boundary */
			size_t chars = 0, b = 0;
			for (; buf[b]; b++)
				if (((unsigned char)buf[b] & 0xC0) != 0x80 && ++chars > MAX_SHOWN)
					break;
			buf[b] = '\0';
			size_t w = cli_width(buf);
			printf("%s%s", c ? "  " : "", buf);
			if (c + 1 < ncols)
				for (size_t p = w; p < width[c]; p++)
					putchar(' ');
		}
		putchar('\n');
	}
	free(keys);
	free(width);
}

int cmd_entity(struct cli *c, int argc, char **argv)
{
	const struct fs_entity *e = fs_entity_find(argv[0]);
	if (argc < 2 || cli_is_help(argv[1]))
		return argc < 2 ? (help(e, argv[0]), EX_USAGE) : help(e, argv[0]);
	const char *sub = argv[1];
	if (!strcmp(sub, "forget") && !strcmp(fs_entity_name(e), "person"))
		return cli_person_forget(c, argc, argv);
	if (!strcmp(sub, "reverse") && !strcmp(fs_entity_name(e), "payment"))
		return cli_payment_reverse(c, argc, argv);
	struct args a;
	int rc, want_id = strcmp(sub, "show") == 0 || strcmp(sub, "edit") == 0 || strcmp(sub, "remove") == 0;
	int reverse = !strcmp(sub, "reverse") && !strcmp(fs_entity_name(e), "payment");
	want_id |= reverse;
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "find") && !want_id)
		return cli_usage("'%s' is not a %s command (add, list, show, edit, remove)", sub, argv[0]);
	for (int i = 2; i < argc; i++)
		if (cli_is_help(argv[i]))
			return help(e, argv[0]);
	if ((rc = parse(e, sub, argc - 1, argv + 1, want_id, &a)) >= 0)
		return rc;
	int writes = strcmp(sub, "add") == 0 || strcmp(sub, "edit") == 0 || strcmp(sub, "remove") == 0 || reverse;
	int is_org = strcmp(fs_entity_name(e), "organization") == 0;
	const char *saved_org = c->org;
	if (is_org)
		c->org = NULL; /* organizations are not inside one */
	struct fs_ctx *ctx = cli_open(c, writes ? 0 : FS_READONLY, !is_org, &rc);
	c->org = saved_org;
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *out = NULL;
	int r = 0;
	int existed = 0;
	if (strcmp(sub, "add") == 0) {
		int64_t id;
		r = fs_create_ex(ctx, e, a.f.kv, a.f.n, &id, &existed, &err);
		if (!r)
			r = fs_get(ctx, e, id, 0, &out, &err);
		if (!r && existed && !c->json)
			printf("exists: %s %lld has this idempotency key and the same fields; nothing recorded\n",
			       fs_entity_name(e), (long long)id);
		if (!r && c->json)
			json_object_set_new(out, "existed", json_boolean(existed));
	} else if (reverse) {
		int64_t id;
		r = fs_payment_reverse(ctx, a.id, a.f.kv, a.f.n, &id, &err);
		if (!r)
			r = fs_get(ctx, e, id, 0, &out, &err);
	} else if (strcmp(sub, "edit") == 0) {
		if (!a.f.n) {
			fs_close(ctx);
			return cli_usage("%s edit: name at least one field to change", argv[0]);
		}
		r = fs_update(ctx, e, a.id, a.f.kv, a.f.n, &err);
		if (!r)
			r = fs_get(ctx, e, a.id, 0, &out, &err);
	} else if (strcmp(sub, "remove") == 0) {
		r = fs_remove(ctx, e, a.id, &err);
		if (!r)
			out = json_pack("{s:I,s:b}", "id", (json_int_t)a.id, "removed", 1);
	} else if (strcmp(sub, "show") == 0) {
		r = fs_get(ctx, e, a.id, a.reveal ? FS_REVEAL : 0, &out, &err);
	} else if (strcmp(sub, "find") == 0) {
		int64_t id = 0;
		if (!a.national_id || strcmp(fs_entity_name(e), "person") != 0) {
			fs_close(ctx);
			return cli_usage("find: use 'fairshare person find --national-id ID'");
		}
		r = fs_person_by_national_id(ctx, a.national_id, &id, &err);
		if (!r)
			r = fs_get(ctx, e, id, a.reveal ? FS_REVEAL : 0, &out, &err);
	} else {
		struct fs_list_opts o = {a.search, a.f.kv, a.f.n, a.limit, a.offset, a.reveal ? FS_REVEAL : 0};
		r = fs_list(ctx, e, &o, &out, &err);
	}
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (c->json) {
		cli_print_json(out);
	} else if (strcmp(sub, "list") == 0) {
		json_t *items = json_object_get(out, "items");
		print_table(items);
		printf("(%zu of %lld)\n", json_array_size(items), (long long)json_integer_value(json_object_get(out, "total")));
	} else if (strcmp(sub, "remove") == 0) {
		printf("removed %s %lld\n", fs_entity_name(e), (long long)a.id);
	} else {
		print_record(e, out, a.reveal && (strcmp(sub, "show") == 0 || strcmp(sub, "find") == 0));
	}
	json_decref(out);
	return EX_OK;
}
