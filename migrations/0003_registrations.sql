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
