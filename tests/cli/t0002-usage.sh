#!/bin/sh
# Help and usage: --help on every command exits 0 and shows its usage;
# usage errors exit 64 with a pointer to --help; a missing input file is
# exit 66.
. "$(dirname "$0")/lib.sh"

commands="init import export add list log audit check report help"

for c in $commands; do
	expect_exit 0 "$QM" "$c" --help
	expect_stdout_contains "usage: qm $c"
	expect_stderr_empty
	expect_exit 0 "$QM" "$c" -h
	expect_stdout_contains "usage: qm $c"
	expect_exit 0 "$QM" help "$c"
	expect_stdout_contains "usage: qm $c"
done
# --help wins over other arguments, and writes no database
expect_exit 0 "$QM" --db help.db import pledges nothing.csv --help
expect_stdout_contains "usage: qm import KIND FILE"
test -f help.db && fail "--help created a database" || pass "--help created no database"

expect_exit 0 "$QM" --help
expect_stdout_contains "Commands:"
for c in $commands; do
	expect_stdout_contains "  $c "
done
expect_exit 0 "$QM" help
expect_stdout_contains "Exit status: 0 success, 64 usage error, 65 bad data"

# usage errors: 64
expect_exit 64 "$QM"
expect_exit 64 "$QM" frobnicate
expect_stderr_contains "qm: unknown command 'frobnicate'"
expect_exit 64 "$QM" --frobnicate list parties
expect_stderr_contains "qm: unknown option '--frobnicate'"
expect_exit 64 "$QM" help frobnicate
expect_stderr_contains "unknown command 'frobnicate'"

expect_exit 64 "$QM" --db u.db init extra
expect_stderr_equals "qm init: unexpected argument 'extra'
(see 'qm init --help')"
expect_exit 64 "$QM" --db u.db import
expect_stderr_equals "qm import: expected a KIND and at least one FILE
(see 'qm import --help')"
expect_exit 64 "$QM" --db u.db import pledges
expect_exit 64 "$QM" --db u.db import widgets "$DATA/base/parties.csv"
expect_stderr_contains "unknown kind 'widgets'"
expect_exit 64 "$QM" --db u.db import --format xml parties "$DATA/base/parties.csv"
expect_stderr_contains "--format takes csv or json, got 'xml'"
expect_exit 64 "$QM" --db u.db import --bogus parties "$DATA/base/parties.csv"
expect_exit 64 "$QM" --db u.db import --date 2024-01-01 parties "$DATA/base/parties.csv"
expect_stderr_contains "--date and --status apply to kiel-weapons only"
expect_exit 64 "$QM" --db u.db import --date 2024-13-01 kiel-weapons "$DATA/good/kiel-weapons.csv"
expect_exit 64 "$QM" --db u.db import --status delivered kiel-weapons "$DATA/good/kiel-weapons.csv"
expect_exit 64 "$QM" --db u.db export
expect_exit 64 "$QM" --db u.db export widgets
expect_stderr_contains "unknown kind 'widgets'"
expect_exit 64 "$QM" --db u.db export parties items
expect_exit 64 "$QM" --db u.db export parties --format yaml
expect_exit 64 "$QM" --db u.db add
expect_exit 64 "$QM" --db u.db add pledges
expect_exit 64 "$QM" --db u.db add pledges id
expect_stderr_contains "expected FIELD=VALUE, got 'id'"
expect_exit 64 "$QM" --db u.db add pledges =x
expect_exit 64 "$QM" --db u.db add widgets id=x
expect_exit 64 "$QM" --db u.db list
expect_exit 64 "$QM" --db u.db list widgets
expect_exit 64 "$QM" --db u.db list pledges --colour red
expect_exit 64 "$QM" --db u.db log widgets
expect_exit 64 "$QM" --db u.db log pledges p-1 extra
expect_exit 64 "$QM" --db u.db log --bogus
expect_exit 64 "$QM" --db u.db audit
expect_exit 64 "$QM" --db u.db audit check
expect_exit 64 "$QM" --db u.db check --as-of 2023-02-30
expect_stderr_contains "--as-of takes a date as YYYY-MM-DD, got '2023-02-30'"
expect_exit 64 "$QM" --db u.db check extra
expect_exit 64 "$QM" --db u.db report --as-of yesterday
expect_exit 64 "$QM" --db u.db report --bogus

# a missing input file: 66, nothing written
expect_exit 0 "$QM" -q --db m.db import parties "$DATA/base/parties.csv"
db_dump m.db m.db.before
expect_exit 66 "$QM" --db m.db import parties no-such-file.csv
expect_stderr_line "qm: error: cannot open 'no-such-file.csv': No such file or directory"
expect_db_unchanged m.db.before m.db
# one missing file among good ones: nothing of the others is written
expect_exit 66 "$QM" --db m.db import rates "$DATA/base/rates.csv" no-such-file.csv
expect_db_unchanged m.db.before m.db

# input and output errors: 74
mkdir a-directory
expect_exit 74 "$QM" --db m.db import parties a-directory
expect_stderr_line "qm: error: cannot read 'a-directory': Is a directory"
expect_db_unchanged m.db.before m.db
if ! on_postgres; then # a file that cannot be made: SQLite only
	expect_exit 74 "$QM" --db no/such/dir/x.db init
	expect_stderr_contains "cannot open database 'no/such/dir/x.db'"
fi

test_done
