#!/bin/sh
# t18 - the demo's record: a strike with a shooting documented by several sources,
# and an 18-stage march with detentions along the way.
. "$(dirname "$0")/lib.sh"
fs demo >/dev/null
expect "actions" 0 fs --org oil --json action list
has "the strike" "$T/out" '"kind": "strike"'
has "the march" "$T/out" '"kind": "march"'
march=$(python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin)["items"] if a["kind"] == "march"][0])' <"$T/out")
expect "the march's timeline" 0 fs --org oil --json record timeline --action "$march"
python3 - "$T/out" >"$T/check" <<'PY'
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
kinds = [e["event"] for e in ev]
print("stages", kinds.count("stage"), "numbers", sorted(e["number"] for e in ev if e["event"] == "stage") == list(range(1, 19)))
print("detained", kinds.count("detained"), "released", kinds.count("released"))
print("hearings", kinds.count("hearing"), "demands", kinds.count("demand"))
PY
has "18 stages, numbered 1 to 18" "$T/check" "stages 18 numbers True"
has "detentions along the way, all released" "$T/check" "detained 5 released 5"
has "hearings and demand outcomes" "$T/check" "hearings 3 demands 2"
expect "stage list" 0 fs --org oil --json stage list --action-id "$march"
has "18 of them" "$T/out" '"total": 18'
expect "counts by action" 0 fs --org oil --json record counts --by action
has "the march's arrests" "$T/out" '"title": "Астанаға марш"'
expect "the strike's demands" 0 fs --org oil --json demand list --status lost
has "lost" "$T/out" "The regional wage coefficient"
expect "the sources cited" 0 fs --org oil --json citation list
has "reports cited" "$T/out" '"report_id"'
expect "suggestions" 0 fs --org oil --json record suggest
has "the shooting incident, corroborated" "$T/out" '"suggested": "r1"'
expect "public export of violations" 0 fs --org oil export violations --public
has "the march's arrests in it" "$T/out" "incommunicado_detention"
expect "verify" 0 fs verify
finish
