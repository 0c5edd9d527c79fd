/* test_export.c - the CSV, JSON and XLSX writers of attendee lists. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "render/export.h"
#include "take.h"
#include "tap.h"

static void
cell_is(const char *in, char delim, const char *want, const char *what)
{
	struct evbuffer *b = evbuffer_new();
	char *got;

	export_csv_cell(b, in, delim);
	got = take(b);
	is_str(got, want, "%s", what);
	free(got);
	evbuffer_free(b);
}

static void
test_csv_cells(void)
{
	cell_is("An Peeters", ',', "An Peeters", "plain cell as is");
	cell_is(NULL, ',', "", "NULL is an empty cell");
	cell_is("", ',', "", "empty stays empty");
	cell_is("a,b", ',', "\"a,b\"", "comma quoted");
	cell_is("a;b", ',', "\"a;b\"", "semicolon quoted with comma "
	    "delimiter too");
	cell_is("a,b", ';', "\"a,b\"", "comma quoted with semicolon "
	    "delimiter too");
	cell_is("say \"hi\"", ',', "\"say \"\"hi\"\"\"", "quotes doubled");
	cell_is("two\nlines", ',', "\"two\nlines\"", "newline quoted");
	cell_is("cr\rhere", ',', "\"cr\rhere\"", "CR inside quoted");
	cell_is("=1+1", ',', "'=1+1", "= defused");
	cell_is("+cmd", ',', "'+cmd", "+ defused");
	cell_is("-2", ',', "'-2", "- defused");
	cell_is("@SUM(A1)", ',', "'@SUM(A1)", "@ defused");
	cell_is("\tTAB", ',', "'\tTAB", "tab defused");
	cell_is("\rCR", ',', "\"'\rCR\"", "CR defused and quoted");
	cell_is("=HYPERLINK(\"http://x\",\"y\")", ',',
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
	    "hostile formula defused, quoted, text kept");
	cell_is("a=b", ',', "a=b", "= later in the cell is harmless");
	cell_is("Caf\xc3\xa9 \xe2\x82\xac", ',', "Caf\xc3\xa9 \xe2\x82\xac",
	    "UTF-8 kept");
}

static struct export_row
sample_row(void)
{
	struct export_row row;

	memset(&row, 0, sizeof(row));
	row.v[COL_ID] = "42";
	row.v[COL_STATUS] = "confirmed";
	row.v[COL_NAME] = "=HYPERLINK(\"http://evil\";\"x\")";
	row.v[COL_EMAIL] = "an@example.be";
	row.v[COL_ORGANISATION] = "Bakkerij; \"Peeters\"\nbv";
	row.v[COL_ENTERPRISE_NUMBER] = NULL;
	row.v[COL_ROLE] = "employer";
	row.v[COL_ORGANISATION_TYPE] = "sme";
	row.v[COL_POSTCODE] = "8900";
	row.v[COL_SESSIONS] = "a, b (waitlisted)";
	row.v[COL_REGISTERED_AT] = "2027-03-18T14:00:00+01:00";
	row.v[COL_CHECKED_IN_AT] = NULL;
	row.v[COL_GIVEN_NAME] = "\xc3\x89liane";	/* Éliane */
	row.v[COL_FAMILY_NAME] = "@Peeters";
	row.sessions_json = "[{\"slug\":\"a\",\"status\":\"confirmed\"},"
	    "{\"slug\":\"b\",\"status\":\"waitlisted\"}]";
	return row;
}

static void
test_csv_rows(void)
{
	struct evbuffer *b = evbuffer_new();
	struct export_row row = sample_row();
	char *got;

	export_csv_header(b, ',', false);
	got = take(b);
	is_str(got, "id,status,name,email,organisation,enterprise_number,"
	    "role,organisation_type,postcode,sessions,registered_at,"
	    "checked_in_at,given_name,family_name\r\n",
	    "header row: API.md 7's columns, then the name's parts; CRLF");
	free(got);

	export_csv_header(b, ';', true);
	got = take(b);
	ok(strncmp(got, "\xef\xbb\xbfid;status;", 13) == 0,
	    "semicolon header starts with a BOM");
	free(got);

	export_csv_row(b, &row, ',');
	got = take(b);
	is_str(got, "42,confirmed,\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\","
	    "an@example.be,\"Bakkerij; \"\"Peeters\"\"\nbv\",,employer,sme,"
	    "8900,\"a, b (waitlisted)\",2027-03-18T14:00:00+01:00,,"
	    "\xc3\x89liane,'@Peeters\r\n",
	    "a hostile row, comma; the name's parts last, defused too");
	free(got);

	export_csv_row(b, &row, ';');
	got = take(b);
	ok(strstr(got, "42;confirmed;\"'=HYPERLINK(") == got,
	    "a hostile row, semicolon");
	ok(strstr(got, ";;employer;sme;8900;\"a, b (waitlisted)\";") != NULL,
	    "semicolon row: empty enterprise number, quoted sessions");
	free(got);
	evbuffer_free(b);
}

