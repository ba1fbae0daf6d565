#!/bin/sh
# t26 - safe at rest: every file fairshare creates is private whatever the
# umask, verify warns about files others can read and temporaries left behind,
# stale temporaries go at the next open, backups are whole or absent (kill -9 at
# random points, rerun, verify), sealed backups round trip and refuse tampering.
. "$(dirname "$0")/lib.sh"
sqlite_only "the modes and temporaries of SQLite files, and backups killed mid-write (a PostgreSQL backup: t35-pg)"
GEN=$(dirname "$FS_BIN")/bench/gen_people

# ---- modes under umask 000 and 022 ----
for u in 000 022; do
	D=$T/u$u/data
	(
		umask $u
		f() { "$FS_BIN" --db "$D/fs.db" "$@"; }
		f init && f org add --slug miners --name "Miners" --country TR &&
			printf 'a photo\n' >"$T/u$u.jpg" && f evidence add "$T/u$u.jpg" --handling restricted &&
			f export people --output "$D/people.csv" && f backup "$D/b.db" &&
			f backup keygen "$D/off.sk" && f backup --seal-to "$D/off.sk.pub" "$D/s.fsb" &&
			f restore "$D/s.fsb" "$D/r.db" --secret-key "$D/off.sk"
	) >"$T/out" 2>"$T/err"
	same "umask $u: every step ran" "$?" 0
	printf 'external_id,full_name\nx1,Ali Veli\n,\n' >"$T/p$u.csv"
	(umask $u; "$FS_BIN" --db "$D/fs.db" import people "$T/p$u.csv" --skip-invalid --rejects "$D/rej.csv") >/dev/null 2>&1
	expect "umask $u: the rejects file was written" 0 test -f "$D/rej.csv"
	# the database's WAL and shared memory while a server holds it open
	DB=$D/fs.db
	umask $u
	start_server $u
	umask 022
	expect "umask $u: WAL exists while serving" 0 test -f "$D/fs.db-wal"
	same "umask $u: WAL is 600" "$(stat -c %a "$D/fs.db-wal")" 600
	same "umask $u: shared memory is 600" "$(stat -c %a "$D/fs.db-shm")" 600
	kill "$server"; wait "$server" 2>/dev/null
	for want in fs.db fs.db.key people.csv rej.csv b.db off.sk off.sk.pub s.fsb r.db r.db.key; do
		same "umask $u: $want is 600" "$(stat -c %a "$D/$want" 2>&1)" 600
	done
	same "umask $u: no file is open to others" "$(find "$D" -type f ! -perm 600 ! -perm 400 | wc -l)" 0
	same "umask $u: evidence files are 400" "$(find "$D" -path '*.evidence/*' -type f ! -perm 400 | wc -l)" 0
	same "umask $u: evidence copies exist" "$(find "$D" -path '*.evidence/*' -type f | wc -l)" 3
	same "umask $u: every folder is 700" "$(find "$D" -type d ! -perm 700 | wc -l)" 0
	DB=$T/fs.db
done

# ---- verify warns about files others can read ----
D=$T/u022/data
expect "verify clean: no warning" 0 "$FS_BIN" --db "$D/fs.db" verify
hasnot "no warning when private" "$T/err" "warning"
chmod 644 "$D/fs.db"
chmod 755 "$D/fs.db.evidence"
expect "verify with a readable database still passes" 0 "$FS_BIN" --db "$D/fs.db" verify
has "warns, naming the database" "$T/err" "warning: $D/fs.db can be read by other users (mode 0644)"
has "warns, naming the evidence folder" "$T/err" "warning: $D/fs.db.evidence can be read by other users"
expect "json counts the warnings" 0 "$FS_BIN" --db "$D/fs.db" --json verify
cp "$T/out" "$T/json"
expect "json counts the warnings" 0 grep -Eq '"warnings": [1-9]' "$T/json"
chmod 600 "$D/fs.db"
chmod 700 "$D/fs.db.evidence"

