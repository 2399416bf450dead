/*
 * read_json.c - JSON files into raw rows for the importer: an array of
 * objects with the same field names as the CSV columns. Values may be
 * strings, numbers, true/false (for yes/no fields) or null (empty).
 * Problems are located by JSON path ($[3].quantity); syntax errors by line
 * and column, as jansson reports them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "import_int.h"

/* The shortest decimal text that reads back as d, so that 12345678901234.56
 * stays what was written; the field's own parser then judges it (a money
 * value with more than two decimals is an error, not rounded). */
static void shortest_decimal(double d, char *buf, size_t n)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, n, "%.*g", digits, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

const char *qm_json_value_text(const json_t *v, char buf[40])
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, 40, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		shortest_decimal(json_real_value(v), buf, 40);
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	if (json_is_null(v))
		return "";
	return NULL;
}

static const char *kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	default: return "null";
	}
}

int qm_json_row_fill(struct qm_json_row *jr, const json_t *obj, size_t idx,
	const struct qm_kind *k, qm_json_problem problem, void *ctx)
{
	int bad = 0;
	memset(&jr->row, 0, sizeof(jr->row));
	snprintf(jr->rowpath, sizeof(jr->rowpath), "$[%zu]", idx);
	jr->row.path = jr->rowpath;
	if (!json_is_object(obj))
		return problem(ctx, jr->rowpath, NULL, "an object, got %s", kind_of(obj)), 1;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		int i = qm_kind_field(k, key);
		char path[96];
		snprintf(path, sizeof(path), "%s.%s", jr->rowpath, key);
		if (i < 0) {
			char fmt[64];
			snprintf(fmt, sizeof(fmt), "a field of %s, got '%%s'", k->name);
			bad = 1;
			problem(ctx, path, NULL, fmt, key);
			continue;
		}
		snprintf(jr->paths[i], sizeof(jr->paths[i]), "%s", path);
		jr->row.f[i].path = jr->paths[i];
		jr->row.f[i].text = qm_json_value_text(v, jr->texts[i]);
		if (!jr->row.f[i].text) {
			bad = 1;
			problem(ctx, path, key, "a string, number, boolean or null, got %s", kind_of(v));
		}
	}
	return bad;
}

static int import_problem(void *ctx, const char *path, const char *field, const char *fmt,
	const char *value)
{
	return qm_importer_error(ctx, 0, 0, 0, path, field, fmt, value);
}

int qm_read_json(struct qm_importer *imp, FILE *fp)
{
	const struct qm_kind *k = qm_importer_kind(imp);
	json_error_t jerr;
	json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	int rc = QM_OK;

	if (!root) {
		qm_importer_error(imp, 0, jerr.line > 0 ? jerr.line : 1,
			jerr.column > 0 ? jerr.column : 1, NULL, NULL, "valid JSON: %s", jerr.text);
		return QM_OK;
	}
	if (!json_is_array(root)) {
		qm_importer_error(imp, 0, 0, 0, "$", NULL, "an array of %s objects", k->singular);
		json_decref(root);
		return QM_OK;
	}
	size_t idx;
	json_t *obj;
	json_array_foreach(root, idx, obj) {
		struct qm_json_row jr;
		if (qm_importer_full(imp) || rc != QM_OK)
			break;
		if (qm_json_row_fill(&jr, obj, idx, k, import_problem, imp) == 0)
			rc = qm_importer_row(imp, &jr.row);
	}
	json_decref(root);
	return rc;
}
