/*
 * check.c - the named data checks: each is one query that yields the key of
 * every record it finds and a message, run in a fixed order.
 */
#include <stdio.h>
#include <string.h>

#include "qm/check.h"
#include "ledger_int.h"

struct check_sql {
	const char *kind;
	const char *sql; /* selects key, message; ?1 is the as-of date */
};

static const struct qm_check_def defs[] = {
	{"pledge-without-source", "a pledge that names no source"},
	{"estimated-without-price", "a pledge valued by its item, whose item has no unit price"},
	{"item-without-price", "a catalogue item without a reference unit price"},
	{"delivery-after-available", "a delivery dated after its pledge's available date"},
	{"requirement-without-source", "a requirement that names no source"},
	{"ally-without-gdp", "an ally with pledges in a year for which it has no GDP"},
	{NULL, NULL},
};

static const struct check_sql sqls[] = {
	{"pledges", "SELECT id, 'pledge has no source' FROM pledges"
		    " WHERE (source IS NULL OR trim(source) = '') AND date <= ?1 ORDER BY id"},
	{"pledges", "SELECT p.id, 'no unit price for item ''' || p.item || ''', so the pledge has no"
		    " value' FROM pledges p JOIN items i ON i.code = p.item"
		    " WHERE p.amount IS NULL AND i.unit_price IS NULL AND p.counted_in IS NULL"
		    " AND p.status <> 'cancelled' AND p.date <= ?1 ORDER BY p.id"},
	{"items", "SELECT code, 'item has no unit price' FROM items WHERE unit_price IS NULL"
		  " ORDER BY code"},
	{"deliveries", "SELECT d.id, 'delivered ' || d.date || ', after pledge ''' || p.id ||"
		       " ''' was to be available on ' || p.available FROM deliveries d"
		       " JOIN pledges p ON p.id = d.pledge WHERE d.date > p.available AND d.date <= ?1"
		       " ORDER BY d.id"},
	{"requirements", "SELECT id, 'requirement has no source' FROM requirements"
			 " WHERE source IS NULL OR trim(source) = '' ORDER BY id"},
	{"parties", "SELECT y.donor, 'no GDP for ' || y.year || ', a year it pledged in' FROM"
		    " (SELECT DISTINCT donor, substr(date, 1, 4) AS year FROM pledges WHERE date <= ?1"
		    " AND status <> 'cancelled') y"
		    " JOIN parties a ON a.code = y.donor AND a.ally = 'yes'"
		    " WHERE NOT EXISTS (SELECT 1 FROM gdp g WHERE g.party = y.donor"
		    " AND g.year = CAST(y.year AS INTEGER)) ORDER BY y.donor, y.year"},
};

const struct qm_check_def *qm_checks(void)
{
	return defs;
}

int qm_check_run(struct qm_ledger *l, const char *as_of, qm_finding_cb cb, void *ctx,
	struct qm_error *err)
{
	for (size_t i = 0; defs[i].name; i++) {
		struct qm_stmt *st;
		int rc = qm_store_prepare(l->store, sqls[i].sql, &st, err), step;
		if (rc != QM_OK)
			return rc;
		qm_stmt_stream(st);
		if (strstr(sqls[i].sql, "?1"))
			qm_stmt_bind_text(st, 1, as_of ? as_of : "9999-12-31");
		while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
			struct qm_finding f = {defs[i].name, sqls[i].kind, qm_stmt_text(st, 0),
				qm_stmt_text(st, 1)};
			if (cb(ctx, &f)) {
				step = QM_STEP_DONE;
				break;
			}
		}
		qm_stmt_finalize(st);
		if (step == QM_STEP_ERROR)
			return err->code;
	}
	return QM_OK;
}
