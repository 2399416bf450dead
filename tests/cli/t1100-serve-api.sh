#!/bin/sh
# qm serve over real HTTP with curl, checked against docs/api.md on the base
# fixtures: who may write what (admin, coordinator, donor:NOR, viewer; no,
# wrong and disabled credentials), every write journaled under the user's
# name; a donor kept to its own nation's pledges and their deliveries; the
# error statuses (400, 401, 403, 404, 405, 409, 413, 415, 422) with the
# import's messages; static paths that lead nowhere; SQL metacharacters and
# Unicode stored verbatim; login, cookie sessions, the same-origin rule,
# logout and the slowdown after failed logins; the security headers on
# every answer and X-QM-Journal; listing (filters, q, sort, limit, offset)
# and one record by key; openapi.json, plan, burden, report and journal as
# the CLI gives them; and a clean stop on SIGTERM that finishes the
# requests in flight. Each server listens on a free port and is stopped by
# the EXIT trap whatever happens; JSON is read with node (make deps).
. "$(dirname "$0")/lib.sh"

need_commands curl node

# ---- servers: started on port 0, always stopped (tests/cli/serve.sh) ----

. "$ROOT/tests/cli/serve.sh"
JS_PID=
trap 'stop_all; exec 3>&- 4<&-; [ -z "$JS_PID" ] || wait "$JS_PID"; _l_cleanup' EXIT

# ---- requests (tests/cli/api.sh) ----

. "$ROOT/tests/cli/api.sh"

# ---- the ledger and its users ----
load_base db
db_cp db ref.db # the base fixtures, untouched: import messages are taken from here
printf 'correct-horse-1\n' >pw
for u in adm:admin coord:coordinator desk-nor:donor:NOR view:viewer gone:coordinator; do
	expect_exit 0 "$QM" --db db user add "${u%%:*}" --role "${u#*:}" --password-file pw
	expect_exit 0 "$QM" --db db token create "${u%%:*}"
	cp "$OUT" "tok.${u%%:*}"
done
printf '%064d\n' 0 >tok.wrong
printf 'not-a-token\n' >tok.short

start_server db main
J='Content-Type: application/json'
NOR_PLEDGE='{"id":"p-api-1","donor":"NOR","date":"2024-03-01","amount":"1m","currency":"EUR"}'

# ---- credentials: none, wrong, disabled ----
req GET /api/v1/pledges
expect_error 401 null
req POST /api/v1/pledges -H "$J" --data-binary "$NOR_PLEDGE"
expect_error 401 null
req GET /api/v1/me
expect_error 401 null
as wrong GET /api/v1/pledges
expect_error 401 null
as short GET /api/v1/pledges
expect_error 401 null
req GET /api/v1/pledges -H 'Authorization: Basic Y29vcmQ6Y29ycmVjdC1ob3JzZS0x'
expect_error 401 null
as wrong POST /api/v1/pledges -H "$J" --data-binary "$NOR_PLEDGE"
expect_error 401 null
as gone GET /api/v1/me
expect_status 200
expect_json 'd.name + " " + d.role' "gone coordinator"
req POST /api/v1/login -H "$J" --data-binary '{"name":"gone","password":"correct-horse-1"}' -c jar-gone
expect_status 200
req GET /api/v1/me -b jar-gone
expect_status 200
expect_exit 0 "$QM" --db db user disable gone
as gone GET /api/v1/me
expect_error 401 null
req GET /api/v1/me -b jar-gone
expect_error 401 null
req POST /api/v1/login -H "$J" --data-binary '{"name":"gone","password":"correct-horse-1"}'
expect_error 401 null
as gone GET /api/v1/pledges
expect_error 401 null
send gone POST /api/v1/pledges "$NOR_PLEDGE"
expect_error 401 null
expect_absent /api/v1/pledges/p-api-1
for u in adm:admin coord:coordinator desk-nor:donor:NOR view:viewer; do
	as "${u%%:*}" GET /api/v1/me
	expect_status 200
	expect_json 'd.name + " " + d.role' "${u%%:*} ${u#*:}"
done
# openapi.json needs no credentials, nor does the health check
req GET /api/v1/openapi.json
expect_status 200
req GET /api/v1/health
expect_status 200
if on_postgres; then backend=postgresql; else backend=sqlite; fi
expect_json 'JSON.stringify(d)' "{\"status\":\"ok\",\"database\":\"$backend\",\"read_only\":false}"
req POST /api/v1/health
expect_status 405

# ---- listing, on the base fixtures (read by the viewer) ----
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list-pledges.json
as view GET /api/v1/pledges
expect_status 200
expect_json '[d.kind, d.total, d.limit, d.offset, d.items.length].join()' "pledges,10,100,0,10"
expect_json 'diff(d.items, load("list-pledges.json"))' ""
expect_json 'd.items.map((x) => x.id).join()' \
	"p-deu-cancel,p-deu-leo,p-eu-ammo,p-gbr-money,p-gbr-shells,p-nor-drones,p-swe-money,p-usa-late,p-usa-patriot,p-usa-pkg"
as view GET '/api/v1/pledges?limit=3&offset=2'
expect_status 200
expect_json '[d.total, d.limit, d.offset].join()' "10,3,2"
expect_json 'd.items.map((x) => x.id).join()' "p-eu-ammo,p-gbr-money,p-gbr-shells"
as view GET '/api/v1/pledges?offset=9'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "10,p-usa-pkg"
as view GET '/api/v1/pledges?offset=20'
expect_json '[d.total, d.items.length].join()' "10,0"
as view GET '/api/v1/pledges?limit=5000'
expect_status 200
expect_json 'd.limit <= 1000 && d.items.length === 10' true
as view GET '/api/v1/pledges?sort=-date'
expect_status 200
expect_json 'd.total' 10
expect_json 'd.items.map((x) => x.date).join()' \
	"2024-01-03,2023-12-31,2023-12-27,2023-12-22,2023-04-10,2023-04-10,2023-04-03,2023-02-01,2022-12-21,2022-12-21"
