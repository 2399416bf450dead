/*
 * report.h - the coordination report as data: the CLI renders it as text
 * or prints it as JSON, so both always show the same figures.
 */
#ifndef QM_REPORT_H
#define QM_REPORT_H

#include <jansson.h>

#include "qm/error.h"
#include "qm/ledger.h"

/*
 * Build the coordination picture as of as_of (YYYY-MM-DD; NULL for today):
 * records dated after it are left out. Returns QM_OK and *out, a JSON
 * object owned by the caller (json_decref), with the sections described in
 * docs/concepts.md; money in integer euro cents.
 */
int qm_report_build(struct qm_ledger *l, const char *as_of, json_t **out, struct qm_error *err);

#endif
