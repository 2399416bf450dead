/*
 * plan_whatif.c - what-if changes applied to a plan's picture in memory:
 * CSV files in the import format, of pledges (a known id revises the fields
 * the row gives, such as available or status; a new id adds a pledge of an
 * item) or of requirements (a file whose header has needed_by). Each field
 * is checked with the import's own field rules; problems are reported with
 * their file, line and column, and nothing in the ledger is touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/csv.h"
#include "plan_int.h"

struct whatif {
	struct plan_picture *pic;
	struct qm_diag *diag;
	const char *source;
	struct strmap pledges, reqs; /* id -> index + 1 */
};

static int problem(struct whatif *w, const struct qm_csv_field *f, const char *field,
	const char *fmt, const char *value)
{
	struct qm_error e;
	qm_error_set(&e, QM_EDATA, fmt, value);
	snprintf(e.source, sizeof(e.source), "%s", w->source);
	e.line = f ? f->line : 0;
	e.column = f ? f->column : 0;
	snprintf(e.field, sizeof(e.field), "%s", field ? field : "");
	qm_diag_add(w->diag, &e);
	return QM_EDATA;
}

static int index_of(struct strmap *m, const char *id)
{
	struct strmap_entry *e = strmap_get(m, id);
	return e ? (int)e->num - 1 : -1;
}

static int status_code(const char *s)
{
	return strcmp(s, "committed") == 0 ? PLAN_COMMITTED
		: strcmp(s, "cancelled") == 0 ? PLAN_CANCELLED : PLAN_ANNOUNCED;
}

/* One row: the fields given (parsed into rec), where each stands (at). */
static int apply_pledge(struct whatif *w, struct qm_record *rec, const struct qm_csv_field **at,
	const struct qm_csv_field *row)
{
	struct plan_picture *pic = w->pic;
	const char *id = qm_record_get(rec, QM_PLEDGE_ID);
	const char *item = qm_record_get(rec, QM_PLEDGE_ITEM);
	int it = item ? plan_item(pic, item) : -1;
	if (item && it < 0)
		return problem(w, at[QM_PLEDGE_ITEM], "item", "the code of a known item, got '%s'", item);
	int i = index_of(&w->pledges, id);
	if (i < 0) {
		struct plan_pledge p = {0};
		if (!item || !qm_record_get(rec, QM_PLEDGE_QUANTITY))
			return problem(w, row, "item", "an item and a quantity for the new pledge '%s'", id);
		const char *when = qm_record_get(rec, QM_PLEDGE_AVAILABLE) ? qm_record_get(rec, QM_PLEDGE_AVAILABLE)
			: qm_record_get(rec, QM_PLEDGE_DATE);
		if (!when)
			return problem(w, row, "available", "an available date (or a date) for the new pledge '%s'", id);
		p.id = strdup(id);
		p.item = it;
		p.status = qm_record_get(rec, QM_PLEDGE_STATUS) ? status_code(qm_record_get(rec, QM_PLEDGE_STATUS))
			: PLAN_ANNOUNCED;
		p.quantity = rec->num[QM_PLEDGE_QUANTITY];
		qm_date_parse(when, &p.available);
		p.first_delivery = pic->ndeliveries;
		struct strmap_entry *e = p.id ? strmap_put(&w->pledges, id, NULL) : NULL;
		if (!e || PLAN_PUSH(pic, pledges, p) < 0) {
			free(p.id);
			return QM_EINTERNAL;
		}
		e->num = (int64_t)pic->npledges;
		return QM_OK;
	}
	struct plan_pledge *p = &pic->pledges[i];
	if (item)
		p->item = it;
	if (qm_record_get(rec, QM_PLEDGE_QUANTITY))
		p->quantity = rec->num[QM_PLEDGE_QUANTITY];
	if (qm_record_get(rec, QM_PLEDGE_STATUS))
		p->status = status_code(qm_record_get(rec, QM_PLEDGE_STATUS));
	if (qm_record_get(rec, QM_PLEDGE_AVAILABLE))
		p->available = (qm_day)rec->num[QM_PLEDGE_AVAILABLE];
	return QM_OK;
}

static int apply_req(struct whatif *w, struct qm_record *rec, const struct qm_csv_field **at,
	const struct qm_csv_field *row)
{
	struct plan_picture *pic = w->pic;
	const char *id = qm_record_get(rec, QM_REQ_ID);
	const char *item = qm_record_get(rec, QM_REQ_ITEM), *cap = qm_record_get(rec, QM_REQ_CAPABILITY);
	int it = item ? plan_item(pic, item) : -1;
	if (item && it < 0)
		return problem(w, at[QM_REQ_ITEM], "item", "the code of a known item, got '%s'", item);
	if (item && cap)
		return problem(w, at[QM_REQ_ITEM], "item", "exactly one of capability and item, got '%s'", item);
	int i = index_of(&w->reqs, id);
	struct plan_req r = {0};
	if (i >= 0)
		r = pic->reqs[i];
	else if ((!item && !cap) || !qm_record_get(rec, QM_REQ_QUANTITY)
		|| !qm_record_get(rec, QM_REQ_PRIORITY) || !qm_record_get(rec, QM_REQ_NEEDED_BY))
		return problem(w, row, "id", "capability or item, quantity, priority and needed_by for the"
			" new requirement '%s'", id);
	if (item) {
		r.item = it;
		r.cap = pic->items[it].cap;
	} else if (cap) {
		r.item = -1;
		r.cap = plan_capability(pic, cap);
		if (r.cap < 0)
			return QM_EINTERNAL;
	}
	if (qm_record_get(rec, QM_REQ_QUANTITY))
		r.quantity = rec->num[QM_REQ_QUANTITY];
	if (qm_record_get(rec, QM_REQ_PRIORITY))
		r.priority = (int)rec->num[QM_REQ_PRIORITY];
	if (qm_record_get(rec, QM_REQ_NEEDED_BY))
		r.needed = (qm_day)rec->num[QM_REQ_NEEDED_BY];
	if (i >= 0) {
		pic->reqs[i] = r;
		return QM_OK;
	}
	r.id = strdup(id);
	struct strmap_entry *e = r.id ? strmap_put(&w->reqs, id, NULL) : NULL;
	if (!e || PLAN_PUSH(pic, reqs, r) < 0) {
		free(r.id);
		return QM_EINTERNAL;
	}
	e->num = (int64_t)pic->nreqs;
	return QM_OK;
}

