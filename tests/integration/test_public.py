"""Public pages a citizen can trust: API.md section 12, against a real
leerkansd and PostgreSQL.

The privacy notice and the accessibility statement from the settings
(the retention a daemon was started with), the footer on every page, the
logo (served with its type, refused at start when it is none of PNG,
WebP, SVG), the price text, the map link, the sitemap (parsed with
xml.etree), the JSON-LD (parsed with json and held against what Google's
event rich results require and recommend), Open Graph, time slots and a
crafted POST that chooses two overlapping sessions anyway, and the
cancel confirmation.
"""

import json
import struct
import zlib
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest

from harness import (at, describe, error_fields, event_body, media_type,
                     registration_body, session_body, unique)
from test_web import BROWSER, Visitor, good_fields, page_of, token_of
from webpage import Page

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
SCHEMA = "https://schema.org/"
CONTACT = "blijfkennismaken@west-vlaanderen.be"


def png(width=2, height=1):
    """A real PNG, small: the logo the tests give the daemon."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    raw = b"".join(b"\x00" + b"\x00\x5a\x7d\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10">'
       b'<rect width="40" height="10" fill="#005a7d"/></svg>\n')


def jsonld(page):
    """The page's JSON-LD, parsed; the script element must be the only one."""
    scripts = page.find_all("script")
    assert len(scripts) == 1, scripts
    assert scripts[0].attrs.get("type") == "application/ld+json"
    return json.loads("".join(c for c in scripts[0].children if isinstance(c, str)))


def rfc3339_with_offset(text):
    t = datetime.fromisoformat(text)
    assert t.tzinfo is not None, text
    return t


def check_google_event(ld, ev):
    """What Google's event rich results require, and of what they
    recommend what an event here can have (performer it cannot: the
    partnership's events name none)."""
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Event"
    # required
    assert ld["name"] == ev["title"]
    assert rfc3339_with_offset(ld["startDate"]) == rfc3339_with_offset(ev["starts_at"])
    locations = ld["location"] if isinstance(ld["location"], list) else [ld["location"]]
    for loc in locations:
        assert loc["@type"] in ("Place", "VirtualLocation"), loc
        if loc["@type"] == "Place":
            addr = loc["address"]
            assert addr["@type"] == "PostalAddress"
            assert loc["name"]
            for key in ("streetAddress", "addressLocality", "postalCode",
                        "addressCountry"):
                assert addr.get(key), (key, addr)
        else:
            assert urlsplit(loc["url"]).scheme == "https", loc
    # recommended
    assert rfc3339_with_offset(ld["endDate"]) == rfc3339_with_offset(ev["ends_at"])
    assert ld["description"] == ev["description"]
    assert ld["eventStatus"] in (SCHEMA + "EventScheduled", SCHEMA + "EventCancelled")
    assert ld["eventAttendanceMode"] in (
        SCHEMA + "OfflineEventAttendanceMode", SCHEMA + "OnlineEventAttendanceMode",
        SCHEMA + "MixedEventAttendanceMode")
    assert ld["organizer"]["@type"] == "Organization"
    assert ld["organizer"]["name"] and urlsplit(ld["organizer"]["url"]).scheme
    offer = ld["offers"]
    assert offer["@type"] == "Offer"
    assert urlsplit(offer["url"]).path == "/events/" + ev["slug"]
    rfc3339_with_offset(offer["validFrom"])
    return ld


# -- the statements ------------------------------------------------------------

def test_privacy_and_accessibility_in_both_languages(daemon):
    for path, nl, en in (("/privacy", "Privacyverklaring", "Privacy notice"),
                         ("/accessibility", "Toegankelijkheidsverklaring",
                          "Accessibility statement")):
        r = daemon.get(path, headers=BROWSER)
        page = page_of(r)
        assert r.headers["Content-Language"] == "nl"
        assert page.find("h1").text() == nl
        assert page.find("meta", name="robots") is None, "a statement is public"
        assert page.find("link", rel="canonical").attrs["href"] == daemon.url + path
        page = page_of(daemon.get(path + "?lang=en", headers=BROWSER))
        assert page.find("h1").text() == en
        assert page.find("link", rel="canonical").attrs["href"] == \
            daemon.url + path + "?lang=en"
    text = page_of(daemon.get("/privacy", headers=BROWSER)).root.text()
    # the defaults: the partnership's seat and contact
    assert "Koning Leopold III-laan 41, 8200 Brugge" in text
    assert CONTACT in text
    assert "24 maanden" in text  # retention_months' default
    assert "Gegevensbeschermingsautoriteit" in text
    a11y = page_of(daemon.get("/accessibility", headers=BROWSER)).root.text()
    assert "WCAG) 2.1, niveau AA" in a11y and "axe-core" in a11y
    assert CONTACT in a11y


