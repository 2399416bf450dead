/*
 * table.c - the aligned text tables of table.h.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct table {
	int ncols;
	char align[32];
	char **cells;
	size_t nrows, cap;
};

struct table *table_new(int ncols, const char *align)
{
	struct table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ncols = ncols;
	snprintf(t->align, sizeof(t->align), "%s", align);
	return t;
}

void table_row(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **nc = realloc(t->cells, cap * (size_t)t->ncols * sizeof(*nc));
		if (!nc)
			return;
		t->cells = nc;
		t->cap = cap;
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = strdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

static int width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* Print at most max characters of s; '~' marks a cut. */
static int put_cut(FILE *fp, const char *s, int max)
{
	int w = width(s);
	if (w <= max) {
		fputs(s, fp);
		return w;
	}
	int n = 0;
	for (; *s && n < max - 1; n++) {
		int len = 1;
		while ((((unsigned char)s[len]) & 0xC0) == 0x80)
			len++;
		fwrite(s, 1, (size_t)len, fp);
		s += len;
	}
	putc('~', fp);
	return max;
}

void table_print(struct table *t, FILE *fp, int max_width)
{
	int w[32] = {0};
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			int cw = width(t->cells[r * (size_t)t->ncols + (size_t)c]);
			if (cw > max_width)
				cw = max_width;
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
			int cw = width(s) > max_width ? max_width : width(s);
			int pad = w[c] - cw;
			int last = c == t->ncols - 1;
			if (t->align[c] == 'r')
				fprintf(fp, "%*s", pad, "");
			put_cut(fp, s, max_width);
			if (t->align[c] != 'r' && !last)
				fprintf(fp, "%*s", pad, "");
			if (!last)
				fputs("  ", fp);
		}
		putc('\n', fp);
		if (r == 0) {
			int total = 0;
			for (int c = 0; c < t->ncols; c++)
				total += w[c] + (c ? 2 : 0);
			for (int i = 0; i < total; i++)
				putc('-', fp);
			putc('\n', fp);
		}
	}
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void table_print_or(struct table *t, FILE *fp, int max_width, const char *empty)
{
	if (t->nrows > 1)
		table_print(t, fp, max_width);
	else
		fprintf(fp, "%s\n", empty);
	table_free(t);
}
