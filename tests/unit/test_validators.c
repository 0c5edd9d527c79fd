/*
 * test_validators.c - the answer cache's validators: its ETags and
 * Last-Modified, If-None-Match lists, If-Modified-Since, which of the two
 * decides, and gzip from Accept-Encoding.
 */
#include "autoconf.h"

#include <string.h>

#include "tap.h"
#include "cache/validators.h"

#define BODY	"BEGIN:VCALENDAR\r\n"
#define TAG	"\"c550137d96b73290\""		/* of BODY */
#define TAG_GZ	"\"0123456789abcdef-gz\""
#define MARCH	1805374800			/* Thu, 18 Mar 2027 13:00:00 GMT */

static void
test_etag(void)
{
	char a[VALIDATORS_ETAG_SIZE], b[VALIDATORS_ETAG_SIZE];

	validators_etag(a, sizeof(a), BODY, strlen(BODY), "");
	/* the hash is fixed, so a restart or another daemon on the same
	 * data makes the same tags and clients keep their copies */
	is_str(a, TAG, "a strong tag: 16 hex digits of the bytes, quoted");
	validators_etag(b, sizeof(b), BODY, strlen(BODY), "-gz");
	is_str(b, "\"c550137d96b73290-gz\"", "the gzipped bytes' tag says so");
	validators_etag(b, sizeof(b), BODY, strlen(BODY) - 1, "");
	ok(strcmp(a, b) != 0, "a byte less, another tag (%s, %s)", a, b);
	validators_etag(b, sizeof(b), "", 0, "");
	is_str(b, "\"ecba3df2c3383c52\"", "no bytes have a tag too");
	validators_etag(b, sizeof(b), NULL, 0, "-gz");
	is_str(b, "\"ecba3df2c3383c52-gz\"", "nothing gzipped: no bytes read");
}

static void
test_http_date(void)
{
	char d[VALIDATORS_DATE_SIZE];

	validators_http_date(d, sizeof(d), 0);
	is_str(d, "Thu, 01 Jan 1970 00:00:00 GMT", "the epoch");
	validators_http_date(d, sizeof(d), 1000000000);
	is_str(d, "Sun, 09 Sep 2001 01:46:40 GMT", "a time in UTC, as GMT");
	validators_http_date(d, sizeof(d), MARCH);
	is_str(d, "Thu, 18 Mar 2027 13:00:00 GMT", "March 2027");
	ok(validators_not_modified_since(d, MARCH) &&
	    !validators_not_modified_since(d, MARCH + 1),
	    "If-Modified-Since reads back what Last-Modified says");
}

