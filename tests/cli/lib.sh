# tests/cli/lib.sh - what the numbered CLI tests (tNNNN-name.sh) share.
#
# A test script starts with
#
#	. "$(dirname "$0")/lib.sh"
#
# and ends with `test_done`. Sourcing this file gives the script:
#
#   $QM     the qm binary under test, as an absolute path (from $QM, default
#           build/qm; a relative $QM is taken from the directory the test was
#           started in, normally the repository root)
#   $ROOT   the repository root; $DATA is tests/data in it
#   a fresh temporary directory as the current directory, removed on exit
#   QM_NOW and QM_ACTOR fixed, so that journal times and "today" are
#   reproducible; QM_DB unset
#
# and these checks, each counted as passed or failed (a failure prints what
# was expected and what happened, and the script carries on):
#
#   run CMD...                      run CMD, its output in $OUT and $ERR
#   expect_exit CODE CMD...         run CMD and check its exit status
#   expect_stdout_contains TEXT     ... about the last command run
#   expect_stdout_line LINE         (a whole line, exactly)
#   expect_stdout_lacks TEXT
#   expect_stderr_contains TEXT
#   expect_stderr_line LINE
#   expect_stderr_equals TEXT       (all of it; TEXT may hold newlines)
#   expect_stderr_empty
#   expect_file_line FILE LINE      FILE has LINE (a whole line, exactly)
#   expect_same_file A B            byte for byte
#   expect_equal GOT WANT WHAT
#   expect_bad_import DB KIND FIXTURE LINE...
#           copy FIXTURE here, import it into DB and check: exit 65,
#           standard error exactly LINE... then "N error(s); nothing was
#           written", and DB unchanged (db_dump before and after)
#   load_base DB [KIND...]          import tests/data/base/KIND.csv into DB
#   json_field FILE ID FIELD        FIELD of the record with "id": ID in
#                                   indented JSON as qm writes it
#   need_commands CMD...            end the test as failed, naming them, when
#                                   any of these commands is missing
#
# Databases are named by file paths (--db db); the PostgreSQL lane
# (QM_TEST_PG set to a running cluster's connection string, see
# tests/run.sh) runs the same scripts with $QM a wrapper
# (tests/pg/qm-pg.sh) that gives every such path its own database in that
# cluster. What a test does to a database besides running qm goes through
# these, which work in both lanes:
#
#   db_sql DB SQL                   run SQL on DB (sqlite3, or psql), its
#                                   rows on standard output as a|b
#   db_cp A B                       make B a copy of database A
#   db_dump DB FILE                 everything in DB into FILE (a copy of the
#                                   file, or pg_dump's data), to compare
#   expect_db_unchanged FILE DB     DB is what db_dump put into FILE
#   on_postgres                     true in the PostgreSQL lane, for the few
#                                   checks that are about SQLite files
#   sqlite_only REASON              a test about SQLite files only: in the
#                                   PostgreSQL lane it says why and passes
#   postgres_only REASON            a test about a database server only:
#                                   in the other lanes it says why and passes
#
# The helpers keep their own variables under the prefix _l_; scripts should
# not use it.
#
# Every command run is also checked for sanitizer reports (AddressSanitizer,
# LeakSanitizer, UndefinedBehaviorSanitizer), which count as failures.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
TEST_NAME=$(basename "$0" .sh)

