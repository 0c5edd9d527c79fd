"""The web pages: API.md section 5, against a real leerkansd and PostgreSQL.

A registration through the form is checked against the API and the
database; pages are read with webpage.Page (html.parser), as structure, so
that "the message beside its field" means aria-describedby and ids, not a
substring somewhere.
"""

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests

from harness import (BRUSSELS, YEAR, at, describe, event_body, media_type,
                     session_body, unique, wait_until)
from webpage import Page

HTML = "text/html"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
HOSTILE = "<script>alert('x')</script> \"Peeters\" & <b>Zonen</b>"

DAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
           "zaterdag", "zondag"]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december"]


# -- helpers ------------------------------------------------------------------

def page_of(resp, status=200):
    assert resp.status_code == status, describe(resp)
    assert resp.headers.get("Content-Type") == "text/html; charset=utf-8", \
        describe(resp)
    page = Page(resp.text)
    assert not page.errors, page.errors
    # markup of our own that was escaped by mistake shows up as text
    for n in page.root.iter():
        for k, v in n.attrs.items():
            if k != "value" and v:
                assert '"' not in v and "<" not in v, (n, k)
    text = page.root.text()
    for tag in ("<span", "<br", "<strong", "<a ", "<div", "<p>", "<time"):
        assert tag not in text, (tag, text)
    return page


def unique_email():
    return "%s@example.be" % unique("web")


@pytest.fixture
def event_with_sessions(daemon, token):
    """make(**event_fields) -> (event, [session, session, session]); the
    first two sessions overlap in time, the third comes after."""
    def make(sessions=True, **fields):
        r = daemon.post("/api/v1/events", token=token, json=event_body(**fields))
        assert r.status_code == 201, describe(r)
        ev = r.json()
        made = []
        if sessions:
            for body in (
                    session_body(slug=unique("a"), title="Digitale basisvaardigheden",
                                 starts_at=at(3, 18, 14, 30), ends_at=at(3, 18, 15, 30)),
                    session_body(slug=unique("b"), title="Leerecosysteem Westhoek",
                                 starts_at=at(3, 18, 15), ends_at=at(3, 18, 16),
                                 capacity=1),
                    session_body(slug=unique("c"), title="Werkveldverkenning",
                                 starts_at=at(3, 18, 16), ends_at=at(3, 18, 17),
                                 room="Zaal <3>")):
                r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"],
                                token=token, json=body)
                assert r.status_code == 201, describe(r)
                made.append(r.json())
        return ev, made
    return make


class Visitor:
    """One browser: a requests session that keeps the cookies."""

    def __init__(self, daemon, headers=None):
        self.daemon = daemon
        self.s = requests.Session()
        self.s.headers.update(BROWSER)
        self.s.headers.update(headers or {})

    def get(self, path, **kw):
        return self.s.get(self.daemon.url + path, allow_redirects=False,
                          timeout=10, **kw)

    def post(self, path, data, **kw):
        return self.s.post(self.daemon.url + path, data=data,
                           allow_redirects=False, timeout=10, **kw)

    def open_form(self, slug):
        page = page_of(self.get("/events/" + slug))
        form = page.form("/events/%s/register" % slug)
        assert form is not None, "no registration form"
        return page, form

    def register(self, slug, fields, same_form=None):
        """Posts the event's form with fields (a dict or list of pairs)
        plus the hidden fields the page set; returns the response."""
        page, form = same_form or self.open_form(slug)
        data = [("csrf", page.hidden(form, "csrf")),
                ("idempotency_key", page.hidden(form, "idempotency_key")),
                ("homepage", "")]
        data += list(fields.items()) if isinstance(fields, dict) else fields
        return self.post(form.attrs["action"], data)


def good_fields(**over):
    f = {"given_name": "An", "family_name": "Peeters", "email": unique_email(),
         "organisation": "Bakkerij Peeters bv", "role": "employer",
         "organisation_type": "sme", "postcode": "8900", "language": "nl",
         "consent_privacy": "on"}
    if "name" in over:  # what a form drawn before names had two parts sends
        del f["given_name"], f["family_name"]
    f.update(over)
    return [(k, v) for k, v in f.items() if v is not None]


def registrations_with(pg, email):
    return int(pg.psql("SELECT count(*) FROM registrations WHERE email_norm = "
                       "lower('%s')" % email.replace("'", "''"))[0][0])


def token_of(resp):
    loc = resp.headers.get("Location", "")
    m = re.fullmatch(r"/r/([A-Za-z0-9_-]{43})", urlsplit(loc).path)
    assert m, describe(resp)
    return m.group(1)


def field_error(page, name):
    """The message shown for a field: the element its control names in
    aria-describedby that is an error message; checks aria-invalid."""
    control = page.by_id("f-" + name)
    assert control is not None, "no control f-%s" % name
    assert control.attrs.get("aria-invalid") == "true", control
    ids = control.attrs.get("aria-describedby", "").split()
    errs = [page.by_id(i) for i in ids if i.endswith("-error")]
    assert errs and errs[0] is not None, control
    return errs[0].text()


# -- the list -------------------------------------------------------------------

