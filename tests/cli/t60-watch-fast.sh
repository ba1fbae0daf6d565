#!/bin/sh
# t60 - the watch's single pass (claims/watch.c: workers without payments
# counted as their claims stream by, no per-claim row kept, no claim id read)
# gives what the allocation defines (doc/claims.md). Its figures are recomputed
# here in SQL, by sqlite3 or psql behind fairshare's back: payments spread over a
# worker's claims by kind, then id; written-off claims owe nothing; a workplace
# holds the claims of its employments and the employment-less claims of its
# workers. Compared for the whole organization and each workplace, on two dates,
# after writes of every kind (claim add, edit, written off, removed; payment,
# overpayment, reversal; promise and a payment keeping it; claims compute;
# another organization's claims). The HTTP watch answers the same; a sum past
# the largest amount is refused with a clear error, not wrapped.
. "$(dirname "$0")/lib.sh"

fs demo >/dev/null
org_id() { db_sql "$DB" "SELECT id FROM organizations WHERE slug = '$1'"; }
MINERS=$(org_id miners)
OIL=$(org_id oil)

# expect_sql ORG WP ASOF NEAR: the watch's figures as lines, recomputed in SQL
# (the same text on SQLite and PostgreSQL: no JSON functions, sums cast to text)
expect_sql() {
	db_sql "$DB" "
WITH sc AS (
  SELECT c.id, c.person_id, c.kind, c.status, c.limitation_date AS lim,
    CASE c.kind WHEN 'unpaid_wages' THEN 0 WHEN 'annual_leave' THEN 1 WHEN 'overtime' THEN 2 WHEN 'notice' THEN 3
      WHEN 'severance' THEN 4 WHEN 'compensation' THEN 5 WHEN 'penalty' THEN 6 WHEN 'injury' THEN 7 WHEN 'death' THEN 8
      ELSE 9 END AS k,
    CASE WHEN c.status = 'written_off' THEN 0 ELSE c.amount_minor END AS owed
  FROM claims c WHERE c.org_id = $1 AND ($2 = 0
    OR c.employment_id IN (SELECT id FROM employments WHERE workplace_id = $2)
    OR (c.employment_id IS NULL AND c.person_id IN (SELECT person_id FROM employments WHERE workplace_id = $2)))),
pp AS (SELECT person_id, SUM(amount_minor) AS paid FROM payments WHERE org_id = $1 GROUP BY person_id),
al AS (SELECT sc.*, COALESCE(pp.paid, 0) AS ppaid,
    COALESCE(SUM(sc.owed) OVER (PARTITION BY sc.person_id ORDER BY sc.k, sc.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM sc LEFT JOIN pp ON pp.person_id = sc.person_id),
cl AS (SELECT al.*, CASE WHEN ppaid - before <= 0 THEN 0 WHEN ppaid - before >= owed THEN owed ELSE ppaid - before END AS take FROM al),
per AS (SELECT person_id, SUM(owed) AS owed, SUM(take) AS got, MAX(ppaid) AS ppaid FROM cl GROUP BY person_id),
cls AS (SELECT per.*, CASE WHEN owed > 0 AND got >= owed THEN 1 WHEN got > 0 THEN 2 ELSE 3 END AS st FROM per),
counted AS (SELECT p.* FROM payments p WHERE p.org_id = $1 AND p.person_id IN (SELECT person_id FROM per))
SELECT 'workers ' || CAST(COUNT(*) AS TEXT) || ' ' || CAST(COALESCE(SUM(CASE WHEN st = 1 THEN 1 ELSE 0 END), 0) AS TEXT) || ' '
  || CAST(COALESCE(SUM(CASE WHEN st = 2 THEN 1 ELSE 0 END), 0) AS TEXT) || ' ' || CAST(COALESCE(SUM(CASE WHEN st = 3 THEN 1 ELSE 0 END), 0) AS TEXT)
  FROM cls
UNION ALL SELECT 'totals ' || CAST(COALESCE(SUM(owed), 0) AS TEXT) || ' ' || CAST(COALESCE(SUM(got), 0) AS TEXT) || ' '
  || CAST(COALESCE(SUM(owed) - SUM(got), 0) AS TEXT) || ' ' || CAST(COALESCE(SUM(CASE WHEN ppaid > got THEN ppaid - got ELSE 0 END), 0) AS TEXT)
  FROM per
UNION ALL SELECT 'kind ' || kind || ' ' || CAST(SUM(owed) AS TEXT) || ' ' || CAST(SUM(take) AS TEXT) || ' ' || CAST(SUM(owed) - SUM(take) AS TEXT)
  FROM cl WHERE status IS DISTINCT FROM 'written_off' GROUP BY kind HAVING SUM(owed) <> 0 OR SUM(take) <> 0
UNION ALL SELECT 'past ' || CAST(COUNT(*) AS TEXT) || ' ' || CAST(COALESCE(SUM(owed - take), 0) AS TEXT)
  FROM cl WHERE status IS DISTINCT FROM 'written_off' AND owed - take > 0 AND length(lim) = 10 AND lim < '$3'
UNION ALL SELECT 'near ' || CAST(COUNT(*) AS TEXT) || ' ' || CAST(COALESCE(SUM(owed - take), 0) AS TEXT)
  FROM cl WHERE status IS DISTINCT FROM 'written_off' AND owed - take > 0 AND length(lim) = 10 AND lim >= '$3' AND lim <= '$4'
UNION ALL SELECT 'payer ' || payer_kind || ': ' || payer_name || ' ' || CAST(SUM(amount_minor) AS TEXT)
  FROM counted GROUP BY payer_kind, payer_name HAVING SUM(amount_minor) <> 0
UNION ALL SELECT 'month ' || substr(paid_on, 1, 7) || ' ' || CAST(SUM(amount_minor) AS TEXT) FROM counted GROUP BY substr(paid_on, 1, 7)
UNION ALL SELECT 'promise ' || CAST(pr.id AS TEXT) || ' ' || CAST(COALESCE((SELECT SUM(amount_minor) FROM payments p WHERE p.org_id = $1
    AND p.promise_id = pr.id), 0) AS TEXT)
  FROM promises pr WHERE pr.org_id = $1 AND ($2 = 0 OR pr.workplace_id IS NULL OR pr.workplace_id = $2)
" | LC_ALL=C sort
}
# got_json FILE: the same lines from the watch's JSON
got_json() {
	jq -r '"workers \(.workers.total) \(.workers.paid_in_full) \(.workers.partly_paid) \(.workers.paid_nothing)",
		"totals \(.totals.owed_minor) \(.totals.paid_minor) \(.totals.outstanding_minor) \(.totals.overpaid_minor)",
		(.by_kind | to_entries[] | "kind \(.key) \(.value.owed_minor) \(.value.paid_minor) \(.value.outstanding_minor)"),
		"past \(.limitation.past.claims) \(.limitation.past.outstanding_minor)",
		"near \(.limitation.within_180_days.claims) \(.limitation.within_180_days.outstanding_minor)",
		(.by_payer | to_entries[] | "payer \(.key) \(.value)"),
		(.paid_by_month | to_entries[] | "month \(.key) \(.value)"),
		(.promises[] | "promise \(.id) \(.paid_minor)")' "$1" | LC_ALL=C sort
}
# check WHAT ORG: the watch of ORG (all and each workplace, two dates) = SQL
check() {
	slug=$2
	oid=$(org_id "$slug")
	bad=""
	for wp in 0 $(db_sql "$DB" "SELECT id FROM workplaces WHERE org_id = $oid ORDER BY id"); do
		# 2026-02-15 falls between the limitation dates of the two unpaid_wages claims
		# below: which one was paid first shows in past and near
		for d in 2026-02-15 2027-09-15; do
			near=$(date -u -d "$d + 180 days" +%Y-%m-%d)
			wopt=""
			[ "$wp" = 0 ] || wopt="--workplace $wp"
			# shellcheck disable=SC2086
			fs --org "$slug" watch --json --as-of "$d" $wopt >"$T/w.json" 2>"$T/w.err" || bad="$bad $wp/$d:exit"
			got_json "$T/w.json" >"$T/got"
			expect_sql "$oid" "$wp" "$d" "$near" >"$T/want"
			if ! cmp -s "$T/got" "$T/want"; then
				bad="$bad $wp/$d"
				diff "$T/want" "$T/got" | head -10 | sed 's/^/# /'
			fi
		done
	done
	if [ -z "$bad" ]; then ok "$1"; else notok "$1 (differs:$bad)"; fi
}

check "the demo: the watch of miners is the SQL's" miners
same "the demo has paid, partly paid and unpaid workers to test" \
	"$(fs --org miners watch --json --as-of 2026-01-01 | jq '.workers.paid_in_full > 0 and .workers.partly_paid > 0 and .workers.paid_nothing > 0')" true
same "and employment-less claims" "$(db_sql "$DB" "SELECT COUNT(*) > 0 FROM claims WHERE org_id = $MINERS AND employment_id IS NULL" | tr -d f)" "$(on_pg && echo t || echo 1)"
check "oil (no claims yet) too" oil

# a worker with two claims of one kind, entered here: the older is paid first
wp2_owed=$(fs --org miners watch --json --workplace 2 | jq .totals.owed_minor)
pid=$(fs --org miners person add --full-name "Aylin Twoclaims" | grep -o '[0-9]\+' | head -1)
c1=$(fs --org miners --json claim add --person-id "$pid" --kind unpaid_wages --amount 300.00 --basis entered --document-ref t60 --limitation-date 2026-03-01 | jq .id)
c2=$(fs --org miners --json claim add --person-id "$pid" --kind unpaid_wages --amount 200.00 --basis entered --document-ref t60 --limitation-date 2026-02-01 | jq .id)
# an employment in workplace 2: its claim is there, and so are the employment-less ones
wemp=$(fs --org miners --json employment add --person-id "$pid" --workplace-id 2 --hired 2020-01-01 --terminated 2025-06-30 | jq .id)
c3=$(fs --org miners --json claim add --person-id "$pid" --employment-id "$wemp" --kind severance --amount 100.00 --basis entered --document-ref t60 | jq .id)
same "claims added" "$([ "$c1" -gt 0 ] && [ "$c2" -gt "$c1" ] && [ "$c3" -gt "$c2" ] && echo yes)" yes
same "workplace 2 holds its employment's claim and the employment-less two: 600.00 more" \
	"$(fs --org miners watch --json --workplace 2 | jq ".totals.owed_minor - $wp2_owed")" 60000
check "after claims added (a new worker, paid nothing)" miners
fs --org miners payment add --person-id "$pid" --payer-kind employer --payer-name "Mine Co" --paid-on 2025-12-20 --amount 350.00 \
	--idempotency-key t60-a >/dev/null
check "after a payment (partly paid: the older unpaid wages first)" miners
fs --org miners --json statement "$pid" --as-of 2026-01-01 >"$T/st.json" 2>/dev/null
same "the statement allocates as the watch: older claim in full, the next 50.00" \
	"$(jq -c "[.claims[] | select(.id == $c1 or .id == $c2) | .paid_minor]" "$T/st.json")" '[30000,5000]'
fs --org miners payment add --person-id "$pid" --payer-kind ministry --payer-name "Labour" --paid-on 2026-02-03 --amount 400.00 \
	--idempotency-key t60-b >/dev/null
check "after an overpayment (paid in full, 150.00 over)" miners
same "the overpayment is counted" "$(fs --org miners watch --json | jq '.totals.overpaid_minor >= 15000')" true
pay=$(fs --org miners --json payment list --person-id "$pid" | jq '[.items[] | select(.payer_kind == "ministry")][0].id')
fs --org miners payment reverse "$pay" --reason "t60: bounced" --amount 400.00 >/dev/null
same "the reversal is stored" "$(db_sql "$DB" "SELECT COUNT(*) FROM payments WHERE reverses_id = $pay")" 1
check "after a reversal" miners
fs --org miners claim edit "$c1" --status written_off >/dev/null
# and a claim of a worker with no payments (counted as the claims stream by)
unpaid=$(db_sql "$DB" "SELECT c.id FROM claims c WHERE c.org_id = $MINERS AND c.amount_minor > 0 AND c.person_id NOT IN
	(SELECT person_id FROM payments WHERE org_id = $MINERS) ORDER BY c.id LIMIT 1")
fs --org miners claim edit "$unpaid" --status written_off >/dev/null
same "an unpaid worker's claim written off" "$(db_sql "$DB" "SELECT status FROM claims WHERE id = $unpaid")" written_off
check "after claims written off (a paid worker's, an unpaid worker's)" miners
fs --org miners claim edit "$c3" --amount 50.00 >/dev/null 2>&1 || true
check "after a claim's amount edited" miners
fs --org miners claim remove "$c2" >/dev/null 2>&1 || true
check "after a claim removed" miners
prom=$(fs --org miners --json promise add --promisor-kind employer --promisor-name "Mine Co" --person-id "$pid" --made-on 2026-01-02 \
	--due-on 2026-04-01 | jq .id)
fs --org miners payment add --person-id "$pid" --promise-id "$prom" --payer-kind employer --payer-name "Mine Co" --paid-on 2026-03-03 \
	--amount 10.00 --idempotency-key t60-c >/dev/null
check "after a promise and a payment keeping it" miners
wprom=$(fs --org miners --json promise add --promisor-kind government --promisor-name "Ministry" --workplace-id 2 --amount 1000.00 \
	--made-on 2026-01-02 --due-on 2026-02-01 | jq .id)
same "a workplace's promise" "$([ "$wprom" -gt 0 ] && echo yes)" yes
check "and one of a workplace (listed in its workplace's watch only)" miners
emp=$(db_sql "$DB" "SELECT e.id FROM employments e WHERE e.workplace_id = 1 AND e.terminated IS NOT NULL AND e.wage_minor IS NOT NULL ORDER BY e.id LIMIT 1")
fs --org miners employment edit "$emp" --wage 99999.00 >/dev/null
fs --org miners claims compute --workplace 1 --apply >/dev/null
check "after claims compute (one worker's wage changed, applied)" miners

# another organization: oil's claims stay out of miners' watch
before=$(fs --org miners watch --json --as-of 2026-01-01 | jq -S -c .)
opid=$(fs --org oil person add --full-name "Oil Worker" | grep -o '[0-9]\+' | head -1)
fs --org oil claim add --person-id "$opid" --kind overtime --amount 70.00 --basis entered --document-ref t60 --limitation-date 2026-05-05 >/dev/null
fs --org oil payment add --person-id "$opid" --payer-kind employer --payer-name "Oil Co" --paid-on 2026-01-01 --amount 20.00 >/dev/null
check "oil's watch after its own writes" oil
same "miners' watch is unchanged by oil's writes" "$(fs --org miners watch --json --as-of 2026-01-01 | jq -S -c .)" "$before"
same "oil's watch: one worker, partly paid" "$(fs --org oil watch --json | jq -c '[.workers.total, .workers.partly_paid, .totals.owed_minor]')" '[1,1,7000]'

# the HTTP watch answers what the CLI does, for whoever may read it
start_server 0
tok=$(fs user token admin)
vtok=$(fs user token viewer)
for wp in "" "&workplace=1" "&workplace=2"; do
	wopt=""
	[ -n "$wp" ] && wopt="--workplace ${wp#&workplace=}"
	# shellcheck disable=SC2086
	cli=$(fs --org miners watch --json --as-of 2026-01-01 $wopt | jq -S -c .)
	http=$(curl -s -H "Authorization: Bearer $tok" "$B/orgs/miners/watch?as_of=2026-01-01$wp" | jq -S -c .)
	same "HTTP watch = CLI watch (${wp:-all})" "$http" "$cli"
	vhttp=$(curl -s -H "Authorization: Bearer $vtok" "$B/orgs/miners/watch?as_of=2026-01-01$wp" | jq -S -c .)
	same "the viewer's watch is the same (${wp:-all})" "$vhttp" "$cli"
done
W=$(curl -s -H "Authorization: Bearer $tok" "$B/orgs/miners/watch")
for s in paid_in_full partly_paid paid_nothing; do
	same "the people list of $s has the watch's count" \
		"$(curl -s -H "Authorization: Bearer $tok" "$B/orgs/miners/watch/people?status=$s&limit=1" | jq .total)" "$(echo "$W" | jq ".workers.$s")"
done
kill "$server"
wait "$server" 2>/dev/null

cp "$T/serve.err" "$T/serve-rw.err" # finish looks for sanitizer reports in every server's errors

# A large organization: 6,000 generated workers (about 12,000 claims) computed,
# a few paid in full, partly or over, one claim written off. The watch's pass
# reads the claims through a small page cache, which is recycled many times
# over here, and (SQLite, a read-only open) not through the file's map: the
# same figures as the SQL.
fs org add --slug big --name Big --country TR --currency TRY >/dev/null
bemp=$(fs --org big --json employer add --name "Big Coal" | jq .id)
BWP=$(fs --org big --json workplace add --employer-id "$bemp" --name "Big Mine" --kind mine | jq .id)
"$(dirname "$FS_BIN")/bench/gen_workers" 6000 | awk -F, -v OFS=, -v wp="$BWP" 'NR == 1 { print; next } { $3 = wp; print }' >"$T/big.csv"
fs --org big import people "$T/big.csv" >/dev/null
fs --org big claims compute --workplace "$BWP" >/dev/null
BIG=$(org_id big)
same "6,000 workers with claims in the large organization" \
	"$(db_sql "$DB" "SELECT COUNT(DISTINCT person_id) FROM claims WHERE org_id = $BIG")" 6000
k=0
for p in $(db_sql "$DB" "SELECT DISTINCT person_id FROM claims WHERE org_id = $BIG ORDER BY person_id LIMIT 5"); do
	k=$((k + 1))
	owed=$(db_sql "$DB" "SELECT SUM(amount_minor) FROM claims WHERE person_id = $p")
	case $k in 1) amt=$owed ;; 2) amt=$((owed / 3)) ;; 3) amt=$((owed + 12345)) ;; *) amt=$((k * 1000)) ;; esac
	fs --org big payment add --person-id "$p" --payer-kind employer --payer-name "Big Coal" --paid-on 2026-0$k-10 \
		--amount "$((amt / 100)).$(printf %02d $((amt % 100)))" --idempotency-key "t60-big-$k" >/dev/null
