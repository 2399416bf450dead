/*
 * import.c - the import pipeline: one transaction around all the files of
 * an import, each row validated (field types, required fields, the kind's
 * rules, references, duplicates, delivered quantities) and written with its
 * journal entry as it comes, deferred checks (part_of references and
 * cycles, quantities against deliveries) at the end, and a rollback when
 * anything was wrong or the run is a dry run. Also qm_add(), which is an
 * import of one record given as name=value pairs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "qm/codes.h"
#include "qm/money.h"
#include "import_int.h"
#include "pipe.h"

struct pledge_tally {
	int64_t quantity; /* -1 when the pledge has no quantity */
	int64_t delivered;
	int cancelled;
};

struct position {
	long line, column;
	char path[160];
};

/* A validated row held back until the stored records of its batch are
 * looked up in one query: the record, and where its fields stood (texts
 * and paths copied into strings). */
struct held_row {
	struct qm_record rec;
	struct qm_src_row row;
	char *strings;
};

/* Rows looked up at once when the table has records (one round trip each
 * batch rather than each row, which counts on a database server). */
#define BATCH_ROWS 512

struct deferred_link {
	char *id, *part_of;
	long line, column;
	char *path;
};

struct qm_importer {
	struct qm_ledger *ledger;
	const struct qm_kind *kind;
	const struct qm_import_options *opt;
	struct qm_import_result *res;
	struct qm_diag *diag;
	const char *source;
	struct qm_lookup lookup;
	struct qm_journal journal;
	struct qm_stmt *insert, *update;
	struct qm_record rec, old;
	int fast;              /* the table was empty: no record can exist before */
	int bulk;              /* fast, and the store queues the rows (qm_stmt_defer) */
	/* keys written by this import -> line (num) and, for a JSON row, its
	 * path (ptr); in bulk, pledges -> whether it states an amount (num)
	 * and its part_of (ptr) */
	struct strmap seen;
	struct strmap tallies; /* deliveries: pledge id -> struct pledge_tally */
	struct strmap revised_pledges; /* pledge id -> struct position of its quantity */
	struct held_row *held;  /* [BATCH_ROWS] when rows are looked up in batches */
	size_t nheld;
	struct write_slot *slots; /* [BATCH_ROWS], the held rows planned */
	int delete_revised;     /* revisions: one DELETE a batch, the records queued again */
	struct strmap existing; /* key -> struct qm_record: the held rows' stored records */
	struct deferred_link *links;
	size_t nlinks, caplinks;
	int changed;           /* something was created or revised */
	int packages_touched;  /* a pledge written may change what counts in a package */
	struct write_slot *one;  /* the slot used when not pipelined */
	struct qm_pipe *pipe;    /* the writer thread, while a file is read in the fast path */
	pthread_mutex_t diag_lock; /* the diag is written from both threads */
};

const char *qm_importer_source(const struct qm_importer *imp) { return imp->source; }
const struct qm_kind *qm_importer_kind(const struct qm_importer *imp) { return imp->kind; }
struct qm_lookup *qm_importer_lookup(struct qm_importer *imp) { return &imp->lookup; }
struct qm_ledger *qm_importer_ledger(struct qm_importer *imp) { return imp->ledger; }
const struct qm_import_options *qm_importer_options(const struct qm_importer *imp) { return imp->opt; }
struct qm_import_result *qm_importer_result(struct qm_importer *imp) { return imp->res; }
int qm_importer_full(struct qm_importer *imp)
{
	pthread_mutex_lock(&imp->diag_lock);
	int full = qm_diag_full(imp->diag);
	pthread_mutex_unlock(&imp->diag_lock);
	return full;
}

int qm_importer_error(struct qm_importer *imp, int warning, long line, long column,
	const char *path, const char *field, const char *fmt, ...)
{
	struct qm_error e;
	va_list ap;
	va_start(ap, fmt);
	qm_error_setv(&e, QM_EDATA, fmt, ap);
	va_end(ap);
	e.warning = warning;
	snprintf(e.source, sizeof(e.source), "%s", imp->source);
	e.line = line;
	e.column = column;
	if (path)
		snprintf(e.path, sizeof(e.path), "%s", path);
	if (field)
		snprintf(e.field, sizeof(e.field), "%s", field);
	pthread_mutex_lock(&imp->diag_lock);
	qm_diag_add(imp->diag, &e);
	pthread_mutex_unlock(&imp->diag_lock);
	return warning ? 0 : QM_EDATA;
}

static void internal(struct qm_importer *imp, const struct qm_error *err)
{
	struct qm_error e = *err;
	if (!e.source[0])
		snprintf(e.source, sizeof(e.source), "%s", imp->source);
	pthread_mutex_lock(&imp->diag_lock);
	qm_diag_add(imp->diag, &e);
	pthread_mutex_unlock(&imp->diag_lock);
}

/* An error about field i of row, quoting what was given. */
static int field_error(struct qm_importer *imp, const struct qm_src_row *row, int i,
	const char *expected)
{
	const struct qm_src_field *f = &row->f[i];
	const char *name = imp->kind->fields[i].name;
	char path[160];
	if (row->path && !f->path) {
		snprintf(path, sizeof(path), "%s.%s", row->path, name);
	}
	return qm_importer_error(imp, 0, f->text ? f->line : row->line,
		f->text ? f->column : row->column,
		f->path ? f->path : row->path ? path : NULL, name, "%s, got '%s'", expected,
		f->text ? f->text : "");
}

static int ensure_rate(struct qm_importer *imp, const struct qm_src_row *row, int cur_field,
	const char *currency, qm_day day)
{
	if (qm_lookup_rate(&imp->lookup, currency, day, NULL) >= 0)
		return 0;
	char buf[11], expected[160];
	snprintf(expected, sizeof(expected),
		"a currency with an ECB reference rate on or before %s", qm_date_format(day, buf));
	if (row->f[cur_field].text && *row->f[cur_field].text)
		return field_error(imp, row, cur_field, expected);
	/* the currency was not given: say which default had no rate */
	const struct qm_src_field *amount = &row->f[QM_PLEDGE_AMOUNT];
	return qm_importer_error(imp, 0, amount->line, amount->column, amount->path ? amount->path
		: row->path, "currency", "%s, got '%s' (the donor's currency, as none was given)",
		expected, currency);
}

static int party_known(struct qm_importer *imp, const char *code)
{
	return strmap_get(&imp->lookup.parties, code) != NULL;
}

static int item_known(struct qm_importer *imp, const char *code)
{
	return strmap_get(&imp->lookup.items, code) != NULL;
}

/* A pledge's quantity, status and what its deliveries add up to. */
#define TALLY_SQL                                                                        \
	"SELECT p.id, p.quantity, p.status, (SELECT coalesce(sum(d.quantity), 0) FROM deliveries d" \
	" WHERE d.pledge = p.id) FROM pledges p WHERE p.id"

