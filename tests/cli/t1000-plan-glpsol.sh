#!/bin/sh
# qm plan against an independent solver. tests/plan/gen_instance.c writes
# random ledgers (and edge cases: no supply, no demand, everything late, ties,
# one capability served by several items, requirements naming an item, all
# units delivered, supply about ten years late, as-of and committed-only)
# together with the same problem as an explicit integer program, one variable
# per compatible (supply group, requirement) pair (model.lp). For each
# instance: import it into a fresh database, run `qm plan --json` (twice:
# byte-identical; for a few, also from the rows imported in reverse order),
# solve model.lp with glpsol and compare the objectives exactly; then check
# qm's plan on its own terms with sqlite3's JSON functions: every assignment
# possible (a pledge that supplies, units available on that date, delivered
# or not, item or capability compatible, days_late right), no pledge giving
# more than it has, per requirement assigned + unmet = needed, delivered and
# expected (the latest date of its units; null when any is unmet), the
# requirements most urgent first, unmet_total, and the objective equal to
# the cost of the assignments and unmet units. Last, a small fixture worked
# out by hand for --as-of (its date included) and --committed-only.
#
# Training (docs/plan.md "## Training"): some parts also have crewed items,
# courses and training requirements (gen_instance's TRAINING: crews, fewseats,
# noseats; courses of every status, ending before and after the equipment;
# two items of one capability with different crews). model.lp covers the
# equipment only, so it is compared with objective - training_objective.
# Stage 2 is optimal given stage 1: from qm's own assignments (crew_size of
# the pledge's item x quantity, needed by the assignment's available date, at
# its requirement's priority), the training requirements and the courses in
# supply (seats.csv), stage2.sql writes a second LP, one variable per
# (course, demand) pair of a skill, and glpsol's optimum must equal
# training_objective. The seat assignments are checked too: a course in
# supply of that skill, on its end date, no more than its seats, crew rows
# within the crew demand of their requirement and day and adding up to
# crew_assigned, crew_assigned + crew_unmet = crew_needed, training
# requirements served by seats only, ready (the later of expected and the
# crews' last course; null when anything is short), each requirement's cost,
# and the two objectives.
#
# Random instances go several to a ledger (gen_instance's parts, each with
# its own items and capabilities): that spares imports, which dominate the
# time. A failure names the generator's arguments (and, for an objective,
# the part that is not optimal); to look at the instance:
#   cc -std=c11 -O2 -o gen tests/plan/gen_instance.c && mkdir i && ./gen i ARGUMENTS...
# then import i/*.csv (parties, items, pledges, deliveries, courses,
# requirements), run `qm plan $(cat i/args.txt) --json >i/plan.json` and
# `glpsol --lp i/model.lp -o sol.txt`; for stage 2,
# `(cd i && sed "s/@PART@/%/" ../stage2.sql | sqlite3 :memory: >stage2.lp)`
# with stage2.sql as written below.
. "$(dirname "$0")/lib.sh"

if ! command -v glpsol >/dev/null 2>&1; then
	fail "glpsol is needed (Debian package glpk-utils; tools/install-deps.sh installs it)"
	test_done
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	fail "sqlite3 is needed (tools/install-deps.sh installs it)"
	test_done
fi
if ! ${CC:-cc} -std=c11 -O2 -o gen "$ROOT/tests/plan/gen_instance.c" 2>gen.err; then
	fail "building tests/plan/gen_instance.c" "$(cat gen.err)"
	test_done
fi

# ---- the checks of one plan, in SQL: each row printed is a violation ----
# In the instance's directory: groups.csv, items.csv, requirements.csv from
# the generator, plan.json from qm.
# what both read, in the instance's directory: the generator's files and
# qm's plan.json (as the one text t of table j)
cat >load.sql <<'EOF'
.import --csv groups.csv g
.import --csv items.csv it
.import --csv requirements.csv rq
.import --csv seats.csv cs
.import --csv skills.csv sk
CREATE TABLE j AS SELECT CAST(readfile('plan.json') AS TEXT) AS t;
EOF
cat >check.sql <<'EOF'
.bail on
.mode list
.read ../load.sql
SELECT 'plan.json is not one JSON object' FROM j
 WHERE NOT json_valid(t) OR json_type(t) IS NOT 'object';
SELECT 'top-level field ' || f || ' is ' || coalesce(json_type(t, '$.' || f), 'missing')
       || ', want ' || want
  FROM j, (SELECT 'objective' AS f, 'integer' AS want UNION ALL SELECT 'unmet_total', 'integer'
           UNION ALL SELECT 'assignments', 'array' UNION ALL SELECT 'requirements', 'array'
           UNION ALL SELECT 'training_objective', 'integer' UNION ALL SELECT 'seat_assignments', 'array')
 WHERE json_type(t, '$.' || f) IS NOT want;
CREATE TABLE a AS SELECT key AS k,
       json_extract(value, '$.pledge') AS pledge, json_extract(value, '$.requirement') AS req,
       json_extract(value, '$.quantity') AS q, json_extract(value, '$.available') AS avail,
       json_extract(value, '$.days_late') AS late,
       json_type(value, '$.pledge') AS tp, json_type(value, '$.requirement') AS tr,
       json_type(value, '$.quantity') AS tq, json_type(value, '$.available') AS ta,
       json_type(value, '$.days_late') AS tl,
       json_type(value, '$.delivered') AS tdel -- docs/plan.md: true when delivered units
  FROM j, json_each(j.t, '$.assignments');
CREATE TABLE r AS SELECT key AS k,
       json_extract(value, '$.id') AS id, json_extract(value, '$.needed') AS needed,
       json_extract(value, '$.assigned') AS assigned, json_extract(value, '$.delivered') AS delivered,
       json_extract(value, '$.unmet') AS unmet, json_extract(value, '$.expected') AS expected,
       json_type(value, '$.id') AS ti, json_type(value, '$.needed') AS tn,
       json_type(value, '$.assigned') AS tas, json_type(value, '$.delivered') AS td,
       json_type(value, '$.unmet') AS tu, json_type(value, '$.expected') AS te,
       json_extract(value, '$.crew_needed') AS cn, json_extract(value, '$.crew_assigned') AS ca,
       json_extract(value, '$.crew_unmet') AS cu, json_extract(value, '$.ready') AS ready,
       json_extract(value, '$.cost') AS cost,
       json_type(value, '$.crew_needed') AS tcn, json_type(value, '$.crew_assigned') AS tca,
       json_type(value, '$.crew_unmet') AS tcu, json_type(value, '$.ready') AS trd,
       json_type(value, '$.cost') AS tco
  FROM j, json_each(j.t, '$.requirements');
