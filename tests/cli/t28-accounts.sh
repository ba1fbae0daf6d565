#!/bin/sh
# t28 - accounts hold what they promise: a password change or a disabled account
# ends every session at once; API tokens are named, listed, revoked and journaled,
# and a disabled account's tokens stay dead when it is enabled again; a session or
# token row written into the database without the key file lets nobody in; login
# throttling counts exactly, even for 30 attempts at once.
. "$(dirname "$0")/lib.sh"

fs demo >/dev/null
start_server 0
J='Content-Type: application/json'
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
login() { # login USER JAR [PASSWORD] -> HTTP status
	curl -s -o "$T/body" -w '%{http_code}' -c "$2" -H "$J" \
		-d "{\"username\":\"$1\",\"password\":\"${3:-fairshare-demo}\"}" "$B/login"
}

# --- a password change ends the sessions
same "treasurer logs in" "$(login treasurer "$T/t.jar")" 200
same "the session works" "$(code -b "$T/t.jar" "$B/me")" 200
FAIRSHARE_PASSWORD=a-new-password-1 expect "passwd" 0 fs user passwd treasurer
same "the old session is over after passwd" "$(code -b "$T/t.jar" "$B/me")" 401
same "the old password is refused" "$(login treasurer "$T/t2.jar")" 401
same "the new password works" "$(login treasurer "$T/t2.jar" a-new-password-1)" 200
same "the new session works" "$(code -b "$T/t2.jar" "$B/me")" 200

# --- disable ends sessions and revokes tokens; enable brings none back
same "organizer logs in" "$(login organizer "$T/o.jar")" 200
expect "a named token" 0 fs user token organizer --label laptop
tok=$(cat "$T/out")
same "the token works" "$(code -H "Authorization: Bearer $tok" "$B/me")" 200
expect "the same name twice is refused" 65 fs user token organizer --label laptop
has "says why" "$T/err" "already has a token named 'laptop'"
expect "disable" 0 fs user disable organizer
same "session over after disable" "$(code -b "$T/o.jar" "$B/me")" 401
same "token refused while disabled" "$(code -H "Authorization: Bearer $tok" "$B/me")" 401
expect "enable" 0 fs user enable organizer
same "the old token stays revoked after enable" "$(code -H "Authorization: Bearer $tok" "$B/me")" 401
same "the old session stays over after enable" "$(code -b "$T/o.jar" "$B/me")" 401
expect "token list" 0 fs user token list organizer
hasnot "the revoked token is not listed" "$T/out" "laptop"

# --- named tokens: listed (never the secret), revoked one by one, journaled
expect "token a" 0 fs user token viewer --label script-a
ta=$(cat "$T/out")
expect "token b" 0 fs user token viewer --label script-b
tb=$(cat "$T/out")
expect "list the viewer's tokens" 0 fs user token list viewer
has "lists a" "$T/out" "script-a"
has "lists b" "$T/out" "script-b"
hasnot "never shows a token" "$T/out" "$ta"
expect "list as JSON" 0 fs --json user token list
has "JSON names the user" "$T/out" '"user": "viewer"'
expect "revoke a" 0 fs user token revoke viewer script-a
same "a is refused" "$(code -H "Authorization: Bearer $ta" "$B/me")" 401
same "b still works" "$(code -H "Authorization: Bearer $tb" "$B/me")" 200
expect "revoke a again" 66 fs user token revoke viewer script-a
has "names what is missing" "$T/err" "no token named 'script-a'"
expect "revoke for an unknown user" 66 fs user token revoke nobody script-b
expect "a control character in a name" 65 fs user token viewer --label "$(printf 'a\nb')"
expect "the journal" 0 fs log --entity user
has "creation journaled" "$T/out" "token  user"
expect "journal as JSON" 0 fs --json log --entity user
has "revocation journaled with the name" "$T/out" 'revoked'
hasnot "no token secret in the journal" "$T/out" "$tb"
expect "verify after token work" 0 fs verify

