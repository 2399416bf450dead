/*
 * ledger.h - the ledger: a store with the schema, the journal and the rules.
 *
 * A struct qm_ledger is opened on a database location, created and migrated
 * to the current schema version on first use, and closed by its caller.
 * Every change goes through the ledger so that it is validated the same way
 * whatever its origin (import, add) and appended to the hash-chained journal.
 */
#ifndef QM_LEDGER_H
#define QM_LEDGER_H

#include <stdint.h>
#include <stdio.h>

#include "qm/error.h"
#include "qm/schema.h"

#define QM_SCHEMA_VERSION 4
#define QM_VERSION "0.1.0"

struct qm_ledger;
struct qm_store;

/* Open the ledger at location (a path, or sqlite:PATH), creating the file
 * and migrating its schema when needed. A database whose schema version is
 * newer than QM_SCHEMA_VERSION is refused with QM_EDATA. The caller closes
 * the ledger with qm_ledger_close(). */
int qm_ledger_open(const char *location, struct qm_ledger **out, struct qm_error *err);
void qm_ledger_close(struct qm_ledger *l);

/* Schema version found when opening, and whether opening created or migrated it. */
int qm_ledger_schema_version(const struct qm_ledger *l, int *migrated_from);

/* Who changes are journaled under (copied; newlines become spaces). */
void qm_ledger_set_actor(struct qm_ledger *l, const char *actor);

/* The ledger's store, for modules of the core (not for the CLI). */
struct qm_store *qm_ledger_store(struct qm_ledger *l);

/* Make the database ready to be used by several threads or processes at
 * once (for SQLite: the WAL journal, so that readers do not wait for a
 * writer). */
int qm_ledger_shared(struct qm_ledger *l, struct qm_error *err);

/* The number of the journal's last entry, 0 when it is empty, -1 on error:
 * it changes with every change to the ledger. */
int64_t qm_ledger_journal_seq(struct qm_ledger *l);

/* Refuse every write through l from now on (qm serve --read-only; on
 * PostgreSQL read-only transactions, which a streaming replica needs). */
int qm_ledger_read_only(struct qm_ledger *l, struct qm_error *err);

/* 0 when l's database server has ended its session (a restart, a failover,
 * an administrator): the caller closes l and opens the ledger anew. 1
 * otherwise, and always on SQLite. Never blocks. */
int qm_ledger_connected(struct qm_ledger *l);

/* "sqlite" or "postgresql"; static. */
const char *qm_ledger_backend(const struct qm_ledger *l);

struct qm_copy_result {
	int64_t records; /* rows of the ledger's kinds */
	int64_t journal; /* journal entries */
	int64_t accounts; /* users, tokens and sessions */
};

/* Copy every record, the journal and the accounts of from into to, which
 * must be empty (QM_EDATA naming to_name otherwise); all or nothing. Both
 * ledgers are opened (so migrated to this qm's schema) by the caller, who
 * keeps them. */
int qm_ledger_copy(struct qm_ledger *from, struct qm_ledger *to, const char *to_name,
	struct qm_copy_result *res, struct qm_error *err);

/* ---- import ---- */

enum qm_format { QM_FORMAT_AUTO, QM_FORMAT_CSV, QM_FORMAT_JSON };

struct qm_import_options {
	enum qm_format format;
	int dry_run;         /* validate and count, write nothing */
	const char *date;    /* kiel-weapons: date of the pledges (YYYY-MM-DD) */
	const char *status;  /* kiel-weapons: status of the pledges */
	void (*progress)(void *ctx, const char *source, long records); /* may be NULL */
	void *progress_ctx;
};

struct qm_import_result {
	long records;   /* records read */
	long created;
	long revised;
	long unchanged;
	long skipped;   /* rows deliberately passed over (gdp rows of unknown codes) */
	long unmatched; /* kiel-weapons: weapon names with no catalogue item */
};

