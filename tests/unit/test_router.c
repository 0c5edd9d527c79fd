/* test_router.c - the route table: matching, 404, 405 + Allow, masking. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "http/router.h"
#include "tap.h"

/* the handlers are leerkansd's; here they only need to exist */
#define STUB(name) void name(struct request *r) { (void)r; }
STUB(h_healthz)
STUB(h_readyz)
STUB(h_events_list)
STUB(h_events_get)
STUB(h_events_create)
STUB(h_events_patch)
STUB(h_sessions_get)
STUB(h_sessions_create)
STUB(h_sessions_patch)
STUB(h_registrations_create)
STUB(h_registrations_get)
STUB(h_registrations_cancel)
STUB(h_links)
STUB(h_web_links_get)
STUB(h_web_links)
STUB(h_feeds_all)
STUB(h_feeds_kind)
STUB(h_feeds_event)
STUB(h_feeds_personal)
STUB(h_web_index)
STUB(h_web_css)
STUB(h_web_event)
STUB(h_web_register_get)
STUB(h_web_register)
STUB(h_web_registration)
STUB(h_web_cancel_get)
STUB(h_web_cancel)
STUB(h_attendees)
STUB(h_check_in)
STUB(h_check_in_undo)
STUB(h_reach)
STUB(h_erasure)
STUB(h_public_privacy)
STUB(h_public_accessibility)
STUB(h_public_sitemap)
STUB(h_public_robots)
STUB(h_public_logo)
STUB(h_public_openapi)
STUB(h_console_root)
STUB(h_console_login_get)
STUB(h_console_login)
STUB(h_console_logout)
STUB(h_console_dashboard)
STUB(h_console_event)
STUB(h_console_event_new)
STUB(h_console_event_edit)
STUB(h_console_event_create)
STUB(h_console_event_update)
STUB(h_console_event_preview)
STUB(h_console_event_publish)
STUB(h_console_event_cancel_get)
STUB(h_console_event_cancel)
STUB(h_console_event_duplicate_get)
STUB(h_console_event_duplicate)
STUB(h_console_users)
STUB(h_console_user_new)
STUB(h_console_user_create)
STUB(h_console_user_disable)
STUB(h_console_user_enable)
STUB(h_console_user_role)
STUB(h_console_tokens)
STUB(h_console_token_new)
STUB(h_console_token_create)
STUB(h_console_token_revoke)
STUB(h_console_audit)
STUB(h_roster_list)
STUB(h_roster_print)
STUB(h_roster_export)
STUB(h_roster_walk_in_new)
STUB(h_roster_walk_in)
STUB(h_roster_cancel_get)
STUB(h_roster_cancel)
STUB(h_roster_erasure_get)
STUB(h_roster_erasure)
STUB(h_door_today)
STUB(h_door_event)
STUB(h_door_check_in)
STUB(h_door_undo)
STUB(h_door_code)
STUB(h_door_code_check_in)
STUB(h_teller)
STUB(h_teller_xlsx)
STUB(h_problem)

static const struct route table[] = {
	{ EVHTTP_REQ_GET, "/feeds/events.ics", h_healthz, AUTH_NONE, BODY_NONE,
	  FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/feeds/:kind.ics", h_readyz, AUTH_NONE, BODY_NONE,
	  FACE_API, NULL },
	{ EVHTTP_REQ_GET, "/r/:token", h_events_get, AUTH_NONE, BODY_NONE,
	  FACE_WEB, "lang" },
	{ EVHTTP_REQ_DELETE, "/r/:token", h_events_patch, AUTH_NONE,
	  BODY_NONE, FACE_WEB, "lang" },
	{ 0, NULL, NULL, AUTH_NONE, BODY_NONE, FACE_API, NULL }
};

