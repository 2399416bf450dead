/*
 * test_error.c - unit tests of error.h: filling a struct qm_error, the
 * "SOURCE:LINE:COLUMN: error: FIELD: MESSAGE" format (and the JSON-path
 * form), warnings, truncation into small buffers, and the diagnostics list
 * that keeps the first QM_DIAG_MAX problems while counting them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "qm/error.h"

static void test_set_and_clear(void **state)
{
	(void)state;
	struct qm_error e;
	memset(&e, 'x', sizeof(e));
	qm_error_clear(&e);
	assert_int_equal(e.code, QM_OK);
	assert_string_equal(e.source, "");
	assert_string_equal(e.message, "");
	assert_int_equal(qm_error_set(&e, QM_EIO, "cannot open '%s'", "x.csv"), QM_EIO);
	assert_int_equal(e.code, 74);
	assert_string_equal(e.message, "cannot open 'x.csv'");
	assert_int_equal(e.line, 0);
	/* a NULL error is allowed and the code still returned */
	assert_int_equal(qm_error_set(NULL, QM_EDATA, "ignored"), QM_EDATA);
	qm_error_clear(NULL);
	/* the sysexits values */
	assert_int_equal(QM_EUSAGE, 64);
	assert_int_equal(QM_EDATA, 65);
	assert_int_equal(QM_ENOINPUT, 66);
	assert_int_equal(QM_EINTERNAL, 70);
}

static const char *format(const struct qm_error *e)
{
	static char buf[1024];
	return qm_error_format(e, buf, sizeof(buf));
}

static void test_format(void **state)
{
	(void)state;
	struct qm_error e;
	qm_error_set(&e, QM_EDATA, "a date as YYYY-MM-DD, got '%s'", "2023-02-30");
	assert_string_equal(format(&e), "error: a date as YYYY-MM-DD, got '2023-02-30'");
	snprintf(e.source, sizeof(e.source), "pledges.csv");
	assert_string_equal(format(&e), "pledges.csv: error: a date as YYYY-MM-DD, got '2023-02-30'");
	e.line = 3;
	assert_string_equal(format(&e), "pledges.csv:3: error: a date as YYYY-MM-DD, got '2023-02-30'");
	e.column = 8;
	snprintf(e.field, sizeof(e.field), "date");
	assert_string_equal(format(&e),
		"pledges.csv:3:8: error: date: a date as YYYY-MM-DD, got '2023-02-30'");
	e.warning = 1;
	assert_string_equal(format(&e),
		"pledges.csv:3:8: warning: date: a date as YYYY-MM-DD, got '2023-02-30'");
	e.warning = 0;
	/* a JSON path replaces line and column */
	snprintf(e.path, sizeof(e.path), "$[1].quantity");
	snprintf(e.field, sizeof(e.field), "quantity");
	snprintf(e.message, sizeof(e.message), "a whole number of at least 1, got '0'");
	assert_string_equal(format(&e),
		"pledges.csv:$[1].quantity: error: quantity: a whole number of at least 1, got '0'");
	/* no source: no location at all */
	e.source[0] = '\0';
	assert_string_equal(format(&e), "error: quantity: a whole number of at least 1, got '0'");
}

static void test_format_truncates(void **state)
{
	(void)state;
	struct qm_error e;
	qm_error_set(&e, QM_EDATA, "%s", "a long message that does not fit");
	snprintf(e.source, sizeof(e.source), "file.csv");
	e.line = 12;
	e.column = 34;
	char small[16];
	memset(small, 'x', sizeof(small));
	qm_error_format(&e, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_string_equal(small, "file.csv:12:34:");
	char one[1] = {'x'};
	qm_error_format(&e, one, 1);
	assert_int_equal(one[0], '\0');
}

static void test_diag(void **state)
{
	(void)state;
	struct qm_diag d;
	struct qm_error e;
	qm_diag_init(&d);
	assert_int_equal(d.count, 0);
	assert_false(qm_diag_full(&d));
	qm_error_set(&e, QM_EDATA, "a warning");
	e.warning = 1;
	qm_diag_add(&d, &e);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.errors, 0);
	for (int i = 0; i < 60; i++) {
		qm_error_set(&e, QM_EDATA, "error %d", i);
		e.line = i + 2;
		qm_diag_add(&d, &e);
		assert_int_equal(qm_diag_full(&d), i + 1 >= QM_DIAG_MAX);
	}
	assert_int_equal(QM_DIAG_MAX, 50);
	assert_int_equal(d.count, QM_DIAG_MAX);
	assert_int_equal(d.errors, 60);
	assert_int_equal(d.warnings, 1);
	assert_string_equal(d.items[0].message, "a warning");
	assert_string_equal(d.items[1].message, "error 0");
	assert_int_equal(d.items[1].line, 2);
	assert_string_equal(d.items[49].message, "error 48");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_clear),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_diag),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
