/*
 * test_util.c - the bounded string building of util.c, the tokens and the
 * hash.
 */
#include "autoconf.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "base/util.h"

static void
test_str_put(void)
{
	char buf[8], big[64];
	size_t n;

	n = str_put(buf, sizeof(buf), 0, "abc", 3);
	ok(n == 3, "three bytes in");
	is_str(buf, "abc", "text so far");
	n = str_put(buf, sizeof(buf), n, "defghij", 7);
	ok(n == 7, "cut at the size less the NUL (got %zu)", n);
	is_str(buf, "abcdefg", "what fits is kept");
	n = str_put(buf, sizeof(buf), n, "xyz", 3);
	ok(n == 7 && strcmp(buf, "abcdefg") == 0, "a full buffer stays as it is");
	n = str_put(buf, sizeof(buf), 100, "x", 1);
	ok(n == 7 && buf[7] == '\0', "an offset past the end is clamped");
	ok(str_put(buf, 0, 0, "x", 1) == 0, "a buffer of no size takes nothing");
	n = str_put(buf, sizeof(buf), 0, "", 0);
	ok(n == 0 && buf[0] == '\0', "nothing appended gives the empty text");

	n = str_put_uint(big, sizeof(big), 0, 0);
	is_str(big, "0", "zero");
	n = str_put(big, sizeof(big), n, " ", 1);
	n = str_put_uint(big, sizeof(big), n, 1234567890ULL);
	is_str(big, "0 1234567890", "appended after text");
	str_put_uint(big, sizeof(big), 0, ULLONG_MAX);
	{
		char want[32];

		snprintf(want, sizeof(want), "%llu", ULLONG_MAX);
		is_str(big, want, "the largest value");
	}
	n = str_put_uint(buf, 4, 0, 98765);
	ok(n == 3, "a number is cut like text");
	is_str(buf, "987", "its leading digits kept");
}

static void
test_tokens(void)
{
	char t[TOKEN_LEN + 1], u[TOKEN_LEN + 1];

	ok(token_new(t) && token_new(u), "two tokens made");
	ok(strlen(t) == TOKEN_LEN && token_wellformed(t), "a token is well formed");
	ok(strcmp(t, u) != 0, "and differs from the next");
	ok(!token_wellformed("short"), "a short text is no token");
	t[5] = '+';
	ok(!token_wellformed(t), "a character outside base64url is refused");
}

static void
test_hash(void)
{
	ok(hash_str("abc", 1) == hash_mem("abc", 3, 1), "hash_str is hash_mem");
	ok(hash_str("abc", 1) != hash_str("abc", 2), "the seed changes it");
	ok(hash_str("abc", 1) != hash_str("abd", 1), "the text changes it");
	ok(hex_digit('0') == 0 && hex_digit('f') == 15 && hex_digit('F') == 15,
	    "hex digits");
	ok(hex_digit('g') == -1 && hex_digit('/') == -1, "non-digits are -1");
}

static void
test_url_encode(void)
{
	char out[64];

	ok(url_encode("Markt 1, 8900 Ieper", out, sizeof(out)),
	    "an address encodes");
	is_str(out, "Markt%201%2C%208900%20Ieper", "spaces and commas escaped");
	ok(url_encode("a-b.c_d~e&f=g?h#i/j+k", out, sizeof(out)), "reserved");
	is_str(out, "a-b.c_d~e%26f%3Dg%3Fh%23i%2Fj%2Bk", "only the unreserved "
	    "stay as they are");
	ok(url_encode("Caf\xc3\xa9", out, sizeof(out)), "UTF-8");
	is_str(out, "Caf%C3%A9", "UTF-8 byte by byte");
	ok(!url_encode("     ", out, 15) && out[0] == '\0',
	    "what does not fit is refused, whole");
	ok(url_encode("    ", out, 13), "exactly fitting");
}

int
main(void)
{
	test_str_put();
	test_tokens();
	test_hash();
	test_url_encode();
	return done_testing();
}
