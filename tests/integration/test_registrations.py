"""Registrations (API.md section 4) against a real leerkansd and PostgreSQL:
validation, capacity and waiting lists under concurrency, idempotency,
cancellation and promotion, rate limits, and no personal data in logs."""

import concurrent.futures
import json
import re
import threading

import pytest

import harness
from harness import assert_json, assert_problem, error_fields, quote_literal, unique


def person(**fields):
    n = unique("p")
    body = {
        "given_name": "An",
        "family_name": "Peeters",
        "email": "%s@example.be" % n,
        "organisation": "Bakkerij Peeters bv",
        "role": "employer",
        "organisation_type": "sme",
        "postcode": "8900",
        "consent": {"privacy": True},
        "language": "nl",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not harness.DROP}


def register(daemon, slug, body, **kw):
    return daemon.post("/api/v1/events/%s/registrations" % slug, json=body, **kw)


def token_of(answer):
    m = re.fullmatch(r"/r/([A-Za-z0-9_-]+)", answer["manage_url"])
    assert m, answer
    return m.group(1)


def count_rows(pg, event_slug, status=None):
    sql = ("SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id"
           " WHERE e.slug = %s" % harness.quote_literal(event_slug))
    if status:
        sql += " AND r.status = %s" % harness.quote_literal(status)
    return int(pg.psql(sql)[0][0])


@pytest.fixture
def event_with_sessions(daemon, token, new_event):
    def make(capacity=30, waitlist=True, sessions=(), **fields):
        ev = new_event(capacity=capacity, waitlist=waitlist, **fields)
        for s in sessions:
            r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                            json=harness.session_body(**s))
            assert r.status_code == 201, harness.describe(r)
        return ev
    return make


def test_register_confirmed_answer_shape(daemon, event_with_sessions):
    ev = event_with_sessions(sessions=[{"slug": "s-a"}])
    r = register(daemon, ev["slug"], person(sessions=["s-a"],
                 enterprise_number="BE 0123.456.749"))
    body = assert_json(r, 201)
    assert body["status"] == "confirmed"
    assert body["waitlist_position"] is None
    assert body["sessions"] == [dict(body["sessions"][0], slug="s-a", status="confirmed")]
    tok = token_of(body)
    assert len(tok) >= 22  # at least 128 random bits in base64url
    assert body["calendar_url"] == "/feeds/personal/%s.ics" % tok
    assert r.headers["Location"] == "/api/v1/registrations/%s" % tok
    assert body["enterprise_number"] == "0123456749"
    assert (body["given_name"], body["family_name"], body["name"]) == \
        ("An", "Peeters", "An Peeters")
    assert body["event"]["slug"] == ev["slug"]
    view = assert_json(daemon.get("/api/v1/registrations/%s" % tok), 200)
    assert view["id"] == body["id"] and view["status"] == "confirmed"
    assert view["event"]["slug"] == ev["slug"]
    # the answer, put together before the seat was taken, is the view
    assert view == body, (view, body)


def test_every_bad_field_listed_and_nothing_written(daemon, pg, event_with_sessions):
    ev = event_with_sessions(sessions=[{"slug": "s-a"}])
    bad = {
        "name": "  ", "email": "not-an-address", "role": "boss",
        "organisation_type": "guild", "postcode": "89000",
        "enterprise_number": "0123.456.780", "sessions": ["s-a", "s-a", "Nope!"],
        "consent": {"privacy": False}, "language": "de", "shoe_size": 44,
    }
    problem = assert_problem(register(daemon, ev["slug"], bad), 422)
    assert error_fields(problem) >= {"name", "email", "role", "organisation_type",
                                     "postcode", "enterprise_number", "sessions",
                                     "consent", "language", "shoe_size"}
    assert count_rows(pg, ev["slug"]) == 0


def test_missing_required_fields(daemon, event_with_sessions):
    ev = event_with_sessions()
    problem = assert_problem(register(daemon, ev["slug"], {}), 422)
    assert error_fields(problem) == {"given_name", "family_name", "email", "role",
                                     "organisation_type", "consent"}


@pytest.mark.parametrize("number", ["0123.456.749", "0123456749", "BE0123456749",
                                    "be 0123 456 749"])
def test_enterprise_number_forms(daemon, event_with_sessions, number):
    ev = event_with_sessions()
    body = assert_json(register(daemon, ev["slug"], person(enterprise_number=number)), 201)
    assert body["enterprise_number"] == "0123456749"


