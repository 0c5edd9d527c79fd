/*
 * query.c - checks of query-string arguments (query.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "input/query.h"
#include "input/validate.h"

bool
query_time_bound(const char *v, bool end, char *out, size_t outlen)
{
	time_t t;
	int y, m, d;

	if (parse_time(v, &t)) {
		snprintf(out, outlen, "%s", v);
		return true;
	}
	if (!parse_date(v, &y, &m, &d))
		return false;
	if (end) {
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d + 1;
		t = timegm(&tm);
		gmtime_r(&t, &tm);
		y = tm.tm_year + 1900;
		m = tm.tm_mon + 1;
		d = tm.tm_mday;
	}
	snprintf(out, outlen, "%04d-%02d-%02d 00:00:00 Europe/Brussels", y, m,
	    d);
	return true;
}

void
query_events(const char *kind, const char *from, const char *to,
    struct query_events *q, json_t *errors)
{
	memset(q, 0, sizeof(*q));
	if (kind != NULL && *kind == '\0')
		kind = NULL;
	if (kind != NULL && !valid_slug(kind))
		validate_error(errors, "kind", "must be an event kind, e.g. "
		    "network-event");
	else
		q->kind = kind;
	if (from != NULL) {
		if (query_time_bound(from, false, q->from_buf,
		    sizeof(q->from_buf)))
			q->from = q->from_buf;
		else
			validate_error(errors, "from", "must be an RFC 3339 "
			    "time or a date (YYYY-MM-DD)");
	}
	if (to != NULL) {
		if (query_time_bound(to, true, q->to_buf, sizeof(q->to_buf)))
			q->to = q->to_buf;
		else
			validate_error(errors, "to", "must be an RFC 3339 time "
			    "or a date (YYYY-MM-DD)");
	}
}