static void
test_real_table(void)
{
	struct route_match m;

	router_match(routes, "/api/v1/events", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_events_list, "GET list");
	router_match_free(&m);

	router_match(routes, "/api/v1/events", EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_events_create &&
	    m.route->auth == AUTH_REQUIRED, "POST needs a token");
	router_match_free(&m);

	router_match(routes, "/api/v1/events", EVHTTP_REQ_PUT, &m);
	ok(m.route == NULL && m.path_found, "PUT is 405");
	is_str(m.allow, "GET, HEAD, POST, OPTIONS", "Allow lists the methods");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/netwerkevent-2027",
	    EVHTTP_REQ_HEAD, &m);
	ok(m.route != NULL && m.route->handler == h_events_get,
	    "HEAD is served by GET");
	is_str(m.params[0], "netwerkevent-2027", "slug parameter");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/a/sessions/b", EVHTTP_REQ_PATCH,
	    &m);
	ok(m.route != NULL && m.route->handler == h_sessions_patch &&
	    m.nparams == 2, "two parameters");
	is_str(m.params[1], "b", "session parameter");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "empty slug is 404");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/a/b", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "unknown path is 404");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/a%2Fb", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "encoded slash is 404");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/ev-1/attendees", EVHTTP_REQ_GET,
	    &m);
	ok(m.route != NULL && m.route->handler == h_attendees &&
	    m.route->auth == AUTH_REQUIRED, "attendees need a token");
	is_str(m.params[0], "ev-1", "attendees: event slug");
	router_match_free(&m);

	router_match(routes, "/api/v1/registrations/42/check-in",
	    EVHTTP_REQ_DELETE, &m);
	ok(m.route != NULL && m.route->handler == h_check_in_undo &&
	    m.route->auth == AUTH_DOOR, "DELETE check-in undoes it, for the "
	    "door too");
	is_str(m.params[0], "42", "check-in: registration id");
	router_match_free(&m);

	router_match(routes, "/api/v1/registrations/42/check-in",
	    EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && m.path_found, "GET check-in is 405");
	is_str(m.allow, "POST, DELETE, OPTIONS", "check-in Allow");
	router_match_free(&m);

	router_match(routes, "/api/v1/stats/reach", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_reach &&
	    m.route->auth == AUTH_REQUIRED, "reach needs a token");
	router_match_free(&m);

	router_match(routes, "/api/v1/erasure", EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_erasure &&
	    m.route->auth == AUTH_REQUIRED && m.route->body == BODY_JSON,
	    "erasure needs a token and a JSON body");
	router_match_free(&m);

	router_match(routes, "/feeds/events.ics", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_feeds_all, "all events feed");
	router_match_free(&m);

	router_match(routes, "/feeds/network-event.ics", EVHTTP_REQ_HEAD, &m);
	ok(m.route != NULL && m.route->handler == h_feeds_kind &&
	    m.route->auth == AUTH_NONE, "a kind's feed, public");
	is_str(m.params[0], "network-event", "kind parameter");
	router_match_free(&m);

	router_match(routes, "/feeds/personal/"
	    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd.ics", EVHTTP_REQ_GET,
	    &m);
	ok(m.route != NULL && m.route->handler == h_feeds_personal,
	    "personal feed");
	is_str(m.log_path, "/feeds/personal/****.ics", "its token masked");
	router_match_free(&m);

	router_match(routes, "/events/netwerkevent-2027.ics", EVHTTP_REQ_GET,
	    &m);
	ok(m.route != NULL && m.route->handler == h_feeds_event,
	    "an event's feed");
	is_str(m.params[0], "netwerkevent-2027", "slug before the suffix");
	router_match_free(&m);

	router_match(routes, "/feeds/events.ics", EVHTTP_REQ_POST, &m);
	ok(m.route == NULL && m.path_found, "POST to a feed is 405");
	is_str(m.allow, "GET, HEAD, OPTIONS", "feeds allow GET and HEAD");
	router_match_free(&m);
}

static void
test_web_routes(void)
{
	static const char token[] = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
	char path[128];
	struct route_match m;

	router_match(routes, "/", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_web_index, "GET / lists");
	router_match_free(&m);

	router_match(routes, "/static/leerkans.css", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_web_css, "the style sheet");
	router_match_free(&m);

	router_match(routes, "/events/netwerkevent-2027", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_web_event &&
	    m.route->body == BODY_NONE, "GET an event page");
	is_str(m.params[0], "netwerkevent-2027", "its slug");
	router_match_free(&m);

	router_match(routes, "/events/netwerkevent-2027/register",
	    EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_web_register &&
	    m.route->body == BODY_FORM && m.route->auth == AUTH_NONE,
	    "POST the form: a form body, no token");
	router_match_free(&m);

	router_match(routes, "/events/netwerkevent-2027", EVHTTP_REQ_DELETE,
	    &m);
	ok(m.route == NULL && m.path_found, "DELETE an event page is 405");
	is_str(m.allow, "GET, HEAD, OPTIONS", "Allow of an event page");
	router_match_free(&m);

	snprintf(path, sizeof(path), "/r/%s", token);
	router_match(routes, path, EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_web_registration,
	    "GET the registrant's page");
	is_str(m.log_path, "/r/****", "its token masked");
	router_match_free(&m);

	snprintf(path, sizeof(path), "/r/%s/cancel", token);
	router_match(routes, path, EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_web_cancel &&
	    m.route->body == BODY_FORM, "POST cancel");
	is_str(m.log_path, "/r/****/cancel", "cancel's token masked");
	router_match_free(&m);
}

