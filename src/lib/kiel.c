/*
 * kiel.c - the Kiel Institute's heavy-weapons table read into pledges.
 *
 * Each row gives a donor (by name), a category, a count, a EUR value and a
 * list `Weapon (n); Weapon (n)`. Donors are matched to parties by name or
 * alias, weapons to items by name or alias (case-insensitive). One pledge is
 * made per donor and item (counts of the same item summed), with the row's
 * value apportioned among its weapons by count x the item's unit price when
 * every weapon of the row is priced, else by count, to the cent by largest
 * remainder so that each row's value is kept exactly. Weapons that match no
 * item become money-only pledges and are reported as warnings, as is a row
 * whose number_of_weapons differs from the sum of its list.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "qm/csv.h"
#include "qm/money.h"
#include "import_int.h"

#define KIEL_DEFAULT_DATE "2024-12-31"

struct weapon {
	char name[160];
	char item[65];   /* "" when unmatched */
	int64_t count;
	int64_t weight;
	int64_t cents;
};

struct pledge_acc {
	char id[65], donor[17], item[65], name[160], category[64];
	int64_t quantity, cents;
	long line, column;
	struct pledge_acc *next;
};

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* name (and each ;-separated alias) -> code, lower-cased */
static int load_names(struct qm_importer *imp, const char *sql, struct strmap *m)
{
	struct qm_error err;
	struct qm_stmt *st;
	int step;
	if (qm_store_prepare(qm_ledger_store(qm_importer_ledger(imp)), sql, &st, &err) != QM_OK)
		return err.code;
	while ((step = qm_stmt_step(st, &err)) == QM_STEP_ROW) {
		char buf[1024];
		const char *code = qm_stmt_text(st, 0);
		for (int col = 1; col <= 2; col++) {
			const char *t = qm_stmt_text(st, col);
			if (!t)
				continue;
			snprintf(buf, sizeof(buf), "%s", t);
			for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";")) {
				while (*tok == ' ')
					tok++;
				size_t n = strlen(tok);
				while (n && tok[n - 1] == ' ')
					tok[--n] = '\0';
				lower(tok);
				struct strmap_entry *e = strmap_put(m, tok, NULL);
				if (e && !e->ptr)
					e->ptr = strdup(code);
			}
		}
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_DONE ? QM_OK : err.code;
}

#define WEAPONS_MAX 64

/* Split "A (1); B (T-72A) (2)" into weapons; the count is the last (n).
 * Returns how many, -1 when malformed, -2 when there are more than max. */
static int parse_list(const char *list, struct weapon *w, int max)
{
	char buf[4096];
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";")) {
		if (n == max)
			return -2;
		while (*tok == ' ')
			tok++;
		size_t len = strlen(tok);
		while (len && tok[len - 1] == ' ')
			tok[--len] = '\0';
		char *open = strrchr(tok, '(');
		if (!open || tok[len - 1] != ')')
			return -1;
		char *end;
		long long c = strtoll(open + 1, &end, 10);
		if (end != tok + len - 1 || c <= 0)
			return -1;
		*open = '\0';
		len = strlen(tok);
		while (len && tok[len - 1] == ' ')
			tok[--len] = '\0';
		snprintf(w[n].name, sizeof(w[n].name), "%s", tok);
		w[n].item[0] = '\0';
		w[n].count = c;
		n++;
	}
	return n;
}

