/*
 * test_ratelimit.c - the fixed-window counters of ratelimit.c: the limit
 * per window, the window's end, keys apart, the limit off, Retry-After,
 * and a table flooded with new keys, which may forget a key but never
 * refuses one that has not used its hits.  The time is the caller's
 * (ratelimit_hit's now), so every test picks its own.
 */
#include "autoconf.h"

#include <stdio.h>

#include "tap.h"
#include "base/ratelimit.h"

#define T0	1000000000	/* any time will do; the table keeps no clock */

static void
test_limit_per_window(void)
{
	struct ratelimit *rl = ratelimit_new(3, 60);
	int wait, i, allowed = 0;

	ok(rl != NULL, "a limit of 3 a minute");
	for (i = 0; i < 3; i++)
		allowed += ratelimit_hit(rl, "192.0.2.1", T0 + i, &wait);
	ok(allowed == 3, "three hits within the minute are allowed (%d)",
	    allowed);
	ok(!ratelimit_hit(rl, "192.0.2.1", T0 + 3, &wait), "the fourth is not");
	ok(!ratelimit_hit(rl, "192.0.2.1", T0 + 59, &wait),
	    "nor another one at the minute's last second");
	ok(ratelimit_hit(rl, "192.0.2.1", T0 + 60, &wait),
	    "the minute over, a new window begins");
	ok(ratelimit_hit(rl, "192.0.2.1", T0 + 61, &wait) &&
	    ratelimit_hit(rl, "192.0.2.1", T0 + 62, &wait) &&
	    !ratelimit_hit(rl, "192.0.2.1", T0 + 63, &wait),
	    "and it counts three again from where it began");
	ratelimit_free(rl);
}

static void
test_window_from_the_first_hit(void)
{
	struct ratelimit *rl = ratelimit_new(1, 60);
	int wait;

	/* fixed windows, but each key's begins at its first hit, not on
	 * the minute */
	ok(ratelimit_hit(rl, "a", T0 + 30, &wait), "a first hit at :30");
	ok(!ratelimit_hit(rl, "a", T0 + 60, &wait),
	    "the clock's minute turning does not end its window");
	ok(ratelimit_hit(rl, "a", T0 + 90, &wait), "sixty seconds after it does");
	ok(ratelimit_hit(rl, "a", T0 + 90 + 3600, &wait),
	    "an hour later it is long forgotten");
	ratelimit_free(rl);
}

static void
test_retry_after(void)
{
	struct ratelimit *rl = ratelimit_new(2, 60);
	int wait = -1;
	bool hit;

	(void)ratelimit_hit(rl, "k", T0, &wait);
	(void)ratelimit_hit(rl, "k", T0 + 10, &wait);
	hit = ratelimit_hit(rl, "k", T0 + 15, &wait);
	ok(!hit && wait == 45,
	    "refused 15 s into the window: retry after 45 s (got %d)", wait);
	hit = ratelimit_hit(rl, "k", T0 + 59, &wait);
	ok(!hit && wait == 1, "at its last second: after 1 s (got %d)", wait);
	wait = -1;
	hit = ratelimit_check(rl, "k", T0 + 30, &wait);
	ok(!hit && wait == 30, "ratelimit_check says the same (got %d)", wait);
	ok(ratelimit_hit(rl, "k", T0 + 60, &wait),
	    "and a hit after that wait is allowed");
	ratelimit_free(rl);
}

/*
 * The daemon passes time(NULL), which steps back when the clock is set.
 * A window that seems to begin in the future cannot say how long is left
 * of it: it is over, rather than stretched by the step.
 */
static void
test_clock_stepped_back(void)
{
	struct ratelimit *rl = ratelimit_new(1, 60);
	int wait = -1;
	bool hit;

	(void)ratelimit_hit(rl, "k", T0, &wait);
	hit = ratelimit_hit(rl, "k", T0 + 1, &wait);
	ok(!hit && wait == 59, "over the limit, 59 s to wait (got %d)", wait);
	wait = -1;
	hit = ratelimit_hit(rl, "k", T0 - 3600, &wait);
	ok(hit, "the clock set back an hour: not refused for another hour "
	    "(Retry-After %d)", wait);
	hit = ratelimit_hit(rl, "k", T0 - 3599, &wait);
	ok(!hit && wait == 59,
	    "the limit counts again from then on (Retry-After %d)", wait);
	ratelimit_free(rl);
}

