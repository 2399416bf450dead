#!/bin/sh
# Training through qm serve, with curl, on the base fixtures and
# tests/data/training-web/ (crews on three items, courses of five providers,
# a training requirement): GET /api/v1/training needs credentials and gives
# exactly what `qm training --json` gives on the same database with the same
# QM_NOW (and with as_of and committed_only), with X-QM-Journal, and follows
# the ledger when it changes (answered from the cache while the journal
# stays); the plan view carries the second stage's fields; courses as a
# record kind through the generic endpoints: listing, one by key, writes by
# role (a coordinator may, a donor, a viewer and an admin get 403, whatever
# the body), the import's messages for a bad course (422), 409 and 404; and
# openapi.json describes both. JSON is read with node (make deps).
. "$(dirname "$0")/lib.sh"

need_commands curl node sqlite3

# "today" for the server and the CLI alike: the courses starting within 90
# days of 2024-03-01 are the fixture's upcoming ones
export QM_NOW=2024-03-01T09:00:00Z

. "$ROOT/tests/cli/serve.sh"
JS_PID=
trap 'stop_all; exec 3>&- 4<&-; [ -z "$JS_PID" ] || wait "$JS_PID"; cd / && rm -rf "$TMP"' EXIT

# ---- requests (tests/cli/api.sh) ----

. "$ROOT/tests/cli/api.sh"
REQ="qm training --json"

# ---- the ledger: base fixtures, crews, courses and a training requirement ----
load_base db
for k in items pledges courses requirements; do
	expect_exit 0 "$QM" -q --db db import "$k" "$DATA/training-web/$k.csv"
done
db_cp db ref.db # import messages are taken from this copy
printf 'correct-horse-1\n' >pw
for u in adm:admin coord:coordinator desk-nor:donor:NOR view:viewer; do
	expect_exit 0 "$QM" --db db user add "${u%%:*}" --role "${u#*:}" --password-file pw
	expect_exit 0 "$QM" --db db token create "${u%%:*}"
	cp "$OUT" "tok.${u%%:*}"
done
printf '%064d\n' 0 >tok.wrong
J='Content-Type: application/json'

expect_exit 0 "$QM" --db db training --json
cp "$OUT" training.json
expect_exit 0 "$QM" --db db training --json --committed-only
cp "$OUT" training-committed.json
expect_exit 0 "$QM" --db db training --json --as-of 2023-12-31
cp "$OUT" training-2023.json
expect_exit 0 "$QM" --db db plan --json
cp "$OUT" plan.json
# the fixture as the checks below read it
# (whether a cancelled course that starts soon is listed is the core's
# business: the API gives what the CLI gives)
expect_json '[d.today, d.upcoming_days, d.upcoming.filter((id) => id !== "c-nor-patriot-x").join(" ")].join()' \
	"2024-03-01,90,c-deu-patriot-2 c-swe-medic-1 c-gbr-leo-2" training.json
expect_json 'd.skills.map((s) => [s.skill, s.seats, s.needed, s.assigned, s.short].join(":")).join(" ")' \
	"combat-medic:42:50:42:8 drone-crew:12:10:10:0 leopard-crew:64:56:56:0 patriot-crew:105:90:90:0" training.json

start_server db main

# ---- /api/v1/training: credentials ----
req GET /api/v1/training
expect_error 401 null
as wrong GET /api/v1/training
expect_error 401 null
req GET /api/v1/training -H 'Authorization: Basic Y29vcmQ6Y29ycmVjdC1ob3JzZS0x'
expect_error 401 null

# ---- the same JSON as qm training --json, for every role ----
seq=$(last_seq)
for u in view desk-nor coord adm; do
	as "$u" GET /api/v1/training
	expect_status 200
	expect_json 'diff(d, load("training.json"))' ""
	expect_header X-QM-Journal "$seq"
done
case $(hdr Content-Type) in
application/json*) pass "$REQ: application/json" ;;
*) fail "$REQ: application/json expected, got '$(hdr Content-Type)'" ;;
esac
cp "$BODY" training-api.json
# fill rates as the CLI prints them (83.3, not 83.299999999999997)
bad_fill=$(grep -o '"fill_percent":[^,}]*' "$BODY" | grep -v -E ':[0-9]+\.[0-9]$')
expect_equal "$bad_fill" "" "$REQ: every fill_percent with one decimal"
expect_equal "$(grep -o '"fill_percent":[^,}]*' "$BODY" | wc -l)" \
	"$(grep -c '"fill_percent": ' training.json)" "$REQ: as many fill rates as the CLI prints"
