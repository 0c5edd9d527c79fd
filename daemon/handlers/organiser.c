/*
 * handlers/organiser.c - the organiser's data (API.md section 7): attendee
 * exports, check-in, the reach report and erasure.  Every route here
 * needs an organiser token (AUTH_REQUIRED in router.c).
 *
 * An export is streamed: lk_export_begin checks the event and records
 * the export in the audit log, then a cursor (request_db_cursor) brings
 * the rows in batches, each written by the row loop that leerkansctl
 * export runs too (db/export_rows.h).  CSV and JSON go out as chunks
 * while they come, the next batch asked for only once the client has
 * taken the last (request_stream_write), so memory stays flat for any
 * number of rows and a slow client slows only its own export.  An XLSX
 * workbook cannot be sent before it is whole (a zip file ends with its
 * directory): rows go to libxlsxwriter's constant-memory temporary files
 * as they come, the zipping runs on a thread of its own so that the loop
 * keeps serving, and the finished file, which has no name on disk, is
 * then sent with a Content-Length.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "base/config.h"
#include "render/export.h"
#include "render/reach.h"
#include "handlers/handlers.h"
#include "base/log.h"
#include "http/request.h"
#include "http/router.h"
#include "db/export_rows.h"
#include "db/result.h"
#include "db/sql.h"
#include "input/account.h"
#include "input/validate.h"

#define FILE_CHUNK	(64 * 1024)

static const char *const status_filters[] = {
	"active", "confirmed", "waitlisted", "cancelled", "checked-in", "all",
	NULL
};

enum export_phase {
	PHASE_BEGIN,		/* lk_export_begin sent */
	PHASE_ROWS,		/* the cursor brings rows */
	PHASE_ZIP,		/* the workbook is zipped on a thread */
	PHASE_FILE		/* the workbook goes out */
};

struct export_job {
	struct request		*r;
	enum export_phase	 phase;
	struct export_writer	 w;		/* the format, the rows so far;
						 * w.out is buf */
	char			*event;
	char			*session;
	const char		*status;
	struct evbuffer		*buf;
	bool			 want_next;	/* a batch, once drained */

	/* XLSX */
	int			 fd;		/* the workbook file */
	char			 path[PATH_MAX];	/* its name, while it has one */
	pthread_t		 thread;
	bool			 zip_ok;
	int			 wake[2];	/* the thread's "done" */
	struct event		*wake_ev;
	off_t			 off, size;
};

static void	export_rows(struct request *, const struct db_result *);

static void
export_job_free(struct request *r, void *arg)
{
	struct export_job *job = arg;

	(void)r;
	if (job->phase == PHASE_ZIP) {
		/* cannot happen: nothing ends a request while its thread
		 * runs (the deadline is off); leak rather than race */
		log_warnx("export: request freed while a workbook was zipped");
		return;
	}
	if (job->buf != NULL)
		evbuffer_free(job->buf);
	export_xlsx_discard(job->w.xlsx);
	if (job->path[0] != '\0')
		unlink(job->path);
	if (job->fd != -1)
		close(job->fd);
	if (job->wake_ev != NULL)
		event_free(job->wake_ev);
	if (job->wake[0] != -1)
		close(job->wake[0]);
	if (job->wake[1] != -1)
		close(job->wake[1]);
	free(job->event);
	free(job->session);
	free(job);
}

/*
 * A file for the workbook.  Where Linux allows, it never has a name
 * (O_TMPFILE) and libxlsxwriter writes it through /proc/self/fd: no
 * attendee list is left in /tmp should the daemon die meanwhile.
 * Elsewhere it is a mkstemp file, unlinked as soon as it is open.
 */
