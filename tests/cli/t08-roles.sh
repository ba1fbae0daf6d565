#!/bin/sh
# t08 - the role x route matrix: every route, every role, in the user's own
# organization and in one where they have no role (404, existence not confirmed).
. "$(dirname "$0")/lib.sh"
fs demo >/dev/null
fs org add --slug third --name "Third Union" --country TR --currency TRY >/dev/null
export FAIRSHARE_PASSWORD=documenter-pass
fs --org miners user add documenter --role documenter >/dev/null
unset FAIRSHARE_PASSWORD
start_server 29
J='Content-Type: application/json'
# call ROLE METHOD PATH [BODY [TYPE]] -> HTTP status
call() {
	tok=$(cat "$T/token.$1")
	if [ -n "${4:-}" ]; then
		curl -s -o /dev/null -w '%{http_code}' -X "$2" -H "Authorization: Bearer $tok" -H "Content-Type: ${5:-application/json}" --data-binary "$4" "$B$3"
	else
		curl -s -o /dev/null -w '%{http_code}' -X "$2" -H "Authorization: Bearer $tok" "$B$3"
	fi
}
roles="admin organizer treasurer documenter viewer"
for r in $roles; do fs user token "$r" >"$T/token.$r"; done
csv='full_name
Matrix Person'
n_person=0
# route table: name | method | path (ORG is replaced) | body | type | roles allowed | status when allowed
while IFS='|' read -r name method path body type allowed okstatus; do
	[ -z "$name" ] && continue
	for r in $roles; do
		case " $allowed " in *" $r "* | *" all "*) want=$okstatus ;; *) want=403 ;; esac
		p=$(echo "$path" | sed "s/ORG/miners/")
		if [ "$name" = "delete person" ] && [ "$want" != 403 ]; then # a fresh record to remove
			id=$(curl -s -H "Authorization: Bearer $(cat "$T/token.admin")" -H "$J" -d '{"full_name":"To Remove"}' "$B/orgs/miners/people" | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
			p="/orgs/miners/people/$id"
		fi
		b=$(printf '%s' "$body" | sed "s/CSV/$(printf '%s' "$csv" | sed ':a;N;$!ba;s/\n/\\\\n/g')/")
		[ "$type" = "text/csv" ] && b=$(printf 'full_name\nMatrix Person\n')
		got=$(call "$r" "$method" "$p" "$b" "$type")
		same "$r: $name in its own organization" "$got" "$want"
		p=$(echo "$path" | sed "s/ORG/third/")
		got=$(call "$r" "$method" "$p" "$b" "$type")
		same "$r: $name in an organization without a role" "$got" 404
	done
done <<'ROUTES'
org|GET|/orgs/ORG|||all|200
list people|GET|/orgs/ORG/people?limit=2|||all|200
get person|GET|/orgs/ORG/people/1|||all|200
reveal sealed fields|GET|/orgs/ORG/people/1?reveal=1|||admin organizer|200
create person|POST|/orgs/ORG/people|{"full_name":"Matrix Person"}|application/json|admin organizer|201
change person|PATCH|/orgs/ORG/people/2|{"external_id":"M-2"}|application/json|admin organizer|200
delete person|DELETE|/orgs/ORG/people/5|||admin organizer|200
list employments|GET|/orgs/ORG/employments?limit=1|||all|200
create employer|POST|/orgs/ORG/employers|{"name":"Matrix Co"}|application/json|admin organizer|201
create claim|POST|/orgs/ORG/claims|{"person_id":1,"kind":"other","amount":"1.00","document_ref":"matrix"}|application/json|admin organizer|201
record payment|POST|/orgs/ORG/payments|{"person_id":1,"payer_kind":"other","payer_name":"M","paid_on":"2026-01-01","amount":"1.00"}|application/json|admin treasurer|201
list payments|GET|/orgs/ORG/payments?limit=1|||all|200
import people (dry run)|POST|/orgs/ORG/people/import?dry_run=1||text/csv|admin organizer|200
export people|GET|/orgs/ORG/people/export|||all|200
watch|GET|/orgs/ORG/watch|||all|200
statement|GET|/orgs/ORG/statement/1|||all|200
fund balances|GET|/orgs/ORG/funds/1/balances|||all|200
fund report|GET|/orgs/ORG/funds/1/report|||all|200
record transfers|POST|/orgs/ORG/funds/1/transfers|[{"id":"m-1","debit_account_id":2,"credit_account_id":5,"amount_minor":100,"code":"payroll"}]|application/json|admin treasurer|200
create incident|POST|/orgs/ORG/incidents|{"type":"strike","started_on":"2026-01-05","handling":"public"}|application/json|admin organizer documenter|201
list incidents|GET|/orgs/ORG/incidents?limit=2|||all|200
record counts|GET|/orgs/ORG/record/counts|||all|200
prisoners|GET|/orgs/ORG/record/prisoners|||all|200
duplicate review queue|GET|/orgs/ORG/record/duplicates?limit=2|||admin organizer documenter|200
create action|POST|/orgs/ORG/actions|{"kind":"rally","title":"Matrix rally","started_on":"2026-01-05","handling":"public"}|application/json|admin organizer documenter|201
list demands|GET|/orgs/ORG/demands?limit=2|||all|200
timeline|GET|/orgs/ORG/record/timeline|||all|200
suggested levels|GET|/orgs/ORG/record/suggestions|||admin organizer documenter|200
export the record|GET|/orgs/ORG/record/export?collection=incidents|||all|200
ROUTES
kill -TERM "$server"
wait "$server"
expect "verify after the matrix" 0 fs verify
finish
