"""The events catalogue: API.md sections 1 and 3 (events and sessions)."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from harness import (BRUSSELS, DROP, YEAR, assert_json, assert_problem, at,
                     describe, error_fields, event_body, parse_time,
                     session_body, unique)

EVENT_FIELDS = {
    "slug", "kind", "title", "description", "language", "starts_at", "ends_at",
    "timezone", "venue", "online_url", "price_text", "capacity", "waitlist",
    "registration_opens_at", "registration_closes_at", "status", "sequence",
    "seats_left", "waitlist_length", "sessions", "created_at", "updated_at",
}
SESSION_FIELDS = {
    "slug", "title", "description", "starts_at", "ends_at", "room", "capacity",
    "seats_left", "waitlist_length",
}
VENUE_FIELDS = {"name", "address", "postcode", "city"}


def in_zone(value, tz):
    """The RFC 3339 text the daemon should give for instant `value` in tz."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(
        ZoneInfo(tz)).isoformat()


def get_event(daemon, slug, token=None):
    return daemon.get("/api/v1/events/" + slug, token=token)


def assert_absent(daemon, token, slug):
    """Nothing was written: the slug is unknown even to an organiser."""
    r = get_event(daemon, slug, token=token)
    assert r.status_code == 404, describe(r)


def list_events(daemon, token=None, **params):
    r = daemon.get("/api/v1/events", token=token, params=params)
    body = assert_json(r, 200)
    assert isinstance(body.get("events"), list), body
    return body["events"]


def slugs_of(events, mine):
    return [e["slug"] for e in events if e["slug"] in mine]


def assert_soonest_first(events):
    starts = [parse_time(e["starts_at"]) for e in events]
    assert starts == sorted(starts), [e["starts_at"] for e in events]


# -- creating ---------------------------------------------------------------

def test_create_returns_201_location_and_every_field(daemon, token):
    body = event_body(registration_opens_at=at(1, 10, 9),
                      registration_closes_at=at(3, 17, 12))
    r = daemon.post("/api/v1/events", token=token, json=body)
    ev = assert_json(r, 201)
    # a path, not a URL: the daemon does not know the name it was reached by
    location = r.headers.get("Location")
    assert location == "/api/v1/events/" + body["slug"], describe(r)

    missing = EVENT_FIELDS - set(ev)
    assert not missing, "missing fields %s in %s" % (sorted(missing), ev)
    for field in ("slug", "kind", "title", "description", "language", "starts_at",
                  "ends_at", "timezone", "capacity", "waitlist", "status",
                  "registration_opens_at", "registration_closes_at"):
        assert ev[field] == body[field], (field, ev[field], body[field])
    assert ev["venue"] == body["venue"]
    assert ev["online_url"] is None
    assert ev["sequence"] == 0
    assert ev["seats_left"] == body["capacity"]
    assert ev["waitlist_length"] == 0
    assert ev["sessions"] == []
    created, updated = parse_time(ev["created_at"]), parse_time(ev["updated_at"])
    assert updated >= created

    again = assert_json(daemon.get(location), 200)
    for field in EVENT_FIELDS:
        assert again[field] == ev[field], (field, again[field], ev[field])


def test_times_come_back_in_the_events_timezone(new_event):
    # Instants sent in UTC come back as wall-clock time with the zone's offset.
    winter = new_event(starts_at="%d-03-18T13:00:00Z" % YEAR,
                       ends_at="%d-03-18T16:00:00Z" % YEAR,
                       registration_closes_at="%d-03-17T11:00:00+00:00" % YEAR)
    assert winter["starts_at"] == "%d-03-18T14:00:00+01:00" % YEAR
    assert winter["ends_at"] == "%d-03-18T17:00:00+01:00" % YEAR
    assert winter["registration_closes_at"] == "%d-03-17T12:00:00+01:00" % YEAR

    summer = new_event(starts_at="%d-06-10T07:00:00Z" % YEAR,
                       ends_at="%d-06-10T10:30:00+00:00" % YEAR)
    assert summer["starts_at"] == "%d-06-10T09:00:00+02:00" % YEAR
    assert summer["ends_at"] == "%d-06-10T12:30:00+02:00" % YEAR

    ny = "America/New_York"
    other = new_event(timezone=ny, starts_at="%d-03-18T18:00:00Z" % YEAR,
                      ends_at="%d-03-18T20:00:00+01:00" % YEAR)
    assert other["timezone"] == ny
    assert other["starts_at"] == in_zone("%d-03-18T18:00:00Z" % YEAR, ny)
    assert other["starts_at"].endswith("-04:00"), other["starts_at"]
    assert other["ends_at"] == in_zone("%d-03-18T20:00:00+01:00" % YEAR, ny)


