/*
 * tests/plan/gen_instance.c - random instances of the plan problem, for
 * checking `qm plan` against an independent LP solver (glpsol).
 *
 *   gen_instance DIR SEED MODE [PLEDGES [REQUIREMENTS [ITEMS [CAPABILITIES [TRAINING]]]]]
 *   gen_instance DIR SEED:MODE:PLEDGES:REQUIREMENTS:ITEMS:CAPABILITIES[:TRAINING]...
 *
 * The second form puts several independent instances (parts) into one
 * ledger, each with its own seed, mode and sizes: part N's codes and ids
 * start with kN- (its own items, capabilities, pledges and requirements), so
 * no unit of one part can serve another part and the optimum of the whole is
 * the sum of the parts' optima. The options (args.txt) are those the first
 * part draws. This spares a database and its imports per instance.
 *
 * writes into DIR (which must exist):
 *
 *   parties.csv items.csv pledges.csv deliveries.csv courses.csv requirements.csv
 *       the ledger, as `qm import` files (import them in this order); no
 *       prices and no amounts in a foreign currency, so no rates are needed;
 *       items.csv has crew_skill and crew_size (empty without TRAINING),
 *       courses.csv only its header without TRAINING
 *   args.txt      the options to give `qm plan` for this instance (possibly
 *                 empty): --as-of DATE and/or --committed-only
 *   model.lp      the plan problem for exactly those options, written out in
 *                 CPLEX LP format with one variable per compatible (supply
 *                 group, requirement) pair and one unmet variable per
 *                 requirement
 *   model-kN.lp   with several parts (below), part N's problem alone
 *   groups.csv    the supply groups of the model, in the order of its
 *                 variables: pledge,item,available,units,delivered (1 for
 *                 a delivery, 0 for the rest of a pledge)
 *   seats.csv     the supply of stage 2 for those options: the courses
 *                 that are not cancelled (with --committed-only: committed):
 *                 course,skill,seats,end
 *   skills.csv    the skills (header "skill"): the crew skills of items and
 *                 the skills of courses that are not cancelled; requirements
 *                 of a skill are training requirements, left out of model.lp
 *   expected.txt  structural facts of the instance, one "name value" a line
 *
 * The model (the contract of `qm plan`, docs/plan.md):
 *
 *   supply   every pledge with an item and a quantity whose status is not
 *            cancelled (with --committed-only: whose status is committed),
 *            dated on or before the as-of date. Each of its deliveries dated
 *            on or before the as-of date is one supply group of that many
 *            units available on the delivery's date; the rest of the pledge
 *            (quantity minus those deliveries), if any, is one group
 *            available on the pledge's `available` date.
 *   demand   every requirement.
 *   pairs    a group of item i may serve requirement r when r's item is i,
 *            or r's capability is i's capability.
 *   cost     w(r) * max(0, days(available) - days(needed_by)) per assigned
 *            unit, w(r) * 3650 per unmet unit, w = 2^(5 - priority).
 *
 *   minimise  sum c(g,r) x(g,r) + sum 3650 w(r) u(r)
 *   s.t.      sum_r x(g,r) <= units(g)              for every group g
 *             sum_g x(g,r) + u(r) = quantity(r)     for every requirement r
 *             x, u >= 0 and integer (section General)
 *
 * The constraint matrix is that of a transportation problem (totally
 * unimodular), so the LP relaxation already has an integral optimum; the
 * variables are nevertheless declared General so that glpsol solves the
 * integer problem as stated and reports it as such. A variable `zero`
 * (fixed at 0) and a row `keep` on it keep the objective and the constraints
 * non-empty when there is no pair or no requirement.
 *
 * MODE is one of
 *
 *   mix        random everything: announced, committed and cancelled pledges,
 *              money-only pledges, packages with parts, partial deliveries,
 *              requirements by capability and by item, a capability no item
 *              has; the seed may add --as-of and/or --committed-only
 *   nosupply   requirements but no pledge at all
 *   deadsupply pledges that supply nothing: cancelled ones, money-only ones
 *   nodemand   pledges but no requirement
 *   empty      neither pledges nor requirements
 *   late       every supply available after every needed_by date
 *   ties       equal dates and equal priorities everywhere
 *   multi      one capability served by several items, all requirements by it
 *   itemreq    requirements that name an item (only that item serves them),
 *              next to supply of other items of the same capability
 *   delivered  every pledge fully delivered (in one to three deliveries)
 *   far        supply around ten years (3650 days) late: leaving a need unmet
 *              is sometimes cheaper than serving it
 *   scarce     much more demand than supply, mixed priorities
 *   asof       like mix, always with --as-of (deliveries on both sides of it)
 *   committed  like mix, always with --committed-only
 *
 * TRAINING (docs/plan.md "## Training"), after the part's equipment and with
 * the same stream, so that the equipment is that of the part without it:
 * skills kN-skill-a.. (one to three that items' crews need; with crews or
 * fewseats sometimes one more that only courses train and training
 * requirements need), a crew of 1-3 trainees on about 70% of the items, and
 * when a capability has two items or more, its first two with different
 * crews (different skills when there are two, else different sizes); 0-3
 * training requirements kN-t-NNN per skill (1-20 trainees, any priority);
 * and courses kN-c-NNN per skill:
 *
 *   crews      1-6 courses of 1-60 seats, announced, committed or cancelled,
 *              ending from about five months before the first needed day
 *              to well after the last one (so before and after the
 *              equipment), some ending on the day they start
 *   fewseats   0-2 courses of 1-3 seats: crews and training partly short
 *   noseats    no course at all: every trainee short
 *
 * A skill no item needs always has a course that is not cancelled (whether
 * cancelled courses alone make a skill is left open). Stage 2's optimum
 * depends on stage 1's assignments, so no model of it is written here: the
 * test builds it from qm's plan (tests/cli/t1000-plan-glpsol.sh).
 *
 * Same arguments, same files, byte for byte (its own PRNG, no clock).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXP 400   /* per part */
