/*
 * journal.c - the append-only journal: each change with its time, actor,
 * kind, key, the record before and after (as JSON), and a SHA-256 hash that
 * chains it to the entry before it, so that any edit behind the program's
 * back breaks the chain or disagrees with the tables (see audit.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "ledger_int.h"

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* Decimal digits of v into buf (at least 21 bytes); returns their count. */
static size_t put_uint(char *buf, uint64_t v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static void feed(EVP_MD_CTX *h, const char *s)
{
	/* each part is length-prefixed so that no two entries hash alike by
	 * moving text from one part to the next; NULL differs from "" */
	char len[24];
	if (!s) {
		EVP_DigestUpdate(h, "-\n", 2);
		return;
	}
	size_t n = strlen(s);
	size_t k = put_uint(len, n);
	len[k++] = '\n';
	EVP_DigestUpdate(h, len, k);
	EVP_DigestUpdate(h, s, n);
}

/* SHA-256 comes from OpenSSL's libcrypto, which uses the processor's SHA
 * instructions where it has them: hashing is most of the journal's cost. */
int qm_hasher_init(struct qm_hasher *hs, struct qm_error *err)
{
	hs->ctx = EVP_MD_CTX_new();
	hs->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!hs->ctx || !hs->md) {
		qm_hasher_release(hs);
		return qm_error_set(err, QM_EINTERNAL, "OpenSSL offers no SHA-256");
	}
	return QM_OK;
}

void qm_hasher_release(struct qm_hasher *hs)
{
	EVP_MD_CTX_free(hs->ctx);
	EVP_MD_free(hs->md);
	hs->ctx = NULL;
	hs->md = NULL;
}

void qm_journal_hash(struct qm_hasher *hs, const char *prev, int64_t seq, const char *at,
	const char *actor, const char *action, const char *kind, const char *key,
	const char *before, const char *after, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	EVP_MD_CTX *h = hs->ctx;
	unsigned char digest[32];
	unsigned int dlen = 0;
	char seqbuf[24];

	seqbuf[put_uint(seqbuf, (uint64_t)seq)] = '\0';
	EVP_DigestInit_ex(h, hs->md, NULL);
	feed(h, prev);
	feed(h, seqbuf);
	feed(h, at);
	feed(h, actor);
	feed(h, action);
	feed(h, kind);
	feed(h, key);
	feed(h, before);
	feed(h, after);
	EVP_DigestFinal_ex(h, digest, &dlen);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
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
	now_iso(j->at);
	int hrc = qm_hasher_init(&j->hasher, err);
	if (hrc != QM_OK)
		return hrc;
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

int qm_journal_prepare(struct qm_journal *j, const char *action, const struct qm_record *before,
	const struct qm_record *after, struct qm_journal_change *c, struct qm_error *err)
{
	const struct qm_record *any = after ? after : before;
	c->before = before ? qm_record_to_json(before, &c->before_buf, &c->before_cap) : NULL;
	c->after = after ? qm_record_to_json(after, &c->after_buf, &c->after_cap) : NULL;
	if ((before && !c->before) || (after && !c->after))
		return qm_error_set(err, QM_EINTERNAL, "out of memory");
	c->seq = ++j->seq;
	c->action = action;
	c->kind = any->kind->name;
	qm_record_key(any, c->key, sizeof(c->key));
	qm_journal_hash(&j->hasher, j->prev, c->seq, j->at, j->ledger->actor, action, c->kind, c->key,
		c->before, c->after, c->hash);
	memcpy(j->prev, c->hash, 65);
	return QM_OK;
}

int qm_journal_write(struct qm_journal *j, const struct qm_journal_change *c, struct qm_error *err)
{
	qm_stmt_bind_int(j->insert, 1, c->seq);
	/* everything bound stays unchanged until the step below */
	qm_stmt_bind_text_static(j->insert, 2, j->at);
	qm_stmt_bind_text_static(j->insert, 3, j->ledger->actor);
	qm_stmt_bind_text_static(j->insert, 4, c->action);
	qm_stmt_bind_text_static(j->insert, 5, c->kind);
	qm_stmt_bind_text_static(j->insert, 6, c->key);
	qm_stmt_bind_text_static(j->insert, 7, c->before);
	qm_stmt_bind_text_static(j->insert, 8, c->after);
	qm_stmt_bind_text_static(j->insert, 9, c->hash);
	int rc = qm_stmt_step(j->insert, err);
	qm_stmt_reset(j->insert);
	if (rc != QM_STEP_DONE)
		return rc == QM_STEP_CONSTRAINT
			? qm_error_set(err, QM_EINTERNAL, "journal entry %lld exists already",
				(long long)c->seq)
			: err->code;
	return QM_OK;
}

int qm_journal_append(struct qm_journal *j, const char *action, const struct qm_record *before,
	const struct qm_record *after, struct qm_error *err)
{
	int rc = qm_journal_prepare(j, action, before, after, &j->change, err);
	return rc == QM_OK ? qm_journal_write(j, &j->change, err) : rc;
}

void qm_journal_change_release(struct qm_journal_change *c)
{
	free(c->before_buf);
	free(c->after_buf);
	memset(c, 0, sizeof(*c));
}

void qm_journal_end(struct qm_journal *j)
{
	qm_stmt_finalize(j->insert);
	j->insert = NULL;
	qm_journal_change_release(&j->change);
	qm_hasher_release(&j->hasher);
}