/* Keep the tally in st's row (TALLY_SQL's columns); NULL when out of memory. */
static struct pledge_tally *tally_keep(struct qm_importer *imp, struct qm_stmt *st,
	struct qm_error *err)
{
	struct pledge_tally *t = calloc(1, sizeof(*t));
	struct strmap_entry *e = t ? strmap_put(&imp->tallies, qm_stmt_text(st, 0), NULL) : NULL;
	if (!e) {
		free(t);
		qm_error_set(err, QM_EINTERNAL, "out of memory");
		return NULL;
	}
	t->quantity = qm_stmt_is_null(st, 1) ? -1 : qm_stmt_int(st, 1);
	t->cancelled = strcmp(qm_stmt_text(st, 2), "cancelled") == 0;
	t->delivered = qm_stmt_int(st, 3);
	free(e->ptr);
	e->ptr = t;
	return t;
}

/* The tally of a pledge, read when first needed; NULL with err->code 0
 * when there is no such pledge. */
static struct pledge_tally *tally_for(struct qm_importer *imp, const char *pledge,
	struct qm_error *err)
{
	struct strmap_entry *e = strmap_get(&imp->tallies, pledge);
	if (e)
		return e->ptr;
	struct qm_stmt *st;
	struct pledge_tally *t = NULL;
	if (qm_store_prepare(imp->ledger->store, TALLY_SQL " = ?", &st, err) != QM_OK)
		return NULL;
	qm_stmt_bind_text(st, 1, pledge);
	int step = qm_stmt_step(st, err);
	if (step == QM_STEP_ROW)
		t = tally_keep(imp, st, err);
	else if (step == QM_STEP_DONE)
		qm_error_clear(err);
	qm_stmt_finalize(st);
	return t;
}

/* Fields that name a party or an item name a known one. This runs even when
 * other fields of the row are malformed, so that every error is reported. */
static int check_references(struct qm_importer *imp, const struct qm_src_row *row,
	const struct qm_record *r)
{
	int bad = 0;
	for (int i = 0; i < imp->kind->nfields; i++) {
		const char *v = qm_record_get(r, i);
		enum qm_ftype t = imp->kind->fields[i].type;
		if (v && t == QM_T_REF_PARTY && !party_known(imp, v))
			bad |= field_error(imp, row, i, "the code of a known party");
		else if (v && t == QM_T_REF_ITEM && !item_known(imp, v))
			bad |= field_error(imp, row, i, "the code of a known item");
		else if (v && t == QM_T_PARTY_LIST && strcmp(v, "allies") != 0) {
			char code[32], expected[96];
			for (const char *p = v; *p;) {
				size_t n = strcspn(p, " ");
				snprintf(code, sizeof(code), "%.*s", (int)n, p);
				if (!party_known(imp, code)) {
					snprintf(expected, sizeof(expected),
						"codes of known parties (%s is not one)", code);
					bad |= field_error(imp, row, i, expected);
					break;
				}
				p += n + (p[n] == ' ');
			}
		}
	}
	return bad;
}

/* The kind's own rules: defaults, combinations and the references that need
 * more than a look-up; check_references() has run. */
