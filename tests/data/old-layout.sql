-- old-layout.sql - a database as leerkansctl migrate left it before the
-- function files (migrations/functions/) existed: migrations 1 to 6 as
-- they were at commit 95ad8c6, each recorded in schema_migrations, with
-- the functions and triggers made by the versioned migrations
-- themselves.  test_migrate.py upgrades it with this build's migrate.
-- Kept as it was: do not edit.

CREATE TABLE schema_migrations (
	version integer PRIMARY KEY,
	name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now());

-- migrations/0001_catalogue.sql

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

INSERT INTO schema_migrations (version, name) VALUES (1, '0001_catalogue.sql');

-- migrations/0002_catalogue_api.sql

-- 0002_catalogue_api.sql - the functions behind the event catalogue API.
--
-- Each write is one statement from the daemon: it validates the shape of
-- the request itself and passes the body (jsonb) with the errors it found;
-- these functions add what only the database can know (unknown kind, slug
-- taken, capacity below the confirmed count), then write or refuse.
--
-- Refusals are raised with SQLSTATE 'LK' || HTTP status, the problem type
-- name in HINT and a JSON array of {field, message} in DETAIL; the daemon
-- turns them into problem+json without parsing any message text.

CREATE FUNCTION lk_fail(status integer, problem text, message text,
    errors jsonb DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING
	    ERRCODE = 'LK' || status::text,
	    MESSAGE = message,
	    HINT = problem,
	    DETAIL = coalesce(errors::text, '');
END
$$;

CREATE FUNCTION lk_field_error(field text, message text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_array(jsonb_build_object('field', field,
	    'message', message))
$$;

CREATE FUNCTION lk_check_kind(p jsonb, errs jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF jsonb_typeof(p->'kind') = 'string' AND NOT EXISTS (
	    SELECT 1 FROM event_kinds k WHERE k.slug = p->>'kind') THEN
		errs := errs || lk_field_error('kind', 'unknown event kind');
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;
	RETURN errs;
END
$$;

CREATE FUNCTION lk_event_create(p jsonb, errs jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
BEGIN
	PERFORM lk_check_kind(p, errs);
	INSERT INTO events (slug, kind, title, description, language,
	    starts_at, ends_at, timezone, venue_name, venue_address,
	    venue_postcode, venue_city, online_url, capacity, waitlist,
	    registration_opens_at, registration_closes_at, status)
	VALUES (p->>'slug', p->>'kind', p->>'title',
	    coalesce(p->>'description', ''), coalesce(p->>'language', 'nl'),
	    (p->>'starts_at')::timestamptz, (p->>'ends_at')::timestamptz,
	    coalesce(p->>'timezone', 'Europe/Brussels'),
	    p->'venue'->>'name', p->'venue'->>'address',
	    p->'venue'->>'postcode', p->'venue'->>'city',
	    p->>'online_url', (p->>'capacity')::integer,
	    coalesce((p->>'waitlist')::boolean, true),
	    (p->>'registration_opens_at')::timestamptz,
	    (p->>'registration_closes_at')::timestamptz,
	    coalesce(p->>'status', 'draft'))
	RETURNING * INTO e;
	RETURN lk_event_json(e);
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'slug-taken',
	    'An event with this slug exists already.',
	    lk_field_error('slug', 'already taken'));
	RETURN NULL;
END
$$;

CREATE FUNCTION lk_event_patch(slug_in text, p jsonb, errs jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	o events;
	n events;
	v jsonb := p->'venue';
BEGIN
	SELECT * INTO o FROM events WHERE slug = slug_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	PERFORM lk_check_kind(p, errs);
	n := o;
	IF p ? 'kind' THEN n.kind := p->>'kind'; END IF;
	IF p ? 'title' THEN n.title := p->>'title'; END IF;
	IF p ? 'description' THEN n.description := p->>'description'; END IF;
	IF p ? 'language' THEN n.language := p->>'language'; END IF;
	IF p ? 'starts_at' THEN
		n.starts_at := (p->>'starts_at')::timestamptz;
	END IF;
	IF p ? 'ends_at' THEN n.ends_at := (p->>'ends_at')::timestamptz; END IF;
	IF p ? 'timezone' THEN n.timezone := p->>'timezone'; END IF;
	IF p ? 'online_url' THEN n.online_url := p->>'online_url'; END IF;
	IF p ? 'capacity' THEN n.capacity := (p->>'capacity')::integer; END IF;
	IF p ? 'waitlist' THEN n.waitlist := (p->>'waitlist')::boolean; END IF;
	IF p ? 'registration_opens_at' THEN
		n.registration_opens_at :=
		    (p->>'registration_opens_at')::timestamptz;
	END IF;
	IF p ? 'registration_closes_at' THEN
		n.registration_closes_at :=
		    (p->>'registration_closes_at')::timestamptz;
	END IF;
	IF p ? 'status' THEN n.status := p->>'status'; END IF;
	-- venue is merged (RFC 7396): a key replaces, null clears all
	IF jsonb_typeof(v) = 'null' THEN
		n.venue_name := NULL; n.venue_address := NULL;
		n.venue_postcode := NULL; n.venue_city := NULL;
	ELSIF jsonb_typeof(v) = 'object' THEN
		IF v ? 'name' THEN n.venue_name := v->>'name'; END IF;
		IF v ? 'address' THEN n.venue_address := v->>'address'; END IF;
		IF v ? 'postcode' THEN n.venue_postcode := v->>'postcode'; END IF;
		IF v ? 'city' THEN n.venue_city := v->>'city'; END IF;
	END IF;

	IF n.ends_at <= n.starts_at THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error(CASE WHEN p ? 'ends_at' THEN 'ends_at'
			ELSE 'starts_at' END, 'ends_at must be after starts_at'));
	END IF;
	IF (n.starts_at, n.ends_at) IS DISTINCT FROM (o.starts_at, o.ends_at)
	    AND EXISTS (SELECT 1 FROM sessions s WHERE s.event_id = o.id
		AND (s.starts_at < n.starts_at OR s.ends_at > n.ends_at)) THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error(CASE WHEN p ? 'starts_at' THEN 'starts_at'
			ELSE 'ends_at' END, 'sessions of the event would lie '
			'outside it; move or shorten them first'));
	END IF;
	IF n.registration_closes_at <= n.registration_opens_at THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error('registration_closes_at',
			'must be after registration_opens_at'));
	END IF;
	IF n.capacity < o.confirmed_count THEN
		PERFORM lk_fail(409, 'capacity-below-confirmed',
		    format('The event has %s confirmed registrations, more '
			'than the new capacity.', o.confirmed_count),
		    lk_field_error('capacity', 'below the confirmed count'));
	END IF;

	IF (n.title, n.starts_at, n.ends_at, n.timezone, n.venue_name,
	    n.venue_address, n.venue_postcode, n.venue_city, n.online_url,
	    n.status) IS DISTINCT FROM (o.title, o.starts_at, o.ends_at,
	    o.timezone, o.venue_name, o.venue_address, o.venue_postcode,
	    o.venue_city, o.online_url, o.status) THEN
		n.sequence := o.sequence + 1;
	END IF;
	IF n IS DISTINCT FROM o THEN
		UPDATE events SET kind = n.kind, title = n.title,
		    description = n.description, language = n.language,
		    starts_at = n.starts_at, ends_at = n.ends_at,
		    timezone = n.timezone, venue_name = n.venue_name,
		    venue_address = n.venue_address,
		    venue_postcode = n.venue_postcode,
		    venue_city = n.venue_city, online_url = n.online_url,
		    capacity = n.capacity, waitlist = n.waitlist,
		    registration_opens_at = n.registration_opens_at,
		    registration_closes_at = n.registration_closes_at,
		    status = n.status, sequence = n.sequence,
		    updated_at = now()
		WHERE id = o.id;
	END IF;
	-- read again: triggers may have moved seats (0003: waiting lists)
	SELECT * INTO n FROM events WHERE id = o.id;
	RETURN lk_event_json(n);
END
$$;

CREATE FUNCTION lk_events_list(kind_in text, from_in timestamptz,
    to_in timestamptz, drafts boolean) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF kind_in IS NOT NULL AND NOT EXISTS (
	    SELECT 1 FROM event_kinds k WHERE k.slug = kind_in) THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The query has invalid parameters.',
		    lk_field_error('kind', 'unknown event kind'));
	END IF;
	RETURN json_build_object('events', coalesce((
	    SELECT json_agg(lk_event_json(e) ORDER BY e.starts_at, e.id)
	    FROM events e
	    WHERE (drafts OR e.status <> 'draft')
	      AND (kind_in IS NULL OR e.kind = kind_in)
	      AND (from_in IS NULL OR e.ends_at > from_in)
	      AND (to_in IS NULL OR e.starts_at < to_in)), '[]'::json));
END
$$;

CREATE FUNCTION lk_session_check(e events, s sessions) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF s.ends_at <= s.starts_at THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error('ends_at', 'must be after starts_at'));
	END IF;
	IF s.starts_at < e.starts_at OR s.ends_at > e.ends_at THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error(CASE WHEN s.starts_at < e.starts_at
			THEN 'starts_at' ELSE 'ends_at' END,
			format('the session must lie within the event (%s to %s)',
			    lk_ts(e.starts_at, e.timezone),
			    lk_ts(e.ends_at, e.timezone))));
	END IF;
END
$$;

CREATE FUNCTION lk_session_create(event_in text, p jsonb, errs jsonb)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	s sessions;
BEGIN
	SELECT * INTO e FROM events WHERE slug = event_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;
	s.event_id := e.id;
	s.slug := p->>'slug';
	s.title := p->>'title';
	s.description := coalesce(p->>'description', '');
	s.starts_at := (p->>'starts_at')::timestamptz;
	s.ends_at := (p->>'ends_at')::timestamptz;
	s.room := p->>'room';
	s.capacity := (p->>'capacity')::integer;
	PERFORM lk_session_check(e, s);
	INSERT INTO sessions (event_id, slug, title, description, starts_at,
	    ends_at, room, capacity)
	VALUES (s.event_id, s.slug, s.title, s.description, s.starts_at,
	    s.ends_at, s.room, s.capacity)
	RETURNING * INTO s;
	UPDATE events SET updated_at = now() WHERE id = e.id;
	RETURN lk_session_json(s, e.timezone);
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'slug-taken',
	    'The event has a session with this slug already.',
	    lk_field_error('slug', 'already taken'));
	RETURN NULL;
