/*
 * http/request.c - one request's life: deadline, database work, the
 * answer (problem+json, or an error page for a route with a page face),
 * the access log line, and the count of what is in flight for shutting
 * down.
 */
#include "autoconf.h"

#include <sys/queue.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "db/result.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "input/form.h"
#include "input/validate.h"
#include "http/session.h"
#include "render/console.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/json.h"
#include "render/page.h"

static void	request_free(struct request *);
static void	request_log(struct request *, int, size_t, const char *);
static void	request_drain_check(struct server *);

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
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
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
request_new(struct server *srv, struct http_req *ev)
{
	struct request *r;

	/* the deadline's event lives behind the request: one allocation */
	if ((r = calloc(1, sizeof(*r) + event_get_struct_event_size())) ==
	    NULL)
		return NULL;
	r->srv = srv;
	r->ev = ev;
	r->method = http_req_method(ev);
	TAILQ_INIT(&r->query);
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->deadline = (struct event *)(void *)(r + 1);
	if (evtimer_assign(r->deadline, srv->base, request_deadline_cb, r) ==
	    -1) {
		free(r);
		return NULL;
	}
	srv->drain.inflight++;
	return r;
}

/* -- shutting down --------------------------------------------------------- */

static void
request_drained_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	(void)fd;
	(void)what;
	if (srv->drain.inflight > 0 || srv->drain.writing > 0)
		log_warnx("shutting down with %d requests unfinished and %d "
		    "replies unsent", srv->drain.inflight, srv->drain.writing);
	event_base_loopexit(srv->base, NULL);
}

/* Draining: ends the loop once nothing is in flight or being written. */
static void
request_drain_check(struct server *srv)
{
	struct timeval now = { 0, 0 };

	if (srv->drain.draining && srv->drain.inflight == 0 &&
	    srv->drain.writing == 0 && srv->drain.timer != NULL)
		evtimer_add(srv->drain.timer, &now);
}

/*
 * A reply is queued when the request is finished; it is sent as the
 * client takes it.  Shutting down in between would cut it off, so the
 * drain waits for these too.
 */
static void
request_write_done(struct http_req *req, void *arg)
{
	struct server *srv = arg;

	(void)req;
	srv->drain.writing--;
	request_drain_check(srv);
}

/* Counts r's reply as being written until all of it is sent. */
static void
request_track_write(struct request *r)
{
	http_req_on_done(r->ev, request_write_done, r->srv);
	r->srv->drain.writing++;
}

bool
request_drain(struct server *srv)
{
	struct request_drain *d = &srv->drain;
	struct timeval tv;

	if (d->draining)
		return false;
	d->draining = true;
	log_info("shutting down: %d requests in flight", d->inflight);
	d->timer = evtimer_new(srv->base, request_drained_cb, srv);
	tv.tv_sec = d->inflight == 0 && d->writing == 0 ? 0 :
	    srv->s->request_timeout + 1;
	tv.tv_usec = 0;
	if (d->timer == NULL || evtimer_add(d->timer, &tv) == -1)
		event_base_loopexit(srv->base, NULL);
	return true;
}

int
request_inflight(const struct server *srv)
{
	return srv->drain.inflight;
}

