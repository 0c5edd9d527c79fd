/*
 * test_jsonld.c - schema.org Event data (render/jsonld.c) for events as
 * lk_event_json makes them: Google's required properties (name,
 * startDate, location) and recommended ones, with offsets on the dates,
 * the status (cancelled too), the attendance mode from venue and
 * online_url, the offer (free at 0 EUR, or a price text without a
 * number), the organiser, the logo and the sessions.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/jsonld.h"
#include "render/page.h"
#include "render/pages.h"
#include "tap.h"

#define URL	"https://leerkans.example.be/events/netwerkevent-2027"

static json_t *
event(void)
{
	json_t *ev = json_loads("{"
	    "\"slug\": \"netwerkevent-2027\", \"title\": \"Netwerkevent\","
	    "\"description\": \"Parallelle netwerksessies.\","
	    "\"language\": \"nl\","
	    "\"starts_at\": \"2027-03-18T13:30:00+01:00\","
	    "\"ends_at\": \"2027-03-18T17:30:00+01:00\","
	    "\"venue\": {\"name\": \"Provinciehuis Boeverbos\", \"address\": "
	    "\"Koning Leopold III-laan 41\", \"postcode\": \"8200\", "
	    "\"city\": \"Brugge\"},"
	    "\"online_url\": null, \"price_text\": null, \"capacity\": 120,"
	    "\"seats_left\": 40, \"status\": \"published\","
	    "\"registration_opens_at\": \"2027-01-10T09:00:00+01:00\","
	    "\"created_at\": \"2026-12-01T10:00:00+01:00\","
	    "\"sessions\": [{\"slug\": \"experts\", \"title\": \"Samenwerken "
	    "met experts\", \"description\": \"\", \"starts_at\": "
	    "\"2027-03-18T14:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:45:00+01:00\"}]}", 0, NULL);

	if (ev == NULL)
		abort();
	return ev;
}

static const char *
str(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return json_string_value(json_object_get(o, path));
}

static json_t *
ld(json_t *ev, enum pages_state state, const struct page_site *site)
{
	struct page_ctx c;
	json_t *o;

	memset(&c, 0, sizeof(c));
	c.public_url = "https://leerkans.example.be";
	c.site = site;
	o = jsonld_event(ev, state, URL, &c);
	json_decref(ev);
	return o;
}

static void
test_scheduled(void)
{
	struct page_site site;
	json_t *o, *offer, *sub;

	memset(&site, 0, sizeof(site));
	site.contact_email = "blijfkennismaken@west-vlaanderen.be";
	site.logo_src = "/static/logo?v=89abcdef";
	o = ld(event(), PAGES_OPEN, &site);
	ok(o != NULL, "an event gives its JSON-LD");
	is_str(str(o, "@context"), "https://schema.org", "the context");
	is_str(str(o, "@type"), "Event", "an Event");
	is_str(str(o, "name"), "Netwerkevent", "name (required)");
	is_str(str(o, "startDate"), "2027-03-18T13:30:00+01:00",
	    "startDate with its offset (required)");
	is_str(str(o, "endDate"), "2027-03-18T17:30:00+01:00", "endDate");
	is_str(str(o, "location.@type"), "Place", "location: a Place");
	is_str(str(o, "location.name"), "Provinciehuis Boeverbos",
	    "the place's name");
	is_str(str(o, "location.address.@type"), "PostalAddress", "its address");
	is_str(str(o, "location.address.streetAddress"),
	    "Koning Leopold III-laan 41", "street");
	is_str(str(o, "location.address.postalCode"), "8200", "postcode");
	is_str(str(o, "location.address.addressLocality"), "Brugge", "city");
	is_str(str(o, "location.address.addressCountry"), "BE",
	    "a Belgian postcode: BE");
	is_str(str(o, "eventStatus"), "https://schema.org/EventScheduled",
	    "scheduled");
	is_str(str(o, "eventAttendanceMode"),
	    "https://schema.org/OfflineEventAttendanceMode", "offline");
	is_str(str(o, "organizer.@type"), "Organization", "organiser");
	is_str(str(o, "organizer.name"), JSONLD_ORGANIZER, "its name");
	is_str(str(o, "organizer.url"), "https://leerkans.example.be",
	    "its url: public_url");
	is_str(str(o, "description"), "Parallelle netwerksessies.",
	    "description");
	is_str(str(o, "url"), URL, "the page");
	offer = json_object_get(o, "offers");
	is_str(str(offer, "@type"), "Offer", "an offer");
	ok(json_is_integer(json_object_get(offer, "price")) &&
	    json_integer_value(json_object_get(offer, "price")) == 0,
	    "free: price 0, a number");
	is_str(str(offer, "priceCurrency"), "EUR", "in euro");
	is_str(str(offer, "availability"), "https://schema.org/InStock",
	    "open: in stock");
	is_str(str(offer, "validFrom"), "2027-01-10T09:00:00+01:00",
	    "valid from the opening of registration");
	is_str(str(offer, "url"), URL, "the offer's page");
	is_str(json_string_value(json_array_get(json_object_get(o, "image"),
	    0)), "https://leerkans.example.be/static/logo?v=89abcdef",
	    "the logo as image");
	ok(json_integer_value(json_object_get(o, "maximumAttendeeCapacity")) ==
	    120 && json_integer_value(json_object_get(o,
	    "remainingAttendeeCapacity")) == 40, "capacity and what is left");
	sub = json_array_get(json_object_get(o, "subEvent"), 0);
	is_str(str(sub, "name"), "Samenwerken met experts", "a session as "
	    "subEvent");
	is_str(str(sub, "startDate"), "2027-03-18T14:30:00+01:00",
	    "with its times");
	ok(json_object_get(sub, "location") == NULL, "the place is the "
	    "event's, not repeated");
	json_decref(o);
}

static void
test_variants(void)
{
	json_t *ev, *o, *loc;

	ev = event();
	json_object_set_new(ev, "status", json_string("cancelled"));
	o = ld(ev, PAGES_CANCELLED, NULL);
	is_str(str(o, "eventStatus"), "https://schema.org/EventCancelled",
	    "cancelled");
	ok(json_object_get(json_object_get(o, "offers"), "availability") ==
	    NULL, "a cancelled event offers no availability");
	ok(json_object_get(o, "image") == NULL && str(o, "organizer.email") ==
	    NULL, "no site: no image, no e-mail");
	json_decref(o);

	ev = event();
	json_object_set_new(ev, "online_url",
	    json_string("https://meet.example.be/x"));
	o = ld(ev, PAGES_WAITLIST, NULL);
	is_str(str(o, "eventAttendanceMode"),
	    "https://schema.org/MixedEventAttendanceMode", "venue and online: "
	    "mixed");
	loc = json_object_get(o, "location");
	ok(json_is_array(loc) && json_array_size(loc) == 2 &&
	    strcmp(str(json_array_get(loc, 1), "@type"), "VirtualLocation") ==
	    0 && strcmp(str(json_array_get(loc, 1), "url"),
	    "https://meet.example.be/x") == 0, "a Place and a VirtualLocation");
	is_str(str(o, "offers.availability"), "https://schema.org/SoldOut",
	    "full (waiting list): sold out");
	json_decref(o);

	ev = event();
	json_object_set_new(ev, "online_url",
	    json_string("https://meet.example.be/x"));
	json_object_set_new(ev, "venue", json_null());
	o = ld(ev, PAGES_OPEN, NULL);
	is_str(str(o, "eventAttendanceMode"),
	    "https://schema.org/OnlineEventAttendanceMode", "online only");
	is_str(str(o, "location.@type"), "VirtualLocation", "a virtual place");
	json_decref(o);

	ev = event();
	json_object_set_new(ev, "price_text",
	    json_string("\xe2\x82\xac 25, lunch inbegrepen"));
	json_object_set_new(ev, "registration_opens_at", json_null());
	o = ld(ev, PAGES_OPEN, NULL);
	ok(json_object_get(json_object_get(o, "offers"), "price") == NULL &&
	    json_object_get(json_object_get(o, "offers"), "priceCurrency") ==
	    NULL, "a price text: no number made up from it");
	is_str(str(o, "offers.description"),
	    "\xe2\x82\xac 25, lunch inbegrepen", "the text as the offer's "
	    "description");
	is_str(str(o, "offers.validFrom"), "2026-12-01T10:00:00+01:00",
	    "no opening time: valid from the event's making");
	json_decref(o);

	ev = event();
	json_object_set_new(ev, "venue", json_pack("{s:s, s:s, s:s}", "name",
	    "Lille Grand Palais", "postcode", "59777", "city", "Lille"));
	o = ld(ev, PAGES_NOT_YET, NULL);
	ok(str(o, "location.address.addressCountry") == NULL,
	    "a postcode that is not Belgian: no country guessed");
	ok(str(o, "offers.availability") == NULL, "not yet open: no "
	    "availability");
	json_decref(o);

	ev = event();
	json_object_set_new(ev, "venue", json_null());
	o = ld(ev, PAGES_OPEN, NULL);
	ok(o != NULL && json_object_get(o, "location") == NULL,
	    "neither venue nor online: no location made up");
	json_decref(o);

	ev = event();
	json_object_del(ev, "starts_at");
	ok(ld(ev, PAGES_OPEN, NULL) == NULL, "no start: no Event");
}

int
main(void)
{
	test_scheduled();
	test_variants();
	return done_testing();
}
