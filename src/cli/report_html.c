/*
 * report_html.c - the half-yearly burden-sharing report as one self-contained
 * HTML file: headline progress against the baseline, three charts drawn as
 * SVG by this file (counted against fair share per ally, the ranking by
 * share of GDP, cumulative counted value against the baseline), the table
 * behind each chart, the method in plain words and the data findings that
 * affect the numbers; and, when the ledger has courses or crews, the training
 * section (the core's qm_report_training): seats against trainees needed per
 * skill, a timeline of the courses by provider drawn as SVG, and the
 * requirements whose ready date lags their equipment. Nothing is loaded from anywhere: styles are inline and
 * there is no script. Charts use black, greys, hatching and dash patterns
 * only, so that they read the same printed in black and white. The same
 * ledger gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/check.h"
#include "qm/money.h"
#include "qm/report.h"
#include "qm/sort.h"
#include "report_html.h"

#define W 760 /* the charts' viewBox width */

static void esc(FILE *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		default: fputc(*s, o);
		}
	}
}

static const char *eur(int64_t cents, char buf[40])
{
	return qm_money_human(cents, 0, buf);
}

static const char *bn(int64_t cents, char buf[40])
{
	char r[32];
	snprintf(buf, 40, "%s bn", qm_ratio_format(cents, 100000000000LL, 2, r));
	return buf;
}

static const char *pct(int64_t num, int64_t den, int places, char buf[32])
{
	char r[32];
	if (!den)
		return strcpy(buf, "-");
	snprintf(buf, 32, "%s%%", qm_ratio_format(num * 100, den, places, r));
	return buf;
}

/* ---- shared SVG parts ---- */

static void svg_open(FILE *o, const char *id, int height, const char *title)
{
	fprintf(o, "<svg role=\"img\" aria-labelledby=\"%s-title\" viewBox=\"0 0 %d %d\""
		" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">\n<title id=\"%s-title\">", id, W,
		height, id);
	esc(o, title);
	fputs("</title>\n<defs><pattern id=\"hatch-", o);
	fputs(id, o);
	fputs("\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
		" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\""
		" stroke=\"#000\" stroke-width=\"1.5\"/></pattern></defs>\n", o);
}

/* One horizontal bar row: label, bar from x0 of length len, value text. */
static void bar_row(FILE *o, const char *id, int y, const char *label, double x0, double len,
	int solid, const char *value, int clipped)
{
	fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", x0 - 6, y + 11);
	esc(o, label);
	fputs("</text>\n", o);
	if (len > 0)
		fprintf(o, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s%s%s\""
			" stroke=\"#000\" stroke-width=\"1\"/>\n", x0, y + 1, len,
			solid ? "#444" : "url(#hatch-", solid ? "" : id, solid ? "" : ")");
	fprintf(o, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s%s</text>\n", x0 + len + 4, y + 11,
		value, clipped ? " &#8250;" : "");
}

static void ref_line(FILE *o, double x, int y0, int y1, const char *label)
{
	fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\""
		" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>\n", x, y0, x, y1);
	fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"ref\">", x, y0 - 4);
	esc(o, label);
	fputs("</text>\n", o);
}

/* ---- chart 1: counted against fair share per ally ---- */

#define CAP_RATIO 3.0 /* bars longer than 300% of the fair share are cut */

