"""Check-in at the door in the organiser console (API.md sections 7 and
10; docs/CONSOLE.md, "The door"): today's events with their counters,
the name search (accents aside), check in and undo with one POST each
that returns to the same search, check-in on the event's day only (the
API and the pages), the waiting list refused with 409, the door's role
kept to the door, and the check-in code: its QR code on the
registrant's page, decoded with zbarimg, leads (through the login) to a
page that checks that person in.  In Chromium: by keyboard at phone
width, and axe-core on every page of the door.
"""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from harness import (assert_problem, at, describe, event_body,
                     registration_body, today, unique)
from test_console import Console, page_of
import routetable
from webpage import Page

import browser as chromium


@pytest.fixture
def console(daemon, issued_tokens):
    return lambda d=None: Console(d or daemon, issued_tokens)


def make_event(daemon, token, **fields):
    r = daemon.post("/api/v1/events", token=token, json=event_body(**fields))
    assert r.status_code == 201, describe(r)
    return r.json()


def register(daemon, slug, **fields):
    r = daemon.post("/api/v1/events/%s/registrations" % slug,
                    json=registration_body(**fields))
    assert r.status_code == 201, describe(r)
    out = r.json()
    out["_token"] = out["manage_url"].rsplit("/", 1)[-1]
    return out


def door_event(daemon, token, capacity=30, **fields):
    """An event going on now, with three people: Éliaerts, Eeckhout and
    one more, all with a seat."""
    tag = unique("d")
    ev = make_event(daemon, token, capacity=capacity,
                    title="Netwerkevent aan de deur " + tag, **today(**fields))
    people = {
        "eli": register(daemon, ev["slug"], given_name="Anna",
                        family_name="Éliaerts-" + tag),
        "eec": register(daemon, ev["slug"], given_name="Bert",
                        family_name="Eeckhout-" + tag),
        "zee": register(daemon, ev["slug"], given_name="Cas",
                        family_name="Zeeman-" + tag),
    }
    return ev, people, tag


def search(c, slug, q, lang=None):
    params = {"q": q}
    if lang:
        params["lang"] = lang
    r = c.get("/beheer/deur/%s" % slug, params=params)
    return page_of(r, 200)


def rows(page):
    """{registration id: the row's li} of a search's answer."""
    return {int(li.attrs["id"][2:]): li for li in page.find_all("li")
            if li.attrs.get("id", "").startswith("p-")}


def counter(page):
    text = page.find("p", **{"class": "door-counter"}).text()
    m = re.match(r"(\d+) / (\d+)", text)
    return int(m.group(1)), int(m.group(2))


def act(c, page, rid):
    """Presses the one button of person rid: the form's own fields."""
    li = rows(page)[rid]
    form = li.find("form")
    data = {i.attrs["name"]: i.attrs.get("value", "")
            for i in form.find_all("input")}
    return c.post(form.attrs["action"], data)


def checked_in(pg, rid):
    return pg.psql("SELECT checked_in_at IS NOT NULL FROM registrations "
                   "WHERE id = %d" % rid)[0][0] == "t"


# -- the list and the search ----------------------------------------------------

def test_today_lists_only_events_whose_check_in_is_open(daemon, token, console,
                                                         console_user):
    ev, people, tag = door_event(daemon, token)
    later = make_event(daemon, token, title="Later " + tag)
    c = console()
    c.login(*console_user("door"))
    page = page_of(c.get("/beheer/deur"), 200)
    text = page.find("main").text()
    assert ev["title"] in text
    assert later["title"] not in text, "an event in March is not today's"
    section = [s for s in page.find_all("section") if ev["title"] in s.text()][0]
    assert counter(section) == (0, 3)
    form = section.find("form")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == "/beheer/deur/" + ev["slug"]


