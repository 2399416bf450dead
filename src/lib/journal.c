/*
 * journal.c - the append-only journal: each change with its time, actor,
 * kind, key, the record before and after (as JSON), and a SHA-256 hash that
 * chains it to the entry before it, so that any edit behind the program's
 * back breaks the chain or disagrees with the tables (see audit.c).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "ledger_int.h"

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void feed(crypto_hash_sha256_state *h, const char *s)
{
	/* each part is length-prefixed so that no two entries hash alike by
	 * moving text from one part to the next; NULL differs from "" */
	char len[24];
	if (!s) {
		crypto_hash_sha256_update(h, (const unsigned char *)"-\n", 2);
		return;
	}
	size_t n = strlen(s);
	int k = snprintf(len, sizeof(len), "%zu\n", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

void qm_journal_hash(const char *prev, int64_t seq, const char *at, const char *actor,
	const char *action, const char *kind, const char *key, const char *before,
	const char *after, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char seqbuf[24];
	snprintf(seqbuf, sizeof(seqbuf), "%lld", (long long)seq);
	crypto_hash_sha256_init(&h);
	feed(&h, prev);
	feed(&h, seqbuf);
	feed(&h, at);
	feed(&h, actor);
	feed(&h, action);
	feed(&h, kind);
	feed(&h, key);
	feed(&h, before);
	feed(&h, after);
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static void now_iso(char out[32])
{
	const char *fixed = getenv("QM_NOW");
	if (fixed && *fixed) {
		snprintf(out, 32, "%s", fixed);
		return;
	}
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int qm_journal_begin(struct qm_journal *j, struct qm_ledger *l, struct qm_error *err)
{
	struct qm_stmt *st;
	memset(j, 0, sizeof(*j));
	j->ledger = l;
	if (sodium_init() < 0)
		return qm_error_set(err, QM_EINTERNAL, "libsodium could not start");
	now_iso(j->at);
	int rc = qm_store_prepare(l->store,
		"SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", &st, err);
	if (rc != QM_OK)
		return rc;
	memcpy(j->prev, zero_hash, 65);
	int step = qm_stmt_step(st, err);
	if (step == QM_STEP_ROW) {
		j->seq = qm_stmt_int(st, 0);
		snprintf(j->prev, sizeof(j->prev), "%s", qm_stmt_text(st, 1));
	}
	qm_stmt_finalize(st);
	if (step == QM_STEP_ERROR)
		return err->code;
	return qm_store_prepare(l->store,
		"INSERT INTO journal(seq, at, actor, action, kind, key, before, after, hash)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", &j->insert, err);
}

int qm_journal_append(struct qm_journal *j, const char *action, const struct qm_record *before,
	const struct qm_record *after, struct qm_error *err)
{
	char key[256], hash[65];
	const struct qm_record *any = after ? after : before;
	char *bj = before ? qm_record_to_json(before) : NULL;
	char *aj = after ? qm_record_to_json(after) : NULL;
	int64_t seq = j->seq + 1;

	qm_record_key(any, key, sizeof(key));
	qm_journal_hash(j->prev, seq, j->at, j->ledger->actor, action, any->kind->name, key, bj, aj,
		hash);
	qm_stmt_bind_int(j->insert, 1, seq);
	qm_stmt_bind_text(j->insert, 2, j->at);
	qm_stmt_bind_text(j->insert, 3, j->ledger->actor);
	qm_stmt_bind_text(j->insert, 4, action);
	qm_stmt_bind_text(j->insert, 5, any->kind->name);
	qm_stmt_bind_text(j->insert, 6, key);
	qm_stmt_bind_text(j->insert, 7, bj);
	qm_stmt_bind_text(j->insert, 8, aj);
	qm_stmt_bind_text(j->insert, 9, hash);
	int rc = qm_stmt_step(j->insert, err);
	qm_stmt_reset(j->insert);
	free(bj);
	free(aj);
	if (rc != QM_STEP_DONE)
		return rc == QM_STEP_CONSTRAINT
			? qm_error_set(err, QM_EINTERNAL, "journal entry %lld exists already", (long long)seq)
			: err->code;
	j->seq = seq;
	memcpy(j->prev, hash, 65);
	return QM_OK;
}

void qm_journal_end(struct qm_journal *j)
{
	qm_stmt_finalize(j->insert);
	j->insert = NULL;
}
