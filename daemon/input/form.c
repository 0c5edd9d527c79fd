/*
 * form.c - form bodies, the registration form as the API's JSON, and
 * cookies; see form.h.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "input/form.h"
#include "base/util.h"

bool
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	unsigned cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return false;
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* Decodes one name or value: '+' is a space, %XX a byte. */
static char *
decode(const char *s, size_t len)
{
	char *out, *w;
	size_t i;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0, w = out; i < len; i++) {
		if (s[i] == '+')
			*w++ = ' ';
		else if (s[i] == '%') {
			int hi, lo;

			if (len - i < 3 || (hi = hex_digit(s[i + 1])) < 0 ||
			    (lo = hex_digit(s[i + 2])) < 0 || (hi | lo) == 0)
				goto fail;
			*w++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '\0')
			goto fail;
		else
			*w++ = s[i];
	}
	*w = '\0';
	if (!utf8_valid((const unsigned char *)out, (size_t)(w - out)))
		goto fail;
	return out;
fail:
	free(out);
	return NULL;
}

bool
form_parse(const char *data, size_t len, struct form *form)
{
	const char *p = data, *end = data + len, *amp, *eq;

	form->fields = NULL;
	form->n = 0;
	while (p < end) {
		struct form_field *f;

		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {		/* "a=1&&b=2" or a trailing '&' */
			p++;
			continue;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL || eq == p || form->n >= FORM_MAX_FIELDS)
			goto fail;
		f = realloc(form->fields, (form->n + 1) * sizeof(*f));
		if (f == NULL)
			goto fail;
		form->fields = f;
		f = &form->fields[form->n];
		f->name = decode(p, (size_t)(eq - p));
		f->value = decode(eq + 1, (size_t)(amp - eq - 1));
		form->n++;
		if (f->name == NULL || f->value == NULL)
			goto fail;
		p = amp + 1;
	}
	return true;
fail:
	form_free(form);
	return false;
}

void
form_free(struct form *form)
{
	size_t i;

	for (i = 0; i < form->n; i++) {
		free(form->fields[i].name);
		free(form->fields[i].value);
	}
	free(form->fields);
	form->fields = NULL;
	form->n = 0;
}

const char *
form_get(const struct form *form, const char *name)
{
	size_t i;

	for (i = 0; i < form->n; i++)
		if (strcmp(form->fields[i].name, name) == 0)
			return form->fields[i].value;
	return NULL;
}

size_t
form_count(const struct form *form, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < form->n; i++)
		if (strcmp(form->fields[i].name, name) == 0)
			n++;
	return n;
}

static char *
trimmed(const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	return strndup(s, (size_t)(end - s));
}

bool
form_session_field(const char *name)
{
	const char *n;

	if (strcmp(name, FORM_SESSIONS) == 0)
		return true;
	/* a time slot's radio group: "sessions." and its number */
	if (strncmp(name, FORM_SLOT, strlen(FORM_SLOT)) != 0)
		return false;
	n = name + strlen(FORM_SLOT);
	return *n >= '1' && *n <= '9' && strspn(n, "0123456789") ==
	    strlen(n) && strlen(n) <= 4;
}

json_t *
form_to_registration(const struct form *f, const char *default_language)
{
	static const char *const lines[] = { "given_name", "family_name",
	    "name", "email", "organisation", "enterprise_number", "role",
	    "organisation_type", "postcode", "language", NULL };
	json_t *body = json_object(), *sessions = json_array();
	const char *v;
	char *t;
	size_t i;

	if (body == NULL || sessions == NULL)
		goto fail;
	for (i = 0; lines[i] != NULL; i++) {
		if ((v = form_get(f, lines[i])) == NULL)
			continue;
		if ((t = trimmed(v)) == NULL)
			goto fail;
		if (*t != '\0')
			json_object_set_new(body, lines[i], json_string(t));
		free(t);
	}
	if (json_object_get(body, "language") == NULL)
		json_object_set_new(body, "language",
		    json_string(default_language));
	for (i = 0; i < f->n; i++)
		if (form_session_field(f->fields[i].name) &&
		    f->fields[i].value[0] != '\0')
			json_array_append_new(sessions,
			    json_string(f->fields[i].value));
	json_object_set_new(body, "sessions", sessions);
	sessions = NULL;
	if ((v = form_get(f, FORM_CONSENT)) != NULL)
		json_object_set_new(body, "consent", json_pack("{s:b}",
		    "privacy", strcmp(v, "on") == 0));
	return body;
fail:
	json_decref(body);
	json_decref(sessions);
	return NULL;
}

bool
form_content_type(const char *ct)
{
	static const char want[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(want) - 1;

	if (ct == NULL)
		return false;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, want, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

bool
cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), vlen;
	const char *p = header, *v, *semi;

	if (header == NULL)
		return false;
	while (*p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		semi = strchr(p, ';');
		if (semi == NULL)
			semi = p + strlen(p);
		if ((size_t)(semi - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			v = p + nlen + 1;
			vlen = (size_t)(semi - v);
			while (vlen > 0 && v[vlen - 1] == ' ')
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			if (vlen >= outlen)
				return false;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = semi;
	}
	return false;
}

bool
secure_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	/* the lengths of tokens are no secret; their bytes are */
	return la == lb && sodium_memcmp(a, b, la) == 0;
}
