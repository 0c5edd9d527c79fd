-- 0001_catalogue.sql - event kinds, events, sessions and organiser tokens.
--
-- Every time is a timestamptz; the event's IANA zone is kept beside it so
-- that answers and feeds show local time with the right offset.  The
-- constraints here are the last line of defence: the daemon validates
-- first so that it can name every bad field at once.

CREATE TABLE event_kinds (
	slug		text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
	title_nl	text NOT NULL,
	title_en	text NOT NULL,
	action_no	integer,		-- the action in the action plan
	created_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO event_kinds (slug, title_nl, title_en, action_no) VALUES
	('network-event', 'Netwerkevent Levenslang Leren',
	 'Lifelong learning network event', 7),
	('academy-session', 'Inspiratiesessie in-company academies',
	 'In-company academy inspiration session', 2),
	('sme-info-session', 'Infosessie voor KMO''s en intermediairen',
	 'Info session for SMEs and intermediaries', 4);

CREATE TABLE events (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug		text NOT NULL UNIQUE
			CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
	kind		text NOT NULL REFERENCES event_kinds (slug),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	language	text NOT NULL DEFAULT 'nl'
			CHECK (language IN ('nl', 'en', 'fr')),
	starts_at	timestamptz NOT NULL,
	ends_at		timestamptz NOT NULL,
	timezone	text NOT NULL DEFAULT 'Europe/Brussels',
	venue_name	text,
	venue_address	text,
	venue_postcode	text,
	venue_city	text,
	online_url	text,
	capacity	integer CHECK (capacity >= 0),
	waitlist	boolean NOT NULL DEFAULT true,
	registration_opens_at	timestamptz,
	registration_closes_at	timestamptz,
	status		text NOT NULL DEFAULT 'draft'
			CHECK (status IN ('draft', 'published', 'cancelled')),
	sequence	integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
	-- kept by the registration functions, in the same transaction
	confirmed_count	integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
	waitlist_count	integer NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT events_ends_after_starts CHECK (ends_at > starts_at),
	CONSTRAINT events_closes_after_opens CHECK (
	    registration_closes_at IS NULL OR registration_opens_at IS NULL OR
	    registration_closes_at > registration_opens_at),
	CONSTRAINT events_capacity_held CHECK (
	    capacity IS NULL OR confirmed_count <= capacity)
);

CREATE INDEX events_starts_at ON events (starts_at);
CREATE INDEX events_kind_starts_at ON events (kind, starts_at);

CREATE TABLE sessions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	slug		text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	starts_at	timestamptz NOT NULL,
	ends_at		timestamptz NOT NULL,
	room		text,
	capacity	integer CHECK (capacity >= 0),
	sequence	integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
	confirmed_count	integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
	waitlist_count	integer NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (event_id, slug),
	CONSTRAINT sessions_ends_after_starts CHECK (ends_at > starts_at),
	CONSTRAINT sessions_capacity_held CHECK (
	    capacity IS NULL OR confirmed_count <= capacity)
);

CREATE TABLE organiser_tokens (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	token_hash	bytea NOT NULL UNIQUE,	-- sha256 of the token
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz
);

-- RFC 3339 text of a time as seen in an IANA zone, with its offset.
-- One expression without FROM, so that the planner inlines it: this runs
-- a dozen times for every event in every answer.
CREATE FUNCTION lk_ts(ts timestamptz, tz text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS') ||
	    CASE WHEN ts AT TIME ZONE tz < ts AT TIME ZONE 'UTC'
		THEN '-' ELSE '+' END ||
	    to_char(greatest((ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC'),
		(ts AT TIME ZONE 'UTC') - (ts AT TIME ZONE tz)), 'HH24:MI')
$$;

CREATE FUNCTION lk_session_json(s sessions, tz text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'slug', s.slug,
	    'title', s.title,
	    'description', s.description,
	    'starts_at', lk_ts(s.starts_at, tz),
	    'ends_at', lk_ts(s.ends_at, tz),
	    'room', s.room,
	    'capacity', s.capacity,
	    'seats_left', CASE WHEN s.capacity IS NULL THEN NULL
		ELSE greatest(s.capacity - s.confirmed_count, 0) END,
	    'waitlist_length', s.waitlist_count,
	    'sequence', s.sequence,
	    'created_at', lk_ts(s.created_at, tz),
	    'updated_at', lk_ts(s.updated_at, tz))
$$;

CREATE FUNCTION lk_event_json(e events) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'slug', e.slug,
	    'kind', e.kind,
	    'title', e.title,
	    'description', e.description,
	    'language', e.language,
	    'starts_at', lk_ts(e.starts_at, e.timezone),
	    'ends_at', lk_ts(e.ends_at, e.timezone),
	    'timezone', e.timezone,
	    'venue', CASE WHEN num_nonnulls(e.venue_name, e.venue_address,
		e.venue_postcode, e.venue_city) = 0 THEN NULL
		ELSE json_build_object('name', e.venue_name,
		    'address', e.venue_address, 'postcode', e.venue_postcode,
		    'city', e.venue_city) END,
	    'online_url', e.online_url,
	    'capacity', e.capacity,
	    'waitlist', e.waitlist,
	    'registration_opens_at', lk_ts(e.registration_opens_at, e.timezone),
	    'registration_closes_at', lk_ts(e.registration_closes_at, e.timezone),
	    'status', e.status,
	    'sequence', e.sequence,
	    'seats_left', CASE WHEN e.capacity IS NULL THEN NULL
		ELSE greatest(e.capacity - e.confirmed_count, 0) END,
	    'waitlist_length', e.waitlist_count,
	    'sessions', coalesce((SELECT json_agg(lk_session_json(s, e.timezone)
		ORDER BY s.starts_at, s.slug) FROM sessions s
		WHERE s.event_id = e.id), '[]'::json),
	    'created_at', lk_ts(e.created_at, e.timezone),
	    'updated_at', lk_ts(e.updated_at, e.timezone))
$$;
