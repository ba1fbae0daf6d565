#!/bin/sh
# t49 - API tokens through the API (#10, #14): an account's tokens are listed
# (names and dates, never a secret or its hash), made (the secret answered once)
# and revoked (refused at once) at /orgs/{org}/users/{id}/tokens; every account
# its own, an admin (users.manage) those of its organization's accounts, decided
# in the core for the API and the CLI alike; journaled with the same actor from
# both; the secret is never in a list, the journal, the server's log, 'fairshare
# log' or the database. The web's part: t49b-web-tokens.sh.
. "$(dirname "$0")/lib.sh"
fs demo >/dev/null
fs org add --slug far --name "Far Union" --country KZ --currency KZT >/dev/null
FAIRSHARE_PASSWORD=far-password-1 fs --org oil user add oiler --role viewer >/dev/null
FAIRSHARE_PASSWORD=far-password-1 fs --org far user add faradmin --role admin >/dev/null
id_of() { fs --json user list | python3 -c 'import json,sys; print([u["id"] for u in json.load(sys.stdin)["items"] if u["username"] == sys.argv[1]][0])' "$1"; }
ADMIN=$(id_of admin)
VIEWER=$(id_of viewer)
OILER=$(id_of oiler)
FARADMIN=$(id_of faradmin)
FAIRSHARE_PASSWORD=far-password-1 fs --org far user add both --role viewer >/dev/null
fs --org miners user role both viewer >/dev/null
BOTH=$(id_of both)
atok=$(fs user token admin --label setup)
start_server 49
# api METHOD PATH TOKEN [BODY] -> status; the answer in $T/a.json
api() {
	curl -s -o "$T/a.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" \
		${4:+-H 'Content-Type: application/json' -d "$4"} "$B$2"
}
j() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/a.json" "$1"; }
U=/orgs/miners/users

# ---- the admin's own token, made in the API ----
same "the admin makes a named token (201)" "$(api POST "$U/$ADMIN/tokens" "$atok" '{"name":"script api"}')" 201
new=$(j 'd["token"]')
new_id=$(j 'd["id"]')
cp "$T/a.json" "$T/made.json"
case $new in fs_????????????????????????????????????????????????????????????????) ok "the secret is fs_ and 64 hex digits" ;; *) notok "the secret is fs_ and 64 hex digits: '$new'" ;; esac
same "the answer names the token" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["name"], d["user"], d["user_id"], bool(d["created_at"]))' "$T/made.json")" "script api admin $ADMIN True"
same "the token works against the API" "$(api GET /me "$new")" 200
same "... as the admin" "$(j 'd["user_id"]')" "$ADMIN"
same "... in an organization" "$(api GET /orgs/miners/people?limit=1 "$new")" 200
same "the list answers 200" "$(api GET "$U/$ADMIN/tokens" "$atok")" 200
cp "$T/a.json" "$T/list.json"
same "the list has both tokens, by id" "$(j '[t["name"] for t in d["items"]]')" "['setup', 'script api']"
same "a list entry holds names and dates only" "$(j 'sorted(d["items"][1])')" "['created_at', 'id', 'name', 'user', 'user_id']"
hasnot "the secret is not in the list" "$T/list.json" "$new"
hasnot "the first secret is not in the list" "$T/list.json" "$atok"
hasnot "no hash in the list" "$T/list.json" "hash"
same "the same name twice is refused (409)" "$(api POST "$U/$ADMIN/tokens" "$atok" '{"name":"script api"}')" 409
same "a name is needed (400)" "$(api POST "$U/$ADMIN/tokens" "$atok" '{}')" 400
same "an empty name is refused (422)" "$(api POST "$U/$ADMIN/tokens" "$atok" '{"name":""}')" 422
same "... saying which field" "$(j 'd["error"]["field"]')" name
same "an unknown field is refused (400)" "$(api POST "$U/$ADMIN/tokens" "$atok" '{"name":"x","secret":"y"}')" 400

# ---- CLI and API agree ----
expect "the CLI lists the token made in the API" 0 fs user token list admin
has "... by its name" "$T/out" "script api"
hasnot "... without its secret" "$T/out" "$new"
expect "a token made in the CLI" 0 fs --org miners --as admin user token admin --label "cli made"
cli_tok=$(cat "$T/out")
same "the API lists the token made in the CLI" "$(api GET "$U/$ADMIN/tokens" "$atok")" 200
same "... by its name" "$(j '[t["name"] for t in d["items"]][-1]')" "cli made"
cli_id=$(j 'd["items"][-1]["id"]')
same "the API revokes the CLI's token" "$(api DELETE "$U/$ADMIN/tokens/$cli_id" "$atok")" 200
expect "the CLI no longer lists it" 0 fs user token list admin
hasnot "... (gone)" "$T/out" "cli made"
same "... and it is refused" "$(api GET /me "$cli_tok")" 401

