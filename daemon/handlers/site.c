/*
 * site.c - what every web page shares: the reader's language, the page
 * around the content, the headers, redirects, the CSRF check and the
 * error pages.  The pages themselves are in handlers/web.c.
 *
 * A POST is accepted only from this site: Sec-Fetch-Site and Origin,
 * when the browser sends them, must say so, and the form's "csrf" field
 * must equal the csrf cookie (a double-submit token; the cookie is
 * SameSite=Lax, HttpOnly, and __Host- prefixed under https, so another
 * site can neither read it nor send it with a POST).  No server state,
 * and a restart of leerkansd does not spoil the forms people have open.
 */
#include "autoconf.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "base/config.h"
#include "input/form.h"
#include "render/html.h"
#include "http/server.h"
#include "render/i18n.h"
#include "base/log.h"
#include "http/request.h"
#include "base/util.h"
#include "input/validate.h"
#include "handlers/site.h"

/* no script at all; styles from /static only; never in a frame */
#define CSP	"default-src 'self'; script-src 'none'; object-src 'none'; "\
	"style-src 'self'; img-src 'self'; base-uri 'none'; " \
	"form-action 'self'; frame-ancestors 'none'"

/* The language: ?lang= first, then Accept-Language, then Dutch. */
enum lang
web_lang(struct request *r, const char **lq)
{
	const char *query = http_req_query(r->ev);
	struct evkeyvalq args;
	enum lang lang = LANG_NL;
	bool chosen = false;

	TAILQ_INIT(&args);
	if (query != NULL && evhttp_parse_query_str(query, &args) == 0)
		chosen = i18n_parse(evhttp_find_header(&args, "lang"), &lang);
	evhttp_clear_headers(&args);
	if (!chosen)
		lang = i18n_negotiate(request_header(r, "Accept-Language"));
	if (lq != NULL)
		*lq = !chosen ? "" : lang == LANG_EN ? "?lang=en" : "?lang=nl";
	return lang;
}

void
web_page_init(struct web_page *p, struct request *r)
{
	p->r = r;
	p->lang = web_lang(r, &p->lq);
	html_init(&p->h);
}

const char *
web_css_etag(void)
{
	static char etag[24];

	if (etag[0] == '\0')
		snprintf(etag, sizeof(etag), "\"%016llx\"",
		    (unsigned long long)hash_str(web_css, 0x6c6b));
	return etag;
}

/*
 * The top of every page.  path is the page's own canonical path (never
 * the request's, which could be anything), for the language switch.
 */
void
web_page_open(struct web_page *p, const char *title, const char *path,
    bool noindex)
{
	struct html *h = &p->h;
	enum lang other = p->lang == LANG_EN ? LANG_NL : LANG_EN;
	char version[9];

	snprintf(version, sizeof(version), "%.8s", web_css_etag() + 1);
	html_fmt(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<title>%s %s West-Vlaams Partnerschap Levenslang Leren</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/leerkans.css?v=%s\">\n",
	    i18n_code(p->lang), title, "\xe2\x80\x94", version);
	if (noindex)
		html_raw(h, "<meta name=\"robots\" content=\"noindex, "
		    "nofollow\">\n");
	html_fmt(h, "</head>\n<body>\n"
	    "<a class=\"skip\" href=\"#main\">%s</a>\n"
	    "<header class=\"site\"><div class=\"wrap\">\n"
	    "<p><a class=\"brand\" href=\"/%s\" lang=\"nl\">West-Vlaams "
	    "Partnerschap Levenslang Leren</a> "
	    "<span class=\"tag\">#blijfkennismaken</span></p>\n"
	    "<nav class=\"langs\" aria-label=\"%s\"><a href=\"%s?lang=%s\" "
	    "hreflang=\"%s\" lang=\"%s\">%s</a></nav>\n"
	    "</div></header>\n"
	    "<main id=\"main\" class=\"wrap\">\n",
	    TR(p->lang, "Naar de inhoud", "Skip to content"), p->lq,
	    TR(p->lang, "Taal", "Language"), path, i18n_code(other),
	    i18n_code(other), i18n_code(other),
	    TR(p->lang, "English", "Nederlands"));
}

