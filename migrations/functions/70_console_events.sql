-- 70_console_events.sql - the organiser console's events: one form for
-- an event with its sessions, publishing, cancelling, duplicating
-- (docs/CONSOLE.md, "Events").
--
-- None of these checks an event or a session itself: they call
-- lk_event_create/patch and lk_session_create/patch (10_catalogue.sql),
-- which the API calls, so a field means the same and is refused for the
-- same reasons from either side, and whatever those functions (and the
-- triggers on events and sessions: seats, feeds, mails) do follows.

-- Runs one of the catalogue's writes for the form, in a subtransaction:
-- NULL when it went through, else its refusal's field errors with each
-- field named prefix || field (a session row's "s3-" + "ends_at").  A
-- refusal without field errors, and anything but an LK4xx refusal, is
-- raised again: it is no mistake of a field.
CREATE FUNCTION lk_console_try(what text, slug_in text, session_in text,
    p jsonb, errs jsonb, prefix text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	title text;
	problem text;
	detail text;
	e jsonb;
BEGIN
	BEGIN
		CASE what
		WHEN 'event-create' THEN PERFORM lk_event_create(p, errs);
		WHEN 'event-patch' THEN PERFORM lk_event_patch(slug_in, p, errs);
		WHEN 'session-create' THEN
			PERFORM lk_session_create(slug_in, p, errs);
		WHEN 'session-patch' THEN
			PERFORM lk_session_patch(slug_in, session_in, p, errs);
		END CASE;
		RETURN NULL;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE,
		    title = MESSAGE_TEXT, problem = PG_EXCEPTION_HINT,
		    detail = PG_EXCEPTION_DETAIL;
		IF st !~ '^LK4[0-9][0-9]$' OR coalesce(detail, '') = '' THEN
			RAISE;
		END IF;
	END;
	SELECT coalesce(jsonb_agg(jsonb_set(x, '{field}',
	    to_jsonb(prefix || (x->>'field')))), '[]') INTO e
	FROM jsonb_array_elements(detail::jsonb) x;
	RETURN e;
END
$$;

-- The event form (POST /beheer/events, POST /beheer/events/{slug}):
-- slug_in NULL makes a new event (a draft unless ev says otherwise),
-- else changes that one.  ev is the event as the API takes it, ev_errs
-- what the daemon found wrong with it; rows the session rows that are
-- not empty, [{"row": "s3", "session": {...}, "errors": [...]}]: a
-- row whose slug the event has changes that session, any other adds
-- one.  All in one transaction: every refusal of every part is
-- collected, each field named as the form names it, and then one 422
-- rolls everything back; or {"slug": ...}.
CREATE FUNCTION lk_console_event_save(slug_in text, ev jsonb, ev_errs jsonb,
    rows jsonb, actor text, actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	errs jsonb := '[]';
	e jsonb;
	r jsonb;
	slug_now text := coalesce(slug_in, ev->>'slug');
	created integer := 0;
	changed integer := 0;
BEGIN
	IF slug_in IS NOT NULL AND NOT EXISTS (
	    SELECT 1 FROM events WHERE slug = slug_in) THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	e := lk_console_try(CASE WHEN slug_in IS NULL THEN 'event-create'
	    ELSE 'event-patch' END, slug_in, NULL,
	    CASE WHEN slug_in IS NULL THEN
		jsonb_build_object('status', 'draft') || ev ELSE ev END,
	    coalesce(ev_errs, '[]'), '');
	IF e IS NOT NULL THEN
		errs := errs || e;
	END IF;
	FOR r IN SELECT x FROM jsonb_array_elements(coalesce(rows, '[]')) x
	LOOP
		IF e IS NOT NULL THEN
			-- no event to hold the sessions: only what the daemon
			-- found wrong with them
			SELECT errs || coalesce(jsonb_agg(jsonb_set(y, '{field}',
			    to_jsonb((r->>'row') || '-' || (y->>'field')))),
			    '[]') INTO errs
			FROM jsonb_array_elements(coalesce(r->'errors', '[]')) y;
			CONTINUE;
		END IF;
		IF EXISTS (SELECT 1 FROM sessions s JOIN events v
		    ON v.id = s.event_id WHERE v.slug = slug_now
		      AND s.slug = r->'session'->>'slug') THEN
			errs := errs || coalesce(lk_console_try('session-patch',
			    slug_now, r->'session'->>'slug',
			    (r->'session') - 'slug', coalesce(r->'errors', '[]'),
			    (r->>'row') || '-'), '[]');
			changed := changed + 1;
		ELSE
			errs := errs || coalesce(lk_console_try('session-create',
			    slug_now, NULL, r->'session',
			    coalesce(r->'errors', '[]'), (r->>'row') || '-'),
			    '[]');
			created := created + 1;
		END IF;
	END LOOP;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The form has invalid fields.', errs);
	END IF;
	PERFORM lk_audit(actor, actor_id, CASE WHEN slug_in IS NULL
	    THEN 'event-create' ELSE 'event-update' END,
	    jsonb_build_object('event', slug_now, 'sessions_added', created,
		'sessions_changed', changed));
	RETURN json_build_object('slug', slug_now);
END
$$;

-- Publishing (POST /beheer/events/{slug}/publish): a draft becomes
-- published, through lk_event_patch as PATCH {"status": "published"}.
-- A cancelled event is not published again from here (409).
CREATE FUNCTION lk_console_event_publish(slug_in text, actor text,
    actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	st text;
BEGIN
	SELECT status INTO st FROM events WHERE slug = slug_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	IF st <> 'draft' THEN
		PERFORM lk_fail(409, 'not-a-draft',
		    'Only a draft can be published.');
	END IF;
	PERFORM lk_event_patch(slug_in, '{"status": "published"}', '[]');
	PERFORM lk_audit(actor, actor_id, 'event-publish',
	    jsonb_build_object('event', slug_in));
	RETURN json_build_object('slug', slug_in);
END
$$;

-- Cancelling (POST /beheer/events/{slug}/cancel, after its confirmation
-- page): through lk_event_patch as PATCH {"status": "cancelled"}, with
-- leerkans.actor set to 'organiser' for this transaction, so that the
-- mails the change causes say who cancelled.
CREATE FUNCTION lk_console_event_cancel(slug_in text, actor text,
    actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	st text;
BEGIN
	SELECT status INTO st FROM events WHERE slug = slug_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	IF st = 'cancelled' THEN
		PERFORM lk_fail(409, 'already-cancelled',
		    'The event is cancelled already.');
	END IF;
	PERFORM set_config('leerkans.actor', 'organiser', true);
	PERFORM lk_event_patch(slug_in, '{"status": "cancelled"}', '[]');
	PERFORM lk_audit(actor, actor_id, 'event-cancel',
	    jsonb_build_object('event', slug_in));
	RETURN json_build_object('slug', slug_in);
END
$$;

-- Duplicating (POST /beheer/events/{slug}/duplicate): a new draft with
-- slug new_slug, the event's fields and its sessions, every time moved
-- by `weeks` weeks (in the event's zone, so 18:00 stays 18:00 across a
-- change to or from summer time).  Made by lk_event_create and
-- lk_session_create; refusals collected as the form's are, each on the
-- form's field (new_slug, weeks).
CREATE FUNCTION lk_console_event_duplicate(slug_in text, new_slug text,
    weeks integer, errs jsonb, actor text, actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	o events;
	s sessions;
	p jsonb;
	e jsonb;
	d interval := make_interval(weeks => coalesce(weeks, 0));
BEGIN
	SELECT * INTO o FROM events WHERE slug = slug_in;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such event.');
	END IF;
	IF jsonb_array_length(coalesce(errs, '[]')) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The form has invalid fields.', errs);
	END IF;
	p := (lk_event_json(o)::jsonb - ARRAY['sequence', 'seats_left',
	    'waitlist_length', 'sessions', 'created_at', 'updated_at'])
	    || jsonb_build_object('slug', new_slug, 'status', 'draft',
		'starts_at', lk_ts(lk_moved(o.starts_at, d, o.timezone),
		    o.timezone),
		'ends_at', lk_ts(lk_moved(o.ends_at, d, o.timezone),
		    o.timezone),
		'registration_opens_at', lk_ts(lk_moved(
		    o.registration_opens_at, d, o.timezone), o.timezone),
		'registration_closes_at', lk_ts(lk_moved(
		    o.registration_closes_at, d, o.timezone), o.timezone));
	e := lk_console_try('event-create', NULL, NULL, p, '[]', 'new_');
	IF e IS NOT NULL THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The form has invalid fields.', e);
	END IF;
	FOR s IN SELECT * FROM sessions WHERE event_id = o.id
	    ORDER BY starts_at, slug LOOP
		PERFORM lk_session_create(new_slug, jsonb_build_object(
		    'slug', s.slug, 'title', s.title,
		    'description', s.description,
		    'starts_at', lk_ts(lk_moved(s.starts_at, d, o.timezone),
			o.timezone),
		    'ends_at', lk_ts(lk_moved(s.ends_at, d, o.timezone),
			o.timezone),
		    'room', s.room, 'capacity', s.capacity), '[]');
	END LOOP;
	PERFORM lk_audit(actor, actor_id, 'event-duplicate',
	    jsonb_build_object('event', slug_in, 'new', new_slug,
		'weeks', weeks));
	RETURN json_build_object('slug', new_slug);
END
$$;

-- A time moved by d on the wall clock of zone tz (NULL stays NULL).
CREATE FUNCTION lk_moved(t timestamptz, d interval, tz text)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT ((t AT TIME ZONE tz) + d) AT TIME ZONE tz
$$;

-- The public page of an event as it will look (GET
-- /beheer/events/{slug}/preview): lk_web_event's document for any
-- status, drafts included.  NULL: no such event.
CREATE FUNCTION lk_console_event_preview(slug_in text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('now', now(), 'event', lk_event_json(e),
	    'kind', json_build_object('nl', k.title_nl, 'en', k.title_en))
	FROM events e JOIN event_kinds k ON k.slug = e.kind
	WHERE e.slug = slug_in
$$;

-- The event form's document (GET /beheer/events/new, GET
-- /beheer/events/{slug}/edit, and a form drawn again): the kinds to
-- choose from and the event as the API shows it, null for a new one.
-- NULL: slug_in names no event.
CREATE FUNCTION lk_console_event_form(slug_in text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'kinds', (SELECT json_agg(json_build_object('slug', k.slug,
		'nl', k.title_nl, 'en', k.title_en) ORDER BY k.slug)
		FROM event_kinds k),
	    'event', (SELECT lk_event_json(e) FROM events e
		WHERE e.slug = slug_in))
	WHERE slug_in IS NULL OR EXISTS (SELECT 1 FROM events e
	    WHERE e.slug = slug_in)
$$;
