/* fairshare.h - the public API of the fairshare core library.
 *
 * Every front end (the CLI, later the HTTP server, the tests) calls these
 * functions; nothing here prints or exits. Conventions: functions return 0 or a
 * negative FS_E* code and fill struct fs_error; out-parameters (ret_*) are written
 * only on success; JSON results are Jansson objects owned by the caller
 * (json_decref). Every change runs in one transaction together with its journal
 * entry. */
#ifndef FAIRSHARE_H
#define FAIRSHARE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/date.h"
#include "../util/error.h"

#define FS_VERSION "0.1.0"

struct fs_ctx;
struct fs_entity;

enum {
	FS_INIT = 1,     /* create the database and its key file */
	FS_READONLY = 2, /* open for reading only */
	FS_ROTATE = 4,   /* open while a key rotation is unfinished (to finish it) */
	FS_ASIS = 8,     /* read only and as it is: an older schema is not migrated (backup) */
	FS_SHARED = 16,  /* one of a server's contexts: a bulk write never takes the file alone (fs_tx_begin_bulk) */
};

/* Take a jurisdiction's rules from DIR/<code>.json when that file is there (the
 * installed rule files, $(datadir)/fairshare/rules), else the built-in copy;
 * FAIRSHARE_RULES still comes first. Call before any rules are loaded. */
void fs_rules_use_dir(const char *dir);

/* A field given as text, as typed on the command line or read from a CSV cell.
 * value NULL or "" clears an optional field. */
struct fs_kv {
	const char *key;
	const char *value;
};

/* ---- opening ---- */
/* key_path NULL: DB_PATH.key. */
/* Is the database name a server's (postgres://...), not a file path? */
int fs_db_is_server(const char *db);
int fs_open(const char *db_path, const char *key_path, unsigned flags, struct fs_ctx **ret,
	    struct fs_error *err);
void fs_close(struct fs_ctx *ctx);
/* Who is acting, recorded in the journal (e.g. "cli:alice"). Copied. */
void fs_set_actor(struct fs_ctx *ctx, const char *actor);
/* 0 when actor can name who acts in the journal: one line of UTF-8 text, no control
 * or direction-control character; FS_EINVAL with the reason otherwise. */
int fs_actor_check(const char *actor, struct fs_error *err);
/* ---- the principal: who acts (principal.c) ----
 * Every call runs as a principal: an account, the local operator or nobody. The
 * journal and the transfer log name it the same way from every front end:
 * "user:ID NAME" (the account's id and its name at the time), "operator". A new
 * context acts as the operator: whoever holds the database and key files, who may
 * do anything an account may (init, migrations, verify, backup and the first admin
 * are the operator's alone) but is never the second person of a payout. */
enum { FS_OPERATOR = 0, FS_NOBODY = -1 };
/* Act as the enabled account username (NULL or "": the operator). FS_ENOTFOUND
 * when there is no such account, FS_EPERM when it is disabled. */
int fs_act_as(struct fs_ctx *ctx, const char *username, struct fs_error *err);
/* Act as the account with this id (after a session or token check); on failure
 * the context acts as nobody. */
int fs_act_as_user(struct fs_ctx *ctx, int64_t user_id, struct fs_error *err);
void fs_act_as_operator(struct fs_ctx *ctx);
/* Nobody: every capability is refused (before a login). */
void fs_act_as_nobody(struct fs_ctx *ctx);
/* The account id acting, FS_OPERATOR or FS_NOBODY; and how the journal names it. */
int64_t fs_principal(const struct fs_ctx *ctx);
const char *fs_principal_name(const struct fs_ctx *ctx);
/* 1 when the principal holds the capability (policy.h) in the current organization. */
int fs_principal_can(struct fs_ctx *ctx, const char *capability);
/* 0, or FS_EPERM saying who may not do what. */
int fs_principal_require(struct fs_ctx *ctx, const char *capability, struct fs_error *err);
/* 0 when the principal holds a role in the current organization (the operator
 * always does); else FS_ENOTFOUND (the organization does not exist for it, as in
 * the API), FS_EPERM for nobody. */
int fs_principal_in_org(struct fs_ctx *ctx, struct fs_error *err);
/* The account id an actor text of the journal or transfer log names
 * ("user:3 treasurer" -> 3); 0 for the operator and for entries of before ids. */
int64_t fs_actor_account(const char *actor);
/* 1 when actor (as stored) names the principal: by account id, or for an entry of
 * before ids by the account's name. */
int fs_actor_is_principal(const struct fs_ctx *ctx, const char *actor);

/* 1 when the principal holds the capability in the current organization (the
 * same as fs_principal_can; handling.c asks it for every handling level). */
int fs_can(struct fs_ctx *ctx, const char *capability);
/* Select the organization later calls work in: a slug or id; NULL picks the only
 * one (an error naming the choices when there are several). */
int fs_use_org(struct fs_ctx *ctx, const char *slug_or_id, struct fs_error *err);
int64_t fs_org(const struct fs_ctx *ctx);

/* Group several changes in one transaction (nests; the outermost end commits, or
 * rolls back when rc != 0). */
int fs_tx_begin(struct fs_ctx *ctx, struct fs_error *err);
int fs_tx_end(struct fs_ctx *ctx, int rc, struct fs_error *err);
/* fs_tx_begin for a write of many rows (an import, a claims compute) of about
 * rows rows: from FS_BULK_ROWS on, when the transaction is the outermost and
 * no other connection has the database open, SQLite writes it through its
 * rollback journal, each page once (store.h, bulk), and other processes wait
 * to open the file until it ends; fs_tx_end goes back to WAL. Smaller writes
 * stay in WAL, where readers never wait. */
