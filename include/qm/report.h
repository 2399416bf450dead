/*
 * report.h - the coordination report as data: the CLI renders it as text
 * or prints it as JSON, so both always show the same figures.
 */
#ifndef QM_REPORT_H
#define QM_REPORT_H

#include <jansson.h>

#include "qm/error.h"
#include "qm/ledger.h"
#include "qm/training.h"

/* The most requirements the training section lists as lagging. */
#define QM_REPORT_LAGGING 10

/*
 * Build the coordination picture as of as_of (YYYY-MM-DD; NULL for today):
 * records dated after it are left out. Returns QM_OK and *out, a JSON
 * object owned by the caller (json_decref), with the sections described in
 * docs/concepts.md; money in integer euro cents.
 */
int qm_report_build(struct qm_ledger *l, const char *as_of, json_t **out, struct qm_error *err);

/*
 * The report's training section (report_training.c): per skill the seats
 * against the trainees needed, assigned and short; the courses by provider
 * with their dates, seats and trainees assigned; and the requirements whose
 * ready date lags their equipment's expected date the most (never ready
 * first, at most QM_REPORT_LAGGING). qm_report_training plans the ledger as
 * of as_of (NULL: every pledge and delivery; courses are all kept);
 * qm_report_training_of reads a training picture already made. On QM_OK,
 * *out is a new JSON object, or NULL when the ledger has no courses and no
 * item with a crew (then there is no section).
 */
int qm_report_training(struct qm_ledger *l, const char *as_of, json_t **out, struct qm_error *err);
int qm_report_training_of(struct qm_ledger *l, const struct qm_training *t, json_t **out,
	struct qm_error *err);

#endif
