/*
 * plan_solve.c - the plan as minimum-cost flows, one per capability.
 *
 * Capabilities do not interact, so each is its own problem (solved on two
 * threads). Units of one capability that become available on the same day
 * are interchangeable and lateness is linear in days, so each problem is a
 * time-expanded network rather than one arc per compatible pair: a forward
 * chain of the days that occur (units wait for free), and per priority a
 * backward chain whose arcs cost w x the days they span (a unit taken by a
 * requirement needed earlier than the unit is available pays w per day
 * late). Requirements that name an item get a chain of that item's own,
 * which feeds the capability's chain. Unmet units come from a shortage node
 * at w x 3650 each; unused units drain into a sink.
 *
 * The flow is then decomposed into assignments of supply groups (a pledge's
 * units available on one day) to requirements by sweeping the chains with
 * queues; any decomposition of an optimal flow costs exactly the optimum,
 * which is checked for every capability.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "plan_int.h"

struct group {
	int pledge, item, cap;
	qm_day day;
	int64_t units;
	int delivered;
};

struct batch {
	int group;
	int64_t units;
};

struct share { /* units of one group given to one requirement */
	int group, req;
	int64_t units;
};

struct cap_result {
	struct share *shares;
	size_t nshares, cap_shares;
	int64_t cost;
	int failed; /* QM_OK or a status */
};

struct solver {
	const struct plan_picture *pic;
	const struct plan_req *reqs; /* the picture's, then its crews' (stage 2) */
	size_t nreqs;
	unsigned char *skill;        /* per capability: 1 when it is a skill (stage 2) */
	int stage;                   /* the stage being solved: 0 equipment, 1 skills */
	struct group *groups;
	size_t ngroups;
	size_t *group_start; /* groups of capability c: [group_start[c], group_start[c + 1]) */
	int *req_order;      /* requirement indices by capability */
	size_t *req_start;
	int64_t *unmet;      /* per requirement */
	struct cap_result *results;
	size_t next_cap;
	pthread_mutex_t lock;
};

int64_t qm_plan_weight(int priority)
{
	return (int64_t)1 << (5 - priority);
}

/* ---- a queue of batches: push at the back, take from the back or front ---- */

struct queue {
	struct batch *b;
	size_t head, tail, cap;
};

static int q_push(struct queue *q, int group, int64_t units)
{
	if (units <= 0)
		return 0;
	if (q->tail == q->cap) {
		if (q->head > 0) {
			memmove(q->b, q->b + q->head, (q->tail - q->head) * sizeof(*q->b));
			q->tail -= q->head;
			q->head = 0;
		}
		if (q->tail == q->cap) {
			size_t c = q->cap ? q->cap * 2 : 64;
			struct batch *nb = realloc(q->b, c * sizeof(*nb));
			if (!nb)
				return -1;
			q->b = nb;
			q->cap = c;
		}
	}
	q->b[q->tail++] = (struct batch){group, units};
	return 0;
}

/* Take units from the back, calling take(ctx, group, units) for each piece. */
static int q_take(struct queue *q, int64_t units, int (*take)(void *, int, int64_t), void *ctx)
{
	while (units > 0) {
		if (q->tail == q->head)
			return -1; /* the flow does not balance: a bug */
		struct batch *b = &q->b[q->tail - 1];
		int64_t m = b->units < units ? b->units : units;
		if (take(ctx, b->group, m) < 0)
			return -1;
		b->units -= m;
		units -= m;
		if (b->units == 0)
			q->tail--;
	}
	return 0;
}

static void q_clear(struct queue *q)
{
	q->head = q->tail = 0;
}

/* ---- one capability ---- */

/*
 * A chain: forward over every day on which units become available or are
 * needed; per priority, backward over the days its requirements are needed
 * by. A unit on forward day x enters the backward chain of priority p at the
 * latest needed day D <= x, paying w x (x - D); each backward step from one
 * needed day to the one before pays w x the days between. So a unit
 * available on day a reaches a requirement needed by d at w x max(0, a - d),
 * through a number of nodes that grows with the days that occur, not with
 * the pairs.
 */
struct chain {
	int item;          /* -1 for the capability's own chain */
	qm_day *days;      /* forward days: sorted, distinct */
	size_t ndays;
	qm_day *back[5];   /* backward days of priority p + 1: the needed days */
	size_t nback[5];
	int first_fwd;     /* node of days[0] on the forward chain */
	int first_back[5]; /* node of back[p][0] */
	int *cross;        /* per forward day and priority: arc into the backward chain, or -1 */
	int *entry;        /* per forward day and priority: the backward day index it enters */
	int *feed;         /* item chains, per day: arc into the capability chain */
};

struct pending { /* a batch on its way: into a backward chain, or into the capability chain */
	int key;         /* chain * 8 + priority - 1, or -1 for the capability chain */
	int day;         /* day index on the chain it enters */
	int group;
	int64_t units;
	size_t seq;
};

struct cap_ctx {
	int req; /* requirement being served, for take_share */
	struct cap_result *res;
	struct pending *pend;
	size_t npend, cap_pend;
	int key, day;
};