END
$$;

CREATE FUNCTION lk_session_patch(event_in text, session_in text, p jsonb,
    errs jsonb) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	o sessions;
	n sessions;
BEGIN
	SELECT * INTO e FROM events WHERE slug = event_in FOR UPDATE;
	IF FOUND THEN
		SELECT * INTO o FROM sessions
		WHERE event_id = e.id AND slug = session_in FOR UPDATE;
	END IF;
	IF o.id IS NULL THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such session.');
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;
	n := o;
	IF p ? 'title' THEN n.title := p->>'title'; END IF;
	IF p ? 'description' THEN n.description := p->>'description'; END IF;
	IF p ? 'starts_at' THEN
		n.starts_at := (p->>'starts_at')::timestamptz;
	END IF;
	IF p ? 'ends_at' THEN n.ends_at := (p->>'ends_at')::timestamptz; END IF;
	IF p ? 'room' THEN n.room := p->>'room'; END IF;
	IF p ? 'capacity' THEN n.capacity := (p->>'capacity')::integer; END IF;
	PERFORM lk_session_check(e, n);
	IF n.capacity < o.confirmed_count THEN
		PERFORM lk_fail(409, 'capacity-below-confirmed',
		    format('The session has %s confirmed registrations, more '
			'than the new capacity.', o.confirmed_count),
		    lk_field_error('capacity', 'below the confirmed count'));
	END IF;
	IF (n.title, n.starts_at, n.ends_at, n.room) IS DISTINCT FROM
	    (o.title, o.starts_at, o.ends_at, o.room) THEN
		n.sequence := o.sequence + 1;
	END IF;
	IF n IS DISTINCT FROM o THEN
		UPDATE sessions SET title = n.title,
		    description = n.description, starts_at = n.starts_at,
		    ends_at = n.ends_at, room = n.room, capacity = n.capacity,
		    sequence = n.sequence, updated_at = now()
		WHERE id = o.id;
		UPDATE events SET updated_at = now() WHERE id = e.id;
	END IF;
	SELECT * INTO n FROM sessions WHERE id = o.id;
	RETURN lk_session_json(n, e.timezone);
END
$$;

INSERT INTO schema_migrations (version, name) VALUES (2, '0002_catalogue_api.sql');

-- migrations/0003_registrations.sql

-- 0003_registrations.sql - registrations, their session choices, the
-- waiting lists and idempotency keys.
--
-- Seats are counted on the event and session rows (confirmed_count,
-- waitlist_count) and changed only by the functions below, which lock the
-- event row first: registrations for one event are serialised there, so
-- no capacity is ever exceeded, whatever the concurrency.  The CHECK
-- constraints on events and sessions (confirmed_count <= capacity) hold
-- the line should a bug ever try otherwise.
--
-- A session choice is 'confirmed' (holds a session seat), 'waitlisted'
-- (waits for one), 'pending' (the registration itself waits for an event
-- seat; the choice is weighed when it gets one) or 'cancelled'.

CREATE TABLE registrations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events (id),
	token_hash	bytea NOT NULL UNIQUE,	-- sha256 of the manage token
	status		text NOT NULL
			CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
	name		text,
	email		text,
	email_norm	text,			-- lower case, for duplicates
	organisation	text,
	enterprise_number text CHECK (enterprise_number ~ '^[01][0-9]{9}$'),
	role		text NOT NULL CHECK (role IN ('employer', 'employee',
			    'job-seeker', 'intermediary', 'training-provider',
			    'student', 'citizen', 'other')),
	organisation_type text NOT NULL CHECK (organisation_type IN ('sme',
			    'large-company', 'intermediary', 'education',
			    'government', 'non-profit', 'none')),
	postcode	text CHECK (postcode ~ '^[1-9][0-9]{3}$'),
	language	text NOT NULL DEFAULT 'nl'
			CHECK (language IN ('nl', 'en', 'fr')),
	source		text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'web')),
	consented_at	timestamptz NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz,
	cancelled_at	timestamptz,
	checked_in_at	timestamptz
);

CREATE UNIQUE INDEX registrations_one_active
	ON registrations (event_id, email_norm) WHERE status <> 'cancelled';
CREATE INDEX registrations_waitlist
	ON registrations (event_id, id) WHERE status = 'waitlisted';

