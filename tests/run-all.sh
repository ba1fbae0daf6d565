#!/bin/sh
# run-all.sh BUILD_DIR - runs every test of fairshare against one build: the cmocka
# unit tests, the black-box CLI tests and the fuzz corpus replay. Every suite
# speaks TAP; the last line counts every test case: "N passed, N failed"
# (and, on the line before, "N skipped") when a line says "# SKIP", e.g. no fuzz findings to replay: a
# skip is not counted as a pass).
set -u
build=${1:-build-test}
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/fs-tests-XXXXXX)
export FAIRSHARE="$build/fairshare"
export CMOCKA_MESSAGE_OUTPUT=TAP
# ASan: fail on any error; leaks are errors too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
passed=0
failed=0
skipped=0

suite() { # suite NAME COMMAND...
	name=$1
	shift
	"$@" >"$out/$name.tap" 2>&1
	tally "$name" $?
}
tally() { # tally NAME EXIT_CODE: counts $out/NAME.tap
	name=$1
	rc=$2
	p=$(grep '^ok ' "$out/$name.tap" | grep -vc '# SKIP')
	k=$(grep '^ok ' "$out/$name.tap" | grep -c '# SKIP')
	f=$(grep -c '^not ok ' "$out/$name.tap")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or failed outside a test case
		echo "not ok - $name exited with $rc" >>"$out/$name.tap"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
	if [ "$f" -eq 0 ]; then
		if [ "$k" -eq 0 ]; then echo "PASS $name ($p)"; else echo "PASS $name ($p, $k skipped)"; fi
	else
		echo "FAIL $name ($p passed, $f failed)"
		grep -v '^ok ' "$out/$name.tap" | sed 's/^/    /' | head -n 40
	fi
}

suite style sh "$here/tests/style.sh"
suite mutants-check sh "$here/tests/mutants-check.sh"
suite unit-util "$build/tests/test_util"
suite unit-core "$build/tests/test_core"
suite unit-keys "$build/tests/test_keys"
suite cases "$build/tests/test_cases" "$here/tests/cases"
suite unit-claims "$build/tests/test_claims"
suite unit-compute "$build/tests/test_compute"
suite unit-ledger "$build/tests/test_ledger"
suite unit-ledger-pipe "$build/tests/test_ledger_pipe"
suite unit-batch "$build/tests/test_batch"
suite unit-logpack "$build/tests/test_logpack"
suite unit-policy "$build/tests/test_policy"
suite unit-http "$build/tests/test_http"
suite unit-routes "$build/tests/test_routes"
suite unit-users "$build/tests/test_users"
suite unit-kz "$build/tests/test_kz"
suite unit-private "$build/tests/test_private"
suite unit-guards "$build/tests/test_guards"
suite unit-store "$build/tests/test_store"
suite unit-pg-ddl "$build/tests/test_pg_ddl"
suite unit-qr "$build/tests/test_qr"
suite unit-import-seen "$build/tests/test_import_seen"
# one private PostgreSQL cluster for the run (tests/cli/pg.sh): t35, t42, t51, t57, t67 and
# the suites a second time on PostgreSQL, each in a database of its own ($FS_PG_SUITES:
# names, "default", "all" or "none"). By default every suite but those of $pg_left_out
# and $pg_pending, so a new suite runs on both backends unless it says otherwise. A
# suite about SQLite's file says so on a SKIP line there (t19, t25, t26). The
# PostgreSQL runs go one after the other after the SQLite runs ($FS_PG_PARALLEL=1:
# beside them); each is counted when done.
# $pg_left_out: suites that prove nothing more about the store on PostgreSQL
# (FS_PG_SUITES=all or =NAME runs them there): the source's house rules (t36), the
# option parser (t37), how the web files are served (t06b) and weighed (t47), TLS and
# metrics (t25b), and the policy matrices (t08, t30-matrix: the core decides the same
# whatever the backend; every route's store work runs on PostgreSQL in the other suites).
# $pg_pending: suites not yet seen green on PostgreSQL to the end (doc/postgres.md).
pg_left_out="t06b-web-house t08-roles t25b-serve-ops t30-matrix t36-house t37-cli t47-web-weight"
pg_pending=""
pg_suites=${FS_PG_SUITES:-default}
. "$here/tests/cli/pg.sh"
pgdir=$(mktemp -d /tmp/fs-pg-XXXXXX)
pg_start "$pgdir" || echo "# no PostgreSQL cluster: t35 and the PostgreSQL runs will fail"
case $pg_suites in
all | default)
	pg_suites=$(cd "$here/tests/cli" && ls t*.sh | sed 's/\.sh$//' | grep -v -e '^t35-pg$' -e '^t42-pg-' -e '^t51-pg-' -e '^t57-pg-' -e '^t67-pg-' |
		if [ "$pg_suites" = default ]; then grep -vxF "$(printf '%s\n' $pg_left_out $pg_pending)"; else cat; fi) ;;
none) pg_suites= ;;
esac
pg_runs() {
	local t0=$(date +%s)
	for name in $pg_suites; do
		FS_TEST_DB=postgres sh "$here/tests/cli/$name.sh" >"$out/pg-$name.tap" 2>&1
		echo $? >"$out/pg-$name.rc"
	done
	echo "# the suites on PostgreSQL: $(($(date +%s) - t0)) s" >"$out/pg-time"
}
t0=$(date +%s)
if [ "${FS_PG_PARALLEL:-0}" = 1 ]; then
	pg_runs &
	pg_runner=$!
fi
for t in "$here"/tests/cli/t*.sh; do
	suite "cli-$(basename "$t" .sh)" sh "$t"
done
echo "# the suites on SQLite: $(($(date +%s) - t0)) s"
if [ "${FS_PG_PARALLEL:-0}" = 1 ]; then wait "$pg_runner"; else pg_runs; fi
cat "$out/pg-time" 2>/dev/null
for name in $pg_suites; do
	tally "pg-$name" "$(cat "$out/pg-$name.rc" 2>/dev/null || echo 1)"
done
echo "# every suite on both: $(($(date +%s) - t0)) s"
pg_stop "$pgdir"
rm -rf "$pgdir"
suite fuzz-csv "$build/fuzz/fuzz_csv_replay" "$here/fuzz/corpus/csv" "$here/fuzz/findings/csv"
suite fuzz-import "$build/fuzz/fuzz_import_replay" "$here/fuzz/corpus/import" "$here/fuzz/findings/import"
suite fuzz-rules "$build/fuzz/fuzz_rules_replay" "$here/fuzz/corpus/rules" "$here/fuzz/findings/rules"
suite fuzz-body "$build/fuzz/fuzz_body_replay" "$here/fuzz/corpus/body" "$here/fuzz/findings/body" "$here/tests/data/json"
# the libFuzzer targets built with clang (make test builds them: FUZZ_BUILD)
[ -n "${FUZZ_BUILD:-}" ] && suite fuzz-clang sh "$here/fuzz/clang-replay.sh" "$FUZZ_BUILD"

rm -rf "$out"
# the last line is always "N passed, N failed" (CI reads it); skipped cases are said before it
[ "$skipped" -eq 0 ] || echo "$skipped skipped (see the # SKIP lines)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
