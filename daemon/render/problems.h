/*
 * render/problems.h - the problem types leerkansd sends, and the page at
 * each type's address (public_url/problems/NAME, RFC 9457 section 3.1.1:
 * a type URI, dereferenced, documents the problem for people).
 *
 * Every type the daemon can send has a row here: those of http/dispatch.c
 * and http/request.c, of the handlers, and those the SQL functions raise
 * with lk_fail (migrations/functions/).  test_problems.py reads the
 * sources and fails a type without a page.
 */
#ifndef LEERKANS_PROBLEMS_H
#define LEERKANS_PROBLEMS_H

#include "render/html.h"
#include "render/page.h"

struct problem_type {
	const char	*name;		/* the last segment of the type URI */
	int		 status;	/* the HTTP status it comes with */
	const char	*title_nl, *title_en;
	const char	*text_nl, *text_en;	/* what it means, what to do */
};

extern const struct problem_type problem_types[];
extern const size_t problem_types_len;

/* The row of name; NULL when there is none. */
const struct problem_type *problem_type_find(const char *name);
/* The page of a problem type, in c's language. */
void	pages_problem(struct html *h, const struct page_ctx *c,
	    const struct problem_type *p);

#endif