static void apportion(struct weapon *w, int n, int64_t total)
{
	__int128 sum = 0;
	int64_t given = 0;
	for (int i = 0; i < n; i++)
		sum += w[i].weight;
	if (sum == 0)
		return;
	int64_t rem[64];
	for (int i = 0; i < n; i++) {
		__int128 p = (__int128)total * w[i].weight;
		w[i].cents = (int64_t)(p / sum);
		rem[i] = (int64_t)(p % sum);
		given += w[i].cents;
	}
	for (int64_t left = total - given; left > 0; left--) {
		int best = 0;
		for (int i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		w[best].cents++;
		rem[best] = -1;
	}
}

static void slug(const char *name, char *out, size_t n)
{
	size_t j = 0;
	int dash = 0;
	for (const char *p = name; *p && j + 1 < n; p++) {
		if (isalnum((unsigned char)*p)) {
			out[j++] = (char)tolower((unsigned char)*p);
			dash = 0;
		} else if (!dash && j > 0) {
			out[j++] = '-';
			dash = 1;
		}
	}
	while (j > 0 && out[j - 1] == '-')
		j--;
	out[j] = '\0';
}

int qm_read_kiel(struct qm_importer *imp, FILE *fp)
{
	const struct qm_import_options *opt = qm_importer_options(imp);
	struct qm_lookup *lk = qm_importer_lookup(imp);
	struct strmap donors, items, accs;
	struct qm_csv_reader *r;
	struct qm_error err;
	const struct qm_csv_field *f;
	struct pledge_acc *first = NULL, **tail = &first;
	size_t n;
	int got, rc;
	int col[5];
	static const char *const cols[] = {"donor", "category", "number_of_weapons",
		"monetary_value_eur", "weapons_list"};

	strmap_init(&donors);
	strmap_init(&items);
	strmap_init(&accs);
	rc = load_names(imp, "SELECT code, name, aliases FROM parties", &donors);
	if (rc == QM_OK)
		rc = load_names(imp, "SELECT code, name, aliases FROM items", &items);
	if (rc == QM_OK)
		rc = qm_csv_open(&r, fp, qm_importer_source(imp), &err);
	if (rc != QM_OK)
		goto out;
	got = qm_csv_next(r, &f, &n, &err);
	if (got <= 0) {
		qm_importer_error(imp, 0, got < 0 ? err.line : 1, got < 0 ? err.column : 1, NULL, NULL,
			"%s", got < 0 ? err.message : "a header row, got an empty file");
		goto close;
	}
	for (int c = 0; c < 5; c++) {
		col[c] = -1;
		for (size_t i = 0; i < n; i++)
			if (strcmp(f[i].text, cols[c]) == 0)
				col[c] = (int)i;
		if (col[c] < 0)
			qm_importer_error(imp, 0, 1, 1, NULL, NULL,
				"the Kiel heavy-weapons columns (donor, category, number_of_weapons,"
				" monetary_value_eur, weapons_list), got no '%s'", cols[c]);
	}
	if (col[0] < 0 || col[1] < 0 || col[2] < 0 || col[3] < 0 || col[4] < 0)
		goto close;
	size_t ncols = n;
	while (!qm_importer_full(imp) && (got = qm_csv_next(r, &f, &n, &err)) == 1) {
		struct weapon w[WEAPONS_MAX];
		if (n != ncols) {
			qm_importer_error(imp, 0, f[0].line, f[0].column, NULL, NULL,
				"a row of %zu fields like the header, got %zu", ncols, n);
			continue;
		}
		const struct qm_csv_field *fd = &f[col[0]], *fv = &f[col[3]], *fl = &f[col[4]];
		char key[1024];
		snprintf(key, sizeof(key), "%s", fd->text);
		char *donor = key;
		while (*donor == ' ')
			donor++;
		for (size_t len = strlen(donor); len && donor[len - 1] == ' '; len--)
			donor[len - 1] = '\0';
		memmove(key, donor, strlen(donor) + 1);
		lower(key);
		struct strmap_entry *de = strmap_get(&donors, key);
		if (!de) {
			qm_importer_error(imp, 0, fd->line, fd->column, NULL, "donor",
				"the name or alias of a known party, got '%s'", fd->text);
			continue;
		}
		int64_t value;
		if (qm_decimal_parse(fv->text, 2, 0, &value) < 0) {
			qm_importer_error(imp, 0, fv->line, fv->column, NULL, "monetary_value_eur",
				"an amount in euros, got '%s'", fv->text);
			continue;
		}
		int nw = parse_list(fl->text, w, WEAPONS_MAX);
		if (nw <= 0) {
			qm_importer_error(imp, 0, fl->line, fl->column, NULL, "weapons_list", nw == -2
				? "at most 64 weapons in one row, got '%s'"
				: "weapons as 'Name (n); Name (n)', got '%s'", fl->text);
			continue;
		}
		int64_t listed = 0, stated;
		for (int i = 0; i < nw; i++)
			listed += w[i].count;
		const struct qm_csv_field *fn = &f[col[2]];
		if (qm_decimal_parse(fn->text, 0, 0, &stated) < 0 || stated != listed)
			qm_importer_error(imp, 1, fn->line, fn->column, NULL, "number_of_weapons",
				"the sum of the counts in weapons_list (%lld), got '%s'; the list's counts are"
				" used", (long long)listed, fn->text);
		int all_priced = 1;
		for (int i = 0; i < nw; i++) {
			snprintf(key, sizeof(key), "%s", w[i].name);
			lower(key);
			struct strmap_entry *ie = strmap_get(&items, key);
			if (ie)
				snprintf(w[i].item, sizeof(w[i].item), "%s", (char *)ie->ptr);
			struct strmap_entry *info = ie ? strmap_get(&lk->items, w[i].item) : NULL;
			const struct qm_item_info *it = info ? info->ptr : NULL;
			int64_t rate = it && it->unit_price >= 0
				? qm_lookup_rate(lk, it->currency, it->price_date, NULL) : -1;
			if (rate < 0)
				all_priced = 0;
			else
				w[i].weight = qm_muldiv_round(it->unit_price, 1000000, rate);
		}
		for (int i = 0; i < nw; i++)
			w[i].weight = all_priced ? w[i].weight * w[i].count : w[i].count;
		apportion(w, nw, value);
		for (int i = 0; i < nw; i++) {
			char id[128], s[96];
			if (!w[i].item[0]) {
				slug(w[i].name, s, sizeof(s));
				qm_importer_error(imp, 1, fl->line, fl->column, NULL, "weapons_list",
					"no catalogue item has the name or alias '%s'; pledged as money only"
					" (add the name to an item's aliases)", w[i].name);
				qm_importer_result(imp)->unmatched++;
			}
			/* ':' cannot occur in an item code, so an unmatched name never
			 * lands on an item's pledge */
			snprintf(id, sizeof(id), "kiel-%s-%s%s", (char *)de->ptr, w[i].item[0] ? "" : "name:",
				w[i].item[0] ? w[i].item : s);
			id[64] = '\0';
			int created;
			struct strmap_entry *ae = strmap_put(&accs, id, &created);
			if (!ae) {
				rc = QM_EINTERNAL;
				goto close;
			}
			struct pledge_acc *a = ae->ptr;
			if (created) {
				a = ae->ptr = calloc(1, sizeof(*a));
				if (!a) {
					rc = QM_EINTERNAL;
					goto close;
				}
				snprintf(a->id, sizeof(a->id), "%s", id);
				snprintf(a->donor, sizeof(a->donor), "%s", (char *)de->ptr);
				snprintf(a->item, sizeof(a->item), "%s", w[i].item);
				snprintf(a->name, sizeof(a->name), "%s", w[i].name);
				snprintf(a->category, sizeof(a->category), "%s", f[col[1]].text);
				a->line = fl->line;
				a->column = fl->column;
				*tail = a;
				tail = &a->next;
			}
			a->quantity += w[i].count;
			a->cents += w[i].cents;
		}
	}
	if (got < 0) {
		qm_importer_error(imp, 0, err.line, err.column, NULL, NULL, "%s", err.message);
		goto close;
	}
	for (struct pledge_acc *a = first; a && rc == QM_OK; a = a->next) {
		char qty[24], amount[32], note[512], source[256];
		snprintf(qty, sizeof(qty), "%lld", (long long)a->quantity);
		qm_decimal_format(a->cents, 2, 1, amount);
		snprintf(note, sizeof(note), "%s (%lld)%s", a->name, (long long)a->quantity,
			a->item[0] ? "; value apportioned from the Kiel category total"
				   : "; weapon not in the catalogue, so pledged as money only");
		snprintf(source, sizeof(source), "%s (category %s)", QM_KIEL_SOURCE, a->category);
		const char *date = opt->date ? opt->date : KIEL_DEFAULT_DATE;
		struct qm_src_row row = {0};
		row.line = a->line;
		row.column = a->column;
#define SET(i, t) row.f[i] = (struct qm_src_field){t, a->line, a->column, NULL}
		SET(QM_PLEDGE_ID, a->id);
		SET(QM_PLEDGE_DONOR, a->donor);
		SET(QM_PLEDGE_DATE, date);
		if (a->item[0]) {
			SET(QM_PLEDGE_ITEM, a->item);
			SET(QM_PLEDGE_QUANTITY, qty);
		}
		SET(QM_PLEDGE_AMOUNT, amount);
		SET(QM_PLEDGE_CURRENCY, "EUR");
		SET(QM_PLEDGE_STATUS, opt->status ? opt->status : "committed");
		SET(QM_PLEDGE_COST_TYPE, "in-kind");
		SET(QM_PLEDGE_CHANNEL, "bilateral");
		SET(QM_PLEDGE_SOURCE, source);
		SET(QM_PLEDGE_NOTE, note);
#undef SET
		rc = qm_importer_row(imp, &row);
	}
close:
	qm_csv_close(r);
out:
	strmap_release(&donors, free);
	strmap_release(&items, free);
	strmap_release(&accs, free);
	return rc;
}
