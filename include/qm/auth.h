/*
 * auth.h - accounts, roles, API tokens and browser sessions, kept in the
 * ledger's database.
 *
 * Passwords are hashed with argon2id (libsodium's crypto_pwhash_str); API
 * tokens and session ids are 32 random bytes shown once, and only their
 * SHA-256 is stored. Roles: admin (manages users), coordinator (writes every
 * record), donor:CODE (reads everything, writes only the pledges and
 * deliveries of party CODE), viewer (reads). Nothing here prints.
 */
#ifndef QM_AUTH_H
#define QM_AUTH_H

#include <stdint.h>

#include "qm/error.h"
#include "qm/ledger.h"

enum qm_role_kind { QM_ROLE_ADMIN, QM_ROLE_COORDINATOR, QM_ROLE_DONOR, QM_ROLE_VIEWER };

struct qm_role {
	enum qm_role_kind kind;
	char party[17]; /* for donor:CODE */
};

struct qm_user {
	char name[65];
	char role_text[32];
	struct qm_role role;
	int disabled;
};

/* Parse "admin", "coordinator", "donor:CODE" or "viewer". Returns 0, -1. */
int qm_role_parse(const char *text, struct qm_role *out);

/* 1 when role may create or change a record of kind whose owning party
 * (the donor of a pledge, or of a delivery's pledge) is party (may be NULL
 * for kinds without one). */
int qm_role_may_write(const struct qm_role *role, const char *kind, const char *party);

/* A name of 1 to 64 letters, digits, '.', '_', '-' or '@'. */
int qm_user_name_ok(const char *name);

/* Create user name with role and password (at least 8 characters).
 * QM_EUSAGE for a bad name, role or password, QM_EDATA when the name is
 * taken. */
int qm_user_add(struct qm_ledger *l, const char *name, const char *role, const char *password,
	struct qm_error *err);
/* Disable a user: its tokens and sessions stop working. QM_ENOINPUT when unknown. */
int qm_user_disable(struct qm_ledger *l, const char *name, struct qm_error *err);
typedef int (*qm_user_cb)(void *ctx, const struct qm_user *u, const char *created, long tokens);
/* Every user by name. */
int qm_user_list(struct qm_ledger *l, qm_user_cb cb, void *ctx, struct qm_error *err);

/* The user name with password, when the password is right and the user is
 * enabled: QM_OK and *out; QM_EPERM otherwise (the same for an unknown name,
 * and the same work is done, so that the answer does not tell which). */
int qm_user_login(struct qm_ledger *l, const char *name, const char *password,
	struct qm_user *out, struct qm_error *err);

/* A new API token for user name, written into token (65 bytes: 64 hex
 * digits); only its hash is stored. */
int qm_token_create(struct qm_ledger *l, const char *name, char token[65], struct qm_error *err);
/* A new session for name; its id goes into id (65 bytes). */
int qm_session_create(struct qm_ledger *l, const char *name, char id[65], struct qm_error *err);
/* The enabled user a token or session id belongs to: QM_OK and *out, or
 * QM_EPERM. A session unused for more than idle_seconds has expired; a
 * good one is touched (at most once a minute, so the idle time is counted
 * to the minute). */
int qm_token_check(struct qm_ledger *l, const char *token, struct qm_user *out,
	struct qm_error *err);
int qm_session_check(struct qm_ledger *l, const char *id, int64_t idle_seconds,
	struct qm_user *out, struct qm_error *err);
int qm_session_delete(struct qm_ledger *l, const char *id, struct qm_error *err);

#endif
