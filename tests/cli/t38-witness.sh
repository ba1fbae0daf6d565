#!/bin/sh
# t38 - witnesses, between two real servers on loopback: instance B keeps instance
# A's public checkpoints (fetched, signature checked against the key pinned at
# 'witness add', consistency proven by A's public route, countersigned by B's
# key); A's log rolled back, rewritten or signed by another key is refused and
# named. Also: the consistency route, a countersigned checkpoint checked by a
# third party, and migrations that no longer launder rows tampered before an upgrade.
. "$(dirname "$0")/lib.sh"
# On PostgreSQL both instances are databases of the cluster, and A is rolled back
# by copies of its database (db_clone, db_restore); the insider's rewrite (the
# forger edits SQLite files) and the SQLite fixtures of old schemas stay SQLite's.
forge() { python3 "$(dirname "$0")/log_forge.py" "$@"; }
if on_pg; then
	createdb "${FS_PG_DB}_witness" || exit 1
	WB=postgres:///${FS_PG_DB}_witness WBKEY=$T/witness.key
else
	WB=$T/witness.db WBKEY=$T/witness.db.key
fi
wfs() { FAIRSHARE_KEY=$WBKEY "$FS_BIN" --db "$WB" "$@"; }
export FAIRSHARE_FETCH_TIMEOUT=20
expect "instance A: demo data" 0 fs demo
expect "A signs a checkpoint of the miners' log" 0 fs --org miners checkpoint
size1=$(sed -n 's/^size: //p' "$T/out")
akey=$(sed -n 's/^key: //p' "$T/out")
a0=$(db_clone a0)
if start_server 38; then ok "server A starts"; else notok "server A starts"; fi
URL=$B/orgs/miners/checkpoint

# the consistency route (public)
same "a consistency proof, without a login" "$(curl -s -o "$T/cons.json" -w '%{http_code}' "$B/orgs/miners/log/consistency?from=3&to=$size1")" 200
same "it carries the sizes asked" "$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['from'], j['to'], len(j['proof']) > 0)" "$T/cons.json")" "3 $size1 True"
same "from 0 is refused" "$(curl -s -o /dev/null -w '%{http_code}' "$B/orgs/miners/log/consistency?from=0&to=3")" 422
same "beyond the log's size is refused" "$(curl -s -o "$T/cons.err" -w '%{http_code}' "$B/orgs/miners/log/consistency?from=1&to=99999999")" 422
has "saying why" "$T/cons.err" "the log's size"
same "from and to are required" "$(curl -s -o /dev/null -w '%{http_code}' "$B/orgs/miners/log/consistency?from=2")" 422
same "an unknown organization" "$(curl -s -o /dev/null -w '%{http_code}' "$B/orgs/nobody/log/consistency?from=1&to=1")" 404

