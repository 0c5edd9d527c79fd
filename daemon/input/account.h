/*
 * input/account.h - the organiser console's accounts as outside input:
 * roles (and the scopes of API tokens, which are the same ladder), the
 * login (an e-mail address, normalised), the password rule, and where a
 * login may send the browser afterwards.  Pure checks, shared by
 * leerkansd and leerkansctl and unit-tested in tests/unit/test_account.c.
 */
#ifndef LEERKANS_ACCOUNT_H
#define LEERKANS_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What a credential may do, least first: each role may do all that the
 * ones below it may.  A console session has a user's role; an API token
 * has a scope, door or organiser (API.md section 10).
 */
enum account_role {
	ROLE_NONE,		/* nobody in particular */
	ROLE_DOOR,		/* checks people in */
	ROLE_ORGANISER,		/* runs events, registrations, exports */
	ROLE_ADMIN		/* also users, tokens, erasure, the audit log */
};

/* "door", "organiser", "admin"; NULL for ROLE_NONE. */
const char *account_role_name(enum account_role role);
/* The role named s (one of the three); false for anything else. */
bool	account_role_parse(const char *s, enum account_role *out)
	    __attribute__((warn_unused_result));

/* The password rule: at least this many characters, at most this many
 * bytes, valid UTF-8 without control characters. */
#define ACCOUNT_PASSWORD_MIN	12
#define ACCOUNT_PASSWORD_MAX	1024
/* The longest login (an e-mail address, RFC 5321) */
#define ACCOUNT_EMAIL_MAX	254

enum account_password {
	PASSWORD_OK,
	PASSWORD_SHORT,		/* fewer than ACCOUNT_PASSWORD_MIN characters */
	PASSWORD_LONG,		/* more than ACCOUNT_PASSWORD_MAX bytes */
	PASSWORD_INVALID	/* not UTF-8, or a control character */
};

enum account_password account_password_check(const char *pw);

/*
 * The login as stored: in trimmed of spaces and tabs, ASCII letters in
 * lower case (people type their address in any case; mail servers do
 * not tell them apart in practice).  False, out empty, when that is not
 * an e-mail address (valid_email) or does not fit ACCOUNT_EMAIL_MAX.
 */
bool	account_email_normalize(const char *in, char *out, size_t outlen)
	    __attribute__((warn_unused_result));

/*
 * May a login send the browser to path afterwards?  Only a local path
 * under /beheer/ (with a query, perhaps): never another site ("//x",
 * "/\x", a scheme), never the login or logout itself, nothing with
 * control characters, spaces, backslashes or '#', at most 512 bytes.
 */
bool	account_next_ok(const char *path);

#endif
