#!/bin/sh
# qm init creates the database and says which schema version it is at; it
# migrates nothing twice; a database made by a newer qm is refused (exit
# 65, a clear message, the file untouched) by init and by every command;
# the database is chosen by --db, --db=, sqlite:PATH or $QM_DB, and other
# commands create it on first use.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$QM" --db q.db init
expect_stdout_line "created q.db (schema version 4)"
expect_stderr_empty
on_postgres || { test -f q.db && pass "init made the file" || fail "init made no file"; }

expect_exit 0 "$QM" --db q.db init
expect_stdout_line "q.db is at schema version 4; nothing to do"

expect_exit 0 "$QM" --version
expect_stdout_contains "schema version 4"

# the version is kept in the database
expect_exit 0 db_sql q.db "SELECT value FROM meta WHERE key = 'schema_version'"
expect_stdout_line "4"

# a database at schema version 1 (before frameworks, accounts and courses) is migrated once,
# keeping its records and journal
expect_exit 0 "$QM" --db v1.db import parties "$DATA/base/parties.csv"
db_sql v1.db "DROP TABLE frameworks; DROP TABLE users; DROP TABLE tokens; DROP TABLE sessions; DROP TABLE courses; ALTER TABLE items DROP COLUMN crew_skill; ALTER TABLE items DROP COLUMN crew_size; UPDATE meta SET value = '1' WHERE key = 'schema_version'"
expect_exit 0 "$QM" --db v1.db init
expect_stdout_line "migrated v1.db from schema version 1 to 4"
expect_exit 0 "$QM" --db v1.db list frameworks
expect_stdout_line "0 frameworks"
expect_exit 0 "$QM" --db v1.db list courses
expect_stdout_line "0 courses"
expect_exit 0 "$QM" --db v1.db audit verify
expect_exit 0 "$QM" --db v1.db init
expect_stdout_line "v1.db is at schema version 4; nothing to do"
expect_exit 0 "$QM" --db v1.db user list
expect_stdout_contains "name"

# a newer schema is refused, and the file is left alone
db_sql q.db "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
db_dump q.db newer.db
msg="qm: error: database 'q.db' has schema version 99, made by a newer qm; this qm knows versions up to 4: upgrade qm"
expect_exit 65 "$QM" --db q.db init
expect_stderr_equals "$msg"
expect_exit 65 "$QM" --db q.db list parties
expect_stderr_equals "$msg"
expect_exit 65 "$QM" --db q.db import parties "$DATA/base/parties.csv"
expect_stderr_line "$msg"
expect_exit 65 "$QM" --db q.db audit verify
expect_stderr_contains "made by a newer qm"
expect_exit 65 "$QM" --db q.db report
expect_stderr_contains "made by a newer qm"
expect_db_unchanged newer.db q.db

# other commands create the database on first use
expect_exit 0 "$QM" --db first-use.db list parties
on_postgres || { test -f first-use.db && pass "list created the database" || fail "list created no database"; }
expect_exit 0 "$QM" --db first-use.db init
expect_stdout_line "first-use.db is at schema version 4; nothing to do"

# where the database is
expect_exit 0 "$QM" --db=eq.db init
expect_stdout_line "created eq.db (schema version 4)"
expect_exit 0 "$QM" --db sqlite:prefixed.db init
test -f prefixed.db && pass "sqlite: prefix" || fail "sqlite:prefixed.db made no prefixed.db"
expect_exit 0 env QM_DB=env.db "$QM" init
expect_stdout_line "created env.db (schema version 4)"
mkdir default && cd default
expect_exit 0 "$QM" init
expect_stdout_line "created quartermaster.db (schema version 4)"
test -f quartermaster.db && pass "default quartermaster.db" || fail "no quartermaster.db"
cd ..

# not a database at all (a file: SQLite only)
if ! on_postgres; then
	echo "this is not a database" >not.db
	cp not.db not.db.orig
	expect_exit 65 "$QM" --db not.db init
	expect_stderr_contains "not.db"
	expect_same_file not.db.orig not.db
fi

# PostgreSQL is chosen by a URI or a libpq connection string; a server that
# cannot be reached is an I/O error (74), with the password not shown
expect_exit 74 "$QM" --db postgresql://qm:secret@127.0.0.1:1/none init
expect_stderr_contains "qm: error: cannot connect to the PostgreSQL database 'postgresql://qm:***@127.0.0.1:1/none'"
expect_stdout_lacks "secret"
expect_exit 74 "$QM" --db "host=127.0.0.1 port=1 dbname=none password=secret" list parties
expect_stderr_contains "cannot connect to the PostgreSQL database 'host=127.0.0.1 port=1 dbname=none password=***'"

test_done
