/*
 * render/page.h - what every HTML page shares, as pure renderers: the
 * frame around a page (head, skip link, header with the language switch,
 * footer) and the error pages.
 *
 * A page is drawn from its data and a struct page_ctx, which holds all
 * it may know of the request: the reader's language, the ?lang= query to
 * keep in links, public_url, the CSRF token and idempotency key to put
 * in forms, and for a form drawn again the values sent and the errors
 * found.  No request, database or clock is in reach: what a page shows
 * is a function of its arguments (tests/unit/test_pages.c).
 */
#ifndef LEERKANS_PAGE_H
#define LEERKANS_PAGE_H

#include <stdbool.h>

#include <jansson.h>

#include "render/html.h"
#include "render/i18n.h"

#define PAGE_HTML_TYPE	"text/html; charset=utf-8"
/* the hidden field of every form that carries the CSRF token */
#define PAGE_CSRF_FIELD	"csrf"

struct form;

struct page_ctx {
	enum lang		 lang;
	const char		*lq;		/* "?lang=xx" if chosen, or "" */
	const char		*public_url;	/* for the calendar links */
	const char		*csrf;		/* for forms; NULL: none */
	/* the registration form */
	const char		*idem;		/* its idempotency key */
	const struct form	*values;	/* sent; NULL: a fresh form */
	const json_t		*errors;	/* [{field, code}], or NULL */
	const char		*notice;	/* above the form, or NULL */
};

/* The style sheet (leerkans.css, compiled in by embed-text.sh: css.c). */
extern const char page_css[];
/* Its strong ETag, quoted; pages link the sheet with ?v= and its start. */
const char *page_css_etag(void);

/*
 * The document's head, <body> and the skip link to #main: what every
 * page's frame begins with, the public pages' (page_open) and the
 * console's (render/console.c).  noindex keeps search engines off.
 */
void	page_head(struct html *h, const struct page_ctx *c, const char *title,
	    bool noindex);
/*
 * The head and the top of a page.  path is the page's own canonical path
 * (never the request's, which could be anything), for the language
 * switch; noindex keeps search engines off (pages with a token).
 */
void	page_open(struct html *h, const struct page_ctx *c, const char *title,
	    const char *path, bool noindex);
/* The foot of the page. */
void	page_close(struct html *h, const struct page_ctx *c);

/* Does a page at path hold a secret (a registration's token)?  Such a
 * page is sent without a referrer and is not indexed. */
bool	page_secret(const char *path);
/*
 * The whole page for an error status, in c's language.  path and param
 * (the request's path, "" when it could not be read, and its first route
 * parameter, or NULL) give the way back to the page a form was on.
 */
void	page_error(struct html *h, const struct page_ctx *c, int status,
	    const char *path, const char *param);

#endif
