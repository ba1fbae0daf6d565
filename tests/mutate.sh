#!/bin/sh
# mutate.sh [MUT-FILE...] - the mutation run (`make mutate`): every mutant of
# tests/mutants/*.mut (or of the files given) is planted, one at a time, in a
# scratch copy of the tree with its own ASan + UBSan test build (reused across
# mutants: apply, incremental ninja, run the suites, revert). The suites run in
# an order that puts the likely killers of the mutated file first and stop at the
# first failure. Reports every mutant as
#   killed   - a test failed (or a suite crashed or timed out): the suite and test named
#   survived - every suite passed: the tests would not notice this bug
#   invalid  - the mutant does not compile (not counted in the score)
#   stale    - its `-` text is not found exactly once (fails the run)
# and the score killed / (killed + survived), which goes to bench/results.json.
# Environment: MUTATE_JOBS (1 or 2 scratch trees run side by side; default 1),
# MUTATE_DIR (default build-mutate), MUTATE_TIMEOUT (seconds per suite, default 600),
# MUTATE_BASELINE=0 skips the run of the unmutated tree. `--check` only parses the
# files and reports stale mutants (seconds, no build).
# The format of a .mut file is in doc/testing.md.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=${MUTATE_JOBS:-1}
case $jobs in 1 | 2) ;; *) echo "mutate: MUTATE_JOBS is 1 or 2 (the machine is shared)" >&2; exit 64 ;; esac
scratch=${MUTATE_DIR:-$here/build-mutate}
tmo=${MUTATE_TIMEOUT:-600}
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
if [ "$check" = 1 ]; then
	work=$(mktemp -d /tmp/fs-mutate-check-XXXXXX) || exit 1
	trap 'rm -rf "$work"' EXIT
else
	work=$scratch/run
	mkdir -p "$scratch" || exit 1
	# one run at a time in a scratch folder
	if ! mkdir "$scratch/lock" 2>/dev/null; then
		echo "mutate: another run uses $scratch (remove $scratch/lock if it is gone)" >&2
		exit 75
	fi
	trap 'rm -rf "$scratch/lock"' EXIT
	trap 'exit 130' INT TERM
	rm -rf "$work"
