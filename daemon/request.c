/*
 * request.c - one request's life: deadline, database work, the answer.
 */
#include "autoconf.h"

#include <sys/queue.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "config.h"
#include "form.h"
#include "http.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "util.h"
#include "validate.h"
#include "web.h"

static void	request_free(struct request *);
static void	request_log(struct request *, int, size_t, const char *);

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

static void
request_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct request *r = arg;

	(void)fd;
	(void)what;
	if (r->stream == STREAM_ON) {
		log_warnx("%s %s: the database gave no rows within %d s; "
		    "the reply is cut short", router_method_name(r->method),
		    r->log_path, r->srv->s->request_timeout);
		request_stream_end(r, false);
		return;
	}
	if (r->stream != STREAM_NONE)
		return;
	log_warnx("%s %s: no answer within %d s", router_method_name(r->method),
	    r->log_path, r->srv->s->request_timeout);
	request_unavailable(r, "The request took too long; try again.");
}

void
request_deadline(struct request *r, bool on)
{
	struct timeval tv;

	r->deadline_set = true;
	if (!on) {
		evtimer_del(r->deadline);
		return;
	}
	tv.tv_sec = r->srv->s->request_timeout;
	tv.tv_usec = 0;
	evtimer_add(r->deadline, &tv);
}

void
request_on_free(struct request *r, request_cb cb, void *arg)
{
	r->cleanup = cb;
	r->cleanup_arg = arg;
}

struct request *
request_new(struct server *srv, struct evhttp_request *ev)
{
	struct request *r;

	/* the deadline's event lives behind the request: one allocation */
	if ((r = calloc(1, sizeof(*r) + event_get_struct_event_size())) ==
	    NULL)
		return NULL;
	r->srv = srv;
	r->ev = ev;
	r->method = evhttp_request_get_command(ev);
	TAILQ_INIT(&r->query);
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->deadline = (struct event *)(void *)(r + 1);
	if (evtimer_assign(r->deadline, srv->base, request_deadline_cb, r) ==
	    -1) {
		free(r);
		return NULL;
	}
	srv->inflight++;
	return r;
}

void
request_dispatch(struct request *r, request_fn handler)
{
	struct server *srv = r->srv;

	srv->dispatching = r;
	handler(r);
	/*
	 * Most answers are made before the handler returns; only a request
	 * left waiting (for the database, a rendering, another request)
	 * needs its deadline.
	 */
	if (srv->dispatching == r && !r->finished && !r->deadline_set)
		request_deadline(r, true);
	srv->dispatching = NULL;
}

static void
request_db_done(const struct db_result *res, void *arg)
{
	struct request *r = arg;
	request_db_cb cb = r->pending_cb;

	r->pending = NULL;
	r->pending_cb = NULL;
	cb(r, res);
}

void
request_db(struct request *r, const char *sql, int nparams,
    const char *const *params, request_db_cb cb)
{
	r->pending_cb = cb;
	r->pending = db_pool_submit(r->srv->pool, sql, nparams, params,
	    request_db_done, r);
	if (r->pending == NULL) {
		r->pending_cb = NULL;
		request_problem(r, 500, "internal-error", "Out of memory",
		    NULL, NULL);
	}
}

static void
request_cursor_done(const struct db_result *res, void *arg)
{
	struct request *r = arg;
	request_db_cb cb = r->pending_cb;

	if (!res->more) {
		r->pending = NULL;
		r->pending_cb = NULL;
	}
	if (r->stream != STREAM_NONE)
		evtimer_del(r->deadline);
	cb(r, res);
}

void
request_db_cursor(struct request *r, const char *sql, int nparams,
    const char *const *params, int batch, request_db_cb cb)
{
	r->pending_cb = cb;
	r->pending = db_pool_cursor(r->srv->pool, sql, nparams, params, batch,
	    request_cursor_done, r);
	if (r->pending == NULL) {
		r->pending_cb = NULL;
		request_problem(r, 500, "internal-error", "Out of memory",
		    NULL, NULL);
	}
}

void
request_db_next(struct request *r)
{
	if (r->pending == NULL)
		return;
	request_deadline(r, true);
	db_cursor_next(r->pending);
}

