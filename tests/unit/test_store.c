/*
 * test_store.c - unit tests of the store interface (store.h) for statements
 * marked with qm_stmt_stream(), whose rows PostgreSQL reads through a cursor
 * a page at a time: every row comes back in order across many pages, two
 * such statements read at once (as audit's merge does), rows queued for
 * bulk writing are seen by a stream in the same transaction, a reset starts
 * a stream over, a failure on a later page is reported and leaves the store
 * usable, and statements read together see one snapshot while another
 * process writes. On an SQLite file, or on PostgreSQL in the pg lane
 * (unit_db.h), where the cursor itself is also checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_db.h"

/* More rows than postgres.c reads in one page (FETCH_ROWS), so that every
 * test crosses pages. */
#define ROWS 12345
/* the cursors postgres.c declared (pg_cursors also lists protocol portals) */
#define OPEN_CURSORS "SELECT count(*) FROM pg_cursors WHERE name LIKE 'qmc%'"

struct fixture {
	char dir[256];
	char db[600];
	struct qm_store *s;
};

static void check(int rc, const struct qm_error *err)
{
	if (rc != QM_OK)
		fail_msg("store: %d: %s", rc, err->message);
}

static struct qm_stmt *prepare(struct qm_store *s, const char *sql, int stream)
{
	struct qm_stmt *st;
	struct qm_error err;
	check(qm_store_prepare(s, sql, &st, &err), &err);
	if (stream)
		qm_stmt_stream(st);
	return st;
}

static int64_t one_int(struct qm_store *s, const char *sql)
{
	struct qm_error err;
	struct qm_stmt *st = prepare(s, sql, 0);
	assert_int_equal(qm_stmt_step(st, &err), QM_STEP_ROW);
	int64_t v = qm_stmt_int(st, 0);
	qm_stmt_finalize(st);
	return v;
}

/* Insert rows first..last of n(i, t) as bulk rows, in the transaction open. */
static void queue_rows(struct qm_store *s, int first, int last)
{
	struct qm_error err;
	char text[32];
	struct qm_stmt *ins = prepare(s, "INSERT INTO n(i, t) VALUES(?, ?)", 0);
	qm_stmt_defer(ins);
	for (int i = first; i <= last; i++) {
		snprintf(text, sizeof(text), "row %d", i);
		qm_stmt_bind_int(ins, 1, i);
		qm_stmt_bind_text(ins, 2, text);
		assert_int_equal(qm_stmt_step(ins, &err), QM_STEP_DONE);
		qm_stmt_reset(ins);
	}
	qm_stmt_finalize(ins);
}

/* The same in a transaction of their own. */
static void insert_rows(struct qm_store *s, int first, int last)
{
	struct qm_error err;
	check(qm_store_begin(s, &err), &err);
	queue_rows(s, first, last);
	check(qm_store_commit(s, &err), &err);
}

/* No read holds the store up: a write transaction begins (and ends). */
static void expect_write_begins(struct qm_store *s)
{
	struct qm_error err;
	check(qm_store_begin(s, &err), &err);
	check(qm_store_commit(s, &err), &err);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct qm_error err;
	if (!f || unit_db_setup(f->dir, sizeof(f->dir), f->db, sizeof(f->db), "store") != 0)
		return -1;
	if (qm_store_open(f->db, &f->s, &err) != QM_OK || qm_store_share(f->s, &err) != QM_OK
		|| qm_store_schema(f->s, "CREATE TABLE n(i INTEGER PRIMARY KEY, t TEXT NOT NULL);", &err)
			!= QM_OK) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	insert_rows(f->s, 1, ROWS);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	qm_store_close(f->s);
	int rc = unit_db_teardown(f->dir, f->db);
	free(f);
	return rc;
}

/* Step st through rows first, first + dir, ... for count rows, checking each. */
static void expect_rows(struct qm_stmt *st, int first, int dir, int count)
{
	struct qm_error err;
	char text[32];
	for (int k = 0; k < count; k++) {
		int i = first + dir * k;
		if (qm_stmt_step(st, &err) != QM_STEP_ROW)
			fail_msg("row %d of %d: no row (%s)", k + 1, count, err.message);
		snprintf(text, sizeof(text), "row %d", i);
		assert_int_equal(qm_stmt_int(st, 0), i);
		assert_string_equal(qm_stmt_text(st, 1), text);
	}
}

static void test_every_row_in_order(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	struct qm_stmt *st = prepare(f->s, "SELECT i, t FROM n WHERE i >= ? ORDER BY i", 1);
	qm_stmt_bind_int(st, 1, 2);
	expect_rows(st, 2, 1, ROWS - 1);
	assert_int_equal(qm_stmt_step(st, &err), QM_STEP_DONE);
	qm_stmt_finalize(st);
	/* the read is over: a write may begin */
	expect_write_begins(f->s);
}