#define FS_BULK_ROWS 5000
int fs_tx_begin_bulk(struct fs_ctx *ctx, int64_t rows, struct fs_error *err);

/* ---- entities of the people register ---- */
enum fs_fkind { FK_TEXT, FK_NAME, FK_CODE, FK_DATE, FK_MONEY, FK_BOOL, FK_REF, FK_ENUM, FK_COUNT /* whole number >= 0 */,
		FK_TIME /* UTC date and time, stored 2011-12-16T11:30:00Z */ };

enum {
	FF_REQUIRED = 1,
	FF_SEALED = 2,    /* encrypted at rest, shown only when revealed */
	FF_LOOKUP = 4,    /* also kept as a keyed hash, unique in the organization */
	FF_IMMUTABLE = 8, /* set on creation only */
	FF_UNIQUE = 16,   /* unique in the organization */
	FF_IDEMPOTENCY = 32, /* the same value again with the same fields = the same record */
	FF_RESTRICTED = 64, /* free text sealed at rest while the record's handling is restricted or
			     * sealed (always, in an entity without a handling level); shown to
			     * whoever may see the record, like an ordinary field */
};

struct fs_field {
	const char *name;
	enum fs_fkind kind;
	unsigned flags;
	unsigned max;                /* FK_TEXT/FK_NAME: characters; FK_CODE: exact length */
	const char *ref;             /* FK_REF: entity name */
	const char *const *values;   /* FK_ENUM: NULL-terminated */
	const char *help;
};

const struct fs_entity *fs_entity_find(const char *name); /* "person" or "people" */
const char *fs_entity_name(const struct fs_entity *e);
const char *fs_entity_plural(const struct fs_entity *e);
size_t fs_entity_nfields(const struct fs_entity *e);
const struct fs_field *fs_entity_field(const struct fs_entity *e, size_t i);
/* The field shown as a record's name in lists (e.g. full_name). */
const char *fs_entity_label(const struct fs_entity *e);

int fs_create(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *kv, size_t n,
	      int64_t *ret_id, struct fs_error *err);
/* As fs_create; for an entity with an idempotency field, the same key with the
 * same fields returns the existing record (*ret_existed = 1) and writes nothing. */
int fs_create_ex(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *kv, size_t n,
		 int64_t *ret_id, int *ret_existed, struct fs_error *err);
/* A payment is never edited: this records its reversal (negative amount). kv may
 * give note, paid_on (default today), reference, idempotency_key. */
int fs_payment_reverse(struct fs_ctx *ctx, int64_t id, const struct fs_kv *kv, size_t n, int64_t *ret_id,
		       struct fs_error *err);
/* payment_reverse.c: the reversal of a payment as a user asks for it: the reason
 * (required, kept as the reversal's note) and the payment's amount (must match:
 * the user confirms what is cancelled); paid_on (default today) and
 * idempotency_key optional. Needs payments.write; journaled with the principal.
 * FS_ENOTFOUND (another organization's), FS_ECONFLICT (reversed before),
 * FS_EINVAL (a reversal, no reason, another amount). */
struct fs_reversal {
	int64_t payment_id;
	const char *reason;
	int has_amount;
	int64_t amount_minor;
	const char *paid_on, *idempotency_key;
};
int fs_payment_reversal(struct fs_ctx *ctx, const struct fs_reversal *r, int64_t *ret_id, struct fs_error *err);
int fs_update(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, const struct fs_kv *kv,
	      size_t n, struct fs_error *err);
int fs_remove(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err);

enum { FS_REVEAL = 1 /* include sealed fields in the output */, FS_PUBLIC_ONLY = 2 /* public records, no sealed fields */ };
int fs_get(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, unsigned flags, json_t **ret,
	   struct fs_error *err);

struct fs_list_opts {
	const char *search;          /* folded substring of the label; NULL = all */
	const struct fs_kv *filters; /* field = value */
	size_t nfilters;
	int64_t limit;               /* 0 = default 100; max 10000 */
	int64_t offset;
	unsigned flags;              /* FS_REVEAL */
};
/* *ret is {"total": N, "items": [...]} */
int fs_list(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, json_t **ret,
	    struct fs_error *err);

/* The same list as JSON text appended to out (the server sends it as it is). */
struct fs_buf;
int fs_list_text(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, struct fs_buf *out,
		 struct fs_error *err);
/* Changes whenever another connection changed the database: a front end's
 * cache of lookups is valid while this stays the same. */
int64_t fs_data_version(struct fs_ctx *ctx);
/* The current organization's country and currency; and setting all three from
 * a cache filled by fs_use_org. */
int fs_org_info(const struct fs_ctx *ctx, char country[3], char currency[4]);
void fs_set_org(struct fs_ctx *ctx, int64_t id, const char country[3], const char currency[4]);
/* A read transaction around several reads: one snapshot, fewer locks. */
int fs_read_begin(struct fs_ctx *ctx, struct fs_error *err);
void fs_read_end(struct fs_ctx *ctx);
/* 1 when ctx holds no transaction, read or write, and no statement part way
 * through: what a server checks of a context before it lends it again. */
int fs_idle(struct fs_ctx *ctx);

/* Forget a person: destroy the key of their own that seals their sealed fields
 * (crypto-shredding). The record, its name and the journal stay (counts and
 * verify hold); the entry says who and why. */