def test_unknown_and_overlapping_sessions_are_422(daemon, pg, event_with_sessions):
    ev = event_with_sessions(sessions=[
        {"slug": "early", "starts_at": harness.at(3, 18, 14), "ends_at": harness.at(3, 18, 15)},
        {"slug": "clash", "starts_at": harness.at(3, 18, 14, 30), "ends_at": harness.at(3, 18, 15, 30)},
        {"slug": "later", "starts_at": harness.at(3, 18, 15), "ends_at": harness.at(3, 18, 16)},
    ])
    problem = assert_problem(register(daemon, ev["slug"], person(sessions=["early", "clash"])), 422)
    assert error_fields(problem) == {"sessions"}
    assert "overlap" in problem["errors"][0]["message"]
    problem = assert_problem(register(daemon, ev["slug"], person(sessions=["ghost"])), 422)
    assert error_fields(problem) == {"sessions"}
    # back to back is not an overlap
    assert_json(register(daemon, ev["slug"], person(sessions=["early", "later"])), 201)
    assert count_rows(pg, ev["slug"]) == 1


def test_duplicate_email_case_insensitive_then_again_after_cancel(daemon, event_with_sessions):
    ev = event_with_sessions()
    first = assert_json(register(daemon, ev["slug"], person(email="Dup.Licate@Example.be")), 201)
    problem = assert_problem(register(daemon, ev["slug"], person(email="dup.licate@example.BE")), 409)
    assert problem["type"].endswith("/duplicate-registration")
    r = daemon.request("DELETE", "/api/v1/registrations/%s" % token_of(first))
    assert assert_json(r, 200)["status"] == "cancelled"
    again = assert_json(register(daemon, ev["slug"], person(email="dup.licate@example.be")), 201)
    assert again["id"] != first["id"]


def test_event_states(daemon, token, new_event):
    draft = new_event(status="draft")
    assert_problem(register(daemon, draft["slug"], person()), 404)
    assert_problem(register(daemon, unique("ghost"), person()), 404)
    cancelled = new_event(status="cancelled")
    assert_problem(register(daemon, cancelled["slug"], person()), 409)
    later = new_event(registration_opens_at=harness.at(1, 1, 9))
    assert_problem(register(daemon, later["slug"], person()), 409)
    closed = new_event(registration_opens_at="2020-01-01T09:00:00+01:00",
                       registration_closes_at="2020-02-01T09:00:00+01:00")
    assert_problem(register(daemon, closed["slug"], person()), 409)
    past = new_event(starts_at="2021-03-18T14:00:00+01:00", ends_at="2021-03-18T17:00:00+01:00")
    assert_problem(register(daemon, past["slug"], person()), 409)


def test_waitlist_positions_and_promotion_on_cancel(daemon, event_with_sessions):
    ev = event_with_sessions(capacity=2)
    a = assert_json(register(daemon, ev["slug"], person()), 201)
    b = assert_json(register(daemon, ev["slug"], person()), 201)
    c = assert_json(register(daemon, ev["slug"], person()), 201)
    d = assert_json(register(daemon, ev["slug"], person()), 201)
    assert [x["status"] for x in (a, b, c, d)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert (c["waitlist_position"], d["waitlist_position"]) == (1, 2)
    listed = assert_json(daemon.get("/api/v1/events/%s" % ev["slug"]), 200)
    assert (listed["seats_left"], listed["waitlist_length"]) == (0, 2)

    assert_json(daemon.request("DELETE", "/api/v1/registrations/%s" % token_of(a)), 200)
    c2 = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(c)), 200)
    d2 = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(d)), 200)
    assert c2["status"] == "confirmed" and c2["waitlist_position"] is None
    assert d2["status"] == "waitlisted" and d2["waitlist_position"] == 1
    # cancelling twice answers the same and frees nothing more
    again = daemon.request("DELETE", "/api/v1/registrations/%s" % token_of(a))
    assert assert_json(again, 200)["status"] == "cancelled"
    d3 = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(d)), 200)
    assert d3["status"] == "waitlisted"


def test_full_without_waitlist_is_409(daemon, pg, event_with_sessions):
    ev = event_with_sessions(capacity=1, waitlist=False)
    assert_json(register(daemon, ev["slug"], person()), 201)
    problem = assert_problem(register(daemon, ev["slug"], person()), 409)
    assert problem["type"].endswith("/event-full")
    assert count_rows(pg, ev["slug"]) == 1


