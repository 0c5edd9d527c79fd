/*
 * h_feeds.c - the calendar feeds (API.md section 6):
 *
 *	/feeds/events.ics		every published and cancelled event
 *	/feeds/{kind}.ics		the events of one kind
 *	/events/{slug}.ics		one event, its sessions each a VEVENT
 *	/feeds/personal/{token}.ics	what one registration holds
 *
 * Each feed is rendered once per change and kept (feedcache.c); every
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

#include "config.h"
#include "feedcache.h"
#include "handlers.h"
#include "ics.h"
#include "request.h"
#include "sql.h"
#include "util.h"
#include "validate.h"

#define ICS_TYPE	"text/calendar; charset=utf-8"
#define FEED_PRODID	"-//leerkans//leerkansd " PACKAGE_VERSION "//EN"
#define FEED_REFRESH	3600	/* seconds: REFRESH-INTERVAL, X-PUBLISHED-TTL */
#define HTTP_DATE	"%a, %d %b %Y %H:%M:%S GMT"

/* Renders the JSON of an lk_feed_* call (migrations/0004_feeds.sql). */
static int
feed_render(const PGresult *res, const struct settings *s,
    struct feed_render *out)
{
	struct ics_calendar cal;
	json_t *j, *v;
	int rc = -1;

	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0))
		return 0;
	if ((j = json_loads(PQgetvalue(res, 0, 0), 0, NULL)) == NULL)
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
	if ((out->body = ics_render(&cal, &out->len)) != NULL)
		rc = 1;
fail:
	ics_calendar_clear(&cal);
	json_decref(j);
	return rc;
}

static bool
tag_is(const char *s, size_t len, const char *tag)
{
	return strlen(tag) == len && memcmp(s, tag, len) == 0;
}

/*
 * Does an If-None-Match list name the feed (weak comparison, RFC 9110
 * 13.1.2)?  Either encoding's tag will do: the bytes are the same feed.
 */
static bool
etag_listed(const char *h, const struct feed_view *v)
{
	const char *p = h, *start;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return false;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		start = p;
		if (*p == '"') {
			if ((p = strchr(p + 1, '"')) == NULL)
				return false;
			p++;
		} else
			while (*p != '\0' && *p != ',')
				p++;
		if (tag_is(start, (size_t)(p - start), v->etag) ||
		    (v->gz != NULL &&
		    tag_is(start, (size_t)(p - start), v->etag_gz)))
			return true;
	}
}

static bool
not_modified_since(const char *h, time_t last_modified)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(h, HTTP_DATE, &tm)) == NULL || *end != '\0')
		return false;
	return last_modified <= timegm(&tm);
}

/* Does the client take gzip (Accept-Encoding, RFC 9110 12.5.3)? */
static bool
accepts_gzip(const char *h)
{
	bool gzip = false, gzip_ok = false, star = false, star_ok = false;
	const char *p = h, *name, *q;
	size_t len;
	double qv;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		name = p;
		while (*p != '\0' && *p != ',' && *p != ';' && *p != ' ' &&
		    *p != '\t')
			p++;
		len = (size_t)(p - name);
		qv = 1;
		while (*p != '\0' && *p != ',') {
			if (*p == ';') {
				q = p + 1;
				while (*q == ' ' || *q == '\t')
					q++;
				if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
					qv = strtod(q + 2, NULL);
			}
			p++;
		}
		if ((len == 4 && strncasecmp(name, "gzip", 4) == 0) ||
		    (len == 6 && strncasecmp(name, "x-gzip", 6) == 0)) {
			gzip = true;
			gzip_ok = qv > 0;
		} else if (len == 1 && *name == '*') {
			star = true;
			star_ok = qv > 0;
		}
	}
	return gzip ? gzip_ok : star && star_ok;
}

static void
feed_reply(struct request *r, enum feed_outcome o, const struct feed_view *v,
    const struct db_result *res, const char *cache_control)
{
	const char *inm, *ims;
	char date[64];
	struct tm tm;
	bool gz, unchanged;

	switch (o) {
	case FEED_NOT_FOUND:
		request_problem(r, 404, "not-found", "Not found",
		    "There is no such calendar feed.", NULL);
		return;
	case FEED_FAILED:
		if (res != NULL)
			request_db_failed(r, res);
		else
			request_problem(r, 500, "internal-error",
			    "Internal error", "The calendar could not be made.",
			    NULL);
		return;
	case FEED_READY:
		break;
	}
	gz = v->gz != NULL && accepts_gzip(request_header(r, "Accept-Encoding"));
	request_add_header(r, "ETag", gz ? v->etag_gz : v->etag);
	gmtime_r(&v->last_modified, &tm);
	strftime(date, sizeof(date), HTTP_DATE, &tm);
	request_add_header(r, "Last-Modified", date);
	request_add_header(r, "Cache-Control", cache_control);
	request_add_header(r, "Vary", "Accept-Encoding");

	inm = request_header(r, "If-None-Match");
	ims = request_header(r, "If-Modified-Since");
	if (inm != NULL)
		unchanged = etag_listed(inm, v);
	else
		unchanged = ims != NULL &&
		    not_modified_since(ims, v->last_modified);
	if (unchanged) {
		request_reply(r, 304, NULL, NULL, 0);
		return;
	}
	if (gz)
		request_add_header(r, "Content-Encoding", "gzip");
	request_reply(r, 200, ICS_TYPE, gz ? v->gz : v->body,
	    gz ? v->gzlen : v->len);
}

static void
public_reply(struct request *r, enum feed_outcome o,
    const struct feed_view *v, const struct db_result *res)
{
	feed_reply(r, o, v, res, "public, no-cache");
}

static void
personal_reply(struct request *r, enum feed_outcome o,
    const struct feed_view *v, const struct db_result *res)
{
	feed_reply(r, o, v, res, "private, no-cache");
}

void
h_feeds_all(struct request *r)
{
	feedcache_get(r->srv->feeds, r, "events", sql_feed_catalogue, NULL,
	    feed_render, public_reply);
}

void
h_feeds_kind(struct request *r)
{
	char key[128];

	if (!valid_slug(r->params[0])) {
		public_reply(r, FEED_NOT_FOUND, NULL, NULL);
		return;
	}
	snprintf(key, sizeof(key), "kind/%s", r->params[0]);
	feedcache_get(r->srv->feeds, r, key, sql_feed_catalogue, r->params[0],
	    feed_render, public_reply);
}

void
h_feeds_event(struct request *r)
{
	char key[128];

	if (!valid_slug(r->params[0])) {
		public_reply(r, FEED_NOT_FOUND, NULL, NULL);
		return;
	}
	snprintf(key, sizeof(key), "event/%s", r->params[0]);
	feedcache_get(r->srv->feeds, r, key, sql_feed_event, r->params[0],
	    feed_render, public_reply);
}

void
h_feeds_personal(struct request *r)
{
	char key[TOKEN_LEN + 16];

	if (!token_wellformed(r->params[0])) {
		personal_reply(r, FEED_NOT_FOUND, NULL, NULL);
		return;
	}
	snprintf(key, sizeof(key), "personal/%s", r->params[0]);
	feedcache_get(r->srv->feeds, r, key, sql_feed_personal, r->params[0],
	    feed_render, personal_reply);
	explicit_bzero(key, sizeof(key));
}
