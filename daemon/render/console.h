/*
 * render/console.h - the organiser console's pages (/beheer/) as pure
 * renderers: a JSON document and a struct console_ctx in, HTML out, as
 * render/pages.h does for the public pages.  No request, database or
 * clock in reach (tests/unit/test_console.c draws them all).
 *
 *	console_login		the login form (no document)
 *	console_dashboard	sql_console_dashboard: {now, role, kinds,
 *				upcoming, drafts, past}
 *	console_event		sql_console_event: {now, kind, event,
 *				counts, sessions}, its sessions by time slot
 *	console_event_form	sql_console_event_form: {kinds, event}, the
 *				form of an event with its sessions
 *	console_event_cancel	the confirmation before cancelling
 *	console_event_duplicate	the form that copies an event
 *	console_users		sql_users: {users}; console_user_new its form
 *	console_tokens		sql_tokens: {tokens}; console_token_new its
 *				form, console_token_made the one showing of
 *				a new token
 *	console_audit		sql_audit_page: {action, entries, next_before}
 *	console_error		an error page for the console's face
 *
 * Each writes a whole page, frame included: a header with the
 * partnership's name, who is signed in (address and role) and a logout
 * button, the navigation of what that role may use, the language
 * switch.  A page with a form needs c->page.csrf (the session's token,
 * or on the login page the browser's pre-session one); without it the
 * page fails (html_ok) rather than draw a form that cannot be sent.
 */
#ifndef LEERKANS_CONSOLE_H
#define LEERKANS_CONSOLE_H

#include <stdbool.h>

#include <jansson.h>

#include "input/account.h"
#include "render/html.h"
#include "render/page.h"

/* the login form's fields besides email, password and csrf */
#define CONSOLE_FIELD_NEXT	"next"

/* entries on one page of the audit log */
#define CONSOLE_AUDIT_PAGE	50
/* sessions of one event the console draws at most */
#define CONSOLE_SESSIONS_MAX	200
/* weeks of past events on the dashboard */
#define CONSOLE_PAST_WEEKS	6

struct console_ctx {
	struct page_ctx		 page;		/* language, CSRF token */
	const char		*email;		/* signed in; NULL: nobody */
	long long		 user_id;
	enum account_role	 role;
	/*
	 * What to say above the page (a code, never text from outside):
	 * "logged-out", "expired", "user-created", "user-disabled",
	 * "user-enabled", "user-role", "token-revoked", "event-created",
	 * "event-saved", "event-published", "event-cancelled",
	 * "event-duplicated"; NULL for nothing.
	 */
	const char		*notice;
};

/* A form drawn again: what was sent and what was wrong with it. */
struct console_form {
	const struct form	*values;	/* NULL: a fresh form */
	const json_t		*errors;	/* [{field, code}] or NULL */
	/* a refusal without a field (a problem name: "credentials",
	 * "rate-limited", ...), or NULL */
	const char		*problem;
};

/* What was sent in field name, or "" (a fresh form, or not sent). */
const char	*console_form_value(const struct console_form *f,
		    const char *name);
/* The code of field's first error ("invalid", "short", ...), or NULL. */
const char	*console_form_error(const struct console_form *f,
		    const char *field);

/* The login page; next: where to go afterwards (account_next_ok), or
 * NULL; retry_after: seconds, for a login refused as rate-limited. */
void	console_login(struct html *h, const struct console_ctx *c,
	    const struct console_form *f, const char *next, int retry_after);
void	console_dashboard(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
void	console_event(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
/*
 * The event form (/beheer/events/new, /beheer/events/{slug}/edit): doc
 * is sql_console_event_form's {kinds, event} (event null for a new
 * one); f->values what to draw (the form sent, or eventform_from_event
 * of the event), f->errors what was wrong, by the form's field names;
 * rows: how many session rows to draw.
 */
void	console_event_form(struct html *h, const struct console_ctx *c,
	    const json_t *doc, const struct console_form *f, int rows);
/* The confirmation before cancelling (doc: sql_console_event's). */
void	console_event_cancel(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
/* The duplicate form (doc: sql_console_event's; f: NULL or sent). */
void	console_event_duplicate(struct html *h, const struct console_ctx *c,
	    const json_t *doc, const struct console_form *f);
void	console_users(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
void	console_user_new(struct html *h, const struct console_ctx *c,
	    const struct console_form *f);
void	console_tokens(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
void	console_token_new(struct html *h, const struct console_ctx *c,
	    const struct console_form *f);
/* tok: lk_token_create's answer; secret: the token, shown this once */
void	console_token_made(struct html *h, const struct console_ctx *c,
	    const json_t *tok, const char *secret);
void	console_audit(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
/*
 * The page for an error status on a console route; problem (the
 * problem's name, or NULL) tells apart what one status can mean: a 403
 * "not-allowed" (the role) from "forbidden" (a form from elsewhere), a
 * 401 "login-required", a 409 "last-admin" or "own-account".
 */
void	console_error(struct html *h, const struct console_ctx *c, int status,
	    const char *problem);

/* Is this one of the audit log's actions (the page's filter)? */
bool	console_audit_action(const char *action);

/*
 * The frame and parts for the console's other renderers
 * (render/roster.c, door.c, teller.c): the head, header and navigation up to <main>
 * (path: the page's own, for the language switch and the navigation;
 * the notice is the renderer's own, not c->notice), the end of the
 * page, a form's CSRF field (a page without c->page.csrf fails), a
 * table in a region that scrolls on a phone (close with
 * console_table_close, after the </tbody>'s content), and the
 * admin's tabs.
 */
void	console_frame_open(struct html *h, const struct console_ctx *c,
	    const char *title, const char *path);
void	console_frame_close(struct html *h, const struct console_ctx *c);
void	console_csrf(struct html *h, const struct console_ctx *c);
void	console_table_open(struct html *h, const struct console_ctx *c,
	    const char *id, const char *caption);
void	console_table_close(struct html *h, const struct console_ctx *c);
void	console_admin_tabs(struct html *h, const struct console_ctx *c,
	    const char *path);

#endif
