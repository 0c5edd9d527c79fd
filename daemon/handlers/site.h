/*
 * site.h - what the web pages' handlers (handlers/web.c) share: a page
 * for a request (its language and CSRF token), the answer with it,
 * redirects and the CSRF check.  The pages themselves are drawn by
 * render/pages.c, which sees none of this.
 */
#ifndef LEERKANS_WEB_H
#define LEERKANS_WEB_H

#include <stdbool.h>

#include "base/util.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/page.h"

struct request;

/* A page being answered. */
struct web_page {
	struct request	*r;
	struct page_ctx	 c;		/* for the renderer */
	struct html	 h;
	char		 csrf[TOKEN_LEN + 1];
	bool		 csrf_fresh;	/* not in the browser's cookie yet */
};

/* The reader's language and public_url; no CSRF token yet. */
void	web_page_init(struct web_page *p, struct request *r);
/* A CSRF token for the page's forms (c.csrf): the browser's, or a new
 * one; c.csrf stays NULL if none could be made (a form then fails). */
void	web_page_csrf(struct web_page *p);
/*
 * Answers with the page drawn into p->h; csrf_used (what the renderer
 * returned) sets the cookie of a new token; secret: the URL holds a token
 * (no referrer).  500 when the page could not be drawn.
 */
void	web_page_reply(struct web_page *p, int status, bool secret,
	    bool csrf_used);
void	web_redirect(struct request *r, const char *location, bool secret);
/*
 * A file served from memory (the style sheet, the logo): its ETag, a
 * Cache-Control of max_age seconds (immutable: its address changes with
 * its bytes), and 304 when If-None-Match names it.
 */
void	web_reply_static(struct request *r, const char *ctype,
	    const void *data, size_t len, const char *etag, int max_age,
	    bool immutable);

/* Does this POST come from a page of this site? */
bool	web_csrf_ok(struct request *r);

#endif
