/*
 * fuzz_form.c - an application/x-www-form-urlencoded body as http/dispatch.c
 * reads it (form_parse), then what POST /events/{slug}/register does with
 * it: form_to_registration, the API's object, and validate_object with
 * registration_fields (registration_submit's checks).
 *
 * Promises: no crash, leak or undefined behaviour; form_parse agrees with
 * a second, independent reading of the body (the whole body malformed on
 * a bad escape, %00, a raw NUL, invalid UTF-8, a pair without a name or
 * '=', more than FORM_MAX_FIELDS pairs; otherwise every name and value
 * decoded whole, '+' a space, in order, repeated names each kept);
 * form_get and form_count agree with it; the registration object holds
 * the first value of each of its fields trimmed (none left empty), every
 * non-empty "sessions" or "sessions.N" (a time slot's radio group, N
 * from 1 to 9999) value in order, consent from consent_privacy, the
 * language (or the page's), and nothing else: not the CSRF token, the
 * honeypot nor the idempotency key; the errors are [{field, message,
 * code}] about the registration's own fields only, each worded for the
 * page, every required field missing named (the name's two parts unless
 * an older form's whole name came, and each part named when it came
 * with it); and they are the very errors the same object gets when it
 * comes as a JSON body.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <string.h>

#include "input/form.h"
#include "fuzz.h"
#include "render/i18n.h"
#include "input/validate.h"

struct pair {
	char	*name;
	char	*value;
};

struct reading {
	struct pair	p[FORM_MAX_FIELDS];
	size_t		n;
};

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Well-formed UTF-8 by the table of The Unicode Standard (3.9, 3-7). */
static bool
well_formed(const uint8_t *s, size_t n)
{
	static const struct {
		uint8_t	lo0, hi0, lo1, hi1;
		int	len;
	} t[] = {
		{ 0x00, 0x7f, 0, 0, 1 },
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 },
		{ 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 },
		{ 0xed, 0xed, 0x80, 0x9f, 3 },
		{ 0xee, 0xef, 0x80, 0xbf, 3 },
		{ 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 },
		{ 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};
	size_t i = 0, k, r;

	while (i < n) {
		for (r = 0; r < sizeof(t) / sizeof(t[0]); r++)
			if (s[i] >= t[r].lo0 && s[i] <= t[r].hi0)
				break;
		if (r == sizeof(t) / sizeof(t[0]) || n - i < (size_t)t[r].len)
			return false;
		if (t[r].len > 1 && (s[i + 1] < t[r].lo1 ||
		    s[i + 1] > t[r].hi1))
			return false;
		for (k = 2; k < (size_t)t[r].len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += (size_t)t[r].len;
	}
	return true;
}

/* One name or value, the second opinion's way; NULL if malformed. */
static char *
ref_decode(const uint8_t *s, size_t n)
{
	uint8_t *out = malloc(n + 1);
	size_t i, o = 0;
	int hi, lo;

	FUZZ_CHECK(out != NULL);
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3)
				goto bad;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || hi * 16 + lo == 0)
				goto bad;
			out[o++] = (uint8_t)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == 0)
			goto bad;
		else
			out[o++] = s[i] == '+' ? ' ' : s[i];
	}
	if (!well_formed(out, o))
		goto bad;
	out[o] = 0;
	return (char *)out;
bad:
	free(out);
	return NULL;
}

static void
reading_free(struct reading *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->p[i].name);
		free(r->p[i].value);
	}
	r->n = 0;
}

/* The body read again, by another hand; false if malformed. */
static bool
ref_parse(const uint8_t *d, size_t size, struct reading *r)
{
	size_t start = 0, end, eq;

	r->n = 0;
	while (start < size) {
		for (end = start; end < size && d[end] != '&'; end++)
			;
		if (end > start) {
			for (eq = start; eq < end && d[eq] != '='; eq++)
				;
			if (eq == end || eq == start || r->n == FORM_MAX_FIELDS)
				goto bad;
			r->p[r->n].name = ref_decode(d + start, eq - start);
			r->p[r->n].value = ref_decode(d + eq + 1, end - eq - 1);
			r->n++;
			if (r->p[r->n - 1].name == NULL ||
			    r->p[r->n - 1].value == NULL)
				goto bad;
		}
		start = end + 1;
	}
	return true;
bad:
	reading_free(r);
	return false;
}

