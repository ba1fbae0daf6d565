# pg.sh - a private PostgreSQL cluster for the tests: initdb and pg_ctl (Debian's
# postgresql package) into a temporary folder, a Unix socket there and no TCP
# port, trust for local connections of the role fairshare. As root the cluster
# runs as nobody (PostgreSQL refuses root). Sourced by lib.sh and run-all.sh.
#   pg_start DIR   start one in DIR; exports PGHOST, PGUSER, PGDATABASE=postgres
#   pg_stop DIR    stop it (immediately) and leave DIR to the caller
pg_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
pg_as() { # run as the cluster's owner
	if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
pg_start() {
	local dir=$1 bin
	bin=$(pg_bin)
	[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "# no PostgreSQL server (apt-get install postgresql)" >&2; return 1; }
	mkdir -p "$dir" && chmod 0755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown nobody "$dir"
	pg_as "$bin/initdb" -D "$dir/data" -U fairshare --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
		sed 's/^/# /' "$dir/initdb.log" >&2
		return 1
	}
	# fsync off: a test cluster; the benchmark states its own settings
	pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k $dir -c listen_addresses= -c fsync=off -c max_connections=200 -c shared_buffers=32MB" start >/dev/null 2>&1 || {
		sed 's/^/# /' "$dir/server.log" >&2
		return 1
	}
	export PGHOST=$dir PGUSER=fairshare PGDATABASE=postgres
	unset PGPORT PGPASSWORD PGSERVICE
}
pg_stop() {
	local bin
	bin=$(pg_bin)
	[ -d "$1/data" ] && pg_as "$bin/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1
	return 0
}