static int check_rules(struct qm_importer *imp, const struct qm_src_row *row, struct qm_record *r)
{
	int bad = 0;
	struct qm_error err;

	switch (imp->kind->id) {
	case QM_PARTIES: {
		const char *code = qm_record_get(r, QM_PARTY_CODE);
		int nation = r->num[QM_PARTY_KIND] == 0;
		if (nation && !qm_is_country_code(code))
			bad |= field_error(imp, row, QM_PARTY_CODE, "an ISO 3166-1 alpha-3 country code for a nation");
		if (!nation && qm_is_country_code(code))
			bad |= field_error(imp, row, QM_PARTY_CODE,
				"an organisation code that is not a country code, such as EU");
		if (nation && !qm_record_get(r, QM_PARTY_CURRENCY))
			bad |= field_error(imp, row, QM_PARTY_CURRENCY, "the nation's ISO 4217 currency");
		if (!qm_record_get(r, QM_PARTY_ALLY))
			qm_record_set(r, QM_PARTY_ALLY, "no", 0);
		break;
	}
	case QM_ITEMS: {
		int price = qm_record_get(r, QM_ITEM_UNIT_PRICE) != NULL;
		if (price && !qm_record_get(r, QM_ITEM_CURRENCY))
			bad |= field_error(imp, row, QM_ITEM_CURRENCY, "the currency of unit_price");
		if (price && !qm_record_get(r, QM_ITEM_PRICE_DATE))
			bad |= field_error(imp, row, QM_ITEM_PRICE_DATE, "the date of unit_price");
		if (!price && qm_record_get(r, QM_ITEM_CURRENCY))
			bad |= field_error(imp, row, QM_ITEM_CURRENCY, "no currency without a unit_price");
		if (price && !bad)
			bad |= ensure_rate(imp, row, QM_ITEM_CURRENCY, qm_record_get(r, QM_ITEM_CURRENCY),
				(qm_day)r->num[QM_ITEM_PRICE_DATE]);
		if (!qm_record_get(r, QM_ITEM_UNIT))
			qm_record_set(r, QM_ITEM_UNIT, "unit", 0);
		if (qm_record_get(r, QM_ITEM_CREW_SKILL) && !qm_record_get(r, QM_ITEM_CREW_SIZE))
			bad |= field_error(imp, row, QM_ITEM_CREW_SIZE, "a crew_size with the crew_skill");
		if (qm_record_get(r, QM_ITEM_CREW_SIZE) && !qm_record_get(r, QM_ITEM_CREW_SKILL))
			bad |= field_error(imp, row, QM_ITEM_CREW_SKILL, "a crew_skill with the crew_size");
		if (qm_record_get(r, QM_ITEM_CREW_SKILL)
			&& strcmp(qm_record_get(r, QM_ITEM_CREW_SKILL), qm_record_get(r, QM_ITEM_CAPABILITY)) == 0)
			bad |= field_error(imp, row, QM_ITEM_CREW_SKILL,
				"a skill other than the item's own capability");
		break;
	}
	case QM_RATES:
		if (strcmp(qm_record_get(r, QM_RATE_CURRENCY), "EUR") == 0)
			bad |= field_error(imp, row, QM_RATE_CURRENCY, "a currency other than EUR");
		break;
	case QM_GDP:
		break;
	case QM_PLEDGES: {
		const char *donor = qm_record_get(r, QM_PLEDGE_DONOR);
		const char *item = qm_record_get(r, QM_PLEDGE_ITEM);
		int has_item = item != NULL, has_qty = qm_record_get(r, QM_PLEDGE_QUANTITY) != NULL;
		int has_amount = qm_record_get(r, QM_PLEDGE_AMOUNT) != NULL;
		struct strmap_entry *pe = strmap_get(&imp->lookup.parties, donor);
		if (has_item && !has_qty)
			bad |= field_error(imp, row, QM_PLEDGE_QUANTITY, "a quantity with the item");
		if (has_qty && !has_item)
			bad |= field_error(imp, row, QM_PLEDGE_ITEM, "an item with the quantity");
		if (!has_item && !has_qty && !has_amount)
			bad |= field_error(imp, row, QM_PLEDGE_AMOUNT, "an amount, or an item and quantity");
		if (!has_amount && qm_record_get(r, QM_PLEDGE_CURRENCY))
			bad |= field_error(imp, row, QM_PLEDGE_CURRENCY, "no currency without an amount");
		if (has_amount && !qm_record_get(r, QM_PLEDGE_CURRENCY) && pe) {
			const struct qm_party_info *p = pe->ptr;
			if (p->currency[0])
				qm_record_set(r, QM_PLEDGE_CURRENCY, p->currency, 0);
			else
				bad |= field_error(imp, row, QM_PLEDGE_CURRENCY, "the currency of the amount");
		}
		if (has_amount && qm_record_get(r, QM_PLEDGE_CURRENCY) && !bad)
			bad |= ensure_rate(imp, row, QM_PLEDGE_CURRENCY,
				qm_record_get(r, QM_PLEDGE_CURRENCY), (qm_day)r->num[QM_PLEDGE_DATE]);
		if (!qm_record_get(r, QM_PLEDGE_STATUS))
			qm_record_set(r, QM_PLEDGE_STATUS, "announced", 0);
		if (!qm_record_get(r, QM_PLEDGE_AVAILABLE))
			qm_record_set(r, QM_PLEDGE_AVAILABLE, qm_record_get(r, QM_PLEDGE_DATE),
				r->num[QM_PLEDGE_DATE]);
		if (!qm_record_get(r, QM_PLEDGE_COST_TYPE))
			qm_record_set(r, QM_PLEDGE_COST_TYPE, has_item ? "in-kind" : "purchase", has_item);
		if (!qm_record_get(r, QM_PLEDGE_CHANNEL))
			qm_record_set(r, QM_PLEDGE_CHANNEL, "bilateral", 0);
		const char *part_of = qm_record_get(r, QM_PLEDGE_PART_OF);
		if (part_of && strcmp(part_of, qm_record_get(r, QM_PLEDGE_ID)) == 0)
			bad |= field_error(imp, row, QM_PLEDGE_PART_OF,
				"a package other than the pledge itself (a part_of cycle)");
		break;
	}
	case QM_DELIVERIES: {
		const char *pledge = qm_record_get(r, QM_DELIVERY_PLEDGE);
		struct pledge_tally *t = tally_for(imp, pledge, &err);
		if (!t && err.code) {
			internal(imp, &err);
			return err.code;
		}
		if (!t)
			bad |= field_error(imp, row, QM_DELIVERY_PLEDGE, "the id of a known pledge");
		else if (t->quantity < 0)
			bad |= field_error(imp, row, QM_DELIVERY_PLEDGE,
				"a pledge of an item and quantity (this one pledges only money)");
		else if (t->cancelled)
			bad |= field_error(imp, row, QM_DELIVERY_PLEDGE, "a pledge that is not cancelled");
		break;
	}
	case QM_REQUIREMENTS: {
		int cap = qm_record_get(r, QM_REQ_CAPABILITY) != NULL;
		const char *item = qm_record_get(r, QM_REQ_ITEM);
		if (cap == (item != NULL))
			bad |= field_error(imp, row, cap ? QM_REQ_ITEM : QM_REQ_CAPABILITY,
				"exactly one of capability and item");
		break;
	}
	case QM_COURSES:
		if (r->num[QM_COURSE_END] < r->num[QM_COURSE_START])
			bad |= field_error(imp, row, QM_COURSE_END, "a date on or after start");
		if (!qm_record_get(r, QM_COURSE_STATUS))
			qm_record_set(r, QM_COURSE_STATUS, "announced", 0);
		break;
	case QM_FRAMEWORKS: {
		if (r->num[QM_FW_END] < r->num[QM_FW_START])
			bad |= field_error(imp, row, QM_FW_END, "a date on or after start");
		const char *exempt = qm_record_get(r, QM_FW_EXEMPT);
		if (exempt && strcmp(exempt, "allies") == 0)
			bad |= field_error(imp, row, QM_FW_EXEMPT, "party codes separated by spaces");
		if (!qm_record_get(r, QM_FW_CURRENCY))
			qm_record_set(r, QM_FW_CURRENCY, "EUR", 0);
		const char *cur = qm_record_get(r, QM_FW_CURRENCY);
		if (strcmp(cur, "EUR") != 0 && !bad)
			bad |= ensure_rate(imp, row, QM_FW_CURRENCY, cur, (qm_day)r->num[QM_FW_START]);
		if (!qm_record_get(r, QM_FW_PARTIES))
			qm_record_set(r, QM_FW_PARTIES, "allies", 0);
		if (!qm_record_get(r, QM_FW_COUNTS))
			qm_record_set(r, QM_FW_COUNTS, "committed", 1);
		if (!qm_record_get(r, QM_FW_COST_TYPES)) {
			char all[256] = "";
			size_t used = 0;
			int n = 0;
			for (; qm_cost_types[n]; n++)
				used += (size_t)snprintf(all + used, sizeof(all) - used, "%s%s",
					n ? " " : "", qm_cost_types[n]);
			qm_record_set(r, QM_FW_COST_TYPES, all, n);
		}
		break;
	}
	case QM_KIND_COUNT:
		break;
	}
	return bad ? QM_EDATA : QM_OK;
}

static int prepare_writes(struct qm_importer *imp, struct qm_error *err)
{
	const struct qm_kind *k = imp->kind;
	char sql[1024];
	size_t used = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s(", k->name);
	for (int i = 0; i < k->nfields; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s\"%s\"", i ? ", " : "",
			k->fields[i].name);
	if (k->id == QM_PLEDGES)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
			", own_value_eur_cents, valuation, value_eur_cents, counted_in");
	used += (size_t)snprintf(sql + used, sizeof(sql) - used, ") VALUES(");
	int n = k->nfields + (k->id == QM_PLEDGES ? 4 : 0);
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s?", i ? ", " : "");
	snprintf(sql + used, sizeof(sql) - used, ")");
	int rc = qm_store_prepare(imp->ledger->store, sql, &imp->insert, err);
	if (rc != QM_OK)
		return rc;

	used = (size_t)snprintf(sql, sizeof(sql), "UPDATE %s SET ", k->name);
	for (int i = 0; i < k->nfields; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s\"%s\" = ?", i ? ", " : "",
			k->fields[i].name);
	if (k->id == QM_PLEDGES)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
			", own_value_eur_cents = ?, valuation = ?, value_eur_cents = ?");
	used += (size_t)snprintf(sql + used, sizeof(sql) - used, " WHERE ");
	for (int i = 0; i < k->nkeys; i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s\"%s\" = ?", i ? " AND " : "",
			k->fields[i].name);
	return qm_store_prepare(imp->ledger->store, sql, &imp->update, err);
}

static int add_link(struct qm_importer *imp, const struct qm_src_row *row)
{
	const struct qm_src_field *f = &row->f[QM_PLEDGE_PART_OF];
	if (imp->nlinks == imp->caplinks) {
		size_t cap = imp->caplinks ? imp->caplinks * 2 : 64;
		struct deferred_link *nl = realloc(imp->links, cap * sizeof(*nl));
		if (!nl)
			return -1;
		imp->links = nl;
		imp->caplinks = cap;
	}
	struct deferred_link *k = &imp->links[imp->nlinks++];
	k->id = strdup(qm_record_get(&imp->rec, QM_PLEDGE_ID));
	k->part_of = strdup(qm_record_get(&imp->rec, QM_PLEDGE_PART_OF));
	k->line = f->line;
	k->column = f->column;
	k->path = NULL;
	if (f->path)
		k->path = strdup(f->path);
	else if (row->path) {
		char p[160];
		snprintf(p, sizeof(p), "%s.part_of", row->path);
		k->path = strdup(p);
	}
	return k->id && k->part_of ? 0 : -1;
}