static size_t day_index(const qm_day *days, size_t n, qm_day d)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (days[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_day(const void *a, const void *b)
{
	qm_day x = *(const qm_day *)a, y = *(const qm_day *)b;
	return (x > y) - (x < y);
}

static size_t uniq_days(qm_day *d, size_t n)
{
	qsort(d, n, sizeof(*d), cmp_day);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || d[k - 1] != d[i])
			d[k++] = d[i];
	return k;
}

static int take_share(void *vctx, int group, int64_t units)
{
	struct cap_ctx *c = vctx;
	struct share sh = {group, c->req, units};
	return plan_push((void **)&c->res->shares, &c->res->nshares, &c->res->cap_shares,
		sizeof(sh), &sh) < 0 ? -1 : 0;
}

static int take_pending(void *vctx, int group, int64_t units)
{
	struct cap_ctx *c = vctx;
	struct pending p = {c->key, c->day, group, units, c->npend};
	return plan_push((void **)&c->pend, &c->npend, &c->cap_pend, sizeof(p), &p) < 0 ? -1 : 0;
}

/* pending batches: by key, then latest day first (backward chains are swept
 * from their latest day; the capability chain's key -1 is swept forward, so
 * its day is stored negated), then in the order they were made */
static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	if (x->day != y->day)
		return (y->day > x->day) - (y->day < x->day);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* a group or requirement placed on a chain */
struct placed {
	int chain, prio, day; /* prio: requirements only, 0-4 */
	int index;            /* group index (into groups of the capability) or requirement */
};

static int cmp_placed_fwd(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	if (x->chain != y->chain)
		return x->chain - y->chain;
	if (x->day != y->day)
		return x->day - y->day;
	return x->index - y->index;
}

static int cmp_placed_back(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	if (x->chain != y->chain)
		return x->chain - y->chain;
	if (x->prio != y->prio)
		return x->prio - y->prio;
	if (x->day != y->day)
		return y->day - x->day;
	return x->index - y->index;
}

static int solve_cap(struct solver *s, int cap, struct cap_result *res)
{
	const int *reqs = s->req_order + s->req_start[cap];
	size_t nreqs = s->req_start[cap + 1] - s->req_start[cap];
	const struct group *groups = s->groups + s->group_start[cap];
	int group_base = (int)s->group_start[cap];
	size_t ngroups = s->group_start[cap + 1] - s->group_start[cap];
	int64_t supply = 0, demand = 0;
	int rc = QM_EINTERNAL;

	for (size_t g = 0; g < ngroups; g++)
		supply += groups[g].units;
	for (size_t r = 0; r < nreqs; r++)
		demand += s->reqs[reqs[r]].quantity;
	if (nreqs == 0)
		return QM_OK;
	if (ngroups == 0) {
		for (size_t r = 0; r < nreqs; r++) {
			const struct plan_req *q = &s->reqs[reqs[r]];
			s->unmet[reqs[r]] = q->quantity;
			res->cost += qm_plan_weight(q->priority) * QM_PLAN_UNMET_DAYS * q->quantity;
		}
		return QM_OK;
	}

	struct chain *chains = calloc(nreqs + 1, sizeof(*chains));
	size_t nchains = 1;
	struct qm_flow *f = qm_flow_new();
	int *req_arc = malloc(nreqs * sizeof(int)), *short_arc = malloc(nreqs * sizeof(int));
	struct placed *gp = malloc(ngroups * sizeof(*gp)), *rp = malloc(nreqs * sizeof(*rp));
	qm_day *alldays = malloc((ngroups + nreqs) * sizeof(qm_day));
	struct queue q = {0};
	struct cap_ctx cx = {0};
	char *is_supply = NULL;
	cx.res = res;
	if (!chains || !f || !req_arc || !short_arc || !gp || !rp || !alldays)
		goto out;

	/* chains: the capability's (0), then one per item that a requirement names */
	chains[0].item = -1;
	for (size_t r = 0; r < nreqs; r++) {
		const struct plan_req *q0 = &s->reqs[reqs[r]];
		size_t c = 0;
		if (q0->item >= 0) {
			for (c = 1; c < nchains && chains[c].item != q0->item; c++)
				;
			if (c == nchains)
				chains[nchains++].item = q0->item;
		}
		rp[r] = (struct placed){(int)c, q0->priority - 1, 0, (int)r};
	}
	for (size_t g = 0; g < ngroups; g++) {
		size_t c = 1;
		while (c < nchains && chains[c].item != groups[g].item)
			c++;
		gp[g] = (struct placed){c < nchains ? (int)c : 0, 0, 0, (int)g};
	}
	/* days of each chain: its units' and its requirements' days; the
	 * capability's chain has every day, so that item chains can feed it */
	for (size_t c = 0; c < nchains; c++) {
		size_t n = 0;
		for (size_t g = 0; g < ngroups; g++)
			if (c == 0 || gp[g].chain == (int)c)
				alldays[n++] = groups[g].day;
		for (size_t r = 0; r < nreqs; r++)
			if (c == 0 || rp[r].chain == (int)c)
				alldays[n++] = s->reqs[reqs[r]].needed;
		n = uniq_days(alldays, n);
		chains[c].days = malloc(n * sizeof(qm_day));
		chains[c].cross = malloc(n * 5 * sizeof(int));
		chains[c].entry = malloc(n * 5 * sizeof(int));
		chains[c].feed = malloc(n * sizeof(int));
		if (!chains[c].days || !chains[c].cross || !chains[c].entry || !chains[c].feed)
			goto out;
		memcpy(chains[c].days, alldays, n * sizeof(qm_day));
		chains[c].ndays = n;
		for (int p = 0; p < 5; p++) {
			size_t m = 0;
			for (size_t r = 0; r < nreqs; r++)
				if (rp[r].chain == (int)c && rp[r].prio == p)
					alldays[m++] = s->reqs[reqs[r]].needed;
			m = uniq_days(alldays, m);
			chains[c].nback[p] = m;
			if (m == 0)
				continue;
			chains[c].back[p] = malloc(m * sizeof(qm_day));
			if (!chains[c].back[p])
				goto out;
			memcpy(chains[c].back[p], alldays, m * sizeof(qm_day));
		}
	}
	for (size_t g = 0; g < ngroups; g++)
		gp[g].day = (int)day_index(chains[gp[g].chain].days, chains[gp[g].chain].ndays, groups[g].day);
	for (size_t r = 0; r < nreqs; r++)
		rp[r].day = (int)day_index(chains[rp[r].chain].back[rp[r].prio],
			chains[rp[r].chain].nback[rp[r].prio], s->reqs[reqs[r]].needed);
	qsort(gp, ngroups, sizeof(*gp), cmp_placed_fwd);

	/* nodes: forward and backward chains, the shortage, the sink, the requirements */
	int64_t inf = supply + demand;
	size_t gi = 0;
	for (size_t c = 0; c < nchains; c++) {
		struct chain *ch = &chains[c];
		for (size_t d = 0; d < ch->ndays; d++) {
			int64_t units = 0;
			for (; gi < ngroups && gp[gi].chain == (int)c && gp[gi].day == (int)d; gi++)
				units += groups[gp[gi].index].units;
			int node = qm_flow_node(f, units);
			if (d == 0)
				ch->first_fwd = node;
		}
		for (int p = 0; p < 5; p++) {
			ch->first_back[p] = -1;
			for (size_t d = 0; d < ch->nback[p]; d++) {
				int node = qm_flow_node(f, 0);
				if (d == 0)
					ch->first_back[p] = node;
			}
		}
	}
	int shortage = qm_flow_node(f, demand), sink = qm_flow_node(f, -supply);
	int first_req = -1;
	for (size_t r = 0; r < nreqs; r++) {
		int node = qm_flow_node(f, -s->reqs[reqs[r]].quantity);
		if (r == 0)
			first_req = node;
	}
	if (sink < 0 || first_req < 0)
		goto out;

	/* arcs */
	is_supply = calloc(chains[0].ndays + 1, 1);
	if (!is_supply)
		goto out;
	for (size_t g = 0; g < ngroups; g++)
		is_supply[day_index(chains[0].days, chains[0].ndays, groups[g].day)] = 1;
	gi = 0;
	for (size_t c = 0; c < nchains; c++) {
		struct chain *ch = &chains[c];
		size_t at = 0, k[5] = {0};
		for (int p = 0; p < 5; p++)
			for (size_t b = 0; b + 1 < ch->nback[p]; b++)
				qm_flow_arc(f, ch->first_back[p] + (int)b + 1, ch->first_back[p] + (int)b, inf,
					qm_plan_weight(p + 1) * (ch->back[p][b + 1] - ch->back[p][b]));
		for (size_t d = 0; d < ch->ndays; d++) {
			int fwd = ch->first_fwd + (int)d;
			if (d + 1 < ch->ndays)
				qm_flow_arc(f, fwd, fwd + 1, inf, 0);
			/* units enter the capability's chain on the days of every group,
			 * as item chains feed it on theirs */
			int supply_day = c == 0 ? is_supply[d]
				: gi < ngroups && gp[gi].chain == (int)c && gp[gi].day == (int)d;
			for (; gi < ngroups && gp[gi].chain == (int)c && gp[gi].day == (int)d; gi++)
				;
			for (int p = 0; p < 5; p++) {
				/* enter at the latest needed day on or before this day; only
				 * units that become available here need to (units that waited
				 * could have entered on their own day), and units that wait
				 * for a needed day of this priority */
				while (k[p] < ch->nback[p] && ch->back[p][k[p]] <= ch->days[d])
					k[p]++;
				ch->cross[d * 5 + (size_t)p] = -1;
				if (k[p] == 0 || (!supply_day && ch->back[p][k[p] - 1] != ch->days[d]))
					continue;
				ch->entry[d * 5 + (size_t)p] = (int)k[p] - 1;
				ch->cross[d * 5 + (size_t)p] = qm_flow_arc(f, fwd, ch->first_back[p] + (int)k[p] - 1,
					inf, qm_plan_weight(p + 1) * (ch->days[d] - ch->back[p][k[p] - 1]));
			}
			ch->feed[d] = -1;
			if (c > 0) {
				while (chains[0].days[at] < ch->days[d])
					at++;
				ch->feed[d] = qm_flow_arc(f, fwd, chains[0].first_fwd + (int)at, inf, 0);
			}
		}
	}
	qm_flow_arc(f, chains[0].first_fwd + (int)chains[0].ndays - 1, sink, inf, 0);
	int waste = qm_flow_arc(f, shortage, sink, demand, 0);
	for (size_t r = 0; r < nreqs; r++) {
		const struct plan_req *q0 = &s->reqs[reqs[r]];
		const struct chain *ch = &chains[rp[r].chain];
		req_arc[r] = qm_flow_arc(f, ch->first_back[rp[r].prio] + rp[r].day, first_req + (int)r,
			q0->quantity, 0);
		short_arc[r] = qm_flow_arc(f, shortage, first_req + (int)r, q0->quantity,
			qm_plan_weight(q0->priority) * QM_PLAN_UNMET_DAYS);
	}
	if (waste < 0 || short_arc[nreqs - 1] < 0)
		goto out;

	int64_t optimum;
	if (qm_flow_solve(f, &optimum) != QM_FLOW_OPTIMAL)
		goto out;

	/* decompose: sweep every forward chain (item chains first, as they feed
	 * the capability's), sending batches into backward chains; then sweep
	 * every backward chain from its latest day, serving requirements */
	gi = 0;
	size_t fed = 0; /* batches into the capability chain, sorted when it is swept */
	for (size_t c = nchains; c-- > 0;) {
		struct chain *ch = &chains[c];
		size_t g0 = 0;
		while (g0 < ngroups && gp[g0].chain != (int)c)
			g0++;
		if (c == 0) {
			/* the batches fed from item chains, earliest day first: key -1
			 * sorts first, and its days are stored negated */
			if (cx.npend)
				qsort(cx.pend, cx.npend, sizeof(*cx.pend), cmp_pending);
			fed = 0;
			while (fed < cx.npend && cx.pend[fed].key == -1)
				fed++;
		}
		q_clear(&q);
		size_t fi = 0;
		for (size_t d = 0; d < ch->ndays; d++) {
			if (c == 0)
				for (; fi < fed && -cx.pend[fi].day == (int)d; fi++)
					if (q_push(&q, cx.pend[fi].group, cx.pend[fi].units) < 0)
						goto out;
			for (; g0 < ngroups && gp[g0].chain == (int)c && gp[g0].day == (int)d; g0++)
				if (q_push(&q, group_base + gp[g0].index, groups[gp[g0].index].units) < 0)
					goto out;
			for (int p = 0; p < 5; p++) {
				int a = ch->cross[d * 5 + (size_t)p];
				if (a < 0)
					continue;
				cx.key = (int)c * 8 + p;
				cx.day = ch->entry[d * 5 + (size_t)p];
				if (q_take(&q, qm_flow_of(f, a), take_pending, &cx) < 0)
					goto out;
			}
			if (c > 0) {
				cx.key = -1;
				cx.day = -(int)day_index(chains[0].days, chains[0].ndays, ch->days[d]);
				if (q_take(&q, qm_flow_of(f, ch->feed[d]), take_pending, &cx) < 0)
					goto out;
			}
		}
	}
	if (cx.npend)
		qsort(cx.pend, cx.npend, sizeof(*cx.pend), cmp_pending);
	qsort(rp, nreqs, sizeof(*rp), cmp_placed_back);
	size_t pi = 0, ri = 0;
	while (pi < cx.npend && cx.pend[pi].key == -1)
		pi++;
	while (ri < nreqs) {
		int c = rp[ri].chain, p = rp[ri].prio, key = c * 8 + p;
		q_clear(&q);
		while (pi < cx.npend && cx.pend[pi].key < key)
			pi++;
		for (long d = (long)chains[c].nback[p] - 1; d >= 0; d--) {
			for (; pi < cx.npend && cx.pend[pi].key == key && cx.pend[pi].day == d; pi++)
				if (q_push(&q, cx.pend[pi].group, cx.pend[pi].units) < 0)
					goto out;
			for (; ri < nreqs && rp[ri].chain == c && rp[ri].prio == p && rp[ri].day == d; ri++) {
				cx.req = reqs[rp[ri].index];
				if (q_take(&q, qm_flow_of(f, req_arc[rp[ri].index]), take_share, &cx) < 0)
					goto out;
			}
		}
	}

	/* what the assignments cost must be the optimum */
	int64_t cost = 0;
	for (size_t r = 0; r < nreqs; r++) {
		const struct plan_req *q0 = &s->reqs[reqs[r]];
		s->unmet[reqs[r]] = qm_flow_of(f, short_arc[r]);
		cost += qm_plan_weight(q0->priority) * QM_PLAN_UNMET_DAYS * s->unmet[reqs[r]];
	}
	for (size_t i = 0; i < res->nshares; i++) {
		const struct share *sh = &res->shares[i];
		const struct plan_req *q0 = &s->reqs[sh->req];
		qm_day late = s->groups[sh->group].day - q0->needed;
		if (late > 0)
			cost += qm_plan_weight(q0->priority) * late * sh->units;
	}
	res->cost = cost;
	rc = cost == optimum ? QM_OK : QM_EINTERNAL;
out:
	free(q.b);
	free(cx.pend);
	if (chains)
		for (size_t c = 0; c < nchains; c++) {
			free(chains[c].days);
			free(chains[c].cross);
			free(chains[c].entry);
			free(chains[c].feed);
			for (int p = 0; p < 5; p++)
				free(chains[c].back[p]);
		}
	free(chains);
	free(req_arc);
	free(short_arc);
	free(gp);
	free(rp);
	free(alldays);
	free(is_supply);
	qm_flow_free(f);
	return rc;
}

/* ---- the whole picture ---- */

static void *worker(void *arg)
{
	struct solver *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->lock);
		size_t cap = s->next_cap++;
		pthread_mutex_unlock(&s->lock);
		if (cap >= s->pic->ncaps)
			return NULL;
		if (s->skill[cap] == s->stage)
			s->results[cap].failed = solve_cap(s, (int)cap, &s->results[cap]);
	}
}

