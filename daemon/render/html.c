/*
 * html.c - an output buffer where text is escaped unless it is template
 * markup the compiler saw as a literal.  See html.h.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/html.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

void
html_init(struct html *h)
{
	memset(h, 0, sizeof(*h));
}

void
html_free(struct html *h)
{
	free(h->buf);
	memset(h, 0, sizeof(*h));
}

bool
html_ok(const struct html *h)
{
	return !h->failed;
}

const char *
html_str(const struct html *h)
{
	return h->buf != NULL && !h->failed ? h->buf : "";
}

static bool
reserve(struct html *h, size_t more)
{
	size_t want;
	char *nb;

	if (h->failed)
		return false;
	if (more > SIZE_MAX / 2 - h->len) {
		h->failed = true;
		return false;
	}
	want = h->len + more + 1;
	if (want <= h->cap)
		return true;
	if (want < 2 * h->cap)
		want = 2 * h->cap;
	if (want < 1024)
		want = 1024;
	if ((nb = realloc(h->buf, want)) == NULL) {
		h->failed = true;
		return false;
	}
	h->buf = nb;
	h->cap = want;
	return true;
}

static void
put(struct html *h, const char *s, size_t n)
{
	if (!reserve(h, n))
		return;
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void
html_literal_(struct html *h, const char *markup)
{
	put(h, markup, strlen(markup));
}

void
html_append(struct html *h, const struct html *fragment)
{
	if (fragment->failed) {
		h->failed = true;
		return;
	}
	if (fragment->len > 0)
		put(h, fragment->buf, fragment->len);
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
html_textn(struct html *h, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0, len;

	if (text == NULL)
		return;
	while (i < n) {
		const char *rep = NULL;
		unsigned char c = s[i];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\t': case '\n': case '\r':
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				rep = REPLACEMENT;
			break;
		}
		if (rep == NULL && c >= 0x80) {
			len = utf8_seq(s + i, n - i);
			if (len == 0)
				rep = REPLACEMENT;
			else if (len == 2 && c == 0xc2 && s[i + 1] <= 0x9f) {
				/* a C1 control, U+0080 to U+009F */
				put(h, text + i - run, run);
				put(h, REPLACEMENT, strlen(REPLACEMENT));
				run = 0;
				i += 2;
				continue;
			} else {
				i += len;
				run += len;
				continue;
			}
		}
		if (rep == NULL) {
			i++;
			run++;
			continue;
		}
		put(h, text + i - run, run);
		put(h, rep, strlen(rep));
		run = 0;
		i++;
	}
	put(h, text + i - run, run);
}

void
html_text(struct html *h, const char *text)
{
	if (text != NULL)
		html_textn(h, text, strlen(text));
}

void
html_text_lines(struct html *h, const char *text)
{
	const char *p, *nl;

	if (text == NULL)
		return;
	for (p = text; (nl = strpbrk(p, "\r\n")) != NULL; p = nl + 1) {
		html_textn(h, p, (size_t)(nl - p));
		html_raw(h, "<br>\n");
		if (nl[0] == '\r' && nl[1] == '\n')
			nl++;
	}
	html_text(h, p);
}

void
html_json(struct html *h, const json_t *v)
{
	char *text, *p;
	size_t run;

	/* jansson writes valid UTF-8 only; < > & can only be inside strings,
	 * where \u003c and the like mean the same */
	if (v == NULL || (text = json_dumps(v, JSON_COMPACT |
	    JSON_ENCODE_ANY)) == NULL) {
		h->failed = true;
		return;
	}
	for (p = text; *p != '\0'; p += run) {
		run = strcspn(p, "<>&");
		put(h, p, run);
		if (p[run] == '\0')
			break;
		put(h, p[run] == '<' ? "\\u003c" : p[run] == '>' ? "\\u003e" :
		    "\\u0026", 6);
		run++;
	}
	free(text);
}

bool
html_escape(const char *text, char *out, size_t outlen)
{
	struct html h;
	bool fits;

	html_init(&h);
	html_text(&h, text);
	fits = html_ok(&h) && h.len < outlen;
	if (outlen > 0)
		snprintf(out, outlen, "%s", fits ? html_str(&h) : "");
	html_free(&h);
	return fits;
}

/*
 * The conversions html_fmt knows; the compiler has checked the argument
 * types against the format already.
 */
void
html_fmt(struct html *h, const char *fmt, ...)
{
	const char *p = fmt, *pct;
	char num[32];
	va_list ap;

	va_start(ap, fmt);
	while ((pct = strchr(p, '%')) != NULL) {
		put(h, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '%') {
			put(h, "%", 1);
			p++;
		} else if (*p == 's') {
			html_text(h, va_arg(ap, const char *));
			p++;
		} else if (strncmp(p, ".*s", 3) == 0) {
			int prec = va_arg(ap, int);
			const char *s = va_arg(ap, const char *);

			if (s != NULL && prec > 0)
				html_textn(h, s, strnlen(s, (size_t)prec));
			p += 3;
		} else if (*p == 'd' || *p == 'i') {
			snprintf(num, sizeof(num), "%d", va_arg(ap, int));
			put(h, num, strlen(num));
			p++;
		} else if (*p == 'u') {
			snprintf(num, sizeof(num), "%u", va_arg(ap, unsigned));
			put(h, num, strlen(num));
			p++;
		} else if (strncmp(p, "ld", 2) == 0) {
			snprintf(num, sizeof(num), "%ld", va_arg(ap, long));
			put(h, num, strlen(num));
			p += 2;
		} else if (strncmp(p, "lld", 3) == 0) {
			snprintf(num, sizeof(num), "%lld",
			    va_arg(ap, long long));
			put(h, num, strlen(num));
			p += 3;
		} else if (strncmp(p, "zu", 2) == 0) {
			snprintf(num, sizeof(num), "%zu", va_arg(ap, size_t));
			put(h, num, strlen(num));
			p += 2;
		} else {
			/* a conversion this does not know: refuse the page */
			h->failed = true;
			break;
		}
	}
	if (pct == NULL)
		put(h, p, strlen(p));
	va_end(ap);
}
