-- 0003_registrations.sql - registrations, their session choices, the
-- waiting lists and idempotency keys.
--
-- Seats are counted on the event and session rows (confirmed_count,
-- waitlist_count) and changed only by the registration functions
-- (functions/20_registrations.sql), which lock the event row first.
--
-- A session choice is 'confirmed' (holds a session seat), 'waitlisted'
-- (waits for one), 'pending' (the registration itself waits for an event
-- seat; the choice is weighed when it gets one) or 'cancelled'.

CREATE TABLE registrations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events (id),
	token_hash	bytea NOT NULL UNIQUE,	-- sha256 of the manage token
	status		text NOT NULL
			CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
	name		text,
	email		text,
	email_norm	text,			-- lower case, for duplicates
	organisation	text,
	enterprise_number text CHECK (enterprise_number ~ '^[01][0-9]{9}$'),
	role		text NOT NULL CHECK (role IN ('employer', 'employee',
			    'job-seeker', 'intermediary', 'training-provider',
			    'student', 'citizen', 'other')),
	organisation_type text NOT NULL CHECK (organisation_type IN ('sme',
			    'large-company', 'intermediary', 'education',
			    'government', 'non-profit', 'none')),
	postcode	text CHECK (postcode ~ '^[1-9][0-9]{3}$'),
	language	text NOT NULL DEFAULT 'nl'
			CHECK (language IN ('nl', 'en', 'fr')),
	source		text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'web')),
	consented_at	timestamptz NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz,
	cancelled_at	timestamptz,
	checked_in_at	timestamptz
);

CREATE UNIQUE INDEX registrations_one_active
	ON registrations (event_id, email_norm) WHERE status <> 'cancelled';
CREATE INDEX registrations_waitlist
	ON registrations (event_id, id) WHERE status = 'waitlisted';

CREATE TABLE registration_sessions (
	registration_id	bigint NOT NULL REFERENCES registrations (id)
			ON DELETE CASCADE,
	session_id	bigint NOT NULL REFERENCES sessions (id),
	status		text NOT NULL CHECK (status IN ('confirmed',
			    'waitlisted', 'pending', 'cancelled')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (registration_id, session_id)
);

CREATE INDEX registration_sessions_session
	ON registration_sessions (session_id, registration_id);

CREATE TABLE idempotency_keys (
	key		text PRIMARY KEY,
	request_hash	bytea NOT NULL,
	response	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
