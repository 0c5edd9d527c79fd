/*
 * test_worker.c - base/worker.c: jobs run on the threads and come back
 * to the loop, each exactly once; the limit refuses what is over it and
 * frees up as jobs come back; a job held up on a thread holds up only
 * the jobs behind it, never the loop; worker_free lets the running jobs
 * finish and hands back the ones never begun.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "base/worker.h"
#include "tap.h"

struct item {
	pthread_t	 ran_on;	/* the thread's */
	int		 runs;		/* set on the thread */
	int		 dones;		/* set on the loop */
	bool		 ran;
	pthread_t	 done_on;
	int		*gate;		/* a pipe's read end to wait on, or NULL */
};

static pthread_t loop_thread;
static int done_count;

static void
item_run(void *arg)
{
	struct item *it = arg;
	char c;

	it->ran_on = pthread_self();
	if (it->gate != NULL)
		while (read(*it->gate, &c, 1) == -1)
			;
	it->runs++;
}

static void
item_done(void *arg, bool ran)
{
	struct item *it = arg;

	it->dones++;
	it->ran = ran;
	it->done_on = pthread_self();
	done_count++;
}

/* Runs the loop until want jobs came back, or for turns turns. */
static void
loop_until(struct event_base *base, int want, int turns)
{
	int i;

	for (i = 0; i < turns && done_count < want; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	}
}

static void
test_round_trip(struct event_base *base)
{
	struct worker *w = worker_new(base, 2, 8);
	struct item items[8] = { 0 };
	int i, all_ok = 1;

	ok(w != NULL, "two threads, at most eight jobs");
	done_count = 0;
	for (i = 0; i < 8; i++)
		all_ok &= worker_submit(w, item_run, item_done, &items[i]);
	ok(all_ok, "eight jobs taken");
	ok(worker_pending(w) == 8, "eight pending");
	ok(!worker_submit(w, item_run, item_done, &items[0]),
	    "a ninth is refused while eight are pending");
	loop_until(base, 8, 2000);
	for (i = 0; i < 8; i++)
		all_ok &= items[i].runs == 1 && items[i].dones == 1 &&
		    items[i].ran && !pthread_equal(items[i].ran_on,
		    loop_thread) && pthread_equal(items[i].done_on,
		    loop_thread);
	ok(all_ok, "each ran once on a thread and came back once to the "
	    "loop");
	ok(worker_pending(w) == 0, "nothing pending");
	ok(worker_submit(w, item_run, item_done, &items[0]),
	    "room again once they came back");
	loop_until(base, 9, 2000);
	ok(items[0].runs == 2, "and it ran");
	worker_free(w);
	ok(worker_new(base, 0, 8) == NULL && worker_new(base, 1, 0) == NULL,
	    "no threads or no room is refused");
}

static void
test_held_up(struct event_base *base)
{
	struct worker *w = worker_new(base, 1, 4);
	struct item slow = { 0 }, queued[2] = { { 0 } };
	int gate[2];
	bool loop_free;

	ok(pipe(gate) == 0, "a gate");
	slow.gate = &gate[0];
	done_count = 0;
	ok(worker_submit(w, item_run, item_done, &slow) &&
	    worker_submit(w, item_run, item_done, &queued[0]) &&
	    worker_submit(w, item_run, item_done, &queued[1]),
	    "one slow job and two behind it, on one thread");
	loop_until(base, 1, 50);
	loop_free = done_count == 0;	/* the loop ran its turns meanwhile */
	ok(loop_free && slow.runs == 0, "the loop keeps turning while the "
	    "thread waits");
	/* let the slow one finish, then stop before the rest may run */
	ok(write(gate[1], "x", 1) == 1, "the gate opens");
	worker_free(w);
	ok(slow.runs == 1 && slow.dones == 1 && slow.ran,
	    "worker_free waited for the job under way and handed it back");
	ok(queued[0].dones == 1 && queued[1].dones == 1 &&
	    queued[0].runs + queued[1].runs == (queued[0].ran ? 1 : 0) +
	    (queued[1].ran ? 1 : 0), "the rest came back once each, ran or "
	    "not as it says");
	close(gate[0]);
	close(gate[1]);
}

int
main(void)
{
	struct event_base *base = event_base_new();

	loop_thread = pthread_self();
	test_round_trip(base);
	test_held_up(base);
	event_base_free(base);
	return done_testing();
}
