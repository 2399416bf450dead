/*
 * check.h - named checks over the ledger's data: things that are allowed
 * but weaken the figures (no source, no price, late deliveries, no GDP).
 */
#ifndef QM_CHECK_H
#define QM_CHECK_H

#include "qm/error.h"
#include "qm/ledger.h"

struct qm_check_def {
	const char *name;        /* "pledge-without-source" */
	const char *description; /* one line */
};

/* The checks, terminated by an entry whose name is NULL (static). */
const struct qm_check_def *qm_checks(void);

struct qm_finding {
	const char *check; /* a name from qm_checks() */
	const char *kind;  /* record kind */
	const char *id;    /* record key */
	const char *message;
};

typedef int (*qm_finding_cb)(void *ctx, const struct qm_finding *f);

/* Run every check (as of a date when as_of is not NULL), calling cb for each
 * finding in check order then key order. */
int qm_check_run(struct qm_ledger *l, const char *as_of, qm_finding_cb cb, void *ctx,
	struct qm_error *err);

#endif
