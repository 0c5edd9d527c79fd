/*
 * handlers/console.c - the organiser console (/beheer/, API.md section
 * 10): logging in and out, the dashboard, an event's summary, and the
 * admin's users, API tokens and audit log.
 *
 * By the time a handler here runs, http/session.c has found the
 * session and checked the route's least role, and a form's CSRF token
 * (docs/CONSOLE.md); the login alone, which has no session yet, checks
 * its form here, with the public pages' double-submit token.  A handler
 * checks its input, makes one database call and hands the answer's JSON
 * to a renderer (render/console.c).
 *
 * Passwords are checked and hashed on the worker threads
 * (base/worker.h), never on the loop: a struct pw_job carries the
 * password there and the answer back.  The request may end meanwhile
 * (its deadline, the client gone); the job then outlives it and frees
 * itself when it comes back.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/config.h"
#include "base/log.h"
#include "base/password.h"
#include "base/ratelimit.h"
#include "base/util.h"
#include "base/worker.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "http/session.h"
#include "input/account.h"
#include "input/eventform.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/console.h"
#include "render/html.h"
#include "render/pages.h"
#include "handlers/console_page.h"
#include "handlers/handlers.h"
#include "handlers/site.h"

/* failed logins are counted in windows of this many seconds */
#define LOGIN_WINDOW	(15 * 60)
/* the audit log names console users' acts "beheer", with their id */
#define ACTOR		"beheer"

/* -- pages ------------------------------------------------------------------ */

/* 303 to a console path, in the reader's language, with a notice. */
static void
console_redirect(struct request *r, const char *path, const char *notice)
{
	char loc[300];
	const char *lq;

	request_lang(r, &lq);
	snprintf(loc, sizeof(loc), "%s%s%s%s%s", path, lq, notice == NULL ?
	    "" : *lq != '\0' ? "&" : "?", notice != NULL ? "m=" : "",
	    notice != NULL ? notice : "");
	request_redirect(r, 303, loc, false);
}

/* The user's id as a parameter text. */
static void
actor_id(struct request *r, char out[24])
{
	snprintf(out, 24, "%lld", r->user != NULL ? r->user->id : 0LL);
}

/* Wipes a form field's value in place (a password, once copied). */
static void
form_wipe(struct form *f, const char *name)
{
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			explicit_bzero(f->fields[i].value,
			    strlen(f->fields[i].value));
}

/*
 * A form field, trimmed of spaces at its ends, into out ("" if absent);
 * false when it does not fit (out is then empty: too long to be any
 * good, and never cut inside a character).
 */
static bool
form_trimmed(const struct form *f, const char *name, char *out, size_t len)
{
	const char *v = form_get(f, name);
	size_t n;

	out[0] = '\0';
	if (v == NULL)
		v = "";
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= len)
		return false;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

static void
field_code(json_t *errors, const char *field, const char *code)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field,
	    "code", code));
}

