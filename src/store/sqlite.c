/*
 * sqlite.c - the SQLite backend of store.h: one database file, opened with
 * a large page cache for bulk imports. References between records are
 * checked by the importer (with positions for messages), not by SQLite.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

/* Statements are kept for reuse, by their SQL: a server answers the same
 * few queries many times a second, and compiling them is most of the cost. */
#define STMT_CACHE 16

struct cached_stmt {
	char *sql;             /* NULL: a free slot */
	struct qm_stmt *stmt;
	int busy;              /* handed out and not yet finalized */
};

struct qm_store {
	sqlite3 *db;
	struct cached_stmt cache[STMT_CACHE];
};

struct qm_stmt {
	struct qm_store *store;
	sqlite3_stmt *st;
	int slot; /* 1 + its slot in the cache, 0 when not cached */
};

static int db_error(struct qm_store *s, struct qm_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int status = code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? QM_EDATA
		: code == SQLITE_CANTOPEN || code == SQLITE_IOERR || code == SQLITE_FULL
			|| code == SQLITE_READONLY || code == SQLITE_BUSY ? QM_EIO : QM_EINTERNAL;
	return qm_error_set(err, status, "%s: %s", what, sqlite3_errmsg(s->db));
}

int qm_store_open(const char *location, struct qm_store **out, struct qm_error *err)
{
	struct qm_store *s = calloc(1, sizeof(*s));
	if (!s)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	if (strncmp(location, "sqlite:", 7) == 0)
		location += 7;
	if (sqlite3_open_v2(location, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
		!= SQLITE_OK) {
		int rc = qm_error_set(err, QM_EIO, "cannot open database '%s': %s", location,
			s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* 16 KiB pages (for a new file only): bulk imports write a quarter fewer
	 * pages than with the default 4 KiB; temporary sorts (audit) go to disk */
	int rc = qm_store_exec(s,
		"PRAGMA page_size=16384; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536;", err);
	if (rc == QM_OK)
		rc = qm_store_exec(s, "SELECT count(*) FROM sqlite_master;", err);
	if (rc != QM_OK) {
		qm_error_set(err, rc == QM_EDATA ? QM_EDATA : QM_EIO,
			"cannot use '%s' as a database: %s", location, sqlite3_errmsg(s->db));
		sqlite3_close(s->db);
		free(s);
		return err ? err->code : QM_EIO;
	}
	*out = s;
	return QM_OK;
}

void qm_store_close(struct qm_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < STMT_CACHE; i++) {
		if (s->cache[i].stmt) {
			sqlite3_finalize(s->cache[i].stmt->st);
			free(s->cache[i].stmt);
		}
		free(s->cache[i].sql);
	}
	sqlite3_close(s->db);
	free(s);
}

const char *qm_store_backend(const struct qm_store *s)
{
	(void)s;
	return "sqlite";
}

int qm_store_exec(struct qm_store *s, const char *sql, struct qm_error *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "database");
	return QM_OK;
}

int qm_store_begin(struct qm_store *s, struct qm_error *err)
{
	return qm_store_exec(s, "BEGIN IMMEDIATE", err);
}

int qm_store_commit(struct qm_store *s, struct qm_error *err)
{
	return qm_store_exec(s, "COMMIT", err);
}

int qm_store_rollback(struct qm_store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return QM_OK;
	return sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? QM_OK : QM_EIO;
}

int qm_store_prepare(struct qm_store *s, const char *sql, struct qm_stmt **out,
	struct qm_error *err)
{
	int free_slot = -1;
	for (int i = 0; i < STMT_CACHE; i++) {
		struct cached_stmt *c = &s->cache[i];
		if (!c->sql) {
			if (free_slot < 0)
				free_slot = i;
		} else if (!c->busy && strcmp(c->sql, sql) == 0) {
			c->busy = 1;
			*out = c->stmt;
			return QM_OK;
		}
	}
	struct qm_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	st->store = s;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st->st, NULL) != SQLITE_OK) {
		free(st);
		return db_error(s, err, "preparing a query");
	}
	if (free_slot >= 0 && strlen(sql) < 512 && (s->cache[free_slot].sql = strdup(sql))) {
		s->cache[free_slot].stmt = st;
		s->cache[free_slot].busy = 1;
		st->slot = free_slot + 1;
	}
	*out = st;
	return QM_OK;
}

void qm_stmt_bind_text(struct qm_stmt *st, int idx, const char *text)
{
	if (text)
		sqlite3_bind_text(st->st, idx, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

void qm_stmt_bind_text_static(struct qm_stmt *st, int idx, const char *text)
{
	if (text)
		sqlite3_bind_text(st->st, idx, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->st, idx);
}

void qm_stmt_bind_int(struct qm_stmt *st, int idx, int64_t value)
{
	sqlite3_bind_int64(st->st, idx, value);
}

void qm_stmt_bind_null(struct qm_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

int qm_stmt_step(struct qm_stmt *st, struct qm_error *err)
{
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

void qm_stmt_reset(struct qm_stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

const char *qm_stmt_text(struct qm_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

int64_t qm_stmt_int(struct qm_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

int qm_stmt_is_null(struct qm_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int qm_stmt_columns(struct qm_stmt *st)
{
	return sqlite3_column_count(st->st);
}

void qm_stmt_finalize(struct qm_stmt *st)
{
	if (!st)
		return;
	if (st->slot) {
		/* back to the cache, reset and with no bindings left pointing anywhere */
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		st->store->cache[st->slot - 1].busy = 0;
		return;
	}
	sqlite3_finalize(st->st);
	free(st);
}