expect_json 'd.items.slice(0, 4).map((x) => x.id).join()' "p-usa-late,p-swe-money,p-nor-drones,p-eu-ammo"
as view GET '/api/v1/pledges?sort=date&limit=3'
expect_json 'd.items.map((x) => x.id).slice(0, 2).sort().join() + " " + d.items[2].id' \
	"p-usa-patriot,p-usa-pkg p-deu-leo"
as view GET '/api/v1/pledges?sort=-date&limit=2&offset=1'
expect_json 'd.items.map((x) => x.id).join()' "p-swe-money,p-nor-drones"
# amounts sort as numbers (not as the text "1.85bn" is written in), empty ones first
as view GET '/api/v1/pledges?sort=amount&offset=4&limit=6'
expect_json '[d.total, d.items.map((x) => x.id)].join()' \
	"10,p-swe-money,p-deu-cancel,p-gbr-money,p-eu-ammo,p-usa-pkg,p-usa-late"
as view GET '/api/v1/pledges?sort=-amount'
expect_json 'd.items.map((x) => x.id).join()' \
	"p-usa-late,p-usa-pkg,p-eu-ammo,p-gbr-money,p-deu-cancel,p-swe-money,p-deu-leo,p-gbr-shells,p-nor-drones,p-usa-patriot"
as view GET '/api/v1/pledges?q=EASTER'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "1,p-gbr-money"
as view GET '/api/v1/pledges?q=usa'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "3,p-usa-late,p-usa-patriot,p-usa-pkg"
as view GET '/api/v1/pledges?q=no-such-text'
expect_json '[d.total, d.items.length].join()' "0,0"
as view GET '/api/v1/pledges?donor=USA'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "3,p-usa-late,p-usa-patriot,p-usa-pkg"
as view GET '/api/v1/pledges?donor=USA&sort=-date&limit=1'
expect_json '[d.total, d.limit, d.items.map((x) => x.id)].join()' "3,1,p-usa-late"
as view GET '/api/v1/pledges?donor=GBR&q=easter'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "1,p-gbr-money"
as view GET '/api/v1/pledges?status=cancelled'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "1,p-deu-cancel"
as view GET '/api/v1/pledges?item=shell-155'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "2,p-eu-ammo,p-gbr-shells"
as view GET '/api/v1/pledges?from=2023-12-01&to=2023-12-31'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "3,p-eu-ammo,p-nor-drones,p-swe-money"
for k in parties:7 items:4 rates:48 gdp:7 deliveries:3 requirements:2 frameworks:0; do
	as view GET "/api/v1/${k%%:*}"
	expect_status 200
	expect_json '[d.kind, d.total].join()' "${k%%:*},${k#*:}"
done
as view GET '/api/v1/rates?from=2024-01-01'
expect_json 'd.total' 6
# one record by its key
as view GET /api/v1/pledges/p-deu-leo
expect_status 200
expect_json 'diff(d, load("list-pledges.json").find((x) => x.id === "p-deu-leo"))' ""
expect_json '[d.quantity, typeof d.quantity, d.delivered, d.value_eur_cents, d.source].join()' \
	"14,number,10,40600000000,"
as view GET '/api/v1/rates/2024-01-02%7CUSD'
expect_status 200
expect_json 'diff(d, {date: "2024-01-02", currency: "USD", per_eur: "1.0956"})' ""
as view GET '/api/v1/gdp/DEU%7C2023'
expect_status 200
expect_json '[d.party, d.year, typeof d.year, d.amount, d.currency].join()' "DEU,2023,number,4121160000000,EUR"
as view GET /api/v1/parties/NOR
expect_json '[d.code, d.name, d.kind, d.currency].join()' "NOR,Norway,nation,NOK"
as view GET /api/v1/requirements/r-2
expect_json '[d.id, d.capability, d.item, d.quantity, d.priority].join()' "r-2,,leopard-2a6,20,2"
for p in /api/v1/pledges/p-nope '/api/v1/rates/2024-01-02%7CJPY' /api/v1/rates/2024-01-02 \
	'/api/v1/gdp/DEU%7C1999' /api/v1/parties/XYZ; do
	as view GET "$p"
	expect_error 404 null
done

# ---- openapi.json, plan, report, journal, burden ----
req GET /api/v1/openapi.json
expect_status 200
cp "$BODY" openapi.json
expect_json 'typeof d.openapi === "string" && /^3\.[0-9]+\.[0-9]+$/.test(d.openapi)' true
for k in parties items rates gdp pledges deliveries requirements frameworks; do
	expect_json "[\"/api/v1/$k\" in d.paths, Object.keys(d.paths).some((p) => p.startsWith(\"/api/v1/$k/{\"))].join()" \
		"true,true"
done
expect_json '["plan", "burden", "report", "journal", "health"].filter((v) => !(("/api/v1/" + v) in d.paths)).join()' ""
expect_json 'JSON.stringify(d.paths["/api/v1/health"].get.security)' "[]"
expect_json 'Object.values(d.paths).every((p) => Object.values(p).every((o) => !o.responses || "503" in o.responses))' true
expect_exit 0 "$QM" --db db plan --json
cp "$OUT" plan.json
as view GET /api/v1/plan
expect_status 200
expect_json 'd.objective' "$(jv d.objective plan.json)"
expect_json 'diff(d, load("plan.json"))' ""
expect_exit 0 "$QM" --db db plan --json --committed-only --as-of 2023-12-31
cp "$OUT" plan2.json
as view GET '/api/v1/plan?committed_only=1&as_of=2023-12-31'
expect_status 200
expect_json 'diff(d, load("plan2.json"))' ""
expect_exit 0 "$QM" --db db report --json
cp "$OUT" report.json
as view GET /api/v1/report
expect_status 200
expect_json 'diff(d, load("report.json"))' ""
expect_exit 0 "$QM" --db db report --json --as-of 2023-06-30
cp "$OUT" report2.json
as view GET '/api/v1/report?as_of=2023-06-30'
expect_json 'diff(d, load("report2.json"))' ""
seq0=$(last_seq)
entries=$("$QM" --db db log </dev/null | wc -l)
as view GET '/api/v1/journal?limit=3'
expect_status 200
expect_json '[d.total, d.limit, d.offset, d.items.map((x) => x.seq)].join()' \
	"$entries,3,0,$seq0,$((seq0 - 1)),$((seq0 - 2))"