#define MAXR 230   /* with training requirements */
#define MAXI 40
#define MAXC 12
#define MAXD 4
#define MAXPARTS 32
#define MAXS 4     /* skills per part */
#define MAXK 24    /* courses per part */

/* ---- PRNG: splitmix64 ---- */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* a uniform integer in [lo, hi] */
static long rnd(long lo, long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long)(rnd64() % (uint64_t)(hi - lo + 1));
}

static int chance(int percent)
{
	return rnd(0, 99) < percent;
}

/* ---- dates: days since 1970-01-01 (proleptic Gregorian) ---- */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, char out[64])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	snprintf(out, 64, "%04ld-%02ld-%02ld", y, m, d);
}

static const char *ds(long day)
{
	static char buf[8][64];
	static int next;
	next = (next + 1) % 8;
	civil_from_days(day, buf[next]);
	return buf[next];
}

/* ---- the instance ---- */
static const char *const party_code[] = {"DEU", "FRA", "POL", "USA", "GBR"};
static const char *const party_name[] = {"Germany", "France", "Poland", "United States",
					 "United Kingdom"};
static const char *const party_cur[] = {"EUR", "EUR", "PLN", "USD", "GBP"};
#define NPARTY 5

static const char *const status_name[] = {"announced", "committed", "cancelled"};
enum { ANNOUNCED, COMMITTED, CANCELLED };

struct item {
	int cap;
	int crew_skill; /* a skill (global index), or -1: no crew */
	int crew_size;
	int part, lidx, lcap; /* in the whole instance: its part, its index and capability there */
};

struct skill {
	int part, lidx;
};

struct course {
	int skill; /* global index */
	int provider;
	int seats;
	long start, end;
	int status;
	int part, lidx;
};

struct delivery {
	long date;
	int qty;
};

struct pledge {
	int donor;
	long date;
	int item; /* -1: money only */
	int qty;
	int status;
	long available;
	int part_of; /* index of a package pledge, or -1 */
	int money;   /* states an amount (EUR) */
	int ndel;
	struct delivery del[MAXD];
	int part, lidx;
};

struct req {
	int cap;   /* -1 when by item or a training requirement */
	int item;  /* -1 when by capability */
	int skill; /* a training requirement of this skill (global index), else -1 */
	int qty;
	int priority;
	long needed;
	int part, lidx;
};

/* the part being generated: indices local to it */
static int nitem, ncap, npl, nreq;
static struct item *items;
static struct pledge *pl;
static struct req *rq;
static int extra_cap; /* a capability no item has, required sometimes: ncap */

/* the whole instance: every part, indices global */
static struct item IT[MAXI * MAXPARTS];
static struct pledge PL[MAXP * MAXPARTS];
static struct req RQ[MAXR * MAXPARTS];
static struct skill SK[MAXS * MAXPARTS];
static struct course CO[MAXK * MAXPARTS];
static int TI, TC, TP, TR, TS, TK, nparts;
static int capbase[MAXPARTS];

static long as_of = -1;   /* -1: none */
static int committed_only;

static long BASE; /* 2024-01-01 */

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static void close_out(FILE *f)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen_instance: write error\n");
		exit(1);
	}
}

/* names: with several parts, each part's start with kN- */
static const char *prefix(int part)
{
	static char buf[16];
	if (nparts <= 1)
		return "";
	snprintf(buf, sizeof buf, "k%d-", part);
	return buf;
}

static void cap_name(int part, int c, char out[24])
{
	snprintf(out, 24, "%scap-%c", prefix(part), 'a' + c);
}

static void item_name(int i, char out[24])
{
	snprintf(out, 24, "%sit-%c-%02d", prefix(IT[i].part), 'a' + IT[i].lcap, IT[i].lidx);
}

static void skill_name(int s, char out[24])
{
	snprintf(out, 24, "%sskill-%c", prefix(SK[s].part), 'a' + SK[s].lidx);
}

static void course_id(int k, char out[24])
{
	snprintf(out, 24, "%sc-%03d", prefix(CO[k].part), CO[k].lidx);
}

/* a pledge of item and quantity, random dates around BASE */
static void random_pledge(struct pledge *p, int item, long lo, long span)
{
	memset(p, 0, sizeof *p);
	p->donor = (int)rnd(0, NPARTY - 1);
	p->date = lo + rnd(0, span);
	p->item = item;
	p->qty = (int)rnd(1, 20);
	int s = (int)rnd(0, 99);
	p->status = s < 40 ? ANNOUNCED : s < 85 ? COMMITTED : CANCELLED;
	p->available = p->date + (chance(10) ? -rnd(0, 30) : rnd(0, 300));
	p->part_of = -1;
}

