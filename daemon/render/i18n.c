/*
 * i18n.c - the Dutch and English the pages need beyond their own text.
 */
#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/i18n.h"

#define DASH	"\xe2\x80\x93"	/* U+2013 EN DASH */

const char *
i18n_code(enum lang lang)
{
	return lang == LANG_EN ? "en" : "nl";
}

bool
i18n_parse(const char *s, enum lang *out)
{
	if (s == NULL || strlen(s) < 2 || (s[2] != '\0' && s[2] != '-' &&
	    s[2] != '_'))
		return false;
	if (strncasecmp(s, "nl", 2) == 0)
		*out = LANG_NL;
	else if (strncasecmp(s, "en", 2) == 0)
		*out = LANG_EN;
	else
		return false;
	return true;
}

enum lang
i18n_negotiate(const char *header)
{
	enum lang best = LANG_NL, l;
	double best_q = 0.0, q;
	const char *p = header, *end, *semi;
	char tag[16];
	size_t len;

	if (header == NULL)
		return LANG_NL;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		semi = memchr(p, ';', (size_t)(end - p));
		len = (size_t)((semi != NULL ? semi : end) - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		q = 1.0;
		if (semi != NULL) {
			const char *qp = semi + 1;

			while (*qp == ' ')
				qp++;
			if (strncmp(qp, "q=", 2) == 0)
				q = strtod(qp + 2, NULL);
		}
		if (len < sizeof(tag)) {
			memcpy(tag, p, len);
			tag[len] = '\0';
			if (q > best_q && i18n_parse(tag, &l)) {
				best = l;
				best_q = q;
			}
		}
		p = end;
	}
	return best;
}

struct field_error {
	const char	*field;		/* NULL: any */
	const char	*code;		/* NULL: any */
	const char	*nl;
	const char	*en;
};

