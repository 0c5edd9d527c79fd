/*
 * render/teller.c - "De teller loopt" as a page with SVG charts and as
 * a workbook; see teller.h.
 *
 * The charts are drawn here, on the server, as inline SVG: no script,
 * nothing fetched, and they print.  Each is an image with a title and a
 * one-line description, followed by a table of the same numbers (and
 * the waiting list, which the chart leaves out): that table is what a
 * screen reader reads, and what anyone copies into a report.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "render/console.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/jsonget.h"
#include "render/page.h"
#include "render/teller.h"

/* The breakdowns, in the page's order. */
enum teller_dim {
	DIM_KIND,
	DIM_ROLE,
	DIM_ORGTYPE,
	DIM_REGION,
	DIM_N
};

static const struct {
	const char	*key;		/* in the document */
	const char	*id;		/* of the section */
	const char	*nl, *en;	/* heading */
	const char	*sheet;		/* the workbook's sheet */
	const char	*col_nl, *col_en;	/* the first column */
} dims[DIM_N] = {
	{ "by_kind", "actie", "Per actie", "By action", "Per actie",
	  "Actie", "Action" },
	{ "by_role", "rol", "Per rol", "By role", "Per rol", "Rol", "Role" },
	{ "by_organisation_type", "organisatietype", "Per type organisatie",
	  "By type of organisation", "Per type organisatie",
	  "Type organisatie", "Type of organisation" },
	{ "by_region", "regio", "Per regio (arrondissement)",
	  "By region (arrondissement)", "Per regio", "Regio", "Region" },
};

/* Is a region key one of the Westhoek's? */
static bool
westhoek(const json_t *doc, const char *key)
{
	json_t *r = json_object_get(json_object_get(doc, "regions"), key);

	return json_is_true(json_object_get(r, "westhoek"));
}

/* The label of one row of a breakdown, in lang. */
static void
row_label(const json_t *doc, enum teller_dim dim, const json_t *row,
    enum lang lang, char *out, size_t len)
{
	const char *key = jstr_or(row, "key", "");
	const char *s = NULL;
	json_t *region;

	switch (dim) {
	case DIM_KIND:
		if (jcount(row, "action") > 0)
			snprintf(out, len, "%s %lld: %s", TR(lang, "Actie",
			    "Action"), jcount(row, "action"), jstr_or(row,
			    lang == LANG_EN ? "en" : "nl", key));
		else
			snprintf(out, len, "%s", jstr_or(row, lang == LANG_EN ?
			    "en" : "nl", key));
		return;
	case DIM_ROLE:
		s = i18n_role(lang, key);
		break;
	case DIM_ORGTYPE:
		s = i18n_organisation_type(lang, key);
		break;
	case DIM_REGION:
		region = json_object_get(json_object_get(doc, "regions"), key);
		if (streq(key, "outside-west-flanders"))
			s = TR(lang, "Buiten West-Vlaanderen",
			    "Outside West Flanders");
		else if (streq(key, "unknown"))
			s = TR(lang, "Onbekend", "Unknown");
		else if (jstr(region, "name") != NULL) {
			snprintf(out, len, "%s%s", jstr(region, "name"),
			    westhoek(doc, key) ? " (Westhoek)" : "");
			return;
		}
		break;
	case DIM_N:
		break;
	}
	snprintf(out, len, "%s", s != NULL ? s : key);
}

/* -- the charts --------------------------------------------------------- */

#define CHART_W		640
#define CHART_BARS	560	/* the longest bar: room for its number */
#define CHART_ROW	52	/* one row: its label, then two bars of 12 */
#define CHART_TOP	30	/* the legend */

/*
 * One breakdown as horizontal bars: per row its label on a line of its
 * own (labels are long: "Intermediair (bv. toeleider,
 * loopbaanbegeleider)"), then registered and attended side by side,
 * each with its number.  The Westhoek's rows have a band behind them.
 */
static void
chart(struct html *h, const json_t *doc, enum teller_dim dim,
    enum lang lang)
{
	json_t *rows = json_object_get(doc, dims[dim].key), *row;
	long long max = 1;
	size_t i, n = json_array_size(rows);
	int height = CHART_TOP + (int)n * CHART_ROW + 4;
	char label[200];