/* A record decided on and made ready to write: what do_write() needs. */
struct write_slot {
	struct qm_record rec;
	int exists;
	int valued;
	const char *counted_in; /* bulk: the package it counts in, known when planned */
	int64_t cents;
	const char *valuation;
	struct qm_journal_change change;
	long line, column; /* of the key, for a duplicate found by the database */
	char path[160];
};

static void free_tally(void *p) { free(p); }

static void free_record(void *p)
{
	if (p)
		qm_record_release(p);
	free(p);
}

static void release_slot(void *p)
{
	struct write_slot *s = p;
	qm_record_release(&s->rec);
	qm_journal_change_release(&s->change);
}

/* The stored record of key into imp->old, from what flush_held() looked
 * up: 1, 0 when there is none, -1 when out of memory. */
static int existing_find(struct qm_importer *imp, const char *key, struct qm_error *err)
{
	struct strmap_entry *e = strmap_get(&imp->existing, key);
	if (!e)
		return 0;
	if (qm_record_copy(&imp->old, e->ptr) < 0)
		return qm_error_set(err, QM_EINTERNAL, "out of memory"), -1;
	return 1;
}

/* qm_package_up over the seen map of a bulk import */
static int seen_up(void *ctx, const char *id, const char **key, const char **part_of, int *states)
{
	struct strmap_entry *e = strmap_get(ctx, id);
	if (!e)
		return 0;
	*key = e->key;
	*part_of = e->ptr;
	*states = (int)e->num;
	return 1;
}

/*
 * Decide what imp->rec becomes: new, a revision, or unchanged (1 is
 * returned then, and nothing is to be written). Checks what needs the rows
 * before it (duplicates, delivered quantities), values a pledge, prepares
 * the journal entry and fills *s for do_write(). Runs on the reading thread.
 */
static int plan_write(struct qm_importer *imp, const struct qm_src_row *row, struct write_slot *s)
{
	struct qm_error err;
	char key[256];
	int exists = 0, rc;
	const struct qm_kind *k = imp->kind;

	qm_error_clear(&err);
	qm_record_key(&imp->rec, key, sizeof(key));
	if (!imp->fast) {
		int created;
		struct strmap_entry *e = strmap_put(&imp->seen, key, &created);
		if (!e)
			return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
		if (!created) {
			char expected[128];
			if (e->ptr)
				snprintf(expected, sizeof(expected),
					"a key not used by an earlier row (%s has it)", (const char *)e->ptr);
			else
				snprintf(expected, sizeof(expected),
					"a key not used by an earlier row (line %ld has it)", (long)e->num);
			return field_error(imp, row, 0, expected);
		}
		e->num = row->line;
		/* a JSON row is known by its path */
		if (row->path && !(e->ptr = strdup(row->path)))
			return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
		exists = imp->held ? existing_find(imp, key, &err)
			: qm_rows_find(imp->ledger, &imp->rec, &imp->old, &err);
		if (exists < 0) {
			internal(imp, &err);
			return err.code;
		}
	} else if (imp->bulk) {
		/* queued rows meet no key constraint until later: find a key used
		 * twice here, and say what do_write() says of a duplicate */
		int created;
		struct strmap_entry *e = strmap_put(&imp->seen, key, &created);
		if (!e)
			return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
		if (!created) {
			const struct qm_src_field *kf = &row->f[0];
			char path[160];
			path[0] = '\0';
			if (kf->path || row->path)
				snprintf(path, sizeof(path), "%s%s%s", kf->path ? kf->path : row->path,
					kf->path ? "" : ".", kf->path ? "" : k->fields[0].name);
			qm_importer_error(imp, 0, kf->text ? kf->line : row->line,
				kf->text ? kf->column : row->column, path[0] ? path : NULL, k->fields[0].name,
				"a key not used by an earlier row of this import, got '%s'", key);
			return QM_EDATA;
		}
		const char *part_of = k->id == QM_PLEDGES ? qm_record_get(&imp->rec, QM_PLEDGE_PART_OF) : NULL;
		e->num = k->id == QM_PLEDGES && qm_record_get(&imp->rec, QM_PLEDGE_AMOUNT);
		if (part_of && !(e->ptr = strdup(part_of)))
			return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
	}

	/* deliveries: the pledged quantity may not be passed */
	if (k->id == QM_DELIVERIES) {
		if (exists) {
			struct pledge_tally *old = tally_for(imp, qm_record_get(&imp->old, QM_DELIVERY_PLEDGE), &err);
			if (old)
				old->delivered -= imp->old.num[QM_DELIVERY_QUANTITY];
		}
		struct pledge_tally *t = tally_for(imp, qm_record_get(&imp->rec, QM_DELIVERY_PLEDGE), &err);
		int64_t q = imp->rec.num[QM_DELIVERY_QUANTITY];
		if (t && t->delivered + q > t->quantity) {
			char expected[200];
			snprintf(expected, sizeof(expected),
				"at most %lld (pledge '%s' has %lld, %lld delivered already)",
				(long long)(t->quantity - t->delivered > 0 ? t->quantity - t->delivered : 0),
				qm_record_get(&imp->rec, QM_DELIVERY_PLEDGE), (long long)t->quantity,
				(long long)t->delivered);
			if (exists) {
				struct pledge_tally *old = tally_for(imp, qm_record_get(&imp->old, QM_DELIVERY_PLEDGE), &err);
				if (old)
					old->delivered += imp->old.num[QM_DELIVERY_QUANTITY];
			}
			return field_error(imp, row, QM_DELIVERY_QUANTITY, expected);
		}
		if (t)
			t->delivered += q;
	}

	if (exists && qm_record_equal(&imp->old, &imp->rec)) {
		imp->res->unchanged++;
		return 1;
	}
	if (qm_record_copy(&s->rec, &imp->rec) < 0)
		return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
	s->exists = exists;
	s->valued = k->id == QM_PLEDGES
		&& qm_value_pledge(&imp->lookup, &imp->rec, &s->cents, &s->valuation, &(const char *){0}) == 0;
	const struct qm_src_field *kf = &row->f[0];
	s->line = kf->text ? kf->line : row->line;
	s->column = kf->text ? kf->column : row->column;
	s->path[0] = '\0';
	if (kf->path || row->path)
		snprintf(s->path, sizeof(s->path), "%s%s%s", kf->path ? kf->path : row->path,
			kf->path ? "" : ".", kf->path ? "" : k->fields[0].name);
	rc = qm_journal_prepare(&imp->journal, exists ? "revise" : "create", exists ? &imp->old : NULL,
		&imp->rec, &s->change, &err);
	if (rc != QM_OK) {
		internal(imp, &err);
		return rc;
	}
	if (exists)
		imp->res->revised++;
	else
		imp->res->created++;
	imp->changed = 1;
	/* a new pledge that is no part cannot be a package yet (part_of names
	 * pledges that exist), so only parts and revisions move counted values;
	 * in bulk, every package is a row of this import, and a part whose
	 * packages all came before it is written counted where it counts */
	const char *part_of = k->id == QM_PLEDGES ? qm_record_get(&imp->rec, QM_PLEDGE_PART_OF) : NULL;
	s->counted_in = NULL;
	if (exists || part_of) {
		int known = 0;
		if (imp->bulk && part_of)
			s->counted_in = qm_counted_in(part_of, seen_up, &imp->seen, 64, &known);
		if (!known) {
			s->counted_in = NULL;
			imp->packages_touched = 1;
		}
	}

	switch (k->id) {
	case QM_PARTIES:
		qm_lookup_note_party(&imp->lookup, &imp->rec);
		break;
	case QM_ITEMS:
		qm_lookup_note_item(&imp->lookup, &imp->rec);
		break;
	case QM_PLEDGES:
		if (qm_record_get(&imp->rec, QM_PLEDGE_PART_OF) && add_link(imp, row) < 0)
			return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
		if (exists) {
			/* where its quantity stands, should deliveries exceed it */
			struct strmap_entry *e = strmap_put(&imp->revised_pledges, key, NULL);
			struct position *at = e ? calloc(1, sizeof(*at)) : NULL;
			const struct qm_src_field *q = &row->f[QM_PLEDGE_QUANTITY];
			if (!at)
				return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;
			free(e->ptr);
			e->ptr = at;
			at->line = q->text ? q->line : row->line;
			at->column = q->text ? q->column : row->column;
			if (q->path || row->path)
				snprintf(at->path, sizeof(at->path), "%s%s", q->path ? q->path : row->path,
					q->path ? "" : ".quantity");
		}
		break;
	default:
		break;
	}
	return QM_OK;
}

