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
#include <stddef.h>

#include <jansson.h>

#include "render/html.h"
#include "render/i18n.h"

#define PAGE_HTML_TYPE	"text/html; charset=utf-8"
/* the hidden field of every form that carries the CSRF token */
#define PAGE_CSRF_FIELD	"csrf"
/* room for a page's address: public_url and a path */
#define PAGE_ADDRESS_MAX	2048

struct form;

/*
 * Who is behind the pages, from the settings (read at start): every
 * page's footer, the privacy notice and the accessibility statement are
 * drawn from it.
 */
struct page_site {
	const char	*contact_email;		/* in every footer */
	const char	*controller_name;	/* of the personal data */
	const char	*controller_address;
	const char	*privacy_contact;	/* data protection questions */
	int		 retention_months;	/* what leerkansctl purge keeps */
	/* the logo, when there is one */
	const char	*logo_src;		/* its path with ?v=; NULL: none */
	const char	*logo_alt;
	bool		 logo_raster;		/* PNG, WebP: fit for previews */
};

/*
 * What a page that search engines may index tells them and link
 * previews: a canonical address (public_url and the page's path, in the
 * page's language), its alternates in the other language, a
 * description, Open Graph and, for an event, schema.org JSON-LD.
 */
struct page_meta {
	const char	*description;	/* a sentence or two; NULL: none */
	const json_t	*jsonld;	/* NULL: none */
};

struct page_ctx {
	enum lang		 lang;
	const char		*lq;		/* "?lang=xx" if chosen, or "" */
	const char		*public_url;	/* for the calendar links */
	const struct page_site	*site;		/* NULL: a footer without
						 * contact or logo */
	const char		*csrf;		/* for forms; NULL: none */
	/* the registration form */
	const char		*idem;		/* its idempotency key */
	const struct form	*values;	/* sent; NULL: a fresh form */
	const json_t		*errors;	/* [{field, code}], or NULL */
	const char		*notice;	/* above the form, or NULL */
	/*
	 * A preview of an unpublished page for the console: the console's
	 * page to go back to, said in a banner on top; NULL for the
	 * public page itself.
	 */
	const char		*preview;
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
/* The same for a page search engines may index and link previews show
 * (meta may be NULL: nothing of it). */
void	page_open_meta(struct html *h, const struct page_ctx *c,
	    const char *title, const char *path, const struct page_meta *meta);
/*
 * The address of the page at path for search engines and previews, in
 * lang: public_url, the path and, for English, ?lang=en.  False when it
 * does not fit out.
 */
bool	page_address(const struct page_ctx *c, const char *path,
	    enum lang lang, char *out, size_t outlen)
	    __attribute__((warn_unused_result));
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
