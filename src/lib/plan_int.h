/*
 * plan_int.h - the plan's private parts: the picture it plans (items,
 * pledges with their deliveries, requirements; loaded by plan_load.c and
 * changed in memory by plan_whatif.c) and the solver over it (plan_solve.c).
 */
#ifndef QM_PLAN_INT_H
#define QM_PLAN_INT_H

#include "ledger_int.h"
#include "qm/plan.h"
#include "strmap.h"

enum { PLAN_ANNOUNCED, PLAN_COMMITTED, PLAN_CANCELLED };

struct plan_item {
	char *code;
	int cap;           /* index into capabilities */
	int crew_cap;      /* the crew's skill (a capability index), when crew_size > 0 */
	int64_t crew_size; /* trainees one unit needs; 0: none */
};

/* A pledge of an item, or a course (seats of a skill, available on its
 * end date); both are supply. */
struct plan_pledge {
	char *id;
	int item;       /* index into items; -1 for a course */
	int course;     /* 1 for a course: skill, seats (quantity) and end (available) */
	int skill;      /* a course's skill (a capability index) */
	int status;
	int64_t quantity;
	qm_day available;
	size_t first_delivery, ndeliveries; /* in the deliveries array */
};

struct plan_delivery {
	qm_day date;
	int64_t quantity;
};

/* A requirement; while solving, also the crew that equipment assigned to a
 * requirement needs (crew set, crew_for that requirement's index). */
struct plan_req {
	char *id;
	int cap;        /* capability index (that of the item when by item) */
	int item;       /* item index when the requirement names an item, else -1 */
	int priority;
	qm_day needed;
	int64_t quantity;
	int crew;       /* 1: crew demand of requirement crew_for */
	int crew_for;
};

/* Growable arrays; each element type has its own. */
#define PLAN_VEC(type, name) type *name; size_t n##name, cap_##name

struct plan_picture {
	PLAN_VEC(struct plan_item, items);
	PLAN_VEC(char *, caps);
	PLAN_VEC(struct plan_pledge, pledges);
	PLAN_VEC(struct plan_delivery, deliveries);
	PLAN_VEC(struct plan_req, reqs);
	struct strmap item_index; /* code -> index + 1 in num */
	struct strmap cap_index;  /* capability -> index + 1 in num */
	qm_day as_of;
	int has_as_of;
};

/* Append one element to a PLAN_VEC; returns its index or -1. */
#define PLAN_PUSH(pic, name, value) plan_push((void **)&(pic)->name, &(pic)->n##name, \
	&(pic)->cap_##name, sizeof(*(pic)->name), &(value))
long plan_push(void **array, size_t *n, size_t *cap, size_t size, const void *value);

void plan_picture_init(struct plan_picture *pic);
void plan_picture_release(struct plan_picture *pic);
/* Index of a capability, added when new; -1 when out of memory. */
int plan_capability(struct plan_picture *pic, const char *code);
/* Index of an item, or -1 when unknown. */
int plan_item(const struct plan_picture *pic, const char *code);

/* Load the picture from the ledger (plan_load.c): items, pledges with their
 * deliveries, courses and requirements; without requirements the pledges and
 * courses are left out unless every_pledge is set (what-if may add some). */
int plan_load(struct qm_ledger *l, const struct qm_plan_options *opt, int every_pledge,
	struct plan_picture *pic, struct qm_error *err);

/* Solve the picture into a new plan (plan_solve.c); the plan's strings point
 * into pic, which must outlive it unless the plan takes it over. */
int plan_solve(const struct plan_picture *pic, int committed_only, struct qm_plan **out,
	struct qm_error *err);

/* Apply what-if files to the picture (plan_whatif.c). */
int plan_apply_files(struct plan_picture *pic, const char *const *paths, int npaths,
	struct qm_diag *diag);

struct qm_plan_private {
	struct plan_picture *picture; /* owned when not NULL */
};

#endif