/* Supply groups: each delivery's units on its date, the rest on the
 * pledge's available date. */
static int build_groups(const struct plan_picture *pic, int committed_only, struct solver *s)
{
	size_t capacity = 0;
	for (size_t i = 0; i < pic->npledges; i++) {
		const struct plan_pledge *p = &pic->pledges[i];
		if (p->status == PLAN_CANCELLED || (committed_only && p->status != PLAN_COMMITTED)
			|| (p->item < 0 && !p->course))
			continue;
		int cap = p->course ? p->skill : pic->items[p->item].cap;
		int64_t delivered = 0;
		for (size_t d = 0; d < p->ndeliveries; d++) {
			const struct plan_delivery *dv = &pic->deliveries[p->first_delivery + d];
			struct group g = {(int)i, p->item, cap, dv->date, dv->quantity, 1};
			delivered += dv->quantity;
			if (plan_push((void **)&s->groups, &s->ngroups, &capacity, sizeof(g), &g) < 0)
				return -1;
		}
		if (p->quantity > delivered) {
			struct group g = {(int)i, p->item, cap, p->available, p->quantity - delivered, 0};
			if (plan_push((void **)&s->groups, &s->ngroups, &capacity, sizeof(g), &g) < 0)
				return -1;
		}
	}
	/* by capability, keeping pledge order within one (a counting sort) */
	size_t *start = calloc(pic->ncaps + 1, sizeof(size_t));
	struct group *sorted = malloc((s->ngroups + 1) * sizeof(*sorted));
	if (!start || !sorted) {
		free(start);
		free(sorted);
		return -1;
	}
	for (size_t g = 0; g < s->ngroups; g++)
		start[s->groups[g].cap + 1]++;
	for (size_t c = 0; c < pic->ncaps; c++)
		start[c + 1] += start[c];
	for (size_t g = 0; g < s->ngroups; g++)
		sorted[start[s->groups[g].cap]++] = s->groups[g];
	free(start);
	free(s->groups);
	s->groups = sorted;
	return 0;
}

