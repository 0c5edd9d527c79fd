"""Calendar feeds: API.md section 6.

Every feed is read by two independent parsers: python3-icalendar and
libical's own parser (tests/icalcheck, built by `make check`; $LEERKANS_ICALCHECK
names it), which must report no X-LIC-ERROR and whose reading of each
VEVENT's times (through the feed's own VTIMEZONE) must agree with the API.
The raw bytes are checked too: CRLF, lines of at most 75 octets, no UTF-8
character split by folding.
"""

import gzip
import os
import re
import subprocess
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import icalendar
import pytest
import requests

from harness import (TOP, YEAR, assert_problem, at, describe, event_body,
                     parse_time, registration_body, session_body, unique,
                     wait_until)

ICALCHECK = os.path.abspath(os.environ.get("LEERKANS_ICALCHECK")
                            or os.path.join(TOP, "tests", "icalcheck"))
IDENTITY = {"Accept-Encoding": "identity"}
KINDS = ("network-event", "academy-session", "sme-info-session")


# -- reading a feed -----------------------------------------------------------

def raw_get(daemon, path, headers=None, method="GET"):
    """The response with its body exactly as sent (no decoding)."""
    r = daemon.request(method, path, headers=headers, stream=True)
    r.raw_bytes = r.raw.read(decode_content=False)
    r.close()
    return r


def check_bytes(data):
    """RFC 5545 shape of the raw text."""
    assert data.endswith(b"\r\n"), data[-20:]
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    data.decode("utf-8")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, "line of %d octets: %r" % (len(line), line)
        # each physical line is whole characters: nothing split by folding
        line.decode("utf-8")


def libical(data, listing=True):
    """Run icalcheck; return [(uid, sequence, status, start, end)]."""
    if not os.access(ICALCHECK, os.X_OK):
        pytest.fail("%s is missing: run `make check` (or make tests/icalcheck)"
                    % ICALCHECK)
    with tempfile.NamedTemporaryFile(suffix=".ics") as f:
        f.write(data)
        f.flush()
        proc = subprocess.run([ICALCHECK] + (["-l"] if listing else []) + [f.name],
                              capture_output=True, text=True, timeout=30)
    errors = [l for l in proc.stdout.splitlines() if not l.startswith("VEVENT\t")]
    assert proc.returncode == 0 and not errors, "libical: %s %s" % (
        proc.stdout, proc.stderr)
    out = []
    for line in proc.stdout.splitlines():
        _, uid, seq, status, start, end = line.split("\t")
        out.append((uid, int(seq), status, int(start), int(end)))
    return out


class Feed:
    """A feed read by both parsers; events by UID."""

    def __init__(self, data):
        check_bytes(data)
        self.data = data
        self.text = data.decode("utf-8")
        self.cal = icalendar.Calendar.from_ical(data)
        self.libical = {e[0]: e for e in libical(data)}
        self.events = {str(e["UID"]): e for e in self.cal.walk("VEVENT")}
        assert len(self.events) == len(self.cal.walk("VEVENT")), "UIDs repeat"
        assert set(self.events) == set(self.libical), (
            sorted(self.events), sorted(self.libical))
        self.check()

    def check(self):
        cal = self.cal
        assert cal.name == "VCALENDAR"
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"])
        assert str(cal["CALSCALE"]) == "GREGORIAN"
        assert str(cal["METHOD"]) == "PUBLISH"
        assert str(cal["X-WR-CALNAME"])
        assert re.search(r"^REFRESH-INTERVAL;VALUE=DURATION:P", self.text, re.M)
        assert re.search(r"^X-PUBLISHED-TTL:P", self.text, re.M)
        zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
        for z in zones:
            assert not z.startswith("/"), "TZID with a prefix: %s" % z
        assert len(self.text) < 2000 + 1500 * (len(self.events) + len(zones)), \
            "VTIMEZONE not compact?"
        used = set()
        for uid, ev in self.events.items():
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE",
                         "LAST-MODIFIED", "STATUS", "SUMMARY", "URL"):
                assert prop in ev, "%s lacks %s" % (uid, prop)
            assert ev.decoded("DTSTAMP").utcoffset() == timedelta(0)
            assert ev.decoded("LAST-MODIFIED").utcoffset() == timedelta(0)
            for prop in ("DTSTART", "DTEND"):
                tzid = ev[prop].params.get("TZID")
                if tzid is not None:
                    used.add(str(tzid))
            _, seq, status, start, end = self.libical[uid]
            assert seq == int(ev["SEQUENCE"])
            assert status == str(ev["STATUS"])
            # both parsers read the same instants
            assert ev.decoded("DTSTART").timestamp() == start, uid
            assert ev.decoded("DTEND").timestamp() == end, uid
        assert used <= zones, "TZID without VTIMEZONE: %s" % (used - zones)

    def uids(self):
        return set(self.events)

    def event(self, uid):
        return self.events[uid]

    def by_summary(self, text):
        return [e for e in self.events.values() if text in str(e["SUMMARY"])]


