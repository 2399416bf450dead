/*
 * burden_int.h - what the parts of burden sharing share inside the core:
 * burden.c sets up the framework, the rows and the periods, and
 * burden_count.c fills in what each ally counted.
 */
#ifndef QM_BURDEN_INT_H
#define QM_BURDEN_INT_H

#include "qm/burden.h"

/* 1 when code is one of the words of the space-separated list. */
int qm_burden_in_list(const char *list, const char *code);

/* Fill b's counted values, per row and period, and its lines from the
 * pledges and deliveries in the ledger. */
int qm_burden_count(struct qm_ledger *l, struct qm_burden *b, struct qm_error *err);

#endif
