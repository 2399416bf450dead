/*
 * cache.c - answers to GET requests kept with the number of the journal's
 * last entry when they were made: while that number stays, the ledger has
 * not changed and the same answer is served again. A small table with a
 * lock; an entry is replaced when its slot is needed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define SLOTS 256

struct entry {
	char *url;
	int64_t seq;
	char *body;
	size_t len;
	char type[48];
};

static struct entry entries[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct entry *slot(const char *url)
{
	unsigned h = 2166136261u;
	for (const char *s = url; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return &entries[h % SLOTS];
}

char *cache_get(const char *url, int64_t seq, size_t *len, char *type, size_t ntype)
{
	char *copy = NULL;
	pthread_mutex_lock(&lock);
	struct entry *e = slot(url);
	if (e->url && e->seq == seq && strcmp(e->url, url) == 0 && (copy = malloc(e->len + 1))) {
		memcpy(copy, e->body, e->len);
		copy[e->len] = '\0';
		*len = e->len;
		snprintf(type, ntype, "%s", e->type);
	}
	pthread_mutex_unlock(&lock);
	return copy;
}

void cache_put(const char *url, int64_t seq, const char *body, size_t len, const char *type)
{
	char *u = strdup(url), *b = malloc(len + 1);
	if (!u || !b) {
		free(u);
		free(b);
		return;
	}
	memcpy(b, body, len);
	b[len] = '\0';
	pthread_mutex_lock(&lock);
	struct entry *e = slot(url);
	free(e->url);
	free(e->body);
	e->url = u;
	e->seq = seq;
	e->body = b;
	e->len = len;
	snprintf(e->type, sizeof(e->type), "%s", type);
	pthread_mutex_unlock(&lock);
}
