/*
 * plan_whatif.c - what-if changes applied to a plan's picture in memory:
 * files in the import format, CSV or JSON (a name ending in .json), of
 * pledges (a known id revises the fields the row gives, such as available
 * or status; a new id adds a pledge of an item) or of requirements (a CSV
 * header, or a JSON file's first object, with needed_by). Each field is
 * checked with the import's own field rules; problems are reported with
 * their file, line and column (or JSON path), and nothing in the ledger is
 * touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "qm/csv.h"
#include "import_int.h"
#include "plan_int.h"

struct whatif {
	struct plan_picture *pic;
	struct qm_diag *diag;
	const char *source;
	struct strmap pledges, reqs; /* id -> index + 1 */
};

static int problem(struct whatif *w, const struct qm_src_field *f, const char *field,
	const char *fmt, const char *value)
{
	struct qm_error e;
	qm_error_set(&e, QM_EDATA, fmt, value);
	snprintf(e.source, sizeof(e.source), "%s", w->source);
	e.line = f ? f->line : 0;
	e.column = f ? f->column : 0;
	if (f && f->path)
		snprintf(e.path, sizeof(e.path), "%s", f->path);
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

/* One row: the fields given (parsed into rec), where each stands (at), and
 * where the row starts (row). */
static int apply_pledge(struct whatif *w, struct qm_record *rec, const struct qm_src_field *at,
	const struct qm_src_field *row)
{
	struct plan_picture *pic = w->pic;
	const char *id = qm_record_get(rec, QM_PLEDGE_ID);
	const char *item = qm_record_get(rec, QM_PLEDGE_ITEM);
	int it = item ? plan_item(pic, item) : -1;
	if (item && it < 0)
		return problem(w, &at[QM_PLEDGE_ITEM], "item", "the code of a known item, got '%s'", item);
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

static int apply_req(struct whatif *w, struct qm_record *rec, const struct qm_src_field *at,
	const struct qm_src_field *row)
{
	struct plan_picture *pic = w->pic;
	const char *id = qm_record_get(rec, QM_REQ_ID);
	const char *item = qm_record_get(rec, QM_REQ_ITEM), *cap = qm_record_get(rec, QM_REQ_CAPABILITY);
	int it = item ? plan_item(pic, item) : -1;
	if (item && it < 0)
		return problem(w, &at[QM_REQ_ITEM], "item", "the code of a known item, got '%s'", item);
	if (item && cap)
		return problem(w, &at[QM_REQ_ITEM], "item", "exactly one of capability and item, got '%s'", item);
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

/* Check the fields of one row with the import's rules and apply it; a bad
 * row is reported and skipped. Returns QM_OK, or a code that stops. */
static int apply_row(struct whatif *w, const struct qm_kind *k, struct qm_record *rec,
	const struct qm_src_row *row)
{
	char expected[256];
	int bad = 0;
	struct qm_src_field here = {NULL, row->line, row->column, row->path};
	qm_record_clear(rec);
	for (int i = 0; i < k->nfields; i++) {
		const struct qm_src_field *f = &row->f[i];
		if (f->text && *f->text && qm_field_parse(rec, i, f->text, expected, sizeof(expected)) < 0) {
			char msg[300];
			snprintf(msg, sizeof(msg), "%s, got '%%s'", expected);
			bad |= problem(w, f, k->fields[i].name, msg, f->text);
		}
	}
	if (bad)
		return QM_OK;
	if (!qm_record_get(rec, 0))
		return problem(w, row->f[0].text ? &row->f[0] : &here, "id", "an id, got '%s'", ""),
			QM_OK;
	int rc = k->id == QM_PLEDGES ? apply_pledge(w, rec, row->f, &here)
		: apply_req(w, rec, row->f, &here);
	return rc == QM_EDATA ? QM_OK : rc;
}

static int apply_csv(struct whatif *w, FILE *fp)
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
		struct qm_src_field at = {NULL, f[c].line, f[c].column, NULL};
		map[c] = qm_kind_field(k, f[c].text);
		if (map[c] < 0)
			bad |= problem(w, &at, NULL, "a column of pledges or requirements, got '%s'", f[c].text);
	}
	if (n > QM_FIELDS_MAX * 4)
		bad = QM_EDATA;
	if (!bad) {
		int has_id = 0;
		for (size_t c = 0; c < n; c++)
			has_id |= map[c] == 0;
		struct qm_src_field at = {NULL, f[0].line, f[0].column, NULL};
		if (!has_id)
			bad = problem(w, &at, NULL, "an id column, got %s", "none");
	}
	struct qm_record rec;
	qm_record_init(&rec, k);
	while (!bad && rc == QM_OK && !qm_diag_full(w->diag) && (got = qm_csv_next(r, &f, &n, &err)) == 1) {
		struct qm_src_row row = {0};
		row.line = f[0].line;
		row.column = f[0].column;
		if (n != ncols) {
			struct qm_src_field at = {NULL, f[0].line, f[0].column, NULL};
			problem(w, &at, NULL, "a row as wide as the header, got %s", "another width");
			continue;
		}
		for (size_t c = 0; c < n; c++)
			row.f[map[c]] = (struct qm_src_field){f[c].text, f[c].line, f[c].column, NULL};
		rc = apply_row(w, k, &rec, &row);
	}
	if (got < 0 && !bad)
		qm_diag_add(w->diag, &err);
	qm_record_release(&rec);
	qm_csv_close(r);
	return rc;
}

static int json_problem(void *ctx, const char *path, const char *field, const char *fmt,
	const char *value)
{
	struct qm_src_field at = {NULL, 0, 0, path};
	return problem(ctx, &at, field, fmt, value);
}

/* A JSON array of objects with the import's field names, as qm import reads. */
static int apply_json(struct whatif *w, FILE *fp)
{
	json_error_t jerr;
	json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	struct qm_src_field top = {NULL, 0, 0, "$"};
	if (!root) {
		struct qm_src_field at = {NULL, jerr.line > 0 ? jerr.line : 1,
			jerr.column > 0 ? jerr.column : 1, NULL};
		return problem(w, &at, NULL, "valid JSON: %s", jerr.text);
	}
	if (!json_is_array(root) || json_array_size(root) == 0) {
		json_decref(root);
		return problem(w, &top, NULL, "an array of pledge or requirement objects, got %s",
			"something else");
	}
	const struct qm_kind *k = json_object_get(json_array_get(root, 0), "needed_by")
		? qm_kind(QM_REQUIREMENTS) : qm_kind(QM_PLEDGES);
	struct qm_record rec;
	qm_record_init(&rec, k);
	size_t idx;
	json_t *obj;
	int rc = QM_OK;
	json_array_foreach(root, idx, obj) {
		struct qm_json_row jr;
		if (rc != QM_OK || qm_diag_full(w->diag))
			break;
		if (qm_json_row_fill(&jr, obj, idx, k, json_problem, w) == 0)
			rc = apply_row(w, k, &rec, &jr.row);
	}
	qm_record_release(&rec);
	json_decref(root);
	return rc;
}

static int apply_file(struct whatif *w, FILE *fp)
{
	size_t n = strlen(w->source);
	return n > 5 && strcmp(w->source + n - 5, ".json") == 0 ? apply_json(w, fp) : apply_csv(w, fp);
}

int plan_apply_files(struct plan_picture *pic, const char *const *paths, int npaths,
	struct qm_diag *diag)
{
	struct whatif w = {pic, diag, "", {0}, {0}};
	int rc = QM_OK;
	strmap_init(&w.pledges);
	strmap_init(&w.reqs);
	for (size_t i = 0; i < pic->npledges; i++) {
		if (pic->pledges[i].course)
			continue; /* what-if files change pledges, not courses */
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