const char *
request_header(struct request *r, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev),
	    name);
}

void
request_add_header(struct request *r, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), name,
	    value);
}

const char *
request_arg(struct request *r, const char *name)
{
	return evhttp_find_header(&r->query, name);
}

static void
request_log(struct request *r, int status, size_t len, const char *note)
{
	char line[LOG_ACCESS_MAX + 1];
	const char *method = router_method_name(r->method);
	const char *path = r->log_path[0] ? r->log_path : "/";
	struct timespec now;
	unsigned long long tenths;
	size_t n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	tenths = (unsigned long long)((now.tv_sec - r->started.tv_sec) * 10000 +
	    (now.tv_nsec - r->started.tv_nsec) / 100000 + 5) / 10;
	/* "GET /path 200 1234 0.4ms note" */
	n = str_put(line, sizeof(line), 0, method, strlen(method));
	n = str_put(line, sizeof(line), n, " ", 1);
	n = str_put(line, sizeof(line), n, path, strlen(path));
	n = str_put(line, sizeof(line), n, " ", 1);
	n = str_put_uint(line, sizeof(line), n, (unsigned)status);
	n = str_put(line, sizeof(line), n, " ", 1);
	n = str_put_uint(line, sizeof(line), n, len);
	n = str_put(line, sizeof(line), n, " ", 1);
	n = str_put_uint(line, sizeof(line), n, tenths / 10);
	n = str_put(line, sizeof(line), n, ".", 1);
	n = str_put_uint(line, sizeof(line), n, tenths % 10);
	n = str_put(line, sizeof(line), n, "ms", 2);
	if (note != NULL)
		n = str_put(line, sizeof(line), n, note, strlen(note));
	log_access(line, n);
}

/*
 * Finishes r.  With release, body is not copied: evhttp sends it from
 * where it is and calls release(body, len, arg) once it is written (or
 * at once, if it is not sent at all).
 */
static void
request_reply_body(struct request *r, int status, const char *ctype,
    const char *body, size_t len, evbuffer_ref_cleanup_cb release, void *arg)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	struct evbuffer *out = evhttp_request_get_output_buffer(r->ev);
	char clen[32];
	bool sent = false;

	if (r->finished) {
		if (release != NULL)
			release(body, len, arg);
		return;
	}
	r->finished = true;
	if (ctype != NULL)
		evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (evhttp_find_header(h, "Cache-Control") == NULL)
		evhttp_add_header(h, "Cache-Control", "no-store");
	if (r->srv->draining)
		evhttp_add_header(h, "Connection", "close");
	if (r->method == EVHTTP_REQ_HEAD && status != 304) {
		/* evhttp sends no body for HEAD; say what GET would send */
		snprintf(clen, sizeof(clen), "%zu", len);
		evhttp_add_header(h, "Content-Length", clen);
	} else if (len > 0 && release != NULL)
		sent = evbuffer_add_reference(out, body, len, release, arg) == 0;
	else if (len > 0)
		evbuffer_add(out, body, len);
	if (release != NULL && !sent)
		release(body, len, arg);
	http_track_write(r->srv, r->ev);
	evhttp_send_reply(r->ev, status, http_reason(status), NULL);
	request_log(r, status, len, NULL);
	request_free(r);
}

void
request_reply(struct request *r, int status, const char *ctype,
    const char *body, size_t len)
{
	request_reply_body(r, status, ctype, body, len, NULL, NULL);
}

void
request_reply_ref(struct request *r, int status, const char *ctype,
    const char *body, size_t len, evbuffer_ref_cleanup_cb release, void *arg)
{
	request_reply_body(r, status, ctype, body, len, release, arg);
}

/* evhttp wrote everything it had: the client keeps up again. */
static void
request_stream_written(struct evhttp_connection *evcon, void *arg)
{
	struct request *r = arg;

	(void)evcon;
	if (r->stream != STREAM_ON || !r->stream_waiting)
		return;
	r->stream_waiting = false;
	r->stream_drained(r, r->stream_arg);
}

