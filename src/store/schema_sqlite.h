/* schema_sqlite.h - versioned schema migrations for the SQLite backend.
 * Migration N (1-based) brings a database from user_version N-1 to N. */
#ifndef FS_SCHEMA_SQLITE_H
#define FS_SCHEMA_SQLITE_H

/* The SQLite text of the migration that puts org_id into every organization
 * table (sh15; its number is its place below): PostgreSQL finds it by this text
 * to add its keys (pg_overrides in store_pg_schema.c). */
#define FS_MIGRATION_ORG_KEYS \
	"ALTER TABLE balances ADD COLUMN org_id INTEGER NOT NULL DEFAULT 0;\n" \
	"UPDATE balances SET org_id = coalesce((SELECT a.org_id FROM accounts a WHERE a.id = balances.account_id), 0);\n" \
	"ALTER TABLE witnessed_logs RENAME COLUMN org_id TO log_org_id;\n" \
	/* journal_rows: m11 reshapes it (migration 25); this step follows theirs */ \
	"ALTER TABLE journal_rows ADD COLUMN org_id INTEGER NOT NULL DEFAULT 0;\n" \
	"UPDATE journal_rows SET org_id = coalesce((SELECT j.org_id FROM journal j WHERE j.seq = journal_rows.id), 0);\n"
/* one hash chain per log (below; PostgreSQL's form: store_pg_schema.c) */
#define FS_MIGRATION_JOURNAL_CHAINS                                                                                   \
	"INSERT INTO meta (key, value) SELECT 'journal_chains', max(seq) || '' FROM journal HAVING count(*) > 0;\n"       \
	"CREATE INDEX journal_log ON journal(org_id, seq);\n"
/* one transfer chain and one custody chain per organization (below; PostgreSQL's
 * form adds to it: store_pg_schema.c) */
#define FS_MIGRATION_ORG_CHAINS                                                                                          \
	"INSERT INTO meta (key, value) SELECT 'transfer_chains', max(seq) || '' FROM transfers HAVING count(*) > 0;\n"     \
	"INSERT INTO meta (key, value) SELECT 'custody_chains', max(seq) || '' FROM evidence_custody HAVING count(*) > 0;\n" \
	"CREATE INDEX transfers_chain ON transfers(org_id, seq);\n"                                                      \
	"CREATE INDEX evidence_custody_chain ON evidence_custody(org_id, seq);\n"

