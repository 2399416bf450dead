/*
 * training.c - the training picture behind `qm training`: the courses as
 * the ledger has them, with the trainees that the plan's second stage gives
 * each, added up per provider; the per-skill figures come from the plan.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "qm/training.h"
#include "strmap.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void course_release(struct qm_training_course *c)
{
	free(c->id);
	free(c->provider);
	free(c->skill);
	free(c->location);
	free(c->status);
}

void qm_training_free(struct qm_training *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncourses; i++)
		course_release(&t->courses[i]);
	for (size_t i = 0; i < t->nproviders; i++)
		free(t->providers[i].code);
	free(t->courses);
	free(t->providers);
	qm_plan_free(t->plan);
	free(t);
}

int64_t qm_training_fill_permille(int64_t assigned, int64_t seats)
{
	return seats > 0 ? (assigned * 1000 + seats / 2) / seats : 0;
}

static int oom(struct qm_error *err)
{
	return qm_error_set(err, QM_EINTERNAL, "out of memory");
}

/* Every course, by start and id. */
static int load_courses(struct qm_ledger *l, struct qm_training *t, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, "SELECT id, provider, skill, seats, start, \"end\","
		" location, status FROM courses ORDER BY start, id", &st, err);
	if (rc != QM_OK)
		return rc;
	size_t cap = 0;
	int step;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct qm_training_course c = {0};
		c.id = strdup(qm_stmt_text(st, 0));
		c.provider = strdup(qm_stmt_text(st, 1));
		c.skill = strdup(qm_stmt_text(st, 2));
		c.seats = qm_stmt_int(st, 3);
		qm_date_parse(qm_stmt_text(st, 4), &c.start);
		qm_date_parse(qm_stmt_text(st, 5), &c.end);
		c.location = dup_or_null(qm_stmt_text(st, 6));
		c.status = strdup(qm_stmt_text(st, 7));
		c.upcoming = strcmp(qm_stmt_text(st, 7), "cancelled") != 0 && c.start >= t->today
			&& c.start - t->today <= QM_TRAINING_UPCOMING_DAYS;
		int ok = c.id && c.provider && c.skill && c.status && (c.location || !qm_stmt_text(st, 6));
		if (ok && cap == t->ncourses) {
			void *a = realloc(t->courses, (cap ? cap * 2 : 16) * sizeof(c));
			if (a) {
				t->courses = a;
				cap = cap ? cap * 2 : 16;
			}
		}
		if (!ok || cap == t->ncourses) {
			course_release(&c);
			qm_stmt_finalize(st);
			return oom(err);
		}
		t->courses[t->ncourses++] = c;
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
}

static int cmp_provider(const void *a, const void *b)
{
	return strcmp(((const struct qm_training_provider *)a)->code,
		((const struct qm_training_provider *)b)->code);
}

/* Trainees per course from the plan's seats; seats and use per provider,
 * of the courses the plan counts (not cancelled; with committed_only,
 * committed). */
