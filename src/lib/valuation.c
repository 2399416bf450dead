/*
 * valuation.c - what a pledge is worth in euro cents, and the values kept
 * on the pledges table: its own value (stated amount at the ECB rate of its
 * date, or quantity x the item's unit price at the price date, rounded half
 * away from zero once), and its counted value, which is zero for a part of
 * a package that states an amount (the package counts once).
 */
#include <stdlib.h>
#include <string.h>

#include "qm/money.h"
#include "ledger_int.h"

int qm_value_pledge(const struct qm_lookup *lk, const struct qm_record *p, int64_t *cents,
	const char **valuation, const char **why)
{
	*cents = 0;
	*valuation = NULL;
	*why = NULL;
	if (qm_record_get(p, QM_PLEDGE_AMOUNT)) {
		int64_t rate = qm_lookup_rate(lk, qm_record_get(p, QM_PLEDGE_CURRENCY),
			(qm_day)p->num[QM_PLEDGE_DATE], NULL);
		if (rate < 0)
			return -1;
		*cents = qm_money_to_eur(p->num[QM_PLEDGE_AMOUNT], rate);
		*valuation = "stated";
		return 0;
	}
	const char *item = qm_record_get(p, QM_PLEDGE_ITEM);
	struct strmap_entry *e = item ? strmap_get(&lk->items, item) : NULL;
	const struct qm_item_info *it = e ? e->ptr : NULL;
	if (!it || it->unit_price < 0) {
		*why = "its item has no unit price";
		return 1;
	}
	int64_t rate = qm_lookup_rate(lk, it->currency, it->price_date, NULL);
	if (rate < 0) {
		*why = "no ECB rate for the item's price currency on or before its price date";
		return 1;
	}
	__int128 num = (__int128)p->num[QM_PLEDGE_QUANTITY] * it->unit_price * 1000000;
	__int128 q = num / rate, r = num % rate;
	if (r * 2 >= rate)
		q++;
	*cents = (int64_t)q;
	*valuation = "estimated";
	return 0;
}

int qm_revalue_all(struct qm_ledger *l, const struct qm_lookup *lk, struct qm_error *err)
{
	struct qm_stmt *sel, *upd;
	struct qm_record rec;
	int rc, step;
	char sql[640];

	snprintf(sql, sizeof(sql), "%s ORDER BY id", qm_rows_select_sql(qm_kind(QM_PLEDGES)));
	if ((rc = qm_store_prepare(l->store, sql, &sel, err)) != QM_OK)
		return rc;
	qm_stmt_stream(sel);
	if ((rc = qm_store_prepare(l->store,
		     "UPDATE pledges SET own_value_eur_cents = ?, valuation = ?,"
		     " value_eur_cents = ? WHERE id = ?", &upd, err)) != QM_OK) {
		qm_stmt_finalize(sel);
		return rc;
	}
	qm_record_init(&rec, qm_kind(QM_PLEDGES));
	while ((step = qm_stmt_step(sel, err)) == QM_STEP_ROW) {
		int64_t cents;
		const char *valuation, *why;
		qm_rows_read(sel, &rec);
		int v = qm_value_pledge(lk, &rec, &cents, &valuation, &why);
		if (v == 0) {
			qm_stmt_bind_int(upd, 1, cents);
			qm_stmt_bind_int(upd, 3, cents);
		} else {
			qm_stmt_bind_null(upd, 1);
			qm_stmt_bind_null(upd, 3);
		}
		qm_stmt_bind_text(upd, 2, valuation);
		qm_stmt_bind_text(upd, 4, qm_record_get(&rec, QM_PLEDGE_ID));
		int s = qm_stmt_step(upd, err);
		qm_stmt_reset(upd);
		if (s != QM_STEP_DONE) {
			step = QM_STEP_ERROR;
			break;
		}
	}
	qm_record_release(&rec);
	qm_stmt_finalize(sel);
	qm_stmt_finalize(upd);
	if (step != QM_STEP_DONE)
		return err->code;
	return qm_revalue_packages(l, err);
}

struct link {
	char *part_of;
	int states_amount;
	char *counted_in; /* stored now */
	int stale;        /* the stored value does not follow the stored counted_in */
};

static void free_link(void *p)
{
	struct link *k = p;
	if (k) {
		free(k->part_of);
		free(k->counted_in);
	}
	free(k);
}

struct change {
	const char *id, *counted_in;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->id, ((const struct change *)b)->id);
}

#define STALE "value_eur_cents IS DISTINCT FROM" \
	" (CASE WHEN counted_in IS NULL THEN own_value_eur_cents ELSE 0 END)"