# instance B, a second server, witnesses A
expect "instance B" 0 wfs init
expect "B has an organization of its own" 0 wfs org add --slug allies --name "Allied union" --country TR --currency TRY
port_a=$port
bport=$(free_port)
expect "a bad schedule is refused" 64 wfs serve --checkpoint-every 5x
FAIRSHARE_KEY=$WBKEY "$FS_BIN" --db "$WB" serve --listen 127.0.0.1:$bport --checkpoint-every 1s >"$T/b.out" 2>"$T/b.err" &
bserver=$!
BB=http://127.0.0.1:$bport/api/v1
for i in $(seq 1 300); do curl -s "$BB/health" >/dev/null 2>&1 && break; sleep 0.1; done
same "server B answers" "$(curl -s -o /dev/null -w '%{http_code}' "$BB/health")" 200
# B's schedule: a checkpoint of each log that grew, kept and served as the latest (polled, up to 60 s)
served_size() { curl -s "$BB/orgs/$1/checkpoint" | sed -n 's/^size: //p'; }
log_size() { db_sql "$WB" "SELECT count(*) FROM journal WHERE org_id = (SELECT id FROM organizations WHERE slug = '$1')"; }
wait_size() { for i in $(seq 1 600); do [ "$(served_size "$1")" = "$2" ] && return 0; sleep 0.1; done; return 1; }
expect "a person in B's allies" 0 wfs --org allies person add --full-name "Ayşe Yılmaz"
want=$(log_size allies)
if wait_size allies "$want"; then ok "the scheduled checkpoint of the grown log is served"; else notok "the scheduled checkpoint of the grown log is served (got '$(served_size allies)', want $want)"; fi
expect "it verifies against B's log" 0 sh -c "curl -s '$BB/orgs/allies/checkpoint' >'$T/sched.txt' && FAIRSHARE_KEY='$WBKEY' '$FS_BIN' --db '$WB' verify --checkpoint '$T/sched.txt'"
kept=$(db_sql "$WB" "SELECT count(*) FROM checkpoints WHERE org_id = (SELECT id FROM organizations WHERE slug = 'allies')")
expect "another organization on B" 0 wfs org add --slug second --name "Second" --country TR --currency TRY
if wait_size second "$(log_size second)"; then ok "its log gets one too"; else notok "its log gets one too"; fi
same "none more of the log that did not grow" "$(db_sql "$WB" "SELECT count(*) FROM checkpoints WHERE org_id = (SELECT id FROM organizations WHERE slug = 'allies')")" "$kept"
expect "a URL that is not a checkpoint's is refused" 65 wfs witness add "$B/orgs/miners"
has "saying what to give" "$T/err" "ending in /api/v1/orgs/ORG/checkpoint"
expect "a key given that does not match is refused" 65 wfs witness add "$URL" --public-key "$(printf '%064d' 0)"
has "naming the key" "$T/err" "not by the key given"
expect "B witnesses A's miners" 0 wfs witness add "$URL"
has "the key pinned on first use is shown" "$T/out" "$akey"
has "as first use" "$T/out" "pinned (first use)"
has "with the size" "$T/out" "$size1 entries"
expect "the same log twice is refused" 65 wfs witness add "$URL"
has "pointing at check" "$T/err" "witnessed already"
expect "listed" 0 wfs witness list
has "with its organization" "$T/out" "'miners' (log 1)"
has "and the key pinned" "$T/out" "key $akey"
expect "the countersigned checkpoint is shown" 0 wfs witness show 1
cp "$T/out" "$T/w1.txt"
has "as witness text" "$T/w1.txt" "fairshare witness v1"
has "the checkpoint within" "$T/w1.txt" "size: $size1"
same "the witness key is B's own" "$(sed -n 's/^witness-key: //p' "$T/w1.txt")" "$(wfs checkpoint key | sed -n 's/^signing key public half: //p')"
expect "a third party checks it without a database" 0 "$FS_BIN" witness verify "$T/w1.txt"
has "both signatures" "$T/out" "signatures ok"
sed 's/^witnessed: 2/witnessed: 1/' "$T/w1.txt" >"$T/w-forged.txt"
expect "a countersigned text altered is refused" 65 "$FS_BIN" witness verify "$T/w-forged.txt"
has "the witness's signature named" "$T/err" "witness's signature does not match"
sed "s/^witness-key: .*/witness-key: $akey/" "$T/w1.txt" >"$T/w-forged.txt"
expect "another witness key claimed is refused" 65 "$FS_BIN" witness verify "$T/w-forged.txt"
sed 's/^size: \(.*\)/size: 1\1/' "$T/w1.txt" >"$T/w-forged.txt"
expect "the checkpoint inside altered is refused" 65 "$FS_BIN" witness verify "$T/w-forged.txt"

