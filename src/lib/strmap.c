/*
 * strmap.c - the open-addressing hash map of strmap.h; it grows at 70% load.
 */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_release(struct strmap *m, void (*free_value)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		free(m->slots[i].key);
		if (free_value)
			free_value(m->slots[i].ptr);
	}
	free(m->slots);
	strmap_init(m);
}

static struct strmap_entry *find_slot(struct strmap_entry *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	struct strmap_entry *e = find_slot(m->slots, m->cap, key);
	return e->key ? e : NULL;
}

static int grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct strmap_entry *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find_slot(slots, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

struct strmap_entry *strmap_put(struct strmap *m, const char *key, int *created)
{
	if ((m->count + 1) * 10 > m->cap * 7 && grow(m) < 0)
		return NULL;
	struct strmap_entry *e = find_slot(m->slots, m->cap, key);
	if (created)
		*created = !e->key;
	if (!e->key) {
		e->key = strdup(key);
		if (!e->key)
			return NULL;
		e->ptr = NULL;
		e->num = 0;
		m->count++;
	}
	return e;
}
