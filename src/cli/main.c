/* main.c - the fairshare command: global options, then git-style subcommands. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static const struct cmd commands[] = {
	{"init", cmd_init, "create a new database and its key file"},
	{"demo", cmd_demo, "create a database with synthetic demo data"},
	{"summary", cmd_summary, "counts per organization and the journal head"},
	{"org", cmd_entity, "organizations: add, list, show, edit, remove"},
	{"person", cmd_entity, "people: add, list, show, find, edit, remove"},
	{"employer", cmd_entity, "employers: add, list, show, edit, remove"},
	{"workplace", cmd_entity, "workplaces: add, list, show, edit, remove"},
	{"employment", cmd_entity, "employment records: add, list, show, edit, remove"},
	{"membership", cmd_entity, "memberships: add, list, show, edit, remove"},
	{"entitle", cmd_entitle, "what a dismissed worker is owed, step by step (nothing stored)"},
	{"claims", cmd_claims, "claims: compute --workplace ID; add, list, show, edit, remove"},
	{"claim", cmd_claims, "the same as claims"},
	{"promise", cmd_entity, "promises to pay: add, list, show, edit, remove"},
	{"payment", cmd_entity, "payments: add (idempotent with --idempotency-key), list, show, reverse"},
	{"watch", cmd_watch, "the watch: who is paid, what is outstanding, overdue promises"},
	{"statement", cmd_statement, "one worker's statement with the explanation"},
	{"fund", cmd_fund, "solidarity funds: create, list, show, balances"},
	{"account", cmd_entity, "accounts of a fund: add, list, show"},
	{"pledge", cmd_entity, "recurring pledges to a fund: add, list, show, edit"},
	{"transfer", cmd_transfer_family, "a transfer between two accounts of a fund"},
	{"post", cmd_transfer_family, "post a pending transfer"},
	{"void", cmd_transfer_family, "void a pending transfer"},
	{"contribute", cmd_transfer_family, "money in: a contribution to a fund"},
	{"disburse", cmd_transfer_family, "money out: strike pay, family support, legal costs"},
	{"approve", cmd_transfer_family, "approve a disbursement entered by someone else"},
	{"ledger", cmd_ledger, "ledger export --format ledger|beancount|csv"},
	{"record", cmd_record, "the record: duplicates, link, unlink, links"},
	{"incident", cmd_entity, "incidents of repression: add, list, show, edit"},
	{"violation", cmd_entity, "violations (victim x type x incident): add, list, show, edit"},
	{"assessment", cmd_entity, "verification assessments R0-R3, XC, XD, DU: add, list, show"},
	{"report", cmd_entity, "reports: one source's statement each (A-F, 1-6; sealed), never changed"},
	{"detention", cmd_entity, "detentions: arrest, places held, whereabouts, lawyer access, release"},
	{"case", cmd_entity, "legal cases (one prosecution of one person): add, list, show, edit"},
	{"hearing", cmd_entity, "court hearings of a legal case: add, list, show, edit"},
	{"action", cmd_entity, "actions: strikes, marches, rallies, camps ...: add, list, show, edit"},
	{"stage", cmd_entity, "stages of a march (or other action): add, list, show, edit"},
	{"demand", cmd_entity, "demands of an action and their outcome (pending, won, partly_won, lost)"},
	{"citation", cmd_entity, "citations: a report or evidence item supporting an incident or violation"},
	{"evidence", cmd_evidence, "evidence files: add FILE, show, export, verify, list, edit"},
	{"user", cmd_user, "accounts: add, passwd, role, disable, enable, list, token"},
	{"serve", cmd_serve, "the HTTP JSON API (and later the web interface)"},
	{"import", cmd_import, "import people FILE.csv"},
	{"export", cmd_export, "export people, or the record (incidents, violations, ...), as CSV or JSON"},
	{"log", cmd_log, "list journal entries"},
	{"verify", cmd_verify, "check the journal chain and the database"},
	{"checkpoint", cmd_checkpoint, "a signed checkpoint of the log; checkpoint verify FILE"},
	{"proof", cmd_proof, "proof verify FILE: the proofs a statement ends with"},
	{"witness", cmd_witness, "witness add URL|check|list|show ID|verify FILE: keep other instances' checkpoints"},
	{"backup", cmd_backup, "write a whole copy of the database and evidence to FILE, plain or sealed"},
	{"restore", cmd_restore, "bring back a sealed backup FILE as DEST, verified"},
	{"migrate-store", cmd_migrate_store, "copy the whole installation FROM TO (SQLite <-> PostgreSQL), verified"},
	{"key", cmd_key, "the data key: status, wrap --passphrase, unwrap, split, unlock, rotate"},
	{"policy", cmd_policy, "the capability table: roles, capabilities, handling levels (JSON)"},
};

static void usage(FILE *out)
{
	fputs("usage: fairshare [--db PATH] [--key PATH] [--org SLUG] [--as NAME] [--json] COMMAND [ARGS]\n\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fputs("\nGlobal options (anywhere on the line):\n"
	      "  --db PATH    database file (else $FAIRSHARE_DB, else $XDG_DATA_HOME/fairshare/fairshare.db),\n"
	      "               or a PostgreSQL database: postgres://[user@host]/dbname (needs --key)\n"
	      "  --key PATH   key file for sealed fields (else $FAIRSHARE_KEY, else PATH.key)\n"
	      "  --org SLUG   organization to work in (else $FAIRSHARE_ORG; needed when there are several)\n"
	      "  --as NAME    act as this account, with its role's rights (else $FAIRSHARE_AS); without it\n"
	      "               the local operator acts, who holds the database and key files (journal: operator)\n"
	      "  --json       machine-readable output on read commands\n"
	      "  --passphrase-fd N  read the key's passphrase from file descriptor N\n"
	      "  --shares-fd N      read the key's shares (one a line) from file descriptor N\n"
	      "  --version    print the version\n\n"
	      "'fairshare COMMAND --help' describes a command. See fairshare(1).\n", out);
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static void default_paths(struct cli *c)
{
	if (!c->db)
		c->db = env("FAIRSHARE_DB");
	if (!c->db) {
		const char *data = env("XDG_DATA_HOME");
		const char *home = env("HOME");
		if (data)
			snprintf(c->db_buf, sizeof(c->db_buf), "%s/fairshare/fairshare.db", data);
		else
			snprintf(c->db_buf, sizeof(c->db_buf), "%s/.local/share/fairshare/fairshare.db", home ? home : ".");
		c->db = c->db_buf;
	}
	if (!c->key)
		c->key = env("FAIRSHARE_KEY");
	if (!c->org)
		c->org = env("FAIRSHARE_ORG");
	if (!c->actor)
		c->actor = env("FAIRSHARE_AS");
	if (!c->actor)
		c->actor = env("FAIRSHARE_ACTOR"); /* its older name */
	/* none: the local operator, who holds the database and key files */
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	c.passphrase_fd = c.shares_fd = -1;
	if (!cli_in_build_tree()) /* installed: the rule files under $(datadir)/fairshare/rules */
		fs_rules_use_dir(FS_RULES_DIR);
	/* Take the global options out of argv, wherever they stand (before a "--"). */
	int n = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = strcmp(a, "--db") == 0 ? &c.db : strcmp(a, "--key") == 0 ? &c.key
				  : strcmp(a, "--org") == 0 ? &c.org : strcmp(a, "--as") == 0 ? &c.actor : NULL;
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (slot) {
			if (i + 1 >= argc)
				return cli_usage("%s needs a value", a);
			*slot = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			c.db = a + 5;
		} else if (strncmp(a, "--org=", 6) == 0) {
			c.org = a + 6;
		} else if (strncmp(a, "--key=", 6) == 0) {
			c.key = a + 6;
		} else if (strcmp(a, "--passphrase-fd") == 0 || strcmp(a, "--shares-fd") == 0) {
			char *end;
			long fd = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : -1;
			if (i + 1 >= argc || *end || fd < 0 || fd > 1023)
				return cli_usage("%s needs a file descriptor number", a);
			*(a[2] == 'p' ? &c.passphrase_fd : &c.shares_fd) = (int)fd;
			i++;
		} else if (strcmp(a, "--json") == 0) {
			c.json = 1;
		} else {
			argv[n++] = argv[i];
		}
	}
	argc = n;
	argv[argc] = NULL;
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("fairshare %s\n", FS_VERSION);
		return EX_OK;
	}
	if (cli_is_help(argv[1])) {
		usage(stdout);
		return EX_OK;
	}
	default_paths(&c);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(&c, argc - 1, argv + 1);
	return cli_usage("'%s' is not a fairshare command", argv[1]);
}
