"""leerkansctl migrate (API.md section 8): versioned migrations and the
function files of migrations/functions/, re-applied whenever they change;
upgrading a database of the old layout, whose functions the versioned
migrations made; and /readyz telling a database whose functions are not
this build's."""

import os
import re

import pytest

import harness
from harness import TOP, assert_json, clean_env, describe, run_ctl, unique

OLD_LAYOUT = os.path.join(TOP, "tests", "data", "old-layout.sql")


def new_database(pg):
    name = "m_" + unique("db").replace("-", "_")
    pg.create_database(name)
    return name


def ctl_env(pg, dbname):
    return clean_env(LEERKANS_DATABASE_URL=pg.dsn(dbname))


def migrate(pg, dbname, *args, check=True):
    return run_ctl("migrate", *args, env=ctl_env(pg, dbname), check=check)


def schema_dump(pg, dbname):
    """pg_dump --schema-only, without the random \\restrict key."""
    proc = pg._pg(["pg_dump", "--schema-only", "-h", pg.sockdir,
                   "-p", str(pg.port), "-U", "postgres", dbname])
    return "\n".join(line for line in proc.stdout.decode().splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict")))


def lk_functions(pg, dbname):
    return {r[0] for r in pg.psql(
        "SELECT oid::regprocedure::text FROM pg_proc"
        " WHERE proname LIKE 'lk\\_%'", dbname=dbname)}


def test_an_old_layout_database_is_upgraded_in_place(pg, start_daemon,
                                                      issued_tokens):
    db = new_database(pg)
    with open(OLD_LAYOUT) as f:
        pg.psql(f.read(), dbname=db)
    # the old layout carries 1..6 and its own functions, no function files
    assert "pending functions/00_base.sql" in migrate(pg, db, "--status").stdout
    # registrations of then: a name, and one erased
    pg.psql("INSERT INTO events (slug, kind, title, starts_at, ends_at)"
            " VALUES ('oud', 'network-event', 'Oud', now(), now() + '1h');"
            " INSERT INTO registrations (event_id, token_hash, status, name,"
            " email, email_norm, role, organisation_type, consented_at)"
            " SELECT id, sha256(convert_to(coalesce(x, 'erased'), 'UTF8')),"
            " 'confirmed', x, NULL,"
            " NULL, 'employer', 'sme', now() FROM events,"
            " unnest(ARRAY['An Van den Bossche', NULL]) AS x"
            " WHERE slug = 'oud'", dbname=db)

    first = migrate(pg, db)
    assert re.match(r"applied \d+ migrations?; schema at version \d+",
                    first.stdout), first.stdout
    assert "applied 0007_names.sql" in first.stderr
    assert "applied functions/20_registrations.sql" in first.stderr
    # a name kept whole, as the given name; the erased one stays empty
    assert pg.psql("SELECT name, given_name, family_name, family_name IS NULL"
                   " FROM registrations ORDER BY id", dbname=db) == \
        [["An Van den Bossche", "An Van den Bossche", "", "f"], ["", "", "", "t"]]
    assert migrate(pg, db).stdout.startswith("schema is up to date")
    # the same schema as a database made new by this build, to the byte
    assert schema_dump(pg, db) == schema_dump(pg, "leerkans")

    tok = run_ctl("token", "create", unique("org"),
                  env=ctl_env(pg, db)).stdout.strip()
    issued_tokens.append(tok)
    d = start_daemon(dbname=db)
    assert_json(d.get("/readyz"), 200)
    ev = d.post("/api/v1/events", token=tok, json=harness.event_body())
    assert ev.status_code == 201, describe(ev)
    slug = ev.json()["slug"]
    r = d.post("/api/v1/events/%s/registrations" % slug, json={
        "name": "An Peeters", "email": unique("p") + "@example.be",
        "role": "employer", "organisation_type": "sme",
        "consent": {"privacy": True}}, headers={"Idempotency-Key": unique("k")})
    reg = assert_json(r, 201)
    assert reg["status"] == "confirmed"
    feed = d.get(reg["calendar_url"])
    assert feed.status_code == 200, describe(feed)
    assert "BEGIN:VEVENT" in feed.text and "STATUS:CONFIRMED" in feed.text
    # the feeds' triggers came back with the function files
    r = d.patch("/api/v1/events/" + slug, token=tok,
                json={"title": "Een nieuwe titel"})
    assert r.status_code == 200, describe(r)
    harness.wait_until(lambda: "Een nieuwe titel" in
                       d.get("/events/%s.ics" % slug).text, timeout=5,
                       what="the event feed to show the new title")


def test_a_server_without_the_dutch_collation_is_refused_clearly(pg):
    """0007_names.sql sorts names with ICU's nl-BE: without it, migrate
    stops there, says why, and changes nothing."""
    db = new_database(pg)
    pg.psql('ALTER COLLATION pg_catalog."nl-BE-x-icu" RENAME TO "nl-BE-hidden"',
            dbname=db)
    out = migrate(pg, db, check=False)
    assert out.returncode == 1, out
    assert "migrations/0007_names.sql" in out.stderr, out.stderr
    assert 'the ICU collation "nl-BE-x-icu" is missing' in out.stderr, out.stderr
    assert "CREATE COLLATION" in out.stderr, "says what to do"
    assert pg.psql("SELECT count(*) FROM pg_tables WHERE tablename ="
                   " 'registrations'", dbname=db) == [["0"]]
    # made as the message says, it is enough
    pg.psql('CREATE COLLATION "nl-BE-x-icu" (provider = icu, locale = \'nl-BE\')',
            dbname=db)
    assert re.match(r"applied \d+ migrations", migrate(pg, db).stdout)


def test_a_changed_function_file_is_applied_again(pg, start_daemon):
    db = new_database(pg)
    migrate(pg, db)
    before = lk_functions(pg, db)
    d = start_daemon(dbname=db)
    assert_json(d.get("/readyz"), 200)

    # what an older set left: a function since renamed or given other
    # arguments, and a file whose text has changed since
    pg.psql("CREATE FUNCTION lk_gone(integer) RETURNS integer"
            " LANGUAGE sql AS 'SELECT 1';"
            " UPDATE schema_functions SET checksum = 'old'"
            " WHERE name = '30_feeds.sql'", dbname=db)
    r = d.get("/readyz")
    assert r.status_code == 503, describe(r)
    assert "functions" in r.json()["detail"], r.json()
    assert "changed functions/30_feeds.sql" in migrate(pg, db, "--status").stdout

    out = migrate(pg, db)
    assert out.stdout.startswith("applied the functions"), out.stdout
    assert lk_functions(pg, db) == before
    assert migrate(pg, db).stdout.startswith("schema is up to date")
    assert_json(d.get("/readyz"), 200)


def test_migrate_keeps_what_the_stored_schema_needs(pg):
    db = new_database(pg)
    migrate(pg, db)
    pg.psql("CREATE INDEX registrations_org_norm ON registrations"
            " (lk_organisation_norm(organisation));"
            " UPDATE schema_functions SET checksum = 'old'"
            " WHERE name = '00_base.sql'", dbname=db)
    before = lk_functions(pg, db)

    out = migrate(pg, db, check=False)
    assert out.returncode == 1, out
    assert re.search(r"index registrations_org_norm needs lk_organisation_norm\(",
                     out.stderr), out.stderr
    assert "the database is as it was before" in out.stderr
    assert lk_functions(pg, db) == before
    assert pg.psql("SELECT count(*) FROM pg_indexes"
                   " WHERE indexname = 'registrations_org_norm'", dbname=db) == [["1"]]


def test_a_failed_migrate_changes_nothing(pg):
    db = new_database(pg)
    migrate(pg, db)
    # two migrations the database has not recorded: 0002 (a comment)
    # goes through, 0006 fails, since its column is gone already
    pg.psql("DELETE FROM schema_migrations WHERE version IN (2, 6);"
            " UPDATE schema_functions SET checksum = 'old'"
            " WHERE name = '20_registrations.sql'", dbname=db)
    versions = pg.psql("SELECT version FROM schema_migrations ORDER BY 1",
                       dbname=db)
    assert versions[:4] == [["1"], ["3"], ["4"], ["5"]], versions
    before = (lk_functions(pg, db), schema_dump(pg, db))

    out = migrate(pg, db, check=False)
    assert out.returncode == 1, out
    assert "migrations/0006_idempotency_sealed.sql" in out.stderr
    assert "leerkansctl: applied" not in out.stderr, out.stderr
    assert pg.psql("SELECT version FROM schema_migrations ORDER BY 1",
                   dbname=db) == versions
    assert (lk_functions(pg, db), schema_dump(pg, db)) == before
