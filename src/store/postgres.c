/*
 * postgres.c - the PostgreSQL backend of store.h, over libpq.
 *
 * The core's SQL is the part SQLite and PostgreSQL read alike; this file
 * makes up the rest of the difference, in one place:
 *   - placeholders: `?` and `?N` become `$N`; values go as text and the
 *     server infers each parameter's type from where it stands;
 *   - schema: INTEGER is BIGINT (cents pass 2^31), TEXT is TEXT COLLATE "C"
 *     (ORDER BY and comparisons by bytes, as in SQLite, whatever the
 *     database's own collation), and the reserved word user is quoted;
 *   - results: booleans read as 1 and 0, as SQLite gives them;
 *   - INSERT ... VALUES gets ON CONFLICT DO NOTHING, and no row inserted is
 *     QM_STEP_CONSTRAINT: a duplicate key must not abort the transaction, as
 *     it does not in SQLite, so that an import goes on to find every error;
 *   - writers: qm_store_begin() takes a transaction-level advisory lock, so
 *     that processes write one at a time (what BEGIN IMMEDIATE does for an
 *     SQLite file) and, at READ COMMITTED, each writer's checks read what
 *     the writers before it committed;
 *   - bulk rows (qm_stmt_defer): queued as COPY text and sent with COPY FROM
 *     STDIN in batches, and before any other statement runs and at commit;
 *     a batch's answer is read only before the next command, so that the
 *     server stores one batch while qm makes the next.
 * Statements with short SQL are prepared once (PQprepare) and kept by their
 * SQL (stmt_cache.c); others run with PQexecParams. A
 * statement's whole result is fetched when it first steps, so that several
 * statements can be read from at once, as the core does with SQLite; one
 * marked with qm_stmt_stream() is read through a cursor instead, FETCH_ROWS
 * rows at a time, so that reading a whole ledger (audit, export, copy,
 * report) takes as little memory as it does on SQLite. Cursors live in a
 * transaction: the caller's, or else a read-only REPEATABLE READ one that
 * the first cursor begins and the last one to close commits, so that the
 * statements read together see one snapshot.
 */
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "store_int.h"

#define COPY_FLUSH (8u << 20) /* bytes of queued rows sent at once */
#define FETCH_ROWS 5000       /* rows read at once from a cursor */
#define BOOLOID 16
/* the advisory lock every writer of a ledger takes: "qmledger" in ASCII */
#define WRITE_LOCK "8173851376427296114"

struct pg_stmt;

struct pg_store {
	struct qm_store base;
	PGconn *conn;
	int in_tx;
	int names;                 /* prepared statements named so far */
	struct qm_stmt_cache cache; /* statements kept by their SQL (prepared on the server) */
	struct pg_stmt *queued;    /* statements with rows waiting for COPY */
	int copy_pending;          /* a COPY was sent and its result not read yet */
	int wait_ms;               /* for the write lock, at most */
	int read_tx;               /* a transaction begun for cursors is open */
	int cursors;               /* cursors open in the current transaction */
	int cursor_names;          /* cursors named so far */
	struct pg_stmt *prefetching; /* its next page was asked for and not read yet */
	unsigned tx_gen;           /* transactions ended so far: older cursors are gone */
	int failed;                /* a COPY failed: the error is in failure */
	struct qm_error failure;
};

struct pg_stmt {
	struct qm_stmt base;
	struct pg_store *store;
	char *sql;          /* translated to $N */
	char name[16];      /* prepared name, "" when run with PQexecParams */
	int nparams;
	const char **values;
	char **owned;
	char (*num)[24];
	int insert_values;  /* INSERT ... VALUES: 0 rows inserted is a duplicate key */
	PGresult *res;
	int row, nrows;
	int slot;           /* 1 + cache slot, 0 when not cached */
	/* streamed rows (qm_stmt_stream) */
	int stream;
	int cursor;         /* the open cursor is qmc<cursor>; 0 when none */
	unsigned cursor_gen; /* the store's tx_gen when it was declared */
	int more;           /* the last page was full: FETCH again */
	PGresult *next;     /* the page after res, once read (cursor_receive) */
	/* bulk rows */
	char *copy_sql;     /* COPY table(cols) FROM STDIN, when the INSERT allows it */
	int defer;
	char *buf;
	size_t len, cap;
	struct pg_stmt *next_queued;
	int on_queue;
};

