PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
INSERT INTO meta VALUES('key_fingerprint','d0a17426125de5a1883c91154c6937e9806e7f833a3f4054cbea9aee89d2ee31');
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  name_fold TEXT NOT NULL, country TEXT, currency TEXT) STRICT;
INSERT INTO organizations VALUES(1,'oil','Oil','oil','KZ','KZT');
CREATE TABLE people (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  external_id TEXT, full_name TEXT NOT NULL, full_name_fold TEXT NOT NULL,
  national_id_hash BLOB, sealed BLOB,
  UNIQUE (org_id, national_id_hash), UNIQUE (org_id, external_id)) STRICT;
INSERT INTO people VALUES(1,1,NULL,'Ерлан Оспанов','ерлан оспанов',NULL,NULL);
CREATE TABLE employers (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL, name_fold TEXT NOT NULL, country TEXT, tax_id TEXT) STRICT;
CREATE TABLE workplaces (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  employer_id INTEGER NOT NULL REFERENCES employers(id), name TEXT NOT NULL,
  name_fold TEXT NOT NULL, city TEXT, kind TEXT) STRICT;
CREATE TABLE employments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  workplace_id INTEGER REFERENCES workplaces(id), job_title TEXT,
  hired TEXT NOT NULL, terminated TEXT, termination_reason TEXT,
  wage_minor INTEGER, benefits_minor INTEGER, currency TEXT,
  underground INTEGER NOT NULL, notice_served INTEGER NOT NULL) STRICT;
CREATE TABLE memberships (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  joined_on TEXT, left_on TEXT, role TEXT) STRICT;
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  entity TEXT NOT NULL, entity_id INTEGER NOT NULL, org_id INTEGER, person_id INTEGER,
  before_json TEXT, after_json TEXT, row_hash BLOB, prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL) STRICT;
INSERT INTO journal VALUES(1,'2026-11-23T04:58:26.202Z','cli:root','create','organization',1,1,NULL,NULL,'{"id":1,"slug":"oil","name":"Oil","country":"KZ","currency":"KZT"}',X'f54f550cc62c68c76ef1b6022ecd3ab3fa21cb6a87a0fbc23c379b5bad490e7d',X'0000000000000000000000000000000000000000000000000000000000000000',X'66d78ab5fe4e0844fd147ba5ef697a00f2b23b5ef87b34b855617e4168fa5b61');
INSERT INTO journal VALUES(2,'2026-11-23T04:58:26.221Z','cli:root','create','person',1,1,1,NULL,'{"id":1,"org_id":1,"external_id":null,"full_name":"Ерлан Оспанов","national_id":null,"birth_date":null,"phone":null,"address":null}',X'064e8ee4c5f26957f0cf18819590cbcd0f965fb7bd0afec3487eaf44fbd81b73',X'66d78ab5fe4e0844fd147ba5ef697a00f2b23b5ef87b34b855617e4168fa5b61',X'11e863cc109f318a81665d95c72ee293326117ac2a8447f81ea4e0c126bf31fa');
INSERT INTO journal VALUES(3,'2026-11-23T04:58:26.240Z','cli:root','create','incident',1,1,NULL,NULL,'{"id":1,"org_id":1,"type":"mass_arrest","started_on":"2011-12-17","ended_on":null,"place":null,"region":null,"summary":null,"handling":"public"}',X'06a39427ce97805610c083701c7d4cc14f286bb74e0645d81a3491814b12c8c7',X'11e863cc109f318a81665d95c72ee293326117ac2a8447f81ea4e0c126bf31fa',X'0727b01e5dea2d57783b599250abafae10455118dcd2f9aaf1c6c99c6d23ca78');
INSERT INTO journal VALUES(4,'2026-11-23T04:58:26.258Z','cli:root','create','violation',1,1,1,NULL,'{"id":1,"org_id":1,"incident_id":1,"type":"arbitrary_arrest","person_id":1,"victims_low":null,"victims_high":null,"occurred_on":null,"method":null,"perpetrator":null,"involvement":null,"handling":"public"}',X'a62fed221915b8659df291925d574a592574b6a45c330b151f230d744bebd9e2',X'0727b01e5dea2d57783b599250abafae10455118dcd2f9aaf1c6c99c6d23ca78',X'c34d868a96e3c8fb1317b0e0a4378f6e0c7f066271304f4ffc1deff88d4de1e0');
INSERT INTO journal VALUES(5,'2026-11-23T04:58:26.279Z','cli:root','create','evidence',1,1,NULL,NULL,'{"id":1,"org_id":1,"sha256":"997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97","size":12,"filename":"court.txt","captured_on":null,"handling":"internal","description":null,"provided_by":null}',X'c3537982932f49e13f1be05f5351f9c8ec6bb8bb5f762588a9d354aa4b875d3b',X'c34d868a96e3c8fb1317b0e0a4378f6e0c7f066271304f4ffc1deff88d4de1e0',X'eab1310d463171b60c2e71dc39c2b5a5464d4223b69d6fcd383339238496ae8c');
CREATE TABLE claims (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  employment_id INTEGER REFERENCES employments(id), kind TEXT NOT NULL,
  amount_minor INTEGER NOT NULL, currency TEXT, basis TEXT, rules_version TEXT, inputs TEXT,
  document_ref TEXT, status TEXT, limitation_date TEXT, note TEXT) STRICT;
