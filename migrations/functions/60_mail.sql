-- 60_mail.sql - the mail outbox (migrations/0011_mail.sql): the
-- triggers that queue a mail in the transaction of the change it tells
-- of, and the calls of leerkansd's sender and of leerkansctl mail.
--
-- Kinds, and what queues them:
--
--	registered	 a new registration (confirmed, or waitlisted): not
--			 a trigger but registrations.mail_new, true from
--			 the INSERT, which the claim turns into the row
--			 (0011_mail.sql says why)
--	promoted	 waitlisted -> confirmed
--	cancelled	 -> cancelled; facts.by is 'organiser' when the
--			 transaction set leerkans.actor so (the console's
--			 paths), else 'person'
--	changed		 a published event's or chosen session's time or
--			 place changed; one per active registrant
--	event-cancelled	 a published event became cancelled; the same
--	reminder	 lk_mail_tick, reminder_hours before the start, to
--			 confirmed registrants, once (once_key)
--	links		 POST /api/v1/links: one mail for an address, on
--			 its newest registration, listing every one of them
--
-- A registration without an e-mail address (a walk-in who gave none,
-- 75_roster.sql) has no mail: no trigger writes a row for it and the
-- claim turns no flag of it into one, so the sender never meets it.
--
-- The triggers write one small row and notify 'mail:XID' on
-- leerkans_feeds, which wakes the senders (daemon/mail/sender.c).  A new
-- registration notifies nothing of its own: its transaction's
-- 'seats:EVENT:XID' (30_feeds.sql) wakes them as well.  The mail itself
-- is rendered when it is sent, from what lk_mail_claim answers.
--
-- Claiming: lk_mail_claim takes due rows with FOR UPDATE SKIP LOCKED and
-- gives each a lease; a sender that dies leaves its rows to be claimed
-- again when the lease ends.  lk_mail_sent and lk_mail_failed count only
-- for the claim they answer (the attempt number), so a sender whose
-- lease ran out cannot overwrite a later claim.

-- The manage token sealed for the mails (AES-256-CBC under mail_key).
CREATE FUNCTION lk_mail_seal(token text) RETURNS bytea
LANGUAGE plpgsql VOLATILE STRICT AS $$
DECLARE
	iv bytea := gen_random_bytes(16);
BEGIN
	RETURN iv || encrypt_iv(convert_to(token, 'UTF8'),
	    (SELECT key FROM mail_key), iv, 'aes-cbc/pad:pkcs');
END
$$;

CREATE FUNCTION lk_mail_unseal(sealed bytea) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
	SELECT convert_from(decrypt_iv(substring(sealed FROM 17),
	    (SELECT key FROM mail_key), substring(sealed FOR 16),
	    'aes-cbc/pad:pkcs'), 'UTF8')
$$;

CREATE FUNCTION lk_mail_wake() RETURNS void
LANGUAGE sql AS $$
	SELECT pg_notify('leerkans_feeds', 'mail:' || pg_current_xact_id())
$$;

-- AFTER UPDATE OF status ON registrations
CREATE FUNCTION lk_mail_status_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status = 'cancelled' THEN
		INSERT INTO mail_outbox (registration_id, kind, facts)
		VALUES (NEW.id, 'cancelled', jsonb_build_object('by',
		    CASE current_setting('leerkans.actor', true)
			WHEN 'organiser' THEN 'organiser' ELSE 'person' END));
	ELSIF OLD.status = 'waitlisted' AND NEW.status = 'confirmed' THEN
		INSERT INTO mail_outbox (registration_id, kind)
		VALUES (NEW.id, 'promoted');
	ELSE
		RETURN NULL;
	END IF;
	PERFORM lk_mail_wake();
	RETURN NULL;
END
$$;

CREATE TRIGGER registrations_mail_status AFTER UPDATE OF status
	ON registrations FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.erased_at IS NULL
	    AND NEW.email IS NOT NULL)
	EXECUTE FUNCTION lk_mail_status_changed();

