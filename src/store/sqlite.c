/*
 * sqlite.c - the SQLite backend of store.h: one database file, opened with
 * a large page cache for bulk imports. References between records are
 * checked by the importer (with positions for messages), not by SQLite.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_int.h"

struct sq_store {
	struct qm_store base;
	sqlite3 *db;
	int wait_ms;                /* for the write lock (the busy timeout) */
	struct qm_stmt_cache cache; /* statements kept by their SQL */
};

struct sq_stmt {
	struct qm_stmt base;
	struct sq_store *store;
	sqlite3_stmt *st;
	int slot; /* 1 + its slot in the cache, 0 when not cached */
};

#define S(s) ((struct sq_store *)(s))
#define ST(st) ((struct sq_stmt *)(st))

static const struct qm_store_ops sqlite_ops;

static int db_error(struct sq_store *s, struct qm_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int status = code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? QM_EDATA
		: code == SQLITE_CANTOPEN || code == SQLITE_IOERR || code == SQLITE_FULL
			|| code == SQLITE_READONLY || code == SQLITE_BUSY ? QM_EIO : QM_EINTERNAL;
	return qm_error_set(err, status, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int sq_exec(struct qm_store *qs, const char *sql, struct qm_error *err)
{
	struct sq_store *s = S(qs);
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "database");
	return QM_OK;
}

int qm_sqlite_open(const char *location, int wait_ms, struct qm_store **out, struct qm_error *err)
{
	struct sq_store *s = calloc(1, sizeof(*s));
	if (!s)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(location, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
		!= SQLITE_OK) {
		int rc = qm_error_set(err, QM_EIO, "cannot open database '%s': %s", location,
			s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, wait_ms);
	s->wait_ms = wait_ms;
	/* 16 KiB pages (for a new file only): bulk imports write a quarter fewer
	 * pages than with the default 4 KiB; temporary sorts (audit) go to disk */
	int rc = sq_exec(&s->base,
		"PRAGMA page_size=16384; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536;", err);
	if (rc == QM_OK)
		rc = sq_exec(&s->base, "SELECT count(*) FROM sqlite_master;", err);
	if (rc != QM_OK) {
		qm_error_set(err, rc == QM_EDATA ? QM_EDATA : QM_EIO,
			"cannot use '%s' as a database: %s", location, sqlite3_errmsg(s->db));
		sqlite3_close(s->db);
		free(s);
		return err ? err->code : QM_EIO;
	}
	*out = &s->base;
	return QM_OK;
}

static void stmt_free(struct qm_stmt *qst)
{
	sqlite3_finalize(ST(qst)->st);
	free(qst);
}

static void sq_close(struct qm_store *qs)
{
	struct sq_store *s = S(qs);
	qm_stmt_cache_clear(&s->cache, stmt_free);
	sqlite3_close(s->db);
	free(s);
}

static int sq_schema(struct qm_store *s, const char *ddl, struct qm_error *err)
{
	return sq_exec(s, ddl, err);
}

static int sq_has_table(struct qm_store *qs, const char *table, int *found, struct qm_error *err)
{
	struct sq_store *s = S(qs);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
		    -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "database");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? QM_OK : db_error(s, err, "database");
}

static int sq_share(struct qm_store *s, struct qm_error *err)
{
	return sq_exec(s, "PRAGMA journal_mode=WAL", err);
}

static int sq_read_only(struct qm_store *s, struct qm_error *err)
{
	return sq_exec(s, "PRAGMA query_only=1", err);
}

static int sq_begin(struct qm_store *qs, struct qm_error *err)
{
	struct sq_store *s = S(qs);
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
		return QM_OK;
	if (sqlite3_errcode(s->db) == SQLITE_BUSY)
		return qm_error_set(err, QM_EIO, QM_WRITE_BUSY, s->wait_ms / 1000.0);
	return db_error(s, err, "database");
}

static int sq_commit(struct qm_store *s, struct qm_error *err)
{
	return sq_exec(s, "COMMIT", err);
}

static int sq_rollback(struct qm_store *qs)
{
	struct sq_store *s = S(qs);
	if (sqlite3_get_autocommit(s->db))
		return QM_OK;
	return sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? QM_OK : QM_EIO;
}

static int sq_prepare(struct qm_store *qs, const char *sql, struct qm_stmt **out,
	struct qm_error *err)
{
	struct sq_store *s = S(qs);
	int free_slot;
	if ((*out = qm_stmt_cache_take(&s->cache, sql, &free_slot)))
		return QM_OK;
	struct sq_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	st->base.store = qs;
	st->store = s;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st->st, NULL) != SQLITE_OK) {
		free(st);
		return db_error(s, err, "preparing a query");
	}
	st->slot = qm_stmt_cache_keep(&s->cache, free_slot, sql, &st->base);
	*out = &st->base;
	return QM_OK;
}

static void sq_bind_text(struct qm_stmt *st, int idx, const char *text, int copy)
{
	if (text)
		sqlite3_bind_text(ST(st)->st, idx, text, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
	else
		sqlite3_bind_null(ST(st)->st, idx);
}

static void sq_bind_int(struct qm_stmt *st, int idx, int64_t value)
{
	sqlite3_bind_int64(ST(st)->st, idx, value);
}

static int sq_defer(struct qm_stmt *st)
{
	(void)st;
	return 0;
}

static int sq_step(struct qm_stmt *qst, struct qm_error *err)
{
	struct sq_stmt *st = ST(qst);
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return QM_STEP_ROW;
	if (rc == SQLITE_DONE)
		return QM_STEP_DONE;
	if (rc == SQLITE_CONSTRAINT) {
		int ext = sqlite3_extended_errcode(st->store->db);
		if (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE) {
			sqlite3_reset(st->st);
			return QM_STEP_CONSTRAINT;
		}
	}
	db_error(st->store, err, "database");
	sqlite3_reset(st->st);
	return QM_STEP_ERROR;
}

static void sq_reset(struct qm_stmt *st)
{
	sqlite3_reset(ST(st)->st);
	sqlite3_clear_bindings(ST(st)->st);
}

static const char *sq_text(struct qm_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(ST(st)->st, col);
}

static int64_t sq_int(struct qm_stmt *st, int col)
{
	return sqlite3_column_int64(ST(st)->st, col);
}

static int sq_is_null(struct qm_stmt *st, int col)
{
	return sqlite3_column_type(ST(st)->st, col) == SQLITE_NULL;
}

static int sq_columns(struct qm_stmt *st)
{
	return sqlite3_column_count(ST(st)->st);
}

static const char *sq_column_name(struct qm_stmt *st, int col)
{
	return sqlite3_column_name(ST(st)->st, col);
}

static void sq_finalize(struct qm_stmt *qst)
{
	struct sq_stmt *st = ST(qst);
	if (st->slot) {
		/* back to the cache, reset and with no bindings left pointing anywhere */
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		qm_stmt_cache_give_back(&st->store->cache, st->slot);
		return;
	}
	stmt_free(qst);
}

static const struct qm_store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.exec = sq_exec,
	.schema = sq_schema,
	.has_table = sq_has_table,
	.share = sq_share,
	.read_only = sq_read_only,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.defer = sq_defer,
	.step = sq_step,
	.reset = sq_reset,
	.text = sq_text,
	.integer = sq_int,
	.is_null = sq_is_null,
	.columns = sq_columns,
	.column_name = sq_column_name,
	.finalize = sq_finalize,
};