/* partial deliveries, never more than the quantity in all */
static void random_deliveries(struct pledge *p, int full, long lo, long span)
{
	p->ndel = 0;
	if (p->item < 0 || p->status == CANCELLED)
		return;
	if (!full && !chance(45))
		return;
	int left = p->qty;
	int n = (int)rnd(1, MAXD - 1);
	for (int k = 0; k < n && left > 0; k++) {
		int q;
		if (full && k == n - 1)
			q = left;
		else
			q = (int)rnd(1, left);
		if (!full && k == n - 1 && chance(50) && q == left && left > 1)
			q = left - 1; /* usually leave some to come */
		p->del[p->ndel].qty = q;
		/* around the available date, before or after it */
		p->del[p->ndel].date = chance(50) ? p->available - rnd(0, 120) : p->available + rnd(0, 120);
		if (p->del[p->ndel].date < lo - 200)
			p->del[p->ndel].date = lo - 200 + rnd(0, span);
		p->ndel++;
		left -= q;
	}
	if (full && left > 0) { /* n ran out: put the rest on the last one */
		p->del[p->ndel - 1].qty += left;
	}
}

static void random_req(struct req *r, int by_item_percent, long lo, long span)
{
	memset(r, 0, sizeof *r);
	r->skill = -1;
	if (chance(by_item_percent)) {
		r->item = (int)rnd(0, nitem - 1);
		r->cap = -1;
	} else {
		r->item = -1;
		r->cap = (int)rnd(0, ncap - 1);
		if (chance(5))
			r->cap = extra_cap;
	}
	r->qty = (int)rnd(1, 30);
	r->priority = (int)rnd(1, 5);
	r->needed = lo + rnd(0, span);
}

/* items over capabilities: every capability has at least one item, and
 * items are spread so that some capabilities have several */
static void make_items(int ni, int nc)
{
	nitem = ni;
	ncap = nc;
	extra_cap = nc;
	for (int i = 0; i < ni; i++) {
		items[i].cap = i < nc ? i : (int)rnd(0, nc - 1);
		items[i].crew_skill = -1;
		items[i].crew_size = 0;
	}
}

/* money-only pledges and packages: a package (money, EUR donor) with parts */
static void sprinkle_packages(void)
{
	int n = npl;
	for (int k = 0; k < n; k++) {
		if (pl[k].item >= 0 && chance(12) && npl < MAXP) {
			struct pledge *pkg = &pl[npl];
			memset(pkg, 0, sizeof *pkg);
			pkg->donor = (int)rnd(0, 1); /* DEU or FRA: EUR, no rate needed */
			pkg->date = pl[k].date;
			pkg->item = -1;
			pkg->money = 1;
			pkg->status = chance(70) ? COMMITTED : ANNOUNCED;
			pkg->available = pkg->date;
			pkg->part_of = -1;
			/* this one and maybe the next item pledge are its parts */
			pl[k].part_of = npl;
			pl[k].donor = pkg->donor;
			if (k + 1 < npl && pl[k + 1].item >= 0 && chance(50)) {
				pl[k + 1].part_of = npl;
				pl[k + 1].donor = pkg->donor;
			}
			npl++;
		} else if (chance(5) && npl < MAXP) {
			struct pledge *m = &pl[npl++];
			memset(m, 0, sizeof *m);
			m->donor = (int)rnd(0, 1);
			m->date = pl[k].date;
			m->item = -1;
			m->money = 1;
			m->status = (int)rnd(0, 2);
			m->available = m->date;
			m->part_of = -1;
		}
	}
}

