/*
 * test_burden.c - unit tests of the arithmetic of burden sharing
 * (burden.h): fair shares by largest remainders computed by hand (exact
 * splits, a tie for the last cent, zero weights, the 2024 baseline over
 * GDP-sized weights) and checked to add up to the baseline over many random
 * weightings; and the decimal strings of shares and ratios.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qm/burden.h"

static void shares_are(int64_t baseline, const int64_t *w, int n, const int64_t *want)
{
	int64_t got[16];
	assert_int_equal(qm_fair_shares(baseline, w, n, got), 0);
	for (int i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("baseline %lld: share %d is %lld, want %lld", (long long)baseline, i,
				(long long)got[i], (long long)want[i]);
}

static void test_by_hand(void **state)
{
	(void)state;
	/* exact */
	shares_are(100, (int64_t[]){1, 3}, 2, (int64_t[]){25, 75});
	/* 10001 over 1:1:2:2 = 1666.83, 1666.83, 3333.67, 3333.67: floors leave 3
	 * cents; the two .83 remainders take one each, and the two equal .67
	 * remainders tie for the last cent, which goes to the first */
	shares_are(10001, (int64_t[]){1, 1, 2, 2}, 4, (int64_t[]){1667, 1667, 3334, 3333});
	/* one cent between equals goes to the first */
	shares_are(1, (int64_t[]){5, 5}, 2, (int64_t[]){1, 0});
	/* 100 over three equals: 33.33 each, one cent left, to the first */
	shares_are(100, (int64_t[]){7, 7, 7}, 3, (int64_t[]){34, 33, 33});
	/* a larger remainder wins over an earlier index: 5 over 1:2 = 1.67, 3.33 */
	shares_are(5, (int64_t[]){1, 2}, 2, (int64_t[]){2, 3});
	/* a zero weight gets nothing */
	shares_are(10, (int64_t[]){0, 1, 1}, 3, (int64_t[]){0, 5, 5});
	/* nothing to share */
	shares_are(0, (int64_t[]){3, 4}, 2, (int64_t[]){0, 0});
	/* weights that sum to 0 are refused */
	int64_t out[2];
	assert_int_equal(qm_fair_shares(100, (int64_t[]){0, 0}, 2, out), -1);
	/* EUR 40 bn over GDP-sized weights (cents): no overflow, exact sum */
	int64_t big[3] = {2530447504474600LL, 412116000000000LL, 2125066544746LL};
	int64_t got[3];
	assert_int_equal(qm_fair_shares(4000000000000LL, big, 3, got), 0);
	assert_int_equal(got[0] + got[1] + got[2], 4000000000000LL);
	__int128 total = (__int128)big[0] + big[1] + big[2];
	for (int i = 0; i < 3; i++) {
		int64_t floor = (int64_t)((__int128)4000000000000LL * big[i] / total);
		assert_true(got[i] == floor || got[i] == floor + 1);
	}
}

static void test_random_sums(void **state)
{
	(void)state;
	srand(7);
	for (int round = 0; round < 2000; round++) {
		int n = 1 + rand() % 16;
		int64_t w[16], s[16], baseline = ((int64_t)rand() << 20) ^ rand();
		int64_t sum = 0, total = 0;
		for (int i = 0; i < n; i++)
			total += w[i] = rand() % 4 == 0 ? 0 : ((int64_t)rand() << 24) + rand();
		if (total == 0)
			w[0] = total = 1;
		assert_int_equal(qm_fair_shares(baseline, w, n, s), 0);
		for (int i = 0; i < n; i++) {
			sum += s[i];
			/* each share is its exact share rounded down or up */
			__int128 exact = (__int128)baseline * w[i];
			int64_t floor = (int64_t)(exact / total);
			if (s[i] != floor && s[i] != floor + 1)
				fail_msg("round %d: share %d is %lld, floor %lld", round, i, (long long)s[i],
					(long long)floor);
			if (w[i] == 0)
				assert_int_equal(s[i], 0);
		}
		assert_int_equal(sum, baseline);
	}
}

static void test_ratio_format(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(qm_ratio_format(1, 3, 6, buf), "0.333333");
	assert_string_equal(qm_ratio_format(2, 3, 4, buf), "0.6667");
	assert_string_equal(qm_ratio_format(1, 8, 2, buf), "0.13"); /* half away from zero */
	assert_string_equal(qm_ratio_format(-1, 8, 2, buf), "-0.13");
	assert_string_equal(qm_ratio_format(17, 1, 4, buf), "17.0000");
	assert_string_equal(qm_ratio_format(0, 5, 6, buf), "0.000000");
	assert_string_equal(qm_ratio_format(-1, 1000, 2, buf), "0.00"); /* no "-0.00" */
	assert_string_equal(qm_ratio_format(5, 2, 0, buf), "3");
	assert_string_equal(qm_ratio_format(1, 0, 4, buf), "");
	/* GDP-sized: 2530447504474600 / 4765966582867047 */
	assert_string_equal(qm_ratio_format(2530447504474600LL, 4765966582867047LL, 6, buf),
		"0.530941");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_random_sums),
		cmocka_unit_test(test_ratio_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
