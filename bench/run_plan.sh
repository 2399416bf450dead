#!/bin/sh
# bench/run_plan.sh - the plan benchmark: `qm plan` end to end against two
# references on the plain all-pairs network, and an independent check of
# qm's optimality at scale.
#
# For N = 10,000, 20,000, 50,000, 100,000 and 1,000,000 pledges (the sizes
# the plan issue names, and two between them so that the largest size at
# which each reference finishes is found more finely; a fifth as many
# requirements, 1,000 capabilities; bench/gen_plan.c, fixed seed):
#
#   (a) qm import parties, items, pledges, deliveries, requirements into a
#       fresh database (timed, reported, not part of the plan's time);
#   (b) qm --db DB plan --json > qm.json, BENCH_RUNS times (default 3):
#       median elapsed time, largest peak RSS;
#   (c) LEMON: bench/allpairs_lemon.cpp, one arc per compatible (supply
#       group, requirement) pair plus an unmet arc per requirement, solved
#       with lemon::NetworkSimplex; it reports its own solve time (graph
#       build + run, reading excluded);
#   (c2) LEMON on the same pairs cut into one network per capability
#       (allpairs_lemon --split): not a reference for the targets, a check of
#       the optimum where (c) does not finish;
#   (d) glpsol on the same all-pairs problem as an LP (written by
#       allpairs_lemon --lp, not timed), its "Time used" (the solve) and its
#       elapsed time (reading the LP included).
#
# (c), (c2) and (d) run once, under `timeout BENCH_CAP` (default 600 s) and a
# memory cap (BENCH_REF_MEM_KIB, default three quarters of the machine's
# memory); a reference that does not finish at one size is not run at the
# larger ones. Every solver that finished must give the same objective (exact
# integers). qm's assignments are also checked against the instance: each
# comes from a real supply group of the pledge, serves a compatible
# requirement, has the right days_late; no group gives more units than it
# has, no requirement gets more than it needs; and the objective recomputed
# from them is qm's objective. With the references' optimum this proves
# qm's plan optimal.
#
# Training (docs/plan.md "## Training"): the largest size is also run as a
# separate row, "N + training" (directory nNt): the same instance plus crews
# on a third of the items, courses of 100,000 seats and 20,000 training
# requirements (gen_plan N DIR SEED training). Only (a) and (b) run on it (the
# references solve the equipment alone); its check is the same check of the
# equipment assignments against the instance, with qm's equipment objective
# (objective - training_objective) equal to the plain N row's objective,
# plus the seats: every course exists and gives no more than its seats, and
# training_objective recomputed from the seat assignments and the trainees
# short. BENCH_TRAINING=0 leaves the row out.
#
# BENCH_REFS=0 skips the references (c), (c2) and (d) at every size (the
# slow part of a full run); the tables then say "skipped".
#
# Writes docs/benchmarks-plan.md (a "## Plan" section) unless BENCH_QUICK=1,
# which runs only N = 10,000 and 100,000 and prints the tables (so does
# BENCH_SIZES="N ...", which picks the sizes). Everything else goes under
# build/bench/plan/. Run from the repository root after `make`. QM=path picks
# another qm binary, BENCH_SEED another instance (default 1), BENCH_RUNS the
# runs of qm plan (default 3), BENCH_CAP the references' time limit.
set -eu

QM=${QM:-build/qm}
OUT=build/bench/plan
DOC=docs/benchmarks-plan.md
RUNS=${BENCH_RUNS:-3}
CAP=${BENCH_CAP:-600}
SEED=${BENCH_SEED:-1}
SIZES="10000 20000 50000 100000 1000000"
WRITE_DOC=1
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	SIZES="10000 100000"
	WRITE_DOC=0
fi
if [ -n "${BENCH_SIZES:-}" ]; then
	SIZES=$BENCH_SIZES
	WRITE_DOC=0
fi
REFS=${BENCH_REFS:-1}
# the training row: the largest size again, with courses and crews
BIG=$(echo "$SIZES" | awk '{ print $NF }')
TKEY=
[ "${BENCH_TRAINING:-1}" = 0 ] || TKEY=${BIG}t
MEMTOTAL_KIB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
REF_MEM_KIB=${BENCH_REF_MEM_KIB:-$((MEMTOTAL_KIB / 4 * 3))}

say() { printf 'bench-plan: %s\n' "$*" >&2; }
die() { printf 'bench-plan: error: %s\n' "$*" >&2; exit 1; }

[ -x "$QM" ] || die "$QM not built (run make)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (make deps)"
command -v sqlite3 >/dev/null || die "sqlite3 shell missing (make deps)"
command -v glpsol >/dev/null || die "glpsol missing (make deps: glpk-utils)"
command -v g++ >/dev/null || die "g++ missing (make deps)"
[ -f /usr/include/lemon/network_simplex.h ] || die "LEMON headers missing (make deps: liblemon-dev)"
[ -f bench/gen_plan.c ] || die "run from the repository root"
"$QM" plan --help >/dev/null 2>&1 || die "$QM has no plan command"

# what is measured, taken now: the sources may change while the run goes on
QMV=$("$QM" --version)
REV=$(git describe --always --dirty 2>/dev/null || echo "not a git checkout")

mkdir -p "$OUT"
RES=$OUT/results.txt
: > "$RES"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average at the start: $LOAD_START (other work on the machine slows every figure down)"

# put N KEY VALUE / get N KEY: the figures of one size
put() { echo "$1 $2 $3" >> "$RES"; }
get() { awk -v n="$1" -v k="$2" '$1 == n && $2 == k { v = $3 } END { print (v == "" ? "-" : v) }' "$RES"; }

# --- the programs ---------------------------------------------------------------
if [ ! -x "$OUT/gen_plan" ] || [ bench/gen_plan.c -nt "$OUT/gen_plan" ]; then
	say "compiling bench/gen_plan.c"
	cc -std=c11 -O2 -Wall -Wextra -o "$OUT/gen_plan" bench/gen_plan.c
