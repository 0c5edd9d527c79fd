/*
 * query.h - checks of query-string arguments, apart from the handlers.
 *
 * The handler fetches the arguments (request_arg) and hands them here;
 * these functions only look at strings, so the unit tests and the
 * fuzzers (tests/fuzz/) run the very code the handlers run.
 */
#ifndef LEERKANS_QUERY_H
#define LEERKANS_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define QUERY_BOUND_MAX	64	/* room for a time bound, NUL included */

/* GET /api/v1/events?kind=&from=&to=, checked; NULL where not given. */
struct query_events {
	const char	*kind;		/* a slug, or NULL */
	const char	*from;		/* points into from_buf, or NULL */
	const char	*to;		/* points into to_buf, or NULL */
	char		 from_buf[QUERY_BOUND_MAX];
	char		 to_buf[QUERY_BOUND_MAX];
};

/*
 * Checks the list's arguments (each may be NULL).  Adds a {field,
 * message} to errors for every bad one; with none added, q holds what
 * goes to sql_events_list.
 */
void	query_events(const char *kind, const char *from, const char *to,
	    struct query_events *q, json_t *errors);
/*
 * A time bound: an RFC 3339 time as it is, or a date taken as that day
 * in Europe/Brussels (end false: its start; end true: its end).
 */
bool	query_time_bound(const char *v, bool end, char *out, size_t outlen)
	    __attribute__((warn_unused_result));

#endif
