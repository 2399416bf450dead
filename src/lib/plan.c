/*
 * plan.c - the plan's public functions: plan the ledger's picture, or the
 * picture with what-if changes applied in memory, and free a plan.
 */
#include <stdlib.h>

#include "plan_int.h"

void qm_plan_free(struct qm_plan *p)
{
	if (!p)
		return;
	if (p->priv && p->priv->picture) {
		plan_picture_release(p->priv->picture);
		free(p->priv->picture);
	}
	free(p->priv);
	free(p->requirements);
	free(p->assignments);
	free(p->seats);
	free(p->skills);
	free(p);
}

/* Solve pic into a plan that owns pic when own is set. */
static int solve(struct plan_picture *pic, int own, int committed_only, struct qm_plan **out,
	struct qm_error *err)
{
	struct qm_plan *plan;
	int rc = plan_solve(pic, committed_only, &plan, err);
	if (rc != QM_OK)
		return rc;
	plan->priv = calloc(1, sizeof(*plan->priv));
	if (!plan->priv) {
		qm_plan_free(plan);
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	}
	plan->priv->picture = own ? pic : NULL;
	*out = plan;
	return QM_OK;
}

int qm_plan_run(struct qm_ledger *l, const struct qm_plan_options *opt, struct qm_plan **out,
	struct qm_error *err)
{
	struct plan_picture *pic = malloc(sizeof(*pic));
	if (!pic)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	int rc = plan_load(l, opt, 0, pic, err);
	if (rc == QM_OK)
		rc = solve(pic, 1, opt && opt->committed_only, out, err);
	if (rc != QM_OK) {
		plan_picture_release(pic);
		free(pic);
	}
	return rc;
}

int qm_plan_what_if(struct qm_ledger *l, const struct qm_plan_options *opt,
	const char *const *paths, int npaths, struct qm_plan **before, struct qm_plan **after,
	struct qm_diag *diag)
{
	struct qm_error err;
	struct plan_picture *pic = malloc(sizeof(*pic));
	int committed_only = opt && opt->committed_only;
	int rc;

	qm_error_clear(&err);
	*before = *after = NULL;
	if (!pic) {
		qm_error_set(&err, QM_EINTERNAL, "out of memory");
		qm_diag_add(diag, &err);
		return QM_EINTERNAL;
	}
	rc = plan_load(l, opt, 1, pic, &err);
	/* the plan before shares the picture's strings, so it is solved and
	 * kept before the picture changes only through additions and edits
	 * that leave existing strings in place */
	if (rc == QM_OK)
		rc = solve(pic, 0, committed_only, before, &err);
	if (rc == QM_OK) {
		rc = plan_apply_files(pic, paths, npaths, diag);
		if (rc == QM_OK)
			rc = solve(pic, 1, committed_only, after, &err);
		else
			err.code = 0;
	}
	if (rc != QM_OK) {
		if (err.code)
			qm_diag_add(diag, &err);
		qm_plan_free(*before);
		*before = NULL;
		if (!*after) {
			plan_picture_release(pic);
			free(pic);
		}
		return rc;
	}
	return QM_OK;
}