fi
if [ ! -x "$OUT/allpairs_lemon" ] || [ bench/allpairs_lemon.cpp -nt "$OUT/allpairs_lemon" ]; then
	say "compiling bench/allpairs_lemon.cpp"
	g++ -std=c++14 -O2 -o "$OUT/allpairs_lemon" bench/allpairs_lemon.cpp
fi

# timed FILE CMD...: run CMD under /usr/bin/time, stdout and stderr as the
# caller redirects them; "seconds KiB user sys" into FILE. Returns CMD's status.
timed() {
	tf=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$tf" "$@"
}

# capped DIR LABEL CMD...: run a reference under the time and memory caps, its
# output in DIR/LABEL.out and .err; sets cap_status (finished, timeout, failed)
# and cap_secs, cap_kib.
capped() {
	cdir=$1 clabel=$2
	shift 2
	if (ulimit -v "$REF_MEM_KIB" && exec /usr/bin/time -f '%e %M %U %S' -o "$cdir/$clabel.time" \
		timeout -k 10 "$CAP" "$@") > "$cdir/$clabel.out" 2> "$cdir/$clabel.err"; then
		cap_status=finished
	else
		rc=$?
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			cap_status=timeout
		else
			cap_status="failed(rc=$rc)"
			tail -n 5 "$cdir/$clabel.err" >&2
		fi
	fi
	# the last line: GNU time puts "Command exited with non-zero status N" before it
	set -- $(tail -n 1 "$cdir/$clabel.time" 2>/dev/null) - -
	cap_secs=$1 cap_kib=$2
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# A reference that did not finish at a smaller size is not run at larger ones.
LEMON_ON=$REFS
GLPK_ON=$REFS
SPLIT_ON=$REFS

# N is the key of a row: a size, or the size and "t" for the training row
for N in $SIZES $TKEY; do
	D=$OUT/n$N
	P=${N%t}      # pledges
	TR=           # "training" on the training row
	[ "$N" = "$P" ] || TR=training
	mkdir -p "$D"
	rm -f "$D"/*.lp "$D"/qm.db "$D"/qm.db-* "$D"/*.json
	say "N=$N: generating the instance into $D (seed $SEED${TR:+, with training})"
	"$OUT/gen_plan" "$P" "$D" "$SEED" $TR 2> "$D/gen.err" || { cat "$D/gen.err" >&2; die "gen_plan failed"; }
	cat "$D/gen.err" >&2
	put "$N" supply_units "$(awk '{ s += $5 } END { print s + 0 }' "$D/supply.txt")"
	put "$N" demand_units "$(awk '{ s += $6 } END { print s + 0 }' "$D/demand.txt")"

	# --- (a) import ---------------------------------------------------------------
	DB=$D/qm.db
	isecs=0 ikib=0
	for kind in parties items pledges deliveries ${TR:+courses} requirements; do
		timed "$D/import.time" "$QM" --db "$DB" -q import "$kind" "$D/$kind.csv" \
			> "$D/import.out" 2> "$D/import.err" || { cat "$D/import.err" >&2; die "qm import $kind failed"; }
		set -- $(tail -n 1 "$D/import.time")
		s=$1 k=$2
		isecs=$(awk -v a="$isecs" -v b="$s" 'BEGIN { printf "%.2f", a + b }')
		[ "$k" -gt "$ikib" ] && ikib=$k
	done
	put "$N" import_s "$isecs"
	put "$N" import_kib "$ikib"
	say "N=$N: qm import ($([ -n "$TR" ] && echo 6 || echo 5) files): $isecs s, peak $ikib KiB"

	# --- (b) qm plan --json -------------------------------------------------------------
	: > "$D/qm.runs"
	i=1
	while [ "$i" -le "$RUNS" ]; do
		timed "$D/qm.time" "$QM" --db "$DB" plan --json > "$D/qm.json" 2> "$D/qm.err" ||
			{ cat "$D/qm.err" >&2; die "qm plan failed at N=$N (see $D/qm.err)"; }
		read -r s k u sy < "$D/qm.time"
		cpu=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')
		echo "$s $k $cpu" >> "$D/qm.runs"
		say "N=$N: qm plan --json run $i/$RUNS: $s s elapsed, $cpu s CPU, peak $k KiB"
		if [ "$i" = 1 ]; then
			cp "$D/qm.json" "$D/qm.first.json"
		elif ! cmp -s "$D/qm.json" "$D/qm.first.json"; then
			put "$N" qm_deterministic no
		fi
		i=$((i + 1))
	done
	[ "$(get "$N" qm_deterministic)" = no ] || put "$N" qm_deterministic yes
	rm -f "$D/qm.first.json"
	put "$N" qm_s "$(awk '{ print $1 }' "$D/qm.runs" | median)"
	put "$N" qm_runs "$(awk '{ printf "%s%s", sep, $1; sep = "," } END { print "" }' "$D/qm.runs")"
	put "$N" qm_cpu "$(awk '{ print $3 }' "$D/qm.runs" | median)"
	put "$N" qm_kib "$(awk '$2 > m { m = $2 } END { print m + 0 }' "$D/qm.runs")"
	put "$N" qm_bytes "$(wc -c < "$D/qm.json" | tr -d ' ')"

	# --- qm's figures and the check of its assignments against the instance -----------
	say "N=$N: checking qm's assignments against the instance"
	sqlite3 "$D/check.db" > "$D/check.out" 2> "$D/check.err" <<EOF || true
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
DROP TABLE IF EXISTS sup; DROP TABLE IF EXISTS dem; DROP TABLE IF EXISTS a; DROP TABLE IF EXISTS pl;
CREATE TABLE sup(pledge TEXT, item INT, cap INT, day INT, units INT);
CREATE TABLE dem(req TEXT PRIMARY KEY, kind TEXT, target INT, prio INT, day INT, units INT);
.mode list
.separator ' '
.import $D/supply.txt sup
.import $D/demand.txt dem
CREATE INDEX sup_pd ON sup(pledge, day);
CREATE TABLE pl AS SELECT pledge, min(item) AS item, min(cap) AS cap FROM sup GROUP BY pledge;
CREATE UNIQUE INDEX pl_p ON pl(pledge);
CREATE TABLE j AS SELECT readfile('$D/qm.json') AS t;
CREATE TABLE a AS SELECT value ->> 'pledge' AS pledge, value ->> 'requirement' AS req,
	value ->> 'quantity' AS q, value ->> 'available' AS available, value ->> 'days_late' AS late,
	CAST(round(julianday(value ->> 'available') - julianday('2022-03-01')) AS INT) AS day
	FROM j, json_each(j.t, '\$.assignments');
CREATE INDEX a_req ON a(req);
CREATE INDEX a_pd ON a(pledge, day);
SELECT 'objective', t ->> 'objective' FROM j;
SELECT 'unmet_total', t ->> 'unmet_total' FROM j;
-- the equipment (stage 1): what the instance's supply and demand describe
SELECT 'training_objective', t ->> 'training_objective' FROM j;
SELECT 'equipment_objective', (t ->> 'objective') - (t ->> 'training_objective') FROM j;
SELECT 'equipment_unmet', coalesce(sum(value ->> 'unmet'), 0) FROM j, json_each(j.t, '\$.requirements')
	WHERE value ->> 'id' IN (SELECT req FROM dem);
SELECT 'assignments', count(*) FROM a;
SELECT 'requirements_listed', json_array_length(t, '\$.requirements') FROM j;
SELECT 'requirements_unmet_sum', sum(value ->> 'unmet') FROM j, json_each(j.t, '\$.requirements');
-- violations
SELECT 'bad_quantity', count(*) FROM a WHERE typeof(q) <> 'integer' OR q < 1;
SELECT 'no_such_group', count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM sup WHERE sup.pledge = a.pledge AND sup.day = a.day);
SELECT 'no_such_requirement', count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM dem WHERE dem.req = a.req);
SELECT 'incompatible', count(*) FROM a JOIN pl USING (pledge) JOIN dem USING (req)
	WHERE NOT ((dem.kind = 'c' AND dem.target = pl.cap) OR (dem.kind = 'i' AND dem.target = pl.item));
SELECT 'wrong_days_late', count(*) FROM a JOIN dem USING (req) WHERE a.late IS NOT max(0, a.day - dem.day);
SELECT 'group_overused', count(*) FROM (SELECT pledge, day, sum(q) AS used FROM a GROUP BY pledge, day) u
	WHERE used > (SELECT sum(units) FROM sup WHERE sup.pledge = u.pledge AND sup.day = u.day);
SELECT 'requirement_overserved', count(*) FROM (SELECT req, sum(q) AS got FROM a GROUP BY req) g
	JOIN dem USING (req) WHERE got > dem.units;
-- the objective and the unmet units recomputed from the assignments
SELECT 'recomputed_objective',
	(SELECT coalesce(sum((1 << (5 - dem.prio)) * a.q * max(0, a.day - dem.day)), 0) FROM a JOIN dem USING (req))
	+ (SELECT sum((1 << (5 - prio)) * 3650 * (units - coalesce((SELECT sum(q) FROM a WHERE a.req = dem.req), 0))) FROM dem);
SELECT 'recomputed_unmet', (SELECT sum(units) FROM dem) - (SELECT coalesce(sum(q), 0) FROM a);
EOF
	if [ -n "$TR" ]; then
		# the seats: courses that exist, none over its seats, and the
		# training objective recomputed from the seat assignments
		sqlite3 "$D/check.db" >> "$D/check.out" 2>> "$D/check.err" <<EOF || true
.mode list
.separator ' '
DROP TABLE IF EXISTS co; DROP TABLE IF EXISTS s; DROP TABLE IF EXISTS rq;
.import --csv $D/courses.csv co
CREATE UNIQUE INDEX co_id ON co(id);
CREATE TABLE s AS SELECT value ->> 'course' AS course, value ->> 'requirement' AS req,
	value ->> 'trainees' AS n, value ->> 'days_late' AS late, value ->> 'crew' AS crew
	FROM j, json_each(j.t, '\$.seat_assignments');
CREATE TABLE rq AS SELECT value ->> 'id' AS id, value ->> 'priority' AS prio, value ->> 'unmet' AS unmet,
	value ->> 'crew_needed' AS cn, value ->> 'crew_unmet' AS cu, value ->> 'ready' AS ready
	FROM j, json_each(j.t, '\$.requirements');
CREATE UNIQUE INDEX rq_id ON rq(id);
SELECT 'seat_rows', count(*) FROM s;
SELECT 'seats_assigned', coalesce(sum(n), 0) FROM s;
SELECT 'crew_needed', sum(cn) FROM rq;
SELECT 'crew_trained', coalesce((SELECT sum(n) FROM s WHERE crew), 0);
SELECT 'crew_unmet', sum(cu) FROM rq;
SELECT 'training_unmet', sum(unmet) FROM rq WHERE id LIKE 't%';
SELECT 'ready_requirements', count(*) FROM rq WHERE ready IS NOT NULL AND cn > 0;
SELECT 'no_such_course', count(*) FROM s WHERE course NOT IN (SELECT id FROM co);
SELECT 'course_overused', count(*) FROM (SELECT course, sum(n) AS used FROM s GROUP BY course) u
	JOIN co ON co.id = u.course WHERE used > CAST(co.seats AS INT);
SELECT 'recomputed_training',
	(SELECT coalesce(sum((1 << (5 - rq.prio)) * s.late * s.n), 0) FROM s JOIN rq ON rq.id = s.req)
	+ (SELECT sum((1 << (5 - prio)) * 3650 * (cu + CASE WHEN id LIKE 't%' THEN unmet ELSE 0 END)) FROM rq);
EOF
	fi
	rm -f "$D/check.db"
	chk() { awk -v k="$1" '$1 == k { print $2 }' "$D/check.out"; }
	for k in training_objective equipment_objective seat_rows seats_assigned crew_needed crew_trained \
		crew_unmet training_unmet ready_requirements recomputed_training; do
		v=$(chk "$k")
		[ -z "$v" ] || put "$N" "$k" "$v"
	done
	if [ -s "$D/check.err" ]; then
		cat "$D/check.err" >&2
		put "$N" qm_check "not-run(see:$D/check.err)"
	fi
	put "$N" qm_objective "$(chk objective)"
	put "$N" qm_unmet "$(chk unmet_total)"
	put "$N" qm_assignments "$(chk assignments)"
	viol=0
	for k in bad_quantity no_such_group no_such_requirement incompatible wrong_days_late group_overused \
		requirement_overserved no_such_course course_overused; do
		v=$(chk "$k")
		[ -n "$v" ] || v=0
		[ "$v" = 0 ] || { say "N=$N: qm's plan: $v assignments or groups: $k"; viol=$((viol + v)); }
	done
	put "$N" qm_violations "$viol"
	put "$N" recomputed_objective "$(chk recomputed_objective)"
	put "$N" recomputed_unmet "$(chk recomputed_unmet)"
	if [ "$(get "$N" qm_check)" = - ]; then
		if [ "$viol" = 0 ] && [ "$(chk recomputed_objective)" = "$(chk equipment_objective)" ] &&
			[ "$(chk recomputed_unmet)" = "$(chk equipment_unmet)" ] &&
			{ [ -z "$TR" ] || [ "$(chk recomputed_training)" = "$(chk training_objective)" ]; }; then
			put "$N" qm_check pass
		else
			put "$N" qm_check FAIL
		fi
	fi
	say "N=$N: qm objective $(chk objective), unmet $(chk unmet_total); assignments check: $(get "$N" qm_check)"

	# --- (c) LEMON all-pairs ---------------------------------------------------------
	if [ -n "$TR" ] || [ "$REFS" = 0 ]; then
		put "$N" lemon_status skipped
	elif [ "$LEMON_ON" = 1 ]; then
		say "N=$N: LEMON NetworkSimplex on all pairs (cap $CAP s)"
		capped "$D" lemon "$OUT/allpairs_lemon" "$D"
		put "$N" lemon_status "$cap_status"
		put "$N" lemon_s "$cap_secs"
		put "$N" lemon_kib "$cap_kib"
		for k in objective unmet arcs groups build_s run_s solve_s; do
			put "$N" "lemon_$k" "$(awk -v k="$k" '$1 == k { print $2 }' "$D/lemon.out")"
		done
		say "N=$N: LEMON $cap_status: $cap_secs s, $cap_kib KiB, solve $(get "$N" lemon_solve_s) s," \
			"objective $(get "$N" lemon_objective)"
		[ "$cap_status" = finished ] || LEMON_ON=0
	else
		put "$N" lemon_status not-run
	fi

	# --- (c2) LEMON on the same pairs, one network per capability: the check -----------
	if [ -n "$TR" ] || [ "$SPLIT_ON" = 0 ]; then
		put "$N" split_status skipped
	else
		say "N=$N: LEMON NetworkSimplex on all pairs, one network per capability (cap $CAP s)"
		capped "$D" split "$OUT/allpairs_lemon" --split "$D"
		put "$N" split_status "$cap_status"
		put "$N" split_s "$cap_secs"
		put "$N" split_kib "$cap_kib"
		for k in objective unmet arcs build_s run_s solve_s; do
			put "$N" "split_$k" "$(awk -v k="$k" '$1 == k { print $2 }' "$D/split.out")"
		done
		say "N=$N: LEMON per capability $cap_status: $cap_secs s, $cap_kib KiB, solve $(get "$N" split_solve_s) s," \
			"objective $(get "$N" split_objective)"
	fi

	# --- (d) glpsol on the all-pairs LP ------------------------------------------------
	if [ -n "$TR" ] || [ "$REFS" = 0 ]; then
		put "$N" glpsol_status skipped
	elif [ "$GLPK_ON" = 1 ]; then
		say "N=$N: writing the all-pairs LP"
		timed "$D/lp.time" "$OUT/allpairs_lemon" --lp "$D" "$D/plan.lp" || die "writing the LP failed"
		put "$N" lp_bytes "$(wc -c < "$D/plan.lp" | tr -d ' ')"
		say "N=$N: glpsol (cap $CAP s)"
		rm -f "$D/glpsol.sol"
		capped "$D" glpsol glpsol --lp "$D/plan.lp" -w "$D/glpsol.sol"
		put "$N" glpsol_status "$cap_status"
		put "$N" glpsol_s "$cap_secs"
		put "$N" glpsol_kib "$cap_kib"
		if [ "$cap_status" = finished ]; then
			# "s bas ROWS COLS PRIM DUAL OBJ": the objective, 15 significant digits
			put "$N" glpsol_objective "$(awk '$1 == "s" { printf "%.0f\n", $7 }' "$D/glpsol.sol")"
			put "$N" glpsol_lp_status "$(awk '$1 == "s" { print $5 }' "$D/glpsol.sol")"
			put "$N" glpsol_solve_s "$(sed -n 's/^Time used: *\([0-9.]*\) secs.*/\1/p' "$D/glpsol.out" | tail -n 1)"
		else
			GLPK_ON=0
		fi
		say "N=$N: glpsol $cap_status: $cap_secs s, $cap_kib KiB, objective $(get "$N" glpsol_objective)"
		rm -f "$D/plan.lp"
	else
		put "$N" glpsol_status not-run
	fi

	# --- agreement -------------------------------------------------------------------
	# (qm's equipment objective: all of it but on the training row)
	objs="qm=$(get "$N" equipment_objective)"
	agree=n/a
	for ref in lemon split glpsol; do
		[ "$(get "$N" ${ref}_status)" = finished ] || continue
		[ "$agree" = NO ] || agree=yes
		o=$(get "$N" ${ref}_objective)
		objs="$objs $ref=$o"
		[ "$o" = "$(get "$N" equipment_objective)" ] || agree=NO
	done
	# the training row's equipment is the plain row's instance
	if [ -n "$TR" ] && [ "$(get "$P" qm_objective)" != - ]; then
		objs="$objs qm(N=$P, no training)=$(get "$P" qm_objective)"
		[ "$agree" = NO ] || agree=yes
		[ "$(get "$P" qm_objective)" = "$(get "$N" equipment_objective)" ] || agree=NO
	fi
	put "$N" agree "$agree"
	say "N=$N: objectives $objs: agree $agree"
done

# --- tables ---------------------------------------------------------------------------
mib() { [ "$1" = - ] && { echo -; return; }; awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a <= 0 || b <= 0) print "-"; else printf "%.1f", a / b }'; }
# rx A B: "A/B" as "12.3x", or "-"
rx() { r=$(ratio "$1" "$2"); [ "$r" = - ] && echo - || echo "${r}x"; }
fmt_ref() { # N REF: "12.3 s" or "timeout (> 600 s)" or "not run"
	st=$(get "$1" "$2_status")
	case $st in
	finished) echo "$(get "$1" "$2_$3") s" ;;
	timeout) echo "did not finish in $CAP s" ;;
	not-run) echo "not run (did not finish at a smaller size)" ;;
	skipped) echo "skipped" ;;
	*) echo "$st" ;;
	esac
}

