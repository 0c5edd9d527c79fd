/*
 * render/door.h - check-in at the door (/beheer/deur, /beheer/c/{code})
 * as pure renderers, and the check-in code's QR code: JSON and a struct
 * console_ctx in, HTML out (tests/unit/test_door.c).
 *
 *	door_today	sql_door: {now, margin, events}
 *	door_event	sql_door_event: {now, q, event, people, more}
 *	door_code	sql_door_code: {now, event, person}
 *	door_qr_svg	a text (the check-in URL) as a QR code in SVG, for the
 *			registrant's page; door_qr_png the same as PNG, for
 *			the mails
 *
 * Phone first: one column, big buttons, one tap to check in or undo,
 * each a POST form with the session's CSRF token that returns to the
 * same search.
 */
#ifndef LEERKANS_DOOR_H
#define LEERKANS_DOOR_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "render/console.h"
#include "render/html.h"

/* a check-in code: 24 characters of base64url (migrations/0014_door.sql) */
#define DOOR_CODE_LEN		24
/* people listed for one search at most */
#define DOOR_SEARCH_MAX		50
/* the search field's name and its longest value */
#define DOOR_FIELD_Q		"q"
#define DOOR_Q_MAX		100

/* Is s a check-in code's shape? */
bool	door_code_ok(const char *s);
/* public_url + "/beheer/c/" + code into out; false when it does not fit */
bool	door_code_url(const char *public_url, const char *code, char *out,
	    size_t len) __attribute__((warn_unused_result));

void	door_today(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
void	door_event(struct html *h, const struct console_ctx *c,
	    const json_t *doc);
/* code: the check-in code of the page's address */
void	door_code(struct html *h, const struct console_ctx *c,
	    const json_t *doc, const char *code);

/*
 * text as a QR code (error correction M), an <svg> element of size
 * pixels square with a quiet zone of 4 modules, labelled by label (a
 * <title>): inline in a page, or as an .svg file with the XML
 * declaration added.  False (and h failed) when libqrencode cannot
 * encode it.
 */
bool	door_qr_svg(struct html *h, const char *text, const char *label,
	    int size);
/*
 * The same as a PNG (1-bit grayscale, scale pixels a module, the quiet
 * zone included), for mails: many mail programs show no SVG.  *out is
 * the caller's to free().  False when it cannot be made.
 */
bool	door_qr_png(const char *text, int scale, unsigned char **out,
	    size_t *outlen) __attribute__((warn_unused_result));

#endif