static void chart_fair_share(FILE *o, const struct qm_burden *b, const int *order)
{
	const double x0 = 190, x1 = 690;
	int h = 40 + 16 * b->nrows + 10;
	char label[96], v[32], f[40], c[40];
	fputs("<figure class=\"chart\" id=\"chart-fair-share\">\n", o);
	svg_open(o, "fair-share", h, "Counted against fair share, per ally");
	double unit = (x1 - x0) / CAP_RATIO;
	for (int k = 0; k < b->nrows; k++) {
		const struct qm_burden_row *r = &b->rows[order[k]];
		double ratio = r->fair_share_eur_cents
			? (double)r->counted_eur_cents / (double)r->fair_share_eur_cents : 0;
		int clipped = ratio > CAP_RATIO;
		snprintf(label, sizeof(label), "%s %s", r->party, r->name);
		bar_row(o, "fair-share", 30 + 16 * k, label, x0, (clipped ? CAP_RATIO : ratio) * unit,
			ratio >= 1, pct(r->counted_eur_cents, r->fair_share_eur_cents, 0, v), clipped);
	}
	ref_line(o, x0 + unit, 24, h - 8, "fair share (100%)");
	for (int t = 0; t <= 3; t++)
		fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%d%%</text>\n",
			x0 + unit * t, h - 1, t * 100);
	fputs("</svg>\n<figcaption>Counted value as a percentage of each ally's fair share, largest fair"
		" share first. Solid bars: at or above the fair share; hatched bars: below it. Bars are cut"
		" at 300% (marked &#8250;); the table gives every figure.</figcaption>\n</figure>\n", o);
	fputs("<table class=\"chart-data\"><caption>Behind the chart: fair share and counted value per"
		" ally (EUR)</caption>\n<thead><tr><th>party</th><th>name</th><th>GDP share</th>"
		"<th>fair share</th><th>counted</th><th>counted / fair share</th><th>short (&#8722;) or"
		" over</th></tr></thead>\n<tbody>\n", o);
	for (int k = 0; k < b->nrows; k++) {
		const struct qm_burden_row *r = &b->rows[order[k]];
		char g[32], d[40];
		int64_t diff = r->counted_eur_cents - r->fair_share_eur_cents;
		fprintf(o, "<tr><td>%s</td><td>", r->party);
		esc(o, r->name);
		fprintf(o, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td></tr>\n",
			pct(r->gdp_eur_cents, b->gdp_eur_cents, 4, g), eur(r->fair_share_eur_cents, f),
			eur(r->counted_eur_cents, c), pct(r->counted_eur_cents, r->fair_share_eur_cents, 1, v),
			diff < 0 ? "&#8722;" : diff > 0 ? "+" : "", eur(diff < 0 ? -diff : diff, d));
	}
	fprintf(o, "</tbody>\n<tfoot><tr><th>total</th><th></th><th>100%%</th><th>%s</th><th>%s</th>"
		"<th>%s</th><th></th></tr></tfoot></table>\n", eur(b->baseline_eur_cents, f),
		eur(b->counted_eur_cents, c), pct(b->counted_eur_cents, b->baseline_eur_cents, 1, v));
}

/* ---- chart 2: ranking by counted value as a share of own GDP ---- */

static void chart_gdp_share(FILE *o, const struct qm_burden *b, const int *order)
{
	const double x0 = 190, x1 = 690;
	int h = 40 + 16 * b->nrows + 10;
	char label[96], v[32], c[40];
	double fair = b->gdp_eur_cents ? (double)b->baseline_eur_cents / (double)b->gdp_eur_cents : 0;
	double max = fair;
	for (int k = 0; k < b->nrows; k++) {
		const struct qm_burden_row *r = &b->rows[k];
		double s = r->gdp_eur_cents ? (double)r->counted_eur_cents / (double)r->gdp_eur_cents : 0;
		if (s > max)
			max = s;
	}
	if (max <= 0)
		max = 1;
	max *= 1.05;
	fputs("<figure class=\"chart\" id=\"chart-gdp-share\">\n", o);
	svg_open(o, "gdp-share", h, "Counted value as a share of each ally's own GDP, ranked");
	for (int k = 0; k < b->nrows; k++) {
		const struct qm_burden_row *r = &b->rows[order[k]];
		double s = r->gdp_eur_cents ? (double)r->counted_eur_cents / (double)r->gdp_eur_cents : 0;
		snprintf(label, sizeof(label), "%d. %s %s", k + 1, r->party, r->name);
		bar_row(o, "gdp-share", 30 + 16 * k, label, x0, s / max * (x1 - x0), s >= fair,
			pct(r->counted_eur_cents, r->gdp_eur_cents, 3, v), 0);
	}
	char fl[64], fp[32];
	snprintf(fl, sizeof(fl), "fair-share level %s of GDP",
		pct(b->baseline_eur_cents, b->gdp_eur_cents, 3, fp));
	ref_line(o, x0 + fair / max * (x1 - x0), 24, h - 8, fl);
	fputs("</svg>\n<figcaption>Counted value as a percentage of the ally's own GDP, highest first."
		" An ally that counts exactly its fair share sits on the dashed line, which is the baseline"
		" as a share of the bound allies' GDP; solid bars reach it, hatched bars do not."
		"</figcaption>\n</figure>\n", o);
	fputs("<table class=\"chart-data\"><caption>Behind the chart: counted value as a share of GDP"
		"</caption>\n<thead><tr><th>rank</th><th>party</th><th class=\"l\">name</th><th>counted / GDP</th>"
		"<th>counted (EUR)</th><th>GDP in EUR</th></tr></thead>\n<tbody>\n", o);
	for (int k = 0; k < b->nrows; k++) {
		const struct qm_burden_row *r = &b->rows[order[k]];
		char g[40];
		fprintf(o, "<tr><td>%d</td><td>%s</td><td class=\"l\">", k + 1, r->party);
		esc(o, r->name);
		fprintf(o, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			pct(r->counted_eur_cents, r->gdp_eur_cents, 3, v), eur(r->counted_eur_cents, c),
			eur(r->gdp_eur_cents, g));
	}
	fputs("</tbody></table>\n", o);
}