/* A string member of a document, or "". */
static const char *
jstr_or_empty(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

/* -- password work, off the loop ------------------------------------------- */

enum pw_job_state {
	PW_LOOP,		/* on the loop: made, or back */
	PW_THREAD		/* a worker thread has it: hands off */
};

enum pw_job_kind {
	PW_VERIFY,		/* does password match hash? */
	PW_HASH			/* hash password */
};

struct pw_job {
	struct request		*r;		/* NULL once it ended */
	enum pw_job_state	 state;
	enum pw_job_kind	 kind;
	char			*password;	/* wiped once used */
	char			 hash[PASSWORD_HASH_SIZE];
	char			 rehash[PASSWORD_HASH_SIZE]; /* VERIFY: "" or
						 * one at today's cost */
	bool			 ok;		/* matched, or hashed */
	request_fn		 back;		/* on the loop, with r */

	/* what the login keeps between its steps */
	long long		 user_id;	/* 0: no such account */
	bool			 usable;	/* not disabled */
	char			 login[ACCOUNT_EMAIL_MAX + 1];
	char			 next[600];
	char			 session[TOKEN_LEN + 1];
	/* what a new user's form keeps */
	char			 role[16];
};

static void
pw_job_free(struct pw_job *job)
{
	if (job->password != NULL) {
		explicit_bzero(job->password, strlen(job->password));
		free(job->password);
	}
	explicit_bzero(job, sizeof(*job));
	free(job);
}

/* The request ends: a job on a thread is left to free itself. */
static void
pw_job_detach(struct request *r, void *arg)
{
	struct pw_job *job = arg;

	(void)r;
	job->r = NULL;
	if (job->state == PW_LOOP)
		pw_job_free(job);
}

static struct pw_job *
pw_job_new(struct request *r, enum pw_job_kind kind, const char *password)
{
	struct pw_job *job;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		return NULL;
	if ((job->password = strdup(password)) == NULL) {
		free(job);
		return NULL;
	}
	job->r = r;
	job->kind = kind;
	request_on_free(r, pw_job_detach, job);
	return job;
}

/* On a worker thread: touches the job and nothing else. */
static void
pw_job_run(void *arg)
{
	struct pw_job *job = arg;

	if (job->kind == PW_VERIFY) {
		job->ok = password_verify(job->hash, job->password);
		/* a hash made with an older cost is made again now, while
		 * the password is at hand */
		if (job->ok && password_needs_rehash(job->hash) &&
		    !password_hash(job->password, job->rehash))
			job->rehash[0] = '\0';
	} else
		job->ok = password_hash(job->password, job->hash);
	explicit_bzero(job->password, strlen(job->password));
}

static void
pw_job_back(void *arg, bool ran)
{
	struct pw_job *job = arg;

	job->state = PW_LOOP;
	if (job->r == NULL) {
		pw_job_free(job);	/* its request has ended */
		return;
	}
	if (!ran) {
		request_unavailable(job->r, "Shutting down.");
		return;
	}
	job->back(job->r);
}

/* Hands job to the threads; 503 when they have all they may take. */
static void
pw_job_submit(struct pw_job *job, request_fn back)
{
	struct request *r = job->r;

	job->back = back;
	job->state = PW_THREAD;
	if (!worker_submit(r->srv->passwords, pw_job_run, pw_job_back, job)) {
		job->state = PW_LOOP;
		log_warnx("%s %s: %d password checks under way; refused",
		    router_method_name(r->method), r->log_path,
		    worker_pending(r->srv->passwords));
		request_unavailable(r, "Too many logins at once; try again "
		    "in a moment.");
	}
}

/* -- logging in ------------------------------------------------------------ */

/* Where a login goes afterwards: next when it may, else the dashboard. */
static const char *
login_next(const char *next)
{
	return next != NULL && account_next_ok(next) ? next : "/beheer/";
}

/*
 * The login page; f (may be NULL) with what was sent and wrong, status
 * 200, 401, 422 or 429.
 */
static void
login_page(struct request *r, int status, const struct console_form *f,
    const char *next, int retry_after)
{
	struct web_page wp;
	struct console_ctx c;
	char ra[16];

	web_page_init(&wp, r);
	web_page_csrf(&wp);		/* the pre-session token */
	session_console_ctx(r, &c);
	c.page = wp.c;
	c.email = NULL;			/* no frame for a user here */
	console_login(&wp.h, &c, f, next, retry_after);
	if (status == 401)
		session_challenge(r);
	if (status == 429) {
		snprintf(ra, sizeof(ra), "%d", retry_after);
		request_add_header(r, "Retry-After", ra);
	}
	web_page_reply(&wp, status, false, true);
}

void
h_console_login_get(struct request *r)
{
	const char *next = request_arg(r, CONSOLE_FIELD_NEXT);

	if (r->user != NULL) {
		/* signed in already: where the login would have gone */
		request_redirect(r, 303, login_next(next), false);
		return;
	}
	login_page(r, 200, NULL, next, 0);
}

/* The login refused: the form again, the address kept. */
static void
login_refused(struct request *r, const char *problem, int status,
    int retry_after)
{
	struct console_form f = { r->form, NULL, problem };

	form_wipe(r->form, "password");
	login_page(r, status, &f, form_get(r->form, CONSOLE_FIELD_NEXT),
	    retry_after);
}

static void
login_failed_recorded(struct request *r, const struct db_result *res)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	login_refused(r, "credentials", 401, 0);
}

static void
login_fail(struct request *r, struct pw_job *job)
{
	char id[24];
	const char *param = id;

	if (job->user_id > 0) {
		snprintf(id, sizeof(id), "%lld", job->user_id);
		log_info("console: a login for user %lld failed", job->user_id);
	} else {
		param = NULL;
		log_info("console: a login for no known account failed");
	}
	request_db(r, sql_login_failed, 1, &param, login_failed_recorded);
}

static void
login_done(struct request *r, const struct db_result *res)
{
	struct pw_job *job = r->cleanup_arg;
	time_t now = time(NULL);
	const char *text;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((text = db_result_text(res, NULL)) == NULL) {
		login_fail(r, job);	/* disabled meanwhile */
		return;
	}
	/* only failures count against the limits */
	ratelimit_undo(r->srv->rl_login_addr, request_peer(r), now);
	ratelimit_undo(r->srv->rl_login_account, job->login, now);
	log_info("console: user %lld logged in", job->user_id);
	session_set_cookie(r, job->session);
	request_redirect(r, 303, login_next(job->next), false);
}

