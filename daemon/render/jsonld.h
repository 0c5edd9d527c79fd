/*
 * render/jsonld.h - schema.org data about an event, for search engines
 * (JSON-LD in the event page's head, render/page.c): a pure function of
 * lk_event_json's object, where registration stands, the page's address
 * and who is behind the pages.
 *
 * It gives what Google's event rich results ask for: name, startDate
 * and endDate with their offsets, location (a Place with its
 * PostalAddress, a VirtualLocation, or both), eventStatus
 * (EventScheduled, EventCancelled), eventAttendanceMode (offline, online,
 * mixed), organizer, offers, description, image (the logo) and the
 * sessions as subEvent.  A free event offers at price 0 in EUR; one with
 * a price text offers with that text as its description and no price,
 * since a number read out of the organiser's words could be wrong.
 */
#ifndef LEERKANS_JSONLD_H
#define LEERKANS_JSONLD_H

#include <jansson.h>

#include "render/page.h"
#include "render/pages.h"

#define JSONLD_ORGANIZER	"West-Vlaams Partnerschap Levenslang Leren"

/*
 * The Event object (a new reference; NULL when out of memory or ev has
 * no title or times).  url is the page's canonical address; c gives
 * public_url and the site (the logo, the contact address).
 */
json_t	*jsonld_event(const json_t *ev, enum pages_state state,
	    const char *url, const struct page_ctx *c);

#endif
