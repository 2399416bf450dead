/*
 * pipe.c - the producer-to-worker hand-off of pipe.h: a ring of slots, one
 * mutex and two condition variables. The worker takes every slot that is
 * ready at once, so the lock is taken about once per batch, not per record;
 * and each side wakes the other only when it sleeps: an idle worker once an
 * eighth of the ring is full (or the producer would wait, or is done), the
 * producer once the worker has made room. A worker faster than its producer
 * thus sleeps once per batch, not once per record.
 */
#include <pthread.h>
#include <stdlib.h>

#include "pipe.h"

struct qm_pipe {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready;  /* slots were pushed, or closing */
	pthread_cond_t space;  /* slots were freed */
	unsigned char *slots;
	size_t nslots, slot_size;
	size_t head;           /* next slot to fill */
	size_t tail;           /* next slot to process */
	size_t count;          /* pushed and not yet processed */
	size_t wake_at;        /* count at which an idle worker is woken */
	int worker_idle;       /* the worker waits for slots */
	int producer_waiting;  /* the producer waits for room */
	int closing, result;
	int (*work)(void *ctx, void *slot);
	void *ctx;
};

static void *worker(void *arg)
{
	struct qm_pipe *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->count == 0 && !p->closing) {
			p->worker_idle = 1;
			pthread_cond_wait(&p->ready, &p->lock);
			p->worker_idle = 0;
		}
		size_t n = p->count, at = p->tail;
		if (n == 0)
			break; /* closing, and nothing left */
		int failed = p->result != 0;
		pthread_mutex_unlock(&p->lock);
		int result = 0;
		for (size_t i = 0; i < n && !failed && result == 0; i++)
			result = p->work(p->ctx, p->slots + ((at + i) % p->nslots) * p->slot_size);
		pthread_mutex_lock(&p->lock);
		if (result && !p->result)
			p->result = result;
		p->tail = (at + n) % p->nslots;
		p->count -= n;
		if (p->producer_waiting)
			pthread_cond_signal(&p->space);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int qm_pipe_start(struct qm_pipe **out, size_t nslots, size_t slot_size,
	int (*work)(void *ctx, void *slot), void *ctx)
{
	struct qm_pipe *p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	p->slots = calloc(nslots, slot_size);
	if (!p->slots) {
		free(p);
		return -1;
	}
	p->nslots = nslots;
	p->slot_size = slot_size;
	p->wake_at = nslots / 8 ? nslots / 8 : 1;
	p->work = work;
	p->ctx = ctx;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->space, NULL);
	if (pthread_create(&p->thread, NULL, worker, p) != 0) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->ready);
		pthread_cond_destroy(&p->space);
		free(p->slots);
		free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void *qm_pipe_slot(struct qm_pipe *p)
{
	void *slot = NULL;
	pthread_mutex_lock(&p->lock);
	while (p->count == p->nslots && !p->result) {
		if (p->worker_idle)
			pthread_cond_signal(&p->ready);
		p->producer_waiting = 1;
		pthread_cond_wait(&p->space, &p->lock);
		p->producer_waiting = 0;
	}
	if (!p->result)
		slot = p->slots + p->head * p->slot_size;
	pthread_mutex_unlock(&p->lock);
	return slot;
}

void qm_pipe_push(struct qm_pipe *p)
{
	pthread_mutex_lock(&p->lock);
	p->head = (p->head + 1) % p->nslots;
	if (++p->count >= p->wake_at && p->worker_idle)
		pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
}

int qm_pipe_finish(struct qm_pipe *p, void (*release)(void *slot))
{
	pthread_mutex_lock(&p->lock);
	p->closing = 1;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	int result = p->result;
	if (release)
		for (size_t i = 0; i < p->nslots; i++)
			release(p->slots + i * p->slot_size);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->space);
	free(p->slots);
	free(p);
	return result;
}