expect_json 'Object.keys(d.items[0]).sort().join()' "action,actor,after,at,before,key,kind,seq"
as view GET '/api/v1/journal?kind=pledges&key=p-deu-leo'
expect_json '[d.total, d.items[0].action, d.items[0].kind, d.items[0].key].join()' "1,create,pledges,p-deu-leo"
# pages: newest first after the offset, the total whatever the page
as view GET '/api/v1/journal?limit=2&offset=1'
expect_json '[d.total, d.limit, d.offset, d.items.map((x) => x.seq)].join()' \
	"$entries,2,1,$((seq0 - 1)),$((seq0 - 2))"
as view GET "/api/v1/journal?offset=$entries"
expect_json '[d.total, d.items.length].join()' "$entries,0"
as view GET '/api/v1/journal?kind=pledges&limit=1000'
expect_json '[d.total, d.items.length, d.items.every((x) => x.kind === "pledges"), d.items[0].seq > d.items[1].seq].join()' \
	"$("$QM" --db db log pledges </dev/null | wc -l),$("$QM" --db db log pledges </dev/null | wc -l),true,true"
# no frameworks yet: an error, with the CLI's message
expect_exit 66 "$QM" --db db burden --json
as view GET /api/v1/burden
case $STATUS in
4??) pass "$REQ: a client error ($STATUS) with no frameworks" ;;
*) fail "$REQ: a 4xx status expected with no frameworks, got $STATUS" "$(head -c 400 "$BODY")" ;;
esac
expect_json d.error.message "$(sed 's/^qm: error: //' "$ERR")"

# ---- every role against every kind of write ----
# user: NOR pledge, DEU pledge, PATCH p-deu-leo, delivery against
# p-nor-drones, party (its code), requirement
while read -r u s1 s2 s3 s4 s5 party s6; do
	send "$u" POST /api/v1/pledges \
		"{\"id\":\"p-nor-$u\",\"donor\":\"NOR\",\"date\":\"2024-03-01\",\"amount\":\"2m\",\"currency\":\"EUR\",\"status\":\"committed\",\"source\":\"API test\"}"
	if [ "$s1" = 201 ]; then
		expect_status 201
		expect_json '[d.id, d.donor, d.amount, d.currency, d.status, d.value_eur_cents, d.valuation].join()' \
			"p-nor-$u,NOR,2000000,EUR,committed,200000000,stated"
		expect_journal pledges "p-nor-$u" "$u" create
	else
		expect_error 403 '*'
		expect_absent "/api/v1/pledges/p-nor-$u"
	fi
	send "$u" POST /api/v1/pledges \
		"{\"id\":\"p-deu-$u\",\"donor\":\"DEU\",\"date\":\"2024-03-01\",\"amount\":\"3m\",\"currency\":\"EUR\"}"
	if [ "$s2" = 201 ]; then
		expect_status 201
		expect_json '[d.id, d.donor, d.value_eur_cents].join()' "p-deu-$u,DEU,300000000"
		expect_journal pledges "p-deu-$u" "$u" create
	else
		expect_error 403 '*'
		expect_absent "/api/v1/pledges/p-deu-$u"
	fi
	send "$u" PATCH /api/v1/pledges/p-deu-leo "{\"note\":\"revised by $u\"}"
	if [ "$s3" = 200 ]; then
		expect_status 200
		expect_json '[d.id, d.donor, d.quantity, d.status, d.note].join()' "p-deu-leo,DEU,14,committed,revised by $u"
		expect_journal pledges p-deu-leo "$u" revise
	else
		expect_error 403 '*'
		expect_no_journal pledges p-deu-leo "$u"
	fi
	send "$u" POST /api/v1/deliveries \
		"{\"id\":\"d-$u\",\"pledge\":\"p-nor-drones\",\"date\":\"2024-02-01\",\"quantity\":1,\"hub\":\"Rzeszów\"}"
	if [ "$s4" = 201 ]; then
		expect_status 201
		expect_json '[d.id, d.pledge, d.quantity, typeof d.quantity, d.hub].join()' "d-$u,p-nor-drones,1,number,Rzeszów"
		expect_journal deliveries "d-$u" "$u" create
	else
		expect_error 403 '*'
		expect_absent "/api/v1/deliveries/d-$u"
	fi
	send "$u" POST /api/v1/parties \
		"{\"code\":\"$party\",\"name\":\"Party $party\",\"kind\":\"nation\",\"ally\":true,\"currency\":\"EUR\"}"
	if [ "$s5" = 201 ]; then
		expect_status 201
		expect_json '[d.code, d.kind, d.ally, d.currency].join()' "$party,nation,yes,EUR"
		expect_journal parties "$party" "$u" create
	else
		expect_error 403 '*'
		expect_absent "/api/v1/parties/$party"
	fi
	send "$u" POST /api/v1/requirements \
		"{\"id\":\"r-$u\",\"capability\":\"reconnaissance\",\"quantity\":2,\"priority\":3,\"needed_by\":\"2024-09-30\"}"
	if [ "$s6" = 201 ]; then
		expect_status 201
		expect_json '[d.id, d.capability, d.quantity, d.priority].join()' "r-$u,reconnaissance,2,3"
		expect_journal requirements "r-$u" "$u" create
	else
		expect_error 403 '*'
		expect_absent "/api/v1/requirements/r-$u"
	fi
done <<'EOF'
adm      403 403 403 403 403 EST 403
coord    201 201 200 201 201 FIN 201
desk-nor 201 403 403 201 403 LVA 403
view     403 403 403 403 403 LTU 403
EOF
as view GET /api/v1/pledges/p-nor-drones
expect_json d.delivered 2