def test_defaults_for_optional_fields(daemon, token):
    body = event_body(language=DROP, timezone=DROP, capacity=DROP, waitlist=DROP,
                      venue=DROP, description=DROP,
                      online_url="https://meet.example.be/leerkans",
                      starts_at="%d-03-20T09:00:00Z" % YEAR,
                      ends_at="%d-03-20T10:00:00Z" % YEAR)
    ev = assert_json(daemon.post("/api/v1/events", token=token, json=body), 201)
    assert EVENT_FIELDS <= set(ev), sorted(EVENT_FIELDS - set(ev))
    assert ev["language"] == "nl"
    assert ev["timezone"] == BRUSSELS
    assert ev["starts_at"] == "%d-03-20T10:00:00+01:00" % YEAR
    assert ev["waitlist"] is True
    assert ev["capacity"] is None and ev["seats_left"] is None
    assert ev["online_url"] == body["online_url"]
    venue = ev["venue"]
    assert venue is None or not any(venue.values()), venue
    assert ev["description"] in (None, "")


def test_accepts_json_with_charset_parameter(daemon, token):
    body = event_body()
    r = daemon.post("/api/v1/events", token=token,
                    data=json.dumps(body).encode(),
                    headers={"Content-Type": "application/json; charset=utf-8"})
    assert assert_json(r, 201)["slug"] == body["slug"]


def test_non_ascii_text_round_trips(new_event):
    title = "Café ‘Leren’ — Ieper, Westhoek ✓"
    ev = new_event(title=title, description="Één, twee, drie: €5 — ßüñ 漢字")
    assert ev["title"] == title
    assert ev["description"] == "Één, twee, drie: €5 — ßüñ 漢字"


def test_duplicate_slug_is_409_and_keeps_the_first(daemon, token, new_event):
    first = new_event(title="De eerste")
    r = daemon.post("/api/v1/events", token=token,
                    json=event_body(slug=first["slug"], title="De tweede"))
    assert_problem(r, 409)
    again = assert_json(get_event(daemon, first["slug"]), 200)
    assert again["title"] == "De eerste"
    assert again["updated_at"] == first["updated_at"]


def test_several_bad_fields_are_all_listed(daemon, token):
    title = unique("never-written")
    body = event_body(slug="Bad_Slug-%s" % unique("X"), kind="no-such-kind",
                      starts_at=at(3, 18, 17), ends_at=at(3, 18, 14),
                      capacity=-1, colour="red", language="de",
                      timezone="Mars/Olympus_Mons", status="archived", title=title)
    problem = assert_problem(daemon.post("/api/v1/events", token=token, json=body), 422)
    fields = error_fields(problem)
    for expected in ("slug", "kind", "capacity", "colour", "language", "timezone",
                     "status"):
        assert expected in fields, "%s not in %s" % (expected, problem)
    assert fields & {"ends_at", "starts_at"}, problem
    organiser_view = list_events(daemon, token=token)
    assert title not in [e["title"] for e in organiser_view]
    assert_absent(daemon, token, body["slug"].lower())


