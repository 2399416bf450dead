#!/bin/sh
# qm serve outlives its database sessions: when PostgreSQL ends them (a
# restart, a failover, pg_terminate_backend), each server thread notices
# before its next request and connects again, so that no request fails and
# writes go on being journaled; while the database refuses connections,
# requests get 503 with Retry-After and the JSON error naming the cause,
# and the server serves again as soon as the database takes connections.
. "$(dirname "$0")/lib.sh"

postgres_only "it ends qm serve's sessions from the database server's side"
need_commands curl node psql

. "$ROOT/tests/cli/serve.sh"
JS_PID=
trap 'stop_all; exec 3>&- 4<&-; [ -z "$JS_PID" ] || wait "$JS_PID"; _l_cleanup' EXIT
. "$ROOT/tests/cli/api.sh"

load_base db parties rates items
api_user coord coordinator
DB=$(pg_dbname db)

# end_sessions: what a restart of the server does to qm serve's sessions
end_sessions() {
	_n=$(pg_psql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$DB'")
	expect_equal "$([ "$_n" -ge 1 ] && echo yes)" yes "sessions of qm serve ended ($_n)"
	# the server side of a session is gone once it is no longer listed
	_k=0
	while [ "$(pg_psql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'")" != 0 ] && [ $_k -lt 50 ]; do
		sleep 0.1
		_k=$((_k + 1))
	done
}

start_server db web --threads 4
# open a session on every thread (more requests than threads, at once)
CURLS=
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o /dev/null -H "Authorization: Bearer $(cat tok.coord)" "$URL/api/v1/pledges" &
	CURLS="$CURLS $!"
done
for p in $CURLS; do wait "$p"; done
as coord GET /api/v1/pledges
expect_status 200

end_sessions
req GET /api/v1/health
expect_status 200
# every thread meets its ended session and connects again: no request fails
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	as coord GET "/api/v1/pledges?limit=$i"
	expect_status 200
done
send coord POST /api/v1/pledges '{"id":"after-restart","donor":"DEU","date":"2024-05-01","amount":"1000000","currency":"EUR","status":"committed","cost_type":"in-kind","channel":"bilateral","source":"reconnect test"}'
expect_status 201
expect_journal pledges after-restart coord create

# the database refuses connections: 503, Retry-After, and the cause
pg_psql "ALTER DATABASE \"$DB\" ALLOW_CONNECTIONS false"
end_sessions
as coord GET /api/v1/pledges
expect_error 503 null
expect_header Retry-After 1
expect_equal "$(jv 'd.error.message' | grep -c 'not currently accepting connections')" 1 "503 message says why"
send coord POST /api/v1/pledges '{"id":"while-down","donor":"DEU","date":"2024-05-01","amount":"1000000","currency":"EUR","status":"committed","cost_type":"in-kind","channel":"bilateral","source":"reconnect test"}'
expect_error 503 null
req GET /api/v1/health
expect_error 503 null
expect_header Retry-After 1
# and serves again once it takes them
pg_psql "ALTER DATABASE \"$DB\" ALLOW_CONNECTIONS true"
req GET /api/v1/health
expect_status 200
as coord GET /api/v1/pledges/after-restart
expect_status 200
as coord GET /api/v1/pledges/while-down
expect_status 404
stop_server web

expect_exit 0 "$QM" --db db audit verify
test_done