/* Requirements by capability, in s->reqs order (a counting sort). */
static int order_reqs(struct solver *s)
{
	size_t ncaps = s->pic->ncaps;
	free(s->req_order);
	s->req_order = malloc((s->nreqs + 1) * sizeof(int));
	size_t *filled = calloc(ncaps + 1, sizeof(size_t));
	if (!s->req_order || !filled) {
		free(filled);
		return -1;
	}
	memset(s->req_start, 0, (ncaps + 1) * sizeof(size_t));
	for (size_t r = 0; r < s->nreqs; r++)
		s->req_start[s->reqs[r].cap + 1]++;
	for (size_t c = 0; c < ncaps; c++)
		s->req_start[c + 1] += s->req_start[c];
	for (size_t r = 0; r < s->nreqs; r++) {
		int c = s->reqs[r].cap;
		s->req_order[s->req_start[c] + filled[c]++] = (int)r;
	}
	free(filled);
	return 0;
}

/* Solve the capabilities of one stage; capabilities are independent, so
 * two threads take them in turn. */
static void run_stage(struct solver *s, int stage)
{
	s->stage = stage;
	s->next_cap = 0;
	pthread_t helper;
	int helping = s->pic->ncaps > 1 && pthread_create(&helper, NULL, worker, s) == 0;
	worker(s);
	if (helping)
		pthread_join(helper, NULL);
}

