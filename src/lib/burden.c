/*
 * burden.c - a framework's fair shares: which allies it binds, their GDP of
 * the framework's year in euros (at the arithmetic mean of that year's daily
 * ECB rates), each one's share of the baseline by largest remainders, and
 * the periods the counted values are split into. What each ally counted is
 * worked out in burden_count.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/burden.h"
#include "qm/money.h"
#include "qm/sort.h"
#include "burden_int.h"
#include "ledger_int.h"

int qm_fair_shares(int64_t baseline, const int64_t *weights, int n, int64_t *shares)
{
	__int128 total = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	if (total <= 0)
		return -1;
	__int128 *rem = malloc(sizeof(*rem) * (size_t)(n ? n : 1));
	int *order = malloc(sizeof(*order) * (size_t)(n ? n : 1));
	if (!rem || !order) {
		free(rem);
		free(order);
		return -1;
	}
	int64_t given = 0;
	for (int i = 0; i < n; i++) {
		__int128 p = (__int128)baseline * weights[i];
		shares[i] = (int64_t)(p / total);
		rem[i] = p % total;
		given += shares[i];
		order[i] = i;
	}
	/* the cents left (fewer than n) go to the largest remainders; a stable
	 * insertion sort keeps ties in index order */
	for (int i = 1; i < n; i++) {
		int v = order[i], j = i;
		while (j > 0 && rem[order[j - 1]] < rem[v]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	for (int64_t k = 0; k < baseline - given; k++)
		shares[order[k]]++;
	free(rem);
	free(order);
	return 0;
}

char *qm_ratio_format(int64_t num, int64_t den, int places, char buf[32])
{
	if (den == 0) {
		buf[0] = '\0';
		return buf;
	}
	__int128 scale = 1;
	for (int i = 0; i < places; i++)
		scale *= 10;
	__int128 n = (__int128)num * scale, d = den;
	int neg = (n < 0) != (d < 0);
	if (n < 0)
		n = -n;
	if (d < 0)
		d = -d;
	__int128 q = n / d;
	if ((n % d) * 2 >= d)
		q++;
	long long whole = (long long)(q / scale), frac = (long long)(q % scale);
	if (places)
		snprintf(buf, 32, "%s%lld.%0*lld", neg && q ? "-" : "", whole, places, frac);
	else
		snprintf(buf, 32, "%s%lld", neg && q ? "-" : "", whole);
	return buf;
}

/* The id of the framework to use when none is named. */
static int default_framework(struct qm_ledger *l, char *id, size_t n, struct qm_error *err)
{
	static const char *const queries[] = {
		"SELECT id FROM frameworks WHERE start <= ? ORDER BY start DESC, id LIMIT 1",
		"SELECT id FROM frameworks ORDER BY start, id LIMIT 1",
	};
	char day[11];
	qm_date_format(qm_date_today(), day);
	for (int q = 0; q < 2; q++) {
		struct qm_stmt *st;
		int rc = qm_store_prepare(l->store, queries[q], &st, err);
		if (rc != QM_OK)
			return rc;
		if (q == 0)
			qm_stmt_bind_text(st, 1, day);
		int step = qm_stmt_step(st, err);
		if (step == QM_STEP_ROW)
			snprintf(id, n, "%s", qm_stmt_text(st, 0));
		qm_stmt_finalize(st);
		if (step == QM_STEP_ERROR)
			return err->code;
		if (step == QM_STEP_ROW)
			return QM_OK;
	}
	return qm_error_set(err, QM_ENOINPUT,
		"no frameworks in the database; import some with qm import frameworks FILE");
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int load_framework(struct qm_ledger *l, const char *id, struct qm_burden *b,
	struct qm_error *err)
{
	struct qm_record key, fw;
	qm_record_init(&key, qm_kind(QM_FRAMEWORKS));
	qm_record_init(&fw, qm_kind(QM_FRAMEWORKS));
	int rc = QM_OK;
	if (qm_record_set(&key, QM_FW_ID, id, 0) < 0)
		rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
	int found = rc == QM_OK ? qm_rows_find(l, &key, &fw, err) : -1;
	if (rc == QM_OK && found < 0)
		rc = err->code ? err->code : QM_EINTERNAL;
	else if (rc == QM_OK && found == 0)
		rc = qm_error_set(err, QM_ENOINPUT,
			"no framework '%s' (qm list frameworks shows those there are)", id);
	if (rc == QM_OK) {
		snprintf(b->id, sizeof(b->id), "%s", id);
		b->name = dup_or_null(qm_record_get(&fw, QM_FW_NAME));
		b->source = dup_or_null(qm_record_get(&fw, QM_FW_SOURCE));
		b->counts = dup_or_null(qm_record_get(&fw, QM_FW_COUNTS));
		b->cost_types = dup_or_null(qm_record_get(&fw, QM_FW_COST_TYPES));
		b->exempt = dup_or_null(qm_record_get(&fw, QM_FW_EXEMPT));
		b->parties = dup_or_null(qm_record_get(&fw, QM_FW_PARTIES));
		b->start = (qm_day)fw.num[QM_FW_START];
		b->end = (qm_day)fw.num[QM_FW_END];
		b->gdp_year = (int)fw.num[QM_FW_GDP_YEAR];
		b->amount_cents = fw.num[QM_FW_AMOUNT];
		snprintf(b->currency, sizeof(b->currency), "%s", qm_record_get(&fw, QM_FW_CURRENCY));
		if (!b->name || !b->counts || !b->cost_types || !b->parties)
			rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
	}
	qm_record_release(&key);
	qm_record_release(&fw);
	return rc;
}

/* The baseline in euro cents, at the ECB rate of the framework's start. */
static int convert_baseline(struct qm_ledger *l, struct qm_burden *b, struct qm_error *err)
{
	if (strcmp(b->currency, "EUR") == 0) {
		b->baseline_eur_cents = b->amount_cents;
		return QM_OK;
	}
	struct qm_stmt *st;
	char day[11];
	int rc = qm_store_prepare(l->store, "SELECT per_eur FROM rates WHERE currency = ?"
		" AND date <= ? ORDER BY date DESC LIMIT 1", &st, err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_bind_text(st, 1, b->currency);
	qm_stmt_bind_text(st, 2, qm_date_format(b->start, day));
	int step = qm_stmt_step(st, err);
	if (step == QM_STEP_ROW)
		b->baseline_eur_cents = qm_money_to_eur(b->amount_cents, qm_stmt_int(st, 0));
	qm_stmt_finalize(st);
	if (step == QM_STEP_ERROR)
		return err->code;
	if (step != QM_STEP_ROW)
		return qm_error_set(err, QM_EDATA, "framework %s: no ECB rate for %s on or before %s"
			" to convert its amount", b->id, b->currency, day);
	return QM_OK;
}

/* 1 when code is a word of the space-separated list. */
int qm_burden_in_list(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; p && *p;) {
		size_t w = strcspn(p, " ");
		if (w == n && strncmp(p, code, n) == 0)
			return 1;
		p += w + (p[w] == ' ');
	}
	return 0;
}

static int add_row(struct qm_burden *b, const char *code, const char *name)
{
	struct qm_burden_row *rows = realloc(b->rows, sizeof(*rows) * (size_t)(b->nrows + 1));
	if (!rows)
		return -1;
	b->rows = rows;
	struct qm_burden_row *r = &rows[b->nrows];
	memset(r, 0, sizeof(*r));
	snprintf(r->party, sizeof(r->party), "%s", code);
	r->name = strdup(name ? name : code);
	if (!r->name)
		return -1;
	b->nrows++;
	return 0;
}

/* The allies bound: every ally, or the listed parties; less the exempt. */
static int load_parties(struct qm_ledger *l, struct qm_burden *b, struct qm_error *err)
{
	int allies = strcmp(b->parties, "allies") == 0;
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, allies
		? "SELECT code, name FROM parties WHERE ally = 'yes' ORDER BY code"
		: "SELECT code, name FROM parties ORDER BY code", &st, err);
	if (rc != QM_OK)
		return rc;
	int step;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		const char *code = qm_stmt_text(st, 0);
		if ((!allies && !qm_burden_in_list(b->parties, code))
			|| qm_burden_in_list(b->exempt, code))
			continue;
		if (add_row(b, code, qm_stmt_text(st, 1)) < 0) {
			qm_stmt_finalize(st);
			return qm_error_set(err, QM_EINTERNAL, "out of memory");
		}
	}
	qm_stmt_finalize(st);
	if (step == QM_STEP_ERROR)
		return err->code;
	if (b->nrows == 0)
		return qm_error_set(err, QM_EDATA, "framework %s binds no party: %s", b->id,
			allies ? "no party is marked as an ally (ally=yes)" : "every party it lists is exempt");
	return QM_OK;
}

