/*
 * cmd_burden.c - qm burden: each ally bound by a framework against its fair
 * share of the baseline, as a table, CSV or JSON; per period with --by; and
 * with --explain PARTY every pledge and delivery behind one ally's figure.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qm/burden.h"
#include "qm/csv.h"
#include "qm/money.h"
#include "table.h"

static const char *eur(int64_t cents, char buf[40])
{
	return qm_money_human(cents, 0, buf);
}

/* ratio num/den as a percentage with places decimals, "-" when den is 0 */
static const char *percent(int64_t num, int64_t den, int places, char buf[32])
{
	char r[32];
	if (!den)
		return strcpy(buf, "-");
	qm_ratio_format(num * 100, den, places, r);
	snprintf(buf, 32, "%s%%", r);
	return buf;
}

static const char *against(int64_t fair, int64_t counted, char buf[48])
{
	char v[40];
	if (counted == fair)
		return strcpy(buf, "even");
	snprintf(buf, 48, "%s %s", counted < fair ? "short" : "over",
		eur(counted < fair ? fair - counted : counted - fair, v));
	return buf;
}

static void header(const struct qm_burden *b)
{
	char v[40], s[11], e[11];
	printf("Burden sharing under %s: %s\n", b->id, b->name);
	printf("period %s to %s; baseline EUR %s", qm_date_format(b->start, s),
		qm_date_format(b->end, e), eur(b->baseline_eur_cents, v));
	if (strcmp(b->currency, "EUR") != 0) {
		char a[32];
		printf(" (%s %s at the ECB rate of %s)", b->currency,
			qm_decimal_format(b->amount_cents, 2, 0, a), s);
	}
	printf("\ncounts %s pledges (and deliveries) of cost types: %s\n", b->counts, b->cost_types);
	printf("fair shares by share of the %d bound allies' GDP of %d, in EUR at the %d mean ECB rate;"
		" exempt: %s\n", b->nrows, b->gdp_year, b->gdp_year, b->exempt ? b->exempt : "none");
	if (b->source)
		printf("source: %s\n", b->source);
}

void cli_burden_print(const struct qm_burden *b)
{
	char g[32], f[40], c[40], r[32], a[48], p[32];
	int *order = qm_burden_order(b, QM_ORDER_FAIR_SHARE);
	if (!order)
		return;
	header(b);
	putchar('\n');
	struct table *t = table_new(8, "llrrrrlr");
	const char *h[8] = {"party", "name", "GDP share", "fair share (EUR)", "counted (EUR)",
		"counted/fair", "against fair share", "counted/GDP"};
	table_row(t, h);
	for (int k = 0; k < b->nrows; k++) {
		const struct qm_burden_row *w = &b->rows[order[k]];
		const char *row[8] = {w->party, w->name, percent(w->gdp_eur_cents, b->gdp_eur_cents, 4, g),
			eur(w->fair_share_eur_cents, f), eur(w->counted_eur_cents, c),
			w->fair_share_eur_cents ? qm_ratio_format(w->counted_eur_cents,
				w->fair_share_eur_cents, 2, r) : "-",
			against(w->fair_share_eur_cents, w->counted_eur_cents, a),
			percent(w->counted_eur_cents, w->gdp_eur_cents, 3, p)};
		table_row(t, row);
	}
	const char *tot[8] = {"total", "", "100%", eur(b->baseline_eur_cents, f),
		eur(b->counted_eur_cents, c), qm_ratio_format(b->counted_eur_cents,
			b->baseline_eur_cents ? b->baseline_eur_cents : 1, 2, r),
		against(b->baseline_eur_cents, b->counted_eur_cents, a),
		percent(b->counted_eur_cents, b->gdp_eur_cents, 3, p)};
	table_row(t, tot);
	table_print(t, stdout, 24);
	table_free(t);
	if (b->nperiods) {
		printf("\ncounted per period (EUR)\n\n");
		char align[40] = "l";
		int nc = b->nperiods + 2;
		for (int k = 1; k < nc && k < 39; k++)
			strcat(align, "r");
		t = table_new(nc, align);
		const char **cells = calloc((size_t)nc, sizeof(*cells));
		char (*buf)[40] = calloc((size_t)nc, sizeof(*buf));
		if (!cells || !buf) {
			free(cells);
			free(buf);
			table_free(t);
			free(order);
			return;
		}
		cells[0] = "party";
		for (int k = 0; k < b->nperiods; k++)
			cells[k + 1] = b->periods[k].label;
		cells[nc - 1] = "total";
		table_row(t, cells);
		for (int i = 0; i <= b->nrows; i++) {
			const struct qm_burden_row *w = i < b->nrows ? &b->rows[order[i]] : NULL;
			cells[0] = w ? w->party : "total";
			for (int k = 0; k < b->nperiods; k++)
				cells[k + 1] = eur(w ? w->by_period[k] : b->periods[k].counted_eur_cents, buf[k]);
			cells[nc - 1] = eur(w ? w->counted_eur_cents : b->counted_eur_cents, buf[nc - 1]);
			table_row(t, cells);
		}
		table_print(t, stdout, 20);
		table_free(t);
		free(cells);
		free(buf);
	}
	free(order);
}

