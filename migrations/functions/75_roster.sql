-- 75_roster.sql - the console's registrations (/beheer/events/{slug}/
-- registrations, issue 12): the list, cancelling on someone's behalf,
-- walk-ins, the spreadsheet export's rows.  Tables: 0013_roster.sql;
-- the design: docs/CONSOLE.md ("Registrations").
--
-- Who acted is the audit log's actor text: a console user's address
-- (lk_audit finds their id), a token's name, or "leerkansctl (...)".

-- Cancels registration p_id, for the registrant (p_by NULL: lk_cancel,
-- by manage token) or on their behalf (p_by: who), in one way for both:
-- the seats it held freed and given to the oldest waiting, as
-- lk_promote_event and lk_promote_session do, in this transaction.  The
-- mails written by triggers on registrations read leerkans.actor
-- ('person' or 'organiser') to say who cancelled.  A cancellation on
-- someone's behalf is an audit row.  Cancelling twice changes nothing.
-- Returns the row as it is now.  Locks the event, then the
-- registration, as every writer of seats does.
CREATE FUNCTION lk_cancel_registration(p_id bigint, p_by text)
RETURNS registrations
LANGUAGE plpgsql AS $$
DECLARE
	r registrations;
	rs registration_sessions;
	was text;
	ev text;
BEGIN
	SELECT * INTO r FROM registrations WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such registration.');
	END IF;
	SELECT slug INTO ev FROM events WHERE id = r.event_id FOR UPDATE;
	SELECT * INTO r FROM registrations WHERE id = p_id FOR UPDATE;
	IF r.status = 'cancelled' THEN
		RETURN r;
	END IF;
	PERFORM set_config('leerkans.actor', CASE WHEN p_by IS NULL
	    THEN 'person' ELSE 'organiser' END, true);

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
	IF p_by IS NOT NULL THEN
		-- the id and the event, never the person's name or address
		PERFORM lk_audit(p_by, (SELECT u.id FROM users u
		    WHERE u.email = p_by), 'registration-cancel',
		    jsonb_build_object('registration', r.id, 'event', ev,
			'was', was));
	END IF;
	RETURN r;
END
$$;

-- -- the list -----------------------------------------------------------------

-- The event as the registrations' pages show it.
CREATE FUNCTION lk_roster_event(e events) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('slug', e.slug, 'title', e.title,
	    'language', e.language, 'status', e.status,
	    'starts_at', lk_ts(e.starts_at, e.timezone),
	    'ends_at', lk_ts(e.ends_at, e.timezone),
	    'city', e.venue_city,
	    'capacity', e.capacity, 'waitlist', e.waitlist,
	    'confirmed', e.confirmed_count, 'waitlisted', e.waitlist_count,
	    'seats_left', CASE WHEN e.capacity IS NULL THEN NULL
		ELSE greatest(e.capacity - e.confirmed_count, 0) END,
	    'ended', e.ends_at <= now(),
	    'sessions', coalesce((SELECT json_agg(json_build_object(
		'slug', s.slug, 'title', s.title,
		'starts_at', lk_ts(s.starts_at, e.timezone),
		'ends_at', lk_ts(s.ends_at, e.timezone))
		ORDER BY s.starts_at, s.slug)
		FROM sessions s WHERE s.event_id = e.id), '[]'::json))
$$;

-- Does text t hold what was searched for, whatever the case and the
-- accents ("eliaerts" finds "Éliaerts", "cafe" "Café")?  q is already
-- folded by the caller.
CREATE FUNCTION lk_roster_match(t text, q text) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT q IS NULL OR strpos(lower(unaccent(coalesce(t, ''))), q) > 0
$$;

-- GET /beheer/events/{slug}/registrations: the event and its
-- registrations, filtered by f: {q (name), organisation, status
-- ('active' (default), 'confirmed', 'waitlisted', 'cancelled', 'all'),
-- session (a slug: the registrations holding that choice, with its
-- status), checked ('yes', 'no')}, sorted as lk_attendees sorts: by
-- family name, then given name, in Dutch (the columns' nl-BE-x-icu
-- collation, which lower() keeps).  Erased registrations are not
-- listed.  NULL: no such event.
CREATE FUNCTION lk_roster(slug_in text, f jsonb) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
	e events;
	q text := nullif(lower(unaccent(btrim(f->>'q'))), '');
	org text := nullif(lower(unaccent(btrim(f->>'organisation'))), '');
	st_in text := coalesce(nullif(f->>'status', ''), 'active');
	sess text := nullif(f->>'session', '');
	chk text := nullif(f->>'checked', '');
	sid bigint;
	lst json;