def get_feed(daemon, path):
    r = raw_get(daemon, path, headers=IDENTITY)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in r.headers
    return Feed(r.raw_bytes), r


def feed_until(daemon, path, predicate, timeout=2):
    """The feed once predicate(feed) holds: for changes made elsewhere,
    which arrive with their notification, a moment after their commit."""
    def attempt():
        feed = get_feed(daemon, path)[0]
        return feed if predicate(feed) else None
    return wait_until(attempt, timeout, interval=0.01, what=path)


def uid_of(kind, api_id):
    return "%s-%s@leerkans.invalid" % (kind, api_id)


def event_id(pg, slug):
    return int(pg.psql("SELECT id FROM events WHERE slug = '%s'" % slug)[0][0])


def session_ids(pg, slug):
    rows = pg.psql("SELECT s.slug, s.id FROM sessions s JOIN events e"
                   " ON e.id = s.event_id WHERE e.slug = '%s'" % slug)
    return {s: int(i) for s, i in rows}


def register(daemon, slug, sessions=(), **fields):
    body = {"name": "An Peeters", "email": unique("an") + "@example.be",
            "organisation": "Bakkerij Peeters bv", "role": "employer",
            "organisation_type": "sme", "postcode": "8900",
            "sessions": list(sessions), "consent": {"privacy": True},
            "language": "nl"}
    body.update(fields)
    r = daemon.post("/api/v1/events/%s/registrations" % slug, json=body)
    assert r.status_code == 201, describe(r)
    answer = r.json()
    m = re.fullmatch(r"/feeds/personal/([A-Za-z0-9_-]+)\.ics",
                     answer["calendar_url"])
    assert m, answer
    return answer, m.group(1), body


@pytest.fixture
def event_with_sessions(daemon, token, new_event):
    ev = new_event(title="Netwerkevent: leren, werken; groeien \\ samen",
                   description="Één dag vol netwerken \u2014 caf\u00e9 \u20ac0.\n"
                               "Tweede regel; met komma, en backslash \\ " +
                               "lang " * 30 + "\u6f22\u5b57" * 20,
                   kind="network-event")
    sessions = []
    for i, (start, end) in enumerate([((3, 18, 14, 30), (3, 18, 15, 30)),
                                      ((3, 18, 15, 45), (3, 18, 16, 45))]):
        body = session_body(title="Sessie %d, deel; %d" % (i, i),
                            starts_at=at(*start), ends_at=at(*end))
        r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                        json=body)
        assert r.status_code == 201, describe(r)
        sessions.append(r.json())
    return ev, sessions


# -- every feed, both parsers ---------------------------------------------------

