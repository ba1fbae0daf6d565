#!/bin/sh
# log.sh BUILD_DIR [N] - the Merkle log's benchmark (bench/log_bench.c): N journal
# entries (default $BENCH_N or 1,000,000) appended in batches of 10,000 with the
# tree and, in the same run, without it (three rounds alternated, the best of
# each); verify over them; inclusion and
# consistency proofs at size N. Targets (issue 11): the tree costs <= 10 % of the
# append time; each proof < 1 ms. Instructions per entry: BENCH_CG_N entries of
# each variant under callgrind, less the same run with none (the set-up).
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
n=${2:-${BENCH_N:-1000000}}
dir=$(mktemp -d /tmp/fs-bench-log-XXXXXX)
trap 'rm -rf "$dir"' EXIT
out=$("$build/bench/log_bench" "$dir" "$n")
echo "$out"
rm -f "$dir"/*.db*
# entries 1000 (CPU time): with the tree 0.52 s (193553/s), without 0.47 s (214724/s), tree cost 10.9 %
cpu=$(echo "$out" | grep '(CPU time)')
wal=$(echo "$out" | grep '(wall clock)')
with_s=$(echo "$cpu" | sed 's/.*with the tree [0-9.]* s (\([0-9]*\)\/s).*/\1/')
without_s=$(echo "$cpu" | sed 's/.*without [0-9.]* s (\([0-9]*\)\/s).*/\1/')
cost=$(echo "$cpu" | sed 's/.*tree cost \(-*[0-9.]*\) %.*/\1/')
wwith_s=$(echo "$wal" | sed 's/.*with the tree [0-9.]* s (\([0-9]*\)\/s).*/\1/')
wwithout_s=$(echo "$wal" | sed 's/.*without [0-9.]* s (\([0-9]*\)\/s).*/\1/')
wcost=$(echo "$wal" | sed 's/.*tree cost \(-*[0-9.]*\) %.*/\1/')
ver=$(echo "$out" | sed -n 's/^verify over [0-9]* entries: \([0-9.]*\) s CPU, \([0-9.]*\) s wall.*/\1 \2/p')
inc=$(echo "$out" | sed -n 's/^inclusion proof at size [0-9]*: \([0-9.]*\) ms each.*/\1/p')
con=$(echo "$out" | sed -n 's/.*consistency proof: \([0-9.]*\) ms each.*/\1/p')
it=0
ip=0
if [ "$BENCH_CG_N" != 0 ]; then
	for v in tree plain; do
		a=$(bench_instr "$build/bench/log_bench" "$dir" "$BENCH_CG_N" $v)
		rm -f "$dir"/*.db*
		b=$(bench_instr "$build/bench/log_bench" "$dir" 0 $v)
		rm -f "$dir"/*.db*
		per=$(bench_per "$((a - b))" "$BENCH_CG_N")
		if [ $v = tree ]; then it=$per; else ip=$per; fi
	done
	# valgrind offers no SHA extensions: nettle's portable SHA-256 is what it
	# counts (a real run's tree costs fewer: the CPU time above)
	printf 'instructions per entry (%d entries, callgrind, SHA-256 without the CPU'"'"'s SHA extensions): with the tree %s, without %s, tree cost %s %%\n' \
		"$BENCH_CG_N" "$it" "$ip" "$(bench_calc "100 * ($it - $ip) / $ip")"
fi
cmd="BENCH_N=$n bench/log.sh build"
bench_result log "$n" \
	"$(bench_fig "journal entries appended per second with the Merkle tree (CPU time; tree cost $cost %)" "$with_s" "entries/s" \
		"the same appends without the tree" "$without_s" "$(bench_calc "$without_s / $with_s")" "<= 1.10 (tree <= 10 % of append time)" \
		"$(bench_met "$cost <= 10")" "$it" "$ip" entry "$cmd")" \
	"$(bench_fig "journal entries appended per second with the Merkle tree (wall clock; tree cost $wcost %)" "$wwith_s" "entries/s" \
		"the same appends without the tree" "$wwithout_s" "$(bench_calc "$wwithout_s / $wwith_s")" "<= 1.10" \
		"$(bench_met "$wcost <= 10")" 0 0 entry "$cmd")" \
	"$(bench_fig "verify over $n entries (CPU time; wall $(echo "$ver" | cut -d' ' -f2) s)" "$(echo "$ver" | cut -d' ' -f1)" s "" "" "" "-" true 0 0 entry "$cmd")" \
	"$(bench_fig "inclusion proof at $n entries" "$inc" ms "" "" "" "< 1 ms" "$(bench_met "$inc < 1")" 0 0 proof "$cmd")" \
	"$(bench_fig "consistency proof at $n entries" "$con" ms "" "" "" "< 1 ms" "$(bench_met "$con < 1")" 0 0 proof "$cmd")"
