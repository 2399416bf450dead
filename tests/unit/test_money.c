/*
 * test_money.c - unit tests of money.h: exact decimal parsing into scaled
 * integers (scales 0 to 6, k/m/bn suffixes, rounding half away from zero,
 * the 10^15 maximum, refusal of everything else), formatting back, and
 * conversion to euro cents checked against ECB conversions done by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "qm/money.h"

static int64_t dec(const char *text, int scale, unsigned flags)
{
	int64_t v = -12345;
	if (qm_decimal_parse(text, scale, flags, &v) != 0)
		fail_msg("'%s' at scale %d (flags %u) should parse", text, scale, flags);
	return v;
}

static void dec_bad(const char *text, int scale, unsigned flags)
{
	int64_t v = -12345;
	if (qm_decimal_parse(text, scale, flags, &v) != -1)
		fail_msg("'%s' at scale %d (flags %u) should be refused, got %lld", text, scale,
			flags, (long long)v);
	assert_int_equal(v, -12345); /* untouched on failure */
}

static void test_decimal_scales(void **state)
{
	(void)state;
	assert_int_equal(dec("12", 2, 0), 1200);
	assert_int_equal(dec("12.5", 2, 0), 1250);
	assert_int_equal(dec("12.50", 2, 0), 1250);
	assert_int_equal(dec("0.01", 2, 0), 1);
	assert_int_equal(dec("0", 2, 0), 0);
	assert_int_equal(dec("0.00", 2, 0), 0);
	assert_int_equal(dec("007", 2, 0), 700);
	assert_int_equal(dec("12", 0, 0), 12);
	assert_int_equal(dec("1.1684", 6, 0), 1168400);
	assert_int_equal(dec("0.87058", 6, 0), 870580);
	assert_int_equal(dec("20082.05", 6, 0), 20082050000LL);
	assert_int_equal(dec("0.000001", 6, 0), 1);
	assert_int_equal(dec("1.5", 1, 0), 15);
	assert_int_equal(dec("1.234", 3, 0), 1234);
	/* too many decimals for the scale */
	dec_bad("12.345", 2, 0);
	dec_bad("12.5", 0, 0);
	dec_bad("1.0000001", 6, 0);
	dec_bad("0.001", 2, 0);
	/* scale outside 0..6 */
	dec_bad("1", 7, 0);
	dec_bad("1", -1, 0);
}