/* The first row that fits wins: specific rows first. */
static const struct field_error field_errors[] = {
	{ "name", "too-long",
	  "Je naam mag hoogstens 200 tekens tellen.",
	  "Your name can be at most 200 characters long." },
	{ "name", "control",
	  "Je naam bevat tekens die hier niet kunnen.",
	  "Your name contains characters that cannot be used here." },
	{ "name", NULL,
	  "Vul je naam in.",
	  "Enter your name." },
	{ "given_name", "too-long",
	  "Je voornaam mag hoogstens 100 tekens tellen.",
	  "Your given name can be at most 100 characters long." },
	{ "given_name", "control",
	  "Je voornaam bevat tekens die hier niet kunnen.",
	  "Your given name contains characters that cannot be used here." },
	{ "given_name", "conflict",
	  "Vul je naam in twee delen in: je voornaam en je familienaam.",
	  "Enter your name in two parts: your given name and your family "
	  "name." },
	{ "given_name", NULL,
	  "Vul je voornaam in.",
	  "Enter your given name." },
	{ "family_name", "too-long",
	  "Je familienaam mag hoogstens 100 tekens tellen.",
	  "Your family name can be at most 100 characters long." },
	{ "family_name", "control",
	  "Je familienaam bevat tekens die hier niet kunnen.",
	  "Your family name contains characters that cannot be used here." },
	{ "family_name", "conflict",
	  "Vul je naam in twee delen in: je voornaam en je familienaam.",
	  "Enter your name in two parts: your given name and your family "
	  "name." },
	{ "family_name", NULL,
	  "Vul je familienaam in.",
	  "Enter your family name." },

	{ "email", "required",
	  "Vul je e-mailadres in.",
	  "Enter your e-mail address." },
	{ "email", "duplicate",
	  "Met dit e-mailadres ben je al ingeschreven voor dit event.",
	  "This e-mail address is already registered for this event." },
	{ "email", NULL,
	  "Vul een geldig e-mailadres in, bijvoorbeeld an@voorbeeld.be.",
	  "Enter a valid e-mail address, like an@example.be." },

	{ "organisation", "too-long",
	  "De naam van je organisatie mag hoogstens 200 tekens tellen.",
	  "The name of your organisation can be at most 200 characters "
	  "long." },
	{ "organisation", NULL,
	  "Vul de naam van je organisatie in, of laat het veld leeg.",
	  "Enter the name of your organisation, or leave it empty." },

	{ "enterprise_number", NULL,
	  "Vul een geldig ondernemingsnummer in (bijvoorbeeld 0123.456.749), "
	  "of laat het veld leeg.",
	  "Enter a valid enterprise number (like 0123.456.749), or leave it "
	  "empty." },

	{ "role", NULL,
	  "Kies wat het best bij jou past.",
	  "Choose what fits you best." },

	{ "organisation_type", NULL,
	  "Kies het soort organisatie.",
	  "Choose the type of organisation." },

	{ "postcode", NULL,
	  "Vul een Belgische postcode van vier cijfers in, of laat het veld "
	  "leeg.",
	  "Enter a Belgian postcode of four digits, or leave it empty." },

	{ "language", NULL,
	  "Kies Nederlands, English of Français.",
	  "Choose Nederlands, English or Français." },

	{ "sessions", "overlap",
	  "Twee sessies die je koos lopen tegelijk; kies er één van.",
	  "Two of the sessions you chose run at the same time; choose one "
	  "of them." },
	{ "sessions", "unknown",
	  "Een sessie die je koos bestaat niet (meer); kies opnieuw.",
	  "A session you chose does not exist (any more); choose again." },
	{ "sessions", NULL,
	  "Kies elke sessie hoogstens één keer.",
	  "Choose each session at most once." },

	{ "consent", NULL,
	  "Geef je toestemming voor het gebruik van je gegevens om je in te "
	  "schrijven.",
	  "Give your consent to the use of your data to register." },

	/* the form's idempotency key, sent again with other values */
	{ "Idempotency-Key", "reused",
	  "Wat je nu verstuurt, verschilt van wat je de eerste keer met dit "
	  "formulier verstuurde.",
	  "What you are sending now differs from what you sent with this "
	  "form the first time." },

	{ NULL, "required",
	  "Vul dit veld in.",
	  "Fill in this field." },
	{ NULL, "too-long",
	  "Deze tekst is te lang.",
	  "This text is too long." },
	{ NULL, "control",
	  "Deze tekst bevat tekens die hier niet kunnen.",
	  "This text contains characters that cannot be used here." },
	{ NULL, NULL,
	  "Dit veld is niet juist ingevuld.",
	  "This field is not filled in correctly." },
};

const char *
i18n_field_error(enum lang lang, const char *field, const char *code)
{
	const struct field_error *e;
	size_t i;

	for (i = 0; i < sizeof(field_errors) / sizeof(field_errors[0]); i++) {
		e = &field_errors[i];
		if (e->field != NULL && (field == NULL ||
		    strcmp(e->field, field) != 0))
			continue;
		if (e->code != NULL && (code == NULL ||
		    strcmp(e->code, code) != 0))
			continue;
		return TR(lang, e->nl, e->en);
	}
	return TR(lang, "Dit veld is niet juist ingevuld.",
	    "This field is not filled in correctly.");
}

struct name {
	const char	*code;
	const char	*nl;
	const char	*en;
};

static const struct name roles[] = {
	{ "employer", "Werkgever", "Employer" },
	{ "employee", "Werknemer", "Employee" },
	{ "job-seeker", "Werkzoekende", "Job seeker" },
	{ "intermediary", "Intermediair (bv. toeleider, loopbaanbegeleider)",
	  "Intermediary (e.g. career guidance)" },
	{ "training-provider", "Opleidingsverstrekker", "Training provider" },
	{ "student", "Student", "Student" },
	{ "citizen", "Burger", "Citizen" },
	{ "other", "Andere", "Other" },
	{ NULL, NULL, NULL }
};

static const struct name organisation_types[] = {
	{ "sme", "KMO", "SME" },
	{ "large-company", "Grote onderneming", "Large company" },
	{ "intermediary", "Intermediaire organisatie",
	  "Intermediary organisation" },
	{ "education", "Onderwijs of opleiding", "Education or training" },
	{ "government", "Overheid", "Government" },
	{ "non-profit", "Vereniging of vzw", "Non-profit organisation" },
	{ "none", "Geen organisatie", "No organisation" },
	{ NULL, NULL, NULL }
};

