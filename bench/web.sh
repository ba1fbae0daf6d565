#!/bin/sh
# web.sh BUILD_DIR - the web's weight on a phone, measured in headless chromium
# by tests/browser/weight.test.mjs on the demo data: the first load (cold cache,
# transferred bytes: gzip, headers included), a shared person's link opened cold
# while logged in, and the JSON each later view fetches (the largest of them).
# Targets: first load <= 60 KB, every later view <= 20 KB of JSON.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
root=$(cd "$bench_dir/.." && pwd)
dir=$(mktemp -d /tmp/fs-bench-web-XXXXXX)
cleanup() {
	[ -n "${fspid:-}" ] && kill -TERM "$fspid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
fs() { "$build/fairshare" --db "$dir/f.db" "$@"; }
fs demo >/dev/null
port=$((20000 + $$ % 20000))
fs serve --listen 127.0.0.1:$port --web "$root/web" >"$dir/serve.log" 2>&1 &
fspid=$!
for i in $(seq 1 300); do curl -s "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
WEIGHT_OUT=$dir/w.json node "$root/tests/browser/weight.test.mjs" "http://127.0.0.1:$port/" "$dir/shots" || true
[ -s "$dir/w.json" ] || { echo "bench: web: no figures (is chromium installed?)" >&2; exit 1; }
first=$(jq .first_load_bytes "$dir/w.json")
cold=$(jq .first_view_bytes "$dir/w.json")
maxv=$(jq '[.views[].json_bytes] | max' "$dir/w.json")
maxname=$(jq -r '.views | to_entries | max_by(.value.json_bytes) | .key' "$dir/w.json")
nviews=$(jq '.views | length' "$dir/w.json")
cmd="node tests/browser/weight.test.mjs (BENCH_ONLY=web make bench)"
figs="$(bench_fig "first load, cold cache (login page)" "$(bench_calc "$first / 1024")" KB "" "" "" "<= 60 KB" \
	"$(bench_met "$first <= 61440")" 0 0 load "$cmd")"
figs="$figs
$(bench_fig "a shared person link opened cold, logged in (files + JSON)" "$(bench_calc "$cold / 1024")" KB "" "" "" "<= 60 KB" \
	"$(bench_met "$cold <= 61440")" 0 0 load "$cmd")"
figs="$figs
$(bench_fig "largest later view of $nviews: $maxname (JSON)" "$(bench_calc "$maxv / 1024")" KB "" "" "" "<= 20 KB" \
	"$(bench_met "$maxv <= 20480")" 0 0 view "$cmd")"
for v in $(jq -r '.views | keys[]' "$dir/w.json"); do
	b=$(jq --arg v "$v" '.views[$v].json_bytes' "$dir/w.json")
	figs="$figs
$(bench_fig "view $v (JSON)" "$(bench_calc "$b / 1024")" KB "" "" "" "<= 20 KB" "$(bench_met "$b <= 20480")" 0 0 view "$cmd")"
done
old_ifs=$IFS
IFS='
'
# shellcheck disable=SC2086
bench_result web "$nviews" $figs
IFS=$old_ifs
echo "first load $first bytes; cold person link $cold bytes; largest view $maxname $maxv bytes of JSON"