/* crew demand sorted by the requirement it serves, skill and day */
static int cmp_crew(const void *a, const void *b)
{
	const struct plan_req *x = a, *y = b;
	if (x->crew_for != y->crew_for)
		return x->crew_for - y->crew_for;
	if (x->cap != y->cap)
		return x->cap - y->cap;
	return (x->needed > y->needed) - (x->needed < y->needed);
}

/* The most trainees one requirement's crews may need: a record's largest
 * quantity, so that costs stay far inside 64 bits. */
#define CREW_MAX 1000000000000LL

/* After the equipment stage: the picture's requirements followed by the
 * crews its equipment needs, one per requirement, skill and day, into
 * *all (the caller frees it). QM_EDATA when a crew is beyond CREW_MAX. */
static int add_crews(struct solver *s, struct plan_req **all, struct qm_error *err)
{
	const struct plan_picture *pic = s->pic;
	size_t n = pic->nreqs, cap = pic->nreqs + 1;
	struct plan_req *r = malloc(cap * sizeof(*r));
	if (!r)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	if (pic->nreqs)
		memcpy(r, pic->reqs, pic->nreqs * sizeof(*r));
	for (size_t c = 0; c < pic->ncaps; c++) {
		if (s->skill[c])
			continue;
		for (size_t i = 0; i < s->results[c].nshares; i++) {
			const struct share *sh = &s->results[c].shares[i];
			const struct group *g = &s->groups[sh->group];
			const struct plan_item *it = &pic->items[g->item];
			if (it->crew_size == 0)
				continue;
			const struct plan_req *q = &pic->reqs[sh->req];
			if (sh->units > CREW_MAX / it->crew_size) {
				free(r);
				return qm_error_set(err, QM_EDATA, "requirement '%s': %lld units of item '%s'"
					" need more than %lld trainees", q->id, (long long)sh->units, it->code,
					CREW_MAX);
			}
			struct plan_req crew = {q->id, it->crew_cap, -1, q->priority, g->day,
				it->crew_size * sh->units, 1, sh->req};
			if (plan_push((void **)&r, &n, &cap, sizeof(crew), &crew) < 0) {
				free(r);
				return qm_error_set(err, QM_EINTERNAL, "out of memory");
			}
		}
	}
	/* one per requirement, skill and day */
	qsort(r + pic->nreqs, n - pic->nreqs, sizeof(*r), cmp_crew);
	size_t k = pic->nreqs;
	for (size_t i = pic->nreqs; i < n; i++) {
		if (k > pic->nreqs && cmp_crew(&r[k - 1], &r[i]) == 0)
			r[k - 1].quantity += r[i].quantity;
		else
			r[k++] = r[i];
		if (r[k - 1].quantity > CREW_MAX) {
			const char *id = r[k - 1].id;
			free(r);
			return qm_error_set(err, QM_EDATA, "requirement '%s': its equipment needs more"
				" than %lld trainees", id, CREW_MAX);
		}
	}
	s->nreqs = k;
	*all = r;
	return QM_OK;
}

