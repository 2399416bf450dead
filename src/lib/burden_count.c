/*
 * burden_count.c - what each ally bound by a framework counted in its
 * period, and the lines behind it.
 *
 * A pledge counts in the package it is counted in (its counted_in, set by
 * valuation.c), so a package that states an amount counts once and never
 * again through its parts. A pledge (or package) whose status reaches the
 * framework's level counts as a whole, at its counted value, on its date.
 * One whose status does not (an announced pledge under committed, any pledge
 * under delivered, a cancelled one) counts what was delivered against it,
 * on each delivery's date: the delivered quantity at the pledge's unit
 * value; for a package, its value in proportion to the own value of its
 * parts delivered. Values are cumulative and rounded once per step, so a
 * pledge delivered in full counts exactly its value. The rules are in
 * docs/burden.md.
 */
#include <stdlib.h>
#include <string.h>

#include "qm/money.h"
#include "burden_int.h"
#include "ledger_int.h"
#include "strmap.h"

struct pl {
	char *id, *item, *status, *cost_type, *channel, *valuation, *source;
	qm_day date;
	int64_t qty, value, own;
	int holder; /* the pledge it counts in: itself, or its package */
	int row;    /* row of its donor, -1 when the framework does not bind it */
	int rank;   /* announced 0, committed 1, cancelled -1 */
	int64_t cum;             /* units delivered so far */
	int64_t x, xu, s, q;     /* a package: parts' own value and units delivered, and in all */
	int64_t counted;         /* value counted so far through deliveries */
};

struct counter {
	struct qm_burden *b;
	struct pl *p;
	size_t np;
	struct strmap ids;
	int level; /* announced 0, committed 1, delivered 2 */
	size_t cap;
};

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int rank_of(const char *status)
{
	return strcmp(status, "announced") == 0 ? 0 : strcmp(status, "committed") == 0 ? 1 : -1;
}

/* Every pledge, with the details of those whose donor is bound; *counted_in
 * (one per pledge, caller frees) gets the package each counts in. */
static int load_pledges(struct counter *c, struct qm_ledger *l, char ***counted_in,
	struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, "SELECT id, donor, date, item, quantity, status,"
		" cost_type, channel, source, coalesce(value_eur_cents, 0),"
		" coalesce(own_value_eur_cents, 0), valuation, counted_in FROM pledges ORDER BY id", &st, err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	size_t cap = 0;
	int step;
	*counted_in = NULL;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		if (c->np == cap) {
			cap = cap ? cap * 2 : 256;
			struct pl *np = realloc(c->p, sizeof(*np) * cap);
			char **nc = realloc(*counted_in, sizeof(*nc) * cap);
			if (np)
				c->p = np;
			if (nc)
				*counted_in = nc;
			if (!np || !nc)
				goto oom;
		}
		struct pl *p = &c->p[c->np];
		memset(p, 0, sizeof(*p));
		(*counted_in)[c->np] = NULL;
		p->row = qm_burden_row_of(c->b, qm_stmt_text(st, 1));
		p->id = strdup(qm_stmt_text(st, 0));
		qm_date_parse(qm_stmt_text(st, 2), &p->date);
		p->qty = qm_stmt_is_null(st, 4) ? 0 : qm_stmt_int(st, 4);
		p->rank = rank_of(qm_stmt_text(st, 5));
		p->value = qm_stmt_int(st, 9);
		p->own = qm_stmt_int(st, 10);
		p->holder = (int)c->np;
		if (p->row >= 0) {
			p->item = dup(qm_stmt_is_null(st, 3) ? NULL : qm_stmt_text(st, 3));
			p->status = dup(qm_stmt_text(st, 5));
			p->cost_type = dup(qm_stmt_text(st, 6));
			p->channel = dup(qm_stmt_text(st, 7));
			p->source = dup(qm_stmt_is_null(st, 8) ? NULL : qm_stmt_text(st, 8));
			p->valuation = dup(qm_stmt_is_null(st, 11) ? NULL : qm_stmt_text(st, 11));
		}
		c->np++;
		if (!qm_stmt_is_null(st, 12) && !((*counted_in)[c->np - 1] = strdup(qm_stmt_text(st, 12))))
			goto oom;
		struct strmap_entry *e = p->id ? strmap_put(&c->ids, p->id, NULL) : NULL;
		if (!e)
			goto oom;
		e->num = (int64_t)(c->np - 1);
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
oom:
	qm_stmt_finalize(st);
	return qm_error_set(err, QM_EINTERNAL, "out of memory");
}

