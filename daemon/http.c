/*
 * http.c - evhttp set-up and the path of every request:
 *
 *	evhttp --> http_request_cb --> router_match (404, 405 + Allow)
 *	  --> authentication (AUTH_REQUIRED: 401 without a valid token)
 *	  --> body (BODY_JSON: 415, 413, 400)
 *	  --> the route's handler --> request_reply / request_problem
 */
#include "autoconf.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>

#include "config.h"
#include "form.h"
#include "http.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "sql.h"
#include "util.h"
#include "web.h"

#define HTTP_MAX_SINGLE_WRITE	(1024 * 1024)

static void	http_after_auth(struct request *);

static void
http_unauthorized(struct request *r, const char *detail)
{
	request_problem(r, 401, "unauthorized", "Unauthorized", detail, NULL);
}

static void
http_auth_done(struct request *r, const struct db_result *res)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (PQntuples(res->res) != 1) {
		http_unauthorized(r, "The token is not valid or was revoked.");
		return;
	}
	if ((r->organiser = strdup(PQgetvalue(res->res, 0, 0))) == NULL) {
		request_problem(r, 500, "internal-error", "Out of memory", NULL,
		    NULL);
		return;
	}
	http_after_auth(r);
}

static bool
json_content_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* A form body (web pages): 413, 415, 400 as HTML pages. */
static bool
http_form_body(struct request *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t len = evbuffer_get_length(in);
	const char *data;

	r->html = true;
	if (len > (size_t)r->srv->s->max_body_size) {
		request_problem(r, 413, "body-too-large",
		    "Request body too large", NULL, NULL);
		return false;
	}
	if (!form_content_type(request_header(r, "Content-Type")) &&
	    !(len == 0 && request_header(r, "Content-Type") == NULL)) {
		request_problem(r, 415, "unsupported-media-type",
		    "Unsupported media type", "Send the form as "
		    "application/x-www-form-urlencoded.", NULL);
		return false;
	}
	if ((r->form = calloc(1, sizeof(*r->form))) == NULL) {
		request_problem(r, 500, "internal-error", "Out of memory",
		    NULL, NULL);
		return false;
	}
	data = (const char *)evbuffer_pullup(in, -1);
	if (!form_parse(data != NULL ? data : "", len, r->form)) {
		request_problem(r, 400, "malformed-body", "Malformed body",
		    "The form data is not valid.", NULL);
		return false;
	}
	return true;
}

