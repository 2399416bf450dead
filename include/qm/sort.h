/*
 * sort.h - a stable sort with a context argument, which C11's qsort lacks:
 * for orders that depend on data (a field to sort by, the rows of a
 * result) without global state, so that threads may sort at once.
 */
#ifndef QM_SORT_H
#define QM_SORT_H

#include <stddef.h>

typedef int (*qm_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sort n elements of size bytes at base by cmp, keeping equal elements in
 * their order (merge sort). Returns 0, -1 when out of memory (base is then
 * unchanged). */
int qm_sort(void *base, size_t n, size_t size, qm_cmp_fn cmp, void *ctx);

#endif