# proofs a worker and a donor keep: the statement's QR codes, the fund report's checkpoint and proofs
expect "a statement with its proofs as QR codes" 0 fs --org miners statement 39 --qr --qr-svg "$T/st.svg"
cp "$T/out" "$T/st-qr.txt"
expect "its proofs verify" 0 "$FS_BIN" proof verify "$T/st-qr.txt"
cat >"$T/qrshape.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = text.split("Proofs (check with: fairshare proof verify FILE)\n", 1)[1].split("\nThe proofs as QR codes\n", 1)[0]
codes = text.split("\nThe proofs as QR codes\n", 1)[1]
heads = re.findall(r"^QR (\d+) of (\d+): bytes (\d+) to (\d+) of the proofs block", codes, re.M)
assert heads, "no QR heading"
k = int(heads[0][1])
assert [int(h[0]) for h in heads] == list(range(1, k + 1)), "parts numbered 1..K"
assert int(heads[0][2]) == 1 and int(heads[-1][3]) == len(block.encode()), "the parts cover the block: %s vs %d" % (heads[-1][3], len(block.encode()))
for a, b in zip(heads, heads[1:]):
    assert int(b[2]) == int(a[3]) + 1, "parts follow each other"
for part in re.split(r"^QR \d+ of \d+:.*\n", codes, flags=re.M)[1:]:
    lines = part.rstrip("\n").split("\n")
    assert all(set(l) <= set(" \u2580\u2584\u2588") for l in lines), "half blocks only"
    w = len(lines[0])
    assert all(len(l) == w for l in lines), "a square: every line as wide"
    assert len(lines) == (w + 1) // 2, "two rows of modules a line: %d lines for %d columns" % (len(lines), w)
    assert (w - 8 - 21) % 4 == 0, "a QR code's width (21 + 4 per version, quiet zone 4 + 4): %d" % w
print(k)
PY
parts=$(python3 "$T/qrshape.py" "$T/st-qr.txt" 2>"$T/qr.err")
if [ -n "$parts" ]; then ok "the QR codes have a QR's shape and cover the proofs block"; else notok "the QR codes have a QR's shape"; sed 's/^/#   /' "$T/qr.err"; fi
has "the SVG file" "$T/st.svg" "<svg xmlns=\"http://www.w3.org/2000/svg\""
has "with as many parts" "$T/st.svg" "data-parts=\"$parts\""
expect "the statement's JSON" 0 fs --org miners statement 39 --json
same "carries the SVG as proof_qr_svg" "$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['proof_qr_svg'].startswith('<svg'), j['proofs'].startswith('fairshare proof v1'))" "$T/out")" "True True"
fs user token admin >"$T/tok.admin"
same "the API's statement carries them too" "$(curl -s -H "Authorization: Bearer $(cat "$T/tok.admin")" "$B/orgs/miners/statement/39?proofs=1" |
	python3 -c "import json,sys; j=json.load(sys.stdin); print(j['proof_qr_svg'].startswith('<svg'), j['proofs'].startswith('fairshare proof v1'))")" "True True"
expect "the fund's public report" 0 fs --org miners fund report 1
cp "$T/out" "$T/fund.txt"
has "ends with its proofs" "$T/fund.txt" "fairshare proof v1"
has "and its checkpoint" "$T/fund.txt" "fairshare checkpoint v1"
same "one proof per entry about the fund" "$(grep -c '^entry: ' "$T/fund.txt")" \
	"$(db_sql "$DB" "SELECT count(*) FROM journal WHERE entity = 'fund' AND entity_id = 1 AND action <> 'view'")"
expect "the report's proofs verify" 0 "$FS_BIN" proof verify "$T/fund.txt"
has "the batch of transfers proven" "$T/out" "ok   fund 1"
sed 's/\\"transfers\\":\([0-9]\)/\\"transfers\\":9\1/' "$T/fund.txt" >"$T/fund-forged.txt"
cmp -s "$T/fund.txt" "$T/fund-forged.txt" && notok "the transfers count was changed" || ok "the transfers count was changed"
expect "a report whose transfers entry was changed fails" 65 "$FS_BIN" proof verify "$T/fund-forged.txt"
curl -s -H "Authorization: Bearer $(cat "$T/tok.admin")" "$B/orgs/miners/funds/1/report" >"$T/fund.json"
expect "the API's report carries proofs that verify" 0 "$FS_BIN" proof verify "$T/fund.json"
same "with its QR codes" "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['proof_qr_svg'][:4])" "$T/fund.json")" "<svg"