def test_every_feed_parses_with_both_parsers(daemon, pg, event_with_sessions,
                                              new_event):
    ev, sessions = event_with_sessions
    other = new_event(kind="sme-info-session", timezone="America/New_York",
                      starts_at="%d-06-10T18:00:00Z" % YEAR,
                      ends_at="%d-06-10T20:00:00Z" % YEAR)
    answer, tok, _ = register(daemon, ev["slug"], [sessions[0]["slug"]])
    eid = event_id(pg, ev["slug"])

    paths = ["/feeds/events.ics", "/events/%s.ics" % ev["slug"],
             "/events/%s.ics" % other["slug"], "/feeds/personal/%s.ics" % tok]
    paths += ["/feeds/%s.ics" % k for k in KINDS]
    feeds = {p: get_feed(daemon, p)[0] for p in paths}

    all_feed = feeds["/feeds/events.ics"]
    assert uid_of("event", eid) in all_feed.uids()
    assert uid_of("event", event_id(pg, other["slug"])) in all_feed.uids()
    # the catalogue feeds hold events; sessions are in the event's feed
    assert not any(u.startswith("session-") for u in all_feed.uids())
    assert uid_of("event", eid) in feeds["/feeds/network-event.ics"].uids()
    assert uid_of("event", eid) not in feeds["/feeds/academy-session.ics"].uids()
    assert uid_of("event", event_id(pg, other["slug"])) in \
        feeds["/feeds/sme-info-session.ics"].uids()
    ny = feeds["/events/%s.ics" % other["slug"]]
    assert "TZID:America/New_York" in ny.text
    assert "DTSTART;TZID=America/New_York:%d0610T140000" % YEAR in ny.text


def test_event_feed_has_the_event_and_each_session(daemon, pg, event_with_sessions):
    ev, sessions = event_with_sessions
    feed, r = get_feed(daemon, "/events/%s.ics" % ev["slug"])
    eid = event_id(pg, ev["slug"])
    sids = session_ids(pg, ev["slug"])
    want = {uid_of("event", eid)} | {uid_of("session", sids[s["slug"]])
                                     for s in sessions}
    assert feed.uids() == want

    e = feed.event(uid_of("event", eid))
    assert str(e["SUMMARY"]) == ev["title"]
    assert str(e["DESCRIPTION"]) == ev["description"]
    assert str(e["URL"]) == daemon.url + "/events/" + ev["slug"]
    assert "POM West-Vlaanderen" in str(e["LOCATION"])
    assert "8310 Brugge" in str(e["LOCATION"])
    assert str(e["STATUS"]) == "CONFIRMED"
    assert e["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert e.decoded("DTSTART") == parse_time(ev["starts_at"])
    assert e.decoded("DTEND") == parse_time(ev["ends_at"])
    assert "TZID:Europe/Brussels" in feed.text
    assert "freeassociation" not in feed.text

    for s in sessions:
        se = feed.event(uid_of("session", sids[s["slug"]]))
        assert s["title"] in str(se["SUMMARY"])
        assert se.decoded("DTSTART") == parse_time(s["starts_at"])
        assert se.decoded("DTEND") == parse_time(s["ends_at"])
        assert "Zaal 1" in str(se["LOCATION"])
        assert str(se["URL"]) == daemon.url + "/events/" + ev["slug"]

    # the escapes were needed, and folding split no character
    assert "\\," in feed.text and "\\;" in feed.text and "\\\\" in feed.text
    assert "\\n" in feed.text
    assert any(len(l.encode()) > 70 for l in feed.text.split("\r\n"))


def test_an_event_across_the_dst_change(daemon, new_event):
    # Europe/Brussels goes to summer time on the last Sunday of March
    last_sunday = max(d for d in range(25, 32)
                      if datetime(YEAR, 3, d).weekday() == 6)
    ev = new_event(starts_at=at(3, last_sunday - 1, 10),
                   ends_at=at(3, last_sunday, 16))
    assert ev["starts_at"].endswith("+01:00") and ev["ends_at"].endswith("+02:00")
    feed, _ = get_feed(daemon, "/events/%s.ics" % ev["slug"])
    (e,) = feed.events.values()
    assert e.decoded("DTSTART") == parse_time(ev["starts_at"])
    assert e.decoded("DTEND") == parse_time(ev["ends_at"])
    assert "DTEND;TZID=Europe/Brussels:%d03%02dT160000" % (YEAR, last_sunday) \
        in feed.text
    vtz = feed.cal.walk("VTIMEZONE")[0]
    assert {c.name for c in vtz.subcomponents} == {"STANDARD", "DAYLIGHT"}


# -- staying right as events change -----------------------------------------------

def test_uids_stay_and_sequence_rises_across_an_edit(daemon, pg, token,
                                                     event_with_sessions):
    ev, sessions = event_with_sessions
    path = "/events/%s.ics" % ev["slug"]
    before, r1 = get_feed(daemon, path)
    seq_before = {u: int(e["SEQUENCE"]) for u, e in before.events.items()}

    r = daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                     json={"title": "Verplaatst netwerkevent",
                           "starts_at": at(3, 18, 13), "ends_at": at(3, 18, 18)})
    assert r.status_code == 200, describe(r)
    after, r2 = get_feed(daemon, path)
    assert after.uids() == before.uids()
    for uid in after.uids():
        assert ev["slug"] not in uid
        assert int(after.event(uid)["SEQUENCE"]) > seq_before[uid], uid
    e = after.event(uid_of("event", event_id(pg, ev["slug"])))
    assert str(e["SUMMARY"]) == "Verplaatst netwerkevent"
    assert e.decoded("DTSTART") == parse_time(at(3, 18, 13))
    assert r2.headers["ETag"] != r1.headers["ETag"]

    # a session's own change raises that session's SEQUENCE alone
    s = sessions[1]
    r = daemon.patch("/api/v1/events/%s/sessions/%s" % (ev["slug"], s["slug"]),
                     token=token, json={"room": "Zaal 9"})
    assert r.status_code == 200, describe(r)
    again, _ = get_feed(daemon, path)
    sid = uid_of("session", session_ids(pg, ev["slug"])[s["slug"]])
    for uid in again.uids():
        grew = int(again.event(uid)["SEQUENCE"]) - int(after.event(uid)["SEQUENCE"])
        assert grew == (1 if uid == sid else 0), uid
    assert "Zaal 9" in str(again.event(sid)["LOCATION"])