# ---- revoked: refused at once, on every worker thread ----
for i in 1 2 3 4 5 6 7 8; do api GET /me "$new" >/dev/null; done
same "the admin revokes its API token" "$(api DELETE "$U/$ADMIN/tokens/$new_id" "$atok")" 200
same "... answered as revoked" "$(j 'd["revoked"]')" True
bad=0
for i in 1 2 3 4 5 6 7 8; do [ "$(api GET /me "$new")" = 401 ] || bad=$((bad + 1)); done
same "the revoked token is refused at once (8 requests)" "$bad" 0
same "revoking it again: 404" "$(api DELETE "$U/$ADMIN/tokens/$new_id" "$atok")" 404
same "an unknown token: 404" "$(api DELETE "$U/$ADMIN/tokens/999999" "$atok")" 404
same "a token id that is no number: 404" "$(api DELETE "$U/$ADMIN/tokens/abc" "$atok")" 404

# ---- the viewer: its own tokens (session, with CSRF), nobody else's ----
same "the viewer logs in" "$(curl -s -o "$T/login.json" -w '%{http_code}' -c "$T/v.jar" -H 'Content-Type: application/json' \
	-d '{"username":"viewer","password":"fairshare-demo"}' "$B/login")" 200
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$T/login.json")
vcurl() { curl -s -o "$T/a.json" -w '%{http_code}' -b "$T/v.jar" "$@"; }
same "a session's token without the CSRF header is refused (403)" \
	"$(vcurl -X POST -H 'Content-Type: application/json' -d '{"name":"mine"}' "$B$U/$VIEWER/tokens")" 403
same "... as csrf" "$(j 'd["error"]["code"]')" csrf
same "with it, the viewer makes its own token (201)" \
	"$(vcurl -X POST -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"name":"mine"}' "$B$U/$VIEWER/tokens")" 201
vtok=$(j 'd["token"]')
vtok_id=$(j 'd["id"]')
same "the viewer's token acts as the viewer" "$(api GET /me "$vtok")" 200
same "... (its id)" "$(j 'd["user_id"]')" "$VIEWER"
same "... and cannot write" "$(api POST /orgs/miners/people "$vtok" '{"full_name":"Nobody"}')" 403
same "the viewer lists its own tokens" "$(api GET "$U/$VIEWER/tokens" "$vtok")" 200
same "... mine" "$(j '[t["name"] for t in d["items"]]')" "['mine']"
# A viewer asking for an admin's tokens: 403, as every /orgs/{org}/users route
# answers an account without users.manage (the admin is of this organization,
# and the route's existence is no secret); another organization's account: 404.
same "the viewer cannot list the admin's tokens (403)" "$(api GET "$U/$ADMIN/tokens" "$vtok")" 403
hasnot "... and sees none of them" "$T/a.json" "setup"
same "... nor make one for the admin (403)" "$(api POST "$U/$ADMIN/tokens" "$vtok" '{"name":"stolen"}')" 403
atok_id=$(fs --json user token list admin | python3 -c 'import json,sys; print([t["id"] for t in json.load(sys.stdin)["items"] if t["name"] == "setup"][0])')
same "... nor revoke the admin's (403)" "$(api DELETE "$U/$ADMIN/tokens/$atok_id" "$vtok")" 403
same "... the admin's token still works" "$(api GET /me "$atok")" 200
expect "the CLI refuses the viewer the admin's tokens too" 77 fs --org miners --as viewer user token list admin
expect "... and making one for the admin" 77 fs --org miners --as viewer user token admin --label stolen
expect "... and revoking one" 77 fs --org miners --as viewer user token revoke admin setup
expect "the viewer's CLI lists its own" 0 fs --org miners --as viewer user token list viewer
has "... the one made in the API" "$T/out" "mine"
expect "the viewer's CLI list without a name: its own only" 0 fs --org miners --as viewer --json user token list
same "... (no admin's)" "$(python3 -c 'import json,sys; print(sorted({t["user"] for t in json.load(open(sys.argv[1]))["items"]}))' "$T/out")" "['viewer']"
expect "the viewer revokes its own in the CLI" 0 fs --org miners --as viewer user token revoke viewer mine
same "... and the API refuses it at once" "$(api GET /me "$vtok")" 401