def test_full_session_waitlists_that_choice_only(daemon, event_with_sessions):
    ev = event_with_sessions(capacity=10, sessions=[
        {"slug": "small", "capacity": 1, "starts_at": harness.at(3, 18, 14), "ends_at": harness.at(3, 18, 15)},
        {"slug": "big", "capacity": 10, "starts_at": harness.at(3, 18, 15), "ends_at": harness.at(3, 18, 16)},
    ])
    first = assert_json(register(daemon, ev["slug"], person(sessions=["small", "big"])), 201)
    second = assert_json(register(daemon, ev["slug"], person(sessions=["small", "big"])), 201)
    assert second["status"] == "confirmed"
    assert {s["slug"]: s["status"] for s in second["sessions"]} == {"small": "waitlisted", "big": "confirmed"}
    assert_json(daemon.request("DELETE", "/api/v1/registrations/%s" % token_of(first)), 200)
    view = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(second)), 200)
    assert {s["slug"]: s["status"] for s in view["sessions"]} == {"small": "confirmed", "big": "confirmed"}


def test_raising_capacity_promotes_and_lowering_below_confirmed_is_409(daemon, token, event_with_sessions):
    ev = event_with_sessions(capacity=1)
    assert_json(register(daemon, ev["slug"], person()), 201)
    waiting = assert_json(register(daemon, ev["slug"], person()), 201)
    assert waiting["status"] == "waitlisted"
    r = daemon.patch("/api/v1/events/%s" % ev["slug"], token=token, json={"capacity": 0})
    assert_problem(r, 409)
    r = daemon.patch("/api/v1/events/%s" % ev["slug"], token=token, json={"capacity": 2})
    body = assert_json(r, 200)
    assert body["seats_left"] == 0 and body["waitlist_length"] == 0
    view = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(waiting)), 200)
    assert view["status"] == "confirmed"


def test_idempotency_key(daemon, pg, event_with_sessions):
    ev = event_with_sessions()
    body = person()
    key = unique("idem")
    first = register(daemon, ev["slug"], body, headers={"Idempotency-Key": key})
    second = register(daemon, ev["slug"], body, headers={"Idempotency-Key": key})
    a, b = assert_json(first, 201), assert_json(second, 201)
    assert a == b
    assert count_rows(pg, ev["slug"]) == 1
    other = dict(body, given_name="Someone")
    problem = assert_problem(register(daemon, ev["slug"], other, headers={"Idempotency-Key": key}), 422)
    assert count_rows(pg, ev["slug"]) == 1
    assert "idempotency" in problem["type"]


def test_idempotency_answer_is_kept_sealed(daemon, pg, event_with_sessions):
    """The first answer kept for a replay holds the manage token, the name
    and the e-mail address: the database keeps it encrypted under the
    Idempotency-Key, and the key only as a hash."""
    ev = event_with_sessions()
    body = person()
    key = unique("idem-sealed")
    first = assert_json(register(daemon, ev["slug"], body,
                                 headers={"Idempotency-Key": key}), 201)
    token = first["manage_url"].rsplit("/", 1)[-1]
    rows = pg.psql("SELECT key, encode(request_hash, 'hex'), registration_id,"
                   " encode(sealed, 'hex') FROM idempotency_keys"
                   " WHERE registration_id = %d" % first["id"])
    assert len(rows) == 1, rows
    stored = json.dumps(rows).encode() + bytes.fromhex(rows[0][3])
    for secret in (key, token, body["email"], body["family_name"]):
        assert secret.encode() not in stored, "%r kept in clear" % secret
    replay = assert_json(register(daemon, ev["slug"], body,
                                  headers={"Idempotency-Key": key}), 201)
    assert replay == first, "the replay is the first answer, unsealed"
    # sealed under the key: it opens it, another key does not
    unseal = ("SELECT lk_idem_unseal(sealed, %s) FROM idempotency_keys"
              " WHERE registration_id = %d")
    opened = pg.psql(unseal % (quote_literal(key), first["id"]))
    assert token in json.dumps(opened), opened
    try:
        other = pg.psql(unseal % (quote_literal("x" + key), first["id"]))
    except RuntimeError as exc:
        # most often the padding does not check out, else the bytes are
        # no UTF-8; any other error would be the test's, not the seal's
        assert re.search(r"decrypt_iv error|invalid byte sequence", str(exc)), exc
        other = None
    assert other is None or token not in json.dumps(other), other