def test_a_cancelled_event_stays_marked_cancelled(daemon, pg, token,
                                                  event_with_sessions):
    ev, _ = event_with_sessions
    uid = uid_of("event", event_id(pg, ev["slug"]))
    seq = int(get_feed(daemon, "/feeds/events.ics")[0].event(uid)["SEQUENCE"])
    r = daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                     json={"status": "cancelled"})
    assert r.status_code == 200, describe(r)
    for path in ("/feeds/events.ics", "/feeds/network-event.ics"):
        feed, _ = get_feed(daemon, path)
        assert str(feed.event(uid)["STATUS"]) == "CANCELLED", path
        assert int(feed.event(uid)["SEQUENCE"]) > seq
    feed, _ = get_feed(daemon, "/events/%s.ics" % ev["slug"])
    assert len(feed.events) == 3
    assert all(str(e["STATUS"]) == "CANCELLED" for e in feed.events.values())
    assert all(s == "CANCELLED" for _, _, s, _, _ in feed.libical.values())


def test_drafts_never_appear(daemon, pg, token, new_event):
    title = unique("Ontwerp")
    draft = new_event(status="draft", title=title)
    shown = new_event(title=unique("Zichtbaar"))
    for path in ["/feeds/events.ics"] + ["/feeds/%s.ics" % k for k in KINDS]:
        r = raw_get(daemon, path, headers=IDENTITY)
        assert r.status_code == 200 and title.encode() not in r.raw_bytes, path
    assert_problem(daemon.get("/events/%s.ics" % draft["slug"]), 404)

    # published, then back to draft: gone again
    uid = uid_of("event", event_id(pg, shown["slug"]))
    assert uid in get_feed(daemon, "/feeds/events.ics")[0].uids()
    r = daemon.patch("/api/v1/events/" + shown["slug"], token=token,
                     json={"status": "draft"})
    assert r.status_code == 200, describe(r)
    assert uid not in get_feed(daemon, "/feeds/events.ics")[0].uids()
    assert_problem(daemon.get("/events/%s.ics" % shown["slug"]), 404)


