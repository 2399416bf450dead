/*
 * plan.h - the allocation plan: which pledged units should serve which
 * requirement so that needs are met as early as possible, the most urgent
 * first (the model is in docs/plan.md).
 *
 * Supply is every unit of every pledge of an item that is not cancelled:
 * units delivered by a delivery are available on its date, the rest on the
 * pledge's available date. Demand is every requirement. A unit may serve a
 * requirement when its item is the requirement's item or provides its
 * capability. The plan minimises, over whole units,
 *   sum of w(r) x days late over assigned units + sum of w(r) x 3650 over unmet units
 * with w(r) = 2^(5 - priority). It is solved exactly as a minimum-cost flow.
 *
 * Training is planned the same way, second: a course's seats are units of
 * its skill available on its end date; demand is every requirement of a
 * skill and the crews that the first stage's equipment needs (crew_size x
 * units of its item's crew_skill, needed by the date those units are
 * available, at the served requirement's priority).
 */
#ifndef QM_PLAN_H
#define QM_PLAN_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "qm/date.h"
#include "qm/error.h"
#include "qm/ledger.h"

#define QM_PLAN_UNMET_DAYS 3650

struct qm_plan_options {
	const char *as_of;  /* YYYY-MM-DD: pledges and deliveries dated after it are left out; NULL: all */
	int committed_only; /* leave announced pledges out */
};

struct qm_plan_requirement {
	const char *id, *capability, *item; /* capability or item is NULL */
	int priority;
	qm_day needed_by;
	int64_t needed, assigned, delivered, unmet;
	qm_day expected;  /* when the last assigned unit is available; valid when has_expected */
	int has_expected; /* 0 when unmet > 0 ('never') or nothing is needed */
	int64_t cost;     /* this requirement's part of the objective, its crews' included */
	/* trainees that the crews of the equipment assigned to it need, those
	 * given seats and those short (0 when its equipment needs no crew) */
	int64_t crew_needed, crew_assigned, crew_unmet;
	qm_day ready;  /* equipment there and crews trained; valid when has_ready */
	int has_ready; /* 0: never (units or seats short) or nothing needed */
};

/* Seats of a course given to a requirement: to a training requirement, or
 * to the crew of the equipment assigned to a requirement. */
struct qm_plan_seat {
	const char *course, *requirement, *skill;
	int64_t trainees;
	qm_day needed_by; /* the requirement's date, or for a crew its equipment's date */
	qm_day available; /* the course's end */
	int64_t days_late;
	int crew; /* 1: the crew of the requirement's equipment */
};

struct qm_plan_assignment {
	const char *pledge, *requirement;
	int64_t quantity;
	qm_day available;
	int64_t days_late;
	int delivered; /* the units were delivered (available on a delivery's date) */
};

/* One skill in the second stage: seats that courses offer, trainees needed
 * (training requirements and crews; crews alone in crew_needed), given
 * seats and short. */
struct qm_plan_skill {
	const char *skill;
	int64_t seats, needed, crew_needed, assigned, unmet;
};

/* A plan. Requirements are in order of urgency (priority, needed_by, id);
 * assignments and seats in requirement order, then by pledge or course id
 * and date. Everything in it is owned by the plan and freed with
 * qm_plan_free(). */
struct qm_plan {
	int64_t objective;          /* both stages */
	int64_t training_objective; /* the second stage's part: skills */
	int64_t needed_total, assigned_total, unmet_total;
	struct qm_plan_requirement *requirements;
	size_t nrequirements;
	struct qm_plan_assignment *assignments;
	size_t nassignments;
	struct qm_plan_seat *seats;
	size_t nseats;
	struct qm_plan_skill *skills; /* by skill code */
	size_t nskills;
	struct qm_plan_private *priv;
};

/* Plan the ledger's picture. Returns QM_OK and *out (the caller frees it). */
int qm_plan_run(struct qm_ledger *l, const struct qm_plan_options *opt, struct qm_plan **out,
	struct qm_error *err);

/*
 * Plan the picture as it is, and as it would be with the changes in the
 * files applied in memory: pledge rows (a known id revises the fields the
 * row gives, such as available or status=cancelled; a new id adds a pledge)
 * and requirement rows, in the import format (CSV or JSON; a file whose
 * columns include needed_by holds requirements). Nothing is written.
 * Problems in the files go to *diag (QM_EDATA). On QM_OK, *before and
 * *after are the two plans (the caller frees both).
 */
int qm_plan_what_if(struct qm_ledger *l, const struct qm_plan_options *opt,
	const char *const *paths, int npaths, struct qm_plan **before, struct qm_plan **after,
	struct qm_diag *diag);

void qm_plan_free(struct qm_plan *p);

/* Write p as the JSON object of `qm plan --json` to fp (as_of may be NULL). */
void qm_plan_write_json(FILE *fp, const struct qm_plan *p, const char *as_of);
/* Write p's assignments as the CSV of `qm plan --csv` to fp. */
void qm_plan_write_csv(FILE *fp, const struct qm_plan *p);
/* Write one requirement's JSON object (no line break) to fp. */
void qm_plan_write_requirement_json(FILE *fp, const struct qm_plan_requirement *r);

/* w(r) = 2^(5 - priority). */
int64_t qm_plan_weight(int priority);

#endif
