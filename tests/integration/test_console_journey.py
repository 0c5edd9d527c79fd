"""The whole organiser journey of the console in a real browser, by
keyboard alone (Tab, typing, arrow keys, Enter and Space; no click, no
address typed but the first page's and the check-in code's, which a
door phone opens by scanning the QR code), at desktop (1280 px) and
phone (375 px) width, with axe-core on every page on the way:

  an organiser logs in, makes a network event for today (Brussels time,
  so that the door may check in) with two sessions in one time slot and
  publishes it; a citizen registers through the public form in a browser
  of their own; the organiser finds them in the registrations, follows
  the XLSX and "CSV voor Excel" links (the files Chromium downloads are
  read with openpyxl and csv) and logs out; a door account finds them by
  name, checks them in, undoes it, and checks them in again through the
  URL of the QR code on their /r/ page (decoded with zbarimg); the
  organiser reads "De teller loopt" for the event: one registration, one
  attended.  Each logout is checked by sending the session's cookie again:
  it opens nothing.

The browsers run with JavaScript on, because axe-core needs it; the
pages have none of their own and their CSP holds.  Skipped, naming what
is missing, without Chromium, chromedriver, python3-selenium, openpyxl
or axe-core (a failure under LEERKANS_REQUIRE_AXE=1).
"""

import csv
import io
import os
import tempfile
import shutil
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests

import browser as chromium
from harness import BRUSSELS, unique
from test_console_door import qr_of

from browser import NAVIGATING, By, Keys, WebDriverWait

pytestmark = chromium.needed

SIZES = {"desktop": (1280, 900), "phone": chromium.PHONE}


# -- the keyboard ------------------------------------------------------------

def focused(drv):
    return drv.switch_to.active_element


def settle(drv, test, what):
    """Waits until the address passes test and the page has loaded."""
    WebDriverWait(drv, 20, ignored_exceptions=NAVIGATING).until(
        lambda d: test(urlsplit(d.current_url)) and
        d.execute_script("return document.readyState") == "complete",
        "the browser never reached " + what)


def tab_until(drv, test, what, limit=250):
    """Presses Tab until test(the focused element) holds; from the top of
    the page when nothing has focus yet."""
    for _ in range(limit):
        focused(drv).send_keys(Keys.TAB)
        if test(focused(drv)):
            return focused(drv)
    raise AssertionError("Tab never reached " + what)


def tab_to(drv, ident):
    return tab_until(drv, lambda e: e.get_attribute("id") == ident, "#" + ident)


def tab_to_text(drv, tag, text):
    """Tabs to the tag (a link, a button) whose text starts with text."""
    return tab_until(drv, lambda e: e.tag_name == tag and
                     e.text.strip().startswith(text), "%s %r" % (tag, text))


def press(el, key=Keys.ENTER):
    el.send_keys(key)


def type_in(drv, ident, text):
    tab_to(drv, ident).send_keys(text)


def type_time(drv, ident, when):
    """A date and time typed into the browser's own datetime-local field,
    laid out as en-US by headless Chromium whatever the language
    (mm/dd/yyyy hh:mm AM/PM; see test_console_events_browser.py)."""
    el = tab_to(drv, ident)
    el.send_keys("%02d%02d%04d" % (when.month, when.day, when.year) +
                 Keys.RIGHT + "%02d%02d" % ((when.hour + 11) % 12 + 1,
                                            when.minute) +
                 ("P" if when.hour >= 12 else "A"))
    want = when.strftime("%Y-%m-%dT%H:%M")
    assert el.get_attribute("value") == want, \
        "the field took %r for %s" % (el.get_attribute("value"), want)


def choose(drv, ident, value, limit=60):
    """Moves a focused select (or radio group) with the arrow key until
    its value is value."""
    el = tab_to(drv, ident)
    for _ in range(limit):
        if el.get_attribute("value") == value:
            return el
        el.send_keys(Keys.DOWN)
    raise AssertionError("%s never took %r" % (ident, value))


def main_text(drv):
    return drv.find_element(By.TAG_NAME, "main").text


WIDE = """
var w = window.innerWidth, out = [];
function clipped(e) {
    for (var a = e.parentElement; a; a = a.parentElement) {
        var o = getComputedStyle(a).overflowX;
        if (o == 'auto' || o == 'hidden' || o == 'scroll' || o == 'clip')
            return true;
    }
    return false;
}
document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > w + 1 && !clipped(e) && out.length < 5)
        out.push(e.tagName + (e.id ? '#' + e.id : '') +
                 (e.className ? '.' + e.className : '') + ' ' +
                 Math.round(r.right));
});
return [document.documentElement.scrollWidth, w, out];
"""


