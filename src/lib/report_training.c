/*
 * report_training.c - the report's training section as a JSON value, from
 * the training picture (qm_training_run: the plan and its courses):
 *
 *   skills    per skill the seats of courses not cancelled against the
 *             trainees needed (training requirements and crews), those
 *             given seats and those short (the plan's second stage);
 *   calendar  the courses by provider (code order; each provider's courses
 *             by start, then id), with dates, seats and trainees assigned;
 *   lagging   the requirements whose equipment needs crews and whose ready
 *             date comes after their equipment's expected date, the longest
 *             lag first, at most QM_REPORT_LAGGING; those that are never
 *             ready (a unit or a trainee short, so an unbounded lag) come
 *             before all others, most urgent first.
 *
 * There is no section when the ledger has neither courses nor items with a
 * crew. Nothing here prints: the CLI renders the value (cmd_report.c as
 * text, report_html.c as HTML).
 */
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "qm/report.h"
#include "qm/training.h"

static int oom(struct qm_error *err)
{
	return qm_error_set(err, QM_EINTERNAL, "out of memory");
}

static json_t *date_or_null(int valid, qm_day d)
{
	char buf[11];
	return valid ? json_string(qm_date_format(d, buf)) : json_null();
}

static json_t *skill_rows(const struct qm_plan *p, int64_t tot[4])
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->nskills; i++) {
		const struct qm_plan_skill *k = &p->skills[i];
		tot[0] += k->seats;
		tot[1] += k->needed;
		tot[2] += k->assigned;
		tot[3] += k->unmet;
		json_array_append_new(a, qm_plan_skill_json(k));
	}
	return a;
}

/* t's courses by provider, then in their own order (start, id) */
static int by_provider(const void *x, const void *y)
{
	const struct qm_training_course *a = *(const struct qm_training_course *const *)x,
					*b = *(const struct qm_training_course *const *)y;
	int c = strcmp(a->provider, b->provider);
	return c ? c : (a > b) - (a < b);
}

static int calendar(struct qm_ledger *l, const struct qm_training *t, json_t *out,
	struct qm_error *err)
{
	const struct qm_training_course **order = malloc((t->ncourses + 1) * sizeof(*order));
	struct qm_stmt *names;
	char d1[11], d2[11];
	if (!order)
		return oom(err);
	for (size_t i = 0; i < t->ncourses; i++)
		order[i] = &t->courses[i];
	qsort(order, t->ncourses, sizeof(*order), by_provider);
	int rc = qm_store_prepare(l->store, "SELECT name FROM parties WHERE code = ?", &names, err);
	json_t *group = NULL, *courses = NULL;
	int64_t seats = 0, assigned = 0;
	for (size_t k = 0; rc == QM_OK && k < t->ncourses; k++) {
		const struct qm_training_course *c = order[k];
		if (!group || strcmp(c->provider, order[k - 1]->provider) != 0) {
			qm_stmt_bind_text(names, 1, c->provider);
			int found = qm_stmt_step(names, err) == QM_STEP_ROW;
			courses = json_array();
			group = json_pack("{s:s, s:s, s:I, s:I, s:o}", "provider", c->provider, "name",
				found ? qm_stmt_text(names, 0) : c->provider, "seats", (json_int_t)0, "assigned",
				(json_int_t)0, "courses", courses);
			qm_stmt_reset(names);
			json_array_append_new(out, group);
			seats = assigned = 0;
		}
		if (strcmp(c->status, "cancelled") != 0) {
			json_object_set_new(group, "seats", json_integer(seats += c->seats));
			json_object_set_new(group, "assigned", json_integer(assigned += c->assigned));
		}
		json_array_append_new(courses, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s?}", "id",
			c->id, "skill", c->skill, "status", c->status, "start", qm_date_format(c->start, d1),
			"end", qm_date_format(c->end, d2), "seats", (json_int_t)c->seats, "assigned",
			(json_int_t)c->assigned, "location", c->location));
	}
	qm_stmt_finalize(names);
	free(order);
	return rc;
}

