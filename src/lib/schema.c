/*
 * schema.c - the table of record kinds and fields, and the per-field
 * parsing that turns raw text into canonical values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qm/codes.h"
#include "qm/date.h"
#include "qm/money.h"
#include "qm/schema.h"

const char *const qm_pledge_statuses[] = {"announced", "committed", "cancelled", NULL};
const char *const qm_cost_types[] = {"purchase", "in-kind", "sustainment", "training",
	"operations", "industry", "trust-fund", NULL};
const char *const qm_channels[] = {"bilateral", "nato", "eu", "multilateral", "other", NULL};
const char *const qm_counting_levels[] = {"announced", "committed", "delivered", NULL};
static const char *const party_kinds[] = {"nation", "organisation", NULL};

#define KEY (QM_F_KEY | QM_F_REQUIRED)
#define REQ QM_F_REQUIRED

static const struct qm_field party_fields[] = {
	{"code", QM_T_PARTY_CODE, KEY, NULL, "ISO 3166-1 alpha-3 for a nation, a short upper-case code for an organisation"},
	{"name", QM_T_TEXT, REQ, NULL, "common name"},
	{"kind", QM_T_ENUM, REQ, party_kinds, "nation or organisation"},
	{"ally", QM_T_BOOL, 0, NULL, "yes for a NATO member (default no)"},
	{"currency", QM_T_CURRENCY, 0, NULL, "ISO 4217; a nation's own currency"},
	{"source", QM_T_TEXT, 0, NULL, "where the facts come from"},
	{"aliases", QM_T_TEXT, 0, NULL, "other names, separated by ';' (used to match sources)"},
};

static const struct qm_field item_fields[] = {
	{"code", QM_T_CODE, KEY, NULL, "catalogue code such as patriot-battery"},
	{"name", QM_T_TEXT, REQ, NULL, "descriptive name"},
	{"category", QM_T_CODE, REQ, NULL, "such as air-defence"},
	{"capability", QM_T_CODE, REQ, NULL, "the capability one unit provides, such as long-range-air-defence"},
	{"unit", QM_T_TEXT, 0, NULL, "what one unit is (battery, round); default unit"},
	{"unit_price", QM_T_MONEY, 0, NULL, "reference price of one unit"},
	{"currency", QM_T_CURRENCY, 0, NULL, "currency of unit_price"},
	{"price_date", QM_T_DATE, 0, NULL, "date of unit_price, for conversion to EUR"},
	{"source", QM_T_TEXT, 0, NULL, "where the price comes from"},
	{"aliases", QM_T_TEXT, 0, NULL, "other names, separated by ';' (used to match sources)"},
	{"crew_skill", QM_T_CODE, 0, NULL, "the skill one unit's crew is trained in, such as patriot-crew (with crew_size)"},
	{"crew_size", QM_T_QUANTITY, 0, NULL, "trainees one unit needs (with crew_skill)"},
};

static const struct qm_field rate_fields[] = {
	{"date", QM_T_DATE, KEY, NULL, "ECB reference date"},
	{"currency", QM_T_CURRENCY, KEY, NULL, "ISO 4217"},
	{"per_eur", QM_T_RATE, REQ, NULL, "units of currency per euro"},
};

static const struct qm_field gdp_fields[] = {
	{"party", QM_T_REF_PARTY, KEY, NULL, "a party's code"},
	{"year", QM_T_YEAR, KEY, NULL, "calendar year"},
	{"amount", QM_T_MONEY, REQ, NULL, "GDP at current prices"},
	{"currency", QM_T_CURRENCY, REQ, NULL, "currency of amount"},
	{"source", QM_T_TEXT, 0, NULL, "where the figure comes from"},
};

static const struct qm_field pledge_fields[] = {
	{"id", QM_T_ID, KEY, NULL, "pledge id"},
	{"donor", QM_T_REF_PARTY, REQ, NULL, "the party that pledges"},
	{"date", QM_T_DATE, REQ, NULL, "date announced"},
	{"item", QM_T_REF_ITEM, 0, NULL, "catalogue item (with quantity)"},
	{"quantity", QM_T_QUANTITY, 0, NULL, "units of item (with item)"},
	{"amount", QM_T_MONEY, 0, NULL, "stated value"},
	{"currency", QM_T_CURRENCY, 0, NULL, "currency of amount (default the donor's)"},
	{"status", QM_T_ENUM, 0, qm_pledge_statuses, "announced (default), committed or cancelled"},
	{"available", QM_T_DATE, 0, NULL, "date expected to be available (default date)"},
	{"part_of", QM_T_REF_PLEDGE, 0, NULL, "the package pledge this is part of"},
	{"cost_type", QM_T_ENUM, 0, qm_cost_types, "kind of cost under the baseline"},
	{"channel", QM_T_ENUM, 0, qm_channels, "bilateral (default), nato, eu, multilateral, other"},
	{"source", QM_T_TEXT, 0, NULL, "where the pledge was reported"},
	{"note", QM_T_TEXT, 0, NULL, "free text"},
};

static const struct qm_field delivery_fields[] = {
	{"id", QM_T_ID, KEY, NULL, "delivery id"},
	{"pledge", QM_T_REF_PLEDGE, REQ, NULL, "the pledge delivered against"},
	{"date", QM_T_DATE, REQ, NULL, "date it arrived"},
	{"quantity", QM_T_QUANTITY, REQ, NULL, "units that arrived"},
	{"hub", QM_T_TEXT, 0, NULL, "logistic hub it came through"},
	{"source", QM_T_TEXT, 0, NULL, "where the delivery was reported"},
	{"note", QM_T_TEXT, 0, NULL, "free text"},
};

static const struct qm_field requirement_fields[] = {
	{"id", QM_T_ID, KEY, NULL, "requirement id"},
	{"capability", QM_T_CODE, 0, NULL, "capability needed (or item)"},
	{"item", QM_T_REF_ITEM, 0, NULL, "item needed (or capability)"},
	{"quantity", QM_T_QUANTITY, REQ, NULL, "units needed"},
	{"priority", QM_T_PRIORITY, REQ, NULL, "1 (most urgent) to 5"},
	{"needed_by", QM_T_DATE, REQ, NULL, "date needed by"},
	{"source", QM_T_TEXT, 0, NULL, "where the need was stated"},
	{"note", QM_T_TEXT, 0, NULL, "free text"},
};

static const struct qm_field framework_fields[] = {
	{"id", QM_T_ID, KEY, NULL, "framework id, such as nato-2024"},
	{"name", QM_T_TEXT, REQ, NULL, "what the framework is called"},
	{"start", QM_T_DATE, REQ, NULL, "first day of the period"},
	{"end", QM_T_DATE, REQ, NULL, "last day of the period"},
	{"amount", QM_T_MONEY, REQ, NULL, "the baseline to be shared"},
	{"currency", QM_T_CURRENCY, 0, NULL, "currency of amount (default EUR)"},
	{"gdp_year", QM_T_YEAR, REQ, NULL, "the year whose GDP sets the shares"},
	{"parties", QM_T_PARTY_LIST, 0, NULL, "allies (default: every ally) or party codes separated by spaces"},
	{"exempt", QM_T_PARTY_LIST, 0, NULL, "party codes left out, separated by spaces"},
	{"counts", QM_T_ENUM, 0, qm_counting_levels, "lowest status that counts: announced, committed (default) or delivered"},
	{"cost_types", QM_T_ENUM_LIST, 0, qm_cost_types, "kinds of cost that count, separated by spaces (default all seven)"},
	{"source", QM_T_TEXT, 0, NULL, "where the framework was agreed"},
};

static const struct qm_field course_fields[] = {
	{"id", QM_T_ID, KEY, NULL, "course id"},
	{"provider", QM_T_REF_PARTY, REQ, NULL, "the party that runs the course"},
	{"skill", QM_T_CODE, REQ, NULL, "the skill it trains, a capability code such as patriot-crew"},
	{"seats", QM_T_QUANTITY, REQ, NULL, "trainees it takes"},
	{"start", QM_T_DATE, REQ, NULL, "first day"},
	{"end", QM_T_DATE, REQ, NULL, "last day: its trainees are trained from then"},
	{"location", QM_T_TEXT, 0, NULL, "where it is held"},
	{"status", QM_T_ENUM, 0, qm_pledge_statuses, "announced (default), committed or cancelled"},
	{"source", QM_T_TEXT, 0, NULL, "where the course was reported"},
	{"note", QM_T_TEXT, 0, NULL, "free text"},
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct qm_kind kinds[QM_KIND_COUNT] = {
	{QM_PARTIES, "parties", "party", party_fields, N(party_fields), 1, "code"},
	{QM_ITEMS, "items", "item", item_fields, N(item_fields), 1, "code"},
	{QM_RATES, "rates", "rate", rate_fields, N(rate_fields), 2, "date, currency"},
	{QM_GDP, "gdp", "GDP figure", gdp_fields, N(gdp_fields), 2, "party, year"},
	{QM_PLEDGES, "pledges", "pledge", pledge_fields, N(pledge_fields), 1, "id"},
	{QM_DELIVERIES, "deliveries", "delivery", delivery_fields, N(delivery_fields), 1, "id"},
	{QM_REQUIREMENTS, "requirements", "requirement", requirement_fields,
		N(requirement_fields), 1, "id"},
	{QM_FRAMEWORKS, "frameworks", "framework", framework_fields, N(framework_fields), 1, "id"},
	{QM_COURSES, "courses", "course", course_fields, N(course_fields), 1, "id"},
};

const struct qm_kind *qm_kind(enum qm_kind_id id)
{
	return &kinds[id];
}

const struct qm_kind *qm_kind_by_name(const char *name)
{
	for (int i = 0; i < QM_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const char *qm_kind_names(void)
{
	return "parties, items, rates, gdp, pledges, deliveries, requirements, frameworks, courses";
}

int qm_kind_field(const struct qm_kind *kind, const char *name)
{
	for (int i = 0; i < kind->nfields; i++)
		if (strcmp(kind->fields[i].name, name) == 0)
			return i;
	return -1;
}

int qm_ftype_is_numeric(enum qm_ftype t)
{
	return t == QM_T_YEAR || t == QM_T_QUANTITY || t == QM_T_PRIORITY || t == QM_T_MONEY
		|| t == QM_T_RATE;
}

void qm_record_init(struct qm_record *r, const struct qm_kind *kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
}

void qm_record_release(struct qm_record *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

void qm_record_clear(struct qm_record *r)
{
	memset(r->off, 0, sizeof(r->off));
	memset(r->num, 0, sizeof(r->num));
	r->len = 0;
}

int qm_record_copy(struct qm_record *dst, const struct qm_record *src)
{
	qm_record_clear(dst);
	dst->kind = src->kind;
	for (int i = 0; i < src->kind->nfields; i++)
		if (qm_record_set(dst, i, qm_record_get(src, i), src->num[i]) < 0)
			return -1;
	return 0;
}

const char *qm_record_get(const struct qm_record *r, int i)
{
	return r->off[i] ? r->buf + r->off[i] - 1 : NULL;
}

int qm_record_set(struct qm_record *r, int i, const char *text, int64_t num)
{
	r->num[i] = num;
	if (!text || !*text) {
		r->off[i] = 0;
		r->num[i] = 0;
		return 0;
	}
	size_t n = strlen(text) + 1;
	if (r->buf && text >= r->buf && text < r->buf + r->cap) {
		/* text is another field of this record: the buffer may move */
		size_t at = (size_t)(text - r->buf);
		if (r->len + n > r->cap) {
			size_t cap = r->cap;
			while (cap < r->len + n)
				cap *= 2;
			char *nb = realloc(r->buf, cap);
			if (!nb)
				return -1;
			r->buf = nb;
			r->cap = cap;
		}
		memmove(r->buf + r->len, r->buf + at, n);
		r->off[i] = r->len + 1;
		r->len += n;
		return 0;
	}
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 256;
		while (cap < r->len + n)
			cap *= 2;
		char *nb = realloc(r->buf, cap);
		if (!nb)
			return -1;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, text, n);
	r->off[i] = r->len + 1;
	r->len += n;
	return 0;
}