BAD_FIELDS = [
    # (id, overrides, acceptable error field names)
    ("slug-uppercase", {"slug": "Hoofdletters"}, {"slug"}),
    ("slug-space", {"slug": "met spatie"}, {"slug"}),
    ("slug-empty", {"slug": ""}, {"slug"}),
    ("slug-too-long", {"slug": "a" * 81}, {"slug"}),
    ("slug-missing", {"slug": DROP}, {"slug"}),
    ("kind-unknown", {"kind": "webinar"}, {"kind"}),
    ("kind-missing", {"kind": DROP}, {"kind"}),
    ("title-missing", {"title": DROP}, {"title"}),
    ("language-unknown", {"language": "de"}, {"language"}),
    ("starts-not-a-time", {"starts_at": "morgen om twee"}, {"starts_at"}),
    ("starts-missing", {"starts_at": DROP}, {"starts_at"}),
    ("ends-before-starts", {"starts_at": at(3, 18, 17), "ends_at": at(3, 18, 14)},
     {"ends_at", "starts_at"}),
    ("timezone-unknown", {"timezone": "Europe/Atlantis"}, {"timezone"}),
    ("capacity-negative", {"capacity": -1}, {"capacity"}),
    ("capacity-string", {"capacity": "veel"}, {"capacity"}),
    ("capacity-fraction", {"capacity": 2.5}, {"capacity"}),
    ("waitlist-not-bool", {"waitlist": "ja"}, {"waitlist"}),
    ("status-unknown", {"status": "archived"}, {"status"}),
    ("title-not-string", {"title": 42}, {"title"}),
    ("unknown-field", {"colour": "red"}, {"colour"}),
    ("unknown-venue-field", {"venue": {"name": "Zaal", "city": "Brugge", "floor": 2}},
     {"venue", "venue.floor", "floor"}),
]


@pytest.mark.parametrize("overrides,accept", [b[1:] for b in BAD_FIELDS],
                         ids=[b[0] for b in BAD_FIELDS])
def test_bad_field_is_422_naming_it(daemon, token, overrides, accept):
    body = event_body(**overrides)
    slug = body.get("slug")
    problem = assert_problem(daemon.post("/api/v1/events", token=token, json=body), 422)
    fields = error_fields(problem)
    assert fields & accept, "expected one of %s in %s" % (sorted(accept), problem)
    if isinstance(slug, str) and slug and len(slug) <= 80:
        assert_absent(daemon, token, slug.lower().replace(" ", "-"))


# -- listing ----------------------------------------------------------------

def test_list_public_is_published_and_cancelled_soonest_first(daemon, token, new_event):
    y = YEAR + 1
    c = new_event(starts_at=at(1, 20, 10, year=y), ends_at=at(1, 20, 12, year=y))
    d = new_event(starts_at=at(1, 15, 10, year=y), ends_at=at(1, 15, 12, year=y),
                  status="draft")
    x = new_event(starts_at=at(1, 10, 10, year=y), ends_at=at(1, 10, 12, year=y))
    patch_event(daemon, token, x["slug"], {"status": "cancelled"})
    a = new_event(starts_at=at(2, 10, 10, year=y), ends_at=at(2, 10, 12, year=y))
    mine = {e["slug"] for e in (a, c, d, x)}

    public = list_events(daemon)
    assert slugs_of(public, mine) == [x["slug"], c["slug"], a["slug"]]
    assert all(e["status"] in ("published", "cancelled") for e in public), \
        sorted({e["status"] for e in public})
    assert_soonest_first(public)
    assert [e["status"] for e in public if e["slug"] == x["slug"]] == ["cancelled"]

    organiser = list_events(daemon, token=token)
    assert slugs_of(organiser, mine) == [x["slug"], d["slug"], c["slug"], a["slug"]]
    assert_soonest_first(organiser)


