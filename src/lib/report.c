/*
 * report.c - the coordination report as a JSON value: pledges and value by
 * status, top donors with their share of GDP, value by cost type, channel
 * and valuation, delivered against pledged per item, pledged against
 * required per capability, the plan's coverage, the training section
 * (report_training.c) when there are courses or crews, and the data
 * findings counted. Counted value is
 * that of pledges not cancelled (parts of a valued package count through
 * it). The pledges are read in one pass and tallied here, so the report
 * costs one scan of the largest table whatever the number of sections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/check.h"
#include "qm/date.h"
#include "qm/money.h"
#include "qm/plan.h"
#include "qm/report.h"
#include "ledger_int.h"

#define TOP_DONORS 10

struct tally {
	int64_t pledges, value, quantity, delivered, required;
	const char *key; /* the map's copy */
	char *name, *capability;
};

static struct tally *tally_of(struct strmap *m, const char *key)
{
	struct strmap_entry *e = strmap_put(m, key ? key : "", NULL);
	if (!e)
		return NULL;
	if (!e->ptr) {
		struct tally *t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		t->key = e->key;
		e->ptr = t;
	}
	return e->ptr;
}

static void free_tally(void *p)
{
	struct tally *t = p;
	if (t) {
		free(t->name);
		free(t->capability);
	}
	free(t);
}

/* The map's tallies as an array the caller frees. */
static struct tally **tallies(const struct strmap *m, size_t *n)
{
	struct tally **a = calloc(m->count + 1, sizeof(*a));
	*n = 0;
	for (size_t i = 0; a && i < m->cap; i++)
		if (m->slots[i].key)
			a[(*n)++] = m->slots[i].ptr;
	return a;
}

static int by_key(const void *x, const void *y)
{
	return strcmp((*(struct tally *const *)x)->key, (*(struct tally *const *)y)->key);
}

static int by_value_then_key(const void *x, const void *y)
{
	const struct tally *a = *(struct tally *const *)x, *b = *(struct tally *const *)y;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int by_capability_then_key(const void *x, const void *y)
{
	const struct tally *a = *(struct tally *const *)x, *b = *(struct tally *const *)y;
	int c = strcmp(a->capability ? a->capability : "", b->capability ? b->capability : "");
	return c ? c : strcmp(a->key, b->key);
}

static int status_rank(const char *s)
{
	return strcmp(s, "committed") == 0 ? 0 : strcmp(s, "announced") == 0 ? 1 : 2;
}

static int by_status(const void *x, const void *y)
{
	return status_rank((*(struct tally *const *)x)->key) - status_rank((*(struct tally *const *)y)->key);
}

/* An array of {label: key, pledges, value_eur_cents} in the given order. */
static json_t *value_rows(const struct strmap *m, const char *label,
	int (*order)(const void *, const void *))
{
	size_t n;
	struct tally **a = tallies(m, &n);
	json_t *out = json_array();
	if (a)
		qsort(a, n, sizeof(*a), order);
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:I, s:I}", label, a[i]->key, "pledges",
			(json_int_t)a[i]->pledges, "value_eur_cents", (json_int_t)a[i]->value));
	free(a);
	return out;
}

/* GDP of party in EUR cents for the latest year up to year: the amount at
 * the mean of that year's daily ECB rates, exactly. 0 when not known. */
static int64_t gdp_eur(struct qm_ledger *l, const char *party, int year, int *gdp_year,
	struct qm_error *err)
{
	struct qm_stmt *st;
	int64_t cents = 0, amount = 0;
	char currency[8] = "";
	*gdp_year = 0;
	if (qm_store_prepare(l->store, "SELECT year, amount, currency FROM gdp WHERE party = ?"
				       " AND year <= ? ORDER BY year DESC LIMIT 1", &st, err) != QM_OK)
		return 0;
	qm_stmt_bind_text(st, 1, party);
	qm_stmt_bind_int(st, 2, year);
	if (qm_stmt_step(st, err) == QM_STEP_ROW) {
		*gdp_year = (int)qm_stmt_int(st, 0);
		amount = qm_stmt_int(st, 1);
		snprintf(currency, sizeof(currency), "%s", qm_stmt_text(st, 2));
	}
	qm_stmt_finalize(st);
	if (!*gdp_year)
		return 0;
	if (strcmp(currency, "EUR") == 0)
		return amount;
	if (qm_store_prepare(l->store, "SELECT sum(per_eur), count(*) FROM rates WHERE currency = ?"
				       " AND date >= ? AND date <= ?", &st, err) != QM_OK)
		return 0;
	char from[16], to[16];
	snprintf(from, sizeof(from), "%04d-01-01", *gdp_year);
	snprintf(to, sizeof(to), "%04d-12-31", *gdp_year);
	qm_stmt_bind_text(st, 1, currency);
	qm_stmt_bind_text(st, 2, from);
	qm_stmt_bind_text(st, 3, to);
	if (qm_stmt_step(st, err) == QM_STEP_ROW && qm_stmt_int(st, 1) > 0) {
		/* amount / (sum / count / 10^6) */
		__int128 num = (__int128)amount * qm_stmt_int(st, 1) * 1000000;
		int64_t sum = qm_stmt_int(st, 0);
		__int128 q = num / sum, r = num % sum;
		cents = (int64_t)(q + (r * 2 >= sum));
	}
	qm_stmt_finalize(st);
	return cents;
}

