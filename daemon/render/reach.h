/*
 * render/reach.h - the reach report "De teller loopt" (lk_reach's JSON)
 * as lines of counts: one table of what is counted, for leerkansctl's
 * table and for the CSV of GET /api/v1/stats/reach?format=csv.
 */
#ifndef LEERKANS_REACH_H
#define LEERKANS_REACH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct evbuffer;

/*
 * One line of the report: the count key in a counts object (in its
 * group, when group is not NULL), or, with key NULL, a heading.  measure
 * is the line's name in the CSV ("by_role.employer").
 */
struct reach_line {
	const char	*group, *key;
	const char	*label;
	const char	*measure;
};

extern const struct reach_line reach_lines[];
extern const size_t reach_nlines;

/* The count of line in a counts object; 0 when it is not there. */
long	reach_count(const json_t *counts, const struct reach_line *line);
/*
 * The report as CSV (RFC 4180, CRLF): a header "measure", a column per
 * event kind (its slug, in the report's order) and "total"; a row per
 * count.  delim is ',' or ';'; bom starts it with a UTF-8 byte order
 * mark.  False when report is not lk_reach's shape.
 */
bool	reach_csv(struct evbuffer *out, const json_t *report, char delim,
	    bool bom) __attribute__((warn_unused_result));

#endif
