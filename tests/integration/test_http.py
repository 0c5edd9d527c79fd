"""HTTP behaviour: API.md section 1 (conventions, errors, tokens) and the
operational endpoints and log of section 8."""

import json
import re
import time

import pytest
import requests

from harness import (assert_problem, compact_json_text, describe, error_fields,
                     event_body,
                     media_type, quote_literal, registration_body, unique,
                     wait_until)


def assert_absent(daemon, token, slug):
    r = daemon.get("/api/v1/events/" + slug, token=token)
    assert r.status_code == 404, describe(r)


def allow_set(resp):
    return {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}


# -- health -----------------------------------------------------------------

def test_healthz(daemon):
    r = daemon.get("/healthz")
    assert r.status_code == 200, describe(r)


def test_readyz_with_current_schema(daemon):
    r = daemon.get("/readyz")
    assert r.status_code == 200, describe(r)


def test_readyz_503_when_schema_missing(pg, start_daemon):
    dbname = "empty_" + unique("db").replace("-", "_")
    pg.create_database(dbname)
    d = start_daemon(dbname=dbname)
    assert d.get("/healthz").status_code == 200
    r = d.get("/readyz")
    assert r.status_code == 503, describe(r)


def test_migrate_twice_is_a_no_op(pg, ctl, daemon):
    before = pg.table_counts()
    assert before, "migrate created no tables"
    assert ctl("migrate").returncode == 0
    assert pg.table_counts() == before
    assert daemon.get("/readyz").status_code == 200


# -- tokens -----------------------------------------------------------------

@pytest.mark.parametrize("authorization", [
    None, "Bearer", "Bearer not-a-real-token", "Basic b3JnYW5pc2VyOnNlY3JldA==",
    "Bearer \u00e9\u00e9n",
], ids=["none", "empty-bearer", "unknown-token", "basic", "non-ascii"])
def test_post_without_valid_token_is_401(daemon, token, authorization):
    body = event_body()
    headers = {}
    if authorization is not None:
        headers["Authorization"] = authorization.encode("utf-8")
    r = daemon.post("/api/v1/events", json=body, headers=headers)
    assert_problem(r, 401)
    assert_absent(daemon, token, body["slug"])


def test_revoked_token_is_401(daemon, ctl, token):
    name = unique("revoked")
    doomed = ctl("token", "create", name).stdout.strip()
    assert doomed and doomed != token
    ok = event_body()
    assert daemon.post("/api/v1/events", token=doomed, json=ok).status_code == 201
    ctl("token", "revoke", name)
    body = event_body()
    assert_problem(daemon.post("/api/v1/events", token=doomed, json=body), 401)
    assert_problem(daemon.patch("/api/v1/events/" + ok["slug"], token=doomed,
                                json={"title": "Te laat"}), 401)
    assert_absent(daemon, token, body["slug"])
    assert daemon.get("/api/v1/events/" + ok["slug"]).json()["title"] == ok["title"]


def test_tokens_are_long_and_url_safe(ctl):
    values = {ctl("token", "create", unique("t")).stdout.strip() for _ in range(3)}
    assert len(values) == 3
    for v in values:
        assert re.fullmatch(r"[A-Za-z0-9._~-]{22,}", v), v  # >= 128 bits in base64url


def test_token_stored_only_as_a_hash(pg, ctl):
    secret = ctl("token", "create", unique("hashed")).stdout.strip()
    tables = pg.user_tables()
    assert tables
    for table in tables:
        rows = pg.psql("SELECT count(*) FROM %s t WHERE strpos(t::text, %s) > 0"
                       % (table, quote_literal(secret)))
        assert rows == [["0"]], "token stored in clear in %s" % table
    listing = ctl("token", "list")
    assert secret not in listing.stdout + listing.stderr


# -- request bodies ---------------------------------------------------------

