/*
 * store.c - the store interface's front: which backend a location names
 * (a PostgreSQL URI or libpq connection string, else an SQLite file), and
 * every call of store.h handed on to that backend's functions.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int qm_store_is_postgres(const char *location)
{
	if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0)
		return 1;
	/* a libpq key=value string ("host=db dbname=qm", "service=cell"): a
	 * keyword of lower-case letters and '_' and then '=' */
	const char *p = location;
	while (*p == ' ')
		p++;
	const char *word = p;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	if (p == word)
		return 0;
	while (*p == ' ')
		p++;
	return *p == '=';
}

/* How long a writer waits for another to finish: $QM_WRITE_WAIT seconds
 * (whole, up to a day), else 10. */
static int write_wait_ms(int *ms, struct qm_error *err)
{
	const char *v = getenv("QM_WRITE_WAIT");
	*ms = 10000;
	if (!v || !*v)
		return QM_OK;
	char *end;
	errno = 0;
	long s = strtol(v, &end, 10);
	if (errno || *end || end == v || s < 0 || s > 86400 || !isdigit((unsigned char)*v))
		return qm_error_set(err, QM_EUSAGE,
			"QM_WRITE_WAIT: a whole number of seconds from 0 to 86400, got '%s'", v);
	*ms = (int)s * 1000;
	return QM_OK;
}

int qm_store_open(const char *location, struct qm_store **out, struct qm_error *err)
{
	int wait_ms, rc = write_wait_ms(&wait_ms, err);
	if (rc != QM_OK)
		return rc;
	if (strncmp(location, "sqlite:", 7) == 0)
		return qm_sqlite_open(location + 7, wait_ms, out, err);
	if (strncmp(location, "postgresql:", 11) == 0 && location[11] != '/')
		return qm_pg_open(location + 11, wait_ms, out, err);
	if (qm_store_is_postgres(location))
		return qm_pg_open(location, wait_ms, out, err);
	return qm_sqlite_open(location, wait_ms, out, err);
}

void qm_store_close(struct qm_store *s)
{
	if (s)
		s->ops->close(s);
}

const char *qm_store_backend(const struct qm_store *s) { return s->ops->name; }

int qm_store_remote(const struct qm_store *s) { return s->ops->remote; }

int qm_store_exec(struct qm_store *s, const char *sql, struct qm_error *err)
{
	return s->ops->exec(s, sql, err);
}

int qm_store_schema(struct qm_store *s, const char *ddl, struct qm_error *err)
{
	return s->ops->schema(s, ddl, err);
}

int qm_store_has_table(struct qm_store *s, const char *table, int *found, struct qm_error *err)
{
	return s->ops->has_table(s, table, found, err);
}

int qm_store_share(struct qm_store *s, struct qm_error *err) { return s->ops->share(s, err); }

int qm_store_read_only(struct qm_store *s, struct qm_error *err)
{
	return s->ops->read_only(s, err);
}

int qm_store_connected(struct qm_store *s)
{
	return s->ops->connected ? s->ops->connected(s) : 1;
}

int qm_store_begin(struct qm_store *s, struct qm_error *err) { return s->ops->begin(s, err); }

int qm_store_commit(struct qm_store *s, struct qm_error *err) { return s->ops->commit(s, err); }

int qm_store_rollback(struct qm_store *s) { return s->ops->rollback(s); }

int qm_store_prepare(struct qm_store *s, const char *sql, struct qm_stmt **out,
	struct qm_error *err)
{
	return s->ops->prepare(s, sql, out, err);
}

void qm_stmt_bind_text(struct qm_stmt *st, int idx, const char *text)
{
	st->store->ops->bind_text(st, idx, text, 1);
}

void qm_stmt_bind_text_static(struct qm_stmt *st, int idx, const char *text)
{
	st->store->ops->bind_text(st, idx, text, 0);
}

void qm_stmt_bind_int(struct qm_stmt *st, int idx, int64_t value)
{
	st->store->ops->bind_int(st, idx, value);
}

void qm_stmt_bind_null(struct qm_stmt *st, int idx) { st->store->ops->bind_text(st, idx, NULL, 0); }

int qm_stmt_defer(struct qm_stmt *st) { return st->store->ops->defer(st); }

void qm_stmt_stream(struct qm_stmt *st)
{
	if (st->store->ops->stream)
		st->store->ops->stream(st);
}

int qm_stmt_step(struct qm_stmt *st, struct qm_error *err) { return st->store->ops->step(st, err); }

void qm_stmt_reset(struct qm_stmt *st) { st->store->ops->reset(st); }

const char *qm_stmt_text(struct qm_stmt *st, int col) { return st->store->ops->text(st, col); }

int64_t qm_stmt_int(struct qm_stmt *st, int col) { return st->store->ops->integer(st, col); }

int qm_stmt_is_null(struct qm_stmt *st, int col) { return st->store->ops->is_null(st, col); }

int qm_stmt_columns(struct qm_stmt *st) { return st->store->ops->columns(st); }

const char *qm_stmt_column_name(struct qm_stmt *st, int col)
{
	return st->store->ops->column_name(st, col);
}

void qm_stmt_finalize(struct qm_stmt *st)
{
	if (st)
		st->store->ops->finalize(st);
}
