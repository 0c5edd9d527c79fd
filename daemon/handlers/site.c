/*
 * site.c - what the web pages' handlers share and what touches their
 * request: a page's language and CSRF token, the answer with a rendered
 * page, redirects and the CSRF check.  The pages themselves are drawn by
 * render/pages.c; the error pages are answered by http/request.c, with
 * render/page.c, for every route whose face is a page.
 *
 * A POST is accepted only from this site: Sec-Fetch-Site and Origin,
 * when the browser sends them, must say so, and the form's "csrf" field
 * must equal the csrf cookie (a double-submit token; the cookie is
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

/* scheme://host[:port] of a URL, lower case, into out */
static void
url_origin(const char *url, char *out, size_t outlen)
{
	const char *host = strstr(url, "://"), *end;
	size_t len, i;

	if (host == NULL) {
		snprintf(out, outlen, "%s", url);
		return;
	}
	end = strchr(host + 3, '/');
	len = end != NULL ? (size_t)(end - url) : strlen(url);
	snprintf(out, outlen, "%.*s", (int)len, url);
	for (i = 0; out[i]; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
}

/* Is origin this site: public_url, or the Host it was asked by? */
static bool
same_site(struct request *r, const char *origin)
{
	static const char *const schemes[] = { "http://", "https://" };
	const char *host = request_header(r, "Host");
	char mine[300], theirs[300], url[300];
	size_t i;

	url_origin(origin, theirs, sizeof(theirs));
	url_origin(r->srv->s->public_url, mine, sizeof(mine));
	if (strcmp(theirs, mine) == 0)
		return true;
	for (i = 0; host != NULL && i < 2; i++) {
		snprintf(url, sizeof(url), "%s%s", schemes[i], host);
		url_origin(url, mine, sizeof(mine));
		if (strcmp(theirs, mine) == 0)
			return true;
	}
	return false;
}

/*
 * Is this POST from a page of this site?  Browsers send Sec-Fetch-Site
 * and Origin with a form; when they do, both must name this site.  The
 * form's token must match the cookie in any case.
 *
 * "Origin: null" says nothing: a browser sends it for a same-origin form
 * on a page with Referrer-Policy: no-referrer (the /r/ pages), as for a
 * sandboxed frame elsewhere.  Sec-Fetch-Site, when sent, tells the two
 * apart; the token decides for browsers without it.
 */
bool
web_csrf_ok(struct request *r)
{
	const char *site = request_header(r, "Sec-Fetch-Site");
	const char *origin = request_header(r, "Origin");
	const char *field = form_get(r->form, PAGE_CSRF_FIELD);
	char cookie[TOKEN_LEN + 1];

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return false;
	if (origin != NULL && strcmp(origin, "null") != 0 &&
	    !same_site(r, origin))
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
web_redirect(struct request *r, const char *location, bool secret)
{
	request_redirect(r, 303, location, secret);
}
