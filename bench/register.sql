-- register.sql - pgbench: the reference for a registration, the least
-- any registration must do: the conditional UPDATE that takes a seat
-- and the INSERT of one registration row, in one statement (one
-- transaction, one round trip), with a fresh e-mail address and token
-- each time.  eid is the bench event's id (pgbench -D eid=...).  No
-- checks, no answer, no sessions: what lk_register adds to this is what
-- bench/run.sh measures.
\set n random(1, 1000000000)
WITH seat AS (
	UPDATE events SET confirmed_count = confirmed_count + 1
	WHERE id = :eid AND (capacity IS NULL OR confirmed_count < capacity)
	RETURNING id)
INSERT INTO registrations (event_id, token_hash, status, given_name,
    family_name, email, email_norm, organisation, enterprise_number, role,
    organisation_type, postcode, language, source, consented_at,
    confirmed_at)
SELECT seat.id, sha256(convert_to(md5(random()::text) ||
	md5(random()::text), 'UTF8')), 'confirmed', 'Bench', 'Mark',
    'r' || :client_id || '-' || :n || '@example.be',
    'r' || :client_id || '-' || :n || '@example.be', NULL, NULL, 'employee',
    'sme', '8900', 'nl', 'api', now(), now()
FROM seat;