CREATE TABLE s AS SELECT key AS k,
       json_extract(value, '$.course') AS course, json_extract(value, '$.requirement') AS req,
       json_extract(value, '$.skill') AS skill, json_extract(value, '$.trainees') AS n,
       json_extract(value, '$.needed_by') AS nb, json_extract(value, '$.available') AS avail,
       json_extract(value, '$.days_late') AS late, json_type(value, '$.crew') AS crew,
       json_type(value, '$.course') || ',' || json_type(value, '$.requirement') || ','
       || json_type(value, '$.skill') || ',' || json_type(value, '$.trainees') || ','
       || json_type(value, '$.needed_by') || ',' || json_type(value, '$.available') || ','
       || json_type(value, '$.days_late') AS types
  FROM j, json_each(j.t, '$.seat_assignments');
CREATE TABLE pi AS SELECT DISTINCT g.pledge, g.item, it.capability
  FROM g JOIN it ON it.code = g.item;
-- the crews stage 1 asks for: one row per assignment of a crewed item
CREATE TABLE cd AS SELECT a.req, it.crew_skill AS skill, CAST(it.crew_size AS INTEGER) * a.q AS n,
       a.avail AS nb
  FROM a JOIN pi ON pi.pledge = a.pledge JOIN it ON it.code = pi.item WHERE it.crew_skill <> '';
-- each requirement's weight, and whether it is a training requirement
CREATE TABLE w AS SELECT id, 1 << (5 - priority) AS w, capability IN (SELECT skill FROM sk) AS training
  FROM rq;

-- assignments: well formed
SELECT 'assignment ' || k || ': field types ' || coalesce(tp, 'missing') || ',' || coalesce(tr, 'missing')
       || ',' || coalesce(tq, 'missing') || ',' || coalesce(ta, 'missing') || ',' || coalesce(tl, 'missing')
       || ', want text,text,integer,text,integer'
  FROM a WHERE tp IS NOT 'text' OR tr IS NOT 'text' OR tq IS NOT 'integer'
            OR ta IS NOT 'text' OR tl IS NOT 'integer';
SELECT 'assignment ' || k || ': quantity ' || q || ', want at least 1' FROM a WHERE q < 1;
SELECT 'assignment ' || k || ': available ' || quote(avail) || ' is not a date'
  FROM a WHERE avail NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            OR date(avail) IS NOT avail;
-- assignments: possible
SELECT 'assignment ' || k || ': pledge ' || quote(pledge) || ' supplies nothing here'
  FROM a WHERE pledge NOT IN (SELECT pledge FROM g);
SELECT 'assignment ' || k || ': pledge ' || pledge || ' has no units available on ' || avail
       || ' (it has: ' || (SELECT group_concat(units || ' on ' || available, ', ') FROM g
                           WHERE g.pledge = a.pledge) || ')'
  FROM a WHERE pledge IN (SELECT pledge FROM g)
   AND NOT EXISTS (SELECT 1 FROM g WHERE g.pledge = a.pledge AND g.available = a.avail);
SELECT 'assignment ' || k || ': requirement ' || quote(req) || ' is not a requirement'
  FROM a WHERE req NOT IN (SELECT id FROM rq);
SELECT 'assignment ' || a.k || ': pledge ' || a.pledge || ' (item ' || pi.item || ', capability '
       || pi.capability || ') cannot serve requirement ' || a.req || ' ('
       || CASE WHEN rq.item <> '' THEN 'item ' || rq.item ELSE 'capability ' || rq.capability END
       || ')'
  FROM a JOIN pi ON pi.pledge = a.pledge JOIN rq ON rq.id = a.req
 WHERE NOT (rq.item = pi.item OR (rq.item = '' AND rq.capability = pi.capability));
SELECT 'assignment ' || a.k || ': days_late ' || a.late || ', want '
       || max(0, CAST(julianday(a.avail) - julianday(rq.needed_by) AS INTEGER))
       || ' (available ' || a.avail || ', needed by ' || rq.needed_by || ')'
  FROM a JOIN rq ON rq.id = a.req
 WHERE a.late IS NOT max(0, CAST(julianday(a.avail) - julianday(rq.needed_by) AS INTEGER));
-- no pledge gives more than it has, on any date or in all
SELECT 'pledge ' || pledge || ': ' || s || ' units assigned on ' || avail || ', it has ' || u
  FROM (SELECT pledge, avail, sum(q) AS s,
               (SELECT sum(units) FROM g WHERE g.pledge = a.pledge AND g.available = a.avail) AS u
          FROM a GROUP BY pledge, avail)
 WHERE s > u;
SELECT 'pledge ' || pledge || ': ' || s || ' units assigned, it has ' || u
  FROM (SELECT pledge, sum(q) AS s, (SELECT sum(units) FROM g WHERE g.pledge = a.pledge) AS u
          FROM a GROUP BY pledge)
 WHERE s > u;

-- requirements: one entry each
SELECT 'requirements: ' || (SELECT count(*) FROM r) || ' entries (' || (SELECT count(DISTINCT id) FROM r)
       || ' ids), want ' || (SELECT count(*) FROM rq)
 WHERE (SELECT count(*) FROM r) <> (SELECT count(*) FROM rq)
    OR (SELECT count(DISTINCT id) FROM r) <> (SELECT count(*) FROM rq);
SELECT 'requirement ' || id || ' is not in the plan' FROM rq WHERE id NOT IN (SELECT id FROM r);
SELECT 'requirements entry ' || k || ': field types ' || coalesce(ti, 'missing') || ','
       || coalesce(tn, 'missing') || ',' || coalesce(tas, 'missing') || ',' || coalesce(td, 'missing')
       || ',' || coalesce(tu, 'missing') || ',' || coalesce(te, 'missing')
       || ', want text,integer,integer,integer,integer,text or null'
  FROM r WHERE ti IS NOT 'text' OR tn IS NOT 'integer' OR tas IS NOT 'integer'
            OR td IS NOT 'integer' OR tu IS NOT 'integer' OR te NOT IN ('text', 'null');
