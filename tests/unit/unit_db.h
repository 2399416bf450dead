/*
 * unit_db.h - the database a unit test's fixture works on: an SQLite file
 * in the fixture's folder, or, when $QM_TEST_PG holds the libpq connection
 * string of a PostgreSQL server (tests/run.sh's pg lane), a fresh database
 * of its own there, dropped again at teardown. Through the store interface
 * only, so the tests read the same on both.
 */
#ifndef QM_UNIT_DB_H
#define QM_UNIT_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../store/store.h"

/* 1 when the tests run on PostgreSQL. */
static inline int unit_db_pg(void)
{
	const char *pg = getenv("QM_TEST_PG");
	return pg && *pg;
}

/* Run sql on the database at loc directly, behind any ledger's back. */
static inline int unit_db_exec(const char *loc, const char *sql)
{
	struct qm_store *s;
	struct qm_error err;
	if (qm_store_open(loc, &s, &err) != QM_OK) {
		fprintf(stderr, "unit_db: %s\n", err.message);
		return -1;
	}
	int rc = qm_store_exec(s, sql, &err);
	if (rc != QM_OK)
		fprintf(stderr, "unit_db: %s: %s\n", sql, err.message);
	qm_store_close(s);
	return rc == QM_OK ? 0 : -1;
}

/* Run sql on the server's maintenance database (CREATE/DROP DATABASE). */
static inline int unit_db_admin(const char *sql)
{
	char loc[512];
	snprintf(loc, sizeof(loc), "%s dbname=postgres", getenv("QM_TEST_PG"));
	return unit_db_exec(loc, sql);
}

/* A new empty database named after name: its location into loc (the file
 * dir/name.db on SQLite). 0, or -1 when the server refused. */
static inline int unit_db_make(char *loc, size_t n, const char *dir, const char *name)
{
	static int made;
	if (!unit_db_pg()) {
		snprintf(loc, n, "%s/%s.db", dir, name);
		return 0;
	}
	char db[96], sql[160];
	snprintf(db, sizeof(db), "qmunit_%ld_%d_%s", (long)getpid(), ++made, name);
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", db);
	snprintf(loc, n, "%s dbname=%s", getenv("QM_TEST_PG"), db);
	return unit_db_admin(sql);
}

/* Drop a database unit_db_make made (nothing to do for a file: its folder goes). */
static inline void unit_db_drop(const char *loc)
{
	const char *db = strstr(loc, "dbname=");
	if (!unit_db_pg() || !db)
		return;
	char sql[160];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", db + 7);
	unit_db_admin(sql);
}

/* A fixture's folder, made under $TMPDIR (or /tmp) into dir (n bytes), and
 * a new empty database named name there (unit_db_make). 0, or -1. */
static inline int unit_db_setup(char *dir, size_t n, char *loc, size_t nloc, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, n, "%s/qm-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	return unit_db_make(loc, nloc, dir, name);
}

/* Drop the fixture's database and remove its folder. 0, or -1. */
static inline int unit_db_teardown(const char *dir, const char *loc)
{
	char cmd[600];
	unit_db_drop(loc);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* What the database holds, as bytes to search: the SQLite file's, or on
 * PostgreSQL every row of the NULL-terminated tables as text. The length
 * read into buf (at most n). */
static inline size_t unit_db_bytes(const char *loc, const char *const *tables, char *buf, size_t n)
{
	size_t len = 0;
	if (!unit_db_pg()) {
		FILE *fp = fopen(loc, "rb");
		if (!fp)
			return 0;
		len = fread(buf, 1, n, fp);
		fclose(fp);
		return len;
	}
	struct qm_store *s;
	struct qm_error err;
	if (qm_store_open(loc, &s, &err) != QM_OK)
		return 0;
	for (int t = 0; tables[t]; t++) {
		char sql[128];
		struct qm_stmt *st;
		snprintf(sql, sizeof(sql), "SELECT CAST(t AS TEXT) FROM %s t", tables[t]);
		if (qm_store_prepare(s, sql, &st, &err) != QM_OK)
			continue;
		while (qm_stmt_step(st, &err) == QM_STEP_ROW) {
			const char *row = qm_stmt_text(st, 0);
			size_t k = strlen(row);
			if (len + k > n)
				k = n - len;
			memcpy(buf + len, row, k);
			len += k;
		}
		qm_stmt_finalize(st);
	}
	qm_store_close(s);
	return len;
}

#endif
