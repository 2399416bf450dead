/*
 * audit.h - reading the journal back and verifying it: the hash chain is
 * unbroken and every table agrees with the last journaled state of each
 * record, so that edits made behind the program's back are found.
 */
#ifndef QM_AUDIT_H
#define QM_AUDIT_H

#include <stdint.h>

#include "qm/error.h"
#include "qm/ledger.h"

struct qm_journal_entry {
	int64_t seq;
	const char *at, *actor, *action, *kind, *key;
	const char *before, *after; /* JSON objects, or NULL */
	const char *hash;
};

/* Called per entry in sequence order; the entry is valid during the call only. */
typedef int (*qm_journal_cb)(void *ctx, const struct qm_journal_entry *e);

/* Journal entries, all or those of kind (and key when not NULL). */
int qm_log(struct qm_ledger *l, const char *kind, const char *key, qm_journal_cb cb, void *ctx,
	struct qm_error *err);
/* One page of the same entries, newest first: at most limit of them after
 * the offset newest, to cb; how many there are in all into *total. Reads
 * only the page, however long the journal. */
int qm_log_page(struct qm_ledger *l, const char *kind, const char *key, int64_t limit,
	int64_t offset, int64_t *total, qm_journal_cb cb, void *ctx, struct qm_error *err);

struct qm_audit_result {
	long entries;  /* journal entries checked */
	long records;  /* table records checked */
	char head[65]; /* hash of the last entry ("" when the journal is empty): kept
	                * elsewhere, it shows whether entries were later cut off the end */
};

/* QM_OK when the chain and the tables agree; QM_EDATA with err naming the
 * first entry or record that does not; other codes for failures. */
int qm_audit_verify(struct qm_ledger *l, struct qm_audit_result *res, struct qm_error *err);

#endif
