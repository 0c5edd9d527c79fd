/*
 * site.c - what the web pages' handlers share and what touches their
 * request: a page's language and CSRF token, the answer with a rendered
 * page, redirects and the CSRF check.  The pages themselves are drawn by
 * render/pages.c; the error pages are answered by http/request.c, with
 * render/page.c, for every route whose face is a page.
 *
 * A POST is accepted only from this site: Sec-Fetch-Site and Origin,
 * when the browser sends them, must say so (request_same_origin in
 * http/request.c, which the console's forms use too), and the form's
 * "csrf" field must equal the csrf cookie (a double-submit token; the
 * cookie is
 * SameSite=Lax, HttpOnly, and __Host- prefixed under https, so another
 * site can neither read it nor send it with a POST).  No server state,
 * and a restart of leerkansd does not spoil the forms people have open.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/util.h"
#include "http/request.h"
#include "http/server.h"
#include "input/form.h"
#include "render/html.h"
#include "render/page.h"
#include "handlers/site.h"

/* -- cross-site request forgery ------------------------------------------ */

static const char *
csrf_cookie(struct request *r)
{
	return strncmp(r->srv->s->public_url, "https://", 8) == 0 ?
	    "__Host-lk_csrf" : "lk_csrf";
}

static void
csrf_set_cookie(struct request *r, const char *token)
{
	char cookie[160];
	bool https = strncmp(r->srv->s->public_url, "https://", 8) == 0;

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; SameSite=Lax; "
	    "HttpOnly%s", csrf_cookie(r), token, https ? "; Secure" : "");
	request_add_header(r, "Set-Cookie", cookie);
	explicit_bzero(cookie, sizeof(cookie));
}

/* The token for the page's forms: the browser's, or a new one. */
void
web_page_csrf(struct web_page *p)
{
	p->c.csrf = NULL;
	p->csrf_fresh = false;
	if (cookie_get(request_header(p->r, "Cookie"), csrf_cookie(p->r),
	    p->csrf, sizeof(p->csrf)) && token_wellformed(p->csrf)) {
		p->c.csrf = p->csrf;
		return;
	}
	if (!token_new(p->csrf))
		return;
	p->csrf_fresh = true;
	p->c.csrf = p->csrf;
}

/*
 * Is this POST from a page of this site?  Browsers send Sec-Fetch-Site
 * and Origin with a form; when they do, both must name this site
 * (request_same_origin).  The form's token must match the cookie in any
 * case.
 */
bool
web_csrf_ok(struct request *r)
{
	const char *field = form_get(r->form, PAGE_CSRF_FIELD);
	char cookie[TOKEN_LEN + 1];

	if (!request_same_origin(r))
		return false;
	if (field == NULL || !token_wellformed(field))
		return false;
	if (!cookie_get(request_header(r, "Cookie"), csrf_cookie(r), cookie,
	    sizeof(cookie)))
		return false;
	return secure_equal(field, cookie);
}

void
web_page_init(struct web_page *p, struct request *r)
{
	memset(p, 0, sizeof(*p));
	p->r = r;
	p->c.lang = request_lang(r, &p->c.lq);
	p->c.public_url = r->srv->s->public_url;
	p->c.site = r->srv->site;
	html_init(&p->h);
}

void
web_page_reply(struct web_page *p, int status, bool secret, bool csrf_used)
{
	if (csrf_used && p->csrf_fresh && html_ok(&p->h))
		csrf_set_cookie(p->r, p->csrf);
	request_reply_page(p->r, status, &p->h, p->c.lang, secret);
	explicit_bzero(p->csrf, sizeof(p->csrf));
}

void
web_reply_static(struct request *r, const char *ctype, const void *data,
    size_t len, const char *etag, int max_age, bool immutable)
{
	const char *inm = request_header(r, "If-None-Match");
	char cc[64];

	snprintf(cc, sizeof(cc), "public, max-age=%d%s", max_age, immutable ?
	    ", immutable" : "");
	request_add_header(r, "Cache-Control", cc);
	request_add_header(r, "ETag", etag);
	if (inm != NULL && (strstr(inm, etag) != NULL ||
	    strcmp(inm, "*") == 0)) {
		request_reply(r, 304, NULL, NULL, 0);
		return;
	}
	request_reply(r, 200, ctype, data, len);
}

void
web_redirect(struct request *r, const char *location, bool secret)
{
	request_redirect(r, 303, location, secret);
}