# A witnesses B too (two servers, each the other's witness)
expect "B signs a checkpoint" 0 wfs --org allies checkpoint
bkey=$(sed -n 's/^key: //p' "$T/out")
expect "A witnesses B's log, given B's key" 0 fs witness add "http://127.0.0.1:$bport/api/v1/orgs/allies/checkpoint" --public-key "$bkey"
has "pinned as given" "$T/out" "pinned (given)"
expect "a viewer may not witness (log.checkpoint)" 77 fs --as viewer --org miners witness check
has "saying so" "$T/err" "needs log.checkpoint"

# A grows: B's check proves the new checkpoint extends the one kept, and countersigns it
expect "a payment on A" 0 fs --org miners payment add --person-id 39 --payer-kind ministry --payer-name Ministry \
	--paid-on 2026-11-20 --amount 100.00
expect "and a checkpoint" 0 fs --org miners checkpoint
size2=$(sed -n 's/^size: //p' "$T/out")
expect "B's check holds" 0 wfs witness check
has "the log extends the one kept" "$T/out" "extends ($size1 -> $size2 entries)"
same "countersigned and kept" "$(db_sql "$WB" "SELECT count(*) FROM witnessed_checkpoints WHERE ok = 1")" 2
expect "again, nothing new" 0 wfs witness check 1
has "unchanged" "$T/out" "unchanged"
same "nothing more kept" "$(db_sql "$WB" "SELECT count(*) FROM witnessed_checkpoints")" 2
expect "the new countersigned checkpoint is shown" 0 wfs witness show 1
has "at the new size" "$T/out" "size: $size2"
a1=$(db_clone a1)

# 1. A's history rewritten by an insider with the signing key: payment 1 made larger, its entry,
# the chain and the tree recomputed, a new checkpoint signed. Plain verify on A holds; B does not.
kill "$server" && wait "$server" 2>/dev/null
db_sql "$DB" "UPDATE payments SET amount_minor = 50000000 WHERE id = 1"
forge rowhash "$DB" payment payments 1
forge relog "$DB"
expect "A's rewritten log passes its own verify" 0 fs verify
expect "A signs the rewritten log" 0 fs --org miners checkpoint
start_server 38 || notok "server A restarts"
expect "B's check refuses the rewrite" 65 wfs witness check
has "named as such" "$T/out" "BAD 1 'miners'"
has "rewritten: same size, another root" "$T/out" "rewritten: another root for the same $size2 entries"
expect "one more payment on the rewritten A" 0 fs --org miners payment add --person-id 39 --payer-kind ministry \
--payer-name Ministry --paid-on 2026-11-21 --amount 1.00
expect "A signs the rewritten, longer log" 0 fs --org miners checkpoint
expect "B's check refuses it" 65 wfs witness check
has "the consistency proof refused" "$T/out" "does not join the two roots"
same "the contradicting checkpoints kept as proof" "$(db_sql "$WB" "SELECT count(*) FROM witnessed_checkpoints WHERE ok = 0 AND why LIKE 'rewritten%'")" 2
expect "the list says so" 0 wfs witness list
has "contradicted" "$T/out" "contradicted 2 time(s)"
expect "what was countersigned stays the last good one" 0 wfs witness show 1
has "its size" "$T/out" "size: $size2"
kill "$server" && wait "$server" 2>/dev/null

# 2. A rolled back to an older copy (its latest checkpoint older than the one B kept)
db_restore "$a0" || notok "A restored from its older copy"
start_server 38 || notok "server A restarts"
expect "B's check refuses the rollback" 65 wfs witness check
has "rolled back, named" "$T/out" "rolled back: it serves a log of $size1 entries, fewer than the $size2"
# a rollback with a fresh checkpoint over the older copy: the same
expect "A signs the rolled-back log" 0 fs --org miners checkpoint
expect "still refused" 65 wfs witness check
has "rolled back" "$T/out" "rolled back"