void
request_drain_free(struct server *srv)
{
	if (srv->drain.timer != NULL)
		event_free(srv->drain.timer);
	srv->drain.timer = NULL;
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
		request_out_of_memory(r);
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
request_db_cursor(struct request *r, const char *declare, int nparams,
    const char *const *params, request_db_cb cb)
{
	r->pending_cb = cb;
	r->pending = db_pool_cursor(r->srv->pool, declare, nparams, params,
	    request_cursor_done, r);
	if (r->pending == NULL) {
		r->pending_cb = NULL;
		request_out_of_memory(r);
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
	return http_req_header(r->ev, name);
}

void
request_add_header(struct request *r, const char *name, const char *value)
{
	http_req_add_header(r->ev, name, value);
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

	/* tenths of a millisecond: 10 us steps, rounded */
	clock_gettime(CLOCK_MONOTONIC, &now);
	tenths = (unsigned long long)((now.tv_sec - r->started.tv_sec) *
	    100000 + (now.tv_nsec - r->started.tv_nsec) / 10000 + 5) / 10;
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

/* The headers every answer carries. */
static void
request_common_headers(struct request *r, const char *ctype)
{
	if (ctype != NULL)
		http_req_add_header(r->ev, "Content-Type", ctype);
	http_req_add_header(r->ev, "X-Content-Type-Options", "nosniff");
	if (!http_req_has_header(r->ev, "Cache-Control"))
		http_req_add_header(r->ev, "Cache-Control", "no-store");
	if (r->srv->drain.draining)
		http_req_add_header(r->ev, "Connection", "close");
}

/*
 * Finishes r.  With release, body is not copied: it is sent from where
 * it is, and release(body, len, arg) runs once it is written (or at once,
 * if it is not sent at all).
 */
static void
request_reply_body(struct request *r, int status, const char *ctype,
    const char *body, size_t len, evbuffer_ref_cleanup_cb release, void *arg)
{
	if (r->finished) {
		if (release != NULL)
			release(body, len, arg);
		return;
	}
	r->finished = true;
	request_common_headers(r, ctype);
	request_log(r, status, len, NULL);
	request_track_write(r);
	http_reply(r->ev, status, http_reason(status), body, len, release,
	    arg);
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

/* Everything queued is written: the client keeps up again. */
static void
request_stream_written(struct http_req *ev, void *arg)
{
	struct request *r = arg;

	(void)ev;
	if (r->stream != STREAM_ON || !r->stream_waiting)
		return;
	r->stream_waiting = false;
	r->stream_drained(r, r->stream_arg);
}

/* The client went away during the reply (told on a later loop turn). */
static void
request_stream_gone(struct http_req *ev, void *arg)
{
	struct request *r = arg;

	(void)ev;
	r->stream_gone = true;
	if (r->stream == STREAM_ON)
		log_info("%s %s: the client went away during the reply",
		    router_method_name(r->method), r->log_path);
	request_stream_end(r, false);
}

bool
request_stream_start(struct request *r, int status, const char *ctype,
    request_cb drained, void *arg)
{
	if (r->finished)
		return false;
	r->finished = true;
	r->stream_status = status;
	r->stream = STREAM_ON;
	r->stream_drained = drained;
	r->stream_arg = arg;
	evtimer_del(r->deadline);
	request_common_headers(r, ctype);
	/* the end of the body is then plain to HTTP/1.0 clients as well */
	http_req_add_header(r->ev, "Connection", "close");
	http_req_on_drained(r->ev, request_stream_written, r);
	http_req_on_gone(r->ev, request_stream_gone, r);
	http_reply_start(r->ev, status, http_reason(status));
	return true;
}

bool
request_stream_write(struct request *r, struct evbuffer *buf)
{
	size_t n = evbuffer_get_length(buf);

	if (r->stream != STREAM_ON || r->stream_gone ||
	    !http_req_connected(r->ev)) {
		evbuffer_drain(buf, n);
		return false;	/* request_stream_gone comes */
	}
	if (n == 0)
		return true;
	r->stream_bytes += n;
	http_reply_chunk(r->ev, buf);
	if (http_req_unsent(r->ev) < REQUEST_STREAM_HIGH_WATER)
		return true;
	r->stream_waiting = true;
	return false;
}

/* Lets go of everything but the connection's request itself. */
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
	if (r->stream != STREAM_ON)
		return;
	r->stream = STREAM_NONE;
	http_req_on_drained(r->ev, NULL, NULL);
	http_req_on_gone(r->ev, NULL, NULL);
	if (complete && !r->stream_gone) {
		/* the last chunks may still be queued: count them as unsent */
		request_log(r, r->stream_status, r->stream_bytes, NULL);
		request_track_write(r);
		http_reply_end(r->ev);
		request_free(r);
		return;
	}
	/*
	 * Cut short: the connection closes now, without the last chunk, so
	 * the client cannot take the reply for a whole one.
	 */
	request_log(r, r->stream_status, r->stream_bytes, " (cut short)");
	http_req_abort(r->ev);
	request_free(r);
}

/*
 * The error page for status: the public pages' (render/page.c) for the
 * web face, the console's own (render/console.c), in its frame, for the
 * console's; problem tells apart what one status can mean there.
 */
static void
request_error_page(struct request *r, int status, const char *problem)
{
	struct console_ctx cc;
	struct page_ctx c;
	struct html h;
	const char *path = http_req_path(r->ev);

	if (r->finished)
		return;
	html_init(&h);
	if (r->face == FACE_CONSOLE) {
		session_console_ctx(r, &cc);
		cc.notice = NULL;
		console_error(&h, &cc, status, problem);
		if (status == 401)
			session_challenge(r);
		request_reply_page(r, status, &h, cc.page.lang, false);
		return;
	}
	if (path == NULL)
		path = "";	/* a request that could not be read */
	memset(&c, 0, sizeof(c));
	c.lang = request_lang(r, &c.lq);
	c.public_url = r->srv->s->public_url;
	c.site = r->srv->site;
	page_error(&h, &c, status, path, r->params[0]);
	request_reply_page(r, status, &h, c.lang, page_secret(path));
}

void
request_problem(struct request *r, int status, const char *type,
    const char *title, const char *detail, json_t *errors)
{
	json_t *p;
	char *text, typeuri[512];
	size_t len = 0;

	if (r->face != FACE_API) {
		/* a person's error is a page, in the reader's language */
		if (errors != NULL)
			json_decref(errors);
		if (status == 503 && !r->not_configured) {
			char ra[16];

			snprintf(ra, sizeof(ra), "%d", r->srv->s->retry_after);
			request_add_header(r, "Retry-After", ra);
		}
		request_error_page(r, status, type);
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
	text = p != NULL ? json_text_dump(p, &len) : NULL;
	json_decref(p);
	if (status == 401)
		request_add_header(r, "WWW-Authenticate",
		    "Bearer realm=\"leerkans\"");
	if (status == 503 && !r->not_configured) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%d", r->srv->s->retry_after);
		request_add_header(r, "Retry-After", ra);
	}
	request_reply(r, status, "application/problem+json", text, len);
	free(text);
}

/* -- pages ---------------------------------------------------------------- */

/* no script at all; styles from /static only; never in a frame */
#define PAGE_CSP	"default-src 'self'; script-src 'none'; " \
	"object-src 'none'; style-src 'self'; img-src 'self'; " \
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/* The language: ?lang= first, then Accept-Language, then Dutch. */
enum lang
request_lang(struct request *r, const char **lq)
{
	const char *query = http_req_query(r->ev);
	struct evkeyvalq args;
	enum lang lang = LANG_NL;
	bool chosen = false;

	TAILQ_INIT(&args);
	if (query != NULL && evhttp_parse_query_str(query, &args) == 0)
		chosen = i18n_parse(evhttp_find_header(&args, "lang"), &lang);
	evhttp_clear_headers(&args);
	if (!chosen)
		lang = i18n_negotiate(request_header(r, "Accept-Language"));
	if (lq != NULL)
		*lq = !chosen ? "" : lang == LANG_EN ? "?lang=en" : "?lang=nl";
	return lang;
}

/* scheme://host[:port] of a URL, lower case, into out */
static void
url_origin(const char *url, char *out, size_t outlen)
{
	const char *host = strstr(url, "://"), *end;
	size_t len, i;

	if (host == NULL) {
		snprintf(out, outlen, "%s", url);
		return;
	}
	end = strchr(host + 3, '/');
	len = end != NULL ? (size_t)(end - url) : strlen(url);
	snprintf(out, outlen, "%.*s", (int)len, url);
	for (i = 0; out[i]; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
}

/* Is origin this site: public_url, or the Host it was asked by? */
static bool
same_site(struct request *r, const char *origin)
{
	static const char *const schemes[] = { "http://", "https://" };
	const char *host = request_header(r, "Host");
	char mine[300], theirs[300], url[300];
	size_t i;

	url_origin(origin, theirs, sizeof(theirs));
	url_origin(r->srv->s->public_url, mine, sizeof(mine));
	if (strcmp(theirs, mine) == 0)
		return true;
	for (i = 0; host != NULL && i < 2; i++) {
		snprintf(url, sizeof(url), "%s%s", schemes[i], host);
		url_origin(url, mine, sizeof(mine));
		if (strcmp(theirs, mine) == 0)
			return true;
	}
	return false;
}

/*
 * "Origin: null" says nothing: a browser sends it for a same-origin form
 * on a page with Referrer-Policy: no-referrer (the /r/ pages), as for a
 * sandboxed frame elsewhere.  Sec-Fetch-Site, when sent, tells the two
 * apart; the form's token decides for browsers without it.
 */
bool
request_same_origin(struct request *r)
{
	const char *site = request_header(r, "Sec-Fetch-Site");
	const char *origin = request_header(r, "Origin");

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return false;
	return origin == NULL || strcmp(origin, "null") == 0 ||
	    same_site(r, origin);
}

void
request_page_headers(struct request *r, bool secret)
{
	request_add_header(r, "Content-Security-Policy", PAGE_CSP);
	request_add_header(r, "X-Frame-Options", "DENY");
	request_add_header(r, "Referrer-Policy", secret ? "no-referrer" :
	    "same-origin");
	request_add_header(r, "Vary", "Accept-Language, Cookie");
	request_add_header(r, "Cache-Control", "no-store");
}


void
request_reply_page(struct request *r, int status, struct html *h,
    enum lang lang, bool secret)
{
	if (!html_ok(h)) {
		html_free(h);
		log_warnx("%s: page could not be built", r->log_path);
		r->face = FACE_API;	/* the 500 is not a page */
		request_out_of_memory(r);
		return;
	}
	request_page_headers(r, secret);
	request_add_header(r, "Content-Language", i18n_code(lang));
	request_reply(r, status, PAGE_HTML_TYPE, html_str(h), h->len);
	html_free(h);
}

void
request_redirect(struct request *r, int status, const char *location,
    bool secret)
{
	struct html h;

	html_init(&h);
	html_fmt(&h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>%d</title></head><body><p><a href=\"%s\">%s</a></p>"
	    "</body></html>\n", status, location, location);
	request_page_headers(r, secret);
	request_add_header(r, "Location", location);
	request_reply(r, status, PAGE_HTML_TYPE, html_str(&h), h.len);
	html_free(&h);
}

void
request_reply_row(struct request *r, const struct db_result *res,
    int status, const char *not_found)
{
	const char *text;
	size_t len;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((text = db_result_text(res, &len)) == NULL) {
		request_problem(r, 404, "not-found", "Not found", not_found ?
		    not_found : "There is nothing at this address.", NULL);
		return;
	}
	request_reply_json(r, status, text, len);
}

void
request_reply_json(struct request *r, int status, const char *text,
    size_t len)
{
	char *body;
	size_t n;

	if ((body = json_text_compact(text, len, &n)) == NULL) {
		/* PostgreSQL's json is JSON: memory ran out */
		request_out_of_memory(r);
		return;
	}
	request_reply(r, status, "application/json", body, n);
	free(body);
}

json_t *
request_document(struct request *r, const struct db_result *res)
{
	const char *text;
	json_t *doc;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return NULL;
	}
	if ((text = db_result_text(res, NULL)) == NULL) {
		request_not_found(r);
		return NULL;
	}
	if ((doc = json_loads(text, 0, NULL)) == NULL)
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
	return doc;
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
	const char *xff, *last;

	if (r->srv->s->trust_forwarded_for &&
	    (xff = request_header(r, "X-Forwarded-For")) != NULL) {
		last = strrchr(xff, ',');
		last = last != NULL ? last + 1 : xff;
		while (*last == ' ')
			last++;
		if (*last != '\0')
			return last;
	}
	return http_req_peer(r->ev);
}

bool
request_json_texts(struct request *r, const json_t *body, json_t *errors,
    char **text, char **errs)
{
	*text = json_dumps(body, JSON_COMPACT);
	*errs = json_dumps(errors, JSON_COMPACT);
	json_decref(errors);
	if (*text != NULL && *errs != NULL)
		return true;
	free(*text);
	free(*errs);
	*text = *errs = NULL;
	request_out_of_memory(r);
	return false;
}

void
request_out_of_memory(struct request *r)
{
	request_problem(r, 500, "internal-error", "Out of memory", NULL, NULL);
}

void
request_unavailable(struct request *r, const char *detail)
{
	request_problem(r, 503, "unavailable", "Service unavailable",
	    detail, NULL);
}

/*
 * 503 for what this server is not set up to do: unavailable, but not
 * for a while, so without Retry-After (a client that waits and asks
 * again gets the same answer until an operator changes a setting).
 */
void
request_not_configured(struct request *r, const char *type,
    const char *title, const char *detail)
{
	r->not_configured = true;
	request_problem(r, 503, type, title, detail, NULL);
}

void
request_refused(struct request *r, struct db_refusal *ref)
{
	json_t *errors = ref->errors;

	ref->errors = NULL;
	request_problem(r, ref->status, ref->problem, ref->title != NULL ?
	    ref->title : http_reason(ref->status), errors != NULL ?
	    "See errors for every field that needs a change." : NULL, errors);
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
	const char *state = res->sqlstate;
	struct db_refusal ref;

	if (res->status == DB_UNAVAILABLE) {
		request_unavailable(r, "The database is unavailable; try again "
		    "shortly.");
		return;
	}
	if (db_result_refusal(res, &ref)) {
		request_refused(r, &ref);
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
	for (i = 0; i < REQUEST_MAX_PARAMS; i++)
		free(r->params[i]);
	evhttp_clear_headers(&r->query);
	free(r->organiser);
	if (r->user != NULL) {
		explicit_bzero(r->user, sizeof(*r->user));
		free(r->user);
	}
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
	free(r);
	srv->drain.inflight--;
	request_drain_check(srv);
}
