/*
 * cmd_report.c - qm report: builds the report with the core and renders it
 * as aligned text for an 80-column terminal (the training section too, when
 * the report has one), or prints it as JSON; with --framework it adds burden
 * sharing, and --format html writes the half-yearly burden-sharing report
 * (report_html.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "qm/date.h"
#include "qm/money.h"
#include "qm/burden.h"
#include "qm/report.h"
#include "report_html.h"
#include "table.h"

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *eur(json_t *o, const char *k, char buf[40])
{
	return qm_money_human(num(o, k), 0, buf);
}

static void heading(const char *title)
{
	printf("\n%s\n\n", title);
}

/* A section of rows grouped by one name with pledges and value. */
static void value_section(json_t *r, const char *key, const char *title, const char *label)
{
	json_t *a = json_object_get(r, key), *o;
	size_t i;
	char v[40], share[16];
	long long total = 0;
	json_array_foreach(a, i, o)
		total += num(o, "value_eur_cents");
	const char *cells[4] = {label, "pledges", "value (EUR)", "share"};
	struct table *t = table_new(4, "lrrr");
	heading(title);
	table_row(t, cells);
	json_array_foreach(a, i, o) {
		char n[24];
		long long val = num(o, "value_eur_cents");
		snprintf(n, sizeof(n), "%lld", num(o, "pledges"));
		if (total > 0)
			snprintf(share, sizeof(share), "%.1f%%", (double)(qm_muldiv_round(val, 1000, total)) / 10);
		else
			snprintf(share, sizeof(share), "-");
		const char *row[4] = {str(o, label), n, eur(o, "value_eur_cents", v), share};
		table_row(t, row);
	}
	table_print(t, stdout, 30);
	table_free(t);
}

/* The training section (qm training, qm plan's second stage), when the
 * report has one. */
static void render_training(json_t *tr)
{
	json_t *o, *g, *c;
	size_t i, j;
	struct table *t;

	heading("Training: seats against trainees needed per skill (qm training)");
	printf("%lld courses; %lld seats; %lld trainees needed (training requirements and crews),"
		"\n%lld assigned, %lld short\n\n", num(tr, "courses"), num(tr, "seats"), num(tr, "needed"),
		num(tr, "assigned"), num(tr, "short"));
	t = table_new(6, "lrrrrr");
	const char *hs[6] = {"skill", "seats", "needed", "of which crews", "assigned", "short"};
	table_row(t, hs);
	json_array_foreach(json_object_get(tr, "skills"), i, o) {
		char n[5][24];
		static const char *const k[5] = {"seats", "needed", "crew_needed", "assigned", "short"};
		for (int x = 0; x < 5; x++)
			snprintf(n[x], sizeof(n[x]), "%lld", num(o, k[x]));
		const char *row[6] = {str(o, "skill"), n[0], n[1], n[2], n[3], n[4]};
		table_row(t, row);
	}
	table_print_or(t, stdout, 30, "no skills: no course is open and no planned equipment needs a crew");

	heading("Courses by provider, with the seats of those not cancelled");
	t = table_new(5, "llllr");
	const char *hc[5] = {"provider and course", "skill", "start", "end", "seats"};
	table_row(t, hc);
	json_array_foreach(json_object_get(tr, "calendar"), i, g) {
		char line[160], seats[40];
		snprintf(line, sizeof(line), "%s %s", str(g, "provider"), str(g, "name"));
		snprintf(seats, sizeof(seats), "%lld", num(g, "seats"));
		const char *grow[5] = {line, NULL, NULL, NULL, seats};
		table_row(t, grow);
		json_array_foreach(json_object_get(g, "courses"), j, c) {
			char id[160], n[40];
			int cancelled = strcmp(str(c, "status"), "cancelled") == 0;
			snprintf(id, sizeof(id), "  %s%s", str(c, "id"), cancelled ? " (cancelled)" : "");
			snprintf(n, sizeof(n), "%lld", num(c, "seats"));
			const char *row[5] = {id, str(c, "skill"), str(c, "start"), str(c, "end"), n};
			table_row(t, row);
		}
	}
	table_print(t, stdout, 32);
	table_free(t);

	heading("Readiness: ready dates that lag the equipment, never ready first");
	json_t *lag = json_object_get(tr, "lagging");
	if (json_array_size(lag) == 0) {
		printf("none: every requirement is ready when its equipment is there\n");
		return;
	}
	t = table_new(5, "llllr");
	const char *hl[5] = {"requirement", "capability or item", "equipment", "ready", "lag (days)"};
	table_row(t, hl);
	json_array_foreach(lag, i, o) {
		char d[24];
		json_t *days = json_object_get(o, "lag_days");
		snprintf(d, sizeof(d), "%lld", (long long)json_integer_value(days));
		const char *row[5] = {str(o, "id"), str(o, "need"),
			json_is_string(json_object_get(o, "expected")) ? str(o, "expected") : "never",
			json_is_string(json_object_get(o, "ready")) ? str(o, "ready") : "never",
			json_is_integer(days) ? d : "unbounded"};
		table_row(t, row);
	}
	table_print(t, stdout, 23);
	table_free(t);
	putchar('\n');
	json_array_foreach(lag, i, o) {
		if (json_is_integer(json_object_get(o, "lag_days")))
			continue;
		printf("%s: never ready,", str(o, "id"));
		if (num(o, "unmet"))
			printf(" %lld units short,", num(o, "unmet"));
		printf(" %lld of its crews' %lld trainees short\n", num(o, "crew_short"),
			num(o, "crew_needed"));
	}
}

