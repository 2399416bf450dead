#!/bin/sh
# Training: courses, the crews that items name, the plan's second stage
# (seats) and qm training. Small ledgers from tests/data/training/, each
# checked against values worked out by hand: the ready dates (equipment
# early and crews late, crews early and equipment late, no seats, too few
# seats, no crew, a unit short); the second stage's demand (crew_size x
# units per assigned group of units, needed by their available date, at
# the served requirement's priority, competing with training requirements
# for the same seats); the objective and training_objective; cancelled
# courses, --committed-only and --as-of; the text, JSON and what-if outputs
# of qm plan; qm training's three outputs (fill rates, providers, skills,
# the courses starting within 90 days) and usage errors; bad course and
# item rows (FILE:LINE:COLUMN messages, nothing written); export round
# trips, qm list courses, qm audit verify; and the same bytes every time,
# whatever the order of the courses' rows.
. "$(dirname "$0")/lib.sh"

TR=$DATA/training

# ---- helpers ----

jq_() { # FILE SQL-EXPRESSION over j.t (the JSON text)
	sqlite3 :memory: "SELECT $2 FROM (SELECT CAST(readfile('$1') AS TEXT) AS t) AS j"
}
top() { # FILE FIELD: a top-level field
	jq_ "$1" "coalesce(json_extract(t, '\$.$2'), 'null')"
}
reqf() { # FILE ID FIELD...: fields of one requirement, joined by /
	_f=$1
	_id=$2
	shift 2
	_sep=
	_all=
	for _x in "$@"; do
		_v=$(sqlite3 :memory: "SELECT coalesce(json_extract(value, '\$.$_x'), 'null')
			FROM json_each(CAST(readfile('$_f') AS TEXT), '\$.requirements')
			WHERE json_extract(value, '\$.id') = '$_id'")
		_all=$_all$_sep$_v
		_sep=/
	done
	printf '%s\n' "$_all"
}
seats() { # FILE: the seat assignments in order, course:requirement:skill:
	# trainees:needed_by:available:days_late:crew (crew 1 or 0), one a line
	sqlite3 :memory: "SELECT json_extract(value, '\$.course') || ':' ||
		json_extract(value, '\$.requirement') || ':' || json_extract(value, '\$.skill') || ':' ||
		json_extract(value, '\$.trainees') || ':' || json_extract(value, '\$.needed_by') || ':' ||
		json_extract(value, '\$.available') || ':' || json_extract(value, '\$.days_late') || ':' ||
		json_extract(value, '\$.crew')
		FROM json_each(CAST(readfile('$1') AS TEXT), '\$.seat_assignments') ORDER BY key"
}
# the requirements' costs add up to the objective
expect_costs_add_up() { # FILE WHAT
	expect_equal "$(jq_ "$1" "(SELECT sum(json_extract(value, '\$.cost'))
		FROM json_each(t, '\$.requirements'))")" "$(top "$1" objective)" \
		"$2: the requirements' costs add up to the objective"
}
expect_stdout_match() { # ERE WHAT: a whole line of the last output matches
	if grep -q -E -x -e "$1" "$OUT"; then
		pass "$2"
	else
		fail "$2: no line matches /$1/" "$(last_run)"
	fi
}
# ledger DB CASE: parties and rates, the training items, then CASE's
# pledges, requirements and courses (those that it has)
ledger() {
	load_base "$1" parties rates
	run "$QM" -q --db "$1" import items "$TR/items.csv"
	expect_equal "$LAST_STATUS" 0 "$2: import items"
	for _k in pledges requirements courses; do
		if [ -f "$TR/$2-$_k.csv" ]; then
			run "$QM" -q --db "$1" import "$_k" "$TR/$2-$_k.csv"
			expect_equal "$LAST_STATUS" 0 "$2: import $_k"
		fi
	done
}
plan_json() { # DB OUTFILE [OPTION...]
	_db=$1
	_to=$2
	shift 2
	run "$QM" --db "$_db" plan --json "$@"
	expect_equal "$LAST_STATUS" 0 "plan --json $* on $_db"
	cp "$OUT" "$_to"
}

# ---- 1. ready dates ----
# The items (tests/data/training/items.csv): patriot-battery gives
# long-range-air-defence and needs 4 patriot-crew per unit; patriot-radar
# gives air-defence-radar and needs 2 patriot-crew; leopard-2a6 needs 4
# leopard-crew; drone-x has no crew.

# (a) equipment early, crews late: 1 battery available 2024-03-01 for r-a
# (priority 1, w 16, needed by 2024-06-30): on time, expected 2024-03-01.
# Its crew, 4, is needed by 2024-03-01; the only course, c-a (4 seats),
# ends 2024-08-31: 31+30+31+30+31+30 = 183 days late. Ready = the course's
# end. training_objective = 16 x 183 x 4 = 11712, which is all the objective.
ledger a.db a
plan_json a.db a.json
expect_equal "$(reqf a.json r-a assigned unmet expected)" "1/0/2024-03-01" "(a) equipment on time"
expect_equal "$(reqf a.json r-a crew_needed crew_assigned crew_unmet ready)" \
	"4/4/0/2024-08-31" "(a) ready when the course ends"
expect_equal "$(seats a.json)" "c-a:r-a:patriot-crew:4:2024-03-01:2024-08-31:183:1" "(a) the seats"
expect_equal "$(top a.json training_objective)/$(top a.json objective)" "11712/11712" \
	"(a) training_objective 16 x 183 x 4, and the objective"
expect_equal "$(reqf a.json r-a cost)" 11712 "(a) the crew's lateness is r-a's cost"
run "$QM" --db a.db plan
expect_stdout_line "Ready: equipment there and crews trained"
expect_stdout_match 'r-a +1 +2024-03-01 +4 +4 +0 +2024-08-31' "(a) text: r-a's ready row"
expect_stdout_line "Seats: what each course is assigned to (training objective 11712)"
expect_stdout_match 'c-a +r-a +crew +4 +2024-03-01 +2024-08-31 +183' "(a) text: the seats row"

# (b) crews early, equipment late: c-b ends 2024-04-30, the battery comes
# 2024-09-30 for r-b needed by 2024-06-30: 31+31+30 = 92 days late, 16 x 92
# = 1472. Its crew is needed by 2024-09-30 and is trained in time (0 days
# late, training_objective 0). Ready = expected = 2024-09-30.
ledger b.db b
plan_json b.db b.json
expect_equal "$(reqf b.json r-b expected crew_needed crew_assigned crew_unmet ready)" \
	"2024-09-30/4/4/0/2024-09-30" \
	"(b) ready when the equipment comes"
expect_equal "$(seats b.json)" "c-b:r-b:patriot-crew:4:2024-09-30:2024-04-30:0:1" \
	"(b) the crew is needed by the equipment's date"
expect_equal "$(top b.json training_objective)/$(top b.json objective)" "0/1472" \
	"(b) training_objective 0, objective 16 x 92"

# (c) no seats at all: 2 batteries for r-c (priority 2, w 8), crew 4 x 2 =
# 8, no course: all 8 short, ready never. training_objective = 8 x 3650 x 8
# = 233600. The text shows the ready table but no seats.
ledger c.db c
plan_json c.db c.json
expect_equal "$(reqf c.json r-c assigned unmet expected)" "2/0/2024-03-01" "(c) equipment met"
expect_equal "$(reqf c.json r-c crew_needed crew_assigned crew_unmet ready)" \
	"8/0/8/null" "(c) no seats: 8 short, ready null"
expect_equal "$(jq_ c.json "json_array_length(t, '\$.seat_assignments')")" 0 "(c) no seat assignments"
expect_equal "$(top c.json training_objective)/$(top c.json objective)" "233600/233600" \
	"(c) training_objective 8 x 3650 x 8"
run "$QM" --db c.db plan
expect_stdout_line "Ready: equipment there and crews trained"
expect_stdout_match 'r-c +2 +2024-03-01 +8 +0 +8 +never' "(c) text: ready never"
expect_stdout_lacks "Seats:"

# (d) partial seats: 2 batteries for r-d (priority 1), crew 8 by
# 2024-03-01, c-d has 5 seats ending 2024-02-15 (on time): 5 assigned, 3
# short, ready never. training_objective = 16 x 3650 x 3 = 175200.
ledger d.db d
plan_json d.db d.json
expect_equal "$(reqf d.json r-d expected crew_needed crew_assigned crew_unmet ready)" \
	"2024-03-01/8/5/3/null" \
	"(d) 5 of 8 trained, ready null"
expect_equal "$(seats d.json)" "c-d:r-d:patriot-crew:5:2024-03-01:2024-02-15:0:1" "(d) the seats"
expect_equal "$(top d.json training_objective)" 175200 "(d) training_objective 16 x 3650 x 3"

# (e) no crew, and a unit short with seats enough: 5 drones (no crew) for
# r-e-drone, available 2024-02-01: ready = expected = 2024-02-01, crew
# fields 0. One battery for r-e-pat, which needs 3 (2 unmet): its crew (4)
# is trained by c-e (12 seats), but r-e-pat is never ready. objective =
# 2 x 16 x 3650 = 116800, training_objective 0.
ledger e.db e
plan_json e.db e.json
expect_equal "$(reqf e.json r-e-drone expected crew_needed crew_assigned crew_unmet ready)" \
	"2024-02-01/0/0/0/2024-02-01" \
	"(e) no crew: ready when expected"
expect_equal "$(reqf e.json r-e-pat assigned unmet expected crew_needed crew_assigned crew_unmet ready)" \
	"1/2/null/4/4/0/null" \
	"(e) a unit short: ready null though its crew is trained"
expect_equal "$(top e.json objective)/$(top e.json training_objective)" "116800/0" "(e) objectives"
run "$QM" --db e.db plan
expect_stdout_match 'r-e-pat +1 +never +4 +4 +0 +never' "(e) text: r-e-pat never ready"
expect_equal "$(sed -n '/^Ready:/,/^Seats:/p' "$OUT" | grep -c r-e-drone)" 0 \
	"(e) text: no ready row for the requirement without crews"

# ---- 2. stage 2 ----
# s2: r-ad, 2 long-range-air-defence, priority 2 (w 8), needed by
# 2024-04-01: p-1 (1 battery, 2024-03-01, on time) and p-2 (1 battery,
# 2024-05-01, 30 days late: 8 x 30 = 240). So two crew demands of 4, needed
# by 2024-03-01 and by 2024-05-01, at w 8. r-tr: 3 patriot-crew trainees
# (a training requirement), priority 1 (w 16), needed by 2024-04-01.
# Seats: c-1 6 (committed, ends 2024-02-28: on time for all), c-2 4
# (announced, ends 2024-05-11: 10 days late for the second crew, 40 for
# r-tr, 71 for the first crew), c-x 50 (cancelled: nothing). Demand 11,
# seats 10: one trainee short, at w 8 (a crew, not r-tr). c-2's seats cost
# least on the second crew (8 x 10 each), so c-2 -> 4 of it; c-1 -> r-tr 3
# and the first crew 3; the first crew is 1 short. training_objective =
# 8 x 3650 + 8 x 10 x 4 = 29200 + 320 = 29520; objective = 240 + 29520.
ledger s2.db s2
plan_json s2.db s2.json
expect_equal "$(top s2.json objective)/$(top s2.json training_objective)" "29760/29520" \
	"s2: objective and training_objective"
expect_equal "$(reqf s2.json r-ad assigned expected cost)" \
	"2/2024-05-01/29760" "s2: r-ad's equipment and cost"
expect_equal "$(reqf s2.json r-ad crew_needed crew_assigned crew_unmet ready)" \
	"8/7/1/null" "s2: r-ad's crews, one short"
expect_equal "$(reqf s2.json r-tr assigned unmet expected crew_needed crew_assigned crew_unmet ready cost)" \
	\
	"3/0/2024-02-28/0/0/0/2024-02-28/0" "s2: the training requirement is met first (priority 1)"
expect_equal "$(seats s2.json)" "c-1:r-tr:patriot-crew:3:2024-04-01:2024-02-28:0:0
c-1:r-ad:patriot-crew:3:2024-03-01:2024-02-28:0:1
c-2:r-ad:patriot-crew:4:2024-05-01:2024-05-11:10:1" \
	"s2: seats; one crew demand per available date of r-ad's units"
expect_equal "$(seats s2.json | grep -c c-x)" 0 "s2: the cancelled course gives nothing"
expect_costs_add_up s2.json s2
run "$QM" --db s2.db plan
expect_stdout_line "Seats: what each course is assigned to (training objective 29520)"
expect_stdout_match 'c-1 +r-tr +training +3 +2024-04-01 +2024-02-28 +0' "s2 text: training seats"
expect_stdout_match 'c-2 +r-ad +crew +4 +2024-05-01 +2024-05-11 +10' "s2 text: crew seats, late"
expect_stdout_match 'r-ad +2 +2024-05-01 +8 +7 +1 +never' "s2 text: r-ad's ready row"

# --committed-only: c-2 (announced) goes; 6 seats: r-tr 3 (w 16) first,
# then 3 crew, 5 crew short: 5 x 8 x 3650 = 146000; objective + 240.
plan_json s2.db s2c.json --committed-only
expect_equal "$(top s2c.json objective)/$(top s2c.json training_objective)" "146240/146000" \
	"s2 --committed-only: objectives"
expect_equal "$(reqf s2c.json r-ad crew_needed crew_assigned crew_unmet)/$(reqf s2c.json r-tr assigned unmet)" \
	"8/3/5/3/0" \
	"s2 --committed-only: the training requirement keeps its seats, crews are short"
expect_equal "$(seats s2c.json | grep -c c-2)" 0 "s2 --committed-only: no seats of the announced course"

# --as-of 2024-01-15: p-2 (dated 2024-01-20) goes, but courses (all
# starting after that) stay. r-ad: 1 unmet (8 x 3650 = 29200); one crew
# demand of 4 by 2024-03-01. c-1's 6 on time: r-tr 3 and 3 crew; the 7th
# trainee from c-2: the crew at 8 x 71 = 568 (r-tr would be 16 x 40 = 640).
plan_json s2.db s2a.json --as-of 2024-01-15
expect_equal "$(top s2a.json objective)/$(top s2a.json training_objective)" "29768/568" \
	"s2 --as-of: the courses stay"
expect_equal "$(reqf s2a.json r-ad assigned unmet crew_needed crew_assigned crew_unmet ready)" \
	"1/1/4/4/0/null" "s2 --as-of: r-ad"
expect_equal "$(seats s2a.json | tail -n 1)" "c-2:r-ad:patriot-crew:1:2024-03-01:2024-05-11:71:1" \
	"s2 --as-of: a seat 71 days late"
for f in a b c d e s2c s2a; do
	expect_costs_add_up $f.json $f
done

# ---- 3. qm plan's outputs ----
# without crews or courses: no training sections, training_objective 0
load_base base.db
run "$QM" --db base.db plan
expect_stdout_lacks "Ready:"
expect_stdout_lacks "Seats:"
plan_json base.db base.json
expect_equal "$(top base.json training_objective)/$(jq_ base.json "json_array_length(t, '\$.seat_assignments')")" \
	"0/0" "base: no training"
expect_equal "$(reqf base.json r-1 crew_needed crew_assigned crew_unmet ready)" \
	"0/0/0/null" "base: r-1 (units unmet) never ready"
# a course and a training requirement, but no crews: seats, no ready table
load_base seats.db parties
run "$QM" -q --db seats.db import courses "$TR/tr-courses.csv"
cat >gun.csv <<'EOF'
id,capability,item,quantity,priority,needed_by
q-gun,gunnery,,2,3,2026-01-31
EOF
run "$QM" -q --db seats.db import requirements gun.csv
expect_equal "$LAST_STATUS" 0 "import a training requirement"
# t-gun (3 seats) ends 2026-02-20, 20 days after 2026-01-31: 4 x 20 x 2 = 160
run "$QM" --db seats.db plan
expect_stdout_lacks "Ready:"
expect_stdout_line "Seats: what each course is assigned to (training objective 160)"
expect_stdout_match 't-gun +q-gun +training +2 +2026-01-31 +2026-02-20 +20' "training only: the seats row"
plan_json seats.db seats.json
expect_equal "$(reqf seats.json q-gun assigned expected ready cost)" "2/2026-02-20/2026-02-20/160" \
	"a training requirement is expected and ready when its course ends"
# the JSON's fields, in order
expect_equal "$(sed -n 's/^    {"id": "r-a", \(.*\)}$/\1/p' a.json | sed 's/: [^,]*//g')" \
	'"capability", "item", "priority", "needed_by", "needed", "assigned", "delivered", "unmet", "expected", "crew_needed", "crew_assigned", "crew_unmet", "ready", "cost"' \
	"--json: a requirement's fields"
expect_equal "$(grep '"course": "c-a"' a.json | sed 's/: [^,}]*//g; s/^ *//')" \
	'{"course", "requirement", "skill", "trainees", "needed_by", "available", "days_late", "crew"}' \
	"--json: a seat assignment's fields"
expect_equal "$(sed -n 3,5p a.json | tr -d ' ')" \
	'"objective":11712,
"training_objective":11712,
"needed_total":1,' "--json: training_objective after objective"

# what-if: r-w1 (priority 1) and r-w2 (priority 2) each get a unit on
# 2024-03-01 (a battery, crew 4; a radar, crew 2). Seats: c-early 4 (ends
# 2024-02-01), c-late 4 (ends 2024-08-31, 183 days late). r-w1's crew takes
# c-early, r-w2's c-late: 8 x 183 x 2 = 2928; r-w2 ready 2024-08-31.
# If p-w1 slips to 2024-09-30 (92 days late for r-w1: 16 x 92 = 1472), its
# crew is needed by then and either course will do, so r-w2's crew takes
# c-early: r-w2 ready 2024-03-01, though its expected date stays.
ledger wi.db wi
db_dump wi.db wi.before
plan_json wi.db wi.json
expect_equal "$(reqf wi.json r-w1 ready)/$(reqf wi.json r-w2 expected ready)/$(top wi.json objective)" \
	"2024-03-01/2024-03-01/2024-08-31/2928" "what-if ledger as it is"
cp "$TR/wi-slip.csv" slip.csv
expect_exit 0 "$QM" --db wi.db plan --what-if slip.csv
expect_stdout_line "objective 2928 -> 1472; unmet units 0 -> 0"
expect_stdout_match 'r-w1 +1 -> 1 +0 -> 0 +2024-03-01 -> 2024-09-30 +2024-03-01 -> 2024-09-30 +moves' "what-if: r-w1 moves"
expect_stdout_match 'r-w2 +1 -> 1 +0 -> 0 +2024-03-01 -> 2024-03-01 +2024-08-31 -> 2024-03-01 +moves' "what-if: r-w2, whose ready date alone moves, is reported with it"
expect_exit 0 "$QM" --db wi.db plan --what-if slip.csv --json
cp "$OUT" wi-what.json
expect_equal "$(jq_ wi-what.json "(SELECT group_concat(json_extract(value, '\$.after.id') || ':' ||
	json_extract(value, '\$.before.expected') || '>' || json_extract(value, '\$.after.expected') || ':' ||
	json_extract(value, '\$.before.ready') || '>' || json_extract(value, '\$.after.ready'), ' ')
	FROM json_each(t, '\$.changes'))")" \
	"r-w1:2024-03-01>2024-09-30:2024-03-01>2024-09-30 r-w2:2024-03-01>2024-03-01:2024-08-31>2024-03-01" \
	"what-if --json: the ready dates before and after"
expect_db_unchanged wi.before wi.db

# ---- 4. qm training ----
# tr: today is 2026-01-01 (QM_NOW). Courses, by start:
#   t-leo GBR leopard-crew 6, starts 2025-12-31 (yesterday: not upcoming)
#   t-sig SWE signals 10, starts today (day 0: upcoming); nobody needs it: 0.0%
#   t-can DEU medic 100, cancelled: 0, counts for no provider, not upcoming
#   t-gun DEU gunnery 3, day 31: q-gun needs 2: 2/3 = 66.7%
#   t-med DEU medic 16, 2026-04-01 = day 31 + 28 + 31 = 90 (upcoming):
#         q-med needs 1: 1/16 = 6.25%, half up 6.3%
#   t-sap USA sapper 3, day 91 (not upcoming): q-sap needs 1: 33.3%
# leopard-crew: q-leo 1 (priority 1) and the crews of p-tank's 2 Leopards
# for q-tank (4 x 2 = 8, priority 2): 9 needed, 6 seats (t-leo, 100.0%):
# q-leo 1 and 5 crew, 3 short. patriot-crew is a skill (items name it) with
# nothing. Providers: DEU 2 courses (t-can left out), 3 + 16 = 19 seats,
# 3 used: 3/19 = 15.789% -> 15.8%; GBR 6/6; SWE 0/10; USA 1/3.
ledger tr.db tr
expect_exit 0 "$QM" --db tr.db training
expect_stderr_empty
cp "$OUT" tr.txt
expect_stdout_line "Quartermaster training, today 2026-01-01"
expect_stdout_match 't-leo +GBR +leopard-crew +committed +6 +6 +100\.0% +2025-12-31 +2026-01-30' "text: t-leo"
expect_stdout_match 't-sig +SWE +signals +committed +10 +0 +0\.0% +2026-01-01 +2026-03-01' "text: t-sig"
expect_stdout_match 't-can +DEU +medic +cancelled +100 +0 +0\.0% +2026-01-15 +2026-01-20' "text: t-can"
expect_stdout_match 't-gun +DEU +gunnery +committed +3 +2 +66\.7% +2026-02-01 +2026-02-20' "text: t-gun"
expect_stdout_match 't-med +DEU +medic +announced +16 +1 +6\.3% +2026-04-01 +2026-04-30' "text: t-med"
expect_stdout_match 't-sap +USA +sapper +announced +3 +1 +33\.3% +2026-04-02 +2026-04-10' "text: t-sap"
expect_stdout_match 'DEU +2 +19 +3 +15\.8%' "text: provider DEU"
expect_stdout_match 'GBR +1 +6 +6 +100\.0%' "text: provider GBR"
expect_stdout_match 'SWE +1 +10 +0 +0\.0%' "text: provider SWE"
expect_stdout_match 'USA +1 +3 +1 +33\.3%' "text: provider USA"
expect_stdout_match 'gunnery +3 +2 +0 +2 +0' "text: skill gunnery"
expect_stdout_match 'leopard-crew +6 +9 +8 +6 +3' "text: skill leopard-crew"
expect_stdout_match 'medic +16 +1 +0 +1 +0' "text: skill medic"
expect_stdout_match 'patriot-crew +0 +0 +0 +0 +0' "text: skill patriot-crew"
expect_stdout_match 'sapper +3 +1 +0 +1 +0' "text: skill sapper"
expect_stdout_match 'signals +10 +0 +0 +0 +0' "text: skill signals"
expect_stdout_line "Starting within 90 days"
sed -n '/^Starting within 90 days/,$p' tr.txt | awk '/^t-/ { printf "%s ", $1 }' >upcoming.txt
expect_equal "$(sed 's/t-can //' upcoming.txt)" "t-sig t-gun t-med " \
	"text: starting within 90 days: day 0 to day 90"
expect_equal "$(grep -c t-can upcoming.txt)" 0 "text: a cancelled course is not starting within 90 days"

expect_exit 0 "$QM" --db tr.db training --json
expect_stderr_empty
cp "$OUT" tr.json
expect_equal "$(jq_ tr.json "json_valid(t)")" 1 "training --json: valid JSON"
expect_equal "$(top tr.json today)/$(top tr.json upcoming_days)" "2026-01-01/90" "training --json: today"
expect_equal "$(jq_ tr.json "(SELECT group_concat(json_extract(value, '\$.id') || ':' ||
	json_extract(value, '\$.seats') || ':' || json_extract(value, '\$.assigned') || ':' ||
	json_extract(value, '\$.upcoming'), ' ') FROM json_each(t, '\$.courses')
	WHERE json_extract(value, '\$.status') <> 'cancelled')")" \
	"t-leo:6:6:0 t-sig:10:0:1 t-gun:3:2:1 t-med:16:1:1 t-sap:3:1:0" \
	"training --json: courses by start, with seats, assigned, upcoming"
expect_equal "$(grep -o '"fill_percent": [^,]*' tr.json | cut -d' ' -f2 | tr '\n' ' ')" \
	"100.0 0.0 0.0 66.7 6.3 33.3 15.8 100.0 0.0 33.3 " \
	"training --json: fill_percent with one decimal, half up (courses, then providers)"
expect_equal "$(jq_ tr.json "(SELECT group_concat(json_extract(value, '\$.provider') || ':' ||
	json_extract(value, '\$.courses') || ':' || json_extract(value, '\$.seats') || ':' ||
	json_extract(value, '\$.used'), ' ') FROM json_each(t, '\$.providers'))")" \
	"DEU:2:19:3 GBR:1:6:6 SWE:1:10:0 USA:1:3:1" "training --json: providers"
expect_equal "$(jq_ tr.json "(SELECT group_concat(json_extract(value, '\$.skill') || ':' ||
	json_extract(value, '\$.seats') || ':' || json_extract(value, '\$.needed') || ':' ||
	json_extract(value, '\$.crew_needed') || ':' || json_extract(value, '\$.assigned') || ':' ||
	json_extract(value, '\$.short'), ' ') FROM json_each(t, '\$.skills'))")" \
	"gunnery:3:2:0:2:0 leopard-crew:6:9:8:6:3 medic:16:1:0:1:0 patriot-crew:0:0:0:0:0 sapper:3:1:0:1:0 signals:10:0:0:0:0" \
	"training --json: skills"
expect_equal "$(jq_ tr.json "(SELECT group_concat(value, ' ') FROM json_each(t, '\$.upcoming')
	WHERE value <> 't-can')")" "t-sig t-gun t-med" "training --json: upcoming"
expect_equal "$(jq_ tr.json "(SELECT json_extract(value, '\$.seats') || ':' || json_extract(value, '\$.assigned')
	|| ':' || json_extract(value, '\$.upcoming') FROM json_each(t, '\$.courses')
	WHERE json_extract(value, '\$.id') = 't-can')")/$(jq_ tr.json "(SELECT count(*)
	FROM json_each(t, '\$.upcoming') WHERE value = 't-can')")" "100:0:0/0" \
	"training --json: the cancelled course: nothing assigned, not upcoming"

expect_exit 0 "$QM" --db tr.db training --csv
expect_stderr_empty
cat >want.csv <<'EOF'
id,provider,skill,status,seats,assigned,fill_percent,start,end,location,upcoming
t-leo,GBR,leopard-crew,committed,6,6,100.0,2025-12-31,2026-01-30,Bovington,no
t-sig,SWE,signals,committed,10,0,0.0,2026-01-01,2026-03-01,,yes
t-gun,DEU,gunnery,committed,3,2,66.7,2026-02-01,2026-02-20,"Grafenwöhr, Bavaria",yes
t-med,DEU,medic,announced,16,1,6.3,2026-04-01,2026-04-30,,yes
t-sap,USA,sapper,announced,3,1,33.3,2026-04-02,2026-04-10,,no
EOF
grep -v '^t-can,' "$OUT" >got.csv
expect_same_file got.csv want.csv
expect_stdout_line "t-can,DEU,medic,cancelled,100,0,0.0,2026-01-15,2026-01-20,,no"

# --committed-only: t-med and t-sap (announced) go: medic and sapper have
# no seats, 1 short each; DEU offers t-gun only, 2 of 3 used (66.7%); USA
# offers nothing.
expect_exit 0 "$QM" --db tr.db training --committed-only --json
cp "$OUT" trc.json
expect_equal "$(jq_ trc.json "(SELECT group_concat(json_extract(value, '\$.skill') || ':' ||
	json_extract(value, '\$.seats') || ':' || json_extract(value, '\$.short'), ' ')
	FROM json_each(t, '\$.skills') WHERE json_extract(value, '\$.skill') IN ('medic', 'sapper'))")" \
	"medic:0:1 sapper:0:1" "training --committed-only: no announced seats"
expect_equal "$(jq_ trc.json "(SELECT group_concat(json_extract(value, '\$.provider') || ':' ||
	json_extract(value, '\$.courses') || ':' || json_extract(value, '\$.seats') || ':' ||
	json_extract(value, '\$.used') || ':' || json_extract(value, '\$.fill_percent'), ' ')
	FROM json_each(t, '\$.providers'))")" \
	"DEU:1:3:2:66.7 GBR:1:6:6:100.0 SWE:1:10:0:0.0 USA:0:0:0:0.0" \
	"training --committed-only: providers offer their committed courses only"
# --as-of 2025-10-01: p-tank (dated 2025-11-01) goes, so no Leopard crews;
# the courses stay: leopard-crew needs 1, t-leo gives 1 (16.7%)
expect_exit 0 "$QM" --db tr.db training --as-of 2025-10-01 --json
cp "$OUT" tra.json
expect_equal "$(jq_ tra.json "(SELECT json_extract(value, '\$.seats') || ':' || json_extract(value, '\$.needed')
	|| ':' || json_extract(value, '\$.crew_needed') || ':' || json_extract(value, '\$.assigned') || ':' ||
	json_extract(value, '\$.short') FROM json_each(t, '\$.skills')
	WHERE json_extract(value, '\$.skill') = 'leopard-crew')")" "6:1:0:1:0" \
	"training --as-of: no crews for a pledge dated later; the course stays"
expect_equal "$(jq_ tra.json "(SELECT json_extract(value, '\$.fill_percent') FROM json_each(t, '\$.courses')
	WHERE json_extract(value, '\$.id') = 't-leo')")" 16.7 "training --as-of: t-leo 1/6 = 16.7%"

# courses and no requirement: every skill's seats are still shown
# (leopard-crew: t-leo's 6; patriot-crew, which only items name: 0)
load_base courses.db parties
run "$QM" -q --db courses.db import items "$TR/items.csv"
run "$QM" -q --db courses.db import courses "$TR/tr-courses.csv"
expect_exit 0 "$QM" --db courses.db plan
expect_stdout_contains "nothing is assigned"
expect_exit 0 "$QM" --db courses.db training --json
cp "$OUT" courses.json
expect_equal "$(jq_ courses.json "(SELECT group_concat(json_extract(value, '\$.skill') || ':' ||
	json_extract(value, '\$.seats'), ' ') FROM json_each(t, '\$.skills'))")" \
	"gunnery:3 leopard-crew:6 medic:16 patriot-crew:0 sapper:3 signals:10" \
	"training without requirements: the seats per skill"
expect_equal "$(jq_ courses.json "(SELECT group_concat(value, ' ') FROM json_each(t, '\$.upcoming')
	WHERE value <> 't-can')")" "t-sig t-gun t-med" "training without requirements: upcoming"
# a training requirement whose skill's only course is cancelled: still a
# skill, 2 short at priority 1: training_objective 2 x 16 x 3650 = 116800
load_base z.db parties
cat >z-courses.csv <<'EOF'
id,provider,skill,seats,start,end,status
z-1,DEU,skill-z,5,2024-01-01,2024-01-31,cancelled
EOF
cat >z-requirements.csv <<'EOF'
id,capability,item,quantity,priority,needed_by
q-z,skill-z,,2,1,2024-06-30
EOF
run "$QM" -q --db z.db import courses z-courses.csv
run "$QM" -q --db z.db import requirements z-requirements.csv
plan_json z.db z.json
expect_equal "$(top z.json objective)/$(top z.json training_objective)" "116800/116800" \
	"a cancelled course's skill: its shortage is training"
expect_exit 0 "$QM" --db z.db training --json
cp "$OUT" zt.json
expect_equal "$(jq_ zt.json "(SELECT group_concat(json_extract(value, '\$.skill') || ':' ||
	json_extract(value, '\$.seats') || ':' || json_extract(value, '\$.needed') || ':' ||
	json_extract(value, '\$.short'), ' ') FROM json_each(t, '\$.skills'))")" "skill-z:0:2:2" \
	"a cancelled course's skill: listed, 2 short"

# usage
expect_exit 0 "$QM" training --help
expect_stdout_contains "usage: qm training"
expect_stdout_contains "--committed-only"
expect_exit 0 "$QM" help training
expect_stdout_contains "usage: qm training"
db_dump tr.db tr.before
for bad in "--json --csv" "--csv --json" "--bogus" "--as-of" "--as-of 2024-02-30" "--as-of yesterday" \
	"extra" "--json extra"; do
	# shellcheck disable=SC2086 # one case, several words
	expect_exit 64 "$QM" --db tr.db training $bad
	expect_stderr_contains "qm training --help"
	expect_equal "$(cat "$OUT")" "" "nothing on standard output for: training $bad"
done
expect_db_unchanged tr.before tr.db

# ---- 5. import ----
# columns: k-1's end starts at 4 + 4 + 13 + 2 + 11 + 1 = 35; k-2's provider
# at 5; seats at 4 + 4 + 13 + 1 = 22; k-5's status (after an empty
# location) at 4 + 4 + 13 + 2 + 11 + 11 + 1 + 1 = 47
expect_bad_import tr.db courses "$TR/courses-bad.csv" \
	"courses-bad.csv:2:35: error: end: a date on or after start, got '2024-04-30'" \
	"courses-bad.csv:3:5: error: provider: the code of a known party, got 'FRA'" \
	"courses-bad.csv:4:22: error: seats: a whole number of at least 1, got '0'" \
	"courses-bad.csv:5:22: error: seats: a whole number of at least 1, got 'ten'" \
	"courses-bad.csv:6:47: error: status: one of announced, committed, cancelled, got 'maybe'"
# a one-day course is fine, a course that ends the day before it starts is not
expect_bad_import tr.db courses "$TR/courses-end-before-start.csv" \
	"courses-end-before-start.csv:3:35: error: end: a date on or after start, got '2024-05-01'"
# x-1's crew_size at 4 + 6 + 12 + 23 + 13 + 1 = 59; x-2's crew_skill at
# 4 + 6 + 12 + 23 + 1 = 46; x-3's at 48; x-4's crew_size at 60
expect_bad_import tr.db items "$TR/items-crew-bad.csv" \
	"items-crew-bad.csv:2:59: error: crew_size: a crew_size with the crew_skill, got ''" \
	"items-crew-bad.csv:3:46: error: crew_skill: a crew_skill with the crew_size, got ''" \
	"items-crew-bad.csv:4:48: error: crew_skill: a skill other than the item's own capability, got 'long-range-air-defence'" \
	"items-crew-bad.csv:5:60: error: crew_size: a whole number of at least 1, got '0'"

# export, import into a new database, export again: the same bytes
for fmt in csv json; do
	run "$QM" --db tr.db export courses --format $fmt -o courses1.$fmt
	expect_equal "$LAST_STATUS" 0 "export courses ($fmt)"
	rm -f rt.db
	load_base rt.db parties
	run "$QM" -q --db rt.db import courses courses1.$fmt
	expect_equal "$LAST_STATUS" 0 "import exported courses ($fmt)"
	run "$QM" --db rt.db export courses --format $fmt -o courses2.$fmt
	expect_same_file courses1.$fmt courses2.$fmt
done
expect_file_line courses1.csv 't-gun,DEU,gunnery,3,2026-02-01,2026-02-20,"Grafenwöhr, Bavaria",committed,test fixture,'
run "$QM" --db tr.db export items -o items1.csv
expect_file_line items1.csv "patriot-radar,Patriot radar,air-defence,air-defence-radar,radar,,,,test fixture,,patriot-crew,2"
expect_file_line items1.csv "drone-x,Drone X,uav,reconnaissance,unit,,,,test fixture: no crew,,,"
run "$QM" -q --db rt.db import items items1.csv
run "$QM" --db rt.db export items -o items2.csv
expect_same_file items1.csv items2.csv

expect_exit 0 "$QM" --db tr.db list courses
expect_stdout_line "6 courses"
expect_stdout_match 't-med +DEU +medic +16 +2026-04-01 +2026-04-30 +announced' "list courses: t-med"
expect_exit 0 "$QM" --db tr.db list courses --json
expect_equal "$(jq_ "$OUT" "(SELECT group_concat(json_extract(value, '\$.id'), ' ') FROM json_each(t))")" \
	"t-can t-gun t-leo t-med t-sap t-sig" "list courses --json: by id"
for db in a.db s2.db tr.db rt.db; do
	expect_exit 0 "$QM" --db $db audit verify
	expect_stdout_contains "chain correctly"
done

# ---- 6. the same bytes ----
for args in "plan --json" "plan" "training --json" "training"; do
	# shellcheck disable=SC2086
	run "$QM" --db s2.db $args
	cp "$OUT" once.out
	# shellcheck disable=SC2086
	run "$QM" --db s2.db $args
	expect_same_file "$OUT" once.out
done
# the courses' rows in reverse order give the same plan and training
for c in s2 tr; do
	awk 'NR == 1 { print; next } { row[NR] = $0 } END { for (i = NR; i > 1; i--) print row[i] }' \
		"$TR/$c-courses.csv" >rev-courses.csv
	load_base $c-rev.db parties rates
	run "$QM" -q --db $c-rev.db import items "$TR/items.csv"
	run "$QM" -q --db $c-rev.db import courses rev-courses.csv
	expect_equal "$LAST_STATUS" 0 "$c: courses imported in reverse"
	run "$QM" -q --db $c-rev.db import pledges "$TR/$c-pledges.csv"
	run "$QM" -q --db $c-rev.db import requirements "$TR/$c-requirements.csv"
	for args in "plan --json" "plan" "training --json"; do
		# shellcheck disable=SC2086
		run "$QM" --db $c.db $args
		cp "$OUT" fwd.out
		# shellcheck disable=SC2086
		run "$QM" --db $c-rev.db $args
		expect_same_file "$OUT" fwd.out
	done
done

test_done