# the label of a row: "1000000" or "1000000 + training"
label() { case $1 in *t) echo "${1%t} + training" ;; *) echo "$1" ;; esac; }

instances() {
	printf '| pledges | requirements | supply groups | compatible pairs (all-pairs arcs) | units pledged / needed | qm import (5 files) |\n'
	printf '| ---: | ---: | ---: | ---: | --- | ---: |\n'
	for N in $SIZES; do
		pairs=$(get "$N" lemon_arcs)
		[ "$pairs" = - ] || pairs=$((pairs - $(get "$N" lemon_groups) - N / 5 - 1))
		printf '| %s | %s | %s | %s | %s / %s | %s s |\n' "$N" "$((N / 5))" "$(awk '{ n++ } END { print n + 0 }' "$OUT/n$N/supply.txt")" \
			"$pairs" "$(get "$N" supply_units)" "$(get "$N" demand_units)" "$(get "$N" import_s)"
	done
}

times_table() {
	printf '| pledges | qm plan --json: median elapsed (runs) | qm CPU | qm peak RSS | LEMON all-pairs: solve (build + run) | LEMON process elapsed, peak RSS | glpsol: solve ("Time used") | glpsol process elapsed, peak RSS |\n'
	printf '| ---: | --- | ---: | ---: | --- | --- | --- | --- |\n'
	for N in $SIZES $TKEY; do
		lp="-"
		[ "$(get "$N" lemon_status)" = finished ] && lp="$(get "$N" lemon_s) s, $(mib "$(get "$N" lemon_kib)") MiB"
		if [ "$(get "$N" lemon_status)" = timeout ]; then
			lp="killed at $CAP s"
			[ "$(get "$N" lemon_build_s)" = - ] || lp="$lp (graph built in $(get "$N" lemon_build_s) s)"
		fi
		gp="-"
		[ "$(get "$N" glpsol_status)" = finished ] && gp="$(get "$N" glpsol_s) s, $(mib "$(get "$N" glpsol_kib)") MiB"
		[ "$(get "$N" glpsol_status)" = timeout ] && gp="killed at $CAP s"
		ls_=$(fmt_ref "$N" lemon solve_s)
		[ "$(get "$N" lemon_status)" = finished ] && ls_="$ls_ ($(get "$N" lemon_build_s) + $(get "$N" lemon_run_s))"
		printf '| %s | %s s (%s) | %s s | %s MiB | %s | %s | %s | %s |\n' "$(label "$N")" "$(get "$N" qm_s)" \
			"$(get "$N" qm_runs | sed 's/,/, /g')" "$(get "$N" qm_cpu)" "$(mib "$(get "$N" qm_kib)")" \
			"$ls_" "$lp" "$(fmt_ref "$N" glpsol solve_s)" "$gp"
	done
}