done
fs --org big claim edit "$(db_sql "$DB" "SELECT MAX(id) FROM claims WHERE org_id = $BIG")" --status written_off >/dev/null
same "the large organization has paid, partly paid and unpaid workers" \
	"$(fs --org big watch --json | jq -c '[.workers.paid_in_full > 0, .workers.partly_paid > 0, .workers.paid_nothing > 5000]')" \
	'[true,true,true]'
check "a large organization (6,000 workers, the scan's small cache recycled)" big
expect "and the CLI's reads after the watch work as before" 0 fs --org big person list --limit 3
has "(people listed)" "$T/out" "Worker"

# A read-only server (SQLite: its connections map the file; the watch's pass
# turns the map off and back on inside a read transaction): its watch answers
# what the CLI does, twice on its pooled connections, and after a write
# through the CLI; its other reads still work.
printf '#!/bin/sh\nexec "%s" "$@" --read-only\n' "$FS_BIN" >"$T/fs-ro"
chmod +x "$T/fs-ro"
FS_BIN_RW=$FS_BIN
FS_BIN=$T/fs-ro
start_server 3 || notok "serve --read-only starts"
FS_BIN=$FS_BIN_RW
for round in 1 2; do
	cli=$(fs --org miners watch --json --as-of 2026-01-01 | jq -S -c .)
	for k in 1 2; do
		http=$(curl -s -H "Authorization: Bearer $tok" "$B/orgs/miners/watch?as_of=2026-01-01" | jq -S -c .)
		same "read-only server: HTTP watch = CLI watch (round $round, $k)" "$http" "$cli"
	done
	same "read-only server: a list after the watch (round $round)" \
		"$(curl -s -H "Authorization: Bearer $tok" "$B/orgs/miners/people?limit=2" | jq '.items | length')" 2
	fs --org miners payment add --person-id "$pid" --payer-kind employer --payer-name "Mine Co" --paid-on 2026-01-01 \
		--amount 1.00 --idempotency-key "t60-ro-$round" >/dev/null
