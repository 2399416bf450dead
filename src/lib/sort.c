/*
 * sort.c - a stable merge sort with a context argument (sort.h).
 */
#include <stdlib.h>
#include <string.h>

#include "qm/sort.h"

static void merge_sort(char *a, char *tmp, size_t n, size_t size, qm_cmp_fn cmp, void *ctx)
{
	if (n < 2)
		return;
	size_t half = n / 2;
	merge_sort(a, tmp, half, size, cmp, ctx);
	merge_sort(a + half * size, tmp, n - half, size, cmp, ctx);
	if (cmp(a + (half - 1) * size, a + half * size, ctx) <= 0)
		return; /* already in order */
	size_t i = 0, j = half, k = 0;
	while (i < half && j < n) {
		/* take from the left on ties: that keeps the sort stable */
		if (cmp(a + j * size, a + i * size, ctx) < 0)
			memcpy(tmp + k++ * size, a + j++ * size, size);
		else
			memcpy(tmp + k++ * size, a + i++ * size, size);
	}
	memcpy(tmp + k * size, a + i * size, (half - i) * size);
	k += half - i;
	memcpy(tmp + k * size, a + j * size, (n - j) * size);
	memcpy(a, tmp, n * size);
}

int qm_sort(void *base, size_t n, size_t size, qm_cmp_fn cmp, void *ctx)
{
	if (n < 2)
		return 0;
	char *tmp = malloc(n * size);
	if (!tmp)
		return -1;
	merge_sort(base, tmp, n, size, cmp, ctx);
	free(tmp);
	return 0;
}