/* ---- chart 3: cumulative counted value over the period ---- */

struct point {
	qm_day date;
	int64_t value;
};

static int by_date(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	const struct point *x = a, *y = b;
	return x->date < y->date ? -1 : x->date > y->date;
}

static void chart_cumulative(FILE *o, const struct qm_burden *b)
{
	const double x0 = 90, x1 = 730, y0 = 30, y1 = 300;
	struct point *pts = malloc(sizeof(*pts) * (b->nlines + 1));
	size_t n = 0;
	char v[40], d[11], c[40], p[40];
	if (!pts)
		return;
	for (size_t i = 0; i < b->nlines; i++)
		if (b->lines[i].counted)
			pts[n++] = (struct point){b->lines[i].date, b->lines[i].value_eur_cents};
	qm_sort(pts, n, sizeof(*pts), by_date, NULL); /* stable: the lines' order breaks ties */
	double span = (double)(b->end - b->start + 1);
	double top = (double)(b->counted_eur_cents > b->baseline_eur_cents ? b->counted_eur_cents
		: b->baseline_eur_cents) * 1.1;
	if (top <= 0)
		top = 1;
#define X(day) (x0 + ((double)((day) - b->start)) / span * (x1 - x0))
#define Y(val) (y1 - (double)(val) / top * (y1 - y0))
	fputs("<figure class=\"chart\" id=\"chart-cumulative\">\n", o);
	svg_open(o, "cumulative", 340, "Cumulative counted value over the period against the baseline");
	/* axes and value ticks in EUR bn */
	fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n", x0, y1,
		x1, y1);
	fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n", x0, y0,
		x0, y1);
	for (int t = 0; t <= 4; t++) {
		double val = top / 1.1 * t / 4;
		fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\""
			" stroke-width=\"0.5\"/>\n", x0, Y(val), x1, Y(val));
		fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>\n",
			x0 - 4, Y(val) + 4, bn((int64_t)val, v));
	}
	/* month ticks: each month start, labelled every month up to a year, else quarterly */
	int y, m, dd, months = 0;
	qm_date_to_ymd(b->start, &y, &m, &dd);
	for (qm_day t = qm_date_from_ymd(y, m, 1); t <= b->end; months++) {
		int ty, tm, td;
		qm_date_to_ymd(t, &ty, &tm, &td);
		if (t >= b->start) {
			fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n",
				X(t), y1, X(t), y1 + 4);
			if (span <= 400 || tm % 3 == 1)
				fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"tick\">"
					"%04d-%02d</text>\n", X(t) + (span <= 400 ? 26 : 0), y1 + 16, ty, tm);
		}
		t = qm_date_from_ymd(tm == 12 ? ty + 1 : ty, tm == 12 ? 1 : tm + 1, 1);
	}
	/* the baseline, and the baseline pro rata over the period */
	fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\""
		" stroke-width=\"1.5\" stroke-dasharray=\"8 4\"/>\n", x0, Y(b->baseline_eur_cents), x1,
		Y(b->baseline_eur_cents));
	fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"ref\">baseline EUR %s"
		"</text>\n", x1, Y(b->baseline_eur_cents) - 5, bn(b->baseline_eur_cents, v));
	fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\""
		" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n", x0, y1, x1, Y(b->baseline_eur_cents));
	fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" class=\"ref\">baseline pro rata</text>\n",
		X(b->start + (qm_day)(span * 0.55)), Y(b->baseline_eur_cents * 0.55) + 16);
	/* the counted value as a step line */
	fprintf(o, "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\" points=\"%.1f,%.1f",
		x0, y1);
	int64_t cum = 0;
	for (size_t i = 0; i < n; i++) {
		fprintf(o, " %.1f,%.1f", X(pts[i].date), Y(cum));
		cum += pts[i].value;
		fprintf(o, " %.1f,%.1f", X(pts[i].date), Y(cum));
	}
	fprintf(o, " %.1f,%.1f\"/>\n", x1, Y(cum));
	fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"val\">counted EUR %s</text>\n",
		x1, Y(cum) + (cum > b->baseline_eur_cents * 0.9 && cum < b->baseline_eur_cents * 1.1 ? 16 : -5),
		bn(cum, v));
	fputs("</svg>\n<figcaption>Counted value added up over the period (thick line), against the"
		" baseline (dashed) and the baseline spread evenly over the period (dotted). A step is a"
		" pledge or delivery on its date.</figcaption>\n</figure>\n", o);
	/* the table: per month */
	fputs("<table class=\"chart-data\"><caption>Behind the chart: counted value per month (EUR)"
		"</caption>\n<thead><tr><th>month</th><th>to</th><th>counted in the month</th>"
		"<th>cumulative</th><th>baseline pro rata</th></tr></thead>\n<tbody>\n", o);
	cum = 0;
	size_t i = 0;
	qm_date_to_ymd(b->start, &y, &m, &dd);
	for (qm_day t = b->start; t <= b->end;) {
		int ty, tm, td;
		qm_date_to_ymd(t, &ty, &tm, &td);
		qm_day me = qm_date_from_ymd(tm == 12 ? ty + 1 : ty, tm == 12 ? 1 : tm + 1, 1) - 1;
		if (me > b->end)
			me = b->end;
		int64_t month = 0;
		for (; i < n && pts[i].date <= me; i++)
			month += pts[i].value;
		cum += month;
		int64_t pro = qm_muldiv_round(b->baseline_eur_cents, me - b->start + 1,
			b->end - b->start + 1);
		fprintf(o, "<tr><td>%04d-%02d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", ty,
			tm, qm_date_format(me, d), eur(month, v), eur(cum, c), eur(pro, p));
		t = me + 1;
	}
	fputs("</tbody></table>\n", o);
	free(pts);