/* Each row's GDP of the framework's year in euro cents, at the mean of the
 * year's daily ECB rates of its currency. */
static int load_gdp(struct qm_ledger *l, struct qm_burden *b, struct qm_error *err)
{
	struct qm_stmt *gdp, *mean;
	char missing[512] = "", from[11], to[11];
	size_t used = 0;
	int nmissing = 0;
	int rc = qm_store_prepare(l->store,
		"SELECT amount, currency FROM gdp WHERE party = ? AND year = ?", &gdp, err);
	if (rc != QM_OK)
		return rc;
	if ((rc = qm_store_prepare(l->store, "SELECT coalesce(sum(per_eur), 0), count(*) FROM rates"
		" WHERE currency = ? AND date BETWEEN ? AND ?", &mean, err)) != QM_OK) {
		qm_stmt_finalize(gdp);
		return rc;
	}
	qm_date_format(qm_date_from_ymd(b->gdp_year, 1, 1), from);
	qm_date_format(qm_date_from_ymd(b->gdp_year, 12, 31), to);
	for (int i = 0; i < b->nrows && rc == QM_OK; i++) {
		struct qm_burden_row *r = &b->rows[i];
		qm_stmt_reset(gdp);
		qm_stmt_bind_text(gdp, 1, r->party);
		qm_stmt_bind_int(gdp, 2, b->gdp_year);
		int step = qm_stmt_step(gdp, err);
		if (step == QM_STEP_ERROR) {
			rc = err->code;
			break;
		}
		if (step != QM_STEP_ROW) {
			if (used < sizeof(missing))
				used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
					nmissing ? ", " : "", r->party);
			nmissing++;
			continue;
		}
		r->gdp_amount_cents = qm_stmt_int(gdp, 0);
		snprintf(r->gdp_currency, sizeof(r->gdp_currency), "%s", qm_stmt_text(gdp, 1));
		if (strcmp(r->gdp_currency, "EUR") == 0) {
			r->gdp_eur_cents = r->gdp_amount_cents;
			continue;
		}
		qm_stmt_reset(mean);
		qm_stmt_bind_text(mean, 1, r->gdp_currency);
		qm_stmt_bind_text(mean, 2, from);
		qm_stmt_bind_text(mean, 3, to);
		if (qm_stmt_step(mean, err) != QM_STEP_ROW) {
			rc = err->code ? err->code : QM_EINTERNAL;
			break;
		}
		r->gdp_rate_sum_micro = qm_stmt_int(mean, 0);
		r->gdp_rate_days = qm_stmt_int(mean, 1);
		if (r->gdp_rate_days == 0) {
			rc = qm_error_set(err, QM_EDATA, "framework %s: no ECB rates for %s in %d to convert"
				" the GDP of %s (import the ECB history with qm import rates)", b->id,
				r->gdp_currency, b->gdp_year, r->party);
			break;
		}
		/* amount / (sum / days): exact in 128 bits, rounded once */
		__int128 num = (__int128)r->gdp_amount_cents * r->gdp_rate_days * 1000000;
		__int128 q = num / r->gdp_rate_sum_micro, rem = num % r->gdp_rate_sum_micro;
		if (rem * 2 >= r->gdp_rate_sum_micro)
			q++;
		r->gdp_eur_cents = (int64_t)q;
	}
	qm_stmt_finalize(gdp);
	qm_stmt_finalize(mean);
	if (rc == QM_OK && nmissing)
		rc = qm_error_set(err, QM_EDATA, "framework %s: no GDP for %d in the database for %s %s;"
			" import it (qm import gdp) or name %s in the framework's exempt", b->id,
			b->gdp_year, nmissing == 1 ? "the bound ally" : "the bound allies", missing,
			nmissing == 1 ? "it" : "them");
	return rc;
}