/*
 * Every route says who reads it: the pages' errors are pages, the API's
 * and the feeds' problem+json; a form is only ever a page's.
 */
static void
test_faces(void)
{
	const struct route *rt;
	bool api_ok = true, web_ok = true, forms_ok = true, console_ok = true;
	int web = 0, console = 0;

	for (rt = routes; rt->pattern != NULL; rt++) {
		bool page = strcmp(rt->pattern, "/") == 0 ||
		    (strncmp(rt->pattern, "/events/", 8) == 0 &&
		    strstr(rt->pattern, ".ics") == NULL) ||
		    strncmp(rt->pattern, "/r/", 3) == 0 ||
		    strcmp(rt->pattern, "/privacy") == 0 ||
		    strcmp(rt->pattern, "/accessibility") == 0 ||
		    strcmp(rt->pattern, "/links") == 0 ||
		    strncmp(rt->pattern, "/problems/", 10) == 0;

		if (strncmp(rt->pattern, "/beheer", 7) == 0) {
			console++;
			if (rt->face != FACE_CONSOLE)
				console_ok = false;
		} else if (page) {
			web++;
			if (rt->face != FACE_WEB)
				web_ok = false;
		} else if (rt->face != FACE_API)
			api_ok = false;
		if (rt->body == BODY_FORM && rt->face == FACE_API)
			forms_ok = false;
	}
	ok(web == 12 && web_ok, "the twelve page routes have the web face (%d)",
	    web);
	ok(console == 44 && console_ok, "the console's 44 routes have its face "
	    "(%d)", console);
	ok(api_ok, "the API, feeds, health, the style sheet, the logo, "
	    "robots.txt and the sitemap: problem+json");
	ok(forms_ok, "a form is never posted to an API face");
}

/*
 * The console's routes say the least role they need; only the login
 * (and the way to it) needs none.  The door's token reaches check-in
 * and nothing else of the API.
 */
