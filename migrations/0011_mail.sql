-- 0011_mail.sql - the mail outbox (API.md section 9).
--
-- Every change a registrant must hear of writes one small row here, in
-- the transaction of the change itself (the triggers of
-- functions/60_mail.sql; a new registration sets registrations.mail_new
-- instead, see below); leerkansd's sender claims rows, renders each
-- mail from the data as it is then, sends it and marks it.  A row holds
-- no address, name or text: only the registration, the kind of mail and
-- a few facts.  Rows go with their registration (a trigger on its
-- delete), and erasure deletes the ones not yet sent (another trigger).
--
-- The registrant's manage token is kept as a hash only, but every mail
-- carries the /r/{token} link, the "send me my links" mail those of every
-- registration of an address: registrations.token_sealed holds the token
-- encrypted (AES-256-CBC, pgcrypto) under mail_key.key, a random key made
-- here.  Erasure and the retention purge clear it.

ALTER TABLE registrations ADD COLUMN token_sealed bytea;

-- A new registration's confirmation is not an outbox row but this flag:
-- true from the INSERT (the default: every way of registering sets it),
-- cleared by the sender's claim, which writes the outbox row then
-- (lk_mail_claim).  An outbox row written by a trigger ran under the
-- event's lock, in every registration: 17% of the registrations a
-- second; the flag costs one entry in a small partial index
-- (docs/PERFORMANCE.md).  Registrations made before this migration are
-- NULL: nobody is mailed about them.
ALTER TABLE registrations ADD COLUMN mail_new boolean;
ALTER TABLE registrations ALTER COLUMN mail_new SET DEFAULT true;
CREATE INDEX registrations_mail_new ON registrations (id) WHERE mail_new;

CREATE TABLE mail_key (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	key		bytea NOT NULL DEFAULT gen_random_bytes(32)
);
INSERT INTO mail_key DEFAULT VALUES;

CREATE TABLE mail_outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- the registration; deleting it deletes its mails (a trigger, not a
	-- foreign key: the key's check cost every registration a tenth of
	-- its time under the event's lock, docs/PERFORMANCE.md)
	registration_id	bigint NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('registered', 'promoted',
			    'cancelled', 'changed', 'event-cancelled',
			    'reminder', 'links')),
	facts		jsonb,		-- {"by": "organiser"}, {"what": ...}
	once_key	text,		-- a mail that may exist once (reminders)
	status		text NOT NULL DEFAULT 'queued'
			CHECK (status IN ('queued', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	due_at		timestamptz NOT NULL DEFAULT now(),
	lease_until	timestamptz,	-- claimed by a sender until then
	last_error	text,		-- an SMTP code or a curl error, no text
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);

CREATE UNIQUE INDEX mail_outbox_once ON mail_outbox (once_key)
	WHERE once_key IS NOT NULL;
CREATE INDEX mail_outbox_due ON mail_outbox (due_at, id)
	WHERE status = 'queued';
CREATE INDEX mail_outbox_registration ON mail_outbox (registration_id);
CREATE INDEX mail_outbox_sent ON mail_outbox (sent_at)
	WHERE status = 'sent';