def test_search_is_accent_and_case_insensitive(daemon, token, console, console_user):
    ev, people, tag = door_event(daemon, token)
    c = console()
    c.login(*console_user("door"))
    for q in ("eliaerts-" + tag, "ÉLIAERTS", "liaer"):
        found = rows(search(c, ev["slug"], q))
        assert people["eli"]["id"] in found, q
        assert people["eec"]["id"] not in found, q
    found = rows(search(c, ev["slug"], tag))
    assert list(found) == [people["eec"]["id"], people["eli"]["id"],
                           people["zee"]["id"]], "by family name, in Dutch order"
    page = search(c, ev["slug"], "")
    assert rows(page) == {}, "an empty search finds nobody"
    page = search(c, ev["slug"], "%_" + tag)
    assert rows(page) == {}, "LIKE's wildcards are letters here"
    text = search(c, ev["slug"], "nobody-" + tag).find("main").text()
    assert "Niemand met die letters" in text


def test_check_in_and_undo_with_one_button_each(daemon, token, pg, console,
                                               console_user):
    ev, people, tag = door_event(daemon, token)
    rid = people["eli"]["id"]
    c = console()
    c.login(*console_user("door"))
    page = search(c, ev["slug"], "eliaerts")
    assert counter(page) == (0, 3)
    li = rows(page)[rid]
    assert len(li.find_all("form")) == 1 and len(li.find_all("button")) == 1
    assert li.find("button").text().startswith("Inchecken")
    r = act(c, page, rid)
    assert r.status_code == 303, describe(r)
    loc = urlsplit(r.headers["Location"])
    assert loc.path == "/beheer/deur/" + ev["slug"]
    assert parse_qs(loc.query) == {"q": ["eliaerts"], "m": ["checked-in"]}
    assert loc.fragment == "p-%d" % rid
    assert checked_in(pg, rid)
    page = page_of(c.get(r.headers["Location"]), 200)
    assert counter(page) == (1, 3)
    assert page.find(role="status").text() == "Ingecheckt."
    li = rows(page)[rid]
    assert "Aanwezig" in li.text()
    assert li.find("button").text().startswith("Ongedaan maken")
    r = act(c, page, rid)
    assert r.status_code == 303 and "m=undone" in r.headers["Location"]
    assert not checked_in(pg, rid)
    assert counter(page_of(c.get(r.headers["Location"]), 200)) == (0, 3)
    # the API sees the same
    r = daemon.get("/api/v1/events/%s/attendees" % ev["slug"], token=token,
                   params={"format": "json", "status": "checked-in"})
    assert r.json()["attendees"] == []


def test_forms_without_the_session_token_change_nothing(daemon, token, pg,
                                                         console, console_user):
    ev, people, tag = door_event(daemon, token)
    rid = people["eli"]["id"]
    c = console()
    c.login(*console_user("door"))
    r = c.post("/beheer/deur/%s/%d/check-in" % (ev["slug"], rid), {"q": "x"})
    assert r.status_code == 403
    r = c.post("/beheer/deur/%s/%d/check-in" % (ev["slug"], rid),
               {"q": "x", "csrf": "A" * 43})
    assert r.status_code == 403
    assert not checked_in(pg, rid)
    anon = console()
    r = anon.post("/beheer/deur/%s/%d/check-in" % (ev["slug"], rid), {"q": "x"})
    assert r.status_code == 401
    assert not checked_in(pg, rid)


def test_waiting_list_cannot_be_checked_in(daemon, token, pg, console,
                                           console_user):
    tag = unique("w")
    ev = make_event(daemon, token, capacity=1, waitlist=True,
                    title="Vol " + tag, **today())
    seat = register(daemon, ev["slug"], family_name="Zit-" + tag)
    wait = register(daemon, ev["slug"], family_name="Wacht-" + tag)
    assert wait["status"] == "waitlisted"
    p = assert_problem(daemon.post("/api/v1/registrations/%d/check-in" % wait["id"],
                                   token=token), 409)
    assert p["type"].endswith("/problems/registration-waitlisted"), p
    c = console()
    c.login(*console_user("door"))
    page = search(c, ev["slug"], tag)
    assert counter(page) == (0, 1)
    li = rows(page)[wait["id"]]
    assert li.find("form") is None, "no button for the waiting list"
    assert "Wachtlijst" in li.text()
    token_ = page.find("input", name="csrf").attrs["value"]
    r = c.post("/beheer/deur/%s/%d/check-in" % (ev["slug"], wait["id"]),
               {"csrf": token_, "q": tag})
    assert r.status_code == 303 and "m=registration-waitlisted" in r.headers["Location"]
    assert not checked_in(pg, wait["id"])
    page = page_of(c.get(r.headers["Location"]), 200)
    assert "wachtlijst" in page.find(role="alert").text()
    assert rows(page)[seat["id"]].find("form") is not None