static void
test_roles(void)
{
	const struct route *rt;
	bool open_ok = true, admin_ok = true, door_api_ok = true;
	struct route_match m;

	for (rt = routes; rt->pattern != NULL; rt++) {
		if (rt->face == FACE_CONSOLE && rt->auth == AUTH_NONE &&
		    strcmp(rt->pattern, "/beheer") != 0 &&
		    strcmp(rt->pattern, "/beheer/login") != 0)
			open_ok = false;
		if ((strncmp(rt->pattern, "/beheer/users", 13) == 0 ||
		    strncmp(rt->pattern, "/beheer/tokens", 14) == 0 ||
		    strncmp(rt->pattern, "/beheer/audit", 13) == 0 ||
		    strncmp(rt->pattern, "/beheer/wissen", 14) == 0) &&
		    rt->auth != AUTH_ADMIN)
			admin_ok = false;
		/* an event's registrations are the organiser's, never the
		 * door's */
		if (strstr(rt->pattern, "/registrations") != NULL &&
		    rt->face == FACE_CONSOLE && rt->auth != AUTH_REQUIRED)
			admin_ok = false;
		if (rt->face == FACE_API && rt->auth == AUTH_DOOR &&
		    strstr(rt->pattern, "/check-in") == NULL)
			door_api_ok = false;
		if (rt->face == FACE_API && rt->auth == AUTH_ADMIN)
			door_api_ok = false;
	}
	for (rt = routes; rt->pattern != NULL; rt++)
		if (strncmp(rt->pattern, "/beheer/events", 14) == 0 &&
		    rt->auth != AUTH_REQUIRED)
			admin_ok = false;
	ok(open_ok, "only the login is open on the console");
	ok(admin_ok, "users, tokens and the audit log are for admins; "
	    "events for organisers");
	router_match(routes, "/beheer/deur/netwerkevent-2027/12/check-in",
	    EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_door_check_in &&
	    m.route->auth == AUTH_DOOR && m.route->body == BODY_FORM,
	    "the door checks in with a form");
	router_match_free(&m);
	router_match(routes, "/beheer/c/abcdefghijklmnopqrstuvwx",
	    EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_door_code &&
	    m.route->auth == AUTH_DOOR && strstr(m.log_path, "abcdefgh") ==
	    NULL, "a check-in code's page: the door, the code masked in the "
	    "log");
	router_match_free(&m);
	router_match(routes, "/beheer/teller", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_teller &&
	    m.route->auth == AUTH_REQUIRED, "De teller loopt: organisers");
	router_match_free(&m);
	ok(door_api_ok, "a door token reaches only check-in");
	ok(router_least_role(AUTH_NONE) == ROLE_NONE &&
	    router_least_role(AUTH_DOOR) == ROLE_DOOR &&
	    router_least_role(AUTH_REQUIRED) == ROLE_ORGANISER &&
	    router_least_role(AUTH_OPTIONAL) == ROLE_ORGANISER &&
	    router_least_role(AUTH_ADMIN) == ROLE_ADMIN,
	    "the least role of each auth");

	router_match(routes, "/beheer/", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_console_dashboard &&
	    m.route->auth == AUTH_DOOR, "the dashboard: any role");
	router_match_free(&m);
	router_match(routes, "/beheer/events/netwerkevent-2027", EVHTTP_REQ_GET,
	    &m);
	ok(m.route != NULL && m.route->handler == h_console_event &&
	    m.route->auth == AUTH_REQUIRED, "an event: organisers");
	is_str(m.params[0], "netwerkevent-2027", "its slug");
	router_match_free(&m);
	router_match(routes, "/beheer/events/new", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_console_event_new,
	    "a new event's form, not an event called new");
	router_match_free(&m);
	router_match(routes, "/beheer/events/netwerk-2027/cancel",
	    EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_console_event_cancel_get,
	    "the confirmation before cancelling");
	router_match_free(&m);
	router_match(routes, "/beheer/events/netwerk-2027/cancel",
	    EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_console_event_cancel &&
	    m.route->body == BODY_FORM, "cancelling: a form");
	router_match_free(&m);
	router_match(routes, "/beheer/users/new", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && m.route->handler == h_console_user_new,
	    "the new user's form");
	router_match_free(&m);
	router_match(routes, "/beheer/users/12/role", EVHTTP_REQ_POST, &m);
	ok(m.route != NULL && m.route->handler == h_console_user_role &&
	    m.route->body == BODY_FORM, "a role change is a form");
	router_match_free(&m);
	router_match(routes, "/beheer/logout", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && m.path_found, "GET logout is 405");
	is_str(m.allow, "POST, OPTIONS", "logout is a POST");
	router_match_free(&m);
}

/*
 * The query parameters a route takes: a page takes lang, the API never;
 * the lists are matched whole, not by prefix.
 */
static void
test_query(void)
{
	const struct route *rt;
	bool pages_lang = true, api_no_lang = true;
	struct route_match m;

	for (rt = routes; rt->pattern != NULL; rt++) {
		bool lang = router_query_known(rt, "lang", 4);

		if (rt->face != FACE_API && !lang)
			pages_lang = false;
		if (rt->face == FACE_API && lang)
			api_no_lang = false;
	}
	ok(pages_lang, "every page takes ?lang=");
	ok(api_no_lang, "no API route takes ?lang=");

	router_match(routes, "/api/v1/events", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && router_query_known(m.route, "kind", 4) &&
	    router_query_known(m.route, "from", 4) &&
	    router_query_known(m.route, "to", 2), "the list: kind, from, to");
	ok(!router_query_known(m.route, "q", 1) &&
	    !router_query_known(m.route, "kin", 3) &&
	    !router_query_known(m.route, "kinds", 5) &&
	    !router_query_known(m.route, "", 0) &&
	    !router_query_known(m.route, "from to", 7),
	    "names whole: no prefix, no longer name, no empty one");
	ok(router_query_known(m.route, "tomorrow", 2),
	    "a name of len bytes");
	router_match_free(&m);
	router_match(routes, "/api/v1/events/x", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && !router_query_known(m.route, "kind", 4),
	    "one event takes none");
	router_match_free(&m);
	router_match(routes, "/api/v1/stats/reach", EVHTTP_REQ_GET, &m);
	ok(m.route != NULL && router_query_known(m.route, "year", 4) &&
	    router_query_known(m.route, "format", 6) &&
	    router_query_known(m.route, "delimiter", 9), "reach: year, "
	    "format, delimiter");
	router_match_free(&m);
}