def test_index_lists_upcoming_published_events_by_kind(daemon, event_with_sessions):
    net, _ = event_with_sessions(sessions=False, kind="network-event",
                                 title="Netwerkevent " + unique())
    sme, _ = event_with_sessions(sessions=False, kind="sme-info-session",
                                 title="Infosessie KMO " + unique())
    draft, _ = event_with_sessions(sessions=False, status="draft",
                                   title="Ontwerp " + unique())
    gone, _ = event_with_sessions(sessions=False, status="cancelled",
                                  title="Geannuleerd " + unique())
    past, _ = event_with_sessions(
        sessions=False, title="Voorbij " + unique(),
        starts_at=at(1, 5, 10, year=date.today().year - 1),
        ends_at=at(1, 5, 12, year=date.today().year - 1))

    page = page_of(daemon.get("/", headers=BROWSER))
    text = page.root.text()
    assert net["title"] in text and sme["title"] in text
    for hidden in (draft, gone, past):
        assert hidden["title"] not in text, hidden["title"]

    def section_of(ev):
        link = page.find("a", href="/events/" + ev["slug"])
        assert link is not None, ev["slug"]
        return next(a for a in link.ancestors() if a.tag == "section")

    assert section_of(net).find("h2").text() == "Netwerkevent Levenslang Leren"
    assert section_of(sme).find("h2").text() == \
        "Infosessie voor KMO's en intermediairen"


# -- an event ---------------------------------------------------------------------

def test_event_page_shows_sessions_seats_and_an_accessible_form(daemon, event_with_sessions):
    ev, sessions = event_with_sessions()
    page, form = Visitor(daemon).open_form(ev["slug"])
    text = page.root.text()
    assert page.find("h1").text() == ev["title"]
    d = date(YEAR, 3, 18)
    assert "%s 18 maart %d, 14:00\u201317:00" % (DAYS_NL[d.weekday()], YEAR) in text
    assert "Nog 30 plaatsen vrij" in text
    for s in sessions:
        assert s["title"] in text
    assert "Zaal &lt;3&gt;" in daemon.get("/events/" + ev["slug"]).text

    names = {i.attrs.get("name") for i in form.iter() if i.tag in ("input", "select")}
    assert {"given_name", "family_name", "email", "organisation", "role",
            "organisation_type", "postcode", "language", "sessions",
            "consent_privacy", "enterprise_number", "csrf", "homepage"} <= names
    assert "name" not in names
    # the name in two parts, labelled in Dutch, for the browser to fill in
    for field, label, autocomplete in (("given_name", "Voornaam", "given-name"),
                                       ("family_name", "Familienaam", "family-name")):
        control = page.by_id("f-" + field)
        assert control.attrs.get("autocomplete") == autocomplete, control
        assert "required" in control.attrs, control
        assert page.label_for("f-" + field).text().strip() == label

    # every visible control has a label; the sessions are a fieldset
    for c in form.iter():
        if c.tag in ("input", "select") and c.attrs.get("type") != "hidden":
            assert c.attrs.get("id"), c
            assert page.label_for(c.attrs["id"]) is not None, c
    # the programme is a fieldset of time slots: the two sessions that
    # overlap a radio group with "none" chosen, the third a checkbox
    programme = page.by_id("programma").find("fieldset")
    assert programme.find("legend").text().startswith("Programma")
    slot = page.by_id("f-sessions-" + sessions[0]["slug"]).parent.parent
    assert slot.tag == "fieldset" and slot.attrs.get("class") == "slot"
    radios = slot.find_all("input", type="radio")
    assert [r.attrs["value"] for r in radios] == \
        ["", sessions[0]["slug"], sessions[1]["slug"]]
    assert len({r.attrs["name"] for r in radios}) == 1
    assert "checked" in radios[0].attrs and "tijdslot" in page.label_for(
        radios[0].attrs["id"]).text()
    boxes = programme.find_all("input", type="checkbox", name="sessions")
    assert [b.attrs["value"] for b in boxes] == [sessions[2]["slug"]]
    assert form.attrs.get("method") == "post"
    # the honeypot is out of sight, out of the tab order and unlabelled for AT
    hp = page.by_id("f-homepage")
    assert hp.attrs.get("tabindex") == "-1"
    assert any(a.attrs.get("aria-hidden") == "true" for a in hp.ancestors())


def test_unknown_draft_and_bad_slugs_are_html_404(daemon, event_with_sessions):
    draft, _ = event_with_sessions(sessions=False, status="draft")
    for path in ("/events/" + unique("nothing"), "/events/" + draft["slug"],
                 "/events/Not_A_Slug", "/events/caf%C3%A9"):
        r = daemon.get(path)
        page = page_of(r, 404)
        assert page.find("html").attrs.get("lang") == "nl"
        assert page.find("h1").text() == "Niet gevonden"


def test_cancelled_event_is_shown_as_cancelled_without_a_form(daemon, event_with_sessions, token):
    ev, _ = event_with_sessions()
    assert daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                        json={"status": "cancelled"}).status_code == 200
    page = page_of(daemon.get("/events/" + ev["slug"]))
    assert "Geannuleerd" in page.root.text()
    assert page.find("form") is None


