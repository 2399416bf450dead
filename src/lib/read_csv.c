/*
 * read_csv.c - CSV files into raw rows for the importer: the header maps
 * columns (in any order) to the kind's fields; unknown, repeated and missing
 * columns and ragged rows are errors with their position. Two published
 * layouts are read as they are: the ECB's wide eurofxref-hist.csv for rates
 * (one column per currency, N/A where there is no rate, a trailing comma),
 * and the World Bank's `Country Name,Country Code,Year,Value` for GDP in US
 * dollars (rows of codes that are not parties are skipped and counted).
 */
#include <stdlib.h>
#include <string.h>

#include "qm/codes.h"
#include "qm/csv.h"
#include "qm/money.h"
#include "import_int.h"

#define WORLD_BANK_SOURCE "World Bank WDI NY.GDP.MKTP.CD (GDP, current US$)"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

struct header {
	size_t ncols;
	char **names;
	long *line, *column;
};

static void header_release(struct header *h)
{
	for (size_t i = 0; i < h->ncols; i++)
		free(h->names[i]);
	free(h->names);
	free(h->line);
	free(h->column);
}

static int header_read(struct header *h, const struct qm_csv_field *f, size_t n)
{
	memset(h, 0, sizeof(*h));
	h->names = calloc(n, sizeof(*h->names));
	h->line = calloc(n, sizeof(*h->line));
	h->column = calloc(n, sizeof(*h->column));
	if (!h->names || !h->line || !h->column)
		return -1;
	h->ncols = n;
	for (size_t i = 0; i < n; i++) {
		char *copy = strdup(f[i].text);
		if (!copy)
			return -1;
		h->names[i] = strdup(trim(copy));
		free(copy);
		if (!h->names[i])
			return -1;
		h->line[i] = f[i].line;
		h->column[i] = f[i].column;
	}
	return 0;
}

static int column_of(const struct header *h, const char *name)
{
	for (size_t i = 0; i < h->ncols; i++)
		if (strcmp(h->names[i], name) == 0)
			return (int)i;
	return -1;
}

/* Report a row whose field count differs from the header's. */
static void ragged(struct qm_importer *imp, const struct qm_csv_field *f, size_t n, size_t want)
{
	long line = n > want ? f[want].line : f[n - 1].line;
	long col = n > want ? f[want].column : f[n - 1].column + (long)f[n - 1].len;
	qm_importer_error(imp, 0, line, col, NULL, NULL,
		"a row of %zu fields like the header, got %zu", want, n);
}

/*
 * The next row as wide as the header: ragged rows are reported and passed
 * over. Returns 1 with *f and *n set; 0 at the end of the input, when enough
 * errors were found, or after a malformed-text error was reported (*rc is
 * set when the import must stop).
 */
static int next_row(struct qm_importer *imp, struct qm_csv_reader *r, const struct header *h,
	const struct qm_csv_field **f, size_t *n, int *rc)
{
	struct qm_error err;
	for (;;) {
		if (*rc != QM_OK || qm_importer_full(imp))
			return 0;
		int got = qm_csv_next(r, f, n, &err);
		if (got == 0)
			return 0;
		if (got < 0) {
			qm_importer_error(imp, 0, err.line, err.column, NULL, NULL, "%s", err.message);
			if (err.code != QM_EDATA)
				*rc = err.code;
			return 0;
		}
		if (*n == h->ncols)
			return 1;
		ragged(imp, *f, *n, h->ncols);
	}
}

static int read_ecb(struct qm_importer *imp, struct qm_csv_reader *r, const struct header *h)
{
	const struct qm_csv_field *f;
	size_t n;
	int rc = QM_OK, bad = 0;

	for (size_t c = 1; c < h->ncols; c++)
		if (h->names[c][0] && !qm_is_currency_code(h->names[c]))
			bad |= qm_importer_error(imp, 0, h->line[c], h->column[c], NULL, "currency",
				"an ISO 4217 currency code as a column name, got '%s'", h->names[c]);
	if (bad)
		return QM_OK;
	while (next_row(imp, r, h, &f, &n, &rc)) {
		qm_day day;
		if (qm_date_parse(f[0].text, &day) < 0) {
			qm_importer_error(imp, 0, f[0].line, f[0].column, NULL, "date",
				"a date as YYYY-MM-DD, got '%s'", f[0].text);
			continue;
		}
		for (size_t c = 1; c < h->ncols && rc == QM_OK; c++) {
			if (!h->names[c][0]) {
				if (f[c].len)
					qm_importer_error(imp, 0, f[c].line, f[c].column, NULL, NULL,
						"nothing under a column without a name, got '%s'", f[c].text);
				continue;
			}
			if (f[c].len == 0 || strcmp(f[c].text, "N/A") == 0)
				continue;
			struct qm_src_row row = {0};
			row.line = f[0].line;
			row.column = f[0].column;
			row.f[QM_RATE_DATE] = (struct qm_src_field){f[0].text, f[0].line, f[0].column, NULL};
			row.f[QM_RATE_CURRENCY] =
				(struct qm_src_field){h->names[c], h->line[c], h->column[c], NULL};
			row.f[QM_RATE_PER_EUR] =
				(struct qm_src_field){f[c].text, f[c].line, f[c].column, NULL};
			rc = qm_importer_row(imp, &row);
		}
	}
	return rc;
}

