/*
 * ratelimit.c - a fixed-size open-addressing table of {key hash, window
 * start, count}.  Keys are hashed with a per-process random seed, so the
 * table holds no address or e-mail in the clear and cannot be steered
 * into collisions from outside.  When every probed slot is in use, the
 * one whose window began first is taken over: a flood of new keys can
 * make the limit forget someone, never refuse someone wrongly.
 */
#include "autoconf.h"

#include <sys/random.h>

#include <stdlib.h>

#include "base/ratelimit.h"
#include "base/util.h"

#define RL_SLOTS	65536	/* a power of two */
#define RL_PROBE	8

struct rl_slot {
	uint64_t	key;
	time_t		start;
	int		count;
};

struct ratelimit {
	int		 limit;
	int		 window;
	uint64_t	 seed;
	struct rl_slot	*slots;
};

struct ratelimit *
ratelimit_new(int limit, int window)
{
	struct ratelimit *rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	rl->limit = limit;
	rl->window = window;
	if (limit > 0 &&
	    (rl->slots = calloc(RL_SLOTS, sizeof(*rl->slots))) == NULL) {
		free(rl);
		return NULL;
	}
	if (getrandom(&rl->seed, sizeof(rl->seed), 0) != sizeof(rl->seed))
		rl->seed = (uint64_t)time(NULL);
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	free(rl->slots);
	free(rl);
}

/*
 * Has the window that began at start ended by now?  One that seems to
 * begin after now (the clock was set back) has: kept, it would refuse
 * for as long as the step, with a Retry-After to match.
 */
static bool
rl_ended(const struct ratelimit *rl, time_t start, time_t now)
{
	return now < start || now - start >= rl->window;
}

/* The slot of key, its window started afresh when it has run out. */
static struct rl_slot *
rl_slot(struct ratelimit *rl, const char *key, time_t now)
{
	uint64_t h;
	struct rl_slot *slot = NULL, *oldest = NULL, *s;
	int i;

	h = hash_str(key, rl->seed) | 1;	/* 0 marks a free slot */
	for (i = 0; i < RL_PROBE; i++) {
		s = &rl->slots[(h + (uint64_t)i) & (RL_SLOTS - 1)];
		if (s->key == h) {
			slot = s;
			break;
		}
		if (s->key == 0 || rl_ended(rl, s->start, now)) {
			if (slot == NULL)
				slot = s;
			continue;
		}
		if (oldest == NULL || s->start < oldest->start)
			oldest = s;
	}
	if (slot == NULL)
		slot = oldest;
	if (slot->key != h || rl_ended(rl, slot->start, now)) {
		slot->key = h;
		slot->start = now;
		slot->count = 0;
	}
	return slot;
}

static bool
rl_over(const struct ratelimit *rl, const struct rl_slot *slot, time_t now,
    int *retry_after)
{
	if (slot->count < rl->limit)
		return false;
	*retry_after = (int)(slot->start + rl->window - now);
	if (*retry_after < 1)
		*retry_after = 1;
	return true;
}

bool
ratelimit_hit(struct ratelimit *rl, const char *key, time_t now,
    int *retry_after)
{
	struct rl_slot *slot;

	if (rl->limit <= 0)
		return true;
	slot = rl_slot(rl, key, now);
	if (rl_over(rl, slot, now, retry_after))
		return false;
	slot->count++;
	return true;
}

void
ratelimit_undo(struct ratelimit *rl, const char *key, time_t now)
{
	struct rl_slot *slot;

	if (rl->limit <= 0)
		return;
	slot = rl_slot(rl, key, now);
	if (slot->count > 0)
		slot->count--;
}

bool
ratelimit_check(struct ratelimit *rl, const char *key, time_t now,
    int *retry_after)
{
	if (rl->limit <= 0)
		return true;
	return !rl_over(rl, rl_slot(rl, key, now), now, retry_after);
}