/* Back from the thread: signed in, or refused as for any failure. */
static void
login_checked(struct request *r)
{
	struct pw_job *job = r->cleanup_arg;
	char id[24], idle[16], life[16], old[TOKEN_LEN + 1];
	const char *params[6];
	bool had_old;

	if (!job->ok || !job->usable) {
		login_fail(r, job);
		return;
	}
	if (!token_new(job->session)) {
		request_problem(r, 500, "internal-error", "No random bytes",
		    NULL, NULL);
		return;
	}
	had_old = session_token(r, old);
	snprintf(id, sizeof(id), "%lld", job->user_id);
	snprintf(idle, sizeof(idle), "%d", r->srv->s->session_idle_timeout);
	snprintf(life, sizeof(life), "%d", r->srv->s->session_lifetime);
	params[0] = id;
	params[1] = job->session;
	params[2] = had_old ? old : NULL;
	params[3] = idle;
	params[4] = life;
	params[5] = job->rehash[0] != '\0' ? job->rehash : NULL;
	request_db(r, sql_login, 6, params, login_done);
	explicit_bzero(old, sizeof(old));
}

/*
 * The account behind the address, or none: either way the password is
 * checked, against the dummy hash when there is no account, so that an
 * unknown address takes as long as a wrong password.
 */
static void
login_user_found(struct request *r, const struct db_result *res)
{
	struct pw_job *job = r->cleanup_arg;
	const char *id, *hash, *usable;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	id = db_result_value(res, 0, 0);
	hash = db_result_value(res, 0, 1);
	usable = db_result_value(res, 0, 2);
	if (db_result_rows(res) == 1 && id != NULL && hash != NULL &&
	    password_hash_wellformed(hash)) {
		job->user_id = strtoll(id, NULL, 10);
		job->usable = usable != NULL && strcmp(usable, "t") == 0;
		snprintf(job->hash, sizeof(job->hash), "%s", hash);
	} else
		snprintf(job->hash, sizeof(job->hash), "%s", password_dummy());
	pw_job_submit(job, login_checked);
}

void
h_console_login(struct request *r)
{
	char login[ACCOUNT_EMAIL_MAX + 1], typed[ACCOUNT_EMAIL_MAX + 2];
	const char *password = form_get(r->form, "password");
	const char *next = form_get(r->form, CONSOLE_FIELD_NEXT), *param;
	json_t *errors;
	struct pw_job *job;
	time_t now = time(NULL);
	int wait = 0, wait2 = 0;
	bool addr_ok, account_ok;

	if (!web_csrf_ok(r)) {
		form_wipe(r->form, "password");
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	/* an address too long for any account is checked like any other
	 * unknown one (a cut-off copy of it counts against the limits) */
	if (!form_trimmed(r->form, "email", typed, sizeof(typed)))
		snprintf(typed, sizeof(typed), "%.*s", ACCOUNT_EMAIL_MAX,
		    form_get(r->form, "email"));
	if (*typed == '\0' || password == NULL || *password == '\0') {
		struct console_form f = { r->form, NULL, NULL };

		errors = json_array();
		if (*typed == '\0')
			json_array_append_new(errors, json_pack("{s:s, s:s}",
			    "field", "email", "code", VE_REQUIRED));
		if (password == NULL || *password == '\0')
			json_array_append_new(errors, json_pack("{s:s, s:s}",
			    "field", "password", "code", VE_REQUIRED));
		f.errors = errors;
		form_wipe(r->form, "password");
		login_page(r, 422, &f, next, 0);
		json_decref(errors);
		return;
	}
	/*
	 * An address that cannot be one is looked up all the same (as
	 * typed, in lower case): no account has it, so it costs what any
	 * unknown address costs, and counts against the same limits.
	 */
	if (!account_email_normalize(typed, login, sizeof(login))) {
		size_t i;

		for (i = 0; typed[i] != '\0' && i < sizeof(login) - 1; i++)
			login[i] = typed[i] >= 'A' && typed[i] <= 'Z' ?
			    (char)(typed[i] - 'A' + 'a') : typed[i];
		login[i] = '\0';
	}
	addr_ok = ratelimit_check(r->srv->rl_login_addr, request_peer(r), now,
	    &wait);
	account_ok = ratelimit_check(r->srv->rl_login_account, login, now,
	    &wait2);
	if (!addr_ok || !account_ok) {
		if (addr_ok)
			wait = 0;
		if (account_ok)
			wait2 = 0;
		log_info("console: too many failed logins; refused for %d s",
		    wait > wait2 ? wait : wait2);
		login_refused(r, "rate-limited", 429, wait > wait2 ? wait :
		    wait2);
		return;
	}
	/* counted as it begins; taken back if it succeeds */
	(void)ratelimit_hit(r->srv->rl_login_addr, request_peer(r), now, &wait);
	(void)ratelimit_hit(r->srv->rl_login_account, login, now, &wait);
	if ((job = pw_job_new(r, PW_VERIFY, password)) == NULL) {
		form_wipe(r->form, "password");
		request_out_of_memory(r);
		return;
	}
	form_wipe(r->form, "password");
	snprintf(job->login, sizeof(job->login), "%s", login);
	snprintf(job->next, sizeof(job->next), "%s", next != NULL ? next : "");
	param = job->login;
	request_db(r, sql_login_user, 1, &param, login_user_found);
}

static void
logged_out(struct request *r, const struct db_result *res)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	log_info("console: user %lld logged out", r->user->id);
	session_clear_cookie(r);
	console_redirect(r, "/beheer/login", "logged-out");
}

