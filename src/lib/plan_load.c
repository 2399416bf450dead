/*
 * plan_load.c - the picture the plan works on, read from the ledger: items
 * with their capabilities and crews, pledges of an item that are not
 * cancelled with their deliveries, courses that are not cancelled, and
 * requirements. Records dated after the as-of date are
 * left out. Also the small helpers that build and free a picture.
 */
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"

long plan_push(void **array, size_t *n, size_t *cap, size_t size, const void *value)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		void *a = realloc(*array, c * size);
		if (!a)
			return -1;
		*array = a;
		*cap = c;
	}
	memcpy((char *)*array + *n * size, value, size);
	return (long)(*n)++;
}

void plan_picture_init(struct plan_picture *pic)
{
	memset(pic, 0, sizeof(*pic));
	strmap_init(&pic->item_index);
	strmap_init(&pic->cap_index);
}

void plan_picture_release(struct plan_picture *pic)
{
	for (size_t i = 0; i < pic->nitems; i++)
		free(pic->items[i].code);
	for (size_t i = 0; i < pic->ncaps; i++)
		free(pic->caps[i]);
	for (size_t i = 0; i < pic->npledges; i++)
		free(pic->pledges[i].id);
	for (size_t i = 0; i < pic->nreqs; i++)
		free(pic->reqs[i].id);
	free(pic->items);
	free(pic->caps);
	free(pic->pledges);
	free(pic->deliveries);
	free(pic->reqs);
	strmap_release(&pic->item_index, NULL);
	strmap_release(&pic->cap_index, NULL);
	memset(pic, 0, sizeof(*pic));
}

int plan_capability(struct plan_picture *pic, const char *code)
{
	int created;
	struct strmap_entry *e = strmap_put(&pic->cap_index, code, &created);
	if (!e)
		return -1;
	if (created) {
		char *copy = strdup(code);
		if (!copy || PLAN_PUSH(pic, caps, copy) < 0) {
			free(copy);
			return -1;
		}
		e->num = (int64_t)pic->ncaps;
	}
	return (int)e->num - 1;
}

int plan_item(const struct plan_picture *pic, const char *code)
{
	struct strmap_entry *e = strmap_get(&pic->item_index, code);
	return e ? (int)e->num - 1 : -1;
}

static int status_of(const char *s)
{
	return strcmp(s, "committed") == 0 ? PLAN_COMMITTED
		: strcmp(s, "cancelled") == 0 ? PLAN_CANCELLED : PLAN_ANNOUNCED;
}

static int oom(struct qm_error *err)
{
	return qm_error_set(err, QM_EINTERNAL, "out of memory");
}

