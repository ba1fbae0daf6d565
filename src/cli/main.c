/* main.c - the fairshare command: global options, then git-style subcommands. */
#include "cli.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static const struct cmd commands[] = {
	{"init", cmd_init, CMD_OPERATOR_ONLY, "create a new database and its key file"},
	{"demo", cmd_demo, CMD_OPERATOR_ONLY, "create a database with synthetic demo data"},
	{"summary", cmd_summary, CMD_NEED_DB | CMD_NEED_KEY, "counts per organization and the journal head"},
	{"org", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY, "organizations: add, list, show, edit, remove"},
	{"person", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "people: add, list, show, find, edit, remove"},
	{"employer", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "employers: add, list, show, edit, remove"},
	{"workplace", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "workplaces: add, list, show, edit, remove"},
	{"employment", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "employment records: add, list, show, edit, remove"},
	{"membership", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "memberships: add, list, show, edit, remove"},
	{"entitle", cmd_entitle, 0, "what a dismissed worker is owed, step by step (nothing stored)"},
	{"claims", cmd_claims, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "claims: compute --workplace ID; add, list, show, edit, remove"},
	{"claim", cmd_claims, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "the same as claims"},
	{"promise", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "promises to pay: add, list, show, edit, remove"},
	{"payment", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "payments: add (idempotent with --idempotency-key), list, show, reverse"},
	{"watch", cmd_watch, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "the watch: who is paid, what is outstanding, overdue promises"},
	{"statement", cmd_statement, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "one worker's statement with the explanation"},
	{"fund", cmd_fund, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "solidarity funds: create, list, show, balances"},
	{"account", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "accounts of a fund: add, list, show"},
	{"pledge", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "recurring pledges to a fund: add, list, show, edit"},
	{"transfer", cmd_transfer_family, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "a transfer between two accounts of a fund"},
	{"post", cmd_transfer_family, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "post a pending transfer"},
	{"void", cmd_transfer_family, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "void a pending transfer"},
	{"contribute", cmd_transfer_family, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "money in: a contribution to a fund"},
	{"disburse", cmd_transfer_family, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "money out: strike pay, family support, legal costs"},
	{"approve", cmd_transfer_family, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "approve a disbursement entered by someone else"},
	{"ledger", cmd_ledger, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "ledger export --format ledger|beancount|csv"},
	{"record", cmd_record, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "the record: duplicates, link, unlink, links"},
	{"incident", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "incidents of repression: add, list, show, edit"},
	{"violation", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "violations (victim x type x incident): add, list, show, edit"},
	{"assessment", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "verification assessments R0-R3, XC, XD, DU: add, list, show"},
	{"report", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "reports: one source's statement each (A-F, 1-6; sealed), never changed"},
	{"detention", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "detentions: arrest, places held, whereabouts, lawyer access, release"},
	{"case", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "legal cases (one prosecution of one person): add, list, show, edit"},
	{"hearing", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "court hearings of a legal case: add, list, show, edit"},
	{"action", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "actions: strikes, marches, rallies, camps ...: add, list, show, edit"},
	{"stage", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "stages of a march (or other action): add, list, show, edit"},
	{"demand", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "demands of an action and their outcome (pending, won, partly_won, lost)"},
	{"citation", cmd_entity, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "citations: a report or evidence item supporting an incident or violation"},
	{"evidence", cmd_evidence, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "evidence files: add FILE, show, export, verify, list, edit"},
	{"user", cmd_user, CMD_NEED_DB | CMD_NEED_KEY, "accounts: add, passwd, role, disable, enable, list, token"},
	{"serve", cmd_serve, CMD_NEED_DB | CMD_NEED_KEY, "the HTTP JSON API (and later the web interface)"},
	{"import", cmd_import, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "import people FILE.csv"},
	{"export", cmd_export, CMD_NEED_DB | CMD_NEED_KEY | CMD_NEED_ORG, "export people, or the record (incidents, violations, ...), as CSV or JSON"},
	{"log", cmd_log, CMD_NEED_DB | CMD_NEED_KEY, "list journal entries"},
	{"verify", cmd_verify, CMD_NEED_DB | CMD_NEED_KEY | CMD_OPERATOR_ONLY, "check the journal chain and the database"},
	{"checkpoint", cmd_checkpoint, CMD_NEED_DB | CMD_NEED_KEY, "a signed checkpoint of the log; checkpoint verify FILE"},
	{"proof", cmd_proof, 0, "proof verify FILE: the proofs a statement ends with"},
	{"backup", cmd_backup, CMD_NEED_DB | CMD_NEED_KEY | CMD_OPERATOR_ONLY, "write a whole copy of the database and evidence to FILE, plain or sealed"},
	{"restore", cmd_restore, CMD_OPERATOR_ONLY, "bring back a sealed backup FILE as DEST, verified"},
	{"migrate-store", cmd_migrate_store, CMD_OPERATOR_ONLY, "copy the whole installation FROM TO (SQLite <-> PostgreSQL), verified"},
	{"witness", cmd_witness, CMD_NEED_DB | CMD_NEED_KEY, "witness add URL|check|list|show ID|verify FILE: keep other instances' checkpoints"},
	{"key", cmd_key, CMD_NEED_DB | CMD_NEED_KEY | CMD_OPERATOR_ONLY, "the data key: status, wrap --passphrase, unwrap, split, unlock, rotate"},
	{"help", cmd_help, 0, "the commands (this list); help COMMAND: what a command takes"},
	{"policy", cmd_policy, 0, "the capability table: roles, capabilities, handling levels (JSON)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* What a command needs, as help shows it ("db org key", "operator"). */
static void needs(unsigned f, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s", f & CMD_NEED_DB ? "db " : "", f & CMD_NEED_ORG ? "org " : "", f & CMD_NEED_KEY ? "key " : "",
		 f & CMD_OPERATOR_ONLY ? "operator " : "");
	if (!*out)
		snprintf(out, n, "-");
}

