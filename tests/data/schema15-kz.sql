PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
INSERT INTO meta VALUES('key_fingerprint','cae4e7a463f27f30e35501ae442a853ec0002c199754d223b51e7efd5ceb000a');
INSERT INTO meta VALUES('journal_shape','15');
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
INSERT INTO employers VALUES(1,1,'Ozenmunaigas','ozenmunaigas',NULL,NULL);
CREATE TABLE workplaces (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  employer_id INTEGER NOT NULL REFERENCES employers(id), name TEXT NOT NULL,
  name_fold TEXT NOT NULL, city TEXT, kind TEXT) STRICT;
INSERT INTO workplaces VALUES(1,1,1,'Zhanaozen field','zhanaozen field',NULL,'field');
CREATE TABLE employments (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  workplace_id INTEGER REFERENCES workplaces(id), job_title TEXT,
  hired TEXT NOT NULL, terminated TEXT, termination_reason TEXT,
  wage_minor INTEGER, benefits_minor INTEGER, currency TEXT,
  underground INTEGER NOT NULL, notice_served INTEGER NOT NULL) STRICT;
INSERT INTO employments VALUES(1,1,1,1,1,NULL,'2005-03-01','2011-12-16','liquidation',15000000,NULL,'KZT',0,0);
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
INSERT INTO journal VALUES(1,'2026-12-05T16:45:44.183Z','cli:root','create','organization',1,1,NULL,NULL,'{"id":1,"slug":"oil","name":"Oil","country":"KZ","currency":"KZT"}',X'f54f550cc62c68c76ef1b6022ecd3ab3fa21cb6a87a0fbc23c379b5bad490e7d',X'0000000000000000000000000000000000000000000000000000000000000000',X'9089bd84f03a0f34af6a27e798a9e892ced0f81bc44379644abe5a69c81dbc0b');
INSERT INTO journal VALUES(2,'2026-12-05T16:45:44.289Z','cli:root','create','employer',1,1,NULL,NULL,'{"id":1,"org_id":1,"name":"Ozenmunaigas","country":null,"tax_id":null}',X'd1ba6162a6c2c49a3be1d8d9d5c7afaca57d7476aade7c8c4f8c0593814ab732',X'9089bd84f03a0f34af6a27e798a9e892ced0f81bc44379644abe5a69c81dbc0b',X'9b26c0b55a8d004bd8b9e2104f724b7e7ba785b58da25608b00e4918901e9b85');
INSERT INTO journal VALUES(3,'2026-12-05T16:45:44.393Z','cli:root','create','workplace',1,1,NULL,NULL,'{"id":1,"org_id":1,"employer_id":1,"name":"Zhanaozen field","city":null,"kind":"field"}',X'c68d2364f2cc5001ffee56daf4c03887a6473b5d11dad03054746651c4fb1ee9',X'9b26c0b55a8d004bd8b9e2104f724b7e7ba785b58da25608b00e4918901e9b85',X'2187a9fe07eb8ce1a442a7aaac0360edfea9942fe398910a2c7a300633849aff');
INSERT INTO journal VALUES(4,'2026-12-05T16:45:44.532Z','cli:root','create','person',1,1,1,NULL,'{"id":1,"org_id":1,"external_id":null,"full_name":"Ерлан Оспанов","national_id":null,"birth_date":null,"phone":null,"address":null,"birth_place":null}',X'064e8ee4c5f26957f0cf18819590cbcd0f965fb7bd0afec3487eaf44fbd81b73',X'2187a9fe07eb8ce1a442a7aaac0360edfea9942fe398910a2c7a300633849aff',X'bd92f9ce82e3fbd82e900faf62febd16d8a75d7d98be324e450e4b7417015192');
INSERT INTO journal VALUES(5,'2026-12-05T16:45:44.795Z','cli:root','create','employment',1,1,1,NULL,'{"id":1,"org_id":1,"person_id":1,"employer_id":1,"workplace_id":1,"job_title":null,"hired":"2005-03-01","terminated":"2011-12-16","termination_reason":"liquidation","wage_minor":15000000,"benefits_minor":null,"currency":"KZT","underground":false,"notice_served":false}',X'1faef3ddd3ef9fdb39da030353314e6526fc8d92916835a9443b1220da3ebfc1',X'bd92f9ce82e3fbd82e900faf62febd16d8a75d7d98be324e450e4b7417015192',X'a41fd8ab81dc9be6b77126046bf998ae65d98dcf0af9cadf63e9138f7c3a43bf');
INSERT INTO journal VALUES(6,'2026-12-05T16:45:48.023Z','cli:root','create','claim',1,1,1,NULL,'{"id":1,"org_id":1,"person_id":1,"employment_id":1,"kind":"compensation","amount_minor":15000000,"currency":"KZT","basis":"computed","rules_version":"KZ-2026.11-1","inputs":"{\"age\":0,\"benefits_minor\":0,\"hired\":\"2005-03-01\",\"jurisdiction\":\"KZ\",\"notice_served\":false,\"overtime_hours\":\"0.00\",\"reason\":\"liquidation\",\"terminated\":\"2011-12-16\",\"underground\":false,\"unpaid_months\":0,\"unused_leave_days\":0,\"wage_minor\":15000000}","document_ref":null,"status":"draft","limitation_date":"2012-12-16","note":null}',X'3d4a9c7ff73f09d83df1a19aa8e5e13a08ee2cea7c99ddfe3d51e74e0fd3996f',X'a41fd8ab81dc9be6b77126046bf998ae65d98dcf0af9cadf63e9138f7c3a43bf',X'4461d370c89b73de1c91a398b76783091e8b7b72e4fb77c6fad762a488c5e066');
CREATE TABLE claims (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  employment_id INTEGER REFERENCES employments(id), kind TEXT NOT NULL,
  amount_minor INTEGER NOT NULL, currency TEXT, basis TEXT, rules_version TEXT, inputs TEXT,
  document_ref TEXT, status TEXT, limitation_date TEXT, note TEXT) STRICT;