#define S(s) ((struct pg_store *)(s))
#define ST(st) ((struct pg_stmt *)(st))

static const struct qm_store_ops pg_ops;

/* The message of libpq or of a result, without its last newline. */
static int pg_fail(struct qm_error *err, int code, const char *what, const char *msg)
{
	size_t n = msg ? strlen(msg) : 0;
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return qm_error_set(err, code, "%s: %.*s", what, (int)n, msg ? msg : "");
}

/* Failures of the connection, the server's resources or a read-only server
 * are I/O (74); anything else means qm sent what it should not (70). */
static int code_of(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return QM_EIO;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 || strncmp(state, "57", 2) == 0
		|| strncmp(state, "58", 2) == 0 || strcmp(state, "25006") == 0 || strncmp(state, "40", 2) == 0)
		return QM_EIO;
	return QM_EINTERNAL;
}

static int result_fail(struct pg_store *s, PGresult *res, struct qm_error *err, const char *what)
{
	const char *msg = res ? PQresultErrorMessage(res) : NULL;
	int code = code_of(res);
	return pg_fail(err, code, what, msg && *msg ? msg : PQerrorMessage(s->conn));
}

/* ---- SQL translation ---- */

struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Copy a quoted string or identifier starting at p (its quote) to b; the
 * position after it. */
static const char *copy_quoted(struct sbuf *b, const char *p)
{
	char q = *p;
	const char *start = p++;
	while (*p) {
		if (*p == q) {
			if (p[1] == q) {
				p += 2;
				continue;
			}
			p++;
			break;
		}
		p++;
	}
	sb_add(b, start, (size_t)(p - start));
	return p;
}

/* `?` and `?N` to `$N`; *nparams gets the highest number. NULL when out of
 * memory; the caller frees. */
