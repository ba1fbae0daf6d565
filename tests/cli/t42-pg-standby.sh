#!/bin/sh
# t42 - a PostgreSQL primary and a hot standby (streaming replication,
# synchronous_commit = remote_apply): `serve --read-only` on the standby answers
# reads of what the primary acknowledged and refuses writes; the primary is killed
# (kill -9, the postmaster and every backend) while writers are at work; the
# standby is promoted (pg_ctl promote), holds every write a client saw
# acknowledged, `verify` holds on it and it takes writes. Two clusters of its own,
# on Unix sockets in a folder of /tmp. Skipped only when the PostgreSQL server
# binaries are missing (make test installs them). Adaptive: every wait polls.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"
bin=$(pg_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_basebackup" ]; then
	echo "ok 1 # SKIP no PostgreSQL server binaries (apt-get install postgresql)"
	echo "1..1"
	rm -rf "$T"
	exit 0
fi
# poll WHAT CODE: until the shell code CODE succeeds, evaluated anew each time (up to 180 s: the machine may be loaded)
poll() {
	local what=$1 end
	shift
	end=$(($(date +%s) + 180))
	while [ "$(date +%s)" -lt "$end" ]; do eval "$*" >/dev/null 2>&1 && return 0; sleep 0.1; done
	echo "# gave up waiting for: $what"
	return 1
}
R=$(mktemp -d /tmp/fs-pgrep-XXXXXX)
chmod 0755 "$R"
[ "$(id -u)" -eq 0 ] && chown nobody "$R"
pp=$((30000 + $$ % 15000))
sp=$((pp + 1))
unset PGHOST PGPORT PGDATABASE PGSERVICE PGPASSWORD
export PGUSER=fairshare
P="host=$R port=$pp dbname" S="host=$R port=$sp dbname"
qp() { psql -X -At -d "$P=${2:-postgres}" -c "$1"; }
qs() { psql -X -At -d "$S=${2:-postgres}" -c "$1"; }
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	for c in p s; do [ -f "$R/$c/postmaster.pid" ] && pg_as "$bin/pg_ctl" -D "$R/$c" -m immediate -w stop >/dev/null 2>&1; done
	rm -rf "$R"
}
# the primary: synchronous replication to standby1, applied before a commit is acknowledged
common="-k $R -c listen_addresses= -c fsync=off -c max_connections=60 -c shared_buffers=16MB"
pg_as "$bin/initdb" -D "$R/p" -U fairshare --auth=trust -E UTF8 --locale=C >"$R/initdb.log" 2>&1 &&
	pg_as "$bin/pg_ctl" -D "$R/p" -l "$R/p.log" -w -t 120 -o "$common -p $pp -c wal_level=replica -c max_wal_senders=5 \
-c synchronous_standby_names=standby1 -c synchronous_commit=remote_apply" start >/dev/null 2>&1
same "a primary runs" "$?" 0
# the standby: a base backup with -R (standby.signal, primary_conninfo), named standby1
pg_as "$bin/pg_basebackup" -d "host=$R port=$pp user=fairshare application_name=standby1" -D "$R/s" -X stream -R -c fast \
	>"$R/basebackup.log" 2>&1
same "pg_basebackup -R makes the standby" "$?" 0
[ -f "$R/s/standby.signal" ] && grep -q "application_name=standby1" "$R/s/postgresql.auto.conf" &&
	ok "it is a standby named standby1" || notok "it is a standby named standby1"
pg_as "$bin/pg_ctl" -D "$R/s" -l "$R/s.log" -w -t 120 -o "$common -p $sp -c hot_standby=on" start >/dev/null 2>&1
same "the standby runs" "$?" 0
poll "the standby to stream synchronously" '[ "$(qp "SELECT sync_state FROM pg_stat_replication WHERE application_name = '\''standby1'\''")" = sync ]'
same "it streams, synchronously" "$(qp "SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")" "streaming sync"
same "the primary acknowledges a commit once the standby applied it" "$(qp "SHOW synchronous_commit")" remote_apply
same "the standby is in recovery (read-only)" "$(qs "SELECT pg_is_in_recovery()")" t

# ---- fairshare on the primary ----
qp "CREATE DATABASE fs" >/dev/null
DBP="postgresql:///fs?host=$R&port=$pp" DBS="postgresql:///fs?host=$R&port=$sp"
export FAIRSHARE_KEY=$T/fs.key
fp() { "$FS_BIN" --db "$DBP" "$@"; }
fsb() { "$FS_BIN" --db "$DBS" "$@"; }
expect "init on the primary" 0 fp init
fp org add --slug aa --name "Org A" --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=aa
fp person add --full-name "Ayşe Yılmaz" >/dev/null
FAIRSHARE_PASSWORD=viewer-pass-x fp user add v1 --role treasurer >/dev/null
fp user token v1 >"$T/tok"
expect "a read on the standby" 0 fsb person list
has "sees what the primary acknowledged" "$T/out" "Ayşe Yılmaz"
expect "a write on the standby is refused" 77 fsb person add --full-name "Nope"
has "as read-only" "$T/err" "read-only"