# ---- stale temporaries: removed at the next open, reported by verify ----
fs init >/dev/null
fs org add --slug miners --name "Maden İşçileri" --country TR >/dev/null
printf 'statement of the witness\n' >"$T/w.txt"
fs evidence add "$T/w.txt" --description "police line at the gate" >/dev/null
head -c 4000000 /dev/zero >"$DB.evidence/.add-Stale1"
(umask 077; printf 'live upload' >"$DB.evidence/.add-Live01")
# held as fairshare holds its own: an exclusive lock for the life of the process
sh -c 'exec 9<"$1"; flock 9; exec sleep 60' _ "$DB.evidence/.add-Live01" &
holder=$!
sleep 0.3
expect "verify passes with temporaries" 0 fs verify
has "reports the stale one by name" "$T/err" "$DB.evidence/.add-Stale1 is a temporary file left by an interrupted upload"
hasnot "not the one in use" "$T/err" ".add-Live01 is a temporary"
expect "verify reads only: the stale one is still there" 0 test -e "$DB.evidence/.add-Stale1"
expect "a writable open" 0 fs evidence verify
expect "removed the stale temporary" 1 test -e "$DB.evidence/.add-Stale1"
expect "kept the one a running process holds" 0 test -e "$DB.evidence/.add-Live01"
kill "$holder"; wait "$holder" 2>/dev/null
expect "once its process is gone" 0 fs evidence verify
expect "it goes too" 1 test -e "$DB.evidence/.add-Live01"
# a real upload killed midway
head -c 120000000 /dev/urandom >"$T/big.bin" 2>/dev/null
caught=0
for try in 1 2 3 4 5; do
	printf '%s' "$try" >>"$T/big.bin"
	"$FS_BIN" --db "$DB" evidence add "$T/big.bin" >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if ls "$DB.evidence"/.add-* >/dev/null 2>&1; then kill -9 "$pid"; caught=1; break; fi
	done
	wait "$pid" 2>/dev/null
	[ "$caught" = 1 ] && break
done
same "an upload was killed while copying" "$caught" 1
expect "verify after the killed upload" 0 fs verify
has "reports what it left" "$T/err" "is a temporary file left by an interrupted upload"
expect "the next start" 0 fs evidence verify
same "leaves nothing behind" "$(ls -A "$DB.evidence" | grep -c '^\.')" 0
expect "verify is quiet again" 0 fs verify
hasnot "no warning" "$T/err" "warning"
rm -f "$T/big.bin"

# ---- backups whole or absent: kill -9 at random points, rerun ----
"$GEN" 10000 >"$T/people.csv"
expect "people for a database of some size" 0 fs import people "$T/people.csv"
for i in 1 2 3 4 5 6 7 8; do
	head -c 4000000 /dev/urandom >"$T/ev$i.bin"
	fs evidence add "$T/ev$i.bin" --handling restricted >/dev/null
