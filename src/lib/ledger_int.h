/*
 * ledger_int.h - what the core's modules share about a ledger and are not
 * for the CLI: the struct itself, reading and writing records as table
 * rows, the journal, and the in-memory tables that validation looks up.
 */
#ifndef QM_LEDGER_INT_H
#define QM_LEDGER_INT_H

#include "../store/store.h"
#include "qm/date.h"
#include "qm/ledger.h"
#include "strmap.h"

struct qm_ledger {
	struct qm_store *store;
	char actor[128];
	int schema_version;
	int migrated_from; /* -1 when nothing was migrated, 0 when created */
	int read_only;     /* qm_ledger_read_only() was called */
};

/* ---- rows.c: records as table rows ---- */

/* "SELECT <fields> FROM <table>" with the fields in schema order; static. */
const char *qm_rows_select_sql(const struct qm_kind *kind);
/* Fill rec from the current row of st, whose first columns are the kind's
 * fields in schema order (as qm_rows_select_sql gives them). */
int qm_rows_read(struct qm_stmt *st, struct qm_record *rec);
/* Bind rec's fields to parameters first..first+nfields-1, without copying:
 * rec must not change until the statement is stepped and reset. */
void qm_rows_bind(struct qm_stmt *st, int first, const struct qm_record *rec);
/* Look rec's key up; returns 1 and fills *found, 0 when absent, -1 on error. */
int qm_rows_find(struct qm_ledger *l, const struct qm_record *key, struct qm_record *found,
	struct qm_error *err);
/* Prepare "head IN (?, ...)" with each of the n values once, bound. */
int qm_rows_prepare_in(struct qm_ledger *l, const char *head, const char *const *values, size_t n,
	struct qm_stmt **st, struct qm_error *err);
/* Look the keys of n records of one kind up in one query. Each stored record
 * found goes into found under its key (qm_record_key) as a struct qm_record
 * that the map owns from then on: release and free it when the map is
 * released. Where the key has two fields, the query asks for the first:
 * found may also hold stored records that share only that with one of the
 * n. Returns QM_OK or a code, filling err. */
int qm_rows_find_keys(struct qm_ledger *l, const struct qm_record *const *keys, size_t n,
	struct strmap *found, struct qm_error *err);
/* Delete the stored records with the keys of n records of a kind whose key
 * is one field, in one statement. Returns QM_OK or a code, filling err. */
int qm_rows_delete_keys(struct qm_ledger *l, const struct qm_record *const *keys, size_t n,
	struct qm_error *err);

/* ---- journal.c ---- */

/* A SHA-256 context reused from entry to entry (OpenSSL's EVP types). */
struct qm_hasher {
	struct evp_md_ctx_st *ctx;
	struct evp_md_st *md;
};

int qm_hasher_init(struct qm_hasher *h, struct qm_error *err);
void qm_hasher_release(struct qm_hasher *h);

/* One change made ready for the journal: its JSON, key and chained hash. */
struct qm_journal_change {
	int64_t seq;
	const char *action, *kind; /* static strings */
	char key[256];
	const char *before, *after; /* JSON, or NULL; in the buffers below */
	char *before_buf, *after_buf; /* owned, reused from change to change */
	size_t before_cap, after_cap;
	char hash[65];
};

void qm_journal_change_release(struct qm_journal_change *c);

struct qm_journal {
	struct qm_ledger *ledger;
	struct qm_stmt *insert;
	int64_t seq;        /* last sequence number */
	char prev[65];      /* hash of the last entry (hex), or 64 zeros for the first */
	char at[32];        /* time of this batch of changes, ISO 8601 UTC */
	struct qm_hasher hasher;
	struct qm_journal_change change; /* for qm_journal_append */
};

/* Begin appending to l's journal (inside the caller's transaction). */
int qm_journal_begin(struct qm_journal *j, struct qm_ledger *l, struct qm_error *err);
/* Make a change ready: number it, serialise before (NULL for a creation)
 * and after, and hash it onto the chain. Changes must then be written in
 * the order they were prepared. */
int qm_journal_prepare(struct qm_journal *j, const char *action, const struct qm_record *before,
	const struct qm_record *after, struct qm_journal_change *c, struct qm_error *err);