/* Runs a loop turn after evhttp dropped the connection. */
static void
request_stream_gone_cb(evutil_socket_t fd, short what, void *arg)
{
	struct request *r = arg;

	(void)fd;
	(void)what;
	if (r->stream == STREAM_ON)
		log_info("%s %s: the client went away during the reply",
		    router_method_name(r->method), r->log_path);
	request_stream_end(r, false);
}

/* evhttp is freeing the connection (hang-up, timeout, or our own
 * shutdown); it has let go of the request, which is ours to finish. */
static void
request_stream_closed(struct evhttp_connection *evcon, void *arg)
{
	struct request *r = arg;
	struct timeval now = { 0, 0 };

	(void)evcon;
	r->stream_gone = true;
	evtimer_add(r->stream_ev, &now);
}

bool
request_stream_start(struct request *r, int status, const char *ctype,
    request_cb drained, void *arg)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);

	if (r->finished)
		return false;
	r->finished = true;
	r->stream_status = status;
	if (evcon == NULL) {
		/* the client left while the answer was being made */
		evhttp_send_reply_end(r->ev);
		request_log(r, status, 0, " (client gone)");
		request_free(r);
		return false;
	}
	if ((r->stream_ev = evtimer_new(r->srv->base, request_stream_gone_cb,
	    r)) == NULL) {
		evhttp_send_error(r->ev, 503, NULL);
		request_log(r, 503, 0, NULL);
		request_free(r);
		return false;
	}
	r->stream = STREAM_ON;
	r->stream_drained = drained;
	r->stream_arg = arg;
	evtimer_del(r->deadline);
	if (ctype != NULL)
		evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (evhttp_find_header(h, "Cache-Control") == NULL)
		evhttp_add_header(h, "Cache-Control", "no-store");
	/* the end of the body is then plain to HTTP/1.0 clients as well */
	evhttp_add_header(h, "Connection", "close");
	evhttp_connection_set_closecb(evcon, request_stream_closed, r);
	evhttp_send_reply_start(r->ev, status, http_reason(status));
	return true;
}

bool
request_stream_write(struct request *r, struct evbuffer *buf)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
	struct bufferevent *bev;
	size_t n = evbuffer_get_length(buf);

	if (r->stream != STREAM_ON || evcon == NULL) {
		evbuffer_drain(buf, n);
		return false;	/* request_stream_gone_cb comes */
	}
	if (n == 0)
		return true;
	r->stream_bytes += n;
	evhttp_send_reply_chunk_with_cb(r->ev, buf, request_stream_written, r);
	bev = evhttp_connection_get_bufferevent(evcon);
	if (bev == NULL || evbuffer_get_length(bufferevent_get_output(bev)) <
	    REQUEST_STREAM_HIGH_WATER)
		return true;
	r->stream_waiting = true;
	return false;
}

/* Lets go of everything but the evhttp request itself. */
static void
request_release(struct request *r)
{
	request_cb cleanup = r->cleanup;

	r->cleanup = NULL;
	if (cleanup != NULL)
		cleanup(r, r->cleanup_arg);
	if (r->pending != NULL)
		db_query_cancel(r->pending);
	r->pending = NULL;
	r->pending_cb = NULL;
	evtimer_del(r->deadline);
}

