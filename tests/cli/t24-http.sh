#!/bin/sh
# t24-http - the server's guards of issue 19: a wrong CSRF token of the right
# length, an expired session, logout, a disabled account (no login, no session,
# no token, not even once enabled again), an API token sent as a cookie, a role
# in one organization and not in another.
. "$(dirname "$0")/lib.sh"
# flat FILE: the JSON of FILE on one line, without spaces
flat() { tr -d ' \n' <"$1"; }

fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=mm
fs org add --slug other --name "Other" --country TR --currency TRY >/dev/null

# ---- the server: sessions, CSRF, tokens ----
export FAIRSHARE_PASSWORD=admin-password
fs user add boss --role admin >/dev/null
fs user add clerk --role viewer >/dev/null
unset FAIRSHARE_PASSWORD
start_server 24 || notok "the server starts"
J='Content-Type: application/json'
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
login() { # login USER JAR -> the CSRF token
	curl -s -c "$2" -H "$J" -d "{\"username\":\"$1\",\"password\":\"admin-password\"}" "$B/login" | grep -o '"csrf":"[0-9a-f]*"' | cut -d'"' -f4
}
csrf=$(login boss "$T/boss.jar")
same "logged in" "${#csrf}" 64
wrong=$(printf '%s' "$csrf" | tr '0-9a-f' '1-9a-f0')
same "a wrong token of the right length is refused" "$(code -b "$T/boss.jar" -H "$J" -H "X-CSRF-Token: $wrong" -d '{"full_name":"X Y"}' "$B/orgs/mm/people")" 403
has "as a CSRF failure" "$T/body" '"code":"csrf"'
same "a short token is refused" "$(code -b "$T/boss.jar" -H "$J" -H "X-CSRF-Token: ${csrf%?}" -d '{"full_name":"X Y"}' "$B/orgs/mm/people")" 403
same "the right token is accepted" "$(code -b "$T/boss.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":"X Y"}' "$B/orgs/mm/people")" 201
# an expired session
same "the session works" "$(code -b "$T/boss.jar" "$B/me")" 200
db_sql "$DB" "UPDATE sessions SET expires_at = '2020-01-01T00:00:00Z'"
same "an expired session gets 401" "$(code -b "$T/boss.jar" "$B/me")" 401
has "unauthorized" "$T/body" '"code":"unauthorized"'
# logout ends the session
csrf=$(login boss "$T/boss.jar")
same "logout" "$(code -b "$T/boss.jar" -H "X-CSRF-Token: $csrf" -X POST "$B/logout")" 200
same "a logged-out session gets 401" "$(code -b "$T/boss.jar" "$B/me")" 401
# a disabled account: no login, no session, no token, not even after it is enabled again
ccsrf=$(login clerk "$T/clerk.jar")
token=$(fs user token clerk)
same "the clerk's token works" "$(code -H "Authorization: Bearer $token" "$B/orgs/mm/people?limit=1")" 200
same "a token sent as a session cookie is no session" "$(code -b "fs_session=$token" -H "$J" -d '{"full_name":"Cookie"}' "$B/orgs/mm/people")" 401
fs user disable clerk >/dev/null
same "a disabled user's token gets 401" "$(code -H "Authorization: Bearer $token" "$B/orgs/mm/people?limit=1")" 401
same "a disabled user cannot log in" "$(code -H "$J" -d '{"username":"clerk","password":"admin-password"}' "$B/login")" 401
fs user enable clerk >/dev/null
same "enabled again, the old session stays ended" "$(code -b "$T/clerk.jar" "$B/me")" 401
same "and a new login works" "$(code -c "$T/clerk2.jar" -H "$J" -d '{"username":"clerk","password":"admin-password"}' "$B/login")" 200
same "the new session works" "$(code -b "$T/clerk2.jar" "$B/me")" 200
# an account marked disabled by another path than 'user disable' (which also ends the sessions)
db_sql "$DB" "UPDATE users SET disabled = 1 WHERE username = 'clerk'"
same "a disabled account's remaining session gets 401" "$(code -b "$T/clerk2.jar" "$B/me")" 401
# a role in one organization is no role in another
FAIRSHARE_PASSWORD=admin-password fs --org other user add otherclerk --role organizer >/dev/null
otoken=$(fs user token otherclerk)
same "an organizer of another organization sees nothing here" "$(code -H "Authorization: Bearer $otoken" "$B/orgs/mm/people?limit=1")" 404
same "but sees their own" "$(code -H "Authorization: Bearer $otoken" "$B/orgs/other/people?limit=1")" 200
kill -TERM "$server"
wait "$server"
finish