void
h_console_logout(struct request *r)
{
	char token[TOKEN_LEN + 1];
	const char *param = token;

	/* the session check found it; the cookie still names it */
	if (!session_token(r, token)) {
		request_problem(r, 401, "login-required", "Login required",
		    NULL, NULL);
		return;
	}
	request_db(r, sql_logout, 1, &param, logged_out);
	explicit_bzero(token, sizeof(token));
}

/* -- the dashboard and an event -------------------------------------------- */

static void
dashboard_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, console_dashboard);
}

void
h_console_dashboard(struct request *r)
{
	char weeks[16];
	const char *params[2];

	snprintf(weeks, sizeof(weeks), "%d", CONSOLE_PAST_WEEKS);
	params[0] = account_role_name(r->user->role);
	params[1] = weeks;
	request_db(r, sql_console_dashboard, 2, params, dashboard_done);
}

void
h_console_root(struct request *r)
{
	console_redirect(r, "/beheer/", NULL);
}

static void
event_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, console_event);
}

void
h_console_event(struct request *r)
{
	const char *slug = r->params[0];

	if (!valid_slug(slug)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_console_event, 1, &slug, event_done);
}

/* -- events: the form, preview, publish, cancel, duplicate ------------------ */

/*
 * What an event page's handler keeps between its two statements: the
 * refusal's errors (to draw the form again with), the status to answer
 * and the rows to draw.
 */
struct event_job {
	json_t	*errors;	/* NULL: a form drawn afresh */
	int	 status;
	int	 rows;
};

static void
event_job_free(struct request *r, void *arg)
{
	struct event_job *job = arg;

	(void)r;
	json_decref(job->errors);
	free(job);
}

static struct event_job *
event_job_new(struct request *r, int status, int rows)
{
	struct event_job *job;

	if ((job = calloc(1, sizeof(*job))) == NULL) {
		request_out_of_memory(r);
		return NULL;
	}
	job->status = status;
	job->rows = rows;
	request_on_free(r, event_job_free, job);
	return job;
}

/* The slug of the route, or NULL (404 answered) when it cannot be one. */
static const char *
event_slug(struct request *r)
{
	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return NULL;
	}
	return r->params[0];
}

/*
 * The event form drawn from sql_console_event_form's document: with the
 * form sent (r->form) and the job's errors, or, for a GET, the event's
 * values (a new one's defaults).
 */
static void
event_form_done(struct request *r, const struct db_result *res)
{
	struct event_job *job = r->cleanup_arg;
	struct console_page p;
	struct console_form f = { NULL, NULL, NULL };
	struct form vals = { NULL, 0 };
	json_t *doc, *ev, *fresh = NULL;
	int rows;

	if ((doc = request_document(r, res)) == NULL)
		return;
	if (r->form != NULL) {
		f.values = r->form;
		f.errors = job->errors;
		rows = job->rows;
	} else {
		ev = json_object_get(doc, "event");
		if (!json_is_object(ev))
			ev = fresh = json_pack("{s:s, s:s, s:b, s:[]}",
			    "timezone", "Europe/Brussels", "language", "nl",
			    "waitlist", 1, "sessions");
		if (ev == NULL || !eventform_from_event(ev, 2, &vals)) {
			json_decref(fresh);
			json_decref(doc);
			request_out_of_memory(r);
			return;
		}
		json_decref(fresh);
		f.values = &vals;
		rows = eventform_rows(&vals);
	}
	console_page_init(&p, r);
	console_event_form(&p.h, &p.c, doc, &f, rows);
	json_decref(doc);
	form_free(&vals);
	console_page_reply(&p, job->status);
}

/* Draws the event form of slug (NULL: a new event) with status. */
static void
event_form(struct request *r, const char *slug, int status, int rows,
    json_t *errors)
{
	struct event_job *job;

	if ((job = event_job_new(r, status, rows)) == NULL) {
		json_decref(errors);
		return;
	}
	job->errors = errors;
	request_db(r, sql_console_event_form, 1, &slug, event_form_done);
}

void
h_console_event_new(struct request *r)
{
	event_form(r, NULL, 200, 0, NULL);
}

void
h_console_event_edit(struct request *r)
{
	const char *slug;

	if ((slug = event_slug(r)) != NULL)
		event_form(r, slug, 200, 0, NULL);
}