# ---- the admin and the viewer's tokens; another organization's accounts ----
same "the admin makes a token for the viewer" "$(api POST "$U/$VIEWER/tokens" "$atok" '{"name":"by admin"}')" 201
v2=$(j 'd["token"]')
v2_id=$(j 'd["id"]')
same "... which acts as the viewer" "$(api GET /me "$v2")" 200
same "... (its id)" "$(j 'd["user_id"]')" "$VIEWER"
same "the admin lists the viewer's tokens" "$(api GET "$U/$VIEWER/tokens" "$atok")" 200
same "... by admin" "$(j '[t["name"] for t in d["items"]]')" "['by admin']"
same "the viewer's token under the admin's path: 404" "$(api DELETE "$U/$ADMIN/tokens/$v2_id" "$atok")" 404
same "... it still works" "$(api GET /me "$v2")" 200
expect "an oil account's token" 0 fs user token oiler --label oil
oil_id=$(fs --json user token list oiler | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
same "another organization's account (oil) under miners: 404" "$(api GET "$U/$OILER/tokens" "$atok")" 404
same "... making one: 404" "$(api POST "$U/$OILER/tokens" "$atok" '{"name":"x"}')" 404
same "... revoking its token: 404" "$(api DELETE "$U/$OILER/tokens/$oil_id" "$atok")" 404
same "an organization the admin holds no role in: 404" "$(api GET "/orgs/far/users/$FARADMIN/tokens" "$atok")" 404
same "an unknown account: 404" "$(api GET "$U/999999/tokens" "$atok")" 404
# an account of miners that works in far too: the admin of miners sees and
# revokes its tokens, but makes none for it (as it sets no password for it)
expect "a token of an account of two organizations" 0 fs user token both --label two
same "the admin lists its tokens" "$(api GET "$U/$BOTH/tokens" "$atok")" 200
both_id=$(j 'd["items"][0]["id"]')
same "... but makes none for it (403)" "$(api POST "$U/$BOTH/tokens" "$atok" '{"name":"x"}')" 403
expect "... nor in the CLI" 77 fs --org miners --as admin user token both --label y
same "... and revokes its token" "$(api DELETE "$U/$BOTH/tokens/$both_id" "$atok")" 200
expect "the CLI: another organization's account is not found either" 66 fs --org miners --as admin user token list oiler
expect "the oil token was not revoked" 0 fs user token list oiler
has "... (still listed)" "$T/out" "oil"

# ---- journaled, with the same actor from both front ends; the secret nowhere ----
expect "the journal" 0 fs --json log --limit 40
cp "$T/out" "$T/log.json"
same "made and revoked in the API: journaled as user:$ADMIN admin" \
	"$(python3 -c 'import json,sys
e=[x for x in json.load(open(sys.argv[1])) if x["action"] == "token" and x["after"]["name"] == "script api"]
print(sorted((x["after"]["token"], x["actor"]) for x in e))' "$T/log.json")" \
	"[('created', 'user:$ADMIN admin'), ('revoked', 'user:$ADMIN admin')]"
same "made in the CLI --as admin: the same actor" \
	"$(python3 -c 'import json,sys
e=[x for x in json.load(open(sys.argv[1])) if x["action"] == "token" and x["after"]["name"] == "cli made"]
print(sorted((x["after"]["token"], x["actor"]) for x in e))' "$T/log.json")" \
	"[('created', 'user:$ADMIN admin'), ('revoked', 'user:$ADMIN admin')]"
same "the viewer's own, from the API and the CLI: the viewer" \
	"$(python3 -c 'import json,sys
e=[x for x in json.load(open(sys.argv[1])) if x["action"] == "token" and x["after"]["name"] == "mine"]
print(sorted((x["after"]["token"], x["actor"], x["entity_id"]) for x in e))' "$T/log.json")" \
	"[('created', 'user:$VIEWER viewer', $VIEWER), ('revoked', 'user:$VIEWER viewer', $VIEWER)]"
fs log --limit 40 >"$T/log.txt" 2>&1
kill -TERM "$server"
wait "$server"
for s in "$atok" "$new" "$cli_tok" "$vtok" "$v2"; do
	for f in "$T/log.json" "$T/log.txt" "$T/serve.out" "$T/serve.err"; do
		grep -qF -- "$s" "$f" && { notok "a secret is in $(basename "$f")"; continue 2; }
	done
	grep -qaF -- "$s" "$DB" 2>/dev/null && { notok "a secret is in the database"; continue; }
	ok "the secret ${s%"${s#fs_????}"}... is in no log, journal or database"
done
has "the server log is not empty (it was read)" "$T/serve.out" "fairshare is serving"
expect "verify" 0 fs verify
finish
