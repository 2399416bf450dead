/*
 * csv.h - a streaming RFC 4180 reader that knows where every field starts.
 *
 * It reads UTF-8 text (a leading byte-order mark is skipped), fields
 * separated by commas, records by LF or CRLF, fields optionally in double
 * quotes with "" for a quote and line breaks allowed inside. Every field
 * carries the 1-based line and character column where it starts, which
 * error messages need and general-purpose CSV libraries do not report.
 * Blank lines are skipped. Bytes that are not UTF-8, NUL bytes, stray
 * quotes and unterminated quotes are errors with their position.
 */
#ifndef QM_CSV_H
#define QM_CSV_H

#include <stdio.h>
#include <stddef.h>

#include "qm/error.h"

#define QM_CSV_FIELD_MAX (1 << 20) /* bytes in one field */
#define QM_CSV_FIELDS_MAX 4096     /* fields in one record */

struct qm_csv_field {
	const char *text; /* NUL-terminated; owned by the reader */
	size_t len;
	long line;
	long column;
};

struct qm_csv_reader;

/* Start reading fp (not closed by the reader), naming it source in errors.
 * Returns QM_OK and a reader the caller frees with qm_csv_close(). */
int qm_csv_open(struct qm_csv_reader **out, FILE *fp, const char *source, struct qm_error *err);

/*
 * Read the next record. Returns 1 and sets *fields and *count (owned by the
 * reader, valid until the next call), 0 at the end of the input, or -1 with
 * *err filled (QM_EDATA for malformed text, QM_EIO for a read error).
 */
int qm_csv_next(struct qm_csv_reader *r, const struct qm_csv_field **fields, size_t *count,
	struct qm_error *err);

/* Line on which the last record returned started. */
long qm_csv_record_line(const struct qm_csv_reader *r);

void qm_csv_close(struct qm_csv_reader *r);

/* Write one field to fp, quoted when it holds a comma, quote, CR or LF. */
void qm_csv_write_field(FILE *fp, const char *text);

#endif