static void usage(FILE *out)
{
	fputs("usage: fairshare [--db PATH] [--key PATH] [--org SLUG] [--as NAME] [--json] COMMAND [ARGS]\n\n"
	      "Commands (needs: db = an existing database, org = an organization, key = the data key,\n"
	      "operator = the local operator's alone):\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char nd[48];
		needs(commands[i].flags, nd, sizeof(nd));
		fprintf(out, "  %-13s %-18s %s\n", commands[i].name, nd, commands[i].summary);
	}
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
	      "'fairshare COMMAND --help' (or 'fairshare help COMMAND') describes a command. See fairshare(1).\n", out);
}

static const struct cmd *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* help: the table; help COMMAND: that command's own help. */
int cmd_help(struct cli *c, int argc, char **argv)
{
	static const struct cli_option none[] = {CLI_OPT_END()};
	int rc, n = cli_parse_options(argc, argv, none, "help", 1, &rc);
	if (n < 0)
		return rc;
	if (n == 0) {
		usage(stdout);
		return EX_OK;
	}
	const struct cmd *cmd = find_command(argv[0]);
	if (!cmd || cmd->fn == cmd_help)
		return cmd ? (usage(stdout), EX_OK) : cli_usage("'%s' is not a fairshare command", argv[0]);
	char *args[] = {(char *)cmd->name, "--help", NULL};
	c->cmd_flags = cmd->flags;
	c->cmd_name = cmd->name;
	return cmd->fn(c, 2, args);
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
	/* Take the global options out of argv, wherever they stand (before a "--"):
	 * the one option parser, leaving the command's words and options in order. */
	int64_t pfd = -1, sfd = -1;
	const struct cli_option globals[] = {
		CLI_OPT_STRING("db", &c.db, "PATH", "the database"),
		CLI_OPT_STRING("key", &c.key, "PATH", "the key file"),
		CLI_OPT_STRING("org", &c.org, "SLUG", "the organization"),
		CLI_OPT_STRING("as", &c.actor, "NAME", "the account acting"),
		CLI_OPT_FLAG("json", &c.json, "JSON output"),
		CLI_OPT_INT("passphrase-fd", &pfd, "FD", "the key's passphrase from this file descriptor", 0, 1023),
		CLI_OPT_INT("shares-fd", &sfd, "FD", "the key's shares from this file descriptor", 0, 1023),
		CLI_OPT_END(),
	};
	int rc;
	argc = cli_parse_options_ex(argc, argv, globals, "fairshare", 0, CLI_KEEP_UNKNOWN, &rc);
	if (argc < 0)
		return rc;
	c.passphrase_fd = (int)pfd;
	c.shares_fd = (int)sfd;
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("fairshare %s\n", FS_VERSION);
		return EX_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) { /* "help" is a command of the table */
		usage(stdout);
		return EX_OK;
	}
	default_paths(&c);
	const struct cmd *cmd = find_command(argv[1]);
	if (!cmd)
		return cli_usage("'%s' is not a fairshare command", argv[1]);
	c.cmd_flags = cmd->flags;
	c.cmd_name = cmd->name;
	if (cmd->flags & CMD_OPERATOR_ONLY)
		c.actor = NULL; /* the local operator's alone: naming an account changes nothing */
	return cmd->fn(&c, argc - 1, argv + 1);
}
