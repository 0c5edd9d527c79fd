/*
 * export.h - attendee lists as CSV, JSON and XLSX.
 *
 * Pure writers: a row of text in, bytes out.  leerkansd streams them in
 * chunks (handlers/organiser.c); leerkansctl writes them to a file.  The columns
 * are those of API.md section 7, in that order, then the two parts of the
 * name (section 11): added at the end, so that a program that reads the
 * columns by position reads what it did before.
 */
#ifndef LEERKANS_EXPORT_H
#define LEERKANS_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

struct evbuffer;

enum export_col {
	COL_ID,
	COL_STATUS,
	COL_NAME,
	COL_EMAIL,
	COL_ORGANISATION,
	COL_ENTERPRISE_NUMBER,
	COL_ROLE,
	COL_ORGANISATION_TYPE,
	COL_POSTCODE,
	COL_SESSIONS,
	COL_REGISTERED_AT,
	COL_CHECKED_IN_AT,
	COL_GIVEN_NAME,
	COL_FAMILY_NAME,
	EXPORT_NCOLS
};

extern const char *const export_columns[EXPORT_NCOLS];

/* One attendee: text as the database gives it, NULL for none.  sessions
 * is "slug, slug (waitlisted)"; sessions_json the same as a JSON array
 * of {"slug", "status"}; the times are RFC 3339 in the event's zone. */
struct export_row {
	const char	*v[EXPORT_NCOLS];
	const char	*sessions_json;
};

enum export_format {
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_XLSX
};

/*
 * Who the list is for.  EXPORT_PLAIN: programs (the columns above, codes
 * and slugs as stored).  EXPORT_SHEET, "CSV voor Excel" (the API's
 * profile=excel, the console's button): a spreadsheet in a Dutch
 * office, so ';' and a byte order mark, Dutch headers, the family name
 * first, statuses, roles and organisation types in Dutch words, the
 * sessions by their titles (the statement brings those:
 * sql_attendees_sheet_cursor), times as "2027-03-18 14:00" and the
 * enterprise number as 0123.456.789, which a spreadsheet keeps as text
 * (as ten digits it would drop the leading zero).  CSV only.
 */
enum export_profile {
	EXPORT_PLAIN,
	EXPORT_SHEET
};

bool	export_format_parse(const char *s, enum export_format *out);
/* "plain" or "excel" */
bool	export_profile_parse(const char *s, enum export_profile *out);
/* "comma" or "semicolon" (the CSV flavours) to ',' or ';'. */
bool	export_delimiter_parse(const char *s, char *out);
const char *export_content_type(enum export_format f);
const char *export_extension(enum export_format f);

/*
 * CSV (RFC 4180, UTF-8, CRLF).  A cell that begins with =, +, -, @, tab
 * or CR gets a leading single quote, so that no spreadsheet takes it for
 * a formula (OWASP, CSV injection); its text is otherwise kept.  A cell
 * is quoted when it holds a quote, CR, LF, or either separator (comma or
 * semicolon), whichever delimiter is in use: a file opened with the
 * other locale's separator still keeps each cell whole.  bom: start with
 * a UTF-8 byte order mark, which spreadsheet programs need to read UTF-8.
 */
void	export_csv_cell(struct evbuffer *out, const char *v, char delim);
void	export_csv_header(struct evbuffer *out, char delim, bool bom);
void	export_csv_row(struct evbuffer *out, const struct export_row *row,
	    char delim);
/* The spreadsheet profile's header (with the byte order mark) and rows,
 * with ';'. */
void	export_sheet_header(struct evbuffer *out);
void	export_sheet_row(struct evbuffer *out, const struct export_row *row);
/* "0123456789" as "0123.456.789" into out[13]; false (out "") for
 * anything but ten digits. */
bool	export_enterprise_dotted(const char *digits, char out[13]);

/* JSON: {"event": slug, "session": slug|null, "attendees": [...],
 * "count": n}, written as it goes. */
void	export_json_begin(struct evbuffer *out, const char *event,
	    const char *session);
bool	export_json_row(struct evbuffer *out, const struct export_row *row,
	    bool first) __attribute__((warn_unused_result));
void	export_json_end(struct evbuffer *out, long count);

/*
 * XLSX through libxlsxwriter in constant-memory mode: each row goes to a
 * temporary file as it comes, so memory stays flat however many rows.
 * A bold header row, frozen, with an autofilter over every row; times as
 * Excel dates (the event's local time); every value the registrant typed
 * written as a string, never as a formula.  export_xlsx_close zips the
 * workbook to path: the slow step, which leerkansd runs on a thread.
 */
struct export_xlsx;

struct export_xlsx *export_xlsx_new(const char *path, const char *tmpdir,
	    const char *title);
bool	export_xlsx_row(struct export_xlsx *x, const struct export_row *row)
	    __attribute__((warn_unused_result));
/* Writes the file and frees x; false if that failed. */
bool	export_xlsx_close(struct export_xlsx *x)
	    __attribute__((warn_unused_result));
/* Frees x without writing anything. */
void	export_xlsx_discard(struct export_xlsx *x);

/*
 * One export under way, in whichever format: the begin, every row and
 * the end go through here, in leerkansd (streamed) and leerkansctl alike
 * (db/export_rows.h feeds it a cursor's batches).  The caller sets the
 * fields, calls export_write_begin, then export_write_row for each row,
 * then export_write_end.  CSV and JSON go to out, which the caller
 * empties as it likes (between rows too); XLSX rows go to xlsx, which
 * the caller makes with export_xlsx_new (it writes the header row) and
 * closes itself (leerkansd zips it on a thread).
 */
struct export_writer {
	enum export_format	 format;
	enum export_profile	 profile;	/* CSV: EXPORT_SHEET, or plain */
	char			 delim;		/* CSV: ',' or ';' */
	const char		*event;		/* JSON: the event's slug */
	const char		*session;	/* JSON: the session's, or NULL */
	struct evbuffer		*out;		/* CSV, JSON */
	struct export_xlsx	*xlsx;		/* XLSX */
	long			 rows;		/* written so far */
	const char		*error;		/* why a row failed */
};

/* CSV: the header row, after a byte order mark with ';' (the
 * spreadsheet flavour); JSON: up to the attendees' list. */
void	export_write_begin(struct export_writer *w);
/* One row, counted; false (and w->error) when it could not be written. */
bool	export_write_row(struct export_writer *w, const struct export_row *row)
	    __attribute__((warn_unused_result));
/* JSON: the list's end and the count. */
void	export_write_end(struct export_writer *w);

/* The local wall time of an RFC 3339 time (its offset dropped):
 * t[0..5] = year, month, day, hour, minute, second. */
bool	export_local_time(const char *rfc3339, int t[6]);

#endif
