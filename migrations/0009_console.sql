-- 0009_console.sql - the organiser console's accounts and sessions, the
-- scope of API tokens and the audit log's new acts (API.md section 10).
-- The functions that use them are in functions/50_console.sql; how it
-- all fits is docs/CONSOLE.md.

-- A person who uses /beheer/.  The login is the e-mail address, as
-- account_email_normalize() leaves it (trimmed, ASCII in lower case:
-- lower() would depend on the database's locale);
-- the password is kept only as an Argon2id hash in libsodium's encoded
-- form, which carries its salt and cost.  Accounts are disabled, never
-- deleted, so that the audit log keeps saying who did what.
CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		text NOT NULL UNIQUE
			CHECK (email !~ '[A-Z]' AND length(email) <= 254
			    AND email LIKE '_%@_%'),
	role		text NOT NULL
			CHECK (role IN ('admin', 'organiser', 'door')),
	password_hash	text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	disabled_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	last_login_at	timestamptz
);

-- One signed-in browser.  The token (256 random bits, in the cookie) is
-- kept only as its sha256, as organiser and manage tokens are: a copy of
-- the database signs nobody in.  A session ends at logout (the row is
-- deleted), after the idle timeout since seen_at, at expires_at (the
-- absolute lifetime, fixed at login), or when its user is disabled or
-- given a new password (the rows go).
CREATE TABLE user_sessions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash	bytea NOT NULL UNIQUE,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	seen_at		timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);

CREATE INDEX user_sessions_user ON user_sessions (user_id);
CREATE INDEX user_sessions_expires ON user_sessions (expires_at);

-- What an API token may do: organiser (everything an organiser token
-- could do so far) or door (only check people in).
ALTER TABLE organiser_tokens
	ADD COLUMN scope text NOT NULL DEFAULT 'organiser'
	    CHECK (scope IN ('organiser', 'door'));

-- The console's acts in the audit log, and who did them: user_id for a
-- console user (NULL for a failed login of no known account, and for
-- tokens and leerkansctl, which name themselves in actor).  A failed
-- login never records what was typed.
ALTER TABLE audit_log
	DROP CONSTRAINT audit_log_action_check,
	ADD CONSTRAINT audit_log_action_check CHECK (action IN ('export',
	    'erasure', 'purge', 'login', 'login-failed', 'logout',
	    'user-create', 'user-disable', 'user-enable', 'user-role',
	    'user-password', 'token-create', 'token-revoke')),
	ADD COLUMN user_id bigint REFERENCES users (id);

-- the audit page reads newest first, by action or all of them
CREATE INDEX audit_log_action ON audit_log (action, id);