def test_list_filters_kind_from_to(daemon, new_event):
    y = YEAR + 1
    k1 = new_event(kind="network-event", starts_at=at(4, 10, 10, year=y),
                   ends_at=at(4, 10, 16, year=y))
    k2 = new_event(kind="sme-info-session", starts_at=at(4, 20, 10, year=y),
                   ends_at=at(4, 20, 12, year=y))
    k3 = new_event(kind="academy-session", starts_at=at(5, 10, 10, year=y),
                   ends_at=at(5, 10, 12, year=y))
    mine = {k1["slug"], k2["slug"], k3["slug"]}

    only_sme = list_events(daemon, kind="sme-info-session")
    assert slugs_of(only_sme, mine) == [k2["slug"]]
    assert {e["kind"] for e in only_sme} == {"sme-info-session"}

    window = list_events(daemon, **{"from": "%d-04-15" % y, "to": "%d-04-30" % y})
    assert slugs_of(window, mine) == [k2["slug"]]

    since = list_events(daemon, **{"from": "%d-04-15T00:00:00+02:00" % y})
    assert slugs_of(since, mine) == [k2["slug"], k3["slug"]]
    lower = parse_time("%d-04-15T00:00:00+02:00" % y)
    assert all(parse_time(e["ends_at"]) >= lower for e in since)

    until = list_events(daemon, to="%d-04-15T00:00:00Z" % y)
    assert k1["slug"] in slugs_of(until, mine)
    assert k2["slug"] not in slugs_of(until, mine)
    upper = parse_time("%d-04-15T00:00:00Z" % y)
    assert all(parse_time(e["starts_at"]) <= upper for e in until)

    combined = list_events(daemon, kind="academy-session",
                           **{"from": "%d-04-01" % y, "to": "%d-05-31" % y})
    assert slugs_of(combined, mine) == [k3["slug"]]


@pytest.mark.parametrize("params", [{"from": "gisteren"}, {"to": "2027-13-45"},
                                    {"from": "2027-03-18T25:00:00+01:00"},
                                    {"kind": "Network Event!"},
                                    {"from": "morgen", "to": "2027-02-30"}],
                         ids=["from-word", "to-bad-date", "from-bad-hour",
                              "kind-not-a-slug", "from-and-to"])
def test_list_bad_filter_is_422_naming_it(daemon, params):
    r = daemon.get("/api/v1/events", params=params)
    assert error_fields(assert_problem(r, 422)) == set(params), describe(r)


@pytest.mark.parametrize("query", ["from", "=2027-03-18", "kind=sme-info-session&to"],
                         ids=["no-equals", "no-name", "second-no-equals"])
def test_list_unreadable_query_is_400(daemon, query):
    """A query string that is not name=value pairs is malformed, not a bad
    value of some argument."""
    assert_problem(daemon.get("/api/v1/events?" + query), 400)


def test_draft_is_404_without_token_200_with(daemon, token, new_event):
    draft = new_event(status="draft")
    assert_problem(get_event(daemon, draft["slug"]), 404)
    assert assert_json(get_event(daemon, draft["slug"], token=token), 200)["status"] == "draft"
    assert draft["slug"] not in [e["slug"] for e in list_events(daemon)]


def test_unknown_event_is_404_problem(daemon, token):
    assert_problem(get_event(daemon, unique("nope")), 404)
    assert_problem(get_event(daemon, unique("nope"), token=token), 404)
    r = daemon.patch("/api/v1/events/" + unique("nope"), token=token,
                     json={"title": "x"})
    assert_problem(r, 404)


# -- changing ---------------------------------------------------------------

def patch_event(daemon, token, slug, changes, status=200):
    r = daemon.patch("/api/v1/events/" + slug, token=token, json=changes)
    if status == 200:
        return assert_json(r, 200)
    return assert_problem(r, status)