static void
event_saved(struct request *r, const struct db_result *res)
{
	struct db_refusal ref;
	json_t *doc;
	const char *slug = r->params[0];
	char path[128];

	if (res->status != DB_OK) {
		if (!db_result_refusal(res, &ref)) {
			request_db_failed(r, res);
			return;
		}
		if ((ref.status == 422 || ref.status == 409) &&
		    ref.errors != NULL) {
			/* the form again, with every message beside its
			 * field: nothing was saved */
			event_form(r, slug, ref.status, eventform_rows(r->form),
			    json_incref(ref.errors));
			db_refusal_clear(&ref);
			return;
		}
		request_refused(r, &ref);
		return;
	}
	if ((doc = request_document(r, res)) == NULL)
		return;
	snprintf(path, sizeof(path), "/beheer/events/%s",
	    jstr_or_empty(doc, "slug"));
	json_decref(doc);
	log_info("console: user %lld saved event %s", r->user->id, path + 15);
	console_redirect(r, path, slug == NULL ? "event-created" :
	    "event-saved");
}

/* POST of the event form: another row, or save it all at once. */
static void
event_save(struct request *r, const char *slug)
{
	json_t *ev, *errors, *rows;
	char uid[24], *t_ev, *t_err, *t_rows;
	const char *params[6];

	if (form_get(r->form, EVENTFORM_ADD_ROW) != NULL) {
		int n = eventform_rows(r->form);

		event_form(r, slug, 200, n < EVENTFORM_ROWS_MAX ? n + 1 : n,
		    NULL);
		return;
	}
	if (!eventform_read(r->form, slug == NULL, &ev, &errors, &rows)) {
		request_out_of_memory(r);
		return;
	}
	t_ev = json_dumps(ev, JSON_COMPACT);
	t_err = json_dumps(errors, JSON_COMPACT);
	t_rows = json_dumps(rows, JSON_COMPACT);
	json_decref(ev);
	json_decref(errors);
	json_decref(rows);
	if (t_ev == NULL || t_err == NULL || t_rows == NULL) {
		free(t_ev);
		free(t_err);
		free(t_rows);
		request_out_of_memory(r);
		return;
	}
	actor_id(r, uid);
	params[0] = slug;
	params[1] = t_ev;
	params[2] = t_err;
	params[3] = t_rows;
	params[4] = ACTOR;
	params[5] = uid;
	request_db(r, sql_console_event_save, 6, params, event_saved);
	free(t_ev);
	free(t_err);
	free(t_rows);
}

void
h_console_event_create(struct request *r)
{
	event_save(r, NULL);
}

void
h_console_event_update(struct request *r)
{
	const char *slug;

	if ((slug = event_slug(r)) != NULL)
		event_save(r, slug);
}

static void
preview_done(struct request *r, const struct db_result *res)
{
	struct console_page p;
	struct page_ctx pc;
	char back[128];
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	console_page_init(&p, r);
	pc = p.c.page;
	snprintf(back, sizeof(back), "/beheer/events/%s", r->params[0]);
	pc.preview = back;
	/* the form is drawn as it will be, but cannot be sent: a draft
	 * takes no registrations, and this is no token */
	pc.csrf = "preview";
	pc.idem = "preview";
	(void)pages_event(&p.h, &pc, doc);
	json_decref(doc);
	console_page_reply(&p, 200);
}

void
h_console_event_preview(struct request *r)
{
	const char *slug;

	if ((slug = event_slug(r)) != NULL)
		request_db(r, sql_console_event_preview, 1, &slug,
		    preview_done);
}

/* An act on the event r->params[0] made: back to it with notice. */
static void
event_acted(struct request *r, const struct db_result *res,
    const char *notice)
{
	char path[128];

	if (res->status != DB_OK) {
		request_db_failed(r, res);	/* 409: a page saying why */
		return;
	}
	snprintf(path, sizeof(path), "/beheer/events/%s", r->params[0]);
	log_info("console: user %lld: %s %s", r->user->id, notice,
	    r->params[0]);
	console_redirect(r, path, notice);
}

static void
event_published(struct request *r, const struct db_result *res)
{
	event_acted(r, res, "event-published");
}

static void
event_cancelled(struct request *r, const struct db_result *res)
{
	event_acted(r, res, "event-cancelled");
}

/* One act on the event: sql with the slug, the actor and their id. */
static void
event_act(struct request *r, const char *sql, request_db_cb done)
{
	char uid[24];
	const char *params[3];

	if ((params[0] = event_slug(r)) == NULL)
		return;
	actor_id(r, uid);
	params[1] = ACTOR;
	params[2] = uid;
	request_db(r, sql, 3, params, done);
}

void
h_console_event_publish(struct request *r)
{
	event_act(r, sql_console_event_publish, event_published);
}

void
h_console_event_cancel(struct request *r)
{
	event_act(r, sql_console_event_cancel, event_cancelled);
}

static void
cancel_page_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, console_event_cancel);
}

void
h_console_event_cancel_get(struct request *r)
{
	const char *slug;

	if ((slug = event_slug(r)) != NULL)
		request_db(r, sql_console_event, 1, &slug, cancel_page_done);
}

