#!/bin/sh
# web.sh BUILD_DIR - the web's weight on a phone, measured in headless chromium
# by tests/browser/weight.test.mjs on the demo data: the first load (cold cache,
# transferred bytes: gzip, headers included), every view's address opened cold
# while logged in (a shared link: its files and its JSON; the heaviest and each), and the
# JSON each view fetches inside the app, for every role (the heaviest and each).
# Targets: first load <= 60 KB, every later view <= 20 KB of JSON; an address
# opened cold is both (its files <= 60 KB, its JSON <= 20 KB).
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
FAIRSHARE_PASSWORD=fairshare-demo fs --org oil user add documenter --role documenter >/dev/null
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
# an address opened cold is held to the issue's two budgets (as weight.test.mjs
# asserts): its files are a first load (<= 60 KB), its JSON a view (<= 20 KB)
coldname=$(jq -r .first_view_address "$dir/w.json")
coldjson=$(jq --arg a "$coldname" '.cold[$a].json_bytes' "$dir/w.json")
figs="$figs
$(bench_fig "heaviest address opened cold, logged in: $coldname (files; its JSON $(bench_calc "$coldjson / 1024") KB)" \
	"$(bench_calc "($cold - $coldjson) / 1024")" KB "" "" "" "<= 60 KB of files, <= 20 KB of JSON" \
	"$(bench_met "$cold - $coldjson <= 61440 && $coldjson <= 20480")" 0 0 load "$cmd")"
figs="$figs
$(bench_fig "largest later view of $nviews (role address): $maxname (JSON)" "$(bench_calc "$maxv / 1024")" KB "" "" "" "<= 20 KB" \
	"$(bench_met "$maxv <= 20480")" 0 0 view "$cmd")"
# every address opened cold, and every view of every role: "NAME<TAB>BYTES" lines
jq -r '.cold | to_entries[] | "cold \(.key)\t\(.value.bytes - .value.json_bytes)\t\(.value.json_bytes)"' "$dir/w.json" >"$dir/cold.tsv"
jq -r '.views | to_entries[] | "view \(.key) (JSON)\t\(.value.json_bytes)"' "$dir/w.json" >"$dir/views.tsv"
while IFS='	' read -r name b j; do
	figs="$figs
$(bench_fig "$name (files; its JSON $(bench_calc "$j / 1024") KB)" "$(bench_calc "$b / 1024")" KB "" "" "" \
		"<= 60 KB of files, <= 20 KB of JSON" "$(bench_met "$b <= 61440 && $j <= 20480")" 0 0 load "$cmd")"
done <"$dir/cold.tsv"
while IFS='	' read -r name b; do
	figs="$figs
$(bench_fig "$name" "$(bench_calc "$b / 1024")" KB "" "" "" "<= 20 KB" "$(bench_met "$b <= 20480")" 0 0 view "$cmd")"
done <"$dir/views.tsv"
old_ifs=$IFS
IFS='
'
# shellcheck disable=SC2086
bench_result web "$nviews" $figs
IFS=$old_ifs
echo "first load $first bytes; heaviest cold address $coldname $cold bytes; largest view $maxname $maxv bytes of JSON"
