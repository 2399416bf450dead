/*
 * error.c - filling and formatting struct qm_error and struct qm_diag; see
 * include/qm/error.h for the rules.
 */
#include <stdio.h>
#include <string.h>

#include "qm/error.h"

void qm_error_clear(struct qm_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int qm_error_setv(struct qm_error *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	qm_error_clear(err);
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return code;
}

int qm_error_set(struct qm_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qm_error_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

char *qm_error_format(const struct qm_error *err, char *buf, size_t n)
{
	size_t used = 0;
	int k;

#define PUT(...)                                                       \
	do {                                                           \
		k = snprintf(buf + used, used < n ? n - used : 0, __VA_ARGS__); \
		if (k > 0)                                             \
			used += (size_t)k;                             \
	} while (0)

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (err->source[0]) {
		PUT("%s:", err->source);
		if (err->path[0])
			PUT("%s:", err->path);
		else if (err->line > 0) {
			PUT("%ld:", err->line);
			if (err->column > 0)
				PUT("%ld:", err->column);
		}
		PUT(" ");
	}
	PUT("%s: ", err->warning ? "warning" : "error");
	if (err->field[0])
		PUT("%s: ", err->field);
	PUT("%s", err->message);
#undef PUT
	return buf;
}

void qm_diag_init(struct qm_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void qm_diag_add(struct qm_diag *d, const struct qm_error *e)
{
	if (e->warning)
		d->warnings++;
	else
		d->errors++;
	if (d->count < QM_DIAG_MAX)
		d->items[d->count++] = *e;
}

/* Rank of an item's source among the sources in the list, by first appearance. */
static int source_rank(const struct qm_diag *d, const struct qm_error *e)
{
	for (int i = 0; i < d->count; i++)
		if (strcmp(d->items[i].source, e->source) == 0)
			return i;
	return d->count;
}

void qm_diag_sort(struct qm_diag *d)
{
	int rank[QM_DIAG_MAX];
	for (int i = 0; i < d->count; i++)
		rank[i] = source_rank(d, &d->items[i]);
	/* insertion sort: short and stable */
	for (int i = 1; i < d->count; i++) {
		struct qm_error e = d->items[i];
		int r = rank[i], j = i - 1;
		while (j >= 0 && (rank[j] > r || (rank[j] == r && (d->items[j].line > e.line
			|| (d->items[j].line == e.line && d->items[j].column > e.column))))) {
			d->items[j + 1] = d->items[j];
			rank[j + 1] = rank[j];
			j--;
		}
		d->items[j + 1] = e;
		rank[j + 1] = r;
	}
}

int qm_diag_full(const struct qm_diag *d)
{
	return d->errors >= QM_DIAG_MAX;
}
