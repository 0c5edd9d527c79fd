/*
 * input/account.c - roles, logins, the password rule and the way back
 * after a login; see account.h.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "input/account.h"
#include "input/form.h"
#include "input/validate.h"

static const char *const role_names[] = {
	[ROLE_DOOR] = "door",
	[ROLE_ORGANISER] = "organiser",
	[ROLE_ADMIN] = "admin",
};

const char *
account_role_name(enum account_role role)
{
	if (role <= ROLE_NONE || role > ROLE_ADMIN)
		return NULL;
	return role_names[role];
}

bool
account_role_parse(const char *s, enum account_role *out)
{
	enum account_role r;

	for (r = ROLE_DOOR; s != NULL && r <= ROLE_ADMIN; r++)
		if (strcmp(s, role_names[r]) == 0) {
			*out = r;
			return true;
		}
	return false;
}

enum account_password
account_password_check(const char *pw)
{
	size_t len = strlen(pw), i;

	if (len > ACCOUNT_PASSWORD_MAX)
		return PASSWORD_LONG;
	if (!utf8_valid((const unsigned char *)pw, len))
		return PASSWORD_INVALID;
	for (i = 0; i < len; i++)
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
			return PASSWORD_INVALID;
	if (utf8_length(pw) < ACCOUNT_PASSWORD_MIN)
		return PASSWORD_SHORT;
	return PASSWORD_OK;
}

bool
account_email_normalize(const char *in, char *out, size_t outlen)
{
	size_t len, i;

	if (outlen > 0)
		out[0] = '\0';
	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len == 0 || len > ACCOUNT_EMAIL_MAX || len >= outlen)
		return false;
	for (i = 0; i < len; i++)
		out[i] = in[i] >= 'A' && in[i] <= 'Z' ?
		    (char)(in[i] - 'A' + 'a') : in[i];
	out[len] = '\0';
	if (!valid_email(out)) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* Is path the page p, with or without a query? */
static bool
is_page(const char *path, const char *p)
{
	size_t n = strlen(p);

	return strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '?');
}

bool
account_next_ok(const char *path)
{
	const char *seg, *end;
	size_t i, len, n;

	if (path == NULL || strncmp(path, "/beheer/", 8) != 0)
		return false;
	len = strlen(path);
	if (len > 512)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];

		/* what a browser would read as another place, or not a
		 * path at all */
		if (c <= ' ' || c >= 0x7f || c == '\\' || c == '#' ||
		    c == '"' || c == '<' || c == '>')
			return false;
	}
	/* "//x" would be another host, and dot segments could climb out
	 * of /beheer/: neither an empty segment nor "." nor ".." (or one
	 * encoded) in the path */
	for (seg = path + 1; *seg != '\0' && *seg != '?'; seg = end + 1) {
		end = seg + strcspn(seg, "/?");
		n = (size_t)(end - seg);
		if ((n == 0 && *end == '/') || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.') ||
		    memmem(seg, n, "%2e", 3) != NULL ||
		    memmem(seg, n, "%2E", 3) != NULL)
			return false;
		if (*end != '/')
			break;
	}
	return !is_page(path, "/beheer/login") &&
	    !is_page(path, "/beheer/logout");
}