done
now_ms() { date +%s%3N; }
t0=$(now_ms)
expect "a backup" 0 fs backup "$T/full.db"
t1=$(now_ms)
span=$((t1 - t0))
expect "backup --verify passes" 0 fs backup --verify "$T/full.db"
has "says ok" "$T/out" "ok: $T/full.db"
hasnot "no leftovers" "$T/err" "warning"
expect "verify on the copy passes" 0 "$FS_BIN" --db "$T/full.db" --key "$DB.key" verify
expect "no -wal or -shm beside the copy after reading it" 1 sh -c "ls '$T'/full.db-* 2>/dev/null | grep ."
expect "refuses to overwrite a backup" 65 fs backup "$T/full.db"
in_db=0
in_ev=0
bad=0
runs=${T26_KILL_RUNS:-24} # fewer only to try planted bugs quickly
# the timed kills, then (only while none has hit the database copy, which a loaded
# machine's slow start-up can make all of them miss) up to 8 aimed ones: killed
# the moment the database's partial copy appears
aimed=$((runs + 8))
for i in $(seq 1 $aimed); do
	[ "$i" -gt "$runs" ] && [ "$in_db" -ge 1 ] && break
	dest=$T/k$i/b.db
	mkdir -p "$T/k$i"
	"$FS_BIN" --db "$DB" backup "$dest" >/dev/null 2>&1 &
	pid=$!
	if [ "$i" -le "$runs" ]; then
		# spread the kills over the whole backup, with some randomness
		ms=$(( (span * (i - 1)) / runs + $(od -An -N2 -tu2 /dev/urandom) % (span / runs + 1) ))
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	else
		while [ ! -e "$T/k$i/.b.db.partial" ] && kill -0 "$pid" 2>/dev/null; do :; done
	fi
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -e "$dest" ]; then
		# finished before the kill: whole
		"$FS_BIN" --db "$DB" backup --verify "$dest" >/dev/null 2>&1 || bad=$((bad + 1))
		continue
	fi
	# nothing that looks like a backup: no DEST; where was it?
	if ls "$dest.evidence"/*/.part-* >/dev/null 2>&1 || [ "$(find "$dest.evidence" -type f 2>/dev/null | wc -l)" -gt 0 ]; then
		in_ev=$((in_ev + 1))
	elif [ -e "$T/k$i/.b.db.partial" ]; then
		in_db=$((in_db + 1))
	fi
	"$FS_BIN" --db "$DB" backup --verify "$dest" >/dev/null 2>&1 && bad=$((bad + 1)) # no backup yet
	"$FS_BIN" --db "$DB" backup "$dest" >/dev/null 2>"$T/err" || { bad=$((bad + 1)); sed 's/^/#   /' "$T/err"; }
	"$FS_BIN" --db "$DB" backup --verify "$dest" >/dev/null 2>"$T/err" || { bad=$((bad + 1)); sed 's/^/#   /' "$T/err"; }
	grep -q warning "$T/err" && { bad=$((bad + 1)); sed 's/^/#   /' "$T/err"; }
	# verify on the copy itself (slow under the sanitizers: every fourth run)
	[ $((i % 4)) -eq 0 ] && { "$FS_BIN" --db "$dest" --key "$DB.key" verify >/dev/null 2>&1 || bad=$((bad + 1)); }
	same "run $i: evidence complete" "$(find "$dest.evidence" -type f | wc -l)" 9
	same "run $i: nothing temporary left" "$(find "$T/k$i" -name '.*' -o -name '*-journal' | wc -l)" 0
done
same "every killed backup, rerun, verifies (backup --verify and verify)" "$bad" 0
echo "# kills during the database copy: $in_db, during the evidence copy: $in_ev (of $runs timed and those aimed; backup took $span ms)"
[ "$in_db" -ge 1 ] && ok "some kills hit the database copy ($in_db)" || notok "no kill hit the database copy"
[ "$in_ev" -ge 1 ] && ok "some kills hit the evidence copy ($in_ev)" || notok "no kill hit the evidence copy"

# a truncated file with its final name in the destination (what the old backup
# left) is compared by hash and replaced, not skipped by name
mkdir -p "$T/tr"
expect "backup" 0 fs backup "$T/tr/b.db"
rm "$T/tr/b.db"
E=$(find "$T/tr/b.db.evidence" -type f | head -n 1)
chmod 600 "$E"; head -c 1000 "$E" >"$E.x"; mv "$E.x" "$E"
expect "backup again into the same place" 0 fs backup "$T/tr/b.db"
expect "the truncated copy was replaced" 0 fs backup --verify "$T/tr/b.db"
same "with the whole file" "$(sha256sum "$E" | cut -c1-64)" "$(basename "$E")"

# --verify does not touch the live database and finds damage
mv "$DB" "$T/away.db"
expect "backup --verify without the live database" 0 fs --key "$DB.key" backup --verify "$T/full.db"
mv "$T/away.db" "$DB"
E=$(find "$T/full.db.evidence" -type f | head -n 1)
chmod 600 "$E"; printf 'x' >>"$E"
expect "backup --verify finds an altered evidence copy" 65 fs backup --verify "$T/full.db"
has "names it" "$T/err" "the file is altered"
expect "backup --verify of nothing" 66 fs backup --verify "$T/none.db"
has "says there is none" "$T/err" "there is no backup at $T/none.db"

# ---- sealed backup: round trip, tampering refused ----
mkdir -p "$T/off"
expect "keygen" 0 fs backup keygen "$T/off/a.sk"
PK=$(cat "$T/off/a.sk.pub")
same "prints the public key" "$(head -n 1 "$T/out")" "$PK"
expect "keygen never overwrites" 65 fs backup keygen "$T/off/a.sk"
expect "a second recipient" 0 fs backup keygen "$T/off/b.sk"
expect "a third, not a recipient" 0 fs backup keygen "$T/off/c.sk"
expect "a bad recipient is refused" 65 fs backup --seal-to 1234 "$T/off/x.fsb"
has "named" "$T/err" "recipient '1234'"
expect "sealed backup to two recipients" 0 fs backup --seal-to "$PK" --seal-to "$T/off/b.sk.pub" "$T/off/s.fsb"
same "nothing temporary beside it" "$(ls -A "$T/off" | grep -c '^\.')" 0
same "no snapshot left beside the database" "$(ls -A "$DB.evidence" | grep -c '^\.')" 0
hasnot_bin() { if grep -qaF -- "$2" "$3"; then notok "$1"; else ok "$1"; fi; }
hasnot_bin "people's names are not readable in it" "Demo Mah." "$T/off/s.fsb"
hasnot_bin "nor the key" "$(tail -n 1 "$DB.key")" "$T/off/s.fsb"
expect "restore into a missing folder fails" 74 "$FS_BIN" restore "$T/off/s.fsb" "$T/rest/r.db" --secret-key "$T/off/b.sk"
mkdir -p "$T/rest"
expect "restore with the second recipient's key" 0 "$FS_BIN" restore "$T/off/s.fsb" "$T/rest/r.db" --secret-key "$T/off/b.sk"
has "verified" "$T/out" "ok: $T/off/s.fsb"
has "restored" "$T/out" "restored $T/rest/r.db"
expect "the restored database verifies with the restored key" 0 "$FS_BIN" --db "$T/rest/r.db" verify
cmp -s "$DB.key" "$T/rest/r.db.key" && ok "the key file came back as it was" || notok "the key file came back as it was"
same "the evidence came back" "$(find "$T/rest/r.db.evidence" -type f | wc -l)" 9
expect "a restored witness statement" 0 cmp "$T/w.txt" "$T/rest/r.db.evidence/$(sha256sum "$T/w.txt" | cut -c1-2)/$(sha256sum "$T/w.txt" | cut -c1-64)"
expect "same people" 0 "$FS_BIN" --db "$T/rest/r.db" --json summary
has "10000 people" "$T/out" '"people": 10000'
# a restore killed midway leaves plain text in its temporary folder: the next
# restore to the same place removes it
mkdir -p "$T/rest2"
"$FS_BIN" restore "$T/off/s.fsb" "$T/rest2/r.db" --secret-key "$T/off/a.sk" >/dev/null 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	if ls -d "$T/rest2"/.r.db.restore-*/r.db >/dev/null 2>&1; then kill -9 "$pid"; break; fi
done
wait "$pid" 2>/dev/null
if [ -e "$T/rest2/r.db" ]; then
	ok "restore finished before the kill"
