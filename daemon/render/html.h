/*
 * html.h - building HTML with escaping by default.
 *
 * A struct html is a growing output buffer.  Text goes in escaped; markup
 * goes in only from places the compiler can vouch for:
 *
 *	html_fmt(h, "<a href=\"/events/%s\">%s</a>", slug, title);
 *
 * The format is the template: it must be a string literal (-Wformat=2
 * refuses anything else), and every %s argument is HTML-escaped, so a
 * value cannot close a tag or an attribute.  Numbers (%d %u %ld %lld
 * %zu) need no escaping.  html_raw() takes a literal only (it does not
 * compile with a variable); html_append() adds a fragment built with this
 * same API.  There is no way to insert a computed string unescaped.
 *
 * Templates quote every attribute value with double quotes; escaping
 * makes &, <, >, " and ' harmless there as in text.  Invalid UTF-8 and
 * control characters (other than tab and newlines) become U+FFFD, so
 * the page stays well-formed whatever came in.
 *
 * Running out of memory is sticky: the buffer is marked failed and
 * html_ok() says so once, at the end.
 */
#ifndef LEERKANS_HTML_H
#define LEERKANS_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct html {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

void	html_init(struct html *h);
void	html_free(struct html *h);
bool	html_ok(const struct html *h);
/* The text so far, NUL-terminated ("" when failed or empty). */
const char *html_str(const struct html *h);

void	html_fmt(struct html *h, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Escaped text. */
void	html_text(struct html *h, const char *text);
void	html_textn(struct html *h, const char *text, size_t len);
/* Text with each line break as <br> (for descriptions). */
void	html_text_lines(struct html *h, const char *text);
/* A fragment made with this API. */
void	html_append(struct html *h, const struct html *fragment);

/* Literal markup: html_raw(h, "<p>") compiles, html_raw(h, var) does not. */
#define html_raw(h, literal)	html_literal_((h), "" literal "")
void	html_literal_(struct html *h, const char *markup);

/*
 * A JSON value as the text of a <script type="application/ld+json">
 * element (whose content HTML does not unescape): compact, with every
 * <, > and & written as a \u escape, so that nothing in it can end the
 * element or open a comment.  A value jansson cannot write fails h.
 */
void	html_json(struct html *h, const json_t *v);

/* Escapes text into a caller's buffer; false when it did not fit. */
bool	html_escape(const char *text, char *out, size_t outlen);

#endif