void
request_stream_end(struct request *r, bool complete)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
	struct bufferevent *bev;

	if (r->stream == STREAM_NONE)
		return;
	if (r->stream == STREAM_ABORTING && !r->stream_gone)
		return;		/* request_stream_closed comes */
	if (evcon != NULL)
		evhttp_connection_set_closecb(evcon, NULL, NULL);
	if (complete && evcon != NULL && r->stream == STREAM_ON) {
		/* the last chunks may still be queued: count them as unsent */
		http_track_write(r->srv, r->ev);
		evhttp_send_reply_end(r->ev);
		request_log(r, r->stream_status, r->stream_bytes, NULL);
		request_free(r);
		return;
	}
	if (evcon == NULL) {
		/* evhttp let go of the request; this frees it */
		evhttp_send_reply_end(r->ev);
		if (r->stream == STREAM_ON)
			request_log(r, r->stream_status, r->stream_bytes,
			    " (cut short)");
		request_free(r);
		return;
	}
	/*
	 * Cut short with the client still there: the handler's state goes
	 * now; the connection is shut down, and when evhttp has closed it
	 * (request_stream_closed) the request is freed.  No last chunk is
	 * sent, so the client cannot take the reply for a whole one.
	 */
	request_log(r, r->stream_status, r->stream_bytes, " (cut short)");
	r->stream = STREAM_ABORTING;
	request_release(r);
	evhttp_connection_set_closecb(evcon, request_stream_closed, r);
	bev = evhttp_connection_get_bufferevent(evcon);
	if (bev == NULL || bufferevent_getfd(bev) < 0 ||
	    shutdown(bufferevent_getfd(bev), SHUT_RDWR) == -1) {
		log_warn("%s %s: cannot close the connection",
		    router_method_name(r->method), r->log_path);
		evhttp_connection_set_closecb(evcon, NULL, NULL);
		evhttp_connection_free(evcon);	/* frees r->ev too */
		r->ev = NULL;
		request_free(r);
	}
}

void
request_problem(struct request *r, int status, const char *type,
    const char *title, const char *detail, json_t *errors)
{
	json_t *p;
	char *text, typeuri[512];

	if (r->html) {
		/* a web page's error is a page, in the reader's language */
		if (errors != NULL)
			json_decref(errors);
		if (status == 503) {
			char ra[16];

			snprintf(ra, sizeof(ra), "%d", r->srv->s->retry_after);
			request_add_header(r, "Retry-After", ra);
		}
		web_problem(r, status, type);
		return;
	}
	snprintf(typeuri, sizeof(typeuri), "%s/problems/%s",
	    r->srv->s->public_url, type);
	p = json_pack("{s:s, s:s, s:i}", "type", typeuri, "title", title,
	    "status", status);
	if (p != NULL && detail != NULL)
		json_object_set_new(p, "detail", json_string(detail));
	if (p != NULL && errors != NULL) {
		validate_strip_codes(errors);	/* internal, for the pages */
		json_object_set(p, "errors", errors);
	}
	if (errors != NULL)
		json_decref(errors);
	text = p != NULL ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	if (status == 401)
		request_add_header(r, "WWW-Authenticate",
		    "Bearer realm=\"leerkans\"");
	if (status == 503) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%d", r->srv->s->retry_after);
		request_add_header(r, "Retry-After", ra);
	}
	request_reply(r, status, "application/problem+json", text,
	    text != NULL ? strlen(text) : 0);
	free(text);
}

void
request_reply_row(struct request *r, const struct db_result *res,
    int status, const char *not_found)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (PQntuples(res->res) != 1 || PQgetisnull(res->res, 0, 0)) {
		request_problem(r, 404, "not-found", "Not found", not_found ?
		    not_found : "There is nothing at this address.", NULL);
		return;
	}
	request_reply(r, status, "application/json",
	    PQgetvalue(res->res, 0, 0), (size_t)PQgetlength(res->res, 0, 0));
}

void
request_invalid(struct request *r, json_t *errors)
{
	request_problem(r, 422, "validation-failed",
	    "The request has invalid fields.",
	    "See errors for every field that needs a change.", errors);
}

void
request_not_found(struct request *r)
{
	request_problem(r, 404, "not-found", "Not found",
	    "There is nothing at this address.", NULL);
}

void
request_rate_limited(struct request *r, int retry_after)
{
	char ra[16];

	snprintf(ra, sizeof(ra), "%d", retry_after);
	request_add_header(r, "Retry-After", ra);
	request_problem(r, 429, "rate-limited", "Too many requests",
	    "Too many registrations in a short time; try again "
	    "later.", NULL);
}

/*
 * The client's address.  Behind a reverse proxy (trust_forwarded_for) it
 * is the last entry of X-Forwarded-For: the one the proxy itself added,
 * which the client cannot forge.
 */