static void
test_patterns(void)
{
	struct route_match m;

	router_match(table, "/feeds/events.ics", EVHTTP_REQ_GET, &m);
	ok(m.route == &table[0], "literal before parameter");
	router_match_free(&m);

	router_match(table, "/feeds/sme-info-session.ics", EVHTTP_REQ_GET, &m);
	ok(m.route == &table[1], "suffix parameter");
	is_str(m.params[0], "sme-info-session", "suffix stripped");
	router_match_free(&m);

	router_match(table, "/feeds/.ics", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "empty before the suffix");
	router_match_free(&m);

	router_match(table, "/feeds/x.json", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "other suffix");
	router_match_free(&m);

	router_match(table, "/r/AbC_dEf-0123456789xyz", EVHTTP_REQ_DELETE, &m);
	ok(m.route == &table[3], "method picks the row");
	is_str(m.log_path, "/r/****", "token masked in the log path");
	is_str(m.params[0], "AbC_dEf-0123456789xyz", "token decoded");
	router_match_free(&m);

	router_match(table, "/r/AbC_dEf-0123456789xyz/extra", EVHTTP_REQ_GET,
	    &m);
	ok(m.route == NULL && !m.path_found, "unknown path");
	ok(strstr(m.log_path, "AbC_dEf") == NULL,
	    "secret-looking segment masked on 404: %s", m.log_path);
	router_match_free(&m);

	router_match(routes, "/api/v1/events/an@example.be", EVHTTP_REQ_GET, &m);
	is_str(m.log_path, "/api/v1/events/****",
	    "a parameter no slug can be is masked in the log path");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/netwerkevent-2027", EVHTTP_REQ_GET,
	    &m);
	is_str(m.log_path, "/api/v1/events/netwerkevent-2027",
	    "a slug is logged as it is");
	router_match_free(&m);

	router_match(table, "/r/x%00y", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "encoded NUL is 404");
	router_match_free(&m);

	router_match(table, "/r/x%zzy", EVHTTP_REQ_GET, &m);
	ok(m.route == NULL && !m.path_found, "bad escape is 404");
	router_match_free(&m);

	router_match(table, "/r/caf%C3%A9", EVHTTP_REQ_GET, &m);
	is_str(m.params[0], "caf\xc3\xa9", "percent-decoded UTF-8");
	router_match_free(&m);
}

/* No e-mail address reaches the log, on 404 either, however short. */
static void
test_no_email_in_log(void)
{
	struct route_match m;

	router_match(routes, "/api/v1/events/x/an@example.be", EVHTTP_REQ_GET,
	    &m);
	ok(!m.path_found, "unknown path");
	is_str(m.log_path, "/api/v1/events/x/****",
	    "a short e-mail address is masked on 404");
	router_match_free(&m);

	router_match(routes, "/a@b.be", EVHTTP_REQ_GET, &m);
	is_str(m.log_path, "/****", "in the first segment too");
	router_match_free(&m);

	router_match(routes, "/api/v1/events%40x/y", EVHTTP_REQ_GET, &m);
	is_str(m.log_path, "/api/v1/****/y", "an encoded '@' is masked");
	router_match_free(&m);

	router_match(routes, "/api/v1/events/x/caf%C3%A9", EVHTTP_REQ_GET, &m);
	is_str(m.log_path, "/api/v1/events/x/caf%C3%A9",
	    "other short segments are logged as they are");
	router_match_free(&m);
}

static void
test_decode(void)
{
	char *s;

	s = router_decode("a%41b", 5);
	is_str(s, "aAb", "decode %%41");
	free(s);
	ok(router_decode("a%4", 3) == NULL, "truncated escape");
	ok(router_decode("%", 1) == NULL, "lone percent");
	ok(router_decode("%2f", 3) == NULL, "slash refused");
}

int
main(void)
{
	test_real_table();
	test_web_routes();
	test_faces();
	test_roles();
	test_query();
	test_patterns();
	test_no_email_in_log();
	test_decode();
	return done_testing();
}
