/*
 * test_export_rows.c - db/export_rows.c, the export's row loop that
 * leerkansd and leerkansctl share, over results libpq builds without a
 * server (pgresult.h): each column of sql_attendees_cursor lands in its
 * place, in every format, across batches.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "db/export_rows.h"
#include "pgresult.h"
#include "take.h"
#include "tap.h"

#define NCOLS	(EXPORT_NCOLS + 1)	/* the columns, then sessions_json */

/* Two attendees as the cursor answers them: a hostile one with NULLs,
 * and a plain one. */
static const char *const two[2 * NCOLS] = {
	"42", "confirmed", "=HYPERLINK(\"x\")", "an@example.be",
	"Bakkerij; Peeters", NULL, "employer", "sme", "8900",
	"a, b (waitlisted)", "2027-03-18T14:00:00+01:00", NULL,
	"=HYPERLINK(\"x\")", "",
	"[{\"slug\":\"a\",\"status\":\"confirmed\"},"
	"{\"slug\":\"b\",\"status\":\"waitlisted\"}]",

	"7", "waitlisted", "Bert Claes", "bert@example.be", "Stad Ieper",
	"0207.446.759", "intermediary", "government", "8900", NULL,
	"2027-03-19T09:30:00+01:00", "2027-03-20T10:00:00+01:00", "Bert",
	"Claes", NULL
};

static const char *const third[NCOLS] = {
	"8", "confirmed", "Chloë Dewitte", "chloe@example.be", NULL, NULL,
	"student", NULL, "8630", "a", "2027-03-19T10:00:00+01:00", NULL,
	"Chloë", "Dewitte", "[{\"slug\":\"a\",\"status\":\"confirmed\"}]"
};

static void
result_init(struct db_result *res, int rows, const char *const *values)
{
	memset(res, 0, sizeof(*res));
	res->status = DB_OK;
	res->res = pgresult_make(rows, NCOLS, values);
}

static void
writer_init(struct export_writer *w, enum export_format f, char delim)
{
	memset(w, 0, sizeof(*w));
	w->format = f;
	w->delim = delim;
	w->event = "netwerkmoment-najaar";
	w->out = evbuffer_new();
}

static void
test_csv(void)
{
	struct export_writer w;
	struct db_result res;
	char *got;

	result_init(&res, 2, two);
	ok(res.res != NULL, "a batch of two built without a server");
	writer_init(&w, EXPORT_CSV, ',');
	export_write_begin(&w);
	ok(export_rows_write(&w, &res), "the batch is written");
	export_write_end(&w);
	ok(w.rows == 2, "two rows counted");
	got = take(w.out);
	is_str(got, "id,status,name,email,organisation,enterprise_number,"
	    "role,organisation_type,postcode,sessions,registered_at,"
	    "checked_in_at,given_name,family_name\r\n"
	    "42,confirmed,\"'=HYPERLINK(\"\"x\"\")\",an@example.be,"
	    "\"Bakkerij; Peeters\",,employer,sme,8900,\"a, b (waitlisted)\","
	    "2027-03-18T14:00:00+01:00,,\"'=HYPERLINK(\"\"x\"\")\",\r\n"
	    "7,waitlisted,Bert Claes,bert@example.be,Stad Ieper,0207.446.759,"
	    "intermediary,government,8900,,2027-03-19T09:30:00+01:00,"
	    "2027-03-20T10:00:00+01:00,Bert,Claes\r\n",
	    "every column in its place, NULL empty, the last one (JSON) "
	    "not in CSV");
	free(got);
	evbuffer_free(w.out);

	writer_init(&w, EXPORT_CSV, ';');
	export_write_begin(&w);
	ok(export_rows_write(&w, &res), "semicolon: written");
	got = take(w.out);
	ok(strncmp(got, "\xef\xbb\xbfid;status;name;", 17) == 0,
	    "semicolon: a byte order mark, then the header");
	ok(strstr(got, "\r\n7;waitlisted;Bert Claes;bert@example.be;"
	    "Stad Ieper;0207.446.759;intermediary;government;8900;;") != NULL,
	    "semicolon: the rows with ;");
	free(got);
	evbuffer_free(w.out);
	PQclear(res.res);
}