expect_json 'd.courses.find((c) => c.id === "c-gbr-leo-2").location' "Bovington, <b>Dorset</b>"
expect_json 'd.courses.find((c) => c.id === "c-nor-patriot-x").location' "null"
as view GET '/api/v1/training?committed_only=1'
expect_status 200
expect_json 'diff(d, load("training-committed.json"))' ""
as view GET '/api/v1/training?as_of=2023-12-31'
expect_status 200
expect_json 'diff(d, load("training-2023.json"))' ""
as view GET '/api/v1/training?committed_only=0'
expect_json 'diff(d, load("training.json"))' ""
as view GET '/api/v1/training?as_of=2024-13-01'
expect_error 400 as_of "as_of: a date as YYYY-MM-DD, got '2024-13-01'"
as view GET /api/v1/training/c-deu-leo-1
expect_error 404 null
send coord POST /api/v1/training '{}'
expect_error 405 null
expect_header Allow GET

# ---- the plan view carries the second stage ----
as view GET /api/v1/plan
expect_status 200
expect_json 'diff(d, load("plan.json"))' ""
expect_json 'd.requirements.map((r) => [r.id, r.expected, r.ready, r.crew_needed, r.crew_assigned, r.crew_unmet].join(":")).join(" ")' \
	"r-1:2024-05-31:2024-08-30:90:90:0 r-t1:::0:0:0 r-2:::56:56:0 r-3:2023-12-27:2024-02-16:10:10:0"
expect_json '[typeof d.training_objective, d.seat_assignments.length > 0, Object.keys(d.seat_assignments[0]).join()].join("|")' \
	"number|true|course,requirement,skill,trainees,needed_by,available,days_late,crew"

# ---- answered from the cache while the journal stays ----
# a change behind the journal's back (a test only: qm itself always
# journals) is not seen until the journal moves on
db_sql db "UPDATE courses SET seats = 41 WHERE id = 'c-deu-leo-1'" 2>sql.err ||
	fail "the database would not change the course" "$(cat sql.err)"
as view GET /api/v1/training
expect_header X-QM-Journal "$seq"
expect_json 'd.courses.find((c) => c.id === "c-deu-leo-1").seats' 40
as view GET '/api/v1/training?committed_only=0&x=1'
expect_json 'd.courses.find((c) => c.id === "c-deu-leo-1").seats' 41
db_sql db "UPDATE courses SET seats = 40 WHERE id = 'c-deu-leo-1'"

# ---- courses through the generic endpoints: reading ----
expect_exit 0 "$QM" --db db list courses --json
cp "$OUT" list-courses.json
as view GET /api/v1/courses
expect_status 200
expect_json '[d.kind, d.total, d.items.length].join()' "courses,8,8"
expect_json 'diff(d.items, load("list-courses.json"))' ""
as desk-nor GET /api/v1/courses/c-deu-patriot-2
expect_status 200
expect_json '[d.id, d.provider, d.skill, d.seats, typeof d.seats, d.start, d.end, d.location, d.status].join()' \
	"c-deu-patriot-2,DEU,patriot-crew,40,number,2024-03-11,2024-08-30,Grafenwöhr,committed"
as view GET '/api/v1/courses?status=cancelled'
expect_json 'd.items.map((x) => x.id).join()' "c-nor-patriot-x"
as view GET '/api/v1/courses?q=dorset'
expect_json 'd.items.map((x) => x.id).join()' "c-gbr-leo-2"
as view GET '/api/v1/courses?sort=-seats&limit=2'
expect_json '[d.total, d.items.map((x) => x.id)].join()' "8,c-usa-patriot-1,c-deu-leo-1"
as view GET '/api/v1/courses?sort=colour'
expect_error 400 sort
as view GET /api/v1/courses/c-nope
expect_error 404 null