/* Write a prepared change; it may run on another thread than prepare. */
int qm_journal_write(struct qm_journal *j, const struct qm_journal_change *c, struct qm_error *err);
/* Prepare and write one change. */
int qm_journal_append(struct qm_journal *j, const char *action, const struct qm_record *before,
	const struct qm_record *after, struct qm_error *err);
void qm_journal_end(struct qm_journal *j);
/* The entry hash of the journal's fields, as 64 hex characters into out. */
void qm_journal_hash(struct qm_hasher *h, const char *prev, int64_t seq, const char *at, const char *actor,
	const char *action, const char *kind, const char *key, const char *before,
	const char *after, char out[65]);

/* The source of the pledges read from the Kiel heavy-weapons table: its
 * totals are cumulative allocations since 2022, dated at the table's cut-off. */
#define QM_KIEL_SOURCE "Kiel Institute for the World Economy, Ukraine Support Tracker, heavy weapons"

/* ---- lookup.c: reference tables loaded for validation ---- */

struct qm_party_info {
	char currency[4];
	int ally;
	int is_nation;
};

struct qm_item_info {
	char *capability;
	int64_t unit_price; /* cents, -1 when none */
	char currency[4];
	qm_day price_date;
};

struct qm_rate_series {
	qm_day *days;       /* ascending */
	int64_t *micro;
	size_t count, cap;
};

struct qm_lookup {
	struct strmap parties; /* code -> struct qm_party_info * */
	struct strmap items;   /* code -> struct qm_item_info * */
	struct strmap rates;   /* currency -> struct qm_rate_series * */
	int loaded_rates;
	struct qm_ledger *lazy_rates; /* when set, a currency's rates are read on first use */
};

/* with_rates: 0 none, 1 every rate now, QM_RATES_LAZY each currency's
 * series when it is first asked for (one record's worth of work). */
#define QM_RATES_LAZY 2
int qm_lookup_load(struct qm_lookup *lk, struct qm_ledger *l, int with_rates, struct qm_error *err);
void qm_lookup_release(struct qm_lookup *lk);
/* Rate (millionths per euro) of currency on the last date on or before day;
 * 1000000 for EUR; -1 when there is none. *rate_day (may be NULL) gets its date. */
int64_t qm_lookup_rate(const struct qm_lookup *lk, const char *currency, qm_day day,
	qm_day *rate_day);
/* Record a party, item or rate in the tables (during an import). */
int qm_lookup_note_party(struct qm_lookup *lk, const struct qm_record *party);
int qm_lookup_note_item(struct qm_lookup *lk, const struct qm_record *item);
int qm_lookup_note_rate(struct qm_lookup *lk, const char *currency, qm_day day, int64_t micro);

/* ---- valuation.c ---- */

/* Value of a pledge in euro cents by its own data (stated amount at the
 * rate of its date, else quantity x unit price at the item's price date).
 * Returns 0 and fills *cents and *valuation ("stated"/"estimated"); 1 when
 * it cannot be valued (no price), with *why; -1 when a rate is missing. */
int qm_value_pledge(const struct qm_lookup *lk, const struct qm_record *pledge, int64_t *cents,
	const char **valuation, const char **why);
/* Recompute stored values of every pledge (after rates, items or package
 * changes): own value, valuation, counted_in and counted value. */
int qm_revalue_all(struct qm_ledger *l, const struct qm_lookup *lk, struct qm_error *err);
/* Recompute only counted_in and value_eur_cents from the package links. */
int qm_revalue_packages(struct qm_ledger *l, struct qm_error *err);
/* A package as qm_counted_in() walks up: 1 and its id as kept by the
 * caller (*key), its own package (*part_of, NULL when none) and whether it
 * states an amount; 0 when id is not known. */
typedef int (*qm_package_up)(void *ctx, const char *id, const char **key, const char **part_of,
	int *states);
/* Where a part of part_of counts: the outermost package above it that
 * states an amount (a key that up gave), or NULL. *known is 0 when up did
 * not know a package on the way, or after more than depth levels (a cycle). */
const char *qm_counted_in(const char *part_of, qm_package_up up, void *ctx, size_t depth, int *known);
/* QM_OK when every pledge's stored values are what its data, the rates and
 * the package links give; QM_EDATA with the first pledge that differs
 * written into bad and what differs into why. Reads only. */
int qm_values_check(struct qm_ledger *l, const struct qm_lookup *lk, char *bad, size_t nbad,
	char *why, size_t nwhy, struct qm_error *err);

#endif