	json_array_foreach(rows, i, row)
		if (jcount(row, "registrations") > max)
			max = jcount(row, "registrations");
	html_fmt(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"c-%s-t "
	    "c-%s-d\" font-family=\"system-ui, sans-serif\" font-size=\"14\">\n"
	    "<title id=\"c-%s-t\">%s</title>\n<desc id=\"c-%s-d\">%s</desc>\n",
	    CHART_W, height, dims[dim].id, dims[dim].id, dims[dim].id,
	    TR(lang, dims[dim].nl, dims[dim].en), dims[dim].id,
	    TR(lang, "Staafdiagram: ingeschreven en aanwezig naast elkaar; de "
	    "tabel eronder geeft dezelfde cijfers.", "Bar chart: registered "
	    "and attended side by side; the table below gives the same "
	    "numbers."));
	/* the legend */
	html_fmt(h, "<rect x=\"0\" y=\"6\" width=\"14\" height=\"12\" "
	    "class=\"bar-reg\"/><text x=\"20\" y=\"17\">%s</text>\n"
	    "<rect x=\"150\" y=\"6\" width=\"14\" height=\"12\" "
	    "class=\"bar-att\"/><text x=\"170\" y=\"17\">%s</text>\n",
	    TR(lang, "ingeschreven", "registered"),
	    TR(lang, "aanwezig", "attended"));
	json_array_foreach(rows, i, row) {
		int y = CHART_TOP + (int)i * CHART_ROW;
		long long reg = jcount(row, "registrations");
		long long att = jcount(row, "attended");
		int wr = (int)(reg * CHART_BARS / max);
		int wa = (int)(att * CHART_BARS / max);
		bool wh = dim == DIM_REGION && westhoek(doc, jstr_or(row,
		    "key", ""));

		row_label(doc, dim, row, lang, label, sizeof(label));
		if (wh)
			html_fmt(h, "<rect x=\"0\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" class=\"westhoek\"/>\n", y,
			    CHART_W, CHART_ROW - 4);
		html_fmt(h, "<text x=\"2\" y=\"%d\" font-weight=\"%s\">%s"
		    "</text>\n", y + 15, wh ? "bold" : "normal", label);
		html_fmt(h, "<rect x=\"2\" y=\"%d\" width=\"%d\" height=\"12\" "
		    "class=\"bar-reg\"/><text x=\"%d\" y=\"%d\">%lld</text>\n"
		    "<rect x=\"2\" y=\"%d\" width=\"%d\" height=\"12\" "
		    "class=\"bar-att\"/><text x=\"%d\" y=\"%d\">%lld</text>\n",
		    y + 20, wr, wr + 8, y + 31, reg,
		    y + 34, wa, wa + 8, y + 45, att);
	}
	html_raw(h, "</svg>\n");
}

/* The chart's numbers as a table, the waiting list apart. */
static void
chart_table(struct html *h, const json_t *doc, enum teller_dim dim,
    enum lang lang)
{
	json_t *rows = json_object_get(doc, dims[dim].key), *row;
	size_t i;
	char label[200];

	html_fmt(h, "<div class=\"table-wrap\" role=\"region\" "
	    "aria-labelledby=\"t-%s\" tabindex=\"0\">\n<table>\n"
	    "<caption id=\"t-%s\">%s</caption>\n<thead><tr><th scope=\"col\">"
	    "%s</th><th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    dims[dim].id, dims[dim].id, TR(lang, dims[dim].nl, dims[dim].en),
	    TR(lang, dims[dim].col_nl, dims[dim].col_en),
	    TR(lang, "Ingeschreven", "Registered"),
	    TR(lang, "Aanwezig", "Attended"),
	    TR(lang, "Waarvan op de wachtlijst", "Of whom on the waiting list"));
	json_array_foreach(rows, i, row) {
		bool wh = dim == DIM_REGION && westhoek(doc, jstr_or(row,
		    "key", ""));

		row_label(doc, dim, row, lang, label, sizeof(label));
		html_fmt(h, "<tr class=\"%s\" data-key=\"%s\"><th scope=\"row\">%s</th>"
		    "<td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
		    "<td class=\"num\">%lld</td></tr>\n", wh ?
		    "westhoek" : "other", jstr_or(row, "key", ""), label,
		    jcount(row, "registrations"), jcount(row, "attended"),
		    jcount(row, "waitlisted"));
	}
	html_raw(h, "</tbody>\n</table>\n</div>\n");
}

