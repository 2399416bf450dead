/*
 * test_strmap.c - unit tests of the core's private string map (strmap.h):
 * keys are copied, lookups find what was put, growth keeps every entry and
 * its value, and release frees the values it is given a function for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

static void test_empty(void **state)
{
	(void)state;
	struct strmap m;
	strmap_init(&m);
	assert_null(strmap_get(&m, "a"));
	assert_null(strmap_get(&m, ""));
	assert_int_equal(m.count, 0);
	strmap_release(&m, NULL);
	strmap_release(&m, NULL); /* twice is harmless */
}

static void test_put_get(void **state)
{
	(void)state;
	struct strmap m;
	int created = -1;
	strmap_init(&m);
	struct strmap_entry *e = strmap_put(&m, "DEU", &created);
	assert_non_null(e);
	assert_int_equal(created, 1);
	assert_string_equal(e->key, "DEU");
	assert_null(e->ptr);
	assert_int_equal(e->num, 0);
	e->num = 42;
	e = strmap_put(&m, "DEU", &created);
	assert_int_equal(created, 0);
	assert_int_equal(e->num, 42);
	assert_int_equal(m.count, 1);
	assert_ptr_equal(strmap_get(&m, "DEU"), e);
	assert_null(strmap_get(&m, "deu"));
	assert_null(strmap_get(&m, "DE"));
	assert_null(strmap_get(&m, "DEUX"));
	/* created may be NULL */
	assert_non_null(strmap_put(&m, "", NULL));
	assert_non_null(strmap_get(&m, ""));
	assert_int_equal(m.count, 2);
	strmap_release(&m, NULL);
	assert_int_equal(m.count, 0);
}

static void test_keys_are_copied(void **state)
{
	(void)state;
	struct strmap m;
	char key[16] = "p-1";
	strmap_init(&m);
	strmap_put(&m, key, NULL)->num = 7;
	strcpy(key, "p-2");
	assert_null(strmap_get(&m, "p-2"));
	assert_int_equal(strmap_get(&m, "p-1")->num, 7);
	strmap_release(&m, NULL);
}

static void test_growth_keeps_entries(void **state)
{
	(void)state;
	struct strmap m;
	char key[32];
	enum { N = 20000 };
	strmap_init(&m);
	for (int i = 0; i < N; i++) {
		int created;
		snprintf(key, sizeof(key), "key-%d", i);
		struct strmap_entry *e = strmap_put(&m, key, &created);
		assert_non_null(e);
		assert_int_equal(created, 1);
		e->num = i * 3;
	}
	assert_int_equal(m.count, N);
	assert_true(m.count * 10 <= m.cap * 7); /* grows at 70% load */
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		struct strmap_entry *e = strmap_get(&m, key);
		assert_non_null(e);
		assert_int_equal(e->num, i * 3);
	}
	assert_null(strmap_get(&m, "key-20000"));
	/* counted once each when put again */
	for (int i = 0; i < N; i += 7) {
		int created;
		snprintf(key, sizeof(key), "key-%d", i);
		strmap_put(&m, key, &created);
		assert_int_equal(created, 0);
	}
	assert_int_equal(m.count, N);
	strmap_release(&m, NULL);
}

static int freed;

static void count_free(void *p)
{
	if (p)
		freed++;
	free(p);
}

static void test_release_frees_values(void **state)
{
	(void)state;
	struct strmap m;
	strmap_init(&m);
	for (int i = 0; i < 100; i++) {
		char key[16];
		snprintf(key, sizeof(key), "%d", i);
		struct strmap_entry *e = strmap_put(&m, key, NULL);
		if (i % 2 == 0)
			e->ptr = strdup(key);
	}
	assert_string_equal(strmap_get(&m, "42")->ptr, "42");
	assert_null(strmap_get(&m, "43")->ptr);
	freed = 0;
	strmap_release(&m, count_free);
	assert_int_equal(freed, 50);
	assert_null(strmap_get(&m, "42"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_keys_are_copied),
		cmocka_unit_test(test_growth_keeps_entries),
		cmocka_unit_test(test_release_frees_values),
	};
	return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