static void render(json_t *r)
{
	char v[40];
	json_t *a, *o;
	size_t i;

	printf("Quartermaster coordination report, as of %s\n", str(r, "as_of"));
	printf("%lld pledges not cancelled, counted value EUR %s\n", num(r, "pledges"),
		eur(r, "value_eur_cents", v));

	value_section(r, "by_status", "Pledges by status (all statuses)", "status");

	heading("Top donors (value counted; share of the donor's GDP)");
	struct table *t = table_new(5, "llrrr");
	const char *h[5] = {"donor", "name", "value (EUR)", "GDP year", "% of GDP"};
	table_row(t, h);
	json_array_foreach(json_object_get(r, "top_donors"), i, o) {
		char year[16];
		json_t *y = json_object_get(o, "gdp_year");
		snprintf(year, sizeof(year), "%lld", (long long)json_integer_value(y));
		const char *row[5] = {str(o, "party"), str(o, "name"), eur(o, "value_eur_cents", v),
			json_is_integer(y) ? year : "-",
			json_is_string(json_object_get(o, "share_of_gdp_percent"))
				? str(o, "share_of_gdp_percent") : "-"};
		table_row(t, row);
	}
	table_print(t, stdout, 28);
	table_free(t);

	value_section(r, "by_cost_type", "Value by cost type", "cost_type");
	value_section(r, "by_channel", "Value by channel", "channel");
	value_section(r, "by_valuation", "How values were found", "valuation");

	heading("Delivered against pledged units, per item");
	t = table_new(5, "llrrr");
	const char *hi[5] = {"item", "capability", "pledged", "delivered", "delivered %"};
	table_row(t, hi);
	json_array_foreach(json_object_get(r, "items"), i, o) {
		char p[24], d[24], pct[16];
		snprintf(p, sizeof(p), "%lld", num(o, "pledged"));
		snprintf(d, sizeof(d), "%lld", num(o, "delivered"));
		snprintf(pct, sizeof(pct), "%lld%%", (long long)qm_muldiv_round(num(o, "delivered"), 100,
			num(o, "pledged") ? num(o, "pledged") : 1));
		const char *row[5] = {str(o, "item"), str(o, "capability"), p, d, pct};
		table_row(t, row);
	}
	table_print(t, stdout, 26);
	table_free(t);

	heading("Pledged against required units, per capability");
	t = table_new(5, "lrrrr");
	const char *hc[5] = {"capability", "required", "pledged", "delivered", "uncovered"};
	table_row(t, hc);
	a = json_object_get(r, "capabilities");
	json_array_foreach(a, i, o) {
		char q[24], p[24], d[24], g[24];
		long long gap = num(o, "required") - num(o, "pledged");
		snprintf(q, sizeof(q), "%lld", num(o, "required"));
		snprintf(p, sizeof(p), "%lld", num(o, "pledged"));
		snprintf(d, sizeof(d), "%lld", num(o, "delivered"));
		snprintf(g, sizeof(g), "%lld", gap > 0 ? gap : 0);
		const char *row[5] = {str(o, "capability"), q, p, d, g};
		table_row(t, row);
	}
	table_print(t, stdout, 30);
	table_free(t);

	json_t *plan = json_object_get(r, "plan");
	heading("Plan coverage: units needed, covered and unmet per need and priority (qm plan)");
	printf("objective %lld; %lld units needed, %lld unmet\n\n", num(plan, "objective"),
		num(plan, "needed"), num(plan, "unmet"));
	t = table_new(5, "lrrrr");
	const char *hp[5] = {"capability or item", "priority", "needed", "covered", "unmet"};
	table_row(t, hp);
	json_array_foreach(json_object_get(plan, "coverage"), i, o) {
		char p[8], q[24], c[24], u[24];
		snprintf(p, sizeof(p), "%lld", num(o, "priority"));
		snprintf(q, sizeof(q), "%lld", num(o, "needed"));
		snprintf(c, sizeof(c), "%lld", num(o, "covered"));
		snprintf(u, sizeof(u), "%lld", num(o, "unmet"));
		const char *row[5] = {str(o, "need"), p, q, c, u};
		table_row(t, row);
	}
	table_print(t, stdout, 30);
	table_free(t);
	heading("Worst gaps: requirements left short, most urgent first");
	if (json_array_size(json_object_get(plan, "worst_gaps")) == 0)
		printf("none: the plan covers every requirement\n");
	t = table_new(5, "llrlr");
	const char *hw[5] = {"requirement", "capability or item", "priority", "needed by", "unmet"};
	table_row(t, hw);
	json_array_foreach(json_object_get(plan, "worst_gaps"), i, o) {
		char p[8], u[24];
		snprintf(p, sizeof(p), "%lld", num(o, "priority"));
		snprintf(u, sizeof(u), "%lld", num(o, "unmet"));
		const char *row[5] = {str(o, "id"), str(o, "need"), p, str(o, "needed_by"), u};
		table_row(t, row);
	}
	if (json_array_size(json_object_get(plan, "worst_gaps")))
		table_print(t, stdout, 30);
	table_free(t);

	if (json_object_get(r, "training"))
		render_training(json_object_get(r, "training"));

	heading("Data findings (qm check)");
	t = table_new(2, "lr");
	const char *hf[2] = {"check", "findings"};
	table_row(t, hf);
	const char *k;
	json_object_foreach(json_object_get(r, "findings"), k, o) {
		char n[24];
		snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(o));
		const char *row[2] = {k, n};
		table_row(t, row);
	}
	table_print(t, stdout, 40);
	table_free(t);
}

