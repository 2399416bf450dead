/*
 * burden.h - burden sharing: each ally bound by a framework against its fair
 * share of the framework's baseline.
 *
 * A framework (a record of kind frameworks) names a period, a baseline, the
 * allies it binds (less the exempt), the year whose GDP sets the shares, the
 * lowest status that counts and the kinds of cost that count. From the ledger
 * this computes, per bound ally: its GDP in euro cents (GDP of that year at
 * the arithmetic mean of the year's daily ECB rates), its share of the
 * allies' summed GDP, its fair share of the baseline in whole cents (largest
 * remainders, so the shares add up to the baseline exactly), and what it
 * counted in the period; and every contribution behind each counted figure,
 * so that the figures can be checked line by line. The rules are in
 * docs/burden.md.
 */
#ifndef QM_BURDEN_H
#define QM_BURDEN_H

#include <stdint.h>

#include <jansson.h>

#include "qm/date.h"
#include "qm/error.h"
#include "qm/ledger.h"

enum qm_burden_by { QM_BY_NONE, QM_BY_YEAR, QM_BY_HALF, QM_BY_QUARTER };

/* One pledge or delivery considered for an ally: counted (with its value
 * and date) or not (with the reason). */
struct qm_burden_line {
	int row;            /* index into rows */
	int counted;        /* 1 when it adds to the ally's counted figure */
	qm_day date;        /* the date it counts on: the pledge's, or the delivery's */
	char *pledge;       /* the pledge that counts (a package, for its parts) */
	char *delivery;     /* the delivery, or NULL when the pledge counts as a whole */
	char *via;          /* the part a delivery was made against, or NULL */
	int64_t quantity;   /* units of the delivery or pledge; 0 for money */
	int64_t value_eur_cents;
	char *status, *cost_type, *channel, *item, *valuation, *source;
	const char *reason; /* why it counts or not, one line (static) */
};

struct qm_burden_row {
	char party[17];
	char *name;
	int64_t gdp_amount_cents;    /* as published, in gdp_currency */
	char gdp_currency[4];
	int64_t gdp_rate_sum_micro;  /* sum of the year's daily rates (millionths) */
	int64_t gdp_rate_days;       /* how many rates were averaged (0 for EUR) */
	int64_t gdp_eur_cents;
	int64_t fair_share_eur_cents;
	int64_t counted_eur_cents;
	int64_t *by_period;          /* counted per period (nperiods) */
};

struct qm_burden_period {
	char label[16]; /* 2024, 2024-H1, 2024-Q1 */
	qm_day start, end;
	int64_t counted_eur_cents;
};

struct qm_burden {
	char id[65];
	char *name, *source, *counts, *cost_types, *exempt, *parties;
	qm_day start, end;
	int gdp_year;
	int64_t amount_cents;        /* as given, in currency */
	char currency[4];
	int64_t baseline_eur_cents;  /* amount in euros (ECB rate of start) */
	int64_t gdp_eur_cents;       /* summed over the rows */
	int64_t counted_eur_cents;   /* summed over the rows */
	struct qm_burden_row *rows;  /* by party code */
	int nrows;
	enum qm_burden_by by;
	struct qm_burden_period *periods;
	int nperiods;
	struct qm_burden_line *lines; /* by party, then date, pledge, delivery */
	size_t nlines;
	/* what a reader should know about the figures */
	int64_t kiel_counted_eur_cents; /* counted from the Kiel table's cumulative totals */
	long kiel_lines;
	long unvalued_lines;            /* counted lines with no value (no unit price) */
	int64_t journal_seq;            /* the ledger's state: last journal entry, 0 when none */
	char journal_head[65];          /* and its hash */
};

/*
 * Compute burden sharing under the framework with id framework (NULL: the
 * one with the latest start on or before today, else the earliest), with
 * the counted values split by period when by is not QM_BY_NONE. On success
 * *out is a new result the caller frees with qm_burden_free(). Errors:
 * QM_ENOINPUT for an unknown framework or none at all, QM_EDATA when a bound
 * ally has no GDP for the year or a currency no rate for it (naming them).
 */
int qm_burden_build(struct qm_ledger *l, const char *framework, enum qm_burden_by by,
	struct qm_burden **out, struct qm_error *err);
void qm_burden_free(struct qm_burden *b);

enum qm_burden_order { QM_ORDER_FAIR_SHARE, QM_ORDER_GDP_SHARE };

/* The rows' indexes in order: largest fair share first, or highest counted
 * share of own GDP first (compared exactly); ties by party code. Returns a
 * new array of nrows the caller frees, or NULL when out of memory. */
int *qm_burden_order(const struct qm_burden *b, enum qm_burden_order order);

/* The row of party, or -1. */
int qm_burden_row_of(const struct qm_burden *b, const char *party);

/*
 * Fair shares of baseline in proportion to weights (n of them, each >= 0,
 * not all 0): floor(baseline x w_i / sum w), then the cents left over one
 * each to the largest remainders, ties going to the lower index. The shares
 * add up to baseline exactly. Fills shares (n, caller's). Returns 0, -1 when
 * the weights sum to 0.
 */
int qm_fair_shares(int64_t baseline, const int64_t *weights, int n, int64_t *shares);

/* num / den as a decimal string with places decimals, rounded half away
 * from zero, into buf (32 bytes); "" when den is 0. Returns buf. */
char *qm_ratio_format(int64_t num, int64_t den, int places, char buf[32]);

/* The result as the JSON object of `qm burden --json` (a new reference the
 * caller owns); with explain, only the rows and lines of that party.
 * NULL when out of memory. */
json_t *qm_burden_to_json(const struct qm_burden *b, const char *explain);

#endif
