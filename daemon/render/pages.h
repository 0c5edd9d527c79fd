/*
 * render/pages.h - the public web pages as pure renderers: JSON and a
 * struct page_ctx (render/page.h) in, HTML out.
 *
 *	pages_index		sql_web_index: {now, kinds, events}
 *	pages_event		sql_web_event: {now, event, kind}, and the form
 *	pages_registration	sql_web_registration: {now, registration,
 *				event}
 *	pages_cancel		the same: the confirmation before cancelling
 *	pages_links		"send me my links": the form, or what happens
 *				next (the same whether the address is known)
 *
 * Each writes a whole page, frame included, into h; h->failed (html_ok)
 * says whether it could.  pages_event, pages_registration and
 * pages_cancel return whether the page holds a form carrying c->csrf:
 * the caller then makes sure the browser has that token in its cookie.
 * A form is never drawn without a token: with c->csrf NULL such a page
 * fails.
 */
#ifndef LEERKANS_PAGES_H
#define LEERKANS_PAGES_H

#include <stdbool.h>

#include <jansson.h>

#include "render/html.h"
#include "render/i18n.h"
#include "render/page.h"

/* the registration form's own fields, besides the API's and the token */
#define PAGES_FIELD_HONEYPOT	"homepage"
#define PAGES_FIELD_IDEM	"idempotency_key"

/* Where registration for an event stands, as lk_register would see it. */
enum pages_state {
	PAGES_OPEN,
	PAGES_WAITLIST,		/* full; one joins the waiting list */
	PAGES_FULL,		/* full, no waiting list */
	PAGES_NOT_YET,
	PAGES_CLOSED,		/* also: no clock in the document */
	PAGES_CANCELLED
};

/* ev is lk_event_json's object, now the document's "now" (RFC 3339). */
enum pages_state pages_state(const json_t *ev, const char *now);

void	pages_index(struct html *h, const struct page_ctx *c,
	    const json_t *doc);
/*
 * The event and its registration form; c's values, errors and notice
 * redraw a refused form, with each message beside its field.
 */
bool	pages_event(struct html *h, const struct page_ctx *c,
	    const json_t *doc);
/* The registration behind token (the page's own address, /r/token). */
bool	pages_registration(struct html *h, const struct page_ctx *c,
	    const json_t *doc, const char *token);
/*
 * Cancelling it (/r/token/cancel): what will be cancelled, who gets the
 * place, and a form that posts the cancellation; or why there is
 * nothing to cancel any more.
 */
bool	pages_cancel(struct html *h, const struct page_ctx *c,
	    const json_t *doc, const char *token);

/*
 * Time slots: the sessions that overlap in time, directly or through a
 * chain of others, form one slot, in which a person can follow one.
 * slot[i] gets the slot of sessions[i] (i < n), numbered from 0 in the
 * order of the slots' starts; a session whose times do not parse is a
 * slot of its own, after the others.  Returns the number of slots.
 */
size_t	pages_time_slots(const json_t *sessions, size_t *slot, size_t n);

/*
 * What to say above a form refused without a field error (the problem
 * name of an lk_register refusal: event-full, registration-closed, ...);
 * NULL when the field errors say it all.
 */
const char *pages_notice(enum lang lang, const char *problem);

/*
 * /links: the form (email: the value to keep, error: the message beside
 * the field, or NULL), or, sent, the answer to it.
 */
bool	pages_links(struct html *h, const struct page_ctx *c,
	    const char *email, const char *error, bool sent);

#endif
