#!/bin/sh
# t33 - sealed values are bound to their row: an insider who swaps two rows'
# sealed blobs (and national-ID hashes) and recomputes the row hashes and the
# journal (seal_swap.py) gets nothing that opens, and verify names the rows; an
# old table-bound seal planted back is refused. An older database's seals are
# bound by a journaled migration that kill -9 at random points does not break.
# Named donors no longer stop a key rotation; a split key is rotated into new
# shares (killed at random points and resumed with the old ones).
. "$(dirname "$0")/lib.sh"
# On PostgreSQL seal_swap.py rewrites the rows through psql (tests/cli/fsdb.py); the
# parts about an older SQLite file (the fixture) and its key file run on SQLite.
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
fsq() { fs "$@" >/dev/null 2>"$T/err"; }
swap() { python3 "$here/seal_swap.py" "$@"; }
# rand_s SPAN [PART]: a random point within the first PART (0.9) of SPAN ms, in seconds for sleep
rand_s() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	awk -v s="$1" -v p="${2:-0.9}" -v r="$r" 'BEGIN { printf "%.3f", s * (0.02 + p * r / 65536) / 1000 }'
}

fs init >/dev/null
fsq org add --slug un --name "Union"
export FAIRSHARE_ORG=un
for i in 1 2 3; do
	fsq person add --full-name "Person $i" --national-id "SBNID000$i" --phone "+7 702 000$i" --address "SB-addr-$i"
done
fsq incident add --type raid --started-on 2012-01-02 --place SB-incident-place --handling restricted
fsq detention add --person-id 1 --incident-id 1 --arrested-at 2012-01-02T10:00 --held-at SB-held-one --handling restricted
fsq detention add --person-id 2 --incident-id 1 --arrested-at 2012-01-02T11:00 --held-at SB-held-two --handling restricted
fsq fund create --name "Strike fund"
fsq contribute --fund 1 --amount 10.00 --donor SB-donor-one --id sb-1
fsq contribute --fund 1 --amount 20.00 --donor SB-donor-two --id sb-2
printf 'full_name,national_id,phone\nImported One,SBNID1001,+7 703 1\nImported Two,SBNID1002,+7 703 2\n' >"$T/imp.csv"
expect "people imported (sealed with the ids they get)" 0 fs import people "$T/imp.csv"
expect "every seal opens where it is" 0 fs verify
expect "an imported person opens" 0 fs person show 5 --reveal
has "with their own national ID" "$T/out" SBNID1002
expect "a record sealed as it is created opens" 0 fs detention show 2
has "its own text" "$T/out" SB-held-two
if on_pg; then
	clean=$(db_clone clean)
	restore() { db_restore "$clean"; }
else
	sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$DB" "$T/clean.db"
	cp "$DB.key" "$T/clean.db.key"
	restore() { cp "$T/clean.db" "$DB"; cp "$T/clean.db.key" "$DB.key"; rm -f "$DB-wal" "$DB-shm" "$DB.key.new"; }
fi

# ---- the attack of issue 11: two people's sealed blobs and national-ID hashes swapped, hashes recomputed
swap "$DB" people person 1 2 sealed national_id_hash
same "the attack script models the journal (else it proves nothing)" "$?" 0
expect "person 1 does not show person 2's national ID" 78 fs person show 1 --reveal
hasnot "no national ID of the other row" "$T/out" SBNID0002
has "a clear error naming the row" "$T/err" "the sealed fields of person 1 cannot be opened"
has "saying it may have been moved" "$T/err" "moved from another row"
expect "verify reports it" 65 fs verify
has "person 1 named" "$T/err" "person 1: sealed fields cannot be opened"
has "person 2 named" "$T/err" "person 2: sealed fields cannot be opened"
hasnot "the journal itself holds (only the seals tell)" "$T/err" "journal entry"

# ---- restricted text under the data key: two detentions' seals swapped
restore
swap "$DB" detentions detention 1 2 sealed
same "swapped and recomputed" "$?" 0
expect "detention 1 does not show detention 2's place" 78 fs detention show 1
hasnot "not the other row's text" "$T/out" SB-held-two
has "a clear error naming the row" "$T/err" "the restricted text of detention 1 cannot be opened"
expect "nor in a list" 78 fs detention list
expect "verify reports both" 65 fs verify
has "detention 1 named" "$T/err" "detention 1: sealed fields cannot be opened"
has "detention 2 named" "$T/err" "detention 2: sealed fields cannot be opened"

