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
	void (*close)(struct qm_store *s);
	int (*exec)(struct qm_store *s, const char *sql, struct qm_error *err);
	int (*schema)(struct qm_store *s, const char *ddl, struct qm_error *err);
	int (*has_table)(struct qm_store *s, const char *table, int *found, struct qm_error *err);
	int (*share)(struct qm_store *s, struct qm_error *err);
	int (*read_only)(struct qm_store *s, struct qm_error *err);
	int (*begin)(struct qm_store *s, struct qm_error *err);
	int (*commit)(struct qm_store *s, struct qm_error *err);
	int (*rollback)(struct qm_store *s);
	int (*prepare)(struct qm_store *s, const char *sql, struct qm_stmt **out,
		struct qm_error *err);
	void (*bind_text)(struct qm_stmt *st, int idx, const char *text, int copy);
	void (*bind_int)(struct qm_stmt *st, int idx, int64_t value);
	int (*defer)(struct qm_stmt *st);
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

/* The backends' constructors; the store is the caller's (qm_store_close). */
int qm_sqlite_open(const char *path, struct qm_store **out, struct qm_error *err);
int qm_pg_open(const char *conninfo, struct qm_store **out, struct qm_error *err);

#endif
