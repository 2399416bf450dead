/*
 * stmt_cache.c - the prepared statements a store keeps by their SQL text,
 * shared by the backends (store_int.h): the core runs a few queries many
 * times, and preparing them is most of their cost. A statement handed out
 * is busy until its finalize gives it back.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

struct qm_stmt *qm_stmt_cache_take(struct qm_stmt_cache *c, const char *sql, int *slot)
{
	*slot = -1;
	for (int i = 0; i < QM_STMT_CACHE; i++) {
		if (!c->sql[i]) {
			if (*slot < 0)
				*slot = i;
		} else if (!c->busy[i] && strcmp(c->sql[i], sql) == 0) {
			c->busy[i] = 1;
			return c->stmt[i];
		}
	}
	if (strlen(sql) >= QM_STMT_CACHE_SQL_MAX)
		*slot = -1; /* one-off statements (bulk SQL) are not kept */
	return NULL;
}

int qm_stmt_cache_keep(struct qm_stmt_cache *c, int slot, const char *sql, struct qm_stmt *st)
{
	if (slot < 0 || !(c->sql[slot] = strdup(sql)))
		return 0;
	c->stmt[slot] = st;
	c->busy[slot] = 1;
	return slot + 1;
}

void qm_stmt_cache_give_back(struct qm_stmt_cache *c, int kept)
{
	c->busy[kept - 1] = 0;
}

void qm_stmt_cache_clear(struct qm_stmt_cache *c, void (*free_stmt)(struct qm_stmt *st))
{
	for (int i = 0; i < QM_STMT_CACHE; i++) {
		if (c->sql[i])
			free_stmt(c->stmt[i]);
		free(c->sql[i]);
		c->sql[i] = NULL;
	}
}
