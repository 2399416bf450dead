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

const char *qm_json_scalar_text(const json_t *v, char buf[40])
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
		char rowpath[32], paths[QM_FIELDS_MAX][96], texts[QM_FIELDS_MAX][40];
		struct qm_src_row row = {0};
		int bad = 0;
		if (qm_importer_full(imp) || rc != QM_OK)
			break;
		snprintf(rowpath, sizeof(rowpath), "$[%zu]", idx);
		row.path = rowpath;
		if (!json_is_object(obj)) {
			qm_importer_error(imp, 0, 0, 0, rowpath, NULL, "an object");
			continue;
		}
		const char *key;
		json_t *v;
		json_object_foreach(obj, key, v) {
			int i = qm_kind_field(k, key);
			char path[96];
			snprintf(path, sizeof(path), "%s.%s", rowpath, key);
			if (i < 0) {
				bad |= qm_importer_error(imp, 0, 0, 0, path, NULL,
					"a field of %s, got '%s'", k->name, key);
				continue;
			}
			snprintf(paths[i], sizeof(paths[i]), "%s", path);
			row.f[i].path = paths[i];
			row.f[i].text = qm_json_scalar_text(v, texts[i]);
			if (!row.f[i].text)
				bad |= qm_importer_error(imp, 0, 0, 0, path, key,
					"a string, number, boolean or null, got an %s",
					json_is_array(v) ? "array" : "object");
		}
		if (!bad)
			rc = qm_importer_row(imp, &row);
	}
	json_decref(root);
	return rc;
}