int fs_person_forget(struct fs_ctx *ctx, int64_t person, const char *reason, struct fs_error *err);
/* Re-seal every sealed value under a new data key, in batches of batch rows (one
 * transaction each, journaled 'rekey'), resumable: after a crash run it again.
 * The new key file is written beside the old one (KEY.new, in the same form) and
 * replaces it at the end. *resealed: values re-sealed by this run. */
int fs_key_rotate(struct fs_ctx *ctx, int64_t batch, int64_t *resealed, struct fs_error *err);
/* The same; a key split among officers is rotated into new shares (as many, the
 * same threshold) written to shares_dir/share-I.txt before anything is sealed with
 * it (required for a split key; a rerun after a crash needs the old shares). */
int fs_key_rotate_to(struct fs_ctx *ctx, int64_t batch, const char *shares_dir, int64_t *resealed,
		     struct fs_error *err);
int fs_person_by_national_id(struct fs_ctx *ctx, const char *national_id, int64_t *ret_id,
			     struct fs_error *err);

/* ---- CSV import and export of people (import.c, export.c) ---- */
struct fs_import_opts {
	FILE *in;
	const char *name;            /* for messages */
	const struct fs_kv *map;     /* column header -> field name ("-" to ignore) */
	size_t nmap;
	int skip_invalid;            /* store the valid rows, reject the others */
	FILE *rejects;               /* with skip_invalid: the rejected rows + reason */
	int dry_run;                 /* validate only */
	size_t max_errors;           /* row errors kept in the report (0 = 1000) */
	const char *encoding;        /* NULL/"auto": a byte-order mark, else UTF-8; or an iconv name */
	char separator;              /* ',' ';' '\t', 0 = the one the header line uses */
};

struct fs_import_row_error {
	long line;
	int column;                  /* 1-based, 0 = the whole row */
	char field[48];
	char message[200];
};

struct fs_import_report {
	long rows;
	long inserted, updated, unchanged, rejected;
	long employments_inserted, employments_updated;
	long nerrors;                /* all row errors; errors[] holds the first ones */
	struct fs_import_row_error *errors;
	size_t errors_kept;
	char encoding[32];           /* the encoding read, e.g. "UTF-8", "UTF-16LE", "WINDOWS-1254" */
	char separator;              /* the separator used */
	char suggested[160];         /* not UTF-8: the encodings that read it cleanly, ", "-separated */
	/* SQLite's second thread (import.c): new rows stored with the seal it made ahead,
	 * and rows it sealed for an id they did not get, sealed again (for the tests) */
	long sealed_ahead, sealed_again;
};
/* An import separator from its name: NULL or "auto" (0), "comma" or ",", "semicolon" or ";",
 * "tab" or a tab. FS_EINVAL for anything else. */
int fs_import_separator(const char *name, char *sep, struct fs_error *err);
/* 0 when an import can read the encoding name (NULL, "" and "auto" too), else FS_EINVAL. */
int fs_import_encoding(const char *name, struct fs_error *err);
/* Atomic unless skip_invalid: any bad row and nothing is stored (FS_EINVAL, the
 * report lists every bad row). */
int fs_import_people(struct fs_ctx *ctx, const struct fs_import_opts *o, struct fs_import_report *rep,
		     struct fs_error *err);
void fs_import_report_done(struct fs_import_report *rep);
/* The field names import understands and their accepted header aliases. */
const char *const *fs_import_aliases(const char *field);

enum fs_export_format { FS_EXPORT_CSV, FS_EXPORT_JSON };
int fs_export_people(struct fs_ctx *ctx, FILE *out, enum fs_export_format fmt, unsigned flags,
		     struct fs_error *err);
/* Any owned entity (the record's: incidents, violations, actions ...) as CSV (id and
 * every field; sealed ones with FS_REVEAL) or JSON; FS_PUBLIC_ONLY: public
 * records only and never a sealed field. */
int fs_export_records(struct fs_ctx *ctx, const struct fs_entity *e, FILE *out, enum fs_export_format fmt, unsigned flags,
		      struct fs_error *err);
/* A person picker's page (pick.c): people whose name holds text (folded), or,
 * when text has a digit, whose register number is text; at most limit (1 to
 * FS_PICK_MAX, 0 = 10). *ret: {"total", "items": [{id, full_name, external_id,
 * birth_year?}]}: nothing else of a person. The birth year (of the sealed birth
 * date) only for a role with people.reveal, and only the page's rows unsealed. */
#define FS_PICK_MAX 20
int fs_people_pick(struct fs_ctx *ctx, const char *text, int64_t limit, json_t **ret, struct fs_error *err);
/* Write one CSV cell, quoting as needed and neutralising spreadsheet formulas. */
int fs_csv_write_cell(FILE *out, const char *s, size_t n);

/* ---- journal (journal.c) ---- */
struct fs_verify_report {
	int64_t entries;
	int64_t rows;
	int64_t problems;
	int64_t first_bad_seq;       /* 0 when the chain holds */
	int64_t warnings;            /* "warning: " lines in text: files others can read, temporaries left */
	char head_hash[65];
	char *text;                  /* one problem per line; caller frees */
};
/* migrate-store: the whole installation FROM -> TO (a new SQLite file or an empty
 * PostgreSQL database), verified on both ends (migrate_store.c). */
struct fs_migrate_report {
	int64_t entries, rows, files;
	char head[65];
};
int fs_migrate_store(const char *from, const char *to, const char *key_path, struct fs_migrate_report *rep,
		     struct fs_error *err);