# ---- only the lookup hashes swapped: find would answer with the wrong person
restore
swap "$DB" people person 1 2 national_id_hash
same "hashes swapped and recomputed" "$?" 0
expect "verify reports the lookup hashes" 65 fs verify
has "person 1's hash is not its value's" "$T/err" "person 1: the lookup hash of a sealed field is not the hash of its value"
has "nor person 2's" "$T/err" "person 2: the lookup hash"

# ---- a donor's sealed name moved to another transfer does not open there
restore
db_sql "$DB" "UPDATE transfers SET party = (SELECT party FROM transfers WHERE id = 'sb-1') WHERE id = 'sb-2'"
expect "export with names" 0 fs ledger export --fund 1 --reveal
has "the first transfer keeps its donor" "$T/out" SB-donor-one
same "the moved one shows no name" "$(grep -c SB-donor-one "$T/out")" 1
expect "the transfer chain catches the change" 65 fs verify

if on_pg; then
	skip "an older database's seals bound, killed at random points; rotations of its key file" "the fixture is an SQLite file (schema 18) and the kills restore SQLite files and their keys; on SQLite this suite runs them"
	finish
	exit
fi
# ---- an older database (tests/data/schema18-sealed.sql, made by the fairshare of
# schema 18: 12 people, person 12 forgotten, 6 restricted detentions, an incident,
# a case, a report, an assessment, two named donors): its seals are bound to their
# rows, batch by batch, journaled, resumable
legacy() {
	rm -f "$1" "$1-wal" "$1-shm"
	{ cat "$data/schema18-sealed.sql"; echo "PRAGMA user_version = 18;"; } | sqlite3 "$1"
	cp "$data/schema18-sealed.key.hex" "$1.key"
	chmod 600 "$1" "$1.key"
}
legacy "$T/once.db"
t0=$(date +%s%N)
FAIRSHARE_BIND_BATCH=1 "$FS_BIN" --db "$T/once.db" verify >"$T/out" 2>"$T/err"
same "one whole binding, timed (the kills below land within its length)" "$?" 0
span_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$span_ms" -ge 10 ] || span_ms=10
legacy "$DB"
sqlite3 "$DB" "SELECT hex(sealed) FROM detentions WHERE id = 3" >"$T/old-seal"
kills=0 tries=0
while [ $kills -lt 12 ] && [ $tries -lt 50 ]; do
	tries=$((tries + 1))
	[ "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'journal_shape'")" -ge 21 ] && legacy "$DB"
	FAIRSHARE_BIND_BATCH=1 "$FS_BIN" --db "$DB" verify >/dev/null 2>&1 &
	pid=$!
	sleep "$(rand_s "$span_ms")"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null
done
echo "# binding: $span_ms ms, $kills kills in $tries runs"
[ $kills -ge 12 ] && ok "the binding killed -9 at $kills random points" || notok "the binding killed only $kills times"
expect "a rerun finishes it; verify holds" 0 fs verify
same "one migrate entry per sealed row, whatever the kills (11 people, 6 detentions, 4 more)" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'migrate' AND entity <> 'fund'")" 21
same "and one for the fund (a column added since)" "$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'migrate' AND entity = 'fund'")" 1
same "no seal bound to its table only is left (but the forgotten person's)" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM people WHERE hex(substr(sealed, 1, 1)) IN ('01', '02')") $(sqlite3 "$DB" "SELECT count(*) FROM detentions WHERE hex(substr(sealed, 1, 1)) IN ('01', '02')")" "1 0"
expect "every person's sealed fields open to their values" 0 fs export people --reveal
same "all eleven" "$(grep -c 'LGNID00[01][0-9],.*LG-addr-' "$T/out")" 11
for i in 1 2 3 4 5 6; do
	fs detention show $i >"$T/out" 2>&1
	grep -q "LG-held-$i" "$T/out" || notok "detention $i opens to its text"
done
ok "every detention opens to its own text"
expect "the named donors open" 0 fs ledger export --fund 1 --reveal
has "donor one" "$T/out" LG-donor-one
has "donor two" "$T/out" LG-donor-two
expect "person 12 stays forgotten" 0 fs person show 12 --reveal
hasnot "no national ID" "$T/out" LGNID0012
# a seal bound to its table only, planted back (from a copy of the old database), is refused
sqlite3 "$DB" "UPDATE detentions SET sealed = x'$(cat "$T/old-seal")' WHERE id = 3"
expect "an old table-bound seal planted back does not open" 78 fs detention show 3
expect "verify reports it" 65 fs verify
has "named" "$T/err" "detention 3: sealed fields cannot be opened"