static void generate(const char *mode, int np, int nr, int ni, int nc)
{
	const long lo = BASE, span = 700;
	npl = 0;
	nreq = 0;

	if (!strcmp(mode, "mix") || !strcmp(mode, "asof") || !strcmp(mode, "committed") ||
	    !strcmp(mode, "scarce")) {
		make_items(ni, nc);
		for (int k = 0; k < np; k++)
			random_pledge(&pl[npl++], (int)rnd(0, nitem - 1), lo, span);
		for (int k = 0; k < np; k++)
			random_deliveries(&pl[k], chance(8), lo, span);
		sprinkle_packages();
		for (int k = 0; k < nr; k++) {
			random_req(&rq[nreq], 35, lo, span);
			if (!strcmp(mode, "scarce"))
				rq[nreq].qty = (int)rnd(10, 60);
			nreq++;
		}
		if (!strcmp(mode, "asof") || (!strcmp(mode, "mix") && chance(35)))
			as_of = lo + rnd(100, span);
		if (!strcmp(mode, "committed") || (!strcmp(mode, "mix") && chance(25)))
			committed_only = 1;
	} else if (!strcmp(mode, "nosupply") || !strcmp(mode, "empty")) {
		make_items(ni, nc);
		if (!strcmp(mode, "nosupply"))
			for (int k = 0; k < nr; k++)
				random_req(&rq[nreq++], 35, lo, span);
	} else if (!strcmp(mode, "deadsupply")) {
		make_items(ni, nc);
		for (int k = 0; k < np; k++) {
			struct pledge *p = &pl[npl++];
			random_pledge(p, (int)rnd(0, nitem - 1), lo, span);
			if (k % 2) {
				p->status = CANCELLED;
			} else {
				p->item = -1;
				p->qty = 0;
				p->money = 1;
				p->donor = (int)rnd(0, 1);
			}
		}
		for (int k = 0; k < nr; k++)
			random_req(&rq[nreq++], 35, lo, span);
	} else if (!strcmp(mode, "nodemand")) {
		make_items(ni, nc);
		for (int k = 0; k < np; k++)
			random_pledge(&pl[npl++], (int)rnd(0, nitem - 1), lo, span);
		for (int k = 0; k < np; k++)
			random_deliveries(&pl[k], 0, lo, span);
	} else if (!strcmp(mode, "late")) {
		make_items(ni, nc);
		for (int k = 0; k < np; k++) {
			struct pledge *p = &pl[npl++];
			random_pledge(p, (int)rnd(0, nitem - 1), lo, span);
			if (p->available < p->date)
				p->available = p->date;
			random_deliveries(p, 0, lo, span);
			for (int d = 0; d < p->ndel; d++)
				if (p->del[d].date < lo)
					p->del[d].date = lo + rnd(0, 30);
		}
		for (int k = 0; k < nr; k++) {
			random_req(&rq[nreq], 35, lo, span);
			rq[nreq].needed = lo - rnd(1, 400);
			nreq++;
		}
	} else if (!strcmp(mode, "ties")) {
		make_items(ni, nc);
		long d0 = lo + 100;
		int prio = (int)rnd(1, 5);
		for (int k = 0; k < np; k++) {
			struct pledge *p = &pl[npl++];
			random_pledge(p, (int)rnd(0, nitem - 1), lo, span);
			p->date = d0 - 50;
			p->available = chance(50) ? d0 : d0 + 30;
			if (p->status == CANCELLED)
				p->status = COMMITTED;
			if (chance(30)) { /* delivered on the same day as the rest */
				p->ndel = 1;
				p->del[0].date = p->available;
				p->del[0].qty = (int)rnd(1, p->qty);
			}
		}
		for (int k = 0; k < nr; k++) {
			struct req *r = &rq[nreq++];
			random_req(r, 30, lo, span);
			if (r->cap == extra_cap)
				r->cap = 0;
			r->priority = prio;
			r->needed = d0;
		}
	} else if (!strcmp(mode, "multi")) {
		make_items(ni < 4 ? 4 : ni, 1); /* all items: capability a */
		for (int k = 0; k < np; k++) {
			random_pledge(&pl[npl], (int)rnd(0, nitem - 1), lo, span);
			random_deliveries(&pl[npl], 0, lo, span);
			npl++;
		}
		for (int k = 0; k < nr; k++) {
			random_req(&rq[nreq], 0, lo, span);
			rq[nreq].cap = 0;
			nreq++;
		}
	} else if (!strcmp(mode, "itemreq")) {
		make_items(ni < 4 ? 4 : ni, nc < 2 ? 1 : 2);
		for (int k = 0; k < np; k++) {
			random_pledge(&pl[npl], (int)rnd(0, nitem - 1), lo, span);
			random_deliveries(&pl[npl], 0, lo, span);
			npl++;
		}
		for (int k = 0; k < nr; k++)
			random_req(&rq[nreq++], 100, lo, span);
		/* and one by capability, so item and capability demand compete */
		if (nreq < MAXR) {
			random_req(&rq[nreq], 0, lo, span);
			rq[nreq++].cap = 0;
		}
	} else if (!strcmp(mode, "delivered")) {
		make_items(ni, nc);
		for (int k = 0; k < np; k++) {
			struct pledge *p = &pl[npl++];
			random_pledge(p, (int)rnd(0, nitem - 1), lo, span);
			if (p->status == CANCELLED)
				p->status = ANNOUNCED;
			random_deliveries(p, 1, lo, span);
		}
		for (int k = 0; k < nr; k++)
			random_req(&rq[nreq++], 35, lo, span);
	} else if (!strcmp(mode, "far")) {
		make_items(ni, nc);
		for (int k = 0; k < nr; k++) {
			random_req(&rq[nreq], 35, lo, 10);
			if (rq[nreq].cap == extra_cap)
				rq[nreq].cap = 0;
			nreq++;
		}
		/* supply 3640..3660 days after 2024-01-01..2024-01-11 */
		for (int k = 0; k < np; k++) {
			struct pledge *p = &pl[npl++];
			random_pledge(p, (int)rnd(0, nitem - 1), lo, span);
			p->date = lo;
			p->available = lo + 3640 + rnd(0, 30);
			if (p->status == CANCELLED)
				p->status = COMMITTED;
			if (chance(25)) {
				p->ndel = 1;
				p->del[0].date = lo + 3645 + rnd(0, 15);
				p->del[0].qty = (int)rnd(1, p->qty);
			}
		}
	} else {
		fprintf(stderr, "gen_instance: no mode '%s'\n", mode);
		exit(64);
	}
}

/* ---- training (docs/plan.md "## Training") ---- */

/* per skill (global index): a skill in qm's sense, that is a crew skill of
 * an item or trained by a course that is not cancelled; else its "training
 * requirements" are equipment that nothing supplies */
static int is_skill[MAXS * MAXPARTS];

/* Skills, crews on the part's items (I0, NI: its items, global indices),
 * courses and training requirements, of the part just generated. KIND:
 * crews (courses of every status, dated before and after the equipment),
 * noseats (no course at all), fewseats (one or two small courses a skill). */
