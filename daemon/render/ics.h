/*
 * ics.h - iCalendar text for the feeds (API.md section 6), made with
 * libical.
 *
 * ics_render() is a pure function from a calendar of events (each with
 * the sessions to show) to RFC 5545 text: no database, no clock, so the
 * same data always gives the same bytes (and the same ETag in every
 * daemon).  ics_calendar_from_json() fills the structures from what the
 * lk_feed_* SQL functions answer (migrations/0004_feeds.sql).
 */
#ifndef LEERKANS_ICS_H
#define LEERKANS_ICS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

/* The right-hand side of every UID: fixed, so that a UID never changes. */
#define ICS_UID_DOMAIN	"leerkans.invalid"

enum ics_status {
	ICS_CONFIRMED,
	ICS_TENTATIVE,
	ICS_CANCELLED
};

struct ics_session {
	long long	 id;		/* sessions.id: the UID */
	const char	*title;
	const char	*description;
	const char	*room;		/* may be NULL */
	time_t		 starts_at;
	time_t		 ends_at;
	time_t		 updated_at;
	int		 sequence;	/* added to the event's */
	enum ics_status	 status;	/* CANCELLED whenever the event is */
};

struct ics_event {
	long long	 id;		/* events.id: the UID */
	const char	*slug;		/* for the URL */
	const char	*title;
	const char	*description;
	const char	*language;	/* nl, en, fr: for words the feed adds */
	const char	*timezone;	/* IANA name: TZID and its VTIMEZONE */
	time_t		 starts_at;
	time_t		 ends_at;
	time_t		 updated_at;	/* LAST-MODIFIED and DTSTAMP */
	const char	*venue_name;	/* each may be NULL */
	const char	*venue_address;
	const char	*venue_postcode;
	const char	*venue_city;
	const char	*online_url;
	int		 sequence;
	enum ics_status	 status;
	struct ics_session *sessions;	/* each its own VEVENT */
	size_t		 nsessions;
};

/* METHOD: a feed publishes; a mail's attachment invites or cancels (iTIP) */
enum ics_method {
	ICS_PUBLISH = 0,
	ICS_REQUEST,
	ICS_CANCEL
};

struct ics_calendar {
	const char	*prodid;
	const char	*name;		/* X-WR-CALNAME */
	const char	*base_url;	/* URL is base_url/events/slug */
	int		 refresh;	/* seconds: REFRESH-INTERVAL, X-PUBLISHED-TTL */
	struct ics_event *events;
	size_t		 nevents;
	enum ics_method	 method;	/* 0: PUBLISH */
};

/* The calendar as text (CRLF, folded); NULL when out of memory. */
char	*ics_render(const struct ics_calendar *cal, size_t *lenp)
	    __attribute__((warn_unused_result));

/*
 * Fills name and events from a feed's JSON; strings point into j, which
 * must outlive cal.  False if j has not the expected shape.
 */
bool	ics_calendar_from_json(struct ics_calendar *cal, const json_t *j)
	    __attribute__((warn_unused_result));
void	ics_calendar_clear(struct ics_calendar *cal);

/* The pieces, for the tests. */
char	*ics_escape_text(const char *s);
char	*ics_fold(const char *text, size_t len, size_t *outlen);

#endif
