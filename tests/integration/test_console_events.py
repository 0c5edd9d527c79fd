"""The console's events (API.md section 10, issue 12) over HTTP: one form
for an event with its sessions, saved in one transaction or refused
whole with each message beside its field; a row added without
JavaScript; preview, publish, cancel after a confirmation, duplicate;
what each has done, seen in the API and on the public pages; the door
refused all of it.  docs/CONSOLE.md ("Events") has the design;
test_console_events_browser.py does it by keyboard in Chromium.
"""

import pytest

from harness import YEAR, at, describe, unique
from test_console import Console, audit, page_of


@pytest.fixture
def organiser(daemon, console_user, issued_tokens):
    email, password = console_user("organiser")
    c = Console(daemon, issued_tokens)
    c.login(email, password)
    return c


def local(month, day, hour, minute=0, year=None):
    """What <input type="datetime-local"> sends."""
    return "%04d-%02d-%02dT%02d:%02d" % (year or YEAR, month, day, hour, minute)


def network_form(slug, rows=4, **extra):
    """The form of a network event with four parallel sessions."""
    data = {
        "rows": str(rows), "kind": "network-event", "slug": slug,
        "title": "Netwerkevent Levenslang Leren voorjaar",
        "language": "nl", "description": "Het netwerkevent van het voorjaar.",
        "starts_at": local(3, 18, 13, 30), "ends_at": local(3, 18, 17, 30),
        "timezone": "Europe/Brussels",
        "venue_name": "Hangar K", "venue_address": "Ringlaan 60",
        "venue_postcode": "8500", "venue_city": "Kortrijk",
        "capacity": "120", "waitlist": "on", "save": "1",
    }
    rooms = ["Zaal A", "Zaal B", "Zaal C", "Zaal D"]
    titles = ["Digitale vaardigheden", "Leren op de werkvloer",
              "Loopbaanbegeleiding", "Opleidingsbudgetten"]
    for i in range(4):
        n = i + 1
        data.update({
            "s%d-slug" % n: "sessie-%d" % n,
            "s%d-title" % n: titles[i],
            "s%d-starts_at" % n: local(3, 18, 14, 0),
            "s%d-ends_at" % n: local(3, 18, 15, 0),
            "s%d-room" % n: rooms[i],
            "s%d-capacity" % n: "30",
        })
    data.update(extra)
    return data


def create(c, data, status=303):
    data = dict(data)
    data["csrf"] = c.csrf("/beheer/events/new")
    r = c.post("/beheer/events", data)
    assert r.status_code == status, describe(r)
    return r


def api_event(daemon, token, slug):
    return daemon.get("/api/v1/events/" + slug, token=token)


def error_of(page, field):
    """The message drawn beside a field, or None."""
    el = page.by_id("f-%s-error" % field)
    return el.text() if el is not None else None


def test_a_network_event_with_four_sessions_is_one_form(organiser, daemon, token, pg):
    slug = unique("netwerk")
    page = page_of(organiser.get("/beheer/events/new"), 200)
    form = page.form("/beheer/events")
    assert form is not None
    assert page.hidden(form, "rows") == "4", "four empty session rows"
    for n in range(1, 5):
        assert page.by_id("f-s%d-title" % n) is not None
    assert page.find("h1").text() == "Nieuwe activiteit"

    r = create(organiser, network_form(slug))
    assert r.headers["Location"] == "/beheer/events/%s?m=event-created" % slug
    ev = api_event(daemon, token, slug)
    assert ev.status_code == 200, describe(ev)
    body = ev.json()
    assert body["status"] == "draft", "a new event is a draft"
    assert body["kind"] == "network-event"
    assert body["starts_at"] == at(3, 18, 13, 30)
    assert body["venue"]["city"] == "Kortrijk" and body["capacity"] == 120
    assert [s["slug"] for s in body["sessions"]] == [
        "sessie-1", "sessie-2", "sessie-3", "sessie-4"]
    assert all(s["starts_at"] == at(3, 18, 14) for s in body["sessions"])
    # a draft is nobody else's yet
    assert daemon.get("/api/v1/events/" + slug).status_code == 404
    assert daemon.get("/events/" + slug,
                      headers={"Accept": "text/html"}).status_code == 404

    page = page_of(organiser.get("/beheer/events/%s?m=event-created" % slug),
                   200)
    main = page.find("main").text()
    assert "Het ontwerp is bewaard" in main
    assert "Tijdslot 1" in main and "4 sessies tegelijk" in main
    rows = audit(pg, "event-create")
    assert any(slug in r[2] for r in rows), rows


def test_add_a_row_draws_the_form_again_with_one_more_and_saves_nothing(organiser, daemon, token):
    slug = unique("rij")
    data = network_form(slug)
    data.pop("save")
    data["add_row"] = "1"
    data["csrf"] = organiser.csrf("/beheer/events/new")
    r = organiser.post("/beheer/events", data)
    page = page_of(r, 200)
    form = page.form("/beheer/events")
    assert page.hidden(form, "rows") == "5"
    assert page.by_id("f-s5-title") is not None, "the fifth row"
    assert page.by_id("f-s4-room").attrs["value"] == "Zaal D", "values kept"
    assert page.by_id("f-title").attrs["value"].startswith("Netwerkevent")
    assert api_event(daemon, token, slug).status_code == 404


