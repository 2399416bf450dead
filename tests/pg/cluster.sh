#!/bin/sh
# tests/pg/cluster.sh - a throwaway PostgreSQL cluster on loopback, for the
# tests and the benchmark.
#
#   sh tests/pg/cluster.sh start DIR   initdb into DIR/data as an unprivileged
#                                      user, start the server on a free port
#                                      of 127.0.0.1 and print the libpq
#                                      connection string of its superuser
#                                      ("host=127.0.0.1 port=N user=qm")
#   sh tests/pg/cluster.sh stop DIR    stop it and remove DIR
#
# DIR must not exist yet (start makes it). The server runs as the user the
# script runs as, or as `nobody` when that is root (PostgreSQL refuses
# root). Its default collation is ICU's English one, not C, so that the tests
# show qm sorting by bytes (COLLATE "C") on a database that would not. Made
# for tests: no fsync (QM_PG_DURABLE=1 keeps it, for benchmarks), trust
# authentication on loopback only. Exits 1 with a
# message on standard error when the server cannot be started.
set -u

die() {
	echo "tests/pg/cluster.sh: $*" >&2
	exit 1
}

bindir=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
	[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || die "no PostgreSQL server (initdb, pg_ctl) under /usr/lib/postgresql: run make deps"

as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env -- "$@"
	else
		"$@"
	fi
}

case ${1:-} in
start)
	dir=${2:?usage: cluster.sh start DIR}
	mkdir "$dir" || die "cannot make $dir"
	[ "$(id -u)" = 0 ] && chown nobody:nogroup "$dir"
	as_user "$bindir/initdb" -D "$dir/data" -U qm -A trust -E UTF8 --locale=C.UTF-8 \
		--locale-provider=icu --icu-locale=en-US >"$dir/initdb.log" 2>&1 \
		|| die "initdb failed: $(tail -5 "$dir/initdb.log")"
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${QM_PG_DURABLE:-0}" = 1 ] && fast=
	tries=0
	while :; do
		port=$(( 20000 + ($(od -An -N2 -tu2 /dev/urandom) % 30000) ))
		if ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
			as_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
				-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
				$fast -c max_connections=200 -c shared_buffers=256MB" start >"$dir/pg_ctl.log" 2>&1 \
				&& break
		fi
		tries=$((tries + 1))
		[ $tries -lt 5 ] || die "the server would not start: $(tail -5 "$dir/server.log" 2>/dev/null)"
	done
	echo "host=127.0.0.1 port=$port user=qm"
	;;
stop)
	dir=${2:?usage: cluster.sh stop DIR}
	[ -d "$dir/data" ] && as_user "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
	;;
*)
	die "usage: cluster.sh start|stop DIR"
	;;
esac
