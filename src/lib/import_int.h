/*
 * import_int.h - the import pipeline's parts, private to the core.
 *
 * Readers (read_csv.c for CSV and the ECB and World Bank layouts,
 * read_json.c, kiel.c) turn a file into raw rows: each field's text and
 * where it stands. They hand each row to qm_importer_row(), which validates
 * it by the schema and the kind's rules, and writes it with its journal
 * entry inside the import's one transaction (import.c).
 */
#ifndef QM_IMPORT_INT_H
#define QM_IMPORT_INT_H

#include <stdio.h>

#include "ledger_int.h"

struct qm_src_field {
	const char *text; /* NULL when the column is absent */
	long line, column;
	const char *path; /* JSON path of the value, or NULL */
};

struct qm_src_row {
	struct qm_src_field f[QM_FIELDS_MAX];
	long line, column;   /* where the row starts */
	const char *path;    /* JSON path of the row, or NULL */
};

struct qm_importer;

/* Where rows come from, for messages. */
const char *qm_importer_source(const struct qm_importer *imp);
const struct qm_kind *qm_importer_kind(const struct qm_importer *imp);
struct qm_lookup *qm_importer_lookup(struct qm_importer *imp);
struct qm_ledger *qm_importer_ledger(struct qm_importer *imp);
const struct qm_import_options *qm_importer_options(const struct qm_importer *imp);
struct qm_import_result *qm_importer_result(struct qm_importer *imp);

/* Validate and write one row; problems go to the diag. Returns QM_OK, or
 * a code other than QM_EDATA when the import must stop at once. */
int qm_importer_row(struct qm_importer *imp, const struct qm_src_row *row);

/* Report a problem at a position (path may be NULL); returns QM_EDATA, or 0 for a warning. */
int qm_importer_error(struct qm_importer *imp, int warning, long line, long column,
	const char *path, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* 1 when enough errors were found to stop reading. */
int qm_importer_full(struct qm_importer *imp);

/* One JSON object as a row: the fields point into the paths and texts here. */
struct qm_json_row {
	struct qm_src_row row;
	char rowpath[32];
	char paths[QM_FIELDS_MAX][96];
	char texts[QM_FIELDS_MAX][40];
};
/* Report a problem at a JSON path; fmt has one %s for value. */
typedef int (*qm_json_problem)(void *ctx, const char *path, const char *field, const char *fmt,
	const char *value);
struct json_t;
/*
 * Fill jr from obj, element idx of the file's array, by the field names of
 * kind k: a string as it is, a number in the shortest decimal that reads
 * back the same, true/false as yes/no, null as empty. Something that is not
 * an object, an unknown field, or an array or object as a value is reported
 * through problem. Returns 0, or 1 when anything was reported.
 */
int qm_json_row_fill(struct qm_json_row *jr, const struct json_t *obj, size_t idx,
	const struct qm_kind *k, qm_json_problem problem, void *ctx);

/* Readers: return QM_OK or a code for a failure that stops the import. */
int qm_read_csv(struct qm_importer *imp, FILE *fp);
int qm_read_json(struct qm_importer *imp, FILE *fp);
int qm_read_kiel(struct qm_importer *imp, FILE *fp);

#endif