# ---- courses: who may write them ----
seq0=$(last_seq)
COURSE='{"id":"c-by-ROLE","provider":"NOR","skill":"patriot-crew","seats":10,"start":"2024-04-02","end":"2024-05-10"}'
for u in desk-nor view adm; do
	send "$u" POST /api/v1/courses "$(echo "$COURSE" | sed "s/ROLE/$u/")"
	expect_error 403 null
	expect_absent "/api/v1/courses/c-by-$u"
	# an existing key, a missing one and a bad body: still 403, not 409, 404 or 422
	send "$u" POST /api/v1/courses '{"id":"c-deu-leo-1","provider":"DEU","skill":"leopard-crew","seats":1,"start":"2024-01-01","end":"2024-01-02"}'
	expect_error 403 null
	send "$u" PATCH /api/v1/courses/c-nor-drone-1 '{"seats":99}'
	expect_error 403 null
	send "$u" PATCH /api/v1/courses/c-nope '{"seats":99}'
	expect_error 403 null
	send "$u" POST /api/v1/courses '{"id":"c-x","colour":"red"}'
	expect_error 403 null
done
send desk-nor POST /api/v1/courses "$(echo "$COURSE" | sed "s/ROLE/nor-own/")"
expect_error 403 null "the role donor:NOR may not write courses"
expect_equal "$(last_seq)" "$seq0" "nothing written by the refused course writes"
as view GET /api/v1/courses/c-nor-drone-1
expect_json d.seats 12
# a donor still writes its own pledges
send desk-nor POST /api/v1/pledges '{"id":"p-nor-t1130","donor":"NOR","date":"2024-03-01","amount":"1m","currency":"EUR"}'
expect_status 201

# the coordinator writes them, journaled under its name
seq1=$(last_seq)
send coord POST /api/v1/courses '{"id":"c-coord-1","provider":"NOR","skill":"combat-medic","seats":8,"start":"2024-04-08","end":"2024-05-17","location":"Bodø","status":"committed","source":"API test"}'
expect_status 201
expect_json '[d.id, d.provider, d.skill, d.seats, typeof d.seats, d.start, d.end, d.location, d.status, d.source, d.note].join("|")' \
	"c-coord-1|NOR|combat-medic|8|number|2024-04-08|2024-05-17|Bodø|committed|API test|"
expect_journal courses c-coord-1 coord create
send coord PATCH /api/v1/courses/c-gbr-leo-2 '{"status":"cancelled","note":"cancelled through the API"}'
expect_status 200
expect_json '[d.id, d.status, d.seats, d.location, d.note].join("|")' \
	"c-gbr-leo-2|cancelled|24|Bovington, <b>Dorset</b>|cancelled through the API"
expect_journal courses c-gbr-leo-2 coord revise
expect_equal "$(last_seq)" "$((seq1 + 2))" "two journal entries for the two course writes"

# ---- the training view follows the ledger ----
expect_exit 0 "$QM" --db db training --json
cp "$OUT" training-after.json
as view GET /api/v1/training
expect_status 200
expect_header X-QM-Journal "$((seq1 + 2))"
expect_json 'diff(d, load("training-after.json"))' ""
expect_json 'd.courses.find((c) => c.id === "c-gbr-leo-2").assigned' 0
expect_json 'd.skills.find((s) => s.skill === "combat-medic").short' 0
expect_json 'd.upcoming.filter((id) => id !== "c-nor-patriot-x" && id !== "c-gbr-leo-2").join(" ")' \
	"c-deu-patriot-2 c-swe-medic-1 c-coord-1"
# a change made with the CLI while the server runs
expect_exit 0 "$QM" --db db --actor cli-desk add courses id=c-coord-1 seats=20
as view GET /api/v1/training
expect_header X-QM-Journal "$((seq1 + 3))"
expect_json 'd.courses.find((c) => c.id === "c-coord-1").seats' 20
expect_exit 0 "$QM" --db db training --json
cp "$OUT" training-cli.json
expect_json 'diff(d, load("training-cli.json"))' ""

