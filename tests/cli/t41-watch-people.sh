#!/bin/sh
# t41 - the watch lists people (GET /orgs/{org}/watch/people): who is paid in
# full, partly, nothing, whose outstanding claims reach their limitation date
# within 180 days; the lists agree with the watch's counts (all workplaces and
# one), are sorted and paged as asked, follow payments and written-off claims
# of a worker made here, keep other organizations out, and refuse bad queries
# with the parameter named. Also: the duplicate queue's birth year and place
# (people.reveal only), its decided pairs by name, and detentions in custody.
. "$(dirname "$0")/lib.sh"

fs demo >/dev/null
start_server 0
tok=$(fs user token admin)
A="Authorization: Bearer $tok"
J='Content-Type: application/json'
get() { curl -s -H "$A" "$B$1"; }
code() { curl -s -o "$T/body" -w '%{http_code}' -H "$A" "$@"; }

W=$(get /orgs/miners/watch)
for s in paid_in_full partly_paid paid_nothing; do
	want=$(echo "$W" | jq ".workers.$s")
	got=$(get "/orgs/miners/watch/people?status=$s&limit=1" | jq .total)
	same "the $s list has the watch's count ($want)" "$got" "$want"
	get "/orgs/miners/watch/people?status=$s&limit=10000" >"$T/l.json"
	same "every item of $s has that status" "$(jq "[.items[] | select(.status != \"$s\")] | length" "$T/l.json")" 0
done
same "the watch's lists hold something to test" "$(echo "$W" | jq '.workers.partly_paid > 0 and .workers.paid_nothing > 0')" true
all=$(get "/orgs/miners/watch/people?limit=10000")
same "all: every worker of the watch" "$(echo "$all" | jq .total)" "$(echo "$W" | jq .workers.total)"
same "owed of the list = the watch's owed" "$(echo "$all" | jq '[.items[].owed_minor] | add')" "$(echo "$W" | jq .totals.owed_minor)"
same "paid of the list = the watch's paid" "$(echo "$all" | jq '[.items[].paid_minor] | add')" "$(echo "$W" | jq .totals.paid_minor)"
same "outstanding = owed - paid for every worker" "$(echo "$all" | jq '[.items[] | select(.outstanding_minor != .owed_minor - .paid_minor)] | length')" 0

# near the limitation date: the claims add up to the watch's within_180_days
near=$(get "/orgs/miners/watch/people?status=near_limitation&limit=10000&as_of=2026-01-01")
Wn=$(get "/orgs/miners/watch?as_of=2026-01-01")
same "near-limitation claims = the watch's within_180_days" "$(echo "$near" | jq '[.items[].near_limitation_claims] | add // 0')" \
	"$(echo "$Wn" | jq .limitation.within_180_days.claims)"
same "every near one has its date within 180 days" \
	"$(echo "$near" | jq '[.items[] | select(.next_limitation < "2026-01-01" or .next_limitation > "2026-06-30")] | length')" 0

# one workplace
W1=$(get "/orgs/miners/watch?workplace=1")
same "workplace 1: paid nothing as the watch counts" "$(get "/orgs/miners/watch/people?workplace=1&status=paid_nothing&limit=1" | jq .total)" \
	"$(echo "$W1" | jq .workers.paid_nothing)"
same "workplace 1: everyone as the watch counts" "$(get "/orgs/miners/watch/people?workplace=1&limit=1" | jq .total)" \
	"$(echo "$W1" | jq .workers.total)"
same "an unknown workplace is 404" "$(code "$B/orgs/miners/watch/people?workplace=9999")" 404
has "naming the workplace" "$T/body" '"field":"workplace"'

# sorted and paged
get "/orgs/miners/watch/people?sort=outstanding&order=desc&limit=50" >"$T/s.json"
same "sorted by outstanding, largest first" "$(jq '[.items[].outstanding_minor] | . == (sort | reverse)' "$T/s.json")" true
get "/orgs/miners/watch/people?sort=owed&limit=50" >"$T/s.json"
same "sorted by owed, smallest first" "$(jq '[.items[].owed_minor] | . == sort' "$T/s.json")" true
get "/orgs/miners/watch/people?sort=limitation&status=near_limitation&limit=50&as_of=2026-01-01" >"$T/s.json"
same "sorted by limitation date" "$(jq '[.items[].next_limitation] | . == sort' "$T/s.json")" true
p10=$(get "/orgs/miners/watch/people?sort=paid&limit=10" | jq -c '[.items[].person_id]')
p5=$(get "/orgs/miners/watch/people?sort=paid&limit=5&offset=5" | jq -c '[.items[].person_id]')
same "offset 5 limit 5 is the second half of the first 10" "$p5" "$(echo "$p10" | jq -c '.[5:]')"
same "a page says its limit" "$(get "/orgs/miners/watch/people?limit=7" | jq '.items | length')" 7

# a worker made here: nothing, partly, in full; a written-off claim owes nothing
pid=$(curl -s -H "$A" -H "$J" -d '{"full_name":"Zeynep Watchlist"}' "$B/orgs/miners/people" | jq .id)
curl -s -H "$A" -H "$J" -d "{\"person_id\":$pid,\"kind\":\"unpaid_wages\",\"amount\":\"1000.00\",\"basis\":\"entered\",\"document_ref\":\"t41\",\"limitation_date\":\"2026-03-01\"}" \
	"$B/orgs/miners/claims" >/dev/null
c2=$(curl -s -H "$A" -H "$J" -d "{\"person_id\":$pid,\"kind\":\"severance\",\"amount\":\"500.00\",\"basis\":\"entered\",\"document_ref\":\"t41\"}" \
	"$B/orgs/miners/claims" | jq .id)
find_me() { get "/orgs/miners/watch/people?status=$1&limit=10000&as_of=2026-01-01" | jq -c ".items[] | select(.person_id == $pid) | [.owed_minor, .paid_minor, .status, .next_limitation]"; }
same "no payment: in paid_nothing" "$(find_me paid_nothing)" '[150000,0,"paid_nothing","2026-03-01"]'
same "and near its limitation date" "$(find_me near_limitation)" '[150000,0,"paid_nothing","2026-03-01"]'
pay() { curl -s -o /dev/null -w '%{http_code}' -H "$A" -H "$J" -d "{\"person_id\":$pid,\"payer_kind\":\"employer\",\"payer_name\":\"Mine\",\"paid_on\":\"2025-12-01\",\"amount\":\"$1\",\"idempotency_key\":\"t41-$1\"}" "$B/orgs/miners/payments"; }
same "a payment" "$(pay 1000.00)" 201
same "partly paid" "$(find_me partly_paid)" '[150000,100000,"partly_paid",null]'
same "no longer near: its unpaid wages were paid first" "$(find_me near_limitation)" ""
same "the severance written off" "$(code -X PATCH -H "$J" -d '{"status":"written_off"}' "$B/orgs/miners/claims/$c2")" 200
same "now paid in full" "$(find_me paid_in_full)" '[100000,100000,"paid_in_full",null]'
name=$(get "/orgs/miners/watch/people?status=paid_in_full&limit=10000" | jq -r ".items[] | select(.person_id == $pid) | .name")
same "named" "$name" "Zeynep Watchlist"

# other organizations stay out; errors name the parameter
same "oil's list has none of miners' people" "$(get "/orgs/oil/watch/people?limit=10000" | jq "[.items[] | select(.person_id == $pid)] | length")" 0
same "a bad status is 422" "$(code "$B/orgs/miners/watch/people?status=rich")" 422
has "naming status" "$T/body" '"field":"status"'
same "a bad sort is 422" "$(code "$B/orgs/miners/watch/people?sort=age")" 422
same "an unknown parameter is 422" "$(code "$B/orgs/miners/watch/people?colour=red")" 422
same "limit 0 is 422" "$(code "$B/orgs/miners/watch/people?limit=0")" 422
same "without a login 401" "$(curl -s -o /dev/null -w '%{http_code}' "$B/orgs/miners/watch/people")" 401
FAIRSHARE_PASSWORD='a long passphrase 1' fs user add stranger >/dev/null 2>&1
stok=$(fs user token stranger)
same "an account with no role in miners: 404" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $stok" "$B/orgs/miners/watch/people")" 404
vtok=$(fs user token viewer)
same "the viewer reads the lists (register.read)" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $vtok" "$B/orgs/miners/watch/people?status=paid_nothing")" 200

# ---- in custody now: every detention not released, whereabouts unknown first
O="$B/orgs/oil"
inc=$(get "/orgs/oil/incidents?limit=1" | jq '.items[0].id')
pa=$(curl -s -H "$A" -H "$J" -d '{"full_name":"Known Whereabouts"}' "$O/people" | jq .id)
pb=$(curl -s -H "$A" -H "$J" -d '{"full_name":"Unknown Whereabouts"}' "$O/people" | jq .id)
same "a detention, whereabouts acknowledged, public" "$(code -H "$J" -d "{\"person_id\":$pa,\"incident_id\":$inc,\"arrested_at\":\"2026-11-01T08:00\",\"whereabouts\":\"acknowledged\",\"handling\":\"public\"}" "$O/detentions")" 201
same "a later one, whereabouts unknown (internal)" "$(code -H "$J" -d "{\"person_id\":$pb,\"incident_id\":$inc,\"arrested_at\":\"2026-11-02T08:00\",\"whereabouts\":\"unknown\",\"whereabouts_since\":\"2026-11-02T08:00\"}" "$O/detentions")" 201
get "/orgs/oil/record/prisoners" >"$T/p.json"
same "both are in custody, the unknown first" "$(jq -c '[.detained[] | select(.person_id == '$pa' or .person_id == '$pb') | .name]' "$T/p.json")" '["Unknown Whereabouts","Known Whereabouts"]'
same "released ones are not" "$(jq '[.detained[] | select(.person_id == 966)] | length' "$T/p.json")" 0
FAIRSHARE_PASSWORD='a long passphrase 3' fs --org oil user add viewer41 --role viewer >/dev/null 2>&1
ovtok=$(fs user token viewer41)
curl -s -H "Authorization: Bearer $ovtok" "$O/record/prisoners" >"$T/pv.json"
same "the viewer sees the public detention only" "$(jq -c '[.detained[] | select(.person_id == '$pa' or .person_id == '$pb') | .name]' "$T/pv.json")" '["Known Whereabouts"]'

# ---- duplicate review: birth year and place for who may reveal; decided pairs by name
get "/orgs/oil/record/duplicates?limit=50" >"$T/d.json"
same "the admin sees birth years" "$(jq '[.pairs[] | has("birth_year_a") and has("birth_year_b")] | all' "$T/d.json")" true
same "and there are pairs" "$(jq '.pairs | length > 0' "$T/d.json")" true
dtok=$(fs user token documenter 2>/dev/null)
if [ -z "$dtok" ]; then FAIRSHARE_PASSWORD='a long passphrase 2' fs --org oil user add doc41 --role documenter >/dev/null 2>&1; dtok=$(fs user token doc41); fi
curl -s -H "Authorization: Bearer $dtok" "$O/record/duplicates?limit=50" >"$T/dd.json"
same "a documenter (no people.reveal) gets the pairs" "$(jq '.pairs | length > 0' "$T/dd.json")" true
same "without birth years or places" "$(jq '[.pairs[] | has("birth_year_a") or has("birth_place_a")] | any' "$T/dd.json")" false
a=$(jq '.pairs[0].person_a' "$T/d.json"); b=$(jq '.pairs[0].person_b' "$T/d.json"); na=$(jq -r '.pairs[0].name_a' "$T/d.json")
same "decide a pair" "$(code -H "$J" -d "{\"person_a\":$a,\"person_b\":$b,\"decision\":\"different\"}" "$O/person_links")" 201
get "/orgs/oil/record/duplicates?limit=50" >"$T/d2.json"
same "the decided pair is listed with names" "$(jq -r ".decided[] | select(.person_a == $a and .person_b == $b) | .name_a + \"|\" + .decision" "$T/d2.json")" "$na|different"
same "and no longer suggested" "$(jq "[.pairs[] | select(.person_a == $a and .person_b == $b)] | length" "$T/d2.json")" 0