def fill_up(daemon, slug, n=1):
    for _ in range(n):
        r = daemon.post("/api/v1/events/%s/registrations" % slug, json={
            "name": "Vol", "email": unique_email(), "role": "employee",
            "organisation_type": "none", "consent": {"privacy": True}})
        assert r.status_code == 201, describe(r)


def test_full_event_offers_the_waiting_list_or_says_full(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False, capacity=1, waitlist=True)
    fill_up(daemon, ev["slug"])
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    assert "wachtlijst" in page.root.text().lower()
    assert "wachtlijst" in form.find("button").text().lower()
    r = v.register(ev["slug"], good_fields())
    assert r.status_code == 303, describe(r)
    page = page_of(v.get(urlsplit(r.headers["Location"]).path))
    assert "Je staat op plaats 1 van de wachtlijst." in page.root.text()

    full, _ = event_with_sessions(sessions=False, capacity=1, waitlist=False)
    fill_up(daemon, full["slug"])
    page = page_of(daemon.get("/events/" + full["slug"]))
    assert "Volzet" in page.root.text()
    assert page.find("form") is None


def test_not_yet_open_and_closed_events_have_no_form(daemon, event_with_sessions):
    soon, _ = event_with_sessions(sessions=False,
                                  registration_opens_at=at(1, 4, 9),
                                  registration_closes_at=at(3, 17, 12))
    page = page_of(daemon.get("/events/" + soon["slug"]))
    if datetime.now(ZoneInfo(BRUSSELS)) < datetime(YEAR, 1, 4, 9, tzinfo=ZoneInfo(BRUSSELS)):
        assert "De inschrijvingen openen op" in page.root.text()
        assert "4 januari %d om 09:00" % YEAR in page.root.text()
        assert page.find("form") is None
    yesterday = datetime.now(ZoneInfo(BRUSSELS)) - timedelta(days=1)
    closed, _ = event_with_sessions(
        sessions=False, registration_opens_at=(yesterday - timedelta(days=2)).isoformat(),
        registration_closes_at=yesterday.isoformat())
    page = page_of(daemon.get("/events/" + closed["slug"]))
    assert "afgesloten" in page.root.text()
    assert page.find("form") is None


# -- registering --------------------------------------------------------------------

def test_register_303_to_the_registration_page(daemon, pg, event_with_sessions):
    ev, sessions = event_with_sessions()
    v = Visitor(daemon)
    email = unique_email()
    fields = good_fields(email=email, enterprise_number="BE0123.456.749") + [
        ("sessions", sessions[0]["slug"]), ("sessions", sessions[2]["slug"])]
    r = v.register(ev["slug"], fields)
    assert r.status_code == 303, describe(r)
    token = token_of(r)
    assert r.headers.get("Referrer-Policy") == "no-referrer"

    api = daemon.get("/api/v1/registrations/" + token).json()
    assert api["status"] == "confirmed" and api["email"] == email
    assert api["enterprise_number"] == "0123456749"
    assert {s["slug"]: s["status"] for s in api["sessions"]} == {
        sessions[0]["slug"]: "confirmed", sessions[2]["slug"]: "confirmed"}
    assert pg.psql("SELECT source, language FROM registrations WHERE email_norm = "
                   "'%s'" % email) == [["web", "nl"]]

    page = page_of(v.get("/r/" + token))
    text = page.root.text()
    assert "Je bent ingeschreven." in text and ev["title"] in text
    assert "0123.456.749" in text
    rows = [tr.text() for tr in page.find("table").find_all("tr")]
    assert any(sessions[0]["title"] in row and "Bevestigd" in row for row in rows)
    hrefs = [a.attrs.get("href") for a in page.find_all("a")]
    base = urlsplit(daemon.url)
    assert "webcal://%s/feeds/personal/%s.ics" % (base.netloc, token) in hrefs
    assert "%s/feeds/personal/%s.ics" % (daemon.url, token) in hrefs
    # cancelling asks first: a link to the confirmation, which has the form
    assert page.form("/r/%s/cancel" % token) is None
    assert page.find("a", href="/r/%s/cancel" % token) is not None
    confirm = page_of(v.get("/r/%s/cancel" % token))
    cancel = confirm.form("/r/%s/cancel" % token)
    assert cancel is not None and confirm.hidden(cancel, "csrf")


