/*
 * render/sitemap.h - /sitemap.xml (sitemaps.org 0.9): the public pages
 * search engines may index, each in Dutch and English with the other as
 * its xhtml:link alternate.  A pure renderer of sql_web_sitemap's
 * document:
 *
 *	{"index_updated_at": t or null,
 *	 "events": [{"slug", "updated_at"}, ...]}
 *
 * The index (with its lastmod), every event page listed (the SQL picks
 * them: published or cancelled, not ended more than 12 months ago), the
 * privacy notice and the accessibility statement; never a registrant's
 * page.  XML escaping is html.h's, which XML reads the same.
 */
#ifndef LEERKANS_SITEMAP_H
#define LEERKANS_SITEMAP_H

#include <jansson.h>

#include "render/html.h"

#define SITEMAP_TYPE	"application/xml; charset=utf-8"

void	sitemap_render(struct html *h, const char *public_url,
	    const json_t *doc);

#endif