#undef X
#undef Y
}

/* ---- training: seats per skill, the courses by provider, readiness ---- */

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static long long jnum(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static qm_day jday(json_t *o, const char *k)
{
	qm_day d = 0;
	qm_date_parse(jstr(o, k), &d);
	return d;
}

#define LANE 16          /* height of one lane of bars */
#define CHAR_PX 6.2      /* an estimate of one character's width at 10px */
#define MAX_LANES 64

/* The courses as bars on a time axis, one band per provider; courses whose
 * bar or label would overlap go on lanes below each other in the band. */
static void chart_calendar(FILE *o, json_t *cal)
{
	const double x0 = 150, x1 = 740;
	json_t *g, *c;
	size_t i, j;
	qm_day first = 0, last = 0;
	int any = 0;
	json_array_foreach(cal, i, g)
		json_array_foreach(json_object_get(g, "courses"), j, c) {
			qm_day s = jday(c, "start"), e = jday(c, "end");
			if (!any || s < first)
				first = s;
			if (!any || e > last)
				last = e;
			any = 1;
		}
	int y, m, d;
	qm_date_to_ymd(first, &y, &m, &d);
	first = qm_date_from_ymd(y, m, 1);
	qm_date_to_ymd(last, &y, &m, &d);
	last = qm_date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
	double span = (double)(last - first);
#define X(day) (x0 + (double)((day) - first) / span * (x1 - x0))
	/* lay out: per course its lane and label place, per provider its lanes */
	size_t n = 0, ng = json_array_size(cal);
	json_array_foreach(cal, i, g)
		n += json_array_size(json_object_get(g, "courses"));
	struct bar {
		double xs, xe, lx;
		int lane, anchor; /* anchor: 0 label right of the bar, 1 left, 2 inside */
	} *bars = calloc(n + 1, sizeof(*bars));
	int *lanes = calloc(ng + 1, sizeof(int));
	if (!bars || !lanes) {
		free(bars);
		free(lanes);
		return;
	}
	size_t k = 0;
	int height = 26;
	json_array_foreach(cal, i, g) {
		double lane_end[MAX_LANES];
		int used = 0;
		json_array_foreach(json_object_get(g, "courses"), j, c) {
			struct bar *b = &bars[k++];
			char label[96];
			snprintf(label, sizeof(label), "%s %lld", jstr(c, "skill"), jnum(c, "seats"));
			double w = CHAR_PX * (double)strlen(label);
			double lo, hi;
			b->xs = X(jday(c, "start"));
			b->xe = X(jday(c, "end") + 1);
			if (b->xe - b->xs < 2)
				b->xe = b->xs + 2;
			if (b->xe + 3 + w <= W - 2) {
				b->anchor = 0, b->lx = b->xe + 3, lo = b->xs, hi = b->xe + 3 + w;
			} else if (b->xs - 3 - w >= x0 - 4) {
				b->anchor = 1, b->lx = b->xs - 3, lo = b->xs - 3 - w, hi = b->xe;
			} else {
				b->anchor = 2, b->lx = b->xs + 3, lo = b->xs, hi = b->xe;
			}
			int lane = 0;
			while (lane < used && lane_end[lane] + 4 > lo)
				lane++;
			if (lane == MAX_LANES)
				lane = MAX_LANES - 1;
			if (lane == used && used < MAX_LANES)
				used++;
			lane_end[lane] = hi;
			b->lane = lane;
		}
		lanes[i] = used ? used : 1;
		height += lanes[i] * LANE + 8;
	}
	height += 24;
	fputs("<figure class=\"chart\" id=\"chart-training-calendar\">\n", o);
	svg_open(o, "calendar", height, "Courses by provider over time");
	/* time grid: a line at each month start, labelled every month up to
	 * about a year, every quarter up to about three years, else yearly */
	int top = 20, bottom = height - 24;
	for (qm_day t = first; t <= last;) {
		int ty, tm, td;
		qm_date_to_ymd(t, &ty, &tm, &td);
		int lab = span <= 400 || (span <= 1200 ? tm % 3 == 1 : tm == 1);
		fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\""
			" stroke-width=\"%s\"/>\n", X(t), top, X(t), bottom + (lab ? 4 : 0),
			tm == 1 ? "#888" : "#ccc", tm == 1 ? "1" : "0.5");
		if (lab && t < last) {
			if (span <= 1200)
				fprintf(o, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%04d-%02d</text>\n", X(t) + 2,
					bottom + 15, ty, tm);
			else
				fprintf(o, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%04d</text>\n", X(t) + 2,
					bottom + 15, ty);
		}
		t = qm_date_from_ymd(tm == 12 ? ty + 1 : ty, tm == 12 ? 1 : tm + 1, 1);
	}
	fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>\n", x0, bottom,
		x1, bottom);
	/* the bands */
	int band = 26;
	k = 0;
	json_array_foreach(cal, i, g) {
		char label[96];
		snprintf(label, sizeof(label), "%s %s", jstr(g, "provider"), jstr(g, "name"));
		if (i > 0)
			fprintf(o, "<line x1=\"4\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\""
				" stroke-width=\"0.5\"/>\n", band - 4, x1, band - 4);
		fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", x0 - 6, band + 11);
		esc(o, label);
		fputs("</text>\n", o);
		json_array_foreach(json_object_get(g, "courses"), j, c) {
			const struct bar *b = &bars[k++];
			const char *status = jstr(c, "status");
			int yb = band + b->lane * LANE;
			int cancelled = strcmp(status, "cancelled") == 0, committed = strcmp(status, "committed") == 0;
			fprintf(o, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\""
				" stroke=\"#000\" stroke-width=\"1\"%s><title>", b->xs, yb + 1, b->xe - b->xs,
				cancelled ? "#fff" : committed ? "#444" : "url(#hatch-calendar)",
				cancelled ? " stroke-dasharray=\"3 2\"" : "");
			esc(o, jstr(c, "id"));
			fprintf(o, ": %s, %lld seats, %s to %s, %s</title></rect>\n", jstr(c, "skill"),
				jnum(c, "seats"), jstr(c, "start"), jstr(c, "end"), status);
			fprintf(o, "<text x=\"%.1f\" y=\"%d\"%s class=\"val\"%s>", b->lx, yb + 11,
				b->anchor == 1 ? " text-anchor=\"end\"" : "",
				b->anchor == 2 && !cancelled ? " fill=\"#fff\"" : "");
			esc(o, jstr(c, "skill"));
			fprintf(o, " %lld</text>\n", jnum(c, "seats"));
		}
		band += lanes[i] * LANE + 8;
	}