SELECT 'requirement ' || r.id || ': needed ' || r.needed || ', want ' || rq.quantity
  FROM r JOIN rq ON rq.id = r.id WHERE r.needed IS NOT CAST(rq.quantity AS INTEGER);
SELECT 'requirement ' || id || ': assigned ' || assigned || ', its assignments give '
       || (SELECT coalesce(sum(q), 0) FROM a WHERE a.req = r.id) || ' and its seats (not crews) '
       || (SELECT coalesce(sum(n), 0) FROM s WHERE s.req = r.id AND crew = 'false')
  FROM r WHERE assigned IS NOT (SELECT coalesce(sum(q), 0) FROM a WHERE a.req = r.id)
                             + (SELECT coalesce(sum(n), 0) FROM s WHERE s.req = r.id AND crew = 'false');
SELECT 'requirement ' || id || ': assigned ' || assigned || ' + unmet ' || unmet
       || ' is not needed ' || needed
  FROM r WHERE assigned + unmet IS NOT needed;
SELECT 'requirement ' || id || ': assigned ' || assigned || ' outside 0..needed ' || needed
  FROM r WHERE assigned < 0 OR assigned > needed;
SELECT 'requirement ' || id || ': unmet ' || unmet || ' below 0' FROM r WHERE unmet < 0;
SELECT 'requirement ' || id || ': delivered ' || delivered || ' outside 0..assigned ' || assigned
  FROM r WHERE delivered < 0 OR delivered > assigned;
-- delivered: at least the units assigned from dates on which the pledge has
-- only delivered units, at most those from dates with some delivered units
SELECT 'requirement ' || id || ': delivered ' || delivered || ', want ' || lo || ' to ' || hi
  FROM (SELECT id, delivered,
               (SELECT coalesce(sum(q), 0) FROM a WHERE a.req = r.id
                  AND NOT EXISTS (SELECT 1 FROM g WHERE g.pledge = a.pledge
                                  AND g.available = a.avail AND g.delivered = '0')) AS lo,
               (SELECT coalesce(sum(q), 0) FROM a WHERE a.req = r.id
                  AND EXISTS (SELECT 1 FROM g WHERE g.pledge = a.pledge
                              AND g.available = a.avail AND g.delivered = '1')) AS hi
          FROM r)
 WHERE delivered < lo OR delivered > hi;
-- with the assignments' own delivered flags (docs/plan.md), exactly those
SELECT 'requirement ' || id || ': delivered ' || delivered || ', its assignments from deliveries give '
       || (SELECT coalesce(sum(q), 0) FROM a WHERE a.req = r.id AND tdel = 'true')
  FROM r WHERE (SELECT count(*) FROM a WHERE tdel IN ('true', 'false')) > 0
   AND delivered IS NOT (SELECT coalesce(sum(q), 0) FROM a WHERE a.req = r.id AND tdel = 'true');
SELECT 'pledge ' || pledge || ': ' || s || ' units assigned on ' || avail || ' as '
       || CASE tdel WHEN 'true' THEN 'delivered' ELSE 'not delivered' END || ', it has ' || coalesce(u, 0)
  FROM (SELECT pledge, avail, tdel, sum(q) AS s,
               (SELECT sum(units) FROM g WHERE g.pledge = a.pledge AND g.available = a.avail
                  AND g.delivered = CASE a.tdel WHEN 'true' THEN '1' ELSE '0' END) AS u
          FROM a WHERE tdel IN ('true', 'false') GROUP BY pledge, avail, tdel)
 WHERE s > coalesce(u, 0);
SELECT 'requirement ' || id || ': expected ' || quote(expected) || ' with ' || unmet || ' unmet'
  FROM r WHERE (unmet > 0 AND te IS NOT 'null') OR (unmet = 0 AND te IS NOT 'text');
CREATE TABLE last AS SELECT req, max(avail) AS avail
  FROM (SELECT req, avail FROM a UNION ALL SELECT req, avail FROM s WHERE crew = 'false') GROUP BY req;
SELECT 'requirement ' || id || ': expected ' || expected || ', its last assigned unit is available on '
       || (SELECT avail FROM last WHERE last.req = r.id)
  FROM r WHERE unmet = 0 AND te = 'text'
   AND expected IS NOT (SELECT avail FROM last WHERE last.req = r.id);

-- most urgent first: priority, needed_by, id (docs/plan.md)
SELECT 'requirements: ' || x.id || ' listed before ' || y.id
  FROM r AS x JOIN r AS y ON y.k = x.k + 1
       JOIN rq AS qx ON qx.id = x.id JOIN rq AS qy ON qy.id = y.id
 WHERE (CAST(qx.priority AS INTEGER), qx.needed_by, qx.id) > (CAST(qy.priority AS INTEGER), qy.needed_by, qy.id);

-- seat assignments: well formed and possible
SELECT 'seat assignment ' || k || ': field types ' || coalesce(types, 'missing') || ','
       || coalesce(crew, 'missing') || ', want text,text,text,integer,text,text,integer,true or false'
  FROM s WHERE types IS NOT 'text,text,text,integer,text,text,integer' OR crew NOT IN ('true', 'false');
SELECT 'seat assignment ' || k || ': trainees ' || n || ', want at least 1' FROM s WHERE n < 1;
SELECT 'seat assignment ' || k || ': course ' || quote(course) || ' is not a course that supplies'
  FROM s WHERE course NOT IN (SELECT course FROM cs);
SELECT 'seat assignment ' || s.k || ': course ' || s.course || ' trains ' || cs.skill || ' and ends on '
       || cs."end" || ', the row says ' || s.skill || ' and ' || s.avail
  FROM s JOIN cs ON cs.course = s.course WHERE s.skill IS NOT cs.skill OR s.avail IS NOT cs."end";
SELECT 'seat assignment ' || k || ': days_late ' || late || ', want '
       || max(0, CAST(julianday(avail) - julianday(nb) AS INTEGER))
  FROM s WHERE late IS NOT max(0, CAST(julianday(avail) - julianday(nb) AS INTEGER));
SELECT 'course ' || course || ': ' || sum(n) || ' trainees, it has '
       || (SELECT seats FROM cs WHERE cs.course = s.course) || ' seats'
  FROM s GROUP BY course