/*
 * Import the files (all or nothing across all of them) as records of kind
 * ("parties", ..., "requirements", or "kiel-weapons"). Problems are
 * collected in *diag (errors and warnings with their position). Returns
 * QM_OK when written (or, with dry_run, when it would be), QM_EDATA when
 * any error was found (nothing written), QM_ENOINPUT when a file is
 * missing, QM_EUSAGE for an unknown kind or format; other codes in
 * diag's first item.
 */
int qm_import(struct qm_ledger *l, const char *kind, const char *const *paths, int npaths,
	const struct qm_import_options *opt, struct qm_import_result *res, struct qm_diag *diag);

/*
 * Add or revise one record of kind from name=value pairs, with the same
 * rules as import. Fields not named keep their stored value when the
 * record exists. Errors go to *diag with source "add".
 */
int qm_add(struct qm_ledger *l, const char *kind, int nfields, const char *const *names,
	const char *const *values, int dry_run, struct qm_import_result *res, struct qm_diag *diag);

/* ---- reading ---- */

/* Filters for listing; NULL or 0 members do not filter. */
struct qm_filter {
	const char *donor;
	const char *status;
	const char *item;
	const char *from; /* date on or after */
	const char *to;   /* date on or before */
	const char *id;   /* key (first key field) */
	/* the order: by this field (of the kind, or a pledge's value_eur_cents
	 * or delivered), empty values first, descending when sort_desc (empty
	 * values last), key order among equals; NULL: key order */
	const char *sort;
	int sort_desc;
	int64_t limit;    /* at most this many records, after skipping offset; 0: all */
	int64_t offset;
};

/* Derived figures of a pledge, filled for each pledge when listing pledges. */
struct qm_pledge_extra {
	int64_t value_eur_cents; /* counted value: 0 for a part of a valued package */
	int64_t own_value_eur_cents;
	const char *valuation;   /* "stated", "estimated" or NULL when it has no value */
	const char *counted_in;  /* the valued package it counts in, or NULL */
	int64_t delivered;       /* units delivered */
};

/* Called once per record; rec and extra are owned by the ledger and valid
 * during the call only. Return non-zero to stop. */
typedef int (*qm_record_cb)(void *ctx, const struct qm_record *rec,
	const struct qm_pledge_extra *extra);

/* List records of kind in the filter's order (key order by default)
 * through cb; QM_EUSAGE for a sort field the kind has not. */
int qm_list(struct qm_ledger *l, const char *kind, const struct qm_filter *filter,
	qm_record_cb cb, void *ctx, struct qm_error *err);
/* 1 when records of kind can be listed in the order of field (a field of
 * the kind, or a pledge's value_eur_cents or delivered), else 0. */
int qm_list_sortable(const char *kind, const char *field);
/* How many records of kind the filter lets through (its order, limit and
 * offset aside), into *n. */
int qm_count(struct qm_ledger *l, const char *kind, const struct qm_filter *filter, int64_t *n,
	struct qm_error *err);

/* A record as the JSON object of `qm list --json` (and of the API): its
 * fields in schema order, numbers for quantities, priorities and years,
 * text for the rest, null for empty fields; with extra (pledges), the
 * derived figures too. A new reference the caller owns. */
struct json_t *qm_record_json(const struct qm_record *rec, const struct qm_pledge_extra *extra);

/* The text a JSON value stands for in a field, as a JSON import reads it:
 * a string as it is, a number in the shortest decimal that reads back the
 * same (written into buf), true/false as yes/no, null as empty; NULL for an
 * array or object. The result is v's or buf's. */
const char *qm_json_value_text(const struct json_t *v, char buf[40]);

/* Write every record of kind in the import format (CSV or JSON) to out,
 * in key order; export then import then export gives identical bytes. */
int qm_export(struct qm_ledger *l, const char *kind, enum qm_format format, FILE *out,
	struct qm_error *err);

#endif