# ---- a donor keeps to its own nation ----
send desk-nor PATCH /api/v1/pledges/p-usa-patriot '{"note":"not ours"}'
expect_error 403 '*'
expect_no_journal pledges p-usa-patriot desk-nor
send desk-nor PATCH /api/v1/pledges/p-nor-drones '{"donor":"DEU"}'
expect_error 403 '*'
send desk-nor PATCH /api/v1/pledges/p-nor-desk-nor '{"donor":"SWE","note":"moved"}'
expect_error 403 '*'
as view GET /api/v1/pledges/p-nor-drones
expect_json d.donor NOR
as view GET /api/v1/pledges/p-nor-desk-nor
expect_json '[d.donor, d.note].join()' "NOR,"
send desk-nor POST /api/v1/pledges '{"id":"p-swe-by-nor","donor":"SWE","date":"2024-03-01","amount":"1","currency":"EUR"}'
expect_error 403 '*'
expect_absent /api/v1/pledges/p-swe-by-nor
send desk-nor POST /api/v1/deliveries '{"id":"d-nor-on-deu","pledge":"p-deu-leo","date":"2024-02-01","quantity":1}'
expect_error 403 '*'
expect_absent /api/v1/deliveries/d-nor-on-deu
send desk-nor PATCH /api/v1/deliveries/d-3 '{"note":"not ours"}'
expect_error 403 '*'
expect_no_journal deliveries d-3 desk-nor
send desk-nor PATCH /api/v1/deliveries/d-desk-nor '{"pledge":"p-deu-leo"}'
expect_error 403 '*'
as view GET /api/v1/deliveries/d-desk-nor
expect_json d.pledge p-nor-drones
# its own: allowed, the donor given unchanged
send desk-nor PATCH /api/v1/pledges/p-nor-drones '{"donor":"NOR","note":"checked by the NOR desk"}'
expect_status 200
expect_json '[d.donor, d.note, d.quantity].join()' "NOR,checked by the NOR desk,5"
expect_journal pledges p-nor-drones desk-nor revise
send desk-nor PATCH /api/v1/deliveries/d-desk-nor '{"hub":"Oslo"}'
expect_status 200
expect_journal deliveries d-desk-nor desk-nor revise

# ---- malformed and refused requests: nothing is written ----
seq1=$(last_seq)
send coord POST /api/v1/pledges '{"id": "p-bad",'
expect_error 400 null
send coord POST /api/v1/pledges ''
expect_error 400 null
send coord POST /api/v1/pledges '[{"id":"p-bad","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR"}]'
expect_error 400 null
send coord POST /api/v1/pledges '"p-bad"'
expect_error 400 null
send coord PATCH /api/v1/pledges/p-deu-leo '["note"]'
expect_error 400 null
send coord POST /api/v1/pledges '{"id":"p-bad","donor":"NOR","date":"2024-03-01","item":"drone-x","quantity":[5]}'
expect_error 422 quantity "quantity: a string, number, boolean or null, got an array"
send coord POST /api/v1/pledges '{"id":"p-bad","donor":"NOR","date":"2024-03-01","item":"drone-x","quantity":{"n":5}}'
expect_error 422 quantity "quantity: a string, number, boolean or null, got an object"
send coord PATCH /api/v1/pledges/p-deu-leo '{"quantity":[15]}'
expect_error 422 quantity
send coord POST /api/v1/pledges '{"id":"p-bad","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR","colour":"red"}'
expect_error 422 colour "a field of pledges, got 'colour'"
send coord PATCH /api/v1/pledges/p-deu-leo '{"colour":"red"}'
expect_error 422 colour "a field of pledges, got 'colour'"
send coord POST /api/v1/pledges '{"id":"p-bad","donor":"NOR","date":"2024-03-01","item":"drone-x","quantity":0}'
expect_error 422 quantity "quantity: a whole number of at least 1, got '0'"
send coord PATCH /api/v1/pledges/p-deu-leo '{"quantity":"0"}'
expect_error 422 quantity "quantity: a whole number of at least 1, got '0'"
# the import's message for the same record, field by field
n=0
while read -r kind body; do
	n=$((n + 1))
	printf '[%s]\n' "$body" >"bad$n.json"
	run "$QM" --db ref.db import "$kind" "bad$n.json" --dry-run
	msg=$(sed -n '1s/^[^ ]*: error: //p' "$ERR")
	[ -n "$msg" ] || fail "import of bad$n.json should report an error" "$(last_run)"
	send coord POST "/api/v1/$kind" "$body"
	expect_error 422 "${msg%%:*}" "$msg"