static void add_training(const char *kind, int part, int i0, int ni)
{
	const long lo = BASE, span = 700;
	int few = !strcmp(kind, "fewseats"), none = !strcmp(kind, "noseats");
	if (!few && !none && strcmp(kind, "crews")) {
		fprintf(stderr, "gen_instance: no training kind '%s'\n", kind);
		exit(64);
	}
	int s0 = TS, ncrew = (int)rnd(1, 3);
	for (int i = i0; i < i0 + ni; i++)
		if (chance(70)) {
			IT[i].crew_skill = s0 + (int)rnd(0, ncrew - 1);
			IT[i].crew_size = (int)rnd(1, 3);
		}
	/* two items of one capability with different crews */
	for (int i = i0; i < i0 + ni; i++)
		for (int j = i + 1; j < i0 + ni; j++)
			if (IT[i].cap == IT[j].cap) {
				IT[i].crew_skill = s0;
				IT[i].crew_size = 2;
				IT[j].crew_skill = s0 + (ncrew > 1);
				IT[j].crew_size = 3;
				i = j = i0 + ni;
			}
	/* sometimes a skill that no item needs: courses and training requirements only */
	int ns = ncrew + (!none && chance(40));
	for (int k = 0; k < ns; k++) {
		SK[TS].part = part;
		SK[TS].lidx = k;
		TS++;
	}
	int nk = 0, nt = 0;
	for (int sk = s0; sk < s0 + ns; sk++) {
		int n = none ? 0 : few ? (int)rnd(0, 2) : (int)rnd(1, 6);
		for (int c = 0; c < n && nk < MAXK; c++) {
			struct course *k = &CO[TK++];
			k->skill = sk;
			k->provider = (int)rnd(0, NPARTY - 1);
			k->seats = few ? (int)rnd(1, 3) : (int)rnd(1, 60);
			k->start = lo - 150 + rnd(0, span + 350);
			k->end = k->start + (chance(15) ? 0 : rnd(1, 60));
			int st = (int)rnd(0, 99);
			k->status = st < 40 ? ANNOUNCED : st < 85 ? COMMITTED : CANCELLED;
			k->part = part;
			k->lidx = nk++;
		}
		for (int t = (int)rnd(0, 3); t > 0 && TR < MAXR * MAXPARTS; t--) {
			struct req *r = &RQ[TR++];
			memset(r, 0, sizeof *r);
			r->cap = -1;
			r->item = -1;
			r->skill = sk;
			r->qty = (int)rnd(1, 20);
			r->priority = (int)rnd(1, 5);
			r->needed = lo + rnd(0, span);
			r->part = part;
			r->lidx = nt++;
		}
	}
}

static void mark_skills(void)
{
	for (int i = 0; i < TI; i++)
		if (IT[i].crew_skill >= 0)
			is_skill[IT[i].crew_skill] = 1;
	for (int k = 0; k < TK; k++) /* cancelled courses too (docs/plan.md) */
		is_skill[CO[k].skill] = 1;
}

/* a requirement of stage 2 (seats), not of the equipment model */
static int training_req(const struct req *r)
{
	return r->skill >= 0 && is_skill[r->skill];
}

static int course_in_supply(const struct course *k)
{
	return k->status != CANCELLED && (!committed_only || k->status == COMMITTED);
}

/* ---- the model ---- */
struct group {
	int pledge;
	long date;
	int units;
	int delivered;
};

static struct group groups[MAXP * MAXPARTS * (MAXD + 1)];
static int ngroup;

static int in_supply(const struct pledge *p)
{
	if (p->item < 0 || p->qty <= 0 || p->status == CANCELLED)
		return 0;
	if (committed_only && p->status != COMMITTED)
		return 0;
	if (as_of >= 0 && p->date > as_of)
		return 0;
	return 1;
}

static void make_groups(void)
{
	ngroup = 0;
	for (int k = 0; k < TP; k++) {
		const struct pledge *p = &PL[k];
		if (!in_supply(p))
			continue;
		int left = p->qty;
		for (int d = 0; d < p->ndel; d++) {
			if (as_of >= 0 && p->del[d].date > as_of)
				continue;
			groups[ngroup].pledge = k;
			groups[ngroup].date = p->del[d].date;
			groups[ngroup].units = p->del[d].qty;
			groups[ngroup].delivered = 1;
			ngroup++;
			left -= p->del[d].qty;
		}
		if (left > 0) {
			groups[ngroup].pledge = k;
			groups[ngroup].date = p->available;
			groups[ngroup].units = left;
			groups[ngroup].delivered = 0;
			ngroup++;
		}
	}
}

static int compatible(int item, const struct req *r)
{
	if (r->skill >= 0)
		return 0; /* no item supplies a skill */
	if (r->item >= 0)
		return r->item == item;
	return r->cap == IT[item].cap;
}

static long weight(const struct req *r)
{
	return 1L << (5 - r->priority);
}

static long pair_cost(const struct group *g, const struct req *r)
{
	long late = g->date - r->needed;
	return weight(r) * (late > 0 ? late : 0);
}

/* one LP expression, broken into lines */
struct expr {
	FILE *f;
	int terms;
};

static void term(struct expr *e, long coef, const char *fmt, ...)
{
	va_list ap;
	if (e->terms > 0 && e->terms % 6 == 0)
		fputs("\n   ", e->f);
	fprintf(e->f, " %s %ld ", e->terms == 0 && coef >= 0 ? "" : "+", coef);
	va_start(ap, fmt);
	vfprintf(e->f, fmt, ap);
	va_end(ap);
	e->terms++;
}

