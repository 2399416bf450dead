/*
 * strmap.h - a string-keyed hash map (open addressing, FNV-1a), private to
 * the core. The map copies keys and owns the copies; values are opaque
 * pointers or integers the caller manages.
 */
#ifndef QM_STRMAP_H
#define QM_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	char *key; /* NULL for an empty slot */
	void *ptr;
	int64_t num;
};

struct strmap {
	struct strmap_entry *slots;
	size_t cap, count;
};

void strmap_init(struct strmap *m);
/* Free the keys and slots; free_value, when not NULL, is called on each ptr. */
void strmap_release(struct strmap *m, void (*free_value)(void *));
/* The entry for key, or NULL. */
struct strmap_entry *strmap_get(const struct strmap *m, const char *key);
/* The entry for key, created (ptr NULL, num 0) when missing; *created tells
 * which. NULL when out of memory. */
struct strmap_entry *strmap_put(struct strmap *m, const char *key, int *created);

#endif