done <<'EOF'
pledges {"id":"p-bad","donor":"NOR","date":"2024-02-30","amount":"1","currency":"EUR"}
pledges {"id":"p-bad","donor":"XYZ","date":"2024-03-01","amount":"1","currency":"EUR"}
pledges {"id":"p-bad","donor":"NOR","date":"2024-03-01","item":"drone-x","quantity":1,"currency":"EUR"}
pledges {"id":"p-bad","donor":"NOR","date":"2024-03-01","amount":"1e3","currency":"EUR"}
pledges {"id":"p-bad","donor":"NOR","date":"2024-03-01","amount":"5","currency":"JPY"}
pledges {"id":"p bad","donor":"NOR","date":"2024-03-01","amount":"5","currency":"EUR"}
pledges {"id":"p-bad","donor":"NOR","date":"2024-03-01"}
pledges {"id":"p-bad","donor":"NOR","date":"2024-03-01","item":"drone-x","quantity":true}
pledges {"id":"p-bad","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR","status":"maybe"}
deliveries {"id":"d-bad","pledge":"p-nope","date":"2024-03-01","quantity":1}
requirements {"id":"r-bad","capability":"reconnaissance","item":"drone-x","quantity":1,"priority":1,"needed_by":"2024-06-30"}
requirements {"id":"r-bad","capability":"reconnaissance","quantity":1,"priority":6,"needed_by":"2024-06-30"}
EOF
# existing keys, missing records
send coord POST /api/v1/pledges '{"id":"p-deu-leo","donor":"DEU","date":"2024-03-01","amount":"1","currency":"EUR"}'
expect_error 409 '*'
send coord POST /api/v1/rates '{"date":"2024-01-02","currency":"USD","per_eur":"1.5"}'
expect_error 409 '*'
as view GET '/api/v1/rates/2024-01-02%7CUSD'
expect_json d.per_eur 1.0956
send coord PATCH /api/v1/pledges/p-nope '{"note":"x"}'
expect_error 404 null
send coord PATCH '/api/v1/rates/2030-01-02%7CUSD' '{"per_eur":"1.1"}'
expect_error 404 null
expect_absent /api/v1/pledges/p-nope
# bodies: exactly 1 MiB is taken, one byte more is 413
pre='{"id":"p-big","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR","note":"'
pad=$((1048576 - ${#pre} - 2))
{ printf '%s' "$pre"; head -c "$pad" /dev/zero | tr '\0' x; printf '"}'; } >mib.json
{ printf '%s' "$pre" | sed 's/p-big/p-big2/'; head -c "$pad" /dev/zero | tr '\0' x; printf '"}'; } >over.json
expect_equal "$(wc -c <mib.json) $(wc -c <over.json)" "1048576 1048577" "body sizes"
send coord POST /api/v1/pledges @over.json
expect_error 413 null
expect_absent /api/v1/pledges/p-big2
send coord PATCH /api/v1/pledges/p-deu-leo @over.json
expect_error 413 null
# content types
as coord POST /api/v1/pledges -H 'Content-Type: text/plain' --data-binary "$NOR_PLEDGE"
expect_error 415 null
as coord POST /api/v1/pledges --data "$NOR_PLEDGE"
expect_error 415 null
as coord POST /api/v1/pledges -H 'Content-Type:' --data-binary "$NOR_PLEDGE"
expect_error 415 null
as coord PATCH /api/v1/pledges/p-deu-leo -H 'Content-Type: application/xml' --data-binary '{"note":"x"}'
expect_error 415 null
expect_absent /api/v1/pledges/p-api-1
# unknown kinds and paths
for p in /api/v1/widgets /api/v1/widgets/x /api/v1/pledges/p-deu-leo/deliveries /api/v1/ /api/v2/pledges \
	/api/v1/PLEDGES /api/pledges /nope /static/nope.js; do
	as view GET "$p"
	expect_error 404 null
done
send coord POST /api/v1/widgets '{"id":"x"}'
expect_error 404 null
# methods
as coord DELETE /api/v1/pledges/p-deu-leo
expect_error 405 null
expect_allow GET PATCH
as view GET /api/v1/pledges/p-deu-leo
expect_status 200
as coord DELETE /api/v1/pledges
expect_error 405 null
expect_allow GET POST
send coord PUT /api/v1/pledges "$NOR_PLEDGE"
expect_error 405 null
send coord POST /api/v1/plan '{}'
expect_error 405 null
expect_allow GET
as coord DELETE /api/v1/journal
expect_error 405 null
expect_allow GET
as coord GET /api/v1/login
expect_error 405 null
expect_allow POST
as coord GET /api/v1/logout
expect_error 405 null
expect_allow POST
as coord POST /api/v1/me
expect_error 405 null
expect_allow GET
req POST /static/style.css -H "$J" --data-binary '{}'
expect_error 405 null
expect_allow GET HEAD
expect_equal "$(last_seq)" "$seq1" "nothing written by the refused requests"
expect_no_journal pledges p-deu-leo view
# PUT is not a method of the API
send coord PUT /api/v1/pledges/p-deu-leo '{"note":"written by PUT"}'
expect_error 405 null

# a body of exactly 1 MiB, and a JSON content type with a charset, are taken
send coord POST /api/v1/pledges @mib.json
expect_status 201
expect_json 'd.note.length' $((pad))
as coord POST /api/v1/pledges -H 'Content-Type: application/json; charset=utf-8' --data-binary "$NOR_PLEDGE"
expect_status 201
expect_journal pledges p-api-1 coord create
# PATCH by a compound key, the key given again (the year as a number) or not
send coord PATCH '/api/v1/rates/2024-01-02%7CUSD' '{"per_eur":"1.0957"}'
expect_status 200
expect_json 'diff(d, {date: "2024-01-02", currency: "USD", per_eur: "1.0957"})' ""
expect_journal rates '2024-01-02|USD' coord revise
send coord PATCH '/api/v1/gdp/DEU%7C2023' '{"party":"DEU","year":2023,"source":"revised through the API"}'
expect_status 200
expect_json '[d.party, d.year, d.amount, d.source].join()' "DEU,2023,4121160000000,revised through the API"
expect_journal gdp 'DEU|2023' coord revise
seq2=$(last_seq)
send coord PATCH /api/v1/pledges/p-api-1 '{"id":"p-api-2"}'
case $STATUS in
4??) pass "$REQ: a key other than the URL's is refused ($STATUS)" ;;
*) fail "$REQ: a key other than the URL's should be refused, got $STATUS" "$(head -c 400 "$BODY")" ;;
esac
expect_absent /api/v1/pledges/p-api-2
expect_equal "$(last_seq)" "$seq2" "nothing written by a PATCH that changes the key"

# ---- static paths lead nowhere ----
req GET /
expect_status 200
case $(hdr Content-Type) in
text/html*) pass "$REQ: text/html" ;;
*) fail "$REQ: text/html expected, got '$(hdr Content-Type)'" ;;
esac
req GET /static/style.css
expect_status 200
long=$(head -c 4000 /dev/zero | tr '\0' a)
longer=$(head -c 70000 /dev/zero | tr '\0' a)
for p in /static/../../etc/passwd /static/%2e%2e%2f%2e%2e%2fetc%2fpasswd /static/..%2f..%2fetc/passwd \
	/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd /static/..%5c..%5cetc%5cpasswd \
	/static/%252e%252e%252fetc%252fpasswd //etc/passwd ///etc/passwd /../../../../etc/passwd \
	/etc/passwd /static/ /static /static/./style.css /static//style.css /static/style.css/ \
	'/static/style.css%00.html' "/static/$long" "/static/$long/../../etc/passwd" "/$longer"; do
	req GET "$p" --path-as-is
	expect_status 404
	if grep -q -e 'root:' -e '/bin/' "$BODY"; then
		fail "$REQ: the answer holds a file's contents" "$(head -c 300 "$BODY")"
	else
		pass "$REQ: nothing from the file system"
	fi