static int read_world_bank(struct qm_importer *imp, struct qm_csv_reader *r,
	const struct header *h)
{
	const struct qm_csv_field *f;
	size_t n;
	int rc = QM_OK;
	int code_col = column_of(h, "Country Code"), year_col = column_of(h, "Year");
	int value_col = column_of(h, "Value");
	struct qm_lookup *lk = qm_importer_lookup(imp);

	if (code_col < 0 || year_col < 0 || value_col < 0) {
		qm_importer_error(imp, 0, 1, 1, NULL, NULL,
			"the World Bank columns Country Name, Country Code, Year and Value");
		return QM_OK;
	}
	while (next_row(imp, r, h, &f, &n, &rc)) {
		const struct qm_csv_field *code = &f[code_col], *value = &f[value_col];
		if (!strmap_get(&lk->parties, code->text) || value->len == 0) {
			qm_importer_result(imp)->skipped++;
			continue;
		}
		int64_t cents;
		char amount[32];
		if (qm_decimal_parse(value->text, 2, QM_DEC_ROUND, &cents) < 0) {
			qm_importer_error(imp, 0, value->line, value->column, NULL, "Value",
				"an amount in US dollars, got '%s'", value->text);
			continue;
		}
		qm_decimal_format(cents, 2, 1, amount);
		struct qm_src_row row = {0};
		row.line = f[0].line;
		row.column = f[0].column;
		row.f[QM_GDP_PARTY] = (struct qm_src_field){code->text, code->line, code->column, NULL};
		row.f[QM_GDP_YEAR] = (struct qm_src_field){f[year_col].text, f[year_col].line,
			f[year_col].column, NULL};
		row.f[QM_GDP_AMOUNT] = (struct qm_src_field){amount, value->line, value->column, NULL};
		row.f[QM_GDP_CURRENCY] = (struct qm_src_field){"USD", value->line, value->column, NULL};
		row.f[QM_GDP_SOURCE] = (struct qm_src_field){WORLD_BANK_SOURCE, row.line, row.column, NULL};
		rc = qm_importer_row(imp, &row);
	}
	return rc;
}

static int read_records(struct qm_importer *imp, struct qm_csv_reader *r, const struct header *h)
{
	const struct qm_kind *k = qm_importer_kind(imp);
	const struct qm_csv_field *f;
	size_t n;
	int map[QM_CSV_FIELDS_MAX];
	int have[QM_FIELDS_MAX] = {0};
	int bad = 0, rc = QM_OK;

	for (size_t c = 0; c < h->ncols && c < QM_CSV_FIELDS_MAX; c++) {
		int i = qm_kind_field(k, h->names[c]);
		map[c] = i;
		if (i < 0) {
			char names[512];
			size_t used = 0;
			for (int j = 0; j < k->nfields; j++)
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
					j ? ", " : "", k->fields[j].name);
			bad |= qm_importer_error(imp, 0, h->line[c], h->column[c], NULL, NULL,
				"a column of %s (%s), got '%s'", k->name, names, h->names[c]);
		} else if (have[i]++) {
			bad |= qm_importer_error(imp, 0, h->line[c], h->column[c], NULL, NULL,
				"each column once, got '%s' again", h->names[c]);
		}
	}
	for (int i = 0; i < k->nfields; i++)
		if ((k->fields[i].flags & QM_F_REQUIRED) && !have[i])
			bad |= qm_importer_error(imp, 0, h->line[0], h->column[0], NULL, NULL,
				"a column '%s' in the header, got none", k->fields[i].name);
	if (bad)
		return QM_OK;
	while (next_row(imp, r, h, &f, &n, &rc)) {
		struct qm_src_row row = {0};
		row.line = f[0].line;
		row.column = f[0].column;
		for (size_t c = 0; c < n; c++)
			row.f[map[c]] = (struct qm_src_field){f[c].text, f[c].line, f[c].column, NULL};
		rc = qm_importer_row(imp, &row);
	}
	return rc;
}

int qm_read_csv(struct qm_importer *imp, FILE *fp)
{
	struct qm_csv_reader *r;
	struct qm_error err;
	const struct qm_csv_field *f;
	struct header h;
	size_t n;
	int rc = qm_csv_open(&r, fp, qm_importer_source(imp), &err);
	if (rc != QM_OK)
		return rc;
	int got = qm_csv_next(r, &f, &n, &err);
	if (got <= 0) {
		if (got == 0)
			qm_importer_error(imp, 0, 1, 1, NULL, NULL, "a header row, got an empty file");
		else
			qm_importer_error(imp, 0, err.line, err.column, NULL, NULL, "%s", err.message);
		qm_csv_close(r);
		return QM_OK;
	}
	if (header_read(&h, f, n) < 0) {
		header_release(&h);
		qm_csv_close(r);
		return QM_EINTERNAL;
	}
	enum qm_kind_id kind = qm_importer_kind(imp)->id;
	if (kind == QM_RATES && strcmp(h.names[0], "Date") == 0)
		rc = read_ecb(imp, r, &h);
	else if (kind == QM_GDP && column_of(&h, "Country Code") >= 0)
		rc = read_world_bank(imp, r, &h);
	else
		rc = read_records(imp, r, &h);
	header_release(&h);
	qm_csv_close(r);
	return rc;
}
