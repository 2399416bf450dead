/*
 * rows.c - records as table rows: the SQL each kind's fields give, reading
 * a row into a struct qm_record (numbers back to canonical text) and
 * binding a record's fields as parameters.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/money.h"
#include "ledger_int.h"

static char select_sql[QM_KIND_COUNT][512];
static pthread_once_t select_sql_once = PTHREAD_ONCE_INIT;

/* Every kind's SELECT, made once: qm serve's threads all read them. */
static void make_select_sql(void)
{
	for (int k = 0; k < QM_KIND_COUNT; k++) {
		const struct qm_kind *kind = qm_kind(k);
		char *s = select_sql[k];
		size_t used = (size_t)snprintf(s, 512, "SELECT ");
		for (int i = 0; i < kind->nfields; i++)
			used += (size_t)snprintf(s + used, 512 - used, "%s\"%s\"", i ? ", " : "",
				kind->fields[i].name);
		snprintf(s + used, 512 - used, " FROM %s", kind->name);
	}
}

const char *qm_rows_select_sql(const struct qm_kind *kind)
{
	pthread_once(&select_sql_once, make_select_sql);
	return select_sql[kind->id];
}

int qm_rows_read(struct qm_stmt *st, struct qm_record *rec)
{
	char buf[32];
	qm_record_clear(rec);
	for (int i = 0; i < rec->kind->nfields; i++) {
		const struct qm_field *f = &rec->kind->fields[i];
		if (qm_stmt_is_null(st, i))
			continue;
		int rc;
		if (f->type == QM_T_MONEY) {
			int64_t v = qm_stmt_int(st, i);
			rc = qm_record_set(rec, i, qm_decimal_format(v, 2, 1, buf), v);
		} else if (f->type == QM_T_RATE) {
			int64_t v = qm_stmt_int(st, i);
			rc = qm_record_set(rec, i, qm_decimal_format(v, 6, 0, buf), v);
		} else if (qm_ftype_is_numeric(f->type)) {
			int64_t v = qm_stmt_int(st, i);
			snprintf(buf, sizeof(buf), "%lld", (long long)v);
			rc = qm_record_set(rec, i, buf, v);
		} else {
			const char *t = qm_stmt_text(st, i);
			rc = qm_record_set(rec, i, t, 0);
			if (f->type == QM_T_DATE) {
				qm_day d;
				if (qm_date_parse(t, &d) == 0)
					rec->num[i] = d;
			} else if (f->type == QM_T_PARTY_LIST || f->type == QM_T_ENUM_LIST) {
				rec->num[i] = strcmp(t, "allies") != 0;
				for (const char *p = t; *p; p++)
					rec->num[i] += *p == ' ';
			} else if (f->type == QM_T_ENUM || f->type == QM_T_BOOL) {
				if (f->type == QM_T_BOOL)
					rec->num[i] = strcmp(t, "yes") == 0;
				else
					for (int c = 0; f->choices[c]; c++)
						if (strcmp(f->choices[c], t) == 0)
							rec->num[i] = c;
			}
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

void qm_rows_bind(struct qm_stmt *st, int first, const struct qm_record *rec)
{
	for (int i = 0; i < rec->kind->nfields; i++) {
		const char *v = qm_record_get(rec, i);
		if (!v)
			qm_stmt_bind_null(st, first + i);
		else if (qm_ftype_is_numeric(rec->kind->fields[i].type))
			qm_stmt_bind_int(st, first + i, rec->num[i]);
		else
			qm_stmt_bind_text_static(st, first + i, v);
	}
}

int qm_rows_find(struct qm_ledger *l, const struct qm_record *key, struct qm_record *found,
	struct qm_error *err)
{
	char sql[640];
	struct qm_stmt *st;
	const struct qm_kind *k = key->kind;
	size_t used = (size_t)snprintf(sql, sizeof(sql), "%s WHERE ", qm_rows_select_sql(k));
	for (int i = 0; i < k->nkeys; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s\"%s\" = ?", i ? " AND " : "",
			k->fields[i].name);
	if (qm_store_prepare(l->store, sql, &st, err) != QM_OK)
		return -1;
	for (int i = 0; i < k->nkeys; i++) {
		if (qm_ftype_is_numeric(k->fields[i].type))
			qm_stmt_bind_int(st, i + 1, key->num[i]);
		else
			qm_stmt_bind_text(st, i + 1, qm_record_get(key, i));
	}
	int rc = qm_stmt_step(st, err);
	if (rc == QM_STEP_ROW)
		rc = qm_rows_read(st, found) < 0 ? -1 : 1;
	else if (rc == QM_STEP_DONE)
		rc = 0;
	else
		rc = -1;
	qm_stmt_finalize(st);
	return rc;
}

int qm_rows_prepare_in(struct qm_ledger *l, const char *head, const char *const *values, size_t n,
	struct qm_stmt **st, struct qm_error *err)
{
	const char **distinct = malloc((n ? n : 1) * sizeof(*distinct));
	struct strmap seen;
	size_t nd = 0;
	strmap_init(&seen);
	for (size_t i = 0; distinct && i < n; i++) {
		int created;
		if (!strmap_put(&seen, values[i], &created))
			break;
		if (created)
			distinct[nd++] = values[i];
	}
	size_t cap = strlen(head) + 16 + 3 * nd, used;
	char *sql = distinct && seen.count == nd ? malloc(cap) : NULL;
	strmap_release(&seen, NULL);
	if (!sql) {
		free(distinct);
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	}
	used = (size_t)snprintf(sql, cap, "%s IN (", head);
	for (size_t i = 0; i < nd; i++)
		used += (size_t)snprintf(sql + used, cap - used, i ? ", ?" : "?");
	snprintf(sql + used, cap - used, ")");
	int rc = qm_store_prepare(l->store, sql, st, err);
	for (size_t i = 0; rc == QM_OK && i < nd; i++)
		qm_stmt_bind_text(*st, (int)i + 1, distinct[i]);
	free(sql);
	free(distinct);
	return rc;
}

/* Prepare head (a SELECT or a DELETE of the records' table) WHERE the first
 * key field (text in every kind) is one of the n records': both backends
 * answer "k" IN (?, ...) from the primary key's index. */
static int prepare_keys(struct qm_ledger *l, const char *head, const struct qm_record *const *keys,
	size_t n, struct qm_stmt **st, struct qm_error *err)
{
	const char **firsts = malloc(n * sizeof(*firsts));
	char where[640]; /* a SELECT of qm_rows_select_sql, at most 512 */
	if (!firsts)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	for (size_t r = 0; r < n; r++)
		firsts[r] = qm_record_get(keys[r], 0);
	snprintf(where, sizeof(where), "%s WHERE \"%s\"", head, keys[0]->kind->fields[0].name);
	int rc = qm_rows_prepare_in(l, where, firsts, n, st, err);
	free(firsts);
	return rc;
}

int qm_rows_find_keys(struct qm_ledger *l, const struct qm_record *const *keys, size_t n,
	struct strmap *found, struct qm_error *err)
{
	if (n == 0)
		return QM_OK;
	const struct qm_kind *k = keys[0]->kind;
	struct qm_stmt *st;
	int rc = prepare_keys(l, qm_rows_select_sql(k), keys, n, &st, err), step;
	if (rc != QM_OK)
		return rc;
	char key[256];
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct qm_record *rec = malloc(sizeof(*rec));
		struct strmap_entry *e = NULL;
		if (rec) {
			qm_record_init(rec, k);
			if (qm_rows_read(st, rec) == 0)
				e = strmap_put(found, qm_record_key(rec, key, sizeof(key)), NULL);
		}
		if (!e) {
			if (rec)
				qm_record_release(rec);
			free(rec);
			qm_stmt_finalize(st);
			return qm_error_set(err, QM_EINTERNAL, "out of memory");
		}
		if (e->ptr)
			qm_record_release(e->ptr);
		free(e->ptr);
		e->ptr = rec;
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

int qm_rows_delete_keys(struct qm_ledger *l, const struct qm_record *const *keys, size_t n,
	struct qm_error *err)
{
	if (n == 0)
		return QM_OK;
	char head[64];
	struct qm_stmt *st;
	snprintf(head, sizeof(head), "DELETE FROM %s", keys[0]->kind->name);
	int rc = prepare_keys(l, head, keys, n, &st, err);
	if (rc != QM_OK)
		return rc;
	int step = qm_stmt_step(st, err);
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
}