def fits(drv, what):
    """Nothing on the page is wider than the window."""
    scroll, width, wide = drv.execute_script(WIDE)
    assert scroll <= width, "%s scrolls sideways (%d > %d px): %s" % (
        what, scroll, width, wide)


class Sweep:
    """axe-core on every page the journey shows, and nothing wider than
    the window."""

    def __init__(self):
        self.seen = []

    def __call__(self, drv, what):
        fits(drv, what)
        found = chromium.axe_violations(drv)
        assert not found, "%s (%s): %s" % (what, drv.current_url, found)
        self.seen.append(urlsplit(drv.current_url).path)


def log_in(drv, url, email, password, issued, sweep):
    """From wherever the browser is, to the login form by its address
    (the journey's first page) or by the page it is on."""
    if urlsplit(drv.current_url).path != "/beheer/login":
        drv.get(url + "/beheer/")
    settle(drv, lambda u: u.path == "/beheer/login", "the login page")
    sweep(drv, "the login page")
    type_in(drv, "f-email", email)
    focused(drv).send_keys(Keys.TAB)
    focused(drv).send_keys(password + Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/", "the dashboard")
    issued.append(drv.get_cookie("lk_session")["value"])
    sweep(drv, "the dashboard")


def log_out(drv, url):
    """Logs out by the header's button; the session's cookie, sent again
    as someone who kept it would, opens nothing."""
    old = drv.get_cookie("lk_session")["value"]
    press(tab_to_text(drv, "button", "Afmelden"))
    settle(drv, lambda u: u.path == "/beheer/login", "the login page")
    assert drv.get_cookie("lk_session") is None
    assert "Je bent afgemeld." in main_text(drv)
    r = requests.get(url + "/beheer/", cookies={"lk_session": old},
                     allow_redirects=False, timeout=10)
    assert r.status_code == 303, "a replayed cookie: %d" % r.status_code
    assert urlsplit(r.headers["Location"]).path == "/beheer/login"


def wait_for_download(where, suffix, before, timeout=20):
    """The path of the one new finished file ending in suffix."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [f for f in os.listdir(where)
               if f not in before and f.endswith(suffix)]
        partial = [f for f in os.listdir(where) if f.endswith(".crdownload")]
        if new and not partial:
            assert len(new) == 1, new
            return os.path.join(where, new[0])
        time.sleep(0.1)
    raise AssertionError("no %s file was downloaded into %s: %s"
                         % (suffix, where, os.listdir(where)))


def the_times():
    """An event of today in Brussels, going on now (check-in is open)
    and open for registration, with its sessions ahead in one slot."""
    now = datetime.now(ZoneInfo(BRUSSELS)).replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    start = max(now - timedelta(hours=1), midnight)
    return {"start": start, "end": now + timedelta(hours=3),
            "s_start": now + timedelta(minutes=30),
            "s_end": now + timedelta(minutes=90)}


def checked_in(pg, rid):
    return pg.psql("SELECT checked_in_at IS NOT NULL FROM registrations "
                   "WHERE id = %s" % rid)[0][0] == "t"


# -- the journey -----------------------------------------------------------

@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_organisers_whole_journey_by_keyboard(daemon, pg, console_user,
                                                  issued_tokens, size):
    openpyxl = pytest.importorskip("openpyxl")
    chromium.require_axe()
    downloads = tempfile.mkdtemp(prefix="leerkans-downloads-")
    org = chromium.Browser(javascript=True, size=SIZES[size],
                           downloads=downloads)
    citizen = None
    try:
        citizen = chromium.Browser(javascript=True, size=SIZES[size])
        # a window narrower than the command line's allows
        for b in (org, citizen):
            b.driver.set_window_size(*SIZES[size])
        journey(org.driver, citizen.driver, downloads, daemon, pg,
                console_user, issued_tokens, openpyxl)
    finally:
        org.quit()
        if citizen is not None:
            citizen.quit()
        shutil.rmtree(downloads, ignore_errors=True)


def journey(drv, cit, downloads, daemon, pg, console_user, issued, openpyxl):
    url = daemon.url
    sweep = Sweep()
    organiser = console_user("organiser")
    door = console_user("door")
    t = the_times()
    tag = unique("j")
    slug = "reis-" + tag
    title = "Netwerkevent Levenslang Leren " + tag
    family = "Vandewalle-" + tag

    # -- the organiser logs in and makes the event --------------------------
    log_in(drv, url, *organiser, issued, sweep)
    press(tab_to_text(drv, "a", "Nieuwe activiteit"))
    settle(drv, lambda u: u.path == "/beheer/events/new", "the event form")
    sweep(drv, "the empty event form")
    tab_to(drv, "f-kind").send_keys("Netwerk")
    type_in(drv, "f-title", title)
    type_in(drv, "f-slug", slug)
    type_time(drv, "f-starts_at", t["start"])
    type_time(drv, "f-ends_at", t["end"])
    type_in(drv, "f-venue_name", "Hangar K")
    type_in(drv, "f-venue_postcode", "8500")
    type_in(drv, "f-venue_city", "Kortrijk")
    type_in(drv, "f-capacity", "40")
    for n, (s_slug, s_title) in enumerate((
            ("experts", "Samenwerken met experts"),
            ("financiering", "Financieringsmogelijkheden")), start=1):
        type_in(drv, "f-s%d-slug" % n, s_slug)
        type_in(drv, "f-s%d-title" % n, s_title)
        type_time(drv, "f-s%d-starts_at" % n, t["s_start"])
        type_time(drv, "f-s%d-ends_at" % n, t["s_end"])
        type_in(drv, "f-s%d-room" % n, "Zaal %s" % "AB"[n - 1])
    fits(drv, "the event form")
    press(tab_until(drv, lambda e: e.get_attribute("name") == "save",
                    "the save button"))
    settle(drv, lambda u: u.path == "/beheer/events/" + slug, "the event page")
    text = main_text(drv)
    assert "Het ontwerp is bewaard" in text, text
    assert "Tijdslot 1" in text and "2 sessies tegelijk" in text, text
    sweep(drv, "the event's draft")
    press(tab_to_text(drv, "button", "Publiceren"))
    settle(drv, lambda u: u.query == "m=event-published", "the published event")
    assert "De activiteit is gepubliceerd" in main_text(drv)
    sweep(drv, "the published event")
    ev = daemon.get("/api/v1/events/" + slug).json()
    assert ev["status"] == "published" and ev["kind"] == "network-event"
    assert len(ev["sessions"]) == 2

    # -- a citizen registers through the public form -------------------------
    cit.get(url + "/events/" + slug)
    settle(cit, lambda u: u.path == "/events/" + slug, "the public event page")
    assert cit.find_element(By.TAG_NAME, "h1").text == title
    sweep(cit, "the public event page")
    type_in(cit, "f-given_name", "Lotte")
    focused(cit).send_keys(Keys.TAB)
    focused(cit).send_keys(family)
    focused(cit).send_keys(Keys.TAB)
    focused(cit).send_keys("lotte.%s@example.be" % tag)
    focused(cit).send_keys(Keys.TAB)
    assert focused(cit).get_attribute("id") == "f-role"
    focused(cit).send_keys("Werkn")
    assert focused(cit).get_attribute("value") == "employee"
    type_in(cit, "f-organisation", "Bakkerij Vandewalle bv")
    focused(cit).send_keys(Keys.TAB)
    focused(cit).send_keys("KMO")
    assert focused(cit).get_attribute("value") == "sme"
    type_in(cit, "f-postcode", "8900")
    # the slot's radio group: Tab enters it on "none", the arrow key
    # chooses the first session
    group = tab_until(cit, lambda e: e.get_attribute("type") == "radio",
                      "the time slot's choices")
    group.send_keys(Keys.DOWN)
    chosen = focused(cit)
    assert chosen.get_attribute("value") == "experts" and chosen.is_selected()
    tab_to(cit, "f-consent_privacy").send_keys(Keys.SPACE)
    assert focused(cit).is_selected()
    press(tab_until(cit, lambda e: e.tag_name == "button" and
                    e.get_attribute("type") == "submit", "the form's button"))
    settle(cit, lambda u: u.path.startswith("/r/"), "the registrant's page")
    assert "Je bent ingeschreven." in main_text(cit)
    assert "Samenwerken met experts" in main_text(cit)
    sweep(cit, "the registrant's page with its QR code")
    checkin_url = qr_of(cit.page_source)
    assert urlsplit(checkin_url).path.startswith("/beheer/c/")
    reg_token = urlsplit(cit.current_url).path[3:]
    reg = daemon.get("/api/v1/registrations/" + reg_token).json()
    assert reg["status"] == "confirmed"
    rid = reg["id"]

    # -- the organiser sees them in the registrations and exports ------------
    press(tab_to_text(drv, "a", "Wie is ingeschreven"))
    settle(drv, lambda u: u.path == "/beheer/events/%s/registrations" % slug,
           "the registrations")
    rows = [e.text for e in drv.find_elements(By.CSS_SELECTOR,
                                               "th[scope=row]")]
    assert any(r.startswith("%s, Lotte" % family) for r in rows), rows
    fits(drv, "the registrations")
    sweep(drv, "the registrations")
    before = set(os.listdir(downloads))
    press(tab_to_text(drv, "a", "Excel-bestand (XLSX)"))
    path = wait_for_download(downloads, ".xlsx", before)
    ws = openpyxl.load_workbook(path).active
    sheet = [[c.value for c in row] for row in ws.iter_rows()]
    head = sheet[0]
    assert [r[head.index("family_name")] for r in sheet[1:]] == [family]
    assert sheet[1][head.index("sessions")] == "experts"
    before = set(os.listdir(downloads))
    press(tab_to_text(drv, "a", "CSV voor Excel"))
    path = wait_for_download(downloads, ".csv", before)
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(b"\xef\xbb\xbf"), "a byte order mark for Excel"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")),
                           delimiter=";"))
    head = rows[0]
    assert len(rows) == 2, rows
    assert rows[1][head.index("Familienaam")] == family
    assert rows[1][head.index("Voornaam")] == "Lotte"
    assert rows[1][head.index("Status")] == "Bevestigd"
    assert rows[1][head.index("Sessies")] == "Samenwerken met experts"
    assert urlsplit(drv.current_url).path.endswith("/registrations"), \
        "a download leaves the page where it was"
    log_out(drv, url)

    # -- the door: by name, undo, then by the QR code's address --------------
    log_in(drv, url, *door, issued, sweep)
    press(tab_to_text(drv, "a", "Deur"))
    settle(drv, lambda u: u.path == "/beheer/deur", "today's events")
    assert title in main_text(drv)
    sweep(drv, "today's events at the door")
    section = [s for s in drv.find_elements(By.CSS_SELECTOR, "section.door-event")
               if title in s.text][0]
    box = section.find_element(By.CSS_SELECTOR, "input[type=search]")
    tab_until(drv, lambda e: e == box, "this event's search box")
    box.send_keys("vandewalle-" + tag + Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/deur/" + slug, "the search")
    assert family in main_text(drv)
    assert "0 / 1" in drv.find_element(By.CSS_SELECTOR, ".door-counter").text
    sweep(drv, "the door's search")
    press(tab_to_text(drv, "button", "Inchecken"))
    settle(drv, lambda u: "m=checked-in" in u.query, "the check-in")
    assert checked_in(pg, rid)
    assert "1 / 1" in drv.find_element(By.CSS_SELECTOR, ".door-counter").text
    sweep(drv, "the search after a check-in")
    press(tab_to_text(drv, "button", "Ongedaan maken"))
    settle(drv, lambda u: "m=undone" in u.query, "the undo")
    assert not checked_in(pg, rid)
    assert "0 / 1" in drv.find_element(By.CSS_SELECTOR, ".door-counter").text
    sweep(drv, "the search after an undo")

    drv.get(checkin_url)  # the phone scanned the QR code
    settle(drv, lambda u: u.path == urlsplit(checkin_url).path,
           "the check-in code's page")
    assert family in main_text(drv)
    sweep(drv, "the check-in code's page")
    assert not checked_in(pg, rid), "opening the code changes nothing"
    press(tab_to_text(drv, "button", "Inchecken"))
    WebDriverWait(drv, 20, ignored_exceptions=NAVIGATING).until(
        lambda d: "Aanwezig sinds" in main_text(d), "the code's check-in")
    assert checked_in(pg, rid)
    sweep(drv, "the check-in code's page after the check-in")
    fits(drv, "the check-in code's page")
    log_out(drv, url)

    # -- the organiser reads "De teller loopt" -------------------------------
    log_in(drv, url, *organiser, issued, sweep)
    press(tab_to_text(drv, "a", "De teller loopt"))
    settle(drv, lambda u: u.path == "/beheer/teller", "the teller")
    sweep(drv, "the teller")
    choose(drv, "f-event", slug, limit=500)
    press(tab_to_text(drv, "button", "Toon"))
    settle(drv, lambda u: parse_qs(u.query).get("event") == [slug],
           "the teller of the event")
    totals = {e.get_attribute("data-key"): int(e.find_element(By.TAG_NAME,
                                                                "dd").text)
              for e in drv.find_elements(By.CSS_SELECTOR,
                                         "dl.teller-totals > div")}
    assert totals["events"] == 1, totals
    assert totals["registrations"] == 1 and totals["attended"] == 1, totals
    assert totals["waitlisted"] == 0 and totals["westhoek"] == 1, totals
    kinds = drv.find_element(By.CSS_SELECTOR, "tr[data-key=network-event]")
    assert [int(td.text) for td in kinds.find_elements(By.TAG_NAME, "td")][:2] \
        == [1, 1], kinds.text
    sweep(drv, "the teller of the event")
    fits(drv, "the teller")

    assert set(sweep.seen) >= {
        "/beheer/login", "/beheer/", "/beheer/events/new",
        "/beheer/events/" + slug, "/events/" + slug,
        "/beheer/events/%s/registrations" % slug, "/beheer/deur",
        "/beheer/deur/" + slug, urlsplit(checkin_url).path,
        "/beheer/teller"}, sweep.seen
