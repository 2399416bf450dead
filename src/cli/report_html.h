/*
 * report_html.h - writing the burden-sharing report as one self-contained
 * HTML file (report_html.c).
 */
#ifndef QM_REPORT_HTML_H
#define QM_REPORT_HTML_H

#include <stdio.h>

#include "qm/burden.h"
#include "qm/ledger.h"

/* Write the report for b to o; l is read for the data findings and the
 * training section (planned on the whole ledger). Returns 0, -1 when writing
 * failed, memory ran out or the plan could not be made. */
int report_html_write(FILE *o, struct qm_ledger *l, const struct qm_burden *b);

#endif