/* in the part written (-1: all) */
static int g_in(int g, int part)
{
	return part < 0 || PL[groups[g].pledge].part == part;
}

static int r_in(int r, int part)
{
	return !training_req(&RQ[r]) && (part < 0 || RQ[r].part == part);
}

static int pair(int g, int r, int part)
{
	return g_in(g, part) && r_in(r, part) && compatible(PL[groups[g].pledge].item, &RQ[r]);
}

/* the model of one part (or of all) into NAME */
static long write_lp(const char *dir, const char *name, int part)
{
	FILE *f = open_out(dir, name);
	long pairs = 0;
	int ntrain = 0;
	for (int r = 0; r < TR; r++)
		ntrain += training_req(&RQ[r]);
	fprintf(f, "\\ qm plan instance: %d supply groups, %d requirements", ngroup, TR - ntrain);
	if (ntrain)
		fprintf(f, " (and %d of training, not here)", ntrain);
	if (part >= 0)
		fprintf(f, "; part %d of them only", part);
	fprintf(f, "\nMinimize\n obj:");
	struct expr e = {f, 0};
	term(&e, 0, "zero");
	for (int g = 0; g < ngroup; g++)
		for (int r = 0; r < TR; r++)
			if (pair(g, r, part)) {
				term(&e, pair_cost(&groups[g], &RQ[r]), "x%d_%d", g, r);
				pairs++;
			}
	for (int r = 0; r < TR; r++)
		if (r_in(r, part))
			term(&e, weight(&RQ[r]) * 3650, "u%d", r);
	fprintf(f, "\nSubject To\n keep: 1 zero = 0\n");
	for (int g = 0; g < ngroup; g++) {
		struct expr s = {f, 0};
		for (int r = 0; r < TR; r++)
			if (pair(g, r, part)) {
				if (s.terms == 0)
					fprintf(f, " s%d:", g);
				term(&s, 1, "x%d_%d", g, r);
			}
		if (s.terms > 0)
			fprintf(f, " <= %d\n", groups[g].units);
	}
	for (int r = 0; r < TR; r++) {
		if (!r_in(r, part))
			continue;
		struct expr d = {f, 0};
		fprintf(f, " d%d:", r);
		for (int g = 0; g < ngroup; g++)
			if (pair(g, r, part))
				term(&d, 1, "x%d_%d", g, r);
		term(&d, 1, "u%d", r);
		fprintf(f, " = %d\n", RQ[r].qty);
	}
	fprintf(f, "Bounds\n zero = 0\nGeneral\n");
	int n = 0;
	for (int g = 0; g < ngroup; g++)
		for (int r = 0; r < TR; r++)
			if (pair(g, r, part))
				fprintf(f, " x%d_%d%s", g, r, ++n % 8 == 0 ? "\n" : "");
	for (int r = 0; r < TR; r++)
		if (r_in(r, part))
			fprintf(f, " u%d%s", r, ++n % 8 == 0 ? "\n" : "");
	fprintf(f, "\nEnd\n");
	close_out(f);
	return pairs;
}

/* ---- the ledger files ---- */
static void pledge_id(int k, char out[24])
{
	snprintf(out, 24, "%sp-%03d", prefix(PL[k].part), PL[k].lidx);
}

