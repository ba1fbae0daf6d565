#!/bin/sh
# t31 - the route table and the users API: a known path with another method is a
# 405 naming the methods, a refused capability is a 403 naming it; accounts and
# roles are managed over the API by whoever holds users.manage in the
# organization (decided by the core), each change journaled, with the same core
# functions as `fairshare user`; a viewer, a treasurer and another organization's
# admin are refused; the last admin cannot take away their own admin role, and no
# one disables their own account.
. "$(dirname "$0")/lib.sh"

fs demo >/dev/null
FAIRSHARE_PASSWORD=oil-admin-password fs --org oil user add oiladmin --role admin >/dev/null
for u in admin organizer treasurer viewer oiladmin; do fs user token "$u" >"$T/token.$u"; done
start_server 31
J='Content-Type: application/json'
call() { # call USER METHOD PATH [BODY] -> status; body in $T/body
	if [ $# -ge 4 ]; then
		curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $(cat "$T/token.$1")" -H "$J" -d "$4" "$B$3"
	else
		curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $(cat "$T/token.$1")" "$B$3"
	fi
}
login() { # login USER PASSWORD JAR -> status
	curl -s -o "$T/body" -w '%{http_code}' -c "$3" -H "$J" -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$B/login"
}
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$T/body" "$1"; }
id_of() { fs user list --json | python3 -c "import json,sys; print([u['id'] for u in json.load(sys.stdin)['items'] if u['username']==sys.argv[1]][0])" "$1"; }

# ---- the route table
same "a known path with another method is 405" "$(call admin PUT /orgs/miners/watch)" 405
has "the 405 names the methods it answers" "$T/body" "answers GET"
same "POST on a read-only fund route is 405" "$(call admin POST /orgs/miners/funds/1/balances '{}')" 405
same "an unknown path is 404" "$(call admin GET /orgs/miners/no-such-thing)" 404
same "a known path with more after it is 404" "$(call admin GET /orgs/miners/watch/more)" 404
same "a known path with less is 404" "$(call admin GET /orgs/miners/record)" 404
same "the record has no such sub-resource" "$(call admin GET /orgs/miners/record/everything)" 404
same "without a login, 401 first" "$(curl -s -o /dev/null -w '%{http_code}' "$B/orgs/miners/users")" 401
same "a viewer's transfer is refused" "$(call viewer POST /orgs/miners/funds/1/transfers '[]')" 403
has "the 403 names the capability" "$T/body" "funds.transfer"

# ---- who may manage accounts
same "admin lists the accounts" "$(call admin GET /orgs/miners/users)" 200
same "the treasurer is listed with the role" "$(jget "[u['role'] for u in d['items'] if u['username']=='treasurer'][0]")" treasurer
same "another organization's account is not listed" "$(jget "[u['username'] for u in d['items'] if u['username']=='oiladmin']")" "[]"
same "admin's roles where the admin manages" "$(jget "sorted(r['org'] for u in d['items'] if u['username']=='admin' for r in u['roles'])")" "['miners', 'oil']"
for u in viewer treasurer organizer; do
	same "$u cannot list accounts" "$(call $u GET /orgs/miners/users)" 403
	has "$u is told the capability" "$T/body" "users.manage"
	same "$u cannot create an account" "$(call $u POST /orgs/miners/users '{"username":"sneaky","role":"admin"}')" 403
done
viewer_id=$(id_of viewer)
same "the viewer cannot make itself admin" "$(call viewer PATCH /orgs/miners/users/$viewer_id '{"role":"admin"}')" 403
same "another organization's admin: no such organization" "$(call oiladmin GET /orgs/miners/users)" 404
same "another organization's admin cannot grant there" "$(call oiladmin PATCH /orgs/miners/users/$viewer_id '{"role":"admin"}')" 404
same "in its own organization, another's account does not exist" "$(call oiladmin GET /orgs/oil/users/$viewer_id)" 404
same "nor can it change it there" "$(call oiladmin PATCH /orgs/oil/users/$viewer_id '{"disabled":true}')" 404
admin_id=$(id_of admin)
same "the oil admin sees the admin (admin in oil too)" "$(call oiladmin GET /orgs/oil/users/$admin_id)" 200
same "but sees only oil's role of it" "$(jget "[r['org'] for r in d['roles']]")" "['oil']"
same "and cannot disable an account that works in miners too" "$(call oiladmin PATCH /orgs/oil/users/$admin_id '{"disabled":true}')" 403
same "nor set its password" "$(call oiladmin PATCH /orgs/oil/users/$admin_id '{"password":"taken-over-12"}')" 403
same "after which the admin still logs in" "$(login admin fairshare-demo "$T/a.jar")" 200

# ---- create, with an initial password or a given one
same "create with a role and no password" "$(call admin POST /orgs/miners/users '{"username":"kasa","role":"treasurer"}')" 201
kasa_id=$(jget "d['id']")
pw=$(jget "d['initial_password']")
same "the initial password is 20 characters" "${#pw}" 20
same "the new account has the role" "$(jget "d['role']")" treasurer
same "the new account logs in with it" "$(login kasa "$pw" "$T/k.jar")" 200
same "its /me says treasurer in miners" "$(curl -s -b "$T/k.jar" "$B/me" | python3 -c "import json,sys; print([o['role'] for o in json.load(sys.stdin)['orgs']])")" "['treasurer']"
same "the initial password is not shown again" "$(call admin GET /orgs/miners/users/$kasa_id; jget "'initial_password' in d")" "200False"
same "create with a password" "$(call admin POST /orgs/miners/users '{"username":"belge","password":"belge-password-1","role":"documenter"}')" 201
hasnot "no initial password then" "$T/body" "initial_password"
same "login with the given password" "$(login belge belge-password-1 "$T/b.jar")" 200
same "the same name twice" "$(call admin POST /orgs/miners/users '{"username":"kasa"}')" 409
same "a short password" "$(call admin POST /orgs/miners/users '{"username":"short","password":"abc"}')" 422
same "an unknown role" "$(call admin POST /orgs/miners/users '{"username":"odd","role":"boss"}')" 422
has "says what roles are" "$T/body" "admin, organizer, treasurer, documenter"
same "an unknown field" "$(call admin POST /orgs/miners/users '{"username":"x1","is_admin":true}')" 400
has "names the field" "$T/body" "is_admin"
same "a number for a name" "$(call admin POST /orgs/miners/users '{"username":5}')" 400
same "no account made by the refused requests" "$(fs user list | grep -c -E '^(short|odd|x1|sneaky) ')" 0

# ---- change the role, disable, enable, password, revoke
same "change the role" "$(call admin PATCH /orgs/miners/users/$kasa_id '{"role":"viewer"}')" 200
same "the role is changed" "$(jget "d['role']")" viewer
same "the session sees the new role at once" "$(curl -s -b "$T/k.jar" "$B/me" | python3 -c "import json,sys; print([o['role'] for o in json.load(sys.stdin)['orgs']])")" "['viewer']"
same "nothing to change" "$(call admin PATCH /orgs/miners/users/$kasa_id '{}')" 422
same "disable" "$(call admin PATCH /orgs/miners/users/$kasa_id '{"disabled":true}')" 200
same "listed as disabled" "$(jget "d['disabled']")" True
same "the session ended" "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/k.jar" "$B/me")" 401
same "a disabled account cannot log in" "$(login kasa "$pw" "$T/k2.jar")" 401
same "enable" "$(call admin PATCH /orgs/miners/users/$kasa_id '{"disabled":false}')" 200
same "logs in again" "$(login kasa "$pw" "$T/k.jar")" 200
same "a new password" "$(call admin PATCH /orgs/miners/users/$kasa_id '{"password":"kasa-new-password"}')" 200
same "the old session ended" "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/k.jar" "$B/me")" 401
same "the old password is refused" "$(login kasa "$pw" "$T/k.jar")" 401
same "the new one works" "$(login kasa kasa-new-password "$T/k.jar")" 200
same "revoke the role" "$(call admin DELETE /orgs/miners/users/$kasa_id)" 200
same "no role here now" "$(jget "d['role']")" None
same "its session sees no organization" "$(curl -s -b "$T/k.jar" "$B/me" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['orgs']))")" 0
same "nor miners' records" "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/k.jar" "$B/orgs/miners/people")" 404
same "an account without roles is still listed (to grant again)" "$(call admin GET /orgs/miners/users; jget "[u['role'] for u in d['items'] if u['username']=='kasa']")" "200[None]"
same "a bad id" "$(call admin PATCH /orgs/miners/users/abc '{"role":"viewer"}')" 404
same "an id of no account" "$(call admin PATCH /orgs/miners/users/9999 '{"role":"viewer"}')" 404

