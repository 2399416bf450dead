/*
 * lookup.c - the reference tables that validation and valuation consult
 * for every record: parties, items and ECB rates, loaded once per import
 * into hash maps and sorted arrays, and updated as the import adds to them.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"

static void free_item(void *p)
{
	struct qm_item_info *it = p;
	if (it)
		free(it->capability);
	free(it);
}

static void free_series(void *p)
{
	struct qm_rate_series *s = p;
	if (s) {
		free(s->days);
		free(s->micro);
	}
	free(s);
}

void qm_lookup_release(struct qm_lookup *lk)
{
	strmap_release(&lk->parties, free);
	strmap_release(&lk->items, free_item);
	strmap_release(&lk->rates, free_series);
}

int qm_lookup_note_party(struct qm_lookup *lk, const struct qm_record *party)
{
	struct strmap_entry *e = strmap_put(&lk->parties, qm_record_get(party, QM_PARTY_CODE), NULL);
	if (!e)
		return -1;
	struct qm_party_info *p = e->ptr;
	if (!p && !(p = e->ptr = calloc(1, sizeof(*p))))
		return -1;
	const char *cur = qm_record_get(party, QM_PARTY_CURRENCY);
	snprintf(p->currency, sizeof(p->currency), "%s", cur ? cur : "");
	p->ally = party->num[QM_PARTY_ALLY] == 1;
	p->is_nation = party->num[QM_PARTY_KIND] == 0;
	return 0;
}

int qm_lookup_note_item(struct qm_lookup *lk, const struct qm_record *item)
{
	struct strmap_entry *e = strmap_put(&lk->items, qm_record_get(item, QM_ITEM_CODE), NULL);
	if (!e)
		return -1;
	struct qm_item_info *it = e->ptr;
	if (!it && !(it = e->ptr = calloc(1, sizeof(*it))))
		return -1;
	free(it->capability);
	it->capability = strdup(qm_record_get(item, QM_ITEM_CAPABILITY));
	it->unit_price = qm_record_get(item, QM_ITEM_UNIT_PRICE) ? item->num[QM_ITEM_UNIT_PRICE] : -1;
	const char *cur = qm_record_get(item, QM_ITEM_CURRENCY);
	snprintf(it->currency, sizeof(it->currency), "%s", cur ? cur : "");
	it->price_date = (qm_day)item->num[QM_ITEM_PRICE_DATE];
	return it->capability ? 0 : -1;
}

int qm_lookup_note_rate(struct qm_lookup *lk, const char *currency, qm_day day, int64_t micro)
{
	struct strmap_entry *e = strmap_put(&lk->rates, currency, NULL);
	if (!e)
		return -1;
	struct qm_rate_series *s = e->ptr;
	if (!s && !(s = e->ptr = calloc(1, sizeof(*s))))
		return -1;
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		qm_day *d = realloc(s->days, cap * sizeof(*d));
		if (!d)
			return -1;
		s->days = d;
		int64_t *m = realloc(s->micro, cap * sizeof(*m));
		if (!m)
			return -1;
		s->micro = m;
		s->cap = cap;
	}
	/* keep days ascending; the common case appends, a revision replaces */
	size_t i = s->count;
	while (i > 0 && s->days[i - 1] > day)
		i--;
	if (i > 0 && s->days[i - 1] == day) {
		s->micro[i - 1] = micro;
		return 0;
	}
	memmove(s->days + i + 1, s->days + i, (s->count - i) * sizeof(*s->days));
	memmove(s->micro + i + 1, s->micro + i, (s->count - i) * sizeof(*s->micro));
	s->days[i] = day;
	s->micro[i] = micro;
	s->count++;
	return 0;
}

/* Read currency's whole series into the lookup (lazy mode); an empty
 * series is kept too, so that it is read once. */
static struct strmap_entry *load_series(struct qm_lookup *lk, const char *currency)
{
	struct qm_stmt *st;
	struct qm_error err;
	qm_error_clear(&err);
	if (qm_store_prepare(lk->lazy_rates->store,
		    "SELECT date, per_eur FROM rates WHERE currency = ? ORDER BY date", &st, &err) != QM_OK)
		return NULL;
	qm_stmt_bind_text(st, 1, currency);
	struct strmap_entry *e = strmap_put(&lk->rates, currency, NULL);
	if (e && !e->ptr)
		e->ptr = calloc(1, sizeof(struct qm_rate_series));
	while (e && e->ptr && qm_stmt_step(st, &err) == QM_STEP_ROW) {
		qm_day d;
		qm_date_parse(qm_stmt_text(st, 0), &d);
		if (qm_lookup_note_rate(lk, currency, d, qm_stmt_int(st, 1)) < 0)
			break;
	}
	qm_stmt_finalize(st);
	return e;
}

int64_t qm_lookup_rate(const struct qm_lookup *lk, const char *currency, qm_day day,
	qm_day *rate_day)
{
	if (strcmp(currency, "EUR") == 0) {
		if (rate_day)
			*rate_day = day;
		return 1000000;
	}
	struct strmap_entry *e = strmap_get(&lk->rates, currency);
	if (!e && lk->lazy_rates)
		e = load_series((struct qm_lookup *)lk, currency); /* a cache filled on use */
	if (!e || !e->ptr)
		return -1;
	const struct qm_rate_series *s = e->ptr;
	size_t lo = 0, hi = s->count; /* first index with days > day */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->days[mid] <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	if (rate_day)
		*rate_day = s->days[lo - 1];
	return s->micro[lo - 1];
}

static int load_kind(struct qm_lookup *lk, struct qm_ledger *l, enum qm_kind_id id,
	struct qm_error *err)
{
	const struct qm_kind *k = qm_kind(id);
	struct qm_stmt *st;
	struct qm_record rec;
	int rc = qm_store_prepare(l->store, qm_rows_select_sql(k), &st, err), step;
	if (rc != QM_OK)
		return rc;
	qm_record_init(&rec, k);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		if (qm_rows_read(st, &rec) < 0
			|| (id == QM_PARTIES ? qm_lookup_note_party(lk, &rec) : qm_lookup_note_item(lk, &rec)) < 0) {
			step = QM_STEP_ERROR;
			qm_error_set(err, QM_EINTERNAL, "out of memory");
			break;
		}
	}
	qm_record_release(&rec);
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
}

int qm_lookup_load(struct qm_lookup *lk, struct qm_ledger *l, int with_rates, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc, step;
	memset(lk, 0, sizeof(*lk));
	if ((rc = load_kind(lk, l, QM_PARTIES, err)) != QM_OK
		|| (rc = load_kind(lk, l, QM_ITEMS, err)) != QM_OK)
		return rc;
	if (with_rates == QM_RATES_LAZY)
		lk->lazy_rates = l;
	if (with_rates != 1)
		return QM_OK;
	lk->loaded_rates = 1;
	rc = qm_store_prepare(l->store,
		"SELECT currency, date, per_eur FROM rates ORDER BY currency, date", &st, err);
	if (rc != QM_OK)
		return rc;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		qm_day d;
		qm_date_parse(qm_stmt_text(st, 1), &d);
		if (qm_lookup_note_rate(lk, qm_stmt_text(st, 0), d, qm_stmt_int(st, 2)) < 0) {
			qm_error_set(err, QM_EINTERNAL, "out of memory");
			step = QM_STEP_ERROR;
			break;
		}
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err->code;
}
