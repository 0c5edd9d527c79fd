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
 *	 "source", "checkin_code": the check-in code while it can be used
 *	 (confirmed, not checked in) or null,
 *	 "registration": lk_registration_json (manage_url, event, sessions,
 *	 status, waitlist_position), "calendar": lk_feed_personal or null,
 *	 "links": [{"manage_url", "title", "status", "starts_at"}] or null}
 *
 * A mail about a confirmed seat (registered, promoted, changed,
 * reminder) with a check-in code carries it: the text gives the
 * check-in address (public_url/beheer/c/{code}), the HTML shows it as a
 * QR code, an inline image (render/door.c's door_qr_png) that the HTML
 * names by its Content-ID (cid:, RFC 2392); daemon/mail/message.c puts
 * it beside the HTML in a multipart/related (RFC 2387).
 *
 * A walk-in's confirmation ("source": "walk-in", typed in at the door,
 * checked in at once) says so; it has no check-in code to show.
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
	/* the check-in code's QR code, or all NULL */
	char		*checkin_url;	/* public_url/beheer/c/{code} */
	unsigned char	*qr_png;	/* a PNG of checkin_url */
	size_t		 qr_png_len;
	char		*qr_cid;	/* its Content-ID, without <> */
};

/* pixels a module of the mails' QR code: about 200 pixels square */
#define MAIL_QR_SCALE	5

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
