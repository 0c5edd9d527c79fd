/*
 * handlers/teller.c - "De teller loopt" in the organiser console
 * (/beheer/teller; docs/CONSOLE.md): the reach report for any dates or
 * one event, as a page with SVG charts (render/teller.c) and as a
 * workbook in Dutch (/beheer/teller.xlsx).
 *
 * The workbook is written by libxlsxwriter to a temporary file and read
 * back on one of the worker threads (base/worker.h), never on the loop:
 * zipping is file I/O and CPU the loop must not wait for.
 */
#include "autoconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/config.h"
#include "base/log.h"
#include "base/worker.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "http/router.h"
#include "http/session.h"
#include "input/validate.h"
#include "render/console.h"
#include "render/html.h"
#include "render/teller.h"
#include "handlers/handlers.h"

#define XLSX_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* the workbook of a few sheets is a few KiB; more is a mistake */
#define XLSX_MAX	(4 * 1024 * 1024)

/* The filter as sent, and what is wrong with it. */
static void
teller_form_read(struct request *r, struct teller_form *f)
{
	int y, m, d;

	memset(f, 0, sizeof(*f));
	f->from = request_arg(r, "from");
	f->to = request_arg(r, "to");
	f->event = request_arg(r, "event");
	if (f->from != NULL && *f->from == '\0')
		f->from = NULL;
	if (f->to != NULL && *f->to == '\0')
		f->to = NULL;
	if (f->event != NULL && *f->event == '\0')
		f->event = NULL;
	if (f->from != NULL && !parse_date(f->from, &y, &m, &d))
		f->from_error = "date";
	if (f->to != NULL && !parse_date(f->to, &y, &m, &d))
		f->to_error = "date";
	if (f->from != NULL && f->to != NULL && f->from_error == NULL &&
	    f->to_error == NULL && strcmp(f->from, f->to) > 0)
		f->to_error = "order";
}

/* The statement for r's filter; false (r answered) for no such event. */
static bool
teller_query(struct request *r, request_db_cb done)
{
	struct teller_form f;
	const char *params[4];

	teller_form_read(r, &f);
	if (f.event != NULL && !valid_slug(f.event)) {
		request_not_found(r);
		return false;
	}
	/* a bad date is not used: the page says so beside its field */
	params[0] = f.from_error == NULL ? f.from : NULL;
	params[1] = f.to_error == NULL && f.from_error == NULL ? f.to : NULL;
	params[2] = f.event;
	params[3] = r->srv->s->erasure_secret;
	request_db(r, sql_teller, 4, params, done);
	return true;
}

static void
page_done(struct request *r, const struct db_result *res)
{
	struct console_ctx c;
	struct teller_form f;
	struct html h;
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	teller_form_read(r, &f);
	session_console_ctx(r, &c);
	html_init(&h);
	teller_page(&h, &c, doc, &f);
	json_decref(doc);
	request_reply_page(r, f.from_error != NULL || f.to_error != NULL ?
	    422 : 200, &h, c.page.lang, false);
}

void
h_teller(struct request *r)
{
	(void)teller_query(r, page_done);
}

/* -- the workbook, on a worker thread ----------------------------------- */

enum xlsx_job_state {
	XLSX_LOOP,		/* on the loop: made, or back */
	XLSX_THREAD		/* a worker thread has it: hands off */
};

struct xlsx_job {
	struct request		*r;		/* NULL once it ended */
	enum xlsx_job_state	 state;
	json_t			*doc;
	char			*bytes;		/* the workbook */
	size_t			 len;
	bool			 ok;
	char			 name[120];	/* for Content-Disposition */
};

static void
xlsx_job_free(struct xlsx_job *job)
{
	json_decref(job->doc);
	free(job->bytes);
	free(job);
}

static void
xlsx_job_detach(struct request *r, void *arg)
{
	struct xlsx_job *job = arg;

	(void)r;
	job->r = NULL;
	if (job->state == XLSX_LOOP)
		xlsx_job_free(job);
}

/* On a worker thread: touches the job and nothing else. */
static void
xlsx_job_run(void *arg)
{
	struct xlsx_job *job = arg;
	const char *dir = getenv("TMPDIR");
	char path[512];
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/leerkans-teller-XXXXXX", dir);
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1)
		return;
	if (!teller_xlsx(job->doc, path, dir))
		goto done;
	if (fstat(fd, &st) == -1 || st.st_size <= 0 || st.st_size > XLSX_MAX ||
	    (job->bytes = malloc((size_t)st.st_size)) == NULL)
		goto done;
	/* libxlsxwriter wrote the file by its name; fd is the same file */
	while (got < (size_t)st.st_size && (n = pread(fd, job->bytes + got,
	    (size_t)st.st_size - got, (off_t)got)) > 0)
		got += (size_t)n;
	job->len = got;
	job->ok = got == (size_t)st.st_size;
done:
	unlink(path);
	close(fd);
}

static void
xlsx_job_back(void *arg, bool ran)
{
	struct xlsx_job *job = arg;
	char disp[200];

	job->state = XLSX_LOOP;
	if (job->r == NULL) {
		xlsx_job_free(job);
		return;
	}
	if (!ran) {
		request_unavailable(job->r, "Shutting down.");
		return;
	}
	if (!job->ok) {
		log_warnx("%s: the reach workbook could not be written",
		    job->r->log_path);
		request_problem(job->r, 500, "internal-error", "Internal error",
		    "The workbook could not be written.", NULL);
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", job->name);
	request_add_header(job->r, "Content-Disposition", disp);
	request_reply(job->r, 200, XLSX_TYPE, job->bytes, job->len);
}

static void
xlsx_done(struct request *r, const struct db_result *res)
{
	struct teller_form f;
	struct xlsx_job *job;
	json_t *doc, *ev;

	teller_form_read(r, &f);
	if ((doc = request_document(r, res)) == NULL)
		return;
	if (f.from_error != NULL || f.to_error != NULL) {
		json_decref(doc);
		request_problem(r, 422, "validation-failed", "Invalid dates",
		    "from and to are dates like 2027-03-18, from first.", NULL);
		return;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL) {
		json_decref(doc);
		request_out_of_memory(r);
		return;
	}
	job->r = r;
	job->doc = doc;
	ev = json_object_get(doc, "event");
	if (json_is_object(ev))
		snprintf(job->name, sizeof(job->name), "teller-%s.xlsx",
		    json_string_value(json_object_get(ev, "slug")));
	else
		snprintf(job->name, sizeof(job->name), "teller-%s-%s.xlsx",
		    json_string_value(json_object_get(doc, "from")),
		    json_string_value(json_object_get(doc, "to")));
	request_on_free(r, xlsx_job_detach, job);
	job->state = XLSX_THREAD;
	if (!worker_submit(r->srv->passwords, xlsx_job_run, xlsx_job_back,
	    job)) {
		job->state = XLSX_LOOP;
		request_unavailable(r, "Too much work at once; try again in a "
		    "moment.");
	}
}

void
h_teller_xlsx(struct request *r)
{
	(void)teller_query(r, xlsx_done);
}