-- A registration deleted takes its mails along (what ON DELETE CASCADE
-- would do, without a foreign key's check on every insert).
CREATE FUNCTION lk_mail_registration_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM mail_outbox WHERE registration_id = OLD.id;
	RETURN NULL;
END
$$;

CREATE TRIGGER registrations_mail_delete AFTER DELETE ON registrations
	FOR EACH ROW EXECUTE FUNCTION lk_mail_registration_deleted();

-- Erasure takes the address: what was not sent will never be.
CREATE FUNCTION lk_mail_erased() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM mail_outbox WHERE registration_id = NEW.id
	  AND status <> 'sent';
	UPDATE registrations SET token_sealed = NULL, mail_new = NULL
	WHERE id = NEW.id AND (token_sealed IS NOT NULL OR mail_new);
	RETURN NULL;
END
$$;

CREATE TRIGGER registrations_mail_erased AFTER UPDATE OF erased_at
	ON registrations FOR EACH ROW
	WHEN (OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL)
	EXECUTE FUNCTION lk_mail_erased();

-- AFTER UPDATE ON events: cancelled, or moved (time or place).
CREATE FUNCTION lk_mail_event_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	k text;
BEGIN
	IF NEW.status = 'cancelled' AND OLD.status = 'published' THEN
		k := 'event-cancelled';
	ELSIF NEW.status = 'published' AND OLD.status = 'published' AND
	    (OLD.starts_at, OLD.ends_at, OLD.timezone, OLD.venue_name,
	    OLD.venue_address, OLD.venue_postcode, OLD.venue_city,
	    OLD.online_url) IS DISTINCT FROM (NEW.starts_at, NEW.ends_at,
	    NEW.timezone, NEW.venue_name, NEW.venue_address,
	    NEW.venue_postcode, NEW.venue_city, NEW.online_url) THEN
		k := 'changed';
	ELSE
		RETURN NULL;
	END IF;
	INSERT INTO mail_outbox (registration_id, kind, facts)
	SELECT r.id, k, CASE WHEN k = 'changed' THEN jsonb_build_object(
		'time', (OLD.starts_at, OLD.ends_at) IS DISTINCT FROM
		    (NEW.starts_at, NEW.ends_at)) END
	FROM registrations r
	WHERE r.event_id = NEW.id AND r.status <> 'cancelled'
	  AND r.erased_at IS NULL AND r.email IS NOT NULL
	ORDER BY r.id;
	IF FOUND THEN
		PERFORM lk_mail_wake();
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER events_mail_update AFTER UPDATE ON events
	FOR EACH ROW
	WHEN ((OLD.status, OLD.starts_at, OLD.ends_at, OLD.timezone,
	    OLD.venue_name, OLD.venue_address, OLD.venue_postcode,
	    OLD.venue_city, OLD.online_url)
	    IS DISTINCT FROM (NEW.status, NEW.starts_at, NEW.ends_at,
	    NEW.timezone, NEW.venue_name, NEW.venue_address,
	    NEW.venue_postcode, NEW.venue_city, NEW.online_url))
	EXECUTE FUNCTION lk_mail_event_changed();

-- AFTER UPDATE ON sessions: its time or room, to those who chose it.
CREATE FUNCTION lk_mail_session_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO mail_outbox (registration_id, kind, facts)
	SELECT r.id, 'changed', jsonb_build_object('session', NEW.slug,
	    'time', (OLD.starts_at, OLD.ends_at) IS DISTINCT FROM
		(NEW.starts_at, NEW.ends_at))
	FROM registration_sessions rs
	JOIN registrations r ON r.id = rs.registration_id
	JOIN events e ON e.id = r.event_id
	WHERE rs.session_id = NEW.id AND rs.status <> 'cancelled'
	  AND r.status <> 'cancelled' AND r.erased_at IS NULL
	  AND r.email IS NOT NULL AND e.status = 'published'
	ORDER BY r.id;
	IF FOUND THEN
		PERFORM lk_mail_wake();
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER sessions_mail_update AFTER UPDATE ON sessions
	FOR EACH ROW
	WHEN ((OLD.starts_at, OLD.ends_at, OLD.room)
	    IS DISTINCT FROM (NEW.starts_at, NEW.ends_at, NEW.room))
	EXECUTE FUNCTION lk_mail_session_changed();

-- Claims up to n due mails for lease seconds (first turning new
-- registrations' flags into their rows) and answers, for each, what the
-- sender renders it from (a JSON array, or NULL when none is due):
--
--	{"id", "kind", "attempt", "facts", "to", "name", "language",
--	 "source", "checkin_code": the check-in code (0014_door.sql) while
--	 it can be used, a confirmed registration not yet checked in, else
--	 NULL (the mail then shows no QR code),
--	 "registration": lk_registration_json (with manage_url),
--	 "calendar": lk_feed_personal (the same UIDs and SEQUENCEs),
--	 "links": for 'links', every registration of the address}
--
-- "to" is NULL when there is nobody to write to (erased, or registered
-- before tokens were kept for the mails).  One statement: the functions
-- it calls are planned once per claim, not once per mail (a function
-- around one mail's document cost 2.5 ms a mail, planning them again).
CREATE FUNCTION lk_mail_claim(n integer, lease integer) RETURNS json
LANGUAGE sql AS $$
	-- new registrations' confirmations into the outbox, due when they
	-- registered (before a cancellation that came since)
	WITH f AS (
		UPDATE registrations r SET mail_new = NULL
		FROM (SELECT id FROM registrations WHERE mail_new
		    ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) x
		WHERE r.id = x.id
		RETURNING r.id, r.created_at, r.erased_at, r.email)
	INSERT INTO mail_outbox (registration_id, kind, due_at, created_at)
	SELECT f.id, 'registered', f.created_at, f.created_at FROM f
	WHERE f.erased_at IS NULL AND f.email IS NOT NULL ORDER BY f.id;

	WITH c AS (
		UPDATE mail_outbox o
		SET lease_until = now() + make_interval(secs => lease),
		    attempts = o.attempts + 1
		FROM (SELECT id FROM mail_outbox
		    WHERE status = 'queued' AND due_at <= now()
		      AND (lease_until IS NULL OR lease_until < now())
		    ORDER BY due_at, id LIMIT n
		    FOR UPDATE SKIP LOCKED) d
		WHERE o.id = d.id
		RETURNING o.*)
	SELECT json_agg(coalesce(m.doc, json_build_object('id', c.id,
	    'kind', c.kind, 'attempt', c.attempts, 'to', NULL)) ORDER BY c.id)
	FROM c LEFT JOIN LATERAL (
	    SELECT json_build_object(
		'id', c.id,
		'kind', c.kind,
		'attempt', c.attempts,
		'facts', c.facts,
		'to', r.email,
		'name', r.name,
		'language', r.language,
		'source', r.source,
		'checkin_code', CASE WHEN r.status = 'confirmed' AND
		    r.checked_in_at IS NULL THEN r.checkin_code END,
		'registration', lk_registration_json(r, t.tok),
		'calendar', CASE WHEN c.kind <> 'links' THEN
		    lk_feed_personal(t.tok) END,
		'links', CASE WHEN c.kind = 'links' THEN
		    (SELECT json_agg(json_build_object(
			'manage_url', '/r/' || lk_mail_unseal(x.token_sealed),
			'title', e.title, 'status', x.status,
			'starts_at', lk_ts(e.starts_at, e.timezone))
			ORDER BY e.starts_at, x.id)
		     FROM registrations x JOIN events e ON e.id = x.event_id
		     WHERE x.email_norm = r.email_norm
		       AND x.token_sealed IS NOT NULL AND x.erased_at IS NULL
		       AND e.status <> 'draft') END) AS doc
	    FROM registrations r,
		LATERAL (SELECT lk_mail_unseal(r.token_sealed) AS tok) t
	    WHERE r.id = c.registration_id AND r.email IS NOT NULL
	      AND t.tok IS NOT NULL) m ON true
$$;

-- Sent: the claim (id, attempt) done.
CREATE FUNCTION lk_mail_sent(id_in bigint, attempt integer) RETURNS void
LANGUAGE sql AS $$
	UPDATE mail_outbox SET status = 'sent', sent_at = now(),
	    lease_until = NULL, last_error = NULL
	WHERE id = id_in AND attempts = attempt AND status = 'queued'
$$;

-- Not sent: a permanent refusal (or the last of max_attempts) fails the
-- mail for good, until leerkansctl mail retry; else it is due again
-- after 5 s, doubling with every attempt, at most an hour.
CREATE FUNCTION lk_mail_failed(id_in bigint, attempt integer,
    permanent boolean, error text, max_attempts integer) RETURNS void
LANGUAGE sql AS $$
	UPDATE mail_outbox SET
	    status = CASE WHEN permanent OR attempts >= max_attempts
		THEN 'failed' ELSE 'queued' END,
	    due_at = now() + least(interval '1 hour',
		interval '5 seconds' * power(2, least(attempts - 1, 20))),
	    lease_until = NULL, last_error = left(error, 100)
	WHERE id = id_in AND attempts = attempt AND status = 'queued'
$$;

-- The sender's timer: queues the reminders that are due (confirmed
-- registrations of published events that start within hours, made
-- before the reminder's time, each once: once_key) and deletes sent
-- mails older than retention_days.
CREATE FUNCTION lk_mail_tick(hours integer, retention_days integer)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	reminders integer;
	purged integer;
BEGIN
	INSERT INTO mail_outbox (registration_id, kind, once_key)
	SELECT r.id, 'reminder', 'reminder:' || r.id || ':' ||
	    lk_epoch(e.starts_at)
	FROM events e JOIN registrations r ON r.event_id = e.id
	WHERE e.status = 'published' AND e.starts_at > now()
	  AND e.starts_at <= now() + make_interval(hours => hours)
	  AND r.status = 'confirmed' AND r.erased_at IS NULL
	  AND r.email IS NOT NULL
	  AND r.confirmed_at < e.starts_at - make_interval(hours => hours)
	ON CONFLICT (once_key) WHERE once_key IS NOT NULL DO NOTHING;
	GET DIAGNOSTICS reminders = ROW_COUNT;
	IF reminders > 0 THEN
		PERFORM lk_mail_wake();
	END IF;
	DELETE FROM mail_outbox WHERE status = 'sent'
	  AND sent_at < now() - make_interval(days => retention_days);
	GET DIAGNOSTICS purged = ROW_COUNT;
	RETURN json_build_object('reminders', reminders, 'purged', purged);
END
$$;

-- "Send me my links": one mail, on the address's newest registration
-- whose event is not a draft.  Nothing tells whether the address is
-- known; a links mail already waiting for it is not doubled.
CREATE FUNCTION lk_mail_links(email_in text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	rid bigint;
	mail text := lower(btrim(email_in));
BEGIN
	SELECT r.id INTO rid FROM registrations r
	JOIN events e ON e.id = r.event_id
	WHERE r.email_norm = mail AND r.erased_at IS NULL
	  AND r.token_sealed IS NOT NULL AND e.status <> 'draft'
	ORDER BY r.id DESC LIMIT 1;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO mail_outbox (registration_id, kind, once_key)
	VALUES (rid, 'links', 'links:' || rid || ':' ||
	    (SELECT count(*) FROM mail_outbox
	     WHERE registration_id = rid AND kind = 'links'
	       AND status <> 'queued'))
	ON CONFLICT (once_key) WHERE once_key IS NOT NULL DO NOTHING;
	PERFORM lk_mail_wake();
END
$$;

-- leerkansctl mail status: the counts, and the failed mails without
-- an address (the registration's id and event stand for it).
CREATE FUNCTION lk_mail_status() RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'queued', count(*) FILTER (WHERE o.status = 'queued'),
	    'sent', count(*) FILTER (WHERE o.status = 'sent'),
	    'failed', count(*) FILTER (WHERE o.status = 'failed'),
	    'failed_mails', coalesce((SELECT json_agg(json_build_object(
		'id', f.id, 'kind', f.kind, 'registration', f.registration_id,
		'event', e.slug, 'attempts', f.attempts,
		'error', f.last_error,
		'created_at', to_char(f.created_at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS"Z"')) ORDER BY f.id)
		FROM mail_outbox f
		JOIN registrations r ON r.id = f.registration_id
		JOIN events e ON e.id = r.event_id
		WHERE f.status = 'failed'), '[]'::json))
	FROM mail_outbox o
$$;

-- leerkansctl mail retry: one failed mail (id_in) or every failed one
-- (NULL) queued again with fresh attempts.
CREATE FUNCTION lk_mail_retry(id_in bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	UPDATE mail_outbox SET status = 'queued', attempts = 0,
	    due_at = now(), lease_until = NULL
	WHERE status = 'failed' AND (id_in IS NULL OR id = id_in);
	GET DIAGNOSTICS n = ROW_COUNT;
	IF id_in IS NOT NULL AND n = 0 THEN
		PERFORM lk_fail(404, 'not-found', 'There is no such failed mail.');
	END IF;
	IF n > 0 THEN
		PERFORM lk_mail_wake();
	END IF;
	RETURN json_build_object('retried', n);
END
$$;
