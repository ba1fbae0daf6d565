# lib.sh - shared by the bench scripts (sourced): timing, instruction counts
# (valgrind --tool=callgrind, stable on a noisy shared machine) and the figures
# written to bench/results.json, a JSON object keyed by benchmark name.
#
# BENCH_N      rows of the big benchmarks (default 1,000,000: the targets' size)
# BENCH_CG_N   rows run under callgrind for the instruction counts (default 10,000;
#              0 skips the instruction counts)
# BENCH_RESULTS  the results file (default bench/results.json)

bench_dir=$(cd "$(dirname "$0")" && pwd)
BENCH_RESULTS=${BENCH_RESULTS:-$bench_dir/results.json}
BENCH_CG_N=${BENCH_CG_N:-10000}

bench_now() { date +%s.%N; }
# bench_calc EXPR: a number, 4 decimals (bc)
bench_calc() { printf '%.4f' "$(echo "$1" | bc -l)"; }

# bench_instr CMD ARGS...: the instructions CMD executes (its stdout and stderr
# are discarded), or 0 when valgrind is missing or BENCH_CG_N is 0.
bench_instr() {
	if [ "$BENCH_CG_N" = 0 ] || ! command -v valgrind >/dev/null 2>&1; then
		echo 0
		return
	fi
	valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-fd=9 "$@" 9>&1 >/dev/null 2>/dev/null |
		awk '/Collected :/ {n = $4} END {print n + 0}'
}

# bench_per TOTAL N: TOTAL / N, 0 decimals ("0" when N or TOTAL is 0)
bench_per() {
	if [ "${2:-0}" = 0 ] || [ "${1:-0}" = 0 ]; then echo 0; else printf '%.0f' "$(echo "$1 / $2" | bc -l)"; fi
}

# bench_fig WHAT VALUE UNIT REFERENCE REF_VALUE RATIO TARGET MET INSTR REF_INSTR PER COMMAND
# prints one figure as a JSON object. REFERENCE "" = none (REF_VALUE, RATIO null);
# INSTR/REF_INSTR are instructions per PER (row, request, ...), 0 = not measured.
bench_fig() {
	ref=null
	[ -n "$4" ] && ref="\"$4\""
	refv=${5:-null}
	ratio=${6:-null}
	ir=null
	if [ "${9:-0}" != 0 ] && [ "${10:-0}" != 0 ]; then ir=$(bench_calc "${9} / ${10}"); fi
	printf '{"what":"%s","value":%s,"unit":"%s","reference":%s,"reference_value":%s,"ratio":%s,"target":"%s","met":%s,' \
		"$1" "$2" "$3" "$ref" "$refv" "$ratio" "$7" "$8"
	printf '"instructions_per_%s":%s,"reference_instructions_per_%s":%s,"instruction_ratio":%s,"command":"%s"}' \
		"${11}" "${9:-0}" "${11}" "${10:-0}" "$ir" "${12}"
}

# bench_met EXPR: true or false (a bc comparison)
bench_met() { [ "$(echo "$1" | bc -l)" = 1 ] && echo true || echo false; }

# bench_result NAME N FIG...: sets .NAME of the results file to
# {"date", "n", "figures": [FIG...]}, keeping every other key.
bench_result() {
	name=$1
	n=$2
	shift 2
	figs=$(printf '%s,' "$@")
	obj=$(printf '{"date":"%s","n":%s,"host_cores":%s,"figures":[%s]}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$n" \
		"$(nproc 2>/dev/null || echo 0)" "${figs%,}")
	[ -s "$BENCH_RESULTS" ] || echo '{}' >"$BENCH_RESULTS"
	if sqlite3 :memory: "SELECT json_set(readfile('$BENCH_RESULTS'), '\$.$name', json('$obj'))" >"$BENCH_RESULTS.new" &&
		[ -s "$BENCH_RESULTS.new" ]; then
		mv "$BENCH_RESULTS.new" "$BENCH_RESULTS"
	else
		rm -f "$BENCH_RESULTS.new"
		echo "bench: $name: figures not written to $BENCH_RESULTS" >&2
		return 1
	fi
}