CREATE TABLE promises (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  promisor_kind TEXT NOT NULL, promisor_name TEXT NOT NULL, promisor_name_fold TEXT NOT NULL,
  workplace_id INTEGER REFERENCES workplaces(id), person_id INTEGER REFERENCES people(id),
  kinds TEXT, amount_minor INTEGER, currency TEXT, made_on TEXT NOT NULL, due_on TEXT NOT NULL,
  document_ref TEXT, note TEXT) STRICT;
CREATE TABLE payments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id), promise_id INTEGER REFERENCES promises(id),
  payer_kind TEXT NOT NULL, payer_name TEXT NOT NULL, paid_on TEXT NOT NULL,
  amount_minor INTEGER NOT NULL, currency TEXT, reference TEXT, idempotency_key TEXT,
  reverses_id INTEGER UNIQUE REFERENCES payments(id), note TEXT,
  UNIQUE (org_id, idempotency_key)) STRICT;
CREATE TABLE users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, disabled INTEGER NOT NULL,
  sealed BLOB) STRICT;
CREATE TABLE roles (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  user_id INTEGER NOT NULL REFERENCES users(id), role TEXT NOT NULL,
  UNIQUE (org_id, user_id)) STRICT;
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash BLOB NOT NULL UNIQUE, csrf TEXT NOT NULL, expires_at TEXT NOT NULL) STRICT;
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash BLOB NOT NULL UNIQUE, created_at TEXT NOT NULL) STRICT;
CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL) STRICT;
CREATE TABLE funds (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL, name_fold TEXT NOT NULL, currency TEXT, approval_threshold_minor INTEGER,
  note TEXT, strike_pay_weekly_minor INTEGER) STRICT;
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  fund_id INTEGER NOT NULL REFERENCES funds(id), name TEXT NOT NULL, name_fold TEXT NOT NULL,
  kind TEXT NOT NULL, currency TEXT, no_negative INTEGER NOT NULL,
  person_id INTEGER REFERENCES people(id), UNIQUE (fund_id, name)) STRICT;
CREATE TABLE transfers (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, org_id INTEGER NOT NULL, fund_id INTEGER NOT NULL,
  debit_account_id INTEGER NOT NULL, credit_account_id INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL, code TEXT NOT NULL, flags INTEGER NOT NULL, pending_id TEXT, timeout_at TEXT,
  ts TEXT NOT NULL, value_date TEXT NOT NULL, actor TEXT NOT NULL, memo TEXT, party BLOB,
  prev_hash BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (org_id, id)) STRICT;
CREATE TABLE balances (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id), debits_posted INTEGER NOT NULL,
  credits_posted INTEGER NOT NULL, debits_pending INTEGER NOT NULL, credits_pending INTEGER NOT NULL) STRICT;