static void
duplicate_page_done(struct request *r, const struct db_result *res)
{
	struct event_job *job = r->cleanup_arg;
	struct console_form f = { r->form, NULL, NULL };
	struct console_page p;
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	f.errors = job != NULL ? job->errors : NULL;
	console_page_init(&p, r);
	console_event_duplicate(&p.h, &p.c, doc, r->form != NULL ? &f : NULL);
	json_decref(doc);
	console_page_reply(&p, job != NULL ? job->status : 200);
}

/* The duplicate form of r->params[0], with errors (taken) and status. */
static void
duplicate_page(struct request *r, int status, json_t *errors)
{
	struct event_job *job;
	const char *slug = r->params[0];

	if ((job = event_job_new(r, status, 0)) == NULL) {
		json_decref(errors);
		return;
	}
	job->errors = errors;
	request_db(r, sql_console_event, 1, &slug, duplicate_page_done);
}

void
h_console_event_duplicate_get(struct request *r)
{
	if (event_slug(r) != NULL)
		duplicate_page(r, 200, NULL);
}

static void
duplicated(struct request *r, const struct db_result *res)
{
	struct db_refusal ref;
	json_t *doc;
	char path[128];

	if (res->status != DB_OK) {
		if (!db_result_refusal(res, &ref)) {
			request_db_failed(r, res);
			return;
		}
		if ((ref.status == 422 || ref.status == 409) &&
		    ref.errors != NULL) {
			duplicate_page(r, ref.status, json_incref(ref.errors));
			db_refusal_clear(&ref);
			return;
		}
		request_refused(r, &ref);
		return;
	}
	if ((doc = request_document(r, res)) == NULL)
		return;
	snprintf(path, sizeof(path), "/beheer/events/%s/edit",
	    jstr_or_empty(doc, "slug"));
	json_decref(doc);
	log_info("console: user %lld duplicated event %s", r->user->id,
	    r->params[0]);
	console_redirect(r, path, "event-duplicated");
}

void
h_console_event_duplicate(struct request *r)
{
	char new_slug[100], weeks[16], uid[24], *errs;
	const char *params[6];
	json_t *errors = json_array();
	char *end;
	long w = 0;

	if (event_slug(r) == NULL) {
		json_decref(errors);
		return;
	}
	if (!form_trimmed(r->form, EVENTFORM_NEW_SLUG, new_slug,
	    sizeof(new_slug)) || (*new_slug != '\0' && !valid_slug(new_slug)))
		field_code(errors, EVENTFORM_NEW_SLUG, VE_INVALID);
	else if (*new_slug == '\0')
		field_code(errors, EVENTFORM_NEW_SLUG, VE_REQUIRED);
	if (!form_trimmed(r->form, EVENTFORM_WEEKS, weeks, sizeof(weeks)) ||
	    *weeks == '\0' || (w = strtol(weeks, &end, 10), *end != '\0') ||
	    w < -EVENTFORM_WEEKS_MAX || w > EVENTFORM_WEEKS_MAX)
		field_code(errors, EVENTFORM_WEEKS, *weeks == '\0' ?
		    VE_REQUIRED : VE_INVALID);
	snprintf(weeks, sizeof(weeks), "%ld", w);
	errs = json_dumps(errors, JSON_COMPACT);
	json_decref(errors);
	if (errs == NULL) {
		request_out_of_memory(r);
		return;
	}
	actor_id(r, uid);
	params[0] = r->params[0];
	params[1] = new_slug;
	params[2] = weeks;
	params[3] = errs;
	params[4] = ACTOR;
	params[5] = uid;
	request_db(r, sql_console_event_duplicate, 6, params, duplicated);
	free(errs);
}

/* -- users ---------------------------------------------------------------- */

static void
users_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, console_users);
}

void
h_console_users(struct request *r)
{
	request_db(r, sql_users, 0, NULL, users_done);
}

/* A form drawn with render, sent back with errors (or fresh). */
static void
form_page(struct request *r, int status, json_t *errors,
    void (*render)(struct html *, const struct console_ctx *,
    const struct console_form *))
{
	struct console_form f = { r->form, errors, NULL };
	struct console_page p;

	console_page_init(&p, r);
	render(&p.h, &p.c, r->form != NULL ? &f : NULL);
	console_page_reply(&p, status);
}

void
h_console_user_new(struct request *r)
{
	form_page(r, 200, NULL, console_user_new);
}

/*
 * The answer of lk_user_create or lk_token_create: 303 to the list, the
 * form again for a refusal with field errors (422, 409), else the
 * refusal's page.  render draws the form.
 */
static bool
form_refused(struct request *r, const struct db_result *res,
    void (*render)(struct html *, const struct console_ctx *,
    const struct console_form *))
{
	struct db_refusal ref;

	if (res->status == DB_OK)
		return false;
	if (!db_result_refusal(res, &ref)) {
		request_db_failed(r, res);
		return true;
	}
	if ((ref.status == 422 || ref.status == 409) && ref.errors != NULL) {
		form_page(r, ref.status, ref.errors, render);
		db_refusal_clear(&ref);
		return true;
	}
	request_refused(r, &ref);
	return true;
}

