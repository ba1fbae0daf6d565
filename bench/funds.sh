#!/bin/sh
# funds.sh BUILD_DIR [N] - the ledger benchmark: N (default $BENCH_N or 1,000,000)
# transfers through the batch path (fs_ledger_transfer, 8190 a batch), committed
# to disk (target >= 250,000/s); then the fund's balances against `ledger -f` on
# the exported journal of the same data, same run (target: >= 10x faster).
# Instructions per transfer: BENCH_CG_N transfers under callgrind, less a run of
# none (opening, creating the database, the organization and the fund: about 83
# million instructions, which 10,000 transfers would otherwise carry); both
# threads (the figure kept), then the main thread alone (printed).
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
n=${2:-${BENCH_N:-1000000}}
dir=$(mktemp -d /tmp/fs-bench-funds-XXXXXX)
trap 'rm -rf "$dir"' EXIT
line=$("$build/bench/ledger_bench" "$dir" "$n")
echo "$line"
tps=$(echo "$line" | awk '{print $8}')
bal=$(echo "$line" | awk '{print $10}')
t0=$(bench_now)
ledger -f "$dir/export.journal" bal >/dev/null
t1=$(bench_now)
led=$(bench_calc "$t1 - $t0")
fast=$(bench_calc "$led / $bal")
printf 'transfers committed: %.0f per second (target >= 250000)\n' "$tps"
printf 'balances: fairshare %.4f s, ledger-cli %.2f s: %.0fx faster (target >= 10x)\n' "$bal" "$led" "$fast"
it=0
if [ "$BENCH_CG_N" != 0 ]; then
	mkdir "$dir/cg"
	all=$(bench_instr "$build/bench/ledger_bench" "$dir/cg" "$BENCH_CG_N" transfers)
	mkdir "$dir/cg0"
	none=$(bench_instr "$build/bench/ledger_bench" "$dir/cg0" 0 transfers)
	it=$(bench_per "$((all - none))" "$BENCH_CG_N")
	printf 'instructions per transfer (%d transfers less none, callgrind, both threads): %s (%s with the set-up)\n' "$BENCH_CG_N" "$it" \
		"$(bench_per "$all" "$BENCH_CG_N")"
	# the main thread alone (the groups' hashes go to a second core): it sets the pace
	if command -v valgrind >/dev/null 2>&1; then
		mkdir "$dir/cgt"
		valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$dir/cgt/out" \
			"$build/bench/ledger_bench" "$dir/cgt" "$BENCH_CG_N" transfers >/dev/null 2>&1 || true
		main=$(awk '/^totals:/ {print $2}' "$dir/cgt/out-01" 2>/dev/null)
		if [ -n "$main" ]; then
			printf 'instructions per transfer on the main thread: %s\n' "$(bench_per "$((main - none))" "$BENCH_CG_N")"
		fi
	fi
fi
cmd="BENCH_N=$n bench/funds.sh build"
bench_result funds "$n" \
	"$(bench_fig "ledger transfers committed per second, batch path" "$tps" "transfers/s" "" "" "" ">= 250000" \
		"$(bench_met "$tps >= 250000")" "$it" 0 transfer "$cmd")" \
	"$(bench_fig "fund balances" "$bal" s "ledger -f export bal" "$led" "$(bench_calc "$bal / $led")" "<= 0.1 (10x faster)" \
		"$(bench_met "$fast >= 10")" 0 0 query "$cmd")"