done
kill "$server"
wait "$server" 2>/dev/null
cp "$T/serve.err" "$T/serve-ro.err"

# sums past the largest amount: a clear error, not a wrapped total (a paid
# worker's claims, then an unpaid worker's, each counted on its own path)
db_sql "$DB" "UPDATE claims SET amount_minor = 5000000000000000000 WHERE org_id = $OIL" >/dev/null
fs --org oil claim add --person-id "$opid" --kind notice --amount 1.00 --basis entered --document-ref t60 >/dev/null
db_sql "$DB" "UPDATE claims SET amount_minor = 5000000000000000000 WHERE org_id = $OIL" >/dev/null
expect "a paid worker's claims past the largest amount: refused" 65 fs --org oil watch
has "saying so" "$T/err" "add up past the largest amount"
db_sql "$DB" "UPDATE claims SET amount_minor = 100 WHERE org_id = $OIL" >/dev/null
expect "back to small amounts: the watch answers" 0 fs --org oil watch
upid=$(fs --org oil person add --full-name "Oil Unpaid" | grep -o '[0-9]\+' | head -1)
fs --org oil claim add --person-id "$upid" --kind notice --amount 1.00 --basis entered --document-ref t60 >/dev/null
fs --org oil claim add --person-id "$upid" --kind death --amount 1.00 --basis entered --document-ref t60 >/dev/null
db_sql "$DB" "UPDATE claims SET amount_minor = 5000000000000000000 WHERE person_id = $upid" >/dev/null
expect "an unpaid worker's claims past the largest amount: refused" 65 fs --org oil watch
has "saying so" "$T/err" "add up past the largest amount"
finish
