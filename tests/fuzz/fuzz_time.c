/*
 * fuzz_time.c - the string checks behind the field tables: parse_time,
 * parse_date, valid_email, enterprise_number_normalize (and valid_slug,
 * valid_postcode), on arbitrary strings.
 *
 * Each answer is cross-checked against a second opinion:
 *   parse_date   a real calendar day in 1970-9999 (days from the civil
 *                date and back again);
 *   parse_time   the instant computed independently from the fields and
 *                the offset; its UTC form parses to the same instant;
 *   valid_email  one '@', no space or control character, a local part of
 *                at most 64 bytes, a dotted domain; case does not matter
 *                (the daemon compares addresses case-insensitively);
 *   enterprise_number_normalize
 *                ten digits starting 0 or 1 whose last two are 97 minus
 *                the first eight mod 97; the result normalises to itself,
 *                also written BE0123456789 or 0123.456.789.
 */
#include "autoconf.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "input/validate.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

static void
check_date(const char *s)
{
	int y, m, d, y2, m2, d2;

	if (!parse_date(s, &y, &m, &d))
		return;
	FUZZ_CHECK(strlen(s) == 10);
	FUZZ_CHECK(y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1);
	FUZZ_CHECK(y == num(s, 4) && m == num(s + 5, 2) && d == num(s + 8, 2));
	civil_from_days(days_from_civil(y, (unsigned)m, (unsigned)d), &y2, &m2,
	    &d2);
	FUZZ_CHECK(y == y2 && m == m2 && d == d2);	/* a real day */
}

static void
check_time(const char *s)
{
	time_t t, u;
	long long want;
	size_t len = strlen(s);
	const char *zone;
	int y, m, d, off = 0;
	struct tm tm;
	char utc[32];

	if (!parse_time(s, &t))
		return;
	FUZZ_CHECK(len >= 20 && len <= 40);
	{
		char date[11];

		memcpy(date, s, 10);
		date[10] = '\0';
		FUZZ_CHECK(parse_date(date, &y, &m, &d));
	}
	if (s[len - 1] == 'Z' || s[len - 1] == 'z')
		zone = s + len - 1;
	else {
		zone = s + len - 6;
		FUZZ_CHECK(zone[0] == '+' || zone[0] == '-');
		off = (num(zone + 1, 2) * 60 + num(zone + 4, 2)) * 60;
		if (zone[0] == '-')
			off = -off;
	}
	FUZZ_CHECK(zone >= s + 19);
	want = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 +
	    num(s + 11, 2) * 3600 + num(s + 14, 2) * 60 + num(s + 17, 2) -
	    off;
	FUZZ_CHECK((long long)t == want);

	/* the same instant in UTC reads back the same */
	FUZZ_CHECK(gmtime_r(&t, &tm) != NULL);
	if (tm.tm_year + 1900 >= 1970 && tm.tm_year + 1900 <= 9999) {
		snprintf(utc, sizeof(utc), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		FUZZ_CHECK(parse_time(utc, &u) && u == t);
	}
}

static void
check_email(const char *s)
{
	const char *at, *p;
	char *other;
	size_t i;

	if (!valid_email(s))
		return;
	at = strchr(s, '@');
	FUZZ_CHECK(at != NULL && at > s && strchr(at + 1, '@') == NULL);
	FUZZ_CHECK(at - s <= 64);
	for (p = s; *p; p++)
		FUZZ_CHECK((unsigned char)*p > ' ' && *p != 0x7f);
	FUZZ_CHECK(strchr(at + 1, '.') != NULL);
	FUZZ_CHECK(at[1] != '.' && at[1] != '-');
	FUZZ_CHECK(s[strlen(s) - 1] != '.' && s[strlen(s) - 1] != '-');
	FUZZ_CHECK(strstr(s, "..") == NULL);

	other = strdup(s);
	FUZZ_CHECK(other != NULL);
	for (i = 0; other[i]; i++)
		other[i] = (char)tolower((unsigned char)other[i]);
	FUZZ_CHECK(valid_email(other));
	for (i = 0; other[i]; i++)
		other[i] = (char)toupper((unsigned char)other[i]);
	FUZZ_CHECK(valid_email(other));
	free(other);
}

static void
check_enterprise(const char *s)
{
	char out[11], again[11], other[20];
	unsigned long long base = 0;
	int i;

	if (!enterprise_number_normalize(s, out))
		return;
	FUZZ_CHECK(strlen(out) == 10);
	for (i = 0; i < 10; i++)
		FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
	FUZZ_CHECK(out[0] == '0' || out[0] == '1');
	for (i = 0; i < 8; i++)
		base = base * 10 + (unsigned)(out[i] - '0');
	FUZZ_CHECK(97 - (int)(base % 97) == num(out + 8, 2));

	FUZZ_CHECK(enterprise_number_normalize(out, again));
	FUZZ_CHECK(strcmp(out, again) == 0);
	snprintf(other, sizeof(other), "BE%s", out);
	FUZZ_CHECK(enterprise_number_normalize(other, again));
	FUZZ_CHECK(strcmp(out, again) == 0);
	snprintf(other, sizeof(other), "%.4s.%.3s.%.3s", out, out + 4,
	    out + 7);
	FUZZ_CHECK(enterprise_number_normalize(other, again));
	FUZZ_CHECK(strcmp(out, again) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	size_t i;

	check_date(s);
	check_time(s);
	check_email(s);
	check_enterprise(s);
	if (valid_postcode(s))
		FUZZ_CHECK(strlen(s) == 4 && s[0] != '0');
	if (valid_slug(s)) {
		FUZZ_CHECK(strlen(s) >= 1 && strlen(s) <= 80 && s[0] != '-');
		for (i = 0; s[i]; i++)
			FUZZ_CHECK(islower((unsigned char)s[i]) ||
			    isdigit((unsigned char)s[i]) || s[i] == '-');
	}
	free(s);
	return 0;
}