static void
http_after_auth(struct request *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t len = evbuffer_get_length(in);
	json_error_t jerr;
	char detail[300];
	const char *data;

	if (r->route->body == BODY_FORM && !http_form_body(r))
		return;
	if (r->route->body == BODY_JSON) {
		if (len > (size_t)r->srv->s->max_body_size) {
			snprintf(detail, sizeof(detail), "The body may be at most "
			    "%d bytes.", r->srv->s->max_body_size);
			request_problem(r, 413, "body-too-large",
			    "Request body too large", detail, NULL);
			return;
		}
		if (!json_content_type(request_header(r, "Content-Type"))) {
			request_problem(r, 415, "unsupported-media-type",
			    "Unsupported media type",
			    "Send the body as application/json.", NULL);
			return;
		}
		data = (const char *)evbuffer_pullup(in, -1);
		r->body = json_loadb(data != NULL ? data : "", len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (r->body == NULL) {
			snprintf(detail, sizeof(detail), "The body is not valid "
			    "JSON: %s (line %d, column %d).", jerr.text,
			    jerr.line, jerr.column);
			request_problem(r, 400, "malformed-body", "Malformed body",
			    detail, NULL);
			return;
		}
		if (!json_is_object(r->body)) {
			request_problem(r, 400, "malformed-body", "Malformed body",
			    "The body must be a JSON object.", NULL);
			return;
		}
	}
	r->route->handler(r);
}

static void
http_route(struct request *r)
{
	struct evhttp_request *ev = r->ev;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path, *query, *auth;
	struct evhttp_connection *evcon;
	struct bufferevent *bev;
	struct route_match m;
	int i;

	/*
	 * libevent writes at most 16 KiB per call by default: a 94 KB feed
	 * took six loop turns.  Let the kernel take what it will at once.
	 */
	if ((evcon = evhttp_request_get_connection(ev)) != NULL &&
	    (bev = evhttp_connection_get_bufferevent(evcon)) != NULL)
		bufferevent_set_max_single_write(bev, HTTP_MAX_SINGLE_WRITE);
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	if (path == NULL || *path == '\0')
		path = "/";
	if ((r->path = strdup(path)) == NULL) {
		request_problem(r, 500, "internal-error", "Out of memory", NULL,
		    NULL);
		return;
	}
	router_match(routes, path, r->method, &m);
	memcpy(r->log_path, m.log_path, sizeof(r->log_path));
	for (i = 0; i < m.nparams; i++)
		r->params[i] = m.params[i];
	m.nparams = 0;
	if (m.route == NULL && strncmp(path, "/api/", 5) != 0) {
		/* a browser that strayed gets a page, a program JSON */
		const char *accept = request_header(r, "Accept");

		r->html = accept != NULL && strstr(accept, "text/html") != NULL;
	}
	if (!m.path_found) {
		request_not_found(r);
		return;
	}
	if (m.route == NULL) {
		request_add_header(r, "Allow", m.allow);
		if (r->method == EVHTTP_REQ_OPTIONS)
			request_reply(r, 204, NULL, NULL, 0);
		else
			request_problem(r, 405, "method-not-allowed",
			    "Method not allowed", NULL, NULL);
		return;
	}
	r->route = m.route;
	r->html = web_handler(r->route->handler);
	if (query != NULL && evhttp_parse_query_str(query, &r->query) == -1) {
		request_problem(r, 400, "malformed-query", "Malformed query",
		    "The query string is not valid.", NULL);
		return;
	}
	auth = request_header(r, "Authorization");
	if (r->route->auth == AUTH_NONE || (auth == NULL &&
	    r->route->auth == AUTH_OPTIONAL)) {
		http_after_auth(r);
		return;
	}
	if (auth == NULL) {
		http_unauthorized(r, "This needs an organiser token "
		    "(Authorization: Bearer ...).");
		return;
	}
	if (strncasecmp(auth, "Bearer ", 7) != 0) {
		http_unauthorized(r, "Use Authorization: Bearer <token>.");
		return;
	}
	auth += 7;
	while (*auth == ' ')
		auth++;
	if (!token_wellformed(auth)) {
		http_unauthorized(r, "The token is not valid or was revoked.");
		return;
	}
	request_db(r, sql_auth, 1, &auth, http_auth_done);
}

static void
http_request_cb(struct evhttp_request *ev, void *arg)
{
	struct request *r;

	if ((r = request_new(arg, ev)) == NULL) {
		evhttp_send_error(ev, 503, NULL);
		return;
	}
	request_dispatch(r, http_route);
}

bool
http_start(struct server *srv)
{
	const struct settings *s = srv->s;
	struct timeval tv;
	evutil_socket_t fd;
	int one = 1;

	if ((srv->http = evhttp_new(srv->base)) == NULL) {
		log_warnx("cannot set up HTTP");
		return false;
	}
	evhttp_set_max_headers_size(srv->http, (ev_ssize_t)s->max_header_size);
	/*
	 * evhttp refuses a body over its limit with a 413 of its own (HTML);
	 * up to twice the configured limit the body is read, and the answer
	 * is a problem+json 413 from http_after_auth.
	 */
	evhttp_set_max_body_size(srv->http, 2 * (ev_ssize_t)s->max_body_size);
	tv.tv_sec = s->idle_timeout;
	tv.tv_usec = 0;
	evhttp_set_timeout_tv(srv->http, &tv);
	evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS);
	evhttp_set_flags(srv->http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_gencb(srv->http, http_request_cb, srv);
	srv->bound = evhttp_bind_socket_with_handle(srv->http, s->listen_host,
	    (ev_uint16_t)s->listen_port);
	if (srv->bound == NULL) {
		log_warn("cannot listen on %s", s->listen);
		return false;
	}
	/*
	 * Answers larger than one segment (a feed, an export) end in a small
	 * segment that Nagle holds back until the client's delayed ACK: 40
	 * ms each.  Accepted sockets inherit TCP_NODELAY from this one.
	 */
	fd = evhttp_bound_socket_get_fd(srv->bound);
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		log_warn("TCP_NODELAY on %s", s->listen);
	log_info("listening on %s", s->listen);
	return true;
}

static void
http_drained_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	(void)fd;
	(void)what;
	if (srv->inflight > 0 || srv->writing > 0)
		log_warnx("shutting down with %d requests unfinished and %d "
		    "replies unsent", srv->inflight, srv->writing);
	event_base_loopexit(srv->base, NULL);
}

void
http_drain_check(struct server *srv)
{
	struct timeval now = { 0, 0 };

	if (srv->draining && srv->inflight == 0 && srv->writing == 0 &&
	    srv->drain_timer != NULL)
		evtimer_add(srv->drain_timer, &now);
}

/*
 * A reply is queued when the request is finished; it is sent when evhttp
 * says so.  Shutting down in between would cut it off, so the drain
 * waits for these too.  (A client that goes away mid-reply never
 * completes it; the drain's deadline covers that.)
 */
static void
http_write_done(struct evhttp_request *req, void *arg)
{
	struct server *srv = arg;

	(void)req;
	srv->writing--;
	http_drain_check(srv);
}

void
http_track_write(struct server *srv, struct evhttp_request *req)
{
	if (evhttp_request_get_connection(req) == NULL)
		return;		/* evhttp frees it at once, unsent */
	evhttp_request_set_on_complete_cb(req, http_write_done, srv);
	srv->writing++;
}

void
http_drain(struct server *srv)
{
	struct timeval tv;

	if (srv->draining)
		return;
	srv->draining = true;
	log_info("shutting down: %d requests in flight", srv->inflight);
	if (srv->bound != NULL) {
		evhttp_del_accept_socket(srv->http, srv->bound);
		srv->bound = NULL;
	}
	srv->drain_timer = evtimer_new(srv->base, http_drained_cb, srv);
	tv.tv_sec = srv->inflight == 0 && srv->writing == 0 ? 0 :
	    srv->s->request_timeout + 1;
	tv.tv_usec = 0;
	if (srv->drain_timer == NULL || evtimer_add(srv->drain_timer, &tv) == -1)
		event_base_loopexit(srv->base, NULL);
}

void
http_stop(struct server *srv)
{
	/* with requests unfinished, evhttp_free would free them under us */
	if (srv->http != NULL && srv->inflight == 0)
		evhttp_free(srv->http);
	srv->http = NULL;
	if (srv->drain_timer != NULL)
		event_free(srv->drain_timer);
	srv->drain_timer = NULL;
}