# ---- serve --read-only on the standby ----
port=$((20000 + ($$ + 29) % 20000))
"$FS_BIN" --db "$DBS" serve --read-only --listen 127.0.0.1:$port >"$T/serve.out" 2>"$T/serve.err" &
srv=$!
B=http://127.0.0.1:$port/api/v1
poll "serve --read-only on the standby" 'curl -sf "$B/health"' && ok "serve --read-only runs on the standby" || notok "serve --read-only runs on the standby"
H="Authorization: Bearer $(cat "$T/tok")"
same "a read through it" "$(curl -s -o "$T/body" -w '%{http_code}' -H "$H" "$B/orgs/aa/people")" 200
has "shows the primary's record" "$T/body" "Ayşe Yılmaz"
same "the public page" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" 200
same "a write through it: 503" "$(curl -s -o "$T/body" -w '%{http_code}' -H "$H" -H 'Content-Type: application/json' -d '{"full_name":"Nope"}' "$B/orgs/aa/people")" 503
has "read_only, named" "$T/body" '"code":"read_only"'
fp person add --full-name "Written Just Now" >/dev/null
same "a write the primary acknowledged is read through the standby at once (remote_apply)" \
	"$(curl -s -H "$H" "$B/orgs/aa/people?q=written" | grep -c 'Written Just Now')" 1

# ---- writers on the primary; kill -9 the primary mid-load ----
writer() { # writer W: payments until the primary is gone; each acknowledged one is noted
	local i=0
	while [ ! -f "$R/stop" ]; do
		i=$((i + 1))
		if fp payment add --person-id 1 --payer-kind ministry --payer-name M --paid-on 2012-03-01 --amount 1.00 \
			--idempotency-key "w$1-$i" >/dev/null 2>>"$T/w$1.err"; then
			echo "w$1-$i" >>"$T/acked$1"
		elif [ -n "$(cat "$R/p/postmaster.pid" 2>/dev/null)" ] && [ -z "$(cat "$R/killed" 2>/dev/null)" ]; then
			echo "# a write failed before the kill" >>"$T/w$1.err"
		else
			return 0
		fi
	done
}
wpids=
for w in 1 2 3; do
	: >"$T/acked$w"
	writer $w &
	wpids="$wpids $!"
done
acked() { cat "$T"/acked* | wc -l; }
poll "30 acknowledged writes" '[ "$(acked)" -ge 30 ]'
pm=$(head -n 1 "$R/p/postmaster.pid")
kids=$(ps -o pid= --ppid "$pm")
echo killed >"$R/killed"
# a backend may end on its own between ps and kill (each CLI write is a connection):
# what must hold is that the primary is gone
# shellcheck disable=SC2086
kill -9 "$pm" $kids 2>/dev/null
poll "the primary gone" '! ps -o stat= -p "$pm" | grep -qv Z'
same "kill -9 of the primary and its backends" "$?" 0
n_acked_at_kill=$(acked)
touch "$R/stop"
# the writers end on their first failed write
# shellcheck disable=SC2086
wait $wpids
cat "$T"/acked* | sort >"$T/acked"
[ "$n_acked_at_kill" -ge 30 ] && ok "$(wc -l <"$T/acked") writes were acknowledged (at least 30 before the kill)" ||
	notok "at least 30 writes acknowledged before the kill"
same "no write failed while the primary was alive" "$(cat "$T"/w*.err | grep -c 'failed before the kill')" 0

# ---- promote the standby ----
pg_as "$bin/pg_ctl" -D "$R/s" -w -t 120 promote >/dev/null 2>&1
same "pg_ctl promote" "$?" 0
poll "the promoted node to leave recovery" '[ "$(qs "SELECT pg_is_in_recovery()")" = f ]'
same "the standby is the primary now" "$(qs "SELECT pg_is_in_recovery()")" f
qs "SELECT idempotency_key FROM payments WHERE idempotency_key LIKE 'w%'" fs | sort >"$T/present"
same "every acknowledged write is on the promoted node" "$(comm -23 "$T/acked" "$T/present" | wc -l)" 0
comm -23 "$T/acked" "$T/present" | head -n 5 | sed 's/^/#   lost: /'
expect "verify holds on the promoted node" 0 fsb verify
same "the read-only server still reads" "$(curl -s -o /dev/null -w '%{http_code}' -H "$H" "$B/orgs/aa/payments")" 200
same "and still refuses writes" "$(curl -s -o /dev/null -w '%{http_code}' -H "$H" -H 'Content-Type: application/json' -d '{"full_name":"Nope"}' "$B/orgs/aa/people")" 503
expect "the promoted node takes writes" 0 fsb payment add --person-id 1 --payer-kind ministry --payer-name M --paid-on 2012-03-01 \
	--amount 1.00 --idempotency-key after-promote
expect "and verify holds after them" 0 fsb verify
cleanup
srv=
finish