def test_privacy_notice_states_the_settings(start_daemon):
    d = start_daemon(env={"LEERKANS_RETENTION_MONTHS": "7",
                          "LEERKANS_CONTROLLER_NAME": "Huis van het Leren <b>vzw</b>",
                          "LEERKANS_CONTROLLER_ADDRESS": "Sint-Jorisstraat 71, 8000 Brugge",
                          "LEERKANS_PRIVACY_CONTACT": "dpo@west-vlaanderen.be",
                          "LEERKANS_CONTACT_EMAIL": "info@example.be"})
    page = page_of(d.get("/privacy", headers=BROWSER))
    assert page.find("strong", class_="retention").text() == "7 maanden"
    text = page.root.text()
    assert "Huis van het Leren <b>vzw</b>" in text  # as text, escaped
    assert "Sint-Jorisstraat 71, 8000 Brugge" in text
    assert page.find("a", href="mailto:dpo@west-vlaanderen.be") is not None
    assert page.find("a", href="mailto:info@example.be") is not None
    assert "24 maanden" not in text
    page = page_of(d.get("/privacy?lang=en", headers=BROWSER))
    assert page.find("strong", class_="retention").text() == "7 months"


def test_a_bad_contact_setting_stops_the_start(start_daemon):
    d = start_daemon(env={"LEERKANS_PRIVACY_CONTACT": "nobody"}, wait=False)
    assert d.wait_exit() != 0
    assert "privacy_contact" in d.stderr_text() and "e-mail" in d.stderr_text()


# -- the footer and the logo ---------------------------------------------------

def footer_of(page):
    footer = page.find("footer")
    assert footer is not None
    return footer


def check_footer(page, contact=CONTACT):
    footer = footer_of(page)
    assert "West-Vlaams Partnerschap Levenslang Leren" in footer.text()
    hrefs = [a.attrs.get("href", "") for a in footer.find_all("a")]
    assert "mailto:" + contact in hrefs, hrefs
    assert any(urlsplit(h).path == "/privacy" for h in hrefs), hrefs
    assert any(urlsplit(h).path == "/accessibility" for h in hrefs), hrefs
    return footer


def test_footer_on_every_page(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body())
    assert r.status_code == 201, describe(r)
    ev = r.json()
    v = Visitor(daemon)
    tok = token_of(v.register(ev["slug"], good_fields()))
    for path, status in (("/", 200), ("/events/" + ev["slug"], 200),
                         ("/r/" + tok, 200), ("/r/%s/cancel" % tok, 200),
                         ("/privacy", 200), ("/accessibility", 200),
                         ("/events/bestaat-niet", 404), ("/r/" + "A" * 43, 404),
                         ("/?lang=en", 200)):
        page = page_of(v.get(path), status)
        footer = check_footer(page)
        assert footer.find("img") is None, "no logo unless one is set"
    # the 403 of a cross-site POST is a page with the footer too
    check_footer(page_of(v.post("/r/%s/cancel" % tok, {}), 403))
    # English links keep the language
    footer = footer_of(page_of(v.get("/?lang=en")))
    assert footer.find("a", href="/privacy?lang=en") is not None


