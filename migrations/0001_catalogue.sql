-- 0001_catalogue.sql - event kinds, events, sessions and organiser tokens.
--
-- Every time is a timestamptz; the event's IANA zone is kept beside it so
-- that answers and feeds show local time with the right offset.  The
-- constraints here are the last line of defence: the daemon validates
-- first so that it can name every bad field at once.  The functions that
-- read and write these tables are in functions/, not here.

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