def test_unknown_token_is_404(daemon):
    assert_problem(daemon.get("/api/v1/registrations/" + "A" * 43), 404)
    assert_problem(daemon.get("/api/v1/registrations/short"), 404)
    assert_problem(daemon.request("DELETE", "/api/v1/registrations/" + "B" * 43), 404)


def test_concurrent_registrations_never_overbook(daemon, pg, event_with_sessions):
    """120 registrations at once at an event of 10 seats with a session of 5."""
    ev = event_with_sessions(capacity=10, sessions=[{"slug": "tiny", "capacity": 5}])
    n = 120
    barrier = threading.Barrier(40)

    def one(i):
        if i < 40:
            barrier.wait(timeout=30)
        r = register(daemon, ev["slug"], person(sessions=["tiny"]), timeout=60)
        return r.status_code, (r.json() if r.status_code == 201 else r.text)

    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(one, range(n)))
    codes = [c for c, _ in results]
    assert codes.count(201) == n, [r for r in results if r[0] != 201][:3]
    statuses = [b["status"] for _, b in results]
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == n - 10
    session_confirmed = sum(1 for _, b in results for s in b["sessions"]
                            if s["status"] == "confirmed")
    assert session_confirmed == 5
    # the database agrees, row by row and in its counters
    assert count_rows(pg, ev["slug"], "confirmed") == 10
    rows = pg.psql("SELECT e.confirmed_count, e.waitlist_count, s.confirmed_count,"
                   " (SELECT count(*) FROM registration_sessions rs"
                   "  WHERE rs.session_id = s.id AND rs.status = 'confirmed')"
                   " FROM events e JOIN sessions s ON s.event_id = e.id"
                   " WHERE e.slug = %s" % harness.quote_literal(ev["slug"]))
    assert rows == [["10", str(n - 10), "5", "5"]]
    positions = sorted(b["waitlist_position"] for _, b in results if b["status"] == "waitlisted")
    assert positions == list(range(1, n - 10 + 1))


def test_name_in_two_parts_or_whole(daemon, pg, event_with_sessions):
    """API.md section 11: given_name and family_name; name alone is still
    taken (as the given name) and always answered, the two joined."""
    ev = event_with_sessions()
    two = assert_json(register(daemon, ev["slug"], person(
        given_name="Éliane", family_name="Van den Bossche")), 201)
    assert (two["given_name"], two["family_name"], two["name"]) == \
        ("Éliane", "Van den Bossche", "Éliane Van den Bossche")
    whole = assert_json(register(daemon, ev["slug"], person(
        name="An Peeters", given_name=harness.DROP, family_name=harness.DROP)), 201)
    assert (whole["given_name"], whole["family_name"], whole["name"]) == \
        ("An Peeters", "", "An Peeters")
    view = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(whole)), 200)
    assert (view["given_name"], view["family_name"], view["name"]) == \
        ("An Peeters", "", "An Peeters")

    # never both ways at once: each part sent with name is named
    problem = assert_problem(register(daemon, ev["slug"], person(name="An Peeters")), 422)
    assert error_fields(problem) == {"given_name", "family_name"}
    assert all("name" in e["message"] and "code" not in e for e in problem["errors"])
    problem = assert_problem(register(daemon, ev["slug"], person(
        name="An Peeters", given_name="An", family_name=harness.DROP)), 422)
    assert error_fields(problem) == {"given_name"}
    # a part alone is not enough
    problem = assert_problem(register(daemon, ev["slug"], person(given_name=harness.DROP)), 422)
    assert error_fields(problem) == {"given_name"}
    assert count_rows(pg, ev["slug"]) == 2


HOLDER = "lk-test-holder"


def hold_event_row(pg, slug, change, waiters=1):
    """Updates the event's row (change: a SET list) in a transaction of its
    own, which commits once `waiters` other backends wait for a lock (at
    most 30 s).  Returns that transaction's thread once the row is held."""
    sql = ("SET application_name = '%s'; BEGIN;"
           " UPDATE events SET %s WHERE slug = %s;"
           " DO $$DECLARE t timestamptz := clock_timestamp(); BEGIN"
           "  WHILE (SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted) < %d"
           "    AND clock_timestamp() < t + interval '30 seconds' LOOP"
           "   PERFORM pg_sleep(0.01);"
           "  END LOOP;"
           " END$$; COMMIT" % (HOLDER, change, quote_literal(slug), waiters))
    holder = threading.Thread(target=pg.psql, args=(sql,), kwargs={"timeout": 60})
    holder.start()
    harness.wait_until(lambda: row_held(pg), timeout=10, what="the event row held")
    return holder