# --- rows written with the database alone let nobody in
fake=fs_$(printf '%064d' 7)
# (the hashes a fairshare without the key would write: plain and keyed by a
# constant; the rows go in through sqlite3 or psql, behind fairshare's back)
set -- $(python3 - "$fake" <<'EOF'
import hashlib, sys
tok, sess = sys.argv[1], "9" * 64
for s in (tok, sess):
    print(hashlib.blake2b(s.encode(), digest_size=32, key=b"fs-token").hexdigest())
    print(hashlib.blake2b(s.encode(), digest_size=32).hexdigest())
EOF
)
blob() { if on_pg; then echo "decode('$1', 'hex')"; else echo "X'$1'"; fi; }
db_sql "$DB" "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (1, 'forged', $(blob "$1"), '2026-01-01T00:00:00Z');
INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (1, 'forged2', $(blob "$2"), '2026-01-01T00:00:00Z');
INSERT INTO sessions (user_id, token_hash, csrf, expires_at) VALUES (1, $(blob "$3"), 'x', '2099-01-01T00:00:00Z');
INSERT INTO sessions (user_id, token_hash, csrf, expires_at) VALUES (1, $(blob "$4"), 'x', '2099-01-01T00:00:00Z')" &&
	ok "four rows forged without the key" || notok "four rows forged without the key"
same "a token row forged without the key is refused" "$(code -H "Authorization: Bearer $fake" "$B/me")" 401
same "a session row forged without the key is refused" "$(code -b "fs_session=$(printf '9%.0s' $(seq 1 64))" "$B/me")" 401

# --- throttling counts exactly: 30 wrong passwords at once record 5 failures
pids=""
for i in $(seq 1 30); do
	curl -s -o /dev/null -w '%{http_code}\n' -H "$J" -d '{"username":"documenter","password":"wrong-password-x"}' "$B/login" >>"$T/codes" &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
same "30 answers" "$(wc -l <"$T/codes" | tr -d ' ')" 30
same "every answer is 401 or 429" "$(grep -cvE '^(401|429)$' "$T/codes")" 0
same "exactly 5 failures recorded" "$(db_sql "$DB" "SELECT count(*) FROM login_attempts WHERE username = 'documenter' AND ok = 0")" 5
same "then even the right password waits" "$(login documenter "$T/d.jar")" 429
expect "disable the viewer" 0 fs user disable viewer
same "disabled: the right password is refused" "$(login viewer "$T/v.jar")" 401
has "with the same message" "$T/body" "wrong user name or password"

# --- /me says what each user may do, from the core's capability table
FAIRSHARE_PASSWORD=viewer-two-password fs --org miners user add viewer2 --role viewer >/dev/null
tv=$(fs user token viewer2 --label caps)
code -H "Authorization: Bearer $tv" "$B/me" >/dev/null
has "the viewer reads the register" "$T/body" '"register.read"'
hasnot "the viewer writes nothing" "$T/body" '.write"'
hasnot "the viewer approves nothing" "$T/body" '"funds.approve"'
tt=$(fs user token treasurer --label caps)
code -H "Authorization: Bearer $tt" "$B/me" >/dev/null
has "the treasurer approves payouts" "$T/body" '"funds.approve"'
hasnot "the treasurer does not reveal sealed fields" "$T/body" '"people.reveal"'

# --- ownership: a membership names only its own organization
expect "a membership naming another organization (CLI)" 65 fs --org miners membership add --person-id 1 --organization-id 2
has "answered as if it did not exist" "$T/err" "there is no organization with id 2"
expect "its own organization" 0 fs --org miners membership add --person-id 1 --organization-id 1
adm=$(fs user token admin)
same "a membership naming another organization (API)" \
	"$(code -H "Authorization: Bearer $adm" -H "$J" -d '{"person_id":1,"organization_id":2}' "$B/orgs/miners/memberships")" 422
has "the API says the same" "$T/body" "there is no organization with id 2"
same "an organization that does not exist answers the same" \
	"$(code -H "Authorization: Bearer $adm" -H "$J" -d '{"person_id":1,"organization_id":999}' "$B/orgs/miners/memberships")" 422
has "the same words" "$T/body" "there is no organization with id 999"

# --- init on a new database whatever $FAIRSHARE_ORG says (it has no organization yet)
db_new fresh
expect "init with FAIRSHARE_ORG set" 0 env FAIRSHARE_ORG=miners "$FS_BIN" --db "$DB" init
db_main

kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
finish