BEGIN
	SELECT * INTO e FROM events WHERE slug = slug_in;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF sess IS NOT NULL THEN
		SELECT s.id INTO sid FROM sessions s
		WHERE s.event_id = e.id AND s.slug = sess;
		IF NOT FOUND THEN
			sess := NULL;	-- a link gone wrong: every session
		END IF;
	END IF;
	SELECT coalesce(json_agg(json_build_object(
		'id', x.id, 'status', x.st, 'source', x.source,
		'name', x.name, 'given_name', x.given_name,
		'family_name', x.family_name, 'email', x.email,
		'organisation', x.organisation,
		'registered_at', lk_ts(x.created_at, e.timezone),
		'checked_in_at', lk_ts(x.checked_in_at, e.timezone),
		'sessions', coalesce((SELECT json_agg(json_build_object(
		    'slug', s.slug, 'title', s.title,
		    'status', CASE rs.status WHEN 'pending' THEN 'waitlisted'
			ELSE rs.status END) ORDER BY s.starts_at, s.slug)
		    FROM registration_sessions rs
		    JOIN sessions s ON s.id = rs.session_id
		    WHERE rs.registration_id = x.id
		      AND rs.status <> 'cancelled'), '[]'::json))
	    ORDER BY lower(x.family_name), lower(x.given_name), x.id), '[]')
	INTO lst
	FROM (SELECT r.*, CASE WHEN sid IS NULL THEN r.status
		    WHEN rs.status = 'pending' THEN 'waitlisted'
		    ELSE rs.status END AS st
	    FROM registrations r
	    LEFT JOIN registration_sessions rs
		ON rs.registration_id = r.id AND rs.session_id = sid
	    WHERE r.event_id = e.id AND r.erased_at IS NULL
	      AND (sid IS NULL OR rs.session_id IS NOT NULL)) x
	WHERE CASE st_in WHEN 'all' THEN true
		WHEN 'active' THEN x.st IN ('confirmed', 'waitlisted')
		ELSE x.st = st_in END
	  AND (chk IS NULL OR (chk = 'yes') = (x.checked_in_at IS NOT NULL))
	  -- as typed on the form, or as the list shows it ("Peeters, An")
	  AND (lk_roster_match(x.name, q) OR lk_roster_match(
	    x.family_name || ', ' || x.given_name, q))
	  AND lk_roster_match(x.organisation, org);
	RETURN json_build_object('event', lk_roster_event(e),
	    'filter', json_build_object('q', f->>'q',
		'organisation', f->>'organisation', 'status', st_in,
		'session', sess, 'checked', chk),
	    'count', json_array_length(lst),
	    'registrations', lst);
END
$$;

-- One registration of an event, for the page that asks whether to
-- cancel it.  NULL: no such registration of that event (or erased).
CREATE FUNCTION lk_roster_registration(slug_in text, id_in bigint)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('event', lk_roster_event(e),
	    'registration', json_build_object('id', r.id,
		'status', r.status, 'name', r.name,
		'given_name', r.given_name, 'family_name', r.family_name,
		'organisation', r.organisation,
		'checked_in_at', lk_ts(r.checked_in_at, e.timezone),
		'sessions', coalesce((SELECT json_agg(json_build_object(
		    'slug', s.slug, 'title', s.title, 'status',
		    CASE rs.status WHEN 'pending' THEN 'waitlisted'
			ELSE rs.status END) ORDER BY s.starts_at, s.slug)
		    FROM registration_sessions rs
		    JOIN sessions s ON s.id = rs.session_id
		    WHERE rs.registration_id = r.id
		      AND rs.status <> 'cancelled'), '[]'::json)))
	FROM events e JOIN registrations r ON r.event_id = e.id
	WHERE e.slug = slug_in AND r.id = id_in AND r.erased_at IS NULL
$$;