HAVING sum(n) > (SELECT CAST(seats AS INTEGER) FROM cs WHERE cs.course = s.course);
SELECT 'seat assignment ' || s.k || ': requirement ' || s.req || ' is not a training requirement of '
       || s.skill || ' needed by ' || s.nb
  FROM s WHERE crew = 'false'
   AND NOT EXISTS (SELECT 1 FROM rq WHERE rq.id = s.req AND rq.capability = s.skill AND rq.needed_by = s.nb
                                      AND rq.capability IN (SELECT skill FROM sk));
SELECT 'requirement ' || req || ': ' || sum(n) || ' crew of ' || skill || ' trained for ' || nb
       || ', its equipment of that day needs '
       || (SELECT coalesce(sum(n), 0) FROM cd WHERE cd.req = s.req AND cd.skill = s.skill AND cd.nb = s.nb)
  FROM s WHERE crew = 'true' GROUP BY req, skill, nb
HAVING sum(n) > (SELECT coalesce(sum(n), 0) FROM cd WHERE cd.req = s.req AND cd.skill = s.skill AND cd.nb = s.nb);
-- crews per requirement, and ready
SELECT 'requirements entry ' || k || ': crew field types ' || coalesce(tcn, 'missing') || ','
       || coalesce(tca, 'missing') || ',' || coalesce(tcu, 'missing') || ',' || coalesce(trd, 'missing')
       || ',' || coalesce(tco, 'missing') || ', want integer,integer,integer,text or null,integer'
  FROM r WHERE tcn IS NOT 'integer' OR tca IS NOT 'integer' OR tcu IS NOT 'integer'
            OR trd NOT IN ('text', 'null') OR tco IS NOT 'integer';
SELECT 'requirement ' || id || ': crew_needed ' || cn || ', its equipment needs '
       || (SELECT coalesce(sum(n), 0) FROM cd WHERE cd.req = r.id)
  FROM r WHERE cn IS NOT (SELECT coalesce(sum(n), 0) FROM cd WHERE cd.req = r.id);
SELECT 'requirement ' || id || ': crew_assigned ' || ca || ', its crew seats give '
       || (SELECT coalesce(sum(n), 0) FROM s WHERE s.req = r.id AND crew = 'true')
  FROM r WHERE ca IS NOT (SELECT coalesce(sum(n), 0) FROM s WHERE s.req = r.id AND crew = 'true');
SELECT 'requirement ' || id || ': crew_assigned ' || ca || ' + crew_unmet ' || cu || ' is not crew_needed ' || cn
  FROM r WHERE ca + cu IS NOT cn OR cu < 0;
SELECT 'requirement ' || id || ': ready ' || quote(ready) || ', want ' || quote(want)
       || ' (expected ' || quote(expected) || ', unmet ' || unmet || ', crew_unmet ' || cu || ')'
  FROM (SELECT *, CASE WHEN unmet > 0 OR cu > 0 THEN NULL
                       ELSE max(expected, coalesce((SELECT max(avail) FROM s WHERE s.req = r.id
                                                     AND crew = 'true'), expected)) END AS want
          FROM r)
 WHERE ready IS NOT want;

-- costs and totals: each requirement's equipment and seats late, units and trainees short
CREATE TABLE c AS SELECT w.id, w.training,
       (SELECT coalesce(sum(late * q), 0) FROM a WHERE a.req = w.id) * w.w AS equipment,
       (SELECT coalesce(sum(late * n), 0) FROM s WHERE s.req = w.id) * w.w AS seats,
       (SELECT unmet FROM r WHERE r.id = w.id) * 3650 * w.w AS short,
       (SELECT cu FROM r WHERE r.id = w.id) * 3650 * w.w AS crew_short
  FROM w;
SELECT 'requirement ' || r.id || ': cost ' || r.cost || ', want ' || (equipment + seats + short + crew_short)
  FROM r JOIN c ON c.id = r.id WHERE r.cost IS NOT equipment + seats + short + crew_short;
SELECT 'unmet_total ' || json_extract(t, '$.unmet_total') || ', the requirements say '
       || (SELECT coalesce(sum(unmet), 0) FROM r)
  FROM j WHERE json_extract(t, '$.unmet_total') IS NOT (SELECT coalesce(sum(unmet), 0) FROM r);
SELECT 'objective ' || json_extract(t, '$.objective') || ', the assignments, seats and unmet units cost '
       || (SELECT coalesce(sum(equipment + seats + short + crew_short), 0) FROM c)
  FROM j
 WHERE json_extract(t, '$.objective') IS NOT (SELECT coalesce(sum(equipment + seats + short + crew_short), 0) FROM c);
SELECT 'training_objective ' || json_extract(t, '$.training_objective') || ', the seats and trainees short cost '
       || (SELECT coalesce(sum(seats + crew_short + CASE WHEN training THEN short ELSE 0 END), 0) FROM c)
  FROM j
 WHERE json_extract(t, '$.training_objective') IS NOT
       (SELECT coalesce(sum(seats + crew_short + CASE WHEN training THEN short ELSE 0 END), 0) FROM c);
EOF

# ---- stage 2 as an LP, given qm's stage 1: one variable per (course in
# supply, demand) pair of one skill, one unmet variable per demand. Demand is
# a crew per assignment of a crewed item (crew_size x quantity, needed by the
# assignment's available date, at its requirement's weight) and every
# training requirement. @PART@ is a LIKE pattern on ids: % for all, k3-% for
# part 3 alone. One term a line (a line break is a space in the LP format).
cat >stage2.sql <<'EOF'
.bail on
.mode list
.headers off
.read ../load.sql
CREATE TABLE dm (id INTEGER PRIMARY KEY, skill TEXT, n INTEGER, nb TEXT, w INTEGER);
INSERT INTO dm (skill, n, nb, w)
SELECT it.crew_skill, CAST(it.crew_size AS INTEGER) * json_extract(x.value, '$.quantity'),
       json_extract(x.value, '$.available'), 1 << (5 - rq.priority)
  FROM j, json_each(j.t, '$.assignments') AS x
       JOIN (SELECT DISTINCT pledge, item FROM g) AS pg ON pg.pledge = json_extract(x.value, '$.pledge')
       JOIN it ON it.code = pg.item
       JOIN rq ON rq.id = json_extract(x.value, '$.requirement')
 WHERE it.crew_skill <> '' AND rq.id LIKE '@PART@';
