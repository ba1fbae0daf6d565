#!/bin/sh
# t30 - the policy matrix, generated from the capability table ('fairshare policy
# --json'): every capability, every role, the own organization and another one,
# every handling level; the same operation through the CLI (--as an account of
# the role) and the API (its token) gives the same answer, the one the table
# says. Every route of doc/openapi.yaml and every collection must be walked
# (t30_matrix.py): a new route cannot escape it.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
fs init >/dev/null
fs org add --slug own --name "Own Union" --country KZ --currency KZT >/dev/null
fs org add --slug other --name "Other Union" --country KZ --currency KZT >/dev/null
for r in $(fs policy --json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["roles"]))'); do
	FAIRSHARE_PASSWORD="matrix-password-$r" fs --org own user add "m-$r" --role "$r" >/dev/null
	fs user token "m-$r" >"$T/m-$r"
done
start_server 30
python3 "$here/t30_matrix.py" "$FS_BIN" "$DB" "$B" "$T" "$here/../../doc/openapi.yaml" >"$T/matrix.out" 2>"$T/matrix.err"
rc=$?
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"SKIP "*) n=$((n + 1)); echo "ok $n - ${line#SKIP } # SKIP" ;;
	"FAIL "*) notok "${line#FAIL }" ;;
	esac
done <"$T/matrix.out"
same "the matrix ran to its end" "$rc" 0
[ "$rc" -eq 0 ] || { sed 's/^/#   /' "$T/matrix.err" | tail -n 20; kill -0 "$server" 2>/dev/null || {
	echo "#   the server is gone; the end of its error output:"; tail -n 30 "$T/serve.err" | sed 's/^/#   /'; }; }
same "it walked every role" "$(grep -c '^PASS .*: list people$' "$T/matrix.out")" "$(fs policy --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["roles"]))')"
kill -TERM "$server"
wait "$server"
expect "verify after the matrix" 0 fs verify
finish
