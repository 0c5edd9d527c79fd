-- 0014_door.sql - check-in at the door (API.md section 10): each
-- registration's check-in code, and what the door's name search needs.
-- The functions that use them are in functions/80_door.sql; how it fits
-- is docs/CONSOLE.md ("The door").
--
-- The check-in code is 144 random bits in base64url (24 characters),
-- made by the database for every registration, old ones included.  It
-- is shown as a QR code on the registrant's page (and, later, in the
-- mails) for /beheer/c/{code}; that address checks the person in only
-- for a logged-in door or organiser account, so the code alone opens
-- nothing.  It is kept as it is (not hashed like the manage token)
-- because the registrant's page must draw it again; it is never logged
-- (the route names it :token, which the access log masks).
-- Erasure leaves it: it names nobody once the name is gone.

ALTER TABLE registrations
	ADD COLUMN checkin_code text NOT NULL
	    DEFAULT rtrim(translate(encode(gen_random_bytes(18), 'base64'),
		'+/', '-_'), '=')
	    CHECK (checkin_code ~ '^[A-Za-z0-9_-]{24}$');

CREATE UNIQUE INDEX registrations_checkin_code
	ON registrations (checkin_code);

-- The door's search: a few letters of a name, whatever their accents
-- and case ("elia" finds Éliaerts).  unaccent() is contrib's, in the
-- same package as pgcrypto.
CREATE EXTENSION IF NOT EXISTS unaccent;