split_table() {
	printf '| pledges | LEMON per capability: solve (build + run) | process elapsed | peak RSS |\n'
	printf '| ---: | --- | ---: | ---: |\n'
	for N in $SIZES; do
		if [ "$(get "$N" split_status)" = finished ]; then
			printf '| %s | %s s (%s + %s) | %s s | %s MiB |\n' "$N" "$(get "$N" split_solve_s)" \
				"$(get "$N" split_build_s)" "$(get "$N" split_run_s)" "$(get "$N" split_s)" "$(mib "$(get "$N" split_kib)")"
		else
			printf '| %s | %s | | |\n' "$N" "$(fmt_ref "$N" split solve_s)"
		fi
	done
}

check_table() {
	printf '| pledges | qm objective | LEMON all-pairs | LEMON per capability | glpsol | agree | unmet units: qm / LEMON / per capability | qm assignments | assignments check | byte-identical runs |\n'
	printf '| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | --- |\n'
	for N in $SIZES $TKEY; do
		o=$(get "$N" qm_objective)
		case $N in *t) o="$o (equipment $(get "$N" equipment_objective), the plain row's)" ;; esac
		printf '| %s | %s | %s | %s | %s | %s | %s / %s / %s | %s | %s | %s |\n' "$(label "$N")" "$o" \
			"$(get "$N" lemon_objective)" "$(get "$N" split_objective)" "$(get "$N" glpsol_objective)" \
			"$(get "$N" agree)" "$(get "$N" qm_unmet)" "$(get "$N" lemon_unmet)" "$(get "$N" split_unmet)" \
			"$(get "$N" qm_assignments)" "$(get "$N" qm_check)" "$(get "$N" qm_deterministic)"
	done
}