-- The form of a walk-in: the event.  NULL: no such event.
CREATE FUNCTION lk_roster_event_doc(slug_in text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('event', lk_roster_event(e))
	FROM events e WHERE e.slug = slug_in
$$;

-- POST /beheer/events/{slug}/registrations/{id}/cancel.  A registration
-- of another event is not found.
CREATE FUNCTION lk_roster_cancel(slug_in text, id_in bigint, actor text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	r registrations;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM registrations x JOIN events e
	    ON e.id = x.event_id WHERE x.id = id_in AND e.slug = slug_in
	      AND x.erased_at IS NULL) THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such registration.');
	END IF;
	r := lk_cancel_registration(id_in, actor);
	RETURN json_build_object('id', r.id, 'status', r.status);
END
$$;

-- A walk-in: someone who came without registering, typed in at the door
-- by an organiser.  p: {given_name, family_name, organisation, email,
-- role, organisation_type}, errs what the daemon found wrong.  The
-- registration is confirmed and checked in at once, source 'walk-in',
-- no sessions.  The capacity holds as for any registration: the event
-- row is locked, and a full event refuses (409 event-full), waiting
-- list or not (someone standing at the door does not wait for a
-- cancellation).
--
-- Mail: a walk-in who gave an e-mail address is sent one confirmation
-- (kind 'registered', worded for the door: registered and checked in,
-- no check-in code) with the /r/ link, so the person can see what was
-- recorded and cancel, and the later mails (event changed or
-- cancelled) as anyone; the manage token is made here and sealed for
-- the mails (60_mail.sql).  One who gave none is never mailed: mail_new
-- stays NULL, and the mail triggers skip a registration without an
-- address; the token is made and forgotten, as nobody could be sent it.
CREATE FUNCTION lk_walk_in(slug_in text, p jsonb, errs jsonb, actor text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	e events;
	r registrations;
	mail text := lower(nullif(btrim(p->>'email'), ''));
	tok text := rtrim(translate(encode(gen_random_bytes(32), 'base64'),
	    '+/', '-_'), '=');
BEGIN
	SELECT * INTO e FROM events WHERE slug = slug_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;
	IF e.status <> 'published' THEN
		PERFORM lk_fail(409, CASE e.status WHEN 'cancelled'
		    THEN 'event-cancelled' ELSE 'event-draft' END,
		    'Only a published event takes walk-ins.');
	END IF;
	IF mail IS NOT NULL AND EXISTS (SELECT 1 FROM registrations
	    WHERE event_id = e.id AND email_norm = mail
	      AND status <> 'cancelled') THEN
		PERFORM lk_fail(409, 'duplicate-registration',
		    'This e-mail address is registered for this event '
		    'already.', lk_field_error('email', 'already registered',
			'duplicate'));
	END IF;
	IF e.capacity IS NOT NULL AND e.confirmed_count >= e.capacity THEN
		PERFORM lk_fail(409, 'event-full',
		    'This event is full: a walk-in needs a free seat.');
	END IF;
	UPDATE events SET confirmed_count = confirmed_count + 1
	WHERE id = e.id;
	INSERT INTO registrations (event_id, token_hash, token_sealed,
	    mail_new, status, given_name,
	    family_name, email, email_norm, organisation, role,
	    organisation_type, language, source, consented_at, confirmed_at,
	    checked_in_at)
	VALUES (e.id, sha256(convert_to(tok, 'UTF8')),
	    CASE WHEN mail IS NOT NULL THEN lk_mail_seal(tok) END,
	    CASE WHEN mail IS NOT NULL THEN true END, 'confirmed',
	    btrim(p->>'given_name'), btrim(p->>'family_name'),
	    nullif(btrim(p->>'email'), ''), mail,
	    nullif(btrim(p->>'organisation'), ''),
	    coalesce(p->>'role', 'other'),
	    coalesce(p->>'organisation_type', 'none'), e.language, 'walk-in',
	    now(), now(), now())
	RETURNING * INTO r;
	PERFORM lk_audit(actor, (SELECT u.id FROM users u
	    WHERE u.email = actor), 'walk-in',
	    jsonb_build_object('registration', r.id, 'event', e.slug));
	RETURN json_build_object('id', r.id, 'status', r.status);
END
$$;

-- The walk-in form's answer: {"registration": {id, status}}, or
-- {"refusal": {status, problem, title, errors}, "page": the form's
-- event}, as lk_register_form answers, so that the form is drawn again
-- in one statement.
CREATE FUNCTION lk_walk_in_form(slug_in text, p jsonb, errs jsonb,
    actor text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	title text;
	problem text;
	detail text;
BEGIN
	BEGIN
		RETURN json_build_object('registration',
		    lk_walk_in(slug_in, p, errs, actor));
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE,
		    title = MESSAGE_TEXT, problem = PG_EXCEPTION_HINT,
		    detail = PG_EXCEPTION_DETAIL;
		IF st !~ '^LK4[0-9][0-9]$' OR st = 'LK404' THEN
			RAISE;
		END IF;
	END;
	RETURN json_build_object(
	    'refusal', json_build_object(
		'status', substr(st, 3)::integer,
		'problem', nullif(problem, ''),
		'title', nullif(title, ''),
		'errors', CASE WHEN detail <> '' THEN detail::json END),
	    'page', lk_roster_event_doc(slug_in));
END
$$;

-- -- the spreadsheet export -------------------------------------------------

-- The attendee list for a spreadsheet ("CSV voor Excel"): lk_attendees'
-- rows and columns, with the sessions by their titles (in Dutch: this
-- flavour is Dutch throughout; render/export.c words the rest).  Sorted
-- as lk_attendees is; the order is said again here, since a function's
-- rows come in no promised order to the query around it.
CREATE FUNCTION lk_attendees_sheet(event_in text, session_in text,
    status_in text)
RETURNS TABLE (id bigint, status text, name text, email text,
    organisation text, enterprise_number text, role text,
    organisation_type text, postcode text, sessions text,
    sessions_json text, registered_at text, checked_in_at text,
    given_name text, family_name text)
LANGUAGE sql STABLE AS $$
	SELECT a.id, a.status, a.name, a.email, a.organisation,
	    a.enterprise_number, a.role, a.organisation_type, a.postcode,
	    (SELECT string_agg(s.title || CASE rs.status WHEN 'confirmed'
		THEN '' ELSE ' (wachtlijst)' END, ', '
		ORDER BY s.starts_at, s.slug)
	     FROM registration_sessions rs JOIN sessions s ON s.id = rs.session_id
	     WHERE rs.registration_id = a.id AND rs.status <> 'cancelled'),
	    a.sessions_json, a.registered_at, a.checked_in_at,
	    a.given_name, a.family_name
	FROM lk_attendees(event_in, session_in, status_in) a
	ORDER BY lower(a.family_name) COLLATE "nl-BE-x-icu",
	    lower(a.given_name) COLLATE "nl-BE-x-icu", a.id
$$;
