#!/bin/sh
# t25 - fairshare deployed for real, on this machine (as root: CI runs on a
# throwaway machine; a debootstrap root would add minutes for no more truth):
# the .deb built with dpkg-buildpackage and linted; installed with apt as the
# "previous release" (the same build repacked as 0.0.9); a schema-14 database
# (tests/data) put in its place; the upgrade to 0.1.0 takes a verified backup
# before migrating; the service started as its unit starts it (the fairshare
# user, the unit's ExecStart and credentials); login over HTTPS with a test
# certificate; /ready and /metrics; the unit's exposure rated; a newer database
# refused; remove keeps the data, purge asks and deletes only when told.
. "$(dirname "$0")/lib.sh"
sqlite_only "the .deb and its service run on an SQLite file in /var/lib/fairshare"
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	ok "# SKIP not root: the package is installed on this machine"
	finish
	exit 0
fi
# one run at a time on a machine (several test runs may share it)
exec 9>/run/lock/fairshare-t25.lock
flock 9
if dpkg-query -W -f='${Status}' fairshare 2>/dev/null | grep -q "installed"; then
	ok "# SKIP a fairshare package is installed on this machine: not touching it"
	finish
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
DATA=/var/lib/fairshare
LIVE=$DATA/fairshare.db
KEY=/etc/fairshare/fairshare.key
UNIT=/lib/systemd/system/fairshare.service
as_fs() { runuser -u fairshare -- "$@"; }
# apt and dpkg wait for the package lock (the machine may be installing other things)
apt_() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
dpkg_() {
	local i rc
	for i in $(seq 1 300); do
		dpkg "$@" 2>"$T/dpkg.err"
		rc=$?
		grep -q "lock" "$T/dpkg.err" && [ "$rc" -eq 2 ] || break
		sleep 2
	done
	cat "$T/dpkg.err" >&2
	return $rc
}
cleanup() {
	[ -n "${server:-}" ] && kill "$server" 2>/dev/null
	if dpkg-query -W -f='${Status}' fairshare 2>/dev/null | grep -q "ok installed\|config-files\|half"; then
		echo "fairshare fairshare/purge-data boolean true" | debconf-set-selections
		apt_ purge -y -q fairshare >/dev/null 2>&1
	fi
}
trap cleanup EXIT

# ---- build and lint ----
mkdir -p "$T/src"
if git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$here" ls-files -z | (cd "$here" && tar --null -T - -cf -) | tar -xf - -C "$T/src"
else
	(cd "$here" && tar --exclude='./build*' --exclude=./.git --exclude=node_modules -cf - .) | tar -xf - -C "$T/src"
