-- 80_door.sql - check-in at the door and "De teller loopt" in the
-- organiser console (API.md section 10; docs/CONSOLE.md, "The door" and
-- "De teller loopt").  The tables are migrations/0014_door.sql's.

-- Is check-in open now for an event from starts to ends in zone tz?
-- From midnight before its first day to midnight after its last day,
-- in its own zone, widened by margin hours at both ends.
CREATE FUNCTION lk_checkin_open(starts timestamptz, ends timestamptz,
    tz text, margin integer) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT now() >= (date_trunc('day', starts AT TIME ZONE tz)
		AT TIME ZONE tz) - make_interval(hours => margin)
	   AND now() < ((date_trunc('day', ends AT TIME ZONE tz)
		+ interval '1 day') AT TIME ZONE tz)
		+ make_interval(hours => margin)
$$;

-- An event as the door sees it: when, where, and the counter (checked
-- in of those with a seat).
CREATE FUNCTION lk_door_event_line(e events, margin integer) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('slug', e.slug, 'title', e.title,
	    'language', e.language, 'status', e.status,
	    'starts_at', lk_ts(e.starts_at, e.timezone),
	    'ends_at', lk_ts(e.ends_at, e.timezone),
	    'city', e.venue_city, 'venue', e.venue_name,
	    'open', lk_checkin_open(e.starts_at, e.ends_at, e.timezone,
		margin),
	    'expected', (SELECT count(*) FROM registrations r
		WHERE r.event_id = e.id AND r.status = 'confirmed'),
	    'checked_in', (SELECT count(*) FROM registrations r
		WHERE r.event_id = e.id AND r.status = 'confirmed'
		  AND r.checked_in_at IS NOT NULL),
	    'waitlisted', (SELECT count(*) FROM registrations r
		WHERE r.event_id = e.id AND r.status = 'waitlisted'))
$$;

-- A registration as the door sees it: the name, the organisation (to
-- tell two of one name apart), its status and check-in.  No e-mail.
CREATE FUNCTION lk_door_person(r registrations, tz text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', r.id, 'name', r.name,
	    'given_name', r.given_name, 'family_name', r.family_name,
	    'organisation', r.organisation, 'status', r.status,
	    'checked_in_at', lk_ts(r.checked_in_at, tz))
$$;

-- GET /beheer/deur: the published events whose check-in is open now,
-- soonest first.
CREATE FUNCTION lk_door(margin integer) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('now', now(), 'margin', margin,
	    'events', coalesce((SELECT json_agg(lk_door_event_line(e, margin)
		ORDER BY e.starts_at, e.id) FROM events e
		WHERE e.status = 'published'
		  AND lk_checkin_open(e.starts_at, e.ends_at, e.timezone,
		    margin)), '[]'::json))
$$;