def test_logo_served_with_its_type_and_alt_text(start_daemon, workdir, token):
    path = "%s/logo-%s.png" % (workdir, unique())
    data = png()
    with open(path, "wb") as f:
        f.write(data)
    d = start_daemon(env={"LEERKANS_LOGO_FILE": path,
                          "LEERKANS_LOGO_ALT": "Logo West-Vlaams Partnerschap"})
    page = page_of(d.get("/", headers=BROWSER))
    img = check_footer(page).find("img")
    assert img is not None and img.attrs["alt"] == "Logo West-Vlaams Partnerschap"
    src = img.attrs["src"]
    assert urlsplit(src).path == "/static/logo" and urlsplit(src).query.startswith("v=")
    r = d.get(src)
    assert r.status_code == 200 and r.content == data
    assert media_type(r) == "image/png"
    assert "immutable" in r.headers["Cache-Control"]
    assert "max-age=31536000" in r.headers["Cache-Control"]
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    etag = r.headers["ETag"]
    assert d.get(src, headers={"If-None-Match": etag}).status_code == 304
    # the image of link previews and of the JSON-LD
    r = d.post("/api/v1/events", token=token, json=event_body())
    assert r.status_code == 201, describe(r)
    page = page_of(d.get("/events/" + r.json()["slug"], headers=BROWSER))
    og = page.find("meta", property="og:image")
    assert og is not None and og.attrs["content"] == d.url + src
    assert jsonld(page)["image"] == [d.url + src]


def test_an_svg_logo_is_no_preview_image(start_daemon, workdir):
    path = "%s/logo-%s.svg" % (workdir, unique())
    with open(path, "wb") as f:
        f.write(SVG)
    d = start_daemon(env={"LEERKANS_LOGO_FILE": path})
    page = page_of(d.get("/", headers=BROWSER))
    src = footer_of(page).find("img").attrs["src"]
    r = d.get(src)
    assert media_type(r) == "image/svg+xml" and r.content == SVG
    assert page.find("meta", property="og:image") is None


@pytest.mark.parametrize("content, why", [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not a PNG, WebP or SVG"),
    (b"", "0 bytes"),
    (png()[:8], "not a PNG, WebP or SVG"),
    (None, "No such file"),
], ids=["gif", "empty", "cut-short", "missing"])
def test_a_logo_that_cannot_be_used_stops_the_start(start_daemon, workdir, content, why):
    path = "%s/logo-%s.img" % (workdir, unique())
    if content is not None:
        with open(path, "wb") as f:
            f.write(content)
    d = start_daemon(env={"LEERKANS_LOGO_FILE": path}, wait=False)
    assert d.wait_exit() != 0
    err = d.stderr_text()
    assert "logo_file" in err and why in err, err


def test_no_logo_no_logo_address(daemon):
    r = daemon.get("/static/logo")
    assert r.status_code == 404 and media_type(r) == "application/problem+json"


# -- price, place, time slots --------------------------------------------------

def test_price_text_in_the_api(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body())
    ev = r.json()
    assert r.status_code == 201 and ev["price_text"] is None, describe(r)
    path = "/api/v1/events/" + ev["slug"]
    r = daemon.patch(path, token=token, json={"price_text": "\u20ac 25, lunch inbegrepen"})
    assert r.status_code == 200, describe(r)
    assert r.json()["price_text"] == "\u20ac 25, lunch inbegrepen"
    assert r.json()["sequence"] == ev["sequence"], "calendars do not show a price"
    assert daemon.get(path).json()["price_text"] == "\u20ac 25, lunch inbegrepen"
    for bad in ("", "   ", "x" * 201, 25, ["gratis"], "twee\nregels"):
        r = daemon.patch(path, token=token, json={"price_text": bad})
        assert r.status_code == 422, (bad, describe(r))
        assert "price_text" in error_fields(r.json()), r.json()
    r = daemon.patch(path, token=token, json={"price_text": None})
    assert r.status_code == 200 and r.json()["price_text"] is None
    r = daemon.post("/api/v1/events", token=token,
                    json=event_body(price_text="\u20ac 10"))
    assert r.status_code == 201 and r.json()["price_text"] == "\u20ac 10"
    # the feeds are unaffected
    ics = daemon.get("/events/%s.ics" % r.json()["slug"]).text
    assert "\u20ac 10" not in ics


