/*
 * schema.h - the record kinds of the ledger and their fields.
 *
 * One table describes every kind (parties, items, rates, gdp, pledges,
 * deliveries, requirements, frameworks, courses): field names, types, which fields form the key
 * and which are required. Import, export, add, list, the journal and the
 * store all work from this table, so a new field is added in one place.
 * A struct qm_record holds one record as canonical text per field (what
 * export writes and the journal hashes) plus the integer value of numeric
 * fields (cents, millionths, quantities, years, priorities).
 */
#ifndef QM_SCHEMA_H
#define QM_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#define QM_FIELDS_MAX 16

enum qm_kind_id {
	QM_PARTIES,
	QM_ITEMS,
	QM_RATES,
	QM_GDP,
	QM_PLEDGES,
	QM_DELIVERIES,
	QM_REQUIREMENTS,
	QM_FRAMEWORKS,
	QM_COURSES,
	QM_KIND_COUNT
};

enum qm_ftype {
	QM_T_TEXT,       /* free UTF-8 text */
	QM_T_ID,         /* record id: letters, digits, . _ : - (1-64) */
	QM_T_CODE,       /* lower-case code such as a capability: a-z 0-9 - */
	QM_T_PARTY_CODE, /* ISO 3166-1 alpha-3, or an organisation's A-Z 0-9 - code */
	QM_T_REF_PARTY,  /* code of an existing party */
	QM_T_REF_ITEM,   /* code of an existing item */
	QM_T_REF_PLEDGE, /* id of an existing pledge */
	QM_T_DATE,       /* YYYY-MM-DD */
	QM_T_YEAR,       /* 1900 to 2200 */
	QM_T_QUANTITY,   /* whole number, 1 to 10^12 */
	QM_T_PRIORITY,   /* 1 to 5 */
	QM_T_MONEY,      /* decimal, two places at most, k/m/bn suffix; kept in cents */
	QM_T_RATE,       /* decimal, six places at most, above zero; kept in millionths */
	QM_T_CURRENCY,   /* ISO 4217 */
	QM_T_ENUM,       /* one of choices */
	QM_T_BOOL,       /* yes or no */
	QM_T_PARTY_LIST, /* party codes separated by spaces, or the word allies */
	QM_T_ENUM_LIST,  /* choices separated by spaces */
};

enum qm_fflag {
	QM_F_KEY = 1,      /* part of the record's key */
	QM_F_REQUIRED = 2, /* must be given */
};

struct qm_field {
	const char *name;
	enum qm_ftype type;
	unsigned flags;
	const char *const *choices; /* QM_T_ENUM: NULL-terminated */
	const char *help;           /* one line for docs and --help */
};

struct qm_kind {
	enum qm_kind_id id;
	const char *name;     /* "pledges": the command-line and table name */
	const char *singular; /* "pledge" */
	const struct qm_field *fields;
	int nfields;
	int nkeys; /* the first nkeys fields are the key */
	const char *order_by; /* SQL ORDER BY for stable listings and exports */
};

/* Field positions, in the order of the tables in schema.c. */
enum { QM_PARTY_CODE, QM_PARTY_NAME, QM_PARTY_KIND, QM_PARTY_ALLY, QM_PARTY_CURRENCY,
	QM_PARTY_SOURCE, QM_PARTY_ALIASES };
enum { QM_ITEM_CODE, QM_ITEM_NAME, QM_ITEM_CATEGORY, QM_ITEM_CAPABILITY, QM_ITEM_UNIT,
	QM_ITEM_UNIT_PRICE, QM_ITEM_CURRENCY, QM_ITEM_PRICE_DATE, QM_ITEM_SOURCE, QM_ITEM_ALIASES,
	QM_ITEM_CREW_SKILL, QM_ITEM_CREW_SIZE };
enum { QM_RATE_DATE, QM_RATE_CURRENCY, QM_RATE_PER_EUR };
enum { QM_GDP_PARTY, QM_GDP_YEAR, QM_GDP_AMOUNT, QM_GDP_CURRENCY, QM_GDP_SOURCE };
enum { QM_PLEDGE_ID, QM_PLEDGE_DONOR, QM_PLEDGE_DATE, QM_PLEDGE_ITEM, QM_PLEDGE_QUANTITY,
	QM_PLEDGE_AMOUNT, QM_PLEDGE_CURRENCY, QM_PLEDGE_STATUS, QM_PLEDGE_AVAILABLE,
	QM_PLEDGE_PART_OF, QM_PLEDGE_COST_TYPE, QM_PLEDGE_CHANNEL, QM_PLEDGE_SOURCE, QM_PLEDGE_NOTE };
