/*
 * handlers/problems.c - GET /problems/{name}: the page at each problem
 * type's address (render/problems.c), in the reader's language.  A page
 * for people: programs take the type as a name and need not fetch it
 * (RFC 9457 section 3.1.1), so there is no JSON here.
 */
#include "autoconf.h"

#include "handlers/handlers.h"
#include "handlers/site.h"
#include "http/request.h"
#include "render/problems.h"

void
h_problem(struct request *r)
{
	const struct problem_type *p = problem_type_find(r->params[0]);
	struct web_page page;

	if (p == NULL) {
		request_not_found(r);
		return;
	}
	web_page_init(&page, r);
	pages_problem(&page.h, &page.c, p);
	web_page_reply(&page, 200, false, false);
}