# 3. A's checkpoint signed by another key (the key replaced)
kill "$server" && wait "$server" 2>/dev/null
db_restore "$a1" || notok "A restored from its copy"
mv "$SIGNKEY" "$T/a.signing.key"
expect "another signing key for A" 0 fs checkpoint key
expect "signs" 0 fs --org miners checkpoint
start_server 38 || notok "server A restarts"
expect "B refuses a checkpoint by another key" 65 wfs witness check
has "the pinned key named" "$T/out" "not by the key pinned"
mv "$T/a.signing.key" "$SIGNKEY"
expect "the real key signs again" 0 fs --org miners checkpoint
expect "and B's check holds again" 0 wfs witness check
has "unchanged since the real key signed it" "$T/out" "ok  1 'miners'"

# 4. A unreachable: named, not a contradiction
kill "$server" && wait "$server" 2>/dev/null
expect "A down: the check fails" 74 wfs witness check
has "unreachable" "$T/out" "unreachable"
kill "$bserver" && wait "$bserver" 2>/dev/null
expect "A's witness of B: B down too" 74 fs witness check

# migrations do not launder rows tampered before an upgrade
if on_pg; then
	skip "migrations of old SQLite fixtures" "the fixtures (tests/data/schema14.sql, schema18) are SQLite files; on SQLite this suite runs them"
	finish
	exit
fi
data=$(cd "$(dirname "$0")/../data" && pwd)
old14() {
	{ cat "$data/schema14.sql"; echo "PRAGMA user_version = 14;"; } | sqlite3 "$1"
	cp "$data/schema14.key.hex" "$1.key"
	chmod 600 "$1.key"
	mkdir -p "$1.evidence/99"
	printf 'a court file' >"$1.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
}
old14 "$T/o1.db"
expect "an untouched schema-14 database upgrades and verifies" 0 "$FS_BIN" --db "$T/o1.db" verify
same "no mismatch journaled" "$(sqlite3 "$T/o1.db" "SELECT count(*) FROM journal WHERE action = 'mismatch'")" 0
old14 "$T/o2.db"
sqlite3 "$T/o2.db" "UPDATE incidents SET region = 'Nowhere' WHERE id = 1"
expect "a schema-14 incident changed before the upgrade is caught after it" 65 "$FS_BIN" --db "$T/o2.db" verify
has "the row named" "$T/err" "incident 1 differed from its journal entry when a migration journaled it anew"
same "journaled as a mismatch, not as a migration" "$(sqlite3 "$T/o2.db" "SELECT action FROM journal WHERE entity = 'incident' ORDER BY seq DESC LIMIT 1")" mismatch
expect "and every verify after says so" 65 "$FS_BIN" --db "$T/o2.db" verify
has "still named" "$T/err" "incident 1 differed"
old14 "$T/o3.db"
sqlite3 "$T/o3.db" "UPDATE evidence SET filename = 'forged.txt' WHERE id = 1"
expect "an evidence row changed before the upgrade (reshaped by migration 15) is caught" 65 "$FS_BIN" --db "$T/o3.db" verify
has "the evidence named" "$T/err" "evidence 1 differed"
old14 "$T/o4.db"
sqlite3 "$T/o4.db" "DELETE FROM journal WHERE entity = 'incident'"
expect "a row whose entries were cut before the upgrade is not journaled as new" 65 "$FS_BIN" --db "$T/o4.db" verify
has "named" "$T/err" "incident 1 differed"
# schema 18: the seals bound to their rows (migration 22, seal_bind.c)
O18=$T/o18.db
{ cat "$data/schema18-sealed.sql"; echo "PRAGMA user_version = 18;"; } | sqlite3 "$O18"
cp "$data/schema18-sealed.key.hex" "$O18.key"
chmod 600 "$O18.key"
pid=$(sqlite3 "$O18" "SELECT id FROM people WHERE sealed IS NOT NULL ORDER BY id LIMIT 1")
sqlite3 "$O18" "UPDATE people SET full_name = 'Forged Name', full_name_fold = 'forged name' WHERE id = $pid"
expect "a sealed person changed before the seals were bound is caught after" 65 "$FS_BIN" --db "$O18" verify
has "the person named" "$T/err" "person $pid differed from its journal entry"
finish