def row_held(pg):
    return pg.psql("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                   " WHERE a.application_name = '%s' AND l.locktype = 'relation'"
                   " AND l.relation = 'events'::regclass"
                   " AND l.mode = 'RowExclusiveLock'" % HOLDER) == [["1"]]


def test_refusals_do_not_wait_for_the_event_lock(daemon, pg, event_with_sessions):
    """Issue 13: lk_register checks everything before it takes the event's
    lock; only the seat waits for it."""
    ev = event_with_sessions(sessions=[{"slug": "s-a"}])
    first = person()
    assert_json(register(daemon, ev["slug"], first), 201)
    holder = hold_event_row(pg, ev["slug"], "title = title")
    try:
        problem = assert_problem(register(daemon, ev["slug"], person(email=first["email"])), 409)
        assert problem["type"].endswith("/duplicate-registration")
        assert row_held(pg), "the duplicate waited for the event's lock"
        problem = assert_problem(register(daemon, ev["slug"], person(sessions=["ghost"])), 422)
        assert error_fields(problem) == {"sessions"}
        assert row_held(pg), "the unknown session waited for the event's lock"
        # a registration that takes a seat waits, and is then made
        assert_json(register(daemon, ev["slug"], person(sessions=["s-a"]), timeout=60), 201)
    finally:
        holder.join(60)
    assert count_rows(pg, ev["slug"]) == 2


def test_an_event_changed_while_registering_is_checked_again(daemon, pg, event_with_sessions):
    """The checks are made without a lock; an event cancelled between them
    and the seat refuses the registration all the same."""
    ev = event_with_sessions(capacity=5)
    holder = hold_event_row(pg, ev["slug"],
                            "status = 'cancelled', updated_at = lk_touched(updated_at)")
    try:
        r = register(daemon, ev["slug"], person(), timeout=60)
    finally:
        holder.join(60)
    problem = assert_problem(r, 409)
    assert problem["type"].endswith("/event-cancelled"), problem
    assert count_rows(pg, ev["slug"]) == 0
    assert pg.psql("SELECT confirmed_count, waitlist_count FROM events WHERE slug = %s"
                   % quote_literal(ev["slug"])) == [["0", "0"]]


def test_identical_registrations_racing_are_one(daemon, pg, event_with_sessions):
    """Both pass the duplicate check before either holds a seat; the unique
    index lets one through, and the other is a clean 409."""
    ev = event_with_sessions(capacity=5)
    body = person()
    holder = hold_event_row(pg, ev["slug"], "title = title", waiters=2)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda _: register(daemon, ev["slug"], body, timeout=60),
                                    range(2)))
    finally:
        holder.join(60)
    assert sorted(r.status_code for r in answers) == [201, 409], \
        [harness.describe(r) for r in answers]
    refused = [r for r in answers if r.status_code == 409][0]
    assert assert_problem(refused, 409)["type"].endswith("/duplicate-registration")
    assert count_rows(pg, ev["slug"]) == 1
    assert pg.psql("SELECT confirmed_count FROM events WHERE slug = %s"
                   % quote_literal(ev["slug"])) == [["1"]]


def test_rate_limit_per_address(start_daemon, new_event):
    d = start_daemon(env={"LEERKANS_RATE_LIMIT": "3"})
    ev = new_event()
    for _ in range(3):
        assert register(d, ev["slug"], person()).status_code == 201
    r = register(d, ev["slug"], person())
    assert_problem(r, 429)
    assert int(r.headers["Retry-After"]) >= 1


def test_rate_limit_per_email(start_daemon, new_event):
    d = start_daemon(env={"LEERKANS_EMAIL_RATE_LIMIT": "2"})
    email = "%s@example.be" % unique("rl")
    for _ in range(2):
        ev = new_event()
        assert register(d, ev["slug"], person(email=email)).status_code == 201
    r = register(d, new_event()["slug"], person(email=email.upper()))
    assert_problem(r, 429)
    assert "Retry-After" in r.headers


def test_no_personal_data_in_logs(daemon, event_with_sessions):
    ev = event_with_sessions()
    marker = unique("secretname")
    email = "%s@example.be" % marker
    body = assert_json(register(daemon, ev["slug"], person(given_name=marker,
                       family_name=marker + "-f", email=email)), 201)
    tok = token_of(body)
    daemon.get("/api/v1/registrations/%s" % tok)
    daemon.get("/r/%s" % tok)
    daemon.request("DELETE", "/api/v1/registrations/%s" % tok)
    log = daemon.stderr_text()
    assert "/api/v1/registrations/****" in log
    assert tok not in log and marker not in log and email not in log