static void write_files(const char *dir)
{
	char a[24], b[24];
	FILE *f = open_out(dir, "parties.csv");
	fprintf(f, "code,name,kind,ally,currency,source\n");
	for (int k = 0; k < NPARTY; k++)
		fprintf(f, "%s,%s,nation,yes,%s,plan test\n", party_code[k], party_name[k], party_cur[k]);
	close_out(f);

	f = open_out(dir, "items.csv");
	fprintf(f, "code,name,category,capability,unit,source,crew_skill,crew_size\n");
	for (int i = 0; i < TI; i++) {
		item_name(i, a);
		cap_name(IT[i].part, IT[i].lcap, b);
		fprintf(f, "%s,Item %d,equipment,%s,unit,plan test,", a, IT[i].lidx, b);
		if (IT[i].crew_skill >= 0) {
			skill_name(IT[i].crew_skill, b);
			fprintf(f, "%s,%d\n", b, IT[i].crew_size);
		} else {
			fprintf(f, ",\n");
		}
	}
	close_out(f);

	f = open_out(dir, "courses.csv");
	fprintf(f, "id,provider,skill,seats,start,end,location,status,source,note\n");
	for (int k = 0; k < TK; k++) {
		course_id(k, a);
		skill_name(CO[k].skill, b);
		fprintf(f, "%s,%s,%s,%d,%s,%s,%s,%s,plan test,%s\n", a, party_code[CO[k].provider], b,
			CO[k].seats, ds(CO[k].start), ds(CO[k].end), CO[k].lidx % 3 ? "" : "\"Range 2, North\"",
			status_name[CO[k].status], CO[k].lidx % 2 ? "" : "illustrative");
	}
	close_out(f);

	/* the supply of stage 2 for these options, and the skills */
	f = open_out(dir, "seats.csv");
	fprintf(f, "course,skill,seats,end\n");
	for (int k = 0; k < TK; k++)
		if (course_in_supply(&CO[k])) {
			course_id(k, a);
			skill_name(CO[k].skill, b);
			fprintf(f, "%s,%s,%d,%s\n", a, b, CO[k].seats, ds(CO[k].end));
		}
	close_out(f);
	f = open_out(dir, "skills.csv");
	fprintf(f, "skill\n");
	for (int k = 0; k < TS; k++)
		if (is_skill[k]) {
			skill_name(k, b);
			fprintf(f, "%s\n", b);
		}
	close_out(f);

	f = open_out(dir, "pledges.csv");
	fprintf(f, "id,donor,date,item,quantity,amount,currency,status,available,part_of,source\n");
	for (int k = 0; k < TP; k++) {
		const struct pledge *p = &PL[k];
		pledge_id(k, a);
		fprintf(f, "%s,%s,%s,", a, party_code[p->donor], ds(p->date));
		if (p->item >= 0) {
			item_name(p->item, b);
			fprintf(f, "%s,%d,", b, p->qty);
		} else {
			fprintf(f, ",,");
		}
		if (p->money)
			fprintf(f, "%ldm,EUR,", rnd(1, 500));
		else
			fprintf(f, ",,");
		fprintf(f, "%s,%s,", status_name[p->status], ds(p->available));
		if (p->part_of >= 0) {
			pledge_id(p->part_of, b);
			fprintf(f, "%s", b);
		}
		fprintf(f, ",plan test\n");
	}
	close_out(f);

	f = open_out(dir, "deliveries.csv");
	fprintf(f, "id,pledge,date,quantity,source\n");
	for (int k = 0; k < TP; k++) {
		pledge_id(k, a);
		for (int d = 0; d < PL[k].ndel; d++)
			fprintf(f, "%sd-%03d-%d,%s,%s,%d,plan test\n", prefix(PL[k].part), PL[k].lidx, d + 1, a,
				ds(PL[k].del[d].date),
				PL[k].del[d].qty);
	}
	close_out(f);

	f = open_out(dir, "requirements.csv");
	fprintf(f, "id,capability,item,quantity,priority,needed_by,source\n");
	for (int r = 0; r < TR; r++) {
		const struct req *q = &RQ[r];
		if (q->skill >= 0) {
			skill_name(q->skill, b);
			fprintf(f, "%st-%03d,%s,,", prefix(q->part), q->lidx, b);
		} else if (q->item >= 0) {
			item_name(q->item, b);
			fprintf(f, "%sr-%03d,,%s,", prefix(q->part), q->lidx, b);
		} else {
			cap_name(q->part, q->cap - capbase[q->part], b);
			fprintf(f, "%sr-%03d,%s,,", prefix(q->part), q->lidx, b);
		}
		fprintf(f, "%d,%d,%s,plan test\n", q->qty, q->priority, ds(q->needed));
	}
	close_out(f);

	f = open_out(dir, "args.txt");
	if (as_of >= 0)
		fprintf(f, "--as-of %s%s", ds(as_of), committed_only ? " " : "");
	if (committed_only)
		fprintf(f, "--committed-only");
	fprintf(f, "\n");
	close_out(f);

	f = open_out(dir, "groups.csv");
	fprintf(f, "pledge,item,available,units,delivered\n");
	for (int g = 0; g < ngroup; g++) {
		pledge_id(groups[g].pledge, a);
		item_name(PL[groups[g].pledge].item, b);
		fprintf(f, "%s,%s,%s,%d,%d\n", a, b, ds(groups[g].date), groups[g].units,
			groups[g].delivered);
	}
	close_out(f);
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_instance DIR SEED MODE [PLEDGES [REQUIREMENTS [ITEMS [CAPABILITIES [TRAINING]]]]]\n"
			"       gen_instance DIR SEED:MODE:PLEDGES:REQUIREMENTS:ITEMS:CAPABILITIES[:TRAINING]...\n");
	exit(64);
}

/* a whole number from lo to hi, or exit */
static long number(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == 0 || *end || v < lo || v > hi) {
		fprintf(stderr, "gen_instance: %s: a number from %ld to %ld, got '%s'\n", what, lo, hi, s);
		exit(64);
	}
	return v;
}

struct spec {
	unsigned long long seed;
	char mode[32];
	char training[16]; /* empty: none */
	int np, nr, ni, nc;
};

/* SEED:MODE:PLEDGES:REQUIREMENTS:ITEMS:CAPABILITIES */
static void parse_spec(const char *arg, struct spec *sp)
{
	char buf[256], *f[8];
	int n = 0;
	if (strlen(arg) >= sizeof buf)
		usage();
	strcpy(buf, arg);
	for (char *p = buf; n < 8;) {
		f[n++] = p;
		p = strchr(p, ':');
		if (!p)
			break;
		*p++ = 0;
	}
	if (n < 6 || n > 7 || strlen(f[1]) >= sizeof sp->mode || (n == 7 && strlen(f[6]) >= sizeof sp->training))
		usage();
	sp->training[0] = 0;
	if (n == 7)
		strcpy(sp->training, f[6]);
	sp->seed = (unsigned long long)number(f[0], 0, 2000000000L, "seed");
	strcpy(sp->mode, f[1]);
	sp->np = (int)number(f[2], 0, MAXP / 2, "pledges");
	sp->nr = (int)number(f[3], 0, MAXR - 1, "requirements");
	sp->ni = (int)number(f[4], 1, MAXI, "items");
	sp->nc = (int)number(f[5], 1, MAXC, "capabilities");
	if (sp->nc > sp->ni)
		sp->nc = sp->ni;
}

