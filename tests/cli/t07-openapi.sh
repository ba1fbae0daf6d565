#!/bin/sh
# t07 - the API matches doc/openapi.yaml (both ways), and the document is served.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
fs demo >/dev/null
token=$(fs user token admin)
start_server 13
curl -s "http://127.0.0.1:$port/api/v1/openapi.yaml" >"$T/served.yaml"
if cmp -s "$T/served.yaml" "$here/doc/openapi.yaml"; then ok "the served document is doc/openapi.yaml"; else notok "the served document is doc/openapi.yaml"; fi
node "$here/tests/browser/openapi.test.mjs" "http://127.0.0.1:$port" "$token" "$here" >"$T/tap" 2>&1
rc=$?
kill -TERM "$server"
wait "$server"
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok "openapi: ${line#ok * - }" ;;
	"not ok "*) notok "openapi: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/tap"
same "contract test exited 0" "$rc" 0
finish