static int make_periods(struct qm_burden *b)
{
	if (b->by == QM_BY_NONE)
		return 0;
	int months = b->by == QM_BY_YEAR ? 12 : b->by == QM_BY_HALF ? 6 : 3;
	int y, m, d;
	qm_date_to_ymd(b->start, &y, &m, &d);
	m = (m - 1) / months * months + 1;
	for (;;) {
		qm_day ps = qm_date_from_ymd(y, m, 1);
		int ny = y, nm = m + months;
		if (nm > 12) {
			nm -= 12;
			ny++;
		}
		qm_day pe = qm_date_from_ymd(ny, nm, 1) - 1;
		if (ps > b->end)
			break;
		struct qm_burden_period *p = realloc(b->periods, sizeof(*p) * (size_t)(b->nperiods + 1));
		if (!p)
			return -1;
		b->periods = p;
		p = &p[b->nperiods++];
		memset(p, 0, sizeof(*p));
		p->start = ps < b->start ? b->start : ps;
		p->end = pe > b->end ? b->end : pe;
		if (b->by == QM_BY_YEAR)
			snprintf(p->label, sizeof(p->label), "%d", y);
		else
			snprintf(p->label, sizeof(p->label), "%d-%c%d", y, b->by == QM_BY_HALF ? 'H' : 'Q',
				(m - 1) / months + 1);
		y = ny;
		m = nm;
	}
	for (int i = 0; i < b->nrows; i++)
		if (!(b->rows[i].by_period = calloc((size_t)b->nperiods, sizeof(int64_t))))
			return -1;
	return 0;
}

