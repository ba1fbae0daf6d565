#!/bin/sh
# t52 - the Merkle log's storage (issue 11; log.h): no leaf stored, nodes from
# level 8 and a head per log. A bulk append killed with SIGKILL in the middle
# leaves a log that verifies, whose root is the RFC 9162 tree head of the journal
# (tests/cli/log_forge.py), that an older checkpoint is consistent with, and that
# appends go on from (a reopen in the middle of a chunk of 256).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
forge() { python3 "$here/tests/cli/log_forge.py" "$@"; }
fs demo >/dev/null
expect "a checkpoint before the bulk appends" 0 sh -c "\"$FS_BIN\" --db \"$DB\" --org miners checkpoint >\"$T/cp1.txt\""

# ---- an import of 6,000 people killed with SIGKILL half-way
python3 - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("external_id,full_name\n")
    for i in range(6000):
        f.write("K52-%05d,Killed Import %d\n" % (i, i))
PY
"$FS_BIN" --db "$DB" --org miners import people "$T/big.csv" >/dev/null 2>&1 & # the binary itself: its pid is the one killed
pid=$!
sleep 1.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect "after SIGKILL during an import, verify holds" 0 fs verify
expect "and the log is consistent with the checkpoint from before" 0 fs verify --checkpoint "$T/cp1.txt"
for i in 1 2 3; do fs --org miners person add --full-name "After Kill $i" >/dev/null; done
expect "appends go on, and verify holds" 0 fs verify
expect "still consistent with the checkpoint from before" 0 fs verify --checkpoint "$T/cp1.txt"

# ---- many transactions of 10,000 entries (bench/log_bench.c) killed with SIGKILL
# between or inside them: what was committed is a whole log, in the middle of a chunk
lb=$(dirname "$FS_BIN")/bench/log_bench
if on_pg || [ ! -x "$lb" ]; then
	skip "a bulk append killed with SIGKILL (log_bench)" "bench/log_bench writes its own SQLite file (and must be built)"
else
	mkdir "$T/lb"
	"$lb" "$T/lb" 2000000 tree >/dev/null 2>&1 &
	pid=$!
	LDB=$T/lb/tree.db
	i=0
	# (the file is read only once the bench made it: sqlite3 would make an empty one;
	# no head yet, or the file busy, is 0 entries: not a reason to stop waiting)
	lsize() { v=$(sqlite3 "$LDB" "SELECT idx FROM log_nodes WHERE org_id = 1 AND level = 62" 2>/dev/null); echo "${v:-0}"; }
	while [ $i -lt 600 ] && kill -0 "$pid" 2>/dev/null && { [ ! -s "$LDB" ] || [ "$(lsize)" -le 10000 ]; }; do
		sleep 0.5
		i=$((i + 1))
	done
	sleep 0.3 # into the next transaction
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	size=$(sqlite3 "$LDB" "SELECT idx FROM log_nodes WHERE org_id = 1 AND level = 62")
	same "the log's size is its journal's" "$size" "$(sqlite3 "$LDB" "SELECT count(*) FROM journal WHERE org_id = 1")"
	[ "${size:-0}" -gt 10000 ] && ok "a transaction of 10,000 was committed before the kill ($size entries)" || notok "a transaction of 10,000 was committed before the kill (${size:-0} entries)"
	expect "after SIGKILL during a bulk append, verify holds" 0 "$FS_BIN" --db "$LDB" verify
	"$FS_BIN" --db "$LDB" --org bench person add --full-name "After The Bench" >/dev/null 2>&1
	"$FS_BIN" --db "$LDB" --org bench checkpoint >"$T/lbcp.txt" 2>/dev/null
	same "an append after it: the root is the tree head of the journal" "$(sed -n 's/^root: //p' "$T/lbcp.txt")" "$(forge root "$LDB" 1)"
	same "at a size inside a chunk" "$(($(sqlite3 "$LDB" "SELECT idx FROM log_nodes WHERE org_id = 1 AND level = 62") % 256 != 0))" 1
	expect "verify holds after it" 0 "$FS_BIN" --db "$LDB" verify
fi

# ---- a checkpoint is not signed over a stored tree its head or the journal's tail
# contradicts (rvb): the head gone, its frontier or its last entry altered, the chunk
# the root hashes again from the journal moved (a level-8 node's entry)
if on_pg; then zeros="decode(repeat('00', length(hash)), 'hex')"; else zeros="zeroblob(length(hash))"; fi
keep=$(db_clone keep52)
cpt() { "$FS_BIN" --db "$DB" --org miners checkpoint >"$T/cpx.txt" 2>"$T/cpx.err"; }
tamper() { # what, SQL: the checkpoint is refused, then the database is put back
	db_sql "$DB" "$2"
	cpt && notok "$1: the checkpoint is refused" || { [ -s "$T/cpx.txt" ] && notok "$1: nothing signed is printed" || ok "$1: the checkpoint is refused"; }
	db_restore "$keep"
}
org=$(db_sql "$DB" "SELECT id FROM organizations WHERE slug = 'miners'")
tamper "the log's head deleted" "DELETE FROM log_nodes WHERE org_id = $org AND level = 62"
tamper "the head's frontier altered" "UPDATE log_nodes SET hash = $zeros WHERE org_id = $org AND level = 62"
tamper "the head's last entry moved back" "UPDATE log_nodes SET seq = seq - 1 WHERE org_id = $org AND level = 62"
if [ $(($(db_sql "$DB" "SELECT idx FROM log_nodes WHERE org_id = $org AND level = 62") % 256)) -ne 0 ]; then
	tamper "the last complete chunk's node names the entry before its last" \
		"UPDATE log_nodes SET seq = seq - 1 WHERE org_id = $org AND level = 8 AND idx = (SELECT max(idx) FROM log_nodes WHERE org_id = $org AND level = 8)"
else
	skip "the last complete chunk's node moved" "the log's size is a multiple of 256"
fi
expect "put back, the checkpoint is signed" 0 cpt
expect "and its root is the tree head of the journal" 0 test "$(sed -n 's/^root: //p' "$T/cpx.txt")" = "$(tree_head "$DB" "$org")"
finish
