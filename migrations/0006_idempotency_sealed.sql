-- 0006_idempotency_sealed.sql - the first answers kept for
-- Idempotency-Key replays, sealed.
--
-- Such an answer repeats the registrant's name and e-mail address and
-- holds the manage token, which the registrations table itself keeps
-- only as a hash.  It was kept in clear for 48 hours.  Now it is
-- encrypted (AES-256-CBC, pgcrypto) under a key derived from the
-- Idempotency-Key, which only the client knows, and the key is kept only
-- as a hash: a copy of the database (a dump, a backup) no longer holds
-- the tokens of the last two days.  The registration's id stays beside
-- it in clear, so that erasure finds what to delete.
--
-- The answers stored the old way are dropped: replays of registrations
-- made in the 48 hours before the upgrade are then new registrations,
-- refused as duplicates (409) by their e-mail address.

DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys
	DROP COLUMN response,
	ADD COLUMN registration_id bigint NOT NULL
	    REFERENCES registrations (id) ON DELETE CASCADE,
	ADD COLUMN sealed bytea NOT NULL;
CREATE INDEX idempotency_keys_registration
	ON idempotency_keys (registration_id);

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

-- Registers (0003), storing the first answer sealed.
CREATE OR REPLACE FUNCTION lk_register(event_in text, p jsonb, errs jsonb, token text,
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
		SELECT * INTO prior FROM idempotency_keys
		WHERE key = lk_idem_id(idem_key);
		IF FOUND AND prior.created_at > now() - interval '48 hours' THEN
			IF prior.request_hash = h THEN
				RETURN lk_idem_unseal(prior.sealed, idem_key)::json;
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
EXCEPTION WHEN unique_violation THEN
	PERFORM lk_fail(409, 'duplicate-registration',
	    'This e-mail address is registered for this event already.',
	    lk_field_error('email', 'already registered'));
	RETURN NULL;
END
$$;

-- Erases the registrations ids (0005); their Idempotency-Key answers go
-- by registration id.
CREATE OR REPLACE FUNCTION lk_erase_ids(ids bigint[], secret text) RETURNS integer
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
	DELETE FROM idempotency_keys WHERE registration_id = ANY (ids);
	RETURN n;
END
$$;
