/*
 * report.c - the coordination report as a JSON value: pledges and value by
 * status, top donors with their share of GDP, value by cost type and
 * channel, delivered against pledged per item, pledged against required
 * per capability, and the data findings counted. Counted value is that of
 * pledges not cancelled (parts of a valued package count through it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/check.h"
#include "qm/date.h"
#include "qm/money.h"
#include "qm/report.h"
#include "ledger_int.h"

#define TOP_DONORS 10

/* Run sql (?1 bound to as_of) and append one object per row, with the
 * columns named by names; a name starting with '#' is an integer column. */
static int rows_to_json(struct qm_ledger *l, const char *sql, const char *as_of,
	const char *const *names, int n, json_t *array, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, sql, &st, err), step;
	if (rc != QM_OK)
		return rc;
	if (strstr(sql, "?1"))
		qm_stmt_bind_text(st, 1, as_of);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < n; i++) {
			int is_int = names[i][0] == '#';
			const char *name = names[i] + is_int;
			json_object_set_new(o, name, qm_stmt_is_null(st, i) ? json_null()
				: is_int ? json_integer(qm_stmt_int(st, i)) : json_string(qm_stmt_text(st, i)));
		}
		json_array_append_new(array, o);
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
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

static int top_donors(struct qm_ledger *l, const char *as_of, json_t *array, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store,
		"SELECT p.donor, coalesce(a.name, p.donor), count(*), coalesce(sum(p.value_eur_cents), 0)"
		" FROM pledges p LEFT JOIN parties a ON a.code = p.donor"
		" WHERE p.status <> 'cancelled' AND p.date <= ?1"
		" GROUP BY p.donor, a.name ORDER BY 4 DESC, p.donor LIMIT " "10", &st, err), step;
	if (rc != QM_OK)
		return rc;
	qm_stmt_bind_text(st, 1, as_of);
	int year = atoi(as_of);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		json_t *o = json_object();
		const char *party = qm_stmt_text(st, 0);
		int64_t value = qm_stmt_int(st, 3);
		int gdp_year;
		json_object_set_new(o, "party", json_string(party));
		json_object_set_new(o, "name", json_string(qm_stmt_text(st, 1)));
		json_object_set_new(o, "pledges", json_integer(qm_stmt_int(st, 2)));
		json_object_set_new(o, "value_eur_cents", json_integer(value));
		json_array_append_new(array, o);
		/* the GDP query runs on the same connection while this one steps */
		int64_t gdp = gdp_eur(l, party, year, &gdp_year, err);
		if (gdp > 0) {
			char share[32];
			int64_t milli = qm_muldiv_round(value, 100000, gdp); /* thousandths of a percent */
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
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
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
	json_t *r = json_object();
	int rc = QM_OK;

	json_object_set_new(r, "as_of", json_string(as_of));
	static const char *const status_cols[] = {"status", "#pledges", "#value_eur_cents"};
	static const char *const type_cols[] = {"cost_type", "#pledges", "#value_eur_cents"};
	static const char *const channel_cols[] = {"channel", "#pledges", "#value_eur_cents"};
	static const char *const valuation_cols[] = {"valuation", "#pledges", "#value_eur_cents"};
	static const char *const item_cols[] = {"item", "name", "capability", "#pledged", "#delivered"};
	static const char *const cap_cols[] = {"capability", "#pledged", "#delivered", "#required"};
	struct {
		const char *key, *sql;
		const char *const *cols;
		int n;
	} sections[] = {
		{"by_status", "SELECT status, count(*), coalesce(sum(value_eur_cents), 0) FROM pledges"
			      " WHERE date <= ?1 GROUP BY status ORDER BY CASE status WHEN 'committed' THEN 1"
			      " WHEN 'announced' THEN 2 ELSE 3 END", status_cols, 3},
		{"by_cost_type", "SELECT cost_type, count(*), coalesce(sum(value_eur_cents), 0) FROM pledges"
				 " WHERE date <= ?1 AND status <> 'cancelled' GROUP BY cost_type ORDER BY 3 DESC,"
				 " 1", type_cols, 3},
		{"by_channel", "SELECT channel, count(*), coalesce(sum(value_eur_cents), 0) FROM pledges"
			       " WHERE date <= ?1 AND status <> 'cancelled' GROUP BY channel ORDER BY 3 DESC, 1",
			channel_cols, 3},
		{"by_valuation", "SELECT CASE WHEN counted_in IS NOT NULL THEN 'in-package' ELSE"
				 " coalesce(valuation, 'unvalued') END, count(*),"
				 " coalesce(sum(value_eur_cents), 0) FROM pledges WHERE date <= ?1 AND status <>"
				 " 'cancelled' GROUP BY 1 ORDER BY 1", valuation_cols, 3},
		{"items", "SELECT p.item, i.name, i.capability, sum(p.quantity),"
			  " coalesce((SELECT sum(d.quantity) FROM deliveries d JOIN pledges q ON q.id = d.pledge"
			  " WHERE q.item = p.item AND q.status <> 'cancelled' AND q.date <= ?1 AND d.date <= ?1), 0)"
			  " FROM pledges p JOIN items i ON i.code = p.item WHERE p.date <= ?1"
			  " AND p.status <> 'cancelled' GROUP BY p.item, i.name, i.capability"
			  " ORDER BY i.capability, p.item", item_cols, 5},
		{"capabilities", "SELECT c.capability, coalesce(sum(c.pledged), 0),"
				 " coalesce(sum(c.delivered), 0), coalesce(sum(c.required), 0) FROM ("
				 " SELECT i.capability, p.quantity AS pledged, (SELECT coalesce(sum(d.quantity), 0)"
				 " FROM deliveries d WHERE d.pledge = p.id AND d.date <= ?1) AS delivered,"
				 " 0 AS required FROM pledges p JOIN items i ON i.code = p.item"
				 " WHERE p.date <= ?1 AND p.status <> 'cancelled'"
				 " UNION ALL SELECT coalesce(r.capability, i.capability), 0, 0, r.quantity"
				 " FROM requirements r LEFT JOIN items i ON i.code = r.item) c"
				 " GROUP BY c.capability ORDER BY c.capability", cap_cols, 4},
	};

	struct qm_stmt *st;
	rc = qm_store_prepare(l->store,
		"SELECT count(*), coalesce(sum(value_eur_cents), 0) FROM pledges"
		" WHERE date <= ?1 AND status <> 'cancelled'", &st, err);
	if (rc == QM_OK) {
		qm_stmt_bind_text(st, 1, as_of);
		if (qm_stmt_step(st, err) == QM_STEP_ROW) {
			json_object_set_new(r, "pledges", json_integer(qm_stmt_int(st, 0)));
			json_object_set_new(r, "value_eur_cents", json_integer(qm_stmt_int(st, 1)));
		}
		qm_stmt_finalize(st);
	}
	for (size_t i = 0; rc == QM_OK && i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (i == 1) {
			json_t *donors = json_array();
			json_object_set_new(r, "top_donors", donors);
			rc = top_donors(l, as_of, donors, err);
			if (rc != QM_OK)
				break;
		}
		json_t *a = json_array();
		json_object_set_new(r, sections[i].key, a);
		rc = rows_to_json(l, sections[i].sql, as_of, sections[i].cols, sections[i].n, a, err);
	}
	if (rc == QM_OK) {
		struct finding_count fc = {json_object()};
		for (const struct qm_check_def *d = qm_checks(); d->name; d++)
			json_object_set_new(fc.counts, d->name, json_integer(0));
		json_object_set_new(r, "findings", fc.counts);
		rc = qm_check_run(l, as_of, count_finding, &fc, err);
	}
	if (rc != QM_OK) {
		json_decref(r);
		return rc;
	}
	*out = r;
	return QM_OK;
}