#undef X
	free(bars);
	free(lanes);
	fputs("</svg>\n<figcaption>Each bar is a course, from its first to its last day, labelled"
		" with its skill and seats; one band per provider, with courses that overlap on lanes"
		" below each other. Solid bars: committed; hatched: announced; white with a dashed edge:"
		" cancelled. A course's trainees count as trained on its last day.</figcaption>\n"
		"</figure>\n", o);
	fputs("<table class=\"chart-data\"><caption>Behind the chart: the courses by provider"
		"</caption>\n<thead><tr><th>provider</th><th>course</th><th class=\"l\">skill</th>"
		"<th class=\"l\">status</th><th>start</th><th>end</th><th>seats</th>"
		"<th>trainees assigned</th></tr></thead>\n<tbody>\n", o);
	json_array_foreach(cal, i, g)
		json_array_foreach(json_object_get(g, "courses"), j, c) {
			fprintf(o, "<tr><td>%s</td><td>", jstr(g, "provider"));
			esc(o, jstr(c, "id"));
			fputs("</td><td class=\"l\">", o);
			esc(o, jstr(c, "skill"));
			fprintf(o, "</td><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%lld</td><td>%lld"
				"</td></tr>\n", jstr(c, "status"), jstr(c, "start"), jstr(c, "end"),
				jnum(c, "seats"), jnum(c, "assigned"));
		}
	fputs("</tbody></table>\n", o);
}