static void
user_created(struct request *r, const struct db_result *res)
{
	if (form_refused(r, res, console_user_new))
		return;
	log_info("console: user %lld added an account", r->user->id);
	console_redirect(r, "/beheer/users", "user-created");
}

/* Sends the new account to lk_user_create: hash NULL with errors. */
static void
user_create_send(struct request *r, const char *login, const char *role,
    const char *hash, json_t *errors)
{
	char uid[24], *errs;
	const char *params[6];

	if ((errs = json_dumps(errors, JSON_COMPACT)) == NULL) {
		request_out_of_memory(r);
		return;
	}
	actor_id(r, uid);
	params[0] = login;
	params[1] = role;
	params[2] = hash;
	params[3] = errs;
	params[4] = ACTOR;
	params[5] = uid;
	request_db(r, sql_user_create, 6, params, user_created);
	free(errs);
}

static void
user_hashed(struct request *r)
{
	struct pw_job *job = r->cleanup_arg;
	json_t *errors;

	if (!job->ok) {
		request_problem(r, 500, "internal-error", "The password could "
		    "not be hashed", NULL, NULL);
		return;
	}
	errors = json_array();
	user_create_send(r, job->login, job->role, job->hash, errors);
	json_decref(errors);
}

void
h_console_user_create(struct request *r)
{
	static const char *const codes[] = {
		[PASSWORD_SHORT] = "short",
		[PASSWORD_LONG] = VE_TOO_LONG,
		[PASSWORD_INVALID] = VE_CONTROL,
	};
	char typed[ACCOUNT_EMAIL_MAX + 2], login[ACCOUNT_EMAIL_MAX + 1] = "";
	const char *pw = form_get(r->form, "password");
	const char *pw2 = form_get(r->form, "password2");
	const char *rolename = form_get(r->form, "role");
	enum account_password pwc = PASSWORD_OK;
	enum account_role role = ROLE_NONE;
	json_t *errors = json_array();
	struct pw_job *job;

	if (!form_trimmed(r->form, "email", typed, sizeof(typed)))
		field_code(errors, "email", VE_INVALID);
	else if (*typed == '\0')
		field_code(errors, "email", VE_REQUIRED);
	else if (!account_email_normalize(typed, login, sizeof(login)))
		field_code(errors, "email", VE_INVALID);
	if (!account_role_parse(rolename, &role))
		field_code(errors, "role", VE_CHOICE);
	if (pw == NULL || *pw == '\0')
		field_code(errors, "password", VE_REQUIRED);
	else if ((pwc = account_password_check(pw)) != PASSWORD_OK)
		field_code(errors, "password", codes[pwc]);
	if (pw2 == NULL || *pw2 == '\0')
		field_code(errors, "password2", VE_REQUIRED);
	else if (pw != NULL && strcmp(pw, pw2) != 0)
		field_code(errors, "password2", "mismatch");
	if (json_array_size(errors) > 0) {
		/* the database adds an address in use, all in one answer */
		form_wipe(r->form, "password");
		form_wipe(r->form, "password2");
		user_create_send(r, *login != '\0' ? login : typed,
		    account_role_name(role) != NULL ?
		    account_role_name(role) : "", NULL, errors);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	job = pw_job_new(r, PW_HASH, pw);
	form_wipe(r->form, "password");
	form_wipe(r->form, "password2");
	if (job == NULL) {
		request_out_of_memory(r);
		return;
	}
	snprintf(job->login, sizeof(job->login), "%s", login);
	snprintf(job->role, sizeof(job->role), "%s", account_role_name(role));
	pw_job_submit(job, user_hashed);
}

/* A change of an account made: back to the list, saying what changed. */
static void
user_changed(struct request *r, const struct db_result *res,
    const char *notice)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);	/* 409 last-admin: a page */
		return;
	}
	log_info("console: user %lld changed account %s (%s)", r->user->id,
	    r->params[0], notice);
	console_redirect(r, "/beheer/users", notice);
}

static void
user_disabled(struct request *r, const struct db_result *res)
{
	user_changed(r, res, "user-disabled");
}

static void
user_enabled(struct request *r, const struct db_result *res)
{
	user_changed(r, res, "user-enabled");
}

static void
user_role_changed(struct request *r, const struct db_result *res)
{
	user_changed(r, res, "user-role");
}

/* One change of the account r->params[0]; done answers. */
static void
user_change(struct request *r, json_t *change, request_db_cb done)
{
	char uid[24], *text;
	const char *params[4];

	if (!valid_id(r->params[0])) {
		json_decref(change);
		request_not_found(r);
		return;
	}
	text = change != NULL ? json_dumps(change, JSON_COMPACT) : NULL;
	json_decref(change);
	if (text == NULL) {
		request_out_of_memory(r);
		return;
	}
	actor_id(r, uid);
	params[0] = r->params[0];
	params[1] = text;
	params[2] = ACTOR;
	params[3] = uid;
	request_db(r, sql_user_update, 4, params, done);
	free(text);
}

