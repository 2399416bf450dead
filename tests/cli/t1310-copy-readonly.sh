#!/bin/sh
# qm copy moves a whole ledger between stores: from an SQLite file into the
# lane's database (a PostgreSQL one in the pg lane) and back into a file,
# audit verify passing on each and every export, the journal and the
# reports the same; a target that is not empty is refused (65) and left
# alone. qm serve --read-only answers reads, and every change with 405
# (Allow: GET, HEAD), login included.
. "$(dirname "$0")/lib.sh"

need_commands curl

load_base sqlite:src.db
echo 'copy-password' >pw
expect_exit 0 "$QM" --db sqlite:src.db user add viewer1 --role viewer --password-file pw
expect_exit 0 "$QM" --db sqlite:src.db token create viewer1
TOKEN=$(cat "$OUT")

# sqlite:PATH stays a file in every lane; mid.db is the lane's store
expect_exit 0 "$QM" copy --from sqlite:src.db --to mid.db
expect_stdout_line "copied 81 records, 81 journal entries and 2 accounts, tokens and sessions from sqlite:src.db to mid.db"
expect_exit 0 "$QM" copy --from mid.db --to sqlite:back.db
expect_exit 0 "$QM" --db mid.db audit verify
expect_stdout_contains "81 journal entries chain correctly; 81 records agree with the journal"
expect_exit 0 "$QM" --db sqlite:back.db audit verify
expect_stdout_contains "81 journal entries chain correctly; 81 records agree with the journal"
for what in "export parties" "export items" "export rates" "export gdp" "export pledges" \
	"export deliveries" "export requirements" "export frameworks" "export pledges --format json" \
	"log --json" "report --as-of 2025-01-01" "plan --as-of 2025-01-01" "check" "user list"; do
	run "$QM" --db sqlite:src.db $what
	cp "$OUT" want
	run "$QM" --db mid.db $what
	expect_same_file want "$OUT"
	run "$QM" --db sqlite:back.db $what
	expect_same_file want "$OUT"
done

# only into an empty ledger; the target stays as it was
db_dump mid.db mid.before
expect_exit 65 "$QM" copy --from sqlite:src.db --to mid.db
expect_stderr_line "qm: error: 'mid.db' is not an empty ledger (its table parties has rows): qm copy writes only into a new or empty database"
expect_db_unchanged mid.before mid.db
expect_exit 64 "$QM" copy --from sqlite:src.db
expect_stderr_contains "--to TARGET is required"

# ---- serve --read-only ----
"$QM" --db mid.db serve --read-only --listen 127.0.0.1:0 --threads 2 >ro.out 2>ro.err </dev/null &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; _l_cleanup' EXIT
n=0
URL=
while [ -z "$URL" ] && [ $n -lt 300 ]; do
	sleep 0.1
	URL=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' ro.out)
	n=$((n + 1))
done
[ -n "$URL" ] && pass "read-only server listens" || fail "read-only server did not start" "$(cat ro.err)"
db_dump mid.db mid.before
expect_exit 0 curl -s -o body -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/v1/pledges?limit=2"
expect_equal "$(cat "$OUT")" 200 "a read is answered"
grep -q '"total": *10' body && pass "the pledges are read" || fail "no pledges read" "$(head -c 300 body)"
expect_exit 0 curl -s -o body -D head -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"id":"p-new","donor":"DEU"}' "$URL/api/v1/pledges"
expect_equal "$(cat "$OUT")" 405 "a change is refused with 405"
grep -q -i '^Allow: GET, HEAD' head && pass "Allow: GET, HEAD" || fail "no Allow header" "$(cat head)"
grep -q 'this server is read-only' body && pass "the refusal says why" || fail "no reason" "$(cat body)"
expect_exit 0 curl -s -o body -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
	--data-binary '{"name":"viewer1","password":"copy-password"}' "$URL/api/v1/login"
expect_equal "$(cat "$OUT")" 405 "no session is made on a read-only server"
expect_exit 0 curl -s -o body -w '%{http_code}' "$URL/api/v1/health"
expect_equal "$(cat "$OUT")" 200 "the health check answers"
grep -q '"read_only": *true' body && pass "the health check says read-only" || fail "health: read_only" "$(cat body)"
expect_db_unchanged mid.before mid.db
test_done