# ---- a bad course: the import's message, field by field (422) ----
send coord POST /api/v1/courses '{"id":"c-bad","provider":"NOR","skill":"x","seats":1,"start":"2024-05-01","end":"2024-06-01","colour":"red"}'
expect_error 422 colour "a field of courses, got 'colour'"
send coord PATCH /api/v1/courses/c-deu-leo-1 '{"colour":"red"}'
expect_error 422 colour "a field of courses, got 'colour'"
n=0
while read -r body; do
	n=$((n + 1))
	printf '[%s]\n' "$body" >"bad$n.json"
	run "$QM" --db ref.db import courses "bad$n.json" --dry-run
	msg=$(sed -n '1s/^[^ ]*: error: //p' "$ERR")
	[ -n "$msg" ] || fail "import of bad$n.json should report an error" "$(last_run)"
	send coord POST /api/v1/courses "$body"
	expect_error 422 "${msg%%:*}" "$msg"
done <<'EOF'
{"id":"c-bad","provider":"NOR","skill":"patriot-crew","seats":1,"start":"2024-05-01","end":"2024-04-01"}
{"id":"c-bad","provider":"XYZ","skill":"patriot-crew","seats":1,"start":"2024-05-01","end":"2024-06-01"}
{"id":"c-bad","provider":"NOR","skill":"patriot-crew","seats":0,"start":"2024-05-01","end":"2024-06-01"}
{"id":"c-bad","provider":"NOR","skill":"patriot-crew","seats":1,"start":"2024-02-30","end":"2024-06-01"}
{"id":"c-bad","provider":"NOR","skill":"patriot-crew","seats":1,"start":"2024-05-01","end":"2024-06-01","status":"maybe"}
{"id":"c-bad","provider":"NOR","seats":1,"start":"2024-05-01","end":"2024-06-01"}
{"id":"c bad","provider":"NOR","skill":"patriot-crew","seats":1,"start":"2024-05-01","end":"2024-06-01"}
EOF
expect_absent /api/v1/courses/c-bad
send coord PATCH /api/v1/courses/c-deu-leo-1 '{"end":"2022-01-01"}'
expect_error 422 end
send coord POST /api/v1/courses '{"id":"c-deu-leo-1","provider":"DEU","skill":"leopard-crew","seats":1,"start":"2024-01-01","end":"2024-01-02"}'
expect_error 409 id
send coord PATCH /api/v1/courses/c-nope '{"seats":3}'
expect_error 404 null
expect_absent /api/v1/courses/c-nope
as coord DELETE /api/v1/courses/c-deu-leo-1
expect_error 405 null

# ---- openapi.json describes the training view and courses ----
req GET /api/v1/openapi.json
expect_status 200
expect_json '["/api/v1/training", "/api/v1/courses", "/api/v1/courses/{key}"].filter((p) => !(p in d.paths)).join()' ""
expect_json 'Object.keys(d.paths["/api/v1/training"]).join()' "get"
expect_json 'd.paths["/api/v1/training"].get.responses["200"].content["application/json"].schema["$ref"]' \
	"#/components/schemas/Training"
expect_json 'd.paths["/api/v1/training"].get.parameters.map((p) => p.name).join()' "as_of,committed_only"
expect_json 'Object.keys(d.components.schemas.Training.properties).join()' \
	"today,upcoming_days,courses,providers,skills,upcoming"
expect_json 'Object.keys(d.components.schemas.Training.properties.courses.items.properties).join()' \
	"$(jv 'Object.keys(d.courses[0]).join()' training.json)"
expect_json 'Object.keys(d.components.schemas.Training.properties.skills.items.properties).join()' \
	"$(jv 'Object.keys(d.skills[0]).join()' training.json)"
expect_json 'Object.keys(d.components.schemas.Training.properties.providers.items.properties).join()' \
	"$(jv 'Object.keys(d.providers[0]).join()' training.json)"
expect_json 'Object.keys(d.components.schemas.course.properties).join()' \
	"id,provider,skill,seats,start,end,location,status,source,note"
expect_json 'd.components.schemas.course.required.join()' "id,provider,skill,seats,start,end"
expect_json 'Object.keys(d.paths["/api/v1/courses"]).join() + " " + Object.keys(d.paths["/api/v1/courses/{key}"]).join()' \
	"get,post parameters,get,patch"

stop_server main
expect_exit 0 "$QM" --db db audit verify
test_done
