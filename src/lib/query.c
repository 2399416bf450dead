/*
 * query.c - reading records back: listing with filters (pledges with their
 * derived value, valuation and delivered quantity) and export in the import
 * formats, in key order, so that export, import and export again give the
 * same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "qm/csv.h"
#include "ledger_int.h"

/* The date field a --from/--to filter applies to, or NULL. */
static const char *date_field(const struct qm_kind *k)
{
	switch (k->id) {
	case QM_PLEDGES:
	case QM_DELIVERIES:
	case QM_RATES:
		return "date";
	case QM_REQUIREMENTS:
		return "needed_by";
	default:
		return NULL;
	}
}

/* The WHERE clause of filter on k, appended to sql (used bytes of cap), its
 * values into params; returns the new length. */
static size_t where_of(const struct qm_kind *k, const struct qm_filter *filter, char *sql, size_t used,
	size_t cap, const char **params, int *np)
{
	used += (size_t)snprintf(sql + used, cap - used, " WHERE 1=1");
#define FILTER(value, field)                                                               \
	do {                                                                               \
		if ((value) && qm_kind_field(k, field) >= 0) {                             \
			used += (size_t)snprintf(sql + used, cap - used, " AND %s = ?", field); \
			params[(*np)++] = (value);                                          \
		}                                                                          \
	} while (0)
	FILTER(filter->donor, "donor");
	FILTER(filter->status, "status");
	FILTER(filter->item, "item");
	FILTER(filter->id, k->fields[0].name);
#undef FILTER
	const char *df = date_field(k);
	if (df && filter->from) {
		used += (size_t)snprintf(sql + used, cap - used, " AND %s >= ?", df);
		params[(*np)++] = filter->from;
	}
	if (df && filter->to) {
		used += (size_t)snprintf(sql + used, cap - used, " AND %s <= ?", df);
		params[(*np)++] = filter->to;
	}
	return used;
}

int qm_list_sortable(const char *kind, const char *field)
{
	const struct qm_kind *k = qm_kind_by_name(kind);
	return k && field && (qm_kind_field(k, field) >= 0 || (k->id == QM_PLEDGES
		&& (strcmp(field, "value_eur_cents") == 0 || strcmp(field, "delivered") == 0)));
}

/* The ORDER BY of filter on k, appended to sql; -1 for a field k has not. */
static int order_of(const struct qm_kind *k, const struct qm_filter *filter, char *sql, size_t used,
	size_t cap)
{
	const char *f = filter->sort;
	char expr[96];
	if (!f) {
		snprintf(sql + used, cap - used, " ORDER BY %s", k->order_by);
		return 0;
	}
	if (!qm_list_sortable(k->name, f))
		return -1;
	if (k->id == QM_PLEDGES && strcmp(f, "delivered") == 0) {
		/* an output column, never empty: named bare, as PostgreSQL wants */
		snprintf(sql + used, cap - used, " ORDER BY delivered%s, %s", filter->sort_desc ? " DESC" : "",
			k->order_by);
		return 0;
	}
	if (k->id == QM_PLEDGES && strcmp(f, "value_eur_cents") == 0)
		snprintf(expr, sizeof(expr), "coalesce(value_eur_cents, 0)"); /* as listed */
	else
		snprintf(expr, sizeof(expr), "\"%s\"", f);
	snprintf(sql + used, cap - used, filter->sort_desc ? " ORDER BY %s IS NULL, %s DESC, %s"
		: " ORDER BY %s IS NOT NULL, %s, %s", expr, expr, k->order_by);
	return 0;
}

static const struct qm_kind *kind_of(const char *name, struct qm_error *err)
{
	const struct qm_kind *k = qm_kind_by_name(name);
	if (!k)
		qm_error_set(err, QM_EUSAGE, "unknown kind '%s'; expected one of %s", name, qm_kind_names());
	return k;
}

int qm_count(struct qm_ledger *l, const char *kind_name, const struct qm_filter *filter, int64_t *n,
	struct qm_error *err)
{
	static const struct qm_filter none;
	const struct qm_kind *k = kind_of(kind_name, err);
	char sql[1024];
	const char *params[8];
	int np = 0, step;
	struct qm_stmt *st;
	if (!k)
		return QM_EUSAGE;
	size_t used = (size_t)snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", k->name);
	where_of(k, filter ? filter : &none, sql, used, sizeof(sql), params, &np);
	int rc = qm_store_prepare(l->store, sql, &st, err);
	if (rc != QM_OK)
		return rc;
	for (int i = 0; i < np; i++)
		qm_stmt_bind_text(st, i + 1, params[i]);
	step = qm_stmt_step(st, err);
	*n = step == QM_STEP_ROW ? qm_stmt_int(st, 0) : 0;
	qm_stmt_finalize(st);
	return step == QM_STEP_ROW ? QM_OK : step == QM_STEP_ERROR ? err->code : QM_EINTERNAL;
}

