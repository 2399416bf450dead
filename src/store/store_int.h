/*
 * store_int.h - what the store's backends share and the core does not see:
 * the table of a backend's functions, and the first member every backend's
 * store and statement starts with, through which store.c dispatches.
 */
#ifndef QM_STORE_INT_H
#define QM_STORE_INT_H

#include "store.h"

struct qm_store_ops {
	const char *name;
	int remote; /* see qm_store_remote() */
	void (*close)(struct qm_store *s);
	int (*exec)(struct qm_store *s, const char *sql, struct qm_error *err);
	int (*schema)(struct qm_store *s, const char *ddl, struct qm_error *err);
	int (*has_table)(struct qm_store *s, const char *table, int *found, struct qm_error *err);
	int (*share)(struct qm_store *s, struct qm_error *err);
	int (*read_only)(struct qm_store *s, struct qm_error *err);
	int (*connected)(struct qm_store *s); /* NULL: always */
	int (*begin)(struct qm_store *s, struct qm_error *err);
	int (*commit)(struct qm_store *s, struct qm_error *err);
	int (*rollback)(struct qm_store *s);
	int (*prepare)(struct qm_store *s, const char *sql, struct qm_stmt **out,
		struct qm_error *err);
	void (*bind_text)(struct qm_stmt *st, int idx, const char *text, int copy);
	void (*bind_int)(struct qm_stmt *st, int idx, int64_t value);
	int (*defer)(struct qm_stmt *st);
	void (*stream)(struct qm_stmt *st);
	int (*step)(struct qm_stmt *st, struct qm_error *err);
	void (*reset)(struct qm_stmt *st);
	const char *(*text)(struct qm_stmt *st, int col);
	int64_t (*integer)(struct qm_stmt *st, int col);
	int (*is_null)(struct qm_stmt *st, int col);
	int (*columns)(struct qm_stmt *st);
	const char *(*column_name)(struct qm_stmt *st, int col);
	void (*finalize)(struct qm_stmt *st);
};

/* The first member of every backend's struct qm_store and struct qm_stmt. */
struct qm_store {
	const struct qm_store_ops *ops;
};

struct qm_stmt {
	struct qm_store *store;
};

/* Prepared statements kept by SQL text (stmt_cache.c), in a backend's store. */
#define QM_STMT_CACHE 48
#define QM_STMT_CACHE_SQL_MAX 1024 /* longer SQL is not kept */

struct qm_stmt_cache {
	char *sql[QM_STMT_CACHE]; /* NULL: a free slot */
	struct qm_stmt *stmt[QM_STMT_CACHE];
	unsigned char busy[QM_STMT_CACHE]; /* handed out and not yet finalized */
};

/* The idle statement kept for sql, now busy; else NULL, with *slot the
 * free slot to keep a new one in (-1 when there is none). */
struct qm_stmt *qm_stmt_cache_take(struct qm_stmt_cache *c, const char *sql, int *slot);
/* Keep st, just prepared for sql and handed out, in slot (from take).
 * Returns 1 + slot, or 0 when it is not kept (the caller then owns it). */
int qm_stmt_cache_keep(struct qm_stmt_cache *c, int slot, const char *sql, struct qm_stmt *st);
/* The statement kept as 1 + slot (from keep) is idle again. */
void qm_stmt_cache_give_back(struct qm_stmt_cache *c, int kept);
/* Free every kept statement with free_stmt, and the cache's text. */
void qm_stmt_cache_clear(struct qm_stmt_cache *c, void (*free_stmt)(struct qm_stmt *st));

/* What a writer says when another one kept the write lock for longer than
 * it would wait (QM_WRITE_WAIT); the seconds waited follow. */
#define QM_WRITE_BUSY "another process is changing this ledger: gave up after waiting %g s" \
	" for it to finish (QM_WRITE_WAIT sets how long)"

/* The backends' constructors; the store is the caller's (qm_store_close).
 * A write transaction waits up to wait_ms for the write lock. */
int qm_sqlite_open(const char *path, int wait_ms, struct qm_store **out, struct qm_error *err);
int qm_pg_open(const char *conninfo, int wait_ms, struct qm_store **out, struct qm_error *err);

#endif
