/*
 * mail/message.h - a mail as RFC 5322 bytes, put together with GMime:
 *
 *	multipart/mixed				(when there is a calendar)
 *	  multipart/related; type="multipart/alternative"
 *					(when there is a check-in QR code)
 *	    multipart/alternative
 *	      text/plain; charset=utf-8	(quoted-printable)
 *	      text/html; charset=utf-8	(quoted-printable)
 *	    image/png			(base64, inline, Content-ID: the
 *					 HTML's cid:, checkin.png)
 *	  text/calendar; method=REQUEST or CANCEL; charset=utf-8
 *					(base64, invite.ics)
 *
 * (RFC 2387: the related part's root is its first, the alternative;
 * the picture belongs to the HTML, the calendar to the whole mail.)
 * A part left out takes its container along: no QR code, the
 * alternative straight in the mixed; no calendar, no mixed.
 * with From, To, an RFC 2047 Subject, Date, Message-ID and
 * Auto-Submitted: auto-generated.  The same bytes go to SMTP and to the
 * Maildir.
 */
#ifndef LEERKANS_MAIL_MESSAGE_H
#define LEERKANS_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "render/mail.h"

struct mail_envelope {
	const char	*from;		/* an address */
	const char	*to;		/* an address */
	const char	*to_name;	/* may be NULL */
	bool		 crlf;		/* CRLF line ends (SMTP), else LF */
};

/* Once, before any message (g_mime_init). */
void	mail_message_init(void);
void	mail_message_shutdown(void);

/* The message; NULL when out of memory.  Free with free(). */
char	*mail_message(const struct mail_envelope *env,
	    const struct mail_text *m, const char *ics, size_t icslen,
	    size_t *lenp)
	    __attribute__((warn_unused_result));

#endif
