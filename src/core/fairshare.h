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
	FS_ASIS = 4,     /* read only and as it is: an older schema is not migrated (backup) */
};

/* A field given as text, as typed on the command line or read from a CSV cell.
 * value NULL or "" clears an optional field. */
struct fs_kv {
	const char *key;
	const char *value;
};

/* ---- opening ---- */
/* key_path NULL: DB_PATH.key. */
int fs_open(const char *db_path, const char *key_path, unsigned flags, struct fs_ctx **ret,
	    struct fs_error *err);
void fs_close(struct fs_ctx *ctx);
/* Who is acting, recorded in the journal (e.g. "cli:alice"). Copied. */
void fs_set_actor(struct fs_ctx *ctx, const char *actor);
/* Select the organization later calls work in: a slug or id; NULL picks the only
 * one (an error naming the choices when there are several). */
int fs_use_org(struct fs_ctx *ctx, const char *slug_or_id, struct fs_error *err);
int64_t fs_org(const struct fs_ctx *ctx);

/* Group several changes in one transaction (nests; the outermost end commits, or
 * rolls back when rc != 0). */
int fs_tx_begin(struct fs_ctx *ctx, struct fs_error *err);
int fs_tx_end(struct fs_ctx *ctx, int rc, struct fs_error *err);

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
};
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
/* Write one CSV cell, quoting as needed and neutralising spreadsheet formulas. */
int fs_csv_write_cell(FILE *out, const char *s, size_t n);

/* ---- journal (journal.c) ---- */
struct fs_verify_report {
	int64_t entries;
	int64_t rows;
	int64_t problems;
	int64_t first_bad_seq;       /* 0 when the chain holds */
	char head_hash[65];
	char *text;                  /* one problem per line; caller frees */
};
/* 0 when everything holds; FS_EINTEGRITY with the report filled otherwise. */
int fs_verify(struct fs_ctx *ctx, struct fs_verify_report *rep, struct fs_error *err);

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
 * age, as_of, accruals_12m, days_worked_12m, period_working_days,
 * convention (NAME=VALUE). '-' may stand for '_'. */
int fs_entitle_set(struct fs_entitle_in *in, const char *key, const char *value, struct fs_error *err);
/* Compute every component of the jurisdiction's rule set. *ret: jurisdiction,
 * currency, rules_version, service, components (minor units), total, steps
 * [{component, text, law, key, params}], warnings, warning_codes, inputs. Texts
 * in lang (en, tr, ru, kk; NULL = en). Nothing is stored. */
int fs_entitle(const struct fs_entitle_in *in, const char *lang, json_t **ret, struct fs_error *err);
/* The limitation deadline of a case. */
int fs_entitle_deadline(const struct fs_entitle_in *in, fs_date *ret, struct fs_error *err);

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
	FS_T_PENDING_EXPIRED, FS_T_AMOUNT_EXCEEDS_PENDING, FS_T_FUND_MISMATCH
};
const char *fs_transfer_result_name(int result);
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
/* Post a pending disbursement: only someone other than who entered it. */
int fs_ledger_approve(struct fs_ctx *ctx, int64_t fund, const char *pending_id, const char *approval_id, int *result,
		      struct fs_error *err);
/* A payroll collection from a site: CSV worker,amount,date[,id], all rows in one
 * linked batch (all or nothing); ids default to site + date + line so the same
 * file twice records once. *ret: rows, recorded, already_recorded, errors. */
int fs_fund_payroll(struct fs_ctx *ctx, int64_t fund, FILE *in, const char *name, const char *site, const char *into,
		    json_t **ret, struct fs_error *err);
/* The fund's public report: totals and counts, income and expense by month and
 * category; no names of donors or recipients. */
int fs_fund_report(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err);
/* Pledged against received per pledge (contributions coded pledge-ID), with
 * arrears, up to as_of. */
int fs_fund_pledges(struct fs_ctx *ctx, int64_t fund, fs_date as_of, json_t **ret, struct fs_error *err);
/* Pending transfers not yet posted or voided (the approval queue). */
int fs_fund_pending(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err);
/* A week's strike pay by the fund's policy to every striker (the active
 * employments of a workplace, and/or listed persons), one linked batch: everyone
 * or no one; the same week again pays nobody twice. */
int fs_fund_strike_pay(struct fs_ctx *ctx, int64_t fund, const char *week, int64_t workplace, const int64_t *persons,
		       size_t npersons, json_t **ret, struct fs_error *err);
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
/* A new API token ("fs_" + 64 hex) for scripts; only its hash is stored. */
int fs_token_create(struct fs_ctx *ctx, const char *username, const char *name, char token[68], struct fs_error *err);
int fs_token_check(struct fs_ctx *ctx, const char *token, int64_t *ret_user, struct fs_error *err);
/* Record in the journal that someone saw a record's sealed fields. */
int fs_journal_view(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err);

/* ---- whole database ---- */
int fs_backup(struct fs_ctx *ctx, const char *dest_path, struct fs_error *err);
/* Counts per organization. */
int fs_summary(struct fs_ctx *ctx, json_t **ret, struct fs_error *err);
/* Synthetic demo data set (fictitious names); refuses a database that has data. */
int fs_demo(struct fs_ctx *ctx, struct fs_error *err);

#endif