struct report_maps {
	struct strmap status, donor, cost_type, channel, valuation, item, capability;
	int64_t pledges, value;
};

static int scan_pledges(struct qm_ledger *l, const char *as_of, struct report_maps *m,
	struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store,
		"SELECT status, donor, cost_type, channel, CASE WHEN counted_in IS NOT NULL THEN"
		" 'in-package' ELSE coalesce(valuation, 'unvalued') END, coalesce(value_eur_cents, 0),"
		" item, coalesce(quantity, 0) FROM pledges WHERE date <= ?", &st, err), step;
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	qm_stmt_bind_text(st, 1, as_of);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		const char *status = qm_stmt_text(st, 0), *item = qm_stmt_text(st, 6);
		int64_t value = qm_stmt_int(st, 5);
		struct tally *t = tally_of(&m->status, status);
		if (!t)
			goto oom;
		t->pledges++;
		t->value += value;
		if (strcmp(status, "cancelled") == 0)
			continue;
		m->pledges++;
		m->value += value;
		for (int c = 1; c <= 4; c++) {
			struct strmap *map = c == 1 ? &m->donor : c == 2 ? &m->cost_type
				: c == 3 ? &m->channel : &m->valuation;
			if (!(t = tally_of(map, qm_stmt_text(st, c))))
				goto oom;
			t->pledges++;
			t->value += value;
		}
		if (item) {
			if (!(t = tally_of(&m->item, item)))
				goto oom;
			t->pledges++;
			t->quantity += qm_stmt_int(st, 7);
		}
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
oom:
	qm_stmt_finalize(st);
	return qm_error_set(err, QM_EINTERNAL, "out of memory");
}

