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