@pytest.mark.parametrize("raw", [
    b'{"slug": "%s", "kind": "academy-session", "title": "Kapot',
    b'{"slug": "%s",}',
    b"slug=%s&title=form",
    b'\xff\xfe{"slug": "%s"}',
    b'{"slug": "%s", "kind": "academy-session", "title": "caf\xe9"}',
], ids=["truncated", "trailing-comma", "form-text", "bad-utf8-bom", "bad-utf8-string"])
def test_body_not_json_is_400(daemon, token, raw):
    slug = unique("bad-json")
    r = daemon.post("/api/v1/events", token=token, data=raw.replace(b"%s", slug.encode()),
                    headers={"Content-Type": "application/json"})
    assert_problem(r, 400)
    assert_absent(daemon, token, slug)


def test_a_nul_escape_in_a_body_is_400_in_our_words(daemon, token):
    """A \\u0000 in any string of a body is refused, naming the character
    and where it is, not the JSON library's option."""
    slug = unique("nul")
    raw = ('{"slug": "%s",\n "title": "Kap\\u0000ot"}' % slug).encode()
    r = daemon.post("/api/v1/events", token=token, data=raw,
                    headers={"Content-Type": "application/json"})
    p = assert_problem(r, 400)
    assert p["type"].endswith("/problems/malformed-body"), p
    assert "NUL character (\\u0000)" in p["detail"], p
    assert "line 2" in p["detail"], p
    assert "JSON_ALLOW_NUL" not in p["detail"], p
    assert_absent(daemon, token, slug)
    # the same in a registration
    ev = daemon.post("/api/v1/events", token=token, json=event_body()).json()
    raw = b'{"name": "An\\u0000", "email": "an@example.be"}'
    p = assert_problem(daemon.post("/api/v1/events/%s/registrations" % ev["slug"],
                                   data=raw, headers={"Content-Type": "application/json"}),
                       400)
    assert "NUL character" in p["detail"], p


@pytest.mark.parametrize("raw", [b"", b"[]", b'"event"', b"null", b"42", b"[{}]"],
                         ids=["empty", "array", "string", "null", "number",
                              "array-of-object"])
def test_body_not_an_object_is_400(daemon, token, raw):
    """Not a JSON object is a malformed body (400), like one that is not
    JSON: there are no fields whose values could be invalid (422)."""
    r = daemon.post("/api/v1/events", token=token, data=raw,
                    headers={"Content-Type": "application/json"})
    assert_problem(r, 400)


@pytest.mark.parametrize("ctype", [
    "text/plain", "application/x-www-form-urlencoded", "application/xml", None,
], ids=["text", "form", "xml", "none"])
def test_wrong_content_type_is_415(daemon, token, ctype):
    body = event_body()
    headers = {"Content-Type": ctype} if ctype else {}
    s = requests.Session()
    req = requests.Request("POST", daemon.url + "/api/v1/events", data=json.dumps(body),
                           headers=dict(headers, Authorization="Bearer " + token))
    prepared = s.prepare_request(req)
    if ctype is None:
        prepared.headers.pop("Content-Type", None)
    r = s.send(prepared, timeout=10)
    assert_problem(r, 415)
    assert_absent(daemon, token, body["slug"])


def padded_event(size):
    """A valid event whose JSON encoding is exactly size bytes."""
    body = event_body(description="")
    base = len(json.dumps(body).encode())
    body["description"] = "x" * (size - base)
    raw = json.dumps(body).encode()
    assert len(raw) == size
    return body, raw


def test_body_over_the_limit_is_413(start_daemon, token):
    d = start_daemon(env={"LEERKANS_MAX_BODY_SIZE": 4096})
    post = lambda raw: d.post("/api/v1/events", token=token, data=raw,
                              headers={"Content-Type": "application/json"})

    small, raw = padded_event(3000)
    assert post(raw).status_code == 201, "a body under the limit must be accepted"

    over, raw = padded_event(6000)
    assert_problem(post(raw), 413)
    double, raw = padded_event(8192)
    r = post(raw)
    assert r.status_code == 413, describe(r)

    # Far over, though within what the daemon reads and drops after a
    # refusal (1 MiB, 2 s): the client, still sending, gets its 413 too.
    huge, raw = padded_event(512 * 1024)
    assert_problem(post(raw), 413)
    assert d.get("/healthz").status_code == 200
    for body in (over, double, huge):
        assert_absent(d, token, body["slug"])
    assert d.get("/api/v1/events/" + small["slug"]).status_code == 200