/* Write the HTML report to path (or stdout for "-") through a temporary file
 * renamed into place, so that a failed write leaves no half report. */
static int write_html(struct qm_ledger *l, const struct qm_burden *b, const char *path, int quiet)
{
	struct qm_error err;
	qm_error_clear(&err);
	if (!path || strcmp(path, "-") == 0)
		return report_html_write(stdout, l, b) < 0
			? cli_fail(&(struct qm_error){.code = QM_EIO, .message = "writing the report failed"})
			: 0;
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *o = fopen(tmp, "w");
	if (!o) {
		qm_error_set(&err, QM_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		return cli_fail(&err);
	}
	int bad = report_html_write(o, l, b) < 0;
	if (fclose(o) != 0 || bad || rename(tmp, path) != 0) {
		qm_error_set(&err, QM_EIO, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
		remove(tmp);
		return cli_fail(&err);
	}
	if (!quiet)
		printf("wrote %s: the burden-sharing report for %s\n", path, b->id);
	return 0;
}

int cmd_report(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"as-of", required_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'}, {"framework", required_argument, NULL, 'f'},
		{"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0}};
	const char *as_of = NULL, *framework = NULL, *output = NULL;
	int json = 0, html = 0, c, rc;
	qm_day day;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (qm_date_parse(optarg, &day) < 0)
				return cli_usage("report", "--as-of takes a date as YYYY-MM-DD, got '%s'", optarg);
			as_of = optarg;
			break;
		case 'j': json = 1; break;
		case 'f': framework = optarg; break;
		case 'o': output = optarg; break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "html") == 0)
				html = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage("report", "--format takes text, json or html, got '%s'", optarg);
			break;
		default:
			return cli_usage("report", "unknown option, or an option without its value: \'%s\'",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("report", "unexpected argument '%s'", argv[optind]);
	if (json && html)
		return cli_usage("report", "--json and --format html do not go together");
	if (html && as_of)
		return cli_usage("report", "--as-of does not apply to the HTML report, which covers its"
			" framework's period");
	if (output && !html)
		return cli_usage("report", "-o FILE writes the HTML report; add --format html");
	struct qm_ledger *l;
	struct qm_error err;
	struct qm_burden *b = NULL;
	json_t *r = NULL;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	if (html || framework)
		rc = qm_burden_build(l, framework, QM_BY_HALF, &b, &err);
	if (rc == QM_OK && html) {
		rc = write_html(l, b, output, g->quiet);
		qm_burden_free(b);
		qm_ledger_close(l);
		return rc;
	}
	if (rc == QM_OK)
		rc = qm_report_build(l, as_of, &r, &err);
	qm_ledger_close(l);
	if (rc != QM_OK) {
		qm_burden_free(b);
		return cli_fail(&err);
	}
	if (json) {
		if (b)
			json_object_set_new(r, "burden", qm_burden_to_json(b, NULL));
		json_dumpf(r, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		render(r);
		if (b) {
			heading("Burden sharing (qm burden)");
			cli_burden_print(b);
		}
	}
	qm_burden_free(b);
	json_decref(r);
	return 0;
}