/* generate one part and add it to the whole instance */
static void add_part(const struct spec *sp)
{
	int part = nparts++;
	/* the mode is part of the stream, so that modes differ for one seed */
	rng_state = sp->seed * 0x100000001b3ULL;
	for (const char *m = sp->mode; *m; m++)
		rng_state = (rng_state ^ (unsigned char)*m) * 0x100000001b3ULL;

	items = &IT[TI];
	pl = &PL[TP];
	rq = &RQ[TR];
	/* the options are those the first part draws */
	long keep_as_of = as_of;
	int keep_committed = committed_only;
	generate(sp->mode, sp->np, sp->nr, sp->ni, sp->nc);
	if (part > 0) {
		as_of = keep_as_of;
		committed_only = keep_committed;
	}
	capbase[part] = TC;
	for (int i = 0; i < nitem; i++) {
		items[i].part = part;
		items[i].lidx = i;
		items[i].lcap = items[i].cap;
		items[i].cap += TC;
	}
	for (int k = 0; k < npl; k++) {
		pl[k].part = part;
		pl[k].lidx = k;
		if (pl[k].item >= 0)
			pl[k].item += TI;
		if (pl[k].part_of >= 0)
			pl[k].part_of += TP;
	}
	for (int r = 0; r < nreq; r++) {
		rq[r].part = part;
		rq[r].lidx = r;
		if (rq[r].item >= 0)
			rq[r].item += TI;
		if (rq[r].cap >= 0)
			rq[r].cap += TC;
	}
	TI += nitem;
	TC += ncap + 1; /* and the capability no item has */
	TP += npl;
	TR += nreq;
	if (sp->training[0])
		add_training(sp->training, part, TI - nitem, nitem);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		usage();
	const char *dir = argv[1];
	static struct spec specs[MAXPARTS];
	int nspecs = 0;
	if (strchr(argv[2], ':')) {
		if (argc - 2 > MAXPARTS)
			usage();
		for (int a = 2; a < argc; a++)
			parse_spec(argv[a], &specs[nspecs++]);
	} else {
		if (argc < 4 || argc > 9)
			usage();
		struct spec *sp = &specs[nspecs++];
		sp->seed = (unsigned long long)number(argv[2], 0, 2000000000L, "seed");
		if (strlen(argv[3]) >= sizeof sp->mode)
			usage();
		strcpy(sp->mode, argv[3]);
		sp->np = argc > 4 ? (int)number(argv[4], 0, MAXP / 2, "pledges") : 12;
		sp->nr = argc > 5 ? (int)number(argv[5], 0, MAXR - 1, "requirements") : 6;
		sp->ni = argc > 6 ? (int)number(argv[6], 1, MAXI, "items") : 6;
		sp->nc = argc > 7 ? (int)number(argv[7], 1, MAXC, "capabilities") : 3;
		if (sp->nc > sp->ni)
			sp->nc = sp->ni;
		if (argc > 8 && strlen(argv[8]) >= sizeof sp->training)
			usage();
		strcpy(sp->training, argc > 8 ? argv[8] : "");
	}

	BASE = days_from_civil(2024, 1, 1);
	nparts = nspecs; /* for the names; add_part counts them again */
	int total = nparts;
	nparts = 0;
	for (int k = 0; k < nspecs; k++)
		add_part(&specs[k]);
	nparts = total;
	mark_skills();
	make_groups();
	long pairs = write_lp(dir, "model.lp", -1);
	if (nparts > 1)
		for (int k = 0; k < nparts; k++) {
			char name[32];
			snprintf(name, sizeof name, "model-k%d.lp", k);
			write_lp(dir, name, k);
		}
	write_files(dir);

	long supply = 0, demand = 0, nodel = 0;
	for (int g = 0; g < ngroup; g++)
		supply += groups[g].units;
	long trainees = 0, seats = 0;
	int ntrain = 0;
	for (int r = 0; r < TR; r++)
		if (training_req(&RQ[r])) {
			trainees += RQ[r].qty;
			ntrain++;
		} else {
			demand += RQ[r].qty;
		}
	for (int k = 0; k < TK; k++)
		if (course_in_supply(&CO[k]))
			seats += CO[k].seats;
	for (int k = 0; k < TP; k++)
		nodel += PL[k].ndel;
	FILE *f = open_out(dir, "expected.txt");
	for (int k = 0; k < nspecs; k++)
		fprintf(f, "part %d: seed %llu mode %s sizes %d %d %d %d%s%s\n", k, specs[k].seed, specs[k].mode,
			specs[k].np, specs[k].nr, specs[k].ni, specs[k].nc, specs[k].training[0] ? " training " : "",
			specs[k].training);
	fprintf(f, "pledges %d\ndeliveries %ld\nrequirements %d\nitems %d\ncapabilities %d\n"
		   "supply_groups %d\nsupply_units %ld\ndemand_units %ld\npairs %ld\n",
		TP, nodel, TR - ntrain, TI, TC, ngroup, supply, demand, pairs);
	fprintf(f, "skills %d\ncourses %d\nseats %ld\ntraining_requirements %d\ntrainees_needed %ld\n", TS, TK,
		seats, ntrain, trainees);
	/* with no pair at all, everything is unmet */
	if (pairs == 0) {
		long obj = 0;
		for (int r = 0; r < TR; r++)
			if (!training_req(&RQ[r]))
				obj += weight(&RQ[r]) * 3650 * RQ[r].qty;
		fprintf(f, "objective %ld\n", obj);
	}
	close_out(f);
	return 0;
}