def test_patch_sequence_counts_time_place_title_status(daemon, token, new_event):
    ev = new_event()
    slug = ev["slug"]
    steps = [
        ({"description": "Nieuwe beschrijving."}, 0),
        ({"capacity": 40}, 0),
        ({"title": "Nieuwe titel"}, 1),
        ({"starts_at": at(3, 18, 13)}, 1),
        ({"ends_at": at(3, 18, 18)}, 1),
        ({"venue": {"name": "Hangar K", "address": "Ter Biezen 5",
                    "postcode": "8500", "city": "Kortrijk"}}, 1),
        ({"online_url": "https://meet.example.be/hangar"}, 1),
        ({"title": "Twee tegelijk", "starts_at": at(3, 18, 12)}, 1),
        ({"description": "Nog eens.", "capacity": 45}, 0),
        ({"status": "cancelled"}, 1),
    ]
    seq = ev["sequence"]
    assert seq == 0
    for changes, bump in steps:
        got = patch_event(daemon, token, slug, changes)
        seq += bump
        assert got["sequence"] == seq, (changes, got["sequence"], seq)
        for k, v in changes.items():
            assert got[k] == v, (k, got[k], v)
        again = assert_json(get_event(daemon, slug, token=token), 200)
        assert again["sequence"] == seq
    assert again["capacity"] == 45 and again["seats_left"] == 45
    assert parse_time(again["updated_at"]) >= parse_time(ev["updated_at"])


def test_cancelled_event_stays_listed(daemon, token, new_event):
    ev = new_event()
    got = patch_event(daemon, token, ev["slug"], {"status": "cancelled"})
    assert got["status"] == "cancelled" and got["sequence"] == ev["sequence"] + 1
    listed = [e for e in list_events(daemon) if e["slug"] == ev["slug"]]
    assert [e["status"] for e in listed] == ["cancelled"]
    assert assert_json(get_event(daemon, ev["slug"]), 200)["status"] == "cancelled"


def test_publishing_a_draft_makes_it_public(daemon, token, new_event):
    draft = new_event(status="draft")
    got = patch_event(daemon, token, draft["slug"], {"status": "published"})
    assert got["sequence"] == draft["sequence"] + 1
    assert assert_json(get_event(daemon, draft["slug"]), 200)["status"] == "published"


@pytest.mark.parametrize("changes,accept", [
    ({"title": "Mag niet blijven", "colour": "red"}, {"colour"}),
    ({"title": "Mag niet blijven", "capacity": -5}, {"capacity"}),
    ({"title": "Mag niet blijven", "kind": "webinar"}, {"kind"}),
    ({"title": "Mag niet blijven", "starts_at": at(3, 19, 9)}, {"starts_at", "ends_at"}),
    ({"title": "Mag niet blijven", "status": "archived"}, {"status"}),
], ids=["unknown-field", "capacity-negative", "kind-unknown", "starts-after-ends",
        "status-unknown"])
def test_bad_patch_is_422_and_changes_nothing(daemon, token, new_event, changes, accept):
    ev = new_event()
    problem = patch_event(daemon, token, ev["slug"], changes, status=422)
    assert error_fields(problem) & accept, problem
    after = assert_json(get_event(daemon, ev["slug"]), 200)
    for field in EVENT_FIELDS:
        assert after[field] == ev[field], (field, after[field], ev[field])


def test_patch_needs_json_and_a_token(daemon, token, new_event):
    ev = new_event()
    path = "/api/v1/events/" + ev["slug"]
    assert_problem(daemon.patch(path, json={"title": "Zonder token"}), 401)
    assert_problem(daemon.patch(path, token=token, data=b'{"title": "Kapot',
                                headers={"Content-Type": "application/json"}), 400)
    assert_problem(daemon.patch(path, token=token, data=b'{"title": "Tekst"}',
                                headers={"Content-Type": "text/plain"}), 415)
    after = assert_json(get_event(daemon, ev["slug"]), 200)
    assert after["title"] == ev["title"] and after["sequence"] == ev["sequence"]
    assert after["updated_at"] == ev["updated_at"]


# -- sessions ---------------------------------------------------------------

def post_session(daemon, token, event_slug, body):
    return daemon.post("/api/v1/events/%s/sessions" % event_slug, token=token, json=body)


