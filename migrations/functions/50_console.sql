-- 50_console.sql - the organiser console (/beheer/, API.md section 10):
-- accounts, sessions, scoped API tokens, the audit log, and the
-- documents the console's pages are drawn from.  Tables: 0009_console.sql;
-- the design: docs/CONSOLE.md.
--
-- Who acted is passed in as (actor, actor_id): a console user's id
-- (their e-mail address is then taken from users), or NULL and a name
-- for leerkansctl ("leerkansctl (root)").  Passwords never come here,
-- only their Argon2id hashes; tokens come in clear once, to be hashed.

-- An audit log entry; actor_id's address when it names a user.
CREATE FUNCTION lk_audit(actor text, actor_id bigint, action_in text,
    detail jsonb) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO audit_log (actor, user_id, action, detail)
	VALUES (coalesce((SELECT u.email FROM users u WHERE u.id = actor_id),
	    actor), actor_id, action_in, coalesce(detail, '{}'))
$$;

-- -- accounts ---------------------------------------------------------------

-- A user as the pages and leerkansctl show one: never the hash.
CREATE FUNCTION lk_user_json(u users) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', u.id, 'email', u.email, 'role', u.role,
	    'disabled', u.disabled_at IS NOT NULL,
	    'disabled_at', lk_ts(u.disabled_at, 'Europe/Brussels'),
	    'created_at', lk_ts(u.created_at, 'Europe/Brussels'),
	    'last_login_at', lk_ts(u.last_login_at, 'Europe/Brussels'))
$$;

CREATE FUNCTION lk_users() RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('users', coalesce(json_agg(lk_user_json(u)
	    ORDER BY u.disabled_at IS NOT NULL, u.email), '[]'::json))
	FROM users u
$$;

-- The id of the account email_in (as account_email_normalize leaves
-- it), for leerkansctl, which names accounts by address.
CREATE FUNCTION lk_user_id(email_in text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
	id_out bigint;
BEGIN
	SELECT u.id INTO id_out FROM users u WHERE u.email = email_in;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'user-not-found',
		    'There is no account with this e-mail address.');
	END IF;
	RETURN id_out;
END
$$;

