/*
 * export.c - attendee lists as CSV, JSON and XLSX (see export.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>
#include <xlsxwriter.h>

#include "render/export.h"
#include "render/i18n.h"

const char *const export_columns[EXPORT_NCOLS] = {
	"id", "status", "name", "email", "organisation", "enterprise_number",
	"role", "organisation_type", "postcode", "sessions", "registered_at",
	"checked_in_at", "given_name", "family_name"
};

bool
export_format_parse(const char *s, enum export_format *out)
{
	if (strcmp(s, "csv") == 0)
		*out = EXPORT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = EXPORT_JSON;
	else if (strcmp(s, "xlsx") == 0)
		*out = EXPORT_XLSX;
	else
		return false;
	return true;
}

bool
export_profile_parse(const char *s, enum export_profile *out)
{
	if (strcmp(s, "plain") == 0)
		*out = EXPORT_PLAIN;
	else if (strcmp(s, "excel") == 0)
		*out = EXPORT_SHEET;
	else
		return false;
	return true;
}

bool
export_delimiter_parse(const char *s, char *out)
{
	if (strcmp(s, "comma") == 0)
		*out = ',';
	else if (strcmp(s, "semicolon") == 0)
		*out = ';';
	else
		return false;
	return true;
}

const char *
export_content_type(enum export_format f)
{
	switch (f) {
	case EXPORT_CSV:
		return "text/csv; charset=utf-8; header=present";
	case EXPORT_XLSX:
		return "application/"
		    "vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	case EXPORT_JSON:
		break;
	}
	return "application/json";
}

const char *
export_extension(enum export_format f)
{
	switch (f) {
	case EXPORT_CSV:
		return "csv";
	case EXPORT_XLSX:
		return "xlsx";
	case EXPORT_JSON:
		break;
	}
	return "json";
}

/* -- CSV ---------------------------------------------------------------- */

static bool
csv_dangerous_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r';
}

void
export_csv_cell(struct evbuffer *out, const char *v, char delim)
{
	bool defuse, quote;
	const char *p, *q;

	if (v == NULL || *v == '\0')
		return;
	defuse = csv_dangerous_start(v[0]);
	quote = strpbrk(v, "\",;\r\n") != NULL || strchr(v, delim) != NULL;
	if (quote)
		evbuffer_add(out, "\"", 1);
	if (defuse)
		evbuffer_add(out, "'", 1);
	for (p = v; (q = strchr(p, '"')) != NULL; p = q + 1) {
		evbuffer_add(out, p, (size_t)(q - p) + 1);
		evbuffer_add(out, "\"", 1);
	}
	evbuffer_add(out, p, strlen(p));
	if (quote)
		evbuffer_add(out, "\"", 1);
}

void
export_csv_header(struct evbuffer *out, char delim, bool bom)
{
	int i;

	if (bom)
		evbuffer_add(out, "\xef\xbb\xbf", 3);
	for (i = 0; i < EXPORT_NCOLS; i++) {
		if (i > 0)
			evbuffer_add(out, &delim, 1);
		export_csv_cell(out, export_columns[i], delim);
	}
	evbuffer_add(out, "\r\n", 2);
}

void
export_csv_row(struct evbuffer *out, const struct export_row *row, char delim)
{
	int i;

	for (i = 0; i < EXPORT_NCOLS; i++) {
		if (i > 0)
			evbuffer_add(out, &delim, 1);
		export_csv_cell(out, row->v[i], delim);
	}
	evbuffer_add(out, "\r\n", 2);
}

/* -- CSV for a spreadsheet (EXPORT_SHEET) -------------------------------- */

/* the sheet's columns, in its order, and their headers */
static const struct {
	enum export_col	 col;
	const char	*header;
} sheet[] = {
	{ COL_ID, "Nr." },
	{ COL_FAMILY_NAME, "Familienaam" },
	{ COL_GIVEN_NAME, "Voornaam" },
	{ COL_STATUS, "Status" },
	{ COL_EMAIL, "E-mailadres" },
	{ COL_ORGANISATION, "Organisatie" },
	{ COL_ENTERPRISE_NUMBER, "Ondernemingsnummer" },
	{ COL_ROLE, "Doelgroep" },
	{ COL_ORGANISATION_TYPE, "Soort organisatie" },
	{ COL_POSTCODE, "Postcode" },
	{ COL_SESSIONS, "Sessies" },
	{ COL_REGISTERED_AT, "Ingeschreven op" },
	{ COL_CHECKED_IN_AT, "Aanwezig (ingecheckt op)" },
};

bool
export_enterprise_dotted(const char *digits, char out[13])
{
	out[0] = '\0';
	if (digits == NULL || strlen(digits) != 10 ||
	    strspn(digits, "0123456789") != 10)
		return false;
	snprintf(out, 13, "%.4s.%.3s.%.3s", digits, digits + 4, digits + 7);
	return true;
}

