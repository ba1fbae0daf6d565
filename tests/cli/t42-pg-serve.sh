#!/bin/sh
# t42 - PostgreSQL, many processes on one database: per-organization write locks
# (a write to one organization goes on while another organization's lock is held;
# the installation's writes wait for both), two `serve` processes and CLI writers
# at once (50 retries of one payment and of one transfer, spread over both servers
# and the CLI, record once; two treasurers approving one payout through different
# servers post it once; verify holds), and `serve --read-only`. No timing is taken
# as proof: who waits is read from pg_locks.
FS_TEST_DB=postgres
. "$(dirname "$0")/lib.sh"
q() { psql -X -At -d "$FS_PG_DB" -c "$1"; }
# poll WHAT CODE: until the shell code CODE succeeds, evaluated anew each time (up to 120 s: the machine may be loaded)
poll() {
	local what=$1 end
	shift
	end=$(($(date +%s) + 120))
	while [ "$(date +%s)" -lt "$end" ]; do eval "$*" && return 0; sleep 0.1; done
	echo "# gave up waiting for: $what"
	return 1
}

expect "init" 0 fs init
fs org add --slug aa --name "Org A" --country TR --currency TRY >/dev/null
fs org add --slug bb --name "Org B" --country TR --currency TRY >/dev/null
ida=$(q "SELECT id FROM organizations WHERE slug = 'aa'")
idb=$(q "SELECT id FROM organizations WHERE slug = 'bb'")
fs --org aa person add --full-name "Ayşe Yılmaz" >/dev/null
fs --org bb person add --full-name "Zeynep Kaya" >/dev/null

# ---- per-organization write locks ----
# a psql session holds what an organization's writer holds: the installation's lock
# shared, and the organization's own
mkfifo "$T/hold.in"
psql -X -At -d "$FS_PG_DB" <"$T/hold.in" >"$T/hold.out" 2>&1 &
holder=$!
exec 3>"$T/hold.in"
echo "BEGIN; SELECT pg_advisory_xact_lock_shared(7384502293001); SELECT pg_advisory_xact_lock(738450, $ida); SELECT 'held';" >&3
poll "the psql session to hold aa's lock" 'grep -q held "$T/hold.out"'
# waiting CLASS KEY: backends waiting for that advisory lock
here_db="database = (SELECT oid FROM pg_database WHERE datname = current_database())"
waiting() { q "SELECT count(*) FROM pg_locks WHERE $here_db AND locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2 AND objsubid = 2"; }
waiting_install() { q "SELECT count(*) FROM pg_locks WHERE $here_db AND locktype = 'advisory' AND NOT granted AND objsubid = 1 AND classid::text::bigint = 7384502293001 >> 32 AND objid::text::bigint = 7384502293001 & 4294967295"; }
[ "$(waiting 738450 "$ida")" = 0 ] && ok "nobody waits for aa's lock yet" || notok "nobody waits for aa's lock yet"
fs --org aa person add --full-name "Waits in A" >"$T/wa.out" 2>&1 &
wa=$!
poll "a writer of aa to wait for aa's lock" '[ "$(waiting 738450 "$ida")" = 1 ]' && ok "a write to aa waits for aa's lock" ||
	notok "a write to aa waits for aa's lock"
expect "a write to bb completes meanwhile" 0 fs --org bb person add --full-name "Goes in B"
expect "and another, a payment of bb" 0 fs --org bb payment add --person-id 2 --payer-kind employer --payer-name X \
	--paid-on 2012-03-01 --amount 5.00 --idempotency-key bb-1
