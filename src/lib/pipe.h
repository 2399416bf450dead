/*
 * pipe.h - a bounded hand-off from one producing thread to one worker
 * thread, private to the core. Imports use it to validate, serialise and
 * hash records on one core while the other writes them to the database.
 * The slots are owned by the pipe; the producer fills one, pushes it, and
 * the worker processes the slots in the order they were pushed.
 */
#ifndef QM_PIPE_H
#define QM_PIPE_H

#include <stddef.h>

struct qm_pipe;

/* Start a worker that calls work(ctx, slot) for every pushed slot, in
 * order, until a call returns non-zero. nslots slots of slot_size bytes,
 * zeroed. Returns 0, or -1 when the thread or memory could not be had. */
int qm_pipe_start(struct qm_pipe **out, size_t nslots, size_t slot_size,
	int (*work)(void *ctx, void *slot), void *ctx);

/* The next slot to fill, waiting while all are in use; the same slot until
 * it is pushed. NULL once the worker has failed. */
void *qm_pipe_slot(struct qm_pipe *p);

/* Hand the slot from qm_pipe_slot() to the worker. */
void qm_pipe_push(struct qm_pipe *p);

/* Wait for the worker to finish every pushed slot, stop it, call release
 * (when not NULL) on every slot and free the pipe. Returns the worker's
 * first non-zero result, or 0. */
int qm_pipe_finish(struct qm_pipe *p, void (*release)(void *slot));

#endif
