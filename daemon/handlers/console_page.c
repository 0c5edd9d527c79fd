/*
 * handlers/console_page.c - see console_page.h.
 */
#include "autoconf.h"

#include <jansson.h>

#include "db/result.h"
#include "http/request.h"
#include "http/session.h"
#include "handlers/console_page.h"

void
console_page_init(struct console_page *p, struct request *r)
{
	p->r = r;
	session_console_ctx(r, &p->c);
	html_init(&p->h);
}

void
console_page_reply(struct console_page *p, int status)
{
	request_reply_page(p->r, status, &p->h, p->c.page.lang, false);
}

void
console_document_page(struct request *r, const struct db_result *res,
    console_render render)
{
	struct console_page p;
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	console_page_init(&p, r);
	render(&p.h, &p.c, doc);
	json_decref(doc);
	console_page_reply(&p, 200);
}