int qm_record_equal(const struct qm_record *a, const struct qm_record *b)
{
	for (int i = 0; i < a->kind->nfields; i++) {
		const char *x = qm_record_get(a, i), *y = qm_record_get(b, i);
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return 0;
	}
	return 1;
}

char *qm_record_key(const struct qm_record *r, char *buf, size_t n)
{
	size_t used = 0;
	for (int i = 0; i < r->kind->nkeys; i++) {
		const char *v = qm_record_get(r, i);
		size_t len = v ? strlen(v) : 0;
		if (used + len + 2 > n)
			break;
		if (i)
			buf[used++] = '|';
		memcpy(buf + used, v ? v : "", len);
		used += len;
	}
	buf[used] = '\0';
	return buf;
}

static int is_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
			|| *p == '.' || *p == '_' || *p == ':' || *p == '-'))
			return 0;
	return 1;
}

static int is_code(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64 || s[0] == '-')
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

static int is_org_code(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 16 || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

static int parse_whole(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t v = 0;
	if (!*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > hi)
			return -1;
	}
	if (v < lo || (s[0] == '0' && s[1]))
		return -1;
	*out = v;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Split raw at spaces into at most max words (pointers into copy, which is
 * raw with the spaces replaced by NULs). Returns the count, -1 when there
 * are more than max or none. */
static int split_words(char *copy, const char **words, int max)
{
	int nw = 0;
	for (char *p = strtok(copy, " "); p; p = strtok(NULL, " ")) {
		if (nw == max)
			return -1;
		words[nw++] = p;
	}
	return nw ? nw : -1;
}

#define LIST_MAX 256

/* A list of party codes, sorted and each once, or the word allies alone. */
static int parse_party_list(struct qm_record *r, int i, const char *raw)
{
	const char *words[LIST_MAX];
	char *copy = strdup(raw), *out = NULL;
	int nw = copy ? split_words(copy, words, LIST_MAX) : -1, rc = -1;
	if (nw == 1 && strcmp(words[0], "allies") == 0) {
		rc = qm_record_set(r, i, "allies", 0);
		goto done;
	}
	if (nw < 0 || !(out = malloc(strlen(raw) + 1)))
		goto done;
	qsort(words, (size_t)nw, sizeof(words[0]), cmp_str);
	size_t used = 0;
	for (int w = 0; w < nw; w++) {
		if ((!qm_is_country_code(words[w]) && !is_org_code(words[w]))
			|| (w && strcmp(words[w], words[w - 1]) == 0))
			goto done;
		used += (size_t)sprintf(out + used, "%s%s", w ? " " : "", words[w]);
	}
	rc = qm_record_set(r, i, out, nw);
done:
	free(copy);
	free(out);
	return rc;
}

/* Choices separated by spaces, kept in the order of the choices, each once. */
static int parse_enum_list(struct qm_record *r, int i, const char *raw)
{
	const char *const *choices = r->kind->fields[i].choices;
	const char *words[LIST_MAX];
	char *copy = strdup(raw), out[512];
	int nw = copy ? split_words(copy, words, LIST_MAX) : -1, rc = -1;
	unsigned long long seen = 0;
	for (int w = 0; w < nw; w++) {
		int c = 0;
		while (choices[c] && strcmp(choices[c], words[w]) != 0)
			c++;
		if (!choices[c] || (seen & (1ULL << c)))
			goto done;
		seen |= 1ULL << c;
	}
	if (nw > 0) {
		size_t used = 0;
		out[0] = '\0';
		for (int c = 0; choices[c]; c++)
			if (seen & (1ULL << c))
				used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
					used ? " " : "", choices[c]);
		rc = qm_record_set(r, i, out, nw);
	}
done:
	free(copy);
	return rc;
}