# ---- rotation with named donors, twice; new donors after it
legacy "$DB"
expect "rotate a database whose transfers name sealed parties" 0 fs key rotate
expect "a donor after the rotation" 0 fs contribute --fund 1 --amount 3.00 --donor LG-donor-three --id lg-3
expect "rotate again" 0 fs key rotate
expect "every donor opens" 0 fs ledger export --fund 1 --reveal
for d in one two three; do has "donor $d" "$T/out" "LG-donor-$d"; done
expect "verify holds (the transfer chain unchanged)" 0 fs verify
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
hasnot "no donor name in the file" "$DB" LG-donor

# ---- forgetting a person destroys the text of the records about them; counts and the journal hold
restore
fsq case add --person-id 1 --incident-id 1 --charges SB-case-charges --court SB-case-court --lawyer SB-case-lawyer \
	--handling restricted
fsq hearing add --case-id 1 --held-on 2012-02-01 --court SB-hearing-court --outcome SB-hearing-outcome --handling restricted
fsq violation add --incident-id 1 --type torture --person-id 1 --method SB-violation-method --perpetrator SB-perp \
	--handling restricted
fsq case add --person-id 2 --incident-id 1 --charges SB-other-charges --handling public
fs record counts >"$T/counts.before" 2>&1
expect "forget person 1" 0 fs person forget 1 --reason "asked in writing"
expect "verify holds" 0 fs verify
fs record counts >"$T/counts.after" 2>&1
same "the counts are the same" "$(cmp -s "$T/counts.before" "$T/counts.after" && echo same)" same
for c in "detention show 1" "case show 1" "hearing show 1" "violation show 1"; do
	expect "$c still exists" 0 fs $c --reveal
	for v in SB-held-one SB-case-charges SB-case-court SB-case-lawyer SB-hearing-court SB-hearing-outcome SB-violation-method SB-perp; do
		grep -qF "$v" "$T/out" && notok "$c: $v is gone"
	done
done
ok "no text about person 1 is shown any more"
expect "another person's records keep theirs" 0 fs detention show 2
has "detention 2" "$T/out" SB-held-two
expect "and their case" 0 fs case show 2
has "charges" "$T/out" SB-other-charges
same "each cleared record journaled (detention, case, hearing, violation)" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'erase'")" 4
has "the note counts them" "$(sqlite3 "$DB" "SELECT after_json FROM journal WHERE action = 'forget' AND entity = 'person'" >"$T/note"; echo "$T/note")" '"records_cleared":4'
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
for v in SB-held-one SB-case-charges SB-hearing-outcome SB-violation-method; do
	grep -qaF "$v" "$DB" && notok "$v is not in the file"
done
ok "the text is nowhere in the database file"

# ---- files made under umask 000 are private; no sealed value in a backup, an export or the server's log
(
	umask 000
	mkdir -m 700 "$T/u0"
	"$FS_BIN" --db "$DB" backup "$T/u0/b.db" >/dev/null 2>&1
	"$FS_BIN" --db "$DB" ledger export --fund 1 --output "$T/u0/ledger.journal" >/dev/null 2>&1
	"$FS_BIN" --db "$DB" export people --output "$T/u0/people.csv" >/dev/null 2>&1
	unset FAIRSHARE_ORG # a new database: no organization
	"$FS_BIN" --db "$T/u0/s.db" init >/dev/null 2>&1
	mkdir "$T/u0/shares" "$T/u0/new"
	"$FS_BIN" --db "$T/u0/s.db" key split --shares 3 --threshold 2 --out "$T/u0/shares" >/dev/null 2>&1
	cat "$T/u0/shares/share-1.txt" "$T/u0/shares/share-2.txt" >"$T/u0-two"
	"$FS_BIN" --db "$T/u0/s.db" key rotate --out "$T/u0/new" --shares-fd 3 3<"$T/u0-two" >/dev/null 2>&1
)
same "umask 000: every file made is 600 or 400" "$(find "$T/u0" -type f ! -perm 600 ! -perm 400 | wc -l)" 0
same "umask 000: the new shares are there" "$(ls "$T/u0/new" | wc -l)" 3
same "umask 000: share folders as made by the user, the files in them private" "$(stat -c %a "$T/u0/new/share-1.txt")" 600
for v in SB-held-two SB-donor-one SB-donor-two SBNID0002 SB-addr-2 SB-incident-place; do
	for f in "$T/u0/b.db" "$T/u0/ledger.journal" "$T/u0/people.csv" "$DB" "$DB-wal"; do
		[ -f "$f" ] && grep -qaF "$v" "$f" && notok "$v is not in $f"
	done
done
ok "no sealed value in the backup, the exports, the database or its WAL"