static const char *
sheet_status(const char *status)
{
	if (status == NULL)
		return NULL;
	if (strcmp(status, "confirmed") == 0)
		return "Bevestigd";
	if (strcmp(status, "waitlisted") == 0)
		return "Wachtlijst";
	if (strcmp(status, "cancelled") == 0)
		return "Geannuleerd";
	return status;
}

void
export_sheet_header(struct evbuffer *out)
{
	size_t i;

	evbuffer_add(out, "\xef\xbb\xbf", 3);
	for (i = 0; i < sizeof(sheet) / sizeof(sheet[0]); i++) {
		if (i > 0)
			evbuffer_add(out, ";", 1);
		export_csv_cell(out, sheet[i].header, ';');
	}
	evbuffer_add(out, "\r\n", 2);
}

void
export_sheet_row(struct evbuffer *out, const struct export_row *row)
{
	char dotted[13], when[2][40];
	const char *v;
	int t[6];
	size_t i;

	for (i = 0; i < sizeof(sheet) / sizeof(sheet[0]); i++) {
		v = row->v[sheet[i].col];
		switch (sheet[i].col) {
		case COL_STATUS:
			v = sheet_status(v);
			break;
		case COL_ROLE:
			v = v != NULL ? i18n_role(LANG_NL, v) : NULL;
			break;
		case COL_ORGANISATION_TYPE:
			v = v != NULL ? i18n_organisation_type(LANG_NL, v) : NULL;
			break;
		case COL_ENTERPRISE_NUMBER:
			if (export_enterprise_dotted(v, dotted))
				v = dotted;
			break;
		case COL_REGISTERED_AT:
		case COL_CHECKED_IN_AT:
			/* the event's local time, as a spreadsheet reads a
			 * date: "2027-03-18 14:00" */
			if (v != NULL && export_local_time(v, t)) {
				char *w = when[sheet[i].col == COL_CHECKED_IN_AT];

				snprintf(w, 40, "%04d-%02d-%02d %02d:%02d",
				    t[0] % 10000, t[1] % 100, t[2] % 100,
				    t[3] % 100, t[4] % 100);
				v = w;
			}
			break;
		default:
			break;
		}
		if (i > 0)
			evbuffer_add(out, ";", 1);
		export_csv_cell(out, v, ';');
	}
	evbuffer_add(out, "\r\n", 2);
}

/* -- JSON --------------------------------------------------------------- */

static void
json_add_dumped(struct evbuffer *out, json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (text != NULL) {
		evbuffer_add(out, text, strlen(text));
		free(text);
	} else
		evbuffer_add(out, "null", 4);
	json_decref(v);
}

void
export_json_begin(struct evbuffer *out, const char *event, const char *session)
{
	evbuffer_add_printf(out, "{\"event\":");
	json_add_dumped(out, json_string(event));
	evbuffer_add_printf(out, ",\"session\":");
	json_add_dumped(out, session != NULL ? json_string(session) :
	    json_null());
	evbuffer_add_printf(out, ",\"attendees\":[");
}

static json_t *
json_text_or_null(const char *v)
{
	return v != NULL ? json_string(v) : json_null();
}

bool
export_json_row(struct evbuffer *out, const struct export_row *row, bool first)
{
	json_t *o = json_object(), *sessions = NULL;
	char *text;
	int i;

	if (o == NULL)
		return false;
	for (i = 0; i < EXPORT_NCOLS; i++) {
		json_t *v;

		if (i == COL_ID && row->v[i] != NULL)
			v = json_integer(strtoll(row->v[i], NULL, 10));
		else if (i == COL_SESSIONS) {
			if (row->sessions_json != NULL)
				sessions = json_loads(row->sessions_json, 0,
				    NULL);
			v = json_is_array(sessions) ? sessions : json_array();
			if (v != sessions)
				json_decref(sessions);
		} else
			v = json_text_or_null(row->v[i]);
		if (json_object_set_new(o, export_columns[i], v) == -1) {
			json_decref(o);
			return false;
		}
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text == NULL)
		return false;
	if (!first)
		evbuffer_add(out, ",", 1);
	evbuffer_add(out, text, strlen(text));
	free(text);
	return true;
}

void
export_json_end(struct evbuffer *out, long count)
{
	evbuffer_add_printf(out, "],\"count\":%ld}\n", count);
}

/* -- XLSX --------------------------------------------------------------- */

struct export_xlsx {
	lxw_workbook	*wb;
	lxw_worksheet	*ws;
	lxw_format	*bold;
	lxw_format	*date;
	lxw_row_t	 row;		/* the next row to write */
};

bool
export_local_time(const char *s, int t[6])
{
	char tail;
	int n;

	if (s == NULL)
		return false;
	n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &t[0], &t[1], &t[2], &t[3],
	    &t[4], &t[5], &tail);
	if (n != 7 || (tail != '+' && tail != '-' && tail != 'Z'))
		return false;
	return t[0] >= 1900 && t[0] <= 9999 && t[1] >= 1 && t[1] <= 12 &&
	    t[2] >= 1 && t[2] <= 31 && t[3] >= 0 && t[3] <= 23 &&
	    t[4] >= 0 && t[4] <= 59 && t[5] >= 0 && t[5] <= 60;
}