int qm_field_parse(struct qm_record *r, int i, const char *raw, char *expected, size_t n)
{
	const struct qm_field *f = &r->kind->fields[i];
	char buf[40];
	int64_t num = 0;
	qm_day day;

	if (!raw || !*raw)
		return qm_record_set(r, i, NULL, 0);
	switch (f->type) {
	case QM_T_TEXT:
		return qm_record_set(r, i, raw, 0);
	case QM_T_ID:
		if (!is_id(raw))
			goto bad;
		return qm_record_set(r, i, raw, 0);
	case QM_T_CODE:
	case QM_T_REF_ITEM:
		if (!is_code(raw))
			goto bad;
		return qm_record_set(r, i, raw, 0);
	case QM_T_PARTY_CODE:
	case QM_T_REF_PARTY:
		if (!qm_is_country_code(raw) && !is_org_code(raw))
			goto bad;
		return qm_record_set(r, i, raw, 0);
	case QM_T_REF_PLEDGE:
		if (!is_id(raw))
			goto bad;
		return qm_record_set(r, i, raw, 0);
	case QM_T_DATE:
		if (qm_date_parse(raw, &day) < 0)
			goto bad;
		return qm_record_set(r, i, raw, day);
	case QM_T_YEAR:
		if (parse_whole(raw, 1900, 2200, &num) < 0)
			goto bad;
		return qm_record_set(r, i, raw, num);
	case QM_T_QUANTITY:
		if (parse_whole(raw, 1, 1000000000000LL, &num) < 0)
			goto bad;
		return qm_record_set(r, i, raw, num);
	case QM_T_PRIORITY:
		if (parse_whole(raw, 1, 5, &num) < 0)
			goto bad;
		return qm_record_set(r, i, raw, num);
	case QM_T_MONEY:
		if (qm_decimal_parse(raw, 2, QM_DEC_SUFFIX, &num) < 0)
			goto bad;
		return qm_record_set(r, i, qm_decimal_format(num, 2, 1, buf), num);
	case QM_T_RATE:
		if (qm_decimal_parse(raw, 6, 0, &num) < 0 || num == 0)
			goto bad;
		return qm_record_set(r, i, qm_decimal_format(num, 6, 0, buf), num);
	case QM_T_CURRENCY:
		if (!qm_is_currency_code(raw))
			goto bad;
		return qm_record_set(r, i, raw, 0);
	case QM_T_ENUM:
		for (const char *const *c = f->choices; *c; c++)
			if (strcmp(*c, raw) == 0)
				return qm_record_set(r, i, raw, c - f->choices);
		goto bad;
	case QM_T_BOOL:
		if (strcmp(raw, "yes") == 0)
			return qm_record_set(r, i, "yes", 1);
		if (strcmp(raw, "no") == 0)
			return qm_record_set(r, i, "no", 0);
		goto bad;
	case QM_T_PARTY_LIST:
		if (parse_party_list(r, i, raw) < 0)
			goto bad;
		return 0;
	case QM_T_ENUM_LIST:
		if (parse_enum_list(r, i, raw) < 0)
			goto bad;
		return 0;
	}
bad:
	switch (f->type) {
	case QM_T_ID:
	case QM_T_REF_PLEDGE:
		snprintf(expected, n, "an id of 1 to 64 letters, digits, '.', '_', ':' or '-'");
		break;
	case QM_T_CODE:
	case QM_T_REF_ITEM:
		snprintf(expected, n, "a lower-case code of letters, digits and '-'");
		break;
	case QM_T_PARTY_CODE:
	case QM_T_REF_PARTY:
		snprintf(expected, n, "an ISO 3166-1 alpha-3 country code or an upper-case organisation code");
		break;
	case QM_T_DATE:
		snprintf(expected, n, "a date as YYYY-MM-DD");
		break;
	case QM_T_YEAR:
		snprintf(expected, n, "a year from 1900 to 2200");
		break;
	case QM_T_QUANTITY:
		snprintf(expected, n, "a whole number of at least 1");
		break;
	case QM_T_PRIORITY:
		snprintf(expected, n, "a priority from 1 to 5");
		break;
	case QM_T_MONEY:
		snprintf(expected, n, "a non-negative amount with at most two decimals, or with a k, m or bn suffix");
		break;
	case QM_T_RATE:
		snprintf(expected, n, "a rate above zero with at most six decimals");
		break;
	case QM_T_CURRENCY:
		snprintf(expected, n, "an ISO 4217 currency code");
		break;
	case QM_T_PARTY_LIST:
		snprintf(expected, n, "allies, or party codes (ISO 3166-1 alpha-3 or organisation codes)"
			" separated by spaces, each once");
		break;
	case QM_T_ENUM_LIST:
	case QM_T_ENUM: {
		size_t used = (size_t)snprintf(expected, n, f->type == QM_T_ENUM ? "one of"
			: "words separated by spaces, each once, from");
		for (const char *const *c = f->choices; *c && used < n; c++)
			used += (size_t)snprintf(expected + used, n - used, "%s %s",
				c == f->choices ? "" : ",", *c);
		break;
	}
	case QM_T_BOOL:
		snprintf(expected, n, "yes or no");
		break;
	case QM_T_TEXT:
		snprintf(expected, n, "text");
		break;
	}
	return -1;
}

