/*
 * http/session.h - the console's sessions in the walk of a request: the
 * cookie, the session it names, the route's least role, and the CSRF
 * token of the session's forms.
 *
 * Every route with the console's face goes through session_check before
 * its body is read and its handler runs, as an API route with a token
 * goes through the token lookup (http/dispatch.c):
 *
 *	no cookie, or no live session behind it
 *	    a route that needs none (the login)	-> the handler
 *	    GET or HEAD				-> 303 to the login page,
 *						   ?next= the page asked for
 *	    anything else			-> 401, a page
 *	a session whose role is below the route's  -> 403 page (not-allowed)
 *	a session that may				-> r->user, r->role; the
 *						   handler (a form: its
 *						   CSRF token first)
 *
 * The cookie holds 256 random bits (token_new); the database keeps only
 * their sha256 (user_sessions).  It is "__Host-lk_session" when
 * public_url is https (then Secure too), else "lk_session"; always
 * HttpOnly, SameSite=Lax, Path=/, and no Max-Age: it goes when the
 * browser closes, and the server ends it sooner (idle timeout, absolute
 * lifetime, logout, the account disabled).  A form of a session carries
 * token_derive(session token, "csrf"): only the session's browser can
 * make it, and it needs no storage.
 */
#ifndef LEERKANS_SESSION_H
#define LEERKANS_SESSION_H

#include <stdbool.h>

#include "base/util.h"

struct console_ctx;
struct request;

/*
 * Authenticates r, a request on a console route, by its session cookie,
 * then goes on with r->resume(r); or answers it (see above).
 */
void	session_check(struct request *r);
/* Does r's form carry its session's CSRF token, sent from this site? */
bool	session_csrf_ok(struct request *r);

/* The session token in r's cookie, into out; false if none fits. */
bool	session_token(struct request *r, char out[TOKEN_LEN + 1]);
/*
 * The WWW-Authenticate header a 401 must carry: its scheme says a form
 * logs one in (browsers show the page, and ask nothing themselves).
 */
void	session_challenge(struct request *r);
/* Set-Cookie for a new session's token, or to end the one the browser
 * holds. */
void	session_set_cookie(struct request *r, const char *token);
void	session_clear_cookie(struct request *r);

/*
 * What a console page may know of r: the reader's language, the
 * signed-in user (address, role, id) and the CSRF token of the
 * session's forms, the notice asked for with ?m=.
 */
void	session_console_ctx(struct request *r, struct console_ctx *c);

#endif