/* The headers every page carries; secret: the URL holds a token. */
static void
web_headers(struct request *r, bool secret)
{
	request_add_header(r, "Content-Security-Policy", CSP);
	request_add_header(r, "X-Frame-Options", "DENY");
	request_add_header(r, "Referrer-Policy", secret ? "no-referrer" :
	    "same-origin");
	request_add_header(r, "Vary", "Accept-Language, Cookie");
	request_add_header(r, "Cache-Control", "no-store");
}

/* The end of the page, and the answer. */
void
web_page_finish(struct web_page *p, int status, bool secret)
{
	struct html *h = &p->h;

	html_fmt(h, "</main>\n<footer class=\"site\"><div class=\"wrap\">\n"
	    "<p>%s</p>\n<p><strong>#blijfkennismaken</strong></p>\n"
	    "</div></footer>\n</body>\n</html>\n",
	    TR(p->lang, "Een initiatief van het West-Vlaams Partnerschap "
	    "Levenslang Leren: de Provincie West-Vlaanderen, POM "
	    "West-Vlaanderen, TUA West en Huis van het Leren West-Vlaanderen. "
	    "Samen maken we van West-Vlaanderen dé lerende provincie.",
	    "An initiative of the West Flanders Partnership for Lifelong "
	    "Learning (West-Vlaams Partnerschap Levenslang Leren): the "
	    "Province of West Flanders, POM West-Vlaanderen, TUA West and Huis "
	    "van het Leren West-Vlaanderen. Together we make West Flanders "
	    "the learning province."));
	if (!html_ok(h)) {
		html_free(h);
		log_warnx("%s: page could not be built", p->r->log_path);
		p->r->html = false;
		request_out_of_memory(p->r);
		return;
	}
	web_headers(p->r, secret);
	request_add_header(p->r, "Content-Language", i18n_code(p->lang));
	request_reply(p->r, status, WEB_HTML_TYPE, html_str(h), h->len);
	html_free(h);
}

void
web_redirect(struct request *r, const char *location, bool secret)
{
	struct html h;

	html_init(&h);
	html_fmt(&h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>303</title></head><body><p><a href=\"%s\">%s</a></p>"
	    "</body></html>\n", location, location);
	web_headers(r, secret);
	request_add_header(r, "Location", location);
	request_reply(r, 303, WEB_HTML_TYPE, html_str(&h), h.len);
	html_free(&h);
}

/* -- cross-site request forgery ------------------------------------------ */

static const char *
csrf_cookie(struct request *r)
{
	return strncmp(r->srv->s->public_url, "https://", 8) == 0 ?
	    "__Host-lk_csrf" : "lk_csrf";
}

/* The token for a form on this page: the browser's, or a new one. */
bool
web_csrf_token(struct request *r, char out[TOKEN_LEN + 1])
{
	char cookie[160];
	bool https = strncmp(r->srv->s->public_url, "https://", 8) == 0;

	if (cookie_get(request_header(r, "Cookie"), csrf_cookie(r), out,
	    TOKEN_LEN + 1) && token_wellformed(out))
		return true;
	if (!token_new(out))
		return false;
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; SameSite=Lax; "
	    "HttpOnly%s", csrf_cookie(r), out, https ? "; Secure" : "");
	request_add_header(r, "Set-Cookie", cookie);
	return true;
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
	const char *field = form_get(r->form, WEB_CSRF_FIELD);
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

