-- 20_registrations.sql - registering, cancelling, the waiting lists and
-- the answers kept for Idempotency-Key replays.
--
-- Seats are counted on the event and session rows (confirmed_count,
-- waitlist_count) and changed only by the functions below, each with the
-- event row locked before any session row: registrations for one event
-- are serialised there, so no capacity is ever exceeded, whatever the
-- concurrency.  lk_register takes that lock last, with the seat itself
-- (see there); the others take it first.  The CHECK constraints on
-- events and sessions (confirmed_count <= capacity) hold the line should
-- a bug ever try otherwise.
--
-- A session choice is 'confirmed' (holds a session seat), 'waitlisted'
-- (waits for one), 'pending' (the registration itself waits for an event
-- seat; the choice is weighed when it gets one) or 'cancelled'.
--
-- The first answer to an Idempotency-Key repeats the registrant's name
-- and e-mail address and holds the manage token, which the registrations
-- table itself keeps only as a hash.  It is kept encrypted (AES-256-CBC,
-- pgcrypto) under a key derived from the Idempotency-Key, which only the
-- client knows, and the key is kept only as a hash: a copy of the
-- database (a dump, a backup) holds none of the tokens of the last two
-- days.  The registration's id stays beside it in clear, so that erasure
-- finds what to delete.

-- The event as a registration shows it.
CREATE FUNCTION lk_registration_event(e events) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('slug', e.slug, 'title', e.title,
	    'status', e.status, 'starts_at', lk_ts(e.starts_at, e.timezone),
	    'ends_at', lk_ts(e.ends_at, e.timezone), 'timezone', e.timezone)
$$;

-- One chosen session as a registration shows it; its times are written
-- in the event's zone already.  A choice that waits for its
-- registration's event seat ('pending') is waitlisted to the registrant.
CREATE FUNCTION lk_registration_session(slug text, title text,
    starts_at text, ends_at text, status text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('slug', slug, 'title', title,
	    'starts_at', starts_at, 'ends_at', ends_at,
	    'status', CASE status WHEN 'pending' THEN 'waitlisted'
		ELSE status END)
$$;

-- The registrant's view, from what the caller has in hand: the row r,
-- its manage token, its event (lk_registration_event), its sessions (a
-- JSON array of lk_registration_session), its place on the waiting
-- list and its two times, written in the event's zone.
-- lk_registration_json reads them for a stored registration;
-- lk_register has them all once it holds its seat, so that its answer
-- costs no query under the event's lock.  Like lk_ts, this and the two
-- above are one expression each and STABLE, so that the planner inlines
-- them (00_base.sql).
CREATE FUNCTION lk_registration_doc(r registrations, token text, ev json,
    choices json, waitlist_pos bigint, created text, cancelled text)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'id', r.id,
	    'status', r.status,
	    'waitlist_position', waitlist_pos,
	    'event', ev,
	    'sessions', choices,
	    'name', r.name,
	    'given_name', r.given_name,
	    'family_name', r.family_name,
	    'email', r.email,
	    'organisation', r.organisation,
	    'enterprise_number', r.enterprise_number,
	    'role', r.role,
	    'organisation_type', r.organisation_type,
	    'postcode', r.postcode,
	    'language', r.language,
	    'created_at', created,
	    'cancelled_at', cancelled,
	    'manage_url', '/r/' || token,
	    'calendar_url', '/feeds/personal/' || token || '.ics')
$$;

-- The registrant's view of a stored registration (GET, cancelling, the
-- registrant's page).  Its waitlist position counts the registrations
-- waiting before it: the waiting list is in id order (lk_register).
CREATE FUNCTION lk_registration_json(r registrations, token text)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT lk_registration_doc(r, token, lk_registration_event(e),
	    coalesce((SELECT json_agg(lk_registration_session(s.slug, s.title,
		    lk_ts(s.starts_at, e.timezone), lk_ts(s.ends_at, e.timezone),
		    rs.status) ORDER BY s.starts_at, s.slug)
		FROM registration_sessions rs
		JOIN sessions s ON s.id = rs.session_id
		WHERE rs.registration_id = r.id), '[]'::json),
	    CASE WHEN r.status = 'waitlisted' THEN
		(SELECT count(*) FROM registrations w
		 WHERE w.event_id = r.event_id AND w.status = 'waitlisted'
		   AND w.id <= r.id) END,
	    lk_ts(r.created_at, e.timezone), lk_ts(r.cancelled_at, e.timezone))
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