/* 0 when everything holds; FS_EINTEGRITY with the report filled otherwise. */
int fs_verify(struct fs_ctx *ctx, struct fs_verify_report *rep, struct fs_error *err);

/* ---- signed checkpoints of the Merkle log (checkpoint.c; doc/journal.md) ---- */
struct fs_checkpoint {
	char org[64];
	int64_t org_id, size;
	unsigned char root[32], key[32], sig[64];
	char time[32];
};
/* The signing key's path: $FAIRSHARE_SIGNING_KEY, else beside the key file (DB.signing.key). */
void fs_signing_key_default(const struct fs_ctx *ctx, char out[4096]);
/* A new Ed25519 signing key at path (NULL: the default), mode 0600, never over an
 * existing file (keep_existing: an existing one is kept and used). */
int fs_signing_key_create(struct fs_ctx *ctx, const char *path, int keep_existing, struct fs_error *err);
int fs_signing_key_public(struct fs_ctx *ctx, const char *path, char hex[65], struct fs_error *err);
/* A signed checkpoint of the current organization's log (the system log when
 * none), kept in the database; *ret is its text (caller frees). */
int fs_checkpoint_make(struct fs_ctx *ctx, const char *key_path, char **ret, struct fs_error *err);
int fs_checkpoint_latest(struct fs_ctx *ctx, int64_t org, char **ret, struct fs_error *err);
/* checkpoint_due.c: a checkpoint of every organization's log that grew since its latest one,
 * kept (the server's schedule); *made how many. */
int fs_checkpoints_due(struct fs_ctx *ctx, const char *key_path, int *made, struct fs_error *err);
/* Find a checkpoint in text and check its signature: FS_EINVAL malformed, FS_ECRYPTO forged. */
int fs_checkpoint_parse(const char *text, size_t n, struct fs_checkpoint *cp, struct fs_error *err);
/* 0 when the current log extends the one the checkpoint saw; FS_EINTEGRITY saying how not. */
int fs_checkpoint_check(struct fs_ctx *ctx, const struct fs_checkpoint *cp, struct fs_error *err);
/* proof.c: the proofs of a person's payments and claims (each one's last journal
 * entry, its index and inclusion path) and a checkpoint signed now, as text. */
int fs_statement_proofs(struct fs_ctx *ctx, int64_t person, char **ret, struct fs_error *err);
/* The same for a fund's public report: every journal entry about the fund (its rows, each batch of
 * transfers with the ledger chain's head it bound), and a checkpoint signed now. */
int fs_fund_report_proofs(struct fs_ctx *ctx, int64_t fund, char **ret, struct fs_error *err);
/* qr.c: such a block as QR codes (cut into parts of at most 1000 bytes, one code each, joined in
 * order by the reader): as text, a heading line per part and the code in UTF-8 half blocks; or as
 * one SVG, the parts one under the other (data-parts="K"). *ret caller frees. */
int fs_qr_text(const char *text, char **ret, struct fs_error *err);
int fs_qr_svg(const char *text, char **ret, struct fs_error *err);
/* Sets j's "proofs" (the block, or null), "proof_qr_svg" (its QR codes as SVG, or null) and, without
 * proofs, "proofs_missing" (why): the statement's and the fund report's JSON. */
void fs_proofs_attach(json_t *j, const char *proofs, const struct fs_error *why);
/* The same; qr 0: no "proof_qr_svg" key at all (not asked for: most of the bytes), 1: as above. */
void fs_proofs_attach_qr(json_t *j, const char *proofs, const struct fs_error *why, int qr);
/* Check such a text alone (no database): *ret {ok, org, size, root, time, items[{ok, entity, entity_id, seq,
 * after}]} also when some fail (FS_EINTEGRITY); FS_EINVAL/FS_ECRYPTO for a malformed or forged checkpoint. */
int fs_proof_verify(const char *text, size_t n, json_t **ret, struct fs_error *err);

/* ---- witnesses (witness.c; doc/journal.md): this instance keeps, checks and
 * countersigns the public checkpoints of other instances' logs ---- */
/* Fetch url: *body (NUL-terminated, caller frees) of at most max bytes, or FS_EIO
 * with err saying why. The front end gives it (the CLI: libcurl); the core does no I/O of its own. */
typedef int (*fs_fetch_fn)(void *ud, const char *url, size_t max, char **body, size_t *n, struct fs_error *err);
struct fs_witness_io {
	fs_fetch_fn fetch;
	void *ud;
	const char *signing_key; /* this instance's (NULL: the default path) */
};
/* Witness the log whose public checkpoint is at url (.../api/v1/orgs/ORG/checkpoint): the
 * checkpoint fetched, its signature checked, its key pinned (key_hex when given and it must
 * match, else the key it is signed with: trust on first use), countersigned and kept.
 * *ret {id, url, org, org_id, size, root, key, pinned}. FS_ECONFLICT when url is witnessed already. */
int fs_witness_add(struct fs_ctx *ctx, const char *url, const char *key_hex, const struct fs_witness_io *io,
		   json_t **ret, struct fs_error *err);
/* Fetch every witnessed log again (only id when id > 0): its new checkpoint must be signed by the
 * pinned key and extend the last one kept (the remote's consistency proof, RFC 9162); a log that
 * grew is countersigned and kept. *ret [{id, url, org, status: extends|unchanged|contradicts|
 * unreachable, size, was, why}]; FS_EINTEGRITY when any contradicts (else FS_EIO when any could not be fetched). */
