/*
 * base/worker.h - work that would hold up the event loop, on a few
 * threads of its own: checking or making a password hash (base/
 * password.h) takes 80 to 100 ms of one core.
 *
 *	loop:	worker_submit(w, run, done, arg)	(refused when full)
 *	thread:	run(arg)	touches arg and nothing else
 *	loop:	done(arg, true)	through a pipe, on a later loop turn
 *
 * The threads share nothing with the loop but the queue of jobs not yet
 * begun (under a mutex) and the pipe that hands finished ones back; the
 * loop alone counts what is pending.  At most `limit` jobs are queued or
 * running: worker_submit refuses the next (its caller answers 503), so
 * a flood waits a bounded time instead of ever longer.  Whoever submits
 * owns arg until done; a request that ends meanwhile must leave arg
 * alone and let done free it.
 */
#ifndef LEERKANS_WORKER_H
#define LEERKANS_WORKER_H

#include <stdbool.h>

struct event_base;
struct worker;

typedef void (*worker_run)(void *arg);
/* ran is false only for a job worker_free dropped before it began. */
typedef void (*worker_done)(void *arg, bool ran);

/* threads 1 to 64; limit 1 to 4096.  NULL when it cannot start. */
struct worker *worker_new(struct event_base *base, int threads, int limit);
bool	worker_submit(struct worker *w, worker_run run, worker_done done,
	    void *arg) __attribute__((warn_unused_result));
/* Jobs queued or running or not yet handed back. */
int	worker_pending(const struct worker *w);
/*
 * Stops the threads once each has finished the job it is on, then calls
 * done for every job left (ran false for those never begun); frees w.
 * After the loop has ended.
 */
void	worker_free(struct worker *w);

#endif