static void
test_if_none_match(void)
{
	static const struct {
		const char	*inm;
		bool		 want;
		const char	*what;
	} t[] = {
		{ TAG, true, "the tag alone" },
		{ TAG_GZ, true, "the gzipped answer's tag: the same answer" },
		{ "W/" TAG, true, "weak comparison: W/ is not looked at" },
		{ "\"x\", " TAG ", \"y\"", true, "in the middle of a list" },
		{ "\"x\",W/" TAG, true, "last, weak, no space" },
		{ " \t,, " TAG " ,", true, "spaces, tabs, empty members" },
		{ "*", true, "* names any answer" },
		{ " * ", true, "* with spaces around it" },
		{ "\"x\", \"y\"", false, "a list of other tags" },
		{ "", false, "an empty value" },
		{ " , ", false, "only commas and spaces" },
		{ "\"c550137d96b73290", false, "a tag without its closing quote" },
		{ "c550137d96b73290", false, "a tag without quotes" },
		{ "\"C550137D96B73290\"", false, "tags compare case-sensitively" },
		{ "\"c550137d96b7329\"", false, "a tag one digit short" },
		{ "\"c550137d96b732900\"", false, "a tag one digit long" },
		{ "w/" TAG "x", false, "w/ is not W/, and junk after the tag" },
		{ "\"x\", \"c550137d96b73290", false,
		    "a list whose last tag is cut short" },
		{ "W/", false, "W/ and nothing after it" },
		/* "*" / #entity-tag: a * beside tags is neither */
		{ "\"x\", *", false, "* after a tag is no wildcard" },
		{ "*, \"x\"", false, "nor before one" },
		{ "*\"x\"", false, "nor stuck to one" },
		{ "**", false, "two stars are not one" },
		{ "*, " TAG, true, "the tag beside it still counts" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(validators_etag_listed(t[i].inm, TAG, TAG_GZ) == t[i].want,
		    "If-None-Match: %s -> %s (%s)", t[i].inm,
		    t[i].want ? "304" : "200", t[i].what);
	ok(!validators_etag_listed(TAG_GZ, TAG, NULL),
	    "no gzipped rendering: its tag names nothing");
	ok(validators_etag_listed(TAG, TAG, NULL), "the plain one still does");
}

static void
test_if_modified_since(void)
{
	ok(validators_not_modified_since("Thu, 18 Mar 2027 13:00:00 GMT",
	    MARCH), "the date of Last-Modified itself: 304");
	ok(validators_not_modified_since("Thu, 18 Mar 2027 13:00:01 GMT",
	    MARCH), "a second later: 304");
	ok(validators_not_modified_since("Sat, 01 Jan 2050 00:00:00 GMT",
	    MARCH), "years later: 304");
	ok(!validators_not_modified_since("Thu, 18 Mar 2027 12:59:59 GMT",
	    MARCH), "a second earlier: 200");
	ok(!validators_not_modified_since("Thu, 01 Jan 1970 00:00:00 GMT",
	    MARCH), "the epoch: 200");
	ok(!validators_not_modified_since("gisteren", MARCH), "garbage: 200");
	ok(!validators_not_modified_since("", MARCH), "empty: 200");
	ok(!validators_not_modified_since("Thu, 18 Mar 2027 13:00:00 GMT, "
	    "Fri, 19 Mar 2027 13:00:00 GMT", MARCH),
	    "two dates are no date: 200");
	ok(!validators_not_modified_since("Thu, 18 Mar 2027 13:00:00 GMTx",
	    MARCH), "junk after the date: 200");
	ok(!validators_not_modified_since("Thu, 18 Mar 2027 13:00 GMT",
	    MARCH), "no seconds: 200");
	ok(!validators_not_modified_since("Thu, 18 Mar 2027 25:00:00 GMT",
	    MARCH), "hour 25: 200");
}

static void
test_which_decides(void)
{
	const char *same = "Thu, 18 Mar 2027 13:00:00 GMT";
	const char *before = "Wed, 17 Mar 2027 13:00:00 GMT";

	ok(!validators_unchanged(NULL, NULL, TAG, TAG_GZ, MARCH),
	    "no condition: 200");
	ok(validators_unchanged(TAG, NULL, TAG, TAG_GZ, MARCH),
	    "a listed tag: 304");
	ok(validators_unchanged(NULL, same, TAG, TAG_GZ, MARCH),
	    "only If-Modified-Since, not modified since: 304");
	ok(!validators_unchanged(NULL, before, TAG, TAG_GZ, MARCH),
	    "only If-Modified-Since, modified since: 200");
	ok(!validators_unchanged("\"x\"", same, TAG, TAG_GZ, MARCH),
	    "a tag not listed wins over a date that would give 304");
	ok(validators_unchanged(TAG, before, TAG, TAG_GZ, MARCH),
	    "a listed tag wins over a date that would give 200");
	ok(!validators_unchanged("", same, TAG, TAG_GZ, MARCH),
	    "an empty If-None-Match still takes If-Modified-Since's place");
	ok(!validators_unchanged(TAG_GZ, NULL, TAG, NULL, MARCH),
	    "without a gzipped rendering its tag does not count");
}

static void
test_accept_encoding(void)
{
	static const struct {
		const char	*ae;
		bool		 want;
	} t[] = {
		{ "gzip", true },
		{ "GZIP", true },
		{ "x-gzip", true },
		{ "gzip, deflate, br", true },
		{ "br;q=1.0, gzip;q=0.8, *;q=0.1", true },
		{ "deflate , gzip ;q=0.5", true },
		{ "gzip; q=0.001", true },
		{ "gzip;Q=1", true },
		{ "*", true },
		{ "identity;q=0, *", true },
		{ "gzip;q=0", false },
		{ "gzip;q=0.000", false },
		{ "gzip; q=0", false },
		{ "*, gzip;q=0", false },
		{ "gzip;q=0, *", false },
		{ "*;q=0", false },
		{ "identity", false },
		{ "deflate, br", false },
		{ "", false },
		{ ",,; ,", false },
		{ "gzipped", false },
		{ "gzip/1", false },
		{ "xgzip", false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(validators_accepts_gzip(t[i].ae) == t[i].want,
		    "Accept-Encoding: %s -> %s", t[i].ae,
		    t[i].want ? "gzip" : "identity");
	ok(!validators_accepts_gzip(NULL), "no Accept-Encoding: identity");
}

int
main(void)
{
	test_etag();
	test_http_date();
	test_if_none_match();
	test_if_modified_since();
	test_which_decides();
	test_accept_encoding();
	return done_testing();
}
