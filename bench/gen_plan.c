/*
 * gen_plan.c - write a plan instance for `make bench` (bench/run_plan.sh) as
 * qm import files, plus the same supply and demand in a plain text form for
 * the reference solvers (bench/allpairs_lemon.cpp).
 *
 *   gen_plan N DIR [SEED [training]]
 *
 * writes into DIR (which must exist):
 *
 *   parties.csv       ten allied nations with their currencies
 *   items.csv         3,000 items it-CCCC-a/b/c, three per capability
 *                     cap-0001..cap-1000, no prices
 *   pledges.csv       N pledges p0000001..: an item and 1-50 units, status
 *                     committed (55%), announced (43%) or cancelled (2%),
 *                     dated 2022-03-01..2024-12-31, available on that date
 *                     (a quarter, `available` left blank) or up to a year
 *                     later
 *   deliveries.csv    about 4% of the pledges that are not cancelled and
 *                     have 2 units or more are partly delivered, in one or
 *                     two deliveries d0000001.. dated up to two months after
 *                     the pledge's available date (all before 2026-03)
 *   requirements.csv  N/5 requirements r0000001..: 85% name a capability,
 *                     15% an item; 1-261 units (so that demand is about 5%
 *                     above supply and every capability has some unmet
 *                     need or some supply left over), priority 1-5,
 *                     needed_by 2022-03-01..2025-12-31
 *   supply.txt        one line per supply group, the units of one pledge
 *                     that become available on one day:
 *                       PLEDGE ITEM CAP DAY UNITS
 *                     (the undelivered rest of a pledge on its available
 *                     date, each delivery on its date; cancelled pledges
 *                     give none)
 *   demand.txt        one line per requirement:
 *                       REQ KIND TARGET PRIORITY DAY UNITS
 *                     KIND is c (TARGET is a capability) or i (an item)
 *
 * With "training" (the plan's second stage, docs/plan.md "## Training"), the
 * same instance (the same draws, so supply.txt and demand.txt are those of
 * N without it) and also:
 *
 *   items.csv         crew_skill and crew_size: every "a" item (1,000 of the
 *                     3,000) needs a crew of 1-4 (1 + CCCC mod 4) trainees of
 *                     skill-SSS, SSS = CCCC mod 100 + 1 (100 skills)
 *   courses.csv       courses c0000001.. of 1-40 seats, 100,000 seats in all
 *                     (the last one takes what is left), of a random skill,
 *                     committed (60%) or announced, starting 2022-03-01..
 *                     2025-12-31 and lasting 2 to 17 weeks
 *   requirements.csv  after the N/5 requirements, 20,000 training
 *                     requirements t0000001.. of a random skill, 1-10
 *                     trainees, priority 1-5, needed_by 2022-03-01..2025-12-31
 *                     (not in demand.txt, which is the equipment only)
 *
 * In the .txt files ITEM is 0..2999 (item it-CCCC-x is (CCCC-1)*3 + x-'a'),
 * CAP is 0..999 (cap-CCCC is CCCC-1) and DAY counts days from 2022-03-01,
 * so that a unit available on day a that serves a need of day n is
 * max(0, a - n) days late. Nothing is read; the output depends only on N and
 * SEED (a fixed xorshift64* generator; default seed 1). A summary goes to
 * standard error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define NCAPS 1000
#define PER_CAP 3
#define NITEMS (NCAPS * PER_CAP)
#define PLEDGE_DAYS 1037 /* 2022-03-01 .. 2024-12-31 */
#define NEED_DAYS 1402   /* 2022-03-01 .. 2025-12-31 */
#define NSKILLS 100
#define SEATS 100000
#define TRAINING_REQS 20000

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "w"))) {
		perror(path);
		exit(73);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

static void close_out(FILE *f, const char *name)
{
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen_plan: writing %s failed\n", name);
		exit(74);
	}
}

static void item_code(int it, char buf[16])
{
	snprintf(buf, 16, "it-%04d-%c", it / PER_CAP + 1, 'a' + it % PER_CAP);
}