/* Write a planned record, without its journal entry. Returns QM_OK,
 * QM_EDATA after reporting a duplicate key, or the code of a failure that
 * stops the import. */
static int write_record(struct qm_importer *imp, struct write_slot *s, int update)
{
	struct qm_error err;
	const struct qm_kind *k = imp->kind;
	struct qm_stmt *st = update ? imp->update : imp->insert;
	int next = k->nfields + 1, rc;

	qm_error_clear(&err);
	qm_rows_bind(st, 1, &s->rec);
	if (k->id == QM_PLEDGES) {
		if (s->valued) {
			qm_stmt_bind_int(st, next, s->cents);
			qm_stmt_bind_text_static(st, next + 1, s->valuation);
		} else {
			qm_stmt_bind_null(st, next);
			qm_stmt_bind_null(st, next + 1);
		}
		/* what counts in a package counts 0 itself */
		if (s->counted_in)
			qm_stmt_bind_int(st, next + 2, 0);
		else if (s->valued)
			qm_stmt_bind_int(st, next + 2, s->cents);
		else
			qm_stmt_bind_null(st, next + 2);
		next += 3;
		if (!update)
			qm_stmt_bind_text_static(st, next++, s->counted_in);
	}
	if (update)
		for (int i = 0; i < k->nkeys; i++) {
			if (qm_ftype_is_numeric(k->fields[i].type))
				qm_stmt_bind_int(st, next + i, s->rec.num[i]);
			else
				qm_stmt_bind_text_static(st, next + i, qm_record_get(&s->rec, i));
		}
	rc = qm_stmt_step(st, &err);
	qm_stmt_reset(st);
	if (rc == QM_STEP_CONSTRAINT) {
		char key[256];
		return qm_importer_error(imp, 0, s->line, s->column, s->path[0] ? s->path : NULL,
			k->fields[0].name, "a key not used by an earlier row of this import, got '%s'",
			qm_record_key(&s->rec, key, sizeof(key)));
	}
	if (rc != QM_STEP_DONE) {
		internal(imp, &err);
		return err.code;
	}
	return QM_OK;
}

static int write_entry(struct qm_importer *imp, struct write_slot *s)
{
	struct qm_error err;
	int rc = qm_journal_write(&imp->journal, &s->change, &err);
	if (rc != QM_OK)
		internal(imp, &err);
	return rc;
}

/* Write a planned record and its journal entry. Runs on the writing thread
 * when the import is pipelined. Returns what write_record() does. */
static int do_write(struct qm_importer *imp, struct write_slot *s)
{
	int rc = write_record(imp, s, s->exists);
	return rc == QM_OK ? write_entry(imp, s) : rc;
}

/* The pipe's worker: write each slot; stop the import on a failure. */
static int write_slot(void *ctx, void *slot)
{
	int rc = do_write(ctx, slot);
	return rc == QM_EDATA ? 0 : rc;
}

/* Check the kind's rules on imp->rec, read from row, then plan it and write
 * it here or hand it to the writing thread. QM_OK, or a code that stops
 * the import. */
static int check_and_write(struct qm_importer *imp, const struct qm_src_row *row)
{
	struct write_slot *s = imp->pipe ? qm_pipe_slot(imp->pipe) : imp->one;
	if (!s)
		return QM_EINTERNAL; /* the writer failed and said why */
	int rc = check_rules(imp, row, &imp->rec);
	if (rc == QM_OK)
		rc = plan_write(imp, row, s);
	if (rc == QM_OK && imp->pipe)
		qm_pipe_push(imp->pipe);
	else if (rc == QM_OK)
		rc = do_write(imp, s);
	return rc == QM_EDATA || rc == 1 ? QM_OK : rc;
}

/* Deliveries: read the tallies of the pledges the held rows name (and
 * those that revised rows had) in one query, before check_rules() and
 * plan_write() ask for them one by one. */
