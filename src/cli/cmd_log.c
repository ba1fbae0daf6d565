/* cmd_log.c - the Merkle log's commands: checkpoint (make, key, verify) and the
 * checkpoints given to verify (--checkpoint FILE...). */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

enum { CHECKPOINT_FILE_MAX = 16 * 1024 * 1024 }; /* a statement's --json carries its QR codes as SVG */

static const char checkpoint_help[] =
	"usage: fairshare checkpoint [--system] [--signing-key PATH]\n"
	"       fairshare checkpoint key [--signing-key PATH]\n"
	"       fairshare checkpoint verify FILE...\n\n"
	"Prints a signed checkpoint of the organization's log (--org, or the only one;\n"
	"--system: the system log, of accounts and whatever belongs to no organization):\n"
	"its size, its root hash (RFC 9162 Merkle tree\n"
	"head), the time and the public key, signed with the Ed25519 signing key\n"
	"(--signing-key, $FAIRSHARE_SIGNING_KEY, or DB.signing.key beside the key file;\n"
	"made by init). Give it to witnesses: 'fairshare verify --checkpoint FILE' later\n"
	"proves that the log still extends it.\n"
	"'key' makes the signing key when it is missing and prints its public half.\n"
	"'verify' checks each file's signature alone (no database needed).\n";

/* The whole file (at most CHECKPOINT_FILE_MAX bytes); NULL with a message printed. */
static char *read_small(const char *path, size_t *n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fairshare: cannot open %s\n", path);
		return NULL;
	}
	char *buf = malloc(CHECKPOINT_FILE_MAX + 1);
	size_t got = buf ? fread(buf, 1, CHECKPOINT_FILE_MAX + 1, f) : 0;
	if (f != stdin)
		fclose(f);
	if (!buf || got > CHECKPOINT_FILE_MAX) {
		fprintf(stderr, "fairshare: %s is larger than %d bytes: not a checkpoint\n", path, CHECKPOINT_FILE_MAX);
		free(buf);
		return NULL;
	}
	buf[got] = 0;
	*n = got;
	return buf;
}

static void print_cp(const char *file, const struct fs_checkpoint *cp)
{
	char root[65], key[65];
	for (int i = 0; i < 32; i++) {
		snprintf(root + 2 * i, 3, "%02x", cp->root[i]);
		snprintf(key + 2 * i, 3, "%02x", cp->key[i]);
	}
	printf("%s: signature ok: org %s (log %lld), %lld entries, root %s, %s, key %s\n", file, cp->org,
	       (long long)cp->org_id, (long long)cp->size, root, cp->time, key);
}

static int checkpoint_verify(int argc, char **argv)
{
	static const struct cli_option none[] = {CLI_OPT_END()};
	int rc, nfiles = cli_parse_options(argc - 1, argv + 1, none, "checkpoint verify", argc, &rc);
	if (nfiles < 0)
		return rc;
	if (nfiles == 0)
		return cli_usage("checkpoint verify: give the checkpoint FILE(s)");
	char **files = argv + 1; /* the parser left the files first: files[0..nfiles-1] */
	int bad = 0;
	for (int i = 0; i < nfiles; i++) {
		size_t n;
		char *text = read_small(files[i], &n);
		struct fs_checkpoint cp;
		struct fs_error err = {0};
		if (!text) {
			bad = 1;
			continue;
		}
		if (fs_checkpoint_parse(text, n, &cp, &err)) {
			fprintf(stderr, "fairshare: %s: %s\n", files[i], err.message);
			bad = 1;
		} else {
			print_cp(files[i], &cp);
		}
		free(text);
	}
	return bad ? EX_DATAERR : EX_OK;
}