/* Returns 0 (also when there is no section), -1 when the section could
 * not be made. */
static int section_training(FILE *o, struct qm_ledger *l)
{
	struct qm_error err;
	json_t *tr = NULL, *x;
	size_t i;
	qm_error_clear(&err);
	if (qm_report_training(l, NULL, &tr, &err) != QM_OK)
		return -1;
	if (!tr)
		return 0;
	fputs("<section id=\"training\">\n<h2>Training: seats, courses and readiness</h2>\n", o);
	fprintf(o, "<p>From the plan of the whole ledger (<code>qm plan</code>, <code>qm training</code>):"
		" %lld courses offer %lld seats; the training requirements and the crews of the planned"
		" equipment need %lld trainees, of whom %lld have a seat and %lld are short.</p>\n",
		jnum(tr, "courses"), jnum(tr, "seats"), jnum(tr, "needed"), jnum(tr, "assigned"),
		jnum(tr, "short"));
	fputs("<table><caption>Seats against trainees needed, per skill</caption>\n<thead><tr>"
		"<th>skill</th><th>seats</th><th>trainees needed</th><th>of which crews</th>"
		"<th>assigned</th><th>short</th></tr></thead>\n<tbody>\n", o);
	json_array_foreach(json_object_get(tr, "skills"), i, x) {
		fputs("<tr><td>", o);
		esc(o, jstr(x, "skill"));
		fprintf(o, "</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>\n",
			jnum(x, "seats"), jnum(x, "needed"), jnum(x, "crew_needed"), jnum(x, "assigned"),
			jnum(x, "short"));
	}
	fputs("</tbody></table>\n", o);
	if (json_array_size(json_object_get(tr, "calendar")))
		chart_calendar(o, json_object_get(tr, "calendar"));
	json_t *lag = json_object_get(tr, "lagging");
	if (json_array_size(lag) == 0) {
		fputs("<p>Every requirement is ready when its equipment is there.</p>\n", o);
	} else {
		fputs("<table id=\"training-lag\"><caption>Ready dates that lag the equipment: never ready"
			" first (a unit or a trainee short), then the longest lag</caption>\n<thead><tr>"
			"<th>requirement</th><th>capability or item</th><th>priority</th><th>equipment"
			" expected</th><th>ready</th><th>lag (days)</th><th>crew trainees needed</th>"
			"<th>short</th></tr></thead>\n<tbody>\n", o);
		json_array_foreach(lag, i, x) {
			json_t *days = json_object_get(x, "lag_days");
			fputs("<tr><td>", o);
			esc(o, jstr(x, "id"));
			fputs("</td><td>", o);
			esc(o, jstr(x, "need"));
			fprintf(o, "</td><td>%lld</td><td>%s</td><td>%s</td>", jnum(x, "priority"),
				json_is_string(json_object_get(x, "expected")) ? jstr(x, "expected") : "never",
				json_is_string(json_object_get(x, "ready")) ? jstr(x, "ready") : "never");
			if (json_is_integer(days))
				fprintf(o, "<td>%lld</td>", (long long)json_integer_value(days));
			else
				fputs("<td>unbounded</td>", o);
			fprintf(o, "<td>%lld</td><td>%lld</td></tr>\n", jnum(x, "crew_needed"),
				jnum(x, "crew_short"));
		}
		fputs("</tbody></table>\n", o);
	}
	fputs("</section>\n", o);
	json_decref(tr);
	return 0;
}

/* ---- findings ---- */

struct findings {
	const struct qm_burden *b;
	long count[16];
	FILE *o;
	long listed;
};

static int on_finding(void *ctx, const struct qm_finding *f)
{
	struct findings *fs = ctx;
	const struct qm_check_def *defs = qm_checks();
	for (int i = 0; defs[i].name && i < 16; i++)
		if (strcmp(defs[i].name, f->check) == 0)
			fs->count[i]++;
	return 0;
}