def test_the_same_form_sent_twice_registers_once(daemon, pg, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    same = v.open_form(ev["slug"])
    fields = good_fields()
    first = v.register(ev["slug"], fields, same_form=same)
    again = v.register(ev["slug"], fields, same_form=same)
    assert first.status_code == again.status_code == 303, describe(again)
    assert first.headers["Location"] == again.headers["Location"]
    assert registrations_with(pg, dict(fields)["email"]) == 1


def test_bad_input_is_422_with_messages_beside_fields_and_values_kept(daemon, pg, event_with_sessions):
    ev, sessions = event_with_sessions()
    v = Visitor(daemon)
    fields = [("given_name", HOSTILE), ("family_name", " "), ("email", "an@@example"),
              ("organisation", "Café & Co"),
              ("role", ""), ("organisation_type", "sme"), ("postcode", "89"),
              ("enterprise_number", "0123.456.789"), ("language", "en"),
              ("sessions", sessions[0]["slug"]), ("sessions", sessions[1]["slug"])]
    r = v.register(ev["slug"], fields)
    page = page_of(r, 422)
    assert "<script>alert" not in r.text

    # the message beside each bad field, tied to it
    assert field_error(page, "family_name").endswith("Vul je familienaam in.")
    assert page.by_id("f-given_name").attrs.get("aria-invalid") is None
    assert "e-mailadres" in field_error(page, "email")
    assert field_error(page, "role")
    assert "postcode" in field_error(page, "postcode").lower()
    assert "ondernemingsnummer" in field_error(page, "enterprise_number").lower()
    assert field_error(page, "consent_privacy")
    sess_err = page.by_id("f-sessions-error")
    assert sess_err is not None and "tegelijk" in sess_err.text()
    fieldset = sess_err.parent
    assert fieldset.tag == "fieldset"
    assert "f-sessions-error" in fieldset.attrs["aria-describedby"].split()

    # the summary at the top links to each field, in the order of the form
    summary = page.find("div", class_="error-summary")
    main = page.by_id("main")
    assert [c for c in main.children if not isinstance(c, str)][0] is summary
    links = [a.attrs["href"] for a in summary.find_all("a")]
    assert links == ["#f-family_name", "#f-email", "#f-role", "#f-enterprise_number",
                     "#f-postcode", "#f-sessions-" + sessions[0]["slug"],
                     "#f-consent_privacy"]
    for href in links:
        assert page.by_id(href[1:]) is not None, href
    assert page.find("title").text().startswith("Fout: ")

    # what was typed is there again, as typed
    def value(name):
        return page.by_id("f-" + name).attrs.get("value")
    assert value("given_name") == HOSTILE
    assert value("family_name") == " "
    assert value("email") == "an@@example"
    assert value("organisation") == "Café & Co"
    assert value("postcode") == "89"
    assert value("enterprise_number") == "0123.456.789"
    def selected(name):
        return [o.attrs["value"] for o in page.find("select", name=name).find_all("option")
                if "selected" in o.attrs]
    assert selected("organisation_type") == ["sme"]
    assert selected("language") == ["en"]
    assert selected("role") == [""]
    checked = [b.attrs["value"] for b in page.find_all("input")
               if b.attrs.get("name", "").startswith("sessions") and "checked" in b.attrs]
    assert checked == [sessions[0]["slug"], sessions[1]["slug"]]
    assert page.by_id("f-consent_privacy").attrs.get("checked") is None
    assert registrations_with(pg, "an@@example") == 0

    # and it can be put right and sent from that page
    form = page.form("/events/%s/register" % ev["slug"])
    fixed = good_fields(given_name=HOSTILE) + [("sessions", sessions[0]["slug"])]
    r = v.register(ev["slug"], fixed, same_form=(page, form))
    assert r.status_code == 303, describe(r)


def test_a_form_from_before_names_had_two_parts_still_registers(daemon, pg,
                                                                event_with_sessions):
    """A page drawn before the form asked for two parts posts name: taken
    whole, as the given name; sent with the parts, it is refused beside the
    given name, which shows what the older form had."""
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    email = unique_email()
    r = v.register(ev["slug"], good_fields(name="An Van den Bossche", email=email))
    assert r.status_code == 303, describe(r)
    page = page_of(v.get("/r/" + token_of(r)))
    assert "An Van den Bossche" in page.root.text()
    assert pg.psql("SELECT given_name, family_name FROM registrations"
                   " WHERE email_norm = '%s'" % email.lower()) == \
        [["An Van den Bossche", ""]]

    r = v.register(ev["slug"], good_fields(email=unique_email()) +
                   [("name", "An Peeters")])
    page = page_of(r, 422)
    assert "twee delen" in field_error(page, "given_name")
    links = [a.attrs["href"] for a in page.find("div", class_="error-summary")
             .find_all("a")]
    assert links == ["#f-given_name", "#f-family_name"], links

    # an older form's bad name: beside the given name, where its text is
    r = v.register(ev["slug"], good_fields(name="x" * 201, email=unique_email()))
    page = page_of(r, 422)
    assert "200 tekens" in field_error(page, "given_name")
    assert page.by_id("f-given_name").attrs.get("value") == "x" * 201


def test_duplicate_email_shows_beside_the_email_field(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    email = unique_email()
    v = Visitor(daemon)
    assert v.register(ev["slug"], good_fields(email=email)).status_code == 303
    r = v.register(ev["slug"], good_fields(email=email.upper()))
    page = page_of(r, 409)
    assert "al ingeschreven" in field_error(page, "email")
    assert page.by_id("f-email").attrs["value"] == email.upper()


def test_english_messages_and_pages(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon, headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})
    r = v.register(ev["slug"], good_fields(email="nope"))
    page = page_of(r, 422)
    assert page.find("html").attrs["lang"] == "en"
    assert field_error(page, "email") == "Error: Enter a valid e-mail address, like an@example.be."
    assert page.find("button").text() == "Register"


# -- refusals that look like nothing happened, or say no ------------------------------

def test_honeypot_looks_like_success_but_stores_nothing(daemon, pg, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    email = unique_email()
    data = [("csrf", page.hidden(form, "csrf")), ("homepage", "http://spam.example")]
    data += good_fields(email=email)
    r = v.post(form.attrs["action"], data)
    assert r.status_code == 303, describe(r)
    token = token_of(r)
    assert registrations_with(pg, email) == 0
    assert daemon.get("/api/v1/registrations/" + token).status_code == 404
    assert "spam.example" not in daemon.stderr_text()


@pytest.mark.parametrize("how", ["no-token", "no-cookie", "foreign-token",
                                 "foreign-origin", "null-origin", "cross-site"])
def test_cross_site_posts_are_403(daemon, pg, event_with_sessions, how):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    csrf = page.hidden(form, "csrf")
    email = unique_email()
    headers = {}
    if how == "no-token":
        csrf = None
    elif how == "no-cookie":
        v.s.cookies.clear()
    elif how == "foreign-token":
        other = Visitor(daemon)
        p2, f2 = other.open_form(ev["slug"])
        csrf = p2.hidden(f2, "csrf")
        assert csrf != page.hidden(form, "csrf")
    elif how == "foreign-origin":
        headers["Origin"] = "https://evil.example"
    elif how == "null-origin":
        headers["Origin"] = "null"
        headers["Sec-Fetch-Site"] = "cross-site"
    elif how == "cross-site":
        headers["Sec-Fetch-Site"] = "cross-site"
    data = ([("csrf", csrf)] if csrf else []) + good_fields(email=email)
    r = v.post(form.attrs["action"], data, headers=headers)
    page = page_of(r, 403)
    assert page.find("h1").text() == "Dit formulier kon niet verstuurd worden"
    assert registrations_with(pg, email) == 0


def test_same_origin_headers_are_welcome(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    data = [("csrf", page.hidden(form, "csrf"))] + good_fields()
    r = v.post(form.attrs["action"], data, headers={
        "Origin": daemon.url, "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303, describe(r)
    # a form on a no-referrer page (/r/) comes with "Origin: null"
    token = token_of(r)
    page = page_of(v.get("/r/%s/cancel" % token))
    form = page.form("/r/%s/cancel" % token)
    r = v.post(form.attrs["action"], {"csrf": page.hidden(form, "csrf")},
               headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303, describe(r)


def test_form_body_must_be_a_form(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    r = v.s.post(daemon.url + form.attrs["action"], json={"name": "x"},
                 allow_redirects=False, timeout=10)
    assert page_of(r, 415).find("h1").text() == "Dit formulier konden we niet lezen"
    r = v.s.post(daemon.url + form.attrs["action"], data=b"name=%zz&csrf=1",
                 headers={"Content-Type": "application/x-www-form-urlencoded"},
                 allow_redirects=False, timeout=10)
    page_of(r, 400)
    r = v.s.post(daemon.url + form.attrs["action"], data=b"name=%ff",
                 headers={"Content-Type": "application/x-www-form-urlencoded"},
                 allow_redirects=False, timeout=10)
    page_of(r, 400)


def test_rate_limit_is_a_friendly_429_page(start_daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    d = start_daemon(env={"LEERKANS_RATE_LIMIT": "1"})
    v = Visitor(d)
    assert v.register(ev["slug"], good_fields()).status_code == 303
    r = v.register(ev["slug"], good_fields())
    page = page_of(r, 429)
    assert int(r.headers["Retry-After"]) > 0
    assert page.find("h1").text() == "Even geduld"
    assert page.find("a", href="/events/" + ev["slug"]) is not None


def test_only_registrations_made_by_form_count_against_an_address(start_daemon, event_with_sessions):
    """Refused forms are answered, not raised: they must still not count."""
    ev, _ = event_with_sessions(sessions=False)
    other, _ = event_with_sessions(sessions=False)
    d = start_daemon(env={"LEERKANS_EMAIL_RATE_LIMIT": "1"})
    v = Visitor(d)
    email = unique_email()
    for _ in range(3):
        r = v.register(ev["slug"], good_fields(email=email, consent_privacy=None))
        page_of(r, 422)
    assert v.register(ev["slug"], good_fields(email=email)).status_code == 303
    page_of(v.register(ev["slug"], good_fields(email=email)), 429)
    page_of(v.register(other["slug"], good_fields(email=email)), 429)


# -- the registrant's page and cancelling --------------------------------------------

def test_registration_page_escapes_a_hostile_name(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    r = v.register(ev["slug"], good_fields(given_name=HOSTILE, family_name="<b>Smet</b>",
                                           organisation="<i>Org</i>"))
    assert r.status_code == 303, describe(r)
    resp = v.get("/r/" + token_of(r))
    page = page_of(resp)
    assert "<script>" not in resp.text and "<b>Zonen" not in resp.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in resp.text
    # the name as the two parts joined, given name first
    assert HOSTILE + " <b>Smet</b>" in page.root.text().replace("  ", " ")
    assert page.find("script") is None and page.find("b") is None
    assert page.find("i") is None


def test_cancel_flow(daemon, event_with_sessions):
    ev, sessions = event_with_sessions(capacity=1)
    v = Visitor(daemon)
    r = v.register(ev["slug"], good_fields() + [("sessions", sessions[1]["slug"])])
    token = token_of(r)
    waiting = Visitor(daemon)
    r2 = waiting.register(ev["slug"], good_fields())
    assert r2.status_code == 303
    assert "op plaats 1" in page_of(waiting.get("/r/" + token_of(r2))).root.text()

    page = page_of(v.get("/r/" + token))
    link = page.find("a", href="/r/%s/cancel" % token)
    assert link is not None and "annuleren" in link.text()
    r = v.get(link.attrs["href"])
    page = page_of(r)
    assert r.headers.get("Referrer-Policy") == "no-referrer"
    assert page.find("meta", name="robots") is not None
    assert "Wil je je inschrijving annuleren?" in page.root.text()
    assert "eerste persoon op de wachtlijst" in page.root.text()
    assert page.find("a", href="/r/" + token) is not None  # the way back
    form = page.form("/r/%s/cancel" % token)
    assert form.attrs.get("method") == "post"
    assert form.find("button").text() == "Ja, annuleer"
    assert daemon.get("/api/v1/registrations/" + token).json()["status"] == "confirmed"
    # without the token: refused, nothing cancelled
    r = v.post(form.attrs["action"], {})
    page_of(r, 403)
    assert daemon.get("/api/v1/registrations/" + token).json()["status"] == "confirmed"

    r = v.post(form.attrs["action"], {"csrf": page.hidden(form, "csrf")})
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"] == "/r/" + token
    assert r.headers.get("Referrer-Policy") == "no-referrer"
    page = page_of(v.get("/r/" + token))
    assert "Deze inschrijving is geannuleerd." in page.root.text()
    assert page.form("/r/%s/cancel" % token) is None
    assert page.find("a", href="/r/%s/cancel" % token) is None
    # the one seat went to the waiting list: no offer to register again
    assert "opnieuw in" not in page.root.text()
    assert daemon.get("/api/v1/registrations/" + token).json()["status"] == "cancelled"
    # the freed seat went to the waiting list
    assert "Je bent ingeschreven." in page_of(waiting.get("/r/" + token_of(r2))).root.text()


def test_unknown_tokens_are_html_404(daemon, event_with_sessions):
    for path in ("/r/" + "A" * 43, "/r/short", "/r/" + "A" * 43 + "/cancel",
                 "/r/short/cancel"):
        r = daemon.get(path)
        page = page_of(r, 404)
        assert "inschrijving vinden we niet" in page.root.text()
        assert r.headers.get("Referrer-Policy") == "no-referrer"
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    csrf = page.hidden(form, "csrf")
    unknown = "/r/%s/cancel" % ("B" * 43)
    # a cancel without our form's token is refused before the lookup
    page_of(v.post(unknown, {"csrf": "x"}), 403)
    # with it, the token is looked up and not found
    r = v.post(unknown, {"csrf": csrf})
    assert "inschrijving vinden we niet" in page_of(r, 404).root.text()
    # a token that cannot be one is not found whatever the form says
    page_of(v.post("/r/short/cancel", {"csrf": "x"}), 404)


# -- languages, headers, the style sheet --------------------------------------------

def test_language_by_query_and_accept_language(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    path = "/events/" + ev["slug"]
    d = date(YEAR, 3, 18)
    for headers, query, lang in (({}, "", "nl"), ({}, "?lang=en", "en"),
                                 ({"Accept-Language": "en-US,en;q=0.8"}, "", "en"),
                                 ({"Accept-Language": "fr-BE,nl;q=0.7,en;q=0.5"}, "", "nl"),
                                 ({"Accept-Language": "en"}, "?lang=nl", "nl")):
        r = daemon.get(path + query, headers=headers)
        page = page_of(r)
        assert page.find("html").attrs["lang"] == lang, (headers, query)
        assert r.headers.get("Content-Language") == lang
        text = page.root.text()
        if lang == "en":
            assert d.strftime("%A") + " 18 March %d, 14:00\u201317:00" % YEAR in text
            assert "Register" in text
        else:
            assert "%s 18 maart %d" % (DAYS_NL[d.weekday()], YEAR) in text
            assert "Inschrijven" in text
    # a chosen language stays chosen in the page's links and form
    page = page_of(daemon.get(path + "?lang=en"))
    assert page.form("/events/%s/register?lang=en" % ev["slug"]) is not None
    assert page.find("a", href="/?lang=en") is not None


def test_security_headers_and_page_basics(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    r = v.register(ev["slug"], good_fields())
    token = token_of(r)
    for path in ("/", "/events/" + ev["slug"], "/r/" + token):
        r = v.get(path)
        page = page_of(r)
        h = r.headers
        csp = h.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'none'" in csp and "unsafe-inline" not in csp
        assert h.get("X-Frame-Options") == "DENY"
        assert h.get("X-Content-Type-Options") == "nosniff"
        assert page.find("meta", name="viewport") is not None
        assert page.find("title").text()
        # no script but an event page's JSON-LD, which is data (CSP
        # script-src 'none' does not run it); no style
        scripts = page.find_all("script")
        assert [s.attrs.get("type") for s in scripts] == \
            (["application/ld+json"] if path.startswith("/events/") else [])
        assert page.find("style") is None
        assert not any("style" in n.attrs for n in page.root.iter())
        assert page.find("a", class_="skip", href="#main") is not None
        assert page.by_id("main") is not None
        assert len(page.ids()) == len(set(page.ids())), "duplicate ids"
        if path.startswith("/r/"):
            assert h.get("Referrer-Policy") == "no-referrer"
            assert h.get("Cache-Control") == "no-store"
            assert page.find("meta", name="robots") is not None
    # the CSRF cookie is out of reach of scripts and of other sites
    cookie = daemon.get("/events/" + ev["slug"]).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_style_sheet_from_memory_with_caching(daemon):
    page = page_of(daemon.get("/"))
    href = page.find("link", rel="stylesheet").attrs["href"]
    assert urlsplit(href).path == "/static/leerkans.css"
    r = daemon.get(href)
    assert r.status_code == 200 and media_type(r) == "text/css"
    assert "max-age" in r.headers["Cache-Control"]
    etag = r.headers["ETag"]
    assert "@media" in r.text
    r = daemon.get("/static/leerkans.css", headers={"If-None-Match": etag})
    assert r.status_code == 304 and not r.content
    assert daemon.request("HEAD", "/static/leerkans.css").status_code == 200


def test_get_on_form_targets_leads_back(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    r = daemon.get("/events/%s/register?lang=en" % ev["slug"])
    assert r.status_code == 303
    assert r.headers["Location"] == "/events/%s?lang=en" % ev["slug"]


def test_stray_browser_gets_an_html_404_and_api_json(daemon):
    r = daemon.get("/" + unique("nowhere"), headers=BROWSER)
    assert page_of(r, 404).find("h1").text() == "Niet gevonden"
    r = daemon.get("/api/v1/" + unique("nowhere"), headers=BROWSER)
    assert r.status_code == 404 and media_type(r) == "application/problem+json"
    r = daemon.get("/api/v1/events/" + unique("nothing"))
    assert media_type(r) == "application/problem+json"


def test_api_errors_still_have_only_field_and_message(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    r = daemon.post("/api/v1/events/%s/registrations" % ev["slug"],
                    json={"email": "x"})
    assert r.status_code == 422, describe(r)
    errors = r.json()["errors"]
    assert "email" in {e.get("field") for e in errors}, errors
    for e in errors:
        assert set(e) == {"field", "message"}, e


def test_no_personal_data_or_token_in_the_log(daemon, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    email = unique_email()
    r = v.register(ev["slug"], good_fields(email=email, given_name="Zeldzame",
                                           family_name="Naam Qx"))
    token = token_of(r)
    v.get("/r/" + token)
    bad = "bad-" + email.replace("@", "")
    v.register(ev["slug"], good_fields(email=bad))

    def logged():
        return "/r/****" in daemon.stderr_text()
    wait_until(logged, timeout=5, what="the access log line")
    log = daemon.stderr_text()
    for secret in (email, "Zeldzame", "Naam Qx", token, token[:16], bad):
        assert secret not in log, secret


def test_database_outage_is_a_friendly_503_page(own_cluster, start_daemon):
    d = start_daemon(cluster=own_cluster, env={"LEERKANS_REQUEST_TIMEOUT": "3"})
    assert page_of(d.get("/")).find("h1") is not None
    own_cluster.stop(mode="fast")
    for path in ("/", "/events/" + unique("ev"), "/r/" + "C" * 43):
        r = d.get(path, timeout=15)
        page = page_of(r, 503)
        assert page.find("h1").text() == "Even niet beschikbaar"
        assert int(r.headers["Retry-After"]) > 0
    own_cluster.start()
    wait_until(lambda: d.get("/", timeout=5).status_code == 200, timeout=15,
               interval=0.25, what="the list again after the database came back")


# -- the form's one statement ---------------------------------------------------------

def form_call(pg, slug, body, token="F" * 43):
    """lk_register_form as the daemon calls it, from psql; its JSON."""
    import json
    row = pg.psql("SELECT lk_register_form('%s', '%s'::jsonb, '[]'::jsonb, '%s',"
                  " NULL, 'web')" % (slug, json.dumps(body).replace("'", "''"),
                                     token))
    return json.loads(row[0][0])


def test_lk_register_form_answers_a_refusal_with_the_page(pg, event_with_sessions):
    ev, sessions = event_with_sessions()
    email = unique_email()
    body = {"name": "An", "email": email, "role": "employer",
            "organisation_type": "sme", "consent": {"privacy": True},
            "sessions": [sessions[0]["slug"], sessions[1]["slug"]]}
    got = form_call(pg, ev["slug"], body)
    assert set(got) == {"refusal", "page"}, got
    assert got["refusal"]["status"] == 422
    assert got["refusal"]["problem"] == "validation-failed"
    assert got["refusal"]["title"]
    assert [e["field"] for e in got["refusal"]["errors"]] == ["sessions"]
    # the page is sql_web_event's document, read after the refusal
    assert set(got["page"]) == {"now", "event", "kind"}
    assert got["page"]["event"]["slug"] == ev["slug"]
    assert set(got["page"]["kind"]) == {"nl", "en"}
    assert registrations_with(pg, email) == 0

    body["sessions"] = [sessions[0]["slug"]]
    got = form_call(pg, ev["slug"], body, token="G" * 43)
    assert set(got) == {"registration"}, got
    assert got["registration"]["manage_url"] == "/r/" + "G" * 43
    assert registrations_with(pg, email) == 1
    got = form_call(pg, ev["slug"], body, token="H" * 43)
    assert got["refusal"]["status"] == 409
    assert got["refusal"]["problem"] == "duplicate-registration"
    assert registrations_with(pg, email) == 1

    got = form_call(pg, unique("none"), body)
    assert got["refusal"]["status"] == 404 and got["page"] is None
    # what is not a refusal is raised as it came
    with pytest.raises(RuntimeError, match="invalid input syntax"):
        pg.psql("SELECT lk_register_form('x', 'nope'::jsonb, '[]'::jsonb,"
                " 'x', NULL, 'web')")


def test_a_refused_form_is_drawn_from_its_one_statement(own_cluster, start_daemon):
    """The redrawn page comes with the refusal: one statement, no second trip."""
    slug = unique("ev")
    own_cluster.psql("SELECT lk_event_create('%s'::jsonb, '[]'::jsonb)"
                     % __import__("json").dumps(event_body(slug=slug)))
    own_cluster.psql("ALTER DATABASE leerkans SET log_statement = 'all'")
    d = start_daemon(cluster=own_cluster)
    v = Visitor(d)
    same = v.open_form(slug)

    def statements_between(mark):
        with open(own_cluster.logfile, errors="replace") as f:
            log = f.read()
        part = log[log.index("'%s-begin'" % mark):log.index("'%s-end'" % mark)]
        return [l for l in part.splitlines() if "execute" in l]

    own_cluster.psql("SELECT 'refused-begin'")
    r = v.register(slug, good_fields(email="nope"), same_form=same)
    own_cluster.psql("SELECT 'refused-end'")
    page = page_of(r, 422)
    assert field_error(page, "email")
    assert page.form("/events/%s/register" % slug) is not None
    sent = statements_between("refused")
    assert len(sent) == 1 and "lk_register_form" in sent[0], sent

    own_cluster.psql("SELECT 'made-begin'")
    r = v.register(slug, good_fields(), same_form=same)
    own_cluster.psql("SELECT 'made-end'")
    assert r.status_code == 303, describe(r)
    sent = statements_between("made")
    assert len(sent) == 1 and "lk_register_form" in sent[0], sent


# -- query parameters -------------------------------------------------------------

def test_a_page_drops_query_parameters_it_does_not_take(daemon, pg, event_with_sessions):
    """A link with a newsletter's tag (?utm_source=...) still reaches the page,
    by a 301 to the page's own address, which keeps ?lang= and nothing else."""
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    slug = ev["slug"]
    for path, want in [
            ("/?utm_source=nieuwsbrief", "/"),
            ("/?fbclid=x&lang=en", "/?lang=en"),
            ("/events/%s?utm_source=nieuwsbrief&lang=en&utm_medium=mail" % slug,
             "/events/%s?lang=en" % slug),
            ("/events/%s?lang=nl&lang=en&x=" % slug, "/events/%s?lang=nl&lang=en" % slug),
            ("/events/%s/register?x=1" % slug, "/events/%s/register" % slug)]:
        for method in ("GET", "HEAD"):
            r = v.s.request(method, daemon.url + path, allow_redirects=False, timeout=10)
            assert r.status_code == 301, describe(r)
            assert r.headers["Location"] == want, describe(r)
    # followed, the page itself, in the language kept
    page = page_of(v.s.get(daemon.url + "/events/%s?ref=x&lang=en" % slug, timeout=10))
    assert page.find("html").attrs.get("lang") == "en"
    # a registrant's page: the token stays in the path, no referrer
    r = v.register(slug, good_fields())
    token = token_of(r)
    r = v.get("/r/%s?utm_campaign=x" % token)
    assert r.status_code == 301 and r.headers["Location"] == "/r/" + token, describe(r)
    assert r.headers.get("Referrer-Policy") == "no-referrer"


def test_a_form_post_with_an_unknown_query_parameter_is_refused(daemon, pg, event_with_sessions):
    ev, _ = event_with_sessions(sessions=False)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    email = unique_email()
    data = [("csrf", page.hidden(form, "csrf")),
            ("idempotency_key", page.hidden(form, "idempotency_key")),
            ("homepage", "")] + good_fields(email=email)
    r = v.post("/events/%s/register?debug=1" % ev["slug"], data)
    page_of(r, 422)
    assert registrations_with(pg, email) == 0
    # the same form without it registers
    r = v.post("/events/%s/register?lang=nl" % ev["slug"], data)
    assert r.status_code == 303, describe(r)
    assert registrations_with(pg, email) == 1
