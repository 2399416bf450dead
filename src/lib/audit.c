/*
 * audit.c - the journal read back (qm_log) and verified (qm_audit_verify):
 * first the hash chain, entry by entry, then each table against the last
 * journaled state of each record, by merging two streams sorted by key so
 * that memory stays flat however large the ledger is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "qm/audit.h"
#include "ledger_int.h"

/* Prepare what (columns) FROM journal, for kind and key when given, then
 * rest; the parameters of rest are bound from *next on. */
static int journal_select(struct qm_ledger *l, const char *what, const char *kind, const char *key,
	const char *rest, struct qm_stmt **st, int *next, struct qm_error *err)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT %s FROM journal%s%s", what,
		kind && key ? " WHERE kind = ? AND key = ?" : kind ? " WHERE kind = ?" : "", rest);
	int rc = qm_store_prepare(l->store, sql, st, err);
	if (rc != QM_OK)
		return rc;
	*next = 1;
	if (kind)
		qm_stmt_bind_text(*st, (*next)++, kind);
	if (kind && key)
		qm_stmt_bind_text(*st, (*next)++, key);
	return QM_OK;
}

#define ENTRY_COLUMNS "seq, at, actor, action, kind, key, before, after, hash"

/* Each row of st, an entry of ENTRY_COLUMNS, to cb until it says stop. */
static int each_entry(struct qm_stmt *st, qm_journal_cb cb, void *ctx, struct qm_error *err)
{
	int step;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct qm_journal_entry e = {qm_stmt_int(st, 0), qm_stmt_text(st, 1), qm_stmt_text(st, 2),
			qm_stmt_text(st, 3), qm_stmt_text(st, 4), qm_stmt_text(st, 5), qm_stmt_text(st, 6),
			qm_stmt_text(st, 7), qm_stmt_text(st, 8)};
		if (cb(ctx, &e))
			break;
	}
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

int qm_log(struct qm_ledger *l, const char *kind, const char *key, qm_journal_cb cb, void *ctx,
	struct qm_error *err)
{
	struct qm_stmt *st;
	int next, rc = journal_select(l, ENTRY_COLUMNS, kind, key, " ORDER BY seq", &st, &next, err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_stream(st);
	rc = each_entry(st, cb, ctx, err);
	qm_stmt_finalize(st);
	return rc;
}

int qm_log_page(struct qm_ledger *l, const char *kind, const char *key, int64_t limit,
	int64_t offset, int64_t *total, qm_journal_cb cb, void *ctx, struct qm_error *err)
{
	struct qm_stmt *st;
	int next, rc = journal_select(l, "count(*)", kind, key, "", &st, &next, err);
	if (rc != QM_OK)
		return rc;
	int step = qm_stmt_step(st, err);
	*total = step == QM_STEP_ROW ? qm_stmt_int(st, 0) : 0;
	qm_stmt_finalize(st);
	if (step != QM_STEP_ROW)
		return step == QM_STEP_ERROR ? err->code : QM_OK;
	rc = journal_select(l, ENTRY_COLUMNS, kind, key, " ORDER BY seq DESC LIMIT ? OFFSET ?", &st, &next,
		err);
	if (rc != QM_OK)
		return rc;
	qm_stmt_bind_int(st, next, limit);
	qm_stmt_bind_int(st, next + 1, offset);
	rc = each_entry(st, cb, ctx, err);
	qm_stmt_finalize(st);
	return rc;
}

static int verify_chain(struct qm_ledger *l, struct qm_audit_result *res, struct qm_error *err)
{
	struct qm_stmt *st;
	char prev[65], hash[65];
	int64_t expect = 1;
	int step;
	struct qm_hasher hasher;
	memset(prev, '0', 64);
	prev[64] = '\0';
	int rc = qm_hasher_init(&hasher, err);
	if (rc != QM_OK)
		return rc;
	rc = qm_store_prepare(l->store, "SELECT " ENTRY_COLUMNS " FROM journal ORDER BY seq", &st, err);
	if (rc != QM_OK) {
		qm_hasher_release(&hasher);
		return rc;
	}
	qm_stmt_stream(st);
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		int64_t seq = qm_stmt_int(st, 0);
		const char *stored = qm_stmt_text(st, 8);
		res->entries++;
		if (seq != expect) {
			rc = qm_error_set(err, QM_EDATA,
				"journal entry %lld follows entry %lld: entries were removed or renumbered",
				(long long)seq, (long long)expect - 1);
			break;
		}
		qm_journal_hash(&hasher, prev, seq, qm_stmt_text(st, 1), qm_stmt_text(st, 2), qm_stmt_text(st, 3),
			qm_stmt_text(st, 4), qm_stmt_text(st, 5), qm_stmt_text(st, 6), qm_stmt_text(st, 7),
			hash);
		if (!stored || strcmp(stored, hash) != 0) {
			rc = qm_error_set(err, QM_EDATA,
				"journal entry %lld (%s %s '%s') does not match its hash, chained from the"
				" entry before it: an entry was changed after it was written", (long long)seq, qm_stmt_text(st, 3),
				qm_stmt_text(st, 4), qm_stmt_text(st, 5));
			break;
		}
		memcpy(prev, hash, 65);
		memcpy(res->head, hash, 65);
		expect++;
	}
	qm_stmt_finalize(st);
	qm_hasher_release(&hasher);
	if (step == QM_STEP_ERROR)
		return err->code;
	return rc;
}