static const char *
ref_first(const struct reading *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->p[i].name, name) == 0)
			return r->p[i].value;
	return NULL;
}

static bool
trim_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does the JSON string v hold s trimmed (s not blank)? */
static bool
is_trimmed(const json_t *v, const char *s)
{
	size_t a = 0, b = strlen(s);

	while (a < b && trim_char(s[a]))
		a++;
	while (b > a && trim_char(s[b - 1]))
		b--;
	return json_is_string(v) && json_string_length(v) == b - a &&
	    memcmp(json_string_value(v), s + a, b - a) == 0;
}

static bool
blank_after_trim(const char *s)
{
	for (; *s != '\0'; s++)
		if (!trim_char(*s))
			return false;
	return true;
}

static const char *const line_fields[] = { "given_name", "family_name",
	"name", "email", "organisation", "enterprise_number", "role",
	"organisation_type", "postcode", "language", NULL };
static const char *const required[] = { "email", "role",
	"organisation_type", "consent", NULL };
static const char *const name_parts[] = { "given_name", "family_name",
	NULL };

/* "sessions", or "sessions." and a number from 1 to 9999 */
static bool
session_name(const char *name)
{
	size_t i, n;

	if (strcmp(name, "sessions") == 0)
		return true;
	if (strncmp(name, "sessions.", 9) != 0)
		return false;
	n = strlen(name + 9);
	if (n == 0 || n > 4 || name[9] == '0')
		return false;
	for (i = 0; i < n; i++)
		if (name[9 + i] < '0' || name[9 + i] > '9')
			return false;
	return true;
}

static void
check_registration(const struct reading *r, const json_t *body,
    const char *lang)
{
	const char *v, *const *f;
	json_t *val, *sessions;
	size_t i, k = 0, nkeys = 0;

	FUZZ_CHECK(json_is_object(body));
	for (f = line_fields; *f != NULL; f++) {
		v = ref_first(r, *f);
		val = json_object_get(body, *f);
		if (v != NULL && !blank_after_trim(v)) {
			FUZZ_CHECK(is_trimmed(val, v));
			nkeys++;
		} else if (strcmp(*f, "language") == 0) {
			FUZZ_CHECK(json_is_string(val) &&
			    strcmp(json_string_value(val), lang) == 0);
			nkeys++;
		} else
			FUZZ_CHECK(val == NULL);
	}
	sessions = json_object_get(body, "sessions");
	FUZZ_CHECK(json_is_array(sessions));
	nkeys++;
	for (i = 0; i < r->n; i++) {
		if (!session_name(r->p[i].name) || r->p[i].value[0] == '\0')
			continue;
		val = json_array_get(sessions, k++);
		FUZZ_CHECK(json_is_string(val) &&
		    strcmp(json_string_value(val), r->p[i].value) == 0);
	}
	FUZZ_CHECK(json_array_size(sessions) == k);
	val = json_object_get(body, "consent");
	if ((v = ref_first(r, FORM_CONSENT)) != NULL) {
		FUZZ_CHECK(json_is_object(val) && json_object_size(val) == 1);
		FUZZ_CHECK(json_is_boolean(json_object_get(val, "privacy")));
		FUZZ_CHECK(json_is_true(json_object_get(val, "privacy")) ==
		    (strcmp(v, "on") == 0));
		nkeys++;
	} else
		FUZZ_CHECK(val == NULL);
	/* nothing else: no csrf, homepage, idempotency_key, ... */
	FUZZ_CHECK(json_object_size(body) == nkeys);
}

static bool
has_error(const json_t *errors, const char *field, const char *code)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0 && strcmp(json_string_value(json_object_get(e,
		    "code")), code) == 0)
			return true;
	return false;
}

