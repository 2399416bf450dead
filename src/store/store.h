/*
 * store.h - the store interface: the one place that talks to a database.
 *
 * The core speaks SQL with `?` placeholders through prepared statements and
 * explicit transactions; each backend (sqlite.c today, postgres.c next)
 * implements these functions. Errors fill a caller-owned struct qm_error.
 * A store handle, and every statement prepared on it, belongs to the
 * caller, who finalizes statements before closing the store.
 */
#ifndef QM_STORE_H
#define QM_STORE_H

#include <stdint.h>

#include "qm/error.h"

struct qm_store;
struct qm_stmt;

enum qm_step {
	QM_STEP_ERROR = -1,      /* *err filled */
	QM_STEP_CONSTRAINT = -2, /* a UNIQUE or PRIMARY KEY constraint failed */
	QM_STEP_DONE = 0,
	QM_STEP_ROW = 1,
};

/* Open (creating when missing) the store that location names: a file path
 * or "sqlite:PATH". The caller closes it with qm_store_close(). */
int qm_store_open(const char *location, struct qm_store **out, struct qm_error *err);
void qm_store_close(struct qm_store *s);

/* "sqlite" (or later "postgresql"). */
const char *qm_store_backend(const struct qm_store *s);

/* Run one or more statements that take no parameters and return no rows. */
int qm_store_exec(struct qm_store *s, const char *sql, struct qm_error *err);

int qm_store_begin(struct qm_store *s, struct qm_error *err);
int qm_store_commit(struct qm_store *s, struct qm_error *err);
int qm_store_rollback(struct qm_store *s);

/* Prepare sql; the statement is owned by the caller (qm_stmt_finalize). */
int qm_store_prepare(struct qm_store *s, const char *sql, struct qm_stmt **out,
	struct qm_error *err);

/* Parameters are 1-based. Text is copied. A NULL text binds SQL NULL. */
void qm_stmt_bind_text(struct qm_stmt *st, int idx, const char *text);
/* Bind text without copying it: it must stay valid and unchanged until the
 * statement has been stepped and reset (for bulk writes). */
void qm_stmt_bind_text_static(struct qm_stmt *st, int idx, const char *text);
void qm_stmt_bind_int(struct qm_stmt *st, int idx, int64_t value);
void qm_stmt_bind_null(struct qm_stmt *st, int idx);

/* Run or advance the statement; see enum qm_step. */
int qm_stmt_step(struct qm_stmt *st, struct qm_error *err);
/* Make the statement ready to run again, keeping nothing bound. */
void qm_stmt_reset(struct qm_stmt *st);

/* Columns of the current row, 0-based. Text is owned by the statement and
 * valid until the next step or reset; NULL for SQL NULL. */
const char *qm_stmt_text(struct qm_stmt *st, int col);
int64_t qm_stmt_int(struct qm_stmt *st, int col);
int qm_stmt_is_null(struct qm_stmt *st, int col);
int qm_stmt_columns(struct qm_stmt *st);

void qm_stmt_finalize(struct qm_stmt *st);

#endif
