/*
 * handlers/routes.c - the route table: every path the daemon answers,
 * its handler, who may call it, what body it takes, its face (how its
 * errors are answered: problem+json for programs, an HTML page for
 * people) and the query parameters it takes (http/router.h).
 * http/dispatch.c routes through it; the unit test and the router's
 * fuzzer link it as it is.
 */
#include "autoconf.h"

#include "http/router.h"
#include "handlers/handlers.h"

const struct route routes[] = {
	{ EVHTTP_REQ_GET, "/healthz", h_healthz,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/readyz", h_readyz,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },

	{ EVHTTP_REQ_GET, "/api/v1/events", h_events_list,
	  AUTH_OPTIONAL, BODY_NONE, FACE_API, "kind from to" },
	{ EVHTTP_REQ_POST, "/api/v1/events", h_events_create,
	  AUTH_REQUIRED, BODY_JSON, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/api/v1/events/:slug", h_events_get,
	  AUTH_OPTIONAL, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_PATCH, "/api/v1/events/:slug", h_events_patch,
	  AUTH_REQUIRED, BODY_JSON, FACE_API, NULL },
	{ EVHTTP_REQ_POST, "/api/v1/events/:slug/sessions", h_sessions_create,
	  AUTH_REQUIRED, BODY_JSON, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/api/v1/events/:slug/sessions/:session",
	  h_sessions_get, AUTH_OPTIONAL, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_PATCH, "/api/v1/events/:slug/sessions/:session",
	  h_sessions_patch, AUTH_REQUIRED, BODY_JSON, FACE_API, NULL },
	{ EVHTTP_REQ_POST, "/api/v1/events/:slug/registrations",
	  h_registrations_create, AUTH_NONE, BODY_JSON, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/api/v1/registrations/:token", h_registrations_get,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_DELETE, "/api/v1/registrations/:token",
	  h_registrations_cancel, AUTH_NONE, BODY_NONE, FACE_API, NULL },

	{ EVHTTP_REQ_GET, "/api/v1/events/:slug/attendees", h_attendees,
	  AUTH_REQUIRED, BODY_NONE, FACE_API,
	  "format session status delimiter" },
	{ EVHTTP_REQ_POST, "/api/v1/registrations/:id/check-in", h_check_in,
	  AUTH_REQUIRED, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_DELETE, "/api/v1/registrations/:id/check-in",
	  h_check_in_undo, AUTH_REQUIRED, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/api/v1/stats/reach", h_reach,
	  AUTH_REQUIRED, BODY_NONE, FACE_API, "year format delimiter" },
	{ EVHTTP_REQ_POST, "/api/v1/erasure", h_erasure,
	  AUTH_REQUIRED, BODY_JSON, FACE_API, NULL },

	/* calendar feeds, for calendar programs; the literal before the
	 * parameter */
	{ EVHTTP_REQ_GET, "/feeds/events.ics", h_feeds_all,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/feeds/personal/:token.ics", h_feeds_personal,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/feeds/:kind.ics", h_feeds_kind,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	/* before any "/events/:slug", which would match it too */
	{ EVHTTP_REQ_GET, "/events/:slug.ics", h_feeds_event,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },

	/* web pages (API.md section 5), handlers/web.c */
	{ EVHTTP_REQ_GET, "/", h_web_index,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	/* a file the pages link, not a page: what goes wrong with it is
	 * for the browser, not the reader */
	{ EVHTTP_REQ_GET, "/static/leerkans.css", h_web_css,
	  AUTH_NONE, BODY_NONE, FACE_API, "v" },
	/*
	 * Keep "/events/:slug" BELOW any "/events/:slug.ics" row (the event
	 * feed): the first pattern that matches wins, and ":slug" would
	 * take "x.ics" too.
	 */
	{ EVHTTP_REQ_GET, "/events/:slug", h_web_event,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_GET, "/events/:slug/register", h_web_register_get,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_POST, "/events/:slug/register", h_web_register,
	  AUTH_NONE, BODY_FORM, FACE_WEB, "lang" },
	{ EVHTTP_REQ_GET, "/r/:token", h_web_registration,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_GET, "/r/:token/cancel", h_web_cancel_get,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_POST, "/r/:token/cancel", h_web_cancel,
	  AUTH_NONE, BODY_FORM, FACE_WEB, "lang" },
	/* what each problem type means: its type URI (handlers/problems.c) */
	{ EVHTTP_REQ_GET, "/problems/:name", h_problem,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },

	/* the organiser console (/beheer/, API.md section 10) comes here,
	 * FACE_CONSOLE */
	{ 0, NULL, NULL, AUTH_NONE, BODY_NONE, FACE_API, NULL }
};
