#!/bin/sh
# t49b - API tokens through the web (tests/browser/tokens.test.mjs): "My tokens"
# for every account, an account's tokens from the admin's users screen; the
# secret shown once with a copy button and a warning, revoked after a
# confirmation and refused at once; English, Turkish and Kazakh at 360 and
# 1280 px; axe-core on the view. Screenshots in tests/out/screenshots-tokens.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
start_server 49
W=http://127.0.0.1:$port/
mkdir -p "$here/out/screenshots-tokens"
node "$here/browser/tokens.test.mjs" "$W" "$here/out/screenshots-tokens" >"$T/tokens.tap" 2>&1
rc=$?
kill -TERM "$server"
wait "$server"
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok "tokens: ${line#ok * - }" ;;
	"not ok "*) notok "tokens: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/tokens.tap"
same "the browser run exited 0" "$rc" 0
expect "the journal holds after the web's tokens" 0 fs verify
finish