/* a requirement with its sort keys: most urgent first (priority, needed by, id) */
struct urgency {
	int priority;
	qm_day needed;
	const char *id;
	int index;
};

static int cmp_urgency(const void *a, const void *b)
{
	const struct urgency *x = a, *y = b;
	if (x->priority != y->priority)
		return x->priority - y->priority;
	if (x->needed != y->needed)
		return (x->needed > y->needed) - (x->needed < y->needed);
	return strcmp(x->id, y->id);
}

/* one share on its way out, with its sort keys: equipment assignments
 * first, then seats (crews after training requirements, by the day they are
 * needed) */
struct out_share {
	int rank;       /* the served requirement's place in urgency order */
	int req, group;
	int seat, crew;
	const char *pledge;
	qm_day day, needed;
	int delivered;
	int64_t units;
};

static int cmp_out_share(const void *a, const void *b)
{
	const struct out_share *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->seat != y->seat)
		return x->seat - y->seat;
	if (x->crew != y->crew)
		return x->crew - y->crew;
	int c = strcmp(x->pledge, y->pledge);
	if (c)
		return c;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	if (x->needed != y->needed)
		return (x->needed > y->needed) - (x->needed < y->needed);
	return x->delivered - y->delivered;
}

static int same_slot(const struct out_share *x, const struct out_share *y)
{
	return x->rank == y->rank && x->seat == y->seat && x->crew == y->crew
		&& strcmp(x->pledge, y->pledge) == 0 && x->day == y->day && x->needed == y->needed
		&& x->delivered == y->delivered;
}

static qm_day late_days(qm_day available, qm_day needed)
{
	return available > needed ? available - needed : 0;
}

/* Add one merged share to the plan: an assignment or seats, and what it
 * does for its requirement. */
static int add_share(struct qm_plan *plan, const struct plan_picture *pic, const struct solver *s,
	const struct out_share *sh, int merge)
{
	const struct group *g = &s->groups[sh->group];
	const struct plan_req *q = &s->reqs[sh->req];
	struct qm_plan_requirement *pr = &plan->requirements[sh->rank];
	int64_t cost = qm_plan_weight(q->priority) * late_days(g->day, q->needed) * sh->units;
	pr->cost += cost;
	if (sh->seat) {
		if (merge) {
			plan->seats[plan->nseats - 1].trainees += sh->units;
		} else {
			struct qm_plan_seat *st = &plan->seats[plan->nseats++];
			*st = (struct qm_plan_seat){sh->pledge, q->id, pic->caps[q->cap], sh->units, q->needed,
				g->day, late_days(g->day, q->needed), sh->crew};
		}
	} else if (merge) {
		plan->assignments[plan->nassignments - 1].quantity += sh->units;
	} else {
		struct qm_plan_assignment *a = &plan->assignments[plan->nassignments++];
		*a = (struct qm_plan_assignment){sh->pledge, q->id, sh->units, g->day,
			late_days(g->day, q->needed), g->delivered};
	}
	if (sh->crew) {
		pr->crew_assigned += sh->units;
		if (!pr->has_ready || g->day > pr->ready)
			pr->ready = g->day;
		pr->has_ready = 1;
		return 0;
	}
	pr->assigned += sh->units;
	if (g->delivered)
		pr->delivered += sh->units;
	if (!pr->has_expected || g->day > pr->expected)
		pr->expected = g->day;
	pr->has_expected = 1;
	return 0;
}