static int prefetch_tallies(struct qm_importer *imp, struct qm_error *err)
{
	const char *ids[2 * BATCH_ROWS];
	size_t n = 0;
	for (size_t i = 0; i < imp->nheld; i++) {
		const struct qm_record *r = &imp->held[i].rec;
		char key[256];
		struct strmap_entry *old = strmap_get(&imp->existing, qm_record_key(r, key, sizeof(key)));
		const char *pledges[2] = {qm_record_get(r, QM_DELIVERY_PLEDGE),
			old ? qm_record_get(old->ptr, QM_DELIVERY_PLEDGE) : NULL};
		for (int j = 0; j < 2; j++)
			if (pledges[j] && !strmap_get(&imp->tallies, pledges[j]))
				ids[n++] = pledges[j];
	}
	if (n == 0)
		return QM_OK;
	struct qm_stmt *st;
	int rc = qm_rows_prepare_in(imp->ledger, TALLY_SQL, ids, n, &st, err), step;
	if (rc != QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW)
		if (!tally_keep(imp, st, err)) {
			step = QM_STEP_ERROR;
			break;
		}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

/* Look up the stored records of the held rows in one query, then check and
 * plan each, in the order they were read, and write them. Where the store
 * queues rows (PostgreSQL's COPY), the revised records are deleted in one
 * statement and queued again with the new ones and the journal entries;
 * elsewhere each revision is an UPDATE, before any row is queued. */
static int flush_held(struct qm_importer *imp)
{
	const struct qm_record *keys[BATCH_ROWS];
	struct qm_error err;
	size_t nplanned = 0;
	int rc;

	qm_error_clear(&err);
	strmap_release(&imp->existing, free_record);
	strmap_init(&imp->existing);
	for (size_t i = 0; i < imp->nheld; i++)
		keys[i] = &imp->held[i].rec;
	rc = qm_rows_find_keys(imp->ledger, keys, imp->nheld, &imp->existing, &err);
	if (rc == QM_OK && imp->kind->id == QM_DELIVERIES)
		rc = prefetch_tallies(imp, &err);
	if (rc != QM_OK)
		internal(imp, &err);
	for (size_t i = 0; rc == QM_OK && i < imp->nheld; i++) {
		if (qm_record_copy(&imp->rec, &imp->held[i].rec) < 0) {
			rc = qm_error_set(&err, QM_EINTERNAL, "out of memory");
			internal(imp, &err);
			break;
		}
		rc = check_rules(imp, &imp->held[i].row, &imp->rec);
		if (rc == QM_OK)
			rc = plan_write(imp, &imp->held[i].row, &imp->slots[nplanned]);
		nplanned += rc == QM_OK;
		if (rc == QM_EDATA || rc == 1)
			rc = QM_OK;
	}
	imp->nheld = 0;
	size_t nrevised = 0;
	for (size_t i = 0; imp->delete_revised && i < nplanned; i++)
		if (imp->slots[i].exists)
			keys[nrevised++] = &imp->slots[i].rec;
	if (rc == QM_OK && (rc = qm_rows_delete_keys(imp->ledger, keys, nrevised, &err)) != QM_OK)
		internal(imp, &err);
	for (int revised = 1; revised >= 0; revised--)
		for (size_t i = 0; rc == QM_OK && i < nplanned; i++) {
			struct write_slot *s = &imp->slots[i];
			int update = s->exists && !imp->delete_revised;
			if (update == revised && (rc = write_record(imp, s, update)) == QM_EDATA)
				rc = QM_OK;
		}
	for (size_t i = 0; rc == QM_OK && i < nplanned; i++)
		rc = write_entry(imp, &imp->slots[i]);
	return rc;
}

/* A copy of text at *p, which moves past it; NULL stays NULL. */
static const char *keep_text(char **p, const char *text)
{
	if (!text)
		return NULL;
	size_t n = strlen(text) + 1;
	char *at = memcpy(*p, text, n);
	*p += n;
	return at;
}

/* Hold imp->rec and where row's fields stood until the batch is full. */
static int hold_row(struct qm_importer *imp, const struct qm_src_row *row)
{
	struct held_row *h = &imp->held[imp->nheld];
	const struct qm_kind *k = imp->kind;
	size_t need = row->path ? strlen(row->path) + 1 : 1;
	for (int i = 0; i < k->nfields; i++)
		need += (row->f[i].text ? strlen(row->f[i].text) + 1 : 0)
			+ (row->f[i].path ? strlen(row->f[i].path) + 1 : 0);
	char *p = realloc(h->strings, need);
	if (!p || qm_record_copy(&h->rec, &imp->rec) < 0) {
		struct qm_error err;
		if (p)
			h->strings = p;
		qm_error_set(&err, QM_EINTERNAL, "out of memory");
		internal(imp, &err);
		return QM_EINTERNAL;
	}
	h->strings = p;
	memset(&h->row, 0, sizeof(h->row));
	h->row.line = row->line;
	h->row.column = row->column;
	h->row.path = keep_text(&p, row->path);
	for (int i = 0; i < k->nfields; i++) {
		h->row.f[i] = row->f[i];
		h->row.f[i].text = keep_text(&p, row->f[i].text);
		h->row.f[i].path = keep_text(&p, row->f[i].path);
	}
	return ++imp->nheld == BATCH_ROWS ? flush_held(imp) : QM_OK;
}

int qm_importer_row(struct qm_importer *imp, const struct qm_src_row *row)
{
	char expected[256];
	int bad = 0;
	const struct qm_kind *k = imp->kind;

	imp->res->records++;
	if (imp->opt && imp->opt->progress && imp->res->records % 50000 == 0)
		imp->opt->progress(imp->opt->progress_ctx, imp->source, imp->res->records);
	qm_record_clear(&imp->rec);
	for (int i = 0; i < k->nfields; i++) {
		const char *text = row->f[i].text;
		if (text && *text && qm_field_parse(&imp->rec, i, text, expected, sizeof(expected)) < 0) {
			bad |= field_error(imp, row, i, expected);
			continue;
		}
		if ((!text || !*text) && (k->fields[i].flags & QM_F_REQUIRED)) {
			snprintf(expected, sizeof(expected), "a value (%s is required)", k->fields[i].name);
			bad |= field_error(imp, row, i, expected);
		}
	}
	bad |= check_references(imp, row, &imp->rec);
	if (bad)
		return QM_OK;
	return imp->held ? hold_row(imp, row) : check_and_write(imp, row);
}

/* The stored links: each part's package into parent (part -> part_of,
 * copied), and the packages named that are no pledge into missing. Two
 * queries, however many links (a round trip per link costs a server dearly). */
static int read_stored_links(struct qm_importer *imp, struct strmap *parent, struct strmap *missing)
{
	struct qm_error err;
	struct qm_stmt *st;
	int step = QM_STEP_DONE;
	int rc = qm_store_prepare(imp->ledger->store,
		"SELECT id, part_of FROM pledges WHERE part_of IS NOT NULL", &st, &err);
	while (rc == QM_OK && (step = qm_stmt_step(st, &err)) == QM_STEP_ROW) {
		struct strmap_entry *e = strmap_put(parent, qm_stmt_text(st, 0), NULL);
		if (e)
			e->ptr = strdup(qm_stmt_text(st, 1));
	}
	if (rc == QM_OK) {
		qm_stmt_finalize(st);
		rc = qm_store_prepare(imp->ledger->store, "SELECT DISTINCT p.part_of FROM pledges p"
			" WHERE p.part_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pledges q WHERE q.id = p.part_of)",
			&st, &err);
	}
	while (rc == QM_OK && (step = qm_stmt_step(st, &err)) == QM_STEP_ROW)
		if (!strmap_put(missing, qm_stmt_text(st, 0), NULL))
			step = QM_STEP_ERROR, qm_error_set(&err, QM_EINTERNAL, "out of memory");
	if (rc == QM_OK) {
		qm_stmt_finalize(st);
		if (step != QM_STEP_DONE)
			rc = err.code;
	}
	if (rc != QM_OK)
		internal(imp, &err);
	return rc;
}

/* part_of: every package exists and no chain returns to where it started. */
static int check_links(struct qm_importer *imp)
{
	struct strmap parent, missing;
	int rc = QM_OK;

	if (imp->nlinks == 0)
		return QM_OK;
	strmap_init(&parent);
	strmap_init(&missing);
	/* in bulk the table was empty: every pledge is a row of this import,
	 * in the seen map with its part_of */
	const struct strmap *parents = imp->bulk ? &imp->seen : &parent;
	if (!imp->bulk)
		rc = read_stored_links(imp, &parent, &missing);
	/* a chain longer than the parts there are has a cycle */
	size_t parts = parent.count + imp->nlinks;
	for (size_t i = 0; rc == QM_OK && i < imp->nlinks; i++) {
		struct deferred_link *k = &imp->links[i];
		if (imp->bulk ? !strmap_get(&imp->seen, k->part_of) : strmap_get(&missing, k->part_of) != NULL) {
			qm_importer_error(imp, 0, k->line, k->column, k->path, "part_of",
				"the id of a known pledge (here or in the ledger), got '%s'", k->part_of);
			continue;
		}
		const char *up = k->part_of;
		for (size_t depth = 0; up && depth <= parts; depth++) {
			if (strcmp(up, k->id) == 0) {
				qm_importer_error(imp, 0, k->line, k->column, k->path, "part_of",
					"a package that is not, through its own packages, part of '%s'"
					" (a part_of cycle), got '%s'", k->id, k->part_of);
				break;
			}
			struct strmap_entry *e = strmap_get(parents, up);
			up = e ? e->ptr : NULL;
		}
	}
	strmap_release(&missing, NULL);
	strmap_release(&parent, free);
	return rc;
}

/* Revised pledges may not fall below what was delivered against them. */
static int check_revised_quantities(struct qm_importer *imp)
{
	struct qm_error err;
	struct qm_stmt *st;
	int step;
	if (imp->revised_pledges.count == 0)
		return QM_OK;
	int rc = qm_store_prepare(imp->ledger->store,
		"SELECT p.id, p.quantity, sum(d.quantity) FROM pledges p JOIN deliveries d"
		" ON d.pledge = p.id GROUP BY p.id, p.quantity"
		" HAVING sum(d.quantity) > coalesce(p.quantity, 0) ORDER BY p.id", &st, &err);
	if (rc != QM_OK) {
		internal(imp, &err);
		return rc;
	}
	while ((step = qm_stmt_step(st, &err)) == QM_STEP_ROW) {
		struct strmap_entry *e = strmap_get(&imp->revised_pledges, qm_stmt_text(st, 0));
		if (!e)
			continue;
		const struct position *at = e->ptr;
		qm_importer_error(imp, 0, at->line, at->column, at->path[0] ? at->path : NULL, "quantity",
			"at least %lld, the units already delivered against pledge '%s', got '%s'",
			(long long)qm_stmt_int(st, 2), qm_stmt_text(st, 0),
			qm_stmt_is_null(st, 1) ? "" : qm_stmt_text(st, 1));
	}
	qm_stmt_finalize(st);
	return QM_OK;
}

/* Hold rows back to look them up in batches: the table has records, and
 * no row's checks depend on what the rows before it wrote (a party or an
 * item may name one created earlier in the same file). */
static int start_batches(struct qm_importer *imp)
{
	if (imp->kind->id == QM_PARTIES || imp->kind->id == QM_ITEMS)
		return QM_OK;
	imp->held = calloc(BATCH_ROWS, sizeof(*imp->held));
	imp->slots = calloc(BATCH_ROWS, sizeof(*imp->slots));
	if (!imp->held || !imp->slots) {
		struct qm_error err;
		free(imp->held);
		free(imp->slots);
		imp->held = NULL;
		imp->slots = NULL;
		qm_error_set(&err, QM_EINTERNAL, "out of memory");
		internal(imp, &err);
		return QM_EINTERNAL;
	}
	for (size_t i = 0; i < BATCH_ROWS; i++) {
		qm_record_init(&imp->held[i].rec, imp->kind);
		qm_record_init(&imp->slots[i].rec, imp->kind);
	}
	/* no row written here can meet a key stored before: queue them, and
	 * revise a record by deleting it and queueing it again where its key
	 * is one field */
	imp->delete_revised = qm_stmt_defer(imp->insert) && qm_stmt_defer(imp->journal.insert)
		&& imp->kind->nkeys == 1;
	return QM_OK;
}

static int open_input(struct qm_importer *imp, const char *path, FILE **fp)
{
	if (strcmp(path, "-") == 0) {
		*fp = stdin;
		return QM_OK;
	}
	*fp = fopen(path, "rb");
	if (*fp && fgetc(*fp) == EOF && ferror(*fp)) {
		/* a directory opens but cannot be read */
		struct qm_error e;
		qm_error_set(&e, QM_EIO, "cannot read '%s': %s", path, strerror(errno));
		qm_diag_add(imp->diag, &e);
		fclose(*fp);
		return QM_EIO;
	}
	if (*fp)
		rewind(*fp);
	if (!*fp) {
		struct qm_error e;
		int code = errno == ENOENT ? QM_ENOINPUT : QM_EIO;
		qm_error_set(&e, code, "cannot open '%s': %s", path, strerror(errno));
		qm_diag_add(imp->diag, &e);
		return code;
	}
	return QM_OK;
}

static enum qm_format format_of(const char *path, enum qm_format given)
{
	if (given != QM_FORMAT_AUTO)
		return given;
	const char *dot = strrchr(path, '.');
	if (dot && strcmp(dot, ".json") == 0)
		return QM_FORMAT_JSON;
	return QM_FORMAT_CSV;
}

static int is_empty_file(FILE *fp)
{
	int c = getc(fp);
	if (c == EOF)
		return 1;
	ungetc(c, fp);
	return 0;
}

static int importer_start(struct qm_importer *imp, struct qm_ledger *l, int single,
	const struct qm_kind *kind, const struct qm_import_options *opt,
	struct qm_import_result *res, struct qm_diag *diag)
{
	static const struct qm_import_options defaults;
	struct qm_error err;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(imp, 0, sizeof(*imp));
	imp->ledger = l;
	imp->kind = kind;
	imp->opt = opt ? opt : &defaults;
	imp->res = res;
	imp->diag = diag;
	imp->source = "";
	qm_record_init(&imp->rec, kind);
	qm_record_init(&imp->old, kind);
	strmap_init(&imp->seen);
	strmap_init(&imp->tallies);
	strmap_init(&imp->revised_pledges);
	strmap_init(&imp->existing);
	pthread_mutex_init(&imp->diag_lock, NULL);
	qm_error_clear(&err);
	imp->one = calloc(1, sizeof(*imp->one));
	if (!imp->one)
		return qm_error_set(&err, QM_EINTERNAL, "out of memory"), internal(imp, &err), QM_EINTERNAL;

	int need_rates = kind->id == QM_PLEDGES || kind->id == QM_ITEMS || kind->id == QM_RATES
		|| kind->id == QM_FRAMEWORKS;
	/* one pledge or framework needs the rates of one or two currencies, not all */
	if (single && (kind->id == QM_PLEDGES || kind->id == QM_FRAMEWORKS))
		need_rates = QM_RATES_LAZY;
	rc = qm_store_begin(l->store, &err);
	if (rc == QM_OK)
		rc = qm_lookup_load(&imp->lookup, l, need_rates, &err);
	if (rc == QM_OK)
		rc = qm_journal_begin(&imp->journal, l, &err);
	if (rc == QM_OK)
		rc = prepare_writes(imp, &err);
	if (rc == QM_OK) {
		char sql[128];
		struct qm_stmt *st;
		snprintf(sql, sizeof(sql), "SELECT 1 FROM %s LIMIT 1", kind->name);
		rc = qm_store_prepare(l->store, sql, &st, &err);
		if (rc == QM_OK) {
			imp->fast = qm_stmt_step(st, &err) == QM_STEP_DONE && kind->id != QM_DELIVERIES;
			qm_stmt_finalize(st);
		}
		/* rows that need no reads can go in bulk (COPY on PostgreSQL) */
		if (rc == QM_OK && imp->fast && !single)
			imp->bulk = qm_stmt_defer(imp->insert) && qm_stmt_defer(imp->journal.insert);
	}
	if (rc != QM_OK)
		internal(imp, &err);
	else if (!imp->fast && !single)
		rc = start_batches(imp);
	return rc;
}

/* Deferred checks, revaluation, then commit or roll back; frees imp. */
static int importer_finish(struct qm_importer *imp, int rc)
{
	struct qm_ledger *l = imp->ledger;
	const struct qm_kind *kind = imp->kind;
	struct qm_diag *diag = imp->diag;
	struct qm_error err;

	qm_error_clear(&err);
	if (rc == QM_OK && kind->id == QM_PLEDGES) {
		rc = check_links(imp);
		if (rc == QM_OK)
			rc = check_revised_quantities(imp);
	}
	if (rc == QM_OK && diag->errors == 0 && imp->changed) {
		if (kind->id == QM_ITEMS || kind->id == QM_RATES) {
			qm_lookup_release(&imp->lookup);
			rc = qm_lookup_load(&imp->lookup, l, 1, &err);
			if (rc == QM_OK)
				rc = qm_revalue_all(l, &imp->lookup, &err);
		} else if (kind->id == QM_PLEDGES && imp->packages_touched) {
			rc = qm_revalue_packages(l, &err);
		}
		if (rc != QM_OK)
			internal(imp, &err);
	}
	qm_journal_end(&imp->journal);
	qm_stmt_finalize(imp->insert);
	qm_stmt_finalize(imp->update);
	if (rc == QM_OK && diag->errors == 0 && !imp->opt->dry_run) {
		rc = qm_store_commit(l->store, &err);
		if (rc != QM_OK)
			internal(imp, &err);
	}
	if (rc != QM_OK || diag->errors > 0 || imp->opt->dry_run)
		qm_store_rollback(l->store);
	if (rc == QM_OK && diag->errors > 0)
		rc = QM_EDATA;
	qm_diag_sort(diag);

	qm_lookup_release(&imp->lookup);
	qm_record_release(&imp->rec);
	qm_record_release(&imp->old);
	strmap_release(&imp->seen, free);
	strmap_release(&imp->tallies, free_tally);
	strmap_release(&imp->revised_pledges, free);
	strmap_release(&imp->existing, free_record);
	for (size_t i = 0; imp->held && i < BATCH_ROWS; i++) {
		qm_record_release(&imp->held[i].rec);
		free(imp->held[i].strings);
		release_slot(&imp->slots[i]);
	}
	free(imp->held);
	free(imp->slots);
	for (size_t i = 0; i < imp->nlinks; i++) {
		free(imp->links[i].id);
		free(imp->links[i].part_of);
		free(imp->links[i].path);
	}
	free(imp->links);
	if (imp->one)
		release_slot(imp->one);
	free(imp->one);
	pthread_mutex_destroy(&imp->diag_lock);
	return rc;
}

int qm_import(struct qm_ledger *l, const char *kind_name, const char *const *paths, int npaths,
	const struct qm_import_options *opt, struct qm_import_result *res, struct qm_diag *diag)
{
	struct qm_importer imp;
	struct qm_error err;
	int kiel = strcmp(kind_name, "kiel-weapons") == 0;
	const struct qm_kind *kind = kiel ? qm_kind(QM_PLEDGES) : qm_kind_by_name(kind_name);

	if (!kind) {
		memset(res, 0, sizeof(*res));
		qm_error_set(&err, QM_EUSAGE, "unknown kind '%s'; expected one of %s, kiel-weapons",
			kind_name, qm_kind_names());
		qm_diag_add(diag, &err);
		return QM_EUSAGE;
	}
	int rc = importer_start(&imp, l, 0, kind, opt, res, diag);
	for (int i = 0; rc == QM_OK && i < npaths; i++) {
		FILE *fp;
		imp.source = paths[i];
		rc = open_input(&imp, paths[i], &fp);
		if (rc != QM_OK)
			break;
		/* when no row can exist before (the table was empty), rows need no
		 * database reads to be checked: a second thread writes them */
		if (imp.fast && qm_pipe_start(&imp.pipe, 1024, sizeof(struct write_slot), write_slot,
				    &imp) < 0)
			imp.pipe = NULL;
		if (is_empty_file(fp)) {
			qm_importer_error(&imp, 0, 1, 1, NULL, NULL,
				"a header row and records, got an empty file");
		} else if (kiel) {
			rc = qm_read_kiel(&imp, fp);
		} else if (format_of(paths[i], imp.opt->format) == QM_FORMAT_JSON) {
			rc = qm_read_json(&imp, fp);
		} else {
			rc = qm_read_csv(&imp, fp);
		}
		if (fp != stdin)
			fclose(fp);
		if (imp.pipe) {
			int wrc = qm_pipe_finish(imp.pipe, release_slot);
			imp.pipe = NULL;
			if (wrc != QM_OK)
				rc = wrc;
		}
		if (rc == QM_EDATA)
			rc = QM_OK;
		if (rc == QM_OK && imp.nheld)
			rc = flush_held(&imp);
	}
	return importer_finish(&imp, rc);
}

int qm_add(struct qm_ledger *l, const char *kind_name, int nfields, const char *const *names,
	const char *const *values, int dry_run, struct qm_import_result *res, struct qm_diag *diag)
{
	struct qm_importer imp;
	struct qm_import_options opt = {0};
	struct qm_src_row row = {0};
	struct qm_record stored;
	struct qm_error err;
	const struct qm_kind *kind = qm_kind_by_name(kind_name);
	int given[QM_FIELDS_MAX] = {0};

	qm_error_clear(&err);
	if (!kind) {
		memset(res, 0, sizeof(*res));
		qm_error_set(&err, QM_EUSAGE, "unknown kind '%s'; expected one of %s", kind_name,
			qm_kind_names());
		qm_diag_add(diag, &err);
		return QM_EUSAGE;
	}
	opt.dry_run = dry_run;
	int rc = importer_start(&imp, l, 1, kind, &opt, res, diag);
	imp.source = "add";
	imp.fast = 0;
	for (int i = 0; rc == QM_OK && i < nfields; i++) {
		int f = qm_kind_field(kind, names[i]);
		if (f < 0) {
			qm_importer_error(&imp, 0, 0, 0, NULL, names[i], "a field of %s, got '%s'",
				kind->name, names[i]);
			continue;
		}
		row.f[f] = (struct qm_src_field){values[i], 0, 0, NULL};
		given[f] = 1;
	}
	/* a revision names the key and the fields that change; the rest stays */
	qm_record_init(&stored, kind);
	if (rc == QM_OK && diag->errors == 0) {
		char expected[256];
		int keyed = 1;
		for (int i = 0; i < kind->nkeys; i++)
			keyed &= given[i] && qm_field_parse(&imp.rec, i, row.f[i].text,
				expected, sizeof(expected)) == 0;
		if (keyed && qm_rows_find(l, &imp.rec, &stored, &err) == 1)
			for (int i = 0; i < kind->nfields; i++)
				if (!given[i])
					row.f[i].text = qm_record_get(&stored, i);
		if (rc == QM_OK)
			rc = qm_importer_row(&imp, &row);
	}
	rc = importer_finish(&imp, rc);
	qm_record_release(&stored);
	return rc;
}
