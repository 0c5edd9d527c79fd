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
-- it in clear, so that erasure finds what to delete (the sealing is in
-- functions/20_registrations.sql).
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