def test_public_feeds_keep_twelve_months_of_history(daemon, pg, new_event):
    recent, old, leaving = new_event(), new_event(), new_event()
    pg.psql("UPDATE events SET starts_at = now() - interval '11 months',"
            " ends_at = now() - interval '11 months' + interval '2 hours'"
            " WHERE slug = '%s';"
            "UPDATE events SET starts_at = now() - interval '13 months',"
            " ends_at = now() - interval '13 months' + interval '2 hours'"
            " WHERE slug = '%s';"
            "UPDATE events SET ends_at = now() - interval '12 months'"
            " + interval '3 seconds', starts_at = now() - interval '12 months'"
            " - interval '1 hour' WHERE slug = '%s'"
            % (recent["slug"], old["slug"], leaving["slug"]))
    uid = {e["slug"]: uid_of("event", event_id(pg, e["slug"]))
           for e in (recent, old, leaving)}
    # a change made elsewhere arrives with its notification
    feed = feed_until(daemon, "/feeds/events.ics",
                      lambda f: uid[old["slug"]] not in f.uids())
    assert uid[recent["slug"]] in feed.uids()
    assert uid[leaving["slug"]] in feed.uids()
    # asked for by name, an old event's own feed is still there
    get_feed(daemon, "/events/%s.ics" % old["slug"])
    # nothing changes in the database when an event leaves the window:
    # the rendered feed knows when it runs out
    time.sleep(3.5)
    feed = get_feed(daemon, "/feeds/events.ics")[0]
    assert uid[leaving["slug"]] not in feed.uids()
    assert uid[recent["slug"]] in feed.uids()


# -- HTTP ---------------------------------------------------------------------------

def test_validators_and_304(daemon, new_event):
    new_event()
    r = raw_get(daemon, "/feeds/events.ics", headers=IDENTITY)
    etag, lm = r.headers["ETag"], r.headers["Last-Modified"]
    assert re.fullmatch(r'"[^"]+"', etag), "a strong ETag: %s" % etag
    parsedate_to_datetime(lm)
    assert "Accept-Encoding" in r.headers.get("Vary", "")

    for headers in ({"If-None-Match": etag}, {"If-None-Match": '"x", ' + etag},
                    {"If-None-Match": "W/" + etag}, {"If-None-Match": "*"},
                    {"If-Modified-Since": lm}):
        n = raw_get(daemon, "/feeds/events.ics", headers=dict(IDENTITY, **headers))
        assert n.status_code == 304, (headers, describe(n))
        assert n.raw_bytes == b""
        assert n.headers["ETag"] == etag
        assert n.headers["Last-Modified"] == lm

    earlier = format_datetime(parsedate_to_datetime(lm) - timedelta(seconds=1),
                              usegmt=True)
    for headers in ({"If-None-Match": '"other"'}, {"If-Modified-Since": earlier},
                    # If-None-Match wins over If-Modified-Since
                    {"If-None-Match": '"other"', "If-Modified-Since": lm},
                    {"If-Modified-Since": "not a date"}):
        n = raw_get(daemon, "/feeds/events.ics", headers=dict(IDENTITY, **headers))
        assert n.status_code == 200, (headers, describe(n))
        assert n.raw_bytes == r.raw_bytes

    # the tag of one encoding validates the other
    g = raw_get(daemon, "/feeds/events.ics", headers={"Accept-Encoding": "gzip",
                                                      "If-None-Match": etag})
    assert g.status_code == 304 and g.headers["ETag"] != etag


def test_gzip_decodes_to_the_same_bytes(daemon, event_with_sessions):
    ev, _ = event_with_sessions
    for path in ("/feeds/events.ics", "/events/%s.ics" % ev["slug"]):
        plain = raw_get(daemon, path, headers=IDENTITY)
        gz = raw_get(daemon, path, headers={"Accept-Encoding": "gzip, deflate"})
        assert gz.headers.get("Content-Encoding") == "gzip", describe(gz)
        assert gzip.decompress(gz.raw_bytes) == plain.raw_bytes
        assert len(gz.raw_bytes) < len(plain.raw_bytes)
        assert int(gz.headers["Content-Length"]) == len(gz.raw_bytes)
        assert gz.headers["ETag"] != plain.headers["ETag"]
        assert gz.headers["Last-Modified"] == plain.headers["Last-Modified"]
        for ae in ("gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0, *"):
            r = raw_get(daemon, path, headers={"Accept-Encoding": ae})
            assert "Content-Encoding" not in r.headers, ae
            assert r.raw_bytes == plain.raw_bytes, ae
        for ae in ("GZIP", "*", "br;q=1, gzip;q=0.5", "x-gzip"):
            r = raw_get(daemon, path, headers={"Accept-Encoding": ae})
            assert r.headers.get("Content-Encoding") == "gzip", ae


