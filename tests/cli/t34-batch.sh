#!/bin/sh
# t34 - bulk work journaled by batch (src/core/base/batch.c): an import and a claims
# computation write one journal entry per chunk of rows, each binding its rows by
# id and row hash (journal_rows); verify still binds every row, log still answers
# for each record (its creation shows the batch and the row as created), and later
# changes are journaled before and after as ever.
. "$(dirname "$0")/lib.sh"
# On PostgreSQL the same tampering runs through psql (db_sql); its blobs are bytea.
# copy NAME: a copy of the database (and its key) to tamper with; prints its name
copy() { db_clone "$1"; }
# zeroed: the column rows with its bytes 9-40 (the first row's hash) zeroed, in the backend's SQL
if on_pg; then zeroed="substr(rows, 1, 8) || decode(repeat('00', 32), 'hex') || substr(rows, 41)"; else
	zeroed="CAST(substr(rows, 1, 8) || zeroblob(32) || substr(rows, 41) AS BLOB)"; fi
fsc() { db=$1; shift; "$FS_BIN" --db "$db" "$@"; }
rows=5000 # two chunks of people (4096 a chunk)
awk -v n="$rows" 'BEGIN { print "external_id,full_name,workplace,hired,terminated,reason,wage"
	for (i = 1; i <= n; i++) printf "W-%05d,Worker %d,1,2001-03-01,2011-08-31,closure,2400.00\n", i, i }' >"$T/workers.csv"
expect "init" 0 fs init
expect "an organization" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY
expect "an employer" 0 fs employer add --name "Coal Co"
expect "a workplace" 0 fs workplace add --employer-id 1 --name Mine --kind mine
expect "import $rows workers with their employment" 0 fs import people "$T/workers.csv"
same "every person stored" "$(db_sql "$DB" "SELECT count(*) FROM people")" "$rows"
same "every employment stored" "$(db_sql "$DB" "SELECT count(*) FROM employments")" "$rows"
same "no entry per row" "$(db_sql "$DB" "SELECT count(*) FROM journal WHERE action = 'create' AND entity IN ('person', 'employment')")" 0
same "two batch entries per kind (4096 rows a chunk)" \
	"$(db_sql "$DB" "SELECT entity || ':' || nrows FROM journal_rows ORDER BY entity, id" | tr '\n' ' ' | sed 's/ $//')" \
	"employment:4096 employment:904 person:4096 person:904"
same "each chunk has its entry" "$(db_sql "$DB" "SELECT count(*) FROM journal_rows r JOIN journal j ON j.seq = r.id AND j.org_id = r.org_id AND j.action = 'batch'")" 4
expect "verify holds" 0 fs verify
has "every row counted" "$T/out" "records"

# log answers for a record created by a batch
expect "log of a person created by the import" 0 fs --json log --entity person --id 4100
has "its creation" "$T/out" '"action": "create"'
has "by the batch" "$T/out" '"batch": "import"'
has "the row as created" "$T/out" '"full_name": "Worker 4100"'
has "the row hash the batch bound" "$T/out" '"row_hash"'
expect "log --person shows the creation too" 0 fs log --person 4100
has "a create line" "$T/out" "create person 4100"
expect "log of an employment created by the import" 0 fs --json log --entity employment --id 17
has "its creation" "$T/out" '"hired": "2001-03-01"'

# later changes: before and after as ever; the creation still shows the row as created
expect "edit a person the batch created" 0 fs person edit 4100 --full-name "Worker Renamed"
expect "log after the edit" 0 fs --json log --entity person --id 4100
same "two entries: the update, then the creation" "$(grep -o '"action": "[a-z]*"' "$T/out" | tr '\n' ' ')" '"action": "update" "action": "create" '
has "the update's after" "$T/out" '"full_name": "Worker Renamed"'
has "the creation's row as created" "$T/out" '"full_name": "Worker 4100"'
expect "verify holds after the edit" 0 fs verify