def test_event_page_says_free_or_the_price_and_links_the_map(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body())
    free = r.json()
    page = page_of(daemon.get("/events/" + free["slug"], headers=BROWSER))
    facts = {dt.text(): dt for dt in page.find_all("dt")}
    dd = page.find_all("dd")[list(facts).index("Prijs")]
    assert dd.text() == "Gratis"
    link = page.find("a", class_="map")
    venue = free["venue"]
    query = "%s, %s %s" % (venue["address"], venue["postcode"], venue["city"])
    assert link.attrs["href"] == \
        "https://www.openstreetmap.org/search?query=" + quote(query, safe="")
    # nothing of another site is loaded: no script, image or frame
    for n in page.root.iter():
        for attr in ("src",):
            if attr in n.attrs:
                assert urlsplit(n.attrs[attr]).netloc == "", n
        assert n.tag not in ("iframe", "embed", "object"), n
    r = daemon.get("/events/" + free["slug"], headers=BROWSER)
    assert "script-src 'none'" in r.headers["Content-Security-Policy"]

    r = daemon.post("/api/v1/events", token=token,
                    json=event_body(price_text="\u20ac 25 <lunch> inbegrepen"))
    priced = r.json()
    page = page_of(daemon.get("/events/" + priced["slug"], headers=BROWSER))
    assert "\u20ac 25 <lunch> inbegrepen" in page.root.text()
    assert "Gratis" not in page.root.text()
    page = page_of(daemon.get("/events/%s?lang=en" % free["slug"], headers=BROWSER))
    assert "Free of charge" in page.root.text()
    assert page.find("a", class_="map").text() == "On the map (OpenStreetMap)"


def overlapping(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body())
    ev = r.json()
    for slug, start, end in (("a", (14, 0), (15, 0)), ("b", (14, 30), (15, 30)),
                             ("c", (15, 15), (16, 0)), ("d", (16, 0), (17, 0))):
        r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                        json=session_body(slug=slug, starts_at=at(3, 18, *start),
                                          ends_at=at(3, 18, *end)))
        assert r.status_code == 201, describe(r)
    return ev


def test_time_slots_on_the_page_and_by_form(daemon, token):
    ev = overlapping(daemon, token)
    v = Visitor(daemon)
    page, form = v.open_form(ev["slug"])
    # a, b and c overlap in a chain: one slot; d touches c only
    slot = page.by_id("f-sessions-a").parent.parent
    assert slot.tag == "fieldset"
    names = {i.attrs["name"] for i in slot.find_all("input")}
    assert names == {"sessions.1"}
    assert [i.attrs["value"] for i in slot.find_all("input")] == ["", "a", "b", "c"]
    assert page.by_id("f-sessions-d").attrs["type"] == "checkbox"
    # a choice in the group registers that session
    r = v.register(ev["slug"], good_fields() + [("sessions.1", "b"), ("sessions", "d")])
    assert r.status_code == 303, describe(r)
    reg = daemon.get("/api/v1/registrations/" + token_of(r)).json()
    assert sorted(s["slug"] for s in reg["sessions"]) == ["b", "d"]
    # "none" chooses nothing
    r = v.register(ev["slug"], good_fields() + [("sessions.1", "")])
    assert r.status_code == 303, describe(r)
    assert daemon.get("/api/v1/registrations/" + token_of(r)).json()["sessions"] == []


@pytest.mark.parametrize("choice", [
    [("sessions", "a"), ("sessions", "b")],
    [("sessions.1", "a"), ("sessions.2", "b")],
], ids=["same-name", "two-groups"])
def test_a_crafted_overlap_is_refused_beside_the_field(daemon, token, pg, choice):
    """Sessions that overlap, sent anyway (the form would not let them):
    lk_register refuses, and the form says so beside the programme.  (a
    and c are in one slot through b but do not overlap themselves: the
    form offers one of them, the API takes both.)"""
    ev = overlapping(daemon, token)
    v = Visitor(daemon)
    fields = good_fields()
    email = dict(fields)["email"]
    r = v.register(ev["slug"], fields + choice)
    page = page_of(r, 422)
    err = page.by_id("f-sessions-error")
    assert err is not None and "tegelijk" in err.text()
    assert "f-sessions-error" in err.parent.attrs["aria-describedby"].split()
    assert int(pg.psql("SELECT count(*) FROM registrations WHERE email_norm = "
                       "lower('%s')" % email)[0][0]) == 0


# -- the cancel confirmation ---------------------------------------------------

