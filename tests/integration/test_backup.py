"""Backup and restore, as the README's operations section says: pg_dump -Fc
of a database with events, sessions and registrations (confirmed,
waitlisted, cancelled, checked in, erased), pg_restore into a new
database of another cluster, leerkansctl migrate (nothing to do), a
daemon on it: the same feeds, byte for byte, the same personal feed and
the same attendee exports and reach report."""

import os

from conftest import ctl_env_for
from harness import (YEAR, PgCluster, assert_json, describe, event_body, run_ctl,
                     session_body, unique)

SECRET = "backup-tests-erasure-secret-0123456789"
# both daemons name themselves the same: feeds carry public_url
PUBLIC_URL = "https://leerkans.example.be"


def register(d, slug, **fields):
    body = {"name": "An Peeters", "email": "%s@example.be" % unique("bk"),
            "organisation": "Bakkerij Peeters bv", "role": "employer",
            "organisation_type": "sme", "postcode": "8900",
            "consent": {"privacy": True}}
    body.update(fields)
    return assert_json(d.post("/api/v1/events/%s/registrations" % slug, json=body), 201)


def snapshot(d, token, slugs, personal):
    """What a daemon answers that must survive a restore: {path: (status,
    ETag, Last-Modified, bytes)}."""
    paths = ["/feeds/events.ics", "/feeds/network-event.ics",
             "/feeds/academy-session.ics", "/api/v1/events?from=2000-01-01"]
    for slug in slugs:
        paths += ["/events/%s.ics" % slug, "/api/v1/events/%s" % slug]
        for fmt in ("csv", "json"):
            paths.append("/api/v1/events/%s/attendees?format=%s&status=all" % (slug, fmt))
    paths += ["/feeds/personal/%s.ics" % t for t in personal]
    paths += ["/api/v1/registrations/%s" % t for t in personal]
    paths.append("/api/v1/stats/reach?year=%d" % YEAR)
    out = {}
    for p in paths:
        r = d.get(p, token=token, headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200, describe(r)
        out[p] = (r.headers.get("ETag"), r.headers.get("Last-Modified"), r.content)
    return out


def test_a_dump_restored_into_a_new_cluster_serves_the_same(own_cluster, start_daemon, workdir):
    env = {"LEERKANS_ERASURE_SECRET": SECRET, "LEERKANS_PUBLIC_URL": PUBLIC_URL}
    a = start_daemon(cluster=own_cluster, env=env)
    ctl_a = ctl_env_for(own_cluster, LEERKANS_ERASURE_SECRET=SECRET)
    token = run_ctl("token", "create", unique("backup"), env=ctl_a).stdout.strip()

    # the data: two events, sessions, every state a registration can have
    net = assert_json(a.post("/api/v1/events", token=token, json=event_body(
        kind="network-event", capacity=2, title="Netwerkevent voorjaar: Samen leren")), 201)
    aca = assert_json(a.post("/api/v1/events", token=token, json=event_body(
        kind="academy-session", capacity=None)), 201)
    ses = assert_json(a.post("/api/v1/events/%s/sessions" % net["slug"], token=token,
                             json=session_body(capacity=1)), 201)
    one = register(a, net["slug"], sessions=[ses["slug"]], postcode="8630")
    two = register(a, net["slug"], sessions=[ses["slug"]], role="intermediary",
                   organisation_type="intermediary", organisation="VDAB Ieper")
    waiting = register(a, net["slug"], role="job-seeker", organisation_type="none",
                       organisation=None)
    gone = register(a, aca["slug"])
    tok = lambda reg: reg["manage_url"].rsplit("/", 1)[-1]
    assert waiting["status"] == "waitlisted"
    assert_json(a.request("DELETE", "/api/v1/registrations/" + tok(gone)), 200)
    own_cluster.psql("UPDATE registrations SET checked_in_at = now() WHERE id = %d"
                     % one["id"])  # check-in is for the event's day only
    erased_email = "%s@example.be" % unique("wis")
    erased = register(a, aca["slug"], email=erased_email, enterprise_number="0203.201.340")
    register(a, aca["slug"], organisation="Firma Claeys nv", postcode="8000")
    assert assert_json(a.post("/api/v1/erasure", token=token,
                              json={"email": erased_email}), 200)["erased"] == 1
    assert_json(a.patch("/api/v1/events/" + aca["slug"], token=token,
                        json={"status": "cancelled"}), 200)

    personal = [tok(one), tok(two), tok(waiting), tok(gone), tok(erased)]
    before = snapshot(a, token, [net["slug"], aca["slug"]], personal)
    assert b"STATUS:CANCELLED" in before["/feeds/events.ics"][2]
    assert before["/feeds/events.ics"][0] is not None

    # backup: pg_dump -Fc, as the README says
    dump = os.path.join(own_cluster.dir, "leerkans.dump")
    own_cluster._pg(["pg_dump", "-Fc", "-h", own_cluster.sockdir, "-p",
                     str(own_cluster.port), "-U", "postgres", "-d", "leerkans",
                     "-f", dump])
    assert os.path.getsize(dump) > 0
    a.stop()

    # restore into a fresh database of another cluster, owned by the
    # service's role, which the daemon then uses (README, Operations)
    other = PgCluster("restore")
    try:
        other.start()
        other.psql("CREATE ROLE leerkans LOGIN", dbname="postgres")
        other.psql('CREATE DATABASE leerkans OWNER leerkans', dbname="postgres")
        other._pg(["pg_restore", "--no-owner", "--role=leerkans", "--exit-on-error",
                   "-h", other.sockdir, "-p", str(other.port), "-U", "postgres",
                   "-d", "leerkans", dump])
        assert other.psql("SELECT DISTINCT tableowner FROM pg_tables "
                          "WHERE schemaname = 'public'") == [["leerkans"]]
        as_leerkans = other.dsn("leerkans").replace("user=postgres", "user=leerkans")
        ctl_b = ctl_env_for(other, LEERKANS_ERASURE_SECRET=SECRET)
        ctl_b["LEERKANS_DATABASE_URL"] = as_leerkans
        migrate = run_ctl("migrate", env=ctl_b)
        assert migrate.stdout.startswith("schema is up to date"), \
            "a restored database of this version needs no migration: %s%s" % (
                migrate.stdout, migrate.stderr)
        b = start_daemon(cluster=other, env=dict(env, LEERKANS_DATABASE_URL=as_leerkans))
        assert b.get("/readyz").status_code == 200
        after = snapshot(b, token, [net["slug"], aca["slug"]], personal)
        for path, (etag, lastmod, body) in before.items():
            got = after[path]
            assert got[2] == body, "%s differs after the restore" % path
            assert got[0] == etag, path
            if path.endswith(".ics"):
                assert got[1] == lastmod, path
        # and it goes on: a registration on the restored database
        register(b, net["slug"])
        b.stop()
    finally:
        other.destroy()
