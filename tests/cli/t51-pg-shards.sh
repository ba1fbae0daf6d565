#!/bin/sh
# t51 - the organization in every key, on PostgreSQL (always; a private cluster
# unless $PGHOST names one): a row of one organization that names another
# organization's row is refused by the composite foreign key itself (the last
# line of defence behind the core's own check, which answers first through the
# CLI); the organization ids the writers fill (balances, journal_rows) are their
# parents'; verify's reference check follows a composite key; the witness
# tables are reference tables; the live schema breaks no sharding rule but the
# journal's (tests/data/pg-distribution.txt; doc/postgres.md).
FS_TEST_DB=postgres
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
q() { psql -X -At -d "$FS_PG_DB" -c "$1" 2>&1; }

expect "init" 0 fs init
fs org add --slug aa --name "Union A" --country TR --currency TRY >/dev/null
fs org add --slug bb --name "Union B" --country TR --currency TRY >/dev/null
expect "a person in A" 0 fs --org aa person add --full-name "Ayşe Yılmaz"
expect "an employer in B" 0 fs --org bb employer add --name "Kömür A.Ş."
pa=$(q "SELECT id FROM people WHERE org_id = (SELECT id FROM organizations WHERE slug = 'aa')")
eb=$(q "SELECT id FROM employers")
ob=$(q "SELECT id FROM organizations WHERE slug = 'bb'")

# ---- the keys ----
same "people's key is (org_id, id)" "$(q "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'people_pkey'")" "PRIMARY KEY (org_id, id)"
same "a reference between organization tables is composite" \
	"$(q "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'employments'::regclass AND contype = 'f' AND confrelid = 'people'::regclass")" \
	"FOREIGN KEY (org_id, person_id) REFERENCES people(org_id, id) DEFERRABLE"
same "a unique key carries the organization" \
	"$(q "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'accounts'::regclass AND contype = 'u'")" \
	"UNIQUE (org_id, fund_id, name)"
same "balances and journal_rows: org_id NOT NULL, no default" \
	"$(q "SELECT string_agg(c.relname || ':' || a.attnotnull || ':' || (a.atthasdef)::text, ' ' ORDER BY c.relname) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname IN ('balances', 'journal_rows') AND a.attname = 'org_id'")" \
	"balances:true:false journal_rows:true:false"
same "lookups by id alone keep an index" "$(q "SELECT count(*) FROM pg_indexes WHERE indexname = 'people_id_lookup' AND indexdef LIKE '%(id)'")" 1

# ---- another organization's row: refused by the core, then by the key ----
expect "the CLI refuses B's employment of A's person (the core's check)" 65 \
	fs --org bb employment add --person-id "$pa" --employer-id "$eb" --hired 2011-01-01
has "as a person it does not have" "$T/err" "there is no person with id $pa"
out=$(q "INSERT INTO employments (org_id, person_id, employer_id, hired, underground, notice_served) VALUES ($ob, $pa, $eb, '2011-01-01', 0, 0)")
case $out in *"violates foreign key constraint"*) ok "the database refuses it too (composite foreign key)" ;;
*) notok "the database refuses it too (composite foreign key): $out" ;; esac
same "nothing was written" "$(q "SELECT count(*) FROM employments")" 0
out=$(q "INSERT INTO employments (org_id, person_id, employer_id, hired, underground, notice_served) VALUES ($ob, NULL, $eb, '2011-01-01', 0, 0)")
case $out in *"null value"*) ok "and a missing person_id is not a way round it" ;; *) notok "a missing person_id: $out" ;; esac
pb=$(fs --org bb person add --full-name "Zeynep Kaya" --json 2>/dev/null | grep -o '"id": *[0-9]*' | head -n 1 | grep -o '[0-9]*$')
expect "B's own person is fine" 0 fs --org bb employment add --person-id "$pb" --employer-id "$eb" --hired 2011-01-01
out=$(q "UPDATE employments SET person_id = $pa")
case $out in *"violates foreign key constraint"*) ok "moving a reference to A's person is refused" ;;
*) notok "moving a reference to A's person is refused: $out" ;; esac

# ---- the org_id the writers fill ----
export FAIRSHARE_ORG=bb
fs fund create --name "Strike fund" >/dev/null
expect "a contribution (balances written)" 0 fs contribute --fund 1 --amount 100.00 --id c1
expect "a payout" 0 fs disburse --fund 1 --amount 40.00 --purpose legal --id d1
printf 'full_name\nOne\nTwo\nThree\n' >"$T/p.csv"
expect "an import (journal_rows written)" 0 fs import people "$T/p.csv"
same "balances carry their account's organization" \
	"$(q "SELECT count(*) || '/' || count(*) FILTER (WHERE b.org_id = a.org_id AND a.org_id = $ob) FROM balances b JOIN accounts a ON a.id = b.account_id")" \
	"$(q "SELECT count(*) FROM balances")/$(q "SELECT count(*) FROM balances")"
[ "$(q "SELECT count(*) FROM balances")" -ge 2 ] && ok "(balance rows were written)" || notok "(balance rows were written)"
same "journal_rows carry their entry's organization" \
	"$(q "SELECT count(*) FILTER (WHERE r.org_id = j.org_id AND j.org_id = $ob) FROM journal_rows r JOIN journal j ON j.seq = r.id")" \
	"$(q "SELECT count(*) FROM journal_rows")"
[ "$(q "SELECT count(*) FROM journal_rows")" -ge 1 ] && ok "(journal_rows were written)" || notok "(journal_rows were written)"
expect "balances read" 0 fs fund balances 1
has "60.00 left" "$T/out" "60.00 TRY"
expect "a payment twice with one key (the upsert paths)" 0 fs payment add --person-id "$pb" --payer-kind ministry --payer-name M --paid-on 2012-03-01 --amount 1.00 --idempotency-key k1
expect "again" 0 fs payment add --person-id "$pb" --payer-kind ministry --payer-name M --paid-on 2012-03-01 --amount 1.00 --idempotency-key k1
same "recorded once" "$(q "SELECT count(*) FROM payments")" 1
expect "verify" 0 fs verify

# ---- verify follows a composite reference ----
q "SET session_replication_role = replica; UPDATE employments SET person_id = 999" >/dev/null
expect "verify finds a composite reference to a missing record" 65 fs verify
has "named by its column" "$T/err" "employments: 1 records refer (by person_id) to a missing people record"
q "SET session_replication_role = replica; UPDATE employments SET person_id = $pb" >/dev/null
expect "and holds again" 0 fs verify

# ---- the rules, and the check itself ----
sh "$here/tests/pg-distribution.sh" "$FS_PG_DB" >"$T/dist.txt"
same "no break but the journal's two (j11)" "$(cat "$T/dist.txt")" "$(cat "$here/tests/data/pg-distribution.txt")"
same "the expected breaks are the journal's alone" "$(grep -vc '^journal: ' "$here/tests/data/pg-distribution.txt")" 0
hasnot "the witness tables are reference tables" "$T/dist.txt" "witnessed"
q "ALTER TABLE balances DROP CONSTRAINT balances_pkey; ALTER TABLE balances ADD PRIMARY KEY (account_id)" >/dev/null
sh "$here/tests/pg-distribution.sh" "$FS_PG_DB" >"$T/dist2.txt"
has "a key that loses its organization is found" "$T/dist2.txt" "balances: primary key (account_id) lacks org_id"
finish
