#!/bin/sh
# tests/run.sh - run the whole test suite from the repository root:
#
#   1. every unit test binary, first as built normally (build/tests/), then
#      with AddressSanitizer and UndefinedBehaviorSanitizer (build/asan/tests/),
#      then those that use a database (tests/unit/unit_db.h) both ways again
#      on PostgreSQL (QM_TEST_PG, the cluster below);
#   2. every CLI test (tests/cli/t*.sh) three times: with QM=build/qm and
#      with QM=build/asan/qm on SQLite files, and with QM=build/qm on
#      PostgreSQL (the "pg" lane: QM_TEST_PG names a throwaway cluster that
#      tests/pg/cluster.sh starts on loopback for this run and removes at the
#      end; tests/cli/lib.sh gives each database a test names its own
#      PostgreSQL database). The lanes go side by side. The few tests that
#      are about SQLite files only say so and pass in the pg lane. When
#      PostgreSQL cannot be started, the pg lane fails with the reason.
#      A fourth lane runs the tests that work the PostgreSQL store hardest
#      (PG_ASAN_TESTS: import in bulk and in batches, bad JSON, revision,
#      valuation, audit, copy, reconnection, the write lock) with
#      QM=build/asan/qm on PostgreSQL, for leaks and undefined behaviour in
#      postgres.c and the import's PostgreSQL paths.
#
# One line per test: "ok NAME" or "FAIL NAME" (followed by what the test
# said), then a last line "N passed, N failed" counting test files and
# binaries; the exit status is 1 when anything failed. Leaks fail the
# sanitizer runs (ASAN_OPTIONS=detect_leaks=1). `make test` builds what this
# needs and runs it; a unit test source without its binary is a failure.
#
# VERBOSE=1 shows every check of the CLI tests.

cd "$(dirname "$0")/.." || exit 1

ASAN_OPTIONS=detect_leaks=1
UBSAN_OPTIONS=print_stacktrace=1
export ASAN_OPTIONS UBSAN_OPTIONS

passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/qm-run.XXXXXX") || exit 1
# the cluster's folder is not under $work, which only root may enter
pgdir=$(mktemp -u "${TMPDIR:-/tmp}/qm-pg.XXXXXX") || exit 1
trap 'sh tests/pg/cluster.sh stop "$pgdir"; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# result NAME STATUS LOG: report one test
result() {
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $1"
		if [ -n "${VERBOSE:-}" ]; then
			sed 's/^/    /' "$3"
		fi
	else
		failed=$((failed + 1))
		echo "FAIL $1 (exit $2)"
		grep -v -e '^\[ RUN      \]' -e '^\[       OK \]' "$3" | head -n 80 | sed 's/^/    /'
	fi
}

# ---- the PostgreSQL cluster of the pg lanes ----
pgfail=
if ! pgconn=$(sh tests/pg/cluster.sh start "$pgdir" 2>"$work/pg-start.log"); then
	pgfail="PostgreSQL could not be started for the pg lane: $(cat "$work/pg-start.log")"
	echo "$pgfail" >&2
	pgconn=none
fi

# ---- unit tests: plain and sanitized, on SQLite files and on PostgreSQL ----
# (the tests that use a database take QM_TEST_PG: tests/unit/unit_db.h)
for lane in build/tests build/asan/tests pg:build/tests pg:build/asan/tests; do
	dir=${lane#pg:}
	for src in tests/unit/test_*.c; do
		[ -e "$src" ] || continue
		bin=$dir/$(basename "$src" .c)
		name=$bin
		if [ "$lane" != "$dir" ]; then
			grep -q unit_db.h "$src" || continue
			name="$bin (on PostgreSQL)"
		fi
		if [ "$lane" != "$dir" ] && [ -n "$pgfail" ]; then
			echo "$pgfail" >"$work/unit.log"
			result "$name" 1 "$work/unit.log"
		elif [ -x "$bin" ]; then
			if [ "$lane" != "$dir" ]; then
				QM_TEST_PG=$pgconn "$bin" >"$work/unit.log" 2>&1
			else
				"$bin" >"$work/unit.log" 2>&1
			fi
			result "$name" $? "$work/unit.log"
		else
			echo "$bin was not built (run make test)" >"$work/unit.log"
			result "$name" 127 "$work/unit.log"
		fi
	done
done

# ---- CLI tests, one lane per qm binary ----
PG_ASAN_TESTS="t0100-import t0210-bad-json t0300-revise t0320-revise-big t0410-valuation t0500-audit
t1310-copy-readonly t1320-serve-reconnect t1330-write-wait"
# tests/cli/t*.sh, or the ones PG_ASAN_TESTS names (for the lane pg-asan)
lane_tests() {
	if [ "$1" = pg-asan ]; then
		for n in $PG_ASAN_TESTS; do echo "tests/cli/$n.sh"; done
	else
		ls tests/cli/t*.sh 2>/dev/null
	fi
}

lane() { # NAME QM [QM_TEST_PG]
	mkdir -p "$work/$1"
	for t in $(lane_tests "$1"); do
		n=$(basename "$t" .sh)
		if [ ! -e "$t" ]; then
			echo "$t: no such test (PG_ASAN_TESTS in tests/run.sh)" >"$work/$1/$n.log"
			echo 1 >"$work/$1/$n.status"
		elif [ -n "${pgfail:-}" ] && [ -n "${3:-}" ]; then
			echo "$pgfail" >"$work/$1/$n.log"
			echo 1 >"$work/$1/$n.status"
		elif [ -x "$2" ]; then
			QM=$2 QM_TEST_PG=${3:-} sh "$t" >"$work/$1/$n.log" 2>&1
			echo $? >"$work/$1/$n.status"
		else
			echo "$2 was not built (run make test)" >"$work/$1/$n.log"
			echo 127 >"$work/$1/$n.status"
		fi
	done
}
lane plain build/qm &
lane asan build/asan/qm &
lane pg build/qm "$pgconn" &
lane pg-asan build/asan/qm "$pgconn" &
wait

for l in plain:build/qm asan:build/asan/qm pg:build/qm pg-asan:build/asan/qm; do
	for t in $(lane_tests "${l%%:*}"); do
		n=$(basename "$t" .sh)
		status=$(cat "$work/${l%%:*}/$n.status" 2>/dev/null || echo 1)
		on=
		case ${l%%:*} in pg*) on=" on PostgreSQL" ;; esac
		result "$t (QM=${l#*:}$on)" "$status" "$work/${l%%:*}/$n.log"
	done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
