/*
 * fuzz_query.c - a query string as http/dispatch.c reads it
 * (evhttp_parse_query_str), then the checks of GET /api/v1/events
 * (query_events, the code h_events_list runs).
 *
 * Promises: no crash, leak or undefined behaviour; every bad argument is
 * named once, by its own name; what passes is what sql_events_list may
 * get: kind a slug, from and to whole (never cut by their buffers), each
 * either the RFC 3339 time given or a day's start in Europe/Brussels,
 * and to (a date) is the day after the date given.
 */
#include "autoconf.h"

#include <sys/queue.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "fuzz.h"
#include "input/query.h"
#include "input/validate.h"

static int
count_errors(const json_t *errors, const char *field)
{
	size_t i;
	int n = 0;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0)
			n++;
	return n;
}

/* A bound that passed: the time given, or "YYYY-MM-DD 00:00:00 ...". */
static void
check_bound(const char *given, const char *bound, const char *buf,
    bool end)
{
	int y, m, d, gy, gm, gd, n = 0;
	time_t t, u;

	FUZZ_CHECK(bound == buf);
	FUZZ_CHECK(strlen(bound) < QUERY_BOUND_MAX - 1);
	if (parse_time(given, &t)) {
		FUZZ_CHECK(strcmp(bound, given) == 0);
		return;
	}
	FUZZ_CHECK(parse_date(given, &gy, &gm, &gd));
	FUZZ_CHECK(sscanf(bound, "%d-%d-%d 00:00:00 Europe/Brussels%n", &y,
	    &m, &d, &n) == 3 && n > 0 && bound[n] == '\0');
	if (!end) {
		FUZZ_CHECK(y == gy && m == gm && d == gd);
		return;
	}
	/* the next day, by the calendar */
	{
		struct tm a, b;

		memset(&a, 0, sizeof(a));
		a.tm_year = gy - 1900;
		a.tm_mon = gm - 1;
		a.tm_mday = gd;
		memset(&b, 0, sizeof(b));
		b.tm_year = y - 1900;
		b.tm_mon = m - 1;
		b.tm_mday = d;
		t = timegm(&a);
		u = timegm(&b);
		FUZZ_CHECK(u - t == 86400);
		FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evkeyvalq args;
	struct query_events q;
	const char *kind, *from, *to;
	json_t *errors;
	char *text;
	size_t i;
	json_t *e;

	text = fuzz_string(data, size);
	TAILQ_INIT(&args);
	if (evhttp_parse_query_str(text, &args) == -1)	/* 400 */
		goto done;
	/* as request_arg() finds them */
	kind = evhttp_find_header(&args, "kind");
	from = evhttp_find_header(&args, "from");
	to = evhttp_find_header(&args, "to");

	errors = json_array();
	FUZZ_CHECK(errors != NULL);
	query_events(kind, from, to, &q, errors);
	json_array_foreach(errors, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));

		FUZZ_CHECK(f != NULL && (strcmp(f, "kind") == 0 ||
		    strcmp(f, "from") == 0 || strcmp(f, "to") == 0));
		FUZZ_CHECK(json_is_string(json_object_get(e, "message")));
	}
	FUZZ_CHECK(count_errors(errors, "kind") ==
	    (kind != NULL && *kind != '\0' && !valid_slug(kind)));
	FUZZ_CHECK(count_errors(errors, "from") == (from != NULL &&
	    q.from == NULL));
	FUZZ_CHECK(count_errors(errors, "to") == (to != NULL && q.to == NULL));
	if (q.kind != NULL)
		FUZZ_CHECK(q.kind == kind && valid_slug(q.kind));
	if (q.from != NULL)
		check_bound(from, q.from, q.from_buf, false);
	if (q.to != NULL)
		check_bound(to, q.to, q.to_buf, true);
	json_decref(errors);
done:
	evhttp_clear_headers(&args);
	free(text);
	return 0;
}