def test_raising_session_capacity_promotes(daemon, token, event_with_sessions):
    ev = event_with_sessions(sessions=[{"slug": "one", "capacity": 1}])
    assert_json(register(daemon, ev["slug"], person(sessions=["one"])), 201)
    second = assert_json(register(daemon, ev["slug"], person(sessions=["one"])), 201)
    assert second["sessions"][0]["status"] == "waitlisted"
    r = daemon.patch("/api/v1/events/%s/sessions/one" % ev["slug"], token=token,
                     json={"capacity": 2})
    body = assert_json(r, 200)
    assert (body["seats_left"], body["waitlist_length"]) == (0, 0)
    view = assert_json(daemon.get("/api/v1/registrations/%s" % token_of(second)), 200)
    assert view["sessions"][0]["status"] == "confirmed"


def test_moving_an_event_cannot_strand_its_sessions(daemon, token, event_with_sessions):
    ev = event_with_sessions(sessions=[{"slug": "inside",
                                        "starts_at": harness.at(3, 18, 14),
                                        "ends_at": harness.at(3, 18, 15)}])
    r = daemon.patch("/api/v1/events/%s" % ev["slug"], token=token,
                     json={"starts_at": harness.at(3, 18, 14, 30)})
    assert error_fields(assert_problem(r, 422)) == {"starts_at"}
    after = assert_json(daemon.get("/api/v1/events/%s" % ev["slug"]), 200)
    assert after["starts_at"] == ev["starts_at"] and after["sequence"] == ev["sequence"]
    r = daemon.patch("/api/v1/events/%s" % ev["slug"], token=token,
                     json={"ends_at": harness.at(3, 18, 18)})
    assert_json(r, 200)


def test_forwarded_for_is_trusted_only_when_configured(start_daemon, new_event):
    trusting = start_daemon(env={"LEERKANS_RATE_LIMIT": "2",
                                 "LEERKANS_TRUST_FORWARDED_FOR": "yes"})
    ev = new_event()
    for i in range(2):
        h = {"X-Forwarded-For": "198.51.100.7, 203.0.113.%d" % i}
        assert register(trusting, ev["slug"], person(), headers=h).status_code == 201
    h = {"X-Forwarded-For": "203.0.113.1"}
    assert register(trusting, ev["slug"], person(), headers=h).status_code == 201
    assert register(trusting, ev["slug"], person(), headers=h).status_code == 429
    plain = start_daemon(env={"LEERKANS_RATE_LIMIT": "2"})
    for i in range(2):
        h = {"X-Forwarded-For": "203.0.113.%d" % (50 + i)}
        assert register(plain, ev["slug"], person(), headers=h).status_code == 201
    h = {"X-Forwarded-For": "203.0.113.99"}
    assert register(plain, ev["slug"], person(), headers=h).status_code == 429


def test_public_event_json_is_cached_with_validators_and_seats_stay_exact(
        daemon, event_with_sessions):
    ev = event_with_sessions(capacity=3)
    path = "/api/v1/events/%s" % ev["slug"]
    first = daemon.get(path)
    assert_json(first, 200)
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    again = daemon.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    gz = daemon.get(path, headers={"Accept-Encoding": "gzip"})
    assert gz.headers.get("Content-Encoding") == "gzip"
    assert gz.json() == first.json()
    for left in (2, 1, 0):
        assert_json(register(daemon, ev["slug"], person()), 201)
        r = daemon.get(path, headers={"If-None-Match": etag})
        body = assert_json(r, 200)
        assert body["seats_left"] == left, "a stale answer from the cache"
        etag = r.headers["ETag"]
        listed = assert_json(daemon.get("/api/v1/events"), 200)
        assert [e["seats_left"] for e in listed["events"]
                if e["slug"] == ev["slug"]] == [left]


def test_bad_requests_cannot_lock_an_address_out(start_daemon, new_event):
    """Only registrations made count against an e-mail address."""
    d = start_daemon(env={"LEERKANS_EMAIL_RATE_LIMIT": "2"})
    ev = new_event()
    victim = "%s@example.be" % unique("victim")
    for _ in range(6):
        r = register(d, ev["slug"], {"email": victim})
        assert r.status_code == 422
    assert register(d, ev["slug"], person(email=victim.upper())).status_code == 201