fi
mkdir -p "$work/m" || exit 1
full=0
if [ $# -eq 0 ]; then set -- "$here"/tests/mutants/*.mut; full=1; fi

# ---- parse: one directory entry per mutant (N.path N.why N.minus N.plus N.origin) ----
for f in "$@"; do
	[ -f "$f" ] || { echo "mutate: no such file $f" >&2; exit 66; }
	awk -v out="$work/m" -v base="$(basename "$f" .mut)" -v fname="$f" '
	function bad(msg) { printf "%s:%d: %s\n", fname, start, msg >> (out "/errors"); broken = 1 }
	function flush() {
		if (!inblock) return
		if (path == "" && nminus == 0 && plus == "") { inblock = 0; why = ""; nwhy = 0; return } # a comment
		if (path == "") bad("a mutant without its `@ path` line")
		else if (nwhy == 0) bad("a mutant without its `# why:` line")
		else if (nminus == 0 || minus == "") bad("a mutant without its `-` text")
		if (!broken) {
			n = 0; while ((getline c < (out "/count")) > 0) n = c; close(out "/count")
			n++; print n > (out "/count"); close(out "/count")
			id = sprintf("%s/%04d", out, n)
			printf "%s\n", path > (id ".path"); close(id ".path")
			printf "%s\n", why > (id ".why"); close(id ".why")
			printf "%s", minus > (id ".minus"); close(id ".minus")
			printf "%s", plus > (id ".plus"); close(id ".plus")
			printf "%s:%d\n", base, start > (id ".origin"); close(id ".origin")
		}
		inblock = 0; path = ""; why = ""; nwhy = 0; minus = ""; nminus = 0; plus = ""; broken = 0; phase = 0
	}
	/^[ \t]*$/ { flush(); next }
	{ if (!inblock) { inblock = 1; start = NR } }
	/^@ / { if (path != "") bad("two `@` lines in one mutant"); path = substr($0, 3); next }
	/^#/ { why = why (nwhy++ ? " " : "") substr($0, 2); sub(/^ */, "", why); next }
	/^-( |$)/ { if (phase > 1) bad("a `-` line after a `+` line"); phase = 1; minus = minus substr($0, 3) "\n"; nminus++; next }
	/^\+( |$)/ { phase = 2; plus = plus substr($0, 3) "\n"; next }
	{ bad("a line that is not `@ `, `#`, `- ` or `+ `: " $0) }
	END { flush() }
	' "$f" || exit 1
done
if [ -s "$work/m/errors" ]; then
	echo "mutate: malformed mutant files:" >&2
	cat "$work/m/errors" >&2
	exit 65
fi
total=$(cat "$work/m/count" 2>/dev/null || echo 0)
echo "mutate: $total mutants from $# files"
[ "$total" -gt 0 ] || exit 0

# ---- apply: replace the one occurrence of N.minus in FILE by N.plus ----
# exit 3 (and the count on stderr) when the text is not found exactly once
apply() { # apply N FILE
	awk -v mf="$work/m/$1.minus" -v pf="$work/m/$1.plus" '
	BEGIN {
		while ((getline l < mf) > 0) m = (nm++ ? m "\n" : "") l
		while ((getline l < pf) > 0) p = (np++ ? p "\n" : "") l
	}
	{ s = (NR > 1 ? s "\n" : "") $0 }
	END {
		count = 0; rest = s; first = 0; off = 0
		while ((i = index(rest, m)) > 0) {
			count++
			if (!first) first = off + i
			off += i; rest = substr(rest, i + 1)
		}
		if (count != 1) { print count > "/dev/stderr"; exit 3 }
		printf "%s%s%s\n", substr(s, 1, first - 1), p, substr(s, first + length(m))
	}' "$2"
}

# --check: only parse and look for stale mutants in the working tree (quick)
if [ "$check" = 1 ]; then
	nstale=0
	i=1
	while [ "$i" -le "$total" ]; do
		n=$(printf '%04d' "$i")
		i=$((i + 1))
		path=$(cat "$work/m/$n.path")
		if [ ! -f "$here/$path" ]; then
			echo "stale     $(cat "$work/m/$n.origin") $path: no such file"
			nstale=$((nstale + 1))
		elif ! apply "$n" "$here/$path" >/dev/null 2>"$work/cnt"; then
			echo "stale     $(cat "$work/m/$n.origin") $path: the text occurs $(cat "$work/cnt") times"
			nstale=$((nstale + 1))
		fi
	done
	echo "mutate: $total mutants, $nstale stale"
	[ "$nstale" -eq 0 ]
	exit
fi

# ---- the suites, as tests/run-all.sh runs them (the style check is no test of behaviour) ----
suite_list() { # suite_list TREE: every suite name, in run-all order
	for t in "$1"/build/tests/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		case $t in *test_cases) echo cases ;; *) echo "unit-${t##*/test_}" ;; esac
	done
	for t in "$1"/tests/cli/t*.sh; do echo "cli-$(basename "$t" .sh)"; done
	for t in "$1"/build/fuzz/fuzz_*_replay; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		t=${t##*/fuzz_}
		echo "fuzz-${t%_replay}"
	done
}
run_suite() { # run_suite TREE NAME OUTFILE: stops the suite at its first "not ok"
	tmp=$3.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	(
		cd "$1" || exit 1
		export FAIRSHARE="$1/build/fairshare" CMOCKA_MESSAGE_OUTPUT=TAP TMPDIR="$tmp"
		export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
		case $2 in
		cases) set -- build/tests/test_cases tests/cases ;;
		unit-*) set -- "build/tests/test_${2#unit-}" ;;
		cli-*) set -- sh "tests/cli/${2#cli-}.sh" ;;
		fuzz-*) set -- "build/fuzz/fuzz_${2#fuzz-}_replay" "fuzz/corpus/${2#fuzz-}" "fuzz/findings/${2#fuzz-}" ;;
		esac
		# a session of its own: the whole suite (servers it started too) can be stopped
		exec setsid timeout -k 10 "$tmo" "$@"
	) >"$3" 2>&1 </dev/null &
	spid=$!
	while kill -0 "$spid" 2>/dev/null; do
		if grep -q '^not ok' "$3"; then
			kill -TERM -- -"$spid" 2>/dev/null
			sleep 1
			kill -KILL -- -"$spid" 2>/dev/null
			break
		fi
		sleep 1
	done
	wait "$spid"
	src=$?
	rm -rf "$tmp"
	return "$src"
}
# The likely killers of a mutated file first (name prefixes), then all the others,
# the slow ones last.
likely() {
	case $1 in
	src/util/money.c) echo "unit-guards unit-util cli-t24-money cli-t09 cli-t02 cli-t04" ;;
	src/util/handoff.c) echo "unit-ledger_pipe cli-t71 cli-t72 unit-compute cli-t04" ;;
	src/util/private.c) echo "unit-private cli-t26 cli-t25b" ;;
	src/util/*) echo "unit-util unit-guards cli-t02 cli-t24-keys" ;;
	src/core/base/records.c) echo "unit-core unit-guards cli-t01 cli-t22" ;;
	src/core/funds/ledger_hash.c | src/store/rows.c | src/store/rows_read.c) echo "unit-ledger_pipe cli-t63 unit-store cli-t55" ;;
	src/core/funds/ledger.c | src/core/funds/funds.c | src/core/funds/fund_batch.c | src/core/funds/ledger_verify.c | \
	src/core/funds/ledger_balances.c | src/core/funds/fund_approval.c)
		echo "unit-ledger_pipe unit-guards cli-t24-money cli-t20 cli-t09 cli-t29 unit-ledger" ;;
	src/core/base/principal.c | src/core/funds/payout.c) echo "cli-t29 unit-ledger cli-t09" ;;
	src/core/claims/payment_reverse.c | src/core/funds/fund_ops.c) echo "cli-t40-reversal cli-t04 cli-t29" ;;
	web/js/funds*.js | web/js/admin.js) echo "cli-t40b" ;;
	src/core/base/policy.c) echo "unit-policy cli-t28 cli-t08 cli-t06" ;;
	src/core/safe/keyfile.c | src/core/safe/keys.c | src/core/safe/rotate.c | src/core/safe/restrict.c) echo "unit-keys cli-t27 cli-t24-keys cli-t33" ;;
	src/core/safe/backup.c | src/core/safe/backup_seal.c | src/core/base/files.c) echo "unit-private cli-t26 cli-t25b" ;;
	src/core/claims/entitle_kz.c | src/core/claims/limitation.c) echo "cases unit-kz cli-t23" ;;
	src/core/claims/claims.c | src/core/claims/watch.c | src/core/claims/claims_defs.c) echo "cli-t24-money cli-t04 unit-claims cli-t14 cli-t60 cli-t71" ;;
	src/core/claims/entitle.c | src/core/claims/entitle_steps.c | src/core/claims/rules.c) echo "cases cli-t04 unit-claims unit-core" ;;
	src/core/base/journal.c) echo "unit-guards cli-t24-keys cli-t03 cli-t09 unit-core cli-t38" ;;
	src/core/base/witness.c | src/core/base/reshape_check.c | src/core/base/checkpoint_due.c | src/core/base/ctx.c | src/core/safe/seal_bind.c)
		echo "cli-t38 cli-t33 cli-t19 cli-t32" ;;
	src/core/base/qr.c) echo "unit-qr cli-t38" ;;
	src/core/safe/crypto.c) echo "unit-guards cli-t24-keys cli-t03 unit-core cli-t01" ;;
	src/core/base/auth.c) echo "cli-t28 cli-t24-http cli-t24-keys cli-t05 cli-t08 unit-guards" ;;
	src/http/routes.c | src/http/h_users.c) echo "unit-routes cli-t31 cli-t08 cli-t05 cli-t07" ;;
	src/core/base/users.c) echo "unit-users cli-t31" ;;
	src/core/base/tx.c) echo "unit-store cli-t70 unit-core cli-t03" ;;
	src/http/server.c) echo "cli-t70 cli-t24-http cli-t21 unit-http" ;;
	src/http/*) echo "cli-t24-http cli-t21 unit-http cli-t05 cli-t08 cli-t07 cli-t25b fuzz-body cli-t29" ;;
	src/core/register/import_seen.c) echo "unit-import_seen cli-t62-import-bulk cli-t02" ;;
	src/core/register/import.c | src/core/register/import_rows.c | src/core/register/import_chunks.c | src/core/register/import_cols.c | src/util/csv.c | src/util/textin.c) echo "cli-t72 cli-t24-keys cli-t22 cli-t02 unit-core fuzz-import" ;;
	src/core/record/evidence.c) echo "cli-t11" ;;
	src/core/record/record.c | src/core/record/timeline.c) echo "cli-t10 cli-t16" ;;
	src/store/*) echo "unit-store cli-t70 unit-core cli-t03 cli-t19 cli-t01" ;;
	src/cli/*) echo "cli-t01 cli-t24 cli-t29" ;;
	esac
}
# Suites that take minutes (a property test over random batches, the browser): last.
SLOW="unit-ledger cli-t06 cli-t40b"
order() { # order TREE PATH: suite names, likely killers first, the browser last
	all=$(suite_list "$1")
	first=""
	for p in $(likely "$2"); do
		for s in $all; do
			case $s in "$p" | "$p"-*) case " $first " in *" $s "*) ;; *) first="$first $s" ;; esac ;; esac
		done
	done
	rest=""
	last=""
	for s in $all; do
		case " $first " in *" $s "*) continue ;; esac
		slow=0
		for p in $SLOW; do case $s in "$p" | "$p"-*) slow=1 ;; esac; done
		if [ "$slow" = 1 ]; then last="$last $s"; else rest="$rest $s"; fi
	done
	echo $first $rest $last
}

# ---- scratch trees: a copy of the working tree (tracked and new files), built once ----
copy_tree() { # copy_tree DEST: only files that differ are copied, so the build is reused
	rm -rf "$1.stage"
	mkdir -p "$1" "$1.stage"
	(cd "$here" && git ls-files -z -co --exclude-standard | xargs -0 tar cf - 2>/dev/null) | (cd "$1.stage" && tar xf -)
	(cd "$1.stage" && find . -type f) | while IFS= read -r f; do
		cmp -s "$1.stage/$f" "$1/$f" || { mkdir -p "$(dirname "$1/$f")" && cp "$1.stage/$f" "$1/$f"; }
	done
	rm -rf "$1.stage"
	[ -e "$here/tests/browser/node_modules" ] && ln -sfn "$(readlink -f "$here/tests/browser/node_modules")" "$1/tests/browser/node_modules"
	if [ ! -f "$1/build/build.ninja" ]; then
		(cd "$1" && meson setup build --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false) >"$1.setup.log" 2>&1 ||
			{ echo "mutate: meson setup failed in $1 (see $1.setup.log)" >&2; return 1; }
	fi
	ninja -C "$1/build" >"$1.build.log" 2>&1 || { echo "mutate: the unmutated tree does not build (see $1.build.log)" >&2; return 1; }
}
baseline() { # baseline TREE: every suite passes on the unmutated tree
	for s in $(order "$1" none); do
		if ! run_suite "$1" "$s" "$work/baseline.$s" || grep -q '^not ok' "$work/baseline.$s"; then
			echo "mutate: the unmutated tree fails $s; fix it first:" >&2
			grep '^not ok' "$work/baseline.$s" | head -n 5 >&2
			return 1
		fi
	done
	echo "mutate: baseline: every suite passes"
}

# ---- one worker: mutants W, W+jobs, W+2*jobs, ... in tree W ----
worker() { # worker W
	tree=$scratch/tree$1
	res=$work/results.$1
	path=
	trap '[ -n "$path" ] && cp "$work/orig.$1" "$tree/$path"; exit 130' INT TERM
	: >"$res"
	i=$(($1 + 1))
	while [ "$i" -le "$total" ]; do
		n=$(printf '%04d' "$i")
		i=$((i + jobs))
		path=$(cat "$work/m/$n.path")
		origin=$(cat "$work/m/$n.origin")
		t0=$(date +%s)
		if [ ! -f "$tree/$path" ]; then
			printf 'stale\t%s\t%s\t-\tno such file\n' "$origin" "$path" >>"$res"
			echo "  stale     $origin $path: no such file"
			continue
		fi
		cp "$tree/$path" "$work/orig.$1"
		if ! apply "$n" "$work/orig.$1" >"$work/mut.$1" 2>"$work/cnt.$1"; then
			printf 'stale\t%s\t%s\t-\tthe text occurs %s times\n' "$origin" "$path" "$(cat "$work/cnt.$1")" >>"$res"
			echo "  stale     $origin $path: the text occurs $(cat "$work/cnt.$1") times"
			continue
		fi
		cp "$work/mut.$1" "$tree/$path"
		if ! ninja -C "$tree/build" >"$work/build.$1" 2>&1; then
			status=invalid killer=- detail="does not compile: $(grep -m 1 'error:' "$work/build.$1" | sed 's/.*error: //')"
		else
			status=survived killer=- detail=-
			for s in $(order "$tree" "$path"); do
				run_suite "$tree" "$s" "$work/out.$1"
				rc=$?
				bad=$(grep -m 1 '^not ok' "$work/out.$1")
				if [ -n "$bad" ] || [ "$rc" -ne 0 ]; then
					status=killed killer=$s
					if [ -n "$bad" ]; then detail=$bad
					elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then detail="timed out after ${tmo}s"
					else detail="exited with $rc: $(grep -m 1 -E 'ERROR|runtime error|Assertion|FAIL' "$work/out.$1")"; fi
					break
				fi
			done
		fi
		cp "$work/orig.$1" "$tree/$path" # revert (a new mtime: ninja rebuilds it)
		printf '%s\t%s\t%s\t%s\t%s\n' "$status" "$origin" "$path" "$killer" "$detail" >>"$res"
		printf '  %-9s %s %s (%ss) %s %s\n' "$status" "$origin" "$path" $(($(date +%s) - t0)) "$killer" "$(echo "$detail" | cut -c 1-100)"
	done
}

start=$(date +%s)
w=0
while [ "$w" -lt "$jobs" ]; do
	echo "mutate: preparing $scratch/tree$w"
	copy_tree "$scratch/tree$w" || exit 1
	w=$((w + 1))
done
if [ "${MUTATE_BASELINE:-1}" != 0 ]; then baseline "$scratch/tree0" || exit 1; fi
w=0
while [ "$w" -lt "$jobs" ]; do
	worker "$w" &
	w=$((w + 1))
done
wait
# make sure the trees are left unmutated whatever happened
end=$(date +%s)

cat "$work"/results.* | sort -t "$(printf '\t')" -k2,2 >"$work/results"
count() { awk -F '\t' -v s="$1" '$1 == s' "$work/results" | wc -l | tr -d ' '; }
killed=$(count killed)
survived=$(count survived)
invalid=$(count invalid)
stale=$(count stale)
echo
echo "== mutation report ($total mutants, $((end - start))s) =="
for s in survived invalid stale; do
	awk -F '\t' -v s="$s" '$1 == s { printf "%-9s %s %s: %s\n", s, $2, $3, $5 }' "$work/results"
done
awk -F '\t' '$1 == "killed" { printf "killed    %s %s by %s: %s\n", $2, $3, $4, substr($5, 1, 120) }' "$work/results"
for s in survived; do
	for o in $(awk -F '\t' -v s="$s" '$1 == s { print $2 }' "$work/results"); do
		for n in $(grep -lx "$o" "$work"/m/*.origin); do
			n=${n%.origin}
			echo "  $o: $(cat "$n.why")"
		done
	done
done
scored=$((killed + survived))
if [ "$scored" -gt 0 ]; then score=$(awk -v k="$killed" -v n="$scored" 'BEGIN { printf "%.3f", k / n }'); else score=0; fi
echo "mutants $total: killed $killed, survived $survived, invalid $invalid, stale $stale; score $score ($killed / $scored)"

# bench/results.json (the full list only): a JSON object keyed by benchmark name; figures under "mutate"
if [ "$full" = 1 ] && [ "${MUTATE_RESULTS:-1}" != 0 ]; then
	rf=$here/bench/results.json
	[ -s "$rf" ] || echo '{}' >"$rf"
	fig=$(printf '{"mutants":%d,"killed":%d,"survived":%d,"invalid":%d,"stale":%d,"score":%s,"seconds":%d,"date":"%s"}' \
		"$total" "$killed" "$survived" "$invalid" "$stale" "$score" $((end - start)) "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
	if sqlite3 :memory: "SELECT json_set(readfile('$rf'), '\$.mutate', json('$fig'))" >"$rf.new" 2>"$work/json.err" && [ -s "$rf.new" ]; then
		mv "$rf.new" "$rf"
		echo "mutate: figures written to bench/results.json"
	else
		rm -f "$rf.new"
		echo "mutate: bench/results.json is not a JSON object; not written: $(cat "$work/json.err")" >&2
	fi
fi
[ "$stale" -eq 0 ]
