#!/bin/sh
# A change waits for another process's change to the same ledger to finish,
# for QM_WRITE_WAIT seconds (10 by default), then gives up with 74 and says
# so, having written nothing; within that time it goes through once the
# other has finished; qm serve answers 503 with Retry-After instead. The
# other process here holds the store's write lock by hand: BEGIN IMMEDIATE
# in the sqlite3 shell, or the advisory lock in psql in the PostgreSQL lane.
# A QM_WRITE_WAIT that is not a whole number of seconds is a usage error.
. "$(dirname "$0")/lib.sh"

need_commands curl node
if on_postgres; then need_commands psql; else need_commands sqlite3; fi

. "$ROOT/tests/cli/serve.sh"
JS_PID=
HOLDER=
trap 'stop_all; [ -z "$HOLDER" ] || { touch release; wait "$HOLDER"; }; exec 3>&- 4<&-; [ -z "$JS_PID" ] || wait "$JS_PID"; _l_cleanup' EXIT
. "$ROOT/tests/cli/api.sh"

load_base db parties rates items
api_user coord coordinator
cat >p1.csv <<'CSV'
id,donor,date,amount,currency,status,cost_type,channel,source
wait-1,DEU,2024-05-01,1000000,EUR,committed,in-kind,bilateral,write wait test
CSV
sed 's/wait-1/wait-2/' p1.csv >p2.csv

# hold: another process takes the ledger's write lock and keeps it until
# release (both the sqlite3 shell and psql run statements as they come in)
hold() {
	rm -f held release
	{
		if on_postgres; then
			printf 'BEGIN;\nSELECT pg_advisory_xact_lock(8173851376427296114);\n\\! touch held\n'
		else
			printf 'BEGIN IMMEDIATE;\n.shell touch held\n'
		fi
		while [ ! -f release ]; do sleep 0.1; done
		printf 'COMMIT;\n'
	} | if on_postgres; then
		psql -X -q -v ON_ERROR_STOP=1 -d "$(pg_location db)" >/dev/null
	else
		sqlite3 db
	fi &
	HOLDER=$!
	_k=0
	while [ ! -f held ] && [ $_k -lt 100 ]; do
		sleep 0.1
		_k=$((_k + 1))
	done
	[ -f held ] && pass "another process holds the write lock" || fail "the lock holder did not start"
}

release() {
	touch release
	wait "$HOLDER"
	HOLDER=
}

# the server first: on SQLite it puts the file in WAL mode, which needs the lock
export QM_WRITE_WAIT=1
start_server db web
db_dump db before
hold
expect_exit 74 "$QM" --db db import pledges p1.csv
expect_stderr_contains "another process is changing this ledger: gave up after waiting 1 s for it to finish (QM_WRITE_WAIT sets how long)"
expect_exit 74 "$QM" --db db add pledges id=wait-3 donor=DEU date=2024-05-01 amount=5 currency=EUR status=committed cost_type=in-kind channel=bilateral
expect_stderr_contains "gave up after waiting 1 s"
# the server: 503, Retry-After, and why
send coord POST /api/v1/pledges '{"id":"wait-4","donor":"DEU","date":"2024-05-01","amount":"5","currency":"EUR","status":"committed","cost_type":"in-kind","channel":"bilateral","source":"write wait test"}'
expect_error 503 null
expect_header Retry-After 1
expect_equal "$(jv 'd.error.message')" "another process is changing this ledger: gave up after waiting 1 s for it to finish (QM_WRITE_WAIT sets how long)" "503 message"
# reads do not wait
as coord GET /api/v1/pledges
expect_status 200
stop_server web
expect_db_unchanged before db
# a longer wait sees the other change finish and goes through
QM_WRITE_WAIT=60 "$QM" --db db import pledges p1.csv >late.out 2>&1 &
LATE=$!
sleep 1
release
wait "$LATE"
expect_equal "$?" 0 "a change waiting 60 s goes through once the other has finished"
expect_exit 0 "$QM" --db db list pledges --csv
expect_stdout_contains "wait-1,DEU"
# 0: no waiting at all
hold
QM_WRITE_WAIT=0
expect_exit 74 "$QM" --db db import pledges p2.csv
expect_stderr_contains "gave up after waiting 0 s"
release
expect_exit 0 "$QM" --db db import pledges p2.csv

for bad in abc -1 1.5 86401 " 5" ""x; do
	QM_WRITE_WAIT=$bad
	[ -z "$bad" ] && continue
	expect_exit 64 "$QM" --db db list pledges
	expect_stderr_contains "QM_WRITE_WAIT: a whole number of seconds from 0 to 86400, got '$bad'"
done
unset QM_WRITE_WAIT
expect_exit 0 "$QM" --db db audit verify
test_done