def test_a_refused_form_is_drawn_again_and_nothing_is_written(organiser, daemon, token):
    slug = unique("fout")
    # the event alone is fine; the daemon finds a bad capacity and a
    # time that is none, the database a session outside the event
    data = network_form(slug, **{
        "s2-capacity": "veel", "s3-ends_at": "morgen",
        "s4-starts_at": local(3, 18, 12, 0)})
    r = create(organiser, data, status=422)
    page = page_of(r, 422)
    assert page.find("title").text().startswith("Fout: ")
    assert error_of(page, "s2-capacity") and "aantal" in error_of(page, "s2-capacity")
    assert error_of(page, "s3-ends_at")
    assert "binnen de tijd" in error_of(page, "s4-starts_at")
    summary = page.find("div", **{"class": "error-summary"})
    assert summary is not None and "niets bewaard" in summary.text()
    links = [a.attrs["href"] for a in summary.find_all("a")]
    assert "#f-s4-starts_at" in links and "#f-s2-capacity" in links
    assert page.by_id("f-s4-starts_at").attrs.get("aria-invalid") == "true"
    assert page.by_id("f-s1-room").attrs["value"] == "Zaal A", "values kept"
    # one transaction: the event that was fine was not kept either
    assert api_event(daemon, token, slug).status_code == 404

    # what the daemon finds, beside its field
    page = page_of(create(organiser, network_form(slug, title=""),
                          status=422), 422)
    assert error_of(page, "title") == "Fout: Geef een titel."
    # what only the database can tell: the slug is taken
    create(organiser, network_form(slug))
    page = page_of(create(organiser, network_form(slug), status=422), 422)
    assert "bestaat al" in error_of(page, "slug")


def test_edit_changes_the_event_and_its_sessions_together(organiser, daemon, token, pg):
    slug = unique("wijzig")
    create(organiser, network_form(slug))
    page = page_of(organiser.get("/beheer/events/%s/edit" % slug), 200)
    form = page.form("/beheer/events/" + slug)
    assert form is not None
    assert page.by_id("f-slug") is None, "the slug cannot change"
    assert page.by_id("f-starts_at").attrs["value"] == local(3, 18, 13, 30)
    assert "readonly" in page.by_id("f-s1-slug").attrs
    assert page.hidden(form, "rows") == "6", "the four and two empty rows"
    before = api_event(daemon, token, slug).json()

    data = network_form(slug, rows=6, title="Netwerkevent voorjaar (nieuw)")
    data.pop("slug")
    data.update({"s2-room": "Zaal B2", "s5-slug": "slot-twee",
                 "s5-title": "Afsluitend gesprek",
                 "s5-starts_at": local(3, 18, 15, 30),
                 "s5-ends_at": local(3, 18, 16, 30)})
    data["csrf"] = organiser.csrf("/beheer/events/%s/edit" % slug)
    r = organiser.post("/beheer/events/" + slug, data)
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"].endswith("?m=event-saved")
    after = api_event(daemon, token, slug).json()
    assert after["title"] == "Netwerkevent voorjaar (nieuw)"
    assert after["sequence"] == before["sequence"] + 1
    rooms = {s["slug"]: s["room"] for s in after["sessions"]}
    assert rooms["sessie-2"] == "Zaal B2" and "slot-twee" in rooms
    page = page_of(organiser.get("/beheer/events/" + slug), 200)
    assert "Tijdslot 2" in page.find("main").text()
    assert audit(pg, "event-update")

    # a change refused leaves the event as it was
    data["capacity"] = "-3"
    data["s1-room"] = "Elders"
    data["csrf"] = organiser.csrf("/beheer/events/%s/edit" % slug)
    page = page_of(organiser.post("/beheer/events/" + slug, data), 422)
    assert error_of(page, "capacity")
    still = api_event(daemon, token, slug).json()
    assert {s["slug"]: s["room"] for s in still["sessions"]}["sessie-1"] == "Zaal A"