/* Append n bytes to the JSON text being built; -1 when out of memory. */
static int put(char **p, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 512;
		while (c < *len + n + 1)
			c *= 2;
		char *np = realloc(*p, c);
		if (!np)
			return -1;
		*p = np;
		*cap = c;
	}
	memcpy(*p + *len, s, n);
	*len += n;
	(*p)[*len] = '\0';
	return 0;
}

/* Append s as a JSON string, copying runs that need no escape at once. */
static int json_string(char **p, size_t *len, size_t *cap, const char *s)
{
	int rc = put(p, len, cap, "\"", 1);
	for (;;) {
		const char *c = s;
		while ((unsigned char)*c >= 0x20 && *c != '"' && *c != '\\')
			c++;
		rc |= put(p, len, cap, s, (size_t)(c - s));
		if (!*c || rc)
			break;
		char esc[8];
		unsigned char ch = (unsigned char)*c;
		if (ch == '"' || ch == '\\')
			snprintf(esc, sizeof(esc), "\\%c", ch);
		else
			snprintf(esc, sizeof(esc), "\\u%04x", ch);
		rc |= put(p, len, cap, esc, strlen(esc));
		s = c + 1;
	}
	return rc | put(p, len, cap, "\"", 1);
}

char *qm_record_to_json(const struct qm_record *r, char **buf, size_t *cap)
{
	size_t len = 0;
	int rc = put(buf, &len, cap, "{", 1), first = 1;
	for (int i = 0; i < r->kind->nfields && rc == 0; i++) {
		const char *v = qm_record_get(r, i);
		if (!v)
			continue;
		if (!first)
			rc |= put(buf, &len, cap, ",", 1);
		first = 0;
		rc |= json_string(buf, &len, cap, r->kind->fields[i].name);
		rc |= put(buf, &len, cap, ":", 1);
		rc |= json_string(buf, &len, cap, v);
	}
	rc |= put(buf, &len, cap, "}", 1);
	return rc ? NULL : *buf;
}