/* Add a line for pledge (holder) h; delivery d (may be NULL) against part p. */
static struct qm_burden_line *add_line(struct counter *c, const struct pl *h, int counted,
	qm_day date, int64_t value, const char *reason)
{
	struct qm_burden *b = c->b;
	if (b->nlines == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct qm_burden_line *nl = realloc(b->lines, sizeof(*nl) * cap);
		if (!nl)
			return NULL;
		b->lines = nl;
		c->cap = cap;
	}
	struct qm_burden_line *ln = &b->lines[b->nlines];
	memset(ln, 0, sizeof(*ln));
	ln->row = h->row;
	ln->counted = counted;
	ln->date = date;
	ln->value_eur_cents = value;
	ln->reason = reason;
	ln->quantity = h->qty;
	if (!(ln->pledge = strdup(h->id)) || (h->status && !(ln->status = strdup(h->status)))
		|| (h->cost_type && !(ln->cost_type = strdup(h->cost_type)))
		|| (h->channel && !(ln->channel = strdup(h->channel)))
		|| (h->item && !(ln->item = strdup(h->item)))
		|| (h->valuation && !(ln->valuation = strdup(h->valuation)))
		|| (h->source && !(ln->source = strdup(h->source)))) {
		b->nlines++; /* so that what was copied is freed */
		return NULL;
	}
	b->nlines++;
	return ln;
}

static int in_period(const struct qm_burden *b, qm_day d)
{
	return d >= b->start && d <= b->end;
}

/* Pledges dated in the period: counted as a whole, or why not. */
static int count_pledges(struct counter *c)
{
	struct qm_burden *b = c->b;
	for (size_t i = 0; i < c->np; i++) {
		struct pl *p = &c->p[i];
		if (p->row < 0 || !in_period(b, p->date))
			continue;
		const struct pl *h = &c->p[p->holder];
		const char *why;
		int counted = 0;
		if (p->holder != (int)i)
			why = "a part of a package that states its amount: counts in the package";
		else if (!qm_burden_in_list(b->cost_types, p->cost_type))
			why = "its cost type does not count under this framework";
		else if (p->rank >= c->level) {
			counted = 1;
			why = p->valuation ? "pledged in the period, with a status that counts"
				: "pledged in the period, but has no value (its item has no unit price)";
		} else if (p->rank < 0)
			why = "cancelled: only what was delivered counts";
		else if (c->level == 2)
			why = p->qty ? "counts as it is delivered" : "pledges money, which is never delivered";
		else
			why = "announced: counts once committed, or as it is delivered";
		struct qm_burden_line *ln = add_line(c, p, counted, p->date, counted ? p->value : 0, why);
		if (!ln)
			return -1;
		if (p->holder != (int)i && !(ln->via = strdup(h->id)))
			return -1;
	}
	return 0;
}

/* A package's sums over the parts with a quantity that count in it. */
static void sum_parts(struct counter *c)
{
	for (size_t i = 0; i < c->np; i++) {
		struct pl *p = &c->p[i];
		if (p->holder != (int)i && p->qty > 0) {
			c->p[p->holder].s += p->own;
			c->p[p->holder].q += p->qty;
		}
	}
}