static void print_csv(const struct qm_burden *b)
{
	char g[32], r[32], s[32];
	printf("party,name,gdp_eur_cents,gdp_share,fair_share_eur_cents,counted_eur_cents,ratio,"
		"shortfall_eur_cents,counted_gdp_share");
	for (int k = 0; k < b->nperiods; k++)
		printf(",%s", b->periods[k].label);
	putchar('\n');
	for (int i = 0; i < b->nrows; i++) {
		const struct qm_burden_row *w = &b->rows[i];
		printf("%s,", w->party);
		qm_csv_write_field(stdout, w->name);
		printf(",%lld,%s,%lld,%lld,%s,%lld,%s", (long long)w->gdp_eur_cents,
			qm_ratio_format(w->gdp_eur_cents, b->gdp_eur_cents, 6, g),
			(long long)w->fair_share_eur_cents, (long long)w->counted_eur_cents,
			qm_ratio_format(w->counted_eur_cents, w->fair_share_eur_cents, 4, r),
			(long long)(w->fair_share_eur_cents - w->counted_eur_cents),
			qm_ratio_format(w->counted_eur_cents, w->gdp_eur_cents, 6, s));
		for (int k = 0; k < b->nperiods; k++)
			printf(",%lld", (long long)w->by_period[k]);
		putchar('\n');
	}
}

static void print_lines(const struct qm_burden *b, int row, int counted)
{
	char d[11], q[24], v[40];
	struct table *t = table_new(10, "lllrllrlll");
	const char *h[10] = {"date", "pledge", "delivery", "quantity", "status", "cost_type",
		"value (EUR)", "valuation", "why", "source"};
	table_row(t, h);
	for (size_t i = 0; i < b->nlines; i++) {
		const struct qm_burden_line *ln = &b->lines[i];
		if (ln->row != row || ln->counted != counted)
			continue;
		snprintf(q, sizeof(q), "%lld", (long long)ln->quantity);
		const char *cells[10] = {qm_date_format(ln->date, d), ln->pledge, ln->delivery,
			ln->quantity ? q : "", ln->status, ln->cost_type,
			counted ? eur(ln->value_eur_cents, v) : "", ln->valuation, ln->reason, ln->source};
		table_row(t, cells);
	}
	table_print_or(t, stdout, 60, "none");
}

