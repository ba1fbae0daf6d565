#!/bin/sh
# t70 - a bulk write alone on an SQLite file goes through the rollback journal
# (issue 16, session 27): an import of FS_BULK_ROWS (5,000) rows or more, or a
# claims compute of as many employments, run while no other connection has the
# file open, writes each page once (WAL writes it twice: the WAL, then the
# checkpoint). While it runs the journal is the private DB-journal, another
# process reads what was committed before it (once its pages spill, a reader
# waits: test_store); after it the file is in WAL again.
# With a server running (its connections never take the
# file alone) or for a small import, the write stays in WAL and readers go on.
# A kill -9 in the middle leaves a hot journal that the next open rolls back:
# nothing of it stored. SQLite only (the journal modes of its file).
. "$(dirname "$0")/lib.sh"
sqlite_only "the journal modes of an SQLite file"
D=$(dirname "$0")/t54
# rows N FROM BAD: N rows of workers (t54's gen.awk), from national-ID prefix
# FROM; with BAD, the BAD rows after the first third have no name (rejected)
rows() {
	awk -v n="$1" -v cc=TR -f "$D/gen.awk" | awk -F, -v bad="${2:-0}" -v n="$1" 'BEGIN { OFS = "," }
		NR > 1 && NR - 1 > int(n / 3) && NR - 1 <= int(n / 3) + bad { $2 = "" }
		{ print }'
}
mode() { sqlite3 "$DB" "PRAGMA journal_mode"; }
fresh() {
	db_new "$1"
	expect "init $1" 0 fs init
	expect "an organization in $1" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY
	expect "an employer in $1" 0 fs employer add --name E
	expect "a workplace in $1" 0 fs workplace add --employer-id 1 --name W --kind mine
}
# held FILE: the import of FILE with its rejects written to a pipe nobody reads
# yet: it stops when the pipe is full, its transaction open, rows written. No
# timing. $pid is the import's; `release` reads the pipe and waits for the end.
held() {
	rm -f "$T/rej"
	mkfifo "$T/rej"
	"$FS_BIN" --db "$DB" import people "$1" --skip-invalid --rejects "$T/rej" >"$T/held.out" 2>"$T/held.err" &
	pid=$!
	exec 4<"$T/rej"
	# the pipe holds 64 KiB: wait until the import has filled it and stopped
	i=0
	while [ $i -lt 600 ]; do
		s=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)
		w=$(cat "/proc/$pid/wchan" 2>/dev/null)
		case $s:$w in S:*pipe_write) break ;; esac
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
}
release() {
	cat <&4 >"$T/rej.csv"
	exec 4<&-
	wait "$pid"
	held_rc=$?
}

rows 9000 1500 >"$T/big.csv"
rows 1500 1500 >"$T/small.csv"
stored=$(($(wc -l <"$T/big.csv") - 1 - 1500))

# ---- alone: the rollback journal, private; other processes told why they wait
fresh alone
same "the file starts in WAL" "$(mode)" wal
held "$T/big.csv"
same "the import stopped on its full rejects pipe" "$(kill -0 "$pid" 2>/dev/null && echo running)" running
if [ -f "$DB-journal" ]; then ok "its write goes through the rollback journal (DB-journal)"; else notok "no DB-journal while the import writes"; fi
same "the journal is private" "$(stat -c %a "$DB-journal" 2>/dev/null)" 600
if [ -f "$DB-wal" ]; then notok "a WAL beside the rollback journal"; else ok "no WAL while it runs"; fi
# its pages not yet spilled (a reader waits only once they are: test_store's
# test_bulk_held), a reader meanwhile reads what was committed before it
expect "a reader meanwhile" 0 fs --json person list --limit 5
same "sees none of the import's rows" "$(tr -d ' \n' <"$T/out")" '{"total":0,"items":[]}'
release
same "the import ended well" "$held_rc" 0
has "its rows stored, the bad ones rejected" "$T/held.out" "$stored added, 0 updated, 0 unchanged, 1500 rejected"
same "every rejected row written" "$(($(wc -l <"$T/rej.csv") - 1))" 1500
same "WAL again after it" "$(mode)" wal
if [ -e "$DB-journal" ]; then notok "a journal left behind"; else ok "no journal left behind"; fi
same "every row stored" "$(sqlite3 "$DB" "SELECT count(*) FROM people")" "$stored"
same "the file is whole" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
expect "verify holds" 0 fs verify
expect "a reader works again" 0 fs person list --limit 1

