/*
 * http/dispatch.c - the server's set-up and the path of every request:
 *
 *	http/server.c --> http_request_cb --> (refused by httpd: 4xx/5xx)
 *	  --> router_match (404, 405 + Allow); the route's face
 *	  --> authentication: on the API a Bearer token (401 without a
 *	      valid one, 403 when its scope is below the route's least
 *	      role); on the console the session (http/session.c: 303 to
 *	      the login page, 401, or 403 for a role below the route's)
 *	  --> body (BODY_JSON: 415, 413, 400; BODY_FORM: 415, 400; a
 *	      console form: its session's CSRF token, else 403)
 *	  --> the route's handler --> request_reply / request_problem
 *
 * Nothing here knows a handler by name: the route table
 * (handlers/routes.c) names them, and its face column says whether an
 * error is problem+json or a page.
 */
#include "autoconf.h"

#include <sys/queue.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "http/session.h"
#include "input/account.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/page.h"

static void	http_after_auth(struct request *);
static bool	http_query_check(struct request *);

static void
http_unauthorized(struct request *r, const char *detail)
{
	request_problem(r, 401, "unauthorized", "Unauthorized", detail, NULL);
}

static void
http_auth_done(struct request *r, const struct db_result *res)
{
	const char *name, *scope;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((name = db_result_text(res, NULL)) == NULL) {
		http_unauthorized(r, "The token is not valid or was revoked.");
		return;
	}
	scope = db_result_value(res, 0, 1);
	if (!account_role_parse(scope, &r->role))
		r->role = ROLE_NONE;	/* a scope this build does not know */
	if ((r->organiser = strdup(name)) == NULL) {
		request_out_of_memory(r);
		return;
	}
	if (r->role < router_least_role(r->route->auth)) {
		/* RFC 6750 3.1: the token is good, its scope too narrow */
		request_add_header(r, "WWW-Authenticate", "Bearer "
		    "realm=\"leerkans\", error=\"insufficient_scope\"");
		request_problem(r, 403, "insufficient-scope", "Insufficient "
		    "scope", r->role == ROLE_DOOR ? "This token has the door "
		    "scope: it may only check people in." : "This token's "
		    "scope does not allow this.", NULL);
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

/* A form body (web pages): 415, 400, pages by the route's face. */
static bool
http_form_body(struct request *r)
{
	size_t len;
	const char *data = http_req_body(r->ev, &len);

	if (!form_content_type(request_header(r, "Content-Type")) &&
	    !(len == 0 && request_header(r, "Content-Type") == NULL)) {
		request_problem(r, 415, "unsupported-media-type",
		    "Unsupported media type", "Send the form as "
		    "application/x-www-form-urlencoded.", NULL);
		return false;
	}
	if ((r->form = calloc(1, sizeof(*r->form))) == NULL) {
		request_out_of_memory(r);
		return false;
	}
	if (!form_parse(data, len, r->form)) {
		request_problem(r, 400, "malformed-body", "Malformed body",
		    "The form data is not valid.", NULL);
		return false;
	}
	return true;
}

static void
http_after_auth(struct request *r)
{
	size_t len;
	const char *data = http_req_body(r->ev, &len);
	json_error_t jerr;
	char detail[300];

	/* after the token, as the body: 401 before anything is looked at */
	if (!http_query_check(r))
		return;
	if (r->route->body == BODY_FORM && !http_form_body(r))
		return;
	/* every form of a session carries its CSRF token; the login form,
	 * before any session, is checked by its handler */
	if (r->face == FACE_CONSOLE && r->route->body == BODY_FORM &&
	    router_least_role(r->route->auth) > ROLE_NONE &&
	    !session_csrf_ok(r)) {
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	/* http/server.c refused a body over max_body_size before it came */
	if (r->route->body == BODY_JSON) {
		if (!json_content_type(request_header(r, "Content-Type"))) {
			request_problem(r, 415, "unsupported-media-type",
			    "Unsupported media type",
			    "Send the body as application/json.", NULL);
			return;
		}
		r->body = json_loadb(data, len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (r->body == NULL &&
		    json_error_code(&jerr) == json_error_null_character) {
			/* jansson's words name its option (JSON_ALLOW_NUL) */
			snprintf(detail, sizeof(detail), "The body holds a NUL "
			    "character (\\u0000) at line %d, column %d; no "
			    "field may contain one.", jerr.line, jerr.column);
			request_problem(r, 400, "malformed-body", "Malformed body",
			    detail, NULL);
			return;
		}
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

/* Routes path for r: r takes the masked log path and the parameters. */
static void
http_match(struct request *r, const char *path, struct route_match *m)
{
	int i;

	router_match(routes, path, r->method, m);
	memcpy(r->log_path, m->log_path, sizeof(r->log_path));
	for (i = 0; i < m->nparams; i++)
		r->params[i] = m->params[i];
	m->nparams = 0;
}

/* A request http/server.c could not read: the answer it needs, as a problem. */
static void
http_refuse(struct request *r, int status, const char *why)
{
	static const struct {
		int		 status;
		const char	*type, *title;
	} refusals[] = {
		{ 400, "malformed-request", "Bad request" },
		{ 413, "body-too-large", "Request body too large" },
		{ 414, "uri-too-long", "Request target too long" },
		{ 417, "expectation-failed", "Expectation failed" },
		{ 431, "header-too-large", "Request header fields too large" },
		{ 501, "not-implemented", "Not implemented" },
		{ 505, "version-not-supported", "HTTP version not supported" },
	};
	const char *path = http_req_path(r->ev);
	struct route_match m;
	char detail[128];
	size_t i;

	if (path != NULL) {
		/* the log masks a token here as for any request, and a web
		 * page's refusal is a page */
		http_match(r, path, &m);
		r->face = m.route != NULL ? m.route->face : FACE_API;
	}
	if (status == 413) {
		snprintf(detail, sizeof(detail),
		    "The body may be at most %d bytes.",
		    r->srv->s->max_body_size);
		why = detail;
	}
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (refusals[i].status == status)
			break;
	if (i == sizeof(refusals) / sizeof(refusals[0]))
		i = 0;
	request_problem(r, refusals[i].status, refusals[i].type,
	    refusals[i].title, why, NULL);
}

/*
 * A page's address without the query parameters its route does not
 * take: the path and those it takes, as they came (still encoded).
 */
static void
http_query_redirect(struct request *r, const char *path, const char *query)
{
	const char *p, *end, *eq;
	size_t n, plen = strlen(path);
	char *loc;

	if ((loc = malloc(plen + strlen(query) + 2)) == NULL) {
		request_out_of_memory(r);
		return;
	}
	memcpy(loc, path, plen);
	n = plen;
	for (p = query; *p != '\0'; p = *end == '&' ? end + 1 : end) {
		if ((end = strchr(p, '&')) == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (!router_query_known(r->route, p, (size_t)((eq != NULL ?
		    eq : end) - p)))
			continue;
		loc[n] = n == plen ? '?' : '&';
		n++;
		memcpy(loc + n, p, (size_t)(end - p));
		n += (size_t)(end - p);
	}
	loc[n] = '\0';
	request_redirect(r, 301, loc, page_secret(path));
	free(loc);
}

#define QUERY_UNKNOWN_MAX	32	/* unknown parameters listed at most */

/*
 * Query parameters the route does not take are not ignored.  A page
 * (GET or HEAD) is sent to its own address without them (301): a link
 * with a newsletter's tracking tag still works, and what is bookmarked
 * or shared is the page's address.  Anything else is refused with 422
 * naming each (the first QUERY_UNKNOWN_MAX), before the handler looks at
 * the values of the others.  False when r is answered.
 */
static bool
http_query_check(struct request *r)
{
	const char *path = http_req_path(r->ev), *query = http_req_query(r->ev);
	struct evkeyval *kv;
	json_t *errors = NULL;
	int n = 0;

	TAILQ_FOREACH(kv, &r->query, next) {
		if (router_query_known(r->route, kv->key, strlen(kv->key)))
			continue;
		if (r->face != FACE_API && (r->method == EVHTTP_REQ_GET ||
		    r->method == EVHTTP_REQ_HEAD)) {
			json_decref(errors);
			http_query_redirect(r, path, query);
			return false;
		}
		if (errors == NULL && (errors = json_array()) == NULL) {
			request_out_of_memory(r);
			return false;
		}
		if (n++ < QUERY_UNKNOWN_MAX)
			validate_error_code(errors, kv->key, VE_UNKNOWN_FIELD,
			    "unknown query parameter");
	}
	if (errors == NULL)
		return true;
	request_problem(r, 422, "validation-failed",
	    "The request has invalid fields.",
	    "This address takes no such query parameter.", errors);
	return false;
}

static void
http_route(struct request *r)
{
	struct http_req *ev = r->ev;
	const char *path, *query, *auth, *why;
	struct route_match m;
	int status;

	if ((status = http_req_error(ev, &why)) != 0) {
		http_refuse(r, status, why);
		return;
	}
	path = http_req_path(ev);
	query = http_req_query(ev);
	http_match(r, path, &m);
	if (m.route == NULL && strncmp(path, "/api/", 5) != 0) {
		/* a browser that strayed gets a page, a program JSON */
		const char *accept = request_header(r, "Accept");

		r->face = accept != NULL && strstr(accept, "text/html") !=
		    NULL ? FACE_WEB : FACE_API;
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
	r->face = r->route->face;
	if (query != NULL && evhttp_parse_query_str(query, &r->query) == -1) {
		request_problem(r, 400, "malformed-query", "Malformed query",
		    "The query string is not valid.", NULL);
		return;
	}
	if (r->face == FACE_CONSOLE) {
		/* people, by their session; never by a token */
		r->resume = http_after_auth;
		session_check(r);
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
http_request_cb(struct http_req *ev, void *arg)
{
	static const char busy[] = "{\"type\":\"about:blank\","
	    "\"title\":\"Service unavailable\",\"status\":503}\n";
	struct request *r;

	if ((r = request_new(arg, ev)) == NULL) {
		http_req_add_header(ev, "Content-Type",
		    "application/problem+json");
		http_req_add_header(ev, "Connection", "close");
		http_reply(ev, 503, "Service Unavailable", busy,
		    sizeof(busy) - 1, NULL, NULL);
		return;
	}
	request_dispatch(r, http_route);
}

bool
http_start(struct server *srv)
{
	const struct settings *s = srv->s;
	struct httpd_limits lim = {
		.max_header_size = (size_t)s->max_header_size,
		.max_body_size = (size_t)s->max_body_size,
		.idle_timeout = s->idle_timeout,
		.max_connections = s->max_connections,
		/* behind a proxy every connection comes from the proxy */
		.max_per_address = s->trust_forwarded_for ? 0 :
		    s->max_connections_per_address,
	};

	if ((srv->http = httpd_new(srv->base, &lim, http_request_cb, srv)) ==
	    NULL) {
		log_warnx("cannot set up HTTP");
		return false;
	}
	if (!httpd_listen(srv->http, s->listen_host, s->listen_port))
		return false;
	log_info("listening on %s", s->listen);
	return true;
}

void
http_drain(struct server *srv)
{
	/* the requests count what is in flight; the server stops taking more */
	if (!request_drain(srv))
		return;
	if (srv->http != NULL)
		httpd_stop_listening(srv->http);
}

void
http_stop(struct server *srv)
{
	/* with requests unfinished, their connections must stay */
	if (srv->http != NULL && request_inflight(srv) == 0)
		httpd_free(srv->http);
	srv->http = NULL;
	request_drain_free(srv);
}