static void
test_json(void)
{
	struct evbuffer *b = evbuffer_new();
	struct export_row row = sample_row();
	json_t *doc, *a;
	char *got;

	export_json_begin(b, "ev-1", NULL);
	ok(export_json_row(b, &row, true), "first row");
	row.v[COL_ID] = "43";
	row.sessions_json = NULL;
	row.v[COL_CHECKED_IN_AT] = "2027-03-18T14:05:00+01:00";
	ok(export_json_row(b, &row, false), "second row");
	export_json_end(b, 2);
	got = take(b);
	doc = json_loads(got, 0, NULL);
	ok(doc != NULL, "the document is JSON");
	is_str(json_string_value(json_object_get(doc, "event")), "ev-1",
	    "event slug");
	ok(json_is_null(json_object_get(doc, "session")), "no session");
	ok(json_integer_value(json_object_get(doc, "count")) == 2, "count");
	a = json_array_get(json_object_get(doc, "attendees"), 0);
	ok(json_integer_value(json_object_get(a, "id")) == 42, "id a number");
	is_str(json_string_value(json_object_get(a, "name")),
	    "=HYPERLINK(\"http://evil\";\"x\")", "JSON keeps the text as is");
	is_str(json_string_value(json_object_get(a, "given_name")),
	    "\xc3\x89liane", "given_name");
	is_str(json_string_value(json_object_get(a, "family_name")),
	    "@Peeters", "family_name, as is");
	ok(json_object_size(a) == EXPORT_NCOLS, "one key per column");
	ok(json_is_null(json_object_get(a, "enterprise_number")),
	    "none is null");
	ok(json_array_size(json_object_get(a, "sessions")) == 2,
	    "sessions as an array");
	a = json_array_get(json_object_get(doc, "attendees"), 1);
	ok(json_is_array(json_object_get(a, "sessions")) &&
	    json_array_size(json_object_get(a, "sessions")) == 0,
	    "no sessions: empty array");
	is_str(json_string_value(json_object_get(a, "checked_in_at")),
	    "2027-03-18T14:05:00+01:00", "checked_in_at");
	json_decref(doc);
	free(got);
	evbuffer_free(b);
}

static void
test_time(void)
{
	int t[6];

	ok(export_local_time("2027-03-18T14:05:09+01:00", t) &&
	    t[0] == 2027 && t[1] == 3 && t[2] == 18 && t[3] == 14 &&
	    t[4] == 5 && t[5] == 9, "local time of RFC 3339");
	ok(export_local_time("2027-10-31T02:30:00-02:00", t) && t[3] == 2,
	    "negative offset dropped, wall time kept");
	ok(!export_local_time("2027-03-18", t), "a date alone is not a time");
	ok(!export_local_time("yesterday", t), "nonsense refused");
	ok(!export_local_time(NULL, t), "NULL refused");
}

static void
test_xlsx(void)
{
	char path[] = "/tmp/test_export-XXXXXX";
	struct export_row row = sample_row();
	struct export_xlsx *x;
	unsigned char magic[4] = { 0 };
	FILE *fp;
	int fd, i;

	fd = mkstemp(path);
	ok(fd != -1, "a temporary file");
	close(fd);
	x = export_xlsx_new(path, NULL, "test");
	ok(x != NULL, "a workbook");
	for (i = 0; i < 2500; i++)
		if (!export_xlsx_row(x, &row))
			break;
	ok(i == 2500, "2500 rows written");
	ok(export_xlsx_close(x), "zipped");
	fp = fopen(path, "rb");
	ok(fp != NULL && fread(magic, 1, 4, fp) == 4 && magic[0] == 'P' &&
	    magic[1] == 'K' && magic[2] == 3 && magic[3] == 4,
	    "the file is a zip");
	if (fp != NULL)
		fclose(fp);
	unlink(path);

	x = export_xlsx_new("/nonexistent-dir/x.xlsx", NULL, "test");
	ok(x != NULL && export_xlsx_row(x, &row), "rows before the close");
	ok(x != NULL && !export_xlsx_close(x), "an unwritable path fails "
	    "at the close");
	x = export_xlsx_new(path, NULL, "test");
	export_xlsx_discard(x);
	ok(access(path, F_OK) == -1, "a discarded workbook writes nothing");
}

static void
test_formats(void)
{
	enum export_format f;
	char d;

	ok(export_format_parse("csv", &f) && f == EXPORT_CSV, "csv");
	ok(export_format_parse("xlsx", &f) && f == EXPORT_XLSX, "xlsx");
	ok(export_format_parse("json", &f) && f == EXPORT_JSON, "json");
	ok(!export_format_parse("xls", &f), "xls is not offered");
	ok(export_delimiter_parse("comma", &d) && d == ',', "comma");
	ok(export_delimiter_parse("semicolon", &d) && d == ';', "semicolon");
	ok(!export_delimiter_parse("tab", &d) &&
	    !export_delimiter_parse(";", &d), "no other delimiter");
	ok(strncmp(export_content_type(EXPORT_CSV), "text/csv", 8) == 0,
	    "CSV media type");
	is_str(export_extension(EXPORT_XLSX), "xlsx", "extension");
}

int
main(void)
{
	test_csv_cells();
	test_csv_rows();
	test_json();
	test_time();
	test_xlsx();
	test_formats();
	return done_testing();
}
