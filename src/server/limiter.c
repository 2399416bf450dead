/*
 * limiter.c - failed logins slowed down, per account and per address: after
 * five failures in a row, each further attempt must wait 2, 4, 8, ...
 * seconds (at most 60) after the last failure. A success clears the
 * account's count (not the address's: one address trying many accounts
 * stays slowed). Kept in memory: a restart forgets, which only helps a user
 * who is locked out.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "http.h"

#define SLOTS 4096
#define FREE_FAILURES 5
#define MAX_WAIT 60

struct slot {
	char key[80]; /* "a:" account or "i:" address */
	int failures;
	int64_t last;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of key (an old one is reused when the table is full). */
static struct slot *slot_of(const char *prefix, const char *name)
{
	char key[80];
	snprintf(key, sizeof(key), "%s%s", prefix, name ? name : "");
	unsigned h = hash(key);
	struct slot *oldest = NULL;
	for (unsigned i = 0; i < 16; i++) {
		struct slot *s = &slots[(h + i) % SLOTS];
		if (strcmp(s->key, key) == 0)
			return s;
		if (!s->key[0] || !oldest || s->last < oldest->last)
			oldest = s;
		if (!s->key[0])
			break;
	}
	memset(oldest, 0, sizeof(*oldest));
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	return oldest;
}

static int64_t wait_of(const struct slot *s, int64_t now)
{
	if (s->failures < FREE_FAILURES)
		return 0;
	int64_t wait = (int64_t)1 << (s->failures - FREE_FAILURES + 1 > 6 ? 6 : s->failures - FREE_FAILURES + 1);
	if (wait > MAX_WAIT)
		wait = MAX_WAIT;
	int64_t left = s->last + wait - now;
	return left > 0 ? left : 0;
}

int64_t limiter_wait(const char *account, const char *address)
{
	int64_t now = (int64_t)time(NULL);
	pthread_mutex_lock(&lock);
	int64_t a = wait_of(slot_of("a:", account), now), b = wait_of(slot_of("i:", address), now);
	pthread_mutex_unlock(&lock);
	return a > b ? a : b;
}

void limiter_failed(const char *account, const char *address)
{
	int64_t now = (int64_t)time(NULL);
	pthread_mutex_lock(&lock);
	struct slot *a = slot_of("a:", account), *b = slot_of("i:", address);
	a->failures++;
	a->last = now;
	b->failures++;
	b->last = now;
	pthread_mutex_unlock(&lock);
}

void limiter_succeeded(const char *account)
{
	pthread_mutex_lock(&lock);
	struct slot *a = slot_of("a:", account);
	a->failures = 0;
	pthread_mutex_unlock(&lock);
}