ratios_table() {
	printf '| pledges | LEMON solve / qm plan | LEMON run only / qm plan | glpsol solve / qm plan | glpsol elapsed / qm plan | LEMON per capability (not a target): solve / qm plan |\n'
	printf '| ---: | ---: | ---: | ---: | ---: | ---: |\n'
	for N in $SIZES; do
		q=$(get "$N" qm_s)
		case $(get "$N" lemon_status) in
		finished) l1=$(rx "$(get "$N" lemon_solve_s)" "$q") l2=$(rx "$(get "$N" lemon_run_s)" "$q") ;;
		timeout) l1="> $(ratio "$CAP" "$q")x" l2="-" ;;
		*) l1=- l2=- ;;
		esac
		case $(get "$N" glpsol_status) in
		finished) g1=$(rx "$(get "$N" glpsol_solve_s)" "$q") g2=$(rx "$(get "$N" glpsol_s)" "$q") ;;
		timeout) g1="> $(ratio "$CAP" "$q")x" g2="$g1" ;;
		*) g1=- g2=- ;;
		esac
		s1=-
		[ "$(get "$N" split_status)" = finished ] && s1=$(rx "$(get "$N" split_solve_s)" "$q")
		printf '| %s | %s | %s | %s | %s | %s |\n' "$N" "$l1" "$l2" "$g1" "$g2" "$s1"
	done
}