const char *qm_counted_in(const char *part_of, qm_package_up up, void *ctx, size_t depth, int *known)
{
	const char *counted_in = NULL, *id = part_of, *key, *above;
	int states;
	*known = 1;
	for (size_t level = 0; id; level++) {
		if (level > depth || !up(ctx, id, &key, &above, &states)) {
			*known = 0;
			break;
		}
		if (states)
			counted_in = key;
		id = above;
	}
	return counted_in;
}

/* qm_package_up over the links of package_changes() */
static int link_up(void *ctx, const char *id, const char **key, const char **part_of, int *states)
{
	struct strmap_entry *e = strmap_get(ctx, id);
	const struct link *k = e ? e->ptr : NULL;
	if (!k)
		return 0;
	*key = e->key;
	*part_of = k->part_of;
	*states = k->states_amount;
	return 1;
}

/* The package links of the ledger and the parts whose stored counted_in or
 * counted value is not what the links give, sorted by id. The caller
 * releases *links (free_link) and frees *out, whose strings *links owns. */
static int package_changes(struct qm_ledger *l, struct strmap *links, struct change **out,
	size_t *nout, struct qm_error *err)
{
	struct qm_stmt *sel;
	int step;
	strmap_init(links);
	*out = NULL;
	*nout = 0;
	/* the parts and the packages, each found through the part_of index */
	int rc = qm_store_prepare(l->store,
		"SELECT id, part_of, amount IS NOT NULL, counted_in, " STALE " FROM pledges"
		" WHERE part_of IS NOT NULL"
		" UNION SELECT id, part_of, amount IS NOT NULL, counted_in, " STALE " FROM pledges"
		" WHERE id IN (SELECT part_of FROM pledges WHERE part_of IS NOT NULL)", &sel, err);
	if (rc != QM_OK)
		return rc;
	while ((step = qm_stmt_step(sel, err)) == QM_STEP_ROW) {
		struct strmap_entry *e = strmap_put(links, qm_stmt_text(sel, 0), NULL);
		if (e && e->ptr)
			continue;
		struct link *k = e ? calloc(1, sizeof(*k)) : NULL;
		if (!k) {
			step = QM_STEP_ERROR;
			qm_error_set(err, QM_EINTERNAL, "out of memory");
			break;
		}
		e->ptr = k;
		k->part_of = qm_stmt_is_null(sel, 1) ? NULL : strdup(qm_stmt_text(sel, 1));
		k->states_amount = (int)qm_stmt_int(sel, 2);
		k->counted_in = qm_stmt_is_null(sel, 3) ? NULL : strdup(qm_stmt_text(sel, 3));
		k->stale = (int)qm_stmt_int(sel, 4);
	}
	qm_stmt_finalize(sel);
	if (step != QM_STEP_DONE)
		return err->code;
	struct change *changes = calloc(links->count + 1, sizeof(*changes));
	if (!changes)
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < links->cap; i++) {
		struct strmap_entry *e = &links->slots[i];
		struct link *k = e->key ? e->ptr : NULL;
		if (!k || !k->part_of)
			continue;
		int known;
		const char *counted_in = qm_counted_in(k->part_of, link_up, links, links->count, &known);
		int same = counted_in && k->counted_in ? strcmp(counted_in, k->counted_in) == 0
			: counted_in == k->counted_in;
		if (!same || k->stale)
			changes[n++] = (struct change){e->key, counted_in};
	}
	qsort(changes, n, sizeof(*changes), by_id);
	*out = changes;
	*nout = n;
	return QM_OK;
}

/* A pledge that is not a part counts by its own value. */
#define NOT_A_PART_STALE \
	" WHERE part_of IS NULL AND (counted_in IS NOT NULL" \
	" OR value_eur_cents IS DISTINCT FROM own_value_eur_cents)"