static void test_decimal_suffixes(void **state)
{
	(void)state;
	assert_int_equal(dec("1.129bn", 2, QM_DEC_SUFFIX), 112900000000LL);
	assert_int_equal(dec("1bn", 2, QM_DEC_SUFFIX), 100000000000LL);
	assert_int_equal(dec("5k", 2, QM_DEC_SUFFIX), 500000);
	assert_int_equal(dec("2.5m", 2, QM_DEC_SUFFIX), 250000000);
	assert_int_equal(dec("0.5k", 0, QM_DEC_SUFFIX), 500);
	assert_int_equal(dec("1.2345k", 2, QM_DEC_SUFFIX), 123450);   /* 1234.50 */
	assert_int_equal(dec("1.23456k", 2, QM_DEC_SUFFIX), 123456);  /* 1234.56 */
	assert_int_equal(dec("5.123m", 2, QM_DEC_SUFFIX), 512300000);
	assert_int_equal(dec("0.000000001bn", 2, QM_DEC_SUFFIX), 100); /* one unit */
	assert_int_equal(dec("12", 2, QM_DEC_SUFFIX), 1200);           /* suffix optional */
	/* a suffix that leaves more decimals than the scale */
	dec_bad("1.234567k", 2, QM_DEC_SUFFIX);
	assert_int_equal(dec("1.234567k", 2, QM_DEC_SUFFIX | QM_DEC_ROUND), 123457);
	/* suffixes only when asked for, and only these spellings */
	dec_bad("1.129bn", 2, 0);
	dec_bad("5k", 2, 0);
	static const char *const bad[] = {"5K", "5M", "5BN", "5b", "5mn", "5kk", "5 k", "k", "bn",
		"5bn5", "5.bn", "5m.", "5e3", "5thousand"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		dec_bad(bad[i], 2, QM_DEC_SUFFIX);
}

/* Suffixes at higher scales move the point further than 12 places. */
static void test_decimal_suffix_at_high_scale(void **state)
{
	(void)state;
	assert_int_equal(dec("1k", 6, QM_DEC_SUFFIX), 1000000000LL);
	assert_int_equal(dec("1m", 6, QM_DEC_SUFFIX), 1000000000000LL);
	assert_int_equal(dec("1bn", 3, QM_DEC_SUFFIX), 1000000000000LL);
	assert_int_equal(dec("1bn", 4, QM_DEC_SUFFIX), 10000000000000LL);
	assert_int_equal(dec("2bn", 6, QM_DEC_SUFFIX), 2000000000000000LL);
	assert_int_equal(dec("1.5bn", 6, QM_DEC_SUFFIX), 1500000000000000LL);
}

static void test_decimal_rounding(void **state)
{
	(void)state;
	const unsigned R = QM_DEC_ROUND;
	assert_int_equal(dec("12.345", 2, R), 1235);  /* half goes up (away from zero) */
	assert_int_equal(dec("12.344", 2, R), 1234);
	assert_int_equal(dec("12.3449999", 2, R), 1234);
	assert_int_equal(dec("12.3450001", 2, R), 1235);
	assert_int_equal(dec("0.005", 2, R), 1);
	assert_int_equal(dec("0.004", 2, R), 0);
	assert_int_equal(dec("0.5", 0, R), 1);
	assert_int_equal(dec("1.5", 0, R), 2);
	assert_int_equal(dec("2.5", 0, R), 3); /* not banker's rounding */
	assert_int_equal(dec("2.4999", 0, R), 2);
	assert_int_equal(dec("0.9999999", 6, R), 1000000);
	assert_int_equal(dec("99.995", 2, R), 10000);
	/* more than twelve decimals: the digits beyond still count */
	assert_int_equal(dec("0.0049999999999999", 2, R), 0);
	assert_int_equal(dec("0.00500000000000001", 2, R), 1);
	assert_int_equal(dec("35214180599.923445", 2, R), 3521418059992LL); /* World Bank style */
	/* without the flag these are refused */
	dec_bad("12.345", 2, 0);
	dec_bad("0.00500000000000001", 2, 0);
}

static void test_decimal_max(void **state)
{
	(void)state;
	assert_int_equal(QM_MONEY_MAX_UNITS, 1000000000000000LL);
	assert_int_equal(dec("1000000000000000", 2, 0), 100000000000000000LL);
	assert_int_equal(dec("999999999999999.99", 2, 0), 99999999999999999LL);
	assert_int_equal(dec("1000000bn", 2, QM_DEC_SUFFIX), 100000000000000000LL);
	assert_int_equal(dec("1000000000000000", 0, 0), 1000000000000000LL);
	dec_bad("1000000000000001", 2, 0);
	dec_bad("1000000.01bn", 2, QM_DEC_SUFFIX);
	dec_bad("1000000000001k", 2, QM_DEC_SUFFIX);
	assert_int_equal(dec("1000000000000k", 2, QM_DEC_SUFFIX), 100000000000000000LL);
	dec_bad("99999999999999999999999999999", 2, 0); /* no silent overflow */
	dec_bad("18446744073709551617", 0, 0);
	/* rounding may reach the maximum but not pass it */
	assert_int_equal(dec("999999999999999.995", 2, QM_DEC_ROUND), 100000000000000000LL);
	assert_int_equal(dec("999999999999999.994", 2, QM_DEC_ROUND), 99999999999999999LL);
}

/* A fraction on top of the largest whole amount is above the maximum. */
static void test_decimal_just_above_max(void **state)
{
	(void)state;
	dec_bad("1000000000000000.01", 2, 0);
	dec_bad("1000000000000000.5", 2, 0);
	dec_bad("1000000000000000.005", 2, QM_DEC_ROUND);
	dec_bad("1000000000000000.000001", 6, 0);
	dec_bad("1000000.000000001bn", 2, QM_DEC_SUFFIX);
}

static void test_decimal_bad_inputs(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "-5", "+5", "-0", "1,000", "1 000", " 5", "5 ",
		"1e6", "1E6", "abc", "1.2.3", "1..2", "5.", ".", "0x10", "NaN", "inf", "12,5",
		"١٢", "5\n", "$5", "5€"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dec_bad(bad[i], 2, 0);
		dec_bad(bad[i], 2, QM_DEC_SUFFIX | QM_DEC_ROUND);
	}
}