# ---- claims compute of the 7,500 employments, alone: WAL again after it, all bound
expect "claims compute" 0 fs --json claims compute --workplace 1 --as-of 2013-01-15
claims=$(sqlite3 "$DB" "SELECT count(*) FROM claims")
[ "$claims" -ge "$stored" ] && ok "claims stored ($claims)" || notok "only $claims claims for $stored workers"
same "every claim bound by a batch" "$(sqlite3 "$DB" "SELECT sum(nrows) FROM journal_rows WHERE entity = 'claim'")" "$claims"
same "WAL after the compute" "$(mode)" wal
if [ -e "$DB-journal" ]; then notok "a journal left by the compute"; else ok "no journal left by the compute"; fi
expect "verify holds after the compute" 0 fs verify

# ---- kill -9 in the middle: the hot journal is rolled back by the next open
fresh killed
held "$T/big.csv"
if [ -f "$DB-journal" ]; then ok "held in the rollback journal"; else notok "no DB-journal while held"; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 4<&-
if [ -s "$DB-journal" ]; then ok "a hot journal left by the kill"; else notok "no hot journal after the kill"; fi
expect "verify after the kill" 0 fs verify
same "nothing of it stored" "$(sqlite3 "$DB" "SELECT count(*) FROM people") $(sqlite3 "$DB" "SELECT count(*) FROM person_keys") $(sqlite3 "$DB" "SELECT count(*) FROM journal_rows")" "0 0 0"
expect "a command that writes" 0 fs person add --full-name "After Kill"
same "WAL again after the kill" "$(mode)" wal
same "the file is whole after the kill" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
expect "the import runs again" 0 fs import people "$T/big.csv" --skip-invalid --rejects "$T/rej2.csv"
same "every row stored after the retry" "$(sqlite3 "$DB" "SELECT count(*) FROM people")" "$((stored + 1))"
expect "verify after the retry" 0 fs verify

# ---- a server running: its idle connection keeps the file shared, in WAL
fresh served
# started without a request (start_server asks /health, which opens a context):
# the server's own idle connection alone must keep the file shared
port=$(free_port)
"$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port >"$T/serve.out" 2>"$T/serve.err" &
server=$!
B=http://127.0.0.1:$port/api/v1
i=0
while ! grep -q "fairshare is serving" "$T/serve.out" 2>/dev/null && kill -0 "$server" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
if grep -q "fairshare is serving" "$T/serve.out"; then
	ok "a server runs on the file, no request yet"
	held "$T/big.csv"
	if [ -e "$DB-journal" ]; then notok "the file taken alone under a running server"; else ok "no rollback journal under a server"; fi
	expect "a reader meanwhile reads at once" 0 fs person list --limit 1
	same "the server answers meanwhile" "$(curl -s -o /dev/null -w '%{http_code}' "$B/health")" 200
	release
	same "the import ended well under the server" "$held_rc" 0
	same "its rows stored" "$(sqlite3 "$DB" "SELECT count(*) FROM people")" "$stored"
	same "still WAL" "$(mode)" wal
	kill "$server"
	wait "$server" 2>/dev/null
	expect "verify holds" 0 fs verify
else
	notok "a server runs on the file"
fi

# ---- a small import (below FS_BULK_ROWS) stays in WAL: readers go on
fresh small
held "$T/small.csv"
same "the small import stopped on its full rejects pipe" "$(kill -0 "$pid" 2>/dev/null && echo running)" running
if [ -e "$DB-journal" ]; then notok "a small import took the file alone"; else ok "a small import stays in WAL"; fi
expect "a reader meanwhile reads at once" 0 fs person list --limit 1
release
same "the small import ended well" "$held_rc" 0
same "its rows stored" "$(sqlite3 "$DB" "SELECT count(*) FROM people")" 500
expect "verify holds" 0 fs verify
finish
