/*
 * cmd_list.c - the commands that read records and history: list and log.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "qm/audit.h"
#include "qm/csv.h"
#include "qm/date.h"
#include "qm/money.h"
#include "table.h"

enum out_mode { OUT_TEXT, OUT_JSON, OUT_CSV };

struct list_ctx {
	enum out_mode mode;
	struct table *table;
	const char *const *cols; /* text-mode columns (field names or derived) */
	int ncols;
	json_t *array;
	long n;
};

static const char *const party_cols[] = {"code", "name", "kind", "ally", "currency"};
static const char *const item_cols[] = {"code", "name", "capability", "unit_price", "currency"};
static const char *const rate_cols[] = {"date", "currency", "per_eur"};
static const char *const gdp_cols[] = {"party", "year", "amount", "currency"};
static const char *const pledge_cols[] = {"id", "donor", "date", "item", "quantity", "status",
	"value_eur", "valuation", "delivered"};
static const char *const delivery_cols[] = {"id", "pledge", "date", "quantity", "hub"};
static const char *const requirement_cols[] = {"id", "capability", "item", "quantity", "priority",
	"needed_by"};
static const char *const framework_cols[] = {"id", "start", "end", "amount", "currency",
	"gdp_year", "counts"};
static const char *const course_cols[] = {"id", "provider", "skill", "seats", "start", "end",
	"status"};

#define COLS(a) a, (int)(sizeof(a) / sizeof((a)[0]))

static void text_cols(enum qm_kind_id id, const char *const **cols, int *n)
{
	switch (id) {
	case QM_PARTIES: *cols = party_cols; *n = 5; break;
	case QM_ITEMS: *cols = item_cols; *n = 5; break;
	case QM_RATES: *cols = rate_cols; *n = 3; break;
	case QM_GDP: *cols = gdp_cols; *n = 4; break;
	case QM_PLEDGES: *cols = pledge_cols; *n = 9; break;
	case QM_DELIVERIES: *cols = delivery_cols; *n = 5; break;
	case QM_FRAMEWORKS: *cols = framework_cols; *n = 7; break;
	case QM_COURSES: *cols = course_cols; *n = 7; break;
	default: *cols = requirement_cols; *n = 6; break;
	}
}

static int list_row(void *vctx, const struct qm_record *rec, const struct qm_pledge_extra *x)
{
	struct list_ctx *ctx = vctx;
	const struct qm_kind *k = rec->kind;
	char num[3][40];
	if (x) {
		qm_money_human(x->value_eur_cents, 0, num[0]);
		snprintf(num[1], sizeof(num[1]), "%lld", (long long)x->delivered);
	}
	if (ctx->mode == OUT_TEXT) {
		const char *cells[16];
		for (int c = 0; c < ctx->ncols; c++) {
			const char *name = ctx->cols[c];
			int f = qm_kind_field(k, name);
			if (f >= 0)
				cells[c] = qm_record_get(rec, f);
			else if (strcmp(name, "value_eur") == 0)
				cells[c] = x && x->valuation ? num[0] : "";
			else if (strcmp(name, "valuation") == 0)
				cells[c] = x && x->counted_in ? "in package" : x ? x->valuation : NULL;
			else
				cells[c] = x && qm_record_get(rec, QM_PLEDGE_QUANTITY) ? num[1] : "";
		}
		table_row(ctx->table, cells);
	} else if (ctx->mode == OUT_CSV) {
		for (int i = 0; i < k->nfields; i++) {
			if (i)
				putchar(',');
			qm_csv_write_field(stdout, qm_record_get(rec, i));
		}
		if (x)
			printf(",%lld,%s,%s,%lld", (long long)x->value_eur_cents,
				x->valuation ? x->valuation : "", x->counted_in ? x->counted_in : "",
				(long long)x->delivered);
		putchar('\n');
	} else {
		json_t *o = qm_record_json(rec, x);
		json_array_append_new(ctx->array, o);
	}
	ctx->n++;
	return 0;
}