int qm_revalue_packages(struct qm_ledger *l, struct qm_error *err)
{
	struct qm_stmt *ins = NULL;
	struct strmap links;
	struct change *changes;
	size_t n;

	int rc = qm_store_exec(l->store,
		"UPDATE pledges SET counted_in = NULL, value_eur_cents = own_value_eur_cents"
		NOT_A_PART_STALE, err);
	if (rc == QM_OK)
		rc = package_changes(l, &links, &changes, &n, err);
	else
		strmap_init(&links), changes = NULL, n = 0;
	/* the changes go into a temporary table (in bulk where the store can)
	 * and are applied by one UPDATE: a statement per part would cost a
	 * database server a round trip each */
	if (rc == QM_OK && n > 0)
		rc = qm_store_schema(l->store, "CREATE TEMP TABLE IF NOT EXISTS qm_package_changes("
			"id TEXT PRIMARY KEY, counted_in TEXT)", err);
	if (rc == QM_OK && n > 0)
		rc = qm_store_exec(l->store, "DELETE FROM qm_package_changes", err);
	if (rc == QM_OK && n > 0)
		rc = qm_store_prepare(l->store,
			"INSERT INTO qm_package_changes(id, counted_in) VALUES(?, ?)", &ins, err);
	if (ins)
		qm_stmt_defer(ins);
	for (size_t i = 0; rc == QM_OK && i < n; i++) {
		qm_stmt_bind_text_static(ins, 1, changes[i].id);
		qm_stmt_bind_text_static(ins, 2, changes[i].counted_in);
		if (qm_stmt_step(ins, err) != QM_STEP_DONE)
			rc = err->code;
		qm_stmt_reset(ins);
	}
	if (rc == QM_OK && n > 0)
		rc = qm_store_exec(l->store, "UPDATE pledges SET counted_in = c.counted_in, value_eur_cents ="
			" CASE WHEN c.counted_in IS NULL THEN pledges.own_value_eur_cents ELSE 0 END"
			" FROM qm_package_changes c WHERE pledges.id = c.id", err);
	qm_stmt_finalize(ins);
	free(changes);
	strmap_release(&links, free_link);
	return rc;
}

int qm_values_check(struct qm_ledger *l, const struct qm_lookup *lk, char *bad, size_t nbad,
	char *why, size_t nwhy, struct qm_error *err)
{
	struct qm_stmt *st;
	struct qm_record rec;
	char sql[1024];
	int rc, step;

	/* each pledge's own value, from its data and the rates */
	snprintf(sql, sizeof(sql), "%s", qm_rows_select_sql(qm_kind(QM_PLEDGES)));
	char *from = strstr(sql, " FROM ");
	snprintf(from, sizeof(sql) - (size_t)(from - sql),
		", own_value_eur_cents, valuation FROM pledges ORDER BY id");
	if ((rc = qm_store_prepare(l->store, sql, &st, err)) != QM_OK)
		return rc;
	qm_stmt_stream(st);
	qm_record_init(&rec, qm_kind(QM_PLEDGES));
	int n = qm_kind(QM_PLEDGES)->nfields;
	bad[0] = '\0';
	while (!bad[0] && (step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		int64_t cents;
		const char *valuation, *unvalued_because;
		qm_rows_read(st, &rec);
		int valued = qm_value_pledge(lk, &rec, &cents, &valuation, &unvalued_because) == 0;
		const char *stored = qm_stmt_text(st, n + 1);
		if (valued != !qm_stmt_is_null(st, n)
			|| (valued && (cents != qm_stmt_int(st, n) || !stored || strcmp(stored, valuation) != 0))) {
			snprintf(bad, nbad, "%s", qm_record_get(&rec, QM_PLEDGE_ID));
			char has[32] = "no", gives[32] = "no";
			if (!qm_stmt_is_null(st, n))
				snprintf(has, sizeof(has), "%lld", (long long)qm_stmt_int(st, n));
			if (valued)
				snprintf(gives, sizeof(gives), "%lld", (long long)cents);
			snprintf(why, nwhy, "a stored EUR value of %s cents (%s) where its own data and"
				" the rates give %s cents (%s)", has, stored ? stored : "unvalued", gives,
				valued ? valuation : "unvalued");
		}
	}
	qm_record_release(&rec);
	qm_stmt_finalize(st);
	if (!bad[0] && step != QM_STEP_DONE)
		return err->code;
	if (bad[0])
		return QM_EDATA;

	/* counted values: a part of a valued package counts nothing */
	if ((rc = qm_store_prepare(l->store, "SELECT id FROM pledges" NOT_A_PART_STALE
		     " ORDER BY id LIMIT 1", &st, err)) != QM_OK)
		return rc;
	if ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		snprintf(bad, nbad, "%s", qm_stmt_text(st, 0));
		snprintf(why, nwhy, "a counted value other than its own value, though it is part of"
			" no package");
	}
	qm_stmt_finalize(st);
	if (step == QM_STEP_ERROR)
		return err->code;
	if (bad[0])
		return QM_EDATA;
	struct strmap links;
	struct change *changes;
	size_t nc;
	rc = package_changes(l, &links, &changes, &nc, err);
	if (rc == QM_OK && nc > 0) {
		snprintf(bad, nbad, "%s", changes[0].id);
		snprintf(why, nwhy, "a counted value that does not follow its package (it counts %s)",
			changes[0].counted_in ? "in its package, so nothing of its own" : "by its own value");
		rc = QM_EDATA;
	}
	free(changes);
	strmap_release(&links, free_link);
	return rc;
}
