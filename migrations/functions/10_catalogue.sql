-- 10_catalogue.sql - events and sessions as JSON, and the functions
-- behind the event catalogue API.
--
-- Each write is one statement from the daemon: it validates the shape of
-- the request itself and passes the body (jsonb) with the errors it found;
-- these functions add what only the database can know (unknown kind, slug
-- taken, capacity below the confirmed count), then write or refuse.
--
-- Whatever changes an event or one of its sessions sets the event's
-- updated_at with lk_touched(), in the same statement or transaction:
-- lk_register checks an event without a lock and takes its seat only if
-- updated_at is still what it checked (20_registrations.sql).  Seat counts
-- are no such change.

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
	    'price_text', e.price_text,
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

-- An event's updated_at when it or one of its sessions changes: now(),
-- or a microsecond past the old value should now() not be later (two
-- changes in transactions that began in the same microsecond).  So every
-- change moves it, and lk_register, which checks an event without a lock,
-- takes a seat only from the event as it checked it (20_registrations.sql).
CREATE FUNCTION lk_touched(old timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT greatest(now(), old + interval '1 microsecond')
$$;

CREATE FUNCTION lk_check_kind(p jsonb, errs jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF jsonb_typeof(p->'kind') = 'string' AND NOT EXISTS (
	    SELECT 1 FROM event_kinds k WHERE k.slug = p->>'kind') THEN
		errs := errs || lk_field_error('kind', 'unknown event kind',
		    'unknown');
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
	    registration_opens_at, registration_closes_at, status, price_text)
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
	    coalesce(p->>'status', 'draft'), p->>'price_text')
	RETURNING * INTO e;
	RETURN lk_event_json(e);
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'slug-taken',
	    'An event with this slug exists already.',
	    lk_field_error('slug', 'already taken', 'duplicate'));
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
	IF p ? 'price_text' THEN n.price_text := p->>'price_text'; END IF;
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
			ELSE 'starts_at' END, 'ends_at must be after starts_at',
			'order'));
	END IF;
	IF (n.starts_at, n.ends_at) IS DISTINCT FROM (o.starts_at, o.ends_at)
	    AND EXISTS (SELECT 1 FROM sessions s WHERE s.event_id = o.id
		AND (s.starts_at < n.starts_at OR s.ends_at > n.ends_at)) THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error(CASE WHEN p ? 'starts_at' THEN 'starts_at'
			ELSE 'ends_at' END, 'sessions of the event would lie '
			'outside it; move or shorten them first', 'outside'));
	END IF;
	IF n.registration_closes_at <= n.registration_opens_at THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error('registration_closes_at',
			'must be after registration_opens_at', 'order'));
	END IF;
	IF n.capacity < o.confirmed_count THEN
		PERFORM lk_fail(409, 'capacity-below-confirmed',
		    format('The event has %s confirmed registrations, more '
			'than the new capacity.', o.confirmed_count),
		    lk_field_error('capacity', 'below the confirmed count',
			'below-confirmed'));
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
		    price_text = n.price_text, capacity = n.capacity, waitlist = n.waitlist,
		    registration_opens_at = n.registration_opens_at,
		    registration_closes_at = n.registration_closes_at,
		    status = n.status, sequence = n.sequence,
		    updated_at = lk_touched(updated_at)
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
		    lk_field_error('kind', 'unknown event kind', 'unknown'));
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
		    lk_field_error('ends_at', 'must be after starts_at',
			'order'));
	END IF;
	IF s.starts_at < e.starts_at OR s.ends_at > e.ends_at THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.',
		    lk_field_error(CASE WHEN s.starts_at < e.starts_at
			THEN 'starts_at' ELSE 'ends_at' END,
			format('the session must lie within the event (%s to %s)',
			    lk_ts(e.starts_at, e.timezone),
			    lk_ts(e.ends_at, e.timezone)), 'outside'));
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
	UPDATE events SET updated_at = lk_touched(updated_at)
	WHERE id = e.id;
	RETURN lk_session_json(s, e.timezone);
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'slug-taken',
	    'The event has a session with this slug already.',
	    lk_field_error('slug', 'already taken', 'duplicate'));
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
		    lk_field_error('capacity', 'below the confirmed count',
			'below-confirmed'));
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
		UPDATE events SET updated_at = lk_touched(updated_at)
		WHERE id = e.id;
	END IF;
	SELECT * INTO n FROM sessions WHERE id = o.id;
	RETURN lk_session_json(n, e.timezone);
END
$$;