INSERT INTO claims VALUES(1,1,1,1,'compensation',15000000,'KZT','computed','KZ-2026.11-1','{"age":0,"benefits_minor":0,"hired":"2005-03-01","jurisdiction":"KZ","notice_served":false,"overtime_hours":"0.00","reason":"liquidation","terminated":"2011-12-16","underground":false,"unpaid_months":0,"unused_leave_days":0,"wage_minor":15000000}',NULL,'draft','2012-12-16',NULL);
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
  sealed BLOB, kind TEXT, UNIQUE (org_id, sha256)) STRICT;
CREATE TABLE evidence_custody (
  seq INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, evidence_id INTEGER NOT NULL REFERENCES evidence(id),
  event TEXT NOT NULL, ts TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT,
  prev_hash BLOB NOT NULL, hash BLOB NOT NULL) STRICT;
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  type TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT, place TEXT, region TEXT, summary TEXT,
  handling TEXT, action_id INTEGER REFERENCES actions(id), stage_id INTEGER REFERENCES action_stages(id)) STRICT;
CREATE TABLE violations (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  incident_id INTEGER NOT NULL REFERENCES incidents(id), type TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id), victims_low INTEGER, victims_high INTEGER, occurred_on TEXT,
  method TEXT, involvement TEXT, handling TEXT, sealed BLOB) STRICT;
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
CREATE TABLE actions (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  kind TEXT NOT NULL, title TEXT NOT NULL, title_fold TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT,
  place TEXT, region TEXT, employer_id INTEGER REFERENCES employers(id),
  workplace_id INTEGER REFERENCES workplaces(id), organizations TEXT, participants_low INTEGER,
  participants_high INTEGER, summary TEXT, handling TEXT) STRICT;
CREATE TABLE action_stages (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  action_id INTEGER NOT NULL REFERENCES actions(id), number INTEGER NOT NULL, held_on TEXT NOT NULL,
  from_place TEXT, to_place TEXT, region TEXT, participants_low INTEGER, participants_high INTEGER,
  note TEXT, handling TEXT, UNIQUE (action_id, number)) STRICT;
CREATE TABLE demands (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  action_id INTEGER NOT NULL REFERENCES actions(id), text TEXT NOT NULL, status TEXT NOT NULL,
  outcome_on TEXT, note TEXT, handling TEXT) STRICT;
CREATE TABLE hearings (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  case_id INTEGER NOT NULL REFERENCES legal_cases(id), held_on TEXT NOT NULL, kind TEXT, court TEXT,
  outcome TEXT, next_on TEXT, handling TEXT) STRICT;
CREATE TABLE citations (
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organizations(id),
  subject TEXT NOT NULL, subject_id INTEGER NOT NULL, report_id INTEGER REFERENCES reports(id),
  evidence_id INTEGER REFERENCES evidence(id), note TEXT) STRICT;
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
CREATE INDEX demands_action ON demands(action_id);
CREATE INDEX hearings_case ON hearings(case_id);
CREATE UNIQUE INDEX citations_once ON citations(subject, subject_id, coalesce(report_id, 0), coalesce(evidence_id, 0));
CREATE INDEX incidents_action ON incidents(action_id);
COMMIT;