# -- routing ----------------------------------------------------------------

def test_wrong_method_is_405_with_allow(daemon, token, new_event):
    r = daemon.request("PUT", "/api/v1/events", token=token, json=event_body())
    assert_problem(r, 405)
    allowed = allow_set(r)
    assert {"GET", "POST"} <= allowed <= {"GET", "POST", "HEAD", "OPTIONS"}, r.headers

    ev = new_event()
    r = daemon.request("PUT", "/api/v1/events/" + ev["slug"], token=token, json=ev)
    assert_problem(r, 405)
    allowed = allow_set(r)
    assert {"GET", "PATCH"} <= allowed, r.headers
    assert "PUT" not in allowed and "POST" not in allowed, r.headers


def test_unknown_paths_are_404(daemon):
    assert_problem(daemon.get("/api/v1/" + unique("nothing")), 404)
    assert_problem(daemon.get("/api/v2/events"), 404)
    r = daemon.get("/" + unique("no-such-page"))
    assert r.status_code == 404, describe(r)


def test_long_and_odd_paths_are_404(daemon):
    """No slug is that long or holds those bytes, and a %2F or %00 is never
    decoded into a path (router_decode): not found, never a 5xx."""
    for path in ("/api/v1/events/" + "a" * 5000, "/api/v1/events/%00",
                 "/api/v1/events/%2e%2e%2f%2e%2e%2fetc", "/api/v1/events/..%2F",
                 "/api/v1/events/%ZZ", "/api/v1/events/caf%C3%A9"):
        assert_problem(daemon.get(path), 404)
    assert daemon.get("/healthz").status_code == 200


# -- the log ----------------------------------------------------------------