static int cmp_skill(const void *a, const void *b)
{
	return strcmp(((const struct qm_plan_skill *)a)->skill, ((const struct qm_plan_skill *)b)->skill);
}

/* Seats, demand and shortage per skill, by skill code. */
static int skill_summary(struct qm_plan *plan, const struct plan_picture *pic, const struct solver *s)
{
	int *at = malloc((pic->ncaps + 1) * sizeof(int));
	plan->skills = calloc(pic->ncaps + 1, sizeof(*plan->skills));
	if (!at || !plan->skills) {
		free(at);
		return -1;
	}
	for (size_t c = 0; c < pic->ncaps; c++)
		if (s->skill[c]) {
			at[c] = (int)plan->nskills;
			plan->skills[plan->nskills++].skill = pic->caps[c];
		}
	for (size_t g = 0; g < s->ngroups; g++)
		if (s->skill[s->groups[g].cap] && pic->pledges[s->groups[g].pledge].course)
			plan->skills[at[s->groups[g].cap]].seats += s->groups[g].units;
	for (size_t r = 0; r < s->nreqs; r++) {
		const struct plan_req *q = &s->reqs[r];
		if (!s->skill[q->cap])
			continue;
		struct qm_plan_skill *k = &plan->skills[at[q->cap]];
		k->needed += q->quantity;
		if (q->crew)
			k->crew_needed += q->quantity;
		k->unmet += s->unmet[r];
		k->assigned += q->quantity - s->unmet[r];
	}
	free(at);
	qsort(plan->skills, plan->nskills, sizeof(*plan->skills), cmp_skill);
	return 0;
}

int plan_solve(const struct plan_picture *pic, int committed_only, struct qm_plan **out,
	struct qm_error *err)
{
	struct solver s;
	struct qm_plan *plan = calloc(1, sizeof(*plan));
	int rc = QM_OK, skills = 0;
	int *rank = NULL;
	struct out_share *shares = NULL;
	struct plan_req *all = NULL;

	memset(&s, 0, sizeof(s));
	s.pic = pic;
	s.reqs = pic->reqs;
	s.nreqs = pic->nreqs;
	pthread_mutex_init(&s.lock, NULL);
	s.group_start = calloc(pic->ncaps + 1, sizeof(size_t));
	s.req_start = calloc(pic->ncaps + 1, sizeof(size_t));
	s.skill = calloc(pic->ncaps + 1, 1);
	s.unmet = calloc(pic->nreqs + 1, sizeof(int64_t));
	s.results = calloc(pic->ncaps + 1, sizeof(*s.results));
	rank = malloc((pic->nreqs + 1) * sizeof(int));
	if (!plan || !s.group_start || !s.req_start || !s.skill || !s.unmet || !s.results || !rank
		|| build_groups(pic, committed_only, &s) < 0 || order_reqs(&s) < 0)
		goto oom;
	for (size_t g = 0; g < s.ngroups; g++)
		s.group_start[s.groups[g].cap + 1]++;
	for (size_t c = 0; c < pic->ncaps; c++)
		s.group_start[c + 1] += s.group_start[c];
	/* skills: what courses train and crews need; planned second */
	for (size_t i = 0; i < pic->npledges; i++)
		if (pic->pledges[i].course)
			s.skill[pic->pledges[i].skill] = 1;
	for (size_t i = 0; i < pic->nitems; i++)
		if (pic->items[i].crew_size > 0)
			s.skill[pic->items[i].crew_cap] = 1;
	for (size_t c = 0; c < pic->ncaps; c++)
		skills |= s.skill[c];

	/* stage 1, equipment; stage 2, seats for training requirements and for
	 * the crews of the equipment that stage 1 assigned */
	run_stage(&s, 0);
	if (skills) {
		int64_t *unmet;
		if ((rc = add_crews(&s, &all, err)) != QM_OK)
			goto out;
		if (!(unmet = realloc(s.unmet, (s.nreqs + 1) * sizeof(int64_t))))
			goto oom;
		memset(unmet + pic->nreqs, 0, (s.nreqs + 1 - pic->nreqs) * sizeof(int64_t));
		s.unmet = unmet;
		s.reqs = all;
		if (order_reqs(&s) < 0)
			goto oom;
		run_stage(&s, 1);
	}
	for (size_t c = 0; c < pic->ncaps; c++)
		if (s.results[c].failed != QM_OK) {
			rc = qm_error_set(err, s.results[c].failed,
				"the plan for capability '%s' could not be solved exactly (a bug)", pic->caps[c]);
			goto out;
		}

