/*
 * http/session.c - the console's sessions: the cookie, the check before
 * every console route's handler, the CSRF token of a session's forms;
 * see session.h and docs/CONSOLE.md.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "http/session.h"
#include "input/account.h"
#include "input/form.h"
#include "render/console.h"
#include "render/page.h"

/* the purpose a session's CSRF token is derived for */
#define CSRF_PURPOSE	"leerkans console csrf"

static bool
session_https(const struct request *r)
{
	return strncmp(r->srv->s->public_url, "https://", 8) == 0;
}

static const char *
session_cookie(const struct request *r)
{
	return session_https(r) ? "__Host-lk_session" : "lk_session";
}

bool
session_token(struct request *r, char out[TOKEN_LEN + 1])
{
	if (!cookie_get(request_header(r, "Cookie"), session_cookie(r), out,
	    TOKEN_LEN + 1) || !token_wellformed(out)) {
		explicit_bzero(out, TOKEN_LEN + 1);
		return false;
	}
	return true;
}

static void
session_cookie_header(struct request *r, const char *token)
{
	char cookie[200];

	/* no Max-Age: the browser forgets it when it closes; an ended
	 * session's cookie is told to go at once */
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s%s", session_cookie(r), token,
	    session_https(r) ? "; Secure" : "",
	    *token == '\0' ? "; Max-Age=0" : "");
	request_add_header(r, "Set-Cookie", cookie);
	explicit_bzero(cookie, sizeof(cookie));
}

void
session_challenge(struct request *r)
{
	request_add_header(r, "WWW-Authenticate",
	    "Form realm=\"leerkans beheer\", action=\"/beheer/login\"");
}

void
session_set_cookie(struct request *r, const char *token)
{
	session_cookie_header(r, token);
}

void
session_clear_cookie(struct request *r)
{
	session_cookie_header(r, "");
}

/*
 * No session where the route needs one: a GET goes to the login page,
 * which brings the browser back here afterwards; anything else (a form
 * sent after the session ended) gets a page that says to log in.  stale:
 * the browser sent a cookie that names no live session, which it may
 * forget now.
 */
static void
session_deny(struct request *r, bool stale)
{
	const char *path = http_req_path(r->ev), *query = http_req_query(r->ev);
	const char *lq, *sep = "?";
	char here[600], loc[1200], *enc;
	size_t n;

	if (stale)
		session_clear_cookie(r);
	if (r->method != EVHTTP_REQ_GET && r->method != EVHTTP_REQ_HEAD) {
		request_problem(r, 401, "login-required", "Login required",
		    "Log in at /beheer/login first.", NULL);
		return;
	}
	request_lang(r, &lq);
	snprintf(here, sizeof(here), "%s%s%s", path, query != NULL ? "?" : "",
	    query != NULL ? query : "");
	enc = account_next_ok(here) ? evhttp_uriencode(here, -1, 0) : NULL;
	n = str_put(loc, sizeof(loc), 0, "/beheer/login", 13);
	if (*lq != '\0') {
		n = str_put(loc, sizeof(loc), n, lq, strlen(lq));
		sep = "&";
	}
	if (enc != NULL) {
		n = str_put(loc, sizeof(loc), n, sep, 1);
		n = str_put(loc, sizeof(loc), n, "next=", 5);
		n = str_put(loc, sizeof(loc), n, enc, strlen(enc));
		sep = "&";
	}
	if (stale) {
		n = str_put(loc, sizeof(loc), n, sep, 1);
		n = str_put(loc, sizeof(loc), n, "m=expired", 9);
	}
	free(enc);
	request_redirect(r, 303, loc, false);
}

static void
session_found(struct request *r, const struct db_result *res)
{
	enum account_role need = router_least_role(r->route->auth), role;
	char token[TOKEN_LEN + 1];
	const char *text, *email, *rolename;
	json_t *doc, *id;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((text = db_result_text(res, NULL)) == NULL) {
		if (need > ROLE_NONE) {
			session_deny(r, true);
			return;
		}
		session_clear_cookie(r);
		r->resume(r);
		return;
	}
	doc = json_loads(text, 0, NULL);
	email = json_string_value(json_object_get(doc, "email"));
	rolename = json_string_value(json_object_get(doc, "role"));
	id = json_object_get(doc, "id");
	if (email == NULL || !json_is_integer(id) ||
	    !account_role_parse(rolename, &role) ||
	    strlen(email) > ACCOUNT_EMAIL_MAX ||
	    (r->user = calloc(1, sizeof(*r->user))) == NULL ||
	    !session_token(r, token) ||
	    !token_derive(token, CSRF_PURPOSE, r->user->csrf)) {
		json_decref(doc);
		explicit_bzero(token, sizeof(token));
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	explicit_bzero(token, sizeof(token));
	r->user->id = (long long)json_integer_value(id);
	r->user->role = role;
	snprintf(r->user->email, sizeof(r->user->email), "%s", email);
	json_decref(doc);
	r->role = role;
	if (role < need) {
		log_info("%s %s: user %lld (%s) may not", router_method_name(
		    r->method), r->log_path, r->user->id,
		    account_role_name(role));
		request_problem(r, 403, "not-allowed", "Forbidden",
		    "This account's role may not use this page.", NULL);
		return;
	}
	r->resume(r);
}

void
session_check(struct request *r)
{
	char token[TOKEN_LEN + 1], idle[16];
	const char *params[2];

	if (!session_token(r, token)) {
		if (router_least_role(r->route->auth) > ROLE_NONE)
			session_deny(r, false);
		else
			r->resume(r);
		return;
	}
	snprintf(idle, sizeof(idle), "%d", r->srv->s->session_idle_timeout);
	params[0] = token;
	params[1] = idle;
	request_db(r, sql_session, 2, params, session_found);
	explicit_bzero(token, sizeof(token));
}

bool
session_csrf_ok(struct request *r)
{
	const char *field = form_get(r->form, PAGE_CSRF_FIELD);

	return r->user != NULL && request_same_origin(r) && field != NULL &&
	    token_wellformed(field) && secure_equal(field, r->user->csrf);
}

void
session_console_ctx(struct request *r, struct console_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->page.lang = request_lang(r, &c->page.lq);
	c->page.public_url = r->srv->s->public_url;
	c->notice = request_arg(r, "m");	/* a code the page looks up */
	if (r->user == NULL)
		return;
	c->email = r->user->email;
	c->user_id = r->user->id;
	c->role = r->user->role;
	c->page.csrf = r->user->csrf;
}