def test_sessions_create_list_patch(daemon, token, new_event):
    ev = new_event(kind="network-event", starts_at=at(3, 18, 13), ends_at=at(3, 18, 18))
    first = session_body(starts_at="%d-03-18T13:30:00Z" % YEAR,
                         ends_at="%d-03-18T14:30:00Z" % YEAR)
    s1 = assert_json(post_session(daemon, token, ev["slug"], first), 201)
    assert SESSION_FIELDS <= set(s1), sorted(SESSION_FIELDS - set(s1))
    for field in ("slug", "title", "description", "room", "capacity"):
        assert s1[field] == first[field], (field, s1[field], first[field])
    assert s1["starts_at"] == "%d-03-18T14:30:00+01:00" % YEAR
    assert s1["ends_at"] == "%d-03-18T15:30:00+01:00" % YEAR
    assert s1["seats_left"] == first["capacity"] and s1["waitlist_length"] == 0

    second = session_body(capacity=DROP, room="Zaal 2")
    s2 = assert_json(post_session(daemon, token, ev["slug"], second), 201)
    assert s2["capacity"] is None and s2["seats_left"] is None

    shown = assert_json(get_event(daemon, ev["slug"]), 200)
    by_slug = {s["slug"]: s for s in shown["sessions"]}
    assert set(by_slug) == {first["slug"], second["slug"]}
    assert by_slug[first["slug"]]["starts_at"] == s1["starts_at"]
    assert SESSION_FIELDS <= set(by_slug[second["slug"]])

    r = daemon.patch("/api/v1/events/%s/sessions/%s" % (ev["slug"], first["slug"]),
                     token=token, json={"room": "Zaal 3", "capacity": 12})
    patched = assert_json(r, 200)
    assert patched["room"] == "Zaal 3" and patched["capacity"] == 12
    assert patched["seats_left"] == 12 and patched["title"] == first["title"]
    shown = assert_json(get_event(daemon, ev["slug"]), 200)
    assert {s["slug"]: s["room"] for s in shown["sessions"]}[first["slug"]] == "Zaal 3"


def test_duplicate_session_slug_is_409_only_within_the_event(daemon, token, new_event):
    ev, other = new_event(), new_event()
    body = session_body(title="Eerste")
    assert_json(post_session(daemon, token, ev["slug"], body), 201)
    assert_problem(post_session(daemon, token, ev["slug"], dict(body, title="Tweede")), 409)
    sessions = assert_json(get_event(daemon, ev["slug"]), 200)["sessions"]
    assert [(s["slug"], s["title"]) for s in sessions] == [(body["slug"], "Eerste")]
    # The same session slug in another event is fine.
    assert_json(post_session(daemon, token, other["slug"], body), 201)


def test_session_errors(daemon, token, new_event):
    ev = new_event()
    missing_event = unique("nope")
    assert_problem(post_session(daemon, token, missing_event, session_body()), 404)
    assert_problem(daemon.patch("/api/v1/events/%s/sessions/%s" % (missing_event, "x"),
                                token=token, json={"room": "Zaal 9"}), 404)
    assert_problem(daemon.patch("/api/v1/events/%s/sessions/%s" % (ev["slug"], unique("s")),
                                token=token, json={"room": "Zaal 9"}), 404)
    assert_problem(post_session(daemon, None, ev["slug"], session_body()), 401)

    problem = assert_problem(post_session(daemon, token, ev["slug"], session_body(
        slug="Fout Slug", colour="red", capacity=-2,
        starts_at=at(3, 18, 16), ends_at=at(3, 18, 15))), 422)
    fields = error_fields(problem)
    assert {"slug", "colour", "capacity"} <= fields, problem
    assert fields & {"starts_at", "ends_at"}, problem

    s = session_body()
    assert_json(post_session(daemon, token, ev["slug"], s), 201)
    path = "/api/v1/events/%s/sessions/%s" % (ev["slug"], s["slug"])
    problem = assert_problem(daemon.patch(path, token=token,
                                          json={"room": "Niet", "colour": "red"}), 422)
    assert "colour" in error_fields(problem)
    assert_problem(daemon.patch(path, json={"room": "Niet"}), 401)
    sessions = assert_json(get_event(daemon, ev["slug"]), 200)["sessions"]
    assert [(x["slug"], x["room"]) for x in sessions] == [(s["slug"], s["room"])]