def test_head_answers_like_get(daemon, new_event):
    ev = new_event()
    for path in ("/feeds/events.ics", "/events/%s.ics" % ev["slug"]):
        for headers in (IDENTITY, {"Accept-Encoding": "gzip"}):
            g = raw_get(daemon, path, headers=headers)
            h = raw_get(daemon, path, headers=headers, method="HEAD")
            assert h.status_code == 200 and h.raw_bytes == b""
            assert int(h.headers["Content-Length"]) == len(g.raw_bytes)
            for k in ("ETag", "Last-Modified", "Content-Type"):
                assert h.headers[k] == g.headers[k], k
        h = raw_get(daemon, path, headers={"If-None-Match": g.headers["ETag"],
                                           "Accept-Encoding": "gzip"},
                    method="HEAD")
        assert h.status_code == 304


def test_unknown_feeds_are_404(daemon, new_event):
    for path in ("/feeds/no-such-kind.ics", "/feeds/Network-Event.ics",
                 "/events/no-such-event.ics", "/events/%s.ics" % ("x" * 90),
                 "/feeds/personal/%s.ics" % ("A" * 43),
                 "/feeds/personal/short.ics", "/feeds/personal/.ics",
                 "/feeds/events.json"):
        assert_problem(daemon.get(path), 404)
    r = daemon.post("/feeds/events.ics", json={})
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


# -- privacy and the personal feed -------------------------------------------------

def test_no_registrant_data_in_any_feed(daemon, pg, event_with_sessions):
    ev, sessions = event_with_sessions
    name, org = unique("Naam"), unique("Organisatie")
    answer, tok, body = register(daemon, ev["slug"], [sessions[1]["slug"]],
                                 name=name, organisation=org,
                                 enterprise_number="0403.170.701")
    secrets = [name, org, body["email"], "0403170701", "0403.170.701", tok]
    paths = ["/feeds/events.ics", "/events/%s.ics" % ev["slug"],
             "/feeds/personal/%s.ics" % tok] + ["/feeds/%s.ics" % k for k in KINDS]
    for path in paths:
        text = get_feed(daemon, path)[0].text
        for s in secrets:
            assert s not in text, (path, s)
        assert "@example.be" not in text, path
    # nor is the token in the log
    time.sleep(0.2)
    assert tok not in daemon.stderr_text()


def test_personal_feed_follows_the_registration(daemon, pg, token, new_event):
    ev = new_event(capacity=1, kind="network-event")
    other = new_event()
    r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                    json=session_body(capacity=5))
    assert r.status_code == 201, describe(r)
    s = r.json()
    eid = event_id(pg, ev["slug"])
    sid = session_ids(pg, ev["slug"])[s["slug"]]

    first, tok1, _ = register(daemon, ev["slug"], [s["slug"]])
    second, tok2, _ = register(daemon, ev["slug"], [s["slug"]])
    assert first["status"] == "confirmed" and second["status"] == "waitlisted"

    # each feed holds the event and the session, whatever their status, so
    # that the statuses below are of something
    held = {uid_of("event", eid), uid_of("session", sid)}
    f1 = get_feed(daemon, "/feeds/personal/%s.ics" % tok1)[0]
    assert f1.uids() == held
    assert uid_of("event", event_id(pg, other["slug"])) not in f1.uids()
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in f1.events.values())
    f2 = get_feed(daemon, "/feeds/personal/%s.ics" % tok2)[0]
    assert f2.uids() == held
    assert all(str(e["STATUS"]) == "TENTATIVE" for e in f2.events.values())
    etag2 = raw_get(daemon, "/feeds/personal/%s.ics" % tok2).headers["ETag"]
    assert raw_get(daemon, "/feeds/personal/%s.ics" % tok2).headers[
        "Cache-Control"].startswith("private")

    # the first cancels: their feed shows it, the second moves up
    r = daemon.request("DELETE", "/api/v1/registrations/" + tok1)
    assert r.status_code == 200, describe(r)
    f1 = get_feed(daemon, "/feeds/personal/%s.ics" % tok1)[0]
    assert f1.uids() == held
    assert all(str(e["STATUS"]) == "CANCELLED" for e in f1.events.values())
    f2, r2 = get_feed(daemon, "/feeds/personal/%s.ics" % tok2)
    assert f2.uids() == held
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in f2.events.values()), \
        f2.text
    assert r2.headers["ETag"] != etag2

    # a cancelled event shows as cancelled
    r = daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                     json={"status": "cancelled"})
    assert r.status_code == 200, describe(r)
    f2 = get_feed(daemon, "/feeds/personal/%s.ics" % tok2)[0]
    assert f2.uids() == held
    assert all(str(e["STATUS"]) == "CANCELLED" for e in f2.events.values())


