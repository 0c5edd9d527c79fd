/* test_html.c - escaping by default: hostile text stays text. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "render/html.h"
#include "tap.h"

/* What html_text makes of s. */
static char *
escaped(const char *s)
{
	struct html h;
	char *out;

	html_init(&h);
	html_text(&h, s);
	out = strdup(html_str(&h));
	html_free(&h);
	return out;
}

static void
check(const char *in, const char *want, const char *what)
{
	char *got = escaped(in);

	is_str(got, want, "%s", what);
	free(got);
}

static void
test_text(void)
{
	check("An Peeters", "An Peeters", "plain text unchanged");
	check("", "", "empty");
	check("<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "a script tag is text");
	check("\"><img src=x onerror=alert(1)>",
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
	    "cannot leave a double-quoted attribute");
	check("' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)",
	    "cannot leave a single-quoted attribute");
	check("Bakkerij Peeters & Zonen", "Bakkerij Peeters &amp; Zonen",
	    "ampersand");
	check("&amp;", "&amp;amp;", "an entity is shown, not decoded");
	check("</textarea><script>", "&lt;/textarea&gt;&lt;script&gt;",
	    "cannot close a textarea");
	check("caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x8e\x93 d\xc3\xa9 lerende",
	    "caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x8e\x93 d\xc3\xa9 lerende",
	    "UTF-8 (2, 3 and 4 bytes) passes unchanged");
	check("a\xff" "b", "a\xef\xbf\xbd" "b", "an invalid byte becomes U+FFFD");
	check("\xc3", "\xef\xbf\xbd", "a truncated sequence becomes U+FFFD");
	check("\xc0\xbc" "script", "\xef\xbf\xbd\xef\xbf\xbdscript",
	    "an overlong '<' is not a '<'");
	check("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "a surrogate is refused");
	check("a\x01" "b\x7f" "c", "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c",
	    "control characters replaced");
	check("\xc2\x85", "\xef\xbf\xbd", "C1 control replaced");
	check("line\none\ttab", "line\none\ttab", "newline and tab kept");
}

static void
test_fmt(void)
{
	struct html h;
	const char *hostile = "x\" onclick=\"alert(1)";

	html_init(&h);
	html_fmt(&h, "<a href=\"/events/%s\" title=\"%s\">%s</a>", "slug",
	    hostile, "<b>");
	is_str(html_str(&h), "<a href=\"/events/slug\" title=\"x&quot; "
	    "onclick=&quot;alert(1)\">&lt;b&gt;</a>",
	    "the template is markup, every %%s argument text");
	html_free(&h);

	html_init(&h);
	html_fmt(&h, "<p>%d %u %ld %lld %zu %%</p>", -3, 4u, 5L, 6LL,
	    (size_t)7);
	is_str(html_str(&h), "<p>-3 4 5 6 7 %</p>", "numbers and %%%%");
	html_free(&h);

	html_init(&h);
	html_fmt(&h, "[%.*s]", 3, "<<<<<");
	is_str(html_str(&h), "[&lt;&lt;&lt;]", "%%.*s escapes its part");
	html_text(&h, NULL);
	is_str(html_str(&h), "[&lt;&lt;&lt;]", "NULL adds nothing");
	html_free(&h);
}

static void
test_raw_append_lines(void)
{
	struct html h, frag;

	html_init(&h);
	html_init(&frag);
	html_raw(&h, "<ul>");
	html_fmt(&frag, "<li>%s</li>", "1 < 2");
	html_append(&h, &frag);
	html_raw(&h, "</ul>");
	is_str(html_str(&h), "<ul><li>1 &lt; 2</li></ul>",
	    "literal markup and an escaped fragment");
	html_free(&frag);
	html_free(&h);

	html_init(&h);
	html_text_lines(&h, "Eerste <regel>\r\ntweede\nderde");
	is_str(html_str(&h), "Eerste &lt;regel&gt;<br>\ntweede<br>\nderde",
	    "line breaks become <br>, the text stays escaped");
	html_free(&h);
}

static void
test_growth_and_escape_buffer(void)
{
	struct html h;
	char big[5000], out[16];
	size_t i;

	memset(big, '<', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	html_init(&h);
	html_text(&h, big);
	ok(html_ok(&h) && h.len == 4 * (sizeof(big) - 1) &&
	    strncmp(html_str(&h), "&lt;&lt;", 8) == 0,
	    "a long text grows the buffer (%zu bytes)", h.len);
	for (i = 0; i < h.len; i += 4)
		if (strncmp(html_str(&h) + i, "&lt;", 4) != 0)
			break;
	ok(i == h.len, "every byte escaped");
	html_free(&h);

	ok(html_escape("<b>", out, sizeof(out)) && strcmp(out, "&lt;b&gt;") == 0,
	    "html_escape into a buffer");
	ok(!html_escape("<<<<<<<<", out, sizeof(out)) && out[0] == '\0',
	    "html_escape refuses what does not fit");
}

static void
test_json(void)
{
	struct html h;
	json_t *v = json_pack("{s:s, s:i}", "name",
	    "</script><!-- \"a\" & 'b' > \xc3\xa9", "n", 3);

	html_init(&h);
	html_json(&h, v);
	is_str(html_str(&h), "{\"name\":\"\\u003c/script\\u003e\\u003c!-- "
	    "\\\"a\\\" \\u0026 'b' \\u003e \xc3\xa9\",\"n\":3}",
	    "JSON for a script element: < > & as \\u escapes, the rest as is");
	json_decref(v);
	v = json_loads(html_str(&h), 0, NULL);
	is_str(json_string_value(json_object_get(v, "name")),
	    "</script><!-- \"a\" & 'b' > \xc3\xa9", "and it reads back the same");
	json_decref(v);
	html_json(&h, NULL);
	ok(!html_ok(&h), "nothing to write fails the page");
	html_free(&h);
}

int
main(void)
{
	test_text();
	test_fmt();
	test_raw_append_lines();
	test_growth_and_escape_buffer();
	test_json();
	return done_testing();
}
