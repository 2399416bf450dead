/*
 * store.h - the store interface: the one place that talks to a database.
 *
 * The core speaks SQL with `?` (or `?N`) placeholders through prepared
 * statements and explicit transactions; store.c hands each call to the
 * backend the location names: sqlite.c (a file) or postgres.c (libpq).
 * The SQL is the part both engines accept alike; what differs (the types
 * and collation of the schema, how a table is found, the write lock) is
 * behind the functions below. Errors fill a caller-owned struct qm_error.
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

/* Open the store that location names: a PostgreSQL URI
 * (postgresql://USER@HOST:PORT/DB or postgres://...), a libpq key=value
 * connection string ("host=... dbname=...", "service=NAME") or
 * "postgresql:CONNINFO"; else an SQLite file path (created when missing)
 * or "sqlite:PATH". The caller closes it with qm_store_close(). */
int qm_store_open(const char *location, struct qm_store **out, struct qm_error *err);
void qm_store_close(struct qm_store *s);
/* 1 when location names a PostgreSQL database (see qm_store_open). */
int qm_store_is_postgres(const char *location);

/* "sqlite" or "postgresql"; static. */
const char *qm_store_backend(const struct qm_store *s);
/* 1 when every query is a round trip to a database server (PostgreSQL),
 * so that one query for many rows beats a query per row; 0 for SQLite,
 * whose queries are calls into the same process. */
int qm_store_remote(const struct qm_store *s);

/* Run one or more statements that take no parameters and return no rows. */
int qm_store_exec(struct qm_store *s, const char *sql, struct qm_error *err);
/* Run schema statements (CREATE TABLE/INDEX) written in SQLite's words: a
 * backend may adapt them (PostgreSQL: INTEGER is BIGINT, TEXT sorts by
 * bytes with COLLATE "C", as in SQLite). */
int qm_store_schema(struct qm_store *s, const char *ddl, struct qm_error *err);
/* *found = 1 when the store has a table of that name. */
int qm_store_has_table(struct qm_store *s, const char *table, int *found, struct qm_error *err);
/* Set the store up for many processes at once (SQLite: WAL journal mode). */
int qm_store_share(struct qm_store *s, struct qm_error *err);
/* Refuse every write from now on (SQLite: query_only; PostgreSQL: read-only
 * transactions, as on a streaming replica). */
int qm_store_read_only(struct qm_store *s, struct qm_error *err);

/* 0 when the store's connection to its database is known to be lost (the
 * server ended the session: it restarted, failed over or was told to), so
 * that a long-lived caller such as qm serve opens the store anew; else 1.
 * Never blocks, and never 0 for SQLite. */
int qm_store_connected(struct qm_store *s);

/* Begin a write transaction holding the store's one write lock, so that
 * writers from any number of processes go one at a time and each reads
 * what the one before committed (SQLite: BEGIN IMMEDIATE; PostgreSQL: READ
 * COMMITTED and a transaction-level advisory lock). */
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

/* Ask that the rows of st, an INSERT ... VALUES inside a transaction, be
 * written in bulk: a step may only queue the row, which is written before
 * any other statement of the store runs and before commit; a failure then
 * comes from that later call, and QM_STEP_CONSTRAINT is never returned for
 * a queued row. Returns 1 when rows are queued (PostgreSQL, with COPY), 0
 * when every step writes at once (SQLite). Text bound to a queued row may
 * change once the step has returned. */
int qm_stmt_defer(struct qm_stmt *st);

/* Say that st, a SELECT, may return more rows than should be held in
 * memory at once: PostgreSQL then reads them through a cursor, a page at a
 * time (inside a read-only REPEATABLE READ transaction of its own, which
 * ends when the store's last such statement is reset or finalized, when no
 * transaction is open). Until then, another write transaction cannot
 * begin. SQLite reads every statement a row at a time anyway. */
void qm_stmt_stream(struct qm_stmt *st);

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
/* The name of column col of a statement that returns rows; owned by the
 * statement. */
const char *qm_stmt_column_name(struct qm_stmt *st, int col);

void qm_stmt_finalize(struct qm_stmt *st);

#endif