def test_check_in_only_on_the_events_day(daemon, token, pg, ctl, console,
                                         console_user):
    tag = unique("m")
    ev = make_event(daemon, token, title="Maart " + tag)  # in March, years ahead
    reg = register(daemon, ev["slug"], family_name="Later-" + tag)
    path = "/api/v1/registrations/%d/check-in" % reg["id"]
    p = assert_problem(daemon.post(path, token=token), 409)
    assert p["type"].endswith("/problems/checkin-closed"), p
    door = ctl("token", "create", unique("deur"), "--scope", "door").stdout.strip()
    assert_problem(daemon.post(path, token=door), 409)
    assert not checked_in(pg, reg["id"])
    # an organiser may undo afterwards; the door may not
    pg.psql("UPDATE registrations SET checked_in_at = now() WHERE id = %d" % reg["id"])
    p = assert_problem(daemon.request("DELETE", path, token=door), 409)
    assert p["type"].endswith("/problems/checkin-closed")
    assert checked_in(pg, reg["id"])
    r = daemon.request("DELETE", path, token=token)
    assert r.status_code == 200 and r.json()["checked_in_at"] is None
    # the page: not among today's; opened, closed, and the door sees no
    # names of another day's event, an organiser sees them without buttons
    c = console()
    c.login(*console_user("door"))
    assert ev["title"] not in c.get("/beheer/deur").text
    page = search(c, ev["slug"], tag)
    assert "Inchecken is nu gesloten" in page.find("main").text()
    assert rows(page) == {} and "Later-" not in page.find("main").text()
    code = pg.psql("SELECT checkin_code FROM registrations WHERE id = %d"
                   % reg["id"])[0][0]
    page = page_of(c.get("/beheer/c/" + code), 200)
    assert "Later-" not in page.find("main").text()
    assert "Inchecken is nu gesloten" in page.find("main").text()
    o = console()
    o.login(*console_user("organiser"))
    page = search(o, ev["slug"], tag)
    assert rows(page)[reg["id"]].find("form") is None
    assert "Later-" in page.find("main").text()
    csrf = page.find("input", name="csrf").attrs["value"]
    c = o
    r = c.post("/beheer/deur/%s/%d/check-in" % (ev["slug"], reg["id"]),
               {"csrf": csrf, "q": tag})
    assert r.status_code == 303 and "m=checkin-closed" in r.headers["Location"]
    assert not checked_in(pg, reg["id"])


