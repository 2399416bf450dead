/*
 * burden_json.c - burden sharing as the JSON of `qm burden --json` (and of
 * the API): money in integer euro cents, shares and ratios as decimal
 * strings so that nothing passes through floating point.
 */
#include <string.h>

#include "qm/burden.h"
#include "qm/money.h"

static json_t *list_array(const char *list)
{
	json_t *a = json_array();
	char word[64];
	for (const char *p = list; a && p && *p;) {
		size_t n = strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		json_array_append_new(a, json_string(word));
		p += n + (p[n] == ' ');
	}
	return a;
}

static json_t *decimal(int64_t num, int64_t den, int places)
{
	char buf[32];
	return den ? json_string(qm_ratio_format(num, den, places, buf)) : json_null();
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *row_json(const struct qm_burden *b, const struct qm_burden_row *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "party", json_string(r->party));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "gdp_amount_cents", json_integer(r->gdp_amount_cents));
	json_object_set_new(o, "gdp_currency", json_string(r->gdp_currency));
	json_object_set_new(o, "gdp_mean_rate", r->gdp_rate_days
		? decimal(r->gdp_rate_sum_micro, r->gdp_rate_days * 1000000, 6) : json_null());
	json_object_set_new(o, "gdp_rate_days", json_integer(r->gdp_rate_days));
	json_object_set_new(o, "gdp_eur_cents", json_integer(r->gdp_eur_cents));
	json_object_set_new(o, "gdp_share", decimal(r->gdp_eur_cents, b->gdp_eur_cents, 6));
	json_object_set_new(o, "fair_share_eur_cents", json_integer(r->fair_share_eur_cents));
	json_object_set_new(o, "counted_eur_cents", json_integer(r->counted_eur_cents));
	json_object_set_new(o, "ratio", decimal(r->counted_eur_cents, r->fair_share_eur_cents, 4));
	json_object_set_new(o, "shortfall_eur_cents",
		json_integer(r->fair_share_eur_cents - r->counted_eur_cents));
	json_object_set_new(o, "counted_gdp_share", decimal(r->counted_eur_cents, r->gdp_eur_cents, 6));
	if (b->nperiods) {
		json_t *a = json_array();
		for (int k = 0; k < b->nperiods; k++)
			json_array_append_new(a, json_integer(r->by_period[k]));
		json_object_set_new(o, "by_period", a);
	}
	return o;
}

static json_t *line_json(const struct qm_burden *b, const struct qm_burden_line *ln)
{
	char day[11];
	json_t *o = json_object();
	json_object_set_new(o, "party", json_string(b->rows[ln->row].party));
	json_object_set_new(o, "counted", json_boolean(ln->counted));
	json_object_set_new(o, "date", json_string(qm_date_format(ln->date, day)));
	json_object_set_new(o, "pledge", json_string(ln->pledge));
	json_object_set_new(o, "delivery", str_or_null(ln->delivery));
	json_object_set_new(o, "via", str_or_null(ln->via));
	json_object_set_new(o, "item", str_or_null(ln->item));
	json_object_set_new(o, "quantity", ln->quantity ? json_integer(ln->quantity) : json_null());
	json_object_set_new(o, "status", str_or_null(ln->status));
	json_object_set_new(o, "cost_type", str_or_null(ln->cost_type));
	json_object_set_new(o, "channel", str_or_null(ln->channel));
	json_object_set_new(o, "valuation", str_or_null(ln->valuation));
	json_object_set_new(o, "value_eur_cents", json_integer(ln->value_eur_cents));
	json_object_set_new(o, "reason", json_string(ln->reason));
	json_object_set_new(o, "source", str_or_null(ln->source));
	return o;
}

json_t *qm_burden_to_json(const struct qm_burden *b, const char *explain)
{
	char day[11];
	int only = explain ? qm_burden_row_of(b, explain) : -1;
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "framework", json_string(b->id));
	json_object_set_new(o, "name", json_string(b->name));
	json_object_set_new(o, "start", json_string(qm_date_format(b->start, day)));
	json_object_set_new(o, "end", json_string(qm_date_format(b->end, day)));
	json_object_set_new(o, "amount_cents", json_integer(b->amount_cents));
	json_object_set_new(o, "currency", json_string(b->currency));
	json_object_set_new(o, "gdp_year", json_integer(b->gdp_year));
	json_object_set_new(o, "parties", json_string(b->parties));
	json_object_set_new(o, "exempt", list_array(b->exempt));
	json_object_set_new(o, "counts", json_string(b->counts));
	json_object_set_new(o, "cost_types", list_array(b->cost_types));
	json_object_set_new(o, "source", str_or_null(b->source));
	json_object_set_new(o, "baseline_eur_cents", json_integer(b->baseline_eur_cents));
	json_object_set_new(o, "gdp_eur_cents", json_integer(b->gdp_eur_cents));
	json_object_set_new(o, "counted_eur_cents", json_integer(b->counted_eur_cents));
	json_object_set_new(o, "ratio", decimal(b->counted_eur_cents, b->baseline_eur_cents, 4));
	json_object_set_new(o, "shortfall_eur_cents",
		json_integer(b->baseline_eur_cents - b->counted_eur_cents));
	json_object_set_new(o, "journal_seq", json_integer(b->journal_seq));
	json_object_set_new(o, "journal_head", json_string(b->journal_head));
	json_object_set_new(o, "kiel_counted_eur_cents", json_integer(b->kiel_counted_eur_cents));
	if (b->nperiods) {
		json_t *a = json_array();
		for (int k = 0; k < b->nperiods; k++) {
			const struct qm_burden_period *p = &b->periods[k];
			json_t *po = json_object();
			json_object_set_new(po, "period", json_string(p->label));
			json_object_set_new(po, "start", json_string(qm_date_format(p->start, day)));
			json_object_set_new(po, "end", json_string(qm_date_format(p->end, day)));
			json_object_set_new(po, "counted_eur_cents", json_integer(p->counted_eur_cents));
			json_array_append_new(a, po);
		}
		json_object_set_new(o, "periods", a);
	}
	json_t *rows = json_array();
	for (int i = 0; i < b->nrows; i++)
		if (!explain || i == only)
			json_array_append_new(rows, row_json(b, &b->rows[i]));
	json_object_set_new(o, "rows", rows);
	if (explain) {
		json_t *lines = json_array();
		for (size_t i = 0; i < b->nlines; i++)
			if (b->lines[i].row == only)
				json_array_append_new(lines, line_json(b, &b->lines[i]));
		json_object_set_new(o, "lines", lines);
	}
	return o;
}
