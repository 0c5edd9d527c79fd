/*
 * render/teller.h - "De teller loopt": the reach report as a console
 * page with charts drawn as SVG on the server, and as a workbook in
 * Dutch for the yearly report; pure renderers of lk_teller's JSON
 * (functions/80_door.sql), tested by tests/unit/test_teller.c.
 *
 * Four charts, each a <figure> with an SVG image (registered and
 * attended side by side per row) and the same numbers as a table, which
 * is the chart's text alternative and adds the waiting list apart: by
 * action (event kind), role, organisation type and region, where the
 * Westhoek's arrondissements (Diksmuide, Ieper, Veurne) are marked.
 */
#ifndef LEERKANS_TELLER_H
#define LEERKANS_TELLER_H

#include <stdbool.h>

#include <jansson.h>

#include "render/console.h"
#include "render/html.h"

/* What the page's filter was sent and what was wrong with it. */
struct teller_form {
	const char	*from, *to, *event;	/* as sent, or NULL */
	/* a field's error code ("date", "order"), or NULL */
	const char	*from_error, *to_error;
};

/* f may be NULL: a filter as the document says. */
void	teller_page(struct html *h, const struct console_ctx *c,
	    const json_t *doc, const struct teller_form *f);

/*
 * The document as an XLSX workbook at path (libxlsxwriter; tmpdir for
 * its temporary files, NULL for the default): a sheet "Samenvatting"
 * with the totals, one per breakdown with registered, attended and
 * waiting list, headings in Dutch.  False when it could not be written.
 */
bool	teller_xlsx(const json_t *doc, const char *path, const char *tmpdir)
	    __attribute__((warn_unused_result));

#endif
