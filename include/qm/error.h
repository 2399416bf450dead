/*
 * error.h - how the library core reports failure.
 *
 * The core never prints and never exits. A function that can fail returns a
 * status code (QM_OK or one of the sysexits-style codes below) and, when the
 * caller passes one, fills a caller-owned struct qm_error with where the
 * problem is (source, line, column or JSON path, field) and what it is.
 * Validation that can find many problems at once (an import) collects them in
 * a caller-owned struct qm_diag, keeping the first QM_DIAG_MAX.
 */
#ifndef QM_ERROR_H
#define QM_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* Status codes double as the CLI's exit statuses (sysexits.h). */
enum qm_status {
	QM_OK = 0,
	QM_EUSAGE = 64,    /* the call itself is wrong */
	QM_EDATA = 65,     /* input data is invalid; nothing was written */
	QM_ENOINPUT = 66,  /* an input file or record does not exist */
	QM_EINTERNAL = 70, /* a bug or an unexpected library failure */
	QM_EIO = 74,       /* reading or writing failed */
	QM_EPERM = 77,     /* not signed in, or not allowed */
};

#define QM_DIAG_MAX 50

struct qm_error {
	int code;           /* enum qm_status; QM_OK when empty */
	char source[256];   /* file name, "-" or a kind name; "" when none */
	long line;          /* 1-based; 0 when not known */
	long column;        /* 1-based character column; 0 when not known */
	char path[128];     /* JSON path such as "$[3].quantity"; "" for CSV */
	char field[64];     /* field name, "" when the error is not about one */
	char message[512];  /* what was expected and what was found */
	int warning;        /* 1 when this is a warning, not an error */
};

/* Clear *err so that it says nothing. */
void qm_error_clear(struct qm_error *err);

/*
 * Fill *err (if not NULL) with code and a printf-style message, leaving the
 * location empty, and return code, so that callers can write
 * `return qm_error_set(err, QM_EIO, "cannot open '%s'", path);`.
 */
int qm_error_set(struct qm_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int qm_error_setv(struct qm_error *err, int code, const char *fmt, va_list ap);

/*
 * Format err as "SOURCE:LINE:COLUMN: error: FIELD: MESSAGE" (parts that are
 * empty are left out) into buf of size n; returns buf.
 */
char *qm_error_format(const struct qm_error *err, char *buf, size_t n);

/* A bounded list of problems found by one validation run. */
struct qm_diag {
	struct qm_error items[QM_DIAG_MAX];
	int count;       /* errors and warnings kept in items */
	long errors;     /* all errors found, kept or not */
	long warnings;   /* all warnings found, kept or not */
};

void qm_diag_init(struct qm_diag *d);

/* Append a copy of *e (counted even when the list is full). */
void qm_diag_add(struct qm_diag *d, const struct qm_error *e);

/* Put the kept problems in file order: by source (in order of first
 * appearance), then line, then column; stable otherwise. */
void qm_diag_sort(struct qm_diag *d);

/* True when no more errors are worth collecting. */
int qm_diag_full(const struct qm_diag *d);

#endif