void
h_console_user_disable(struct request *r)
{
	user_change(r, json_pack("{s:b}", "disabled", 1), user_disabled);
}

void
h_console_user_enable(struct request *r)
{
	user_change(r, json_pack("{s:b}", "disabled", 0), user_enabled);
}

void
h_console_user_role(struct request *r)
{
	enum account_role role;

	if (!account_role_parse(form_get(r->form, "role"), &role)) {
		request_problem(r, 400, "malformed-body", "Malformed body",
		    "role is admin, organiser or door.", NULL);
		return;
	}
	user_change(r, json_pack("{s:s}", "role", account_role_name(role)),
	    user_role_changed);
}

/* -- API tokens ----------------------------------------------------------- */

static void
tokens_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, console_tokens);
}

void
h_console_tokens(struct request *r)
{
	request_db(r, sql_tokens, 0, NULL, tokens_done);
}

void
h_console_token_new(struct request *r)
{
	form_page(r, 200, NULL, console_token_new);
}

/* The new token, until the page that shows it once is drawn. */
struct token_made {
	char	secret[TOKEN_LEN + 1];
};

static void
token_made_free(struct request *r, void *arg)
{
	(void)r;
	explicit_bzero(arg, sizeof(struct token_made));
	free(arg);
}

static void
token_created(struct request *r, const struct db_result *res)
{
	struct token_made *t = r->cleanup_arg;
	struct console_page p;
	json_t *doc;

	if (form_refused(r, res, console_token_new))
		return;
	if ((doc = request_document(r, res)) == NULL)
		return;
	log_info("console: user %lld created an API token", r->user->id);
	console_page_init(&p, r);
	console_token_made(&p.h, &p.c, doc, t->secret);
	json_decref(doc);
	console_page_reply(&p, 201);
}

void
h_console_token_create(struct request *r)
{
	char name[101 * 4], uid[24], *errs;
	const char *scope = form_get(r->form, "scope"), *params[6];
	enum account_role role = ROLE_NONE;
	json_t *errors = json_array();
	struct token_made *t;
	size_t i;

	if (!form_trimmed(r->form, "name", name, sizeof(name)) ||
	    utf8_length(name) > 100)
		field_code(errors, "name", VE_TOO_LONG);
	else if (*name == '\0')
		field_code(errors, "name", VE_REQUIRED);
	for (i = 0; name[i] != '\0'; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
			field_code(errors, "name", VE_CONTROL);
			break;
		}
	if (!account_role_parse(scope, &role) || role == ROLE_ADMIN)
		field_code(errors, "scope", VE_CHOICE);
	errs = json_dumps(errors, JSON_COMPACT);
	json_decref(errors);
	if (errs == NULL || (t = calloc(1, sizeof(*t))) == NULL) {
		free(errs);
		request_out_of_memory(r);
		return;
	}
	request_on_free(r, token_made_free, t);
	if (!token_new(t->secret)) {
		free(errs);
		request_problem(r, 500, "internal-error", "No random bytes",
		    NULL, NULL);
		return;
	}
	actor_id(r, uid);
	params[0] = name;
	params[1] = t->secret;
	params[2] = role == ROLE_NONE ? "" : account_role_name(role);
	params[3] = errs;
	params[4] = ACTOR;
	params[5] = uid;
	request_db(r, sql_token_create, 6, params, token_created);
	free(errs);
}

static void
token_revoked(struct request *r, const struct db_result *res)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	log_info("console: user %lld revoked API token %s", r->user->id,
	    r->params[0]);
	console_redirect(r, "/beheer/tokens", "token-revoked");
}

void
h_console_token_revoke(struct request *r)
{
	char uid[24];
	const char *params[3];

	if (!valid_id(r->params[0])) {
		request_not_found(r);
		return;
	}
	actor_id(r, uid);
	params[0] = r->params[0];
	params[1] = ACTOR;
	params[2] = uid;
	request_db(r, sql_token_revoke, 3, params, token_revoked);
}

/* -- the audit log --------------------------------------------------------- */

static void
audit_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, console_audit);
}

void
h_console_audit(struct request *r)
{
	const char *action = request_arg(r, "action");
	const char *before = request_arg(r, "before"), *params[3];
	char n[16];

	if (action != NULL && *action == '\0')
		action = NULL;
	if (before != NULL && *before == '\0')
		before = NULL;
	/* an unknown filter is a link gone wrong: the whole log */
	if (action != NULL && !console_audit_action(action))
		action = NULL;
	if (before != NULL && !valid_id(before))
		before = NULL;
	snprintf(n, sizeof(n), "%d", CONSOLE_AUDIT_PAGE);
	params[0] = action;
	params[1] = before;
	params[2] = n;
	request_db(r, sql_audit_page, 3, params, audit_done);
}
