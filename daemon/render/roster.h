/*
 * render/roster.h - the console's registrations pages (issue 12) as
 * pure renderers, like render/console.h: a JSON document and a struct
 * console_ctx in, HTML out; tests/unit/test_roster.c draws them all.
 *
 *	roster_list	sql_roster: {event, filter, count, registrations}
 *	roster_print	the same, as a door list to print
 *	roster_cancel	sql_roster_registration: {event, registration}, the
 *			question before cancelling on someone's behalf
 *	roster_walk_in	sql_roster_event: {event}, the walk-in form (again)
 *	roster_erasure	the admin's erasure form, and what an erasure did
 *
 * Notices (c->notice, a code): "cancelled", "walk-in-added".
 */
#ifndef LEERKANS_ROSTER_H
#define LEERKANS_ROSTER_H

#include <jansson.h>

#include "render/console.h"
#include "render/html.h"

/* the longest search text the list takes, in bytes */
#define ROSTER_QUERY_MAX	200

void	roster_list(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
void	roster_print(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
void	roster_cancel(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
/* f: the form sent and its errors (f->problem: "event-full",
 * "event-cancelled", "event-draft"), or NULL for a fresh form */
void	roster_walk_in(struct html *h, const struct console_ctx *c,
	    const json_t *doc, const struct console_form *f);
/* done: lk_erase's answer {erased, seats_freed} after an erasure, or
 * NULL; f as above */
void	roster_erasure(struct html *h, const struct console_ctx *c,
	    const struct console_form *f, const json_t *done);

#endif