# ---- a split key rotated into new shares, killed at random points, resumed with the old shares
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.key"
fs init >/dev/null
fsq org add --slug un --name "Union"
i=0
printf 'full_name,national_id,phone\n' >"$T/many.csv"
while [ $i -lt 150 ]; do printf 'Worker %d,SPNID%05d,+7 704 %04d\n' $i $i $i >>"$T/many.csv"; i=$((i + 1)); done
expect "150 people" 0 fs import people "$T/many.csv"
fsq fund create --name "Strike fund"
fsq contribute --fund 1 --amount 10.00 --donor SP-donor --id sp-1
mkdir -p "$T/old" "$T/new" "$T/first"
expect "split 2 of 3" 0 fs key split --shares 3 --threshold 2 --out "$T/old"
cat "$T/old/share-1.txt" "$T/old/share-3.txt" >"$T/two-old"
expect "a split key is not rotated without a folder for its new shares" 65 fs key rotate --shares-fd 3 3<"$T/two-old"
has "says so" "$T/err" "give it with --out DIR"
cp "$DB" "$T/time.db"
cp "$DB.key" "$T/time.db.key"
t0=$(date +%s%N)
"$FS_BIN" --db "$T/time.db" key rotate --batch 5 --out "$T/first" --shares-fd 3 3<"$T/two-old" >/dev/null 2>&1
same "one whole split rotation, timed" "$?" 0
span_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$span_ms" -ge 10 ] || span_ms=10
# Kills land anywhere in the rotation's length; a run that ends a rotation (or
# is killed as it ends) hands its new shares on, and the next run starts another.
meta_rot() { sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'key_rotation'"; }
cp "$T/two-old" "$T/cur"
mid=0 tries=0 noted="" ended=0
while [ $mid -lt 4 ] && [ $tries -lt 40 ]; do
	tries=$((tries + 1))
	mkdir "$T/new$tries"
	fpr0=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'key_fingerprint'")
	"$FS_BIN" --db "$DB" key rotate --batch 5 --out "$T/new$tries" --shares-fd 3 3<"$T/cur" >/dev/null 2>"$T/rot.err" &
	pid=$!
	sleep "$(rand_s "$span_ms")"
	killed=0
	kill -9 "$pid" 2>/dev/null && killed=1
	wait "$pid" 2>/dev/null
	rc=$?
	if [ -n "$(meta_rot)" ]; then # under way: the run that noted it wrote the new shares
		[ -n "$noted" ] || noted=$T/new$tries
		[ $killed -eq 1 ] && mid=$((mid + 1))
	elif [ -n "$noted" ] || [ $rc -eq 0 ] ||
		[ "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'key_fingerprint'")" != "$fpr0" ]; then
		# a rotation ended (also: begun and ended within this run, killed as it ended)
		d=${noted:-$T/new$tries}
		cat "$d/share-2.txt" "$d/share-3.txt" >"$T/cur"
		noted="" ended=$((ended + 1))
	elif [ $killed -eq 0 ]; then
		sed 's/^/# /' "$T/rot.err"
		break
	fi
done
echo "# split rotation: $span_ms ms; $tries runs, $mid killed mid-rotation, $ended rotations ended"
[ $mid -ge 4 ] && ok "the split rotation killed -9 mid-way $mid times" || notok "killed mid-way only $mid times"
if [ -n "$(meta_rot)" ]; then
	expect "a rerun with the shares it began with finishes it" 0 fs key rotate --batch 5 --shares-fd 3 3<"$T/cur"
	cat "$noted/share-2.txt" "$noted/share-3.txt" >"$T/cur"
	d=$noted
fi
expect "the new shares open it; verify holds" 0 fs verify --shares-fd 3 3<"$T/cur"
[ ! -e "$DB.key.new" ] && ok "the new key sealed by the old is gone" || notok "the new key sealed by the old is gone"
same "three new shares, private" "$(stat -c %a "$d/share-1.txt" "$d/share-2.txt" "$d/share-3.txt" | tr '\n' ' ')" "600 600 600 "
has "the key file is still the note" "$DB.key" "fairshare-key-split-v1"
expect "the old shares open nothing" 78 fs verify --shares-fd 3 3<"$T/two-old"
expect "every person opens" 0 fs export people --reveal --shares-fd 3 3<"$T/cur"
same "all 150" "$(grep -c 'SPNID[0-9]*,' "$T/out")" 150
expect "the donor opens" 0 fs ledger export --fund 1 --reveal --shares-fd 3 3<"$T/cur"
has "named" "$T/out" SP-donor
finish
