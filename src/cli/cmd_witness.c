/* cmd_witness.c - fairshare witness: this instance keeps, checks and
 * countersigns other instances' public checkpoints (core: witness.c). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

enum { WITNESS_FILE_MAX = 64 * 1024 };

static const char witness_help[] =
	"usage: fairshare witness add URL [--public-key HEX] [--signing-key PATH]\n"
	"       fairshare witness check [ID] [--signing-key PATH]\n"
	"       fairshare witness list\n"
	"       fairshare witness show ID\n"
	"       fairshare witness verify FILE\n\n"
	"Makes this instance a witness of another instance's log. URL is the log's public\n"
	"checkpoint, e.g. https://union.example/api/v1/orgs/miners/checkpoint.\n"
	"'add' fetches it, checks its signature, pins its public key (--public-key: the key\n"
	"you were given, which must match; else the key it is signed with, shown: compare\n"
	"it with the one the union gives you another way), countersigns it with this\n"
	"database's signing key and keeps it.\n"
	"'check' fetches every witnessed log again (or only ID): each new checkpoint must\n"
	"be signed by the pinned key and extend the last one kept (the remote's RFC 9162\n"
	"consistency proof); one that grew is countersigned and kept. A log rolled back or\n"
	"rewritten is named and its checkpoint kept as the proof (exit 65).\n"
	"'show' prints the last countersigned checkpoint: text a third party checks with\n"
	"'fairshare witness verify FILE' (no database needed).\n";

static int usage(void)
{
	fputs(witness_help, stderr);
	return EX_USAGE;
}

static int w_verify(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fairshare: cannot open %s\n", path);
		return EX_NOINPUT;
	}
	char *buf = malloc(WITNESS_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, WITNESS_FILE_MAX + 1, f) : 0;
	if (f != stdin)
		fclose(f);
	if (!buf || n > WITNESS_FILE_MAX) {
		free(buf);
		fprintf(stderr, "fairshare: %s is larger than %d bytes: not a countersigned checkpoint\n", path, WITNESS_FILE_MAX);
		return EX_DATAERR;
	}
	buf[n] = 0;
	json_t *j = NULL;
	struct fs_error err = {0};
	int rc = fs_witness_verify(buf, n, &j, &err);
	free(buf);
	if (rc) {
		fprintf(stderr, "fairshare: %s: %s\n", path, err.message);
		return EX_DATAERR; /* a forged signature is bad data here, not a key problem */
	}
	printf("%s: signatures ok: the checkpoint of '%s' (log %lld, %lld entries, root %s, %s, key %s)\n"
	       "countersigned by witness key %s at %s, fetched from %s\n",
	       path, json_string_value(json_object_get(j, "org")), (long long)json_integer_value(json_object_get(j, "org_id")),
	       (long long)json_integer_value(json_object_get(j, "size")), json_string_value(json_object_get(j, "root")),
	       json_string_value(json_object_get(j, "time")), json_string_value(json_object_get(j, "key")),
	       json_string_value(json_object_get(j, "witness_key")), json_string_value(json_object_get(j, "witnessed")),
	       json_string_value(json_object_get(j, "url")));
	json_decref(j);
	return EX_OK;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

int cmd_witness(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (cli_is_help(argv[1])) {
		fputs(witness_help, stdout);
		return EX_OK;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "verify"))
		return argc == 3 ? w_verify(argv[2]) : cli_usage("witness verify: give one FILE");
	const char *url = NULL, *key = NULL, *id_text = NULL;
	struct fs_witness_io io = {.fetch = cli_fetch};
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--public-key") && i + 1 < argc && !strcmp(sub, "add"))
			key = argv[++i];
		else if (!strcmp(argv[i], "--signing-key") && i + 1 < argc)
			io.signing_key = argv[++i];
		else if (argv[i][0] != '-' && !strcmp(sub, "add") && !url)
			url = argv[i];
		else if (argv[i][0] != '-' && (!strcmp(sub, "check") || !strcmp(sub, "show")) && !id_text)
			id_text = argv[i];
		else
			return cli_usage("witness %s: unexpected argument '%s' (see fairshare witness --help)", sub, argv[i]);
	}
	int64_t id = 0;
	if (id_text && cli_parse_id(id_text, &id))
		return cli_usage("witness %s: '%s' is not a witnessed log's id (see fairshare witness list)", sub, id_text);
	int writes = !strcmp(sub, "add") || !strcmp(sub, "check");
	if ((!strcmp(sub, "add") && !url) || (!strcmp(sub, "show") && !id) ||
	    (!writes && strcmp(sub, "list") && strcmp(sub, "show")))
		return usage();
	int rc;
	struct fs_ctx *ctx = cli_open(c, writes ? 0 : FS_READONLY, 0, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	json_t *j = NULL;
	char *text = NULL;
	int r;
	if (!strcmp(sub, "add"))
		r = fs_witness_add(ctx, url, key, &io, &j, &err);
	else if (!strcmp(sub, "check"))
		r = fs_witness_check(ctx, id, &io, &j, &err);
	else if (!strcmp(sub, "list"))
		r = fs_witness_list(ctx, &j, &err);
	else
		r = fs_witness_show(ctx, id, &text, &err);
	fs_close(ctx);
	if (j && c->json) {
		cli_print_json(j);
	} else if (j && !strcmp(sub, "add")) {
		printf("witnessing '%s' (log %lld) at %s as %lld: %lld entries, root %s; countersigned and kept\n"
		       "its public key, pinned (%s): %s\n", str(j, "org"), num(j, "org_id"), str(j, "url"), num(j, "id"),
		       num(j, "size"), str(j, "root"), str(j, "pinned"), str(j, "key"));
		if (!key)
			printf("compare this key with the one its keepers give you in person or on paper\n");
	} else if (j && !strcmp(sub, "check")) {
		size_t i;
		json_t *it;
		json_array_foreach(j, i, it) {
			const char *st = str(it, "status");
			int good = !strcmp(st, "extends") || !strcmp(st, "unchanged");
			printf("%s %lld '%s' %s: %s", good ? "ok " : "BAD", num(it, "id"), str(it, "org"), str(it, "url"), st);
			if (good)
				printf(" (%lld -> %lld entries)\n", num(it, "was"), num(it, "size"));
			else
				printf(": %s\n", str(it, "why"));
		}
	} else if (j) {
		size_t i;
		json_t *it;
		json_array_foreach(j, i, it) {
			printf("%lld  '%s' (log %lld)  %s\n    key %s\n    last countersigned %s: %lld entries, root %s\n", num(it, "id"),
			       str(it, "org"), num(it, "org_id"), str(it, "url"), str(it, "key"), str(it, "countersigned"),
			       num(it, "size"), str(it, "root"));
			if (num(it, "contradictions"))
				printf("    contradicted %lld time(s); last: %s\n", num(it, "contradictions"), str(it, "last_contradiction"));
		}
		if (!json_array_size(j))
			printf("no log is witnessed here (fairshare witness add URL)\n");
	} else if (text) {
		fputs(text, stdout);
	}
	int named = j && !strcmp(sub, "check");
	json_decref(j);
	free(text);
	if (r && !named)
		return cli_fail(&err, r);
	if (r) { /* check: each log named above; the summary */
		fprintf(stderr, "fairshare: %s\n", err.message);
		return cli_exit_code(r);
	}
	return EX_OK;
}
