/*
 * test_auth.c - unit tests of auth.h on a real ledger (an SQLite file in a
 * temporary directory, or PostgreSQL in the pg lane: unit_db.h): roles and what each may write, users (names, roles, password
 * length, a taken name), logins (right, wrong, unknown, disabled), tokens
 * and sessions (only hashes stored, idle expiry, logout), and that no
 * secret is ever stored in the clear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "qm/auth.h"
#include "unit_db.h"

struct fixture {
	char dir[64], db[600]; /* a file path, or a PostgreSQL connection string */
	struct qm_ledger *l;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct qm_error err;
	if (unit_db_setup(f->dir, sizeof(f->dir), f->db, sizeof(f->db), "a") != 0)
		return -1;
	qm_error_clear(&err);
	if (qm_ledger_open(f->db, &f->l, &err) != QM_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	qm_ledger_close(f->l);
	int rc = unit_db_teardown(f->dir, f->db);
	free(f);
	return rc;
}

/* 1 when needle (n bytes) occurs in hay (len bytes). */
static int holds(const char *hay, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void test_roles(void **state)
{
	(void)state;
	struct qm_role r;
	assert_int_equal(qm_role_parse("admin", &r), 0);
	assert_int_equal(r.kind, QM_ROLE_ADMIN);
	assert_int_equal(qm_role_parse("donor:NOR", &r), 0);
	assert_int_equal(r.kind, QM_ROLE_DONOR);
	assert_string_equal(r.party, "NOR");
	assert_int_equal(qm_role_parse("donor:nor", &r), -1);
	assert_int_equal(qm_role_parse("donor:", &r), -1);
	assert_int_equal(qm_role_parse("root", &r), -1);
	/* who may write what */
	struct qm_role admin, coord, nor, viewer;
	qm_role_parse("admin", &admin);
	qm_role_parse("coordinator", &coord);
	qm_role_parse("donor:NOR", &nor);
	qm_role_parse("viewer", &viewer);
	static const char *const kinds[] = {"parties", "items", "rates", "gdp", "pledges",
		"deliveries", "requirements", "frameworks"};
	for (size_t i = 0; i < 8; i++) {
		assert_false(qm_role_may_write(&admin, kinds[i], "NOR"));
		assert_true(qm_role_may_write(&coord, kinds[i], "DEU"));
		assert_false(qm_role_may_write(&viewer, kinds[i], "NOR"));
		int own = strcmp(kinds[i], "pledges") == 0 || strcmp(kinds[i], "deliveries") == 0;
		assert_int_equal(qm_role_may_write(&nor, kinds[i], "NOR"), own);
		assert_false(qm_role_may_write(&nor, kinds[i], "DEU"));
		assert_false(qm_role_may_write(&nor, kinds[i], NULL));
	}
}

static void test_users_and_logins(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	struct qm_user u;
	qm_error_clear(&err);
	/* a donor's party must exist */
	assert_int_equal(qm_user_add(f->l, "desk-nor", "donor:NOR", "correct horse", &err), QM_EDATA);
	static const char *const names[] = {"code", "name", "kind", "currency"};
	static const char *const values[] = {"NOR", "Norway", "nation", "NOK"};
	struct qm_import_result res;
	static struct qm_diag diag;
	qm_diag_init(&diag);
	assert_int_equal(qm_add(f->l, "parties", 4, names, values, 0, &res, &diag), QM_OK);
	assert_int_equal(qm_user_add(f->l, "desk-nor", "donor:NOR", "correct horse", &err), QM_OK);
	assert_int_equal(qm_user_add(f->l, "desk-nor", "viewer", "another one", &err), QM_EDATA);
	assert_int_equal(qm_user_add(f->l, "bad name", "viewer", "long enough", &err), QM_EUSAGE);
	assert_int_equal(qm_user_add(f->l, "x", "superuser", "long enough", &err), QM_EUSAGE);
	assert_int_equal(qm_user_add(f->l, "y", "viewer", "short", &err), QM_EUSAGE);
	assert_int_equal(qm_user_login(f->l, "desk-nor", "correct horse", &u, &err), QM_OK);
	assert_string_equal(u.name, "desk-nor");
	assert_string_equal(u.role.party, "NOR");
	assert_int_equal(qm_user_login(f->l, "desk-nor", "wrong horse", &u, &err), QM_EPERM);
	assert_int_equal(qm_user_login(f->l, "nobody", "correct horse", &u, &err), QM_EPERM);
	/* an unknown user and a wrong password read the same */
	assert_string_equal(err.message, "wrong user name or password");

	char token[65], sid[65];
	assert_int_equal(qm_token_create(f->l, "desk-nor", token, &err), QM_OK);
	assert_int_equal(strlen(token), 64);
	assert_int_equal(qm_token_check(f->l, token, &u, &err), QM_OK);
	assert_string_equal(u.name, "desk-nor");
	token[0] = token[0] == 'a' ? 'b' : 'a';
	assert_int_equal(qm_token_check(f->l, token, &u, &err), QM_EPERM);
	assert_int_equal(qm_token_check(f->l, "short", &u, &err), QM_EPERM);
	assert_int_equal(qm_token_create(f->l, "nobody", token, &err), QM_ENOINPUT);

	assert_int_equal(qm_session_create(f->l, "desk-nor", sid, &err), QM_OK);
	assert_int_equal(qm_session_check(f->l, sid, 60, &u, &err), QM_OK);
	assert_int_equal(qm_session_delete(f->l, sid, &err), QM_OK);
	assert_int_equal(qm_session_check(f->l, sid, 60, &u, &err), QM_EPERM);

	/* disabling ends sessions and stops tokens and logins */
	assert_int_equal(qm_token_create(f->l, "desk-nor", token, &err), QM_OK);
	assert_int_equal(qm_session_create(f->l, "desk-nor", sid, &err), QM_OK);
	assert_int_equal(qm_user_disable(f->l, "desk-nor", &err), QM_OK);
	assert_int_equal(qm_token_check(f->l, token, &u, &err), QM_EPERM);
	assert_int_equal(qm_session_check(f->l, sid, 60, &u, &err), QM_EPERM);
	assert_int_equal(qm_user_login(f->l, "desk-nor", "correct horse", &u, &err), QM_EPERM);
	assert_int_equal(qm_user_disable(f->l, "nobody", &err), QM_ENOINPUT);

	/* no secret is stored in the clear; the password as an argon2id hash */
	qm_ledger_close(f->l);
	f->l = NULL;
	static const char *const account_tables[] = {"users", "tokens", "sessions", "journal", NULL};
	static char bytes[1 << 20];
	size_t n = unit_db_bytes(f->db, account_tables, bytes, sizeof(bytes));
	assert_true(n > 0);
	assert_false(holds(bytes, n, "correct horse", 13));
	assert_false(holds(bytes, n, token, 64));
	assert_false(holds(bytes, n, sid, 64));
	assert_true(holds(bytes, n, "$argon2id$", 10));
	assert_int_equal(qm_ledger_open(f->db, &f->l, &err), QM_OK);
}

static void test_session_expiry(void **state)
{
	struct fixture *f = *state;
	struct qm_error err;
	struct qm_user u;
	char sid[65];
	qm_error_clear(&err);
	assert_int_equal(qm_user_add(f->l, "coord", "coordinator", "long enough", &err), QM_OK);
	assert_int_equal(qm_session_create(f->l, "coord", sid, &err), QM_OK);
	sleep(2);
	assert_int_equal(qm_session_check(f->l, sid, 1, &u, &err), QM_EPERM);
	assert_int_equal(qm_session_create(f->l, "coord", sid, &err), QM_OK);
	assert_int_equal(qm_session_check(f->l, sid, 100, &u, &err), QM_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_users_and_logins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_expiry, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