static void print_explain(const struct qm_burden *b, int row)
{
	const struct qm_burden_row *w = &b->rows[row];
	char g[32], f[40], c[40], a[48], amt[40], rate[32];
	int n = 0;
	for (size_t i = 0; i < b->nlines; i++)
		n += b->lines[i].row == row && b->lines[i].counted;
	header(b);
	printf("\n%s (%s)\n", w->party, w->name);
	printf("  GDP %d: %s %s", b->gdp_year, w->gdp_currency, qm_money_human(w->gdp_amount_cents, 0, amt));
	if (w->gdp_rate_days)
		printf(" at the mean of %lld daily ECB rates, %s per EUR,", (long long)w->gdp_rate_days,
			qm_ratio_format(w->gdp_rate_sum_micro, w->gdp_rate_days * 1000000, 6, rate));
	printf(" = EUR %s, %s of the bound allies' GDP\n", eur(w->gdp_eur_cents, c),
		percent(w->gdp_eur_cents, b->gdp_eur_cents, 4, g));
	printf("  fair share EUR %s; counted EUR %s, the sum of the %d line%s below; %s\n",
		eur(w->fair_share_eur_cents, f), eur(w->counted_eur_cents, c), n, n == 1 ? "" : "s",
		against(w->fair_share_eur_cents, w->counted_eur_cents, a));
	printf("\nCounted\n\n");
	print_lines(b, row, 1);
	printf("\nNot counted (pledged in the period)\n\n");
	print_lines(b, row, 0);
}

int cmd_burden(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"by", required_argument, NULL, 'b'},
		{"explain", required_argument, NULL, 'e'}, {"json", no_argument, NULL, 'j'},
		{"csv", no_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
	enum qm_burden_by by = QM_BY_NONE;
	const char *explain = NULL, *framework = NULL;
	int json = 0, csv = 0, c, rc;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (strcmp(optarg, "year") == 0)
				by = QM_BY_YEAR;
			else if (strcmp(optarg, "half") == 0)
				by = QM_BY_HALF;
			else if (strcmp(optarg, "quarter") == 0)
				by = QM_BY_QUARTER;
			else
				return cli_usage("burden", "--by takes year, half or quarter, got '%s'", optarg);
			break;
		case 'e': explain = optarg; break;
		case 'j': json = 1; break;
		case 'c': csv = 1; break;
		default:
			return cli_usage("burden", "unknown option, or an option without its value: '%s'",
				argv[optind - 1]);
		}
	}
	if (json && csv)
		return cli_usage("burden", "--json and --csv do not go together");
	if (optind < argc)
		framework = argv[optind++];
	if (optind < argc)
		return cli_usage("burden", "unexpected argument '%s'", argv[optind]);
	struct qm_ledger *l;
	struct qm_burden *b;
	struct qm_error err;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	rc = qm_burden_build(l, framework, by, &b, &err);
	qm_ledger_close(l);
	if (rc != QM_OK)
		return cli_fail(&err);
	int row = explain ? qm_burden_row_of(b, explain) : -1;
	if (explain && row < 0) {
		qm_error_set(&err, QM_ENOINPUT, "%s is not bound by framework %s (bound: %d allies%s%s)",
			explain, b->id, b->nrows, b->exempt ? "; exempt: " : "", b->exempt ? b->exempt : "");
		qm_burden_free(b);
		return cli_fail(&err);
	}
	if (json) {
		json_t *o = qm_burden_to_json(b, explain);
		if (!o) {
			qm_burden_free(b);
			qm_error_set(&err, QM_EINTERNAL, "out of memory");
			return cli_fail(&err);
		}
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
	} else if (csv && explain) {
		char d[11];
		printf("date,pledge,delivery,via,quantity,status,cost_type,counted,value_eur_cents,"
			"valuation,reason,source\n");
		for (size_t i = 0; i < b->nlines; i++) {
			const struct qm_burden_line *ln = &b->lines[i];
			if (ln->row != row)
				continue;
			printf("%s,%s,%s,%s,", qm_date_format(ln->date, d), ln->pledge,
				ln->delivery ? ln->delivery : "", ln->via ? ln->via : "");
			if (ln->quantity)
				printf("%lld", (long long)ln->quantity);
			printf(",%s,%s,%s,%lld,%s,", ln->status ? ln->status : "",
				ln->cost_type ? ln->cost_type : "", ln->counted ? "yes" : "no",
				(long long)ln->value_eur_cents, ln->valuation ? ln->valuation : "");
			qm_csv_write_field(stdout, ln->reason);
			putchar(',');
			qm_csv_write_field(stdout, ln->source);
			putchar('\n');
		}
	} else if (csv) {
		print_csv(b);
	} else if (explain) {
		print_explain(b, row);
	} else {
		cli_burden_print(b);
	}
	qm_burden_free(b);
	return 0;
}
