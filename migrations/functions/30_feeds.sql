-- 30_feeds.sql - what the calendar feeds read (API.md section 6), and
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
	    OLD.online_url, OLD.status, OLD.sequence, OLD.updated_at,
	    OLD.price_text)
	    IS DISTINCT FROM (NEW.slug, NEW.kind, NEW.title, NEW.description,
	    NEW.language, NEW.starts_at, NEW.ends_at, NEW.timezone,
	    NEW.venue_name, NEW.venue_address, NEW.venue_postcode,
	    NEW.venue_city, NEW.online_url, NEW.status, NEW.sequence,
	    NEW.updated_at, NEW.price_text))
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
-- the entries that show seats (cache/answers.c).
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