static void
test_json_batches(void)
{
	struct export_writer w;
	struct db_result res, res2;
	json_t *doc, *a, *list;
	char *got;

	result_init(&res, 2, two);
	result_init(&res2, 1, third);
	writer_init(&w, EXPORT_JSON, ',');
	w.session = "a";
	export_write_begin(&w);
	ok(export_rows_write(&w, &res) && export_rows_write(&w, &res2),
	    "two batches written");
	export_write_end(&w);
	got = take(w.out);
	doc = json_loads(got, 0, NULL);
	ok(doc != NULL, "one JSON document across batches");
	list = json_object_get(doc, "attendees");
	ok(json_array_size(list) == 3 &&
	    json_integer_value(json_object_get(doc, "count")) == 3,
	    "three attendees, counted");
	is_str(json_string_value(json_object_get(doc, "event")),
	    "netwerkmoment-najaar", "the event");
	is_str(json_string_value(json_object_get(doc, "session")), "a",
	    "the session");
	a = json_array_get(list, 0);
	ok(json_integer_value(json_object_get(a, "id")) == 42, "id a number");
	is_str(json_string_value(json_object_get(a, "name")),
	    "=HYPERLINK(\"x\")", "the name as is");
	ok(json_is_null(json_object_get(a, "enterprise_number")),
	    "NULL is null");
	ok(json_array_size(json_object_get(a, "sessions")) == 2,
	    "sessions from sessions_json");
	a = json_array_get(list, 1);
	is_str(json_string_value(json_object_get(a, "checked_in_at")),
	    "2027-03-20T10:00:00+01:00", "checked_in_at");
	ok(json_array_size(json_object_get(a, "sessions")) == 0 &&
	    json_is_array(json_object_get(a, "sessions")),
	    "no sessions_json: an empty list");
	a = json_array_get(list, 2);
	is_str(json_string_value(json_object_get(a, "name")), "Chloë Dewitte",
	    "the second batch follows the first");
	json_decref(doc);
	free(got);
	evbuffer_free(w.out);
	PQclear(res.res);
	PQclear(res2.res);
}

static void
test_xlsx(void)
{
	char path[] = "/tmp/test_export_rows-XXXXXX";
	struct export_writer w;
	struct db_result res;
	unsigned char magic[4] = { 0 };
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	ok(fd != -1, "a temporary file");
	close(fd);
	result_init(&res, 2, two);
	writer_init(&w, EXPORT_XLSX, ',');
	w.xlsx = export_xlsx_new(path, NULL, "test");
	ok(w.xlsx != NULL, "a workbook");
	export_write_begin(&w);
	ok(export_rows_write(&w, &res) && export_rows_write(&w, &res),
	    "two batches into the workbook");
	export_write_end(&w);
	ok(w.rows == 4, "four rows counted");
	ok(evbuffer_get_length(w.out) == 0, "nothing written as text");
	ok(export_xlsx_close(w.xlsx), "zipped");
	fp = fopen(path, "rb");
	ok(fp != NULL && fread(magic, 1, 4, fp) == 4 && magic[0] == 'P' &&
	    magic[1] == 'K', "the file is a zip");
	if (fp != NULL)
		fclose(fp);
	unlink(path);
	evbuffer_free(w.out);
	PQclear(res.res);
}

static void
test_odd_batches(void)
{
	static const char *const narrow[2] = { "5", "confirmed" };
	struct export_writer w;
	struct db_result res;
	char *got;

	writer_init(&w, EXPORT_CSV, ',');
	memset(&res, 0, sizeof(res));
	res.status = DB_ERROR;
	res.sqlstate = "57014";
	ok(export_rows_write(&w, &res) && w.rows == 0 &&
	    evbuffer_get_length(w.out) == 0, "a failed batch has no rows");
	res.status = DB_OK;
	res.res = pgresult_make(0, NCOLS, NULL);
	ok(export_rows_write(&w, &res) && w.rows == 0 &&
	    evbuffer_get_length(w.out) == 0, "an empty batch writes nothing");
	PQclear(res.res);

	/* a statement with fewer columns than the writer knows */
	res.res = pgresult_make(1, 2, narrow);
	ok(export_rows_write(&w, &res) && w.rows == 1, "a narrow row");
	got = take(w.out);
	is_str(got, "5,confirmed,,,,,,,,,,,,\r\n",
	    "the missing columns are empty, not read past the answer");
	free(got);
	PQclear(res.res);
	evbuffer_free(w.out);
}

int
main(void)
{
	test_csv();
	test_json_batches();
	test_xlsx();
	test_odd_batches();
	return done_testing();
}