int fs_witness_check(struct fs_ctx *ctx, int64_t id, const struct fs_witness_io *io, json_t **ret, struct fs_error *err);
int fs_witness_list(struct fs_ctx *ctx, json_t **ret, struct fs_error *err);
/* The latest countersigned checkpoint of witnessed log id: text a third party checks (fs_witness_verify). */
int fs_witness_show(struct fs_ctx *ctx, int64_t id, char **ret, struct fs_error *err);
/* A countersigned checkpoint checked alone: the checkpoint's signature and the witness's.
 * *ret {url, witnessed, witness_key, org, org_id, size, root, time, key}. */
int fs_witness_verify(const char *text, size_t n, json_t **ret, struct fs_error *err);
/* The consistency proof between sizes from and to (0 < from <= to <= the log's size) of org's log:
 * *ret {org, from, to, proof: [hex...]} (the public route a witness asks). */
int fs_log_consistency_json(struct fs_ctx *ctx, int64_t org, int64_t from, int64_t to, json_t **ret, struct fs_error *err);

struct fs_log_opts {
	const char *entity;
	int64_t entity_id;
	int64_t person_id;
	int64_t org_id;              /* 0 = every organization */
	const char *since;           /* date or timestamp, inclusive */
	const char *until;
	int64_t limit;
	int64_t offset;
	int descending;
};
int fs_log(struct fs_ctx *ctx, const struct fs_log_opts *o, json_t **ret, struct fs_error *err);

/* ---- entitlements: what a dismissed worker is owed (entitle.c, rules.c) ---- */
struct fs_entitle_in {
	char jurisdiction[3];
	fs_date hired, terminated, as_of; /* as_of: for limitation and penalties (default today) */
	int has_hired, has_terminated, has_wage, has_accruals;
	char reason[32];
	int64_t wage_minor, benefits_minor, accruals_minor;
	int64_t unused_leave_days, unpaid_months, overtime_hours_x100;
	int64_t days_worked, period_days, age;
	int underground, notice_served;
	int quiet;           /* amounts only: no steps, texts or warnings */
	json_t *conventions; /* name -> value overrides */
};
void fs_entitle_init(struct fs_entitle_in *in);
void fs_entitle_done(struct fs_entitle_in *in);
/* One input as text: jurisdiction, hired, terminated, reason, wage, benefits,
 * unused_leave_days, unpaid_months, overtime_hours, underground, notice_served,
 * age, as_of, accruals_12m, days_worked (or days_worked_12m), period_working_days,
 * convention (NAME=VALUE). '-' may stand for '_'. */
int fs_entitle_set(struct fs_entitle_in *in, const char *key, const char *value, struct fs_error *err);
/* The same for a number (wage, benefits and accruals_12m in minor units,
 * unused_leave_days, days_worked): what its text would set, or the same error. */
int fs_entitle_set_number(struct fs_entitle_in *in, const char *key, int64_t v, struct fs_error *err);
/* Compute every component of the jurisdiction's rule set. *ret: jurisdiction,
 * currency, rules_version, service, components (minor units), total, steps
 * [{component, text, law, key, params}], warnings, warning_codes, inputs. Texts
 * in lang (en, tr, ru, kk; NULL = en). Nothing is stored. */
int fs_entitle(const struct fs_entitle_in *in, const char *lang, json_t **ret, struct fs_error *err);
/* The limitation deadline of a case's money claims. */
int fs_entitle_deadline(const struct fs_entitle_in *in, fs_date *ret, struct fs_error *err);
/* The deadline of one kind of limitation period ("money", "reinstatement",
 * "conciliation": KZ Art. 160) and its length in months; FS_ENOTFOUND when the
 * rule set has none for the termination date. */
int fs_entitle_deadline_of(const struct fs_entitle_in *in, const char *kind, fs_date *ret, int *months, struct fs_error *err);

/* ---- the claims watch (claims.c) ---- */
struct fs_compute_opts {
	int64_t workplace_id;
	const char *reason;     /* override the employment's termination reason */
	const char *terminated; /* override the termination date */
	int apply;              /* apply differences to existing computed claims */
	fs_date as_of;
};
/* Compute claims for every terminated employment at a workplace, in one
 * transaction. New claims are stored; existing computed claims that differ (a
 * new rules version, changed employment data) are listed and changed only with
 * apply. All or nothing: an employment that cannot be computed stores nothing
 * (FS_EINVAL; the report lists every such employment). */
int fs_claims_compute(struct fs_ctx *ctx, const struct fs_compute_opts *o, json_t **ret, struct fs_error *err);
/* The watch: workers paid in full / partly / nothing; owed, paid, outstanding by
 * kind and by payer; promises and which are overdue; claims past or within 180
 * days of their limitation deadline; payments by month. workplace 0 = all. */
int fs_watch(struct fs_ctx *ctx, int64_t workplace, fs_date as_of, json_t **ret, struct fs_error *err);
/* The watch's people (watch_people.c): status all, paid_in_full, partly_paid,
 * paid_nothing or near_limitation (an outstanding claim due within 180 days);
 * sort name, owed, paid, outstanding or limitation; limit 0 = 100. *ret {as_of,
 * currency, status, sort, descending, total, offset, limit, items [{person_id,
 * name, external_id, owed_minor, paid_minor, outstanding_minor, status,
 * near_limitation_claims, next_limitation}]}. Needs register.read. */
struct fs_watch_people_opts {
	int64_t workplace; /* 0 = all */
	fs_date as_of;
	const char *status, *sort; /* NULL: all, name */
	int descending;
	int64_t limit, offset;
};
int fs_watch_people(struct fs_ctx *ctx, const struct fs_watch_people_opts *o, json_t **ret, struct fs_error *err);
/* One worker's statement: claims with what was paid and is outstanding, the
 * payments, and the explanation of every computed claim in lang. */