int qm_list(struct qm_ledger *l, const char *kind_name, const struct qm_filter *filter,
	qm_record_cb cb, void *ctx, struct qm_error *err)
{
	static const struct qm_filter none;
	const struct qm_kind *k = kind_of(kind_name, err);
	char sql[2048];
	const char *params[8];
	int np = 0;
	struct qm_stmt *st;

	if (!k)
		return QM_EUSAGE;
	if (!filter)
		filter = &none;
	size_t used = (size_t)snprintf(sql, sizeof(sql), "%s", qm_rows_select_sql(k));
	if (k->id == QM_PLEDGES) {
		/* the derived columns follow the fields */
		char *from = strstr(sql, " FROM ");
		snprintf(from, sizeof(sql) - (size_t)(from - sql),
			", value_eur_cents, own_value_eur_cents, valuation, counted_in,"
			" (SELECT coalesce(sum(d.quantity), 0) FROM deliveries d WHERE d.pledge = pledges.id)"
			" AS delivered FROM pledges");
		used = strlen(sql);
	}
	used = where_of(k, filter, sql, used, sizeof(sql), params, &np);
	if (order_of(k, filter, sql, used, sizeof(sql)) < 0)
		return qm_error_set(err, QM_EUSAGE, "sort: a field of %s, got '%s'", k->name, filter->sort);
	if (filter->limit > 0)
		snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " LIMIT ? OFFSET ?");

	int rc = qm_store_prepare(l->store, sql, &st, err), step;
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	for (int i = 0; i < np; i++)
		qm_stmt_bind_text(st, i + 1, params[i]);
	if (filter->limit > 0) {
		qm_stmt_bind_int(st, np + 1, filter->limit);
		qm_stmt_bind_int(st, np + 2, filter->offset > 0 ? filter->offset : 0);
	}
	struct qm_record rec;
	qm_record_init(&rec, k);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct qm_pledge_extra extra = {0};
		if (qm_rows_read(st, &rec) < 0) {
			step = QM_STEP_ERROR;
			qm_error_set(err, QM_EINTERNAL, "out of memory");
			break;
		}
		if (k->id == QM_PLEDGES) {
			int c = k->nfields;
			extra.value_eur_cents = qm_stmt_int(st, c);
			extra.own_value_eur_cents = qm_stmt_int(st, c + 1);
			extra.valuation = qm_stmt_text(st, c + 2);
			extra.counted_in = qm_stmt_text(st, c + 3);
			extra.delivered = qm_stmt_int(st, c + 4);
		}
		if (cb(ctx, &rec, k->id == QM_PLEDGES ? &extra : NULL))
			break;
	}
	qm_record_release(&rec);
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

struct export_ctx {
	FILE *out;
	enum qm_format format;
	long n;
};

static int export_row(void *vctx, const struct qm_record *rec, const struct qm_pledge_extra *x)
{
	struct export_ctx *ctx = vctx;
	const struct qm_kind *k = rec->kind;
	(void)x;
	if (ctx->format == QM_FORMAT_CSV) {
		for (int i = 0; i < k->nfields; i++) {
			if (i)
				putc(',', ctx->out);
			qm_csv_write_field(ctx->out, qm_record_get(rec, i));
		}
		putc('\n', ctx->out);
	} else {
		json_t *obj = json_object();
		for (int i = 0; i < k->nfields; i++) {
			const char *v = qm_record_get(rec, i);
			enum qm_ftype t = k->fields[i].type;
			json_t *jv = !v ? json_null()
				: (t == QM_T_QUANTITY || t == QM_T_PRIORITY || t == QM_T_YEAR)
					? json_integer(rec->num[i]) : json_string(v);
			json_object_set_new(obj, k->fields[i].name, jv);
		}
		char *s = json_dumps(obj, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		fprintf(ctx->out, "%s  ", ctx->n ? ",\n" : "\n");
		for (char *p = s; p && *p; p++) {
			putc(*p, ctx->out);
			if (*p == '\n')
				fputs("  ", ctx->out);
		}
		free(s);
		json_decref(obj);
	}
	ctx->n++;
	return 0;
}

int qm_export(struct qm_ledger *l, const char *kind_name, enum qm_format format, FILE *out,
	struct qm_error *err)
{
	const struct qm_kind *k = qm_kind_by_name(kind_name);
	struct export_ctx ctx = {out, format == QM_FORMAT_JSON ? QM_FORMAT_JSON : QM_FORMAT_CSV, 0};
	if (!k)
		return qm_error_set(err, QM_EUSAGE, "unknown kind '%s'; expected one of %s", kind_name,
			qm_kind_names());
	if (ctx.format == QM_FORMAT_CSV) {
		for (int i = 0; i < k->nfields; i++)
			fprintf(out, "%s%s", i ? "," : "", k->fields[i].name);
		putc('\n', out);
	} else {
		putc('[', out);
	}
	int rc = qm_list(l, kind_name, NULL, export_row, &ctx, err);
	if (ctx.format == QM_FORMAT_JSON)
		fputs(ctx.n ? "\n]\n" : "]\n", out);
	if (rc == QM_OK && (fflush(out) != 0 || ferror(out)))
		rc = qm_error_set(err, QM_EIO, "cannot write the export");
	return rc;
}

json_t *qm_record_json(const struct qm_record *rec, const struct qm_pledge_extra *x)
{
	const struct qm_kind *k = rec->kind;
	json_t *o = json_object();
	for (int i = 0; o && i < k->nfields; i++) {
		const char *v = qm_record_get(rec, i);
		enum qm_ftype t = k->fields[i].type;
		json_object_set_new(o, k->fields[i].name, !v ? json_null()
			: (t == QM_T_QUANTITY || t == QM_T_PRIORITY || t == QM_T_YEAR)
				? json_integer(rec->num[i]) : json_string(v));
	}
	if (o && x) {
		json_object_set_new(o, "value_eur_cents", json_integer(x->value_eur_cents));
		json_object_set_new(o, "own_value_eur_cents", json_integer(x->own_value_eur_cents));
		json_object_set_new(o, "valuation", x->valuation ? json_string(x->valuation) : json_null());
		json_object_set_new(o, "counted_in", x->counted_in ? json_string(x->counted_in) : json_null());
		json_object_set_new(o, "delivered", json_integer(x->delivered));
	}
	return o;
}