static void test_two_streams_at_once(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	struct qm_stmt *up = prepare(f->s, "SELECT i, t FROM n ORDER BY i", 1);
	struct qm_stmt *down = prepare(f->s, "SELECT i, t FROM n ORDER BY i DESC", 1);
	for (int k = 0; k < ROWS; k++) {
		expect_rows(up, 1 + k, 1, 1);
		expect_rows(down, ROWS - k, -1, 1);
	}
	if (unit_db_pg()) {
		/* two cursors, in one read-only transaction of repeatable read */
		assert_int_equal(one_int(f->s, OPEN_CURSORS), 2);
		assert_int_equal(one_int(f->s,
			"SELECT CASE WHEN current_setting('transaction_isolation') = 'repeatable read'"
			" AND current_setting('transaction_read_only') = 'on' THEN 1 ELSE 0 END"), 1);
		/* and no write may begin while they are open */
		assert_int_equal(qm_store_begin(f->s, &err), QM_EINTERNAL);
		assert_non_null(strstr(err.message, "still being read"));
	}
	assert_int_equal(qm_stmt_step(up, &err), QM_STEP_DONE);
	qm_stmt_finalize(up);
	qm_stmt_finalize(down);
	if (unit_db_pg())
		assert_int_equal(one_int(f->s, OPEN_CURSORS), 0);
	expect_write_begins(f->s);
}

static void test_stream_in_write_transaction(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	check(qm_store_begin(f->s, &err), &err);
	queue_rows(f->s, ROWS + 1, ROWS + 7000);
	/* the queued rows are written before the stream reads */
	struct qm_stmt *st = prepare(f->s, "SELECT i, t FROM n WHERE i > ? ORDER BY i", 1);
	qm_stmt_bind_int(st, 1, ROWS - 10);
	expect_rows(st, ROWS - 9, 1, 7010);
	/* a write in the same transaction while the stream is open */
	struct qm_stmt *upd = prepare(f->s, "UPDATE n SET t = 'changed' WHERE i = 1", 0);
	assert_int_equal(qm_stmt_step(upd, &err), QM_STEP_DONE);
	qm_stmt_finalize(upd);
	assert_int_equal(qm_stmt_step(st, &err), QM_STEP_DONE);
	qm_stmt_finalize(st);
	check(qm_store_commit(f->s, &err), &err);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM n"), ROWS + 7000);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM n WHERE t = 'changed'"), 1);
}

static void test_reset_starts_over(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	struct qm_stmt *st = prepare(f->s, "SELECT i, t FROM n WHERE i >= ? ORDER BY i", 1);
	qm_stmt_bind_int(st, 1, 1);
	expect_rows(st, 1, 1, 6000);
	qm_stmt_reset(st);
	qm_stmt_bind_int(st, 1, 100);
	expect_rows(st, 100, 1, ROWS - 99);
	assert_int_equal(qm_stmt_step(st, &err), QM_STEP_DONE);
	qm_stmt_finalize(st);
	if (unit_db_pg())
		assert_int_equal(one_int(f->s, OPEN_CURSORS), 0);
}

static void test_failure_on_a_later_page(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	/* row 7000 overflows a 64-bit integer, on both engines, past the first page */
	struct qm_stmt *st = prepare(f->s,
		"SELECT i, CASE WHEN i = 7000 THEN abs(i - 7000 - 9223372036854775807 - 1) ELSE i END AS v"
		" FROM n ORDER BY i", 1);
	int rows = 0, step;
	while ((step = qm_stmt_step(st, &err)) == QM_STEP_ROW)
		rows++;
	assert_int_equal(step, QM_STEP_ERROR);
	assert_true(rows < 7000);
	assert_true(err.message[0] != '\0');
	qm_stmt_finalize(st);
	/* the store is usable again: a read, a stream, a write */
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM n"), ROWS);
	st = prepare(f->s, "SELECT i, t FROM n ORDER BY i", 1);
	expect_rows(st, 1, 1, ROWS);
	qm_stmt_finalize(st);
	expect_write_begins(f->s);
}

static void test_one_snapshot_while_another_writes(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	struct qm_store *other;
	struct qm_stmt *first = prepare(f->s, "SELECT i, t FROM n ORDER BY i", 1);
	expect_rows(first, 1, 1, 1);
	/* another process adds a row while the reading has begun */
	check(qm_store_open(f->db, &other, &err), &err);
	check(qm_store_share(other, &err), &err);
	insert_rows(other, ROWS + 1, ROWS + 1);
	qm_store_close(other);
	/* a statement read together with the first sees what the first sees */
	struct qm_stmt *count = prepare(f->s, "SELECT count(*) FROM n", 1);
	assert_int_equal(qm_stmt_step(count, &err), QM_STEP_ROW);
	assert_int_equal(qm_stmt_int(count, 0), ROWS);
	qm_stmt_finalize(count);
	expect_rows(first, 2, 1, ROWS - 1);
	assert_int_equal(qm_stmt_step(first, &err), QM_STEP_DONE);
	qm_stmt_finalize(first);
	/* once the reading is over, the new row is there */
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM n"), ROWS + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_row_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_streams_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_in_write_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_starts_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_on_a_later_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_snapshot_while_another_writes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