INSERT INTO dm (skill, n, nb, w)
SELECT capability, quantity, needed_by, 1 << (5 - priority) FROM rq
 WHERE capability IN (SELECT skill FROM sk) AND id LIKE '@PART@';
CREATE TABLE sp (id INTEGER PRIMARY KEY, skill TEXT, seats INTEGER, e TEXT);
INSERT INTO sp (skill, seats, e) SELECT skill, seats, "end" FROM cs WHERE course LIKE '@PART@';
CREATE TABLE x AS SELECT sp.id AS c, dm.id AS d, 'y' || sp.id || '_' || dm.id AS v,
       dm.w * max(0, CAST(julianday(sp.e) - julianday(dm.nb) AS INTEGER)) AS cost
  FROM sp JOIN dm ON dm.skill = sp.skill;
SELECT 'Minimize';
SELECT ' obj: 0 zero';
SELECT ' + ' || cost || ' ' || v FROM x;
SELECT ' + ' || (w * 3650) || ' u' || id FROM dm;
SELECT 'Subject To';
SELECT ' keep: 1 zero = 0';
SELECT ' s' || c || ': ' || group_concat('+ ' || v, char(10)) || char(10) || ' <= '
       || (SELECT seats FROM sp WHERE sp.id = c)
  FROM x GROUP BY c;
SELECT ' d' || id || ': '
       || coalesce((SELECT group_concat('+ ' || v, char(10)) FROM x WHERE x.d = dm.id) || char(10), '')
       || ' + u' || id || ' = ' || n
  FROM dm;
SELECT 'Bounds';
SELECT ' zero = 0';
SELECT 'General';
SELECT ' ' || v FROM x;
SELECT ' u' || id FROM dm;
SELECT 'End';
EOF

# parties are the same in every instance: import them once
mkdir p0
./gen p0 0 empty >/dev/null
run "$QM" -q --db parties.db import parties p0/parties.csv
if [ "$LAST_STATUS" != 0 ]; then
	fail "importing the generator's parties" "$(last_run)"
	test_done
fi

# import_instance DIR DB [reverse]: the instance's files into a copy of
# parties.db; with "reverse", every file's rows in the opposite order
import_instance() {
	db_cp parties.db "$2"
	for _k in items pledges deliveries courses requirements; do
		_f=$1/$_k.csv
		if [ "$_k" = courses ] && [ "$(cat "$_f" 2>/dev/null | wc -l)" -le 1 ]; then
			continue # none
		fi
		if [ "${3:-}" = reverse ]; then
			_f=$1/$_k.rev.csv
			{ head -n 1 "$1/$_k.csv"; tail -n +2 "$1/$_k.csv" | sed -n '1!G;h;$p'; } >"$_f"
		fi
		run "$QM" -q --db "$2" import "$_k" "$_f"
		if [ "$LAST_STATUS" != 0 ]; then
			fail "$WHAT: importing $_k" "$(last_run)"
			return 1
		fi
	done
	return 0
}

ninstances=0

# stage2_lp PATTERN LP: in $d, the LP of stage 2 given qm's plan.json, for
# the ids matching PATTERN
stage2_lp() {
	(cd "$d" && sed "s/@PART@/$1/" ../stage2.sql | sqlite3 :memory: >"$2" 2>"$2.err") && [ ! -s "$d/$2.err" ]
}

# stage2: the training objective is stage 2's optimum given qm's stage 1
stage2() {
	if [ "$(wc -l <"$d/skills.csv")" -le 1 ]; then
		expect_equal "$(top "$d/plan.json" training_objective)" 0 "$WHAT: no skill, no training objective"
		return
	fi
	if ! stage2_lp % stage2.lp; then
		fail "$WHAT: writing the LP of stage 2" "$(cat "$d/stage2.lp.err")"
		return
	fi
	if ! _want2=$(glpsol_objective "$d/stage2.lp" 2>"$d/glp2.err"); then
		fail "$WHAT: glpsol on stage2.lp" "$(cat "$d/glp2.err")"
		return
	fi
	_got2=$(top "$d/plan.json" training_objective)
	if [ "$_got2" = "$_want2" ]; then
		pass "$WHAT: training_objective equals glpsol's stage 2 given qm's stage 1"
		return
	fi
	# which part: qm's seats and trainees short against the part's optimum
	_parts=
	for _k in $(sed -n 's/^part \([0-9]*\):.* training .*/k\1/p' "$d/expected.txt"); do
		stage2_lp "$_k-%" "stage2-$_k.lp" || continue
		_cost=$(cd "$d" && sqlite3 -cmd '.import --csv requirements.csv rq' -cmd '.import --csv skills.csv sk' :memory: "
			WITH j(t) AS (SELECT CAST(readfile('plan.json') AS TEXT))
			SELECT (SELECT coalesce(sum((1 << (5 - rq.priority)) * json_extract(value, '\$.days_late')
					* json_extract(value, '\$.trainees')), 0)
				  FROM j, json_each(j.t, '\$.seat_assignments') JOIN rq
				    ON rq.id = json_extract(value, '\$.requirement') WHERE rq.id LIKE '$_k-%')
			     + (SELECT coalesce(sum((1 << (5 - rq.priority)) * 3650 * (json_extract(value, '\$.crew_unmet')
					+ CASE WHEN rq.capability IN (SELECT skill FROM sk) THEN json_extract(value, '\$.unmet')
					  ELSE 0 END)), 0)
				  FROM j, json_each(j.t, '\$.requirements') JOIN rq
				    ON rq.id = json_extract(value, '\$.id') WHERE rq.id LIKE '$_k-%')")
		_opt=$(glpsol_objective "$d/stage2-$_k.lp" 2>&1)
		[ "$_cost" = "$_opt" ] || _parts="$_parts
part $_k ($(grep "^part ${_k#k}:" "$d/expected.txt")): qm's seats cost $_cost, the optimum is $_opt"
	done
	fail "$WHAT: training_objective $_got2, glpsol's optimum of stage 2 given qm's stage 1 is $_want2" "${_parts#?}"
}

top() { # PLAN FIELD: a top-level field of a JSON plan
	sqlite3 :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '\$.$2')"
}