def test_preview_publish_and_cancel_after_a_confirmation(organiser, daemon, token, pg):
    slug = unique("publiceer")
    create(organiser, network_form(slug))
    page = page_of(organiser.get("/beheer/events/%s/preview" % slug), 200)
    main = page.find("main").text()
    assert "Voorbeeld." in main and "Netwerkevent Levenslang Leren" in main

    event_page = page_of(organiser.get("/beheer/events/" + slug), 200)
    form = event_page.form("/beheer/events/%s/publish" % slug)
    assert form is not None
    r = organiser.post("/beheer/events/%s/publish" % slug,
                       {"csrf": event_page.hidden(form, "csrf")})
    assert r.status_code == 303, describe(r)
    assert api_event(daemon, None, slug).json()["status"] == "published"
    public = daemon.get("/events/" + slug, headers={"Accept": "text/html"})
    assert public.status_code == 200
    assert "Voorbeeld." not in public.text
    # publishing twice: a page that says why
    page = page_of(organiser.post("/beheer/events/%s/publish" % slug,
                                  {"csrf": event_page.hidden(form, "csrf")}),
                   409)
    assert page.find("h1").text() == "Al gepubliceerd"
    assert audit(pg, "event-publish")

    confirm = page_of(organiser.get("/beheer/events/%s/cancel" % slug), 200)
    text = confirm.find("main").text()
    assert "e-mail" in text and "niet ongedaan" in text
    form = confirm.form("/beheer/events/%s/cancel" % slug)
    assert api_event(daemon, None, slug).json()["status"] == "published", \
        "the confirmation page changes nothing"
    r = organiser.post("/beheer/events/%s/cancel" % slug,
                       {"csrf": confirm.hidden(form, "csrf")})
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"].endswith("?m=event-cancelled")
    ev = api_event(daemon, None, slug).json()
    assert ev["status"] == "cancelled"
    public = daemon.get("/events/" + slug, headers={"Accept": "text/html"})
    assert "Geannuleerd" in public.text
    feed = daemon.get("/events/%s.ics" % slug)
    assert feed.status_code == 200 and "STATUS:CANCELLED" in feed.text, \
        "the event stays in its feed, marked cancelled"
    assert audit(pg, "event-cancel")
    r = organiser.post("/beheer/events/%s/cancel" % slug,
                       {"csrf": confirm.hidden(form, "csrf")})
    assert r.status_code == 409


def test_duplicate_moves_every_date_by_the_weeks_chosen(organiser, daemon, token, pg):
    slug = unique("voorjaar")
    create(organiser, network_form(slug))
    page = page_of(organiser.get("/beheer/events/%s/duplicate" % slug), 200)
    form = page.form("/beheer/events/%s/duplicate" % slug)
    assert page.by_id("f-weeks").attrs["value"] == "26"
    copy = unique("najaar")
    r = organiser.post("/beheer/events/%s/duplicate" % slug, {
        "csrf": page.hidden(form, "csrf"), "new_slug": copy, "weeks": "26"})
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"] == \
        "/beheer/events/%s/edit?m=event-duplicated" % copy
    ev = api_event(daemon, token, copy).json()
    assert ev["status"] == "draft" and len(ev["sessions"]) == 4
    # 26 weeks after 18 March is 16 September: summer time, the same
    # wall clock
    orig = api_event(daemon, token, slug).json()
    assert ev["starts_at"][11:16] == orig["starts_at"][11:16] == "13:30"
    assert ev["starts_at"][:10] != orig["starts_at"][:10]
    assert ev["starts_at"].endswith("+02:00")
    assert all(s["starts_at"][11:16] == "14:00" for s in ev["sessions"])
    assert audit(pg, "event-duplicate")

    # the same name again: the form again, the message beside it
    page = page_of(organiser.post("/beheer/events/%s/duplicate" % slug, {
        "csrf": page.hidden(form, "csrf"), "new_slug": copy,
        "weeks": "x"}), 422)
    assert error_of(page, "weeks")
    page = page_of(organiser.post("/beheer/events/%s/duplicate" % slug, {
        "csrf": page.hidden(form, "csrf") if page.form(
            "/beheer/events/%s/duplicate" % slug) else "",
        "new_slug": copy, "weeks": "52"}), 422)
    assert "bestaat al" in error_of(page, "new_slug")


def test_forms_need_their_token_and_the_door_may_do_none_of_it(organiser, daemon, token, console_user, issued_tokens):
    slug = unique("csrf")
    r = organiser.post("/beheer/events", network_form(slug))
    assert r.status_code == 403
    assert api_event(daemon, token, slug).status_code == 404
    create(organiser, network_form(slug))

    email, password = console_user("door")
    door = Console(daemon, issued_tokens)
    door.login(email, password)
    csrf = door.csrf("/beheer/")
    for path in ("/beheer/events/new", "/beheer/events/%s/edit" % slug,
                 "/beheer/events/%s/preview" % slug,
                 "/beheer/events/%s/cancel" % slug,
                 "/beheer/events/%s/duplicate" % slug):
        assert door.get(path).status_code == 403, path
    for path in ("/beheer/events", "/beheer/events/" + slug,
                 "/beheer/events/%s/publish" % slug,
                 "/beheer/events/%s/cancel" % slug,
                 "/beheer/events/%s/duplicate" % slug):
        r = door.post(path, dict(network_form(unique("d")), csrf=csrf,
                                 new_slug=unique("d"), weeks="1"))
        assert r.status_code == 403, path
    assert api_event(daemon, token, slug).json()["status"] == "draft"


def test_the_form_in_english(organiser):
    page = page_of(organiser.get("/beheer/events/new?lang=en"), 200)
    assert page.find("h1").text() == "New event"
    assert page.find("html").attrs["lang"] == "en"
    assert "Add another session" in page.find("main").text()


def test_unknown_events_are_not_found(organiser):
    for path in ("/beheer/events/%s/edit", "/beheer/events/%s/preview",
                 "/beheer/events/%s/cancel", "/beheer/events/%s/duplicate"):
        assert organiser.get(path % unique("geen")).status_code == 404, path