training_table() {
	printf '| instance | courses / seats | training requirements / trainees | qm plan --json: median elapsed (runs) | qm CPU | qm peak RSS | training_objective (recomputed) | seat assignments / trainees placed | crews needed / trained / short | training requirements short | crewed requirements ready |\n'
	printf '| --- | --- | --- | --- | ---: | ---: | --- | --- | --- | ---: | ---: |\n'
	D=$OUT/n$TKEY
	nc=$(($(wc -l < "$D/courses.csv") - 1))
	tt=$(awk -F, '$1 ~ /^t/ { s += $4 } END { print s + 0 }' "$D/requirements.csv")
	printf '| %s | %s / %s | %s / %s | %s s (%s) | %s s | %s MiB | %s (%s) | %s / %s | %s / %s / %s | %s | %s |\n' \
		"$(label "$TKEY")" "$nc" "$(awk -F, 'NR > 1 { s += $4 } END { print s + 0 }' "$D/courses.csv")" \
		"$(grep -c '^t' "$D/requirements.csv")" "$tt" "$(get "$TKEY" qm_s)" "$(get "$TKEY" qm_runs | sed 's/,/, /g')" \
		"$(get "$TKEY" qm_cpu)" "$(mib "$(get "$TKEY" qm_kib)")" "$(get "$TKEY" training_objective)" \
		"$(get "$TKEY" recomputed_training)" "$(get "$TKEY" seat_rows)" "$(get "$TKEY" seats_assigned)" \
		"$(get "$TKEY" crew_needed)" "$(get "$TKEY" crew_trained)" "$(get "$TKEY" crew_unmet)" \
		"$(get "$TKEY" training_unmet)" "$(get "$TKEY" ready_requirements)"
}

# largest size at which REF finished
largest_finished() {
	l=-
	for N in $SIZES; do [ "$(get "$N" "$1_status")" = finished ] && l=$N; done
	echo "$l"
}

# "; at N it did not finish in CAP s: qm is more than Xx faster" for the
# first size at which REF was stopped, if any
stopped_note() {
	for N in $SIZES; do
		if [ "$(get "$N" "$1_status")" = timeout ]; then
			printf '; at %s it did not finish in %s s: qm (%s s) is more than %sx faster' "$N" "$CAP" \
				"$(get "$N" qm_s)" "$(ratio "$CAP" "$(get "$N" qm_s)")"
			return
		fi
	done
}

