-- 40_organiser.sql - organiser tools: attendee exports, check-in, the
-- reach report ("De teller loopt") and erasure (the tables are in
-- migrations/0005_organiser.sql).
--
-- Erasure keeps what the reach report counts and nothing that names
-- anyone: registrations lose their name (both parts), e-mail,
-- organisation and enterprise number, and keep role, organisation type,
-- postcode, check-in and two keyed pseudonyms (HMAC-SHA256 with the
-- server's erasure_secret, which lives in leerkansd's settings, never in
-- the database): person_hash of the normalised e-mail address and
-- organisation_hash of the enterprise number or else the normalised
-- organisation name.  The report computes the same pseudonyms for
-- registrations not erased, so its counts of distinct people and
-- organisations are the same before and after an erasure.  Without the
-- secret nobody can tell from the database whose pseudonym a row holds
-- (an unkeyed hash of an e-mail address is found again by hashing
-- guesses).

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
-- columns of API.md section 7, then given_name and family_name (section
-- 11), by family name, then given name, in Dutch: the columns' collation
-- (nl-BE-x-icu, migrations/0007_names.sql), which lower() keeps.  session_in: only the
-- registrations holding that session, with the status of that choice.
-- status_in: 'active' (confirmed and waitlisted), 'confirmed',
-- 'waitlisted', 'cancelled', 'checked-in' or 'all'.  Erased
-- registrations are not listed.  A plain SQL function, so that the
-- planner inlines it and a cursor over it streams.
CREATE FUNCTION lk_attendees(event_in text, session_in text, status_in text)
RETURNS TABLE (id bigint, status text, name text, email text,
    organisation text, enterprise_number text, role text,
    organisation_type text, postcode text, sessions text,
    sessions_json text, registered_at text, checked_in_at text,
    given_name text, family_name text)
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
	    lk_ts(x.created_at, x.timezone), lk_ts(x.checked_in_at, x.timezone),
	    x.given_name, x.family_name
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
	-- lower case first: "eeckhout" and "Eeckhout" are one family name,
	-- sorted by given name within it; accents stay (Éliaerts is another
	-- name than Eliaerts, and comes right after it)
	ORDER BY lower(x.family_name), lower(x.given_name), x.id
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
			'waitlisted, cancelled, checked-in, all', 'choice'));
	END IF;
	IF session_in IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions s
	    WHERE s.event_id = e.id AND s.slug = session_in) THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The query has invalid parameters.',
		    lk_field_error('session', 'unknown session of this event',
			'unknown'));
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
-- first time.  Attendance is taken on the event's day only
-- (lk_checkin_open, functions/80_door.sql, with the checkin_margin_hours
-- setting as margin): outside it a check-in is refused, and so is an
-- undo by the door (role_in 'door'); an organiser may still undo one
-- afterwards.  A registration on the waiting list has no seat to take.
CREATE FUNCTION lk_check_in(id_in bigint, present boolean, margin integer,
    role_in text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	r registrations;
	e events;
BEGIN
	SELECT * INTO r FROM registrations WHERE id = id_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such registration.');
	END IF;
	SELECT * INTO e FROM events WHERE id = r.event_id;
	IF present AND r.status = 'cancelled' THEN
		PERFORM lk_fail(409, 'registration-cancelled',
		    'This registration was cancelled; it cannot be checked in.');
	END IF;
	IF present AND r.erased_at IS NOT NULL THEN
		PERFORM lk_fail(409, 'registration-erased',
		    'This registration was erased; it cannot be checked in.');
	END IF;
	IF present AND r.status = 'waitlisted' THEN
		PERFORM lk_fail(409, 'registration-waitlisted',
		    'This registration is on the waiting list; it has no seat '
		    'to check in to.');
	END IF;
	IF (present OR role_in = 'door') AND (r.checked_in_at IS NULL) = present
	   AND NOT lk_checkin_open(e.starts_at, e.ends_at, e.timezone, margin)
	THEN
		PERFORM lk_fail(409, 'checkin-closed',
		    'Check-in is open on the day of the event only.');
	END IF;
	IF (r.checked_in_at IS NULL) = present THEN
		UPDATE registrations SET checked_in_at = CASE WHEN present
		    THEN now() END, updated_at = now()
		WHERE id = r.id
		RETURNING * INTO r;
	END IF;
	RETURN json_build_object('id', r.id, 'event', e.slug,
	    'status', r.status, 'checked_in_at', lk_ts(r.checked_in_at,
		e.timezone));
END
$$;

-- Erases the registrations ids: the identifying fields go, the
-- pseudonyms come, and the sealed Idempotency-Key answers of those
-- registrations are deleted.  Returns how many it erased.
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
	    given_name = NULL, family_name = NULL, email = NULL,
	    email_norm = NULL, organisation = NULL,
	    enterprise_number = NULL, erased_at = now(), updated_at = now()
	WHERE id = ANY (ids) AND erased_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	DELETE FROM idempotency_keys WHERE registration_id = ANY (ids);
	RETURN n;
END
$$;

-- Erases everything registered with one e-mail address (any case).
-- First the person leaves every event that has not ended: each
-- registration still held there is cancelled by lk_cancel_registration
-- on the actor's behalf, so a confirmed seat goes to the waiting list as
-- on any cancellation (seats_freed counts those seats).  Registrations
-- of events that have ended are erased as they stand: their status and
-- attendance stay, and so do the reach report's counts.  The
-- cancellations come before the erasure's own locks, each taking its
-- event's lock first, as every writer of seats does.
CREATE FUNCTION lk_erase(email_in text, secret text, actor text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
	freed integer := 0;
	mail text := lower(btrim(email_in));
	x record;
	was text;
BEGIN
	IF coalesce(secret, '') = '' THEN
		RAISE EXCEPTION 'erasure needs the erasure secret';
	END IF;
	FOR x IN SELECT r.id, r.event_id FROM registrations r
	    JOIN events e ON e.id = r.event_id
	    WHERE r.email_norm = mail AND r.status <> 'cancelled'
	      AND e.ends_at > now()
	    ORDER BY r.event_id, r.id LOOP
		PERFORM 1 FROM events WHERE id = x.event_id FOR UPDATE;
		SELECT r.status INTO was FROM registrations r
		WHERE r.id = x.id FOR UPDATE;
		CONTINUE WHEN was = 'cancelled';
		PERFORM lk_cancel_registration(x.id, coalesce(actor, 'erasure'));
		IF was = 'confirmed' THEN
			freed := freed + 1;
		END IF;
	END LOOP;
	n := lk_erase_ids(ARRAY(SELECT r.id FROM registrations r
	    WHERE r.email_norm = mail
	    ORDER BY r.id FOR UPDATE), secret);
	INSERT INTO audit_log (actor, action, detail)
	VALUES (actor, 'erasure', jsonb_build_object('registrations', n,
	    'seats_freed', freed));
	RETURN json_build_object('erased', n, 'seats_freed', freed);
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
-- events starting in [t0, t1), of one kind or (kind_in NULL) all, of one
-- event or (event_in NULL) all.  waitlisted: counted, without a seat.
CREATE FUNCTION lk_reach_rows(t0 timestamptz, t1 timestamptz, kind_in text,
    event_in text, secret text)
RETURNS TABLE (person text, organisation text, role text,
    organisation_type text, region text, attended boolean,
    waitlisted boolean, kind text)
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
	    r.checked_in_at IS NOT NULL, r.status = 'waitlisted', e.kind
	FROM events e JOIN registrations r ON r.event_id = e.id
	WHERE e.status = 'published' AND e.starts_at >= t0 AND e.starts_at < t1
	  AND (kind_in IS NULL OR e.kind = kind_in)
	  AND (event_in IS NULL OR e.slug = event_in)
	  AND r.status <> 'cancelled'
$$;

-- One column of the report: the counts for one kind, or all.
CREATE FUNCTION lk_reach_part(t0 timestamptz, t1 timestamptz, kind_in text,
    secret text) RETURNS json
LANGUAGE sql STABLE AS $$
	WITH r AS MATERIALIZED (SELECT * FROM lk_reach_rows(t0, t1, kind_in,
	    NULL, secret)),
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
