/* cli.h - shared parts of the fairshare command-line front end: global options,
 * opening the database, output helpers, exit codes (sysexits). */
#ifndef FS_CLI_H
#define FS_CLI_H

#include <stdio.h>

#include "core/fairshare.h"

struct cli {
	const char *db;
	const char *key;
	const char *org;
	const char *actor; /* --as: the account acting; NULL: the local operator */
	int json;
	int passphrase_fd; /* -1: none */
	int shares_fd;     /* -1: none */
	unsigned cmd_flags; /* the running command's CMD_* flags (main.c's table) */
	const char *cmd_name;
	char db_buf[4096];
	char actor_buf[64];
};

/* What a command needs, said once in main.c's command table (after git's
 * RUN_SETUP) and held by cli_open for every command. */
enum {
	CMD_NEED_DB = 1 << 0,   /* opens an existing database: a missing one is named (exit 66) */
	CMD_NEED_ORG = 1 << 1,  /* works inside one organization (--org, $FAIRSHARE_ORG or the only one) */
	CMD_NEED_KEY = 1 << 2,  /* reads the data key: a wrapped or split key is unlocked first */
	CMD_OPERATOR_ONLY = 1 << 3, /* the local operator's alone: --as changes nothing */
};

struct cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	unsigned flags; /* CMD_* */
	const char *summary;
};

/* Open the database (flags: FS_INIT, FS_READONLY) and pick the organization
 * (need_org, or the command's CMD_NEED_ORG: an error when none can be chosen);
 * a command marked CMD_NEED_DB is told clearly when the database does not
 * exist, one marked CMD_NEED_KEY unlocks a wrapped or split key, acting as the account of --as
 * (which must exist, be enabled and hold a role in the organization) or as the
 * local operator. Prints errors; returns NULL. */
struct fs_ctx *cli_open(struct cli *c, unsigned flags, int need_org, int *exit_code);
/* A command marked CMD_NEED_DB whose database does not exist: said, with how to
 * make one (EX_NOINPUT); -1 with *exit_code. */
int cli_need_db(struct cli *c, int *exit_code);
/* Print an error ("fairshare: ...") and return its sysexits code. */
int cli_fail(const struct fs_error *err, int rc);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_exit_code(int rc);
void cli_print_json(json_t *j);
/* Display width of UTF-8 text (code points). */
size_t cli_width(const char *s);
int cli_parse_id(const char *s, int64_t *id);
int cli_is_help(const char *arg);

int cmd_entity(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_migrate_store(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_summary(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_entitle(struct cli *c, int argc, char **argv);
int cmd_claims(struct cli *c, int argc, char **argv);
int cmd_watch(struct cli *c, int argc, char **argv);
int cmd_statement(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_fund(struct cli *c, int argc, char **argv);
int cmd_transfer_family(struct cli *c, int argc, char **argv);
int cmd_ledger(struct cli *c, int argc, char **argv);
int cmd_record(struct cli *c, int argc, char **argv);
int cmd_evidence(struct cli *c, int argc, char **argv);
int cmd_key(struct cli *c, int argc, char **argv);
int cmd_policy(struct cli *c, int argc, char **argv);
int cmd_help(struct cli *c, int argc, char **argv);
int cmd_checkpoint(struct cli *c, int argc, char **argv);
int cmd_proof(struct cli *c, int argc, char **argv);
/* verify --checkpoint: each file's signature and the log's consistency with it, in
 * order; the first it contradicts is named (EX_DATAERR). */
int cli_verify_checkpoints(struct fs_ctx *ctx, int nfiles, char **files);
/* fetch.c: an HTTP GET by libcurl, the core's fs_fetch_fn */
int cli_fetch(void *ud, const char *url, size_t max, char **body, size_t *n, struct fs_error *err);
int cmd_witness(struct cli *c, int argc, char **argv);
/* proofs_out.c: the proofs after a statement's or a report's text (why: the reason there are none);
 * qr: their QR codes too; svg_path: their SVG written there. An exit code. */
int cli_proofs_print(const char *proofs, const char *why, int qr, const char *svg_path);
int cli_person_forget(struct cli *c, int argc, char **argv);
int cli_payment_reverse(struct cli *c, int argc, char **argv); /* cmd_reverse.c */
/* unlock.c: get what unlocks a wrapped or split key (once per process); -1 with *exit_code. */
int cli_unlock(struct cli *c, int *exit_code);
/* unlock.c: what cmd_key.c shares with it: the key file's path, a line from a
 * descriptor or the terminal, K shares, their combination; 1 once unlocked */
#define CLI_KEY_LINE_MAX 1024
#define CLI_KEY_MAX_SHARES 255
void cli_key_path(const struct cli *c, char out[4096]);
int cli_read_line_fd(int fd, char *out, size_t cap);
int cli_ask_tty(const char *prompt, char *out, size_t cap);
int cli_get_shares(const struct cli *c, unsigned k, char (*lines)[CLI_KEY_LINE_MAX], size_t *n);
int cli_shares_combine(char (*lines)[CLI_KEY_LINE_MAX], size_t n, unsigned char master[32], struct fs_error *err);
extern int cli_key_unlocked;

/* 1 when this binary runs from its build folder (make run, the tests): the web and
 * rule files are then the source tree's, else the installed ones. */
int cli_in_build_tree(void);

#endif
