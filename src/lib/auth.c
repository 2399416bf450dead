/*
 * auth.c - accounts, roles, tokens and sessions (auth.h) on libsodium:
 * argon2id password hashes, random secrets of which only the SHA-256 is
 * kept. The tables are users, tokens and sessions (schema version 3).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "qm/auth.h"
#include "qm/codes.h"
#include "ledger_int.h"

int qm_role_parse(const char *text, struct qm_role *out)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(text, "admin") == 0)
		out->kind = QM_ROLE_ADMIN;
	else if (strcmp(text, "coordinator") == 0)
		out->kind = QM_ROLE_COORDINATOR;
	else if (strcmp(text, "viewer") == 0)
		out->kind = QM_ROLE_VIEWER;
	else if (strncmp(text, "donor:", 6) == 0 && strlen(text + 6) >= 2 && strlen(text + 6) <= 16) {
		out->kind = QM_ROLE_DONOR;
		for (const char *p = text + 6; *p; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
				return -1;
		snprintf(out->party, sizeof(out->party), "%s", text + 6);
	} else
		return -1;
	return 0;
}

int qm_role_may_write(const struct qm_role *role, const char *kind, const char *party)
{
	switch (role->kind) {
	case QM_ROLE_COORDINATOR:
		return 1;
	case QM_ROLE_DONOR:
		return (strcmp(kind, "pledges") == 0 || strcmp(kind, "deliveries") == 0) && party
			&& strcmp(party, role->party) == 0;
	default:
		return 0;
	}
}

int qm_user_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
			|| *p == '.' || *p == '_' || *p == '-' || *p == '@'))
			return 0;
	return 1;
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void start_sodium(void)
{
	sodium_ok = sodium_init() >= 0
		&& crypto_pwhash_str(dummy_hash, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static int need_sodium(struct qm_error *err)
{
	pthread_once(&sodium_once, start_sodium);
	return sodium_ok ? QM_OK : qm_error_set(err, QM_EINTERNAL, "libsodium failed to start");
}

static void now_text(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* 32 random bytes as hex into secret, and their SHA-256 as hex into hash. */
static void new_secret(char secret[65], char hash[65])
{
	unsigned char raw[32], digest[crypto_hash_sha256_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(secret, 65, raw, sizeof(raw));
	crypto_hash_sha256(digest, (const unsigned char *)secret, 64);
	sodium_bin2hex(hash, 65, digest, sizeof(digest));
	sodium_memzero(raw, sizeof(raw));
}

static int hash_of(const char *secret, char hash[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	if (strlen(secret) != 64)
		return -1;
	crypto_hash_sha256(digest, (const unsigned char *)secret, 64);
	sodium_bin2hex(hash, 65, digest, sizeof(digest));
	return 0;
}

/* Run one statement with text parameters (NULL-terminated); *changed gets
 * the number of rows a write changed when not NULL. */
static int exec_params(struct qm_ledger *l, const char *sql, const char *const *params,
	struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, sql, &st, err);
	if (rc != QM_OK)
		return rc;
	for (int i = 0; params[i]; i++)
		qm_stmt_bind_text(st, i + 1, params[i]);
	int step = qm_stmt_step(st, err);
	qm_stmt_finalize(st);
	if (step == QM_STEP_CONSTRAINT)
		return QM_EDATA;
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

/* The user called name: 1 and *u (and the hash into hash when not NULL), 0
 * when there is none, -1 on error. */
static int find_user(struct qm_ledger *l, const char *name, struct qm_user *u, char *hash,
	size_t nhash, struct qm_error *err)
{
	struct qm_stmt *st;
	if (qm_store_prepare(l->store,
		    "SELECT name, role, disabled, coalesce(password_hash, '') FROM users WHERE name = ?", &st,
		    err) != QM_OK)
		return -1;
	qm_stmt_bind_text(st, 1, name);
	int step = qm_stmt_step(st, err), found = 0;
	if (step == QM_STEP_ROW) {
		memset(u, 0, sizeof(*u));
		snprintf(u->name, sizeof(u->name), "%s", qm_stmt_text(st, 0));
		snprintf(u->role_text, sizeof(u->role_text), "%s", qm_stmt_text(st, 1));
		qm_role_parse(u->role_text, &u->role);
		u->disabled = (int)qm_stmt_int(st, 2);
		if (hash)
			snprintf(hash, nhash, "%s", qm_stmt_text(st, 3));
		found = 1;
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? -1 : found;
}

int qm_user_add(struct qm_ledger *l, const char *name, const char *role, const char *password,
	struct qm_error *err)
{
	struct qm_role r;
	char hash[crypto_pwhash_STRBYTES], at[32];
	int rc = need_sodium(err);
	if (rc != QM_OK)
		return rc;
	if (!qm_user_name_ok(name))
		return qm_error_set(err, QM_EUSAGE, "a user name of 1 to 64 letters, digits, '.', '_',"
			" '-' or '@', got '%s'", name);
	if (qm_role_parse(role, &r) < 0)
		return qm_error_set(err, QM_EUSAGE, "a role: admin, coordinator, donor:CODE or viewer,"
			" got '%s'", role);
	if (strlen(password) < 8)
		return qm_error_set(err, QM_EUSAGE, "a password of at least 8 characters");
	if (r.kind == QM_ROLE_DONOR) {
		struct qm_stmt *st;
		if ((rc = qm_store_prepare(l->store, "SELECT 1 FROM parties WHERE code = ?", &st, err)) != QM_OK)
			return rc;
		qm_stmt_bind_text(st, 1, r.party);
		int step = qm_stmt_step(st, err);
		qm_stmt_finalize(st);
		if (step == QM_STEP_ERROR)
			return err->code;
		if (step != QM_STEP_ROW)
			return qm_error_set(err, QM_EDATA, "role %s: no party '%s' in the database (import"
				" the parties first)", role, r.party);
	}
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return qm_error_set(err, QM_EINTERNAL, "out of memory hashing the password");
	now_text(at);
	const char *params[] = {name, role, hash, at, NULL};
	rc = exec_params(l, "INSERT INTO users(name, role, password_hash, disabled, created)"
		" VALUES(?, ?, ?, 0, ?)", params, err);
	if (rc == QM_EDATA)
		return qm_error_set(err, QM_EDATA, "there is already a user called '%s'", name);
	return rc;
}

int qm_user_disable(struct qm_ledger *l, const char *name, struct qm_error *err)
{
	struct qm_user u;
	int found = find_user(l, name, &u, NULL, 0, err);
	if (found < 0)
		return err->code;
	if (!found)
		return qm_error_set(err, QM_ENOINPUT, "no user called '%s'", name);
	const char *params[] = {name, NULL};
	int rc = exec_params(l, "UPDATE users SET disabled = 1 WHERE name = ?", params, err);
	if (rc == QM_OK)
		rc = exec_params(l, "DELETE FROM sessions WHERE \"user\" = ?", params, err);
	return rc;
}

int qm_user_list(struct qm_ledger *l, qm_user_cb cb, void *ctx, struct qm_error *err)
{
	struct qm_stmt *st;
	int rc = qm_store_prepare(l->store, "SELECT u.name, u.role, u.disabled, u.created,"
		" (SELECT count(*) FROM tokens t WHERE t.\"user\" = u.name) FROM users u ORDER BY u.name", &st, err);
	if (rc != QM_OK)
		return rc;
	int step;
	while ((step = qm_stmt_step(st, err)) == QM_STEP_ROW) {
		struct qm_user u = {0};
		snprintf(u.name, sizeof(u.name), "%s", qm_stmt_text(st, 0));
		snprintf(u.role_text, sizeof(u.role_text), "%s", qm_stmt_text(st, 1));
		qm_role_parse(u.role_text, &u.role);
		u.disabled = (int)qm_stmt_int(st, 2);
		if (cb(ctx, &u, qm_stmt_text(st, 3), (long)qm_stmt_int(st, 4)))
			break;
	}
	qm_stmt_finalize(st);
	return step == QM_STEP_ERROR ? err->code : QM_OK;
}

int qm_user_login(struct qm_ledger *l, const char *name, const char *password,
	struct qm_user *out, struct qm_error *err)
{
	char hash[crypto_pwhash_STRBYTES + 1] = "";
	int rc = need_sodium(err);
	if (rc != QM_OK)
		return rc;
	int found = find_user(l, name, out, hash, sizeof(hash), err);
	if (found < 0)
		return err->code;
	/* an unknown user costs the same as a known one */
	int ok = crypto_pwhash_str_verify(found && hash[0] ? hash : dummy_hash, password,
		strlen(password)) == 0;
	if (!found || !ok || out->disabled)
		return qm_error_set(err, QM_EPERM, "wrong user name or password");
	return QM_OK;
}

static int new_credential(struct qm_ledger *l, const char *table, const char *name,
	char secret[65], struct qm_error *err)
{
	struct qm_user u;
	char hash[65], at[32], sql[160], epoch[24];
	int rc = need_sodium(err);
	if (rc != QM_OK)
		return rc;
	int found = find_user(l, name, &u, NULL, 0, err);
	if (found < 0)
		return err->code;
	if (!found || u.disabled)
		return qm_error_set(err, QM_ENOINPUT, "no enabled user called '%s'", name);
	new_secret(secret, hash);
	now_text(at);
	snprintf(epoch, sizeof(epoch), "%lld", (long long)time(NULL));
	snprintf(sql, sizeof(sql), "INSERT INTO %s(hash, \"user\", created, last_used) VALUES(?, ?, ?, ?)",
		table);
	const char *params[] = {hash, name, at, epoch, NULL};
	return exec_params(l, sql, params, err);
}

int qm_token_create(struct qm_ledger *l, const char *name, char token[65], struct qm_error *err)
{
	return new_credential(l, "tokens", name, token, err);
}

int qm_session_create(struct qm_ledger *l, const char *name, char id[65], struct qm_error *err)
{
	return new_credential(l, "sessions", name, id, err);
}

static int check_credential(struct qm_ledger *l, const char *table, const char *secret,
	int64_t idle_seconds, struct qm_user *out, struct qm_error *err)
{
	char hash[65], sql[240];
	struct qm_stmt *st;
	int rc = need_sodium(err);
	if (rc != QM_OK)
		return rc;
	if (!secret || hash_of(secret, hash) < 0)
		return qm_error_set(err, QM_EPERM, "not signed in");
	/* the credential and its user in one query: this runs on every request */
	snprintf(sql, sizeof(sql), "SELECT u.name, u.role, u.disabled, c.last_used FROM %s c"
		" JOIN users u ON u.name = c.\"user\" WHERE c.hash = ?", table);
	if ((rc = qm_store_prepare(l->store, sql, &st, err)) != QM_OK)
		return rc;
	qm_stmt_bind_text(st, 1, hash);
	int step = qm_stmt_step(st, err);
	int64_t last = 0, now = (int64_t)time(NULL);
	if (step == QM_STEP_ROW) {
		memset(out, 0, sizeof(*out));
		snprintf(out->name, sizeof(out->name), "%s", qm_stmt_text(st, 0));
		snprintf(out->role_text, sizeof(out->role_text), "%s", qm_stmt_text(st, 1));
		qm_role_parse(out->role_text, &out->role);
		out->disabled = (int)qm_stmt_int(st, 2);
		last = qm_stmt_int(st, 3);
	}
	qm_stmt_finalize(st);
	if (step == QM_STEP_ERROR)
		return err->code;
	if (step != QM_STEP_ROW || out->disabled || (idle_seconds > 0 && now - last > idle_seconds))
		return qm_error_set(err, QM_EPERM, "not signed in, or the session has expired");
	/* touched at most once a minute (or twice per idle time, when that is
	 * shorter), so that reading does not mean writing; never on a read-only
	 * ledger (a replica) */
	int64_t every = idle_seconds > 0 && idle_seconds < 120 ? idle_seconds / 2 : 60;
	if (now - last >= every && !l->read_only) {
		char epoch[24];
		snprintf(epoch, sizeof(epoch), "%lld", (long long)now);
		snprintf(sql, sizeof(sql), "UPDATE %s SET last_used = ? WHERE hash = ?", table);
		const char *params[] = {epoch, hash, NULL};
		rc = exec_params(l, sql, params, err);
	}
	return rc;
}

int qm_token_check(struct qm_ledger *l, const char *token, struct qm_user *out,
	struct qm_error *err)
{
	return check_credential(l, "tokens", token, 0, out, err);
}

int qm_session_check(struct qm_ledger *l, const char *id, int64_t idle_seconds,
	struct qm_user *out, struct qm_error *err)
{
	return check_credential(l, "sessions", id, idle_seconds, out, err);
}

int qm_session_delete(struct qm_ledger *l, const char *id, struct qm_error *err)
{
	char hash[65];
	if (!id || hash_of(id, hash) < 0)
		return QM_OK;
	const char *params[] = {hash, NULL};
	return exec_params(l, "DELETE FROM sessions WHERE hash = ?", params, err);
}
