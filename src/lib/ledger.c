/*
 * ledger.c - opening a ledger: the store, the schema migrations (the schema
 * version is kept in the meta table) and the actor changes are made under.
 * The migrations are written in SQLite's words; qm_store_schema() adapts
 * them for PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

/* Migration N takes a database from version N-1 to N. Never edit one that
 * has shipped; add the next. */
static const char *const migrations[] = {
	NULL,
	/* 1: the ledger's first schema */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE parties(code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
	" ally TEXT, currency TEXT, source TEXT, aliases TEXT);"
	"CREATE TABLE items(code TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,"
	" capability TEXT NOT NULL, unit TEXT, unit_price INTEGER, currency TEXT, price_date TEXT,"
	" source TEXT, aliases TEXT);"
	"CREATE TABLE rates(date TEXT NOT NULL, currency TEXT NOT NULL, per_eur INTEGER NOT NULL,"
	" PRIMARY KEY(currency, date));"
	"CREATE TABLE gdp(party TEXT NOT NULL, year INTEGER NOT NULL, amount INTEGER NOT NULL,"
	" currency TEXT NOT NULL, source TEXT, PRIMARY KEY(party, year));"
	"CREATE TABLE pledges(id TEXT PRIMARY KEY, donor TEXT NOT NULL, date TEXT NOT NULL,"
	" item TEXT, quantity INTEGER, amount INTEGER, currency TEXT, status TEXT NOT NULL,"
	" available TEXT NOT NULL, part_of TEXT, cost_type TEXT NOT NULL, channel TEXT NOT NULL,"
	" source TEXT, note TEXT,"
	" own_value_eur_cents INTEGER, valuation TEXT, counted_in TEXT, value_eur_cents INTEGER);"
	"CREATE INDEX pledges_by_part_of ON pledges(part_of) WHERE part_of IS NOT NULL;"
	"CREATE TABLE deliveries(id TEXT PRIMARY KEY, pledge TEXT NOT NULL, date TEXT NOT NULL,"
	" quantity INTEGER NOT NULL, hub TEXT, source TEXT, note TEXT);"
	"CREATE INDEX deliveries_by_pledge ON deliveries(pledge);"
	"CREATE TABLE requirements(id TEXT PRIMARY KEY, capability TEXT, item TEXT,"
	" quantity INTEGER NOT NULL, priority INTEGER NOT NULL, needed_by TEXT NOT NULL,"
	" source TEXT, note TEXT);"
	"CREATE TABLE journal(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, before TEXT, after TEXT,"
	" hash TEXT NOT NULL);",
	/* 2: frameworks for burden sharing */
	"CREATE TABLE frameworks(id TEXT PRIMARY KEY, name TEXT NOT NULL, start TEXT NOT NULL,"
	" \"end\" TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,"
	" gdp_year INTEGER NOT NULL, parties TEXT NOT NULL, exempt TEXT, counts TEXT NOT NULL,"
	" cost_types TEXT NOT NULL, source TEXT);",
	/* 3: accounts for qm serve: users, API tokens and sessions (secrets hashed) */
	"CREATE TABLE users(name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT,"
	" disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);"
	"CREATE TABLE tokens(hash TEXT PRIMARY KEY, user TEXT NOT NULL, created TEXT NOT NULL,"
	" last_used INTEGER NOT NULL);"
	"CREATE TABLE sessions(hash TEXT PRIMARY KEY, user TEXT NOT NULL, created TEXT NOT NULL,"
	" last_used INTEGER NOT NULL);",
	/* 4: training: courses, and the crews items need */
	"ALTER TABLE items ADD COLUMN crew_skill TEXT;"
	"ALTER TABLE items ADD COLUMN crew_size INTEGER;"
	"CREATE TABLE courses(id TEXT PRIMARY KEY, provider TEXT NOT NULL, skill TEXT NOT NULL,"
	" seats INTEGER NOT NULL, start TEXT NOT NULL, \"end\" TEXT NOT NULL, location TEXT,"
	" status TEXT NOT NULL, source TEXT, note TEXT);",
};

#define LATEST ((int)(sizeof(migrations) / sizeof(migrations[0])) - 1)

static int read_version(struct qm_ledger *l, int *version, struct qm_error *err)
{
	struct qm_stmt *st;
	int has_meta = 0;
	int rc = qm_store_has_table(l->store, "meta", &has_meta, err);
	if (rc != QM_OK)
		return rc;
	*version = 0;
	if (!has_meta)
		return QM_OK;
	rc = qm_store_prepare(l->store, "SELECT value FROM meta WHERE key='schema_version'", &st, err);
	if (rc != QM_OK)
		return rc;
	if (qm_stmt_step(st, err) == QM_STEP_ROW)
		*version = atoi(qm_stmt_text(st, 0));
	qm_stmt_finalize(st);
	return QM_OK;
}

/* Under the store's write lock, and from the version read again under it:
 * another process may have migrated the database meanwhile. */
static int migrate(struct qm_ledger *l, int *from, struct qm_error *err)
{
	int rc = qm_store_begin(l->store, err);
	if (rc == QM_OK)
		rc = read_version(l, from, err);
	if (rc != QM_OK || *from >= LATEST) {
		qm_store_rollback(l->store);
		return rc;
	}
	for (int v = *from + 1; v <= LATEST && rc == QM_OK; v++)
		rc = qm_store_schema(l->store, migrations[v], err);
	if (rc == QM_OK) {
		char sql[160];
		snprintf(sql, sizeof(sql), "DELETE FROM meta WHERE key = 'schema_version';"
			" INSERT INTO meta(key, value) VALUES('schema_version', '%d')", LATEST);
		rc = qm_store_exec(l->store, sql, err);
	}
	if (rc == QM_OK)
		rc = qm_store_commit(l->store, err);
	if (rc != QM_OK)
		qm_store_rollback(l->store);
	return rc;
}

int qm_ledger_open(const char *location, struct qm_ledger **out, struct qm_error *err)
{
	struct qm_ledger *l = calloc(1, sizeof(*l));
	int version = 0, rc;

	if (!l)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	l->migrated_from = -1;
	qm_ledger_set_actor(l, NULL);
	rc = qm_store_open(location, &l->store, err);
	if (rc == QM_OK)
		rc = read_version(l, &version, err);
	if (rc == QM_OK && version > LATEST)
		rc = qm_error_set(err, QM_EDATA,
			"database '%s' has schema version %d, made by a newer qm; this qm knows"
			" versions up to %d: upgrade qm", location, version, LATEST);
	if (rc == QM_OK && version < LATEST) {
		rc = migrate(l, &version, err);
		if (rc == QM_OK && version < LATEST)
			l->migrated_from = version;
	}
	if (rc != QM_OK) {
		qm_ledger_close(l);
		return rc;
	}
	l->schema_version = LATEST;
	*out = l;
	return QM_OK;
}

void qm_ledger_close(struct qm_ledger *l)
{
	if (!l)
		return;
	qm_store_close(l->store);
	free(l);
}

int qm_ledger_schema_version(const struct qm_ledger *l, int *migrated_from)
{
	if (migrated_from)
		*migrated_from = l->migrated_from;
	return l->schema_version;
}

void qm_ledger_set_actor(struct qm_ledger *l, const char *actor)
{
	if (!actor || !*actor)
		actor = getenv("QM_ACTOR");
	if (!actor || !*actor)
		actor = getenv("USER");
	if (!actor || !*actor)
		actor = "unknown";
	snprintf(l->actor, sizeof(l->actor), "%s", actor);
	for (char *p = l->actor; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

struct qm_store *qm_ledger_store(struct qm_ledger *l)
{
	return l->store;
}

int qm_ledger_shared(struct qm_ledger *l, struct qm_error *err)
{
	return qm_store_share(l->store, err);
}

int qm_ledger_read_only(struct qm_ledger *l, struct qm_error *err)
{
	int rc = qm_store_read_only(l->store, err);
	if (rc == QM_OK)
		l->read_only = 1;
	return rc;
}

int qm_ledger_connected(struct qm_ledger *l) { return qm_store_connected(l->store); }

const char *qm_ledger_backend(const struct qm_ledger *l) { return qm_store_backend(l->store); }

int64_t qm_ledger_journal_seq(struct qm_ledger *l)
{
	struct qm_stmt *st;
	struct qm_error err;
	int64_t seq = -1;
	qm_error_clear(&err);
	if (qm_store_prepare(l->store, "SELECT coalesce(max(seq), 0) FROM journal", &st, &err) != QM_OK)
		return -1;
	if (qm_stmt_step(st, &err) == QM_STEP_ROW)
		seq = qm_stmt_int(st, 0);
	qm_stmt_finalize(st);
	return seq;
}