static char *translate(const char *sql, int *nparams)
{
	struct sbuf b = {0};
	int next = 0, max = 0;
	const char *p = sql;
	sb_add(&b, "", 0);
	while (*p) {
		if (*p == '\'' || *p == '"') {
			p = copy_quoted(&b, p);
		} else if (*p == '?') {
			char num[24];
			int n;
			p++;
			if (isdigit((unsigned char)*p)) {
				n = (int)strtol(p, (char **)&p, 10);
			} else {
				n = ++next;
			}
			if (n > max)
				max = n;
			snprintf(num, sizeof(num), "$%d", n);
			sb_str(&b, num);
		} else {
			sb_add(&b, p++, 1);
		}
	}
	*nparams = max;
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* SQLite's schema words in PostgreSQL's: see the top of the file. */
static char *translate_ddl(const char *ddl)
{
	struct sbuf b = {0};
	const char *p = ddl;
	sb_add(&b, "", 0);
	while (*p) {
		if (*p == '\'' || *p == '"') {
			p = copy_quoted(&b, p);
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			const char *w = p;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			size_t n = (size_t)(p - w);
			if (n == 7 && strncasecmp(w, "INTEGER", 7) == 0)
				sb_str(&b, "BIGINT");
			else if (n == 4 && strncasecmp(w, "TEXT", 4) == 0)
				sb_str(&b, "TEXT COLLATE \"C\"");
			else if (n == 4 && strncasecmp(w, "user", 4) == 0)
				sb_str(&b, "\"user\"");
			else
				sb_add(&b, w, n);
		} else {
			sb_add(&b, p++, 1);
		}
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* For "INSERT INTO t(a, b) VALUES(?, ?)" with nothing but placeholders in
 * VALUES: "COPY t(a, b) FROM STDIN"; else NULL. */
static char *copy_sql_of(const char *sql, int nparams)
{
	if (strncasecmp(sql, "INSERT INTO ", 12) != 0)
		return NULL;
	const char *target = sql + 12;
	const char *values = strstr(target, ") VALUES(");
	if (!values)
		return NULL;
	int marks = 0;
	for (const char *p = values + 9; *p; p++) {
		if (*p == '?')
			marks++;
		else if (*p == ')' && p[1] == '\0')
			break;
		else if (*p != ',' && *p != ' ')
			return NULL;
	}
	if (marks != nparams)
		return NULL;
	size_t n = (size_t)(values + 1 - target);
	char *out = malloc(n + 32);
	if (out)
		snprintf(out, n + 32, "COPY %.*s FROM STDIN", (int)n, target);
	return out;
}

/* ---- the connection ---- */

/* location for messages, with a password hidden */
static void masked(const char *location, char *out, size_t n)
{
	snprintf(out, n, "%s", location);
	char *pw = strstr(out, "password=");
	if (pw) {
		pw += 9;
		char *end = pw + strcspn(pw, " &");
		memmove(pw + 3, end, strlen(end) + 1);
		memcpy(pw, "***", 3);
		return;
	}
	char *scheme = strstr(out, "://");
	char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (at && colon && colon < at) {
		memmove(colon + 4, at, strlen(at) + 1);
		memcpy(colon + 1, "***", 3);
	}
}

/* Read the page asked for last (cursor_request) into its statement, so that
 * the connection is free for the next command. */
static void prefetch_collect(struct pg_store *s)
{
	struct pg_stmt *st = s->prefetching;
	PGresult *res;
	if (!st)
		return;
	s->prefetching = NULL;
	while ((res = PQgetResult(s->conn))) {
		if (st->next)
			PQclear(res);
		else
			st->next = res;
	}
}

static int run(struct pg_store *s, const char *sql, struct qm_error *err)
{
	prefetch_collect(s);
	PGresult *res = PQexec(s->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = QM_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = result_fail(s, res, err, "database");
	PQclear(res);
	return rc;
}

int qm_pg_open(const char *conninfo, int wait_ms, struct qm_store **out, struct qm_error *err)
{
	static const char *const keys[] = {"dbname", "fallback_application_name", "client_encoding",
		NULL};
	const char *values[] = {conninfo, "qm", "UTF8", NULL};
	char shown[512];
	struct pg_store *s = calloc(1, sizeof(*s));
	if (!s)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	s->base.ops = &pg_ops;
	s->wait_ms = wait_ms;
	masked(conninfo, shown, sizeof(shown));
	s->conn = PQconnectdbParams(keys, values, 1);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		char what[600];
		snprintf(what, sizeof(what), "cannot connect to the PostgreSQL database '%s'", shown);
		int rc = pg_fail(err, QM_EIO, what, s->conn ? PQerrorMessage(s->conn) : "out of memory");
		PQfinish(s->conn);
		free(s);
		return rc;
	}
	/* notices (such as "there is no transaction in progress") are not for users */
	int rc = run(s, "SET client_min_messages = warning; SET cursor_tuple_fraction = 1", err);
	if (rc != QM_OK) {
		PQfinish(s->conn);
		free(s);
		return rc;
	}
	*out = &s->base;
	return QM_OK;
}

static void stmt_free(struct pg_stmt *st);

static void free_kept(struct qm_stmt *st)
{
	stmt_free((struct pg_stmt *)st);
}

static int copy_wait(struct pg_store *s, struct qm_error *err);

static void pg_close(struct qm_store *qs)
{
	struct pg_store *s = S(qs);
	copy_wait(s, NULL);
	qm_stmt_cache_clear(&s->cache, free_kept);
	PQfinish(s->conn);
	free(s);
}

/* ---- bulk rows ---- */

static void unqueue(struct pg_store *s, struct pg_stmt *st)
{
	for (struct pg_stmt **pp = &s->queued; *pp; pp = &(*pp)->next_queued)
		if (*pp == st) {
			*pp = st->next_queued;
			break;
		}
	st->on_queue = 0;
	st->next_queued = NULL;
	st->len = 0;
}

/* Read the result of the COPY sent last, if any (err may be NULL). */
static int copy_wait(struct pg_store *s, struct qm_error *err)
{
	struct qm_error ignored;
	PGresult *res;
	int rc = QM_OK;
	if (!s->copy_pending)
		return QM_OK;
	s->copy_pending = 0;
	while ((res = PQgetResult(s->conn))) {
		if (rc == QM_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = result_fail(s, res, err ? err : &ignored, "database (COPY)");
		PQclear(res);
	}
	return rc;
}

/* Send st's queued rows with COPY. The server's answer is read only before
 * the next command (copy_wait), so that the server stores one batch while
 * qm makes the next. */
static int copy_out(struct pg_store *s, struct pg_stmt *st, struct qm_error *err)
{
	int rc = copy_wait(s, err);
	if (st->len == 0 || rc != QM_OK) {
		st->len = 0;
		return rc;
	}
	prefetch_collect(s);
	PGresult *res = PQexec(s->conn, st->copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = result_fail(s, res, err, "database (COPY)");
		PQclear(res);
		st->len = 0;
		return rc;
	}
	PQclear(res);
	if (PQputCopyData(s->conn, st->buf, (int)st->len) != 1 || PQputCopyEnd(s->conn, NULL) != 1)
		rc = pg_fail(err, QM_EIO, "database (COPY)", PQerrorMessage(s->conn));
	s->copy_pending = 1;
	if (rc != QM_OK)
		copy_wait(s, NULL);
	st->len = 0;
	return rc;
}

/* Send every queued row; a failure before this one is returned again. */
static int flush(struct pg_store *s, struct qm_error *err)
{
	while (s->queued) {
		struct pg_stmt *st = s->queued;
		int rc = s->failed ? QM_OK : copy_out(s, st, &s->failure);
		unqueue(s, st);
		if (rc != QM_OK)
			s->failed = 1;
	}
	if (copy_wait(s, s->failed ? NULL : &s->failure) != QM_OK)
		s->failed = 1;
	if (s->failed) {
		if (err)
			*err = s->failure;
		return s->failure.code ? s->failure.code : QM_EIO;
	}
	return QM_OK;
}

static void discard(struct pg_store *s)
{
	copy_wait(s, NULL);
	while (s->queued)
		unqueue(s, s->queued);
	s->failed = 0;
	qm_error_clear(&s->failure);
}

/* One row in COPY's text format: tab between values, \N for NULL. */
static int queue_row(struct pg_stmt *st)
{
	size_t need = 2;
	for (int i = 0; i < st->nparams; i++)
		need += st->values[i] ? 2 * strlen(st->values[i]) + 1 : 3;
	if (st->len + need > st->cap) {
		size_t cap = st->cap ? st->cap : 65536;
		while (st->len + need > cap)
			cap *= 2;
		char *nb = realloc(st->buf, cap);
		if (!nb)
			return -1;
		st->buf = nb;
		st->cap = cap;
	}
	char *w = st->buf + st->len;
	for (int i = 0; i < st->nparams; i++) {
		if (i)
			*w++ = '\t';
		const char *v = st->values[i];
		if (!v) {
			memcpy(w, "\\N", 2);
			w += 2;
			continue;
		}
		for (;;) {
			/* copy the run up to the next byte COPY escapes at once */
			size_t run = strcspn(v, "\\\t\n\r");
			memcpy(w, v, run);
			w += run;
			v += run;
			if (!*v)
				break;
			*w++ = '\\';
			*w++ = *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : 'r';
			v++;
		}
	}
	*w++ = '\n';
	st->len = (size_t)(w - st->buf);
	if (!st->on_queue) {
		st->on_queue = 1;
		st->next_queued = st->store->queued;
		st->store->queued = st;
	}
	return 0;
}

/* ---- the store ---- */

static int pg_exec(struct qm_store *qs, const char *sql, struct qm_error *err)
{
	struct pg_store *s = S(qs);
	int rc = flush(s, err);
	return rc == QM_OK ? run(s, sql, err) : rc;
}

static int pg_schema(struct qm_store *qs, const char *ddl, struct qm_error *err)
{
	char *sql = translate_ddl(ddl);
	if (!sql)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	int rc = pg_exec(qs, sql, err);
	free(sql);
	return rc;
}

static int pg_has_table(struct qm_store *qs, const char *table, int *found, struct qm_error *err)
{
	struct pg_store *s = S(qs);
	const char *params[] = {table};
	int rc = flush(s, err);
	if (rc != QM_OK)
		return rc;
	prefetch_collect(s);
	PGresult *res = PQexecParams(s->conn,
		"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
		" AND tablename = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = result_fail(s, res, err, "database");
	} else {
		*found = atoi(PQgetvalue(res, 0, 0)) > 0;
	}
	PQclear(res);
	return rc;
}

static int pg_share(struct qm_store *s, struct qm_error *err)
{
	(void)s;
	(void)err;
	return QM_OK; /* the server is made for many clients */
}

static int pg_read_only(struct qm_store *qs, struct qm_error *err)
{
	return run(S(qs), "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", err);
}

/* Between transactions, a session the server ended has sent its last
 * message and closed the socket: read it, and libpq marks the connection
 * bad. Busy with a transaction, the connection is whatever it last was. */
static int pg_connected(struct qm_store *qs)
{
	struct pg_store *s = S(qs);
	if (PQstatus(s->conn) != CONNECTION_OK)
		return 0;
	if (s->in_tx || s->read_tx || s->copy_pending || s->prefetching)
		return 1;
	struct pollfd p = {.fd = PQsocket(s->conn), .events = POLLIN};
	if (p.fd < 0)
		return 0;
	/* the last message, then the end of the stream: a read each */
	for (int reads = 0; reads < 4 && poll(&p, 1, 0) > 0; reads++)
		if (!PQconsumeInput(s->conn))
			return 0;
	return PQstatus(s->conn) == CONNECTION_OK;
}

/* The transaction ended: its cursors are gone. */
static void tx_ended(struct pg_store *s)
{
	s->in_tx = 0;
	s->read_tx = 0;
	s->cursors = 0;
	s->tx_gen++;
}

static int pg_begin(struct qm_store *qs, struct qm_error *err)
{
	struct pg_store *s = S(qs);
	if (s->read_tx)
		return qm_error_set(err, QM_EINTERNAL,
			"a write began while rows were still being read (a streamed statement was not finalized)");
	char begin[96];
	/* lock_timeout 0 would wait for ever: a millisecond is not waiting */
	snprintf(begin, sizeof(begin), "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = %d",
		s->wait_ms > 0 ? s->wait_ms : 1);
	int rc = run(s, begin, err);
	if (rc == QM_OK) {
		PGresult *res = PQexec(s->conn, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")");
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state && strcmp(state, "55P03") == 0) /* lock_not_available */
			rc = qm_error_set(err, QM_EIO, QM_WRITE_BUSY, s->wait_ms / 1000.0);
		else if (PQresultStatus(res) != PGRES_TUPLES_OK)
			rc = result_fail(s, res, err, "database");
		PQclear(res);
	}
	if (rc != QM_OK) {
		run(s, "ROLLBACK", NULL);
		return rc;
	}
	s->in_tx = 1;
	discard(s);
	return QM_OK;
}

static int pg_commit(struct qm_store *qs, struct qm_error *err)
{
	struct pg_store *s = S(qs);
	int rc = flush(s, err);
	if (rc != QM_OK)
		return rc; /* the caller rolls back */
	prefetch_collect(s);
	PGresult *res = PQexec(s->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = result_fail(s, res, err, "database (commit)");
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		rc = qm_error_set(err, QM_EIO, "database (commit): the transaction was rolled back");
	PQclear(res);
	tx_ended(s);
	return rc;
}

static int pg_rollback(struct qm_store *qs)
{
	struct pg_store *s = S(qs);
	discard(s);
	tx_ended(s);
	if (PQtransactionStatus(s->conn) == PQTRANS_IDLE)
		return QM_OK;
	return run(s, "ROLLBACK", NULL);
}

/* ---- statements ---- */

static void clear_binds(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->values[i] = NULL;
	}
}

static void stmt_free(struct pg_stmt *st)
{
	PQclear(st->res);
	PQclear(st->next);
	clear_binds(st);
	free(st->values);
	free(st->owned);
	free(st->num);
	free(st->sql);
	free(st->copy_sql);
	free(st->buf);
	free(st);
}

static int pg_prepare(struct qm_store *qs, const char *sql, struct qm_stmt **out,
	struct qm_error *err)
{
	struct pg_store *s = S(qs);
	int free_slot;
	if ((*out = qm_stmt_cache_take(&s->cache, sql, &free_slot)))
		return QM_OK;
	struct pg_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	st->base.store = qs;
	st->store = s;
	st->sql = translate(sql, &st->nparams);
	int n = st->nparams ? st->nparams : 1;
	st->values = calloc((size_t)n, sizeof(*st->values));
	st->owned = calloc((size_t)n, sizeof(*st->owned));
	st->num = calloc((size_t)n, sizeof(*st->num));
	if (!st->sql || !st->values || !st->owned || !st->num) {
		stmt_free(st);
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	}
	if (strncasecmp(sql, "INSERT INTO ", 12) == 0 && strstr(sql, ") VALUES(")
		&& !strstr(sql, "ON CONFLICT")) {
		size_t len = strlen(st->sql);
		char *more = realloc(st->sql, len + 32);
		if (!more) {
			stmt_free(st);
			return qm_error_set(err, QM_EINTERNAL, "out of memory");
		}
		st->sql = more;
		memcpy(st->sql + len, " ON CONFLICT DO NOTHING", 24);
		st->insert_values = 1;
		st->copy_sql = copy_sql_of(sql, st->nparams);
	}
	if (free_slot >= 0) {
		snprintf(st->name, sizeof(st->name), "qm%d", ++s->names);
		prefetch_collect(s);
		PGresult *res = PQprepare(s->conn, st->name, st->sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			int rc = result_fail(s, res, err, "preparing a query");
			PQclear(res);
			stmt_free(st);
			return rc;
		}
		PQclear(res);
		st->slot = qm_stmt_cache_keep(&s->cache, free_slot, sql, &st->base);
	}
	*out = &st->base;
	return QM_OK;
}

static void pg_bind_text(struct qm_stmt *qst, int idx, const char *text, int copy)
{
	struct pg_stmt *st = ST(qst);
	if (idx < 1 || idx > st->nparams)
		return;
	free(st->owned[idx - 1]);
	st->owned[idx - 1] = NULL;
	if (text && copy)
		text = st->owned[idx - 1] = strdup(text);
	st->values[idx - 1] = text;
}

static void pg_bind_int(struct qm_stmt *qst, int idx, int64_t value)
{
	struct pg_stmt *st = ST(qst);
	if (idx < 1 || idx > st->nparams)
		return;
	/* digits from the end: snprintf was a tenth of a bulk import's time */
	char *buf = st->num[idx - 1], tmp[24];
	uint64_t v = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t len = 0;
	if (value < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	pg_bind_text(qst, idx, buf, 0);
}

static int pg_defer(struct qm_stmt *qst)
{
	struct pg_stmt *st = ST(qst);
	st->defer = st->copy_sql != NULL;
	return st->defer;
}

static void pg_stream(struct qm_stmt *qst)
{
	struct pg_stmt *st = ST(qst);
	st->stream = !st->defer;
}

/* Ask for st's next page without waiting for it: the server reads it while
 * qm works through the page it has. */
static int cursor_request(struct pg_store *s, struct pg_stmt *st, struct qm_error *err)
{
	char sql[64];
	int rc = flush(s, err);
	if (rc != QM_OK)
		return rc;
	prefetch_collect(s);
	snprintf(sql, sizeof(sql), "FETCH FORWARD %d FROM qmc%d", FETCH_ROWS, st->cursor);
	if (!PQsendQuery(s->conn, sql))
		return pg_fail(err, QM_EIO, "database (reading rows)", PQerrorMessage(s->conn));
	s->prefetching = st;
	return QM_OK;
}

/* Make st's page requested last its current one, and request the next. */
static int cursor_receive(struct pg_store *s, struct pg_stmt *st, struct qm_error *err)
{
	if (s->prefetching == st)
		prefetch_collect(s);
	PQclear(st->res);
	st->res = st->next;
	st->next = NULL;
	if (PQresultStatus(st->res) != PGRES_TUPLES_OK) {
		result_fail(s, st->res, err, "database (reading rows)");
		PQclear(st->res);
		st->res = NULL;
		return err->code;
	}
	st->nrows = PQntuples(st->res);
	st->row = -1;
	st->more = st->nrows == FETCH_ROWS;
	return st->more ? cursor_request(s, st, err) : QM_OK;
}

/* Close st's cursor, if it has one still open; the read transaction ends
 * with the last cursor. */
static void cursor_close(struct pg_store *s, struct pg_stmt *st)
{
	if (!st->cursor)
		return;
	if (s->prefetching == st)
		prefetch_collect(s);
	PQclear(st->next);
	st->next = NULL;
	int live = st->cursor_gen == s->tx_gen;
	if (live && PQtransactionStatus(s->conn) == PQTRANS_INTRANS) {
		char sql[32];
		snprintf(sql, sizeof(sql), "CLOSE qmc%d", st->cursor);
		run(s, sql, NULL);
	}
	st->cursor = 0;
	st->more = 0;
	if (live && --s->cursors == 0 && s->read_tx) {
		/* a read-only transaction: COMMIT and ROLLBACK end it alike */
		run(s, PQtransactionStatus(s->conn) == PQTRANS_INTRANS ? "COMMIT" : "ROLLBACK", NULL);
		tx_ended(s);
	}
}

/* After a failure: a read transaction is aborted, and every cursor in it
 * gone (a writer's transaction is the caller's to roll back). */
static void read_tx_abort(struct pg_store *s)
{
	if (!s->read_tx)
		return;
	run(s, "ROLLBACK", NULL);
	tx_ended(s);
}

/* Declare a cursor for st (beginning a read transaction when none is open)
 * and read its first page. */
static int cursor_open(struct pg_store *s, struct pg_stmt *st, struct qm_error *err)
{
	int rc = QM_OK;
	if (!s->in_tx && !s->read_tx) {
		rc = run(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
		if (rc != QM_OK)
			return rc;
		s->read_tx = 1;
	}
	size_t n = strlen(st->sql) + 48;
	char *sql = malloc(n);
	if (!sql) {
		rc = qm_error_set(err, QM_EINTERNAL, "out of memory");
	} else {
		int id = ++s->cursor_names;
		snprintf(sql, n, "DECLARE qmc%d NO SCROLL CURSOR FOR %s", id, st->sql);
		prefetch_collect(s);
		PGresult *res = PQexecParams(s->conn, sql, st->nparams, NULL, st->values, NULL, NULL, 0);
		free(sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = result_fail(s, res, err, "database");
		PQclear(res);
		if (rc == QM_OK) {
			st->cursor = id;
			st->cursor_gen = s->tx_gen;
			s->cursors++;
			rc = cursor_request(s, st, err);
			if (rc == QM_OK)
				rc = cursor_receive(s, st, err);
		}
	}
	if (rc != QM_OK)
		read_tx_abort(s);
	return rc;
}

/* Step a streamed statement: the next row of its page, or of the next. */
static int stream_step(struct pg_store *s, struct pg_stmt *st, struct qm_error *err)
{
	if (!st->res) {
		if (flush(s, err) != QM_OK || cursor_open(s, st, err) != QM_OK)
			return QM_STEP_ERROR;
	} else if (st->row + 1 >= st->nrows && st->more) {
		if (cursor_receive(s, st, err) != QM_OK) {
			read_tx_abort(s);
			return QM_STEP_ERROR;
		}
	}
	if (st->row + 1 < st->nrows) {
		st->row++;
		return QM_STEP_ROW;
	}
	st->row = st->nrows;
	cursor_close(s, st);
	return QM_STEP_DONE;
}

static int pg_step(struct qm_stmt *qst, struct qm_error *err)
{
	struct pg_stmt *st = ST(qst);
	struct pg_store *s = st->store;
	if (st->stream)
		return stream_step(s, st, err);
	if (!st->res) {
		if (st->defer && s->in_tx && !s->failed) {
			if (queue_row(st) < 0) {
				qm_error_set(err, QM_EINTERNAL, "out of memory");
				return QM_STEP_ERROR;
			}
			if (st->len >= COPY_FLUSH && copy_out(s, st, &s->failure) != QM_OK) {
				s->failed = 1;
				*err = s->failure;
				return QM_STEP_ERROR;
			}
			return QM_STEP_DONE;
		}
		if (flush(s, err) != QM_OK)
			return QM_STEP_ERROR;
		prefetch_collect(s);
		st->res = st->name[0]
			? PQexecPrepared(s->conn, st->name, st->nparams, st->values, NULL, NULL, 0)
			: PQexecParams(s->conn, st->sql, st->nparams, NULL, st->values, NULL, NULL, 0);
		ExecStatusType status = PQresultStatus(st->res);
		if (status == PGRES_COMMAND_OK) {
			int inserted = atoi(PQcmdTuples(st->res));
			st->nrows = 0;
			st->row = 0;
			if (st->insert_values && inserted == 0) {
				PQclear(st->res);
				st->res = NULL;
				return QM_STEP_CONSTRAINT;
			}
			return QM_STEP_DONE;
		}
		if (status != PGRES_TUPLES_OK) {
			const char *state = PQresultErrorField(st->res, PG_DIAG_SQLSTATE);
			int dup = state && strcmp(state, "23505") == 0;
			if (!dup)
				result_fail(s, st->res, err, "database");
			PQclear(st->res);
			st->res = NULL;
			return dup ? QM_STEP_CONSTRAINT : QM_STEP_ERROR;
		}
		st->nrows = PQntuples(st->res);
		st->row = -1;
	}
	if (st->row + 1 < st->nrows) {
		st->row++;
		return QM_STEP_ROW;
	}
	st->row = st->nrows;
	return QM_STEP_DONE;
}

static void pg_reset(struct qm_stmt *qst)
{
	struct pg_stmt *st = ST(qst);
	cursor_close(st->store, st);
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	clear_binds(st);
}

static int in_row(struct pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

static const char *pg_text(struct qm_stmt *qst, int col)
{
	struct pg_stmt *st = ST(qst);
	if (!in_row(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == BOOLOID)
		return *v == 't' ? "1" : "0";
	return v;
}

static int64_t pg_int(struct qm_stmt *qst, int col)
{
	const char *v = pg_text(qst, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

static int pg_is_null(struct qm_stmt *qst, int col)
{
	struct pg_stmt *st = ST(qst);
	return !in_row(st, col) || PQgetisnull(st->res, st->row, col);
}

static int pg_columns(struct qm_stmt *qst)
{
	struct pg_stmt *st = ST(qst);
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(struct qm_stmt *qst, int col)
{
	struct pg_stmt *st = ST(qst);
	return st->res && col >= 0 && col < PQnfields(st->res) ? PQfname(st->res, col) : NULL;
}

static void pg_finalize(struct qm_stmt *qst)
{
	struct pg_stmt *st = ST(qst);
	struct pg_store *s = st->store;
	if (st->on_queue) {
		/* its rows go now; a failure is kept for the next call on the store */
		if (!s->failed && copy_out(s, st, &s->failure) != QM_OK)
			s->failed = 1;
		unqueue(s, st);
	}
	st->defer = 0;
	pg_reset(qst);
	st->stream = 0;
	if (st->slot) {
		qm_stmt_cache_give_back(&s->cache, st->slot);
		return;
	}
	stmt_free(st);
}

static const struct qm_store_ops pg_ops = {
	.name = "postgresql",
	.remote = 1,
	.close = pg_close,
	.exec = pg_exec,
	.schema = pg_schema,
	.has_table = pg_has_table,
	.share = pg_share,
	.read_only = pg_read_only,
	.connected = pg_connected,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.defer = pg_defer,
	.stream = pg_stream,
	.step = pg_step,
	.reset = pg_reset,
	.text = pg_text,
	.integer = pg_int,
	.is_null = pg_is_null,
	.columns = pg_columns,
	.column_name = pg_column_name,
	.finalize = pg_finalize,
};
