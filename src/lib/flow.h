/*
 * flow.h - a minimum-cost flow problem behind a C interface, private to the
 * core. The solver is LEMON's NetworkSimplex (C++, Boost licence), wrapped
 * in flow.cpp; nothing else in the project speaks C++.
 *
 * A problem is built node by node and arc by arc, solved once, and its arc
 * flows read back. Supplies are positive at sources and negative at sinks
 * and must sum to zero. Every handle belongs to the caller (qm_flow_free).
 */
#ifndef QM_FLOW_H
#define QM_FLOW_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qm_flow;

/* A new empty problem, or NULL when out of memory. */
struct qm_flow *qm_flow_new(void);
void qm_flow_free(struct qm_flow *f);

/* Add a node with the given supply; returns its index, or -1 when out of memory. */
int qm_flow_node(struct qm_flow *f, int64_t supply);
/* Add an arc from -> to with capacity cap (>= 0) and cost per unit; returns
 * its index, or -1 when out of memory. */
int qm_flow_arc(struct qm_flow *f, int from, int to, int64_t cap, int64_t cost);

enum qm_flow_result { QM_FLOW_OPTIMAL = 0, QM_FLOW_INFEASIBLE = 1, QM_FLOW_ERROR = -1 };

/* Solve; on QM_FLOW_OPTIMAL, *cost is the total cost and arc flows are known. */
int qm_flow_solve(struct qm_flow *f, int64_t *cost);
/* Flow on arc a after an optimal solve. */
int64_t qm_flow_of(const struct qm_flow *f, int a);

#ifdef __cplusplus
}
#endif

#endif