/* Deliveries of pledges whose status does not count as a whole. */
static int count_deliveries(struct counter *c, struct qm_ledger *l, struct qm_error *err)
{
	struct qm_burden *b = c->b;
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store,
		"SELECT id, pledge, date, quantity, source FROM deliveries ORDER BY date, id", &st, err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	int step;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct strmap_entry *e = strmap_get(&c->ids, qm_stmt_text(st, 1));
		if (!e)
			continue;
		struct pl *p = &c->p[e->num], *h = &c->p[p->holder];
		if (h->row < 0 || h->rank >= c->level || !qm_burden_in_list(b->cost_types, h->cost_type)
			|| p->qty <= 0)
			continue;
		int64_t qty = qm_stmt_int(st, 3), now;
		if (p == h) {
			p->cum += qty;
			now = qm_muldiv_round(h->value, p->cum, p->qty);
		} else {
			int64_t before = qm_muldiv_round(p->own, p->cum, p->qty);
			p->cum += qty;
			h->x += qm_muldiv_round(p->own, p->cum, p->qty) - before;
			h->xu += qty;
			now = h->s > 0 ? qm_muldiv_round(h->value, h->x, h->s)
				: qm_muldiv_round(h->value, h->xu, h->q);
		}
		int64_t delta = now - h->counted;
		h->counted = now;
		qm_day day;
		qm_date_parse(qm_stmt_text(st, 2), &day);
		if (!in_period(b, day))
			continue;
		struct qm_burden_line *ln = add_line(c, h, 1, day, delta,
			h->valuation ? "delivered in the period" : "delivered in the period, but has no value");
		if (!ln || !(ln->delivery = strdup(qm_stmt_text(st, 0)))
			|| (p != h && !(ln->via = strdup(p->id)))) {
			qm_stmt_finalize(st);
			return qm_error_set(err, QM_EINTERNAL, "out of memory");
		}
		ln->quantity = qty;
		if (!qm_stmt_is_null(st, 4)) {
			free(ln->source);
			if (!(ln->source = strdup(qm_stmt_text(st, 4)))) {
				qm_stmt_finalize(st);
				return qm_error_set(err, QM_EINTERNAL, "out of memory");
			}
		}
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

static int cmp_line(const void *va, const void *vb)
{
	const struct qm_burden_line *a = va, *b = vb;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	int c = strcmp(a->pledge, b->pledge);
	if (c)
		return c;
	if (!a->delivery || !b->delivery)
		return (a->delivery != NULL) - (b->delivery != NULL);
	return strcmp(a->delivery, b->delivery);
}

static void total(struct qm_burden *b)
{
	for (size_t i = 0; i < b->nlines; i++) {
		const struct qm_burden_line *ln = &b->lines[i];
		if (!ln->counted)
			continue;
		struct qm_burden_row *r = &b->rows[ln->row];
		if (ln->source && strncmp(ln->source, QM_KIEL_SOURCE, strlen(QM_KIEL_SOURCE)) == 0) {
			b->kiel_counted_eur_cents += ln->value_eur_cents;
			b->kiel_lines++;
		}
		if (!ln->valuation)
			b->unvalued_lines++;
		r->counted_eur_cents += ln->value_eur_cents;
		b->counted_eur_cents += ln->value_eur_cents;
		for (int k = 0; k < b->nperiods; k++)
			if (ln->date >= b->periods[k].start && ln->date <= b->periods[k].end) {
				r->by_period[k] += ln->value_eur_cents;
				b->periods[k].counted_eur_cents += ln->value_eur_cents;
			}
	}
}

int qm_burden_count(struct qm_ledger *l, struct qm_burden *b, struct qm_error *err)
{
	struct counter c = {.b = b};
	char **counted_in = NULL;
	strmap_init(&c.ids);
	c.level = strcmp(b->counts, "announced") == 0 ? 0 : strcmp(b->counts, "committed") == 0 ? 1 : 2;
	int rc = load_pledges(&c, l, &counted_in, err);
	for (size_t i = 0; rc == QM_OK && i < c.np; i++) {
		struct strmap_entry *e = counted_in[i] ? strmap_get(&c.ids, counted_in[i]) : NULL;
		if (e)
			c.p[i].holder = (int)e->num;
	}
	if (rc == QM_OK) {
		sum_parts(&c);
		if (count_pledges(&c) < 0)
			rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
	}
	if (rc == QM_OK)
		rc = count_deliveries(&c, l, err);
	if (rc == QM_OK) {
		if (b->nlines)
			qsort(b->lines, b->nlines, sizeof(*b->lines), cmp_line);
		total(b);
	}
	for (size_t i = 0; i < c.np; i++) {
		struct pl *p = &c.p[i];
		free(p->id);
		free(p->item);
		free(p->status);
		free(p->cost_type);
		free(p->channel);
		free(p->valuation);
		free(p->source);
		if (counted_in)
			free(counted_in[i]);
	}
	free(counted_in);
	free(c.p);
	strmap_release(&c.ids, NULL);
	return rc;
}