static void
check_errors(const json_t *body, const json_t *errors, enum lang lang)
{
	const struct vfield *vf;
	const char *field, *code, *const *f;
	json_t *e, *consent;
	size_t i;

	FUZZ_CHECK(json_is_array(errors));
	json_array_foreach(errors, i, e) {
		FUZZ_CHECK(json_is_object(e) && json_object_size(e) == 3);
		field = json_string_value(json_object_get(e, "field"));
		code = json_string_value(json_object_get(e, "code"));
		FUZZ_CHECK(field != NULL && code != NULL);
		FUZZ_CHECK(json_string_length(json_object_get(e, "message")) >
		    0);
		/* a form never makes an unknown or read-only field */
		for (vf = registration_fields; vf->name != NULL; vf++)
			if (strcmp(vf->name, field) == 0)
				break;
		FUZZ_CHECK(vf->name != NULL);
		FUZZ_CHECK(i18n_field_error(lang, field, code) != NULL);
	}
	for (f = required; *f != NULL; f++)
		if (json_object_get(body, *f) == NULL)
			FUZZ_CHECK(has_error(errors, *f, VE_REQUIRED));
	for (f = name_parts; *f != NULL; f++)
		if (json_object_get(body, "name") != NULL)
			FUZZ_CHECK((json_object_get(body, *f) != NULL) ==
			    has_error(errors, *f, VE_CONFLICT));
		else if (json_object_get(body, *f) == NULL)
			FUZZ_CHECK(has_error(errors, *f, VE_REQUIRED));
	consent = json_object_get(body, "consent");
	if (consent != NULL)
		FUZZ_CHECK(has_error(errors, "consent", VE_CONSENT) ==
		    !json_is_true(json_object_get(consent, "privacy")));
}

/* The same object as a JSON body (http/dispatch.c's flags) gets the same errors. */
static void
check_as_json(const json_t *body, const json_t *errors)
{
	json_error_t jerr;
	json_t *again, *errors2;
	char *text;

	FUZZ_CHECK((text = json_dumps(body, JSON_COMPACT)) != NULL);
	again = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &jerr);
	FUZZ_CHECK(again != NULL && json_equal(again, (json_t *)body));
	FUZZ_CHECK((errors2 = json_array()) != NULL);
	validate_object(again, registration_fields, true, errors2);
	FUZZ_CHECK(json_equal(errors2, (json_t *)errors));
	json_decref(errors2);
	json_decref(again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum lang langs[] = { LANG_NL, LANG_EN };
	struct reading r;
	struct form form;
	json_t *body, *errors;
	size_t i, j, n;
	bool parsed, again;

	parsed = form_parse((const char *)data, size, &form);
	again = ref_parse(data, size, &r);
	FUZZ_CHECK(parsed == again);
	if (!parsed) {
		FUZZ_CHECK(form.n == 0 && form.fields == NULL);
		form_free(&form);
		return 0;
	}
	FUZZ_CHECK(form.n == r.n);
	for (i = 0; i < r.n; i++) {
		FUZZ_CHECK(strcmp(form.fields[i].name, r.p[i].name) == 0);
		FUZZ_CHECK(strcmp(form.fields[i].value, r.p[i].value) == 0);
		for (j = 0, n = 0; j < r.n; j++)
			n += strcmp(r.p[j].name, r.p[i].name) == 0;
		FUZZ_CHECK(form_count(&form, r.p[i].name) == n);
		FUZZ_CHECK(strcmp(form_get(&form, r.p[i].name),
		    ref_first(&r, r.p[i].name)) == 0);
	}

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		body = form_to_registration(&form, i18n_code(langs[i]));
		FUZZ_CHECK(body != NULL);
		check_registration(&r, body, i18n_code(langs[i]));
		FUZZ_CHECK((errors = json_array()) != NULL);
		validate_object(body, registration_fields, true, errors);
		check_errors(body, errors, langs[i]);
		check_as_json(body, errors);
		json_decref(errors);
		json_decref(body);
	}
	reading_free(&r);
	form_free(&form);
	return 0;
}