enum { QM_DELIVERY_ID, QM_DELIVERY_PLEDGE, QM_DELIVERY_DATE, QM_DELIVERY_QUANTITY,
	QM_DELIVERY_HUB, QM_DELIVERY_SOURCE, QM_DELIVERY_NOTE };
enum { QM_REQ_ID, QM_REQ_CAPABILITY, QM_REQ_ITEM, QM_REQ_QUANTITY, QM_REQ_PRIORITY,
	QM_REQ_NEEDED_BY, QM_REQ_SOURCE, QM_REQ_NOTE };
enum { QM_FW_ID, QM_FW_NAME, QM_FW_START, QM_FW_END, QM_FW_AMOUNT, QM_FW_CURRENCY,
	QM_FW_GDP_YEAR, QM_FW_PARTIES, QM_FW_EXEMPT, QM_FW_COUNTS, QM_FW_COST_TYPES, QM_FW_SOURCE };
enum { QM_COURSE_ID, QM_COURSE_PROVIDER, QM_COURSE_SKILL, QM_COURSE_SEATS, QM_COURSE_START,
	QM_COURSE_END, QM_COURSE_LOCATION, QM_COURSE_STATUS, QM_COURSE_SOURCE, QM_COURSE_NOTE };

/* The kind named name ("pledges"), or NULL. */
const struct qm_kind *qm_kind_by_name(const char *name);
const struct qm_kind *qm_kind(enum qm_kind_id id);
/* Index of the field called name in kind, or -1. */
int qm_kind_field(const struct qm_kind *kind, const char *name);
/* 1 when the field type is kept as an integer. */
int qm_ftype_is_numeric(enum qm_ftype t);
/* The kinds' names as "parties, items, ..." (static). */
const char *qm_kind_names(void);

/* Choices shared with other modules. */
extern const char *const qm_pledge_statuses[];  /* announced, committed, cancelled */
extern const char *const qm_cost_types[];       /* the seven kinds that count */
extern const char *const qm_channels[];
extern const char *const qm_counting_levels[]; /* announced, committed, delivered */

/* One record: canonical text per field (NULL when empty) and numbers. */
struct qm_record {
	const struct qm_kind *kind;
	int64_t num[QM_FIELDS_MAX];
	size_t off[QM_FIELDS_MAX]; /* offset into buf + 1, 0 when empty */
	char *buf;
	size_t len, cap;
};

/* Start an empty record of kind; release with qm_record_release(). */
void qm_record_init(struct qm_record *r, const struct qm_kind *kind);
void qm_record_release(struct qm_record *r);
/* Empty every field, keeping the buffer. */
void qm_record_clear(struct qm_record *r);
/* Copy src into dst (dst initialised). Returns 0, -1 when out of memory. */
int qm_record_copy(struct qm_record *dst, const struct qm_record *src);

/* Text of field i, owned by the record and valid until it changes; NULL when empty. */
const char *qm_record_get(const struct qm_record *r, int i);
/* Set field i to a copy of text (NULL or "" empties it) and its number. */
int qm_record_set(struct qm_record *r, int i, const char *text, int64_t num);
/* 1 when both records have the same text in every field. */
int qm_record_equal(const struct qm_record *a, const struct qm_record *b);
/* The key as one string, fields joined by '|' (rates: "2024-01-02|USD"),
 * written into buf of size n; returns buf. */
char *qm_record_key(const struct qm_record *r, char *buf, size_t n);

/*
 * Parse raw text for field i of r's kind by the field's type, storing the
 * canonical form. Returns 0, or -1 with what was expected written into
 * expected (size n), e.g. "a date as YYYY-MM-DD". Empty text empties the
 * field (required fields are checked by the caller).
 */
int qm_field_parse(struct qm_record *r, int i, const char *raw, char *expected, size_t n);

/* Serialise r as a JSON object with its fields in schema order, values as
 * canonical strings; empty fields are left out. The text is written into
 * *buf (of *cap bytes, grown with realloc as needed; the caller owns and
 * frees it). Returns *buf, or NULL when out of memory. */
char *qm_record_to_json(const struct qm_record *r, char **buf, size_t *cap);

#endif