CREATE TABLE registration_sessions (
	registration_id	bigint NOT NULL REFERENCES registrations (id)
			ON DELETE CASCADE,
	session_id	bigint NOT NULL REFERENCES sessions (id),
	status		text NOT NULL CHECK (status IN ('confirmed',
			    'waitlisted', 'pending', 'cancelled')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (registration_id, session_id)
);

CREATE INDEX registration_sessions_session
	ON registration_sessions (session_id, registration_id);

CREATE TABLE idempotency_keys (
	key		text PRIMARY KEY,
	request_hash	bytea NOT NULL,
	response	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- The registrant's view, also the answer to a registration.
CREATE FUNCTION lk_registration_json(r registrations, token text)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'id', r.id,
	    'status', r.status,
	    'waitlist_position', CASE WHEN r.status = 'waitlisted' THEN
		(SELECT count(*) FROM registrations w
		 WHERE w.event_id = r.event_id AND w.status = 'waitlisted'
		   AND w.id <= r.id) END,
	    'event', json_build_object('slug', e.slug, 'title', e.title,
		'status', e.status, 'starts_at', lk_ts(e.starts_at, e.timezone),
		'ends_at', lk_ts(e.ends_at, e.timezone), 'timezone', e.timezone),
	    'sessions', coalesce((
		SELECT json_agg(json_build_object('slug', s.slug,
		    'title', s.title,
		    'starts_at', lk_ts(s.starts_at, e.timezone),
		    'ends_at', lk_ts(s.ends_at, e.timezone),
		    'status', CASE rs.status WHEN 'pending' THEN 'waitlisted'
			ELSE rs.status END)
		    ORDER BY s.starts_at, s.slug)
		FROM registration_sessions rs
		JOIN sessions s ON s.id = rs.session_id
		WHERE rs.registration_id = r.id), '[]'::json),
	    'name', r.name,
	    'email', r.email,
	    'organisation', r.organisation,
	    'enterprise_number', r.enterprise_number,
	    'role', r.role,
	    'organisation_type', r.organisation_type,
	    'postcode', r.postcode,
	    'language', r.language,
	    'created_at', lk_ts(r.created_at, e.timezone),
	    'cancelled_at', lk_ts(r.cancelled_at, e.timezone),
	    'manage_url', '/r/' || token,
	    'calendar_url', '/feeds/personal/' || token || '.ics')
	FROM events e WHERE e.id = r.event_id
$$;

-- Gives free session seats to the earliest waiting choices whose
-- registration holds an event seat.  The caller holds the event lock.
CREATE FUNCTION lk_promote_session(sid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	s sessions;
	w registration_sessions;
BEGIN
	LOOP
		SELECT * INTO s FROM sessions WHERE id = sid FOR UPDATE;
		EXIT WHEN s.capacity IS NOT NULL AND s.confirmed_count >= s.capacity;
		SELECT rs.* INTO w FROM registration_sessions rs
		JOIN registrations r ON r.id = rs.registration_id
		WHERE rs.session_id = sid AND rs.status = 'waitlisted'
		  AND r.status = 'confirmed'
		ORDER BY rs.registration_id LIMIT 1;
		EXIT WHEN NOT FOUND;
		UPDATE registration_sessions SET status = 'confirmed',
		    updated_at = now()
		WHERE registration_id = w.registration_id AND session_id = sid;
		UPDATE sessions SET confirmed_count = confirmed_count + 1,
		    waitlist_count = waitlist_count - 1
		WHERE id = sid;
	END LOOP;
END
$$;

-- Weighs the choices of a registration that just got an event seat.
CREATE FUNCTION lk_seat_sessions(rid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	s sessions;
BEGIN
	FOR s IN SELECT ss.* FROM sessions ss
	    JOIN registration_sessions rs ON rs.session_id = ss.id
	    WHERE rs.registration_id = rid AND rs.status = 'pending'
	    ORDER BY ss.id FOR UPDATE OF ss LOOP
		IF s.capacity IS NULL OR s.confirmed_count < s.capacity THEN
			UPDATE registration_sessions SET status = 'confirmed',
			    updated_at = now()
			WHERE registration_id = rid AND session_id = s.id;
			UPDATE sessions SET confirmed_count = confirmed_count + 1
			WHERE id = s.id;
		ELSE
			UPDATE registration_sessions SET status = 'waitlisted',
			    updated_at = now()
			WHERE registration_id = rid AND session_id = s.id;
			UPDATE sessions SET waitlist_count = waitlist_count + 1
			WHERE id = s.id;
		END IF;
	END LOOP;
END
$$;

-- Gives free event seats to the oldest waiting registrations.  The
-- caller holds the event lock.
CREATE FUNCTION lk_promote_event(eid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	w registrations;
BEGIN
	LOOP
		SELECT * INTO e FROM events WHERE id = eid FOR UPDATE;
		EXIT WHEN e.capacity IS NOT NULL AND e.confirmed_count >= e.capacity;
		SELECT * INTO w FROM registrations
		WHERE event_id = eid AND status = 'waitlisted'
		ORDER BY id LIMIT 1 FOR UPDATE;
		EXIT WHEN NOT FOUND;
		UPDATE registrations SET status = 'confirmed', confirmed_at = now(),
		    updated_at = now()
		WHERE id = w.id;
		UPDATE events SET confirmed_count = confirmed_count + 1,
		    waitlist_count = waitlist_count - 1
		WHERE id = eid;
		PERFORM lk_seat_sessions(w.id);
	END LOOP;
END
$$;

-- A capacity raised by PATCH gives the new seats away at once.
CREATE FUNCTION lk_events_capacity_raised() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lk_promote_event(NEW.id);
	RETURN NULL;
END
$$;

CREATE TRIGGER events_capacity_raised AFTER UPDATE OF capacity ON events
	FOR EACH ROW
	WHEN (NEW.capacity IS NULL AND OLD.capacity IS NOT NULL OR
	    NEW.capacity > OLD.capacity)
	EXECUTE FUNCTION lk_events_capacity_raised();

CREATE FUNCTION lk_sessions_capacity_raised() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lk_promote_session(NEW.id);
	RETURN NULL;
END
$$;

CREATE TRIGGER sessions_capacity_raised AFTER UPDATE OF capacity ON sessions
	FOR EACH ROW
	WHEN (NEW.capacity IS NULL AND OLD.capacity IS NOT NULL OR
	    NEW.capacity > OLD.capacity)
	EXECUTE FUNCTION lk_sessions_capacity_raised();

-- One registration, in one statement.  p is the body the daemon checked,
-- errs what it found wrong, token the new manage token, idem_key the
-- Idempotency-Key header (or NULL).
CREATE FUNCTION lk_register(event_in text, p jsonb, errs jsonb, token text,
    idem_key text, source_in text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	r registrations;
	s sessions;
	prior idempotency_keys;
	h bytea;
	chosen text[];
	unknown text;
	overlap record;
	st text;
	ss text;
	resp json;
BEGIN
	IF idem_key IS NOT NULL THEN
		h := sha256(convert_to(event_in || ' ' || p::text, 'UTF8'));
		PERFORM pg_advisory_xact_lock(hashtextextended(idem_key, 17));
		SELECT * INTO prior FROM idempotency_keys WHERE key = idem_key;
		IF FOUND AND prior.created_at > now() - interval '48 hours' THEN
			IF prior.request_hash = h THEN
				RETURN prior.response::json;
			END IF;
			PERFORM lk_fail(422, 'idempotency-key-reused',
			    'This Idempotency-Key came with another request.',
			    lk_field_error('Idempotency-Key',
				'already used with a different body'));
		END IF;
	END IF;

	SELECT * INTO e FROM events WHERE slug = event_in FOR UPDATE;
	IF NOT FOUND OR e.status = 'draft' THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;

	IF jsonb_typeof(p->'sessions') = 'array' THEN
		SELECT array_agg(x) INTO chosen
		FROM jsonb_array_elements_text(p->'sessions') AS x;
		FOR unknown IN SELECT x FROM unnest(chosen) AS x
		    WHERE NOT EXISTS (SELECT 1 FROM sessions ss
			WHERE ss.event_id = e.id AND ss.slug = x) LOOP
			errs := errs || lk_field_error('sessions',
			    format('unknown session: %s', unknown));
		END LOOP;
		FOR overlap IN SELECT a.slug AS a, b.slug AS b
		    FROM sessions a JOIN sessions b ON a.id < b.id
		    WHERE a.event_id = e.id AND b.event_id = e.id
		      AND a.slug = ANY (chosen) AND b.slug = ANY (chosen)
		      AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		    ORDER BY a.starts_at, a.slug, b.slug LOOP
			errs := errs || lk_field_error('sessions',
			    format('%s and %s overlap in time; choose one',
				overlap.a, overlap.b));
		END LOOP;
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;

	IF e.status = 'cancelled' THEN
		PERFORM lk_fail(409, 'event-cancelled',
		    'This event was cancelled.');
	END IF;
	IF e.ends_at <= now() OR e.registration_closes_at <= now() THEN
		PERFORM lk_fail(409, 'registration-closed',
		    'Registration for this event has closed.');
	END IF;
	IF e.registration_opens_at > now() THEN
		PERFORM lk_fail(409, 'registration-not-open',
		    format('Registration opens at %s.',
			lk_ts(e.registration_opens_at, e.timezone)));
	END IF;
	IF EXISTS (SELECT 1 FROM registrations
	    WHERE event_id = e.id AND email_norm = lower(p->>'email')
	      AND status <> 'cancelled') THEN
		PERFORM lk_fail(409, 'duplicate-registration',
		    'This e-mail address is registered for this event already.',
		    lk_field_error('email', 'already registered'));
	END IF;

	IF e.capacity IS NULL OR e.confirmed_count < e.capacity THEN
		st := 'confirmed';
		UPDATE events SET confirmed_count = confirmed_count + 1
		WHERE id = e.id;
	ELSIF e.waitlist THEN
		st := 'waitlisted';
		UPDATE events SET waitlist_count = waitlist_count + 1
		WHERE id = e.id;
	ELSE
		PERFORM lk_fail(409, 'event-full',
		    'This event is full and has no waiting list.');
	END IF;

	INSERT INTO registrations (event_id, token_hash, status, name, email,
	    email_norm, organisation, enterprise_number, role,
	    organisation_type, postcode, language, source, consented_at,
	    confirmed_at)
	VALUES (e.id, sha256(convert_to(token, 'UTF8')), st, p->>'name',
	    p->>'email', lower(p->>'email'), p->>'organisation',
	    p->>'enterprise_number', p->>'role', p->>'organisation_type',
	    p->>'postcode', coalesce(p->>'language', e.language), source_in,
	    now(), CASE WHEN st = 'confirmed' THEN now() END)
	RETURNING * INTO r;

	FOR s IN SELECT * FROM sessions
	    WHERE event_id = e.id AND slug = ANY (coalesce(chosen, '{}'))
	    ORDER BY id FOR UPDATE LOOP
		IF st = 'waitlisted' THEN
			ss := 'pending';
		ELSIF s.capacity IS NULL OR s.confirmed_count < s.capacity THEN
			ss := 'confirmed';
			UPDATE sessions SET confirmed_count = confirmed_count + 1
			WHERE id = s.id;
		ELSE
			ss := 'waitlisted';
			UPDATE sessions SET waitlist_count = waitlist_count + 1
			WHERE id = s.id;
		END IF;
		INSERT INTO registration_sessions (registration_id, session_id,
		    status)
		VALUES (r.id, s.id, ss);
	END LOOP;

	resp := lk_registration_json(r, token);
	IF idem_key IS NOT NULL THEN
		DELETE FROM idempotency_keys
		WHERE created_at < now() - interval '48 hours';
		INSERT INTO idempotency_keys (key, request_hash, response)
		VALUES (idem_key, h, resp::text)
		ON CONFLICT (key) DO UPDATE
		SET request_hash = excluded.request_hash,
		    response = excluded.response, created_at = now();
	END IF;
	RETURN resp;
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'duplicate-registration',
	    'This e-mail address is registered for this event already.',
	    lk_field_error('email', 'already registered'));
	RETURN NULL;
END
$$;

-- Cancels by manage token; the freed seats go to the waiting lists in
-- the same transaction.  Cancelling twice answers the same.
CREATE FUNCTION lk_cancel(token text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	r registrations;
	rs registration_sessions;
	was text;
BEGIN
	SELECT * INTO r FROM registrations
	WHERE token_hash = sha256(convert_to(token, 'UTF8'));
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such registration.');
	END IF;
	PERFORM 1 FROM events WHERE id = r.event_id FOR UPDATE;
	SELECT * INTO r FROM registrations WHERE id = r.id FOR UPDATE;
	IF r.status = 'cancelled' THEN
		RETURN lk_registration_json(r, token);
	END IF;

	FOR rs IN SELECT x.* FROM registration_sessions x
	    WHERE x.registration_id = r.id AND x.status <> 'cancelled'
	    ORDER BY x.session_id LOOP
		PERFORM 1 FROM sessions WHERE id = rs.session_id FOR UPDATE;
		UPDATE registration_sessions SET status = 'cancelled',
		    updated_at = now()
		WHERE registration_id = r.id AND session_id = rs.session_id;
		IF rs.status = 'confirmed' THEN
			UPDATE sessions SET confirmed_count = confirmed_count - 1
			WHERE id = rs.session_id;
			PERFORM lk_promote_session(rs.session_id);
		ELSIF rs.status = 'waitlisted' THEN
			UPDATE sessions SET waitlist_count = waitlist_count - 1
			WHERE id = rs.session_id;
		END IF;
	END LOOP;

	was := r.status;
	UPDATE registrations SET status = 'cancelled', cancelled_at = now(),
	    updated_at = now()
	WHERE id = r.id
	RETURNING * INTO r;
	IF was = 'confirmed' THEN
		UPDATE events SET confirmed_count = confirmed_count - 1
		WHERE id = r.event_id;
		PERFORM lk_promote_event(r.event_id);
	ELSE
		UPDATE events SET waitlist_count = waitlist_count - 1
		WHERE id = r.event_id;
	END IF;
	RETURN lk_registration_json(r, token);
END
$$;

-- The registrant's own view by manage token.
CREATE FUNCTION lk_registration_get(token text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT lk_registration_json(r, token) FROM registrations r
	WHERE r.token_hash = sha256(convert_to(token, 'UTF8'))
$$;

INSERT INTO schema_migrations (version, name) VALUES (3, '0003_registrations.sql');

-- migrations/0004_feeds.sql

-- 0004_feeds.sql - what the calendar feeds read (API.md section 6), and
-- the notifications that keep every daemon's rendered feeds current.
--
-- Each feed is one call that answers JSON, or NULL when there is no such
-- feed (the daemon answers 404):
--
--	{"name": X-WR-CALNAME, "last_modified": epoch, "valid_until": epoch
--	 or null, "registration": id or null, "events": [{"id", "slug",
--	 "title", "description", "language", "timezone", "starts_at",
--	 "ends_at", "updated_at", "venue_name", "venue_address",
--	 "venue_postcode", "venue_city", "online_url", "sequence", "status",
--	 "sessions": [{"id", "slug", "title", "description", "room",
--	 "starts_at", "ends_at", "updated_at", "sequence", "status"}]}]}
--
-- Times are whole seconds since the epoch; "status" is the iCalendar
-- STATUS to show (confirmed, tentative, cancelled).  Nothing about a
-- registrant is ever in it: the personal feed says which events and
-- sessions a registration holds and in what state, no more.
--
-- Public feeds hold every event that is not a draft and has not been
-- over for 12 months or more.  "last_modified" is the newest change that
-- could have changed the feed (an edit, or an event leaving the window);
-- "valid_until" is when the next event leaves the window.
--
-- Daemons keep rendered feeds in memory and LISTEN on leerkans_feeds;
-- the triggers below NOTIFY it when something a feed shows changes:
--	'catalogue:XID'		 an event or session (every feed may change)
--	'registration:ID:XID'	 the state of registration ID (its feed)
-- XID, the transaction's, lets a daemon that hears one notification on
-- several connections act on it once.  Seat counts change with every
-- registration and are in no feed, so changes to them alone notify
-- nobody.

-- Whole seconds since the epoch.
CREATE FUNCTION lk_epoch(ts timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT floor(extract(epoch FROM ts))::bigint
$$;

CREATE FUNCTION lk_feed_session_json(s sessions, status text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'id', s.id,
	    'slug', s.slug,
	    'title', s.title,
	    'description', s.description,
	    'room', s.room,
	    'starts_at', lk_epoch(s.starts_at),
	    'ends_at', lk_epoch(s.ends_at),
	    'updated_at', lk_epoch(s.updated_at),
	    'sequence', s.sequence,
	    'status', status)
$$;

-- An event as the feeds show it; sessions is a JSON array.
CREATE FUNCTION lk_feed_event_json(e events, status text, sessions json)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'id', e.id,
	    'slug', e.slug,
	    'title', e.title,
	    'description', e.description,
	    'language', e.language,
	    'timezone', e.timezone,
	    'starts_at', lk_epoch(e.starts_at),
	    'ends_at', lk_epoch(e.ends_at),
	    'updated_at', lk_epoch(e.updated_at),
	    'venue_name', e.venue_name,
	    'venue_address', e.venue_address,
	    'venue_postcode', e.venue_postcode,
	    'venue_city', e.venue_city,
	    'online_url', e.online_url,
	    'sequence', e.sequence,
	    'status', status,
	    'sessions', coalesce(sessions, '[]'::json))
$$;

-- Is the event in the public feeds?  Not a draft, and over for less
-- than 12 months.
CREATE FUNCTION lk_feed_public(e events) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT e.status <> 'draft' AND e.ends_at + interval '12 months' > now()
$$;

-- /feeds/events.ics (kind_in NULL) and /feeds/{kind}.ics.  Events only;
-- their sessions are in the event's own feed.
CREATE FUNCTION lk_feed_catalogue(kind_in text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
	k event_kinds;
	changed timestamptz;
BEGIN
	IF kind_in IS NOT NULL THEN
		SELECT * INTO k FROM event_kinds WHERE slug = kind_in;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
	END IF;
	-- over all kinds: an event that moved to another kind changed both
	SELECT greatest(max(e.updated_at), max(e.ends_at + interval '12 months')
	    FILTER (WHERE e.status <> 'draft' AND NOT lk_feed_public(e)))
	INTO changed FROM events e;
	changed := greatest(changed, (SELECT max(created_at) FROM event_kinds));
	RETURN json_build_object(
	    'name', CASE WHEN kind_in IS NULL THEN 'Leerkans'
		ELSE 'Leerkans: ' || k.title_nl END,
	    'last_modified', lk_epoch(changed),
	    'valid_until', (SELECT lk_epoch(min(e.ends_at +
		interval '12 months')) FROM events e
		WHERE lk_feed_public(e) AND (kind_in IS NULL OR e.kind = kind_in)),
	    'registration', NULL,
	    'events', coalesce((SELECT json_agg(lk_feed_event_json(e,
		CASE e.status WHEN 'cancelled' THEN 'cancelled'
		    ELSE 'confirmed' END, NULL)
		ORDER BY e.starts_at, e.id)
		FROM events e
		WHERE lk_feed_public(e) AND (kind_in IS NULL OR e.kind = kind_in)),
		'[]'::json));
END
$$;

-- /events/{slug}.ics: the event and its sessions, also after the window
-- (it is asked for by name); a draft is not there.
CREATE FUNCTION lk_feed_event(slug_in text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'name', 'Leerkans: ' || e.title,
	    'last_modified', lk_epoch(greatest(e.updated_at,
		(SELECT max(s.updated_at) FROM sessions s
		 WHERE s.event_id = e.id))),
	    'valid_until', NULL,
	    'registration', NULL,
	    'events', json_build_array(lk_feed_event_json(e, st,
		(SELECT json_agg(lk_feed_session_json(s, st)
		    ORDER BY s.starts_at, s.id)
		 FROM sessions s WHERE s.event_id = e.id))))
	FROM events e,
	    LATERAL (SELECT CASE e.status WHEN 'cancelled' THEN 'cancelled'
		ELSE 'confirmed' END AS st) x
	WHERE e.slug = slug_in AND e.status <> 'draft'
$$;

-- /feeds/personal/{token}.ics: the event of one registration and the
-- sessions it chose.  Confirmed is CONFIRMED, waiting is TENTATIVE, and a
-- cancelled registration, choice or event is CANCELLED.  An event turned
-- back into a draft shows nothing.
CREATE FUNCTION lk_feed_personal(token text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'name', 'Leerkans: ' || e.title,
	    'last_modified', lk_epoch(greatest(e.updated_at, r.updated_at,
		(SELECT max(greatest(rs.updated_at, s.updated_at))
		 FROM registration_sessions rs
		 JOIN sessions s ON s.id = rs.session_id
		 WHERE rs.registration_id = r.id))),
	    'valid_until', NULL,
	    'registration', r.id,
	    'events', CASE WHEN e.status = 'draft' THEN '[]'::json
		ELSE json_build_array(lk_feed_event_json(e, st,
		    (SELECT json_agg(lk_feed_session_json(s,
			CASE WHEN st = 'cancelled' OR rs.status = 'cancelled'
			    THEN 'cancelled'
			    WHEN rs.status = 'confirmed' AND st = 'confirmed'
			    THEN 'confirmed'
			    ELSE 'tentative' END)
			ORDER BY s.starts_at, s.id)
		     FROM registration_sessions rs
		     JOIN sessions s ON s.id = rs.session_id
		     WHERE rs.registration_id = r.id))) END)
	FROM registrations r
	JOIN events e ON e.id = r.event_id,
	    LATERAL (SELECT CASE
		WHEN e.status = 'cancelled' OR r.status = 'cancelled'
		THEN 'cancelled'
		WHEN r.status = 'waitlisted' THEN 'tentative'
		ELSE 'confirmed' END AS st) x
	WHERE r.token_hash = sha256(convert_to(token, 'UTF8'))
$$;

-- The notifications.  NOTIFY folds repeats within a transaction into one.
CREATE FUNCTION lk_feeds_notify_catalogue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('leerkans_feeds',
	    'catalogue:' || pg_current_xact_id());
	RETURN NULL;
END
$$;

CREATE FUNCTION lk_feeds_notify_registration() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	id bigint;
BEGIN
	IF TG_TABLE_NAME = 'registrations' THEN
		id := NEW.id;
	ELSIF TG_OP = 'DELETE' THEN
		id := OLD.registration_id;
	ELSE
		id := NEW.registration_id;
	END IF;
	PERFORM pg_notify('leerkans_feeds',
	    'registration:' || id || ':' || pg_current_xact_id());
	RETURN NULL;
END
$$;

CREATE TRIGGER events_feeds_insert_delete AFTER INSERT OR DELETE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION lk_feeds_notify_catalogue();

CREATE TRIGGER events_feeds_update AFTER UPDATE ON events
	FOR EACH ROW
	WHEN ((OLD.slug, OLD.kind, OLD.title, OLD.description, OLD.language,
	    OLD.starts_at, OLD.ends_at, OLD.timezone, OLD.venue_name,
	    OLD.venue_address, OLD.venue_postcode, OLD.venue_city,
	    OLD.online_url, OLD.status, OLD.sequence, OLD.updated_at)
	    IS DISTINCT FROM (NEW.slug, NEW.kind, NEW.title, NEW.description,
	    NEW.language, NEW.starts_at, NEW.ends_at, NEW.timezone,
	    NEW.venue_name, NEW.venue_address, NEW.venue_postcode,
	    NEW.venue_city, NEW.online_url, NEW.status, NEW.sequence,
	    NEW.updated_at))
	EXECUTE FUNCTION lk_feeds_notify_catalogue();

CREATE TRIGGER sessions_feeds_insert_delete AFTER INSERT OR DELETE ON sessions
	FOR EACH STATEMENT EXECUTE FUNCTION lk_feeds_notify_catalogue();

CREATE TRIGGER sessions_feeds_update AFTER UPDATE ON sessions
	FOR EACH ROW
	WHEN ((OLD.event_id, OLD.slug, OLD.title, OLD.description,
	    OLD.starts_at, OLD.ends_at, OLD.room, OLD.sequence, OLD.updated_at)
	    IS DISTINCT FROM (NEW.event_id, NEW.slug, NEW.title,
	    NEW.description, NEW.starts_at, NEW.ends_at, NEW.room, NEW.sequence,
	    NEW.updated_at))
	EXECUTE FUNCTION lk_feeds_notify_catalogue();

-- Seat counts change with every registration.  No feed shows them, but
-- the cached JSON of the catalogue does: "seats:EVENT:XID" reaches only
-- the entries that show seats (daemon/feedcache.c).
CREATE FUNCTION lk_notify_seats() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	id bigint;
BEGIN
	-- NEW's fields resolve by its table: read each in its own branch
	IF TG_TABLE_NAME = 'events' THEN
		id := NEW.id;
	ELSE
		id := NEW.event_id;
	END IF;
	PERFORM pg_notify('leerkans_feeds',
	    'seats:' || id || ':' || pg_current_xact_id());
	RETURN NULL;
END
$$;

CREATE TRIGGER events_seats_update AFTER UPDATE ON events
	FOR EACH ROW
	WHEN ((OLD.confirmed_count, OLD.waitlist_count, OLD.capacity)
	    IS DISTINCT FROM (NEW.confirmed_count, NEW.waitlist_count,
	    NEW.capacity))
	EXECUTE FUNCTION lk_notify_seats();

CREATE TRIGGER sessions_seats_update AFTER UPDATE ON sessions
	FOR EACH ROW
	WHEN ((OLD.confirmed_count, OLD.waitlist_count, OLD.capacity)
	    IS DISTINCT FROM (NEW.confirmed_count, NEW.waitlist_count,
	    NEW.capacity))
	EXECUTE FUNCTION lk_notify_seats();

-- A new registration has no rendered feed yet: only changes notify.
CREATE TRIGGER registrations_feeds_update AFTER UPDATE ON registrations
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION lk_feeds_notify_registration();

CREATE TRIGGER registration_sessions_feeds_update
	AFTER UPDATE ON registration_sessions
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION lk_feeds_notify_registration();

CREATE TRIGGER registration_sessions_feeds_delete
	AFTER DELETE ON registration_sessions
	FOR EACH ROW EXECUTE FUNCTION lk_feeds_notify_registration();

INSERT INTO schema_migrations (version, name) VALUES (4, '0004_feeds.sql');

-- migrations/0005_organiser.sql

-- 0005_organiser.sql - organiser tools: attendee exports, check-in, the
-- reach report ("De teller loopt") and erasure with its audit trail.
--
-- Erasure keeps what the reach report counts and nothing that names
-- anyone: registrations lose name, e-mail, organisation and enterprise
-- number, and keep role, organisation type, postcode, check-in and two
-- keyed pseudonyms (HMAC-SHA256 with the server's erasure_secret, which
-- lives in leerkansd's settings, never in the database): person_hash of
-- the normalised e-mail address and organisation_hash of the enterprise
-- number or else the normalised organisation name.  The report computes
-- the same pseudonyms for registrations not erased, so its counts of
-- distinct people and organisations are the same before and after an
-- erasure.  Without the secret nobody can tell from the database whose
-- pseudonym a row holds (an unkeyed hash of an e-mail address is found
-- again by hashing guesses).

CREATE EXTENSION IF NOT EXISTS pgcrypto;	-- hmac()

ALTER TABLE registrations
	ADD COLUMN person_hash bytea,		-- set on erasure
	ADD COLUMN organisation_hash bytea,	-- set on erasure
	ADD COLUMN erased_at timestamptz;

CREATE INDEX registrations_email_norm ON registrations (email_norm)
	WHERE email_norm IS NOT NULL;
-- exports and the reach report read an event's registrations whatever
-- their status (registrations_one_active leaves out the cancelled)
CREATE INDEX registrations_event ON registrations (event_id, id);

-- Who exported or erased what, and when: never the personal data itself.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor		text NOT NULL,	-- organiser token name, or leerkansctl (user)
	action		text NOT NULL CHECK (action IN ('export', 'erasure',
			    'purge')),
	event_slug	text,
	detail		jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_at ON audit_log (at);

-- West Flanders by arrondissement, for the reach report's regions.  The
-- Westhoek is taken as the arrondissements Diksmuide, Ieper and Veurne.
CREATE TABLE wvl_arrondissements (
	slug		text PRIMARY KEY,
	name		text NOT NULL,
	westhoek	boolean NOT NULL
);

INSERT INTO wvl_arrondissements (slug, name, westhoek) VALUES
	('brugge', 'Brugge', false),
	('diksmuide', 'Diksmuide', true),
	('ieper', 'Ieper', true),
	('kortrijk', 'Kortrijk', false),
	('oostende', 'Oostende', false),
	('roeselare', 'Roeselare', false),
	('tielt', 'Tielt', false),
	('veurne', 'Veurne', true);

-- Every West Flemish postcode (8000-8999) with its municipality and
-- arrondissement, from the bpost list as known to the author and the
-- arrondissements of the province (unchanged by the municipal mergers of
-- 2025: Meulebeke joined Tielt, Ruiselede joined Wingene, all within
-- arrondissement Tielt; the postcodes stay).  Municipalities are named as
-- before 2025.  Points that look odd but are right, as far as known:
--   8020 Oostkamp, 8210/8211 Zedelgem, 8490 Jabbeke, 8730 Beernem and
--     8820 Torhout are arrondissement Brugge, not Oostende, Tielt or
--     Roeselare as their numbers might suggest;
--   8480 Ichtegem is Oostende; 8610 Kortemark, 8647 Lo-Reninge,
--     8650 Houthulst and 8680 Koekelare are Diksmuide;
--   8640 Vleteren and 8957 Mesen (inside Heuvelland's 8950-8958) are
--     Ieper; 8930 Menen and 8790-8793 Waregem are Kortrijk, 8860
--     Lendelede too; 8770 Ingelmunster is Roeselare; 8850/8851 Ardooie
--     is Tielt.
-- Doubts: none on the arrondissements; the list of sub-postcodes (8301,
-- 8421, 8431-8434, 8551-8554, 8572-8573, 8581-8583, 8691, 8755, 8791-8793,
-- 8851, 8902-8908, 8951-8958, 8972, 8978) is from memory and should be
-- checked against bpost's current file when it is at hand.  A postcode
-- 8000-8999 not in this table (a box or company number) counts as
-- "unknown", never as outside the province.
CREATE TABLE wvl_postcodes (
	postcode	text PRIMARY KEY CHECK (postcode ~ '^8[0-9]{3}$'),
	municipality	text NOT NULL,
	places		text NOT NULL,	-- the places the postcode serves
	arrondissement	text NOT NULL REFERENCES wvl_arrondissements (slug)
);

INSERT INTO wvl_postcodes (postcode, municipality, places, arrondissement)
VALUES
	-- arrondissement Brugge
	('8000', 'Brugge', 'Brugge, Koolkerke', 'brugge'),
	('8020', 'Oostkamp', 'Oostkamp, Hertsberge, Ruddervoorde, Waardamme',
	 'brugge'),
	('8200', 'Brugge', 'Sint-Andries, Sint-Michiels', 'brugge'),
	('8210', 'Zedelgem', 'Zedelgem, Loppem, Veldegem', 'brugge'),
	('8211', 'Zedelgem', 'Aartrijke', 'brugge'),
	('8300', 'Knokke-Heist', 'Knokke, Westkapelle', 'brugge'),
	('8301', 'Knokke-Heist', 'Heist-aan-Zee, Ramskapelle', 'brugge'),
	('8310', 'Brugge', 'Assebroek, Sint-Kruis', 'brugge'),
	('8340', 'Damme', 'Damme, Hoeke, Lapscheure, Moerkerke, Oostkerke, '
	 'Sijsele', 'brugge'),
	('8370', 'Blankenberge', 'Blankenberge, Uitkerke', 'brugge'),
	('8377', 'Zuienkerke', 'Zuienkerke, Houtave, Meetkerke, Nieuwmunster',
	 'brugge'),
	('8380', 'Brugge', 'Dudzele, Lissewege, Zeebrugge', 'brugge'),
	('8490', 'Jabbeke', 'Jabbeke, Snellegem, Stalhille, Varsenare, '
	 'Zerkegem', 'brugge'),
	('8730', 'Beernem', 'Beernem, Oedelem, Sint-Joris', 'brugge'),
	('8820', 'Torhout', 'Torhout', 'brugge'),
	-- arrondissement Oostende
	('8400', 'Oostende', 'Oostende, Stene, Zandvoorde', 'oostende'),
	('8420', 'De Haan', 'De Haan, Klemskerke, Wenduine', 'oostende'),
	('8421', 'De Haan', 'Vlissegem', 'oostende'),
	('8430', 'Middelkerke', 'Middelkerke', 'oostende'),
	('8431', 'Middelkerke', 'Wilskerke', 'oostende'),
	('8432', 'Middelkerke', 'Leffinge', 'oostende'),
	('8433', 'Middelkerke', 'Mannekensvere, Schore, Sint-Pieters-Kapelle, '
	 'Slijpe, Spermalie', 'oostende'),
	('8434', 'Middelkerke', 'Lombardsijde, Westende', 'oostende'),
	('8450', 'Bredene', 'Bredene', 'oostende'),
	('8460', 'Oudenburg', 'Oudenburg, Ettelgem, Roksem, Westkerke',
	 'oostende'),
	('8470', 'Gistel', 'Gistel, Moere, Snaaskerke, Zevekote', 'oostende'),
	('8480', 'Ichtegem', 'Ichtegem, Bekegem, Eernegem', 'oostende'),
	-- arrondissement Kortrijk
	('8500', 'Kortrijk', 'Kortrijk', 'kortrijk'),
	('8501', 'Kortrijk', 'Bissegem, Heule', 'kortrijk'),
	('8510', 'Kortrijk', 'Bellegem, Kooigem, Marke, Rollegem', 'kortrijk'),
	('8511', 'Kortrijk', 'Aalbeke', 'kortrijk'),
	('8520', 'Kuurne', 'Kuurne', 'kortrijk'),
	('8530', 'Harelbeke', 'Harelbeke', 'kortrijk'),
	('8531', 'Harelbeke', 'Bavikhove, Hulste', 'kortrijk'),
	('8540', 'Deerlijk', 'Deerlijk', 'kortrijk'),
	('8550', 'Zwevegem', 'Zwevegem', 'kortrijk'),
	('8551', 'Zwevegem', 'Heestert', 'kortrijk'),
	('8552', 'Zwevegem', 'Moen', 'kortrijk'),
	('8553', 'Zwevegem', 'Otegem', 'kortrijk'),
	('8554', 'Zwevegem', 'Sint-Denijs', 'kortrijk'),
	('8560', 'Wevelgem', 'Wevelgem, Gullegem, Moorsele', 'kortrijk'),
	('8570', 'Anzegem', 'Anzegem, Gijzelbrechtegem, Ingooigem, Vichte',
	 'kortrijk'),
	('8572', 'Anzegem', 'Kaster', 'kortrijk'),
	('8573', 'Anzegem', 'Tiegem', 'kortrijk'),
	('8580', 'Avelgem', 'Avelgem', 'kortrijk'),
	('8581', 'Avelgem', 'Kerkhove, Waarmaarde', 'kortrijk'),
	('8582', 'Avelgem', 'Outrijve', 'kortrijk'),
	('8583', 'Avelgem', 'Bossuit', 'kortrijk'),
	('8587', 'Spiere-Helkijn', 'Spiere, Helkijn', 'kortrijk'),
	('8790', 'Waregem', 'Waregem', 'kortrijk'),
	('8791', 'Waregem', 'Beveren (Leie)', 'kortrijk'),
	('8792', 'Waregem', 'Desselgem', 'kortrijk'),
	('8793', 'Waregem', 'Sint-Eloois-Vijve', 'kortrijk'),
	('8860', 'Lendelede', 'Lendelede', 'kortrijk'),
	('8930', 'Menen', 'Menen, Lauwe, Rekkem', 'kortrijk'),
	-- arrondissement Diksmuide
	('8600', 'Diksmuide', 'Diksmuide, Beerst, Driekapellen, Esen, '
	 'Kaaskerke, Keiem, Lampernisse, Leke, Nieuwkapelle, Oostkerke, '
	 'Oudekapelle, Pervijze, Sint-Jacobskapelle, Stuivekenskerke, Vladslo, '
	 'Woumen', 'diksmuide'),
	('8610', 'Kortemark', 'Kortemark, Handzame, Werken, Zarren',
	 'diksmuide'),
	('8647', 'Lo-Reninge', 'Lo, Noordschote, Pollinkhove, Reninge',
	 'diksmuide'),
	('8650', 'Houthulst', 'Houthulst, Klerken, Merkem', 'diksmuide'),
	('8680', 'Koekelare', 'Koekelare, Bovekerke, Zande', 'diksmuide'),
	-- arrondissement Veurne
	('8620', 'Nieuwpoort', 'Nieuwpoort, Ramskapelle, Sint-Joris', 'veurne'),
	('8630', 'Veurne', 'Veurne, Avekapelle, Booitshoeke, Bulskamp, '
	 'De Moeren, Eggewaartskapelle, Houtem, Steenkerke, Vinkem, '
	 'Wulveringem, Zoutenaaie', 'veurne'),
	('8660', 'De Panne', 'De Panne, Adinkerke', 'veurne'),
	('8670', 'Koksijde', 'Koksijde, Oostduinkerke, Wulpen', 'veurne'),
	('8690', 'Alveringem', 'Alveringem, Hoogstade, Oeren, Sint-Rijkers',
	 'veurne'),
	('8691', 'Alveringem', 'Beveren-aan-den-IJzer, Gijverinkhove, '
	 'Izenberge, Leisele, Stavele', 'veurne'),
	-- arrondissement Ieper
	('8640', 'Vleteren', 'Oostvleteren, Westvleteren, Woesten', 'ieper'),
	('8900', 'Ieper', 'Ieper, Brielen, Dikkebus, Sint-Jan', 'ieper'),
	('8902', 'Ieper', 'Hollebeke, Voormezele, Zillebeke', 'ieper'),
	('8904', 'Ieper', 'Boezinge, Zuidschote', 'ieper'),
	('8906', 'Ieper', 'Elverdinge', 'ieper'),
	('8908', 'Ieper', 'Vlamertinge', 'ieper'),
	('8920', 'Langemark-Poelkapelle', 'Langemark, Poelkapelle, Bikschote',
	 'ieper'),
	('8940', 'Wervik', 'Wervik, Geluwe', 'ieper'),
	('8950', 'Heuvelland', 'Nieuwkerke', 'ieper'),
	('8951', 'Heuvelland', 'Dranouter', 'ieper'),
	('8952', 'Heuvelland', 'Wulvergem', 'ieper'),
	('8953', 'Heuvelland', 'Wijtschate', 'ieper'),
	('8954', 'Heuvelland', 'Westouter', 'ieper'),
	('8956', 'Heuvelland', 'Kemmel', 'ieper'),
	('8957', 'Mesen', 'Mesen', 'ieper'),
	('8958', 'Heuvelland', 'Loker', 'ieper'),
	('8970', 'Poperinge', 'Poperinge, Reningelst', 'ieper'),
	('8972', 'Poperinge', 'Krombeke, Proven, Roesbrugge-Haringe', 'ieper'),
	('8978', 'Poperinge', 'Watou', 'ieper'),
	('8980', 'Zonnebeke', 'Zonnebeke, Beselare, Geluveld, Passendale, '
	 'Zandvoorde', 'ieper'),
	-- arrondissement Roeselare
	('8770', 'Ingelmunster', 'Ingelmunster', 'roeselare'),
	('8800', 'Roeselare', 'Roeselare, Beveren, Oekene, Rumbeke',
	 'roeselare'),
	('8810', 'Lichtervelde', 'Lichtervelde', 'roeselare'),
	('8830', 'Hooglede', 'Hooglede, Gits', 'roeselare'),
	('8840', 'Staden', 'Staden, Oostnieuwkerke, Westrozebeke', 'roeselare'),
	('8870', 'Izegem', 'Izegem, Emelgem, Kachtem', 'roeselare'),
	('8880', 'Ledegem', 'Ledegem, Rollegem-Kapelle, Sint-Eloois-Winkel',
	 'roeselare'),
	('8890', 'Moorslede', 'Moorslede, Dadizele', 'roeselare'),
	-- arrondissement Tielt
	('8700', 'Tielt', 'Tielt, Aarsele, Kanegem, Schuiferskapelle', 'tielt'),
	('8710', 'Wielsbeke', 'Wielsbeke, Ooigem, Sint-Baafs-Vijve', 'tielt'),
	('8720', 'Dentergem', 'Dentergem, Markegem, Oeselgem, Wakken', 'tielt'),
	('8740', 'Pittem', 'Pittem, Egem', 'tielt'),
	('8750', 'Wingene', 'Wingene, Zwevezele', 'tielt'),
	('8755', 'Ruiselede', 'Ruiselede', 'tielt'),
	('8760', 'Meulebeke', 'Meulebeke', 'tielt'),
	('8780', 'Oostrozebeke', 'Oostrozebeke', 'tielt'),
	('8850', 'Ardooie', 'Ardooie', 'tielt'),
	('8851', 'Ardooie', 'Koolskamp', 'tielt');

-- The region of a registration's postcode: an arrondissement slug,
-- 'outside-west-flanders' or 'unknown' (no postcode, or an 8xxx that is
-- no West Flemish place).
CREATE FUNCTION lk_region(postcode_in text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE
	    WHEN postcode_in IS NULL THEN 'unknown'
	    WHEN postcode_in !~ '^8[0-9]{3}$' THEN 'outside-west-flanders'
	    ELSE coalesce((SELECT p.arrondissement FROM wvl_postcodes p
		WHERE p.postcode = postcode_in), 'unknown') END
$$;

-- An organisation's name for counting: lower case, punctuation and
-- spacing evened out, a trailing legal form (bv, nv, vzw, ...) dropped.
CREATE FUNCTION lk_organisation_norm(name_in text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT nullif(btrim(regexp_replace(
	    btrim(regexp_replace(lower(name_in), '[^[:alnum:]]+', ' ', 'g')),
	    '( (bv|bvba|nv|vzw|ivzw|cv|cvba|cvso|comm ?v|commva|vof|srl|sprl|'
	    'sa|asbl|scrl|sc|snc))+$', '')), '')
$$;

-- What makes an organisation one: its enterprise number where given,
-- else its normalised name; NULL when neither is there.
CREATE FUNCTION lk_organisation_key(enterprise_in text, name_in text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN enterprise_in IS NOT NULL THEN 'kbo:' || enterprise_in
	    ELSE 'name:' || lk_organisation_norm(name_in) END
$$;

-- The keyed pseudonyms.  NULL when there is nothing to key or no secret.
CREATE FUNCTION lk_person_hash(email_norm_in text, secret text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN email_norm_in IS NULL OR coalesce(secret, '') = ''
	    THEN NULL ELSE hmac('person:' || email_norm_in, secret, 'sha256') END
$$;

CREATE FUNCTION lk_organisation_hash(enterprise_in text, name_in text,
    secret text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN lk_organisation_key(enterprise_in, name_in) IS NULL OR
	    coalesce(secret, '') = '' THEN NULL
	    ELSE hmac('organisation:' || lk_organisation_key(enterprise_in,
		name_in), secret, 'sha256') END
$$;

-- The attendee list of an event, one row per registration, in the
-- columns of API.md section 7.  session_in: only the registrations
-- holding that session, with the status of that choice.  status_in:
-- 'active' (confirmed and waitlisted), 'confirmed', 'waitlisted',
-- 'cancelled', 'checked-in' or 'all'.  Erased registrations are not
-- listed.  A plain SQL function, so that the planner inlines it and a
-- cursor over it streams.
CREATE FUNCTION lk_attendees(event_in text, session_in text, status_in text)
RETURNS TABLE (id bigint, status text, name text, email text,
    organisation text, enterprise_number text, role text,
    organisation_type text, postcode text, sessions text,
    sessions_json text, registered_at text, checked_in_at text)
LANGUAGE sql STABLE AS $$
	SELECT x.id, x.st, x.name, x.email, x.organisation,
	    x.enterprise_number, x.role, x.organisation_type, x.postcode,
	    (SELECT string_agg(s.slug || CASE rs.status WHEN 'confirmed' THEN ''
		ELSE ' (waitlisted)' END, ', ' ORDER BY s.starts_at, s.slug)
	     FROM registration_sessions rs JOIN sessions s ON s.id = rs.session_id
	     WHERE rs.registration_id = x.id AND rs.status <> 'cancelled'),
	    (SELECT json_agg(json_build_object('slug', s.slug,
		'status', CASE rs.status WHEN 'pending' THEN 'waitlisted'
		    ELSE rs.status END) ORDER BY s.starts_at, s.slug)::text
	     FROM registration_sessions rs JOIN sessions s ON s.id = rs.session_id
	     WHERE rs.registration_id = x.id AND rs.status <> 'cancelled'),
	    lk_ts(x.created_at, x.timezone), lk_ts(x.checked_in_at, x.timezone)
	FROM (
	    SELECT r.*, e.timezone,
		CASE WHEN session_in IS NULL THEN r.status
		    WHEN rs.status = 'pending' THEN 'waitlisted'
		    ELSE rs.status END AS st
	    FROM events e
	    JOIN registrations r ON r.event_id = e.id
	    LEFT JOIN sessions s ON s.event_id = e.id AND s.slug = session_in
	    LEFT JOIN registration_sessions rs
		ON rs.registration_id = r.id AND rs.session_id = s.id
	    WHERE e.slug = event_in AND r.erased_at IS NULL
	      AND (session_in IS NULL OR rs.session_id IS NOT NULL)) x
	WHERE CASE status_in
	    WHEN 'all' THEN true
	    WHEN 'active' THEN x.st IN ('confirmed', 'waitlisted')
	    WHEN 'checked-in' THEN x.checked_in_at IS NOT NULL
	    ELSE x.st = status_in END
	ORDER BY lower(x.name), x.id
$$;

-- Checks an export's event and filters, and records the export (unless
-- audit is false: a HEAD request).  The rows come from lk_attendees.
CREATE FUNCTION lk_export_begin(event_in text, session_in text,
    status_in text, format_in text, actor text, audit boolean) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
BEGIN
	SELECT * INTO e FROM events WHERE slug = event_in;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	IF status_in IS NULL OR status_in NOT IN ('active', 'confirmed',
	    'waitlisted', 'cancelled', 'checked-in', 'all') THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The query has invalid parameters.',
		    lk_field_error('status', 'must be one of active, confirmed, '
			'waitlisted, cancelled, checked-in, all'));
	END IF;
	IF session_in IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions s
	    WHERE s.event_id = e.id AND s.slug = session_in) THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The query has invalid parameters.',
		    lk_field_error('session', 'unknown session of this event'));
	END IF;
	IF audit THEN
		INSERT INTO audit_log (actor, action, event_slug, detail)
		VALUES (actor, 'export', e.slug, jsonb_build_object(
		    'format', format_in, 'session', session_in,
		    'status', status_in));
	END IF;
	RETURN json_build_object('slug', e.slug, 'title', e.title,
	    'timezone', e.timezone, 'session', session_in);
END
$$;

-- Records (present) or undoes attendance.  Checking in twice keeps the
-- first time.
CREATE FUNCTION lk_check_in(id_in bigint, present boolean) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	r registrations;
	e events;
BEGIN
	SELECT * INTO r FROM registrations WHERE id = id_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such registration.');
	END IF;
	IF present AND r.status = 'cancelled' THEN
		PERFORM lk_fail(409, 'registration-cancelled',
		    'This registration was cancelled; it cannot be checked in.');
	END IF;
	IF present AND r.erased_at IS NOT NULL THEN
		PERFORM lk_fail(409, 'registration-erased',
		    'This registration was erased; it cannot be checked in.');
	END IF;
	IF (r.checked_in_at IS NULL) = present THEN
		UPDATE registrations SET checked_in_at = CASE WHEN present
		    THEN now() END, updated_at = now()
		WHERE id = r.id
		RETURNING * INTO r;
	END IF;
	SELECT * INTO e FROM events WHERE id = r.event_id;
	RETURN json_build_object('id', r.id, 'event', e.slug,
	    'status', r.status, 'checked_in_at', lk_ts(r.checked_in_at,
		e.timezone));
END
$$;

-- Erases the registrations ids: the identifying fields go, the
-- pseudonyms come, and the idempotency keys whose stored answers repeat
-- them are deleted.  Returns how many it erased.
CREATE FUNCTION lk_erase_ids(ids bigint[], secret text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	IF coalesce(secret, '') = '' THEN
		RAISE EXCEPTION 'erasure needs the erasure secret';
	END IF;
	UPDATE registrations SET
	    person_hash = lk_person_hash(email_norm, secret),
	    organisation_hash = lk_organisation_hash(enterprise_number,
		organisation, secret),
	    name = NULL, email = NULL, email_norm = NULL, organisation = NULL,
	    enterprise_number = NULL, erased_at = now(), updated_at = now()
	WHERE id = ANY (ids) AND erased_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	DELETE FROM idempotency_keys k
	WHERE k.response ~ '^\{"id" *: *[0-9]+,'
	  AND (k.response::json->>'id')::bigint = ANY (ids);
	RETURN n;
END
$$;

-- Erases everything registered with one e-mail address (any case).
CREATE FUNCTION lk_erase(email_in text, secret text, actor text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	n := lk_erase_ids(ARRAY(SELECT r.id FROM registrations r
	    WHERE r.email_norm = lower(btrim(email_in))
	    ORDER BY r.id FOR UPDATE), secret);
	INSERT INTO audit_log (actor, action, detail)
	VALUES (actor, 'erasure', jsonb_build_object('registrations', n));
	RETURN json_build_object('erased', n);
END
$$;

-- Retention: erases the registrations of events that ended more than
-- months ago.  dry: only counts.
CREATE FUNCTION lk_purge(months integer, secret text, actor text,
    dry boolean) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[];
	n integer;
	events_n integer;
BEGIN
	ids := ARRAY(SELECT r.id FROM registrations r
	    JOIN events e ON e.id = r.event_id
	    WHERE e.ends_at < now() - make_interval(months => months)
	      AND r.erased_at IS NULL
	    ORDER BY r.id FOR UPDATE OF r);
	SELECT count(DISTINCT r.event_id) INTO events_n FROM registrations r
	WHERE r.id = ANY (ids);
	IF dry THEN
		RETURN json_build_object('erased', 0, 'would_erase',
		    cardinality(ids), 'events', events_n);
	END IF;
	n := lk_erase_ids(ids, secret);
	-- stored first answers of Idempotency-Keys hold a manage token and
	-- personal data; past their 48 hours they go too
	DELETE FROM idempotency_keys
	WHERE created_at < now() - interval '48 hours';
	INSERT INTO audit_log (actor, action, detail)
	VALUES (actor, 'purge', jsonb_build_object('registrations', n,
	    'events', events_n, 'retention_months', months));
	RETURN json_build_object('erased', n, 'events', events_n);
END
$$;

-- The registrations the reach report counts: not cancelled, of published
-- events starting in [t0, t1), of one kind or (kind_in NULL) all.
CREATE FUNCTION lk_reach_rows(t0 timestamptz, t1 timestamptz, kind_in text,
    secret text)
RETURNS TABLE (person text, organisation text, role text,
    organisation_type text, region text, attended boolean)
LANGUAGE sql STABLE AS $$
	SELECT encode(coalesce(r.person_hash,
		lk_person_hash(r.email_norm, secret),
		convert_to('plain:' || r.email_norm, 'UTF8')), 'hex'),
	    encode(coalesce(r.organisation_hash,
		lk_organisation_hash(r.enterprise_number, r.organisation,
		    secret),
		convert_to('plain:' || lk_organisation_key(r.enterprise_number,
		    r.organisation), 'UTF8')), 'hex'),
	    r.role, r.organisation_type, lk_region(r.postcode),
	    r.checked_in_at IS NOT NULL
	FROM events e JOIN registrations r ON r.event_id = e.id
	WHERE e.status = 'published' AND e.starts_at >= t0 AND e.starts_at < t1
	  AND (kind_in IS NULL OR e.kind = kind_in)
	  AND r.status <> 'cancelled'
$$;

-- One column of the report: the counts for one kind, or all.
CREATE FUNCTION lk_reach_part(t0 timestamptz, t1 timestamptz, kind_in text,
    secret text) RETURNS json
LANGUAGE sql STABLE AS $$
	WITH r AS MATERIALIZED (SELECT * FROM lk_reach_rows(t0, t1, kind_in,
	    secret)),
	ev AS (SELECT e.ends_at FROM events e
	    WHERE e.status = 'published' AND e.starts_at >= t0
	      AND e.starts_at < t1 AND (kind_in IS NULL OR e.kind = kind_in))
	SELECT json_build_object(
	    'events', (SELECT count(*) FROM ev),
	    'events_held', (SELECT count(*) FROM ev WHERE ev.ends_at <= now()),
	    'registrations', (SELECT count(*) FROM r),
	    'attended', (SELECT count(*) FROM r WHERE r.attended),
	    'people', (SELECT count(DISTINCT r.person) FROM r),
	    'organisations', (SELECT count(DISTINCT r.organisation) FROM r),
	    'by_role', (SELECT json_object_agg(v.x, (SELECT count(*) FROM r
		WHERE r.role = v.x) ORDER BY v.n)
		FROM unnest(ARRAY['employer', 'employee', 'job-seeker',
		    'intermediary', 'training-provider', 'student', 'citizen',
		    'other']) WITH ORDINALITY AS v (x, n)),
	    'by_organisation_type', (SELECT json_object_agg(v.x,
		(SELECT count(*) FROM r WHERE r.organisation_type = v.x)
		ORDER BY v.n)
		FROM unnest(ARRAY['sme', 'large-company', 'intermediary',
		    'education', 'government', 'non-profit', 'none'])
		WITH ORDINALITY AS v (x, n)),
	    'by_region', (SELECT json_object_agg(v.x, (SELECT count(*) FROM r
		WHERE r.region = v.x) ORDER BY v.n)
		FROM unnest(ARRAY['brugge', 'diksmuide', 'ieper', 'kortrijk',
		    'oostende', 'roeselare', 'tielt', 'veurne',
		    'outside-west-flanders', 'unknown'])
		WITH ORDINALITY AS v (x, n)),
	    'westhoek', (SELECT count(*) FROM r JOIN wvl_arrondissements a
		ON a.slug = r.region WHERE a.westhoek))
$$;

-- "De teller loopt": the reach of one calendar year (events starting in
-- it, Europe/Brussels), per event kind and in total.
CREATE FUNCTION lk_reach(year_in integer, secret text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
	t0 timestamptz := make_timestamptz(year_in, 1, 1, 0, 0, 0,
	    'Europe/Brussels');
	t1 timestamptz := make_timestamptz(year_in + 1, 1, 1, 0, 0, 0,
	    'Europe/Brussels');
BEGIN
	RETURN json_build_object(
	    'year', year_in,
	    'from', lk_ts(t0, 'Europe/Brussels'),
	    'to', lk_ts(t1, 'Europe/Brussels'),
	    'kinds', (SELECT json_agg(json_build_object('kind', k.slug,
		'title', k.title_nl, 'action', k.action_no,
		'counts', lk_reach_part(t0, t1, k.slug, secret))
		ORDER BY k.action_no NULLS LAST, k.slug)
		FROM event_kinds k),
	    'total', lk_reach_part(t0, t1, NULL, secret),
	    'regions', (SELECT json_object_agg(a.slug, json_build_object(
		'name', a.name, 'westhoek', a.westhoek) ORDER BY a.slug)
		FROM wvl_arrondissements a));
END
$$;

INSERT INTO schema_migrations (version, name) VALUES (5, '0005_organiser.sql');

-- migrations/0006_idempotency_sealed.sql

-- 0006_idempotency_sealed.sql - the first answers kept for
-- Idempotency-Key replays, sealed.
--
-- Such an answer repeats the registrant's name and e-mail address and
-- holds the manage token, which the registrations table itself keeps
-- only as a hash.  It was kept in clear for 48 hours.  Now it is
-- encrypted (AES-256-CBC, pgcrypto) under a key derived from the
-- Idempotency-Key, which only the client knows, and the key is kept only
-- as a hash: a copy of the database (a dump, a backup) no longer holds
-- the tokens of the last two days.  The registration's id stays beside
-- it in clear, so that erasure finds what to delete.
--
-- The answers stored the old way are dropped: replays of registrations
-- made in the 48 hours before the upgrade are then new registrations,
-- refused as duplicates (409) by their e-mail address.

DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys
	DROP COLUMN response,
	ADD COLUMN registration_id bigint NOT NULL
	    REFERENCES registrations (id) ON DELETE CASCADE,
	ADD COLUMN sealed bytea NOT NULL;
CREATE INDEX idempotency_keys_registration
	ON idempotency_keys (registration_id);

-- What idempotency_keys.key holds for an Idempotency-Key.
CREATE FUNCTION lk_idem_id(k text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT encode(sha256(convert_to('leerkans idempotency id ' || k,
	    'UTF8')), 'hex')
$$;

-- The key an answer is sealed with: another hash of the Idempotency-Key.
CREATE FUNCTION lk_idem_key(k text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT sha256(convert_to('leerkans idempotency seal ' || k, 'UTF8'))
$$;

-- A random IV, then the answer encrypted.
CREATE FUNCTION lk_idem_seal(plain text, k text) RETURNS bytea
LANGUAGE plpgsql VOLATILE STRICT AS $$
DECLARE
	iv bytea := gen_random_bytes(16);
BEGIN
	RETURN iv || encrypt_iv(convert_to(plain, 'UTF8'), lk_idem_key(k), iv,
	    'aes-cbc/pad:pkcs');
END
$$;

CREATE FUNCTION lk_idem_unseal(sealed bytea, k text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT convert_from(decrypt_iv(substring(sealed FROM 17),
	    lk_idem_key(k), substring(sealed FOR 16), 'aes-cbc/pad:pkcs'),
	    'UTF8')
$$;

-- Registers (0003), storing the first answer sealed.
CREATE OR REPLACE FUNCTION lk_register(event_in text, p jsonb, errs jsonb, token text,
    idem_key text, source_in text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	r registrations;
	s sessions;
	prior idempotency_keys;
	h bytea;
	chosen text[];
	unknown text;
	overlap record;
	st text;
	ss text;
	resp json;
BEGIN
	IF idem_key IS NOT NULL THEN
		h := sha256(convert_to(event_in || ' ' || p::text, 'UTF8'));
		PERFORM pg_advisory_xact_lock(hashtextextended(idem_key, 17));
		SELECT * INTO prior FROM idempotency_keys
		WHERE key = lk_idem_id(idem_key);
		IF FOUND AND prior.created_at > now() - interval '48 hours' THEN
			IF prior.request_hash = h THEN
				RETURN lk_idem_unseal(prior.sealed, idem_key)::json;
			END IF;
			PERFORM lk_fail(422, 'idempotency-key-reused',
			    'This Idempotency-Key came with another request.',
			    lk_field_error('Idempotency-Key',
				'already used with a different body'));
		END IF;
	END IF;

	SELECT * INTO e FROM events WHERE slug = event_in FOR UPDATE;
	IF NOT FOUND OR e.status = 'draft' THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;

	IF jsonb_typeof(p->'sessions') = 'array' THEN
		SELECT array_agg(x) INTO chosen
		FROM jsonb_array_elements_text(p->'sessions') AS x;
		FOR unknown IN SELECT x FROM unnest(chosen) AS x
		    WHERE NOT EXISTS (SELECT 1 FROM sessions ss
			WHERE ss.event_id = e.id AND ss.slug = x) LOOP
			errs := errs || lk_field_error('sessions',
			    format('unknown session: %s', unknown));
		END LOOP;
		FOR overlap IN SELECT a.slug AS a, b.slug AS b
		    FROM sessions a JOIN sessions b ON a.id < b.id
		    WHERE a.event_id = e.id AND b.event_id = e.id
		      AND a.slug = ANY (chosen) AND b.slug = ANY (chosen)
		      AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		    ORDER BY a.starts_at, a.slug, b.slug LOOP
			errs := errs || lk_field_error('sessions',
			    format('%s and %s overlap in time; choose one',
				overlap.a, overlap.b));
		END LOOP;
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;

	IF e.status = 'cancelled' THEN
		PERFORM lk_fail(409, 'event-cancelled',
		    'This event was cancelled.');
	END IF;
	IF e.ends_at <= now() OR e.registration_closes_at <= now() THEN
		PERFORM lk_fail(409, 'registration-closed',
		    'Registration for this event has closed.');
	END IF;
	IF e.registration_opens_at > now() THEN
		PERFORM lk_fail(409, 'registration-not-open',
		    format('Registration opens at %s.',
			lk_ts(e.registration_opens_at, e.timezone)));
	END IF;
	IF EXISTS (SELECT 1 FROM registrations
	    WHERE event_id = e.id AND email_norm = lower(p->>'email')
	      AND status <> 'cancelled') THEN
		PERFORM lk_fail(409, 'duplicate-registration',
		    'This e-mail address is registered for this event already.',
		    lk_field_error('email', 'already registered'));
	END IF;

	IF e.capacity IS NULL OR e.confirmed_count < e.capacity THEN
		st := 'confirmed';
		UPDATE events SET confirmed_count = confirmed_count + 1
		WHERE id = e.id;
	ELSIF e.waitlist THEN
		st := 'waitlisted';
		UPDATE events SET waitlist_count = waitlist_count + 1
		WHERE id = e.id;
	ELSE
		PERFORM lk_fail(409, 'event-full',
		    'This event is full and has no waiting list.');
	END IF;

	INSERT INTO registrations (event_id, token_hash, status, name, email,
	    email_norm, organisation, enterprise_number, role,
	    organisation_type, postcode, language, source, consented_at,
	    confirmed_at)
	VALUES (e.id, sha256(convert_to(token, 'UTF8')), st, p->>'name',
	    p->>'email', lower(p->>'email'), p->>'organisation',
	    p->>'enterprise_number', p->>'role', p->>'organisation_type',
	    p->>'postcode', coalesce(p->>'language', e.language), source_in,
	    now(), CASE WHEN st = 'confirmed' THEN now() END)
	RETURNING * INTO r;

	FOR s IN SELECT * FROM sessions
	    WHERE event_id = e.id AND slug = ANY (coalesce(chosen, '{}'))
	    ORDER BY id FOR UPDATE LOOP
		IF st = 'waitlisted' THEN
			ss := 'pending';
		ELSIF s.capacity IS NULL OR s.confirmed_count < s.capacity THEN
			ss := 'confirmed';
			UPDATE sessions SET confirmed_count = confirmed_count + 1
			WHERE id = s.id;
		ELSE
			ss := 'waitlisted';
			UPDATE sessions SET waitlist_count = waitlist_count + 1
			WHERE id = s.id;
		END IF;
		INSERT INTO registration_sessions (registration_id, session_id,
		    status)
		VALUES (r.id, s.id, ss);
	END LOOP;

	resp := lk_registration_json(r, token);
	IF idem_key IS NOT NULL THEN
		DELETE FROM idempotency_keys
		WHERE created_at < now() - interval '48 hours';
		INSERT INTO idempotency_keys (key, request_hash,
		    registration_id, sealed)
		VALUES (lk_idem_id(idem_key), h, r.id,
		    lk_idem_seal(resp::text, idem_key))
		ON CONFLICT (key) DO UPDATE
		SET request_hash = excluded.request_hash,
		    registration_id = excluded.registration_id,
		    sealed = excluded.sealed, created_at = now();
	END IF;
	RETURN resp;
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'duplicate-registration',
	    'This e-mail address is registered for this event already.',
	    lk_field_error('email', 'already registered'));
	RETURN NULL;
END
$$;

-- Erases the registrations ids (0005); their Idempotency-Key answers go
-- by registration id.
CREATE OR REPLACE FUNCTION lk_erase_ids(ids bigint[], secret text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	IF coalesce(secret, '') = '' THEN
		RAISE EXCEPTION 'erasure needs the erasure secret';
	END IF;
	UPDATE registrations SET
	    person_hash = lk_person_hash(email_norm, secret),
	    organisation_hash = lk_organisation_hash(enterprise_number,
		organisation, secret),
	    name = NULL, email = NULL, email_norm = NULL, organisation = NULL,
	    enterprise_number = NULL, erased_at = now(), updated_at = now()
	WHERE id = ANY (ids) AND erased_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	DELETE FROM idempotency_keys WHERE registration_id = ANY (ids);
	RETURN n;
END
$$;

INSERT INTO schema_migrations (version, name) VALUES (6, '0006_idempotency_sealed.sql');