same "bb's records are in" "$(q "SELECT count(*) FROM people WHERE org_id = $idb")" 2
same "aa's write still waits (for aa's lock)" "$(waiting 738450 "$ida")" 1
kill -0 "$wa" 2>/dev/null && ok "aa's writer is still running" || notok "aa's writer is still running"
same "and nothing of it is written" "$(q "SELECT count(*) FROM people WHERE full_name = 'Waits in A'")" 0
# a write of the whole installation (a new organization) waits for every organization's writer
fs org add --slug cc --name "Org C" --country TR --currency TRY >"$T/wc.out" 2>&1 &
wc=$!
poll "the installation's writer to wait" '[ "$(waiting_install)" -ge 1 ]' && ok "a write of the installation waits for an organization's writer" ||
	notok "a write of the installation waits for an organization's writer"
same "no organization cc yet" "$(q "SELECT count(*) FROM organizations WHERE slug = 'cc'")" 0
echo "COMMIT;" >&3
exec 3>&-
wait "$holder"
wait "$wa"
same "aa's write completes once the lock is released" "$?" 0
wait "$wc"
same "and the installation's" "$?" 0
same "aa's person is in" "$(q "SELECT count(*) FROM people WHERE full_name = 'Waits in A' AND org_id = $ida")" 1
same "organization cc is in" "$(q "SELECT count(*) FROM organizations WHERE slug = 'cc'")" 1
# and the other way: a write of the installation held in psql: an organization's writer waits for it
mkfifo "$T/hold2.in"
psql -X -At -d "$FS_PG_DB" <"$T/hold2.in" >"$T/hold2.out" 2>&1 &
holder=$!
exec 3>"$T/hold2.in"
echo "BEGIN; SELECT pg_advisory_xact_lock(7384502293001); SELECT 'held';" >&3
poll "the psql session to hold the installation's lock" 'grep -q held "$T/hold2.out"'
fs --org bb person add --full-name "Waits for the installation" >"$T/wi.out" 2>&1 &
wi=$!
poll "bb's writer to wait" '[ "$(waiting_install)" -ge 1 ]' && ok "an organization's write waits for a write of the installation" ||
	notok "an organization's write waits for a write of the installation"
same "and writes nothing meanwhile" "$(q "SELECT count(*) FROM people WHERE full_name = 'Waits for the installation'")" 0
echo "COMMIT;" >&3
exec 3>&-
wait "$holder"
wait "$wi"
same "it completes once the installation's write ends" "$?" 0
# many writers of both organizations at once: the journal chain, the Merkle logs and the ids stay whole
pids=
for i in $(seq 1 12); do
	fs --org aa person add --full-name "A$i" >"$T/ma$i.out" 2>&1 &
	pids="$pids $!"
	fs --org bb person add --full-name "B$i" >"$T/mb$i.out" 2>&1 &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
same "24 writers of two organizations at once: every one answered without an error" "$(cat "$T"/ma*.out "$T"/mb*.out | grep -c 'fairshare:')" 0
same "and every record is in" "$(q "SELECT count(*) FROM people WHERE full_name ~ '^[AB][0-9]+\$'")" 24
expect "verify holds" 0 fs verify

# ---- two servers and the CLI on one database ----
export FAIRSHARE_ORG=aa
for u in t1 t2 t3; do FAIRSHARE_PASSWORD=treasurer-pass-x fs user add $u --role treasurer >/dev/null; done
fs user token t1 >"$T/tok1" && fs user token t2 >"$T/tok2" && fs user token t3 >"$T/tok3"
fs fund create --name "Strike fund" --approval-threshold 50000 >/dev/null
fs contribute --fund 1 --amount 100000.00 --id seed >/dev/null
# the ledger of two organizations at once: the transfer log is one chain (its head read before any change)
fs --org bb fund create --name "B fund" >/dev/null
pids=
for i in $(seq 1 8); do
	fs contribute --fund 1 --amount 1.00 --id ca-$i >"$T/fa$i.out" 2>&1 &
	pids="$pids $!"
	fs --org bb contribute --fund 2 --amount 1.00 --id cb-$i >"$T/fb$i.out" 2>&1 &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