done
as view GET /api/v1/../../etc/passwd --path-as-is
expect_error 404 null
as view GET /api/v1/pledges/..%2f..%2fetc%2fpasswd --path-as-is
expect_error 404 null

# ---- SQL metacharacters and Unicode are stored as given ----
# ' " \ % _ and a Unicode string in every text field of pledges, a party
# and an item; read back equal through GET and qm export
cat >sql-party.json <<'EOF'
{"code":"SQLX","name":"'; DROP TABLE pledges; --","kind":"organisation","source":"\" OR 1=1 --","aliases":"\\;%;_;Ünïcødé – 日本語 🚀"}
EOF
cat >sql-item.json <<'EOF'
{"code":"sql-item","name":"\" OR 1=1 --","category":"sql-test","capability":"sql-test","unit":"Ελληνικά 🚀 日本語","source":"'; DROP TABLE items; --","aliases":"a'b\"c\\d%e_f;--"}
EOF
cat >sql-1.json <<'EOF'
{"id":"p-sql-1","donor":"SQLX","date":"2024-03-01","amount":"1","currency":"EUR","source":"'; DROP TABLE pledges; --","note":"\" OR 1=1 --"}
EOF
cat >sql-2.json <<'EOF'
{"id":"p-sql-2","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR","source":"\\","note":"%"}
EOF
cat >sql-3.json <<'EOF'
{"id":"p-sql-3","donor":"NOR","date":"2024-03-01","item":"sql-item","quantity":1,"source":"_","note":"Ünïcødé – 日本語 🚀 Ελληνικά"}
EOF
cat >sql-4.json <<'EOF'
{"id":"p-sql-4","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR","source":"a'b\"c\\d%e_f;--","note":"'); DELETE FROM journal; --"}
EOF
cat >sql-2-patch.json <<'EOF'
{"note":"100% x' WHERE 1=1; UPDATE pledges SET donor='DEU'; --"}
EOF
send coord POST /api/v1/parties @sql-party.json
expect_status 201
send coord POST /api/v1/items @sql-item.json
expect_status 201
for i in 1 2 3 4; do
	send coord POST /api/v1/pledges @sql-$i.json
	expect_status 201
	expect_json 'diff(pick(d, ["source", "note"]), pick(load("sql-'$i'.json"), ["source", "note"]))' ""
	expect_journal pledges "p-sql-$i" coord create
done
send coord PATCH /api/v1/pledges/p-sql-2 @sql-2-patch.json
expect_status 200
PF='["source", "note"]'
as view GET /api/v1/parties/SQLX
expect_json 'diff(pick(d, ["name", "source", "aliases"]), pick(load("sql-party.json"), ["name", "source", "aliases"]))' ""
as view GET /api/v1/items/sql-item
expect_json 'diff(pick(d, ["name", "unit", "source", "aliases"]), pick(load("sql-item.json"), ["name", "unit", "source", "aliases"]))' ""
for i in 1 3 4; do
	as view GET "/api/v1/pledges/p-sql-$i"
	expect_json "diff(pick(d, $PF), pick(load(\"sql-$i.json\"), $PF))" ""
done
as view GET /api/v1/pledges/p-sql-2
expect_json '[d.source, d.note].join("|")' "$(jv 'd.source' sql-2.json)|$(jv 'd.note' sql-2-patch.json)"
expect_exit 0 "$QM" --db db export pledges --format json
cp "$OUT" export-pledges.json
for i in 1 3 4; do
	expect_json "diff(pick(d.find((x) => x.id === \"p-sql-$i\"), $PF), pick(load(\"sql-$i.json\"), $PF))" "" export-pledges.json
done
expect_json '[d.find((x) => x.id === "p-sql-2").source, d.find((x) => x.id === "p-sql-2").note].join("|")' \
	"$(jv 'd.source' sql-2.json)|$(jv 'd.note' sql-2-patch.json)" export-pledges.json
expect_json 'd.filter((x) => x.donor === "DEU").map((x) => x.id).join()' "p-deu-cancel,p-deu-coord,p-deu-leo" \
	export-pledges.json
expect_exit 0 "$QM" --db db export parties --format json
cp "$OUT" export-parties.json
expect_json 'diff(pick(d.find((x) => x.code === "SQLX"), ["name", "source", "aliases"]), pick(load("sql-party.json"), ["name", "source", "aliases"]))' "" export-parties.json
expect_exit 0 "$QM" --db db export items --format json
cp "$OUT" export-items.json
expect_json 'diff(pick(d.find((x) => x.code === "sql-item"), ["name", "unit", "source", "aliases"]), pick(load("sql-item.json"), ["name", "unit", "source", "aliases"]))' "" export-items.json
# metacharacters in a search and in a filter are only text
as view GET /api/v1/pledges -G --data-urlencode 'q=%'
expect_json 'd.items.map((x) => x.id).join()' "p-sql-2,p-sql-4"
as view GET /api/v1/pledges -G --data-urlencode 'q=_'
expect_json 'd.items.map((x) => x.id).join()' "p-sql-3,p-sql-4"
as view GET /api/v1/pledges -G --data-urlencode "q='"
expect_json 'd.items.map((x) => x.id).join()' "p-sql-1,p-sql-2,p-sql-4"
as view GET /api/v1/pledges -G --data-urlencode 'q=\'
expect_json 'd.items.map((x) => x.id).join()' "p-sql-2,p-sql-4"
as view GET /api/v1/pledges -G --data-urlencode 'q=日本語'
expect_json 'd.items.map((x) => x.id).join()' "p-sql-3"
# case-insensitive beyond ASCII too: the note has 'Ünïcødé'
as view GET /api/v1/pledges -G --data-urlencode 'q=ünïcødé'
expect_json 'd.items.map((x) => x.id).join()' "p-sql-3"
as view GET /api/v1/pledges -G --data-urlencode "q=' OR 1=1 --"
expect_json 'd.total' 0
as view GET /api/v1/pledges -G --data-urlencode "donor='; DROP TABLE pledges; --"
expect_status 200
expect_json 'd.total' 0
as view GET /api/v1/pledges -G --data-urlencode "sort=date; DROP TABLE pledges"
case $STATUS in
200 | 4??) pass "$REQ: $STATUS" ;;
*) fail "$REQ: 200 or a client error expected, got $STATUS" ;;
esac
as view GET /api/v1/pledges
expect_json 'd.total' 19
expect_exit 0 "$QM" --db db audit verify