-- One registration, in one statement.  p is the body the daemon checked,
-- errs what it found wrong, token the new manage token, idem_key the
-- Idempotency-Key header (or NULL).  The first answer to a key is kept
-- sealed (see above).
--
-- Registrations for one event meet at its row, and whatever happens
-- between taking a seat and the commit holds every other registration
-- for that event back.  So the seat is taken last, in three steps:
--
--  1. Everything that needs no seat, without a lock: the event and the
--     chosen sessions read, every check (404, 422, 409), the duplicate
--     e-mail address, and every part of the answer but the outcome,
--     times written in the event's zone included.
--  2. The seat: one conditional UPDATE of the event row, which takes the
--     row's lock until the commit.  It counts only for the event as it
--     was checked: the same updated_at, which every change to an event
--     or its sessions moves (10_catalogue.sql), and a free seat.  No
--     seat, the same way: a place on the waiting list, whose UPDATE
--     returns the place.  Neither (the event changed, or its seats moved
--     since step 1), and step 1 runs again on the event as it is now.
--  3. Under the lock, only what needs the seat: the registration's row,
--     its session choices (each a conditional UPDATE of its session) and
--     the answer, put together from what step 1 prepared.
--
-- Exact under any concurrency: a seat is counted by the UPDATE that
-- takes it, which re-reads the row it locks; places on the waiting list
-- are given under the lock, and so are the ids of the registrations that
-- take them (the INSERT comes after), so the waiting list's id order is
-- the order the places were given and the UPDATE's count is the place.
-- Two identical registrations racing past the duplicate check meet at
-- the unique index registrations_one_active: the second INSERT waits for
-- the first to commit and finds the conflict, refused as a duplicate
-- like the check would have.
CREATE FUNCTION lk_register(event_in text, p jsonb, errs jsonb, token text,
    idem_key text, source_in text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	r registrations;
	prior idempotency_keys;
	h bytea;
	-- what the unique index registrations_one_active compares; a plain
	-- value, so that every plan of the duplicate check probes that
	-- index (an expression of p here let the cached plan scan all the
	-- event's registrations instead)
	mail text := lower(p->>'email');
	bad jsonb;
	chosen text[];
	unknown text;
	overlap record;
	-- the chosen sessions, in the answer's order (start, then slug),
	-- and what each choice got
	s_id bigint[];
	s_slug text[];
	s_title text[];
	s_starts text[];
	s_ends text[];
	s_got text[] := '{}';
	ev json;
	created text;
	choices json := '[]';
	st text;
	pos bigint;
	rounds integer := 0;
	resp json;
	-- the token for the mails' links (60_mail.sql), sealed before the
	-- event's lock is taken
	tok_sealed bytea := lk_mail_seal(token);
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
				'already used with a different body',
				'reused'));
		END IF;
		DELETE FROM idempotency_keys
		WHERE created_at < now() - interval '48 hours';
	END IF;
	IF jsonb_typeof(p->'sessions') = 'array' THEN
		chosen := ARRAY(SELECT jsonb_array_elements_text(p->'sessions'));
	END IF;

	LOOP
		-- 1. everything that needs no seat, without a lock
		rounds := rounds + 1;
		IF rounds > 10 THEN
			-- the event changes faster than one can register:
			-- 503, try again
			RAISE EXCEPTION 'the event kept changing'
			USING ERRCODE = 'serialization_failure';
		END IF;
		SELECT * INTO e FROM events WHERE slug = event_in;
		IF NOT FOUND OR e.status = 'draft' THEN
			PERFORM lk_fail(404, 'not-found',
			    'There is no such event.');
		END IF;

		bad := errs;
		s_id := '{}';
		IF cardinality(chosen) > 0 THEN
			SELECT coalesce(array_agg(s.id ORDER BY s.starts_at,
				s.slug), '{}'),
			    coalesce(array_agg(s.slug ORDER BY s.starts_at,
				s.slug), '{}'),
			    array_agg(s.title ORDER BY s.starts_at, s.slug),
			    array_agg(lk_ts(s.starts_at, e.timezone)
				ORDER BY s.starts_at, s.slug),
			    array_agg(lk_ts(s.ends_at, e.timezone)
				ORDER BY s.starts_at, s.slug)
			INTO s_id, s_slug, s_title, s_starts, s_ends
			FROM sessions s
			WHERE s.event_id = e.id AND s.slug = ANY (chosen);
			FOR unknown IN SELECT x FROM unnest(chosen) AS x
			    WHERE x <> ALL (s_slug) LOOP
				bad := bad || lk_field_error('sessions',
				    format('unknown session: %s', unknown),
				    'unknown');
			END LOOP;
			FOR overlap IN SELECT a.slug AS a, b.slug AS b
			    FROM sessions a JOIN sessions b ON a.id < b.id
			    WHERE a.id = ANY (s_id) AND b.id = ANY (s_id)
			      AND a.starts_at < b.ends_at
			      AND b.starts_at < a.ends_at
			    ORDER BY a.starts_at, a.slug, b.slug LOOP
				bad := bad || lk_field_error('sessions',
				    format('%s and %s overlap in time; choose '
					'one', overlap.a, overlap.b),
				    'overlap');
			END LOOP;
		END IF;
		IF jsonb_array_length(bad) > 0 THEN
			PERFORM lk_fail(422, 'validation-failed',
			    'The request has invalid fields.', bad);
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
		    WHERE event_id = e.id AND email_norm = mail
		      AND status <> 'cancelled') THEN
			PERFORM lk_fail(409, 'duplicate-registration',
			    'This e-mail address is registered for this event '
			    'already.', lk_field_error('email',
				'already registered', 'duplicate'));
		END IF;
		IF e.capacity IS NOT NULL AND e.confirmed_count >= e.capacity
		    AND NOT e.waitlist THEN
			PERFORM lk_fail(409, 'event-full',
			    'This event is full and has no waiting list.');
		END IF;
		-- the answer's parts; the registration's created_at is now()
		ev := lk_registration_event(e);
		created := lk_ts(now(), e.timezone);

		-- 2. the seat: from here to the commit, the event's lock
		IF e.capacity IS NULL OR e.confirmed_count < e.capacity THEN
			UPDATE events SET confirmed_count = confirmed_count + 1
			WHERE id = e.id AND updated_at = e.updated_at
			  AND (capacity IS NULL OR confirmed_count < capacity);
			IF FOUND THEN
				st := 'confirmed';
				EXIT;
			END IF;
		END IF;
		IF e.waitlist THEN
			UPDATE events SET waitlist_count = waitlist_count + 1
			WHERE id = e.id AND updated_at = e.updated_at
			  AND waitlist AND confirmed_count >= capacity
			RETURNING waitlist_count INTO pos;
			IF FOUND THEN
				st := 'waitlisted';
				EXIT;
			END IF;
		END IF;
		-- changed since step 1 (a seat taken or freed, an edit): again
	END LOOP;

	-- 3. what needs the seat
	INSERT INTO registrations (event_id, token_hash, token_sealed, status,
	    given_name, family_name, email, email_norm, organisation,
	    enterprise_number, role, organisation_type, postcode, language,
	    source, consented_at, confirmed_at)
	VALUES (e.id, sha256(convert_to(token, 'UTF8')), tok_sealed, st,
	    coalesce(p->>'given_name', p->>'name'),
	    coalesce(p->>'family_name', ''), p->>'email', mail,
	    p->>'organisation', p->>'enterprise_number', p->>'role',
	    p->>'organisation_type', p->>'postcode',
	    coalesce(p->>'language', e.language), source_in, now(),
	    CASE WHEN st = 'confirmed' THEN now() END)
	ON CONFLICT (event_id, email_norm) WHERE status <> 'cancelled'
	DO NOTHING
	RETURNING * INTO r;
	IF NOT FOUND THEN
		PERFORM lk_fail(409, 'duplicate-registration',
		    'This e-mail address is registered for this event already.',
		    lk_field_error('email', 'already registered', 'duplicate'));
	END IF;

	IF cardinality(s_id) > 0 THEN
		FOR i IN 1 .. cardinality(s_id) LOOP
			IF st = 'waitlisted' THEN
				-- waits for the event seat; lk_seat_sessions
				-- weighs it when that comes
				s_got[i] := 'pending';
				CONTINUE;
			END IF;
			UPDATE sessions SET confirmed_count = confirmed_count + 1
			WHERE id = s_id[i]
			  AND (capacity IS NULL OR confirmed_count < capacity);
			IF FOUND THEN
				s_got[i] := 'confirmed';
			ELSE
				UPDATE sessions
				SET waitlist_count = waitlist_count + 1
				WHERE id = s_id[i];
				s_got[i] := 'waitlisted';
			END IF;
		END LOOP;
		INSERT INTO registration_sessions (registration_id, session_id,
		    status)
		SELECT r.id, x.id, x.got FROM unnest(s_id, s_got) AS x (id, got);
		choices := (SELECT json_agg(lk_registration_session(x.slug,
			x.title, x.starts_at, x.ends_at, x.got) ORDER BY x.n)
		    FROM unnest(s_slug, s_title, s_starts, s_ends, s_got)
			WITH ORDINALITY AS x (slug, title, starts_at, ends_at,
			got, n));
	END IF;

	-- The registration is final here, the one place that knows it
	-- whole: r (r.status), its choices (s_id, s_got) and, waiting, its
	-- place (pos).  What a new registration must bring about in its own
	-- transaction goes here.
	resp := lk_registration_doc(r, token, ev, choices, pos, created, NULL);
	IF idem_key IS NOT NULL THEN
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
END
$$;