# ---- claims compute over the API: stored once, differences shown, applied on request
M="$B/orgs/miners"
cc() { curl -s -o "$T/cc.json" -w '%{http_code}' -H "$A" -H "$J" -d "$1" "$M/claims/compute"; }
same "compute workplace 1" "$(cc '{"workplace_id":1}')" 200
first=$(jq '.created + .unchanged' "$T/cc.json")
same "again: nothing new, nothing differs" "$(cc '{"workplace_id":1}'; jq -c '[.created, .changed, .unchanged == '"$first"']' "$T/cc.json")" '200[0,0,true]'
emp=$(get "/orgs/miners/employments?workplace_id=1&limit=200" | jq '[.items[] | select(.terminated != null and .wage_minor != null)][0].id')
same "a terminated worker's wage changed" "$(code -X PATCH -H "$J" -d '{"wage":"99999.00"}' "$M/employments/$emp")" 200
same "compute (apply false, as the web asks): a difference shown, not applied" "$(cc '{"workplace_id":1,"apply":false}'; jq -c '[.changed > 0, .applied, (.differences | length > 0)]' "$T/cc.json")" '200[true,0,true]'
cid=$(jq '.differences[0].claim_id' "$T/cc.json"); old=$(jq '.differences[0].old_minor' "$T/cc.json"); new=$(jq '.differences[0].new_minor' "$T/cc.json")
same "the claim still has its old amount" "$(get "/orgs/miners/claims/$cid" | jq .amount_minor)" "$old"
same "apply" "$(cc '{"workplace_id":1,"apply":true}'; jq -c '.applied > 0' "$T/cc.json")" '200true'
same "the claim has the new amount" "$(get "/orgs/miners/claims/$cid" | jq .amount_minor)" "$new"
same "a workplace_id that is no id: 422" "$(cc '{"workplace_id":"x"}')" 422
has "naming it" "$T/cc.json" '"field":"workplace_id"'
same "an unknown field: 422" "$(cc '{"workplace_id":1,"colour":"red"}')" 422
same "the viewer may not compute (register.write)" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $vtok" -H "$J" -d '{"workplace_id":1}' "$M/claims/compute")" 403

kill "$server"; wait "$server" 2>/dev/null
finish
