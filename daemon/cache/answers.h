/*
 * cache/answers.h - rendered answers in memory: the calendar feeds and the
 * public JSON of the event catalogue, rendered once per change, not once
 * per request.
 *
 * cache_get() answers from memory while a feed's rendering is
 * trusted.  Otherwise one fill runs for all the requests that wait for
 * that feed: one SQL statement, whose answer the caller's render
 * function turns into text, which is gzipped once and given strong
 * validators.
 *
 * A rendering is trusted only while the pool's listening connection is
 * up.  cache_notify() is that connection's callback
 * (db_pool_listen): the notifications of migrations/0004_feeds.sql mark
 * renderings stale, and so does a listener that (re)connects, since
 * notifications may have been missed meanwhile.  While it is down every
 * request reads its feed afresh (still one fill for many requests).
 * Seat counts change with every registration; their notifications
 * ("seats:EVENT:XID") touch only entries that show seats.
 */
#ifndef LEERKANS_FEEDCACHE_H
#define LEERKANS_FEEDCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "db/pool.h"

struct blob;
struct cache;
struct request;
struct settings;

/* A rendered feed as the handlers see it, valid during the callback. */
struct cache_view {
	const char	*body;
	size_t		 len;
	const char	*gz;		/* the body gzipped; NULL if that failed */
	size_t		 gzlen;
	struct blob	*body_ref;	/* cache/answers.c's, for replies without a copy */
	struct blob	*gz_ref;
	const char	*etag;		/* strong, quoted: of body */
	const char	*etag_gz;	/* strong, quoted: of gz */
	time_t		 last_modified;
	const char	*last_modified_http;	/* the same as an HTTP date */
};

/* What a render function makes of a fill's answer. */
struct cache_render {
	char		*body;		/* malloc'ed, NUL-terminated; the cache takes it */
	size_t		 len;
	time_t		 last_modified;
	time_t		 valid_until;	/* 0: until a notification */
	long long	 registration;	/* a personal feed's registration id, else 0 */
	bool		 stale_ok;	/* served as it was while the database is away */
	bool		 seats;		/* shows seat counts: */
	long long	 event;		/* of this event id; 0: of every event */
};

enum cache_outcome {
	CACHE_READY,		/* v holds the feed */
	CACHE_NOT_FOUND,		/* there is no such feed */
	CACHE_FAILED		/* res says why (NULL: it could not be rendered) */
};

/* 1 rendered, 0 no such feed, -1 failed. */
typedef int (*cache_render_cb)(const struct db_result *res,
    const struct settings *s, struct cache_render *out);
/* Must finish the request. */
typedef void (*cache_reply_cb)(struct request *r, enum cache_outcome o,
    const struct cache_view *v, const struct db_result *res);

struct cache *cache_new(struct db_pool *pool, const struct settings *s);
void	cache_free(struct cache *fc);

#define CACHE_MAX_PARAMS	4

/*
 * Answers r through reply, now or once the feed is rendered.  key names
 * the feed and may hold a secret (it is never logged); sql with its
 * nparams parameters (each may be NULL) fetches it.
 */
void	cache_get(struct cache *fc, struct request *r,
	    const char *key, const char *sql, int nparams,
	    const char *const *params, cache_render_cb render,
	    cache_reply_cb reply);

/*
 * The HTTP answer from a cache entry: 404 (not_found names what), the
 * database failure, or the entry with strong ETag, Last-Modified, 304
 * on If-None-Match / If-Modified-Since, and gzip when the client takes it.
 */
void	cache_reply(struct request *r, enum cache_outcome o,
	    const struct cache_view *v, const struct db_result *res,
	    const char *ctype, const char *cache_control,
	    const char *not_found);

/* The listening connection's callback (db_notify_cb); arg is the cache. */
void	cache_notify(enum db_notify_event ev, const char *channel,
	    const char *payload, void *arg);

#endif
