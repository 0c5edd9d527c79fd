/*
 * ratelimit.h - fixed-window counters per key (a client address, an
 * e-mail address), in memory, of bounded size.
 */
#ifndef LEERKANS_RATELIMIT_H
#define LEERKANS_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct ratelimit;

/* limit hits per window seconds; limit 0 turns it off. */
struct ratelimit *ratelimit_new(int limit, int window);
void	ratelimit_free(struct ratelimit *rl);
/* Counts a hit for key; false (and the seconds to wait) when over. */
bool	ratelimit_hit(struct ratelimit *rl, const char *key, time_t now,
	    int *retry_after);
/*
 * Takes back a hit counted for key in the window under way (a login
 * that turned out to be right: only failures should count, but each try
 * is counted as it begins, so that tries sent at once cannot pass the
 * limit together).  Nothing when the window has ended meanwhile.
 */
void	ratelimit_undo(struct ratelimit *rl, const char *key, time_t now);
/* The same question without counting: would a hit now be allowed? */
bool	ratelimit_check(struct ratelimit *rl, const char *key, time_t now,
	    int *retry_after);

#endif