static const char *
name_of(const struct name *t, enum lang lang, const char *code)
{
	for (; code != NULL && t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return TR(lang, t->nl, t->en);
	return NULL;
}

const char *
i18n_role(enum lang lang, const char *role)
{
	return name_of(roles, lang, role);
}

const char *
i18n_organisation_type(enum lang lang, const char *type)
{
	return name_of(organisation_types, lang, type);
}

const char *
i18n_language_name(const char *code)
{
	if (code == NULL)
		return NULL;
	if (strcmp(code, "nl") == 0)
		return "Nederlands";
	if (strcmp(code, "en") == 0)
		return "English";
	if (strcmp(code, "fr") == 0)
		return "Français";
	return NULL;
}

struct local {
	int	y, m, d, hh, mm;
};

/* The wall-clock part of "2027-03-18T13:30:00+01:00". */
static bool
local_parse(const char *s, struct local *t)
{
	if (s == NULL || strlen(s) < 16 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return false;
	if (sscanf(s, "%4d-%2d-%2d", &t->y, &t->m, &t->d) != 3 ||
	    sscanf(s + 11, "%2d:%2d", &t->hh, &t->mm) != 2)
		return false;
	return t->m >= 1 && t->m <= 12 && t->d >= 1 && t->d <= 31 &&
	    t->hh >= 0 && t->hh <= 23 && t->mm >= 0 && t->mm <= 59;
}

/* 0 = Sunday (days from civil, proleptic Gregorian). */
static int
weekday(int y, int m, int d)
{
	long era, yoe, doy, doe, days;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;	/* 1970-01-01 was a Thursday */
	return (int)(((days % 7) + 7 + 4) % 7);
}

static const char *const days_nl[] = { "zondag", "maandag", "dinsdag",
	"woensdag", "donderdag", "vrijdag", "zaterdag" };
static const char *const days_en[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const months_nl[] = { "januari", "februari", "maart",
	"april", "mei", "juni", "juli", "augustus", "september", "oktober",
	"november", "december" };
static const char *const months_en[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

static int
day_text(enum lang lang, const struct local *t, char *out, size_t outlen)
{
	unsigned month = (unsigned)(t->m - 1) % 12;
	unsigned day = (unsigned)weekday(t->y, t->m, t->d) % 7;

	return snprintf(out, outlen, "%s %d %s %d",
	    lang == LANG_EN ? days_en[day] : days_nl[day], t->d,
	    lang == LANG_EN ? months_en[month] : months_nl[month], t->y);
}

bool
i18n_when(enum lang lang, const char *start, const char *end, char *out,
    size_t outlen)
{
	struct local a, b;
	char d1[64], d2[64];

	if (!local_parse(start, &a) || !local_parse(end, &b))
		return false;
	day_text(lang, &a, d1, sizeof(d1));
	if (a.y == b.y && a.m == b.m && a.d == b.d)
		return snprintf(out, outlen, "%s, %02d:%02d" DASH "%02d:%02d",
		    d1, a.hh, a.mm, b.hh, b.mm) < (int)outlen;
	day_text(lang, &b, d2, sizeof(d2));
	return snprintf(out, outlen, "%s, %02d:%02d " DASH " %s, %02d:%02d",
	    d1, a.hh, a.mm, d2, b.hh, b.mm) < (int)outlen;
}

bool
i18n_moment(enum lang lang, const char *s, char *out, size_t outlen)
{
	struct local t;
	char d[64];

	if (!local_parse(s, &t))
		return false;
	day_text(lang, &t, d, sizeof(d));
	return snprintf(out, outlen, "%s %s %02d:%02d", d, TR(lang, "om", "at"),
	    t.hh, t.mm) < (int)outlen;
}

bool
i18n_times(const char *start, const char *end, char *out, size_t outlen)
{
	struct local a, b;

	if (!local_parse(start, &a) || !local_parse(end, &b))
		return false;
	return snprintf(out, outlen, "%02d:%02d" DASH "%02d:%02d", a.hh, a.mm,
	    b.hh, b.mm) < (int)outlen;
}