/* The first field whose value differs between two JSON objects, or NULL. */
static const char *differing_field(const char *a, const char *b, char *va, char *vb, size_t n)
{
	static char name[64];
	json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
	const char *found = NULL;
	const char *k;
	json_t *v;
	if (ja && jb) {
		/* fields left out of the JSON are empty: compare both ways */
		for (int pass = 0; pass < 2 && !found; pass++) {
			json_t *x = pass ? jb : ja, *y = pass ? ja : jb;
			json_object_foreach(x, k, v) {
				json_t *w = json_object_get(y, k);
				if (w && json_equal(v, w))
					continue;
				snprintf(name, sizeof(name), "%s", k);
				snprintf(pass ? vb : va, n, "%s", json_string_value(v));
				snprintf(pass ? va : vb, n, "%s", w ? json_string_value(w) : "");
				found = name;
				break;
			}
		}
	}
	json_decref(ja);
	json_decref(jb);
	return found;
}

static int verify_kind(struct qm_ledger *l, const struct qm_kind *k, struct qm_audit_result *res,
	struct qm_error *err)
{
	char sql[1024], keyexpr[256];
	struct qm_stmt *tab, *jr;
	struct qm_record rec;
	size_t used = 0;
	int rc;

	/* text keys stay columns, so that they sort by their column's collation
	 * (bytes, on both backends); numbers are cast */
	for (int i = 0; i < k->nkeys; i++)
		used += (size_t)snprintf(keyexpr + used, sizeof(keyexpr) - used,
			qm_ftype_is_numeric(k->fields[i].type) ? "%sCAST(\"%s\" AS TEXT)" : "%s\"%s\"",
			i ? " || '|' || " : "", k->fields[i].name);
	/* the fields in schema order, then the key expression to merge on */
	char select[1024];
	snprintf(select, sizeof(select), "%s", qm_rows_select_sql(k));
	char *from = strstr(select, " FROM ");
	*from = '\0';
	snprintf(sql, sizeof(sql), "%s, %s AS k FROM %s ORDER BY k", select, keyexpr, k->name);
	if ((rc = qm_store_prepare(l->store, sql, &tab, err)) != QM_OK)
		return rc;
	if ((rc = qm_store_prepare(l->store,
		     /* the last entry of each record, in key order: the journal has no
		      * index by record (it would slow every import), so this sorts */
		     "SELECT j.key, j.seq, j.after FROM (SELECT key, max(seq) AS seq FROM journal"
		     " WHERE kind = ? GROUP BY key) m JOIN journal j ON j.seq = m.seq ORDER BY m.key",
		     &jr, err))
		!= QM_OK) {
		qm_stmt_finalize(tab);
		return rc;
	}
	qm_stmt_stream(tab);
	qm_stmt_stream(jr);
	qm_stmt_bind_text(jr, 1, k->name);
	qm_record_init(&rec, k);