else
	expect "the killed restore left its temporary folder" 0 sh -c "ls -d '$T/rest2'/.r.db.restore-*"
	expect "restore again" 0 "$FS_BIN" restore "$T/off/s.fsb" "$T/rest2/r.db" --secret-key "$T/off/a.sk"
fi
same "no temporary folder left" "$(ls -A "$T/rest2" | grep -c '^\.')" 0
expect "restore never overwrites" 65 "$FS_BIN" restore "$T/off/s.fsb" "$T/rest/r.db" --secret-key "$T/off/b.sk"
expect "not for another key" 78 "$FS_BIN" restore "$T/off/s.fsb" "$T/rest/c.db" --secret-key "$T/off/c.sk"
has "says so" "$T/err" "not sealed to this secret key"
size=$(stat -c %s "$T/off/s.fsb")
for off in 9 300 $((size / 3)) $((size / 2)) $((size - 5)); do
	cp "$T/off/s.fsb" "$T/off/t.fsb"
	printf '\132' | dd of="$T/off/t.fsb" bs=1 seek="$off" conv=notrunc status=none
	cmp -s "$T/off/s.fsb" "$T/off/t.fsb" && printf '\131' | dd of="$T/off/t.fsb" bs=1 seek="$off" conv=notrunc status=none
	"$FS_BIN" restore "$T/off/t.fsb" "$T/rest/t$off.db" --secret-key "$T/off/a.sk" >"$T/out" 2>"$T/terr"
	rc=$?
	[ "$rc" -ne 0 ] && ok "a byte changed at $off: refused (exit $rc)" || notok "a byte changed at $off: refused"
	expect "nothing restored for $off" 1 test -e "$T/rest/t$off.db"
done
has "says it was altered" "$T/terr" "the sealed backup was altered or damaged"
head -c $((size - 100)) "$T/off/s.fsb" >"$T/off/t.fsb"
expect "a cut-short sealed backup is refused" 65 "$FS_BIN" restore "$T/off/t.fsb" "$T/rest/cut.db" --secret-key "$T/off/a.sk"
cp "$T/off/s.fsb" "$T/off/t.fsb"; printf 'more' >>"$T/off/t.fsb"
expect "data after the end is refused" 65 "$FS_BIN" restore "$T/off/t.fsb" "$T/rest/more.db" --secret-key "$T/off/a.sk"
same "no temporaries left by refused restores" "$(ls -A "$T/rest" | grep -c '^\.')" 0
same "only the good restore is there" "$(ls "$T/rest" | tr '\n' ' ')" "r.db r.db.evidence r.db.key "
chmod 644 "$T/off/a.sk"
expect "a secret key others can read is refused" 77 "$FS_BIN" restore "$T/off/s.fsb" "$T/rest/p.db" --secret-key "$T/off/a.sk"
finish