	/* requirements, most urgent first */
	plan->nrequirements = pic->nreqs;
	plan->requirements = calloc(pic->nreqs + 1, sizeof(*plan->requirements));
	struct urgency *order = malloc((pic->nreqs + 1) * sizeof(*order));
	if (!plan->requirements || !order) {
		free(order);
		goto oom;
	}
	for (size_t r = 0; r < pic->nreqs; r++)
		order[r] = (struct urgency){pic->reqs[r].priority, pic->reqs[r].needed, pic->reqs[r].id, (int)r};
	qsort(order, pic->nreqs, sizeof(*order), cmp_urgency);
	for (size_t i = 0; i < pic->nreqs; i++) {
		const struct plan_req *q = &pic->reqs[order[i].index];
		struct qm_plan_requirement *pr = &plan->requirements[i];
		rank[order[i].index] = (int)i;
		pr->id = q->id;
		pr->item = q->item >= 0 ? pic->items[q->item].code : NULL;
		pr->capability = q->item >= 0 ? NULL : pic->caps[q->cap];
		pr->priority = q->priority;
		pr->needed_by = q->needed;
		pr->needed = q->quantity;
		pr->unmet = s.unmet[order[i].index];
		pr->cost = qm_plan_weight(q->priority) * QM_PLAN_UNMET_DAYS * pr->unmet;
		plan->needed_total += pr->needed;
		plan->unmet_total += pr->unmet;
	}
	free(order);
	for (size_t r = pic->nreqs; r < s.nreqs; r++) { /* crews */
		const struct plan_req *q = &s.reqs[r];
		struct qm_plan_requirement *pr = &plan->requirements[rank[q->crew_for]];
		pr->crew_needed += q->quantity;
		pr->crew_unmet += s.unmet[r];
		pr->cost += qm_plan_weight(q->priority) * QM_PLAN_UNMET_DAYS * s.unmet[r];
	}

	/* assignments and seats: every share, merged per requirement, supply,
	 * day and kind */
	size_t nshares = 0;
	for (size_t c = 0; c < pic->ncaps; c++) {
		nshares += s.results[c].nshares;
		plan->objective += s.results[c].cost;
		if (s.skill[c])
			plan->training_objective += s.results[c].cost;
	}
	shares = malloc((nshares + 1) * sizeof(*shares));
	plan->assignments = calloc(nshares + 1, sizeof(*plan->assignments));
	plan->seats = calloc(nshares + 1, sizeof(*plan->seats));
	if (!shares || !plan->assignments || !plan->seats)
		goto oom;
	size_t k = 0;
	for (size_t c = 0; c < pic->ncaps; c++)
		for (size_t i = 0; i < s.results[c].nshares; i++) {
			const struct share *sh = &s.results[c].shares[i];
			const struct group *g = &s.groups[sh->group];
			const struct plan_req *q = &s.reqs[sh->req];
			const struct plan_pledge *p = &pic->pledges[g->pledge];
			shares[k++] = (struct out_share){rank[q->crew ? q->crew_for : sh->req], sh->req, sh->group,
				p->course || q->crew, q->crew, p->id, g->day, q->needed, g->delivered, sh->units};
		}
	/* by requirement (a counting sort on its rank), then by kind, supply and day */
	{
		size_t *start = calloc(pic->nreqs + 1, sizeof(size_t));
		struct out_share *sorted = malloc((nshares + 1) * sizeof(*sorted));
		if (!start || !sorted) {
			free(start);
			free(sorted);
			goto oom;
		}
		for (size_t i = 0; i < nshares; i++)
			start[shares[i].rank + 1]++;
		for (size_t r = 0; r < pic->nreqs; r++)
			start[r + 1] += start[r];
		for (size_t i = 0; i < nshares; i++)
			sorted[start[shares[i].rank]++] = shares[i];
		free(shares);
		shares = sorted;
		for (size_t i = 0, j; i < nshares; i = j) {
			for (j = i + 1; j < nshares && shares[j].rank == shares[i].rank; j++)
				;
			qsort(shares + i, j - i, sizeof(*shares), cmp_out_share);
		}
		free(start);
	}
	for (size_t i = 0; i < nshares; i++)
		add_share(plan, pic, &s, &shares[i], i > 0 && same_slot(&shares[i - 1], &shares[i]));
	if (skill_summary(plan, pic, &s) < 0)
		goto oom;
	/* ready: the equipment there and its crews trained */
	for (size_t i = 0; i < plan->nrequirements; i++) {
		struct qm_plan_requirement *pr = &plan->requirements[i];
		qm_day trained = pr->ready;
		int crews = pr->has_ready;
		if (pr->unmet > 0)
			pr->has_expected = 0;
		pr->has_ready = pr->has_expected && pr->crew_unmet == 0;
		pr->ready = crews && trained > pr->expected ? trained : pr->expected;
		plan->assigned_total += pr->assigned;
	}
	goto out;
oom:
	rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
out:
	for (size_t c = 0; s.results && c < pic->ncaps; c++)
		free(s.results[c].shares);
	free(s.results);
	free(s.groups);
	free(s.group_start);
	free(s.req_start);
	free(s.req_order);
	free(s.skill);
	free(s.unmet);
	free(all);
	free(rank);
	free(shares);
	pthread_mutex_destroy(&s.lock);
	if (rc != QM_OK) {
		qm_plan_free(plan);
		return rc;
	}
	*out = plan;
	return QM_OK;
}
