/*
 * handlers/feeds.c - the calendar feeds (API.md section 6):
 *
 *	/feeds/events.ics		every published and cancelled event
 *	/feeds/{kind}.ics		the events of one kind
 *	/events/{slug}.ics		one event, its sessions each a VEVENT
 *	/feeds/personal/{token}.ics	what one registration holds
 *
 * Each feed is rendered once per change and kept (cache/answers.c); every
 * answer carries a strong ETag and Last-Modified, a matching
 * If-None-Match (or, without one, If-Modified-Since) is answered 304,
 * and a client that takes gzip gets the gzipped bytes, which have a tag
 * of their own.  The public feeds are shared by every daemon of one
 * database; their bytes depend on the data alone, so are their tags.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "base/config.h"
#include "cache/answers.h"
#include "handlers/handlers.h"
#include "render/ics.h"
#include "http/request.h"
#include "db/result.h"
#include "db/sql.h"
#include "base/util.h"
#include "input/validate.h"

#define ICS_TYPE	"text/calendar; charset=utf-8"
#define FEED_PRODID	"-//leerkans//leerkansd " PACKAGE_VERSION "//EN"
#define FEED_REFRESH	3600	/* seconds: REFRESH-INTERVAL, X-PUBLISHED-TTL */

/* Renders the JSON of an lk_feed_* call (migrations/0004_feeds.sql). */
static int
feed_render(const struct db_result *res, const struct settings *s,
    struct cache_render *out)
{
	struct ics_calendar cal;
	const char *text;
	json_t *j, *v;
	int rc = -1;

	if ((text = db_result_text(res, NULL)) == NULL)
		return 0;
	if ((j = json_loads(text, 0, NULL)) == NULL)
		return -1;
	memset(&cal, 0, sizeof(cal));
	cal.prodid = FEED_PRODID;
	cal.base_url = s->public_url;
	cal.refresh = FEED_REFRESH;
	v = json_object_get(j, "last_modified");
	if (!json_is_integer(v) || !ics_calendar_from_json(&cal, j))
		goto fail;
	out->last_modified = (time_t)json_integer_value(v);
	v = json_object_get(j, "valid_until");
	out->valid_until = json_is_integer(v) ?
	    (time_t)json_integer_value(v) : 0;
	v = json_object_get(j, "registration");
	out->registration = json_is_integer(v) ?
	    (long long)json_integer_value(v) : 0;
	/* a calendar is better served a little late than not at all */
	out->stale_ok = true;
	if ((out->body = ics_render(&cal, &out->len)) != NULL)
		rc = 1;
fail:
	ics_calendar_clear(&cal);
	json_decref(j);
	return rc;
}

static void
public_reply(struct request *r, enum cache_outcome o,
    const struct cache_view *v, const struct db_result *res)
{
	cache_reply(r, o, v, res, ICS_TYPE, "public, no-cache",
	    "There is no such calendar feed.");
}

static void
personal_reply(struct request *r, enum cache_outcome o,
    const struct cache_view *v, const struct db_result *res)
{
	cache_reply(r, o, v, res, ICS_TYPE, "private, no-cache",
	    "There is no such calendar feed.");
}

void
h_feeds_all(struct request *r)
{
	const char *params[1] = { NULL };

	cache_get(r->srv->cache, r, "events", sql_feed_catalogue, 1,
	    params, feed_render, public_reply);
}

void
h_feeds_kind(struct request *r)
{
	char key[128];

	if (!valid_slug(r->params[0])) {
		public_reply(r, CACHE_NOT_FOUND, NULL, NULL);
		return;
	}
	snprintf(key, sizeof(key), "kind/%s", r->params[0]);
	cache_get(r->srv->cache, r, key, sql_feed_catalogue, 1,
	    (const char *const *)r->params, feed_render, public_reply);
}

void
h_feeds_event(struct request *r)
{
	char key[128];

	if (!valid_slug(r->params[0])) {
		public_reply(r, CACHE_NOT_FOUND, NULL, NULL);
		return;
	}
	snprintf(key, sizeof(key), "event/%s", r->params[0]);
	cache_get(r->srv->cache, r, key, sql_feed_event, 1,
	    (const char *const *)r->params, feed_render, public_reply);
}

void
h_feeds_personal(struct request *r)
{
	char key[TOKEN_LEN + 16];

	if (!token_wellformed(r->params[0])) {
		personal_reply(r, CACHE_NOT_FOUND, NULL, NULL);
		return;
	}
	snprintf(key, sizeof(key), "personal/%s", r->params[0]);
	cache_get(r->srv->cache, r, key, sql_feed_personal, 1,
	    (const char *const *)r->params, feed_render, personal_reply);
	explicit_bzero(key, sizeof(key));
}