int main(int argc, char **argv)
{
	static const char *const parties[][3] = {
		{"CAN", "Canada", "CAD"}, {"DEU", "Germany", "EUR"}, {"DNK", "Denmark", "DKK"},
		{"FRA", "France", "EUR"}, {"GBR", "United Kingdom", "GBP"},
		{"NLD", "Netherlands", "EUR"}, {"NOR", "Norway", "NOK"}, {"POL", "Poland", "PLN"},
		{"SWE", "Sweden", "SEK"}, {"USA", "United States", "USD"},
	};
	const int nparties = (int)(sizeof(parties) / sizeof(parties[0]));
	char *end, date[16], avail[16], code[16];
	long n, nreq, ndeliv = 0, ngroups = 0, ncancel = 0;
	long long supply_units = 0, demand_units = 0, delivered_units = 0;
	uint64_t seed = 1;
	FILE *f, *sup, *dem, *del;
	int training = 0;

	if (argc < 3 || argc > 5 || (n = strtol(argv[1], &end, 10)) < 5 || *end || n > 9999999
		|| (argc > 4 && strcmp(argv[4], "training") != 0)) {
		fprintf(stderr, "usage: gen_plan N DIR [SEED [training]]  (5 <= N <= 9999999)\n");
		return 64;
	}
	training = argc > 4;
	if (argc > 3) {
		seed = strtoull(argv[3], &end, 10);
		if (*end || !argv[3][0]) {
			fprintf(stderr, "gen_plan: SEED: a whole number, got '%s'\n", argv[3]);
			return 64;
		}
	}
	rng_state = 0x9e3779b97f4a7c15ULL ^ (seed * 0xbf58476d1ce4e5b9ULL);
	if (rng_state == 0)
		rng_state = 1;
	for (int i = 0; i < 8; i++)
		rnd();
	nreq = n / 5;

	f = open_in(argv[2], "parties.csv");
	fprintf(f, "code,name,kind,ally,currency,source\n");
	for (int i = 0; i < nparties; i++)
		fprintf(f, "%s,%s,nation,yes,%s,bench/gen_plan.c\n", parties[i][0], parties[i][1],
			parties[i][2]);
	close_out(f, "parties.csv");

	f = open_in(argv[2], "items.csv");
	fprintf(f, "code,name,category,capability,unit,source%s\n", training ? ",crew_skill,crew_size" : "");
	for (int it = 0; it < NITEMS; it++) {
		int cap = it / PER_CAP + 1;
		item_code(it, code);
		fprintf(f, "%s,Bench item %d%c,cat-%02d,cap-%04d,unit,bench/gen_plan.c", code,
			cap, 'a' + it % PER_CAP, it / PER_CAP / 50 + 1, cap);
		if (training && it % PER_CAP == 0) /* no draw: the instance stays that of N */
			fprintf(f, ",skill-%03d,%d", cap % NSKILLS + 1, 1 + cap % 4);
		else if (training)
			fprintf(f, ",,");
		fputc('\n', f);
	}
	close_out(f, "items.csv");

	f = open_in(argv[2], "pledges.csv");
	del = open_in(argv[2], "deliveries.csv");
	sup = open_in(argv[2], "supply.txt");
	fprintf(f, "id,donor,date,item,quantity,status,available,source\n");
	fprintf(del, "id,pledge,date,quantity,source\n");
	for (long i = 1; i <= n; i++) {
		int it = (int)below(NITEMS), day = (int)below(PLEDGE_DAYS), aday = day;
		int qty = 1 + (int)below(50), st = (int)below(100);
		const char *status = st < 2 ? "cancelled" : st < 45 ? "announced" : "committed";
		const char *donor = parties[below((unsigned)nparties)][0];
		date_of(day, date);
		avail[0] = '\0';
		if (below(4) != 0) {
			aday = day + (int)below(366);
			date_of(aday, avail);
		}
		item_code(it, code);
		fprintf(f, "p%07ld,%s,%s,%s,%d,%s,%s,bench/gen_plan.c\n", i, donor, date, code, qty,
			status, avail);
		if (st < 2) {
			ncancel++;
			continue;
		}
		int rest = qty;
		if (qty >= 2 && below(25) == 0) { /* partly delivered */
			int parts = below(10) < 7 ? 1 : 2, total = 1 + (int)below((unsigned)qty - 1);
			if (total < parts)
				parts = 1;
			for (int k = 0; k < parts; k++) {
				int q = k + 1 < parts ? 1 + (int)below((unsigned)total - 1) : total;
				int dday = day + (int)below((unsigned)(aday - day + 60));
				char ddate[16];
				date_of(dday, ddate);
				fprintf(del, "d%07ld,p%07ld,%s,%d,bench/gen_plan.c\n", ++ndeliv, i, ddate, q);
				fprintf(sup, "p%07ld %d %d %d %d\n", i, it, it / PER_CAP, dday, q);
				ngroups++;
				total -= q;
				rest -= q;
				delivered_units += q;
			}
		}
		if (rest > 0) {
			fprintf(sup, "p%07ld %d %d %d %d\n", i, it, it / PER_CAP, aday, rest);
			ngroups++;
		}
		supply_units += qty;
	}
	close_out(f, "pledges.csv");
	close_out(del, "deliveries.csv");
	close_out(sup, "supply.txt");

	f = open_in(argv[2], "requirements.csv");
	dem = open_in(argv[2], "demand.txt");
	fprintf(f, "id,capability,item,quantity,priority,needed_by,source\n");
	long nbyitem = 0;
	for (long i = 1; i <= nreq; i++) {
		int qty = 1 + (int)below(261), prio = 1 + (int)below(5), day = (int)below(NEED_DAYS);
		date_of(day, date);
		if (below(20) < 3) { /* by item */
			int it = (int)below(NITEMS);
			item_code(it, code);
			fprintf(f, "r%07ld,,%s,%d,%d,%s,bench/gen_plan.c\n", i, code, qty, prio, date);
			fprintf(dem, "r%07ld i %d %d %d %d\n", i, it, prio, day, qty);
			nbyitem++;
		} else {
			int cap = (int)below(NCAPS);
			fprintf(f, "r%07ld,cap-%04d,,%d,%d,%s,bench/gen_plan.c\n", i, cap + 1, qty, prio,
				date);
			fprintf(dem, "r%07ld c %d %d %d %d\n", i, cap, prio, day, qty);
		}
		demand_units += qty;
	}
	close_out(dem, "demand.txt");

	/* training: its own draws, after the instance's */
	long ncourses = 0, trainees = 0;
	if (training) {
		rng_state = 0x2545f4914f6cdd1dULL ^ (seed * 0x9e3779b97f4a7c15ULL);
		if (rng_state == 0)
			rng_state = 1;
		for (long i = 1; i <= TRAINING_REQS; i++) {
			int qty = 1 + (int)below(10), prio = 1 + (int)below(5), day = (int)below(NEED_DAYS);
			date_of(day, date);
			fprintf(f, "t%07ld,skill-%03d,,%d,%d,%s,bench/gen_plan.c\n", i, 1 + (int)below(NSKILLS), qty,
				prio, date);
			trainees += qty;
		}
		FILE *c = open_in(argv[2], "courses.csv");
		fprintf(c, "id,provider,skill,seats,start,end,location,status,source,note\n");
		for (long left = SEATS; left > 0;) {
			long seats = 1 + (long)below(40);
			int day = (int)below(NEED_DAYS), eday = day + 14 + (int)below(106);
			if (seats > left)
				seats = left;
			left -= seats;
			date_of(day, date);
			date_of(eday, avail);
			fprintf(c, "c%07ld,%s,skill-%03d,%ld,%s,%s,,%s,bench/gen_plan.c,generated\n", ++ncourses,
				parties[below((unsigned)nparties)][0], 1 + (int)below(NSKILLS), seats, date, avail,
				below(10) < 6 ? "committed" : "announced");
		}
		close_out(c, "courses.csv");
	}
	close_out(f, "requirements.csv");

	fprintf(stderr,
		"gen_plan: N=%ld seed=%llu: %ld pledges (%ld cancelled), %ld deliveries (%lld units), "
		"%ld supply groups, %lld units of supply; %ld requirements (%ld by item), "
		"%lld units of demand\n",
		n, (unsigned long long)seed, n, ncancel, ndeliv, delivered_units, ngroups, supply_units,
		nreq, nbyitem, demand_units);
	if (training)
		fprintf(stderr, "gen_plan: training: %ld courses, %d seats, %d skills; %d training requirements, "
			"%ld trainees; %d crewed items\n", ncourses, SEATS, NSKILLS, TRAINING_REQS, trainees,
			NCAPS);
	return 0;
}