# ---- no lockout
same "the only admin cannot demote themselves" "$(call admin PATCH /orgs/miners/users/$admin_id '{"role":"viewer"}')" 409
has "says why" "$T/body" "last admin of 'miners'"
same "nor revoke their own role" "$(call admin DELETE /orgs/miners/users/$admin_id)" 409
same "nor disable their own account" "$(call admin PATCH /orgs/miners/users/$admin_id '{"disabled":true}')" 409
has "says so" "$T/body" "your own account"
same "still admin" "$(call admin GET /orgs/miners/users/$admin_id; jget "d['role']")" "200admin"
belge_id=$(id_of belge)
same "make another admin" "$(call admin PATCH /orgs/miners/users/$belge_id '{"role":"admin"}')" 200
same "now the admin may step down" "$(call admin PATCH /orgs/miners/users/$admin_id '{"role":"organizer"}')" 200
same "and lost users.manage at once" "$(call admin GET /orgs/miners/users)" 403
fs user token belge >"$T/token.belge"
same "the new last admin cannot step down" "$(call belge DELETE /orgs/miners/users/$belge_id)" 409
same "the new admin restores the old one" "$(call belge PATCH /orgs/miners/users/$admin_id '{"role":"admin"}')" 200
same "but not disable it: it works in oil too" "$(call belge PATCH /orgs/miners/users/$admin_id '{"disabled":true}')" 403
has "says why" "$T/body" "another organization"
expect "the operator disables the admin (CLI)" 0 fs user disable admin
same "now the last enabled admin cannot step down" "$(call belge PATCH /orgs/miners/users/$belge_id '{"role":"viewer"}')" 409
expect "the operator enables the admin again" 0 fs user enable admin
fs user token admin >"$T/token.admin"
same "belge makes kasa admin" "$(call belge PATCH /orgs/miners/users/$kasa_id '{"role":"admin"}')" 200
same "and may disable kasa (it works here only; two admins stay)" "$(call belge PATCH /orgs/miners/users/$kasa_id '{"disabled":true,"role":"viewer"}')" 200
same "both changes made" "$(jget "(d['role'], d['disabled'])")" "('viewer', True)"
same "a change refused changes nothing" "$(call belge PATCH /orgs/miners/users/$belge_id '{"disabled":true,"role":"viewer"}')" 409
same "belge is still admin" "$(call belge GET /orgs/miners/users/$belge_id; jget "(d['role'], d['disabled'])")" "200('admin', False)"