/* Deliveries per item, item names and capabilities, and requirements. */
static int add_items(struct qm_ledger *l, const char *as_of, struct report_maps *m,
	struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store,
		"SELECT p.item, sum(d.quantity) FROM deliveries d JOIN pledges p ON p.id = d.pledge"
		" WHERE d.date <= ?1 AND p.date <= ?1 AND p.status <> 'cancelled' AND p.item IS NOT NULL"
		" GROUP BY p.item", &st, err), step;
	if (rc != QM_OK)
		return rc;
	qm_stmt_bind_text(st, 1, as_of);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct tally *t = tally_of(&m->item, qm_stmt_text(st, 0));
		if (t)
			t->delivered += qm_stmt_int(st, 1);
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;
	if ((rc = qm_store_prepare(l->store, "SELECT code, name, capability FROM items", &st, err))
		!= QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct strmap_entry *e = strmap_get(&m->item, qm_stmt_text(st, 0));
		if (!e)
			continue;
		struct tally *t = e->ptr, *c = tally_of(&m->capability, qm_stmt_text(st, 2));
		t->name = strdup(qm_stmt_text(st, 1));
		t->capability = strdup(qm_stmt_text(st, 2));
		if (c) {
			c->quantity += t->quantity;
			c->delivered += t->delivered;
		}
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;
	if ((rc = qm_store_prepare(l->store,
		     "SELECT coalesce(r.capability, i.capability), sum(r.quantity) FROM requirements r"
		     " LEFT JOIN items i ON i.code = r.item GROUP BY 1", &st, err)) != QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct tally *c = tally_of(&m->capability, qm_stmt_text(st, 0));
		if (c)
			c->required += qm_stmt_int(st, 1);
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
}

static int top_donors(struct qm_ledger *l, const char *as_of, const struct strmap *donors,
	json_t *array, struct qm_error *err)
{
	size_t n;
	struct tally **a = tallies(donors, &n);
	struct qm_stmt *names;
	int year = atoi(as_of), rc;
	if (!a)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	qsort(a, n, sizeof(*a), by_value_then_key);
	rc = qm_store_prepare(l->store, "SELECT name FROM parties WHERE code = ?", &names, err);
	for (size_t i = 0; rc == QM_OK && i < n && i < TOP_DONORS; i++) {
		int gdp_year;
		json_t *o = json_object();
		qm_stmt_bind_text(names, 1, a[i]->key);
		int found = qm_stmt_step(names, err) == QM_STEP_ROW;
		json_object_set_new(o, "party", json_string(a[i]->key));
		json_object_set_new(o, "name", json_string(found ? qm_stmt_text(names, 0) : a[i]->key));
		qm_stmt_reset(names);
		json_object_set_new(o, "pledges", json_integer(a[i]->pledges));
		json_object_set_new(o, "value_eur_cents", json_integer(a[i]->value));
		json_array_append_new(array, o);
		int64_t gdp = gdp_eur(l, a[i]->key, year, &gdp_year, err);
		if (gdp > 0) {
			char share[32];
			int64_t milli = qm_muldiv_round(a[i]->value, 100000, gdp); /* thousandths of a percent */
			snprintf(share, sizeof(share), "%lld.%03lld", (long long)(milli / 1000),
				(long long)(milli % 1000));
			json_object_set_new(o, "gdp_year", json_integer(gdp_year));
			json_object_set_new(o, "gdp_eur_cents", json_integer(gdp));
			json_object_set_new(o, "share_of_gdp_percent", json_string(share));
		} else {
			json_object_set_new(o, "gdp_year", json_null());
			json_object_set_new(o, "gdp_eur_cents", json_null());
			json_object_set_new(o, "share_of_gdp_percent", json_null());
		}
	}
	qm_stmt_finalize(names);
	free(a);
	return rc;
}

static json_t *item_rows(const struct strmap *items)
{
	size_t n;
	struct tally **a = tallies(items, &n);
	json_t *out = json_array();
	if (a)
		qsort(a, n, sizeof(*a), by_capability_then_key);
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s?, s:s?, s:I, s:I}", "item", a[i]->key,
			"name", a[i]->name, "capability", a[i]->capability, "pledged",
			(json_int_t)a[i]->quantity, "delivered", (json_int_t)a[i]->delivered));
	free(a);
	return out;
}

static json_t *capability_rows(const struct strmap *caps)
{
	size_t n;
	struct tally **a = tallies(caps, &n);
	json_t *out = json_array();
	if (a)
		qsort(a, n, sizeof(*a), by_key);
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I}", "capability", a[i]->key,
			"pledged", (json_int_t)a[i]->quantity, "delivered", (json_int_t)a[i]->delivered,
			"required", (json_int_t)a[i]->required));
	free(a);
	return out;
}

#define WORST_GAPS 10

/* The plan's coverage: per capability (or item) and priority, the units
 * needed, covered and unmet; and the most urgent requirements left short. */
static int plan_coverage(const struct qm_plan *plan, json_t *r, struct qm_error *err)
{
	struct strmap cells;
	int rc = QM_OK;
	strmap_init(&cells);
	for (size_t i = 0; i < plan->nrequirements; i++) {
		const struct qm_plan_requirement *q = &plan->requirements[i];
		char key[160];
		snprintf(key, sizeof(key), "%s\x01%d", q->item ? q->item : q->capability, q->priority);
		struct tally *t = tally_of(&cells, key);
		if (!t) {
			rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
			break;
		}
		t->required += q->needed;
		t->quantity += q->assigned;
		t->delivered += q->unmet; /* unmet, in this table */
	}
	size_t n = 0;
	struct tally **a = rc == QM_OK ? tallies(&cells, &n) : NULL;
	json_t *rows = json_array(), *gaps = json_array();
	if (a)
		qsort(a, n, sizeof(*a), by_key);
	for (size_t i = 0; a && i < n; i++) {
		const char *sep = strchr(a[i]->key, '\x01');
		json_array_append_new(rows, json_pack("{s:s%, s:i, s:I, s:I, s:I}", "need", a[i]->key,
			(size_t)(sep - a[i]->key), "priority", atoi(sep + 1), "needed",
			(json_int_t)a[i]->required, "covered", (json_int_t)a[i]->quantity, "unmet",
			(json_int_t)a[i]->delivered));
	}
	free(a);
	for (size_t i = 0, k = 0; i < plan->nrequirements && k < WORST_GAPS; i++) {
		const struct qm_plan_requirement *q = &plan->requirements[i];
		char day[11];
		if (q->unmet == 0)
			continue;
		json_array_append_new(gaps, json_pack("{s:s, s:s, s:i, s:s, s:I, s:I}", "id", q->id, "need",
			q->item ? q->item : q->capability, "priority", q->priority, "needed_by",
			qm_date_format(q->needed_by, day), "needed", (json_int_t)q->needed, "unmet",
			(json_int_t)q->unmet));
		k++;
	}
	json_object_set_new(r, "plan", json_pack("{s:I, s:I, s:I, s:o, s:o}", "objective",
		(json_int_t)plan->objective, "needed", (json_int_t)plan->needed_total, "unmet",
		(json_int_t)plan->unmet_total, "coverage", rows, "worst_gaps", gaps));
	strmap_release(&cells, free_tally);
	return rc;
}