targets_table() {
	BIG=$(echo "$SIZES" | awk '{ print $NF }')
	q=$(get "$BIG" qm_s) k=$(get "$BIG" qm_kib)
	t1=$(awk -v s="$q" 'BEGIN { print (s < 10) ? "met" : "MISSED" }')
	t2=$(awk -v k="$k" 'BEGIN { print (k * 1024 < 1000000000) ? "met" : "MISSED" }')
	printf '| target | measured | verdict |\n| --- | --- | --- |\n'
	printf '| %s-pledge plan in under 10 s on %s cores | %s s (median elapsed, end to end) | %s |\n' "$BIG" "$(nproc)" "$q" "$t1"
	printf '| %s-pledge plan in under 1 GB | %s MB peak RSS (%s KiB) | %s |\n' "$BIG" \
		"$(awk -v k="$k" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')" "$k" "$t2"
	if [ -n "$TKEY" ]; then
		q=$(get "$TKEY" qm_s) k=$(get "$TKEY" qm_kib)
		t1=$(awk -v s="$q" 'BEGIN { print (s != "-" && s < 10) ? "met" : "MISSED" }')
		t2=$(awk -v k="$k" 'BEGIN { print (k != "-" && k * 1024 < 1000000000) ? "met" : "MISSED" }')
		printf '| %s-pledge plan with 100,000 course seats and 20,000 training requirements in under 10 s on %s cores | %s s (median elapsed, end to end, both stages) | %s |\n' \
			"$BIG" "$(nproc)" "$q" "$t1"
		printf '| the same in under 1 GB | %s MB peak RSS (%s KiB) | %s |\n' \
			"$(awk -v k="$k" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')" "$k" "$t2"
	fi
	G=$(largest_finished glpsol)
	if [ "$G" = - ]; then
		printf '| at least 100x faster than glpsol | glpsol finished at no size | - |\n'
	else
		r=$(ratio "$(get "$G" glpsol_solve_s)" "$(get "$G" qm_s)")
		v=$(awk -v r="$r" 'BEGIN { print (r >= 100) ? "met" : "MISSED" }')
		printf '| at least 100x faster than glpsol, at the largest size it finishes (%s) | glpsol solve %s s / qm %s s = %sx (elapsed: %sx)%s | %s |\n' \
			"$G" "$(get "$G" glpsol_solve_s)" "$(get "$G" qm_s)" "$r" "$(ratio "$(get "$G" glpsol_s)" "$(get "$G" qm_s)")" \
			"$(stopped_note glpsol)" "$v"
	fi
	L=$(largest_finished lemon)
	if [ "$L" = - ]; then
		printf '| faster than LEMON all-pairs | LEMON finished at no size | - |\n'
	else
		r=$(ratio "$(get "$L" lemon_solve_s)" "$(get "$L" qm_s)")
		v=$(awk -v r="$r" 'BEGIN { print (r > 1) ? "met" : "MISSED" }')
		printf '| faster than LEMON all-pairs, at the largest size it finishes (%s) | LEMON solve %s s / qm %s s = %sx (run only: %sx)%s | %s |\n' \
			"$L" "$(get "$L" lemon_solve_s)" "$(get "$L" qm_s)" "$r" "$(ratio "$(get "$L" lemon_run_s)" "$(get "$L" qm_s)")" \
			"$(stopped_note lemon)" "$v"
	fi
	allok=yes unchecked=""
	for N in $SIZES $TKEY; do
		case $(get "$N" agree) in
		yes) ;;
		n/a) unchecked="$unchecked $N" ;;
		*) allok=NO ;;
		esac
		[ "$(get "$N" qm_check)" = pass ] || allok=NO
	done
	note="every size"
	[ -z "$unchecked" ] || note="every size; no solver finished at$unchecked, where only the plan's feasibility and objective are checked"
	[ -z "$TKEY" ] || note="$note; with training, the equipment objective and the seats' feasibility and cost (stage 2's optimality is tests/cli/t1000-plan-glpsol.sh's)"
	printf '| optimal: the objective of every solver that finished, and a feasible plan that has that objective | %s | %s |\n' \
		"$note" "$([ "$allok" = yes ] && echo met || echo MISSED)"
}

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
printf '\nPlan benchmark, seed %s; load average at the start %s, at the end %s\n\n' "$SEED" "$LOAD_START" "$LOAD_END"
instances
printf '\n'
times_table
printf '\n'
split_table
printf '\n'
check_table
printf '\n'
ratios_table
printf '\n'
if [ -n "$TKEY" ]; then
	training_table
	printf '\n'
fi
targets_table
printf '\n'

if [ "$WRITE_DOC" = 0 ]; then
	say "BENCH_QUICK=1: $DOC left as it is (its figures are for 10,000 to 1,000,000 pledges)"
	exit 0
fi

CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
[ -n "$CPU" ] || CPU=unknown
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LEMONV=$(dpkg-query -W -f='${Version}' liblemon-dev 2>/dev/null || echo unknown)
GLPKV=$(glpsol --version | head -n 1)
GXXV=$(g++ --version | head -n 1)

cat > "$DOC.tmp" <<EOF
## Plan