const char *
request_peer(struct request *r)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
	const char *xff, *last;
	char *addr = NULL;
	ev_uint16_t port;

	if (r->srv->s->trust_forwarded_for &&
	    (xff = request_header(r, "X-Forwarded-For")) != NULL) {
		last = strrchr(xff, ',');
		last = last != NULL ? last + 1 : xff;
		while (*last == ' ')
			last++;
		if (*last != '\0')
			return last;
	}
	if (evcon == NULL)
		return "";
	evhttp_connection_get_peer(evcon, &addr, &port);
	return addr != NULL ? addr : "";
}

void
request_unavailable(struct request *r, const char *detail)
{
	request_problem(r, 503, "unavailable", "Service unavailable",
	    detail, NULL);
}

/*
 * Refusals raised by the SQL functions carry SQLSTATE LKnnn (nnn the HTTP
 * status), the problem name in HINT, the title in the message and the
 * field errors as JSON in DETAIL.  Anything else from the server is
 * logged by SQLSTATE only (messages can quote values) and answered 500;
 * a cancelled statement (statement_timeout) or a lost connection is 503.
 */
void
request_db_failed(struct request *r, const struct db_result *res)
{
	const char *state = res->sqlstate, *hint, *msg, *detail;
	json_t *errors = NULL;
	int status;

	if (res->status == DB_UNAVAILABLE) {
		request_unavailable(r, "The database is unavailable; try again "
		    "shortly.");
		return;
	}
	if (state != NULL && strncmp(state, "LK", 2) == 0 &&
	    (status = atoi(state + 2)) >= 400 && status <= 499) {
		hint = PQresultErrorField(res->res, PG_DIAG_MESSAGE_HINT);
		msg = PQresultErrorField(res->res, PG_DIAG_MESSAGE_PRIMARY);
		detail = PQresultErrorField(res->res, PG_DIAG_MESSAGE_DETAIL);
		if (detail != NULL && *detail != '\0')
			errors = json_loads(detail, 0, NULL);
		request_problem(r, status, hint ? hint : "conflict",
		    msg ? msg : http_reason(status), errors != NULL ?
		    "See errors for every field that needs a change." : NULL,
		    errors);
		return;
	}
	if (state != NULL && (strcmp(state, "57014") == 0 ||
	    strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) {
		log_warnx("%s %s: database: SQLSTATE %s",
		    router_method_name(r->method), r->log_path, state);
		request_unavailable(r, "The database is busy; try again "
		    "shortly.");
		return;
	}
	if (state != NULL && strncmp(state, "22", 2) == 0) {
		/* a value PostgreSQL refused that the checks here let by */
		log_warnx("%s %s: database refused a value: SQLSTATE %s",
		    router_method_name(r->method), r->log_path, state);
		request_problem(r, 422, "validation-failed",
		    "The request has an invalid value.", NULL, NULL);
		return;
	}
	if (state != NULL && strncmp(state, "23", 2) == 0) {
		log_warnx("%s %s: database constraint: SQLSTATE %s",
		    router_method_name(r->method), r->log_path, state);
		request_problem(r, 409, "conflict",
		    "The request conflicts with the stored data.", NULL, NULL);
		return;
	}
	log_warnx("%s %s: database: SQLSTATE %s",
	    router_method_name(r->method), r->log_path, state ? state : "?");
	request_problem(r, 500, "internal-error", "Internal error",
	    "The server could not complete the request.", NULL);
}

static void
request_free(struct request *r)
{
	struct server *srv = r->srv;
	int i;

	request_release(r);
	if (srv->dispatching == r)
		srv->dispatching = NULL;
	if (r->stream_ev != NULL)
		event_free(r->stream_ev);
	for (i = 0; i < REQUEST_MAX_PARAMS; i++)
		free(r->params[i]);
	evhttp_clear_headers(&r->query);
	free(r->path);
	free(r->organiser);
	if (r->email_key != NULL) {
		explicit_bzero(r->email_key, strlen(r->email_key));
		free(r->email_key);
	}
	if (r->body != NULL)
		json_decref(r->body);
	if (r->form != NULL) {
		form_free(r->form);
		free(r->form);
	}
	if (r->state != NULL)
		json_decref(r->state);
	free(r);
	srv->inflight--;
	http_drain_check(srv);
}