# glpsol_objective LP: the optimum of LP, or a message on standard error
glpsol_objective() {
	if ! glpsol --lp "$1" -w "$1.raw" >"$1.log" 2>&1; then
		tail -n 5 "$1.log" >&2
		return 1
	fi
	# "s mip ROWS COLS o OBJ": an integer optimum; "s bas ROWS COLS f f OBJ":
	# a problem without integer columns (no requirement)
	set -- $(grep '^s ' "$1.raw")
	case "$2:$5:$6" in
	mip:o:* | bas:f:f) ;;
	*)
		echo "glpsol found no optimum: $*" >&2
		return 1
		;;
	esac
	eval "_o=\${$#}"
	case $_o in
	'' | *[!0-9]*)
		echo "glpsol's objective '$_o' is not a whole number" >&2
		return 1
		;;
	esac
	echo "$_o"
}

# instance [reverse] GEN-ARGUMENTS...: generate an instance (one, or several
# parts in one ledger), import it, plan it, check the plan. With reverse,
# also import its rows in the opposite order and expect the same plan.
instance() {
	_rev=
	if [ "$1" = reverse ]; then
		_rev=1
		shift
	fi
	ninstances=$((ninstances + 1))
	d=i$ninstances
	mkdir "$d"
	WHAT="gen_instance DIR $*"
	if ! ./gen "$d" "$@" 2>"$d/gen.err"; then
		fail "$WHAT: the generator failed" "$(cat "$d/gen.err")"
		return
	fi
	args=$(cat "$d/args.txt")
	[ -n "$args" ] && WHAT="$WHAT (qm plan $args)"
	import_instance "$d" "$d/db" || return

	# qm's plan, twice
	# shellcheck disable=SC2086 # args is a list of options
	run "$QM" --db "$d/db" plan $args --json
	if [ "$LAST_STATUS" != 0 ]; then
		fail "$WHAT: qm plan --json" "$(last_run)"
		return
	fi
	cp "$OUT" "$d/plan.json"
	# shellcheck disable=SC2086
	run "$QM" --db "$d/db" plan $args --json
	if cmp -s "$OUT" "$d/plan.json"; then
		pass "$WHAT: same output twice"
	else
		fail "$WHAT: two runs differ" "$(diff "$d/plan.json" "$OUT" | head -20)"
	fi
	# the same records imported in the opposite order: the same plan
	if [ -n "$_rev" ] && import_instance "$d" "$d/db.rev" reverse; then
		# shellcheck disable=SC2086
		run "$QM" --db "$d/db.rev" plan $args --json
		if cmp -s "$OUT" "$d/plan.json"; then
			pass "$WHAT: same plan from the rows imported in reverse"
		else
			fail "$WHAT: the plan depends on the order the rows were imported in" \
				"$(diff "$d/plan.json" "$OUT" | head -20)"
		fi
	fi

	# the independent solver
	if ! want=$(glpsol_objective "$d/model.lp" 2>"$d/glp.err"); then
		fail "$WHAT: glpsol on model.lp" "$(cat "$d/glp.err")"
		return
	fi
	# model.lp is the equipment (stage 1) alone
	got=$(sqlite3 :memory: "SELECT json_extract(t, '\$.objective') - json_extract(t, '\$.training_objective')
		FROM (SELECT CAST(readfile('$d/plan.json') AS TEXT) AS t)")
	# no compatible pair at all: the generator knows the answer too
	_known=$(sed -n 's/^objective //p' "$d/expected.txt")
	if [ -n "$_known" ]; then
		expect_equal "$want" "$_known" "$WHAT: glpsol's optimum is the generator's (nothing can be assigned)"
	fi
	if [ "$got" = "$want" ]; then
		pass "$WHAT: objective (equipment) equals glpsol's"
	else
		# which part: qm's cost of each part's assignments and unmet units
		# (the plan's consistency is checked below) against its optimum
		_parts=
		for _lp in "$d"/model-k*.lp; do
			[ -e "$_lp" ] || continue
			_k=${_lp##*/model-}
			_k=${_k%.lp}
			_cost=$(cd "$d" && sqlite3 -cmd '.import --csv requirements.csv rq0' \
				-cmd '.import --csv skills.csv sk' :memory: "
				CREATE TABLE rq AS SELECT * FROM rq0 WHERE capability NOT IN (SELECT skill FROM sk);
				WITH j(t) AS (SELECT CAST(readfile('plan.json') AS TEXT))
				SELECT (SELECT coalesce(sum((1 << (5 - rq.priority)) * json_extract(value, '\$.days_late')
						* json_extract(value, '\$.quantity')), 0)
					  FROM j, json_each(j.t, '\$.assignments') JOIN rq
					    ON rq.id = json_extract(value, '\$.requirement') WHERE rq.id LIKE '$_k-%')
				     + (SELECT coalesce(sum((1 << (5 - rq.priority)) * 3650 * json_extract(value, '\$.unmet')), 0)
					  FROM j, json_each(j.t, '\$.requirements') JOIN rq
					    ON rq.id = json_extract(value, '\$.id') WHERE rq.id LIKE '$_k-%')")
			_opt=$(glpsol_objective "$_lp" 2>&1)
			[ "$_cost" = "$_opt" ] || _parts="$_parts
part $_k ($(grep "^part ${_k#k}:" "$d/expected.txt")): qm's plan costs $_cost, the optimum is $_opt"
		done
		if [ -n "$_parts" ]; then
			fail "$WHAT: objective $got, glpsol's optimum is $want" "${_parts#?}"
		else
			fail "$WHAT: objective $got, glpsol's optimum is $want"
		fi
	fi

	stage2

	# the plan's own consistency
	if (cd "$d" && sqlite3 :memory: <../check.sql >check.out 2>&1) && [ ! -s "$d/check.out" ]; then
		pass "$WHAT: the plan is feasible and consistent"
	else
		fail "$WHAT: the plan is not feasible or not consistent" "$(head -n 20 "$d/check.out")"
	fi
	rm -f "$d"/db*
}

# ---- edge cases, one ledger each ----
instance 1 nosupply 0 5 4 2        # requirements, no pledge
instance 2 deadsupply 12 5 4 2     # only cancelled and money-only pledges
instance 3 nodemand 15 0 4 2       # pledges, no requirement
instance 4 empty 0 0 3 2           # neither
instance 5 late 20 8 5 2           # every unit late
instance 6 ties 20 8 4 2           # one date, one priority
instance 7 multi 25 8 6 1          # one capability, several items
instance 8 itemreq 20 8 5 2        # requirements naming an item
instance 9 delivered 20 8 5 2      # everything delivered
instance 10 far 20 8 4 2           # about ten years late: unmet may be cheaper
instance 11 scarce 10 12 5 2       # far more needed than offered
instance 12 asof 25 8 6 3 crews    # --as-of (it keeps every course), with training
instance 13 committed 25 8 6 3 crews # --committed-only: announced and cancelled courses left out
instance 14 mix 1 1 1 1
instance 15 mix 2 1 2 1
# more of the same, several to a ledger (each part its own items and
# capabilities, so the optimum is the sum of the parts')
# and training (stage 2): noseats, no course at all; fewseats, a few small
# courses, partly short; crews, courses of every status ending before and
# after the equipment; and in every part with training, two items of one
# capability (when it has two) with different crews
instance 16:late:30:10:6:3 17:ties:25:8:3:1 18:multi:35:8:8:1 19:itemreq:30:10:8:2 \
	20:delivered:30:10:6:3 21:far:30:12:6:3 22:mix:1:3:3:2 23:nosupply:0:3:2:1 24:nodemand:5:0:2:1 \
	30:mix:20:8:5:2:noseats 31:mix:20:8:5:2:fewseats 32:multi:25:8:6:1:crews \
	33:itemreq:20:8:5:2:crews 34:late:20:8:5:2:crews 35:far:20:8:4:2:crews \
	36:delivered:20:8:5:2:crews 37:ties:20:8:4:2:crews 38:scarce:10:12:5:2:fewseats 39:nosupply:0:4:3:2:crews \
	40:multi:25:8:6:1:fewseats 41:nodemand:10:0:3:1:crews

# ---- random instances: seeds 100 to 171, of varying sizes, 9 to a ledger;
# in four of the eight ledgers (one imported in reverse too, one with
# --as-of), every other part with training ----
seed=100
while [ $seed -lt 172 ]; do
	set --
	while [ $# -lt 9 ]; do
		_t=
		case $(((seed - 100) / 9)):$((seed % 4)) in
		[0146]:0) _t=:crews ;;
		[0146]:2) _t=:fewseats ;;
		esac
		set -- "$@" "$seed:mix:$((1 + seed * 37 % 45)):$((1 + seed * 11 % 16)):$((2 + seed % 9)):$((1 + seed * 7 % 4))$_t"
		seed=$((seed + 1))
	done
	if [ $((seed % 2)) = 0 ] && [ $((seed % 4)) != 0 ]; then
		instance reverse "$@"
	else
		instance "$@"
	fi
done
# a few larger ones
instance reverse 200 mix 80 25 10 4
instance 201 asof 80 25 10 3
instance 202:multi:60:20:8:1 203:ties:60:20:6:2 204:committed:60:20:8:3

# ---- --as-of and --committed-only, worked out by hand ----
# tank (capability armour): p-ann announced 5, available 2024-03-01
#   p-com committed 3, available 2024-06-01, delivered 2 on 2024-04-01 and
#         1 on 2024-08-01 (so nothing left on its available date)
#   p-can cancelled 4; p-sep committed 2, dated 2024-09-01, available 2024-09-15
#   p-money: money only, supplies nothing
# drone (capability uav): p-drone committed 3, available 2024-02-01
# r-arm: 20 armour, priority 1 (w 16), needed by 2024-01-01
# r-ifv: 4 of the item ifv, priority 3, needed by 2024-06-30: nothing offers it
# r-uav: 2 uav, priority 5, needed by 2024-03-01: met on 2024-02-01, on time
mkdir hand
cat >hand/items.csv <<'EOF'
code,name,category,capability
tank,Tank,armour,armour
ifv,IFV,armour,armour
drone,Drone,uav,uav
EOF
cat >hand/pledges.csv <<'EOF'
id,donor,date,item,quantity,amount,status,available
p-ann,DEU,2024-01-10,tank,5,,announced,2024-03-01
p-com,FRA,2024-02-01,tank,3,,committed,2024-06-01
p-can,POL,2024-02-01,tank,4,,cancelled,2024-02-01
p-sep,USA,2024-09-01,tank,2,,committed,2024-09-15
p-money,DEU,2024-01-10,,,5m,committed,
p-drone,GBR,2024-01-05,drone,3,,committed,2024-02-01
EOF
cat >hand/deliveries.csv <<'EOF'
id,pledge,date,quantity
d-1,p-com,2024-04-01,2
d-2,p-com,2024-08-01,1
EOF
cat >hand/requirements.csv <<'EOF'
id,capability,item,quantity,priority,needed_by
r-arm,armour,,20,1,2024-01-01
r-ifv,,ifv,4,3,2024-06-30
r-uav,uav,,2,5,2024-03-01
EOF
WHAT="hand-made fixture"
import_instance hand hand.db

# assigned PLAN PLEDGE AVAILABLE: units assigned from PLEDGE on AVAILABLE
assigned() {
	sqlite3 :memory: "SELECT coalesce(sum(json_extract(value, '\$.quantity')), 0)
		FROM json_each(CAST(readfile('$1') AS TEXT), '\$.assignments')
		WHERE json_extract(value, '\$.pledge') = '$2'
		  AND json_extract(value, '\$.available') = '$3'"
}
# req PLAN ID FIELD
req() {
	sqlite3 :memory: "SELECT coalesce(json_extract(value, '\$.$3'), 'null')
		FROM json_each(CAST(readfile('$1') AS TEXT), '\$.requirements')
		WHERE json_extract(value, '\$.id') = '$2'"
}
pledged() { # PLAN PLEDGE: units assigned from PLEDGE in all
	sqlite3 :memory: "SELECT coalesce(sum(json_extract(value, '\$.quantity')), 0)
		FROM json_each(CAST(readfile('$1') AS TEXT), '\$.assignments')
		WHERE json_extract(value, '\$.pledge') = '$2'"
}

# hand_plan NAME OPTIONS...: plan the fixture into NAME.json
hand_plan() {
	_n=$1
	shift
	run "$QM" --db hand.db plan "$@" --json
	expect_equal "$LAST_STATUS" 0 "hand: qm plan $* --json exits 0"
	cp "$OUT" "$_n.json"
}

# days from 2024-01-01: 03-01 60, 04-01 91, 06-01 152, 08-01 213, 09-15 258
# r-ifv: 4 unmet x 4 x 3650 = 58400; r-uav: 2 on time = 0
hand_plan all
# armour: 5 on 03-01, 2 on 04-01, 1 on 08-01, 2 on 09-15: 10 units, 10 unmet
expect_equal "$(assigned all.json p-ann 2024-03-01)" 5 "hand: p-ann's 5 on its available date"
expect_equal "$(assigned all.json p-com 2024-04-01)" 2 "hand: p-com's first delivery"
expect_equal "$(assigned all.json p-com 2024-08-01)" 1 "hand: p-com's second delivery"
expect_equal "$(pledged all.json p-com)" 3 "hand: p-com gives its 3 units, on the delivery dates"
expect_equal "$(assigned all.json p-sep 2024-09-15)" 2 "hand: p-sep"
expect_equal "$(pledged all.json p-can)" 0 "hand: a cancelled pledge supplies nothing"
expect_equal "$(pledged all.json p-money)" 0 "hand: a money-only pledge supplies nothing"
expect_equal "$(assigned all.json p-drone 2024-02-01)" 2 "hand: drones"
expect_equal "$(req all.json r-arm assigned)" 10 "hand: r-arm assigned"
expect_equal "$(req all.json r-arm unmet)" 10 "hand: r-arm unmet"
expect_equal "$(req all.json r-arm delivered)" 3 "hand: r-arm delivered"
expect_equal "$(req all.json r-arm expected)" null "hand: r-arm never met"
expect_equal "$(req all.json r-ifv unmet)" 4 "hand: r-ifv: no ifv offered, tanks do not serve it"
expect_equal "$(req all.json r-uav expected)" 2024-02-01 "hand: r-uav expected"
expect_equal "$(req all.json r-uav delivered)" 0 "hand: r-uav delivered"
# 16 x (5x60 + 2x91 + 1x213 + 2x258) + 16 x 3650 x 10 + 58400
expect_equal "$(top all.json objective)" $((16 * (5 * 60 + 2 * 91 + 213 + 2 * 258) + 16 * 3650 * 10 + 58400)) \
	"hand: objective"
expect_equal "$(top all.json unmet_total)" 14 "hand: unmet_total"

# --committed-only: p-ann left out
hand_plan committed --committed-only
expect_equal "$(pledged committed.json p-ann)" 0 "hand --committed-only: no announced pledge"
expect_equal "$(pledged committed.json p-com)" 3 "hand --committed-only: p-com"
expect_equal "$(pledged committed.json p-sep)" 2 "hand --committed-only: p-sep"
expect_equal "$(req committed.json r-arm unmet)" 15 "hand --committed-only: r-arm unmet"
expect_equal "$(top committed.json objective)" $((16 * (2 * 91 + 213 + 2 * 258) + 16 * 3650 * 15 + 58400)) \
	"hand --committed-only: objective"

# --as-of 2024-05-01: p-sep not yet pledged; p-com's second delivery not yet
# made, so its unit is due on p-com's available date, 2024-06-01
hand_plan asof --as-of 2024-05-01
expect_equal "$(pledged asof.json p-sep)" 0 "hand --as-of: a pledge dated later left out"
expect_equal "$(assigned asof.json p-com 2024-04-01)" 2 "hand --as-of: the delivery made"
expect_equal "$(assigned asof.json p-com 2024-06-01)" 1 "hand --as-of: the rest on the available date"
expect_equal "$(assigned asof.json p-com 2024-08-01)" 0 "hand --as-of: no delivery after the date"
expect_equal "$(assigned asof.json p-ann 2024-03-01)" 5 "hand --as-of: p-ann"
expect_equal "$(req asof.json r-arm delivered)" 2 "hand --as-of: r-arm delivered"
expect_equal "$(req asof.json r-arm unmet)" 12 "hand --as-of: r-arm unmet"
expect_equal "$(top asof.json objective)" $((16 * (5 * 60 + 2 * 91 + 152) + 16 * 3650 * 12 + 58400)) \
	"hand --as-of: objective"

# the as-of date itself counts: on 2024-04-01 the first delivery is made (the
# same plan as on 2024-05-01); on 2024-03-31 it is not, and all 3 units of
# p-com are due on 2024-06-01; on 2024-02-01, p-com's date, it is pledged
hand_plan asof0401 --as-of 2024-04-01
expect_equal "$(assigned asof0401.json p-com 2024-04-01)" 2 "hand --as-of 2024-04-01: a delivery on the date"
expect_equal "$(top asof0401.json objective)" "$(top asof.json objective)" "hand --as-of 2024-04-01: objective"
hand_plan asof0331 --as-of 2024-03-31
expect_equal "$(assigned asof0331.json p-com 2024-06-01)" 3 "hand --as-of 2024-03-31: p-com all due"
expect_equal "$(req asof0331.json r-arm delivered)" 0 "hand --as-of 2024-03-31: nothing delivered"
expect_equal "$(top asof0331.json objective)" $((16 * (5 * 60 + 3 * 152) + 16 * 3650 * 12 + 58400)) \
	"hand --as-of 2024-03-31: objective"
hand_plan asof0201 --as-of 2024-02-01
expect_equal "$(pledged asof0201.json p-com)" 3 "hand --as-of 2024-02-01: a pledge dated on the date"
hand_plan asof0131 --as-of 2024-01-31
expect_equal "$(pledged asof0131.json p-com)" 0 "hand --as-of 2024-01-31: p-com not yet"
expect_equal "$(pledged asof0131.json p-ann)" 5 "hand --as-of 2024-01-31: p-ann"

# both
hand_plan both --as-of 2024-05-01 --committed-only
expect_equal "$(pledged both.json p-ann)" 0 "hand both: no announced pledge"
expect_equal "$(assigned both.json p-com 2024-06-01)" 1 "hand both: p-com's rest"
expect_equal "$(req both.json r-arm unmet)" 17 "hand both: r-arm unmet"
expect_equal "$(top both.json objective)" $((16 * (2 * 91 + 152) + 16 * 3650 * 17 + 58400)) \
	"hand both: objective"

# --as-of before everything: no supply at all
hand_plan early --as-of 2023-12-31
expect_equal "$(top early.json objective)" $((16 * 3650 * 20 + 58400 + 1 * 3650 * 2)) \
	"hand --as-of before every pledge: everything unmet"
expect_equal "$(sqlite3 :memory: "SELECT json_array_length(CAST(readfile('early.json') AS TEXT), '\$.assignments')")" 0 \
	"hand --as-of before every pledge: no assignment"

test_done