# a row a batch wrote, changed behind fairshare's back
c=$(copy tamper-row)
db_sql "$c" "UPDATE people SET full_name = 'Nobody' WHERE id = 17"
expect "a changed row of a batch is caught" 65 fsc "$c" verify
has "named" "$T/err" "person 17 differs from its journal entry"
expect "log of that row" 0 fsc "$c" --json log --entity person --id 17
has "still its creation" "$T/out" '"batch": "import"'
hasnot "the changed row is not shown as created" "$T/out" "Nobody"
c=$(copy tamper-emp)
db_sql "$c" "UPDATE employments SET wage_minor = wage_minor + 1 WHERE id = 4500"
expect "a changed employment of the second chunk is caught" 65 fsc "$c" verify
has "named" "$T/err" "employment 4500 differs from its journal entry"
c=$(copy delete-row)
db_sql "$c" "DELETE FROM employments WHERE person_id = 30; DELETE FROM people WHERE id = 30"
expect "a deleted row of a batch is caught" 65 fsc "$c" verify
has "named" "$T/err" "person 30 is in the journal but missing"
# the binding itself, changed
c=$(copy tamper-hash)
db_sql "$c" "UPDATE journal_rows SET rows = $zeroed WHERE id = (SELECT min(id) FROM journal_rows)"
expect "a changed row hash in a batch's rows is caught" 65 fsc "$c" verify
has "named" "$T/err" "differ from the entry (journal_rows"
c=$(copy forge)
# a forged chunk: the row changed and its hash in journal_rows with it
db_sql "$c" "UPDATE people SET full_name = 'Nobody' WHERE id = 1"
db_sql "$c" "UPDATE journal_rows SET nrows = nrows - 1, first_id = 2, rows = substr(rows, 41) WHERE entity = 'person' AND first_id = 1"
expect "rows dropped from a batch's binding are caught" 65 fsc "$c" verify
has "named" "$T/err" "differ from the entry"
c=$(copy drop-chunk)
db_sql "$c" "DELETE FROM journal_rows WHERE entity = 'person' AND first_id = 1"
expect "a batch's rows deleted are caught" 65 fsc "$c" verify
has "named" "$T/err" "are missing (journal_rows"
c=$(copy extra-chunk)
db_sql "$c" "INSERT INTO journal_rows (id, entity, first_id, last_id, nrows, rows, org_id) SELECT 1, entity, first_id, last_id, nrows, rows, org_id FROM journal_rows ORDER BY id LIMIT 1"
expect "a chunk bound by no entry is caught" 65 fsc "$c" verify
has "named" "$T/err" "bound by no journal entry"
c=$(copy entry)
db_sql "$c" "UPDATE journal SET after_json = replace(after_json, '\"rows\":4096', '\"rows\":4095') WHERE action = 'batch' AND seq = (SELECT min(seq) FROM journal WHERE action = 'batch')"
expect "a changed batch entry is caught" 65 fsc "$c" verify
has "its hash" "$T/err" "does not match its hash"
c=$(copy added)
db_sql "$c" "INSERT INTO people (org_id, full_name, full_name_fold) VALUES (1, 'Ghost', 'ghost')"
expect "a row added outside fairshare is caught" 65 fsc "$c" verify
has "named" "$T/err" "has no journal entry"

# an import that fails leaves no batch behind
before=$(db_sql "$DB" "SELECT count(*) FROM journal_rows")
printf 'external_id,full_name,hired\nX-1,Good Row,2001-01-01\nX-2,,2001-01-01\n' >"$T/bad.csv"
expect "an import with a bad row stores nothing" 65 fs import people "$T/bad.csv"
same "no chunk added" "$(db_sql "$DB" "SELECT count(*) FROM journal_rows")" "$before"
expect "verify still holds" 0 fs verify

# claims computed for every worker: journaled by batch too
expect "claims compute" 0 fs claims compute --workplace 1
same "no entry per claim" "$(db_sql "$DB" "SELECT count(*) FROM journal WHERE action = 'create' AND entity = 'claim'")" 0
same "the claims are bound by batch" "$(db_sql "$DB" "SELECT sum(nrows) FROM journal_rows WHERE entity = 'claim'")" \
	"$(db_sql "$DB" "SELECT count(*) FROM claims")"
expect "verify holds" 0 fs verify
expect "log of a computed claim" 0 fs --json log --entity claim --id 3
has "its creation" "$T/out" '"batch": "claims compute"'
has "the claim as created" "$T/out" '"basis": "computed"'
c=$(copy claim)
db_sql "$c" "UPDATE claims SET amount_minor = amount_minor * 2 WHERE id = 3"
expect "a changed computed claim is caught" 65 fsc "$c" verify
has "named" "$T/err" "claim 3 differs from its journal entry"
expect "compute again: nothing changed" 0 fs claims compute --workplace 1
has "unchanged" "$T/out" "0 created"
expect "verify holds at the end" 0 fs verify

# the server keeps a rendered list page while the database is unchanged
# (src/core/base/pagecache.c): a change by another process or by the server itself shows at once
FAIRSHARE_PASSWORD=a-long-enough-password expect "an account" 0 fs user add admin --role admin
token=$(fs user token admin 2>/dev/null)
if start_server 34; then ok "the server answers"; else notok "the server answers"; fi
get() { curl -s -H "Authorization: Bearer $token" "$B/orgs/mine/people?limit=3&q=worker%201"; }
get >"$T/p1"
has "a page" "$T/p1" '"full_name":"Worker 1"'
get >"$T/p2"
same "the same page again" "$(cat "$T/p2")" "$(cat "$T/p1")"
expect "another process renames a person" 0 fs person edit 1 --full-name "Worker 1 Renamed"
get >"$T/p3"
has "the change shows at once" "$T/p3" '"full_name":"Worker 1 Renamed"'
code=$(curl -s -o "$T/patch" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-X PATCH -d '{"full_name":"Worker 1 Again"}' "$B/orgs/mine/people/1")
same "the server renames a person" "$code" 200
get >"$T/p4"
has "its own change shows at once" "$T/p4" '"full_name":"Worker 1 Again"'
curl -s -H "Authorization: Bearer $token" "$B/orgs/mine/people?limit=2&q=worker%201" >"$T/p5"
same "another page is another entry" "$(grep -o '"id":' "$T/p5" | wc -l)" 2
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
finish
