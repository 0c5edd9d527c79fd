/* test_json.c - JSON as the daemon sends it: compact, ending in "\n". */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/json.h"
#include "tap.h"

/* is text compact JSON on one line: no white space outside strings? */
static int
compact(const char *s, size_t len)
{
	int in = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in && s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '"')
			in = !in;
		else if (!in && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\n' || s[i] == '\r'))
			return 0;
	}
	return !in;
}

static void
test_compact(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		/* PostgreSQL's json_build_object and json_agg spacing */
		{ "{\"a\" : 1, \"b\" : [1, 2, {\"c\" : null}]}",
		  "{\"a\":1,\"b\":[1,2,{\"c\":null}]}\n" },
		/* keys keep their order, not sorted */
		{ "{\"z\" : 1, \"a\" : 2, \"m\" : 3}",
		  "{\"z\":1,\"a\":2,\"m\":3}\n" },
		/* white space inside strings stays */
		{ "{\"title\" : \"Netwerk : event , voorjaar\"}",
		  "{\"title\":\"Netwerk : event , voorjaar\"}\n" },
		/* escapes as they are, an escaped quote or backslash does not
		 * end the string; UTF-8 as it is */
		{ "{\"t\" : \"a\\\" , b\\\\\" , \"c\\nd\\u00e9 \xc3\xa9 /\"}",
		  "{\"t\":\"a\\\" , b\\\\\",\"c\\nd\\u00e9 \xc3\xa9 /\"}\n" },
		/* numbers as PostgreSQL wrote them */
		{ "[0.1, 1e400, -0.0, 12345678901234567890]",
		  "[0.1,1e400,-0.0,12345678901234567890]\n" },
		/* 64-bit integers whole */
		{ "{\"id\" : 9223372036854775807, \"n\" : -12}",
		  "{\"id\":9223372036854775807,\"n\":-12}\n" },
		/* newlines and tabs between tokens (json_agg puts some) */
		{ "[{\"a\" : 1}, \n {\"a\" : 2}]\t",
		  "[{\"a\":1},{\"a\":2}]\n" },
		{ "\"x\"", "\"x\"\n" },
		{ "{}", "{}\n" },
	};
	char *out;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = json_text_compact(cases[i].in, strlen(cases[i].in),
		    &len);
		is_str(out, cases[i].want, "compact: case %zu", i);
		ok(out != NULL && len == strlen(out) && compact(out, len - 1),
		    "length and form of case %zu", i);
		free(out);
	}
	ok(json_text_compact("{\"a\" : ", 7, &len) == NULL,
	    "an object cut short: NULL");
	ok(json_text_compact("{\"a\" : \"b}", 10, &len) == NULL,
	    "a string cut short: NULL");
	ok(json_text_compact("[1]]", 4, &len) == NULL, "a bracket too many");
	ok(json_text_compact("[1\0]", 4, &len) == NULL, "a NUL byte");
	ok(json_text_compact("", 0, &len) == NULL, "nothing: NULL");
	ok(json_text_compact(" \n", 2, &len) == NULL, "white space: NULL");
}

static void
test_dump(void)
{
	json_t *p = json_pack("{s:s, s:i, s:[{s:s}]}", "type",
	    "http://x/problems/not-found", "status", 404, "errors", "field",
	    "e-mail");
	char *out;
	size_t len;

	out = json_text_dump(p, &len);
	is_str(out, "{\"type\":\"http://x/problems/not-found\",\"status\":404,"
	    "\"errors\":[{\"field\":\"e-mail\"}]}\n", "a problem, compact");
	ok(out != NULL && len == strlen(out), "its length");
	free(out);
	json_decref(p);
}

int
main(void)
{
	test_compact();
	test_dump();
	return done_testing();
}
