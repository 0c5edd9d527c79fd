/*
 * render/statements.h - what a public body must tell about its website,
 * as pure renderers of a struct page_ctx and its struct page_site (the
 * settings): the privacy notice (GDPR art. 13) and the accessibility
 * statement (the Flemish Bestuursdecreet and EU directive 2016/2102), in
 * Dutch and English.
 *
 * The privacy notice takes the retention from retention_months, the
 * setting leerkansctl purge erases by, so that the page cannot say
 * otherwise than what is done.  Without c->site a statement cannot say
 * who is behind it: h fails.
 */
#ifndef LEERKANS_STATEMENTS_H
#define LEERKANS_STATEMENTS_H

#include "render/html.h"
#include "render/page.h"

/* The day the accessibility statement was last reviewed (EU model
 * statement: "prepared on"); change it with the statement. */
#define STATEMENTS_A11Y_REVIEWED	"2026-12-06"
#define STATEMENTS_A11Y_REVIEWED_NL	"6 december 2026"
#define STATEMENTS_A11Y_REVIEWED_EN	"6 December 2026"

void	statements_privacy(struct html *h, const struct page_ctx *c);
void	statements_accessibility(struct html *h, const struct page_ctx *c);

#endif
