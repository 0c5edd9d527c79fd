/*
 * base/worker.c - a few threads for work that would hold up the loop;
 * see worker.h.
 *
 * A job is allocated by the loop, queued under the mutex, taken by a
 * thread, run, and its pointer written to the pipe (a write of one
 * pointer is atomic: far below PIPE_BUF).  The loop reads the pointers
 * back, calls done and frees the job.  Only the loop changes `pending`,
 * so the limit needs no lock; the pipe holds 64 KiB, room for 8192
 * pointers, more than the highest limit, so a thread never blocks on it.
 */
#include "autoconf.h"

#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "base/log.h"
#include "base/worker.h"

#define WORKER_MAX_THREADS	64
#define WORKER_MAX_LIMIT	4096

enum job_state {
	JOB_QUEUED,		/* waits for a thread */
	JOB_RUNNING,		/* a thread has it */
	JOB_DONE		/* in the pipe, or read back */
};

struct job {
	TAILQ_ENTRY(job)	 entry;
	enum job_state		 state;
	worker_run		 run;
	worker_done		 done;
	void			*arg;
};

TAILQ_HEAD(job_queue, job);

struct worker {
	/* the loop's */
	struct event		*ev;		/* the pipe's read end */
	int			 pending;
	int			 limit;
	/* shared, under lock */
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct job_queue	 queue;
	bool			 stopping;
	/* set up before the threads start, read only after */
	int			 pipe[2];
	pthread_t		 threads[WORKER_MAX_THREADS];
	int			 nthreads;
};

static void *
worker_thread(void *arg)
{
	struct worker *w = arg;
	struct job *job;
	ssize_t n;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->stopping && TAILQ_EMPTY(&w->queue))
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		job = TAILQ_FIRST(&w->queue);
		TAILQ_REMOVE(&w->queue, job, entry);
		job->state = JOB_RUNNING;
		pthread_mutex_unlock(&w->lock);

		job->run(job->arg);
		job->state = JOB_DONE;
		do
			n = write(w->pipe[1], &job, sizeof(job));
		while (n == -1 && errno == EINTR);
		/* n != sizeof(job) cannot happen with a pipe this size;
		 * the job would be lost, never touched twice */
	}
}

/* Finished jobs, read back on the loop. */
static void
worker_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct job *job;
	ssize_t n;

	(void)what;
	while ((n = read(fd, &job, sizeof(job))) == (ssize_t)sizeof(job)) {
		w->pending--;
		job->done(job->arg, true);
		free(job);
	}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		log_warn("worker: reading its pipe");
}

struct worker *
worker_new(struct event_base *base, int threads, int limit)
{
	struct worker *w;
	int i;

	if (threads < 1 || threads > WORKER_MAX_THREADS || limit < 1 ||
	    limit > WORKER_MAX_LIMIT || (w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->limit = limit;
	w->pipe[0] = w->pipe[1] = -1;
	TAILQ_INIT(&w->queue);
	if (pthread_mutex_init(&w->lock, NULL) != 0) {
		free(w);
		return NULL;
	}
	if (pthread_cond_init(&w->wake, NULL) != 0) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	/* the threads' end blocks (it never fills); the loop's does not */
	if (pipe2(w->pipe, O_CLOEXEC) == -1 ||
	    fcntl(w->pipe[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (w->ev = event_new(base, w->pipe[0], EV_READ | EV_PERSIST,
	    worker_read_cb, w)) == NULL || event_add(w->ev, NULL) == -1)
		goto fail;
	for (i = 0; i < threads; i++) {
		if (pthread_create(&w->threads[i], NULL, worker_thread, w) != 0)
			goto fail;
		w->nthreads++;
	}
	return w;
fail:
	worker_free(w);
	return NULL;
}

bool
worker_submit(struct worker *w, worker_run run, worker_done done, void *arg)
{
	struct job *job;

	if (w->pending >= w->limit || (job = calloc(1, sizeof(*job))) == NULL)
		return false;
	job->state = JOB_QUEUED;
	job->run = run;
	job->done = done;
	job->arg = arg;
	w->pending++;
	pthread_mutex_lock(&w->lock);
	TAILQ_INSERT_TAIL(&w->queue, job, entry);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return true;
}

int
worker_pending(const struct worker *w)
{
	return w->pending;
}

void
worker_free(struct worker *w)
{
	struct job *job;
	int i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	/* what the threads finished, then what they never began */
	if (w->pipe[0] != -1)
		worker_read_cb(w->pipe[0], EV_READ, w);
	while ((job = TAILQ_FIRST(&w->queue)) != NULL) {
		TAILQ_REMOVE(&w->queue, job, entry);
		w->pending--;
		job->done(job->arg, false);
		free(job);
	}
	if (w->ev != NULL)
		event_free(w->ev);
	for (i = 0; i < 2; i++)
		if (w->pipe[i] != -1)
			close(w->pipe[i]);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