static void fmt(int64_t v, int scale, int keep, const char *want)
{
	char buf[32];
	memset(buf, 'x', sizeof(buf));
	char *p = qm_decimal_format(v, scale, keep, buf);
	assert_ptr_equal(p, buf);
	assert_string_equal(buf, want);
}

static void test_decimal_format(void **state)
{
	(void)state;
	fmt(1250, 2, 0, "12.5");
	fmt(1250, 2, 1, "12.50");
	fmt(1200, 2, 1, "12");
	fmt(1200, 2, 0, "12");
	fmt(1, 2, 1, "0.01");
	fmt(0, 2, 1, "0");
	fmt(112900000000LL, 2, 1, "1129000000");
	fmt(1168400, 6, 0, "1.1684");
	fmt(1168400, 6, 1, "1.1684"); /* keep_cents applies to scale 2 only */
	fmt(1, 6, 0, "0.000001");
	fmt(15, 1, 0, "1.5");
	fmt(42, 0, 0, "42");
	fmt(-150, 2, 1, "-1.50");
	fmt(-1, 2, 0, "-0.01");
	fmt(INT64_MAX, 2, 1, "92233720368547758.07");
	fmt(INT64_MIN, 2, 1, "-92233720368547758.08");
	/* parse(format(x)) == x */
	static const int64_t values[] = {0, 1, 10, 99, 100, 101, 123456789, 100000000000000000LL};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char buf[32];
		for (int keep = 0; keep < 2; keep++)
			assert_int_equal(dec(qm_decimal_format(values[i], 2, keep, buf), 2, 0), values[i]);
	}
}

/* Conversions worked out by hand from the ECB reference rates
 * (amount / rate, rounded half away from zero to the cent). */
static void test_money_to_eur_by_hand(void **state)
{
	(void)state;
	/* USD 1,850,000,000.00 at 1.0622: 1,741,668,235.7371... -> 174166823574 cents */
	assert_int_equal(qm_money_to_eur(185000000000LL, 1062200), 174166823574LL);
	/* the same at 1.0636 (ECB, 2022-12-21): 1,739,375,705.1523... */
	assert_int_equal(qm_money_to_eur(185000000000LL, 1063600), 173937570515LL);
	/* GBP 250,000,000 at 0.87495 (ECB, 2023-04-06): 285,730,613.1779... */
	assert_int_equal(qm_money_to_eur(25000000000LL, 874950), 28573061318LL);
	/* SEK 1,000,000.55 at 11.096 (ECB, 2023-12-29): 90,122.6162... */
	assert_int_equal(qm_money_to_eur(100000055LL, 11096000), 9012262LL);
	/* USD 2.1 bn at 1.0919 (ECB, 2024-01-03): 1,923,253,045.1506... */
	assert_int_equal(qm_money_to_eur(210000000000LL, 1091900), 192325304515LL);
	/* EUR at 1 is unchanged */
	assert_int_equal(qm_money_to_eur(123456789LL, 1000000), 123456789LL);
	/* the largest amount at a rate of 1.1684 does not overflow */
	assert_int_equal(qm_money_to_eur(100000000000000000LL, 1168400), 85587127695994522LL);
	/* a rate below 1 makes the euro amount larger */
	assert_int_equal(qm_money_to_eur(100, 500000), 200);
}