static bool
export_tmpfile(struct export_job *job, char *name, size_t namelen)
{
	const char *dir = getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
#ifdef O_TMPFILE
	if ((job->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) != -1) {
		snprintf(name, namelen, "/proc/self/fd/%d", job->fd);
		if (access(name, W_OK) == 0)
			return true;
		close(job->fd);
		job->fd = -1;
	}
#endif
	snprintf(job->path, sizeof(job->path), "%s/leerkans-export-XXXXXX",
	    dir);
	if ((job->fd = mkostemp(job->path, O_CLOEXEC)) == -1) {
		log_warn("export: cannot make a temporary file in %s", dir);
		job->path[0] = '\0';
		return false;
	}
	snprintf(name, namelen, "%s", job->path);
	return true;
}

static void
export_fail(struct export_job *job, const char *why)
{
	log_warnx("%s %s: export failed: %s", router_method_name(
	    job->r->method), job->r->log_path, why);
	if (job->r->stream != STREAM_NONE)
		request_stream_end(job->r, false);
	else
		request_problem(job->r, 500, "internal-error",
		    "The export could not be made", NULL, NULL);
}

static void
export_disposition(struct export_job *job)
{
	char v[300];

	snprintf(v, sizeof(v), "attachment; filename=\"%s%s%s-attendees.%s\"",
	    job->event, job->session ? "-" : "", job->session ? job->session :
	    "", export_extension(job->w.format));
	request_add_header(job->r, "Content-Disposition", v);
}

/* -- sending the finished workbook -------------------------------------- */

static void
export_send_file(struct request *r, void *arg)
{
	struct export_job *job = arg;
	char block[FILE_CHUNK];
	ssize_t n;

	while (job->off < job->size) {
		n = pread(job->fd, block, sizeof(block), job->off);
		if (n <= 0) {
			export_fail(job, n == 0 ? "workbook shorter than said" :
			    strerror(errno));
			return;
		}
		job->off += n;
		evbuffer_add(job->buf, block, (size_t)n);
		if (!request_stream_write(r, job->buf))
			return;		/* export_send_file again when drained */
	}
	request_stream_end(r, true);
}

/* The thread is done (loop side). */
static void
export_zipped(evutil_socket_t fd, short what, void *arg)
{
	struct export_job *job = arg;
	struct request *r = job->r;
	char byte, clen[32];
	struct stat st;

	(void)what;
	if (read(fd, &byte, 1) != 1 && errno == EAGAIN)
		return;
	event_del(job->wake_ev);
	pthread_join(job->thread, NULL);
	job->phase = PHASE_FILE;
	job->w.xlsx = NULL;		/* the thread freed it */
	if (!job->zip_ok) {
		export_fail(job, "libxlsxwriter could not write the workbook");
		return;
	}
	if (job->path[0] != '\0') {
		unlink(job->path);
		job->path[0] = '\0';
	}
	if (fstat(job->fd, &st) == -1 || st.st_size == 0) {
		export_fail(job, "the workbook file is empty");
		return;
	}
	job->size = st.st_size;
	snprintf(clen, sizeof(clen), "%lld", (long long)st.st_size);
	export_disposition(job);
	/* a known length: the file goes out plain, not chunked */
	request_add_header(r, "Content-Length", clen);
	if (!request_stream_start(r, 200, export_content_type(job->w.format),
	    export_send_file, job))
		return;
	export_send_file(r, job);
}

static void *
export_zip_thread(void *arg)
{
	struct export_job *job = arg;
	char byte = 1;

	job->zip_ok = export_xlsx_close(job->w.xlsx);
	while (write(job->wake[1], &byte, 1) == -1 && errno == EINTR)
		;
	return NULL;
}

