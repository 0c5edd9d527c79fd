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
	/* the API reference, docs/openapi.yaml as JSON (handlers/public.c) */
	{ EVHTTP_REQ_GET, "/api/v1/openapi.json", h_public_openapi,
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
	/* "send me my links" (handlers/links.c): 202 whoever asks */
	{ EVHTTP_REQ_POST, "/api/v1/links", h_links,
	  AUTH_NONE, BODY_JSON, FACE_API, NULL },

	{ EVHTTP_REQ_GET, "/api/v1/events/:slug/attendees", h_attendees,
	  AUTH_REQUIRED, BODY_NONE, FACE_API,
	  "format profile session status delimiter" },
	/* a token of scope door may do this and nothing else */
	{ EVHTTP_REQ_POST, "/api/v1/registrations/:id/check-in", h_check_in,
	  AUTH_DOOR, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_DELETE, "/api/v1/registrations/:id/check-in",
	  h_check_in_undo, AUTH_DOOR, BODY_NONE, FACE_API, NULL },
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
	{ EVHTTP_REQ_GET, "/links", h_web_links_get,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_POST, "/links", h_web_links,
	  AUTH_NONE, BODY_FORM, FACE_WEB, "lang" },
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

	/* what the site says about itself (API.md section 12),
	 * handlers/public.c; the sitemap, robots.txt and the logo are
	 * files for programs, not pages */
	{ EVHTTP_REQ_GET, "/privacy", h_public_privacy,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_GET, "/accessibility", h_public_accessibility,
	  AUTH_NONE, BODY_NONE, FACE_WEB, "lang" },
	{ EVHTTP_REQ_GET, "/sitemap.xml", h_public_sitemap,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/robots.txt", h_public_robots,
	  AUTH_NONE, BODY_NONE, FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/static/logo", h_public_logo,
	  AUTH_NONE, BODY_NONE, FACE_API, "v" },

	/*
	 * The organiser console (API.md section 10), handlers/console.c.
	 * The auth column is the least role of the session's user (door <
	 * organiser (AUTH_REQUIRED) < admin); http/session.c checks it, and
	 * a form's CSRF token, before the handler runs.
	 */
	{ EVHTTP_REQ_GET, "/beheer", h_console_root,
	  AUTH_NONE, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_GET, "/beheer/login", h_console_login_get,
	  AUTH_NONE, BODY_NONE, FACE_CONSOLE, "lang m next" },
	{ EVHTTP_REQ_POST, "/beheer/login", h_console_login,
	  AUTH_NONE, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/logout", h_console_logout,
	  AUTH_DOOR, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/", h_console_dashboard,
	  AUTH_DOOR, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_GET, "/beheer/events/new", h_console_event_new,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/events", h_console_event_create,
	  AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug", h_console_event,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/events/:slug", h_console_event_update,
	  AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/edit", h_console_event_edit,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/preview",
	  h_console_event_preview, AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE,
	  "lang" },
	{ EVHTTP_REQ_POST, "/beheer/events/:slug/publish",
	  h_console_event_publish, AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE,
	  "lang" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/cancel",
	  h_console_event_cancel_get, AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE,
	  "lang" },
	{ EVHTTP_REQ_POST, "/beheer/events/:slug/cancel",
	  h_console_event_cancel, AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE,
	  "lang" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/duplicate",
	  h_console_event_duplicate_get, AUTH_REQUIRED, BODY_NONE,
	  FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/events/:slug/duplicate",
	  h_console_event_duplicate, AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE,
	  "lang" },
	/* an event's registrations, handlers/roster.c */
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/registrations", h_roster_list,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE,
	  "lang m q organisation status session checked" },
	{ EVHTTP_REQ_POST, "/beheer/events/:slug/registrations",
	  h_roster_walk_in, AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/registrations/new",
	  h_roster_walk_in_new, AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE,
	  "lang" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/registrations/print",
	  h_roster_print, AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE,
	  "lang session" },
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/registrations/:id/cancel",
	  h_roster_cancel_get, AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/events/:slug/registrations/:id/cancel",
	  h_roster_cancel, AUTH_REQUIRED, BODY_FORM, FACE_CONSOLE, "lang" },
	/* a file, but a console user's: a refusal is a page */
	{ EVHTTP_REQ_GET, "/beheer/events/:slug/export", h_roster_export,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE,
	  "lang format profile session status delimiter" },
	{ EVHTTP_REQ_GET, "/beheer/wissen", h_roster_erasure_get,
	  AUTH_ADMIN, BODY_NONE, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/wissen", h_roster_erasure,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/users", h_console_users,
	  AUTH_ADMIN, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/users", h_console_user_create,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/users/new", h_console_user_new,
	  AUTH_ADMIN, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/users/:id/disable", h_console_user_disable,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/users/:id/enable", h_console_user_enable,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/users/:id/role", h_console_user_role,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/tokens", h_console_tokens,
	  AUTH_ADMIN, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/tokens", h_console_token_create,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/tokens/new", h_console_token_new,
	  AUTH_ADMIN, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/tokens/:id/revoke", h_console_token_revoke,
	  AUTH_ADMIN, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/audit", h_console_audit,
	  AUTH_ADMIN, BODY_NONE, FACE_CONSOLE, "lang m action before" },
	/* check-in at the door (handlers/door.c): the door's role may do
	 * this; the code's page is the QR code's address, the code named
	 * :token so that the log masks it */
	{ EVHTTP_REQ_GET, "/beheer/deur", h_door_today,
	  AUTH_DOOR, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_GET, "/beheer/deur/:slug", h_door_event,
	  AUTH_DOOR, BODY_NONE, FACE_CONSOLE, "lang m q" },
	{ EVHTTP_REQ_POST, "/beheer/deur/:slug/:id/check-in", h_door_check_in,
	  AUTH_DOOR, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_POST, "/beheer/deur/:slug/:id/undo", h_door_undo,
	  AUTH_DOOR, BODY_FORM, FACE_CONSOLE, "lang" },
	{ EVHTTP_REQ_GET, "/beheer/c/:token", h_door_code,
	  AUTH_DOOR, BODY_NONE, FACE_CONSOLE, "lang m" },
	{ EVHTTP_REQ_POST, "/beheer/c/:token", h_door_code_check_in,
	  AUTH_DOOR, BODY_FORM, FACE_CONSOLE, "lang" },
	/* "De teller loopt" (handlers/teller.c): the page and its workbook */
	{ EVHTTP_REQ_GET, "/beheer/teller", h_teller,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE, "lang from to event" },
	{ EVHTTP_REQ_GET, "/beheer/teller.xlsx", h_teller_xlsx,
	  AUTH_REQUIRED, BODY_NONE, FACE_CONSOLE, "lang from to event" },
	{ 0, NULL, NULL, AUTH_NONE, BODY_NONE, FACE_API, NULL }
};