# ---- X-QM-Journal, and answers that follow the ledger ----
seq=$(last_seq)
for p in /api/v1/pledges /api/v1/pledges/p-deu-leo /api/v1/plan /api/v1/report /api/v1/journal '/api/v1/journal?limit=1'; do
	as view GET "$p"
	expect_status 200
	expect_header X-QM-Journal "$seq"
done
as view GET /api/v1/report
cp "$BODY" report-before.json
send coord POST /api/v1/pledges '{"id":"p-api-3","donor":"SWE","date":"2024-03-01","amount":"5m","currency":"EUR","status":"committed"}'
expect_status 201
for p in /api/v1/pledges /api/v1/pledges/p-deu-leo /api/v1/report; do
	as view GET "$p"
	expect_header X-QM-Journal "$((seq + 1))"
done
expect_json 'd.value_eur_cents - load("report-before.json").value_eur_cents' 500000000
# a change made with the CLI while the server runs
expect_exit 0 "$QM" --db db --actor cli-desk add pledges id=p-api-3 status=cancelled
as view GET /api/v1/report
expect_header X-QM-Journal "$((seq + 2))"
expect_json 'd.value_eur_cents - load("report-before.json").value_eur_cents' 0
as view GET /api/v1/pledges/p-api-3
expect_json d.status cancelled
as view GET '/api/v1/journal?limit=2'
expect_json 'd.items.map((x) => x.actor + " " + x.action + " " + x.key).join()' \
	"cli-desk revise p-api-3,coord create p-api-3"

# numbers read as a JSON import reads them: 0.1 is the amount 0.1, not 0.10000000000000001
send coord POST /api/v1/pledges '{"id":"p-num-1","donor":"NOR","date":"2024-03-01","amount":0.1,"currency":"EUR"}'
expect_status 201
expect_json 'd.amount' "0.10"

# ---- burden sharing, once there is a framework ----
send coord POST /api/v1/frameworks '{"id":"fw-api","name":"API test framework","start":"2023-01-01","end":"2023-12-31","amount":"1bn","currency":"EUR","gdp_year":2023,"parties":"DEU GBR SWE USA","counts":"committed"}'
expect_status 201
expect_journal frameworks fw-api coord create
expect_exit 0 "$QM" --db db burden fw-api --json --by half
cp "$OUT" burden.json
as view GET '/api/v1/burden?framework=fw-api&by=half'
expect_status 200
expect_json 'diff(d, load("burden.json"))' ""
expect_exit 0 "$QM" --db db burden fw-api --json --explain DEU
cp "$OUT" burden-deu.json
as view GET '/api/v1/burden?framework=fw-api&explain=DEU'
expect_status 200
expect_json 'diff(d, load("burden-deu.json"))' ""
as view GET '/api/v1/burden?framework=fw-nope'
case $STATUS in
4??) pass "$REQ: a client error ($STATUS)" ;;
*) fail "$REQ: a 4xx status expected, got $STATUS" "$(head -c 400 "$BODY")" ;;
esac

# ---- signing in with a password: the session cookie ----
req POST /api/v1/login -H "$J" --data-binary '{"name":"coord","password":"correct-horse-1"}' -c jar
expect_status 200
expect_json 'diff(d, {name: "coord", role: "coordinator"})' ""
cookie=$(hdr Set-Cookie)
case "; $cookie;" in
*"; HttpOnly;"*) pass "Set-Cookie has HttpOnly" ;;
*) fail "Set-Cookie should have HttpOnly: '$cookie'" ;;
esac
case "; $cookie;" in
*"; SameSite=Strict;"*) pass "Set-Cookie has SameSite=Strict" ;;
*) fail "Set-Cookie should have SameSite=Strict: '$cookie'" ;;
esac
case "; $cookie;" in
*"; Path=/;"*) pass "Set-Cookie has Path=/" ;;
*) fail "Set-Cookie should have Path=/: '$cookie'" ;;
esac
case "$cookie" in
qm_session=[0-9a-f]*) pass "Set-Cookie sets qm_session" ;;
*) fail "Set-Cookie should set qm_session: '$cookie'" ;;
esac
req POST /api/v1/login -H "$J" --data-binary '{"name":"coord","password":"wrong-horse-1"}'
expect_error 401 null
req POST /api/v1/login -H "$J" --data-binary '{"name":"nobody","password":"correct-horse-1"}'
expect_error 401 null
req GET /api/v1/me -b jar
expect_status 200
expect_json d.name coord
req GET '/api/v1/pledges?donor=NOR&limit=1' -b jar
expect_status 200
expect_json 'd.items.length' 1
CK_PLEDGE='{"id":"p-ck-1","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR"}'
req POST /api/v1/pledges -b jar -H "$J" --data-binary "$CK_PLEDGE"
expect_error 403 '*'
req POST /api/v1/pledges -b jar -H "$J" -H 'Origin: http://evil.example' --data-binary "$CK_PLEDGE"
expect_error 403 '*'
req POST /api/v1/pledges -b jar -H "$J" -H "Origin: http://127.0.0.1:1" --data-binary "$CK_PLEDGE"
expect_error 403 '*'
req POST /api/v1/pledges -b jar -H "$J" -H "Origin: null" --data-binary "$CK_PLEDGE"
expect_error 403 '*'
req POST /api/v1/pledges -b jar -H "$J" -H 'Referer: http://evil.example/#/pledges' --data-binary "$CK_PLEDGE"
expect_error 403 '*'
req POST /api/v1/pledges -b jar -H "$J" -H "Referer: $URL.evil.example/" --data-binary "$CK_PLEDGE"
expect_error 403 '*'
req PATCH /api/v1/pledges/p-nor-drones -b jar -H "$J" --data-binary '{"note":"by cookie"}'
expect_error 403 '*'
expect_absent /api/v1/pledges/p-ck-1
req POST /api/v1/pledges -b jar -H "$J" -H "Origin: $URL" --data-binary "$CK_PLEDGE"
expect_status 201
expect_journal pledges p-ck-1 coord create
req POST /api/v1/pledges -b jar -H "$J" -H "Referer: $URL/#/pledges" \
	--data-binary '{"id":"p-ck-2","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR"}'