# ---- sessions need the CSRF header for these writes too
same "belge logs in" "$(login belge belge-password-1 "$T/b.jar")" 200
same "a session's change without the CSRF header" "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/b.jar" -X PATCH -H "$J" -d '{"role":"viewer"}' "$B/orgs/miners/users/$viewer_id")" 403

# ---- journaled, with who did it; the CLI uses the same core functions
expect "the journal" 0 fs log --entity role --json
has "role changes are journaled" "$T/out" '"entity": "role"'
has "with the acting account" "$T/out" "user:$admin_id"
has "and the second admin's" "$T/out" "user:$belge_id"
expect "users are journaled" 0 fs log --entity user --json
has "the new account" "$T/out" "kasa"
hasnot "never a password" "$T/out" "kasa-new-password"
hasnot "nor the initial one" "$T/out" "$pw"
expect "the operator (CLI) may demote the only oil admin besides admin" 0 fs --org oil user role oiladmin viewer
expect "the CLI refuses an unknown role" 65 fs --org miners user role kasa boss
has "with the core's words" "$T/err" "is not a role"
expect "the CLI grants" 0 fs --org miners user role kasa documenter
same "which the API sees" "$(call belge GET /orgs/miners/users/$kasa_id; jget "d['role']")" "200documenter"

# ---- the CLI's one option parser (src/cli/options.c): the same errors everywhere
expect "an unknown option" 64 fs --org miners export people --bogus
has "named, with the command" "$T/err" "unknown option --bogus for 'export people'"
expect "an unknown option with a value" 64 fs --org miners export incidents --bogus=3
has "named without its value" "$T/err" "unknown option --bogus for 'export incidents'"
expect "a value missing" 64 fs backup --seal-to
has "says which and what" "$T/err" "--seal-to needs a value (RECIPIENT) for 'backup'"
expect "an option twice" 64 fs key split --shares 3 --shares 4 --threshold 2
has "says so" "$T/err" "--shares given twice for 'key split'"
expect "not a number" 64 fs key split --shares abc --threshold 2
has "says what it is not" "$T/err" "--shares: 'abc' is not a positive whole number for 'key split'"
expect "a value to a flag" 64 fs --org miners record counts --public=yes
has "says it takes none" "$T/err" "--public takes no value for 'record counts'"
expect "one argument too many" 64 fs restore a b c --secret-key k
has "names it" "$T/err" "unexpected argument 'c' for 'restore'"
expect "a short option" 64 fs backup -x
has "is not taken for a file" "$T/err" "unknown option -x"
expect "options in any order, --name=value" 0 fs --org miners export incidents --public --format=json --output "$T/inc.json"
has "the export was written" "$T/inc.json" '['
expect "record counts with options" 0 fs --org miners record counts --public --by region
expect "a bad format" 64 fs --org miners export incidents --format xml
has "says the choices" "$T/err" "--format is csv or json"

kill -TERM "$server"
wait "$server" 2>/dev/null
finish