struct export_xlsx *
export_xlsx_new(const char *path, const char *tmpdir, const char *title)
{
	/* widths of the columns, in characters */
	static const double widths[EXPORT_NCOLS] = {
		8, 11, 28, 32, 30, 18, 18, 18, 10, 36, 17, 17, 18, 20
	};
	lxw_workbook_options opts;
	lxw_doc_properties props;
	struct export_xlsx *x;
	int i;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	memset(&opts, 0, sizeof(opts));
	opts.constant_memory = LXW_TRUE;
	opts.tmpdir = (char *)tmpdir;
	opts.use_zip64 = LXW_TRUE;
	if ((x->wb = workbook_new_opt(path, &opts)) == NULL)
		goto fail;
	memset(&props, 0, sizeof(props));
	props.title = (char *)title;
	props.comments = (char *)"Made by leerkans; every value is text as "
	    "registered.";
	workbook_set_properties(x->wb, &props);
	if ((x->ws = workbook_add_worksheet(x->wb, "attendees")) == NULL)
		goto fail;
	x->bold = workbook_add_format(x->wb);
	x->date = workbook_add_format(x->wb);
	if (x->bold == NULL || x->date == NULL)
		goto fail;
	format_set_bold(x->bold);
	format_set_num_format(x->date, "yyyy-mm-dd hh:mm");
	for (i = 0; i < EXPORT_NCOLS; i++) {
		if (worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
		    widths[i], NULL) != LXW_NO_ERROR ||
		    worksheet_write_string(x->ws, 0, (lxw_col_t)i,
		    export_columns[i], x->bold) != LXW_NO_ERROR)
			goto fail;
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	return x;
fail:
	export_xlsx_discard(x);
	return NULL;
}

bool
export_xlsx_row(struct export_xlsx *x, const struct export_row *row)
{
	lxw_error err = LXW_NO_ERROR;
	lxw_datetime dt;
	int i, t[6];

	if (x->row >= LXW_ROW_MAX)
		return false;
	for (i = 0; i < EXPORT_NCOLS && err == LXW_NO_ERROR; i++) {
		const char *v = row->v[i];
		lxw_col_t col = (lxw_col_t)i;

		if (v == NULL || *v == '\0')
			continue;
		if (i == COL_ID)
			err = worksheet_write_number(x->ws, x->row, col,
			    strtod(v, NULL), NULL);
		else if ((i == COL_REGISTERED_AT || i == COL_CHECKED_IN_AT) &&
		    export_local_time(v, t)) {
			dt.year = t[0];
			dt.month = t[1];
			dt.day = t[2];
			dt.hour = t[3];
			dt.min = t[4];
			dt.sec = t[5];
			err = worksheet_write_datetime(x->ws, x->row, col, &dt,
			    x->date);
		} else
			/* a string, whatever it starts with: never a formula */
			err = worksheet_write_string(x->ws, x->row, col, v,
			    NULL);
	}
	x->row++;
	return err == LXW_NO_ERROR;
}

bool
export_xlsx_close(struct export_xlsx *x)
{
	lxw_error err;

	worksheet_autofilter(x->ws, 0, 0, x->row - 1, EXPORT_NCOLS - 1);
	err = workbook_close(x->wb);	/* frees the workbook */
	free(x);
	return err == LXW_NO_ERROR;
}

void
export_xlsx_discard(struct export_xlsx *x)
{
	if (x == NULL)
		return;
	if (x->wb != NULL)
		lxw_workbook_free(x->wb);
	free(x);
}

/* -- one export, whatever its format -------------------------------------- */

void
export_write_begin(struct export_writer *w)
{
	w->rows = 0;
	w->error = NULL;
	switch (w->format) {
	case EXPORT_CSV:
		/* the semicolon flavour is for spreadsheet programs, which
		 * need the byte order mark to read UTF-8 */
		if (w->profile == EXPORT_SHEET)
			export_sheet_header(w->out);
		else
			export_csv_header(w->out, w->delim, w->delim == ';');
		break;
	case EXPORT_JSON:
		export_json_begin(w->out, w->event, w->session);
		break;
	case EXPORT_XLSX:
		break;		/* export_xlsx_new wrote the header row */
	}
}

bool
export_write_row(struct export_writer *w, const struct export_row *row)
{
	switch (w->format) {
	case EXPORT_CSV:
		if (w->profile == EXPORT_SHEET)
			export_sheet_row(w->out, row);
		else
			export_csv_row(w->out, row, w->delim);
		break;
	case EXPORT_JSON:
		if (!export_json_row(w->out, row, w->rows == 0)) {
			w->error = "out of memory";
			return false;
		}
		break;
	case EXPORT_XLSX:
		if (!export_xlsx_row(w->xlsx, row)) {
			w->error = "a row did not fit the workbook";
			return false;
		}
		break;
	}
	w->rows++;
	return true;
}

void
export_write_end(struct export_writer *w)
{
	if (w->format == EXPORT_JSON)
		export_json_end(w->out, w->rows);
}