Written by \`bench/run_plan.sh\`; do not edit by hand, run it again.

- Date: $DATE
- Machine: $(nproc) cores ($CPU), $MEM of memory; load average (1, 5, 15 min) $LOAD_START at
  the start, $LOAD_END at the end (nothing keeps other work off the machine during a run)
- qm: $QMV, source \`$REV\` (\`git describe --always --dirty\` when the run started)
- References: LEMON $LEMONV (Debian liblemon-dev, \`lemon::NetworkSimplex\`, default pivot rule), built
  with $GXXV \`-O2\`; $GLPKV (\`glpsol\`, default options: primal simplex)

### What is measured

\`bench/gen_plan.c\` writes an instance of N pledges (seed $SEED, so the same files every time):
ten allied nations, 3,000 items (three per capability, \`cap-0001\`..\`cap-1000\`, no prices), N
pledges of one item and 1-50 units (55% committed, 43% announced, 2% cancelled) dated 2022-03-01 to
2024-12-31 and available then or up to a year later, about 4% of them partly delivered (one or two
deliveries), and N/5 requirements (85% by capability, 15% by item) of 1-261 units, priority 1-5,
needed by 2022-03-01 to 2025-12-31. Demand is about 5% above supply, and with only N/5,000
requirements per capability at N = 10,000 many capabilities have supply but no need, or the reverse,
so every plan leaves some need unmet (see the unmet units below).

The problem is the plan's contract (docs/plan.md): every unit of every
pledge that is not cancelled is supply, delivered units on their delivery date and the rest on the
pledge's \`available\` date; a unit of item i may serve requirement r when r names i or i's capability;
minimise the sum of w(r) x max(0, days late) over assigned units plus w(r) x 3650 over unmet units,
w = 2^(5 - priority).

The sizes are the three the plan issue names (10,000, 100,000 and 1,000,000 pledges) and two between
them, 20,000 and 50,000, so that "the largest size each reference finishes" is found more finely than
by factors of ten. For each N, in one run:

1. \`qm import\` of the five files into a fresh database (timed, not part of the plan's figures);
2. \`qm --db DB plan --json > qm.json\`, $RUNS runs, end to end (opening the database, reading the
   ledger, solving, writing the JSON): median elapsed time, every run, median CPU time (user +
   system) and largest peak RSS (\`/usr/bin/time -f '%e %M %U %S'\`);
3. LEMON all-pairs (\`bench/allpairs_lemon.cpp\`): the plain network with one arc per compatible
   (supply group, requirement) pair, where a supply group is the units of one pledge available on one
   day, plus one unmet arc per requirement and one leftover arc per group, solved with
   \`lemon::NetworkSimplex\`. The program reports its solve time: building the graph and the
   solver's maps ("build") plus \`run()\` ("run"), reading its input excluded;
4. LEMON per capability (\`allpairs_lemon --split\`): the same compatible pairs cut into one
   network per capability (capabilities do not interact), each solved with NetworkSimplex. It is
   not one of the targets' references (it already uses the problem's structure); it is there to
   check qm's optimum at the sizes where the single network does not finish;
5. \`glpsol --lp plan.lp\` on the same all-pairs problem written as an LP (one column per compatible
   pair and one per requirement's unmet units, one row per group and per requirement). Its solve time
   is the "Time used" it prints; its elapsed time includes reading the LP file.

3 to 5 run once each, under \`timeout $CAP\` and a memory cap of $REF_MEM_KIB KiB; a reference
that does not finish at one size is not run at the larger ones. The ratios compare qm's median
elapsed time, end to end, with the references' solve times (reading excluded), so they favour the
references.

Optimality is checked on every instance, independently of qm's code: all solvers that finished must
report the same objective (exact integers), and qm's assignments are checked against the generator's
own list of supply groups and requirements (\`supply.txt\`, \`demand.txt\`, written alongside the
CSV files): each assignment comes from a real supply group of its pledge (by \`available\` date) and
serves a compatible requirement with the right \`days_late\`, no group gives more units than it has, no
requirement gets more than it needs, and the objective and unmet units recomputed from the assignments
are qm's. A feasible plan whose cost equals the references' optimum is optimal. Unmet units may differ
between optimal plans only when ties allow it.

### Instances

$(instances)

### Times and memory

$(times_table)

LEMON per capability (the check, not a target's reference):

$(split_table)

### Objectives and checks

$(check_table)

### qm against the references (how many times faster qm is)

$(ratios_table)

$(if [ -n "$TKEY" ]; then
	printf '### Training (stage 2) at %s pledges\n\n' "$BIG"
	printf '%s\n\n' "The row \"$(label "$TKEY")\" is the instance of $BIG pledges again (the same pledges, requirements, \`supply.txt\` and \`demand.txt\`) with \`gen_plan $BIG DIR $SEED training\`: every \"a\" item (1,000 of the 3,000) needs a crew of 1-4 trainees of one of 100 skills, courses of 1-40 seats (committed or announced, 2 to 17 weeks) give 100,000 seats in all, and 20,000 training requirements need 1-10 trainees each. qm plans the equipment, then the seats for those requirements and for the crews of every assignment of a crewed item (one network per skill). Its equipment objective (\`objective - training_objective\`) must be the plain row's objective; the seats are checked for existing courses, no course over its seats, and \`training_objective\` recomputed from the seat assignments and the trainees short. That stage 2 is optimal given stage 1 is checked against glpsol by \`tests/cli/t1000-plan-glpsol.sh\` on small instances."
	training_table
	printf '\n'
fi)

### Against the targets

$(targets_table)

### Commands

\`\`\`sh
cc -std=c11 -O2 -o $OUT/gen_plan bench/gen_plan.c
g++ -std=c++14 -O2 -o $OUT/allpairs_lemon bench/allpairs_lemon.cpp
D=$OUT/nN
$OUT/gen_plan N \$D $SEED
for k in parties items pledges deliveries requirements; do
    $QM --db \$D/qm.db -q import \$k \$D/\$k.csv
done
# the training row: gen_plan N \$D $SEED training, and import courses before requirements
/usr/bin/time -f '%e %M %U %S' $QM --db \$D/qm.db plan --json > \$D/qm.json
timeout $CAP /usr/bin/time -f '%e %M %U %S' $OUT/allpairs_lemon \$D
timeout $CAP /usr/bin/time -f '%e %M %U %S' $OUT/allpairs_lemon --split \$D
$OUT/allpairs_lemon --lp \$D \$D/plan.lp
timeout $CAP /usr/bin/time -f '%e %M %U %S' glpsol --lp \$D/plan.lp -w \$D/glpsol.sol
\`\`\`

### Reproduce

\`\`\`sh
sh bench/run_plan.sh                    # all five sizes, rewrites this file
BENCH_QUICK=1 sh bench/run_plan.sh      # 10,000 and 100,000 only, prints the tables
BENCH_SEED=7 sh bench/run_plan.sh       # another instance of each size
BENCH_SIZES=1000000 BENCH_REFS=0 sh bench/run_plan.sh   # 1,000,000 and its training row, qm only
\`\`\`

Everything is written under \`$OUT/\` (each size's instance, database, outputs and logs in
\`$OUT/nN/\`).
EOF
mv "$DOC.tmp" "$DOC"
say "wrote $DOC"

# The targets and the commands also go into docs/benchmarks.md, between the
# plan markers (bench/run.sh keeps that block when it rewrites the page).
BM=docs/benchmarks.md
if [ -f "$BM" ]; then
	{
		echo '<!-- plan:begin -->'
		echo '## Plan'
		echo
		echo "Written by \`bench/run_plan.sh\` on $DATE ($(nproc) cores, $CPU). The full figures (every size,"
		echo 'every reference, the optimality checks) and the method are in [benchmarks-plan.md](benchmarks-plan.md).'
		echo
		targets_table
		echo
		echo 'Commands (N = each size, `D` its directory under `'"$OUT"'`):'
		echo
		echo '```sh'
		echo "/usr/bin/time -f '%e %M %U %S' $QM --db \$D/qm.db plan --json > \$D/qm.json"
		echo "timeout $CAP /usr/bin/time -f '%e %M %U %S' $OUT/allpairs_lemon \$D"
		echo "$OUT/allpairs_lemon --lp \$D \$D/plan.lp"
		echo "timeout $CAP /usr/bin/time -f '%e %M %U %S' glpsol --lp \$D/plan.lp -w \$D/glpsol.sol"
		echo '```'
		echo '<!-- plan:end -->'
	} | sh bench/doc_block.sh plan "$BM"
	say "updated the plan section of $BM"
fi