expect_status 201
expect_journal pledges p-ck-2 coord create
req PATCH /api/v1/pledges/p-ck-1 -b jar -H "$J" -H "Origin: $URL" --data-binary '{"note":"by cookie"}'
expect_status 200
expect_journal pledges p-ck-1 coord revise
# a bearer token is not held to the origin
as coord POST /api/v1/pledges -H "$J" -H 'Origin: http://evil.example' \
	--data-binary '{"id":"p-ck-3","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR"}'
expect_status 201
# logout: refused from elsewhere, then ends the session
req POST /api/v1/logout -b jar
expect_error 403 '*'
req GET /api/v1/me -b jar
expect_status 200
req POST /api/v1/logout -b jar -H "Origin: $URL"
expect_status 200
req GET /api/v1/me -b jar
expect_error 401 null
req POST /api/v1/pledges -b jar -H "$J" -H "Origin: $URL" \
	--data-binary '{"id":"p-ck-4","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR"}'
expect_error 401 null
expect_absent /api/v1/pledges/p-ck-4

stop_server main
expect_exit 0 "$QM" --db db audit verify
expect_stdout_contains "chain correctly"
# neither the session id nor a token is kept as it is
sid=${cookie#qm_session=}
sid=${sid%%;*}
for secret in "$sid" $(cat tok.adm tok.coord tok.desk-nor tok.view tok.gone); do
	expect_equal "$(cat db db-wal 2>/dev/null | grep -c -a -F -e "$secret")" 0 \
		"a session id or token is nowhere in the database"
done

# ---- failed logins are slowed down; sessions expire when unused (a
# server of their own, stopped with SIGINT) ----
start_server db lock --session-idle 2
for i in 1 2 3 4 5; do
	req POST /api/v1/login -H "$J" --data-binary '{"name":"view","password":"wrong-horse-1"}'
	expect_error 401 null
done
req POST /api/v1/login -H "$J" --data-binary '{"name":"view","password":"wrong-horse-1"}'
expect_error 429 null
after=$(hdr Retry-After)
case $after in
1 | 2) pass "Retry-After $after after 5 failures" ;;
*) fail "Retry-After should be 2 seconds (or 1 left of them) after 5 failures, got '$after'" "$(tr -d '\r' <"$HDRS")" ;;
esac
req POST /api/v1/login -H "$J" --data-binary '{"name":"view","password":"correct-horse-1"}'
expect_error 429 null
case $(hdr Retry-After) in
[1-9] | [1-5][0-9] | 60) pass "Retry-After given" ;;
*) fail "429 without a Retry-After of 1 to 60 seconds" "$(tr -d '\r' <"$HDRS")" ;;
esac
case $after in
[1-9] | [1-5][0-9] | 60) sleep $((after + 1)) ;;
*) sleep 3 ;;
esac
req POST /api/v1/login -H "$J" --data-binary '{"name":"view","password":"correct-horse-1"}' -c jar2
expect_status 200
expect_json d.name view
req GET /api/v1/me -b jar2
expect_status 200
sleep 4
req GET /api/v1/me -b jar2
expect_error 401 null
stop_server lock INT

# ---- a clean stop: the requests in flight get their whole answers ----
start_server db stop --threads 2
head -c 300000 /dev/zero | tr '\0' y >pad
{ printf '{"id":"p-slow","donor":"NOR","date":"2024-03-01","amount":"1","currency":"EUR","note":"'; cat pad; printf '"}'; } >slow.json
bg() { # NAME CURL ARGS...: a request in the background
	_s_name=$1
	shift
	curl -sS --max-time 60 -o "$_s_name.body" -D "$_s_name.hdrs" -w '%{http_code}' "$@" \
		>"$_s_name.status" 2>"$_s_name.curlerr" </dev/null 3>&- 4<&- &
	BGS="$BGS $!"
}
BGS=
bg slow --limit-rate 100K -H "Authorization: Bearer $(cat tok.coord)" -H "$J" --data-binary @slow.json \
	"$URL/api/v1/pledges"
bg chart --limit-rate 50K "$URL/static/chart.umd.js"
bg plan1 -H "Authorization: Bearer $(cat tok.view)" "$URL/api/v1/plan?as_of=2024-01-01"
bg plan2 -H "Authorization: Bearer $(cat tok.view)" "$URL/api/v1/plan?committed_only=1"
bg report1 -H "Authorization: Bearer $(cat tok.view)" "$URL/api/v1/report?as_of=2024-02-01"
sleep 1
if [ -s slow.status ]; then
	fail "the slow upload should still be in flight after 1 second" "$(cat slow.status slow.curlerr)"
else
	pass "the slow upload is in flight"
fi
kill -TERM "$PID"
sleep 0.3
late=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "$URL/api/v1/openapi.json" 2>/dev/null </dev/null)
expect_equal "$late" 000 "no answer to a connection made after SIGTERM"
reap "$PID" 30
expect_equal "$REAPED" 0 "stop: exit status after SIGTERM with requests in flight"
server_log_clean stop
for p in $BGS; do
	wait "$p"
done
expect_equal "$(cat slow.status)" 201 "the slow upload got its answer"
expect_json '[d.id, d.note.length].join()' "p-slow,300000" slow.body
expect_equal "$(cat chart.status)" 200 "the slow download got its answer"
HDRS=chart.hdrs
expect_equal "$(wc -c <chart.body)" "$(hdr Content-Length)" "the slow download is whole"
HDRS=$TMP/.run/headers
for f in plan1 plan2 report1; do
	expect_equal "$(cat $f.status)" 200 "$f answered"
	expect_json 'typeof d === "object" && d !== null' true $f.body
done
expect_journal pledges p-slow coord create
expect_exit 0 "$QM" --db db audit verify

test_done
