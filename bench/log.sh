#!/bin/sh
# log.sh BUILD_DIR [N] - the Merkle log's benchmark (bench/log_bench.c): N journal
# entries (default 1,000,000) appended in batches of 10,000 with the tree and,
# in the same run, without it; verify over them; inclusion and consistency proofs
# at size N. Targets (issue 11): the tree costs <= 10 % of the append time; each
# proof < 1 ms.
set -eu
build=${1:-build}
n=${2:-1000000}
dir=$(mktemp -d /tmp/fs-bench-log-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$build/bench/log_bench" "$dir" "$n"