static void section_findings(FILE *o, struct qm_ledger *l, const struct qm_burden *b)
{
	struct findings fs = {.b = b, .o = o};
	struct qm_error err;
	char v[40], pc[32];
	qm_error_clear(&err);
	fputs("<section id=\"findings\">\n<h2>Data findings that affect the numbers</h2>\n<ul>\n", o);
	if (b->kiel_lines)
		fprintf(o, "<li><strong>Cumulative totals counted in this period.</strong> %ld counted"
			" pledges (EUR %s, %s of the counted value) come from the Kiel Institute's"
			" heavy-weapons table, whose figures are allocations accumulated since 2022 and carry"
			" the table's cut-off date. They count in full in the period that holds that date,"
			" and may overlap with dated pledges of the same donors and items.</li>\n",
			b->kiel_lines, eur(b->kiel_counted_eur_cents, v),
			pct(b->kiel_counted_eur_cents, b->counted_eur_cents, 1, pc));
	if (b->unvalued_lines)
		fprintf(o, "<li><strong>Counted without a value.</strong> %ld counted pledges or"
			" deliveries have no value, because their item has no unit price; they add nothing"
			" to the figures (qm burden --explain lists them).</li>\n", b->unvalued_lines);
	if (qm_check_run(l, NULL, on_finding, &fs, &err) == QM_OK) {
		const struct qm_check_def *defs = qm_checks();
		for (int i = 0; defs[i].name && i < 16; i++)
			if (fs.count[i]) {
				fprintf(o, "<li><strong>%s</strong>: %ld finding%s in the whole ledger: ",
					defs[i].name, fs.count[i], fs.count[i] == 1 ? "" : "s");
				esc(o, defs[i].description);
				fputs(" (qm check lists them).</li>\n", o);
			}
	}
	if (!b->kiel_lines && !b->unvalued_lines)
		fputs("<li>No counted figure rests on cumulative totals or on a missing price.</li>\n", o);
	fputs("</ul>\n</section>\n", o);
}

/* ---- the page ---- */

static const char style[] =
	"<style>\n"
	":root{color:#000;background:#fff;font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,"
	"sans-serif;font-size:15px;line-height:1.45}\n"
	"body{max-width:62rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;"
	"border-bottom:2px solid #000}\n"
	".headline{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}\n"
	".headline div{flex:1 1 12rem;border:1px solid #000;padding:.6rem}\n"
	".headline strong{display:block;font-size:1.5rem}\n"
	"figure{margin:1rem 0;break-inside:avoid;page-break-inside:avoid}\n"
	"figure svg{max-width:100%;height:auto;display:block}\n"
	"svg text{font-family:inherit}svg .lbl,svg .val,svg .tick{font-size:11px}"
	"svg .ref{font-size:11px;font-style:italic}\n"
	"figcaption{font-size:.9rem;margin-top:.3rem}\n"
	"table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}\n"
	"caption{text-align:left;font-weight:bold;padding:.3rem 0}\n"
	"th,td{border-bottom:1px solid #999;padding:.15rem .4rem;text-align:right}\n"
	"th:nth-child(-n+2),td:nth-child(-n+2),th.l,td.l{text-align:left}\n"
	".meta{font-size:.85rem;color:#333}\n"
	"@media print{:root{font-size:11pt}body{max-width:none;padding:0}"
	"h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}"
	"table.chart-data{font-size:8pt}}\n"
	"@page{size:A4;margin:15mm}\n"
	"</style>\n";