int plan_load(struct qm_ledger *l, const struct qm_plan_options *opt, int every_pledge,
	struct plan_picture *pic, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc, step;
	const char *as_of = opt && opt->as_of ? opt->as_of : "9999-12-31";

	plan_picture_init(pic);
	if (opt && opt->as_of && qm_date_parse(opt->as_of, &pic->as_of) == 0)
		pic->has_as_of = 1;

	/* items */
	if ((rc = qm_store_prepare(l->store, "SELECT code, capability, crew_skill, crew_size FROM items"
		     " ORDER BY code", &st, err)) != QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct plan_item it = {strdup(qm_stmt_text(st, 0)), plan_capability(pic, qm_stmt_text(st, 1)),
			0, 0};
		if (!qm_stmt_is_null(st, 2)) {
			it.crew_cap = plan_capability(pic, qm_stmt_text(st, 2));
			it.crew_size = qm_stmt_int(st, 3);
		}
		struct strmap_entry *e = it.code ? strmap_put(&pic->item_index, it.code, NULL) : NULL;
		if (!e || it.cap < 0 || it.crew_cap < 0 || PLAN_PUSH(pic, items, it) < 0) {
			free(it.code);
			qm_stmt_finalize(st);
			return oom(err);
		}
		e->num = (int64_t)pic->nitems;
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;

	/* requirements */
	rc = qm_store_prepare(l->store, "SELECT id, capability, item, quantity, priority, needed_by"
		" FROM requirements ORDER BY id", &st, err);
	if (rc != QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct plan_req r = {0};
		r.id = strdup(qm_stmt_text(st, 0));
		r.item = qm_stmt_is_null(st, 2) ? -1 : plan_item(pic, qm_stmt_text(st, 2));
		r.cap = r.item >= 0 ? pic->items[r.item].cap : plan_capability(pic, qm_stmt_text(st, 1));
		r.quantity = qm_stmt_int(st, 3);
		r.priority = (int)qm_stmt_int(st, 4);
		qm_date_parse(qm_stmt_text(st, 5), &r.needed);
		if (!r.id || r.cap < 0 || PLAN_PUSH(pic, reqs, r) < 0) {
			free(r.id);
			qm_stmt_finalize(st);
			return oom(err);
		}
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;
	/* courses, cancelled ones too (they make their skill a skill; the
	 * solver leaves their seats out): seats of a skill, available on the
	 * course's last day (a course has no announcement date, so the as-of
	 * date keeps them all); also without requirements, for qm training */
	rc = qm_store_prepare(l->store, "SELECT id, skill, seats, status, \"end\" FROM courses ORDER BY id", &st, err);
	if (rc != QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct plan_pledge c = {0};
		c.id = strdup(qm_stmt_text(st, 0));
		c.item = -1;
		c.course = 1;
		c.skill = plan_capability(pic, qm_stmt_text(st, 1));
		c.quantity = qm_stmt_int(st, 2);
		c.status = status_of(qm_stmt_text(st, 3));
		qm_date_parse(qm_stmt_text(st, 4), &c.available);
		if (!c.id || c.skill < 0 || PLAN_PUSH(pic, pledges, c) < 0) {
			free(c.id);
			qm_stmt_finalize(st);
			return oom(err);
		}
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;

	if (pic->nreqs == 0 && !every_pledge)
		return QM_OK; /* nothing to plan for: no need to read the pledges */

	/* pledges of an item (after the courses), then their deliveries up to
	 * the as-of date: both in pledge id order (each through its index) and
	 * merged here, which is cheaper than a join that looks every pledge up */
	size_t first_pledge = pic->npledges;
	rc = qm_store_prepare(l->store,
		"SELECT id, item, quantity, status, available FROM pledges"
		" WHERE item IS NOT NULL AND status <> 'cancelled' AND date <= ?1 ORDER BY id", &st, err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	qm_stmt_bind_text(st, 1, as_of);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct plan_pledge p = {0};
		p.id = strdup(qm_stmt_text(st, 0));
		p.item = plan_item(pic, qm_stmt_text(st, 1));
		p.quantity = qm_stmt_int(st, 2);
		p.status = status_of(qm_stmt_text(st, 3));
		qm_date_parse(qm_stmt_text(st, 4), &p.available);
		if (!p.id || PLAN_PUSH(pic, pledges, p) < 0) {
			free(p.id);
			qm_stmt_finalize(st);
			return oom(err);
		}
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;
	rc = qm_store_prepare(l->store, "SELECT pledge, date, quantity FROM deliveries"
		" WHERE date <= ?1 ORDER BY pledge, date, id", &st, err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	qm_stmt_bind_text(st, 1, as_of);
	size_t at = first_pledge;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		const char *pledge = qm_stmt_text(st, 0);
		int c = -1;
		while (at < pic->npledges && (c = strcmp(pic->pledges[at].id, pledge)) < 0)
			at++;
		if (at == pic->npledges || c != 0)
			continue; /* a delivery of a pledge that is not planned (cancelled, later) */
		struct plan_pledge *p = &pic->pledges[at];
		struct plan_delivery d;
		qm_date_parse(qm_stmt_text(st, 1), &d.date);
		d.quantity = qm_stmt_int(st, 2);
		if (p->ndeliveries == 0)
			p->first_delivery = pic->ndeliveries;
		if (PLAN_PUSH(pic, deliveries, d) < 0) {
			qm_stmt_finalize(st);
			return oom(err);
		}
		p->ndeliveries++;
	}
	qm_stmt_finalize(st);
	if (step != QM_STEP_DONE)
		return err->code;

	return QM_OK;
}