struct lag {
	const struct qm_plan_requirement *r;
	size_t rank; /* urgency: the plan's order */
	int64_t days;
};

static int worst_first(const void *x, const void *y)
{
	const struct lag *a = x, *b = y;
	int an = !a->r->has_ready, bn = !b->r->has_ready;
	if (an != bn)
		return bn - an;
	if (!an && a->days != b->days)
		return a->days > b->days ? -1 : 1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

static json_t *lagging(const struct qm_plan *p, struct qm_error *err, int *rc)
{
	struct lag *a = malloc((p->nrequirements + 1) * sizeof(*a));
	size_t n = 0;
	json_t *out = json_array();
	if (!a) {
		*rc = oom(err);
		return out;
	}
	for (size_t i = 0; i < p->nrequirements; i++) {
		const struct qm_plan_requirement *r = &p->requirements[i];
		if (r->crew_needed == 0)
			continue;
		int64_t days = r->has_ready ? r->ready - r->expected : 0;
		if (r->has_ready && days <= 0)
			continue;
		a[n++] = (struct lag){r, i, days};
	}
	qsort(a, n, sizeof(*a), worst_first);
	for (size_t i = 0; i < n && i < QM_REPORT_LAGGING; i++) {
		const struct qm_plan_requirement *r = a[i].r;
		json_array_append_new(out, json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:I, s:I, s:I}", "id",
			r->id, "need", r->item ? r->item : r->capability, "priority", r->priority,
			"expected", date_or_null(r->has_expected, r->expected), "ready",
			date_or_null(r->has_ready, r->ready), "lag_days",
			r->has_ready ? json_integer(a[i].days) : json_null(), "unmet", (json_int_t)r->unmet,
			"crew_needed", (json_int_t)r->crew_needed, "crew_short", (json_int_t)r->crew_unmet));
	}
	free(a);
	return out;
}

/* Whether any item names a crew. */
static int has_crews(struct qm_ledger *l, int *yes, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, "SELECT 1 FROM items WHERE crew_size > 0 LIMIT 1", &st, err);
	if (rc != QM_OK)
		return rc;
	int step = qm_stmt_step(st, err);
	*yes = step == QM_STEP_ROW;
	qm_stmt_finalize(st);
	return step == QM_STEP_ROW || step == QM_STEP_DONE ? QM_OK : err->code;
}

int qm_report_training_of(struct qm_ledger *l, const struct qm_training *t, json_t **out,
	struct qm_error *err)
{
	int crews = 0, rc = QM_OK;
	*out = NULL;
	if (t->ncourses == 0 && (rc = has_crews(l, &crews, err)) != QM_OK)
		return rc;
	if (t->ncourses == 0 && !crews)
		return QM_OK;
	int64_t tot[4] = {0, 0, 0, 0};
	json_t *skills = skill_rows(t->plan, tot), *cal = json_array();
	rc = calendar(l, t, cal, err);
	json_t *lag = lagging(t->plan, err, &rc);
	json_t *s = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "courses",
		(json_int_t)t->ncourses, "seats", (json_int_t)tot[0], "needed", (json_int_t)tot[1],
		"assigned", (json_int_t)tot[2], "short", (json_int_t)tot[3], "training_objective",
		(json_int_t)t->plan->training_objective, "skills", skills, "calendar", cal, "lagging", lag);
	if (rc == QM_OK && !s)
		rc = oom(err);
	if (rc != QM_OK) {
		json_decref(s);
		return rc;
	}
	*out = s;
	return QM_OK;
}

int qm_report_training(struct qm_ledger *l, const char *as_of, json_t **out, struct qm_error *err)
{
	struct qm_plan_options opt = {as_of, 0};
	struct qm_training *t;
	int rc = qm_training_run(l, &opt, &t, err);
	if (rc != QM_OK)
		return rc;
	rc = qm_report_training_of(l, t, out, err);
	qm_training_free(t);
	return rc;
}
