/*
 * test_account.c - the console's accounts as input (input/account.c),
 * their password hashes (base/password.c) and the tokens derived from a
 * session's (token_derive, base/util.c): roles both ways, the password
 * rule at its edges, logins normalised, where a login may send the
 * browser (never elsewhere), Argon2id hashes that verify, refuse and
 * carry today's cost, and a derived token that is stable, apart per
 * purpose and tells nothing of its key.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "base/password.h"
#include "base/util.h"
#include "input/account.h"
#include "tap.h"

static void
test_roles(void)
{
	enum account_role r = ROLE_NONE;

	ok(account_role_parse("door", &r) && r == ROLE_DOOR, "door");
	ok(account_role_parse("organiser", &r) && r == ROLE_ORGANISER,
	    "organiser");
	ok(account_role_parse("admin", &r) && r == ROLE_ADMIN, "admin");
	ok(!account_role_parse("Admin", &r) && !account_role_parse("", &r) &&
	    !account_role_parse(NULL, &r) && !account_role_parse("none", &r),
	    "nothing else is a role");
	is_str(account_role_name(ROLE_ORGANISER), "organiser", "its name");
	ok(account_role_name(ROLE_NONE) == NULL, "no name for no role");
	ok(ROLE_DOOR < ROLE_ORGANISER && ROLE_ORGANISER < ROLE_ADMIN,
	    "door < organiser < admin");
}

static void
test_password_rule(void)
{
	char long_pw[ACCOUNT_PASSWORD_MAX + 2];

	ok(account_password_check("elf tekens!") == PASSWORD_SHORT,
	    "eleven characters are too short");
	ok(account_password_check("twaalf tekens") == PASSWORD_OK,
	    "twelve will do, spaces and all");
	ok(account_password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") ==
	    PASSWORD_SHORT, "characters are counted, not bytes (11 x e-acute)");
	ok(account_password_check("tab\there is not ok") == PASSWORD_INVALID,
	    "a control character");
	ok(account_password_check("not \xff\xfe UTF-8 at all") ==
	    PASSWORD_INVALID, "bytes that are not UTF-8");
	memset(long_pw, 'x', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	ok(account_password_check(long_pw) == PASSWORD_LONG,
	    "over %d bytes", ACCOUNT_PASSWORD_MAX);
	long_pw[ACCOUNT_PASSWORD_MAX] = '\0';
	ok(account_password_check(long_pw) == PASSWORD_OK,
	    "%d bytes exactly", ACCOUNT_PASSWORD_MAX);
}

static void
test_email(void)
{
	char out[ACCOUNT_EMAIL_MAX + 1], big[400];

	ok(account_email_normalize("  An.Peeters@West-Vlaanderen.BE\t", out,
	    sizeof(out)), "an address with spaces and capitals");
	is_str(out, "an.peeters@west-vlaanderen.be", "trimmed, lower case");
	ok(!account_email_normalize("an peeters", out, sizeof(out)) &&
	    out[0] == '\0', "no address: refused, nothing written");
	ok(!account_email_normalize("", out, sizeof(out)), "empty");
	memset(big, 'a', sizeof(big));
	memcpy(big + sizeof(big) - 12, "@example.be", 12);
	ok(!account_email_normalize(big, out, sizeof(out)), "too long");
	ok(!account_email_normalize("an@example.be", out, 5), "no room");
}

static void
test_next(void)
{
	static const char *const good[] = {
		"/beheer/", "/beheer/users", "/beheer/events/netwerkevent-2027",
		"/beheer/audit?action=login&before=12", "/beheer/?lang=en",
		"/beheer/loginlist",
	};
	static const char *const bad[] = {
		NULL, "", "/", "/beheer", "https://evil.example/beheer/",
		"//evil.example/beheer/", "/beheer//evil.example",
		"/beheer/\\evil", "/beheer/../api/v1/events", "/beheer/..",
		"/beheer/%2e%2e/x", "/beheer/%2E./x", "/beheer/./x",
		"/beheer/login", "/beheer/login?next=/beheer/", "/beheer/logout",
		"/beheer/x y", "/beheer/x\r\nSet-Cookie:a=b", "/beheer/#top",
		"/beheer/\"onmouseover", "/beheer/caf\xc3\xa9",
		"/api/v1/events", "/events/x",
	};
	char big[600];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(account_next_ok(good[i]), "may go to %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!account_next_ok(bad[i]), "may not go to bad[%zu] %.*s", i,
		    bad[i] ? (int)strcspn(bad[i], "\r\n") : 6,
		    bad[i] ? bad[i] : "(null)");
	snprintf(big, sizeof(big), "/beheer/%0550d", 0);
	ok(!account_next_ok(big), "nor anywhere over 512 bytes");
}

static void
test_hash(void)
{
	char hash[PASSWORD_HASH_SIZE], again[PASSWORD_HASH_SIZE];

	ok(password_init(), "libsodium and the dummy hash");
	ok(password_hash("correct horse battery", hash), "a hash");
#define COST	"$argon2id$v=19$m=65536,t=2,p=1$"
	ok(strncmp(hash, COST, strlen(COST)) == 0,
	    "Argon2id, 64 MiB, 2 passes: %s", hash);
	ok(password_hash_wellformed(hash), "in its own form");
	ok(password_verify(hash, "correct horse battery"), "verifies");
	ok(!password_verify(hash, "correct horse batterY"), "one letter off");
	ok(!password_verify(hash, ""), "empty");
	ok(password_hash("correct horse battery", again) &&
	    strcmp(hash, again) != 0 &&
	    password_verify(again, "correct horse battery"),
	    "a second hash of it has its own salt");
	ok(!password_needs_rehash(hash), "made with today's cost");
	ok(password_needs_rehash("$argon2id$v=19$m=262144,t=3,p=1$"
	    "QreZjmJeyJNiHHTuaY2GJg$YkbgoP16EuQNTLNUQssJkai724b7x94qvMzM9n3WfG4"),
	    "a MODERATE hash would be made again");
	ok(!password_verify("$2y$10$notargon", "x") &&
	    !password_verify("", "") && !password_verify("plain text", "plain"
	    " text"), "what is no Argon2id hash verifies nothing");
	ok(password_hash_wellformed(password_dummy()) &&
	    !password_verify(password_dummy(), "") &&
	    !password_verify(password_dummy(), "correct horse battery"),
	    "the dummy hash is one, and matches nothing we try");
}

static void
test_derive(void)
{
	static const char key[] = "Sess0123456789Sess0123456789Sess0123456789S";
	static const char other[] = "Sess0123456789Sess0123456789Sess0123456789T";
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1], c[TOKEN_LEN + 1];

	ok(token_derive(key, "csrf", a) && token_wellformed(a),
	    "a token from a token");
	ok(token_derive(key, "csrf", b) && strcmp(a, b) == 0, "the same again");
	ok(token_derive(key, "other", c) && strcmp(a, c) != 0,
	    "another for another purpose");
	ok(token_derive(other, "csrf", c) && strcmp(a, c) != 0,
	    "another for another key, one character off");
	ok(strstr(a, "Sess") == NULL && strcmp(a, key) != 0,
	    "nothing of the key shows");
	ok(!token_derive("short", "csrf", c), "a key that is no token");
}

int
main(void)
{
	test_roles();
	test_password_rule();
	test_email();
	test_next();
	test_hash();
	test_derive();
	return done_testing();
}
