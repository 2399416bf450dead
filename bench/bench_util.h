/*
 * bench_util.h - what the benchmark generators share: a fixed-seed
 * xorshift64* generator (so a generator writes the same file every time) and
 * day numbers counted from 2022-03-01 written as dates. Each generator sets
 * rng_state before drawing.
 */
#ifndef QM_BENCH_UTIL_H
#define QM_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static inline uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline unsigned below(unsigned n)
{
	return (unsigned)((rnd() >> 32) % n);
}

static inline int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Day n (0-based) counted from 2022-03-01 as YYYY-MM-DD. */
static inline void date_of(int n, char buf[16])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = 2022, m = 2, d;
	for (;;) {
		int len = mdays[m] + (m == 1 && is_leap(y));
		if (n < len)
			break;
		n -= len;
		if (++m == 12) {
			m = 0;
			y++;
		}
	}
	d = n + 1;
	snprintf(buf, 16, "%04d-%02d-%02d", y % 10000, (m + 1) % 100, d % 100);
}

#endif