# -- rendered once per change, shared by every daemon ----------------------------

def renders(d, path):
    return d.stderr_text().count("feeds: %s: rendered" % path)


def test_rendered_once_per_change(start_daemon, token, new_event):
    d = start_daemon(env={"LEERKANS_LOG_LEVEL": "debug"})
    wait_until(lambda: "database: listening" in d.stderr_text(), 10,
               what="the listener")
    heard = d.stderr_text().count("feeds: notified")
    ev = new_event()    # through the other daemon: d hears of it
    wait_until(lambda: d.stderr_text().count("feeds: notified") > heard, 5,
               what="the notification")
    path = "/events/%s.ics" % ev["slug"]
    for _ in range(10):
        assert d.get(path).status_code == 200
    assert renders(d, path) == 1

    r = d.patch("/api/v1/events/" + ev["slug"], token=token,
                json={"title": "Nieuwe titel"})
    assert r.status_code == 200
    wait_until(lambda: "Nieuwe titel" in d.get(path).text, 5, interval=0.02,
               what="the new title")
    # many at once after a change: one rendering between them
    r = d.patch("/api/v1/events/" + ev["slug"], token=token,
                json={"title": "Nog een titel"})
    assert r.status_code == 200
    time.sleep(0.2)
    before = renders(d, path)
    results = []

    def fetch():
        results.append(requests.get(d.url + path, timeout=10))
    threads = [threading.Thread(target=fetch) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.status_code == 200 and "Nog een titel" in r.text for r in results)
    assert len({r.headers["ETag"] for r in results}) == 1
    assert renders(d, path) - before == 1

    # registering changes seat counts, which no public feed shows: no
    # notification, no rendering
    before = renders(d, path)
    register(d, ev["slug"])
    time.sleep(0.2)
    assert d.get(path).status_code == 200
    assert renders(d, path) == before


def test_cached_json_is_answered_while_registrations_keep_coming(start_daemon, token):
    """Each registration invalidates the event's cached JSON (its seats).
    A request that came during one fill and saw another invalidation before
    the next used to wait, while fill after fill ran, until its deadline
    (503): every later fill answered only the requests of its own
    generation.  Now a fill answers every request that came before it
    started."""
    d = start_daemon(env={"LEERKANS_REQUEST_TIMEOUT": "3"})
    ev = d.post("/api/v1/events", token=token, json=event_body(capacity=None)).json()
    path = "/api/v1/events/" + ev["slug"]
    stop = threading.Event()
    answers, lock = [], threading.Lock()

    def registrar():
        while not stop.is_set():
            d.post(path + "/registrations", json=registration_body(
                email="%s@example.be" % unique("seat")))

    def reader():
        while not stop.is_set():
            try:
                status = requests.get(d.url + path, timeout=10).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            with lock:
                answers.append(status)

    threads = [threading.Thread(target=registrar) for _ in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(6)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(answers) >= 20, answers
    assert [a for a in answers if a != 200] == [], \
        "%d of %d reads not answered 200" % (sum(a != 200 for a in answers), len(answers))
    assert "no answer within" not in d.stderr_text()


def test_two_daemons_on_one_database(daemon, start_daemon, token, new_event):
    # behind one address, as they would be deployed
    b = start_daemon(env={"LEERKANS_PUBLIC_URL": daemon.url})
    wait_until(lambda: "listening" in b.stderr_text() or
               b.get("/readyz").status_code == 200, 10, what="daemon B")
    ev = new_event()
    paths = ["/feeds/events.ics", "/feeds/academy-session.ics",
             "/events/%s.ics" % ev["slug"]]
    tags = {}
    for p in paths:
        ra, rb = raw_get(daemon, p), raw_get(b, p)
        assert rb.status_code == 200
        # the same data renders to the same bytes in every daemon
        assert ra.raw_bytes == rb.raw_bytes and ra.headers["ETag"] == \
            rb.headers["ETag"], p
        tags[p] = rb.headers["ETag"]

    title = unique("Gewijzigd via A")
    t0 = time.monotonic()
    r = daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                     json={"title": title})
    assert r.status_code == 200, describe(r)
    for p in paths:
        got = wait_until(lambda: (lambda r: r if title in r.text else None)(
            b.get(p)), 2, interval=0.01, what="%s on daemon B" % p)
        assert got.headers["ETag"] != tags[p]
    elapsed = time.monotonic() - t0
    assert elapsed < 2
    print("change seen on daemon B after %.3f s" % elapsed)