static void
test_keys_apart(void)
{
	struct ratelimit *rl = ratelimit_new(1, 3600);
	int wait;

	ok(ratelimit_hit(rl, "an@example.be", T0, &wait), "one address");
	ok(!ratelimit_hit(rl, "an@example.be", T0 + 1, &wait),
	    "over its limit");
	ok(ratelimit_hit(rl, "bo@example.be", T0 + 1, &wait),
	    "another address has its own count");
	ok(ratelimit_hit(rl, "An@example.be", T0 + 1, &wait),
	    "keys are compared as they are (the caller folds case)");
	ok(ratelimit_hit(rl, "", T0 + 1, &wait) &&
	    !ratelimit_hit(rl, "", T0 + 2, &wait),
	    "the empty key is a key like any other");
	ratelimit_free(rl);
}

static void
test_check_does_not_count(void)
{
	struct ratelimit *rl = ratelimit_new(2, 60);
	int wait, i, allowed = 0;

	for (i = 0; i < 10; i++)
		allowed += ratelimit_check(rl, "k", T0, &wait);
	ok(allowed == 10, "asking is always allowed while under the limit");
	ok(ratelimit_hit(rl, "k", T0, &wait) &&
	    ratelimit_hit(rl, "k", T0, &wait),
	    "and uses none of the hits");
	ok(!ratelimit_check(rl, "k", T0, &wait), "at the limit, check says no");
	ratelimit_free(rl);
}

static void
test_off(void)
{
	struct ratelimit *rl = ratelimit_new(0, 60);
	int wait, i, allowed = 0;

	ok(rl != NULL, "a limit of 0 is made");
	for (i = 0; i < 100000; i++)
		allowed += ratelimit_hit(rl, "192.0.2.1", T0, &wait);
	ok(allowed == 100000, "limit 0: every hit is allowed (%d)", allowed);
	ok(ratelimit_check(rl, "192.0.2.1", T0, &wait), "and every check");
	ratelimit_free(rl);
}

/*
 * Far more keys than the table has room for, all within one window: each
 * new key's first hits must be allowed (a full table forgets, it does
 * not refuse), a key's own hits must still count right after them, and
 * most early keys must have been forgotten (the table is bounded).
 */
static void
test_flood(void)
{
	struct ratelimit *rl = ratelimit_new(2, 3600);
	char key[32];
	int wait, i, n = 1 << 18, wrong = 0, loose = 0, again = 0;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16,
		    (i >> 8) & 255, i & 255);
		if (!ratelimit_hit(rl, key, T0 + i / 1000, &wait) ||
		    !ratelimit_hit(rl, key, T0 + i / 1000, &wait))
			wrong++;
		else if (ratelimit_hit(rl, key, T0 + i / 1000, &wait))
			loose++;
	}
	ok(wrong == 0, "%d new keys: none refused a hit it had (%d were)",
	    n, wrong);
	ok(loose == 0, "each refused its third hit at once (%d were not)",
	    loose);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16,
		    (i >> 8) & 255, i & 255);
		again += ratelimit_hit(rl, key, T0 + n / 1000, &wait);
	}
	ok(again >= n / 2, "the table is bounded: %d of %d keys forgotten",
	    again, n);
	ratelimit_free(rl);
}

/* A hit taken back leaves room for one more, in its window only. */
static void
test_undo(void)
{
	struct ratelimit *rl = ratelimit_new(2, 60);
	int wait;

	ok(ratelimit_hit(rl, "an@example.be", T0, &wait) &&
	    ratelimit_hit(rl, "an@example.be", T0 + 1, &wait) &&
	    !ratelimit_check(rl, "an@example.be", T0 + 2, &wait),
	    "two tries use up the window");
	ratelimit_undo(rl, "an@example.be", T0 + 2);
	ok(ratelimit_hit(rl, "an@example.be", T0 + 3, &wait) &&
	    !ratelimit_check(rl, "an@example.be", T0 + 4, &wait),
	    "one taken back: room for one more, not two");
	ratelimit_undo(rl, "other@example.be", T0 + 5);
	ratelimit_undo(rl, "other@example.be", T0 + 5);
	ok(ratelimit_hit(rl, "other@example.be", T0 + 6, &wait) &&
	    ratelimit_hit(rl, "other@example.be", T0 + 6, &wait) &&
	    !ratelimit_hit(rl, "other@example.be", T0 + 6, &wait),
	    "taking back what was never counted gives no credit");
	ratelimit_free(rl);
}

int
main(void)
{
	test_limit_per_window();
	test_window_from_the_first_hit();
	test_retry_after();
	test_clock_stepped_back();
	test_keys_apart();
	test_check_does_not_count();
	test_off();
	test_flood();
	test_undo();
	return done_testing();
}
