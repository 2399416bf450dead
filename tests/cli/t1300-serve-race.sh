#!/bin/sh
# Two qm serve processes on one ledger (on PostgreSQL in the pg lane; on one
# SQLite file in WAL mode otherwise), 20 clients each posting deliveries
# against the same few pledges, far more units than were pledged: no pledge
# is overrun, every delivery accepted (201) is stored and journaled exactly
# once, every other is refused with 422 and the rule it broke, and the
# journal stays one chain (audit verify). The store's write lock (BEGIN
# IMMEDIATE on SQLite, an advisory lock on PostgreSQL) is what makes the
# check and the write one step for every process.
. "$(dirname "$0")/lib.sh"

need_commands curl

SERVERS=
trap 'for p in $SERVERS; do kill -TERM $p 2>/dev/null; wait $p 2>/dev/null; done; _l_cleanup' EXIT

load_base db parties rates items
cat >pledges.csv <<'CSV'
id,donor,date,item,quantity,status,available,cost_type,channel,source
race-1,DEU,2024-01-10,shell-155,12,committed,2024-03-01,in-kind,bilateral,race test
race-2,GBR,2024-01-10,shell-155,9,committed,2024-03-01,in-kind,bilateral,race test
race-3,USA,2024-01-10,shell-155,15,committed,2024-03-01,in-kind,bilateral,race test
CSV
expect_exit 0 "$QM" -q --db db import pledges pledges.csv
echo 'race-password' >pw
expect_exit 0 "$QM" --db db user add racer --role coordinator --password-file pw
expect_exit 0 "$QM" --db db token create racer
TOKEN=$(cat "$OUT")

# start_server NAME: qm serve on db, its URL into URL_NAME
start_server() {
	"$QM" --db db serve --listen 127.0.0.1:0 --threads 4 >"$1.out" 2>"$1.err" </dev/null &
	SERVERS="$SERVERS $!"
	_n=0
	_url=
	while [ -z "$_url" ] && [ $_n -lt 300 ]; do
		sleep 0.1
		_url=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$1.out")
		_n=$((_n + 1))
	done
	[ -n "$_url" ] && pass "$1 listens" || fail "$1 did not start" "$(cat "$1.err")"
	eval "URL_$1=\$_url"
}
start_server a
start_server b

# client SERVER N: 6 deliveries of 1 to 3 units, round the three pledges;
# one line per request: id status
client() {
	_url=$(eval echo "\$URL_$1")
	for _k in 1 2 3 4 5 6; do
		_id="d-$1-$2-$_k"
		_p=$(( (_k + $2) % 3 + 1 ))
		_q=$(( (_k * 7 + $2) % 3 + 1 ))
		_st=$(curl -s -o "resp.$_id" -w '%{http_code}' -X POST "$_url/api/v1/deliveries" \
			-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			--data-binary "{\"id\":\"$_id\",\"pledge\":\"race-$_p\",\"date\":\"2024-02-01\",\"quantity\":$_q}")
		echo "$_id $_st $_p $_q"
	done >"client.$1.$2"
}
pids=
for s in a b; do
	for c in $(seq 1 20); do
		client "$s" "$c" &
		pids="$pids $!"
	done
done
for p in $pids; do wait "$p"; done

cat client.* >all
expect_equal "$(wc -l <all | tr -d ' ')" 240 "240 requests answered"
expect_equal "$(awk '$2 != 201 && $2 != 422' all | head -3)" "" "every answer is 201 or 422"
for f in $(awk '$2 != 201 && $2 != 422 { print "resp." $1 }' all); do cat "$f" >&2; echo >&2; done
accepted=$(awk '$2 == 201' all | wc -l | tr -d ' ')
refused=$(awk '$2 == 422' all | wc -l | tr -d ' ')
[ "$accepted" -gt 0 ] && [ "$refused" -gt 0 ] && pass "some accepted ($accepted), some refused ($refused)" \
	|| fail "both accepted and refused deliveries expected: $accepted accepted, $refused refused"
# every refusal names the rule
bad=0
for f in $(awk '$2 == 422 { print "resp." $1 }' all); do
	grep -q 'at most' "$f" || bad=$((bad + 1))
done
expect_equal "$bad" 0 "every 422 says how many units are left"

# what is stored: the accepted ones, once each, never past a pledge
expect_exit 0 "$QM" --db db export deliveries
awk -F, 'NR > 1 { print $1 }' "$OUT" | sort >stored
awk '$2 == 201 { print $1 }' all | sort >accepted
expect_same_file accepted stored
for p in 1 2 3; do
	got=$(db_sql db "SELECT coalesce(sum(quantity), 0) FROM deliveries WHERE pledge = 'race-$p'")
	want=$(awk -v p="$p" '$2 == 201 && $3 == p { s += $4 } END { print s + 0 }' all)
	expect_equal "$got" "$want" "race-$p: the accepted units are stored"
	pledged=$(db_sql db "SELECT quantity FROM pledges WHERE id = 'race-$p'")
	[ "$got" -le "$pledged" ] && pass "race-$p: $got of $pledged delivered, not overrun" \
		|| fail "race-$p overrun: $got delivered of $pledged"
done
expect_equal "$(db_sql db "SELECT count(*) FROM journal WHERE kind = 'deliveries' AND action = 'create'")" \
	"$accepted" "every accepted delivery journaled once"
expect_equal "$(db_sql db "SELECT count(DISTINCT key) FROM journal WHERE kind = 'deliveries'")" \
	"$accepted" "no delivery journaled twice"
expect_exit 0 "$QM" --db db audit verify
expect_stdout_contains "chain correctly"
test_done