static void test_money_to_eur_rounding(void **state)
{
	(void)state;
	/* 1 cent at 2 per euro is half a cent: away from zero */
	assert_int_equal(qm_money_to_eur(1, 2000000), 1);
	assert_int_equal(qm_money_to_eur(3, 2000000), 2);   /* 1.5 -> 2 */
	assert_int_equal(qm_money_to_eur(5, 2000000), 3);   /* 2.5 -> 3, not 2 */
	assert_int_equal(qm_money_to_eur(-1, 2000000), -1); /* -0.5 -> -1 */
	assert_int_equal(qm_money_to_eur(-5, 2000000), -3); /* -2.5 -> -3 */
	assert_int_equal(qm_money_to_eur(1, 3000000), 0);   /* 0.333 -> 0 */
	assert_int_equal(qm_money_to_eur(2, 3000000), 1);   /* 0.667 -> 1 */
	assert_int_equal(qm_money_to_eur(0, 1234567), 0);
	/* JPY 1 yen at 186.75: 0.535 cents -> 1 */
	assert_int_equal(qm_money_to_eur(100, 186750000), 1);
}

static void test_muldiv_round(void **state)
{
	(void)state;
	assert_int_equal(qm_muldiv_round(7, 1, 2), 4);     /* 3.5 -> 4 */
	assert_int_equal(qm_muldiv_round(-7, 1, 2), -4);   /* -3.5 -> -4 */
	assert_int_equal(qm_muldiv_round(7, -1, 2), -4);
	assert_int_equal(qm_muldiv_round(7, 1, -2), -4);
	assert_int_equal(qm_muldiv_round(-7, 1, -2), 4);
	assert_int_equal(qm_muldiv_round(-7, -1, -2), -4);
	assert_int_equal(qm_muldiv_round(-5, 1, 2), -3);   /* -2.5 -> -3 */
	assert_int_equal(qm_muldiv_round(-4, 1, 3), -1);   /* -1.333 -> -1 */
	assert_int_equal(qm_muldiv_round(-5, 1, 3), -2);   /* -1.667 -> -2 */
	assert_int_equal(qm_muldiv_round(4, 1, 3), 1);
	assert_int_equal(qm_muldiv_round(5, 1, 3), 2);
	assert_int_equal(qm_muldiv_round(0, 5, 3), 0);
	assert_int_equal(qm_muldiv_round(0, -5, 3), 0);
	assert_int_equal(qm_muldiv_round(6, 1, 3), 2);
	assert_int_equal(qm_muldiv_round(-6, 1, 3), -2);
	/* products beyond 64 bits */
	assert_int_equal(qm_muldiv_round(INT64_MAX, 1000000, 1000000), INT64_MAX);
	assert_int_equal(qm_muldiv_round(INT64_MAX, INT64_MAX, INT64_MAX), INT64_MAX);
	assert_int_equal(qm_muldiv_round(-INT64_MAX, 3, 3), -INT64_MAX);
	assert_int_equal(qm_muldiv_round(4000000000000000000LL, 4, 8), 2000000000000000000LL);
	assert_int_equal(qm_muldiv_round(-4000000000000000001LL, 1, 2), -2000000000000000001LL);
}

static void human(int64_t cents, int compact, const char *want)
{
	char buf[40];
	assert_string_equal(qm_money_human(cents, compact, buf), want);
}

static void test_money_human(void **state)
{
	(void)state;
	human(0, 0, "0");
	human(49, 0, "0");
	human(50, 0, "1");          /* whole euros, half away from zero */
	human(-50, 0, "-1");
	human(99999, 0, "1,000");
	human(123456789, 0, "1,234,568");
	human(100000000000LL, 0, "1,000,000,000");
	human(-123456789, 0, "-1,234,568");
	human(123456789000LL, 1, "1.23 bn");
	human(4560000000LL, 1, "45.6 m");
	human(99900, 1, "999");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal_scales),
		cmocka_unit_test(test_decimal_suffixes),
		cmocka_unit_test(test_decimal_rounding),
		cmocka_unit_test(test_decimal_max),
		cmocka_unit_test(test_decimal_just_above_max),
		cmocka_unit_test(test_decimal_bad_inputs),
		cmocka_unit_test(test_decimal_format),
		cmocka_unit_test(test_money_to_eur_by_hand),
		cmocka_unit_test(test_money_to_eur_rounding),
		cmocka_unit_test(test_muldiv_round),
		cmocka_unit_test(test_money_human),
		/* last: it reads past a table in the build that has the bug */
		cmocka_unit_test(test_decimal_suffix_at_high_scale),
	};
	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