int cmd_list(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"donor", required_argument, NULL, 'd'},
		{"status", required_argument, NULL, 's'}, {"item", required_argument, NULL, 'i'},
		{"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'}, {"csv", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0}};
	struct qm_filter filter = {0};
	struct list_ctx ctx = {0};
	int c, rc;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': filter.donor = optarg; break;
		case 's': filter.status = optarg; break;
		case 'i': filter.item = optarg; break;
		case 'f': filter.from = optarg; break;
		case 't': filter.to = optarg; break;
		case 'j': ctx.mode = OUT_JSON; break;
		case 'c': ctx.mode = OUT_CSV; break;
		default:
			return cli_usage("list", "unknown option, or an option without its value: \'%s\'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage("list", "expected one KIND");
	const struct qm_kind *k = qm_kind_by_name(argv[optind]);
	if (!k)
		return cli_usage("list", "unknown kind '%s'; expected one of %s", argv[optind],
			qm_kind_names());
	static const char *const dated[] = {"pledges", "deliveries", "rates", "requirements", NULL};
	struct {
		const char *value, *option, *field;
	} filters[] = {{filter.donor, "--donor", "donor"}, {filter.status, "--status", "status"},
		{filter.item, "--item", "item"}};
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (filters[i].value && qm_kind_field(k, filters[i].field) < 0)
			return cli_usage("list", "%s does not apply to %s, which have no %s", filters[i].option,
				k->name, filters[i].field);
	int is_dated = 0;
	for (int i = 0; dated[i]; i++)
		is_dated |= strcmp(dated[i], k->name) == 0;
	if ((filter.from || filter.to) && !is_dated)
		return cli_usage("list", "--from and --to apply to pledges, deliveries, rates and"
			" requirements, not %s", k->name);
	qm_day day;
	if ((filter.from && qm_date_parse(filter.from, &day) < 0)
		|| (filter.to && qm_date_parse(filter.to, &day) < 0))
		return cli_usage("list", "--from and --to take a date as YYYY-MM-DD");
	struct qm_ledger *l;
	struct qm_error err;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	if (ctx.mode == OUT_TEXT) {
		text_cols(k->id, &ctx.cols, &ctx.ncols);
		char align[16] = "";
		for (int i = 0; i < ctx.ncols; i++) {
			int f = qm_kind_field(k, ctx.cols[i]);
			align[i] = (f >= 0 && qm_ftype_is_numeric(k->fields[f].type))
					|| strcmp(ctx.cols[i], "value_eur") == 0
					|| strcmp(ctx.cols[i], "delivered") == 0 ? 'r' : 'l';
		}
		ctx.table = table_new(ctx.ncols, align);
		table_row(ctx.table, ctx.cols);
	} else if (ctx.mode == OUT_CSV) {
		for (int i = 0; i < k->nfields; i++)
			printf("%s%s", i ? "," : "", k->fields[i].name);
		if (k->id == QM_PLEDGES)
			printf(",value_eur_cents,valuation,counted_in,delivered");
		putchar('\n');
	} else {
		ctx.array = json_array();
	}
	rc = qm_list(l, k->name, &filter, list_row, &ctx, &err);
	if (rc == QM_OK && ctx.mode == OUT_TEXT) {
		table_print(ctx.table, stdout, 40);
		if (!g->quiet)
			printf("%ld %s\n", ctx.n, ctx.n == 1 ? k->singular : k->name);
	} else if (rc == QM_OK && ctx.mode == OUT_JSON) {
		json_dumpf(ctx.array, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
	table_free(ctx.table);
	json_decref(ctx.array);
	qm_ledger_close(l);
	return rc == QM_OK ? 0 : cli_fail(&err);
}

struct log_ctx {
	int json;
	long n;
};

static int log_entry(void *vctx, const struct qm_journal_entry *e)
{
	struct log_ctx *ctx = vctx;
	ctx->n++;
	if (ctx->json) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}", "seq",
			(json_int_t)e->seq, "at", e->at, "actor", e->actor, "action", e->action, "kind",
			e->kind, "key", e->key, "before",
			e->before ? json_loads(e->before, 0, NULL) : json_null(), "after",
			e->after ? json_loads(e->after, 0, NULL) : json_null(), "hash", e->hash);
		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
		return 0;
	}
	printf("%6lld  %s  %-12s %-7s %s %s", (long long)e->seq, e->at, e->actor, e->action, e->kind,
		e->key);
	if (e->before && e->after) {
		json_t *b = json_loads(e->before, 0, NULL), *a = json_loads(e->after, 0, NULL);
		const char *k;
		json_t *v;
		const char *sep = ": ";
		json_object_foreach(a, k, v) {
			json_t *w = json_object_get(b, k);
			if (w && json_equal(v, w))
				continue;
			printf("%s%s '%s' -> '%s'", sep, k, w && json_is_string(w) ? json_string_value(w) : "",
				json_is_string(v) ? json_string_value(v) : "");
			sep = ", ";
		}
		json_decref(a);
		json_decref(b);
	}
	putchar('\n');
	return 0;
}

int cmd_log(const struct cli_globals *g, int argc, char **argv)
{
	struct log_ctx ctx = {0};
	const char *args[2] = {NULL, NULL};
	int n = 0, rc;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			ctx.json = 1;
		else if (argv[i][0] == '-')
			return cli_usage("log", "unknown option '%s'", argv[i]);
		else if (n < 2)
			args[n++] = argv[i];
		else
			return cli_usage("log", "unexpected argument '%s'", argv[i]);
	}
	if (args[0] && !qm_kind_by_name(args[0]))
		return cli_usage("log", "unknown kind '%s'; expected one of %s", args[0], qm_kind_names());
	struct qm_ledger *l;
	struct qm_error err;
	qm_error_clear(&err);
	if ((rc = cli_open(g, &l)) != QM_OK)
		return rc;
	rc = qm_log(l, args[0], args[1], log_entry, &ctx, &err);
	qm_ledger_close(l);
	if (rc == QM_OK && ctx.n == 0 && args[1]) {
		fprintf(stderr, "qm log: no journal entries for %s '%s'\n", args[0], args[1]);
		return QM_ENOINPUT;
	}
	return rc == QM_OK ? 0 : cli_fail(&err);
}