QM=${QM:-build/qm}
case $QM in
/*) ;;
*) QM=$(pwd)/$QM ;;
esac
if [ ! -x "$QM" ]; then
	echo "$TEST_NAME: no qm binary at $QM (run make first)" >&2
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/qm-$TEST_NAME.XXXXXX") || exit 1
cd "$TMP" || exit 1
mkdir .run

if [ -n "${QM_TEST_PG:-}" ]; then
	QM_TEST_TMP=$TMP
	QM_REAL=$QM
	PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
	export PGOPTIONS
	QM=$ROOT/tests/pg/qm-pg.sh
	export QM_TEST_PG QM_TEST_TMP QM_REAL
	. "$ROOT/tests/pg/map.sh"
	on_postgres() { return 0; }
	# drop the test's databases, then its directory
	_l_cleanup() {
		if [ -f "$TMP/.run/pgdbs" ]; then
			while read -r _l_name; do
				pg_psql "DROP DATABASE IF EXISTS \"$_l_name\" WITH (FORCE)" >/dev/null 2>&1
			done <"$TMP/.run/pgdbs"
		fi
		cd / && rm -rf "$TMP"
	}
else
	on_postgres() { return 1; }
	_l_cleanup() { cd / && rm -rf "$TMP"; }
fi
trap '_l_cleanup' EXIT
trap 'exit 130' INT TERM HUP

export QM_NOW=2026-01-01T00:00:00Z
export QM_ACTOR=test
unset QM_DB
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

OUT=$TMP/.run/stdout
ERR=$TMP/.run/stderr
LAST_CMD=
LAST_STATUS=0
passed=0
failed=0

# pass, fail WHAT [DETAILS]: count a check.
pass() {
	passed=$((passed + 1))
	if [ -n "${VERBOSE:-}" ]; then
		echo "ok - $1"
	fi
}

fail() {
	failed=$((failed + 1))
	echo "not ok - $1"
	if [ $# -gt 1 ]; then
		printf '%s\n' "$2" | sed 's/^/#   /'
	fi
}

# Show the last command and the head of its output, for failure details.
last_run() {
	printf 'command: %s\nexit status: %s\n--- stdout:\n%s\n--- stderr:\n%s' "$LAST_CMD" \
		"$LAST_STATUS" "$(head -c 2000 "$OUT")" "$(head -c 2000 "$ERR")"
}

run() {
	LAST_CMD="$*"
	"$@" >"$OUT" 2>"$ERR" </dev/null
	LAST_STATUS=$?
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
		-e 'runtime error:' -e 'SUMMARY: UndefinedBehaviorSanitizer' "$ERR"; then
		fail "sanitizer report from: $LAST_CMD" "$(head -c 3000 "$ERR")"
	fi
	return 0
}

expect_exit() {
	_l_want=$1
	shift
	run "$@"
	if [ "$LAST_STATUS" = "$_l_want" ]; then
		pass "exit $_l_want: $*"
	else
		fail "exit $_l_want expected: $*" "$(last_run)"
	fi
}

expect_stdout_contains() {
	if grep -q -F -e "$1" "$OUT"; then
		pass "stdout has '$1'"
	else
		fail "stdout should contain '$1'" "$(last_run)"
	fi
}

expect_stdout_lacks() {
	if grep -q -F -e "$1" "$OUT"; then
		fail "stdout should not contain '$1'" "$(last_run)"
	else
		pass "stdout lacks '$1'"
	fi
}

expect_stdout_line() {
	if grep -q -x -F -e "$1" "$OUT"; then
		pass "stdout line '$1'"
	else
		fail "stdout should have the line '$1'" "$(last_run)"
	fi
}

expect_stderr_contains() {
	if grep -q -F -e "$1" "$ERR"; then
		pass "stderr has '$1'"
	else
		fail "stderr should contain '$1'" "$(last_run)"
	fi
}

expect_stderr_line() {
	if grep -q -x -F -e "$1" "$ERR"; then
		pass "stderr line '$1'"
	else
		fail "stderr should have the line '$1'" "$(last_run)"
	fi
}

expect_stderr_equals() {
	printf '%s\n' "$1" >"$TMP/.run/want"
	if cmp -s "$TMP/.run/want" "$ERR"; then
		pass "stderr as expected"
	else
		fail "stderr differs from what was expected: $LAST_CMD" \
			"$(diff "$TMP/.run/want" "$ERR" | head -40)"
	fi
}

expect_stderr_empty() {
	if [ -s "$ERR" ]; then
		fail "stderr should be empty" "$(last_run)"
	else
		pass "stderr empty"
	fi
}

expect_file_line() {
	if grep -q -x -F -e "$2" "$1"; then
		pass "$1 has '$2'"
	else
		fail "$1 should have the line '$2'" "$(head -c 2000 "$1")"
	fi
}

expect_same_file() {
	if cmp -s "$1" "$2"; then
		pass "same bytes: $1 $2"
	else
		fail "$1 and $2 differ" "$(diff "$1" "$2" 2>&1 | head -20)"
	fi
}

expect_equal() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3: got '$1', want '$2'"
	fi
}

# expect_bad_import DB KIND FIXTURE LINE...
expect_bad_import() {
	_l_db=$1
	_l_kind=$2
	_l_fixture=$3
	shift 3
	_l_name=$(basename "$_l_fixture")
	cp "$_l_fixture" "$_l_name" || { fail "no fixture $_l_fixture"; return; }
	db_dump "$_l_db" "$TMP/.run/before.db"
	: >"$TMP/.run/want"
	for _l_line in "$@"; do
		printf '%s\n' "$_l_line" >>"$TMP/.run/want"
	done
	if [ $# = 1 ]; then
		echo "1 error; nothing was written" >>"$TMP/.run/want"
	else
		echo "$# errors; nothing was written" >>"$TMP/.run/want"
	fi
	run "$QM" --db "$_l_db" import "$_l_kind" "$_l_name"
	if [ "$LAST_STATUS" = 65 ]; then
		pass "$_l_name: exit 65"
	else
		fail "$_l_name: exit 65 expected" "$(last_run)"
	fi
	if cmp -s "$TMP/.run/want" "$ERR"; then
		pass "$_l_name: messages"
	else
		fail "$_l_name: messages differ (- expected, + got)" \
			"$(diff -u "$TMP/.run/want" "$ERR" | tail -n +3 | head -40)"
	fi
	db_dump "$_l_db" "$TMP/.run/after.db"
	if cmp -s "$TMP/.run/before.db" "$TMP/.run/after.db"; then
		pass "$_l_name: database unchanged"
	else
		fail "$_l_name: the database changed"
	fi
	rm -f "$_l_name"
}

db_sql() {
	if on_postgres; then
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$(pg_location "$1")" -c "$2"
	else
		sqlite3 "$1" "$2"
	fi
}

db_cp() {
	if on_postgres; then
		_l_from=$(pg_dbname "$1")
		pg_location "$1" >/dev/null
		_l_to=$(pg_dbname "$2")
		pg_psql "DROP DATABASE IF EXISTS \"$_l_to\" WITH (FORCE)" >/dev/null
		pg_psql "CREATE DATABASE \"$_l_to\" TEMPLATE \"$_l_from\"" >/dev/null
		grep -q -x -F "$_l_to" "$TMP/.run/pgdbs" || echo "$_l_to" >>"$TMP/.run/pgdbs"
	else
		cp "$1" "$2"
	fi
}

db_dump() {
	if on_postgres; then
		# (without the random key of the restrict lines, new in each dump)
		pg_dump --data-only --no-owner -d "$(pg_location "$1")" | grep -v -e "^\\\\restrict " -e "^\\\\unrestrict " >"$2"
	else
		cp "$1" "$2"
	fi
}

expect_db_unchanged() {
	db_dump "$2" "$TMP/.run/now.db"
	if cmp -s "$1" "$TMP/.run/now.db"; then
		pass "database $2 unchanged"
	else
		fail "database $2 changed"
	fi
}

# load_base DB [KIND...]: the base fixtures, in dependency order.
load_base() {
	_l_db=$1
	shift
	_l_kinds=${*:-parties rates items gdp pledges deliveries requirements}
	for _l_kind in $_l_kinds; do
		run "$QM" -q --db "$_l_db" import "$_l_kind" "$DATA/base/$_l_kind.csv"
		if [ "$LAST_STATUS" != 0 ]; then
			fail "loading base $_l_kind into $_l_db" "$(last_run)"
		fi
	done
}

# json_field FILE ID FIELD: the value of FIELD (a JSON scalar as written,
# quotes removed) in the object whose "id" is ID.
json_field() {
	awk -v id="\"id\": \"$2\"," -v field="\"$3\": " '
		index($0, id) { inside = 1; next }
		inside && /^  }/ { exit }
		inside && index($0, field) {
			v = substr($0, index($0, field) + length(field))
			sub(/,$/, "", v)
			gsub(/^"|"$/, "", v)
			print v
			exit
		}' "$1"
}

sqlite_only() {
	if on_postgres; then
		echo "# $TEST_NAME: SQLite only ($1); not run on PostgreSQL"
		exit 0
	fi
}

postgres_only() {
	if ! on_postgres; then
		echo "# $TEST_NAME: PostgreSQL only ($1); run in the PostgreSQL lane"
		exit 0
	fi
}

need_commands() {
	_l_missing=
	for _l_c in "$@"; do
		command -v "$_l_c" >/dev/null 2>&1 || _l_missing="$_l_missing $_l_c"
	done
	if [ -n "$_l_missing" ]; then
		fail "this test needs what is missing:$_l_missing (run make deps)"
		test_done
	fi
}

test_done() {
	echo "# $TEST_NAME: $passed passed, $failed failed"
	if [ "$failed" -gt 0 ]; then
		exit 1
	fi
	exit 0
}