same "16 contributions to two organizations' funds at once: no error" "$(cat "$T"/fa*.out "$T"/fb*.out | grep -c 'fairshare:')" 0
same "all recorded" "$(q "SELECT count(*) FROM transfers WHERE id ~ '^c[ab]-'")" 16
expect "verify holds (the transfer log's chain is whole)" 0 fs verify
same "fund 1 account 1 is its cash, 4 its contributions" "$(q "SELECT name FROM accounts WHERE id IN (1, 4) ORDER BY id" | tr '\n' ' ')" \
	"assets:cash income:contributions "
serve_on() { # serve_on N PORT_OFFSET [OPTIONS]: a server, its URL in B$N; ready when IT says it listens
	local k=$1 off=$2 p a
	shift 2
	for a in 0 1 2 3 4; do # a port in use (another suite's server) is left for another
		p=$((20000 + ($$ + off + a * 7919) % 20000))
		"$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$p "$@" >"$T/serve$k.out" 2>"$T/serve$k.err" &
		eval "srv$k=\$!; B$k=http://127.0.0.1:$p/api/v1"
		poll "server $k" "grep -q 'fairshare is serving' '$T/serve$k.out' || ! kill -0 \$srv$k 2>/dev/null" || return 1
		grep -q 'fairshare is serving' "$T/serve$k.out" && return 0
		grep -q 'cannot listen' "$T/serve$k.err" || { tail -n 5 "$T/serve$k.err" | sed 's/^/# /'; return 1; }
	done
	return 1
}
serve_on 1 0 && serve_on 2 7 && ok "two servers on one database" || notok "two servers on one database"
J='Content-Type: application/json'
pay='{"person_id":1,"payer_kind":"ministry","payer_name":"Ministry","paid_on":"2012-03-01","amount":"10.00","idempotency_key":"race-1"}'
tr='[{"id":"race-t","debit_account_id":1,"credit_account_id":4,"amount_minor":700,"code":"contribution"}]'
pids=
for i in $(seq 1 50); do
	if [ $((i % 2)) = 0 ]; then b=$B1; else b=$B2; fi
	curl -s -o "$T/hp$i.body" -w '%{http_code}\n' -H "Authorization: Bearer $(cat "$T/tok1")" -H "$J" -d "$pay" "$b/orgs/aa/payments" >"$T/hp$i.code" &
	pids="$pids $!"
	curl -s -o "$T/ht$i.body" -w '%{http_code}\n' -H "Authorization: Bearer $(cat "$T/tok1")" -H "$J" -d "$tr" "$b/orgs/aa/funds/1/transfers" >"$T/ht$i.code" &
	pids="$pids $!"
	if [ $((i % 5)) = 0 ]; then # and the CLI, a third writer
		fs payment add --person-id 1 --payer-kind ministry --payer-name Ministry --paid-on 2012-03-01 --amount 10.00 \
			--idempotency-key race-1 >"$T/cp$i.out" 2>&1 &
		pids="$pids $!"
	fi
