/*
 * mail.h - the words of the mails (API.md section 9), Dutch or English
 * by the registration's language.
 *
 * mail_render() is a pure function from what lk_mail_doc answers
 * (migrations/functions/60_mail.sql) to a subject, a plain text and an
 * HTML body, and which calendar to attach; mail_calendar() renders that
 * calendar with render/ics.c from the personal feed's JSON, so its UIDs
 * and SEQUENCEs are the feed's.  Putting the message together (MIME,
 * headers) and sending it is daemon/mail/'s.
 *
 *	{"id", "kind", "attempt", "facts", "to", "name", "language",
 *	 "registration": lk_registration_json (manage_url, event, sessions,
 *	 status, waitlist_position), "calendar": lk_feed_personal or null,
 *	 "links": [{"manage_url", "title", "status", "starts_at"}] or null}
 */
#ifndef LEERKANS_MAIL_H
#define LEERKANS_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "render/ics.h"

enum mail_kind {
	MAIL_REGISTERED,
	MAIL_PROMOTED,
	MAIL_CANCELLED,
	MAIL_CHANGED,
	MAIL_EVENT_CANCELLED,
	MAIL_REMINDER,
	MAIL_LINKS
};

struct mail_text {
	enum mail_kind	 kind;
	char		*subject;	/* UTF-8, not yet encoded */
	char		*text;		/* text/plain, UTF-8, LF line ends */
	char		*html;		/* text/html, a whole document */
	bool		 calendar;	/* attach mail_calendar() */
	enum ics_method	 method;	/* REQUEST, or CANCEL */
};

/* The kind by its name in mail_outbox.kind; false if unknown. */
bool	mail_kind_parse(const char *s, enum mail_kind *out);
const char *mail_kind_name(enum mail_kind k);

/*
 * Renders doc; public_url is the base of every link.  False when doc
 * has not the expected shape or memory ran out (out is then empty).
 */
bool	mail_render(const json_t *doc, const char *public_url,
	    struct mail_text *out)
	    __attribute__((warn_unused_result));
void	mail_text_free(struct mail_text *m);

/*
 * The calendar to attach (doc's "calendar", METHOD as m->method), CRLF
 * lines; NULL when doc has none or memory ran out.
 */
char	*mail_calendar(const json_t *doc, const struct mail_text *m,
	    const char *public_url, size_t *lenp)
	    __attribute__((warn_unused_result));

#endif