/* The plan (run once, with the courses: qm_training_run), its coverage and
 * the training section. */
static int plan_sections(struct qm_ledger *l, const char *as_of, json_t *r, struct qm_error *err)
{
	struct qm_plan_options opt = {as_of, 0};
	struct qm_training *t;
	json_t *training = NULL;
	int rc = qm_training_run(l, &opt, &t, err);
	if (rc != QM_OK)
		return rc;
	rc = plan_coverage(t->plan, r, err);
	if (rc == QM_OK)
		rc = qm_report_training_of(l, t, &training, err);
	if (training)
		json_object_set_new(r, "training", training);
	qm_training_free(t);
	return rc;
}

struct finding_count {
	json_t *counts;
};

static int count_finding(void *ctx, const struct qm_finding *f)
{
	json_t *counts = ((struct finding_count *)ctx)->counts;
	json_t *n = json_object_get(counts, f->check);
	json_object_set_new(counts, f->check, json_integer(json_integer_value(n) + 1));
	return 0;
}

int qm_report_build(struct qm_ledger *l, const char *as_of_in, json_t **out, struct qm_error *err)
{
	char today[11];
	const char *as_of = as_of_in ? as_of_in : qm_date_format(qm_date_today(), today);
	struct report_maps m;
	struct strmap *maps[] = {&m.status, &m.donor, &m.cost_type, &m.channel, &m.valuation,
		&m.item, &m.capability};
	json_t *r = json_object();
	int rc;

	memset(&m, 0, sizeof(m));
	rc = scan_pledges(l, as_of, &m, err);
	if (rc == QM_OK)
		rc = add_items(l, as_of, &m, err);
	json_object_set_new(r, "as_of", json_string(as_of));
	json_object_set_new(r, "pledges", json_integer(m.pledges));
	json_object_set_new(r, "value_eur_cents", json_integer(m.value));
	json_object_set_new(r, "by_status", value_rows(&m.status, "status", by_status));
	json_t *donors = json_array();
	json_object_set_new(r, "top_donors", donors);
	if (rc == QM_OK)
		rc = top_donors(l, as_of, &m.donor, donors, err);
	json_object_set_new(r, "by_cost_type", value_rows(&m.cost_type, "cost_type", by_value_then_key));
	json_object_set_new(r, "by_channel", value_rows(&m.channel, "channel", by_value_then_key));
	json_object_set_new(r, "by_valuation", value_rows(&m.valuation, "valuation", by_key));
	json_object_set_new(r, "items", item_rows(&m.item));
	json_object_set_new(r, "capabilities", capability_rows(&m.capability));
	if (rc == QM_OK)
		rc = plan_sections(l, as_of, r, err);
	if (rc == QM_OK) {
		struct finding_count fc = {json_object()};
		for (const struct qm_check_def *d = qm_checks(); d->name; d++)
			json_object_set_new(fc.counts, d->name, json_integer(0));
		json_object_set_new(r, "findings", fc.counts);
		rc = qm_check_run(l, as_of, count_finding, &fc, err);
	}
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		strmap_release(maps[i], free_tally);
	if (rc != QM_OK) {
		json_decref(r);
		return rc;
	}
	*out = r;
	return QM_OK;
}