int fs_statement(struct fs_ctx *ctx, int64_t person, const char *lang, fs_date as_of, json_t **ret, struct fs_error *err);

/* ---- solidarity funds: the ledger (ledger.c, funds.c) ---- */
enum { FS_TF_LINKED = 1, FS_TF_PENDING = 2, FS_TF_POST = 4, FS_TF_VOID = 8 };
struct fs_transfer {
	const char *id;         /* the idempotency key: 1-64 of A-Z a-z 0-9 . _ : - */
	int64_t debit_account, credit_account;
	int64_t amount_minor;   /* > 0; POST: up to the pending amount (0 = all of it) */
	const char *code;       /* category: contribution, strike_pay, legal ... */
	unsigned flags;         /* FS_TF_*: LINKED = fails or succeeds with the next one */
	const char *pending_id; /* POST / VOID: the pending transfer */
	int64_t timeout_s;      /* PENDING: expires after this many seconds (0 = never) */
	const char *value_date; /* YYYY-MM-DD, default today */
	const char *memo;
	const char *party;      /* donor or recipient: sealed at rest, never exported unless asked */
};
enum {
	FS_T_OK, FS_T_EXISTS, FS_T_EXISTS_DIFFERENT, FS_T_LINKED_FAILED, FS_T_INVALID, FS_T_SAME_ACCOUNTS,
	FS_T_NO_ACCOUNT, FS_T_CURRENCY, FS_T_WOULD_GO_NEGATIVE, FS_T_PENDING_NOT_FOUND, FS_T_PENDING_DONE,
	FS_T_PENDING_EXPIRED, FS_T_AMOUNT_EXCEEDS_PENDING, FS_T_FUND_MISMATCH,
	FS_T_APPROVAL_REQUIRED /* above the threshold or the rolling limit: a second account must post it */
};
const char *fs_transfer_result_name(int result);
/* *ret 1 when amount_minor paid out of the fund's assets now by the principal
 * would answer FS_T_APPROVAL_REQUIRED (above the fund's threshold or past the
 * principal's rolling limit): a front end then enters it as pending. */
int fs_fund_payout_needs_approval(struct fs_ctx *ctx, int64_t fund, int64_t amount_minor, int *ret, struct fs_error *err);
/* One batch of transfers in one transaction: results[i] for each (FS_T_*).
 * Returns 0 when the batch was processed (whatever the results). */
int fs_ledger_transfer(struct fs_ctx *ctx, int64_t fund, const struct fs_transfer *t, size_t n, int *results,
		       struct fs_error *err);
/* [{account_id, name, kind, currency, debits_posted, credits_posted, debits_pending,
 *   credits_pending, balance_minor (debits - credits)}] */
int fs_fund_balances(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err);

/* A fund with its standard accounts (assets:cash, assets:bank, income:contributions,
 * expenses:strike-pay, expenses:family-support, expenses:legal, ...). */
int fs_fund_create(struct fs_ctx *ctx, const struct fs_kv *kv, size_t n, int64_t *ret_id, struct fs_error *err);
/* An account of a fund by id or by name. */
int fs_account_by_name(struct fs_ctx *ctx, int64_t fund, const char *name, int64_t *ret, struct fs_error *err);
#define FS_TRANSFER_ID_MAX 64
/* The id of the transfer that posts (flag FS_TF_POST) or voids (FS_TF_VOID) the
 * pending transfer pending_id when no id is given, the same in every front end:
 * "<pending_id>.post" for a pending id of up to 40 characters; for a longer one
 * its first 26 characters, ".", 32 hex digits of a BLAKE2b hash of the whole id
 * and ".post" (64 characters: longer than every short form, so no two pending
 * ids share one). FS_EINVAL when pending_id is not a transfer id. */
int fs_ledger_resolution_id(const char *pending_id, unsigned flag, char out[FS_TRANSFER_ID_MAX + 1], struct fs_error *err);
/* Post a pending disbursement: only someone other than who entered it.
 * FS_ECONFLICT, saying by whom and how, when it was posted or voided before
 * (also partly, and also under another id): an approval never answers "exists". */
int fs_ledger_approve(struct fs_ctx *ctx, int64_t fund, const char *pending_id, const char *approval_id, int *result,
		      struct fs_error *err);
/* The most rows of one payroll file, and strikers of one strike-pay run. */
#define FS_FUND_BATCH_MAX 1000000
/* A payroll collection from a site: CSV worker,amount,date[,id], all rows in one
 * linked batch: the new rows all or none; rows recorded before are counted as
 * such, so a rerun records exactly the new ones. ids default to site + date +
 * line so the same file twice records once. *ret: rows, recorded,
 * already_recorded, not_recorded, errors [{line, [id], message}]; FS_EINVAL
 * (with *ret) when any row is invalid or not recorded. */
int fs_fund_payroll(struct fs_ctx *ctx, int64_t fund, FILE *in, const char *name, const char *site, const char *into,
		    json_t **ret, struct fs_error *err);
/* The fund's public report: totals and counts, income and expense by month and
 * category; no names of donors or recipients. */
int fs_fund_report(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err);
/* Pledged against received per pledge (contributions coded pledge-ID), with
 * arrears, up to as_of. */