/* What an error page says, by status (0: anything else). */
static const struct {
	int		 status;
	const char	*title_nl, *title_en;
	const char	*text_nl, *text_en;
} problems[] = {
	{ 403,
	  "Dit formulier kon niet verstuurd worden",
	  "This form could not be sent",
	  "We aanvaarden een formulier alleen als het van deze website komt "
	  "en je browser ons cookie meestuurt. Laad de pagina opnieuw, sta "
	  "cookies voor deze website toe en verstuur het formulier nog eens.",
	  "We accept a form only when it comes from this website and your "
	  "browser sends our cookie with it. Reload the page, allow cookies "
	  "for this website and send the form again." },
	{ 404,
	  "Niet gevonden", "Not found",
	  "Deze pagina bestaat niet (meer). Misschien is de link onvolledig.",
	  "This page does not exist (any more). Perhaps the link is "
	  "incomplete." },
	{ 429,
	  "Even geduld", "Please wait a moment",
	  "Er kwamen van hier, of voor dit e-mailadres, net veel "
	  "inschrijvingen binnen. Probeer het over enkele minuten opnieuw.",
	  "Many registrations came from here, or for this e-mail address, "
	  "just now. Try again in a few minutes." },
	{ 503,
	  "Even niet beschikbaar", "Temporarily unavailable",
	  "We kunnen je vraag nu niet verwerken. Probeer het over enkele "
	  "ogenblikken opnieuw.",
	  "We cannot handle your request right now. Try again in a few "
	  "moments." },
	{ 400,
	  "Dit formulier konden we niet lezen", "We could not read this form",
	  "Ga terug, laad de pagina opnieuw en verstuur het formulier nog "
	  "eens.",
	  "Go back, reload the page and send the form again." },
	{ 413,
	  "Dit formulier konden we niet lezen", "We could not read this form",
	  "Ga terug, laad de pagina opnieuw en verstuur het formulier nog "
	  "eens.",
	  "Go back, reload the page and send the form again." },
	{ 415,
	  "Dit formulier konden we niet lezen", "We could not read this form",
	  "Ga terug, laad de pagina opnieuw en verstuur het formulier nog "
	  "eens.",
	  "Go back, reload the page and send the form again." },
	{ 405,
	  "Dat kan hier niet", "Not possible here",
	  "Deze pagina werkt niet op die manier.",
	  "This page does not work that way." },
	{ 409,
	  "Dat kan niet (meer)", "Not possible (any more)",
	  "Wat je vroeg, past niet meer bij hoe het nu is. Laad de pagina "
	  "opnieuw.",
	  "What you asked no longer fits how things are. Reload the page." },
	{ 0,
	  "Er ging iets mis", "Something went wrong",
	  "Dat had niet mogen gebeuren. Probeer het later opnieuw.",
	  "That should not have happened. Try again later." },
};

void
web_problem(struct request *r, int status, const char *type)
{
	struct web_page p;
	struct html *h = &p.h;
	const char *path = http_req_path(r->ev), *text;
	const char *arg = r->params[0];
	bool secret;
	char back[128] = "";
	size_t i;

	(void)type;
	if (path == NULL)
		path = "";	/* a request that could not be read */
	secret = strncmp(path, "/r/", 3) == 0;
	if (r->finished)
		return;
	web_page_init(&p, r);
	for (i = 0; problems[i].status != 0; i++)
		if (problems[i].status == status)
			break;
	text = TR(p.lang, problems[i].text_nl, problems[i].text_en);
	if (status == 404 && secret)
		text = TR(p.lang, "Deze inschrijving vinden we niet. "
		    "Controleer of je de volledige link gebruikte.",
		    "We cannot find this registration. Check that you used "
		    "the whole link.");
	/* the way back: to the page the form was on */
	if (status != 404 && arg != NULL && strncmp(path, "/events/", 8) == 0 &&
	    valid_slug(arg))
		snprintf(back, sizeof(back), "/events/%s%s", arg, p.lq);
	else if (status != 404 && arg != NULL && secret &&
	    token_wellformed(arg))
		snprintf(back, sizeof(back), "/r/%s%s", arg, p.lq);

	web_page_open(&p, TR(p.lang, problems[i].title_nl,
	    problems[i].title_en), "/", secret);
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n", TR(p.lang, problems[i].title_nl,
	    problems[i].title_en), text);
	if (back[0] != '\0')
		html_fmt(h, "<p><a href=\"%s\">%s</a></p>\n", back,
		    TR(p.lang, "Terug", "Back"));
	html_fmt(h, "<p><a href=\"/%s\">%s</a></p>\n", p.lq,
	    TR(p.lang, "Naar alle activiteiten", "To all events"));
	web_page_finish(&p, status, secret);
}