static const char *const fs_sqlite_migrations[] = {
	/* 1: people register, journal, meta */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;\n"
	"CREATE TABLE organizations (\n"
	"  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,\n"
	"  name_fold TEXT NOT NULL, country TEXT, currency TEXT) STRICT;\n"
	"CREATE TABLE people (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  external_id TEXT, full_name TEXT NOT NULL, full_name_fold TEXT NOT NULL,\n"
	"  national_id_hash BLOB, sealed BLOB,\n"
	"  UNIQUE (org_id, national_id_hash), UNIQUE (org_id, external_id)) STRICT;\n"
	"CREATE INDEX people_name ON people(org_id, full_name_fold);\n"
	"CREATE TABLE employers (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  name TEXT NOT NULL, name_fold TEXT NOT NULL, country TEXT, tax_id TEXT) STRICT;\n"
	"CREATE TABLE workplaces (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  employer_id INTEGER NOT NULL REFERENCES employers(id), name TEXT NOT NULL,\n"
	"  name_fold TEXT NOT NULL, city TEXT, kind TEXT) STRICT;\n"
	"CREATE TABLE employments (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_id INTEGER NOT NULL REFERENCES people(id),\n"
	"  employer_id INTEGER NOT NULL REFERENCES employers(id),\n"
	"  workplace_id INTEGER REFERENCES workplaces(id), job_title TEXT,\n"
	"  hired TEXT NOT NULL, terminated TEXT, termination_reason TEXT,\n"
	"  wage_minor INTEGER, benefits_minor INTEGER, currency TEXT,\n"
	"  underground INTEGER NOT NULL, notice_served INTEGER NOT NULL) STRICT;\n"
	"CREATE INDEX employments_person ON employments(person_id);\n"
	"CREATE INDEX employments_workplace ON employments(workplace_id);\n"
	"CREATE TABLE memberships (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_id INTEGER NOT NULL REFERENCES people(id),\n"
	"  organization_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  joined_on TEXT, left_on TEXT, role TEXT) STRICT;\n"
	"CREATE INDEX memberships_person ON memberships(person_id);\n"
	"CREATE TABLE journal (\n"
	"  seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,\n"
	"  entity TEXT NOT NULL, entity_id INTEGER NOT NULL, org_id INTEGER, person_id INTEGER,\n"
	"  before_json TEXT, after_json TEXT, row_hash BLOB, prev_hash BLOB NOT NULL,\n"
	"  hash BLOB NOT NULL) STRICT;\n",
	/* 2: claims watch - claims, promises, payments */
	"CREATE TABLE claims (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_id INTEGER NOT NULL REFERENCES people(id),\n"
	"  employment_id INTEGER REFERENCES employments(id), kind TEXT NOT NULL,\n"
	"  amount_minor INTEGER NOT NULL, currency TEXT, basis TEXT, rules_version TEXT, inputs TEXT,\n"
	"  document_ref TEXT, status TEXT, limitation_date TEXT, note TEXT) STRICT;\n"
	"CREATE INDEX claims_person ON claims(person_id);\n"
	"CREATE INDEX claims_employment ON claims(employment_id);\n"
	"CREATE TABLE promises (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  promisor_kind TEXT NOT NULL, promisor_name TEXT NOT NULL, promisor_name_fold TEXT NOT NULL,\n"
	"  workplace_id INTEGER REFERENCES workplaces(id), person_id INTEGER REFERENCES people(id),\n"
	"  kinds TEXT, amount_minor INTEGER, currency TEXT, made_on TEXT NOT NULL, due_on TEXT NOT NULL,\n"
	"  document_ref TEXT, note TEXT) STRICT;\n"
	"CREATE TABLE payments (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_id INTEGER NOT NULL REFERENCES people(id), promise_id INTEGER REFERENCES promises(id),\n"
	"  payer_kind TEXT NOT NULL, payer_name TEXT NOT NULL, paid_on TEXT NOT NULL,\n"
	"  amount_minor INTEGER NOT NULL, currency TEXT, reference TEXT, idempotency_key TEXT,\n"
	"  reverses_id INTEGER UNIQUE REFERENCES payments(id), note TEXT,\n"
	"  UNIQUE (org_id, idempotency_key)) STRICT;\n"
	"CREATE INDEX payments_person ON payments(person_id);\n"
	"CREATE INDEX payments_promise ON payments(promise_id);\n",
	/* 3: the watch reads claims through one covering index, in person order */
	"DROP INDEX claims_person;\n"
	"CREATE INDEX claims_watch ON claims(org_id, person_id, id, employment_id, kind, amount_minor, status,\n"
	"  limitation_date);\n",
	/* 4: accounts: users and their roles (journaled records), sessions, API tokens,
	 * login attempts (not journaled: secrets are stored only as hashes) */
	"CREATE TABLE users (\n"
	"  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, disabled INTEGER NOT NULL,\n"
	"  sealed BLOB) STRICT;\n"
	"CREATE TABLE roles (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id), role TEXT NOT NULL,\n"
	"  UNIQUE (org_id, user_id)) STRICT;\n"
	"CREATE TABLE sessions (\n"
	"  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),\n"
	"  token_hash BLOB NOT NULL UNIQUE, csrf TEXT NOT NULL, expires_at TEXT NOT NULL) STRICT;\n"
	"CREATE TABLE api_tokens (\n"
	"  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,\n"
	"  token_hash BLOB NOT NULL UNIQUE, created_at TEXT NOT NULL) STRICT;\n"
	"CREATE TABLE login_attempts (\n"
	"  id INTEGER PRIMARY KEY, username TEXT NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL) STRICT;\n"
	"CREATE INDEX login_attempts_user ON login_attempts(username, at);\n",
	/* 5: people lists are sorted by folded name, then name, then id: one index
	 * gives that order without sorting */
	"DROP INDEX people_name;\n"
	"CREATE INDEX people_name ON people(org_id, full_name_fold, full_name);\n",
	/* 6: solidarity funds - funds and accounts (journaled records), the transfer
	 * log (append-only, hash-chained on its own, one journal entry per batch) and
	 * the balances it implies (derived, checked by verify) */
	"CREATE TABLE funds (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  name TEXT NOT NULL, name_fold TEXT NOT NULL, currency TEXT, approval_threshold_minor INTEGER,\n"
	"  note TEXT) STRICT;\n"
	"CREATE TABLE accounts (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  fund_id INTEGER NOT NULL REFERENCES funds(id), name TEXT NOT NULL, name_fold TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL, currency TEXT, no_negative INTEGER NOT NULL,\n"
	"  person_id INTEGER REFERENCES people(id), UNIQUE (fund_id, name)) STRICT;\n"
	"CREATE TABLE transfers (\n"
	"  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, org_id INTEGER NOT NULL, fund_id INTEGER NOT NULL,\n"
	"  debit_account_id INTEGER NOT NULL, credit_account_id INTEGER NOT NULL, amount_minor INTEGER NOT NULL,\n"
	"  currency TEXT NOT NULL, code TEXT NOT NULL, flags INTEGER NOT NULL, pending_id TEXT, timeout_at TEXT,\n"
	"  ts TEXT NOT NULL, value_date TEXT NOT NULL, actor TEXT NOT NULL, memo TEXT, party BLOB,\n"
	"  prev_hash BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (org_id, id)) STRICT;\n"
	"CREATE INDEX transfers_pending ON transfers(org_id, pending_id) WHERE pending_id IS NOT NULL;\n"
	"CREATE TABLE balances (\n"
	"  account_id INTEGER PRIMARY KEY REFERENCES accounts(id), debits_posted INTEGER NOT NULL,\n"
	"  credits_posted INTEGER NOT NULL, debits_pending INTEGER NOT NULL, credits_pending INTEGER NOT NULL) STRICT;\n",
	/* 7: recurring pledges to a fund (journaled records; what came in is the
	 * transfers coded pledge-ID) */
	"CREATE TABLE pledges (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  fund_id INTEGER NOT NULL REFERENCES funds(id), label TEXT NOT NULL, label_fold TEXT NOT NULL,\n"
	"  monthly_minor INTEGER NOT NULL, start_month TEXT NOT NULL, end_month TEXT, sealed BLOB) STRICT;\n",
	/* 8: a fund's strike-pay policy */
	"ALTER TABLE funds ADD COLUMN strike_pay_weekly_minor INTEGER;\n",
	/* 9: the record - decisions that two person records are (not) the same person */
	"CREATE TABLE person_links (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_a INTEGER NOT NULL REFERENCES people(id), person_b INTEGER NOT NULL REFERENCES people(id),\n"
	"  decision TEXT NOT NULL, reason TEXT, UNIQUE (org_id, person_a, person_b)) STRICT;\n",
	/* 10: evidence files (content-addressed by SHA-256 in DB.evidence/) and their
	 * append-only, hash-chained custody log */
	"CREATE TABLE evidence (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  sha256 TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT, captured_on TEXT, handling TEXT,\n"
	"  sealed BLOB, UNIQUE (org_id, sha256)) STRICT;\n"
	"CREATE TABLE evidence_custody (\n"
	"  seq INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, evidence_id INTEGER NOT NULL REFERENCES evidence(id),\n"
	"  event TEXT NOT NULL, ts TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT,\n"
	"  prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;\n"
	"CREATE INDEX evidence_custody_item ON evidence_custody(evidence_id, seq);\n",
	/* 11: incidents, violations (victim x type x incident: the unit counted) and
	 * verification assessments (append-only; the latest one is the status) */
	"CREATE TABLE incidents (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  type TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT, place TEXT, region TEXT, summary TEXT,\n"
	"  handling TEXT) STRICT;\n"
	"CREATE TABLE violations (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  incident_id INTEGER NOT NULL REFERENCES incidents(id), type TEXT NOT NULL,\n"
	"  person_id INTEGER REFERENCES people(id), victims_low INTEGER, victims_high INTEGER, occurred_on TEXT,\n"
	"  method TEXT, involvement TEXT, handling TEXT, sealed BLOB) STRICT;\n"
	"CREATE INDEX violations_incident ON violations(incident_id);\n"
	"CREATE TABLE assessments (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  subject TEXT NOT NULL, subject_id INTEGER NOT NULL, level TEXT NOT NULL, reason TEXT NOT NULL,\n"
	"  assessed_on TEXT) STRICT;\n"
	"CREATE INDEX assessments_subject ON assessments(subject, subject_id);\n",
	/* 12: legal cases (one prosecution of one person) -> the prisoner list */
	"CREATE TABLE legal_cases (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_id INTEGER NOT NULL REFERENCES people(id), incident_id INTEGER REFERENCES incidents(id),\n"
	"  charges TEXT NOT NULL, court TEXT, case_number TEXT, custody_since TEXT, verdict TEXT, verdict_on TEXT,\n"
	"  sentence TEXT, sentence_months INTEGER, expected_release TEXT, released_on TEXT, appeal TEXT,\n"
	"  handling TEXT, sealed BLOB) STRICT;\n",
	/* 13: reports - one source's statement each, never overwritten */
	"CREATE TABLE reports (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  incident_id INTEGER NOT NULL REFERENCES incidents(id), received_on TEXT NOT NULL, channel TEXT,\n"
	"  connection TEXT NOT NULL, reliability TEXT NOT NULL, credibility TEXT NOT NULL, language TEXT,\n"
	"  handling TEXT, sealed BLOB) STRICT;\n"
	"CREATE INDEX reports_incident ON reports(incident_id);\n",
	/* 14: detentions - whereabouts (unknown past a set time is the warning sign) */
	"CREATE TABLE detentions (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  person_id INTEGER NOT NULL REFERENCES people(id), incident_id INTEGER REFERENCES incidents(id),\n"
	"  arrested_at TEXT NOT NULL, arresting_body TEXT, held_at TEXT, whereabouts TEXT, whereabouts_since TEXT,\n"
	"  lawyer_access INTEGER NOT NULL, released_at TEXT, release_kind TEXT, handling TEXT) STRICT;\n",
	/* 15: actions (strikes, marches with stages, ...) and their demands; court
	 * hearings of a legal case; citations tying reports and evidence to the
	 * incidents and violations they support; incidents belong to an action
	 * (and stage); evidence items have a kind */
	"CREATE TABLE actions (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  kind TEXT NOT NULL, title TEXT NOT NULL, title_fold TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT,\n"
	"  place TEXT, region TEXT, employer_id INTEGER REFERENCES employers(id),\n"
	"  workplace_id INTEGER REFERENCES workplaces(id), organizations TEXT, participants_low INTEGER,\n"
	"  participants_high INTEGER, summary TEXT, handling TEXT) STRICT;\n"
	"CREATE TABLE action_stages (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  action_id INTEGER NOT NULL REFERENCES actions(id), number INTEGER NOT NULL, held_on TEXT NOT NULL,\n"
	"  from_place TEXT, to_place TEXT, region TEXT, participants_low INTEGER, participants_high INTEGER,\n"
	"  note TEXT, handling TEXT, UNIQUE (action_id, number)) STRICT;\n"
	"CREATE TABLE demands (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  action_id INTEGER NOT NULL REFERENCES actions(id), text TEXT NOT NULL, status TEXT NOT NULL,\n"
	"  outcome_on TEXT, note TEXT, handling TEXT) STRICT;\n"
	"CREATE INDEX demands_action ON demands(action_id);\n"
	"CREATE TABLE hearings (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  case_id INTEGER NOT NULL REFERENCES legal_cases(id), held_on TEXT NOT NULL, kind TEXT, court TEXT,\n"
	"  outcome TEXT, next_on TEXT, handling TEXT) STRICT;\n"
	"CREATE INDEX hearings_case ON hearings(case_id);\n"
	"CREATE TABLE citations (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),\n"
	"  subject TEXT NOT NULL, subject_id INTEGER NOT NULL, report_id INTEGER REFERENCES reports(id),\n"
	"  evidence_id INTEGER REFERENCES evidence(id), note TEXT) STRICT;\n"
	"CREATE UNIQUE INDEX citations_once ON citations(subject, subject_id, coalesce(report_id, 0), coalesce(evidence_id, 0));\n"
	"ALTER TABLE incidents ADD COLUMN action_id INTEGER REFERENCES actions(id);\n"
	"ALTER TABLE incidents ADD COLUMN stage_id INTEGER REFERENCES action_stages(id);\n"
	"CREATE INDEX incidents_action ON incidents(action_id);\n"
	"ALTER TABLE evidence ADD COLUMN kind TEXT;\n",
	/* 16: the KZ average wage: an employment's accruals and days actually worked
	 * in the 12 months before the termination; its unused leave days */
	"ALTER TABLE employments ADD COLUMN accruals_12m_minor INTEGER;\n"
	"ALTER TABLE employments ADD COLUMN days_worked_12m INTEGER;\n"
	"ALTER TABLE employments ADD COLUMN unused_leave_days INTEGER;\n",
	/* 17: restricted text is sealed: the record tables without a seal get one;
	 * per-person keys (wrapped by the data key) seal each person's sealed fields,
	 * so that destroying one forgets the person (crypto-shredding). The text
	 * already stored is moved into the seals by the core at the first writable
	 * open (ctx.c, reshape_journal). */
	"ALTER TABLE incidents ADD COLUMN sealed BLOB;\n"
	"ALTER TABLE assessments ADD COLUMN sealed BLOB;\n"
	"ALTER TABLE detentions ADD COLUMN sealed BLOB;\n"
	"ALTER TABLE actions ADD COLUMN sealed BLOB;\n"
	"ALTER TABLE action_stages ADD COLUMN sealed BLOB;\n"
	"ALTER TABLE demands ADD COLUMN sealed BLOB;\n"
	"ALTER TABLE hearings ADD COLUMN sealed BLOB;\n"
	"CREATE TABLE IF NOT EXISTS person_keys (\n"
	"  person_id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, wrapped BLOB, forgotten_at TEXT,\n"
	"  forgotten_by TEXT) STRICT;\n",
	/* 18: sessions and API tokens are stored as hashes keyed with a secret from the
	 * key file: the old unkeyed ones can no longer be checked and go; a token's
	 * name is unique per user (it is how a token is listed and revoked) */
	"DELETE FROM sessions;\n"
	"DELETE FROM api_tokens;\n"
	"CREATE UNIQUE INDEX api_tokens_name ON api_tokens(user_id, name);\n",
	/* 19: the two-person rule: what one account may pay out of a fund in 24 hours
	 * without a second person, and the transfers of a fund by time (that sum) */
	"ALTER TABLE funds ADD COLUMN rolling_limit_minor INTEGER;\n"
	"CREATE INDEX transfers_fund_ts ON transfers(org_id, fund_id, ts);\n",
	/* 20 (l11; renumbered by position at merge): the journal as a Merkle log per
	 * organization (log 0: the system's): every complete subtree once, keyed by
	 * organization, level and index (log.c; a log's size is one past its last
	 * leaf); the signed
	 * checkpoints made of them. The entries already journaled become leaves at the
	 * first writable open (ctx.c, fs_log_build). */
	"CREATE TABLE IF NOT EXISTS log_nodes (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, level INTEGER NOT NULL, idx INTEGER NOT NULL,\n"
	"  hash BLOB NOT NULL, seq INTEGER) STRICT;\n"
	"CREATE TABLE IF NOT EXISTS checkpoints (\n"
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, size INTEGER NOT NULL, root BLOB NOT NULL,\n"
	"  ts TEXT NOT NULL, text TEXT NOT NULL) STRICT;\n",
	/* 21 (f16): bulk work journaled by batch - the ids
	 * and row hashes a batch journal entry binds, packed, one row per chunk (id =
	 * the entry's seq; src/core/batch.c) */
	"CREATE TABLE journal_rows (\n"
	"  id INTEGER PRIMARY KEY, entity TEXT NOT NULL, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL,\n"
	"  nrows INTEGER NOT NULL, rows BLOB NOT NULL) STRICT;\n"
	"CREATE INDEX journal_rows_range ON journal_rows(entity, first_id);\n",
	/* 22 (s12; reserved 21, renumbered at the merge after f16) sealed values bound to table, row id and column
	 * (the seals themselves are bound again by the core, seal_bind.c); the keys
	 * that seal transfers' parties, one per generation, wrapped by the data key
	 * (party.c): the transfer chain covers a party, so a rotation re-wraps these */
	"CREATE TABLE IF NOT EXISTS party_keys (gen INTEGER PRIMARY KEY, wrapped BLOB NOT NULL, created_at TEXT NOT NULL) STRICT;\n",
	/* 23 (l11): this instance as a witness of other instances' logs (witness.c): each
	 * log witnessed (its public checkpoint URL and the key pinned when it was added),
	 * each checkpoint of it countersigned (ok 1) or that contradicted the last one
	 * kept (ok 0, kept as received with the reason) */
	"CREATE TABLE IF NOT EXISTS witnessed_logs (\n"
	"  id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, org TEXT NOT NULL, org_id INTEGER NOT NULL, key TEXT NOT NULL,\n"
	"  added_at TEXT NOT NULL) STRICT;\n"
	"CREATE TABLE IF NOT EXISTS witnessed_checkpoints (\n"
	"  id INTEGER PRIMARY KEY, log_id INTEGER NOT NULL REFERENCES witnessed_logs(id), size INTEGER NOT NULL,\n"
	"  root TEXT NOT NULL, ts TEXT NOT NULL, ok INTEGER NOT NULL, why TEXT, text TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS witnessed_checkpoints_log ON witnessed_checkpoints(log_id, ok, id);\n",
	/* 24 (pg15): a citation's
	 * unique key carries its organization (the rule of a database sharded by
	 * organization, doc/postgres.md); a subject belongs to one organization, so
	 * the key admits no more than before */
	"DROP INDEX IF EXISTS citations_once;\n"
	"CREATE UNIQUE INDEX citations_once ON citations(org_id, subject, subject_id, coalesce(report_id, 0), "
	"coalesce(evidence_id, 0));\n",
	/* 29 (sh15; 25 by position until 25-28 are merged): every table an organization owns carries its org_id, filled
	 * from the parent row (balances from their account, journal_rows from their
	 * journal entry: 0, the system's, for an entry of no organization); a
	 * witnessed log's organization is the other instance's, not an owner here:
	 * its column is log_org_id, and the witness tables are the installation's
	 * (reference tables). On PostgreSQL the same step also puts org_id into
	 * every primary, unique and foreign key between organization tables
	 * (pg_overrides in store_pg_schema.c; doc/postgres.md); SQLite keeps its
	 * simpler keys (one file, nothing to shard; ids are unique per table on
	 * both, so the keys admit the same rows). */
	FS_MIGRATION_ORG_KEYS,
	/* 26 (j11): one hash chain per log - every
	 * entry from here on follows the entry before it in its own log (the system's,
	 * org_id 0, or its organization's), the first of each log the old single
	 * chain's head. Where the old chain ends is kept (meta journal_chains; none in
	 * a journal that had no entry) so verify goes on checking it; each log's head
	 * is found by the index (journal.c) */
	FS_MIGRATION_JOURNAL_CHAINS,
	/* 27 (pgl15): one transfer chain and one custody chain per organization, as
	 * the journal's (26): every transfer and custody event from here on follows
	 * the newest earlier one of its organization, the first of each organization
	 * the old installation-wide chain's head; where the old chains end is kept
	 * (meta transfer_chains, custody_chains; none when empty) so verify goes on
	 * checking them. On PostgreSQL the ids and journal numbers also come from
	 * sequences (store_pg_schema.c): organizations' writers share no counter */
	FS_MIGRATION_ORG_CHAINS,
	/* 28 (s25-led16): each organization's transfer chain head (its newest row's
	 * seq, ts and hash) kept in a row of its own, written once per ledger batch, in
	 * place of the index transfers_chain (one B-tree less on every transfer); a
	 * missing row is found from the transfers as before (ledger_head.c: an
	 * organization's first batch after this migration); verify checks each row
	 * against its chain. A fund's statement reads transfers_fund_ts newest first
	 * (ts, seq: ts never goes back within an organization from here on) */
	"CREATE TABLE transfer_heads (\n"
	"  org_id INTEGER NOT NULL, seq INTEGER NOT NULL, ts TEXT NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (org_id)) STRICT;\n"
	"DROP INDEX transfers_chain;\n",
};

#define FS_SQLITE_SCHEMA_VERSION ((int)(sizeof(fs_sqlite_migrations) / sizeof(fs_sqlite_migrations[0])))

#endif
