/*
 * handlers/public.c - what the site says about itself (API.md section
 * 12): the privacy notice and the accessibility statement (drawn from
 * the settings by render/statements.c), /sitemap.xml for search engines
 * (render/sitemap.c, from one statement), /robots.txt, which points
 * them to it and keeps them off the registrants' pages, the logo,
 * read at start (main.c) and served from memory, and the API reference
 * (docs/openapi.yaml, compiled in as JSON).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/config.h"
#include "base/util.h"
#include "base/image.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "render/html.h"
#include "render/sitemap.h"
#include "render/statements.h"
#include "handlers/handlers.h"
#include "handlers/site.h"

void
h_public_privacy(struct request *r)
{
	struct web_page p;

	web_page_init(&p, r);
	statements_privacy(&p.h, &p.c);
	web_page_reply(&p, 200, false, false);
}

void
h_public_accessibility(struct request *r)
{
	struct web_page p;

	web_page_init(&p, r);
	statements_accessibility(&p.h, &p.c);
	web_page_reply(&p, 200, false, false);
}

static void
sitemap_done(struct request *r, const struct db_result *res)
{
	const char *text;
	struct html h;
	json_t *doc;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((text = db_result_text(res, NULL)) == NULL ||
	    (doc = json_loads(text, 0, NULL)) == NULL) {
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	html_init(&h);
	sitemap_render(&h, r->srv->s->public_url, doc);
	json_decref(doc);
	if (!html_ok(&h)) {
		html_free(&h);
		request_out_of_memory(r);
		return;
	}
	/* crawlers come seldom; an hour late is soon enough */
	request_add_header(r, "Cache-Control", "public, max-age=3600");
	request_reply(r, 200, SITEMAP_TYPE, html_str(&h), h.len);
	html_free(&h);
}

void
h_public_sitemap(struct request *r)
{
	request_db(r, sql_web_sitemap, 0, NULL, sitemap_done);
}

/*
 * The registrants' pages are noindex already; robots.txt keeps crawlers
 * from asking for them at all, and from the API and the personal feeds.
 */
void
h_public_robots(struct request *r)
{
	char text[1200];
	int n;

	n = snprintf(text, sizeof(text), "User-agent: *\n"
	    "Disallow: /r/\nDisallow: /api/\nDisallow: /feeds/personal/\n"
	    "\nSitemap: %s/sitemap.xml\n", r->srv->s->public_url);
	if (n < 0 || (size_t)n >= sizeof(text)) {
		request_out_of_memory(r);
		return;
	}
	request_add_header(r, "Cache-Control", "public, max-age=86400");
	request_reply(r, 200, "text/plain; charset=utf-8", text, (size_t)n);
}

/*
 * The logo: pages link it with ?v= and the start of its ETag, so it may
 * be kept for a year.  An SVG opened on its own could run a script in
 * this site's origin: its CSP allows none (sandbox); nosniff, which
 * every answer carries, keeps browsers to the type given.
 */
void
h_public_logo(struct request *r)
{
	const struct image *logo = r->srv->logo;

	if (logo == NULL) {
		request_not_found(r);
		return;
	}
	request_add_header(r, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'unsafe-inline'; sandbox");
	web_reply_static(r, image_mime(logo->type), (const char *)logo->data,
	    logo->len, logo->etag, 31536000, true);
}

/* docs/openapi.yaml as JSON, compact, made at build time (openapi.c) */
extern const char openapi_json[];

/*
 * The API reference.  It changes only with the program, so its ETag is
 * its bytes' hash, made once; an hour's max-age, as a new build may
 * come.
 */
void
h_public_openapi(struct request *r)
{
	static char etag[24];
	static size_t len;

	if (etag[0] == '\0') {
		len = strlen(openapi_json);
		snprintf(etag, sizeof(etag), "\"%016llx\"",
		    (unsigned long long)hash_str(openapi_json, 0x6f61));
	}
	web_reply_static(r, "application/json", openapi_json, len, etag,
	    3600, false);
}
