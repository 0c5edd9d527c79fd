/*
 * render/jsonld.c - an event as schema.org JSON-LD, built with jansson
 * (never by hand: html_json() writes it into the page).  See jsonld.h.
 */
#include "autoconf.h"

#include <string.h>

#include <jansson.h>

#include "render/jsonld.h"
#include "render/page.h"
#include "render/pages.h"

#define SCHEMA	"https://schema.org/"

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* key = s, when there is an s */
static void
put_str(json_t *o, const char *key, const char *s)
{
	if (s != NULL && *s != '\0')
		json_object_set_new(o, key, json_string(s));
}

static json_t *
typed(const char *type)
{
	return json_pack("{s:s}", "@type", type);
}

/* A four-digit postcode is Belgian: the only country it can say. */
static bool
belgian_postcode(const char *pc)
{
	size_t i;

	if (pc == NULL || strlen(pc) != 4)
		return false;
	for (i = 0; i < 4; i++)
		if (pc[i] < '0' || pc[i] > '9')
			return false;
	return pc[0] != '0';
}

/* The venue as a Place, or NULL when it has no address or city. */
static json_t *
place(const json_t *venue)
{
	const char *name = jstr(venue, "name"), *addr = jstr(venue, "address");
	const char *pc = jstr(venue, "postcode"), *city = jstr(venue, "city");
	json_t *p, *a;

	if (addr == NULL && city == NULL)
		return NULL;
	p = typed("Place");
	a = typed("PostalAddress");
	put_str(p, "name", name != NULL ? name : addr != NULL ? addr : city);
	put_str(a, "streetAddress", addr);
	put_str(a, "postalCode", pc);
	put_str(a, "addressLocality", city);
	if (belgian_postcode(pc))
		put_str(a, "addressCountry", "BE");
	json_object_set_new(p, "address", a);
	return p;
}

/*
 * Where: a Place, a VirtualLocation, or both (an array); and the
 * attendance mode that goes with it.  NULL when the event says neither.
 */
static json_t *
location(const json_t *ev, const char **mode)
{
	const char *online = jstr(ev, "online_url");
	json_t *p = place(json_object_get(ev, "venue")), *v = NULL, *both;

	if (online != NULL && (strncmp(online, "https://", 8) == 0 ||
	    strncmp(online, "http://", 7) == 0)) {
		v = typed("VirtualLocation");
		put_str(v, "url", online);
	}
	*mode = v == NULL ? SCHEMA "OfflineEventAttendanceMode" : p == NULL ?
	    SCHEMA "OnlineEventAttendanceMode" :
	    SCHEMA "MixedEventAttendanceMode";
	if (p == NULL || v == NULL)
		return p != NULL ? p : v;
	both = json_array();
	json_array_append_new(both, p);
	json_array_append_new(both, v);
	return both;
}

/*
 * The offer: free (price 0, EUR) or the organiser's price text, with
 * whether places can be had and from when.
 */
static json_t *
offer(const json_t *ev, enum pages_state state, const char *url)
{
	const char *price = jstr(ev, "price_text");
	const char *from = jstr(ev, "registration_opens_at");
	json_t *o = typed("Offer");

	put_str(o, "url", url);
	if (price == NULL) {
		json_object_set_new(o, "price", json_integer(0));
		put_str(o, "priceCurrency", "EUR");
	} else
		put_str(o, "description", price);
	switch (state) {
	case PAGES_OPEN:
		put_str(o, "availability", SCHEMA "InStock");
		break;
	case PAGES_WAITLIST:
	case PAGES_FULL:
		put_str(o, "availability", SCHEMA "SoldOut");
		break;
	case PAGES_NOT_YET:
	case PAGES_CLOSED:
	case PAGES_CANCELLED:
		break;
	}
	put_str(o, "validFrom", from != NULL ? from : jstr(ev, "created_at"));
	return o;
}

static json_t *
status(const json_t *ev)
{
	const char *s = jstr(ev, "status");

	return json_string(s != NULL && strcmp(s, "cancelled") == 0 ?
	    SCHEMA "EventCancelled" : SCHEMA "EventScheduled");
}

json_t *
jsonld_event(const json_t *ev, enum pages_state state, const char *url,
    const struct page_ctx *c)
{
	const struct page_site *site = c->site;
	const char *title = jstr(ev, "title"), *start = jstr(ev, "starts_at");
	const char *end = jstr(ev, "ends_at"), *mode;
	const char *base = c->public_url != NULL ? c->public_url : "";
	json_t *o, *where, *org, *subs, *s, *sub, *cap;
	size_t i;

	if (title == NULL || start == NULL || end == NULL)
		return NULL;
	if ((o = json_pack("{s:s, s:s}", "@context", "https://schema.org",
	    "@type", "Event")) == NULL)
		return NULL;
	put_str(o, "name", title);
	put_str(o, "description", jstr(ev, "description"));
	put_str(o, "startDate", start);
	put_str(o, "endDate", end);
	put_str(o, "url", url);
	put_str(o, "inLanguage", jstr(ev, "language"));
	json_object_set_new(o, "eventStatus", status(ev));
	where = location(ev, &mode);
	put_str(o, "eventAttendanceMode", mode);
	if (where != NULL)
		json_object_set(o, "location", where);

	org = typed("Organization");
	put_str(org, "name", JSONLD_ORGANIZER);
	put_str(org, "url", base);
	if (site != NULL)
		put_str(org, "email", site->contact_email);
	json_object_set_new(o, "organizer", org);
	json_object_set_new(o, "offers", offer(ev, state, url));
	if (site != NULL && site->logo_src != NULL)
		json_object_set_new(o, "image", json_pack("[s+]", base,
		    site->logo_src));
	cap = json_object_get(ev, "capacity");
	if (json_is_integer(cap)) {
		json_object_set(o, "maximumAttendeeCapacity", cap);
		if (json_is_integer(json_object_get(ev, "seats_left")))
			json_object_set(o, "remainingAttendeeCapacity",
			    json_object_get(ev, "seats_left"));
	}

	/*
	 * The sessions, each an event within this one: their name and
	 * times.  Google's event results read the top Event only; the place
	 * and the rest are the event's, and repeating them for every
	 * session doubled the bytes and the time of the JSON-LD.
	 */
	subs = json_array();
	json_array_foreach(json_object_get(ev, "sessions"), i, s) {
		if (jstr(s, "title") == NULL || jstr(s, "starts_at") == NULL ||
		    jstr(s, "ends_at") == NULL)
			continue;
		sub = typed("Event");
		put_str(sub, "name", jstr(s, "title"));
		put_str(sub, "description", jstr(s, "description"));
		put_str(sub, "startDate", jstr(s, "starts_at"));
		put_str(sub, "endDate", jstr(s, "ends_at"));
		json_array_append_new(subs, sub);
	}
	if (json_array_size(subs) > 0)
		json_object_set_new(o, "subEvent", subs);
	else
		json_decref(subs);
	json_decref(where);
	return o;
}
