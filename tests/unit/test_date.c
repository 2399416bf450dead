/*
 * test_date.c - unit tests of date.h: parsing exactly YYYY-MM-DD (real
 * calendar dates only, years 1000 to 9999), leap years by the Gregorian
 * rules, day numbers counted from 1970-01-01, formatting back, and today
 * taken from $QM_NOW.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "qm/date.h"

static qm_day parse_ok(const char *text)
{
	qm_day d = 12345;
	if (qm_date_parse(text, &d) != 0)
		fail_msg("'%s' should parse", text);
	return d;
}

static void parse_bad(const char *text)
{
	qm_day d = 4242;
	if (qm_date_parse(text, &d) != -1)
		fail_msg("'%s' should be refused", text);
	assert_int_equal(d, 4242); /* untouched on failure */
}

static void test_epoch_and_known_days(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01"), 0);
	assert_int_equal(parse_ok("1970-01-02"), 1);
	assert_int_equal(parse_ok("1969-12-31"), -1);
	assert_int_equal(parse_ok("2000-01-01"), 10957);
	assert_int_equal(parse_ok("2000-03-01"), 11017);
	assert_int_equal(parse_ok("2022-02-24"), 19047);
	assert_int_equal(parse_ok("2024-06-12"), 19886);
	assert_int_equal(qm_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(qm_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(qm_date_from_ymd(2022, 2, 24), 19047);
	/* differences are plain subtraction */
	assert_int_equal(parse_ok("2024-03-01") - parse_ok("2024-02-28"), 2);
	assert_int_equal(parse_ok("2023-03-01") - parse_ok("2023-02-28"), 1);
	assert_int_equal(parse_ok("2025-01-01") - parse_ok("2024-01-01"), 366);
	assert_int_equal(parse_ok("2024-01-01") - parse_ok("2023-01-01"), 365);
}

static void test_leap_years(void **state)
{
	(void)state;
	parse_ok("2024-02-29"); /* divisible by 4 */
	parse_ok("2000-02-29"); /* divisible by 400 */
	parse_ok("1600-02-29");
	parse_ok("2400-02-29");
	parse_bad("2023-02-29"); /* not divisible by 4 */
	parse_bad("1900-02-29"); /* divisible by 100, not by 400 */
	parse_bad("2100-02-29");
	parse_bad("2200-02-29");
	parse_bad("2024-02-30");
	parse_bad("2000-02-30");
	/* 2000-02-29 is followed by 2000-03-01 */
	assert_int_equal(parse_ok("2000-03-01") - parse_ok("2000-02-29"), 1);
	assert_int_equal(parse_ok("1900-03-01") - parse_ok("1900-02-28"), 1);
}

static void test_month_lengths(void **state)
{
	(void)state;
	static const char *const last[] = {"2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30",
		"2023-05-31", "2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31",
		"2023-11-30", "2023-12-31"};
	static const char *const past[] = {"2023-01-32", "2023-02-29", "2023-03-32", "2023-04-31",
		"2023-05-32", "2023-06-31", "2023-07-32", "2023-08-32", "2023-09-31", "2023-10-32",
		"2023-11-31", "2023-12-32"};
	for (int i = 0; i < 12; i++) {
		parse_ok(last[i]);
		parse_bad(past[i]);
	}
}

static void test_bounds(void **state)
{
	(void)state;
	parse_ok("1000-01-01");
	parse_ok("9999-12-31");
	parse_bad("0999-12-31");
	parse_bad("0000-01-01");
	parse_bad("2023-00-10");
	parse_bad("2023-13-01");
	parse_bad("2023-01-00");
	parse_bad("2023-99-99");
	char buf[11];
	assert_string_equal(qm_date_format(parse_ok("1000-01-01"), buf), "1000-01-01");
	assert_string_equal(qm_date_format(parse_ok("9999-12-31"), buf), "9999-12-31");
}

static void test_bad_shapes(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "2023", "2023-1-01", "2023-01-1", "23-01-01",
		"2023/01/01", "2023.01.01", "20230101", "2023-01-01T00:00:00Z", " 2023-01-01",
		"2023-01-01 ", "2023-01-0a", "abcd-ef-gh", "+023-01-01", "-023-01-01", "2023--01-01",
		"2023-01--1", "2023-0１-01", "1st of May", "2023-01-01\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		parse_bad(bad[i]);
}

/* Every day of 1899 to 2201 formats back to its text, and the calendar
 * fields step by one day at a time. */
static void test_round_trip_every_day(void **state)
{
	(void)state;
	qm_day first = parse_ok("1899-01-01"), last = parse_ok("2201-12-31");
	int y = 1899, m = 1, d = 1;
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (qm_day day = first; day <= last; day++) {
		char buf[11], want[32];
		int yy, mm, dd;
		qm_date_to_ymd(day, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %d: got %d-%d-%d, want %d-%d-%d", (int)day, yy, mm, dd, y, m, d);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		assert_string_equal(qm_date_format(day, buf), want);
		assert_int_equal(qm_date_from_ymd(y, m, d), day);
		qm_day back;
		assert_int_equal(qm_date_parse(want, &back), 0);
		assert_int_equal(back, day);
		/* next calendar day */
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int len = m == 2 && leap ? 29 : dim[m - 1];
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

static void test_format_writes_eleven_bytes(void **state)
{
	(void)state;
	char buf[16];
	memset(buf, 'x', sizeof(buf));
	char *p = qm_date_format(0, buf);
	assert_ptr_equal(p, buf);
	assert_string_equal(buf, "1970-01-01");
	assert_int_equal(buf[11], 'x'); /* nothing written past the NUL */
}

static void test_today_from_qm_now(void **state)
{
	(void)state;
	setenv("QM_NOW", "2026-01-01T00:00:00Z", 1);
	assert_int_equal(qm_date_today(), qm_date_from_ymd(2026, 1, 1));
	setenv("QM_NOW", "2024-02-29", 1);
	assert_int_equal(qm_date_today(), qm_date_from_ymd(2024, 2, 29));
	/* not a date: the real today */
	setenv("QM_NOW", "garbage-value", 1);
	qm_day now = (qm_day)(time(NULL) / 86400);
	qm_day got = qm_date_today();
	assert_true(got == now || got == now + 1);
	unsetenv("QM_NOW");
	got = qm_date_today();
	assert_true(got == now || got == now + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_and_known_days),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_month_lengths),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_format_writes_eleven_bytes),
		cmocka_unit_test(test_today_from_qm_now),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