def test_one_access_line_per_request_and_no_token(daemon, token, new_event):
    ev = new_event()
    found = "/api/v1/events/" + ev["slug"]
    missing = "/api/v1/events/" + unique("missing")
    for _ in range(2):
        assert daemon.get(found).status_code == 200
    assert daemon.patch(found, token=token, json={"description": "log"}).status_code == 200
    for _ in range(3):
        assert daemon.get(missing).status_code == 404

    def lines_with(path):
        pat = re.compile(re.escape(path) + r"(?![A-Za-z0-9/_-])")
        return [l for l in daemon.stderr_text().splitlines() if pat.search(l)]

    wait_until(lambda: len(lines_with(found)) >= 3 and len(lines_with(missing)) >= 3,
               timeout=5, what="access log lines")
    time.sleep(0.3)  # no late extra lines
    got = lines_with(found)
    assert len(got) == 3, got
    assert sum("GET" in l and "200" in l for l in got) == 2, got
    assert sum("PATCH" in l and "200" in l for l in got) == 1, got
    got = lines_with(missing)
    assert len(got) == 3 and all("GET" in l and "404" in l for l in got), got

    log = daemon.stderr_text()
    assert token not in log, "organiser token written to the log"
    assert token[: max(12, len(token) // 2)] not in log, "token prefix in the log"


def test_json_answers_are_compact_and_end_in_a_newline(daemon, token, new_event):
    """Every JSON answer, from SQL or made in C, cached or not, problem or
    not: {"a":1}, never {"a" : 1}, and a newline at the end."""
    ev = new_event()
    slug = ev["slug"]
    reg = daemon.post("/api/v1/events/%s/registrations" % slug,
                      json=registration_body())
    answers = [
        daemon.get("/healthz"), daemon.get("/readyz"),
        daemon.get("/api/v1/events"),                        # cached
        daemon.get("/api/v1/events", token=token),           # not cached
        daemon.get("/api/v1/events/%s" % slug),
        daemon.get("/api/v1/events/%s" % slug, headers={"Accept-Encoding": "gzip"}),
        reg,
        daemon.get("/api/v1/registrations/%s" % reg.json()["manage_url"][3:]),
        daemon.get("/api/v1/stats/reach", token=token),
        daemon.get("/api/v1/events/%s/attendees" % slug, token=token),
        daemon.get("/api/v1/events/nope-%s" % slug),          # 404 from SQL
        daemon.post("/api/v1/events", token=token, json={}),  # 422
        daemon.post("/api/v1/events", token=token, data="{"),  # 415
        daemon.get("/api/v1/stats/reach"),                    # 401
        daemon.request("PUT", "/api/v1/events"),              # 405
    ]
    assert reg.status_code == 201, describe(reg)
    seen = set()
    for a in answers:
        assert media_type(a) in ("application/json", "application/problem+json"), describe(a)
        why = compact_json_text(a.content.decode("utf-8"))
        assert why is None, "%s: %s" % (why, describe(a))
        seen.add(a.status_code)
    assert {200, 201, 401, 404, 405, 415, 422} <= seen, seen
    # the bytes themselves, for one made in SQL and one made in C
    body = daemon.get("/api/v1/events/%s" % slug).content
    assert b'"slug":"%s"' % slug.encode() in body and b'" : ' not in body, body
    assert daemon.get("/healthz").content == b'{"status":"ok"}\n'


# -- query parameters ---------------------------------------------------------

@pytest.mark.parametrize("path,auth,unknown", [
    ("/api/v1/events?q=brugge", False, {"q"}),
    ("/api/v1/events?kind=network-event&q=brugge", False, {"q"}),
    ("/api/v1/events?lang=en", False, {"lang"}),
    ("/api/v1/events/%(slug)s?kind=network-event", False, {"kind"}),
    ("/api/v1/events/%(slug)s/attendees?q=peeters", True, {"q"}),
    ("/api/v1/events/%(slug)s/attendees?format=csv&sort=name&q=x", True, {"sort", "q"}),
    ("/api/v1/stats/reach?year=2027&kind=network-event", True, {"kind"}),
    ("/api/v1/registrations/%(token)s?verbose=1", False, {"verbose"}),
    ("/feeds/events.ics?nocache=1", False, {"nocache"}),
    ("/events/%(slug)s.ics?lang=en", False, {"lang"}),
    ("/healthz?full=1", False, {"full"}),
    ("/static/leerkans.css?v=1&x=2", False, {"x"}),
], ids=["events-q", "events-kind-q", "events-lang", "event-kind", "attendees-q",
        "attendees-sort", "reach-kind", "registration", "feed", "event-feed",
        "healthz", "css"])
def test_an_unknown_query_parameter_is_422_naming_it(daemon, token, new_event,
                                                     path, auth, unknown):
    """No parameter is silently ignored: one a route does not take is a 422
    that names it (and only those), as an unknown field of a body is."""
    ev = new_event()
    reg = daemon.post("/api/v1/events/%s/registrations" % ev["slug"],
                      json=registration_body()).json()
    url = path % {"slug": ev["slug"], "token": reg["manage_url"][3:]}
    p = assert_problem(daemon.get(url, token=token if auth else None), 422)
    assert error_fields(p) == unknown, p
    assert p["type"].endswith("/problems/validation-failed"), p


def test_query_parameters_the_route_takes_still_work(daemon, token, new_event):
    ev = new_event()
    assert daemon.get("/api/v1/events?kind=academy-session&from=2020-01-01").status_code == 200
    assert daemon.get("/static/leerkans.css?v=1").status_code == 200
    assert daemon.get("/api/v1/events/%s/attendees?format=csv&status=all"
                      "&delimiter=semicolon" % ev["slug"], token=token).status_code == 200
    # the token is looked at before the query: 401, not 422
    assert_problem(daemon.get("/api/v1/stats/reach?kind=x"), 401)


def test_unknown_query_parameters_are_listed_once_each_and_at_most_32(daemon):
    q = "&".join("p%d=1" % i for i in range(40)) + "&p0=2"
    p = assert_problem(daemon.get("/api/v1/events?" + q), 422)
    assert len(p["errors"]) == 32, p
    assert [e["field"] for e in p["errors"]] == ["p%d" % i for i in range(32)]