int fs_fund_pledges(struct fs_ctx *ctx, int64_t fund, fs_date as_of, json_t **ret, struct fs_error *err);
/* Pending transfers not yet posted or voided (the approval queue), each with
 * can_approve: whether the principal may post it (not its requester, an account
 * holding funds.approve: the rule payout.c applies). */
int fs_fund_pending(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err);
/* A week's strike pay by the fund's policy to every striker (the active
 * employments of a workplace, and/or listed persons, each once), one linked
 * batch: every striker not paid before, or none of them; the same week again
 * pays nobody twice. *ret: week, strikers, paid, paid_before, not_paid,
 * amount_minor, not_paid_minor, result ("ok" when nobody is left unpaid),
 * failures [{person_id, id, message}]. */
int fs_fund_strike_pay(struct fs_ctx *ctx, int64_t fund, const char *week, int64_t workplace, const int64_t *persons,
		       size_t npersons, json_t **ret, struct fs_error *err);
/* fund_ops.c: one operation of money in or out, whole. kind: a contribution's
 * "money" (default: assets:cash from income:contributions) or "in_kind"
 * (assets:in-kind from income:in-kind; memo says what was given); a
 * disbursement's purpose (strike-pay, family-support, legal, other: from
 * assets:cash), entered as pending when the two-person rule wants a second
 * account. id: the idempotency key (NULL: a new one). *ret {id, result,
 * amount_minor[, pending]}. */
struct fs_money_op {
	int64_t amount_minor;
	const char *kind, *party, *memo, *id, *date;
	int64_t pledge_id; /* a contribution towards this pledge */
};
int fs_fund_contribute(struct fs_ctx *ctx, int64_t fund, const struct fs_money_op *op, json_t **ret, struct fs_error *err);
int fs_fund_disburse(struct fs_ctx *ctx, int64_t fund, const struct fs_money_op *op, json_t **ret, struct fs_error *err);
/* The fund's threshold and rolling limit; with amount_minor > 0 also whether a
 * payout of it by the principal now would wait for a second account. */
int fs_fund_payout_rule(struct fs_ctx *ctx, int64_t fund, int64_t amount_minor, json_t **ret, struct fs_error *err);
/* The fund's transfers, newest first ({total, items, balances}); limit 0 = 100. */
int fs_fund_ledger(struct fs_ctx *ctx, int64_t fund, int64_t limit, int64_t offset, json_t **ret, struct fs_error *err);
enum fs_ledger_format { FS_LEDGER_LEDGER, FS_LEDGER_BEANCOUNT, FS_LEDGER_CSV };
/* Posted transfers as a ledger-cli/hledger journal, beancount, or CSV; donors and
 * recipients only with reveal. */
int fs_ledger_export(struct fs_ctx *ctx, int64_t fund, FILE *out, enum fs_ledger_format fmt, int reveal, struct fs_error *err);

/* ---- the record (record.c) ---- */
/* Suggested pairs of person records that are likely one person: the same
 * cross-script name key (Жанболат = Zhanbolat = Janbolat) and no contradicting
 * birth year; pairs already decided (link records) are left out. */
int fs_record_duplicates(struct fs_ctx *ctx, int64_t limit, json_t **ret, struct fs_error *err);
/* Victims per violation type (by: type, region, month, incident): unique persons,
 * never reports; confirmed (R2+R3) apart from contested (XC) and the reported,
 * unconfirmed range (R0+R1, min-max); XD/DU left out; linked persons count once.
 * public_only: public incidents and violations only. *ret {by, rows [{type,
 * (by), confirmed, contested, reported_min, reported_max}], total_rows {...}}. */
int fs_record_counts(struct fs_ctx *ctx, const char *by, int public_only, json_t **ret, struct fs_error *err);
/* Who is in custody on today: legal cases not released, serving a prison or jail
 * sentence that has not run out, or in pre-trial detention (verdict pending,
 * custody_since set). *ret {as_of, count, prisoners [{case_id, person_id, name,
 * status, charges, court, sentence, custody_since, sentence_months, days_served,
 * expected_release}]}. */
int fs_record_prisoners(struct fs_ctx *ctx, fs_date today, int public_only, json_t **ret, struct fs_error *err);
/* Detentions not released whose whereabouts have been unknown for at least
 * hours at now (seconds since 1970, UTC): the warning sign of an enforced
 * disappearance. *ret {now, hours, count, alerts [{detention_id, person_id, name,
 * unknown_since, arresting_body, hours, lawyer_access}]}. */
int fs_record_alerts(struct fs_ctx *ctx, int64_t now, int64_t hours, json_t **ret, struct fs_error *err);

/* The record in date order (timeline.c): actions started/ended, stages, demands
 * won/partly won/lost, incidents, detentions and releases, verdicts, hearings;
 * from/to YYYY-MM-DD or NULL; action > 0: that action's only (its incidents'
 * detentions and cases). *ret {from, to, action_id, public, count, events
 * [{date, at?, event, entity, id, action_id?, text, kind?, type?, status?,
 * number?, detail?, case_id?}]}. */
int fs_record_timeline(struct fs_ctx *ctx, const char *from, const char *to, int64_t action, int public_only,
		       json_t **ret, struct fs_error *err);

/* Incidents and violations whose cited sources support a higher verification
 * level than the latest assessment (suggest.c; the rules in doc/record.md): a
 * suggestion, never an assessment. *ret {count, suggestions [{subject,
 * subject_id, current, suggested, why, reports [], evidence []}]}. */
int fs_record_suggest(struct fs_ctx *ctx, json_t **ret, struct fs_error *err);