static int apply_file(struct whatif *w, FILE *fp)
{
	struct qm_csv_reader *r;
	struct qm_error err;
	const struct qm_csv_field *f;
	size_t n, ncols;
	int rc = qm_csv_open(&r, fp, w->source, &err), got;
	if (rc != QM_OK)
		return rc;
	got = qm_csv_next(r, &f, &n, &err);
	if (got <= 0) {
		if (got < 0)
			qm_diag_add(w->diag, &err);
		else
			problem(w, NULL, NULL, "a header row of pledges or requirements, got %s", "an empty file");
		qm_csv_close(r);
		return QM_EDATA;
	}
	const struct qm_kind *k = qm_kind(QM_PLEDGES);
	for (size_t c = 0; c < n; c++)
		if (strcmp(f[c].text, "needed_by") == 0)
			k = qm_kind(QM_REQUIREMENTS);
	int map[QM_FIELDS_MAX * 4];
	ncols = n;
	int bad = 0;
	for (size_t c = 0; c < n && c < QM_FIELDS_MAX * 4; c++) {
		map[c] = qm_kind_field(k, f[c].text);
		if (map[c] < 0)
			bad |= problem(w, &f[c], NULL, "a column of pledges or requirements, got '%s'", f[c].text);
	}
	if (qm_kind_field(k, "id") < 0 || n > QM_FIELDS_MAX * 4)
		bad = QM_EDATA;
	if (!bad) {
		int has_id = 0;
		for (size_t c = 0; c < n; c++)
			has_id |= map[c] == 0;
		if (!has_id)
			bad = problem(w, &f[0], NULL, "an id column, got %s", "none");
	}
	struct qm_record rec;
	qm_record_init(&rec, k);
	while (!bad && !qm_diag_full(w->diag) && (got = qm_csv_next(r, &f, &n, &err)) == 1) {
		const struct qm_csv_field *at[QM_FIELDS_MAX] = {0};
		char expected[256];
		int row_bad = 0;
		if (n != ncols) {
			problem(w, &f[0], NULL, "a row as wide as the header, got %s", "another width");
			continue;
		}
		qm_record_clear(&rec);
		for (size_t c = 0; c < n; c++) {
			at[map[c]] = &f[c];
			if (f[c].len && qm_field_parse(&rec, map[c], f[c].text, expected, sizeof(expected)) < 0) {
				struct qm_error e;
				qm_error_set(&e, QM_EDATA, "%s, got '%s'", expected, f[c].text);
				snprintf(e.source, sizeof(e.source), "%s", w->source);
				e.line = f[c].line;
				e.column = f[c].column;
				snprintf(e.field, sizeof(e.field), "%s", k->fields[map[c]].name);
				qm_diag_add(w->diag, &e);
				row_bad = 1;
			}
		}
		if (row_bad)
			continue;
		if (!qm_record_get(&rec, 0)) {
			problem(w, &f[0], "id", "an id, got '%s'", "");
			continue;
		}
		rc = k->id == QM_PLEDGES ? apply_pledge(w, &rec, at, &f[0]) : apply_req(w, &rec, at, &f[0]);
		if (rc == QM_EDATA)
			rc = QM_OK;
		if (rc != QM_OK)
			break;
	}
	if (got < 0 && !bad)
		qm_diag_add(w->diag, &err);
	qm_record_release(&rec);
	qm_csv_close(r);
	return rc;
}

int plan_apply_files(struct plan_picture *pic, const char *const *paths, int npaths,
	struct qm_diag *diag)
{
	struct whatif w = {pic, diag, "", {0}, {0}};
	int rc = QM_OK;
	strmap_init(&w.pledges);
	strmap_init(&w.reqs);
	for (size_t i = 0; i < pic->npledges; i++) {
		struct strmap_entry *e = strmap_put(&w.pledges, pic->pledges[i].id, NULL);
		if (e)
			e->num = (int64_t)i + 1;
	}
	for (size_t i = 0; i < pic->nreqs; i++) {
		struct strmap_entry *e = strmap_put(&w.reqs, pic->reqs[i].id, NULL);
		if (e)
			e->num = (int64_t)i + 1;
	}
	for (int i = 0; i < npaths && rc == QM_OK; i++) {
		FILE *fp = fopen(paths[i], "rb");
		w.source = paths[i];
		if (!fp) {
			struct qm_error e;
			qm_error_set(&e, errno == ENOENT ? QM_ENOINPUT : QM_EIO, "cannot open '%s': %s",
				paths[i], strerror(errno));
			qm_diag_add(diag, &e);
			rc = e.code;
			break;
		}
		rc = apply_file(&w, fp);
		fclose(fp);
		if (rc == QM_EDATA)
			rc = QM_OK;
	}
	strmap_release(&w.pledges, NULL);
	strmap_release(&w.reqs, NULL);
	if (rc == QM_OK && diag->errors > 0)
		rc = QM_EDATA;
	return rc;
}
