/*
 * training.h - the training picture: per course the seats, the trainees the
 * plan gives them and the fill rate; per provider the seats offered and
 * used; per skill the trainees needed, assigned and short (from the plan's
 * second stage, docs/plan.md#training); and which courses start within the
 * next 90 days.
 */
#ifndef QM_TRAINING_H
#define QM_TRAINING_H

#include <stdint.h>

#include <jansson.h>

#include "qm/date.h"
#include "qm/error.h"
#include "qm/ledger.h"
#include "qm/plan.h"

#define QM_TRAINING_UPCOMING_DAYS 90

struct qm_training_course {
	char *id, *provider, *skill, *location, *status; /* location NULL when not given */
	qm_day start, end;
	int64_t seats;
	int64_t assigned; /* trainees the plan gives it (0 when cancelled) */
	int upcoming;     /* starts today or within QM_TRAINING_UPCOMING_DAYS */
};

struct qm_training_provider {
	char *code;
	int64_t courses, seats, used; /* courses not cancelled */
};

/* Everything is owned by the struct and freed with qm_training_free(). */
struct qm_training {
	qm_day today;
	struct qm_training_course *courses; /* by start, then id */
	size_t ncourses;
	struct qm_training_provider *providers; /* by code */
	size_t nproviders;
	struct qm_plan *plan; /* the plan it is read from; plan->skills per skill */
};

/* Plan the ledger (opt as for qm_plan_run) and read its courses; today
 * comes from qm_date_today(). Returns QM_OK and *out (the caller frees it). */
int qm_training_run(struct qm_ledger *l, const struct qm_plan_options *opt,
	struct qm_training **out, struct qm_error *err);
void qm_training_free(struct qm_training *t);

/* Fill rate of a course in tenths of a percent, rounded half up (0 without seats). */
int64_t qm_training_fill_permille(int64_t assigned, int64_t seats);

/* One skill of the plan's second stage as the JSON object qm training and
 * qm report give it (skill, seats, needed, crew_needed, assigned, short);
 * a new reference. */
json_t *qm_plan_skill_json(const struct qm_plan_skill *k);

/* The JSON object of `qm training --json` (a new reference; the caller decrefs). */
json_t *qm_training_to_json(const struct qm_training *t);

#endif