int cmd_checkpoint(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		fputs(checkpoint_help, stdout);
		return EX_OK;
	}
	if (argc > 1 && strcmp(argv[1], "verify") == 0)
		return checkpoint_verify(argc, argv);
	int make_key = argc > 1 && strcmp(argv[1], "key") == 0;
	const char *key = NULL;
	int system = 0, rc;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("signing-key", &key, "NAME", "the signing key (else the default one)"),
		CLI_OPT_FLAG("system", &system, "the system log (accounts, what belongs to no organization)"),
		CLI_OPT_END(),
	};
	if (cli_parse_options(argc - make_key, argv + make_key, opts, make_key ? "checkpoint key" : "checkpoint", 0, &rc) < 0)
		return rc;
	struct fs_ctx *ctx = cli_open(c, 0, !system && !make_key, &rc);
	if (!ctx)
		return rc;
	if (system)
		fs_set_org(ctx, 0, (const char[3]){0}, (const char[4]){0});
	struct fs_error err = {0};
	char *text = NULL, hex[65];
	int r = make_key ? fs_signing_key_create(ctx, key, 1, &err) : fs_checkpoint_make(ctx, key, &text, &err);
	if (!r && make_key)
		r = fs_signing_key_public(ctx, key, hex, &err);
	fs_close(ctx);
	if (r)
		return cli_fail(&err, r);
	if (make_key)
		printf("signing key public half: %s\n", hex);
	else
		fputs(text, stdout);
	free(text);
	return EX_OK;
}

int cli_verify_checkpoints(struct fs_ctx *ctx, int nfiles, char **files)
{
	for (int i = 0; i < nfiles; i++) {
		size_t n;
		char *text = read_small(files[i], &n);
		if (!text)
			return EX_NOINPUT;
		struct fs_checkpoint cp;
		struct fs_error err = {0};
		int r = fs_checkpoint_parse(text, n, &cp, &err);
		free(text);
		if (!r)
			r = fs_checkpoint_check(ctx, &cp, &err);
		if (r) {
			fprintf(stderr, "checkpoint %s contradicts the log: %s\n", files[i], err.message);
			return EX_DATAERR;
		}
		printf("checkpoint %s: the log of '%s' extends it (%lld entries then)\n", files[i], cp.org, (long long)cp.size);
	}
	return EX_OK;
}

int cmd_proof(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 3 || cli_is_help(argv[1]) || strcmp(argv[1], "verify")) {
		fputs("usage: fairshare proof verify FILE\n\nChecks the proofs a statement ends with (the text 'fairshare statement'\n"
		      "prints, its --json, or the text of the printed page): the checkpoint's signature,\n"
		      "and that each payment's and claim's journal entry is in the log it signed.\n"
		      "No database is needed.\n", argc >= 2 && cli_is_help(argv[1]) ? stdout : stderr);
		return argc >= 2 && cli_is_help(argv[1]) ? EX_OK : EX_USAGE;
	}
	static const struct cli_option none[] = {CLI_OPT_END()};
	int rc;
	if (cli_parse_options(argc - 1, argv + 1, none, "proof verify", 1, &rc) < 0)
		return rc;
	size_t n;
	char *text = read_small(argv[1], &n);
	if (!text)
		return EX_NOINPUT;
	json_t *j = json_loadb(text, n, 0, NULL); /* a statement's --json: its "proofs" */
	const char *inner = j ? json_string_value(json_object_get(j, "proofs")) : NULL;
	json_t *rep = NULL;
	struct fs_error err = {0};
	int r = fs_proof_verify(inner ? inner : text, inner ? strlen(inner) : n, &rep, &err);
	json_decref(j);
	free(text);
	if (rep) {
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(rep, "items"), i, it) {
			json_t *a = json_object_get(it, "after");
			printf("%s  %s %lld (journal entry %lld)", json_is_true(json_object_get(it, "ok")) ? "ok " : "BAD",
			       json_string_value(json_object_get(it, "entity")), (long long)json_integer_value(json_object_get(it, "entity_id")),
			       (long long)json_integer_value(json_object_get(it, "seq")));
			if (json_is_integer(json_object_get(a, "amount_minor")))
				printf("  amount_minor %lld", (long long)json_integer_value(json_object_get(a, "amount_minor")));
			printf("\n");
		}
		printf("against the checkpoint of '%s' at %lld entries, %s\n", json_string_value(json_object_get(rep, "org")),
		       (long long)json_integer_value(json_object_get(rep, "size")), json_string_value(json_object_get(rep, "time")));
		json_decref(rep);
	}
	if (r == FS_ECRYPTO) { /* a forged checkpoint is bad data here, not a key problem */
		fprintf(stderr, "fairshare: %s\n", err.message);
		return EX_DATAERR;
	}
	if (r)
		return cli_fail(&err, r);
	return EX_OK;
}