done
# shellcheck disable=SC2086
wait $pids
same "60 retries of one payment over two servers and the CLI record it once" "$(q "SELECT count(*) FROM payments WHERE idempotency_key = 'race-1'")" 1
same "50 retries of one transfer over two servers record it once" "$(q "SELECT count(*) FROM transfers WHERE id = 'race-t'")" 1
same "at most one payment answer is 201 (created): the others found it" "$(cat "$T"/hp*.code | grep -c '^201$' | sed 's/^[01]$/ok/')" ok
same "every payment answer is 200 or 201" "$(cat "$T"/hp*.code | grep -vc '^20[01]$')" 0
same "every transfer answer is 200" "$(cat "$T"/ht*.code | grep -vc '^200$')" 0
same "the transfer was recorded by exactly one request" "$(cat "$T"/ht*.body | grep -c '"result":"ok"')" 1
same "the CLI's retries: no error" "$(cat "$T"/cp*.out | grep -c 'fairshare:')" 0
grep -h 'fairshare:' "$T"/cp*.out | head -n 2 | sed 's/^/#   /'
expect "a payout above the threshold waits" 0 fs --as t1 disburse --fund 1 --amount 60000.00 --purpose legal --id lg-1
curl -s -o "$T/ap2.body" -w '%{http_code}\n' -H "Authorization: Bearer $(cat "$T/tok2")" -H "$J" -d '{"pending_id":"lg-1"}' "$B1/orgs/aa/funds/1/approvals" >"$T/ap2.code" &
a2=$!
curl -s -o "$T/ap3.body" -w '%{http_code}\n' -H "Authorization: Bearer $(cat "$T/tok3")" -H "$J" -d '{"pending_id":"lg-1"}' "$B2/orgs/aa/funds/1/approvals" >"$T/ap3.code" &
wait "$a2" $!
same "two treasurers approving through two servers at once post it once" "$(q "SELECT count(*) FROM transfers WHERE pending_id = 'lg-1'")" 1
same "both were answered (200 or 409)" "$(cat "$T/ap2.code" "$T/ap3.code" | grep -c '^\(200\|409\)$')" 2
same "one of them posted it" "$(cat "$T/ap2.body" "$T/ap3.body" | grep -o '"result":"ok"' | wc -l)" 1
same "the other found it posted" "$(cat "$T/ap2.body" "$T/ap3.body" | grep -c -e '"result":"exists"' -e 'was already posted by')" 1
pids=
for i in $(seq 1 20); do
	if [ $((i % 3)) = 0 ]; then
		fs disburse --fund 1 --amount 4000.00 --purpose strike-pay --to "W$i" --id sp-$i >"$T/d$i.out" 2>&1 &
	else
		if [ $((i % 3)) = 1 ]; then b=$B1; else b=$B2; fi
		curl -s -o /dev/null -H "Authorization: Bearer $(cat "$T/tok1")" -H "$J" \
			-d "[{\"id\":\"sp-$i\",\"debit_account_id\":7,\"credit_account_id\":1,\"amount_minor\":400000,\"code\":\"strike-pay\"}]" \
			"$b/orgs/aa/funds/1/transfers" &
	fi
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
same "20 payouts of 4000 at once from 100015-60000 over both servers and the CLI: only 10 fit" "$(q "SELECT count(*) FROM transfers WHERE id LIKE 'sp-%'")" 10
expect "balances" 0 fs fund balances 1
has "cash never negative: 15.00 left" "$T/out" "15.00 TRY"
expect "verify holds after two servers and the CLI" 0 fs verify

# ---- serve --read-only ----
serve_on 3 13 --read-only && ok "serve --read-only starts" || notok "serve --read-only starts"
same "a write is refused: 503" "$(curl -s -o "$T/ro.body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok1")" -H "$J" -d "$pay" "$B3/orgs/aa/payments")" 503
has "naming read-only" "$T/ro.body" '"code":"read_only"'
has "and where to write" "$T/ro.body" "write through the primary"
same "a login too (it writes a session)" "$(curl -s -o "$T/ro.body" -w '%{http_code}' -H "$J" -d '{"username":"t1","password":"treasurer-pass-x"}' "$B3/login")" 503
same "a read works" "$(curl -s -o "$T/ro.body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok1")" "$B3/orgs/aa/payments")" 200
has "and shows the payment" "$T/ro.body" "race-1"
same "the public page works" "$(curl -s -o /dev/null -w '%{http_code}' "${B3%/api/v1}/")" 200
same "nothing was written through it" "$(q "SELECT count(*) FROM payments")" 2
for k in 1 2 3; do # a server that died: say so, with the end of its error output
	eval "pid=\$srv$k"
	kill -0 "$pid" 2>/dev/null && ok "server $k is still running" || { notok "server $k is still running"; tail -n 30 "$T/serve$k.err" | sed 's/^/#   /'; }
done
kill "$srv1" "$srv2" "$srv3"
wait "$srv1" "$srv2" "$srv3" 2>/dev/null
finish
