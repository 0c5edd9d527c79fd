/*
 * handlers/console_page.h - the glue every console handler shares
 * (handlers/console.c, roster.c, door.c, teller.c): a page being drawn
 * for a request, with the signed-in user's context, and a page drawn
 * from a statement's one JSON document.
 */
#ifndef LEERKANS_CONSOLE_PAGE_H
#define LEERKANS_CONSOLE_PAGE_H

#include <jansson.h>

#include "render/console.h"
#include "render/html.h"

struct request;
struct db_result;

struct console_page {
	struct request		*r;
	struct console_ctx	 c;
	struct html		 h;
};

/* The user's context (session_console_ctx) and an empty page. */
void	console_page_init(struct console_page *, struct request *);
/* Sends the page with status; the page's buffer goes with it. */
void	console_page_reply(struct console_page *, int status);

typedef void (*console_render)(struct html *, const struct console_ctx *,
	    const json_t *);

/* 200 with render's page of res's one document (a refusal or a missing
 * document is answered as request_document answers it). */
void	console_document_page(struct request *, const struct db_result *res,
	    console_render render);

#endif
