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

    first = migrate(pg, db)
    # the functions, and any migration numbered after the old layout's 6
    assert re.match(r"applied (the functions|\d+ migrations?); schema at "
                    r"version", first.stdout), first.stdout
    assert "applied functions/20_registrations.sql" in first.stderr
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
    pg.psql("CREATE INDEX events_local_start ON events"
            " (lk_ts(starts_at, timezone));"
            " UPDATE schema_functions SET checksum = 'old'"
            " WHERE name = '00_base.sql'", dbname=db)
    before = lk_functions(pg, db)

    out = migrate(pg, db, check=False)
    assert out.returncode == 1, out
    assert re.search(r"index events_local_start needs lk_ts\(", out.stderr), \
        out.stderr
    assert "the database is as it was before" in out.stderr
    assert lk_functions(pg, db) == before
    assert pg.psql("SELECT count(*) FROM pg_indexes"
                   " WHERE indexname = 'events_local_start'", dbname=db) == [["1"]]


def test_a_failed_migrate_changes_nothing(pg):
    db = new_database(pg)
    migrate(pg, db)
    # two migrations the database has not recorded: 0002 (a comment)
    # goes through, 0006 fails, since its column is gone already
    pg.psql("DELETE FROM schema_migrations WHERE version IN (2, 6);"
            " UPDATE schema_functions SET checksum = 'old'"
            " WHERE name = '20_registrations.sql'", dbname=db)
    before = (lk_functions(pg, db), schema_dump(pg, db))
    recorded = pg.psql("SELECT version FROM schema_migrations ORDER BY 1",
                       dbname=db)

    out = migrate(pg, db, check=False)
    assert out.returncode == 1, out
    assert "migrations/0006_idempotency_sealed.sql" in out.stderr
    assert "leerkansctl: applied" not in out.stderr, out.stderr
    assert ["2"] not in recorded and ["6"] not in recorded
    assert pg.psql("SELECT version FROM schema_migrations ORDER BY 1",
                   dbname=db) == recorded
    assert (lk_functions(pg, db), schema_dump(pg, db)) == before