-- A new account.  errs holds what the daemon or leerkansctl found wrong
-- (address, role, password); an address in use is added here.  hash is
-- NULL when errs is not empty: nothing is written then.
CREATE FUNCTION lk_user_create(email_in text, role_in text, hash text,
    errs jsonb, actor text, actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	u users;
BEGIN
	IF EXISTS (SELECT 1 FROM users WHERE email = email_in) THEN
		errs := errs || lk_field_error('email',
		    'an account with this e-mail address exists already',
		    'duplicate');
		IF jsonb_array_length(errs) = 1 THEN
			PERFORM lk_fail(409, 'user-exists',
			    'An account with this e-mail address exists already.',
			    errs);
		END IF;
	END IF;
	IF jsonb_array_length(errs) > 0 OR hash IS NULL THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;
	INSERT INTO users (email, role, password_hash)
	VALUES (email_in, role_in, hash)
	RETURNING * INTO u;
	PERFORM lk_audit(actor, actor_id, 'user-create',
	    jsonb_build_object('user_id', u.id, 'email', u.email,
		'role', u.role));
	RETURN lk_user_json(u);
EXCEPTION WHEN unique_violation THEN
	-- the same address added at the same moment
	PERFORM lk_fail(409, 'user-exists',
	    'An account with this e-mail address exists already.',
	    lk_field_error('email', 'an account with this e-mail address '
		'exists already', 'duplicate'));
	RETURN NULL;
END
$$;

-- Changes an account: p holds any of "role", "disabled" (true or false)
-- and "password_hash".  Disabling and a new password end the account's
-- sessions.  Refused: the last active admin losing that (409
-- last-admin), and a console user disabling or demoting themselves (409
-- own-account: another admin does that, so nobody locks themselves out
-- by a slip).
CREATE FUNCTION lk_user_update(id_in bigint, p jsonb, actor text,
    actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	u users;
	n users;
	detail jsonb;
BEGIN
	-- every active admin is locked, so two admins demoting each other
	-- at once cannot leave none
	PERFORM 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL
	ORDER BY id FOR UPDATE;
	SELECT * INTO u FROM users WHERE id = id_in FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'user-not-found', 'There is no such account.');
	END IF;
	n := u;
	IF p ? 'role' THEN
		n.role := p->>'role';
	END IF;
	IF p ? 'disabled' THEN
		n.disabled_at := CASE WHEN (p->>'disabled')::boolean
		    THEN coalesce(u.disabled_at, now()) END;
	END IF;
	IF p ? 'password_hash' THEN
		n.password_hash := p->>'password_hash';
	END IF;
	IF actor_id = u.id AND (n.role IS DISTINCT FROM u.role OR
	    n.disabled_at IS NOT NULL) THEN
		PERFORM lk_fail(409, 'own-account',
		    'You cannot disable your own account or change its role; '
		    'ask another admin.');
	END IF;
	IF u.role = 'admin' AND u.disabled_at IS NULL AND
	    (n.role <> 'admin' OR n.disabled_at IS NOT NULL) AND NOT EXISTS (
	    SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL
	    AND id <> u.id) THEN
		PERFORM lk_fail(409, 'last-admin',
		    'This is the last active admin; make another admin first.');
	END IF;
	UPDATE users SET role = n.role, disabled_at = n.disabled_at,
	    password_hash = n.password_hash, updated_at = now()
	WHERE id = u.id
	RETURNING * INTO n;
	detail := jsonb_build_object('user_id', u.id, 'email', u.email);
	IF n.role <> u.role THEN
		PERFORM lk_audit(actor, actor_id, 'user-role', detail ||
		    jsonb_build_object('from', u.role, 'to', n.role));
	END IF;
	IF (n.disabled_at IS NULL) <> (u.disabled_at IS NULL) THEN
		PERFORM lk_audit(actor, actor_id, CASE WHEN n.disabled_at IS NULL
		    THEN 'user-enable' ELSE 'user-disable' END, detail);
	END IF;
	IF n.password_hash <> u.password_hash THEN
		PERFORM lk_audit(actor, actor_id, 'user-password', detail);
	END IF;
	IF n.disabled_at IS NOT NULL OR n.password_hash <> u.password_hash THEN
		DELETE FROM user_sessions WHERE user_id = u.id;
	END IF;
	RETURN lk_user_json(n);
END
$$;

-- -- sessions ---------------------------------------------------------------

-- Signs a user in, once the daemon checked the password: the browser's
-- session before (old_token, may be NULL) ends, so a session fixed by
-- someone else before the login is worth nothing after it (a new token
-- every time); sessions past their time go; the new one holds token's
-- sha256.  rehash, when not NULL, replaces the password's hash (made
-- with today's cost).  NULL: the account was disabled meanwhile.
CREATE FUNCTION lk_login(id_in bigint, token text, old_token text,
    idle integer, lifetime integer, rehash text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	u users;
BEGIN
	SELECT * INTO u FROM users WHERE id = id_in AND disabled_at IS NULL
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF old_token IS NOT NULL THEN
		DELETE FROM user_sessions
		WHERE token_hash = sha256(convert_to(old_token, 'UTF8'));
	END IF;
	DELETE FROM user_sessions WHERE expires_at <= now()
	    OR seen_at <= now() - make_interval(secs => idle);
	INSERT INTO user_sessions (token_hash, user_id, expires_at)
	VALUES (sha256(convert_to(token, 'UTF8')), u.id,
	    now() + make_interval(secs => lifetime));
	UPDATE users SET last_login_at = now(),
	    password_hash = coalesce(rehash, password_hash)
	WHERE id = u.id;
	PERFORM lk_audit(NULL, u.id, 'login', NULL);
	RETURN json_build_object('id', u.id, 'email', u.email, 'role', u.role);
END
$$;

-- A failed login: of the account id_in, or (NULL) of no account.  What
-- was typed is never recorded: a password typed into the address field
-- would end up in the log.
CREATE FUNCTION lk_login_failed(id_in bigint) RETURNS void
LANGUAGE sql AS $$
	SELECT lk_audit('beheer', (SELECT u.id FROM users u WHERE u.id = id_in),
	    'login-failed', NULL)
$$;

-- The user of a session, or NULL when there is none: unknown, past its
-- absolute lifetime, idle for idle seconds, or its user disabled.  An
-- ended session's row goes.  seen_at moves at most once a minute, so a
-- page view is not a write each time.
CREATE FUNCTION lk_session(token text, idle integer) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	s user_sessions;
	u users;
BEGIN
	SELECT * INTO s FROM user_sessions
	WHERE token_hash = sha256(convert_to(token, 'UTF8'));
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM users WHERE id = s.user_id AND disabled_at IS NULL;
	IF NOT FOUND OR s.expires_at <= now() OR
	    s.seen_at <= now() - make_interval(secs => idle) THEN
		DELETE FROM user_sessions WHERE id = s.id;
		RETURN NULL;
	END IF;
	IF s.seen_at < now() - interval '1 minute' THEN
		UPDATE user_sessions SET seen_at = now() WHERE id = s.id;
	END IF;
	RETURN json_build_object('id', u.id, 'email', u.email, 'role', u.role);
END
$$;

-- Ends a session (logout): the row goes, so the same cookie is worth
-- nothing afterwards.  The user's id, or NULL when there was none.
CREATE FUNCTION lk_logout(token text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	uid bigint;
BEGIN
	DELETE FROM user_sessions
	WHERE token_hash = sha256(convert_to(token, 'UTF8'))
	RETURNING user_id INTO uid;
	IF uid IS NOT NULL THEN
		PERFORM lk_audit(NULL, uid, 'logout', NULL);
	END IF;
	RETURN uid;
END
$$;

-- -- API tokens -------------------------------------------------------------

CREATE FUNCTION lk_token_json(t organiser_tokens) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', t.id, 'name', t.name, 'scope', t.scope,
	    'created_at', lk_ts(t.created_at, 'Europe/Brussels'),
	    'revoked_at', lk_ts(t.revoked_at, 'Europe/Brussels'))
$$;

CREATE FUNCTION lk_tokens() RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('tokens', coalesce(json_agg(lk_token_json(t)
	    ORDER BY t.revoked_at IS NOT NULL, t.name), '[]'::json))
	FROM organiser_tokens t
$$;

-- A new token under name_in, stored as its sha256.  A name whose token
-- was revoked is given the new one; a name with a token in use is
-- refused (409 token-exists).  errs: what the caller found wrong.
CREATE FUNCTION lk_token_create(name_in text, token text, scope_in text,
    errs jsonb, actor text, actor_id bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	t organiser_tokens;
BEGIN
	IF EXISTS (SELECT 1 FROM organiser_tokens WHERE name = name_in
	    AND revoked_at IS NULL) THEN
		errs := errs || lk_field_error('name',
		    'a token with this name is in use; revoke it first',
		    'duplicate');
		IF jsonb_array_length(errs) = 1 THEN
			PERFORM lk_fail(409, 'token-exists',
			    'A token with this name is in use; revoke it first.',
			    errs);
		END IF;
	END IF;
	IF jsonb_array_length(errs) > 0 THEN
		PERFORM lk_fail(422, 'validation-failed',
		    'The request has invalid fields.', errs);
	END IF;
	INSERT INTO organiser_tokens (name, token_hash, scope)
	VALUES (name_in, sha256(convert_to(token, 'UTF8')), scope_in)
	ON CONFLICT (name) DO UPDATE
	SET token_hash = excluded.token_hash, scope = excluded.scope,
	    created_at = now(), revoked_at = NULL
	WHERE organiser_tokens.revoked_at IS NOT NULL
	RETURNING * INTO t;
	IF NOT FOUND THEN
		-- made by someone else since the check above
		PERFORM lk_fail(409, 'token-exists',
		    'A token with this name is in use; revoke it first.',
		    lk_field_error('name', 'a token with this name is in use; '
			'revoke it first', 'duplicate'));
	END IF;
	PERFORM lk_audit(actor, actor_id, 'token-create',
	    jsonb_build_object('token', t.name, 'scope', t.scope));
	RETURN lk_token_json(t);
END
$$;

-- Revokes the token id_in (NULL: no such token, as leerkansctl finds
-- none by its name).
CREATE FUNCTION lk_token_revoke(id_in bigint, actor text, actor_id bigint)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	t organiser_tokens;
BEGIN
	UPDATE organiser_tokens SET revoked_at = now()
	WHERE id = id_in AND revoked_at IS NULL
	RETURNING * INTO t;
	IF NOT FOUND THEN
		PERFORM lk_fail(404, 'token-not-found',
		    'There is no token in use by that name.');
	END IF;
	PERFORM lk_audit(actor, actor_id, 'token-revoke',
	    jsonb_build_object('token', t.name, 'scope', t.scope));
	RETURN lk_token_json(t);
END
$$;

-- -- the audit log ----------------------------------------------------------

-- One page of the audit log, newest first: n entries of action_in (NULL:
-- every action) older than before_in (NULL: from the newest), and the id
-- to ask for the next page with (NULL: this is the last).
CREATE FUNCTION lk_audit_page(action_in text, before_in bigint, n integer)
RETURNS json
LANGUAGE sql STABLE AS $$
	WITH page AS (
		SELECT a.* FROM audit_log a
		WHERE (action_in IS NULL OR a.action = action_in)
		  AND (before_in IS NULL OR a.id < before_in)
		ORDER BY a.id DESC
		LIMIT n + 1
	)
	SELECT json_build_object(
	    'action', action_in,
	    'entries', coalesce((SELECT json_agg(json_build_object('id', p.id,
		'at', lk_ts(p.at, 'Europe/Brussels'), 'actor', p.actor,
		'action', p.action, 'event', p.event_slug, 'detail', p.detail)
		ORDER BY p.id DESC) FROM (SELECT * FROM page ORDER BY id DESC
		LIMIT n) p), '[]'::json),
	    'next_before', (SELECT min(p.id) FROM (SELECT id FROM page
		ORDER BY id DESC LIMIT n) p
		WHERE (SELECT count(*) FROM page) > n))
$$;

-- -- the console's pages ----------------------------------------------------

-- One event's line on the dashboard: when, where, its status and counts.
CREATE FUNCTION lk_console_event_line(e events) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('slug', e.slug, 'kind', e.kind,
	    'title', e.title, 'language', e.language, 'status', e.status,
	    'starts_at', lk_ts(e.starts_at, e.timezone),
	    'ends_at', lk_ts(e.ends_at, e.timezone),
	    'city', e.venue_city, 'online', e.online_url IS NOT NULL,
	    'capacity', e.capacity, 'confirmed', e.confirmed_count,
	    'waitlisted', e.waitlist_count,
	    'checked_in', (SELECT count(*) FROM registrations r
		WHERE r.event_id = e.id AND r.status = 'confirmed'
		  AND r.checked_in_at IS NOT NULL))
$$;

-- The dashboard of GET /beheer/: for organisers and admins the events
-- to come (published and cancelled, soonest first), every draft, and
-- the events that ended in the last `weeks` weeks (latest first); for
-- the door only today's published events (the day in Brussels), since
-- that is all it may check people in for.
CREATE FUNCTION lk_console_dashboard(role_in text, weeks integer)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('now', now(), 'role', role_in,
	    'weeks', weeks,
	    'kinds', (SELECT json_object_agg(k.slug, json_build_object(
		'nl', k.title_nl, 'en', k.title_en)) FROM event_kinds k),
	    'upcoming', coalesce((SELECT json_agg(lk_console_event_line(e)
		ORDER BY e.starts_at, e.id) FROM events e
		WHERE e.status <> 'draft' AND e.ends_at > now()
		  AND (role_in <> 'door' OR (e.status = 'published' AND
		    (e.starts_at AT TIME ZONE 'Europe/Brussels')::date <=
		    (now() AT TIME ZONE 'Europe/Brussels')::date))),
		'[]'::json),
	    'drafts', coalesce((SELECT json_agg(lk_console_event_line(e)
		ORDER BY e.starts_at, e.id) FROM events e
		WHERE e.status = 'draft' AND role_in <> 'door'), '[]'::json),
	    'past', coalesce((SELECT json_agg(lk_console_event_line(e)
		ORDER BY e.ends_at DESC, e.id) FROM events e
		WHERE e.status <> 'draft' AND e.ends_at <= now()
		  AND e.ends_at > now() - make_interval(weeks => weeks)
		  AND role_in <> 'door'), '[]'::json))
$$;

-- GET /beheer/events/{slug}: the event as the API shows it, its kind's
-- names, and what the organiser counts: registrations by status and
-- who came, for the event and each session.  NULL: no such event.
CREATE FUNCTION lk_console_event(slug_in text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('now', now(),
	    'kind', json_build_object('nl', k.title_nl, 'en', k.title_en),
	    'event', lk_event_json(e),
	    'counts', (SELECT json_build_object(
		'confirmed', count(*) FILTER (WHERE r.status = 'confirmed'),
		'waitlisted', count(*) FILTER (WHERE r.status = 'waitlisted'),
		'cancelled', count(*) FILTER (WHERE r.status = 'cancelled'),
		'checked_in', count(*) FILTER (WHERE r.status = 'confirmed'
		    AND r.checked_in_at IS NOT NULL))
		FROM registrations r WHERE r.event_id = e.id),
	    'sessions', coalesce((SELECT json_object_agg(s.slug,
		json_build_object('confirmed', s.confirmed_count,
		    'waitlisted', s.waitlist_count,
		    'checked_in', (SELECT count(*) FROM registration_sessions rs
			JOIN registrations r ON r.id = rs.registration_id
			WHERE rs.session_id = s.id AND rs.status = 'confirmed'
			  AND r.status = 'confirmed'
			  AND r.checked_in_at IS NOT NULL)))
		FROM sessions s WHERE s.event_id = e.id), '{}'::json))
	FROM events e JOIN event_kinds k ON k.slug = e.kind
	WHERE e.slug = slug_in
$$;