def test_cancel_confirmation_says_what_happens(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body(capacity=1))
    ev = r.json()
    first = daemon.post("/api/v1/events/%s/registrations" % ev["slug"],
                        json=registration_body()).json()
    second = daemon.post("/api/v1/events/%s/registrations" % ev["slug"],
                         json=registration_body()).json()
    assert second["status"] == "waitlisted"
    v = Visitor(daemon)
    r = v.get(first["manage_url"] + "/cancel")
    page = page_of(r)
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Cache-Control"] == "no-store"
    assert page.find("meta", name="robots").attrs["content"].startswith("noindex")
    assert page.find("script") is None and page.find("link", rel="canonical") is None
    text = page.root.text()
    assert ev["title"] in text and "eerste persoon op de wachtlijst" in text
    form = page.form(first["manage_url"] + "/cancel")
    assert form.attrs["method"] == "post" and page.hidden(form, "csrf")
    page = page_of(v.get(second["manage_url"] + "/cancel"))
    assert "Je verlaat de wachtlijst." in page.root.text()
    # the waitlisted person's own page says where they stand
    page = page_of(v.get(second["manage_url"]))
    assert "Je staat op plaats 1 van de wachtlijst." in page.root.text()
    assert "krijg je een e-mail" in page.root.text()


def test_after_cancelling_the_page_offers_to_register_again(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body(capacity=5))
    ev = r.json()
    v = Visitor(daemon)
    tok = token_of(v.register(ev["slug"], good_fields()))
    page = page_of(v.get("/r/%s/cancel" % tok))
    form = page.form("/r/%s/cancel" % tok)
    r = v.post(form.attrs["action"], {"csrf": page.hidden(form, "csrf")})
    assert r.status_code == 303 and r.headers["Location"] == "/r/" + tok
    page = page_of(v.get("/r/" + tok))
    again = page.find("a", href="/events/%s#inschrijven" % ev["slug"])
    assert again is not None and "opnieuw" in again.text()
    # the confirmation has nothing left to confirm
    page = page_of(v.get("/r/%s/cancel" % tok))
    assert page.form("/r/%s/cancel" % tok) is None
    assert "al geannuleerd" in page.root.text()
    # registration closed: no such offer
    daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                 json={"registration_closes_at": at(1, 1, 0, year=date.today().year - 1),
                       "registration_opens_at": None})
    assert page_of(v.get("/r/" + tok)).find(
        "a", href="/events/%s#inschrijven" % ev["slug"]) is None


# -- search engines and link previews ------------------------------------------

def test_json_ld_is_what_google_asks_for(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body(
        description="Inspiratie uit in-company academies.\n\nMet lunch."))
    ev = r.json()
    daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                json=session_body(slug="s1"))
    page = page_of(daemon.get("/events/" + ev["slug"], headers=BROWSER))
    ld = check_google_event(jsonld(page), ev)
    assert ld["eventStatus"] == SCHEMA + "EventScheduled"
    assert ld["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert ld["location"]["address"] == {
        "@type": "PostalAddress", "streetAddress": ev["venue"]["address"],
        "postalCode": ev["venue"]["postcode"],
        "addressLocality": ev["venue"]["city"], "addressCountry": "BE"}
    assert ld["offers"]["price"] == 0 and ld["offers"]["priceCurrency"] == "EUR"
    assert ld["offers"]["availability"] == SCHEMA + "InStock"
    assert ld["organizer"]["url"] == daemon.url
    assert ld["url"] == daemon.url + "/events/" + ev["slug"]
    assert ld["subEvent"][0]["name"] == "Digitale basisvaardigheden"
    assert "image" not in ld  # no logo set

    # cancelled, online, with a price text and a title that tries to end
    # the script element
    r = daemon.post("/api/v1/events", token=token, json=event_body(
        title="Webinar </script><script>alert(1)</script>", venue=None,
        online_url="https://meet.example.be/leerkans",
        price_text="\u20ac 25, lunch inbegrepen"))
    ev = r.json()
    daemon.patch("/api/v1/events/" + ev["slug"], token=token,
                 json={"status": "cancelled"})
    r = daemon.get("/events/" + ev["slug"], headers=BROWSER)
    assert r.status_code == 200 and "<script>alert(1)" not in r.text
    page = Page(r.text)  # not page_of: the title is in attributes, escaped
    assert not page.errors, page.errors
    ld = check_google_event(jsonld(page), ev)
    assert ld["eventStatus"] == SCHEMA + "EventCancelled"
    assert ld["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert ld["location"] == {"@type": "VirtualLocation",
                              "url": "https://meet.example.be/leerkans"}
    assert "price" not in ld["offers"], "no number made up from a price text"
    assert ld["offers"]["description"] == "\u20ac 25, lunch inbegrepen"