static int journal_head(struct qm_ledger *l, struct qm_burden *b, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
		&st, err);
	if (rc != QM_OK)
		return rc;
	int step = qm_stmt_step(st, err);
	if (step == QM_STEP_ROW) {
		b->journal_seq = qm_stmt_int(st, 0);
		snprintf(b->journal_head, sizeof(b->journal_head), "%s", qm_stmt_text(st, 1));
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

int qm_burden_build(struct qm_ledger *l, const char *framework, enum qm_burden_by by,
	struct qm_burden **out, struct qm_error *err)
{
	char id[65];
	struct qm_burden *b = calloc(1, sizeof(*b));
	int rc = QM_OK;

	*out = NULL;
	if (!b)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	b->by = by;
	if (!framework) {
		rc = default_framework(l, id, sizeof(id), err);
		framework = id;
	}
	if (rc == QM_OK)
		rc = load_framework(l, framework, b, err);
	if (rc == QM_OK)
		rc = convert_baseline(l, b, err);
	if (rc == QM_OK)
		rc = load_parties(l, b, err);
	if (rc == QM_OK)
		rc = load_gdp(l, b, err);
	if (rc == QM_OK) {
		int64_t *weights = malloc(sizeof(*weights) * (size_t)b->nrows);
		int64_t *shares = malloc(sizeof(*shares) * (size_t)b->nrows);
		for (int i = 0; weights && i < b->nrows; i++) {
			weights[i] = b->rows[i].gdp_eur_cents;
			b->gdp_eur_cents += weights[i];
		}
		if (!weights || !shares)
			rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
		else if (qm_fair_shares(b->baseline_eur_cents, weights, b->nrows, shares) < 0)
			rc = qm_error_set(err, QM_EDATA, "framework %s: the bound allies' GDP sums to 0",
				b->id);
		for (int i = 0; rc == QM_OK && i < b->nrows; i++)
			b->rows[i].fair_share_eur_cents = shares[i];
		free(weights);
		free(shares);
	}
	if (rc == QM_OK && make_periods(b) < 0)
		rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
	if (rc == QM_OK)
		rc = qm_burden_count(l, b, err);
	if (rc == QM_OK)
		rc = journal_head(l, b, err);
	if (rc != QM_OK) {
		qm_burden_free(b);
		return rc;
	}
	*out = b;
	return QM_OK;
}

static int by_fair_share(const void *a, const void *b, void *ctx)
{
	const struct qm_burden *sorting = ctx;
	const struct qm_burden_row *x = &sorting->rows[*(const int *)a];
	const struct qm_burden_row *y = &sorting->rows[*(const int *)b];
	if (x->fair_share_eur_cents != y->fair_share_eur_cents)
		return x->fair_share_eur_cents > y->fair_share_eur_cents ? -1 : 1;
	return strcmp(x->party, y->party);
}

/* counted / own GDP, compared exactly: x_c * y_g against y_c * x_g */
static int by_gdp_share(const void *a, const void *b, void *ctx)
{
	const struct qm_burden *sorting = ctx;
	const struct qm_burden_row *x = &sorting->rows[*(const int *)a];
	const struct qm_burden_row *y = &sorting->rows[*(const int *)b];
	__int128 l = (__int128)x->counted_eur_cents * y->gdp_eur_cents;
	__int128 r = (__int128)y->counted_eur_cents * x->gdp_eur_cents;
	if (l != r)
		return l > r ? -1 : 1;
	return strcmp(x->party, y->party);
}

int *qm_burden_order(const struct qm_burden *b, enum qm_burden_order order)
{
	int *idx = malloc(sizeof(int) * (size_t)(b->nrows ? b->nrows : 1));
	if (!idx)
		return NULL;
	for (int i = 0; i < b->nrows; i++)
		idx[i] = i;
	if (qm_sort(idx, (size_t)b->nrows, sizeof(int),
		    order == QM_ORDER_FAIR_SHARE ? by_fair_share : by_gdp_share, (void *)b) < 0) {
		free(idx);
		return NULL;
	}
	return idx;
}

int qm_burden_row_of(const struct qm_burden *b, const char *party)
{
	int lo = 0, hi = b->nrows - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(b->rows[mid].party, party);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

void qm_burden_free(struct qm_burden *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->nrows; i++) {
		free(b->rows[i].name);
		free(b->rows[i].by_period);
	}
	for (size_t i = 0; i < b->nlines; i++) {
		struct qm_burden_line *ln = &b->lines[i];
		free(ln->pledge);
		free(ln->delivery);
		free(ln->via);
		free(ln->status);
		free(ln->cost_type);
		free(ln->channel);
		free(ln->item);
		free(ln->valuation);
		free(ln->source);
	}
	free(b->lines);
	free(b->rows);
	free(b->periods);
	free(b->name);
	free(b->source);
	free(b->counts);
	free(b->cost_types);
	free(b->exempt);
	free(b->parties);
	free(b);
}