	int ts = qm_stmt_step(tab, err), js = qm_stmt_step(jr, err);
	char *jkey = NULL, *jafter = NULL, *jbuf = NULL;
	size_t jcap = 0;
	int64_t jseq = 0;
	/* advance the journal stream to its next key, keeping the last entry of it */
#define NEXT_JOURNAL()                                                               \
	do {                                                                         \
		free(jkey);                                                          \
		free(jafter);                                                        \
		jkey = jafter = NULL;                                                \
		while (js == QM_STEP_ROW) {                                          \
			const char *key_ = qm_stmt_text(jr, 0);                      \
			if (jkey && strcmp(key_, jkey) != 0)                         \
				break;                                               \
			if (!jkey)                                                   \
				jkey = strdup(key_);                                 \
			free(jafter);                                                \
			jafter = qm_stmt_is_null(jr, 2) ? NULL : strdup(qm_stmt_text(jr, 2)); \
			jseq = qm_stmt_int(jr, 1);                                   \
			js = qm_stmt_step(jr, err);                                  \
		}                                                                    \
	} while (0)
	NEXT_JOURNAL();
	rc = QM_OK;
	while (rc == QM_OK && (ts == QM_STEP_ROW || jkey)) {
		const char *tkey = ts == QM_STEP_ROW ? qm_stmt_text(tab, k->nfields) : NULL;
		int cmp = !tkey ? 1 : !jkey ? -1 : strcmp(tkey, jkey);
		if (cmp < 0) {
			rc = qm_error_set(err, QM_EDATA,
				"%s '%s' is in the table but not in the journal: it was added behind qm's back",
				k->name, tkey);
		} else if (cmp > 0) {
			if (jafter)
				rc = qm_error_set(err, QM_EDATA,
					"%s '%s' is in the journal (entry %lld) but not in the table: it was"
					" removed behind qm's back", k->name, jkey, (long long)jseq);
			else
				NEXT_JOURNAL();
		} else {
			qm_rows_read(tab, &rec);
			char *json = qm_record_to_json(&rec, &jbuf, &jcap);
			res->records++;
			if (!jafter || strcmp(json, jafter) != 0) {
				char va[128] = "", vb[128] = "";
				const char *field = jafter ? differing_field(json, jafter, va, vb, sizeof(va)) : NULL;
				if (field)
					rc = qm_error_set(err, QM_EDATA,
						"%s '%s' differs from its last journal entry (%lld): %s is '%s' in"
						" the table but '%s' in the journal: it was changed behind qm's back",
						k->name, tkey, (long long)jseq, field, va, vb);
				else
					rc = qm_error_set(err, QM_EDATA,
						"%s '%s' differs from its last journal entry (%lld)", k->name, tkey,
						(long long)jseq);
			}
			ts = qm_stmt_step(tab, err);
			NEXT_JOURNAL();
		}
	}
#undef NEXT_JOURNAL
	if (rc == QM_OK && (ts == QM_STEP_ERROR || js == QM_STEP_ERROR))
		rc = err->code;
	free(jkey);
	free(jafter);
	free(jbuf);
	qm_record_release(&rec);
	qm_stmt_finalize(tab);
	qm_stmt_finalize(jr);
	return rc;
}

/* The stored values of pledges are derived, not journaled: recompute and
 * compare them. */
static int verify_values(struct qm_ledger *l, struct qm_error *err)
{
	struct qm_lookup lk;
	char bad[128], why[256];
	int rc = qm_lookup_load(&lk, l, 1, err);
	if (rc == QM_OK)
		rc = qm_values_check(l, &lk, bad, sizeof(bad), why, sizeof(why), err);
	qm_lookup_release(&lk);
	if (rc == QM_EDATA)
		rc = qm_error_set(err, QM_EDATA, "pledges '%s' has %s: it was changed behind qm's back",
			bad, why);
	return rc;
}

int qm_audit_verify(struct qm_ledger *l, struct qm_audit_result *res, struct qm_error *err)
{
	memset(res, 0, sizeof(*res));
	int rc = verify_chain(l, res, err);
	for (int i = 0; rc == QM_OK && i < QM_KIND_COUNT; i++)
		rc = verify_kind(l, qm_kind(i), res, err);
	if (rc == QM_OK)
		rc = verify_values(l, err);
	return rc;
}
