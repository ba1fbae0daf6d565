# lib.sh - a small TAP harness for black-box tests of the real fairshare binary.
# Each test file sources this, runs checks and ends with `finish`.
set -u
FS_BIN=${FAIRSHARE:?set FAIRSHARE to the fairshare binary}
T=$(mktemp -d "${TMPDIR:-/tmp}/fs-cli-XXXXXX")
DB=$T/fs.db
KEY=$DB.key # the database's key file (on PostgreSQL: $FAIRSHARE_KEY)
EVID=$DB.evidence # the evidence files' folder (beside the key on PostgreSQL)
# FS_TEST_DB=postgres: the same suite on a PostgreSQL database of its own (in the
# cluster of $PGHOST, else in a private one started here); the key is $T/fs.key
FS_PG_OWN=
if [ "${FS_TEST_DB:-sqlite}" = postgres ]; then
	. "$(dirname "$0")/pg.sh"
	# its own folder: nobody (the cluster's owner when run as root) cannot enter $T
	if [ -z "${PGHOST:-}" ]; then FS_PG_OWN=$(mktemp -d /tmp/fs-pg-XXXXXX) && pg_start "$FS_PG_OWN" || exit 1; fi
	FS_PG_DB=fs_$(basename "$T" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_')
	createdb "$FS_PG_DB" || exit 1
	DB="postgres:///$FS_PG_DB"
	export FAIRSHARE_KEY=$T/fs.key
	KEY=$FAIRSHARE_KEY
	EVID=$T/fs.evidence
fi
FS_MAIN_DB=$DB FS_MAIN_KEY=$KEY
SIGNKEY=${KEY%.key}.signing.key # the checkpoints' signing key, beside the key
n=0
fails=0
fs() { "$FS_BIN" --db "$DB" "$@"; }
# on_pg: this run is on PostgreSQL; skip NAME WHY: a case not run here, said on a SKIP line
on_pg() { [ "${FS_TEST_DB:-sqlite}" = postgres ]; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# db_clone NAME: prints the name of a copy of $DB (its key beside it, or $FAIRSHARE_KEY)
db_clone() {
	if on_pg; then
		# pg_dump, not createdb -T: a server may be connected to $DB
		createdb "${FS_PG_DB}_$1" && pg_dump -d "${DB#postgres:///}" | psql -q -X -v ON_ERROR_STOP=1 -d "${FS_PG_DB}_$1" >/dev/null &&
			echo "postgres:///${FS_PG_DB}_$1"
	else
		sqlite3 "$DB" ".backup '$T/$1.db'" && cp "$KEY" "$T/$1.db.key" && echo "$T/$1.db"
	fi
}
# same_file DESC A B: files A and B are the same bytes (on failure their first differences)
same_file() {
	if cmp -s "$2" "$3"; then ok "$1"; else notok "$1"; diff "$2" "$3" | head -n 6 | sed 's/^/#   /'; fi
}
# tampered NAME SQL DESC: SQL run on a copy of $DB named NAME (db_clone; $DB is left
# alone), and verify of that copy must fail (exit 65)
tampered() {
	local copy
	copy=$(db_clone "$1") || { notok "$3 (no copy $1)"; return; }
	db_sql "$copy" "$2"
	expect "$3" 65 "$FS_BIN" --db "$copy" verify
}
# db_restore COPY: $DB becomes COPY (a db_clone of it) again; no server may be connected
db_restore() {
	if on_pg; then
		dropdb --force "$FS_PG_DB" && createdb "$FS_PG_DB" &&
			pg_dump -d "${1#postgres:///}" | psql -q -X -v ON_ERROR_STOP=1 -d "$FS_PG_DB" >/dev/null
	else
		cp "$1" "$DB" && rm -f "$DB-wal" "$DB-shm"
	fi
}
# at_rest DB TEXT: TEXT is stored in the clear (the SQLite file's bytes; PostgreSQL's
# dump, where a bytea column shows as hex)
at_rest() {
	case $1 in
	postgres:///*) pg_dump -d "${1#postgres:///}" | grep -qF -e "$2" -e "$(printf '%s' "$2" | od -An -tx1 | tr -d ' \n')" ;;
	*) grep -qaF -- "$2" "$1" $([ -f "$1-wal" ] && echo "$1-wal") ;;
	esac
}
# pg_files_have HEX: PostgreSQL: these bytes are in one of $DB's files (tables, TOAST,
# indexes; old row versions too), the server's buffers written out first (CHECKPOINT)
pg_files_have() {
	psql -X -q -At -d "$FS_PG_DB" -c "CHECKPOINT" >/dev/null || return 2
	python3 - "$(psql -X -At -d "$FS_PG_DB" -c "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database
		WHERE datname = current_database()")" "$1" <<'EOF'
import glob, sys
want = bytes.fromhex(sys.argv[2])
sys.exit(0 if any(want in open(f, "rb").read() for f in glob.glob(sys.argv[1] + "/*")) else 1)
EOF
}
# rest_snapshot DB; in_rest TEXT: at_rest for many texts, the database read once
rest_snapshot() {
	case $1 in
	postgres:///*) pg_dump -d "${1#postgres:///}" >"$T/rest.snap" ;;
	*) cat "$1" $([ -f "$1-wal" ] && echo "$1-wal") >"$T/rest.snap" ;;
	esac
}
in_rest() { grep -qaF -e "$1" -e "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')" "$T/rest.snap"; }
# db_new NAME: $DB (and $KEY) become a new, empty database of the same backend;
# db_main: back to the suite's own
db_new() {
	if on_pg; then
		createdb "${FS_PG_DB}_$1" && DB=postgres:///${FS_PG_DB}_$1 && KEY=$T/$1.key && export FAIRSHARE_KEY=$KEY
	else
		DB=$T/$1.db && KEY=$DB.key
	fi
}
db_main() {
	DB=$FS_MAIN_DB KEY=$FS_MAIN_KEY
	if on_pg; then export FAIRSHARE_KEY=$KEY; fi
}
# sqlite_only WHY: this suite is about SQLite's file: on PostgreSQL one SKIP line says why
sqlite_only() {
	if on_pg; then
		skip "$(basename "$0" .sh) on PostgreSQL" "$1"
		finish
		exit 0
	fi
}
# db_sum: a checksum of everything stored in $DB
db_sum() {
	# (pg_dump's \restrict key is new in every dump: not what is stored)
	if on_pg; then pg_dump -d "${DB#postgres:///}" | grep -v '^\\\(un\)\{0,1\}restrict ' | cksum; else cat "$DB" "$DB-wal" 2>/dev/null | cksum; fi
}
# db_sql DB SQL: runs SQL on a database behind fairshare's back (sqlite3 or psql)
db_sql() {
	case $1 in
	postgres:///*) psql -q -X -A -t -v ON_ERROR_STOP=1 -d "${1#postgres:///}" -c "$2" ;;
	*) sqlite3 "$1" "$2" ;;
	esac
}
# tree_head DB ORG: the RFC 9162 tree head of ORG's log, computed apart from the
# journal's entry hashes by tests/cli/log_forge.py (from PostgreSQL: the hashes read
# with psql into a scratch SQLite file of the journal's seq, org_id and hash)
tree_head() {
	local db=$1
	case $1 in
	postgres:///*)
		db=$T/tree_head.db
		rm -f "$db"
		db_sql "$1" "SELECT seq || ' ' || encode(hash, 'hex') FROM journal WHERE coalesce(org_id, 0) = $2 ORDER BY seq" |
			python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE journal (seq INTEGER, org_id INTEGER, hash BLOB)")
c.executemany("INSERT INTO journal VALUES (?, ?, ?)", [(int(l.split()[0]), int(sys.argv[2]), bytes.fromhex(l.split()[1])) for l in sys.stdin])
c.commit()' "$db" "$2" || return 1 ;;
	esac
	python3 "$(dirname "$0")/log_forge.py" root "$db" "$2"
}
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
# expect NAME EXIT_CODE COMMAND... : run, keep stdout in $T/out and stderr in $T/err
expect() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else
		notok "$name (exit $rc, expected $want)"
		sed 's/^/#   /' "$T/err" | head -n 8
	fi
}
# has NAME FILE TEXT : FILE contains TEXT
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		notok "$1"
		echo "#   '$3' not found in $2:"
		sed 's/^/#   /' "$2" | head -n 10
	fi
}
# hasnot NAME FILE TEXT : FILE (which must exist and be readable) does not contain TEXT
hasnot() {
	grep -qF -- "$3" "$2" 2>/dev/null
	case $? in
	0) notok "$1"; echo "#   '$3' unexpectedly found in $2" ;;
	1) ok "$1" ;;
	*) notok "$1"; echo "#   cannot read $2" ;;
	esac
}
# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   got '$2', expected '$3'"; fi
}
# flip_byte FILE TEXT : change the first byte of the first occurrence of TEXT
flip_byte() {
	local off
	off=$(grep -obUaF -- "$2" "$1" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	printf 'Z' | dd of="$1" bs=1 seek="$off" conv=notrunc status=none
}
# free_port: a loopback port no one listens on now (the kernel's choice), for a
# server a suite starts itself (parallel runs cannot pick the same one)
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# start_server [OFFSET]: fairshare serve on a free-ish port (waits up to 30 s for it: the
# machine may be loaded); sets $server, $port, $B
# Starts 'fairshare serve' on a free loopback port: ready once THIS server says it
# listens (another test's server on the same port must not answer for it); a port
# in use is left for another. $server, $port and $B name it.
start_server() {
	for attempt in 0 1 2 3 4 5 6 7; do
		port=$((20000 + ($$ + ${1:-0} + attempt * 7919) % 20000))
		"$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port >"$T/serve.out" 2>"$T/serve.err" &
		server=$!
		B=http://127.0.0.1:$port/api/v1
		for i in $(seq 1 600); do
			grep -q "fairshare is serving" "$T/serve.out" 2>/dev/null && break
			kill -0 "$server" 2>/dev/null || break
			sleep 0.1
		done
		if grep -q "fairshare is serving" "$T/serve.out" 2>/dev/null; then
			for i in $(seq 1 300); do curl -s "$B/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
			return 1
		fi
		kill -0 "$server" 2>/dev/null && { kill -9 "$server"; wait "$server" 2>/dev/null; return 1; }
		wait "$server" 2>/dev/null
		grep -q "cannot listen" "$T/serve.err" || return 1
	done
	return 1
}
# A server's sanitizer report is a failure even when every answer looked right (a
# server that dies of one leaves later tests with refused connections and no reason);
# so is a database context that came back to the pool inside a transaction (pool.c).
server_reports() {
	for f in "$T"/serve*.err "$T"/*/serve*.err; do
		[ -f "$f" ] || continue
		if grep -q -e 'runtime error:' -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'came back busy' "$f"; then
			notok "the server ran clean (sanitizers, its database contexts): $(basename "$f")"
			grep -A 12 -e 'runtime error:' -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'came back busy' "$f" | head -n 16 | sed 's/^/#   /'
		fi
	done
}
finish() {
	server_reports
	echo "1..$n"
	if [ "${FS_TEST_DB:-sqlite}" = postgres ]; then
		for d in $(psql -X -A -t -d "$FS_PG_DB" -c "SELECT datname FROM pg_database WHERE datname LIKE '${FS_PG_DB}\\_%'" 2>/dev/null); do
			dropdb --force "$d" 2>/dev/null
		done
		dropdb --force "$FS_PG_DB" 2>/dev/null
		[ -n "$FS_PG_OWN" ] && pg_stop "$FS_PG_OWN" && rm -rf "$FS_PG_OWN"
	fi
	rm -rf "$T"
	[ "$fails" -eq 0 ]
}