CREATE TABLE pledges (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  fund_id INTEGER NOT NULL REFERENCES funds(id), label TEXT NOT NULL, label_fold TEXT NOT NULL,
  monthly_minor INTEGER NOT NULL, start_month TEXT NOT NULL, end_month TEXT, sealed BLOB) STRICT;
CREATE TABLE person_links (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_a INTEGER NOT NULL REFERENCES people(id), person_b INTEGER NOT NULL REFERENCES people(id),
  decision TEXT NOT NULL, reason TEXT, UNIQUE (org_id, person_a, person_b)) STRICT;
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  sha256 TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT, captured_on TEXT, handling TEXT,
  sealed BLOB, UNIQUE (org_id, sha256)) STRICT;
INSERT INTO evidence VALUES(1,1,'997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97',12,'court.txt',NULL,'internal',NULL);
CREATE TABLE evidence_custody (
  seq INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, evidence_id INTEGER NOT NULL REFERENCES evidence(id),
  event TEXT NOT NULL, ts TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT,
  prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;
INSERT INTO evidence_custody VALUES(1,1,1,'added','2026-11-23T04:58:26.279Z','cli:root','12 bytes',X'0000000000000000000000000000000000000000000000000000000000000000',X'dc8173e5f397b2b0be1d80a131977f1c6ad6e4e3a8ccc92c3ffff1473bb1eb1d');
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  type TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT, place TEXT, region TEXT, summary TEXT,
  handling TEXT) STRICT;
INSERT INTO incidents VALUES(1,1,'mass_arrest','2011-12-17',NULL,NULL,NULL,NULL,'public');
CREATE TABLE violations (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  incident_id INTEGER NOT NULL REFERENCES incidents(id), type TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id), victims_low INTEGER, victims_high INTEGER, occurred_on TEXT,
  method TEXT, involvement TEXT, handling TEXT, sealed BLOB) STRICT;
INSERT INTO violations VALUES(1,1,1,'arbitrary_arrest',1,NULL,NULL,NULL,NULL,NULL,'public',NULL);
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  subject TEXT NOT NULL, subject_id INTEGER NOT NULL, level TEXT NOT NULL, reason TEXT NOT NULL,
  assessed_on TEXT) STRICT;
CREATE TABLE legal_cases (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id), incident_id INTEGER REFERENCES incidents(id),
  charges TEXT NOT NULL, court TEXT, case_number TEXT, custody_since TEXT, verdict TEXT, verdict_on TEXT,
  sentence TEXT, sentence_months INTEGER, expected_release TEXT, released_on TEXT, appeal TEXT,
  handling TEXT, sealed BLOB) STRICT;
CREATE TABLE reports (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  incident_id INTEGER NOT NULL REFERENCES incidents(id), received_on TEXT NOT NULL, channel TEXT,
  connection TEXT NOT NULL, reliability TEXT NOT NULL, credibility TEXT NOT NULL, language TEXT,
  handling TEXT, sealed BLOB) STRICT;
CREATE TABLE detentions (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id), incident_id INTEGER REFERENCES incidents(id),
  arrested_at TEXT NOT NULL, arresting_body TEXT, held_at TEXT, whereabouts TEXT, whereabouts_since TEXT,
  lawyer_access INTEGER NOT NULL, released_at TEXT, release_kind TEXT, handling TEXT) STRICT;
CREATE INDEX employments_person ON employments(person_id);
CREATE INDEX employments_workplace ON employments(workplace_id);
CREATE INDEX memberships_person ON memberships(person_id);
CREATE INDEX claims_employment ON claims(employment_id);
CREATE INDEX payments_person ON payments(person_id);
CREATE INDEX payments_promise ON payments(promise_id);
CREATE INDEX claims_watch ON claims(org_id, person_id, id, employment_id, kind, amount_minor, status,
  limitation_date);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX people_name ON people(org_id, full_name_fold, full_name);
CREATE INDEX transfers_pending ON transfers(org_id, pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX evidence_custody_item ON evidence_custody(evidence_id, seq);
CREATE INDEX violations_incident ON violations(incident_id);
CREATE INDEX assessments_subject ON assessments(subject, subject_id);
CREATE INDEX reports_incident ON reports(incident_id);
COMMIT;