int report_html_write(FILE *o, struct qm_ledger *l, const struct qm_burden *b)
{
	char v[40], c[40], s[11], e[11], p[32];
	int at_or_over = 0;
	int64_t short_total = 0;
	for (int i = 0; i < b->nrows; i++) {
		const struct qm_burden_row *r = &b->rows[i];
		if (r->counted_eur_cents >= r->fair_share_eur_cents)
			at_or_over++;
		else
			short_total += r->fair_share_eur_cents - r->counted_eur_cents;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", o);
	esc(o, b->name);
	fputs("</title>\n", o);
	fputs(style, o);
	fputs("</head>\n<body>\n<header>\n<h1>Burden sharing: ", o);
	esc(o, b->name);
	fprintf(o, "</h1>\n<p class=\"meta\">Framework <code>%s</code>, period %s to %s. Figures from"
		" the ledger as of journal entry %lld", b->id, qm_date_format(b->start, s),
		qm_date_format(b->end, e), (long long)b->journal_seq);
	if (b->journal_head[0])
		fprintf(o, " (hash <code>%.16s&#8230;</code>; <code>qm audit verify</code> checks it)",
			b->journal_head);
	fputs(". Made by Quartermaster <code>qm report --framework ", o);
	esc(o, b->id);
	fputs(" --format html</code>.</p>\n</header>\n", o);

	fputs("<section id=\"headline\">\n<h2>Progress against the baseline</h2>\n<div class=\"headline\">\n", o);
	fprintf(o, "<div>counted<strong>EUR %s</strong>%s of the baseline</div>\n",
		bn(b->counted_eur_cents, v), pct(b->counted_eur_cents, b->baseline_eur_cents, 1, p));
	fprintf(o, "<div>baseline<strong>EUR %s</strong>shared by %d allies</div>\n",
		bn(b->baseline_eur_cents, c), b->nrows);
	fprintf(o, "<div>at or above their fair share<strong>%d of %d</strong>allies</div>\n",
		at_or_over, b->nrows);
	fprintf(o, "<div>short of their fair share, together<strong>EUR %s</strong>%d allies</div>\n",
		bn(short_total, v), b->nrows - at_or_over);
	fputs("</div>\n", o);
	/* a progress bar */
	double frac = b->baseline_eur_cents ? (double)b->counted_eur_cents / (double)b->baseline_eur_cents : 0;
	fprintf(o, "<svg role=\"img\" aria-label=\"counted %s of the baseline\" viewBox=\"0 0 %d 34\""
		" width=\"100%%\"><rect x=\"1\" y=\"4\" width=\"%d\" height=\"20\" fill=\"#fff\""
		" stroke=\"#000\"/><rect x=\"1\" y=\"4\" width=\"%.1f\" height=\"20\" fill=\"#444\"/>"
		"<text x=\"4\" y=\"33\" font-size=\"10\">0</text><text x=\"%d\" y=\"33\" font-size=\"10\""
		" text-anchor=\"end\">baseline</text></svg>\n</section>\n", p, W, W - 2,
		(frac > 1 ? 1 : frac) * (W - 2), W - 2);

	int *by_fair = qm_burden_order(b, QM_ORDER_FAIR_SHARE);
	int *by_gdp = qm_burden_order(b, QM_ORDER_GDP_SHARE);
	if (!by_fair || !by_gdp) {
		free(by_fair);
		free(by_gdp);
		return -1;
	}
	fputs("<section id=\"fair-share\">\n<h2>Each ally against its fair share</h2>\n", o);
	chart_fair_share(o, b, by_fair);
	fputs("</section>\n<section id=\"gdp-share\">\n<h2>Ranking by share of GDP</h2>\n", o);
	chart_gdp_share(o, b, by_gdp);
	fputs("</section>\n<section id=\"over-time\">\n<h2>Counted value over the period</h2>\n", o);
	chart_cumulative(o, b);
	fputs("</section>\n", o);
	free(by_fair);
	free(by_gdp);
	if (section_training(o, l) < 0)
		return -1;

	fputs("<section id=\"method\">\n<h2>Method</h2>\n<ul>\n", o);
	fprintf(o, "<li><strong>Who shares.</strong> %s",
		strcmp(b->parties, "allies") == 0 ? "Every ally in the ledger" : "The parties the framework lists");
	if (b->exempt) {
		fputs(", except ", o);
		esc(o, b->exempt);
		fputs(", which the framework exempts", o);
	}
	fprintf(o, ": %d in all.</li>\n", b->nrows);
	fprintf(o, "<li><strong>Fair share.</strong> Each ally's GDP of %d (World Bank, current prices)"
		" is converted to euros at the average of that year's daily ECB reference rates. Its fair"
		" share is the baseline of EUR %s times its share of the allies' summed GDP, in whole cents;"
		" the cents left over by rounding down go one each to the largest remainders, so the shares"
		" add up to the baseline exactly.</li>\n", b->gdp_year, eur(b->baseline_eur_cents, v));
	fputs("<li><strong>What counts.</strong> Pledges of the ally dated in the period whose status"
		" is ", o);
	esc(o, b->counts);
	fputs(" or above count in full at their value in euros (a stated amount at the ECB rate of the"
		" pledge date; equipment at its unit price). A pledge below that status counts what was"
		" delivered against it in the period, at its unit value. A package that states its amount"
		" counts once, never again through its parts. Kinds of cost that count: ", o);
	esc(o, b->cost_types);
	fputs(".</li>\n<li><strong>Checking a figure.</strong> <code>qm burden ", o);
	esc(o, b->id);
	fputs(" --explain PARTY</code> lists every pledge and delivery behind an ally's figure, with its"
		" source.</li>\n", o);
	if (b->source) {
		fputs("<li><strong>The framework.</strong> ", o);
		esc(o, b->source);
		fputs("</li>\n", o);
	}
	fputs("</ul>\n</section>\n", o);
	section_findings(o, l, b);
	fputs("</body>\n</html>\n", o);
	return ferror(o) ? -1 : 0;
}