static int tally(struct qm_training *t, int committed_only, struct qm_error *err)
{
	struct strmap by_id, by_provider;
	int rc = QM_OK;
	strmap_init(&by_id);
	strmap_init(&by_provider);
	t->providers = calloc(t->ncourses + 1, sizeof(*t->providers));
	if (!t->providers)
		rc = oom(err);
	for (size_t i = 0; i < t->ncourses && rc == QM_OK; i++) {
		struct strmap_entry *e = strmap_put(&by_id, t->courses[i].id, NULL);
		if (!e)
			rc = oom(err);
		else
			e->num = (int64_t)i;
	}
	for (size_t i = 0; i < t->plan->nseats && rc == QM_OK; i++) {
		struct strmap_entry *e = strmap_get(&by_id, t->plan->seats[i].course);
		if (e)
			t->courses[e->num].assigned += t->plan->seats[i].trainees;
	}
	for (size_t i = 0; i < t->ncourses && rc == QM_OK; i++) {
		const struct qm_training_course *c = &t->courses[i];
		int created;
		struct strmap_entry *e = strmap_put(&by_provider, c->provider, &created);
		if (!e) {
			rc = oom(err);
			break;
		}
		if (created) {
			e->num = (int64_t)t->nproviders;
			if (!(t->providers[t->nproviders++].code = strdup(c->provider))) {
				rc = oom(err);
				break;
			}
		}
		if (strcmp(c->status, "cancelled") == 0
			|| (committed_only && strcmp(c->status, "committed") != 0))
			continue;
		struct qm_training_provider *p = &t->providers[e->num];
		p->courses++;
		p->seats += c->seats;
		p->used += c->assigned;
	}
	strmap_release(&by_id, NULL);
	strmap_release(&by_provider, NULL);
	if (rc == QM_OK)
		qsort(t->providers, t->nproviders, sizeof(*t->providers), cmp_provider);
	return rc;
}

int qm_training_run(struct qm_ledger *l, const struct qm_plan_options *opt,
	struct qm_training **out, struct qm_error *err)
{
	struct qm_training *t = calloc(1, sizeof(*t));
	if (!t)
		return oom(err);
	t->today = qm_date_today();
	int rc = qm_plan_run(l, opt, &t->plan, err);
	if (rc == QM_OK)
		rc = load_courses(l, t, err);
	if (rc == QM_OK)
		rc = tally(t, opt && opt->committed_only, err);
	if (rc != QM_OK) {
		qm_training_free(t);
		return rc;
	}
	*out = t;
	return QM_OK;
}

json_t *qm_plan_skill_json(const struct qm_plan_skill *k)
{
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "skill", k->skill, "seats", (json_int_t)k->seats,
		"needed", (json_int_t)k->needed, "crew_needed", (json_int_t)k->crew_needed, "assigned",
		(json_int_t)k->assigned, "short", (json_int_t)k->unmet);
}

/* tenths of a percent as a JSON number with one decimal */
static json_t *percent(int64_t permille)
{
	return json_real((double)permille / 10.0);
}

json_t *qm_training_to_json(const struct qm_training *t)
{
	char d1[11], d2[11];
	json_t *courses = json_array(), *providers = json_array(), *skills = json_array(),
	       *upcoming = json_array();
	for (size_t i = 0; i < t->ncourses; i++) {
		const struct qm_training_course *c = &t->courses[i];
		json_array_append_new(courses, json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s?,s:s,s:I,s:o,s:b}",
			"id", c->id, "provider", c->provider, "skill", c->skill, "seats", (json_int_t)c->seats,
			"start", qm_date_format(c->start, d1), "end", qm_date_format(c->end, d2), "location",
			c->location, "status", c->status, "assigned", (json_int_t)c->assigned, "fill_percent",
			percent(qm_training_fill_permille(c->assigned, c->seats)), "upcoming", c->upcoming));
		if (c->upcoming)
			json_array_append_new(upcoming, json_string(c->id));
	}
	for (size_t i = 0; i < t->nproviders; i++) {
		const struct qm_training_provider *p = &t->providers[i];
		json_array_append_new(providers, json_pack("{s:s,s:I,s:I,s:I,s:o}", "provider", p->code,
			"courses", (json_int_t)p->courses, "seats", (json_int_t)p->seats, "used",
			(json_int_t)p->used, "fill_percent", percent(qm_training_fill_permille(p->used, p->seats))));
	}
	for (size_t i = 0; i < t->plan->nskills; i++)
		json_array_append_new(skills, qm_plan_skill_json(&t->plan->skills[i]));
	return json_pack("{s:s,s:i,s:o,s:o,s:o,s:o}", "today", qm_date_format(t->today, d1),
		"upcoming_days", QM_TRAINING_UPCOMING_DAYS, "courses", courses, "providers", providers,
		"skills", skills, "upcoming", upcoming);
}