-- Cancels by manage token; the freed seats go to the waiting lists in
-- the same transaction (lk_cancel_registration, functions/75_roster.sql,
-- which the console's cancelling on someone's behalf uses too: one way
-- to cancel; plpgsql finds it when called, so the file order does not
-- matter).  Cancelling twice answers the same.
CREATE FUNCTION lk_cancel(token text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	r registrations;
BEGIN
	SELECT * INTO r FROM registrations
	WHERE token_hash = sha256(convert_to(token, 'UTF8'));
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such registration.');
	END IF;
	r := lk_cancel_registration(r.id, NULL);
	RETURN lk_registration_json(r, token);
END
$$;

-- The registrant's own view by manage token.
CREATE FUNCTION lk_registration_get(token text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT lk_registration_json(r, token) FROM registrations r
	WHERE r.token_hash = sha256(convert_to(token, 'UTF8'))
$$;

-- The event page's document (the web form's page): the database's clock,
-- to tell open from closed as lk_register would, the event and its kind's
-- names; NULL for no such event or a draft.
CREATE FUNCTION lk_web_event(slug_in text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('now', now(), 'event', lk_event_json(e),
	    'kind', json_build_object('nl', k.title_nl, 'en', k.title_en))
	FROM events e JOIN event_kinds k ON k.slug = e.kind
	WHERE e.slug = slug_in AND e.status <> 'draft'
$$;

-- The web form's registration, which answers a refusal together with the
-- event page, so that the form is drawn again without a second round
-- trip.  lk_register runs inside a block with an exception handler, a
-- subtransaction, so that a refusal leaves nothing written; the answer is
--
--	{"registration": <lk_register's answer>}
--	{"refusal": {"status", "problem", "title", "errors"},
--	 "page": <lk_web_event's document, or null>}
--
-- The refusal holds what lk_fail raised: status from SQLSTATE LKnnn,
-- problem from HINT, title from MESSAGE, errors from DETAIL.  Any other
-- error, LK5xx included, is raised again as it came.  The JSON API calls
-- lk_register itself: only the form pays for the subtransaction.
CREATE FUNCTION lk_register_form(event_in text, p jsonb, errs jsonb,
    token text, idem_key text, source_in text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	title text;
	problem text;
	detail text;
BEGIN
	BEGIN
		RETURN json_build_object('registration',
		    lk_register(event_in, p, errs, token, idem_key, source_in));
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE,
		    title = MESSAGE_TEXT, problem = PG_EXCEPTION_HINT,
		    detail = PG_EXCEPTION_DETAIL;
		IF st !~ '^LK4[0-9][0-9]$' THEN
			RAISE;
		END IF;
	END;
	RETURN json_build_object(
	    'refusal', json_build_object(
		'status', substr(st, 3)::integer,
		'problem', nullif(problem, ''),
		'title', nullif(title, ''),
		-- lk_fail writes the errors as JSON, or nothing
		'errors', CASE WHEN detail <> '' THEN detail::json END),
	    'page', lk_web_event(event_in));
END
$$;