def test_open_graph_and_canonical(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body(
        description="Samen leren tussen bedrijfsacademies.\n\nTweede alinea."))
    ev = r.json()
    url = daemon.url + "/events/" + ev["slug"]
    for query, locale, canonical in (("", "nl_BE", url),
                                     ("?lang=en", "en_GB", url + "?lang=en")):
        page = page_of(daemon.get("/events/" + ev["slug"] + query, headers=BROWSER))

        def meta(prop):
            n = page.find("meta", property=prop)
            return n.attrs["content"] if n is not None else None
        assert page.find("link", rel="canonical").attrs["href"] == canonical
        assert meta("og:url") == canonical
        assert meta("og:title") == ev["title"]
        assert meta("og:type") == "website"
        assert meta("og:locale") == locale
        assert meta("og:description") == "Samen leren tussen bedrijfsacademies."
        alternates = {n.attrs["hreflang"]: n.attrs["href"]
                      for n in page.find_all("link", rel="alternate")}
        assert alternates == {"nl": url, "en": url + "?lang=en", "x-default": url}
    # a registrant's page tells search engines nothing
    tok = token_of(Visitor(daemon).register(ev["slug"], good_fields()))
    page = page_of(daemon.get("/r/" + tok, headers=BROWSER))
    assert page.find("meta", property="og:url") is None
    assert page.find("link", rel="canonical") is None


def test_sitemap_lists_the_public_pages(daemon, token, ctl):
    def make(**fields):
        r = daemon.post("/api/v1/events", token=token, json=event_body(**fields))
        assert r.status_code == 201, describe(r)
        return r.json()
    upcoming = make()
    cancelled = make()
    daemon.patch("/api/v1/events/" + cancelled["slug"], token=token,
                 json={"status": "cancelled"})
    cancelled = daemon.get("/api/v1/events/" + cancelled["slug"]).json()
    draft = make(status="draft")
    then = datetime.now(timezone.utc) - timedelta(days=60)
    recent = make(starts_at=(then - timedelta(hours=2)).isoformat(),
                  ends_at=then.isoformat())
    old = make(starts_at=at(1, 5, 10, year=date.today().year - 2),
               ends_at=at(1, 5, 12, year=date.today().year - 2))
    tok = token_of(Visitor(daemon).register(upcoming["slug"], good_fields()))

    r = daemon.get("/sitemap.xml")
    assert r.status_code == 200 and media_type(r) == "application/xml"
    assert "max-age" in r.headers["Cache-Control"]
    root = ElementTree.fromstring(r.content)
    assert root.tag == SITEMAP_NS + "urlset"
    urls = {}
    for u in root.findall(SITEMAP_NS + "url"):
        loc = u.find(SITEMAP_NS + "loc").text
        lastmod = u.find(SITEMAP_NS + "lastmod")
        alts = {a.get("hreflang"): a.get("href") for a in u.findall(XHTML_NS + "link")}
        urls[loc] = (lastmod.text if lastmod is not None else None, alts)
    base = daemon.url
    for path in ("/", "/privacy", "/accessibility"):
        assert base + path in urls and base + path + "?lang=en" in urls, path
    ev_url = base + "/events/" + upcoming["slug"]
    lastmod, alts = urls[ev_url]
    assert alts == {"nl": ev_url, "en": ev_url + "?lang=en"}
    # lastmod from the data: when the event last changed
    assert datetime.fromisoformat(lastmod) == datetime.fromisoformat(upcoming["updated_at"])
    assert datetime.fromisoformat(urls[base + "/"][0]).tzinfo is not None
    assert urls[base + "/events/" + cancelled["slug"]][0] is not None
    assert base + "/events/" + recent["slug"] in urls  # ended, recently
    assert base + "/events/" + draft["slug"] not in urls
    assert base + "/events/" + old["slug"] not in urls  # over a year ago
    assert not any("/r/" in loc for loc in urls), "a registrant's page"
    assert tok not in r.text


def test_robots_txt_points_to_the_sitemap(daemon):
    r = daemon.get("/robots.txt")
    assert r.status_code == 200 and media_type(r) == "text/plain"
    lines = r.text.splitlines()
    assert "Sitemap: %s/sitemap.xml" % daemon.url in lines
    assert "Disallow: /r/" in lines
