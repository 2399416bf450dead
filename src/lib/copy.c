/*
 * copy.c - qm_ledger_copy(): a whole ledger, journal and accounts included,
 * from one store into an empty one (SQLite to PostgreSQL and back). Rows go
 * across as they are stored, in key order, with the journal's hashes
 * untouched, so that audit verify passes on the target and every export is
 * the same. Both stores are held under their write lock while it runs: the
 * source cannot change half-way, and nobody writes into the target before
 * the copy is whole (it is one transaction there).
 */
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"

/* Every table of the schema (migrations 1 to 3) but meta, whose schema
 * version each store keeps for itself; with the columns that order it. */
static const struct {
	const char *table, *order;
} tables[] = {
	{"parties", "code"}, {"items", "code"}, {"rates", "currency, date"},
	{"gdp", "party, year"}, {"pledges", "id"}, {"deliveries", "id"},
	{"requirements", "id"}, {"frameworks", "id"}, {"journal", "seq"},
	{"users", "name"}, {"tokens", "hash"}, {"sessions", "hash"},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static int is_empty(struct qm_ledger *l, const char *table, int *empty, struct qm_error *err)
{
	char sql[128];
	struct qm_stmt *st;
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s LIMIT 1", table);
	int rc = qm_store_prepare(l->store, sql, &st, err);
	if (rc != QM_OK)
		return rc;
	int step = qm_stmt_step(st, err);
	qm_stmt_finalize(st);
	if (step == QM_STEP_ERROR)
		return err->code;
	*empty = step == QM_STEP_DONE;
	return QM_OK;
}

/* The INSERT for the columns of the current row of sel. */
static int prepare_insert(struct qm_ledger *to, const char *table, struct qm_stmt *sel,
	struct qm_stmt **ins, struct qm_error *err)
{
	char sql[2048];
	int n = qm_stmt_columns(sel);
	size_t used = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s(", table);
	for (int i = 0; i < n && used < sizeof(sql); i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s\"%s\"", i ? ", " : "",
			qm_stmt_column_name(sel, i));
	used += (size_t)snprintf(sql + used, sizeof(sql) - used, ") VALUES(");
	for (int i = 0; i < n && used < sizeof(sql); i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s?", i ? ", " : "");
	if (used + 2 >= sizeof(sql))
		return qm_error_set(err, QM_EINTERNAL, "table %s has too many columns", table);
	snprintf(sql + used, sizeof(sql) - used, ")");
	int rc = qm_store_prepare(to->store, sql, ins, err);
	if (rc == QM_OK)
		qm_stmt_defer(*ins);
	return rc;
}

static int copy_table(struct qm_ledger *from, struct qm_ledger *to, int t, int64_t *rows,
	struct qm_error *err)
{
	char sql[256];
	struct qm_stmt *sel, *ins = NULL;
	int rc, step;
	snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s", tables[t].table, tables[t].order);
	if ((rc = qm_store_prepare(from->store, sql, &sel, err)) != QM_OK)
		return rc;
	qm_stmt_stream(sel);
	while ((step = qm_stmt_step(sel, err)) == QM_STEP_ROW) {
		if (!ins && (rc = prepare_insert(to, tables[t].table, sel, &ins, err)) != QM_OK)
			break;
		int n = qm_stmt_columns(sel);
		for (int i = 0; i < n; i++)
			qm_stmt_bind_text(ins, i + 1, qm_stmt_text(sel, i));
		int w = qm_stmt_step(ins, err);
		qm_stmt_reset(ins);
		if (w != QM_STEP_DONE) {
			rc = w == QM_STEP_CONSTRAINT
				? qm_error_set(err, QM_EDATA, "table %s: a key copied twice", tables[t].table)
				: err->code;
			break;
		}
		(*rows)++;
	}
	if (rc == QM_OK && step == QM_STEP_ERROR)
		rc = err->code;
	qm_stmt_finalize(sel);
	qm_stmt_finalize(ins);
	return rc;
}

int qm_ledger_copy(struct qm_ledger *from, struct qm_ledger *to, const char *to_name,
	struct qm_copy_result *res, struct qm_error *err)
{
	memset(res, 0, sizeof(*res));
	int rc = qm_store_begin(from->store, err);
	if (rc != QM_OK)
		return rc;
	if ((rc = qm_store_begin(to->store, err)) != QM_OK) {
		qm_store_rollback(from->store);
		return rc;
	}
	for (size_t t = 0; rc == QM_OK && t < NTABLES; t++) {
		int empty = 0;
		rc = is_empty(to, tables[t].table, &empty, err);
		if (rc == QM_OK && !empty)
			rc = qm_error_set(err, QM_EDATA,
				"'%s' is not an empty ledger (its table %s has rows): qm copy writes only"
				" into a new or empty database", to_name, tables[t].table);
	}
	for (size_t t = 0; rc == QM_OK && t < NTABLES; t++) {
		int64_t rows = 0;
		rc = copy_table(from, to, (int)t, &rows, err);
		if (strcmp(tables[t].table, "journal") == 0)
			res->journal += rows;
		else if (strcmp(tables[t].table, "users") == 0 || strcmp(tables[t].table, "tokens") == 0
			|| strcmp(tables[t].table, "sessions") == 0)
			res->accounts += rows;
		else
			res->records += rows;
	}
	if (rc == QM_OK)
		rc = qm_store_commit(to->store, err);
	if (rc != QM_OK)
		qm_store_rollback(to->store);
	qm_store_rollback(from->store);
	return rc;
}