static void
export_start_zip(struct export_job *job)
{
	struct request *r = job->r;

	if (pipe2(job->wake, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    (job->wake_ev = event_new(r->srv->base, job->wake[0],
	    EV_READ | EV_PERSIST, export_zipped, job)) == NULL ||
	    event_add(job->wake_ev, NULL) == -1) {
		export_fail(job, "cannot set up the workbook thread");
		return;
	}
	/* nothing may end the request while the thread has the workbook */
	request_deadline(r, false);
	job->phase = PHASE_ZIP;
	if ((errno = pthread_create(&job->thread, NULL, export_zip_thread,
	    job)) != 0) {
		log_warn("export: cannot start a thread");
		job->phase = PHASE_ROWS;
		export_fail(job, "cannot start the workbook thread");
	}
}

/* -- rows ---------------------------------------------------------------- */

static void
export_drained(struct request *r, void *arg)
{
	struct export_job *job = arg;

	if (job->want_next) {
		job->want_next = false;
		request_db_next(r);
	}
}

static bool
export_stream_start(struct export_job *job)
{
	export_disposition(job);
	if (!request_stream_start(job->r, 200,
	    export_content_type(job->w.format), export_drained, job))
		return false;
	export_write_begin(&job->w);
	return true;
}

/* One batch of the cursor, through the row loop both programs share. */
static void
export_rows(struct request *r, const struct db_result *res)
{
	struct export_job *job = r->cleanup_arg;

	if (res->status != DB_OK) {
		if (r->stream == STREAM_NONE)
			request_db_failed(r, res);
		else {
			log_warnx("%s %s: the database failed during the "
			    "export: SQLSTATE %s", router_method_name(r->method),
			    r->log_path, res->sqlstate ? res->sqlstate : "-");
			request_stream_end(r, false);
		}
		return;
	}
	if (job->w.format != EXPORT_XLSX && r->stream == STREAM_NONE &&
	    !export_stream_start(job))
		return;		/* the client left; r is gone */
	if (!export_rows_write(&job->w, res)) {
		export_fail(job, job->w.error);
		return;
	}
	if (job->w.format == EXPORT_XLSX) {
		if (res->more)
			request_db_next(r);
		else
			export_start_zip(job);
		return;
	}
	if (!res->more) {
		export_write_end(&job->w);
		(void)request_stream_write(r, job->buf);
		request_stream_end(r, true);
		return;
	}
	if (request_stream_write(r, job->buf))
		request_db_next(r);
	else
		job->want_next = true;
}

static void
export_begun(struct request *r, const struct db_result *res)
{
	struct export_job *job = r->cleanup_arg;
	const char *params[3];
	char name[PATH_MAX], title[200];

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (r->method == EVHTTP_REQ_HEAD) {
		/* the headers GET would send, without making the list */
		export_disposition(job);
		if (request_stream_start(r, 200,
		    export_content_type(job->w.format), NULL, NULL))
			request_stream_end(r, true);
		return;
	}
	if (job->w.format == EXPORT_XLSX) {
		if (!export_tmpfile(job, name, sizeof(name))) {
			export_fail(job, "no temporary file");
			return;
		}
		snprintf(title, sizeof(title), "Attendees of %s", job->event);
		if ((job->w.xlsx = export_xlsx_new(name, NULL, title)) ==
		    NULL) {
			export_fail(job, "libxlsxwriter could not start a "
			    "workbook");
			return;
		}
	}
	job->phase = PHASE_ROWS;
	params[0] = job->event;
	params[1] = job->session;
	params[2] = job->status;
	request_db_cursor(r, job->w.profile == EXPORT_SHEET ?
	    sql_attendees_sheet_cursor : sql_attendees_cursor, 3, params,
	    export_rows);
}

void
h_attendees(struct request *r)
{
	attendees_export(r, r->organiser);
}

/*
 * The attendee list of the event r->params[0], by the query's format,
 * profile, session, status and delimiter, recorded in the audit log as
 * exported by actor: the API's export (a token's name) and the
 * console's buttons (handlers/roster.c, the user's address) alike.
 */
void
attendees_export(struct request *r, const char *actor)
{
	const char *format = request_arg(r, "format");
	const char *profile = request_arg(r, "profile");
	enum export_profile prof = EXPORT_PLAIN;
	const char *session = request_arg(r, "session");
	const char *status = request_arg(r, "status");
	const char *delim_arg = request_arg(r, "delimiter");
	const char *const *f;
	const char *params[6];
	json_t *errors = json_array();
	struct export_job *job;
	enum export_format fmt = EXPORT_JSON;
	char delim = ',';

	if (!valid_slug(r->params[0])) {
		json_decref(errors);
		request_not_found(r);
		return;
	}
	if (format != NULL && !export_format_parse(format, &fmt))
		validate_error(errors, "format", "must be csv, json or xlsx");
	if (session != NULL && *session == '\0')
		session = NULL;
	if (session != NULL && !valid_slug(session))
		validate_error(errors, "session", "must be a session's slug");
	if (status == NULL || *status == '\0')
		status = "active";
	for (f = status_filters; *f != NULL && strcmp(*f, status) != 0; f++)
		;
	if (*f == NULL)
		validate_error(errors, "status", "must be one of active, "
		    "confirmed, waitlisted, cancelled, checked-in, all");
	if (delim_arg != NULL && !export_delimiter_parse(delim_arg, &delim))
		validate_error(errors, "delimiter", "must be comma or "
		    "semicolon");
	if (profile != NULL && !export_profile_parse(profile, &prof))
		validate_error(errors, "profile", "must be plain or excel");
	else if (prof == EXPORT_SHEET) {
		/* a spreadsheet's CSV: semicolons, whatever was asked */
		if (format == NULL)
			fmt = EXPORT_CSV;
		else if (fmt != EXPORT_CSV)
			validate_error(errors, "profile", "excel is a CSV "
			    "profile; use it with format=csv");
		delim = ';';
	}
	if (json_array_size(errors) > 0) {
		request_invalid(r, errors);
		return;
	}
	json_decref(errors);

	if ((job = calloc(1, sizeof(*job))) == NULL ||
	    (job->buf = evbuffer_new()) == NULL ||
	    (job->event = strdup(r->params[0])) == NULL ||
	    (session != NULL && (job->session = strdup(session)) == NULL)) {
		if (job != NULL) {
			if (job->buf != NULL)
				evbuffer_free(job->buf);
			free(job->event);
			free(job);
		}
		request_out_of_memory(r);
		return;
	}
	job->r = r;
	job->fd = -1;
	job->wake[0] = job->wake[1] = -1;
	job->status = *f;
	job->w.format = fmt;
	job->w.profile = prof;
	job->w.delim = delim;
	job->w.event = job->event;
	job->w.session = job->session;
	job->w.out = job->buf;
	request_on_free(r, export_job_free, job);

	params[0] = job->event;
	params[1] = job->session;
	params[2] = job->status;
	params[3] = export_extension(fmt);
	params[4] = actor;
	params[5] = r->method == EVHTTP_REQ_HEAD ? "false" : "true";
	request_db(r, sql_export_begin, 6, params, export_begun);
}

/* -- check-in ------------------------------------------------------------ */

static void
reply_json_row(struct request *r, const struct db_result *res)
{
	request_reply_row(r, res, 200, NULL);
}

static void
check_in(struct request *r, bool present)
{
	const char *params[4];
	char margin[16];

	if (!valid_id(r->params[0])) {
		request_problem(r, 404, "not-found", "Not found",
		    "There is no such registration.", NULL);
		return;
	}
	snprintf(margin, sizeof(margin), "%d",
	    r->srv->s->checkin_margin_hours);
	params[0] = r->params[0];
	params[1] = present ? "true" : "false";
	params[2] = margin;
	/* the token's scope: a door token may not undo after the day */
	params[3] = account_role_name(r->role);
	request_db(r, sql_check_in, 4, params, reply_json_row);
}

void
h_check_in(struct request *r)
{
	check_in(r, true);
}

void
h_check_in_undo(struct request *r)
{
	check_in(r, false);
}

/* -- the reach report ---------------------------------------------------- */

/* The report as CSV, for a spreadsheet (render/reach.c). */
static void
reach_csv_done(struct request *r, const struct db_result *res)
{
	const char *text = NULL, *delim = request_arg(r, "delimiter");
	struct evbuffer *buf = NULL;
	json_t *report = NULL;
	char disp[80];
	char d = delim != NULL && strcmp(delim, "semicolon") == 0 ? ';' : ',';

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((text = db_result_text(res, NULL)) == NULL ||
	    (report = json_loads(text, 0, NULL)) == NULL ||
	    (buf = evbuffer_new()) == NULL ||
	    !reach_csv(buf, report, d, d == ';')) {
		log_warnx("%s: the reach report could not be written as CSV",
		    r->log_path);
		request_problem(r, 500, "internal-error", "Internal error",
		    "The report could not be written as CSV.", NULL);
		goto done;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"reach-%lld.csv\"",
	    (long long)json_integer_value(json_object_get(report, "year")));
	request_add_header(r, "Content-Disposition", disp);
	request_reply(r, 200, export_content_type(EXPORT_CSV),
	    (const char *)evbuffer_pullup(buf, -1), evbuffer_get_length(buf));
done:
	if (buf != NULL)
		evbuffer_free(buf);
	json_decref(report);
}

void
h_reach(struct request *r)
{
	const char *year = request_arg(r, "year");
	const char *format = request_arg(r, "format");
	const char *delim = request_arg(r, "delimiter");
	const char *params[2];
	json_t *errors = json_array();

	if (year != NULL && *year == '\0')
		year = NULL;
	if (year != NULL && (strlen(year) != 4 ||
	    strspn(year, "0123456789") != 4 || atoi(year) < 1970))
		validate_error(errors, "year", "must be a year, e.g. 2027");
	if (format != NULL && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)
		validate_error(errors, "format", "must be json or csv");
	if (delim != NULL && strcmp(delim, "comma") != 0 &&
	    strcmp(delim, "semicolon") != 0)
		validate_error(errors, "delimiter", "must be comma or "
		    "semicolon");
	if (json_array_size(errors) > 0) {
		request_invalid(r, errors);
		return;
	}
	json_decref(errors);
	params[0] = year;
	params[1] = r->srv->s->erasure_secret;
	request_db(r, sql_reach, 2, params, format != NULL &&
	    strcmp(format, "csv") == 0 ? reach_csv_done : reply_json_row);
}

/* -- erasure ------------------------------------------------------------- */

void
h_erasure(struct request *r)
{
	json_t *errors = json_array(), *v;
	const char *key, *email = NULL;
	const char *params[3];

	json_object_foreach(r->body, key, v) {
		if (strcmp(key, "email") == 0)
			continue;
		validate_error(errors, key, "unknown field");
	}
	v = json_object_get(r->body, "email");
	if (v == NULL)
		validate_error(errors, "email", "is required");
	else if (!json_is_string(v) || strlen(json_string_value(v)) > 254 ||
	    !valid_email(json_string_value(v)))
		validate_error(errors, "email", "must be an e-mail address, "
		    "e.g. an@example.be");
	else
		email = json_string_value(v);
	if (json_array_size(errors) > 0) {
		request_invalid(r, errors);
		return;
	}
	json_decref(errors);
	if (*r->srv->s->erasure_secret == '\0') {
		log_warnx("erasure refused: erasure_secret is not set");
		request_not_configured(r, "erasure-not-configured",
		    "Erasure is not configured",
		    "The server has no erasure_secret "
		    "(LEERKANS_ERASURE_SECRET); set one and restart.");
		return;
	}
	params[0] = email;
	params[1] = r->srv->s->erasure_secret;
	params[2] = r->organiser;
	request_db(r, sql_erase, 3, params, reply_json_row);
}