/* ---- evidence files (evidence.c) ---- */
/* Copy the file into DB.evidence (content-addressed by SHA-256) and record it with
 * kv (filename, captured_on, handling, description, provided_by). The same content
 * twice is one record: *ret {id, existed, sha256, size}. */
int fs_evidence_add(struct fs_ctx *ctx, const char *path, const struct fs_kv *kv, size_t n, json_t **ret,
		    struct fs_error *err);
/* The record with its custody log; logs a 'viewed' event. */
int fs_evidence_show(struct fs_ctx *ctx, int64_t id, unsigned flags, json_t **ret, struct fs_error *err);
/* Copy the file out to dest (never overwritten), checking its hash on the way;
 * logs an 'exported' event. FS_EINTEGRITY when the stored file was altered. */
int fs_evidence_export(struct fs_ctx *ctx, int64_t id, const char *dest, struct fs_error *err);
/* The same for bytes that arrived over the network: kv must name the filename. */
int fs_evidence_add_data(struct fs_ctx *ctx, const void *data, size_t len, const struct fs_kv *kv, size_t n, json_t **ret,
			 struct fs_error *err);
/* The stored file into out (its limit bounds the size), re-hashed: FS_EINTEGRITY
 * when altered or missing; an 'exported' custody event ("over the API"). */
int fs_evidence_read(struct fs_ctx *ctx, int64_t id, struct fs_buf *out, struct fs_error *err);
/* Re-hash every file of the organization and walk the custody chain; logs a
 * 'verified' event per file. *ret {files, ok, problems, bad [{id, sha256,
 * filename, status: missing|altered|unreadable}], report}. */
int fs_evidence_verify(struct fs_ctx *ctx, json_t **ret, struct fs_error *err);

/* ---- accounts (auth.c) ---- */
/* Roles per organization: admin, organizer, treasurer, documenter, viewer. */
int fs_user_add(struct fs_ctx *ctx, const char *username, const char *password, int64_t *ret_id, struct fs_error *err);
int fs_user_passwd(struct fs_ctx *ctx, const char *username, const char *password, struct fs_error *err);
int fs_user_disable(struct fs_ctx *ctx, const char *username, int disabled, struct fs_error *err);
/* Give a user a role in the current organization ("none" takes it away). */
int fs_user_grant(struct fs_ctx *ctx, const char *username, const char *role, struct fs_error *err);
int fs_user_id(struct fs_ctx *ctx, const char *username, int64_t *ret, struct fs_error *err);
/* The user's role in org ("" when none). */
int fs_user_role(struct fs_ctx *ctx, int64_t user, int64_t org, char role[16], struct fs_error *err);
/* Check a password (throttled: 5 failures in 15 minutes lock the name) and open
 * a session: token and CSRF token as 64 hex characters. FS_EPERM when refused. */
int fs_login(struct fs_ctx *ctx, const char *username, const char *password, char token[65], char csrf[65],
	     int64_t *ret_user, struct fs_error *err);
int fs_logout(struct fs_ctx *ctx, const char *token, struct fs_error *err);
int fs_session_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, char csrf[65], struct fs_error *err);
/* the same, and the session's last second (expires: UTC, "YYYY-MM-DDTHH:MM:SSZ" as
 * stored; NULL for none): a server that keeps the answer a while keeps it no longer */
int fs_session_check_until(struct fs_ctx *ctx, const char *token, int64_t *ret_user, char csrf[65], char expires[21],
			   struct fs_error *err);
/* API tokens are made, listed and revoked through core/users.h (who may is
 * checked there); a token's check: */
int fs_token_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, struct fs_error *err);
/* Record in the journal that someone saw a record's sealed fields. */
int fs_journal_view(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err);

/* ---- whole database ---- */
/* Backups (backup.c, backup_seal.c; doc/backup.md). fs_backup writes DEST (the
 * database, one consistent snapshot) and DEST.evidence (the evidence files the
 * snapshot names, hash-checked) under temporary names inside the destination;
 * the database is renamed to DEST last, once the copy was checked, so DEST
 * exists only whole. A rerun after an interruption starts the database over and
 * keeps evidence copies whose hash is right. Refuses an existing DEST. */
int fs_backup(struct fs_ctx *ctx, const char *dest_path, struct fs_error *err);
/* Check the backup DEST with its key file, without the live database: fs_verify
 * on the copy (journal, records, sealed fields, evidence files) plus leftovers
 * of an interrupted backup (warnings). FS_EINTEGRITY with rep filled. */
int fs_backup_verify(const char *dest_path, const char *key_path, struct fs_verify_report *rep, struct fs_error *err);
/* A recipient key pair for sealed backups: secret_path (0600, new) and
 * secret_path.pub; the public key as 64 hex characters. */
int fs_backup_keygen(const char *secret_path, char pk_hex[65], struct fs_error *err);
/* One encrypted file dest_file (new): the database snapshot, the evidence files
 * and the key file at key_path as it is, readable with the secret key of any of
 * the recipients (each 64 hex characters, or a file holding them). */
int fs_backup_seal(struct fs_ctx *ctx, const char *key_path, const char *dest_file, const char *const *recipients,
		   size_t nrecipients, struct fs_error *err);
/* Open a sealed backup with secret_path and write DEST, DEST.key and
 * DEST.evidence (none may exist), verified before they take their names. */
int fs_backup_restore(const char *file, const char *secret_path, const char *dest_db, struct fs_verify_report *rep,
		      struct fs_error *err);
/* Counts per organization. */
int fs_summary(struct fs_ctx *ctx, json_t **ret, struct fs_error *err);
#endif