/* -- the page --------------------------------------------------------------- */

static const char *
date_error(enum lang lang, const char *code)
{
	if (streq(code, "order"))
		return TR(lang, "De einddatum ligt v\xc3\xb3\xc3\xb3r de "
		    "begindatum.", "The end date is before the start date.");
	return TR(lang, "Vul een datum in als 2027-03-18.",
	    "Enter a date like 2027-03-18.");
}

static void
date_field(struct html *h, enum lang lang, const char *name,
    const char *label, const char *value, const char *error)
{
	html_fmt(h, "<div class=\"field%s\">\n<label for=\"f-%s\">%s</label>\n",
	    error != NULL ? " field-error" : "", name, label);
	if (error != NULL)
		html_fmt(h, "<p class=\"error-message\" id=\"f-%s-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n", name,
		    TR(lang, "Fout:", "Error:"), date_error(lang, error));
	html_fmt(h, "<input type=\"date\" id=\"f-%s\" name=\"%s\" value=\"%s\"",
	    name, name, value != NULL ? value : "");
	if (error != NULL)
		html_fmt(h, " aria-invalid=\"true\" aria-describedby=\"f-%s-error\"",
		    name);
	html_raw(h, ">\n</div>\n");
}

static void
filter_form(struct html *h, const struct console_ctx *c, const json_t *doc,
    const struct teller_form *f)
{
	enum lang lang = c->page.lang;
	const char *event = f != NULL && f->event != NULL ? f->event :
	    jstr(json_object_get(doc, "event"), "slug");
	json_t *events = json_object_get(doc, "events"), *e;
	size_t i;

	html_fmt(h, "<form method=\"get\" action=\"/beheer/teller\" "
	    "class=\"teller-filter\" aria-label=\"%s\">\n", TR(lang,
	    "Periode en activiteit", "Period and event"));
	if (lang == LANG_EN && c->page.lq != NULL && *c->page.lq != '\0')
		html_raw(h, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	date_field(h, lang, "from", TR(lang, "Van", "From"), f != NULL &&
	    f->from_error != NULL ? f->from : jstr(doc, "from"), f != NULL ?
	    f->from_error : NULL);
	date_field(h, lang, "to", TR(lang, "Tot en met", "To (inclusive)"),
	    f != NULL && f->to_error != NULL ? f->to : jstr(doc, "to"),
	    f != NULL ? f->to_error : NULL);
	html_fmt(h, "<div class=\"field\">\n<label for=\"f-event\">%s</label>\n"
	    "<select id=\"f-event\" name=\"event\">\n<option value=\"\">%s"
	    "</option>\n", TR(lang, "Activiteit", "Event"),
	    TR(lang, "Alle activiteiten in de periode",
	    "All events in the period"));
	json_array_foreach(events, i, e)
		html_fmt(h, "<option value=\"%s\"%s>%.*s %s</option>\n",
		    jstr_or(e, "slug", ""), streq(event, jstr(e, "slug")) ?
		    " selected" : "", 10, jstr_or(e, "starts_at", ""),
		    jstr_or(e, "title", ""));
	html_fmt(h, "</select>\n</div>\n<p><button type=\"submit\">%s</button>"
	    "</p>\n</form>\n", TR(lang, "Toon", "Show"));
}

static void
totals(struct html *h, const json_t *doc, enum lang lang)
{
	json_t *t = json_object_get(doc, "total");
	const struct {
		const char *key, *nl, *en;
	} items[] = {
		{ "events", "Activiteiten", "Events" },
		{ "registrations", "Inschrijvingen", "Registrations" },
		{ "attended", "Aanwezig", "Attended" },
		{ "waitlisted", "Op de wachtlijst", "On the waiting list" },
		{ "people", "Verschillende personen", "Distinct people" },
		{ "organisations", "Verschillende organisaties",
		  "Distinct organisations" },
		{ "westhoek", "Inschrijvingen uit de Westhoek",
		  "Registrations from the Westhoek" },
	};
	size_t i;

	html_fmt(h, "<section aria-labelledby=\"h-totals\">\n"
	    "<h2 id=\"h-totals\">%s</h2>\n<dl class=\"teller-totals\">\n",
	    TR(lang, "In totaal", "In total"));
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		html_fmt(h, "<div data-key=\"%s\"><dt>%s</dt><dd>%lld</dd></div>\n",
		    items[i].key, TR(lang, items[i].nl, items[i].en),
		    jcount(t, items[i].key));
	html_raw(h, "</dl>\n</section>\n");
}

void
teller_page(struct html *h, const struct console_ctx *c, const json_t *doc,
    const struct teller_form *f)
{
	enum lang lang = c->page.lang;
	json_t *ev = json_object_get(doc, "event");
	const char *from = jstr_or(doc, "from", ""), *to = jstr_or(doc, "to", "");
	bool bad = f != NULL && (f->from_error != NULL || f->to_error != NULL);
	int d;

	console_frame_open(h, c, bad ? TR(lang, "Fout: De teller loopt",
	    "Error: De teller loopt") : "De teller loopt", "/beheer/teller");
	html_fmt(h, "<h1>De teller loopt</h1>\n<p class=\"lead\">%s</p>\n",
	    TR(lang, "Wie de activiteiten van het actieplan bereiken: "
	    "inschrijvingen en aanwezigen per actie, rol, type organisatie en "
	    "regio. Geannuleerde inschrijvingen tellen niet mee.",
	    "Whom the action plan's events reach: registrations and "
	    "attendance by action, role, type of organisation and region. "
	    "Cancelled registrations do not count."));
	filter_form(h, c, doc, f);
	if (json_is_object(ev)) {
		html_fmt(h, "<p class=\"teller-scope\">%s <strong>", TR(lang,
		    "Cijfers van \xc3\xa9\xc3\xa9n activiteit:",
		    "Figures of one event:"));
		html_text(h, jstr_or(ev, "title", ""));
		html_fmt(h, "</strong> (%.*s)</p>\n", 10, jstr_or(ev, "starts_at",
		    ""));
	} else
		html_fmt(h, "<p class=\"teller-scope\">%s %s %s %s</p>\n",
		    TR(lang, "Activiteiten die beginnen van", "Events starting "
		    "from"), from, TR(lang, "tot en met", "to"), to);
	html_fmt(h, "<p><a class=\"button secondary\" href=\"/beheer/teller.xlsx"
	    "?from=%s&amp;to=%s", from, to);
	if (json_is_object(ev))
		html_fmt(h, "&amp;event=%s", jstr_or(ev, "slug", ""));
	html_fmt(h, "\" download>%s</a></p>\n", TR(lang,
	    "Download als Excel (XLSX, Nederlands)",
	    "Download as Excel (XLSX, in Dutch)"));
	totals(h, doc, lang);
	for (d = 0; d < DIM_N; d++) {
		html_fmt(h, "<section aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">"
		    "%s</h2>\n", dims[d].id, dims[d].id, TR(lang, dims[d].nl,
		    dims[d].en));
		if (d == DIM_REGION)
			html_fmt(h, "<p>%s</p>\n", TR(lang, "Naar de postcode "
			    "van de deelnemer. De Westhoek (Diksmuide, Ieper, "
			    "Veurne) is gemarkeerd: daar blijft de deelname "
			    "het meest achter.", "By the participant's postcode. "
			    "The Westhoek (Diksmuide, Ieper, Veurne) is marked: "
			    "participation lags most there."));
		html_raw(h, "<figure class=\"teller-chart\">\n");
		chart(h, doc, (enum teller_dim)d, lang);
		html_raw(h, "<figcaption>");
		html_text(h, TR(lang, "De cijfers van de grafiek:",
		    "The chart's numbers:"));
		html_raw(h, "</figcaption>\n");
		chart_table(h, doc, (enum teller_dim)d, lang);
		html_raw(h, "</figure>\n</section>\n");
	}
	console_frame_close(h, c);
}

/* -- the workbook ------------------------------------------------------------ */

bool
teller_xlsx(const json_t *doc, const char *path, const char *tmpdir)
{
	lxw_workbook_options opts;
	lxw_doc_properties props;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *mark;
	json_t *t = json_object_get(doc, "total"), *ev, *rows, *row;
	char label[200], scope[400];
	const struct {
		const char *key, *nl;
	} items[] = {
		{ "events", "Activiteiten" },
		{ "registrations", "Inschrijvingen" },
		{ "attended", "Aanwezig" },
		{ "waitlisted", "Op de wachtlijst" },
		{ "people", "Verschillende personen" },
		{ "organisations", "Verschillende organisaties" },
		{ "westhoek", "Inschrijvingen uit de Westhoek" },
	};
	size_t i;
	int d;
	bool ok = true;

	memset(&opts, 0, sizeof(opts));
	opts.tmpdir = (char *)tmpdir;
	if ((wb = workbook_new_opt(path, &opts)) == NULL)
		return false;
	memset(&props, 0, sizeof(props));
	props.title = (char *)"De teller loopt";
	props.company = (char *)"West-Vlaams Partnerschap Levenslang Leren";
	props.comments = (char *)"Gemaakt door leerkans.";
	workbook_set_properties(wb, &props);
	bold = workbook_add_format(wb);
	mark = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_bold(mark);
	format_set_bg_color(mark, 0xFFF2CC);

	ev = json_object_get(doc, "event");
	if (json_is_object(ev))
		snprintf(scope, sizeof(scope), "Activiteit: %s (%.10s)",
		    jstr_or(ev, "title", ""), jstr_or(ev, "starts_at", ""));
	else
		snprintf(scope, sizeof(scope), "Activiteiten die beginnen van "
		    "%s tot en met %s", jstr_or(doc, "from", ""),
		    jstr_or(doc, "to", ""));
	ws = workbook_add_worksheet(wb, "Samenvatting");
	if (ws == NULL)
		ok = false;
	else {
		worksheet_set_column(ws, 0, 0, 36, NULL);
		worksheet_set_column(ws, 1, 1, 14, NULL);
		worksheet_write_string(ws, 0, 0, "De teller loopt", bold);
		worksheet_write_string(ws, 1, 0, scope, NULL);
		worksheet_write_string(ws, 3, 0, "Meting", bold);
		worksheet_write_string(ws, 3, 1, "Aantal", bold);
		for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
			worksheet_write_string(ws, (lxw_row_t)(4 + i), 0,
			    items[i].nl, NULL);
			worksheet_write_number(ws, (lxw_row_t)(4 + i), 1,
			    (double)jcount(t, items[i].key), NULL);
		}
	}
	for (d = 0; ok && d < DIM_N; d++) {
		if ((ws = workbook_add_worksheet(wb, dims[d].sheet)) == NULL) {
			ok = false;
			break;
		}
		worksheet_set_column(ws, 0, 0, 44, NULL);
		worksheet_set_column(ws, 1, 3, 16, NULL);
		worksheet_write_string(ws, 0, 0, dims[d].col_nl, bold);
		worksheet_write_string(ws, 0, 1, "Ingeschreven", bold);
		worksheet_write_string(ws, 0, 2, "Aanwezig", bold);
		worksheet_write_string(ws, 0, 3, "Op de wachtlijst", bold);
		worksheet_freeze_panes(ws, 1, 0);
		rows = json_object_get(doc, dims[d].key);
		json_array_foreach(rows, i, row) {
			lxw_row_t r = (lxw_row_t)(i + 1);
			bool wh = d == DIM_REGION && westhoek(doc,
			    jstr_or(row, "key", ""));

			row_label(doc, (enum teller_dim)d, row, LANG_NL, label,
			    sizeof(label));
			worksheet_write_string(ws, r, 0, label, wh ? mark :
			    NULL);
			worksheet_write_number(ws, r, 1,
			    (double)jcount(row, "registrations"), NULL);
			worksheet_write_number(ws, r, 2,
			    (double)jcount(row, "attended"), NULL);
			worksheet_write_number(ws, r, 3,
			    (double)jcount(row, "waitlisted"), NULL);
		}
	}
	if (!ok) {
		lxw_workbook_free(wb);
		return false;
	}
	return workbook_close(wb) == LXW_NO_ERROR;
}