def test_the_margin_is_a_setting(start_daemon, token, pg, console, console_user):
    """An event that ended yesterday evening: closed with no margin, open
    with a margin that reaches past midnight into now."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    now = datetime.now(ZoneInfo("Europe/Brussels")).replace(microsecond=0)
    midnight = now.replace(hour=0, minute=0, second=0)
    hours = int((now - midnight).total_seconds() // 3600) + 2
    if hours > 48:
        pytest.skip("never: a day has 24 hours")
    d0 = start_daemon(env={"LEERKANS_CHECKIN_MARGIN_HOURS": "0"})
    d1 = start_daemon(env={"LEERKANS_CHECKIN_MARGIN_HOURS": str(hours)})
    ev = make_event(d0, token, capacity=None,
                    starts_at=(midnight - timedelta(hours=4)).isoformat(),
                    ends_at=(midnight - timedelta(hours=1)).isoformat())
    rid = pg.psql(
        "INSERT INTO registrations (event_id, token_hash, status, given_name,"
        " family_name, email, email_norm, role, organisation_type,"
        " consented_at, confirmed_at) SELECT id, sha256('%s'), 'confirmed',"
        " 'Gisteren', 'Avond', 'g@example.be', 'g@example.be', 'employee',"
        " 'sme', now(), now() FROM events WHERE slug = '%s' RETURNING id"
        % (unique("t"), ev["slug"]))[0][0]
    path = "/api/v1/registrations/%s/check-in" % rid
    assert_problem(d0.post(path, token=token), 409)
    r = d1.post(path, token=token)
    assert r.status_code == 200, describe(r)


# -- the door's role -------------------------------------------------------------

# What a door account may reach in the console (besides the login,
# which is everyone's).  The walk below reads the route table: a route
# added with AUTH_DOOR must be added here on purpose, and any other is
# refused to the door without a line of this test changing.
DOOR_CONSOLE = {
    ("GET", "/beheer"), ("GET", "/beheer/login"), ("POST", "/beheer/login"),
    ("POST", "/beheer/logout"), ("GET", "/beheer/"), ("GET", "/beheer/deur"),
    ("GET", "/beheer/deur/:slug"), ("POST", "/beheer/deur/:slug/:id/check-in"),
    ("POST", "/beheer/deur/:slug/:id/undo"), ("GET", "/beheer/c/:token"),
    ("POST", "/beheer/c/:token")}


def test_the_door_is_refused_everything_else(daemon, token, pg, console,
                                             console_user):
    """Every console route of routes.c whose least role is above the
    door's, with real parameters and a valid form token: the console's
    403 page, and nothing changed."""
    ev, people, tag = door_event(daemon, token)
    rid = people["eli"]["id"]
    code = pg.psql("SELECT checkin_code FROM registrations WHERE id = %d"
                   % rid)[0][0]
    email, password = console_user("door")
    uid = pg.psql("SELECT id FROM users WHERE email = '%s'" % email)[0][0]
    tid = pg.psql("SELECT max(id) FROM organiser_tokens")[0][0]
    tokens = pg.psql("SELECT count(*) FROM organiser_tokens")
    c = console()
    c.login(email, password)
    table = [r for r in routetable.routes() if r.face == "FACE_CONSOLE"]
    reachable = {(r.method, r.pattern) for r in table
                 if r.auth in ("AUTH_NONE", "AUTH_DOOR")}
    assert reachable == DOOR_CONSOLE, \
        "the door's routes changed: %s" % sorted(reachable ^ DOOR_CONSOLE)
    csrf = c.csrf("/beheer/deur")
    refused = []
    for r in table:
        if (r.method, r.pattern) in DOOR_CONSOLE:
            continue
        ident = uid if r.pattern.startswith("/beheer/users/") else \
            tid if r.pattern.startswith("/beheer/tokens/") else rid
        path = routetable.path(r, slug=ev["slug"], id=ident, token=code)
        if r.method == "GET":
            resp = c.get(path)
        else:
            assert r.method == "POST", r
            # the fields that would do the most, were they let through
            resp = c.post(path, {"csrf": csrf, "role": "admin",
                                 "scope": "organiser", "name": "deur-" + tag,
                                 "email": "deur-%s@pom.example" % tag,
                                 "confirm": "1"})
        page = page_of(resp, 403)
        assert page.find("h1").text() == "Geen toegang", (r.method, path)
        refused.append((r.method, r.pattern))
    assert len(refused) == len(table) - len(DOOR_CONSOLE) and \
        len(refused) >= 30, refused
    # nothing changed, and the session is still the door's
    assert pg.psql("SELECT role FROM users WHERE id = %s" % uid) == [["door"]]
    assert pg.psql("SELECT count(*) FROM organiser_tokens") == tokens
    assert pg.psql("SELECT status FROM registrations WHERE id = %d" % rid) \
        == [["confirmed"]]
    assert daemon.get("/api/v1/events/" + ev["slug"]).json()["status"] == \
        "published"
    for r in table:
        if r.method == "GET" and r.auth == "AUTH_DOOR":
            path = routetable.path(r, slug=ev["slug"], token=code)
            assert c.get(path).status_code == 200, path
    page = page_of(c.get("/beheer/deur"), 200)
    links = {a.attrs["href"] for a in page.find("nav", **{"class": "console-nav"}).find_all("a")}
    assert links == {"/beheer/", "/beheer/deur"}, links


def test_a_door_session_does_not_open_the_api(daemon, console, console_user):
    c = console()
    c.login(*console_user("door"))
    r = c.s.post(daemon.url + "/api/v1/events", json=event_body(), timeout=10)
    assert r.status_code == 401
    r = c.s.get(daemon.url + "/api/v1/stats/reach", timeout=10)
    assert r.status_code == 401


# -- the check-in code ------------------------------------------------------------

def qr_of(page_html):
    """The URL in the registrant's page's QR code, by zbarimg."""
    if not shutil.which("zbarimg") or not shutil.which("rsvg-convert"):
        pytest.skip("zbar-tools and librsvg2-bin are needed to read the QR code")
    m = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", page_html, re.S)
    assert m, "no QR code on the page"
    svg = m.group(0)
    ET.fromstring(svg)  # well-formed XML on its own
    png = subprocess.run(["rsvg-convert", "-w", "400", "-b", "white"],
                         input=svg.encode(), capture_output=True, check=True).stdout
    out = subprocess.run(["zbarimg", "-q", "--raw", "-"], input=png,
                         capture_output=True, check=True).stdout
    return out.decode().strip()


def test_the_qr_code_leads_through_the_login_to_the_check_in(daemon, token, pg,
                                                              console, console_user):
    ev, people, tag = door_event(daemon, token)
    reg = people["zee"]
    code = pg.psql("SELECT checkin_code FROM registrations WHERE id = %d"
                   % reg["id"])[0][0]
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", code)
    r = requests.get(daemon.url + "/r/" + reg["_token"], timeout=10)
    assert r.status_code == 200
    url = qr_of(r.text)
    assert url == daemon.url + "/beheer/c/" + code
    path = urlsplit(url).path

    c = console()
    r = c.get(path)
    assert r.status_code == 303
    loc = urlsplit(r.headers["Location"])
    assert loc.path == "/beheer/login" and parse_qs(loc.query)["next"] == [path]
    email, password = console_user("door")
    r = c.login(email, password, next=path)
    assert r.headers["Location"] == path, "back to the code after the login"
    page = page_of(c.get(path), 200)
    assert reg["name"] in page.find("main").text()
    assert not checked_in(pg, reg["id"]), "a GET changes nothing"
    form = page.find("form", action=path)
    assert form is not None
    r = c.post(path, {"csrf": form.find("input", name="csrf").attrs["value"]})
    assert r.status_code == 303, describe(r)
    assert checked_in(pg, reg["id"])
    page = page_of(c.get(r.headers["Location"]), 200)
    assert "Aanwezig sinds" in page.find("main").text()
    assert page.find("form", action=path) is None

    # an organiser may use the code too; a wrong code is a 404
    o = console()
    o.login(*console_user("organiser"))
    assert o.get(path).status_code == 200
    assert o.get("/beheer/c/" + "A" * 24).status_code == 404
    assert o.get("/beheer/c/kort").status_code == 404


def test_no_code_on_the_page_of_the_waiting_list(daemon, token):
    ev = make_event(daemon, token, capacity=0, waitlist=True, **today())
    wait = register(daemon, ev["slug"])
    assert wait["status"] == "waitlisted"
    r = requests.get(daemon.url + "/r/" + wait["_token"], timeout=10)
    assert 'class="qr"' not in r.text


def test_codes_stay_out_of_the_log(daemon, token, pg, console, console_user):
    ev, people, tag = door_event(daemon, token)
    code = pg.psql("SELECT checkin_code FROM registrations WHERE id = %d"
                   % people["eli"]["id"])[0][0]
    c = console()
    c.get("/beheer/c/" + code)
    c.login(*console_user("door"), next="/beheer/c/" + code)
    c.get("/beheer/c/" + code)
    search(c, ev["slug"], "eliaerts")
    import time
    deadline = time.monotonic() + 10
    while "/beheer/c/****" not in daemon.stderr_text():
        assert time.monotonic() < deadline, "the access lines never came"
        time.sleep(0.1)
    log = daemon.stderr_text()
    assert code not in log
    assert "liaerts" not in log, "no name in the log"


# -- in a browser ------------------------------------------------------------------

def test_door_by_keyboard_on_a_phone(browser, daemon, token, pg, console_user,
                                     issued_tokens):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    ev, people, tag = door_event(daemon, token)
    drv = browser
    drv.set_window_size(*chromium.PHONE)
    chromium.console_login(drv, daemon.url, *console_user("door"),
                           issued=issued_tokens)
    drv.get(daemon.url + "/beheer/deur")
    # to this event's search box (other tests' events may be today's
    # too) by Tab alone
    section = [s for s in drv.find_elements(By.CSS_SELECTOR, "section.door-event")
               if ev["title"] in s.text][0]
    want = section.find_element(By.CSS_SELECTOR, "input[type=search]")
    for _ in range(200):
        drv.switch_to.active_element.send_keys(Keys.TAB)
        el = drv.switch_to.active_element
        if el == want:
            break
    else:
        raise AssertionError("Tab never reached the search box")
    el.send_keys("eeckhout-" + tag + Keys.ENTER)
    WebDriverWait(drv, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".door-people"))
    assert urlsplit(drv.current_url).path == "/beheer/deur/" + ev["slug"]
    button = drv.find_element(By.CSS_SELECTOR, ".door-act button")
    width = drv.execute_script("return document.documentElement.scrollWidth")
    assert width <= chromium.PHONE[0], "nothing wider than the phone"
    assert button.size["height"] >= 44, "a button big enough for a thumb"
    for _ in range(40):
        drv.switch_to.active_element.send_keys(Keys.TAB)
        if drv.switch_to.active_element == button:
            break
    else:
        raise AssertionError("Tab never reached the check-in button")
    button.send_keys(Keys.ENTER)
    WebDriverWait(drv, 20).until(lambda d: "m=checked-in" in d.current_url,
                                 "no check-in: %s" % drv.current_url)
    assert checked_in(pg, people["eec"]["id"])
    assert "1 / 3" in drv.find_element(By.CSS_SELECTOR, ".door-counter").text
    shots = os.environ.get("LEERKANS_SCREENSHOTS")
    if shots:
        drv.set_window_size(chromium.PHONE[0], 1250)
        drv.execute_script("window.scrollTo(0, 0)")
        drv.save_screenshot(os.path.join(shots, "door-phone.png"))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_door_pages_have_no_serious_violations(axe_browser, daemon, token, pg,
                                               console_user, issued_tokens, size):
    ev, people, tag = door_event(daemon, token)
    wait_ev = make_event(daemon, token, capacity=0, waitlist=True, **today())
    register(daemon, wait_ev["slug"], family_name="Wacht-" + tag)
    code = pg.psql("SELECT checkin_code FROM registrations WHERE id = %d"
                   % people["eli"]["id"])[0][0]
    pg.psql("UPDATE registrations SET checked_in_at = now() WHERE id = %d"
            % people["eec"]["id"])
    drv = axe_browser
    drv.set_window_size(*(chromium.PHONE if size == "phone" else chromium.DESKTOP))
    chromium.console_login(drv, daemon.url, *console_user("door"),
                           issued=issued_tokens)
    for what, path in (("today", "/beheer/deur"),
                       ("today, english", "/beheer/deur?lang=en"),
                       ("search", "/beheer/deur/%s?q=%s" % (ev["slug"], tag)),
                       ("waiting list", "/beheer/deur/%s?q=%s" % (wait_ev["slug"], tag)),
                       ("nobody found", "/beheer/deur/%s?q=zzzz" % ev["slug"]),
                       ("a notice", "/beheer/deur/%s?q=%s&m=registration-waitlisted"
                        % (ev["slug"], tag)),
                       ("check-in code", "/beheer/c/" + code)):
        drv.get(daemon.url + path)
        found = chromium.axe_violations(drv)
        assert not found, "%s: %s" % (what, found)
    reg = people["zee"]
    drv.get(daemon.url + "/r/" + reg["_token"])
    found = chromium.axe_violations(drv)
    assert not found, "registrant's page with its QR code: %s" % found