-- GET /beheer/deur/{slug}?q=: the event, its counter and the people
-- whose name holds q (case and accents aside), by family name, at most
-- lim of them (more: whether there were more).  An empty q finds
-- nobody, and so does the door (role_in 'door') while check-in is
-- closed: the door sees the names of the day's events only.  NULL: no
-- such published event.
CREATE FUNCTION lk_door_event(slug_in text, q text, margin integer,
    lim integer, role_in text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
	e events;
	needle text := lower(unaccent(btrim(coalesce(q, ''))));
	hits json;
	n integer;
BEGIN
	SELECT * INTO e FROM events WHERE slug = slug_in
	    AND status = 'published';
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF needle <> '' AND (role_in <> 'door' OR lk_checkin_open(e.starts_at,
	    e.ends_at, e.timezone, margin)) THEN
		SELECT count(*) INTO n FROM registrations r
		WHERE r.event_id = e.id
		  AND r.status IN ('confirmed', 'waitlisted')
		  AND r.erased_at IS NULL
		  AND strpos(lower(unaccent(r.name)), needle) > 0;
		SELECT json_agg(lk_door_person(x, e.timezone)
		    ORDER BY x.family_name, x.given_name, x.id)
		INTO hits
		FROM (SELECT r.* FROM registrations r
		    WHERE r.event_id = e.id
		      AND r.status IN ('confirmed', 'waitlisted')
		      AND r.erased_at IS NULL
		      AND strpos(lower(unaccent(r.name)), needle) > 0
		    ORDER BY r.family_name, r.given_name, r.id
		    LIMIT lim) x;
	END IF;
	RETURN json_build_object('now', now(), 'q', btrim(coalesce(q, '')),
	    'event', lk_door_event_line(e, margin),
	    'people', coalesce(hits, '[]'::json),
	    'more', coalesce(n, 0) > lim);
END
$$;

-- GET /beheer/c/{code}: the person a check-in code belongs to and their
-- event; for the door (role_in 'door') while check-in is closed, the
-- event alone.  NULL: no such code (or the registration was erased).
CREATE FUNCTION lk_door_code(code text, margin integer, role_in text)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('now', now(),
	    'event', lk_door_event_line(e, margin),
	    'person', CASE WHEN role_in <> 'door' OR lk_checkin_open(e.starts_at,
		e.ends_at, e.timezone, margin) THEN lk_door_person(r,
		e.timezone) END)
	FROM registrations r JOIN events e ON e.id = r.event_id
	WHERE r.checkin_code = code AND r.erased_at IS NULL
$$;

-- POST /beheer/c/{code}: checks in the person of a check-in code, as
-- lk_check_in does (the same refusals).
CREATE FUNCTION lk_check_in_code(code text, margin integer, role_in text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	rid bigint;
BEGIN
	SELECT r.id INTO rid FROM registrations r
	WHERE r.checkin_code = code AND r.erased_at IS NULL;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such check-in code.');
	END IF;
	RETURN lk_check_in(rid, true, margin, role_in);
END
$$;

-- "De teller loopt" of the rows lk_reach_rows counts for events starting
-- in [t0, t1) (of event_in, or all), in one pass over them (MATERIALIZED:
-- counted once, then grouped per breakdown): the totals as lk_reach_part
-- counts them, and registered (not cancelled, waiting list included, as
-- the API counts them), attended and waitlisted per value, in the
-- report's order.
CREATE FUNCTION lk_teller_counts(t0 timestamptz, t1 timestamptz,
    event_in text, secret text) RETURNS json
LANGUAGE sql STABLE AS $$
	WITH r AS MATERIALIZED (SELECT * FROM lk_reach_rows(t0, t1, NULL,
	    event_in, secret)),
	dims (dim, x, n) AS (
	    SELECT 'role', v.x, v.n FROM unnest(ARRAY['employer', 'employee',
		'job-seeker', 'intermediary', 'training-provider', 'student',
		'citizen', 'other']) WITH ORDINALITY AS v (x, n)
	    UNION ALL
	    SELECT 'organisation_type', v.x, v.n FROM unnest(ARRAY['sme',
		'large-company', 'intermediary', 'education', 'government',
		'non-profit', 'none']) WITH ORDINALITY AS v (x, n)
	    UNION ALL
	    SELECT 'region', v.x, v.n FROM unnest(ARRAY['brugge', 'diksmuide',
		'ieper', 'kortrijk', 'oostende', 'roeselare', 'tielt', 'veurne',
		'outside-west-flanders', 'unknown']) WITH ORDINALITY AS v (x, n)
	    UNION ALL
	    SELECT 'kind', k.slug, row_number() OVER (ORDER BY k.action_no
		NULLS LAST, k.slug) FROM event_kinds k),
	counted AS (
	    SELECT d.dim, d.n, json_build_object('key', d.x,
		'registrations', count(r.kind),
		'attended', count(r.kind) FILTER (WHERE r.attended),
		'waitlisted', count(r.kind) FILTER (WHERE r.waitlisted)) AS o
	    FROM dims d LEFT JOIN r ON r.kind IS NOT NULL AND d.x = CASE d.dim
		WHEN 'role' THEN r.role
		WHEN 'organisation_type' THEN r.organisation_type
		WHEN 'region' THEN r.region
		ELSE r.kind END
	    GROUP BY d.dim, d.n, d.x)
	SELECT json_build_object(
	    'total', json_build_object(
		'events', (SELECT count(*) FROM events e
		    WHERE e.status = 'published' AND e.starts_at >= t0
		      AND e.starts_at < t1
		      AND (event_in IS NULL OR e.slug = event_in)),
		'registrations', (SELECT count(*) FROM r),
		'attended', (SELECT count(*) FROM r WHERE r.attended),
		'waitlisted', (SELECT count(*) FROM r WHERE r.waitlisted),
		'people', (SELECT count(DISTINCT r.person) FROM r),
		'organisations', (SELECT count(DISTINCT r.organisation) FROM r),
		'westhoek', (SELECT count(*) FROM r JOIN wvl_arrondissements a
		    ON a.slug = r.region WHERE a.westhoek)),
	    'by_kind', (SELECT json_agg((c.o::jsonb || jsonb_build_object(
		'nl', k.title_nl, 'en', k.title_en, 'action', k.action_no))::json
		ORDER BY c.n) FROM counted c JOIN event_kinds k
		ON k.slug = c.o->>'key' WHERE c.dim = 'kind'),
	    'by_role', (SELECT json_agg(c.o ORDER BY c.n) FROM counted c
		WHERE c.dim = 'role'),
	    'by_organisation_type', (SELECT json_agg(c.o ORDER BY c.n)
		FROM counted c WHERE c.dim = 'organisation_type'),
	    'by_region', (SELECT json_agg(c.o ORDER BY c.n) FROM counted c
		WHERE c.dim = 'region'))
$$;

-- GET /beheer/teller: the reach of the events that start from day d0 to
-- day d1 (both included, Europe/Brussels), of one event (event_in) or
-- all (lk_teller_counts), the events of the period for the filter, and
-- the regions' names.  NULL: event_in names no event.
CREATE FUNCTION lk_teller(d0 date, d1 date, event_in text, secret text)
RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
	t0 timestamptz := d0::timestamp AT TIME ZONE 'Europe/Brussels';
	t1 timestamptz := (d1 + 1)::timestamp AT TIME ZONE 'Europe/Brussels';
	ev json := NULL;
BEGIN
	IF event_in IS NOT NULL THEN
		SELECT json_build_object('slug', e.slug, 'title', e.title,
		    'starts_at', lk_ts(e.starts_at, e.timezone)) INTO ev
		FROM events e WHERE e.slug = event_in;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		-- the event's own reach, whatever the dates
		t0 := '-infinity';
		t1 := 'infinity';
	END IF;
	RETURN (lk_teller_counts(t0, t1, event_in, secret)::jsonb ||
	    jsonb_build_object('now', now(), 'from', d0, 'to', d1,
	    'event', ev,
	    'events', coalesce((SELECT json_agg(json_build_object(
		'slug', e.slug, 'title', e.title,
		'starts_at', lk_ts(e.starts_at, e.timezone))
		ORDER BY e.starts_at, e.id) FROM events e
		WHERE e.status = 'published'
		  AND e.starts_at >= d0::timestamp AT TIME ZONE 'Europe/Brussels'
		  AND e.starts_at < (d1 + 1)::timestamp
		    AT TIME ZONE 'Europe/Brussels'), '[]'::json),
	    'regions', (SELECT json_object_agg(a.slug, json_build_object(
		'name', a.name, 'westhoek', a.westhoek) ORDER BY a.slug)
		FROM wvl_arrondissements a)))::json;
END
$$;
