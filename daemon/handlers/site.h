/*
 * site.h - the web pages: what the rest of leerkansd needs from them, and
 * what the pages (handlers/web.c) share from site.c.
 */
#ifndef LEERKANS_WEB_H
#define LEERKANS_WEB_H

#include <stdbool.h>

#include "render/html.h"
#include "render/i18n.h"
#include "http/router.h"
#include "base/util.h"

struct request;

/* Is h one of the web pages' handlers (its errors are HTML pages)? */
bool	web_handler(route_handler h);
/* Answers r with an HTML error page for status and problem type. */
void	web_problem(struct request *r, int status, const char *type);

/* -- for the pages ------------------------------------------------------ */

#define WEB_HTML_TYPE	"text/html; charset=utf-8"
#define WEB_CSRF_FIELD	"csrf"

struct web_page {
	struct request	*r;
	enum lang	 lang;
	const char	*lq;		/* "?lang=xx" when chosen, else "" */
	struct html	 h;
};

/* The reader's language: ?lang=, else Accept-Language, else Dutch.
 * lq (may be NULL) gets the query that keeps a chosen one in links. */
enum lang web_lang(struct request *r, const char **lq);
void	web_page_init(struct web_page *p, struct request *r);
/* The head and the top of the page; path is the page's own, canonical. */
void	web_page_open(struct web_page *p, const char *title, const char *path,
	    bool noindex);
/* The foot of the page, the headers and the answer; secret: the URL
 * holds a token (no referrer). */
void	web_page_finish(struct web_page *p, int status, bool secret);
void	web_redirect(struct request *r, const char *location, bool secret);
/* The style sheet (leerkans.css, compiled in by embed-text.sh), its ETag. */
extern const char web_css[];
const char *web_css_etag(void);

/* The CSRF token for a form on this page (sets the cookie if needed). */
bool	web_csrf_token(struct request *r, char out[TOKEN_LEN + 1])
	    __attribute__((warn_unused_result));
/* Does this POST come from a page of this site? */
bool	web_csrf_ok(struct request *r);

#endif