def test_listener_reconnects_and_forgets(pg, start_daemon, token, new_event):
    d = start_daemon(env={"LEERKANS_LOG_LEVEL": "debug"})
    wait_until(lambda: "database: listening" in d.stderr_text(), 10,
               what="the listener")
    ev = new_event()
    path = "/events/%s.ics" % ev["slug"]
    assert d.get(path).status_code == 200

    def listeners():
        return int(pg.psql("SELECT count(*) FROM pg_stat_activity"
                           " WHERE application_name = 'leerkansd listener'"
                           " AND query = 'LISTEN leerkans_feeds'")[0][0])
    assert listeners() >= 2     # the shared daemon's and this one's
    # every listener goes; a change lands before they are back
    pg.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'leerkansd listener';"
            "UPDATE events SET title = 'Gewijzigd in stilte',"
            " updated_at = now() WHERE slug = '%s'" % ev["slug"])
    wait_until(lambda: "listening again" in d.stderr_text(), 10,
               what="the listener back")
    assert "Gewijzigd in stilte" in d.get(path).text
    wait_until(lambda: listeners() >= 2, 5, what="LISTEN again")

    # and it hears the next change
    for _ in range(3):
        d.get(path)
    pg.psql("UPDATE events SET title = 'Weer gewijzigd', updated_at = now()"
            " WHERE slug = '%s'" % ev["slug"])
    wait_until(lambda: "Weer gewijzigd" in d.get(path).text, 2, interval=0.02,
               what="the next change")


def test_a_slow_reader_keeps_its_bytes_across_a_change(own_cluster, start_daemon):
    """Cached answers are sent without a copy: a client still reading the
    old feed when it changes must get every byte of the old one.  (A
    cluster of its own: these long events would swell other tests' feeds.)"""
    import socket
    from conftest import ctl_env_for
    import harness
    daemon = start_daemon(cluster=own_cluster)
    token = harness.run_ctl("token", "create", harness.unique("org"),
                            env=ctl_env_for(own_cluster)).stdout.strip()

    def new_event(**fields):
        body = harness.event_body(**fields)
        r = daemon.post("/api/v1/events", token=token, json=body)
        assert r.status_code == 201, harness.describe(r)
        return r.json()

    for _ in range(40):
        new_event(description="x" * 2000)
    full = daemon.get("/feeds/events.ics").content
    assert len(full) > 60000
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", daemon.port))
    s.settimeout(10)
    try:
        s.sendall(b"GET /feeds/events.ics HTTP/1.1\r\nHost: x\r\n\r\n")
        got = s.recv(2048)
        # the feed changes, and is rendered again, while we read
        ev = new_event(title="Nieuw tijdens het lezen")
        r = daemon.patch("/api/v1/events/%s" % ev["slug"], token=token,
                         json={"title": "Nog eens veranderd"})
        assert r.status_code == 200
        assert b"Nog eens veranderd" in daemon.get("/feeds/events.ics").content
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
            head, _, body = got.partition(b"\r\n\r\n")
            m = re.search(rb"Content-Length: (\d+)", head)
            if m and len(body) >= int(m.group(1)):
                break
    finally:
        s.close()
    head, _, body = got.partition(b"\r\n\r\n")
    assert body == full, "the old feed arrived damaged (%d of %d bytes)" % (
        len(body), len(full))
