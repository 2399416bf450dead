/*
 * table.h - aligned plain-text tables for the terminal: cells are copied in,
 * widths measured in characters (UTF-8 aware), numbers right-aligned.
 */
#ifndef QM_TABLE_H
#define QM_TABLE_H

#include <stdio.h>

struct table;

/* A table with ncols columns; right is a string of 'l'/'r' per column. */
struct table *table_new(int ncols, const char *align);
/* Append one row of ncols cells (NULL prints as empty); cells are copied. */
void table_row(struct table *t, const char *const *cells);
/* Print with two spaces between columns and a rule under the first row;
 * cells wider than max_width characters are cut with '~'. */
void table_print(struct table *t, FILE *fp, int max_width);
void table_free(struct table *t);
/* Print t as table_print does when it has rows under its first (the
 * header), else the line empty; then free t. */
void table_print_or(struct table *t, FILE *fp, int max_width, const char *empty);

#endif
