/* internal.h - private structures shared by the core's files: the context, the
 * entity descriptors and the in-memory record (fs_rec) that every change goes
 * through: parse fields -> check -> seal -> store -> journal. */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include "store/store.h"
#include "util/buf.h"
#include "util/private.h"
#include "crypto.h"
#include "fairshare.h"

#include "fs_limits.h"

struct fs_rec;

struct fs_entity {
	const char *name, *plural, *label;
	int owned; /* belongs to an organization: has org_id */
	int append_only; /* never edited or removed: corrections are new records */
	const char *managed; /* created only by the core (this command), never removed */
	const struct fs_field *fields;
	size_t nfields;
	/* Cross-field checks and defaults, after all fields are parsed. */
	int (*check)(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
	/* The normalizer of a "national_id" field (register/: digits, check digits
	 * by country), NULL when the entity has none: base calls it, never names it. */
	int (*normalize_id)(const char *country, const char *in, char *out, size_t outsz, struct fs_error *err,
			    const char *field);
	/* derived from the fields by entity_init() */
	struct fs_table table;
	struct fs_column cols[FS_MAX_COLS];
	int col_of[FS_MAX_FIELDS];  /* column of each field; -1 when sealed */
	int fold_of[FS_MAX_FIELDS]; /* FK_NAME: the folded column */
	int hash_of[FS_MAX_FIELDS]; /* FF_LOOKUP: the keyed-hash column */
	int org_col, sealed_col, person_col;
	int handling_col;   /* the handling level's column, or -1 */
	int any_restricted; /* has FF_RESTRICTED fields */
};

struct fs_ctx {
	struct fs_store *st;
	struct fs_keys keys;
	char actor[FS_ACTOR_MAX];
	/* who acts (principal.c): an account's id, FS_OPERATOR (0: whoever holds the
	 * database and key files) or FS_NOBODY (-1: not logged in, may do nothing) */
	int64_t principal_id;
	int64_t org_id;
	char org_country[3];
	char org_currency[4];
	int tx_depth;
	int bulk; /* the outermost transaction is a bulk write (fs_tx_begin_bulk) */
	int tx_failed;
	int read_depth; /* fs_read_begin nesting */
	/* list totals, valid while the database is unchanged (see fs_list_text) */
	struct {
		uint64_t key;
		int64_t total, version;
	} counts[8];
	unsigned next_count;
	char *evidence_dir; /* DB.evidence: evidence files by SHA-256 */
	int managed_ok;     /* the core is creating a managed record */
	char *key_path; /* the key file (keys.c: rotation) */
	struct {
		int64_t person_id; /* 0 = empty */
		unsigned char key[32];
	} pkeys[16]; /* per-person keys recently opened */
	unsigned next_pkey;
	int log_off; /* bench/log_bench.c only: journal without the Merkle log, to time what the tree costs */
	struct {
		int valid; /* inside one write transaction, like head_valid */
		int64_t org, size;
		unsigned char frontier[64][32]; /* level L: the complete subtree a set bit L of size stands for */
		int64_t last_seq; /* the journal entry of the last leaf */
		int dirty;	  /* the head not yet written: log.c writes it before a read and at commit */
	} logc;
	struct fs_batch *batch; /* batch.c: rows created now are journaled by batch */
	/* batch.c's hook, set with batch: a record a pending batch created is flushed to
	 * its batch entry before the journal writes an entry about it (the journal calls
	 * it and never batch.c, which journals through it: calls go one way) */
	int (*batch_touch)(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_error *err);
	struct fs_page_cache *pages; /* pagecache.c: rendered list pages */
	int head_valid; /* head_* caches the journal head inside a transaction */
	int64_t head_seq;
	unsigned char head_hash[32];
	/* journal.c: one hash chain per log (the system's, 0, and each organization's), valid with head_valid */
	int64_t chain_split;       /* the old single chain's last entry (meta journal_chains; 0: none) */
	unsigned char chain_old[32]; /* its hash: what the first entry of every log's chain follows */
	int64_t chain_org;         /* the log whose newest entry is chain_hash (-1: none read yet) */
	unsigned char chain_hash[32];
	int seal_legacy; /* seals bound to the table only still open (until the binding of schema 22 is done) */
	int64_t party_gen; /* party.c: the generation of party_key (0: none loaded) */
	struct fs_pkey_bulk *pkey_bulk; /* keys.c: a bulk import's new people's keys (NULL: none) */
	unsigned char party_key[32];
	/* principal.c: who the account is and its role per organization, read at a
	 * data_version outside any write transaction (fs_tx_begin empties it) */
	struct fs_principal_memo {
		int ok; /* 0: empty */
		int64_t version, user, org, role_id;
		char role[16];
	} role_memo[4];
	unsigned next_role_memo;
	struct {
		int ok, disabled; /* ok 0: empty */
		int64_t version, id;
		char name[260];
	} user_memo;
	int read_version_ok; /* tx.c: data_version read once inside a read snapshot */
	int64_t read_version;
};

/* A record being built or changed. v[] are the table's columns; own[] the storage
 * of text/blob columns; plain[] the plaintext of sealed fields. */
struct fs_rec {
	const struct fs_entity *e;
	struct fs_value v[FS_MAX_COLS];
	char *own[FS_MAX_COLS];
	char *plain[FS_MAX_FIELDS];
	int sealed_dirty;
	int unique_checked; /* the caller checked uniqueness already (import) */
	int trusted;        /* built by the core from known-good references (claims compute) */
	int64_t want_id;    /* rec_insert: the id the new row gets, known to the caller (a bulk import
			     * counting ids under its write lock); 0: the store's next. Checked after the insert */
};

/* Every entity, in the order the domains registered them (domains.c, at
 * start-up: the order of the schema check and of rotation's cursor); filled
 * once by fs_domains_init before any context opens or any entity is found. */
extern const struct fs_entity *const *const fs_entities;
extern size_t fs_nentities;
/* entity.c: an entity by name or plural ("org" too), NULL when none: the
 * registry's own look-up, for the core's files below domains.c (the public
 * fs_entity_find registers the domains first). */
const struct fs_entity *fs_entity_lookup(const char *name);
/* keys.c: a person's key: 0 held, FS_ENOTFOUND none, 1 forgotten; the forgotten marker written. */
int fs_person_key_state(struct fs_ctx *ctx, int64_t person, struct fs_error *err);
int fs_person_key_mark_forgotten(struct fs_ctx *ctx, int64_t person, const char *ts, struct fs_error *err);
/* keys.c: between begin and end (inside one write transaction on SQLite, which
 * holds the only write lock) people's new keys come from a CSPRNG stream seeded
 * once, and a person id above every stored key is known to have none (no look-up
 * per new person). end wipes the seed and the unused keys. */
int fs_person_keys_bulk_begin(struct fs_ctx *ctx, struct fs_error *err);
void fs_person_keys_bulk_end(struct fs_ctx *ctx);
/* The lowest person id no stored key row can have (inside begin and end; 0 outside). */
int64_t fs_person_keys_fresh_from(const struct fs_ctx *ctx);
/* An import's worker thread: a stream of new keys of its own (seeded at random,
 * wiped when freed), a new person's key wrapped by the data key for person_keys:ID
 * (k: the worker's copy of the keys, a nonce prefix of its own), and the wrapped
 * key stored by the main thread (a plain insert: person must be >= fresh_from). */
struct fs_pkey_bulk *fs_pkey_stream_new(void);
void fs_pkey_stream_take(struct fs_pkey_bulk *b, unsigned char key[32]);
void fs_pkey_stream_free(struct fs_pkey_bulk *b);
int fs_person_key_wrap(struct fs_keys *k, int64_t person, const unsigned char key[32], struct fs_buf *out);
int fs_person_key_insert_new(struct fs_ctx *ctx, int64_t person, int64_t org, const void *wrapped, size_t n,
			     struct fs_error *err);
/* principal.c: an account's role record in org (*ret: its id, 0 when none; role: its name). */
int fs_role_record(struct fs_ctx *ctx, int64_t user, int64_t org, int64_t *ret, char role[16], struct fs_error *err);
/* domains.c: every domain's entities registered, once (thread-safe). */
void fs_domains_init(void);
const struct fs_entity *fs_entity_by_table(const char *table);
int fs_field_index(const struct fs_entity *e, const char *name);

void rec_init(struct fs_rec *r, const struct fs_entity *e);
void rec_done(struct fs_rec *r);
int rec_from_values(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_entity *e,
		    const struct fs_value *vals, struct fs_error *err);
/* As rec_from_values; unseal = 0 leaves sealed fields closed (lists, plain gets). */
int rec_from_values_ex(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_entity *e,
		       const struct fs_value *vals, int unseal, struct fs_error *err);
/* Parse one field given as text; line/column context is the caller's. */
int rec_set(struct fs_ctx *ctx, struct fs_rec *r, const char *key, const char *value, struct fs_error *err);
/* The same for field fi of the entity (fs_field_index, looked up once by a
 * caller that sets the same field on many records): the same parse and checks. */
int rec_set_field(struct fs_ctx *ctx, struct fs_rec *r, int fi, const char *value, struct fs_error *err);
/* Required fields, entity checks, sealing; ready to store. */
int rec_finish(struct fs_ctx *ctx, struct fs_rec *r, int creating, struct fs_error *err);
/* JSON of the fields; sealed ones as plaintext (reveal) or "[sealed]" (journal) or
 * left out. */
enum { REC_JSON_REVEAL = 1, REC_JSON_JOURNAL = 2 };
json_t *rec_to_json(const struct fs_rec *r, unsigned mode);
/* The same as compact JSON text, appended to out (the journal's form). */
int rec_json_text(const struct fs_rec *r, unsigned mode, struct fs_buf *out);
int rec_equal(const struct fs_rec *a, const struct fs_rec *b);
const struct fs_value *rec_field(const struct fs_rec *r, const char *name);
/* plaintext of a sealed field, or NULL */
const char *rec_sealed(const struct fs_rec *r, const char *name);
int rec_set_int(struct fs_rec *r, const char *field, int64_t v);

/* pagecache.c: fs_list_text keeps rendered pages while the database is unchanged;
 * the rendering itself is fs_list_text_uncached (entity.c). */
int fs_list_text_uncached(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_list_opts *o, struct fs_buf *out,
			  struct fs_error *err);
/* 0 when the principal may read records of e (fs_entity_read_capability), else
 * FS_EPERM naming the capability: fs_get and fs_list check it for every front end. */
int fs_may_read(struct fs_ctx *ctx, const struct fs_entity *e, struct fs_error *err);
void fs_page_cache_clear(struct fs_ctx *ctx);
/* tx.c: forget principal.c's memo of the account and roles (a write transaction begins). */
void fs_principal_memo_clear(struct fs_ctx *ctx);
void fs_page_cache_free(struct fs_ctx *ctx);

/* Store a new record / the changed record, with its journal entry. */
int rec_insert(struct fs_ctx *ctx, struct fs_rec *r, int64_t *ret_id, struct fs_error *err);
/* A new record sealed already for the id in r->v[0] (rec_seal_new_person): inserted,
 * checked to have got that id, and bound into the batch with hash (its row hash
 * with that id; NULL: made here). */
int rec_insert_sealed(struct fs_ctx *ctx, struct fs_rec *r, const unsigned char *hash, int64_t *ret_id,
		      struct fs_error *err);
/* A new person's seal made for id with the person's new key (an import's worker:
 * k its own copy of the keys); r->v[0] set to id. No store is touched. */
int rec_seal_new_person(struct fs_keys *k, struct fs_rec *r, int64_t id, const unsigned char key[32],
			struct fs_error *err);
int rec_update(struct fs_ctx *ctx, const struct fs_rec *before, struct fs_rec *after, struct fs_error *err);

/* ---- handling.c: who sees which record ----
 * A record's handling rank (policy.h): its own handling field, raised to the
 * most closed of the records it references (a violation's incident, a hearing's
 * case); an assessment or citation takes its subject's (and source's), a person
 * link the levels of the records naming either person. -1: the kind of record
 * has no handling level (the register, the funds). */
struct fs_hcache { /* ranks looked up during one call (zero-initialise) */
	struct {
		const struct fs_entity *e;
		int64_t id;
		int rank;
	} slot[128];
};
int fs_handled(const struct fs_entity *e);
int fs_row_rank(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, struct fs_hcache *cache);
/* 1 when the principal reads a record of that rank (rank < 0: always); with
 * public_only only public ones. */
int fs_rank_shown(struct fs_ctx *ctx, int rank, int public_only);
int fs_row_shown(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, int public_only,
		 struct fs_hcache *cache);
/* The same for record id of e (0 when it is not this organization's). */
int fs_id_shown(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, int public_only, struct fs_hcache *cache);
/* 1 when the principal's role reads what a record about (kind, id) says: an
 * assessment's or link's view of an incident, violation or person. */
int fs_about_shown(struct fs_ctx *ctx, const char *kind, size_t n, int64_t id, struct fs_hcache *cache);
/* 1 when the principal reads every level (no record is hidden from it). */
int fs_sees_every_level(struct fs_ctx *ctx);

/* journal.c: append an entry for a change of one row (before and/or after). */
int fs_journal_append(struct fs_ctx *ctx, const char *action, const struct fs_rec *before,
		      const struct fs_rec *after, struct fs_error *err);

/* auth.c: API tokens of an account, unchecked (users.c checks who may). A new
 * token ("fs_" + 64 hex, unique name per account; only its hash, keyed with a
 * secret from the key file, is stored; journaled "created"). */
int fs_token_insert(struct fs_ctx *ctx, int64_t user, const char *name, char token[68], int64_t *ret_id,
		    struct fs_error *err);
/* *ret_items [{id, user_id, user, name, created_at}] of one account or (0) of all. */
int fs_token_rows(struct fs_ctx *ctx, int64_t user, json_t **ret_items, struct fs_error *err);
/* The account's token of that name (FS_ENOTFOUND when none). */
int fs_token_id_of(struct fs_ctx *ctx, int64_t user, const char *name, int64_t *ret_id, struct fs_error *err);
/* Revoke (delete) the account's token token_id, journaled "revoked"; another
 * account's token is FS_ENOTFOUND. */
int fs_token_delete(struct fs_ctx *ctx, int64_t user, int64_t token_id, struct fs_error *err);

/* An entry about a record that changes no row of the register (an API token made
 * or revoked, a person forgotten, a key rotated); note is the entry's JSON text. */
int fs_journal_note(struct fs_ctx *ctx, const char *action, const struct fs_rec *about, const char *note,
		    struct fs_error *err);
/* One journal entry for a batch of transfers of a fund (its own chain's head). */
/* Anchor the evidence custody chain in the journal: one entry per custody event
 * (action "custody", the event's seq and the chain head after it, in hex). */
int fs_journal_custody(struct fs_ctx *ctx, int64_t evidence_id, int64_t custody_seq, const unsigned char head[32],
		       struct fs_error *err);
/* Each organization's latest custody anchor (its custody chain's: org_chains.c),
 * given to cb in the order of the organizations' first anchors; none for an
 * organization whose events are all from before anchoring. */
typedef int (*fs_custody_anchor_cb)(void *ud, int64_t org, int64_t custody_seq, const char head_hex[65]);
int fs_journal_custody_anchors(struct fs_ctx *ctx, fs_custody_anchor_cb cb, void *ud, struct fs_error *err);
int fs_journal_transfers(struct fs_ctx *ctx, const struct fs_rec *fund, int64_t first_seq, int64_t last_seq,
			 int64_t count, const unsigned char head[32], struct fs_error *err);
extern const struct fs_table fs_transfers_table, fs_balances_table;

/* batch.c: bulk work journaled by batch. Between fs_batch_begin and fs_batch_end
 * (inside one transaction) every record rec_insert creates is bound by a batch
 * journal entry (one per chunk of FS_BATCH_CHUNK rows of one entity) instead of a
 * "create" entry of its own; fs_batch_end(ctx, rc, err) writes what is pending
 * when rc is 0 and returns rc or its own error. */
extern const struct fs_table fs_journal_rows_table;
int fs_batch_begin(struct fs_ctx *ctx, const char *why, struct fs_error *err);
int fs_batch_end(struct fs_ctx *ctx, int rc, struct fs_error *err);
int fs_batch_add(struct fs_ctx *ctx, const struct fs_rec *r, struct fs_error *err);
/* As fs_batch_add, the row's hash given: fs_hash_values(table name, r->v, ncols)
 * of the row as stored (its id in r->v[0]), computed by the caller beforehand
 * (claims compute: on its worker thread). NULL: computed here. */
int fs_batch_add_hashed(struct fs_ctx *ctx, const struct fs_rec *r, const unsigned char *hash, struct fs_error *err);
/* The batch entry itself (journal.c): action "batch", about the organization, note its JSON. */
int fs_journal_batch(struct fs_ctx *ctx, const char *note, struct fs_error *err);
/* verify: the rows a batch journal entry binds, each given to row(); 0, 1 with why
 * (the rows are missing or differ from the entry), or an error. */
typedef int (*fs_batch_row_cb)(void *ud, const struct fs_entity *e, int64_t id, const unsigned char *row_hash);
int fs_batch_rows(struct fs_ctx *ctx, const struct fs_value *entry, fs_batch_row_cb row, void *ud, char *why,
		  size_t whysz, struct fs_error *err);
/* verify: how many chunks of journal_rows are more than the `bound` batch entries found. */
int fs_batch_unbound(struct fs_ctx *ctx, int64_t bound, int64_t *extra, struct fs_error *err);
/* reshape_check.c: before a migration journals row v of e anew: 0 when it matches its last journal
 * entry (hashed in the shape of migration `shape`), 1 when it differs (changed outside fairshare). */
int fs_reshape_row_check(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *v, int shape,
			 struct fs_error *err);
/* log: the seq of the batch entry that created record id of e (0: none) and its row hash then. */
int fs_batch_created(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, int64_t *seq,
		     unsigned char row_hash[32], struct fs_error *err);
int fs_ledger_verify(struct fs_ctx *ctx, struct fs_buf *report, int64_t *problems, int64_t *transfers, struct fs_error *err);
/* journal.c: the journal's part of fs_verify (verify.c): its chain, every row against its
 * last entry, the rows of batch entries; counts into rep, problems into text. */
int fs_journal_verify(struct fs_ctx *ctx, struct fs_verify_report *rep, struct fs_buf *text, struct fs_error *err);
/* journal.c: the last entry of the old single chain (0: none) and its hash; later entries chain per log */
int fs_journal_split(struct fs_ctx *ctx, int64_t *split, unsigned char old_head[32], struct fs_error *err);
/* org_chains.c: the chains kept per organization (transfers, evidence custody):
 * a row follows the newest earlier row of its organization, the first of each
 * the old installation-wide chain's head (ending at the row meta split_key
 * names). The head org's next row follows (zeros: none), in the caller's
 * transaction (its organization's writers go one at a time). */
int fs_org_chain_head(struct fs_ctx *ctx, const struct fs_table *t, const char *split_key, int64_t org,
		      unsigned char head[32], struct fs_error *err);
/* verify: walking a chain's rows in seq order, what each row must follow. */
struct fs_org_chains;
int fs_org_chains_open(struct fs_ctx *ctx, const char *split_key, struct fs_org_chains **ret, struct fs_error *err);
const unsigned char *fs_org_chains_step(struct fs_org_chains *c, int64_t org, int64_t seq, const struct fs_value *hash,
					unsigned char want[32]);
void fs_org_chains_close(struct fs_org_chains *c);
int64_t fs_org_chains_split(const struct fs_org_chains *c); /* where the old chain ends (0: none) */
#define FS_TRANSFER_CHAINS "transfer_chains"
#define FS_CUSTODY_CHAINS "custody_chains"
/* The current UTC time as 2026-11-23T03:57:22.123Z (journal.c). */
void fs_now_iso(char out[32]);
/* Evidence files and custody chain, read-only (evidence.c). */
int fs_evidence_check(struct fs_ctx *ctx, struct fs_buf *report, int64_t *problems, int64_t *files, struct fs_error *err);
/* SHA-256 (hex) and size of everything readable from fd, copied to out when
 * out >= 0 (evidence.c). -1 with errno on a read or write error. */
int fs_sha256_fd(int fd, int out, char hex[65], int64_t *size);

/* files.c: temporaries in DB.evidence (see util/private.h) - FS_TMP_ADD an
 * evidence file being stored, FS_TMP_SNAP a database snapshot for a sealed
 * backup. Sweep: remove those of processes that are gone. */
#define FS_TMP_ADD ".add-"
#define FS_TMP_SNAP ".snap-"
extern const char *const fs_tmp_prefixes[];
int64_t fs_tmp_sweep(struct fs_ctx *ctx);
/* verify's file checks: files readable by others, stale temporaries; each a
 * "warning: " line of report. */
int64_t fs_files_check(struct fs_ctx *ctx, struct fs_buf *report);

/* backup.c: a consistent snapshot of the database into tmp_db (new or empty)
 * and the evidence files it names (sha256 hex), checked as written. */
struct fs_snapshot {
	char (*hex)[65];
	size_t n, cap;
	int64_t seq;
	unsigned char head[32];
};
int fs_snapshot_take(struct fs_ctx *ctx, const char *tmp_db, struct fs_snapshot *snap, struct fs_error *err);
void fs_snapshot_done(struct fs_snapshot *snap);
/* Lock DIR/.BASE.lock for a backup to dest (lock_path gets its name). */
int fs_backup_lock(const char *dest, char *lock_path, size_t cap, struct fs_error *err);
void fs_backup_unlock(int fd, const char *lock_path);

/* restricted text (restrict.c): sealed at rest while a record is restricted.
 * Sealed payload: for each FF_SEALED field, then for each FF_RESTRICTED field,
 * u16 length (0xFFFF = absent) + bytes; older payloads end after the sealed ones. */
int fs_restricted_row(const struct fs_entity *e, const struct fs_value *v);
/* Split an opened payload into per-field pointers and lengths (p[i] NULL = absent). */
int fs_payload_split(const struct fs_entity *e, const char *plain, size_t n, const char *p[FS_MAX_FIELDS],
		     size_t len[FS_MAX_FIELDS]);
/* The store's row hook: fills the restricted columns of a row from its seal. */
int fs_open_row(void *ud, const struct fs_table *t, struct fs_value *vals, struct fs_buf *scratch);
/* The plaintext of a restricted field of r (its column, or moved into the seal). */
const char *rec_restricted_text(const struct fs_rec *r, size_t fi);
/* Fill r's sealed fields (and restricted columns still empty) from an opened payload. */
int rec_open_payload(struct fs_rec *r, const char *plain, size_t n);
/* Replace column col of r by a copy of bytes (type FS_VTEXT or FS_VBLOB; FS_VNULL empties it). */
int rec_set_bytes(struct fs_rec *r, int col, int type, const void *p, size_t n);
/* Set the plaintext of field fi (a copy; NULL: absent); marks the seal to be redone. */
int rec_set_plain(struct fs_rec *r, size_t fi, const char *s);
/* Seal the record's sealed (and, if restricted, restricted) fields into its seal column. */
int rec_seal(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);
/* keys.c: open a row's seal (the data key, or the person's own key for people);
 * 1 when the person was forgotten (nothing appended), 0, or an error. */
int fs_unseal_for(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, const void *blob,
		  size_t n, struct fs_buf *out);
/* The same with the person's key given (verify's join): key_rc 0 and key, 1 (the
 * person forgotten) or an error (no key that opens); FS_PKEY_LOOKUP: looked up. */
#define FS_PKEY_LOOKUP (-1000)
int fs_unseal_for_key(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, const void *blob,
		      size_t n, int key_rc, const unsigned char *key, struct fs_buf *out);
/* verify's join: the keys of the people from id from on, in id order, at most
 * FS_PKEY_RUN of them (n < FS_PKEY_RUN: the last). state[i]: as key_rc above.
 * The keys live in guarded memory, wiped by the next run and by done. */
enum { FS_PKEY_RUN = 16384 };
struct fs_pkey_run {
	int64_t *ids;
	signed char *state;
	unsigned char (*keys)[32];
	size_t n;
};
int fs_person_keys_run(struct fs_ctx *ctx, int64_t from, struct fs_pkey_run *run, struct fs_error *err);
void fs_pkey_run_done(struct fs_pkey_run *run);
/* Seal a payload for r: people under their own key (made on first use), the rest
 * under the data key. */
int fs_seal_for(struct fs_ctx *ctx, const struct fs_rec *r, const void *plain, size_t n, struct fs_buf *out);
/* The associated data that binds a sealed value to table, row id and column. */
void fs_seal_ad(const char *table, int64_t id, const char *column, char ad[FS_SEAL_AD_MAX]);
/* seal_bind.c: seals made before schema 22 (bound to their table only) sealed
 * again bound to their row, in journaled batches that a rerun resumes. */
int fs_seal_bind(struct fs_ctx *ctx, int64_t batch, struct fs_error *err);
/* party.c: a transfer's party sealed under the newest party key (bound to the
 * transfer's organization and id); opened from a transfer row; at a rotation,
 * every party key re-wrapped by the new data key (old: the one before) and a new
 * generation started. */
int fs_party_seal(struct fs_ctx *ctx, int64_t org, const char *id, const char *party, struct fs_buf *out,
		  struct fs_error *err);
int fs_party_open(struct fs_ctx *ctx, const struct fs_value *transfer, struct fs_buf *out);
int fs_party_keys_rotate(struct fs_ctx *ctx, const struct fs_keys *old, int64_t *count, struct fs_error *err);
/* verify: what is wrong with a stored row's seal (it does not open here, or a
 * lookup hash is not the hash of the sealed value), or NULL. */
const char *fs_seal_row_check(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *v);
/* The same, the person's key given as fs_unseal_for_key takes it, plain a scratch buffer. */
const char *fs_seal_row_check_key(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *v, int key_rc,
				  const unsigned char *key, struct fs_buf *plain);
/* The next id the store gives a new row of t (inside a write transaction). */
int fs_next_id(struct fs_ctx *ctx, const struct fs_table *t, int64_t *id, struct fs_error *err);
void fs_pkeys_wipe(struct fs_ctx *ctx);
/* A new key for a person, wrapped by the current data key (rotation). */
int fs_person_key_renew(struct fs_ctx *ctx, int64_t person, int64_t org, struct fs_error *err);
/* Re-wrap the person keys that the current data key does not open (they open with old). */
int fs_person_keys_rewrap(struct fs_ctx *ctx, const struct fs_keys *old, int64_t *count, struct fs_error *err);
/* Delete a removed person's key row. */
int fs_person_key_drop(struct fs_ctx *ctx, int64_t person, struct fs_error *err);
/* forget_links.c: clear the text and sealed fields of the detentions, cases (and
 * their hearings) and violations naming a person; journaled 'erase' each. */
int fs_forget_links(struct fs_ctx *ctx, int64_t person, int64_t *cleared, struct fs_error *err);
/* 1 when a person's key was destroyed. */
int fs_person_forgotten(struct fs_ctx *ctx, int64_t person);
/* rotate.c: 1 while a rotation is unfinished. */
int fs_key_rotation_settle(struct fs_ctx *ctx, const char *db_fpr, struct fs_error *err);
int fs_key_rotating(struct fs_ctx *ctx);
/* rotate_split.c: a split key's rotation keeps its new key in KEY.new sealed by
 * the old key, and writes the new key's shares (as many, same threshold) to dir. */
int fs_rotate_next_write(const char *np, const struct fs_keys *old, const unsigned char master[32],
			 struct fs_error *err);
int fs_rotate_next_read(const char *np, const struct fs_keys *old, unsigned char master[32], struct fs_error *err);
int fs_rotate_shares_write(const char *key_path, const char *dir, const unsigned char master[32],
			   struct fs_error *err);
void fs_rotate_next_sweep(const char *np);
/* At open, with no rotation under way: a leftover sealed next key is removed. */
void fs_key_next_sweep(struct fs_ctx *ctx);
/* Seal r's fields again (after a key change or to move restricted text). */
int rec_reseal(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err);

/* validation helpers (entity.c) */
extern const char *const fs_claim_kinds[];
extern const char *const fs_verification_levels[], *const fs_violation_types[], *const fs_evidence_kinds[],
	*const fs_action_kinds[], *const fs_demand_statuses[];
int fs_claim_kind_index(const char *kind);
int fs_national_id_normalize(const char *country, const char *in, char *out, size_t outsz,
			     struct fs_error *err, const char *field);

/* the record's shared helpers (record.c) */
struct fs_imap { /* int64 id (not 0) -> int64 value, open addressing */
	struct fs_imap_slot {
		int64_t k, v; /* together: a look-up touches one cache line */
	} *s;
	size_t cap, n;
	unsigned shift; /* 64 - log2(cap): the slot is the product's top bits */
};
/* The value slot of key; with insert, created (0) when missing; NULL when
 * missing (or out of memory with insert). */
int64_t *fs_imap_slot(struct fs_imap *m, int64_t key, int insert);
void fs_imap_free(struct fs_imap *m);
/* A text column of an entity's row (all columns, entity order), or NULL. */
const char *fs_col_text(const struct fs_entity *e, const struct fs_value *v, const char *field);
/* A person's name (not sealed), or "" when the record cannot be read. */
void fs_person_name(struct fs_ctx *ctx, int64_t id, char *out, size_t cap);
/* dup_links.c: the duplicate queue's link decisions */
struct link_ud {
	struct fs_ctx *ctx;
	json_t *set;     /* "a-b" of every decided pair: not suggested again */
	json_t *decided; /* the decisions the principal may read: {id, person_a, person_b, decision} */
	struct fs_hcache *cache;
};
int fs_dup_link_cb(void *p, const struct fs_value *v);
void fs_dup_name_decided(json_t *decided, const int64_t *ids, char *const *names, size_t n);
/* custody.c: detentions not released, shown to the principal, whereabouts unknown first */
int fs_record_detained(struct fs_ctx *ctx, int public_only, json_t **ret, struct fs_error *err);
/* One select inside its own read transaction; the callback's error in *cb_rc. */
int fs_select_rows(struct fs_ctx *ctx, const struct fs_query *q, fs_row_cb cb, void *ud, const int *cb_rc,
		   struct fs_error *err);

/* The watch's limitation periods by kind other than money (limitation.c). */
int fs_watch_limitation(struct fs_ctx *ctx, int64_t workplace, fs_date as_of, json_t **ret, struct fs_error *err);

/* PostgreSQL: the rewrite of the tables a committed forget left old row versions
 * in (forget_links.c), when one is still owed (a crash or a failure after the
 * commit); 0 when none is. fs_open runs it on every writable open. */
int fs_forget_purge_owed(struct fs_ctx *ctx, struct fs_error *err);

#endif