fi
(cd "$T/src" && dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
rc=$?
same "dpkg-buildpackage -us -uc -b" "$rc" 0
[ "$rc" -eq 0 ] || tail -n 20 "$T/build.log" | sed 's/^/#   /'
deb=$(ls "$T"/fairshare_*_amd64.deb "$T"/fairshare_*_arm64.deb 2>/dev/null | head -n 1)
[ -f "$deb" ] && ok "the package: $(basename "$deb")" || { notok "no .deb"; finish; exit 1; }
dpkg-deb -c "$deb" >"$T/contents"
for f in ./usr/bin/fairshare ./usr/share/man/man1/fairshare.1.gz ./usr/share/fairshare/web/index.html \
	./usr/share/fairshare/rules/tr.json ./usr/libexec/fairshare/fairshare-backup ./lib/systemd/system/fairshare.service \
	./lib/systemd/system/fairshare-backup.timer ./usr/share/doc/fairshare/deploy.md.gz ./etc/default/fairshare; do
	has "ships $f" "$T/contents" " $f"
done
lintian -I --fail-on error,warning,info "$deb" >"$T/lint" 2>&1
same "lintian: no errors, warnings or notes (each override explained)" "$?" 0
grep -E '^[EWI]:' "$T/lint" | sed 's/^/#   /'

# ---- make install, GNU style: the binary finds its web files under $(datadir) ----
make -C "$T/src" install PREFIX="$T/prefix" mandir="$T/prefix/man" INSTALL_BUILD="$T/build-install" >"$T/install.log" 2>&1
rc=$?
same "make install PREFIX=... mandir=..." "$rc" 0
[ "$rc" -eq 0 ] || tail -n 20 "$T/install.log" | sed 's/^/#   /'
for f in bin/fairshare man/man1/fairshare.1 share/fairshare/web/index.html share/fairshare/rules/kz.json libexec/fairshare/fairshare-backup; do
	[ -f "$T/prefix/$f" ] && ok "installed \$(prefix)/$f" || notok "installed \$(prefix)/$f"
done
# the installed rule files are the ones used: a lawyer's correction there takes effect
sed -i 's/"version": "KZ-[^"]*"/"version": "KZ-installed-copy"/' "$T/prefix/share/fairshare/rules/kz.json"
"$T/prefix/bin/fairshare" --json entitle --jurisdiction KZ --hired 2015-01-01 --terminated 2020-06-30 --reason resignation \
	--wage 293300 --unused-leave-days 1 --as-of 2020-07-01 >"$T/entitle.json" 2>&1
has "the installed binary reads \$(datadir)/fairshare/rules" "$T/entitle.json" '"KZ-installed-copy"'
"$FS_BIN" --json entitle --jurisdiction KZ --hired 2015-01-01 --terminated 2020-06-30 --reason resignation \
	--wage 293300 --unused-leave-days 1 --as-of 2020-07-01 >"$T/entitle.json" 2>&1
hasnot "a binary in its build folder keeps the source's rules" "$T/entitle.json" '"KZ-installed-copy"'
make -C "$T/src" install PREFIX=/usr DESTDIR="$T/stage" INSTALL_BUILD="$T/build-install" >"$T/install.log" 2>&1
[ -x "$T/stage/usr/bin/fairshare" ] && [ -f "$T/stage/usr/share/fairshare/web/js/main.js" ] && ok "make install DESTDIR=... PREFIX=/usr" ||
	notok "make install DESTDIR=... PREFIX=/usr"
"$T/prefix/bin/fairshare" --db "$T/web.db" init >/dev/null
iport=$(free_port)
"$T/prefix/bin/fairshare" --db "$T/web.db" serve --listen 127.0.0.1:$iport >/dev/null 2>&1 &
iserver=$!
for i in $(seq 1 100); do curl -s "http://127.0.0.1:$iport/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -s "http://127.0.0.1:$iport/js/main.js" >"$T/app.js"
cmp -s "$T/app.js" "$here/web/js/main.js" && ok "the installed binary serves the installed web files" || notok "the installed binary serves the installed web files"
kill $iserver
wait $iserver
rm -rf "$T/prefix/share/fairshare/web"
"$T/prefix/bin/fairshare" --db "$T/web.db" serve --listen 127.0.0.1:$iport >/dev/null 2>&1 &
iserver=$!
for i in $(seq 1 100); do curl -s "http://127.0.0.1:$iport/health" >/dev/null 2>&1 && break; sleep 0.1; done
same "and no others (not the source tree's)" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$iport/js/main.js")" "404"
kill $iserver
wait $iserver

# ---- the unit ----
dpkg-deb -x "$deb" "$T/root"
systemd-analyze security --offline=true "$T/root$UNIT" >"$T/sec" 2>&1
exposure=$(grep -o 'Overall exposure level for fairshare.service: [0-9.]*' "$T/sec" | grep -o '[0-9.]*$')
if [ -n "$exposure" ] && awk "BEGIN { exit !($exposure <= 2.0) }"; then ok "systemd-analyze security: exposure $exposure <= 2.0"; else
	notok "systemd-analyze security: exposure '$exposure' > 2.0"; grep '✗' "$T/sec" | sed 's/^/#   /'; fi
for d in User=fairshare StateDirectory=fairshare ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
	RestrictAddressFamilies=AF_INET SystemCallFilter=@system-service MemoryDenyWriteExecute=yes \
	LoadCredential=fairshare.key:/etc/fairshare/fairshare.key InaccessiblePaths=-/etc/fairshare/fairshare.key; do
	has "unit: $d" "$T/root$UNIT" "$d"
done
hasnot "no key in the unit's environment" "$T/root$UNIT" "FAIRSHARE_KEY"
hasnot "none in /etc/default either" "$T/root/etc/default/fairshare" "FAIRSHARE_KEY"
systemd-analyze security --offline=true "$T/root/lib/systemd/system/fairshare-backup.service" >"$T/sec2" 2>&1
has "the backup service is rated too" "$T/sec2" "Overall exposure level for fairshare-backup.service: 0."

# ---- the "previous release": the same build as 0.0.9 ----
dpkg-deb -R "$deb" "$T/old"
sed -i 's/^Version: .*/Version: 0.0.9/' "$T/old/DEBIAN/control"
dpkg-deb -b "$T/old" "$T/fairshare_0.0.9.deb" >/dev/null
expect "apt install ./fairshare_0.0.9.deb" 0 apt_ install -y -q "$T/fairshare_0.0.9.deb"
uid=$(id -u fairshare 2>/dev/null)
if [ -n "$uid" ] && [ "$uid" -lt 1000 ]; then ok "a fairshare system user ($uid)"; else notok "a fairshare system user (uid '$uid')"; fi
same "it cannot log in" "$(getent passwd fairshare | cut -d: -f7)" "/usr/sbin/nologin"
same "/var/lib/fairshare is 0700 and fairshare's" "$(stat -c '%a %U' $DATA)" "700 fairshare"
same "the key is apart, 0400" "$(stat -c '%a %U' $KEY)" "400 fairshare"
same "/etc/fairshare is root:fairshare 0750" "$(stat -c '%a %U:%G' /etc/fairshare)" "750 root:fairshare"
same "a new database" "$(as_fs fairshare --db $LIVE --key $KEY --json summary | grep -c '"entries"')" 1
if [ -e /etc/systemd/system/multi-user.target.wants/fairshare.service ] || [ -e /etc/systemd/system/timers.target.wants/fairshare-backup.timer ]; then
	notok "the service and the timer are installed disabled"; else ok "the service and the timer are installed disabled"; fi

# ---- a database of the previous schema in its place, then the upgrade ----
data=$here/tests/data
rm -rf "$LIVE" "$LIVE".*
{ cat "$data/schema14.sql"; echo "PRAGMA user_version = 14;"; } | sqlite3 "$LIVE"
mkdir -p "$LIVE.evidence/99"
printf 'a court file' >"$LIVE.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
install -o fairshare -g fairshare -m 0400 "$data/schema14.key.hex" $KEY
chown -R fairshare:fairshare "$DATA"
same "schema 14 in place" "$(sqlite3 $LIVE 'PRAGMA user_version')" 14
expect "apt install ./fairshare_0.1.0 (the upgrade)" 0 apt_ install -y -q "$deb"
has "postinst made a verified backup" "$T/out" "written and verified (ok: "
bk=$(ls $DATA/backups/fairshare-pre-upgrade-from-0.0.9-*.db 2>/dev/null | head -n 1)
[ -f "$bk" ] && ok "the backup: $(basename "$bk")" || notok "no pre-upgrade backup in $DATA/backups"
same "the backup is the database before the migration" "$(sqlite3 "$bk" 'PRAGMA user_version')" 14
same "with its evidence" "$(cat "$bk.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97")" "a court file"
same "the backup is the fairshare user's, 0600" "$(stat -c '%a %U' "$bk")" "600 fairshare"
"$FS_BIN" --db "$T/fresh-schema.db" init >/dev/null 2>&1
schema=$(sqlite3 "$T/fresh-schema.db" 'PRAGMA user_version')
same "then the database was migrated to this fairshare's schema" "$(sqlite3 $LIVE 'PRAGMA user_version')" "$schema"
expect "verify holds after the upgrade" 0 as_fs fairshare --db $LIVE --key $KEY verify
expect "the evidence holds" 0 as_fs fairshare --db $LIVE --key $KEY evidence verify
cp "$bk" "$T/rollback.db"
cp -R "$bk.evidence" "$T/rollback.db.evidence"
expect "the backup still verifies on its own (rollback point)" 0 fairshare --db "$T/rollback.db" --key $KEY verify
same "the files stay the fairshare user's" "$(find $DATA ! -user fairshare | wc -l)" 0

# ---- serve as the unit does ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=fairshare.test" \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$T/tls.key" -out "$T/tls.crt" 2>/dev/null
install -o root -g fairshare -m 0640 "$T/tls.crt" /etc/fairshare/tls.crt
install -o root -g fairshare -m 0640 "$T/tls.key" /etc/fairshare/tls.key
FAIRSHARE_PASSWORD=organizers-only-42 as_fs env FAIRSHARE_PASSWORD=organizers-only-42 fairshare --db $LIVE --key $KEY user add admin >/dev/null
port=$(free_port)
. /etc/default/fairshare
has "the default listens on 443" /etc/default/fairshare "--listen 0.0.0.0:443 --tls-cert /etc/fairshare/tls.crt"
args=$(printf '%s' "$FAIRSHARE_SERVE_ARGS" | sed "s|--listen 0.0.0.0:443|--listen 127.0.0.1:$port|")
cmd=$(sed -n 's/^ExecStart=//p' $UNIT | sed "s|\$FAIRSHARE_SERVE_ARGS|$args|")
cred=$T/credentials
mkdir -m 0500 "$cred"
sed -n 's/^LoadCredential=//p' $UNIT | while IFS=: read -r name path; do install -m 0400 -o fairshare "$path" "$cred/$name"; done
chown fairshare "$cred"
chmod 0711 "$T"
# shellcheck disable=SC2086
setpriv --reuid=fairshare --regid=fairshare --init-groups --no-new-privs --inh-caps=-all --bounding-set=-all \
	env -i PATH=/usr/bin:/bin CREDENTIALS_DIRECTORY="$cred" $cmd >"$T/serve.out" 2>"$T/serve.err" &
server=$!
S=https://127.0.0.1:$port
for i in $(seq 1 100); do curl -s --cacert "$T/tls.crt" "$S/health" >/dev/null 2>&1 && break; sleep 0.1; done
same "it runs as fairshare" "$(ps -o user= -p $server)" "fairshare"
has "serving HTTPS" "$T/serve.out" "fairshare is serving https://127.0.0.1:$port/"
req() { # req NAME STATUS curl-args...
	local name=$1 want=$2 got
	shift 2
	got=$(curl -s --cacert "$T/tls.crt" -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else notok "$name (HTTP $got, expected $want)"; head -c 300 "$T/body" | sed 's/^/#   /'; sed 's/^/#   /' "$T/serve.err" | tail -n 3; fi
}
req "/ready" 200 "$S/ready"
req "the admin logs in over HTTPS" 200 -c "$T/jar" -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"organizers-only-42"}' "$S/api/v1/login"
has "Secure cookie" "$T/hdr" "; Secure"
has "HSTS" "$T/hdr" "Strict-Transport-Security: max-age=31536000"
req "and is in" 200 -b "$T/jar" "$S/api/v1/me"
req "the web page" 200 "$S/"
has "from /usr/share/fairshare/web" "$T/body" "<html"
req "/metrics from this machine" 200 "$S/metrics"
has "the login counted" "$T/body" 'fairshare_http_requests_total{route="/api/v1/login",status="200"} 1'
has "the pre-upgrade backup's age" "$T/body" "fairshare_last_backup_age_seconds "
has "the journal" "$T/body" "fairshare_journal_entries "
echo | timeout 10 openssl s_client -connect 127.0.0.1:$port -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' >"$T/tls11" 2>&1
has "TLS 1.1 refused" "$T/tls11" "Cipher is (NONE)"
same "no plain HTTP on the TLS port" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/health")" "000"
kill -TERM $server
wait $server
same "SIGTERM: a clean stop" "$?" 0
server=

# ---- a database newer than this fairshare is not touched ----
as_fs sqlite3 $LIVE 'PRAGMA user_version = 99'
expect "the upgrade refuses a newer database" 1 dpkg_ -i "$deb"
has "and says why" "$T/err" "written by a newer fairshare"
same "nothing migrated or lost" "$(sqlite3 $LIVE 'PRAGMA user_version')" 99
as_fs sqlite3 $LIVE "PRAGMA user_version = $schema"
expect "configured once the database is right again" 0 dpkg_ --configure fairshare

# ---- remove keeps the data; purge asks (default: keep) ----
expect "apt remove" 0 apt_ remove -y -q fairshare
[ -f $LIVE ] && [ -f $KEY ] && ok "remove keeps the database and key" || notok "remove keeps the database and key"
echo "fairshare fairshare/purge-data boolean false" | debconf-set-selections
expect "apt purge, answering keep" 0 apt_ purge -y -q fairshare
[ -f $LIVE ] && [ -f $KEY ] && ok "purge kept them when told to" || notok "purge kept them when told to"
has "and said where" "$T/out" "kept /var/lib/fairshare"
expect "install again over the kept data" 0 apt_ install -y -q "$deb"
has "an upgrade-like backup of the kept data" "$T/out" "written and verified"
echo "fairshare fairshare/purge-data boolean true" | debconf-set-selections
expect "apt purge, answering delete" 0 apt_ purge -y -q fairshare
[ ! -e $DATA ] && [ ! -e $KEY ] && ok "purge deleted the data when told to" || notok "purge deleted the data when told to"
rm -f /etc/fairshare/tls.crt /etc/fairshare/tls.key
rmdir /etc/fairshare 2>/dev/null
trap - EXIT
finish
